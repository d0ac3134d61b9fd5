"""A BU's competitive position in a quarter: benchmark, value chain and the quarterly review.

:func:`benchmark` scores the BU's competitive profile against the companies rated with it
(:func:`competitive_strength` is a view of it); :func:`competitive_position` adds its
history and the value chain; :func:`quarterly_review` compares the quarter with the
previous one and a year earlier and attributes the change to factors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..base.errors import InputValidationError, Problem
from ..base.quarters import shift_quarter
from ..base.schema import BENCHMARK_ROLES, FEEDBACK_SOURCES
from ..data.engagement import Engagement
from ..tools.benchmark import BenchmarkResult, score_benchmark, strength_over_time
from ..tools.review import (
    evaluation_score,
    explain_change,
    feedback_summary,
    lowest_comments,
    time_comparison,
)
from ..tools.value_chain import score_value_chain, value_chain_summary
from ._common import _memo, _rows, _scale, assessed


def _focal(rows: pd.DataFrame) -> str:
    """Return the company with role ``self`` in a BU's benchmark rows."""
    own = rows.loc[rows["role"] == BENCHMARK_ROLES[0], "company"].unique()
    if len(own) != 1:
        raise InputValidationError(
            [
                Problem(
                    "benchmark.csv",
                    "exactly one company with role self per BU and quarter",
                    f"{len(own)}",
                    column="role",
                )
            ]
        )
    return str(own[0])


def benchmark(eng: Engagement, bu_id: str, quarter: str | None = None) -> BenchmarkResult:
    """Score the BU's competitive profile in a quarter (computed once per engagement object).

    The focal company is the BU itself (role ``self``); the ratings are checked
    against the engagement's rating scale.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> b = benchmark(eng, "IC")
    >>> b.focal, b.leader, int(b.companies.loc[b.focal, "rank"])
    ('Huaxin Industrial Coatings', 'Hempmark Coatings', 4)
    """
    quarter = quarter or eng.current_quarter

    def compute():
        rows = _rows(eng, "benchmark", bu_id, quarter)
        return score_benchmark(rows, focal=_focal(rows), scale=_scale(eng, "rating"))

    return _memo(eng, ("benchmark", bu_id, quarter), compute)


