"""Write engagements: a folder of CSV files, an .xlsx workbook, or the empty template.

The workbook has an ``engagement`` sheet (setting, value, meaning) and one sheet
per table. Every header cell carries a note saying what goes in the column, and
enumerated columns get a dropdown. :func:`~kamanalysis.load_engagement` reads
both formats back.

Examples
--------
>>> import tempfile, pathlib
>>> from kamanalysis import load_engagement
>>> out = pathlib.Path(tempfile.mkdtemp()) / "template.xlsx"
>>> write_template(out).name
'template.xlsx'
>>> from openpyxl import load_workbook
>>> load_workbook(out).sheetnames[:3]
['engagement', 'business_units', 'accounts']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path

import pandas as pd
import tomli_w

from ..base.errors import raise_if_any
from ..base.schema import (
    SETTING_NOTES,
    SETTINGS_FILE,
    SETTINGS_SHEET,
    TABLES,
    Table,
    default_settings,
    flatten_settings,
)
from .reading import FORMULA_STARTS
from .sheet_rows import check_text, sheet_rows, write_sheets

#: Rows given dropdowns and notes in the template (the sheet can grow past them).
TEMPLATE_ROWS = 2000


def neutralise(value: object) -> object:
    """Make a text cell safe against formula injection: prefix ``'`` when Excel would compute it.

    Only text is changed (numbers, including negative ones, stay numbers); the loader
    drops the ``'`` again, so an exported engagement reads back unchanged.

    Examples
    --------
    >>> [neutralise(v) for v in ("=HYPERLINK(1)", "+86 21", "-x", "@SUM(A1)", "ok", -3.0)]
    ["'=HYPERLINK(1)", "'+86 21", "'-x", "'@SUM(A1)", 'ok', -3.0]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def format_value(value: object) -> str:
    """Format one typed cell as text for a CSV file.

    Examples
    --------
    >>> [format_value(v) for v in (4.0, 12.25, True, None, "2026Q3")]
    ['4', '12.25', 'yes', '', '2026Q3']
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _cells(table: Table, frame: pd.DataFrame) -> list[list[object]]:
    """Return the frame's rows as Python values in the table's column order."""
    frame = frame.reindex(columns=table.column_names)
    rows = []
    for record in frame.astype(object).itertuples(index=False, name=None):
        rows.append([None if _missing(v) else _plain(v) for v in record])
    return rows


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


#: A multi-line array of one-line scalars, as tomli-w writes every array (see toml_text).
_ARRAY = re.compile(r"= \[\n((?:    [^\n\[\]{}]*,\n)+)\]$", re.MULTILINE)


def toml_text(settings: dict) -> str:
    r"""Write settings as TOML with tomli-w; short arrays of numbers or strings stay on one line.

    tomli-w quotes and escapes every key and string (a line break, quotes, a backslash,
    control characters), so ``tomllib`` reads back what was written. It puts each array
    element on a line of its own: an array of scalars that fits in 100 characters is joined
    back onto its key's line (``rating = [1, 5]``), which changes only the layout.

    Examples
    --------
    >>> print(toml_text({"engagement": {"name": "Demo"}, "scales": {"rating": [1, 5]}}))
    [engagement]
    name = "Demo"
    <BLANKLINE>
    [scales]
    rating = [1, 5]
    <BLANKLINE>
    >>> print(toml_text({"engagement": {"name": 'A "B"\nC', "odd key": "华信"}}))
    [engagement]
    name = "A \"B\"\nC"
    "odd key" = "华信"
    <BLANKLINE>
    """

    def inline(match: re.Match) -> str:
        # "    element,\n" each; split on "\n" only: a string may hold other line separators
        elements = [line[4:-1] for line in match.group(1).split("\n")[:-1]]
        joined = "= [" + ", ".join(elements) + "]"
        line_start = match.string.rfind("\n", 0, match.start()) + 1
        fits = match.start() - line_start + len(joined) <= 100
        return joined if fits else match.group(0)

    return _ARRAY.sub(inline, tomli_w.dumps(settings))


def write_folder(settings: dict, tables: dict[str, pd.DataFrame], folder: str | Path) -> Path:
    """Write an engagement as ``engagement.toml`` plus one UTF-8 CSV per table."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SETTINGS_FILE).write_text(toml_text(settings), encoding="utf-8")
    for table in TABLES.values():
        frame = tables.get(table.name, pd.DataFrame(columns=table.column_names))
        with (folder / table.filename).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(table.column_names)
            for row in _cells(table, frame):
                writer.writerow([format_value(neutralise(v)) for v in row])
    return folder


