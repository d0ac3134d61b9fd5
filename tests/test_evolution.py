"""McGahan trajectories: each quadrant, the threshold boundary, drivers and conflicts."""

from __future__ import annotations

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.tools.evolution import classify_trajectory


def table(activities: list[float], assets: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": [f"act {i}" for i in range(len(activities))]
            + [f"asset {i}" for i in range(len(assets))],
            "threat_to": ["core_activities"] * len(activities) + ["core_assets"] * len(assets),
            "rating": activities + assets,
        }
    )


@pytest.mark.parametrize(
    ("activities", "assets", "expected"),
    [
        ([1, 2], [2, 1], "progressive"),
        ([1, 2], [4, 5], "creative"),
        ([4, 5], [1, 2], "intermediating"),
        ([4, 5], [5, 4], "radical"),
    ],
)
def test_the_four_trajectories(activities, assets, expected):
    r = classify_trajectory(table(activities, assets))
    assert r.trajectory == expected
    assert not r.conflicting


def test_a_mean_exactly_on_the_threshold_is_threatened():
    r = classify_trajectory(table([3, 3], [2.99, 2.99]))
    assert (r.activities_threatened, r.assets_threatened) == (True, False)
    assert r.trajectory == "intermediating" and r.chinese == "中介型"


def test_drivers_and_conflicts_are_reported():
    r = classify_trajectory(table([5, 4, 1], [1, 2]))
    assert r.trajectory == "intermediating"  # activities mean 3.33
    assert r.drivers["indicator"].tolist() == ["act 0", "act 1", "asset 1", "asset 0"]
    assert r.conflicts["indicator"].tolist() == ["act 2"]
    assert r.conflicting


def test_missing_threat_and_bad_values_are_named():
    with pytest.raises(
        kam.InputValidationError, match="expected at least one indicator of threat to core_assets"
    ):
        classify_trajectory(table([3], []))
    bad = table([3], [3])
    bad.loc[1, "threat_to"] = "core_brand"
    with pytest.raises(
        kam.InputValidationError,
        match="threat_to of 'asset 0': expected one of core_activities, core_assets, got \"core_brand\"",
    ):
        classify_trajectory(bad)
    with pytest.raises(kam.InputValidationError, match="expected a threshold from 1 to 5, got 7"):
        classify_trajectory(table([3], [3]), threshold=7)
