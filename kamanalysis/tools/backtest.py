"""Backtest (回测): how well the account scores of a quarter predicted the next year.

Pure functions on frames; :func:`kamanalysis.diagnosis.backtest.score_backtest` composes
them over the quarters of an engagement, each scored as it was known then.

- :func:`later_outcomes`: what each account did by a later quarter: revenue and gross-profit
  growth, and whether it churned (:data:`CHURN_DROP`);
- :func:`rank_correlations`: Spearman's rank correlation of scores with outcomes, with the
  p-value and the number of accounts (:func:`scipy.stats.spearmanr`);
- :func:`churn_auc`: the ROC AUC of a score (low = at risk) as a predictor of churn, from the
  Mann-Whitney U statistic (:func:`scipy.stats.mannwhitneyu`);
- :func:`flag_precision`: the share of flagged accounts that did churn;
- :func:`tier_growth`: the median later growth of each tier;
- :func:`predictor_correlations`: each criterion and signal on its own;
- :func:`fit_weights`: the criteria weights on the simplex that would have ranked the outcome
  best, in sample (a suggestion, never applied).

Examples
--------
>>> import pandas as pd
>>> obs = pd.DataFrame({"score": [1.0, 2.0, 3.0, 4.0], "growth": [-0.2, 0.0, 0.1, 0.3]})
>>> float(rank_correlations(obs, scores=["score"], outcomes=["growth"]).loc[0, "spearman"])
1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: An account churned by the later quarter when it bought nothing then (it left), or when its
#: revenue in that quarter fell by more than this share of its revenue in the quarter scored.
CHURN_DROP = 0.5
#: The tiers in the order the backtest reports them.
TIER_ORDER = ("key", "develop", "maintain", "opportunistic")
#: The columns of :func:`rank_correlations`.
CORRELATION_COLUMNS = ("score", "outcome", "spearman", "p_value", "n")


def later_outcomes(
    ledger: pd.DataFrame, *, quarter: str, later: str, churn_drop: float = CHURN_DROP
) -> pd.DataFrame:
    """Return what each account that bought in ``quarter`` did by ``later``.

    Parameters
    ----------
    ledger : DataFrame
        ``account_quarters`` rows: ``account_id``, ``quarter``, ``revenue``,
        ``gross_margin_pct`` (several rows of one account in a quarter are summed).
    quarter, later : str
        The quarter scored and the quarter compared with it.
    churn_drop : float
        Share of the revenue lost above which an account counts as churned (default
        :data:`CHURN_DROP`, 0.5: fell by more than half); an account without revenue in
        ``later`` left, and churned.

    Returns
    -------
    DataFrame indexed by ``account_id`` (the accounts with revenue above 0 in ``quarter``,
    sorted) with ``revenue``, ``revenue_later`` (0 when it bought nothing),
    ``revenue_growth`` (``revenue_later / revenue - 1``), ``gross_profit``,
    ``gross_profit_later``, ``gross_profit_growth`` (NaN when the gross profit in
    ``quarter`` is not above 0) and ``churned``.

    Examples
    --------
    >>> import pandas as pd
    >>> ledger = pd.DataFrame({"account_id": ["A", "A", "B", "B", "C"],
    ...     "quarter": ["2025Q1", "2026Q1"] * 2 + ["2025Q1"],
    ...     "revenue": [100.0, 120.0, 100.0, 40.0, 50.0],
    ...     "gross_margin_pct": [20.0, 25.0, 20.0, 20.0, 30.0]})
    >>> out = later_outcomes(ledger, quarter="2025Q1", later="2026Q1")
    >>> out[["revenue_growth", "gross_profit_growth", "churned"]].round(3).values.tolist()
    [[0.2, 0.5, False], [-0.6, -0.6, True], [-1.0, -1.0, True]]
    """
    rows = ledger.loc[ledger["quarter"].isin([quarter, later])]
    profit = rows["revenue"] * rows["gross_margin_pct"] / 100.0
    sums = (
        rows.assign(gross_profit=profit)
        .groupby(["account_id", "quarter"])[["revenue", "gross_profit"]]
        .sum()
        .unstack("quarter")
    )
    out = pd.DataFrame(index=sums.index)
    for measure in ("revenue", "gross_profit"):
        now = sums[(measure, quarter)] if (measure, quarter) in sums else np.nan
        then = sums[(measure, later)] if (measure, later) in sums else np.nan
        out[measure] = now
        out[f"{measure}_later"] = then
    out = out.loc[out["revenue"] > 0].fillna({"revenue_later": 0.0, "gross_profit_later": 0.0})
    out["revenue_growth"] = out["revenue_later"] / out["revenue"] - 1.0
    positive = out["gross_profit"] > 0
    out["gross_profit_growth"] = (out["gross_profit_later"] / out["gross_profit"] - 1.0).where(
        positive
    )
    out["churned"] = out["revenue_later"] < (1.0 - churn_drop) * out["revenue"]
    out.index.name = "account_id"
    cols = ["revenue", "revenue_later", "revenue_growth", "gross_profit", "gross_profit_later"]
    return out[[*cols, "gross_profit_growth", "churned"]].sort_index()


def _spearman(x: pd.Series, y: pd.Series) -> tuple[float, float, int]:
    """Spearman's rho, its two-sided p-value and n over the pairs with both values."""
    both = x.notna() & y.notna()
    x, y = x[both].astype(float), y[both].astype(float)
    n = int(both.sum())
    if n < 3 or x.nunique() < 2 or y.nunique() < 2:  # no ranking to compare
        return float("nan"), float("nan"), n
    from scipy import stats  # here, not on import: scipy.stats takes a second to import

    result = stats.spearmanr(x.to_numpy(), y.to_numpy())
    return float(result.statistic), float(result.pvalue), n


