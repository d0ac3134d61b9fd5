"""Compose the methods for one engagement: what the diagnosis notebook shows.

The method modules (:mod:`~kamanalysis.pest`, :mod:`~kamanalysis.forces`,
:mod:`~kamanalysis.evolution`, :mod:`~kamanalysis.position`) each take one table;
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

from .engagement import Engagement
from .errors import InputValidationError, Problem
from .evolution import Trajectory, classify_trajectory
from .forces import ForcesResult, score_five_forces
from .pest import PestResult, score_pest
from .position import ge_cell, ge_cuts, ie_cell, ife_efe
from .scoring import weighted_score


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

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> s = competitive_strength(eng, "PV")
    >>> s.index[0] in eng.benchmark["company"].tolist(), bool(s.is_monotonic_decreasing)
    (True, True)
    """
    quarter = quarter or eng.current_quarter
    rows = _rows(eng, "benchmark", bu_id, quarter)
    ratings = rows.pivot(index="factor", columns="company", values="rating")
    weights = rows.drop_duplicates("factor").set_index("factor")["weight"]
    scores = weighted_score(ratings, weights, scale=_scale(eng, "rating"))
    return scores.sort_values(ascending=False, kind="stable")


def strategic_position(
    eng: Engagement, quarter: str | None = None, *, cuts=None, precomputed: str | Path = ""
) -> pd.DataFrame:
    """IE and GE positions of every BU in a quarter.

    Parameters
    ----------
    eng : Engagement
    quarter : str, optional
        Default: the engagement's current quarter.
    cuts : see :func:`kamanalysis.position.ge_cuts`
        GE cut points; default thirds of the rating scale's range.
    precomputed : str or Path, optional
        A file written by :func:`save_positions` for the same engagement, quarter and
        cuts (a report batch computes the group's positions once and hands them to
        every BU's notebook); empty = compute here.

    Returns
    -------
    DataFrame indexed by ``bu_id``: ``label``, ``revenue`` (that quarter),
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
    for bu in eng.bu_ids:
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
    frame = pd.DataFrame.from_records(records).set_index("bu_id")
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
    part = eng.for_bu(bu_id)
    rows = {q: strategic_position(part, q, cuts=cuts).loc[bu_id] for q in quarters}
    history = pd.DataFrame.from_dict(rows, orient="index").drop(columns=["label"])
    history.index.name = "quarter"
    return history
