"""A BU's facts for a quarter: the numbers and words the findings rules read.

:func:`bu_facts` flattens the scored results of every tool assessed for a BU and quarter
into one mapping of fact name to value (numbers, or words such as a force or a
strategy), with the comparisons a reader asks for (since last quarter, since a year
ago). A tool whose table has no rows for the BU and quarter contributes no facts and is
listed in ``not_assessed``. The rules in ``kamanalysis/rules.csv`` (see
:mod:`kamanalysis.report.findings`) read these facts, never the raw tables.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> facts = bu_facts(eng, "IC")
>>> facts["quarter"], facts["year_ago"], facts["trajectory"]
('2026Q3', '2025Q3', 'creative')
>>> facts["revenue_yoy"] < 0, facts["not_assessed"]
(True, [])
"""

from __future__ import annotations

import math

import pandas as pd

from ..base.account_terms import ACCOUNT_SETTINGS
from ..base.i18n import short_list
from ..base.quarters import shift_quarter
from ..data.engagement import Engagement
from ._common import _for_bu, assessed
from .actions import action_facts
from .bridges import bridge_facts
from .competitive import benchmark, competitive_position, quarterly_review
from .external import five_forces, pest, trajectory
from .management import account_health, account_indifference, account_management
from .overview import revenue_by_quarter, top_accounts
from .portfolio import key_account_portfolio
from .position import _bu_position, positioned
from .verdict import verdict
from .voice import account_names, voice_facts

#: The tools whose facts :func:`bu_facts` gathers, with the table each needs.
TOOL_TABLES = {
    "pest": "pest",
    "forces": "forces",
    "evolution": "evolution",
    "ife_efe": "ife_efe",
    "benchmark": "benchmark",
    "value_chain": "value_chain",
    "feedback": "feedback",
    "accounts": "account_assessments",
}
#: How many long or short boards a finding names.
BOARDS_NAMED = 3


