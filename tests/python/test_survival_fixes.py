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


def test_counting_process_split_rows_match_lifelines_time_varying() -> None:
    # Andersen–Gill data (each case split at a random time): lifelines'
    # CoxTimeVaryingFitter, Efron ties, no R needed.
    rng = np.random.default_rng(8)
    n = 200
    x = rng.normal(size=n)
    g = rng.integers(0, 2, n).astype(float)
    stop = np.ceil(rng.exponential(10 * np.exp(-0.4 * x - 0.6 * g)))
    ev = (rng.random(n) < 0.8).astype(float)
    cut = np.floor(stop * rng.uniform(0.2, 0.8, n))
    rows = []
    for i in range(n):
        if 0 < cut[i] < stop[i]:
            rows.append((i, 0.0, cut[i], 0.0, x[i], g[i]))
            rows.append((i, cut[i], stop[i], ev[i], x[i], g[i]))
        else:
            rows.append((i, 0.0, stop[i], ev[i], x[i], g[i]))
    d = pd.DataFrame(rows, columns=["id", "start", "stop", "E", "x0", "x1"])
    ctv = CoxTimeVaryingFitter().fit(d, id_col="id", start_col="start", stop_col="stop", event_col="E",
                                     show_progress=False)
    ours = hv.survival.cox("stop", "E", ["x0", "x1"], data=d, start="start")
    close(ours.params, ctv.params_.to_numpy(), 1e-6)
    close(ours.bse, ctv.standard_errors_.to_numpy(), 1e-6)
    close(ours.llf, ctv.log_likelihood_, 1e-9)


# ------------------------------------------------------------------ Wald test (lifelines)


def test_wald_test_matches_lifelines_params_and_variance() -> None:
    from lifelines import CoxPHFitter

    rng = np.random.default_rng(21)
    n = 300
    df = pd.DataFrame({"x0": rng.normal(size=n), "x1": rng.integers(0, 2, n) * 1.0, "x2": rng.poisson(1.0, n) * 1.0})
    df["T"] = np.ceil(rng.exponential(20 * np.exp(-(df.to_numpy() @ [0.3, -0.5, 0.2]))))
    df["E"] = (rng.random(n) < 0.75) * 1.0
    ref = CoxPHFitter().fit(df, "T", "E", fit_options={"precision": 1e-14, "step_size": 0.95})
    b = ref.params_.to_numpy()
    want = float(b @ np.linalg.solve(ref.variance_matrix_.to_numpy(), b))
    ours = hv.survival.cox("T", "E", ["x0", "x1", "x2"], data=df)
    close(ours.wald_test.statistic, want, 1e-6)
    assert ours.wald_test.df == 3
    from scipy.stats import chi2

    close(ours.wald_test.pvalue, chi2.sf(want, 3), 1e-5)


# ------------------------------------------------------------------ exact PH test (NumPy)


def _efron(t, e, X, beta):
    """Efron log partial likelihood, score, information and the per-time
    pieces the zph test needs (event rows, Efron mean ā(t), V_t), from scratch."""
    eta = X @ beta
    r = np.exp(eta)
    ll, U, I = 0.0, np.zeros(X.shape[1]), np.zeros((X.shape[1],) * 2)
    per_time = []
    for tau in np.unique(t[e == 1]):
        risk = t >= tau
        dead = np.flatnonzero((t == tau) & (e == 1))
        d = len(dead)
        S0, S1, S2 = r[risk].sum(), r[risk] @ X[risk], (X[risk].T * r[risk]) @ X[risk]
        D0, D1, D2 = r[dead].sum(), r[dead] @ X[dead], (X[dead].T * r[dead]) @ X[dead]
        abar, Vt = np.zeros(X.shape[1]), np.zeros_like(I)
        for k in range(d):
            f = k / d
            s0 = S0 - f * D0
            m = (S1 - f * D1) / s0
            ll -= np.log(s0)
            abar += m / d
            Vt += (S2 - f * D2) / s0 - np.outer(m, m)
        ll += eta[dead].sum()
        U += X[dead].sum(0) - d * abar
        I += Vt
        per_time.append((tau, dead, abar, Vt))
    return ll, U, I, per_time


def _numpy_zph_exact(t, e, X):
    beta = np.zeros(X.shape[1])
    for _ in range(100):
        _, U, I, _ = _efron(t, e, X, beta)
        step = np.linalg.solve(I, U)
        beta += step
        if np.max(np.abs(step)) < 1e-14:
            break
    _, U, I, per_time = _efron(t, e, X, beta)
    # g(t) = 1 − S(t−), pooled Kaplan–Meier just before t; centred over events.
    km_before = {}
    s = 1.0
    for tau in np.unique(t):
        km_before[tau] = s
        n_risk, n_ev = (t >= tau).sum(), ((t == tau) & (e == 1)).sum()
        s *= 1 - n_ev / n_risk
    g_ev = np.concatenate([[1 - km_before[tau]] * len(dead) for tau, dead, _, _ in per_time])
    gbar = g_ev.mean()
    p = X.shape[1]
    u2, I12, I22 = np.zeros(p), np.zeros((p, p)), np.zeros((p, p))
    for tau, dead, abar, Vt in per_time:
        g = 1 - km_before[tau] - gbar
        u2 += g * (X[dead] - abar).sum(0)
        I12 += g * Vt
        I22 += g * g * Vt
    u = np.r_[U, u2]  # U ≈ 0 at β̂ (kept, as R does)
    full = np.block([[I, I12], [I12.T, I22]])
    per = []
    for j in range(p):
        jj = np.r_[np.arange(p), p + j]
        per.append(u[jj] @ np.linalg.solve(full[np.ix_(jj, jj)], u[jj]))
    return beta, np.array(per), u @ np.linalg.solve(full, u)


