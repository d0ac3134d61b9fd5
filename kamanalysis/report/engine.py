"""The batch engine: render one BU's notebook in a warm Jupyter kernel, locally or on Dask.

:func:`render_bu` executes the diagnosis notebook for one BU (a :class:`Job`) and returns
its HTML report, executed notebook and headline facts, or where it failed (a
:class:`Rendered`). It runs in a worker: a process of the local pool (:func:`_pool`,
:func:`_run_locally`) or a Dask worker (:func:`_run_on_dask`), which is handed the
run's snapshot and positions through Dask once per worker process, and keeps them in a
private folder of the run (:func:`_materialise`).

The workers and kernels run in a folder made for the run (mode 0700), with the current
and temp folders off ``sys.path``, and the kernels run the Python of ``kam`` itself
(:func:`_kernel_manager`). A local worker ignores the terminal's Ctrl-C and, on SIGTERM
(the batch stopping, or dying: see :func:`_die_with_parent`), kills its kernels and exits.

Each worker keeps one Jupyter kernel with the imports done and the HTML exporter set up,
and before each BU clears what the previous BU left in it (variables, figures,
matplotlib settings, the ``kamanalysis`` modules themselves), so a BU's report is the
same alone or in a batch. The first local worker starts its kernel while the engagement
is being loaded and checked, so a run of one large BU does not wait for it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from ..base.errors import ReportError
from ..base.i18n import text
from ..base.signed import KEY_VARIABLE
from .display import FACTS_MIME
from .formats import EXTRAS, deck_cell
from .layout import CSS_BLOCK

__all__ = ["Job", "Rendered", "give_back_memory", "render_bu", "shutdown_kernels"]

#: Seconds one notebook cell may run before the BU is reported as failed.
CELL_TIMEOUT = 900
#: The files handed to the workers, in the kernel's working folder.
SNAPSHOT, POSITIONS = "snapshot.pkl", "positions.pkl"
#: Environment of the kernels: fixed dates in any figure metadata that carries one, and
#: no current folder on ``sys.path`` (``PYTHONSAFEPATH``): nothing is imported from where the
#: kernel runs.
KERNEL_ENV = {"SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0", "PYTHONSAFEPATH": "1"}
#: Imports paid once per kernel, not once per BU; first the current and temp folders leave
#: ``sys.path``, so that a module planted there is never imported.
WARM_UP = """\
import os as _os, sys as _sys, tempfile as _tf
_off = {"", ".", _os.getcwd(), _tf.gettempdir(), _os.path.realpath(_tf.gettempdir())}
_sys.path[:] = [p for p in _sys.path if p not in _off and _os.path.realpath(p) not in _off]
del _os, _sys, _tf, _off
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
_mpl.rcParams["text.parse_math"] = False  # a "$" in a name from the data is a dollar sign
_os.chdir({cwd!r})
_os.environ[{variable!r}] = {key!r}
_sys.path[:] = [p for p in _sys.path if p not in ("", ".", {cwd!r})]
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
    #: The run's id: tags the Dask tasks, the files materialised on a worker and its kernels.
    run: str = ""
    #: The run's key (hex) that signed the snapshot and positions (:mod:`~kamanalysis.base.signed`).
    key: str = ""
    #: The formats made besides the HTML (``pptx``, ``pdf``: :mod:`~kamanalysis.report.formats`).
    formats: tuple[str, ...] = ()
    #: The deck's PowerPoint template (``--pptx-template``), if any.
    pptx_template: str | None = None


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
    #: The other formats' files, by format (``{"pdf": b"%PDF-..."}``).
    files: dict | None = None

    @property
    def message(self) -> str:
        """The failure as one line per BU: the section that failed and the error."""
        if self.error is None:
            return ""
        where = f'in section "{self.section}"' if self.section else "before the first section"
        return f"{self.place or where}: {self.error}"


# ---------------------------------------------------------------- one worker's kernel


