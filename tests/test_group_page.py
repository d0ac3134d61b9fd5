"""The group page for the group CEO: its data, the stance rule table, the page and the slides.

Issue 21, item 2. Fast lane: the committed sample (the ``sample`` fixture), no kernel, no
batch: :func:`kamanalysis.diagnosis.group.group_view` and
:func:`kamanalysis.report.group_page.write_group_page` called directly.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from kamanalysis.base.errors import InputValidationError, ReportError
from kamanalysis.diagnosis.group import (
    AT_RISK_SHOWN,
    STANCES,
    group_view,
    reconcile,
    stance_rules,
)
from kamanalysis.diagnosis.management import account_management
from kamanalysis.diagnosis.position import strategic_position
from kamanalysis.diagnosis.summary import HEALTH_AT_RISK, account_facts, bu_facts
from kamanalysis.diagnosis.verdict import STANCE_LEVELS, stance
from kamanalysis.report.group_page import group_tables, write_group_page
from tests.test_zh_text import data_values, software_latin, visible_text


@pytest.fixture(scope="module")
def views(sample):
    return {lang: group_view(sample, lang=lang) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def pages(sample, tmp_path_factory):
    out = {}
    for lang in ("en", "zh"):
        folder = tmp_path_factory.mktemp(f"group_{lang}")
        out[lang] = write_group_page(sample, folder, lang=lang, pptx=True)
    return out


# ------------------------------------------------------------------------------ the data
def test_the_bu_table_holds_the_diagnosis_functions_figures(sample, views):
    bus = views["en"].bus
    named = sample.named("en")
    positions = strategic_position(sample)
    assert list(bus.index) == sample.bu_ids
    for bu in sample.bu_ids:
        facts = bu_facts(named, bu)
        row = bus.loc[bu]
        assert row["bu"] == sample.bu_name(bu, "en")
        assert row["revenue"] == pytest.approx(facts["revenue"])
        assert row["revenue_yoy"] == pytest.approx(facts["revenue_yoy"])
        assert row["gross_margin_pct"] == pytest.approx(facts["margin"])
        assert row["index_to_leader"] == pytest.approx(facts["index_to_leader"])
        assert row["n_key"] == facts["n_key"]
        assert row["n_key_at_risk"] == facts["n_key_churn_risk"]
        assert row["ie_cell"] == positions.loc[bu, "ie_cell"]
        assert row["ge_strategy"] == positions.loc[bu, "ge_strategy"]
        accounts = account_facts(named, bu)
        key = accounts.loc[accounts["tier"] == "key", "health"]
        assert row["key_health"] == pytest.approx(key.mean())
    # the sample's BUs differ from one another: not one constant row repeated
    assert bus["revenue"].nunique() == len(bus)


def test_the_stance_follows_the_rule_table_for_every_bu(views):
    rules = stance_rules()
    for bu, row in views["en"].bus.iterrows():
        hit = rules.loc[
            (rules["ie_strategy"] == row["ie_strategy"])
            & (rules["ge_strategy"] == row["ge_strategy"])
            & rules["trend"].isin([row["trend"], "*"])
        ].iloc[0]
        assert row["stance"] == hit["stance"], bu
        assert row["reason"] == hit["reason"], bu
    # on the sample every BU's IE and GE disagree, and the trends decide three ways
    assert views["en"].bus["stance"].to_dict() == {"PV": "hold", "IC": "harvest", "MC": "grow"}
    assert views["en"].bus["reason"].tolist() == ["mixed", "deteriorating", "improving"]
    assert "IE (VIII: harvest or divest)" in views["en"].bus.loc["IC", "reason_text"]
    assert "VIII" in views["zh"].bus.loc["IC", "reason_text"]


#: Facts that make the verdict's trend improving, mixed or deteriorating.
TRENDS = {
    "improving": {"revenue_yoy": 0.1, "margin_change_yoy": 1.0, "strength_change_yoy": 0.1},
    "mixed": {"revenue_yoy": 0.0, "margin_change_yoy": 1.0, "strength_change_yoy": 0.1},
    "deteriorating": {"revenue_yoy": -0.1, "margin_change_yoy": 1.0, "strength_change_yoy": 0.1},
}


def test_the_rule_table_reconciles_as_each_bus_report_does():
    """Every IE strategy, GE strategy and trend: the table's stance is the verdict's."""
    ie = [s for s in STANCE_LEVELS if s in ("grow and build", "hold and maintain")]
    ie.append("harvest or divest")
    ge = ["invest/grow", "selectivity/earnings", "harvest/divest"]
    level = dict(zip((3, 2, 1), STANCES, strict=True))
    for i, g, trend in itertools.product(ie, ge, TRENDS):
        facts = {"ie_strategy": i, "ge_strategy": g, **TRENDS[trend]}
        expected = level[STANCE_LEVELS[stance(facts)["stance"]]]
        assert reconcile(i, g, trend)["stance"] == expected, (i, g, trend)


def test_a_disagreement_is_decided_by_the_trend_and_by_the_table(tmp_path):
    # IE says hold, GE says grow: the bolder when improving, hold otherwise
    assert reconcile("hold and maintain", "invest/grow", "improving")["stance"] == "grow"
    assert reconcile("hold and maintain", "invest/grow", "mixed")["stance"] == "hold"
    assert reconcile("hold and maintain", "invest/grow", "deteriorating")["stance"] == "hold"
    # grow against harvest when the trends are mixed: both one step from hold, the cautious
    assert reconcile("grow and build", "harvest/divest", "mixed")["stance"] == "harvest"
    assert reconcile("grow and build", "invest/grow", "deteriorating")["reason"] == "agree"
    # a consultant's table that decides otherwise changes the stance, no code touched
    rules = stance_rules().copy()
    mask = (
        (rules["ie_strategy"] == "hold and maintain")
        & (rules["ge_strategy"] == "invest/grow")
        & (rules["trend"] == "mixed")
    )
    rules.loc[mask, "stance"] = "grow"
    path = tmp_path / "stances.csv"
    rules.to_csv(path, index=False)
    mine = stance_rules(path)
    assert reconcile("hold and maintain", "invest/grow", "mixed", rules=mine)["stance"] == "grow"
    assert reconcile("hold and maintain", "invest/grow", "not a trend", rules=mine) == {}


def test_a_rule_table_with_an_unknown_stance_names_file_row_and_column(tmp_path):
    rules = stance_rules().copy()
    rules.loc[4, "stance"] = "expand"
    path = tmp_path / "stances.csv"
    rules.to_csv(path, index=False)
    with pytest.raises(InputValidationError) as caught:
        stance_rules(path)
    message = str(caught.value)
    assert 'stances.csv row 6, column stance: expected grow, hold or harvest, got "expand"' in (
        message
    )


def test_the_ten_accounts_most_at_risk_by_money_at_stake_named(sample, views):
    at_risk = views["en"].at_risk
    named = sample.named("en")
    every = pd.concat([account_facts(named, bu).assign(bu_id=bu) for bu in sample.bu_ids], axis=0)
    weak = every.loc[every["health"] < HEALTH_AT_RISK].sort_values("revenue", ascending=False)
    assert len(at_risk) == min(AT_RISK_SHOWN, len(weak)) == AT_RISK_SHOWN
    assert at_risk.index.tolist() == weak.index[:AT_RISK_SHOWN].tolist()
    assert at_risk["revenue"].is_monotonic_decreasing
    assert (at_risk["health"] < HEALTH_AT_RISK).all()
    names = sample.display_names("account", "en")
    assert at_risk["account"].tolist() == [names[a] for a in at_risk.index]
    assert (at_risk["action"] != "").all()
    assert at_risk.loc["MC001", "bu"] == "Motion Control"
    zh = views["zh"].at_risk
    assert zh.loc["MC001", "account"] == sample.display_name("account", "MC001", "zh")
    assert zh.loc["MC001", "bu"] == sample.bu_name("MC", "zh")


def test_resources_and_organisation_come_from_the_managers_tools(sample, views):
    view = views["en"]
    for bu in sample.bu_ids:
        management = account_management(sample.named("en"), bu)
        row = view.resources.loc[bu]
        assert row["managers"] == len(management.managers)
        assert row["accounts"] == management.workload["accounts"].sum()
        assert row["status"] in ("short", "idle", "balanced")
        assert view.organisation.loc[bu, "form"] == management.organisation["form"]
    # IC is to be harvested and its organisation should change: decide first
    assert view.organisation.loc["IC", "move"].startswith("Decide first: fight for")
    assert view.organisation.loc["MC", "move"].startswith("Set up a standing team")


# ------------------------------------------------------------------------------ the page
def test_group_html_is_written_in_english_with_windows_and_units(pages, views):
    html, deck = pages["en"]
    assert (html.name, deck.name) == ("group.html", "group.pptx")
    page = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "data:image/png;base64," in page
    assert "revenue 2026Q3 (CNY)" in page and "revenue at stake 2026Q3 (CNY)" in page
    assert "revenue change on 2025Q3" in page
    tables = group_tables(views["en"])
    assert f"{views['en'].bus.loc['PV', 'revenue']:,.0f}" in page
    assert tables["at_risk"].rows[0][0] in page
    assert page.index("What to do") < page.index("Where each business unit stands")


def test_group_html_in_chinese_speaks_chinese(sample, pages):
    page = pages["zh"][0].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    text = visible_text(page)
    assert "集团" in text and "万元" in text and "战略取向" in text
    assert software_latin(page, data_values(sample)) == {}


def test_group_pptx_opens_with_native_tables(pages, views):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(str(pages["en"][1]))
    assert len(deck.slides) == 2
    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    tables = [shape.table for shape in shapes if shape.has_table]
    assert len(tables) == 3
    assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in shapes)
    first = tables[0]
    shown = group_tables(views["en"])["bus"]
    assert [first.cell(0, c).text for c in range(len(shown.headers))] == shown.headers
    assert first.cell(1, 2).text == shown.rows[0][2]  # PV's revenue, as the page writes it
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "Shenzhou Robotics" in notes  # the signals behind the accounts at risk
    zh = Presentation(str(pages["zh"][1]))
    texts = [s.text_frame.text for s in zh.slides[0].shapes if s.has_text_frame]
    assert any("集团总览" in t for t in texts)


def test_a_bad_template_is_a_report_error_naming_the_file(sample, tmp_path, no_chart_images):
    bad = tmp_path / "firm.pptx"
    bad.write_text("not a presentation", encoding="utf-8")
    with pytest.raises(ReportError, match="firm.pptx: expected a readable PowerPoint template"):
        write_group_page(sample, tmp_path / "out", pptx=True, template=bad)
    assert (tmp_path / "out" / "group.html").exists()  # the page is written first
    assert not (tmp_path / "out" / "group.pptx").exists()
    with pytest.raises(ReportError, match="missing.pptx"):
        write_group_page(sample, tmp_path / "out", pptx=True, template=tmp_path / "missing.pptx")


def test_a_template_gives_its_master_and_none_of_its_slides(
    sample, tmp_path, pages, no_chart_images
):
    from pptx import Presentation

    template = pages["en"][1]  # any .pptx with slides of its own
    written = write_group_page(sample, tmp_path, pptx=True, template=template)
    deck = Presentation(str(written[1]))
    assert len(deck.slides) == 2


def test_a_group_without_positions_says_not_positioned(sample, tmp_path, no_chart_images):
    """The three required tables only (no IFE/EFE, forces, benchmark): no stance, no grid, no NaN."""
    from kamanalysis.base.i18n import text
    from kamanalysis.base.schema import TABLES
    from kamanalysis.data.engagement import Engagement

    tables = {name: frame for name, frame in sample.tables.items() if TABLES[name].required}
    bare = Engagement(sample.settings, tables, sample.source)
    view = group_view(bare)
    assert (view.bus["stance"] == "").all()
    written = write_group_page(bare, tmp_path, lang="en")
    page = visible_text(written[0].read_text(encoding="utf-8"))
    assert text("group.not_positioned", "en") in page
    assert "nan" not in page.lower().split()
