"""The weighted-factor core, checked against published worked examples and by properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import CPM_RATINGS, CPM_WEIGHTS
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.core.scoring import band, check_weights, weighted_score


def test_david_competitive_profile_matrix_table_3_14():
    scores = weighted_score(CPM_RATINGS, CPM_WEIGHTS, scale=(1, 4))
    assert scores.round(2).to_dict() == {"Company 1": 2.83, "Company 2": 2.28, "Company 3": 3.68}


def test_slide_ge_portfolio_example():
    # "Portfolio Analysis: GE Tool for Analyzing Opportunities & Ability to Compete",
    # GE Portfolio Example slide (seen at slideplayer.com/amp/5074622 and
    # scribd 280215-GE-Portfolio-Matrix): market 3.32, business 2.66 on a 1-5 scale.
    market = weighted_score(
        pd.Series({"Size": 5, "Growth": 3, "Profit margins": 2}),
        {"Size": 0.33, "Growth": 0.33, "Profit margins": 0.34},
        scale=(1, 5),
    )
    business = weighted_score(
        pd.Series({"Market share": 1, "Product quality": 5, "Distribution net": 2}),
        {"Market share": 0.33, "Product quality": 0.33, "Distribution net": 0.34},
        scale=(1, 5),
    )
    assert (round(market, 2), round(business, 2)) == (3.32, 2.66)
    assert kam.ge_cell(market, business) == ("medium", "medium", "selectivity/earnings")


def test_percent_weights_equal_fraction_weights():
    percent = {k: v * 100 for k, v in CPM_WEIGHTS.items()}
    a = weighted_score(CPM_RATINGS, percent)
    b = weighted_score(CPM_RATINGS, CPM_WEIGHTS)
    pd.testing.assert_series_equal(a, b)


# ----------------------------------------------------------------------------- bad input


def test_weights_summing_to_1_05_name_the_sum():
    with pytest.raises(kam.InvalidWeightsError, match="got a sum of 1.05"):
        weighted_score(pd.Series({"a": 3, "b": 3}), {"a": 0.5, "b": 0.55})


def test_normalize_accepts_any_positive_weights():
    assert weighted_score(pd.Series({"a": 4, "b": 2}), {"a": 3, "b": 1}, normalize=True) == 3.5


@pytest.mark.parametrize(
    ("ratings", "weights", "message"),
    [
        (
            pd.Series({"a": 5, "b": 3}),
            {"a": 0.5, "b": 0.5},
            "column rating of 'a': expected a rating from 1 to 4, got 5",
        ),
        (
            pd.Series({"a": 3, "b": math.nan}),
            {"a": 0.5, "b": 0.5},
            "column rating of 'b': expected a number, got blank",
        ),
        (
            pd.Series({"a": 3, "b": 3, "c": 3}),
            {"a": 0.5, "b": 0.5},
            "expected a weight for every rated factor, got no weight for 'c'",
        ),
        (
            pd.Series({"a": 3}),
            {"a": 0.5, "b": 0.5},
            "expected a rating for every weighted factor, got no rating for 'b'",
        ),
        (
            pd.Series({"a": "x", "b": 3}),
            {"a": 0.5, "b": 0.5},
            "rating of 'a': expected a number, got \"x\"",
        ),
    ],
)
def test_bad_ratings_are_named(ratings, weights, message):
    with pytest.raises(kam.InputValidationError) as info:
        weighted_score(ratings, weights, scale=(1, 4))
    assert any(message in str(p) for p in info.value.problems), info.value


def test_dataframe_rating_problems_name_the_entity():
    frame = CPM_RATINGS.copy()
    frame.loc["Market share", "Company 2"] = 5
    with pytest.raises(kam.InputValidationError, match="rating of 'Market share' for 'Company 2'"):
        weighted_score(frame, CPM_WEIGHTS, scale=(1, 4))


@pytest.mark.parametrize("weights", [{"a": -0.5, "b": 1.5}, {"a": math.nan, "b": 1.0}])
def test_negative_or_missing_weights(weights):
    with pytest.raises(kam.InvalidWeightsError, match="weight of 'a': expected a weight >= 0"):
        check_weights(weights)


# ----------------------------------------------------------------------------- band


def test_band_edges_are_half_open_with_the_top_closed():
    edges, labels = [1, 2, 3, 4], ["low", "mid", "high"]
    assert band(pd.Series([1.0, 2.0, 3.0, 4.0]), edges, labels).tolist() == [
        "low",
        "mid",
        "high",
        "high",
    ]
    assert band(math.nextafter(2.0, 0), edges, labels) == "low"


@pytest.mark.parametrize("edges", [[1, 3, 2, 4], [1, 2, 2, 4], [1], [1, math.nan, 3, 4]])
def test_band_rejects_edges_that_do_not_increase(edges):
    with pytest.raises(kam.InputValidationError, match="expected strictly increasing numbers"):
        band(2.5, edges, ["a", "b", "c"][: max(1, len(edges) - 1)])


@pytest.mark.parametrize("value", [0.99, 4.01, math.nan])
def test_band_rejects_values_outside_every_band(value):
    with pytest.raises(kam.InputValidationError, match="expected a value from 1 to 4"):
        band(value, [1, 2, 3, 4], ["low", "mid", "high"])


def test_band_needs_one_label_per_band():
    with pytest.raises(kam.InputValidationError, match="3 labels for 4 edges"):
        band(2, [1, 2, 3, 4], ["a", "b"])


# ----------------------------------------------------------------------------- properties

factor_names = st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=8, unique=True)


@st.composite
def rated_factors(draw, lo=1, hi=5):
    names = draw(factor_names)
    ratings = [draw(st.floats(lo, hi, allow_nan=False)) for _ in names]
    raw = [draw(st.floats(0.01, 10, allow_nan=False)) for _ in names]
    total = math.fsum(raw)
    weights = {n: w / total for n, w in zip(names, raw, strict=True)}
    return pd.Series(ratings, index=names, dtype="float64"), weights


@settings(max_examples=200, deadline=None)
@given(rated_factors())
def test_score_stays_on_the_scale(case):
    ratings, weights = case
    score = weighted_score(ratings, weights, scale=(1, 5), normalize=True)
    assert 1 <= score <= 5
    assert ratings.min() <= score <= ratings.max()


@settings(max_examples=200, deadline=None)
@given(rated_factors(), st.randoms())
def test_score_does_not_depend_on_factor_order(case, rnd):
    ratings, weights = case
    order = list(ratings.index)
    rnd.shuffle(order)
    shuffled_weights = {k: weights[k] for k in reversed(order)}
    assert weighted_score(ratings[order], shuffled_weights, normalize=True) == weighted_score(
        ratings, weights, normalize=True
    )


@settings(max_examples=200, deadline=None)
@given(rated_factors())
def test_input_frame_is_left_unchanged(case):
    ratings, weights = case
    frame = pd.DataFrame({"us": ratings, "them": ratings[::-1].to_numpy()})
    before = frame.copy()
    weighted_score(frame, weights, normalize=True)
    pd.testing.assert_frame_equal(frame, before)


@settings(max_examples=200, deadline=None)
@given(rated_factors(), st.data())
def test_raising_a_rating_never_lowers_the_score(case, data):
    ratings, weights = case
    factor = data.draw(st.sampled_from(list(ratings.index)))
    higher = ratings.copy()
    higher[factor] = data.draw(st.floats(ratings[factor], 5, allow_nan=False))
    assert weighted_score(higher, weights, normalize=True) >= weighted_score(
        ratings, weights, normalize=True
    )


def test_text_weight_is_named_with_its_value():
    with pytest.raises(
        kam.InvalidWeightsError, match="weight of 'b': expected a weight >= 0, got \"x\""
    ):
        check_weights({"a": 0.5, "b": "x"})


def test_an_entity_called_score_is_still_named():
    frame = pd.DataFrame({"score": [9, 3]}, index=["a", "b"])
    with pytest.raises(kam.InputValidationError, match="rating of 'a' for 'score'"):
        weighted_score(frame, {"a": 0.5, "b": 0.5}, scale=(1, 5))
