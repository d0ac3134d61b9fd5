"""The selection matrix, the supplier positioning and the robustness of the weights.

- :func:`score_selection_matrix` and :func:`plot_selection_matrix`: account
  attractiveness x our relative strength -> key / develop / maintain / opportunistic
  (:data:`QUADRANT_RULES`).
- :func:`score_supplier_positioning` and :func:`plot_supplier_positioning`: the buyer's
  view of us (importance x relative spend, :data:`BUYER_VIEW_RULES`) and the frustration
  zones where our view and theirs do not fit (:data:`FRUSTRATION_RULES`).
- :func:`weight_robustness` and :func:`plot_robustness`: Monte Carlo over the criteria
  weights of the selection matrix (at most :data:`CHUNK_ELEMENTS` scores in memory).
- :func:`label`: the display label of a quadrant, buyer view, stage or frustration zone.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from ...base import i18n
from ...base._validation import describe, require_columns
from ...base.errors import Problem
from ...base.schema import DEFAULT_SCALES, QUADRANTS
from ...core.charts import (
    COLORS,
    CYCLE,
    MANY_POINTS,
    bubble_matrix,
    encoding_legends,
    get_axes,
    legend_outside,
)
from ...core.scoring import check_weights
from ._common import TOLERANCE, _high, _ids, _raise, _ratings

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


def _labels(frame: pd.DataFrame, label_by: str) -> list[str] | None:
    """Return the point labels: the ``label_by`` column, or the index if it is so named."""
    if label_by in frame.columns:
        return frame[label_by].astype(str).tolist()
    if frame.index.name == label_by:
        return frame.index.astype(str).tolist()
    return None


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
    :func:`kamanalysis.diagnosis.key_account_portfolio`), else (3.0, 3.0) on 1-5. When the
    frame has a ``tier`` column, an account whose tier is not the quadrant of its cell (a
    small account lifted to develop because its purchases accelerate) is drawn in the
    highlight colour, so that the chart never shows a tier the tables do not.

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
    point_colors = COLORS["focal"]
    moved = np.zeros(len(scored), dtype=bool)
    if "tier" in scored.columns:
        cell = _quadrant_codes(
            _high(scored["attractiveness"], cuts[0]), _high(scored["strength"], cuts[1])
        )
        moved = np.asarray(QUADRANTS, dtype=object)[cell] != scored["tier"].to_numpy(dtype=object)
        point_colors = [COLORS["highlight"] if m else COLORS["focal"] for m in moved]
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
        color=point_colors,
        declutter=True,
        where="plot_selection_matrix",
    )
    ax.set_xlabel(i18n.text("chart.selection.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.selection.ylabel", lang))
    ax.set_title(i18n.text("chart.selection.title", lang))
    keys = ["account", "lifted"] if moved.any() else []
    encoding_legends(
        ax,
        lang,
        shading=[(COLORS["good"], i18n.text("chart.selection.key_cell", lang))],
        colours=[(c, i18n.text(f"chart.selection.{k}", lang)) for c, k in zip(
            (COLORS["focal"], COLORS["highlight"]), keys, strict=False)],
        size=scored[size] if size in scored else None,
        many=len(scored) > MANY_POINTS,
    )  # fmt: skip
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
        declutter=True,
        where=where,
    )
    ax.set_xlabel(i18n.text("chart.positioning.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.positioning.ylabel", lang))
    ax.set_title(i18n.text("chart.positioning.title", lang))
    shown = [k for k in ("seller", "buyer", "") if (frustration == k).any()]
    encoding_legends(
        ax,
        lang,
        shading=[
            (COLORS["bad"], i18n.text("chart.positioning.seller_zone", lang)),
            (CYCLE[2], i18n.text("chart.positioning.buyer_zone", lang)),
        ],
        colours=[
            (zone_color[k], i18n.text(f"chart.positioning.{k or 'none'}", lang)) for k in shown
        ],
        size=scored[size] if size in scored else None,
        many=n > MANY_POINTS,
    )
    return ax


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


#: The share of weight draws below which the robustness chart shows an account in doubt.
ROBUST = 0.9


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
    cell = "tier" if "tier" in robust.columns else "quadrant"  # a portfolio names its tier
    require_columns(robust, ("robustness", cell, "flip_to"), where=where)
    order = robust.sort_values("robustness", kind="stable").head(n).iloc[::-1]
    names = _labels(order, label_by) or order.index.astype(str).tolist()
    ax = get_axes(ax, figsize=(7, max(2.5, 0.35 * len(order) + 1)), where=where)
    ypos = np.arange(len(order))
    colors = [COLORS["bad"] if v < ROBUST else COLORS["focal"] for v in order["robustness"]]
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
    quadrants = [label(q, lang) for q in order[cell]]
    ax.set_yticks(ypos, [f"{a} ({q})" for a, q in zip(names, quadrants, strict=True)])
    ax.set_xlim(0, 1.15)
    ax.axvline(ROBUST, color=COLORS["grid"], linewidth=0.8, linestyle="--")
    ax.set_xlabel(i18n.text("chart.robustness.xlabel", lang))
    ax.set_ylabel(i18n.text("chart.robustness.ylabel", lang))
    ax.set_title(i18n.text("chart.robustness.title", lang))
    names = [i18n.text(f"chart.robustness.{k}", lang, share=ROBUST) for k in ("weak", "strong")]
    legend_outside(ax, [Patch(color=COLORS["bad"]), Patch(color=COLORS["focal"])], names,
                   title=i18n.text("chart.legend.colour", lang), side="below")  # fmt: skip
    return ax
