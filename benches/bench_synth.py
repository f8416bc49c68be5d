"""Benchmark: generating a national-scale synthetic cohort (issue 4, part 3).

Times ``hv.datasets.synthetic(1_000_000)`` with all cores and with one thread
(in subprocesses, RAYON_NUM_THREADS), best of 3. Not a test: no assertions.

Usage: .venv/bin/python benches/bench_synth.py [--cases N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def run(n: int, threads: int | None) -> float:
    code = (
        "import time, huisverbod as hv\n"
        f"best = min((lambda t: (hv.datasets.synthetic({n}, seed=1), time.perf_counter() - t)[1])"
        "(time.perf_counter()) for _ in range(3))\n"
        "print(best)\n"
    )
    env = dict(os.environ)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    n = ap.parse_args().cases
    all_cores = run(n, None)
    one = run(n, 1)
    print(f"synthetic({n:,}): {all_cores:.3f} s on {os.cpu_count()} cores, {one:.3f} s on one thread "
          f"(speed-up {one / all_cores:.2f}x)")


if __name__ == "__main__":
    main()
