"""hv.causal: balance, propensity, IPW, subgroup effects, E-values — each
checked against an independent computation (numpy formulas written out here,
statsmodels, lifelines) or arithmetic worked by hand in a comment."""

from __future__ import annotations

import doctest
import importlib
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import huisverbod as hv

sm = pytest.importorskip("statsmodels.api")


def _data(n: int = 600, seed: int = 1, strength: float = 1.0) -> pd.DataFrame:
    """Confounded synthetic cases: threat, age and education raise the chance
    of an order and of a new incident; continuous follow-up times (no ties)."""
    rng = np.random.default_rng(seed)
    threat = rng.binomial(1, 0.5, n)
    age = rng.normal(38, 10, n)
    edu = rng.choice(["low", "middle", "high"], n, p=[0.4, 0.4, 0.2])
    lin = -0.3 + strength * (0.9 * threat + 0.03 * (age - 38) + 0.5 * (edu == "low"))
    thv = rng.binomial(1, 1 / (1 + np.exp(-lin)))
    risk = 1 / (1 + np.exp(-(-1.0 + 0.8 * threat + 0.02 * (age - 38) - 0.5 * thv)))
    any_new = rng.binomial(1, risk)
    exposure = rng.uniform(200, 540, n)
    count = rng.poisson(np.exp(-6.0 + 0.7 * threat - 0.4 * thv) * exposure)
    time = rng.exponential(400 * np.exp(-0.5 * threat + 0.4 * thv))
    event = (time < exposure).astype(int)
    time = np.minimum(time, exposure)
    return pd.DataFrame({"thv": thv, "threat": threat, "age": age, "edu": edu, "any_new": any_new,
                         "count": count, "exposure": exposure, "time": time, "event": event})


# ------------------------------------------------------------------ balance


def _smd_ref(x1: np.ndarray, x0: np.ndarray, binary: bool) -> tuple[float, float, float]:
    if binary:
        v1, v0 = x1.mean() * (1 - x1.mean()), x0.mean() * (1 - x0.mean())
    else:
        v1, v0 = x1.var(ddof=1), x0.var(ddof=1)
    d = x1.mean() - x0.mean()
    return d / math.sqrt((v1 + v0) / 2), d / math.sqrt(v1), (np.nan if binary else v1 / v0)


def _wvar(x: np.ndarray, w: np.ndarray) -> float:
    m = np.average(x, weights=w)
    return float(np.sum(w * (x - m) ** 2) * w.sum() / (w.sum() ** 2 - np.sum(w**2)))


def test_balance_matches_numpy_formulas_with_levels_and_weights() -> None:
    df = _data()
    df.loc[[3, 17], "age"] = np.nan
    rng = np.random.default_rng(5)
    w = rng.uniform(0.5, 3.0, len(df))
    b = hv.causal.balance(df, ["threat", "age", "edu"], "thv", weights=w)
    t = df["thv"].to_numpy() == 1
    assert list(b.table.index) == ["threat", "age", "edu[high]", "edu[low]", "edu[middle]"]
    cols = {"threat": df["threat"].to_numpy(float), "age": df["age"].to_numpy(float)}
    for lev in ("high", "low", "middle"):
        cols[f"edu[{lev}]"] = (df["edu"] == lev).to_numpy(float)
    for name, x in cols.items():
        binary = name != "age"
        ok = ~np.isnan(x)
        x1, x0 = x[t & ok], x[~t & ok]
        smd, smd_t, vr = _smd_ref(x1, x0, binary)
        row = b.table.loc[name]
        assert row["n_treated"] == len(x1) and row["n_control"] == len(x0)
        assert row["smd"] == pytest.approx(smd, rel=1e-12)
        assert row["smd_treated"] == pytest.approx(smd_t, rel=1e-12)
        if binary:
            assert np.isnan(row["variance_ratio"])
        else:
            assert row["variance_ratio"] == pytest.approx(vr, rel=1e-12)
        w1, w0 = w[t & ok], w[~t & ok]
        a1, a0 = np.average(x1, weights=w1), np.average(x0, weights=w0)
        pooled = math.sqrt((smd_ref_var(x1, binary) + smd_ref_var(x0, binary)) / 2)
        assert row["mean_treated_adj"] == pytest.approx(a1, rel=1e-12)
        assert row["smd_adj"] == pytest.approx((a1 - a0) / pooled, rel=1e-10)
        if not binary:
            assert row["variance_ratio_adj"] == pytest.approx(_wvar(x1, w1) / _wvar(x0, w0), rel=1e-10)


