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
    # the balance: the favourable list's weighted scores minus the other's weighted severities
    severity = swot.factors.groupby("kind")["weighted_severity"].sum()
    assert swot.balance["internal"] == pytest.approx(
        swot.totals["strength"] - severity["weakness"], abs=1e-12
    )
    assert swot.balance["external"] == pytest.approx(
        swot.totals["opportunity"] - severity["threat"], abs=1e-12
    )


def test_david_retail_store_strengths_and_weaknesses_add_up_to_2_50():
    rows = pd.DataFrame(RETAIL_STORE_IFE, columns=["factor", "kind", "weight", "rating"])
    swot = kam.swot_matrix(rows.assign(matrix="IFE"))
    assert round(swot.totals["strength"], 2) == 1.74
    assert round(swot.totals["weakness"], 2) == 0.76
    assert round(swot.totals["IFE"], 2) == 2.50 and "EFE" not in swot.totals
    # the weaknesses weigh .46 in all: their weighted severity is 5 x .46 - 0.76 = 1.54, and
    # the balance 1.74 - 1.54 = 0.20 (= the total 2.50 minus 5 x .46)
    severity = swot.factors.loc[swot.factors["kind"] == "weakness", "weighted_severity"].sum()
    assert round(severity, 2) == 1.54
    assert round(swot.balance["internal"], 2) == 0.20
    assert swot.quadrant == ""  # no EFE rows: no quadrant
    assert math.isnan(swot.balance["external"])
    # strengths by weighted score: repair/service 0.15 x 3 = 0.45 first
    strengths = swot.lists()["strength"]
    assert (
        strengths["factor"].iloc[0] == "Revenues from repair/service segment of store up 16 percent"
    )
    assert strengths["weighted_score"].round(2).tolist() == [0.45, 0.30, 0.28, 0.20, 0.15]
    # weaknesses by weighted severity weight x (5 - rating): Highway 34, 0.15 x 3 = 0.45, first
    top = swot.lists()["weakness"]
    assert top["factor"].iloc[0] == "Location of store negatively impacted by new Highway 34"
    assert top["weighted_severity"].round(2).tolist() == [0.45, 0.30, 0.20, 0.16, 0.15]
    assert top["rank"].tolist() == [1, 2, 3, 4, 5]


