"""hv.stats means family against scipy, live.

t-tests, Levene and Mann–Whitney are compared with scipy.stats on
randomized inputs (Hypothesis) at rel 1e-10 (abs 1e-300 for p-values);
intervals at rel 1e-9. Cohen's d and Hedges' g are recomputed here with
numpy and math.lgamma; their exact intervals by scipy.stats.nct +
scipy.optimize.brentq written in this file. No expected value is copied from
our own output.
"""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import huisverbod as hv
import huisverbod.stats._means as means_module

REL = 1e-10
P_ABS = 1e-300
CI_REL = 1e-9
ALTS = ["two-sided", "less", "greater"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scipy_quiet(f, *args, **kwargs):
    """Call a scipy reference, ignoring its warnings (precision loss, small samples)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def approx_p(ref: float):
    return pytest.approx(ref, rel=REL, abs=P_ABS, nan_ok=True)


def assert_limit(ours: float, ref: float, estimate: float, se: float) -> None:
    """Interval limits at rel 1e-9. A limit near 0 is `estimate + q·se` with
    cancellation (in scipy as in ours), so the floor is 1e-12 of the terms."""
    if math.isinf(ref):
        assert ours == ref
        return
    assert ours == pytest.approx(ref, rel=CI_REL, abs=1e-12 * (abs(estimate) + abs(se)))


@st.composite
def two_samples(draw, min_size: int = 2, max_size: int = 60, discrete: bool | None = None):
    """Two well-conditioned samples: normal draws (seeded) or Likert-like integers (ties)."""
    n1 = draw(st.integers(min_size, max_size))
    n2 = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if discrete is None:
        discrete = draw(st.booleans())
    if discrete:
        k = draw(st.integers(2, 10))
        a = rng.integers(0, k, n1).astype(float)
        b = rng.integers(0, k, n2).astype(float) + draw(st.sampled_from([0.0, 1.0, 3.0]))
    else:
        loc = draw(st.floats(-5, 5))
        scale_a = draw(st.floats(0.1, 10))
        scale_b = draw(st.floats(0.1, 10))
        shift = draw(st.floats(-5, 5))
        a = rng.normal(loc, scale_a, n1)
        b = rng.normal(loc + shift, scale_b, n2)
    return a, b


def nonconstant(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.ptp(a) > 0 or np.ptp(b) > 0)


# ---------------------------------------------------------------- t-tests


@SETTINGS
@given(two_samples(), st.booleans(), st.sampled_from(ALTS), st.floats(0.5, 0.999))
def test_ttest_ind_matches_scipy(ab, equal_var, alternative, level):
    a, b = ab
    assume(nonconstant(a, b))
    ref = scipy_quiet(stats.ttest_ind, a, b, equal_var=equal_var, alternative=alternative)
    res = hv.stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=REL)
    assert res.pvalue == approx_p(ref.pvalue)
    assert res.df == pytest.approx(ref.df, rel=REL)
    assert res.estimate == pytest.approx(np.mean(a) - np.mean(b), rel=REL, abs=1e-13)
    for cl in (0.95, level):
        lo_ref, hi_ref = scipy_quiet(ref.confidence_interval, cl)
        lo, hi = res.confidence_interval(cl)
        assert_limit(lo, lo_ref, res.estimate, res.standard_error)
        assert_limit(hi, hi_ref, res.estimate, res.standard_error)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.0, 400.0),
    st.integers(2, 5000),
    st.integers(2, 5000),
    st.booleans(),
    st.sampled_from(ALTS),
)
def test_t_pvalues_in_the_extreme_tails(t, n1, n2, equal_var, alternative):
    """t up to 400 with any df: p-values down to 1e-300 and below, from sf."""
    se = math.sqrt(1.0 / n1 + 1.0 / n2)
    diff = t * se
    ref = scipy_quiet(stats.ttest_ind_from_stats, diff, 1.0, n1, 0.0, 1.0, n2, equal_var=equal_var,
                      alternative=alternative)
    res = hv.stats.ttest_from_stats(diff, 1.0, n1, 0.0, 1.0, n2, equal_var=equal_var, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=REL, abs=1e-300)
    assert res.pvalue == approx_p(ref.pvalue)


@pytest.mark.parametrize("t, n", [(40.0, 3), (45.0, 4), (40.0, 30), (100.0, 100), (200.0, 60), (30.0, 50_000)])
def test_named_extreme_tails(t, n):
    # e.g. t = 40 with df = 4: p ≈ 2e-6; t = 100 with df = 198: p ≈ 1e-171.
    diff = t * math.sqrt(2.0 / n)
    ref = stats.ttest_ind_from_stats(diff, 1.0, n, 0.0, 1.0, n, alternative="greater")
    res = hv.stats.ttest_from_stats(diff, 1.0, n, 0.0, 1.0, n, alternative="greater")
    assert ref.pvalue > 0
    assert res.pvalue == approx_p(ref.pvalue)


def test_tiny_t_keeps_its_digits():
    # t²/df < 1e-15: statrs' sf would say exactly 1/2.
    for t in (1e-7, 3e-9, 1e-12):
        diff = t * math.sqrt(2.0 / 50)
        ref = stats.ttest_ind_from_stats(diff, 1.0, 50, 0.0, 1.0, 50, alternative="greater")
        res = hv.stats.ttest_from_stats(diff, 1.0, 50, 0.0, 1.0, 50, alternative="greater")
        assert ref.pvalue < 0.5
        assert res.pvalue == approx_p(ref.pvalue)


@SETTINGS
@given(
    st.floats(-100, 100), st.floats(0.01, 50), st.integers(1, 3000),
    st.floats(-100, 100), st.floats(0.01, 50), st.integers(1, 3000),
    st.booleans(), st.sampled_from(ALTS),
)
def test_ttest_from_stats_matches_scipy(m1, s1, n1, m2, s2, n2, equal_var, alternative):
    assume(n1 + n2 > 2)
    assume(equal_var or (n1 > 1 and n2 > 1))
    ref = scipy_quiet(stats.ttest_ind_from_stats, m1, s1, n1, m2, s2, n2, equal_var=equal_var,
                      alternative=alternative)
    res = hv.stats.ttest_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal_var, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=REL, abs=1e-300)
    assert res.pvalue == approx_p(ref.pvalue)
    # df and the interval (scipy's from_stats result has neither): formulas
    # written here, quantiles from scipy.stats.t.ppf.
    if equal_var:
        df = n1 + n2 - 2.0
        v1 = 0.0 if n1 == 1 else s1**2
        v2 = 0.0 if n2 == 1 else s2**2
        se = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df * (1 / n1 + 1 / n2))
    else:
        vn1, vn2 = s1**2 / n1, s2**2 / n2
        df = (vn1 + vn2) ** 2 / (vn1**2 / (n1 - 1) + vn2**2 / (n2 - 1))
        se = math.sqrt(vn1 + vn2)
    assert res.df == pytest.approx(df, rel=REL)
    est = m1 - m2
    if alternative == "two-sided":
        lo_ref, hi_ref = est + se * stats.t.ppf(0.025, df), est + se * stats.t.ppf(0.975, df)
    elif alternative == "less":
        lo_ref, hi_ref = -math.inf, est + se * stats.t.ppf(0.95, df)
    else:
        lo_ref, hi_ref = est + se * stats.t.ppf(0.05, df), math.inf
    lo, hi = res.confidence_interval(0.95 if alternative == "two-sided" else 0.95)
    assert_limit(lo, lo_ref, est, se)
    assert_limit(hi, hi_ref, est, se)


@SETTINGS
@given(two_samples(), st.booleans())
def test_ttest_from_stats_equals_ttest_ind(ab, equal_var):
    a, b = ab
    assume(nonconstant(a, b))
    x = hv.stats.ttest_ind(a, b, equal_var=equal_var)
    y = hv.stats.ttest_from_stats(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b),
                                  equal_var=equal_var)
    assert y.statistic == pytest.approx(x.statistic, rel=1e-9)
    assert y.pvalue == pytest.approx(x.pvalue, rel=1e-9, abs=1e-300)


def test_ttest_degenerate_inputs_follow_scipy():
    # Two points in all: df = 0, NaN (scipy also warns).
    r = hv.stats.ttest_ind([1.0], [2.0])
    assert math.isnan(r.statistic) and math.isnan(r.pvalue) and r.df == 0.0
    # A group of one adds no variance to the pooled test.
    ref = stats.ttest_ind([1.0], [2.0, 3.0, 5.0])
    r = hv.stats.ttest_ind([1.0], [2.0, 3.0, 5.0])
    assert r.statistic == pytest.approx(ref.statistic, rel=REL)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=REL)
    # Two constant groups: t = -inf, p = 0 (Welch df = 1 as scipy).
    for eq in (True, False):
        ref = scipy_quiet(stats.ttest_ind, [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], equal_var=eq)
        r = hv.stats.ttest_ind([1.0, 1.0, 1.0], [2.0, 2.0, 2.0], equal_var=eq)
        assert r.statistic == ref.statistic == -math.inf
        assert r.pvalue == ref.pvalue == 0.0
        assert r.df == ref.df
    r = hv.stats.ttest_ind([1.0, 1.0], [1.0, 1.0])
    assert math.isnan(r.statistic) and math.isnan(r.pvalue)
    # Documented deviation: Welch with a group of one is NaN throughout (scipy: df = 1).
    r = hv.stats.ttest_ind([1.0], [2.0, 3.0, 5.0], equal_var=False)
    assert math.isnan(r.statistic) and math.isnan(r.pvalue) and math.isnan(r.df)
    r = hv.stats.ttest_from_stats(1.0, 0.0, 1, 2.0, 1.0, 10, equal_var=False)
    assert math.isnan(r.pvalue) and math.isnan(r.df)
    # Both sds zero from stats: as scipy.
    ref = stats.ttest_ind_from_stats(1, 0, 5, 2, 0, 10)
    r = hv.stats.ttest_from_stats(1, 0, 5, 2, 0, 10)
    assert (r.statistic, r.pvalue) == (ref.statistic, ref.pvalue)
    # NaN summary statistics propagate.
    assert math.isnan(hv.stats.ttest_from_stats(math.nan, 1, 5, 2, 1, 5).pvalue)


@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_nan_policy(equal_var):
    a = np.array([1.0, 2.0, np.nan, 4.0, 7.0])
    b = np.array([2.0, 5.0, 6.0, np.nan])
    r = hv.stats.ttest_ind(a, b, equal_var=equal_var)
    assert math.isnan(r.statistic) and math.isnan(r.pvalue)
    assert math.isnan(r.confidence_interval().low)
    ref = stats.ttest_ind(a, b, equal_var=equal_var, nan_policy="omit")
    r = hv.stats.ttest_ind(a, b, equal_var=equal_var, nan_policy="omit")
    assert r.statistic == pytest.approx(ref.statistic, rel=REL)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=REL)
    with pytest.raises(ValueError, match="contains NaN"):
        hv.stats.ttest_ind(a, b, nan_policy="raise")


def test_ttest_errors():
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.ttest_ind([], [1.0, 2.0])
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.ttest_ind([np.nan], [1.0, 2.0], nan_policy="omit")
    with pytest.raises(ValueError, match="infinite"):
        hv.stats.ttest_ind([1.0, np.inf], [1.0, 2.0])
    with pytest.raises(ValueError, match="alternative"):
        hv.stats.ttest_ind([1.0, 2.0], [1.0, 2.0], alternative="bigger")
    with pytest.raises(ValueError, match="nan_policy"):
        hv.stats.ttest_ind([1.0, 2.0], [1.0, 2.0], nan_policy="ignore")
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.ttest_ind([1.0, 2.0], [1.0, 3.0]).confidence_interval(1.5)
    with pytest.raises(ValueError, match="n1 must be a whole number"):
        hv.stats.ttest_from_stats(1, 1, 0, 2, 1, 5)
    with pytest.raises(ValueError, match="n2 must be a whole number"):
        hv.stats.ttest_from_stats(1, 1, 5, 2, 1, 10.5)
    with pytest.raises(TypeError, match="whole number"):
        hv.stats.ttest_from_stats(1, 1, True, 2, 1, 10)
    with pytest.raises(ValueError, match="'sd'.*non-negative"):
        hv.stats.ttest_from_stats(1, -1, 5, 2, 1, 10)
    with pytest.raises(ValueError, match="'mean'.*finite"):
        hv.stats.ttest_from_stats(math.inf, 1, 5, 2, 1, 10)
    # n given as a float that is whole (as published tables are read) is fine.
    assert hv.stats.ttest_from_stats(1, 1, 105.0, 2, 1, 104.0).df == 207.0


# ---------------------------------------------------------------- Levene


@st.composite
def k_samples(draw):
    k = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    discrete = draw(st.booleans())
    out = []
    for _ in range(k):
        n = draw(st.integers(2, 40))
        if discrete:
            out.append(rng.integers(0, draw(st.integers(2, 8)), n).astype(float))
        else:
            out.append(rng.normal(draw(st.floats(-5, 5)), draw(st.floats(0.1, 10)), n))
    return out


@SETTINGS
@given(k_samples(), st.sampled_from(["mean", "median"]))
def test_levene_matches_scipy(samples, center):
    ref = scipy_quiet(stats.levene, *samples, center=center)
    res = hv.stats.levene(*samples, center=center)
    k, n = len(samples), sum(len(s) for s in samples)
    assert res.df == (k - 1, n - k)
    if not math.isfinite(ref.statistic):
        # No spread within groups: inf (p = 0) or NaN, as scipy.
        assert res.statistic == ref.statistic or (math.isnan(res.statistic) and math.isnan(ref.statistic))
        return
    # Groups of two around their mean have |x − x̄| equal in exact arithmetic:
    # the within-group sum is rounding noise and F (ours and scipy's) is ~1e30
    # of noise. Not comparable.
    assume(ref.statistic < 1e10)
    assert res.statistic == pytest.approx(ref.statistic, rel=REL, abs=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=REL, abs=1e-14)


def test_levene_default_is_spss_mean_centred():
    a, b = [1.0, 2.0, 6.0, 9.0], [0.0, 4.0, 4.5]
    assert hv.stats.levene(a, b).statistic == pytest.approx(stats.levene(a, b, center="mean").statistic, rel=REL)
    assert hv.stats.levene(a, b).center == "mean"


def test_levene_extreme_tail():
    rng = np.random.default_rng(5)
    a = rng.normal(0, 1, 400)
    b = rng.normal(0, 30, 400)
    ref = stats.levene(a, b, center="mean")
    res = hv.stats.levene(a, b)
    assert ref.pvalue < 1e-100
    assert res.pvalue == approx_p(ref.pvalue)


def test_levene_errors_and_nan():
    with pytest.raises(ValueError, match="at least two samples"):
        hv.stats.levene([1.0, 2.0])
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.levene([1.0, 2.0], [])
    with pytest.raises(ValueError, match="center"):
        hv.stats.levene([1.0, 2.0], [1.0, 3.0], center="trimmed")
    assert math.isnan(hv.stats.levene([1.0, np.nan], [1.0, 3.0]).pvalue)
    ref = stats.levene([1.0, 5.0, 2.0, np.nan], [1.0, 3.0, 9.0], center="mean", nan_policy="omit")
    res = hv.stats.levene([1.0, 5.0, 2.0, np.nan], [1.0, 3.0, 9.0], nan_policy="omit")
    assert res.statistic == pytest.approx(ref.statistic, rel=REL)


# ---------------------------------------------------------------- compare_means


@settings(max_examples=60, deadline=None)
@given(two_samples(), st.sampled_from(ALTS), st.floats(0.8, 0.99))
def test_compare_means_spss_table(ab, alternative, level):
    a, b = ab
    assume(nonconstant(a, b))
    c = hv.stats.compare_means(a, b, alternative=alternative, confidence_level=level, labels=("thv", "control"))
    lev = scipy_quiet(stats.levene, a, b, center="mean")
    if math.isfinite(lev.statistic) and lev.statistic < 1e10:  # see test_levene_matches_scipy
        assert c.levene.statistic == pytest.approx(lev.statistic, rel=REL, abs=1e-12)
        assert c.levene.pvalue == pytest.approx(lev.pvalue, rel=REL, abs=1e-14)
    table = c.summary()
    assert table.attrs["confidence_level"] == level
    for row, eq, res in (("Equal variances assumed", True, c.pooled), ("Equal variances not assumed", False, c.welch)):
        ref = scipy_quiet(stats.ttest_ind, a, b, equal_var=eq, alternative=alternative)
        assert res.statistic == pytest.approx(ref.statistic, rel=REL)
        assert res.pvalue == approx_p(ref.pvalue)
        lo_ref, hi_ref = scipy_quiet(ref.confidence_interval, level)
        t = table.loc[row]
        assert t[("t-test for Equality of Means", "t")] == res.statistic
        assert_limit(t[("Confidence Interval of the Difference", "Lower")], lo_ref, res.estimate, res.standard_error)
        assert_limit(t[("Confidence Interval of the Difference", "Upper")], hi_ref, res.estimate, res.standard_error)
        assert t[("t-test for Equality of Means", "Std. Error Difference")] == pytest.approx(
            ref._standard_error, rel=REL)
    g = c.groups
    assert g.loc["thv", "N"] == len(a) and g.loc["control", "N"] == len(b)
    assert g.loc["thv", "Mean"] == pytest.approx(np.mean(a), rel=REL, abs=1e-13)
    assert g.loc["control", "Std. Deviation"] == pytest.approx(np.std(b, ddof=1), rel=REL)
    assert g.loc["control", "Std. Error Mean"] == pytest.approx(np.std(b, ddof=1) / math.sqrt(len(b)), rel=REL)


def test_compare_means_layout_and_display():
    c = hv.stats.compare_means([1.0, 2.0, 3.0, 4.0, 9.0], [2.0, 4.0, 6.0, 8.0], labels=("thv", "control"))
    table = c.summary()
    assert list(table.index) == ["Equal variances assumed", "Equal variances not assumed"]
    assert ("t-test for Equality of Means", "Sig. (2-tailed)") in table.columns
    assert math.isnan(table.iloc[1][("Levene's Test for Equality of Variances", "F")])
    assert "Independent Samples Test" in c._repr_html_()
    assert "Group Statistics" in c._repr_html_()
    assert "pooled t=" in repr(c)
    d = c.to_dict()
    assert d["labels"] == ["thv", "control"] and len(d["pooled"]["ci"]) == 2
    one = hv.stats.compare_means([1.0, 2.0, 3.0], [2.0, 4.0, 7.0], alternative="less")
    assert ("t-test for Equality of Means", "Sig. (1-tailed, less)") in one.summary().columns
    assert one.pooled.confidence_interval(0.9).low == -math.inf
    nan = hv.stats.compare_means([1.0, np.nan, 3.0], [2.0, 4.0, 7.0])
    assert math.isnan(nan.pooled.pvalue) and math.isnan(nan.summary().iloc[0, 0])
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.compare_means([1.0, 2.0], [1.0, 3.0], confidence_level=0.0)


# ---------------------------------------------------------------- Mann–Whitney


@st.composite
def mwu_samples(draw):
    n1 = draw(st.integers(1, 25))
    n2 = draw(st.integers(1, 25))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        k = draw(st.integers(1, 8))
        x = rng.integers(0, k, n1).astype(float)
        y = rng.integers(0, k, n2).astype(float) + draw(st.sampled_from([0.0, 0.5, 1.0]))
    else:
        x = rng.normal(0, 1, n1)
        y = rng.normal(draw(st.floats(-3, 3)), 1, n2)
    return x, y


@settings(max_examples=200, deadline=None)
@given(mwu_samples(), st.sampled_from(ALTS), st.sampled_from(["auto", "exact", "asymptotic"]), st.booleans())
def test_mannwhitneyu_matches_scipy(xy, alternative, method, cc):
    x, y = xy
    ref = scipy_quiet(stats.mannwhitneyu, x, y, use_continuity=cc, alternative=alternative, method=method)
    res = hv.stats.mannwhitneyu(x, y, alternative=alternative, method=method, use_continuity=cc)
    assert res.statistic == ref.statistic
    assert res.u1 + res.u2 == len(x) * len(y)
    assert res.pvalue == approx_p(ref.pvalue)


def test_mannwhitneyu_auto_rule():
    rng = np.random.default_rng(7)
    # Both > 8: asymptotic; one ≤ 8 without ties: exact; ties: asymptotic.
    assert hv.stats.mannwhitneyu(rng.normal(size=9), rng.normal(size=9)).method_used == "asymptotic"
    assert hv.stats.mannwhitneyu(rng.normal(size=8), rng.normal(size=300)).method_used == "exact"
    assert hv.stats.mannwhitneyu([1.0, 2.0, 2.0], [3.0, 4.0]).method_used == "asymptotic"


def exact_counts(m: int, n: int, kmax: int) -> list[int]:
    """Number of arrangements with U = u, u ≤ kmax, by the two-sample
    recursion f(m, n) = q^n·f(m−1, n) + f(m, n−1) in Python integers."""
    # row[j] holds f(i, j) for the current i.
    prev = [[1] + [0] * kmax for _ in range(n + 1)]  # i = 0: U = 0
    for _i in range(1, m + 1):
        cur = [[1] + [0] * kmax]  # j = 0: U = 0
        for j in range(1, n + 1):
            shifted = [0] * min(j, kmax + 1) + prev[j][: max(kmax + 1 - j, 0)]
            cur.append([a + b for a, b in zip(shifted, cur[j - 1])])
        prev = cur
    return prev[n]


@pytest.mark.parametrize("n1, n2", [(30, 30), (8, 400), (3, 2000), (50, 12), (64, 60)])
def test_exact_distribution_against_integer_counts(n1, n2):
    """Sizes beyond scipy's exact float counts: the exact p-value in Python integers."""
    rng = np.random.default_rng(n1 * 1000 + n2)
    x = rng.normal(0.6, 1, n1)
    y = rng.normal(0.0, 1, n2)
    res = hv.stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
    m, n = min(n1, n2), max(n1, n2)
    u = int(max(res.u1, res.u2))
    kc = m * n - u
    counts = exact_counts(m, n, kc)
    total = math.comb(m + n, m)
    p = min(1.0, 2 * sum(counts) / total)
    assert res.pvalue == pytest.approx(p, rel=1e-12)
    # A far tail: x above all of y but one.
    x = np.arange(n1) + n2 + 0.5
    y = np.arange(n2).astype(float)
    y[0] = n2 + n1 + 1.0
    res = hv.stats.mannwhitneyu(x, y, alternative="greater", method="exact")
    counts = exact_counts(m, n, m * n - int(res.u1))
    assert res.pvalue == pytest.approx(sum(counts) / total, rel=1e-12)


def gaussian_binomial_counts(m: int, n: int, kmax: int) -> list[int]:
    """Coefficients of Π (1 − q^(n+i))/(1 − q^i), i = 1..m, up to q^kmax, in Python integers."""
    c = [1] + [0] * kmax
    for i in range(1, m + 1):
        for u in range(kmax, n + i - 1, -1):
            c[u] -= c[u - n - i]
        for u in range(i, kmax + 1):
            c[u] += c[u - i]
    return c


def test_exact_auto_with_a_huge_second_sample():
    """Auto picks the exact method for n1 = 8 however large n2; C(200008, 8) > 2^127,
    so the core counts in floating point there. Checked against integers."""
    n2 = 200_000
    y = np.arange(n2, dtype=float)
    total = math.comb(n2 + 8, 8)
    # Far tail: U2 = 3 (the smallest x has 3 y above it); P(U ≤ 3) = p(0)+…+p(3) = 1+1+2+3 partitions.
    x = np.array([n2 - 3.5] + [n2 + 0.5 + i for i in range(7)])
    res = hv.stats.mannwhitneyu(x, y, alternative="greater")
    assert res.method_used == "exact" and res.u2 == 3
    assert res.pvalue == pytest.approx(7 / total, rel=1e-12)
    # Moderate tail: K = n1·n2 − U1 = 99 996.
    x = 187_496.5 + np.arange(8.0)
    res = hv.stats.mannwhitneyu(x, y, alternative="greater")
    k = int(8 * n2 - res.u1)
    assert k == 99_996
    counts = gaussian_binomial_counts(8, n2, k)
    assert res.pvalue == pytest.approx(sum(counts) / total, rel=1e-11)


def test_mannwhitneyu_extreme_tail():
    n = 900
    x = np.arange(n, dtype=float) + n
    y = np.arange(n, dtype=float)
    ref = stats.mannwhitneyu(x, y, alternative="greater")
    res = hv.stats.mannwhitneyu(x, y, alternative="greater")
    assert 0 < ref.pvalue < 1e-250
    assert res.pvalue == approx_p(ref.pvalue)


def test_mannwhitneyu_degenerate_and_errors():
    ref = stats.mannwhitneyu([1.0] * 10, [1.0] * 10)
    res = hv.stats.mannwhitneyu([1.0] * 10, [1.0] * 10)
    assert (res.statistic, res.pvalue) == (ref.statistic, ref.pvalue) == (50.0, 1.0)
    res = hv.stats.mannwhitneyu([1.0] * 10, [1.0] * 10, use_continuity=False)
    assert math.isnan(res.pvalue)
    assert math.isnan(hv.stats.mannwhitneyu([1.0, np.nan], [2.0, 3.0]).pvalue)
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.mannwhitneyu([], [2.0, 3.0])
    with pytest.raises(ValueError, match="method='asymptotic'"):
        hv.stats.mannwhitneyu(np.arange(70.0), np.arange(70.0) + 0.5, method="exact")
    with pytest.raises(ValueError, match="method"):
        hv.stats.mannwhitneyu([1.0], [2.0], method="permutation")


# ---------------------------------------------------------------- effect sizes


def reference_d(a: np.ndarray, b: np.ndarray) -> float:
    n1, n2 = len(a), len(b)
    sp = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    return float((np.mean(a) - np.mean(b)) / sp)


def reference_j(m: int) -> float:
    return math.exp(math.lgamma(m / 2) - math.lgamma((m - 1) / 2) - 0.5 * math.log(m / 2))


def nct_interval(t: float, df: float, level: float) -> tuple[float, float]:
    """The noncentrality interval by scipy.stats.nct and scipy.optimize.brentq.

    scipy's nct.cdf returns NaN where the tail underflows; the complement of
    nct.sf stands in there (only while bracketing)."""
    alpha = 1 - level

    def cdf(nc: float) -> float:
        v = stats.nct.cdf(t, df, nc)
        return float(1.0 - stats.nct.sf(t, df, nc)) if math.isnan(v) else float(v)

    width = 10 * math.sqrt(1 + t * t / (2 * df)) + 2
    lo = optimize.brentq(lambda nc: stats.nct.sf(t, df, nc) - alpha / 2, t - width, t + width, xtol=1e-15,
                         rtol=8.9e-16, maxiter=500)
    hi = optimize.brentq(lambda nc: cdf(nc) - alpha / 2, t - width, t + width, xtol=1e-15, rtol=8.9e-16, maxiter=500)
    return lo, hi


@settings(max_examples=60, deadline=None)
@given(two_samples(max_size=80, discrete=False), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_cohens_d_and_hedges_g(ab, level):
    a, b = ab
    n1, n2 = len(a), len(b)
    m = n1 + n2 - 2
    d_ref = reference_d(a, b)
    s = math.sqrt(n1 * n2 / (n1 + n2))
    lo, hi = nct_interval(d_ref * s, m, level)
    d = hv.stats.cohens_d(a, b, confidence_level=level)
    assert d.estimate == pytest.approx(d_ref, rel=REL)
    assert d.confidence_interval() == pytest.approx((lo / s, hi / s), rel=CI_REL, abs=1e-12)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    se = math.sqrt((n1 + n2) / (n1 * n2) + d_ref**2 / (2 * (n1 + n2)))
    assert d.confidence_interval(method="normal") == pytest.approx((d_ref - z * se, d_ref + z * se), rel=CI_REL)
    g = hv.stats.hedges_g(a, b, confidence_level=level)
    j = reference_j(m)
    g_ref = j * d_ref
    assert g.correction == pytest.approx(j, rel=1e-12)
    assert g.estimate == pytest.approx(g_ref, rel=REL)
    assert g.confidence_interval() == pytest.approx((j * lo / s, j * hi / s), rel=CI_REL, abs=1e-12)
    se_g = math.sqrt((n1 + n2) / (n1 * n2) + g_ref**2 / (2 * (n1 + n2)))
    assert g.confidence_interval(method="normal") == pytest.approx((g_ref - z * se_g, g_ref + z * se_g), rel=CI_REL)


@pytest.mark.parametrize("n1, n2, shift", [(2, 2, 3.0), (3, 2, -1.0), (5, 200, 2.5), (300, 400, 0.2), (1000, 900, 4.0)])
def test_effect_size_intervals_at_the_edges(n1, n2, shift):
    rng = np.random.default_rng(n1 + n2)
    a = rng.normal(shift, 1, n1)
    b = rng.normal(0, 1, n2)
    d_ref = reference_d(a, b)
    s = math.sqrt(n1 * n2 / (n1 + n2))
    for level in (0.9, 0.999):
        lo, hi = nct_interval(d_ref * s, n1 + n2 - 2, level)
        d = hv.stats.cohens_d(a, b, confidence_level=level)
        assert d.confidence_interval() == pytest.approx((lo / s, hi / s), rel=CI_REL, abs=1e-12)


def test_hedges_correction_exact_not_approximate():
    # m = 10: exact J = 0.92274560..., the approximation 1 − 3/39 = 0.92307692.
    a = np.arange(6.0)
    b = np.arange(6.0) + 1.5
    g = hv.stats.hedges_g(a, b)
    assert g.correction == pytest.approx(reference_j(10), rel=1e-14)
    assert abs(g.correction - (1 - 3 / 39)) > 3e-4


def test_effect_size_errors_and_nan():
    with pytest.raises(ValueError, match="pooled sd is 0"):
        hv.stats.cohens_d([1.0, 1.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="at least 3 observations"):
        hv.stats.cohens_d([1.0], [2.0])
    with pytest.raises(ValueError, match="at least 4 observations"):
        hv.stats.hedges_g([1.0, 2.0], [2.0])
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.cohens_d([], [2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.cohens_d([1.0, 2.0], [2.0, 4.0], confidence_level=1.0)
    with pytest.raises(ValueError, match="method"):
        hv.stats.cohens_d([1.0, 2.0], [2.0, 4.0]).confidence_interval(method="bootstrap")
    r = hv.stats.hedges_g([1.0, np.nan, 3.0], [2.0, 4.0])
    assert math.isnan(r.estimate) and math.isnan(r.confidence_interval().low)
    r = hv.stats.cohens_d([1.0, np.nan, 3.0], [2.0, 4.0, 5.0], nan_policy="omit")
    assert r.estimate == pytest.approx(reference_d(np.array([1.0, 3.0]), np.array([2.0, 4.0, 5.0])), rel=REL)
    assert "cohens_d=" in repr(r) and "Cohen&#x27;s d" in r._repr_html_()
    assert r.to_dict()["n1"] == 2


# ---------------------------------------------------------------- docs


def test_docstring_examples_run():
    result = doctest.testmod(means_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_exports():
    for name in ("ttest_ind", "ttest_from_stats", "levene", "compare_means", "mannwhitneyu", "cohens_d",
                 "hedges_g"):
        assert name in hv.stats.__all__
        assert callable(getattr(hv.stats, name))
