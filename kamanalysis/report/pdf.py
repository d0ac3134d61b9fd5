"""The PDF of a report: its HTML printed by headless Chromium.

:func:`write_pdf` prints a self-contained HTML page (a BU's report, the group page) to A4
with the print layout of :data:`kamanalysis.report.layout.REPORT_CSS`: page numbers at each
page's foot ("3 / 29"), no chart, table row or heading left alone at a page's foot split
across pages, the appendix on a new page. The table of contents stays a list of links that
work in the PDF, and the PDF's outline (a viewer's bookmarks pane) follows the headings.

Why Chromium and not WeasyPrint: on the sample's PV report (2.3 MB of HTML, 29 pages),
Chromium printed in about 5 s of CPU (its old headless shell in about 3 s), WeasyPrint took
47 s; both need a system package on a fresh Debian machine (``chromium-headless-shell`` or
``chromium``; WeasyPrint needs pango), and Chromium needs no Python package at all.
``make install`` installs it when missing (``scripts/system-deps.sh``).

Chinese is drawn with the package's CJK font (Noto Sans CJK SC, from ``manimgx-fonts-cjk``:
:func:`kamanalysis.core.fonts.cjk_font_files`), which this module hands to Chromium through
a fontconfig file of its own (the system's fonts stay visible), and which the PDF embeds:
the same face as the charts, on any machine, whatever CJK fonts the system has.

Nothing here is imported by ``kam report`` without ``--formats ...pdf``.

Examples
--------
>>> browser_args("file:///tmp/r.html", "/tmp/r.pdf", "/tmp/profile", "zh")[-3:]
['--lang=zh-CN', '--print-to-pdf=/tmp/r.pdf', 'file:///tmp/r.html']
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..base.errors import ReportError
from ..base.i18n import text
from ..base.paths import new_file_mode
from ..core.fonts import cjk_font_files

__all__ = ["BROWSERS", "PDF_TIMEOUT", "browser_args", "find_browser", "write_pdf"]

#: The browsers looked for on the PATH, in order. The old headless shell first (Debian's
#: ``chromium-headless-shell``, Google's ``chrome-headless-shell``): the same Blink printing
#: without the full browser, about 1 s less CPU per report (2.6-2.9 s instead of 3.5-5 s for
#: the sample's PV report, 0.5 s instead of 1.5 s to start); then the full browsers.
BROWSERS = (
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
#: Seconds one page may take to print before the PDF is reported as failed.
PDF_TIMEOUT = 300
#: What to run when no browser is found.
INSTALL_HINT = (
    "run `make install` (scripts/system-deps.sh installs Debian's chromium-headless-shell when "
    "run as root) or `sudo apt-get install chromium-headless-shell` (or chromium)"
)

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
{cache}
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{dirs}
</fontconfig>
"""


def find_browser() -> str:
    """Return the path of the headless browser that prints PDFs; raise ReportError if none.

    ``KAM_CHROMIUM`` in the environment names one explicitly.
    """
    named = os.environ.get("KAM_CHROMIUM")
    for name in ([named] if named else []) + list(BROWSERS):
        found = shutil.which(name)
        if found:
            return found
    raise ReportError(
        f"PDF: expected a headless Chromium to print the report with ({', '.join(BROWSERS)}"
        f" on the PATH, or KAM_CHROMIUM), got none; {INSTALL_HINT}"
    )


def browser_args(uri: str, pdf: str, profile: str, lang: str = "en") -> list[str]:
    """Return Chromium's options to print ``uri`` to ``pdf`` (without the browser itself).

    No header or footer of Chromium's own (the report's CSS numbers the pages), the
    headings as the PDF's outline, a throw-away profile; no sandbox when run as root
    (Chromium refuses to start as root with one; the page printed is the package's own).
    """
    args = [
        "--headless",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--mute-audio",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    lang_code = text("report.html_lang", lang)
    return [*args, f"--lang={lang_code}", f"--print-to-pdf={pdf}", uri]


def write_pdf(html_path: str | Path, pdf_path: str | Path, *, lang: str = "en") -> Path:
    """Print the HTML page ``html_path`` to ``pdf_path`` (A4, page numbers, CJK font embedded).

    Parameters
    ----------
    html_path : str or Path
        A self-contained HTML page (a report written by ``kam report``, the group page).
    pdf_path : str or Path
        Where to write the PDF; written whole or not at all (a temporary file, then a rename).
    lang : {"en", "zh"}
        The page's language (Chromium's locale: the fallback fonts, line breaking).

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    ReportError
        No browser (the message says what to install), the page is missing, or the browser
        failed or timed out (its last lines of output are quoted).
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    if not html_path.is_file():
        raise ReportError(f"PDF: expected an HTML page to print, got no file {html_path}")
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="kam-pdf-") as scratch:
        partial = Path(scratch) / "page.pdf"
        env = dict(os.environ, FONTCONFIG_FILE=_fonts_conf(Path(scratch)), HOME=scratch)
        cmd = [browser, *browser_args(html_path.as_uri(), str(partial), scratch + "/p", lang)]
        try:
            done = subprocess.run(
                cmd,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=PDF_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ReportError(
                f"PDF: expected {html_path.name} printed within {PDF_TIMEOUT} s, got no PDF"
            ) from exc
        if not partial.is_file() or partial.read_bytes()[:5] != b"%PDF-":
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ReportError(
                f"PDF: expected {Path(browser).name} to print {html_path.name}, got exit code "
                f"{done.returncode}: " + " | ".join(said)
            )
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(dir=pdf_path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as fh:  # the scratch folder may be on another file system
            fh.write(partial.read_bytes())
            os.fchmod(fh.fileno(), new_file_mode())
        os.replace(staged, pdf_path)
    return pdf_path


def _fonts_conf(folder: Path) -> str:
    """Write a fontconfig file adding the package's CJK font to the system's; return its path.

    Fontconfig caches what it read of the font in the user's ``~/.cache/fontconfig`` (named
    first: Chromium runs with a throw-away home), so it reads the font once per machine.
    """
    dirs = sorted({str(Path(f).parent) for f in cjk_font_files()})
    cache = Path(os.path.expanduser("~")) / ".cache" / "fontconfig"
    conf = folder / "fonts.conf"
    conf.write_text(
        _FONTS_CONF.format(
            cache=f"  <cachedir>{escape(str(cache))}</cachedir>",
            dirs="\n".join(f"  <dir>{escape(d)}</dir>" for d in dirs),
        ),
        encoding="utf-8",
    )
    return str(conf)
