"""Value-chain analysis (价值链分析): where the advantage is made and where it is lost.

Porter's value chain splits the business into primary activities (inbound logistics,
operations, outbound logistics, marketing and sales, service) and support activities
(firm infrastructure, human resources, technology development, procurement). For each
activity the table gives the BU's ``cost`` and two ratings on the rating scale: our
performance and the leader's.

- ``cost_share`` = the activity's cost / the BU's total cost of all activities (NaN
  when the total is 0).
- ``gap`` = our performance − the leader's. ``margin`` says where margin is **made**
  (gap > 0: we do it better than the leader), **lost** (gap < 0) or **even**.
- ``weighted_gap`` = cost share × gap: a gap on an activity that absorbs much of the
  cost weighs more.
- An activity is **flagged** when its cost share is at least ``cost_share_threshold``
  (default :data:`COST_SHARE_THRESHOLD`, 0.15) and we trail the leader by at least
  ``gap_threshold`` (default :data:`GAP_THRESHOLD`, 1 rating point). Both thresholds
  are inclusive: a cost share of exactly 0.15 and a gap of exactly −1 are flagged.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"activity": ["Operations", "Service"], "category": ["primary"] * 2,
...                   "cost": [80.0, 20.0], "our_performance": [2, 4],
...                   "leader_performance": [4, 3]})
>>> score_value_chain(t)[["cost_share", "gap", "margin", "flagged"]].to_dict("list")
{'cost_share': [0.8, 0.2], 'gap': [-2.0, 1.0], 'margin': ['lost', 'made'], \
'flagged': [True, False]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..base._numeric import safe_divide
from ..base._validation import check_allowed, check_ratings, describe, require_columns
from ..base.errors import Problem, raise_if_any
from ..base.i18n import text
from ..base.schema import DEFAULT_SCALES, VALUE_CHAIN_CATEGORIES
from ..core.charts import COLORS, get_axes

#: An activity taking at least this share of the cost is "high cost".
COST_SHARE_THRESHOLD = 0.15
#: We trail the leader "materially" when our rating is at least this much lower.
GAP_THRESHOLD = 1.0
#: Where margin is made / lost, by the sign of the gap to the leader.
MARGIN_LABELS = {1: "made", 0: "even", -1: "lost"}
COLUMNS = ("activity", "category", "cost", "our_performance", "leader_performance")
WHERE = "score_value_chain"


def score_value_chain(
    table: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    cost_share_threshold: float = COST_SHARE_THRESHOLD,
    gap_threshold: float = GAP_THRESHOLD,
) -> pd.DataFrame:
    """Cost share and performance gap to the leader of every activity, flags set.

    Parameters
    ----------
    table : DataFrame
        One row per activity: ``activity``, ``category`` (primary / support),
        ``cost`` (>= 0), ``our_performance``, ``leader_performance``. Usually one BU and
        quarter of the ``value_chain`` table.
    scale : (lo, hi)
        The performance rating scale.
    cost_share_threshold : float
        Flag activities whose cost share is at least this (0-1).
    gap_threshold : float
        ... and where the leader is ahead by at least this many rating points.

    Returns
    -------
    DataFrame
        A copy of the table (same index and row order) with ``cost_share``, ``gap``,
        ``weighted_gap``, ``margin`` (made / even / lost) and ``flagged``. ``attrs``
        hold the thresholds and the scale.

    Raises
    ------
    InputValidationError
        A missing column, an unknown category, an activity listed twice, a cost that
        is negative or not a number, a rating missing or off the scale, a threshold
        out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"activity": ["a", "b"], "category": ["primary", "staff"],
    ...                   "cost": [1, -1], "our_performance": [3, 3],
    ...                   "leader_performance": [3, 3]})
    >>> score_value_chain(t)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 2 problems found:
      - score_value_chain, column category of 'b': expected one of primary, support, got "staff"
      - score_value_chain, column cost of 'b': expected a number >= 0, got -1
    """
    require_columns(table, COLUMNS, where=WHERE)
    data = table.copy()
    labelled = data.assign(activity=data["activity"].astype(str))
    problems = check_allowed(
        labelled, "category", VALUE_CHAIN_CATEGORIES, where=WHERE, label_by="activity"
    )
    cost = pd.to_numeric(data["cost"], errors="coerce")
    for name, raw, value in zip(labelled["activity"], data["cost"], cost, strict=True):
        if not value >= 0:
            problems.append(
                Problem(WHERE, "a number >= 0", describe(raw), column=f"cost of {name!r}")
            )
    if labelled["activity"].duplicated().any():
        dup = sorted(labelled.loc[labelled["activity"].duplicated(), "activity"].unique())
        problems.append(Problem(WHERE, "each activity once", f"repeated {dup}", column="activity"))
    for column in ("our_performance", "leader_performance"):
        problems += check_ratings(labelled, column, scale, where=WHERE, label_by="activity")
    if not 0 <= cost_share_threshold <= 1:
        problems.append(
            Problem(
                WHERE,
                "a share from 0 to 1",
                describe(cost_share_threshold),
                column="cost_share_threshold",
            )
        )
    if not gap_threshold >= 0:
        problems.append(
            Problem(WHERE, "a number >= 0", describe(gap_threshold), column="gap_threshold")
        )
    raise_if_any(problems)
    ours = data["our_performance"].astype("float64")
    leader = data["leader_performance"].astype("float64")
    data["cost_share"] = safe_divide(cost.astype("float64"), float(cost.sum()))
    data["gap"] = ours - leader
    data["weighted_gap"] = data["cost_share"] * data["gap"]
    data["margin"] = [MARGIN_LABELS[int(np.sign(g))] for g in data["gap"]]
    data["flagged"] = (data["cost_share"] >= cost_share_threshold) & (data["gap"] <= -gap_threshold)
    data.attrs = {
        "scale": tuple(scale),
        "cost_share_threshold": cost_share_threshold,
        "gap_threshold": gap_threshold,
    }
    return data


def value_chain_summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Cost share, mean gap and margin made / lost per category (primary, support, all).

    ``cost_made`` and ``cost_lost`` are the cost shares of the activities where we
    beat / trail the leader; ``weighted_gap`` is the sum of cost share × gap.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"activity": ["a", "b", "c"], "category": ["primary"] * 2 + ["support"],
    ...                   "cost": [50, 30, 20], "our_performance": [4, 2, 3],
    ...                   "leader_performance": [3, 4, 3]})
    >>> value_chain_summary(score_value_chain(t))["cost_lost"].tolist()
    [0.3, 0.0, 0.3]
    """
    rows = {}
    for name in (*VALUE_CHAIN_CATEGORIES, "all"):
        part = scored if name == "all" else scored.loc[scored["category"] == name]
        rows[name] = {
            "activities": len(part),
            "cost_share": float(part["cost_share"].sum()),
            "mean_gap": float(part["gap"].mean()) if len(part) else float("nan"),
            "weighted_gap": float(part["weighted_gap"].sum()),
            "cost_made": float(part.loc[part["margin"] == "made", "cost_share"].sum()),
            "cost_lost": float(part.loc[part["margin"] == "lost", "cost_share"].sum()),
            "flagged": int(part["flagged"].sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "category"
    return out


def plot_value_chain(scored: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Gap to the leader per activity, primary then support, with the cost share written.

    One horizontal bar per activity (green where margin is made, red where it is
    lost), grouped primary above support; each bar is labelled with its cost share,
    and flagged activities (high cost share, material gap) are marked ``⚑`` and bold.
    Legible with a dozen activities and more (the figure grows with them). ``lang``
    (en or zh) sets the language of the title, the axis labels and the cost shares.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"activity": ["Operations", "HR"], "category": ["primary", "support"],
    ...                   "cost": [80, 20], "our_performance": [2, 4],
    ...                   "leader_performance": [4, 3]})
    >>> ax = plot_value_chain(score_value_chain(t))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['⚑ Operations', 'HR']
    """
    require_columns(
        scored, ("activity", "category", "cost_share", "gap", "flagged"), where="plot_value_chain"
    )
    order = pd.Categorical(scored["category"], categories=VALUE_CHAIN_CATEGORIES, ordered=True)
    frame = scored.assign(_order=order).sort_values("_order", kind="stable")
    n = len(frame)
    ax = get_axes(ax, figsize=(9, 1.2 + 0.45 * max(n, 1)), where="plot_value_chain")
    y = np.arange(n)[::-1]
    colors = [
        COLORS["good"] if g > 0 else COLORS["bad"] if g < 0 else COLORS["other"]
        for g in frame["gap"]
    ]
    ax.barh(y, frame["gap"], color=colors, alpha=0.8)
    ax.axvline(0, color=COLORS["grid"], linewidth=1)
    labels = [
        ("⚑ " if flag else "") + str(name)
        for name, flag in zip(frame["activity"], frame["flagged"], strict=True)
    ]
    ax.set_yticks(y, labels)
    for tick, flag in zip(ax.get_yticklabels(), frame["flagged"], strict=True):
        if flag:
            tick.set_fontweight("bold")
    span = max(1.0, float(frame["gap"].abs().max()) if n else 1.0)
    ax.set_xlim(-span - 1.2, span + 1.2)
    for yi, gap, share in zip(y, frame["gap"], frame["cost_share"], strict=True):
        written = (
            text("chart.value_chain.cost", lang, share=share)
            if pd.notna(share)
            else text("chart.value_chain.no_cost", lang)
        )
        ax.text(
            gap + (0.08 if gap >= 0 else -0.08),
            yi,
            written,
            va="center",
            ha="left" if gap >= 0 else "right",
            fontsize=8,
        )
    categories = list(frame["category"])
    if "support" in categories and "primary" in categories:
        boundary = y[categories.index("support")] + 0.5
        ax.axhline(boundary, color=COLORS["grid"], linestyle=":", linewidth=1)
    ax.set_xlabel(text("chart.value_chain.xlabel", lang))
    ax.set_ylabel(text("chart.value_chain.ylabel", lang))
    threshold = scored.attrs.get("cost_share_threshold", COST_SHARE_THRESHOLD)
    gap = scored.attrs.get("gap_threshold", GAP_THRESHOLD)
    ax.set_title(
        text("chart.value_chain.title", lang)
        + "\n"
        + text("chart.value_chain.subtitle", lang, threshold=threshold, gap=gap)
    )
    return ax
