"""The loader as it was before it typed and checked whole columns: the tests' oracle.

A frozen copy of ``kamanalysis.data.reading`` and ``kamanalysis.data.checks`` at commit 7c359ac (cell
by cell, row by row), with the loop of ``load_engagement`` that drove them. The tests
compare the problems it finds with those of the vectorised loader; do not change it (one
fix, marked: a blank ``source`` in feedback raised a TypeError there).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import numbers
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamanalysis.base._validation import describe, is_blank, row_span, weights_total_ok
from kamanalysis.base.errors import Problem, raise_if_any
from kamanalysis.base.quarters import is_quarter
from kamanalysis.base.schema import (
    SETTINGS_FILE,
    SETTINGS_SHEET,
    TABLES,
    AllowedBy,
    AtLeast,
    Column,
    RoleCount,
    Table,
)

#: A text cell starting with one of these is a formula to Excel and LibreOffice; exports
#: prefix such cells with ``'`` (:func:`kamanalysis.data.workbook.neutralise`), reading drops it.
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
    >>> from kamanalysis.base import paths
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


# ----------------------------------------------------------------- checks

Frames = Mapping[str, pd.DataFrame]
Raws = Mapping[str, RawTable]


def check_all(tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]) -> None:
    """Run every cross-row and cross-table check, appending to ``problems``."""
    check_keys(tables, raws, problems)
    check_references(tables, raws, problems)
    check_quarters(tables, raws, current_quarter, problems)
    check_rules(tables, raws, problems)
    check_weights(tables, raws, problems)


def _problem(raws: Raws, table: str, row_index: int | list[int], **kw) -> Problem:
    raw = raws[table]
    if isinstance(row_index, list):
        row: int | str = row_span([raw.rows[i] for i in row_index])
    else:
        row = raw.rows[row_index]
    return Problem(raw.file, row=row, sheet=raw.sheet, **kw)


def check_keys(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Report a repeated key, naming the row where it was first seen."""
    for table in TABLES.values():
        frame = tables[table.name]
        if table.name not in raws or frame.empty:
            continue
        key = list(table.key)
        required = [not table.column(k).nullable for k in key]
        keys = frame[key].astype(object).where(frame[key].notna(), None)
        first_seen: dict[tuple, int] = {}
        for i, values in enumerate(keys.itertuples(index=False, name=None)):
            if any(v is None and r for v, r in zip(values, required, strict=True)):
                continue
            if values in first_seen:
                first_row = raws[table.name].rows[first_seen[values]]
                shown = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column=", ".join(key),
                        kind="duplicate",
                        expected=f"a unique ({', '.join(key)})",
                        found=f"{shown} again (first in row {first_row})",
                    )
                )
            else:
                first_seen[values] = i


