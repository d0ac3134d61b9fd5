"""The BCG growth-share matrix: every cut, custom cuts, bad input, the sample's markets."""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.errors import InputValidationError, KamAnalysisError

matplotlib.use("Agg")

# F. R. David, Strategic Management: Concepts and Cases (Prentice Hall), chapter 6, "The
# Boston Consulting Group (BCG) Matrix", pp. 185-186, seen at
# digilib.universitaspertamina.ac.id/ebook/Strategic%20management/files/basic-html/page219.html
# and page220.html (the edition there has data of 2008-2009). Relative market share position
# = a division's share (or revenues) / the largest rival's, e.g. Heineken's / Corona Extra's
# (p. 185); Figure 6-6 draws it from 1.0 to 0.0 with the midpoint .50, and industry sales
# growth from +20 to -20 % with the midpoint 0. Table 6-5, "Market Share Data for Selected
# Industries in 2009" (p. 186): U.S. top five imported beers in 2008, millions of barrels.
DAVID_IMPORTED_BEERS = {
    "Corona Extra": 8.0,
    "Heineken": 5.0,
    "Modelo Especial": 2.0,
    "Tecate": 1.5,
    "Guinness": 1.0,
}
# An illustrative five-division portfolio on David's axes (our numbers, not David's: his
# worked Figure 6-7 could not be checked against a stored copy).
DIVISIONS = {  # division: (relative share position, industry growth, revenue, cell)
    "Division 1": (0.80, 0.15, 60_000, "star"),
    "Division 2": (0.40, 0.10, 40_000, "question_mark"),
    "Division 3": (0.10, 0.01, 40_000, "question_mark"),
    "Division 4": (0.60, -0.20, 20_000, "cash_cow"),
    "Division 5": (0.05, -0.10, 5_000, "dog"),
}


@pytest.mark.parametrize(
    ("growth", "share", "cell"),
    [
        (0.10, 1.0, "star"),  # on both cuts: the high side
        (0.0999, 1.0, "cash_cow"),
        (0.10, 0.9999, "question_mark"),
        (0.0999, 0.9999, "dog"),
        (0.25, 3.0, "star"),
        (-0.05, 2.0, "cash_cow"),
        (0.30, 0.2, "question_mark"),
        (-0.99, 0.01, "dog"),
        (1.0, 1.0, "star"),  # 100 % a year: the largest growth accepted
    ],
)
def test_every_cut_belongs_to_the_high_side(growth, share, cell):
    assert kam.bcg_cell(growth, share) == cell


@pytest.mark.parametrize(
    ("growth", "share", "growth_cut", "share_cut", "cell"),
    [
        (0.05, 1.5, 0.05, 1.5, "star"),
        (0.0499, 1.5, 0.05, 1.5, "cash_cow"),
        (0.05, 1.4999, 0.05, 1.5, "question_mark"),
        (0.0, 0.5, 0.0, 0.5, "star"),  # David's axes
        (-0.0001, 0.4999, 0.0, 0.5, "dog"),
        (0.12, 1.2, 0.15, 2.0, "dog"),
    ],
)
def test_custom_cuts_and_their_boundaries(growth, share, growth_cut, share_cut, cell):
    assert kam.bcg_cell(growth, share, growth_cut=growth_cut, share_cut=share_cut) == cell


@pytest.mark.parametrize(
    ("growth", "share", "column", "says"),
    [
        (0.05, 0, "relative_share", "> 0"),
        (0.05, -1.2, "relative_share", "> 0"),
        (12, 1.2, "market_growth", "12 looks like a percent: write 0.12"),
        (35.0, 1.2, "market_growth", "write 0.35"),
        (1.01, 1.2, "market_growth", "at most 1"),
        (-1.0, 1.2, "market_growth", "above -1"),
        (float("nan"), 1.2, "market_growth", "a fraction"),
        (0.05, float("inf"), "relative_share", "> 0"),
        ("0.05", 1.2, "market_growth", "a fraction"),
        (0.05, True, "relative_share", "> 0"),
        (None, 1.2, "market_growth", "a fraction"),
    ],
)
def test_bad_input_is_refused_in_the_error_family(growth, share, column, says):
    with pytest.raises(InputValidationError) as info:
        kam.bcg_cell(growth, share)
    assert isinstance(info.value, KamAnalysisError) and isinstance(info.value, ValueError)
    (problem,) = info.value.problems
    assert problem.file == "bcg_cell" and problem.column == column
    assert says in problem.expected


def test_every_problem_at_once_cuts_included():
    with pytest.raises(InputValidationError) as info:
        kam.bcg_cell(12, 0, growth_cut=10, share_cut=0)
    assert [p.column for p in info.value.problems] == [
        "market_growth",
        "relative_share",
        "growth_cut",
        "share_cut",
    ]
    assert "10 looks like a percent: write 0.1" in info.value.problems[2].expected


