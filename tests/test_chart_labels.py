"""Issue 20, item 5: no text of a report's charts overlaps another, no legend lies on the data.

Every chart of the sample's reports (each BU, in English and in Chinese) is drawn through
the report's own sections (:class:`kamanalysis.report.sections.Report`, with its charts
kept instead of embedded and its tables skipped) and measured with the renderer
(:func:`kamanalysis.core.overlaps.text_overlaps`): titles, axis and tick labels,
annotations and legends, rotated texts as drawn.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.core.charts import bubble_matrix, legend_outside, place_labels
from kamanalysis.core.overlaps import text_overlaps
from kamanalysis.report.display import SECTIONS
from kamanalysis.report.sections import Report

BUS = ("PV", "IC", "MC")


def report_figures(eng, bu_id: str, lang: str, monkeypatch) -> list:
    """Every figure one BU's report shows, in the report's order."""
    figures = []
    monkeypatch.setattr(Report, "_chart", lambda self, fig: figures.append(fig.get_figure()))
    monkeypatch.setattr(Report, "_table", lambda self, frame, **kw: None)
    facts, found = kam.findings.diagnose(eng, bu_id, lang=lang)
    report = Report(eng, bu_id, facts, found, lang)
    for key in ("history", *SECTIONS):
        for _ in report.parts(key):
            pass
    return figures


@pytest.mark.slow  # every chart of every sample report: about 80 s
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("bu_id", BUS)
def test_no_label_of_a_report_chart_overlaps_another(sample, bu_id, lang, monkeypatch):
    figures = report_figures(sample, bu_id, lang, monkeypatch)
    try:
        assert len(figures) >= 10  # history, revenue, PEST, forces, grids, radars, ...
        found = {
            " | ".join(ax.get_title() for ax in fig.axes): overlaps
            for fig in figures
            if (overlaps := text_overlaps(fig))
        }
        assert found == {}
    finally:
        for fig in figures:
            plt.close(fig)


def test_the_measure_finds_overlapping_labels_and_a_legend_on_the_data():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([1, 2], [1, 2], label="accounts")
    ax.annotate("Quality manager", (1.5, 1.5))
    ax.annotate("Chief engineer", (1.52, 1.5))
    ax.set_xticks([1, 1.02], ["decider", "influencer"])
    ax.legend(loc="center")
    found = text_overlaps(fig)
    assert ("Quality manager", "Chief engineer") in found
    assert ("decider", "influencer") in found
    assert ("legend: accounts", "axes: ") in found
    plt.close(fig)


def test_rotated_labels_are_measured_as_drawn():
    # side by side at 30 degrees, the upright boxes around them overlap, the texts do not
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_xticks(range(4), ["maintain relationship", "focus development"] * 2, rotation=30)
    assert text_overlaps(fig) == []
    plt.close(fig)


def test_labels_at_one_spot_are_placed_apart_and_stay_inside_the_axes():
    # two accounts at the same spot and one at the top edge: every name on its own place
    ax = bubble_matrix(
        None,
        [2.0, 2.0, 3.0],
        [2.0, 2.0, 5.0],
        x_edges=[1, 3, 5],
        y_edges=[1, 3, 5],
        labels=["first", "second", "top"],
        size=[3, 2, 1],
    )
    ax.set_title("Key-account selection matrix")
    assert sorted(t.get_text() for t in ax.texts if t.get_visible() and len(t.get_text()) < 7) == [
        "first",
        "second",
        "top",
    ]
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def test_labels_placed_again_after_the_layout_shrinks_the_axes():
    # placed on a large axes, the names would overlap once a constrained layout shrinks it
    fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
    ax.set_xlim(0, 1), ax.set_ylim(0, 1)
    x = np.linspace(0.3, 0.34, 6)
    place_labels(ax, x, x, [f"account {i}" for i in range(6)], range(6))
    fig.set_size_inches(3, 2.5)
    assert text_overlaps(fig) == []
    plt.close(fig)


def test_a_bubble_named_on_itself_moves_beside_when_another_covers_it():
    positions = pd.DataFrame(
        {"ife": [2.6, 2.58], "efe": [2.9, 2.82], "label": ["PV", "MC"], "revenue": [6.4, 5.5]},
        index=["PV", "MC"],
    )
    ax = kam.plot_ie_matrix(positions)
    assert text_overlaps(ax.figure) == []
    shown = [t for t in ax.texts if t.get_text() in ("PV", "MC")]
    assert [t.get_visible() for t in shown] == [True, True]
    plt.close(ax.figure)


def test_legends_outside_stack_without_overlapping():
    fig, ax = plt.subplots(figsize=(9, 7), layout="constrained")
    dots = ax.scatter([1, 2], [1, 2])
    for side in ("right", "below"):
        for title in ("colour", "shading", "bubble area"):
            legend_outside(ax, [dots], [f"{title}, a long explanation"], title=title, side=side)
    assert text_overlaps(fig) == []
    plt.close(fig)


def test_count_axes_show_whole_numbers(sample):
    portfolio = kam.diagnosis.key_account_portfolio(sample, "IC")
    ax = kam.plot_stage_distribution(portfolio)
    ticks = ax.get_yticks()
    assert np.allclose(ticks, np.round(ticks))
    plt.close(ax.figure)


def test_one_leader_on_the_radar(sample):
    cp = kam.diagnosis.competitive_position(sample, "PV")
    ax = kam.plot_benchmark_radar(cp.benchmark)
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum(n.endswith("(leader)") for n in names) == 1
    assert any(n.endswith("(named leader)") for n in names)
    plt.close(ax.figure)
