"""Names in Chinese and English (issue 20 item 1): the columns, the rule, the reports."""

from __future__ import annotations

import re
import shutil

import matplotlib
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.base.names import NAME_LANGUAGES, NAMED_COLUMNS
from kamanalysis.base.schema import TABLES
from kamanalysis.core.fonts import use_cjk_font
from kamanalysis.report.plans import account_plan_html
from kamanalysis.report.sections import Report

matplotlib.use("Agg")

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def eng(sample):
    # the CJK font before any chart is drawn (issue 20 item 3 sets it up on import)
    use_cjk_font()
    return sample


def _copy(tmp_path):
    folder = tmp_path / "engagement"
    shutil.copytree(paths.SAMPLE_DATA, folder)
    return folder


def _edit(folder, table, where, column, value):
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[where(frame), column] = value
    frame.to_csv(folder / f"{table}.csv", index=False)


def _texts(parts) -> str:
    """The Markdown and the tables' cells (index and values) of some report parts."""
    out = []
    for item in parts:
        kind = type(item).__name__
        if kind == "Markdown":
            out.append(item.data)
        elif kind == "Styler":
            data = item.data
            out.append(data.to_string())
    return "\n".join(out)


# ---------------------------------------------------------------------------- the columns


def test_every_named_column_has_optional_text_columns_in_both_languages():
    for table, columns in NAMED_COLUMNS.items():
        for column in columns:
            for lang in NAME_LANGUAGES:
                spec = TABLES[table].column(f"{column}_{lang}")
                assert (spec.kind, spec.nullable, spec.optional) == ("text", True, True)
                assert column in spec.description


def test_the_template_and_the_dictionary_know_the_columns(tmp_path):
    from openpyxl import load_workbook

    from kamanalysis.base.dictionary import data_dictionary

    path = kam.workbook.write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    header = [c.value for c in book["benchmark"][1]]
    assert {"factor_zh", "factor_en", "company_zh", "company_en"} <= set(header)
    assert "`activity_zh`" in data_dictionary()


def test_a_file_without_the_name_columns_loads_and_names_as_before(tmp_path, eng):
    folder = _copy(tmp_path)
    for table, columns in NAMED_COLUMNS.items():
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        names = [f"{c}_{lang}" for c in columns for lang in NAME_LANGUAGES]
        frame.drop(columns=names).to_csv(folder / f"{table}.csv", index=False)
    plain = kam.load_engagement(folder)
    assert plain.bu_name("PV", "zh") == "Pumps & Valves"
    assert plain.display_name("account", "PV002", "zh") == "Dongfang Heavy Machinery 东方重机"
    assert plain.accounts["name_zh"].isna().all()  # an optional column left out: blank


def test_a_factor_with_two_chinese_names_is_an_error_naming_the_row(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "pest", lambda f: f.index == 4, "factor_zh", "另一个名字")
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(folder)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("pest.csv", 6, "factor_zh")
    assert "另一个名字" in problem.found and "(first row 5)" in problem.expected


def test_two_factors_showing_one_name_are_an_error(tmp_path):
    folder = _copy(tmp_path)
    same = "产品质量"  # Product quality's; now Innovation's too
    _edit(folder, "benchmark", lambda f: f["factor"] == "Innovation", "factor_zh", same)
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(folder)
    problems = info.value.problems
    assert {(p.file, p.column) for p in problems} == {("benchmark.csv", "factor_zh")}
    assert len(problems) == 3  # once per BU, not once per row
    assert all('"Innovation"' in p.expected and "Product quality" in p.expected for p in problems)


def test_a_blank_name_in_a_language_is_not_an_error(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "benchmark", lambda f: f.index % 2 == 0, "company_zh", "")
    assert kam.load_engagement(folder).benchmark["company_zh"].isna().any()


# ---------------------------------------------------------------------------- the rule


