"""Benchmark: the backtest of 20,000 accounts over nine quarters (issue 24; target < 30 s).

Generates a one-BU engagement of ``--accounts`` accounts over ``--quarters`` quarters
(``kamanalysis.data.sample.generate``), writes and loads it, then times
``kamanalysis.backtest.score_backtest`` on a freshly loaded engagement each run (nothing
cached from the run before): the median of ``--repeat`` runs, wall-clock and CPU time, and
where the time goes (the scoring as of each quarter; the statistics are the rest). The
default is the score-only path; ``--compare`` times the whole as-of diagnosis of each
quarter too (``full=True``, the path before the score-only one), in the same run, and checks
that both give the same observations. The load average (``os.getloadavg``) is printed at the
start and the end: on a shared machine the wall-clock time says little without it.

Run on demand: ``.venv/bin/python bench/backtest.py [--compare]`` (about a minute).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

import kamanalysis as kam
from kamanalysis.base.quarters import shift_quarter
from kamanalysis.data.sample import LAST_QUARTER, generate
from kamanalysis.data.workbook import write_folder


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(folder: Path, horizon: int, repeat: int, full: bool) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``repeat`` backtests, each on a fresh engagement."""
    walls, cpus, bt = [], [], None
    for _ in range(repeat):
        eng = kam.load_engagement(folder)
        wall, cpu = time.perf_counter(), time.process_time()
        bt = kam.backtest.score_backtest(eng, horizon=horizon, full=full)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), bt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--quarters", type=int, default=9)
    parser.add_argument("--horizon", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--compare", action="store_true", help="time the whole as-of diagnosis too (full=True)"
    )
    args = parser.parse_args()
    print(f"load average at the start: {load()} ({os.cpu_count()} cores)")
    first = shift_quarter(LAST_QUARTER, -(args.quarters - 1))
    paths = {"score-only": False, **({"whole diagnosis": True} if args.compare else {})}
    with tempfile.TemporaryDirectory() as tmp:
        settings, tables = generate(
            n_bus=1, n_accounts=args.accounts, first_quarter=first, last_quarter=LAST_QUARTER
        )
        folder = write_folder(settings, tables, Path(tmp) / "big")
        rows = sum(len(t) for t in tables.values())
        print(
            f"engagement: 1 BU, {args.accounts:,} accounts, {first} to {LAST_QUARTER}, "
            f"{rows:,} rows"
        )
        results = {}
        for name, full in paths.items():
            wall, cpu, bt = timed(folder, args.horizon, args.repeat, full)
            eng = kam.load_engagement(folder)
            start = time.perf_counter()
            kam.backtest.backtest_observations(eng, horizon=args.horizon, full=full)
            scoring = time.perf_counter() - start
            results[name] = bt
            print(
                f"score_backtest, {name}, median of {args.repeat}: {wall:.1f} s wall, "
                f"{cpu:.1f} s CPU (scoring as of each quarter: {scoring:.1f} s of one run; "
                "target < 30 s)",
                flush=True,
            )
    if args.compare:
        pd.testing.assert_frame_equal(
            results["score-only"].observations, results["whole diagnosis"].observations
        )
        print("both paths: the same observations")
    bt = results["score-only"]
    print(f"python {platform.python_version()}, {platform.machine()}")
    print(f"quarters scored: {', '.join(bt.quarters)}; observations: {len(bt.observations):,}")
    print(bt.correlations.round(3).to_string(index=False))
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
