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
from hypothesis import HealthCheck, assume, given, settings
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
    with warnings.catch_warnings():
        # A group without events before τ has SE 0: warned, test NaN (checked below).
        warnings.simplefilter("ignore", hv.survival.EstimabilityWarning)
        r = hv.survival.rmst(time, event, group=group, tau=tau)
    zero = r.table["std_err"] == 0
    assert list(r.table.index[zero]) == r.zero_variance_groups
    if len(r.table) > 2 and zero.any():
        assert np.isnan(r.statistic)
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
    for name in ("km_fit", "logrank", "logrank_trend", "rmst_compare", "cox", "cox_zph_test"):
        assert f"def {name}(" in section
    for cls in (hv._core.KaplanMeierCurve, hv._core.CoxFit):
        for name in dir(cls):
            if not name.startswith("_"):
                assert f"def {name}(" in section, name


# ------------------------------------------------------------------ Cox

from lifelines import CoxPHFitter  # noqa: E402
from lifelines.statistics import proportional_hazard_test  # noqa: E402
from lifelines.utils import concordance_index  # noqa: E402

TIGHT = {"precision": 1e-13, "r_precision": 1e-15, "max_steps": 200, "step_size": 0.95}


@st.composite
def cox_data(draw, tied: bool | None = None, weighted: bool | None = None, strata: bool | None = None):
    n = draw(st.integers(40, 250))
    p = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=(n, p))
    if p > 1:
        x[:, -1] = rng.integers(0, 2, n)  # a binary covariate
    beta = rng.uniform(-0.5, 0.5, p)
    t = rng.exponential(10 * np.exp(-x @ beta))
    if tied if tied is not None else draw(st.booleans()):
        t = np.ceil(t / draw(st.sampled_from([1, 2, 5])))
    e = (rng.random(n) < draw(st.floats(0.3, 1.0))).astype(float)
    e[:3] = 1.0
    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
    df["T"], df["E"] = t, e
    if weighted if weighted is not None else draw(st.booleans()):
        df["w"] = rng.uniform(0.5, 2.0, n)
    if strata if strata is not None else draw(st.booleans()):
        df["s"] = rng.integers(0, 3, n)
    return df


def _lifelines_cox(df: pd.DataFrame, **kw) -> CoxPHFitter | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Advice about non-integer weights, not a problem with the fit.
        warnings.filterwarnings("ignore", message="It appears your weights are not integers")
        try:
            return CoxPHFitter().fit(
                df,
                "T",
                "E",
                weights_col="w" if "w" in df else None,
                strata=["s"] if "s" in df else None,
                fit_options=TIGHT,
                **kw,
            )
        except Exception:  # lifelines' convergence/separation warnings: not a usable reference
            return None


