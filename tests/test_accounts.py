"""Key-account portfolio: criteria, selection matrix, buyer's view, stages, buying centre,
concentration, churn signals, weight robustness, migration, plots, and the sample's story."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamanalysis as kam
from kamanalysis.base.schema import BUYER_VIEWS, QUADRANTS, STAGES
from kamanalysis.diagnosis import (
    key_account_concentration,
    key_account_criteria,
    key_account_migration,
    key_account_portfolio,
    key_account_positions,
)
from kamanalysis.tools.accounts import (
    QUADRANT_RULES,
    STAGE_EVIDENCE,
    SYNERGY_EVIDENCE,
    buying_centre_coverage,
    churn_signals,
    classify_relationship_stage,
    label,
    migration,
    plot_buying_centre,
    plot_migration,
    plot_robustness,
    plot_selection_matrix,
    plot_stage_distribution,
    plot_supplier_positioning,
    portfolio_concentration,
    rate_by_rank,
    rating_disagreements,
    score_key_account_criteria,
    score_selection_matrix,
    score_supplier_positioning,
    weight_robustness,
)

ATT = {"att_volume": 0.5, "att_margin": 0.5}
STR = {"str_price": 0.6, "str_quality": 0.4}


def frame(att: list[tuple[float, float]], strength: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(len(att))],
            "att_volume": [a[0] for a in att],
            "att_margin": [a[1] for a in att],
            "str_price": [s[0] for s in strength],
            "str_quality": [s[1] for s in strength],
        }
    )


# ----------------------------------------------------------------------------- selection matrix


@pytest.mark.parametrize(
    ("att", "strength", "quadrant"),
    [
        ((4, 4), (4, 4), "key"),
        ((4, 4), (2, 2), "develop"),
        ((2, 2), (4, 4), "maintain"),
        ((2, 2), (2, 2), "opportunistic"),
        # exactly on a cut is high, on each axis and on both
        ((3, 3), (3, 3), "key"),
        ((3, 3), (2, 2), "develop"),
        ((2, 2), (3, 3), "maintain"),
        # just below a cut is low
        ((3, 2.98), (4, 4), "maintain"),
        ((4, 4), (3, 2.99), "develop"),
    ],
)
def test_each_quadrant_and_every_boundary(att, strength, quadrant):
    s = score_selection_matrix(frame([att], [strength]), attractiveness=ATT, strength=STR)
    assert s["quadrant"].iloc[0] == quadrant


def test_every_point_of_the_plane_gets_exactly_one_quadrant():
    grid = np.round(np.arange(1, 5.001, 0.25), 2)  # includes the cuts 3.0 exactly
    pts = [(a, s) for a in grid for s in grid]
    f = pd.DataFrame({"a": [p[0] for p in pts], "s": [p[1] for p in pts]})
    out = score_selection_matrix(f, attractiveness={"a": 1}, strength={"s": 1})
    assert out["quadrant"].isin(QUADRANTS).all() and out["quadrant"].notna().all()
    for (a, s), q in zip(pts, out["quadrant"], strict=True):
        assert q == QUADRANT_RULES[(a >= 3, s >= 3)]
    assert set(out["quadrant"]) == set(QUADRANTS)


def test_ratings_equal_to_the_cut_score_high_despite_rounding():
    # 0.1 + 0.2 style weights: the float sum of 3 x weights is 2.9999999999999996
    w = {"a": 0.1, "b": 0.2, "c": 0.7}
    f = pd.DataFrame({"a": [3], "b": [3], "c": [3], "s": [3]})
    out = score_selection_matrix(f, attractiveness=w, strength={"s": 1})
    assert out["quadrant"].iloc[0] == "key"


def test_percent_weights_and_custom_cuts():
    f = frame([(4, 2)], [(3, 3)])
    a = score_selection_matrix(f, attractiveness={"att_volume": 50, "att_margin": 50}, strength=STR)
    b = score_selection_matrix(f, attractiveness=ATT, strength=STR)
    pd.testing.assert_frame_equal(a, b)
    c = score_selection_matrix(f, attractiveness=ATT, strength=STR, cuts=(3.5, 2.5))
    assert c["quadrant"].iloc[0] == "maintain"


def test_the_result_is_a_copy_with_the_index_kept():
    f = frame([(4, 4), (2, 2)], [(4, 4), (2, 2)]).set_axis([10, 3])
    before = f.copy()
    out = score_selection_matrix(f, attractiveness=ATT, strength=STR)
    pd.testing.assert_frame_equal(f, before)
    assert out.index.tolist() == [10, 3]
    assert out["attractiveness"].tolist() == [4.0, 2.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"attractiveness": {"att_volume": 0.5, "att_margin": 0.55}},
            kam.InvalidWeightsError,
            "expected weights summing to 1 \\(or 100\\) within 1e-06, got a sum of 1.05",
        ),
        (
            {"attractiveness": {"att_volume": 0.5, "att_access": 0.5}},
            kam.InputValidationError,
            "column att_access: expected a column named att_access \\(weighted in attractiveness\\), got no such column",
        ),
        (
            {"strength": {"str_price": -0.5, "str_quality": 1.5}},
            kam.InvalidWeightsError,
            "weight of 'str_price': expected a weight >= 0, got -0.5",
        ),
        (
            {"cuts": (3.0, 6.0)},
            kam.InputValidationError,
            "cuts \\(strength\\): expected a cut from 1 to 5, got 6",
        ),
    ],
)
def test_bad_weights_and_cuts_are_named(kwargs, error, message):
    args = {"attractiveness": ATT, "strength": STR, **kwargs}
    with pytest.raises(error, match=message):
        score_selection_matrix(frame([(3, 3)], [(3, 3)]), **args)


def test_ratings_off_the_scale_or_missing_name_the_account_and_column():
    f = frame([(3, 6), (np.nan, 3)], [(3, 3), (3, 3)])
    with pytest.raises(kam.InputValidationError) as info:
        score_selection_matrix(f, attractiveness=ATT, strength=STR)
    text = str(info.value)
    assert "column att_margin of 'A0': expected a rating from 1 to 5, got 6" in text
    assert "column att_volume of 'A1': expected a rating from 1 to 5, got blank" in text


ratings = st.lists(
    st.tuples(*[st.integers(1, 5)] * 4).map(lambda t: tuple(float(v) for v in t)),
    min_size=1,
    max_size=12,
)


def _frame_of(rows) -> pd.DataFrame:
    return frame([r[:2] for r in rows], [r[2:] for r in rows])


@settings(max_examples=100, deadline=None)
@given(ratings, st.randoms(use_true_random=False))
def test_property_row_order_does_not_matter_and_input_is_unchanged(rows, rnd):
    f = _frame_of(rows)
    before = f.copy()
    out = score_selection_matrix(f, attractiveness=ATT, strength=STR)
    pd.testing.assert_frame_equal(f, before)
    order = list(range(len(f)))
    rnd.shuffle(order)
    shuffled = score_selection_matrix(f.iloc[order], attractiveness=ATT, strength=STR)
    pd.testing.assert_frame_equal(shuffled.sort_index(), out)


@settings(max_examples=150, deadline=None)
@given(ratings, st.integers(0, 11), st.integers(0, 3))
def test_property_raising_a_rating_never_lowers_a_score(rows, i, j):
    f = _frame_of(rows)
    i %= len(f)
    col = ["att_volume", "att_margin", "str_price", "str_quality"][j]
    raised = f.copy()
    raised.loc[i, col] = min(5.0, raised.loc[i, col] + 1)
    a = score_selection_matrix(f, attractiveness=ATT, strength=STR)
    b = score_selection_matrix(raised, attractiveness=ATT, strength=STR)
    assert (b["attractiveness"] >= a["attractiveness"]).all()
    assert (b["strength"] >= a["strength"]).all()


@settings(max_examples=150, deadline=None)
@given(ratings)
def test_property_a_quadrant_changes_only_when_a_score_crosses_a_cut(rows):
    out = score_selection_matrix(_frame_of(rows), attractiveness=ATT, strength=STR)
    for a, s, q in zip(out["attractiveness"], out["strength"], out["quadrant"], strict=True):
        assert q == QUADRANT_RULES[(a >= 3.0 - 1e-9, s >= 3.0 - 1e-9)]


def test_labels_in_english_and_chinese():
    assert [label(q, "zh") for q in QUADRANTS] == ["大客户", "重点开发", "维持关系", "机会主义"]
    for code in (*QUADRANTS, *BUYER_VIEWS, *STAGES, "seller", "buyer"):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label(code, "zh")), code


# ----------------------------------------------------------------------------- supplier positioning


def positioning(importance, spend, quadrant=None) -> pd.DataFrame:
    f = pd.DataFrame(
        {"account_id": ["X"], "buyer_importance": [importance], "buyer_relative_spend": [spend]}
    )
    if quadrant is not None:
        f["quadrant"] = quadrant
    return f


@pytest.mark.parametrize(
    ("importance", "spend", "view"),
    [
        (5, 5, "strategic_partner"),
        (5, 1, "strategic_security"),
        (1, 5, "tactical_profit"),
        (1, 1, "tactical_convenience"),
        (3, 3, "strategic_partner"),  # both on the cut: both high
        (3, 2.999, "strategic_security"),
        (2.999, 3, "tactical_profit"),
        (2.999, 2.999, "tactical_convenience"),
    ],
)
def test_buyer_views_and_their_boundaries(importance, spend, view):
    assert score_supplier_positioning(positioning(importance, spend))["buyer_view"].iloc[0] == view


@pytest.mark.parametrize(
    ("quadrant", "importance", "spend", "frustration"),
    [
        ("key", 1, 1, "seller"),
        ("key", 3, 3, ""),
        ("opportunistic", 4, 4, "buyer"),
        ("maintain", 4, 4, "buyer"),
        ("develop", 4, 4, ""),
        ("opportunistic", 1, 1, ""),
        ("maintain", 4, 2, ""),
    ],
)
def test_frustration_zones(quadrant, importance, spend, frustration):
    out = score_supplier_positioning(positioning(importance, spend, quadrant), our_view="quadrant")
    assert out["frustration"].iloc[0] == frustration


def test_our_view_as_a_mapping_by_account_and_bad_quadrants():
    f = positioning(1, 1)
    out = score_supplier_positioning(f, our_view={"X": "key"})
    assert out["frustration"].iloc[0] == "seller"
    with pytest.raises(kam.InputValidationError, match="our_view of 'X': expected one of key"):
        score_supplier_positioning(f, our_view={"Y": "key"})
    with pytest.raises(kam.InputValidationError, match="buyer_importance of 'X'.*got 9"):
        score_supplier_positioning(positioning(9, 1))


def test_every_point_of_the_buyer_plane_gets_exactly_one_view():
    grid = np.round(np.arange(1, 5.001, 0.5), 2)
    f = pd.DataFrame(
        [(i, s) for i in grid for s in grid], columns=["buyer_importance", "buyer_relative_spend"]
    )
    out = score_supplier_positioning(f)
    assert out["buyer_view"].isin(BUYER_VIEWS).all() and len(out) == len(grid) ** 2


# ----------------------------------------------------------------------------- stages

TYPICAL = {
    "pre": (0, 0, False, "none", False, 0, False),
    "early": (1, 1, False, "transactional", False, 6, False),
    "mid": (4, 2, True, "regular", False, 12, False),
    "partnership": (7, 3, True, "open", True, 24, True),
    "synergistic": (12, 4, True, "open", True, 36, True),
}
INDICATORS = [
    "contact_points",
    "contact_levels",
    "cross_functional_team",
    "info_sharing",
    "joint_planning",
    "contract_months",
    "preferred_supplier",
]


def stage_frame(*rows) -> pd.DataFrame:
    f = pd.DataFrame(list(rows), columns=INDICATORS)
    f.insert(0, "account_id", [f"A{i}" for i in range(len(f))])
    return f


@pytest.mark.parametrize("stage", STAGES)
def test_typical_accounts_of_each_stage(stage):
    # seed 000/003: synergistic KAM is joint teams, open books and joint development
    synergy = stage == "synergistic"
    frame_ = stage_frame(TYPICAL[stage]).assign(
        joint_teams=synergy, open_books=synergy, joint_development=synergy
    )
    out = classify_relationship_stage(frame_).iloc[0]
    assert out["stage"] == stage
    assert out["conflict"] == ""
    assert out["drivers"] == ", ".join(STAGE_EVIDENCE)


def test_many_contacts_alone_do_not_make_an_account_synergistic():
    out = classify_relationship_stage(stage_frame(TYPICAL["synergistic"])).iloc[0]
    assert out["stage"] == "partnership"  # the evidence of synergy not assessed: no vote
    assert "joint_teams" not in out["drivers"] and "joint_teams" not in out["conflict"]


def test_conflicting_indicators_are_named():
    # a multi-year contract but a single contact
    row = (1, 1, False, "transactional", False, 36, False)
    out = classify_relationship_stage(stage_frame(row)).iloc[0]
    assert out["stage"] == "early"
    assert out["conflict"] == "contract_months=36"
    assert "contract_months" not in out["drivers"]


def test_a_tie_goes_to_the_earlier_stage():
    # 4 indicators consistent with mid, 4 with partnership
    rules = {
        "contact_points": ((0, "mid", "mid"),),
        "contact_levels": ((0, "partnership", "partnership"),),
        "contract_months": ((0, "mid", "mid"),),
        "info_sharing": {v: ("partnership", "partnership") for v in ("none", "open")},
        "cross_functional_team": {False: ("mid", "partnership"), True: ("mid", "partnership")},
        "joint_planning": {False: ("mid", "partnership"), True: ("mid", "partnership")},
        "preferred_supplier": {False: ("mid", "partnership"), True: ("mid", "partnership")},
    }
    out = classify_relationship_stage(stage_frame(TYPICAL["pre"]), thresholds=rules)
    assert out["stage"].iloc[0] == "mid"


def test_thresholds_override_some_rules():
    loose = {"contract_months": ((0, "pre", "pre"), (6, "partnership", "synergistic"))}
    row = (1, 1, False, "transactional", False, 6, False)
    assert classify_relationship_stage(stage_frame(row))["conflict"].iloc[0] == ""
    out = classify_relationship_stage(stage_frame(row), thresholds=loose)
    assert out["conflict"].iloc[0] == "contract_months=6"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("contact_levels", 7, "contact_levels of 'A0': expected a whole number from 0 to 6, got 7"),
        ("contact_points", -1, "contact_points of 'A0': expected a whole number >= 0, got -1"),
        ("contract_months", 2.5, "contract_months of 'A0': expected a whole number >= 0, got 2.5"),
        ("info_sharing", "secret", "info_sharing of 'A0': expected one of none, transactional"),
        ("joint_planning", None, "joint_planning of 'A0': expected one of False, True, got blank"),
    ],
)
def test_stage_indicators_off_their_scale_are_named(column, value, message):
    f = stage_frame(TYPICAL["mid"])
    f[column] = f[column].astype(object)
    f.loc[0, column] = value
    with pytest.raises(kam.InputValidationError, match=message):
        classify_relationship_stage(f)


def test_bad_stage_rules_are_named():
    with pytest.raises(kam.InputValidationError, match="thresholds of contact_points"):
        classify_relationship_stage(
            stage_frame(TYPICAL["mid"]), thresholds={"contact_points": ((0, "late", "pre"),)}
        )


# ----------------------------------------------------------------------------- criteria


def ledger(rows) -> pd.DataFrame:
    cols = [
        "account_id",
        "quarter",
        "revenue",
        "gross_margin_pct",
        "category_spend",
        "payment_days",
    ]
    f = pd.DataFrame(rows, columns=cols)
    f.insert(0, "bu_id", "X")
    return f


def test_rate_by_rank_uses_fifths_within_each_group_and_shares_ties():
    values = pd.Series([1, 2, 3, 4, 5, 10, 10])
    groups = pd.Series(["a"] * 5 + ["b"] * 2)
    assert rate_by_rank(values, groups).tolist() == [1, 2, 3, 4, 5, 4, 4]  # rank 1.5 of 2
    rated = rate_by_rank(pd.Series([1.0, np.nan, 3.0]))
    assert np.isnan(rated[1]) and rated.tolist()[::2] == [3.0, 5.0]  # NaN stays NaN
    assert rate_by_rank(pd.Series([3.0, 1.0]), higher_is_better=False).tolist() == [3.0, 5.0]


def test_measures_growth_acceleration_and_the_reasons():
    q = [f"{y}Q{i}" for y in (2025, 2026) for i in (1, 2, 3, 4)]
    rows = []
    for k, quarter in enumerate(q):
        rows.append(("steady", quarter, 100.0, 20.0, 200.0, 40.0))
        rows.append(("testing", quarter, 10.0 * 2**k, 20.0, 400.0, 40.0))
    c = score_key_account_criteria(
        ledger(rows), weights={"volume": 0.5, "growth": 0.5}, quarter="2026Q4"
    )
    assert c.loc["steady", "purchase_growth"] == 0.0
    assert c.loc["testing", "purchase_growth"] == pytest.approx(15.0)  # 2400 / 150 - 1
    assert c.loc["testing", "acceleration"] == pytest.approx(0.0)  # doubling every quarter
    assert c.loc["steady", "share_of_wallet"] == 0.5
    assert c.loc["steady", "untapped_spend"] == 400.0  # 4 x 200 spend - 400 sales
    assert "growth (5: purchases +1500% on the year before)" in c.loc["testing", "reasons"]


def test_a_big_account_squeezing_price_and_paying_late_does_not_qualify():
    rows = [
        ("big", "2026Q3", 1000.0, 2.0, 2000.0, 150.0),
        ("good1", "2026Q3", 500.0, 30.0, 900.0, 45.0),
        ("good2", "2026Q3", 450.0, 28.0, 900.0, 40.0),
        ("small1", "2026Q3", 50.0, 15.0, 100.0, 60.0),
        ("small2", "2026Q3", 40.0, 18.0, 60.0, 70.0),
    ]
    c = score_key_account_criteria(
        ledger(rows), weights={"volume": 0.4, "margin": 0.3, "credit": 0.3}, window=1
    )
    big = c.loc["big"]
    assert (big["volume"], big["margin"], big["credit"]) == (5, 1, 1)
    assert not big["attractive"] and c.loc["good1", "attractive"]
    assert big["reasons"].startswith("less attractive: criteria score 2.60 below 3")
    assert (
        "weak on margin (1: 2.0 % over the quarter), credit (1: pays in 150 days on average "
        "over the quarter)" in big["reasons"]
    )
    assert "big, not key" in big["reasons"]


def test_rated_criteria_and_disagreements_with_the_ledger():
    margins = {"A": 5.0, "B": 30.0, "C": 10.0, "D": 20.0, "E": 25.0}
    rows = [(a, "2026Q3", 100.0, m, 200.0, 45.0) for a, m in margins.items()]
    assessed = pd.DataFrame(
        {
            "account_id": ["A", "B"],
            "quarter": "2026Q3",
            "att_margin": [4, 4],
            "att_strategic_access": [5, 1],
        }
    )
    c = score_key_account_criteria(
        ledger(rows),
        assessed,
        weights={"margin": 0.5, "strategic_access": 0.5},
        window=1,
    )
    assert c["strategic_access"].tolist()[:2] == [5, 1] and c["strategic_access"].isna().sum() == 3
    # anchors, not ranks: floor 15 % -> 1, target 30 % -> 5, linear between
    assert c["margin"].round(3).tolist() == [1, 5, 1, 2.333, 3.667]
    d = rating_disagreements(c)
    assert d[["account_id", "criterion", "rated", "measured", "gap"]].values.tolist() == [
        ["A", "margin", 4.0, 1.0, 3.0]
    ]
    assert "workshop rated margin 4, the ledger puts it at 1" in d["note"].iloc[0]


def test_missing_ratings_are_left_out_and_said():
    rows = [("A", "2026Q3", 100.0, 20.0, 200.0, 45.0)]
    c = score_key_account_criteria(ledger(rows), weights={"volume": 0.5, "growth": 0.5}, window=1)
    assert np.isnan(c.loc["A", "growth"]) and c.loc["A", "score"] == 5.0
    assert "not rated: growth (no data in 2026Q3)" in c.loc["A", "reasons"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weights": {"volume": 0.6, "margin": 0.6}}, kam.InvalidWeightsError, "got a sum of 1.2"),
        (
            {"weights": {"volume": 0.5, "openness": 0.5}},
            kam.InputValidationError,
            "column att_openness: expected a measured criterion",
        ),
        (
            {"quarter": "2026-3"},
            kam.InputValidationError,
            'expected a quarter written like 2026Q3, got "2026-3"',
        ),
        ({"window": 0}, kam.InputValidationError, "column window: expected a whole number"),
        ({"cut": 7}, kam.InputValidationError, "column cut: expected a cut from 1 to 5, got 7"),
    ],
)
def test_bad_criteria_arguments(kwargs, error, message):
    rows = [("A", "2026Q3", 100.0, 20.0, 200.0, 45.0)]
    with pytest.raises(error, match=message):
        score_key_account_criteria(ledger(rows), **kwargs)


# ----------------------------------------------------------------------------- buying centre


def contacts(*rows) -> pd.DataFrame:
    cols = ["contact_id", "account_id", "role", "influence", "attitude", "last_contact"]
    f = pd.DataFrame(list(rows), columns=cols)
    f["last_contact"] = pd.to_datetime(f["last_contact"])
    return f


CONTACTS = contacts(
    ("c1", "A", "decider", 5, "supporter", "2026-03-01"),
    ("c2", "A", "influencer", 4, "opponent", "2026-09-01"),
    ("c3", "A", "buyer", 3, "neutral", "2026-09-20"),
    ("c4", "B", "buyer", 3, "supporter", "2026-09-20"),
)


def test_coverage_roles_support_rule_and_decider_days():
    cov = buying_centre_coverage(
        CONTACTS, as_of="2026-09-30", accounts=["A", "B", "C"], key_accounts=["B"]
    )
    a, b, c = cov.loc["A"], cov.loc["B"], cov.loc["C"]
    assert a["roles_covered"] == "decider, influencer, buyer"
    assert a["roles_missing"] == "user, gatekeeper"
    assert (a["support"], a["opposition"]) == (5.0, 4.0)
    assert a["net_support"] == pytest.approx(1 / 12)
    assert a["contact_rule"] == "within" and a["days_since_decider"] == 213
    assert b["bow_tie"] and b["single_threaded"] and np.isnan(b["days_since_decider"])
    assert c["contacts"] == 0 and c["contact_rule"] == "below" and np.isnan(c["net_support"])
    assert not a["single_threaded"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True),
            "column contact_id: expected each contact listed once, got 'c1' listed 2 times",
        ),
        (
            lambda f: f.assign(role=["decider", "boss", "buyer", "buyer"]),
            "role of 'c2 at A': expected one of decider, influencer, user, gatekeeper, buyer, got \"boss\"",
        ),
        (
            lambda f: f.assign(influence=[5, 4, 9, 3]),
            "influence of 'c3 at A': expected a rating from 1 to 5, got 9",
        ),
        (
            lambda f: f.assign(account_id=["A", "A", "A", "Z"]),
            "column account_id: expected an assessed account for every account with contacts, got contacts but no assessment for 'Z'",
        ),
    ],
)
def test_bad_contacts_are_named(change, message):
    with pytest.raises(kam.InputValidationError, match=message):
        buying_centre_coverage(change(CONTACTS), as_of="2026-09-30", accounts=["A", "B"])


def test_as_of_before_a_contact_date_is_an_error():
    with pytest.raises(
        kam.InputValidationError,
        match="last_contact of 'c3 at A': expected a date on or before as_of 2026-09-10, got 2026-09-20",
    ):
        buying_centre_coverage(CONTACTS, as_of="2026-09-10")


def test_unreadable_and_late_contact_dates_are_all_named_in_file_order():
    changed = CONTACTS.assign(last_contact=["2026-03-01", "30/09/2026", "2026-09-20", None])
    with pytest.raises(kam.InputValidationError) as info:
        buying_centre_coverage(changed, as_of="2026-09-10")
    assert [(p.column, p.found) for p in info.value.problems] == [
        ("last_contact of 'c2 at A'", '"30/09/2026"'),
        ("last_contact of 'c3 at A'", "2026-09-20"),
    ]


# ----------------------------------------------------------------------------- concentration, churn


def test_concentration_top_shares_and_herfindahl():
    c = portfolio_concentration(pd.Series([40.0, 30.0, 20.0, 10.0]), top=(1, 3))
    assert c["top_1_share"] == 0.4 and c["top_3_share"] == pytest.approx(0.9)
    assert c["herfindahl"] == pytest.approx(0.16 + 0.09 + 0.04 + 0.01)
    assert c["equivalent_accounts"] == pytest.approx(1 / 0.3)
    even = portfolio_concentration(pd.Series([5.0] * 4))
    assert even["herfindahl"] == pytest.approx(0.25)
    empty = portfolio_concentration(pd.Series([0.0, 0.0]))
    assert np.isnan(empty["top_1_share"]) and np.isnan(empty["herfindahl"])


def test_churn_signals_are_each_named():
    q = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    quarters = pd.DataFrame(
        {
            "account_id": ["A"] * 4 + ["B"] * 4,
            "quarter": q * 2,
            "revenue": [100, 100, 95, 95, 100, 100, 100, 100],
            "payment_days": [40, 40, 50, 52, 40, 40, 40, 40],
        }
    )
    feedback = pd.DataFrame(
        {
            "quarter": ["2026Q3", "2026Q4"] * 2,
            "respondent_id": ["A", "A", "B", "B"],
            "score": [4, 4, 4, 3.5],
        }
    )
    coverage = pd.DataFrame({"days_since_decider": [30.0, 180.0]}, index=["A", "B"])
    out = churn_signals(quarters, feedback=feedback, coverage=coverage)
    assert out.loc["A", "signals"] == "rising_payment_days"  # purchases -5 %: not yet a signal
    assert out.loc["B", "signals"] == "falling_feedback, no_decider_contact"
    assert out["signal_count"].tolist() == [1, 2]


# ----------------------------------------------------------------------------- robustness


def test_robustness_flags_the_accounts_near_a_cut():
    f = frame([(5, 4), (4, 2), (2, 2)], [(4, 4), (4, 4), (1, 2)])
    r = weight_robustness(f, attractiveness=ATT, strength=STR, cuts=(3.0, 3.0), draws=500)
    assert r["robustness"].tolist()[0] == 1.0 and r["robustness"].tolist()[2] == 1.0
    near = r.iloc[1]  # attractiveness exactly 3.0: half the draws push it below
    assert near["quadrant"] == "key" and near["flip_to"] == "maintain"
    assert 0.3 < near["robustness"] < 0.7
    assert near["robustness"] + near["flip_probability"] == pytest.approx(1.0)
    assert r["flip_to"].tolist()[0] == ""


def test_robustness_is_the_same_whatever_the_chunk_and_reproducible():
    rng = np.random.default_rng(1)
    f = pd.DataFrame(rng.integers(1, 6, size=(300, 4)).astype(float), columns=list(ATT) + list(STR))
    a = weight_robustness(f, attractiveness=ATT, strength=STR, cuts=(3.0, 3.0), draws=100)
    b = weight_robustness(
        f, attractiveness=ATT, strength=STR, cuts=(3.0, 3.0), draws=100, chunk_elements=150
    )
    pd.testing.assert_frame_equal(a, b)
    c = weight_robustness(f, attractiveness=ATT, strength=STR, cuts=(3.0, 3.0), draws=100, seed=7)
    assert not a["robustness"].equals(c["robustness"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "column draws: expected a whole number of draws >= 1, got 0"),
        ({"concentration": -1}, "column concentration: expected a concentration > 0, got -1"),
    ],
)
def test_bad_robustness_arguments(kwargs, message):
    with pytest.raises(kam.InputValidationError, match=message):
        weight_robustness(
            frame([(3, 3)], [(3, 3)]), attractiveness=ATT, strength=STR, cuts=(3, 3), **kwargs
        )


@settings(max_examples=60, deadline=None)
@given(ratings, st.integers(0, 2**16))
def test_property_accounts_far_from_every_cut_have_robustness_one(rows, seed):
    f = _frame_of(rows)
    r = weight_robustness(f, attractiveness=ATT, strength=STR, cuts=(3.0, 3.0), draws=50, seed=seed)
    att = f[list(ATT)].to_numpy()
    strength = f[list(STR)].to_numpy()
    same_side = ((att >= 3).all(1) | (att < 3).all(1)) & (
        (strength >= 3).all(1) | (strength < 3).all(1)
    )
    assert (r.loc[same_side, "robustness"] == 1.0).all()
    assert r["robustness"].between(0, 1).all()


# ----------------------------------------------------------------------------- migration


def test_migration_counts_and_moves():
    before = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "quadrant": ["opportunistic", "key", "key"],
            "stage": ["early", "partnership", "mid"],
        }
    )
    after = pd.DataFrame(
        {
            "account_id": ["A", "B", "D"],
            "quadrant": ["develop", "key", "maintain"],
            "stage": ["mid", "early", "pre"],
        }
    )
    m = migration(before, after)
    q = m.counts["quadrant"]
    assert q.loc["opportunistic", "develop"] == 1 and q.loc["key", "key"] == 1
    assert q.loc["key", "absent"] == 1 and q.loc["absent", "maintain"] == 1
    assert list(m.counts["stage"].index[:5]) == list(STAGES)
    stage_moves = m.moved.loc[m.moved["column"] == "stage"].set_index("account_id")
    assert stage_moves.loc["A", "steps"] == 1 and stage_moves.loc["B", "steps"] == -2
    assert int(q.to_numpy().sum()) == 4


def test_migration_rejects_a_repeated_account():
    f = pd.DataFrame(
        {"account_id": ["A", "A"], "quadrant": ["key", "key"], "stage": ["mid", "mid"]}
    )
    with pytest.raises(
        kam.InputValidationError, match="expected each account once, got repeated \\['A'\\]"
    ):
        migration(f, f)


# ----------------------------------------------------------------------------- plots


def test_selection_matrix_plot_with_20000_accounts_labels_only_the_top():
    rng = np.random.default_rng(0)
    n = 20_000
    scored = pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(n)],
            "attractiveness": rng.uniform(1, 5, n),
            "strength": rng.uniform(1, 5, n),
            "revenue": rng.lognormal(10, 1, n),
        }
    )
    fig, ax = plt.subplots()
    out = plot_selection_matrix(scored, ax=ax, top=10)
    assert out is ax
    labelled = [t for t in ax.texts if t.get_text().startswith("A")]
    assert len(labelled) == 10
    top = scored.nlargest(10, "revenue")["account_id"].tolist()
    assert sorted(t.get_text() for t in labelled) == sorted(top)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert {t.get_text() for t in ax.texts} >= {"key account", "focus development"}
    areas = ax.collections[-1].get_sizes()
    assert areas.max() == 600 and np.median(areas) < 50  # small bubbles: the matrix stays visible
    plt.close(fig)


def test_plots_draw_on_the_given_axes_with_titles(sample):
    p = key_account_portfolio(sample, "PV", draws=100)
    frame_ = p.reset_index()
    m = key_account_migration(sample, "IC", "2024Q4", "2026Q3")
    draws = [
        lambda ax: plot_selection_matrix(frame_, ax=ax, lang="zh"),
        lambda ax: plot_supplier_positioning(frame_, ax=ax),
        lambda ax: plot_stage_distribution(frame_, ax=ax),
        lambda ax: plot_buying_centre(sample.contacts, "PV002", ax=ax),
        lambda ax: plot_migration(m, column="stage", ax=ax),
        lambda ax: plot_robustness(frame_.assign(flip_to=frame_["flip_to"]), ax=ax),
    ]
    for draw in draws:
        fig, ax = plt.subplots()
        assert draw(ax) is ax
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        plt.close(fig)
    fig, ax = plt.subplots()
    plot_buying_centre(sample.contacts, "PV002", ax=ax)
    assert len(ax.collections) == 3  # supporters, neutrals, opponents
    plt.close(fig)
    with pytest.raises(kam.InputValidationError, match="expected one of tier, stage"):
        plot_migration(m, column="buyer_view")


def test_supplier_positioning_plot_shades_the_frustration_zones():
    s = pd.DataFrame(
        {
            "account_id": ["A", "B"],
            "buyer_importance": [1, 5],
            "buyer_relative_spend": [1, 5],
            "frustration": ["seller", "buyer"],
        }
    )
    ax = plot_supplier_positioning(s)
    assert len(ax.patches) == 2  # the two zones
    assert {t.get_text() for t in ax.texts} >= {"strategic partner", "tactical convenience"}
    plt.close(ax.figure)


# ----------------------------------------------------------------------------- the sample's story


def test_pv002_is_big_but_not_key_and_pv001_pv003_pv004_are(sample):
    c = key_account_criteria(sample, "PV")
    assert c["sales"].idxmax() == "PV002"
    pv002 = c.loc["PV002"]
    assert not pv002["attractive"]
    assert (pv002["margin"], pv002["credit"]) == (1, 1)
    for words in ("less attractive", "weak on margin", "credit (1: pays in", "big, not key"):
        assert words in pv002["reasons"]
    for account in ("PV001", "PV003", "PV004"):
        assert c.loc[account, "attractive"], c.loc[account, "reasons"]
    p = key_account_portfolio(sample, "PV", draws=200)
    assert not p.loc["PV002", "qualifies"] and p.loc[["PV001", "PV003", "PV004"], "qualifies"].all()
    assert (p.loc[["PV001", "PV003", "PV004"], "tier"] == "key").all()
    assert p.loc["PV002", "tier"] != "key"


def test_mc004_moves_from_opportunistic_to_develop(sample):
    first = key_account_positions(sample, "MC", "2025Q3").loc["MC004"]
    last = key_account_positions(sample, "MC", "2026Q3").loc["MC004"]
    assert first["tier"] == "opportunistic"
    # seed 002: a small account whose purchases accelerate is developed, although its
    # criteria score is low and we are still proving ourselves there
    assert last["accelerating"] and last["tier"] == "develop" and last["qualifies"]
    assert last["attractiveness"] < 3.75 and last["strength"] < 3.0
    moved = key_account_migration(sample, "MC").moved.set_index(["account_id", "column"])
    assert moved.loc[("MC004", "tier"), ["before", "after"]].tolist() == [
        "opportunistic",
        "develop",
    ]
    c = key_account_criteria(sample, "MC").loc["MC004"]
    assert c["prior_share"] < 0.01 and c["purchase_growth"] >= 0.5
    assert "purchases accelerating from a small base" in c["reasons"]


def test_ic003_stage_falls_from_partnership(sample):
    history = [
        key_account_positions(sample, "IC", q).loc["IC003", "stage"] for q in sample.quarters
    ]
    assert history[0] == "partnership"
    assert STAGES.index(history[-1]) < STAGES.index("partnership")
    moved = key_account_migration(sample, "IC", "2024Q4", "2026Q3").moved
    row = moved.loc[(moved["account_id"] == "IC003") & (moved["column"] == "stage")].iloc[0]
    assert row["before"] == "partnership" and row["steps"] < 0


def test_portfolio_frame_has_the_promised_columns(sample):
    p = key_account_portfolio(sample, "IC", draws=100)
    for column in ("qualifies", "tier", "buyer_view", "frustration", "stage", "robustness"):
        assert column in p.columns
    assert p.index.name == "account_id" and p.index.is_unique
    assert p["tier"].isin(QUADRANTS).all() and p["stage"].isin(STAGES).all()
    assert p["robustness"].between(0, 1).all()
    assert p["revenue"].is_monotonic_decreasing
    c = key_account_concentration(sample, "IC")
    assert 0 < c["top_1_share"] < c["top_5_share"] <= 1


def test_portfolio_uses_the_engagements_cuts(sample):
    import copy

    eng = copy.copy(sample)
    eng.settings = copy.deepcopy(sample.settings)
    eng.cache = {}
    eng.settings["cuts"]["selection_attractiveness"] = 4.5
    high = key_account_portfolio(eng, "PV", draws=50)
    attractive = high["tier"].isin(["key", "develop"]) & ~high["accelerating"]
    assert (high.loc[attractive, "attractiveness"] >= 4.5).all()
    assert (high.loc[~high["qualifies"], "attractiveness"] < 4.5).all()
    assert (
        high["qualifies"].sum() < key_account_portfolio(sample, "PV", draws=50)["qualifies"].sum()
    )


def test_the_point_kraljicmatrix_leaves_unassigned_gets_a_view():
    # KraljicMatrix (Boehmke et al., R package 0.2.0, 2017), R/quadrant-assignment-functions.R,
    # kraljic_quadrant(): with cuts at 0.5, x > .5 & y >= .5 leverage, x > .5 & y < .5
    # non-critical, x <= .5 & y >= .5 strategic, x < .5 & y < .5 bottleneck: (0.5, 0.2) is NA.
    # x is a value score (higher = lower supply risk), y the profit impact; mapped onto 1-5.
    x = np.array([0.8, 0.5, 0.2, 0.5, 0.8])
    y = np.array([0.2, 0.2, 0.5, 0.5, 0.5])
    published = [
        "tactical_convenience",
        None,
        "strategic_partner",
        "strategic_partner",
        "tactical_profit",
    ]
    f = pd.DataFrame({"buyer_importance": (1 - x) * 4 + 1, "buyer_relative_spend": y * 4 + 1})
    views = score_supplier_positioning(f)["buyer_view"].tolist()
    assert [v for v, p in zip(views, published, strict=True) if p] == [p for p in published if p]
    assert views[1] == "strategic_security"  # the package's NA: risk on the cut counts as high


@settings(max_examples=40, deadline=None)
@given(ratings, st.randoms(use_true_random=False))
def test_property_robustness_and_positioning_do_not_depend_on_row_order(rows, rnd):
    f = _frame_of(rows)
    f["buyer_importance"] = f["att_volume"]
    f["buyer_relative_spend"] = f["str_price"]
    before = f.copy()
    order = list(range(len(f)))
    rnd.shuffle(order)
    kwargs = {"attractiveness": ATT, "strength": STR, "cuts": (3.0, 3.0), "draws": 40}
    a = weight_robustness(f, **kwargs)
    b = weight_robustness(f.iloc[order], **kwargs)
    pd.testing.assert_frame_equal(b.sort_index(), a)
    c = score_supplier_positioning(a, our_view="quadrant")
    d = score_supplier_positioning(a.iloc[order], our_view="quadrant")
    pd.testing.assert_frame_equal(d.sort_index(), c)
    pd.testing.assert_frame_equal(f, before)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 12),
            st.integers(0, 6),
            st.booleans(),
            st.sampled_from(["none", "transactional", "regular", "open"]),
            st.booleans(),
            st.integers(0, 48),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_property_stages_are_per_account_and_leave_the_input_alone(rows, rnd):
    f = stage_frame(*rows)
    before = f.copy()
    out = classify_relationship_stage(f)
    pd.testing.assert_frame_equal(f, before)
    assert out["stage"].isin(STAGES).all()
    order = list(range(len(f)))
    rnd.shuffle(order)
    pd.testing.assert_frame_equal(classify_relationship_stage(f.iloc[order]).sort_index(), out)
    for drivers, conflict in zip(out["drivers"], out["conflict"], strict=True):
        named = [d for d in drivers.split(", ") if d] + [
            c.split("=")[0] for c in conflict.split(", ") if c
        ]
        # every indicator assessed is a driver or a conflict (the synergy evidence is absent)
        assert sorted(named) == sorted(set(STAGE_EVIDENCE) - set(SYNERGY_EVIDENCE))


def test_criteria_do_not_depend_on_row_order_and_leave_the_input_alone(sample):
    aq = sample.account_quarters.loc[sample.account_quarters["bu_id"] == "MC"]
    before = aq.copy()
    aa = sample.account_assessments
    a = score_key_account_criteria(aq, aa, quarter="2026Q3")
    b = score_key_account_criteria(
        aq.sample(frac=1, random_state=3), aa.sample(frac=1, random_state=4), quarter="2026Q3"
    )
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(aq, before)


def test_a_zero_weight_criterion_changes_nothing():
    f = frame([(5, 1), (4, 2), (2, 5)], [(4, 2), (3, 3), (1, 5)])
    f["att_extra"] = 1.0
    a = weight_robustness(f, attractiveness=ATT, strength=STR, cuts=(3, 3), draws=200)
    b = weight_robustness(
        f, attractiveness={**ATT, "att_extra": 0}, strength=STR, cuts=(3, 3), draws=200
    )
    pd.testing.assert_series_equal(a["robustness"], b["robustness"])


def test_past_quarters_compose_with_todays_contacts(sample):
    p = key_account_portfolio(sample, "MC", "2025Q1", draws=50)
    assert "MC004" not in p.index  # bought from 2025Q2 on; its contacts are left out
    assert p["stage"].isin(STAGES).all()
