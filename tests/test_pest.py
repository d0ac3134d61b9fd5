"""PEST scoring: signed impact x probability, the expert-panel method, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.tools.pest import score_pest

# Expert-panel PEST worked example of a widely copied tutorial (seen in a translated copy at
# canadadataset.store/viewtopic.php?p=29737, "PEST分析汇总表" steps 4-5): eight factors with
# impacts 2, 3, 1, 1, 2, 2, 1, 3 (sum 15); five experts rate the probability of change of
# the first political factor, "government environmental subsidies", 2, 4, 4, 5, 3 (mean 3.6);
# its weighted importance is 2 / 15 x 3.6 = 0.48.
IMPACTS = [2, 3, 1, 1, 2, 2, 1, 3]
FIRST_FACTOR_PROBABILITIES = [2, 4, 4, 5, 3]


def panel_table() -> pd.DataFrame:
    rows = []
    dims = ["P", "P", "E", "E", "S", "S", "T", "T"]
    for i, (impact, dim) in enumerate(zip(IMPACTS, dims, strict=True)):
        name = "government environmental subsidies" if i == 0 else f"factor {i + 1}"
        probabilities = FIRST_FACTOR_PROBABILITIES if i == 0 else [3, 3, 3, 3, 3]
        for expert, p in enumerate(probabilities, start=1):
            rows.append(
                {
                    "dimension": dim,
                    "factor": name,
                    "effect": "opportunity",
                    "impact": impact,
                    "probability": p,
                    "expert": f"E{expert}",
                }
            )
    return pd.DataFrame(rows)


def test_expert_panel_worked_example():
    factors = score_pest(panel_table()).factors.set_index("factor")
    first = factors.loc["government environmental subsidies"]
    assert first["probability"] == pytest.approx(3.6)
    assert first["experts"] == 5
    assert first["weight"] == pytest.approx(2 / 15)
    assert round(first["weighted_importance"], 2) == 0.48
    assert factors["weight"].sum() == pytest.approx(1.0)


def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": ["P", "P", "E", "S", "T"],
            "factor": ["subsidy", "inspections", "rates", "ageing", "automation"],
            "effect": ["opportunity", "threat", "threat", "opportunity", "opportunity"],
            "impact": [2, 3, 1, 1, 3],
            "probability": [4, 5, 2, 3, 5],
        }
    )


def test_signed_scores_dimensions_net_and_tops():
    r = score_pest(small(), top=2)
    assert r.factors["score"].tolist() == [8.0, -15.0, -2.0, 3.0, 15.0]
    assert r.dimensions.loc["P"].to_dict() == {
        "factors": 2,
        "opportunities": 8.0,
        "threats": -15.0,
        "net": -7.0,
    }
    assert r.dimensions.index.tolist() == ["P", "E", "S", "T"]
    assert r.net == 9.0
    assert r.top_opportunities["factor"].tolist() == ["automation", "subsidy"]
    assert r.top_threats["factor"].tolist() == ["inspections", "rates"]


def test_a_missing_dimension_shows_as_zero():
    r = score_pest(small().iloc[:2])
    assert r.dimensions.loc["T"].tolist() == [0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("impact", 4, "impact of 'subsidy': expected a rating from 1 to 3, got 4"),
        (
            "probability",
            math.nan,
            "probability of 'subsidy': expected a rating from 1 to 5, got blank",
        ),
        ("dimension", "L", "dimension of 'subsidy': expected one of P, E, S, T, got \"L\""),
        (
            "effect",
            "risk",
            "effect of 'subsidy': expected one of opportunity, threat, got \"risk\"",
        ),
    ],
)
def test_bad_ratings_name_the_factor_and_value(column, value, message):
    table = small()
    table[column] = table[column].astype(object)
    table.loc[0, column] = value
    with pytest.raises(kam.InputValidationError) as info:
        score_pest(table)
    assert any(message in str(p) for p in info.value.problems), info.value


def test_experts_disagreeing_on_effect_is_an_error():
    table = pd.concat([small(), small().iloc[[0]].assign(effect="threat")])
    with pytest.raises(kam.InputValidationError, match="one effect per factor"):
        score_pest(table)


def test_empty_table_and_missing_column():
    with pytest.raises(kam.InputValidationError, match="expected at least one factor"):
        score_pest(small().iloc[:0])
    with pytest.raises(kam.InputValidationError, match="column probability: expected a column"):
        score_pest(small().drop(columns="probability"))


def test_plot_returns_the_axes(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert kam.plot_pest(score_pest(small()), ax=ax) is ax
    assert ax.get_title() == "PEST: net balance +9.0"
    plt.close(fig)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 3), st.integers(1, 5), st.booleans()), min_size=1, max_size=8
    ),
    st.randoms(),
)
def test_results_do_not_depend_on_row_order_and_input_is_unchanged(rows, rnd):
    table = pd.DataFrame(
        {
            "dimension": ["PEST"[i % 4] for i in range(len(rows))],
            "factor": [f"f{i}" for i in range(len(rows))],
            "effect": ["opportunity" if o else "threat" for _, _, o in rows],
            "impact": [r[0] for r in rows],
            "probability": [r[1] for r in rows],
        }
    )
    before = table.copy()
    a = score_pest(table)
    shuffled = table.sample(frac=1, random_state=rnd.randint(0, 10**6))
    b = score_pest(shuffled)
    pd.testing.assert_frame_equal(table, before)
    assert a.net == pytest.approx(b.net)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions, check_exact=False)
    lo, hi = -15, 15
    assert a.factors["score"].between(lo, hi).all()
