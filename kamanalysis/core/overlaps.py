"""Where a figure's texts overlap: the measure behind the charts' label placement tests.

:func:`text_overlaps` draws a figure and returns every pair of its texts whose boxes, as the
renderer measures them, overlap (titles, axis labels, tick labels, annotations and other
texts, in every Axes and on the figure), every legend that lies over an Axes' data area or
over a text, and, in a figure laid out by the constrained layout (saved as it is, not
cropped to its contents), every text cut off at the figure's edge. A rotated text is its rotated
rectangle, not the upright box around it.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(3, 2))
>>> _ = ax.text(0.2, 0.5, "first label"), ax.text(0.25, 0.5, "second")
>>> text_overlaps(fig)
[('first label', 'second')]
>>> plt.close(fig)
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend import Legend
from matplotlib.text import Text

#: Overlaps smaller than this (pixels, each way) are touching, not overlapping.
TOLERANCE = 0.5


def _texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of the figure, tick labels of the ticks drawn only."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        texts += [t for t in ax.texts]
        texts += [t for t in ax.artists if isinstance(t, Text)]
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks():
                at = tick.get_loc()
                if at is not None and lo - span <= at <= hi + span:
                    texts += [tick.label1, tick.label2]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _corners(text: Text, renderer) -> np.ndarray:
    """Return the four corners (pixels) of a text's rectangle, rotated as drawn."""
    box = text.get_window_extent(renderer)
    angle = np.deg2rad(text.get_rotation() % 180)
    if angle == 0:
        return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    rotation = text.get_rotation()
    text.set_rotation(0)
    upright = text.get_window_extent(renderer)
    text.set_rotation(rotation)
    w, h = upright.width / 2, upright.height / 2
    c, s = np.cos(angle), np.sin(angle)
    local = np.array([[-w, -h], [w, -h], [w, h], [-w, h]])
    return local @ np.array([[c, s], [-s, c]]) + [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Tell whether two convex quadrilaterals overlap by more than :data:`TOLERANCE`.

    Separating axes: they do not when, along a normal of one of their edges, their
    shadows overlap by no more than the tolerance.
    """
    for poly in (a, b):
        for k in range(4):
            edge = poly[(k + 1) % 4] - poly[k]
            normal = np.array([-edge[1], edge[0]]) / (np.hypot(*edge) or 1.0)
            pa, pb = a @ normal, b @ normal
            if min(pa.max(), pb.max()) - max(pa.min(), pb.min()) <= TOLERANCE:
                return False
    return True


def _box(bbox) -> np.ndarray:
    x0, y0, x1, y1 = bbox.extents
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def text_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Draw ``fig`` and return what overlaps, as pairs of texts (see the module).

    A legend is named ``legend: <its title or first entry>``, an Axes' data area
    ``axes: <its title>``, the figure's edge ``figure edge``.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = _texts(fig)
    shapes = [_corners(t, renderer) for t in texts]
    found = [
        (texts[i].get_text(), texts[j].get_text())
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if _overlap(shapes[i], shapes[j])
    ]
    edge = fig.bbox.padded(TOLERANCE)
    laid_out = isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    found += [
        (t.get_text(), "figure edge")
        for t, corners in zip(texts, shapes, strict=True)
        if laid_out
        and (corners[:, 0].min() < edge.x0 or corners[:, 0].max() > edge.x1
             or corners[:, 1].min() < edge.y0 or corners[:, 1].max() > edge.y1)
    ]  # fmt: skip
    legends = [*fig.legends]
    for ax in fig.axes:
        legends += [c for c in ax.get_children() if isinstance(c, Legend) and c.get_visible()]
    for i, legend in enumerate(legends):
        texts_in = legend.get_texts()
        name = "legend: " + (legend.get_title().get_text() or texts_in[0].get_text())
        box = legend.get_window_extent(renderer)
        area = _box(box)
        if laid_out and not (edge.x0 <= box.x0 and box.x1 <= edge.x1):
            found.append((name, "figure edge"))
        elif laid_out and not (edge.y0 <= box.y0 and box.y1 <= edge.y1):
            found.append((name, "figure edge"))
        found += [
            (name, f"axes: {ax.get_title()}")
            for ax in fig.axes
            if _overlap(area, _box(ax.get_window_extent(renderer)))
        ]
        found += [
            (name, t.get_text())
            for t, corners in zip(texts, shapes, strict=True)
            if _overlap(area, corners)
        ]
        found += [
            (name, "legend: " + (other.get_title().get_text() or other.get_texts()[0].get_text()))
            for other in legends[i + 1 :]
            if _overlap(area, _box(other.get_window_extent(renderer)))
        ]
    return found
