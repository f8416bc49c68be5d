"""Benchmark: matching and AIPW at national scale (issue 7, part B).

1. 1:1 caliper matching (0.2 SD of the logit PS, without replacement) of
   100,000 treated to 900,000 controls, on a simulated logit PS, with the
   effect and its pair-cluster SE. No Python peer does greedy caliper matching
   without replacement; R's MatchIt is timed at a smaller size when Rscript
   with MatchIt is installed (``--matchit-n``), labelled as such.
2. On ``hv.datasets.synthetic(1_000_000, seed=1)`` (case-level binary and
   categorical covariates, outcome: any new police-registered incident):
   the propensity fit, AIPW with its influence-function SE, and AIPW with
   1,000 bootstrap replicates (exact pattern compression, warm-started
   Newton iterated to convergence). Peer: statsmodels (three ``Logit`` fits
   and the AIPW formula in numpy) for the point estimate, and statsmodels
   refits on ``--peer-reps`` row resamples, extrapolated to 1,000 and
   labelled as an extrapolation.

Not a test: nothing is asserted. Usage:
    .venv/bin/python benches/bench_matching.py [--n 1000000] [--boot 1000] [--peer-reps 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

import huisverbod as hv


def best_of(f, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench_matching(n_treated, n_control, repeat):
    rng = np.random.default_rng(3)
    n = n_treated + n_control
    t = np.zeros(n, dtype=bool)
    t[rng.choice(n, n_treated, replace=False)] = True
    # logit PS: treated shifted up by 0.5 SD so the caliper leaves some unmatched
    d = rng.normal(size=n) + 0.5 * t - 2.2
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.5 * d - 0.3 * t)))).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        secs, m = best_of(lambda: hv.causal.match(t, distance=d, outcome=y, caliper=0.2), repeat)
        core, _ = best_of(
            lambda: hv._core.causal_match(d, t, None, y, 1, False, 0.2, "all", "largest", 2, 0.95), repeat
        )
    print(
        f"matching 1:1, caliper 0.2 SD, {n_treated:,} treated to {n_control:,} controls: "
        f"{secs:.3f} s from Python (core {core:.3f} s); {m.n_treated_matched:,} matched, "
        f"effect {m.estimate:.4f} (SE {m.se:.4f})"
    )
    return secs, core


def bench_matchit(n_treated, n_control):
    if shutil.which("Rscript") is None:
        print("MatchIt: Rscript not found, skipped")
        return
    rng = np.random.default_rng(3)
    n = n_treated + n_control
    t = np.zeros(n, dtype=int)
    t[rng.choice(n, n_treated, replace=False)] = 1
    d = rng.normal(size=n) + 0.5 * t - 2.2
    with tempfile.TemporaryDirectory() as tmp:
        pd.DataFrame({"t": t, "d": d}).to_csv(f"{tmp}/d.csv", index=False)
        script = f"""
        suppressMessages(library(MatchIt)); x <- read.csv("{tmp}/d.csv")
        s <- system.time(m <- matchit(t ~ d, data = x, method = "nearest", distance = x$d, caliper = 0.2))
        cat(s[["elapsed"]])
        """
        r = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
        if r.returncode != 0:
            print("MatchIt: not installed, skipped")
            return
    secs = float(r.stdout.strip().split()[-1])
    hv_secs, _ = bench_matching(n_treated, n_control, 1)
    print(f"MatchIt {n_treated:,} to {n_control:,} (vector fast path): {secs:.2f} s; ratio {secs / hv_secs:.0f}x")


COVARIATES = "threat + physical + psychological + weapon + minor_children + C(enforcement_priority) + C(child_abuse)"


def cohort_frame(n, age=False):
    t0 = time.perf_counter()
    cohort = hv.datasets.synthetic(n, seed=1)
    cases, persons, _ = cohort.to_frames()
    rec = cohort.recidivism(sources=["police"]).to_frame()
    df = cases[["group", "threat", "physical", "psychological", "weapon", "minor_children",
                "enforcement_priority", "child_abuse"]].copy()
    df["any_new"] = rec["any"].to_numpy().astype(float)
    df["t"] = (df["group"] == "thv").astype(float)
    df = df.dropna()
    for c in ["threat", "physical", "psychological", "weapon", "minor_children"]:
        df[c] = df[c].astype(float)
    df["enforcement_priority"] = df["enforcement_priority"].astype(int)
    df["child_abuse"] = df["child_abuse"].astype(str)
    if age:
        # The perpetrator's age in whole years (the first perpetrator listed):
        # a many-valued covariate, so many more distinct patterns.
        perp = persons[persons["role"].astype(str) == "perpetrator"].drop_duplicates("case_id")
        ages = perp.set_index("case_id")["age"].astype("float64")
        df["perpetrator_age"] = cases.loc[df.index, "case_id"].map(ages).to_numpy()
        df = df.dropna()
    print(f"cohort: {n:,} cases, {len(df):,} complete rows ({time.perf_counter() - t0:.1f} s to build, not timed)")
    return df


def statsmodels_aipw(df):
    import statsmodels.formula.api as smf

    e = smf.logit(f"t ~ {COVARIATES}", data=df).fit(disp=0).predict(df).to_numpy()
    m1 = smf.logit(f"any_new ~ {COVARIATES}", data=df[df.t == 1]).fit(disp=0).predict(df).to_numpy()
    m0 = smf.logit(f"any_new ~ {COVARIATES}", data=df[df.t == 0]).fit(disp=0).predict(df).to_numpy()
    t, y = df.t.to_numpy(), df.any_new.to_numpy()
    psi = m1 + t * (y - m1) / e - (m0 + (1 - t) * (y - m0) / (1 - e))
    return psi.mean()


def bench_aipw(n, n_boot, peer_reps, repeat, age=False):
    global COVARIATES
    if age:
        COVARIATES = COVARIATES + " + perpetrator_age"
    df = cohort_frame(n, age)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ps_secs, _ = best_of(lambda: hv.logit(f"t ~ {COVARIATES}", data=df), repeat)
        a_secs, a = best_of(lambda: hv.causal.aipw("any_new", "t", COVARIATES, df, n_bootstrap=0), repeat)
        b_secs, b = best_of(lambda: hv.causal.aipw("any_new", "t", COVARIATES, df, n_bootstrap=n_boot, seed=1), 1)
        sm_secs, sm_est = best_of(lambda: statsmodels_aipw(df), 1)
        rng = np.random.default_rng(0)
        t0 = time.perf_counter()
        for _ in range(peer_reps):
            statsmodels_aipw(df.iloc[rng.integers(0, len(df), len(df))])
        sm_rep = (time.perf_counter() - t0) / peer_reps
    bs = b.bootstrap
    print(f"propensity fit (hv.logit, formula): {ps_secs:.2f} s")
    print(f"AIPW (3 fits + IF SE): {a_secs:.2f} s; estimate {a.estimate:.5f} (SE {a.se:.5f}); "
          f"statsmodels {sm_secs:.2f} s (estimate {sm_est:.5f}; ratio {sm_secs / a_secs:.1f}x)")
    print(f"AIPW + {n_boot} bootstrap replicates: {b_secs:.2f} s; {bs.n_patterns} patterns, "
          f"max {bs.max_iterations} Newton iterations per refit, {bs.n_failed} failed; "
          f"bootstrap SE {bs.se:.5f} vs IF SE {b.se:.5f}; percentile CI "
          f"[{bs.confidence_interval.low:.5f}, {bs.confidence_interval.high:.5f}]")
    total = ps_secs + b_secs
    print(f"total (propensity fit + AIPW with {n_boot} replicates): {total:.2f} s (target < 60 s)")
    print(f"statsmodels refits: {sm_rep:.2f} s per replicate ({peer_reps} timed) -> "
          f"{sm_rep * n_boot:.0f} s for {n_boot} (extrapolated); ratio {sm_rep * n_boot / b_secs:.0f}x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--peer-reps", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--matchit-n", type=int, default=0, help="treated units for the MatchIt timing (controls 9x)")
    ap.add_argument("--age", action="store_true", help="add the perpetrator's age (whole years) to the covariates")
    ap.add_argument("--skip-matching", action="store_true")
    args = ap.parse_args()
    if not args.skip_matching:
        bench_matching(100_000, 900_000, args.repeat)
    if args.matchit_n:
        bench_matchit(args.matchit_n, 9 * args.matchit_n)
    bench_aipw(args.n, args.boot, args.peer_reps, args.repeat, args.age)


if __name__ == "__main__":
    main()
