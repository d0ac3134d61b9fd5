"""The group page as two slides: native, editable tables and the grids as a picture (issue 21).

:func:`write_slides` returns the bytes of ``group.pptx``: slide 1, where each BU stands
(the table of BUs with the reconciled stance, then the IE and GE grids); slide 2, the
group's accounts most at risk and each BU's capacity and organisation move. The tables are
PowerPoint tables (a consultant restyles them), the text the page's
(:func:`kamanalysis.report.group_page.group_tables`). python-pptx is imported here only,
so that ``group.html`` needs none of it.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..base.errors import ReportError
from ..base.i18n import text
from ..diagnosis.group import GroupView
from ..diagnosis.summary import HEALTH_AT_RISK
from .group_page import GroupTable

#: The CJK font the slides name for Chinese text (East Asian and Latin runs alike).
SLIDE_FONT_ZH = "Noto Sans CJK SC"
#: Text size of the tables (points), and of the slides' titles.
TABLE_PT, TITLE_PT = 8, 20
#: EMU per inch and per point (python-pptx's units).
INCH, POINT = 914400, 12700


def _lines(value: str, width: int, size: float) -> int:
    """Estimate how many lines ``value`` takes in a column ``width`` EMU wide."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in str(value))
    room = max((width - 0.1 * INCH) / (size * POINT), 1.0)
    return max(1, -(-int(ems) // int(room)) if ems else 1)


def _heights(table, widths: list[int], size: float) -> list[int]:
    """Estimate each row's height (EMU): its tallest cell, at 1.2 lines per point size."""
    line = size * POINT * 1.25
    return [
        int(
            max(_lines(v, w, size) for v, w in zip(values, widths, strict=True)) * line + 0.1 * INCH
        )
        for values in [table.headers, *table.rows]
    ]


def _open(template: str | Path | None):
    """Return a Presentation: the template's (its slides removed) or python-pptx's default."""
    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError as exc:  # pragma: no cover - the dependency is declared
        raise ReportError(
            "group.pptx: python-pptx is not installed (pip install python-pptx)"
        ) from exc
    if template is None:
        deck = Presentation()
        deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
        return deck
    path = Path(template)
    try:
        deck = Presentation(str(path))
    except Exception as exc:  # a missing file, not a zip, not a presentation
        raise ReportError(
            f"{path}: expected a readable PowerPoint template (.pptx), "
            f"got {type(exc).__name__}: {exc}"
        ) from exc
    slides = deck.slides._sldIdLst  # the template's own slides: only its master is wanted
    for entry in list(slides):
        deck.part.drop_rel(entry.rId)
        slides.remove(entry)
    return deck


def _layout(deck):
    """Return the layout with a title and the fewest other placeholders ("Title Only")."""
    best = None
    for layout in deck.slide_layouts:
        kinds = [p.placeholder_format.type for p in layout.placeholders]
        titled = any(str(k).startswith("TITLE") for k in kinds)
        if titled and (best is None or len(kinds) < best[0]):
            best = (len(kinds), layout)
    return best[1] if best else deck.slide_layouts[-1]


def _font(run, lang: str, size: float, bold: bool = False) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if lang == "zh":  # the Latin and the East Asian typeface both: CJK text in any master
        run.font.name = SLIDE_FONT_ZH
        rpr = run._r.get_or_add_rPr()
        ea = rpr.find(qn("a:ea"))
        if ea is None:
            ea = rpr.makeelement(qn("a:ea"), {})
            rpr.append(ea)
        ea.set("typeface", SLIDE_FONT_ZH)


def _slide(deck, title: str, lang: str):
    slide = deck.slides.add_slide(_layout(deck))
    for shape in list(slide.placeholders):
        if shape.placeholder_format.idx != 0:  # keep the title, drop the rest
            shape._element.getparent().remove(shape._element)
    if slide.shapes.title is not None:
        shape = slide.shapes.title  # across the slide's top, whatever the layout's size
        width, height = int(deck.slide_width), int(deck.slide_height)
        shape.left, shape.top = int(width * 0.03), int(height * 0.02)
        shape.width, shape.height = int(width * 0.94), int(height * 0.11)
        shape.text = title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            for run in paragraph.runs:
                _font(run, lang, TITLE_PT, bold=True)
    return slide


def _table(slide, table, lang: str, box: tuple[int, int, int], widths) -> int:
    """Add ``table`` (a GroupTable) as a native table at (left, top, width); return its height.

    Column widths are in proportion to ``widths``; each row is as tall as its text needs
    (estimated), so that what follows is placed below it.
    """
    from pptx.enum.text import PP_ALIGN

    left, top, width = box
    total = sum(widths)
    columns = [int(width * w / total) for w in widths]
    heights = _heights(table, columns, TABLE_PT)
    rows, cols = len(table.rows) + 1, len(table.headers)
    grid = slide.shapes.add_table(rows, cols, left, top, width, sum(heights)).table
    for i, w in enumerate(columns):
        grid.columns[i].width = w
    for r, values in enumerate([table.headers, *table.rows]):
        grid.rows[r].height = heights[r]
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = str(value)
            cell.margin_top = cell.margin_bottom = int(0.03 * INCH)
            for paragraph in cell.text_frame.paragraphs:
                if table.numeric[c]:
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    _font(run, lang, TABLE_PT, bold=r == 0)
    return sum(heights)


def _pick(table, keep: list[int]):
    """Return ``table`` with only the columns ``keep``."""
    return GroupTable(
        [table.headers[i] for i in keep],
        [[row[i] for i in keep] for row in table.rows],
        [table.numeric[i] for i in keep],
    )


def write_slides(
    eng, view: GroupView, tables: dict, grids_png: bytes, template: str | Path | None = None
) -> bytes:
    """Return ``group.pptx`` as bytes: the group page on two slides (see the module).

    Raises
    ------
    ReportError
        ``template`` is not a readable .pptx (the message names the file).
    """
    from pptx.util import Emu

    deck = _open(template)
    lang = view.lang
    w, h = int(deck.slide_width), int(deck.slide_height)
    margin, top = int(w * 0.03), int(h * 0.15)
    inner, gap = w - 2 * margin, int(h * 0.02)
    client = eng.settings["engagement"]["client"]
    first = _slide(
        deck, text("group.slide_title", lang, engagement=client, quarter=view.quarter), lang
    )
    widths = [16, 8, 10, 8, 8, 9, 7, 9, 9, 14, 16]
    below = top + _table(first, tables["bus"], lang, (margin, top, inner), widths) + gap
    room = max(h - below - gap, int(h * 0.2))
    picture = first.shapes.add_picture(io.BytesIO(grids_png), margin, below, height=Emu(room))
    if picture.width > inner:  # keep the picture's shape, within the margins
        ratio = inner / picture.width
        picture.width, picture.height = int(inner), int(picture.height * ratio)
    picture.left = int((w - picture.width) / 2)
    second = _slide(deck, text("group.slide_actions", lang, quarter=view.quarter), lang)
    risk = tables["at_risk"]
    heading = text("group.at_risk", lang, n=len(risk.rows), cut=HEALTH_AT_RISK)
    box = second.shapes.add_textbox(margin, top, inner, int(h * 0.04))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = heading
    _font(run, lang, 11, bold=True)
    below = top + int(h * 0.05)
    if risk.rows:  # the signals go to the notes: the evidence behind each line
        short = _pick(risk, [0, 1, 2, 3, 4, 6])
        below += _table(second, short, lang, (margin, below, inner), [20, 14, 10, 11, 8, 37])
        below += gap
        notes = second.notes_slide.notes_text_frame
        notes.text = "\n".join(f"{row[0]}: {row[5]}" for row in risk.rows)
    keep = [0, 1, 5, 6, 7, 10]  # BU, stance, span used, status, what to do, the move
    _table(
        second, _pick(tables["capacity"], keep), lang, (margin, below, inner), [12, 6, 6, 7, 27, 42]
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