def _ours_cox(df: pd.DataFrame, **kw) -> hv.survival.CoxResult | None:
    covs = [c for c in df.columns if c.startswith("x")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return hv.survival.cox(
                "T",
                "E",
                covs,
                data=df,
                weights="w" if "w" in df else None,
                strata="s" if "s" in df else None,
                **kw,
            )
        except (hv.survival.MonotoneLikelihoodWarning, hv.survival.CollinearityWarning):
            return None


COX = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COX
@given(cox_data())
def test_cox_matches_lifelines(df: pd.DataFrame) -> None:
    ref = _lifelines_cox(df)
    ours = _ours_cox(df)
    assume(ref is not None and ours is not None)  # Hypothesis fails if this filters too much
    # Relative to max(|β|, se): lifelines, even with tight fit_options, stops
    # ~1e-7 short in absolute terms (checked against our eps = 1e-15 fits), which
    # is a large relative error for a coefficient near 0.
    want = ref.params_.to_numpy()
    scale = np.maximum(np.abs(want), ref.standard_errors_.to_numpy())
    assert np.all(np.abs(ours.params.to_numpy() - want) <= 1e-6 * scale)
    close(ours.bse, ref.standard_errors_.to_numpy(), 1e-5)
    close(ours.llf, ref.log_likelihood_, 1e-9)
    close(ours.hazard_ratios, np.exp(ref.params_.to_numpy()), 1e-6)
    if "w" not in df:  # lifelines' concordance ignores weights
        close(ours.concordance, ref.concordance_index_, 1e-12)
    ci = ours.conf_int()
    lo = ref.confidence_intervals_.iloc[:, 0].to_numpy()
    assert np.all(np.abs(ci["lower"].to_numpy() - lo) <= 1e-5 * np.maximum(np.abs(lo), ref.standard_errors_.to_numpy()))


@COX
@given(cox_data(tied=False))
def test_cox_robust_and_cluster_match_lifelines_without_ties(df: pd.DataFrame) -> None:
    # lifelines' sandwich ignores tied times (documented), so compare on untied data.
    ref = _lifelines_cox(df, robust=True)
    ours = _ours_cox(df, robust=True)
    assume(ref is not None and ours is not None)  # Hypothesis fails if this filters too much
    close(ours.bse, ref.standard_errors_.to_numpy(), 1e-5)
    rng = np.random.default_rng(len(df))
    df = df.assign(cl=rng.integers(0, 15, len(df)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = CoxPHFitter().fit(
            df,
            "T",
            "E",
            weights_col="w" if "w" in df else None,
            strata=["s"] if "s" in df else None,
            cluster_col="cl",
            fit_options=TIGHT,
        )
    covs = [c for c in df.columns if c.startswith("x")]
    ours = hv.survival.cox(
        "T", "E", covs, data=df, weights="w" if "w" in df else None, strata="s" if "s" in df else None, cluster="cl"
    )
    close(ours.bse, ref.standard_errors_.to_numpy(), 1e-5)
    assert ours.n_clusters == df["cl"].nunique()


@COX
@given(cox_data(tied=False, weighted=False))
def test_cox_baseline_and_prediction_match_lifelines_without_ties(df: pd.DataFrame) -> None:
    # Compared on the cumulative-hazard scale (relative), where tail survival
    # probabilities of 1e-5 would hide nothing and amplify rounding.
    ref = _lifelines_cox(df)
    ours = _ours_cox(df)
    assume(ref is not None and ours is not None)  # Hypothesis fails if this filters too much
    covs = [c for c in df.columns if c.startswith("x")]
    kw = {}
    rows = df.iloc[:3]
    if "s" in df:
        kw["stratum"] = df["s"].iloc[0]
        rows = df[df["s"] == kw["stratum"]].iloc[:3]
    got = ours.predict_cumulative_hazard(rows[covs], **kw)
    want = ref.predict_cumulative_hazard(rows).loc[got.index]
    close(got.to_numpy(), want.to_numpy(), 1e-6, 1e-12)
    got_s = ours.predict_survival_function(rows[covs], **kw)
    close(got_s.to_numpy(), ref.predict_survival_function(rows).loc[got.index].to_numpy(), 1e-5, 1e-9)
    if "s" not in df:
        close(ours.predict_partial_hazard(rows[covs]), ref.predict_partial_hazard(rows).to_numpy(), 1e-6)


@COX
@given(cox_data(weighted=False, strata=False))
def test_zph_approximate_matches_lifelines(df: pd.DataFrame) -> None:
    ref = _lifelines_cox(df)
    ours = _ours_cox(df)
    assume(ref is not None and ours is not None)  # Hypothesis fails if this filters too much
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = proportional_hazard_test(ref, df, time_transform="km")
    got = ours.check_proportional_hazards(method="approximate")
    # atol in chi-square units: a statistic of ~1e-9 moves by 1e-13 with the
    # last digits of beta-hat, which lifelines and we converge differently.
    close(got.table["chisq"].to_numpy(), np.asarray(want.test_statistic), 1e-5, 1e-8)


@COX
@given(cox_data(weighted=False, strata=False, tied=False), st.sampled_from(["rank", "identity", "log"]))
def test_zph_transforms_match_lifelines_without_ties(df: pd.DataFrame, transform: str) -> None:
    # lifelines' "rank" numbers the events 1, 2, … in time order (cumsum of the
    # event indicator), R's averages tied ranks: they agree without tied times.
    ref = _lifelines_cox(df)
    ours = _ours_cox(df)
    assume(ref is not None and ours is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = proportional_hazard_test(ref, df, time_transform=transform)
    got = ours.check_proportional_hazards(transform=transform, method="approximate")
    close(got.table["chisq"].to_numpy(), np.asarray(want.test_statistic), 1e-5, 1e-8)


def test_concordance_matches_lifelines_function() -> None:
    rng = np.random.default_rng(5)
    n = 500
    t = rng.integers(1, 30, n).astype(float)
    e = (rng.random(n) < 0.6).astype(float)
    x = rng.integers(0, 4, n).astype(float) + 0.1 * rng.integers(0, 2, n)  # ties in the predictor
    fit = hv.survival.cox(t, e, x)
    lp = x * fit.params.iloc[0]
    close(fit.concordance, concordance_index(t, -lp, e), 1e-12)


R_COX = """
f <- coxph(Surv(T, E) ~ x0 + x1 + x2, data = d, ties = '{ties}'{extra})
out('coef', coef(f)); out('se', sqrt(diag(vcov(f)))); out('loglik', f$loglik)
out('wald', f$wald.test); out('score', f$score)
out('conc', concordance(f)$concordance)
z <- cox.zph(f, transform = '{transform}'); out('zph', z$table[, 'chisq'])
"""


@needs_r
@pytest.mark.parametrize(
    ("ties", "weighted", "strata", "robust", "transform"),
    [
        ("efron", False, False, False, "km"),
        ("breslow", False, False, False, "km"),
        ("efron", True, False, True, "rank"),
        ("efron", False, True, False, "identity"),
        ("breslow", True, True, True, "km"),
    ],
)
def test_cox_matches_r_with_ties(ties, weighted, strata, robust, transform, tmp_path: Path) -> None:
    rng = np.random.default_rng(21)
    n = 300
    x = np.column_stack([rng.normal(size=n), rng.normal(size=n), rng.integers(0, 2, n)])
    t = np.ceil(rng.exponential(8 * np.exp(-x @ [0.3, -0.2, 0.5])))
    e = (rng.random(n) < 0.7).astype(float)
    d = pd.DataFrame(x, columns=["x0", "x1", "x2"]).assign(T=t, E=e, w=rng.uniform(0.5, 2, n),
                                                            s=rng.integers(0, 3, n), cl=rng.integers(0, 25, n))
    extra = ""
    kw: dict = {}
    if weighted:
        extra += ", weights = w"
        kw["weights"] = "w"
    if strata:
        extra = extra + ""
        kw["strata"] = "s"
    if robust:
        extra += ", cluster = cl"
        kw["cluster"] = "cl"
    formula_strata = " + strata(s)" if strata else ""
    script = R_COX.replace("x0 + x1 + x2", "x0 + x1 + x2" + formula_strata).format(
        ties=ties, extra=extra, transform=transform
    )
    r = run_r(script, d, tmp_path)
    ours = hv.survival.cox("T", "E", ["x0", "x1", "x2"], data=d, ties=ties, **kw)
    close(ours.params, r["coef"], 1e-7)
    close(ours.bse, r["se"], 1e-6)
    close([ours.llnull, ours.llf], r["loglik"], 1e-10)
    close(ours.wald_test.statistic, r["wald"], 1e-6)
    close(ours.lr_test.statistic, 2 * (r["loglik"][1] - r["loglik"][0]), 1e-9)
    close(ours.score_test.statistic, r["score"], 1e-10)
    close(ours.concordance, r["conc"], 1e-10)
    zph = ours.check_proportional_hazards(transform=transform)
    close(zph.table["chisq"].to_numpy(), r["zph"], 1e-5)


@needs_r
def test_cox_counting_process_and_baseline_match_r(tmp_path: Path) -> None:
    # Andersen–Gill data: each case split at a random time into two (start, stop] rows.
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
            rows.append((0.0, cut[i], 0.0, x[i], g[i], i))
            rows.append((cut[i], stop[i], ev[i], x[i], g[i], i))
        else:
            rows.append((0.0, stop[i], ev[i], x[i], g[i], i))
    d = pd.DataFrame(rows, columns=["start", "stop", "E", "x0", "x1", "id"])
    r = run_r(
        """
        f <- coxph(Surv(start, stop, E) ~ x0 + x1, data = d, cluster = id)
        out('coef', coef(f)); out('se', sqrt(diag(vcov(f)))); out('conc', concordance(f)$concordance)
        out('zph', cox.zph(f)$table[, 'chisq'])
        sf <- survfit(f, newdata = data.frame(x0 = c(0, 1), x1 = c(0, 1)))
        out('time', sf$time); out('s0', sf$surv[, 1]); out('s1', sf$surv[, 2])
        """,
        d,
        tmp_path,
    )
    ours = hv.survival.cox("stop", "E", ["x0", "x1"], data=d, start="start", cluster="id")
    close(ours.params, r["coef"], 1e-7)
    close(ours.bse, r["se"], 1e-6)
    close(ours.concordance, r["conc"], 1e-10)
    close(ours.check_proportional_hazards().table["chisq"].to_numpy(), r["zph"], 1e-5)
    sf = ours.predict_survival_function(np.array([[0.0, 0.0], [1.0, 1.0]]))
    sf = sf.loc[r["time"]]
    close(sf[0], r["s0"], 1e-7)
    close(sf[1], r["s1"], 1e-7)


def test_cox_bad_input_and_warnings() -> None:
    t = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    e = np.array([1.0, 1, 0, 1, 1, 0, 1, 1])
    x = np.array([0.3, 1.2, -0.5, 0.8, 0.1, -1.0, 0.6, 0.0])
    with pytest.warns(hv.survival.CollinearityWarning, match="'const'"):
        fit = hv.survival.cox(t, e, pd.DataFrame({"x": x, "const": np.ones(8)}))
    assert fit.aliased["const"] and math.isnan(fit.params["const"]) and not math.isnan(fit.params["x"])
    # A group without events: the coefficient runs off to -inf. R 3.5.3 on these
    # data: "Loglik converged before variable 1; coefficient may be infinite",
    # g = -22.85 after 20 iterations.
    tt = np.arange(1.0, 41.0)
    g = np.repeat([0.0, 1.0], 20)
    z = np.random.default_rng(1).normal(size=40)
    with pytest.warns(hv.survival.MonotoneLikelihoodWarning, match="'g'"):
        fit = hv.survival.cox(tt, 1.0 - g, pd.DataFrame({"g": g, "z": z}))
    assert fit.infinite["g"] and not fit.infinite["z"] and fit.params["g"] < -15 and fit.converged
    with pytest.warns(hv.survival.ConvergenceWarning):
        fit = hv.survival.cox(t, e, x, iter_max=1, eps=1e-15)
    assert not fit.converged
    with pytest.raises(ValueError, match="no events"):
        hv.survival.cox(t, np.zeros(8), x)
    with pytest.raises(ValueError, match="start 2 and stop 2"):
        hv.survival.cox(t, e, x, start=np.array([0, 2, 0, 0, 0, 0, 0, 0.0]))
    with pytest.raises(ValueError, match="negative"):
        hv.survival.cox(-t, e, x)
    with pytest.raises(ValueError, match="events must be 0"):
        hv.survival.cox(t, e * 2, x)
    with pytest.raises(ValueError, match="missing value"):
        hv.survival.cox(t, e, np.where(x > 1, np.nan, x))
    with pytest.raises(ValueError, match="weights"):
        hv.survival.cox(t, e, x, weights=np.zeros(8))
    with pytest.raises(ValueError, match="ties"):
        hv.survival.cox(t, e, x, ties="exact")
    fit = hv.survival.cox(t, e, np.where(x > 1, np.nan, x), nan_policy="omit")
    assert fit.n == 7
    assert "censored=" in repr(fit) and "<table" in fit._repr_html_()
    assert list(fit.summary.columns[:3]) == ["coef", "exp(coef)", "se(coef)"]


# ------------------------------------------------------------------ cohort, plots, report section


@pytest.fixture(scope="module")
def rec():
    return hv.Cohort.from_csv(hv.example_data_dir()).recidivism(sources=["police"])


def test_recidivism_methods_feed_survival(rec) -> None:
    km = rec.kaplan_meier()
    assert km.groups == ["thv", "control"]
    # Against lifelines on the same per-case arrays.
    for g in km.groups:
        m = np.asarray(rec.group) == g
        kmf = KaplanMeierFitter().fit(rec.time[m], rec.event[m])
        tab = km.table_for(g)
        close(tab["survival"], kmf.survival_function_.loc[tab.index, "KM_estimate"])
    lr = rec.logrank_test()
    ref = multivariate_logrank_test(rec.time, np.asarray(rec.group, dtype=object), rec.event)
    close(lr.statistic, ref.test_statistic)
    r = rec.rmst(tau=300)
    assert r.reference == "control"
    for g in ("thv", "control"):
        m = np.asarray(rec.group) == g
        kmf = KaplanMeierFitter().fit(rec.time[m], rec.event[m])
        close(r.table.loc[g, "rmst"], restricted_mean_survival_time(kmf, t=300))


def test_report_section(rec) -> None:
    sec = hv.survival.report_section(rec, tau=300)
    by = rec.by_group()
    assert sec.groups.loc["thv", "with new (report)"] == by.loc["thv", "n_with_new"]
    close(sec.groups.loc["control", "mean days to first (report)"], by.loc["control", "mean_days_to_first"])
    # KM share with a new incident by day 180, thv: the two thv incidents (days 96, 108) of 5 cases.
    close(sec.groups.loc["thv", "% new by day 180"], 40.0, 1e-12)
    # HR against lifelines (Efron, one indicator for thv).
    df = pd.DataFrame({"T": rec.time, "E": rec.event.astype(float), "thv": (np.asarray(rec.group) == "thv") * 1.0})
    ref = CoxPHFitter().fit(df, "T", "E", fit_options=TIGHT)
    close(sec.hazard_ratios.loc["unadjusted", "HR thv vs control"], math.exp(ref.params_["thv"]), 1e-6)
    md = sec.to_markdown()
    assert md.startswith("### Time to the first new incident (police)") and "| thv |" in md
    assert "<table" in sec._repr_html_() and "Log-rank" in repr(sec)
    # Adjusted for a case characteristic, indexed by case_id; missing values are left out.
    cov = pd.DataFrame({"age": [30, 41, 25, 52, 38, 29, 47, np.nan, 33, 60]}, index=rec.case_id)
    sec2 = hv.survival.report_section(rec, covariates=cov, tau=300)
    assert sec2.hazard_ratios.loc["adjusted for 1 covariate(s)", "n"] == 9
    with pytest.raises(ValueError, match="one row per case"):
        hv.survival.report_section(rec, covariates=cov.iloc[:3])


def test_plots_render(tmp_path: Path, rec) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    km = rec.kaplan_meier()
    ax = km.plot()
    ax.figure.savefig(tmp_path / "km.png")
    ax = km.plot_cumulative_incidence(at_risk_times=[0, 100, 200, 300])
    ax.figure.savefig(tmp_path / "ci.png")
    rng = np.random.default_rng(2)
    n = 120
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.integers(0, 2, n)})
    df["T"] = np.ceil(rng.exponential(10, n))
    df["E"] = (rng.random(n) < 0.7) * 1.0
    fit = hv.survival.cox("T", "E", ["x", "g"], data=df)
    fit.plot().figure.savefig(tmp_path / "hr.png")
    fit.check_proportional_hazards().plot("x").figure.savefig(tmp_path / "zph.png")
    assert all((tmp_path / f).stat().st_size > 1000 for f in ("km.png", "ci.png", "hr.png", "zph.png"))
    plt.close("all")


def test_cox_large_tied_sample_matches_lifelines() -> None:
    # 40 000 rows on 60 distinct days: the fit sums each day's rows in parallel
    # (the path used at registry scale); strata and weights included.
    rng = np.random.default_rng(13)
    n = 40_000
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n), rng.poisson(1.0, n)]).astype(float)
    t = np.minimum(np.ceil(rng.exponential(30 * np.exp(-x @ [0.2, -0.4, 0.1]))), 60.0)
    e = ((t < 60) & (rng.random(n) < 0.8)).astype(float)
    df = pd.DataFrame(x, columns=["x0", "x1", "x2"]).assign(T=t, E=e, w=rng.uniform(0.5, 2, n),
                                                            s=rng.integers(0, 3, n))
    ref = _lifelines_cox(df)
    ours = _ours_cox(df)
    assert ref is not None and ours is not None
    scale = np.maximum(np.abs(ref.params_.to_numpy()), ref.standard_errors_.to_numpy())
    assert np.all(np.abs(ours.params.to_numpy() - ref.params_.to_numpy()) <= 1e-6 * scale)
    close(ours.bse, ref.standard_errors_.to_numpy(), 1e-5)
    close(ours.llf, ref.log_likelihood_, 1e-9)
    rows = df[df["s"] == 0].iloc[:2]
    # lifelines' baseline is Breslow's estimator at its (Efron) β̂; with ties
    # ours is Efron's (R). So evaluate our Breslow baseline at lifelines' β̂
    # (init = lifelines' coefficients, no Newton step) and compare.
    with pytest.warns(hv.survival.ConvergenceWarning):
        b = hv.survival.cox("T", "E", ["x0", "x1", "x2"], data=df, weights="w", strata="s", ties="breslow",
                            init=ref.params_.to_numpy(), iter_max=0)
    close(b.params, ref.params_.to_numpy(), 1e-15)
    got = b.predict_cumulative_hazard(rows[["x0", "x1", "x2"]], stratum=0)
    want = ref.predict_cumulative_hazard(rows).loc[got.index]
    assert got.shape == (60, 2)
    close(got.to_numpy(), want.to_numpy(), 1e-9)
    dfu = df.drop(columns=["w"])
    ref_u = _lifelines_cox(dfu)
    ours_u = _ours_cox(dfu)
    close(ours_u.concordance, ref_u.concordance_index_, 1e-12)


