"""The sample's account plans (issue 22): actions agreed and followed up, and customers' needs.

Drawn by :func:`add_plans` from a random generator of its own, after everything else, so that
the rest of the sample does not change with it. Its story (``data/README.md``): in Pumps &
Valves, Chen Zhiqiang (PVM01) keeps every promise, each action done by its due quarter; Wang
Li (PVM02) does not: half of her actions are still open past their due quarter, some were
done late and some dropped. The other managers keep most of theirs.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> sorted(eng.account_actions["status"].unique())
['done', 'dropped', 'open']
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..base.quarters import quarter_end, shift_quarter

#: How some of the sample's buying centres decide (seed 003), the rest not known.
DECISION_STYLES = {
    "PV001": "committee",
    "PV002": "authoritarian",
    "PV003": "consultative",
    "PV004": "committee",
    "MC001": "consultative",
    "IC001": "authoritarian",
}
#: The manager who keeps every promise, and the one who does not.
KEEPER, BREAKER = "PVM01", "PVM02"
#: Accounts with a plan: each BU's first accounts (by number) that have a manager, and these.
PLANNED_UP_TO = 10
MORE_PLANNED = ("PV037", "PV055", "PV059", "PV048", "IC047", "MC036", "MC040")
#: Objectives (seed 001's tactics) and actions that serve them.
OBJECTIVES = (
    (
        "Secure supply before the peak season",
        ("Agree the peak-season stock plan with the purchaser", "Reserve capacity for the peak"),
    ),
    (
        "Reach everyone who touches our products",
        ("Meet the maintenance team on site", "Train the operators on the new seals"),
    ),
    (
        "Trial new products here first",
        ("Install trial units on one line", "Review the trial results with the users"),
    ),
    (
        "Bring in senior management",
        ("Arrange a visit by our general manager", "Invite their technical director to our plant"),
    ),
    (
        "Plan jointly for next year",
        ("Draft the joint annual plan with the decider", "Agree the joint promotion calendar"),
    ),
    (
        "Answer every complaint",
        ("Answer the open complaint with a fix and a date", "Report the root cause of the failure"),
    ),
    (
        "Share sales and stock data",
        ("Set up a monthly data exchange", "Agree the forecast format with planning"),
    ),
)
ENGINEER = "Liu Bo 刘波 (technical service)"
LATE_NOTES = ("waiting for the customer's dates", "no time this quarter", "")
DROPPED_NOTE = "dropped: the customer changed its plans"
NEEDS = (
    "Cut unplanned downtime on the production lines",
    "Lower the total cost of owning the equipment",
    "Shorter lead times for spare parts",
    "Meet the new energy-efficiency standard by next year",
    "Local technical support for the new plant",
    "Fewer suppliers to manage",
    "Reliable deliveries during the peak season",
)
SOURCES = ("quarterly meeting", "complaint", "tender documents", "annual report", "site visit")
#: The roles whose people state needs, most likely first.
NEED_ROLES = ("decider", "user", "influencer", "buyer", "gatekeeper")


def add_plans(rows: dict, rng: np.random.Generator, quarters: list[str]) -> None:
    """Append the sample's ``account_actions`` and ``account_needs`` rows to ``rows``."""
    now = quarters[-1]
    recent = quarters[-4:]
    names = {m["manager_id"]: m["name"] for m in rows["managers"]}
    first: dict[str, int] = {}
    planned = []
    for account in rows["accounts"]:
        account["decision_style"] = DECISION_STYLES.get(account["account_id"])
        manager = account["manager_id"]
        if not manager:
            continue
        bu = account["bu_id"]
        if first.get(bu, 0) < PLANNED_UP_TO or account["account_id"] in MORE_PLANNED:
            first[bu] = first.get(bu, 0) + 1
            planned.append(account)
    for account in planned:
        manager = account["manager_id"]
        key = {"bu_id": account["bu_id"], "account_id": account["account_id"]}
        for quarter in recent:
            for _ in range(1 + int(rng.random() < 0.5)):
                objective, actions = OBJECTIVES[int(rng.integers(len(OBJECTIVES)))]
                action = actions[int(rng.integers(len(actions)))]
                if any(
                    r["account_id"] == key["account_id"]
                    and r["quarter"] == quarter
                    and r["action"] == action
                    for r in rows["account_actions"][-4:]
                ):
                    continue
                due = shift_quarter(quarter, int(rng.integers(0, 2)))
                status, done, note = _outcome(rng, manager, due, now)
                owner = ENGINEER if rng.random() < 0.2 else names[manager]
                rows["account_actions"].append(
                    key
                    | {
                        "quarter": quarter,
                        "objective": objective,
                        "action": action,
                        "owner": owner,
                        "due_quarter": due,
                        "status": status,
                        "done_quarter": done,
                        "note": note,
                    }
                )
        _needs(rows, rng, key, recent)


