"""History in the report, and year-ago figures the data lack (issue 19).

The headline figures over the quarters up to the report's (``headline_history``: one value
per quarter, as known at the end of the report's quarter, labelled with unit and window,
"not available" where the data lack a figure), their strip of small charts and table in
the report, the cross-quarter index, and the quarterly review's comparisons with quarters
before the data start.
"""

from __future__ import annotations

import copy
import html
import math
import re

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from IPython.display import HTML, Markdown

import kamanalysis as kam
from kamanalysis import paths
from kamanalysis.base.quarters import shift_quarter
from kamanalysis.data.engagement import Engagement
from kamanalysis.diagnosis import (
    feedback_trend,
    headline_history,
    headline_table,
    plot_headline_history,
    quarterly_review,
)
from kamanalysis.diagnosis.overview import revenue_by_quarter
from kamanalysis.report.index import _top_index
from kamanalysis.report.run import run_reports
from kamanalysis.report.sections import Report

matplotlib.use("Agg")

ENGAGEMENT = "huaxin-industrial-group-key-account-marketing-diagnosis"
MEASURES = ["revenue_m", "gross_margin_pct", "index_to_leader", "key_account_feedback"]


@pytest.fixture(scope="module")
def eng(sample):
    return sample


def _edited(eng: Engagement, **drop) -> Engagement:
    """A copy of ``eng`` without the rows ``drop[table](frame)`` marks."""
    frames = dict(eng.tables)
    for table, rows in drop.items():
        frame = frames[table]
        frames[table] = frame.loc[~rows(frame)].reset_index(drop=True)
    return Engagement(copy.deepcopy(eng.settings), frames, eng.source, eng.rows)


# ---------------------------------------------------------------- the history itself


