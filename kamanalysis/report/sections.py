"""The sections of a BU's diagnosis report, each shown by one call from the notebook.

The diagnosis notebook stays thin: after the executive summary it calls
:meth:`Report.show` once per section. A section shows its heading, its findings, then
its tables and charts in the report's language; a tool whose table is absent, or has no
rows for the BU and quarter (a partial engagement), shows *not assessed this quarter*
instead. Which tools a section needs is data: :data:`SECTION_TOOLS`.

A report reads in minutes (issue 20): ``contents`` (after the executive summary) links every
section; a table longer than :data:`~kamanalysis.report.layout.BODY_ROWS` rows shows its first
rows with a link to its full form in the ``appendix`` (the notebook's last cell), where the
account-level detail goes too. :meth:`Report._table` routes every table, so a section only
says what it shows.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> facts, found = kam.findings.diagnose(eng, "PV")
>>> report = Report(eng, "PV", facts, found)
>>> [type(item).__name__ for item in report.parts("forces")]
['Markdown', 'Styler', 'HTML']
>>> top = [item for item in report.parts("overview") if hasattr(item, "caption")][-1]
>>> len(top.data), top.caption[:28]
(6, 'The first 6 of 10 rows; the ')
>>> [(entry.key, entry.title) for entry in report.appendix.entries]
[('A1', 'Data overview'), ('A2', 'Largest accounts this quarter')]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from .. import diagnosis
from ..base.i18n import label, short_list, text
from ..data.engagement import Engagement
from ..diagnosis._common import _for_bu
from ..diagnosis.history import headline_table, plot_headline_history
from ..diagnosis.overview import plot_revenue_by_quarter, revenue_by_quarter, top_accounts
from ..tools.accounts import (
    plot_buying_centre,
    plot_migration,
    plot_robustness,
    plot_selection_matrix,
    plot_stage_distribution,
    plot_supplier_positioning,
    rating_disagreements,
)
from ..tools.benchmark import plot_benchmark_radar
from ..tools.forces import plot_five_forces
from ..tools.managers import plot_manager_fit
from ..tools.pest import plot_pest
from ..tools.position import plot_ge_matrix, plot_ie_matrix
from ..tools.value_chain import plot_value_chain, value_chain_summary
from .backtest_section import backtest_parts
from .display import (
    SECTIONS,
    chart,
    heading,
    named_accounts,
    organisation_markdown,
    section,
    styled,
)
from .layout import APPENDIX_ROWS, BODY_ROWS, Appendix, anchored, contents_markdown, link
from .swot_parts import swot_parts

#: The tools (as named in ``facts["not_assessed"]``) each part of the report needs.
SECTION_TOOLS: dict[str, tuple[str, ...]] = {
    "pest": ("pest",),
    "forces": ("forces",),
    "evolution": ("evolution",),
    "position": ("ife_efe", "forces", "benchmark"),
    "competitive": ("benchmark",),
    "value_chain": ("value_chain",),
    "review": (),
    "attribution": ("benchmark",),
    "ife_efe_attribution": ("ife_efe",),
    "feedback": ("feedback",),
    "portfolio": ("accounts",),
    "management": ("accounts",),
}
#: The columns of the actions due this quarter (issue 22).
ACTION_COLUMNS = ("account", "objective", "action", "owner", "status", "note")
#: Columns of the key-account portfolio table.
PORTFOLIO_COLUMNS = (
    "name",
    "revenue",
    "tier",
    "attractiveness",
    "strength",
    "over_capacity",
    "buyer_view",
    "frustration",
    "stage",
    "robustness",
    "signals",
)
#: The key-account criteria of every account (the appendix), ratings on the criteria's scale.
CRITERIA_COLUMNS = (
    "profit_share",
    "volume",
    "wallet_potential",
    "margin",
    "credit",
    "growth",
    "cost_to_serve",
    "strategic_access",
    "influence",
    "strategic_fit",
)
#: The tools of the external-environment section, in the report's order.
EXTERNAL_TOOLS = ("pest", "forces", "evolution")
#: Rows a table of long texts shows in the body (the rest in the appendix).
TEXT_ROWS = 3
#: The columns of the competency gaps the body shows (the appendix has the swaps and the rest).
GAP_COLUMNS = ("manager_id", "competency", "rating", "required", "shortfall", "recommendation")
#: Rows a wide table of accounts shows in the body (the rest in the appendix).
ACCOUNT_ROWS = 5
TOP_ACCOUNTS = 10
#: The entries of the table of contents: the section keys after the executive summary.
CONTENTS = ("history", *SECTIONS)


class Report:
    """One BU's report in one language: shows each section with :meth:`show`.

    Parameters
    ----------
    eng : Engagement
    bu_id : str
    facts, found : dict, DataFrame
        From :func:`kamanalysis.report.findings.diagnose` (the findings each section shows, and
        ``facts["not_assessed"]``).
    lang : str
        ``en`` or ``zh``.
    positions : str or Path, optional
        The group's positions computed once by a batch (see
        :func:`kamanalysis.diagnosis.strategic_position`); empty = compute here.
    """

    def __init__(
        self,
        eng: Engagement,
        bu_id: str,
        facts: dict,
        found: pd.DataFrame,
        lang: str = "en",
        *,
        positions="",
    ) -> None:
        self.eng = eng = eng.named(lang)  # every name in the report's language (issue 20)
        self.bu_id = bu_id
        self.bu = _for_bu(eng, bu_id)  # the one the facts computed on: shared results
        self.facts = facts
        self.found = found
        self.lang = lang
        self.positions = positions
        self.quarter = facts.get("quarter", eng.current_quarter)
        #: The long tables and the account-level detail, shown by ``show("appendix")``.
        self.appendix = Appendix(lang)
        self._title = ""  # the heading the next tables belong to (their appendix entry)

    # ------------------------------------------------------------------ plumbing

    def show(self, key: str) -> None:
        """Display one section in the notebook's output.

        ``key``: ``overview``, ``external``, ``position``, ``competitive``, ``review``,
        ``portfolio`` or ``management`` (:data:`kamanalysis.report.display.SECTIONS`),
        ``history`` (the headline figures over the quarters, after the executive summary),
        ``contents`` (the table of contents, right after the executive summary) or
        ``appendix`` (the full tables the sections shown so far shortened: the last cell).
        """
        for item in self.parts(key):
            display(item)

    def parts(self, key: str) -> Iterator:
        """Yield what a section shows (Markdown, tables, charts), in order.

        ``key`` is a section, or one of the external tools (``pest``, ``forces``,
        ``evolution``) on its own.
        """
        if key in EXTERNAL_TOOLS:
            yield from self._tool(key)
        else:
            yield from getattr(self, f"_{key}")()

    def missing(self, part: str) -> list[str]:
        """Return the tools a part needs that were not assessed this quarter."""
        absent = set(self.facts.get("not_assessed", ()))
        return [tool for tool in SECTION_TOOLS.get(part, ()) if tool in absent]

    def _not_assessed(self, part: str) -> Markdown:
        tools = ", ".join(text(f"tool.{t}", self.lang) for t in self.missing(part))
        return Markdown(f"*{text('summary.not_assessed', self.lang, tools=tools)}*")

    def _section(self, key: str, *, level: int = 2) -> Markdown:
        self._title = text(f"section.{key}", self.lang)  # its appendix entry's, unnumbered
        return Markdown(anchored(section(key, self.found, self.lang, level=level), key))

    def _heading(self, key: str, *, level: int = 3) -> Markdown:
        self._title = text(f"section.{key}", self.lang)
        return Markdown(anchored(heading(key, self.lang, level=level), key))

    def _title_of(self, key: str, level: int) -> str:
        """Return the heading's words as the reader sees them (a section's with its number)."""
        return heading(key, self.lang, level=level).splitlines()[0].lstrip("#").strip()

    def _table(self, frame: pd.DataFrame, *, rows: int = BODY_ROWS, columns=None):
        """Show a table in the body: all of it, or its first ``rows`` and the rest in the appendix.

        A longer table is shown whole in the appendix (under the heading it belongs to,
        at most :data:`~kamanalysis.report.layout.APPENDIX_ROWS` rows) and its first
        ``rows`` here, with a caption linking the full table. Order the frame first: its
        first rows are the ones the body shows (of a table by quarter, its last rows: the
        latest quarters). ``columns``: the body shows only these (a
        wide table of long texts); the appendix then always has every column.
        """
        shown = self._named(frame)
        narrow = shown if columns is None else shown[[c for c in columns if c in shown]]
        if len(shown) <= rows and narrow is shown:
            return styled(shown, self.lang, currency=self.eng.currency)
        entry = self.appendix.add(self._title, self._full(shown))
        # a table by quarter shows its latest quarters: the quarter diagnosed is never cut
        latest = "quarter" in (shown.index.name, *shown.columns[:1])
        shown = narrow
        caption = text(
            "appendix.rows_last" if latest else "appendix.rows",
            self.lang,
            shown=rows,
            total=f"{len(shown):,}",
            link=link(entry, self.lang),
        )
        body = shown.tail(rows) if latest else shown.head(rows)
        return styled(body, self.lang, currency=self.eng.currency).set_caption(caption)

    def _full(self, shown: pd.DataFrame):
        """Return the appendix's form of a table: all of it, or its first :data:`APPENDIX_ROWS`."""
        if len(shown) <= APPENDIX_ROWS:
            return styled(shown, self.lang, currency=self.eng.currency)
        caption = text("appendix.capped", self.lang, shown=APPENDIX_ROWS, total=f"{len(shown):,}")
        return styled(shown.head(APPENDIX_ROWS), self.lang, currency=self.eng.currency).set_caption(
            caption
        )

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return ``frame`` with accounts and managers shown by name in the report's language."""
        managers = self.eng.display_names("manager", self.lang).astype(str)
        return named_accounts(frame, self._names, managers)

    def _detail(self, title_key: str, frame: pd.DataFrame) -> Markdown:
        """Put a table of account-level detail in the appendix only; return the body's link."""
        title = text(f"section.{title_key}", self.lang)
        entry = self.appendix.add(title, self._full(self._named(frame)))
        return Markdown(f"*{text('appendix.detail', self.lang, link=link(entry, self.lang))}*")

    @property
    def _names(self) -> pd.Series:
        """Account id -> name, for the tables (an account shown by name, its code after)."""
        return self.eng.display_names("account", self.lang).astype(str)

    def _chart(self, figure):
        return chart(figure, self.lang)

    def _largest(self, frame: pd.DataFrame, revenue: pd.Series, rows: int = BODY_ROWS) -> Iterator:
        """Show the accounts with most revenue first: ``rows`` here, all in the appendix.

        ``frame`` has an ``account_id`` column (an account may have several rows, kept
        together); an account without revenue this quarter comes last. A table that fits
        in ``rows`` keeps its order.
        """
        if len(frame) <= rows:
            yield self._table(frame, rows=rows)
            return
        accounts = frame["account_id"].drop_duplicates()
        order = (
            revenue.reindex(accounts).fillna(-np.inf).sort_values(ascending=False, kind="stable")
        )
        rank = pd.Series(np.arange(len(order)), index=order.index)
        ranked = frame.iloc[np.argsort(rank.reindex(frame["account_id"]).to_numpy(), kind="stable")]
        yield self._table(ranked.reset_index(drop=True), rows=rows)

    # ------------------------------------------------------------------ contents, appendix

    def _contents(self) -> Iterator:
        """Show the table of contents: each section linked, then the appendix."""
        entries = [(key, self._title_of(key, 3 if key == "history" else 2)) for key in CONTENTS]
        yield Markdown(contents_markdown(entries, self.lang))

    def _appendix(self) -> Iterator:
        """Show the appendix: the full tables of the sections shown before, in their order."""
        yield from self.appendix.parts()

    # ------------------------------------------------------------------ sections

    def _history(self) -> Iterator:
        """Show the headline figures over the quarters up to this one: charts and a table."""
        yield self._heading("history")
        history = diagnosis.headline_history(self.eng, self.bu_id, self.quarter, lang=self.lang)
        yield self._chart(plot_headline_history(history, lang=self.lang)[0].figure)
        yield self._table(headline_table(history, self.lang))

    def _overview(self) -> Iterator:
        yield self._section("overview")
        by_quarter = revenue_by_quarter(self.bu)
        yield self._table(by_quarter)
        yield self._chart(
            plot_revenue_by_quarter(by_quarter, currency=self.eng.currency, lang=self.lang)
        )
        yield self._heading("top_accounts")
        yield self._table(top_accounts(self.bu, n=TOP_ACCOUNTS))

    def _external(self) -> Iterator:
        yield self._heading("external", level=2)
        for part in EXTERNAL_TOOLS:
            yield from self._tool(part)

    def _tool(self, part: str) -> Iterator:
        yield self._section(part, level=3)
        if self.missing(part):
            yield self._not_assessed(part)
        else:
            yield from getattr(self, f"_{part}_body")()

    def _pest_body(self) -> Iterator:
        pest = diagnosis.pest(self.eng, self.bu_id, self.quarter)
        factors = pest.factors.sort_values("weighted_importance", ascending=False)
        yield self._table(factors)
        yield self._table(pest.dimensions)
        yield self._chart(plot_pest(pest, lang=self.lang))

    def _forces_body(self) -> Iterator:
        forces = diagnosis.five_forces(self.eng, self.bu_id, self.quarter)
        yield self._table(forces.forces)
        yield self._chart(plot_five_forces(forces, lang=self.lang))

    def _evolution_body(self) -> Iterator:
        trajectory = diagnosis.trajectory(self.eng, self.bu_id, self.quarter)
        yield self._table(trajectory.drivers)
        yield self._table(trajectory.conflicts)

    def _position(self) -> Iterator:
        yield self._section("position")
        if self.missing("position"):
            yield self._not_assessed("position")
            return
        positions = diagnosis.strategic_position(self.eng, self.quarter, precomputed=self.positions)
        yield self._table(positions)
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5))
        plot_ie_matrix(positions, ax=left, lang=self.lang)
        plot_ge_matrix(positions, ax=right, lang=self.lang)
        yield self._chart(fig)
        yield self._heading("position_history")
        yield self._table(diagnosis.position_history(self.eng, self.bu_id))
        yield from swot_parts(self)  # SWOT and TOWS (issue 26)

    def _competitive(self) -> Iterator:
        yield self._section("competitive")
        if self.missing("competitive"):
            yield self._not_assessed("competitive")
        else:
            cp = diagnosis.competitive_position(self.eng, self.bu_id, self.quarter)
            yield self._table(cp.benchmark.companies)
            fig, (left, right) = plt.subplots(
                1, 2, figsize=(15, 7), subplot_kw={"projection": "polar"}
            )
            plot_benchmark_radar(cp.benchmark, ax=left, lang=self.lang)
            plot_benchmark_radar(
                cp.benchmark, ax=right, rivals="all", scale_mode="leader", lang=self.lang
            )
            fig.tight_layout()
            yield self._chart(fig)
            yield self._heading("boards")
            yield self._table(cp.benchmark.boards)
            yield self._heading("factors")
            yield self._table(cp.benchmark.factors)
            yield self._heading("bench_history")
            yield self._table(cp.history)
        yield self._heading("value_chain")
        if self.missing("value_chain"):
            yield self._not_assessed("value_chain")
            return
        vc = diagnosis.value_chain(self.eng, self.bu_id, self.quarter)
        yield self._chart(plot_value_chain(vc, lang=self.lang))
        yield self._table(value_chain_summary(vc))
        yield self._table(vc.drop(columns=["bu_id", "quarter"]))

    def _review(self) -> Iterator:
        yield self._section("review")
        review = diagnosis.quarterly_review(self.eng, self.bu_id, self.quarter)
        if not review.score_changes.empty:
            yield self._table(self._not_available(review.score_changes, review))
        yield from self._review_unavailable(review, ("previous", "year_ago"))
        yield from self._review_unassessed(review)
        for part, tables in (
            ("attribution", [review.attribution["benchmark"]]),
            ("ife_efe_attribution", [review.attribution["IFE"], review.attribution["EFE"]]),
            ("feedback", [review.feedback, review.feedback_trend, review.comments]),
        ):
            yield self._heading(part)
            if self.missing(part):
                yield self._not_assessed(part)
                continue
            for table in tables:
                yield self._table(self._not_available(table, review))
        yield self._heading("evaluation")
        yield self._table(review.evaluation)
        yield from self._review_unavailable(review, ("growth_yoy",))
        yield from self._actions()

    def _actions(self) -> Iterator:
        """Show the promises followed up: counts per manager, the actions due this quarter."""
        counts = diagnosis.action_counts(self.eng, self.bu_id, self.quarter)
        if not int(counts.loc["all", "due"]):
            return
        yield self._heading("actions")
        yield self._table(counts)
        follow = diagnosis.action_follow_up(self.eng, self.bu_id, self.quarter)
        due = follow.loc[follow["due_quarter"] == self.quarter, list(ACTION_COLUMNS)]
        yield self._heading("actions_due")
        order = due["status"].map({"open": 0, "dropped": 1, "done": 2})
        due = due.iloc[order.argsort(kind="stable")].reset_index(drop=True)
        yield self._table(due, rows=TEXT_ROWS)

    #: The columns of the review's tables that compare with last quarter or a year ago.
    COMPARED: ClassVar[dict[str, tuple[str, ...]]] = {
        "previous": ("previous", "rating_previous", "change_qoq", "previous_mean", "change"),
        "year_ago": ("year_ago", "rating_year_ago", "change_yoy"),
    }

    def _not_available(self, table: pd.DataFrame, review) -> pd.DataFrame:
        """Say *not available* in a column comparing with a quarter before the data start."""
        columns = [
            c
            for key, names in self.COMPARED.items()
            if key in review.unavailable or key in review.unassessed
            for c in names
            if c in table.columns and table[c].isna().all()
        ]
        missing = text("report.not_available", self.lang)
        return table.assign(**{c: missing for c in columns}) if columns else table

    def _review_unavailable(self, review, keys: tuple[str, ...]) -> Iterator:
        """Say which comparisons the data cannot make, and why: the data start later."""
        for key in keys:
            if key in review.unavailable:
                line = text(
                    f"report.review_unavailable.{key}",
                    self.lang,
                    quarter=review.unavailable[key],
                    start=review.data_start,
                )
                yield Markdown(f"*{line}*")

    def _review_unassessed(self, review) -> Iterator:
        """Say which tools cannot be compared with an earlier quarter: not assessed then."""
        comma = "、" if self.lang == "zh" else ", "
        for key, tools in review.unassessed.items():
            names = comma.join(text(f"tool.{t}", self.lang) for t in tools)
            quarter = getattr(review, key)
            line = text(f"report.review_unassessed.{key}", self.lang, quarter=quarter, tools=names)
            yield Markdown(f"*{line}*")

    def _portfolio(self) -> Iterator:
        yield self._section("portfolio")
        if self.missing("portfolio"):
            yield self._not_assessed("portfolio")
            return
        eng, bu_id, lang, quarter = self.eng, self.bu_id, self.lang, self.quarter
        portfolio = diagnosis.key_account_portfolio(eng, bu_id, quarter, lang=lang)
        yield self._table(portfolio[list(PORTFOLIO_COLUMNS)], rows=ACCOUNT_ROWS)
        yield from self._unavailable(portfolio.attrs)
        criteria = diagnosis.key_account_criteria(eng, bu_id, quarter)
        yield self._detail("criteria_detail", self._criteria(criteria, portfolio))
        yield self._heading("reasons")
        yield self._table(portfolio[["name", "tier", "reasons"]], rows=TEXT_ROWS)
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5), layout="constrained")
        plot_selection_matrix(portfolio, ax=left, top=10, lang=lang)
        plot_supplier_positioning(portfolio, ax=right, top=10, lang=lang)
        yield self._chart(fig)
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), layout="constrained")
        plot_stage_distribution(portfolio, ax=left, lang=lang)
        plot_robustness(portfolio, ax=right, n=12, lang=lang)
        yield self._chart(fig)
        yield self._heading("disagreements")
        yield self._table(rating_disagreements(criteria, lang=lang), rows=ACCOUNT_ROWS)
        yield self._heading("migration")
        mig = diagnosis.key_account_migration(eng, bu_id, later=quarter)
        if mig is None:  # the data cannot compare with a year earlier: say why
            reason, values = diagnosis.migration_unavailable(eng, bu_id, later=quarter)
            key = "report.migration_unavailable" if reason == "before_data" else None
            yield Markdown("*" + text(key or f"report.migration_{reason}", lang, **values) + "*")
        else:
            fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), layout="constrained")
            plot_migration(mig, column="tier", ax=left, lang=lang)
            plot_migration(mig, column="stage", ax=right, lang=lang)
            yield self._chart(fig)
            yield from self._largest(mig.moved, portfolio["revenue"], ACCOUNT_ROWS)
        yield self._heading("concentration")
        concentration = diagnosis.key_account_concentration(eng, bu_id, quarter)
        # one row: each measure in its own format (shares of 20,000 accounts are tiny)
        yield self._table(concentration.to_frame().T.reset_index(drop=True))
        largest = portfolio.index[0]
        if (eng.contacts["account_id"] == largest).any():
            yield self._chart(plot_buying_centre(eng.contacts, largest, lang=lang))

    def _development(self) -> Iterator:
        """Show how the managers' competencies developed, when they were rated again (issue 22)."""
        table = diagnosis.manager_development(self.eng, self.bu_id, self.quarter)
        if len(table):
            grew = table["most_improved"].map(
                lambda c: label(c, self.lang, kind="competency") if isinstance(c, str) else c
            )
            yield self._heading("manager_development")
            yield self._table(table.assign(most_improved=grew))

    def _criteria(self, criteria: pd.DataFrame, portfolio: pd.DataFrame) -> pd.DataFrame:
        """Every account's ratings on the key-account criteria, in the portfolio's order."""
        columns = [c for c in CRITERIA_COLUMNS if c in criteria.columns]
        ratings = criteria.reindex(portfolio.index)[[*columns, "score"]]
        ratings = ratings.rename(
            columns={c: label(c, self.lang, kind="criterion") for c in columns}
        )
        return portfolio[["name", "tier"]].join(ratings).rename_axis("account_id")

    def _unavailable(self, attrs: dict) -> Iterator:
        """Say what the quarter's data cannot tell: signals and criteria not available."""
        lang, comma = self.lang, "、" if self.lang == "zh" else ", "
        signals = attrs.get("signals_unavailable") or {}
        if signals:
            items = comma.join(
                f"{label(name, lang, kind='signals')} ({window})"
                for name, window in signals.items()
            )
            yield Markdown("*" + text("report.signals_unavailable", lang, items=items) + "*")
        undated = attrs.get("decider_undated") or []
        if undated:
            yield Markdown(
                "*"
                + text("report.decider_undated", lang, n=len(undated), quarter=self.quarter)
                + "*"
            )
        workshop = attrs.get("from_workshop") or {}
        if workshop:
            items = comma.join(
                f"{label(name, lang, kind='criterion')} ({window})"
                for name, window in workshop.items()
            )
            yield Markdown("*" + text("report.from_workshop", lang, items=items) + "*")
        unrated = attrs.get("contacts_unassessed") or []
        if unrated:
            names = self.eng.accounts.set_index("account_id")["name"].reindex(unrated)
            items = short_list(names.fillna(pd.Series(unrated, index=unrated)))
            line = text("report.contacts_unassessed", lang, n=len(unrated), items=items)
            yield Markdown(f"*{line}*")

    def _management(self) -> Iterator:
        yield self._section("management")
        if self.missing("management"):
            yield self._not_assessed("management")
            return
        eng, bu_id, lang, quarter = self.eng, self.bu_id, self.lang, self.quarter
        management = diagnosis.account_management(eng, bu_id, quarter, lang=lang)
        if management.assessed:
            yield self._heading("manager_fit")
            yield self._table(management.fit)
            yield self._heading("manager_results")  # issue 22: managers on results
            yield self._table(diagnosis.manager_results(eng, bu_id, quarter))
            yield from self._development()
            load = management.workload.get("key_load")
            yield self._chart(plot_manager_fit(management.fit, load=load, lang=lang))
            yield self._heading("manager_gaps")
            yield self._table(management.gaps, rows=TEXT_ROWS, columns=GAP_COLUMNS)
            yield self._heading("workload")
            yield self._table(management.workload)
        else:
            yield Markdown(f"*{text('report.no_managers', lang)}*")
        yield self._heading("organisation")
        yield Markdown(organisation_markdown(management.organisation, lang))
        if management.assessed:
            yield self._heading("worst_fit")
            yield self._table(management.worst, rows=ACCOUNT_ROWS)
        yield self._heading("indifference")
        health = diagnosis.account_health(eng, bu_id, quarter, lang=lang)
        shown = health.drop(columns="health_codes").sort_values("health", kind="stable")
        if shown["health_change"].isna().all():  # last quarter not assessed: no trend
            shown = shown.assign(health_change=text("report.not_available", lang))
        yield self._table(shown, rows=TEXT_ROWS)
        yield from backtest_parts(self)  # issue 24: how well last year's diagnosis predicted
