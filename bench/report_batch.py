"""Benchmark: the quarterly report batch, measured side by side on this machine.

1. ``kam report`` on a generated 24-BU engagement against the naive loop (for each BU the
   ``papermill`` command line, then ``jupyter nbconvert --to html --no-input``), same data;
2. one BU with 20,000 accounts and 160,000 account-quarter rows: wall time and the peak
   memory of the whole process tree (command, workers, kernels); its charts are saved to
   ``bench/out/`` to look at;
3. ``load_engagement`` on the 24-BU engagement (about 120,000 rows) against the bare
   ``pandas.read_csv`` of the same files, and the snapshot the workers read instead.

Run on demand: ``make bench`` or ``.venv/bin/python bench/report_batch.py`` (about ten
minutes on a 2-core machine; ``--skip-naive`` leaves the slow loop out).
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
from _timing import median_time

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.base.quarters import shift_quarter
from kamanalysis.base.schema import TABLES
from kamanalysis.data.engagement import load_snapshot
from kamanalysis.data.sample import LAST_QUARTER, write_sample

BIN = Path(sys.executable).parent
OUT = Path(__file__).resolve().parent / "out"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average {load}"
    )


class PeakMemory:
    """Sample the resident memory of a process and all its children; keep the peak."""

    def __init__(self, pid: int, every: float = 0.1):
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.is_set():
            total = 0
            try:
                for p in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            time.sleep(self.every)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak / 2**30


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """Run a command; return (seconds, peak GiB of its process tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    meter = PeakMemory(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    peak = meter.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return seconds, peak


def naive_loop(data: Path, bu_ids: list[str], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for bu in bu_ids:
        executed = out / f"{bu}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"), str(paths.DIAGNOSIS_NOTEBOOK), str(executed),
                "-p", "data", str(data), "-p", "bu_id", bu, "--log-level", "ERROR",
                "--cwd", str(paths.DIAGNOSIS_NOTEBOOK.parent),
            ],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True, capture_output=True,
        )  # fmt: skip
    return time.perf_counter() - start


def save_charts(report: Path, prefix: str) -> list[Path]:
    OUT.mkdir(exist_ok=True)
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", report.read_text())
    files = []
    for i, data in enumerate(images, start=1):
        file = OUT / f"{prefix}-{i}.png"
        file.write_bytes(base64.b64decode(data))
        files.append(file)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bus", type=int, default=24)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--big-accounts", type=int, default=20000)
    # nine quarters: 20,000 accounts give at least the 160,000 ledger rows the issue names
    # (a tenth of the accounts start after the first quarter)
    parser.add_argument("--big-quarters", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--naive-seconds",
        type=float,
        help="with --skip-naive: the naive loop's time from an earlier run, to compare against",
    )
    parser.add_argument(
        "--formats",
        default="html",
        help="what kam report writes per BU (html, pptx, pdf; default html); the naive loop "
        "writes HTML only, as before",
    )
    parser.add_argument(
        "--batch-only", action="store_true", help="only part 1 (no large BU, no loading)"
    )
    args = parser.parse_args()
    kam_command = str(BIN / "kam")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = write_sample(tmp / "group", n_bus=args.bus, n_accounts=args.accounts, seed=1)
        eng = kam.load_engagement(data)
        rows = sum(len(frame) for frame in eng.tables.values())
        print(f"engagement: {args.bus} BUs, {args.accounts} accounts, {rows:,} rows in all\n")

        # 1. the batch against the naive loop
        batch, batch_peak = timed(
            [kam_command, "report", str(data), "--out", str(tmp / "r"), "--formats", args.formats]
        )
        what = f"kam report --formats {args.formats}"
        lines = [(what, batch, f"{batch_peak:.2f} GiB")]
        written = sorted({p.suffix for p in (tmp / "r").glob("*/*/*.*")})
        print(f"   kam report wrote: {', '.join(written)}; load average {os.getloadavg()}")
        if not args.skip_naive:
            naive = naive_loop(data, eng.bu_ids, tmp / "naive")
            lines.insert(0, ("naive loop: papermill + nbconvert per BU", naive, ""))
        print(f"1. {args.bus} BU reports, {os.cpu_count()} cores")
        print(f"   {'what':<46}{'seconds':>9}{'s/BU':>7}{'peak':>11}")
        for label, seconds, peak in lines:
            print(f"   {label:<46}{seconds:>9.1f}{seconds / args.bus:>7.1f}{peak:>11}")
        if not args.skip_naive:
            print(f"   kam report is {naive / batch:.1f}x faster than the naive loop")
        elif args.naive_seconds:
            print(
                f"   kam report is {args.naive_seconds / batch:.1f}x faster than the naive loop "
                f"of an earlier run ({args.naive_seconds:.1f} s)"
            )
        if args.batch_only:
            return

        # 2. one large BU
        first = shift_quarter(LAST_QUARTER, 1 - args.big_quarters)
        big = write_sample(
            tmp / "big", n_bus=1, n_accounts=args.big_accounts, seed=2, first_quarter=first
        )
        big_eng = kam.load_engagement(big)
        n_aq = len(big_eng.account_quarters)
        seconds, peak = timed([kam_command, "report", str(big), "--out", str(tmp / "b")])
        (report,) = (tmp / "b").glob(f"*/*/{big_eng.bu_ids[0]}.html")
        charts = save_charts(report, "big-bu")
        print(
            f"\n2. one BU, {len(big_eng.accounts):,} accounts, {n_aq:,} account-quarter rows: "
            f"{seconds:.1f} s, peak {peak:.2f} GiB (all processes); "
            f"{len(charts)} charts in {OUT.relative_to(paths.ROOT)}/"
        )

        # 3. loading
        def bare() -> None:
            for t in TABLES.values():
                pd.read_csv(data / t.filename)

        snapshot = eng.save_snapshot(tmp / "snapshot.pkl", b"k" * 32)
        baseline = median_time(bare, args.repeat)
        loaded = median_time(lambda: kam.load_engagement(data), args.repeat)
        snap = median_time(lambda: load_snapshot(snapshot, b"k" * 32), args.repeat)
        print(f"\n3. loading {rows:,} rows (median of {args.repeat})")
        print(f"   {'what':<46}{'seconds':>9}{'x bare':>8}")
        for label, s in (
            ("pandas.read_csv, no checks (baseline)", baseline),
            ("kam.load_engagement (validated, typed)", loaded),
            (f"load_snapshot, pickle ({snapshot.stat().st_size / 2**20:.0f} MiB)", snap),
        ):
            print(f"   {label:<46}{s:>9.2f}{s / baseline:>8.1f}")


if __name__ == "__main__":
    main()
