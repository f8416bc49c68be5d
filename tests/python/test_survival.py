"""hv.survival against lifelines (live) and R's survival package (when Rscript is installed).

Reference values come from lifelines, from R (``Rscript``, skipped when
absent) or from small hand-worked examples in comments; never from
huisverbod's own output. Data are randomised with Hypothesis, with heavy
ties (integer days in a small range) and with continuous times.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import huisverbod as hv

lifelines = pytest.importorskip("lifelines")
from lifelines import KaplanMeierFitter  # noqa: E402
from lifelines.statistics import logrank_test as ll_logrank  # noqa: E402
from lifelines.statistics import multivariate_logrank_test  # noqa: E402
from lifelines.utils import median_survival_times, restricted_mean_survival_time  # noqa: E402

RTOL = 1e-10
CI_RTOL = 1e-9
HAS_R = shutil.which("Rscript") is not None
needs_r = pytest.mark.skipif(not HAS_R, reason="Rscript not installed")

# ------------------------------------------------------------------ helpers


def close(a, b, rtol=RTOL, atol=1e-300):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def run_r(script: str, frame: pd.DataFrame, tmp_path: Path) -> dict[str, np.ndarray]:
    """Runs an R script with `d` read from a CSV; `out(name, x)` lines come back as arrays."""
    csv = tmp_path / "d.csv"
    frame.to_csv(csv, index=False)
    prelude = (
        "suppressMessages(library(survival))\n"
        f"d <- read.csv('{csv}')\n"
        "out <- function(name, x) cat(name, formatC(as.numeric(x), digits = 17, format = 'g'), '\\n')\n"
    )
    res = subprocess.run(
        ["Rscript", "-e", prelude + script], capture_output=True, text=True, timeout=120, check=False
    )
    if res.returncode != 0:
        raise RuntimeError(res.stderr)
    vals: dict[str, np.ndarray] = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts:
            vals[parts[0]] = np.array([float("nan") if v == "NA" else float(v) for v in parts[1:]])
    return vals


@st.composite
def surv_data(draw, k_max: int = 3, tied: bool | None = None, min_time: float = 0.0):
    """(time, event, group) with heavy ties or continuous times; every group non-empty."""
    k = draw(st.integers(2, k_max))
    n = draw(st.integers(k * 2, 120))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if tied is None:
        tied = draw(st.booleans())
    group = np.concatenate([np.arange(k), rng.integers(0, k, n - k)])
    scale = 10.0 * (1.0 + group)
    if tied:
        hi = draw(st.integers(3, 25))
        time = rng.integers(int(min_time), hi + 1, n).astype(float)
    else:
        time = min_time + rng.exponential(scale)
    p_event = draw(st.floats(0.1, 1.0))
    event = (rng.random(n) < p_event).astype(float)
    return time, event, group


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------ Kaplan–Meier


@FAST
@given(surv_data(k_max=1 + 1))
def test_km_matches_lifelines(d) -> None:
    time, event, group = d
    km = hv.survival.kaplan_meier(time, event, group=group)
    for g in np.unique(group):
        m = group == g
        kmf = KaplanMeierFitter().fit(time[m], event[m])
        tab = km.table_for(int(g))
        t = tab.index.to_numpy()
        close(tab["survival"], kmf.survival_function_.loc[t, "KM_estimate"])
        close(tab["var_log"], kmf._cumulative_sq_.loc[t])
        close(tab["lower"], kmf.confidence_interval_.iloc[:, 0].loc[t], CI_RTOL)
        close(tab["upper"], kmf.confidence_interval_.iloc[:, 1].loc[t], CI_RTOL)
        close(tab["n_risk"], kmf.event_table.loc[t, "at_risk"])
        close(tab["n_event"], kmf.event_table.loc[t, "observed"])
        close(tab["n_censor"], kmf.event_table.loc[t, "censored"])
        close(tab["std_err"], tab["survival"] * np.sqrt(kmf._cumulative_sq_.loc[t]))
        # Median and its interval: lifelines takes the left end where S = 0.5
        # exactly over an interval (R the midpoint); compare where it does not.
        s = tab["survival"].to_numpy()
        cis = (tab["lower"].to_numpy(), tab["upper"].to_numpy())
        med = km.median.loc[int(g)]
        if not np.any(np.abs(s - 0.5) < 1e-6):
            assert med["median"] == kmf.median_survival_time_
        ci = median_survival_times(kmf.confidence_interval_)
        if not np.any(np.abs(cis[0] - 0.5) < 1e-6):
            assert med["lower"] == ci.iloc[0, 0]
        if not np.any(np.abs(cis[1] - 0.5) < 1e-6):
            assert med["upper"] == ci.iloc[0, 1]


@FAST
@given(surv_data(k_max=2), st.lists(st.floats(0, 40), min_size=1, max_size=5))
def test_km_survival_at_matches_lifelines(d, days) -> None:
    time, event, _ = d
    km = hv.survival.kaplan_meier(time, event)
    kmf = KaplanMeierFitter().fit(time, event)
    got = km.survival_at(days).loc["all"]
    close(got["survival"], kmf.survival_function_at_times(days).to_numpy())
    ci = km.cumulative_incidence_at(days).loc["all"]
    close(ci["cumulative_incidence"], 1.0 - kmf.survival_function_at_times(days).to_numpy())


def test_km_large_sample_matches_lifelines() -> None:
    rng = np.random.default_rng(7)
    n = 200_000
    time = rng.integers(1, 700, n).astype(float)
    event = (rng.random(n) < 0.4).astype(float)
    km = hv.survival.kaplan_meier(time, event).table_for()
    kmf = KaplanMeierFitter().fit(time, event)
    t = km.index.to_numpy()
    close(km["survival"], kmf.survival_function_.loc[t, "KM_estimate"])
    close(km["var_log"], kmf._cumulative_sq_.loc[t])
    close(km["lower"], kmf.confidence_interval_.iloc[:, 0].loc[t], CI_RTOL)


def test_km_hand_worked_and_conventions() -> None:
    # 1, 2, 2+, 3, 4, 4: S = 5/6, 2/3, 4/9, 0; Greenwood 1/30, 1/12, 1/4, (n = d: skipped) 1/4.
    km = hv.survival.kaplan_meier([1, 2, 2, 3, 4, 4], [1, 1, 0, 1, 1, 1])
    tab = km.table_for()
    close(tab["survival"], [5 / 6, 2 / 3, 4 / 9, 0.0], 1e-15)
    close(tab["var_log"], [1 / 30, 1 / 12, 1 / 4, 1 / 4], 1e-15)
    assert tab["n_risk"].tolist() == [6, 5, 3, 2]
    assert (tab.loc[4.0, "lower"], tab.loc[4.0, "upper"]) == (0.0, 0.0)
    # median 3; lower limit: the log-log lower curve is 0.273 at t = 1 → 1.
    assert km.median.loc["all"].tolist() == [3.0, 1.0, 4.0]
    # Uncensored 1..4: S = .5 on [2, 3) → median 2.5 (R, and the sample median).
    assert float(hv.survival.kaplan_meier([1, 2, 3, 4]).median["median"].iloc[0]) == 2.5
    # All censored: S = 1, median not reached.
    allc = hv.survival.kaplan_meier([3, 5, 7], [0, 0, 0])
    assert allc.table_for()["survival"].tolist() == [1.0, 1.0, 1.0]
    assert math.isinf(allc.median["median"].iloc[0])
    assert (allc.n, allc.n_events, allc.n_censored) == (3, 0, 3)
    assert "censored=3" in repr(allc)
    # A group with no events.
    g = hv.survival.kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], group=["a", "a", "b", "b"])
    assert g.summary.loc["b", "events"] == 0
    assert math.isinf(g.median.loc["b", "median"])


@needs_r
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("conf_type", ["log-log", "log", "plain"])
def test_km_matches_r(seed: int, conf_type: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(seed)
    n = 80
    time = rng.integers(1, 15, n).astype(float)
    event = (rng.random(n) < 0.6).astype(float)
    km = hv.survival.kaplan_meier(time, event, conf_type=conf_type, confidence_level=0.9)
    tab = km.table_for()
    r = run_r(
        f"""
        f <- survfit(Surv(time, event) ~ 1, data = d, conf.type = '{conf_type}', conf.int = 0.9)
        out('time', f$time); out('surv', f$surv); out('se', f$std.err)
        out('lower', f$lower); out('upper', f$upper); out('nrisk', f$n.risk)
        q <- quantile(f, c(0.25, 0.5)); out('q', q$quantile); out('ql', q$lower); out('qu', q$upper)
        """,
        pd.DataFrame({"time": time, "event": event}),
        tmp_path,
    )
    close(tab.index, r["time"])
    close(tab["survival"], r["surv"])
    close(tab["n_risk"], r["nrisk"])
    ok = tab["survival"].to_numpy() > 0  # R: se Inf and limits NA where S = 0
    close(np.sqrt(tab["var_log"])[ok], r["se"][ok])
    ok &= ~np.isnan(r["lower"])
    close(tab["lower"][ok], r["lower"][ok], CI_RTOL)
    close(tab["upper"][ok], r["upper"][ok], CI_RTOL)
    for i, p in enumerate([0.25, 0.5]):
        q = km.quantile(p).iloc[0].to_numpy()
        for mine, theirs in zip(q, (r["q"][i], r["ql"][i], r["qu"][i]), strict=True):
            if np.isnan(theirs):  # R: not reached → NA; ours inf (or S = 0 time, see docs)
                continue
            assert mine == pytest.approx(theirs, rel=1e-12)


def test_km_dataframe_columns_and_categorical_order() -> None:
    df = pd.DataFrame(
        {
            "days": [5, 8, 8, 12, 20, 3],
            "new": [True, True, False, True, False, True],
            "grp": pd.Categorical(["thv", "thv", "control", "control", "control", "thv"], ["thv", "control"]),
        }
    )
    km = hv.survival.kaplan_meier("days", "new", group="grp", data=df)
    assert km.groups == ["thv", "control"]
    assert km.summary.index.name == "grp"
    assert km.table.index.names == ["grp", "time"]
    assert "<table" in km._repr_html_()


def test_km_bad_input() -> None:
    with pytest.raises(ValueError, match="negative value"):
        hv.survival.kaplan_meier([1, -2, 3], [1, 1, 1])
    with pytest.raises(ValueError, match="NaN"):
        hv.survival.kaplan_meier([1, np.nan, 3], [1, 1, 1])
    with pytest.raises(ValueError, match="infinite"):
        hv.survival.kaplan_meier([1, np.inf], [1, 1])
    with pytest.raises(ValueError, match="events must be 0"):
        hv.survival.kaplan_meier([1, 2, 3], [1, 2, 1])
    with pytest.raises(ValueError, match="length"):
        hv.survival.kaplan_meier([1, 2, 3], [1, 1])
    with pytest.raises(ValueError, match="empty"):
        hv.survival.kaplan_meier([], [])
    with pytest.raises(ValueError, match="missing value"):
        hv.survival.kaplan_meier([1, 2], [1, 1], group=["a", None])
    with pytest.raises(ValueError, match="conf_type"):
        hv.survival.kaplan_meier([1, 2], [1, 1], conf_type="logit")
    with pytest.raises(ValueError, match="confidence_level"):
        hv.survival.kaplan_meier([1, 2], [1, 1], confidence_level=1.5)
    # nan_policy="omit" drops the rows.
    km = hv.survival.kaplan_meier([1, np.nan, 3], [1, 1, np.nan], nan_policy="omit")
    assert km.n == 1


# ------------------------------------------------------------------ log-rank

WEIGHTINGS = [
    (None, {}),
    ("wilcoxon", {}),
    ("tarone-ware", {}),
    ("peto", {}),
    ("fleming-harrington", {"p": 1.0, "q": 0.0}),
    ("fleming-harrington", {"p": 0.5, "q": 2.0}),
]


@FAST
@given(surv_data(k_max=4, min_time=1.0), st.sampled_from(WEIGHTINGS))
def test_logrank_matches_lifelines(d, w) -> None:
    time, event, group = d
    weightings, kw = w
    if event.sum() == 0:
        return
    ours = hv.survival.logrank_test(time, event, group=group, weightings=weightings, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' pandas deprecations
        ref = multivariate_logrank_test(time, group, event, weightings=weightings, **kw)
    if ours.df < len(np.unique(group)) - 1:  # degenerate V: lifelines keeps k - 1 df
        return
    # atol: a statistic that is exactly 0 comes out as ~1e-32 in lifelines (pinv).
    close(ours.statistic, ref.test_statistic, 1e-9, 1e-20)
    close(ours.pvalue, ref.p_value, 1e-9)
    assert ours.df == ref.degrees_of_freedom
    close(ours.observed.sum(), event.sum())
    close(ours.expected.sum(), event.sum())


def test_logrank_two_sample_form_matches_lifelines() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.exponential(10, 300).round(), rng.exponential(13, 250).round() + 1
    ea, eb = rng.random(300) < 0.7, rng.random(250) < 0.7
    ref = ll_logrank(a + 1, b, ea, eb)
    ours = hv.survival.logrank_test(
        np.concatenate([a + 1, b]), np.concatenate([ea, eb]), group=["A"] * 300 + ["B"] * 250
    )
    close(ours.statistic, ref.test_statistic)
    close(ours.pvalue, ref.p_value)


def test_logrank_hand_worked_and_degenerate() -> None:
    # Group 0 fails at 1, 2; group 1 at 3, 4: U0 = 7/6, V00 = 17/36 → χ² = 49/17.
    r = hv.survival.logrank_test([1, 2, 3, 4], [1, 1, 1, 1], group=[0, 0, 1, 1])
    close(r.statistic, 49 / 17, 1e-14)
    close(r.expected.loc[0], 5 / 6, 1e-15)
    assert r.summary.shape == (2, 4)
    # No events at all: undefined (NaN, df 0).
    r = hv.survival.logrank_test([1, 2, 3], [0, 0, 0], group=[0, 1, 1])
    assert math.isnan(r.statistic) and math.isnan(r.pvalue) and r.df == 0
    # A group without events is fine.
    r = hv.survival.logrank_test([1, 2, 3, 4], [1, 1, 0, 0], group=[0, 0, 1, 1])
    assert r.observed.loc[1] == 0 and 0 < r.pvalue < 1
    with pytest.raises(ValueError, match="two groups"):
        hv.survival.logrank_test([1, 2], [1, 1], group=[0, 0])
    with pytest.raises(ValueError, match="group"):
        hv.survival.logrank_test([1, 2], [1, 1])
    with pytest.raises(ValueError, match="both p and q"):
        hv.survival.logrank_test([1, 2], [1, 1], group=[0, 1], weightings="fleming-harrington", p=1)
    with pytest.raises(ValueError, match="weightings"):
        hv.survival.logrank_test([1, 2], [1, 1], group=[0, 1], weightings="savage")


def _numpy_logrank(time, event, group, strata, scores=None, rho=0.0):
    """Reference: the textbook formulas, written out independently (slow loops)."""
    groups = np.unique(group)
    k = len(groups)
    U = np.zeros(k)
    V = np.zeros((k, k))
    for s in np.unique(strata):
        m = strata == s
        t, e, g = time[m], event[m], group[m]
        km = 1.0
        for u in np.unique(t[e == 1]):
            risk = t >= u
            n = risk.sum()
            d = ((t == u) & (e == 1)).sum()
            ng = np.array([(risk & (g == x)).sum() for x in groups])
            dg = np.array([((t == u) & (e == 1) & (g == x)).sum() for x in groups])
            w = km**rho
            U += w * (dg - ng * d / n)
            if n > 1:
                V += w**2 * d * (n - d) / (n**2 * (n - 1)) * (n * np.diag(ng) - np.outer(ng, ng))
            km *= 1 - d / n
    if scores is not None:
        c = np.asarray(scores, dtype=float)
        return (c @ U) ** 2 / (c @ V @ c)
    return U[:-1] @ np.linalg.solve(V[:-1, :-1], U[:-1])


@FAST
@given(surv_data(k_max=3), st.integers(2, 4), st.sampled_from([0.0, 1.0]))
def test_stratified_logrank_matches_reference(d, n_strata, rho) -> None:
    time, event, group = d
    rng = np.random.default_rng(len(time))
    strata = rng.integers(0, n_strata, len(time))
    if event.sum() == 0:
        return
    w = None if rho == 0 else "fleming-harrington"
    ours = hv.survival.logrank_test(time, event, group=group, strata=strata, weightings=w, p=rho, q=0.0)
    if ours.df < len(np.unique(group)) - 1:
        return
    close(ours.statistic, _numpy_logrank(time, event, group, strata, rho=rho), 1e-9)
    assert ours.n_strata == len(np.unique(strata))
    tr = hv.survival.logrank_trend_test(time, event, group=group, strata=strata, weightings=w, p=rho, q=0.0)
    close(tr.statistic, _numpy_logrank(time, event, group, strata, scores=np.unique(group), rho=rho), 1e-9)


@needs_r
@pytest.mark.parametrize("seed", [4, 5])
def test_logrank_stratified_trend_match_r(seed: int, tmp_path: Path) -> None:
    rng = np.random.default_rng(seed)
    n = 150
    group = rng.integers(0, 3, n)
    strata = rng.integers(0, 3, n)
    time = rng.integers(1, 20, n).astype(float) + group
    event = (rng.random(n) < 0.7).astype(float)
    frame = pd.DataFrame({"time": time, "event": event, "group": group, "strata": strata})
    r = run_r(
        """
        a <- survdiff(Surv(time, event) ~ group + strata(strata), data = d); out('chi', a$chisq)
        b <- survdiff(Surv(time, event) ~ group + strata(strata), data = d, rho = 1); out('chi1', b$chisq)
        c <- survdiff(Surv(time, event) ~ group, data = d); out('chi0', c$chisq); out('exp', c$exp)
        # Trend from survdiff's O - E and variance (R has no trend option; coxph's score
        # test equals it only without tied times).
        U <- rowSums(as.matrix(a$obs)) - rowSums(as.matrix(a$exp)); sc <- 0:2
        out('trend', sum(sc * U)^2 / drop(t(sc) %*% a$var %*% sc))
        """,
        frame,
        tmp_path,
    )
    close(hv.survival.logrank_test(time, event, group=group, strata=strata).statistic, r["chi"])
    close(
        hv.survival.logrank_test(
            time, event, group=group, strata=strata, weightings="fleming-harrington", p=1, q=0
        ).statistic,
        r["chi1"],
    )
    un = hv.survival.logrank_test(time, event, group=group)
    close(un.statistic, r["chi0"])
    close(un.expected, r["exp"])
    close(hv.survival.logrank_trend_test(time, event, group=group, strata=strata).statistic, r["trend"])


def test_trend_scores_and_errors() -> None:
    t = [1, 2, 3, 4, 5, 6]
    # Labels "low" < "mid" < "high" as a Categorical: scores 0, 1, 2 in category order.
    g = pd.Categorical(["low", "low", "mid", "mid", "high", "high"], ["low", "mid", "high"])
    r = hv.survival.logrank_trend_test(t, group=g)
    assert r.scores.tolist() == [0.0, 1.0, 2.0] and r.z < 0
    r2 = hv.survival.logrank_trend_test(t, group=g, scores=[0, 1, 2])
    assert r2.statistic == r.statistic
    with pytest.raises(ValueError, match="one per group"):
        hv.survival.logrank_trend_test(t, group=g, scores=[1, 2])
    with pytest.raises(ValueError, match="all equal"):
        hv.survival.logrank_trend_test(t, group=g, scores=[1, 1, 1])


# ------------------------------------------------------------------ RMST


def _survrm2_var(time, event, tau):
    """survRM2's rmst1() variance, transcribed from its R source."""
    kmf = KaplanMeierFitter().fit(time, event)
    et = kmf.event_table[kmf.event_table["removed"] > 0]  # survfit times: observed only
    et = et[et.index <= tau]
    wk_time = np.sort(np.concatenate([et.index.to_numpy(), [tau]]))
    surv = kmf.survival_function_.loc[et.index, "KM_estimate"].to_numpy()
    n_risk, n_event = et["at_risk"].to_numpy(float), et["observed"].to_numpy(float)
    areas = np.diff(np.concatenate([[0.0], wk_time])) * np.concatenate([[1.0], surv])
    with np.errstate(divide="ignore", invalid="ignore"):
        wk_var = np.where(n_risk - n_event == 0, 0.0, n_event / (n_risk * (n_risk - n_event)))
    wk_var = np.concatenate([wk_var, [0.0]])
    return float(np.sum(np.cumsum(areas[1:][::-1]) ** 2 * wk_var[::-1][1:])), float(areas.sum())


