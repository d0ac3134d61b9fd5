"""The weighted-factor core every tool uses: weighted scores and bands.

Conventions (``../shared/DESIGN.md``):

- Weights are non-negative and sum to 1 (fractions) or 100 (percent) within 1e-6;
  anything else raises :class:`~kamanalysis.base.errors.InvalidWeightsError` unless the
  caller passes ``normalize=True``.
- Ratings must lie on their declared scale; a missing (NaN) rating is an error.
- Bands are half-open intervals ``[lo, hi)`` with the top edge closed, so a value
  exactly on an inner edge belongs to the upper band.

Examples
--------
>>> import pandas as pd
>>> weighted_score(pd.Series({"quality": 4, "price": 2}), {"quality": 0.7, "price": 0.3})
3.4
>>> band(2.0, [1, 2, 3, 4], ["weak", "average", "strong"])
'average'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..base._validation import describe, rating_problem, weights_total_ok
from ..base.errors import InputValidationError, InvalidWeightsError, Problem

WHERE = "weighted_score"


def check_weights(
    weights: pd.Series | Mapping, *, normalize: bool = False, where: str = WHERE
) -> pd.Series:
    """Validate weights and return them as fractions summing to 1.

    Parameters
    ----------
    weights : Series or mapping
        Weight per factor.
    normalize : bool
        Rescale any non-negative weights with a positive sum instead of requiring
        a sum of 1 or 100.
    where : str
        Name used in error messages.

    Returns
    -------
    Series of float, indexed by factor, summing to 1.

    Raises
    ------
    InvalidWeightsError
        A weight is negative or missing, or the sum is off (and ``normalize`` is False).

    Examples
    --------
    >>> check_weights({"a": 60, "b": 40}).tolist()
    [0.6, 0.4]
    >>> try:
    ...     check_weights({"a": 0.5, "b": 0.55})
    ... except InvalidWeightsError as exc:
    ...     print(exc.problems[0].found)
    a sum of 1.05
    """
    raw = pd.Series(dict(weights) if isinstance(weights, Mapping) else weights, dtype="object")
    series = pd.to_numeric(raw, errors="coerce").astype("float64")
    problems = []
    for (factor, value), given in zip(series.items(), raw, strict=True):
        if not (value >= 0):  # catches NaN too
            problems.append(
                Problem(
                    where,
                    "a weight >= 0",
                    describe(given),
                    row=None,
                    column=f"weight of {factor!r}",
                    kind="weights",
                )
            )
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()].unique().tolist()
        problems.append(
            Problem(
                where,
                "one weight per factor",
                f"repeated factors {dup}",
                column="weight",
                kind="weights",
            )
        )
    if problems:
        raise InvalidWeightsError(problems)
    total = math.fsum(series)
    if total <= 0:
        raise InvalidWeightsError(
            [
                Problem(
                    where,
                    "weights with a positive sum",
                    f"a sum of {total:g}",
                    column="weight",
                    kind="weights",
                )
            ]
        )
    if not normalize and not weights_total_ok(total):
        raise InvalidWeightsError(
            [
                Problem(
                    where,
                    "weights summing to 1 (or 100) within 1e-06",
                    f"a sum of {total:.10g}",
                    column="weight",
                    kind="weights",
                )
            ]
        )
    return series / total


def weighted_score(
    ratings: pd.Series | pd.DataFrame,
    weights: pd.Series | Mapping,
    *,
    scale: tuple[float, float] | None = None,
    normalize: bool = False,
) -> float | pd.Series:
    """Weighted sum of ratings: one number per entity.

    Parameters
    ----------
    ratings : Series or DataFrame
        A Series indexed by factor (one entity), or a DataFrame with factors as
        its index and one column per entity (companies, BUs, accounts).
    weights : Series or mapping
        Weight per factor: fractions summing to 1 or percent summing to 100.
    scale : (lo, hi), optional
        The rating scale; ratings outside it are an error.
    normalize : bool
        Accept any non-negative weights with a positive sum and rescale them.

    Returns
    -------
    float for a Series of ratings; a Series indexed by entity for a DataFrame.
    The score lies on the rating scale, does not depend on the order of the
    factors, and never falls when a rating rises.

    Raises
    ------
    InvalidWeightsError
        Bad weights (see :func:`check_weights`).
    InputValidationError
        A rating off the scale or missing, a factor without a weight, a weight
        without a rating.

    Examples
    --------
    The competitive profile matrix of David (2011), Table 3-14, Company 1:

    >>> import pandas as pd
    >>> w = {"market share": 0.15, "inventory system": 0.08, "financial position": 0.10,
    ...      "product quality": 0.08, "consumer loyalty": 0.02, "sales distribution": 0.10,
    ...      "global expansion": 0.15, "organization structure": 0.05,
    ...      "production capacity": 0.04, "e-commerce": 0.10, "customer service": 0.10,
    ...      "price competitive": 0.02, "management experience": 0.01}
    >>> r = pd.Series([3, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 2], index=list(w))
    >>> round(weighted_score(r, w, scale=(1, 4)), 2)
    2.83
    """
    w = check_weights(weights, normalize=normalize)
    single = isinstance(ratings, pd.Series)
    frame = ratings.to_frame("score") if single else ratings
    problems: list[Problem] = []
    factors = pd.Index(frame.index)
    if factors.has_duplicates:
        dup = factors[factors.duplicated()].unique().tolist()
        problems.append(
            Problem(WHERE, "each factor once", f"repeated factors {dup}", column="factor")
        )
    for factor in factors.difference(w.index, sort=False):
        problems.append(
            Problem(
                WHERE,
                "a weight for every rated factor",
                f"no weight for {factor!r}",
                column="weight",
            )
        )
    for factor in w.index.difference(factors, sort=False):
        problems.append(
            Problem(
                WHERE,
                "a rating for every weighted factor",
                f"no rating for {factor!r}",
                column="rating",
            )
        )
    values = frame.apply(pd.to_numeric, errors="coerce")
    for entity in frame.columns:
        for factor, raw, value in zip(frame.index, frame[entity], values[entity], strict=True):
            label = f"rating of {factor!r}" + ("" if single else f" for {entity!r}")
            problem = rating_problem(raw, value, scale, where=WHERE, column=label)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise InputValidationError(problems)
    aligned = w.reindex(values.index).to_numpy()
    scores = {}
    for entity in values.columns:
        column = values[entity].to_numpy(dtype="float64")
        total = math.fsum(aligned * column)  # exact sum: independent of factor order
        scores[entity] = float(np.clip(total, column.min(), column.max()))
    if single:
        return scores["score"]
    return pd.Series(scores, name="score", dtype="float64").rename_axis(frame.columns.name)


def check_edges(edges: Sequence[float], *, where: str = "band", name: str = "edges") -> list:
    """Return ``edges`` as floats, raising if they are not strictly increasing numbers.

    Examples
    --------
    >>> check_edges([1, 2, 2])
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - band, column edges: expected strictly increasing numbers, got [1, 2, 2]
    """
    values = list(edges)
    ok = len(values) >= 2 and all(
        isinstance(v, int | float | np.number) and not isinstance(v, bool) and math.isfinite(v)
        for v in values
    )
    if ok:
        ok = all(a < b for a, b in itertools.pairwise(values))
    if not ok:
        shown = "[" + ", ".join(describe(v) for v in values) + "]"
        raise InputValidationError(
            [Problem(where, "strictly increasing numbers", shown, column=name)]
        )
    return [float(v) for v in values]


def band(values, edges: Sequence[float], labels: Sequence[str]):
    """Put values into labelled bands ``[e0, e1), [e1, e2), ..., [e(n-1), en]``.

    Parameters
    ----------
    values : number, Series or array-like
    edges : sequence of numbers
        Strictly increasing; ``len(labels) + 1`` of them.
    labels : sequence of str
        One label per band, lowest band first.

    Returns
    -------
    str for a single value; a Series of labels (same index) otherwise.

    Raises
    ------
    InputValidationError
        Edges not increasing, labels of the wrong length, or a value outside
        every band (NaN included).

    Examples
    --------
    >>> edges, labels = [1, 2, 3, 4], ["weak", "average", "strong"]
    >>> [band(v, edges, labels) for v in (1, 1.99, 2.0, 2.99, 3.0, 4.0)]
    ['weak', 'weak', 'average', 'average', 'strong', 'strong']
    >>> band(4.01, edges, labels)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - band: expected a value from 1 to 4, got 4.01
    """
    e = check_edges(edges)
    if len(labels) != len(e) - 1:
        raise InputValidationError(
            [
                Problem(
                    "band",
                    f"{len(e) - 1} labels for {len(e)} edges",
                    f"{len(labels)} labels",
                    column="labels",
                )
            ]
        )

    def one(value) -> str:
        if value is None or pd.isna(value) or not e[0] <= value <= e[-1]:
            raise InputValidationError(
                [Problem("band", f"a value from {e[0]:g} to {e[-1]:g}", describe(value))]
            )
        if value == e[-1]:
            return labels[-1]
        i = int(np.searchsorted(e, value, side="right")) - 1
        return labels[i]

    if np.ndim(values) == 0:
        return one(values)
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    problems = []
    out = []
    for key, value in series.items():
        try:
            out.append(one(value))
        except InputValidationError as exc:
            problems.extend(
                Problem(p.file, p.expected, p.found, column=f"value {key!r}") for p in exc.problems
            )
    if problems:
        raise InputValidationError(problems)
    return pd.Series(out, index=series.index, dtype="object")


def scale_thirds(scale: tuple[float, float]) -> list[float]:
    """Edges cutting a rating scale's range into three equal bands.

    Examples
    --------
    >>> [round(x, 2) for x in scale_thirds((1, 5))]
    [1.0, 2.33, 3.67, 5.0]
    """
    lo, hi = scale
    step = (hi - lo) / 3
    return [float(lo), lo + step, lo + 2 * step, float(hi)]
