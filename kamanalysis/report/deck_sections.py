"""The deck's section slides: one per report section, its chart and at most one short table.

Each builder takes a slide, the :class:`~kamanalysis.report.sections.Report` of the BU and
the two boxes of the slide's body (the chart's, the table's), draws a native chart from
the numbers the report's tables show (the same diagnosis functions, in the report's
units), adds one short table formatted by the report's own
:func:`~kamanalysis.report.display.styled`, and returns the lines of evidence for the
speaker notes (what the chart shows, its window and unit).

:data:`CHARTS` names, per section, the diagnosis output each chart's series carry: the
test compares them (``tests/test_deck.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import matplotlib.pyplot as plt
import pandas as pd

from .. import diagnosis
from ..base.i18n import label, money_unit, text
from ..diagnosis.overview import revenue_by_quarter
from ..tools.position import plot_ge_matrix, plot_ie_matrix
from . import deck_charts as dc
from .display import header, named_accounts, styled

#: Rows a deck's table shows at most.
TABLE_ROWS = 5
#: The bubble chart shows the accounts with most revenue (the report's chart labels 10).
BUBBLES = 40


def money(report, values: pd.Series) -> tuple[float, str]:
    """Return the divisor and the unit words of money in a chart, as the report writes money.

    English: millions of the currency (``million CNY``); Chinese: 万元 or 亿元 by the largest
    amount (:func:`kamanalysis.base.i18n.money_unit`).
    """
    currency = report.eng.currency
    if report.lang == "zh":
        largest = float(values.abs().max()) if len(values) else 0.0
        return money_unit(largest if largest == largest else 0.0, currency)
    return 1e6, text("deck.million", "en", currency=currency)


def _cells(report, frame: pd.DataFrame) -> list[list[str]]:
    shown = frame.head(TABLE_ROWS)
    return dc.table_cells(styled(shown, report.lang, currency=report.eng.currency))


def _table(slide, box, cells) -> None:
    if len(cells) > 1:
        size = 12 if len(cells[0]) <= 4 else 11
        dc.table(slide, box, cells, size=size)


def _not_assessed(report, slide, box, part: str) -> list[str]:
    tools = "、".join(text(f"tool.{t}", report.lang) for t in report.missing(part))
    line = text("summary.not_assessed", report.lang, tools=tools)
    dc.text_box(slide, box, [line], size=14, color=dc.MUTED)
    return [line]


def revenue_history(report) -> pd.DataFrame:
    """Return the overview's table: revenue, gross margin and accounts per quarter."""
    return revenue_by_quarter(report.bu)


def overview(slide, report, chart_box, table_box) -> list[str]:
    """Show revenue by quarter (line chart) and the last quarters' table."""
    lang = report.lang
    history = revenue_history(report)
    divisor, unit = money(report, history["revenue"])
    axis = text("deck.revenue_axis", lang, unit=unit)
    dc.line_chart(
        slide,
        chart_box,
        list(history.index),
        {header("revenue", lang): history["revenue"] / divisor},
        value_title=axis,
        number_format="#,##0.0",
    )
    shown = history[["revenue", "gross_margin_pct", "growth_yoy"]].iloc[::-1]
    _table(slide, table_box, _cells(report, shown))
    first, last = history.index[0], history.index[-1]
    return [text("deck.chart_window", lang, what=axis, first=first, last=last)]


def external(slide, report, chart_box, table_box) -> list[str]:
    """Show the five forces' intensity (radar) and the PEST dimensions (table)."""
    lang, notes = report.lang, []
    if report.missing("forces"):
        notes += _not_assessed(report, slide, chart_box, "forces")
    else:
        forces = diagnosis.five_forces(report.eng, report.bu_id, report.quarter).forces
        low, high = report.eng.settings["scales"]["rating"]
        dc.radar_chart(
            slide,
            chart_box,
            [label(f, lang) for f in forces.index],
            {header("intensity", lang): forces["intensity"]},
            low=low,
            high=high,
            number_format="0.0",
        )
        values = "; ".join(f"{label(f, lang)} {v:.1f}" for f, v in forces["intensity"].items())
        notes.append(text("deck.forces_notes", lang, values=values, low=low, high=high))
    if report.missing("pest"):
        notes += _not_assessed(report, slide, table_box, "pest")
    else:
        pest = diagnosis.pest(report.eng, report.bu_id, report.quarter)
        _table(slide, table_box, _cells(report, pest.dimensions))
    return notes


