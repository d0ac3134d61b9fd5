"""Issue 18, parts 4 and 5: actions follow from their measured causes; the customers' voice counted."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.schema import DEFAULT_SETTINGS, FEEDBACK_DIMENSIONS, SETTING_NOTES
from kamanalysis.report.brief import executive_summary
from kamanalysis.report.findings import evaluate, load_rules, package_rules
from kamanalysis.report.visits import visit_plan, visit_text
from kamanalysis.tools.themes import keyword_table, recurring_themes, theme_of

#: Falling key-account feedback, the weakest area left open.
FALLING = {
    "feedback_mean": 3.0,
    "feedback_change": -0.4,
    "scale_hi": 5.0,
    "feedback_weakest_score": 2.5,
    "lowest_comment": "Not good",
    "lowest_comment_by": "Acme Steel (A1)",
    "feedback_weakest_accounts": "Acme Steel (A1), Bolt Works (A2)",
}
KEY_ACCOUNTS = pd.DataFrame(
    {"name": ["Acme Steel"], "tier": ["key"], "few_contacts": [True]}, index=["A1"]
)

#: For each of the ten key-account tactics: the rule that leads to it and a measured
#: condition (facts, and accounts for an account rule) under which it fires.
TACTIC_ROUTES = {
    1: ("feedback_falls_delivery", FALLING | {"feedback_weakest": "delivery"}, None),
    2: ("single_threaded", {}, KEY_ACCOUNTS),
    3: ("feedback_falls_quality", FALLING | {"feedback_weakest": "product_quality"}, None),
    4: ("feedback_falls_support", FALLING | {"feedback_weakest": "technical_support"}, None),
    5: (
        "largest_key_shrinks",
        {
            "revenue_yoy": 0.04,
            "largest_key_change_yoy": -0.19,
            "largest_key_account": "Acme Steel (A1)",
        },
        None,
    ),
    6: ("long_boards", {"bench_rank": 2.0, "long_boards": "Brand, Range"}, None),
    7: ("feedback_falls", FALLING | {"feedback_weakest": "sales_staff"}, None),
    8: ("feedback_falls_price", FALLING | {"feedback_weakest": "price"}, None),
    9: (
        "dealer_feedback_falls",
        {
            "dealer_feedback_mean": 2.8,
            "dealer_feedback_change": -0.5,
            "scale_hi": 5.0,
            "dealer_weakest": "service",
            "dealer_weakest_score": 2.3,
        },
        None,
    ),
    10: ("forces_unattractive", {"forces_band": "low", "forces_attractiveness": 2.1}, None),
}


@pytest.mark.parametrize("tactic", sorted(TACTIC_ROUTES))
def test_each_of_the_ten_tactics_is_reached_from_a_measured_condition(tactic):
    rule_id, facts, accounts = TACTIC_ROUTES[tactic]
    rules = package_rules().set_index("id")
    assert rules.loc[rule_id, "tactic"] == str(tactic)
    found = evaluate(facts, accounts=accounts)
    fired = found.loc[found["id"] == rule_id]
    assert len(fired) == 1, found["id"].tolist()
    assert fired["tactic"].iloc[0].startswith(f"{tactic}.")
    assert fired["action"].iloc[0]


def test_the_routes_cover_every_tactic_in_the_catalogue():
    assert set(TACTIC_ROUTES) == set(range(1, 11))
    assert all(kam.i18n.has(f"tactic.{n}") for n in TACTIC_ROUTES)


#: The weakest feedback area -> the rule whose action answers it, and the tactic.
CAUSES = {
    "price": ("feedback_falls_price", "8."),
    "product_quality": ("feedback_falls_quality", "3."),
    "delivery": ("feedback_falls_delivery", "1."),
    "sales_staff": ("feedback_falls", "7."),
    "technical_support": ("feedback_falls_support", "4."),
    "service": ("feedback_falls_service", "4."),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("weakest", FEEDBACK_DIMENSIONS)
def test_falling_feedback_gets_the_action_of_its_weakest_area(weakest, lang):
    found = evaluate(FALLING | {"feedback_weakest": weakest}, lang=lang)
    falls = found.loc[found["id"].str.startswith("feedback_falls")]
    rule_id, tactic = CAUSES[weakest]
    assert falls["id"].tolist() == [rule_id]
    assert falls["tactic"].iloc[0].startswith(tactic)
    # the quote names who said it
    assert "Acme Steel (A1)" in falls["finding"].iloc[0]
    if weakest != "sales_staff":  # the accounts that rated it low are the ones acted with
        assert "Acme Steel (A1), Bolt Works (A2)" in falls["action"].iloc[0]


def test_the_sample_bus_get_the_action_of_their_own_cause(sample, sample_diagnosis):
    expected = {
        "IC": ("feedback_falls_quality", "quality programme", "Nanhai Shipyard 南海船厂 (IC001)"),
        "MC": ("feedback_falls_delivery", "supply plan", "Shenzhou Robotics 神州机器人 (MC001)"),
        "PV": ("feedback_falls_price", "price-and-value case", "Dongfang Heavy Machinery"),
    }
    for bu, (rule_id, words, account) in expected.items():
        _, found = sample_diagnosis(bu)
        falls = found.loc[found["id"].str.startswith("feedback_falls")]
        assert falls["id"].tolist() == [rule_id], bu
        assert words in falls["action"].iloc[0] and account in falls["action"].iloc[0], bu
        assert "adjust the team" not in falls["action"].iloc[0]


def test_visits_are_one_per_account_ranked_by_money_within_capacity():
    found = pd.DataFrame(
        {
            "id": ["exec_visit", "buyer_frustration", "largest_key_shrinks"],
            "visits": [["A1"], ["A1", "A2", "A3"], ["A3"]],
        }
    )
    found.attrs["accounts"] = pd.DataFrame(
        {"name": ["Acme", "Bolt", "Crane"], "account_revenue_m": [1.0, 5.0, 3.0]},
        index=["A1", "A2", "A3"],
    )
    plan = visit_plan(found, capacity=2)
    assert plan.index.tolist() == ["A2", "A3", "A1"]  # one row per account, most revenue first
    assert plan["now"].tolist() == [True, True, False]
    assert plan.loc["A1", "rules"] == "exec_visit, buyer_frustration"
    over = visit_text(plan, 2)
    assert "3 accounts call for a senior-executive visit, more than the 2" in over
    assert "Bolt (A2), Crane (A3)" in over and "Acme" not in over
    within = visit_text(visit_plan(found, capacity=6), 6)
    assert within.startswith("one senior-executive visit to each of these 3 accounts")
    assert "Bolt (A2), Crane (A3), Acme (A1)" in within


def test_the_visit_capacity_is_a_documented_setting(sample):
    assert DEFAULT_SETTINGS["capacity"]["executive_visits_per_quarter"] == 6
    assert "BU head" in SETTING_NOTES["capacity.executive_visits_per_quarter"]
    facts = kam.summary.bu_facts(sample, "PV")
    assert facts["visit_capacity"] == 6


@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
def test_the_summary_sends_a_senior_executive_once_per_account(sample, bu, sample_diagnosis):
    facts, found = sample_diagnosis(bu)
    summary = executive_summary(facts, found)
    actions = summary.split("### Recommended actions")[1]
    visits = [ln for ln in actions.splitlines() if re.search(r"senior-executive visit", ln)]
    assert len(visits) <= 1
    plan = visit_plan(found, facts["visit_capacity"])
    assert plan.index.is_unique
    if bu in ("PV", "MC"):  # a visit answers one of their first issues
        assert len(visits) == 1
        codes = re.findall(r"\(([A-Z]{2}\d{3})\)", visits[0])
        assert len(codes) == len(set(codes)) >= 1
        assert len(plan) > facts["visit_capacity"]  # 18 and 9 accounts call for a visit
        assert f"more than the {facts['visit_capacity']:.0f} a quarter" in visits[0]
    # the summary with room for every visit says so
    roomy = executive_summary(facts | {"visit_capacity": 100.0}, found)
    if visits:
        assert f"one senior-executive visit to each of these {len(plan)} accounts" in roomy


def test_a_rules_file_with_a_bad_visit_is_refused(tmp_path):
    rules = (kam.paths.PACKAGE / "report" / "rules.csv").read_text(encoding="utf-8")
    bad = rules.replace(
        ",bu_head,this_quarter,visit_done,account_revenue_m,accounts",
        ",bu_head,this_quarter,visit_done,account_revenue_m,two words",
        1,
    )
    assert bad != rules
    path = tmp_path / "rules.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(kam.errors.InputValidationError, match="visit"):
        load_rules(path)


def test_one_account_agrees_in_the_singular():
    accounts = pd.DataFrame({"name": ["Acme"], "tier": ["key"], "health": [40.0]}, index=["A1"])
    found = evaluate({}, accounts=accounts)
    risk = found.loc[found["id"] == "churn_risk", "finding"].iloc[0]
    assert risk.startswith("1 key account is at risk"), risk


# --- part 5: the customers' voice counted ---------------------------------------------


def test_themes_group_by_keywords_then_by_normalised_text():
    assert theme_of("Our CONTACT changed again!!") == ("contact_changed", "sales_staff")
    assert theme_of("  Very   helpful, thanks ") == ("very helpful thanks", "")
    assert {t for t, _, _ in keyword_table()} >= {"contact_changed", "late_delivery"}
    comments = pd.DataFrame(
        {
            "quarter": ["2026Q1", "2026Q2", "2026Q3", "2026Q3", "2026Q3"],
            "source": ["dealer", "key_account", "key_account", "key_account", "dealer"],
            "respondent_id": ["North", "A1", "A2", "A1", "South"],
            "dimension": ["service"] * 5,
            "comment": ["Very helpful", "very helpful!", "Very  helpful", "Slow", None],
        }
    )
    themes = recurring_themes(comments)
    assert themes[["theme", "count", "quarters"]].values.tolist() == [["very helpful", 3, 3]]
    assert themes.loc[0, "respondents"] == ["A1", "North", "A2"] or set(
        themes.loc[0, "respondents"]
    ) == {"A1", "North", "A2"}
    assert recurring_themes(comments, least=4).empty


def test_ic_hears_its_contact_changed_eight_times(sample, sample_diagnosis):
    facts, found = sample_diagnosis("IC")
    assert facts["theme_top"] == "Our contact changed again" and facts["theme_top_count"] == 8
    theme = found.loc[found["id"] == "theme_recurs_staff"]
    assert len(theme) == 1
    assert "“Our contact changed again” ×8" in theme["finding"].iloc[0]
    assert "“Competitors quote lower” ×5" in theme["finding"].iloc[0]
    assert "Jinqiao Bridge Engineering 金桥路桥 (IC003)" in theme["action"].iloc[0]
    assert theme["tactic"].iloc[0].startswith("7.")


@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
def test_dealer_feedback_has_findings_of_its_own(sample, bu, sample_diagnosis):
    facts, found = sample_diagnosis(bu)
    dealer = found.loc[found["id"].str.startswith("dealer_feedback")]
    assert len(dealer) == 1
    assert dealer["finding"].iloc[0].startswith("Dealers rate us")
    falling = facts["dealer_feedback_change"] <= -0.2
    assert (dealer["id"].iloc[0] == "dealer_feedback_falls") == falling
    if bu == "IC":  # -0.5 on the quarter, weakest service
        assert falling and "service" in dealer["finding"].iloc[0]


#: The facts that quote what a customer said.
QUOTES = ("lowest_comment", "dealer_lowest_comment", "themes_recurring", "theme_top")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_quoted_comment_names_who_said_it(sample, lang, sample_diagnosis):
    rules = package_rules()
    quoting = {
        r.id
        for r in rules.itertuples()
        if any("{" + q + "}" in r.finding_en + r.action_en for q in QUOTES)
    }
    assert {"feedback_falls", "theme_recurs", "theme_recurs_staff"} <= quoting
    seen = 0
    for bu in sample.bu_ids:
        _, found = sample_diagnosis(bu, lang)
        for row in found.loc[found["id"].isin(quoting)].itertuples():
            for quote in re.finditer(r"“[^”]+”", row.finding):
                seen += 1
                around = row.finding[quote.end() : quote.end() + 120]
                before = row.finding[max(0, quote.start() - 60) : quote.start()]
                who = r"\([A-Z]{2}\d{3}\)|dealer"
                assert re.search(who, around) or re.search(who, before), (bu, row.finding)
    assert seen >= 7  # three falling-feedback quotes, four IC themes
