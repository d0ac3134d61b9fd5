"""Does the diagnosis predict? The account scores of past quarters against what happened next.

For every quarter Q of the data with ``horizon`` quarters after it, the accounts are scored
as they were known at the end of Q (:meth:`Engagement.as_of`): the key-account criteria
score (:func:`key_account_criteria`), the tier and the health (:func:`account_health`);
then compared with what each account did by Q + ``horizon``
(:func:`kamanalysis.tools.backtest.later_outcomes`): revenue and gross-profit growth, and
churn (it left, or its revenue in that quarter fell by more than half of Q's). The
observations of every origin quarter and BU are pooled.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> bt = score_backtest(eng.for_bu("PV"))  # one BU's accounts; the engagement pools every BU
>>> bt.enough, bt.quarters, list(bt.correlations.columns)
(True, ['2024Q4', '2025Q1', '2025Q2', '2025Q3'], ['score', 'outcome', 'spearman', 'p_value', 'n'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..base._validation import describe
from ..base.errors import InputValidationError, Problem
from ..base.i18n import text
from ..base.quarters import shift_quarter
from ..data.engagement import Engagement
from ..tools.accounts import HEALTH_SIGNALS, score_health
from ..tools.backtest import (
    CHURN_DROP,
    CORRELATION_COLUMNS,
    churn_auc,
    fit_weights,
    flag_precision,
    later_outcomes,
    predictor_correlations,
    rank_correlations,
    tier_growth,
)
from ._common import _memo, assessed
from .management import _indifference, account_health, health_flags
from .portfolio import _coverage_and_churn, _tiers, key_account_criteria
from .summary import HEALTH_AT_RISK

#: Fewer quarters of sales data than this, or fewer accounts: not enough history to backtest.
MIN_QUARTERS = 8
MIN_ACCOUNTS = 20
#: The scores and the outcomes of :attr:`Backtest.correlations`.
SCORES = ("criteria_score", "health")
OUTCOMES = ("revenue_growth", "gross_profit_growth")


@dataclass
class Backtest:
    """The backtest of an engagement's account scores (:func:`score_backtest`).

    Attributes
    ----------
    horizon : int
        Quarters between the quarter scored and the one compared.
    quarters : list of str
        The quarters scored (those with ``horizon`` quarters of data after them).
    n_quarters, n_accounts : int
        Quarters of sales data and accounts with sales in the engagement.
    enough : bool
        False when the data hold fewer than :data:`MIN_QUARTERS` quarters or fewer than
        :data:`MIN_ACCOUNTS` accounts: ``note`` says "not enough history" with the counts,
        and the frames are empty.
    note : str
        Why the backtest was not assessed ("" when it was).
    observations : DataFrame
        One row per account and quarter scored: ``bu_id``, ``account_id``, ``quarter``,
        ``later``, ``criteria_score``, ``health``, ``tier``, ``at_risk`` (health below
        :data:`~kamanalysis.diagnosis.summary.HEALTH_AT_RISK`), one column per weighted
        criterion (its rating) and per health signal (raised or not), and the outcomes of
        :func:`~kamanalysis.tools.backtest.later_outcomes`.
    correlations : DataFrame
        ``score``, ``outcome``, ``spearman``, ``p_value``, ``n``: each of :data:`SCORES` with
        each of :data:`OUTCOMES` (:func:`~kamanalysis.tools.backtest.rank_correlations`).
    auc : float
        ROC AUC of health as a predictor of churn; NaN with ``auc_note`` when no account
        churned (or none stayed).
    auc_note : str
    churned : int
        Observations that churned.
    at_risk_precision : float
        Share of the accounts flagged at risk that churned (NaN when none was flagged);
        ``at_risk_flagged`` is how many were.
    at_risk_flagged : int
    tiers : DataFrame
        ``tier``, ``median_growth`` (later revenue growth), ``n``.
    predictors : DataFrame
        Each criterion and signal alone against later revenue growth, best first
        (:func:`~kamanalysis.tools.backtest.predictor_correlations`).
    weights : DataFrame
        ``criterion``, ``current`` (the engagement's weight) and ``suggested`` (the
        simplex fit, :func:`~kamanalysis.tools.backtest.fit_weights`): in-sample, a
        suggestion; ``fit_spearman`` is its in-sample Spearman with later revenue growth.
    fit_spearman : float
    """

    horizon: int
    quarters: list[str]
    n_quarters: int
    n_accounts: int
    enough: bool
    note: str = ""
    observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    correlations: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(CORRELATION_COLUMNS))
    )
    auc: float = float("nan")
    auc_note: str = ""
    churned: int = 0
    at_risk_precision: float = float("nan")
    at_risk_flagged: int = 0
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    predictors: pd.DataFrame = field(default_factory=pd.DataFrame)
    weights: pd.DataFrame = field(default_factory=pd.DataFrame)
    fit_spearman: float = float("nan")


def check_horizon(horizon: object, n_quarters: int | None = None) -> int:
    """Return ``horizon`` as an int, or raise when it is not a whole number of quarters >= 1.

    With ``n_quarters``, a horizon that leaves no quarter to score (``>= n_quarters``) is
    refused too.

    Examples
    --------
    >>> check_horizon(4)
    4
    >>> check_horizon(0)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - --horizon: expected a whole number of quarters >= 1, got 0
    """
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise InputValidationError(
            [Problem("--horizon", "a whole number of quarters >= 1", describe(horizon))]
        )
    if n_quarters is not None and horizon >= n_quarters:
        raise InputValidationError(
            [
                Problem(
                    "--horizon",
                    f"fewer quarters than the {n_quarters} of the data (at most {n_quarters - 1})",
                    describe(horizon),
                )
            ]
        )
    return int(horizon)


def _health_only(eng: Engagement, bu_id: str, quarter: str) -> pd.DataFrame:
    """Return ``tier``, ``health`` and ``health_codes`` of a BU's accounts assessed in ``quarter``.

    What :func:`account_health` gives (without its trend), from the same functions (the
    tiers of :func:`key_account_positions`, the portfolio's coverage and churn signals, the
    signs of indifference, :func:`health_flags`, :func:`score_health`), without the rest of the
    portfolio: the reasons in words, the robustness draws, the buyer's view, the stage.
    """
    positions = _tiers(eng, bu_id, quarter)  # without the buyer's view and the stage
    coverage, churn, _ = _coverage_and_churn(eng, bu_id, quarter, positions)
    accounts = pd.DataFrame(
        {
            "tier": positions["tier"],
            "contacts": coverage["contacts"],
            "signals": churn["signals"].fillna(""),
        },
        index=positions.index,
    )
    signs = _indifference(eng, bu_id, quarter, coverage[["days_since_decider"]], "en")
    health = score_health(health_flags(eng, bu_id, quarter, accounts, signs))
    health.insert(0, "tier", accounts["tier"])
    return health.rename(columns={"health_signals": "health_codes"})


def _scored(
    eng: Engagement, bu_id: str, quarter: str, weighted: list[str], *, full: bool = False
) -> pd.DataFrame:
    """Return the accounts of a BU as scored at the end of ``quarter`` (``eng`` is as of then).

    ``full``: from the whole diagnosis (:func:`key_account_criteria` with its reasons,
    :func:`account_health` on the whole portfolio), the reference; otherwise the scores
    only (:func:`_health_only`), the same figures.
    """
    criteria = key_account_criteria(eng, bu_id, quarter, lang="en" if full else None)
    frame = pd.DataFrame({"criteria_score": criteria["score"]})
    for name in weighted:  # the rating; blank when not assessed
        frame[name] = criteria[name] if name in criteria else np.nan
    if assessed(eng, "account_assessments", bu_id, quarter):
        if full:
            health = account_health(eng, bu_id, quarter, trend=False)
        else:
            health = _health_only(eng, bu_id, quarter)
        frame = frame.join(health[["tier", "health", "health_codes"]], how="left")
    else:  # no workshop that quarter: no tier, no health
        frame = frame.assign(tier=np.nan, health=np.nan, health_codes="")
    codes = frame["health_codes"].fillna("").str.split(", ")
    for signal in HEALTH_SIGNALS:
        frame[signal] = [float(signal in c) for c in codes]
    frame.loc[frame["health"].isna(), list(HEALTH_SIGNALS)] = np.nan
    return frame.drop(columns="health_codes")


def backtest_observations(eng: Engagement, *, horizon: int = 4, full: bool = False) -> pd.DataFrame:
    """One row per account and quarter scored, with its scores then and its outcomes later.

    See :class:`Backtest` (``observations``). Empty when no quarter has ``horizon``
    quarters of data after it. Each quarter is scored on the engagement as known then
    (:meth:`Engagement.as_of`). By default only the scores are computed (the criteria
    without their reasons, health without the rest of the portfolio); ``full=True``
    builds the whole diagnosis of each quarter instead (:func:`account_health`): the
    same observations, several times slower (the reference the tests compare with).
    """
    horizon = check_horizon(horizon)

    def compute() -> pd.DataFrame:
        quarters = eng.quarters
        weighted = list(eng.settings["weights"]["attractiveness"])
        ledger = eng.account_quarters
        parts = []
        for quarter in quarters:
            later = shift_quarter(quarter, horizon)
            if later not in quarters:
                continue
            then = eng.as_of(quarter) if quarter != eng.current_quarter else eng
            for bu_id in eng.bu_ids:
                rows = ledger.loc[ledger["bu_id"] == bu_id]
                outcomes = later_outcomes(rows, quarter=quarter, later=later)
                if outcomes.empty:
                    continue
                scored = _scored(then, bu_id, quarter, weighted, full=full)
                scored = scored.reindex(outcomes.index)
                part = scored.join(outcomes)
                part.insert(0, "later", later)
                part.insert(0, "quarter", quarter)
                part.insert(0, "bu_id", bu_id)
                parts.append(part.reset_index())
        if not parts:
            return pd.DataFrame()
        out = pd.concat(parts, ignore_index=True)
        out["at_risk"] = (out["health"] < HEALTH_AT_RISK).where(out["health"].notna())
        return out

    return _memo(eng, ("backtest_observations", horizon, full), compute)


def score_backtest(
    eng: Engagement, *, horizon: int = 4, lang: str | None = None, full: bool = False
) -> Backtest:
    """Backtest the account scores against what the accounts did next.

    For every quarter with ``horizon`` quarters of data after it, the accounts scored as
    known then (the key-account criteria score, the tier, the health) against their revenue
    and gross-profit growth by ``horizon`` quarters later and their churn (they left, or
    their revenue then fell by more than half: :data:`~kamanalysis.tools.backtest.CHURN_DROP`):

    - Spearman's rank correlation of the criteria score and of health with each growth,
      with the p-value and the number of observations (accounts x quarters scored; the same
      account in several quarters is not independent, so the p-values are optimistic);
    - the ROC AUC of health as a predictor of churn (NaN with a note when none churned), and
      the precision of the "at risk" flag (health below
      :data:`~kamanalysis.diagnosis.summary.HEALTH_AT_RISK`);
    - the median later revenue growth of each tier;
    - each criterion and signal alone, best first, and the criteria weights on the simplex
      that would have ranked the growth best (in sample: a suggestion, never applied).

    With fewer than :data:`MIN_QUARTERS` quarters of sales data or fewer than
    :data:`MIN_ACCOUNTS` accounts, nothing is computed: ``enough`` is False and ``note``
    says "not enough history" with the counts.

    Parameters
    ----------
    eng : Engagement
    horizon : int
        Quarters ahead (default 4: a year; the same season, so seasons do not count as growth).
    lang : str, optional
        Language of the notes; default the engagement's.
    full : bool
        Score each past quarter with its whole diagnosis rather than the scores only
        (:func:`backtest_observations`): the same result, slower.

    Raises
    ------
    InputValidationError
        ``horizon`` is not a whole number >= 1, or leaves no quarter of the data to score.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> bt = score_backtest(eng.for_bu("PV"))
    >>> bt.correlations[["score", "outcome"]].values.tolist()[:2]
    [['criteria_score', 'revenue_growth'], ['criteria_score', 'gross_profit_growth']]
    >>> short = score_backtest(eng.for_bu("MC").as_of("2026Q1"))
    >>> short.enough, short.n_quarters, short.n_accounts
    (False, 6, 42)
    >>> short.note[:32]
    'Not enough history to backtest: '
    """
    horizon = check_horizon(horizon)
    lang = lang or eng.language
    quarters = eng.quarters
    n_quarters = len(quarters)
    n_accounts = int(eng.account_quarters["account_id"].nunique())
    if n_quarters < MIN_QUARTERS or n_accounts < MIN_ACCOUNTS:
        note = text(
            "backtest.not_enough",
            lang,
            quarters=n_quarters,
            min_quarters=MIN_QUARTERS,
            accounts=n_accounts,
            min_accounts=MIN_ACCOUNTS,
        )
        return Backtest(horizon, [], n_quarters, n_accounts, False, note)
    check_horizon(horizon, n_quarters)
    obs = backtest_observations(eng, horizon=horizon, full=full)
    scored = [q for q in quarters if shift_quarter(q, horizon) in quarters]
    correlations = rank_correlations(obs, scores=SCORES, outcomes=OUTCOMES)
    auc = churn_auc(obs["health"], obs["churned"])
    n_churned = int(obs["churned"].sum())
    auc_note = "" if auc == auc else text("backtest.auc_none", lang, churned=n_churned)
    precision, flagged = flag_precision(obs["at_risk"], obs["churned"])
    weighted = eng.settings["weights"]["attractiveness"]
    criteria = [c for c in weighted if obs[c].notna().any()]
    signals = [s for s in HEALTH_SIGNALS if obs[s].notna().any() and obs[s].max() > 0]
    predictors = predictor_correlations(
        obs, criteria=criteria, signals=signals, outcome="revenue_growth"
    )
    # a criterion not assessed for an account stands at its score (leaves the score as it is)
    ratings = obs[criteria].apply(lambda c: c.fillna(obs["criteria_score"]))
    fitted = fit_weights(ratings, obs["revenue_growth"], start=weighted)
    weights = pd.DataFrame(
        {
            "criterion": criteria,
            "current": [float(weighted[c]) for c in criteria],
            "suggested": fitted.reindex(criteria).to_numpy(),
        }
    )
    return Backtest(
        horizon=horizon,
        quarters=scored,
        n_quarters=n_quarters,
        n_accounts=n_accounts,
        enough=True,
        observations=obs,
        correlations=correlations,
        auc=auc,
        auc_note=auc_note,
        churned=n_churned,
        at_risk_precision=precision,
        at_risk_flagged=flagged,
        tiers=tier_growth(obs.dropna(subset=["tier"])),
        predictors=predictors.reset_index(drop=True),
        weights=weights,
        fit_spearman=float(fitted.attrs["spearman"]),
    )


__all__ = [
    "CHURN_DROP",
    "MIN_ACCOUNTS",
    "MIN_QUARTERS",
    "Backtest",
    "backtest_observations",
    "check_horizon",
    "score_backtest",
]
