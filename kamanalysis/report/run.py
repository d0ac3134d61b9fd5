r"""The quarterly batch: run the diagnosis notebook once per BU, keep every quarter's reports.

``run_reports`` loads and validates the engagement once, writes the validated tables
to a snapshot file (see :meth:`~kamanalysis.Engagement.save_snapshot`) and computes the
group's positions once, both signed with a key drawn for the run, in a private folder
made for the run (mode 0700, removed at the end) where the workers and kernels run;
then workers execute the notebook for each BU from that snapshot and render it to a
self-contained HTML report with the code hidden. The output is laid out per engagement
and quarter, so last quarter's reports stay beside this quarter's::

    OUT/index.html                          every quarter run so far
    OUT/<engagement>/<quarter>/index.html   that quarter's BUs, with summary.csv
    OUT/<engagement>/<quarter>/<BU>.html    the report (and <BU>.ipynb, the executed notebook)
    OUT/<engagement>/<quarter>/group.html   the group page (see report.group_page)

With ``formats`` (``kam report --formats html,pptx,pdf``), each BU's deck and PDF are made
in the same worker as its HTML and written beside it (:mod:`~kamanalysis.report.formats`).

A BU that fails does not stop the others; its previous report stays untouched, and the
failure names the notebook section that failed. Files are written to a staging folder
beside the output (it holds nothing but the reports being written) and moved into place
one by one only when complete. The workers and
their kernels are in :mod:`~kamanalysis.report.engine`, the index pages in
:mod:`~kamanalysis.report.index`.

Examples
--------
>>> safe_name("Huaxin Industrial Group — key-account diagnosis")
'huaxin-industrial-group-key-account-diagnosis'
>>> [is_safe_id(b) for b in ("PV", "华东", "a/b", "..", "x\ty")]
[True, True, False, False, False]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..base._validation import describe
from ..base.errors import InputValidationError, Problem, ReportError, raise_if_any
from ..base.i18n import text
from ..base.paths import DIAGNOSIS_NOTEBOOK, new_file_mode
from ..base.signed import new_key
from ..data.engagement import Engagement, load_engagement
from ..diagnosis import save_positions, strategic_position
from .engine import (
    POSITIONS,
    SNAPSHOT,
    Job,
    _pool,
    _run_locally,
    _run_on_dask,
    _stop_pool,
    give_back_memory,
)
from .formats import FormatsError, check_formats, make_group, place_group
from .index import _csv, _quarter_index, _summary, _top_index
from .progress import Progress

__all__ = [
    "ReportError",
    "ReportResult",
    "as_of",
    "check_bu_ids",
    "is_safe_id",
    "run_quarters",
    "run_reports",
    "safe_name",
]


@dataclass(frozen=True)
class ReportResult:
    """What a report run wrote.

    ``out`` is the top folder (with the index of every quarter run), ``folder`` this
    run's ``<engagement>/<quarter>`` folder, ``index`` its index page, ``reports`` the
    HTML report of each BU written by this run, ``failures`` the BUs that failed
    (BU -> message) and ``seconds`` the run's wall-clock time.
    """

    out: Path
    index: Path
    reports: dict[str, Path]
    folder: Path | None = None
    quarter: str = ""
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: Each BU's other files written by this run (its deck, its PDF), by BU.
    files: dict[str, list[Path]] = field(default_factory=dict)
    #: The group page's files written by this run (``group.html``, ...).
    group: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph for the end of a run: what was written, where, how long it took."""
        n, failed = len(self.reports), len(self.failures)
        text = (
            f"wrote {n} BU report{'s' if n != 1 else ''} for {self.quarter} to {self.folder} "
            f"in {self.seconds:.1f} s"
        )
        if failed:
            text += f"; {failed} failed"
        return text + f"; open {self.index}"


# ---------------------------------------------------------------- names and inputs


def safe_name(text: str) -> str:
    """Turn free text (an engagement's name) into a folder name: lower case, words joined by -.

    Letters of any script are kept; everything else becomes one ``-``.

    Examples
    --------
    >>> safe_name("../../etc"), safe_name("华信 集团"), safe_name("///")
    ('etc', '华信-集团', 'engagement')
    """
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())
    return "-".join(w.strip("_") for w in words if w.strip("_"))[:80] or "engagement"


