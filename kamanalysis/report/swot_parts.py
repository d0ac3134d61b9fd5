"""The SWOT and TOWS part of a BU report's strategic-position section (issue 26).

:func:`swot_parts` yields what the part shows, in the report's language: a heading, the
SWOT chart (the four lists with their weighted scores and, for weaknesses and threats, the
weighted severities they are ranked by, go to the report's appendix, linked), a sentence
comparing the TOWS
quadrant with the IE cell of the same totals, and the TOWS pairs with their strategies
(patterns from ``kamanalysis/tools/tows_patterns.csv``). A BU without IFE / EFE rows in
the quarter shows *not assessed*. Called with one line from
:class:`kamanalysis.report.sections.Report`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> facts, found = kam.findings.diagnose(eng, "PV")
>>> report = kam.sections.Report(eng, "PV", facts, found)
>>> [type(item).__name__ for item in swot_parts(report)]
['Markdown', 'HTML', 'Markdown', 'Markdown', 'Styler']
>>> report.appendix.entries[0].items[0].data.columns.tolist()[:3]
['kind', 'rank', 'factor']
"""

from __future__ import annotations

from collections.abc import Iterator

from IPython.display import Markdown

from ..base.i18n import label, text
from ..diagnosis._common import assessed
from ..diagnosis.strategy_views import swot, tows, tows_and_ie
from ..tools.swot import plot_swot
from .display import heading
from .layout import link

#: How many factors of each kind the SWOT shows, and how many TOWS pairs per quadrant.
SWOT_TOP, TOWS_TOP = 5, 3
#: The columns of the SWOT and TOWS tables.
SWOT_COLUMNS = (
    "kind",
    "rank",
    "factor",
    "weight",
    "rating",
    "weighted_score",
    "weighted_severity",
)
TOWS_COLUMNS = ("tows_quadrant", "internal_factor", "external_factor", "tows_strategy")


def swot_parts(report) -> Iterator:
    """Yield the SWOT and TOWS of ``report``'s BU and quarter (a :class:`Report`)."""
    lang = report.lang
    yield Markdown(heading("swot", lang))
    if not assessed(report.eng, "ife_efe", report.bu_id, report.quarter):
        tools = text("tool.ife_efe", lang)
        yield Markdown(f"*{text('summary.not_assessed', lang, tools=tools)}*")
        return
    scored = swot(report.eng, report.bu_id, report.quarter, top=SWOT_TOP)
    lists = scored.factors.loc[scored.factors["rank"] <= SWOT_TOP, list(SWOT_COLUMNS)]
    yield report._chart(plot_swot(scored, lang=lang).figure)
    # the factors' table behind the chart goes to the appendix: the body stays short (issue 20)
    whole = report._table(lists.reset_index(drop=True), rows=len(lists))
    entry = report.appendix.add(text("section.swot", lang), whole)
    yield Markdown(f"*{text('appendix.behind', lang, link=link(entry, lang))}*")
    compared = tows_and_ie(scored)
    if compared:
        key = (
            "swot.tows_ie_differs"
            if compared["differs"]
            else ("swot.tows_ie_open" if compared["open"] else "swot.tows_ie_fixed")
        )
        sides = " / ".join(text(f"swot.side.{side}", lang) for side in compared["differs"])
        yield Markdown(
            text(
                key,
                lang,
                quadrant=compared["quadrant"],
                stance=label(scored.stance, lang),
                internal=f"{scored.balance['internal']:+.2f}",
                external=f"{scored.balance['external']:+.2f}",
                cell=compared["ie_cell"],
                strategy=label(compared["ie_strategy"], lang),
                sides=sides,
            )
        )
    pairs = tows(report.eng, report.bu_id, report.quarter, top=TOWS_TOP, lang=lang)
    shown = pairs.rename(
        columns={
            "quadrant": "tows_quadrant",
            "internal": "internal_factor",
            "external": "external_factor",
            "strategy": "tows_strategy",
        }
    )
    yield report._table(shown[list(TOWS_COLUMNS)])
