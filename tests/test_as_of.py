"""Every quarter, as of that quarter (issue 19).

The engagement as known at the end of a quarter (``Engagement.as_of``), dated facts and
their checks, signals and criteria whose window the data do not cover, and a batch run
of every quarter of the sample.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis import paths
from kamanalysis.cli import main
from kamanalysis.report import as_of, run_quarters, run_reports
from kamanalysis.tools.accounts import churn_signals

ENGAGEMENT = "huaxin-industrial-group-key-account-marketing-diagnosis"


@pytest.fixture(scope="module")
def eng(sample):
    return sample


def edit_csv(path, change) -> None:
    """Rewrite a CSV file, ``change`` editing the list of row dicts in place."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------- as of a quarter


def test_as_of_lives_in_the_data_layer_and_report_delegates(eng):
    earlier = eng.as_of("2026Q1")
    again = as_of(eng, "2026Q1")
    assert earlier.current_quarter == again.current_quarter == "2026Q1"
    for name in earlier.tables:
        pd.testing.assert_frame_equal(earlier.tables[name], again.tables[name])
    assert eng.current_quarter == "2026Q3"  # the engagement itself is unchanged


def test_accounts_not_yet_customers_leave_with_their_rows(eng):
    earlier = eng.as_of("2025Q4")
    later = set(eng.accounts.loc[eng.accounts["since_quarter"] > "2025Q4", "account_id"])
    assert later == {"PV032", "PV043", "IC022", "MC039"}  # the accounts that broke 2025Q4
    for table, column in (
        ("accounts", "account_id"),
        ("contacts", "account_id"),
        ("account_assessments", "account_id"),
        ("account_quarters", "account_id"),
        ("feedback", "respondent_id"),
    ):
        assert not set(earlier.tables[table][column]) & later, table
        assert len(earlier.rows[table]) == len(earlier.tables[table])


def test_later_dates_are_left_out_or_blank(eng):
    earlier = eng.as_of("2026Q1")
    end = pd.Timestamp("2026-03-31")
    contacts = eng.contacts.set_index("contact_id")
    # a contact first met after the quarter was not known then
    met_later = contacts.index[contacts["first_contact"] > end]
    assert len(met_later) and not set(met_later) & set(earlier.contacts["contact_id"])
    # a last contact after the quarter is unknown then, never today
    kept = earlier.contacts.set_index("contact_id")
    assert kept["last_contact"].isna().sum() > 0
    assert (kept["last_contact"].dropna() <= end).all()
    assert (earlier.feedback["answered_on"].dropna() <= end).all()
    assert (earlier.feedback["commented_on"].dropna() <= end).all()


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2024Q3", 'expected a quarter with sales data, 2024Q4 to 2026Q3, got "2024Q3"'),
        ("2026Q4", 'got "2026Q4"'),
        ("2026-1", 'got "2026-1"'),
    ],
)
def test_a_quarter_outside_the_data_is_an_input_error(eng, quarter, message):
    with pytest.raises(kam.InputValidationError, match=message):
        eng.as_of(quarter)


@pytest.mark.parametrize("quarter", ["2019Q1", "2025q1"])
def test_kam_report_with_a_bad_quarter_says_so_and_exits_1(quarter, tmp_path, capsys):
    code = main(["report", str(paths.SAMPLE_DATA), "--quarter", quarter, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f'--quarter: expected a quarter with sales data, 2024Q4 to 2026Q3, got "{quarter}"' in err
    )
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------- dated facts: bad input


@pytest.fixture
def folder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.SAMPLE_DATA, data)
    return data


def test_contact_last_met_before_first_met_is_named(folder):
    def change(rows):
        rows[1]["first_contact"] = "2026-06-01"
        rows[1]["last_contact"] = "2026-05-29"

    edit_csv(folder / "contacts.csv", change)
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(folder)
    assert str(info.value).splitlines()[1:] == [
        "  - contacts.csv row 3, column last_contact: expected a date on or after the "
        "first_contact 2026-06-01 (last met on or after first met), "
        "got 2026-05-29"
    ]


def test_complaint_answered_before_it_was_made_is_named(folder):
    def change(rows):
        row = next(r for r in rows if r["comment"])
        row["commented_on"], row["answered_on"] = "2026-09-10", "2026-09-01"
        change.row = rows.index(row) + 2

    edit_csv(folder / "feedback.csv", change)
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(folder)
    assert str(info.value).splitlines()[1:] == [
        f"  - feedback.csv row {change.row}, column answered_on: expected a date on or after "
        "the commented_on 2026-09-10 (answered on or after it was made), got 2026-09-01"
    ]