def bu_facts(eng: Engagement, bu_id: str, quarter: str | None = None) -> dict:
    """Gather the facts of a BU in a quarter (default: the engagement's current quarter).

    Returns
    -------
    dict
        Always ``bu_id``, ``bu_name``, ``quarter``, ``prev_quarter``, ``year_ago``,
        ``currency``, ``scale_hi`` and ``not_assessed`` (the tools without data).
        From the sales ledger: ``revenue``, ``revenue_m`` (millions), ``revenue_qoq``,
        ``revenue_yoy``, ``margin``, ``margin_change_yoy`` (points), ``top5_share``.
        PEST: ``pest_net``, ``pest_top_threat``, ``pest_top_opportunity``. Five forces:
        ``forces_attractiveness``, ``forces_band``, ``strongest_force``,
        ``strongest_force_intensity``, ``strongest_force_change`` (since last quarter).
        Evolution: ``trajectory``, ``threat_activities``, ``threat_assets``. Position
        (with IFE/EFE and benchmark): ``ife``, ``efe``, ``ie_cell``, ``ie_strategy``,
        ``attractiveness``, ``strength``, ``ge_row``, ``ge_column``, ``ge_strategy``,
        and a year ago ``ge_strategy_year_ago``, ``strength_change_yoy``. A fact that
        cannot be computed (no earlier quarter) is absent. The one verdict and the IE/GE
        stance of :func:`kamanalysis.diagnosis.verdict.verdict` (``verdict``,
        ``verdict_priority``, ``growth_trend``, ``margin_trend``, ``strength_trend``,
        ``voice_trend``, ``stance``, ``stance_reason``); the bridges' facts of
        :func:`kamanalysis.diagnosis.bridges.bridge_facts` (where the change comes from).
    """
    quarter = quarter or eng.current_quarter
    prev, year_ago = shift_quarter(quarter, -1), shift_quarter(quarter, -4)
    part = _for_bu(eng, bu_id)
    facts: dict = {
        "bu_id": bu_id,
        "bu_name": eng.bu_name(bu_id),
        "quarter": quarter,
        "prev_quarter": prev,
        "year_ago": year_ago,
        "currency": eng.currency,
        "scale_hi": float(eng.settings["scales"]["rating"][1]),
    }
    by_quarter = revenue_by_quarter(part)
    if quarter in by_quarter.index:
        row = by_quarter.loc[quarter]
        facts |= {
            "revenue": float(row["revenue"]),
            "revenue_m": float(row["revenue"]) / 1e6,
            "revenue_qoq": float(row["growth_qoq"]),
            "revenue_yoy": float(row["growth_yoy"]),
            "margin": float(row["gross_margin_pct"]),
        }
        if year_ago in by_quarter.index:
            then = float(by_quarter.loc[year_ago, "gross_margin_pct"])
            facts["margin_change_yoy"] = facts["margin"] - then
        top = top_accounts(part, quarter=quarter, n=5)
        facts["top5_share"] = float(top["revenue_share"].sum()) if len(top) else math.nan
    missing = [
        tool for tool, table in TOOL_TABLES.items() if not assessed(eng, table, bu_id, quarter)
    ]
    facts["not_assessed"] = missing
    if "pest" not in missing:
        scan = pest(eng, bu_id, quarter)
        facts["pest_net"] = float(scan.net)
        if len(scan.top_threats):
            facts["pest_top_threat"] = str(scan.top_threats["factor"].iloc[0])
        if len(scan.top_opportunities):
            facts["pest_top_opportunity"] = str(scan.top_opportunities["factor"].iloc[0])
    if "forces" not in missing:
        forces = five_forces(eng, bu_id, quarter)
        strongest = str(forces.forces["intensity"].idxmax())
        facts |= {
            "forces_attractiveness": forces.attractiveness,
            "forces_band": forces.band,
            "strongest_force": strongest,
            "strongest_force_intensity": float(forces.forces.loc[strongest, "intensity"]),
        }
        if assessed(eng, "forces", bu_id, prev):
            before = five_forces(eng, bu_id, prev).forces.loc[strongest, "intensity"]
            facts["strongest_force_change"] = facts["strongest_force_intensity"] - float(before)
    if "evolution" not in missing:
        industry = trajectory(eng, bu_id, quarter)
        facts |= {
            "trajectory": industry.trajectory,
            "threat_activities": industry.activities_score,
            "threat_assets": industry.assets_score,
        }
    if not {"forces", "ife_efe", "benchmark"} & set(missing):
        position = _bu_position(eng, bu_id, quarter).loc[bu_id]  # = of eng.for_bu(bu_id)
        facts |= {
            name: (float(position[name]) if name in _NUMBERS else str(position[name]))
            for name in (*_NUMBERS, "ie_cell", "ie_strategy", "ge_row", "ge_column", "ge_strategy")
        }
        if positioned(eng, bu_id, year_ago):
            then = _bu_position(eng, bu_id, year_ago).loc[bu_id]
            facts["ge_strategy_year_ago"] = str(then["ge_strategy"])
            facts["strength_change_yoy"] = facts["strength"] - float(then["strength"])
    if "benchmark" not in missing:
        facts |= _competitive_facts(eng, bu_id, quarter, year_ago)
    if "value_chain" not in missing:
        chain = competitive_position(eng, bu_id, quarter).value_chain
        flagged = chain.loc[chain["flagged"]]
        if len(flagged):
            facts["vc_flagged"] = ", ".join(flagged["activity"].astype(str))
            facts["vc_flagged_cost_share"] = float(flagged["cost_share"].sum())
    if "benchmark" not in missing or "feedback" not in missing:
        facts |= _review_facts(eng, bu_id, quarter, missing)
    if "feedback" not in missing:  # who said what, dealers, recurring themes
        facts |= voice_facts(eng, bu_id, quarter)
    tiers = None
    if "accounts" not in missing:
        accounts = account_facts(eng, bu_id, quarter)
        facts |= _portfolio_facts(accounts)
        tiers = accounts["tier"]
    facts |= bridge_facts(eng, bu_id, quarter, tiers)
    facts |= management_facts(eng, bu_id, quarter)
    facts |= action_facts(eng, bu_id, quarter)  # promises kept (issue 22)
    visits = ACCOUNT_SETTINGS["capacity"]["executive_visits_per_quarter"]
    facts["visit_capacity"] = float(
        eng.settings["capacity"].get("executive_visits_per_quarter", visits)
    )
    if not facts.get("managers_assessed"):
        facts["not_assessed"].append("managers")
    return facts | verdict(facts)


