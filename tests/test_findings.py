"""Findings come from rules kept as data: a new row is a new finding, no code touched."""

from __future__ import annotations

import shutil
from collections import ChainMap

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base import i18n
from kamanalysis.diagnosis.summary import bu_facts
from kamanalysis.report import findings
from kamanalysis.report.findings import OPERATORS, Condition, _holding, evaluate, load_rules

FACTS = {
    "revenue_yoy": -0.05,
    "revenue_m": 10.0,
    "year_ago": "2025Q3",
    "quarter": "2026Q3",
    "currency": "CNY",
}


def test_the_package_rules_load_and_speak_both_languages():
    rules = load_rules()
    assert rules["id"].is_unique and len(rules) >= 15
    for rule in rules.itertuples():
        assert findings.placeholders(rule.finding_en) == findings.placeholders(rule.finding_zh), (
            rule.id
        )
        assert findings.placeholders(rule.action_en) == findings.placeholders(rule.action_zh), (
            rule.id
        )
        if rule.tactic:
            assert i18n.has(f"tactic.{rule.tactic}"), rule.id


def test_adding_a_row_to_the_rules_table_adds_a_finding(tmp_path):
    path = tmp_path / "rules.csv"
    shutil.copy(findings.RULES_FILE, path)
    before = evaluate(FACTS, rules=load_rules(path))
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            "deep_fall,overview,bu,revenue_yoy <= -0.05,1,7,"
            "Sales down {revenue_yoy:.0%}.,销售下降 {revenue_yoy:.0%}。,Ask about our staff.,征求意见。\n"
        )
    after = evaluate(FACTS, rules=load_rules(path))
    assert len(after) == len(before) + 1
    new = after.set_index("id").loc["deep_fall"]
    assert new["finding"] == "Sales down -5%." and new["action"] == "Ask about our staff."
    assert new["tactic"].startswith("7. ask key accounts regularly about our sales staff")


@pytest.mark.parametrize(
    ("value", "fires"), [(-0.05, True), (-0.0499, False), (float("nan"), False), (None, False)]
)
def test_a_condition_fires_on_its_boundary_and_never_on_a_missing_fact(value, fires):
    facts = {**FACTS, "revenue_yoy": value}
    assert ("revenue_falls" in evaluate(facts)["id"].tolist()) is fires


def test_missing_and_fact_to_fact_comparisons():
    rule = findings.parse_when("a == missing and b != @c")
    assert all(c.holds({"b": "x", "c": "y"}) for c in rule)
    assert not all(c.holds({"a": 1.0, "b": "x", "c": "y"}) for c in rule)
    assert not all(c.holds({"b": "x", "c": "x"}) for c in rule)


def test_a_rule_needs_every_fact_its_text_names():
    facts = dict(FACTS)
    del facts["revenue_m"]  # the condition holds, but the text could not be written
    assert "revenue_falls" not in evaluate(facts)["id"].tolist()


def test_account_rules_name_the_accounts_that_triggered_them(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "id,section,scope,when,priority,tactic,finding_en,finding_zh,action_en,action_zh\n"
        "late,portfolio,account,payment_days > 90,1,8,"
        "{n_accounts} accounts pay late: {accounts}.,{n_accounts} 个客户付款迟缓：{accounts}。,,\n",
        encoding="utf-8",
    )
    accounts = pd.DataFrame(
        {"name": ["Alpha", "Beta", "Gamma"], "payment_days": [120.0, 30.0, 91.0]},
        index=["A1", "A2", "A3"],
    )
    found = evaluate({}, accounts=accounts, rules=load_rules(path), lang="zh")
    assert found.loc[0, "finding"] == "2 个客户付款迟缓：Alpha, Gamma。"
    assert found.loc[0, "accounts"] == ["A1", "A3"]


def test_a_broken_rules_file_names_every_problem(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "id,section,scope,when,priority,tactic,finding_en,finding_zh,action_en,action_zh\n"
        "a,pest,bu,x < 1,1,,A,甲,,\n"
        "a,pest,region,x ~ 1,5,,A,,do,\n",
        encoding="utf-8",
    )
    with pytest.raises(kam.InputValidationError) as info:
        load_rules(path)
    text = str(info.value)
    for expected in (
        "rules.csv row 3, column id: expected a unique id, got a again (first in row 2)",
        'rules.csv row 3, column scope: expected one of bu, account, each_account, got "region"',
        "rules.csv row 3, column priority: expected 1, 2 or 3, got 5",
        "rules.csv row 3, column when: expected conditions written fact op value",
        "rules.csv row 3, column finding_zh: expected the finding's text, got blank",
        "rules.csv row 3, column action_zh: expected an action in both languages, or in none",
    ):
        assert expected in text


def test_on_the_sample_coatings_is_falling_and_the_chinese_names_the_force(sample):
    ic = evaluate(bu_facts(sample, "IC"), lang="zh").set_index("id")
    assert "revenue_falls" in ic.index and ic.loc["revenue_falls", "priority"] == 1
    assert "同业竞争" in ic.loc["strongest_force", "finding"]
    pv = evaluate(bu_facts(sample, "PV")).set_index("id")
    assert "revenue_falls" not in pv.index


def test_a_tool_without_rows_is_not_assessed_and_gives_no_finding(sample_copy):
    pest = pd.read_csv(sample_copy / "pest.csv")
    keep = ~((pest["bu_id"] == "IC") & (pest["quarter"] == "2026Q3"))
    pest.loc[keep].to_csv(sample_copy / "pest.csv", index=False)
    eng = kam.load_engagement(sample_copy)
    facts = bu_facts(eng, "IC")
    assert facts["not_assessed"] == ["pest"] and "pest_net" not in facts
    assert "pest" not in evaluate(facts)["section"].tolist()


# ---------------------------------------------------------------- account rules on whole columns

_CELLS = {
    "x": st.one_of(st.floats(-3, 3), st.just(float("nan"))),
    "n": st.integers(-3, 3),
    "flag": st.booleans(),
    "word": st.sampled_from(["early", "mid", "seller", "none"]),
    "mixed": st.one_of(st.none(), st.integers(-2, 2), st.sampled_from(["a", "2", "True"])),
}
_VALUES = st.one_of(
    st.sampled_from([-1.0, 0.0, 0.5, 2.0]),
    st.sampled_from(["early", "True", "False", "2", "a", "missing"]),
    st.sampled_from(["@x", "@n", "@bu_number", "@bu_word", "@absent"]),
)
_CONDITIONS = st.builds(
    Condition,
    st.sampled_from([*_CELLS, "bu_number", "bu_word", "absent"]),
    st.sampled_from(list(OPERATORS)),
    _VALUES,
)


@st.composite
def _frames(draw):
    n = draw(st.integers(0, 12))
    data = {name: draw(st.lists(cell, min_size=n, max_size=n)) for name, cell in _CELLS.items()}
    frame = pd.DataFrame(data)
    frame["word"] = frame["word"].astype("str")
    frame["mixed"] = frame["mixed"].astype(object)
    return frame


@settings(max_examples=300, deadline=None)
@given(_frames(), st.lists(_CONDITIONS, min_size=1, max_size=3))
def test_account_rules_on_whole_columns_agree_with_the_test_row_by_row(frame, conditions):
    # the vectorised test is only a faster way of asking Condition.holds for each row
    facts = {"bu_number": 0.5, "bu_word": "early", "x": 99.0}
    expected = [
        all(c.holds(ChainMap(row, facts)) for c in conditions) for row in frame.to_dict("records")
    ]
    assert _holding(conditions, frame, facts).tolist() == expected
