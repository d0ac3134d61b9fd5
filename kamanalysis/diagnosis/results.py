"""Account managers on results (issue 22): their accounts' figures beside their skills' fit.

A manager is judged not only on competence ratings but on what his or her accounts do —
revenue and its growth, margin, health and its trend — and on what the customers say about
our staff (seed 001, tactic 7: ask key accounts regularly about our sales staff): the
``sales_staff`` feedback of the accounts he or she manages.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> r = manager_results(eng, "PV")
>>> r.columns.tolist()[:4]
['name', 'accounts', 'revenue', 'revenue_yoy']
>>> int(r.loc["PVM01", "accounts"])
3
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..base.quarters import shift_quarter
from ..data.engagement import Engagement
from ..tools.managers import competency_development
from .management import account_health, account_management

#: The feedback dimension that rates our staff.
STAFF_DIMENSION = "sales_staff"
#: The columns of :func:`manager_results`, in order.
RESULT_COLUMNS = (
    "name",
    "accounts",
    "revenue",
    "revenue_yoy",
    "gross_margin_pct",
    "health",
    "health_change",
    "staff_rating",
    "staff_rating_change",
    "fit",
)


def manager_results(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return each manager's results in ``quarter``, indexed by ``manager_id``.

    ``accounts`` managed; their ``revenue`` this quarter and ``revenue_yoy`` (on the same
    accounts a year before; NaN when that quarter has no data); the revenue-weighted
    ``gross_margin_pct``; the mean ``health`` (0-100, :func:`account_health`) of those
    assessed and its mean ``health_change`` since last quarter; ``staff_rating``, the mean
    ``sales_staff`` score the accounts gave this quarter, and its change since last quarter
    (NaN when not rated); and ``fit``, the skills' fit to the accounts' stages. Empty when
    the BU has no manager with accounts.
    """
    quarter = quarter or eng.current_quarter
    accounts = eng.accounts.loc[eng.accounts["bu_id"] == bu_id]
    if "manager_id" not in accounts or accounts["manager_id"].isna().all():
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    held = accounts.dropna(subset=["manager_id"]).set_index("account_id")["manager_id"]
    aq = eng.account_quarters
    aq = aq.loc[aq["account_id"].isin(held.index)].assign(
        manager_id=lambda f: f["account_id"].map(held)
    )

    def sums(q: str) -> pd.DataFrame:
        rows = aq.loc[aq["quarter"] == q]
        return (
            rows.assign(gp=rows["revenue"] * rows["gross_margin_pct"] / 100)
            .groupby("manager_id")[["revenue", "gp"]]
            .sum()
        )

    now, year_ago = sums(quarter), sums(shift_quarter(quarter, -4))
    frame = pd.DataFrame(index=pd.Index(sorted(held.unique()), name="manager_id"))
    frame["accounts"] = held.value_counts().reindex(frame.index).astype(int)
    frame["revenue"] = now["revenue"].reindex(frame.index).fillna(0.0)
    before = year_ago["revenue"].reindex(frame.index)
    frame["revenue_yoy"] = (frame["revenue"] / before - 1).where(before > 0)
    frame["gross_margin_pct"] = (now["gp"] / now["revenue"] * 100).reindex(frame.index)
    health = account_health(eng, bu_id, quarter)
    health = health.assign(manager_id=health.index.map(held))
    by = health.dropna(subset=["manager_id"]).groupby("manager_id")
    frame["health"] = by["health"].mean().reindex(frame.index)
    frame["health_change"] = by["health_change"].mean().reindex(frame.index)
    fb = eng.feedback
    staff = fb.loc[
        (fb["source"] == "key_account")
        & (fb["dimension"] == STAFF_DIMENSION)
        & fb["respondent_id"].isin(held.index)
    ]
    staff = staff.assign(manager_id=staff["respondent_id"].map(held))
    rated = staff.groupby(["manager_id", "quarter"])["score"].mean()

    def rating(q: str) -> pd.Series:
        if rated.empty:
            return pd.Series(np.nan, index=frame.index)
        return (
            rated.xs(q, level="quarter").reindex(frame.index)
            if q in set(rated.index.get_level_values("quarter"))
            else pd.Series(np.nan, index=frame.index)
        )

    frame["staff_rating"] = rating(quarter)
    frame["staff_rating_change"] = frame["staff_rating"] - rating(shift_quarter(quarter, -1))
    management = account_management(eng, bu_id, quarter)
    frame["fit"] = management.fit["fit"].reindex(frame.index) if management.assessed else np.nan
    managers = eng.tables.get("managers")
    names = (
        managers.set_index("manager_id")["name"]
        if managers is not None and len(managers)
        else pd.Series(dtype=object)
    )
    frame["name"] = names.reindex(frame.index)
    return frame[list(RESULT_COLUMNS)]


def manager_development(eng: Engagement, bu_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return how the BU's managers' competencies developed up to ``quarter`` (issue 22).

    From the optional ``manager_ratings`` table (the competencies rated again in later
    quarters): one row per manager of the BU rated there, indexed by ``manager_id``, with the
    first quarter rated, the mean competency then and now, the change, and the competency that
    grew most (:func:`kamanalysis.tools.managers.competency_development`). Empty without
    ratings.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> d = manager_development(eng, "PV")
    >>> d.loc["PVM02", ["first_quarter", "most_improved"]].tolist()
    ['2025Q3', 'principled_negotiation']
    """
    quarter = quarter or eng.current_quarter
    managers = eng.tables.get("managers")
    if managers is None:
        return competency_development(pd.DataFrame(columns=["manager_id"]), None, quarter)
    mine = managers.loc[managers["bu_id"] == bu_id]
    ratings = eng.tables.get("manager_ratings")
    if ratings is not None:
        ratings = ratings.loc[ratings["manager_id"].isin(mine["manager_id"])]
    return competency_development(mine, ratings, quarter)