def test_display_name_in_each_language(eng):
    shown = {
        (kind, key): (eng.display_name(kind, key, "zh"), eng.display_name(kind, key, "en"))
        for kind, key in [
            ("bu", "IC"),
            ("account", "PV001"),
            ("contact", "C00001"),
            ("manager", "PVM01"),
            ("factor", "Delivery reliability"),
            ("factor", "Operations"),
            ("company", "Nordhavn Pumps"),
        ]
    }
    assert shown == {
        ("bu", "IC"): ("工业涂料事业部", "Industrial Coatings"),
        ("account", "PV001"): ("中原钢铁", "Zhongyuan Steel 中原钢铁"),
        ("contact", "C00001"): ("周芳", "周芳"),
        ("manager", "PVM01"): ("陈志强", "Chen Zhiqiang 陈志强"),
        ("factor", "Delivery reliability"): ("交付可靠性", "Delivery reliability"),
        ("factor", "Operations"): ("生产运营", "Operations"),
        ("company", "Nordhavn Pumps"): ("诺德哈文泵业", "Nordhavn Pumps"),
    }
    assert eng.display_name("account", "NO_SUCH", "zh") == "NO_SUCH"


def test_an_english_name_is_shown_in_english_and_the_chinese_one_stays(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "contacts", lambda f: f["contact_id"] == "C00001", "name_en", "Zhou Fang")
    eng = kam.load_engagement(folder)
    assert eng.display_name("contact", "C00001", "en") == "Zhou Fang"
    assert eng.display_name("contact", "C00001", "zh") == "周芳"
    assert eng.named("en").contacts.set_index("contact_id").loc["C00001", "name"] == "Zhou Fang"


def test_the_named_engagement_changes_names_only(eng):
    zh = eng.named("zh")
    assert zh.language == "zh" and eng.language == "en"
    for table, frame in eng.tables.items():
        names = set(NAMED_COLUMNS.get(table, ())) | (
            {"owner"} if table == "account_actions" else set()
        )
        extra = {f"{c}_{lang}" for c in names for lang in NAME_LANGUAGES}
        kept = [c for c in frame.columns if c not in names | extra]
        assert list(zh.tables[table].columns) == [c for c in frame.columns if c not in extra]
        pd.testing.assert_frame_equal(zh.tables[table][kept], frame[kept])
    # one name per factor, so the tools' results are the engagement's
    bench = zh.benchmark
    assert bench["factor"].nunique() == eng.benchmark["factor"].nunique()
    assert (bench["factor"].map(CJK.search).notna()).all()
    owners = zh.account_actions["owner"]  # a manager by name: in Chinese too
    assert "陈志强" in set(owners) and "Chen Zhiqiang 陈志强" not in set(owners)


# ---------------------------------------------------------------------------- the reports


@pytest.fixture
def pv_zh(eng, sample_diagnosis, no_chart_images):
    facts, found = sample_diagnosis("PV", "zh")
    return facts, found, Report(eng, "PV", facts, found, "zh")


# the report tests below read texts and tables only: the charts are drawn, not rendered


def test_a_chinese_report_names_bu_accounts_factors_and_competitors_in_chinese(eng, pv_zh):
    facts, found, report = pv_zh
    head = kam.display.headline(eng, "PV", "zh")
    summary = kam.display.executive_summary(facts, found, "zh")
    competitive = _texts(report.parts("competitive"))
    portfolio = _texts(report.parts("portfolio"))
    assert head.startswith("# 泵阀事业部（PV）")
    assert "东方重机" in summary and "Dongfang" not in summary
    assert "诺德哈文泵业" in competitive and "Nordhavn" not in competitive  # competitor
    assert "品牌与案例" in competitive and "Brand and references" not in competitive  # factor
    assert "生产运营" in competitive and "Operations" not in competitive  # value chain
    assert "东方重机 (PV002)" in portfolio and "Dongfang" not in portfolio
    assert "name_zh" not in competitive + portfolio and "activity_zh" not in competitive


def test_a_chinese_report_falls_back_to_the_name_where_the_chinese_one_is_blank(
    tmp_path, no_chart_images
):
    folder = _copy(tmp_path)
    _edit(folder, "accounts", lambda f: f["account_id"] == "PV002", "name_zh", "")
    _edit(folder, "benchmark", lambda f: f["company"] == "Nordhavn Pumps", "company_zh", "")
    _edit(folder, "benchmark", lambda f: f["factor"] == "Brand and references", "factor_zh", "")
    _edit(folder, "business_units", lambda f: f["bu_id"] == "PV", "name_zh", "")
    eng = kam.load_engagement(folder)
    facts, found = kam.findings.diagnose(eng, "PV", lang="zh")
    summary = kam.display.executive_summary(facts, found, "zh")
    competitive = _texts(Report(eng, "PV", facts, found, "zh").parts("competitive"))
    assert kam.display.headline(eng, "PV", "zh").startswith("# Pumps &amp; Valves（PV）")
    assert "Dongfang Heavy Machinery 东方重机" in summary
    assert "Nordhavn Pumps" in competitive and "诺德哈文泵业" not in competitive
    assert "Brand and references" in competitive and "交付可靠性" in competitive


