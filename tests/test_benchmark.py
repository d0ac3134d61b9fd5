"""Benchmarking: competitive strength, boards, radar; a published example and properties."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import CPM_RATINGS, CPM_WEIGHTS
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.core.charts import get_axes
from kamanalysis.tools.benchmark import (
    SCALE_MODES,
    boards,
    compare_factors,
    competitive_strength,
    plot_benchmark_radar,
    score_benchmark,
    strength_over_time,
)


# F. R. David, Strategic Management: Concepts and Cases, 13th ed. (Prentice Hall, 2011),
# Table 3-14 "Another Example Competitive Profile Matrix", p. 82: weights and ratings
# (1-4) of three companies; published weighted totals 2.83, 2.28 and 3.68. The weights
# and ratings are read from a reproduction of the
# table (digilib.universitaspertamina.ac.id, "Strategic management", page 116). They
# reproduce all three published totals exactly: that checks them in sum, not one by one.
# The data (CPM_WEIGHTS, CPM_RATINGS) are kept once, in conftest.py.
def cpm_table() -> pd.DataFrame:
    rows = [
        {"factor": f, "weight": w, "company": c, "rating": CPM_RATINGS[c].iloc[i]}
        for c in CPM_RATINGS
        for i, (f, w) in enumerate(CPM_WEIGHTS.items())
    ]
    return pd.DataFrame(rows)


def small(ratings: dict[str, list[float]], weights=(0.5, 0.3, 0.2)) -> pd.DataFrame:
    factors = ["price", "quality", "service"][: len(weights)]
    return pd.DataFrame(
        [
            {"factor": f, "weight": w, "company": c, "rating": r[i], "role": "competitor"}
            for c, r in ratings.items()
            for i, (f, w) in enumerate(zip(factors, weights, strict=True))
        ]
    )


def test_david_competitive_profile_matrix_table_3_14():
    result = competitive_strength(cpm_table(), focal="Company 1", scale=(1, 4))
    assert result["weighted_score"].round(2).to_dict() == {
        "Company 3": 3.68,
        "Company 1": 2.83,
        "Company 2": 2.28,
    }
    assert result["rank"].tolist() == [1, 2, 3]
    assert result.attrs["leader"] == "Company 3"
    assert result.loc["Company 1", "gap_to_leader"] == pytest.approx(2.83 - 3.68)
    assert result.loc["Company 1", "index_to_leader"] == pytest.approx(2.83 / 3.68 * 100)
    assert list(result.columns) == ["weighted_score", "rank", "gap_to_leader", "index_to_leader"]


def test_david_cpm_boards_of_company_1_against_the_leader():
    f = compare_factors(cpm_table(), focal="Company 1")
    assert f.attrs["reference"] == "Company 3"
    assert f.loc["Price competitive", "board"] == "long"  # 4 against 3
    assert f.loc["Organization structure", "board"] == "long"  # 3 against 2
    b = boards(cpm_table(), focal="Company 1")
    assert b.loc[b["board"] == "long"].index.tolist() == [
        "Organization structure",  # 0.05 x (3 - 2)
        "Price competitive",  # 0.02 x (4 - 3)
    ]
    assert b.loc[b["board"] == "short"].index.tolist() == [
        "Financial position",  # 0.10 x (2 - 4)
        "Inventory system",  # 0.08 x (2 - 4)
        "Global expansion",  # 0.15 x (3 - 4), tied with market share: name order
        "Market share",
        "Customer service",
        "E-commerce",
        "Production capacity",
        "Consumer loyalty",
    ]
    assert f.loc["Management experience", "best_company"] == "Company 2"
    assert f.loc["Management experience", "gap_to_best"] == -2


def test_percent_weights_give_the_same_scores():
    percent = cpm_table().assign(weight=lambda t: t["weight"] * 100)
    a = competitive_strength(percent, focal="Company 1")
    b = competitive_strength(cpm_table(), focal="Company 1")
    pd.testing.assert_frame_equal(a, b)


def test_tie_for_leader_goes_to_the_heaviest_factor_then_the_name():
    # both score 3.0; B is better on price (the heaviest factor)
    t = small({"A": [2, 4, 4], "B": [4, 2, 2]})
    r = competitive_strength(t, focal="A")
    assert r["weighted_score"].tolist() == pytest.approx([3.0, 3.0])
    assert r.attrs["leader"] == "B" and r.loc["B", "rank"] == 1
    same = small({"Zed": [3, 3, 3], "Ann": [3, 3, 3]})
    assert competitive_strength(same, focal="Zed").index.tolist() == ["Ann", "Zed"]


def test_boards_against_the_runner_up_when_the_focal_company_leads():
    r = score_benchmark(small({"us": [5, 3, 4], "them": [3, 4, 4]}), focal="us")
    assert (r.leader, r.reference) == ("us", "them")
    assert r.boards["board"].to_dict() == {"price": "long", "quality": "short"}
    assert r.factors.loc["service", "board"] == "even"


def test_boards_are_ranked_by_weight_times_gap():
    t = small({"us": [3, 1, 1], "lead": [4, 4, 4]}, weights=(0.5, 0.3, 0.2))
    b = boards(t, focal="us")
    # gaps -1, -3, -3: weighted -0.5, -0.9, -0.6
    assert b.index.tolist() == ["quality", "service", "price"]
    assert b["rank"].tolist() == [1, 2, 3]


def test_min_gap_makes_small_differences_even():
    t = small({"us": [3.5, 1, 4], "lead": [4, 4, 4]})
    assert compare_factors(t, focal="us", min_gap=0.5)["board"].tolist() == [
        "even",
        "short",
        "even",
    ]


def test_strength_over_time_names_a_quarter_without_the_focal_company():
    a = small({"us": [4, 4, 4], "lead": [3, 3, 3]}).assign(quarter="2026Q1")
    b = small({"us": [2, 2, 2], "lead": [3, 3, 3]}).assign(quarter="2026Q2")
    h = strength_over_time(pd.concat([b, a]), focal="us")
    assert h.index.tolist() == ["2026Q1", "2026Q2"]
    assert h["rank"].tolist() == [1, 2]
    assert h["index_to_leader"].tolist() == pytest.approx([100.0, 200 / 3])
    c = small({"lead": [3, 3, 3], "x": [1, 1, 1]}).assign(quarter="2026Q3")
    with pytest.raises(kam.InputValidationError, match='strength_over_time 2026Q3.*got "us"'):
        strength_over_time(pd.concat([a, c]), focal="us")


def test_sample_ic_trails_both_leaders(sample):
    bm = sample.benchmark
    rows = bm.loc[(bm["bu_id"] == "IC") & (bm["quarter"] == "2026Q3")]
    r = score_benchmark(rows, focal="Huaxin Industrial Coatings", scale=(1, 5))
    assert r.leaders == ("Hempmark Coatings", "Zijin Paint 紫金涂料")
    assert r.companies.loc["Huaxin Industrial Coatings", "rank"] == 4
    assert set(r.factors["board"]) == {"short"}


# ----------------------------------------------------------------------------- bad input


BAD = [
    # companies rated on different factor sets: 'service' missing for B
    (
        small({"A": [3, 3, 3], "B": [4, 4, 4]}).drop(index=5),
        kam.InputValidationError,
        "no rating of 'service' for 'B'",
    ),
    # a factor missing for the leader (B would lead)
    (
        small({"A": [3, 3, 3], "B": [5, 5, 5]})
        .assign(role=["self"] * 3 + ["leader"] * 3)
        .drop(index=3),
        kam.InputValidationError,
        r"no rating of 'price' for 'B' \(role leader\)",
    ),
    # two weights for one factor
    (
        small({"A": [3, 3, 3], "B": [4, 4, 4]}).assign(weight=[0.5, 0.3, 0.2, 0.4, 0.3, 0.2]),
        kam.InvalidWeightsError,
        "weight of factor 'price': expected one weight per factor.*got weights 0.4, 0.5",
    ),
    # weights not summing to 1
    (
        small({"A": [3, 3, 3], "B": [4, 4, 4]}, weights=(0.5, 0.3, 0.25)),
        kam.InvalidWeightsError,
        "got a sum of 1.05",
    ),
    # a negative weight
    (
        small({"A": [3, 3, 3], "B": [4, 4, 4]}, weights=(0.9, 0.3, -0.2)),
        kam.InvalidWeightsError,
        "weight of 'service': expected a weight >= 0, got -0.2",
    ),
    # a rating off the scale
    (
        small({"A": [3, 3, 9], "B": [4, 4, 4]}),
        kam.InputValidationError,
        "rating of 'service' for 'A': expected a rating from 1 to 5, got 9",
    ),
    # the same company rated twice on a factor
    (
        pd.concat([small({"A": [3, 3, 3], "B": [4, 4, 4]}), small({"A": [2, 3, 3]}).head(1)]),
        kam.InputValidationError,
        "rating of 'price' for 'A': expected one rating per company and factor, got 2 rows",
    ),
]


@pytest.mark.parametrize(("table", "error", "message"), BAD)
def test_bad_input_is_named(table, error, message):
    with pytest.raises(error, match=message):
        competitive_strength(table, focal="A", scale=(1, 5))


def test_focal_company_not_in_the_table():
    with pytest.raises(kam.InputValidationError, match=r'companies rated \(A, B\), got "C"'):
        competitive_strength(small({"A": [3, 3, 3], "B": [4, 4, 4]}), focal="C")


def test_missing_column_is_named():
    with pytest.raises(kam.InputValidationError, match="column named weight"):
        competitive_strength(small({"A": [3, 3, 3]}).drop(columns="weight"), focal="A")


def test_every_problem_in_one_pass():
    t = small({"A": [3, 3, 9], "B": [4, 4, 4]}).drop(index=3)
    with pytest.raises(kam.InputValidationError) as info:
        competitive_strength(t, focal="C", scale=(1, 5))
    assert len(info.value.problems) == 3


# ----------------------------------------------------------------------------- radar


@pytest.mark.parametrize("mode", SCALE_MODES)
def test_radar_draws_focal_and_leaders_in_every_scale_mode(sample, mode):
    bm = sample.benchmark
    rows = bm.loc[(bm["bu_id"] == "IC") & (bm["quarter"] == "2026Q3")]
    r = score_benchmark(rows, focal="Huaxin Industrial Coatings", scale=(1, 5))
    ax = plot_benchmark_radar(r, scale_mode=mode)
    labels = [line.get_label() for line in ax.lines]
    assert labels == [
        "Huaxin Industrial Coatings",
        "Hempmark Coatings (leader)",
        "Zijin Paint 紫金涂料 (named leader)",  # one leader; the other named so by the data
    ]
    assert ax.get_title() and len(ax.get_xticklabels()) == 8
    marked = [t.get_text() for t in ax.get_xticklabels() if t.get_text().endswith("▼")]
    assert len(marked) == 3  # the three heaviest short boards
    if mode == "leader":
        leader_line = ax.lines[1].get_ydata()
        assert list(leader_line) == pytest.approx([100.0] * 9)
    if mode == "minmax":
        assert ax.get_ylim() == (0.0, 1.0)
    plt.close(ax.figure)


def test_radar_with_all_rivals():
    r = score_benchmark(small({"us": [3, 1, 1], "lead": [4, 4, 4], "x": [2, 2, 5]}), focal="us")
    ax = plot_benchmark_radar(r, rivals="all", marks=1)
    assert len(ax.lines) == 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["price", "quality ▼", "service"]
    plt.close(ax.figure)


def test_radar_on_a_flat_axes_says_how_to_make_a_polar_one():
    r = score_benchmark(small({"us": [3, 1, 1], "lead": [4, 4, 4]}), focal="us")
    _fig, flat = plt.subplots()
    with pytest.raises(kam.InputValidationError, match="projection.*polar.*got a rectilinear"):
        plot_benchmark_radar(r, ax=flat)
    polar = get_axes(None, polar=True)
    assert plot_benchmark_radar(r, ax=polar) is polar
    plt.close("all")


def test_radar_rejects_an_unknown_scale_mode():
    r = score_benchmark(small({"us": [3, 1, 1], "lead": [4, 4, 4]}), focal="us")
    with pytest.raises(kam.InputValidationError, match="scale_mode: expected one of fixed"):
        plot_benchmark_radar(r, scale_mode="log")
    plt.close("all")


# ----------------------------------------------------------------------------- properties

ratings = st.lists(st.integers(1, 5), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(a=ratings, b=ratings, c=ratings, seed=st.randoms(use_true_random=False))
def test_no_dependence_on_row_order_and_input_unchanged(a, b, c, seed):
    t = small({"A": a, "B": b, "C": c})
    before = t.copy()
    expected = competitive_strength(t, focal="A")
    rows = list(t.index)
    seed.shuffle(rows)
    shuffled = t.loc[rows]
    pd.testing.assert_frame_equal(t, before)
    pd.testing.assert_frame_equal(competitive_strength(shuffled, focal="A"), expected)
    pd.testing.assert_frame_equal(
        compare_factors(shuffled, focal="A"), compare_factors(t, focal="A")
    )


@settings(max_examples=60, deadline=None)
@given(a=ratings, b=ratings, factor=st.integers(0, 2))
def test_raising_the_focal_rating_never_lowers_its_score(a, b, factor):
    t = small({"A": a, "B": b})
    raised = list(a)
    raised[factor] = min(5, raised[factor] + 1)
    before = competitive_strength(t, focal="A")
    after = competitive_strength(small({"A": raised, "B": b}), focal="A")
    assert after.loc["A", "weighted_score"] >= before.loc["A", "weighted_score"]
    assert after.loc["A", "rank"] <= before.loc["A", "rank"]