def safe_sys_path(path: list[str]) -> list[str]:
    """Return ``path`` without the current folder (``""``, ``"."``, the cwd) and the temp folder.

    A module dropped into a shared temp folder, or into the folder a worker starts in, is
    then never imported in place of the one installed.

    Examples
    --------
    >>> import tempfile
    >>> safe_sys_path(["", ".", tempfile.gettempdir(), "/opt/lib/python3.11"])
    ['/opt/lib/python3.11']
    """
    off = {"", ".", os.getcwd(), tempfile.gettempdir(), os.path.realpath(tempfile.gettempdir())}
    return [p for p in path if p not in off and os.path.realpath(p) not in off]


def _kernel_manager():
    """Return a kernel manager that starts this very Python, whatever kernelspecs say.

    A ``python3`` kernelspec of the user's (``~/.local/share/jupyter/kernels``) may point
    at another interpreter, without kamanalysis: the kernel runs ``sys.executable``, with
    the current folder kept off its ``sys.path`` (``--ignore-cwd``, ``PYTHONSAFEPATH``).
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="kamanalysis",
        language="python",
        resource_dir=os.path.dirname(__file__),
        metadata={"debugger": False},
    )

    class OwnPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return spec

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=OwnPython())


class _Kernel:
    """A Jupyter kernel kept warm by one worker thread, reset before every BU.

    ``run`` is the run it last served and ``busy`` whether it is serving one now: a run
    that ends on a Dask worker stops its own idle kernels only (:func:`_finish_on_worker`).
    """

    def __init__(self, cwd: str):
        from nbformat.v4 import new_code_cell, new_notebook

        self.run, self.busy, self.retired = "", False, False
        self.km = _kernel_manager()
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
            # the kernel's own start-up chatter (transport warnings) is not the user's concern;
            # the folder it runs in is never on its sys.path
            extra_arguments=["--log-level=CRITICAL", "--ignore-cwd"],
        )

    def alive(self) -> bool:
        from jupyter_core.utils import ensure_async, run_sync

        async def check():
            return await ensure_async(self.km.is_alive())

        return bool(run_sync(check)())

    def kill(self) -> None:
        """Stop the kernel at once, without waiting (from a signal handler); remove its file.

        The kernel runs in a session of its own (jupyter_client starts it so): its whole
        process group goes.
        """
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:  # already gone
                pass
        try:
            self.km.cleanup_connection_file()
        except Exception:  # never written, or already removed
            pass

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


def _kernel(cwd: str, run: str = "") -> _Kernel:
    """Return this worker's warm kernel (started in ``cwd`` if none is running), now busy.

    A kernel serves any run: :data:`RESET` changes into the run's folder before every BU.
    The caller sets ``busy`` back to False when done.
    """
    kernel = getattr(_LOCAL, "kernel", None)
    if kernel is not None:
        with _KERNELS_LOCK:
            retired = kernel.retired
            kernel.busy = not retired
        if retired or not kernel.alive():
            kernel.shutdown()
            kernel = None
    if kernel is None:
        kernel = _Kernel(cwd)
        kernel.busy = True
        _LOCAL.kernel = kernel
        with _KERNELS_LOCK:
            _ALL_KERNELS.append(kernel)
    kernel.run = run
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


#: The report's template: JupyterLab's, without the scripts it loads from a CDN (require.js,
#: MathJax, mermaid). A report shows static images, tables and text: it needs none, and
#: opened offline it makes no network request (nor tells a CDN who reads it).
OFFLINE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
# the report's own CSS: tables, contents, appendix, A4 print (kamanalysis.report.layout)
OFFLINE_TEMPLATE += CSS_BLOCK


def _exporter():
    exporter = getattr(_LOCAL, "exporter", None)
    if exporter is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name="lab",
            extra_loaders=[DictLoader({"kam-offline.html.j2": OFFLINE_TEMPLATE})],
        )
        exporter.template_file = "kam-offline.html.j2"
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        _LOCAL.exporter = exporter
    return exporter


def html_language(page: str, lang: str) -> str:
    r"""Return the exported page declaring the report's language (``<html lang="zh-CN">``).

    nbconvert's template writes ``<html lang="en">`` whatever the notebook says; the
    catalogue's ``report.html_lang`` gives the code of the report's language.

    Examples
    --------
    >>> html_language('<!DOCTYPE html>\n<html lang="en">\n<head>', "zh")[16:]
    '<html lang="zh-CN">\n<head>'
    """
    written = '<html lang="en">'
    if written not in page:
        raise ValueError(f"the exported page has no {written}: nbconvert's template changed")
    return page.replace(written, f'<html lang="{text("report.html_lang", lang)}">', 1)


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
                return re.sub(r"\s*<[^>]*>", "", headings[-1]).lstrip("#").strip()  # no anchor
    return None


def render_bu(job: Job) -> Rendered:
    """Execute the notebook for one BU in this worker's kernel; return the HTML or the failure.

    Runs in a worker (a process of the local pool or a Dask worker); returns the error
    instead of raising so that every BU's failure can be reported together.
    """
    import nbformat

    start = time.perf_counter()
    nb = nbformat.reads(job.notebook, as_version=4)
    _inject(nb, job.parameters)
    try:
        kernel = _kernel(job.cwd, job.run)
    except Exception as exc:
        error = f"no kernel could start: {type(exc).__name__}: {exc}"
        return Rendered(job.bu_id, error=error, place="in the worker")
    try:
        rendered = _render_in(kernel, job, nb, start)
    finally:
        kernel.busy = False
    if job.formats:  # the deck and the PDF, next to the render (lazy: most runs want HTML only)
        from .formats import render_extras

        rendered = render_extras(job, rendered)
    return rendered


def _render_in(kernel: _Kernel, job: Job, nb, start: float) -> Rendered:
    import nbformat
    from nbclient.exceptions import CellExecutionError
    from nbformat.v4 import new_code_cell, new_notebook

    # forget the previous BU, through a scratch notebook, then run this BU's on the same client
    reset = RESET.format(cwd=job.cwd, variable=KEY_VARIABLE, key=job.key)
    scratch = kernel.client(new_notebook(cells=[new_code_cell(reset)]))
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
                deck = _deck_in_kernel(scratch, job)
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
        body = html_language(body, job.parameters.get("lang", "en"))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        return Rendered(job.bu_id, error=error, seconds=_since(start), place="in the HTML export")
    text = nbformat.writes(nb)
    if isinstance(deck, str):
        return Rendered(job.bu_id, error=deck, seconds=_since(start), place=EXTRAS["pptx"])
    files = None if deck is None else {"pptx": deck}
    return Rendered(
        job.bu_id, html=body, notebook=text, seconds=_since(start), facts=facts, files=files
    )


def _deck_in_kernel(scratch, job: Job) -> bytes | str | None:
    """Write the BU's deck in its kernel after the notebook: its bytes, the error, or None.

    ``scratch`` is the client of the one-cell notebook the reset ran in (on the BU's kernel):
    the deck's cell takes that cell's place, so the BU's notebook is left as it ran.
    """
    from nbclient.exceptions import CellExecutionError
    from nbformat.v4 import new_code_cell

    made = deck_cell(job)
    if made is None:
        return None
    code, path = made
    scratch.nb.cells[0] = cell = new_code_cell(code)
    try:
        scratch.execute_cell(cell, 0, store_history=False)
        return path.read_bytes()
    except CellExecutionError as exc:
        return f"{exc.ename}: {exc.evalue}"
    finally:
        path.unlink(missing_ok=True)


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


def _warm_up(cwd: str) -> None:
    """Start this worker's kernel (the imports included) in the run's private folder."""
    if os.path.isdir(cwd):  # else the run already ended: no kernel to warm
        _kernel(cwd).busy = False


#: Modules a local worker process does without. jsonschema (through nbformat) imports
#: ``rfc3987_syntax`` when installed, to check the ``iri`` formats, which no notebook
#: schema uses; it compiles some 35 Earley grammars on import: 2.2 s per worker here
#: (python-jsonschema/jsonschema#1428). Marked absent, jsonschema leaves those formats out.
WORKER_SKIPS = ("rfc3987_syntax",)


def _stop_worker(signum: int = signal.SIGTERM, frame=None) -> None:
    """End a local worker at once: its kernels first (they run in sessions of their own)."""
    for kernel in list(_ALL_KERNELS):
        kernel.kill()
    os._exit(128 + signum)


#: Linux's ``prctl`` option: a signal the process gets when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have this worker get SIGTERM when the batch dies, even by ``kill -9`` (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # not available: the batch's own stop still works
            return
    if os.getppid() != parent:  # the batch died before this line: stop now
        _stop_worker()


def _pool_worker_init(cwd: str, parent: int | None = None) -> None:
    """Set up a local worker: in the run's private folder, nothing imported from cwd or temp.

    Ctrl-C is the batch's to handle (the worker ignores SIGINT); SIGTERM, from the batch
    stopping or dying, stops the worker's kernels and the worker (:func:`_stop_worker`).
    """
    from multiprocessing import util

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    if parent is not None:
        _die_with_parent(parent)
    sys.path[:] = safe_sys_path(sys.path)
    if os.path.isdir(cwd):  # else the run already ended (its data were refused): nothing to do
        os.chdir(cwd)
    for name in WORKER_SKIPS:
        sys.modules.setdefault(name, None)  # a later import raises ImportError
    util.Finalize(None, shutdown_kernels, exitpriority=100)


# ---------------------------------------------------------------- Dask


#: Per run (its id): the private folder holding the files the run handed to this worker.
_MATERIALISED: dict[str, str] = {}
_MATERIALISE_LOCK = threading.Lock()


def _materialise(files: dict[str, bytes], run: str) -> str:
    """Write the files a run handed over once per worker process; return their folder.

    The folder is made for the run by :func:`tempfile.mkdtemp` (mode 0700, a name nobody
    can guess), so no other user can read the files or put others in their place; the
    files are signed with the run's key besides (:mod:`~kamanalysis.base.signed`).
    """
    with _MATERIALISE_LOCK:
        folder = _MATERIALISED.get(run)
        if folder is None or not Path(folder).exists():
            folder = tempfile.mkdtemp(prefix="kam-run-")
            for name, blob in files.items():
                fd = os.open(Path(folder) / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
            _MATERIALISED[run] = folder
    return folder


def _finish_on_worker(run: str) -> int:
    """After a run: stop this run's idle kernels, delete the files it handed over.

    Kernels busy with another run's BU, or last used by another run, are left alone:
    concurrent runs on one cluster do not stop each other's kernels. Returns how many
    kernels were stopped.
    """
    with _KERNELS_LOCK:
        done = [k for k in _ALL_KERNELS if k.run == run and not k.busy]
        for kernel in done:
            kernel.retired = True
            _ALL_KERNELS.remove(kernel)
    for kernel in done:
        kernel.shutdown()
    with _MATERIALISE_LOCK:
        folder = _MATERIALISED.pop(run, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return len(done)


def _render_remote(job: Job, snapshot: bytes, positions: bytes) -> Rendered:
    """Render on a Dask worker, from the snapshot and positions the client scattered."""
    files = {SNAPSHOT: snapshot, POSITIONS: positions}
    cwd = _materialise(files, run=job.run)
    return render_bu(replace(job, cwd=cwd))


def _run_on_dask(
    address: str, jobs: list[Job], snapshot: Path, positions: Path, security: dict | None = None
):
    """Run the jobs on the Dask scheduler at ``address``; yield each BU's :class:`Rendered`.

    ``security`` holds the keyword arguments of Dask's ``Security`` (``tls_ca_file``,
    ``tls_client_cert``, ``tls_client_key``); given, the connection requires encryption.
    """
    try:
        import dask
        from distributed import Client, Security
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ReportError(
            "--scheduler needs Dask: pip install 'kamanalysis[dask]' (dask.distributed)"
        ) from exc
    if security:
        security = Security(**security, require_encryption=True)
    # how long to wait for the scheduler: Dask's own setting (30 s unless configured)
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        client = Client(address, timeout=timeout, security=security or None)
    except (OSError, ValueError, TypeError) as exc:
        raise ReportError(f"--scheduler: no Dask scheduler answered at {address}: {exc}") from exc
    run = jobs[0].run if jobs else ""
    futures = []
    try:
        blobs = client.scatter(
            [snapshot.read_bytes(), positions.read_bytes()], broadcast=True, hash=False
        )
        futures = [
            client.submit(
                _render_remote, job, *blobs, key=f"kam-report-{run}-{job.bu_id}-{i}", pure=False
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
    finally:
        try:
            if futures:
                client.cancel(futures)
            client.run(_finish_on_worker, run)
        except Exception:  # the cluster went away: nothing left to clean there
            pass
        client.close()


# ---------------------------------------------------------------- the local pool


def _pool(workers: int, cwd: str) -> ProcessPoolExecutor:
    """Return a pool of up to ``workers`` processes, one of them already warming up.

    The pool starts a process only when a job finds none idle, so a run of one BU keeps
    one process. The first one warms up (kernel start and imports, about 5 s) while the
    engagement is loaded and checked: see :func:`run_reports`. The workers and their
    kernels run in ``cwd``, the run's private folder.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_pool_worker_init,
        initargs=(cwd, os.getpid()),
    )
    pool.warm = pool.submit(_warm_up, cwd)
    pool.workers = workers
    return pool