# ------------------------------------------------------------------ weights and delayed entry


def _lifelines_km(time, event, weights=None, entry=None) -> KaplanMeierFitter:
    from lifelines.exceptions import StatError

    with warnings.catch_warnings():  # lifelines warns about non-integer weights
        warnings.simplefilter("ignore")
        try:
            return KaplanMeierFitter().fit(time, event, weights=weights, entry=entry)
        except (StatError, ValueError):
            # lifelines refuses risk sets emptied early by late entry, and fails
            # casting a rounding-negative weighted risk set to uint64.
            assume(False)
            raise


def _greenwood(n_risk, n_event):
    """The weighted Greenwood sum Σ d/(n(n−d)) over rows with n > d (computed from the reference's table)."""
    n, d = np.asarray(n_risk, float), np.asarray(n_event, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n - d > 1e-12 * n, d / (n * (n - d)), 0.0)
    return np.cumsum(term)


def _close_survival(tab, kmf, pop) -> None:
    """S(t) against lifelines; from the first row where everyone at risk has the
    event (n − d a rounding residue of the weights, on which lifelines takes the log
    of a tiny or negative number), S must be 0."""
    t = tab.index.to_numpy()
    n = np.asarray(pop.loc[t], float)
    d = np.asarray(kmf.event_table.loc[t, "observed"], float)
    emptied = np.cumsum((d > 0) & (n - d <= 1e-9 * n)) > 0
    close(tab["survival"][~emptied], kmf.survival_function_.loc[t[~emptied], "KM_estimate"])
    assert np.all(tab["survival"][emptied] == 0.0)


