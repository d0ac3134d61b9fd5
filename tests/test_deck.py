"""The per-BU PowerPoint deck (issue 21): slides, native charts, notes, Chinese, templates."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from pptx import Presentation
from pptx.util import Inches

from kamanalysis import diagnosis
from kamanalysis.base.errors import ReportError
from kamanalysis.base.i18n import catalogue, text
from kamanalysis.diagnosis.overview import revenue_by_quarter
from kamanalysis.report.brief import _short, executive_summary, issue_groups
from kamanalysis.report.deck import _plain, check_template, write_deck

BUS = ("PV", "IC", "MC")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def decks(sample, sample_diagnosis, tmp_path_factory):
    """Every sample BU's deck in English, PV's in Chinese: (bu, lang) -> (deck, facts, found)."""
    folder = tmp_path_factory.mktemp("decks")
    out = {}
    for bu, lang in [*((bu, "en") for bu in BUS), ("PV", "zh")]:
        facts, found = sample_diagnosis(bu, lang)  # diagnose(sample, bu, lang=lang), shared
        path = write_deck(
            sample, bu, folder / f"{bu}_{lang}.pptx", lang=lang, facts=facts, found=found
        )
        out[bu, lang] = (Presentation(path), facts, found)
    return out


def summary_issues(facts, found, lang) -> list[str]:
    """The issues the report's executive summary shows, as its numbered lines say them."""
    summary = executive_summary(facts, found, lang)
    part = summary.split("###")[1]  # the issues, before the actions' heading
    n = len(re.findall(r"^\d+\. ", part, flags=re.M))
    return [_plain(_short(group[0].finding, lang)) for group in issue_groups(found)[:n]]


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def charts(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


def series_values(deck) -> list[list[float]]:
    return [list(s.values) for chart in charts(deck) for s in chart.plots[0].series]


@pytest.mark.parametrize("key", [*((bu, "en") for bu in BUS), ("PV", "zh")])
def test_title_slide_names_client_bu_and_quarter(decks, sample, key):
    deck, facts, _ = decks[key]
    first = texts(deck.slides[0])
    bu, lang = key
    assert sample.named(lang).bu_name(bu, lang) in first and bu in first
    assert facts["quarter"] in first
    assert sample.settings["engagement"]["client"] in first


@pytest.mark.parametrize("key", [*((bu, "en") for bu in BUS), ("PV", "zh")])
def test_one_slide_per_summary_issue_with_its_actions_and_evidence(decks, key):
    deck, facts, found = decks[key]
    issues = summary_issues(facts, found, key[1])
    assert len(issues) >= 3
    slides = list(deck.slides)
    # title, executive summary, then the issue slides: the finding as the title
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[2 : 2 + len(issues)] == issues
    assert titles[2 + len(issues)].startswith("1.")  # the first section: no extra issue slide
    for slide, group in zip(slides[2:], issue_groups(found), strict=False):
        if slide.shapes.title.text not in issues:
            break
        notes = slide.notes_slide.notes_text_frame.text
        finding = _plain(group[0].finding)
        assert finding in notes  # the finding in full: its numbers, window and unit
        assert re.search(r"\d", notes)
        assert facts["quarter"] in notes
        tables = [s.table for s in slide.shapes if s.has_table]
        if any(row.action for row in group):
            assert tables and len(tables[0].rows) >= 2  # who, by when, what, measure
        else:  # an issue no rule has an action for says so (IC's gross-profit fall)
            words = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            assert not tables and text("deck.no_action", key[1]) in words


@pytest.mark.parametrize("key", [*((bu, "en") for bu in BUS), ("PV", "zh")])
def test_native_charts_carry_the_reports_numbers(decks, sample, key):
    deck, facts, _ = decks[key]
    bu, lang = key
    eng, quarter = sample.named(lang), facts["quarter"]
    assert len(charts(deck)) >= 3
    values = series_values(deck)

    def holds(expected) -> bool:
        expected = list(np.asarray(expected, dtype=float))
        return any(
            np.allclose(v, expected, equal_nan=True) for v in values if len(v) == len(expected)
        )

    revenue = revenue_by_quarter(eng.for_bu(bu))["revenue"]
    assert holds(revenue / (1e6 if lang == "en" else 1e4))  # 万元 in Chinese
    forces = diagnosis.five_forces(eng, bu, quarter).forces
    assert holds(forces["intensity"])
    factors = diagnosis.competitive_position(eng, bu, quarter).benchmark.factors
    assert holds(factors["focal"]) and holds(factors["reference"])
    fit = diagnosis.account_management(eng, bu, quarter, lang=lang).fit
    assert holds(fit["fit"].sort_values(kind="stable"))
    bubble = next(c for c in charts(deck) if c.chart_type == 15)  # XL_CHART_TYPE.BUBBLE
    portfolio = diagnosis.key_account_portfolio(eng, bu, quarter, lang=lang)
    strengths = sorted(v for s in bubble.plots[0].series for v in s.values)
    assert set(np.round(strengths, 6)) <= set(np.round(portfolio["strength"].dropna(), 6))


def test_section_slides_have_notes_and_one_table_at_most(decks):
    deck, *_ = decks["PV", "en"]
    sections = [s for s in deck.slides if re.match(r"\d\. ", s.shapes.title.text)]
    assert len(sections) == 7
    for slide in sections:
        assert sum(s.has_table for s in slide.shapes) <= 1
        assert slide.notes_slide.notes_text_frame.text.strip()


def test_chinese_deck_is_chinese(decks, sample):
    deck, *_ = decks["PV", "zh"]
    for slide in deck.slides:
        assert CJK.search(slide.shapes.title.text), slide.shapes.title.text
    every = "\n".join(texts(slide) for slide in deck.slides)
    every += "\n".join(
        cell.text
        for slide in deck.slides
        for s in slide.shapes
        if s.has_table
        for row in s.table.rows
        for cell in row.cells
    )
    every += "\n".join(
        str(name)
        for chart in charts(deck)
        for name in [*chart.plots[0].categories, *(s.name for s in chart.plots[0].series)]
    )
    # the data's names (the client, the engagement) may be English; nothing of the software's
    eng = sample.settings["engagement"]
    for name in (eng["client"], eng["name"]):
        every = every.replace(name, "")
    english = {
        row["en"] for key, row in catalogue().items() if key.startswith(("deck.", "section."))
    }
    words = set(re.findall(r"[A-Za-z][A-Za-z-]+", every))
    assert not {w for w in english if w in every and len(w) > 3}
    acronyms = {"PEST", "IFE", "EFE", "GE", "IE", *BUS}  # and the IE cells' roman numerals
    assert {w for w in words if not re.fullmatch("[IVX]+", w)} <= acronyms, words


def test_a_template_gives_its_slide_size_and_master(sample, tmp_path, decks):
    firm = Presentation()
    firm.slide_width, firm.slide_height = Inches(10), Inches(7.5)  # 4:3, not the default 16:9
    firm.slide_masters[0].slide_layouts[5]._element.cSld.set("name", "Firm title only")
    firm.slides.add_slide(firm.slide_layouts[0]).shapes.title.text = "FIRM COVER"
    template = tmp_path / "firm.pptx"
    firm.save(template)
    deck = Presentation(write_deck(sample, "IC", tmp_path / "IC.pptx", template=template))
    assert (deck.slide_width, deck.slide_height) == (Inches(10), Inches(7.5))
    assert "FIRM COVER" not in "\n".join(texts(slide) for slide in deck.slides)
    layouts = {slide.slide_layout.name for slide in deck.slides}
    assert "Firm title only" in layouts  # picked by its placeholders: a title only
    default, *_ = decks["IC", "en"]  # written without a template
    assert default.slide_width == Inches(13.333) and len(default.slides) == len(deck.slides)


def test_check_template_names_the_file(tmp_path):
    with pytest.raises(ReportError, match=r"nothing\.pptx.*readable PowerPoint.*no such file"):
        check_template(tmp_path / "nothing.pptx")
    fake = tmp_path / "notes.pptx"
    fake.write_text("just text", encoding="utf-8")
    with pytest.raises(ReportError, match=r"notes\.pptx.*readable PowerPoint.*not a zip"):
        check_template(fake)
    with pytest.raises(ReportError, match="a folder"):
        check_template(tmp_path)
    with pytest.raises(ReportError, match="firm.pptx"):
        write_deck(None, "PV", tmp_path / "x.pptx", template=tmp_path / "firm.pptx")


def test_the_report_does_not_import_python_pptx():
    code = (
        "import sys, kamanalysis, kamanalysis.report.run, kamanalysis.report.deck;"
        "assert 'pptx' not in sys.modules, 'pptx imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
