"""Benchmark: loading and validating a large engagement, side by side with a bare pandas read.

Run on demand: ``make bench`` (or ``.venv/bin/python bench/bench_load.py --accounts 5000``).
The baseline is reading the same CSV files with ``pandas.read_csv`` and no checks, so the
table shows what validation and typing cost on top of the read itself.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
from _timing import median_time

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.data.sample import write_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bus", type=int, default=20)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "big"
        start = time.perf_counter()
        write_sample(folder, n_bus=args.bus, n_accounts=args.accounts, seed=1)
        generated = time.perf_counter() - start
        rows = sum(len(pd.read_csv(folder / t.filename)) for t in TABLES.values())

        def bare() -> None:
            for t in TABLES.values():
                pd.read_csv(folder / t.filename)

        baseline = median_time(bare, args.repeat)
        loaded = median_time(lambda: kam.load_engagement(folder), args.repeat)
    print(
        f"engagement: {args.bus} BUs, {args.accounts} accounts, {rows:,} rows in all "
        f"(generated in {generated:.1f} s)"
    )
    print(f"{'what':<40}{'median s':>10}{'rows/s':>14}")
    for label, seconds in (
        ("pandas.read_csv, no checks (baseline)", baseline),
        ("kam.load_engagement (validated, typed)", loaded),
    ):
        print(f"{label:<40}{seconds:>10.2f}{rows / seconds:>14,.0f}")
    print(f"validation costs {loaded / baseline:.1f}x the bare read")


if __name__ == "__main__":
    main()