def check_references(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check that every ``refers_to`` column names a known row, and accounts stay in their BU."""
    bus = set(tables["business_units"]["bu_id"].dropna())
    accounts = tables["accounts"]
    account_ids = set(accounts["account_id"].dropna())
    # an account whose own bu_id is unknown is reported once, in accounts, not on every row
    account_bu = {
        a: b
        for a, b in zip(accounts["account_id"], accounts["bu_id"], strict=True)
        if not pd.isna(a) and not pd.isna(b) and b in bus
    }
    known = {"business_units": bus, "accounts": account_ids}
    present = {name: name in raws for name in known}

    def report(table: str, i: int, column: str, expected: str, found: object) -> None:
        problems.append(
            _problem(
                raws,
                table,
                i,
                column=column,
                kind="reference",
                expected=expected,
                found=describe(found),
            )
        )

    for table in TABLES.values():
        if table.name not in raws or table.name == "business_units":
            continue
        frame = tables[table.name]
        check_accounts = "account_id" in table.column_names and present["accounts"]
        account_col = frame["account_id"].tolist() if check_accounts else [None] * len(frame)
        for i, (bu, account) in enumerate(zip(frame["bu_id"].tolist(), account_col, strict=True)):
            if pd.isna(bu):
                continue
            if present["business_units"] and bu not in bus:
                report(table.name, i, "bu_id", "a bu_id listed in business_units", bu)
            elif not check_accounts or pd.isna(account):
                continue
            elif account not in account_ids:
                report(table.name, i, "account_id", "an account_id listed in accounts", account)
            elif account in account_bu and account_bu[account] != bu:
                report(
                    table.name,
                    i,
                    "bu_id",
                    f"{account_bu[account]}, the BU of account {account}",
                    bu,
                )
        for column in table.columns:
            if column.refers_when is None or not present.get(column.refers_to, False):
                continue
            when_col, when_value = column.refers_when
            pairs = zip(frame[when_col].tolist(), frame[column.name].tolist(), strict=True)
            for i, (when, value) in enumerate(pairs):
                if (
                    not pd.isna(when)  # the one change: the old loop raised on a blank source
                    and when == when_value
                    and not pd.isna(value)
                    and value not in known[column.refers_to]
                ):
                    report(
                        table.name,
                        i,
                        column.name,
                        f"{_id_noun(column.refers_to)} listed in {column.refers_to} "
                        f"({when_col} {when_value})",
                        value,
                    )


def _id_noun(table: str) -> str:
    """Name the identifier column of ``table``, with its article."""
    key = TABLES[table].key[0]
    return f"an {key}" if key[0] in "aeiou" else f"a {key}"


def check_quarters(
    tables: Frames, raws: Raws, current_quarter: str, problems: list[Problem]
) -> None:
    """Report rows that describe a quarter after the quarter diagnosed."""
    if not is_quarter(current_quarter):
        return
    for table in TABLES.values():
        if table.name not in raws or "quarter" not in table.column_names:
            continue
        for i, quarter in enumerate(tables[table.name]["quarter"]):
            if not pd.isna(quarter) and quarter > current_quarter:
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        i,
                        column="quarter",
                        kind="value",
                        expected=f"a quarter no later than current_quarter {current_quarter}",
                        found=describe(quarter),
                    )
                )


def check_rules(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check the row and group rules each table declares in the schema."""
    for table in TABLES.values():
        if table.name not in raws:
            continue
        frame = tables[table.name]
        for rule in table.rules:
            check = _RULES[type(rule)]
            check(rule, table, frame, raws, problems)


def _at_least(rule: AtLeast, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    below = frame[rule.other] > frame[rule.column]
    for i in below[below].index:
        problems.append(
            _problem(
                raws,
                table.name,
                int(i),
                column=rule.column,
                expected=f"at least the {rule.other} {frame[rule.other].iat[i]:g} ({rule.why})",
                found=describe(frame[rule.column].iat[i]),
            )
        )


def _allowed_by(rule: AllowedBy, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    pairs = zip(frame[rule.by].tolist(), frame[rule.column].tolist(), strict=True)
    for i, (by, value) in enumerate(pairs):
        if pd.isna(by) or pd.isna(value) or by not in rule.allowed:
            continue
        if value not in rule.allowed[by]:
            problems.append(
                _problem(
                    raws,
                    table.name,
                    i,
                    column=rule.column,
                    expected=f"{' or '.join(rule.allowed[by])} for an {by} factor",
                    found=describe(value),
                )
            )


def _role_count(rule: RoleCount, table: Table, frame, raws: Raws, problems: list[Problem]) -> None:
    for keys, group in frame.groupby(list(rule.group), sort=False):
        label = " ".join(str(k) for k in (keys if isinstance(keys, tuple) else (keys,)))
        values = group.drop_duplicates(rule.distinct)[rule.column]
        index = group.index.tolist()
        for value, (least, most) in rule.counts.items():
            n = int((values == value).sum())
            if n < least or (most is not None and n > most):
                bound = "exactly" if most == least else "at least"
                expected = (
                    f"{bound} {_WORDS.get(least, least)} {rule.distinct} with {rule.column} {value}"
                )
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        index,
                        column=rule.column,
                        expected=f"{expected} for {label}",
                        found=str(n) if n else "none",
                    )
                )


_WORDS = {1: "one", 2: "two", 3: "three"}
_RULES = {AtLeast: _at_least, AllowedBy: _allowed_by, RoleCount: _role_count}


def check_weights(tables: Frames, raws: Raws, problems: list[Problem]) -> None:
    """Check that weights sum to 1 (or 100) within each weight group a table declares."""
    for table in TABLES.values():
        if not table.weight_groups or table.name not in raws:
            continue
        frame = tables[table.name]
        if frame.empty:
            continue
        raw = raws[table.name]
        suspects = _suspect_groups(frame, raw, table.weight_groups, problems)
        groups = frame.groupby(list(table.weight_groups), sort=False, dropna=True)
        for keys, group in groups:
            keys = keys if isinstance(keys, tuple) else (keys,)
            if any(
                all(s is None or s == k for s, k in zip(suspect, keys, strict=True))
                for suspect in suspects
            ):
                continue  # a row already reported may belong here: its sum would mislead
            label = ", ".join(f"{k} {v}" for k, v in zip(table.weight_groups, keys, strict=True))
            index = group.index.tolist()
            weights = group["weight"]
            if table.weight_per:
                weights = _weights_per(group, table, raws, problems)
                if weights is None:
                    continue
            elif table.equal_weights and weights.isna().all():
                continue  # equal weights
            if weights.isna().any():
                blanks = [index[j] for j, v in enumerate(weights) if pd.isna(v)]
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        blanks,
                        column="weight",
                        kind="weights",
                        expected=f"a weight on every row of {label} (or none, for equal weights)"
                        if table.equal_weights
                        else f"a weight on every row of {label}",
                        found="blank",
                    )
                )
                continue
            total = float(weights.sum())
            if not weights_total_ok(total):
                problems.append(
                    _problem(
                        raws,
                        table.name,
                        index,
                        column="weight",
                        kind="weights",
                        expected=f"weights of {label} summing to 1 (or 100)",
                        found=f"a sum of {total:g}",
                    )
                )


