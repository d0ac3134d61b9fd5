"""The formats a report run writes besides the HTML: a PowerPoint deck and a PDF per BU.

``kam report DATA --formats html,pptx,pdf`` (:func:`kamanalysis.report.run_reports`'s
``formats``) writes next to each ``<BU>.html`` a ``<BU>.pptx``
(:func:`kamanalysis.report.deck.write_deck`) and a ``<BU>.pdf``
(:func:`kamanalysis.report.pdf.write_pdf`), in the report's language. They are made in the
batch's workers right after the BU's HTML (:func:`render_extras`: the worker has the
engagement's snapshot and the HTML in hand), handed back as bytes and moved into place
through the run's staging folder like the HTML, so a failed run never overwrites a good file.

The formats and the template are checked before the batch (:func:`check_formats`); a bad
one does not stop the HTML reports: the batch runs for HTML alone, then the problems are
raised (:class:`FormatsError`). The deck's and the PDF's modules, and python-pptx, are
imported only when their format is asked for.

Examples
--------
>>> parse_formats("pdf,html")
('html', 'pdf')
>>> parse_formats(None), parse_formats(["pptx"])
(('html',), ('html', 'pptx'))
>>> wanted, problems = check_formats("html,docx,,pdf,pdf")
>>> wanted
('html',)
>>> for problem in problems:
...     print(problem)  # doctest: +NORMALIZE_WHITESPACE
--formats: expected one of html, pptx, pdf, got "docx"
--formats: expected a format name between the commas, got an empty item
--formats: expected each format once, got "pdf" twice
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..base._validation import describe
from ..base.errors import InputValidationError, Problem, ReportError
from ..base.paths import new_file_mode
from ..base.signed import KEY_VARIABLE

__all__ = ["EXTRAS", "FORMATS", "FormatsError", "check_formats", "deck_cell", "parse_formats"]

#: Run in the BU's kernel right after its notebook (``--formats pptx``): the deck is made from
#: what the notebook computed (its engagement, facts and findings), not computed a second time.
#: A notebook of the user's own without ``eng``/``facts``/``found`` still gets its deck.
DECK_CELL = """\
from kamanalysis.report.deck import write_deck as _write_deck
_g = globals()
if "eng" not in _g:
    from kamanalysis.data.engagement import load_snapshot as _load
    eng = _load(snapshot)
_write_deck(eng, bu_id, {path!r}, lang=lang or eng.language, template={template!r},
            positions=positions, facts=_g.get("facts"), found=_g.get("found"))
del _g, _write_deck
"""

#: Every format ``--formats`` takes, in the order their files are written.
FORMATS = ("html", "pptx", "pdf")
#: The formats made from the HTML's BU besides it, and where a failure of each is named.
EXTRAS = {"pptx": "in the PowerPoint deck", "pdf": "in the PDF"}
_EXPECTED = "one of " + ", ".join(FORMATS)


class FormatsError(InputValidationError):
    """``--formats`` or ``--pptx-template`` is wrong; the HTML reports were written all the same.

    ``results`` holds the run's :class:`~kamanalysis.report.run.ReportResult` of each quarter.
    """

    def __init__(self, problems, results: dict | None = None):
        super().__init__(problems)
        self.results = results or {}


def _items(formats: str | Iterable[str] | None) -> list[str]:
    if formats is None:
        return ["html"]
    if isinstance(formats, str):
        return [f.strip().lower() for f in formats.split(",")]
    return [str(f).strip().lower() for f in formats]


def check_formats(
    formats: str | Iterable[str] | None = None, template: str | Path | None = None
) -> tuple[tuple[str, ...], list[Problem]]:
    """Return the formats to write and every problem with ``formats`` and ``template``.

    ``formats`` is ``"html,pdf"`` or a sequence of names (``html`` is always written); with
    problems, the formats to write are ``("html",)``. ``template`` (``--pptx-template``) must
    be a readable ``.pptx`` file that :func:`kamanalysis.report.deck.check_template` accepts,
    and needs ``pptx`` among the formats.
    """
    problems = []
    seen: list[str] = []
    for item in _items(formats):
        if not item:
            problems.append(
                Problem(
                    "--formats", "a format name between the commas", "an empty item", kind="formats"
                )
            )
        elif item not in FORMATS:
            problems.append(Problem("--formats", _EXPECTED, describe(item), kind="formats"))
        elif item in seen:
            problems.append(
                Problem("--formats", "each format once", f"{describe(item)} twice", kind="formats")
            )
        else:
            seen.append(item)
    wanted = tuple(f for f in FORMATS if f in seen or f == "html")
    if template is not None:
        problems += _check_template(Path(template), "pptx" in wanted)
    return (("html",) if problems else wanted), problems


def _check_template(path: Path, asked: bool) -> list[Problem]:
    where = "--pptx-template"
    if not asked:
        return [Problem(where, "pptx among --formats (the template is for the deck)", str(path))]
    if not path.is_file() or not os.access(path, os.R_OK):
        return [Problem(where, "a readable PowerPoint file (.pptx)", f"no such file {path}")]
    from .deck import check_template  # python-pptx: only when a deck is asked for

    try:
        check_template(path)
    except ReportError as exc:
        return [Problem(where, "a PowerPoint file (.pptx) python-pptx can open", str(exc))]
    return []


def parse_formats(formats: str | Iterable[str] | None = None) -> tuple[str, ...]:
    """Return the formats to write (``html`` first); raise InputValidationError if any is wrong."""
    wanted, problems = check_formats(formats)
    if problems:
        raise InputValidationError(problems)
    return wanted


@contextmanager
def run_key(key: str):
    """Put the run's key (hex) in the environment while the block runs (signed files read)."""
    before = os.environ.get(KEY_VARIABLE)
    os.environ[KEY_VARIABLE] = key
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(KEY_VARIABLE, None)
        else:
            os.environ[KEY_VARIABLE] = before