def _competitive_facts(eng: Engagement, bu_id: str, quarter: str, year_ago: str) -> dict:
    """Gather the rank, the index to the leader and its change, the long and short boards."""
    result = benchmark(eng, bu_id, quarter)
    focal = result.companies.attrs["focal"]
    row = result.companies.loc[focal]
    facts = {
        "bench_rank": float(row["rank"]),
        "bench_companies": float(len(result.companies)),
        "index_to_leader": float(row["index_to_leader"]),
        "leader": str(result.companies.index[0]),
    }
    boards = result.boards
    for board in ("long", "short"):
        names = boards.loc[boards["board"] == board].index[:BOARDS_NAMED].astype(str)
        if len(names):
            facts[f"{board}_boards"] = ", ".join(names)
    history = competitive_position(eng, bu_id, quarter).history
    if year_ago in history.index:
        then = float(history.loc[year_ago, "index_to_leader"])
        facts["index_to_leader_change_yoy"] = facts["index_to_leader"] - then
    return facts


def _review_facts(eng: Engagement, bu_id: str, quarter: str, missing: list[str]) -> dict:
    """Gather what changed since a year ago and why, and what key accounts said."""
    review = quarterly_review(eng, bu_id, quarter)
    facts: dict = {}
    if "benchmark" not in missing:
        parts = review.attribution["benchmark"]["change_yoy"].dropna()
        change = (
            review.score_changes.loc["benchmark", "now"]
            - review.score_changes.loc["benchmark", "year_ago"]
        )
        if len(parts) and change == change:
            facts["benchmark_change_yoy"] = float(change)
            driver = parts.idxmin() if change < 0 else parts.idxmax()
            facts["benchmark_driver"] = str(driver)
            facts["benchmark_driver_effect"] = float(parts[driver])
    if "feedback" not in missing and "key_account" in review.feedback.index.get_level_values(0):
        said = review.feedback.loc["key_account"]
        facts["feedback_mean"] = float(said["mean"].mean())
        change = said["change"].mean()
        if change == change:
            facts["feedback_change"] = float(change)
        weakest = said["mean"].idxmin()
        facts["feedback_weakest"] = str(weakest)
        facts["feedback_weakest_score"] = float(said.loc[weakest, "mean"])
        comments = review.comments.loc[review.comments["source"] == "key_account", "comment"]
        if len(comments):
            facts["lowest_comment"] = str(comments.iloc[0])
    evaluation = review.evaluation["evaluation"].dropna()
    if quarter in evaluation.index:
        facts["evaluation"] = float(evaluation[quarter])
        year_ago = review.year_ago
        if year_ago in evaluation.index:
            facts["evaluation_change_yoy"] = facts["evaluation"] - float(evaluation[year_ago])
    return facts


def account_facts(
    eng: Engagement, bu_id: str, quarter: str | None = None, *, lang: str = "en"
) -> pd.DataFrame:
    """One row per assessed account of the BU: its key-account portfolio and its size.

    The columns of :func:`kamanalysis.diagnosis.key_account_portfolio`, plus
    ``revenue_rank`` (1 = the BU's largest account that quarter), ``revenue_share``,
    ``account_revenue_m`` (millions),
    ``churn_risk`` (any churn-risk signal), ``few_contacts`` (a key account with fewer
    than three contacts) and the health view of :func:`account_health` (``health``,
    ``health_change``, ``health_signals``). ``lang`` is the language of the ``reasons``.
    The findings rules with scope ``account`` or ``each_account`` read these.
    """
    quarter = quarter or eng.current_quarter
    portfolio = key_account_portfolio(eng, bu_id, quarter, lang=lang)
    total = portfolio["revenue"].sum()
    health = account_health(eng, bu_id, quarter, lang=lang)
    return portfolio.assign(
        revenue_rank=portfolio["revenue"].rank(ascending=False, method="first"),
        revenue_share=portfolio["revenue"] / total if total else float("nan"),
        account_revenue_m=portfolio["revenue"] / 1e6,
        churn_risk=portfolio["signals"] != "",
        few_contacts=health["health_codes"].str.contains("few_contacts"),
        health=health["health"],
        health_change=health["health_change"],
        health_signals=health["health_signals"],
    )


