"""One BU's diagnosis as an editable PowerPoint deck (issue 21), in the report's language.

The deck a consultant hands over: a title slide (client, BU, quarter), the executive
summary (the verdict and the issues), one slide per issue of the executive summary with an
**action title** (the finding as a sentence) and its recommended actions (who, by when, the
measure), then one slide per report section with its chart and at most one short table.
Charts are native PowerPoint charts (:mod:`kamanalysis.report.deck_charts`: line, radar,
bar, bubble) carrying the numbers of the report's tables; the IE and GE grids, whose
shaded cells PowerPoint cannot draw, are a picture beside an editable table of their
values. The speaker notes hold the evidence: every finding in full, with its numbers,
window and unit.

Nothing is recomputed here: the findings and the summary's choice of issues and actions are
those of :func:`kamanalysis.report.findings.diagnose` and
:func:`kamanalysis.report.brief.executive_summary`, the charts' numbers those of the
diagnosis functions the report's tables show. python-pptx is imported only when a deck is
written (``kam report`` without ``--formats pptx`` never needs it).

Examples
--------
>>> import tempfile, matplotlib
>>> matplotlib.use("Agg")
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_deck(eng, "PV", f"{folder}/PV.pptx")
...     from pptx import Presentation
...     Presentation(path).slides[0].shapes.title.text
'Pumps & Valves (PV)'
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from ..base.errors import ReportError
from ..base.i18n import CURRENCY_ZH, bracketed, text
from ..data.engagement import Engagement
from ..diagnosis.verdict import verdict_text
from .brief import _short, action_parts, summary_choice
from .display import SECTIONS, heading
from .visits import DEFAULT_CAPACITY, visit_plan, visit_text

#: The default slide size: 16:9, in inches.
WIDE = (13.333, 7.5)
#: The width of the chart in a section slide's body (the table takes the rest).
CHART_SHARE = 0.58
#: The findings an issue slide lists under its actions (all of them in the notes).
FINDINGS = 3


def check_template(path) -> None:
    """Raise :class:`~kamanalysis.base.errors.ReportError` unless ``path`` is a readable .pptx.

    Examples
    --------
    >>> try:
    ...     check_template("nowhere.pptx")
    ... except ReportError as error:
    ...     print(str(error).split(", found")[0])
    nowhere.pptx: expected a readable PowerPoint file (.pptx) as the deck's template
    """
    path = Path(path)
    found = ""
    if not path.exists():
        found = "no such file"
    elif not path.is_file():
        found = "a folder"
    elif not zipfile.is_zipfile(path):
        found = "a file that is not a .pptx (not a zip archive)"
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (OSError, zipfile.BadZipFile) as error:
            found = f"an unreadable archive ({error})"
        else:
            if "ppt/presentation.xml" not in names:
                found = "a zip archive without ppt/presentation.xml (not a PowerPoint file)"
    if not found:
        try:
            from pptx import Presentation

            Presentation(str(path))
        except Exception as error:  # python-pptx raises many kinds on a damaged file
            found = f"a file python-pptx cannot open ({type(error).__name__}: {error})"
    if found:
        raise ReportError(
            f"{path}: expected a readable PowerPoint file (.pptx) as the deck's template, "
            f"found {found}"
        )


def _plain(words: str) -> str:
    """Return a text of the report's Markdown as a slide shows it: no escapes, no emphasis."""
    return html.unescape(re.sub(r"\*\*?|`", "", str(words))).strip()