#: Names a BU id cannot take, in any case: the batch's own files beside the reports
#: (``index.html``, ``summary.csv``, the group's pages) and the names Windows keeps for
#: devices (a report folder on a shared drive).
RESERVED_IDS = frozenset(
    ["index", "summary", "group"]
    + ["con", "prn", "aux", "nul"]
    + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)
#: The longest BU id, in UTF-8 bytes: ``<id>.ipynb`` stays well inside the 255 bytes a file
#: name may take (and the 143 of an encrypted home folder).
MAX_ID_BYTES = 120


def is_safe_id(bu_id: object) -> bool:
    """Return True when a BU id can name its files beside the others.

    No path separator, no ``..``, no control character, none of :data:`RESERVED_IDS`
    (the output's own names), at most :data:`MAX_ID_BYTES` bytes.

    Examples
    --------
    >>> [is_safe_id(b) for b in ("index", "Summary", "NUL", "x" * 121, "华" * 40)]
    [False, False, False, False, True]
    """
    return _id_expectation(bu_id) is None


def _id_expectation(bu_id: object) -> str | None:
    """Return what a BU id should have been (None when it can name a file)."""
    if (
        not isinstance(bu_id, str)
        or not bu_id.strip()
        or ".." in bu_id
        or bu_id.startswith(".")
        or any(c in bu_id for c in '/\\:*?"<>|')
        or any(unicodedata.category(c).startswith("C") for c in bu_id)
    ):
        return "an id usable as a file name (no / or \\, no .., no control characters)"
    if bu_id.split(".")[0].strip().lower() in RESERVED_IDS:
        return (
            "an id that is not a name the reports folder uses itself (index, summary, group) "
            "nor a device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9), in any case"
        )
    if len(bu_id.encode("utf-8")) > MAX_ID_BYTES:
        return f"an id of at most {MAX_ID_BYTES} bytes (UTF-8), to name its report files"
    return None


def check_bu_ids(eng: Engagement) -> None:
    r"""Raise an :class:`InputValidationError` naming every BU id that cannot be a file name.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> check_bu_ids(eng)
    >>> eng.business_units.loc[1, "bu_id"] = "../IC"
    >>> check_bu_ids(eng)
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - business_units.csv row 3, column bu_id: expected an id usable as a file name (no / or \, no .., no control characters), got "../IC"
    """  # noqa: E501
    file, sheet = eng.location("business_units")
    rows = eng.rows.get("business_units") or []
    problems = [
        Problem(
            file,
            expected,
            describe(bu)
            if len(str(bu)) <= 40
            else describe(str(bu)[:40] + "…") + f" ({len(str(bu))} characters)",
            row=rows[i] if i < len(rows) else None,
            column="bu_id",
            sheet=sheet,
        )
        for i, bu in enumerate(eng.business_units["bu_id"].tolist())
        if (expected := _id_expectation(bu)) is not None
    ]
    if problems:
        raise InputValidationError(problems)


#: The schemes of a Dask scheduler's address that ``--scheduler`` takes.
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
#: The certificate options of a ``tls://`` scheduler, as Dask's ``Security`` names them.
TLS_OPTIONS = {"ca_file": "tls_ca_file", "cert": "tls_client_cert", "key": "tls_client_key"}


