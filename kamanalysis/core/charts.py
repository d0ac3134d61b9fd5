"""Shared drawing pieces: axes creation, a radar with per-axis scales, a bubble matrix.

The tools' ``plot_*`` functions draw through these, so that every radar and every
matrix of the package looks and behaves the same. Each function draws only through
the Axes it is given (never ``plt.*`` on the current figure) and returns it.

- :func:`get_axes`: the caller's Axes, or a new figure's; checks that a radar is given
  a polar Axes and says how to make one when it is not; sets up the CJK font
  (:mod:`kamanalysis.core.fonts`), so Chinese labels draw as characters.
- :func:`radar`: one closed line per series on a radar whose axes share one scale or
  each carry their own (values are then drawn as the fraction of their axis' range,
  and each spoke is labelled with its own bounds).
- :func:`bubble_matrix`: points on a grid of cells drawn at given edges, bubble area
  by size, only the ``top`` largest labelled (legible with 20,000 points).
- :func:`place_labels` (:class:`LabelPlacer`): each label at the first of its places
  where, measured with the renderer when the figure is drawn (after its layout), it
  overlaps no other text; :func:`legend_outside` and :func:`encoding_legends`: one legend
  per encoding (colours, shading, bubble size), outside the axes, none over another.
  :func:`kamanalysis.core.overlaps.text_overlaps` measures what still overlaps (the tests
  require nothing on the sample's charts).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = radar(None, ["a", "b", "c"], {"us": [3, 4, 2]}, scales=(1, 5))
>>> ax.name, [float(v) for v in ax.get_ylim()]
('polar', [1.0, 5.0])
>>> ax = bubble_matrix(None, [1.5, 4], [2, 3], x_edges=[1, 2.5, 5], y_edges=[1, 3, 5],
...                    labels=["A", "B"])
>>> vertical, horizontal = ax.lines
>>> float(vertical.get_xdata()[0]), float(horizontal.get_ydata()[0])
(2.5, 3.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import ScaledTranslation

from ..base._validation import describe
from ..base.errors import InputValidationError, Problem
from ..base.i18n import text as catalogue_text
from .fonts import check_text, use_cjk_font

# set up on import, before any figure makes a text: every process that imports the package
# (a batch kernel, the index page, an account plan) draws Chinese as characters
use_cjk_font()

#: The package's colours: ours, the leader's, the others', and good / bad.
COLORS = {
    "focal": "#1F4E79",
    "leader": "#C62828",
    "other": "#9E9E9E",
    "good": "#2E7D32",
    "bad": "#C62828",
    "highlight": "#EF6C00",
    "grid": "grey",
    "cell_text": "#BBBBBB",
    "cell_text_on_dots": "#555555",
}
#: Above this many points a matrix draws small, lighter bubbles.
MANY_POINTS = 200
#: Bubble areas (points^2) for few and for many points; the largest size gets ``largest``.
BIG_BUBBLES = {"smallest": 200.0, "largest": 2400.0}
SMALL_BUBBLES = {"smallest": 2.0, "largest": 600.0}
#: The ground of a text drawn over many dots.
PLATE = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
#: Line colours for further series, in order.
CYCLE = ("#1F4E79", "#C62828", "#EF6C00", "#6A1B9A", "#00838F", "#9E9E9E")


def get_axes(
    ax: Axes | None = None,
    *,
    figsize: tuple[float, float] = (6, 6),
    polar: bool = False,
    where: str = "plot",
) -> Axes:
    """Return ``ax``, or the Axes of a new figure of ``figsize``.

    Parameters
    ----------
    ax : Axes, optional
    figsize : (width, height)
        Size of the new figure, in inches.
    polar : bool
        The drawing needs a polar Axes: a new one is polar, and a given one that is
        not raises an error saying how to make one.
    where : str
        The calling function, for messages.

    Raises
    ------
    InputValidationError
        ``polar`` and ``ax`` is not a polar Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig, flat = plt.subplots()
    >>> get_axes(flat, polar=True, where="plot_benchmark_radar")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - plot_benchmark_radar, column ax: expected a polar Axes, made with \
