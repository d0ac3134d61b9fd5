"""The external environment of a BU in a quarter: PEST, five forces, industry trajectory.

The method modules (:mod:`~kamanalysis.tools.pest`, :mod:`~kamanalysis.tools.forces`,
:mod:`~kamanalysis.tools.evolution`) each take one table; this module picks the rows of a
BU and quarter out of a validated engagement, passes the engagement's declared scales,
and joins the results, so that the notebook holds no joins and no thresholds.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> ext = external_environment(eng, "IC")
>>> ext.trajectory.trajectory in ("progressive", "creative", "intermediating", "radical")
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.engagement import Engagement
from ..tools.evolution import Trajectory, classify_trajectory
from ..tools.forces import ForcesResult, score_five_forces
from ..tools.pest import PestResult, score_pest
from ._common import _memo, _rows, _scale


@dataclass(frozen=True)
class ExternalEnvironment:
    """PEST, five forces and industry trajectory of one BU in one quarter."""

    bu_id: str
    quarter: str
    pest: PestResult
    forces: ForcesResult
    trajectory: Trajectory


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