@FAST
@given(surv_data(k_max=3), st.floats(0.1, 1.0))
def test_rmst_matches_lifelines_and_survrm2(d, frac) -> None:
    time, event, group = d
    tmax = min(time[group == g].max() for g in np.unique(group))
    if tmax <= 0:
        return
    tau = frac * tmax
    r = hv.survival.rmst(time, event, group=group, tau=tau)
    for g in np.unique(group):
        m = group == g
        kmf = KaplanMeierFitter().fit(time[m], event[m])
        if not np.any((time[m] == 0) & (event[m] == 1)):
            # lifelines starts its integral at S = 1 even with events at time 0.
            close(r.table.loc[g, "rmst"], restricted_mean_survival_time(kmf, t=tau))
        v, area = _survrm2_var(time[m], event[m], tau)
        close(r.table.loc[g, "rmst"], area)
        close(r.table.loc[g, "std_err"] ** 2, v, 1e-9, 1e-300)
    if len(r.contrasts):
        c = r.contrasts.iloc[0]
        g0, g1 = r.table.index[0], r.contrasts.index[0]
        close(c["difference"], r.table.loc[g1, "rmst"] - r.table.loc[g0, "rmst"])


@needs_r
def test_rmst_se_matches_r(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    n = 120
    time = rng.integers(1, 30, n).astype(float)
    event = (rng.random(n) < 0.6).astype(float)
    r = run_r(
        "f <- survfit(Surv(time, event) ~ 1, data = d); t <- summary(f, rmean = 17)$table;"
        " out('rmean', t['rmean']); out('se', t['se(rmean)'])",
        pd.DataFrame({"time": time, "event": event}),
        tmp_path,
    )
    ours = hv.survival.rmst(time, event, tau=17).table.iloc[0]
    close(ours["rmst"], r["rmean"])
    close(ours["std_err"], r["se"])


def test_rmst_defaults_reference_and_errors() -> None:
    t = [1, 2, 3, 4, 2, 4, 6, 8]
    e = [1, 1, 1, 0, 1, 0, 1, 0]
    g = ["a"] * 4 + ["b"] * 4
    r = hv.survival.rmst(t, e, group=g)  # τ = min(4, 8) = 4
    assert r.tau == 4.0
    assert r.table["rmst"].tolist() == [2.5, 3.5]
    rb = hv.survival.rmst(t, e, group=g, reference="b")
    assert rb.reference == "b" and float(rb.contrasts.loc["a", "difference"]) == -1.0
    close(rb.pvalue, r.pvalue, 1e-14)
    z = r.contrasts.iloc[0]["difference"] / r.contrasts.iloc[0]["difference_se"]
    close(r.statistic, z * z, 1e-12)
    with pytest.raises(ValueError, match="exceeds the largest observed time"):
        hv.survival.rmst(t, e, group=g, tau=6)
    with pytest.raises(ValueError, match="reference"):
        hv.survival.rmst(t, e, group=g, reference="z")
    assert "RmstResult(tau=4" in repr(r)


# ------------------------------------------------------------------ docs and stubs


def test_survival_doctests_run() -> None:
    import doctest

    import huisverbod.survival as mod

    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_stub_lists_native_survival_api() -> None:
    stub = (Path(__file__).resolve().parents[2] / "python" / "huisverbod" / "_core.pyi").read_text(encoding="utf-8")
    section = stub.split("# --- survival ---")[1].split("# --- end survival ---")[0]
    for name in ("km_fit", "logrank", "logrank_trend", "rmst_compare"):
        assert f"def {name}(" in section
    for name in dir(hv._core.KaplanMeierCurve):
        if not name.startswith("_"):
            assert f"def {name}(" in section, name
