"""Spreadsheets as they really arrive: percent and date cells, GBK CSV, formula neutralisation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pandas as pd
import pytest
from conftest import read_rows, set_cell
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.cli import main
from kamanalysis.data.reading import _read_csv_text, decode_csv, parse_cell, parse_column
from kamanalysis.data.workbook import neutralise, write_folder, write_workbook

MARGIN = TABLES["account_quarters"].column("gross_margin_pct")
LAST_CONTACT = TABLES["contacts"].column("last_contact")


@pytest.fixture
def sample_xlsx(tmp_path, recent_workbook):
    """A copy of the sample's workbook, cut to its last two quarters (conftest), to edit.

    What a cell's format does to its reading does not depend on the rows around it; the
    cut loads (for editing, then for reading) three to four times faster than the sample.
    """
    return shutil.copyfile(recent_workbook, tmp_path / "sample.xlsx")


def edit_cells(path, sheet: str, column: str, rows: range, change) -> None:
    """Apply ``change(cell)`` to a column's cells of a sheet, as an analyst in Excel would."""
    book = load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    j = header.index(column) + 1
    for r in rows:
        change(ws.cell(row=r, column=j))
    book.save(path)


def test_percent_formatted_margin_cells_read_as_the_percentage_excel_shows(recent, sample_xlsx):
    def as_percent(cell):
        cell.value = cell.value / 100  # Excel keeps 29.5 % as 0.295
        cell.number_format = "0.0%"

    edit_cells(sample_xlsx, "account_quarters", "gross_margin_pct", range(2, 12), as_percent)
    eng = kam.load_engagement(sample_xlsx)
    got = eng.account_quarters["gross_margin_pct"]
    want = recent.account_quarters["gross_margin_pct"]
    pd.testing.assert_series_equal(got, want, rtol=1e-12)
    assert got.iloc[0] > 1  # not silently 100x too small


def test_a_fraction_without_percent_format_stays_as_typed(sample_xlsx):
    edit_cells(sample_xlsx, "account_quarters", "gross_margin_pct", range(2, 3), _set(0.295))
    assert kam.load_engagement(sample_xlsx).account_quarters["gross_margin_pct"].iloc[0] == 0.295


def test_percent_format_in_a_column_that_is_not_a_percentage_changes_nothing(recent, sample_xlsx):
    def percent_format(cell):
        cell.number_format = "0%"

    edit_cells(sample_xlsx, "account_quarters", "payment_days", range(2, 5), percent_format)
    eng = kam.load_engagement(sample_xlsx)
    assert (
        eng.account_quarters["payment_days"].iloc[0]
        == recent.account_quarters["payment_days"].iloc[0]
    )


def _set(value):
    def change(cell):
        cell.value = value

    return change


def test_date_cells_typed_as_dates_load(sample_xlsx):
    def as_date(cell):
        cell.value = dt.datetime(2026, 3, 5, 14, 30)
        cell.number_format = "yyyy/m/d h:mm"

    edit_cells(sample_xlsx, "contacts", "last_contact", range(2, 4), as_date)
    eng = kam.load_engagement(sample_xlsx)
    assert eng.contacts["last_contact"].iloc[0] == pd.Timestamp("2026-03-05")
    assert eng.contacts["last_contact"].dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-05", "2026-03-05"),
        ("2026/3/5", "2026-03-05"),
        ("2026-03-05 00:00:00", "2026-03-05"),
        ("2026/3/5 9:15", "2026-03-05"),
        ("2026年3月5日", "2026-03-05"),
    ],
)
def test_dates_as_excel_writes_them_in_csv(text, day):
    value, found = parse_cell(text, LAST_CONTACT, {})
    assert found is None and value == dt.datetime.fromisoformat(day)


@pytest.mark.parametrize("text", ["5/3/2026", "March 5", "2026-13-01"])
def test_ambiguous_or_wrong_dates_are_named(text):
    assert parse_cell(text, LAST_CONTACT, {}) == (None, f'"{text}"')


def test_numbers_as_text_with_thousands_separators_still_work(sample_copy):
    set_cell(sample_copy, "account_quarters", 2, "revenue", "1,234,567.5")
    assert kam.load_engagement(sample_copy).account_quarters["revenue"].iloc[0] == 1234567.5


