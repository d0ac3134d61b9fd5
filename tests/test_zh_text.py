"""A Chinese report speaks Chinese: the software's own words, its number style, its page.

Issue 20, item 2. The slow tests read the sample's zh reports (``sample_report_zh``: every
BU and the quarter's index, as ``kam report --lang zh`` writes them) and one zh account
plan; the data values (names, factors, comments: the engagement's ``text`` and ``id``
columns, its settings) are taken out, and what is left may hold no Latin word but the
accepted acronyms. The fast tests check the Chinese money and percentage-point formats.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from kamanalysis.base import i18n
from kamanalysis.base.schema import TABLES

#: Latin words a Chinese report may show: the methods' acronyms, Roman cell numbers, the
#: author of the evolution trajectories, the package's name. Keep the list short.
ACCEPTED = {"PEST", "IFE", "EFE", "GE", "IE", "SPIN", "KAM", "BU", "HTML", "csv", "kamanalysis"}
# issue 26's methods and TOWS's quadrants, named so in Chinese texts (SWOT 分析, SO 战略, BCG
# 波士顿矩阵), and the backtest's AUC (issue 24)
ACCEPTED |= {"SWOT", "TOWS", "BCG", "SO", "ST", "WO", "WT", "AUC"}
ROMAN = re.compile(r"^[IVX]+$")
LATIN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")


class _Text(HTMLParser):
    """The text a reader sees or hears: the page's text, title and alt texts, no style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "script")
        self.parts += [value for name, value in attrs if name in ("alt", "title") and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def data_values(eng) -> list[str]:
    """The engagement's free texts and codes (names, factors, comments) and its settings."""
    values: set[str] = set()
    for name, table in eng.tables.items():
        table = table.reset_index()
        for column in TABLES[name].columns:
            if column.kind in ("text", "id") and column.name in table:
                values |= {str(v) for v in table[column.name].dropna()}

    def walk(node) -> None:
        for value in node.values():
            if isinstance(value, dict):
                walk(value)
            elif isinstance(value, str):
                values.add(value)

    walk(eng.settings)
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def software_latin(page: str, values: list[str]) -> dict[str, str]:
    """Latin words of the page outside the data values and :data:`ACCEPTED`, with context."""
    text = visible_text(page)
    pattern = "|".join(map(re.escape, values))
    text = re.sub(rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])", " ", text)
    text = re.sub(r"\b\w+\.csv\b", " ", text)  # a file name
    found = {}
    for match in LATIN.finditer(text):
        word = match.group()
        if word not in ACCEPTED and not ROMAN.match(word):
            found.setdefault(word, text[max(0, match.start() - 40) : match.end() + 40])
    return found


def _pages(report) -> dict[str, str]:
    pages = {bu: path.read_text(encoding="utf-8") for bu, path in report.reports.items()}
    pages["index"] = report.index.read_text(encoding="utf-8")
    return pages


# ------------------------------------------------------------------------------ fast
def test_money_is_written_in_wan_below_one_yi_and_in_yi_from_there():
    assert i18n.zh_money(64_678_909) == "6,468 万元"
    assert i18n.zh_money(99_000_000) == "9,900 万元"
    assert i18n.zh_money(100_000_000) == "1.00 亿元"
    assert i18n.zh_money(1_234_567_890) == "12.35 亿元"
    assert i18n.zh_money(-2.5e8, signed=True) == "-2.50 亿元"
    assert i18n.zh_money(3.2e6, signed=True) == "+320 万元"
    assert i18n.zh_money(50_000) == "5.0 万元"
    assert i18n.zh_money(3e8, "USD") == "3.00 亿美元"


def test_the_money_spec_takes_millions_and_the_currency_placeholder():
    assert i18n.fill("为 {x:money}", x=64.7, currency="CNY") == "为 6,470 万元"
    assert i18n.fill("变化 {x:+money}", x=-150.0, currency="CNY") == "变化 -1.50 亿元"
    assert i18n.placeholders("{x:money}") == {"x", "currency"}


def test_chinese_texts_write_no_millions_and_points_as_percentage_points():
    from kamanalysis.report.findings import package_rules

    zh = [entry["zh"] for entry in i18n.catalogue().values()]
    rules = package_rules()
    zh += list(rules["finding_zh"]) + list(rules["action_zh"])
    assert not [t for t in zh if "百万" in t]
    assert not [t for t in zh if re.search(r"\d\s*(点|pp)\b", t)]
    assert "个百分点" in i18n.text(
        "verdict.fig.margin", "zh", margin=30.0, change=-1.5, quarter="Q"
    )


