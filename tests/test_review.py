"""The quarterly review: time comparison, feedback, evaluation score, change attribution."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base.quarters import quarter_range
from kamanalysis.core.scoring import weighted_score
from kamanalysis.tools.review import (
    evaluation_score,
    explain_change,
    feedback_summary,
    lowest_comments,
    time_comparison,
)

# ----------------------------------------------------------------------------- time


def test_qoq_and_yoy_growth():
    s = pd.Series(
        {
            f"{y}Q{q}": 100.0 + 10 * i
            for i, (y, q) in enumerate([(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1)])
        }
    )
    t = time_comparison(s.iloc[::-1])  # any order in
    assert t.index.tolist() == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    assert t.loc["2025Q2", "growth_qoq"] == pytest.approx(0.1)
    assert t.loc["2026Q1", "growth_yoy"] == pytest.approx(0.4)
    assert t.loc["2026Q1", "change_yoy"] == pytest.approx(40.0)
    assert math.isnan(t.loc["2025Q4", "growth_yoy"])  # no year-ago quarter
    assert t.attrs["missing"] == []


def test_zero_base_gives_nan_never_inf():
    t = time_comparison(pd.Series({"2025Q1": 0.0, "2025Q2": 5.0}))
    assert math.isnan(t.loc["2025Q2", "growth_qoq"])
    assert t.loc["2025Q2", "change_qoq"] == 5.0


def test_missing_quarter_is_reported_or_raised():
    s = pd.Series({"2025Q1": 1.0, "2025Q2": 2.0, "2025Q4": 3.0}, name="revenue")
    t = time_comparison(s)
    assert t.attrs["missing"] == ["2025Q3"]
    assert t["missing"].tolist() == [False, False, True, False]
    assert math.isnan(t.loc["2025Q4", "growth_qoq"])  # its base is the missing quarter
    with pytest.raises(kam.InputValidationError, match="column revenue.*no value for 2025Q3"):
        time_comparison(s, on_missing="raise")


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        (pd.Series({"2025-1": 1.0}), {}, 'expected a quarter written like 2026Q3, got "2025-1"'),
        (pd.Series([1.0, 2.0], index=["2025Q1", "2025Q1"]), {}, "each quarter once"),
        (pd.Series({"2025Q1": 1.0}), {"on_missing": "skip"}, "one of report, raise"),
    ],
)
def test_bad_time_series(series, kwargs, message):
    with pytest.raises(kam.InputValidationError, match=message):
        time_comparison(series, **kwargs)


def test_revenue_by_quarter_uses_the_time_comparison(sample):
    table = kam.revenue_by_quarter(sample.for_bu("IC"))
    t = time_comparison(table["revenue"])
    pd.testing.assert_series_equal(table["growth_yoy"], t["growth_yoy"], check_names=False)
    assert table.loc["2026Q3", "growth_yoy"] == pytest.approx(-0.17, abs=0.03)  # the story


# ----------------------------------------------------------------------------- feedback


def feedback_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quarter": ["2026Q2"] * 2 + ["2026Q3"] * 4,
            "source": ["key_account", "dealer", "key_account", "key_account", "dealer", "dealer"],
            "respondent_id": ["A", "d", "A", "B", "d", "e"],
            "dimension": ["price", "delivery", "price", "price", "delivery", "delivery"],
            "score": [4, 3, 2, 3, 1, 5],
            "comment": [None, None, "too dear", "", "late again", "ok"],
        }
    )


def test_feedback_summary_mean_spread_and_change():
    s = feedback_summary(feedback_rows())
    assert s.attrs == {"quarter": "2026Q3", "previous": "2026Q2"}
    row = s.loc[("key_account", "price")]
    assert (row["mean"], row["previous_mean"], row["change"]) == (2.5, 4.0, -1.5)
    assert row["std"] == pytest.approx(math.sqrt(0.5))
    assert s.loc[("dealer", "delivery"), "min"] == 1
    assert s.loc[("all", "delivery"), "respondents"] == 2
    assert s.index.get_level_values("source").tolist() == [
        "key_account",
        "dealer",
        "all",
        "all",
    ]


def test_lowest_comments_are_verbatim_and_lowest_first():
    c = lowest_comments(feedback_rows())
    assert c["comment"].tolist() == ["late again", "too dear", "ok"]
    assert c.index.tolist() == [1, 2, 3]


def test_feedback_off_vocabulary_is_named():
    bad = feedback_rows().assign(dimension=["price"] * 5 + ["mood"])
    with pytest.raises(kam.InputValidationError, match="dimension of 'e mood'.*got \"mood\""):
        feedback_summary(bad)


# ----------------------------------------------------------------------------- evaluation


def test_evaluation_score_blend_and_common_scale():
    m = pd.DataFrame(
        {
            "benchmark_score": [5.0, 1.0, 3.0],
            "growth_yoy": [0.5, float("nan"), -0.25],
            "feedback_score": [3.0, 5.0, float("nan")],
        },
        index=["a", "b", "c"],
    )
    e = evaluation_score(m)
    assert e["benchmark_score_pts"].tolist() == [100.0, 0.0, 50.0]
    assert e["growth_yoy_pts"].tolist()[0] == 100.0  # clipped
    assert e.loc["b", "quantitative"] == 0.0  # growth not available: the mean of the rest
    assert e.loc["a", "evaluation"] == pytest.approx(0.5 * 100 + 0.5 * 50)
    assert math.isnan(e.loc["c", "evaluation"])  # no qualitative side
    quant_only = evaluation_score(m, blend=1.0)
    assert quant_only.loc["b", "evaluation"] == 0.0
    with pytest.raises(kam.InputValidationError, match="blend: expected a number from 0 to 1"):
        evaluation_score(m, blend=1.5)


# ----------------------------------------------------------------------------- attribution


def test_explain_change_on_a_rating_drop():
    before = pd.DataFrame({"factor": ["a", "b"], "weight": [60, 40], "rating": [4, 3]})
    after = pd.DataFrame({"factor": ["b", "a"], "weight": [0.4, 0.6], "rating": [3, 2]})
    e = explain_change(before, after)
    assert e.index.tolist() == ["a", "b"]
    assert e.loc["a", "rating_effect"] == pytest.approx(-1.2)
    assert e.loc["a", "weight_effect"] == 0.0
    assert e["total"].sum() == pytest.approx(-1.2)
    assert e.attrs["before"] == pytest.approx(3.6) and e.attrs["after"] == pytest.approx(2.4)


@pytest.mark.parametrize(
    ("before", "after", "error", "message"),
    [
        (
            pd.DataFrame({"factor": ["a", "a"], "weight": [0.5, 0.5], "rating": [1, 2]}),
            pd.DataFrame({"factor": ["a"], "weight": [1.0], "rating": [1]}),
            kam.InputValidationError,
            r"column before: expected each factor once per quarter, got repeated \['a'\]",
        ),
        (
            pd.DataFrame({"factor": ["a"], "weight": [1.0], "rating": [3]}),
            pd.DataFrame({"factor": ["a", "b"], "weight": [0.5, 0.55], "rating": [1, 2]}),
            kam.InvalidWeightsError,
            r"explain_change \(after\), column weight: .*got a sum of 1.05",
        ),
        (
            pd.DataFrame({"factor": ["a"], "weight": [1.0], "rating": [9]}),
            pd.DataFrame({"factor": ["a"], "weight": [1.0], "rating": [1]}),
            kam.InputValidationError,
            "column before, rating of 'a': expected a rating from 1 to 5, got 9",
        ),
    ],
)
def test_explain_change_bad_input(before, after, error, message):
    with pytest.raises(error, match=message):
        explain_change(before, after, scale=(1, 5))


factor_names = st.sets(st.sampled_from(list("abcdefg")), min_size=1, max_size=5)


def quarter_table(draw, names):
    names = sorted(names)
    raw = draw(st.lists(st.integers(1, 20), min_size=len(names), max_size=len(names)))
    ratings = draw(st.lists(st.integers(1, 5), min_size=len(names), max_size=len(names)))
    total = sum(raw)
    return pd.DataFrame({"factor": names, "weight": [r / total for r in raw], "rating": ratings})


@st.composite
def two_quarters(draw):
    return quarter_table(draw, draw(factor_names)), quarter_table(draw, draw(factor_names))


@settings(max_examples=120, deadline=None)
@given(pair=two_quarters(), seed=st.randoms(use_true_random=False))
def test_parts_sum_exactly_to_the_change(pair, seed):
    before, after = pair
    copies = before.copy(), after.copy()
    e = explain_change(before, after)
    change = weighted_score(
        after.set_index("factor")["rating"], after.set_index("factor")["weight"]
    ) - weighted_score(before.set_index("factor")["rating"], before.set_index("factor")["weight"])
    assert abs(e["total"].sum() - change) <= 1e-9
    assert (e["rating_effect"] + e["weight_effect"] - e["total"]).abs().max() <= 1e-12
    pd.testing.assert_frame_equal(before, copies[0])  # input unchanged
    pd.testing.assert_frame_equal(after, copies[1])
    rows = list(before.index)
    seed.shuffle(rows)
    pd.testing.assert_frame_equal(explain_change(before.loc[rows], after), e)
    only_one = e.loc[e["status"] != "both"]
    assert (only_one["rating_effect"] == 0).all()


@settings(max_examples=80, deadline=None)
@given(
    present=st.lists(st.booleans(), min_size=2, max_size=12),
    values=st.lists(st.sampled_from([0.0, 1.0, 2.5, 10.0]), min_size=12, max_size=12),
)
def test_time_comparison_never_inf_and_reports_every_gap(present, values):
    quarters = quarter_range("2024Q1", "2026Q4")[: len(present)]
    kept = [q for q, keep in zip(quarters, present, strict=True) if keep]
    series = pd.Series({q: values[i] for i, q in enumerate(kept)}, dtype="float64")
    t = time_comparison(series)
    assert not t[["growth_qoq", "growth_yoy"]].isin([float("inf"), -float("inf")]).any().any()
    if kept:
        full = quarter_range(kept[0], kept[-1])
        assert t.index.tolist() == full
        assert t.attrs["missing"] == [q for q in full if q not in kept]
