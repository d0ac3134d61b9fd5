"""Benchmark: the backtest of 20,000 accounts over nine quarters (issue 24; target < 30 s).

Generates a one-BU engagement of ``--accounts`` accounts over ``--quarters`` quarters
(``kamanalysis.data.sample.generate``), writes and loads it, then times
``kamanalysis.backtest.score_backtest`` on a freshly loaded engagement each run (nothing
cached from the run before), the median of ``--repeat`` runs, and prints where the time goes:
the scoring as of each quarter (criteria, tiers, health) and the statistics.

Run on demand: ``.venv/bin/python bench/backtest.py`` (about a minute with the defaults).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from _timing import median_time

import kamanalysis as kam
from kamanalysis.base.quarters import shift_quarter
from kamanalysis.data.sample import LAST_QUARTER, generate
from kamanalysis.data.workbook import write_folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--quarters", type=int, default=9)
    parser.add_argument("--horizon", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    first = shift_quarter(LAST_QUARTER, -(args.quarters - 1))
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
        engagements = [kam.load_engagement(folder) for _ in range(args.repeat)]
        results = []

        def run() -> None:
            eng = engagements[len(results)]
            results.append(kam.backtest.score_backtest(eng, horizon=args.horizon))

        seconds = median_time(run, args.repeat)
        bt = results[-1]
        eng = kam.load_engagement(folder)
        start = time.perf_counter()
        kam.backtest.backtest_observations(eng, horizon=args.horizon)
        scoring = time.perf_counter() - start
    print(f"python {platform.python_version()}, {platform.machine()}")
    print(f"quarters scored: {', '.join(bt.quarters)}; observations: {len(bt.observations):,}")
    print(
        f"score_backtest, median of {args.repeat}: {seconds:.1f} s "
        f"(scoring as of each quarter: {scoring:.1f} s of one run; target < 30 s)"
    )
    print(bt.correlations.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
