"""Porter's five forces (波特五力模型): force intensity and industry attractiveness.

Each force is rated through its drivers on the rating scale (5 = the driver pushes
the force hard). A force's intensity is the weighted mean of its drivers (equal
weights unless given); the industry's overall intensity is the mean of the five
forces, and its attractiveness mirrors it on the same scale: stronger forces make a
less attractive industry (``attractiveness = lo + hi - intensity``).

Bands are thirds of the scale's range by default (on 1-5: [1, 2.33), [2.33, 3.67),
[3.67, 5]), half-open with the top edge closed; pass ``edges`` to change them.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"force": list(FORCES), "driver": ["d"] * 5,
...                   "rating": [4, 2, 2, 4, 3]})
>>> r = score_five_forces(t)
>>> r.intensity, r.attractiveness, r.band
(3.0, 3.0, 'moderate')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..base._validation import check_allowed, check_ratings, require_columns
from ..base.errors import InputValidationError, Problem
from ..base.i18n import label, text
from ..base.schema import DEFAULT_SCALES, FORCES
from ..core.charts import COLORS, radar
from ..core.scoring import band, check_edges, scale_thirds, weighted_score

LEVELS = ("low", "moderate", "high")
WHERE = "score_five_forces"


@dataclass(frozen=True)
class ForcesResult:
    """Scored five forces.

    Attributes
    ----------
    forces : DataFrame
        Indexed by force (the five, in Porter's order): ``drivers`` (count),
        ``intensity`` (weighted mean rating) and ``level`` (low/moderate/high).
    intensity : float
        Mean intensity of the five forces.
    attractiveness : float
        ``lo + hi - intensity``: high when the forces are weak.
    band : str
        low / moderate / high attractiveness.
    edges : list of float
        The band edges used.
    """

    forces: pd.DataFrame
    intensity: float
    attractiveness: float
    band: str
    edges: list


def score_five_forces(
    table: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    edges: list[float] | None = None,
) -> ForcesResult:
    """Score five-forces drivers into force intensities and industry attractiveness.

    Parameters
    ----------
    table : DataFrame
        Columns ``force``, ``driver``, ``rating``, optionally ``weight`` (within
        each force; blank for the whole force = equal weights). Usually one BU and
        quarter of the engagement's ``forces``.
    scale : (lo, hi)
        Rating scale of the drivers.
    edges : list of 4 numbers, optional
        Band edges for low / moderate / high; default thirds of the scale's range.

    Returns
    -------
    ForcesResult

    Raises
    ------
    InputValidationError
        A force with no drivers, an unknown force, ratings NaN or off the scale,
        bad edges; :class:`~kamanalysis.base.errors.InvalidWeightsError` for driver
        weights of a force that do not sum to 1 (or 100).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"force": list(FORCES) * 2, "driver": ["a"] * 5 + ["b"] * 5,
    ...                   "rating": [5, 1, 1, 5, 3, 3, 1, 2, 5, 3]})
    >>> r = score_five_forces(t)
    >>> r.forces["intensity"].tolist()
    [4.0, 1.0, 1.5, 5.0, 3.0]
    >>> r.band
    'moderate'
    """
    require_columns(table, ("force", "driver", "rating"), where=WHERE)
    lo, hi = scale
    edges = check_edges(edges if edges is not None else scale_thirds(scale), where=WHERE)
    if len(edges) != 4:
        raise InputValidationError(
            [Problem(WHERE, "4 band edges", f"{len(edges)}", column="edges")]
        )
    data = table.reset_index(drop=True)
    problems = check_allowed(data, "force", FORCES, where=WHERE, label_by="driver")
    for force in FORCES:
        if not (data["force"] == force).any():
            problems.append(
                Problem(WHERE, f"at least one driver for force {force}", "none", column="driver")
            )
    problems += check_ratings(data, "rating", scale, where=WHERE, label_by="driver")
    if problems:
        raise InputValidationError(problems)
    rows = {}
    for force in FORCES:
        part = data.loc[data["force"] == force]
        ratings = pd.Series(part["rating"].to_numpy(dtype="float64"), index=part["driver"])
        weighted = "weight" in part and part["weight"].notna().any()
        if weighted:
            weights = pd.Series(part["weight"].to_numpy(dtype="float64"), index=part["driver"])
        else:
            weights = pd.Series(1.0, index=part["driver"])  # equal weights
        intensity = weighted_score(
            ratings,
            weights,
            scale=scale,
            normalize=not weighted,
        )
        rows[force] = {"drivers": len(part), "intensity": intensity}
    forces = pd.DataFrame.from_dict(rows, orient="index")
    forces.index.name = "force"
    forces["level"] = band(forces["intensity"], edges, LEVELS)
    intensity = float(forces["intensity"].mean())
    attractiveness = float(np.clip(lo + hi - intensity, lo, hi))
    return ForcesResult(
        forces, intensity, attractiveness, band(attractiveness, edges, LEVELS), edges
    )


def plot_five_forces(result: ForcesResult, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Radar of the five force intensities.

    ``ax`` must be a polar Axes when given (``plt.subplots(subplot_kw={"projection": "polar"})``);
    ``lang`` (en or zh) sets the language of the title and the force names.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"force": list(FORCES), "driver": ["d"] * 5, "rating": [4, 2, 2, 4, 3]})
    >>> ax = plot_five_forces(score_five_forces(t))
    >>> ax.name, len(ax.get_xticklabels())
    ('polar', 5)
    """
    ax = radar(
        ax,
        [text(f"chart.force.{f}", lang) for f in result.forces.index],
        {"intensity": result.forces["intensity"].tolist()},
        scales=(result.edges[0], result.edges[-1]),
        colors={"intensity": COLORS["bad"]},
        where="plot_five_forces",
    )
    title = text(
        "chart.forces.title", lang, value=result.attractiveness, band=label(result.band, lang)
    )
    ax.set_title(title, pad=20)
    return ax
