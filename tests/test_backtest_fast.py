"""The backtest's score-only path (issue 24's speed): the same figures as the whole diagnosis.

:func:`kamanalysis.backtest.backtest_observations` scores each past quarter with the
scores only by default (the criteria without their reasons, health from the same flags
without the rest of the portfolio); ``full=True`` builds the whole as-of diagnosis of each
quarter (:func:`kamanalysis.diagnosis.account_health` on the whole portfolio). Both must
give the same observations, frame for frame, and so the same backtest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.quarters import shift_quarter
from kamanalysis.data.engagement import Engagement
from kamanalysis.data.sample import LAST_QUARTER, generate
from kamanalysis.diagnosis.backtest import _health_only
from kamanalysis.tools.accounts import HEALTH_SIGNALS, score_key_account_criteria


@pytest.fixture(scope="module")
def generated():
    """A small generated engagement: two BUs, 60 accounts, nine quarters."""
    settings, tables = generate(
        n_bus=2, n_accounts=60, seed=7, first_quarter=shift_quarter(LAST_QUARTER, -8)
    )
    return Engagement(settings, tables, "generated")


@pytest.fixture(scope="module", params=["sample", "generated"])
def fresh(request) -> tuple[Engagement, Engagement]:
    """Two fresh copies of the engagement: one for the fast path, one for the whole diagnosis.

    Each copy keeps what it computed (the observations are memoised on the engagement), so
    the backtest below scores the observations the test before it compared, computed once
    per path and engagement instead of twice.
    """
    eng = request.getfixturevalue(request.param)
    return tuple(Engagement(eng.settings, eng.tables, eng.source) for _ in range(2))


def both(fresh) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The observations of the fast path and of the whole diagnosis, each on its fresh copy."""
    fast = kam.backtest.backtest_observations(fresh[0], horizon=4)
    full = kam.backtest.backtest_observations(fresh[1], horizon=4, full=True)
    return fast, full


def test_the_fast_path_gives_the_same_observations_every_quarter(fresh):
    eng = fresh[0]
    fast, full = both(fresh)
    scored = [q for q in eng.quarters if shift_quarter(q, 4) in eng.quarters]
    assert sorted(full["quarter"].unique()) == scored and len(scored) >= 4
    for quarter in scored:  # every quarter scored, with health and tiers to compare
        rows = full.loc[full["quarter"] == quarter]
        assert rows["health"].notna().sum() >= 20 and rows["tier"].notna().all()
    # scores, ratings, tiers, health, the at-risk flags, each signal and the outcomes
    assert {"criteria_score", "health", "tier", "at_risk", "churned", "revenue_growth"} <= set(
        full.columns
    )
    assert set(HEALTH_SIGNALS) <= set(full.columns)
    pd.testing.assert_frame_equal(fast, full)
    # and not trivially: the flags and the tiers vary
    flagged = full["at_risk"].eq(True)
    assert flagged.any() and not flagged.all()
    assert full["tier"].nunique() >= 3


def test_the_fast_path_gives_the_same_backtest(fresh):
    fast = kam.backtest.score_backtest(fresh[0])
    full = kam.backtest.score_backtest(fresh[1], full=True)
    assert fast.enough and fast.quarters == full.quarters
    for name in ("correlations", "tiers", "predictors", "weights"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(full, name))
    np.testing.assert_equal(fast.auc, full.auc)  # NaN when none churned: NaN on both
    assert fast.auc_note == full.auc_note and fast.churned == full.churned
    assert fast.at_risk_flagged == full.at_risk_flagged
    np.testing.assert_equal(fast.at_risk_precision, full.at_risk_precision)
    assert fast.fit_spearman == full.fit_spearman


def test_health_only_is_account_health_without_the_words(sample):
    """Every BU, a past quarter and the current one: tier, health and the signals' names."""
    for quarter in ("2025Q2", sample.current_quarter):
        then = sample.as_of(quarter)
        for bu_id in sample.bu_ids:
            whole = kam.diagnosis.account_health(then, bu_id, quarter, trend=False)
            lean = _health_only(then, bu_id, quarter).reindex(whole.index)
            pd.testing.assert_frame_equal(
                lean[["tier", "health", "health_codes"]],
                whole[["tier", "health", "health_codes"]],
            )
            assert (whole["health"] < 100).any()


def test_the_criteria_without_reasons_are_the_same_scores(sample):
    aq, aa = sample.account_quarters, sample.account_assessments
    args = dict(
        quarter="2025Q3",
        weights=sample.settings["weights"]["attractiveness"],
        anchors=sample.settings["anchors"],
    )
    with_words = score_key_account_criteria(aq, aa, **args)
    scores = score_key_account_criteria(aq, aa, lang=None, **args)
    assert "reasons" in with_words and "reasons" not in scores
    pd.testing.assert_frame_equal(scores, with_words.drop(columns="reasons"))
    assert scores.attrs == with_words.attrs
