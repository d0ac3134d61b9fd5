"""Reading an engagement from disk: CSV files or an .xlsx workbook, then typed frames.

The first two steps of :func:`kamanalysis.load_engagement`: :func:`read_folder` and
:func:`read_workbook` return each table as a :class:`RawTable` (header, cells column by
column, the row numbers as the user's file shows them), and :func:`typed_table` turns one
into a typed DataFrame, recording a :class:`~kamanalysis.base.errors.Problem` for every bad cell.

Whole columns at a time: CSV text without quotes is split by pandas' C parser, numbers are
read by one numpy cast, every other kind is parsed once per distinct cell. :func:`parse_cell`
remains the definition: the columns agree with it cell by cell (tests check it), and it
words the problem of every cell the fast path does not accept.

Examples
--------
>>> from kamanalysis.base.schema import TABLES
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

from ..base._validation import describe, is_blank
from ..base.errors import Problem, raise_if_any
from ..base.markup import plain
from ..base.quarters import is_quarter
from ..base.schema import SETTINGS_FILE, SETTINGS_SHEET, TABLES, Column, Table
from .decimals import MARK_HINTS, number_text
from .encodings import ENCODING_EXPECTED, ENCODINGS, decode_bytes
from .header import DELIMITERS, header_problems, long_rows, sniff_delimiter
from .xlsx_cells import hidden_cell_problems, scan_workbook

#: A text cell starting with one of these is a formula to Excel and LibreOffice; exports
#: prefix such cells with ``'`` (:func:`kamanalysis.data.workbook.neutralise`), reading drops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: CSV encodings a file may be in (:mod:`kamanalysis.data.encodings` detects which):
#: UTF-8 (a BOM is skipped), UTF-16, GB18030 (the superset of GBK that Chinese Windows Excel
#: writes when saving as "CSV"), Big5, Windows-1252. Name shown -> codec.
CSV_ENCODINGS = ENCODINGS

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
    """A table as read from disk, before typing: header, cells column by column, file rows."""

    file: str
    sheet: str | None
    header: list[str]
    #: One object array of cells per header position, each as long as ``rows``.
    data: list[np.ndarray]
    rows: list[int]
    #: Every cell is text (a CSV file): typing needs no check of the cells' types.
    plain_text: bool = False
    #: The CSV delimiter the header uses (:func:`~kamanalysis.data.header.sniff_delimiter`).
    delimiter: str = ","
    #: (file row, column) of cells already reported while reading (a formula never computed,
    #: a merged cell): typing does not report them again as blank.
    reported: frozenset = frozenset()
    #: (file row, number of fields) of the CSV records longer than the header.
    long: tuple = ()

    def cells_of(self, index: int) -> np.ndarray:
        """Return the cells under header position ``index`` (blank cells past a short row)."""
        if index < len(self.data):
            return self.data[index]
        return np.full(len(self.rows), "" if self.plain_text else None, dtype=object)


def _from_records(
    file: str, sheet: str | None, header: list[str], records, *, plain: bool = False
) -> RawTable:
    """Build a :class:`RawTable` from ``(file row, cells)`` records, skipping blank rows."""
    cells, rows = [], []
    for number, record in records:
        if plain:
            if not "".join(record).strip():
                continue
        elif all(is_blank(v) for v in record):
            continue
        cells.append(record)
        rows.append(number)
    width = max([len(header), *(len(r) for r in cells)])
    fill = "" if plain else None
    data = []
    for column in itertools.zip_longest(*cells, fillvalue=fill) if cells else [()] * width:
        array = np.empty(len(cells), dtype=object)
        array[:] = column
        data.append(array)
    return RawTable(file, sheet, header, data, rows, plain_text=plain)


def _read_csv_text(file: str, text: str, delimiter: str = ",") -> RawTable | None:
    """Split decoded CSV text into a :class:`RawTable`; None for a file without any record.

    Text without a double quote goes through pandas' C parser: with no quoting, it splits
    records and fields exactly as :mod:`csv` does (which a test checks). Anything else, or
    a row longer than the first (which pandas refuses), goes through :mod:`csv` itself.
    """
    if '"' not in text:
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                header=None,
                dtype=object,
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                quoting=csv.QUOTE_NONE,
                sep=delimiter,
                engine="c",
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
            frame = None
        if frame is not None and len(frame):
            raw = _from_frame(file, frame)
            raw.delimiter = delimiter
            return raw
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        return None
    header = [h.strip() for h in records[0]]
    raw = _from_records(file, None, header, enumerate(records[1:], start=2), plain=True)
    raw.delimiter = delimiter
    width = len(header)  # pandas refuses a record longer than the first: only here
    raw.long = tuple(
        (n, len(r))
        for n, r in enumerate(records[1:], start=2)
        if len(r) > width and "".join(r).strip()
    )
    return raw


def _from_frame(file: str, frame: pd.DataFrame) -> RawTable:
    """Build a :class:`RawTable` from all-text cells read by pandas (first row: the header)."""
    values = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    header = [str(v[0]).strip() for v in values]
    data = [v[1:] for v in values]
    n = len(frame) - 1
    # a row is blank when every cell is empty or spaces; most rows have a non-blank cell 1
    keep = np.zeros(n, dtype=bool)
    undecided = np.ones(n, dtype=bool)
    for column in data:
        candidates = np.flatnonzero(undecided)
        if not len(candidates):
            break
        codes, distinct = pd.factorize(column[candidates])
        filled = np.fromiter(
            (bool(v.strip()) for v in distinct.tolist()), dtype=bool, count=len(distinct)
        )[codes]
        keep[candidates[filled]] = True
        undecided[candidates[filled]] = False
    rows = (np.flatnonzero(keep) + 2).tolist()
    if not keep.all():
        data = [column[keep] for column in data]
    return RawTable(file, None, header, data, rows, plain_text=True)


def read_folder(
    folder: Path, problems: list[Problem], absent: list[str] | None = None
) -> tuple[dict | None, dict[str, RawTable]]:
    """Read ``engagement.toml`` and one CSV per table from ``folder``.

    A table that is not :attr:`~kamanalysis.base.schema.Table.required` may be left out: its
    name goes to ``absent`` instead of a problem.
    """
    settings = None
    toml_path = folder / SETTINGS_FILE
    if not toml_path.exists():
        problems.append(
            Problem(SETTINGS_FILE, "the engagement settings file", "no such file", kind="missing")
        )
    else:
        settings = _read_toml(toml_path, problems)
    raws: dict[str, RawTable] = {}
    for table in TABLES.values():
        file = folder / table.filename
        if not file.exists():
            if not table.required and absent is not None:
                absent.append(table.name)
                continue
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
        raw = _read_csv_text(table.filename, text, sniff_delimiter(text, table))
        if raw is None:
            problems.append(Problem(table.filename, "a header row", "an empty file", kind="empty"))
            continue
        if not raw.rows and not table.required and absent is not None:
            absent.append(table.name)  # a header and no rows: not provided, as no file
            continue
        raws[table.name] = raw
    return settings, raws


def _read_toml(path: Path, problems: list[Problem]) -> dict | None:
    """Read ``engagement.toml`` in any encoding :func:`decode_bytes` detects (a BOM is fine)."""
    text, encoding, found = decode_bytes(path.read_bytes())
    if text is None:
        problems.append(Problem(SETTINGS_FILE, "TOML text encoded as UTF-8", found))
        return None
    try:
        return {"values": tomllib.loads(text), "rows": {}}
    except tomllib.TOMLDecodeError as exc:
        read = "" if encoding == "UTF-8" else f" (the file read as {encoding})"
        problems.append(Problem(SETTINGS_FILE, "valid TOML", f"a syntax error: {exc}{read}"))
        return None


def decode_csv(path: Path) -> tuple[str | None, str | None, str]:
    r"""Decode a CSV file; return (text, encoding name, "") or (None, None, what was found).

    The encoding is detected (:func:`kamanalysis.data.encodings.decode_bytes`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes("name\n华信\n".encode("gbk"))
    >>> decode_csv(f)[1:]
    ('GB18030/GBK', '')
    >>> _ = f.write_bytes("name\n华信\n".encode("utf-16"))
    >>> decode_csv(f)[1:]
    ('UTF-16', '')
    """
    return decode_bytes(path.read_bytes())


def csv_encodings(folder: str | Path) -> dict[str, str]:
    """Return how each table's CSV file in ``folder`` is read (file -> encoding, delimiter).

    The delimiter is named only when it is not a comma.

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
            text, name, _ = decode_csv(file)
            if name is not None:
                delimiter = sniff_delimiter(text, table)
                if delimiter != ",":
                    name += f", {DELIMITERS[delimiter]}-delimited"
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


def read_workbook(
    path: Path, problems: list[Problem], absent: list[str] | None = None
) -> tuple[dict | None, dict[str, RawTable]]:
    """Read the settings sheet and one sheet per table from an .xlsx workbook.

    As :func:`read_folder`, a table that is not required may be left out (``absent``); so
    may its sheet hold only the header (as in ``kam template``'s workbook). A formula that
    has no computed value and merged cells are problems
    (:func:`~kamanalysis.data.xlsx_cells.scan_workbook`), not blanks.
    """
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
    hidden = scan_workbook(path)
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
        hidden_cell_problems(file, SETTINGS_SHEET, ["setting", "value"], hidden, problems)
    raws: dict[str, RawTable] = {}
    for table in TABLES.values():
        if table.name not in sheets:
            if not table.required and absent is not None:
                absent.append(table.name)
                continue
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
        raw = _from_records(file, table.name, header, records[1:])
        if not raw.rows and not table.required and absent is not None:
            absent.append(table.name)  # the header and no rows (the template): not provided
            continue
        known = [h if h in table.column_names else "" for h in header]
        raw.reported = frozenset(hidden_cell_problems(file, table.name, known, hidden, problems))
        raws[table.name] = raw
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


def _number(value: object, decimal: str = ".") -> tuple[float | None, str | None]:
    """Return the finite number in a cell, or (None, the other decimal mark's name or None)."""
    if isinstance(value, bool):
        return None, None
    if isinstance(value, numbers.Number):
        out = float(value)
    else:
        out, mark = number_text(str(value), decimal)
        if out is None:
            return None, mark
    return (out, None) if math.isfinite(out) else (None, None)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_cell(
    value: object, column: Column, scales: dict, decimal: str = "."
) -> tuple[object, str | None]:
    """Convert one raw cell to the column's type.

    Returns ``(value, None)`` on success (``value`` is None for an allowed blank)
    and ``(None, found)`` on failure, ``found`` describing what was there. ``decimal`` is
    the engagement's decimal mark for numbers written as text
    (:mod:`kamanalysis.data.decimals`): a number written with the other one is named.

    Examples
    --------
    >>> revenue = TABLES["account_quarters"].column("revenue")
    >>> parse_cell("5,913,042.96", revenue, {}), parse_cell("5913042,96", revenue, {}, ",")
    ((5913042.96, None), (5913042.96, None))
    >>> print(parse_cell("2,5", revenue, {})[1])
    "2,5": a decimal comma (declare decimal = "," under [engagement] (engagement.decimal), \
or use a point)
    """
    value = _unquote(value)
    if is_blank(value):
        return (None, None) if column.nullable else (None, "blank")
    kind = column.kind
    if kind == "text":  # control characters (terminal escapes, line breaks) show as symbols
        return plain(_text(value)), None
    if kind == "id":
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
    number, mark = _number(value, decimal)
    if number is None:
        if mark is not None:
            return None, f"{describe(value)}: {mark} ({MARK_HINTS[mark]})"
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
    table: Table, raw: RawTable | None, scales: dict, problems: list[Problem], decimal: str = "."
) -> pd.DataFrame:
    """Turn a raw table into a typed frame, recording every bad cell.

    Column by column (:func:`parse_column`). A table that is absent (``raw`` None) and an
    :attr:`~kamanalysis.base.schema.Column.optional` column left out read as blank, typed.
    The header is checked first (:func:`~kamanalysis.data.header.header_problems`: a column
    twice, a misspelled column) and, in a CSV file, rows longer than the header.
    """
    n = len(raw.rows) if raw is not None else 0
    data: dict[str, object] = {}
    position: dict[str, int] = {}
    if raw is not None:
        for i, name in enumerate(raw.header):
            if name:
                position.setdefault(name, i)  # a second copy is an error, not the winner
        meant = header_problems(table, raw.file, raw.sheet, raw.header, problems)
        problems += long_rows(raw.file, len(raw.header), raw.long, raw.delimiter)
        missing = [
            c
            for c in table.columns
            if c.name not in position and not c.optional and c.name not in meant
        ]
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
        if not raw.rows:
            problems.append(
                Problem(raw.file, "at least one data row", "none", sheet=raw.sheet, kind="empty")
            )
    for c in table.columns:
        index = position.get(c.name)
        if raw is None or index is None:
            data[c.name] = _typed([None] * n, c)
            continue
        values, bad = parse_column(
            raw.cells_of(index), c, scales, plain=raw.plain_text, decimal=decimal
        )
        expected = c.expectation(scales) if bad else ""
        for i, found in bad:
            if raw.reported and (raw.rows[i], c.name) in raw.reported:
                continue
            problems.append(
                Problem(raw.file, expected, found, row=raw.rows[i], column=c.name, sheet=raw.sheet)
            )
        data[c.name] = _typed(values, c)
    return pd.DataFrame(data, columns=table.column_names)


