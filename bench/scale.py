"""Benchmark: scale. ``kam sample`` to a workbook, and the batch's memory over many BUs.

``sample``: generate a fictional engagement of ``--accounts`` accounts and write it as an
.xlsx workbook, as ``kam sample OUT.xlsx --accounts N`` does, in this process; prints the
wall-clock and CPU seconds of each step (the CPU seconds move less with the machine's
load) and, with ``--check``, loads the workbook back and compares it with the CSV folder.

``batch``: run ``run_reports`` in this process on a generated engagement of ``--bus`` BUs
and sample the resident memory (``VmRSS``) of this process, the batch's main process,
every ``--every`` seconds, with the number of reports written so far; prints the RSS once
the first report is written, at the end, and the slope (MiB per BU, a least-squares line
through the samples after the first report). The workers and kernels are other processes
and are not counted: their memory is measured by ``report_batch.py``.

``handover``: the batch's main loop alone (``_run_locally`` on a pool of 2 processes, each
result written to a file, then dropped) with made-up results of 1.5-2.5 MB of HTML and as
much notebook, no kernel: the main process's RSS per result, with and without
``give_back_memory`` after each (``--no-trim``). Seconds, not minutes.

Run on demand: ``.venv/bin/python bench/scale.py sample --accounts 20000``,
``.venv/bin/python bench/scale.py batch --bus 40 --accounts 20000`` and
``.venv/bin/python bench/scale.py handover``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import kamanalysis as kam
from kamanalysis.base.errors import ReportError
from kamanalysis.base.schema import TABLES
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder, write_workbook
from kamanalysis.report import engine


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of a process (``/proc/PID/status``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def sample(args: argparse.Namespace) -> None:
    out = Path(args.out or tempfile.mkdtemp(prefix="kam-scale-")) / "sample.xlsx"
    (settings, tables), wall, cpu = timed(lambda: generate(n_accounts=args.accounts))
    cells = sum(len(t) * len(t.columns) for t in tables.values())
    print(f"{args.accounts:,} accounts, {cells:,} cells")
    print(f"generate        wall {wall:6.1f} s  cpu {cpu:6.1f} s")
    _, wall2, cpu2 = timed(lambda: write_workbook(settings, tables, out))
    print(f"write workbook  wall {wall2:6.1f} s  cpu {cpu2:6.1f} s  ({out.stat().st_size:,} bytes)")
    print(f"total           wall {wall + wall2:6.1f} s  cpu {cpu + cpu2:6.1f} s")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.check:
        folder = write_folder(settings, tables, out.parent / "sample")
        back, expected = kam.load_engagement(out), kam.load_engagement(folder)
        assert back.settings == expected.settings
        for name in TABLES:
            pd.testing.assert_frame_equal(back.tables[name], expected.tables[name], obj=name)
        print("the workbook reads back equal to the CSV folder")


class Sampler:
    """Sample this process's RSS and the reports written so far, every ``every`` seconds."""

    def __init__(self, folder: Path, every: float):
        self.folder, self.every, self.samples = folder, every, []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.is_set():
            written = len(list(self.folder.glob("*/*/*.html"))) if self.folder.exists() else 0
            self.samples.append((time.perf_counter(), written, rss_mib()))
            self.done.wait(self.every)

    def stop(self) -> pd.DataFrame:
        self.done.set()
        self.thread.join()
        return pd.DataFrame(self.samples, columns=["t", "written", "rss_mib"])


def batch(args: argparse.Namespace) -> None:
    work = Path(args.out or tempfile.mkdtemp(prefix="kam-scale-"))
    data = work / "data"
    # generated in another process: this one's memory is the batch's alone
    argv = ["sample", str(data), "--bus", str(args.bus), "--accounts", str(args.accounts)]
    command = f"from kamanalysis.cli import main; main({argv!r})"
    subprocess.run([sys.executable, "-c", command], check=True, stdout=subprocess.DEVNULL)
    out = work / "reports"
    print(f"{args.bus} BUs, {args.accounts:,} accounts; RSS before the batch {rss_mib():.0f} MiB")
    sampler = Sampler(out, args.every)
    start = time.perf_counter()
    try:
        kam.report.run_reports(data, out, jobs=args.jobs, progress=False)
    except ReportError as exc:  # the slope counts the reports written
        print(f"{len(exc.result.failures)} BUs failed, first: {next(iter(exc.result.failures))}")
    seconds = time.perf_counter() - start
    samples = sampler.stop()
    after_first = samples[samples["written"] >= 1]
    first = after_first.iloc[0]
    slope = np.polyfit(after_first["written"], after_first["rss_mib"], 1)[0]
    peak = samples["rss_mib"].max()
    print(f"{seconds:.0f} s; RSS at the first report {first.rss_mib:.0f} MiB, at the end")
    print(f"{rss_mib():.0f} MiB (peak {peak:.0f} MiB); slope {slope:.2f} MiB per BU")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.csv:
        samples.to_csv(args.csv, index=False)


def made_up(job: engine.Job) -> engine.Rendered:
    """A result the size of a report's (run in a worker process)."""
    n = 1_500_000 + (hash(job.bu_id) % 1_000_000)
    return engine.Rendered(job.bu_id, html="h" * n, notebook="n" * (n - 200_000), facts={})


class MadeUpPool:
    """What ``_run_locally`` needs of a pool, running :func:`made_up` instead of a report."""

    def __init__(self, pool: ProcessPoolExecutor):
        self.pool, self.workers = pool, 2
        self.warm = pool.submit(int)

    def submit(self, fn, job):
        return self.pool.submit(made_up, job)


def handover(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kam-scale-"))
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [engine.Job(f"B{k:03d}", "", {}, "") for k in range(args.results)]
        rss = []
        for done in engine._run_locally(MadeUpPool(pool), jobs):
            (folder / "report.html").write_text(done.html)
            (folder / "report.ipynb").write_text(done.notebook)
            if not args.no_trim:
                engine.give_back_memory()
            rss.append(rss_mib())
    slope = np.polyfit(np.arange(10, len(rss) + 1), rss[9:], 1)[0]
    trim = "without" if args.no_trim else "with"
    print(f"{args.results} results, {trim} give_back_memory: RSS {rss[9]:.0f} MiB after 10,")
    print(f"{rss[-1]:.0f} MiB at the end, peak {max(rss):.0f} MiB; {slope:.3f} MiB per result")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("sample", help="kam sample to .xlsx: generate and write")
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--out", help="folder for the workbook (default: a temporary one)")
    p.add_argument("--check", action="store_true", help="load it back and compare (slow)")
    p.set_defaults(func=sample)
    p = sub.add_parser("batch", help="the main process's RSS over a batch of many BUs")
    p.add_argument("--bus", type=int, default=40)
    p.add_argument("--accounts", type=int, default=20_000, help="accounts in all")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    p.add_argument("--out", help="folder for the data and reports (default: temporary)")
    p.add_argument("--csv", help="write the samples (time, reports written, RSS) here")
    p.set_defaults(func=batch)
    p = sub.add_parser("handover", help="the batch's main loop with made-up results")
    p.add_argument("--results", type=int, default=120)
    p.add_argument("--no-trim", action="store_true", help="without give_back_memory")
    p.set_defaults(func=handover)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
