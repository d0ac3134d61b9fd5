"""Loading and validating engagements: every problem named by file, row, column, expected, found."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from conftest import drop_column, read_rows, set_cell, write_rows
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.data.engagement import load_snapshot


def problems_of(path) -> list[str]:
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(path)
    return [str(p) for p in info.value.problems]


def test_sample_loads_with_typed_tables(sample):
    assert set(sample.tables) == set(TABLES)
    aq = sample.account_quarters
    assert aq["revenue"].dtype == "float64"
    assert aq["quarter"].dtype == "string"
    assert sample.account_assessments["cross_functional_team"].dtype == "boolean"
    assert sample.account_assessments["contact_points"].dtype == "Int64"
    assert str(sample.contacts["last_contact"].dtype).startswith("datetime64")
    assert sample.current_quarter == "2026Q3"
    assert sample.settings["scales"]["rating"] == [1, 5]
    # blank allowed cells stay missing, not empty strings
    assert sample.pest["expert"].notna().all()
    assert sample.contacts["social_style"].isna().any()


def test_chinese_names_load_unchanged(sample, sample_copy):
    names = sample.accounts.set_index("account_id")["name"]
    assert names["PV002"] == "Dongfang Heavy Machinery 东方重机"
    set_cell(sample_copy, "business_units", 2, "name", "泵阀事业部")
    # an Excel-exported CSV starts with a byte-order mark
    path = sample_copy / "accounts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    eng = kam.load_engagement(sample_copy)
    assert eng.bu_name("PV") == "泵阀事业部"
    assert eng.accounts["account_id"].iloc[0] == "PV001"


def test_for_bu_filters_every_table(sample):
    ic = sample.for_bu("IC")
    for name, frame in ic.tables.items():
        assert set(frame["bu_id"]) == {"IC"}, name
    with pytest.raises(kam.InputValidationError, match="one of the BUs PV, IC, MC"):
        sample.for_bu("XX")


# --------------------------------------------------------------------- the issue's six cases


def corrupt_six(folder):
    """Apply the six corruptions the issue names; return the messages they must give."""
    set_cell(folder, "account_assessments", 2, "att_volume", "9")
    drop_column(folder, "account_quarters", "payment_days")
    set_cell(folder, "account_quarters", 3, "quarter", "2026-3")
    set_cell(folder, "forces", 4, "bu_id", "XX")
    set_cell(folder, "account_quarters", 10, "revenue", "abc")
    # (a header without rows is a table not provided since issue 25: the file is emptied)
    (folder / "value_chain.csv").write_text("", encoding="utf-8")
    return [
        "account_assessments.csv row 2, column att_volume: expected a rating from 1 to 5, got 9",
        "account_quarters.csv, column payment_days: expected a column named payment_days",
        "account_quarters.csv row 3, column quarter: expected a quarter written like 2026Q3, "
        'got "2026-3"',
        'forces.csv row 4, column bu_id: expected a bu_id listed in business_units, got "XX"',
        'account_quarters.csv row 10, column revenue: expected a number >= 0, got "abc"',
        "value_chain.csv: expected a header row, got an empty file",
    ]


def test_all_six_problems_are_found_in_one_pass(sample_copy):
    expected = corrupt_six(sample_copy)
    found = problems_of(sample_copy)
    for message in expected:
        assert any(f.startswith(message) for f in found), (message, found)
    assert len(found) == len(expected)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        (
            "pest",
            5,
            "impact",
            "4",
            "pest.csv row 5, column impact: expected a rating from 1 to 3, got 4",
        ),
        (
            "ife_efe",
            2,
            "rating",
            "4.5",
            "ife_efe.csv row 2, column rating: expected a rating from 1 to 4, got 4.5",
        ),
        (
            "account_quarters",
            4,
            "gross_margin_pct",
            "-120",
            "column gross_margin_pct: expected a number >= -100 and <= 100, got -120",
        ),
        (
            "account_quarters",
            4,
            "payment_days",
            "",
            "row 4, column payment_days: expected a number >= 0, got blank",
        ),
        (
            "account_assessments",
            3,
            "contact_points",
            "2.5",
            "column contact_points: expected a whole number >= 0, got 2.5",
        ),
        (
            "account_assessments",
            3,
            "joint_planning",
            "maybe",
            'column joint_planning: expected yes or no, got "maybe"',
        ),
        (
            "contacts",
            2,
            "role",
            "boss",
            'column role: expected one of decider, influencer, user, gatekeeper, buyer, got "boss"',
        ),
        (
            "contacts",
            2,
            "last_contact",
            "30/09/2026",
            'column last_contact: expected a date written YYYY-MM-DD (or blank), got "30/09/2026"',
        ),
        (
            "account_quarters",
            5,
            "account_id",
            "ZZ999",
            'account_quarters.csv row 5, column account_id: expected an account_id listed in accounts, got "ZZ999"',
        ),
        (
            "account_quarters",
            5,
            "bu_id",
            "IC",
            'row 5, column bu_id: expected PV, the BU of account PV001, got "IC"',
        ),
        (
            "account_quarters",
            5,
            "category_spend",
            "1",
            "row 5, column category_spend: expected at least the revenue",
        ),
        (
            "account_quarters",
            5,
            "quarter",
            "2026Q4",
            'row 5, column quarter: expected a quarter no later than current_quarter 2026Q3, got "2026Q4"',
        ),
        (
            "ife_efe",
            2,
            "kind",
            "threat",
            'row 2, column kind: expected strength or weakness for an IFE factor, got "threat"',
        ),
        (
            "feedback",
            2,
            "respondent_id",
            "NOBODY",
            'feedback.csv row 2, column respondent_id: expected an account_id listed in accounts (source key_account), got "NOBODY"',
        ),
    ],
)
def test_each_bad_value_is_named(sample_copy, table, row, column, value, message):
    set_cell(sample_copy, table, row, column, value)
    found = problems_of(sample_copy)
    assert any(message in f for f in found), found


def test_duplicate_keys_name_both_rows(sample_copy):
    rows = read_rows(sample_copy / "accounts.csv")
    write_rows(sample_copy / "accounts.csv", [*rows, rows[3]])
    found = problems_of(sample_copy)
    last = len(rows) + 1
    assert (
        f"accounts.csv row {last}, column account_id: expected a unique (account_id), "
        "got account_id=PV003 again (first in row 4)"
    ) in found


def test_missing_file_and_empty_file(sample_copy):
    (sample_copy / "accounts.csv").unlink()  # required; contacts.csv, say, may be left out
    (sample_copy / "feedback.csv").write_text("")
    found = problems_of(sample_copy)
    assert "accounts.csv: expected a table of customer accounts of each BU, got no such file" in (
        found
    )
    assert "feedback.csv: expected a header row, got an empty file" in found


def test_weights_off_by_five_percent_raise_invalid_weights(sample_copy):
    old = set_cell(sample_copy, "ife_efe", 2, "weight", "0.2")
    assert old == "0.15"
    with pytest.raises(kam.InvalidWeightsError) as info:
        kam.load_engagement(sample_copy)
    (problem,) = info.value.problems
    assert str(problem) == (
        "ife_efe.csv rows 2-11, column weight: expected weights of bu_id PV, quarter 2024Q4, "
        "matrix IFE summing to 1 (or 100), got a sum of 1.05"
    )


def test_weights_as_percent_are_accepted(sample_copy):
    rows = read_rows(sample_copy / "forces.csv")
    j = rows[0].index("weight")
    for r in rows[1:]:
        r[j] = str(round(float(r[j]) * 100))
    write_rows(sample_copy / "forces.csv", rows)
    eng = kam.load_engagement(sample_copy)
    assert eng.forces["weight"].iloc[0] == 40.0


def test_benchmark_weight_must_repeat_per_company(sample_copy):
    set_cell(sample_copy, "benchmark", 3, "weight", "0.25")
    found = problems_of(sample_copy)
    assert any(
        "the same weight for factor 'Product quality' on every company's row" in f
        and "rows 2-5" in f
        for f in found
    ), found


def test_settings_problems_name_the_key(sample_copy):
    path = sample_copy / "engagement.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('current_quarter = "2026Q3"', 'current_quarter = "2026-3"')
    text = text.replace("volume = 0.05", "volume = 0.15")
    text = text.replace('language = "en"', 'language = "en"\nnmae = "typo"')
    path.write_text(text, encoding="utf-8")
    found = problems_of(sample_copy)
    assert (
        "engagement.toml, column engagement.current_quarter: expected a quarter written "
        'like 2026Q3, got "2026-3"'
    ) in found
    assert any(
        f.startswith("engagement.toml, column engagement.nmae: expected a known setting")
        for f in found
    )
    assert (
        "engagement.toml, column weights.attractiveness: expected weights summing to 1 "
        "(or 100), got a sum of 1.1"
    ) in found


def test_settings_syntax_error_is_reported_with_the_tables_checked(sample_copy):
    (sample_copy / "engagement.toml").write_text("[engagement\nname = 1", encoding="utf-8")
    set_cell(sample_copy, "pest", 2, "probability", "7")
    found = problems_of(sample_copy)
    assert any(
        f.startswith("engagement.toml: expected valid TOML, got a syntax error") for f in found
    )
    assert any(f.startswith("pest.csv row 2, column probability") for f in found)


def test_declared_scale_drives_the_check(sample_copy):
    path = sample_copy / "engagement.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("rating = [1, 5]", "rating = [0, 10]"),
        encoding="utf-8",
    )
    set_cell(sample_copy, "feedback", 2, "score", "9")
    eng = kam.load_engagement(sample_copy)
    assert eng.feedback["score"].iloc[0] == 9.0


def test_not_a_folder_or_workbook(tmp_path):
    other = tmp_path / "data.json"
    other.write_text("{}")
    assert problems_of(other) == [
        f'{other}: expected an engagement folder or an .xlsx workbook, got a file "data.json"'
    ]


def test_loading_leaves_files_untouched(sample_copy):
    before = {p.name: p.read_bytes() for p in sample_copy.iterdir()}
    kam.load_engagement(sample_copy)
    assert {p.name: p.read_bytes() for p in sample_copy.iterdir()} == before


def test_typed_frames_keep_file_order(sample):
    raw = pd.read_csv(kam.paths.SAMPLE_DATA / "accounts.csv", dtype=str)
    assert sample.accounts["account_id"].tolist() == raw["account_id"].tolist()


# ------------------------------------------- the vectorised loader finds what the old one found

EDIT_VALUES = [
    *("", " ", "XX", "abc", "9", "-1", "2.5", "1,000", "29.5%", "'=x", "'-3", "nan", "inf"),
    *("2027Q1", "2026Q3", "2025Q1", "PV", "IC", "MC", "PV001", "IC003", "yes", "否", "0.5", "0"),
    *("100", "leader", "self", "IFE", "EFE", "threat", "2026/3/5", " 3 ", "1e3", "key_account"),
]
EDITS = st.lists(
    st.tuples(
        # issue 22's tables came after the old loader (quarter rules it cannot phrase)
        st.sampled_from([t for t in TABLES if t not in ("account_actions", "account_needs")]),
        st.sampled_from(["set", "set", "set", "repeat", "drop", "blank line", "short"]),
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=0, max_value=30),
        st.sampled_from([*EDIT_VALUES, None]),
    ),
    min_size=1,
    max_size=6,
)


def _edit(folder, table, op, r, j, value) -> None:
    path = folder / f"{table}.csv"
    rows = read_rows(path)
    r = 1 + r % (len(rows) - 1)
    j %= len(rows[0])
    if op == "set":
        if j >= len(rows[r]):  # a blank line inserted by an earlier edit: nothing to set
            return
        source = rows[1 + (r * 7) % (len(rows) - 1)]
        rows[r][j] = (source[j] if j < len(source) else "") if value is None else value
    elif op == "repeat":
        rows.append(list(rows[r]))
    elif op == "drop":
        del rows[r]
    elif op == "blank line":
        rows.insert(r, [])
    else:
        rows[r] = rows[r][:j]
    write_rows(path, rows)


@settings(max_examples=25, deadline=None)
@given(EDITS)
def test_same_problems_in_the_same_order_as_the_old_loader(tmp_path_factory, recent_folder, edits):
    """Random bad cells, repeated, dropped, blank and short rows: the old loader is the oracle.

    Edited is the sample cut to its last two quarters (conftest ``recent_folder``): every
    table, BU, account and contact, a quarter of the quarterly rows; what each loader finds
    in an edited row does not depend on how many other rows there are, and both loaders
    read the cut three times faster.
    """
    from legacy_loader import load_legacy

    folder = tmp_path_factory.mktemp("edited") / "engagement"
    shutil.copytree(recent_folder, folder)
    for edit in edits:
        _edit(folder, *edit)
    want, want_tables = load_legacy(folder)
    try:
        eng = kam.load_engagement(folder)
    except kam.InputValidationError as exc:
        # the old loader checked no references to managers (they came with the managers table)
        found = [str(p) for p in exc.problems if not _new_reference(p)]
        assert found == want
    else:
        assert want == []
        for name, frame in want_tables.items():
            pd.testing.assert_frame_equal(eng.tables[name], frame)


def _new_reference(problem) -> bool:
    """A problem only the current loader finds: a manager_id not listed in managers, (issue
    22) a need's owner not listed in contacts, or (issue 20) a factor's or company's name in
    Chinese or English that differs between its rows or is shared with another's."""
    names = str(problem.column).endswith(("_zh", "_en")) and (
        " other rows (first row " in problem.expected or "that no other" in problem.expected
    )
    return (
        names
        or "listed in managers" in problem.expected
        or "listed in contacts" in problem.expected
    )


