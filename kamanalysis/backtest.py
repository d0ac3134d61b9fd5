"""``kamanalysis.backtest`` (issue 24): how well the account scores predicted.

:func:`score_backtest` scores every past quarter of an engagement as it was known then and
compares the scores with what happened ``horizon`` quarters later
(:mod:`kamanalysis.diagnosis.backtest`, on the functions of :mod:`kamanalysis.tools.backtest`);
:func:`backtest_html` and :func:`write_backtest` lay it out as a page
(``kam backtest DATA``).

Examples
--------
>>> import kamanalysis as kam
>>> bt = kam.backtest.score_backtest(kam.load_engagement(kam.paths.SAMPLE_DATA), horizon=4)
>>> bt.horizon, bt.n_quarters, bt.n_accounts
(4, 8, 155)
"""

from __future__ import annotations

from .diagnosis.backtest import (
    MIN_ACCOUNTS,
    MIN_QUARTERS,
    Backtest,
    backtest_observations,
    check_horizon,
    score_backtest,
)
from .report.backtest_page import backtest_html, write_backtest
from .tools.backtest import (
    CHURN_DROP,
    churn_auc,
    fit_weights,
    flag_precision,
    later_outcomes,
    predictor_correlations,
    rank_correlations,
    tier_growth,
)

__all__ = [
    "CHURN_DROP",
    "MIN_ACCOUNTS",
    "MIN_QUARTERS",
    "Backtest",
    "backtest_html",
    "backtest_observations",
    "check_horizon",
    "churn_auc",
    "fit_weights",
    "flag_precision",
    "later_outcomes",
    "predictor_correlations",
    "rank_correlations",
    "score_backtest",
    "tier_growth",
    "write_backtest",
]
