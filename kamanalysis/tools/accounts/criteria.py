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
from ...base.errors import Problem
from ...base.quarters import is_quarter, quarter_range, shift_quarter
from ...base.schema import DEFAULT_SCALES, DEFAULT_SETTINGS
from ...core.scoring import check_weights
from ._common import _high, _raise

#: Measured key-account criteria: criterion -> (measure column, higher is better).
#: Each measure is rated on the scale by its rank among the BU's accounts (see
#: :func:`rate_by_rank`); every other weighted criterion is taken from the workshop's
#: ``att_<criterion>`` rating.
MEASURED_CRITERIA: dict[str, tuple[str, bool]] = {
    "volume": ("sales", True),
    "margin": ("avg_margin_pct", True),
    "growth": ("purchase_growth", True),
    "wallet_potential": ("untapped_spend", True),
    "credit": ("avg_payment_days", False),
}

#: How each criterion is described in the reasons: the catalogue's ``reason.<criterion>``
#: (measured values in brackets; placeholders are the measured columns and ``rating``).
REASON_KEYS = ("volume", "margin", "growth", "wallet_potential", "credit", "strategic_access")

#: A criterion rated at or above ``strong`` is named a strength, at or below ``weak`` a
#: weakness (on 1-5; on another scale the same fractions of the range are used).
REASON_BANDS = {"strong": 4.0, "weak": 2.0}


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
    measures = pd.DataFrame(
        {
            "bu_id": g["bu_id"].first(),
            "sales": sales,
            "avg_margin_pct": revenue_weighted("gross_margin_pct"),
            "purchase_growth": safe_divide(sales, r[before].sum(axis=1)) - 1,
            "acceleration": (safe_divide(last, mid) - 1) - (safe_divide(mid, first) - 1),
            "share_of_wallet": safe_divide(sales, g["category_spend"].sum()),
            "untapped_spend": (g["category_spend"].sum() - sales).clip(lower=0),
            "avg_payment_days": revenue_weighted("payment_days"),
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
    window: int = 4,
    first_quarter: str | None = None,
    cut: float = 3.0,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    lang: str = "en",
) -> pd.DataFrame:
    """Decide which accounts qualify as key accounts (大客户评选标准), and say why.

    The seeds' criteria (001, 004), each on the rating scale:

    ==================  ===============================================================
    criterion           measured from the ledger (``account_quarters``), last ``window``
                        quarters up to ``quarter`` (default 4: a year)
    ==================  ===============================================================
    volume              sales in the window
    margin              revenue-weighted average gross margin
    growth              sales against the ``window`` quarters before (no row = no sales)
    wallet_potential    untapped category spend: category spend minus our sales
    credit              revenue-weighted average payment days (fewer is better)
    strategic_access    not measurable: the workshop's ``att_strategic_access`` rating
    ==================  ===============================================================

    Each measure is rated by its rank within the account's BU (:func:`rate_by_rank`: the
    bottom fifth gets 1, the top fifth 5). Any weighted criterion not measured
    (:data:`MEASURED_CRITERIA`) comes from the workshop's ``att_<criterion>`` rating in
    ``quarter``. The score is the weighted mean of the criteria (criteria that cannot be
    rated, such as growth without a year before, are left out and the other weights
    rescaled; the reasons say so); an account **qualifies** when its score is at or above
    ``cut``. No single criterion decides: a big buyer with a squeezed margin and late
    payments scores low on two criteria its volume cannot make up for.

    Acceleration (purchases speeding up: growth of the last half-window on the half
    before, minus the growth of that half on the one before it) is reported, and named in
    the reasons, for the small account still testing us, but it is not scored.

    Parameters
    ----------
    quarters : DataFrame
        ``account_quarters`` rows (``bu_id``, ``account_id``, ``quarter``, ``revenue``,
        ``gross_margin_pct``, ``category_spend``, ``payment_days``), any number of BUs;
        ranks are taken within each BU.
    assessments : DataFrame, optional
        ``account_assessments`` rows; those of ``quarter`` give the rated criteria and the
        workshop's ratings of the measured ones (``rated_<criterion>``), which
        :func:`rating_disagreements` compares with the ledger.
    quarter : str, optional
        Default: the latest quarter in ``quarters``.
    weights : mapping criterion -> weight, optional
        Default: the engagement defaults, ``DEFAULT_SETTINGS["weights"]["attractiveness"]``.
    window : int
        Quarters per period (4 = a year).
    first_quarter : str, optional
        The first quarter of the ledger (default: the earliest in ``quarters``). A criterion
        whose window starts before it (growth needs ``2 * window`` quarters, the others
        ``window``) is not measured on a shorter window: it takes the workshop's
        ``att_<criterion>`` rating of ``quarter`` instead, the reasons say so, and
        ``attrs["from_workshop"]`` maps it to the quarters it needs.
    cut : float
        Score at or above which an account qualifies (default 3.0, the middle of 1-5).
    scale : (lo, hi)

    Returns
    -------
    DataFrame indexed by ``account_id`` (sorted), with ``bu_id``, the measures
    (``sales``, ``avg_margin_pct``, ``purchase_growth``, ``acceleration``,
    ``share_of_wallet``, ``untapped_spend``, ``avg_payment_days``), one rating column per
    weighted criterion, ``rated_<criterion>`` for each measured criterion (NaN without an
    assessment), ``score``, ``qualifies`` and ``reasons`` (in words).

    Raises
    ------
    InvalidWeightsError
        Weights not summing to 1 (or 100).
    InputValidationError
        A column missing, a weight naming no known criterion, a bad quarter or window.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"bu_id": "X", "account_id": ["big", "good"], "quarter": "2026Q3",
    ...     "revenue": [900.0, 500.0], "gross_margin_pct": [3.0, 30.0],
    ...     "category_spend": [1000.0, 600.0], "payment_days": [150.0, 45.0]})
    >>> c = score_key_account_criteria(q, weights={"volume": 0.4, "margin": 0.3, "credit": 0.3},
    ...                                window=1)
    >>> c[["volume", "margin", "credit", "score", "qualifies"]].values.tolist()
    [[5.0, 3.0, 3.0, 3.8, True], [3.0, 5.0, 5.0, 4.2, True]]
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
    w = check_weights(weights, where=f"{where} (weights)")
    problems = []
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
    for criterion, (column, higher) in MEASURED_CRITERIA.items():
        if criterion in uncovered:
            continue  # the workshop's rating, below
        if criterion in w.index:
            out[criterion] = rate_by_rank(
                measures[column], measures["bu_id"], higher_is_better=higher, scale=scale
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
        if current is None or f"att_{criterion}" not in current.columns:
            out[criterion] = np.nan  # neither measured nor rated: not rated
            continue
        out[criterion] = pd.to_numeric(current[f"att_{criterion}"], errors="coerce").reindex(
            out.index
        )
    for criterion in MEASURED_CRITERIA:
        col = f"att_{criterion}"
        if current is not None and col in current.columns:
            out[f"rated_{criterion}"] = pd.to_numeric(current[col], errors="coerce").reindex(
                out.index
            )
        else:
            out[f"rated_{criterion}"] = np.nan
    ratings = out[list(w.index)].to_numpy(dtype="float64")
    off = ~np.isnan(ratings) & ~((ratings >= scale[0]) & (ratings <= scale[1]))
    if off.any():
        _raise(
            [
                Problem(
                    where,
                    f"a rating from {scale[0]:g} to {scale[1]:g}",
                    describe(ratings[i, j]),
                    column=f"att_{w.index[j]} of {out.index[i]!r}",
                )
                for i, j in zip(*np.nonzero(off), strict=True)
            ]
        )
    known = ~np.isnan(ratings)
    wv = w.to_numpy()
    total = known @ wv
    score = safe_divide(
        pd.Series(np.nan_to_num(ratings) @ wv, index=out.index), pd.Series(total, index=out.index)
    )
    out["score"] = score
    out["qualifies"] = _high(score.fillna(-np.inf), cut)
    words = _ReasonWords(list(w.index), lang)
    words.workshop = {c: uncovered[c] for c in workshop}
    out["reasons"] = [_reasons(row, words, cut, scale, quarter) for row in out.to_dict("records")]
    out.attrs["from_workshop"] = dict(words.workshop)
    return out


class _ReasonWords:
    """The catalogue's ``reason.*`` texts and the criteria's names, looked up once."""

    def __init__(self, criteria: list[str], lang: str) -> None:
        keys = [k[len("reason.") :] for k in i18n.catalogue() if k.startswith("reason.")]
        self.templates = {key: i18n.text(f"reason.{key}", lang) for key in keys}
        self.criteria = criteria
        self.workshop: dict[str, str] = {}  # criterion -> the window the ledger lacks
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
                values["rating"] = r
                described = words.templates[c].format_map(values)
        except (ValueError, TypeError, KeyError):
            described = f"{words.names[c]} ({r:g})"
        if r >= strong_at:
            strong.append(described)
        elif r <= weak_at:
            weak.append(described)
    if pd.isna(row["score"]):
        head = say("unscored")
    elif row["qualifies"]:
        head = say("qualifies", score=row["score"], cut=cut)
    else:
        head = say("not_qualifies", score=row["score"], cut=cut)
    parts = [head]
    if weak:
        parts.append(say("weak", criteria=comma.join(weak)))
    if strong:
        parts.append(say("strong", criteria=comma.join(strong)))
    if not row["qualifies"] and "volume" in words.criteria and row.get("volume", 0) >= strong_at:
        parts.append(say("big_not_key"))
    if row.get("acceleration", 0) > 0 and row.get("purchase_growth", 0) > 0:
        parts.append(say("accelerating", acceleration=row["acceleration"]))
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


def rating_disagreements(criteria: pd.DataFrame, *, gap: float = 2.0) -> pd.DataFrame:
    """Where the workshop's rating and the ledger disagree by ``gap`` points or more.

    Parameters
    ----------
    criteria : DataFrame
        The result of :func:`score_key_account_criteria`.
    gap : float
        Smallest difference reported (default 2: "rated margin 4, measured in the BU's
        bottom fifth" is a gap of 3).

    Returns
    -------
    DataFrame with ``account_id``, ``criterion``, ``rated`` (workshop), ``measured``
    (ledger), ``gap`` (rated - measured) and ``note`` in words, largest gaps first.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"margin": [1.0, 4.0], "rated_margin": [4.0, 4.0],
    ...                   "avg_margin_pct": [3.1, 28.0]},
    ...                  index=pd.Index(["A", "B"], name="account_id"))
    >>> rating_disagreements(c)[["account_id", "criterion", "rated", "measured"]].values.tolist()
    [['A', 'margin', 4.0, 1.0]]
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
        for account, r, m, value in zip(picked.index, rated, measured, values, strict=True):
            records.append(
                {
                    "account_id": account,
                    "criterion": criterion,
                    "rated": float(r),
                    "measured": float(m),
                    "gap": float(r - m),
                    "note": (
                        f"workshop rated {criterion} {r:g}, the ledger "
                        f"puts it at {m:g} ({column} {value:,.4g})"
                    ),
                }
            )
    frame = pd.DataFrame.from_records(
        records, columns=["account_id", "criterion", "rated", "measured", "gap", "note"]
    )
    order = frame["gap"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)
