"""Benchmark: regression models at n = 1,000,000 with 10 covariates (issue 5).

Fits logistic, Poisson, negative binomial (NB2) and linear regression with
huisverbod (array API, as ``sm.Logit(y, X)``) and statsmodels side by side on
the same data, best of 3, and prints the ratio statsmodels / huisverbod
(above 1: huisverbod is faster), the largest coefficient difference, and the
extra peak memory of one huisverbod fit relative to the design matrix
(each fit in a fresh subprocess; the peak is reset with
``/proc/self/clear_refs`` after the data are built). Not a test: nothing is
asserted.

Usage: .venv/bin/python benches/bench_models.py [--n N] [--models logit,poisson,negbin,ols]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CODE = r"""
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
n, model, who = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.default_rng(1)
p = 10
X = np.column_stack([np.ones(n), rng.normal(size=(n, p))])
b = rng.normal(0, 0.2, p + 1)
eta = X @ b
days = rng.uniform(30, 730, n)
if model == "logit":
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
elif model == "poisson":
    y = rng.poisson(np.exp(eta - 5) * days).astype(float)
elif model == "negbin":
    mu = np.exp(eta - 5) * days
    y = rng.negative_binomial(2.0, 2.0 / (2.0 + mu)).astype(float)
else:
    y = eta + rng.normal(size=n)
def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
if who == "hv":
    import huisverbod as hv
else:
    import statsmodels.api as sm
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) after data and imports
base = vm("VmRSS:")
if who == "hv":
    f = {"logit": lambda: hv.logit(y=y, X=X), "poisson": lambda: hv.poisson(y=y, X=X, exposure=days),
         "negbin": lambda: hv.negbin(y=y, X=X, exposure=days), "ols": lambda: hv.ols(y=y, X=X)}[model]
    get = lambda r: np.asarray(r.params)
else:
    f = {"logit": lambda: sm.Logit(y, X).fit(disp=0, method="newton"),
         "poisson": lambda: sm.Poisson(y, X, exposure=days).fit(disp=0, method="newton"),
         "negbin": lambda: sm.NegativeBinomial(y, X, exposure=days).fit(disp=0, method="newton", maxiter=100),
         "ols": lambda: sm.OLS(y, X).fit()}[model]
    get = lambda r: np.asarray(r.params)
times = []
for _ in range(3):
    t = time.perf_counter(); r = f(); times.append(time.perf_counter() - t)
peak = vm("VmHWM:") - base
print(json.dumps({"time": min(times), "params": get(r).tolist(), "peak": peak, "design": X.nbytes}))
"""


def run(n: int, model: str, who: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CODE, str(n), model, who], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--models", default="logit,poisson,negbin,ols")
    a = ap.parse_args()
    print(f"n = {a.n:,}, 10 covariates + intercept; best of 3 (s)")
    print(f"{'model':<8} {'statsmodels':>12} {'huisverbod':>11} {'ratio':>7} {'max |Δcoef|':>12} {'hv extra peak / design':>24}")
    for m in a.models.split(","):
        s = run(a.n, m, "sm")
        h = run(a.n, m, "hv")
        import numpy as np

        diff = float(np.max(np.abs(np.asarray(s["params"]) - np.asarray(h["params"]))))
        print(
            f"{m:<8} {s['time']:>12.3f} {h['time']:>11.3f} {s['time'] / h['time']:>6.1f}x {diff:>12.2e} "
            f"{h['peak'] / h['design']:>23.2f}x"
        )


if __name__ == "__main__":
    main()
