"""The account plan a manager works from (issue 22): the way forward, the people, the promises.

:func:`account_roadmap` adds to :func:`~kamanalysis.diagnosis.account_plan` what a plan needs
beyond a profile of the quarter: the target stage and the steps to it with a timetable, the
objectives and actions with owners and due quarters, last quarter's actions and what became of
them, the sponsor / champion / opponent and the relationship map, the account's trends over the
quarters, the customer's stated needs, a SPIN plan whose problem questions start from them, and
a negotiation plan: the open issue and the conflict mode for it (seed 003), with why.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> road = account_roadmap(eng, kam.diagnosis.account_plan(eng, "PV001"))
>>> road.target, road.people["part"].tolist()
('partnership', ['sponsor', 'champion', 'opponent'])
>>> road.trends.columns.tolist()
['revenue', 'gross_margin_pct', 'payment_days', 'share_of_wallet', 'feedback']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..base.i18n import label
from ..base.quarters import quarter_end, shift_quarter
from ..data.engagement import Engagement
from ..tools import managers as kam_managers
from ..tools.managers import plan as plan_tools
from .actions import account_actions
from .management import AccountPlan

#: The columns of the objectives and of last quarter's actions.
OBJECTIVE_COLUMNS = ("objective", "action", "owner", "quarter", "due_quarter", "status", "late")
LAST_COLUMNS = ("objective", "action", "owner", "due_quarter", "status", "done_quarter", "late")
#: The relationship map's columns.
MAP_COLUMNS = (
    "name",
    "title",
    "role",
    "influence",
    "attitude",
    "social_style",
    "last_contact",
    "aim",
)


@dataclass
class Roadmap:
    """What :func:`account_roadmap` returns (see the module's description).

    Attributes
    ----------
    target : str
        The stage to aim for (:func:`kamanalysis.tools.managers.plan.target_stage`).
    steps : DataFrame
        ``to_stage``, ``step``, ``by_quarter``.
    objectives : DataFrame
        The account's open actions and those due from this quarter on (:data:`OBJECTIVE_COLUMNS`).
    last_actions : DataFrame
        The actions agreed last quarter, and what became of them (:data:`LAST_COLUMNS`).
    people : DataFrame
        :func:`kamanalysis.tools.managers.plan.key_people`.
    relationship : DataFrame
        The buying centre (:data:`MAP_COLUMNS`), the most influential first.
    trends : DataFrame
        Per quarter up to this one: revenue, margin, payment days, share of wallet and the
        account's mean feedback score.
    needs : DataFrame
        The customer's stated needs: ``need``, ``owner``, ``source``, ``stated_on``.
    spin : DataFrame
        ``kind``, ``topic``, ``text``: the situation facts, then problem questions from the
        needs and complaints, then the plan's other questions.
    negotiation : Series
        ``issue`` (a sentence), ``stakes``, ``relationship``, ``time_pressure``, ``power``,
        ``mode`` and ``why``.
    style : str
        The buying centre's decision style (``accounts.decision_style``), or "" when not known.
    contacts : DataFrame
        The contact plan with ``focus``: whom to target first by that style
        (:func:`kamanalysis.tools.managers.plan.contact_focus`).
    """

    target: str
    steps: pd.DataFrame
    objectives: pd.DataFrame
    last_actions: pd.DataFrame
    people: pd.DataFrame
    relationship: pd.DataFrame
    trends: pd.DataFrame
    needs: pd.DataFrame
    spin: pd.DataFrame
    negotiation: pd.Series
    style: str = ""
    contacts: pd.DataFrame | None = None


def account_roadmap(eng: Engagement, plan: AccountPlan) -> Roadmap:
    """Return the working parts of ``plan``'s account plan (see the module's description)."""
    lang, quarter, account_id = plan.lang, plan.quarter, plan.account_id
    stage, tier = str(plan.account["stage"]), str(plan.account["tier"])
    target = plan_tools.target_stage(stage, tier)
    steps = plan_tools.stage_steps(stage, target, quarter, lang=lang)
    actions = account_actions(eng, plan.bu_id, quarter)
    actions = actions.loc[actions["account_id"] == account_id]
    current = (actions["status"] == "open") | (actions["due_quarter"] >= quarter)
    objectives = actions.loc[current, list(OBJECTIVE_COLUMNS)].reset_index(drop=True)
    last = actions.loc[actions["quarter"] == shift_quarter(quarter, -1), list(LAST_COLUMNS)]
    contacts = eng.contacts.loc[eng.contacts["account_id"] == account_id]
    relationship = _relationship(contacts, plan.contacts)
    people = plan_tools.key_people(contacts, lang=lang)
    trends = _trends(eng, account_id, quarter)
    needs = _needs(eng, account_id, contacts)
    complaints = _complaints(eng, account_id, quarter)
    asked = plan_tools.need_questions(needs, complaints, lang=lang)
    spin = plan.spin
    spin = pd.concat(
        [
            spin.loc[spin["kind"] == "situation", ["kind", "topic", "text"]],
            asked,
            spin.loc[spin["kind"] != "situation", ["kind", "topic", "text"]],
        ],
        ignore_index=True,
    )
    negotiation = _negotiation(eng, plan, actions, complaints, trends)
    accounts = eng.accounts.set_index("account_id")
    style = accounts.get("decision_style", pd.Series(dtype=object)).get(account_id)
    style = str(style) if isinstance(style, str) and style else ""
    owners = []
    table = eng.tables.get("account_needs")
    if table is not None and len(table):
        owners = table.loc[table["account_id"] == account_id, "owner_contact_id"].dropna().tolist()
    focused = (
        plan_tools.contact_focus(plan.contacts, style, need_owners=owners)
        if len(plan.contacts)
        else pd.DataFrame()
    )
    return Roadmap(
        target,
        steps,
        objectives,
        last.reset_index(drop=True),
        people,
        relationship,
        trends,
        needs,
        spin,
        negotiation,
        style,
        focused,
    )


def _relationship(contacts: pd.DataFrame, contact_plan: pd.DataFrame) -> pd.DataFrame:
    if contacts.empty:
        return pd.DataFrame(columns=list(MAP_COLUMNS))
    aims = pd.Series(dtype=object)
    if len(contact_plan):
        mapped = contact_plan.loc[contact_plan["contact_id"].fillna("") != ""]
        aims = mapped.drop_duplicates("contact_id").set_index("contact_id")["aim"]
    frame = contacts.assign(aim=contacts["contact_id"].map(aims))
    frame = frame.sort_values("influence", ascending=False, kind="stable")
    return frame[list(MAP_COLUMNS)].reset_index(drop=True)


def _trends(eng: Engagement, account_id: str, quarter: str) -> pd.DataFrame:
    aq = eng.account_quarters
    rows = aq.loc[(aq["account_id"] == account_id) & (aq["quarter"] <= quarter)]
    rows = rows.sort_values("quarter").set_index("quarter")
    trends = pd.DataFrame(
        {
            "revenue": rows["revenue"].astype(float),
            "gross_margin_pct": rows["gross_margin_pct"].astype(float),
            "payment_days": rows["payment_days"].astype(float),
            "share_of_wallet": (rows["revenue"] / rows["category_spend"]).astype(float),
        }
    )
    fb = eng.feedback
    said = fb.loc[(fb["respondent_id"] == account_id) & (fb["source"] == "key_account")]
    trends["feedback"] = said.groupby("quarter")["score"].mean().reindex(trends.index)
    return trends.astype(float)


def _needs(eng: Engagement, account_id: str, contacts: pd.DataFrame) -> pd.DataFrame:
    table = eng.tables.get("account_needs")
    columns = ["need", "owner", "source", "stated_on"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    rows = table.loc[table["account_id"] == account_id]
    names = contacts.set_index("contact_id")["name"]
    rows = rows.assign(owner=rows["owner_contact_id"].map(names))
    return rows[columns].reset_index(drop=True)


def _complaints(eng: Engagement, account_id: str, quarter: str) -> pd.DataFrame:
    fb = eng.feedback
    rows = fb.loc[
        (fb["respondent_id"] == account_id)
        & (fb["source"] == "key_account")
        & fb["comment"].notna()
        & (fb["quarter"] <= quarter)
    ]
    return rows.reset_index(drop=True)


def _negotiation(
    eng: Engagement,
    plan: AccountPlan,
    actions: pd.DataFrame,
    complaints: pd.DataFrame,
    trends: pd.DataFrame,
) -> pd.Series:
    """Return the open issue and the conflict mode for it.

    The issue is the first that applies: an unanswered complaint, promises already late, a
    margin below the floor, payment past the ceiling, the lowest rating below the middle.
    """
    lang, anchors = plan.lang, eng.settings["anchors"]
    end = pd.Timestamp(quarter_end(plan.quarter))
    issue, urgent, values = "none", False, {}
    open_complaints = complaints
    if "answered_on" in complaints:
        answered = complaints["answered_on"].notna() & (complaints["answered_on"] <= end)
        open_complaints = complaints.loc[~answered]
    late = actions.loc[actions["late"] & (actions["status"] == "open")]
    now = trends.iloc[-1] if len(trends) else pd.Series(dtype=float)
    lo, hi = eng.settings["scales"]["rating"]
    fb = eng.feedback
    said = fb.loc[(fb["respondent_id"] == plan.account_id) & (fb["quarter"] == plan.quarter)]
    if len(open_complaints):
        issue, urgent = "complaint", True
        values = {"comment": str(open_complaints.iloc[-1]["comment"])}
    elif len(late):
        issue, urgent, values = "late", True, {"n": len(late)}
    elif len(now) and now["gross_margin_pct"] < anchors["margin_floor"]:
        issue = "margin"
        values = {"margin": now["gross_margin_pct"], "floor": anchors["margin_floor"]}
    elif len(now) and now["payment_days"] > anchors["payment_days_ceiling"]:
        issue = "payment"
        values = {"days": now["payment_days"], "ceiling": anchors["payment_days_ceiling"]}
    elif len(said) and said["score"].min() < (lo + hi) / 2:
        worst = said.loc[said["score"].idxmin()]
        issue = "feedback"
        values = {"dimension": label(worst["dimension"], lang), "score": worst["score"]}
    situation = plan_tools.negotiation_situation(
        tier=str(plan.account["tier"]),
        stage=str(plan.account["stage"]),
        buyer_view=plan.account.get("buyer_view"),
        urgent=urgent,
    )
    mode = kam_managers.conflict_mode(**situation, lang=lang)
    return pd.Series(
        {
            "issue": plan_tools.issue_text(issue, lang, **values),
            **situation,
            "mode": mode["mode"],
            "why": mode["why"],
        }
    )
