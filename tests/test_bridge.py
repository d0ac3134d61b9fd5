"""Issue 18: the bridges sum exactly to the change, by account, volume/price and mix/rate."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kamanalysis.diagnosis.bridges import bridge_facts, revenue_bridge
from kamanalysis.tools.bridge import (
    MARGIN_EFFECTS,
    REVENUE_EFFECTS,
    account_bridge,
    bridge_totals,
    explain,
)


def _random_ledger(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for quarter in ("2025Q3", "2026Q3"):
        for account in rng.choice(40, size=30, replace=False):  # some new, some lost
            volume = float(rng.integers(0, 50))  # a zero volume leaves the change unsplit
            rows.append(
                {
                    "account_id": f"A{account:02d}",
                    "quarter": quarter,
                    "revenue": float(rng.uniform(1e4, 1e6)),
                    "gross_margin_pct": float(rng.uniform(-5, 45)),
                    "volume": volume if rng.random() > 0.1 else math.nan,
                }
            )
    return pd.DataFrame(rows)


def _assert_exact(bridge: pd.DataFrame) -> None:
    scale = bridge["revenue_before"].abs().max()
    parts = bridge[list(REVENUE_EFFECTS)].sum(axis=1)
    np.testing.assert_allclose(parts, bridge["revenue_change"], rtol=0, atol=scale * 1e-12)
    np.testing.assert_allclose(
        bridge["revenue_after"] - bridge["revenue_before"], bridge["revenue_change"], atol=1e-6
    )
    totals = bridge_totals(bridge)
    assert math.isclose(
        sum(totals[e] for e in REVENUE_EFFECTS), totals["revenue_change"], abs_tol=scale * 1e-9
    )
    margin = sum(totals[e] for e in MARGIN_EFFECTS)
    assert math.isclose(margin, totals["margin_change"], abs_tol=1e-9)
    assert math.isclose(
        bridge["profit_change"].sum(),
        bridge["profit_after"].sum() - bridge["profit_before"].sum(),
        rel_tol=1e-12,
    )


@pytest.mark.parametrize("seed", range(20))
def test_a_random_ledger_bridges_exactly(seed):
    ledger = _random_ledger(seed)
    bridge = account_bridge(ledger, "2025Q3", "2026Q3")
    _assert_exact(bridge)
    totals = bridge_totals(bridge)
    r0 = ledger.loc[ledger["quarter"] == "2025Q3", "revenue"].sum()
    r1 = ledger.loc[ledger["quarter"] == "2026Q3", "revenue"].sum()
    assert math.isclose(totals["revenue_change"], r1 - r0, rel_tol=1e-12)
    # a continuing account with volumes on both sides: volume x old price, new price x volume
    both = bridge.loc[(bridge["status"] == "continuing") & (bridge["other"] == 0)]
    row = both.iloc[0]
    v0 = ledger.set_index(["quarter", "account_id"]).loc[("2025Q3", row.name), "volume"]
    v1 = ledger.set_index(["quarter", "account_id"]).loc[("2026Q3", row.name), "volume"]
    p0, p1 = row["revenue_before"] / v0, row["revenue_after"] / v1
    assert math.isclose(row["volume"], (v1 - v0) * p0, rel_tol=1e-9)
    assert math.isclose(row["price"], (p1 - p0) * v1, rel_tol=1e-9, abs_tol=1e-6)
    assert set(bridge["status"]) == {"continuing", "new", "lost"}
    new = bridge.loc[bridge["status"] == "new"]
    assert (new["new"] == new["revenue_after"]).all()


def test_mix_and_rate_mean_what_they_say():
    # same margins, B grows: all mix; same shares, A's margin falls: all rate
    ledger = pd.DataFrame(
        {
            "account_id": ["A", "B", "A", "B"],
            "quarter": ["q0", "q0", "q1", "q1"],
            "revenue": [100.0, 100.0, 100.0, 300.0],
            "gross_margin_pct": [10.0, 30.0, 10.0, 30.0],
        }
    )
    totals = bridge_totals(account_bridge(ledger, "q0", "q1"))
    assert math.isclose(totals["mix"], totals["margin_change"]) and totals["rate"] == 0
    ledger.loc[2, "gross_margin_pct"], ledger.loc[3, "revenue"] = 0.0, 100.0
    totals = bridge_totals(account_bridge(ledger, "q0", "q1"))
    assert math.isclose(totals["rate"], -5.0) and math.isclose(totals["mix"], 0.0, abs_tol=1e-12)


def test_explain_names_the_fewest_accounts_moving_the_same_way():
    change = pd.Series({"A": -30.0, "B": -25.0, "C": 40.0, "D": -20.0, "E": -5.0})
    shares = explain(change)  # total -40: A 75 % reaches half
    assert shares.to_dict() == {"A": 0.75}
    assert explain(change, share=0.9).index.tolist() == ["A", "B"]
    assert explain(pd.Series({"A": 1.0, "B": -1.0})).empty


@pytest.mark.parametrize("bu", ["PV", "IC", "MC"])
@pytest.mark.parametrize("window", ["yoy", "qoq"])
def test_the_sample_bridges_sum_to_the_ledger(sample, bu, window):
    bridge = revenue_bridge(sample, bu, "2026Q3", window)
    _assert_exact(bridge)
    by_quarter = sample.for_bu(bu).account_quarters.groupby("quarter")["revenue"].sum()
    before = bridge.attrs["before"]
    assert math.isclose(
        bridge_totals(bridge)["revenue_change"],
        by_quarter["2026Q3"] - by_quarter[before],
        rel_tol=1e-12,
    )


def test_a_bridge_before_the_data_start_is_not_available(sample):
    assert revenue_bridge(sample, "PV", "2024Q4", "yoy").empty
    facts = bridge_facts(sample, "PV", "2024Q4")
    assert "rev_explained_yoy" not in facts and "revenue_change_yoy_m" not in facts


def test_ic_names_the_accounts_behind_its_fall(sample):
    from kamanalysis.report.findings import diagnose

    facts, found = diagnose(sample, "IC")
    finding = found.set_index("id").loc["revenue_fall_where", "finding"]
    # its two key accounts, and two regular accounts (the sample's ground truth, issue 24)
    assert finding.startswith("4 accounts explain 53% of the revenue fall on a year ago")
    assert (
        "Nanhai Shipyard 南海船厂 (IC001) 22%, Beifang Rail Vehicles 北方轨道车辆 (IC002) 12%"
        in finding
    )
    assert "Shengli Shipbuilding (IC037) 11%, Huaxia Machinery (IC033) 9%" in finding
    # PV grows while its largest key account shrinks; its margin falls mostly through PV002
    facts, found = diagnose(sample, "PV")
    ids = set(found["id"])
    assert {"largest_key_shrinks", "margin_mix_rate"} <= ids
    assert "Zhongyuan Steel" in facts["largest_key_account"]
    assert "(PV002)" in facts["rate_top_yoy"]
