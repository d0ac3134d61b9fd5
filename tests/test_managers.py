"""The account manager and the key-account organisation: stage profiles, fit, gaps, workload,
contact plan, SPIN, churn causes, conflict modes, organisation form, bad input."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamanalysis.base.errors import InputValidationError
from kamanalysis.base.schema import (
    COMPETENCIES,
    ORGANISATION_FORMS,
    SOCIAL_STYLES,
    STAGES,
)
from kamanalysis.tools.managers import (
    CHURN_CAUSES,
    CONFLICT_MODES,
    CONFLICT_RULES,
    CONFLICT_VALUES,
    GAP_ACTIONS,
    ORGANISATION_RULES,
    SIGNAL_CAUSES,
    STAGE_PROFILES,
    STAGE_ROLES,
    STYLE_APPROACH,
    account_fit,
    check_managers,
    churn_causes,
    competency_gaps,
    conflict_mode,
    contact_plan,
    indifference,
    organisation_form,
    plot_manager_fit,
    score_manager_fit,
    situation_facts,
    spin_call_plan,
    stage_profiles,
    workload,
)

COMPS = list(COMPETENCIES)


def managers(*ratings: dict | float, bu: str = "B") -> pd.DataFrame:
    """Managers M1, M2, ...: a number rates every competency alike, a dict sets some."""
    rows = []
    for i, r in enumerate(ratings, 1):
        values = (
            {c: float(r) for c in COMPS} if not isinstance(r, dict) else {c: 3.0 for c in COMPS} | r
        )
        rows.append(
            {"manager_id": f"M{i}", "bu_id": bu, "name": f"N{i}"}
            | {f"comp_{c}": values[c] for c in COMPS}
        )
    return pd.DataFrame(rows)


def accounts(*rows: tuple[str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["account_id", "manager_id", "stage", "revenue"])


def profile_ratings(stage: str) -> dict:
    return {c: float(level) for c, (_, level) in STAGE_PROFILES[stage].items()}


# ----------------------------------------------------------------------------- profiles


def test_every_stage_profile_is_a_complete_weighting():
    assert set(STAGE_PROFILES) == set(STAGES) == set(STAGE_ROLES)
    for stage, profile in STAGE_PROFILES.items():
        assert set(profile) <= set(COMPETENCIES), stage
        assert math.isclose(sum(w for w, _ in profile.values()), 1.0, abs_tol=1e-9), stage
        assert all(w > 0 and 1 <= level <= 5 for w, level in profile.values()), stage
    table = stage_profiles()
    assert table.groupby(level="stage")["weight"].sum().round(9).eq(1).all()
    assert len(table) == len(STAGES) * len(COMPETENCIES)


def test_profiles_rescale_to_another_scale():
    table = stage_profiles((0, 10))
    assert table.loc[("partnership", "joint_planning"), "required"] == pytest.approx(7.5)


@pytest.mark.parametrize("stage", STAGES)
def test_a_manager_rated_as_the_profile_has_no_gap(stage):
    m = managers(profile_ratings(stage) | {c: 1.0 for c in COMPS if c not in STAGE_PROFILES[stage]})
    a = accounts(("A", "M1", stage, 10.0))
    assert score_manager_fit(m, a).loc["M1", "fit"] == pytest.approx(1.0)
    assert score_manager_fit(m, a).loc["M1", "largest_gap"] == ""
    assert competency_gaps(m, a).empty
    assert account_fit(m, a).loc["A", "fit"] == pytest.approx(1.0)


def test_one_point_below_the_profile_costs_its_weight():
    stage = "partnership"
    m = managers(profile_ratings(stage) | {"joint_planning": 3.0})
    a = accounts(("A", "M1", stage, 10.0))
    weight = STAGE_PROFILES[stage]["joint_planning"][0]
    assert score_manager_fit(m, a).loc["M1", "fit"] == pytest.approx(1 - weight / 4)


ratings = st.dictionaries(
    st.sampled_from(COMPS), st.integers(1, 5), min_size=len(COMPS), max_size=len(COMPS)
)
stage_lists = st.lists(
    st.tuples(st.sampled_from(STAGES), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(ratings, stage_lists, st.sampled_from(COMPS), st.integers(1, 4))
def test_raising_a_competency_never_lowers_fit(rates, held, comp, raise_by):
    a = accounts(*[(f"A{i}", "M1", s, r) for i, (s, r) in enumerate(held)])
    before = score_manager_fit(managers({c: float(v) for c, v in rates.items()}), a)
    raised = dict(rates) | {comp: float(min(5, rates[comp] + raise_by))}
    after = score_manager_fit(managers({c: float(v) for c, v in raised.items()}), a)
    assert after.loc["M1", "fit"] >= before.loc["M1", "fit"] - 1e-12
    assert 0 <= before.loc["M1", "fit"] <= 1


def test_fit_weights_stages_by_revenue_and_ignores_row_order():
    m = managers(
        profile_ratings("early") | {c: 1.0 for c in COMPS if c not in STAGE_PROFILES["early"]}
    )
    small_partner = accounts(("A", "M1", "early", 90.0), ("B", "M1", "partnership", 10.0))
    big_partner = accounts(("A", "M1", "early", 10.0), ("B", "M1", "partnership", 90.0))
    low = score_manager_fit(m, big_partner).loc["M1", "fit"]
    high = score_manager_fit(m, small_partner).loc["M1", "fit"]
    assert low < high
    flipped = score_manager_fit(m, small_partner.iloc[::-1])
    assert flipped.loc["M1", "fit"] == pytest.approx(high)
    assert (
        score_manager_fit(m, small_partner).loc["M1", "stage_mix"]
        == "early KAM 90%, partnership KAM 10%"
    )


def test_manager_without_accounts_has_no_fit_and_input_is_not_changed():
    m = managers(4, 4)
    a = accounts(("A", "M1", "mid", 1.0))
    copy = a.copy()
    fit = score_manager_fit(m, a)
    assert math.isnan(fit.loc["M2", "fit"]) and fit.loc["M2", "accounts"] == 0
    pd.testing.assert_frame_equal(a, copy)


def test_gaps_ranked_and_recommendations_follow_the_rules():
    early_seller = {
        "product_knowledge": 5,
        "principled_negotiation": 5,
        "integrity": 5,
        "joint_planning": 1,
        "process_it": 1,
        "coordination": 2,
    }
    m = managers(early_seller, 4.0, {"joint_planning": 2.0})
    a = accounts(("A", "M1", "partnership", 80.0), ("B", "M1", "early", 20.0))
    gaps = competency_gaps(m, a)
    mine = gaps.loc[gaps["manager_id"] == "M1"]
    assert mine["rank"].tolist() == list(range(1, len(mine) + 1))
    assert mine["weighted_gap"].is_monotonic_decreasing
    top = mine.iloc[0]
    assert (top["competency"], top["action"], top["account"], top["colleague"]) == (
        "joint_planning",
        "reassign",
        "A",
        "M2",
    )
    # a small shortfall is trained
    assert set(gaps.loc[gaps["shortfall"] < 2, "action"]) <= {"train"}
    assert "training for N1 in communication" in gaps["recommendation"].tolist()
    assert set(gaps["manager_id"]) == {"M1"}  # managers without accounts have no gaps
    assert [r["action"] for r in GAP_ACTIONS][-1] == "train"


def test_large_gap_on_a_small_part_of_revenue_pairs_with_the_strongest_colleague():
    m = managers(
        {
            "joint_planning": 1.0,
            "coordination": 4,
            "process_it": 4,
            "senior_access": 4,
            "network_building": 4,
            "integrity": 4,
            "product_knowledge": 4,
            "principled_negotiation": 4,
            "communication": 4,
        },
        {"joint_planning": 5.0},
    )
    a = accounts(("A", "M1", "partnership", 20.0), ("B", "M1", "early", 80.0))
    top = competency_gaps(m, a).iloc[0]
    assert (top["action"], top["colleague"]) == ("pair", "M2")
    assert top["recommendation"] == "pair N1 with N2 (strategic and joint planning 5) on A"


def test_gaps_in_chinese():
    m = managers({"joint_planning": 1.0}, 5.0)
    a = accounts(("A", "M1", "partnership", 1.0))
    assert "转交给" in competency_gaps(m, a, lang="zh").iloc[0]["recommendation"]


# ----------------------------------------------------------------------------- workload


def test_workload_counts_key_accounts_against_the_span():
    a = pd.DataFrame(
        {
            "account_id": list("ABCDE"),
            "manager_id": ["M1", "M1", "M1", "M2", ""],
            "revenue": [5.0, 3.0, 1.0, 1.0, 0.0],
            "key": [True, True, False, True, False],
        }
    )
    w = workload(a, managers=["M1", "M2", "M3"], span={"key_accounts": 1})
    assert w["key_accounts"].tolist() == [2, 1, 0]
    assert w["over_span"].tolist() == [True, False, False]
    assert w.loc["M1", "revenue_share"] == pytest.approx(0.9)
    assert w.attrs["unassigned"] == ["E"]
    assert w.loc["M2", "key_load"] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- contact plan


def test_contact_plan_by_style_and_attitude_and_missing_roles():
    c = pd.DataFrame(
        {
            "contact_id": ["c1", "c2", "c3", "c4"],
            "account_id": "A",
            "role": ["decider", "influencer", "buyer", "user"],
            "attitude": ["supporter", "neutral", "opponent", "neutral"],
            "influence": [5, 4, 3, 2],
            "social_style": ["analytical", "driver", "amiable", None],
        }
    )
    plan = contact_plan(c)
    people = plan.loc[plan["contact_id"] != ""].set_index("contact_id")
    assert people["aim"].tolist() == ["grow", "win", "understand", "win"]
    assert people.loc["c1", "approach"] == STYLE_APPROACH["analytical"]["en"]
    assert "demo" in people.loc["c1", "approach"]
    assert "brief" in people.loc["c2", "approach"]
    assert "introductions" in people.loc["c3", "approach"]
    assert people.loc["c4", "approach"] == STYLE_APPROACH["generic"]["en"]
    assert people.loc["c4", "note"] == "no social style recorded: generic approach"
    missing = plan.loc[plan["contact_id"] == ""]
    assert missing["role"].tolist() == ["gatekeeper"] and missing["aim"].tolist() == ["reach"]


def test_expressive_gets_room_to_talk_and_every_style_has_an_approach():
    assert set(SOCIAL_STYLES) | {"generic"} == set(STYLE_APPROACH)
    assert "vision" in STYLE_APPROACH["expressive"]["en"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("role", "boss", "role of 'c1'"),
        ("attitude", "hostile", "attitude of 'c1'"),
        ("social_style", "loud", "social_style of 'c1'"),
    ],
)
def test_contact_plan_bad_values(column, value, message):
    c = pd.DataFrame(
        {
            "contact_id": ["c1"],
            "account_id": "A",
            "role": ["decider"],
            "attitude": ["neutral"],
            "influence": [5],
            "social_style": ["driver"],
        }
    )
    c[column] = value
    with pytest.raises(InputValidationError, match=message):
        contact_plan(c)


# ----------------------------------------------------------------------------- SPIN


LEDGER = pd.DataFrame(
    {
        "account_id": ["A", "A", "B"],
        "quarter": ["2025Q3", "2026Q3", "2026Q3"],
        "revenue": [200.0, 150.0, 9.0],
        "category_spend": [400.0, 500.0, 10.0],
        "gross_margin_pct": [25.0, 21.5, 10.0],
        "payment_days": [40.0, 62.0, 1.0],
    }
)


def test_spin_situation_facts_match_the_ledger():
    plan = spin_call_plan(LEDGER, account_id="A", quarter="2026Q3")
    facts = plan.loc[plan["kind"] == "situation"].set_index("topic")["value"]
    assert facts["revenue"] == 150.0
    assert facts["gross_margin_pct"] == 21.5
    assert facts["payment_days"] == 62.0
    assert facts["share_of_wallet"] == pytest.approx(150 / 500)
    assert facts["revenue_yoy"] == pytest.approx(150 / 200 - 1)
    texts = plan.loc[plan["kind"] == "situation", "text"].tolist()
    assert "We know: they pay in 62 days." in texts
    assert situation_facts(LEDGER, account_id="A", quarter="2026Q3")["revenue"] == 150.0


def test_spin_questions_come_from_feedback_boards_and_signals():
    feedback = pd.DataFrame(
        {
            "source": ["key_account"] * 3 + ["dealer"],
            "respondent_id": ["A", "A", "A", "A"],
            "quarter": "2026Q3",
            "dimension": ["delivery", "price", "service", "service"],
            "score": [1.0, 2.0, 4.0, 1.0],
        }
    )
    boards = pd.DataFrame({"board": ["long", "short"]}, index=["Product quality", "Innovation"])
    plan = spin_call_plan(
        LEDGER,
        account_id="A",
        quarter="2026Q3",
        feedback=feedback,
        boards=boards,
        signals="falling_purchases, rising_payment_days",
    )
    assert list(dict.fromkeys(plan["kind"])) == [
        "situation",
        "problem",
        "implication",
        "need_payoff",
    ]
    problems = plan.loc[plan["kind"] == "problem", "topic"].tolist()
    assert problems == ["delivery", "price", "Innovation"]  # weakest first; dealers ignored
    assert plan.loc[plan["kind"] == "implication", "topic"].tolist() == [
        "falling_purchases",
        "rising_payment_days",
    ]
    assert plan.loc[plan["kind"] == "need_payoff", "topic"].tolist() == ["Product quality"]
    zh = spin_call_plan(LEDGER, account_id="A", quarter="2026Q3", boards=boards, lang="zh")
    assert "已知" in zh["text"].iloc[0]


def test_spin_for_a_quarter_without_sales_is_an_error():
    with pytest.raises(InputValidationError, match="sales of A in 2024Q1"):
        spin_call_plan(LEDGER, account_id="A", quarter="2024Q1")


# ----------------------------------------------------------------------------- churn causes


def test_indifference_measured_three_ways():
    coverage = pd.DataFrame(
        {"days_since_decider": [200.0, math.nan, 10.0, 10.0]},
        index=pd.Index(list("ABCD"), name="account_id"),
    )
    visits = pd.Series({"A": 0, "B": 1, "C": 3, "D": math.nan})
    feedback = pd.DataFrame(
        {
            "respondent_id": ["C", "C", "D"],
            "comment": ["Complaint still no response", None, "Slow delivery"],
        }
    )
    signs = indifference(coverage, visits=visits, feedback=feedback)
    assert signs["no_decider"].tolist() == [True, True, False, False]
    assert signs["no_executive_visit"].tolist() == [True, False, False, False]
    assert signs["no_response"].tolist() == [False, False, True, False]
    assert signs["signs"].tolist() == [2, 1, 1, 0]
    assert signs.loc["C", "evidence"] == "complaints without response: 1"


def test_churn_causes_follow_the_seed_and_the_signals():
    assert (
        sum(CHURN_CAUSES.values()) == 100
        and max(CHURN_CAUSES, key=CHURN_CAUSES.get) == "indifference"
    )
    assert {c for causes in SIGNAL_CAUSES.values() for c in causes} <= set(CHURN_CAUSES)
    signals = pd.DataFrame(
        {"signals": ["falling_feedback", "", "rising_payment_days"]},
        index=pd.Index(list("ABC"), name="account_id"),
    )
    coverage = pd.DataFrame({"days_since_decider": [10.0, 300.0, 10.0]}, index=signals.index)
    causes = churn_causes(signals, signs=indifference(coverage))
    assert causes[["account_id", "cause"]].values.tolist() == [
        ["A", "complaint"],
        ["B", "indifference"],
        ["C", "lower_price"],
    ]
    assert causes.loc[1, "evidence"] == "no decider met for 300 days"
    assert churn_causes(signals, lang="zh").loc[0, "name"] == "投诉后不满"


# ----------------------------------------------------------------------------- conflict


@pytest.mark.parametrize(
    ("stakes", "relationship", "time_pressure", "power", "mode"),
    [
        ("high", "low", "high", "stronger", "competing"),
        ("high", "high", "low", "equal", "collaborating"),
        ("high", "high", "high", "equal", "compromising"),
        ("low", "low", "low", "equal", "avoiding"),
        ("low", "high", "high", "weaker", "accommodating"),
    ],
)
def test_each_conflict_mode(stakes, relationship, time_pressure, power, mode):
    out = conflict_mode(
        stakes=stakes, relationship=relationship, time_pressure=time_pressure, power=power
    )
    assert out["mode"] == mode and out["why"]


def test_every_situation_gets_a_mode_and_every_mode_is_reachable():
    reached = set()
    for values in itertools.product(*CONFLICT_VALUES.values()):
        situation = dict(zip(CONFLICT_VALUES, values, strict=True))
        reached.add(conflict_mode(**situation)["mode"])
    assert reached == set(CONFLICT_MODES)
    assert {mode for _, mode, _ in CONFLICT_RULES} == set(CONFLICT_MODES)


def test_conflict_mode_bad_value():
    with pytest.raises(InputValidationError, match="column power: expected one of weaker"):
        conflict_mode(stakes="high", relationship="high", time_pressure="low", power="huge")


# ----------------------------------------------------------------------------- organisation


def portfolio(n_key: int, n_other: int, stage: str, key_revenue: float = 10.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": [True] * n_key + [False] * n_other,
            "revenue": [key_revenue] * n_key + [1.0] * n_other,
            "stage": [stage] * (n_key + n_other),
        }
    )


@pytest.mark.parametrize(
    ("case", "form"),
    [
        (portfolio(1, 20, "early"), "temporary_team"),
        (portfolio(5, 20, "mid"), "standing_team"),
        (portfolio(9, 20, "mid"), "standing_team"),  # many, but not yet partnership
        (portfolio(12, 20, "partnership"), "key_account_department"),
    ],
)
def test_each_organisation_form_is_reached(case, form):
    out = organisation_form(case, current="standing_team")
    assert out["form"] == form
    assert out["change"] == (form != "standing_team")
    assert out["reasons"] and out["needs"]


def test_organisation_rules_cover_the_three_forms_and_speak_chinese():
    assert {name for name, _ in ORGANISATION_RULES} == set(ORGANISATION_FORMS)
    assert ORGANISATION_RULES[-1][1] == {}  # the last form is the fallback
    out = organisation_form(portfolio(12, 20, "partnership"), lang="zh")
    assert "大客户" in out["reasons"] and out["current"] == "" and not out["change"]
    with pytest.raises(InputValidationError, match="column current"):
        organisation_form(portfolio(1, 1, "early"), current="matrix")


# ----------------------------------------------------------------------------- bad input


def test_check_managers_names_file_row_and_column():
    m = managers(4.0, 4.0)
    m.loc[1, "bu_id"] = "OTHER"
    m.loc[0, "comp_integrity"] = 7.0
    a = pd.DataFrame(
        {"account_id": ["A", "B", "C", "D"], "bu_id": "B", "manager_id": ["M1", "M9", "M2", None]}
    )
    with pytest.raises(InputValidationError) as err:
        check_managers(
            m,
            a,
            files=("managers.csv", "accounts.csv"),
            rows={"managers": [2, 3], "accounts": [10, 11, 12, 13]},
        )
    shown = [str(p) for p in err.value.problems]
    assert shown == [
        "managers.csv row 2, column comp_integrity: expected a rating from 1 to 5, got 7",
        'accounts.csv row 11, column manager_id: expected a manager_id listed in managers, got "M9"',
        'accounts.csv row 12, column manager_id: expected a manager of BU B (M2 is in OTHER), got "M2"',
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m, a: m.assign(comp_communication=0.0), r"comp_communication of 'M1'"),
        (lambda m, a: (m, a.assign(manager_id="M7")), r"manager_id of 'A'"),
        (lambda m, a: (m, a.assign(stage="late")), r"stage of 'A'"),
    ],
)
def test_fit_rejects_bad_input(change, message):
    m, a = managers(4.0), accounts(("A", "M1", "mid", 1.0))
    out = change(m, a)
    m, a = out if isinstance(out, tuple) else (out, a)
    with pytest.raises(InputValidationError, match=message):
        score_manager_fit(m, a)


def test_plot_manager_fit():
    fit = pd.DataFrame(
        {"fit": [0.4, 0.95], "name": ["Chen", "Lin"]},
        index=pd.Index(["M1", "M2"], name="manager_id"),
    )
    ax = plot_manager_fit(fit, load=pd.Series({"M1": 0.5, "M2": 2.0}))
    assert ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Chen", "Lin"]
    plt.close(ax.figure)


def test_plot_manager_fit_when_not_assessed():
    ax = plot_manager_fit(pd.DataFrame())
    assert ax.get_title() and [t.get_text() for t in ax.texts] == ["Not assessed this quarter."]
    plt.close(ax.figure)
    ax = plot_manager_fit(pd.DataFrame(), lang="zh")
    assert ax.get_title() == "客户经理与其客户关系阶段的匹配度"
    assert [t.get_text() for t in ax.texts] == ["本季度未评估。"]
    plt.close(ax.figure)