def smd_ref_var(x: np.ndarray, binary: bool) -> float:
    return float(x.mean() * (1 - x.mean())) if binary else float(x.var(ddof=1))


def test_balance_accepts_labels_and_rejects_bad_input() -> None:
    df = pd.DataFrame({"group": ["thv", "control"] * 4, "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    b = hv.causal.balance(df, ["x"], "group")
    # thv x = 1,3,5,7 (mean 4, var 20/3); control 2,4,6,8 (mean 5, var 20/3): SMD = −1/√(20/3)
    assert b.table.loc["x", "smd"] == pytest.approx(-1 / math.sqrt(20 / 3), rel=1e-12)
    with pytest.raises(ValueError, match="treated="):
        hv.causal.balance(df.assign(group=["a", "b"] * 4), ["x"], "group")
    with pytest.raises(ValueError, match="no covariate column 'y'"):
        hv.causal.balance(df, ["y"], "group")
    with pytest.raises(ValueError, match="both groups"):
        hv.causal.balance(df.assign(group="thv"), ["x"], "group")
    with pytest.raises(ValueError, match="missing at row 1"):
        hv.causal.balance(df.assign(group=["thv", None] * 4), ["x"], "group")


def test_love_plot_draws() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = _data(200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hv.causal.OverlapWarning)
        w = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age + C(edu)", df))
    ax = w.balance().plot()
    assert len(ax.collections) >= 2
    ax2 = w.propensity.plot()
    assert len(ax2.patches) > 0
    plt.close("all")


# ------------------------------------------------------------------ propensity


def test_propensity_matches_statsmodels_and_overlap_by_hand() -> None:
    df = _data()
    ps = hv.causal.propensity("thv ~ threat + age + C(edu)", df)
    ref = sm.Logit.from_formula("thv ~ threat + age + C(edu)", df).fit(disp=0)
    np.testing.assert_allclose(ps.score.to_numpy(), ref.predict(df), rtol=1e-9)
    s = ps.score.to_numpy()
    t = df["thv"].to_numpy() == 1
    lo = max(s[t].min(), s[~t].min())
    hi = min(s[t].max(), s[~t].max())
    assert ps.overlap["common_support"] == pytest.approx((lo, hi))
    out = (s < lo) | (s > hi)
    assert ps.overlap["n_outside_treated"] == int((out & t).sum())
    assert ps.overlap["share_outside"] == pytest.approx(out.mean())
    np.testing.assert_array_equal(ps.kept("crump", 0.1).to_numpy(), (s >= 0.1) & (s <= 0.9))
    np.testing.assert_array_equal(ps.kept("minmax").to_numpy(), ~out)
    # the column form builds the same model
    ps2 = hv.causal.propensity(["threat", "age", "edu"], df, treatment="thv")
    np.testing.assert_allclose(ps2.score.to_numpy(), s, rtol=1e-12)
    assert ps.covariates == ["threat", "age", "edu"]


def test_trim_refits_on_the_kept_cases() -> None:
    df = _data(800, strength=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hv.causal.OverlapWarning)
        ps = hv.causal.propensity("thv ~ threat + age + C(edu)", df)
        tr = ps.trim("crump", 0.1)
    kept = ps.kept("crump", 0.1)
    assert len(tr.score) == int(kept.sum()) < len(df)
    ref = sm.Logit.from_formula("thv ~ threat + age + C(edu)", df.loc[kept.to_numpy()]).fit(disp=0)
    np.testing.assert_allclose(tr.score.to_numpy(), ref.predict(df.loc[kept.to_numpy()]), rtol=1e-8)


def test_separation_and_no_overlap_warn_with_advice() -> None:
    df = pd.DataFrame({"thv": [1, 1, 1, 0, 0, 0, 1, 0], "x": [5, 6, 7, 1, 2, 3, 8, 0], "z": [0, 1] * 4})
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        hv.causal.propensity("thv ~ x", df)
    msgs = [str(r.message) for r in rec if issubclass(r.category, hv.causal.OverlapWarning)]
    assert any("separates the groups" in m and "coarsen" in m for m in msgs), msgs
    assert any("do not overlap" in m for m in msgs), msgs
    assert all(issubclass(r.category, hv.causal.OverlapWarning) for r in rec)
    with pytest.raises(ValueError, match="needs the treatment on the left"):
        hv.causal.propensity("x + z", df)
    with pytest.raises(ValueError, match="treatment="):
        hv.causal.propensity(["x"], df)


# ------------------------------------------------------------------ weights


def test_weights_formulas_truncation_and_ess() -> None:
    df = _data()
    ps = hv.causal.propensity("thv ~ threat + age + C(edu)", df)
    e = ps.score.to_numpy()
    t = ps.treatment
    ate = hv.causal.ipw(ps)
    np.testing.assert_allclose(ate.weights, np.where(t, 1 / e, 1 / (1 - e)), rtol=1e-14)
    att = hv.causal.ipw(ps, estimand="ATT")
    np.testing.assert_allclose(att.weights, np.where(t, 1.0, e / (1 - e)), rtol=1e-14)
    st = hv.causal.ipw(ps, stabilize=True)
    p1 = t.mean()
    np.testing.assert_allclose(st.weights, np.where(t, p1 / e, (1 - p1) / (1 - e)), rtol=1e-14)
    tr = hv.causal.ipw(ps, truncate=(0.05, 0.95))
    ref = np.where(t, 1 / e, 1 / (1 - e))
    for g in (True, False):
        lo, hi = np.quantile(ref[t == g], [0.05, 0.95])
        np.testing.assert_allclose(tr.weights[t == g], np.clip(ref[t == g], lo, hi), rtol=1e-14)
    np.testing.assert_array_equal(tr.truncated.to_numpy(), tr.weights.to_numpy() != ref)
    for g, name in ((True, "treated"), (False, "control")):
        w = ate.weights.to_numpy()[t == g]
        assert ate.ess[name] == pytest.approx(w.sum() ** 2 / np.sum(w**2), rel=1e-12)
    with pytest.raises(ValueError, match="quantiles"):
        hv.causal.ipw(ps, truncate=(0.9, 0.1))
    with pytest.raises(ValueError, match="estimand"):
        hv.causal.ipw(ps, estimand="ATC")  # type: ignore[arg-type]


def test_extreme_weights_warn() -> None:
    # x nearly separates the groups: one control at x = 3.9 and one treated
    # case at x = −3.9 get scores near 1 and 0, so weights of about 500
    x = np.linspace(-4, 4, 100)
    t = (x > 0).astype(int)
    t[-2], t[1] = 0, 1
    df = pd.DataFrame({"thv": t, "x": x})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hv.causal.OverlapWarning)
        ps = hv.causal.propensity("thv ~ x", df)
    with pytest.warns(hv.causal.ExtremeWeightWarning, match="effective sample size") as rec:
        w = hv.causal.ipw(ps)
    assert len(rec) == 2
    wt = w.weights.to_numpy()[ps.treatment]
    assert w.ess["treated"] == pytest.approx(wt.sum() ** 2 / np.sum(wt**2), rel=1e-12)
    assert w.ess["treated"] < 0.2 * 50
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hv.causal.ipw(ps, truncate=(0.0, 0.9))  # truncation removes the extreme weights: no warning


# ------------------------------------------------------------------ contrasts


def _stacked_sandwich(df: pd.DataFrame, formula: str, y: np.ndarray, d: np.ndarray, estimand: str) -> np.ndarray:
    """Reference M-estimation: the stacked estimating equations
    ψ_β = (T − e)x, ψ₁ = T·w·(Y − μ₁D), ψ₀ = (1 − T)·w·(Y − μ₀D), with the
    Jacobian taken by central differences and V = A⁻¹ B A⁻ᵀ."""
    import formulaic

    mm = formulaic.model_matrix(formula, df)
    X = np.asarray(mm.rhs, dtype=float)
    T = np.asarray(mm.lhs, dtype=float)[:, 0]
    beta = sm.Logit(T, X).fit(disp=0).params

    def weights(b: np.ndarray) -> np.ndarray:
        e = 1 / (1 + np.exp(-X @ b))
        if estimand == "ATE":
            return T / e + (1 - T) / (1 - e)
        return T + (1 - T) * e / (1 - e)

    w = weights(beta)
    mu1 = np.sum(T * w * y) / np.sum(T * w * d)
    mu0 = np.sum((1 - T) * w * y) / np.sum((1 - T) * w * d)
    theta = np.concatenate([beta, [mu1, mu0]])
    p = X.shape[1]

    def psi(th: np.ndarray) -> np.ndarray:
        b, m1, m0 = th[:p], th[p], th[p + 1]
        e = 1 / (1 + np.exp(-X @ b))
        ww = weights(b)
        return np.column_stack([(T - e)[:, None] * X, T * ww * (y - m1 * d), (1 - T) * ww * (y - m0 * d)])

    k = len(theta)
    A = np.empty((k, k))
    for j in range(k):
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        A[:, j] = -(psi(up).sum(0) - psi(dn).sum(0)) / (2 * h)
    P = psi(theta)
    B = P.T @ P
    Ai = np.linalg.inv(A)
    V = Ai @ B @ Ai.T
    return np.array([mu1, mu0]), V[p:, p:]


@pytest.mark.parametrize("estimand", ["ATE", "ATT"])
def test_risk_contrast_m_estimation_matches_stacked_sandwich(estimand: str) -> None:
    df = _data()
    f = "thv ~ threat + age + C(edu)"
    r = hv.causal.ipw(hv.causal.propensity(f, df), estimand=estimand).risk("any_new")
    y = df["any_new"].to_numpy(float)
    mu, V = _stacked_sandwich(df, f, y, np.ones(len(df)), estimand)
    assert (r.mean_treated, r.mean_control) == pytest.approx(tuple(mu), rel=1e-9)
    c = np.array([1.0, -1.0])
    assert r.se_difference == pytest.approx(math.sqrt(c @ V @ c), rel=1e-5)
    g = np.array([1 / mu[0], -1 / mu[1]])
    assert r.se_log_ratio == pytest.approx(math.sqrt(g @ V @ g), rel=1e-5)
    assert r.se_method == "m-estimation"
    lo, hi = r.ci_ratio
    assert (lo, hi) == pytest.approx((r.ratio * math.exp(-1.959963984540054 * r.se_log_ratio),
                                      r.ratio * math.exp(1.959963984540054 * r.se_log_ratio)), rel=1e-9)


def test_risk_contrast_fixed_weights_matches_statsmodels_robust() -> None:
    df = _data()
    w = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age + C(edu)", df))
    r = w.risk("any_new", se="fixed-weights")
    X = sm.add_constant(df["thv"].to_numpy(float))
    y = df["any_new"].to_numpy(float)
    wls = sm.WLS(y, X, weights=w.weights.to_numpy()).fit(cov_type="HC0")
    assert r.difference == pytest.approx(wls.params[1], rel=1e-10)
    assert r.se_difference == pytest.approx(wls.bse[1], rel=1e-8)
    glm = sm.GLM(y, X, family=sm.families.Poisson(), var_weights=w.weights.to_numpy()).fit(cov_type="HC0")
    assert math.log(r.ratio) == pytest.approx(glm.params[1], rel=1e-8)
    assert r.se_log_ratio == pytest.approx(glm.bse[1], rel=1e-6)
    assert r.se_difference_fixed_weights == r.se_difference


def test_rate_ratio_matches_statsmodels_poisson_with_exposure() -> None:
    df = _data()
    f = "thv ~ threat + age + C(edu)"
    w = hv.causal.ipw(hv.causal.propensity(f, df))
    r = w.rate("count", "exposure")
    X = sm.add_constant(df["thv"].to_numpy(float))
    glm = sm.GLM(df["count"].to_numpy(float), X, family=sm.families.Poisson(), var_weights=w.weights.to_numpy(),
                 exposure=df["exposure"].to_numpy()).fit(cov_type="HC0")
    assert math.log(r.ratio) == pytest.approx(glm.params[1], rel=1e-8)
    assert r.se_log_ratio_fixed_weights == pytest.approx(glm.bse[1], rel=1e-6)
    mu, V = _stacked_sandwich(df, f, df["count"].to_numpy(float), df["exposure"].to_numpy(float), "ATE")
    g = np.array([1 / mu[0], -1 / mu[1]])
    assert r.se_log_ratio == pytest.approx(math.sqrt(g @ V @ g), rel=1e-5)
    assert r.summary().loc["rate treated", "estimate"] == pytest.approx(365 * mu[0], rel=1e-9)


def test_weighted_cox_matches_lifelines_robust() -> None:
    lifelines = pytest.importorskip("lifelines")
    df = _data()
    w = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age + C(edu)", df))
    fit = w.cox("time", "event")
    ref_df = pd.DataFrame({"time": df["time"], "event": df["event"], "treated": df["thv"].astype(float),
                           "w": w.weights.to_numpy()})
    cph = lifelines.CoxPHFitter().fit(ref_df, "time", "event", weights_col="w", robust=True)
    assert fit.params["treated"] == pytest.approx(cph.params_["treated"], rel=1e-5)
    assert fit.bse["treated"] == pytest.approx(cph.standard_errors_["treated"], rel=1e-4)


def test_weighted_kaplan_meier_matches_lifelines() -> None:
    lifelines = pytest.importorskip("lifelines")
    df = _data()
    w = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age + C(edu)", df))
    km = w.kaplan_meier("time", "event")
    t = df["thv"].to_numpy() == 1
    for g, mask in (("treated", t), ("control", ~t)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifelines warns that non-integer weights bias its variance
            ref = lifelines.KaplanMeierFitter().fit(df["time"][mask], df["event"][mask],
                                                    weights=w.weights.to_numpy()[mask])
        times = np.array([100.0, 250.0, 400.0])
        sa = km.survival_at(times)
        ours = sa.loc[g, "survival"].to_numpy()
        np.testing.assert_allclose(ours, ref.survival_function_at_times(times).to_numpy(), rtol=1e-10)


def test_unadjusted_is_wald_and_katz() -> None:
    y = np.array([1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0])
    t = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    r = hv.causal.unadjusted(y, t)
    # treated 3/6, control 3/6 ... by hand: p1 = 0.5, p0 = 0.5
    p1, p0, n1, n0 = 3 / 6, 3 / 6, 6, 6
    assert r.se_difference == pytest.approx(math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0), rel=1e-14)
    assert r.se_log_ratio == pytest.approx(math.sqrt((1 - p1) / (n1 * p1) + (1 - p0) / (n0 * p0)), rel=1e-14)
    tp = hv.stats.two_proportions(3, 6, 3, 6)
    assert r.ci_ratio == pytest.approx(tuple(tp.risk_ratio.confidence_interval), rel=1e-12)
    df = _data()
    rr = hv.causal.unadjusted(df["count"], df["thv"], exposure=df["exposure"], measure="rate")
    X = sm.add_constant(df["thv"].to_numpy(float))
    glm = sm.GLM(df["count"].to_numpy(float), X, family=sm.families.Poisson(),
                 exposure=df["exposure"].to_numpy()).fit(cov_type="HC0")
    assert math.log(rr.ratio) == pytest.approx(glm.params[1], rel=1e-9)
    assert rr.se_log_ratio == pytest.approx(glm.bse[1], rel=1e-6)


def test_report_section_on_the_replication_cohort() -> None:
    from huisverbod.causal._report import COVARIATES, analysis_frame, section_causal
    from huisverbod.report import SECTIONS, Context

    assert "_section_causal" in [s.__name__ for s in SECTIONS]
    cohort = hv.datasets.regioplan2013()
    sec = section_causal(cohort, Context(lang="en", source="test"))
    body = "".join(sec.blocks)
    assert "E-value" in body and "female perpetrator" in body and "Warnings:" in body
    # the unadjusted risk row is the complete-case 2×2 table, computed here with pandas
    df = analysis_frame(cohort).dropna(subset=COVARIATES)
    p1 = df.loc[df.thv == 1, "any_new"].mean()
    p0 = df.loc[df.thv == 0, "any_new"].mean()
    assert f"{100 * p1:.1f} vs {100 * p0:.1f}" in body
    # The doubly robust and matched rows are wired to hv.causal.aipw / match
    # (their numbers are checked against statsmodels in test_causal_match.py).
    assert "doubly robust (AIPW, ATE)" in body and "matched 1:1 with replacement" in body
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dr = hv.causal.aipw("any_new", "thv", COVARIATES, df, n_bootstrap=0)
    ci = dr.confidence_interval()
    assert f"{100 * dr.estimate:.1f} ({100 * ci.low:.1f} to {100 * ci.high:.1f})" in body


def test_contrast_errors_name_the_problem() -> None:
    df = _data(200)
    w = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age", df))
    with pytest.raises(ValueError, match="must be 0/1"):
        w.risk("count")
    with pytest.raises(ValueError, match="data has no column 'nope'"):
        w.risk("nope")
    bad = df["any_new"].astype(float).copy()
    bad.iloc[4] = np.nan
    with pytest.raises(ValueError, match="missing or not numeric for case 4"):
        w.risk(bad)
    with pytest.raises(ValueError, match="exposure.*positive; row 0"):
        w.rate("count", np.zeros(len(df)))
    with pytest.raises(ValueError, match="se must be"):
        w.risk("any_new", se="bootstrap")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="propensity"):
        hv.causal.ipw(df)  # type: ignore[arg-type]


