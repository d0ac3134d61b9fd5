"""Issue 22 (5): the managers' competencies rated again by quarter, so development shows."""

from __future__ import annotations

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.errors import InputValidationError
from kamanalysis.base.schema import COMPETENCIES, TABLES
from kamanalysis.report.sections import Report
from kamanalysis.tools.managers import competency_development, ratings_as_of
from tests.conftest import set_cell


def _managers(**ratings) -> pd.DataFrame:
    row = {"manager_id": "M1", "bu_id": "B", "name": "Li"} | {f"comp_{c}": 3 for c in COMPETENCIES}
    return pd.DataFrame([row | {f"comp_{k}": v for k, v in ratings.items()}])


def test_the_table_is_optional_keyed_by_manager_and_quarter():
    table = TABLES["manager_ratings"]
    assert not table.required
    assert table.key == ("manager_id", "quarter")
    assert table.column("comp_integrity").nullable


def test_a_report_uses_the_latest_rating_up_to_its_quarter_never_a_later_one():
    ratings = pd.DataFrame(
        [
            {"manager_id": "M1", "quarter": "2025Q1", "comp_integrity": 1},
            {"manager_id": "M1", "quarter": "2025Q3", "comp_integrity": 2},
            {"manager_id": "M1", "quarter": "2026Q1", "comp_integrity": None},
        ]
    )
    managers = _managers(integrity=5)
    assert ratings_as_of(managers, ratings, "2024Q4")["comp_integrity"].tolist() == [5]
    assert ratings_as_of(managers, ratings, "2025Q2")["comp_integrity"].tolist() == [1]
    # a blank rating is "not rated that quarter": the latest one before it holds
    assert ratings_as_of(managers, ratings, "2026Q2")["comp_integrity"].tolist() == [2]
    # the other competencies keep the managers table's rating
    assert ratings_as_of(managers, ratings, "2026Q2")["comp_communication"].tolist() == [3]
    assert ratings_as_of(managers, None, "2026Q2") is managers


def test_development_names_the_competency_that_grew_most():
    ratings = pd.DataFrame(
        [
            {
                "manager_id": "M1",
                "quarter": "2025Q3",
                "comp_senior_access": 1,
                "comp_coordination": 2,
            },
            {
                "manager_id": "M1",
                "quarter": "2026Q3",
                "comp_senior_access": 4,
                "comp_coordination": 3,
            },
        ]
    )
    d = competency_development(_managers(), ratings, "2026Q3")
    row = d.loc["M1"]
    assert (row["first_quarter"], row["most_improved"], row["improved_by"]) == (
        "2025Q3",
        "senior_access",
        3.0,
    )
    # ten competencies: two rated lower at first (1 and 2 instead of 3 and 3)
    assert row["first_mean"] == pytest.approx((8 * 3 + 1 + 2) / 10)
    assert row["mean"] == pytest.approx((8 * 3 + 4 + 3) / 10)
    assert row["change"] == pytest.approx(0.4)
    none = competency_development(_managers(), ratings, "2025Q3").loc["M1"]
    assert none["most_improved"] is None and none["improved_by"] == 0.0
    assert competency_development(_managers(), None, "2026Q3").empty


def test_the_sample_story_wang_li_learns_to_negotiate(sample):
    d = kam.diagnosis.manager_development(sample, "PV")
    assert d.index.tolist() == ["PVM02", "PVM03"]
    assert d.loc["PVM02", "most_improved"] == "principled_negotiation"
    assert d.loc["PVM02", "improved_by"] == 2.0
    ic = kam.diagnosis.manager_development(sample, "IC")
    assert ic.loc["ICM01", "change"] == 0.0 and ic.loc["ICM01", "most_improved"] is None
    # a year ago Wang Li's negotiation was rated 2, now 4 (the managers table)
    then = kam.diagnosis.rated_managers(sample, "2025Q4").set_index("manager_id")
    now = kam.diagnosis.rated_managers(sample).set_index("manager_id")
    assert then.loc["PVM02", "comp_principled_negotiation"] == 2
    assert now.loc["PVM02", "comp_principled_negotiation"] == 4


def test_the_current_quarter_is_rated_as_in_the_managers_table(sample):
    # the sample's last ratings repeat the managers table: this quarter's fit is unchanged
    tables = {k: v for k, v in sample.tables.items() if k != "manager_ratings"}
    without = kam.engagement.Engagement(sample.settings, tables, rows=sample.rows)
    fit = kam.diagnosis.account_management(sample, "PV").fit["fit"]
    assert fit.equals(kam.diagnosis.account_management(without, "PV").fit["fit"])
    earlier = kam.diagnosis.account_management(sample.as_of("2025Q4"), "PV").fit["fit"]
    assert earlier["PVM02"] < fit["PVM02"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_management_section_shows_the_development(
    sample, lang, sample_diagnosis, no_chart_images
):
    facts, found = sample_diagnosis("PV", lang)
    parts = list(Report(sample, "PV", facts, found, lang).parts("management"))
    titles = [p.data for p in parts if type(p).__name__ == "Markdown"]
    title = "Managers' development" if lang == "en" else "客户经理能力发展"
    assert any(title in t for t in titles)
    html = "".join(p.to_html() for p in parts if type(p).__name__ == "Styler")
    assert ("principled negotiation" if lang == "en" else "原则式谈判") in html


def test_bad_ratings_are_named_by_file_row_and_column(sample_copy):
    set_cell(sample_copy, "manager_ratings", 2, "manager_id", "XXM99")
    set_cell(sample_copy, "manager_ratings", 3, "comp_integrity", "9")
    set_cell(sample_copy, "manager_ratings", 4, "quarter", "2026-Q1")
    with pytest.raises(InputValidationError) as caught:
        kam.load_engagement(sample_copy)
    message = str(caught.value)
    assert "manager_ratings.csv row 2, column manager_id" in message and '"XXM99"' in message
    assert "manager_ratings.csv row 3, column comp_integrity" in message and "got 9" in message
    assert "manager_ratings.csv row 4, column quarter" in message


def test_the_competency_that_grew_most_is_shown_in_words(sample, sample_diagnosis):
    facts, found = sample_diagnosis("PV", "zh")
    report = Report(sample, "PV", facts, found, "zh")
    html = "".join(p.to_html() for p in report._development() if hasattr(p, "to_html"))
    assert "战略与联合规划" in html and "joint_planning" not in html