@st.composite
def weighted_data(draw, entry: bool = False, whole: bool = False):
    """(time, event, group, weights, entry) with heavy ties; entry < time when asked."""
    time, event, group = draw(surv_data(k_max=3, tied=True, min_time=1.0))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = len(time)
    w = rng.integers(1, 4, n).astype(float) if whole else np.round(rng.uniform(0.05, 3.0, n), 3)
    e = np.floor(rng.uniform(0.0, 0.6, n) * time) if entry else None
    return time, event, group, w, e


@FAST
@given(weighted_data())
def test_weighted_km_matches_lifelines(d) -> None:
    time, event, group, w, _ = d
    km = hv.survival.kaplan_meier(time, event, group=group, weights=w)
    assert km.weighted
    for g in np.unique(group):
        m = group == g
        kmf = _lifelines_km(time[m], event[m], weights=w[m])
        tab = km.table_for(int(g))
        t = tab.index.to_numpy()
        et = kmf.event_table.loc[t]
        _close_survival(tab, kmf, kmf.event_table["at_risk"])
        close(tab["n_risk"], et["at_risk"])
        close(tab["n_event"], et["observed"])
        close(tab["n_censor"], et["removed"] - et["observed"], atol=1e-9)
        # lifelines truncates n to an integer in its variance (uint64 cast),
        # so the weighted Greenwood sum is checked against the formula on
        # lifelines' own weighted table (= R's survfit(robust=FALSE), see the R test).
        close(tab["var_log"], _greenwood(et["at_risk"], et["observed"]))
        assert km.summary.loc[int(g), "weighted_n"] == pytest.approx(w[m].sum(), rel=1e-12)


