"""hv.causal.match and hv.causal.aipw against independent computations.

References, all computed live here and never copied from huisverbod:
- matching: pairs worked out by hand (comments), a brute-force O(n²)
  greedy matcher written in this file, and R's MatchIt (when Rscript with
  MatchIt is installed; skipped otherwise);
- the pair-cluster SE: ``scipy.stats.ttest_rel`` on the matched pairs;
- the Abadie–Imbens SE: the formula of AI (2006, Thm 7) written out here;
- SMDs: numpy;
- AIPW: the three models fitted with statsmodels ``Logit`` and the AIPW
  formula and its influence-function SE evaluated in numpy.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

import huisverbod as hv
from huisverbod.causal import MatchingWarning, PositivityWarning

sm = pytest.importorskip("statsmodels.api")


def expit(x):
    return special.expit(np.asarray(x, dtype=float))


# ------------------------------------------------------------------ hand-worked matching


def test_hand_worked_greedy_caliper_ratio_replacement():
    # Distances (logit PS), treated: u0 = 0.50, u1 = 0.55, u2 = 2.00;
    # controls: u3 = 0.52, u4 = 0.60, u5 = 0.40, u6 = 1.00. Caliper 0.3 (raw).
    # Largest first:
    #   u2 (2.00): nearest control u6 (1.00), |Δ| = 1.00 > 0.3 → unmatched.
    #   u1 (0.55): left u3 (Δ .03), right u4 (Δ .05) → u3.
    #   u0 (0.50): left u5 (Δ .10), right u4 (Δ .10; u3 is used) → tie → left → u5.
    d = np.array([0.5, 0.55, 2.0, 0.52, 0.60, 0.40, 1.0])
    t = np.array([1, 1, 1, 0, 0, 0, 0])
    with pytest.warns(MatchingWarning, match="1 of 3 treated units"):
        m = hv.causal.match(t, distance=d, caliper=0.3, caliper_scale="raw")
    assert m.pairs[["treated", "control"]].values.tolist() == [[1, 3], [0, 5]]
    assert (m.n_treated_matched, m.n_unmatched, m.n_control_matched) == (2, 1, 2)
    # 2:1 without caliper, in rounds. Round 0: u2 → u6, u1 → u3, u0 → u5.
    # Round 1: u2 → u4 (the only control left); u1 and u0 get none.
    with pytest.warns(MatchingWarning, match="fewer than 2 controls"):
        m = hv.causal.match(t, distance=d, ratio=2, caliper=None)
    assert m.pairs[["treated", "control", "round"]].values.tolist() == [[2, 6, 0], [1, 3, 0], [0, 5, 0], [2, 4, 1]]
    # ATT weights: treated 1; u4 and u6 serve u2 (two controls) → ½ each.
    assert m.weights.tolist() == [1, 1, 1, 1, 0.5, 1, 0.5]
    # With replacement, 1:1: u0 → u3 (Δ .02 < .10), u1 → u3 (Δ .03 < .05), u2 → u6.
    m = hv.causal.match(t, distance=d, replace=True, caliper=None)
    assert m.pairs[["treated", "control"]].values.tolist() == [[0, 3], [1, 3], [2, 6]]
    assert m.weights.tolist() == [1, 1, 1, 2, 0, 0, 1]


def test_exact_strata_hand_worked():
    # u0 (stratum a, 0.50) and u1 (stratum b, 0.50) treated; u2 (b, 0.51), u3 (a, 0.90).
    # Without strata u0 (first in data order among the tie) would take u2;
    # with exact matching on s, u0 → u3 and u1 → u2.
    df = pd.DataFrame({"t": [1, 1, 0, 0], "d": [0.5, 0.5, 0.51, 0.9], "s": ["a", "b", "b", "a"]})
    m = hv.causal.match("t", distance="d", data=df, caliper=None)
    assert m.pairs[["treated", "control"]].values.tolist() == [[0, 2], [1, 3]]
    m = hv.causal.match("t", distance="d", data=df, exact="s", caliper=None)
    assert sorted(m.pairs[["treated", "control"]].values.tolist()) == [[0, 3], [1, 2]]


# ------------------------------------------------------------------ brute force


def brute_force(d, treated, ratio=1, caliper=None, replace=False, strata=None, order="largest"):
    """Greedy NN by scanning every control for every treated unit (O(n²)).

    Without ties in d, MatchIt's left/right rule is: smallest |Δ|, and on
    equal |Δ| the control with the smaller distance."""
    n = len(d)
    tr = [i for i in range(n) if treated[i]]
    if not replace:
        if order == "largest":
            tr.sort(key=lambda i: (-d[i], i))
        elif order == "smallest":
            tr.sort(key=lambda i: (d[i], i))
    ctrl = [i for i in range(n) if not treated[i]]
    used = set()
    out = []
    if replace:
        for i in tr:
            cands = [c for c in ctrl if strata is None or strata[c] == strata[i]]
            cands.sort(key=lambda c: (abs(d[c] - d[i]), d[c], c))
            for r, c in enumerate(cands[:ratio]):
                if caliper is not None and abs(d[c] - d[i]) > caliper:
                    break
                out.append((i, c, r))
        return out
    done = set()
    for r in range(ratio):
        for i in tr:
            if i in done:
                continue
            best = None
            for c in ctrl:
                if c in used or (strata is not None and strata[c] != strata[i]):
                    continue
                key = (abs(d[c] - d[i]), d[c], c)
                if best is None or key < best[0]:
                    best = (key, c)
            if best is None or (caliper is not None and best[0][0] > caliper):
                done.add(i)
                continue
            used.add(best[1])
            out.append((i, best[1], r))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "ratio,replace,caliper,exact,order",
    [
        (1, False, 0.2, False, "largest"),
        (1, False, None, False, "smallest"),
        (3, False, 0.2, False, "data"),
        (2, False, 0.1, True, "largest"),
        (1, True, 0.2, False, "largest"),
        (3, True, None, True, "largest"),
    ],
)
def test_brute_force_greedy(seed, ratio, replace, caliper, exact, order):
    rng = np.random.default_rng(seed)
    n = 600
    x = rng.normal(size=n)
    treated = rng.random(n) < expit(-1.2 + 1.2 * x)
    d = -1.2 + 1.2 * x + rng.normal(scale=0.3, size=n)
    strata = rng.integers(0, 3, size=n) if exact else None
    width = None if caliper is None else caliper * np.std(d, ddof=1)
    expected = brute_force(list(d), list(treated), ratio, width, replace, None if strata is None else list(strata), order)
    df = pd.DataFrame({"t": treated, "ps": expit(d), "s": strata if exact else 0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        m = hv.causal.match("t", "ps", data=df, ratio=ratio, replace=replace, caliper=caliper,
                            exact="s" if exact else None, order=order)
    got = [tuple(r) for r in m.pairs[["treated", "control", "round"]].to_numpy().tolist()]
    assert sorted(got) == sorted(expected)
    if not replace:
        assert got == expected  # the same order of matches, too


# ------------------------------------------------------------------ MatchIt


def _matchit_version() -> tuple[int, ...] | None:
    if shutil.which("Rscript") is None:
        return None
    r = subprocess.run(
        ["Rscript", "-e", "cat(as.character(packageVersion('MatchIt')))"], capture_output=True, text=True, timeout=120
    )
    if r.returncode != 0:
        return None
    return tuple(int(v) for v in r.stdout.strip().split(".")[:3])


MATCHIT = _matchit_version()


@pytest.mark.skipif(MATCHIT is None, reason="needs Rscript with MatchIt")
@pytest.mark.parametrize(
    "ratio,replace,caliper,exact",
    [
        (1, False, None, False),
        (2, False, None, False),
        (1, False, None, True),
        (1, True, None, False),
        (3, True, None, True),
        (1, False, 0.2, False),
        (2, False, 0.2, True),
        (1, True, 0.1, False),
    ],
)
def test_matchit_same_matched_sets(tmp_path, ratio, replace, caliper, exact):
    # MatchIt is given the |Δ logit PS| matrix (its general nn_matchC path; the
    # vector fast path of MatchIt 4.5.1-4.5.3, Debian's version, skips available
    # controls and mis-applies calipers: kosukeimai/MatchIt#163). With a matrix
    # MatchIt visits treated units in data order, so the rows are put in our
    # "largest first" order; the caliper is given in logit units (std.caliper=FALSE).
    rng = np.random.default_rng(7)
    n = 400
    df = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.integers(0, 2, size=n), "s": rng.integers(0, 2, size=n)})
    df["t"] = (rng.random(n) < expit(-0.8 + 0.9 * df.x1 + 0.7 * df.x2)).astype(int)
    ps = hv.logit("t ~ x1 + x2", data=df).fittedvalues.to_numpy()
    df["lp"] = np.log(ps) - np.log1p(-ps)
    df["id"] = np.arange(n)
    tr = df[df.t == 1].sort_values("lp", ascending=False, kind="stable")
    r_df = pd.concat([tr, df[df.t == 0]])
    csv = tmp_path / "d.csv"
    out = tmp_path / "mm.csv"
    r_df.to_csv(csv, index=False, float_format="%.17g")
    width = None if caliper is None else caliper * df.lp.std(ddof=1)
    cal = "NULL" if width is None else repr(float(width))
    ex = "~ s" if exact else "NULL"
    script = f"""
    suppressMessages(library(MatchIt))
    d <- read.csv("{csv}")
    dm <- abs(outer(d$lp[d$t == 1], d$lp[d$t == 0], "-"))
    m <- suppressWarnings(matchit(t ~ x1 + x2, data = d, method = "nearest", distance = dm,
                 ratio = {ratio}, replace = {'TRUE' if replace else 'FALSE'}, caliper = {cal},
                 std.caliper = FALSE, exact = {ex}))
    mm <- m$match.matrix
    rows <- as.integer(rownames(mm))
    out <- do.call(rbind, lapply(seq_len(ncol(mm)), function(j) {{
      ok <- !is.na(mm[, j])
      data.frame(treated = d$id[rows[ok]], control = d$id[as.integer(mm[ok, j])], round = j - 1L)
    }}))
    write.csv(out, "{out}", row.names = FALSE)
    """
    r = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    ref = pd.read_csv(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        m = hv.causal.match("t", ps, data=df, ratio=ratio, replace=replace, caliper=caliper, exact="s" if exact else None)
    ours = m.pairs[["treated", "control", "round"]]
    assert len(ours) == len(ref)
    if replace:
        # With replacement a unit's k controls are its k nearest: compare the sets per unit.
        a = ours.groupby("treated")["control"].apply(frozenset).to_dict()
        b = ref.groupby("treated")["control"].apply(frozenset).to_dict()
        assert a == b
    else:
        assert sorted(map(tuple, ours.values.tolist())) == sorted(map(tuple, ref.values.tolist()))


# ------------------------------------------------------------------ effects and SEs


def _matched_data(seed, n=800):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    t = rng.random(n) < expit(-1.0 + x)
    y = (rng.random(n) < expit(-0.5 + 0.8 * x - 0.5 * t)).astype(float)
    d = -1.0 + x + rng.normal(scale=0.2, size=n)
    return pd.DataFrame({"t": t, "ps": expit(d), "y": y, "x": x}), d


def test_pair_cluster_se_is_paired_t_test():
    df, d = _matched_data(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        m = hv.causal.match("t", "ps", data=df, outcome="y")
    p = m.pairs
    yt = df.y.to_numpy()[p.treated.to_numpy()]
    yc = df.y.to_numpy()[p.control.to_numpy()]
    tt = stats.ttest_rel(yt, yc)
    diff = np.mean(yt - yc)
    assert m.estimate == pytest.approx(diff, abs=1e-14)
    assert m.se == pytest.approx(diff / tt.statistic, rel=1e-12)
    # The weighted control mean is the mean of the matched controls.
    w = m.weights.to_numpy()
    ctrl = ~df.t.to_numpy()
    assert m.mean_control == pytest.approx((w[ctrl] * df.y.to_numpy()[ctrl]).sum() / (w * df.t.to_numpy()).sum(), abs=1e-13)
    ci = m.confidence_interval(0.9)
    assert ci.high - ci.low == pytest.approx(2 * stats.norm.ppf(0.95) * m.se, rel=1e-12)


def test_pair_cluster_se_k_to_1():
    # k:1: the matched-set difference is y_t minus the mean of its controls.
    df, d = _matched_data(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        m = hv.causal.match("t", "ps", data=df, outcome="y", ratio=2, caliper=0.5)
    y = df.y.to_numpy()
    sets = m.pairs.groupby("treated")["control"].apply(lambda c: y[c.to_numpy()].mean())
    diffs = y[sets.index.to_numpy()] - sets.to_numpy()
    assert m.estimate == pytest.approx(diffs.mean(), abs=1e-14)
    assert m.se == pytest.approx(stats.sem(diffs), rel=1e-12)


def abadie_imbens_se(d, t, y, pairs, J):
    """AI (2006) Thm 7 for the ATT, written out: treated term plus the controls'
    K(K−1)/M² term generalised to weights; σ²_j from the J nearest other controls
    (by |Δ|, ties to the smaller distance) by brute force."""
    ctrl = np.flatnonzero(~t)
    k = pairs.groupby("treated")["control"].size()
    dsets = {}
    for tr_, grp in pairs.groupby("treated"):
        dsets[tr_] = y[tr_] - y[grp.control.to_numpy()].mean()
    dv = np.array(list(dsets.values()))
    tau = dv.mean()
    w = {}
    inv_k2 = {}
    for tr_, c in pairs[["treated", "control"]].to_numpy():
        w[c] = w.get(c, 0.0) + 1.0 / k[tr_]
        inv_k2[c] = inv_k2.get(c, 0.0) + 1.0 / k[tr_] ** 2
    extra = 0.0
    for c, wc in w.items():
        others = [o for o in ctrl if o != c]
        others.sort(key=lambda o: (abs(d[o] - d[c]), d[o], o))
        near = others[:J]
        s2 = J / (J + 1) * (y[c] - y[near].mean()) ** 2
        extra += (wc**2 - inv_k2[c]) * s2
    n1 = len(dv)
    return tau, np.sqrt(((dv - tau) ** 2).sum() + extra) / n1


@pytest.mark.parametrize("ratio,J", [(1, 1), (1, 2), (3, 2)])
def test_abadie_imbens_se(ratio, J):
    df, d = _matched_data(11, n=500)
    y = df.y.to_numpy() + np.random.default_rng(1).normal(size=len(df))  # a continuous outcome too
    df["y2"] = y
    m = hv.causal.match("t", "ps", data=df, outcome="y2", replace=True, ratio=ratio, caliper=None, variance_neighbours=J)
    tau, se = abadie_imbens_se(np.log(df.ps / (1 - df.ps)).to_numpy(), df.t.to_numpy(), y, m.pairs, J)
    assert m.estimate == pytest.approx(tau, abs=1e-13)
    assert m.se == pytest.approx(se, rel=1e-11)
    assert m.variance == "abadie_imbens"


def test_balance_table_smd():
    rng = np.random.default_rng(4)
    n = 500
    df = pd.DataFrame({"age": rng.normal(40, 10, n), "threat": rng.integers(0, 2, n)})
    df["t"] = (rng.random(n) < expit(-2 + 0.04 * df.age + 0.8 * df.threat)).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        m = hv.causal.match("t", data=df, covariates=["age", "threat"])
        m2 = hv.causal.match(formula="t ~ age + threat", data=df)
    tr = df.t.to_numpy() == 1
    w = m.weights.to_numpy()
    tab = m.balance.table
    for v in ["age", "threat"]:
        x = df[v].to_numpy(dtype=float)
        if v == "threat":  # binary: s² = p(1 − p) (cobalt)
            v1, v0 = x[tr].mean() * (1 - x[tr].mean()), x[~tr].mean() * (1 - x[~tr].mean())
        else:
            v1, v0 = x[tr].var(ddof=1), x[~tr].var(ddof=1)
        sd = np.sqrt((v1 + v0) / 2)
        before = (x[tr].mean() - x[~tr].mean()) / sd
        after = (np.average(x[tr], weights=w[tr]) - np.average(x[~tr], weights=w[~tr])) / sd
        assert tab.loc[v, "smd"] == pytest.approx(before, rel=1e-12)
        assert tab.loc[v, "smd_adj"] == pytest.approx(after, rel=1e-10, abs=1e-14)
        assert tab.loc[v, "smd_treated"] == pytest.approx((x[tr].mean() - x[~tr].mean()) / np.sqrt(v1), rel=1e-12)
    assert m2.pairs.equals(m.pairs)
    # The propensity scores come from hv.logit = statsmodels Logit.
    ref = sm.Logit(df.t, sm.add_constant(df[["age", "threat"]])).fit(disp=0)
    np.testing.assert_allclose(m.distance.to_numpy(), ref.fittedvalues.to_numpy(), rtol=1e-8, atol=1e-10)
    assert tab["smd_adj"].abs().max() < tab["smd"].abs().max()
    assert m.balance.weighted and m.balance.max_abs_smd == tab["smd_adj"].abs().max()


def test_bad_input_messages():
    t = np.array([1, 1, 0, 0])
    with pytest.raises(ValueError, match="no treated unit found a control within the caliper"):
        hv.causal.match(t, [0.9, 0.8, 0.1, 0.2], caliper=0.01)
    with pytest.raises(ValueError, match="strictly between 0 and 1.*row 2"):
        hv.causal.match(t, [0.9, 0.8, 0.0, 0.2])
    with pytest.raises(ValueError, match="treated and control"):
        hv.causal.match(np.ones(4), [0.9, 0.8, 0.1, 0.2])
    with pytest.raises(ValueError, match="0/1"):
        hv.causal.match(np.array([1, 2, 0, 0]), [0.9, 0.8, 0.1, 0.2])
    with pytest.raises(ValueError, match="ps= \\(or distance=\\), or covariates="):
        hv.causal.match(t)
    with pytest.raises(ValueError, match="caliper_scale"):
        hv.causal.match(t, [0.9, 0.8, 0.1, 0.2], caliper_scale="weird")
    # Why units go unmatched: u2 (0.02) takes the only near control u3 (0.0);
    # u0 and u1 have it within the caliper but lost it; u4 (5.0) is out of reach.
    with pytest.warns(MatchingWarning, match="2 of 3 treated units .* 0 have no control within .* 2 lost the controls"):
        hv.causal.match(np.array([1, 1, 1, 0, 0]), distance=[0.0, 0.01, 0.02, 0.0, 5.0], caliper=0.1, caliper_scale="raw")
    with pytest.warns(MatchingWarning, match="they have no control within the caliper"):
        hv.causal.match(np.array([1, 1, 0]), distance=[0.0, 3.0, 0.05], caliper=0.1, caliper_scale="raw")
    # rows without an outcome are left out before matching: u1's NaN outcome frees u3 for u0
    m = hv.causal.match(np.array([1, 1, 0, 0]), distance=[0.0, 0.01, 0.02, 5.0], outcome=[1.0, np.nan, 0.0, 0.0],
                        caliper=None)
    assert m.pairs[["treated", "control"]].values.tolist() == [[0, 2]]
    assert list(m.weights.index) == [0, 2, 3] and m.estimate == 1.0
    # the cohort's group column: thv is treated
    g = pd.Series(["thv", "thv", "control", "control"])
    m = hv.causal.match(g, [0.6, 0.4, 0.55, 0.45], caliper=None)
    assert m.n_treated == 2 and m.n_treated_matched == 2


# ------------------------------------------------------------------ AIPW


def _aipw_data(seed, n=3000):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age": rng.normal(38, 11, n).round(),
            "threat": rng.integers(0, 2, n),
            "edu": rng.choice(["low", "middle", "high"], n),
        }
    )
    lin = -3 + 0.05 * df.age + 0.9 * df.threat + 0.4 * (df.edu == "low")
    df["t"] = (rng.random(n) < expit(lin)).astype(int)
    df["y"] = (rng.random(n) < expit(-1 + 0.02 * df.age + 0.5 * df.threat - 0.6 * df.t)).astype(int)
    return df


def aipw_reference(df, rhs):
    """Three statsmodels Logit fits and the AIPW formula in numpy."""
    import statsmodels.formula.api as smf

    e = smf.logit(f"t ~ {rhs}", data=df).fit(disp=0, tol=1e-12, maxiter=200).predict(df)
    m1 = smf.logit(f"y ~ {rhs}", data=df[df.t == 1]).fit(disp=0, tol=1e-12, maxiter=200).predict(df)
    m0 = smf.logit(f"y ~ {rhs}", data=df[df.t == 0]).fit(disp=0, tol=1e-12, maxiter=200).predict(df)
    t, y = df.t.to_numpy(float), df.y.to_numpy(float)
    e, m1, m0 = np.asarray(e), np.asarray(m1), np.asarray(m0)
    psi = m1 + t * (y - m1) / e - (m0 + (1 - t) * (y - m0) / (1 - e))
    tau = psi.mean()
    return tau, np.sqrt(((psi - tau) ** 2).sum()) / len(psi), e


def test_aipw_matches_statsmodels_by_hand():
    df = _aipw_data(1)
    rhs = "age + threat + C(edu)"
    r = hv.causal.aipw("y", "t", rhs, df, n_bootstrap=0)
    tau, se, e = aipw_reference(df, rhs)
    assert r.estimate == pytest.approx(tau, abs=1e-9)
    assert r.se == pytest.approx(se, rel=1e-7)
    np.testing.assert_allclose(r.ps.to_numpy(), e, rtol=1e-7)
    # the same with a list of columns and with an array
    r2 = hv.causal.aipw(df.y, df.t, df[["age", "threat"]].to_numpy(), n_bootstrap=0)
    tau2, se2, _ = aipw_reference(df, "age + threat")
    assert r2.estimate == pytest.approx(tau2, abs=1e-9)
    assert r2.se == pytest.approx(se2, rel=1e-7)
    ci = r.confidence_interval(0.9)
    assert ci.low == pytest.approx(tau - stats.norm.ppf(0.95) * se, abs=1e-8)
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(tau / se)), rel=1e-6)


def test_aipw_bootstrap_seeded_and_thread_independent():
    df = _aipw_data(2, n=2000)
    df["age10"] = (df.age // 10).clip(1, 6)
    kw = dict(n_bootstrap=300, seed=5)
    a = hv.causal.aipw("y", "t", "C(age10) + threat + C(edu)", df, threads=1, **kw)
    b = hv.causal.aipw("y", "t", "C(age10) + threat + C(edu)", df, threads=2, **kw)
    np.testing.assert_array_equal(a.bootstrap.distribution, b.bootstrap.distribution)
    assert a.bootstrap.n_failed == 0
    assert a.bootstrap.n_patterns <= 6 * 2 * 3 * 2 * 2
    # The percentile interval and SE are those of the distribution (numpy).
    dist = a.bootstrap.distribution
    assert a.bootstrap.se == pytest.approx(dist.std(ddof=1), rel=1e-12)
    assert a.bootstrap.confidence_interval.low == pytest.approx(np.percentile(dist, 2.5), rel=1e-12)
    # The influence-function SE agrees with the bootstrap SE (statistical check, loose).
    assert a.se == pytest.approx(a.bootstrap.se, rel=0.2)
    # A different seed gives different replicates.
    c = hv.causal.aipw("y", "t", "C(age10) + threat + C(edu)", df, n_bootstrap=20, seed=6)
    assert not np.array_equal(c.bootstrap.distribution, dist[:20])
    # Replicate i does not depend on the number of replicates.
    # (a different seed draws other resamples: most replicates differ from seed 5's)
    assert (c.bootstrap.distribution != dist[:20]).mean() > 0.5
    d20 = hv.causal.aipw("y", "t", "C(age10) + threat + C(edu)", df, n_bootstrap=20, seed=5)
    np.testing.assert_array_equal(d20.bootstrap.distribution, dist[:20])


def test_aipw_bootstrap_spread_matches_statsmodels_refits():
    # The bootstrap's spread against statsmodels refits on numpy row resamples
    # (different random draws, so a loose statistical comparison; the exactness of
    # the pattern compression is tested in Rust: compression_is_exact).
    df = _aipw_data(3, n=1500)
    df["age10"] = (df.age // 10).clip(2, 5)
    r = hv.causal.aipw("y", "t", "C(age10) + threat", df, n_bootstrap=50, seed=2)
    dist = r.bootstrap.distribution
    assert np.isfinite(dist).all()
    rng = np.random.default_rng(0)
    ref = []
    for _ in range(50):
        s = df.iloc[rng.integers(0, len(df), len(df))].reset_index(drop=True)
        ref.append(aipw_reference(s, "C(age10) + threat")[0])
    assert np.std(dist, ddof=1) == pytest.approx(np.std(ref, ddof=1), rel=0.5)


def test_aipw_warnings_and_errors():
    df = _aipw_data(4, n=800)
    df["strong"] = df.t * 3.5 + np.random.default_rng(0).normal(size=len(df))
    with pytest.warns(PositivityWarning, match="outside \\[0.01, 0.99\\]"):
        hv.causal.aipw("y", "t", ["strong"], df, n_bootstrap=0)
    with pytest.raises(ValueError, match="0/1"):
        hv.causal.aipw(df.age, df.t, df[["threat"]].to_numpy(), n_bootstrap=0)
    with pytest.raises(ValueError, match="treated and control"):
        hv.causal.aipw(df.y, np.ones(len(df)), df[["threat"]].to_numpy(), n_bootstrap=0)
    with pytest.raises(ValueError, match="n_bootstrap"):
        hv.causal.aipw("y", "t", ["age"], df, n_bootstrap=-1)


@pytest.mark.parametrize("module", ["huisverbod.causal", "huisverbod.causal._match", "huisverbod.causal._aipw"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
