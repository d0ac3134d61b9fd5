r"""The quarterly batch: run the diagnosis notebook once per BU, keep every quarter's reports.

``run_reports`` loads and validates the engagement once, writes the validated tables
to a snapshot file (see :meth:`~kamanalysis.Engagement.save_snapshot`) and computes the
group's positions once; then workers execute the notebook for each BU from that snapshot
and render it to a self-contained HTML report with the code hidden. The output is laid
out per engagement and quarter, so last quarter's reports stay beside this quarter's::

    OUT/index.html                          every quarter run so far
    OUT/<engagement>/<quarter>/index.html   that quarter's BUs, with summary.csv
    OUT/<engagement>/<quarter>/<BU>.html    the report (and <BU>.ipynb, the executed notebook)

Each worker keeps one Jupyter kernel with the imports done and the HTML exporter set up,
and before each BU clears what the previous BU left in it (variables, figures,
matplotlib settings, the ``kamanalysis`` modules themselves), so a BU's report is the
same alone or in a batch. The first local worker starts its kernel while the engagement
is being loaded and checked, so a run of one large BU does not wait for it. A BU that
fails does not stop the others; its previous report stays untouched, and the failure
names the notebook section that failed. Files are written to a staging folder beside the
output and moved into place one by one only when complete.

Examples
--------
>>> safe_name("Huaxin Industrial Group — key-account diagnosis")
'huaxin-industrial-group-key-account-diagnosis'
>>> [is_safe_id(b) for b in ("PV", "华东", "a/b", "..", "x\ty")]
[True, True, False, False, False]
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from ..base._validation import describe
from ..base.errors import InputValidationError, Problem, ReportError
from ..base.i18n import label, text
from ..base.paths import DIAGNOSIS_NOTEBOOK
from ..base.quarters import is_quarter, quarter_end
from ..base.schema import LANGUAGES, TABLES
from ..data.engagement import Engagement, load_engagement
from ..data.workbook import neutralise
from ..diagnosis._areas import save_positions, strategic_position
from ..diagnosis.overview import bu_summary
from ..diagnosis.summary import INDEX_FACTS
from ..tools.position import plot_ge_matrix, plot_ie_matrix
from .display import FACTS_MIME, header, image_tag

__all__ = [
    "Job",
    "Rendered",
    "ReportError",
    "ReportResult",
    "as_of",
    "check_bu_ids",
    "is_safe_id",
    "render_bu",
    "run_reports",
    "safe_name",
]

#: Seconds one notebook cell may run before the BU is reported as failed.
CELL_TIMEOUT = 900
#: The files handed to the workers, in the kernel's working folder.
SNAPSHOT, POSITIONS = "snapshot.pkl", "positions.pkl"
#: Environment of the kernels: fixed dates in any figure metadata that carries one.
KERNEL_ENV = {"SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0"}
#: Imports paid once per kernel, not once per BU.
WARM_UP = """\
import IPython.display, matplotlib, matplotlib.pyplot, numpy, pandas
import kamanalysis
"""
#: Run in the kernel before every BU (including the first): forget the previous BU.
RESET = """\
get_ipython().reset(new_session=False)
import sys as _sys
_ip = get_ipython()
[_sys.modules.pop(m) for m in list(_sys.modules) if m.split(".")[0] == "kamanalysis"]
import os as _os
import matplotlib as _mpl
import matplotlib.pyplot as _plt
_plt.close("all")
_mpl.rcParams.update({{k: v for k, v in _mpl.rcParamsOrig.items() if k != "backend"}})
_mpl.rcParams["svg.hashsalt"] = "kamanalysis"
_os.chdir({cwd!r})
_ip.execution_count = 1
del _sys, _ip, _os, _mpl, _plt
"""


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


@dataclass(frozen=True)
class Job:
    """One BU to render: the template's JSON text, the papermill-style parameters, the cwd."""

    bu_id: str
    notebook: str
    parameters: dict
    cwd: str
    title: str = ""