def test_score_bcg_names_the_bad_rows_and_keeps_the_input():
    frame = pd.DataFrame(
        {"market_growth": [0.2, 15, 0.01], "relative_share": [2.0, 1.0, 0.0]}, index=list("abc")
    )
    before = frame.copy()
    with pytest.raises(InputValidationError) as info:
        kam.score_bcg(frame)
    assert [(p.row, p.column) for p in info.value.problems] == [
        ("b", "market_growth"),
        ("c", "relative_share"),
    ]
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(("growth", "high"), [(0.0, "star"), (0.05, "star"), (-0.05, "cash_cow")])
def test_david_imported_beers_relative_share_on_his_axes(growth, high):
    leader = max(DAVID_IMPORTED_BEERS.values())
    followers = {k: v / leader for k, v in DAVID_IMPORTED_BEERS.items() if v < leader}
    # Heineken has 5.0 / 8.0 = .625 of the leader's share: above David's midpoint .50
    assert followers == {
        "Heineken": 0.625,
        "Modelo Especial": 0.25,
        "Tecate": 0.1875,
        "Guinness": 0.125,
    }
    frame = pd.DataFrame({"relative_share": followers, "market_growth": growth})
    scored = kam.score_bcg(frame, growth_cut=0.0, share_cut=0.5)
    low = "question_mark" if growth >= 0 else "dog"
    assert scored["bcg_cell"].to_dict() == {
        "Heineken": high,
        "Modelo Especial": low,
        "Tecate": low,
        "Guinness": low,
    }


def test_a_portfolio_on_davids_axes_is_drawn_at_its_cuts():
    frame = pd.DataFrame(
        [(s, g, r) for s, g, r, _ in DIVISIONS.values()],
        columns=["relative_share", "market_growth", "revenue"],
        index=list(DIVISIONS),
    )
    scored = kam.score_bcg(frame, growth_cut=0.0, share_cut=0.5)
    assert scored["bcg_cell"].tolist() == [c for *_, c in DIVISIONS.values()]
    assert scored.attrs == {"growth_cut": 0.0, "share_cut": 0.5}
    # drawn at the cuts the frame carries, bubbles by revenue, share on a log scale
    ax = kam.plot_bcg_matrix(scored.assign(label=scored.index))
    assert ax.get_xscale() == "log"
    assert float(ax.lines[0].get_xdata()[0]) == 0.5 and float(ax.lines[1].get_ydata()[0]) == 0.0
    sizes = ax.collections[0].get_sizes()
    assert sizes[0] == sizes.max() and sizes[4] == sizes.min()


def test_plot_says_the_cells_in_chinese():
    frame = pd.DataFrame({"label": ["A"], "market_growth": [0.2], "relative_share": [2.0]})
    ax = kam.plot_bcg_matrix(frame, lang="zh")
    shown = {t.get_text() for t in ax.texts}
    assert {"明星", "现金牛", "问题", "瘦狗"} <= shown
    assert ax.get_title() == "BCG 波士顿矩阵"


def test_plot_refuses_a_percent_cut():
    frame = pd.DataFrame({"label": ["A"], "market_growth": [0.2], "relative_share": [2.0]})
    with pytest.raises(InputValidationError, match="looks like a percent"):
        kam.plot_bcg_matrix(frame, growth_cut=10)


def test_the_sample_markets_place_the_three_bus():
    eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    bcg = kam.diagnosis.bcg_positions(eng)
    assert bcg["bcg_cell"].to_dict() == {"PV": "cash_cow", "IC": "dog", "MC": "question_mark"}
    assert math.isclose(bcg.loc["MC", "market_growth"], 0.15, abs_tol=1e-3)
    assert math.isclose(bcg.loc["PV", "relative_share"], 0.19 / 0.15)
    assert bcg.attrs["not_assessed"] == {}
    # a year before the data's first year there is no growth: not assessed, and why
    early = kam.diagnosis.bcg_positions(eng, "2025Q2")
    assert early.empty and early.attrs["not_assessed"] == dict.fromkeys(eng.bu_ids, "no_year_ago")


def test_without_the_markets_table_bcg_is_not_assessed(tmp_path):
    import shutil

    folder = tmp_path / "eng"
    shutil.copytree(kam.paths.SAMPLE_DATA, folder)
    (folder / "markets.csv").unlink()
    eng = kam.load_engagement(folder)
    bcg = kam.diagnosis.bcg_positions(eng)
    assert bcg.empty and set(bcg.attrs["not_assessed"].values()) == {"no_markets"}
    views = kam.diagnosis.portfolio_views(eng)
    assert views["bcg_cell"].isna().all() and views["ge_stance"].notna().all()


def test_a_share_as_a_percent_is_an_error_of_the_file(tmp_path):
    import shutil

    folder = tmp_path / "eng"
    shutil.copytree(kam.paths.SAMPLE_DATA, folder)
    path = folder / "markets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "PV,2024Q4,1400000000,18,0.15"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputValidationError) as info:
        kam.load_engagement(folder)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("markets.csv", 2, "our_share")
