"""Results shared within one BU's report: computed once, and the same as computed apart.

A BU's report asks for some results several times, on the engagement and on its one-BU
view (``for_bu``); these are computed once per engagement object now. Each test checks
that the shared result is the one computed the old way, on a fresh engagement.
"""

from __future__ import annotations

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.data.engagement import Engagement
from kamanalysis.diagnosis import position_history, quarterly_review, strategic_position
from kamanalysis.diagnosis._common import _for_bu, _scale
from kamanalysis.diagnosis.portfolio import _account_cuts, key_account_criteria
from kamanalysis.diagnosis.position import _bu_position, positioned
from kamanalysis.tools.accounts import score_key_account_criteria
from kamanalysis.tools.accounts.criteria import with_reasons


def fresh(eng: Engagement) -> Engagement:
    """The same tables and settings, with an empty cache (nothing computed yet)."""
    return Engagement(eng.settings, eng.tables, eng.source, eng.rows, list(eng.absent))


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


def test_quarterly_review_is_computed_once_and_the_same(sample):
    eng = fresh(sample)
    first = quarterly_review(eng, "PV")
    assert quarterly_review(eng, "PV", eng.current_quarter) is first
    apart = quarterly_review(fresh(sample), "PV")
    assert_same(first.score_changes, apart.score_changes)
    assert_same(first.evaluation, apart.evaluation)
    for measure, table in first.attribution.items():
        assert_same(table, apart.attribution[measure])


def test_a_bus_position_is_the_one_its_own_engagement_gives(sample):
    eng = fresh(sample)
    for bu in eng.bu_ids:
        quarters = [q for q in eng.quarters if positioned(eng, bu, q)]
        assert quarters
        for quarter in quarters:
            own = strategic_position(fresh(sample).for_bu(bu), quarter)
            assert_same(_bu_position(eng, bu, quarter), own)
        assert _bu_position(eng, bu, quarters[-1]) is _bu_position(eng, bu, quarters[-1])


def test_position_history_is_the_one_of_the_one_bu_engagement(sample):
    eng = fresh(sample)
    part = fresh(sample).for_bu("IC")
    quarters = [q for q in eng.quarters if positioned(eng, "IC", q)]
    frames = [strategic_position(part, q).loc[["IC"]] for q in quarters]
    expected = pd.concat(frames).drop(columns=["label"])
    expected.index = pd.Index(quarters, name="quarter")
    assert_same(position_history(eng, "IC"), expected)


def test_one_for_bu_view_per_engagement_shared_by_the_facts_and_the_report(sample):
    eng = fresh(sample)
    view = _for_bu(eng, "MC")
    assert _for_bu(eng, "MC") is view
    for name, table in eng.for_bu("MC").tables.items():
        assert_same(view.tables[name], table)
    facts, found = kam.findings.diagnose(eng, "MC")
    report = kam.sections.Report(eng, "MC", facts, found)
    assert report.bu is _for_bu(eng.named("en"), "MC")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_criteria_with_reasons_are_those_computed_directly(sample, lang):
    eng = fresh(sample)
    aq, aa = eng.account_quarters, eng.account_assessments
    for quarter in (eng.quarters[0], eng.current_quarter):  # the first: criteria from workshop
        scores = key_account_criteria(eng, "PV", quarter, lang=None)
        kept = scores.copy()
        shown = key_account_criteria(eng, "PV", quarter, lang=lang)
        direct = score_key_account_criteria(
            aq.loc[aq["bu_id"] == "PV"],
            aa.loc[aa["bu_id"] == "PV"],
            quarter=quarter,
            weights=eng.settings["weights"]["attractiveness"],
            anchors=eng.settings["anchors"],
            cut=_account_cuts(eng)[0][0],
            scale=_scale(eng, "rating"),
            lang=lang,
        )
        assert_same(shown, direct)
        assert "reasons" not in scores
        shown.loc[shown.index[0], "score"] = -1.0  # a caller changing its copy
        shown.attrs["from_workshop"]["x"] = "y"
        assert_same(scores, kept)
    assert eng.quarters[0] != eng.current_quarter
    assert key_account_criteria(eng, "PV", eng.quarters[0], lang=None).attrs["from_workshop"]


def test_with_reasons_leaves_the_scores_as_they_are(sample):
    aq = sample.account_quarters.loc[sample.account_quarters["bu_id"] == "IC"]
    aa = sample.account_assessments.loc[sample.account_assessments["bu_id"] == "IC"]
    scores = score_key_account_criteria(aq, aa, quarter="2026Q3", window=2, lang=None)
    kept = scores.copy()
    out = with_reasons(scores, quarter="2026Q3", window=2, lang="zh")
    assert_same(scores, kept)
    assert out.columns[-1] == "reasons"
    assert_same(out, score_key_account_criteria(aq, aa, quarter="2026Q3", window=2, lang="zh"))
