"""What the data put into a report shows as text, never as markup."""

from __future__ import annotations

import shutil

import pandas as pd
from conftest import read_rows, write_rows

import kamanalysis as kam

SCRIPT = "<script>alert(1)</script>"


def test_tables_escape_cells_index_and_headers():
    frame = pd.DataFrame({SCRIPT: [SCRIPT], "revenue": [1.0]}, index=[SCRIPT])
    html = kam.display.styled(frame).to_html()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3


def test_headline_and_summaries_escape_names_from_the_data(sample_copy):
    rows = read_rows(sample_copy / "business_units.csv")
    rows[1][1] = SCRIPT  # the name of the first BU
    write_rows(sample_copy / "business_units.csv", rows)
    eng = kam.load_engagement(sample_copy)
    text = kam.display.headline(eng, eng.bu_ids[0])
    assert "<script>" not in text and "&lt;script&gt;" in text
    shutil.rmtree(sample_copy)


def test_the_executive_summary_gives_verdict_issues_and_actions(sample):
    from kamanalysis.diagnosis.summary import bu_facts
    from kamanalysis.report.findings import evaluate

    facts = bu_facts(sample, "IC")
    en = kam.display.executive_summary(facts, evaluate(facts), "en")
    assert en.startswith("## Executive summary")
    assert "**Verdict:** Industrial Coatings: weakening on every count" in en
    assert en.index("### The issues, by money at stake") < en.index("### Recommended actions")
    # issue 18: the ledger answers where the decline comes from; no "find out" any more
    assert "Find out where the decline comes from" not in en
    assert "4 accounts explain 53% of the revenue fall" in en
    # the falling feedback's cause, product quality, leads to its action (issue 18, part 4)
    assert "1. BU head, this quarter: Start a quality programme" in en
    zh = kam.display.executive_summary(facts, evaluate(facts, lang="zh"), "zh")
    assert zh.startswith("## 执行摘要") and "### 建议行动" in zh and "收获剥离" in zh


def test_a_section_without_findings_says_none(sample):
    from kamanalysis.report.findings import evaluate

    assert kam.display.findings_markdown(evaluate({}), "pest", "zh") == "*无。*"
