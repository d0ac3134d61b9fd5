"""Bridges: where a change in revenue, gross profit and gross margin comes from (桥接分析).

Between two quarters, every account of a ledger is ``continuing`` (revenue in both),
``new`` (only in the later one) or ``lost`` (only in the earlier one). :func:`account_bridge`
splits each account's revenue change into effects that sum exactly to it:

- a continuing account with a volume in both quarters: ``volume`` = (v1 - v0) x p0 and
  ``price`` = (p1 - p0) x v1, p = revenue / volume (the price-volume bridge);
- a continuing account without volumes: ``other`` (the whole change, not split);
- a new account: ``new`` = its revenue; a lost account: ``lost`` = minus its revenue.

The gross margin (gross profit / revenue, in %) moves by ``mix`` + ``rate``, summing exactly
to the change: mix = (s1 - s0) x (m0 - M0), the accounts whose share of revenue moved,
weighted by how far their margin stood from the BU's (M0); rate = s1 x (m1 - m0), the
accounts whose own margin moved (s: share of revenue, m: margin; a new account counts with
its later margin on both sides, a lost one with its earlier).

:func:`explain` names the fewest accounts that explain most of a change (the accounts moving
the same way, largest first, until their sum reaches :data:`EXPLAINED` of it).

Examples
--------
>>> import pandas as pd
>>> ledger = pd.DataFrame({
...     "account_id": ["A", "B", "A", "C"],
...     "quarter": ["2025Q3", "2025Q3", "2026Q3", "2026Q3"],
...     "revenue": [100.0, 50.0, 90.0, 20.0],
...     "gross_margin_pct": [20.0, 30.0, 15.0, 25.0],
...     "volume": [10.0, 5.0, 8.0, 2.0]})
>>> b = account_bridge(ledger, "2025Q3", "2026Q3")
>>> b["status"].to_dict()
{'B': 'lost', 'A': 'continuing', 'C': 'new'}
>>> b.loc["A", ["revenue_change", "volume", "price"]].tolist()  # 2 units fewer, dearer
[-10.0, -20.0, 10.0]
>>> b[["new", "lost"]].sum().tolist()
[20.0, -50.0]
>>> totals = bridge_totals(b)
>>> round(totals["margin_change"], 6) == round(totals["mix"] + totals["rate"], 6)
True
>>> explain(b["revenue_change"])
account_id
B    1.25
Name: revenue_change, dtype: float64
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..base._validation import require_columns

#: The effects of a revenue change, summing exactly to it account by account.
REVENUE_EFFECTS = ("volume", "price", "new", "lost", "other")
#: The effects of a gross-margin change (points), summing exactly to it.
MARGIN_EFFECTS = ("mix", "rate")
#: The share of a change the accounts :func:`explain` names must reach.
EXPLAINED = 0.5
#: The most accounts :func:`explain` names.
MOST_NAMED = 5


def account_bridge(
    ledger: pd.DataFrame, before: str, after: str, *, account: str = "account_id"
) -> pd.DataFrame:
    """Split the revenue, gross-profit and gross-margin change between two quarters by account.

    Parameters
    ----------
    ledger : DataFrame
        One row per account and quarter: ``account``, ``quarter``, ``revenue``,
        ``gross_margin_pct`` (0-100) and optionally ``volume`` (a blank or zero volume
        leaves that account's change in ``other``).
    before, after : str
        The two quarters compared.

    Returns
    -------
    DataFrame
        One row per account present in either quarter (indexed by account, the largest
        fall first): ``status``, ``revenue_before``, ``revenue_after``, ``revenue_change``,
        the :data:`REVENUE_EFFECTS`, ``profit_before``, ``profit_after``,
        ``profit_change``, ``margin_before``, ``margin_after`` (the account's own, %),
        ``share_before``, ``share_after`` and the :data:`MARGIN_EFFECTS` (points of the
        whole ledger's margin). ``attrs``: ``before``, ``after``.
    """
    require_columns(
        ledger, [account, "quarter", "revenue", "gross_margin_pct"], where="account_bridge"
    )
    parts = {}
    for side, quarter in (("before", before), ("after", after)):
        rows = ledger.loc[ledger["quarter"] == quarter]
        volume = rows["volume"] if "volume" in rows else pd.Series(np.nan, index=rows.index)
        grouped = (
            pd.DataFrame(
                {
                    "account": rows[account].astype(str),
                    "revenue": rows["revenue"].astype(float),
                    "profit": rows["revenue"].astype(float) * rows["gross_margin_pct"] / 100,
                    "volume": volume.astype(float),
                }
            )
            .groupby("account", sort=True)
            .sum(min_count=1)
        )
        parts[side] = grouped
    out = (
        parts["before"].add_suffix("_before").join(parts["after"].add_suffix("_after"), how="outer")
    )
    out.index.name = account
    r0 = out["revenue_before"].fillna(0.0)
    r1 = out["revenue_after"].fillna(0.0)
    g0, g1 = out["profit_before"].fillna(0.0), out["profit_after"].fillna(0.0)
    v0, v1 = out["volume_before"], out["volume_after"]
    status = np.where(r0 == 0, "new", np.where(r1 == 0, "lost", "continuing"))
    status = np.where((r0 == 0) & (r1 == 0), "none", status)
    cont = status == "continuing"
    split = cont & (v0 > 0).to_numpy() & (v1 > 0).to_numpy()
    p0 = (r0 / v0).where(split, 0.0)
    p1 = (r1 / v1).where(split, 0.0)
    change = r1 - r0
    volume = ((v1 - v0) * p0).where(split, 0.0)
    frame = pd.DataFrame(
        {
            "status": status,
            "revenue_before": r0,
            "revenue_after": r1,
            "revenue_change": change,
            "volume": volume,
            "price": (change - volume).where(split, 0.0),  # = (p1 - p0) x v1, exactly the rest
            "new": r1.where(status == "new", 0.0),
            "lost": (-r0).where(status == "lost", 0.0),
            "other": change.where(cont & ~split, 0.0),
            "profit_before": g0,
            "profit_after": g1,
            "profit_change": g1 - g0,
        },
        index=out.index,
    )
    del p1  # the price effect is the rest of the change: (p1 - p0) x v1 up to rounding
    m0 = (g0 / r0.where(r0 != 0)) * 100
    m1 = (g1 / r1.where(r1 != 0)) * 100
    m0, m1 = m0.fillna(m1), m1.fillna(m0)
    total0, total1 = r0.sum(), r1.sum()
    s0 = r0 / total0 if total0 else r0 * 0.0
    s1 = r1 / total1 if total1 else r1 * 0.0
    big_m0 = g0.sum() / total0 * 100 if total0 else 0.0
    frame = frame.assign(
        margin_before=m0,
        margin_after=m1,
        share_before=s0,
        share_after=s1,
        mix=((s1 - s0) * (m0.fillna(0.0) - big_m0)),
        rate=(s1 * (m1 - m0).fillna(0.0)),
    )
    frame = frame.loc[frame["status"] != "none"].sort_values(
        ["revenue_change", "revenue_before"], ascending=[True, False], kind="stable"
    )
    frame.attrs = {"before": before, "after": after}
    return frame


def bridge_totals(bridge: pd.DataFrame) -> dict[str, float]:
    """Sum a bridge: the revenue and profit changes, each effect, the margin change.

    Returns
    -------
    dict
        ``revenue_before``, ``revenue_after``, ``revenue_change``, the
        :data:`REVENUE_EFFECTS`, ``profit_change``, ``margin_before``, ``margin_after``,
        ``margin_change`` (points; NaN without revenue on a side) and the
        :data:`MARGIN_EFFECTS`; ``n_new``, ``n_lost``.
    """
    sums = bridge[
        ["revenue_before", "revenue_after", "revenue_change", *REVENUE_EFFECTS, "profit_change"]
    ].sum()
    out = {k: float(v) for k, v in sums.items()}
    r0, r1 = out["revenue_before"], out["revenue_after"]
    m0 = bridge["profit_before"].sum() / r0 * 100 if r0 else np.nan
    m1 = bridge["profit_after"].sum() / r1 * 100 if r1 else np.nan
    out |= {"margin_before": float(m0), "margin_after": float(m1), "margin_change": float(m1 - m0)}
    out |= {k: float(bridge[k].sum()) for k in MARGIN_EFFECTS}
    out |= {f"n_{s}": float((bridge["status"] == s).sum()) for s in ("new", "lost")}
    return out


def explain(
    contributions: pd.Series, *, share: float = EXPLAINED, most: int = MOST_NAMED
) -> pd.Series:
    """Return the fewest accounts that explain ``share`` of a change, with their shares of it.

    The accounts that moved the same way as the total, largest first, until their sum
    reaches ``share`` of the total (at most ``most`` accounts). Empty when the total is 0.

    Examples
    --------
    >>> explain(pd.Series({"A": -60.0, "B": -30.0, "C": 10.0}))
    A    0.75
    dtype: float64
    """
    total = float(contributions.sum())
    if total == 0 or not np.isfinite(total):
        return contributions.iloc[:0].astype(float)
    same = contributions.loc[np.sign(contributions) == np.sign(total)]
    same = same.reindex(same.abs().sort_values(ascending=False, kind="stable").index)
    shares = same / total
    reached = int(np.searchsorted(shares.cumsum().to_numpy(), share) + 1)
    return shares.iloc[: min(reached, most)]