def test_same_problems_as_the_old_loader_in_a_workbook(tmp_path, recent_workbook):
    """The sample cut to its last two quarters (conftest ``recent_workbook``), edited."""
    from legacy_loader import load_legacy

    path = shutil.copyfile(recent_workbook, tmp_path / "edited.xlsx")
    book = load_workbook(path)
    book["pest"]["F2"] = 7
    book["pest"]["F3"] = True  # openpyxl reads TRUE: not a number, though True == 1
    book["account_quarters"]["D5"] = "1,000"
    book["account_quarters"]["E5"] = "-120%"
    book["forces"]["A3"] = "XX"
    book["contacts"]["J2"] = dt.datetime(2026, 3, 5, 14, 30)
    book["contacts"]["J3"] = "2026年3月5日"
    book["contacts"]["A4"] = 12
    book["benchmark"]["D2"] = 0.5
    book.save(path)
    want, _ = load_legacy(path)
    assert len(want) >= 4
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(path)
    assert [str(p) for p in info.value.problems] == want


# ------------------------------------------------------------------ partial engagements

REQUIRED = [t.name for t in TABLES.values() if t.required]
OPTIONAL = [t.name for t in TABLES.values() if not t.required]


@pytest.fixture
def partial_folder(sample_copy):
    """The sample with only the required tables: the sales ledger and little else."""
    for name in OPTIONAL:
        (sample_copy / f"{name}.csv").unlink()
    return sample_copy