def _stop_pool(pool: ProcessPoolExecutor, grace: float = 10.0) -> None:
    """Stop a pool at once (the batch was interrupted): every worker and its kernels.

    Each worker gets SIGTERM, stops its kernels and exits (:func:`_stop_worker`); one
    still there after ``grace`` seconds is killed.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public list
    for process in processes:
        try:
            os.kill(process.pid, signal.SIGTERM)
        except OSError:  # already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()


def give_back_memory() -> None:
    """Hand the memory the last BU's result took back to the system (glibc only).

    A result's HTML and notebook are megabytes each. Once glibc's malloc has freed a block
    that big, it raises its threshold for giving such blocks their own pages, so the next
    ones come from the heap, which grows by fragments it keeps: about 0.8 MiB more per BU
    in the batch's main process, measured. ``malloc_trim`` returns the free pages; with
    another C library, nothing is done.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _run_locally(pool: ProcessPoolExecutor, jobs: list[Job], running=None):
    """Run the jobs on the local pool; yield each BU's :class:`Rendered` as it is done.

    ``running``, given, is called about every second with the BUs the workers are on (the
    oldest started first, at most one per worker process), for the progress bar.
    """
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
    while futures:
        if running is not None:
            # a job is "running" once queued for a worker: the first ones of those are
            busy = [job.bu_id for future, job in futures.items() if future.running()]
            running(busy[: pool.workers])
        finished, _ = wait(futures, timeout=1.0, return_when=FIRST_COMPLETED)
        done = [f for f in futures if f in finished]  # in the order submitted
        del finished
        while done:
            # a future keeps its result (the report's HTML and notebook, megabytes) as
            # long as it is referenced: forget it once handed over, so the batch's
            # memory stays flat over many BUs
            future = done.pop(0)
            job = futures.pop(future)
            try:
                rendered = future.result()
            except Exception as exc:  # the worker process itself died
                error = f"{type(exc).__name__}: {exc}"
                rendered = Rendered(job.bu_id, error=error, place="in the worker process")
            del future
            yield rendered
            del rendered
