"""Five forces: intensity per force, attractiveness band, bad input, properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base.schema import FORCES
from kamanalysis.tools.forces import score_five_forces


def table(ratings: list[float], weights=None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "force": [f for f in FORCES for _ in range(2)],
            "driver": [f"{f} {i}" for f in FORCES for i in range(2)],
            "rating": ratings,
        }
    )
    if weights is not None:
        frame["weight"] = weights
    return frame


def test_equal_and_given_weights():
    r = score_five_forces(table([5, 3, 1, 1, 2, 2, 4, 4, 3, 5]))
    assert r.forces["intensity"].tolist() == [4.0, 1.0, 2.0, 4.0, 4.0]
    assert r.intensity == 3.0 and r.attractiveness == 3.0 and r.band == "moderate"
    assert r.forces["level"].tolist() == ["high", "low", "low", "high", "high"]
    weighted = score_five_forces(table([5, 3, 1, 1, 2, 2, 4, 4, 3, 5], [0.75, 0.25] * 5))
    assert weighted.forces.loc["rivalry", "intensity"] == 4.5


@pytest.mark.parametrize(("rating", "expected"), [(1, "high"), (3, "moderate"), (5, "low")])
def test_strong_forces_make_an_unattractive_industry(rating, expected):
    assert score_five_forces(table([rating] * 10)).band == expected


def test_band_boundaries_belong_to_the_upper_band():
    # attractiveness = 6 - intensity; edges 1, 2, 3, 4 make 3.0 exactly "high"
    r = score_five_forces(table([3] * 10), edges=[1, 2, 3, 5])
    assert r.attractiveness == 3.0 and r.band == "high"
    r = score_five_forces(table([4] * 10), edges=[1, 2, 3, 5])
    assert r.attractiveness == 2.0 and r.band == "moderate"


def test_a_force_with_no_drivers_is_named():
    t = table([3] * 10)
    t = t.loc[t["force"] != "substitutes"]
    with pytest.raises(
        kam.InputValidationError,
        match="expected at least one driver for force substitutes, got none",
    ):
        score_five_forces(t)


def test_nan_rating_and_off_scale_are_named():
    t = table([3] * 10)
    t.loc[0, "rating"] = math.nan
    t.loc[3, "rating"] = 6
    with pytest.raises(kam.InputValidationError) as info:
        score_five_forces(t)
    text = str(info.value)
    assert "rating of 'rivalry 0': expected a rating from 1 to 5, got blank" in text
    assert "rating of 'new_entrants 1': expected a rating from 1 to 5, got 6" in text


def test_driver_weights_off_raise_invalid_weights():
    with pytest.raises(kam.InvalidWeightsError, match="got a sum of 1.05"):
        score_five_forces(table([3] * 10, [0.5, 0.55] + [0.5, 0.5] * 4))


def test_edges_must_increase():
    with pytest.raises(kam.InputValidationError, match="strictly increasing"):
        score_five_forces(table([3] * 10), edges=[1, 3, 2, 5])


def test_radar_has_five_spokes():
    import matplotlib.pyplot as plt

    ax = kam.plot_five_forces(score_five_forces(table([3] * 10)))
    assert ax.name == "polar" and ax.get_xticklabels()[0].get_text() == "Rivalry"
    plt.close(ax.figure)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=10, max_size=10), st.integers(0, 9), st.integers(1, 5))
def test_attractiveness_on_scale_and_never_rises_with_a_rating(ratings, i, bump):
    before = score_five_forces(table(ratings))
    higher = list(ratings)
    higher[i] = max(higher[i], bump)
    after = score_five_forces(table(higher))
    assert 1 <= before.attractiveness <= 5
    assert after.intensity >= before.intensity
    assert after.attractiveness <= before.attractiveness