@FAST
@given(weighted_data(whole=True, entry=True), st.booleans())
def test_whole_weights_and_entry_match_lifelines_variance(d, use_entry) -> None:
    time, event, group, w, e = d
    e = e if use_entry else None
    kmf = _lifelines_km(time, event, weights=w, entry=e)
    # lifelines' table keeps a row per entry time; its risk set at t excludes those entering at t.
    et = kmf.event_table
    pop = et["at_risk"] - np.where(np.arange(len(et)) == 0, 0.0, et["entrance"])
    assume(np.all(pop[et["observed"] > 0] > 0))
    km = hv.survival.kaplan_meier(time, event, weights=w, entry=e)
    tab = km.table_for()
    t = tab.index.to_numpy()
    close(tab["survival"], kmf.survival_function_.loc[t, "KM_estimate"])
    close(tab["var_log"], kmf._cumulative_sq_.loc[t])
    close(tab["n_risk"], pop.loc[t])
    close(tab["lower"], kmf.confidence_interval_.iloc[:, 0].loc[t], CI_RTOL)
    close(tab["upper"], kmf.confidence_interval_.iloc[:, 1].loc[t], CI_RTOL)


@FAST
@given(weighted_data(entry=True))
def test_entry_with_fractional_weights_matches_lifelines(d) -> None:
    time, event, group, w, e = d
    km = hv.survival.kaplan_meier(time, event, group=group, weights=w, entry=e)
    assert km.delayed_entry
    for g in np.unique(group):
        m = group == g
        kmf = _lifelines_km(time[m], event[m], weights=w[m], entry=e[m])
        et = kmf.event_table
        pop = et["at_risk"] - np.where(np.arange(len(et)) == 0, 0.0, et["entrance"])
        assume(np.all(pop[et["observed"] > 0] > 1e-9))
        tab = km.table_for(int(g))
        t = tab.index.to_numpy()
        _close_survival(tab, kmf, pop)
        close(tab["n_risk"], pop.loc[t], atol=1e-9)
        close(tab["var_log"], _greenwood(pop.loc[t], et.loc[t, "observed"]))
        # The number at risk between table times: entry < day ≤ time, summed by hand.
        for day in (0.5, 2.5, float(np.median(time[m])) + 0.5):
            want = w[m][(e[m] < day) & (time[m] >= day)].sum()
            got = km.survival_at(day).loc[(int(g), day), "n_risk"]
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


@needs_r
@pytest.mark.parametrize("seed", [4, 5])
def test_weighted_entry_km_matches_r(seed: int, tmp_path: Path) -> None:
    rng = np.random.default_rng(seed)
    n = 90
    time = rng.integers(2, 16, n).astype(float)
    event = (rng.random(n) < 0.6).astype(float)
    w = np.round(rng.uniform(0.2, 2.5, n), 3)
    entry = np.floor(rng.uniform(0.0, 0.5, n) * time)
    frame = pd.DataFrame({"time": time, "event": event, "w": w, "entry": entry})
    r = run_r(
        """
        f <- survfit(Surv(time, event) ~ 1, data = d, weights = w, robust = FALSE, conf.type = 'log-log')
        out('time', f$time); out('surv', f$surv); out('se', f$std.err); out('nrisk', f$n.risk)
        out('lower', f$lower)
        g <- survfit(Surv(entry, time, event) ~ 1, data = d, weights = w, robust = FALSE)
        out('etime', g$time); out('esurv', g$surv); out('ese', g$std.err); out('enrisk', g$n.risk)
        """,
        frame,
        tmp_path,
    )
    tab = hv.survival.kaplan_meier(time, event, weights=w).table_for()
    close(tab.index, r["time"])
    close(tab["survival"], r["surv"])
    close(tab["n_risk"], r["nrisk"])
    ok = tab["survival"].to_numpy() > 0
    close(np.sqrt(tab["var_log"])[ok], r["se"][ok])
    ok &= ~np.isnan(r["lower"])
    close(tab["lower"][ok], r["lower"][ok], CI_RTOL)
    etab = hv.survival.kaplan_meier(time, event, weights=w, entry=entry).table_for()
    close(etab.index, r["etime"])
    close(etab["survival"], r["esurv"])
    close(etab["n_risk"], r["enrisk"])
    ok = etab["survival"].to_numpy() > 0
    close(np.sqrt(etab["var_log"])[ok], r["ese"][ok])


def test_weighted_km_hand_worked_and_errors() -> None:
    # Weights 2, 1, 1 at 1, 2, 3 (events): n = 4, 2, 1 → S = 1/2, 1/4, 0;
    # Greenwood 2/(4·2) = 1/4, + 1/(2·1) = 3/4.
    km = hv.survival.kaplan_meier([1, 2, 3], [1, 1, 1], weights=[2, 1, 1])
    tab = km.table_for()
    close(tab["survival"], [0.5, 0.25, 0.0], 1e-15)
    close(tab["var_log"], [0.25, 0.75, 0.75], 1e-15)
    assert tab["n_risk"].dtype == float
    assert "weighted" in km._title()
    # Unweighted tables keep integer counts.
    assert hv.survival.kaplan_meier([1, 2], [1, 0]).table_for()["n_risk"].dtype.kind == "i"
    # Column names, and nan_policy over weights and entry.
    df = pd.DataFrame({"t": [1.0, 2, 3, 4], "e": [1, 0, 1, 1], "w": [1.0, np.nan, 2, 1], "a": [0.0, 0, 1, 2]})
    km = hv.survival.kaplan_meier("t", "e", weights="w", entry="a", data=df, nan_policy="omit")
    assert km.n == 3
    with pytest.raises(ValueError, match="weights must be finite and non-negative"):
        hv.survival.kaplan_meier([1, 2], [1, 1], weights=[1, -1])
    with pytest.raises(ValueError, match="smaller than its exit time"):
        hv.survival.kaplan_meier([1, 2], [1, 1], entry=[0, 2])
    with pytest.raises(ValueError, match="weights has length"):
        hv.survival.kaplan_meier([1, 2], [1, 1], weights=[1])
    with pytest.raises(ValueError, match="NaN"):
        hv.survival.kaplan_meier([1, 2], [1, 1], weights=[1, np.nan])


