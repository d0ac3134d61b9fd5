"""Benchmark: selection-matrix scoring and weight robustness at scale (issue 7).

Run on demand: ``make bench`` (or ``.venv/bin/python bench/accounts.py``). Measures, side by
side in one run:

1. ``score_selection_matrix`` on 1,000,000 accounts x 10 criteria (5 attractiveness,
   5 strength), against the same computation as a row-wise ``DataFrame.apply`` (timed on a
   subsample and scaled, since the full apply takes minutes) and against a bare numpy
   matrix product (the floor: two products, no checks, no copy, no quadrant);
2. ``weight_robustness`` with 1,000 Dirichlet draws over 100,000 accounts, with its peak
   memory (tracemalloc, which numpy reports its buffers to), against a row-wise apply on a
   subsample (scaled) and against the bare chunked matrix products alone (the floor).

Times are the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import platform
import resource
import tracemalloc

import numpy as np
import pandas as pd
from _timing import median_time

from kamanalysis.tools.accounts import CHUNK_ELEMENTS, score_selection_matrix, weight_robustness

ATT = {f"att_{i}": w for i, w in enumerate((0.3, 0.25, 0.2, 0.15, 0.1))}
STR = {f"str_{i}": w for i, w in enumerate((0.2, 0.2, 0.2, 0.2, 0.2))}


def _accounts(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = rng.integers(1, 6, size=(n, len(ATT) + len(STR))).astype("float64")
    frame = pd.DataFrame(data, columns=[*ATT, *STR])
    frame.insert(0, "account_id", [f"A{i:07d}" for i in range(n)])
    return frame


def _quadrant(a: float, s: float, cuts=(3.0, 3.0)) -> str:
    # the same rule as the package: at or above the cut, within a 1e-9 tolerance
    high_a, high_s = a >= cuts[0] - 1e-9, s >= cuts[1] - 1e-9
    if high_a:
        return "key" if high_s else "develop"
    return "maintain" if high_s else "opportunistic"


def _apply_selection(frame: pd.DataFrame) -> pd.Series:
    def one(row):
        a = sum(row[c] * w for c, w in ATT.items())
        s = sum(row[c] * w for c, w in STR.items())
        return _quadrant(a, s)

    return frame.apply(one, axis=1)


def _apply_robustness(frame: pd.DataFrame, w_att: np.ndarray, w_str: np.ndarray) -> pd.Series:
    att_cols, str_cols = list(ATT), list(STR)

    def one(row):
        base = _quadrant(
            sum(row[c] * w for c, w in ATT.items()), sum(row[c] * w for c, w in STR.items())
        )
        a = row[att_cols].to_numpy(dtype="float64")
        s = row[str_cols].to_numpy(dtype="float64")
        stay = sum(
            _quadrant(float(a @ wa), float(s @ ws)) == base
            for wa, ws in zip(w_att, w_str, strict=True)
        )
        return stay / len(w_att)

    return frame.apply(one, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--robust-accounts", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--apply-sample", type=int, default=20_000)
    parser.add_argument("--apply-robust-sample", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")

    # 1. selection matrix ----------------------------------------------------------------
    frame = _accounts(args.accounts)
    t_score = median_time(
        lambda: score_selection_matrix(frame, attractiveness=ATT, strength=STR), args.repeat
    )
    x_att = frame[list(ATT)].to_numpy()
    x_str = frame[list(STR)].to_numpy()
    w_att = np.array(list(ATT.values()))
    w_str = np.array(list(STR.values()))
    t_floor = median_time(lambda: (x_att @ w_att, x_str @ w_str), args.repeat)
    sample = frame.iloc[: args.apply_sample]
    t_apply_sample = median_time(lambda: _apply_selection(sample), 1)
    t_apply = t_apply_sample * args.accounts / len(sample)
    ours = score_selection_matrix(sample, attractiveness=ATT, strength=STR)["quadrant"]
    assert (ours.to_numpy() == _apply_selection(sample).to_numpy()).all(), "apply disagrees"
    print(f"\nselection matrix, {args.accounts:,} accounts x {len(ATT) + len(STR)} criteria")
    print(f"  score_selection_matrix        {t_score:9.3f} s")
    ratio = t_score / t_floor
    print(f"  bare numpy matrix products    {t_floor:9.3f} s   (ours / floor = {ratio:.1f}x)")
    print(
        f"  row-wise DataFrame.apply      {t_apply:9.1f} s   "
        f"(timed on {len(sample):,} rows: {t_apply_sample:.2f} s, scaled; "
        f"apply / ours = {t_apply / t_score:.0f}x)"
    )

    # 2. weight robustness ---------------------------------------------------------------
    robust = _accounts(args.robust_accounts, seed=1)
    kwargs = {"attractiveness": ATT, "strength": STR, "cuts": (3.0, 3.0), "draws": args.draws}
    t_robust = median_time(lambda: weight_robustness(robust, **kwargs), args.repeat)
    tracemalloc.start()
    result = weight_robustness(robust, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rng = np.random.default_rng(0)
    draws_att = rng.dirichlet(100 * w_att, size=args.draws)
    draws_str = rng.dirichlet(100 * w_str, size=args.draws)
    ra = robust[list(ATT)].to_numpy()
    rs = robust[list(STR)].to_numpy()
    step = CHUNK_ELEMENTS // args.draws

    def floor() -> None:
        for start in range(0, len(ra), step):
            ra[start : start + step] @ draws_att.T
            rs[start : start + step] @ draws_str.T

    t_robust_floor = median_time(floor, args.repeat)
    small = robust.iloc[: args.apply_robust_sample]
    t_apply_small = median_time(lambda: _apply_robustness(small, draws_att, draws_str), 1)
    t_apply_robust = t_apply_small * args.robust_accounts / len(small)
    check = weight_robustness(small, **kwargs)["robustness"].to_numpy()
    assert np.allclose(check, _apply_robustness(small, draws_att, draws_str).to_numpy(), atol=0.05)
    print(f"\nweight robustness, {args.robust_accounts:,} accounts x {args.draws:,} draws")
    print(f"  weight_robustness             {t_robust:9.3f} s   peak {peak / 2**20:,.0f} MiB")
    print(
        f"  bare numpy matrix products    {t_robust_floor:9.3f} s   "
        f"(ours / floor = {t_robust / t_robust_floor:.1f}x)"
    )
    print(
        f"  row-wise DataFrame.apply      {t_apply_robust:9.1f} s   "
        f"(timed on {len(small):,} rows: {t_apply_small:.2f} s, scaled; "
        f"apply / ours = {t_apply_robust / t_robust:.0f}x)"
    )
    flipping = int((result["robustness"] < 1).sum())
    print(f"  accounts that may flip: {flipping:,} of {len(result):,}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    print(f"\nprocess peak resident memory (whole run, inputs included): {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
