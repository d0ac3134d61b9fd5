"""Short histories run (issue 25, item 2): a comparison the data cannot make is *not available*.

Engagements cut from the sample: (a) account assessments only in the current quarter (one
workshop), (b) every quarterly table starting at the current quarter (a first-year client),
(c) the sample as of its first quarter (``kam report --quarter``), and a few more (a gap in
the assessments, one workshop beside a two-year ledger, a first feedback survey, contacts at
an account not assessed). Each comparison that needs a year or a previous quarter says *not
available* (with why), never raises and never compares a shorter window; the full sample
keeps its figures. The slow tests run ``kam report`` and ``kam validate`` on case (a).
"""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis import diagnosis, paths
from kamanalysis.base.i18n import text
from kamanalysis.base.schema import TABLES
from kamanalysis.cli import main
from kamanalysis.data.engagement import Engagement
from kamanalysis.diagnosis.overview import revenue_by_quarter
from kamanalysis.report.sections import Report
from kamanalysis.tools.accounts import churn_signals

CURRENT = "2026Q3"
YEAR_AGO = "2025Q3"
QUARTERLY = [n for n, t in TABLES.items() if any(c.name == "quarter" for c in t.columns)]
WORKSHOP = [n for n in QUARTERLY if n != "account_quarters"]
DRAWS = 50  # robustness draws: the signals and contacts do not depend on them


def cut(eng: Engagement, tables, keep) -> Engagement:
    """The engagement with only the rows ``keep(frame)`` of ``tables`` (a new object)."""
    frames = dict(eng.tables)
    for name in tables:
        frames[name] = frames[name].loc[keep(frames[name])].reset_index(drop=True)
    return Engagement(eng.settings, frames, eng.source, absent=list(eng.absent))


@pytest.fixture(scope="module")
def one_workshop(sample):
    """(a) Account assessments in the current quarter only; the ledger goes back two years."""
    return cut(sample, ["account_assessments"], lambda f: f["quarter"] >= CURRENT)


@pytest.fixture(scope="module")
def first_year(sample):
    """(b) A first-year client: every quarterly table starts at the current quarter."""
    return cut(sample, QUARTERLY, lambda f: f["quarter"] >= CURRENT)


@pytest.fixture(scope="module")
def workshop_only_now(sample):
    """Every workshop table (ratings, feedback) in the current quarter only, the ledger full."""
    return cut(sample, WORKSHOP, lambda f: f["quarter"] >= CURRENT)


# ---------------------------------------------------------------- migration and tier changes


@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
def test_migration_is_not_available_when_the_accounts_were_first_assessed_this_quarter(
    one_workshop, bu
):
    assert diagnosis.key_account_migration(one_workshop, bu) is None
    assert diagnosis.migration_unavailable(one_workshop, bu) == (
        "not_assessed_yet",
        {"quarter": YEAR_AGO, "start": CURRENT},
    )


def test_migration_is_not_available_for_a_gap_in_the_assessments(sample):
    gap = cut(sample, ["account_assessments"], lambda f: f["quarter"] != YEAR_AGO)
    assert diagnosis.key_account_migration(gap, "PV") is None
    assert diagnosis.migration_unavailable(gap, "PV") == ("not_assessed", {"quarter": YEAR_AGO})
    # an explicit pair of quarters both assessed still compares
    assert diagnosis.key_account_migration(gap, "PV", "2024Q4", CURRENT) is not None


def test_migration_is_not_available_for_a_first_year_client_and_the_first_quarter(
    sample, first_year
):
    assert diagnosis.key_account_migration(first_year, "MC") is None
    assert diagnosis.migration_unavailable(first_year, "MC") == (
        "before_data",
        {"quarter": YEAR_AGO, "start": CURRENT},
    )
    first = sample.as_of("2024Q4")
    assert diagnosis.migration_unavailable(first, "IC") == (
        "before_data",
        {"quarter": "2023Q4", "start": "2024Q4"},
    )