def empty_table(table: Table) -> pd.DataFrame:
    """Return a table with no rows: its declared columns, each of its type.

    Examples
    --------
    >>> empty_table(TABLES["forces"]).dtypes["weight"], len(empty_table(TABLES["forces"]))
    (dtype('float64'), 0)
    """
    return typed_table(table, None, {}, [])


def _typed(values, column: Column) -> pd.Series:
    """Return parsed values (None or NaN for blanks) as a Series of the column's dtype."""
    dtype = DTYPES[column.kind]
    if dtype == "float64":
        if isinstance(values, np.ndarray) and values.dtype == np.float64:
            return pd.Series(values, dtype="float64")
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if dtype == "Int64":
        numbers = np.asarray(
            [np.nan if v is None else v for v in values]
            if not isinstance(values, np.ndarray)
            else values,
            dtype="float64",
        )
        missing = np.isnan(numbers)
        return pd.Series(
            pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype("int64"), missing)
        )
    if dtype.startswith("datetime"):
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
    return pd.Series(pd.array(np.asarray(values, dtype=object), dtype=dtype))


_NUMERIC = ("number", "rating", "weight", "int")


def parse_column(
    cells, column: Column, scales: dict, *, plain: bool = False, decimal: str = "."
) -> tuple[list | np.ndarray, list[tuple[int, str]]]:
    """Convert one column's raw cells; return the values and the (position, found) of bad cells.

    The same as :func:`parse_cell` cell by cell, in whole columns: numbers are converted
    by numpy and checked against their bounds at once; every other kind is parsed once
    per distinct cell. Only the cells the fast path does not accept go through
    :func:`parse_cell` one by one, which also words their problems. ``plain=True`` says
    the caller knows every cell is text; ``decimal`` is the engagement's decimal mark.

    Examples
    --------
    >>> days = TABLES["account_quarters"].column("payment_days")
    >>> values, bad = parse_column(["45", " 60 ", "abc", "-1"], days, {})
    >>> [float(v) for v in values[:2]], bad
    ([45.0, 60.0], [(2, '"abc"'), (3, '-1')])
    """
    if not isinstance(cells, np.ndarray) or cells.dtype != object:
        array = np.empty(len(cells), dtype=object)
        array[:] = list(cells)
        cells = array
    if column.kind in _NUMERIC:
        values, accepted = _numeric_column(cells, column, scales, plain=plain, decimal=decimal)
        blank_ok = (cells == "") if column.nullable else None
    else:
        values, accepted = _distinct_column(cells, column, scales, plain=plain)
        blank_ok = None
    bad = []
    for i in np.flatnonzero(~accepted).tolist():
        if blank_ok is not None and blank_ok[i]:
            continue
        value, found = parse_cell(cells[i], column, scales, decimal)
        values[i] = (np.nan if value is None else value) if values.dtype != object else value
        if found is not None:
            bad.append((i, found))
    return values, bad


