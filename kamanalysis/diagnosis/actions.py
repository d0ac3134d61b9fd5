"""Promises followed up: the account plans' actions due by a quarter, kept or not (issue 22).

Seed 000: at the early stage above all, the account manager's reliability is the
relationship: keep every promise, and when one is missed apologise and compensate at once.
The ``account_actions`` table holds what was agreed for each account, its owner and due
quarter, and what became of it. :func:`action_follow_up` reads it as of a quarter,
:func:`action_counts` counts it per manager (and for the BU), :func:`action_facts` gives the
findings' rules their facts.

An action is **late** when it is still open after its due quarter, or was done after it. At
the end of its due quarter an open action is *due now*, not yet late. An action done or
dropped after the quarter asked about was still open then.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> follow = action_follow_up(eng, "PV")
>>> sorted(follow["status"].unique())
['done', 'dropped', 'open']
>>> counts = action_counts(eng, "PV")
>>> counts.loc["PVM01", ["due", "late"]].tolist(), int(counts.loc["PVM02", "late"]) > 0
([14, 0], True)
"""

from __future__ import annotations

import pandas as pd

from ..base.i18n import short_list
from ..data.engagement import Engagement
from .voice import account_names

#: The columns of :func:`action_follow_up`, in order.
FOLLOW_UP_COLUMNS = (
    "account_id",
    "account",
    "manager_id",
    "manager",
    "quarter",
    "objective",
    "action",
    "owner",
    "due_quarter",
    "status",
    "done_quarter",
    "late",
    "note",
)
#: The counts of :func:`action_counts`, in order.
COUNT_COLUMNS = ("due", "done", "on_time", "late", "open", "dropped", "kept_share")


def account_actions(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return every action of the BU agreed by ``quarter``, as known at its end.

    The columns of :data:`FOLLOW_UP_COLUMNS`: the account's name and manager beside each
    action; ``status`` and ``done_quarter`` as they stood at the end of ``quarter`` (an action
    done later was still open); ``late`` True when open after its due quarter or done after it.
    Sorted by due quarter, account and the quarter set. Empty (with the columns) when the
    engagement has no ``account_actions``.
    """
    quarter = quarter or eng.current_quarter
    frame = eng.tables.get("account_actions")
    columns = list(FOLLOW_UP_COLUMNS)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns).astype({"late": bool})
    rows = frame.loc[(frame["bu_id"] == bu_id) & (frame["quarter"] <= quarter)].copy()
    done = rows["done_quarter"] if "done_quarter" in rows else pd.Series(pd.NA, index=rows.index)
    later = done.notna() & (done > quarter)
    rows["status"] = rows["status"].where(~later, "open")
    rows["done_quarter"] = done.where(~later)
    accounts = eng.accounts.set_index("account_id")
    rows["account"] = rows["account_id"].map(accounts["name"])
    manager_ids = accounts["manager_id"] if "manager_id" in accounts else pd.Series(dtype=object)
    rows["manager_id"] = rows["account_id"].map(manager_ids)
    managers = eng.tables.get("managers")
    names = (
        managers.set_index("manager_id")["name"]
        if managers is not None and len(managers)
        else pd.Series(dtype=object)
    )
    rows["manager"] = rows["manager_id"].map(names)
    open_late = (rows["status"] == "open") & (rows["due_quarter"] < quarter)
    done_late = (rows["status"] == "done") & rows["done_quarter"].notna()
    done_late &= rows["done_quarter"] > rows["due_quarter"]
    rows["late"] = (open_late | done_late).fillna(False).astype(bool)
    rows = rows.sort_values(["due_quarter", "account_id", "quarter"], kind="stable")
    return rows[columns].reset_index(drop=True)


def action_follow_up(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return one row per action of the BU due by ``quarter`` (default: the current quarter).

    The follow-up of the quarterly review: each action agreed by then whose due quarter is
    ``quarter`` or earlier, with ``status`` (``open``, ``done``, ``dropped``) as it stood at
    the end of ``quarter`` and ``late`` (open after its due quarter, or done after it); the
    columns of :data:`FOLLOW_UP_COLUMNS`.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> follow = action_follow_up(eng, "PV", "2026Q2")
    >>> bool((follow["due_quarter"] <= "2026Q2").all()), follow["late"].dtype
    (True, dtype('bool'))
    """
    quarter = quarter or eng.current_quarter
    rows = account_actions(eng, bu_id, quarter)
    return rows.loc[rows["due_quarter"] <= quarter].reset_index(drop=True)


def action_counts(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Count the actions due by ``quarter`` per account manager, and for the whole BU.

    Indexed by manager id (its ``manager`` name beside), with the BU's total last (index
    ``"all"``): ``due``, ``done``, ``on_time`` (done by the due quarter), ``late``, ``open``,
    ``dropped`` and ``kept_share`` (on time / due). Managers with no action due are left out;
    an action of an account without manager counts in the total only.
    """
    follow = action_follow_up(eng, bu_id, quarter)

    def count(rows: pd.DataFrame) -> dict:
        due = len(rows)
        done = int((rows["status"] == "done").sum())
        on_time = int(((rows["status"] == "done") & ~rows["late"]).sum())
        return {
            "due": due,
            "done": done,
            "on_time": on_time,
            "late": int(rows["late"].sum()),
            "open": int((rows["status"] == "open").sum()),
            "dropped": int((rows["status"] == "dropped").sum()),
            "kept_share": on_time / due if due else float("nan"),
        }

    table = {m: count(g) for m, g in follow.groupby("manager_id", sort=True)}
    names = follow.drop_duplicates("manager_id").set_index("manager_id")["manager"]
    frame = pd.DataFrame.from_dict(table, orient="index", columns=list(COUNT_COLUMNS))
    frame.insert(0, "manager", names.reindex(frame.index))
    total = pd.DataFrame([{"manager": "", **count(follow)}], index=["all"])
    frame = pd.concat([frame, total]) if len(frame) else total
    frame.index.name = "manager_id"
    return frame


def action_facts(eng: Engagement, bu_id: str, quarter: str | None = None) -> dict:
    """Gather the facts the findings' rules read about promises (none without actions).

    ``n_actions_due``, ``n_actions_late``, ``actions_kept_share`` (on time / due), and when
    some are late ``late_managers`` (the managers with late actions, the most first, with how
    many) and ``late_accounts``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> facts = action_facts(eng, "PV")
    >>> facts["late_managers"].split(" (")[0]
    'Wang Li 王丽'
    """
    follow = action_follow_up(eng, bu_id, quarter)
    if follow.empty:
        return {}
    late = follow.loc[follow["late"]]
    on_time = int(((follow["status"] == "done") & ~follow["late"]).sum())
    facts: dict = {
        "n_actions_due": float(len(follow)),
        "n_actions_late": float(len(late)),
        "actions_kept_share": on_time / len(follow),
    }
    if len(late):
        who = late["manager"].astype(object).fillna(late["owner"]).value_counts(sort=True)
        facts["late_managers"] = short_list(f"{name} ({n})" for name, n in who.items())
        named = account_names(eng)
        accounts = late["account_id"].astype(str).drop_duplicates()
        facts["late_accounts"] = short_list(named.get(a, a) for a in accounts)
    return facts