def test_migration_of_the_full_sample_is_unchanged(sample):
    assert diagnosis.migration_unavailable(sample, "IC") is None
    moved = diagnosis.key_account_migration(sample, "IC", "2024Q4", CURRENT).moved
    assert ("IC003", "stage", "early") in set(
        zip(moved["account_id"], moved["column"], moved["after"], strict=True)
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_migration_notes_name_the_quarter_in_both_languages(lang):
    said = text("report.migration_not_assessed_yet", lang, quarter=YEAR_AGO, start=CURRENT)
    assert YEAR_AGO in said and CURRENT in said
    assert ("Not available" in said) == (lang == "en")
    assert ("无法评估" in said) == (lang == "zh")
    assert YEAR_AGO in text("report.migration_not_assessed", lang, quarter=YEAR_AGO)


def test_key_accounts_over_the_quarters_are_not_available_before_the_first_assessment(
    one_workshop,
):
    history = diagnosis.headline_history(one_workshop, "PV", key_accounts=True)
    counts = history["key_accounts"]
    assert counts.drop(CURRENT).isna().all()  # not 0 key accounts: not assessed then
    assert counts[CURRENT] > 0
    assert history["revenue_m"].notna().all()  # the ledger still goes back


# ---------------------------------------------------------------- year on year, history


def test_year_on_year_revenue_and_margin_of_a_first_year_client_are_not_computed(first_year):
    table = revenue_by_quarter(first_year.for_bu("PV"))
    assert table.index.tolist() == [CURRENT]
    assert table[["growth_qoq", "growth_yoy"]].isna().all().all()
    review = diagnosis.quarterly_review(first_year, "PV")
    assert review.unavailable["previous"] == "2026Q2"
    assert review.unavailable["year_ago"] == YEAR_AGO
    assert review.unavailable["growth_yoy"] == CURRENT
    assert review.unassessed == {}  # before the data start: said once, as such
    assert "not available (the data start in 2026Q3)" in review.summary


def test_the_headline_history_of_a_first_year_client_has_one_quarter(first_year):
    history = diagnosis.headline_history(first_year, "IC")
    assert history.index.tolist() == [CURRENT]
    table = diagnosis.headline_table(history)
    assert table.columns.tolist() == [CURRENT]


# ---------------------------------------------------------------- the review, one workshop


def test_the_review_says_which_tools_were_not_assessed_last_quarter_and_a_year_ago(
    workshop_only_now,
):
    review = diagnosis.quarterly_review(workshop_only_now, "PV")
    assert "previous" not in review.unavailable and "year_ago" not in review.unavailable
    expected = ["benchmark", "ife_efe", "feedback"]
    assert review.unassessed == {"previous": expected, "year_ago": expected}
    changes = review.score_changes
    assert changes[["previous", "year_ago"]].isna().all().all()


@pytest.mark.parametrize(
    ("lang", "word", "note"),
    [("en", "not available", "not assessed then"), ("zh", "无数据", "当季未评估")],
)
def test_the_review_tables_say_not_available_on_one_workshop(workshop_only_now, lang, word, note):
    review = diagnosis.quarterly_review(workshop_only_now, "PV")
    report = Report(workshop_only_now, "PV", {}, pd.DataFrame(), lang)
    shown = report._not_available(review.score_changes, review)
    assert (shown[["previous", "year_ago"]] == word).all().all()
    assert shown["now"].notna().all()  # this quarter's score stays a number
    attribution = report._not_available(review.attribution["benchmark"], review)
    for column in ("rating_previous", "change_qoq", "rating_year_ago", "change_yoy"):
        assert (attribution[column] == word).all()
    feedback = report._not_available(review.feedback, review)
    assert (feedback[["previous_mean", "change"]] == word).all().all()
    lines = [m.data for m in report._review_unassessed(review)]
    assert len(lines) == 2 and all(note in line for line in lines)
    assert "2026Q2" in lines[0] and YEAR_AGO in lines[1]


def test_the_review_of_the_full_sample_is_unchanged(sample):
    review = diagnosis.quarterly_review(sample, "IC")
    assert review.unassessed == {} and review.unavailable == {"growth_yoy": "2024Q4 – 2025Q3"}
    shown = Report(sample, "IC", {}, pd.DataFrame())._not_available(review.score_changes, review)
    assert shown.equals(review.score_changes)


# ---------------------------------------------------------------- churn windows and health


def test_churn_signals_of_a_first_year_client_are_not_available(first_year):
    portfolio = diagnosis.key_account_portfolio(first_year, "PV", draws=DRAWS)
    unavailable = portfolio.attrs["signals_unavailable"]
    assert unavailable == {
        "falling_purchases": "2025Q4 to 2026Q3",
        "rising_payment_days": "2025Q4 to 2026Q3",
        "falling_feedback": "2026Q2 to 2026Q3",
    }
    raised = portfolio["signals"].str.split(", ").explode()
    assert not raised.isin(list(unavailable)).any()  # never computed on a shorter window


def test_falling_feedback_is_not_available_at_a_first_survey(workshop_only_now):
    portfolio = diagnosis.key_account_portfolio(workshop_only_now, "PV", draws=DRAWS)
    # the ledger covers the purchase and payment windows; the feedback starts now
    assert portfolio.attrs["signals_unavailable"] == {"falling_feedback": "2026Q2 to 2026Q3"}


def test_churn_signals_tool_first_feedback_survey_is_not_available():
    q = pd.DataFrame(
        {
            "account_id": "A",
            "quarter": ["2025Q4", "2026Q1", "2026Q2", "2026Q3"],
            "revenue": 100.0,
            "payment_days": 40,
        }
    )
    feedback = pd.DataFrame({"quarter": ["2026Q3"], "respondent_id": ["A"], "score": [1.0]})
    out = churn_signals(q, feedback=feedback)
    assert out.attrs["unavailable"] == {"falling_feedback": "2026Q2 to 2026Q3"}
    assert out.loc["A", "unavailable"] == "falling_feedback"
    both = pd.concat([feedback.assign(quarter="2026Q2", score=4.0), feedback])
    assert churn_signals(q, feedback=both).loc["A", "signals"] == "falling_feedback"


def test_health_trend_is_not_available_before_the_first_assessment(one_workshop, sample):
    health = diagnosis.account_health(one_workshop, "MC")
    assert health["health_change"].isna().all()
    assert health["health"].notna().all()
    assert diagnosis.account_health(sample, "MC")["health_change"].notna().any()


# ---------------------------------------------------------------- contacts, not assessed


def test_contacts_at_an_account_not_assessed_this_quarter_are_left_out_and_named(sample):
    partial = cut(
        sample,
        ["account_assessments"],
        lambda f: ~((f["quarter"] == CURRENT) & (f["account_id"] == "PV003")),
    )
    portfolio = diagnosis.key_account_portfolio(partial, "PV", draws=DRAWS)
    assert "PV003" not in portfolio.index
    assert portfolio.attrs["contacts_unassessed"] == ["PV003"]
    report = Report(partial, "PV", {}, pd.DataFrame())
    lines = [m.data for m in report._unavailable(portfolio.attrs)]
    name = sample.accounts.set_index("account_id").loc["PV003", "name"]
    assert any("not assessed this quarter" in line and name in line for line in lines)
    full = diagnosis.key_account_portfolio(sample, "PV", draws=DRAWS)
    assert full.attrs["contacts_unassessed"] == []


# ---------------------------------------------------------------- kam report and kam validate


def _keep_rows(folder, table, keep) -> None:
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    kept = [header] + [r for r in rows[1:] if keep(dict(zip(header, r, strict=True)))]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(kept)


@pytest.fixture(scope="module")
def last_quarter_only(tmp_path_factory):
    """A copy of the sample whose account assessments cover only the last quarter, reported.

    One account (PV003) is left out of the assessments altogether while its contacts stay:
    a workshop that rated some accounts only. Returns the folder, the exit codes of
    ``kam validate`` and ``kam report`` and the folder of the quarter's reports.
    """
    root = tmp_path_factory.mktemp("short-history")
    data = root / "engagement"
    shutil.copytree(paths.SAMPLE_DATA, data)
    _keep_rows(
        data,
        "account_assessments",
        lambda r: r["quarter"] == CURRENT and r["account_id"] != "PV003",
    )
    validated = main(["validate", str(data)])
    reported = main(["report", str(data), "--out", str(root / "reports"), "--quiet"])
    name = kam.load_engagement(data).name
    quarter = next((root / "reports").glob(f"*/{CURRENT}"))
    return {"data": data, "validate": validated, "report": reported, "name": name, "out": quarter}


@pytest.mark.slow
def test_kam_report_writes_every_bu_when_assessments_cover_only_the_last_quarter(
    last_quarter_only,
):
    out = last_quarter_only["out"]
    assert last_quarter_only["report"] == 0
    heading = text("section.migration", "en")
    for bu in ("PV", "IC", "MC"):
        html = (out / f"{bu}.html").read_text(encoding="utf-8")
        section = html[html.index(heading) :]
        note = text("report.migration_not_assessed_yet", "en", quarter=YEAR_AGO, start=CURRENT)
        assert note in section[:5000], bu
    pv = (out / "PV.html").read_text(encoding="utf-8")
    assert "contacts at accounts not assessed this quarter are left out (1: " in pv


@pytest.mark.slow
def test_kam_validate_and_kam_report_agree_on_a_short_history(last_quarter_only, capsys):
    assert last_quarter_only["validate"] == 0
    assert last_quarter_only["report"] == 0
    assert main(["validate", str(last_quarter_only["data"])]) == 0
    assert "OK" in capsys.readouterr().out
