"""The batch engine: render one BU's notebook in a warm Jupyter kernel, locally or on Dask.

:func:`render_bu` executes the diagnosis notebook for one BU (a :class:`Job`) and returns
its HTML report, executed notebook and headline facts, or where it failed (a
:class:`Rendered`). It runs in a worker: a process of the local pool (:func:`_pool`,
:func:`_run_locally`) or a Dask worker (:func:`_run_on_dask`), which is handed the
run's snapshot and positions once per machine.

Each worker keeps one Jupyter kernel with the imports done and the HTML exporter set up,
and before each BU clears what the previous BU left in it (variables, figures,
matplotlib settings, the ``kamanalysis`` modules themselves), so a BU's report is the
same alone or in a batch. The first local worker starts its kernel while the engagement
is being loaded and checked, so a run of one large BU does not wait for it.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import ReportError
from .display import FACTS_MIME

__all__ = ["Job", "Rendered", "render_bu", "shutdown_kernels"]

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


# ---------------------------------------------------------------- the local pool


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