def test_chinese_terms_follow_the_seeds():
    assert i18n.label("driver", "zh", kind="social_style") == "推动型"  # seed 003
    assert i18n.label("expressive", "zh", kind="social_style") == "表达型"
    assert i18n.label("hold and maintain", "zh") != "保持维持"
    zh = " ".join(entry["zh"] for entry in i18n.catalogue().values())
    assert "驾驭型" not in zh and "表现型" not in zh


def test_a_chinese_table_shows_money_in_wan_or_yi_with_the_unit_in_the_header():
    from kamanalysis.report.display import styled

    small = styled(pd.DataFrame({"revenue": [64_678_909.0, 1_000.0]}), "zh").to_html()
    assert "收入（万元）" in small and "6,467.9" in small and "0.1" in small
    large = styled(pd.DataFrame({"revenue": [2.5e8]}), "zh").to_html()
    assert "收入（亿元）" in large and "2.50" in large
    english = styled(pd.DataFrame({"revenue": [64_678_909.0]}), "en").to_html()
    assert "64,678,909" in english and "万" not in english


def test_the_latin_word_filter_catches_software_words_and_spares_data():
    page = "<html><body><p>将 Acme（A1）（partnership）与 IE 第 VIII 格</p></body></html>"
    assert set(software_latin(page, ["Acme", "A1"])) == {"partnership"}


# ------------------------------------------------------------------------------ slow
def test_the_chinese_reports_and_index_hold_no_english_of_the_software(sample, sample_report_zh):
    values = data_values(sample)
    pages = _pages(sample_report_zh)
    assert set(pages) == {*sample.bu_ids, "index"}
    found = {name: software_latin(page, values) for name, page in pages.items()}
    assert not {name: words for name, words in found.items() if words}


@pytest.mark.parametrize("name", ["PV", "IC", "MC", "index"])
def test_the_chinese_pages_declare_chinese_and_have_a_chinese_title(sample_report_zh, name):
    page = _pages(sample_report_zh)[name]
    assert '<html lang="zh-CN">' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert re.search(r"[\u4e00-\u9fff]{4}", title), title


def test_the_chinese_pages_write_money_in_wan_or_yi(sample_report_zh):
    for name, page in _pages(sample_report_zh).items():
        text = visible_text(page)
        assert "百万" not in text, name
        assert re.search(r"（(万|亿)元）", text), name  # a table header with the unit
    report = visible_text(_pages(sample_report_zh)["PV"])
    assert re.search(r"\d 万元", report)  # in a sentence


def test_the_top_index_of_a_chinese_run_is_chinese(sample_report_zh):
    page = (sample_report_zh.out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<title>诊断报告</title>" in page


def test_a_chinese_account_plan_holds_no_english_of_the_software(sample):
    from kamanalysis.report.plans import account_plan_html

    page = account_plan_html(sample, "PV002", lang="zh")
    assert '<html lang="zh-CN">' in page
    assert not software_latin(page, data_values(sample))


def test_the_chinese_asides_and_lists_use_full_width_punctuation(sample_report_zh):
    for name, page in _pages(sample_report_zh).items():
        text = visible_text(page)
        assert not re.search(r"[\u4e00-\u9fff）]\s?;", text), (
            name
        )  # alt texts: （横轴：…；纵轴：…）
        assert "(涉及" not in text and "(对应策略" not in text and "(横轴" not in text, name
    text = visible_text(_pages(sample_report_zh)["PV"])
    assert "（涉及 " in text and "（横轴：" in text
    assert re.search(r"信号：[^，。]+、", text)  # the churn signals listed with 、


def test_the_chinese_headline_fields_are_bold_before_a_full_width_colon():
    # CommonMark closes ** after punctuation only before a space or punctuation: 项目：** would
    # show the asterisks; the colon goes after the bold words
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    line = i18n.text("report.field", "zh", name="项目", value="Huaxin")
    assert markdown2html_mistune(line).strip() == "<p><strong>项目</strong>：Huaxin</p>"
    assert "<strong>" not in markdown2html_mistune("**项目：**Huaxin")  # the trap it avoids