def test_one_row_per_quarter_up_to_the_report_quarter_from_the_package_figures(eng):
    h = headline_history(eng, "PV", "2025Q4")
    assert h.index.tolist() == ["2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert h.columns.tolist() == MEASURES
    sales = revenue_by_quarter(eng.for_bu("PV"))
    for q in h.index:
        assert h.loc[q, "revenue_m"] == pytest.approx(sales.loc[q, "revenue"] / 1e6)
        assert h.loc[q, "gross_margin_pct"] == pytest.approx(sales.loc[q, "gross_margin_pct"])
    history = kam.diagnosis.competitive_position(eng, "PV", "2025Q4").history
    assert h["index_to_leader"].tolist() == pytest.approx(history["index_to_leader"].tolist())
    fb = eng.feedback
    said = fb.loc[(fb["bu_id"] == "PV") & (fb["source"] == "key_account")]
    means = said.groupby("quarter")["score"].mean()
    assert h["key_account_feedback"].tolist() == pytest.approx(means[h.index].tolist())


def test_the_report_quarter_figures_are_the_executive_summary_figures(eng):
    facts = kam.diagnosis.summary.bu_facts(eng, "IC")
    last = headline_history(eng, "IC").iloc[-1]
    assert last["revenue_m"] == pytest.approx(facts["revenue_m"])
    assert last["gross_margin_pct"] == pytest.approx(facts["margin"])
    assert last["index_to_leader"] == pytest.approx(facts["index_to_leader"])


def test_never_a_later_quarter(eng):
    early = headline_history(eng, "MC", "2025Q2")
    pd.testing.assert_frame_equal(early, headline_history(eng.as_of("2025Q2"), "MC"))
    assert early.index[-1] == "2025Q2"
    # a quarter's figures as known then are the figures later reports show for it
    later = headline_history(eng, "MC")
    pd.testing.assert_frame_equal(early, later.loc[early.index], check_freq=False)


def test_rows_of_later_quarters_change_nothing(eng):
    cut = _edited(
        eng,
        account_quarters=lambda f: f["quarter"] > "2025Q2",
        benchmark=lambda f: f["quarter"] > "2025Q2",
        feedback=lambda f: f["quarter"] > "2025Q2",
    )
    pd.testing.assert_frame_equal(
        headline_history(eng, "PV", "2025Q2"), headline_history(cut, "PV", "2025Q2")
    )


def test_a_figure_the_data_lack_is_not_available_never_zero(eng):
    holes = _edited(
        eng,
        benchmark=lambda f: (f["bu_id"] == "PV") & (f["quarter"] == "2025Q1"),
        feedback=lambda f: (f["bu_id"] == "PV") & (f["quarter"] == "2025Q3"),
    )
    h = headline_history(holes, "PV")
    assert math.isnan(h.loc["2025Q1", "index_to_leader"])
    assert math.isnan(h.loc["2025Q3", "key_account_feedback"])
    assert h.drop(index=["2025Q1", "2025Q3"]).notna().all().all()
    for lang, word in (("en", "not available"), ("zh", "无数据")):
        table = headline_table(headline_history(holes, "PV", lang=lang), lang)
        row = table.loc[h.attrs["labels"]["index_to_leader"]] if lang == "en" else table.iloc[2]
        assert row["2025Q1"] == word and "0" not in row["2025Q1"]
        assert table.iloc[3]["2025Q3"] == word
        assert (table == word).sum().sum() == 2


def test_a_bu_without_any_benchmark_draws_an_empty_chart_saying_so(eng):
    none = _edited(eng, benchmark=lambda f: f["bu_id"] == "PV")
    h = headline_history(none, "PV")
    assert h["index_to_leader"].isna().all() and h["revenue_m"].notna().all()
    axes = plot_headline_history(h, lang="zh")
    chart = axes[MEASURES.index("index_to_leader")]
    assert not chart.lines and [t.get_text() for t in chart.texts] == ["无数据"]
    assert len(axes[0].lines) == 1  # the others draw their line
    plt.close(axes[0].figure)


def test_labels_name_unit_and_window_in_both_languages(eng):
    en = headline_history(eng, "PV").attrs["labels"]
    zh = headline_history(eng, "PV", lang="zh").attrs["labels"]
    assert en == {
        "revenue_m": "revenue (quarter, CNY million)",
        "gross_margin_pct": "gross margin (quarter, %, revenue-weighted)",
        "index_to_leader": "index to the leader (quarter's benchmark, leader = 100)",
        "key_account_feedback": "key-account feedback (quarter, mean score 1-5)",
    }
    assert zh["revenue_m"] == "收入（季度，万元）"  # Chinese money (issue 20)
    assert zh["key_account_feedback"] == "大客户反馈（季度，平均分 1-5）"


def test_key_accounts_on_request_count_as_each_quarter_report_did(eng):
    h = headline_history(eng, "MC", "2025Q3", key_accounts=True)
    assert "key_accounts" not in headline_history(eng, "MC", "2025Q3")
    for q in ("2025Q1", "2025Q3"):
        portfolio = kam.diagnosis.key_account_portfolio(eng.as_of(q), "MC", q, draws=20)
        assert h.loc[q, "key_accounts"] == (portfolio["tier"] == "key").sum()
    assert headline_table(h).iloc[-1].tolist() == [f"{n:.0f}" for n in h["key_accounts"]]


def test_the_feedback_trend_is_the_review_one(eng):
    review = quarterly_review(eng, "IC", "2026Q1")
    pd.testing.assert_frame_equal(review.feedback_trend, feedback_trend(eng, "IC", "2026Q1"))


# ---------------------------------------------------------------- in the report


@pytest.fixture(scope="module")
def reports(eng, sample_diagnosis):
    out = {}
    for quarter in ("2025Q2", "2026Q3"):
        then = eng.as_of(quarter)
        # diagnose(then, "PV", ...); in the current quarter ``then`` holds the sample's rows
        # unchanged (no row of a later quarter, no date after its end: the loader refuses
        # one), so its diagnosis is the sample's own, shared with the other report tests
        asked = None if quarter == eng.current_quarter else quarter
        for lang in ("en", "zh"):
            facts, found = sample_diagnosis("PV", lang, asked)
            out[quarter, lang] = Report(then, "PV", facts, found, lang)
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("quarter", ["2025Q2", "2026Q3"])
def test_the_report_shows_the_strip_and_the_table(reports, eng, quarter, lang, no_chart_images):
    # the strip is drawn, not rendered (its alt text is read); the next test renders it
    parts = list(reports[quarter, lang].parts("history"))
    heading, image, table = parts
    assert isinstance(heading, Markdown)
    title = kam.i18n.text("section.history", lang)
    assert heading.data.startswith(f"### {title}")
    assert isinstance(image, HTML)
    alt = html.unescape(re.search(r'<img alt="([^"]*)"', image.data).group(1))
    titles = headline_history(eng, "PV", quarter, lang=lang).attrs["titles"]
    start = "图表：" if lang == "zh" else "Chart: "
    assert alt.startswith(start)
    for title in titles.values():  # each chart's name, unit and window
        assert " ".join(title.split()) in alt
    shown = table.to_html()
    quarters = [q for q in eng.quarters if q <= quarter]
    assert all(q in shown for q in quarters) and shift_quarter(quarter, 1) not in shown


def test_the_strip_draws_chinese_with_the_cjk_font(eng):
    # missing glyphs are errors in this suite (pyproject filterwarnings): a box fails here
    axes = plot_headline_history(headline_history(eng, "PV", lang="zh"), lang="zh")
    fig = axes[0].figure
    fig.canvas.draw()
    titles = [ax.get_title() for ax in axes]
    assert titles[0] == "收入\n（季度，万元）"
    assert "Noto Sans CJK SC" in matplotlib.rcParams["font.family"]
    assert len(axes) == 4 and all(len(ax.lines) >= 1 for ax in axes)
    assert axes[2].lines[0].get_ydata()[0] == 100.0  # the leader's reference line
    plt.close(fig)


def test_the_template_shows_the_history_right_after_the_summary_and_its_contents():
    cells = nbformat.read(paths.DIAGNOSIS_NOTEBOOK, as_version=4).cells
    sources = [c.source for c in cells if c.cell_type == "code"]
    i = sources.index('report.show("history")')
    assert sources[i - 1] == 'report.show("contents")'  # issue 20: contents after the summary
    assert "executive_summary" in sources[i - 2]
    assert sources[i + 1] == 'report.show("overview")'


# ---------------------------------------------------------------- year-ago figures


def test_the_review_says_which_comparisons_the_data_cannot_make(eng):
    early = quarterly_review(eng, "PV", "2025Q2")
    assert early.data_start == "2024Q4"
    assert early.unavailable == {"year_ago": "2024Q2", "growth_yoy": "2024Q4 – 2025Q2"}
    assert "n/a" not in early.summary
    assert "not available (the data start in 2024Q4) since 2024Q2" in early.summary
    first = quarterly_review(eng, "PV", "2024Q4")
    assert set(first.unavailable) == {"previous", "year_ago", "growth_yoy"}
    fifth = quarterly_review(eng, "PV", "2025Q4")
    # only the evaluation's revenue growth of the first four quarters stays unavailable
    assert fifth.unavailable == {"growth_yoy": "2024Q4 – 2025Q3"}
    assert "not available" not in fifth.summary


def test_a_missing_quarter_inside_the_data_says_no_data_not_the_data_start(eng):
    holes = _edited(eng, benchmark=lambda f: (f["bu_id"] == "PV") & (f["quarter"] == "2024Q4"))
    review = quarterly_review(holes, "PV", "2025Q4")
    assert "year_ago" not in review.unavailable
    assert "Benchmark score" in review.summary
    assert "not available (no data for 2024Q4) since 2024Q4" in review.summary


@pytest.mark.parametrize(
    ("lang", "note", "word"),
    [
        ("en", "A year ago (2024Q2): not available, the data start in 2024Q4.", "not available"),
        ("zh", "一年前（2024Q2）：无数据，数据始于 2024Q4。", "无数据"),
    ],
)
def test_the_review_section_says_not_available_and_why(reports, lang, note, word, no_chart_images):
    parts = list(reports["2025Q2", lang].parts("review"))
    notes = [p.data for p in parts if isinstance(p, Markdown)]
    assert f"*{note}*" in notes
    growth = kam.i18n.text(
        "report.review_unavailable.growth_yoy", lang, quarter="2024Q4 – 2025Q2", start="2024Q4"
    )
    assert f"*{growth}*" in notes
    tables = [p.data for p in parts if isinstance(getattr(p, "data", None), pd.DataFrame)]
    changes = next(t for t in tables if "year_ago" in t.columns)
    assert (changes["year_ago"] == word).all()
    assert changes["previous"].dtype == "float64"  # last quarter is in the data
    later = [p.data for p in reports["2026Q3", lang].parts("review") if isinstance(p, Markdown)]
    assert f"*{note}*" not in later and not any("2024Q2" in n for n in later)
    growth = growth.replace("2025Q2", "2025Q3")  # the evaluation still starts in 2024Q4
    assert f"*{growth}*" in later


# ---------------------------------------------------------------- the cross-quarter index


def test_the_top_index_links_every_quarter_run_of_every_engagement(tmp_path):
    runs = {"alpha": ["2025Q1", "2025Q4", "2026Q3"], "beta": ["2024Q4"]}
    for engagement, quarters in runs.items():
        for q in quarters:
            page = tmp_path / engagement / q / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"<title>{engagement.title()} — {q}</title>", encoding="utf-8")
    top = _top_index(tmp_path)
    for engagement, quarters in runs.items():
        assert f"<h2>{engagement.title()}</h2>" in top
        for q in quarters:
            assert f'href="{engagement}/{q}/index.html"' in top
    assert top.index("alpha/2026Q3") < top.index("alpha/2025Q4") < top.index("alpha/2025Q1")


