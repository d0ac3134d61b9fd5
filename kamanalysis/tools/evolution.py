"""McGahan's industry-evolution trajectories (产业演变轨迹).

McGahan (2004, *How Industries Evolve*) classifies an industry's change by two
threats of obsolescence: to its **core activities** (what firms routinely do with
suppliers and buyers) and to its **core assets** (the durable resources that make a
firm distinctive).

================  ======================  =================
trajectory        core activities         core assets
================  ======================  =================
progressive 渐进型  not threatened          not threatened
creative 创造型     not threatened          threatened
intermediating 中介型  threatened           not threatened
radical 激进型      threatened              threatened
================  ======================  =================

Each threat is the mean rating of its indicators; it counts as threatened when the
mean is at or above ``threshold`` (a value exactly on the threshold is threatened).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"indicator": ["bypass", "routines", "tech", "brand"],
...                   "threat_to": ["core_activities"] * 2 + ["core_assets"] * 2,
...                   "rating": [2, 1, 4, 5]})
>>> classify_trajectory(t).trajectory
'creative'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..base._validation import check_allowed, check_ratings, describe, require_columns
from ..base.errors import InputValidationError, Problem
from ..base.schema import DEFAULT_SCALES, THREATS

TRAJECTORIES = {
    (False, False): "progressive",
    (False, True): "creative",
    (True, False): "intermediating",
    (True, True): "radical",
}
CHINESE = {
    "progressive": "渐进型",
    "creative": "创造型",
    "intermediating": "中介型",
    "radical": "激进型",
}
WHERE = "classify_trajectory"


@dataclass(frozen=True)
class Trajectory:
    """The classified trajectory and what drove it.

    Attributes
    ----------
    trajectory : str
        progressive, creative, intermediating or radical.
    activities_score, assets_score : float
        Mean indicator rating of each threat.
    activities_threatened, assets_threatened : bool
    drivers : DataFrame
        The indicators that agree with their threat's verdict (rated at or above the
        threshold for a threatened dimension, below it otherwise), strongest first.
    conflicts : DataFrame
        Indicators that point the other way from their dimension's verdict.
    conflicting : bool
        True when any indicator points the other way.
    """

    trajectory: str
    activities_score: float
    assets_score: float
    activities_threatened: bool
    assets_threatened: bool
    drivers: pd.DataFrame
    conflicts: pd.DataFrame

    @property
    def conflicting(self) -> bool:
        """True when some indicators point opposite to their dimension's verdict."""
        return not self.conflicts.empty

    @property
    def chinese(self) -> str:
        """The trajectory's Chinese name."""
        return CHINESE[self.trajectory]


def classify_trajectory(
    table: pd.DataFrame,
    *,
    threshold: float = 3.0,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
) -> Trajectory:
    """Classify the industry's evolution trajectory from threat indicators.

    Parameters
    ----------
    table : DataFrame
        Columns ``indicator``, ``threat_to`` (core_activities or core_assets) and
        ``rating`` (5 = strong threat). Usually one BU and quarter of the
        engagement's ``evolution`` table.
    threshold : float
        Mean rating at or above which a threat counts; default 3.0, the middle of 1-5.
    scale : (lo, hi)
        Rating scale.

    Returns
    -------
    Trajectory

    Raises
    ------
    InputValidationError
        No indicator for one of the threats, an unknown ``threat_to``, a rating
        NaN or off the scale, a threshold off the scale.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"indicator": ["bypass", "routines", "tech", "brand"],
    ...                   "threat_to": ["core_activities"] * 2 + ["core_assets"] * 2,
    ...                   "rating": [3, 4, 2, 4]})
    >>> r = classify_trajectory(t)
    >>> r.trajectory, r.assets_score, r.conflicts["indicator"].tolist()
    ('radical', 3.0, ['tech'])
    """
    require_columns(table, ("indicator", "threat_to", "rating"), where=WHERE)
    data = table.reset_index(drop=True)
    problems = check_ratings(data, "rating", scale, where=WHERE, label_by="indicator")
    if not scale[0] <= threshold <= scale[1]:
        problems.append(
            Problem(
                WHERE,
                f"a threshold from {scale[0]:g} to {scale[1]:g}",
                describe(threshold),
                column="threshold",
            )
        )
    problems += check_allowed(data, "threat_to", THREATS, where=WHERE, label_by="indicator")
    for threat in THREATS:
        if not (data["threat_to"] == threat).any():
            problems.append(
                Problem(
                    WHERE,
                    f"at least one indicator of threat to {threat}",
                    "none",
                    column="indicator",
                )
            )
    if problems:
        raise InputValidationError(problems)
    scores, verdicts = {}, {}
    for threat in THREATS:
        scores[threat] = float(data.loc[data["threat_to"] == threat, "rating"].mean())
        verdicts[threat] = scores[threat] >= threshold
    points_up = data["rating"] >= threshold
    agrees = points_up == data["threat_to"].map(verdicts)
    cols = ["indicator", "threat_to", "rating"]
    drivers = data.loc[agrees, cols].sort_values("rating", ascending=False, kind="stable")
    conflicts = data.loc[~agrees, cols]
    return Trajectory(
        TRAJECTORIES[(verdicts["core_activities"], verdicts["core_assets"])],
        scores["core_activities"],
        scores["core_assets"],
        verdicts["core_activities"],
        verdicts["core_assets"],
        drivers.reset_index(drop=True),
        conflicts.reset_index(drop=True),
    )
