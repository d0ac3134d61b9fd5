"""Where a BU's change comes from: the bridges of :mod:`kamanalysis.tools.bridge` on its ledger.

:func:`revenue_bridge` compares a quarter with a year ago (``window="yoy"``) or with the
quarter before (``"qoq"``), one row per account with its name. :func:`bridge_facts`
turns both bridges into the facts the findings rules quote: the few accounts that explain
most of the revenue and gross-profit change (named, with their shares), the volume, price,
new and lost parts, the margin's mix and rate, and the BU's largest key account when it
shrinks.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> f = bridge_facts(eng, "IC", "2026Q3")
>>> f["rev_explained_n_yoy"], f["revenue_change_yoy_m"] < 0
(4.0, True)
>>> f["rev_explained_yoy"].split(", ")[:2]
['Nanhai Shipyard 南海船厂 (IC001) 22%', 'Beifang Rail Vehicles 北方轨道车辆 (IC002) 12%']
"""

from __future__ import annotations

import pandas as pd

from ..base.quarters import shift_quarter
from ..data.engagement import Engagement
from ..tools.bridge import REVENUE_EFFECTS, account_bridge, bridge_totals, explain
from ._common import _for_bu

#: The comparisons a bridge makes: the quarters back.
WINDOWS = {"yoy": 4, "qoq": 1}
#: A key account shrinks, for the findings, when its revenue falls at least this much on a year.
SHRINK = -0.05


def revenue_bridge(eng: Engagement, bu_id: str, quarter: str, window: str = "yoy") -> pd.DataFrame:
    """Return the account bridge of a BU between ``quarter`` and a year (or a quarter) before.

    Returns
    -------
    DataFrame
        :func:`kamanalysis.tools.bridge.account_bridge` with the accounts' ``name``; empty
        when the earlier quarter has no sales (before the data start).
    """
    before = shift_quarter(quarter, -WINDOWS[window])
    ledger = _for_bu(eng, bu_id).account_quarters
    if not (ledger["quarter"] == before).any() or not (ledger["quarter"] == quarter).any():
        return pd.DataFrame()
    bridge = account_bridge(ledger, before, quarter)
    names = eng.accounts.set_index("account_id")["name"].astype(str)
    return bridge.assign(
        name=names.reindex(bridge.index).fillna(pd.Series(bridge.index, bridge.index))
    )


def named(bridge: pd.DataFrame, shares: pd.Series) -> str:
    """Name accounts with their code in brackets and their share of the change.

    Examples
    --------
    >>> b = pd.DataFrame({"name": ["Acme"]}, index=["A1"])
    >>> named(b, pd.Series({"A1": 0.456}))
    'Acme (A1) 46%'
    """
    return ", ".join(f"{bridge.loc[a, 'name']} ({a}) {s:.0%}" for a, s in shares.items())


def bridge_facts(eng: Engagement, bu_id: str, quarter: str, tiers: pd.Series | None = None) -> dict:
    """Gather the bridges' facts of a BU in a quarter: on a year (``_yoy``), a quarter (``_qoq``).

    Parameters
    ----------
    tiers : Series, optional
        The accounts' tiers (account id -> tier), for the largest key account.

    Returns
    -------
    dict
        For each window with data: ``revenue_change_<w>_m`` and ``gp_change_<w>_m``
        (millions), ``rev_explained_<w>`` (the accounts that explain most of the revenue
        change, named with their shares), ``rev_explained_n_<w>``,
        ``rev_explained_share_<w>``, the same for gross profit (``gp_explained_...``),
        ``volume_<w>_m``, ``price_<w>_m``, ``new_<w>_m``, ``lost_<w>_m``, ``other_<w>_m``,
        ``n_new_<w>``, ``n_lost_<w>``, ``mix_<w>`` and ``rate_<w>`` (margin points),
        ``margin_cost_<w>_m`` (the gross profit the margin's change costs, in millions),
        ``rate_top_<w>`` and ``rate_top_effect_<w>`` (the account whose own margin moved the
        BU's most). With ``tiers``: ``largest_key_account`` (``largest_key_id`` its code)
        and its revenue change on a
        year, ``largest_key_change_yoy`` (a fraction) and ``largest_key_change_yoy_m``.
    """
    facts: dict = {}
    for window in WINDOWS:
        bridge = revenue_bridge(eng, bu_id, quarter, window)
        if bridge.empty:
            continue
        totals = bridge_totals(bridge)
        facts[f"revenue_change_{window}_m"] = totals["revenue_change"] / 1e6
        facts[f"gp_change_{window}_m"] = totals["profit_change"] / 1e6
        for fact, column in (("rev", "revenue_change"), ("gp", "profit_change")):
            shares = explain(bridge[column])
            if len(shares):
                facts[f"{fact}_explained_{window}"] = named(bridge, shares)
                facts[f"{fact}_explained_n_{window}"] = float(len(shares))
                facts[f"{fact}_explained_share_{window}"] = float(shares.sum())
        for effect in REVENUE_EFFECTS:
            facts[f"{effect}_{window}_m"] = totals[effect] / 1e6
        facts[f"n_new_{window}"], facts[f"n_lost_{window}"] = totals["n_new"], totals["n_lost"]
        facts[f"mix_{window}"], facts[f"rate_{window}"] = totals["mix"], totals["rate"]
        # the gross profit the margin's change costs (or brings) on this quarter's revenue
        facts[f"margin_cost_{window}_m"] = (
            totals["margin_change"] / 100 * totals["revenue_after"] / 1e6
        )
        rate = bridge["rate"]
        if len(rate) and rate.abs().max() > 0:
            top = rate.abs().idxmax() if totals["rate"] == 0 else explain(rate, most=1).index
            top = top if isinstance(top, str) else top[0]
            facts[f"rate_top_{window}"] = f"{bridge.loc[top, 'name']} ({top})"
            facts[f"rate_top_effect_{window}"] = float(rate[top])
        if window == "yoy" and tiers is not None:
            key = bridge.loc[bridge.index.isin(tiers.index[tiers == "key"])]
            key = key.loc[key["revenue_after"] > 0]
            if len(key):
                largest = key["revenue_after"].idxmax()
                before = key.loc[largest, "revenue_before"]
                facts["largest_key_account"] = f"{key.loc[largest, 'name']} ({largest})"
                facts["largest_key_id"] = str(largest)
                if before > 0:
                    after = key.loc[largest, "revenue_after"]
                    facts["largest_key_change_yoy"] = float(after / before - 1)
                    facts["largest_key_change_yoy_m"] = float(after - before) / 1e6
    return facts