def test_an_english_report_is_the_same_with_or_without_the_chinese_names(
    tmp_path, eng, sample_diagnosis, no_chart_images
):
    folder = _copy(tmp_path)
    for table, columns in NAMED_COLUMNS.items():
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        frame.drop(columns=[f"{c}_zh" for c in columns]).to_csv(
            folder / f"{table}.csv", index=False
        )
    plain = kam.load_engagement(folder)
    shown = []
    for engagement, (facts, found) in (
        (eng, sample_diagnosis("IC", "en")),  # the sample's diagnosis, shared with other tests
        (plain, kam.findings.diagnose(plain, "IC", lang="en")),
    ):
        report = Report(engagement, "IC", facts, found, "en")
        shown.append(
            kam.display.headline(engagement, "IC", "en")
            + kam.display.executive_summary(facts, found, "en")
            + _texts(report.parts("competitive"))
            + _texts(report.parts("portfolio"))
        )
    assert shown[0] == shown[1]
    assert "Industrial Coatings" in shown[0] and "Hempmark Coatings" in shown[0]


def test_the_account_plan_names_in_its_language(eng, no_chart_images):
    zh = account_plan_html(eng, "PV001", lang="zh")
    en = account_plan_html(eng, "PV001", lang="en")
    assert "中原钢铁" in zh and "Zhongyuan" not in zh and "泵阀事业部" in zh
    assert "陈志强" in zh and "Chen Zhiqiang" not in zh  # the manager, and the actions' owner
    assert "Zhongyuan Steel 中原钢铁" in en and "Pumps &amp; Valves" in en


def test_the_index_names_the_bus_in_its_language(eng):
    from kamanalysis.diagnosis.overview import bu_summary

    assert bu_summary(eng.as_of(lang="zh"))["name"].tolist() == [
        "泵阀事业部",
        "工业涂料事业部",
        "运动控制事业部",
    ]
    assert bu_summary(eng)["name"].tolist()[0] == "Pumps & Valves"


# ---------------------------------------------------------------------------- the sample


def test_the_sample_names_everything_in_chinese(eng):
    for table, columns in NAMED_COLUMNS.items():
        for column in columns:
            names = eng.tables[table][f"{column}_zh"]
            assert names.notna().all(), (table, column)
            assert names.map(lambda n: bool(CJK.search(n))).all(), (table, column)
            assert eng.tables[table][f"{column}_en"].isna().all()
    from kamanalysis.data.sample import generate

    _, tables = generate(n_bus=4, n_accounts=40, seed=3)
    assert tables["business_units"]["name_zh"].tolist()[3] == "泵阀事业部 2"
    assert tables["accounts"]["name_zh"].notna().all()


# ------------------------------------------------- the name checks' shortcut (issue 16)

NAME_TEXTS = ["A", "A ", " A", "B", "", " ", None, "甲", "甲 ", "乙"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["PV", "IC"]),
            st.sampled_from(NAME_TEXTS),
            st.sampled_from(NAME_TEXTS),
            st.sampled_from(NAME_TEXTS),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_name_checks_find_what_walking_every_row_finds(rows):
    """``check_names`` walks the rows only where a vectorised look finds two names in one
    group; the problems are those of walking every row, in the same order."""
    from types import SimpleNamespace

    from kamanalysis.data import names

    frame = pd.DataFrame(rows, columns=["bu_id", "factor", "factor_zh", "factor_en"])
    frame = frame.astype({"bu_id": "string", "factor": "string"})
    raw = SimpleNamespace(file="pest.csv", sheet=None, rows=list(range(2, len(rows) + 2)))
    found: list = []
    names.check_names({"pest": frame}, {"pest": raw}, found)
    walked: list = []
    for lang in NAME_LANGUAGES:
        other = f"factor_{lang}"
        names._one_name(frame, raw, "factor", other, walked)
        shown = names._first_names(frame, "factor", lang)
        names._not_shared(frame, raw, "factor", lang, walked, shown)
    assert found == walked
