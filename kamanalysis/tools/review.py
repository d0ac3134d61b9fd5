"""The quarterly review (季度评估): over time, against the benchmark, through customers' eyes.

The seeds judge a marketing strategy each quarter along three lines — against itself
over time, against the industry's leading firms, and through the evaluation of
dealers and key accounts — quantitative and qualitative together. This module holds
the computations of that review; each takes DataFrames:

- :func:`time_comparison`: any measure by quarter, quarter over quarter (QoQ) and year
  over year (YoY). Growth from a zero base is NaN (never inf). A quarter missing
  between the first and the last is **reported**: it gets a row with ``missing`` True
  and NaN values, is listed in ``attrs["missing"]``, and the growth it would have
  been the base of is NaN; ``on_missing="raise"`` makes it an error naming the quarter.
- :func:`feedback_summary` and :func:`lowest_comments`: the qualitative side from the
  ``feedback`` table (mean and spread per source and dimension, change since the
  previous quarter, the verbatim comments of the lowest scores).
- :func:`evaluation_score`: one score per quarter blending the two sides (below).
- :func:`explain_change`: a weighted score's change between two quarters attributed
  to its factors (below).

The benchmark over time (score, rank and index to the leader per quarter) is
:func:`kamanalysis.tools.benchmark.strength_over_time`; method modules do not import each
other, so :mod:`kamanalysis.diagnosis` puts the two together.

**Evaluation score.** Each measure is put on a common 0-100 scale by a straight line
through two anchor values (:data:`EVALUATION_MEASURES`): the anchor of 0 and the
anchor of 100, clipped to [0, 100]. Ratings use their scale (the scale's bottom is 0,
its top 100: a benchmark score of 3 on 1-5 is 50); revenue growth year over year uses
−25 % → 0 and +25 % → 100 (no growth is 50). A side is the mean of its available
measures (NaN when none is available). The evaluation is
``blend × quantitative + (1 − blend) × qualitative``, ``blend`` = :data:`BLEND`
(0.5) by default, and NaN when either side is NaN.

**Change attribution.** A weighted score ``S = Σ wᵢ rᵢ`` (weights as fractions)
changes between two quarters by ``ΔS = Σ (w₁ r₁ − w₀ r₀)``. Each factor's part splits
exactly into a rating effect and a weight effect, with the other at its mean:
``rating_effect = (w₀ + w₁)/2 × (r₁ − r₀)``, ``weight_effect = (r₀ + r₁)/2 × (w₁ − w₀)``;
``total`` is their sum, and the totals add up to ``ΔS``. **A factor present in only
one quarter** counts as weighted 0 in the other, at the rating it has: a new factor
brings ``weight_effect = w₁ r₁``, a dropped one ``−w₀ r₀``; its rating effect is 0.

Examples
--------
>>> import pandas as pd
>>> before = pd.DataFrame({"factor": ["price", "quality"], "weight": [0.5, 0.5],
...                        "rating": [4, 3]})
>>> after = pd.DataFrame({"factor": ["price", "quality"], "weight": [0.5, 0.5],
...                       "rating": [2, 3]})
>>> explain_change(before, after)["total"].to_dict()
{'price': -1.0, 'quality': 0.0}
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..base._numeric import safe_divide
from ..base._validation import check_allowed, check_ratings, describe, require_columns
from ..base.errors import InputValidationError, Problem, raise_if_any
from ..base.quarters import is_quarter, quarter_range, shift_quarter
from ..base.schema import DEFAULT_SCALES, FEEDBACK_DIMENSIONS, FEEDBACK_SOURCES
from ..core.scoring import check_weights, weighted_score

#: Default weight of the quantitative side in :func:`evaluation_score`.
BLEND = 0.5
#: Measures of the evaluation score: side -> column -> (value scored 0, value scored 100).
#: ``"rating"`` means the rating scale passed to :func:`evaluation_score`.
EVALUATION_MEASURES: dict[str, dict[str, object]] = {
    "quantitative": {"benchmark_score": "rating", "growth_yoy": (-0.25, 0.25)},
    "qualitative": {"feedback_score": "rating"},
}
#: How many of the lowest-scored comments :func:`lowest_comments` returns by default.
LOWEST_COMMENTS = 5


#: The columns of :func:`time_comparison`, in order.
TIME_COLUMNS = (
    "value",
    "missing",
    "previous",
    "change_qoq",
    "growth_qoq",
    "year_ago",
    "change_yoy",
    "growth_yoy",
)


def time_comparison(
    values: pd.Series, *, on_missing: str = "report", name: str | None = None
) -> pd.DataFrame:
    """Compare a measure with the previous quarter and the same quarter a year earlier.

    Parameters
    ----------
    values : Series
        The measure, indexed by quarter (``2026Q3``); any order.
    on_missing : ``"report"`` or ``"raise"``
        What to do with a quarter missing between the first and the last: report it
        (a row with ``missing`` True, listed in ``attrs["missing"]``) or raise an
        error naming it.
    name : str, optional
        Name of the measure in messages; default the Series' name.

    Returns
    -------
    DataFrame
        Indexed by every quarter from the first to the last, oldest first: ``value``,
        ``missing``, ``previous``, ``change_qoq``, ``growth_qoq``, ``year_ago``,
        ``change_yoy``, ``growth_yoy`` (growth as fractions; NaN where the base is
        0, NaN or absent). ``attrs["missing"]`` lists the missing quarters.

    Raises
    ------
    InputValidationError
        A label that is not a quarter, a quarter given twice, a missing quarter
        with ``on_missing="raise"``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = time_comparison(pd.Series({"2025Q1": 0.0, "2025Q2": 10.0, "2025Q4": 12.0}))
    >>> t["growth_qoq"].tolist()
    [nan, nan, nan, nan]
    >>> t.attrs["missing"], t["missing"].tolist()
    (['2025Q3'], [False, False, True, False])
    >>> time_comparison(pd.Series({"2025Q1": 1.0, "2025Q3": 2.0}, name="revenue"),
    ...                 on_missing="raise")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - time_comparison, column revenue: expected a value for every quarter from 2025Q1 \