def test_exact_ph_test_matches_numpy_score_test() -> None:
    rng = np.random.default_rng(17)
    n = 150
    X = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)]).astype(float)
    # Tied days, a drifting effect of x1 so the statistic is far from 0.
    t = np.ceil(rng.exponential(15 * np.exp(-X @ [0.4, -0.6]))).clip(max=40)
    e = ((t < 40) & (rng.random(n) < 0.8)).astype(float)
    beta, per, glob = _numpy_zph_exact(t, e, X)
    fit = hv.survival.cox(t, e, pd.DataFrame(X, columns=["x0", "x1"]), eps=1e-14)
    close(fit.params, beta, 1e-10)
    z = fit.check_proportional_hazards(transform="km", method="exact").table
    close(z.loc[["x0", "x1"], "chisq"], per, 1e-8)
    close(z.loc["GLOBAL", "chisq"], glob, 1e-8)


# ------------------------------------------------------------------ RMST contrast (NumPy)


def _km_rmst(time, event, tau):
    """RMST and its Greenwood-type SE (survRM2's rmst1), written out."""
    ts = np.unique(time[(event == 1) & (time <= tau)])
    s, area, last, surv = 1.0, 0.0, 0.0, []
    n_r, n_e = [], []
    for u in ts:
        area += s * (u - last)
        nr, ne = (time >= u).sum(), ((time == u) & (event == 1)).sum()
        s *= 1 - ne / nr
        last = u
        surv.append(s)
        n_r.append(nr)
        n_e.append(ne)
    area += s * (tau - last)
    # A_i = ∫_{t_i}^τ S: the area after each event time.
    knots = np.r_[ts, tau]
    pieces = np.array(surv) * np.diff(knots)
    A = np.cumsum(pieces[::-1])[::-1]
    n_r, n_e = np.array(n_r, float), np.array(n_e, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n_r > n_e, A**2 * n_e / (n_r * (n_r - n_e)), 0.0)
    return area, np.sqrt(term.sum())


def test_rmst_contrast_matches_numpy_formulas() -> None:
    from scipy.stats import chi2, norm

    rng = np.random.default_rng(31)
    n = 160
    group = rng.integers(0, 2, n)
    time = np.ceil(rng.exponential(np.where(group == 1, 25, 15)))
    event = (rng.random(n) < 0.7).astype(float)
    tau = 20.0
    r = hv.survival.rmst(time, event, group=group, tau=tau)
    (m0, s0), (m1, s1) = (_km_rmst(time[group == g], event[group == g], tau) for g in (0, 1))
    close(r.table["rmst"], [m0, m1], 1e-12)
    close(r.table["std_err"], [s0, s1], 1e-10)
    z = norm.ppf(0.975)
    c = r.contrasts.loc[1]
    diff, se = m1 - m0, np.hypot(s0, s1)
    close(c["difference"], diff, 1e-12)
    close(c["difference_se"], se, 1e-10)
    close([c["difference_lower"], c["difference_upper"]], [diff - z * se, diff + z * se], 1e-10)
    close(c["difference_pvalue"], 2 * norm.sf(abs(diff / se)), 1e-9)
    lr, lse = np.log(m1 / m0), np.sqrt((s1 / m1) ** 2 + (s0 / m0) ** 2)
    close(c["ratio"], m1 / m0, 1e-12)
    close([c["ratio_lower"], c["ratio_upper"]], np.exp([lr - z * lse, lr + z * lse]), 1e-10)
    close(c["ratio_pvalue"], 2 * norm.sf(abs(lr / lse)), 1e-9)
    close(r.statistic, (diff / se) ** 2, 1e-10)
    close(r.pvalue, chi2.sf((diff / se) ** 2, 1), 1e-9)


# ------------------------------------------------------------------ D4: RMST groups with SE 0