def test_a_date_after_the_current_quarter_is_named(folder):
    def change(rows):
        rows[0]["last_contact"] = "2026-10-02"

    edit_csv(folder / "contacts.csv", change)
    with pytest.raises(kam.InputValidationError) as info:
        kam.load_engagement(folder)
    assert str(info.value).splitlines()[1:] == [
        "  - contacts.csv row 2, column last_contact: expected a date no later than "
        "2026-09-30, the end of current_quarter 2026Q3, got 2026-10-02"
    ]


def test_undated_rows_are_allowed_and_unknown_not_today(folder):
    def change(rows):
        for row in rows:
            row["first_contact"] = row["last_contact"] = ""

    edit_csv(folder / "contacts.csv", change)
    eng = kam.load_engagement(folder)
    portfolio = kam.diagnosis.key_account_portfolio(eng, "PV", draws=50)
    assert portfolio["days_since_decider"].isna().all()
    # an undated decider is not a churn signal: not available, and the report says so
    flagged = portfolio.index[portfolio["signals"].str.contains("no_decider_contact")]
    deciders = set(eng.contacts.loc[eng.contacts["role"] == "decider", "account_id"])
    assert not set(flagged) & deciders  # only where no decider is mapped at all
    assert len(portfolio.attrs["decider_undated"]) > 0


# ---------------------------------------------------------------- incomplete windows


def test_a_signal_whose_window_the_data_lack_is_not_available():
    q = pd.DataFrame(
        {
            "account_id": "A",
            "quarter": ["2025Q4", "2026Q1", "2026Q2"],
            "revenue": [300.0, 100.0, 100.0],
            "payment_days": [40.0, 60.0, 60.0],
        }
    )
    out = churn_signals(q)
    # not computed on the three quarters there are (that would be a fall of a third)
    assert out.loc["A", "signals"] == ""
    assert out.loc["A", "unavailable"] == "falling_purchases, rising_payment_days"
    assert out.attrs["unavailable"]["falling_purchases"] == "2025Q3 to 2026Q2"
    full = churn_signals(q, first_quarter="2025Q3")  # the data start earlier: measured
    assert full.loc["A", "signals"] == "falling_purchases, rising_payment_days"


def test_in_2026q1_pv_fewer_than_half_of_the_key_accounts_are_at_risk(eng):
    portfolio = kam.diagnosis.key_account_portfolio(eng.as_of("2026Q1"), "PV", draws=50)
    key = portfolio.loc[portfolio["qualifies"]]
    assert len(key) > 0
    assert (key["signals"] != "").sum() < len(key) / 2
    assert portfolio.attrs["signals_unavailable"] == {}  # 2025Q2 to 2026Q1: in the data
    # growth needs 2024Q2 to 2026Q1: rated in the workshop, and the reasons say so
    assert portfolio.attrs["from_workshop"] == {"growth": "2024Q2 to 2026Q1"}
    assert key["reasons"].str.contains("growth from the workshop").all()


def test_strong_purchase_growth_never_rates_weak(eng):
    for quarter in eng.quarters:
        earlier = eng.as_of(quarter)
        for bu in earlier.bu_ids:
            criteria = kam.diagnosis.key_account_criteria(earlier, bu, quarter)
            grown = criteria.loc[criteria["purchase_growth"] >= 0.5]
            assert (grown["growth"] > 2).all(), (quarter, bu)


def test_the_migration_a_year_back_from_the_fourth_quarter_is_not_available(
    eng, sample_diagnosis, no_chart_images
):
    earlier = eng.as_of("2025Q3")
    assert kam.diagnosis.key_account_migration(earlier, "PV") is None
    facts, found = sample_diagnosis("PV", "en", "2025Q3")  # diagnose(earlier, "PV")
    report = kam.sections.Report(earlier, "PV", facts, found, "en")
    notes = [p.data for p in report.parts("portfolio") if hasattr(p, "data")]
    assert any("(2024Q3) is before the data start (2024Q4)" in str(n) for n in notes)


# ---------------------------------------------------------------- every quarter


@pytest.mark.slow
def test_every_quarter_writes_every_bu(every_quarter, eng):
    out, results = every_quarter
    assert list(results) == quarter_range_of(eng)
    for quarter, result in results.items():
        assert result.failures == {}, quarter
        assert sorted(result.reports) == ["IC", "MC", "PV"], quarter
        for bu in ("IC", "MC", "PV"):
            html = (out / ENGAGEMENT / quarter / f"{bu}.html").read_text(encoding="utf-8")
            assert f"diagnosis, {quarter}" in html
    top = (out / "index.html").read_text(encoding="utf-8")
    for quarter in results:
        assert f"{quarter}/index.html" in top


