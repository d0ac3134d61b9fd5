"""PEST analysis (PEST 分析): political, economic, social and technological factors.

Two ways of scoring the same table, both computed by :func:`score_pest`:

- **signed impact x probability**: each factor scores ``impact x probability``,
  positive for an opportunity and negative for a threat; the dimension totals and
  the net balance say whether the environment leans favourable or hostile;
- **expert panel** (the weighted-importance method): impact is rated 1-3 and the
  probability of change 1-5 by several experts; a factor's weight is its impact
  over the sum of all impacts, and its weighted importance is that weight times the
  experts' mean probability. Higher weighted importance = watch more closely.

When several experts rate a factor, their ratings are averaged first.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({
...     "dimension": ["P", "E", "T"], "factor": ["subsidy", "rates up", "automation"],
...     "effect": ["opportunity", "threat", "opportunity"],
...     "impact": [2, 3, 1], "probability": [4, 2, 5]})
>>> result = score_pest(table)
>>> result.factors["score"].tolist()
[8.0, -6.0, 5.0]
>>> result.net
7.0
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes

from ..base._validation import check_allowed, check_ratings, describe, require_columns
from ..base.errors import InputValidationError, Problem
from ..base.i18n import text
from ..base.schema import DEFAULT_SCALES, PEST_DIMENSIONS, PEST_EFFECTS
from ..core.charts import COLORS, get_axes
from ..core.fonts import check_text

DIMENSIONS = PEST_DIMENSIONS
COLUMNS = ("dimension", "factor", "effect", "impact", "probability")
WHERE = "score_pest"


@dataclass(frozen=True)
class PestResult:
    """The scored PEST table.

    Attributes
    ----------
    factors : DataFrame
        One row per factor, in first-seen order: ``dimension``, ``factor``,
        ``effect``, ``impact`` and ``probability`` (means over experts),
        ``experts`` (how many rated it), ``score`` (signed impact x probability),
        ``weight`` (impact / sum of impacts) and ``weighted_importance``
        (weight x mean probability).
    dimensions : DataFrame
        Indexed by P, E, S, T: ``factors``, ``opportunities`` (sum of positive
        scores), ``threats`` (sum of negative scores), ``net``.
    net : float
        Sum of all signed scores: > 0 leans favourable, < 0 hostile.
    top_opportunities, top_threats : DataFrame
        The ``top`` strongest of each, strongest first.
    """

    factors: pd.DataFrame
    dimensions: pd.DataFrame
    net: float
    top_opportunities: pd.DataFrame
    top_threats: pd.DataFrame


def score_pest(
    table: pd.DataFrame,
    *,
    impact_scale: tuple[float, float] = DEFAULT_SCALES["pest_impact"],
    probability_scale: tuple[float, float] = DEFAULT_SCALES["pest_probability"],
    top: int = 3,
) -> PestResult:
    """Score a PEST table by signed impact x probability and by the expert-panel method.

    Parameters
    ----------
    table : DataFrame
        Columns ``dimension`` (P/E/S/T), ``factor``, ``effect`` (opportunity or
        threat), ``impact``, ``probability``; optionally ``expert``, one row per
        expert per factor. Usually one BU and quarter of the engagement's ``pest``.
    impact_scale, probability_scale : (lo, hi)
        The declared rating scales (the engagement's ``scales.pest_*``).
    top : int
        How many top opportunities and threats to list.

    Returns
    -------
    PestResult

    Raises
    ------
    InputValidationError
        Missing columns, an empty table, ratings off their scale or NaN, an unknown
        dimension or effect, a factor given different dimensions or effects.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "dimension": ["P"] * 3 + ["S"] * 3, "factor": ["tax"] * 3 + ["ageing"] * 3,
    ...     "effect": ["threat"] * 3 + ["opportunity"] * 3, "impact": [3] * 3 + [1] * 3,
    ...     "probability": [4, 5, 3, 2, 2, 5], "expert": ["A", "B", "C"] * 2})
    >>> r = score_pest(panel)
    >>> r.factors["probability"].tolist(), r.factors["weight"].tolist()
    ([4.0, 3.0], [0.75, 0.25])
    >>> r.factors["weighted_importance"].tolist()
    [3.0, 0.75]
    """
    require_columns(table, COLUMNS, where=WHERE)
    if table.empty:
        raise InputValidationError([Problem(WHERE, "at least one factor", "an empty table")])
    data = table.reset_index(drop=True)
    problems = check_ratings(data, "impact", impact_scale, where=WHERE, label_by="factor")
    problems += check_ratings(
        data, "probability", probability_scale, where=WHERE, label_by="factor"
    )
    problems += check_allowed(data, "dimension", DIMENSIONS, where=WHERE, label_by="factor")
    problems += check_allowed(data, "effect", PEST_EFFECTS, where=WHERE, label_by="factor")
    for factor, rows in data.groupby("factor", sort=False):
        for col in ("dimension", "effect"):
            seen = rows[col].dropna().unique()
            if len(seen) > 1:
                problems.append(
                    Problem(
                        WHERE,
                        f"one {col} per factor",
                        ", ".join(describe(s) for s in seen),
                        column=f"{col} of {factor!r}",
                    )
                )
    if problems:
        raise InputValidationError(problems)
    grouped = data.groupby("factor", sort=False)
    factors = pd.DataFrame(
        {
            "dimension": grouped["dimension"].first(),
            "effect": grouped["effect"].first(),
            "impact": grouped["impact"].mean().astype("float64"),
            "probability": grouped["probability"].mean().astype("float64"),
            "experts": grouped.size(),
        }
    ).reset_index()
    factors = factors[["dimension", "factor", "effect", "impact", "probability", "experts"]]
    sign = factors["effect"].map({"opportunity": 1.0, "threat": -1.0})
    factors["score"] = sign * factors["impact"] * factors["probability"]
    factors["weight"] = factors["impact"] / factors["impact"].sum()
    factors["weighted_importance"] = factors["weight"] * factors["probability"]
    by_dim = factors.groupby("dimension")["score"]
    dimensions = (
        pd.DataFrame(
            {
                "factors": by_dim.size(),
                "opportunities": by_dim.apply(lambda s: s[s > 0].sum()),
                "threats": by_dim.apply(lambda s: s[s < 0].sum()),
                "net": by_dim.sum(),
            }
        )
        .reindex(list(DIMENSIONS))
        .fillna({"factors": 0, "opportunities": 0.0, "threats": 0.0, "net": 0.0})
    )
    dimensions["factors"] = dimensions["factors"].astype(int)
    dimensions.index.name = "dimension"
    ranked = factors.sort_values("score", ascending=False, kind="stable")
    top_opp = ranked.loc[ranked["score"] > 0].head(top).reset_index(drop=True)
    top_thr = ranked.loc[ranked["score"] < 0].iloc[::-1].head(top).reset_index(drop=True)
    return PestResult(factors, dimensions, float(factors["score"].sum()), top_opp, top_thr)


def plot_pest(result: PestResult, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Horizontal bars of each factor's signed score, grouped by dimension.

    Opportunities point right (green), threats left (red). ``lang`` (en or zh) sets the
    language of the title and axis label.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"dimension": ["P", "E"], "factor": ["a", "b"],
    ...                   "effect": ["opportunity", "threat"], "impact": [2, 3],
    ...                   "probability": [4, 2]})
    >>> ax = plot_pest(score_pest(t))
    >>> [round(p.get_width()) for p in ax.patches]
    [8, -6]
    """
    ax = get_axes(ax, figsize=(8, 0.45 * max(4, len(result.factors)) + 1), where="plot_pest")
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    f = result.factors.assign(_o=result.factors["dimension"].map(order))
    f = f.sort_values(["_o"], kind="stable").reset_index(drop=True)
    labels = [f"{d} · {name}" for d, name in zip(f["dimension"], f["factor"], strict=True)]
    check_text(labels, where="plot_pest")
    colors = [COLORS["good"] if s > 0 else COLORS["bad"] for s in f["score"]]
    positions = list(range(len(f)))[::-1]
    ax.barh(positions, f["score"], color=colors)
    ax.set_yticks(positions, labels)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(text("chart.pest.xlabel", lang))
    ax.set_title(text("chart.pest.title", lang, net=result.net))
    return ax