def test_required_tables_are_the_three_the_issue_names():
    assert REQUIRED == ["business_units", "accounts", "account_quarters"]


def test_a_folder_with_only_the_required_tables_loads(partial_folder, sample):
    eng = kam.load_engagement(partial_folder)
    assert eng.absent == OPTIONAL
    for name in REQUIRED:
        pd.testing.assert_frame_equal(eng.tables[name], sample.tables[name])
    for name in OPTIONAL:
        frame = eng.tables[name]
        assert frame.empty and list(frame.columns) == TABLES[name].column_names, name
        pd.testing.assert_series_equal(frame.dtypes, sample.tables[name].dtypes, obj=name)
    assert eng.for_bu("PV").absent == OPTIONAL


def test_absent_tables_are_kept_in_the_snapshot(partial_folder, tmp_path):
    eng = kam.load_engagement(partial_folder)
    again = load_snapshot(eng.save_snapshot(tmp_path / "eng.pkl", b"k" * 32), b"k" * 32)
    assert again.absent == OPTIONAL and again.pest.empty


def test_a_workbook_with_only_the_required_sheets_loads(tmp_path, recent, recent_workbook):
    path = shutil.copyfile(recent_workbook, tmp_path / "partial.xlsx")
    book = load_workbook(path)
    for name in OPTIONAL:
        del book[name]
    book.save(path)
    eng = kam.load_engagement(path)
    assert eng.absent == OPTIONAL
    assert len(eng.account_quarters) == len(recent.account_quarters)
    assert eng.forces.empty and eng.forces.dtypes["weight"] == "float64"
    assert eng.location("forces") == ("partial.xlsx", "forces")