@pytest.mark.slow
def test_a_batch_of_an_early_quarter_shows_the_history_in_chinese(tmp_path):
    result = run_reports(
        paths.SAMPLE_DATA, tmp_path, bus=["PV"], quarter="2025Q2", lang="zh", progress=False
    )
    page = result.reports["PV"].read_text(encoding="utf-8")
    assert "主要指标的季度走势" in page and "收入（季度，万元）" in page
    assert page.index("主要指标的季度走势") < page.index("1. 数据概览")
    assert "一年前（2024Q2）：无数据，数据始于 2024Q4。" in page
    assert "2025Q3" not in page
    top = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{ENGAGEMENT}/2025Q2/index.html" in top


def test_a_ledger_only_engagement_shows_what_it_has_and_says_what_it_lacks(
    tmp_path, no_chart_images
):
    import shutil

    from kamanalysis.base.schema import TABLES

    data = tmp_path / "ledger-only"
    data.mkdir()
    for name in ("engagement.toml", *(f"{t}.csv" for t, s in TABLES.items() if s.required)):
        shutil.copy(paths.SAMPLE_DATA / name, data / name)
    ledger = kam.load_engagement(data)
    h = headline_history(ledger, "PV")
    assert h["revenue_m"].notna().all() and h["gross_margin_pct"].notna().all()
    assert h["index_to_leader"].isna().all() and h["key_account_feedback"].isna().all()
    facts, found = kam.findings.diagnose(ledger, "PV")
    _, image, table = Report(ledger, "PV", facts, found).parts("history")
    assert (table.data.iloc[2:] == "not available").all().all()
    assert "<img" in image.data
