"""Benchmark: statistics on the report's sizes and at national scale (issue 3).

Side by side in one run (best of ``--repeat`` runs each, default 5):

- a two-sample permutation test of a difference in means on the report's
  sizes (105 restraining-order cases against 104 controls, normal data,
  fixed numpy seed), 100,000 Monte Carlo resamples:
  ``hv.stats.permutation_test`` against ``scipy.stats.permutation_test(...,
  permutation_type="independent", vectorized=True)``;
- a BCa bootstrap interval of the difference in means on the same data,
  9,999 resamples: ``hv.stats.bootstrap`` against ``scipy.stats.bootstrap``;
- Pearson's chi-square on the 2x2 table of two 0/1 arrays of 1,000,000
  cases, timing the building of the table from the arrays and the test for
  both (``hv.stats.chi2_test`` against ``np.bincount`` +
  ``scipy.stats.chi2_contingency``);
- a t-test on two samples of 1,000,000: ``hv.stats.ttest_ind`` against
  ``scipy.stats.ttest_ind``.

The chi-square and t-test rows run only when ``hv.stats.chi2_test`` and
``hv.stats.ttest_ind`` exist (their families are merged separately); until
then they print "not available".

Usage: .venv/bin/python benches/bench_stats.py [--repeat R]
Build first with ``maturin develop --release``. Prints ratios (peer time /
huisverbod time; above 1 means huisverbod is faster); record them in
benches/README.md. Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

import huisverbod as hv

SEED = 2013


def best_of(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def mean_diff(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def row(rows: list[tuple[str, str, float | None, float | None, str]], name: str, peer: str,
        t_peer: float | None, t_ours: float | None, note: str = "") -> None:
    rows.append((name, peer, t_peer, t_ours, note))


def permutation(rows: list, repeat: int) -> None:
    rng = np.random.default_rng(SEED)
    x, y = rng.normal(0.25, 1.0, 105), rng.normal(0.0, 1.0, 104)
    n = 100_000
    t_ours, ours = best_of(lambda: hv.stats.permutation_test(x, y, n_resamples=n, seed=1), repeat)
    t_sc, ref = best_of(
        lambda: stats.permutation_test(
            (x, y), mean_diff, permutation_type="independent", vectorized=True, n_resamples=n,
            rng=np.random.default_rng(1),
        ),
        repeat,
    )
    se = np.sqrt(ref.pvalue * (1 - ref.pvalue) / n)
    row(rows, "permutation test, 105 vs 104, 100,000 resamples", "scipy.stats.permutation_test",
        t_sc, t_ours, f"p = {ours.pvalue:.5f} vs scipy {ref.pvalue:.5f} (MC s.e. {se:.5f})")


def bootstrap(rows: list, repeat: int) -> None:
    rng = np.random.default_rng(SEED + 1)
    x, y = rng.normal(0.25, 1.0, 105), rng.normal(0.0, 1.0, 104)
    t_ours, ours = best_of(lambda: hv.stats.bootstrap((x, y), "mean_difference", n_resamples=9999, seed=1), repeat)
    t_sc, ref = best_of(
        lambda: stats.bootstrap((x, y), mean_diff, n_resamples=9999, vectorized=True, rng=np.random.default_rng(1)),
        repeat,
    )
    ci, rci = ours.confidence_interval, ref.confidence_interval
    row(rows, "BCa bootstrap, mean difference, 105 vs 104, 9,999 resamples", "scipy.stats.bootstrap",
        t_sc, t_ours, f"[{ci.low:.4f}, {ci.high:.4f}] vs scipy [{rci.low:.4f}, {rci.high:.4f}]")


def chi_square(rows: list, repeat: int) -> None:
    rng = np.random.default_rng(SEED + 2)
    n = 1_000_000
    group = (rng.random(n) < 0.5).astype(np.int64)
    outcome = (rng.random(n) < np.where(group == 1, 0.21, 0.30)).astype(np.int64)

    def peer() -> Any:
        table = np.bincount(2 * group + outcome, minlength=4).reshape(2, 2)
        return stats.chi2_contingency(table, correction=False)

    t_sc, ref = best_of(peer, repeat)
    if not hasattr(hv.stats, "chi2_test"):
        # TODO(issue 3): runs once the contingency family (hv.stats.chi2_test) is merged.
        row(rows, "chi-square 2x2 from 2 x 1,000,000 0/1 values", "np.bincount + scipy.stats.chi2_contingency",
            t_sc, None, "hv.stats.chi2_test not available in this build")
        return

    def ours() -> Any:
        # TODO(issue 3): if the merged chi2_test takes the two arrays itself
        # (or hv.stats offers a crosstab), pass them directly so that building
        # the table is timed inside huisverbod.
        if hasattr(hv.stats, "crosstab"):
            table = hv.stats.crosstab(group, outcome)
        else:
            table = np.bincount(2 * group + outcome, minlength=4).reshape(2, 2)
        return hv.stats.chi2_test(table, correction=False)

    t_ours, res = best_of(ours, repeat)
    row(rows, "chi-square 2x2 from 2 x 1,000,000 0/1 values", "np.bincount + scipy.stats.chi2_contingency",
        t_sc, t_ours, f"chi2 = {res.statistic:.4f} vs scipy {ref.statistic:.4f}")


def t_test(rows: list, repeat: int) -> None:
    rng = np.random.default_rng(SEED + 3)
    x, y = rng.normal(10.0, 3.0, 1_000_000), rng.normal(10.01, 3.0, 1_000_000)
    t_sc, ref = best_of(lambda: stats.ttest_ind(x, y), repeat)
    if not hasattr(hv.stats, "ttest_ind"):
        # TODO(issue 3): runs once the means family (hv.stats.ttest_ind) is merged.
        row(rows, "t-test, 1,000,000 vs 1,000,000", "scipy.stats.ttest_ind", t_sc, None,
            "hv.stats.ttest_ind not available in this build")
        return
    t_ours, res = best_of(lambda: hv.stats.ttest_ind(x, y), repeat)
    row(rows, "t-test, 1,000,000 vs 1,000,000", "scipy.stats.ttest_ind", t_sc, t_ours,
        f"t = {res.statistic:.4f} vs scipy {ref.statistic:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', '(all)')}")
    rows: list = []
    permutation(rows, args.repeat)
    bootstrap(rows, args.repeat)
    chi_square(rows, args.repeat)
    t_test(rows, args.repeat)
    print()
    print("| step | peer | peer time | huisverbod | ratio | check |")
    print("|---|---|---:|---:|---:|---|")
    for name, peer, t_peer, t_ours, note in rows:
        tp = f"{t_peer:.4f} s" if t_peer is not None else "-"
        to = f"{t_ours:.4f} s" if t_ours is not None else "not available"
        ratio = f"{t_peer / t_ours:.1f}x" if (t_peer is not None and t_ours) else "-"
        print(f"| {name} | {peer} | {tp} | {to} | {ratio} | {note} |")


if __name__ == "__main__":
    main()
