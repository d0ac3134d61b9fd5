"""The deck's building blocks: fonts, text boxes, native charts and tables (python-pptx).

Every chart is a native PowerPoint chart object (bar, line, radar, bubble), so that a
consultant restyles it in PowerPoint; its numbers are the ones the report's tables show.
Every text run carries a Latin font and an East-Asian one (``a:ea``), so that Chinese
renders in PowerPoint and LibreOffice alike. Only :mod:`kamanalysis.report.deck` imports
this module, lazily: ``kam report`` without a deck never loads python-pptx.

Examples
--------
>>> from pptx import Presentation
>>> slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
>>> chart = line_chart(slide, (0, 0, 10**6, 10**6), ["Q1", "Q2"], {"revenue": [1.0, 2.5]})
>>> list(chart.plots[0].series[0].values)
[1.0, 2.5]
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence

from pptx.chart.data import BubbleChartData, CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Pt

#: The fonts every run and chart carries: Latin, and East-Asian (Chinese).
LATIN_FONT = "Arial"
EA_FONT = "Noto Sans CJK SC"
#: The deck's palette: text, muted text, and the series' colours (us first).
INK = RGBColor(0x22, 0x2B, 0x36)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
SERIES = ("1F5A96", "D9822B", "6A9C3A", "8E5EA2", "C44E52", "4C9A9A", "9C8A3A")
HEADER_FILL = RGBColor(0x1F, 0x5A, 0x96)
BAND_FILL = RGBColor(0xEE, 0xF2, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)

Box = tuple[int, int, int, int]  # left, top, width, height in EMU


def set_fonts(font, *, size: float | None = None, bold: bool | None = None, color=None) -> None:
    """Give a python-pptx ``Font`` the Latin and the East-Asian typeface (and size, weight)."""
    font.name = LATIN_FONT
    rpr = font._rPr  # the a:rPr / a:defRPr element behind the Font
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = OxmlElement("a:ea")
    ea.set("typeface", EA_FONT)
    rpr.find(qn("a:latin")).addnext(ea)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def fill_text(frame, lines: Sequence[str], *, size: float, color=INK, bold_first=False) -> None:
    """Write ``lines`` into a text frame, one paragraph each, wrapped, fonts set."""
    frame.word_wrap = True
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        set_fonts(run.font, size=size, bold=bold_first and i == 0, color=color)
        paragraph.space_after = Pt(size * 0.4)


def text_box(slide, box: Box, lines: Sequence[str], *, size: float = 14, color=INK, **kw):
    """Add a wrapped text box holding ``lines``; return the shape."""
    shape = slide.shapes.add_textbox(*map(Emu, box))
    fill_text(shape.text_frame, lines, size=size, color=color, **kw)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    return shape


def fitted_size(words: str, width_in: float, height_in: float, largest: float = 28) -> float:
    """Return the largest font size (pt, down to 12) at which ``words`` fit a box (inches).

    A Chinese character is counted about a font size wide, a Latin one about half.

    Examples
    --------
    >>> fitted_size("Short title", 12, 1)
    28
    >>> fitted_size("x" * 400, 12, 1) < 20
    True
    """
    width = sum(1.0 if ord(ch) > 0x2E80 else 0.52 for ch in words)
    size = largest
    while size > 12:
        per_line = width_in * 72 / size  # character widths (of 1 em) on one line
        lines = -(-width // per_line)
        if lines * size * 1.25 <= height_in * 72:
            return size
        size -= 2
    return 12


def _style_chart(chart, *, legend: bool, size: float = 12) -> None:
    set_fonts(chart.font, size=size, color=INK)
    chart.has_title = False  # the slide's title says what it shows
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        set_fonts(chart.legend.font, size=size)
    for i, series in enumerate(chart.plots[0].series):
        colour = RGBColor.from_string(SERIES[i % len(SERIES)])
        if chart.chart_type in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.RADAR_MARKERS):
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.25)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour


def _axis_title(axis, words: str) -> None:
    if not words:
        return
    axis.has_title = True
    axis.axis_title.text_frame.text = words
    set_fonts(axis.axis_title.text_frame.paragraphs[0].runs[0].font, size=11, color=MUTED)


def category_chart(
    slide,
    box: Box,
    kind,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    number_format: str = "#,##0.0",
    value_title: str = "",
    labels: bool = False,
):
    """Add a native category chart (bar, column, line, radar) of ``series``; return the chart."""
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, [None if v != v else float(v) for v in values])
    chart = slide.shapes.add_chart(kind, *map(Emu, box), data).chart
    _style_chart(chart, legend=len(series) > 1)
    if kind not in (XL_CHART_TYPE.RADAR_MARKERS, XL_CHART_TYPE.RADAR):
        _axis_title(chart.value_axis, value_title)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)
        chart.value_axis.tick_labels.number_format = number_format
        chart.value_axis.tick_labels.number_format_is_linked = False
    if labels:
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = number_format
        plot.data_labels.number_format_is_linked = False
        set_fonts(plot.data_labels.font, size=10, color=INK)
    return chart


def line_chart(slide, box: Box, categories, series, **kw):
    """Add a native line chart with markers (a value per category)."""
    return category_chart(slide, box, XL_CHART_TYPE.LINE_MARKERS, categories, series, **kw)


def radar_chart(slide, box: Box, categories, series, *, low: float, high: float, **kw):
    """Add a native radar chart on the scale ``low``-``high`` (one axis per category)."""
    chart = category_chart(slide, box, XL_CHART_TYPE.RADAR_MARKERS, categories, series, **kw)
    chart.value_axis.minimum_scale = low
    chart.value_axis.maximum_scale = high
    chart.value_axis.major_unit = 1
    return chart


def bar_chart(slide, box: Box, categories, series, *, horizontal: bool = False, **kw):
    """Add a native clustered bar (``horizontal``) or column chart."""
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = category_chart(slide, box, kind, categories, series, **kw)
    chart.plots[0].gap_width = 60
    return chart


def bubble_chart(
    slide,
    box: Box,
    groups: Mapping[str, Sequence[tuple[float, float, float]]],
    *,
    x_title: str,
    y_title: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
):
    """Add a native bubble chart: one series per group of (x, y, size) points."""
    data = BubbleChartData(number_format="0.00")
    for name, points in groups.items():
        series = data.add_series(name)
        for x, y, size in points:
            series.add_data_point(float(x), float(y), float(size))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BUBBLE, *map(Emu, box), data).chart
    _style_chart(chart, legend=True)
    chart.plots[0].bubble_scale = 35
    for axis, title, (low, high) in (
        (chart.category_axis, x_title, x_range),
        (chart.value_axis, y_title, y_range),
    ):
        _axis_title(axis, title)
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = low, high, 1
    for series in chart.plots[0].series:  # translucent bubbles: overlapping ones stay visible
        fill = series.format.fill._xPr.find(qn("a:solidFill"))
        alpha = OxmlElement("a:alpha")
        alpha.set("val", "70000")
        fill[0].append(alpha)
    return chart


def chart_values(chart) -> list[list[float]]:
    """Return a chart's series values (y values of an XY / bubble chart), series by series."""
    return [list(series.values) for series in chart.plots[0].series]


