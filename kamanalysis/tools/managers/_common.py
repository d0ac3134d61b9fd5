"""Private helpers the files of the account-manager method share.

- :func:`_blank`: a value left blank (None, NaN, pandas' NA, empty text).
- :func:`_lang`: the language of a text, checked (``en`` or ``zh``).
- :func:`_off_scale`: the managers' competency ratings that are not a number on the scale.
"""

from __future__ import annotations

import pandas as pd

from ...base._validation import describe, is_blank
from ...base.errors import InputValidationError, Problem
from ...base.schema import COMPETENCIES


def _blank(value: object) -> bool:
    """Return True for None, NaN, pandas' NA and empty text."""
    return value is None or value is pd.NA or is_blank(value)


def _lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise InputValidationError([Problem("managers", "en or zh", describe(lang), column="lang")])
    return lang


def _off_scale(managers: pd.DataFrame, scale: tuple[float, float]) -> list[tuple[int, str, object]]:
    """Return (position, competency, value) of each rating not a number on ``scale``.

    The ratings are the ``comp_<competency>`` columns of ``managers``, read by manager (in
    the frame's order) then competency (in :data:`COMPETENCIES`' order).
    """
    lo, hi = scale
    found = []
    for i, record in enumerate(managers.to_dict("records")):
        for comp in COMPETENCIES:
            value = record[f"comp_{comp}"]
            number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
            if pd.isna(number) or not lo <= number <= hi:
                found.append((i, comp, value))
    return found
