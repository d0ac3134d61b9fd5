"""Value chain: cost share, gap to the leader, flags at their thresholds, the chart."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.tools.value_chain import plot_value_chain, score_value_chain, value_chain_summary

# Porter's nine generic activities (M. E. Porter, Competitive Advantage, 1985, Figure 2-2).
ACTIVITIES = [
    ("Inbound logistics", "primary"),
    ("Operations", "primary"),
    ("Outbound logistics", "primary"),
    ("Marketing and sales", "primary"),
    ("Service", "primary"),
    ("Firm infrastructure", "support"),
    ("Human resources", "support"),
    ("Technology development", "support"),
    ("Procurement", "support"),
]


def chain(cost, ours, leader, activities=ACTIVITIES) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "activity": [a for a, _ in activities],
            "category": [c for _, c in activities],
            "cost": cost,
            "our_performance": ours,
            "leader_performance": leader,
        },
        index=[f"row{i}" for i in range(len(activities))],
    )


def test_cost_share_gap_margin():
    t = chain([10, 40, 5, 15, 10, 5, 5, 5, 5], [3, 2, 3, 4, 3, 3, 3, 3, 3], [3] * 9)
    s = score_value_chain(t)
    assert s.index.tolist() == t.index.tolist()  # index and row order kept
    assert s["cost_share"].sum() == pytest.approx(1.0)
    assert s.loc["row1", "cost_share"] == pytest.approx(0.4)
    assert s["margin"].tolist()[:4] == ["even", "lost", "even", "made"]
    assert s.loc["row1", "weighted_gap"] == pytest.approx(-0.4)
    summary = value_chain_summary(s)
    assert summary.loc["all", "cost_lost"] == pytest.approx(0.4)
    assert summary.loc["primary", "cost_made"] == pytest.approx(0.15)
    assert summary.loc["support", "activities"] == 4


@pytest.mark.parametrize(
    ("share", "gap", "flagged"),
    [
        (0.15, -1, True),  # both thresholds are inclusive
        (0.1499, -1, False),
        (0.15, -0.99, False),
        (0.5, -2, True),
        (0.5, 1, False),
    ],
)
def test_flag_thresholds_at_their_edges(share, gap, flagged):
    t = chain([share, 1 - share], [3 + gap, 3], [3, 3], activities=ACTIVITIES[:2])
    assert bool(score_value_chain(t)["flagged"].iloc[0]) is flagged


def test_thresholds_can_be_changed():
    t = chain([0.1, 0.9], [2, 3], [3, 3], activities=ACTIVITIES[:2])
    assert not score_value_chain(t)["flagged"].iloc[0]
    assert score_value_chain(t, cost_share_threshold=0.1)["flagged"].iloc[0]


def test_zero_total_cost_gives_nan_shares():
    s = score_value_chain(chain([0, 0], [2, 3], [3, 3], activities=ACTIVITIES[:2]))
    assert s["cost_share"].isna().all() and not s["flagged"].any()


BAD = [
    ({"category": ["primary", "core"]}, "category of 'Operations': expected one of primary"),
    ({"cost": [1, -2]}, "cost of 'Operations': expected a number >= 0, got -2"),
    ({"our_performance": [3, 7]}, "our_performance of 'Operations': expected a rating from 1"),
    ({"activity": ["Ops", "Ops"]}, r"each activity once, got repeated \['Ops'\]"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_is_named(change, message):
    t = chain([1, 2], [3, 3], [3, 3], activities=ACTIVITIES[:2]).assign(**change)
    with pytest.raises(kam.InputValidationError, match=message):
        score_value_chain(t)


def test_bad_threshold_and_missing_column():
    t = chain([1, 2], [3, 3], [3, 3], activities=ACTIVITIES[:2])
    with pytest.raises(kam.InputValidationError, match="cost_share_threshold: expected a share"):
        score_value_chain(t, cost_share_threshold=15)
    with pytest.raises(kam.InputValidationError, match="a column named cost"):
        score_value_chain(t.drop(columns="cost"))


def test_chart_is_legible_at_twelve_activities():
    extra = [("Packaging", "primary"), ("Quality", "support"), ("Key accounts", "primary")]
    acts = ACTIVITIES + extra
    t = chain([10] * 12, [2, 3, 4] * 4, [3] * 12, activities=acts)
    s = score_value_chain(t, cost_share_threshold=0.05)
    ax = plot_value_chain(s)
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert len(labels) == 12 and labels[0] == "⚑ Inbound logistics"
    # primary activities first, support below
    assert labels.index("Key accounts") < labels.index("Firm infrastructure")
    assert ax.figure.get_size_inches()[1] >= 12 * 0.45
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.patches) == 12
    plt.close(ax.figure)


@settings(max_examples=50, deadline=None)
@given(
    cost=st.lists(st.floats(0.1, 100), min_size=9, max_size=9),
    ours=st.lists(st.integers(1, 5), min_size=9, max_size=9),
    seed=st.randoms(use_true_random=False),
)
def test_row_order_does_not_matter_and_input_unchanged(cost, ours, seed):
    t = chain(cost, ours, [3] * 9)
    before = t.copy()
    s = score_value_chain(t)
    pd.testing.assert_frame_equal(t, before)
    rows = list(t.index)
    seed.shuffle(rows)
    pd.testing.assert_frame_equal(score_value_chain(t.loc[rows]).loc[t.index], s)
