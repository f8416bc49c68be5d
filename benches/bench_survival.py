"""Benchmark: survival analysis at registry scale, huisverbod against lifelines.

Generates (in memory, seeded) a synthetic cohort of N cases: group (thv or
control), region (25 strata), municipality (350 clusters), six covariates
(two binary, one count, three continuous), the days to the first new
incident (exponential with proportional hazards, in whole days: heavy ties)
censored at a follow-up of 365–548 days. Then, side by side in one run:

1. Kaplan–Meier by group plus the log-rank test, n = N (default 1,000,000):
   ``hv.survival.kaplan_meier`` + ``logrank_test`` against lifelines'
   ``KaplanMeierFitter`` per group + ``logrank_test``;
2. Cox PH (Efron, six covariates), n = N: ``hv.survival.cox`` against
   ``CoxPHFitter``;
3. Cox PH with cluster-robust errors (municipality), ours at n = N, lifelines
   at n = ``--robust-n`` (default 100,000; its robust variance is quadratic in n);
4. memory: peak RSS of a fresh process fitting the robust Cox model at n = N,
   against the size of the input columns.

Each figure is the best of ``--repeat`` runs (lifelines runs taking longer
than 20 s run once). Prints the times and ratios (lifelines time / ours;
above 1 means huisverbod is faster). Not a test: nothing is asserted.

Usage: .venv/bin/python benches/bench_survival.py [--n N] [--robust-n M] [--repeat R] [--skip-lifelines-cox]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

import huisverbod as hv

COVARIATES = ["thv", "prior", "age", "children", "alcohol", "risk"]


def generate(n: int, seed: int = 2013) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    thv = (rng.random(n) < 0.5).astype(float)
    prior = rng.poisson(0.8, n).astype(float)
    age = rng.normal(38, 11, n).round()
    children = (rng.random(n) < 0.55).astype(float)
    alcohol = (rng.random(n) < 0.3).astype(float)
    risk = rng.normal(0, 1, n)
    region = rng.integers(0, 25, n)
    municipality = rng.integers(0, 350, n)
    lp = -0.25 * thv + 0.2 * prior - 0.01 * (age - 38) + 0.1 * children + 0.3 * alcohol + 0.15 * risk
    base = 700.0 * np.exp(0.05 * (region - 12) / 12)
    t = np.ceil(rng.exponential(base * np.exp(-lp)))
    follow = rng.integers(365, 549, n).astype(float)
    event = (t <= follow).astype(float)
    time_ = np.minimum(t, follow)
    return pd.DataFrame(
        {
            "time": time_,
            "event": event,
            "group": np.where(thv == 1, "thv", "control"),
            "thv": thv,
            "prior": prior,
            "age": age,
            "children": children,
            "alcohol": alcohol,
            "risk": risk,
            "region": region,
            "municipality": municipality,
        }
    )


def best(f, repeat: int, slow: float = 20.0) -> tuple[float, object]:
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
        if times[-1] > slow:
            break
    return min(times), out


def row(task: str, peer: str, tp: float | None, ours: float, note: str = "") -> dict:
    ratio = (tp / ours) if tp is not None else float("nan")
    print(f"{task:<48} lifelines {'%9.3f s' % tp if tp is not None else '        -'}   huisverbod {ours:8.3f} s   "
          f"ratio {ratio:7.1f}x  {note}", flush=True)
    return {"task": task, "peer": peer, "peer_s": tp, "ours_s": ours, "ratio": ratio, "note": note}


def km_logrank_ours(df: pd.DataFrame):
    # The group as a Categorical, as ``Recidivism.group`` hands it over.
    g = df["group_cat"].array
    km = hv.survival.kaplan_meier(df["time"].to_numpy(), df["event"].to_numpy(), group=g)
    lr = hv.survival.logrank_test(df["time"].to_numpy(), df["event"].to_numpy(), group=g)
    return km, lr


def km_logrank_lifelines(df: pd.DataFrame):
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test

    out = {}
    for g, d in df.groupby("group"):
        out[g] = KaplanMeierFitter().fit(d["time"], d["event"])
    a, b = df[df["group"] == "control"], df[df["group"] == "thv"]
    lr = logrank_test(a["time"], b["time"], a["event"], b["event"])
    return out, lr


def cox_ours(df: pd.DataFrame, **kw):
    return hv.survival.cox(df["time"].to_numpy(), df["event"].to_numpy(), df[COVARIATES], **kw)


def cox_lifelines(df: pd.DataFrame, **kw):
    from lifelines import CoxPHFitter

    cols = ["time", "event", *COVARIATES] + (["municipality"] if "cluster_col" in kw else [])
    return CoxPHFitter().fit(df[cols], "time", "event", **kw)


def peak_rss_child(n: int) -> None:
    """Run in a fresh process: fit the robust Cox model and report memory."""

    def status(key: str) -> float:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    df = generate(n)
    time_ = np.ascontiguousarray(df["time"].to_numpy())
    event = np.ascontiguousarray(df["event"].to_numpy())
    x = np.ascontiguousarray(df[COVARIATES].to_numpy())
    cl = np.ascontiguousarray(df["municipality"].to_numpy(), dtype=np.uint32)
    del df
    import gc

    gc.collect()
    inputs_mb = (time_.nbytes + event.nbytes + x.nbytes + cl.nbytes) / 2**20
    before = status("VmRSS:")
    # Reset the high-water mark (Linux ≥ 4.0) so VmHWM measures the fit only.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    hv._core.cox(time_, event, x, None, None, None, cl, "efron", True, 0.95, 1e-9, 20)
    peak = status("VmHWM:")
    print(json.dumps({"inputs_mb": inputs_mb, "rss_before_mb": before, "peak_mb": peak}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--robust-n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-lifelines-cox", action="store_true")
    ap.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        peak_rss_child(args.memory_child)
        return
    warnings.simplefilter("ignore")
    import lifelines

    print(f"huisverbod {hv.__version__}, lifelines {lifelines.__version__}, numpy {np.__version__}, "
          f"pandas {pd.__version__}, {os.cpu_count()} cores")
    df = generate(args.n)
    df["group_cat"] = pd.Categorical(df["group"], categories=["thv", "control"])
    print(f"n = {args.n:,}: {int(df['event'].sum()):,} events, {df['time'].nunique()} distinct days\n")
    rows = []

    t_ours, (km, lr) = best(lambda: km_logrank_ours(df), args.repeat)
    t_ll, (kmf, llr) = best(lambda: km_logrank_lifelines(df), args.repeat)
    assert abs(lr.statistic - llr.test_statistic) <= 1e-8 * llr.test_statistic
    s = km.table_for("thv")["survival"]
    assert np.allclose(s.to_numpy(), kmf["thv"].survival_function_.loc[s.index, "KM_estimate"].to_numpy(), rtol=1e-10)
    rows.append(row(f"KM by group + log-rank, n={args.n:,}", "KaplanMeierFitter + logrank_test", t_ll, t_ours,
                    "same S(t) and chi2 (checked)"))

    t_ours, fit = best(lambda: cox_ours(df), args.repeat)
    tp = None
    if not args.skip_lifelines_cox:
        tp, ref = best(lambda: cox_lifelines(df), args.repeat)
        d = np.max(np.abs(fit.params.to_numpy() - ref.params_.to_numpy()) / ref.standard_errors_.to_numpy())
        note = f"max |coef diff|/se = {d:.1e}"
    else:
        note = "lifelines skipped"
    rows.append(row(f"Cox Efron, 6 covariates, n={args.n:,}", "CoxPHFitter", tp, t_ours, note))

    t_ours, fitr = best(lambda: cox_ours(df, cluster=df["municipality"].to_numpy()), args.repeat)
    rows.append(row(f"Cox cluster-robust (350 clusters), n={args.n:,}", "-", None, t_ours,
                    f"{fitr.iterations} iterations"))
    small = df.iloc[: args.robust_n]
    t_small, _ = best(lambda: cox_ours(small, cluster=small["municipality"].to_numpy()), args.repeat)
    tp, _ = best(lambda: cox_lifelines(small, cluster_col="municipality"), 1)
    rows.append(row(f"Cox cluster-robust (350 clusters), n={args.robust_n:,}", "CoxPHFitter(cluster_col)", tp,
                    t_small))
    rows.append(row(f"  lifelines n={args.robust_n:,} vs huisverbod n={args.n:,}", "", tp, t_ours, "the issue's comparison"))

    out = subprocess.run([sys.executable, __file__, "--memory-child", str(args.n)], capture_output=True, text=True,
                         check=True)
    mem = json.loads(out.stdout.strip().splitlines()[-1])
    extra = mem["peak_mb"] - mem["rss_before_mb"]
    print(f"\nmemory, robust Cox at n={args.n:,}: input columns {mem['inputs_mb']:.0f} MB; "
          f"peak RSS above the inputs {extra:.0f} MB ({extra / mem['inputs_mb']:.2f}x the inputs)")


if __name__ == "__main__":
    main()
