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
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import numbers
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._validation import describe, is_blank
from .errors import Problem, raise_if_any
from .quarters import is_quarter
from .schema import SETTINGS_FILE, SETTINGS_SHEET, TABLES, Column, Table

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
        try:
            with file.open(newline="", encoding="utf-8-sig") as fh:
                records = list(csv.reader(fh))
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    table.filename, "text encoded as UTF-8", f"bytes that are not ({exc.reason})"
                )
            )
            continue
        if not records:
            problems.append(Problem(table.filename, "a header row", "an empty file", kind="empty"))
            continue
        header = [h.strip() for h in records[0]]
        cells, rows = [], []
        for number, record in enumerate(records[1:], start=2):
            if all(is_blank(v) for v in record):
                continue
            cells.append(record)
            rows.append(number)
        raws[table.name] = RawTable(table.filename, None, header, cells, rows)
    return settings, raws


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
            values[key] = record[1] if len(record) > 1 else None
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
        try:
            return dt.datetime.strptime(_text(value), "%Y-%m-%d"), None
        except ValueError:
            return None, describe(value)
    if kind == "bool":
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, describe(value)
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
    """Turn a raw table into a typed frame, recording every bad cell."""
    columns: dict[str, list] = {c.name: [] for c in table.columns}
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
        for record, number in zip(raw.cells, raw.rows, strict=True):
            for c in table.columns:
                index = position.get(c.name)
                if index is None:
                    columns[c.name].append(None)
                    continue
                cell = record[index] if index < len(record) else None
                value, found = parse_cell(cell, c, scales)
                if found is not None:
                    problems.append(
                        Problem(
                            raw.file,
                            c.expectation(scales),
                            found,
                            row=number,
                            column=c.name,
                            sheet=raw.sheet,
                        )
                    )
                columns[c.name].append(value)
    data = {}
    for c in table.columns:
        values = columns[c.name]
        dtype = DTYPES[c.kind]
        if dtype == "float64":
            data[c.name] = pd.Series(
                [float("nan") if v is None else v for v in values], dtype="float64"
            )
        elif dtype.startswith("datetime"):
            data[c.name] = pd.Series(pd.to_datetime(values), dtype=dtype)
        else:
            data[c.name] = pd.Series(pd.array(values, dtype=dtype))
    return pd.DataFrame(data, columns=table.column_names)