def competitive_strength(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.Series:
    """Weighted benchmark score of every company rated for a BU (highest first).

    A view of :func:`benchmark` (one computation): ties for leader are ordered by
    :data:`kamanalysis.tools.benchmark.TIE_RULE`.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> s = competitive_strength(eng, "PV")
    >>> s.index[0] in eng.benchmark["company"].tolist(), bool(s.is_monotonic_decreasing)
    (True, True)
    """
    scores = benchmark(eng, bu_id, quarter).companies["weighted_score"]
    return scores.rename("score")


@dataclass(frozen=True)
class CompetitivePosition:
    """Benchmark, its history and the value chain of one BU in one quarter.

    Attributes
    ----------
    benchmark : BenchmarkResult
        Companies (score, rank, gap and index to the leader), factors, boards.
    history : DataFrame
        The BU's score, rank and index to the leader in every quarter (oldest first).
    value_chain : DataFrame
        :func:`kamanalysis.tools.value_chain.score_value_chain` of the quarter (empty when the
        BU has no value-chain rows that quarter).
    value_chain_summary : DataFrame
        Per category (primary, support, all).
    """

    bu_id: str
    quarter: str
    benchmark: BenchmarkResult
    history: pd.DataFrame
    value_chain: pd.DataFrame
    value_chain_summary: pd.DataFrame

    @property
    def summary(self) -> str:
        """Markdown sentences: standing, boards, value chain."""
        b = self.benchmark
        row = b.companies.loc[b.focal]
        boards = b.boards
        long = ", ".join(boards.index[boards["board"] == "long"][:3]) or "none"
        short = ", ".join(boards.index[boards["board"] == "short"][:3]) or "none"
        lines = [
            f"- **Benchmark** ({self.quarter}): weighted score {row['weighted_score']:.2f}, "
            f"rank {int(row['rank'])} of {len(b.companies)}; leader {b.leader} "
            f"({b.companies['weighted_score'].iloc[0]:.2f}); index to the leader "
            f"{row['index_to_leader']:.0f}.",
            f"- **Long boards** (against {b.reference}): {long}. **Short boards**: {short}.",
        ]
        vc = self.value_chain
        if not vc.empty:
            flagged = ", ".join(vc.loc[vc["flagged"], "activity"]) or "none"
            s = self.value_chain_summary.loc["all"]
            lines.append(
                f"- **Value chain**: margin lost on activities carrying {s['cost_lost']:.0%} "
                f"of the cost, made on {s['cost_made']:.0%}. High cost share and behind the "
                f"leader: {flagged}."
            )
        return "\n".join(lines)


def competitive_position(
    eng: Engagement, bu_id: str, quarter: str | None = None
) -> CompetitivePosition:
    """Benchmark against the leaders, its history, and the value chain of a BU in a quarter.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> cp = competitive_position(eng, "IC")
    >>> cp.history.index[-1], bool(cp.value_chain["flagged"].any())
    ('2026Q3', True)
    """
    quarter = quarter or eng.current_quarter
    result = benchmark(eng, bu_id, quarter)
    history = benchmark_history(eng, bu_id, quarter)
    scored = value_chain(eng, bu_id, quarter)
    return CompetitivePosition(bu_id, quarter, result, history, scored, value_chain_summary(scored))


def benchmark_history(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return the BU's benchmark score, rank and index to the leader in every quarter so far.

    :func:`kamanalysis.tools.benchmark.strength_over_time` of the BU's benchmark rows up to
    ``quarter`` (computed once per engagement object); the focal company is the one with
    role ``self`` in the latest of those quarters. A quarter without benchmark rows is not
    in the index; without any, the frame is empty.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> h = benchmark_history(eng, "PV", "2025Q2")
    >>> h.index.tolist(), round(float(h.loc["2025Q2", "index_to_leader"]), 1)
    (['2024Q4', '2025Q1', '2025Q2'], 85.4)
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        bm = eng.tables.get("benchmark")
        if bm is None or bm.empty:
            rows = None
        else:
            rows = bm.loc[(bm["bu_id"] == bu_id) & (bm["quarter"] <= quarter)]
        if rows is None or rows.empty:
            return pd.DataFrame(
                {c: pd.Series(dtype="float64") for c in ("weighted_score", "index_to_leader")},
                index=pd.Index([], name="quarter", dtype=object),
            )
        latest = rows.loc[rows["quarter"] == rows["quarter"].max()]
        return strength_over_time(rows, focal=_focal(latest), scale=_scale(eng, "rating"))

    return _memo(eng, ("benchmark_history", bu_id, quarter), compute)


def value_chain(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Score the BU's value chain in a quarter against the leader (empty without rows).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> vc = value_chain(eng, "IC")
    >>> vc.loc[vc["flagged"], "activity"].tolist()
    ['Operations']
    """
    quarter = quarter or eng.current_quarter
    vc = eng.value_chain
    rows = vc.loc[(vc["bu_id"] == bu_id) & (vc["quarter"] == quarter)].reset_index(drop=True)
    return score_value_chain(rows, scale=_scale(eng, "rating"))


@dataclass(frozen=True)
class QuarterlyReview:
    """What changed for a BU since the previous quarter and a year ago, and why.

    Attributes
    ----------
    previous, year_ago : str
        The quarters compared with.
    revenue : DataFrame
        :func:`kamanalysis.tools.review.time_comparison` of the BU's revenue.
    benchmark : DataFrame
        The BU's benchmark score, rank and index to the leader per quarter.
    attribution : dict
        ``"benchmark"``, ``"IFE"``, ``"EFE"`` -> a frame indexed by factor: the ratings a
        year ago, last quarter and now, and the part of the score's change since last
        quarter (``change_qoq``) and since a year ago (``change_yoy``) due to the factor
        (:func:`kamanalysis.tools.review.explain_change`; NaN when that quarter has no rows;
        an empty frame when the quarter itself has none).
    score_changes : DataFrame
        Per measure: the score now, last quarter and a year ago.
    feedback : DataFrame
        :func:`kamanalysis.tools.review.feedback_summary` of the quarter.
    feedback_trend : DataFrame
        Mean feedback score per quarter (rows) and source (columns).
    comments : DataFrame
        The verbatim comments of the lowest scores this quarter.
    evaluation : DataFrame
        :func:`kamanalysis.tools.review.evaluation_score` per quarter.
    data_start : str
        The first quarter of the engagement's sales data.
    unavailable : dict
        The comparisons the data cannot make, their quarter before ``data_start``:
        ``"previous"`` and ``"year_ago"`` -> that quarter, ``"growth_yoy"`` -> the quarters
        whose revenue growth on a year earlier (in ``evaluation``) is not available. They
        are *not available*, never computed on a shorter window.
    unassessed : dict
        The comparisons the data cannot make although their quarter is not before
        ``data_start``: ``"previous"`` and ``"year_ago"`` -> the tools (``benchmark``,
        ``ife_efe``, ``feedback``) assessed this quarter but not then (one workshop, a first
        survey). Their comparisons are *not available* too.
    """

    bu_id: str
    quarter: str
    previous: str
    year_ago: str
    revenue: pd.DataFrame
    benchmark: pd.DataFrame
    attribution: dict
    score_changes: pd.DataFrame
    feedback: pd.DataFrame
    feedback_trend: pd.DataFrame
    comments: pd.DataFrame
    evaluation: pd.DataFrame
    data_start: str = ""
    unavailable: dict = field(default_factory=dict)
    unassessed: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """Markdown sentences: what moved, which factors drove it, what customers said."""
        lines = []
        rev = self.revenue
        if self.quarter in rev.index:
            r = rev.loc[self.quarter]
            lines.append(
                f"- **Revenue** {self.quarter}: {self._pct(r['growth_qoq'], 'previous')} on "
                f"{self.previous}, {self._pct(r['growth_yoy'], 'year_ago')} on {self.year_ago}."
            )
        for measure, label in (
            ("benchmark", "Benchmark score"),
            ("IFE", "IFE total"),
            ("EFE", "EFE total"),
        ):
            if measure not in self.score_changes.index:
                continue
            s = self.score_changes.loc[measure]
            table = self.attribution[measure]
            drivers = table.sort_values("change_yoy", kind="stable").head(3)
            named = ", ".join(f"{f} ({v:+.2f})" for f, v in drivers["change_yoy"].items() if v < 0)
            lines.append(
                f"- **{label}** {s['now']:.2f}: "
                f"{self._signed(s['now'] - s['previous'], 'previous')} since {self.previous}, "
                f"{self._signed(s['now'] - s['year_ago'], 'year_ago')} since {self.year_ago}."
                + (f" Largest falls over the year: {named}." if named else "")
            )
        fb = self.feedback
        if not fb.empty:
            worst = fb.loc["all"].sort_values("change", kind="stable").head(2)
            moved = ", ".join(
                f"{d.replace('_', ' ')} {row['mean']:.1f} ({row['change']:+.1f})"
                for d, row in worst.iterrows()
                if pd.notna(row["change"])
            )
            lines.append(
                f"- **Dealers and key accounts** ({self.quarter}): "
                + ", ".join(
                    f"{src.replace('_', ' ')} mean {self.feedback_trend.loc[self.quarter, src]:.2f}"
                    for src in self.feedback_trend.columns
                    if pd.notna(self.feedback_trend.loc[self.quarter, src])
                )
                + (f"; weakest moves since {self.previous}: {moved}." if moved else ".")
            )
        if not self.comments.empty:
            quotes = "; ".join(
                f"“{c}” ({r}, {d.replace('_', ' ')} {s:g})"
                for c, r, d, s in zip(
                    self.comments["comment"],
                    self.comments["respondent_id"],
                    self.comments["dimension"],
                    self.comments["score"],
                    strict=True,
                )
            )
            lines.append(f"- **In their words**: {quotes}.")
        ev = self.evaluation
        if self.quarter in ev.index and pd.notna(ev.loc[self.quarter, "evaluation"]):
            e = ev.loc[self.quarter]
            lines.append(
                f"- **Evaluation score** (0-100, blend {ev.attrs.get('blend', 0.5):g}): "
                f"{e['evaluation']:.0f} (quantitative {e['quantitative']:.0f}, qualitative "
                f"{e['qualitative']:.0f})."
            )
        return "\n".join(lines)

    def _missing(self, comparison: str) -> str:
        """Say why a comparison with ``previous`` or ``year_ago`` has no figure."""
        if comparison in self.unavailable:
            return f"not available (the data start in {self.data_start})"
        return f"not available (no data for {getattr(self, comparison)})"

    def _pct(self, value: float, comparison: str) -> str:
        return self._missing(comparison) if pd.isna(value) else f"{value:+.1%}"

    def _signed(self, value: float, comparison: str) -> str:
        return self._missing(comparison) if pd.isna(value) else f"{value:+.2f}"


def _factor_rows(eng: Engagement, measure: str, bu_id: str, quarter: str):
    """Return the (factor, weight, rating) rows of a measure in a quarter, or None."""
    if measure == "benchmark":
        bm = eng.benchmark
        rows = bm.loc[(bm["bu_id"] == bu_id) & (bm["quarter"] == quarter)]
        rows = rows.loc[rows["role"] == BENCHMARK_ROLES[0]]
    else:
        ie = eng.ife_efe
        rows = ie.loc[(ie["bu_id"] == bu_id) & (ie["quarter"] == quarter)]
        rows = rows.loc[rows["matrix"] == measure]
    return rows[["factor", "weight", "rating"]] if len(rows) else None


def _attribution(eng: Engagement, measure: str, bu_id: str, quarters: dict, scale):
    """Ratings in the three quarters and the QoQ / YoY attribution per factor."""
    now = _factor_rows(eng, measure, bu_id, quarters["now"])
    if now is None:
        return None, None
    parts = {}
    scores = {"now": float("nan"), "previous": float("nan"), "year_ago": float("nan")}
    ratings = {"rating_now": now.set_index("factor")["rating"]}
    for key, column in (("previous", "change_qoq"), ("year_ago", "change_yoy")):
        then = _factor_rows(eng, measure, bu_id, quarters[key])
        if then is None:
            continue
        explained = explain_change(then, now, scale=scale)
        parts[column] = explained["total"]
        ratings[f"rating_{key}"] = then.set_index("factor")["rating"]
        scores[key] = explained.attrs["before"]
        scores["now"] = explained.attrs["after"]
    table = pd.DataFrame(
        {
            "weight": now.set_index("factor")["weight"],
            **{k: ratings.get(k) for k in ("rating_year_ago", "rating_previous", "rating_now")},
        }
    )
    for column in ("change_qoq", "change_yoy"):
        table[column] = parts[column] if column in parts else float("nan")
    table = table.astype({c: "float64" for c in table.columns})
    table.index.name = "factor"
    key = "change_yoy" if "change_yoy" in parts else "change_qoq"
    table = table.sort_values(key, kind="stable") if key in parts else table
    if pd.isna(scores["now"]):
        now_w = now.set_index("factor")
        scores["now"] = float((now_w["weight"] * now_w["rating"]).sum())
    return table, scores


def feedback_trend(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Mean feedback score per quarter (rows, up to ``quarter``) and source (columns).

    The sources in :data:`kamanalysis.base.schema.FEEDBACK_SOURCES` order (those with
    feedback); a quarter without any feedback is not in the index.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> t = feedback_trend(eng, "PV", "2025Q2")
    >>> t.index.tolist(), t.columns.tolist()
    (['2024Q4', '2025Q1', '2025Q2'], ['key_account', 'dealer'])
    """
    quarter = quarter or eng.current_quarter
    fb = eng.feedback
    fb = fb.loc[(fb["bu_id"] == bu_id) & (fb["quarter"] <= quarter)]
    trend = fb.pivot_table(index="quarter", columns="source", values="score", aggfunc="mean")
    trend = trend.reindex(columns=[s for s in FEEDBACK_SOURCES if s in trend.columns])
    trend.columns.name = None
    return trend


def _unavailable(eng: Engagement, quarters: dict, revenue: pd.DataFrame) -> dict[str, str]:
    """Return the comparisons whose quarter is before the data start, and that quarter."""
    start = eng.quarters[0] if eng.quarters else quarters["now"]
    out = {key: quarters[key] for key in ("previous", "year_ago") if quarters[key] < start}
    early = [q for q in revenue.index if shift_quarter(q, -4) < start and q <= quarters["now"]]
    if early:  # revenue growth on a year earlier, in the evaluation
        out["growth_yoy"] = early[0] if len(early) == 1 else f"{early[0]} – {early[-1]}"
    return out


#: The review's tools and their tables, in the order a note names them.
REVIEW_TOOLS = {"benchmark": "benchmark", "ife_efe": "ife_efe", "feedback": "feedback"}


def _unassessed(eng: Engagement, bu_id: str, quarters: dict, unavailable: dict) -> dict:
    """Return the tools assessed now but not in the quarter compared with, per comparison."""
    now = [t for t, table in REVIEW_TOOLS.items() if assessed(eng, table, bu_id, quarters["now"])]
    out = {}
    for key in ("previous", "year_ago"):
        if key in unavailable:  # before the data start: said so already
            continue
        tools = [t for t in now if not assessed(eng, REVIEW_TOOLS[t], bu_id, quarters[key])]
        if tools:
            out[key] = tools
    return out


def quarterly_review(eng: Engagement, bu_id: str, quarter: str | None = None) -> QuarterlyReview:
    """Compare a BU's quarter with the previous one and a year earlier, and explain it.

    Time comparison of revenue (QoQ, YoY); the benchmark score, rank and index to the
    leader per quarter; the change of the benchmark score and of the IFE and EFE totals
    attributed to factors; dealers' and key accounts' feedback (mean, spread, change,
    lowest-scored comments); the evaluation score per quarter (quantitative: benchmark
    score and revenue growth YoY; qualitative: mean feedback score; blend 0.5).
    Computed once per engagement object (the facts and the report's section share it).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> r = quarterly_review(eng, "IC")
    >>> r.previous, r.year_ago, float(r.score_changes.loc["benchmark", "now"])
    ('2026Q2', '2025Q3', 2.45)
    """
    quarter = quarter or eng.current_quarter
    return _memo(eng, ("quarterly_review", bu_id, quarter), lambda: _review(eng, bu_id, quarter))


def _review(eng: Engagement, bu_id: str, quarter: str) -> QuarterlyReview:
    """Compute :func:`quarterly_review` (``quarter`` given)."""
    quarters = {
        "now": quarter,
        "previous": shift_quarter(quarter, -1),
        "year_ago": shift_quarter(quarter, -4),
    }
    rating = _scale(eng, "rating")
    aq = eng.account_quarters
    sales = aq.loc[(aq["bu_id"] == bu_id) & (aq["quarter"] <= quarter)]
    revenue = time_comparison(sales.groupby("quarter")["revenue"].sum().rename("revenue"))
    if assessed(eng, "benchmark", bu_id, quarter):
        history = competitive_position(eng, bu_id, quarter).history
    else:  # a partial engagement: no benchmark this quarter
        history = pd.DataFrame(
            {"weighted_score": pd.Series(dtype="float64")}, index=pd.Index([], name="quarter")
        )
    attribution, scores = {}, {}
    for measure, scale in (
        ("benchmark", rating),
        ("IFE", _scale(eng, "ife_efe")),
        ("EFE", _scale(eng, "ife_efe")),
    ):
        table, score = _attribution(eng, measure, bu_id, quarters, scale)
        attribution[measure] = table if table is not None else pd.DataFrame()
        if table is not None:
            scores[measure] = score
    score_changes = pd.DataFrame.from_dict(scores, orient="index")
    score_changes.index.name = "measure"
    fb = eng.feedback
    fb = fb.loc[(fb["bu_id"] == bu_id) & (fb["quarter"] <= quarter)]
    has_feedback = bool((fb["quarter"] == quarter).any())
    feedback = (
        feedback_summary(fb, quarter=quarter, scale=rating) if has_feedback else pd.DataFrame()
    )
    comments = (
        lowest_comments(fb, quarter=quarter, scale=rating) if has_feedback else pd.DataFrame()
    )
    trend = feedback_trend(eng, bu_id, quarter)
    measures = pd.DataFrame(
        {
            "benchmark_score": history["weighted_score"],
            "growth_yoy": revenue["growth_yoy"].reindex(history.index),
            "feedback_score": fb.groupby("quarter")["score"].mean().reindex(history.index),
        }
    )
    evaluation = evaluation_score(measures, scale=rating)
    start = eng.quarters[0] if eng.quarters else quarter
    unavailable = _unavailable(eng, quarters, revenue)
    return QuarterlyReview(
        bu_id,
        quarter,
        quarters["previous"],
        quarters["year_ago"],
        revenue,
        history,
        attribution,
        score_changes,
        feedback,
        trend,
        comments,
        evaluation,
        start,
        unavailable,
        _unassessed(eng, bu_id, quarters, unavailable),
    )
