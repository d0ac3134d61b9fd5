"""A CJK font for the charts: Chinese labels drawn as characters, never as empty boxes.

The set-up installs Noto Sans CJK (思源黑体; SIL Open Font License 1.1, as the package's
metadata and bundled licence both say) from PyPI, pinned in ``requirements.lock`` (package
``manimgx-fonts-cjk``: the variable ``NotoSansCJK-VF.otf.ttc``, of which the charts use the
Simplified Chinese face), so figures come out the same on every machine. A CJK font
installed on the system (Debian's ``fonts-noto-cjk`` or ``fonts-wqy-microhei``) is the
fallback. Matplotlib draws a variable font at its default instance, which for this one is
the light end of its weight axis: Chinese labels come out thinner than the Latin ones.
Reading the collection's CFF2 outlines takes matplotlib 3.11 or newer (the lower bound in
``pyproject.toml``): the wheels of 3.10.0 bundle FreeType 2.6.1, which cannot, those of
3.11.0 FreeType 2.14. :func:`use_cjk_font` puts it behind DejaVu Sans in matplotlib's font
list: Latin text keeps its usual look and each CJK glyph falls back to the CJK font.

Importing :mod:`kamanalysis` (its charts module, :mod:`kamanalysis.core.charts`) calls
:func:`use_cjk_font`, so every process that draws (a batch's kernels, the index page, an
account plan) has the font in place before any figure makes its first text: a text made
before the call keeps matplotlib's default font list, and its Chinese characters would be
boxes. :func:`kamanalysis.core.charts.get_axes` calls it again, for a caller who reset
matplotlib's settings since.

With no CJK font at all, :func:`check_text` stops a chart whose labels hold CJK text
with a clear message instead of letting it draw boxes.

Examples
--------
>>> use_cjk_font() in CJK_FAMILIES
True
>>> has_cjk("Zhongyuan Steel 中原钢铁"), has_cjk("Nordhavn Pumps")
(True, False)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import matplotlib as mpl
from matplotlib import font_manager

from ..base.errors import KamAnalysisError

#: CJK families looked for, in order of preference (the packaged one first).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
#: The package that ships the font (its font files lie beside its ``__init__.py``).
FONT_PACKAGE = "manimgx_fonts_cjk"
LATIN_FAMILY = "DejaVu Sans"
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


class FontMissingError(KamAnalysisError, RuntimeError):
    """Text needs a CJK font and none is installed."""


def has_cjk(text: object) -> bool:
    """Return True when ``text`` holds a Chinese, Japanese or Korean character."""
    return bool(_CJK.search(str(text)))


@cache
def cjk_font() -> str | None:
    """Return the family name of the CJK font charts use, or None when there is none.

    Registers the packaged font files with matplotlib on first use (once per process,
    even when the package is imported again).
    """
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for file in cjk_font_files():
        if file not in known:  # a re-imported package (a batch kernel's next BU) adds none
            font_manager.fontManager.addfont(file)
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in available), None)


def cjk_font_files() -> list[str]:
    """Return the packaged CJK font files (empty when the font package is not installed).

    What :mod:`kamanalysis.report.pdf` hands the browser that prints a report, so the PDF
    embeds the same face as the charts.
    """
    try:
        folder = resources.files(FONT_PACKAGE)
        files = [f for f in folder.iterdir() if f.name.endswith((".ttc", ".ttf", ".otf"))]
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    return sorted(str(f) for f in files)


def use_cjk_font() -> str | None:
    """Put the CJK font behind DejaVu Sans in matplotlib's font list; return its name.

    Idempotent; returns None (and changes nothing) when no CJK font is installed.
    """
    family = cjk_font()
    if family is not None and family not in mpl.rcParams["font.family"]:
        mpl.rcParams["font.family"] = [LATIN_FAMILY, family]
        # the CJK font has one weight: bold labels fall back to it by design, which
        # matplotlib would otherwise announce on stderr (and so in every report)
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return family


def check_text(texts: Iterable[object], *, where: str) -> None:
    """Raise :class:`FontMissingError` when a text holds CJK characters and no CJK font exists.

    Examples
    --------
    >>> check_text(["Pumps & Valves", "泵阀"], where="plot_ge_matrix")  # a CJK font is set up
    """
    if cjk_font() is not None:
        return
    shown = next((str(t) for t in texts if has_cjk(t)), None)
    if shown is not None:
        raise FontMissingError(
            f"{where}: expected a CJK font to draw {shown!r}, got none installed; "
            "run `make install` (it installs manimgx-fonts-cjk from requirements.lock) "
            "or install Debian's fonts-noto-cjk"
        )