plt.subplots(subplot_kw={"projection": "polar"}) or fig.add_subplot(projection="polar"), \
got a rectilinear Axes
    """
    use_cjk_font()  # before any text is made: CJK glyphs fall back to the CJK font
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, subplot_kw={"projection": "polar"} if polar else {})
        return ax
    if polar and ax.name != "polar":
        raise InputValidationError(
            [
                Problem(
                    where,
                    'a polar Axes, made with plt.subplots(subplot_kw={"projection": "polar"}) '
                    'or fig.add_subplot(projection="polar")',
                    f"a {ax.name} Axes",
                    column="ax",
                )
            ]
        )
    return ax


def _is_one_scale(scales) -> bool:
    """Tell one (lo, hi) pair (True) from a sequence of pairs (False)."""
    return len(scales) == 2 and all(np.ndim(s) == 0 for s in scales)


def _check_scales(scales, n: int, where: str) -> list[tuple[float, float]]:
    """One (lo, hi) per axis from a single scale or a sequence of them."""
    if _is_one_scale(scales):
        scales = [tuple(scales)] * n
    scales = [tuple(float(v) for v in s) for s in scales]
    bad = [s for s in scales if len(s) != 2 or not s[0] < s[1]]
    if len(scales) != n or bad:
        raise InputValidationError(
            [
                Problem(
                    where,
                    f"one scale (lo, hi) with lo < hi, or {n} of them (one per axis)",
                    describe(str(bad[0] if bad else scales)),
                    column="scales",
                )
            ]
        )
    return scales


def radar(
    ax: Axes | None,
    axis_labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    scales: Sequence = (1, 5),
    colors: Mapping[str, str] | None = None,
    fill: Sequence[str] | None = None,
    linestyles: Mapping[str, str] | None = None,
    where: str = "radar",
) -> Axes:
    """Draw series on a radar, clockwise from the top.

    Parameters
    ----------
    ax : Axes or None
        A polar Axes, or None for a new figure.
    axis_labels : sequence of str
        One label per axis (spoke).
    series : mapping name -> values
        One value per axis for each series; NaN leaves a gap in the line.
    scales : (lo, hi) or a sequence of (lo, hi), one per axis
        One shared scale: the radial axis runs from lo to hi. One scale per axis: each
        value is drawn as the fraction of its axis' range (radius 0 to 1) and each spoke
        is labelled with its own lo and hi.
    colors : mapping name -> colour, optional
        Default: :data:`CYCLE` in order.
    fill : sequence of names, optional
        Series whose area is shaded; default the first.
    linestyles : mapping name -> linestyle, optional
    where : str
        Calling function, for messages.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = radar(None, ["price", "share"], {"us": [2, 30]}, scales=[(1, 5), (0, 40)])
    >>> [float(v) for v in ax.get_ylim()], [round(float(y), 2) for y in ax.lines[0].get_ydata()]
    ([0.0, 1.0], [0.25, 0.75, 0.25])
    """
    ax = get_axes(ax, figsize=(5.5, 5.5), polar=True, where=where)
    check_text([*axis_labels, *series], where=where)
    n = len(axis_labels)
    shared = _is_one_scale(scales)
    per_axis = _check_scales(scales, n, where)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.append(angles, angles[:1])
    colors = dict(colors or {})
    fill = list(series)[:1] if fill is None else list(fill)
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype="float64")
        if len(values) != n:
            raise InputValidationError(
                [Problem(where, f"{n} values (one per axis)", f"{len(values)}", column=name)]
            )
        if not shared:
            lo = np.array([s[0] for s in per_axis])
            hi = np.array([s[1] for s in per_axis])
            values = (values - lo) / (hi - lo)
        color = colors.get(name, CYCLE[i % len(CYCLE)])
        line = np.append(values, values[:1])
        style = (linestyles or {}).get(name, "-")
        ax.plot(closed, line, color=color, marker="o", linestyle=style, label=str(name))
        if name in fill:
            ax.fill(
                closed,
                np.nan_to_num(line, nan=per_axis[0][0] if shared else 0),
                color=color,
                alpha=0.15,
            )
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, [str(label) for label in axis_labels])
    # each spoke's name extends away from the circle; the scale's numbers between two spokes
    for tick, angle in zip(ax.get_xticklabels(), angles, strict=True):
        across, up = np.sin(angle), np.cos(angle)  # clockwise from the top
        tick.set_ha("left" if across > 0.1 else "right" if across < -0.1 else "center")
        tick.set_va("bottom" if up > 0.1 else "top" if up < -0.1 else "center")
    ax.set_rlabel_position(float(np.degrees(np.pi / n)) if n else 0.0)
    if shared:
        ax.set_ylim(*per_axis[0])
    else:
        ax.set_ylim(0, 1)
        ax.set_yticklabels([])
        for angle, (lo, hi) in zip(angles, per_axis, strict=True):
            ax.text(angle, 0.04, f"{lo:g}", fontsize=7, color=COLORS["other"], ha="center")
            ax.text(angle, 0.96, f"{hi:g}", fontsize=7, color=COLORS["other"], ha="center")
    return ax


def bubble_sizes(size, *, smallest: float = 30.0, largest: float = 2200.0) -> np.ndarray:
    """Marker areas proportional to ``size`` (the largest gets ``largest``).

    Missing or negative sizes count as 0; with no size at all every bubble gets 300.

    Examples
    --------
    >>> bubble_sizes([10, 5, None]).tolist()
    [2200.0, 1115.0, 30.0]
    """
    if size is None:
        return np.array([])
    values = np.nan_to_num(np.asarray(size, dtype="float64"), nan=0.0).clip(min=0)
    top = values.max() if len(values) and values.max() > 0 else 1.0
    return smallest + (largest - smallest) * values / top


def bubble_matrix(
    ax: Axes | None,
    x: Sequence[float],
    y: Sequence[float],
    *,
    x_edges: Sequence[float],
    y_edges: Sequence[float],
    labels: Sequence[str] | None = None,
    size: Sequence[float] | None = None,
    top: int | None = None,
    cell_text: Mapping[tuple[int, int], str] | None = None,
    cell_colors: Mapping[tuple[int, int], str] | None = None,
    invert_x: bool = False,
    color: str | Sequence[str] = COLORS["focal"],
    labels_inside: bool = False,
    many: bool | None = None,
    declutter: bool = False,
    where: str = "bubble_matrix",
) -> Axes:
    """Draw points on a grid of cells whose lines sit exactly on the given edges.

    Parameters
    ----------
    ax : Axes or None
    x, y : sequences of numbers
        Positions.
    x_edges, y_edges : sequences of numbers
        Cell edges, lowest first; the outer ones are the axis limits, the inner ones
        are drawn as grid lines (vertical first, then horizontal: ``ax.lines``).
    labels : sequence of str, optional
        Text of each point.
    size : sequence of numbers, optional
        Bubble area is proportional to it; without it every bubble is the same.
    top : int, optional
        Label only the ``top`` points with the largest size (all when None).
    cell_text : mapping (column, row) -> str, optional
        Text in the middle of a cell; (0, 0) is the lowest x band and lowest y band.
    cell_colors : mapping (column, row) -> colour, optional
        Shading of a cell (a zone to highlight).
    invert_x : bool
        High x on the left (IE and GE matrices are drawn so).
    color : colour or one per point
    labels_inside : bool
        Write the label on the bubble (few big bubbles) instead of beside it.
    many : bool, optional
        Draw small, light bubbles, and texts on a white ground (default: above
        :data:`MANY_POINTS` points).
    declutter : bool
        Place the labels (largest size first) with :func:`place_labels`: each beside its
        point where, measured with the figure's renderer, it overlaps no label placed
        before it nor a cell's text; a label with no free place is left out (its point
        stays). Use it with a final figure size: the places are measured as drawn.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = bubble_matrix(None, [1, 2, 3], [1, 2, 3], x_edges=[0, 2, 4], y_edges=[0, 2, 4],
    ...                    labels=["a", "b", "c"], size=[1, 5, 3], top=2)
    >>> sorted(t.get_text() for t in ax.texts)
    ['b', 'c']
    """
    ax = get_axes(ax, where=where)
    check_text([*(labels if labels is not None else []), *(cell_text or {}).values()], where=where)
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    x_edges = [float(e) for e in x_edges]
    y_edges = [float(e) for e in y_edges]
    for edge in x_edges[1:-1]:
        ax.axvline(edge, color=COLORS["grid"], linewidth=0.8)
    for edge in y_edges[1:-1]:
        ax.axhline(edge, color=COLORS["grid"], linewidth=0.8)
    if invert_x:
        ax.set_xlim(x_edges[-1], x_edges[0])
    else:
        ax.set_xlim(x_edges[0], x_edges[-1])
    ax.set_ylim(y_edges[0], y_edges[-1])
    for (i, j), shade in (cell_colors or {}).items():
        ax.axvspan(
            x_edges[i],
            x_edges[i + 1],
            ymin=_frac(y_edges, j),
            ymax=_frac(y_edges, j + 1),
            color=shade,
            alpha=0.12,
            linewidth=0,
        )
    many = len(x) > MANY_POINTS if many is None else many
    # over thousands of dots, texts need a ground of their own to be read
    ground = {"bbox": PLATE} if many else {}
    for (i, j), text in (cell_text or {}).items():
        if text:
            ax.text(
                (x_edges[i] + x_edges[i + 1]) / 2,
                (y_edges[j] + y_edges[j + 1]) / 2,
                text,
                ha="center",
                va="center",
                color=COLORS["cell_text_on_dots"] if many else COLORS["cell_text"],
                fontsize=9,
                **ground,
            )
    if size is None:
        areas = np.full(len(x), 20.0 if many else 300.0)
    else:  # many points stay small, so that 20,000 accounts do not cover the matrix
        areas = bubble_sizes(size, **(SMALL_BUBBLES if many else BIG_BUBBLES))
    ax.scatter(
        x,
        y,
        s=areas,
        alpha=0.35 if many else 0.6,
        color=color,
        edgecolor="none" if many else "white",  # outlines of 20,000 dots: time, no ink
        linewidth=0 if many else 1.0,
    )
    if labels is None:
        return ax
    if declutter or top is not None:
        weights = np.arange(len(x), 0, -1) if size is None else np.asarray(size, "float64")
        order = np.argsort(-np.nan_to_num(weights, nan=-np.inf), kind="stable")[:top]
    else:
        order = np.arange(len(x))
    obstacles = [t for t in ax.texts if t.get_text()]  # the cells' names
    radius = np.sqrt(areas) / 2  # a bubble's radius in points
    places = None
    if labels_inside and not declutter:  # on the bubble; beside it when that overlaps
        places = [[INSIDE, *around(float(r))] for r in radius[order]]
    place_labels(ax, x, y, labels, order, obstacles=obstacles, ground=ground, places=places)
    return ax


def _frac(edges: list[float], k: int | float) -> float:
    """Position of edge ``k`` (or of value ``k``, a float) as a fraction of the axis."""
    value = edges[k] if isinstance(k, int) else k
    return (value - edges[0]) / (edges[-1] - edges[0])


#: Where :func:`place_labels` tries a label beside its point, in order: the offset from the
#: point (points) and the alignment that puts the text on that side; the second ring of
#: places lies further out.
LABEL_PLACES = tuple(
    ((sx * step, sy * rise), ha, va)
    for step, rise in ((5, 4), (10, 10))
    for (sx, sy), ha, va in (
        ((1, 1), "left", "bottom"),
        ((-1, 1), "right", "bottom"),
        ((1, -1), "left", "top"),
        ((-1, -1), "right", "top"),
        ((0, 2), "center", "bottom"),
        ((0, -2), "center", "top"),
    )
)
#: A label written on its bubble (white on the bubble's colour).
INSIDE = ((0, 0), "center", "center", {"color": "white", "weight": "bold"})


def around(radius: float, gap: float = 2.0) -> list[tuple]:
    """Places for a label just outside a bubble of ``radius`` points: above, below, beside.

    Examples
    --------
    >>> [p[:3] for p in around(10)[:2]]
    [((0, 12.0), 'center', 'bottom'), ((0, -12.0), 'center', 'top')]
    """
    d = radius + gap
    dark = {"color": "black", "weight": "normal"}
    return [
        ((0, d), "center", "bottom", dark),
        ((0, -d), "center", "top", dark),
        ((d, 0), "left", "center", dark),
        ((-d, 0), "right", "center", dark),
        ((d * 0.7, d * 0.7), "left", "bottom", dark),
        ((-d * 0.7, d * 0.7), "right", "bottom", dark),
        ((d * 0.7, -d * 0.7), "left", "top", dark),
        ((-d * 0.7, -d * 0.7), "right", "top", dark),
    ]


class LabelPlacer(Artist):
    """Puts each of ``texts`` at the first of its places where it overlaps no other text.

    The places are measured with the renderer when the figure is drawn, after its layout
    (a constrained layout shrinks the axes, and a label's offset is in points): a place
    must keep the text inside the axes and clear of ``obstacles`` and of the texts placed
    before it. A text with no free place is hidden, or, with ``keep``, left at its first
    place. The placer draws nothing and is drawn before the axes' texts.
    """

    def __init__(self, texts: Sequence, places: Sequence, *, obstacles=(), keep=False):
        super().__init__()
        self.texts, self.places = list(texts), list(places)
        self.obstacles, self.keep = list(obstacles), keep
        self.set_zorder(-1e9)
        self.set_in_layout(False)

    def place(self, renderer) -> None:
        """Place every text, in order (see the class)."""
        frame = self.axes.get_window_extent(renderer).padded(0.5)
        taken = [o.get_window_extent(renderer) for o in self.obstacles if o.get_visible()]
        for text, places in zip(self.texts, self.places, strict=True):
            text.set_visible(True)
            for place in (*places, places[0]):
                _put(text, place)
                box = text.get_window_extent(renderer)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1
                inside = inside and frame.y0 <= box.y0 and box.y1 <= frame.y1
                if inside and not any(box.overlaps(other) for other in taken):
                    taken.append(box)
                    break
            else:
                text.set_visible(self.keep)
                if self.keep:
                    taken.append(text.get_window_extent(renderer))

    def draw(self, renderer) -> None:
        """Place the texts (nothing of its own to draw)."""
        self.place(renderer)


def _put(text, place: tuple) -> None:
    offset, ha, va, *style = place
    text.set_position(offset)
    text.set_ha(ha)
    text.set_va(va)
    for key, value in (style[0] if style else {}).items():
        getattr(text, f"set_{key}")(value)


def place_labels(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    order: Sequence[int],
    *,
    obstacles: Sequence = (),
    ground: Mapping | None = None,
    fontsize: float = 8,
    places: Sequence | None = None,
    keep: bool = False,
) -> list:
    """Label the points ``order`` names, in that order, where no label overlaps another.

    Each label is tried at its places (default :data:`LABEL_PLACES`; ``places`` gives a
    list of places per label, each ``(offset in points, ha, va[, text properties])``); it
    takes the first where its box, measured with the figure's renderer, stays inside the
    axes and overlaps neither a label placed before it nor one of ``obstacles`` (texts
    already drawn). A label with no free place is hidden (with ``keep``, left at its first
    place). The labels are placed now and again each time the figure is drawn
    (:class:`LabelPlacer`), so that they stay clear after the figure's layout. Returns the
    labels shown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig, ax = plt.subplots(figsize=(3, 3))
    >>> ax.set_xlim(0, 1), ax.set_ylim(0, 1)  # doctest: +ELLIPSIS
    (...)
    >>> kept = place_labels(ax, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], ["A", "B", "C"], [0, 1, 2])
    >>> [t.get_text() for t in kept], [t.get_ha() for t in kept]
    (['A', 'B', 'C'], ['left', 'right', 'left'])
    """
    texts = [
        ax.annotate(
            str(labels[k]),
            (x[k], y[k]),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=fontsize,
            **(ground or {}),
        )
        for k in order
    ]
    placer = LabelPlacer(
        texts, places or [LABEL_PLACES] * len(texts), obstacles=obstacles, keep=keep
    )
    ax.add_artist(placer)
    placer.place(ax.figure.canvas.get_renderer())
    return [t for t in texts if t.get_visible()]


def legend_outside(
    ax: Axes,
    handles: Sequence,
    labels: Sequence[str],
    *,
    title: str | None = None,
    side: str = "right",
    fontsize: float = 8,
    **kwargs,
):
    """Add a legend outside the axes, beyond its tick labels, after the legends added before.

    ``side="right"``: the legends stack downwards from the axes' top, right of everything
    the axes shows (its tick labels included); ``"below"``: they line up from the left,
    under its x label. The distance is measured in points, so it holds whatever size the
    layout gives the axes. One legend per encoding (colours, shading, bubble size), each
    with its ``title``. Returns the legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig, ax = plt.subplots()
    >>> dots = ax.scatter([1, 2], [1, 2], label="account")
    >>> first = legend_outside(ax, [dots], ["account"], title="colour")
    >>> second = legend_outside(ax, [dots], ["account"], title="size")
    >>> fig.canvas.draw()
    >>> a, b, frame = (x.get_window_extent() for x in (first, second, ax))
    >>> a.x0 > frame.x1 and b.y1 <= a.y0 and ax.get_legend() is first
    True
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    before = getattr(ax, "_outside_legends", [])
    for legend in before:
        legend.set_in_layout(False)
    decorated = ax.get_tightbbox(renderer, for_layout_only=True)
    for legend in before:
        legend.set_in_layout(True)
    frame, points = ax.get_window_extent(renderer), fig.dpi / 72
    legend = Legend(
        ax, list(handles), [str(label) for label in labels], loc="upper left",
        bbox_to_anchor=(1, 1) if side == "right" else (0, 0), bbox_transform=ax.transAxes,
        borderaxespad=0, fontsize=fontsize, title=title, title_fontsize=fontsize, **kwargs,
    )  # fmt: skip
    sizes = [
        (box.width / points, box.height / points)
        for box in (b.get_window_extent(renderer) for b in (*before, legend))
    ]
    gap = 8.0
    if side == "right":
        dx = max(decorated.x1 - frame.x1, 0) / points + gap
        dy = -sum(h + gap for _, h in sizes[:-1])
    else:  # in rows under the x label, a new row when the axes' width is full
        width, x, y, row = frame.width / points, 0.0, 0.0, 0.0
        for w, h in sizes:
            if x > 0 and x + w > width:
                x, y, row = 0.0, y + row + gap, 0.0
            dx, dy = x, -(max(frame.y0 - decorated.y0, 0) / points + gap + y)
            x, row = x + w + gap, max(row, h)
    legend.set_bbox_to_anchor(
        (1, 1) if side == "right" else (0, 0),
        transform=ax.transAxes + ScaledTranslation(dx / 72, dy / 72, fig.dpi_scale_trans),
    )
    legend._loc_used_default = False
    if ax.legend_ is None:
        ax.legend_ = legend
        legend._remove_method = ax._remove_legend
    else:
        ax.add_artist(legend)
        legend.set_clip_on(False)  # drawn outside the axes, and counted by the layout
    ax._outside_legends = [*before, legend]
    return legend