@pytest.mark.parametrize(("text", "value"), [("29.5%", 29.5), (" 30 % ", 30.0), ("-2%", -2.0)])
def test_percent_text_in_a_percent_column(text, value):
    assert parse_cell(text, MARGIN, {}) == (value, None)


def test_percent_text_elsewhere_is_named():
    days = TABLES["account_quarters"].column("payment_days")
    assert parse_cell("30%", days, {}) == (None, '"30%"')


def resave(folder, table: str, encoding: str) -> None:
    path = folder / f"{table}.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))


def test_a_gbk_csv_from_chinese_excel_loads_and_validate_names_the_encoding(
    sample, sample_copy, capsys
):
    for table in ("accounts", "contacts"):
        resave(sample_copy, table, "gbk")
    with pytest.raises(UnicodeDecodeError):  # really not UTF-8
        (sample_copy / "accounts.csv").read_text(encoding="utf-8")
    eng = kam.load_engagement(sample_copy)
    pd.testing.assert_frame_equal(eng.accounts, sample.accounts)
    assert "南海船厂" in "".join(eng.accounts["name"])
    assert main(["validate", str(sample_copy)]) == 0
    out = capsys.readouterr().out
    assert (
        "read the CSV files as UTF-8, except accounts.csv as GB18030/GBK, "
        "contacts.csv as GB18030/GBK" in out
    )