def check_scheduler(address: str | None, tls: dict | None = None) -> None:
    """Raise an :class:`InputValidationError` for a scheduler address Dask cannot reach.

    ``tls`` holds the certificate files of a ``tls://`` scheduler (``ca_file``, ``cert``,
    ``key``); without them, Dask's own settings (``distributed.comm.tls``) must name them.

    Examples
    --------
    >>> check_scheduler("tcp://10.0.0.5:8786"), check_scheduler("inproc://10.0.0.5/4468/1")
    (None, None)
    >>> check_scheduler("notaurl")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - --scheduler: expected a scheduler address, tcp://HOST:PORT or tls://HOST:PORT (or ws, wss, ucx), got "notaurl"
    """  # noqa: E501
    tls = {k: v for k, v in (tls or {}).items() if v}
    if address is None:
        if tls:
            raise InputValidationError([Problem("--tls-*", "a tls:// --scheduler", "none")])
        return
    problems = []
    try:
        where = urlsplit(address)
        # an in-process cluster (a LocalCluster of threads) has no port: inproc://HOST/PID/N
        port = where.port or (where.scheme == "inproc" and where.path.strip("/"))
    except ValueError:
        where, port = None, None
    if where is None or where.scheme not in SCHEDULER_SCHEMES or not where.hostname or not port:
        problems.append(
            Problem(
                "--scheduler",
                "a scheduler address, tcp://HOST:PORT or tls://HOST:PORT (or ws, wss, ucx)",
                describe(address),
            )
        )
    elif where.scheme == "tls" and not tls and not _dask_tls_configured():
        problems.append(
            Problem(
                "--scheduler",
                f"the certificates to reach {address} with: --tls-ca-file, --tls-cert and "
                "--tls-key, or Dask's distributed.comm.tls settings",
                "none",
            )
        )
    elif tls and where.scheme != "tls":
        problems.append(Problem("--scheduler", "a tls:// address, as --tls-* are given", address))
    unknown = sorted(set(tls) - set(TLS_OPTIONS))
    if unknown:
        problems.append(Problem("tls", "keys among " + ", ".join(TLS_OPTIONS), str(unknown)))
    for name, file in tls.items():
        if name in TLS_OPTIONS and not Path(file).is_file():
            problems.append(Problem(f"--tls-{name.replace('_', '-')}", "a file", describe(file)))
    raise_if_any(problems)


def _dask_tls_configured() -> bool:
    """Return True when Dask's settings name a client certificate for TLS."""
    try:
        import dask
    except ImportError:  # pragma: no cover - depends on the install
        return False
    return bool(dask.config.get("distributed.comm.tls.ca-file", None))


def as_of(eng: Engagement, quarter: str | None = None, *, lang: str | None = None) -> Engagement:
    """Return the engagement as it was known at the end of ``quarter``: :meth:`Engagement.as_of`.

    Kept here for code written against earlier releases; the data layer owns it now.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> as_of(eng, "2026Q2", lang="zh").current_quarter
    '2026Q2'
    """
    return eng.as_of(quarter, lang=lang)


_TEXT = {"encoding": "utf-8", "newline": ""}


