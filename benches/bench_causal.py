"""Benchmark: propensity score + ATE by inverse-probability weighting on
1,000,000 synthetic cases (issue 7, part A).

The cases come from ``hv.datasets.synthetic(n, seed=...)`` (the generator's
latent model); the case-level frame (restraining order, four violence
indicators, perpetrator age, female perpetrator, arrested, known offender,
any new police-registered incident) is built once and not timed. Timed, best
of 3, each side in the same process:

- huisverbod: ``hv.causal.propensity(formula, df)`` (formulaic design,
  logistic fit with separation checks and overlap diagnostics),
  ``hv.causal.ipw(ps)`` (ATE weights, Kish ESS) and ``.risk("any_new")``
  (weighted risks, difference and ratio with M-estimation standard errors).
- statsmodels: ``smf.glm(formula, df, family=Binomial()).fit()``, the ATE
  weights in numpy and the weighted means (``np.average``), without any
  standard error (statsmodels has no IPW estimator; a robust WLS of the
  outcome on the treatment for an SE is timed separately as "+ WLS HC0").

Prints times, the ratio statsmodels / huisverbod (above 1: huisverbod is
faster) and the largest difference in the propensity scores. Nothing is
asserted.

Usage: .venv/bin/python benches/bench_causal.py [--n N] [--seed S]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

FORMULA = ("thv ~ threat + physical + psychological + sexual + perpetrator_age + perpetrator_female"
           " + perpetrator_arrested + perpetrator_known_offender")


def frame(n: int, seed: int) -> pd.DataFrame:
    import huisverbod as hv
    from huisverbod.causal._report import analysis_frame

    cohort = hv.datasets.synthetic(n, seed=seed)
    df = analysis_frame(cohort)
    cases, _, _ = cohort.to_frames()
    df["sexual"] = pd.to_numeric(cases.set_index("case_id").loc[df.index, "sexual"].astype("Float64")).to_numpy(
        dtype=float, na_value=np.nan)
    cols = ["thv", "threat", "physical", "psychological", "sexual", "perpetrator_age", "perpetrator_female",
            "perpetrator_arrested", "perpetrator_known_offender", "any_new"]
    return df[cols].dropna().reset_index(drop=True)


def best(f, k: int = 3) -> tuple[float, object]:
    times, r = [], None
    for _ in range(k):
        t = time.perf_counter()
        r = f()
        times.append(time.perf_counter() - t)
    return min(times), r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2013)
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    import huisverbod as hv
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    t0 = time.perf_counter()
    df = frame(a.n, a.seed)
    print(f"{len(df):,} complete cases of {a.n:,} (frame built in {time.perf_counter() - t0:.1f} s, not timed); "
          f"{int(df.thv.sum()):,} with an order")

    def ours():
        ps = hv.causal.propensity(FORMULA, df)
        w = hv.causal.ipw(ps)
        return ps, w.risk("any_new")

    def theirs():
        fit = smf.glm(FORMULA, df, family=sm.families.Binomial()).fit()
        e = fit.fittedvalues.to_numpy()
        t = df["thv"].to_numpy() == 1
        w = np.where(t, 1 / e, 1 / (1 - e))
        y = df["any_new"].to_numpy()
        return e, np.average(y[t], weights=w[t]) - np.average(y[~t], weights=w[~t]), w

    th, (ps, r) = best(ours)
    ts, (e, d, w) = best(theirs)

    def wls():
        X = sm.add_constant(df["thv"].to_numpy(float))
        return sm.WLS(df["any_new"].to_numpy(float), X, weights=w).fit(cov_type="HC0")

    tw, _ = best(wls)
    print(f"huisverbod  propensity + IPW ATE + risk contrast with M-estimation SE: {th:.3f} s")
    print(f"statsmodels GLM binomial + ATE weights + weighted means (no SE):      {ts:.3f} s  ratio {ts / th:.2f}x")
    print(f"statsmodels ... + WLS HC0 for a (fixed-weight) SE:                    {ts + tw:.3f} s  ratio {(ts + tw) / th:.2f}x")
    print(f"max |score difference| {np.max(np.abs(ps.score.to_numpy() - e)):.1e}; "
          f"risk difference {r.difference:.5f} vs {d:.5f}")


if __name__ == "__main__":
    main()