def position(slide, report, chart_box, table_box) -> list[str]:
    """Show the IE and GE grids (a picture: shaded cells) and their values (an editable table)."""
    if report.missing("position"):
        return _not_assessed(report, slide, chart_box, "position")
    lang = report.lang
    positions = diagnosis.strategic_position(
        report.eng, report.quarter, precomputed=report.positions
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5), layout="constrained")
    plot_ie_matrix(positions, ax=left, lang=lang)
    plot_ge_matrix(positions, ax=right, lang=lang)
    dc.picture(slide, chart_box, fig)
    columns = ["ife", "efe", "ie_cell", "attractiveness", "strength", "ge_strategy"]
    _table(slide, table_box, _cells(report, positions[columns]))
    row = positions.loc[report.bu_id]
    return [
        text(
            "deck.position_notes",
            lang,
            ife=row["ife"],
            efe=row["efe"],
            cell=row["ie_cell"],
            attractiveness=row["attractiveness"],
            strength=row["strength"],
            strategy=label(row["ge_strategy"], lang),
            quarter=report.quarter,
        )
    ]


def benchmark_series(report) -> tuple[list[str], dict[str, pd.Series]]:
    """Return the benchmark radar's axes and series: ours and the reference's."""
    bench = diagnosis.competitive_position(report.eng, report.bu_id, report.quarter).benchmark
    factors = bench.factors
    return list(factors.index), {
        bench.focal: factors["focal"],
        bench.reference: factors["reference"],
    }


def competitive(slide, report, chart_box, table_box) -> list[str]:
    """Show our ratings against the leader's on every factor (radar) and the long / short boards."""
    if report.missing("competitive"):
        return _not_assessed(report, slide, chart_box, "competitive")
    lang = report.lang
    axes, series = benchmark_series(report)
    low, high = report.eng.settings["scales"]["rating"]
    dc.radar_chart(slide, chart_box, axes, series, low=low, high=high, number_format="0.0")
    bench = diagnosis.competitive_position(report.eng, report.bu_id, report.quarter).benchmark
    boards = bench.boards[["weight", "focal", "reference", "gap", "board"]]
    _table(slide, table_box, _cells(report, boards))
    companies = bench.companies
    scores = "; ".join(
        f"{name} {row.weighted_score:.2f} ({row.index_to_leader:.0f})"
        for name, row in companies.iterrows()
    )
    return [text("deck.bench_notes", lang, scores=scores, quarter=report.quarter)]


def feedback_series(report, review=None) -> tuple[list[str], dict[str, pd.Series]]:
    """Return key accounts' mean rating per dimension, this quarter and the last."""
    if review is None:
        review = diagnosis.quarterly_review(report.eng, report.bu_id, report.quarter)
    feedback = review.feedback
    if "key_account" not in feedback.index.get_level_values(0):
        return [], {}
    rows = feedback.loc["key_account"]
    dims = [label(d, report.lang) for d in rows.index]
    series = {text("deck.this_quarter", report.lang): rows["mean"]}
    if rows["previous_mean"].notna().any():
        series = {text("deck.last_quarter", report.lang): rows["previous_mean"], **series}
    return dims, series