@FAST
@given(weighted_data(), st.floats(0.2, 1.0))
def test_weighted_rmst_is_the_area_under_the_weighted_curve(d, frac) -> None:
    time, event, group, w, _ = d
    tau = frac * min(time[group == g].max() for g in np.unique(group))
    with warnings.catch_warnings():
        # A group without events before τ has SE 0 (warned with > 2 groups).
        warnings.simplefilter("ignore", hv.survival.EstimabilityWarning)
        r = hv.survival.rmst(time, event, group=group, tau=tau, weights=w)
    for g in np.unique(group):
        m = group == g
        kmf = _lifelines_km(time[m], event[m], weights=w[m])
        et = kmf.event_table
        assume(not np.any((et["observed"] > 0) & (et["at_risk"] - et["observed"] <= 1e-9 * et["at_risk"])
                          & (et["at_risk"] - et["observed"] != 0)))  # see _close_survival
        close(r.table.loc[g, "rmst"], restricted_mean_survival_time(kmf, t=tau))
        # Variance: Σ Aᵢ² dᵢ/(nᵢ(nᵢ − dᵢ)) on lifelines' weighted table, Aᵢ = ∫_{tᵢ}^τ S.
        et = kmf.event_table[(kmf.event_table.index <= tau) & (kmf.event_table["removed"] > 0)]
        t = et.index.to_numpy()
        s = kmf.survival_function_.loc[t, "KM_estimate"].to_numpy()
        knots = np.concatenate([t, [tau]])
        tail = np.cumsum((np.diff(knots) * s)[::-1])[::-1]
        n_, d_ = et["at_risk"].to_numpy(float), et["observed"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(n_ - d_ > 1e-12 * n_, d_ / (n_ * (n_ - d_)), 0.0)
        close(r.table.loc[g, "std_err"] ** 2, np.sum(tail**2 * term), 1e-9, 1e-300)


# ------------------------------------------------------------------ Cox: robust score test, offset, init


def _breslow_score_residuals(t, e, x, w, beta):
    """Weighted Breslow score residuals Uᵢ = wᵢ[δᵢ(xᵢ − x̄(tᵢ)) − Σ_{t ≤ tᵢ} rᵢ (xᵢ − x̄(t)) dΛ(t)], O(n²)."""
    r = np.exp(x @ beta)
    times = np.unique(t[e == 1])
    xbar = np.empty((len(times), x.shape[1]))
    dlam = np.empty(len(times))
    for k, s in enumerate(times):
        risk = t >= s
        s0 = np.sum(w[risk] * r[risk])
        xbar[k] = (w[risk] * r[risk]) @ x[risk] / s0
        dlam[k] = np.sum(w[(t == s) & (e == 1)]) / s0
    u = np.zeros_like(x)
    for i in range(len(t)):
        seen = times <= t[i]
        u[i] = -r[i] * ((x[i] - xbar[seen]) * dlam[seen, None]).sum(axis=0)
        if e[i] == 1:
            u[i] += x[i] - xbar[np.searchsorted(times, t[i])]
    return w[:, None] * u


@pytest.mark.parametrize("clustered", [False, True])
def test_robust_score_test_matches_numpy_formula(clustered: bool) -> None:
    rng = np.random.default_rng(31)
    n = 150
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    t = np.ceil(rng.exponential(6 * np.exp(-x @ [0.4, 0.6])))  # heavy ties
    e = (rng.random(n) < 0.7).astype(float)
    w = rng.uniform(0.3, 2.0, n)
    cl = rng.integers(0, 20, n)
    fit = hv.survival.cox(t, e, x, weights=w, ties="breslow", robust=True, cluster=cl if clustered else None)
    res = _breslow_score_residuals(t, e, x, w, np.zeros(2))
    u = res.sum(axis=0)
    if clustered:
        res = np.array([res[cl == c].sum(axis=0) for c in np.unique(cl)])
    want = u @ np.linalg.solve(res.T @ res, u)
    close(fit.robust_score_test.statistic, want, 1e-10)
    assert fit.robust_score_test.df == 2
    assert hv.survival.cox(t, e, x, weights=w).robust_score_test is None
    # The sandwich variance from the same residuals at β̂.
    res_hat = _breslow_score_residuals(t, e, x - x.mean(axis=0), w, fit.params.to_numpy())
    if clustered:
        res_hat = np.array([res_hat[cl == c].sum(axis=0) for c in np.unique(cl)])
    v = fit.naive_cov_params.to_numpy()
    close(fit.cov_params().to_numpy(), v @ res_hat.T @ res_hat @ v, 1e-8)


def test_offset_and_init_by_hand() -> None:
    rng = np.random.default_rng(32)
    n = 120
    x = np.column_stack([rng.normal(size=n), rng.normal(size=n)])
    t = np.ceil(rng.exponential(5 * np.exp(-x @ [0.5, -0.3])))
    e = (rng.random(n) < 0.8).astype(float)
    # An offset b·x1 with the x1 coefficient then estimated as (β₁ − b).
    full = hv.survival.cox(t, e, x, eps=1e-14)
    off = hv.survival.cox(t, e, x, offset=0.25 * x[:, 1], eps=1e-14)
    close(off.params.iloc[0], full.params.iloc[0], 1e-8)
    close(off.params.iloc[1], full.params.iloc[1] - 0.25, 1e-8)
    close(off.llf, full.llf, 1e-12)
    close(off.bse, full.bse, 1e-8)
    # Initial values: same maximum; score and LR tests at init (R's convention).
    b0 = np.array([0.2, -0.1])
    ini = hv.survival.cox(t, e, x, init=b0, eps=1e-14)
    close(ini.params, full.params, 1e-8)
    close(ini.llf, full.llf, 1e-12)
    # ℓ(b0) equals the null log-likelihood of the model with offset x·b0 and its
    # coefficients shifted by b0, whose fit starts at 0.
    with warnings.catch_warnings():  # iter_max=0: "did not converge" by design
        warnings.simplefilter("ignore")
        shifted = hv.survival.cox(t, e, x, offset=x @ b0, iter_max=0)
    close(ini.llnull, shifted.llnull, 1e-12)
    close(ini.score_test.statistic, shifted.score_test.statistic, 1e-10)
    close(ini.lr_test.statistic, 2 * (ini.llf - ini.llnull), 1e-12)
    with pytest.raises(ValueError, match="init has 1 values"):
        hv.survival.cox(t, e, x, init=[0.1])
    with pytest.raises(ValueError, match="offset"):
        hv.survival.cox(t, e, x, offset=np.r_[np.inf, np.zeros(n - 1)])


@needs_r
@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_robust_score_offset_init_match_r(ties: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(33)
    n = 250
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    t = np.ceil(rng.exponential(8 * np.exp(-x @ [0.3, 0.5])))
    d = pd.DataFrame(x, columns=["x0", "x1"]).assign(
        T=t, E=(rng.random(n) < 0.7).astype(float), w=rng.uniform(0.5, 2, n), cl=rng.integers(0, 30, n),
        o=rng.normal(scale=0.3, size=n),
    )
    r = run_r(
        f"""
        f <- coxph(Surv(T, E) ~ x0 + x1, data = d, ties = '{ties}', weights = w, cluster = cl)
        out('rscore', summary(f)$robscore['test']); out('score', f$score)
        g <- coxph(Surv(T, E) ~ x0 + x1 + offset(o), data = d, ties = '{ties}')
        out('gcoef', coef(g)); out('gse', sqrt(diag(vcov(g)))); out('gll', g$loglik); out('gscore', g$score)
        out('gconc', concordance(g)$concordance)
        h <- coxph(Surv(T, E) ~ x0 + x1, data = d, ties = '{ties}', init = c(0.2, -0.4))
        out('hcoef', coef(h)); out('hll', h$loglik); out('hscore', h$score)
        """,
        d,
        tmp_path,
    )
    f = hv.survival.cox("T", "E", ["x0", "x1"], data=d, ties=ties, weights="w", cluster="cl")
    close(f.robust_score_test.statistic, r["rscore"], 1e-9)
    close(f.score_test.statistic, r["score"], 1e-10)
    g = hv.survival.cox("T", "E", ["x0", "x1"], data=d, ties=ties, offset="o")
    close(g.params, r["gcoef"], 1e-7)
    close(g.bse, r["gse"], 1e-6)
    close([g.llnull, g.llf], r["gll"], 1e-10)
    close(g.score_test.statistic, r["gscore"], 1e-10)
    close(g.concordance, r["gconc"], 1e-10)
    h = hv.survival.cox("T", "E", ["x0", "x1"], data=d, ties=ties, init=[0.2, -0.4])
    close(h.params, r["hcoef"], 1e-7)
    close([h.llnull, h.llf], r["hll"], 1e-10)
    close(h.score_test.statistic, r["hscore"], 1e-10)


# ------------------------------------------------------------------ Cox: predicted survival with standard errors


def _predicted_cumhaz_se(t, e, x, w, beta, V, newx, ties):
    """Λ(t | x) and its SE at the distinct times, from the raw data (Efron stages or Breslow)."""
    r = np.exp(x @ beta)
    times = np.unique(t)
    lam = np.zeros(len(times))
    var0 = np.zeros(len(times))
    g = np.zeros((len(times), x.shape[1]))
    for j, s in enumerate(times):
        dead = (t == s) & (e == 1)
        nd = int(dead.sum())
        if nd == 0:
            continue
        risk = t >= s
        S0, S1 = np.sum(w[risk] * r[risk]), (w[risk] * r[risk]) @ x[risk]
        T0, T1 = np.sum(w[dead] * r[dead]), (w[dead] * r[dead]) @ x[dead]
        wd = w[dead].sum()
        stages = range(nd) if ties == "efron" else [0]
        wk = wd / len(stages)
        for k in stages:
            f = k / nd
            s0k = S0 - f * T0
            lam[j] += wk / s0k
            var0[j] += wk / s0k**2
            g[j] += wk * (S1 - f * T1) / s0k**2
    lam, var0, g = np.cumsum(lam), np.cumsum(var0), np.cumsum(g, axis=0)
    rx = np.exp(newx @ beta)
    q = g - np.outer(lam, newx)
    var = rx**2 * (var0 + np.einsum("ti,ij,tj->t", q, V, q))
    return times, rx * lam, np.sqrt(var)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("weighted", [False, True])
def test_predicted_survival_se_matches_numpy_formula(ties: str, weighted: bool) -> None:
    rng = np.random.default_rng(41)
    n = 160
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    t = np.ceil(rng.exponential(6 * np.exp(-x @ [0.3, 0.5])))  # heavy ties
    e = (rng.random(n) < 0.75).astype(float)
    w = rng.uniform(0.4, 2.0, n) if weighted else np.ones(n)
    fit = hv.survival.cox(t, e, x, weights=w if weighted else None, ties=ties, eps=1e-14)
    newx = np.array([[0.5, 1.0], [-1.0, 0.0]])
    pred = fit.predict_survival(newx, conf_type="log", confidence_level=0.9)
    z = 1.6448536269514722  # Φ⁻¹(0.95)
    for row in range(2):
        times, lam, se = _predicted_cumhaz_se(t, e, x, w, fit.params.to_numpy(), fit.cov_params().to_numpy(),
                                              newx[row], ties)
        got = pred.loc[row]
        close(got.index, times)
        close(got["cumhaz"], lam, 1e-10)
        close(got["std_err"], se, 1e-9)
        close(got["survival"], np.exp(-lam), 1e-10)
        # log interval: S·exp(∓z se), upper clipped at 1
        close(got["lower"], np.exp(-lam) * np.exp(-z * se), 1e-9)
        close(got["upper"], np.minimum(1.0, np.exp(-lam) * np.exp(z * se)), 1e-9)


@needs_r
@pytest.mark.parametrize(("ties", "conf_type"), [("efron", "log"), ("breslow", "log-log"), ("efron", "plain")])
def test_predicted_survival_se_matches_r(ties: str, conf_type: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(42)
    n = 220
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    t = np.ceil(rng.exponential(8 * np.exp(-x @ [0.3, 0.5])))
    d = pd.DataFrame(x, columns=["x0", "x1"]).assign(
        T=t, E=(rng.random(n) < 0.7).astype(float), w=rng.uniform(0.5, 2, n), s=rng.integers(0, 2, n)
    )
    r = run_r(
        f"""
        f <- coxph(Surv(T, E) ~ x0 + x1 + strata(s), data = d, ties = '{ties}', weights = w)
        sf <- survfit(f, newdata = data.frame(x0 = 0.7, x1 = 1), conf.type = '{conf_type}', conf.int = 0.9)
        k <- sf$strata[1]
        out('time', sf$time[1:k]); out('surv', sf$surv[1:k]); out('se', sf$std.err[1:k])
        out('lower', sf$lower[1:k]); out('upper', sf$upper[1:k])
        """,
        d,
        tmp_path,
    )
    # R's coxph makes the robust variance the default with non-integer weights
    # (f$var; f$naive.var is I⁻¹), and survfit uses f$var.
    fit = hv.survival.cox("T", "E", ["x0", "x1"], data=d, ties=ties, weights="w", strata="s", robust=True)
    got = fit.predict_survival(pd.DataFrame({"x0": [0.7], "x1": [1.0]}), stratum=0, conf_type=conf_type,
                               confidence_level=0.9).loc[0]
    close(got.index, r["time"])
    close(got["survival"], r["surv"], 1e-7)
    close(got["std_err"], r["se"], 1e-6)
    ok = ~np.isnan(r["lower"])
    close(got["lower"][ok], r["lower"][ok], 1e-6)
    close(got["upper"][ok], r["upper"][ok], 1e-6)


# ------------------------------------------------------------------ Cox: standard error of the concordance


def _somers_d(t, e, eta, w, strata):
    """Weighted Somers' d by brute force over pairs: i an event, j still at risk
    after tᵢ (or censored at tᵢ), same stratum; tied event times are not pairs."""
    num = den = 0.0
    for i in np.flatnonzero(e == 1):
        j = (strata == strata[i]) & ((t > t[i]) | ((t == t[i]) & (e == 0)))
        ww = w[i] * w[j]
        num += np.sum(ww * np.sign(eta[i] - eta[j]))
        den += np.sum(ww)
    return num / den


def test_concordance_se_is_the_infinitesimal_jackknife() -> None:
    # R's concordance() variance: Σ (wᵢ ∂d/∂wᵢ)² / 4, with d Somers' d.
    # Here ∂d/∂wᵢ by central differences of the brute-force d.
    rng = np.random.default_rng(51)
    n = 70
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 3, n)])
    t = np.ceil(rng.exponential(5 * np.exp(-x @ [0.4, 0.3])))
    e = (rng.random(n) < 0.7).astype(float)
    w = rng.uniform(0.5, 2.0, n)
    s = rng.integers(0, 2, n)
    fit = hv.survival.cox(t, e, x, weights=w, strata=s)
    eta = x @ fit.params.to_numpy()
    h = 1e-6
    dfbeta = np.empty(n)
    for i in range(n):
        up, down = w.copy(), w.copy()
        up[i] += h
        down[i] -= h
        dfbeta[i] = w[i] * (_somers_d(t, e, eta, up, s) - _somers_d(t, e, eta, down, s)) / (2 * h)
    close(fit.concordance, (_somers_d(t, e, eta, w, s) + 1) / 2, 1e-12)
    close(fit.concordance_std_err, np.sqrt(np.sum(dfbeta**2) / 4), 1e-6)
    # Clusters: the dfbeta are summed per cluster first.
    cl = rng.integers(0, 12, n)
    fitc = hv.survival.cox(t, e, x, weights=w, strata=s, cluster=cl)
    sums = np.array([dfbeta[cl == c].sum() for c in np.unique(cl)])
    close(fitc.concordance_std_err, np.sqrt(np.sum(sums**2) / 4), 1e-6)


