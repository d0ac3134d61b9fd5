"""The data overview on small literal frames: sums, growth, ties, zero bases."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.schema import default_settings
from kamanalysis.data.engagement import Engagement


@pytest.fixture
def tiny():
    settings = default_settings()
    settings["engagement"].update(name="t", current_quarter="2025Q1")
    aq = pd.DataFrame(
        {
            "bu_id": ["A", "A", "A", "A", "B"],
            "account_id": ["a1", "a2", "a1", "a2", "b1"],
            "quarter": ["2024Q4", "2024Q4", "2025Q1", "2025Q1", "2025Q1"],
            "revenue": [100.0, 0.0, 150.0, 150.0, 50.0],
            "gross_margin_pct": [20.0, 10.0, 30.0, 10.0, 40.0],
            "volume": [1.0, 0.0, 1.0, 1.0, 1.0],
            "category_spend": [200.0, 100.0, 300.0, 150.0, 0.0],
            "payment_days": [30.0, 60.0, 30.0, 90.0, 45.0],
        }
    )
    accounts = pd.DataFrame(
        {"account_id": ["a1", "a2", "b1"], "bu_id": ["A", "A", "B"], "name": ["甲", "乙", "丙"]}
    )
    units = pd.DataFrame({"bu_id": ["A", "B"], "name": ["Alpha", "Beta"]})
    return Engagement(
        settings, {"account_quarters": aq, "accounts": accounts, "business_units": units}
    )


def test_revenue_by_quarter_sums_and_weights_margin(tiny):
    t = kam.revenue_by_quarter(tiny.for_bu("A"))
    assert t.index.tolist() == ["2024Q4", "2025Q1"]
    assert t["revenue"].tolist() == [100.0, 300.0]
    assert t.loc["2025Q1", "gross_margin_pct"] == pytest.approx(20.0)  # (150*30 + 150*10) / 300
    assert t.loc["2025Q1", "growth_qoq"] == pytest.approx(2.0)
    assert math.isnan(t.loc["2024Q4", "growth_qoq"])  # no earlier quarter
    assert math.isnan(t.loc["2025Q1", "growth_yoy"])


def test_zero_base_gives_nan_not_inf(tiny):
    aq = tiny.account_quarters.copy()
    aq.loc[0, "revenue"] = 0.0
    t = kam.revenue_by_quarter(Engagement(tiny.settings, tiny.tables | {"account_quarters": aq}))
    assert math.isnan(t.loc["2025Q1", "growth_qoq"])
    assert math.isnan(t.loc["2024Q4", "gross_margin_pct"])


def test_top_accounts_orders_ties_by_file_order_and_guards_zero_spend(tiny):
    before = tiny.account_quarters.copy()
    top = kam.top_accounts(tiny, n=3)
    assert top["account_id"].tolist() == ["a1", "a2", "b1"]  # a1 and a2 tie at 150
    assert top["name"].tolist() == ["甲", "乙", "丙"]
    assert top["share_of_wallet"].iloc[0] == pytest.approx(0.5)
    assert math.isnan(top["share_of_wallet"].iloc[2])  # category_spend 0
    assert top["revenue_share"].sum() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(tiny.account_quarters, before)


def test_bu_summary(tiny):
    s = kam.bu_summary(tiny)
    assert s.loc["A", "revenue"] == 300.0 and s.loc["B", "accounts"] == 1
    assert s.loc["A", "top5_share"] == pytest.approx(1.0)


def test_plot_draws_on_the_given_axes(tiny):
    fig, ax = plt.subplots()
    out = kam.plot_revenue_by_quarter(kam.revenue_by_quarter(tiny), ax=ax, currency="CNY")
    assert out is ax
    assert [p.get_height() for p in ax.patches] == pytest.approx([100e-6, 350e-6])
    assert ax.get_title() == "Revenue and gross margin by quarter"
    plt.close(fig)