def _outcome(
    rng: np.random.Generator, manager: str, due: str, now: str
) -> tuple[str, str | None, str | None]:
    """Return what became of an action: status, the quarter done or dropped, a note."""
    if due > now:
        return "open", None, None
    draw = rng.random()
    if manager == KEEPER:
        return "done", due, None
    if manager == BREAKER:
        if draw < 0.5:
            return "open", None, LATE_NOTES[int(rng.integers(len(LATE_NOTES)))] or None
        if draw < 0.8 and due < now:
            return "done", shift_quarter(due, 1), "done a quarter late"
        if draw < 0.8:
            return "open", None, None
        return "dropped", due, DROPPED_NOTE
    if draw < 0.85:
        return "done", due, None
    if draw < 0.95 and due < now:
        return "done", shift_quarter(due, 1), "done a quarter late"
    return "dropped", due, DROPPED_NOTE


def _needs(rows: dict, rng: np.random.Generator, key: dict, recent: list[str]) -> None:
    """Append two or three needs the account stated, each owned by one of its people."""
    people = [c for c in rows["contacts"] if c["account_id"] == key["account_id"]]
    people.sort(key=lambda c: NEED_ROLES.index(c["role"]) if c["role"] in NEED_ROLES else 9)
    picked = rng.choice(len(NEEDS), size=2 + int(rng.random() < 0.5), replace=False)
    for n, i in enumerate(picked.tolist()):
        quarter = recent[int(rng.integers(len(recent)))]
        day = quarter_end(quarter) - dt.timedelta(days=int(rng.integers(5, 85)))
        owner = people[n % len(people)]["contact_id"] if people else None
        rows["account_needs"].append(
            key
            | {
                "need": NEEDS[i],
                "owner_contact_id": owner,
                "source": SOURCES[int(rng.integers(len(SOURCES)))],
                "stated_on": dt.datetime(day.year, day.month, day.day),
            }
        )


#: The managers' development (issue 22): manager -> competency -> its rating in each of
#: :data:`RATED_BACK` quarters before now, earliest first (now it is the rating in managers).
#: Wang Li (PVM02), who breaks promises, is being trained in principled negotiation and in
#: keeping promises; Zhou Ming (ICM01) was rated twice and has not moved.
DEVELOPMENT = {
    "PVM02": {"principled_negotiation": (2, 3), "integrity": (2, 2)},
    "PVM03": {"joint_planning": (2, 2)},
    "MCM01": {"senior_access": (3, 4), "financial_acumen": (3, 3)},
}
#: How many quarters before now the managers were rated again: a year and half a year.
RATED_BACK = (4, 2)
RATED_MANAGERS = ("PVM02", "PVM03", "ICM01", "MCM01")


def add_manager_ratings(rows: dict, quarters: list[str]) -> None:
    """Append the sample's ``manager_ratings``: a few managers rated a year and half a year ago.

    Deterministic (no random draws): the rating now is the one in ``managers``, repeated as the
    last row, so the current quarter's report does not change; earlier quarters' reports use the
    earlier ratings of :data:`DEVELOPMENT`.
    """
    current = {m["manager_id"]: m for m in rows["managers"]}
    for manager in (m for m in RATED_MANAGERS if m in current):  # a generated engagement: fewer
        now = current[manager]
        grown = DEVELOPMENT.get(manager, {})
        for step, back in enumerate((*RATED_BACK, 0)):
            row = {"bu_id": now["bu_id"], "manager_id": manager, "quarter": quarters[-1 - back]}
            for key, value in now.items():
                if key.startswith("comp_"):
                    before = grown.get(key.removeprefix("comp_"))
                    row[key] = before[step] if before and step < len(before) else value
            rows["manager_ratings"].append(row)
