"""Key-account criteria: which accounts qualify, why, and where the workshop disagrees.

- :func:`score_key_account_criteria`: criteria measured in the sales ledger
  (:data:`MEASURED_CRITERIA`, each rated by its rank in the BU with :func:`rate_by_rank`)
  and rated in the workshop, a weighted score, and the reasons in words
  (:data:`REASON_KEYS`, :data:`REASON_BANDS`).
- :func:`rating_disagreements`: where the workshop's rating and the ledger disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...base import i18n
from ...base._numeric import safe_divide
from ...base._validation import describe, require_columns
from ...base.account_terms import ANCHOR_ORDER
from ...base.errors import Problem
from ...base.quarters import is_quarter, quarter_range, shift_quarter
from ...base.schema import DEFAULT_SCALES, DEFAULT_SETTINGS
from ...core.scoring import check_weights
from ._common import _high, _off_scale, _raise

#: Measured key-account criteria: criterion -> (measure column, higher is better).
#: How each is put on the rating scale is :data:`CRITERION_RULES`; every other weighted
#: criterion is taken from the workshop's ``att_<criterion>`` rating.
MEASURED_CRITERIA: dict[str, tuple[str, bool]] = {
    "profit_share": ("gross_profit", True),
    "volume": ("sales", True),
    "margin": ("avg_margin_pct", True),
    "growth": ("purchase_growth", True),
    "wallet_potential": ("untapped_spend", True),
    "credit": ("avg_payment_days", False),
    "cost_to_serve": ("cost_to_serve_ratio", False),
}

#: How a measured criterion is rated (seeds 001, 004: a margin, a payment cycle and a growth
#: mean the same in every BU; a share of profit is a share of *this* BU's):
#: ``("anchors", worst, best)``: linear between the two anchors of ``anchors`` (at or beyond
#: the worst: the scale's bottom; at or beyond the best: its top); ``("share",)``: by the
#: cumulative share of the BU's total that the larger accounts carry before this one
#: (:func:`rate_by_share`, the bands ``anchors.share_bands``).
CRITERION_RULES: dict[str, tuple] = {
    "profit_share": ("share",),
    "volume": ("share",),
    "wallet_potential": ("share",),
    "margin": ("anchors", "margin_floor", "margin_target"),
    "credit": ("anchors", "payment_days_ceiling", "payment_days_target"),
    "growth": ("anchors", "growth_floor", "growth_target"),
    "cost_to_serve": ("anchors", "cost_to_serve_ceiling", "cost_to_serve_target"),
}

#: Workshop criteria whose column may be absent or blank: not assessed, never zero.
OPTIONAL_CRITERIA = ("influence", "strategic_fit")

#: How each criterion is described in the reasons: the catalogue's ``reason.<criterion>``
#: (measured values in brackets; placeholders are the measured columns and ``rating``).
REASON_KEYS = (
    "profit_share",
    "volume",
    "margin",
    "growth",
    "wallet_potential",
    "credit",
    "cost_to_serve",
    "strategic_access",
    "influence",
    "strategic_fit",
)

#: A criterion rated at or above ``strong`` is named a strength, at or below ``weak`` a
#: weakness (on 1-5; on another scale the same fractions of the range are used).
REASON_BANDS = {"strong": 4.0, "weak": 2.0}


def check_anchors(anchors: Mapping, *, where: str = "anchors") -> list[Problem]:
    """Problems with anchors: a floor at or above its target, share bands not increasing.

    Examples
    --------
    >>> [p.found for p in check_anchors({"margin_floor": 35.0, "margin_target": 30.0})]
    ['margin_floor 35 is not below margin_target 30']
    """
    problems = []
    for low, high in ANCHOR_ORDER:
        a, b = anchors.get(low), anchors.get(high)
        if a is not None and b is not None and not a < b:
            problems.append(
                Problem(
                    where,
                    f"{low} below {high}",
                    f"{low} {a:g} is not below {high} {b:g}",
                    column=low,
                )
            )
    bands = list(anchors.get("share_bands", DEFAULT_SETTINGS["anchors"]["share_bands"]))
    if len(bands) != 4 or any(not 0 < b <= 1 for b in bands) or bands != sorted(set(bands)):
        problems.append(
            Problem(
                where,
                "four increasing shares in (0, 1]",
                describe(str(bands)),
                column="share_bands",
            )
        )
    return problems


def rate_between(
    values: pd.Series, worst: float, best: float, *, scale=DEFAULT_SCALES["rating"]
) -> pd.Series:
    """Rate measured values linearly between two anchors: ``worst`` -> bottom, ``best`` -> top.

    ``worst`` may lie above ``best`` (payment days: fewer is better). Beyond an anchor the
    rating stays at the end of the scale; a missing value stays missing.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_between(pd.Series([10.0, 15.0, 22.5, 30.0, 40.0]), 15, 30).tolist()
    [1.0, 1.0, 3.0, 5.0, 5.0]
    >>> rate_between(pd.Series([30.0, 60.0, 120.0]), 90, 30).tolist()
    [5.0, 3.0, 1.0]
    """
    lo, hi = scale
    x = (pd.to_numeric(values, errors="coerce").astype("float64") - worst) / (best - worst)
    return lo + (hi - lo) * x.clip(0.0, 1.0)


def rate_by_share(
    values: pd.Series,
    groups: pd.Series | None = None,
    *,
    bands=(0.5, 0.7, 0.85, 0.95),
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.Series:
    """Rate accounts by the share of their group's total carried by the accounts above them.

    Accounts are ranked largest first within each group; an account whose larger
    neighbours together carry less than ``bands[0]`` of the total (the few that make the
    first half of the profit, seed 001) gets the top of the scale, less than ``bands[1]``
    the next point, and so on; an account past ``bands[3]``, or with a value of zero or
    less, gets the bottom. Missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_by_share(pd.Series([60.0, 20.0, 10.0, 6.0, 3.0, 1.0])).tolist()
    [5.0, 4.0, 3.0, 2.0, 1.0, 1.0]
    """
    lo, hi = scale
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    g = groups if groups is not None else pd.Series(0, index=v.index)
    positive = v.where(v > 0, 0.0)
    order = pd.DataFrame({"g": g.to_numpy(), "v": positive.fillna(0.0).to_numpy()}, index=v.index)
    order = order.sort_values(["g", "v"], ascending=[True, False], kind="stable")
    by = order.groupby("g", sort=False)["v"]
    total = by.transform("sum")
    before = (by.cumsum() - order["v"]) / total.where(total > 0)
    level = np.searchsorted(np.asarray(bands, dtype="float64"), before.to_numpy(), side="right")
    rating = pd.Series(hi - level * (hi - lo) / 4, index=order.index).reindex(v.index)
    rating = rating.where(positive > 0, lo)
    return rating.where(v.notna())


def rate_by_rank(
    values: pd.Series,
    groups: pd.Series | None = None,
    *,
    higher_is_better: bool = True,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.Series:
    """Put measured values on the rating scale by their rank within each group.

    The rule: with ``k`` whole-number points on the scale (5 on 1-5), an account whose
    percentile rank ``p`` in its group (ties share the average rank; the best account has
    ``p = 1``) lies in ``((i-1)/k, i/k]`` gets ``lo + i - 1``: the bottom fifth of a BU gets
    1, the top fifth 5. Missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> rate_by_rank(pd.Series([10, 20, 30, 40, 50])).tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0]
    >>> rate_by_rank(pd.Series([10, 20, 30, 40, 50]), higher_is_better=False).tolist()
    [5.0, 4.0, 3.0, 2.0, 1.0]
    """
    lo, hi = scale
    k = math.floor(hi - lo) + 1
    ranked = values.groupby(groups) if groups is not None else values
    pct = ranked.rank(pct=True, ascending=higher_is_better, method="average")
    return (lo + np.ceil(pct * k - 1e-9) - 1).clip(lo, lo + k - 1)


def _ledger_measures(quarters: pd.DataFrame, quarter: str, window: int) -> pd.DataFrame:
    """Per account: the window's sales, margin, growth, acceleration, wallet and payment days."""
    recent = quarter_range(shift_quarter(quarter, -(window - 1)), quarter)
    before = quarter_range(
        shift_quarter(quarter, -(2 * window - 1)), shift_quarter(quarter, -window)
    )
    rows = quarters.loc[quarters["quarter"].isin(recent + before)]
    revenue = rows.pivot_table(
        index="account_id", columns="quarter", values="revenue", aggfunc="sum"
    )
    revenue = revenue.reindex(columns=before + recent).fillna(0.0)  # no row = no purchases
    now = rows.loc[rows["quarter"].isin(recent)]
    g = now.groupby("account_id", sort=True)  # accounts with a row in the window
    keep = g.size().index
    sales = g["revenue"].sum()
    weight = now["revenue"]

    def revenue_weighted(column: str) -> pd.Series:
        num = (now[column] * weight).groupby(now["account_id"]).sum()
        plain = g[column].mean()  # an account with no revenue: the plain mean
        return safe_divide(num, sales).fillna(plain)

    half = max(window // 2, 1)
    cols = before + recent
    r = revenue.reindex(keep)
    last = r[cols[-half:]].sum(axis=1)
    mid = r[cols[-2 * half : -half]].sum(axis=1)
    first = r[cols[-3 * half : -2 * half]].sum(axis=1) if 3 * half <= len(cols) else np.nan
    profit = now["revenue"] * now["gross_margin_pct"] / 100
    gross_profit = profit.groupby(now["account_id"]).sum()
    prior = r[before].sum(axis=1)
    if "cost_to_serve" in now.columns:
        cost = pd.to_numeric(now["cost_to_serve"], errors="coerce")
        costed = cost.notna()  # a blank quarter is not assessed: left out of both sums
        cost_sum = cost.groupby(now["account_id"]).sum(min_count=1)
        profit_costed = profit.where(costed).groupby(now["account_id"]).sum(min_count=1)
        cost_ratio = safe_divide(cost_sum, profit_costed.where(profit_costed > 0))
    else:
        cost_ratio = pd.Series(np.nan, index=keep)
    bu = g["bu_id"].first()
    measures = pd.DataFrame(
        {
            "bu_id": bu,
            "sales": sales,
            "gross_profit": gross_profit,
            "gp_share": safe_divide(gross_profit, gross_profit.groupby(bu).transform("sum")),
            "avg_margin_pct": revenue_weighted("gross_margin_pct"),
            "purchase_growth": safe_divide(sales, prior) - 1,
            "acceleration": (safe_divide(last, mid) - 1) - (safe_divide(mid, first) - 1),
            "prior_share": safe_divide(prior, prior.groupby(bu).transform("sum")),
            "share_of_wallet": safe_divide(sales, g["category_spend"].sum()),
            "untapped_spend": (g["category_spend"].sum() - sales).clip(lower=0),
            "avg_payment_days": revenue_weighted("payment_days"),
            "cost_to_serve_ratio": cost_ratio.reindex(keep),
        }
    )
    measures.index.name = "account_id"
    return measures


def score_key_account_criteria(
    quarters: pd.DataFrame,
    assessments: pd.DataFrame | None = None,
    *,
    quarter: str | None = None,
    weights: Mapping[str, float] | None = None,
    anchors: Mapping | None = None,
    window: int = 4,
    first_quarter: str | None = None,
    cut: float = 3.0,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    lang: str | None = "en",
) -> pd.DataFrame:
    """Rate each account on the key-account criteria (大客户评选标准), and say why.

    The seeds' criteria (001, 002, 004), each on the rating scale:

    ==================  ===============================================================
    criterion           measured from the ledger (``account_quarters``), last ``window``
                        quarters up to ``quarter`` (default 4: a year)
    ==================  ===============================================================
    profit_share        gross profit (revenue x margin): the accounts that together carry
                        the first half of the BU's gross profit rate highest
                        (:func:`rate_by_share`, ``anchors["share_bands"]``)
    volume              sales, rated the same way on the BU's sales
    wallet_potential    untapped category spend (category spend minus our sales), the same
    margin              revenue-weighted gross margin, between ``margin_floor`` (bottom)
                        and ``margin_target`` (top)
    credit              revenue-weighted payment days, between ``payment_days_ceiling``
                        (bottom) and ``payment_days_target`` (top)
    growth              sales on the ``window`` before, between ``growth_floor`` and
                        ``growth_target``
    cost_to_serve       cost to serve / gross profit (optional column; blank = not
                        assessed), between ``cost_to_serve_ceiling`` and ``_target``
    strategic_access,   not measurable: the workshop's ``att_<criterion>`` rating;
    influence,          ``influence`` and ``strategic_fit`` (seed 002's other meanings of
    strategic_fit       "big") may be absent or blank: not assessed
    ==================  ===============================================================

    The anchors (``anchors``, default ``DEFAULT_SETTINGS["anchors"]``) mean the same in
    every BU: a margin below the floor is poor however the BU's other accounts do. The
    score is the weighted mean of the criteria that could be rated (a criterion not
    assessed is left out and the other weights rescaled; the reasons say so); an account
    is ``attractive`` when its score is at or above ``cut``. No single criterion decides:
    a big buyer with a squeezed margin and late payments scores low on two criteria its
    volume cannot make up for. An account is ``accelerating`` (seed 002: the small
    account still testing us) when its purchases grew by ``accelerating_growth`` or more
    from a base below ``small_share`` of the BU's purchases the window before.

    Parameters
    ----------
    quarters : DataFrame
        ``account_quarters`` rows (``bu_id``, ``account_id``, ``quarter``, ``revenue``,
        ``gross_margin_pct``, ``category_spend``, ``payment_days``, optionally
        ``cost_to_serve``), any number of BUs; shares are taken within each BU.
    assessments : DataFrame, optional
        ``account_assessments`` rows; those of ``quarter`` give the rated criteria and the
        workshop's ratings of the measured ones (``rated_<criterion>``), which
        :func:`rating_disagreements` compares with the ledger.
    quarter : str, optional
        Default: the latest quarter in ``quarters``.
    weights : mapping criterion -> weight, optional
        Default: ``DEFAULT_SETTINGS["weights"]["attractiveness"]``.
    anchors : mapping, optional
        Default: ``DEFAULT_SETTINGS["anchors"]``; keys given replace the defaults.
    window : int
        Quarters per period (4 = a year).
    first_quarter : str, optional
        The first quarter of the ledger (default: the earliest in ``quarters``). A criterion
        whose window starts before it (growth needs ``2 * window`` quarters, the others
        ``window``) is not measured on a shorter window: it takes the workshop's
        ``att_<criterion>`` rating of ``quarter`` instead, the reasons say so, and
        ``attrs["from_workshop"]`` maps it to the quarters it needs.
    cut : float
        Score at or above which an account is attractive (default 3.0).
    scale : (lo, hi)
    lang : str or None
        Language of the reasons; None leaves the reasons out (the scores only: the
        backtest scores every past quarter, and the words would be most of its time).

    Returns
    -------
    DataFrame indexed by ``account_id`` (sorted), with ``bu_id``, the measures
    (``sales``, ``gross_profit``, ``gp_share``, ``avg_margin_pct``,
    ``purchase_growth``, ``acceleration``, ``prior_share``, ``share_of_wallet``,
    ``untapped_spend``, ``avg_payment_days``, ``cost_to_serve_ratio``), one rating column
    per weighted criterion, ``rated_<criterion>`` for each measured criterion (NaN without
    an assessment), ``score``, ``attractive``, ``accelerating`` and ``reasons`` (words; left
    out when ``lang`` is None).

    Raises
    ------
    InvalidWeightsError
        Weights not summing to 1 (or 100).
    InputValidationError
        A column missing, a weight naming no known criterion, a bad quarter or window,
        an anchor floor at or above its target.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"bu_id": "X", "account_id": ["big", "good"], "quarter": "2026Q3",
    ...     "revenue": [900.0, 500.0], "gross_margin_pct": [3.0, 30.0],
    ...     "category_spend": [1000.0, 600.0], "payment_days": [150.0, 45.0]})
    >>> c = score_key_account_criteria(q, weights={"volume": 0.4, "margin": 0.3, "credit": 0.3},
    ...                                window=1)
    >>> c[["volume", "margin", "credit", "attractive"]].values.tolist()
    [[5.0, 1.0, 1.0, False], [4.0, 5.0, 4.0, True]]
    >>> c["score"].round(2).tolist()
    [2.6, 4.3]
    """
    where = "score_key_account_criteria"
    require_columns(
        quarters,
        (
            "bu_id",
            "account_id",
            "quarter",
            "revenue",
            "gross_margin_pct",
            "category_spend",
            "payment_days",
        ),
        where=where,
    )
    weights = dict(DEFAULT_SETTINGS["weights"]["attractiveness"] if weights is None else weights)
    anchors = {**DEFAULT_SETTINGS["anchors"], **(anchors or {})}
    w = check_weights(weights, where=f"{where} (weights)")
    problems = check_anchors(anchors, where=f"{where} (anchors)")
    if quarter is None:
        quarter = max(quarters["quarter"].dropna(), default=None)
    if not is_quarter(quarter):
        problems.append(
            Problem(where, "a quarter written like 2026Q3", describe(quarter), column="quarter")
        )
    if not (isinstance(window, int) and window >= 1):
        problems.append(
            Problem(where, "a whole number of quarters >= 1", describe(window), column="window")
        )
    if not scale[0] <= cut <= scale[1]:
        problems.append(
            Problem(where, f"a cut from {scale[0]:g} to {scale[1]:g}", describe(cut), column="cut")
        )
    first_quarter = first_quarter or min(quarters["quarter"].dropna(), default=quarter)
    rated = [c for c in w.index if c not in MEASURED_CRITERIA]
    for criterion in rated:
        if criterion in OPTIONAL_CRITERIA:
            continue  # absent = not assessed
        if assessments is None or f"att_{criterion}" not in assessments.columns:
            problems.append(
                Problem(
                    where,
                    f"a measured criterion ({', '.join(MEASURED_CRITERIA)}) or a column "
                    f"att_{criterion} "
                    "in the assessments",
                    "no such column",
                    column=f"att_{criterion}",
                )
            )
    _raise(problems)
    measures = _ledger_measures(quarters, quarter, window)
    # a window the ledger does not cover is not measured on the quarters there are
    start = shift_quarter(quarter, -(window - 1))
    if shift_quarter(quarter, -(2 * window - 1)) < first_quarter:
        measures["purchase_growth"] = np.nan
        measures["acceleration"] = np.nan
        uncovered = {"growth": f"{shift_quarter(quarter, -(2 * window - 1))} to {quarter}"}
    else:
        uncovered = {}
    if start < first_quarter:
        uncovered = {c: f"{start} to {quarter}" for c in MEASURED_CRITERIA} | uncovered
    out = measures.copy()
    for criterion, rule in CRITERION_RULES.items():
        if criterion not in w.index or criterion in uncovered:
            continue  # an uncovered window: the workshop's rating, below
        column = MEASURED_CRITERIA[criterion][0]
        if rule[0] == "share":
            out[criterion] = rate_by_share(
                measures[column], measures["bu_id"], bands=anchors["share_bands"], scale=scale
            )
        else:
            out[criterion] = rate_between(
                measures[column], anchors[rule[1]], anchors[rule[2]], scale=scale
            )
    current = None
    if assessments is not None:
        require_columns(assessments, ("account_id", "quarter"), where=where)
        current = (
            assessments.loc[assessments["quarter"] == quarter]
            .drop_duplicates("account_id")
            .set_index("account_id")
        )
    workshop = [c for c in uncovered if c in w.index]
    for criterion in [*rated, *workshop]:
        column = f"att_{criterion}"
        if current is None or column not in current.columns:
            out[criterion] = np.nan  # neither measured nor rated: not assessed
            continue
        out[criterion] = pd.to_numeric(current[column], errors="coerce").reindex(out.index)
    for criterion in MEASURED_CRITERIA:
        col = f"att_{criterion}"
        if current is not None and col in current.columns:
            out[f"rated_{criterion}"] = pd.to_numeric(current[col], errors="coerce").reindex(
                out.index
            )
        else:
            out[f"rated_{criterion}"] = np.nan
    ratings = out[list(w.index)].to_numpy(dtype="float64")
    columns = [f"att_{c}" for c in w.index]
    _raise(_off_scale(ratings, scale, where=where, columns=columns, names=out.index))
    out["score"] = weighted_known(ratings, w.to_numpy(), index=out.index)
    out["attractive"] = _high(out["score"].fillna(-np.inf), cut)
    growth = out["purchase_growth"]
    small = out["prior_share"].fillna(0.0) < anchors["small_share"]
    out["accelerating"] = (growth.fillna(-np.inf) >= anchors["accelerating_growth"]) & small
    out.attrs["from_workshop"] = {c: uncovered[c] for c in workshop}
    if lang is None:  # the scores only
        return out
    _add_reasons(out, list(w.index), lang, window=window, cut=cut, scale=scale, quarter=quarter)
    return out


def with_reasons(
    scored: pd.DataFrame,
    *,
    quarter: str,
    weights: Mapping[str, float] | None = None,
    window: int = 4,
    cut: float = 3.0,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    lang: str = "en",
) -> pd.DataFrame:
    """Return scores of :func:`score_key_account_criteria` (``lang=None``) with their reasons.

    ``scored`` is left as it is; the copy returned is what ``score_key_account_criteria``
    with ``lang`` returns for the same ``quarter``, ``weights``, ``window``, ``cut`` and
    ``scale`` (the ``reasons`` column last): the scores are then computed once for the
    tiers, which need no words, and for the portfolio, which shows them.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"bu_id": "X", "account_id": ["big", "good"], "quarter": "2026Q3",
    ...     "revenue": [900.0, 500.0], "gross_margin_pct": [3.0, 30.0],
    ...     "category_spend": [1000.0, 600.0], "payment_days": [150.0, 45.0]})
    >>> w = {"volume": 0.4, "margin": 0.3, "credit": 0.3}
    >>> scores = score_key_account_criteria(q, weights=w, window=1, lang=None)
    >>> "reasons" in scores, with_reasons(scores, quarter="2026Q3", weights=w, window=1).equals(
    ...     score_key_account_criteria(q, weights=w, window=1))
    (False, True)
    """
    weights = dict(DEFAULT_SETTINGS["weights"]["attractiveness"] if weights is None else weights)
    criteria = list(check_weights(weights, where="with_reasons (weights)").index)
    out = scored.copy()
    out.attrs["from_workshop"] = dict(scored.attrs.get("from_workshop", {}))
    _add_reasons(out, criteria, lang, window=window, cut=cut, scale=scale, quarter=quarter)
    return out


def _add_reasons(
    out: pd.DataFrame, criteria: list[str], lang: str, *, window: int, cut: float, scale, quarter
) -> None:
    """Add the ``reasons`` column (in ``lang``) to the scores ``out``, in place."""
    words = _ReasonWords(criteria, lang)
    # the window the ledger measures cover, said in the reasons ("over the last 4 quarters")
    words.span = words.say("span_1") if window == 1 else words.say("span", n=window)
    words.workshop = dict(out.attrs["from_workshop"])
    out["reasons"] = [_reasons(row, words, cut, scale, quarter) for row in out.to_dict("records")]
    out.attrs["from_workshop"] = dict(words.workshop)


def weighted_known(ratings: np.ndarray, weights: np.ndarray, *, index=None) -> pd.Series:
    """Weighted mean of each row over the ratings known (NaN = not assessed: left out).

    The weights of the criteria not assessed are shared out over the others; a row with
    nothing assessed is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> weighted_known(np.array([[5.0, 1.0], [5.0, np.nan], [np.nan, np.nan]]),
    ...                np.array([0.5, 0.5])).tolist()
    [3.0, 5.0, nan]
    """
    known = ~np.isnan(ratings)
    total = known @ weights
    return safe_divide(
        pd.Series(np.nan_to_num(ratings) @ weights, index=index),
        pd.Series(total, index=index),
    )


class _ReasonWords:
    """The catalogue's ``reason.*`` texts and the criteria's names, looked up once."""

    def __init__(self, criteria: list[str], lang: str) -> None:
        keys = [k[len("reason.") :] for k in i18n.catalogue() if k.startswith("reason.")]
        self.templates = {key: i18n.text(f"reason.{key}", lang) for key in keys}
        self.criteria = criteria
        self.workshop: dict[str, str] = {}  # criterion -> the window the ledger lacks
        self.span = ""  # the ledger's window in words
        self.names = {c: i18n.label(c, lang, kind="criterion") for c in criteria}
        # a Latin comma or semicolon is followed by a space; a Chinese one is not
        self.comma, self.semicolon = (
            self.say(k) + (" " if self.say(k).isascii() else "") for k in ("comma", "semicolon")
        )

    def say(self, key: str, **values) -> str:
        template = self.templates[key]
        return template.format(**values) if values else template


def _reasons(row: dict, words: _ReasonWords, cut: float, scale, quarter: str) -> str:
    span = scale[1] - scale[0]
    strong_at = scale[0] + (REASON_BANDS["strong"] - 1) / 4 * span
    weak_at = scale[0] + (REASON_BANDS["weak"] - 1) / 4 * span
    say, comma = words.say, words.comma
    strong, weak, unrated = [], [], []
    values = dict(row)  # the row's facts and, in turn, each criterion's rating
    values["span"] = getattr(words, "span", "")
    for c in words.criteria:
        r = row[c]
        if r is None or r != r:  # missing or NaN
            unrated.append(c)
            continue
        try:
            if c in words.workshop:
                values["criterion"] = words.names[c]
                values["rating"] = r
                described = words.templates["workshop"].format_map(values)
            elif c not in REASON_KEYS:
                raise KeyError(c)
            else:
                values["rating"] = round(float(r), 1)  # anchored ratings are continuous
                described = words.templates[c].format_map(values)
        except (ValueError, TypeError, KeyError):
            described = f"{words.names[c]} ({r:g})"
        if r >= strong_at:
            strong.append(described)
        elif r <= weak_at:
            weak.append(described)
    if pd.isna(row["score"]):
        head = say("unscored")
    elif row["attractive"]:
        head = say("attractive", score=row["score"], cut=cut)
    else:
        head = say("not_attractive", score=row["score"], cut=cut)
    parts = [head]
    if weak:
        parts.append(say("weak", criteria=comma.join(weak)))
    if strong:
        parts.append(say("strong", criteria=comma.join(strong)))
    big = any(
        c in words.criteria and row.get(c, 0) >= strong_at for c in ("volume", "profit_share")
    )
    if not row["attractive"] and big:
        parts.append(say("big_not_key"))
    if row.get("accelerating"):
        parts.append(say("accelerating", growth=row["purchase_growth"]))
    if words.workshop:
        windows = sorted(set(words.workshop.values()))
        parts.append(
            say(
                "window",
                criteria=comma.join(words.names[c] for c in words.workshop),
                window=comma.join(windows),
            )
        )
    if unrated:
        missing = comma.join(
            say("no_data", criterion=words.names[c], quarter=quarter) for c in unrated
        )
        parts.append(say("not_rated", criteria=missing))
    return words.semicolon.join(parts)


#: How a ledger measure is written in a disagreement's note (no raw column, no e+06).
MEASURE_FORMATS = {
    "gross_profit": "{:,.0f}",
    "sales": "{:,.0f}",
    "avg_margin_pct": "{:.1f} %",
    "purchase_growth": "{:+.1%}",
    "untapped_spend": "{:,.0f}",
    "avg_payment_days": "{:.0f}",
    "cost_to_serve_ratio": "{:.0%}",
}


def _measure_words(column: str, value: float, lang: str) -> tuple[str, str]:
    """Return a ledger measure's name (with its window) and its value, formatted."""
    key = f"ledger.{column}"
    name = i18n.text(key, lang) if i18n.has(key) else column.replace("_", " ")
    shown = "–" if value != value else MEASURE_FORMATS.get(column, "{:,.4g}").format(value)
    return name, shown


def rating_disagreements(
    criteria: pd.DataFrame, *, gap: float = 2.0, lang: str = "en"
) -> pd.DataFrame:
    """Where the workshop's rating and the ledger disagree by ``gap`` points or more.

    Parameters
    ----------
    criteria : DataFrame
        The result of :func:`score_key_account_criteria`.
    gap : float
        Smallest difference reported (default 2: "rated margin 4, measured in the BU's
        bottom fifth" is a gap of 3).
    lang : str
        Language of the ``note`` (``en`` or ``zh``).

    Returns
    -------
    DataFrame with ``account_id``, ``criterion``, ``rated`` (workshop), ``measured``
    (ledger), ``gap`` (rated - measured) and ``note`` in words (the measure named with its
    window and formatted with its unit), largest gaps first.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"margin": [1.0, 4.0], "rated_margin": [4.0, 4.0],
    ...                   "avg_margin_pct": [3.1, 28.0]},
    ...                  index=pd.Index(["A", "B"], name="account_id"))
    >>> d = rating_disagreements(c)
    >>> d[["account_id", "criterion", "rated", "measured"]].values.tolist()
    [['A', 'margin', 4.0, 1.0]]
    >>> d.loc[0, "note"]
    'workshop rated margin 4, the ledger puts it at 1 (gross margin, last four quarters: 3.1 %)'
    """
    records = []
    for criterion, (column, _) in MEASURED_CRITERIA.items():
        rated_col = f"rated_{criterion}"
        if criterion not in criteria or rated_col not in criteria:
            continue
        diff = criteria[rated_col] - criteria[criterion]
        picked = criteria.loc[diff.abs() >= gap]
        rated = picked[rated_col].astype("float64").to_numpy()
        measured = picked[criterion].astype("float64").to_numpy()
        values = picked[column].to_numpy() if column in criteria else np.full(len(picked), np.nan)
        label = i18n.label(criterion, lang, kind="criterion")
        for account, r, m, value in zip(picked.index, rated, measured, values, strict=True):
            measure, shown = _measure_words(column, float(value), lang)
            records.append(
                {
                    "account_id": account,
                    "criterion": criterion,
                    "rated": float(r),
                    "measured": float(m),
                    "gap": float(r - m),
                    "note": i18n.text(
                        "accounts.disagreement",
                        lang,
                        criterion=label,
                        rated=round(r, 1),
                        measured=round(m, 1),
                        measure=measure,
                        value=shown,
                    ),
                }
            )
    frame = pd.DataFrame.from_records(
        records, columns=["account_id", "criterion", "rated", "measured", "gap", "note"]
    )
    order = frame["gap"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)
