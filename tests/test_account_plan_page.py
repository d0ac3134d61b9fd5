"""Issue 22 (2, 4): the account plan a manager works from, and the page for the customer."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.i18n import label, text
from kamanalysis.base.schema import ATTITUDES, COMPETENCIES, SOCIAL_STYLES
from kamanalysis.cli import main
from kamanalysis.diagnosis.roadmap import account_roadmap
from kamanalysis.report.plans import account_plan_html
from kamanalysis.tools.managers import COMPETENCY_NAMES
from kamanalysis.tools.managers.plan import key_people, stage_steps, target_stage


def visible(page: str) -> str:
    """The page's text as a reader sees it (tags, the style sheet and images dropped)."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def pages(sample):
    return {
        (lang, audience): account_plan_html(sample, "PV001", lang=lang, audience=audience)
        for lang in ("en", "zh")
        for audience in ("internal", "client")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pv001_plan_shows_what_a_manager_works_from(sample, pages, lang):
    page = visible(pages[lang, "internal"])
    road = account_roadmap(sample, kam.diagnosis.account_plan(sample, "PV001", lang=lang))
    # objectives and actions with owner and due quarter
    assert text("plan.objectives", lang) in page
    # the owner by the name in the plan's language (issue 20)
    shown = sample.named(lang).account_actions["owner"]
    owners = dict(zip(sample.account_actions["owner"], shown, strict=True))
    for row in road.objectives.itertuples():
        assert row.action in page and owners[row.owner] in page and row.due_quarter in page
    # target stage and its steps, with the quarter of each
    assert text("plan.target", lang) in page
    for row in road.steps.itertuples():
        assert row.step in page and row.by_quarter in page
    # sponsor, champion, opponent
    for part in ("sponsor", "champion", "opponent"):
        assert label(part, lang, kind="part") in page
    sponsor = road.people.set_index("part").loc["sponsor", "name"]
    assert sponsor and sponsor in page
    # trends: a chart of the five series
    assert text("plan.trends", lang) in page and "data:image/png;base64," in pages[lang, "internal"]
    # SPIN problem questions from the customer's own needs, before ours
    needs = sample.account_needs.loc[sample.account_needs["account_id"] == "PV001", "need"]
    assert len(needs)
    spin = road.spin.loc[road.spin["kind"] == "problem", "text"].tolist()
    assert all(need in " ".join(spin[: len(needs)]) for need in needs)
    for need in needs:
        assert need in page
    # last quarter's actions with their status
    assert text("plan.last_actions", lang) in page
    assert len(road.last_actions)
    for row in road.last_actions.itertuples():
        assert row.action in page
    assert label("done", lang, kind="status") in page
    # negotiation: the conflict mode and why
    assert text("plan.negotiation.mode", lang) in page
    assert road.negotiation["why"] in page


def test_last_quarters_actions_are_those_agreed_last_quarter(sample):
    road = account_roadmap(sample, kam.diagnosis.account_plan(sample, "PV002"))
    raw = sample.account_actions
    agreed = raw.loc[(raw["account_id"] == "PV002") & (raw["quarter"] == "2026Q2")]
    assert sorted(road.last_actions["action"]) == sorted(agreed["action"])
    assert set(road.last_actions["status"]) <= {"open", "done", "dropped"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_client_page_leaks_nothing_internal(pages, lang):
    page = visible(pages[lang, "client"])
    internal = visible(pages[lang, "internal"])
    leaks = [
        text("plan.fit", lang),
        text("plan.gaps", lang),
        text("plan.churn", lang),
        text("plan.people", lang),
        text("plan.map", lang),
        text("plan.spin", lang),
        text("plan.negotiation", lang),
        text("plan.status", lang),
        text("plan.quadrant", lang),
        *(COMPETENCY_NAMES[c][lang] for c in COMPETENCIES),
        *(label(a, lang, kind="attitude") for a in ATTITUDES),
        *(label(s, lang, kind="social_style") for s in SOCIAL_STYLES),
        *(label(p, lang, kind="part") for p in ("sponsor", "champion", "opponent")),
    ]
    leaks += ["churn", "integrity", "margin"] if lang == "en" else ["流失", "诚信", "毛利"]
    for word in leaks:
        assert word not in page, word
    # what they may see is there
    for key in ("plan.objectives", "plan.last_actions", "plan.needs", "plan.trends"):
        assert text(key, lang) in page
    # and the internal page does hold what the client's leaves out (the test can fail)
    assert text("plan.fit", lang) in internal and label("supporter", lang, kind="attitude") in (
        internal
    )


def test_no_plan_or_report_says_neutralise(sample, pages, sample_reports):
    words = ("neutralis", "neutraliz", "化解", "中和")
    texts = [visible(p) for p in pages.values()]
    texts += [
        visible(account_plan_html(sample, account, lang=lang))
        for account in ("PV002", "MC001", "PV037")
        for lang in ("en", "zh")
    ]
    for run in sample_reports.values():
        for path in sorted(run.out.rglob("*.html")):
            texts.append(visible(path.read_text(encoding="utf-8")))
    assert len(texts) > 10
    for page in texts:
        for word in words:
            assert word not in page.lower(), word


def test_an_unknown_audience_is_refused(sample):
    with pytest.raises(kam.InputValidationError, match="--audience: expected one of internal"):
        account_plan_html(sample, "PV001", audience="everyone")


def test_the_command_writes_the_client_page(tmp_path, capsys, no_chart_images):
    out = tmp_path / "p.html"
    assert (
        main(
            [
                "account-plan",
                str(kam.paths.SAMPLE_DATA),
                "PV001",
                "--audience",
                "client",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    page = visible(out.read_text(encoding="utf-8"))
    assert text("plan.audience.client", "en") in page and "supporter" not in page


def test_the_target_stage_follows_the_tier_and_the_steps_have_a_timetable():
    assert target_stage("pre", "key") == "early"
    assert target_stage("partnership", "key") == "partnership"  # synergy is not pushed
    assert target_stage("mid", "develop") == "mid" and target_stage("early", "develop") == "mid"
    assert target_stage("early", "opportunistic") == "early"
    steps = stage_steps("early", "partnership", "2026Q3")
    assert steps["to_stage"].tolist() == ["mid"] * 4 + ["partnership"] * 4
    assert steps["by_quarter"].tolist()[0] == "2026Q4" and steps["by_quarter"].is_unique


def test_key_people_take_the_most_influential_match_and_say_when_none():
    contacts = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D"],
            "role": ["decider", "decider", "user", "influencer"],
            "attitude": ["supporter", "supporter", "opponent", "opponent"],
            "influence": [4, 5, 2, 4],
        }
    )
    people = key_people(contacts).set_index("part")
    assert people.loc["sponsor", "name"] == "B" and people.loc["champion", "name"] == "A"
    assert people.loc["opponent", "name"] == "D"
    alone = key_people(contacts.iloc[[2]]).set_index("part")
    assert alone.loc["sponsor", "name"] == "" and "none yet" in alone.loc["sponsor", "why"]