@dataclass(frozen=True)
class Rendered:
    """What a worker returns for one BU: the HTML and executed notebook, or the failure."""

    bu_id: str
    html: str | None = None
    notebook: str | None = None
    section: str | None = None
    error: str | None = None
    seconds: float = 0.0
    #: Where it failed when not in a notebook cell (``"in the worker"``, ...).
    place: str | None = None
    #: The BU's headline facts, handed over by its notebook (see ``display.hand_over``).
    facts: dict | None = None

    @property
    def message(self) -> str:
        """The failure as one line per BU: the section that failed and the error."""
        if self.error is None:
            return ""
        where = f'in section "{self.section}"' if self.section else "before the first section"
        return f"{self.place or where}: {self.error}"


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


def is_safe_id(bu_id: object) -> bool:
    """Return True when a BU id can name a file: no path separator, no ``..``, no control char."""
    if not isinstance(bu_id, str) or not bu_id.strip() or ".." in bu_id:
        return False
    if bu_id.startswith(".") or any(c in bu_id for c in '/\\:*?"<>|'):
        return False
    return not any(unicodedata.category(c).startswith("C") for c in bu_id)


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
            "an id usable as a file name (no / or \\, no .., no control characters)",
            describe(bu),
            row=rows[i] if i < len(rows) else None,
            column="bu_id",
            sheet=sheet,
        )
        for i, bu in enumerate(eng.business_units["bu_id"].tolist())
        if not is_safe_id(bu)
    ]
    if problems:
        raise InputValidationError(problems)


def as_of(eng: Engagement, quarter: str | None = None, *, lang: str | None = None) -> Engagement:
    """Return the engagement as it stood in an earlier ``quarter`` (later rows dropped).

    Rows of later quarters are dropped; a date after the quarter's end (a contact last
    met later, in a table that is a snapshot of today) is unknown as of that quarter and
    becomes blank. ``lang`` overrides the report language. The input is not changed.

    Examples
    --------
    >>> import kamanalysis as kam
    >>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    >>> earlier = as_of(eng, "2026Q2", lang="zh")
    >>> earlier.current_quarter, earlier.quarters[-1], earlier.language, eng.current_quarter
    ('2026Q2', '2026Q2', 'zh', '2026Q3')
    >>> as_of(eng, "2031Q1")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - --quarter: expected a quarter with sales data, 2024Q4 to 2026Q3, got "2031Q1"
    """
    problems = []
    quarters = eng.quarters
    if quarter is not None and (not is_quarter(quarter) or quarter not in quarters):
        span = f"{quarters[0]} to {quarters[-1]}" if quarters else "none"
        problems.append(
            Problem("--quarter", f"a quarter with sales data, {span}", describe(quarter))
        )
    if lang is not None and lang not in LANGUAGES:
        problems.append(Problem("--lang", "one of " + ", ".join(LANGUAGES), describe(lang)))
    if problems:
        raise InputValidationError(problems)
    settings = copy.deepcopy(eng.settings)
    if lang is not None:
        settings["engagement"]["language"] = lang
    if quarter is None or quarter == eng.current_quarter:
        return Engagement(settings, eng.tables, eng.source, eng.rows, absent=eng.absent)
    settings["engagement"]["current_quarter"] = quarter
    end = pd.Timestamp(quarter_end(quarter))
    tables, rows = {}, {}
    for name, frame in eng.tables.items():
        keep = [True] * len(frame)
        if "quarter" in frame.columns:
            keep = (frame["quarter"].fillna("") <= quarter).tolist()
        frame = frame.loc[keep].reset_index(drop=True)
        dates = [c.name for c in TABLES[name].columns if c.kind == "date"] if name in TABLES else []
        if dates:
            frame = frame.assign(**{c: frame[c].where(~(frame[c] > end)) for c in dates})
        tables[name] = frame
        numbers = eng.rows.get(name) or []
        rows[name] = [n for n, k in zip(numbers, keep, strict=False) if k]
    return Engagement(settings, tables, eng.source, rows, absent=eng.absent)


# ---------------------------------------------------------------- one worker's kernel


