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


def test_the_ge_grid_is_drawn_at_the_cuts_the_positions_were_classified_with(sample):
    import matplotlib.pyplot as plt

    positions = kam.diagnosis.strategic_position(sample, cuts=[2, 3])
    pv = positions.loc["PV"]
    assert pv["attractiveness"] >= 2 and pv["strength"] >= 3  # high/high at these cuts
    assert (pv["ge_row"], pv["ge_column"]) == ("high", "high")
    ax = kam.plot_ge_matrix(positions)
    vertical = [float(line.get_xdata()[0]) for line in ax.lines[:2]]
    horizontal = [float(line.get_ydata()[0]) for line in ax.lines[2:4]]
    assert vertical == [2.0, 3.0] and horizontal == [2.0, 3.0]
    with pytest.raises(kam.InputValidationError, match="the cuts the positions were classified"):
        kam.plot_ge_matrix(positions, cuts=[2.5, 3.5])
    plt.close("all")


def test_positions_are_computed_once_per_engagement_and_can_be_handed_over(
    sample, tmp_path, monkeypatch
):
    first = kam.diagnosis.strategic_position(sample)
    assert kam.diagnosis.strategic_position(sample) is first
    key = "ab" * 32
    path = kam.diagnosis.save_positions(first, tmp_path / "positions.pkl", key)
    monkeypatch.setenv("KAMANALYSIS_RUN_KEY", key)  # as a batch's kernel holds it
    again = kam.diagnosis.strategic_position(sample, precomputed=path)
    assert again.equals(first) and again.attrs["ge_edges"] == first.attrs["ge_edges"]


# ----------------------------------------------------------------------------- issue 6


def test_competitive_strength_is_one_computation_over_the_benchmark_module(sample):
    scores = competitive_strength(sample, "IC")
    table = kam.diagnosis.benchmark(sample, "IC").companies
    assert scores.index.tolist() == table.index.tolist()
    assert scores.tolist() == table["weighted_score"].tolist()
    assert bool(scores.is_monotonic_decreasing)
    assert kam.diagnosis.benchmark(sample, "IC") is kam.diagnosis.benchmark(sample, "IC")


def test_ic_competitive_position_shows_the_gap(sample):
    cp = kam.diagnosis.competitive_position(sample, "IC")
    assert cp.benchmark.companies.loc["Huaxin Industrial Coatings", "rank"] == 4
    assert cp.history["index_to_leader"].iloc[-1] < cp.history["index_to_leader"].iloc[0]
    assert "Operations" in cp.value_chain.loc[cp.value_chain["flagged"], "activity"].tolist()
    assert "Short boards" in cp.summary and "Technical service" in cp.summary


def test_ic_quarterly_review_explains_the_decline(sample):
    r = kam.diagnosis.quarterly_review(sample, "IC")
    assert (r.previous, r.year_ago) == ("2026Q2", "2025Q3")
    changes = r.score_changes
    for measure in ("benchmark", "IFE", "EFE"):
        parts = r.attribution[measure]
        now, year_ago = changes.loc[measure, "now"], changes.loc[measure, "year_ago"]
        assert parts["change_yoy"].sum() == pytest.approx(now - year_ago, abs=1e-9)
        assert now < year_ago  # the decline
    assert r.attribution["benchmark"].index[0] == "Product quality"
    assert r.revenue.loc["2026Q3", "growth_yoy"] < 0
    assert (r.feedback.loc["all", "change"] < 0).all()
    assert len(r.comments) == 5 and (r.comments["score"] <= 2).all()
    ev = r.evaluation["evaluation"]
    assert ev.iloc[-1] < ev.iloc[0]
    text = r.summary
    assert "Product quality" in text and "Competitors quote lower" in text


def test_review_of_the_first_quarter_has_nothing_to_compare_with(sample):
    r = kam.diagnosis.quarterly_review(sample, "PV", "2024Q4")
    assert r.attribution["benchmark"]["change_qoq"].isna().all()
    assert r.score_changes["previous"].isna().all()
    assert "nan" not in r.summary and "n/a" not in r.summary
    assert "not available (the data start in 2024Q4) since 2024Q3" in r.summary
