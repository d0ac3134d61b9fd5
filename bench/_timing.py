"""What every benchmark here shares: the median wall-clock time of repeated runs."""

from __future__ import annotations

import statistics
import time


def median_time(fn, repeat: int) -> float:
    """Run ``fn`` ``repeat`` times; return the median of the wall-clock seconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)