def quarter_range_of(eng) -> list[str]:
    return [q for q in eng.quarters if "2024Q4" <= q <= "2026Q3"]


@pytest.mark.slow
def test_no_early_quarter_flags_every_key_account(every_quarter):
    out, results = every_quarter
    for quarter in results:
        if quarter == "2026Q3":
            continue
        for bu in ("IC", "MC", "PV"):
            facts = json.loads((out / ENGAGEMENT / quarter / f"{bu}.json").read_text())
            assert facts["n_key"] > 0, (quarter, bu)
            assert facts["n_key_churn_risk"] < facts["n_key"], (quarter, bu)
    pv = json.loads((out / ENGAGEMENT / "2026Q1" / "PV.json").read_text())
    assert pv["n_key_churn_risk"] < pv["n_key"] / 2


@pytest.mark.slow
def test_a_row_dated_after_the_quarter_never_changes_its_report(every_quarter, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.SAMPLE_DATA, data)
    out, _ = every_quarter  # PV's 2026Q2 report from the unchanged sample
    first = (out / ENGAGEMENT / "2026Q2" / "PV.html").read_bytes()

    feedback = kam.load_engagement(data).feedback
    asked = set(feedback.loc[feedback["quarter"] >= "2026Q2", "respondent_id"])
    quiet = next(
        a
        for a in sorted(kam.load_engagement(data).for_bu("PV").accounts["account_id"])
        if a not in asked
    )

    def complaint(rows):
        # a complaint about 2026Q2 made after it, and one in 2026Q3 itself
        late = dict(rows[0], source="key_account", respondent_id=quiet, dimension="service")
        late |= {"score": "1", "comment": "Complaint: still no response"}
        late |= {"commented_on": "2026-08-20", "answered_on": ""}
        rows.append(dict(late, quarter="2026Q2"))
        rows.append(dict(late, quarter="2026Q3"))

    def contact(rows):
        new = dict(rows[0], contact_id="C99999", role="decider", attitude="opponent")
        rows.append(new | {"first_contact": "2026-08-01", "last_contact": "2026-09-01"})

    edit_csv(data / "feedback.csv", complaint)
    edit_csv(data / "contacts.csv", contact)
    kam.load_engagement(data)  # still valid
    after = run_reports(data, tmp_path / "b", bus=["PV"], quarter="2026Q2", progress=False)
    assert after.reports["PV"].read_bytes() == first
    eng = kam.load_engagement(data)
    now = kam.diagnosis.account_indifference(eng, "PV")
    then = kam.diagnosis.account_indifference(eng.as_of("2026Q2"), "PV", "2026Q2")
    assert now.loc[quiet, "unanswered_complaints"] == 2  # 2026Q3 sees both
    assert quiet not in then.index or then.loc[quiet, "unanswered_complaints"] == 0


def test_run_quarters_checks_every_quarter_before_anything_runs(tmp_path):
    with pytest.raises(kam.InputValidationError, match='got "2031Q1"'):
        run_quarters(paths.SAMPLE_DATA, tmp_path, ["2025Q4", "2031Q1"], progress=False)
    assert not any(tmp_path.iterdir())


def test_a_refused_run_leaves_no_worker_warming_behind(tmp_path):
    """The first worker starts warming up (imports, a kernel) while the data load; a run
    refused at validation stops it at once, instead of leaving it to start a kernel."""
    import multiprocessing

    before = set(multiprocessing.active_children())  # any an earlier test left: not this run's
    with pytest.raises(kam.InputValidationError, match='got "2031Q1"'):
        run_reports(paths.SAMPLE_DATA, tmp_path, quarter="2031Q1", progress=False)
    assert set(multiprocessing.active_children()) - before == set()
    assert not any(tmp_path.iterdir())


def test_kam_report_quarter_all_runs_every_quarter_in_one_call(tmp_path, monkeypatch, capsys):
    from kamanalysis import cli
    from kamanalysis.report import ReportResult

    calls = []

    def fake(data, out, **options):
        calls.append(options)
        return {
            q: ReportResult(Path(out), Path(out) / "index.html", {}, Path(out), q)
            for q in ("2026Q2", "2026Q3")
        }

    monkeypatch.setattr(cli, "run_quarters", fake)
    assert main(["report", str(paths.SAMPLE_DATA), "--quarter", "all", "--out", str(tmp_path)]) == 0
    assert len(calls) == 1 and "quarter" not in calls[0]
    out = capsys.readouterr().out
    assert "for 2026Q2" in out and "for 2026Q3" in out