def test_rmst_test_with_a_zero_variance_group() -> None:
    from scipy.stats import chi2

    # Group "b" has no event before τ = 4: RMST 4, standard error 0.
    t = [1, 2, 3, 4, 5, 6, 7, 8]
    e = [1, 1, 1, 0, 1, 0, 1, 0]
    g = ["a"] * 4 + ["b"] * 4
    r = hv.survival.rmst(t, e, group=g, tau=4)
    assert r.table.loc["b", "std_err"] == 0.0 and r.zero_variance_groups == ["b"]
    # a: S = 3/4, 1/2, 1/4 after days 1, 2, 3: RMST 1 + .75 + .5 + .25 = 2.5.
    ma, sa = _km_rmst(np.array(t[:4], float), np.array(e[:4], float), 4.0)
    z2 = ((4.0 - ma) / sa) ** 2
    close(r.statistic, z2, 1e-12)
    close(r.pvalue, chi2.sf(z2, 1), 1e-10)
    t3, e3, g3 = t + [1, 2, 3, 4], e + [1, 0, 1, 0], g + ["c"] * 4
    with pytest.warns(hv.survival.EstimabilityWarning, match="'b'"):
        r3 = hv.survival.rmst(t3, e3, group=g3, tau=4)
    assert np.isnan(r3.statistic) and r3.zero_variance_groups == ["b"]


# ------------------------------------------------------------------ D2, D3, D6


def test_information_not_finite_is_a_clear_error() -> None:
    t = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    e = np.array([1.0, 1, 0, 1, 1, 0, 1, 1])
    x = np.array([0.3, 1.2, -0.5, 0.8, 0.1, -1.0, 0.6, 0.0])
    with pytest.raises(ValueError, match="information matrix not finite at β = .*rescale the covariates or change init"):
        hv.survival.cox(t, e, x, init=[1e6])
    with pytest.raises(ValueError, match="information matrix not finite"):
        hv.survival.cox(t, e, x * 1e200)


def test_nullable_boolean_event_with_missing_is_omitted() -> None:
    rng = np.random.default_rng(3)
    n = 60
    d = pd.DataFrame({"T": np.ceil(rng.exponential(10, n)), "x": rng.normal(size=n)})
    d["E"] = pd.array(rng.random(n) < 0.7, dtype="boolean")
    d.loc[[3, 17], "E"] = pd.NA
    ours = hv.survival.cox("T", "E", ["x"], data=d, nan_policy="omit")
    kept = d.drop(index=[3, 17]).assign(E=lambda f: f["E"].astype(bool).astype(float))
    from lifelines import CoxPHFitter

    ref = CoxPHFitter().fit(kept, "T", "E")
    close(ours.params, ref.params_.to_numpy(), 1e-5)
    assert ours.n == n - 2
    km = hv.survival.kaplan_meier("T", "E", data=d, nan_policy="omit")
    assert int(km.table["n_event"].sum()) == int(kept["E"].sum())


def test_predict_survival_without_rows_and_single_cluster() -> None:
    t = np.array([5.0, 8, 12, 3, 9, 15, 2, 7])
    e = np.array([1.0, 1, 0, 1, 1, 0, 1, 1])
    x = pd.DataFrame({"x": [0.0, 0, 0, 1, 1, 1, 1, 0]})
    fit = hv.survival.cox(t, e, x)
    empty = fit.predict_survival(x.iloc[:0])
    assert empty.shape == (0, 5) and list(empty.index.names) == ["row", "time"]
    with pytest.warns(hv.survival.EstimabilityWarning, match="one cluster"):
        one = hv.survival.cox(t, e, x, cluster=np.zeros(8))
    # Σ over the one cluster of the score residuals is the total score, ≈ 0 at β̂.
    assert one.bse.iloc[0] < 1e-6


# ------------------------------------------------------------------ report: adjusted HR


def test_report_survival_section_shows_hr_adjusted_for_chapter2_differences() -> None:
    import math

    from lifelines import CoxPHFitter

    from huisverbod import report
    from huisverbod.causal import analysis_frame

    cohort = hv.datasets.synthetic(800, seed=4)
    sec = report.section_survival(cohort, report.Context(lang="en", source="synthetic"))
    html = "".join(b for b in sec.blocks if isinstance(b, str))
    assert "adjusted for 7 covariate(s)" in html and "unadjusted" in html
    covs = report.SURVIVAL_COVARIATES
    frame = analysis_frame(cohort)
    complete = frame.dropna(subset=covs)
    assert f"{len(complete)} of {len(frame)} cases have all of" in html
    assert f"({len(frame) - len(complete)} left out)" in html
    # The same adjusted model through the public API, against lifelines on the same frame.
    rec = cohort.recidivism(sources=["police"])
    part = hv.survival.report_section(rec, covariates=frame[covs], tau=365.0)
    row = part.hazard_ratios.loc["adjusted for 7 covariate(s)"]
    ref = CoxPHFitter().fit(complete[["time", "event", "thv", *covs]], "time", "event",
                            fit_options={"precision": 1e-14, "step_size": 0.95})
    close(row["HR thv vs control"], math.exp(ref.params_["thv"]), 1e-6)
    lo = ref.params_["thv"] - 1.959963984540054 * ref.standard_errors_["thv"]
    close(row["95% low"], math.exp(lo), 1e-5)
    assert row["n"] == len(complete) and row["events"] == int(complete["event"].sum())
