"""Key-account portfolio and relationships (大客户组合与关系).

The seeds' key-account methods, as functions on DataFrames:

- :func:`score_key_account_criteria`: which accounts qualify as key accounts, from
  criteria measured in the sales ledger (``account_quarters``) and rated in a workshop
  (``account_assessments``), with the reasons in words and the places where the
  workshop and the ledger disagree (:func:`rating_disagreements`).
- :func:`score_selection_matrix`: account attractiveness x our relative strength ->
  key / develop / maintain / opportunistic.
- :func:`score_supplier_positioning`: the buyer's view of us (importance x relative
  spend) and the frustration zones where our view and theirs do not fit.
- :func:`classify_relationship_stage`: pre / early / mid / partnership / synergistic
  KAM from observable indicators, with drivers and conflicts.
- :func:`buying_centre_coverage`: roles covered and missing, support weighted by
  influence, the 3-5 contacts rule, the last contact with a decider.
- :func:`portfolio_concentration` and :func:`churn_signals`.
- :func:`weight_robustness`: Monte Carlo over the criteria weights.
- :func:`migration`: transitions between quadrants and stages from one quarter to another.

Each ``plot_*`` function takes a scored frame and an optional Axes and returns the Axes.

Conventions. Scores are weighted means on the rating scale (1-5 by default). A score
counts as *high* when it is at or above its cut (a value exactly on a cut is high; a
tolerance of ``1e-9`` absorbs floating-point error, so that ratings all equal to the cut
give a high score). Every point of a matrix belongs to exactly one quadrant.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"account_id": ["A", "B"], "att_margin": [4, 2], "str_price": [2, 4]})
>>> score_selection_matrix(a, attractiveness={"att_margin": 1}, strength={"str_price": 1})[
...     "quadrant"].tolist()
['develop', 'maintain']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ...base import i18n
from ...base._numeric import safe_divide
from ...base._validation import check_allowed, describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.quarters import is_quarter, quarter_range, shift_quarter
from ...base.schema import (
    ATTITUDES,
    BUYER_VIEWS,
    BUYING_ROLES,
    DEFAULT_SCALES,
    DEFAULT_SETTINGS,
    QUADRANTS,
    STAGES,
)
from ...core.charts import COLORS, CYCLE, bubble_matrix, get_axes
from ...core.scoring import check_weights

# ----------------------------------------------------------------------------- data tables

#: (attractiveness high, strength high) -> quadrant of the selection matrix.
QUADRANT_RULES: dict[tuple[bool, bool], str] = {
    (True, True): "key",
    (True, False): "develop",
    (False, True): "maintain",
    (False, False): "opportunistic",
}

#: (importance to the buyer high, buyer's relative spend with us high) -> buyer's view.
BUYER_VIEW_RULES: dict[tuple[bool, bool], str] = {
    (True, True): "strategic_partner",
    (True, False): "strategic_security",
    (False, True): "tactical_profit",
    (False, False): "tactical_convenience",
}

#: (our quadrant, the buyer's view) -> frustration zone; every other pair is "".
#: seller: we treat the account as key, it sees us as a tactical convenience;
#: buyer: it sees us as a strategic partner, we treat it as maintain or opportunistic.
FRUSTRATION_RULES: dict[tuple[str, str], str] = {
    ("key", "tactical_convenience"): "seller",
    ("maintain", "strategic_partner"): "buyer",
    ("opportunistic", "strategic_partner"): "buyer",
}

#: Tolerance of the "at or above the cut" comparison (floating-point error only).
TOLERANCE = 1e-9

#: Relationship-stage evidence: per indicator, the stages each value is consistent with,
#: as ``(lowest value, lowest stage, highest stage)`` rows (numbers: the last row whose
#: lowest value the indicator reaches applies) or ``value: (lowest stage, highest stage)``.
#: The account's stage is the one the most indicators are consistent with; a tie goes to
#: the earlier stage. Drivers are the indicators consistent with it; conflicts those not.
STAGE_EVIDENCE: dict[str, object] = {
    "contact_points": (
        (0, "pre", "pre"),
        (1, "pre", "early"),  # the "bow tie": one or two people
        (3, "mid", "mid"),
        (6, "partnership", "partnership"),
        (10, "synergistic", "synergistic"),  # joint teams by objective
    ),
    "contact_levels": (
        (0, "pre", "pre"),
        (1, "pre", "early"),
        (2, "mid", "mid"),
        (3, "partnership", "synergistic"),
    ),
    "contract_months": (
        (0, "pre", "pre"),
        (1, "early", "early"),
        (12, "mid", "mid"),
        (24, "partnership", "synergistic"),
    ),
    "info_sharing": {
        "none": ("pre", "pre"),
        "transactional": ("early", "early"),
        "regular": ("mid", "mid"),
        "open": ("partnership", "synergistic"),
    },
    "cross_functional_team": {False: ("pre", "early"), True: ("mid", "synergistic")},
    "joint_planning": {False: ("pre", "mid"), True: ("partnership", "synergistic")},
    "preferred_supplier": {False: ("pre", "mid"), True: ("partnership", "synergistic")},
}

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

#: Buying-centre rule of thumb (seed 003): a complex sale needs 3 to 5 contacts.
CONTACT_RULE = (3, 5)

#: Churn-risk signals and their thresholds (seed 003's warning signs, made observable).
CHURN_RULES = {
    "falling_purchases": "sales over the last two quarters 10 % or more below the two before",
    "rising_payment_days": "average payment days over the last two quarters up by 10 days or more",
    "falling_feedback": "mean key-account feedback down by 0.5 or more on the quarter before",
    "no_decider_contact": "no contact with a decider for 180 days or more (or none mapped)",
}
CHURN_THRESHOLDS = {
    "falling_purchases": -0.10,
    "rising_payment_days": 10.0,
    "falling_feedback": -0.5,
    "no_decider_contact": 180,
}


def label(code: str, lang: str = "en") -> str:
    """Display label of a quadrant, buyer view, stage or frustration zone (the catalogue's).

    Examples
    --------
    >>> label("key", "zh"), label("strategic_security"), label("seller")
    ('大客户', 'strategic security', "seller's frustration")
    """
    kind = "frustration" if code in FRUSTRATION_RULES.values() else None
    return i18n.label(code, lang, kind=kind)


# ----------------------------------------------------------------------------- helpers


def _ids(frame: pd.DataFrame) -> list:
    """How each row is named in messages: its account_id, else its index label."""
    if "account_id" in frame.columns:
        return frame["account_id"].tolist()
    return frame.index.tolist()


def _high(values, cut: float):
    """Return True where ``values`` are at or above ``cut`` (within :data:`TOLERANCE`)."""
    return np.asarray(values, dtype="float64") >= cut - TOLERANCE


def _check_cuts(cuts, scale, where: str, names=("attractiveness", "strength")) -> list:
    problems = []
    if len(tuple(cuts)) != 2:
        return [Problem(where, "two cuts (x, y)", describe(str(cuts)), column="cuts")]
    for name, cut in zip(names, cuts, strict=True):
        if not (isinstance(cut, int | float | np.number) and scale[0] <= cut <= scale[1]):
            problems.append(
                Problem(
                    where,
                    f"a cut from {scale[0]:g} to {scale[1]:g}",
                    describe(cut),
                    column=f"cuts ({name})",
                )
            )
    return problems


def _weights(frame: pd.DataFrame, weights: Mapping, *, where: str, name: str):
    """Check a column -> weight mapping: (columns, fractions) or problems."""
    if not isinstance(weights, Mapping) or not weights:
        return (
            [],
            None,
            [Problem(where, "a mapping column -> weight", describe(str(weights)), column=name)],
        )
    problems = [
        Problem(
            where,
            f"a column named {column} (weighted in {name})",
            "no such column",
            column=column,
        )
        for column in weights
        if column not in frame.columns
    ]
    w = check_weights(weights, where=f"{where} ({name})")
    return list(w.index), w.to_numpy(dtype="float64"), problems


def _ratings(frame: pd.DataFrame, columns: Sequence[str], scale, *, where: str):
    """Return the rating columns as a float matrix, and problems for values missing or off scale."""
    if not columns:
        return np.empty((len(frame), 0)), []
    part = frame[list(columns)]
    types = pd.api.types
    if not all(types.is_numeric_dtype(t) and not types.is_bool_dtype(t) for t in part.dtypes):
        part = part.apply(pd.to_numeric, errors="coerce")
    values = part.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~((values >= scale[0]) & (values <= scale[1]))  # NaN is bad too
    problems = []
    if bad.any():
        ids = _ids(frame)
        raw = frame[list(columns)].to_numpy(dtype="object")
        for i, j in zip(*np.nonzero(bad), strict=True):
            problems.append(
                Problem(
                    where,
                    f"a rating from {scale[0]:g} to {scale[1]:g}",
                    describe(raw[i, j]),
                    column=f"{columns[j]} of {ids[i]!r}",
                )
            )
    return values, problems


def _labels(frame: pd.DataFrame, label_by: str) -> list[str] | None:
    """Return the point labels: the ``label_by`` column, or the index if it is so named."""
    if label_by in frame.columns:
        return frame[label_by].astype(str).tolist()
    if frame.index.name == label_by:
        return frame.index.astype(str).tolist()
    return None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InputValidationError(problems)


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted means of rows: one matrix product."""
    return values @ weights


def _quadrant_codes(att_high, str_high) -> np.ndarray:
    """Index into :data:`QUADRANTS` of each (attractive, strong) pair."""
    table = np.array(
        [QUADRANTS.index(QUADRANT_RULES[(a, s)]) for a in (False, True) for s in (False, True)]
    )
    return table[2 * np.asarray(att_high, dtype="int64") + np.asarray(str_high, dtype="int64")]


# ----------------------------------------------------------------------------- selection matrix


def score_selection_matrix(
    assessments: pd.DataFrame,
    *,
    attractiveness: Mapping[str, float],
    strength: Mapping[str, float],
    cuts: tuple[float, float] = (3.0, 3.0),
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """Place accounts on the key-account selection matrix (客户选择矩阵).

    Parameters
    ----------
    assessments : DataFrame
        One row per account, with the rating columns the weights name (e.g. the
        engagement's ``account_assessments`` for one BU and quarter).
    attractiveness, strength : mapping column -> weight
        Columns of ``assessments`` (``"att_margin"``, ``"str_price"``) and their weights,
        summing to 1 (or 100) within each mapping.
    cuts : (attractiveness cut, strength cut)
        A score at or above its cut is high. Default 3.0 and 3.0, the middle of 1-5.
    scale : (lo, hi)
        Scale of the ratings; a rating off it, or missing, is an error.

    Returns
    -------
    DataFrame
        A copy of ``assessments`` (same index and row order) with ``attractiveness`` and
        ``strength`` (weighted means, on the scale) and ``quadrant``: ``key`` (both high),
        ``develop`` (attractive, we are weak), ``maintain`` (we are strong, less
        attractive) or ``opportunistic`` (both low). Display labels: :func:`label` (the catalogue).

    Raises
    ------
    InvalidWeightsError
        Weights negative or not summing to 1 (or 100).
    InputValidationError
        A weight naming a column that is not there, a rating off the scale or missing,
        a cut off the scale.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A", "B", "C", "D"],
    ...                   "att_volume": [5, 3, 2, 1], "att_margin": [3, 3, 2, 1],
    ...                   "str_price": [4, 2, 3, 1]})
    >>> s = score_selection_matrix(a, attractiveness={"att_volume": 0.5, "att_margin": 0.5},
    ...                            strength={"str_price": 1.0})
    >>> s[["attractiveness", "strength", "quadrant"]].values.tolist()
    [[4.0, 4.0, 'key'], [3.0, 2.0, 'develop'], [2.0, 3.0, 'maintain'], [1.0, 1.0, 'opportunistic']]
    """
    where = "score_selection_matrix"
    att_cols, att_w, problems = _weights(
        assessments, attractiveness, where=where, name="attractiveness"
    )
    str_cols, str_w, more = _weights(assessments, strength, where=where, name="strength")
    problems += more + _check_cuts(cuts, scale, where)
    _raise(problems)
    att_x, problems = _ratings(assessments, att_cols, scale, where=where)
    str_x, more = _ratings(assessments, str_cols, scale, where=where)
    _raise(problems + more)
    att = _weighted(att_x, att_w)
    strong = _weighted(str_x, str_w)
    codes = _quadrant_codes(_high(att, cuts[0]), _high(strong, cuts[1]))
    out = assessments.copy(deep=False)  # copy-on-write: the input is never changed
    out["attractiveness"] = att
    out["strength"] = strong
    out["quadrant"] = np.asarray(QUADRANTS, dtype=object)[codes]
    return out


def plot_selection_matrix(
    scored: pd.DataFrame,
    *,
    ax: Axes | None = None,
    cuts: tuple[float, float] | None = None,
    scale: tuple[float, float] | None = None,
    size: str = "revenue",
    label_by: str = "account_id",
    top: int = 15,
    lang: str = "en",
) -> Axes:
    """Bubble chart of the selection matrix: strength across, attractiveness up.

    Bubble area is proportional to ``scored[size]`` when the column is there; only the
    ``top`` largest accounts are labelled, so that thousands of accounts stay legible.
    Accounts are labelled by the ``label_by`` column, or the index when it carries that
    name. ``cuts`` and ``scale`` default to those the frame carries
    (``scored.attrs["selection_cuts"]`` and ``["scale"]``, set by
    :func:`kamanalysis.diagnosis.key_account_portfolio`), else (3.0, 3.0) on 1-5.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"account_id": ["A", "B"], "attractiveness": [4.0, 2.0],
    ...                   "strength": [2.0, 4.5], "revenue": [10.0, 5.0]})
    >>> ax = plot_selection_matrix(s, top=1)
    >>> [t.get_text() for t in ax.texts if t.get_text() == "A"], ax.get_title()
    (['A'], 'Key-account selection matrix')
    """
    require_columns(scored, ("attractiveness", "strength"), where="plot_selection_matrix")
    cuts = cuts or scored.attrs.get("selection_cuts", (3.0, 3.0))
    scale = scale or scored.attrs.get("scale", DEFAULT_SCALES["rating"])
    labels = _labels(scored, label_by)
    cells = {
        (int(s), int(a)): label(QUADRANT_RULES[(bool(a), bool(s))], lang)
        for a in (0, 1)
        for s in (0, 1)
    }
    colors = {(1, 1): COLORS["good"]}
    ax = bubble_matrix(
        ax,
        scored["strength"],
        scored["attractiveness"],
        x_edges=[scale[0], cuts[1], scale[1]],
        y_edges=[scale[0], cuts[0], scale[1]],
        labels=labels,
        size=scored[size] if size in scored else None,
        top=top,
        cell_text=cells,
        cell_colors=colors,
        where="plot_selection_matrix",
    )
    ax.set_xlabel(i18n.text("chart.selection.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.selection.ylabel", lang))
    ax.set_title(i18n.text("chart.selection.title", lang))
    return ax


# ----------------------------------------------------------------------------- supplier positioning


def score_supplier_positioning(
    assessments: pd.DataFrame,
    *,
    cuts: tuple[float, float] = (3.0, 3.0),
    our_view: str | pd.Series | Mapping | None = None,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """Place accounts by the customer's view of us (supplier positioning); frustration zones.

    Parameters
    ----------
    assessments : DataFrame
        Columns ``buyer_importance`` (importance and supply risk of our category to the
        buyer) and ``buyer_relative_spend`` (their spend with us relative to their other
        suppliers), both on ``scale``.
    cuts : (importance cut, spend cut)
        A rating at or above its cut is high. Default 3.0 and 3.0.
    our_view : column name, Series or mapping, optional
        Our own quadrant of each account (see :func:`score_selection_matrix`): the name of
        a column of ``assessments``, or a Series / mapping keyed by ``account_id`` (by the
        index when there is no ``account_id`` column).
    scale : (lo, hi)

    Returns
    -------
    DataFrame
        A copy of ``assessments`` with ``buyer_view`` (``strategic_partner``: high, high;
        ``strategic_security``: important to them, small spend with us;
        ``tactical_profit``: less important, large spend; ``tactical_convenience``: low,
        low) and, given ``our_view``, ``frustration`` from :data:`FRUSTRATION_RULES`:
        ``seller`` where we treat the account as key but it sees us as a tactical
        convenience, ``buyer`` where it sees us as a strategic partner but we treat it as
        maintain or opportunistic, ``""`` otherwise.

    Raises
    ------
    InputValidationError
        A rating off the scale or missing; a quadrant not in ``QUADRANTS``; an account
        without a quadrant in ``our_view``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "buyer_importance": [2, 5],
    ...                   "buyer_relative_spend": [2, 3], "quadrant": ["key", "maintain"]})
    >>> s = score_supplier_positioning(a, our_view="quadrant")
    >>> s[["buyer_view", "frustration"]].values.tolist()
    [['tactical_convenience', 'seller'], ['strategic_partner', 'buyer']]
    """
    where = "score_supplier_positioning"
    require_columns(assessments, ("buyer_importance", "buyer_relative_spend"), where=where)
    problems = _check_cuts(cuts, scale, where, names=("importance", "spend"))
    values, more = _ratings(
        assessments, ["buyer_importance", "buyer_relative_spend"], scale, where=where
    )
    problems += more
    ours = None
    if our_view is not None:
        ours, more = _our_view(assessments, our_view, where)
        problems += more
    _raise(problems)
    important = _high(values[:, 0], cuts[0])
    large = _high(values[:, 1], cuts[1])
    order = np.array(
        [BUYER_VIEW_RULES[(i, s)] for i in (False, True) for s in (False, True)], dtype=object
    )
    out = assessments.copy(deep=False)  # copy-on-write: the input is never changed
    out["buyer_view"] = order[2 * important.astype(int) + large.astype(int)]
    if ours is not None:
        out["frustration"] = [
            FRUSTRATION_RULES.get((q, v), "") for q, v in zip(ours, out["buyer_view"], strict=True)
        ]
    return out


def _our_view(frame: pd.DataFrame, our_view, where: str) -> tuple[list, list[Problem]]:
    ids = _ids(frame)
    if isinstance(our_view, str):
        require_columns(frame, (our_view,), where=where)
        values = frame[our_view].tolist()
    else:
        mapping = dict(our_view.items()) if hasattr(our_view, "items") else dict(our_view)
        values = [mapping.get(i) for i in ids]
    problems = [
        Problem(where, "one of " + ", ".join(QUADRANTS), describe(v), column=f"our_view of {i!r}")
        for i, v in zip(ids, values, strict=True)
        if v not in QUADRANTS
    ]
    return values, problems


def plot_supplier_positioning(
    scored: pd.DataFrame,
    *,
    ax: Axes | None = None,
    cuts: tuple[float, float] | None = None,
    scale: tuple[float, float] | None = None,
    label_by: str = "account_id",
    size: str = "revenue",
    top: int = 15,
    lang: str = "en",
) -> Axes:
    """Draw the buyer's view of us: spend across, importance up; frustration zones shaded.

    The cell where a seller's frustration can arise (tactical convenience) is shaded red
    and the cell of a buyer's frustration (strategic partner) orange; accounts in a
    frustration zone (column ``frustration``) are drawn in the zone's colour. Ratings are
    whole numbers, so points are jittered by a fixed pattern (no randomness) to show how
    many accounts share a rating pair. ``cuts`` and ``scale`` default to those the frame
    carries (``scored.attrs["buyer_cuts"]`` and ``["scale"]``), else (3.0, 3.0) on 1-5.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"account_id": ["A", "B"], "buyer_importance": [2, 5],
    ...                   "buyer_relative_spend": [2, 3], "frustration": ["seller", ""]})
    >>> ax = plot_supplier_positioning(s)
    >>> ax.get_xlabel()
    "buyer's relative spend with us"
    """
    where = "plot_supplier_positioning"
    require_columns(scored, ("buyer_importance", "buyer_relative_spend"), where=where)
    cuts = cuts or scored.attrs.get("buyer_cuts", (3.0, 3.0))
    scale = scale or scored.attrs.get("scale", DEFAULT_SCALES["rating"])
    n = len(scored)
    offsets = ((np.arange(n) * 0.618034) % 1.0 - 0.5) * 0.3  # fixed, deterministic jitter
    x = scored["buyer_relative_spend"].to_numpy(dtype="float64") + offsets
    y = scored["buyer_importance"].to_numpy(dtype="float64") + offsets[::-1]
    zone_color = {"seller": COLORS["bad"], "buyer": CYCLE[2], "": COLORS["focal"]}
    frustration = (
        scored["frustration"].fillna("") if "frustration" in scored else pd.Series([""] * n)
    )
    colors = [zone_color.get(f, COLORS["focal"]) for f in frustration]
    cells = {
        (int(s), int(i)): label(BUYER_VIEW_RULES[(bool(i), bool(s))], lang)
        for i in (0, 1)
        for s in (0, 1)
    }
    ax = bubble_matrix(
        ax,
        np.clip(x, scale[0], scale[1]),
        np.clip(y, scale[0], scale[1]),
        x_edges=[scale[0], cuts[1], scale[1]],
        y_edges=[scale[0], cuts[0], scale[1]],
        labels=_labels(scored, label_by),
        size=scored[size] if size in scored else None,
        top=top,
        cell_text=cells,
        cell_colors={(0, 0): COLORS["bad"], (1, 1): CYCLE[2]},
        color=colors,
        where=where,
    )
    ax.set_xlabel(i18n.text("chart.positioning.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.positioning.ylabel", lang))
    ax.set_title(i18n.text("chart.positioning.title", lang))
    return ax


# ----------------------------------------------------------------------------- relationship stage


def _stage_interval(indicator: str, rule, value) -> tuple[int, int] | None:
    if isinstance(rule, Mapping):
        if value not in rule:
            return None
        lo, hi = rule[value]
    else:
        rows = [r for r in rule if value >= r[0]]
        if not rows:
            return None
        _, lo, hi = rows[-1]
    return STAGES.index(lo), STAGES.index(hi)


def _check_stage_rules(rules: Mapping, where: str) -> list[Problem]:
    problems = []
    for indicator, rule in rules.items():
        pairs = rule.values() if isinstance(rule, Mapping) else [(r[1], r[2]) for r in rule]
        for lo, hi in pairs:
            if lo not in STAGES or hi not in STAGES or STAGES.index(lo) > STAGES.index(hi):
                problems.append(
                    Problem(
                        where,
                        "a stage range (earliest, latest) among " + ", ".join(STAGES),
                        describe(f"{lo}..{hi}"),
                        column=f"thresholds of {indicator}",
                    )
                )
    return problems


def classify_relationship_stage(
    assessments: pd.DataFrame, *, thresholds: Mapping | None = None
) -> pd.DataFrame:
    """Classify each account's relationship stage (关系发展阶段) from observable indicators.

    Each indicator is consistent with a range of stages, set out in
    :data:`STAGE_EVIDENCE` (pass ``thresholds`` to replace the rules of some
    indicators). The stage is the one the most indicators are consistent with; a tie goes
    to the earlier stage (the cautious reading).

    ======================  ======  =========  ========  =============  ===========
    indicator               pre     early      mid       partnership    synergistic
    ======================  ======  =========  ========  =============  ===========
    contact_points          0, 1-2  1-2        3-5       6-9            10+
    contact_levels          0, 1    1          2         3+             3+
    contract_months         0       1-11       12-23     24+            24+
    info_sharing            none    transact.  regular   open           open
    cross_functional_team   no      no         yes       yes            yes
    joint_planning          no      no         no        yes            yes
    preferred_supplier      no      no         no        yes            yes
    ======================  ======  =========  ========  =============  ===========

    Parameters
    ----------
    assessments : DataFrame
        The indicator columns of ``account_assessments``: ``contact_points``,
        ``contact_levels`` (0-6), ``cross_functional_team``, ``info_sharing`` (none,
        transactional, regular, open), ``joint_planning``, ``contract_months``,
        ``preferred_supplier``.
    thresholds : mapping, optional
        Rules replacing those of :data:`STAGE_EVIDENCE` for the indicators named.

    Returns
    -------
    DataFrame
        A copy with ``stage`` (one of ``STAGES``), ``drivers`` (the indicators consistent
        with the stage, comma-separated) and ``conflict`` (the indicators that are not,
        with their value, e.g. ``contract_months=36``; ``""`` when none).

    Raises
    ------
    InputValidationError
        An indicator missing, negative, off its range (``contact_levels`` above 6), not
        a whole number, or a value the rules do not know.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A"], "contact_points": [1], "contact_levels": [1],
    ...     "cross_functional_team": [False], "info_sharing": ["transactional"],
    ...     "joint_planning": [False], "contract_months": [36], "preferred_supplier": [False]})
    >>> r = classify_relationship_stage(a).iloc[0]
    >>> r["stage"], r["conflict"]
    ('early', 'contract_months=36')
    """
    where = "classify_relationship_stage"
    rules = dict(STAGE_EVIDENCE)
    rules.update(thresholds or {})
    _raise(_check_stage_rules(rules, where))
    problems: list[Problem] = []
    require_columns(assessments, list(rules), where=where)
    ids = _ids(assessments)
    intervals = {}
    limits = {"contact_levels": (0, 6)}
    values = {indicator: assessments[indicator].tolist() for indicator in rules}
    for indicator, rule in rules.items():
        spans = []
        numeric = not isinstance(rule, Mapping)
        lo, hi = limits.get(indicator, (0, math.inf))
        known: dict = {}  # (type, value) -> span: each distinct value is judged once
        for account, value in zip(ids, values[indicator], strict=True):
            bad = (
                value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
            )
            key = None if bad else (type(value), value)
            if key in known:
                span = known[key]
            else:
                span = None
                if numeric and not bad:
                    ok = isinstance(value, int | float | np.number) and not isinstance(value, bool)
                    bad = not ok or not float(value).is_integer() or not lo <= value <= hi
                if not bad:
                    span = _stage_interval(
                        indicator, rule, bool(value) if isinstance(value, np.bool_) else value
                    )
                if key is not None:
                    known[key] = span
            if span is None:
                if numeric:
                    expected = (
                        f"a whole number from {lo} to {hi}"
                        if hi < math.inf
                        else "a whole number >= 0"
                    )
                else:
                    expected = "one of " + ", ".join(str(k) for k in rule)
                problems.append(
                    Problem(where, expected, describe(value), column=f"{indicator} of {account!r}")
                )
            spans.append(span or (0, 0))
        intervals[indicator] = np.array(spans, dtype="int64").reshape(-1, 2)
    _raise(problems)
    stage_idx = np.arange(len(STAGES))
    consistent = {
        ind: (span[:, :1] <= stage_idx) & (stage_idx <= span[:, 1:])
        for ind, span in intervals.items()
    }  # account x stage
    votes = sum(consistent.values())
    best = np.argmax(votes, axis=1) if len(assessments) else np.array([], dtype="int64")
    out = assessments.copy(deep=False)  # copy-on-write: the input is never changed
    out["stage"] = np.asarray(STAGES, dtype=object)[best]
    names = list(rules)
    drivers, conflicts = [], []
    # account x indicator: is the indicator consistent with the account's stage?
    agrees = np.column_stack(
        [consistent[ind][np.arange(len(best)), best] for ind in names]
    ).reshape(len(best), len(names))
    for k, row in enumerate(agrees.tolist()):
        agree = [ind for ind, yes in zip(names, row, strict=True) if yes]
        disagree = [
            f"{ind}={_show(values[ind][k])}" for ind, yes in zip(names, row, strict=True) if not yes
        ]
        drivers.append(", ".join(agree))
        conflicts.append(", ".join(disagree))
    out["drivers"] = drivers
    out["conflict"] = conflicts
    return out


def _show(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plot_stage_distribution(
    staged: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Bar chart of the number of accounts at each relationship stage, earliest first.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = plot_stage_distribution(pd.DataFrame({"stage": ["early", "early", "mid"]}))
    >>> [int(p.get_height()) for p in ax.patches]
    [0, 2, 1, 0, 0]
    """
    require_columns(staged, ("stage",), where="plot_stage_distribution")
    counts = staged["stage"].value_counts().reindex(STAGES, fill_value=0)
    ax = get_axes(ax, figsize=(7, 4), where="plot_stage_distribution")
    ax.bar([label(s, lang) for s in STAGES], counts.to_numpy(), color=COLORS["focal"])
    for i, n in enumerate(counts):
        ax.annotate(str(int(n)), (i, n), ha="center", va="bottom", fontsize=9)
    ax.tick_params(axis="x", labelrotation=20)
    ax.set_xlabel(i18n.text("chart.stages.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.stages.ylabel", lang))
    ax.set_title(i18n.text("chart.stages.title", lang))
    return ax


# ----------------------------------------------------------------------------- key-account criteria


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
    out = measures.copy()
    for criterion, (column, higher) in MEASURED_CRITERIA.items():
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
    for criterion in rated:
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
    out["reasons"] = [_reasons(row, words, cut, scale, quarter) for row in out.to_dict("records")]
    return out


class _ReasonWords:
    """The catalogue's ``reason.*`` texts and the criteria's names, looked up once."""

    def __init__(self, criteria: list[str], lang: str) -> None:
        keys = [k[len("reason.") :] for k in i18n.catalogue() if k.startswith("reason.")]
        self.templates = {key: i18n.text(f"reason.{key}", lang) for key in keys}
        self.criteria = criteria
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
            if c not in REASON_KEYS:
                raise KeyError(c)
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


# ----------------------------------------------------------------------------- buying centre


def buying_centre_coverage(
    contacts: pd.DataFrame,
    *,
    as_of,
    accounts: Iterable | None = None,
    key_accounts: Iterable | None = None,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """How well we reach each account's buying centre (采购中心).

    Parameters
    ----------
    contacts : DataFrame
        The ``contacts`` table: ``contact_id``, ``account_id``, ``role`` (decider,
        influencer, user, gatekeeper, buyer), ``influence`` (on ``scale``), ``attitude``
        (supporter, neutral, opponent) and ``last_contact`` (a date, or blank).
    as_of : date
        The day the coverage is measured on; a contact dated after it is an error.
    accounts : iterable of account ids, optional
        The accounts to report (e.g. those assessed): each gets a row, also without
        contacts; a contact at an account not among them is an error ("contacts but no
        assessment"). Default: the accounts in ``contacts``.
    key_accounts : iterable of account ids, optional
        Key accounts; a key account with a single contact is flagged ``single_threaded``
        (the "bow tie": everything hangs on one person).
    scale : (lo, hi)
        Scale of ``influence``.

    Returns
    -------
    DataFrame indexed by ``account_id`` (sorted): ``contacts``, ``roles_covered`` and
    ``roles_missing`` (comma-separated, in the order of ``BUYING_ROLES``), ``support``,
    ``opposition`` (influence of supporters and opponents), ``net_support``
    ((support - opposition) / total influence, from -1 to 1; NaN without contacts),
    ``contact_rule`` (``below``, ``within`` or ``above`` the 3-5 rule),
    ``days_since_decider`` (days since the last contact with a decider; NaN when no
    decider is mapped or none was ever met), ``bow_tie`` (one contact) and
    ``single_threaded`` (a key account with one contact).

    Raises
    ------
    InputValidationError
        A contact listed twice, an unknown role or attitude, influence off the scale,
        a contact dated after ``as_of``, a contact at an account not in ``accounts``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"contact_id": ["c1", "c2"], "account_id": ["A", "A"],
    ...     "role": ["decider", "buyer"], "influence": [5, 3],
    ...     "attitude": ["supporter", "opponent"],
    ...     "last_contact": pd.to_datetime(["2026-06-01", "2026-09-01"])})
    >>> r = buying_centre_coverage(c, as_of="2026-09-30").loc["A"]
    >>> r["roles_missing"], float(r["net_support"]), int(r["days_since_decider"]), r["contact_rule"]
    ('influencer, user, gatekeeper', 0.25, 121, 'below')
    """
    where = "buying_centre_coverage"
    require_columns(
        contacts,
        ("contact_id", "account_id", "role", "influence", "attitude", "last_contact"),
        where=where,
    )
    as_of = pd.Timestamp(as_of)
    data = contacts.reset_index(drop=True)
    problems = []
    dup = data["contact_id"].duplicated(keep=False)
    for cid in data.loc[dup, "contact_id"].unique():
        owners = sorted(str(a) for a in data.loc[data["contact_id"] == cid, "account_id"])
        problems.append(
            Problem(
                where,
                "each contact listed once",
                f"{cid!r} listed {len(owners)} times (accounts {', '.join(owners)})",
                column="contact_id",
            )
        )
    data["_label"] = [
        f"{c} at {a}" for c, a in zip(data["contact_id"], data["account_id"], strict=True)
    ]
    problems += check_allowed(data, "role", BUYING_ROLES, where=where, label_by="_label")
    problems += check_allowed(data, "attitude", ATTITUDES, where=where, label_by="_label")
    labelled = data[["influence"]].set_axis(data["_label"])
    influence, more = _ratings(labelled, ["influence"], scale, where=where)
    problems += more
    dates = pd.to_datetime(data["last_contact"], errors="coerce")
    unread = (dates.isna() & data["last_contact"].notna()).to_numpy()
    late = (dates.notna() & (dates > as_of)).to_numpy()
    for i in np.flatnonzero(unread | late):  # only the contacts with a problem
        lbl, raw, date = data["_label"].iat[i], data["last_contact"].iat[i], dates.iat[i]
        if unread[i]:
            problems.append(
                Problem(
                    where,
                    "a date written YYYY-MM-DD",
                    describe(raw),
                    column=f"last_contact of {lbl!r}",
                )
            )
        else:
            problems.append(
                Problem(
                    where,
                    f"a date on or before as_of {as_of.date()}",
                    str(date.date()),
                    column=f"last_contact of {lbl!r}",
                )
            )
    ids = sorted(set(data["account_id"])) if accounts is None else sorted(set(accounts))
    unknown = sorted(set(data["account_id"]) - set(ids))
    for account in unknown:
        problems.append(
            Problem(
                where,
                "an assessed account for every account with contacts",
                f"contacts but no assessment for {account!r}",
                column="account_id",
            )
        )
    _raise(problems)
    data["influence"] = influence[:, 0]
    data["_date"] = dates
    keys = set() if key_accounts is None else set(key_accounts)
    # one pass over the contacts, grouped by account (thousands of accounts stay fast)
    by_account = data.assign(
        _support=data["influence"].where(data["attitude"] == "supporter", 0.0),
        _opposition=data["influence"].where(data["attitude"] == "opponent", 0.0),
        _decider=data["_date"].where(data["role"] == "decider"),
    ).groupby("account_id", sort=False)
    index = pd.Index(ids, name="account_id", dtype=object)
    sums = by_account[["_support", "_opposition", "influence"]].sum().reindex(index)
    n = by_account.size().reindex(index).fillna(0).astype("int64")
    last_decider = by_account["_decider"].max().reindex(index)
    present = (
        data.groupby(["account_id", "role"], sort=False)
        .size()
        .unstack(fill_value=0)
        .reindex(index=index, columns=list(BUYING_ROLES))
        .fillna(0)
        .gt(0)
        .to_numpy()
    )
    support = sums["_support"].fillna(0.0).astype("float64")
    opposition = sums["_opposition"].fillna(0.0).astype("float64")
    total = sums["influence"].fillna(0.0).astype("float64")
    counts = n.to_numpy()
    out = pd.DataFrame(
        {
            "contacts": counts,
            "roles_covered": [
                ", ".join(r for r, has in zip(BUYING_ROLES, row, strict=True) if has)
                for row in present
            ],
            "roles_missing": [
                ", ".join(r for r, has in zip(BUYING_ROLES, row, strict=True) if not has)
                for row in present
            ],
            "support": support.to_numpy(),
            "opposition": opposition.to_numpy(),
            "net_support": safe_divide(support - opposition, total).to_numpy(),
            "contact_rule": np.where(
                counts < CONTACT_RULE[0],
                "below",
                np.where(counts > CONTACT_RULE[1], "above", "within"),
            ),
            "days_since_decider": (as_of - pd.to_datetime(last_decider))
            .dt.days.astype("float64")
            .to_numpy(),
            "bow_tie": counts == 1,
            "single_threaded": (counts == 1) & index.isin(list(keys)),
        },
        index=index,
    )
    return out


def plot_buying_centre(
    contacts: pd.DataFrame,
    account_id: str,
    *,
    ax: Axes | None = None,
    name: str = "title",
    lang: str = "en",
) -> Axes:
    """One account's buying-centre map: role across, influence up, colour = attitude.

    Each person is labelled by the ``name`` column (default ``title``, the job title).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"account_id": ["A", "A"], "title": ["GM", "Buyer"],
    ...     "role": ["decider", "buyer"], "influence": [5, 3],
    ...     "attitude": ["supporter", "opponent"]})
    >>> ax = plot_buying_centre(c, "A")
    >>> ax.get_title(), [t.get_text() for t in ax.get_xticklabels()][:2]
    ('Buying centre of A', ['decider', 'influencer'])
    """
    where = "plot_buying_centre"
    require_columns(contacts, ("account_id", "role", "influence", "attitude"), where=where)
    rows = contacts.loc[contacts["account_id"] == account_id].reset_index(drop=True)
    ax = get_axes(ax, figsize=(7, 4.5), where=where)
    shade = {"supporter": COLORS["good"], "neutral": COLORS["other"], "opponent": COLORS["bad"]}
    x = np.array([BUYING_ROLES.index(r) for r in rows["role"]], dtype="float64")
    # people sharing a role are spread across its column, in a fixed order
    rank = rows.groupby("role").cumcount().to_numpy() if len(rows) else np.array([])
    size = rows.groupby("role")["role"].transform("size").to_numpy() if len(rows) else np.array([])
    x = x + (rank - (size - 1) / 2) * 0.18
    y = rows["influence"].to_numpy(dtype="float64")
    for attitude in ATTITUDES:
        mask = (rows["attitude"] == attitude).to_numpy()
        ax.scatter(
            x[mask],
            y[mask],
            s=260,
            color=shade[attitude],
            label=i18n.label(attitude, lang, kind="attitude"),
            edgecolor="white",
        )
    if name in rows:
        for xi, yi, text in zip(x, y, rows[name].astype(str), strict=True):
            ax.annotate(
                text, (xi, yi), xytext=(0, 11), textcoords="offset points", ha="center", fontsize=8
            )
    roles = [i18n.label(r, lang, kind="role") for r in BUYING_ROLES]
    ax.set_xticks(range(len(BUYING_ROLES)), roles)
    ax.set_xlim(-0.6, len(BUYING_ROLES) - 0.4)
    ax.set_ylim(0.5, 5.8)
    ax.set_xlabel(i18n.text("chart.buying_centre.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.buying_centre.ylabel", lang))
    ax.set_title(i18n.text("chart.buying_centre.title", lang, account=account_id))
    ax.legend(loc="lower right", fontsize=8)
    return ax


# ----------------------------------------------------------------------------- portfolio and churn


def portfolio_concentration(revenue: pd.Series, *, top: Sequence[int] = (1, 5, 10)) -> pd.Series:
    """Concentration of a portfolio's revenue: top-N shares and the Herfindahl index.

    Parameters
    ----------
    revenue : Series
        Revenue per account (negative or missing counts as 0).
    top : sequence of int
        The N of the top-N shares.

    Returns
    -------
    Series: ``accounts``, ``top_<N>_share`` for each N (fractions of the total),
    ``herfindahl`` (sum of squared shares, from 1/accounts to 1) and
    ``equivalent_accounts`` (1 / herfindahl: the number of equal accounts that would be
    as concentrated). Shares are NaN when the total is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> c = portfolio_concentration(pd.Series([50.0, 30.0, 20.0]), top=(1, 2)).round(2)
    >>> c.to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'accounts': 3.0, 'top_1_share': 0.5, 'top_2_share': 0.8, 'herfindahl': 0.38,
     'equivalent_accounts': 2.63}
    """
    values = pd.to_numeric(revenue, errors="coerce").fillna(0).clip(lower=0)
    total = float(values.sum())
    ordered = np.sort(values.to_numpy(dtype="float64"))[::-1]
    out = {"accounts": float(len(values))}
    for n in top:
        out[f"top_{n}_share"] = safe_divide(float(ordered[:n].sum()), total)
    shares = ordered / total if total > 0 else np.full(len(ordered), np.nan)
    hhi = float(np.sum(shares**2)) if total > 0 else np.nan
    out["herfindahl"] = hhi
    out["equivalent_accounts"] = safe_divide(1.0, hhi)
    return pd.Series(out, name="concentration")


def churn_signals(
    quarters: pd.DataFrame,
    *,
    quarter: str | None = None,
    feedback: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Churn-risk warning signs per account, each named (流失预警).

    The signals (:data:`CHURN_RULES`, thresholds in :data:`CHURN_THRESHOLDS`):

    - ``falling_purchases``: sales in the last two quarters up to ``quarter`` at least
      10 % below the two quarters before;
    - ``rising_payment_days``: mean payment days of the last two quarters at least 10
      days above the two before;
    - ``falling_feedback``: the account's mean key-account feedback score in ``quarter``
      at least 0.5 below the quarter before (needs ``feedback``);
    - ``no_decider_contact``: 180 days or more since we last met a decider, or no decider
      met at all (needs ``coverage`` from :func:`buying_centre_coverage`).

    Returns
    -------
    DataFrame indexed by ``account_id``: one bool column per signal, ``signals`` (the
    names of the signals raised, comma-separated) and ``signal_count``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"account_id": "A", "quarter": ["2026Q1", "2026Q2", "2026Q3", "2026Q4"],
    ...                   "revenue": [100.0, 100.0, 80.0, 70.0], "payment_days": [40, 40, 45, 60]})
    >>> churn_signals(q).loc["A", "signals"]
    'falling_purchases, rising_payment_days'
    """
    where = "churn_signals"
    require_columns(quarters, ("account_id", "quarter", "revenue", "payment_days"), where=where)
    limits = dict(CHURN_THRESHOLDS)
    limits.update(thresholds or {})
    quarter = quarter or max(quarters["quarter"].dropna())
    recent = [shift_quarter(quarter, -1), quarter]
    before = [shift_quarter(quarter, -3), shift_quarter(quarter, -2)]
    rows = quarters.loc[quarters["quarter"].isin(recent + before)]
    ids = sorted(set(quarters.loc[quarters["quarter"] == quarter, "account_id"]))
    rev = rows.pivot_table(index="account_id", columns="quarter", values="revenue", aggfunc="sum")
    rev = rev.reindex(index=ids, columns=before + recent).fillna(0.0)
    days = rows.pivot_table(
        index="account_id", columns="quarter", values="payment_days", aggfunc="mean"
    )
    days = days.reindex(index=ids, columns=before + recent)
    change = safe_divide(rev[recent].sum(axis=1), rev[before].sum(axis=1)) - 1
    out = pd.DataFrame(index=pd.Index(ids, name="account_id"))
    out["falling_purchases"] = (change <= limits["falling_purchases"]).fillna(False).astype(bool)
    rise = days[recent].mean(axis=1) - days[before].mean(axis=1)
    out["rising_payment_days"] = (rise >= limits["rising_payment_days"]).fillna(False).astype(bool)
    out["falling_feedback"] = False
    if feedback is not None:
        require_columns(feedback, ("quarter", "respondent_id", "score"), where=where)
        fb = (
            feedback
            if "source" not in feedback
            else feedback.loc[feedback["source"] == "key_account"]
        )
        mean = fb.pivot_table(
            index="respondent_id", columns="quarter", values="score", aggfunc="mean"
        )
        previous = shift_quarter(quarter, -1)
        if quarter in mean and previous in mean:
            drop = (mean[quarter] - mean[previous]).reindex(ids)
            out["falling_feedback"] = (
                (drop <= limits["falling_feedback"]).fillna(False).astype(bool)
            )
    out["no_decider_contact"] = False
    if coverage is not None:
        gap = coverage["days_since_decider"].reindex(ids)
        out["no_decider_contact"] = (gap.isna() | (gap >= limits["no_decider_contact"])).astype(
            bool
        )
    names = list(CHURN_RULES)
    flags = out[names].to_numpy()
    out["signals"] = [", ".join(n for n, f in zip(names, row, strict=True) if f) for row in flags]
    out["signal_count"] = flags.sum(axis=1)
    return out


# ----------------------------------------------------------------------------- weight robustness

#: Largest number of (account, draw) scores held in memory at once by weight_robustness.
CHUNK_ELEMENTS = 2_000_000


def _dirichlet(rng: np.random.Generator, weights: np.ndarray, concentration: float, draws: int):
    """``draws`` weight vectors from Dirichlet(concentration x weights); zero weights stay 0."""
    out = np.zeros((draws, len(weights)))
    positive = weights > 0
    out[:, positive] = rng.dirichlet(concentration * weights[positive], size=draws)
    return out


def weight_robustness(
    assessments: pd.DataFrame,
    *,
    attractiveness: Mapping[str, float],
    strength: Mapping[str, float],
    cuts: tuple[float, float],
    draws: int = 1000,
    concentration: float = 100,
    seed: int = 0,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    chunk_elements: int = CHUNK_ELEMENTS,
) -> pd.DataFrame:
    """Test how sure each account's quadrant is, were the subjective weights a little different.

    Monte Carlo over the criteria weights: ``draws`` weight vectors for attractiveness and
    for strength are drawn from Dirichlet distributions centred on the chosen weights,
    ``Dirichlet(concentration x weights)`` (the mean of each weight is the chosen one; a
    larger ``concentration`` keeps the draws closer: with 100, a weight of 0.2 varies with a
    standard deviation of about 0.04). Every account is scored under every draw (one
    matrix product per chunk of accounts; at most ``chunk_elements`` scores are held at
    once, so memory stays bounded whatever the number of accounts) and its quadrant counted.

    Parameters
    ----------
    assessments, attractiveness, strength, cuts, scale
        As for :func:`score_selection_matrix`.
    draws : int
        Number of weight draws (shared by all accounts).
    concentration : float
        Dirichlet concentration (> 0).
    seed : int
        Seed of the random generator: the same seed gives the same result.
    chunk_elements : int
        Memory bound (see above).

    Returns
    -------
    DataFrame
        :func:`score_selection_matrix`'s result with ``robustness`` (the share of draws
        that leave the account in its quadrant), ``flip_to`` (the quadrant it most often
        moves to, ``""`` if it never moves; ties go to the earlier one in ``QUADRANTS``)
        and ``flip_probability`` (the share of draws that put it there). An account whose
        ratings all lie on the same side of each cut has robustness 1.0.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["far", "near"], "att_volume": [5, 4],
    ...                   "att_margin": [4, 2], "str_price": [4, 4]})
    >>> r = weight_robustness(a, attractiveness={"att_volume": 0.5, "att_margin": 0.5},
    ...                       strength={"str_price": 1}, cuts=(3.0, 3.0), draws=200)
    >>> float(r["robustness"].iloc[0]), r["quadrant"].iloc[1], r["flip_to"].iloc[1]
    (1.0, 'key', 'maintain')
    """
    where = "weight_robustness"
    scored = score_selection_matrix(
        assessments, attractiveness=attractiveness, strength=strength, cuts=cuts, scale=scale
    )
    problems = []
    if not (isinstance(draws, int | np.integer) and draws >= 1):
        problems.append(
            Problem(where, "a whole number of draws >= 1", describe(draws), column="draws")
        )
    if not (isinstance(concentration, int | float | np.number) and concentration > 0):
        problems.append(
            Problem(where, "a concentration > 0", describe(concentration), column="concentration")
        )
    _raise(problems)
    att_cols, att_w, _ = _weights(assessments, attractiveness, where=where, name="attractiveness")
    str_cols, str_w, _ = _weights(assessments, strength, where=where, name="strength")
    att_x = assessments[att_cols].to_numpy(dtype="float64")
    str_x = assessments[str_cols].to_numpy(dtype="float64")
    rng = np.random.default_rng(seed)
    w_att = _dirichlet(rng, att_w, concentration, draws).T.copy()  # criteria x draws
    w_str = _dirichlet(rng, str_w, concentration, draws).T.copy()
    n = len(assessments)
    counts = np.zeros((n, len(QUADRANTS)), dtype="int64")
    step = max(1, int(chunk_elements) // draws)
    cut_a, cut_s = cuts[0] - TOLERANCE, cuts[1] - TOLERANCE
    k, d, m, o = (QUADRANTS.index(QUADRANT_RULES[p]) for p in QUADRANT_RULES)
    for start in range(0, n, step):
        stop = min(start + step, n)
        high_a = (att_x[start:stop] @ w_att) >= cut_a
        high_s = (str_x[start:stop] @ w_str) >= cut_s
        both = np.count_nonzero(high_a & high_s, axis=1)
        n_a = np.count_nonzero(high_a, axis=1)
        n_s = np.count_nonzero(high_s, axis=1)
        counts[start:stop, k] = both
        counts[start:stop, d] = n_a - both
        counts[start:stop, m] = n_s - both
        counts[start:stop, o] = draws - n_a - n_s + both
    base = pd.Categorical(scored["quadrant"], categories=QUADRANTS).codes.astype("int64")
    rows = np.arange(n)
    stay = counts[rows, base]
    others = counts.copy()
    others[rows, base] = -1
    flip = np.argmax(others, axis=1) if n else np.array([], dtype="int64")
    flip_n = others[rows, flip] if n else np.array([], dtype="int64")
    scored["robustness"] = stay / draws
    scored["flip_to"] = np.where(flip_n > 0, np.asarray(QUADRANTS, dtype=object)[flip], "")
    scored["flip_probability"] = np.where(flip_n > 0, flip_n, 0) / draws
    return scored


def plot_robustness(
    robust: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label_by: str = "account_id",
    n: int = 15,
    lang: str = "en",
) -> Axes:
    """Draw the ``n`` least robust accounts: the share of weight draws keeping their quadrant.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"account_id": ["A", "B"], "quadrant": ["key", "develop"],
    ...                   "robustness": [0.6, 1.0], "flip_to": ["maintain", ""]})
    >>> ax = plot_robustness(r)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['B (focus development)', 'A (key account)']
    """
    where = "plot_robustness"
    require_columns(robust, ("robustness", "quadrant", "flip_to"), where=where)
    order = robust.sort_values("robustness", kind="stable").head(n).iloc[::-1]
    names = _labels(order, label_by) or order.index.astype(str).tolist()
    ax = get_axes(ax, figsize=(7, max(2.5, 0.35 * len(order) + 1)), where=where)
    ypos = np.arange(len(order))
    colors = [COLORS["bad"] if v < 0.9 else COLORS["focal"] for v in order["robustness"]]
    ax.barh(ypos, order["robustness"].to_numpy(), color=colors)
    for y, (v, to) in enumerate(zip(order["robustness"], order["flip_to"], strict=True)):
        if to:
            ax.annotate(
                f"→ {label(to, lang)}",
                (v, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
    quadrants = [label(q, lang) for q in order["quadrant"]]
    ax.set_yticks(ypos, [f"{a} ({q})" for a, q in zip(names, quadrants, strict=True)])
    ax.set_xlim(0, 1.15)
    ax.axvline(0.9, color=COLORS["grid"], linewidth=0.8, linestyle="--")
    ax.set_xlabel(i18n.text("chart.robustness.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.robustness.ylabel", lang))
    ax.set_title(i18n.text("chart.robustness.title", lang))
    return ax


# ----------------------------------------------------------------------------- migration

#: The ordered vocabulary of each column migration knows; others are sorted as found.
VOCABULARIES = {"quadrant": QUADRANTS, "stage": STAGES, "buyer_view": BUYER_VIEWS}
#: Category of an account present in only one of the two quarters.
ABSENT = "absent"


@dataclass(frozen=True)
class Migration:
    """Transitions between two quarters.

    Attributes
    ----------
    counts : dict column -> DataFrame
        Transition counts: rows = category in the earlier quarter, columns = in the later
        one (every category of the vocabulary, plus ``absent`` when an account is in only
        one of the quarters).
    moved : DataFrame
        One row per account and column that changed: ``account_id``, ``column``,
        ``before``, ``after`` and ``steps`` (for stages: stages moved, + = up; else NaN).
    """

    counts: dict
    moved: pd.DataFrame


def migration(
    earlier: pd.DataFrame,
    later: pd.DataFrame,
    *,
    columns: Sequence[str] = ("quadrant", "stage"),
    key: str = "account_id",
) -> Migration:
    """Transition counts and the accounts that moved between two quarters (客户迁移).

    Parameters
    ----------
    earlier, later : DataFrame
        Scored frames of two quarters (e.g. from :func:`score_selection_matrix` and
        :func:`classify_relationship_stage`), with a ``key`` column or index.
    columns : sequence of str
        The classifications compared.
    key : str
        The account identifier.

    Returns
    -------
    Migration

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "quadrant": ["opportunistic", "key"]})
    >>> b = pd.DataFrame({"account_id": ["A", "B"], "quadrant": ["develop", "key"]})
    >>> m = migration(a, b, columns=["quadrant"])
    >>> m.moved[["account_id", "before", "after"]].values.tolist()
    [['A', 'opportunistic', 'develop']]
    >>> int(m.counts["quadrant"].loc["key", "key"])
    1
    """
    where = "migration"
    frames = []
    for frame, name in ((earlier, "earlier"), (later, "later")):
        f = frame if key in frame.columns else frame.reset_index()
        require_columns(f, (key, *columns), where=f"{where} ({name})")
        dup = f[key][f[key].duplicated()].unique().tolist()
        if dup:
            raise InputValidationError(
                [Problem(f"{where} ({name})", "each account once", f"repeated {dup}", column=key)]
            )
        frames.append(f.set_index(key)[list(columns)])
    before, after = frames
    ids = sorted(set(before.index) | set(after.index))
    b = before.reindex(ids).astype(object).where(lambda x: x.notna(), ABSENT)
    a = after.reindex(ids).astype(object).where(lambda x: x.notna(), ABSENT)
    counts, moved = {}, []
    for column in columns:
        vocab = list(VOCABULARIES.get(column, sorted(set(b[column]) | set(a[column]) - {ABSENT})))
        extra = sorted((set(b[column]) | set(a[column])) - set(vocab) - {ABSENT})
        vocab += extra
        if (b[column] == ABSENT).any() or (a[column] == ABSENT).any():
            vocab.append(ABSENT)
        table = pd.crosstab(b[column], a[column]).reindex(index=vocab, columns=vocab, fill_value=0)
        table.index.name, table.columns.name = f"{column} before", f"{column} after"
        counts[column] = table
        order = VOCABULARIES.get(column) if column == "stage" else None
        for account, x, y in zip(ids, b[column].to_numpy(), a[column].to_numpy(), strict=True):
            if x != y:
                steps = (
                    order.index(y) - order.index(x)
                    if order and x in order and y in order
                    else np.nan
                )
                moved.append(
                    {
                        "account_id": account,
                        "column": column,
                        "before": x,
                        "after": y,
                        "steps": steps,
                    }
                )
    moved_frame = pd.DataFrame.from_records(
        moved, columns=["account_id", "column", "before", "after", "steps"]
    )
    return Migration(counts, moved_frame)


def plot_migration(
    mig: Migration, *, column: str = "quadrant", ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Transition matrix of one classification as a shaded table of counts.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": ["A"], "quadrant": ["opportunistic"]})
    >>> b = pd.DataFrame({"account_id": ["A"], "quadrant": ["develop"]})
    >>> ax = plot_migration(migration(a, b, columns=["quadrant"]))
    >>> ax.get_title()
    'Migration between quarters: selection quadrant'
    """
    where = "plot_migration"
    if column not in mig.counts:
        raise InputValidationError(
            [Problem(where, "one of " + ", ".join(mig.counts), describe(column), column="column")]
        )
    table = mig.counts[column]
    ax = get_axes(ax, figsize=(6, 5), where=where)
    values = table.to_numpy(dtype="float64")
    ax.imshow(values, cmap="Blues", aspect="auto")
    diagonal = np.eye(*values.shape, dtype=bool)
    for (i, j), v in np.ndenumerate(values):
        color = "white" if v > values.max() / 2 else "black"
        weight = "normal" if diagonal[i, j] else "bold"
        ax.text(j, i, f"{int(v)}", ha="center", va="center", color=color, weight=weight)
    names = [label(c, lang) for c in table.index]
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    what = i18n.text(f"column.{column}", lang) if i18n.has(f"column.{column}") else column
    ax.set_xlabel(i18n.text("chart.migration.xlabel", lang, column=what))
    ax.set_ylabel(i18n.text("chart.migration.ylabel", lang, column=what))
    ax.set_title(i18n.text("chart.migration.title", lang, column=what))
    return ax


def stage_evidence_table(thresholds: Mapping | None = None) -> pd.DataFrame:
    """Return the relationship-stage rules as a table: indicator, value, stages it fits.

    Parameters
    ----------
    thresholds : mapping, optional
        Rules replacing those of :data:`STAGE_EVIDENCE`, as for
        :func:`classify_relationship_stage`.

    Examples
    --------
    >>> t = stage_evidence_table()
    >>> t.loc[t["indicator"] == "info_sharing", "stages"].tolist()
    ['pre', 'early', 'mid', 'partnership to synergistic']
    """
    rules = dict(STAGE_EVIDENCE)
    rules.update(thresholds or {})
    records = []
    for indicator, rule in rules.items():
        if isinstance(rule, Mapping):
            rows = [(_show(value), lo, hi) for value, (lo, hi) in rule.items()]
        else:
            rows = [(f"{low:g} or more", lo, hi) for low, lo, hi in rule]
        for value, lo, hi in rows:
            stages = lo if lo == hi else f"{lo} to {hi}"
            records.append({"indicator": indicator, "value": value, "stages": stages})
    return pd.DataFrame.from_records(records, columns=["indicator", "value", "stages"])
