"""The backtest page (回测): how well the account scores of past quarters predicted.

:func:`backtest_html` lays out :func:`kamanalysis.diagnosis.backtest.score_backtest` as a
self-contained HTML page in the style of the account plan (``kam backtest DATA``): the
rank correlations of the criteria score and of health with later growth, the churn AUC of
health and the precision of the "at risk" flag, the median later growth of each tier, each
criterion and signal alone, and the weights that would have ranked the growth best (a
suggestion, with its in-sample caveat); or "not assessed" with the counts when the data hold
too little history. :func:`backtest_lines`, :func:`backtest_tables` and
:func:`plot_backtest` are shared with the report's section
(:mod:`kamanalysis.report.backtest_section`). Every text comes from the catalogue.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> page = backtest_html(eng, lang="zh")
>>> "回测" in page and "斯皮尔曼" in page
True
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..base.i18n import label, text
from ..core.fonts import use_cjk_font
from ..data.engagement import Engagement
from ..diagnosis.backtest import Backtest, score_backtest
from ..diagnosis.summary import HEALTH_AT_RISK
from ..tools.backtest import CHURN_DROP
from .display import image_tag
from .plan_parts import esc, table_html
from .plans import _STYLE

#: Score quintiles the chart groups the criteria score into.
QUINTILES = 5


def _number(value: float, digits: int = 2) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _percent(value: float) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.0%}"


def backtest_lines(bt: Backtest, lang: str) -> list[str]:
    """Say the backtest in sentences: what was compared, churn, AUC, the flag, the best predictor.

    When the backtest was not assessed, one sentence: "Not assessed." and why, with the counts.
    """
    if not bt.enough:
        return [text("backtest.not_assessed", lang, note=bt.note)]
    obs = bt.observations
    lines = [
        text(
            "backtest.intro",
            lang,
            first=bt.quarters[0],
            last=bt.quarters[-1],
            horizon=bt.horizon,
            n=f"{len(obs):,}",
            accounts=f"{obs['account_id'].nunique():,}",
        ),
        text("backtest.churn_definition", lang, horizon=bt.horizon, drop=f"{CHURN_DROP:.0%}"),
    ]
    if math.isfinite(bt.auc):
        lines.append(
            text("backtest.auc", lang, auc=_number(bt.auc), churned=bt.churned, n=f"{len(obs):,}")
        )
    else:
        lines.append(bt.auc_note)
    if bt.at_risk_flagged:
        share = _percent(bt.at_risk_precision)
        lines.append(
            text(
                "backtest.precision",
                lang,
                cut=HEALTH_AT_RISK,
                flagged=bt.at_risk_flagged,
                share=share,
            )
        )
    else:
        lines.append(text("backtest.precision_none", lang, cut=HEALTH_AT_RISK))
    best = bt.predictors.dropna(subset=["oriented"])
    if len(best):
        top = best.iloc[0]
        name = label(
            top["predictor"], lang, kind="criterion" if top["kind"] == "criterion" else "signals"
        )
        lines.append(text("backtest.best", lang, name=name, rho=_number(top["oriented"])))
    return lines


def weights_caveat(bt: Backtest, lang: str) -> str:
    """Return the in-sample caveat of the suggested weights, with both Spearman figures."""
    now = bt.correlations.set_index(["score", "outcome"])["spearman"]
    current = now.get(("criteria_score", "revenue_growth"), float("nan"))
    return text("backtest.weights_caveat", lang, fit=_number(bt.fit_spearman), now=_number(current))


def backtest_tables(bt: Backtest, lang: str) -> dict[str, pd.DataFrame]:
    """Return the backtest's tables as the page and the report show them (words in ``lang``).

    ``correlations``, ``tiers``, ``predictors`` and ``weights``; numbers rounded for reading.
    """

    def word(value: str) -> str:
        return label(value, lang, kind="backtest")

    corr = bt.correlations.assign(
        score=bt.correlations["score"].map(word),
        outcome=bt.correlations["outcome"].map(word),
        spearman=bt.correlations["spearman"].round(3),
        p_value=bt.correlations["p_value"].map(lambda p: float(f"{p:.2g}") if p == p else p),
    )
    tiers = bt.tiers.assign(
        tier=bt.tiers["tier"].map(lambda t: label(t, lang)),
        median_growth=bt.tiers["median_growth"].map(_percent),
    )
    pred = bt.predictors
    predictors = pd.DataFrame(
        {
            "predictor": [
                label(p, lang, kind="criterion" if k == "criterion" else "signals")
                for p, k in zip(pred["predictor"], pred["kind"], strict=True)
            ],
            "kind": pred["kind"].map(word),
            "spearman": pred["spearman"].round(3),
            "oriented": pred["oriented"].round(3),
            "n": pred["n"],
        }
    )
    weights = bt.weights.assign(
        criterion=bt.weights["criterion"].map(lambda c: label(c, lang, kind="criterion")),
        current=bt.weights["current"].round(3),
        suggested=bt.weights["suggested"].round(3),
    )
    return {"correlations": corr, "tiers": tiers, "predictors": predictors, "weights": weights}


def plot_backtest(bt: Backtest, *, lang: str = "en"):
    """Median later revenue growth by criteria-score quintile (left) and by tier (right).

    Returns the figure (the caller shows or embeds it).
    """
    use_cjk_font()
    obs = bt.observations.dropna(subset=["criteria_score", "revenue_growth"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    ranks = obs["criteria_score"].rank(method="first")
    bins = min(QUINTILES, len(obs)) or 1
    quintile = pd.qcut(ranks, bins, labels=False) + 1 if len(obs) else ranks
    by_q = obs.groupby(quintile)["revenue_growth"].median() * 100
    left.bar(by_q.index.astype(int), by_q.to_numpy(), color="#1F4E79")
    left.set_xlabel(text("backtest.quintile", lang))
    left.set_ylabel(text("backtest.growth_axis", lang))
    left.axhline(0, color="#888", linewidth=0.8)
    tiers = bt.tiers
    right.bar(  # two-word tier names on two lines: they do not run into each other
        [label(t, lang).replace(" ", "\n", 1) for t in tiers["tier"]],
        (tiers["median_growth"] * 100).fillna(0).to_numpy(),
        color=["#1F4E79", "#2E75B6", "#9DC3E6", "#BFBFBF"][: len(tiers)],
    )
    right.set_ylabel(text("backtest.growth_axis", lang))
    right.axhline(0, color="#888", linewidth=0.8)
    right.tick_params(axis="x", labelsize=8)
    fig.suptitle(text("backtest.chart", lang), fontsize=11)
    return fig


def backtest_html(eng: Engagement, *, horizon: int = 4, lang: str | None = None) -> str:
    """Return the backtest of ``eng`` as a self-contained HTML page in ``lang``."""
    lang = lang or eng.language
    bt = score_backtest(eng, horizon=horizon, lang=lang)
    title = text("backtest.title", lang, engagement=eng.name)
    parts = [f"<h1>{esc(title)}</h1>"]
    parts += [f"<p>{esc(line)}</p>" for line in backtest_lines(bt, lang)]
    if bt.enough:
        tables = backtest_tables(bt, lang)
        parts.append(f"<h2>{esc(text('backtest.correlations', lang))}</h2>")
        parts.append(
            table_html(
                tables["correlations"], ("score", "outcome", "spearman", "p_value", "n"), lang
            )
        )
        parts.append(f'<p class="note">{esc(text("backtest.pvalue_caveat", lang))}</p>')
        with plt.rc_context({"text.parse_math": False}):
            parts.append(image_tag(plot_backtest(bt, lang=lang), text("backtest.chart", lang)))
        parts.append(f"<h2>{esc(text('backtest.tiers', lang))}</h2>")
        parts.append(table_html(tables["tiers"], ("tier", "median_growth", "n"), lang))
        parts.append(f"<h2>{esc(text('backtest.predictors', lang))}</h2>")
        parts.append(
            table_html(
                tables["predictors"], ("predictor", "kind", "spearman", "oriented", "n"), lang
            )
        )
        parts.append(f"<h2>{esc(text('backtest.weights', lang))}</h2>")
        parts.append(table_html(tables["weights"], ("criterion", "current", "suggested"), lang))
        parts.append(f'<p class="note">{esc(weights_caveat(bt, lang))}</p>')
    parts.append(f'<p class="note">{esc(text("backtest.footer", lang, engagement=eng.name))}</p>')
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def write_backtest(
    eng: Engagement, path: str | Path, *, horizon: int = 4, lang: str | None = None
) -> Path:
    """Write the backtest page of ``eng`` to ``path`` (UTF-8 HTML); return the path."""
    path = Path(path)
    path.write_text(backtest_html(eng, horizon=horizon, lang=lang), encoding="utf-8")
    return path
