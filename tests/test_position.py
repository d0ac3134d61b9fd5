"""IFE/EFE totals, IE cells and GE cells: textbook examples and every boundary."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.tools.position import ge_cell, ge_cuts, ie_cell, ife_efe

# F. R. David, Strategic Management: Concepts and Cases, 13th ed. (Prentice Hall, 2011),
# Table 4-10 "A Sample Internal Factor Evaluation Matrix for a Retail Computer Store",
# p. 123 (seen reproduced at yumpu.com/en/document/view/5059290/strategic-management/312).
RETAIL_STORE_IFE = [
    ("Inventory turnover increased from 5.8 to 6.7", "strength", 0.05, 3),
    ("Average customer purchase increased from $97 to $128", "strength", 0.07, 4),
    ("Employee morale is excellent", "strength", 0.10, 3),
    ("In-store promotions resulted in 20 percent increase in sales", "strength", 0.05, 3),
    ("Newspaper advertising expenditures increased 10 percent", "strength", 0.02, 3),
    ("Revenues from repair/service segment of store up 16 percent", "strength", 0.15, 3),
    ("In-store technical support personnel have MIS college degrees", "strength", 0.05, 4),
    ("Store's debt-to-total assets ratio declined to 34 percent", "strength", 0.03, 3),
    ("Revenues per employee up 19 percent", "strength", 0.02, 3),
    ("Revenues from software segment of store down 12 percent", "weakness", 0.10, 2),
    ("Location of store negatively impacted by new Highway 34", "weakness", 0.15, 2),
    ("Carpet and paint in store somewhat in disrepair", "weakness", 0.02, 1),
    ("Bathroom in store needs refurbishing", "weakness", 0.02, 1),
    ("Revenues from businesses down 8 percent", "weakness", 0.04, 1),
    ("Store has no Web site", "weakness", 0.05, 2),
    ("Supplier on-time delivery increased to 2.4 days", "weakness", 0.03, 1),
    ("Often customers have to wait to check out", "weakness", 0.05, 1),
]


def retail_store() -> pd.DataFrame:
    return pd.DataFrame(RETAIL_STORE_IFE, columns=["factor", "kind", "weight", "rating"]).assign(
        matrix="IFE"
    )


def test_david_retail_computer_store_ife_is_2_50():
    totals = ife_efe(retail_store())
    assert round(totals["IFE"], 2) == 2.50
    assert "EFE" not in totals
    assert ie_cell(totals["IFE"], 2.5).ife_band == "average"


def test_kotler_ge_cut_points_are_the_default():
    # P. Kotler, Marketing Management, Millennium ed. (Prentice Hall, 2000), ch. 3, the GE
    # multifactor matrix figure with axis marks 1.00, 2.33, 3.67, 5.00 (seen at
    # issuhub.com/view/index/4464, page 44 of MarketingManagement.pdf).
    assert [round(c, 2) for c in ge_cuts((1, 5))] == [1.0, 2.33, 3.67, 5.0]


@pytest.mark.parametrize(
    ("ife", "efe", "cell", "strategy"),
    [
        (3.0, 3.0, "I", "grow and build"),
        (2.0, 3.0, "II", "grow and build"),
        (1.99, 3.0, "III", "hold and maintain"),
        (3.0, 2.0, "IV", "grow and build"),
        (2.0, 2.0, "V", "hold and maintain"),
        (1.0, 2.99, "VI", "harvest or divest"),
        (4.0, 1.99, "VII", "hold and maintain"),
        (2.99, 1.0, "VIII", "harvest or divest"),
        (1.0, 1.0, "IX", "harvest or divest"),
        (4.0, 4.0, "I", "grow and build"),
    ],
)
def test_ie_cells_and_their_boundaries(ife, efe, cell, strategy):
    result = ie_cell(ife, efe)
    assert (result.cell, result.strategy) == (cell, strategy)


def test_exactly_2_is_average_and_exactly_3_is_strong():
    assert ie_cell(2.0, 3.0)[1:3] == ("average", "high")
    assert ie_cell(3.0, 2.0)[1:3] == ("strong", "medium")
    assert ie_cell(math.nextafter(3.0, 0), math.nextafter(2.0, 0))[1:3] == ("average", "low")


@pytest.mark.parametrize(("ife", "efe"), [(0.99, 2), (2, 4.01), (math.nan, 2)])
def test_ie_totals_off_the_scale(ife, efe):
    with pytest.raises(kam.InputValidationError, match="expected a total from 1 to 4"):
        ie_cell(ife, efe)


def test_ife_rating_5_on_a_1_to_4_scale_names_factor_and_value():
    table = retail_store()
    table.loc[2, "rating"] = 5
    with pytest.raises(
        kam.InputValidationError,
        match="rating of 'Employee morale is excellent': expected a rating from 1 to 4, got 5",
    ):
        ife_efe(table)


def test_ife_weights_summing_to_1_05():
    table = retail_store()
    table.loc[0, "weight"] = 0.10
    with pytest.raises(
        kam.InvalidWeightsError, match="ife_efe IFE, column weight: expected weights summing to 1"
    ):
        ife_efe(table)


@pytest.mark.parametrize(
    ("a", "s", "row", "column", "strategy"),
    [
        (5, 5, "high", "high", "invest/grow"),
        (11 / 3, 7 / 3, "high", "medium", "invest/grow"),
        (7 / 3, 11 / 3, "medium", "high", "invest/grow"),
        (5, 1, "high", "low", "selectivity/earnings"),
        (3, 3, "medium", "medium", "selectivity/earnings"),
        (1, 5, "low", "high", "selectivity/earnings"),
        (3, 2.3, "medium", "low", "harvest/divest"),
        (2.3, 3, "low", "medium", "harvest/divest"),
        (1, 1, "low", "low", "harvest/divest"),
    ],
)
def test_ge_cells(a, s, row, column, strategy):
    assert ge_cell(a, s) == (row, column, strategy)


def test_a_value_exactly_on_a_ge_cut_is_in_the_upper_cell():
    assert ge_cell(3.67, 2.33, cuts=[2.33, 3.67])[:2] == ("high", "medium")
    assert ge_cell(3.6699, 2.3299, cuts=[2.33, 3.67])[:2] == ("medium", "low")
    assert ge_cell(10 / 3, 5 / 3, cuts="maximum")[:2] == ("high", "medium")


@pytest.mark.parametrize("cuts", [[3.67, 2.33], [2.33, 2.33], [0.5, 3], [2, 6], "thirds", [2]])
def test_bad_ge_cuts(cuts):
    with pytest.raises(kam.InputValidationError, match="column cuts"):
        ge_cell(3, 3, cuts=cuts)


def test_ge_scores_off_the_scale_are_named():
    with pytest.raises(
        kam.InputValidationError, match="column strength: expected a score from 1 to 5, got 5.5"
    ):
        ge_cell(3, 5.5)


def test_plots_place_several_bus():
    import matplotlib.pyplot as plt

    positions = pd.DataFrame(
        {
            "label": ["A", "B", "C"],
            "ife": [3.2, 2.5, 1.5],
            "efe": [3.1, 2.2, 1.2],
            "attractiveness": [4, 3, 2],
            "strength": [4, 2.5, 1.5],
            "revenue": [3.0, 2.0, 1.0],
        }
    )
    fig, (left, right) = plt.subplots(1, 2)
    assert kam.plot_ie_matrix(positions, ax=left) is left
    assert kam.plot_ge_matrix(positions, ax=right) is right
    sizes = right.collections[0].get_sizes()
    assert len(sizes) == 3 and sizes[0] > sizes[1] > sizes[2]
    assert [t.get_text() for t in right.texts if t.get_text() in ("A", "B", "C")] == ["A", "B", "C"]
    plt.close(fig)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.01, 1), st.integers(1, 4)), min_size=1, max_size=10), st.data()
)
def test_ife_total_on_scale_and_monotone(rows, data):
    total = sum(w for w, _ in rows)
    table = pd.DataFrame(
        {
            "matrix": "IFE",
            "factor": [f"f{i}" for i in range(len(rows))],
            "weight": [w / total for w, _ in rows],
            "rating": [r for _, r in rows],
        }
    )
    before = table.copy()
    score = ife_efe(table)["IFE"]
    pd.testing.assert_frame_equal(table, before)
    assert 1 <= score <= 4
    i = data.draw(st.integers(0, len(rows) - 1))
    higher = table.copy()
    higher.loc[i, "rating"] = data.draw(st.integers(int(table.loc[i, "rating"]), 4))
    assert ife_efe(higher)["IFE"] >= score
    shuffled = table.sample(frac=1, random_state=data.draw(st.integers(0, 1000)))
    assert ife_efe(shuffled)["IFE"] == pytest.approx(score, abs=1e-12)
