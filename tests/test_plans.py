"""Account management on the sample: the two manager stories, the indifference story, the
organisation forms, bad input across tables, a partial engagement, and the account plan
(HTML and ``kam account-plan``)."""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest
from conftest import drop_column, set_cell

import kamanalysis as kam
from kamanalysis.cli import main
from kamanalysis.diagnosis import (
    account_indifference,
    account_management,
    account_plan,
    check_management,
)
from kamanalysis.diagnosis.summary import bu_facts, management_facts
from kamanalysis.report.plans import account_plan_html, plan_actions
from kamanalysis.tools.managers import SPAN


def visible(page: str) -> str:
    """The page's text as a reader sees it (tags and the style sheet dropped)."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def recent_copy(tmp_path, recent_folder):
    """A writable copy of the sample cut to its last two quarters (conftest ``recent_folder``):
    for tests of what a change of the data does, not of the sample's figures."""
    return shutil.copytree(recent_folder, tmp_path / "engagement")


# ----------------------------------------------------------------------------- the sample's stories


def test_the_early_stage_seller_fits_his_partnership_accounts_worst(sample):
    pv = account_management(sample, "PV")
    assert pv.assessed
    worst = pv.fit.iloc[0]
    assert pv.fit.index[0] == "PVM01" and worst["main_stage"] == "partnership"
    assert worst["fit"] == pytest.approx(0.475)
    assert worst["fit"] < pv.fit["fit"].iloc[1:].min()
    assert pv.worst.index[:3].tolist() == ["PV001", "PV003", "PV004"]
    gaps = pv.gaps.loc[pv.gaps["manager_id"] == "PVM01"]
    assert gaps["competency"].iloc[0] == "joint_planning"
    assert gaps["action"].iloc[0] == "reassign"
    # his strengths are those of the early stage: no gap there
    assert not {"product_knowledge", "principled_negotiation", "integrity"} & set(
        gaps["competency"]
    )


def test_the_strong_manager_holds_the_most_revenue_within_the_span(sample):
    # issue 17: with key accounts a select few, no manager carries more than the span
    mc = account_management(sample, "MC")
    load = mc.workload
    assert not load["over_span"].any()
    assert load.loc["MCM01", "key_accounts"] <= SPAN["key_accounts"]
    assert load["revenue_share"].idxmax() == "MCM01" and load.loc["MCM01", "revenue_share"] > 0.6
    assert mc.fit.loc["MCM01", "fit"] == pytest.approx(1.0)  # skills are not the problem
    # below the span, the strongest manager may be offered a colleague's account
    assert "MCM01" in set(mc.gaps["colleague"])
    assert not account_management(sample, "PV").workload["over_span"].any()


def test_the_neglected_account_shows_all_three_signs_of_indifference(sample):
    signs = account_indifference(sample, "MC")
    mc001 = signs.loc["MC001"]
    assert mc001["signs"] == 3
    assert mc001["days_since_decider"] == 212 and mc001["executive_visits"] == 0
    assert mc001["unanswered_complaints"] == 1
    facts = management_facts(sample, "MC")
    assert facts["indifferent_ids"].split(", ")[0] == "MC001"


def test_the_management_findings_tell_both_stories(sample):
    pv = kam.findings.evaluate(bu_facts(sample, "PV")).set_index("id")
    # issue 22: his skills fit none of his accounts, so the advice is a swap, never "keep"
    assert "Chen Zhiqiang" in pv.loc["manager_misfit_swap", "finding"]
    action = pv.loc["manager_misfit_swap", "action"]
    assert (
        action.startswith("Swap Zhongyuan Steel") and "(PV001)" in action and "Zhao Gang" in action
    )
    mc = kam.findings.evaluate(bu_facts(sample, "MC"), lang="zh").set_index("id")
    assert "manager_over_span" not in mc.index  # a select few: nobody over the span
    assert "常设" in mc.loc["organisation_to_standing", "action"]


def test_organisation_forms_on_the_sample(sample):
    forms = {bu: account_management(sample, bu).organisation for bu in sample.bu_ids}
    assert forms["PV"]["form"] == "standing_team" and not forms["PV"]["change"]
    # issue 17: six key accounts in MC (a select few) call for a standing team, not a department
    assert forms["MC"]["form"] == "standing_team" and forms["MC"]["current"] == "none"


# ----------------------------------------------------------------------------- bad input


