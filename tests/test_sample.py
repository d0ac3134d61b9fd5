"""The committed sample is exactly what the seeded generator writes, and tells its story."""

from __future__ import annotations

import pandas as pd

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.data.sample import generate, write_sample


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    write_sample(tmp_path / "s")
    written = sorted(p.name for p in (tmp_path / "s").iterdir())
    committed = sorted(p.name for p in paths.SAMPLE_DATA.iterdir())
    assert written == committed
    for name in written:
        assert (tmp_path / "s" / name).read_bytes() == (paths.SAMPLE_DATA / name).read_bytes(), name


def test_sample_size(sample):
    assert len(sample.bu_ids) >= 3
    assert len(sample.accounts) >= 150
    assert sample.quarters == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    for name, frame in sample.tables.items():
        assert len(frame) > 0, name


def _series(sample, account, column, table="account_quarters"):
    frame = sample.tables[table]
    return frame.loc[frame["account_id"] == account].set_index("quarter")[column]


def test_the_squeezer_is_big_but_squeezes_price_and_pays_late(sample):
    top = kam.top_accounts(sample.for_bu("PV"), n=1)
    assert top["account_id"].iloc[0] == "PV002"
    margin = _series(sample, "PV002", "gross_margin_pct")
    days = _series(sample, "PV002", "payment_days")
    assert margin.iloc[-1] < 6 < 15 < margin.iloc[0]
    assert days.iloc[-1] > 120 > 70 > days.iloc[0]
    assert _series(sample, "PV002", "att_credit", "account_assessments").iloc[-1] == 1


def test_clear_key_accounts_score_high_on_both_axes(sample):
    a = sample.account_assessments
    now = a.loc[a["quarter"] == "2026Q3"].set_index("account_id")
    att = now.filter(like="att_").mean(axis=1)
    strength = now.filter(like="str_").mean(axis=1)
    for account in ("PV001", "PV003", "PV004", "IC001", "MC001", "MC002"):
        assert att[account] >= 3.5 and strength[account] >= 3.5, account
        assert bool(now.loc[account, "joint_planning"]), account


def test_some_accounts_migrate_between_stages(sample):
    assert _series(sample, "PV005", "contact_points", "account_assessments").iloc[0] <= 3
    assert _series(sample, "PV005", "joint_planning", "account_assessments").iloc[-1]
    falling = _series(sample, "IC003", "joint_planning", "account_assessments")
    assert falling.iloc[0] and not falling.iloc[-1]
    newcomer = _series(sample, "MC004", "revenue")
    assert newcomer.index[0] == "2025Q2" and newcomer.iloc[-1] > 3 * newcomer.iloc[0]


def test_ic_weakens(sample):
    ic = kam.revenue_by_quarter(sample.for_bu("IC"))
    assert ic["growth_yoy"].iloc[-1] < -0.05
    bm = sample.benchmark.loc[(sample.benchmark["bu_id"] == "IC")]
    self_mean = bm.loc[bm["role"] == "self"].groupby("quarter")["rating"].mean()
    leader_mean = bm.loc[bm["role"] == "leader"].groupby("quarter")["rating"].mean()
    assert self_mean.iloc[-1] < self_mean.iloc[0] - 0.5
    assert (leader_mean - self_mean).iloc[-1] > (leader_mean - self_mean).iloc[0] + 0.8


def test_generator_is_seeded_and_scales(tmp_path):
    _, t1 = generate(n_bus=2, n_accounts=40, seed=7)
    _, t2 = generate(n_bus=2, n_accounts=40, seed=7)
    _, t3 = generate(n_bus=2, n_accounts=40, seed=8)
    pd.testing.assert_frame_equal(t1["account_quarters"], t2["account_quarters"])
    assert not t1["account_quarters"]["revenue"].equals(t3["account_quarters"]["revenue"])
    big = tmp_path / "big"
    write_sample(big, n_bus=7, n_accounts=700, seed=3)
    eng = kam.load_engagement(big)
    assert len(eng.bu_ids) == 7 and len(eng.accounts) == 700
    assert eng.accounts["account_id"].is_unique
