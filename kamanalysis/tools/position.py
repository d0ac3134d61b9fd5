"""Strategic position: IFE/EFE totals, the IE matrix and the GE-McKinsey nine cells.

**IFE / EFE** (David): factors weighted 0-1 (summing to 1) and rated 1-4; the total
weighted score runs from 1 to 4 with 2.5 the average.

**IE matrix** (内部-外部矩阵): the IFE total on the x axis (weak 1.0-1.99, average
2.0-2.99, strong 3.0-4.0) and the EFE total on the y axis (low, medium, high with the
same edges). A total of exactly 2.0 is average, exactly 3.0 is strong/high.

=======  ==========  ===========  ==========
EFE      IFE strong  IFE average  IFE weak
=======  ==========  ===========  ==========
high     I           II           III
medium   IV          V            VI
low      VII         VIII         IX
=======  ==========  ===========  ==========

Cells I, II, IV: grow and build; III, V, VII: hold and maintain; VI, VIII, IX:
harvest or divest.

**GE-McKinsey matrix** (GE 九宫格): industry attractiveness (rows high / medium /
low) x competitive strength (columns high / medium / low), each a weighted score on
the rating scale. The cut points are explicit: by default thirds of the scale's
range (on 1-5: 2.33 and 3.67, as in Kotler's *Marketing Management*); ``cuts="maximum"``
takes thirds of the scale's maximum (1.67 and 3.33 on 1-5); or pass two numbers. A
value exactly on a cut belongs to the upper cell.

Examples
--------
>>> ie_cell(2.5, 3.0)
IECell(cell='II', ife_band='average', efe_band='high', strategy='grow and build')
>>> ge_cell(3.32, 2.66)
GECell(row='medium', column='medium', strategy='selectivity/earnings')
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..base._validation import check_allowed, check_ratings, describe, require_columns
from ..base.errors import InputValidationError, Problem
from ..base.i18n import text
from ..base.schema import DEFAULT_SCALES, MATRIX_KINDS
from ..core.charts import COLORS, bubble_matrix
from ..core.scoring import band, check_edges, check_weights, scale_thirds

IE_EDGES = (1.0, 2.0, 3.0, 4.0)
IFE_BANDS = ("weak", "average", "strong")
EFE_BANDS = ("low", "medium", "high")
IE_CELLS = {
    ("strong", "high"): "I",
    ("average", "high"): "II",
    ("weak", "high"): "III",
    ("strong", "medium"): "IV",
    ("average", "medium"): "V",
    ("weak", "medium"): "VI",
    ("strong", "low"): "VII",
    ("average", "low"): "VIII",
    ("weak", "low"): "IX",
}
IE_STRATEGY = {
    **dict.fromkeys(("I", "II", "IV"), "grow and build"),
    **dict.fromkeys(("III", "V", "VII"), "hold and maintain"),
    **dict.fromkeys(("VI", "VIII", "IX"), "harvest or divest"),
}
GE_BANDS = ("low", "medium", "high")
GE_STRATEGY = {
    ("high", "high"): "invest/grow",
    ("high", "medium"): "invest/grow",
    ("medium", "high"): "invest/grow",
    ("high", "low"): "selectivity/earnings",
    ("medium", "medium"): "selectivity/earnings",
    ("low", "high"): "selectivity/earnings",
    ("medium", "low"): "harvest/divest",
    ("low", "medium"): "harvest/divest",
    ("low", "low"): "harvest/divest",
}


class IECell(NamedTuple):
    """A position on the IE matrix."""

    cell: str
    ife_band: str
    efe_band: str
    strategy: str


class GECell(NamedTuple):
    """A position on the GE-McKinsey matrix: row = attractiveness, column = strength."""

    row: str
    column: str
    strategy: str


def _place(where: str, values: dict, edges, expected: str) -> dict[str, str]:
    """Band each named value, reporting every value outside the edges in one error."""
    problems, bands = [], {}
    for name, (value, labels) in values.items():
        try:
            bands[name] = band(value, edges, labels)
        except InputValidationError:
            problems.append(Problem(where, expected, describe(value), column=name))
    if problems:
        raise InputValidationError(problems)
    return bands


def score_ife_efe(
    table: pd.DataFrame, *, scale: tuple[float, float] = DEFAULT_SCALES["ife_efe"]
) -> pd.DataFrame:
    """Weighted score of every IFE / EFE factor.

    Parameters
    ----------
    table : DataFrame
        Columns ``matrix`` (IFE or EFE), ``factor``, ``weight``, ``rating``.
    scale : (lo, hi)
        Rating scale (David's 1-4).

    Returns
    -------
    DataFrame
        The table's rows with ``weighted_score = weight x rating``, weights taken
        as fractions (percent weights are divided by 100).

    Raises
    ------
    InputValidationError
        Missing columns, ratings NaN or off the scale, an unknown matrix;
        :class:`~kamanalysis.base.errors.InvalidWeightsError` when a matrix's weights
        do not sum to 1 (or 100).
    """
    require_columns(table, ("matrix", "factor", "weight", "rating"), where="ife_efe")
    data = table.reset_index(drop=True).copy()
    problems = check_ratings(data, "rating", scale, where="ife_efe", label_by="factor")
    problems += check_allowed(data, "matrix", MATRIX_KINDS, where="ife_efe", label_by="factor")
    if problems:
        raise InputValidationError(problems)
    data["weight"] = data["weight"].astype("float64")
    for matrix, rows in data.groupby("matrix", sort=False):
        weights = pd.Series(rows["weight"].to_numpy(), index=rows["factor"].to_numpy())
        fractions = check_weights(weights, where=f"ife_efe {matrix}")
        data.loc[rows.index, "weight"] = fractions.to_numpy()
    data["weighted_score"] = data["weight"] * data["rating"].astype("float64")
    return data


def ife_efe(
    table: pd.DataFrame, *, scale: tuple[float, float] = DEFAULT_SCALES["ife_efe"]
) -> pd.Series:
    """IFE and EFE total weighted scores (1 to 4; 2.5 is average).

    Parameters
    ----------
    table : DataFrame
        Columns ``matrix`` (IFE or EFE), ``factor``, ``weight``, ``rating``; one BU
        and quarter. A matrix without rows is absent from the result.

    Returns
    -------
    Series indexed by ``IFE`` and ``EFE`` (those present).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"matrix": ["IFE", "IFE", "EFE", "EFE"], "factor": list("abcd"),
    ...                   "weight": [0.6, 0.4, 0.5, 0.5], "rating": [4, 1, 3, 2]})
    >>> ife_efe(t).round(2).to_dict()
    {'IFE': 2.8, 'EFE': 2.5}
    """
    scored = score_ife_efe(table, scale=scale)
    totals = scored.groupby("matrix", sort=False)["weighted_score"].sum()
    out = {}
    for matrix in ("IFE", "EFE"):
        if matrix in totals.index:
            rows = scored.loc[scored["matrix"] == matrix, "rating"]
            out[matrix] = float(np.clip(totals[matrix], rows.min(), rows.max()))
    return pd.Series(out, dtype="float64", name="total")


def ie_cell(ife: float, efe: float) -> IECell:
    """Place IFE and EFE totals on the IE matrix.

    Bands are [1.0, 2.0) weak/low, [2.0, 3.0) average/medium, [3.0, 4.0] strong/high.

    Raises
    ------
    InputValidationError
        A total outside 1 to 4 (or NaN).

    Examples
    --------
    >>> ie_cell(3.0, 2.0).cell, ie_cell(1.99, 1.0).cell, ie_cell(2.0, 2.99).strategy
    ('IV', 'IX', 'hold and maintain')
    """
    bands = _place(
        "ie_cell",
        {"IFE": (ife, IFE_BANDS), "EFE": (efe, EFE_BANDS)},
        IE_EDGES,
        "a total from 1 to 4",
    )
    cell = IE_CELLS[(bands["IFE"], bands["EFE"])]
    return IECell(cell, bands["IFE"], bands["EFE"], IE_STRATEGY[cell])


def ge_cuts(scale: tuple[float, float] = DEFAULT_SCALES["rating"], cuts=None) -> list[float]:
    """Resolve the GE cut convention into band edges ``[lo, cut1, cut2, hi]``.

    Parameters
    ----------
    scale : (lo, hi)
    cuts : None, "range", "maximum" or two numbers
        None or "range": thirds of the scale's range; "maximum": thirds of its
        maximum; two numbers: those cuts.

    Examples
    --------
    >>> [round(c, 2) for c in ge_cuts((1, 5))]
    [1.0, 2.33, 3.67, 5.0]
    >>> [round(c, 2) for c in ge_cuts((1, 5), "maximum")]
    [1.0, 1.67, 3.33, 5.0]
    >>> ge_cuts((1, 5), [3, 2])
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - ge_cell, column cuts: expected strictly increasing numbers, got [1, 3, 2, 5]
    """
    lo, hi = scale
    if cuts is None or (isinstance(cuts, str) and cuts == "range"):
        return scale_thirds(scale)
    if isinstance(cuts, str) and cuts == "maximum":
        return check_edges([lo, hi / 3, 2 * hi / 3, hi], where="ge_cell", name="cuts")
    if isinstance(cuts, str) or len(cuts) != 2:
        raise InputValidationError(
            [
                Problem(
                    "ge_cell",
                    'None, "range", "maximum" or two cut points',
                    describe(cuts),
                    column="cuts",
                )
            ]
        )
    return check_edges([lo, *cuts, hi], where="ge_cell", name="cuts")


def ge_cell(
    attractiveness: float,
    strength: float,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    cuts=None,
) -> GECell:
    """Place a business on the GE-McKinsey nine-cell matrix.

    Parameters
    ----------
    attractiveness : float
        Industry attractiveness score on ``scale`` (the row).
    strength : float
        Competitive strength score on ``scale`` (the column).
    scale : (lo, hi)
    cuts : see :func:`ge_cuts`
        Default: thirds of the range. A value exactly on a cut is in the upper cell.

    Returns
    -------
    GECell
        ``row`` and ``column`` are high / medium / low; ``strategy`` is
        invest/grow, selectivity/earnings or harvest/divest.

    Examples
    --------
    >>> ge_cell(3.67, 3.66, cuts=[2.33, 3.67])
    GECell(row='high', column='medium', strategy='invest/grow')
    >>> ge_cell(2.0, 2.0, cuts="maximum").strategy
    'selectivity/earnings'
    """
    edges = ge_cuts(scale, cuts)
    bands = _place(
        "ge_cell",
        {"attractiveness": (attractiveness, GE_BANDS), "strength": (strength, GE_BANDS)},
        edges,
        f"a score from {scale[0]:g} to {scale[1]:g}",
    )
    row, column = bands["attractiveness"], bands["strength"]
    return GECell(row, column, GE_STRATEGY[(row, column)])


def _carried_edges(positions: pd.DataFrame, scale, cuts) -> list[float]:
    """Return the GE edges the frame was classified with, unless the caller names others.

    A frame from :func:`kamanalysis.diagnosis.strategic_position` carries its edges in
    ``positions.attrs["ge_edges"]``; drawing it at other cuts would contradict its cells.
    """
    carried = positions.attrs.get("ge_edges")
    if scale is None and cuts is None:
        return list(carried) if carried is not None else ge_cuts(DEFAULT_SCALES["rating"])
    edges = ge_cuts(scale or DEFAULT_SCALES["rating"], cuts)
    if carried is not None and not np.allclose(edges, carried):
        raise InputValidationError(
            [
                Problem(
                    "plot_ge_matrix",
                    "the cuts the positions were classified with, "
                    + ", ".join(f"{e:.2f}" for e in carried),
                    ", ".join(f"{e:.2f}" for e in edges),
                    column="cuts",
                )
            ]
        )
    return edges


def plot_ie_matrix(
    positions: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: str = "label",
    size: str = "revenue",
    lang: str = "en",
    top: int | None = None,
) -> Axes:
    """Place one or more BUs on the IE matrix (strong IFE on the left, as in David).

    Parameters
    ----------
    positions : DataFrame
        Columns ``ife``, ``efe``, ``label`` (e.g. the BU) and optionally
        ``revenue`` for bubble size.
    lang : str
        ``en`` or ``zh``: the language of the title, axis labels and cell names.
    top : int, optional
        With more BUs than this, many on one grid: small bubbles, and only the ``top``
        largest labelled, beside their bubbles where no label overlaps another
        (:func:`kamanalysis.core.charts.place_labels`). Default: every BU labelled on its
        bubble.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"label": ["PV", "IC"], "ife": [3.1, 2.2], "efe": [2.6, 1.8],
    ...                   "revenue": [60.0, 30.0]})
    >>> ax = plot_ie_matrix(p)
    >>> [float(x) for x in ax.get_xlim()], len(ax.collections[0].get_offsets())
    ([4.0, 1.0], 2)
    """
    require_columns(positions, ("ife", "efe", label), where="plot_ie_matrix")
    cells = {(i, j): IE_CELLS[(IFE_BANDS[i], EFE_BANDS[j])] for i in range(3) for j in range(3)}
    ax = bubble_matrix(
        ax,
        positions["ife"],
        positions["efe"],
        x_edges=IE_EDGES,
        y_edges=IE_EDGES,
        labels=positions[label].tolist(),
        size=positions[size] if size in positions else None,
        cell_text=cells,
        invert_x=True,
        color=COLORS["focal"],
        **_crowded(positions, top),
        where="plot_ie_matrix",
    )
    ax.set_xlabel(text("chart.ie.xlabel", lang))
    ax.set_ylabel(text("chart.ie.ylabel", lang))
    ax.set_title(text("chart.ie.title", lang))
    return ax


def _crowded(positions: pd.DataFrame, top: int | None) -> dict:
    """How a grid of BUs is labelled: on the bubbles, or the ``top`` beside, decluttered."""
    if top is None or len(positions) <= top:
        return {"labels_inside": True}
    return {"top": top, "many": True, "declutter": True}


def plot_ge_matrix(
    positions: pd.DataFrame,
    *,
    ax: Axes | None = None,
    scale: tuple[float, float] | None = None,
    cuts=None,
    label: str = "label",
    size: str = "revenue",
    lang: str = "en",
    top: int | None = None,
) -> Axes:
    """Place one or more BUs on the GE-McKinsey matrix (strong on the left, as usual).

    Parameters
    ----------
    positions : DataFrame
        Columns ``attractiveness``, ``strength``, ``label`` and optionally
        ``revenue`` for bubble size.
    scale, cuts :
        As for :func:`ge_cell`; the grid lines are drawn at the cuts. By default the
        edges the frame carries (``positions.attrs["ge_edges"]``, set by
        :func:`kamanalysis.diagnosis.strategic_position`), else thirds of 1-5. Naming
        cuts other than those the frame carries is an error: the grid would contradict
        the cells.
    lang : str
        ``en`` or ``zh``: the language of the title, axis labels and cell names.
    top : int, optional
        As for :func:`plot_ie_matrix`: with more BUs than this, only the ``top`` largest
        are labelled.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"label": ["PV"], "attractiveness": [3.0], "strength": [4.0]})
    >>> ax = plot_ge_matrix(p)
    >>> [round(float(line.get_xdata()[0]), 2) for line in ax.lines[:2]]
    [2.33, 3.67]
    """
    require_columns(positions, ("attractiveness", "strength", label), where="plot_ge_matrix")
    edges = _carried_edges(positions, scale, cuts)
    names = {
        ("high", "high"): text("chart.ge.invest", lang),
        ("medium", "medium"): text("chart.ge.select", lang),
        ("low", "low"): text("chart.ge.harvest", lang),
    }
    cells = {(i, j): names.get((GE_BANDS[i], GE_BANDS[j]), "") for i in range(3) for j in range(3)}
    ax = bubble_matrix(
        ax,
        positions["strength"],
        positions["attractiveness"],
        x_edges=edges,
        y_edges=edges,
        labels=positions[label].tolist(),
        size=positions[size] if size in positions else None,
        cell_text=cells,
        invert_x=True,
        color=COLORS["good"],
        **_crowded(positions, top),
        where="plot_ge_matrix",
    )
    ax.set_xlabel(text("chart.ge.xlabel", lang))
    ax.set_ylabel(text("chart.ge.ylabel", lang))
    ax.set_title(text("chart.ge.title", lang))
    return ax