def rank_correlations(
    observations: pd.DataFrame, *, scores: Sequence[str], outcomes: Sequence[str]
) -> pd.DataFrame:
    """Spearman's rank correlation of each score with each outcome.

    One row per (score, outcome), columns :data:`CORRELATION_COLUMNS`: ``spearman`` and
    its two-sided ``p_value`` from :func:`scipy.stats.spearmanr` over the ``n`` rows with
    both values (ties get their mean rank); NaN when fewer than 3 rows or one side does not
    vary. Rows of the same account in several quarters are not independent: read the
    p-value as optimistic.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"s": [1, 2, 3, 4, 5], "g": [0.1, 0.0, 0.3, 0.2, 0.5]})
    >>> rank_correlations(obs, scores=["s"], outcomes=["g"]).round(3).values.tolist()
    [['s', 'g', 0.8, 0.104, 5]]
    """
    rows = []
    for score in scores:
        for outcome in outcomes:
            rho, p, n = _spearman(observations[score], observations[outcome])
            rows.append((score, outcome, rho, p, n))
    return pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS))


def churn_auc(score: pd.Series, churned: pd.Series) -> float:
    """ROC AUC of a score as a predictor of churn, a low score meaning at risk.

    The probability that a churned account scored lower than one that stayed (ties count
    half): the Mann-Whitney U of the accounts that stayed against those that churned,
    over the product of their numbers. 0.5 is chance, 1 a perfect warning. NaN when no
    account churned or none stayed (rows without a score are left out).

    Examples
    --------
    >>> import pandas as pd
    >>> churn_auc(pd.Series([20.0, 40.0, 60.0, 80.0]), pd.Series([True, False, True, False]))
    0.75
    >>> churn_auc(pd.Series([50.0, 70.0]), pd.Series([False, False]))
    nan
    """
    known = score.notna() & churned.notna()
    score, churned = score[known].astype(float), churned[known].astype(bool)
    stayed, left = score[~churned].to_numpy(), score[churned].to_numpy()
    if not len(stayed) or not len(left):
        return float("nan")
    from scipy import stats

    u = stats.mannwhitneyu(stayed, left, alternative="two-sided").statistic
    return float(u / (len(stayed) * len(left)))


def flag_precision(flag: pd.Series, event: pd.Series) -> tuple[float, int]:
    """Share of the flagged rows where the event happened, and how many were flagged.

    NaN when nothing was flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> flag_precision(pd.Series([True, True, False]), pd.Series([True, False, True]))
    (0.5, 2)
    """
    flag = flag.fillna(False).astype(bool)
    n = int(flag.sum())
    if not n:
        return float("nan"), 0
    return float(event[flag].astype(bool).mean()), n


def tier_growth(
    observations: pd.DataFrame,
    *,
    tier: str = "tier",
    outcome: str = "revenue_growth",
    order: Sequence[str] = TIER_ORDER,
) -> pd.DataFrame:
    """Median later growth of each tier (``order``), with the number of accounts.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"tier": ["key", "key", "maintain"], "g": [0.1, 0.3, -0.2]})
    >>> tier_growth(obs, outcome="g").values.tolist()
    [['key', 0.2, 2], ['develop', nan, 0], ['maintain', -0.2, 1], ['opportunistic', nan, 0]]
    """
    groups = observations.groupby(tier)[outcome]
    median, n = groups.median(), groups.count()
    return pd.DataFrame(
        {
            "tier": list(order),
            "median_growth": [float(median.get(t, np.nan)) for t in order],
            "n": [int(n.get(t, 0)) for t in order],
        }
    )