def table_cells(styler) -> list[list[str]]:
    """Return the cells of a report table (a pandas Styler) as the report shows them.

    The header row first (the index's name, then the columns' headers), then one row per
    table row; numbers and words formatted by the report's own formats.
    """
    lines = styler.to_string(delimiter="\t").rstrip("\n").split("\n")
    rows = [[html.unescape(cell) for cell in line.split("\t")] for line in lines]
    data = styler.data
    hide = styler.hide_index_  # a list of one flag per index level (pandas >= 1.4)
    hidden = all(hide) if isinstance(hide, list) else bool(hide)
    named = not hidden and any(name is not None for name in data.index.names)
    head = rows[0]
    if named:  # pandas writes the index's name on a second header line
        head = [*rows[1][: data.index.nlevels], *head[data.index.nlevels :]]
        rows = rows[1:]
    if hidden and len(head) > len(data.columns):
        head = head[-len(data.columns) :]
    return [head, *rows[1:]]


def table(slide, box: Box, cells: list[list[str]], *, size: float = 12, widths=None):
    """Add a native (editable) table: a header row, then the rows; numbers right-aligned."""
    n_rows, n_cols = len(cells), max(len(row) for row in cells)
    row_height = int(Pt(size * 2.1))
    left, top, width, _ = box
    shape = slide.shapes.add_table(n_rows, n_cols, Emu(left), Emu(top), Emu(width), row_height)
    grid = shape.table
    if widths:
        total = sum(widths)
        for j, share in enumerate(widths):
            grid.columns[j].width = Emu(int(width * share / total))
    number = re.compile(r"^[-+–]?[\d,.]+\s*%?$|^–$")
    for i, row in enumerate(cells):
        grid.rows[i].height = row_height
        for j in range(n_cols):
            cell = grid.cell(i, j)
            words = row[j] if j < len(row) else ""
            cell.text = words
            cell.margin_left = cell.margin_right = Pt(4)
            cell.margin_top = cell.margin_bottom = Pt(2)
            paragraph = cell.text_frame.paragraphs[0]
            if j and number.match(words) and i:
                paragraph.alignment = PP_ALIGN.RIGHT
            for run in paragraph.runs:
                set_fonts(run.font, size=size, bold=i == 0, color=WHITE if i == 0 else INK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if i == 0 else BAND_FILL if i % 2 else WHITE
    return shape


def picture(slide, box: Box, figure, *, dpi: int = 110):
    """Add a matplotlib figure as a picture fitted into ``box`` (its aspect kept)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    buffer.seek(0)
    left, top, width, height = box
    shape = slide.shapes.add_picture(buffer, Emu(left), Emu(top))
    scale = min(width / shape.width, height / shape.height)
    shape.width, shape.height = int(shape.width * scale), int(shape.height * scale)
    shape.left = int(left + (width - shape.width) / 2)
    return shape