def test_a_major_weakness_comes_before_a_minor_one_of_the_same_weight():
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
    # the weighted score is kept as it is: the major weakness has the smaller one
    weak = swot.factors.loc[swot.factors["kind"] == "weakness"].set_index("factor")
    assert weak["weighted_score"].to_dict() == {"w major": 0.25, "w minor": 0.5}
    assert weak["weighted_severity"].to_dict() == {"w major": 1.0, "w minor": 0.75}
    assert swot.factors.loc[swot.factors["kind"] == "strength", "weighted_severity"].isna().all()


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["strength", "weakness"]),
            st.integers(1, 100),
            st.sampled_from([1, 1.5, 2, 2.5, 3, 3.5, 4]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_each_list_is_ranked_by_its_score_and_the_balance_counts_weaknesses_by_severity(rows):
    frame = pd.DataFrame(rows, columns=["kind", "weight", "rating"]).assign(
        matrix="IFE", factor=[f"f{i}" for i in range(len(rows))]
    )
    frame["weight"] = frame["weight"] / frame["weight"].sum()
    swot = kam.swot_matrix(frame, top=12)
    for kind, part in swot.lists().items():
        score = part["weighted_score"] if kind == "strength" else part["weighted_severity"]
        if kind in ("weakness", "threat"):
            assert (
                score.round(9).tolist() == (part["weight"] * (5 - part["rating"])).round(9).tolist()
            )
        assert score.round(9).is_monotonic_decreasing
        assert part["rank"].tolist() == list(range(1, len(part) + 1))
    score = frame["weight"] * frame["rating"]
    severity = frame["weight"] * (5 - frame["rating"])
    weak = frame["kind"] == "weakness"
    assert swot.balance["internal"] == pytest.approx(
        math.fsum(score[~weak]) - math.fsum(severity[weak]), abs=1e-9
    )
    # equivalently: the IFE total minus (1 + 4) x the weaknesses' share of the weight
    assert swot.balance["internal"] == pytest.approx(
        swot.totals["IFE"] - 5 * math.fsum(frame.loc[weak, "weight"]), abs=1e-9
    )
    # a weakness that gets worse (rated one step lower) lowers the balance, never raises it
    worse = frame.loc[weak & (frame["rating"] > 1)]
    if not worse.empty:
        changed = frame.astype({"rating": "float64"})
        changed.loc[worse.index[0], "rating"] -= 0.5
        after = kam.swot_matrix(changed, top=12).balance["internal"]
        assert after == pytest.approx(
            swot.balance["internal"] - 0.5 * worse["weight"].iloc[0], abs=1e-9
        )
        assert after < swot.balance["internal"]


@cache
def pv_swot() -> tuple:
    """PV's rows in 2026Q3 and their SWOT in the table's order, computed once for every example."""
    rows = sample_rows("PV").reset_index(drop=True)
    return rows, kam.swot_matrix(rows)


@given(st.permutations(range(20)))
def test_the_swot_does_not_depend_on_row_order(order):
    rows, base = pv_swot()
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
    # IC, the weakest BU (IE cell VIII), is defensive: its weaknesses and threats outweigh
    assert tows.attrs == {"quadrant": "WT", "stance": "defensive"}
    assert set(tows.loc[tows["points_to"], "quadrant"]) == {"WT"}
    swot = kam.swot_matrix(sample_rows("IC"))
    top_weaknesses = set(swot.lists()["weakness"].head(3)["factor"])
    assert set(tows.loc[tows["quadrant"] == "WT", "internal"]) <= top_weaknesses
    # the pairs of a quadrant are ordered by joint score, the product of the two factors' scores
    wt = tows.loc[tows["quadrant"] == "WT"]
    assert wt["joint_score"].is_monotonic_decreasing
    scores = swot.factors.set_index("factor")["rank_score"]
    first = wt.iloc[0]
    assert first["joint_score"] == pytest.approx(
        scores[first["internal"]] * scores[first["external"]]
    )


def test_tows_quadrant_and_the_ie_cell_on_the_sample():
    """The TOWS quadrant and the IE cell read the same factors differently.

    The quadrant is the sign of the balance (the strengths' weighted scores minus the
    weaknesses' weighted severities, the opportunities' minus the threats'); the IE cell
    places each total in a band. In the IE's middle band (2.0-2.99) the cell leaves the
    direction open and the quadrant gives it. On the sample in 2026Q3: PV (IFE 2.60, EFE
    2.90) is SO, aggressive (strengths 1.88 against weaknesses' severity 1.78, opportunities
    1.50 against threats' 1.10), and so is MC (2.56, 2.81; +0.06 and +0.31), both in cell V,
    "hold and maintain". IC (IFE 2.00, EFE 1.80) is WT, defensive (1.50 against 2.00, 1.00
    against 1.70), in cell VIII, "harvest or divest": its EFE in the low band fixes the T
    side, and the balance agrees; its IFE of 2.00 is in the middle band, which leaves the
    internal side to the balance (W).

    Over the sample's 24 BU-quarters the quadrant and the IE cell never differ: the balance
    is the total minus 5 x the unfavourable list's share of the weight, and the sample's
    weights are split near half and half (between 40 % and 60 %), so a total of 3 or more
    reads S or O and one below 2 reads W or T. Under the old balance (weaknesses' weighted
    scores) four BU-quarters differed, IC in 2026Q3 among them (SO in cell VIII).
    """
    eng = sample()
    found = {bu: kam.diagnosis.tows_and_ie(kam.diagnosis.swot(eng, bu)) for bu in eng.bu_ids}
    assert {bu: (f["quadrant"], f["ie_cell"]) for bu, f in found.items()} == {
        "PV": ("SO", "V"),
        "IC": ("WT", "VIII"),
        "MC": ("SO", "V"),
    }
    assert all(f["agrees"] for f in found.values())
    assert found["PV"]["open"] == ["internal", "external"] == found["MC"]["open"]
    assert found["IC"]["open"] == ["internal"] and found["IC"]["differs"] == []
    quadrants, differs = {}, {}
    for quarter in sorted(eng.ife_efe["quarter"].unique()):
        for bu in eng.bu_ids:
            compared = kam.diagnosis.tows_and_ie(kam.diagnosis.swot(eng, bu, quarter))
            assert compared["agrees"] == (not compared["differs"])
            assert not set(compared["open"]) & set(compared["differs"])
            quadrants[(quarter, bu)] = compared["quadrant"]
            if compared["differs"]:
                differs[(quarter, bu)] = compared["differs"]
    assert len(quadrants) == 24 and differs == {}
    # IC turns defensive from 2025Q2 on, as its IFE and EFE totals sink (IE cell V, VI, VIII)
    assert [quadrants[(q, "IC")] for q in sorted({q for q, _ in quadrants})] == [
        "WO",
        "SO",
        "WT",
        "WT",
        "WT",
        "WT",
        "WT",
        "WT",
    ]


def test_the_quadrant_and_the_ie_cell_differ_when_the_weight_is_lopsided():
    """A strong IFE total (3.10, IE band strong: S) whose minor weaknesses carry 70 % of the
    weight reads W (3.10 - 5 x .70 = -0.40); a low EFE total (1.90: T) whose threats carry
    20 % of the weight reads O (1.90 - 5 x .20 = +0.90)."""
    rows = pd.DataFrame(
        {
            "matrix": ["IFE", "IFE", "EFE", "EFE"],
            "kind": ["strength", "weakness", "opportunity", "threat"],
            "factor": ["brand", "slow quotes", "retrofit", "new entrants"],
            "weight": [0.3, 0.7, 0.8, 0.2],
            "rating": [4, 2.714285714285714, 1.75, 2.5],
        }
    )
    swot = kam.swot_matrix(rows)
    assert round(swot.totals["IFE"], 2) == 3.10 and round(swot.totals["EFE"], 2) == 1.90
    assert swot.balance.round(2).to_dict() == {"internal": -0.40, "external": 0.90}
    compared = kam.diagnosis.tows_and_ie(swot)
    assert (compared["quadrant"], compared["ie_cell"]) == ("WO", "VII")
    assert compared["differs"] == ["internal", "external"] and not compared["agrees"]


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