def deck_cell(job) -> tuple[str, Path] | None:
    """Return the code that writes the BU's deck in its kernel, and the file it writes.

    None when the job wants no deck. The file is in the run's private folder (the kernel's
    working folder); the worker reads it into ``Rendered.files`` and removes it.
    """
    if "pptx" not in job.formats:
        return None
    path = Path(job.cwd) / f"deck-{job.bu_id}.pptx"
    return DECK_CELL.format(path=str(path), template=job.pptx_template), path


def render_extras(job, rendered):
    """Add the BU's PDF (``pdf`` in ``job.formats``) to ``rendered``, in the worker; or its failure.

    ``rendered`` is the BU's :class:`~kamanalysis.report.engine.Rendered` with its HTML (and
    its deck, made in its kernel: :func:`deck_cell`); the files are returned as bytes in
    ``rendered.files`` (``{"pdf": b"%PDF-..."}``), for the batch to move into place. A format
    that fails makes the BU fail, named like any failure of the BU ("in the PDF: ..."): its
    previous files all stay.
    """
    if rendered.error is not None or "pdf" not in job.formats:
        return rendered
    from .pdf import write_pdf

    files = dict(rendered.files or {})
    with tempfile.TemporaryDirectory(prefix="kam-formats-", dir=job.cwd) as scratch:
        page, path = Path(scratch) / f"{job.bu_id}.html", Path(scratch) / f"{job.bu_id}.pdf"
        try:
            page.write_text(rendered.html, encoding="utf-8")
            files["pdf"] = write_pdf(page, path, lang=job.parameters.get("lang", "en")).read_bytes()
        except Exception as exc:  # reported as the BU's failure, as a notebook error is
            error = f"{type(exc).__name__}: {exc}"
            return replace(rendered, html=None, notebook=None, error=error, place=EXTRAS["pdf"])
    return replace(rendered, files=files)


def make_group(eng, staging: Path, *, formats, template, positions, key) -> list[Path]:
    """Write the group page (and its deck and PDF with those formats) into a folder in ``staging``.

    The batch starts it in a thread beside the BUs' renders (it needs only the engagement and
    the group's positions, both ready before the first BU) and moves the files into place
    after them (:func:`place_group`), so a run spends no extra time on it while a core waits.
    Returns the paths written.
    """
    from .group_page import write_group_page

    scratch = Path(tempfile.mkdtemp(prefix="group-", dir=staging))
    with run_key(key):
        written = list(
            write_group_page(
                eng,
                scratch,
                lang=eng.language,
                positions=str(positions),
                pptx="pptx" in formats,
                template=template,
            )
        )
    if "pdf" in formats:
        from .pdf import write_pdf

        written.append(write_pdf(scratch / "group.html", scratch / "group.pdf", lang=eng.language))
    return [Path(path) for path in written]


def place_group(written: list[Path], folder: Path) -> list[Path]:
    """Move the group page's files made by :func:`make_group` into ``folder``, file by file."""
    placed = []
    for path in written:
        target = folder / path.name
        os.chmod(path, new_file_mode())
        os.replace(path, target)
        placed.append(target)
    return placed


def write_group(eng, folder: Path, staging: Path, *, formats, template, positions, key) -> list:
    """Write the group page (and its deck and PDF with those formats) into ``folder``.

    Written first into a folder in ``staging``, then moved into place file by file, as the
    BUs' reports are. Returns the paths written.
    """
    made = make_group(
        eng, staging, formats=formats, template=template, positions=positions, key=key
    )
    return place_group(made, folder)
