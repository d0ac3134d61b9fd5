"""Reading an engagement from disk: CSV files or an .xlsx workbook, then typed frames.

The first two steps of :func:`kamanalysis.load_engagement`: :func:`read_folder` and
:func:`read_workbook` return each table as a :class:`RawTable` (header, cells, the row
numbers as the user's file shows them), and :func:`typed_table` turns one into a typed
DataFrame, recording a :class:`~kamanalysis.errors.Problem` for every bad cell.

Examples
--------
>>> from kamanalysis.schema import TABLES
>>> col = TABLES["account_quarters"].column("payment_days")
>>> parse_cell("45", col, {})
(45.0, None)
>>> parse_cell("abc", col, {})
(None, '"abc"')

Spreadsheets as they arrive: a percent column takes ``29.5%`` as 29.5, a date column
takes the usual ways Excel writes a date, and text that an export protected against
formula injection (``'=...``) reads back as it was.

>>> margin = TABLES["account_quarters"].column("gross_margin_pct")
>>> parse_cell("29.5%", margin, {}), parse_cell("'-x", TABLES["accounts"].column("name"), {})
((29.5, None), ('-x', None))
>>> parse_cell("2026/3/5", TABLES["contacts"].column("last_contact"), {})[0].date()
datetime.date(2026, 3, 5)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import numbers
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._validation import describe, is_blank
from .errors import Problem, raise_if_any
from .quarters import is_quarter
from .schema import SETTINGS_FILE, SETTINGS_SHEET, TABLES, Column, Table

#: A text cell starting with one of these is a formula to Excel and LibreOffice; exports
#: prefix such cells with ``'`` (:func:`kamanalysis.workbook.neutralise`), reading drops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: CSV encodings tried in turn: UTF-8 (a BOM is skipped), then GB18030, the superset of
#: GBK that Chinese Windows Excel writes when saving as "CSV". Name shown -> codec.
CSV_ENCODINGS = {"UTF-8": "utf-8-sig", "GB18030/GBK": "gb18030"}

#: Ways a date arrives as text (Excel's own date cells arrive as dates).
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日")

TRUE_WORDS = {"yes", "y", "true", "1", "是"}
FALSE_WORDS = {"no", "n", "false", "0", "否"}

DTYPES = {
    "id": "string",
    "text": "string",
    "enum": "string",
    "quarter": "string",
    "int": "Int64",
    "bool": "boolean",
    "number": "float64",
    "rating": "float64",
    "weight": "float64",
    "date": "datetime64[ns]",
}


@dataclass
class RawTable:
    """A table as read from disk, before typing: header, cell values, file rows."""

    file: str
    sheet: str | None
    header: list[str]
    cells: list[list[object]]
    rows: list[int]
    #: Every cell is text and none starts with ``'`` (a CSV file): typing takes a fast path.
    plain_text: bool = False

    def columns(self) -> list[tuple]:
        """Return the cells column by column (short rows padded with None)."""
        return list(itertools.zip_longest(*self.cells, fillvalue=None))


def read_folder(folder: Path, problems: list[Problem]) -> tuple[dict | None, dict[str, RawTable]]:
    """Read ``engagement.toml`` and one CSV per table from ``folder``."""
    settings = None
    toml_path = folder / SETTINGS_FILE
    if not toml_path.exists():
        problems.append(
            Problem(SETTINGS_FILE, "the engagement settings file", "no such file", kind="missing")
        )
    else:
        try:
            with toml_path.open("rb") as fh:
                settings = {"values": tomllib.load(fh), "rows": {}}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(SETTINGS_FILE, "valid TOML", f"a syntax error: {exc}"))
    raws: dict[str, RawTable] = {}
    for table in TABLES.values():
        file = folder / table.filename
        if not file.exists():
            problems.append(
                Problem(
                    table.filename, f"a table of {_noun(table)}", "no such file", kind="missing"
                )
            )
            continue
        text, _, found = decode_csv(file)
        if text is None:
            problems.append(Problem(table.filename, ENCODING_EXPECTED, found))
            continue
        records = list(csv.reader(io.StringIO(text, newline="")))
        if not records:
            problems.append(Problem(table.filename, "a header row", "an empty file", kind="empty"))
            continue
        header = [h.strip() for h in records[0]]
        cells, rows = [], []
        for number, record in enumerate(records[1:], start=2):
            if not "".join(record).strip():
                continue
            cells.append(record)
            rows.append(number)
        plain = "'" not in text and all(len(r) == len(header) for r in cells)
        raws[table.name] = RawTable(table.filename, None, header, cells, rows, plain_text=plain)
    return settings, raws


ENCODING_EXPECTED = "text encoded as UTF-8 (with or without BOM) or GB18030/GBK"


def decode_csv(path: Path) -> tuple[str | None, str | None, str]:
    r"""Decode a CSV file; return (text, encoding name, "") or (None, None, what was found).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes("name\n华信\n".encode("gbk"))
    >>> decode_csv(f)[1:]
    ('GB18030/GBK', '')
    >>> _ = f.write_bytes("name\n华信\n".encode("utf-16"))
    >>> decode_csv(f)[2]
    'UTF-16 text (save it as "CSV UTF-8")'
    """
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, None, 'UTF-16 text (save it as "CSV UTF-8")'
    reasons = []
    for name, codec in CSV_ENCODINGS.items():
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            reasons.append(f"{name}: {exc.reason} at byte {exc.start}")
            continue
        if "\x00" in text:
            return None, None, "binary data (NUL bytes): not a CSV file"
        return text, name, ""
    return None, None, "bytes that are neither (" + "; ".join(reasons) + ")"


def csv_encodings(folder: str | Path) -> dict[str, str]:
    """Return the encoding each table's CSV file in ``folder`` is read with (file -> encoding).

    Examples
    --------
    >>> from kamanalysis import paths
    >>> set(csv_encodings(paths.SAMPLE_DATA).values())
    {'UTF-8'}
    """
    found = {}
    for table in TABLES.values():
        file = Path(folder) / table.filename
        if file.exists():
            name = decode_csv(file)[1]
            if name is not None:
                found[table.filename] = name
    return found


def _unquote(value: object) -> object:
    """Drop the ``'`` that protected a text cell against formula injection."""
    if (
        isinstance(value, str)
        and value[:1] == "'"
        and value[1:2]
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def is_percent(column: Column) -> bool:
    """Whether a column holds percentages (its unit says so), e.g. ``gross_margin_pct``."""
    return column.unit.startswith("percent")


def _percent_positions(table: Table, header: list[str]) -> list[int]:
    return [
        i
        for i, name in enumerate(header)
        if name in table.column_names and is_percent(table.column(name))
    ]


def read_workbook(path: Path, problems: list[Problem]) -> tuple[dict | None, dict[str, RawTable]]:
    """Read the settings sheet and one sheet per table from an .xlsx workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise_if_any([Problem(path.name, "a readable .xlsx workbook", f"an error: {exc}")])
    try:
        sheets: dict[str, list[tuple[int, tuple]]] = {}
        for name in book.sheetnames:
            ws = book[name]
            table = TABLES.get(name)
            if table is not None and any(is_percent(c) for c in table.columns):
                sheets[name] = _rows_reading_percents(ws, table)
            else:
                sheets[name] = [
                    (i, r)
                    for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
                    if r is not None
                ]
    finally:
        book.close()
    file = path.name
    settings = None
    if SETTINGS_SHEET not in sheets:
        problems.append(
            Problem(file, f"a sheet named {SETTINGS_SHEET}", "no such sheet", kind="missing")
        )
    else:
        values, where = {}, {}
        for number, record in sheets[SETTINGS_SHEET][1:]:
            if not record or is_blank(record[0]):
                continue
            key = str(record[0]).strip()
            values[key] = _unquote(record[1]) if len(record) > 1 else None
            where[key] = number
        settings = {"flat": values, "rows": where, "file": file}
    raws: dict[str, RawTable] = {}
    for table in TABLES.values():
        if table.name not in sheets:
            problems.append(
                Problem(file, f"a sheet named {table.name}", "no such sheet", kind="missing")
            )
            continue
        records = sheets[table.name]
        if not records or all(is_blank(v) for v in records[0][1]):
            problems.append(
                Problem(file, "a header row", "an empty sheet", sheet=table.name, kind="empty")
            )
            continue
        header_row = list(records[0][1])
        while header_row and is_blank(header_row[-1]):
            header_row.pop()
        header = ["" if is_blank(h) else str(h).strip() for h in header_row]
        cells, rows = [], []
        for number, record in records[1:]:
            if all(is_blank(v) for v in record):
                continue
            cells.append(list(record))
            rows.append(number)
        raws[table.name] = RawTable(file, table.name, header, cells, rows)
    return settings, raws


def _rows_reading_percents(ws, table: Table) -> list[tuple[int, tuple]]:
    """Return a sheet's rows, reading a percent-formatted number in a percent column as shown.

    Excel keeps 29.5 % as 0.295 in a cell formatted as a percentage; the column wants 29.5.
    """
    rows: list[tuple[int, tuple]] = []
    positions: list[int] = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values = [c.value for c in cells]
        if number == 1:
            header = ["" if is_blank(v) else str(v).strip() for v in values]
            positions = _percent_positions(table, header)
        else:
            for i in positions:
                value = values[i] if i < len(values) else None
                shown = getattr(cells[i], "number_format", None) if i < len(cells) else None
                if (
                    isinstance(value, numbers.Real)
                    and not isinstance(value, bool)
                    and shown
                    and "%" in shown
                ):
                    values[i] = round(float(value) * 100, 10)
        rows.append((number, tuple(values)))
    return rows


def _noun(table: Table) -> str:
    return table.description[0].lower() + table.description[1:].rstrip(".")


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Number):
        out = float(value)
    else:
        text = str(value).strip().replace(",", "")
        try:
            out = float(text)
        except ValueError:
            return None
    return out if math.isfinite(out) else None


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_cell(value: object, column: Column, scales: dict) -> tuple[object, str | None]:
    """Convert one raw cell to the column's type.

    Returns ``(value, None)`` on success (``value`` is None for an allowed blank)
    and ``(None, found)`` on failure, ``found`` describing what was there.
    """
    value = _unquote(value)
    if is_blank(value):
        return (None, None) if column.nullable else (None, "blank")
    kind = column.kind
    if kind in ("id", "text"):
        return _text(value), None
    if kind == "enum":
        text = _text(value)
        return (text, None) if text in column.allowed else (None, describe(value))
    if kind == "quarter":
        text = _text(value)
        return (text, None) if is_quarter(text) else (None, describe(value))
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.replace(hour=0, minute=0, second=0, microsecond=0), None
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day), None
        text = _text(value)
        for pattern in DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
            return day.replace(hour=0, minute=0, second=0, microsecond=0), None
        return None, describe(value)
    if kind == "bool":
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, describe(value)
    if is_percent(column) and isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]  # "29.5%" as Excel exports a percentage cell
    number = _number(value)
    if number is None:
        return None, describe(value)
    if kind == "int" and not number.is_integer():
        return None, describe(number)
    if kind == "rating":
        lo, hi = scales.get(column.scale, (-math.inf, math.inf))
        if not lo <= number <= hi:
            return None, describe(number)
    elif kind == "weight":
        if number < 0:
            return None, describe(number)
    else:
        if column.min is not None and number < column.min:
            return None, describe(number)
        if column.max is not None and number > column.max:
            return None, describe(number)
    return (int(number) if kind == "int" else number), None


def typed_table(
    table: Table, raw: RawTable | None, scales: dict, problems: list[Problem]
) -> pd.DataFrame:
    """Turn a raw table into a typed frame, recording every bad cell.

    Column by column: plain cells (numbers and text as CSV files hold them) take a fast
    path; every other cell goes through :func:`parse_cell`, which the fast path agrees with.
    """
    n = len(raw.cells) if raw is not None else 0
    data: dict[str, object] = {}
    position: dict[str, int] = {}
    if raw is not None:
        position = {name: i for i, name in enumerate(raw.header) if name}
        missing = [c for c in table.columns if c.name not in position]
        for c in missing:
            problems.append(
                Problem(
                    raw.file,
                    f"a column named {c.name} ({c.description})",
                    "no such column",
                    column=c.name,
                    sheet=raw.sheet,
                    kind="missing",
                )
            )
        if not raw.cells:
            problems.append(
                Problem(raw.file, "at least one data row", "none", sheet=raw.sheet, kind="empty")
            )
    by_column = raw.columns() if raw is not None else []
    for c in table.columns:
        index = position.get(c.name)
        if raw is None or index is None:
            values: list | np.ndarray = [None] * n
        else:
            cells = list(by_column[index]) if index < len(by_column) else [None] * n
            values, bad = parse_column(cells, c, scales, plain=raw.plain_text)
            expected = c.expectation(scales) if bad else ""
            for i, found in bad:
                problems.append(
                    Problem(
                        raw.file, expected, found, row=raw.rows[i], column=c.name, sheet=raw.sheet
                    )
                )
        dtype = DTYPES[c.kind]
        if dtype == "float64":
            if isinstance(values, np.ndarray):
                data[c.name] = pd.Series(values, dtype="float64")
            else:
                data[c.name] = pd.Series(
                    [float("nan") if v is None else v for v in values], dtype="float64"
                )
        elif dtype.startswith("datetime"):
            data[c.name] = pd.Series(pd.to_datetime(values), dtype=dtype)
        else:
            data[c.name] = pd.Series(pd.array(values, dtype=dtype))
    return pd.DataFrame(data, columns=table.column_names)


_NUMERIC = ("number", "rating", "weight", "int")
_TEXTUAL = ("id", "text", "enum", "quarter")


def parse_column(
    cells: list, column: Column, scales: dict, *, plain: bool = False
) -> tuple[list | np.ndarray, list[tuple[int, str]]]:
    """Convert one column's raw cells; return the values and the (position, found) of bad cells.

    The same as :func:`parse_cell` cell by cell, only faster on columns of plain text
    (``plain=True`` says the caller knows every cell is text not starting with ``'``).

    Examples
    --------
    >>> days = TABLES["account_quarters"].column("payment_days")
    >>> values, bad = parse_column(["45", " 60 ", "abc", "-1"], days, {})
    >>> [float(v) for v in values[:2]], bad
    ([45.0, 60.0], [(2, '"abc"'), (3, '-1')])
    """
    kind = column.kind
    plain = plain or all(type(v) is str and v[:1] != "'" for v in cells)
    if plain and kind in _NUMERIC and cells:
        fast = _numeric_column(cells, column, scales)
        if fast is not None:
            return fast
    if plain and kind in _TEXTUAL:
        return _text_column(cells, column)
    if plain and kind == "bool":
        return _bool_column(cells, column)
    if plain and kind == "date" and cells:
        fast = _date_column(cells, column, scales)
        if fast is not None:
            return fast
    values, bad = [], []
    for i, cell in enumerate(cells):
        value, found = parse_cell(cell, column, scales)
        if found is not None:
            bad.append((i, found))
        values.append(value)
    return values, bad


def _numeric_column(cells: list[str], column: Column, scales: dict):
    """Parse a column of text numbers with numpy; None when a cell needs :func:`parse_cell`."""
    if any("," in v or "%" in v for v in cells):
        return None
    blank = np.fromiter((not v.strip() for v in cells), dtype=bool, count=len(cells))
    numbers = np.full(len(cells), np.nan)
    try:
        numbers[~blank] = np.asarray(cells, dtype=object)[~blank].astype("float64")
    except (ValueError, TypeError):
        return None
    if not np.isfinite(numbers[~blank]).all():
        return None
    kind = column.kind
    ok = ~blank
    if kind == "rating":
        lo, hi = scales.get(column.scale, (-math.inf, math.inf))
        ok &= (numbers >= lo) & (numbers <= hi)
    elif kind == "weight":
        ok &= numbers >= 0
    else:
        if column.min is not None:
            ok &= numbers >= column.min
        if column.max is not None:
            ok &= numbers <= column.max
        if kind == "int":
            ok &= numbers == np.floor(numbers)
    bad = []
    for i in np.flatnonzero(~ok):
        if blank[i] and column.nullable:
            continue
        found = parse_cell(cells[i], column, scales)[1]
        bad.append((int(i), found if found is not None else describe(cells[i])))
    numbers[~ok] = np.nan
    if kind == "int":
        return [None if math.isnan(x) else int(x) for x in numbers.tolist()], bad
    return numbers, bad


def _text_column(cells: list[str], column: Column) -> tuple[list, list[tuple[int, str]]]:
    values: list = [v.strip() for v in cells]
    bad = []
    allowed = set(column.allowed) if column.kind == "enum" else None
    for i, text in enumerate(values):
        if not text:
            values[i] = None
            if not column.nullable:
                bad.append((i, "blank"))
        elif allowed is not None and text not in allowed:
            values[i] = None
            bad.append((i, describe(cells[i])))
        elif column.kind == "quarter" and not is_quarter(text):
            values[i] = None
            bad.append((i, describe(cells[i])))
    return values, bad


_BOOLS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def _bool_column(cells: list[str], column: Column) -> tuple[list, list[tuple[int, str]]]:
    values: list = [_BOOLS.get(v.strip().lower()) for v in cells]
    bad = []
    for i, value in enumerate(values):
        if value is None and (cells[i].strip() or not column.nullable):
            bad.append((i, describe(cells[i])))
    return values, bad


def _date_column(cells: list[str], column: Column, scales: dict):
    """ISO dates with pandas; any other cell through :func:`parse_cell`."""
    days = pd.to_datetime(pd.Series(cells, dtype=object), format="%Y-%m-%d", errors="coerce")
    values: list = days.tolist()
    bad = []
    for i in np.flatnonzero(days.isna().to_numpy()):
        value, found = parse_cell(cells[i], column, scales)
        values[i] = value
        if found is not None:
            bad.append((int(i), found))
    return [None if v is pd.NaT else v for v in values], bad