def test_a_manager_of_another_bu_is_named_by_file_row_and_column(sample_copy):
    rows = pd.read_csv(sample_copy / "accounts.csv")
    row = int(rows.index[rows["account_id"] == "PV010"][0]) + 2
    set_cell(sample_copy, "accounts", row, "manager_id", "MCM02")
    eng = kam.load_engagement(sample_copy)
    with pytest.raises(kam.InputValidationError) as err:
        check_management(eng)
    assert [str(p) for p in err.value.problems] == [
        f"accounts.csv row {row}, column manager_id: expected a manager of BU PV "
        f'(MCM02 is in MC), got "MCM02"'
    ]
    with pytest.raises(kam.InputValidationError, match="MCM02 is in MC"):
        account_management(eng, "PV")


def test_an_unknown_manager_is_named_by_file_row_and_column(sample_copy, capsys):
    set_cell(sample_copy, "accounts", 3, "manager_id", "NOBODY")
    message = (
        "accounts.csv row 3, column manager_id: expected a manager_id listed in managers, "
        'got "NOBODY"'
    )
    with pytest.raises(kam.InputValidationError) as err:  # the loader checks the reference
        kam.load_engagement(sample_copy)
    assert str(err.value.problems[0]) == message
    assert main(["validate", str(sample_copy)]) == 1
    assert main(["account-plan", str(sample_copy), "PV001", "--out", "x.html"]) == 1
    assert message in capsys.readouterr().err


def _with_unknown_manager(sample_copy, account_row: int = 2):
    """An engagement changed in memory after loading: only check_management can tell."""
    eng = kam.load_engagement(sample_copy)
    accounts = eng.accounts.copy()
    accounts.loc[account_row - 2, "manager_id"] = "NOBODY"
    eng.tables["accounts"] = accounts
    return eng


def test_check_management_names_an_unknown_manager_in_memory(sample_copy):
    eng = _with_unknown_manager(sample_copy, 3)
    with pytest.raises(kam.InputValidationError) as err:
        check_management(eng)
    assert str(err.value.problems[0]) == (
        "accounts.csv row 3, column manager_id: expected a manager_id listed in managers, "
        'got "NOBODY"'
    )


def test_a_competency_off_its_scale_is_named_by_the_loader(sample_copy):
    set_cell(sample_copy, "managers", 2, "comp_integrity", "7")
    with pytest.raises(
        kam.InputValidationError, match=r"managers.csv row 2, column comp_integrity"
    ):
        kam.load_engagement(sample_copy)


def test_an_engagement_without_managers_loads_and_reports_not_assessed(recent_copy):
    (recent_copy / "managers.csv").unlink()
    drop_column(recent_copy, "accounts", "manager_id")
    eng = kam.load_engagement(recent_copy)
    management = account_management(eng, "PV")
    assert not management.assessed and management.fit.empty
    assert management.organisation["form"] in kam.schema.ORGANISATION_FORMS
    facts = bu_facts(eng, "PV")
    assert facts["managers_assessed"] == 0
    found = kam.findings.evaluate(facts).set_index("id")
    assert "not assessed" in found.loc["management_not_assessed", "finding"]
    assert "Not a key account" in account_plan_html(eng, "PV002")


def test_no_manager_assigned_is_not_assessed(recent_copy):
    accounts = pd.read_csv(recent_copy / "accounts.csv", dtype=str)
    accounts.loc[accounts["bu_id"] == "PV", "manager_id"] = ""
    accounts.to_csv(recent_copy / "accounts.csv", index=False)
    eng = kam.load_engagement(recent_copy)
    assert not account_management(eng, "PV").assessed
    facts = bu_facts(eng, "PV")
    assert facts["managers_assessed"] == 0
    found = kam.findings.evaluate(facts).set_index("id")
    assert "management_not_assessed" in found.index
    plan = account_plan(eng, "PV001")
    assert plan.manager.empty and plan.gaps.empty
    assert "No manager is assigned" in visible(account_plan_html(eng, "PV001"))


# ----------------------------------------------------------------------------- the account plan


def test_the_pv002_plan_says_why_it_is_not_key_and_how_to_manage_it_anyway(sample):
    page = visible(account_plan_html(sample, "PV002", lang="en"))
    assert "Not a key account: opportunistic: less attractive" in page
    assert "big, not key" in page and "pays in" in page
    assert "How to manage it anyway: serve it efficiently" in page
    assert "Keep serving Dongfang Heavy Machinery" in page  # the big-not-key rule's action
    zh = visible(account_plan_html(sample, "PV002", lang="zh"))
    assert "不是大客户" in zh and "仍应如何管理" in zh