# ------------------------------------------------------------------ E-values


def _e(rr: float) -> float:
    rr = rr if rr >= 1 else 1 / rr
    return rr + math.sqrt(rr * (rr - 1))


def test_evalue_closed_forms() -> None:
    e = hv.causal.evalue(0.62, 0.41, 0.94)
    assert e.point == pytest.approx(_e(0.62), rel=1e-14)
    assert e.limit == pytest.approx(_e(0.94), rel=1e-14)
    assert hv.causal.evalue(0.62, 0.41, 1.3).limit == 1.0
    # common odds ratio: RR ≈ √OR
    e = hv.causal.evalue(2.5, 1.4, 4.4, measure="OR")
    assert e.point == pytest.approx(_e(math.sqrt(2.5)), rel=1e-14)
    assert e.limit == pytest.approx(_e(math.sqrt(1.4)), rel=1e-14)
    assert hv.causal.evalue(2.5, measure="OR", rare=True).point == pytest.approx(_e(2.5), rel=1e-14)
    # common hazard ratio: RR ≈ (1 − 0.5^√HR)/(1 − 0.5^√(1/HR))
    hr = 0.7
    rr = (1 - 0.5 ** math.sqrt(hr)) / (1 - 0.5 ** math.sqrt(1 / hr))
    assert hv.causal.evalue(hr, measure="HR").point == pytest.approx(_e(rr), rel=1e-14)
    assert hv.causal.evalue(hr, measure="HR", rare=True).point == pytest.approx(_e(hr), rel=1e-14)
    assert hv.causal.evalue(1.3, measure="rate ratio").point == pytest.approx(_e(1.3), rel=1e-14)
    # SMD: RR ≈ exp(0.91 d)
    assert hv.causal.evalue(0.5, measure="SMD").point == pytest.approx(_e(math.exp(0.455)), rel=1e-14)
    # a non-null true value: RR/true
    assert hv.causal.evalue(2.0, true=1.5).point == pytest.approx(_e(2.0 / 1.5), rel=1e-14)
    with pytest.raises(ValueError, match="positive"):
        hv.causal.evalue(-1.0)
    with pytest.raises(ValueError, match="lies above the estimate"):
        hv.causal.evalue(2.0, 2.5, 3.0)
    with pytest.raises(ValueError, match="measure"):
        hv.causal.evalue(2.0, measure="RD")  # type: ignore[arg-type]