def _numeric_column(
    cells: np.ndarray, column: Column, scales: dict, *, plain: bool, decimal: str = "."
):
    """Numbers of a column and which cells they are certain for (the rest: :func:`parse_cell`).

    A cell is certain when ``float()`` reads it as it stands (a number, or text without
    thousands separators or a percent sign) and it is finite and within the column's
    bounds: :func:`parse_cell` would read the same number. With a decimal comma, text
    holding a point is left to :func:`parse_cell` (there a point groups thousands).
    """
    if plain:
        # a column of numbers holds few distinct texts (ratings) or is read in one numpy cast
        codes, distinct = pd.factorize(cells)
        distinct = np.asarray(distinct, dtype=object)
        empty = distinct == ""
        try:
            numbers = np.where(empty, "nan", distinct).astype("float64")
            read = ~empty
        except (ValueError, TypeError):
            numbers, read = _floats(distinct)
        if decimal != ".":
            read &= ~_holds_point(distinct)
        numbers, read = numbers[codes], read[codes]
    else:
        numbers, read = _floats(cells)
        if decimal != ".":
            read &= ~_holds_point(cells)
    with np.errstate(invalid="ignore"):
        ok = read & np.isfinite(numbers)
        kind = column.kind
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
    numbers[~ok] = np.nan
    return numbers, ok