class _Kernel:
    """A Jupyter kernel kept warm by one worker thread, reset before every BU."""

    def __init__(self, cwd: str):
        from nbclient import NotebookClient
        from nbformat.v4 import new_code_cell, new_notebook

        boot = NotebookClient(new_notebook(), kernel_name="python3")
        self.km = boot.create_kernel_manager()
        client = self.client(new_notebook(cells=[new_code_cell(WARM_UP)]))
        with client.setup_kernel(cwd=cwd, env={**os.environ, **KERNEL_ENV}):
            try:
                client.execute_cell(client.nb.cells[0], 0, store_history=False)
            finally:
                client.kc.stop_channels()

    def client(self, nb):
        from nbclient import NotebookClient

        return NotebookClient(
            nb,
            km=self.km,
            kernel_name="python3",
            timeout=CELL_TIMEOUT,
            record_timing=False,
            # the kernel's own start-up chatter (transport warnings) is not the user's concern
            extra_arguments=["--log-level=CRITICAL"],
        )

    def alive(self) -> bool:
        from jupyter_core.utils import ensure_async, run_sync

        async def check():
            return await ensure_async(self.km.is_alive())

        return bool(run_sync(check)())

    def shutdown(self) -> None:
        from jupyter_core.utils import ensure_async, run_sync

        async def stop():
            if await ensure_async(self.km.is_alive()):
                await ensure_async(self.km.shutdown_kernel(now=True))

        try:
            run_sync(stop)()
        except Exception:  # already gone
            pass


_LOCAL = threading.local()
_ALL_KERNELS: list[_Kernel] = []
_KERNELS_LOCK = threading.Lock()


def _kernel(cwd: str) -> _Kernel:
    """Return this worker's warm kernel (started in ``cwd`` if none is running).

    A kernel serves any run: :data:`RESET` changes into the run's folder before every BU.
    """
    kernel = getattr(_LOCAL, "kernel", None)
    if kernel is not None and not kernel.alive():
        kernel.shutdown()
        kernel = None
    if kernel is None:
        kernel = _Kernel(cwd)
        _LOCAL.kernel = kernel
        with _KERNELS_LOCK:
            _ALL_KERNELS.append(kernel)
    return kernel


def shutdown_kernels() -> int:
    """Stop every kernel this process's workers keep warm; return how many were running."""
    with _KERNELS_LOCK:
        kernels = list(_ALL_KERNELS)
        _ALL_KERNELS.clear()
    for kernel in kernels:
        kernel.shutdown()
    _LOCAL.__dict__.clear()
    return len(kernels)