def test_contrast_evalue_uses_the_ratio_interval() -> None:
    df = _data()
    r = hv.causal.ipw(hv.causal.propensity("thv ~ threat + age + C(edu)", df)).risk("any_new")
    e = r.evalue()
    assert e.point == pytest.approx(_e(r.ratio), rel=1e-14)
    lim = r.ci_ratio[1] if r.ratio < 1 else r.ci_ratio[0]
    expected = 1.0 if (r.ci_ratio[0] <= 1 <= r.ci_ratio[1]) else _e(lim)
    assert e.limit == pytest.approx(expected, rel=1e-14)


# ------------------------------------------------------------------ subgroups


def test_subgroup_effects_match_statsmodels() -> None:
    df = _data(800, seed=7)
    df["female"] = np.random.default_rng(8).binomial(1, 0.25, len(df))
    s = hv.causal.subgroup_effects(df, "any_new", "thv", "female")
    full = sm.Logit.from_formula("any_new ~ thv * C(female)", df).fit(disp=0)
    red = sm.Logit.from_formula("any_new ~ thv + C(female)", df).fit(disp=0)
    lr = 2 * (full.llf - red.llf)
    assert s.interaction.statistic == pytest.approx(lr, rel=1e-8)
    assert s.interaction.pvalue == pytest.approx(float(__import__("scipy.stats").stats.chi2.sf(lr, 1)), rel=1e-7)
    assert s.table.loc["0", "odds_ratio"] == pytest.approx(math.exp(full.params["thv"]), rel=1e-8)
    b = full.params["thv"] + full.params["thv:C(female)[T.1]"]
    assert s.table.loc["1", "odds_ratio"] == pytest.approx(math.exp(b), rel=1e-8)
    # within a subgroup the interaction model's OR is the stratum's own 2×2 odds ratio
    g = df[df.female == 1]
    tab = pd.crosstab(g.thv, g.any_new)
    assert s.table.loc["1", "odds_ratio"] == pytest.approx(
        (tab.loc[1, 1] * tab.loc[0, 0]) / (tab.loc[1, 0] * tab.loc[0, 1]), rel=1e-8)


