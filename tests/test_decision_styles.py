"""Issue 22 (3): the buying centre's decision style changes whom the contact plan targets."""

from __future__ import annotations

import pytest

import kamanalysis as kam
from kamanalysis.base.errors import InputValidationError
from kamanalysis.diagnosis.roadmap import account_roadmap
from kamanalysis.report.plans import account_plan_html
from tests.conftest import set_cell


def focus(eng, account_id):
    road = account_roadmap(eng, kam.diagnosis.account_plan(eng, account_id))
    return road, road.contacts.loc[road.contacts["focus"], "contact_id"].tolist()


def test_authoritarian_targets_the_key_person(sample):
    road, chosen = focus(sample, "PV002")
    assert road.style == "authoritarian" and len(chosen) == 1
    contacts = sample.contacts.loc[sample.contacts["account_id"] == "PV002"]
    deciders = contacts.loc[contacts["role"] == "decider"].sort_values(
        "influence", ascending=False, kind="stable"
    )
    assert chosen == [deciders["contact_id"].iloc[0]]


def test_committee_targets_the_issue_and_consultative_most_members(sample):
    road, chosen = focus(sample, "PV001")
    assert road.style == "committee"
    needs = sample.account_needs.loc[sample.account_needs["account_id"] == "PV001"]
    assert set(needs["owner_contact_id"]) <= set(chosen)
    road, chosen = focus(sample, "PV003")
    assert road.style == "consultative" and len(chosen) == len(road.contacts)
    attitudes = road.contacts["attitude"].tolist()
    assert attitudes == sorted(
        attitudes, key=lambda a: {"neutral": 0, "opponent": 1, "supporter": 2}[a]
    )


def test_the_style_changes_the_plan(sample, sample_copy, no_chart_images):
    before = focus(sample, "PV002")[1]
    set_cell(sample_copy, "accounts", 3, "decision_style", "consultative")  # PV002
    changed = kam.load_engagement(sample_copy)
    road, after = focus(changed, "PV002")
    assert road.style == "consultative" and len(after) > len(before)
    page = account_plan_html(changed, "PV002")
    assert kam.i18n.text("plan.style.consultative", "en") in page.replace("&#x27;", "'")


def test_an_unknown_decision_style_is_named_by_file_row_and_column(sample_copy):
    set_cell(sample_copy, "accounts", 2, "decision_style", "democratic")
    with pytest.raises(InputValidationError) as caught:
        kam.load_engagement(sample_copy)
    assert (
        "accounts.csv row 2, column decision_style: expected one of authoritarian, "
        'consultative, committee (or blank), got "democratic"'
    ) in str(caught.value)