def _exporter():
    exporter = getattr(_LOCAL, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab")
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _LOCAL.exporter = exporter
    return exporter


def _inject(nb, parameters: dict) -> None:
    """Add papermill's ``injected-parameters`` cell after the ``parameters`` cell."""
    from nbformat.v4 import new_code_cell

    lines = ["# Parameters"] + [
        f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in parameters.items()
    ]
    cell = new_code_cell("\n".join(lines) + "\n", metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)


def _section(nb, index: int) -> str | None:
    """Return the heading of the section holding cell ``index`` (the last heading above it).

    Headings are the ``#`` lines of Markdown cells and of the Markdown that code cells
    displayed (the report writes its headings in the report's language that way), the
    failing cell's own output included.
    """
    for i in range(min(index, len(nb.cells) - 1), -1, -1):
        cell = nb.cells[i]
        if cell.cell_type == "markdown":
            texts = [cell.source] if i < index else []
        else:
            texts = [
                output.get("data", {}).get("text/markdown", "")
                for output in cell.get("outputs", [])
            ]
        for shown in reversed(texts):
            headings = [line for line in shown.splitlines() if line.startswith("#")]
            if headings:
                return headings[-1].lstrip("#").strip()
    return None


def render_bu(job: Job) -> Rendered:
    """Execute the notebook for one BU in this worker's kernel; return the HTML or the failure.

    Runs in a worker (a process of the local pool or a Dask worker); returns the error
    instead of raising so that every BU's failure can be reported together.
    """
    import nbformat
    from nbclient.exceptions import CellExecutionError
    from nbformat.v4 import new_code_cell, new_notebook

    start = time.perf_counter()
    nb = nbformat.reads(job.notebook, as_version=4)
    _inject(nb, job.parameters)
    try:
        kernel = _kernel(job.cwd)
    except Exception as exc:
        error = f"no kernel could start: {type(exc).__name__}: {exc}"
        return Rendered(job.bu_id, error=error, place="in the worker")
    # forget the previous BU, through a scratch notebook, then run this BU's on the same client
    scratch = kernel.client(new_notebook(cells=[new_code_cell(RESET.format(cwd=job.cwd))]))
    client = kernel.client(nb)
    index = 0
    try:
        with scratch.setup_kernel():
            client.kc = scratch.kc
            try:
                try:
                    scratch.execute_cell(scratch.nb.cells[0], 0, store_history=False)
                except CellExecutionError as exc:
                    raise RuntimeError(f"the worker's kernel could not be reset: {exc}") from exc
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type == "code":
                        client.execute_cell(cell, index)
                    elif "outputs" in cell:
                        cell.outputs = []
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
    except CellExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
        return Rendered(job.bu_id, section=_section(nb, index), error=error, seconds=_since(start))
    except Exception as exc:  # the kernel died or timed out: start a fresh one for the next BU
        kernel.shutdown()
        _LOCAL.__dict__.pop("kernel", None)
        return Rendered(
            job.bu_id,
            section=_section(nb, index),
            error=f"the notebook could not run: {type(exc).__name__}: {exc}",
            seconds=_since(start),
        )
    _drop_addresses(nb)
    facts = _take_facts(nb)
    try:
        body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": job.title}})
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        return Rendered(job.bu_id, error=error, seconds=_since(start), place="in the HTML export")
    text = nbformat.writes(nb)
    return Rendered(job.bu_id, html=body, notebook=text, seconds=_since(start), facts=facts)


def _take_facts(nb) -> dict | None:
    """Remove the facts the notebook handed over from its outputs, and return them."""
    facts = None
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            if FACTS_MIME in output.get("data", {}):
                facts = dict(output["data"][FACTS_MIME])
            else:
                kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return facts


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def _drop_addresses(nb) -> None:
    """Remove memory addresses from plain-text outputs (``<Styler at 0x7f...>``): they vary."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _ADDRESS.sub(">", data["text/plain"])


def _since(start: float) -> float:
    return time.perf_counter() - start


def _warm_up() -> None:
    """Start this worker's kernel (the imports included) before its first BU arrives."""
    _kernel(tempfile.gettempdir())


#: Modules a local worker process does without. jsonschema (through nbformat) imports
#: ``rfc3987_syntax`` when installed, to check the ``iri`` formats, which no notebook
#: schema uses; it compiles some 35 Earley grammars on import: 2.2 s per worker here
#: (python-jsonschema/jsonschema#1428). Marked absent, jsonschema leaves those formats out.
WORKER_SKIPS = ("rfc3987_syntax",)


def _pool_worker_init() -> None:
    import sys
    from multiprocessing import util

    for name in WORKER_SKIPS:
        sys.modules.setdefault(name, None)  # a later import raises ImportError
    util.Finalize(None, shutdown_kernels, exitpriority=100)


# ---------------------------------------------------------------- Dask


_MATERIALISED: dict[str, str] = {}


def _materialise(files: dict[str, bytes], run: str) -> str:
    """Write the files a run handed over once per worker machine; return their folder."""
    parts = [run.encode(), *(hashlib.sha256(b).digest() for b in files.values())]
    digest = hashlib.sha256(b"".join(parts))
    key = digest.hexdigest()[:24]
    folder = _MATERIALISED.get(key)
    if folder is None or not Path(folder).exists():
        target = Path(tempfile.gettempdir()) / "kamanalysis-runs" / key
        target.mkdir(parents=True, exist_ok=True)
        for name, blob in files.items():
            if not (target / name).exists():
                partial = target / f".{name}.{os.getpid()}.{threading.get_ident()}"
                partial.write_bytes(blob)
                os.replace(partial, target / name)
        folder = _MATERIALISED[key] = str(target)
    return folder


def _finish_on_worker() -> None:
    """After a batch: stop the worker's kernels, delete the files it was handed."""
    shutdown_kernels()
    for folder in list(_MATERIALISED.values()):
        shutil.rmtree(folder, ignore_errors=True)
    _MATERIALISED.clear()


def _render_remote(job: Job, snapshot: bytes, positions: bytes) -> Rendered:
    """Render on a Dask worker, from the snapshot and positions the client scattered."""
    files = {SNAPSHOT: snapshot, POSITIONS: positions}
    cwd = _materialise(files, run=job.cwd)  # job.cwd: the client's staging folder, one per run
    return render_bu(Job(job.bu_id, job.notebook, job.parameters, cwd, job.title))


def _run_on_dask(address: str, jobs: list[Job], snapshot: Path, positions: Path):
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ReportError(
            "--scheduler needs Dask: pip install 'kamanalysis[dask]' (dask.distributed)"
        ) from exc
    try:
        client = Client(address, timeout="20s")
    except OSError as exc:
        raise ReportError(f"--scheduler: no Dask scheduler answered at {address}: {exc}") from exc
    try:
        blobs = client.scatter(
            [snapshot.read_bytes(), positions.read_bytes()], broadcast=True, hash=True
        )
        futures = [
            client.submit(
                _render_remote, job, *blobs, key=f"kam-report-{job.bu_id}-{i}", pure=False
            )
            for i, job in enumerate(jobs)
        ]
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker itself died
                bu = jobs[futures.index(future)].bu_id
                error = f"{type(exc).__name__}: {exc}"
                yield Rendered(bu, error=error, place="on the Dask worker")
        client.run(_finish_on_worker)
    finally:
        client.close()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Return a pool of up to ``workers`` processes, one of them already warming up.

    The pool starts a process only when a job finds none idle, so a run of one BU keeps
    one process. The first one warms up (kernel start and imports, about 5 s) while the
    engagement is loaded and checked: see :func:`run_reports`.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_pool_worker_init
    )
    pool.warm = pool.submit(_warm_up)
    return pool


