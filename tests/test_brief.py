"""Issue 18: the executive summary answers first, on one screen."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.i18n import text
from kamanalysis.report.brief import (
    CHARACTERS,
    MOST_ACTIONS,
    SECTION_DEFAULTS,
    WORDS,
    executive_summary,
    size,
)
from kamanalysis.report.findings import package_rules

ROLES = {
    "en": (
        "BU head",
        "Key-account managers",
        "Sales director",
        "Senior management",
        "Marketing manager",
    ),
    "zh": ("事业部负责人", "大客户经理", "销售总监", "高层管理者", "市场经理"),
}
DUES = {"en": ("this month", "this quarter", "next quarter"), "zh": ("本月", "本季度", "下季度")}


def _parts(summary: str, lang: str) -> tuple[list[str], list[str]]:
    issues_at = summary.index(text("summary.issues", lang))
    actions_at = summary.index("### " + text("summary.actions", lang))
    numbered = re.compile(r"^\d+\. ", re.M)
    issues = [ln for ln in summary[issues_at:actions_at].splitlines() if numbered.match(ln)]
    actions = [ln for ln in summary[actions_at:].splitlines() if numbered.match(ln)]
    return issues, actions


@pytest.fixture(scope="module")
def summaries(sample, sample_diagnosis):
    out = {}
    for bu in sample.bu_ids:
        for lang in ("en", "zh"):
            facts, found = sample_diagnosis(bu, lang)  # kam.findings.diagnose(sample, ...)
            out[bu, lang] = (facts, found, executive_summary(facts, found, lang))
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
def test_one_screen_at_most_five_distinct_actions_each_with_a_role_and_a_time(summaries, bu, lang):
    _, _, summary = summaries[bu, lang]
    assert size(summary, lang) <= (WORDS if lang == "en" else CHARACTERS)
    assert text("summary.verdict", lang) in summary
    issues, actions = _parts(summary, lang)
    assert 3 <= len(issues) <= 5
    assert 1 <= len(actions) <= MOST_ACTIONS
    cores = [re.sub(r"^\d+\. ", "", a) for a in actions]
    assert len(set(cores)) == len(cores)
    for action in cores:
        assert action.startswith(ROLES[lang]), action
        assert any(due in action for due in DUES[lang]), action
        linked = re.search(r"(?:issue|问题) (\d+)", action)
        assert linked and 1 <= int(linked.group(1)) <= len(issues), action
    # no finding copied under "because:" any more
    assert "because:" not in summary and "原因：" not in summary


def test_issues_are_ranked_by_money_at_stake(summaries):
    _, _, summary = summaries["IC", "en"]
    issues, _ = _parts(summary, "en")
    stakes = [float(m.group(1)) for ln in issues if (m := re.search(r"\(([\d.]+) million", ln))]
    assert stakes == sorted(stakes, reverse=True) and len(stakes) >= 3
    # the revenue fall's accounts are named (the falling feedback's accounts may weigh more)
    assert any("Nanhai Shipyard 南海船厂 (IC001) 22%, Beifang Rail Vehicles" in i for i in issues)
    zh, _ = _parts(summaries["IC", "zh"][2], "zh")
    assert any("南海船厂 (IC001) 22%" in i for i in zh)  # the name in Chinese (issue 20)


def test_the_executive_visit_is_one_action_even_for_several_accounts():
    found = pd.DataFrame(
        [
            {
                "id": "exec_visit",
                "section": "portfolio",
                "priority": 1,
                "finding": f"{a}: low.",
                "action": f"Visit {a} this quarter.",
                "tactic": "5",
                "accounts": [a],
                "owner": "bu_head",
                "due": "",
                "measure": "visit_done",
                "stake": s,
            }
            for a, s in (("A", 3.0), ("B", 2.0), ("C", 1.0))
        ]
    )
    summary = executive_summary({"bu_name": "X", "not_assessed": []}, found)
    issues, actions = _parts(summary, "en")
    assert len(issues) == 1 and issues[0].startswith("1. A: low.")
    assert actions == [
        "1. BU head, this quarter: Visit A this quarter. Measure: visit held, "
        "every open point answered. (issue 1)"
    ]


def test_every_action_rule_has_an_owner_a_time_and_a_measure():
    for rule in package_rules().itertuples():
        if rule.action_en:
            owner, due, measure = SECTION_DEFAULTS[rule.section]
            assert kam.i18n.has(f"role.{rule.owner or owner}"), rule.id
            assert kam.i18n.has(f"due.{rule.due or due}"), rule.id
            assert kam.i18n.has(f"measure.{rule.measure or measure}"), rule.id