def _portfolio_facts(accounts: pd.DataFrame) -> dict:
    """Sum up the portfolio's health in a few numbers."""
    key = accounts.loc[accounts["tier"] == "key"]
    profit = accounts["gross_profit"].clip(lower=0).sum()
    over = key.loc[key["over_capacity"]].sort_values("key_rank", ascending=False)
    facts = {
        "n_assessed": float(len(accounts)),
        "n_key": float(len(key)),
        "n_develop": float((accounts["tier"] == "develop").sum()),
        "key_revenue_share": float(key["revenue_share"].sum()),
        "kd_profit_share": float(
            accounts.loc[accounts["qualifies"], "gross_profit"].clip(lower=0).sum() / profit
        )
        if profit
        else math.nan,
        "n_key_single_threaded": float(key["few_contacts"].sum()),
        "n_key_churn_risk": float((key["health"] < HEALTH_AT_RISK).sum()),
        "key_at_risk_revenue_m": float(key.loc[key["health"] < HEALTH_AT_RISK, "revenue"].sum())
        / 1e6,
        "n_frustration": float((accounts["frustration"] != "").sum()),
        "n_over_capacity": float(len(over)),
    }
    capacity = accounts.attrs.get("capacity")
    if capacity is not None:
        facts["capacity"] = float(capacity)
    if len(over):
        facts["over_capacity_accounts"] = short_list(over["name"].astype(str).tolist())
    return facts


#: Health below which a key account is at risk (the churn-risk finding and count).
HEALTH_AT_RISK = 60


_NUMBERS = ("ife", "efe", "attractiveness", "strength")


#: The facts of a BU that the cross-BU index and ``summary.csv`` show, in their order.
INDEX_FACTS = (
    "ie_cell",
    "ie_strategy",
    "ge_strategy",
    "attractiveness",
    "strength",
    "index_to_leader",
    "n_assessed",
    "n_key",
    "key_revenue_share",
    "n_key_churn_risk",
    "n_key_single_threaded",
    "n_frustration",
    "not_assessed",
)


def headline_facts(facts: dict) -> dict:
    """Return the facts of :data:`INDEX_FACTS` that a BU has (``not_assessed`` as text).

    Examples
    --------
    >>> headline_facts({"n_key": 4.0, "revenue": 1.0, "not_assessed": ["pest", "forces"]})
    {'n_key': 4.0, 'not_assessed': 'pest, forces'}
    """
    out = {k: facts[k] for k in INDEX_FACTS if k in facts}
    if "not_assessed" in out:
        out["not_assessed"] = ", ".join(out["not_assessed"])
    return out


#: A key account shows indifference when it shows at least this many of the three signs.
INDIFFERENCE_SIGNS = 2


