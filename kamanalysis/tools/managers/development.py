"""The managers' competencies over the quarters (issue 22): ratings as of a quarter, development.

A manager's competencies are rated in ``managers`` (the rating today) and, optionally, again in
later quarters in ``manager_ratings`` (one row per manager and quarter; a blank competency is
not rated that quarter). A report of a quarter uses each competency's latest rating up to that
quarter, and the rating in ``managers`` when there is none; the development shows how each
manager's mean rating moved since the first rating and which competency grew most (seed 004:
the managers are developed, not only selected).

Examples
--------
>>> import pandas as pd
>>> from kamanalysis.base.schema import COMPETENCIES
>>> managers = pd.DataFrame(
...     [{"manager_id": "M1", "bu_id": "B", "name": "Li"} | {f"comp_{c}": 3 for c in COMPETENCIES}]
... )
>>> ratings = pd.DataFrame(
...     [
...         {"manager_id": "M1", "quarter": "2026Q1", "comp_communication": 2},
...         {"manager_id": "M1", "quarter": "2026Q3", "comp_communication": 4},
...     ]
... )
>>> int(ratings_as_of(managers, ratings, "2026Q2").loc[0, "comp_communication"])
2
>>> d = competency_development(managers, ratings, "2026Q3")
>>> d.loc["M1", "first_quarter"], d.loc["M1", "most_improved"], float(d.loc["M1", "improved_by"])
('2026Q1', 'communication', 2.0)
"""

from __future__ import annotations

import pandas as pd

from ...base.schema import COMPETENCIES

#: The competency columns, in the schema's order.
COMPETENCY_COLUMNS = tuple(f"comp_{c}" for c in COMPETENCIES)
#: The columns of :func:`competency_development`, in order.
DEVELOPMENT_COLUMNS = (
    "name",
    "first_quarter",
    "first_mean",
    "mean",
    "change",
    "most_improved",
    "improved_by",
)


def _rated(ratings: pd.DataFrame | None, quarter: str) -> pd.DataFrame:
    """Return the ratings up to ``quarter`` in long form: manager_id, quarter, column, value."""
    if ratings is None or ratings.empty:
        return pd.DataFrame(columns=["manager_id", "quarter", "column", "value"])
    columns = [c for c in COMPETENCY_COLUMNS if c in ratings]
    kept = ratings.loc[ratings["quarter"].astype(str) <= quarter]
    long = kept.melt(["manager_id", "quarter"], columns, var_name="column", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    return long.dropna(subset=["value"]).sort_values(["manager_id", "column", "quarter"])


def ratings_as_of(
    managers: pd.DataFrame, ratings: pd.DataFrame | None, quarter: str
) -> pd.DataFrame:
    """Return ``managers`` with each competency at its latest rating up to ``quarter``.

    Parameters
    ----------
    managers : DataFrame
        The ``managers`` table (``manager_id`` and the ``comp_<competency>`` columns).
    ratings : DataFrame or None
        The optional ``manager_ratings`` table (``manager_id``, ``quarter``, competencies);
        None or empty leaves ``managers`` as it is.
    quarter : str
        The quarter of the report: later ratings are not used.

    Returns
    -------
    DataFrame
        A copy of ``managers`` in the same order; a competency rated in ``ratings`` at or
        before ``quarter`` takes its latest such rating, any other keeps the ``managers`` one.
    """
    long = _rated(ratings, quarter)
    if long.empty:
        return managers
    latest = long.groupby(["manager_id", "column"], sort=False)["value"].last().unstack()
    out = managers.copy()
    ids = out["manager_id"]
    for column in latest.columns:
        newer = ids.map(latest[column])
        out[column] = newer.where(newer.notna(), out[column])
    return out


def competency_development(
    managers: pd.DataFrame, ratings: pd.DataFrame | None, quarter: str
) -> pd.DataFrame:
    """Return how each manager's competencies moved from the first rating to ``quarter``.

    One row per manager with ratings in ``ratings`` up to ``quarter`` (indexed by
    ``manager_id``, in ``managers``' order): ``first_quarter`` of a rating, ``first_mean`` the
    mean competency then, ``mean`` the mean as of ``quarter`` (:func:`ratings_as_of`),
    ``change`` between them, and ``most_improved`` the competency (name without ``comp_``)
    that rose most and ``improved_by`` how much (None and 0 when none rose). Empty without
    ratings.
    """
    long = _rated(ratings, quarter)
    if long.empty:
        return pd.DataFrame(columns=list(DEVELOPMENT_COLUMNS)).rename_axis("manager_id")
    first_quarter = long.groupby("manager_id")["quarter"].min()
    first = long.loc[long["quarter"] == long["manager_id"].map(first_quarter)]
    first = first.pivot_table(index="manager_id", columns="column", values="value")
    now = ratings_as_of(managers, ratings, quarter).set_index("manager_id")
    now = now.loc[now.index.isin(first.index), list(COMPETENCY_COLUMNS)].apply(pd.to_numeric)
    # a competency not rated in the first quarter starts from the rating in managers
    start = first.reindex(columns=list(COMPETENCY_COLUMNS)).reindex(now.index)
    start = start.fillna(managers.set_index("manager_id").loc[now.index, start.columns])
    start = start.apply(pd.to_numeric)
    gain = now - start
    best = gain.idxmax(axis=1)
    by = gain.max(axis=1)
    frame = pd.DataFrame(
        {
            "name": managers.set_index("manager_id").loc[now.index, "name"],
            "first_quarter": first_quarter.reindex(now.index),
            "first_mean": start.mean(axis=1),
            "mean": now.mean(axis=1),
        }
    )
    frame["change"] = frame["mean"] - frame["first_mean"]
    grew = best.str.removeprefix("comp_").astype(object)
    frame["most_improved"] = grew.where(by > 0, None)
    frame["improved_by"] = by.where(by > 0, 0.0).astype(float)
    return frame[list(DEVELOPMENT_COLUMNS)].rename_axis("manager_id")
