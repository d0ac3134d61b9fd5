"""Issue 22 (5): managers judged on their accounts' results and their customers' ratings."""

from __future__ import annotations

import pytest

import kamanalysis as kam
from kamanalysis.base.i18n import text
from kamanalysis.report.findings import diagnose
from kamanalysis.report.sections import Report


def test_results_add_up_from_the_ledger_and_the_feedback(sample):
    results = kam.diagnosis.manager_results(sample, "PV")
    aq = sample.account_quarters
    mine = aq.loc[aq["account_id"].isin(["PV001", "PV003", "PV004"])]
    now, then = mine.loc[mine["quarter"] == "2026Q3"], mine.loc[mine["quarter"] == "2025Q3"]
    chen = results.loc["PVM01"]
    assert chen["accounts"] == 3
    assert chen["revenue"] == pytest.approx(now["revenue"].sum())
    assert chen["revenue_yoy"] == pytest.approx(now["revenue"].sum() / then["revenue"].sum() - 1)
    margin = (now["revenue"] * now["gross_margin_pct"]).sum() / now["revenue"].sum()
    assert chen["gross_margin_pct"] == pytest.approx(margin)
    fb = sample.feedback
    staff = fb.loc[
        fb["respondent_id"].isin(["PV001", "PV003", "PV004"])
        & (fb["dimension"] == "sales_staff")
        & (fb["quarter"] == "2026Q3")
    ]
    assert len(staff) and chen["staff_rating"] == pytest.approx(staff["score"].mean())
    # a manager no account rated this quarter has no rating, not zero
    unrated = results.loc[results["staff_rating"].isna()]
    assert len(unrated) and (unrated["accounts"] > 0).all()
    assert results["fit"].notna().all()


def test_the_management_section_shows_managers_on_results(sample):
    facts, found = diagnose(sample, "PV")
    parts = list(Report(sample, "PV", facts, found, "en").parts("management"))
    texts = [p.data for p in parts if isinstance(getattr(p, "data", None), str)]
    at = next(i for i, t in enumerate(texts) if text("section.manager_results", "en") in t)
    assert at > 0
    tables = [p.to_html() for p in parts if hasattr(p, "to_html")]
    assert any(text("column.staff_rating", "en") in t for t in tables)
