"""Composition on the sample engagement: the story shows in the external and position results."""

from __future__ import annotations

import pytest

import kamanalysis as kam
from kamanalysis.diagnosis import (
    competitive_strength,
    external_environment,
    position_history,
    strategic_position,
)


def test_external_environment_of_each_bu(sample):
    for bu in sample.bu_ids:
        ext = external_environment(sample, bu)
        assert ext.quarter == "2026Q3"
        assert len(ext.pest.factors) == 8 and set(ext.pest.factors["experts"]) == {3}
        assert 1 <= ext.forces.attractiveness <= 5


def test_weakening_bu_shows_it(sample):
    ic = external_environment(sample, "IC")
    assert ic.pest.net < 0  # threats outweigh opportunities by now
    assert ic.trajectory.assets_threatened
    history = position_history(sample, "IC")
    assert history["ife"].iloc[-1] < history["ife"].iloc[0]
    assert history["strength"].iloc[-1] < history["strength"].iloc[0] - 0.5
    assert history["ie_strategy"].iloc[-1] == "harvest or divest"
    pv = strategic_position(sample).loc["PV"]
    assert pv["ge_strategy"] == "invest/grow"


def test_strength_is_the_self_benchmark_score(sample):
    scores = competitive_strength(sample, "IC")
    bm = sample.benchmark
    rows = bm.loc[(bm["bu_id"] == "IC") & (bm["quarter"] == "2026Q3") & (bm["role"] == "self")]
    expected = (rows["weight"] * rows["rating"]).sum()
    assert scores["Huaxin Industrial Coatings"] == pytest.approx(expected)
    assert strategic_position(sample).loc["IC", "strength"] == pytest.approx(expected)


def test_quarter_without_workshop_rows_is_named(sample):
    with pytest.raises(
        kam.InputValidationError,
        match="pest.csv, column quarter: expected rows for BU PV in 2020Q1",
    ):
        external_environment(sample, "PV", "2020Q1")