@needs_r
def test_concordance_se_matches_r(tmp_path: Path) -> None:
    rng = np.random.default_rng(52)
    n = 300
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
    stop = np.ceil(rng.exponential(8 * np.exp(-x @ [0.3, 0.5])))
    cut = np.floor(stop * rng.uniform(0.0, 0.9, n))
    start = np.where(cut < stop, cut, 0.0)
    d = pd.DataFrame(x, columns=["x0", "x1"]).assign(
        T=stop, S=start, E=(rng.random(n) < 0.7).astype(float), w=rng.uniform(0.5, 2, n),
        s=rng.integers(0, 3, n), cl=rng.integers(0, 40, n),
    )
    r = run_r(
        """
        a <- concordance(coxph(Surv(T, E) ~ x0 + x1, data = d))
        b <- concordance(coxph(Surv(T, E) ~ x0 + x1 + strata(s), data = d, weights = w))
        c <- concordance(coxph(Surv(S, T, E) ~ x0 + x1, data = d, cluster = cl))
        out('a', c(a$concordance, sqrt(a$var))); out('b', c(b$concordance, sqrt(b$var)))
        out('c', c(c$concordance, sqrt(c$var)))
        """,
        d,
        tmp_path,
    )
    fits = {
        "a": hv.survival.cox("T", "E", ["x0", "x1"], data=d),
        "b": hv.survival.cox("T", "E", ["x0", "x1"], data=d, strata="s", weights="w"),
        "c": hv.survival.cox("T", "E", ["x0", "x1"], data=d, start="S", cluster="cl"),
    }
    for k, f in fits.items():
        close([f.concordance, f.concordance_std_err], r[k], 1e-9)