def size_handles(size, *, smallest: float, largest: float, color: str, fmt) -> tuple:
    """Legend handles for bubble sizes: two round values, their bubbles drawn to scale.

    ``fmt`` writes a value (e.g. ``"{:,.0f}".format``). Returns (handles, labels).

    Examples
    --------
    >>> h, labels = size_handles([3e6, 8e6], smallest=200, largest=2400, color="grey",
    ...                          fmt="{:,.0f}".format)
    >>> labels, [round(x.get_markersize(), 1) for x in h]
    (['8,000,000', '4,000,000'], [49.0, 36.1])
    """
    values = np.nan_to_num(np.asarray(size, dtype="float64"), nan=0.0).clip(min=0)
    top = float(values.max()) if len(values) else 0.0
    if top <= 0:
        return [], []
    step = 10 ** np.floor(np.log10(top))
    nice = [np.floor(top / step) * step]
    nice.append(nice[0] / 2)
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            color=color,
            alpha=0.6,
            markeredgecolor="white",
            markersize=float(np.sqrt(smallest + (largest - smallest) * v / top)),
        )
        for v in nice
    ]
    return handles, [fmt(v) for v in nice]


def encoding_legends(
    ax: Axes,
    lang: str = "en",
    *,
    colours: Sequence[tuple[str, str]] = (),
    shading: Sequence[tuple[str, str]] = (),
    size: Sequence[float] | None = None,
    many: bool = False,
    side: str = "below",
) -> list:
    """One legend per encoding of a bubble matrix, outside the axes (:func:`legend_outside`).

    ``colours``: (colour, meaning) of the points; ``shading``: (colour, meaning) of shaded
    cells; ``size``: the values the bubble areas stand for (revenue), drawn as two round
    values at the matrix's scale (``many``: the small bubbles of a crowded matrix).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = bubble_matrix(None, [1, 2], [1, 2], x_edges=[0, 3], y_edges=[0, 3], size=[4, 9])
    >>> [x.get_title().get_text() for x in encoding_legends(
    ...     ax, colours=[("red", "late")], size=[4, 9])]
    ['colour', 'bubble area: revenue']
    """
    made = []
    if shading:
        patches = [Patch(color=c, alpha=0.12 * 2) for c, _ in shading]
        title = catalogue_text("chart.legend.shading", lang)
        made.append(legend_outside(ax, patches, [n for _, n in shading], title=title, side=side))
    if colours:
        dots = [
            Line2D([], [], linestyle="", marker="o", markersize=8, color=c, alpha=0.6)
            for c, _ in colours
        ]
        title = catalogue_text("chart.legend.colour", lang)
        made.append(legend_outside(ax, dots, [n for _, n in colours], title=title, side=side))
    if size is not None:
        scale = SMALL_BUBBLES if many else BIG_BUBBLES
        handles, names = size_handles(size, **scale, color=COLORS["other"], fmt="{:,.0f}".format)
        if handles:
            room = max(h.get_markersize() for h in handles) / 8  # in font sizes
            made.append(
                legend_outside(
                    ax,
                    handles,
                    names,
                    title=catalogue_text("chart.legend.size", lang),
                    side=side,
                    ncols=len(handles),
                    handleheight=room,
                    handlelength=room,
                )
            )
    return made