def management_facts(eng: Engagement, bu_id: str, quarter: str | None = None) -> dict:
    """Gather the facts of a BU's account management (the findings' "management" section).

    Returns
    -------
    dict
        Always ``managers_assessed`` (1 or 0: the BU has managers and some account has one).
        When the accounts were assessed: the organisation form that fits
        (``organisation_form``, ``organisation_current``, ``organisation_change`` yes/no,
        ``org_n_key``, ``org_key_share``, ``org_mature_share``) and the key accounts treated
        with indifference (``n_indifferent``, ``indifferent_accounts`` named and
        ``indifferent_ids``: at least :data:`INDIFFERENCE_SIGNS` signs, the most signs first,
        then the largest). When
        managers are assessed: ``n_managers``, ``worst_fit``, ``worst_fit_manager``,
        ``worst_fit_stage``, ``worst_gap`` (a competency), ``worst_gap_action`` (reassign,
        pair, train), ``worst_gap_account``, ``worst_gap_colleague``, ``span_key``,
        ``n_over_span``, ``over_span_managers``, ``most_key_accounts``, ``most_key_share``,
        ``n_managers_capacity`` (for the capacity finding), ``n_unassigned_key`` and
        ``unassigned_key``. "Key" is the ``key`` tier throughout.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> f = management_facts(eng, "MC")
    >>> f["n_over_span"], f["span_key"], f["indifferent_accounts"]
    (0.0, 10.0, 'Shenzhou Robotics 神州机器人 (MC001), Huaxia Textiles (MC007)')
    """
    quarter = quarter or eng.current_quarter
    if not assessed(eng, "account_assessments", bu_id, quarter):
        return {"managers_assessed": 0.0}
    management = account_management(eng, bu_id, quarter)
    org = management.organisation
    facts: dict = {
        "managers_assessed": float(management.assessed),
        "organisation_form": str(org["form"]),
        "organisation_current": str(org["current"]) or "none",
        "organisation_change": "yes" if org["change"] else "no",
        "org_n_key": float(org["n_key"]),
        "org_key_share": float(org["key_share"]),
        "org_mature_share": float(org["mature_share"]),
    }
    signs = account_indifference(eng, bu_id, quarter)
    neglected = signs.loc[(signs["tier"] == "key") & (signs["signs"] >= INDIFFERENCE_SIGNS)]
    neglected = neglected.sort_values("signs", ascending=False, kind="stable")  # by revenue
    facts["n_indifferent"] = float(len(neglected))
    if len(neglected):
        named = neglected["name"].astype(str) + " (" + neglected.index.astype(str) + ")"
        facts["indifferent_accounts"] = short_list(named.tolist())
        facts["indifferent_ids"] = ", ".join(neglected.index.astype(str))
    if not management.assessed:
        return facts
    fit = management.fit.dropna(subset=["fit"])
    names = management.managers["name"].astype(str)
    facts["n_managers"] = float(len(management.managers))
    if len(fit):
        worst = fit.index[0]
        facts |= {
            "worst_fit": float(fit.loc[worst, "fit"]),
            "worst_fit_manager": names[worst],
            "worst_fit_stage": str(fit.loc[worst, "main_stage"]),
        }
        gaps = management.gaps.loc[management.gaps["manager_id"] == worst]
        if len(gaps):
            top = gaps.iloc[0]
            facts |= {"worst_gap": str(top["competency"]), "worst_gap_action": str(top["action"])}
            facts["worst_gap_fits_any"] = "yes" if top.get("fits_other", True) else "no"
            named = account_names(eng)
            if top.get("swap"):  # a swap both managers fit better after (issue 22)
                facts["worst_gap_swap"] = named.get(str(top["swap"]), str(top["swap"]))
            if top["account"]:
                facts["worst_gap_account"] = named.get(str(top["account"]), str(top["account"]))
            if top["colleague"]:
                facts["worst_gap_colleague"] = names[top["colleague"]]
    load = management.workload
    facts["span_key"] = float(load.attrs["span"]["key_accounts"])
    facts["n_managers_capacity"] = float(len(management.managers))
    over = load.loc[load["over_span"]].sort_values("key_accounts", ascending=False)
    facts["n_over_span"] = float(len(over))
    if len(over):
        facts |= {
            "over_span_managers": ", ".join(names[over.index]),
            "most_key_accounts": float(over["key_accounts"].iloc[0]),
            "most_key_share": float(over["revenue_share"].iloc[0]),
        }
    portfolio = key_account_portfolio(eng, bu_id, quarter)
    unassigned = set(load.attrs["unassigned"])
    # the largest first (the portfolio's order); a long list names five and counts the rest
    unassigned = [a for a in portfolio.index[portfolio["tier"] == "key"] if a in unassigned]
    facts["n_unassigned_key"] = float(len(unassigned))
    if unassigned:
        facts["unassigned_key"] = short_list(unassigned)
    return facts
