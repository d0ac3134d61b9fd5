"""Compose the methods for one engagement: what the diagnosis notebook shows.

The method modules (:mod:`~kamanalysis.tools.pest`, :mod:`~kamanalysis.tools.forces`,
:mod:`~kamanalysis.tools.evolution`, :mod:`~kamanalysis.tools.position`) each take one table;
this module picks the rows of a BU and quarter out of a validated engagement, passes
the engagement's declared scales, and joins the results, so that the notebook holds
no joins and no thresholds.

Conventions of the strategic-position composition:

- **IE matrix**: the BU's IFE and EFE totals from its ``ife_efe`` rows.
- **GE matrix**: industry attractiveness is the five-forces attractiveness of the
  BU's industry (weak forces = attractive); competitive strength is the BU's own
  weighted score in the ``benchmark`` table (the company with role ``self``). Both
  lie on the general rating scale; cuts are thirds of its range unless given.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> ext = external_environment(eng, "IC")
>>> ext.trajectory.trajectory in ("progressive", "creative", "intermediating", "radical")
True
>>> strategic_position(eng).index.tolist()
['PV', 'IC', 'MC']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..base.errors import InputValidationError, Problem
from ..base.i18n import text
from ..base.quarters import quarter_end, quarter_range, shift_quarter
from ..base.schema import BENCHMARK_ROLES, FEEDBACK_SOURCES
from ..data.engagement import Engagement
from ..tools.accounts import (
    Migration,
    buying_centre_coverage,
    churn_signals,
    classify_relationship_stage,
    migration,
    portfolio_concentration,
    score_key_account_criteria,
    score_selection_matrix,
    score_supplier_positioning,
    weight_robustness,
)
from ..tools.benchmark import BenchmarkResult, score_benchmark, strength_over_time
from ..tools.evolution import Trajectory, classify_trajectory
from ..tools.forces import ForcesResult, score_five_forces
from ..tools.pest import PestResult, score_pest
from ..tools.position import ge_cell, ge_cuts, ie_cell, ife_efe
from ..tools.review import (
    evaluation_score,
    explain_change,
    feedback_summary,
    lowest_comments,
    time_comparison,
)
from ..tools.value_chain import score_value_chain, value_chain_summary


@dataclass(frozen=True)
class ExternalEnvironment:
    """PEST, five forces and industry trajectory of one BU in one quarter."""

    bu_id: str
    quarter: str
    pest: PestResult
    forces: ForcesResult
    trajectory: Trajectory


def _rows(eng: Engagement, table: str, bu_id: str, quarter: str) -> pd.DataFrame:
    frame = eng.tables[table]
    rows = frame.loc[(frame["bu_id"] == bu_id) & (frame["quarter"] == quarter)]
    if rows.empty:
        file, sheet = eng.location(table)
        raise InputValidationError(
            [
                Problem(
                    file, f"rows for BU {bu_id} in {quarter}", "none", column="quarter", sheet=sheet
                )
            ]
        )
    return rows.reset_index(drop=True)


def assessed(eng: Engagement, table: str, bu_id: str, quarter: str) -> bool:
    """Return True when ``table`` has rows for the BU in the quarter.

    A partial engagement may leave a table out, or hold no rows for a BU and quarter:
    the tools that need it are then *not assessed*.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> assessed(eng, "pest", "PV", "2026Q3"), assessed(eng, "pest", "PV", "2019Q1")
    (True, False)
    """
    frame = eng.tables.get(table)
    if frame is None or frame.empty:
        return False
    return bool(((frame["bu_id"] == bu_id) & (frame["quarter"] == quarter)).any())


#: The tables a BU's IE and GE position needs in a quarter.
POSITION_TABLES = ("ife_efe", "forces", "benchmark")


def positioned(eng: Engagement, bu_id: str, quarter: str) -> bool:
    """Return True when the BU has every table its IE and GE position needs in the quarter."""
    return all(assessed(eng, table, bu_id, quarter) for table in POSITION_TABLES)


def _scale(eng: Engagement, name: str) -> tuple[float, float]:
    lo, hi = eng.settings["scales"][name]
    return float(lo), float(hi)


def _memo(eng: Engagement, key: tuple, compute):
    """Compute once per engagement object: a notebook asks for the same result twice."""
    cache = eng.cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def five_forces(eng: Engagement, bu_id: str, quarter: str | None = None) -> ForcesResult:
    """Score the five forces of a BU in a quarter (computed once per engagement object)."""
    quarter = quarter or eng.current_quarter
    return _memo(
        eng,
        ("five_forces", bu_id, quarter),
        lambda: score_five_forces(
            _rows(eng, "forces", bu_id, quarter), scale=_scale(eng, "rating")
        ),
    )


def pest(eng: Engagement, bu_id: str, quarter: str | None = None) -> PestResult:
    """Score the PEST factors of a BU in a quarter (computed once per engagement object)."""
    quarter = quarter or eng.current_quarter
    return _memo(
        eng,
        ("pest", bu_id, quarter),
        lambda: score_pest(
            _rows(eng, "pest", bu_id, quarter),
            impact_scale=_scale(eng, "pest_impact"),
            probability_scale=_scale(eng, "pest_probability"),
        ),
    )


def trajectory(eng: Engagement, bu_id: str, quarter: str | None = None) -> Trajectory:
    """Classify the industry trajectory of a BU in a quarter (threshold: mid-scale)."""
    quarter = quarter or eng.current_quarter
    rating = _scale(eng, "rating")
    return _memo(
        eng,
        ("trajectory", bu_id, quarter),
        lambda: classify_trajectory(
            _rows(eng, "evolution", bu_id, quarter),
            scale=rating,
            threshold=(rating[0] + rating[1]) / 2,
        ),
    )


def external_environment(
    eng: Engagement, bu_id: str, quarter: str | None = None
) -> ExternalEnvironment:
    """Score PEST, the five forces and the industry trajectory of a BU in a quarter.

    ``quarter`` defaults to the engagement's current quarter.
    """
    quarter = quarter or eng.current_quarter
    return ExternalEnvironment(
        bu_id,
        quarter,
        pest(eng, bu_id, quarter),
        five_forces(eng, bu_id, quarter),
        trajectory(eng, bu_id, quarter),
    )


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


def strategic_position(
    eng: Engagement, quarter: str | None = None, *, cuts=None, precomputed: str | Path = ""
) -> pd.DataFrame:
    """IE and GE positions of every BU in a quarter.

    Parameters
    ----------
    eng : Engagement
    quarter : str, optional
        Default: the engagement's current quarter.
    cuts : see :func:`kamanalysis.tools.position.ge_cuts`
        GE cut points; default thirds of the rating scale's range.
    precomputed : str or Path, optional
        A file written by :func:`save_positions` for the same engagement, quarter and
        cuts (a report batch computes the group's positions once and hands them to
        every BU's notebook); empty = compute here.

    Returns
    -------
    DataFrame indexed by ``bu_id`` (the BUs with IFE/EFE, five-forces and benchmark
    data that quarter: :func:`positioned`): ``label``, ``revenue`` (that quarter),
    ``ife``, ``efe``, ``ie_cell``, ``ie_strategy``, ``attractiveness``,
    ``strength``, ``ge_row``, ``ge_column``, ``ge_strategy``. Its ``attrs`` carry
    the conventions it was computed with: ``scale`` (the rating scale) and
    ``ge_edges`` (``[lo, cut1, cut2, hi]``), which :func:`~kamanalysis.plot_ge_matrix`
    draws.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = strategic_position(eng, cuts=[2, 3])
    >>> p.attrs["ge_edges"]
    [1.0, 2.0, 3.0, 5.0]
    """
    quarter = quarter or eng.current_quarter
    if precomputed:
        return pd.read_pickle(precomputed)
    return _memo(
        eng, ("strategic_position", quarter, repr(cuts)), lambda: _positions(eng, quarter, cuts)
    )


def save_positions(positions: pd.DataFrame, path: str | Path) -> Path:
    """Write a :func:`strategic_position` frame (with its conventions) for notebooks to read."""
    path = Path(path)
    positions.to_pickle(path)
    return path


def _positions(eng: Engagement, quarter: str, cuts) -> pd.DataFrame:
    rating = _scale(eng, "rating")
    edges = ge_cuts(rating, cuts)
    aq = eng.account_quarters
    records = []
    for bu in (b for b in eng.bu_ids if positioned(eng, b, quarter)):
        totals = ife_efe(_rows(eng, "ife_efe", bu, quarter), scale=_scale(eng, "ife_efe"))
        ie = ie_cell(totals["IFE"], totals["EFE"])
        attractiveness = five_forces(eng, bu, quarter).attractiveness
        bench = _rows(eng, "benchmark", bu, quarter)
        self_name = bench.loc[bench["role"] == "self", "company"].iloc[0]
        strength = float(competitive_strength(eng, bu, quarter)[self_name])
        ge = ge_cell(attractiveness, strength, scale=rating, cuts=edges[1:3])
        revenue = aq.loc[(aq["bu_id"] == bu) & (aq["quarter"] == quarter), "revenue"].sum()
        records.append(
            {
                "bu_id": bu,
                "label": bu,
                "revenue": float(revenue),
                "ife": totals["IFE"],
                "efe": totals["EFE"],
                "ie_cell": ie.cell,
                "ie_strategy": ie.strategy,
                "attractiveness": attractiveness,
                "strength": strength,
                "ge_row": ge.row,
                "ge_column": ge.column,
                "ge_strategy": ge.strategy,
            }
        )
    columns = ["bu_id", "label", "revenue", "ife", "efe", "ie_cell", "ie_strategy"]
    columns += ["attractiveness", "strength", "ge_row", "ge_column", "ge_strategy"]
    frame = pd.DataFrame.from_records(records, columns=columns).set_index("bu_id")
    frame.attrs = {"quarter": quarter, "scale": rating, "ge_edges": edges}
    return frame


def position_history(eng: Engagement, bu_id: str, *, cuts=None) -> pd.DataFrame:
    """Return the BU's IE and GE position in every quarter with workshop data, oldest first.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> h = position_history(eng, "IC")
    >>> h.index[0], h.index[-1]
    ('2024Q4', '2026Q3')
    """
    quarters = sorted(eng.ife_efe.loc[eng.ife_efe["bu_id"] == bu_id, "quarter"].unique())
    quarters = [q for q in quarters if positioned(eng, bu_id, q)]
    part = eng.for_bu(bu_id)
    frames = [strategic_position(part, q, cuts=cuts).loc[[bu_id]] for q in quarters]
    if not frames:
        return strategic_position(part, eng.current_quarter, cuts=cuts).drop(columns=["label"])
    history = pd.concat(frames).drop(columns=["label"])
    history.index = pd.Index(quarters, name="quarter")
    return history


# ----------------------------------------------------------------------------- competitive
# position and the quarterly review (issue 6)


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
    bm = eng.benchmark
    rows = bm.loc[(bm["bu_id"] == bu_id) & (bm["quarter"] <= quarter)]
    history = _memo(
        eng,
        ("benchmark_history", bu_id, quarter),
        lambda: strength_over_time(rows, focal=result.focal, scale=_scale(eng, "rating")),
    )
    scored = value_chain(eng, bu_id, quarter)
    return CompetitivePosition(bu_id, quarter, result, history, scored, value_chain_summary(scored))


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

    @property
    def summary(self) -> str:
        """Markdown sentences: what moved, which factors drove it, what customers said."""
        lines = []
        rev = self.revenue
        if self.quarter in rev.index:
            r = rev.loc[self.quarter]
            lines.append(
                f"- **Revenue** {self.quarter}: {_pct(r['growth_qoq'])} on {self.previous}, "
                f"{_pct(r['growth_yoy'])} on {self.year_ago}."
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
                f"- **{label}** {s['now']:.2f}: {_signed(s['now'] - s['previous'])} since "
                f"{self.previous}, {_signed(s['now'] - s['year_ago'])} since {self.year_ago}."
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


def _pct(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:+.1%}"


def _signed(value: float) -> str:
    return "n/a (no data)" if pd.isna(value) else f"{value:+.2f}"


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


def quarterly_review(eng: Engagement, bu_id: str, quarter: str | None = None) -> QuarterlyReview:
    """Compare a BU's quarter with the previous one and a year earlier, and explain it.

    Time comparison of revenue (QoQ, YoY); the benchmark score, rank and index to the
    leader per quarter; the change of the benchmark score and of the IFE and EFE totals
    attributed to factors; dealers' and key accounts' feedback (mean, spread, change,
    lowest-scored comments); the evaluation score per quarter (quantitative: benchmark
    score and revenue growth YoY; qualitative: mean feedback score; blend 0.5).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> r = quarterly_review(eng, "IC")
    >>> r.previous, r.year_ago, float(r.score_changes.loc["benchmark", "now"])
    ('2026Q2', '2025Q3', 2.45)
    """
    quarter = quarter or eng.current_quarter
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
    trend = fb.pivot_table(index="quarter", columns="source", values="score", aggfunc="mean")
    trend = trend.reindex(columns=[s for s in FEEDBACK_SOURCES if s in trend.columns])
    trend.columns.name = None
    measures = pd.DataFrame(
        {
            "benchmark_score": history["weighted_score"],
            "growth_yoy": revenue["growth_yoy"].reindex(history.index),
            "feedback_score": fb.groupby("quarter")["score"].mean().reindex(history.index),
        }
    )
    evaluation = evaluation_score(measures, scale=rating)
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
    )


# ----------------------------------------------------------------------------- key accounts


def _account_weights(eng: Engagement) -> tuple[dict, dict]:
    """Return the engagement's criteria weights, keyed by assessment column (att_*, str_*)."""
    weights = eng.settings["weights"]
    attractiveness = {f"att_{k}": v for k, v in weights["attractiveness"].items()}
    strength = {f"str_{k}": v for k, v in weights["strength"].items()}
    return attractiveness, strength


def _account_cuts(eng: Engagement) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (selection cuts, buyer-view cuts) from the engagement's ``cuts`` settings."""
    cuts = eng.settings["cuts"]
    selection = (float(cuts["selection_attractiveness"]), float(cuts["selection_strength"]))
    buyer = (float(cuts["buyer_importance"]), float(cuts["buyer_spend"]))
    return selection, buyer


def key_account_positions(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Place a BU's accounts: selection matrix, buyer's view, frustration and stage.

    Weights and cuts come from the engagement's settings (``weights.attractiveness``,
    ``weights.strength``, ``cuts.*``). Indexed by ``account_id``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> key_account_positions(eng, "IC", "2024Q4").loc["IC003", "stage"]
    'partnership'
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        rows = _rows(eng, "account_assessments", bu_id, quarter)
        attractiveness, strength = _account_weights(eng)
        selection_cuts, buyer_cuts = _account_cuts(eng)
        rating = _scale(eng, "rating")
        scored = score_selection_matrix(
            rows,
            attractiveness=attractiveness,
            strength=strength,
            cuts=selection_cuts,
            scale=rating,
        )
        scored = score_supplier_positioning(
            scored, cuts=buyer_cuts, our_view="quadrant", scale=rating
        )
        return classify_relationship_stage(scored).set_index("account_id")

    return _memo(eng, ("key_account_positions", bu_id, quarter), compute)


def key_account_criteria(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """Key-account criteria of a BU's accounts: measured from the ledger, rated in the workshop.

    The weights are the engagement's ``weights.attractiveness``; an account qualifies at
    or above ``cuts.selection_attractiveness``. See
    :func:`kamanalysis.tools.accounts.score_key_account_criteria`.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> bool(key_account_criteria(eng, "PV").loc["PV002", "qualifies"])
    False
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        aq = eng.account_quarters
        aa = eng.account_assessments
        return score_key_account_criteria(
            aq.loc[aq["bu_id"] == bu_id],
            aa.loc[aa["bu_id"] == bu_id],
            quarter=quarter,
            weights=eng.settings["weights"]["attractiveness"],
            cut=_account_cuts(eng)[0][0],
            scale=_scale(eng, "rating"),
            lang=lang,
        )

    return _memo(eng, ("key_account_criteria", bu_id, quarter, lang), compute)


def key_account_portfolio(
    eng: Engagement,
    bu_id: str,
    quarter: str | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    lang: str = "en",
) -> pd.DataFrame:
    """One frame of a BU's key-account portfolio in a quarter, indexed by ``account_id``.

    Composes, with the engagement's own weights and cuts: the key-account criteria
    (``qualifies``, ``score``, ``reasons``), the selection matrix (``attractiveness``,
    ``strength``, ``quadrant``), the buyer's view (``buyer_view``, ``frustration``), the
    relationship stage (``stage``, ``drivers``, ``conflict``), the robustness of the
    quadrant to the weights (``robustness``, ``flip_to``; ``draws`` Dirichlet draws with
    concentration 100), the buying-centre coverage (``contacts``, ``roles_missing``,
    ``net_support``, ``days_since_decider``, ``single_threaded`` for qualifying accounts)
    and the churn-risk signals (``signals``). Accounts are those assessed in the quarter,
    largest revenue in the quarter first.

    The contacts table is a snapshot: coverage is measured at the end of the engagement's
    current quarter, whatever ``quarter`` is. In the current quarter, a contact at an account
    without an assessment is an error; in an earlier quarter, contacts at accounts not yet
    assessed then are left out.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = key_account_portfolio(eng, "PV", draws=200)
    >>> p.loc[["PV001", "PV002"], ["qualifies", "stage"]].values.tolist()
    [[True, 'partnership'], [False, 'early']]
    """
    quarter = quarter or eng.current_quarter

    def compute() -> pd.DataFrame:
        positions = key_account_positions(eng, bu_id, quarter)
        criteria = key_account_criteria(eng, bu_id, quarter, lang=lang).reindex(positions.index)
        attractiveness, strength = _account_weights(eng)
        selection_cuts, _ = _account_cuts(eng)
        robust = weight_robustness(
            positions,
            attractiveness=attractiveness,
            strength=strength,
            cuts=selection_cuts,
            draws=draws,
            seed=seed,
            scale=_scale(eng, "rating"),
        )
        contacts = eng.contacts.loc[eng.contacts["bu_id"] == bu_id]
        if quarter != eng.current_quarter:  # today's contacts: accounts won since then drop out
            contacts = contacts.loc[contacts["account_id"].isin(positions.index)]
        key = criteria.index[criteria["qualifies"].fillna(False).astype(bool)]
        coverage = buying_centre_coverage(
            contacts,
            as_of=quarter_end(eng.current_quarter),
            accounts=positions.index,
            key_accounts=key,
            scale=_scale(eng, "rating"),
        )
        aq = eng.account_quarters
        churn = churn_signals(
            aq.loc[aq["bu_id"] == bu_id],
            quarter=quarter,
            feedback=eng.feedback.loc[eng.feedback["bu_id"] == bu_id],
            coverage=coverage,
        ).reindex(positions.index)
        revenue = (
            aq.loc[(aq["bu_id"] == bu_id) & (aq["quarter"] == quarter)]
            .set_index("account_id")["revenue"]
            .reindex(positions.index)
            .fillna(0.0)
        )
        names = eng.accounts.set_index("account_id")["name"].reindex(positions.index)
        frame = pd.DataFrame(
            {
                "name": names,
                "revenue": revenue,
                "qualifies": criteria["qualifies"].fillna(False).astype(bool),
                "score": criteria["score"],
                "reasons": criteria["reasons"].fillna(text("reason.no_sales", lang)),
                "attractiveness": positions["attractiveness"],
                "strength": positions["strength"],
                "quadrant": positions["quadrant"],
                "buyer_importance": positions["buyer_importance"],
                "buyer_relative_spend": positions["buyer_relative_spend"],
                "buyer_view": positions["buyer_view"],
                "frustration": positions["frustration"],
                "stage": positions["stage"],
                "drivers": positions["drivers"],
                "conflict": positions["conflict"],
                "robustness": robust["robustness"],
                "flip_to": robust["flip_to"],
                "contacts": coverage["contacts"],
                "roles_missing": coverage["roles_missing"],
                "net_support": coverage["net_support"],
                "days_since_decider": coverage["days_since_decider"],
                "single_threaded": coverage["single_threaded"],
                "signals": churn["signals"].fillna(""),
            }
        )
        frame = frame.sort_values("revenue", ascending=False, kind="stable")
        frame.attrs = {
            "quarter": quarter,
            "selection_cuts": selection_cuts,
            "buyer_cuts": _account_cuts(eng)[1],
            "scale": _scale(eng, "rating"),
        }
        return frame

    return _memo(eng, ("key_account_portfolio", bu_id, quarter, draws, seed, lang), compute)


def key_account_migration(
    eng: Engagement, bu_id: str, earlier: str | None = None, later: str | None = None
) -> Migration:
    """Quadrant and stage transitions of a BU's accounts (default: year on year).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> m = key_account_migration(eng, "IC", "2024Q4", "2026Q3")
    >>> m.moved.set_index(["account_id", "column"]).loc[("IC003", "stage"), "after"]
    'early'
    """
    later = later or eng.current_quarter
    earlier = earlier or shift_quarter(later, -4)
    return migration(
        key_account_positions(eng, bu_id, earlier).reset_index(),
        key_account_positions(eng, bu_id, later).reset_index(),
        columns=("quadrant", "stage"),
    )


def key_account_concentration(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, window: int = 4
) -> pd.Series:
    """Concentration of a BU's revenue over the ``window`` quarters up to ``quarter``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> c = key_account_concentration(eng, "PV")
    >>> bool(0 < c["herfindahl"] < 1)
    True
    """
    quarter = quarter or eng.current_quarter
    quarters = quarter_range(shift_quarter(quarter, -(window - 1)), quarter)
    aq = eng.account_quarters
    rows = aq.loc[(aq["bu_id"] == bu_id) & aq["quarter"].isin(quarters)]
    return portfolio_concentration(rows.groupby("account_id")["revenue"].sum())


# ----------------------------------------------------------------------------- account management
# (issue 10: the account manager and the key-account organisation; imports kept here so that
# this section merges as one block)

from ..base.i18n import label as _label  # noqa: E402
from ..tools import managers as kam_managers  # noqa: E402


@dataclass(frozen=True)
class AccountManagement:
    """Who manages a BU's accounts, and how well: the "account management" section.

    Attributes
    ----------
    bu_id, quarter : str
    assessed : bool
        False when the engagement has no managers for the BU or no account has a manager
        ("not assessed"); the frames below are then empty, except ``organisation``.
    managers : DataFrame
        The BU's managers (``managers`` rows), indexed by ``manager_id``.
    fit : DataFrame
        :func:`kamanalysis.tools.managers.score_manager_fit` with ``name``, worst fit first.
    gaps : DataFrame
        :func:`kamanalysis.tools.managers.competency_gaps`; managers at or over the span are
        nobody's colleague for a reassignment or a pairing.
    workload : DataFrame
        :func:`kamanalysis.tools.managers.workload` with ``name`` (key = qualifies as a
        key account).
    worst : DataFrame
        :func:`kamanalysis.tools.managers.account_fit` of the key accounts, worst fit first, with
        ``name`` (the account) and ``manager``.
    organisation : Series
        :func:`kamanalysis.tools.managers.organisation_form` of the BU's portfolio.
    """

    bu_id: str
    quarter: str
    assessed: bool
    managers: pd.DataFrame
    fit: pd.DataFrame
    gaps: pd.DataFrame
    workload: pd.DataFrame
    worst: pd.DataFrame
    organisation: pd.Series


def check_management(eng: Engagement) -> None:
    """Check the managers and who manages which account, naming file, row and column.

    The loader checks each table; this adds what crosses them: a ``manager_id`` on an account
    that is not in ``managers``, a manager of another BU, a competency off the rating scale.
    Nothing to check when the engagement has no managers table or no ``manager_id`` column.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> check_management(kam.load_engagement(kam.paths.SAMPLE_DATA))
    """
    frame = eng.tables.get("managers")
    accounts = eng.tables["accounts"]
    if frame is None or "manager_id" not in accounts:
        return
    names = {}
    for table in ("managers", "accounts"):
        file, sheet = eng.location(table)
        names[table] = f"{file} [{sheet}]" if sheet else file
    rows = {}
    for table, data in (("managers", frame), ("accounts", accounts)):
        known = eng.rows.get(table) or []
        # rows unknown (an engagement restricted to some BUs): name no row rather than a wrong one
        rows[table] = list(known) if len(known) == len(data) else [None] * len(data)
    kam_managers.check_managers(
        frame,
        accounts,
        scale=_scale(eng, "rating"),
        files=(names["managers"], names["accounts"]),
        rows=rows,
    )


def _managed_accounts(eng: Engagement, bu_id: str, quarter: str, lang: str = "en") -> pd.DataFrame:
    """Return the BU's portfolio with each account's manager (None when none is recorded)."""
    portfolio = key_account_portfolio(eng, bu_id, quarter, lang=lang)
    accounts = eng.accounts.set_index("account_id")
    manager = (
        accounts["manager_id"].reindex(portfolio.index)
        if "manager_id" in accounts
        else pd.Series(None, index=portfolio.index, dtype=object)
    )
    return portfolio.assign(manager_id=manager.astype(object).where(manager.notna(), None))


def account_management(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> AccountManagement:
    """Compose manager fit, gaps, workload, organisation form and worst-fitting accounts.

    The stages and revenue of the accounts come from :func:`key_account_portfolio` (the
    accounts assessed in the quarter); key accounts are those that qualify. The BU's
    ``key_account_organisation`` (when recorded) is the organisation today.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> m = account_management(eng, "PV")
    >>> m.fit.index[0], round(float(m.fit["fit"].iloc[0]), 3)
    ('PVM01', 0.475)
    >>> m.worst.index[:3].tolist()
    ['PV001', 'PV003', 'PV004']
    """
    quarter = quarter or eng.current_quarter

    def compute() -> AccountManagement:
        check_management(eng)
        portfolio = _managed_accounts(eng, bu_id, quarter)
        units = eng.business_units.set_index("bu_id")
        current = (
            units.loc[bu_id, "key_account_organisation"]
            if "key_account_organisation" in units
            else None
        )
        organisation = kam_managers.organisation_form(
            portfolio.assign(key=portfolio["qualifies"]),
            current=None if pd.isna(current) else current,
            lang=lang,
        )
        frame = eng.tables.get("managers")
        mine = (
            frame.loc[frame["bu_id"] == bu_id].set_index("manager_id")
            if frame is not None
            else pd.DataFrame()
        )
        assigned = portfolio["manager_id"].notna().any()
        empty = pd.DataFrame()
        if mine.empty or not assigned:
            return AccountManagement(
                bu_id, quarter, False, mine, empty, empty, empty, empty, organisation
            )
        accounts = portfolio.reset_index()[["account_id", "manager_id", "stage", "revenue"]]
        scale = _scale(eng, "rating")
        table = mine.reset_index()
        fit = kam_managers.score_manager_fit(table, accounts, scale=scale, lang=lang)
        fit.insert(0, "name", mine["name"])
        fit = fit.sort_values(["fit", "revenue"], ascending=[True, False], na_position="last")
        load = kam_managers.workload(
            portfolio.reset_index().assign(key=portfolio["qualifies"].to_numpy()),
            managers=list(mine.index),
        )
        busy = list(load.index[load["key_load"] >= 1])  # at the span: takes on no more
        gaps = kam_managers.competency_gaps(table, accounts, scale=scale, busy=busy, lang=lang)
        load.insert(0, "name", mine["name"])
        worst = kam_managers.account_fit(table, accounts, scale=scale)
        worst = worst.loc[worst.index.isin(portfolio.index[portfolio["qualifies"]])]
        worst.insert(0, "name", portfolio["name"].reindex(worst.index))
        worst.insert(2, "manager", mine["name"].reindex(worst["manager_id"]).to_numpy())
        return AccountManagement(bu_id, quarter, True, mine, fit, gaps, load, worst, organisation)

    return _memo(eng, ("account_management", bu_id, quarter, lang), compute)


@dataclass(frozen=True)
class AccountPlan:
    """The one-page plan of one account: what :mod:`kamanalysis.report.plans` writes.

    Attributes
    ----------
    account_id, bu_id, quarter, lang : str
    account : Series
        The account's row of :func:`key_account_portfolio` (``name``, ``qualifies``,
        ``reasons``, ``quadrant``, ``stage``, ``signals``, ...) with ``manager_id``.
    role : str
        The manager's role at the account's stage (seed 000).
    manager : Series
        The manager (``name``, competencies) or an empty Series when none is assigned.
    fit : Series
        The manager's fit to this account's stage (``fit``, ``largest_gap``), or empty.
    gaps : DataFrame
        The manager's gaps at this account's stage, with recommendations.
    contacts : DataFrame
        :func:`kamanalysis.tools.managers.contact_plan` of the account's buying centre.
    spin : DataFrame
        :func:`kamanalysis.tools.managers.spin_call_plan`.
    indifference : Series
        :func:`kamanalysis.tools.managers.indifference` of the account.
    churn : DataFrame
        :func:`kamanalysis.tools.managers.churn_causes` of the account.
    """

    account_id: str
    bu_id: str
    quarter: str
    lang: str
    account: pd.Series
    role: str
    manager: pd.Series
    fit: pd.Series
    gaps: pd.DataFrame
    contacts: pd.DataFrame
    spin: pd.DataFrame
    indifference: pd.Series
    churn: pd.DataFrame


def account_plan(
    eng: Engagement, account_id: str, quarter: str | None = None, *, lang: str = "en"
) -> AccountPlan:
    """Compose the one-page account plan of one account in a quarter.

    Stage and the manager's role at it, the manager's fit and gaps at that stage, the
    contact plan of the buying centre, a SPIN call plan from the account's ledger, feedback,
    our long and short boards and its churn-risk signals, and the churn causes with the
    indifference measured (executive visits from ``account_assessments``, complaints
    without response from the last four quarters' feedback comments).

    Raises
    ------
    InputValidationError
        The account is not in ``accounts``, or was not assessed in the quarter.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> p = account_plan(eng, "PV002")
    >>> bool(p.account["qualifies"]), p.account["stage"], p.manager["name"]
    (False, 'early', 'Wang Li 王丽')
    """
    quarter = quarter or eng.current_quarter
    accounts = eng.accounts.set_index("account_id")
    if account_id not in accounts.index:
        file, sheet = eng.location("accounts")
        raise InputValidationError(
            [
                Problem(
                    file,
                    "an account_id listed in accounts",
                    f'"{account_id}"',
                    column="account_id",
                    sheet=sheet,
                )
            ]
        )
    bu_id = str(accounts.loc[account_id, "bu_id"])
    portfolio = _managed_accounts(eng, bu_id, quarter, lang)
    if account_id not in portfolio.index:
        file, sheet = eng.location("account_assessments")
        raise InputValidationError(
            [
                Problem(
                    file,
                    f"an assessment of {account_id} in {quarter}",
                    "none",
                    column="account_id",
                    sheet=sheet,
                )
            ]
        )
    account = portfolio.loc[account_id]
    stage = str(account["stage"])
    management = account_management(eng, bu_id, quarter)
    manager_id = account["manager_id"]
    manager = pd.Series(dtype=object)
    fit = pd.Series(dtype=object)
    gaps = pd.DataFrame()
    if management.assessed and manager_id is not None and manager_id in management.managers.index:
        manager = management.managers.loc[manager_id]
        table = management.managers.reset_index()
        one = pd.DataFrame(
            {
                "account_id": [account_id],
                "manager_id": [manager_id],
                "stage": [stage],
                "revenue": [float(account["revenue"])],
            }
        )
        scale = _scale(eng, "rating")
        fit = kam_managers.account_fit(table, one, scale=scale).loc[account_id]
        gaps = kam_managers.competency_gaps(table, one, scale=scale, lang=lang)
        gaps = gaps.loc[gaps["manager_id"] == manager_id].reset_index(drop=True)
    contacts = eng.contacts.loc[eng.contacts["account_id"] == account_id]
    plan = kam_managers.contact_plan(contacts, lang=lang) if len(contacts) else pd.DataFrame()
    boards = None
    if not eng.benchmark.loc[
        (eng.benchmark["bu_id"] == bu_id) & (eng.benchmark["quarter"] == quarter)
    ].empty:
        boards = benchmark(eng, bu_id, quarter).boards
    feedback = eng.feedback.loc[eng.feedback["bu_id"] == bu_id]
    spin = kam_managers.spin_call_plan(
        eng.account_quarters.loc[eng.account_quarters["bu_id"] == bu_id],
        account_id=account_id,
        quarter=quarter,
        feedback=feedback,
        boards=boards,
        signals=str(account["signals"]),
        scale=_scale(eng, "rating"),
        labels={d: _label(d, lang) for d in feedback["dimension"].unique()},
        lang=lang,
    )
    coverage = portfolio.loc[[account_id], ["days_since_decider"]]
    signs = _indifference(eng, bu_id, quarter, coverage, lang)
    churn = kam_managers.churn_causes(portfolio.loc[[account_id]], signs=signs, lang=lang)
    return AccountPlan(
        account_id,
        bu_id,
        quarter,
        lang,
        account,
        kam_managers.STAGE_ROLES[stage][lang],
        manager,
        fit,
        gaps,
        plan,
        spin,
        signs.loc[account_id],
        churn,
    )


def account_indifference(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """Measure the "treated with indifference" signs of each assessed account of a BU.

    Days since a decider was met (the buying-centre coverage of
    :func:`key_account_portfolio`), executive visits in the last four quarters (the
    quarter's ``account_assessments.executive_visits``, when recorded) and complaints
    without response in the key-account feedback comments of the last four quarters. See
    :func:`kamanalysis.tools.managers.indifference`; ``qualifies`` and ``name`` are added.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> signs = account_indifference(eng, "MC")
    >>> int(signs.loc["MC001", "signs"]), signs.loc["MC001", "evidence"].split("; ")[0]
    (3, 'no decider met for 212 days')
    """
    quarter = quarter or eng.current_quarter
    portfolio = key_account_portfolio(eng, bu_id, quarter)
    signs = _indifference(eng, bu_id, quarter, portfolio[["days_since_decider"]], lang)
    signs.insert(0, "qualifies", portfolio["qualifies"])
    signs.insert(0, "name", portfolio["name"])
    return signs


def _indifference(
    eng: Engagement, bu_id: str, quarter: str, coverage: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Return the signs of indifference of the accounts in ``coverage``.

    The BU's executive visits in the quarter and its key accounts' feedback over the last
    four quarters are the evidence; one account's plan and the BU's section share them.
    """
    aa = eng.account_assessments
    visits = None
    if "executive_visits" in aa:
        rows = aa.loc[(aa["bu_id"] == bu_id) & (aa["quarter"] == quarter)]
        visits = rows.set_index("account_id")["executive_visits"]
    year = quarter_range(shift_quarter(quarter, -3), quarter)
    fb = eng.feedback
    said = fb.loc[
        (fb["bu_id"] == bu_id) & (fb["source"] == "key_account") & fb["quarter"].isin(year)
    ]
    return kam_managers.indifference(coverage, visits=visits, feedback=said, lang=lang)
