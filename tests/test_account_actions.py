"""Issue 22 (1): the account plans' actions as data, followed up as promises kept or not."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.base.errors import InputValidationError
from kamanalysis.base.schema import TABLES
from kamanalysis.data.engagement import Engagement
from kamanalysis.diagnosis.actions import action_counts, action_facts
from kamanalysis.report.findings import evaluate
from kamanalysis.report.sections import Report
from tests.conftest import set_cell


def test_the_tables_are_declared_optional_with_their_rules():
    actions = TABLES["account_actions"]
    assert not actions.required and not TABLES["account_needs"].required
    assert actions.column("status").allowed == ("open", "done", "dropped")
    assert actions.column("account_id").refers_to == "accounts"
    assert TABLES["account_needs"].column("owner_contact_id").refers_to == "contacts"


def test_the_template_has_a_sheet_per_new_table(tmp_path):
    from openpyxl import load_workbook

    from kamanalysis.data.workbook import write_template

    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert {"account_actions", "account_needs"} <= set(book.sheetnames)
    header = [c.value for c in book["account_actions"][1]]
    assert header == TABLES["account_actions"].column_names


def test_follow_up_returns_one_row_per_action_due_by_the_quarter(sample):
    follow = kam.diagnosis.action_follow_up(sample, "PV")
    raw = sample.account_actions
    due = raw.loc[(raw["bu_id"] == "PV") & (raw["due_quarter"] <= sample.current_quarter)]
    assert len(follow) == len(due) > 0
    assert set(follow["status"]) == {"open", "done", "dropped"}
    assert follow["late"].dtype == bool
    # an action still open after its due quarter is late; one due now and open is not yet
    open_rows = follow.loc[follow["status"] == "open"]
    assert (open_rows["late"] == (open_rows["due_quarter"] < sample.current_quarter)).all()


def test_follow_up_as_of_an_earlier_quarter_sees_later_work_as_open(sample):
    raw = sample.account_actions
    later = raw.loc[(raw["bu_id"] == "PV") & (raw["done_quarter"] == "2026Q2")]
    later = later.loc[later["quarter"] <= "2026Q1"]
    assert len(later)
    follow = kam.diagnosis.action_follow_up(sample, "PV", "2026Q1").set_index(
        ["account_id", "quarter", "action"]
    )
    for row in later.itertuples():
        if row.due_quarter <= "2026Q1":
            seen = follow.loc[(row.account_id, row.quarter, row.action)]
            assert seen["status"] == "open" and pd.isna(seen["done_quarter"])
    assert (follow["due_quarter"] <= "2026Q1").all()


def test_the_sample_story_one_manager_keeps_promises_one_does_not(sample):
    counts = action_counts(sample, "PV")
    keeper, breaker = counts.loc["PVM01"], counts.loc["PVM02"]
    assert keeper["late"] == 0 and keeper["on_time"] == keeper["due"] > 0
    assert breaker["late"] > breaker["due"] / 2 and breaker["on_time"] == 0
    total = counts.loc["all"]
    assert total["due"] == counts.drop(index="all")["due"].sum()
    # data/README.md states the story with these figures
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    story = readme[readme.index("**Promises kept and not kept**") :]
    story = re.sub(r"\s+", " ", story[: story.index("\n\n")])
    assert f"all {keeper['due']} of his actions" in story
    assert f"of her {breaker['due']} actions" in story and f"{breaker['late']} are late" in story
    assert f"{breaker['dropped']} were dropped" in story


def test_a_finding_fires_on_promises_not_kept(sample, sample_diagnosis):
    facts, found = sample_diagnosis("PV")
    assert facts["n_actions_late"] == action_counts(sample, "PV").loc["all", "late"]
    row = found.set_index("id").loc["promises_not_kept"]
    assert row["priority"] == 1 and "Wang Li" in row["finding"]
    assert "kept" not in set(found["id"]) and "promises_kept" not in set(found["id"])
    kept = evaluate({"n_actions_late": 0.0, "n_actions_due": 5.0, "quarter": "2026Q3"})
    assert kept["id"].tolist() == ["promises_kept"]


def test_no_actions_no_facts_and_no_section(sample):
    partial = Engagement(
        sample.settings, dict(sample.tables) | {"account_actions": sample.account_actions[:0]}
    )
    assert action_facts(partial, "PV") == {}
    assert kam.diagnosis.action_follow_up(partial, "PV").empty


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_review_lists_counts_per_manager_and_the_actions_due(
    sample, lang, sample_diagnosis, no_chart_images
):
    facts, found = sample_diagnosis("PV", lang)
    parts = list(Report(sample, "PV", facts, found, lang).parts("review"))
    texts = [p.data for p in parts if isinstance(getattr(p, "data", None), str)]
    title = kam.i18n.text("section.actions", lang)
    due_title = kam.i18n.text("section.actions_due", lang)
    at = next(i for i, t in enumerate(texts) if title in t)
    assert any(due_title in t for t in texts[at:])
    tables = [p for p in parts if hasattr(p, "to_html")]
    html = "".join(t.to_html() for t in tables[-2:])
    wang, chen = ("Wang Li", "Chen Zhiqiang") if lang == "en" else ("王丽", "陈志强")  # issue 20
    assert wang in html and chen in html
    assert kam.i18n.text("value.manager_id.all", lang) in html


def test_bad_actions_are_named_by_file_row_and_column(sample_copy):
    set_cell(sample_copy, "account_actions", 2, "account_id", "PV999")
    set_cell(sample_copy, "account_actions", 3, "due_quarter", "2024Q1")
    set_cell(sample_copy, "account_actions", 4, "status", "finished")
    set_cell(sample_copy, "account_needs", 2, "owner_contact_id", "C99999")
    with pytest.raises(InputValidationError) as caught:
        kam.load_engagement(sample_copy)
    message = str(caught.value)
    assert (
        "account_actions.csv row 2, column account_id: expected an account_id listed in "
        'accounts, got "PV999"'
    ) in message
    assert "account_actions.csv row 3, column due_quarter: expected a quarter no earlier than" in (
        message
    )
    assert 'got "2024Q1"' in message
    assert (
        "account_actions.csv row 4, column status: expected one of open, done, dropped, "
        'got "finished"'
    ) in message
    assert "account_needs.csv row 2, column owner_contact_id" in message


def test_a_contacts_table_with_only_its_header_leaves_the_needs_owners_unchecked(sample_copy):
    # a header-only optional table is not provided (issue 25), like a missing one: the needs'
    # owners then refer to nothing to check against, as accounts' managers without managers
    path = sample_copy / "contacts.csv"
    path.write_text(",".join(TABLES["contacts"].column_names) + "\n", encoding="utf-8")
    eng = kam.load_engagement(sample_copy)
    assert "contacts" in eng.absent and eng.contacts.empty
    assert eng.tables["account_needs"]["owner_contact_id"].notna().any()
