"""What the diagnosis areas share: a BU's rows in a quarter, its scales, one result per engagement.

:func:`assessed` (public) says whether a table holds rows for a BU and quarter; the private
helpers pick those rows (:func:`_rows`), read a declared scale (:func:`_scale`), compute
a result once per engagement object (:func:`_memo`) and restrict it to one BU once
(:func:`_for_bu`).
"""

from __future__ import annotations

import pandas as pd

from ..base.errors import InputValidationError, Problem
from ..data.engagement import Engagement


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


def _scale(eng: Engagement, name: str) -> tuple[float, float]:
    lo, hi = eng.settings["scales"][name]
    return float(lo), float(hi)


def _memo(eng: Engagement, key: tuple, compute):
    """Compute once per engagement object: a notebook asks for the same result twice."""
    cache = eng.cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _for_bu(eng: Engagement, bu_id: str) -> Engagement:
    """Return ``eng.for_bu(bu_id)``, made once per engagement object.

    The facts, the report and its backtest then share one BU's engagement, and so what is
    computed on it (:func:`_memo`): its tables are read, never changed.
    """
    return _memo(eng, ("for_bu", bu_id), lambda: eng.for_bu(bu_id))
