"""SWOT (SWOT 分析) and TOWS from the rated IFE / EFE factors, consistently with them.

The factors are the IFE / EFE rows of one BU and quarter (``kind`` strength, weakness,
opportunity or threat; ``weight``; ``rating`` on David's 1-4): no retyping.

- **Weighted score** ``weight x rating``, as in the IFE and EFE matrices: the strengths'
  and weaknesses' totals add up to the IFE total, the opportunities' and threats' to the
  EFE total.
- **Ranking**: strengths and opportunities by weighted score, highest first; weaknesses
  and threats by weighted severity ``weight x (lo + hi - rating)``, the weighted score of
  the rating turned round (on 1-4, ``5 - rating``), so the most important weakness or
  threat comes first; ties by weight, then by name.
- **Balance**: internal = the strengths' weighted scores minus the weaknesses' weighted
  severities; external = the opportunities' weighted scores minus the threats' weighted
  severities. Each side is measured the way round in which more is more important, so a
  weakness or threat that gets worse (a lower rating) lowers the balance. (The weaknesses'
  weighted *scores* would not do: on David's scale a major weakness is rated 1, so its
  weighted score is smaller than a minor one's.) Equivalently, the internal balance is the
  IFE total minus ``(lo + hi)`` times the weaknesses' share of the weight: with the weight
  split evenly it is the total minus the scale's midpoint (2.5 on 1-4).
- **Quadrant** the balance points to (on zero: the high side, as on every grid): SO
  aggressive, ST diversify, WO turnaround, WT defensive.

TOWS pairs the top factors of each list (SO, ST, WO, WT); each pair's suggested strategy
comes from the pattern table ``tows_patterns.csv`` (data, en and zh).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"matrix": ["IFE", "IFE", "EFE", "EFE"],
...                   "kind": ["strength", "weakness", "opportunity", "threat"],
...                   "factor": ["quality", "price", "upgrade wave", "new entrants"],
...                   "weight": [0.6, 0.4, 0.5, 0.5], "rating": [4, 1, 3, 2]})
>>> s = swot_matrix(t)
>>> float(round(s.totals["IFE"], 2)), float(round(s.balance["internal"], 2)), s.quadrant
(2.8, 0.8, 'SO')

(0.6 x 4 = 2.4 for the strength, 0.4 x (5 - 1) = 1.6 for the weakness: 2.4 - 1.6 = 0.8;
externally 0.5 x 3 - 0.5 x (5 - 2) = 0.0, on the high side: O.)
"""

from __future__ import annotations

import math
import string
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from ..base._validation import (
    check_allowed,
    check_ratings,
    describe,
    read_rule_rows,
    require_columns,
)
from ..base.errors import InputValidationError, Problem
from ..base.i18n import label, text
from ..base.paths import PACKAGE
from ..base.schema import DEFAULT_SCALES, MATRIX_KINDS
from ..core.charts import COLORS, get_axes
from ..core.scoring import check_weights

WHERE = "swot_matrix"
#: The four lists, in the order a SWOT is read.
SWOT_KINDS = ("strength", "weakness", "opportunity", "threat")
#: The strategy patterns of the TOWS matrix (data: a consultant edits them).
PATTERNS_FILE = PACKAGE / "tools" / "tows_patterns.csv"
PATTERN_COLUMNS = ("quadrant", "internal", "external", "stance", "pattern_en", "pattern_zh")
#: The quadrants and the kinds each pairs.
QUADRANT_KINDS = {
    "SO": ("strength", "opportunity"),
    "ST": ("strength", "threat"),
    "WO": ("weakness", "opportunity"),
    "WT": ("weakness", "threat"),
}


