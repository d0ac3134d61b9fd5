"""How a BU's headline figures moved over the quarters up to the report's quarter.

:func:`headline_history` is the one place the report's trend figures come from: one row
per quarter, one column per headline figure (:data:`HEADLINE_MEASURES`), each from the
engagement as known at the end of the report's quarter (never a later one). A quarter
whose figure the data lack is NaN, shown as *not available*, never 0.
:func:`plot_headline_history` draws them as a strip of small line charts and
:func:`headline_table` as a compact table, both labelled with each figure's unit and
window in the report's language.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> h = headline_history(eng, "PV", "2025Q2")
>>> h.index.tolist(), h.columns.tolist()
(['2024Q4', '2025Q1', '2025Q2'], ['revenue_m', 'gross_margin_pct', 'index_to_leader', \
'key_account_feedback'])
>>> h.attrs["labels"]["revenue_m"]
'revenue (quarter, CNY million)'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..base.i18n import money_unit, text
from ..core.charts import COLORS
from ..core.fonts import check_text, use_cjk_font
from ..data.engagement import Engagement
from ._common import _for_bu, _memo, _scale, assessed
from .competitive import benchmark_history, feedback_trend
from .overview import revenue_by_quarter
from .portfolio import key_account_positions

#: The headline figures, in the order shown, with the format of their values. Their name
#: and unit (with the window) are the catalogue's ``history.<name>`` and
#: ``history.<name>.unit``.
HEADLINE_MEASURES = {
    "revenue_m": "{:,.1f}",
    "gross_margin_pct": "{:.1f}",
    "index_to_leader": "{:.0f}",
    "key_account_feedback": "{:.2f}",
    "key_accounts": "{:,.0f}",
}
#: A dotted line the small chart of a figure draws for reference: the leader's 100.
REFERENCE_LINES = {"index_to_leader": 100.0}


def headline_history(
    eng: Engagement,
    bu_id: str,
    quarter: str | None = None,
    *,
    key_accounts: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Return a BU's headline figures in every quarter of the data up to ``quarter``.

    Each series is computed once, on whole columns, from the engagement as known at the end
    of ``quarter`` (:meth:`Engagement.as_of`; default: the current quarter), reusing the
    package's own figures: revenue and its revenue-weighted gross margin from
    :func:`kamanalysis.diagnosis.overview.revenue_by_quarter`, the index to the leader from
    the benchmark's history (:func:`kamanalysis.diagnosis.competitive.benchmark_history`),
    the key accounts' mean feedback score from
    :func:`kamanalysis.diagnosis.competitive.feedback_trend`.

    Parameters
    ----------
    eng : Engagement
    bu_id : str
    quarter : str, optional
        The report's quarter; no later quarter is read.
    key_accounts : bool
        Add ``key_accounts``, the number of accounts in the key tier each quarter
        (:func:`kamanalysis.diagnosis.key_account_positions` per quarter: about
        0.7 s a quarter for a BU of 20,000 accounts, so not in the report by default),
        counted among the accounts assessed that quarter as known then, as the report of that
        quarter counts them.
    lang : str
        The language of ``attrs["labels"]``.

    Returns
    -------
    DataFrame
        Indexed by ``quarter`` (the data's quarters up to ``quarter``, oldest first):
        ``revenue_m`` (the quarter's revenue, in millions of the engagement's currency;
        in Chinese in 万 or 亿 of it, as its label says),
        ``gross_margin_pct`` (the quarter's revenue-weighted gross margin, %),
        ``index_to_leader`` (the quarter's benchmark, leader = 100) and
        ``key_account_feedback`` (the key accounts' mean score that quarter, on the rating
        scale), then ``key_accounts`` if asked. NaN where the data lack the figure (no sales
        that quarter, no benchmark, no key-account feedback), never 0.
        ``attrs``: ``bu_id``, ``quarter``, ``labels`` (column -> its name with unit and
        window in ``lang``, e.g. *revenue (quarter, CNY million)*), ``titles`` (the same
        on two lines, for a narrow chart) and ``formats`` (column -> format of its values).

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> h = headline_history(eng, "IC", lang="zh")
    >>> len(h), h.index[-1], h.attrs["labels"]["index_to_leader"]
    (8, '2026Q3', '相对领先者指数（当季标杆，领先者 = 100）')
    """
    quarter = quarter or eng.current_quarter
    if quarter != eng.current_quarter:  # as known then: later rows never count
        return headline_history(
            eng.as_of(quarter), bu_id, quarter, key_accounts=key_accounts, lang=lang
        )

    def compute() -> pd.DataFrame:
        quarters = pd.Index([q for q in eng.quarters if q <= quarter], name="quarter")
        sales = revenue_by_quarter(_for_bu(eng, bu_id)).reindex(quarters)
        bench = benchmark_history(eng, bu_id, quarter)
        trend = feedback_trend(eng, bu_id, quarter)
        said = trend["key_account"] if "key_account" in trend.columns else pd.Series()
        divisor, unit = 1e6, f"{eng.currency} million"
        if lang == "zh":  # Chinese money: 万元 or 亿元
            divisor, unit = money_unit(float(sales["revenue"].abs().max()), eng.currency)
        frame = pd.DataFrame(
            {
                "revenue_m": sales["revenue"] / divisor,
                "gross_margin_pct": sales["gross_margin_pct"],
                "index_to_leader": bench["index_to_leader"].reindex(quarters),
                "key_account_feedback": said.reindex(quarters),
            },
            index=quarters,
        ).astype("float64")
        if key_accounts:
            frame["key_accounts"] = [_key_accounts(eng, bu_id, q) for q in quarters]
        lo, hi = _scale(eng, "rating")
        values = {"unit": unit, "lo": lo, "hi": hi}
        parts = {c: _parts(c, lang, values) for c in frame.columns}
        frame.attrs = {
            "bu_id": bu_id,
            "quarter": quarter,
            "labels": {
                c: text("history.label", lang, name=name, unit=unit)
                for c, (name, unit) in parts.items()
            },
            "titles": {
                c: f"{name}\n{text('history.unit', lang, unit=unit)}"
                for c, (name, unit) in parts.items()
            },
            "formats": {c: HEADLINE_MEASURES[c] for c in frame.columns},
        }
        return frame

    return _memo(eng, ("headline_history", bu_id, quarter, key_accounts, lang), compute)