def _write(path: Path, text: str | bytes, staging: Path) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file in ``staging``, then a rename).

    The file gets the mode any new file gets (``0o666`` less the umask: 0644 with the
    usual 022), not the 0600 of a temporary file: colleagues who may read the reports
    folder may read the reports.
    """
    fd, partial = tempfile.mkstemp(dir=staging, suffix=".part")
    binary = isinstance(text, bytes)
    with os.fdopen(fd, "wb" if binary else "w", **({} if binary else _TEXT)) as fh:
        fh.write(text)
        os.fchmod(fh.fileno(), new_file_mode())
    os.replace(partial, path)


# ---------------------------------------------------------------- the batch


def run_reports(
    data: str | Path,
    out: str | Path,
    *,
    bus: list[str] | None = None,
    quarter: str | None = None,
    lang: str | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    tls: dict | None = None,
    progress: bool = True,
    notebook: str | Path | None = None,
    formats: str | tuple[str, ...] = ("html",),
    pptx_template: str | Path | None = None,
) -> ReportResult:
    """Validate ``data`` once, then write one HTML report per BU in ``out/<engagement>/<Q>``.

    Parameters
    ----------
    data : str or Path
        Engagement folder or workbook.
    out : str or Path
        Top output folder; created if needed. Earlier quarters' folders are left as they are.
    bus : list of str, optional
        Only these BUs (default: all).
    quarter : str, optional
        Diagnose this earlier quarter (default: the engagement's current quarter).
    lang : {"en", "zh"}, optional
        Report language (default: the engagement's setting).
    jobs : int, optional
        Local worker processes (default: one per core, at most one per BU).
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run the BUs on
        instead of local processes; needs ``pip install 'kamanalysis[dask]'``. Checked
        first (:func:`check_scheduler`). What travels to the workers: the README says.
    tls : dict, optional
        For a ``tls://`` scheduler: the files ``ca_file`` (the certificate authority),
        ``cert`` and ``key`` (this client's certificate and key), as Dask's ``Security``
        takes them (``tls_ca_file``, ``tls_client_cert``, ``tls_client_key``); the
        connection then requires encryption. Default: Dask's ``distributed.comm.tls``.
    progress : bool
        Show the load step and a progress bar over BUs, with the BUs being run (on a
        terminal; elsewhere one line per BU done: :class:`~kamanalysis.report.progress.Progress`).
    notebook : str or Path, optional
        The template notebook (default: :data:`kamanalysis.base.paths.DIAGNOSIS_NOTEBOOK`).
    formats : str or tuple of str
        ``"html,pptx,pdf"`` or a tuple of them, any subset (HTML is always written): each
        BU's ``<BU>.pptx`` and ``<BU>.pdf`` beside its HTML, the group page's too.
    pptx_template : str or Path, optional
        The firm's PowerPoint master for the decks (with ``pptx`` among ``formats``).

    Returns
    -------
    ReportResult

    Raises
    ------
    InputValidationError
        The data (or a BU id, the quarter, the language) have problems; nothing is written.
    FormatsError
        ``formats`` or ``pptx_template`` is wrong (checked first): the HTML reports were
        written all the same, then this is raised (``exc.results``).
    ReportError
        One or more BUs failed. The other BUs' reports were written, each failing BU's
        previous report is untouched; the message names each failing BU, the notebook
        section that failed and the error. ``exc.result`` is the :class:`ReportResult`.
    """
    options = dict(bus=bus, lang=lang, out=out, notebook=notebook, tls=tls, progress=progress)
    return _checked(data, [quarter], jobs, scheduler, options, {}, formats, pptx_template)[0]


def run_quarters(
    data: str | Path,
    out: str | Path,
    quarters: list[str] | None = None,
    *,
    bus: list[str] | None = None,
    lang: str | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    tls: dict | None = None,
    progress: bool = True,
    notebook: str | Path | None = None,
    formats: str | tuple[str, ...] = ("html",),
    pptx_template: str | Path | None = None,
) -> dict[str, ReportResult]:
    """Run :func:`run_reports` for several quarters, the workers and kernels shared.

    What an analyst runs once to fill in the history of an engagement (``kam report
    --quarter all``): each quarter as it was known at its end, one after the other, in
    one pool of warm workers instead of one per quarter. Every quarter is run even when
    one fails.

    Parameters
    ----------
    data, out
        As :func:`run_reports`.
    quarters : list of str, optional
        The quarters to diagnose, in order (default: every quarter of the data).
    bus, lang, jobs, scheduler, tls, progress, notebook, formats, pptx_template
        As :func:`run_reports`.

    Returns
    -------
    dict of str to ReportResult
        One result per quarter, in the order run.

    Raises
    ------
    InputValidationError
        The data or an option have problems; nothing is written.
    ReportError
        BUs failed in one or more quarters; ``exc.results`` holds every quarter's result.
    """
    eng = load_engagement(Path(data).resolve())
    quarters = eng.quarters if quarters is None else list(quarters)
    for quarter in quarters or [None]:
        eng.as_of(quarter, lang=lang)  # every quarter is checked before anything runs
    options = dict(bus=bus, lang=lang, out=out, notebook=notebook, tls=tls, progress=progress)
    loaded = {"eng": eng}
    results = _checked(
        data, list(quarters), jobs, scheduler, options, loaded, formats, pptx_template
    )
    return {r.quarter: r for r in results}


def _checked(data, quarters, jobs, scheduler, options, loaded, formats, template):
    """Check the formats and the template first; run the batch (HTML alone if they are wrong).

    Wrong formats do not cost the HTML reports: they are written, then :class:`FormatsError`
    names what was given and what is accepted.
    """
    wanted, problems = check_formats(formats, template)
    options = dict(options, formats=wanted, pptx_template=None if problems else template)
    try:
        results = _batch(data, quarters, jobs, scheduler, options, loaded)
    except ReportError as exc:
        if problems:
            raise FormatsError(problems) from exc
        raise
    if problems:
        raise FormatsError(problems, {r.quarter: r for r in results})
    return results


def _batch(data, quarters, jobs, scheduler, options, loaded) -> list[ReportResult]:
    """Run every quarter in ``quarters`` (None: the current one) in one pool; return each result.

    ``loaded`` holds the engagement once loaded (key ``eng``): the data are read and checked
    once per batch, not once per quarter.

    A failing quarter raises at once when it is the only one; of several, every quarter
    runs and one :class:`ReportError` names the failures at the end.
    """
    start = time.perf_counter()
    check_scheduler(scheduler, options.get("tls"))
    # the workers and kernels run in a folder made for this run, which only its user can open
    private = Path(tempfile.mkdtemp(prefix="kam-run-"))
    pool = None
    done = interrupted = False
    try:
        # a local worker warms up while the data are loaded and checked
        pool = None if scheduler else _pool(max(1, jobs or os.cpu_count() or 1), str(private))
        results, errors = [], []
        for quarter in quarters:
            try:
                results.append(
                    _run_reports(
                        data,
                        pool,
                        start,
                        private,
                        loaded,
                        quarter=quarter,
                        scheduler=scheduler,
                        **options,
                    )
                )
            except ReportError as exc:
                if len(quarters) == 1:
                    raise
                results.append(exc.result)
                errors.append(f"{exc.result.quarter}: {exc}")
            start = time.perf_counter()
        done = True
        if errors:
            error = ReportError(
                f"{len(errors)} of {len(quarters)} quarters had failures:\n" + "\n".join(errors)
            )
            error.results = {r.quarter: r for r in results}
            raise error
        return results
    except (KeyboardInterrupt, SystemExit):
        interrupted = True
        raise
    finally:
        if pool is not None and (interrupted or not done):
            # Ctrl-C, SIGTERM or a failure (data refused, a BU failed): every worker and kernel
            # stops now; a worker still warming up would import and start a kernel for nothing
            _stop_pool(pool)
        elif pool is not None:
            pool.shutdown(wait=True)
        shutil.rmtree(private, ignore_errors=True)


def _run_reports(
    data, pool, start, private, loaded, *, quarter, bus, lang, out, notebook, scheduler, tls,
    progress, formats=("html",), pptx_template=None
):  # fmt: skip
    shown = Progress(progress)
    try:
        return _run_shown(
            data, pool, start, private, shown, loaded, quarter=quarter, bus=bus, lang=lang, out=out,
            notebook=notebook, scheduler=scheduler, tls=tls, formats=formats,
            pptx_template=pptx_template,
        )  # fmt: skip
    finally:
        shown.close()


def _beside(function, *args, **kwargs) -> Future:
    """Run ``function`` in a daemon thread; return the Future of its result."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function(*args, **kwargs))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="kam-beside", daemon=True).start()
    return future


def _run_shown(
    data, pool, start, private, shown, loaded, *, quarter, bus, lang, out, notebook, scheduler,
    tls, formats, pptx_template
):  # fmt: skip
    data_path = Path(data).resolve()
    shown.loading()
    if "eng" not in loaded:
        loaded["eng"] = load_engagement(data_path)
    eng = loaded["eng"]
    check_bu_ids(eng)
    eng = as_of(eng, quarter, lang=lang)
    bu_ids = list(dict.fromkeys(bus)) if bus else eng.bu_ids
    eng.for_bus(bu_ids)  # raises InputValidationError for an unknown BU
    template = Path(notebook or DIAGNOSIS_NOTEBOOK).read_text(encoding="utf-8")

    out = Path(out).resolve()  # the kernels and workers run in other folders
    folder = out / safe_name(eng.name) / eng.current_quarter
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kam-staging-", dir=folder.parent))
    failures: dict[str, str] = {}
    written: dict[str, Path] = {}
    files: dict[str, list[Path]] = {}
    group: list[Path] = []
    extras = tuple(f for f in formats if f != "html")
    key = new_key()
    try:
        snapshot = eng.save_snapshot(private / SNAPSHOT, key)
        # the group's positions are computed once here, not once per BU's notebook
        positions = save_positions(strategic_position(eng), private / POSITIONS, key)
        work = [
            Job(
                bu,
                template,
                {
                    "data": str(data_path),
                    "bu_id": bu,
                    # relative to the kernel's folder, so that re-runs are byte-identical
                    "positions": POSITIONS,
                    "snapshot": SNAPSHOT,
                    "lang": eng.language,
                },
                str(private),
                title=text(
                    "report.title",
                    eng.language,
                    bu_name=eng.bu_name(bu),
                    bu_id=bu,
                    quarter=eng.current_quarter,
                ),
                run=private.name,
                key=key.hex(),
                formats=extras,
                pptx_template=str(Path(pptx_template).resolve()) if pptx_template else None,
            )
            for bu in bu_ids
        ]
        shown.start(len(work))
        # the group page beside the BUs, in a thread of this process (which mostly waits on
        # the workers), moved into place after them; a daemon: a stopped run does not wait
        group_made = _beside(
            make_group, eng, staging, formats=formats, template=pptx_template,
            positions=positions, key=key.hex(),
        )  # fmt: skip
        if scheduler:
            security = {TLS_OPTIONS[k]: str(v) for k, v in (tls or {}).items() if v}
            results = _run_on_dask(scheduler, work, snapshot, positions, security)
        else:
            results = _run_locally(pool, work, running=shown.running)
        try:
            for done in results:
                if done.error is not None:
                    failures[done.bu_id] = done.message
                    shown.write(f"BU {done.bu_id} failed {done.message}")
                else:
                    # the notebook first, then the report: each moved into place when complete
                    _write(folder / f"{done.bu_id}.ipynb", done.notebook, staging)
                    facts = json.dumps(
                        done.facts or {}, ensure_ascii=False, indent=1, sort_keys=True
                    )
                    _write(folder / f"{done.bu_id}.json", facts + "\n", staging)
                    for fmt, blob in (done.files or {}).items():  # the deck, the PDF
                        _write(folder / f"{done.bu_id}.{fmt}", blob, staging)
                        files.setdefault(done.bu_id, []).append(folder / f"{done.bu_id}.{fmt}")
                    _write(folder / f"{done.bu_id}.html", done.html, staging)
                    written[done.bu_id] = folder / f"{done.bu_id}.html"
                shown.done(done.bu_id, failed=done.error is not None)
                give_back_memory()
        finally:
            results.close()  # on Dask: cancel what is left, clean this run's workers
        failures = {bu: failures[bu] for bu in bu_ids if bu in failures}
        try:  # the group page, made beside the batch: every BU on one page
            group = place_group(group_made.result(), folder)
        except Exception as exc:  # a failure of its own, like a BU's: the reports stay
            failures["group"] = f"the group page failed: {type(exc).__name__}: {exc}"
            shown.write(failures["group"])
        listed = [bu for bu in eng.bu_ids if (folder / f"{bu}.html").exists()]
        summary = _summary(eng, listed, failures, folder)
        _write(folder / "summary.csv", _csv(summary), staging)
        bu_failures = {bu: msg for bu, msg in failures.items() if bu in bu_ids}
        page = _quarter_index(
            eng, summary, bu_failures, strategic_position(eng), (folder / "group.html").exists()
        )
        _write(folder / "index.html", page, staging)
        _write(out / "index.html", _top_index(out, eng.language), staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result = ReportResult(
        out,
        folder / "index.html",
        {bu: written[bu] for bu in bu_ids if bu in written},
        folder,
        eng.current_quarter,
        failures,
        time.perf_counter() - start,
        {bu: files[bu] for bu in bu_ids if bu in files},
        group,
    )
    if failures:
        # "group" is no BU id (RESERVED_IDS): the group page's failure
        lines = [
            f"  - {msg}" if bu == "group" else f"  - BU {bu} failed {msg}"
            for bu, msg in failures.items()
        ]
        error = ReportError(
            f"{len(failures)} of {len(bu_ids)} reports failed (their previous reports, if any, "
            f"were kept); {result.summary()}:\n" + "\n".join(lines)
        )
        error.result = result
        raise error
    return result
