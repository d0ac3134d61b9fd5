"""Issue 25, item 1: input as consultants really have it, read right or refused.

One test per silent misread and unclear message the issue lists, each on a copy of the sample
edited as described: a correct read, or a message naming file, row and column.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile

import pandas as pd
import pytest
from conftest import read_rows, set_cell, write_rows
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.cli import main
from kamanalysis.data.reading import csv_encodings, parse_cell, parse_column
from kamanalysis.data.workbook import write_template

REVENUE = TABLES["account_quarters"].column("revenue")


def problems_of(path) -> list[str]:
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(path)
    return [str(p) for p in info.value.problems]


def set_setting(folder, line: str) -> None:
    """Set the decimal mark in engagement.toml (the sample declares the default)."""
    path = folder / "engagement.toml"
    text = path.read_text(encoding="utf-8")
    assert 'decimal = "."\n' in text
    path.write_text(text.replace('decimal = "."\n', f"{line}\n", 1), "utf-8")


def blank_chinese_names(rows: list[list[str]]) -> list[list[str]]:
    """Blank the name_zh columns (issue 20): a file in a legacy encoding may not hold them."""
    zh = [j for j, column in enumerate(rows[0]) if column.endswith("_zh")]
    for row in rows[1:]:
        for j in zh:
            row[j] = ""
    return rows


def write_text(path, rows, *, delimiter=",", encoding="utf-8") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


@pytest.fixture
def sample_xlsx(tmp_path, recent_workbook):
    """A copy of the sample's workbook cut to its last two quarters (conftest), to edit:
    formulas, merged cells and headers read the same whatever the number of rows."""
    return shutil.copyfile(recent_workbook, tmp_path / "sample.xlsx")


# ------------------------------------------------------------------ decimal commas


def test_a_decimal_comma_is_an_error_naming_the_cell_not_25(sample_copy):
    set_cell(sample_copy, "account_quarters", 2, "revenue", "5913042,96")
    set_cell(sample_copy, "account_quarters", 3, "gross_margin_pct", "2,5")
    found = problems_of(sample_copy)
    assert found == [
        'account_quarters.csv row 2, column revenue: expected a number >= 0, got "5913042,96": '
        'a decimal comma (declare decimal = "," under [engagement] (engagement.decimal), '
        "or use a point)",
        "account_quarters.csv row 3, column gross_margin_pct: expected a number >= -100 and "
        '<= 100, got "2,5": a decimal comma (declare decimal = "," under [engagement] '
        "(engagement.decimal), or use a point)",
    ]


def test_thousands_separators_in_threes_still_read(sample_copy):
    set_cell(sample_copy, "account_quarters", 2, "revenue", "5,913,042.96")
    assert kam.load_engagement(sample_copy).account_quarters["revenue"].iloc[0] == 5913042.96


def european(folder) -> None:
    """Save every table as Excel does where the decimal mark is a comma: ';' and ','."""
    set_setting(folder, 'decimal = ","')
    for table in TABLES.values():
        path = folder / table.filename
        rows = read_rows(path)
        numeric = [
            j
            for j, name in enumerate(rows[0])
            if table.column(name).kind in ("number", "rating", "weight", "int")
        ]
        for row in rows[1:]:
            for j in numeric:
                row[j] = row[j].replace(".", ",")
        write_text(path, rows, delimiter=";")


def test_decimal_comma_declared_reads_a_european_export(sample, sample_copy):
    european(sample_copy)
    set_cell_raw = (sample_copy / "account_quarters.csv").read_text(encoding="utf-8")
    assert ";5913042,96;" in set_cell_raw
    (sample_copy / "account_quarters.csv").write_text(
        set_cell_raw.replace(";5913042,96;", ";5.913.042,96;", 1), encoding="utf-8"
    )  # thousands grouped by points
    eng = kam.load_engagement(sample_copy)
    assert eng.settings["engagement"]["decimal"] == ","
    for name, frame in sample.tables.items():
        pd.testing.assert_frame_equal(eng.tables[name], frame)
    assert csv_encodings(sample_copy)["account_quarters.csv"] == "UTF-8, ';'-delimited"


def test_a_decimal_point_where_a_comma_is_declared_is_named(sample_copy):
    european(sample_copy)
    path = sample_copy / "account_quarters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(";")
    fields[lines[0].split(";").index("payment_days")] = "30.5"
    lines[3] = ";".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems_of(sample_copy) == [
        'account_quarters.csv row 4, column payment_days: expected a number >= 0, got "30.5": '
        'a decimal point (the engagement declares decimal = ","; write a comma, or declare '
        'decimal = ".")'
    ]


def test_an_unknown_decimal_mark_is_a_setting_error(sample_copy):
    set_setting(sample_copy, 'decimal = ";"')
    assert problems_of(sample_copy) == [
        'engagement.toml, column engagement.decimal: expected one of "." or ",", got ";"'
    ]


NUMBER_TEXT = st.one_of(
    st.sampled_from(["2,5", "2.5", "1.234", "1,234", "5.913.042,96", "5,913,042.96", "1e3"]),
    st.sampled_from(["", " 3 ", "-1,5", ",5", "1,2,3", "29,5%", "nan", "x"]),
    st.text(alphabet="0123456789,.-", max_size=7),
)


@given(st.lists(NUMBER_TEXT, max_size=8), st.sampled_from([".", ","]), st.booleans())
def test_the_fast_path_agrees_with_parse_cell_for_either_decimal_mark(cells, decimal, plain):
    column = TABLES["account_quarters"].column("gross_margin_pct")
    values, bad = parse_column(cells, column, {}, plain=plain, decimal=decimal)
    one_by_one = [parse_cell(c, column, {}, decimal) for c in cells]
    assert bad == [(i, f) for i, (_, f) in enumerate(one_by_one) if f is not None]
    for got, (want, _) in zip(list(values), one_by_one, strict=True):
        assert (got != got) if want is None else got == want


# ------------------------------------------------------------------ the header


def test_a_duplicate_header_names_both_columns_not_the_last_wins(sample_copy):
    path = sample_copy / "accounts.csv"
    rows = read_rows(path)
    for row in rows:
        row.append("segment" if row is rows[0] else "Other")
    write_rows(path, rows)
    last = len(rows[0])  # the copy appended as the last column
    assert rows[0].index("segment") + 1 == 4
    assert problems_of(sample_copy) == [
        "accounts.csv row 1, column segment: expected each column once, "
        f"got segment twice, in columns 4 and {last}"
    ]


def test_a_duplicate_header_in_a_workbook_names_the_column_letters(sample_xlsx):
    book = load_workbook(sample_xlsx)
    book["accounts"]["H1"] = "segment"
    book.save(sample_xlsx)
    assert problems_of(sample_xlsx) == [
        "sample.xlsx [accounts] row 1, column segment: expected each column once, "
        "got segment twice, in columns D and H"
    ]


@pytest.mark.parametrize("name", ["manager id", "Manager-ID", "manger_id"])
def test_a_misspelled_optional_column_is_an_error_not_every_manager_lost(sample_copy, name):
    path = sample_copy / "accounts.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("manager_id")] = name
    write_rows(path, rows)
    assert problems_of(sample_copy) == [
        f"accounts.csv row 1, column {name}: expected a column of accounts (other columns are "
        f'ignored), got "{name}": did you mean manager_id?'
    ]


def test_a_misspelled_required_column_is_one_problem(sample_copy):
    path = sample_copy / "business_units.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("industry")] = "Industry "
    write_rows(path, rows)
    found = problems_of(sample_copy)
    assert found == [
        "business_units.csv row 1, column Industry: expected a column of business_units "
        '(other columns are ignored), got "Industry": did you mean industry?'
    ]


def test_unrelated_extra_columns_are_still_allowed(sample, sample_copy):
    path = sample_copy / "accounts.csv"
    rows = read_rows(path)
    for i, row in enumerate(rows):
        row += ["notes", "备注"] if i == 0 else ["call back in May", ""]
    write_rows(path, rows)
    pd.testing.assert_frame_equal(kam.load_engagement(sample_copy).accounts, sample.accounts)


def test_an_unquoted_comma_is_an_error_naming_the_row(sample_copy):
    """The complaint "still without response" is not lost: the row is refused."""
    path = sample_copy / "feedback.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if "Competitors quote lower,2026-09-24," in line)
    lines[row] = lines[row].replace("lower,", "lower, still without response,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_of(sample_copy)
    assert (
        f"feedback.csv row {row + 1}: expected text holding a comma in double quotes, "
        "got 10 fields where the header has 9: an unquoted comma?"
    ) in found
    assert all(f.startswith(f"feedback.csv row {row + 1}") for f in found)


def test_a_quoted_comma_and_empty_columns_right_of_the_table_read(sample_copy):
    """Excel quotes a comma, and pads every row (the header too) to its used range."""
    path = sample_copy / "feedback.csv"
    rows = read_rows(path)
    j = rows[0].index("comment")
    row = next(r for r in rows if r[j] == "Competitors quote lower")
    row[j] = "Competitors quote lower, still without response"
    write_rows(path, [[*r, "", ""] for r in rows])
    comments = kam.load_engagement(sample_copy).feedback["comment"]
    assert (comments == "Competitors quote lower, still without response").sum() == 1


# ------------------------------------------------------------------ delimiters


@pytest.mark.parametrize(("delimiter", "named"), [(";", "';'"), ("\t", "tab"), ("|", "'|'")])
def test_a_semicolon_or_tab_delimiter_is_read_and_named(
    sample, sample_copy, capsys, delimiter, named
):
    for table in ("accounts", "contacts"):
        path = sample_copy / f"{table}.csv"
        write_text(path, read_rows(path), delimiter=delimiter)
    eng = kam.load_engagement(sample_copy)
    pd.testing.assert_frame_equal(eng.accounts, sample.accounts)
    pd.testing.assert_frame_equal(eng.contacts, sample.contacts)
    assert main(["validate", str(sample_copy)]) == 0
    out = capsys.readouterr().out
    assert f"accounts.csv as UTF-8, {named}-delimited" in out


def test_a_header_that_splits_on_nothing_known_still_names_the_missing_columns(sample_copy):
    (sample_copy / "business_units.csv").write_text("a;b;c\nPV;x;y\n", encoding="utf-8")
    found = problems_of(sample_copy)
    assert "business_units.csv, column bu_id: expected a column named bu_id (" in found[0]


# ------------------------------------------------------------------ encodings


def latin_accounts(path) -> list[str]:
    """accounts.csv as a Western European Excel saves it: no Chinese, a few accents."""
    rows = blank_chinese_names(read_rows(path))
    names = ["Müller Papier GmbH", "Société Générale Café", "Informação Águas", "Ærø Stål"]
    for row in rows[1:]:
        row[2] = re.sub(r" [\u4e00-\u9fff]+", "", row[2])
    for row, name in zip(rows[5:], names, strict=False):
        row[2] = name
    write_text(path, rows, encoding="cp1252")
    return [r[2] for r in rows[1:]]


def test_windows_1252_reads_mueller_not_mojibake(sample_copy, capsys):
    names = latin_accounts(sample_copy / "accounts.csv")
    eng = kam.load_engagement(sample_copy)
    assert eng.accounts["name"].tolist() == names
    assert "Müller Papier GmbH" in names
    assert csv_encodings(sample_copy)["accounts.csv"] == "Windows-1252"


def big5_contacts(path) -> list[str]:
    """contacts.csv as Traditional Chinese Excel saves it (Big5): traditional names."""
    rows = blank_chinese_names(read_rows(path))
    traditional = ["陳志強", "張偉", "華信工業", "劉麗華", "黃國棟", "鄭淑貞"]
    for i, row in enumerate(rows[1:]):
        if not all(_in_big5(c) for c in row[3]) or i % 40 == 0:
            row[3] = traditional[i % len(traditional)]
    write_text(path, rows, encoding="big5")
    return [r[3] for r in rows[1:]]


def _in_big5(c: str) -> bool:
    try:
        c.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def test_big5_reads_traditional_chinese_not_gb18030_mojibake(sample_copy):
    names = big5_contacts(sample_copy / "contacts.csv")
    eng = kam.load_engagement(sample_copy)
    assert eng.contacts["name"].tolist() == names
    assert "陳志強" in names
    assert csv_encodings(sample_copy)["contacts.csv"] == "Big5"


@pytest.mark.parametrize("table", ["accounts", "contacts", "managers"])
def test_gbk_still_reads_long_and_short_files(sample, sample_copy, table):
    path = sample_copy / f"{table}.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    eng = kam.load_engagement(sample_copy)
    pd.testing.assert_frame_equal(eng.tables[table], sample.tables[table])
    assert csv_encodings(sample_copy)[f"{table}.csv"] == "GB18030/GBK"


def test_utf16_reads_not_binary_data(sample, sample_copy):
    path = sample_copy / "contacts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    pd.testing.assert_frame_equal(kam.load_engagement(sample_copy).contacts, sample.contacts)
    assert csv_encodings(sample_copy)["contacts.csv"] == "UTF-16"


def test_excel_unicode_text_utf16_and_tabs_reads(sample, sample_copy):
    path = sample_copy / "accounts.csv"
    write_text(path, read_rows(path), delimiter="\t", encoding="utf-16")
    pd.testing.assert_frame_equal(kam.load_engagement(sample_copy).accounts, sample.accounts)
    assert csv_encodings(sample_copy)["accounts.csv"] == "UTF-16, tab-delimited"


def test_an_ambiguous_encoding_is_refused_naming_the_candidates(sample_copy):
    """One short name whose bytes read as common characters in both GBK and Big5."""
    path = sample_copy / "business_units.csv"
    rows = blank_chinese_names(read_rows(path))
    rows[1][1] = "貌"
    write_text(path, rows, encoding="big5")
    assert problems_of(sample_copy) == [
        "business_units.csv: expected text encoded as UTF-8 (with or without BOM), UTF-16, "
        'GB18030/GBK, Big5 or Windows-1252, got text that reads differently as GB18030/GBK ("华") '
        'and Big5 ("貌"): save it as "CSV UTF-8"'
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_engagement_toml_with_a_bom_or_in_gbk_reads(sample, sample_copy, encoding):
    path = sample_copy / "engagement.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    eng = kam.load_engagement(sample_copy)
    assert eng.settings == sample.settings
    assert "华信工业集团" in eng.settings["engagement"]["client"]


def test_a_toml_syntax_error_in_gbk_names_the_encoding(sample_copy):
    path = sample_copy / "engagement.toml"
    text = path.read_text(encoding="utf-8").replace('currency = "CNY"', "currency = 人民币")
    path.write_bytes(text.encode("gbk"))
    (found,) = problems_of(sample_copy)
    assert found.startswith("engagement.toml: expected valid TOML, got a syntax error: ")
    assert found.endswith("(the file read as GB18030/GBK)")


# ------------------------------------------------------------------ workbooks


def test_a_formula_without_a_computed_value_is_reported_not_blank(sample_xlsx):
    book = load_workbook(sample_xlsx)
    book["account_quarters"]["D5"] = "=D4*1.02"  # revenue
    book["accounts"]["G3"] = '=IF(TRUE,"PVM01","")'  # manager_id, which may be blank
    book.save(sample_xlsx)  # openpyxl stores formulas without a value
    assert problems_of(sample_xlsx) == [
        "sample.xlsx [accounts] row 3, column manager_id: expected a value (open and save the "
        "workbook in Excel so that it computes it), got a formula without a computed value "
        '("=IF(TRUE,"PVM01","")")',
        "sample.xlsx [account_quarters] row 5, column revenue: expected a value (open and save "
        "the workbook in Excel so that it computes it), got a formula without a computed value "
        '("=D4*1.02")',
    ]


def test_a_formula_excel_computed_reads_as_its_value(recent, sample_xlsx, tmp_path):
    book = load_workbook(sample_xlsx)
    book["account_quarters"]["D5"] = "=D4*1"
    book.save(sample_xlsx)
    want = float(recent.account_quarters["revenue"].iloc[3])
    computed = tmp_path / "computed.xlsx"
    with zipfile.ZipFile(sample_xlsx) as src, zipfile.ZipFile(computed, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if b"<f>D4*1</f>" in data:  # what Excel writes once it has computed the formula
                # openpyxl writes the empty value <v /> or, with lxml installed, <v></v>
                computed_value = f"<f>D4*1</f><v>{want}</v>".encode()
                data = re.sub(rb"<f>D4\*1</f><v(?: ?/>|></v>)", computed_value, data)
            out.writestr(item, data)
    eng = kam.load_engagement(computed)
    assert eng.account_quarters["revenue"].iloc[3] == want


def test_merged_cells_are_reported_not_read_as_blank(sample_xlsx):
    book = load_workbook(sample_xlsx)
    book["accounts"].merge_cells("D2:D4")  # segment
    book.save(sample_xlsx)
    assert problems_of(sample_xlsx) == [
        "sample.xlsx [accounts] rows 2-4, column segment: expected one value in every cell "
        "(unmerge the cells and fill each one), got merged cells D2:D4: only the first holds "
        "the value"
    ]


def test_a_template_with_only_the_required_sheets_filled_loads(tmp_path, sample):
    """The ten optional sheets of `kam template`, header only, count as not provided."""
    path = write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    for row in book["engagement"].iter_rows(min_row=2):
        if row[0].value == "engagement.name":
            row[1].value = "First workshop"
        if row[0].value == "engagement.current_quarter":
            row[1].value = "2026Q3"
    required = [t.name for t in TABLES.values() if t.required]
    for name in required:
        frame = sample.tables[name]
        for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            book[name].append(list(record))
    book.save(path)
    eng = kam.load_engagement(path)
    assert eng.absent == [t.name for t in TABLES.values() if not t.required]
    assert len(eng.accounts) == len(sample.accounts)


def test_an_optional_csv_with_only_its_header_is_not_provided(sample_copy, capsys):
    path = sample_copy / "benchmark.csv"
    path.write_text(",".join(TABLES["benchmark"].column_names) + "\n", encoding="utf-8")
    assert main(["validate", str(sample_copy)]) == 0
    assert "not provided (its tools will say 'not assessed'): benchmark" in capsys.readouterr().out


# ------------------------------------------------------------------ long cells


def test_a_megabyte_bad_cell_is_cut_in_the_message(sample_copy):
    set_cell(sample_copy, "account_quarters", 2, "revenue", "9" * 10 + "x" * 1_000_000)
    (found,) = problems_of(sample_copy)
    assert found.startswith(
        'account_quarters.csv row 2, column revenue: expected a number >= 0, got "9999999999xx'
    )
    assert found.endswith('x…" (1,000,010 characters)') and len(found) < 250