def review(slide, report, chart_box, table_box) -> list[str]:
    """Show key accounts' feedback per dimension (columns) and the evaluation score (table)."""
    lang = report.lang
    review = diagnosis.quarterly_review(report.eng, report.bu_id, report.quarter)
    notes = []
    dims, series = feedback_series(report, review)
    if series and not report.missing("feedback"):
        low, high = report.eng.settings["scales"]["rating"]
        chart = dc.bar_chart(slide, chart_box, dims, series, number_format="0.0", labels=True)
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = low, high
        notes.append(text("deck.feedback_notes", lang, quarter=report.quarter, low=low, high=high))
    else:
        notes += _not_assessed(report, slide, chart_box, "feedback")
    evaluation = review.evaluation[["quantitative", "qualitative", "evaluation"]].iloc[::-1]
    _table(slide, table_box, _cells(report, evaluation))
    return notes


def bubbles(report) -> dict[str, pd.DataFrame]:
    """Return the selection matrix's accounts by tier: attractiveness, strength, revenue."""
    portfolio = diagnosis.key_account_portfolio(
        report.eng, report.bu_id, report.quarter, lang=report.lang
    )
    rated = portfolio.dropna(subset=["attractiveness", "strength"])
    rated = rated.sort_values("revenue", ascending=False, kind="stable").head(BUBBLES)
    return {
        label(tier, report.lang, kind="tier"): rows[["attractiveness", "strength", "revenue"]]
        for tier, rows in rated.groupby("tier", sort=False)
    }


def portfolio(slide, report, chart_box, table_box) -> list[str]:
    """Show the selection matrix (bubbles: revenue) and the largest accounts with their tier."""
    if report.missing("portfolio"):
        return _not_assessed(report, slide, chart_box, "portfolio")
    lang = report.lang
    groups = bubbles(report)
    revenue = pd.concat(groups.values())["revenue"] if groups else pd.Series(dtype=float)
    divisor, unit = money(report, revenue)
    low, high = report.eng.settings["scales"]["rating"]
    dc.bubble_chart(
        slide,
        chart_box,
        {
            tier: list(zip(r["attractiveness"], r["strength"], r["revenue"] / divisor, strict=True))
            for tier, r in groups.items()
        },
        x_title=header("attractiveness", lang),
        y_title=header("strength", lang),
        x_range=(low, high),
        y_range=(low, high),
    )
    pf = diagnosis.key_account_portfolio(report.eng, report.bu_id, report.quarter, lang=lang)
    names = report.eng.display_names("account", lang).astype(str)
    top = named_accounts(pf[["name", "revenue", "tier"]], names)
    _table(slide, table_box, _cells(report, top))
    return [text("deck.bubble_notes", lang, n=len(revenue), unit=unit, quarter=report.quarter)]


def management(slide, report, chart_box, table_box) -> list[str]:
    """Show each manager's fit to the stages of their accounts (bars) and the workload (table)."""
    if report.missing("management"):
        return _not_assessed(report, slide, chart_box, "management")
    lang = report.lang
    m = diagnosis.account_management(report.eng, report.bu_id, report.quarter, lang=lang)
    if not m.assessed:
        line = text("report.no_managers", lang)
        dc.text_box(slide, chart_box, [line], size=14, color=dc.MUTED)
        return [line]
    fit = m.fit.sort_values("fit", kind="stable")
    dc.bar_chart(
        slide,
        chart_box,
        list(fit["name"].astype(str)),
        {header("fit", lang): fit["fit"]},
        horizontal=True,
        number_format="0.00",
        labels=True,
    )
    workload = m.workload[["name", "accounts", "key_accounts", "key_load"]]
    _table(slide, table_box, _cells(report, workload.reset_index(drop=True)))
    return [text("deck.fit_notes", lang, quarter=report.quarter)]


#: The section slides, in the report's order: section key -> builder.
BUILDERS: dict[str, Callable] = {
    "overview": overview,
    "external": external,
    "position": position,
    "competitive": competitive,
    "review": review,
    "portfolio": portfolio,
    "management": management,
}


def section_findings(report, key: str) -> Iterator[str]:
    """Yield the findings of a section (and of its tools: the external one's), most urgent first."""
    keys = {"external": ("pest", "forces", "evolution")}.get(key, (key,))
    found = report.found
    rows = found.loc[found["section"].isin(keys)].sort_values("priority", kind="stable")
    yield from rows["finding"]