def _holds_point(cells: np.ndarray) -> np.ndarray:
    """Which cells are text holding a point."""
    return np.fromiter(
        (type(v) is str and "." in v for v in cells.tolist()), dtype=bool, count=len(cells)
    )


def _floats(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Read each number, or text that ``float()`` reads as it stands; say which were read."""
    numbers = np.full(len(cells), np.nan)
    read = np.zeros(len(cells), dtype=bool)
    for i, v in enumerate(cells.tolist()):
        t = type(v)
        if t is float or t is int or t is str:
            try:
                numbers[i] = float(v)
            except (ValueError, OverflowError):
                continue
            read[i] = True
    return numbers, read


def _distinct_column(cells: np.ndarray, column: Column, scales: dict, *, plain: bool):
    """Parse each distinct text cell once with :func:`parse_cell`; other cells are left over.

    Text cells read the same wherever they stand, so parsing the distinct ones is parsing
    them all. Cells of other types (from a workbook) are not accepted here.
    """
    n = len(cells)
    values = np.empty(n, dtype=object)
    accepted = np.zeros(n, dtype=bool)
    if plain:
        where = None
        text = cells
    else:
        is_text = np.fromiter((type(v) is str for v in cells.tolist()), dtype=bool, count=n)
        where = np.flatnonzero(is_text)
        text = cells[where]
    if len(text) == 0:
        return values, accepted
    codes, distinct = pd.factorize(text)
    if column.kind in ("id", "text"):
        parsed = [_parse_text(v, column, scales) for v in distinct.tolist()]
    else:
        parsed = [parse_cell(v, column, scales) for v in distinct.tolist()]
    out = np.empty(len(parsed), dtype=object)
    out[:] = [v for v, _ in parsed]
    good = np.fromiter((f is None for _, f in parsed), dtype=bool, count=len(parsed))
    if where is None:
        values[:] = out[codes]
        accepted[:] = good[codes]
    else:
        values[where] = out[codes]
        accepted[where] = good[codes]
    return values, accepted


def _parse_text(value: str, column: Column, scales: dict) -> tuple[object, str | None]:
    """:func:`parse_cell` for a text cell of an ``id`` or ``text`` column, in short."""
    if value[:1] == "'":
        return parse_cell(value, column, scales)
    text = value.strip()
    if text:
        return (plain(text) if column.kind == "text" else text), None
    return (None, None) if column.nullable else (None, "blank")
