"""The sample carries a ground truth (issue 24): the backtest recovers it.

The figures and their ranges are documented in data/README.md ("Backtest"); that a shuffled
history removes the signal is tests/test_backtest.py's check (the ``shuffled_bts`` fixture).
"""

from __future__ import annotations

import numpy as np

from kamanalysis.data.sample import generate
from kamanalysis.data.sample_drivers import SLIP, account_future


def _rho(bt, score="criteria_score", outcome="revenue_growth") -> float:
    return float(bt.correlations.set_index(["score", "outcome"]).loc[(score, outcome), "spearman"])


def test_the_backtest_recovers_the_documented_signal(sample_bt):
    """data/README.md: Spearman of the criteria score with later growth 0.3-0.7, AUC > 0.6."""
    rho = _rho(sample_bt)
    assert 0.3 <= rho <= 0.7
    p_value = sample_bt.correlations.set_index(["score", "outcome"]).loc[
        ("criteria_score", "revenue_growth"), "p_value"
    ]
    assert p_value < 1e-6  # a real signal, not noise
    assert 0.3 <= _rho(sample_bt, outcome="gross_profit_growth") <= 0.7
    assert 0 < _rho(sample_bt, "health") < 0.7  # health ranks growth too, less well
    # accounts did churn (left or fell by more than half), and health warned of it
    assert sample_bt.churned >= 30 and sample_bt.auc_note == ""
    assert 0.6 < sample_bt.auc < 0.9
    # key accounts grew more than the opportunistic ones
    median = sample_bt.tiers.set_index("tier")["median_growth"]
    assert median["key"] > median["opportunistic"]


def test_the_criteria_the_driver_moves_predict_and_the_others_do_not(sample_bt):
    oriented = sample_bt.predictors.set_index("predictor")["oriented"]
    for seen in ("margin", "credit", "strategic_access", "growth"):
        assert oriented[seen] > 0.15
    assert abs(oriented["volume"]) < 0.15  # size is drawn apart from the driver


def test_storyline_accounts_have_no_driver_and_regular_ones_do():
    story = account_future(1, 0, 0, kind="key", start=0, nq=8)
    assert (story.driver, story.churn_at, story.collapse, story.margin) == (0.0, None, 1.0, 0.0)
    drivers = [account_future(1, 0, a, kind="regular", start=0, nq=8).driver for a in range(400)]
    assert abs(np.mean(drivers)) < 0.15 and 0.85 < np.std(drivers) < 1.15
    # its own stream: the same account draws the same driver whatever else is generated
    assert account_future(1, 0, 7, kind="regular", start=0, nq=8) == account_future(
        1, 0, 7, kind="regular", start=0, nq=8
    )


def test_weak_accounts_churn_more_and_collapse_by_more_than_half():
    futures = [account_future(5, b, a, kind="regular", start=0, nq=8) for b in range(3)
               for a in range(300)]  # fmt: skip
    churned = [f for f in futures if f.churn_at is not None]
    stayed = [f for f in futures if f.churn_at is None]
    assert churned and np.mean([f.driver for f in churned]) < np.mean([f.driver for f in stayed])
    assert all(0.05 <= f.collapse <= 0.45 and f.churn_at >= 2 for f in churned)


def test_a_churned_account_buys_less_than_half_from_then_on():
    _, tables = generate(n_bus=1, n_accounts=60, seed=11)
    ledger = tables["account_quarters"].set_index(["account_id", "quarter"])["revenue"]
    quarters = sorted(tables["account_quarters"]["quarter"].unique())
    seen = 0
    for a, account in enumerate(tables["accounts"]["account_id"]):
        if a < 5:  # the storyline accounts of the first BU
            continue
        rows = ledger.loc[account]
        start = quarters.index(rows.index[0])
        future = account_future(11, 0, a, kind="regular", start=start, nq=len(quarters))
        if future.churn_at is None or future.churn_at >= len(quarters):
            continue
        before = rows.loc[quarters[future.churn_at - 1]] / SLIP  # as it bought before its slip
        after = rows.loc[quarters[future.churn_at]]
        assert after < 0.5 * before * 1.4  # collapsed, give or take a quarter's noise
        seen += 1
    assert seen >= 1
