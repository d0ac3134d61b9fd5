"""SWOT and TOWS from the IFE/EFE factors: the same totals, patterns as data, the IE cell."""

from __future__ import annotations

import math
from functools import cache

import matplotlib
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base.errors import InputValidationError, InvalidWeightsError
from kamanalysis.tools.swot import PATTERNS_FILE, tows_patterns

matplotlib.use("Agg")

# F. R. David, Strategic Management: Concepts and Cases, 13th ed. (Prentice Hall, 2011),
# Table 4-10 "A Sample Internal Factor Evaluation Matrix for a Retail Computer Store",
# p. 123 (the rows are in tests/test_position.py): total weighted score 2.50.
from tests.test_position import RETAIL_STORE_IFE


@cache
def sample() -> kam.Engagement:
    return kam.load_engagement(kam.paths.SAMPLE_DATA)


def sample_rows(bu: str, quarter: str = "2026Q3") -> pd.DataFrame:
    table = sample().ife_efe
    return table.loc[(table["bu_id"] == bu) & (table["quarter"] == quarter)].copy()


@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
@pytest.mark.parametrize("quarter", ["2024Q4", "2025Q3", "2026Q3"])
def test_swot_totals_are_the_ife_and_efe_totals_of_the_same_rows(bu, quarter):
    rows = sample_rows(bu, quarter)
    swot = kam.swot_matrix(rows)
    totals = kam.ife_efe(rows)
    assert swot.totals["strength"] + swot.totals["weakness"] == pytest.approx(
        totals["IFE"], abs=1e-12
    )
    assert swot.totals["opportunity"] + swot.totals["threat"] == pytest.approx(
        totals["EFE"], abs=1e-12
    )
    # the balance is the distance of each total from the scale's midpoint
    assert swot.balance["internal"] == pytest.approx(totals["IFE"] - 2.5, abs=1e-12)
    assert swot.balance["external"] == pytest.approx(totals["EFE"] - 2.5, abs=1e-12)


def test_david_retail_store_strengths_and_weaknesses_add_up_to_2_50():
    rows = pd.DataFrame(RETAIL_STORE_IFE, columns=["factor", "kind", "weight", "rating"])
    swot = kam.swot_matrix(rows.assign(matrix="IFE"))
    assert round(swot.totals["strength"], 2) == 1.74
    assert round(swot.totals["weakness"], 2) == 0.76
    assert round(swot.totals["IFE"], 2) == 2.50 and "EFE" not in swot.totals
    assert swot.quadrant == ""  # no EFE rows: no quadrant
    assert math.isnan(swot.balance["external"])
    # the major weakness (rating 1) of the largest weight comes first; rank is within a kind
    top = swot.lists()["weakness"]
    assert top["factor"].iloc[0] == "Location of store negatively impacted by new Highway 34"
    assert top["rank"].tolist() == [1, 2, 3, 4, 5]


def test_lists_are_ranked_by_pull_a_major_weakness_before_a_minor_one():
    rows = pd.DataFrame(
        {
            "matrix": "IFE",
            "kind": ["strength", "strength", "weakness", "weakness"],
            "factor": ["s minor", "s major", "w minor", "w major"],
            "weight": [0.25, 0.25, 0.25, 0.25],
            "rating": [3, 4, 2, 1],
        }
    )
    before = rows.copy()
    swot = kam.swot_matrix(rows, top=1)
    assert [frame["factor"].tolist() for frame in swot.lists().values()][:2] == [
        ["s major"],
        ["w major"],
    ]
    pd.testing.assert_frame_equal(rows, before)


@given(st.permutations(range(20)))
def test_the_swot_does_not_depend_on_row_order(order):
    rows = sample_rows("PV").reset_index(drop=True)
    base = kam.swot_matrix(rows)
    shuffled = kam.swot_matrix(rows.iloc[list(order)])
    pd.testing.assert_frame_equal(base.factors, shuffled.factors)
    assert base.quadrant == shuffled.quadrant


def test_bad_rows_are_collected_in_one_error():
    rows = sample_rows("PV").copy()
    rows.loc[rows.index[0], "kind"] = "threat"  # an IFE row cannot be a threat
    rows.loc[rows.index[1], "rating"] = 5.0
    with pytest.raises(InputValidationError) as info:
        kam.swot_matrix(rows)
    assert len(info.value.problems) == 2
    with pytest.raises(InvalidWeightsError):
        kam.swot_matrix(sample_rows("PV").assign(weight=0.3))
    with pytest.raises(InputValidationError, match="whole number >= 1"):
        kam.swot_matrix(sample_rows("PV"), top=0)