def write_workbook(settings: dict, tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write an engagement as one .xlsx workbook in the template's format.

    openpyxl writes the settings sheet and each table's header row, notes, dropdowns,
    widths and frozen panes; the data rows are then streamed into the sheets a column at a
    time (:mod:`~kamanalysis.data.sheet_rows`): 20,000 accounts (7.7 million cells) take
    seconds, not the half hour that openpyxl's cell objects took. Text that Excel would
    compute is stored as text, prefixed with ``'`` (:func:`neutralise`); booleans as
    ``yes`` / ``no``; date cells formatted ``yyyy-mm-dd``.

    Raises
    ------
    InputValidationError
        A text cell holds a control character an .xlsx file cannot store (every such cell
        named, sheet, row and column); nothing is written.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    scales = default_settings()["scales"] | settings.get("scales", {})
    frames = {
        table.name: tables.get(table.name, pd.DataFrame()).reindex(columns=table.column_names)
        for table in TABLES.values()
    }
    where = Path(path).name
    raise_if_any([p for name, f in frames.items() for p in check_text(f, where=where, sheet=name)])
    book = Workbook()
    sheet = book.active
    sheet.title = SETTINGS_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(["setting", "value", "meaning"])
    for key, value in flatten_settings(settings).items():
        group = key.rsplit(".", 1)[0]
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        sheet.append(
            [key, neutralise(shown), SETTING_NOTES.get(key) or SETTING_NOTES.get(group, "")]
        )
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 80
    sheets = {}
    for table in TABLES.values():
        ws = book.create_sheet(table.name)
        ws.append(table.column_names)
        last = max(TEMPLATE_ROWS, len(frames[table.name]) + 1)
        for j, column in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            cell = ws.cell(row=1, column=j)
            cell.font, cell.fill = bold, fill
            note = f"{column.description}.\nExpected: {column.expectation(scales)}."
            if column.unit:
                note += f"\nUnit: {column.unit}."
            if column.direction:
                note += f"\nDirection: {column.direction}."
            if column.refers_to:
                note += f"\nMust exist in {column.refers_to}."
            cell.comment = Comment(note, "kamanalysis", width=320, height=160)
            ws.column_dimensions[letter].width = max(12, len(column.name) + 4)
            if column.kind in ("enum", "bool"):
                options = column.allowed if column.kind == "enum" else ("yes", "no")
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(options) + '"',
                    allow_blank=column.nullable,
                    showErrorMessage=True,
                    error=f"Expected {column.expectation(scales)}",
                )
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
        sheets[table.name] = ws
    # the date styles the streamed rows use: registered on cells below the settings, dropped
    below = sheet.max_row + 1
    day, moment = (sheet.cell(row=below, column=j) for j in (5, 6))
    day.number_format, moment.number_format = "yyyy-mm-dd", "yyyy-mm-dd h:mm:ss"
    day, moment = day.style_id, moment.style_id
    sheet.delete_rows(below)
    skeleton = io.BytesIO()
    book.save(skeleton)
    filled = {}
    for table in TABLES.values():
        frame = frames[table.name]
        if frame.empty:
            continue
        styles = {"": moment} | {c.name: day for c in table.columns if c.kind == "date"}
        dimension = f"A1:{get_column_letter(len(table.columns))}{len(frame) + 1}"
        rows = sheet_rows(frame, date_styles=styles, prepare=neutralise)
        filled[sheets[table.name].path.lstrip("/")] = (dimension, rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_sheets(skeleton.getvalue(), path, filled)


def write_template(path: str | Path) -> Path:
    """Write an empty engagement workbook: default settings, headers, notes, dropdowns."""
    return write_workbook(default_settings(), {}, path)