def _suspect_groups(
    frame: pd.DataFrame, raw: RawTable, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple]:
    """Group keys of the rows already reported, None where the key cell itself is in doubt.

    A row with a bad ``bu_id`` may belong to any BU's group of the same quarter: every
    group its trustworthy key values match is left out of the weight-sum check.
    """
    cells = {
        (p.row, p.column)
        for p in problems
        if (p.file, p.sheet) == (raw.file, raw.sheet) and isinstance(p.row, int)
    }
    rows = {row for row, _ in cells}
    suspects = []
    for i, row in enumerate(raw.rows):
        if row in rows:
            suspects.append(
                tuple(
                    None if (row, c) in cells or pd.isna(frame[c].iat[i]) else frame[c].iat[i]
                    for c in columns
                )
            )
    return suspects


def _weights_per(group: pd.DataFrame, table: Table, raws: Raws, problems: list[Problem]):
    """One weight per value of ``table.weight_per``; each of its rows must repeat it."""
    per = table.weight_per
    owner = next(k for k in table.key if k not in table.weight_groups and k != per)
    weights = {}
    for value, rows in group.groupby(per, sort=False):
        distinct = rows["weight"].dropna().unique()
        if len(distinct) > 1:
            problems.append(
                _problem(
                    raws,
                    table.name,
                    rows.index.tolist(),
                    column="weight",
                    kind="weights",
                    expected=f"the same weight for {per} {value!r} on every {owner}'s row",
                    found=", ".join(f"{w:g}" for w in distinct),
                )
            )
            return None
        weights[value] = distinct[0] if len(distinct) else float("nan")
    return pd.Series(weights, dtype="float64")


def load_legacy(path) -> list[str]:
    """Return the problems the old loader found in an engagement folder or workbook, as text."""
    from kamanalysis.data.engagement import _reading_order
    from kamanalysis.data.settings import is_scale, merge_settings

    path = Path(path)
    problems: list[Problem] = []
    if path.is_dir():
        raw_settings, raws = read_folder(path, problems)
    else:
        raw_settings, raws = read_workbook(path, problems)
    settings = merge_settings(raw_settings, problems)
    scales = {k: tuple(v) for k, v in settings["scales"].items() if is_scale(v)}
    tables = {}
    for table in TABLES.values():
        tables[table.name] = typed_table(table, raws.get(table.name), scales, problems)
    check_all(tables, raws, settings["engagement"]["current_quarter"], problems)
    return [str(p) for p in sorted(problems, key=_reading_order)], tables