# ------------------------------------------------------------------ cohort


def test_robustness_check_one_liner_drops_female_perpetrator_cases() -> None:
    cohort = hv.datasets.regioplan2013()
    female = cohort.cases_with(role="perpetrator", sex="f")
    cases, persons, _ = cohort.to_frames()
    ref = set(persons.loc[(persons.role == "perpetrator") & (persons.sex == "f"), "case_id"])
    assert set(female.index[female]) == ref
    male = cohort.filter(~female)
    assert male.n_cases == cohort.n_cases - len(ref)
    t = male.recidivism(sources=["police"]).by_group()
    rec = cohort.recidivism(sources=["police"]).to_frame()
    keep = rec.loc[~rec.index.isin(ref)]
    for g in ("thv", "control"):
        assert t.loc[g, "n"] == int((keep.group == g).sum())
        assert t.loc[g, "n_with_new"] == int(keep.loc[keep.group == g, "any"].sum())
    same = cohort.filter(lambda f: ~f.cases.case_id.isin(ref).to_numpy())
    assert same.n_cases == male.n_cases
    with pytest.raises(ValueError, match="no column 'colour'"):
        cohort.cases_with(colour="red")


# ------------------------------------------------------------------ docs


@pytest.mark.parametrize("module", ["huisverbod.causal", "huisverbod.causal._balance", "huisverbod.causal._propensity",
                                    "huisverbod.causal._ipw", "huisverbod.causal._evalue",
                                    "huisverbod.causal._subgroup", "huisverbod.causal._report"])
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