def test_utf8_with_bom_loads(sample, sample_copy):
    resave(sample_copy, "accounts", "utf-8-sig")
    assert (sample_copy / "accounts.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    pd.testing.assert_frame_equal(kam.load_engagement(sample_copy).accounts, sample.accounts)


def test_other_encodings_are_a_clear_error_naming_the_file(sample_copy):
    """UTF-16 and Windows-1252 read since issue 25 (tests/test_input_read.py); bytes that no
    candidate encoding reads are still refused."""
    path = sample_copy / "accounts.csv"
    rows = read_rows(path)
    text = "\n".join(",".join(r) for r in rows[:2]) + "\n"
    path.write_bytes(text.encode("utf-8").replace(b"Zhongyuan", b"Zh\x81 ngyuan"))
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(sample_copy)
    (problem,) = [p for p in info.value.problems if p.expected.startswith("text encoded")]
    assert problem.file == "accounts.csv"
    assert problem.expected == (
        "text encoded as UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5 or Windows-1252"
    )
    assert problem.found.startswith("bytes that no candidate encoding reads (GB18030/GBK:")


def test_nul_bytes_are_not_text(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n\x00\x01,2\n")
    assert decode_csv(path) == (None, None, "binary data (NUL bytes): not a CSV file")


# ------------------------------------------------------------------ formula injection


@pytest.mark.parametrize("text", ["=1+1", "+86 21 5555", "-SUM(A1)", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["ok", "华信", "", -3.0, 5, None, "a=b"])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


@pytest.fixture
def hostile(recent):
    """The sample (cut to its last two quarters: conftest ``recent``) with account names an
    attacker (or an unlucky analyst) typed."""
    tables = {name: frame.copy() for name, frame in recent.tables.items()}
    names = ['=HYPERLINK("http://x","y")', "+1-555", "-minus", "@SUM(A1:A2)"]
    tables["accounts"].loc[: len(names) - 1, "name"] = names
    return recent.settings, tables, names


def test_csv_export_neutralises_and_reads_back_unchanged(hostile, tmp_path):
    settings, tables, names = hostile
    folder = write_folder(settings, tables, tmp_path / "out")
    rows = read_rows(folder / "accounts.csv")
    j = rows[0].index("name")
    assert [r[j] for r in rows[1:5]] == ["'" + n for n in names]
    back = kam.load_engagement(folder)
    assert back.accounts["name"].tolist()[:4] == names
    assert (back.account_quarters["revenue"] >= 0).all()


def test_xlsx_export_stores_text_not_formulas_and_reads_back_unchanged(hostile, tmp_path):
    settings, tables, names = hostile
    path = write_workbook(settings, tables, tmp_path / "out.xlsx")
    ws = load_workbook(path)["accounts"]
    j = [c.value for c in ws[1]].index("name") + 1
    cells = [ws.cell(row=r, column=j) for r in range(2, 6)]
    assert [c.data_type for c in cells] == ["s"] * 4  # text, never a formula
    assert [c.value for c in cells] == ["'" + n for n in names]
    assert kam.load_engagement(path).accounts["name"].tolist()[:4] == names


@given(st.text(min_size=1, max_size=12))
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (text, "'" + text)


# ------------------------------------------------------------------ the fast path agrees

CELLS = st.one_of(
    st.sampled_from(["", " ", "3", "4.5", "-1", "1e3", "nan", "inf", "1,200", "29.5%", "'=x"]),
    st.sampled_from(["2026Q3", "2026-03-05", "2026/3/5", "yes", "否", "PV", "engaged", "x"]),
    st.text(max_size=6),
)
COLUMNS = [
    TABLES[t].column(c)
    for t, c in [
        ("account_quarters", "revenue"),
        ("account_quarters", "gross_margin_pct"),
        ("account_quarters", "payment_days"),
        ("account_quarters", "quarter"),
        ("accounts", "name"),
        ("accounts", "account_id"),
        ("contacts", "last_contact"),
    ]
] + [c for t in TABLES.values() for c in t.columns if c.kind in ("bool", "enum", "int", "rating")][
    :8
]


@given(st.lists(CELLS, max_size=8), st.sampled_from(COLUMNS))
def test_parse_column_agrees_with_parse_cell(cells, column):
    scales = {
        "rating": (1, 5),
        "ife_efe": (1, 4),
        "pest_impact": (1, 3),
        "pest_probability": (1, 5),
    }
    values, bad = parse_column(cells, column, scales)
    one_by_one = [parse_cell(cell, column, scales) for cell in cells]
    assert bad == [(i, found) for i, (_, found) in enumerate(one_by_one) if found is not None]
    for got, (want, _) in zip(list(values), one_by_one, strict=True):
        if want is None:
            assert got is None or got != got  # None or NaN
        else:
            assert got == want and isinstance(got, type(want) | float)


# ------------------------------------------------------------- whole columns, as the old loader

WORKBOOK_CELLS = st.one_of(
    CELLS,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)


@given(st.lists(WORKBOOK_CELLS, max_size=8), st.sampled_from(COLUMNS))
def test_parse_column_agrees_with_parse_cell_on_workbook_cells(cells, column):
    """Cells as openpyxl returns them: numbers, True/False (equal to 1/0!), dates, None."""
    scales = {"rating": (1, 5), "ife_efe": (1, 4), "pest_impact": (1, 3)}
    values, bad = parse_column(cells, column, scales)
    one_by_one = [parse_cell(cell, column, scales) for cell in cells]
    assert bad == [(i, found) for i, (_, found) in enumerate(one_by_one) if found is not None]
    for got, (want, _) in zip(list(values), one_by_one, strict=True):
        if want is None:
            assert got is None or got != got
        else:
            assert got == want and isinstance(got, type(want) | float)


CSV_TEXT = st.text(alphabet="ab ,\n\r\t'é1\x0b\x0c\x1c\x85\u2028#", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(CSV_TEXT, st.lists(CSV_TEXT, max_size=6).map(",".join)))
def test_csv_text_splits_as_the_csv_module_splits_it(text):
    """pandas' C parser reads quote-free text into the records and file rows csv.reader gives."""
    from legacy_loader import RawTable as OldRaw

    raw = _read_csv_text("t.csv", text)
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        assert raw is None
        return
    cells, rows = [], []
    for number, record in enumerate(records[1:], start=2):
        if "".join(record).strip():
            cells.append(record)
            rows.append(number)
    old = OldRaw("t.csv", None, [h.strip() for h in records[0]], cells, rows)
    assert raw.header == old.header and raw.rows == old.rows
    for i, column in enumerate(old.columns()):
        assert ["" if v is None else v for v in column] == raw.cells_of(i).tolist()
    for i in range(len(old.columns()), len(raw.header)):
        assert set(raw.cells_of(i).tolist()) <= {""}