#: A small chart names every quarter up to this many, else the first and the last only.
NAMED_QUARTERS = 4


def _named(i: int, n: int) -> bool:
    """Return True when the ``i``-th of ``n`` quarters is named under a small chart."""
    return n <= NAMED_QUARTERS or i in (0, n - 1)


def _key_accounts(eng: Engagement, bu_id: str, quarter: str) -> float:
    """Count the accounts assessed in ``quarter`` in the key tier, as known then."""
    if not assessed(eng, "account_assessments", bu_id, quarter):
        return np.nan
    then = eng.as_of(quarter) if quarter != eng.current_quarter else eng
    aa = then.account_assessments
    rated = aa.loc[(aa["bu_id"] == bu_id) & (aa["quarter"] == quarter), "account_id"]
    tier = key_account_positions(then, bu_id, quarter)["tier"].reindex(rated)
    return float((tier == "key").sum())


def _parts(column: str, lang: str, values: dict) -> tuple[str, str]:
    """Return a figure's name and its unit with the window: *revenue*, *quarter, CNY million*."""
    return text(f"history.{column}", lang), text(f"history.{column}.unit", lang, **values)


def headline_table(history: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Return the history as a compact table: one row per figure, one column per quarter.

    Rows are labelled with the figure's unit and window, values formatted as the figure's
    format says, and a quarter whose figure the data lack reads *not available*.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> t = headline_table(headline_history(eng, "PV", "2025Q2"))
    >>> t.loc["index to the leader (quarter's benchmark, leader = 100)"].tolist()
    ['91', '93', '85']
    """
    missing = text("report.not_available", lang)
    rows = {
        history.attrs["labels"][c]: [
            missing if pd.isna(v) else history.attrs["formats"][c].format(v) for v in history[c]
        ]
        for c in history.columns
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(history.index))
    table.index.name = "measure"
    return table


def plot_headline_history(
    history: pd.DataFrame, *, axes: Sequence[Axes] | None = None, lang: str = "en"
) -> list[Axes]:
    r"""Draw each headline figure as a small line chart over the quarters, side by side.

    Parameters
    ----------
    history : DataFrame
        From :func:`headline_history` (its ``attrs`` label the charts).
    axes : sequence of Axes, optional
        One per column of ``history``; a new figure's row of Axes when omitted.
    lang : str
        ``en`` or ``zh``: the language of *not available* on a chart without any value.

    Returns
    -------
    list of Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> axes = plot_headline_history(headline_history(eng, "PV"))
    >>> len(axes), axes[0].get_title()
    (4, 'revenue\n(quarter, CNY million)')
    >>> plt.close(axes[0].figure)
    """
    columns = list(history.columns)
    formats = history.attrs.get("formats", {})
    titles = [history.attrs.get("titles", {}).get(c, c) for c in columns]
    missing = text("report.not_available", lang)
    check_text([*titles, missing], where="plot_headline_history")
    use_cjk_font()  # before any text is made
    if axes is None:
        _, row = plt.subplots(
            1, len(columns), figsize=(3.2 * len(columns), 2.6), layout="constrained", squeeze=False
        )
        axes = list(row[0])
    quarters = list(history.index)
    x = np.arange(len(quarters))
    for ax, column, title in zip(axes, columns, titles, strict=True):
        values = history[column].to_numpy(dtype="float64")
        ax.set_title(title, fontsize=9)  # name, then unit and window: a narrow chart
        # a tick per quarter, a long run named at its ends only: a sparkline (the table has all)
        ax.set_xticks(x, [q if _named(i, len(x)) else "" for i, q in enumerate(quarters)])
        ax.tick_params(axis="x", labelsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(3))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        known = ~np.isnan(values)
        if not known.any():
            ax.set_yticks([])
            ax.text(
                0.5,
                0.5,
                missing,
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=COLORS["other"],
            )
            continue
        if column in REFERENCE_LINES:
            ax.axhline(REFERENCE_LINES[column], color=COLORS["other"], linewidth=1, linestyle=":")
        ax.plot(x, values, color=COLORS["focal"], linewidth=1.8, marker="o", markersize=4)
        # the latest value written by its point: above it after a rise, below after a fall
        shown = np.flatnonzero(known)
        last = shown[-1]
        rising = len(shown) < 2 or values[last] >= values[shown[-2]]
        ax.annotate(
            formats.get(column, "{:,.2f}").format(values[last]),
            (x[last], values[last]),
            xytext=(0, 6 if rising else -6),
            textcoords="offset points",
            ha="center",
            va="bottom" if rising else "top",
            fontsize=8,
            color=COLORS["focal"],
        )
        ax.margins(x=0.12, y=0.3)
    return list(axes)
