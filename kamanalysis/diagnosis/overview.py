"""Data overview of an engagement: revenue by quarter, top accounts, a cross-BU summary.

The skeleton of the diagnosis report; every function takes a validated
:class:`~kamanalysis.data.engagement.Engagement` (whole, or narrowed with ``for_bu``).

Examples
--------
>>> import kamanalysis as kam
>>> pv = kam.load_engagement(kam.paths.SAMPLE_DATA).for_bu("PV")
>>> table = revenue_by_quarter(pv)
>>> table.index[-1], int(table["accounts"].iloc[-1]) > 0
('2026Q3', True)
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ..base._numeric import safe_divide
from ..base.i18n import money_unit, text
from ..core.charts import get_axes
from ..data.engagement import Engagement
from ..tools.review import time_comparison


def revenue_by_quarter(eng: Engagement) -> pd.DataFrame:
    """Revenue, weighted margin, active accounts and growth per quarter.

    Parameters
    ----------
    eng : Engagement
        The engagement, or one BU of it.

    Returns
    -------
    DataFrame
        Indexed by quarter (oldest first): ``revenue``, ``gross_margin_pct``
        (revenue-weighted), ``accounts`` (with sales that quarter),
        ``growth_qoq`` and ``growth_yoy`` (fractions; NaN where the base is 0 or absent),
        from :func:`kamanalysis.tools.review.time_comparison`. A quarter without sales between
        the first and the last is listed in ``attrs["missing"]``.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> t = revenue_by_quarter(eng)
    >>> import math
    >>> math.isclose(t["revenue"].sum(), eng.account_quarters["revenue"].sum())
    True
    """
    aq = eng.account_quarters
    margin_value = aq["revenue"] * aq["gross_margin_pct"]
    grouped = aq.assign(_mv=margin_value).groupby("quarter", sort=True)
    table = pd.DataFrame(
        {
            "revenue": grouped["revenue"].sum(),
            "gross_margin_pct": safe_divide(grouped["_mv"].sum(), grouped["revenue"].sum()),
            "accounts": grouped["account_id"].nunique(),
        }
    )
    table.index = table.index.astype(str)
    table.index.name = "quarter"
    growth = time_comparison(table["revenue"])
    table["growth_qoq"] = growth["growth_qoq"].reindex(table.index)
    table["growth_yoy"] = growth["growth_yoy"].reindex(table.index)
    table.attrs = {"missing": growth.attrs["missing"]}
    return table


def top_accounts(eng: Engagement, *, quarter: str | None = None, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` largest accounts by revenue in ``quarter`` (default: the current quarter).

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``bu_id``, ``revenue``, ``revenue_share`` (of the
        engagement's or BU's revenue that quarter), ``gross_margin_pct``,
        ``share_of_wallet`` (revenue / category_spend) and ``payment_days``,
        largest first, indexed by rank from 1; ties keep file order.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> pv = kam.load_engagement(kam.paths.SAMPLE_DATA).for_bu("PV")
    >>> top = top_accounts(pv, n=3)
    >>> len(top), bool(top["revenue"].is_monotonic_decreasing)
    (3, True)
    """
    quarter = quarter or eng.current_quarter
    aq = eng.account_quarters
    sales = aq.loc[aq["quarter"] == quarter]
    names = eng.accounts.set_index("account_id")["name"]
    table = pd.DataFrame(
        {
            "account_id": sales["account_id"],
            "name": sales["account_id"].map(names),
            "bu_id": sales["bu_id"],
            "revenue": sales["revenue"],
            "revenue_share": safe_divide(sales["revenue"], sales["revenue"].sum()),
            "gross_margin_pct": sales["gross_margin_pct"],
            "share_of_wallet": safe_divide(sales["revenue"], sales["category_spend"]),
            "payment_days": sales["payment_days"],
        }
    )
    table = table.sort_values("revenue", ascending=False, kind="stable").head(n)
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    return table


def bu_summary(eng: Engagement, *, quarter: str | None = None) -> pd.DataFrame:
    """One row per BU: accounts, revenue in ``quarter``, growth and concentration.

    ``top5_share`` is the part of the BU's revenue that its five largest accounts
    bring in that quarter.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> s = bu_summary(kam.load_engagement(kam.paths.SAMPLE_DATA))
    >>> s.index.tolist()
    ['PV', 'IC', 'MC']
    """
    quarter = quarter or eng.current_quarter
    records = []
    for bu in eng.bu_ids:
        part = eng.for_bu(bu)
        by_quarter = revenue_by_quarter(part)
        row = by_quarter.loc[quarter] if quarter in by_quarter.index else None
        top = top_accounts(part, quarter=quarter, n=5)
        records.append(
            {
                "bu_id": bu,
                "name": eng.bu_name(bu),
                "accounts": len(part.accounts),
                "revenue": row["revenue"] if row is not None else 0.0,
                "gross_margin_pct": row["gross_margin_pct"] if row is not None else float("nan"),
                "growth_yoy": row["growth_yoy"] if row is not None else float("nan"),
                "top5_share": top["revenue_share"].sum() if len(top) else float("nan"),
            }
        )
    return pd.DataFrame.from_records(records).set_index("bu_id")


def plot_revenue_by_quarter(
    table: pd.DataFrame, *, ax: Axes | None = None, currency: str = "", lang: str = "en"
) -> Axes:
    """Bar chart of revenue per quarter with the weighted margin on a second axis.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`revenue_by_quarter`.
    ax : Axes, optional
        Where to draw; a new figure's Axes when omitted.
    currency : str
        Shown in the y-axis label.
    lang : str
        ``en`` or ``zh``: the language of the title and axis labels.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> ax = plot_revenue_by_quarter(revenue_by_quarter(eng), currency="CNY")
    >>> len(ax.patches), ax.get_ylabel()
    (8, 'revenue (CNY million)')
    """
    ax = get_axes(ax, figsize=(8, 3.5), where="plot_revenue_by_quarter")
    quarters = list(table.index)
    if lang == "zh":  # Chinese money: 万元 or 亿元
        divisor, unit = money_unit(float(table["revenue"].abs().max()), currency)
    else:
        divisor, unit = 1e6, f"{currency} million"
    ax.bar(quarters, table["revenue"] / divisor, color="#4472C4")
    ylabel = text("chart.revenue.ylabel", lang, unit=unit)
    ax.set_ylabel(ylabel.replace("( ", "(").replace(" ）", "）"))
    ax.set_xlabel(text("chart.revenue.xlabel", lang))
    ax.set_title(text("chart.revenue.title", lang))
    twin = ax.twinx()
    twin.plot(quarters, table["gross_margin_pct"], color="#C00000", marker="o")
    twin.set_ylabel(text("chart.revenue.margin", lang))
    twin.set_ylim(bottom=0)
    return ax