class _Deck:
    """The presentation being written and where things go on its slides."""

    def __init__(self, template, lang: str) -> None:
        from pptx import Presentation
        from pptx.enum.shapes import PP_PLACEHOLDER
        from pptx.util import Inches

        self.prs = prs = Presentation(str(template) if template else None)
        self.lang = lang
        self.own = template is None
        if self.own:
            prs.slide_width, prs.slide_height = Inches(WIDE[0]), Inches(WIDE[1])
        else:  # the firm's master: its layouts, its slide size; none of its slides
            ids = prs.slides._sldIdLst
            for sld in list(ids):
                prs.part.drop_rel(sld.rId)
                ids.remove(sld)
        types = PP_PLACEHOLDER
        self.title_layout = self._layout({types.CENTER_TITLE, types.TITLE}, {types.SUBTITLE})
        self.body_layout = self._layout({types.TITLE}, set(), fewest=True)
        self.W, self.H = prs.slide_width, prs.slide_height

    def _layout(self, titles: set, wanted: set, *, fewest: bool = False):
        """Pick a layout by its placeholders' types (not its index): a title, and ``wanted``."""
        best, best_key = None, None
        for layout in self.prs.slide_layouts:
            types = {ph.placeholder_format.type for ph in layout.placeholders}
            if not types & titles or not wanted <= types:
                continue
            key = len(types) if fewest else -len(wanted & types)
            if best_key is None or key < best_key:
                best, best_key = layout, key
        return best or self.prs.slide_layouts[0]

    def slide(self, layout, title: str, *, largest: float = 28):
        """Add a slide with its title; return it (other placeholders removed)."""
        from . import deck_charts as dc

        slide = self.prs.slides.add_slide(layout)
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx != 0 and layout is not self.title_layout:
                ph._element.getparent().remove(ph._element)
        shape = slide.shapes.title
        if shape is None:  # a layout without a title: a text box in its place
            shape = slide.shapes.add_textbox(*self.title_box())
        elif self.own and layout is not self.title_layout:
            shape.left, shape.top, shape.width, shape.height = self.title_box()
        size = dc.fitted_size(title, shape.width / 914400 - 0.2, shape.height / 914400, largest)
        dc.fill_text(shape.text_frame, [title], size=size, color=dc.INK)
        return slide

    def title_box(self):
        m = int(self.W * 0.04)
        return m, int(self.H * 0.045), self.W - 2 * m, int(self.H * 0.15)

    def body_top(self, slide) -> int:
        title = slide.shapes.title
        bottom = title.top + title.height if title is not None else sum(self.title_box()[1::2])
        return int(bottom + self.H * 0.02)

    def notes(self, slide, lines: list[str]) -> None:
        from . import deck_charts as dc

        frame = slide.notes_slide.notes_text_frame
        dc.fill_text(frame, [_plain(line) for line in lines if line], size=12)