to 2025Q3, got no value for 2025Q2
    """
    where = "time_comparison"
    label = name or (str(values.name) if values.name is not None else "value")
    problems = []
    if on_missing not in ("report", "raise"):
        problems.append(
            Problem(where, "one of report, raise", describe(on_missing), column="on_missing")
        )
    quarters = [str(q) for q in values.index]
    problems += [
        Problem(where, "a quarter written like 2026Q3", describe(q), column=label)
        for q in quarters
        if not is_quarter(q)
    ]
    index = pd.Index(quarters)
    if index.has_duplicates:
        dup = sorted(index[index.duplicated()].unique())
        problems.append(Problem(where, "each quarter once", f"repeated {dup}", column=label))
    raise_if_any(problems)
    series = pd.Series(pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64"), index)
    if series.empty:
        frame = pd.DataFrame(columns=list(TIME_COLUMNS))
        frame.index.name = "quarter"
        frame.attrs = {"missing": []}
        return frame
    ordered = sorted(quarters)
    full = quarter_range(ordered[0], ordered[-1])
    missing = [q for q in full if q not in set(quarters)]
    if missing and on_missing == "raise":
        raise InputValidationError(
            [
                Problem(
                    where,
                    f"a value for every quarter from {full[0]} to {full[-1]}",
                    f"no value for {', '.join(missing)}",
                    column=label,
                )
            ]
        )
    value = series.reindex(full)
    frame = pd.DataFrame({"value": value, "missing": [q in missing for q in full]}, index=full)
    for suffix, lag, base in (("qoq", 1, "previous"), ("yoy", 4, "year_ago")):
        prior = series.reindex([shift_quarter(q, -lag) for q in full]).to_numpy()
        frame[base] = prior
        frame[f"change_{suffix}"] = value - frame[base]
        frame[f"growth_{suffix}"] = safe_divide(value, frame[base]) - 1
    frame = frame[list(TIME_COLUMNS)]
    frame.index.name = "quarter"
    frame.attrs = {"missing": missing}
    return frame


def _check_feedback(feedback: pd.DataFrame, scale, where: str) -> pd.DataFrame:
    require_columns(
        feedback, ("quarter", "source", "respondent_id", "dimension", "score"), where=where
    )
    data = feedback.reset_index(drop=True)
    labelled = data.assign(
        _label=data["respondent_id"].astype(str) + " " + data["dimension"].astype(str)
    )
    problems = check_allowed(labelled, "source", FEEDBACK_SOURCES, where=where, label_by="_label")
    problems += check_allowed(
        labelled, "dimension", FEEDBACK_DIMENSIONS, where=where, label_by="_label"
    )
    problems += check_ratings(labelled, "score", scale, where=where, label_by="_label")
    raise_if_any(problems)
    return data


def feedback_summary(
    feedback: pd.DataFrame,
    *,
    quarter: str | None = None,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """Key-account feedback and dealer evaluations by source and dimension in a quarter.

    Parameters
    ----------
    feedback : DataFrame
        Rows of the ``feedback`` table (one BU; several quarters): ``quarter``,
        ``source``, ``respondent_id``, ``dimension``, ``score``.
    quarter : str, optional
        Default: the latest quarter in the table.
    scale : (lo, hi)
        The satisfaction scale.

    Returns
    -------
    DataFrame
        Indexed by (``source``, ``dimension``) in the vocabulary's order, plus one
        ``all`` source row per dimension: ``respondents``, ``mean``, ``std`` (sample
        standard deviation; NaN for one respondent), ``min``, ``previous_mean`` (the
        quarter before) and ``change`` (NaN when the quarter before has no rows for it).
        ``attrs`` hold ``quarter`` and ``previous``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"quarter": ["2026Q2", "2026Q3", "2026Q3"],
    ...                   "source": ["dealer"] * 3, "respondent_id": ["d1", "d1", "d2"],
    ...                   "dimension": ["price"] * 3, "score": [4, 2, 3]})
    >>> s = feedback_summary(f)
    >>> s.loc[("dealer", "price"), ["mean", "previous_mean", "change"]].tolist()
    [2.5, 4.0, -1.5]
    """
    where = "feedback_summary"
    data = _check_feedback(feedback, scale, where)
    quarters = sorted(data["quarter"].astype(str).unique())
    if not quarters:
        raise InputValidationError([Problem(where, "feedback rows", "none", column="quarter")])
    quarter = quarter or quarters[-1]
    if quarter not in quarters:
        raise InputValidationError(
            [Problem(where, f"feedback rows in {quarter}", "none", column="quarter")]
        )
    previous = shift_quarter(quarter, -1)

    def stats(rows: pd.DataFrame) -> pd.DataFrame:
        both = pd.concat([rows, rows.assign(source="all")])
        g = both.groupby(["source", "dimension"])["score"]
        return pd.DataFrame(
            {
                "respondents": g.count(),
                "mean": g.mean(),
                "std": g.std(),
                "min": g.min().astype("float64"),
            }
        )

    now = stats(data.loc[data["quarter"] == quarter])
    before = stats(data.loc[data["quarter"] == previous])
    order = [
        (s, d)
        for s in (*FEEDBACK_SOURCES, "all")
        for d in FEEDBACK_DIMENSIONS
        if (s, d) in now.index
    ]
    out = now.reindex(order)
    out["previous_mean"] = before["mean"].reindex(order).to_numpy()
    out["change"] = out["mean"] - out["previous_mean"]
    out.index = pd.MultiIndex.from_tuples(order, names=["source", "dimension"])
    out.attrs = {"quarter": quarter, "previous": previous}
    return out


def lowest_comments(
    feedback: pd.DataFrame,
    *,
    quarter: str | None = None,
    n: int = LOWEST_COMMENTS,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> pd.DataFrame:
    """Return the verbatim comments that came with the lowest scores of a quarter.

    Returns
    -------
    DataFrame
        Up to ``n`` rows with a non-blank ``comment``: ``source``, ``respondent_id``,
        ``dimension``, ``score``, ``comment``; lowest score first (equal scores by
        source, respondent and dimension), indexed from 1.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"quarter": ["2026Q3"] * 3, "source": ["key_account"] * 3,
    ...                   "respondent_id": ["A", "B", "C"], "dimension": ["price"] * 3,
    ...                   "score": [4, 1, 2], "comment": ["fine", "too dear", None]})
    >>> lowest_comments(f)["comment"].tolist()
    ['too dear', 'fine']
    """
    data = _check_feedback(feedback, scale, "lowest_comments")
    require_columns(data, ("comment",), where="lowest_comments")
    quarter = quarter or (max(data["quarter"].astype(str)) if len(data) else None)
    rows = data.loc[
        (data["quarter"] == quarter)
        & data["comment"].notna()
        & (data["comment"].astype(str).str.strip() != "")
    ]
    rows = rows.sort_values(["score", "source", "respondent_id", "dimension"], kind="stable").head(
        n
    )
    out = rows[["source", "respondent_id", "dimension", "score", "comment"]].copy()
    out.index = pd.RangeIndex(1, len(out) + 1)
    out.attrs = {"quarter": quarter}
    return out


def _rescale(values: pd.Series, anchors: tuple[float, float]) -> pd.Series:
    lo, hi = (float(a) for a in anchors)
    return ((values.astype("float64") - lo) / (hi - lo) * 100).clip(0, 100)


def evaluation_score(
    measures: pd.DataFrame,
    *,
    blend: float = BLEND,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    spec: Mapping[str, Mapping[str, object]] = EVALUATION_MEASURES,
) -> pd.DataFrame:
    """One evaluation score per row (a BU and quarter) blending quantitative and qualitative.

    Parameters
    ----------
    measures : DataFrame
        One row per BU and quarter (any index) with the columns named in ``spec``
        (default: ``benchmark_score``, ``growth_yoy``, ``feedback_score``); NaN is
        "not available".
    blend : float
        Weight of the quantitative side, from 0 to 1; the qualitative side gets
        ``1 − blend``.
    scale : (lo, hi)
        The rating scale, for measures anchored on ``"rating"``.
    spec : mapping
        Side -> column -> (value scored 0, value scored 100) or ``"rating"``; default
        :data:`EVALUATION_MEASURES` (see the module notes).

    Returns
    -------
    DataFrame
        The same index: each measure on 0-100 (``<column>_pts``), ``quantitative``,
        ``qualitative`` (means of their available measures) and ``evaluation``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"benchmark_score": [3.0], "growth_yoy": [0.125],
    ...                   "feedback_score": [2.0]}, index=["2026Q3"])
    >>> evaluation_score(m)[["quantitative", "qualitative", "evaluation"]].iloc[0].tolist()
    [62.5, 25.0, 43.75]
    """
    where = "evaluation_score"
    if not (isinstance(blend, int | float) and 0 <= blend <= 1):
        raise InputValidationError(
            [Problem(where, "a number from 0 to 1", describe(blend), column="blend")]
        )
    columns = [c for side in spec.values() for c in side]
    require_columns(measures, columns, where=where)
    out = pd.DataFrame(index=measures.index)
    for side, parts in spec.items():
        points = []
        for column, anchors in parts.items():
            anchors = scale if anchors == "rating" else anchors
            values = pd.to_numeric(measures[column], errors="coerce")
            out[f"{column}_pts"] = _rescale(values, anchors)
            points.append(out[f"{column}_pts"])
        out[side] = pd.concat(points, axis=1).mean(axis=1, skipna=True)
    quantitative = out.get("quantitative", pd.Series(np.nan, index=out.index))
    qualitative = out.get("qualitative", pd.Series(np.nan, index=out.index))
    out["evaluation"] = blend * quantitative + (1 - blend) * qualitative
    out.attrs = {"blend": blend}
    return out


def _side(table: pd.DataFrame, name: str, scale, where: str) -> pd.DataFrame:
    """Check one quarter's factors; return a frame of weight (fractions) and rating."""
    require_columns(table, ("factor", "weight", "rating"), where=where)
    data = table.reset_index(drop=True)
    factors = data["factor"].astype(str)
    problems = []
    if factors.duplicated().any():
        dup = sorted(factors[factors.duplicated()].unique())
        problems.append(
            Problem(where, "each factor once per quarter", f"repeated {dup}", column=name)
        )
    labelled = data.assign(factor=factors, rating=pd.to_numeric(data["rating"], errors="coerce"))
    problems += [
        Problem(where, p.expected, p.found, column=f"{name}, {p.column}")
        for p in check_ratings(
            labelled, "rating", scale or (-math.inf, math.inf), where=where, label_by="factor"
        )
    ]
    raise_if_any(problems)
    try:
        weights = check_weights(
            pd.Series(data["weight"].to_numpy(), index=factors), where=f"{where} ({name})"
        )
    except InputValidationError as exc:
        raise type(exc)(exc.problems) from None
    return pd.DataFrame(
        {"weight": weights.to_numpy(), "rating": labelled["rating"].to_numpy(dtype="float64")},
        index=factors,
    )