def test_the_plan_holds_every_part(sample):
    plan = account_plan(sample, "MC001")
    assert plan.account["stage"] == "partnership"
    assert "coordinator" in plan.role
    assert set(plan.spin["kind"]) >= {"situation", "problem", "implication", "need_payoff"}
    assert plan.churn["cause"].iloc[0] == "indifference"
    page = visible(account_plan_html(sample, "MC001"))
    for heading in (
        "Relationship stage",
        "The manager's role at this stage",
        "Buying centre and contact plan",
        "SPIN call plan",
        "Churn risks and their causes",
        "Actions",
    ):
        assert heading in page
    assert "no decider met for 212 days" in page


def test_the_plan_situation_facts_match_the_ledger(sample):
    plan = account_plan(sample, "PV002")
    ledger = sample.account_quarters.set_index(["account_id", "quarter"]).loc[("PV002", "2026Q3")]
    facts = plan.spin.loc[plan.spin["kind"] == "situation"].set_index("topic")["value"]
    assert facts["revenue"] == ledger["revenue"]
    assert facts["payment_days"] == ledger["payment_days"]
    assert facts["share_of_wallet"] == pytest.approx(ledger["revenue"] / ledger["category_spend"])


def test_the_plan_escapes_what_the_data_says(recent_copy):
    rows = pd.read_csv(recent_copy / "accounts.csv")
    row = int(rows.index[rows["account_id"] == "PV002"][0]) + 2
    set_cell(recent_copy, "accounts", row, "name", "<script>alert(1)</script>")
    page = account_plan_html(kam.load_engagement(recent_copy), "PV002")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_plan_actions_are_the_account_rules_most_urgent_first(sample):
    found = plan_actions(sample, account_plan(sample, "PV001"))
    assert found["priority"].is_monotonic_increasing
    assert "plan_manager_gap" in found["id"].tolist()
    assert all(len(a) == 1 and a[0] == "PV001" for a in found["accounts"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], 'expected an account_id listed in accounts, got "NOPE"'),
        (["PV002", "--quarter", "2023Q1"], 'sales data, 2024Q4 to 2026Q3, got "2023Q1"'),
        (
            ["MC004", "--quarter", "2024Q4"],
            "a customer in 2024Q4, got MC004, a customer since 2025Q2",
        ),
    ],
)
def test_account_plan_command_bad_input(args, message, capsys, tmp_path):
    out = tmp_path / "plan.html"
    assert main(["account-plan", str(kam.paths.SAMPLE_DATA), *args, "--out", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_account_plan_command_writes_the_page(capsys, tmp_path):
    out = tmp_path / "pv002.html"
    code = main(
        ["account-plan", str(kam.paths.SAMPLE_DATA), "PV002", "--lang", "zh", "--out", str(out)]
    )
    assert code == 0
    assert f"to {out}" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "不是大客户" in page


def test_without_the_managers_table_management_is_not_assessed(sample):
    """What the loader will hand over for an engagement without managers (simulated)."""
    tables = {name: frame for name, frame in sample.tables.items() if name != "managers"}
    tables["accounts"] = sample.accounts.drop(columns="manager_id")
    eng = kam.Engagement(sample.settings, tables, sample.source, sample.rows)
    check_management(eng)  # nothing to check
    management = account_management(eng, "PV")
    assert not management.assessed and management.fit.empty
    assert management.organisation["form"] == "standing_team"
    facts = bu_facts(eng, "PV")
    assert facts["managers_assessed"] == 0 and "worst_fit" not in facts
    found = kam.findings.evaluate(facts).set_index("id")
    assert "not assessed" in found.loc["management_not_assessed", "finding"]
    page = visible(account_plan_html(eng, "PV002"))
    assert "Not a key account" in page and "none assigned" in page


def test_restricted_to_a_bu_the_check_names_no_wrong_row(sample_copy):
    eng = _with_unknown_manager(sample_copy, 3)
    bu = eng.accounts.loc[1, "bu_id"]
    with pytest.raises(kam.InputValidationError) as err:
        check_management(eng.for_bu(bu))
    assert str(err.value.problems[0]).startswith("accounts.csv, column manager_id: expected a")


def test_account_plan_from_a_workbook_names_the_sheet(tmp_path, capsys, recent_workbook):
    # the sample's workbook cut to its last two quarters (conftest): a third of the reading
    book = shutil.copyfile(recent_workbook, tmp_path / "eng.xlsx")
    out = tmp_path / "mc001.html"
    assert main(["account-plan", str(book), "MC001", "--out", str(out)]) == 0
    assert "Lin Haiyan" in out.read_text(encoding="utf-8")
    assert main(["account-plan", str(book), "NOPE", "--out", str(out)]) == 1
    assert "eng.xlsx [accounts], column account_id" in capsys.readouterr().err