def write_deck(
    eng: Engagement,
    bu_id: str,
    path,
    *,
    lang: str = "en",
    template=None,
    positions="",
    facts=None,
    found=None,
) -> Path:
    """Write one BU's deck (.pptx) in ``lang``; return its path.

    Parameters
    ----------
    eng : Engagement
        As of the report's quarter.
    bu_id : str
    path : str or Path
        The .pptx to write (its folder must exist).
    lang : str
        ``en`` or ``zh``.
    template : str or Path, optional
        The firm's PowerPoint file: its master, layouts and slide size (its own slides are
        left out); checked by :func:`check_template`. Default: a neutral 16:9 deck.
    positions : str or Path, optional
        The group's positions computed once by a batch, as
        :class:`~kamanalysis.report.sections.Report` takes them.
    facts, found : dict, DataFrame, optional
        From :func:`kamanalysis.report.findings.diagnose` (computed here when not given).
    """
    from . import deck_charts as dc
    from .deck_sections import BUILDERS, section_findings
    from .findings import diagnose
    from .sections import Report

    if template is not None:
        check_template(template)
    if facts is None or found is None:
        facts, found = diagnose(eng, bu_id, lang=lang)
    report = Report(eng, bu_id, facts, found, lang, positions=positions)
    deck = _Deck(template, lang)
    quarter, named = report.quarter, report.eng
    groups, actions = summary_choice(facts, found, lang)
    capacity = facts.get("visit_capacity", DEFAULT_CAPACITY)
    plan = visit_plan(found, capacity)
    visits = _plain(visit_text(plan, capacity, lang)) if len(plan) else ""
    currency = named.currency
    bu_title = (
        f"{named.bu_name(bu_id, lang)} ({bu_id})"
        if lang == "en"
        else (f"{named.bu_name(bu_id, lang)}（{bu_id}）")
    )

    # the title slide: client, BU, quarter, the engagement
    slide = deck.slide(deck.title_layout, bu_title, largest=36)
    lines = [
        text("deck.subtitle", lang, quarter=quarter),
        _plain(
            text(
                "report.field",
                lang,
                name=text("report.client", lang),
                value=named.settings["engagement"]["client"],
            )
        ),
        _plain(text("report.field", lang, name=text("report.engagement", lang), value=named.name)),
    ]
    subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if subtitle is not None:
        dc.fill_text(subtitle.text_frame, lines, size=18, color=dc.MUTED)
    else:
        m = int(deck.W * 0.08)
        dc.text_box(
            slide,
            (m, int(deck.H * 0.6), deck.W - 2 * m, int(deck.H * 0.3)),
            lines,
            size=18,
            color=dc.MUTED,
        )
    deck.notes(slide, [verdict_text(facts, lang)])

    # the executive summary: the verdict and the issues
    m = int(deck.W * 0.04)
    width = deck.W - 2 * m
    slide = deck.slide(deck.body_layout, text("summary.title", lang))
    top = deck.body_top(slide)
    verdict = _plain(verdict_text(facts, lang))
    issues = [f"{i}. {_plain(_short(g[0].finding, lang))}" for i, g in enumerate(groups, 1)]
    words = [verdict, text("summary.issues", lang), *issues] if issues else [verdict]
    size = dc.fitted_size(
        " ".join(words) + " " * 60 * len(words), width / 914400, (deck.H - top) / 914400 - 0.3, 18
    )
    box = dc.text_box(slide, (m, top, width, deck.H - top - int(deck.H * 0.05)), words, size=size)
    box.text_frame.paragraphs[0].runs[0].font.bold = True
    deck.notes(slide, [verdict, *issues])

    # one slide per issue: the finding as the title, its actions, the evidence in the notes
    for number, group in enumerate(groups, start=1):
        first = group[0]
        slide = deck.slide(deck.body_layout, _plain(_short(first.finding, lang)), largest=26)
        top = deck.body_top(slide)
        lead = [text("deck.issue", lang, n=number, total=len(groups))]
        if first.stake == first.stake:
            stake = text("summary.stake", lang, stake=first.stake, currency=currency)
            lead[0] += " " + bracketed(stake, lang)
        dc.text_box(slide, (m, top, width, int(deck.H * 0.07)), lead, size=14, color=dc.MUTED)
        top += int(deck.H * 0.08)
        mine = [row for n, row in actions if n == number]
        if not mine:  # the summary gave its actions to other issues: the issue's own first
            mine = [row for row in group if row.action][:1]
        if mine:
            cells = [[text(f"deck.{c}", lang) for c in ("role", "due", "action", "measure")]]
            for row in mine:
                part = action_parts(row, lang, visits)
                cells.append([_plain(part[c]) for c in ("role", "due", "action", "measure")])
            dc.table(slide, (m, top, width, 0), cells, size=14, widths=(2, 1.6, 6, 3.4))
        else:
            dc.text_box(slide, (m, top, width, int(deck.H * 0.1)), [text("deck.no_action", lang)])
        more = [f"• {_plain(_short(row.finding, lang))}" for row in group[1 : 1 + FINDINGS]]
        found_lines = [text("summary.why", lang), *more]
        low = int(deck.H * 0.62)
        if more:  # the other findings of the issue (the first is the title)
            dc.text_box(
                slide,
                (m, low, width, deck.H - low - int(deck.H * 0.04)),
                found_lines,
                size=14,
                bold_first=True,
            )
        unit = CURRENCY_ZH.get(currency.upper(), currency) if lang == "zh" else currency
        evidence = [text("deck.evidence", lang, quarter=quarter, currency=unit)]
        evidence += [_plain(row.finding) for row in group]
        if first.stake == first.stake:
            evidence.append(
                _plain(text("summary.stake", lang, stake=first.stake, currency=currency))
            )
        deck.notes(slide, evidence)

    # one slide per section: its chart, at most one short table, its findings in the notes
    for key in SECTIONS:
        title = heading(key, lang, level=2).splitlines()[0].lstrip("#").strip()
        slide = deck.slide(deck.body_layout, title)
        top = deck.body_top(slide)
        findings = [_plain(f) for f in section_findings(report, key)]
        if findings:
            takeaway = _plain(_short(findings[0], lang))
            size = dc.fitted_size(takeaway, width / 914400, deck.H * 0.09 / 914400, 16)
            dc.text_box(
                slide, (m, top, width, int(deck.H * 0.09)), [takeaway], size=size, color=dc.MUTED
            )
        top += int(deck.H * 0.1)
        height = deck.H - top - int(deck.H * 0.04)
        split = int(width * CHART_SHARE)
        gap = int(deck.W * 0.02)
        chart_box = (m, top, split, height)
        table_box = (m + split + gap, top, width - split - gap, height)
        notes = BUILDERS[key](slide, report, chart_box, table_box)
        deck.notes(slide, [*findings, *notes])
    path = Path(path)
    deck.prs.save(str(path))
    return path
