"""The report's sections: what each shows, partial engagements, alt text, both languages."""

import copy
import re

import matplotlib
import pandas as pd
import pytest
from IPython.display import HTML, Markdown

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.data.engagement import Engagement
from kamanalysis.report.sections import Report

matplotlib.use("Agg")

SECTIONS = kam.display.SECTIONS
OPTIONAL = [name for name, table in TABLES.items() if not table.required]


def _markdown(parts) -> str:
    return "\n".join(p.data for p in parts if isinstance(p, Markdown))


def _report(eng, bu="PV", lang="en") -> Report:
    facts, found = kam.findings.diagnose(eng, bu, lang=lang)
    return Report(eng, bu, facts, found, lang)


def _without(sample, *tables: str) -> Engagement:
    """The sample with ``tables`` emptied: what a partial engagement loads as."""
    frames = {name: frame for name, frame in sample.tables.items()}
    for name in tables:
        frames[name] = frames[name].iloc[0:0]
    return Engagement(copy.deepcopy(sample.settings), frames, sample.source, sample.rows)


@pytest.fixture(scope="module")
def full(sample, sample_diagnosis):
    return {
        lang: Report(sample, "PV", *sample_diagnosis("PV", lang), lang) for lang in ("en", "zh")
    }


# The tests of a section's texts and tables draw its charts but leave them unrendered
# (no_chart_images); the alt-text test renders every chart, in Chinese.


@pytest.mark.parametrize("key", SECTIONS)
def test_every_section_shows_its_heading_and_no_not_assessed_on_the_full_sample(
    full, key, no_chart_images
):
    parts = list(full["en"].parts(key))
    text = _markdown(parts)
    assert text.lstrip().startswith("#")
    assert "Not assessed" not in text
    assert len(parts) >= 2


def test_every_chart_has_alt_text_naming_its_title(full):
    images = [
        p.data
        for key in SECTIONS
        for p in full["zh"].parts(key)
        if isinstance(p, HTML) and "<img" in p.data
    ]
    assert len(images) >= 8
    alts = [re.search(r'<img alt="([^"]*)"', image).group(1) for image in images]
    assert all(alt.startswith("图表：") and len(alt) > 5 for alt in alts)
    assert any("五力模型" in alt for alt in alts)


def test_chinese_portfolio_says_why_in_chinese(full):
    portfolio = kam.diagnosis.key_account_portfolio(full["zh"].eng, "PV", lang="zh")
    reasons = portfolio.loc["PV002", "reasons"]
    assert reasons.startswith("机会主义：吸引力不足且我们不具优势")  # its tier first (issue 17)
    assert "吸引力不足：标准得分 3.32，低于 3.75" in reasons
    assert "规模大，但不是大客户" in reasons
    assert "qualif" not in reasons


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_partial_engagement_says_which_tools_were_not_assessed(sample, lang, no_chart_images):
    eng = _without(sample, *OPTIONAL)
    report = _report(eng, "PV", lang)
    assert set(report.facts["not_assessed"]) == {*kam.summary.TOOL_TABLES, "managers"}
    summary = kam.display.executive_summary(report.facts, report.found, lang)
    said = kam.i18n.text("summary.not_assessed", lang, tools="").split("{")[0][:6]
    assert said in summary
    notes = {key: _markdown(report.parts(key)) for key in SECTIONS}
    note = kam.i18n.text("summary.not_assessed", lang, tools="")[:6]
    for key in ("external", "position", "competitive", "portfolio", "management"):
        assert note in notes[key], key
    # the sales ledger is still diagnosed
    assert note not in notes["overview"]
    assert kam.i18n.text("section.top_accounts", lang) in notes["overview"]


def test_a_missing_tool_leaves_the_others_whole(sample, no_chart_images):
    eng = _without(sample, "pest", "value_chain")
    report = _report(eng)
    external = _markdown(report.parts("external"))
    assert external.count("Not assessed this quarter") == 1
    note = external.index("Not assessed this quarter: PEST")
    assert external.index("### PEST") < note < external.index("### Five forces")
    competitive = list(report.parts("competitive"))
    assert "Not assessed this quarter: value chain" in _markdown(competitive)
    assert any(isinstance(p, HTML) and "Benchmark" in p.data for p in competitive)


def test_positions_leave_out_a_bu_without_workshop_data(sample, no_chart_images):
    frames = dict(sample.tables)
    frames["forces"] = sample.forces.loc[sample.forces["bu_id"] != "IC"]
    eng = Engagement(copy.deepcopy(sample.settings), frames, sample.source, sample.rows)
    positions = kam.diagnosis.strategic_position(eng)
    assert positions.index.tolist() == ["PV", "MC"]
    report = _report(eng, "IC")
    assert "Not assessed this quarter: five forces" in _markdown(report.parts("position"))
    assert "ge_strategy" not in report.facts


@pytest.mark.slow
def test_a_report_from_the_three_required_tables_says_what_was_not_assessed(tmp_path):
    """The issue's case: an engagement holding only the sales ledger and its master data."""
    import shutil

    from kamanalysis.base import paths
    from kamanalysis.report import run_reports

    data = tmp_path / "ledger-only"
    data.mkdir()
    for name in ("engagement.toml", *(f"{t}.csv" for t, s in TABLES.items() if s.required)):
        shutil.copy(paths.SAMPLE_DATA / name, data / name)
    result = run_reports(data, tmp_path / "out", bus=["PV"], jobs=1, progress=False)
    page = result.reports["PV"].read_text(encoding="utf-8")
    summary = page[page.index("Executive summary") : page.index("1. Data overview")]
    assert "Not assessed this quarter: PEST, five forces, industry evolution, IFE/EFE" in summary
    for tool in (
        "PEST.",
        "five forces.",
        "benchmarking.",
        "value chain.",
        "key-account assessment.",
    ):
        assert f"Not assessed this quarter: {tool}" in page
    assert "Largest accounts this quarter" in page and "59,974,115" in page  # PV, 2026Q3
    index = result.index.read_text(encoding="utf-8")
    assert "PEST, five forces" in index


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_table_of_accounts_shows_the_largest_and_links_the_rest(full, lang):
    # 9,000 accounts that moved between quadrants are no reading for a client
    moved = pd.DataFrame(
        {
            "account_id": ["S", "B", "M", "B", "gone"],
            "column": ["quadrant", "quadrant", "q", "s", "q"],
        }
    )
    revenue = pd.Series({"S": 1.0, "B": 9.0, "M": 5.0})
    (table,) = full[lang]._largest(moved, revenue, 3)
    assert table.data["account_id"].tolist() == ["B", "B", "M"]
    assert "3" in table.caption and "5" in table.caption and 'href="#kam-A' in table.caption
    (whole,) = full[lang]._largest(moved, revenue, 5)  # all fit: no link, the order kept
    assert whole.data["account_id"].tolist() == moved["account_id"].tolist()
    assert whole.caption is None
