"""The BCG growth-share matrix (波士顿矩阵): market growth x relative market share.

**Relative market share** is the business's share of its market divided by the share of
its largest rival (above 1 = we lead the market); **market growth** is the market's
growth over a year, as a fraction (0.12 for 12 %). The two cuts are explicit:
``growth_cut`` (default 0.10, the usual 10 % a year) and ``share_cut`` (default 1.0: we
lead or not). A value exactly on a cut belongs to the high side, as on every grid of the
package.

==============  =======================  ======================
growth / share  high (>= share_cut)      low
==============  =======================  ======================
high            star                     question_mark
low             cash_cow                 dog
==============  =======================  ======================

Each cell's usual stance (:data:`BCG_STANCE`) is data: star invest, question mark
selective (build it into a star or leave), cash cow hold (and fund the others), dog
harvest or divest. Growth is a fraction: a growth above 1 (more than 100 % a year) is
refused as a likely percent (12 written for 0.12); a market cannot shrink by 100 % or
more (growth <= -1); a relative share must be > 0.

Examples
--------
>>> bcg_cell(0.15, 1.4)
'star'
>>> bcg_cell(0.10, 1.0), bcg_cell(0.0999, 0.999)
('star', 'dog')
>>> bcg_cell(0.15, 0.8, share_cut=0.5, growth_cut=0.0)
'star'
"""

from __future__ import annotations

import math
import numbers

import pandas as pd
from matplotlib.axes import Axes

from ..base._validation import describe, require_columns
from ..base.errors import InputValidationError, Problem
from ..base.i18n import text
from ..core.charts import COLORS, bubble_sizes, get_axes

WHERE = "bcg_cell"
#: The four cells: (growth high, share high) -> cell.
BCG_CELLS = {
    (True, True): "star",
    (True, False): "question_mark",
    (False, True): "cash_cow",
    (False, False): "dog",
}
#: The usual stance of each cell, on the scale the IE and GE strategies share
#: (invest / hold / harvest; a question mark is ``selective``: build it or leave).
BCG_STANCE = {
    "star": "invest",
    "question_mark": "selective",
    "cash_cow": "hold",
    "dog": "harvest",
}
#: A growth above this is refused as a likely percent (12 for 0.12).
MAX_GROWTH = 1.0


def _number(value) -> float | None:
    """Return ``value`` as a finite float, or None (text, bool, NaN, infinity)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def growth_problem(value, *, where: str = WHERE, column: str = "market_growth"):
    """Return the problem with a market growth (a fraction from above -1 to 1), or None.

    Examples
    --------
    >>> print(growth_problem(12).expected)
    a fraction of the market a year, above -1 and at most 1 (0.12 for 12 %; 12 looks like a \
percent: write 0.12)
    >>> growth_problem(-0.3) is None
    True
    """
    number = _number(value)
    if number is not None and -1 < number <= MAX_GROWTH:
        return None
    expected = "a fraction of the market a year, above -1 and at most 1 (0.12 for 12 %"
    if number is not None and number > MAX_GROWTH:
        expected += f"; {number:g} looks like a percent: write {number / 100:g})"
    else:
        expected += ")"
    return Problem(where, expected, describe(value), column=column)


def share_problem(value, *, where: str = WHERE, column: str = "relative_share"):
    """Return the problem with a relative market share (a number > 0), or None.

    Examples
    --------
    >>> share_problem(0).found, share_problem(0.4) is None
    ('0', True)
    """
    number = _number(value)
    if number is not None and number > 0:
        return None
    expected = "a relative market share > 0 (our share / the largest rival's share)"
    return Problem(where, expected, describe(value), column=column)


def bcg_cell(
    market_growth: float,
    relative_share: float,
    *,
    growth_cut: float = 0.10,
    share_cut: float = 1.0,
) -> str:
    """Place a business on the BCG growth-share matrix.

    Parameters
    ----------
    market_growth : float
        The market's growth over a year, as a fraction (0.12 = 12 %), above -1 and at
        most 1.
    relative_share : float
        Our market share / the largest rival's share; > 0.
    growth_cut : float
        Growth at or above which the market is high-growth (default 0.10); a fraction too.
    share_cut : float
        Relative share at or above which our share is high (default 1.0: we lead); > 0.

    Returns
    -------
    str
        ``star``, ``cash_cow``, ``question_mark`` or ``dog``.

    Raises
    ------
    InputValidationError
        Every problem with the four numbers in one error: a share or cut <= 0, a growth
        or cut that is not a fraction (12 for 0.12 is flagged), text, NaN.

    Examples
    --------
    >>> bcg_cell(0.03, 2.5), bcg_cell(0.25, 0.3)
    ('cash_cow', 'question_mark')
    >>> bcg_cell(12, 0)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 2 problems found:
      - bcg_cell, column market_growth: expected a fraction of the market a year, above -1 and \
