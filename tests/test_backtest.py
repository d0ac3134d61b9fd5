"""The backtest (issue 24): the account scores of past quarters against what happened next."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import kamanalysis as kam
from kamanalysis.base.errors import InputValidationError, KamAnalysisError
from kamanalysis.cli import main
from kamanalysis.data.engagement import Engagement
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder
from kamanalysis.tools import backtest as tool

ENGAGEMENT = "huaxin-industrial-group-key-account-marketing-diagnosis"
COLUMNS = ["score", "outcome", "spearman", "p_value", "n"]


# ---------------------------------------------------------------- the figures


def test_the_result_has_the_public_shape(sample_bt):
    assert list(sample_bt.correlations.columns) == COLUMNS
    assert sample_bt.correlations[["score", "outcome"]].values.tolist() == [
        ["criteria_score", "revenue_growth"],
        ["criteria_score", "gross_profit_growth"],
        ["health", "revenue_growth"],
        ["health", "gross_profit_growth"],
    ]
    assert sample_bt.enough and sample_bt.quarters == ["2024Q4", "2025Q1", "2025Q2", "2025Q3"]
    assert (sample_bt.n_quarters, sample_bt.n_accounts) == (8, 155)


def test_the_correlations_match_a_direct_scipy_computation(sample_bt):
    obs = sample_bt.observations
    for row in sample_bt.correlations.itertuples():
        both = obs[[row.score, row.outcome]].dropna()
        direct = stats.spearmanr(both[row.score], both[row.outcome])
        assert row.n == len(both) > 500
        assert row.spearman == pytest.approx(direct.statistic, abs=1e-12)
        assert row.p_value == pytest.approx(direct.pvalue, rel=1e-9)


def test_the_observations_are_the_scores_as_known_then_and_the_ledger_later(sample, sample_bt):
    """One quarter and BU recomputed by hand: the as-of scores, and growth from the raw rows."""
    then = sample.as_of("2025Q1")
    criteria = kam.diagnosis.key_account_criteria(then, "PV", "2025Q1")["score"]
    health = kam.diagnosis.account_health(then, "PV", "2025Q1")["health"]
    obs = sample_bt.observations.query("bu_id == 'PV' and quarter == '2025Q1'").set_index(
        "account_id"
    )
    assert (obs["later"] == "2026Q1").all()
    pd.testing.assert_series_equal(
        obs["criteria_score"], criteria.reindex(obs.index), check_names=False
    )
    pd.testing.assert_series_equal(obs["health"], health.reindex(obs.index), check_names=False)
    ledger = sample.account_quarters.query("bu_id == 'PV'").set_index(["account_id", "quarter"])
    revenue = ledger["revenue"]
    for account in obs.index[:10]:
        later = revenue.get((account, "2026Q1"), 0.0)
        assert obs.loc[account, "revenue_growth"] == pytest.approx(
            later / revenue[(account, "2025Q1")] - 1
        )


def test_the_auc_matches_a_count_over_every_pair(shuffled_bts):
    shuffled_bt = shuffled_bts[0]
    obs = shuffled_bt.observations.dropna(subset=["health"])
    left = obs.loc[obs["churned"], "health"].to_numpy()
    stayed = obs.loc[~obs["churned"], "health"].to_numpy()
    assert len(left) > 50
    diff = stayed[:, None] - left[None, :]  # a churned account scored lower: a correct pair
    direct = ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size
    assert shuffled_bt.auc == pytest.approx(direct, abs=1e-12)


def test_no_churn_gives_nan_with_a_note(sample_bt):
    """Without an account that left or halved the AUC is NaN and says so; else a number."""
    assert sample_bt.churned == int(sample_bt.observations["churned"].sum())
    if sample_bt.churned == 0:
        assert np.isnan(sample_bt.auc) and "not available" in sample_bt.auc_note
    else:
        assert 0 <= sample_bt.auc <= 1 and sample_bt.auc_note == ""


def test_tiers_predictors_and_weights(sample_bt):
    assert sample_bt.tiers["tier"].tolist() == ["key", "develop", "maintain", "opportunistic"]
    assert sample_bt.tiers["n"].sum() == sample_bt.observations["tier"].notna().sum()
    key = sample_bt.observations.query("tier == 'key'")["revenue_growth"]
    assert sample_bt.tiers.loc[0, "median_growth"] == pytest.approx(key.median())
    assert sample_bt.predictors["oriented"].is_monotonic_decreasing
    assert {"criterion", "signal"} == set(sample_bt.predictors["kind"])
    w = sample_bt.weights
    assert (w["suggested"] >= 0).all() and w["suggested"].sum() == pytest.approx(1.0)
    # only criteria the data rate: the sample's blank influence is not suggested a weight
    assert "influence" not in set(w["criterion"])
    # in sample, the fit ranks at least as well as the current weights do
    current = sample_bt.correlations.iloc[0]["spearman"]
    assert sample_bt.fit_spearman >= current - 1e-9


# ---------------------------------------------------------------- shuffled history


@pytest.mark.parametrize("seed", [0, 1])
def test_shuffled_history_shows_no_signal(shuffled_bts, seed):
    bt = shuffled_bts[seed]
    rho = bt.correlations.set_index(["score", "outcome"]).loc[
        ("criteria_score", "revenue_growth"), "spearman"
    ]
    assert abs(rho) < 0.15
    assert bt.churned > 50
    assert 0.4 <= bt.auc <= 0.6


# ---------------------------------------------------------------- not enough history


def test_fewer_than_eight_quarters_is_not_enough_history(sample):
    bt = kam.backtest.score_backtest(sample.as_of("2026Q2"))
    assert not bt.enough and (bt.n_quarters, bt.n_accounts) == (7, 155)
    assert bt.note.startswith("Not enough history")
    assert "7 quarters" in bt.note and "155 accounts" in bt.note
    assert bt.correlations.empty and list(bt.correlations.columns) == COLUMNS
    assert np.isnan(bt.auc)


def test_fewer_than_20_accounts_is_not_enough_history(sample):
    few = sorted(sample.account_quarters["account_id"].unique())[:19]
    tables = {
        name: frame.loc[frame["account_id"].isin(few)] if "account_id" in frame else frame
        for name, frame in sample.tables.items()
    }
    bt = kam.backtest.score_backtest(Engagement(sample.settings, tables, sample.source))
    assert not bt.enough and bt.n_accounts == 19
    assert "8 quarters" in bt.note and "19 accounts (at least 20)" in bt.note


def test_the_command_says_not_enough_history_and_exits_0(tmp_path, capsys):
    settings, tables = generate(n_accounts=30, first_quarter="2025Q1", last_quarter="2026Q3")
    data = write_folder(settings, tables, tmp_path / "short")
    out = tmp_path / "bt.html"
    assert main(["backtest", str(data), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Not enough history to backtest: 7 quarters" in said and "30 accounts" in said
    page = out.read_text(encoding="utf-8")
    assert "Not assessed. Not enough history" in page and "7 quarters" in page
    assert main(["backtest", str(data), "--lang", "zh", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "未评估。历史数据不足" in page and "7 个季度" in page


# ---------------------------------------------------------------- a bad horizon


@pytest.mark.parametrize("horizon", [0, -1, 2.5, "4", True, None])
def test_a_bad_horizon_is_an_input_error(sample, horizon):
    with pytest.raises(InputValidationError) as err:
        kam.backtest.score_backtest(sample, horizon=horizon)
    assert isinstance(err.value, KamAnalysisError) and isinstance(err.value, ValueError)
    assert "--horizon: expected a whole number of quarters >= 1, got" in str(err.value)


def test_a_horizon_as_long_as_the_data_is_refused(sample):
    with pytest.raises(InputValidationError, match="at most 7"):
        kam.backtest.score_backtest(sample, horizon=8)


def test_the_command_refuses_a_bad_horizon(tmp_path, capsys):
    out = tmp_path / "bt.html"
    code = main(["backtest", str(kam.paths.SAMPLE_DATA), "--horizon", "0", "--out", str(out)])
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "kam backtest:" in err and "--horizon: expected a whole number of quarters >= 1" in err


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Rank correlation (Spearman)", "Median later revenue growth by tier", "<img"]),
        ("zh", ["评分与后续增长的秩相关", "各客户层级后续收入增长的中位数", "<img"]),
    ],
)
def test_the_command_writes_the_page(tmp_path, capsys, lang, words, no_chart_images):
    # the chart is drawn and its <img> written; its PNG is left out (a page of texts and tables)
    out = tmp_path / f"{lang}.html"
    assert main(["backtest", str(kam.paths.SAMPLE_DATA), "--lang", lang, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page
    if lang == "zh":  # the labels are Chinese: no English table header or section heading
        for english in ("later revenue growth", "criteria score", "suggested weight"):
            assert english not in page


# ---------------------------------------------------------------- the tool's functions


def test_churn_is_leaving_or_falling_by_more_than_half():
    ledger = pd.DataFrame(
        {
            "account_id": ["half", "half", "more", "more", "gone"],
            "quarter": ["2025Q1", "2026Q1", "2025Q1", "2026Q1", "2025Q1"],
            "revenue": [100.0, 50.0, 100.0, 49.0, 10.0],
            "gross_margin_pct": [10.0] * 5,
        }
    )
    out = tool.later_outcomes(ledger, quarter="2025Q1", later="2026Q1")
    assert out["churned"].to_dict() == {"gone": True, "half": False, "more": True}


@pytest.mark.parametrize("seed", range(5))
def test_churn_auc_is_the_share_of_correctly_ordered_pairs(seed):
    rng = np.random.default_rng(seed)
    score = pd.Series(rng.integers(0, 6, 40).astype(float))  # many ties
    churned = pd.Series(rng.random(40) < 0.3)
    pairs = [
        1.0 if s > c else 0.5 if s == c else 0.0
        for s, c in itertools.product(score[~churned], score[churned])
    ]
    assert tool.churn_auc(score, churned) == pytest.approx(np.mean(pairs))
    assert tool.churn_auc(-score, churned) == pytest.approx(1 - np.mean(pairs))


def test_fit_weights_stays_on_the_simplex_and_finds_the_signal():
    rng = np.random.default_rng(3)
    ratings = pd.DataFrame(rng.integers(1, 6, size=(300, 4)).astype(float), columns=list("abcd"))
    growth = 0.7 * ratings["c"] + 0.3 * ratings["a"] + rng.normal(0, 0.3, 300)
    w = tool.fit_weights(ratings, growth, start={"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25})
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    assert w.idxmax() == "c" and w["b"] < 0.05 and w["d"] < 0.05
    direct = stats.spearmanr(ratings.to_numpy() @ w.to_numpy(), growth).statistic
    assert w.attrs["spearman"] == pytest.approx(direct)


def test_the_tool_does_not_change_its_input():
    obs = pd.DataFrame({"s": [3.0, 1.0, 2.0], "g": [0.1, -0.2, np.nan], "tier": ["key"] * 3})
    before = obs.copy()
    tool.rank_correlations(obs, scores=["s"], outcomes=["g"])
    tool.tier_growth(obs, outcome="g")
    tool.predictor_correlations(obs, criteria=["s"], outcome="g")
    pd.testing.assert_frame_equal(obs, before)


# ---------------------------------------------------------------- the report's part


def test_the_report_part_says_how_well_last_year_predicted(sample, sample_diagnosis):
    from IPython.display import HTML, Markdown

    from kamanalysis.report.backtest_section import backtest_parts
    from kamanalysis.report.sections import Report

    facts, found = sample_diagnosis("PV")
    report = Report(sample, "PV", facts, found, lang="zh")
    parts = list(backtest_parts(report))
    assert parts[0].data == "### 去年的诊断预测得如何"
    assert "从 2024Q4 到 2025Q3 的每个季度" in parts[1].data
    # the body says it in words and links the figures, which are in the appendix (issue 20)
    assert [type(p).__name__ for p in parts] == ["Markdown", "Markdown", "Markdown"]
    assert "相关数据与图表见" in parts[2].data and 'href="#kam-A' in parts[2].data
    (entry,) = report.appendix.entries
    items = entry.items
    assert [type(p).__name__ for p in items] == ["Styler", "Markdown", "HTML", "Markdown"]
    table = items[0].data
    pv = kam.backtest.score_backtest(sample.for_bu("PV"))
    assert table["spearman"].tolist() == pv.correlations["spearman"].round(3).tolist()
    assert isinstance(items[2], HTML) and "<img" in items[2].data
    assert isinstance(items[3], Markdown) and "样本内" in items[3].data


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "How well last year&#x27;s diagnosis predicted"), ("zh", "去年的诊断预测得如何")],
)
def test_the_reports_show_the_backtest(sample_reports, lang, heading):
    folder = sample_reports[lang].out / ENGAGEMENT / "2026Q3"
    for bu in ("PV", "IC", "MC"):
        html = (folder / f"{bu}.html").read_text(encoding="utf-8")
        assert heading in html or heading.replace("&#x27;", "'") in html