def test_tows_patterns_are_data(tmp_path):
    table = tows_patterns()
    assert table["stance"].to_dict() == {
        "SO": "aggressive",
        "ST": "diversify",
        "WO": "turnaround",
        "WT": "defensive",
    }
    tows = kam.tows_matrix(sample_rows("PV"), lang="zh")
    st_rows = tows.loc[tows["quadrant"] == "ST"].iloc[0]
    assert st_rows["strategy"] == table.loc["ST", "pattern_zh"].format(
        internal=st_rows["internal"], external=st_rows["external"]
    )
    # a broken table is refused, every problem named by file, row and column
    bad = tmp_path / "tows_patterns.csv"
    text = PATTERNS_FILE.read_text(encoding="utf-8").replace("{external}", "{extern}", 1)
    bad.write_text(text.replace("WT,weakness,threat", "WX,weakness,threat"), encoding="utf-8")
    with pytest.raises(InputValidationError) as info:
        tows_patterns(bad)
    found = {(p.row, p.column) for p in info.value.problems}
    assert (2, "pattern_en") in found and (5, "quadrant") in found and (None, "quadrant") in found


def test_tows_pairs_the_top_factors_and_points_to_the_balance():
    tows = kam.tows_matrix(sample_rows("IC"), top=3)
    assert tows.groupby("quadrant").size().to_dict() == {"SO": 3, "ST": 3, "WO": 3, "WT": 3}
    assert tows.attrs == {"quadrant": "WT", "stance": "defensive"}
    assert set(tows.loc[tows["points_to"], "quadrant"]) == {"WT"}
    swot = kam.swot_matrix(sample_rows("IC"))
    top_weaknesses = set(swot.lists()["weakness"].head(3)["factor"])
    assert set(tows.loc[tows["quadrant"] == "WT", "internal"]) <= top_weaknesses


def test_tows_quadrant_and_the_ie_cell_on_the_sample():
    """The TOWS quadrant and the IE cell read the same totals, so they cannot contradict.

    The IE's middle band (2.0-2.99) straddles the midpoint 2.5 the quadrant is cut at:
    there the IE cell leaves the direction open and the quadrant gives it. On the sample in
    2026Q3, PV (IFE 2.60, EFE 2.90) and MC (2.56, 2.81) sit in cell V, "hold and maintain",
    while the quadrant says SO, aggressive: both totals are just above 2.5 but under 3.0,
    so the direction is SO and its strength only "hold". IC (IFE 2.00, EFE 1.80) is in
    cell VIII, "harvest or divest", and WT, defensive: its EFE is in the low band, which
    fixes the T side, and its IFE exactly 2.0 is below the midpoint.
    """
    eng = sample()
    found = {bu: kam.diagnosis.tows_and_ie(kam.diagnosis.swot(eng, bu)) for bu in eng.bu_ids}
    assert {bu: (f["quadrant"], f["ie_cell"]) for bu, f in found.items()} == {
        "PV": ("SO", "V"),
        "IC": ("WT", "VIII"),
        "MC": ("SO", "V"),
    }
    assert all(f["agrees"] for f in found.values())
    assert found["PV"]["open"] == ["internal", "external"] and found["IC"]["open"] == ["internal"]
    # and they agree in every quarter of the sample
    for quarter in sorted(eng.ife_efe["quarter"].unique()):
        for bu in eng.bu_ids:
            assert kam.diagnosis.tows_and_ie(kam.diagnosis.swot(eng, bu, quarter))["agrees"]


@given(
    st.floats(1, 4, allow_nan=False),
    st.floats(1, 4, allow_nan=False),
)
def test_a_strong_or_weak_band_always_fixes_the_quadrants_side(ife, efe):
    cell = kam.ie_cell(ife, efe)
    side = ("S" if ife >= 2.5 else "W") + ("O" if efe >= 2.5 else "T")
    if cell.ife_band == "strong":
        assert side[0] == "S"
    if cell.ife_band == "weak":
        assert side[0] == "W"
    if cell.efe_band == "high":
        assert side[1] == "O"
    if cell.efe_band == "low":
        assert side[1] == "T"


def test_plot_swot_draws_four_boxes_in_both_languages():
    swot = kam.swot_matrix(sample_rows("PV"))
    ax = kam.plot_swot(swot, lang="zh")
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == f"优势（合计 {swot.totals['strength']:.2f}）"
    assert "1. Product reliability  (0.60)" in texts[1]
    assert "SO（增长型）" in ax.get_title()
    ax = kam.plot_swot(swot)
    assert ax.texts[0].get_text().startswith("Strengths (total")
    with pytest.raises(InputValidationError):
        kam.plot_swot(sample_rows("PV"))