def test_a_missing_required_table_is_still_an_error_naming_the_file(partial_folder):
    (partial_folder / "account_quarters.csv").unlink()
    assert problems_of(partial_folder) == [
        "account_quarters.csv: expected a table of sales per account per quarter, got no such file"
    ]


def test_a_required_table_that_is_there_still_needs_its_rows(partial_folder):
    """An optional table with only its header is not provided (issue 25); a required one is."""
    (partial_folder / "pest.csv").write_text(",".join(TABLES["pest"].column_names) + "\n")
    path = partial_folder / "business_units.csv"
    path.write_text(",".join(TABLES["business_units"].column_names) + "\n")
    found = problems_of(partial_folder)
    assert "business_units.csv: expected at least one data row, got none" in found
    assert not [f for f in found if f.startswith("pest.csv")]


def test_an_optional_column_left_out_reads_as_blank_and_passes_its_reference_check(sample_copy):
    """accounts.manager_id is optional and refers to managers, itself not required."""
    drop_column(sample_copy, "accounts", "manager_id")
    (sample_copy / "managers.csv").unlink()
    eng = kam.load_engagement(sample_copy)
    assert eng.accounts["manager_id"].isna().all()
    assert eng.accounts["manager_id"].dtype == "string"
    assert eng.absent == ["managers"] and eng.managers.empty


