"""Senior-executive visits: one per account, within what the BU head can make.

Several findings may ask for a senior-executive visit (a key account at risk, a buyer
who sees us as a strategic partner, the largest key account buying less; the rules with
a ``visit`` column in ``rules.csv``). :func:`visit_plan` merges them into **one visit
per account**, ranks the accounts by the money at stake (their revenue this quarter)
and checks the list against the BU head's capacity, the setting
``capacity.executive_visits_per_quarter`` (default 6, see
:mod:`kamanalysis.base.account_terms`; in the facts as ``visit_capacity``). When more
accounts call for a visit than the capacity, the summary says so: the accounts with the
most revenue this quarter, the rest the next.

Examples
--------
>>> import pandas as pd
>>> found = pd.DataFrame({"id": ["exec_visit", "buyer_frustration", "exec_visit"],
...                       "visits": [["A1"], ["A1", "A2", "A3"], ["A3"]]})
>>> found.attrs["accounts"] = pd.DataFrame(
...     {"name": ["Acme", "Bolt", "Crane"], "account_revenue_m": [1.0, 5.0, 3.0]},
...     index=["A1", "A2", "A3"])
>>> plan = visit_plan(found, capacity=2)
>>> plan[["name", "rules", "now"]].values.tolist()
[['Bolt', 'buyer_frustration', True], ['Crane', 'buyer_frustration, exec_visit', True], \
['Acme', 'exec_visit, buyer_frustration', False]]
>>> visit_text(plan, 2)
'3 accounts call for a senior-executive visit, more than the 2 a quarter the BU head can \
make: the 2 with the most revenue now (Bolt (A2), Crane (A3)), the other 1 next quarter.'
"""

from __future__ import annotations

import pandas as pd

from ..base.i18n import short_list, text
from ..base.markup import safe

#: The capacity used when the facts do not give one (the setting's default).
DEFAULT_CAPACITY = 6


def visit_plan(found: pd.DataFrame, capacity: float = DEFAULT_CAPACITY) -> pd.DataFrame:
    """One row per account some finding wants visited, the most revenue first.

    Parameters
    ----------
    found : DataFrame
        From :func:`kamanalysis.report.findings.evaluate` (its ``visits`` column and its
        ``attrs["accounts"]``: names and revenue).
    capacity : number
        Visits the BU head can make in a quarter.

    Returns
    -------
    DataFrame
        Indexed by account id: ``name``, ``revenue_m``, ``rules`` (the rules that call
        for the visit, comma-separated), ``now`` (True for the first ``capacity``
        accounts: this quarter).
    """
    columns = ["name", "revenue_m", "rules", "now"]
    if "visits" not in found:
        return pd.DataFrame(columns=columns)
    wanted: dict[str, list[str]] = {}
    for rule, accounts in zip(found["id"], found["visits"], strict=True):
        for account in accounts or ():
            wanted.setdefault(account, [])
            if rule not in wanted[account]:
                wanted[account].append(rule)
    if not wanted:
        return pd.DataFrame(columns=columns)
    book = found.attrs.get("accounts")
    ids = list(wanted)
    names = pd.Series(ids, index=ids, dtype=object)
    revenue = pd.Series(float("nan"), index=ids)
    if book is not None:
        names = book["name"].reindex(ids).fillna(names).astype(str)
        revenue = book["account_revenue_m"].reindex(ids).astype(float)
    plan = pd.DataFrame(
        {"name": names, "revenue_m": revenue, "rules": [", ".join(wanted[a]) for a in ids]},
        index=pd.Index(ids, name="account_id"),
    )
    plan = plan.sort_values("revenue_m", ascending=False, kind="stable", na_position="last")
    plan["now"] = [i < int(capacity) for i in range(len(plan))]
    return plan


def visit_text(
    plan: pd.DataFrame, capacity: float = DEFAULT_CAPACITY, lang: str = "en", shown: int = 4
) -> str:
    """Say the visit action: each account once, by name (its code in brackets).

    The first ``shown`` accounts are named, the rest counted (the plan lists them all).
    """
    named = [f"{n} ({a})" for a, n in zip(plan.index, plan["name"], strict=True)]
    capacity = int(capacity)
    if len(plan) <= capacity:
        return text("summary.visits", lang, n=len(plan), accounts=safe(short_list(named, shown)))
    return text(
        "summary.visits_over",
        lang,
        n=len(plan),
        capacity=capacity,
        accounts=safe(short_list(named[:capacity], shown)),
        rest=len(plan) - capacity,
    )
