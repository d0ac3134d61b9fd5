"""The reports a client reads: summary first, every section with findings, no code, two languages."""

from __future__ import annotations

import re

import pytest

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.base.i18n import text as catalogue_text

#: Sections of the report and the findings each must carry.
SECTIONS = (
    "overview",
    "pest",
    "forces",
    "evolution",
    "position",
    "competitive",
    "review",
    "portfolio",
    "management",
)


@pytest.fixture
def reports(sample_reports):
    """The sample's reports in English and in Chinese (``kam report --lang zh``), shared."""
    return sample_reports


def text_of(path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def findings_between(text: str, start: str, stop: str | None) -> str:
    begin = text.index(start)
    end = text.index(stop, begin) if stop else len(text)
    return text[begin:end]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
def test_summary_first_every_section_with_a_finding_no_code_no_row_numbers(reports, lang, bu):
    path = reports[lang].reports[bu]
    text = text_of(path)
    summary = catalogue_text("summary.title", lang)
    first_section = catalogue_text("section.overview", lang)
    assert text.index(summary) < text.index(first_section)
    _, found = kam.findings.diagnose(kam.load_engagement(paths.SAMPLE_DATA), bu, lang=lang)
    for section in SECTIONS:
        shown = found.loc[found["section"] == section, "finding"]
        assert len(shown) >= 1, (bu, section)
        assert kam.display.safe(shown.iloc[0]).replace("&amp;", "&") in text, (bu, section)
    html = path.read_text(encoding="utf-8")
    assert "import kamanalysis" not in text and "kam.display" not in text
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "jp-InputArea-editor" not in body and 'class="highlight' not in body  # no code
    # pandas row numbers: an unnamed integer index would render as a row-heading 0, 1, 2 ...
    assert not re.search(
        r'<th id="T_kam\w+_level0_row0" class="row_heading level0 row0" >0</th>', html
    )


def test_the_chinese_report_speaks_chinese_and_draws_no_boxes(reports):
    text = text_of(reports["zh"].reports["IC"])
    for title in (
        "执行摘要",
        "五力模型",
        "产业演变轨迹",
        "战略定位",
        "大客户组合",
        "大客户经理与组织",
        "建议行动",
    ):
        assert title in text, title
    assert "Executive summary" not in text and "Recommended actions" not in text
    notebook = (reports["zh"].folder / "IC.ipynb").read_text(encoding="utf-8")
    assert "Glyph" not in notebook and "missing from font" not in notebook


def test_coatings_says_it_weakens_why_and_what_to_do(reports):
    text = text_of(reports["en"].reports["IC"])
    summary = findings_between(text, "Executive summary", "1. Data overview")
    assert "Industrial Coatings: weakening on every count" in summary
    assert "Revenue -16.7% on a year ago (2025Q3)" in summary
    # why: the accounts behind the fall (issue 18's bridge), the feedback, the stance
    assert "Nanhai Shipyard 南海船厂 (IC001) 22%" in summary
    assert "key accounts rate us lower (-0.40, weakest: product quality)" in summary
    assert "the data favour harvest or divest" in summary
    # issue 17: one risk view; Beifang Rail Vehicles' one signal (falling feedback) leaves its
    # health at 85 of 100, not at risk
    assert "are at risk (health below 60 of 100)" not in summary
    # what to do: who acts, by when, and the issue each action answers
    assert "Recommended actions" in summary
    # the action follows the feedback's cause, product quality (issue 18, part 4)
    assert "BU head, this quarter: Start a quality programme" in summary
    assert "the largest part comes from Product quality (-0.40)" in text
    assert "Margin is lost in Operations" in text


def test_pumps_and_valves_says_pv002_is_big_but_not_key_and_what_to_do(reports):
    text = text_of(reports["en"].reports["PV"])
    assert (
        "Dongfang Heavy Machinery 东方重机 is among the three largest accounts but is not a key "
        "account" in text
    )
    assert (
        "Keep serving Dongfang Heavy Machinery 东方重机, on terms that pay: a price floor" in text
    )
