"""Review findings on issue 6 (survival): each test failed before its fix.

References run without R (lifelines, or the formula written in NumPy here);
R checks are extra and skip without ``Rscript``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import huisverbod as hv

pytest.importorskip("lifelines")
from lifelines import CoxTimeVaryingFitter  # noqa: E402

from test_survival import close, needs_r, run_r  # noqa: E402

# ------------------------------------------------------------------ D1: (start, stop] cancellation


def _late_entry_frame(k: int, z_late: float, offset_late: float = 0.0) -> pd.DataFrame:
    """200 ordinary rows on (0, ≤39] plus `k` censored rows on (40, 50] with a huge η.

    The late rows are at risk only after the last event, so they add nothing to
    the partial likelihood: the fit must equal the fit without them. Their
    scores exp(η − max η) dominate S₀ until they leave the risk set, which is
    where the running sums used to lose every digit.
    """
    rng = np.random.default_rng(5)
    n = 200
    x = rng.normal(size=n)
    z = rng.poisson(1.0, n) * 1.0
    stop = np.ceil(rng.exponential(10 * np.exp(-0.5 * x - 0.5 * z))).clip(max=39)
    e = (rng.random(n) < 0.8) * 1.0
    return pd.DataFrame(
        dict(
            S=np.r_[np.zeros(n), np.full(k, 40.0)],
            T=np.r_[stop, np.full(k, 50.0)],
            E=np.r_[e, np.zeros(k)],
            x=np.r_[x, np.zeros(k)],
            z=np.r_[z, np.full(k, z_late)],
            o=np.r_[np.zeros(n), np.full(k, offset_late)],
        )
    )


def test_counting_process_sums_survive_huge_scores_lifelines() -> None:
    d = _late_entry_frame(3, z_late=80.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = hv.survival.cox("T", "E", ["x", "z"], data=d, start="S")
    assert ours.converged
    # lifelines' CoxTimeVaryingFitter forms each risk set from scratch (Efron ties).
    ctv = CoxTimeVaryingFitter()
    ctv.fit(d.assign(id=np.arange(len(d)))[["id", "S", "T", "E", "x", "z"]], id_col="id",
            start_col="S", stop_col="T", event_col="E", show_progress=False)
    close(ours.params, ctv.params_.to_numpy(), 1e-6)
    close(ours.bse, np.sqrt(np.diag(ctv.variance_matrix_.to_numpy())), 1e-6)
    close(ours.llf, ctv.log_likelihood_, 1e-9)
    # The late rows carry no information: same fit as without them (Efron too).
    for ties in ("breslow", "efron"):
        full = hv.survival.cox("T", "E", ["x", "z"], data=d, start="S", ties=ties)
        base = hv.survival.cox("T", "E", ["x", "z"], data=d.iloc[:200], start="S", ties=ties)
        close(full.params, base.params, 1e-8)
        close(full.bse, base.bse, 1e-8)
        close(full.llf, base.llf, 1e-11)


def test_counting_process_huge_offset_is_no_collinearity() -> None:
    d = _late_entry_frame(5, z_late=0.0, offset_late=35.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = hv.survival.cox("T", "E", ["x"], data=d, start="S", offset="o", eps=1e-12)
    base = d.iloc[:200]
    ctv = CoxTimeVaryingFitter()
    ctv.fit(base.assign(id=np.arange(200))[["id", "S", "T", "E", "x"]], id_col="id",
            start_col="S", stop_col="T", event_col="E", show_progress=False)
    ref = hv.survival.cox("T", "E", ["x"], data=base, start="S")
    close(ref.params, ctv.params_.to_numpy(), 1e-6)
    eff = hv.survival.cox("T", "E", ["x"], data=base, start="S", eps=1e-12)
    close(ours.params, eff.params, 1e-8)
    close(ours.bse, eff.bse, 1e-8)
    close(ours.llf, eff.llf, 1e-11)


@needs_r
def test_counting_process_huge_scores_match_r(tmp_path: Path) -> None:
    d = _late_entry_frame(3, z_late=80.0)
    r = run_r(
        "f <- coxph(Surv(S, T, E) ~ x + z, data = d)\n"
        "out('coef', coef(f)); out('se', sqrt(diag(vcov(f)))); out('ll', f$loglik[2])",
        d,
        tmp_path,
    )
    ours = hv.survival.cox("T", "E", ["x", "z"], data=d, start="S")
    close(ours.params, r["coef"], 1e-6)
    close(ours.bse, r["se"], 1e-6)
    close(ours.llf, r["ll"], 1e-9)
