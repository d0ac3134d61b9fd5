"""Who manages which account, and how many: the assignment checked, the workload measured.

- :func:`check_managers`: the managers table and who manages which account (ids known,
  competencies on their scale, a manager of the account's own BU).
- :func:`workload`: accounts, key accounts and revenue per manager against :data:`SPAN`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ...base._numeric import safe_divide
from ...base._validation import describe, require_columns
from ...base.errors import InputValidationError, Problem
from ...base.schema import COMPETENCIES, DEFAULT_SCALES
from ._common import _blank, _off_scale

#: Workload span of one key-account manager: a consultant's default, to be set per client
#: (the seeds give the size of a standing team, 3-5 people, not a span per manager).
SPAN = {"key_accounts": 10, "accounts": 25}


# ----------------------------------------------------------------------------- checks


def check_managers(
    managers: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    scale: tuple[float, float] = DEFAULT_SCALES["rating"],
    files: tuple[str, str] = ("managers.csv", "accounts.csv"),
    rows: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Check the managers and who manages which account; raise naming file, row and column.

    Checks: every competency rated on ``scale``; each account's ``manager_id`` blank or
    listed in ``managers``; the manager of an account in the account's own BU.

    Parameters
    ----------
    managers, accounts : DataFrame
        The ``managers`` table and the ``accounts`` table (``account_id``, ``bu_id``,
        ``manager_id``).
    scale : (lo, hi)
        The general rating scale.
    files : (str, str)
        How messages name the two tables (file names, or ``workbook.xlsx [sheet]``).
    rows : mapping, optional
        ``{"managers": [...], "accounts": [...]}``: the file row of each frame row (the
        header is row 1). Default: position + 2.

    Raises
    ------
    InputValidationError
        Every problem found, each naming the file, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"manager_id": ["M1"], "bu_id": ["B1"], "name": ["Li"],
    ...     **{f"comp_{c}": [4.0] for c in COMPETENCIES}})
    >>> a = pd.DataFrame({"account_id": ["A", "B"], "bu_id": ["B2", "B1"],
    ...     "manager_id": ["M1", "M9"]})
    >>> check_managers(m, a)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 2 problems found:
      - accounts.csv row 2, column manager_id: expected a manager of BU B2 (M1 is in B1), got "M1"
      - accounts.csv row 3, column manager_id: expected a manager_id listed in managers, got "M9"
    """
    where = "check_managers"
    require_columns(
        managers, ["manager_id", "bu_id", *(f"comp_{c}" for c in COMPETENCIES)], where=where
    )
    require_columns(accounts, ("account_id", "bu_id", "manager_id"), where=where)
    rows = rows or {}
    m_rows = list(rows.get("managers") or range(2, len(managers) + 2))
    a_rows = list(rows.get("accounts") or range(2, len(accounts) + 2))
    lo, hi = scale
    problems = [
        Problem(
            files[0],
            f"a rating from {lo:g} to {hi:g}",
            describe(value),
            row=m_rows[i],
            column=f"comp_{comp}",
        )
        for i, comp, value in _off_scale(managers, scale)
    ]
    bu_of = dict(zip(managers["manager_id"], managers["bu_id"], strict=True))
    pairs = zip(accounts["manager_id"].tolist(), accounts["bu_id"].tolist(), strict=True)
    for i, (manager, bu_id) in enumerate(pairs):
        if _blank(manager):
            continue
        if manager not in bu_of:
            expected, found = "a manager_id listed in managers", describe(manager)
        elif bu_of[manager] != bu_id:
            expected = f"a manager of BU {bu_id} ({manager} is in {bu_of[manager]})"
            found = describe(manager)
        else:
            continue
        problems.append(
            Problem(files[1], expected, found, row=a_rows[i], column="manager_id", kind="reference")
        )
    if problems:
        raise InputValidationError(problems)


# ----------------------------------------------------------------------------- workload


def workload(
    accounts: pd.DataFrame,
    *,
    managers: Sequence[str] | None = None,
    span: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Accounts, key accounts and revenue per manager, against the span (:data:`SPAN`).

    Parameters
    ----------
    accounts : DataFrame
        ``account_id``, ``manager_id`` (blank = none assigned), ``revenue`` and ``key``
        (bool: a key account).
    managers : sequence of manager ids, optional
        Managers to report (each gets a row, also without accounts). Default: those in
        ``accounts``.
    span : mapping, optional
        ``key_accounts`` and ``accounts`` one manager can handle; default :data:`SPAN`.

    Returns
    -------
    DataFrame indexed by ``manager_id``: ``accounts``, ``key_accounts``, ``revenue``,
    ``revenue_share`` (of all the accounts' revenue), ``key_load`` (key accounts / span),
    ``over_span`` (more key accounts or accounts than the span). ``attrs["unassigned"]``
    lists the accounts without a manager, ``attrs["span"]`` the span used.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"account_id": list("ABC"), "manager_id": ["M1", "M1", None],
    ...     "revenue": [5.0, 3.0, 2.0], "key": [True, True, False]})
    >>> w = workload(a, span={"key_accounts": 1, "accounts": 10})
    >>> int(w.loc["M1", "key_accounts"]), bool(w.loc["M1", "over_span"]), w.attrs["unassigned"]
    (2, True, ['C'])
    """
    where = "workload"
    require_columns(accounts, ("account_id", "manager_id", "revenue", "key"), where=where)
    limits = dict(SPAN)
    limits.update(span or {})
    blank = accounts["manager_id"].map(_blank).astype(bool)
    rows = accounts.loc[~blank]
    ids = list(dict.fromkeys(rows["manager_id"])) if managers is None else list(managers)
    revenue = pd.to_numeric(accounts["revenue"], errors="coerce").fillna(0.0)
    total = float(revenue.sum())
    grouped = rows.assign(_r=revenue[~blank], _k=rows["key"].fillna(False).astype(bool))
    g = grouped.groupby("manager_id")
    out = pd.DataFrame(index=pd.Index(ids, name="manager_id"))
    out["accounts"] = g.size().reindex(ids).fillna(0).astype("int64")
    out["key_accounts"] = g["_k"].sum().reindex(ids).fillna(0).astype("int64")
    out["revenue"] = g["_r"].sum().reindex(ids).fillna(0.0)
    out["revenue_share"] = [safe_divide(r, total) for r in out["revenue"]]
    out["key_load"] = out["key_accounts"] / float(limits["key_accounts"])
    out["over_span"] = (out["key_accounts"] > limits["key_accounts"]) | (
        out["accounts"] > limits["accounts"]
    )
    out.attrs = {
        "unassigned": sorted(accounts.loc[blank, "account_id"].astype(str)),
        "span": limits,
    }
    return out
