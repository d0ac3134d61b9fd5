"""Issue 17: one definition of a key account, a select few, measured as the seeds mean them.

Seeds 001 and 004 (key accounts carry a large share of our profit; a big buyer that forces
prices down and pays late is not one), 002 (the small account that accelerates, influence,
fit), 003 (the selection matrix and its relative-advantage factors; why key accounts leave).
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis import diagnosis
from kamanalysis.data.settings import merge_settings
from kamanalysis.diagnosis.summary import account_facts
from kamanalysis.report.findings import diagnose
from kamanalysis.tools.accounts import (
    assign_tiers,
    rate_by_share,
    score_health,
    score_key_account_criteria,
    score_strength,
)
from kamanalysis.tools.accounts._common import TOLERANCE

BUS = ("PV", "IC", "MC")


def _copy(eng, changes):
    """A copy of the engagement with some settings changed and an empty cache."""
    out = copy.copy(eng)
    out.settings = copy.deepcopy(eng.settings)
    out.cache = {}
    for (section, key), value in changes.items():
        out.settings[section][key] = value
    return out


@pytest.mark.parametrize("bu", BUS)
def test_one_tier_per_account_and_qualifies_means_key_or_develop(sample, bu):
    p = diagnosis.key_account_portfolio(sample, bu, draws=50)
    assert p.index.is_unique and p["tier"].isin(kam.schema.TIERS).all()
    assert (p["qualifies"] == p["tier"].isin(["key", "develop"])).all()
    for column in ("attractiveness", "strength", "reasons"):
        assert p[column].notna().all()
    # the criteria score IS the attractiveness axis: they cannot disagree
    c = diagnosis.key_account_criteria(sample, bu).reindex(p.index)
    np.testing.assert_allclose(p["attractiveness"], c["score"])
    cut, strong_cut = p.attrs["selection_cuts"]
    key = p["tier"] == "key"
    # at or above each cut, as the tool compares: within its float tolerance (a strength of
    # exactly 3.0, summed from weighted ratings, can come out as 2.999999999999999)
    assert (p.loc[key, "attractiveness"] >= cut - TOLERANCE).all() and (
        p.loc[key, "strength"] >= strong_cut - TOLERANCE
    ).all()


@pytest.mark.parametrize("bu", BUS)
def test_key_accounts_are_a_select_few_carrying_half_the_profit(sample, bu):
    p = diagnosis.key_account_portfolio(sample, bu, draws=50)
    n = len(p)
    assert (p["tier"] == "key").sum() <= 0.20 * n
    assert p["qualifies"].sum() <= 0.30 * n
    profit = p["gross_profit"].clip(lower=0)
    assert profit[p["qualifies"]].sum() >= 0.5 * profit.sum()
    assert not p["over_capacity"].any()  # managers x 10 covers every BU of the sample


def test_the_samples_stories(sample):
    pv = diagnosis.key_account_portfolio(sample, "PV", draws=50)
    assert pv["revenue"].idxmax() == "PV002" and pv.loc["PV002", "tier"] != "key"
    assert not pv.loc["PV002", "qualifies"]
    assert (pv.loc[["PV001", "PV003", "PV004"], "tier"] == "key").all()
    mc = diagnosis.key_account_portfolio(sample, "MC", draws=50)
    assert mc.loc["MC004", "tier"] == "develop" and mc.loc["MC004", "accelerating"]
    assert mc.loc["MC004", "reasons"].startswith("focus development: a small account")
    stages = [
        diagnosis.key_account_positions(sample, "IC", q).loc["IC003", "stage"]
        for q in ("2024Q4", "2026Q3")
    ]
    assert kam.schema.STAGES.index(stages[1]) < kam.schema.STAGES.index(stages[0])


def test_reasons_are_in_the_reports_language(sample):
    zh = diagnosis.key_account_portfolio(sample, "PV", draws=50, lang="zh")
    assert zh.loc["PV001", "reasons"].startswith("大客户：")
    assert zh.loc["PV002", "reasons"].startswith("机会主义：") or zh.loc[
        "PV002", "reasons"
    ].startswith("维持关系：")


def test_raising_the_margin_floor_lowers_the_margin_rating_near_it(sample):
    c = diagnosis.key_account_criteria(sample, "PV")
    near = (c["avg_margin_pct"] - 17.0).abs().idxmin()  # an account a little above the floor
    before = c.loc[near, "margin"]
    higher = _copy(sample, {("anchors", "margin_floor"): 20.0})
    after = diagnosis.key_account_criteria(higher, "PV").loc[near, "margin"]
    assert after < before


def test_anchor_floor_above_target_is_a_clear_error():
    problems = []
    merge_settings(
        {
            "values": {
                "engagement": {"name": "x", "current_quarter": "2026Q3"},
                "anchors": {"margin_floor": 35.0},
            }
        },
        problems,
    )
    assert [str(p) for p in problems] == [
        "engagement.toml, column anchors.margin_floor: expected anchors.margin_floor below "
        "anchors.margin_target (30), got 35"
    ] or any("margin_floor" in str(p) and "35" in str(p) for p in problems)
    q = pd.DataFrame(
        {
            "bu_id": "X",
            "account_id": ["A"],
            "quarter": "2026Q3",
            "revenue": [1.0],
            "gross_margin_pct": [20.0],
            "category_spend": [2.0],
            "payment_days": [30.0],
        }
    )
    with pytest.raises(
        kam.InputValidationError, match="margin_floor 35 is not below margin_target"
    ):
        score_key_account_criteria(q, anchors={"margin_floor": 35.0}, window=1)


def test_a_weights_group_in_the_file_replaces_the_defaults():
    problems = []
    merged = merge_settings(
        {
            "values": {
                "engagement": {"name": "x", "current_quarter": "2026Q3"},
                "weights": {"attractiveness": {"volume": 0.5, "margin": 0.5}},
            }
        },
        problems,
    )
    assert problems == []
    assert merged["weights"]["attractiveness"]["profit_share"] == 0.0


def _ledger(cost=None):
    rows = {
        "account_id": ["A", "B", "C"],
        "revenue": [100.0, 50.0, 10.0],
        "gross_margin_pct": [30.0, 20.0, 25.0],
        "category_spend": [200.0, 100.0, 20.0],
        "payment_days": [40.0, 60.0, 50.0],
    }
    q = pd.DataFrame(rows).assign(bu_id="X", quarter="2026Q3")
    if cost is not None:
        q["cost_to_serve"] = cost
    return q


def test_blank_cost_to_serve_and_missing_workshop_ratings_are_not_assessed_never_zero():
    weights = {"margin": 0.5, "cost_to_serve": 0.25, "influence": 0.25}
    c = score_key_account_criteria(_ledger([np.nan, 2.0, np.nan]), weights=weights, window=1)
    assert np.isnan(c.loc["A", "cost_to_serve"]) and c.loc["B", "cost_to_serve"] > 1
    assert c["influence"].isna().all()  # no att_influence column: not assessed
    assert c.loc["A", "score"] == c.loc["A", "margin"]  # the blanks left out, not zero
    assert "not rated: cost to serve" in c.loc["A", "reasons"]
    # a cost of zero is a cost, and rated best
    zero = score_key_account_criteria(_ledger([0.0, 0.0, 0.0]), weights=weights, window=1)
    assert (zero["cost_to_serve"] == 5).all()


def test_strength_factors_left_blank_are_not_assessed():
    a = pd.DataFrame({"str_price": [4.0, 4.0], "str_trust": [np.nan, 2.0]})
    s = score_strength(a, weights={"price": 0.5, "trust": 0.5})
    assert s.tolist() == [4.0, 3.0]
    assert np.isnan(score_strength(a[[]], weights={"price": 1.0}).iloc[0])


def test_share_of_profit_rates_the_few_that_carry_half_highest():
    r = rate_by_share(pd.Series([50.0, 30.0, 10.0, 5.0, 5.0, -3.0]))
    assert r.tolist() == [5.0, 4.0, 3.0, 2.0, 1.0, 1.0]


def test_an_accelerating_small_account_lands_in_develop():
    rows = []
    for k, quarter in enumerate(["2025Q4", "2026Q1", "2026Q2", "2026Q3"]):
        for account, revenue in (("big", 1000.0), ("small", 2.0 * 3**k)):
            rows.append((account, quarter, revenue))
    q = pd.DataFrame(rows, columns=["account_id", "quarter", "revenue"]).assign(
        bu_id="X",
        gross_margin_pct=20.0,
        category_spend=lambda f: f["revenue"] * 2,
        payment_days=40.0,
    )
    c = score_key_account_criteria(q, weights={"volume": 0.5, "growth": 0.5}, window=2)
    assert c.loc["small", "accelerating"] and not c.loc["big", "accelerating"]
    t = assign_tiers(
        c.rename(columns={"score": "attractiveness"}).assign(strength=2.0), cuts=(4.5, 3)
    )
    assert t.loc["small", "tier"] == "develop" and t.loc["small", "qualifies"]


def test_more_key_accounts_than_the_team_can_serve_are_named_lowest_ranked_first(tmp_path):
    from kamanalysis.data.sample import generate
    from kamanalysis.data.workbook import write_folder

    settings, tables = generate(n_bus=1, n_accounts=40, seed=7)
    # one manager and a span of 2: the team serves two key accounts
    tables["managers"] = tables["managers"].head(1)
    ratings = tables["manager_ratings"]
    tables["manager_ratings"] = ratings.loc[
        ratings["manager_id"].isin(tables["managers"]["manager_id"])
    ]
    tables["accounts"]["manager_id"] = tables["managers"]["manager_id"].iloc[0]
    settings["capacity"]["key_accounts_per_manager"] = 2
    eng = kam.load_engagement(write_folder(settings, tables, tmp_path / "eng"))
    p = diagnosis.key_account_portfolio(eng, "PV", draws=20)
    key = p.loc[p["tier"] == "key"].sort_values("key_rank")
    assert len(key) > 2
    assert not key["over_capacity"].iloc[:2].any() and key["over_capacity"].iloc[2:].all()
    assert "qualifies, over capacity" in key["reasons"].iloc[-1]
    facts, found = diagnose(eng, "PV")  # bu_facts(eng.named("en"), "PV") and its findings
    assert facts["n_over_capacity"] == len(key) - 2 and facts["capacity"] == 2
    names = facts["over_capacity_accounts"].split(", ")
    assert names[0] == str(key["name"].iloc[-1])  # the lowest-ranked first
    assert "key_over_capacity" in set(found["id"])


def test_health_counts_each_signal_once_and_drives_one_visit_per_account(sample, sample_diagnosis):
    h = diagnosis.account_health(sample, "MC")
    assert h["health"].between(0, 100).all()
    for signals in h["health_codes"]:
        names = [s for s in signals.split(", ") if s]
        assert len(names) == len(set(names))
    assert "no_decider_contact" in h.loc["MC001", "health_codes"]
    assert "no contact with a decider" in h.loc["MC001", "health_signals"]
    assert h["health_change"].notna().any()
    f = score_health(pd.DataFrame({"few_contacts": [True, False]}))
    assert f["health"].tolist() == [90.0, 100.0]
    _, found = sample_diagnosis("MC")
    visits = found.loc[found["id"] == "exec_visit"]
    assert len(visits) >= 1 and visits["finding"].is_unique
    # one executive-visit action per account, across the whole report
    said = found.loc[found["action"].str.contains("executive visit", na=False)]
    for account in h.index:
        named = [a for accounts in said["accounts"] for a in accounts if a == account]
        assert len(named) <= 1, account


def test_key_accounts_with_fewer_than_three_contacts_are_flagged(sample):
    for bu in BUS:
        a = account_facts(sample, bu)
        key = a["tier"] == "key"
        assert (a.loc[key, "few_contacts"] == (a.loc[key, "contacts"].fillna(0) < 3)).all()
        assert not a.loc[~key, "few_contacts"].any()


#: Findings that speak of key accounts and name accounts: each must name key accounts only.
KEY_FINDINGS = (
    "single_threaded",
    "churn_risk",
    "exec_visit",
    "no_decider_contact",
    "seller_frustration",
    "stage_early",
    "stage_mid",
    "stage_partnership",
    "indifference",
    "key_without_manager",
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_finding_calls_an_account_key_whose_tier_is_not_key(sample, lang, sample_diagnosis):
    seen = 0  # findings applying tactic 5
    for bu in BUS:
        p = diagnosis.key_account_portfolio(sample, bu, draws=50)
        key = set(p.index[p["tier"] == "key"])
        facts, found = sample_diagnosis(bu, lang)  # bu_facts(sample.named(lang), bu), found
        for _, row in found.loc[found["id"].isin(KEY_FINDINGS)].iterrows():
            named = set(row["accounts"]) if isinstance(row["accounts"], list | tuple) else set()
            assert named <= key, (bu, row["id"], named - key)
            for account, name in p.loc[p["tier"] != "key", "name"].items():
                assert str(name) not in row["finding"], (bu, row["id"], account)
        # seed 001's tactic 5 (executive visits to key accounts) is applied to key accounts only
        tactic5 = found["tactic"].astype(str).str.match(r"^5\D")
        seen += int(tactic5.sum())
        for _, row in found.loc[tactic5].iterrows():
            named = set(row["accounts"]) if isinstance(row["accounts"], list | tuple) else set()
            assert named <= key, (bu, row["id"], named - key)
        assert facts["n_key"] == len(key)  # the facts the findings were drawn from
    assert seen >= 1


def test_the_selection_chart_marks_an_account_lifted_to_develop(sample):
    import matplotlib.pyplot as plt

    from kamanalysis.core.charts import COLORS
    from kamanalysis.tools.accounts import plot_selection_matrix

    mc = diagnosis.key_account_portfolio(sample, "MC", draws=20)
    ax = plot_selection_matrix(mc)
    colours = ax.collections[0].get_facecolors()
    lifted = list(mc.index).index("MC004")  # develop, drawn below the attractiveness cut
    import matplotlib.colors as mcolors

    assert np.allclose(colours[lifted][:3], mcolors.to_rgb(COLORS["highlight"]))
    others = [i for i, t in enumerate(mc["tier"]) if t == "key"]
    assert all(np.allclose(colours[i][:3], mcolors.to_rgb(COLORS["focal"])) for i in others)
    plt.close(ax.figure)


def test_retention_levers_show_where_the_data_show_them(sample):
    # seed 003: raise switching costs, keep bringing something new
    h = diagnosis.account_health(sample, "PV")
    rows = sample.account_assessments
    rows = rows.loc[(rows["quarter"] == "2026Q3") & (rows["bu_id"] == "PV")]
    rows = rows.set_index("account_id").reindex(h.index)
    low = h["health_codes"].str.contains("low_switching_cost")
    key = h["tier"] == "key"
    expected = key & (rows["contract_months"] < 12) & ~rows["preferred_supplier"].astype(bool)
    assert (low == expected).all() and low.any()
    stale = h["health_codes"].str.contains("stale_offer")
    assert (stale == (rows["str_innovation"] <= 2)).all()


def test_an_account_rated_at_the_bottom_with_optional_factors_blank_still_scores(sample):
    # found on a 200-BU generated engagement: every strength rating 1 and the optional factors
    # blank; the blanks were filled with the weighted mean, 1 - 1e-16, and refused as off scale
    eng = copy.copy(sample)
    eng.cache = {}
    aa = sample.account_assessments.copy()
    account = aa.loc[aa["bu_id"] == "PV", "account_id"].iloc[0]
    mine = aa["account_id"] == account
    optional = [c for c in aa.columns if c.startswith("str_") and aa.loc[mine, c].isna().all()]
    rated = [c for c in aa.columns if c.startswith("str_") and c not in optional]
    assert optional and rated  # the sample leaves some optional factors blank
    aa.loc[mine, rated] = 1.0
    eng.tables = dict(sample.tables, account_assessments=aa)
    portfolio = diagnosis.key_account_portfolio(eng, "PV")  # raised InputValidationError
    assert portfolio.loc[account, "strength"] == pytest.approx(1.0)