at most 1 (0.12 for 12 %; 12 looks like a percent: write 0.12), got 12
      - bcg_cell, column relative_share: expected a relative market share > 0 (our share / the \
largest rival's share), got 0
    """
    problems = [
        growth_problem(market_growth),
        share_problem(relative_share),
        growth_problem(growth_cut, column="growth_cut"),
        share_problem(share_cut, column="share_cut"),
    ]
    problems = [p for p in problems if p is not None]
    if problems:
        raise InputValidationError(problems)
    return BCG_CELLS[(market_growth >= growth_cut, relative_share >= share_cut)]


def score_bcg(
    positions: pd.DataFrame, *, growth_cut: float = 0.10, share_cut: float = 1.0
) -> pd.DataFrame:
    """Add the BCG ``cell`` and its ``stance`` to a frame of businesses.

    Parameters
    ----------
    positions : DataFrame
        Columns ``market_growth`` and ``relative_share`` (one row per business).
    growth_cut, share_cut : float
        As for :func:`bcg_cell`.

    Returns
    -------
    DataFrame
        A copy with ``bcg_cell`` and ``bcg_stance``; ``attrs`` carry the cuts.

    Raises
    ------
    InputValidationError
        Every bad row at once, each named by its index.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"market_growth": [0.15, 0.02], "relative_share": [0.5, 1.2]},
    ...                  index=["A", "B"])
    >>> score_bcg(p)["bcg_cell"].tolist()
    ['question_mark', 'cash_cow']
    """
    require_columns(positions, ("market_growth", "relative_share"), where="score_bcg")
    problems = []
    cells = []
    for key, growth, share in zip(
        positions.index, positions["market_growth"], positions["relative_share"], strict=True
    ):
        try:
            cells.append(bcg_cell(growth, share, growth_cut=growth_cut, share_cut=share_cut))
        except InputValidationError as exc:
            problems += [
                Problem("score_bcg", p.expected, p.found, row=str(key), column=p.column)
                for p in exc.problems
            ]
    if problems:
        raise InputValidationError(problems)
    out = positions.copy()
    out["bcg_cell"] = cells
    out["bcg_stance"] = [BCG_STANCE[c] for c in cells]
    out.attrs = {**positions.attrs, "growth_cut": growth_cut, "share_cut": share_cut}
    return out


def plot_bcg_matrix(
    positions: pd.DataFrame,
    ax: Axes | None = None,
    *,
    label: str = "label",
    size: str = "revenue",
    growth_cut: float | None = None,
    share_cut: float | None = None,
    lang: str = "en",
) -> Axes:
    """Draw businesses on the BCG matrix: bubble area = revenue, share on a log scale.

    As the method is usually drawn, high relative share is on the left (the share axis
    runs from high to low, logarithmic, so 2x and 0.5x sit equally far from 1x) and high
    growth on top; the cuts are the grid lines.

    Parameters
    ----------
    positions : DataFrame
        Columns ``market_growth``, ``relative_share``, ``label`` and optionally
        ``revenue`` (bubble area).
    ax : Axes, optional
    growth_cut, share_cut : float, optional
        Default: the cuts the frame carries (``attrs``, set by :func:`score_bcg`), else
        0.10 and 1.0.
    lang : str
        ``en`` or ``zh``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> p = pd.DataFrame({"label": ["PV", "IC"], "market_growth": [0.06, 0.02],
    ...                   "relative_share": [1.3, 0.4], "revenue": [60.0, 30.0]})
    >>> ax = plot_bcg_matrix(p)
    >>> ax.get_xscale(), bool(ax.get_xlim()[0] > ax.get_xlim()[1])
    ('log', True)
    """
    require_columns(positions, ("market_growth", "relative_share", label), where="plot_bcg_matrix")
    growth_cut = positions.attrs.get("growth_cut", 0.10) if growth_cut is None else growth_cut
    share_cut = positions.attrs.get("share_cut", 1.0) if share_cut is None else share_cut
    problems = [
        growth_problem(growth_cut, column="growth_cut", where="plot_bcg_matrix"),
        share_problem(share_cut, column="share_cut", where="plot_bcg_matrix"),
    ]
    if any(problems):
        raise InputValidationError([p for p in problems if p is not None])
    ax = get_axes(ax, figsize=(6, 5.5), where="plot_bcg_matrix")
    share = positions["relative_share"].astype("float64").to_numpy()
    growth = positions["market_growth"].astype("float64").to_numpy()
    # the axes: a decade around the cut at least, every bubble inside
    lo = min(share_cut / 10, *(share[share > 0] / 1.6)) if len(share) else share_cut / 10
    hi = max(share_cut * 10, *(share * 1.6)) if len(share) else share_cut * 10
    g_lo = min(-0.05, growth_cut - 0.1, *(growth - 0.05)) if len(growth) else growth_cut - 0.1
    g_hi = max(growth_cut + 0.15, *(growth + 0.05)) if len(growth) else growth_cut + 0.15
    ax.set_xscale("log")
    ax.set_xlim(hi, lo)
    ax.set_ylim(g_lo, g_hi)
    ax.axvline(share_cut, color=COLORS["grid"], linewidth=1)
    ax.axhline(growth_cut, color=COLORS["grid"], linewidth=1)
    corners = {
        "star": (0.03, 0.97, "left", "top"),
        "question_mark": (0.97, 0.97, "right", "top"),
        "cash_cow": (0.03, 0.03, "left", "bottom"),
        "dog": (0.97, 0.03, "right", "bottom"),
    }
    for cell, (x, y, ha, va) in corners.items():
        ax.text(
            x,
            y,
            text(f"chart.bcg.{cell}", lang),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            color=COLORS["cell_text_on_dots"],
            fontsize=11,
        )
    sizes = bubble_sizes(positions[size] if size in positions else None, smallest=200.0)
    ax.scatter(
        share,
        growth,
        s=sizes if len(sizes) else 300.0,
        color=COLORS["focal"],
        alpha=0.55,
        edgecolor="white",
        zorder=3,
    )
    for x, y, name in zip(share, growth, positions[label].astype(str), strict=True):
        ax.annotate(name, (x, y), ha="center", va="center", fontsize=9, zorder=4)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10) if lo <= t <= hi]
    ax.set_xticks(ticks, [f"{t:g}×" for t in ticks])
    ax.set_xticks([], minor=True)
    yticks = ax.get_yticks()
    ax.set_yticks(yticks, [f"{t:.0%}" for t in yticks])
    ax.set_ylim(g_lo, g_hi)
    ax.set_xlabel(text("chart.bcg.xlabel", lang))
    ax.set_ylabel(text("chart.bcg.ylabel", lang))
    ax.set_title(text("chart.bcg.title", lang))
    return ax


__all__ = [
    "BCG_CELLS",
    "BCG_STANCE",
    "MAX_GROWTH",
    "bcg_cell",
    "growth_problem",
    "plot_bcg_matrix",
    "score_bcg",
    "share_problem",
]
