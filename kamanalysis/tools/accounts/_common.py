"""What the key-account files share: naming rows, the cut test, ratings, raising problems.

- :data:`TOLERANCE` and ``_high``: a score is high when it is at or above its cut (within
  the tolerance of floating-point error), in the selection matrix, the supplier
  positioning and the key-account criteria alike.
- ``_ratings``: rating columns as a float matrix, with a problem for each value missing or
  off the scale (the matrices' ratings, the buying centre's influence); ``_off_scale``:
  the same for ratings that may be blank (not assessed: the criteria, the tiers' factors).
- ``_ids``: how a row is named in messages; ``_raise``: raise the problems found, if any.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...base._validation import describe
from ...base.errors import InputValidationError, Problem

#: Tolerance of the "at or above the cut" comparison (floating-point error only).
TOLERANCE = 1e-9


def _ids(frame: pd.DataFrame) -> list:
    """How each row is named in messages: its account_id, else its index label."""
    if "account_id" in frame.columns:
        return frame["account_id"].tolist()
    return frame.index.tolist()


def _high(values, cut: float):
    """Return True where ``values`` are at or above ``cut`` (within :data:`TOLERANCE`)."""
    return np.asarray(values, dtype="float64") >= cut - TOLERANCE


def _ratings(frame: pd.DataFrame, columns: Sequence[str], scale, *, where: str):
    """Return the rating columns as a float matrix, and problems for values missing or off scale."""
    if not columns:
        return np.empty((len(frame), 0)), []
    part = frame[list(columns)]
    types = pd.api.types
    if not all(types.is_numeric_dtype(t) and not types.is_bool_dtype(t) for t in part.dtypes):
        part = part.apply(pd.to_numeric, errors="coerce")
    values = part.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~((values >= scale[0]) & (values <= scale[1]))  # NaN is bad too
    problems = []
    if bad.any():
        ids = _ids(frame)
        raw = frame[list(columns)].to_numpy(dtype="object")
        for i, j in zip(*np.nonzero(bad), strict=True):
            problems.append(
                Problem(
                    where,
                    f"a rating from {scale[0]:g} to {scale[1]:g}",
                    describe(raw[i, j]),
                    column=f"{columns[j]} of {ids[i]!r}",
                )
            )
    return values, problems


def _off_scale(values: np.ndarray, scale, *, where: str, columns: Sequence[str], names) -> list:
    """Problems for the values of a float matrix off ``scale``; a blank (NaN) is not assessed."""
    off = ~np.isnan(values) & ~((values >= scale[0]) & (values <= scale[1]))
    return [
        Problem(
            where,
            f"a rating from {scale[0]:g} to {scale[1]:g}",
            describe(values[i, j]),
            column=f"{columns[j]} of {names[i]!r}",
        )
        for i, j in zip(*np.nonzero(off), strict=True)
    ]


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InputValidationError(problems)