def explain_change(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    scale: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Attribute the change of a weighted score between two quarters to its factors.

    Parameters
    ----------
    before, after : DataFrame
        One quarter each: ``factor``, ``weight``, ``rating`` (other columns ignored;
        weights as fractions or percent, each side summing to 1 or 100).
    scale : (lo, hi), optional
        The rating scale; ratings outside it are an error. None: not checked.

    Returns
    -------
    DataFrame
        Indexed by factor (the largest ``|total|`` first, then by name):
        ``weight_before``, ``weight_after`` (fractions; 0 where absent),
        ``rating_before``, ``rating_after`` (NaN where absent), ``status`` (``both``,
        ``new``, ``dropped``), ``rating_effect``, ``weight_effect`` and ``total``.
        ``total`` sums to ``attrs["change"]`` = ``attrs["after"] − attrs["before"]``,
        the two weighted scores (see the module notes for the rule).

    Raises
    ------
    InputValidationError
        A factor twice in one quarter, a rating missing or off the scale (named with
        the quarter side and the factor); :class:`~kamanalysis.base.errors.InvalidWeightsError`
        for weights that do not sum to 1 (or 100).

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"factor": ["a", "b"], "weight": [0.6, 0.4], "rating": [3, 2]})
    >>> a = pd.DataFrame({"factor": ["a", "c"], "weight": [0.5, 0.5], "rating": [4, 3]})
    >>> e = explain_change(b, a)
    >>> e[["status", "rating_effect", "weight_effect", "total"]].round(3).to_dict("index")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'c': {'status': 'new', 'rating_effect': 0.0, 'weight_effect': 1.5, 'total': 1.5},
     'b': {'status': 'dropped', 'rating_effect': 0.0, 'weight_effect': -0.8, 'total': -0.8},
     'a': {'status': 'both', 'rating_effect': 0.55, 'weight_effect': -0.35, 'total': 0.2}}
    >>> round(e["total"].sum(), 9) == round(e.attrs["change"], 9) == 0.9
    True
    """
    where = "explain_change"
    problems: list[Problem] = []
    sides = {}
    for name, table in (("before", before), ("after", after)):
        try:
            sides[name] = _side(table, name, scale, where)
        except InputValidationError as exc:
            problems += exc.problems
    raise_if_any(problems)
    b, a = sides["before"], sides["after"]
    factors = sorted(set(b.index) | set(a.index))
    w0 = b["weight"].reindex(factors).fillna(0.0)
    w1 = a["weight"].reindex(factors).fillna(0.0)
    r0 = b["rating"].reindex(factors)
    r1 = a["rating"].reindex(factors)
    status = pd.Series("both", index=factors)
    status[r0.isna()] = "new"
    status[r1.isna()] = "dropped"
    # an absent factor takes the rating it has in the other quarter, at weight 0
    r0_filled = r0.fillna(r1)
    r1_filled = r1.fillna(r0)
    out = pd.DataFrame(
        {
            "weight_before": w0,
            "weight_after": w1,
            "rating_before": r0,
            "rating_after": r1,
            "status": status,
            "rating_effect": (w0 + w1) / 2 * (r1_filled - r0_filled),
            "weight_effect": (r0_filled + r1_filled) / 2 * (w1 - w0),
        }
    )
    out["total"] = out["rating_effect"] + out["weight_effect"]
    order = sorted(factors, key=lambda f: (-abs(round(out.at[f, "total"], 12)), f))
    out = out.loc[order]
    out.index.name = "factor"
    score_before = weighted_score(b["rating"], b["weight"])
    score_after = weighted_score(a["rating"], a["weight"])
    out.attrs = {
        "before": score_before,
        "after": score_after,
        "change": score_after - score_before,
    }
    return out
