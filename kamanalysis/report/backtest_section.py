"""The report's part on how well last year's diagnosis predicted (issue 24).

A short part at the end of the account-management section of a BU's report: the backtest of
the BU's account scores as known in each past quarter against what the accounts did a year
later (:func:`kamanalysis.diagnosis.backtest.score_backtest` on the report's engagement,
which is already as known at the end of the report's quarter), in a few sentences, the rank
correlations and one chart; or "not assessed" with the counts when the BU's data hold too
little history. :meth:`kamanalysis.report.sections.Report.show` calls :func:`backtest_parts`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import kamanalysis as kam
>>> from kamanalysis.report.sections import Report
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA).as_of("2026Q1")
>>> facts, found = kam.findings.diagnose(eng, "MC")
>>> parts = list(backtest_parts(Report(eng, "MC", facts, found)))
>>> parts[1].data[:48]
'*Not assessed. Not enough history to backtest: 6'
>>> "42 accounts (at least 20)" in parts[1].data
True
"""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib.pyplot as plt
from IPython.display import Markdown

from ..base.i18n import text
from ..diagnosis.backtest import score_backtest
from .backtest_page import backtest_lines, backtest_tables, plot_backtest, weights_caveat
from .display import chart, styled
from .layout import link

#: The horizon of the report's backtest: a year, the same season.
REPORT_HORIZON = 4


def backtest_parts(report) -> Iterator:
    """Yield the report's backtest part for ``report``'s BU: heading and sentences.

    The table, the chart and the caveats go to the report's appendix, linked from here.
    """
    lang = report.lang
    yield Markdown(f"### {text('backtest.section', lang)}")
    bt = score_backtest(report.bu, horizon=REPORT_HORIZON, lang=lang)
    lines = backtest_lines(bt, lang)
    if not bt.enough:
        yield Markdown(f"*{lines[0]}*")
        return
    yield Markdown("\n\n".join(lines))
    # the figures behind the sentences go to the appendix: the body stays short (issue 20)
    title = text("backtest.section", lang)
    tables = backtest_tables(bt, lang)
    report.appendix.add(title, styled(tables["correlations"], lang, decimals=3))
    report.appendix.add(title, Markdown(f"*{text('backtest.pvalue_caveat', lang)}*"))
    with plt.rc_context({"text.parse_math": False}):
        shown = chart(plot_backtest(bt, lang=lang), lang)  # alt text: the chart's title
    report.appendix.add(title, shown)
    entry = report.appendix.add(title, Markdown(f"*{weights_caveat(bt, lang)}*"))
    yield Markdown(f"*{text('appendix.behind', lang, link=link(entry, lang))}*")
