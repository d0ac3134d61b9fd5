"""The xlsx template and writers: the sample through the template format reads back equal."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.data.workbook import write_template


@pytest.fixture
def sample_xlsx(sample_workbook):
    """The sample's workbook, shared (conftest): read it, never save over it."""
    return sample_workbook


def test_sample_through_the_template_format_reads_back_equal(sample, sample_xlsx):
    back = kam.load_engagement(sample_xlsx)
    assert back.settings == sample.settings
    for name in TABLES:
        pd.testing.assert_frame_equal(back.tables[name], sample.tables[name], obj=name)


def test_template_has_notes_and_dropdowns(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["engagement", *TABLES]
    ws = book["account_assessments"]
    headers = [c.value for c in ws[1]]
    assert headers == TABLES["account_assessments"].column_names
    note = ws.cell(row=1, column=headers.index("att_volume") + 1).comment.text
    assert "Expected: a rating from 1 to 5" in note and "higher = more attractive" in note
    letter = ws.cell(row=1, column=headers.index("info_sharing") + 1).column_letter
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"{letter}2:{letter}2000"] == '"none,transactional,regular,open"'
    settings = {r[0]: r[1] for r in book["engagement"].iter_rows(min_row=2, values_only=True)}
    assert settings["scales.rating"] == "1, 5"


def test_empty_template_reads_back_asking_for_data(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(path)
    found = [str(p) for p in info.value.problems]
    assert (
        "t.xlsx [engagement] row 2, column value of engagement.name: expected a value (required), got nothing"
        in found
    )
    empty = [f for f in found if "expected at least one data row, got none" in f]
    # the optional sheets, header only, are not provided (issue 25): only the required ask
    assert len(empty) == len([t for t in TABLES.values() if t.required])
    assert not [f for f in found if "no such" in f]  # every sheet and column is there


def test_filled_template_loads(tmp_path, recent):
    """A consultant fills the template: settings typed in cells, tables pasted below headers.

    The tables are the sample's cut to its last two quarters (conftest ``recent``): a quarter
    of the rows to append and read back, the same kinds of cell.
    """
    path = write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    ws = book["engagement"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "engagement.name":
            row[1].value = "客户诊断 2026"
        if row[0].value == "engagement.current_quarter":
            row[1].value = "2026Q3"
    for name, frame in recent.tables.items():
        sheet = book[name]
        for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            sheet.append([("yes" if v else "no") if isinstance(v, bool) else v for v in record])
    book.save(path)
    eng = kam.load_engagement(path)
    assert eng.name == "客户诊断 2026"
    assert len(eng.accounts) == len(recent.accounts)


def test_workbook_problems_name_the_sheet(tmp_path, recent_workbook):
    """The sample's workbook cut to its last two quarters (conftest), edited into a copy."""
    book = load_workbook(recent_workbook)
    book["pest"]["F2"] = 7  # impact, on a 1-3 scale
    book["account_quarters"]["D5"] = "lots"  # revenue
    del book["accounts"]  # required; a sheet such as contacts may be left out
    empty = book["feedback"]
    empty.delete_rows(1, empty.max_row)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(path)
    found = [str(p) for p in info.value.problems]
    assert "broken.xlsx [pest] row 2, column impact: expected a rating from 1 to 3, got 7" in found
    assert (
        'broken.xlsx [account_quarters] row 5, column revenue: expected a number >= 0, got "lots"'
        in found
    )
    assert "broken.xlsx: expected a sheet named accounts, got no such sheet" in found
    assert "broken.xlsx [feedback]: expected a header row, got an empty sheet" in found


def test_unreadable_workbook(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_text("not a zip")
    with pytest.raises(
        kam.InputValidationError, match=r"junk\.xlsx: expected a readable \.xlsx workbook"
    ):
        kam.load_engagement(path)
