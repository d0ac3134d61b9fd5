"""Issue 18: one verdict per BU and quarter, blending growth, margin, strength and voice."""

from __future__ import annotations

import itertools

import pytest

from kamanalysis.base.i18n import has, text
from kamanalysis.diagnosis import verdict as v
from kamanalysis.diagnosis.summary import bu_facts

#: A fact value that puts each trend in each state (None: the fact is absent).
VALUES = {
    "growth_trend": {"grows": 0.08, "steady": 0.0, "falls": -0.08, "n/a": None},
    "margin_trend": {"up": 0.5, "down": -0.5, "n/a": None},
    "strength_trend": {"up": 0.1, "down": -0.1, "n/a": None},
    "voice_trend": {"rises": 0.3, "holds": 0.0, "falls": -0.3, "n/a": None},
}
FACTS = {
    "growth_trend": "revenue_yoy",
    "margin_trend": "margin_change_yoy",
    "strength_trend": "strength_change_yoy",
    "voice_trend": "feedback_change",
}
SAMPLE_QUARTERS = ("2025Q4", "2026Q1", "2026Q2", "2026Q3")


def _facts(states: dict) -> dict:
    facts = {"bu_name": "X", "quarter": "2026Q3", "year_ago": "2025Q3", "margin": 20.0}
    for trend, state in states.items():
        value = VALUES[trend][state]
        if value is not None:
            facts[FACTS[trend]] = value
    facts["feedback_weakest"] = "price"
    return facts


def test_every_combination_has_exactly_one_rule():
    # the table covers growth x margin x strength with known growth and margin, no more
    known = list(itertools.product(v.GROWTH, v.MARGIN, v.STRENGTH))
    assert sorted(v.VERDICTS) == sorted(known)
    for name, priority in v.VERDICTS.values():
        assert priority in (1, 2, 3)
        assert has(f"verdict.{name}"), name


@pytest.mark.parametrize(
    "states",
    [
        dict(zip(VALUES, combo, strict=True))
        for combo in itertools.product(*map(list, VALUES.values()))
    ],
    ids=lambda s: "-".join(s.values()),
)
def test_each_combination_gives_one_verdict_in_both_languages(states):
    facts = _facts(states)
    found = v.verdict(facts)
    assert {k: found[k] for k in states} == states
    key = (states["growth_trend"], states["margin_trend"], states["strength_trend"])
    if "n/a" in key[:2]:
        assert found["verdict"] == v.NOT_AVAILABLE
    else:
        assert found["verdict"] == v.VERDICTS[key][0]
    if states["voice_trend"] == "falls":  # the customers' voice raises the urgency
        assert found["verdict_priority"] == 1
    for lang in ("en", "zh"):
        said = v.verdict_text(facts, lang)
        assert said.count(text(f"verdict.{found['verdict']}", lang)) == 1
        margin = {"en": "gross margin 20.0%", "zh": "毛利率 20.0%"}[lang]
        assert (margin in said) == (states["margin_trend"] != "n/a")


def test_a_falling_margin_is_never_called_growth_alone():
    for (_growth, margin, _), (name, _) in v.VERDICTS.items():
        said = text(f"verdict.{name}", "en")
        if margin == "down":
            assert "margin" in said, name


@pytest.mark.parametrize(
    ("trend", "ie", "ge", "expected"),
    [
        ("deteriorating", "harvest or divest", "selectivity/earnings", "harvest or divest"),
        ("improving", "harvest or divest", "invest/grow", "invest/grow"),
        ("mixed", "grow and build", "harvest/divest", "harvest/divest"),
        ("mixed", "hold and maintain", "invest/grow", "hold and maintain"),
    ],
)
def test_the_stance_reconciles_ie_and_ge_by_the_trends(trend, ie, ge, expected):
    states = {
        "deteriorating": (-0.08, -1.0, -0.5),
        "improving": (0.08, 1.0, 0.5),
        "mixed": (0.0, -1.0, 0.5),
    }[trend]
    facts = dict(
        zip(("revenue_yoy", "margin_change_yoy", "strength_change_yoy"), states, strict=True)
    )
    facts |= {"ie_strategy": ie, "ge_strategy": ge}
    assert v.stance(facts) == {"stance": expected, "stance_reason": trend}
    said = v.stance_text(facts, v.verdict(facts), "en")
    assert ie in said and ge in said and f"favour {expected}" in said


@pytest.fixture(scope="module")
def history(sample, sample_diagnosis):
    """The facts of every sample BU in every quarter from 2025Q4, as known then.

    In the current quarter, ``sample.as_of`` holds the sample's rows unchanged (no row of a
    later quarter, no date after its end: the loader refuses one): its facts are those of the
    sample's own diagnosis, shared with the other tests.
    """
    return {
        (bu, q): sample_diagnosis(bu)[0]
        if q == sample.current_quarter
        else bu_facts(sample.as_of(q), bu, q)
        for q in SAMPLE_QUARTERS
        for bu in sample.bu_ids
    }


def test_on_the_sample_exactly_one_verdict_fires_every_quarter(history):
    for (bu, q), facts in history.items():
        assert facts["verdict"] in {name for name, _ in v.VERDICTS.values()}, (bu, q)
        sentence = v.verdict_text(facts, "en")
        fired = [
            n for n, _ in set(v.VERDICTS.values()) if text(f"verdict.{n}", "en") + "." in sentence
        ]
        assert len(fired) == 1, (bu, q, sentence)


def test_pv_2026q3_verdict_mentions_its_margin_and_ic_takes_a_stance(history):
    pv = v.verdict_text(history["PV", "2026Q3"], "en")
    assert pv.startswith("Pumps & Valves: steady revenue, shrinking margin.")
    assert "gross margin 22.6% in 2026Q3, -1.3 points" in pv
    # PV 2026Q1: revenue flat on a year ago (-1.0 %: the sample's hidden drivers of issue 24,
    # some of PV's accounts slipping before they leave) while margin and strength fall; every
    # (growth, margin, strength) combination has its verdict (the tests above)
    assert history["PV", "2026Q1"]["verdict"] == "stalling"
    ic = v.verdict_text(history["IC", "2026Q3"], "en")
    assert "weakening on every count" in ic
    assert "the data favour harvest or divest, the more cautious" in ic
    assert "毛利率" in v.verdict_text(history["PV", "2026Q3"], "zh")