@dataclass(frozen=True)
class SWOT:
    """A BU's SWOT: every factor scored, the totals, the balance and its quadrant.

    Attributes
    ----------
    factors : DataFrame
        Every row: ``matrix``, ``kind``, ``factor``, ``weight`` (a fraction),
        ``rating``, ``weighted_score``, ``weighted_severity`` (weaknesses and threats;
        NaN for strengths and opportunities), ``rank_score`` (what the list is ranked
        by: the weighted score or the weighted severity) and ``rank`` (1 = the most
        important of its kind), ordered by kind then rank.
    totals : Series
        Weighted-score totals of each kind, and ``IFE`` and ``EFE`` (their sums).
    balance : Series
        ``internal`` (the strengths' weighted scores minus the weaknesses' weighted
        severities) and ``external`` (the opportunities' weighted scores minus the
        threats' weighted severities); NaN for a matrix without rows.
    quadrant : str
        ``SO``, ``ST``, ``WO`` or ``WT``; empty when a matrix has no rows.
    top : int
        How many factors of each kind the lists show.
    scale : (lo, hi)
        The rating scale.
    """

    factors: pd.DataFrame
    totals: pd.Series
    balance: pd.Series
    quadrant: str
    top: int
    scale: tuple[float, float]

    def lists(self) -> dict[str, pd.DataFrame]:
        """Return the top factors of each kind: kind -> rows, most important first."""
        return {
            kind: self.factors.loc[
                (self.factors["kind"] == kind) & (self.factors["rank"] <= self.top)
            ].reset_index(drop=True)
            for kind in SWOT_KINDS
        }

    @property
    def stance(self) -> str:
        """The quadrant's stance (``aggressive`` ...) from the pattern table, or empty."""
        table = tows_patterns()
        return str(table.loc[self.quadrant, "stance"]) if self.quadrant else ""


def _check(factors: pd.DataFrame, scale) -> list[Problem]:
    problems = check_ratings(factors, "rating", scale, where=WHERE, label_by="factor")
    problems += check_allowed(factors, "matrix", MATRIX_KINDS, where=WHERE, label_by="factor")
    for matrix, kinds in MATRIX_KINDS.items():
        rows = factors.loc[factors["matrix"] == matrix]
        problems += check_allowed(rows, "kind", kinds, where=f"{WHERE} {matrix}", label_by="factor")
    return problems