def test_an_optional_column_given_is_checked_against_its_table(sample_copy):
    set_cell(sample_copy, "accounts", 4, "manager_id", "M9")
    set_cell(sample_copy, "accounts", 7, "manager_id", "")
    assert problems_of(sample_copy) == [
        'accounts.csv row 4, column manager_id: expected a manager_id listed in managers, got "M9"'
    ]


@pytest.mark.parametrize("name", [t for t in OPTIONAL if t not in ("managers", "contacts")])
def test_checks_across_tables_take_a_table_with_no_rows(sample_copy, name):
    """An optional table with its header and no rows is not provided (issue 25): no problem.

    (An empty ``managers`` table also leaves the accounts' manager ids unlisted, an empty
    ``contacts`` table the needs' owners: tests of their own below and in
    tests/test_account_actions.py.)
    """
    path = sample_copy / f"{name}.csv"
    path.write_text(",".join(TABLES[name].column_names) + "\n", encoding="utf-8")
    eng = kam.load_engagement(sample_copy)
    assert eng.absent == [name] and eng.tables[name].empty


def test_an_empty_managers_table_is_not_provided_like_a_missing_one(sample_copy):
    path = sample_copy / "managers.csv"
    path.write_text(",".join(TABLES["managers"].column_names) + "\n", encoding="utf-8")
    eng = kam.load_engagement(sample_copy)
    assert eng.absent == ["managers"] and eng.accounts["manager_id"].notna().any()
