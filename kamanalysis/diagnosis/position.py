"""The strategic position of the BUs in a quarter: IFE/EFE, the IE and the GE matrix.

Conventions of the strategic-position composition (the method module is
:mod:`~kamanalysis.tools.position`):

- **IE matrix**: the BU's IFE and EFE totals from its ``ife_efe`` rows.
- **GE matrix**: industry attractiveness is the five-forces attractiveness of the
  BU's industry (weak forces = attractive); competitive strength is the BU's own
  weighted score in the ``benchmark`` table (the company with role ``self``). Both
  lie on the general rating scale; cuts are thirds of its range unless given.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> strategic_position(eng).index.tolist()
['PV', 'IC', 'MC']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base import signed
from ..data.engagement import Engagement
from ..tools.position import ge_cell, ge_cuts, ie_cell, ife_efe
from ._common import _memo, _rows, _scale, assessed
from .competitive import competitive_strength
from .external import five_forces

#: The tables a BU's IE and GE position needs in a quarter.
POSITION_TABLES = ("ife_efe", "forces", "benchmark")


def positioned(eng: Engagement, bu_id: str, quarter: str) -> bool:
    """Return True when the BU has every table its IE and GE position needs in the quarter."""
    return all(assessed(eng, table, bu_id, quarter) for table in POSITION_TABLES)


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
        every BU's notebook, signed with the run's key); empty = compute here.

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
        return signed.load(precomputed)  # signed with the run's key: see save_positions
    return _memo(
        eng, ("strategic_position", quarter, repr(cuts)), lambda: _positions(eng, quarter, cuts)
    )


def save_positions(positions: pd.DataFrame, path: str | Path, key: bytes | str) -> Path:
    """Write a :func:`strategic_position` frame (with its conventions) for notebooks to read.

    The file is signed with the run's ``key`` (:mod:`kamanalysis.base.signed`):
    ``strategic_position(..., precomputed=path)`` reads it in a kernel that holds the key.
    """
    return signed.dump(positions, path, key)


def _bu_position(eng: Engagement, bu_id: str, quarter: str, cuts=None) -> pd.DataFrame:
    """Return ``strategic_position(eng.for_bu(bu_id), quarter, cuts=cuts)``, computed on ``eng``.

    A BU's position reads the BU's own rows only (its IFE/EFE, five forces, benchmark and
    sales), which ``eng`` and ``eng.for_bu(bu_id)`` hold alike: computed on ``eng`` itself
    it is the same frame, computed once per engagement object and quarter, and it shares
    the five forces and the benchmark the rest of the BU's report computes on ``eng``.
    """
    return _memo(
        eng,
        ("bu_position", bu_id, quarter, repr(cuts)),
        lambda: _positions(eng, quarter, cuts, bus=[bu_id]),
    )


def _positions(eng: Engagement, quarter: str, cuts, bus: list[str] | None = None) -> pd.DataFrame:
    """Compute the positions of ``bus`` (default every BU of ``eng``) positioned in ``quarter``."""
    rating = _scale(eng, "rating")
    edges = ge_cuts(rating, cuts)
    aq = eng.account_quarters
    records = []
    for bu in (b for b in (eng.bu_ids if bus is None else bus) if positioned(eng, b, quarter)):
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
    # each quarter as strategic_position(eng.for_bu(bu_id), q) gives it, computed on eng
    frames = [_bu_position(eng, bu_id, q, cuts).loc[[bu_id]] for q in quarters]
    if not frames:
        return _bu_position(eng, bu_id, eng.current_quarter, cuts).drop(columns=["label"])
    history = pd.concat(frames).drop(columns=["label"])
    history.index = pd.Index(quarters, name="quarter")
    return history