def predictor_correlations(
    observations: pd.DataFrame,
    *,
    criteria: Sequence[str] = (),
    signals: Sequence[str] = (),
    outcome: str = "revenue_growth",
) -> pd.DataFrame:
    """Rank ``outcome`` by each criterion and each signal on its own.

    A criterion predicts when a higher rating goes with more growth (``direction`` +1), a
    signal when raising it goes with less (-1); ``oriented`` is ``spearman x direction``,
    positive when the predictor points the way it is meant to. Sorted by ``oriented``, best
    first (NaN last).

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"margin": [1, 2, 3, 4], "late": [True, True, False, False],
    ...                     "g": [-0.3, -0.1, 0.1, 0.2]})
    >>> p = predictor_correlations(obs, criteria=["margin"], signals=["late"], outcome="g")
    >>> p[["predictor", "kind", "oriented"]].round(3).values.tolist()
    [['margin', 'criterion', 1.0], ['late', 'signal', 0.894]]
    """
    rows = []
    for kind, names, direction in (("criterion", criteria, 1), ("signal", signals, -1)):
        for name in names:
            values = observations[name].astype(float)
            rho, p, n = _spearman(values, observations[outcome])
            rows.append((name, kind, rho, p, n, direction, rho * direction))
    columns = ["predictor", "kind", "spearman", "p_value", "n", "direction", "oriented"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("oriented", ascending=False, kind="stable", na_position="last")


def fit_weights(
    ratings: pd.DataFrame, outcome: pd.Series, *, start: Mapping[str, float] | None = None
) -> pd.Series:
    """Fit the weights on the simplex whose weighted rating would have ranked ``outcome`` best.

    Maximises the correlation of ``ratings @ w`` with the ranks of ``outcome`` over
    weights ``w >= 0`` summing to 1 (:func:`scipy.optimize.minimize`, SLSQP, from ``start``
    and from equal weights; the better of the two). Rows with a blank are left out. An
    in-sample fit: it finds the weights that explain the past it was shown, and overstates
    how well they would predict the next year. A suggestion to discuss, never applied.

    Returns
    -------
    Series indexed by the columns of ``ratings``, summing to 1; ``attrs["spearman"]`` is the
    in-sample Spearman of the fitted score with the outcome, ``attrs["n"]`` the rows used.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> r = pd.DataFrame(rng.integers(1, 6, size=(200, 3)).astype(float), columns=list("abc"))
    >>> w = fit_weights(r, r["b"] + rng.normal(0, 0.5, 200))
    >>> bool(w["b"] > 0.9), round(float(w.sum()), 6)
    (True, 1.0)
    """
    known = ratings.notna().all(axis=1) & outcome.notna()
    x = ratings.loc[known].to_numpy(dtype=float)
    k = x.shape[1]
    equal = np.full(k, 1.0 / k)
    if len(x) < 3 or k == 0:
        out = pd.Series(equal, index=ratings.columns)
        out.attrs = {"spearman": float("nan"), "n": len(x)}
        return out
    from scipy import optimize, stats

    y = stats.rankdata(outcome[known].to_numpy(dtype=float))
    xc, yc = x - x.mean(axis=0), y - y.mean()
    cov = xc.T @ xc
    c = xc.T @ yc

    def negative_correlation(w: np.ndarray) -> float:
        spread = float(w @ cov @ w)
        return -float(w @ c) / np.sqrt(spread) if spread > 1e-12 else 0.0

    starts = [equal]
    if start is not None:
        given = np.array([float(start.get(col, 0.0)) for col in ratings.columns])
        if given.sum() > 0:
            starts.append(given / given.sum())
    best = None
    for w0 in starts:
        fit = optimize.minimize(
            negative_correlation,
            w0,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * k,
            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}],
        )
        if best is None or fit.fun < best.fun:
            best = fit
    w = np.where(best.x < 1e-6, 0.0, best.x)  # the optimiser's 1e-10 is a zero weight
    w = w / w.sum() if w.sum() > 0 else equal
    out = pd.Series(w, index=ratings.columns)
    rho = stats.spearmanr(x @ w, y).statistic if np.ptp(x @ w) > 0 else float("nan")
    out.attrs = {"spearman": float(rho), "n": len(x)}
    return out