def swot_matrix(
    factors: pd.DataFrame,
    *,
    top: int = 5,
    scale: tuple[float, float] = DEFAULT_SCALES["ife_efe"],
) -> SWOT:
    """Build a SWOT from a BU's IFE / EFE rows of one quarter.

    Parameters
    ----------
    factors : DataFrame
        Columns ``matrix`` (IFE or EFE), ``kind``, ``factor``, ``weight``, ``rating``.
    top : int
        How many factors of each kind the lists (and :func:`plot_swot`) show.
    scale : (lo, hi)
        The rating scale (David's 1-4); ``lo + hi - rating`` turns a rating round.

    Returns
    -------
    SWOT

    Raises
    ------
    InputValidationError
        Missing columns, ratings off the scale, a kind that does not belong to its
        matrix, ``top`` < 1; :class:`~kamanalysis.base.errors.InvalidWeightsError` when a
        matrix's weights do not sum to 1 (or 100).

    Examples
    --------
    Weights in percent are accepted; a weakness rated 1 (major) comes before one rated 2
    of the same weight; without EFE rows there is no quadrant. The internal balance is
    1.5 - (1.00 + 0.75) = -0.25: the weaknesses' severities outweigh the strength.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"matrix": "IFE", "kind": ["strength", "weakness", "weakness"],
    ...                   "factor": ["a", "b", "c"], "weight": [50, 25, 25],
    ...                   "rating": [3, 2, 1]})
    >>> s = swot_matrix(t)
    >>> s.totals.round(2).to_dict(), s.quadrant
    ({'strength': 1.5, 'weakness': 0.75, 'opportunity': 0.0, 'threat': 0.0, 'IFE': 2.25}, '')
    >>> s.lists()["weakness"][["factor", "weighted_score", "weighted_severity"]]
      factor  weighted_score  weighted_severity
    0      c            0.25               1.00
    1      b            0.50               0.75
    >>> float(round(s.balance["internal"], 2))
    -0.25
    """
    require_columns(factors, ("matrix", "kind", "factor", "weight", "rating"), where=WHERE)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputValidationError(
            [Problem(WHERE, "a whole number >= 1", describe(top), column="top")]
        )
    data = factors.reset_index(drop=True).copy()
    problems = _check(data, scale)
    if problems:
        raise InputValidationError(problems)
    data["weight"] = data["weight"].astype("float64")
    data["rating"] = data["rating"].astype("float64")
    for matrix, rows in data.groupby("matrix", sort=False):
        weights = pd.Series(rows["weight"].to_numpy(), index=rows["factor"].to_numpy())
        data.loc[rows.index, "weight"] = check_weights(
            weights, where=f"{WHERE} {matrix}"
        ).to_numpy()
    lo, hi = float(scale[0]), float(scale[1])
    data["weighted_score"] = data["weight"] * data["rating"]
    adverse = data["kind"].isin(("weakness", "threat"))
    data["weighted_severity"] = (data["weight"] * (lo + hi - data["rating"])).where(adverse)
    data["rank_score"] = data["weighted_severity"].where(adverse, data["weighted_score"])
    data["by"] = data["rank_score"].round(12)  # ties are ties, not float noise
    data["order"] = data["kind"].map({k: i for i, k in enumerate(SWOT_KINDS)})
    data = data.sort_values(
        ["order", "by", "weight", "factor"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    data["rank"] = data.groupby("kind", sort=False).cumcount() + 1
    data = data.drop(columns=["by", "order"]).reset_index(drop=True)
    totals = {k: math.fsum(data.loc[data["kind"] == k, "weighted_score"]) for k in SWOT_KINDS}
    present = set(data["matrix"])
    if "IFE" in present:
        totals["IFE"] = totals["strength"] + totals["weakness"]
    if "EFE" in present:
        totals["EFE"] = totals["opportunity"] + totals["threat"]
    # weaknesses and threats count by how bad they are: a lower rating lowers the balance
    severity = {
        k: math.fsum(data.loc[data["kind"] == k, "weighted_severity"])
        for k in ("weakness", "threat")
    }
    balance = pd.Series(
        {
            "internal": totals["strength"] - severity["weakness"] if "IFE" in present else math.nan,
            "external": totals["opportunity"] - severity["threat"]
            if "EFE" in present
            else math.nan,
        },
        dtype="float64",
    )
    quadrant = ""
    if balance.notna().all():
        quadrant = ("S" if balance["internal"] >= 0 else "W") + (
            "O" if balance["external"] >= 0 else "T"
        )
    return SWOT(data, pd.Series(totals, dtype="float64"), balance, quadrant, top, (lo, hi))


@cache
def tows_patterns(path: str | Path = PATTERNS_FILE) -> pd.DataFrame:
    """Read the TOWS strategy patterns: one row per quadrant, indexed by it.

    Columns ``internal`` and ``external`` (the kinds it pairs), ``stance`` (aggressive,
    diversify, turnaround, defensive) and ``pattern_en`` / ``pattern_zh`` with the
    placeholders ``{internal}`` and ``{external}`` (the factors' names).

    Raises
    ------
    InputValidationError
        A column or a quadrant missing, a quadrant pairing the wrong kinds, a pattern
        blank or with another placeholder, each named by file, row and column.

    Examples
    --------
    >>> tows_patterns().loc["ST", "stance"]
    'diversify'
    """
    path = Path(path)
    rows = read_rule_rows(path, PATTERN_COLUMNS)
    problems, seen = [], {}
    for number, row in enumerate(rows, start=2):
        quadrant = row["quadrant"].strip()
        if quadrant not in QUADRANT_KINDS or quadrant in seen:
            expected = "one row for each of " + ", ".join(QUADRANT_KINDS)
            problems.append(
                Problem(path.name, expected, describe(quadrant), row=number, column="quadrant")
            )
            continue
        seen[quadrant] = number
        kinds = (row["internal"].strip(), row["external"].strip())
        if kinds != QUADRANT_KINDS[quadrant]:
            expected = " and ".join(QUADRANT_KINDS[quadrant])
            problems.append(
                Problem(path.name, expected, " and ".join(kinds), row=number, column="internal")
            )
        for column in ("stance", "pattern_en", "pattern_zh"):
            value = (row[column] or "").strip()
            names = {f[1] for f in string.Formatter().parse(value) if f[1] is not None}
            if not value or (column != "stance" and names != {"internal", "external"}):
                expected = "a text" + (
                    "" if column == "stance" else " with {internal} and {external}"
                )
                problems.append(
                    Problem(path.name, expected, describe(value), row=number, column=column)
                )
    for quadrant in QUADRANT_KINDS.keys() - seen.keys():
        problems.append(Problem(path.name, f"a row for {quadrant}", "none", column="quadrant"))
    if problems:
        raise InputValidationError(problems)
    table = pd.DataFrame(rows, columns=list(PATTERN_COLUMNS)).set_index("quadrant")
    return table.apply(lambda column: column.str.strip())


def tows_matrix(
    factors: pd.DataFrame | SWOT,
    *,
    top: int = 3,
    lang: str = "en",
    scale: tuple[float, float] = DEFAULT_SCALES["ife_efe"],
) -> pd.DataFrame:
    """Pair the top factors into SO / ST / WO / WT strategies (the TOWS matrix).

    In each quadrant the ``top`` most important factors of its two kinds are paired, and
    the ``top`` pairs with the largest joint score (the product of the two factors'
    ``rank_score``) are kept; each gets the quadrant's pattern from :func:`tows_patterns`
    in ``lang``.

    Parameters
    ----------
    factors : DataFrame or SWOT
        The IFE / EFE rows (as for :func:`swot_matrix`), or a SWOT already built.
    top : int
        How many factors of each kind are paired, and how many pairs each quadrant keeps.
    lang : str
        ``en`` or ``zh``: the language of the strategies.

    Returns
    -------
    DataFrame
        One row per pair: ``quadrant``, ``internal``, ``external`` (the factors),
        ``strategy``, ``stance``, ``joint_score`` and ``points_to`` (True in the quadrant
        the BU's balance points to). ``attrs`` carry ``quadrant`` and ``stance``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"matrix": ["IFE", "IFE", "EFE", "EFE"],
    ...                   "kind": ["strength", "weakness", "opportunity", "threat"],
    ...                   "factor": ["quality", "price", "upgrade wave", "new entrants"],
    ...                   "weight": [0.6, 0.4, 0.5, 0.5], "rating": [4, 1, 3, 2]})
    >>> tows = tows_matrix(t)
    >>> tows.loc[tows["quadrant"] == "ST", "strategy"].iloc[0]
    'Defend with “quality” against “new entrants”'
    >>> tows.attrs["stance"]
    'aggressive'
    """
    swot = factors if isinstance(factors, SWOT) else swot_matrix(factors, top=top, scale=scale)
    patterns = tows_patterns()
    column = f"pattern_{'zh' if lang == 'zh' else 'en'}"
    data = swot.factors
    records = []
    for quadrant, (inner, outer) in QUADRANT_KINDS.items():
        left = data.loc[(data["kind"] == inner) & (data["rank"] <= top)]
        right = data.loc[(data["kind"] == outer) & (data["rank"] <= top)]
        pairs = [
            (round(a.rank_score * b.rank_score, 12), a.rank, b.rank, a.factor, b.factor)
            for a in left.itertuples()
            for b in right.itertuples()
        ]
        pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
        for joint, _, _, internal, external in pairs[:top]:
            records.append(
                {
                    "quadrant": quadrant,
                    "internal": internal,
                    "external": external,
                    "strategy": patterns.loc[quadrant, column].format(
                        internal=internal, external=external
                    ),
                    "stance": patterns.loc[quadrant, "stance"],
                    "joint_score": joint,
                    "points_to": quadrant == swot.quadrant,
                }
            )
    columns = ["quadrant", "internal", "external", "strategy", "stance", "joint_score", "points_to"]
    out = pd.DataFrame.from_records(records, columns=columns)
    out.attrs = {"quadrant": swot.quadrant, "stance": swot.stance}
    return out


#: Where each list's box sits on the SWOT chart: (column, row) from the top left.
_BOXES = {"strength": (0, 0), "weakness": (1, 0), "opportunity": (0, 1), "threat": (1, 1)}
_BOX_COLORS = {
    "strength": COLORS["good"],
    "weakness": COLORS["bad"],
    "opportunity": COLORS["focal"],
    "threat": COLORS["highlight"],
}


def plot_swot(scored: SWOT, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Draw the four SWOT boxes with their top factors, totals and the balance.

    Strengths and weaknesses on top (internal), opportunities and threats below
    (external); each box lists its top factors, most important first, with their
    weighted scores, and its heading the kind's total.

    Parameters
    ----------
    scored : SWOT
        From :func:`swot_matrix`.
    ax : Axes, optional
    lang : str
        ``en`` or ``zh``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"matrix": ["IFE", "IFE"], "kind": ["strength", "weakness"],
    ...                   "factor": ["quality", "price"], "weight": [0.6, 0.4],
    ...                   "rating": [4, 1]})
    >>> ax = plot_swot(swot_matrix(t))
    >>> len(ax.patches)
    8
    """
    if not isinstance(scored, SWOT):
        raise InputValidationError(
            [
                Problem(
                    "plot_swot", "a SWOT from swot_matrix", type(scored).__name__, column="scored"
                )
            ]
        )
    ax = get_axes(ax, figsize=(10, 6.5), where="plot_swot")
    ax.set_xlim(0, 2)
    ax.set_ylim(2, 0)
    ax.axis("off")
    lists = scored.lists()
    width = 34 if lang == "zh" else 44
    for kind, (col, row) in _BOXES.items():
        color = _BOX_COLORS[kind]
        box = Rectangle((col + 0.02, row + 0.02), 0.96, 0.96, facecolor=color, alpha=0.08)
        ax.add_patch(box)
        ax.add_patch(Rectangle((col + 0.02, row + 0.02), 0.96, 0.96, fill=False, edgecolor=color))
        title = text(f"chart.swot.{kind}", lang, total=f"{scored.totals[kind]:.2f}")
        ax.text(
            col + 0.06, row + 0.08, title, color=color, fontsize=12, fontweight="bold", va="top"
        )
        lines = []
        for item in lists[kind].itertuples():
            name = textwrap.shorten(str(item.factor), width=width, placeholder="…")
            lines.append(f"{item.rank}. {name}  ({item.weighted_score:.2f})")
        if not lines:
            lines = [text("chart.swot.none", lang)]
        ax.text(col + 0.06, row + 0.22, "\n".join(lines), fontsize=9.5, va="top", linespacing=1.6)
    title = text("chart.swot.title", lang)
    if scored.quadrant:
        title += "  " + text(
            "chart.swot.balance",
            lang,
            internal=f"{scored.balance['internal']:+.2f}",
            external=f"{scored.balance['external']:+.2f}",
            quadrant=scored.quadrant,
            stance=label(scored.stance, lang),
        )
    ax.set_title(title, fontsize=11)
    return ax


__all__ = [
    "PATTERNS_FILE",
    "QUADRANT_KINDS",
    "SWOT",
    "SWOT_KINDS",
    "plot_swot",
    "swot_matrix",
    "tows_matrix",
    "tows_patterns",
]
