"""Shared drawing pieces: the grid sits on the edges given, radars check their Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import kamanalysis as kam
from kamanalysis.core.charts import bubble_matrix, get_axes, radar


def grid_lines(ax):
    vertical = [
        float(line.get_xdata()[0])
        for line in ax.lines
        if line.get_xdata()[0] == line.get_xdata()[1]
    ]
    horizontal = [
        float(line.get_ydata()[0])
        for line in ax.lines
        if line.get_ydata()[0] == line.get_ydata()[1]
    ]
    return vertical, horizontal


def test_bubble_matrix_draws_its_grid_on_the_edges_and_limits_on_the_outer_ones():
    ax = bubble_matrix(None, [1, 2], [3, 4], x_edges=[0, 1.5, 2.5, 5], y_edges=[1, 2, 4.5, 5])
    assert grid_lines(ax) == ([1.5, 2.5], [2.0, 4.5])
    assert [float(v) for v in ax.get_xlim()] == [0.0, 5.0]
    plt.close(ax.figure)


def test_top_n_labels_the_largest_only_and_many_points_stay_drawable():
    rng = np.random.default_rng(0)
    n = 20_000
    ax = bubble_matrix(
        None,
        rng.uniform(1, 5, n),
        rng.uniform(1, 5, n),
        x_edges=[1, 3, 5],
        y_edges=[1, 3, 5],
        labels=[f"A{i}" for i in range(n)],
        size=np.arange(n, dtype=float),
        top=10,
    )
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"A{i}" for i in range(n - 10, n))
    assert len(ax.collections[0].get_offsets()) == n
    plt.close(ax.figure)


def test_a_radar_refuses_a_flat_axes_and_says_how_to_make_a_polar_one():
    fig, ax = plt.subplots()
    with pytest.raises(kam.InputValidationError, match=r'projection": "polar"'):
        radar(ax, ["a", "b", "c"], {"us": [1, 2, 3]})
    with pytest.raises(kam.InputValidationError, match="plot_five_forces, column ax"):
        get_axes(ax, polar=True, where="plot_five_forces")
    plt.close(fig)


def test_per_axis_scales_draw_each_value_as_the_fraction_of_its_axis():
    ax = radar(None, ["a", "b", "c"], {"us": [3, 50, 0.5]}, scales=[(1, 5), (0, 100), (0, 1)])
    assert [round(float(v), 6) for v in ax.lines[0].get_ydata()] == [0.5, 0.5, 0.5, 0.5]
    bounds = sorted(t.get_text() for t in ax.texts)
    assert "100" in bounds and "5" in bounds
    plt.close(ax.figure)


@pytest.mark.parametrize("scales", [[(1, 5), (0, 10)], [(5, 1), (0, 1), (0, 1)]])
def test_scales_must_fit_the_axes(scales):
    with pytest.raises(kam.InputValidationError, match="column scales"):
        radar(None, ["a", "b", "c"], {"us": [1, 2, 3]}, scales=scales)
    plt.close("all")


def test_matrix_labels_keep_clear_of_each_other_and_of_the_title():
    # two accounts at the same spot: the second name goes beside the first, not over it
    ax = bubble_matrix(
        None,
        [2.0, 2.0, 3.0],
        [2.0, 2.0, 5.0],
        x_edges=[1, 3, 5],
        y_edges=[1, 3, 5],
        labels=["first", "second", "top"],
        size=[3, 2, 1],
    )
    renderer = ax.figure.canvas.get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    assert not boxes["first"].overlaps(boxes["second"])
    assert boxes["top"].y1 <= ax.get_window_extent(renderer).y1  # below the title
    plt.close(ax.figure)