def _run_locally(pool: ProcessPoolExecutor, jobs: list[Job]):
    try:
        pool.warm.result()  # the first BU goes to the warm worker, not to a cold new one
    except Exception:  # render_bu says what went wrong, for each BU
        pass
    try:
        futures = {pool.submit(render_bu, job): job for job in jobs}
    except BrokenProcessPool as exc:  # the warming worker died: no BU can run
        for job in jobs:
            yield Rendered(
                job.bu_id, error=f"{type(exc).__name__}: {exc}", place="in the worker process"
            )
        return
    for future in as_completed(futures):
        try:
            yield future.result()
        except Exception as exc:  # the worker process itself died
            error = f"{type(exc).__name__}: {exc}"
            yield Rendered(futures[future].bu_id, error=error, place="in the worker process")


# ---------------------------------------------------------------- pages


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei",
  "Microsoft YaHei", "PingFang SC", "DejaVu Sans", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: right; }}
th:nth-child(-n+2), td:nth-child(-n+2) {{ text-align: left; }}
.failed {{ color: #b00020; }}
</style></head>
<body>
{body}
</body></html>
"""


def _pct(value: float, *, sign: bool = True) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value:+.1%}" if sign else f"{value:.1%}"


def _summary(eng: Engagement, bus: list[str], failures: dict[str, str], folder: Path):
    """One row per BU with a report: the ledger's figures and the facts its notebook gave."""
    summary = bu_summary(eng.for_bus(bus)) if bus else bu_summary(eng).iloc[0:0]
    summary = summary.copy()
    facts = {}
    for bu in summary.index:
        path = folder / f"{bu}.json"
        facts[bu] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name in INDEX_FACTS:
        summary[name] = [facts[bu].get(name) for bu in summary.index]
    summary["report"] = [f"{bu}.html" for bu in summary.index]
    summary["status"] = [
        "failed this run; previous report kept" if bu in failures else "ok" for bu in summary.index
    ]
    return summary


#: Columns of the index page's table of BUs (``summary.csv`` has them all).
INDEX_COLUMNS = (
    "name",
    "accounts",
    "revenue",
    "growth_yoy",
    "gross_margin_pct",
    "top5_share",
    "ie_cell",
    "ge_strategy",
    "index_to_leader",
    "n_key",
    "n_key_churn_risk",
    "not_assessed",
)
#: The group's portfolio health: the BU facts summed over the BUs.
GROUP_COUNTS = ("n_assessed", "n_key", "n_key_churn_risk", "n_key_single_threaded", "n_frustration")


def _group_health(summary: pd.DataFrame, lang: str) -> str:
    """Return the group's key-account portfolio health as an HTML table."""
    counts = {
        name: pd.to_numeric(summary[name], errors="coerce").sum(min_count=1)
        for name in GROUP_COUNTS
        if name in summary
    }
    shares = pd.to_numeric(summary.get("key_revenue_share"), errors="coerce")
    key_revenue = (shares * summary["revenue"]).sum(min_count=1)
    rows = [(text(f"column.{k}", lang), f"{v:,.0f}") for k, v in counts.items() if v == v]
    if key_revenue == key_revenue and summary["revenue"].sum():
        share = key_revenue / summary["revenue"].sum()
        rows.append((text("index.key_share", lang), f"{share:.0%}"))
    if not rows:
        return f"<p><em>{html.escape(text('report.not_assessed', lang))}</em></p>"
    body = "".join(f"<tr><td>{html.escape(name)}</td><td>{value}</td></tr>" for name, value in rows)
    return f"<table><tbody>{body}</tbody></table>"


def _grids(positions: pd.DataFrame, lang: str) -> str:
    """Return every positioned BU on one IE and one GE grid, as an embedded image."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if positions.empty:
        return f"<p><em>{html.escape(text('report.not_assessed', lang))}</em></p>"
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5))
    plot_ie_matrix(positions, ax=left, lang=lang)
    plot_ge_matrix(positions, ax=right, lang=lang)
    alt = text("index.grids_alt", lang, bus=", ".join(positions.index.astype(str)))
    return image_tag(fig, alt)


#: How the index page writes each of its columns (missing values: "–").
_INDEX_FORMATS = {
    "accounts": "{:,.0f}",
    "revenue": "{:,.0f}",
    "growth_yoy": "{:+.1%}",
    "gross_margin_pct": "{:.1f}",
    "top5_share": "{:.1%}",
    "index_to_leader": "{:.0f}",
    "n_key": "{:.0f}",
    "n_key_churn_risk": "{:.0f}",
}


def _index_cell(name: str, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if name == "not_assessed":
        return html.escape(", ".join(text(f"tool.{t}", lang) for t in str(value).split(", ")))
    if name in _INDEX_FORMATS:
        return _INDEX_FORMATS[name].format(float(value))
    return html.escape(label(str(value), lang))


def _quarter_index(eng: Engagement, summary, failures: dict[str, str], positions) -> str:
    lang = eng.language
    head = "".join(f"<th>{html.escape(header(c, lang))}</th>" for c in ("bu_id", *INDEX_COLUMNS))
    rows = []
    for bu, row in summary.iterrows():
        link = f'<a href="{html.escape(row["report"])}">{html.escape(str(row["name"]))}</a>'
        cells = [html.escape(str(bu)), link] + [
            _index_cell(c, row[c], lang) for c in INDEX_COLUMNS[1:]
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    table_html = (
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    failed = "".join(
        f'<li class="failed">BU {html.escape(bu)}: {html.escape(msg)}</li>'
        for bu, msg in failures.items()
    )
    quarter = eng.current_quarter
    title = html.escape(f"{eng.name} — {quarter}")
    intro = text(
        "index.intro",
        lang,
        client=html.escape(eng.settings["engagement"]["client"]),
        quarter=quarter,
        currency=html.escape(eng.currency),
    )
    body = f"""<p><a href="../../index.html">{html.escape(text("index.all_quarters", lang))}</a></p>
<h1>{html.escape(eng.name)}</h1>
<p>{intro}</p>
{f"<p>{html.escape(text('index.failed', lang))}</p><ul>{failed}</ul>" if failed else ""}
<h2>{html.escape(text("index.bus", lang))}</h2>
{table_html}
<h2>{html.escape(text("index.grids", lang))}</h2>
{_grids(positions, lang)}
<h2>{html.escape(text("index.health", lang))}</h2>
{_group_health(summary, lang)}"""
    return _PAGE.format(lang=lang, title=title, body=body)


def _top_index(out: Path) -> str:
    """Return the page linking every quarter run under ``out``, newest quarter first."""
    runs: dict[str, list[tuple[str, str]]] = {}
    for page in sorted(out.glob("*/*/index.html")):
        engagement, quarter = page.parent.parent.name, page.parent.name
        match = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        title = match.group(1) if match else html.escape(engagement)
        runs.setdefault(engagement, []).append((quarter, title))
    items = []
    for engagement, quarters in runs.items():
        quarters.sort(reverse=True)
        heading = quarters[0][1].rsplit(" — ", 1)[0]
        links = [
            f'<li><a href="{html.escape(engagement)}/{html.escape(q)}/index.html">{q}</a></li>'
            for q, _ in quarters
        ]
        items.append(f"<h2>{heading}</h2>\n<ul>\n" + "\n".join(links) + "\n</ul>")
    body = "<h1>Diagnosis reports</h1>\n<p>Every quarter run so far, newest first.</p>\n"
    return _PAGE.format(lang="en", title="Diagnosis reports", body=body + "\n".join(items))


def _write(path: Path, text: str, staging: Path) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file in ``staging``, then a rename)."""
    fd, partial = tempfile.mkstemp(dir=staging, suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
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
    progress: bool = True,
    notebook: str | Path | None = None,
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
        instead of local processes; needs ``pip install 'kamanalysis[dask]'``.
    progress : bool
        Show a progress bar over BUs.
    notebook : str or Path, optional
        The template notebook (default: :data:`kamanalysis.base.paths.DIAGNOSIS_NOTEBOOK`).

    Returns
    -------
    ReportResult

    Raises
    ------
    InputValidationError
        The data (or a BU id, the quarter, the language) have problems; nothing is written.
    ReportError
        One or more BUs failed. The other BUs' reports were written, each failing BU's
        previous report is untouched; the message names each failing BU, the notebook
        section that failed and the error. ``exc.result`` is the :class:`ReportResult`.
    """
    start = time.perf_counter()
    # a local worker warms up while the data are loaded and checked
    pool = None if scheduler else _pool(max(1, jobs or os.cpu_count() or 1))
    done = False
    try:
        result = _run_reports(
            data,
            pool,
            start,
            quarter=quarter,
            bus=bus,
            lang=lang,
            out=out,
            notebook=notebook,
            scheduler=scheduler,
            progress=progress,
        )
        done = True
        return result
    finally:
        if pool is not None:
            # after a failure nothing is waited for: a worker still warming stops by itself
            pool.shutdown(wait=done, cancel_futures=not done)


def _run_reports(data, pool, start, *, quarter, bus, lang, out, notebook, scheduler, progress):
    data_path = Path(data).resolve()
    eng = load_engagement(data_path)
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
    try:
        snapshot = eng.save_snapshot(staging / SNAPSHOT)
        # the group's positions are computed once here, not once per BU's notebook
        positions = save_positions(strategic_position(eng), staging / POSITIONS)
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
                str(staging),
                title=f"Diagnosis {bu} {eng.current_quarter}",
            )
            for bu in bu_ids
        ]
        if scheduler:
            results = _run_on_dask(scheduler, work, snapshot, positions)
        else:
            results = _run_locally(pool, work)
        bar = tqdm(total=len(work), desc="reports", unit="BU", disable=not progress)
        for done in results:
            if done.error is not None:
                failures[done.bu_id] = done.message
                bar.write(f"BU {done.bu_id} failed {done.message}")
            else:
                # the notebook first, then the report: each moved into place when complete
                _write(folder / f"{done.bu_id}.ipynb", done.notebook, staging)
                facts = json.dumps(done.facts or {}, ensure_ascii=False, indent=1, sort_keys=True)
                _write(folder / f"{done.bu_id}.json", facts + "\n", staging)
                _write(folder / f"{done.bu_id}.html", done.html, staging)
                written[done.bu_id] = folder / f"{done.bu_id}.html"
            bar.update(1)
        bar.close()
        failures = {bu: failures[bu] for bu in bu_ids if bu in failures}
        listed = [bu for bu in eng.bu_ids if (folder / f"{bu}.html").exists()]
        summary = _summary(eng, listed, failures, folder)
        _write(folder / "summary.csv", _csv(summary), staging)
        page = _quarter_index(eng, summary, failures, strategic_position(eng))
        _write(folder / "index.html", page, staging)
        _write(out / "index.html", _top_index(out), staging)
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
    )
    if failures:
        lines = [f"  - BU {bu} failed {msg}" for bu, msg in failures.items()]
        error = ReportError(
            f"{len(failures)} of {len(bu_ids)} reports failed (their previous reports, if any, "
            f"were kept); {result.summary()}:\n" + "\n".join(lines)
        )
        error.result = result
        raise error
    return result


def _csv(summary) -> str:
    """Return the summary as CSV, text cells neutralised against formula injection."""
    frame = summary.reset_index().astype(object).map(neutralise)
    return frame.to_csv(index=False, lineterminator="\n")
