"""A report that reads in minutes (issue 20 item 4): contents, appendix, short body tables."""

import re

import matplotlib
import pandas as pd
import pytest
from IPython.display import Markdown

import kamanalysis as kam
from kamanalysis.report import layout
from kamanalysis.report.display import styled
from kamanalysis.report.sections import Report

matplotlib.use("Agg")

BUS = ("PV", "IC", "MC")


def _report(eng, lang="en") -> Report:
    facts, found = kam.findings.diagnose(eng, "PV", lang=lang)
    return Report(eng, "PV", facts, found, lang)


def _rows(item) -> int:
    return len(item.data)


# ---------------------------------------------------------------- routing, without a batch


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_table_shows_its_first_rows_and_links_the_full_one_in_the_appendix(sample, lang):
    report = _report(sample, lang)
    heading = report._heading("top_accounts")
    long = pd.DataFrame({"factor": [f"f{i}" for i in range(20)], "revenue": range(20)})
    body = report._table(long.astype({"revenue": float}))
    assert _rows(body) == layout.BODY_ROWS
    assert list(body.data["factor"]) == [f"f{i}" for i in range(layout.BODY_ROWS)]
    assert 'href="#kam-A1"' in body.caption and "20" in body.caption
    assert 'id="kam-top_accounts"' in heading.data
    (entry,) = report.appendix.entries
    assert entry.key == "A1" and entry.title == kam.i18n.text("section.top_accounts", lang)
    assert [_rows(item) for item in entry.items] == [20]
    # a table that fits stays whole in the body and adds nothing to the appendix
    short = report._table(long.head(layout.BODY_ROWS))
    assert _rows(short) == layout.BODY_ROWS and short.caption is None
    assert len(report.appendix) == 1
    # the appendix shows the entry under its own anchor, linked from the appendix's list
    shown = list(report.parts("appendix"))
    text = "\n".join(p.data for p in shown if isinstance(p, Markdown))
    assert 'id="kam-appendix"' in text and 'href="#kam-A1"' in text and 'id="kam-A1"' in text
    assert shown[-1] is entry.items[0]


def test_tables_under_one_heading_share_an_entry_and_the_next_heading_starts_another(sample):
    report = _report(sample)
    long = pd.DataFrame({"x": range(12)})
    report._heading("boards")
    first, second = report._table(long), report._table(long, rows=3)
    report._heading("factors")
    third = report._table(long)
    assert [_rows(t) for t in (first, second, third)] == [layout.BODY_ROWS, 3, layout.BODY_ROWS]
    assert ["kam-A1" in t.caption for t in (first, second)] == [True, True]
    assert "kam-A2" in third.caption
    assert [len(e.items) for e in report.appendix.entries] == [2, 1]


def test_the_appendix_caps_a_very_long_table_and_says_so(sample, monkeypatch):
    monkeypatch.setattr("kamanalysis.report.sections.APPENDIX_ROWS", 10)
    report = _report(sample)
    report._table(pd.DataFrame({"x": range(25)}))
    (full,) = report.appendix.entries[0].items
    assert _rows(full) == 10 and "25" in full.caption


def test_the_largest_accounts_come_first_with_their_rows_together(sample):
    report = _report(sample)
    moved = pd.DataFrame({"account_id": ["S", "B", "M", "B", "gone"], "x": range(5)})
    revenue = pd.Series({"S": 1.0, "B": 9.0, "M": 5.0})
    (table,) = report._largest(moved, revenue, 2)
    assert table.data["account_id"].tolist() == ["B", "B"]
    (full,) = report.appendix.entries[0].items
    assert full.data["account_id"].tolist() == ["B", "B", "M", "S", "gone"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_contents_link_every_section_and_the_appendix(sample, lang):
    (contents,) = _report(sample, lang).parts("contents")
    links = re.findall(r'href="#kam-(\w+)"', contents.data)
    assert links == ["history", *kam.display.SECTIONS, "appendix"]
    assert kam.i18n.text("contents.title", lang) in contents.data


def test_text_columns_are_left_aligned_and_numbers_keep_to_the_right():
    frame = pd.DataFrame({"revenue": [1.0], "name": ["Acme"]}, index=pd.Index(["Q"], name="q"))
    html = styled(frame).to_html()
    assert re.search(r"td\.col1 \{\s*text-align: left;", html)
    assert "td.col0" not in html  # numbers: the page's right alignment
    assert re.search(r"th\.row_heading\.level0 \{\s*text-align: left;", html)


def test_the_print_css_is_in_the_report_template():
    from kamanalysis.report.engine import OFFLINE_TEMPLATE

    assert layout.REPORT_CSS in OFFLINE_TEMPLATE
    assert "size: A4" in layout.REPORT_CSS and "break-inside: avoid" in layout.REPORT_CSS


# ---------------------------------------------------------------- the sample's reports


def _body_and_ids(page: str) -> tuple[str, set[str]]:
    start = page.index('id="kam-appendix"')
    return page[:start], set(re.findall(r'\bid="([^"]+)"', page))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("bu", BUS)
def test_the_sample_reports_have_contents_an_appendix_and_short_body_tables(
    sample_reports, lang, bu
):
    page = sample_reports[lang].reports[bu].read_text(encoding="utf-8")
    body, ids = _body_and_ids(page)
    contents = body[body.index('id="kam-contents"') :]
    contents = contents[: contents.index("</ul>")]
    links = re.findall(r'href="#(kam-[^"]+)"', contents)  # (nbconvert adds its own ¶ link)
    assert links == [f"kam-{key}" for key in ("history", *kam.display.SECTIONS, "appendix")]
    assert set(links) <= ids, set(links) - ids
    assert set(re.findall(r'href="#(kam-[^"]+)"', page)) <= ids  # every link resolves
    # the contents come right after the executive summary
    summary = page.index(kam.i18n.text("summary.title", lang))
    assert summary < page.index('id="kam-contents"') < page.index('id="kam-history"')
    rows = [len(re.findall(r"<tr>", t)) for t in re.findall(r"<tbody>.*?</tbody>", body, re.S)]
    assert rows and max(rows) <= layout.BODY_ROWS
    appendix = page[page.index('id="kam-appendix"') :]
    assert 'id="kam-A1"' in appendix and appendix.count("<table") >= 5
    for entry in re.findall(r'id="(kam-A\d+)"', appendix):  # each linked from the body
        assert f'href="#{entry}"' in body, entry


def test_a_table_by_quarter_shows_its_latest_quarters_in_the_body(sample, sample_diagnosis):
    # the quarter diagnosed is never the row cut off: the body shows the last rows
    facts, found = sample_diagnosis("PV")
    report = Report(sample, "PV", facts, found)
    quarters = [f"202{y}Q{q}" for y in (4, 5, 6) for q in (1, 2, 3, 4)]
    frame = pd.DataFrame(
        {"revenue": range(len(quarters))}, index=pd.Index(quarters, name="quarter")
    )
    body = report._table(frame)
    assert list(body.data.index) == quarters[-layout.BODY_ROWS :]
    assert body.caption.startswith(f"The last {layout.BODY_ROWS} of {len(quarters)} rows")
