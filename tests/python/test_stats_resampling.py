"""hv.stats.permutation_test and hv.stats.bootstrap against scipy.stats, live.

What can be compared exactly is compared exactly:

- exact permutation tests (all relabellings enumerated) against
  ``scipy.stats.permutation_test(..., permutation_type="independent")``:
  same null distribution, same p-value;
- bootstrap intervals given a bootstrap distribution: our
  ``bootstrap_distribution`` is handed to ``scipy.stats.bootstrap`` as
  ``bootstrap_result`` with ``n_resamples=0``, so scipy computes its
  percentile/basic/BCa interval (its own jackknife, its own z0) from the
  same resamples.

Monte Carlo results depend on the random streams, which differ from numpy's:
they are compared with the exact p-value (or scipy's Monte Carlo interval)
within Monte Carlo error, and checked to be identical across thread counts.
"""

from __future__ import annotations

import doctest
import json
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import huisverbod as hv

ALTS = ["two-sided", "less", "greater"]
REL = 1e-10
CI_REL = 1e-12


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


# The named statistics written for scipy with the same arithmetic as the Rust
# core, so that ties between resampled statistics and the observed one (which
# matter for BCa's z0) are ties in both: sums are sequential (np.cumsum; the
# core adds left to right, numpy's np.sum adds pairwise from 8 values on),
# ratios come from integer counts.
def _seqsum(x, axis):
    return np.take(np.cumsum(x, axis=axis), -1, axis=axis)


def _counts(x, axis):
    return _seqsum(x, axis), float(x.shape[axis])


def _seqmean(x, axis):
    return _seqsum(x, axis) / x.shape[axis]


def st_mean(x, axis=-1):
    return _seqmean(x, axis)


def seq_mean_diff(x, y, axis=-1):
    return _seqmean(x, axis) - _seqmean(y, axis)


def st_median(x, axis=-1):
    return np.median(x, axis=axis)


def st_proportion(x, axis=-1):
    c, n = _counts(x, axis)
    return c / n


def st_proportion_difference(x, y, axis=-1):
    (cx, nx), (cy, ny) = _counts(x, axis), _counts(y, axis)
    return cx / nx - cy / ny


def st_risk_ratio(x, y, axis=-1):
    (cx, nx), (cy, ny) = _counts(x, axis), _counts(y, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (cx * ny) / (nx * cy)


def st_odds_ratio(x, y, axis=-1):
    (cx, nx), (cy, ny) = _counts(x, axis), _counts(y, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (cx * (ny - cy)) / ((nx - cx) * cy)


def st_cohens_d(x, y, axis=-1):
    mx = np.expand_dims(_seqmean(x, axis), axis)
    my = np.expand_dims(_seqmean(y, axis), axis)
    ssx = _seqsum((x - mx) ** 2, axis)
    ssy = _seqsum((y - my) ** 2, axis)
    df = x.shape[axis] + y.shape[axis] - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.squeeze(mx, axis) - np.squeeze(my, axis)) / np.sqrt((ssx + ssy) / df)


def st_median_difference(x, y, axis=-1):
    return np.median(x, axis=axis) - np.median(y, axis=axis)


SCIPY_STAT = {
    "mean": st_mean,
    "median": st_median,
    "proportion": st_proportion,
    "mean_difference": seq_mean_diff,
    "proportion_difference": st_proportion_difference,
    "risk_ratio": st_risk_ratio,
    "odds_ratio": st_odds_ratio,
    "cohens_d": st_cohens_d,
    "median_difference": st_median_difference,
}
ONE_SAMPLE = ["mean", "median", "proportion"]
BINARY = ["proportion", "proportion_difference", "risk_ratio", "odds_ratio"]


def scipy_exact(x, y, alternative):
    return stats.permutation_test(
        (x, y),
        mean_diff,
        permutation_type="independent",
        vectorized=True,
        n_resamples=math.inf,
        alternative=alternative,
    )


# ------------------------------------------------------------------ strategies

small_ints = st.lists(st.integers(-3, 3), min_size=2, max_size=7)
small_floats = st.lists(
    st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False), min_size=2, max_size=7
)
binary = st.lists(st.integers(0, 1), min_size=2, max_size=7)


# ------------------------------------------------------------------ permutation: exact


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(st.tuples(small_ints, small_ints), st.tuples(small_floats, small_floats)),
    alternative=st.sampled_from(ALTS),
)
def test_exact_permutation_matches_scipy(data, alternative):
    x, y = (np.asarray(v, dtype=float) for v in data)
    ours = hv.stats.permutation_test(x, y, alternative=alternative, return_null=True)
    ref = scipy_exact(x, y, alternative)
    assert ours.exact
    assert ours.n_resamples == math.comb(len(x) + len(y), len(x)) == len(ref.null_distribution)
    assert ours.statistic == pytest.approx(float(ref.statistic), rel=REL, abs=1e-300)
    assert ours.pvalue == pytest.approx(float(ref.pvalue), rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(ours.null_distribution, ref.null_distribution, rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(data=st.tuples(binary, binary), alternative=st.sampled_from(ALTS))
def test_exact_proportion_difference_matches_scipy(data, alternative):
    x, y = (np.asarray(v, dtype=float) for v in data)
    ours = hv.stats.permutation_test(x, y, "proportion_difference", alternative)
    ref = scipy_exact(x, y, alternative)
    assert ours.pvalue == pytest.approx(float(ref.pvalue), rel=1e-12, abs=1e-300)
    assert ours.statistic == pytest.approx(float(ref.statistic), rel=REL, abs=1e-300)


def test_exact_switch_follows_n_resamples():
    # C(10, 5) = 252 relabellings: exact when n_resamples >= 252, as scipy.
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=5), rng.normal(size=5)
    assert hv.stats.permutation_test(x, y, n_resamples=252).exact
    assert not hv.stats.permutation_test(x, y, n_resamples=251).exact
    ref = stats.permutation_test((x, y), mean_diff, vectorized=True, n_resamples=252)
    assert len(ref.null_distribution) == 252
    assert hv.stats.permutation_test(x, y, n_resamples=252).pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_exact_larger_samples_against_scipy():
    # 10 + 9 observations: C(19, 9) = 92378 relabellings; numpy sums 8 or more
    # values pairwise, so the null statistics agree to rounding only.
    rng = np.random.default_rng(11)
    x, y = rng.normal(0.6, 1, 10), rng.normal(0, 1, 9)
    for alt in ALTS:
        ours = hv.stats.permutation_test(x, y, alternative=alt, n_resamples=100_000, return_null=True)
        ref = stats.permutation_test((x, y), mean_diff, vectorized=True, n_resamples=100_000, alternative=alt)
        assert ours.exact and ours.n_resamples == 92378
        assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
        np.testing.assert_allclose(ours.null_distribution, ref.null_distribution, rtol=1e-12, atol=1e-14)


def test_tolerance_for_ties_is_scipys():
    # Integer data: the observed difference recurs in many relabellings; with
    # non-dyadic means (thirds) the ties are exact in both implementations.
    x = np.array([1.0, 2.0, 2.0])
    y = np.array([0.0, 1.0, 1.0, 2.0, 0.0, 1.0])
    for alt in ALTS:
        ours = hv.stats.permutation_test(x, y, alternative=alt)
        assert ours.pvalue == pytest.approx(scipy_exact(x, y, alt).pvalue, rel=1e-12)
    # All values equal: every relabelling gives 0 = observed, p = 1.
    res = hv.stats.permutation_test([2.0, 2.0], [2.0, 2.0, 2.0])
    assert res.statistic == 0.0 and res.pvalue == 1.0


def test_documented_tolerance_constant():
    # scipy's code: eps = finfo(float64).eps * 100 (its docstring says ~1e-14).
    import inspect

    src = inspect.getsource(stats._resampling.permutation_test)
    assert "eps*100" in src.replace(" ", "")


# ------------------------------------------------------------------ permutation: Monte Carlo


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("alternative", ALTS)
def test_monte_carlo_within_error_of_exact(seed, alternative):
    # 9 + 9 observations: C(18, 9) = 48620 > 20000 resamples, so Monte Carlo;
    # the exact p-value comes from enumerating all 48620 (n_resamples=inf).
    rng = np.random.default_rng(100 + seed)
    x, y = rng.normal(0.5, 1, 9), rng.normal(0, 1, 9)
    b = 20000
    mc = hv.stats.permutation_test(x, y, alternative=alternative, n_resamples=b, seed=seed)
    exact = hv.stats.permutation_test(x, y, alternative=alternative, n_resamples=math.inf)
    assert not mc.exact and exact.exact and exact.n_resamples == 48620
    assert exact.pvalue == pytest.approx(scipy_exact(x, y, alternative).pvalue, rel=1e-12)
    p = exact.pvalue
    # Two-sided p doubles a one-sided proportion: its standard error doubles too.
    q = p / 2 if alternative == "two-sided" else p
    factor = 2 if alternative == "two-sided" else 1
    se = factor * math.sqrt(q * (1 - q) / b)
    assert abs(mc.pvalue - p) <= 4 * se + factor / (b + 1)


def test_monte_carlo_pvalue_convention():
    rng = np.random.default_rng(5)
    x, y = rng.normal(3, 1, 30), rng.normal(0, 1, 30)
    res = hv.stats.permutation_test(x, y, alternative="greater", n_resamples=999, return_null=True)
    # No relabelling reaches a difference of 3 sd: p = (0 + 1)/(999 + 1).
    assert res.pvalue == 1 / 1000
    count = np.count_nonzero(res.null_distribution >= res.statistic - abs(res.statistic) * 100 * np.finfo(float).eps)
    assert res.pvalue == (count + 1) / 1000
    assert len(res.null_distribution) == 999


def test_monte_carlo_same_threads_argument_bit_for_bit():
    rng = np.random.default_rng(9)
    x, y = rng.normal(0.2, 1, 105), rng.normal(0, 1, 104)
    a = hv.stats.permutation_test(x, y, n_resamples=5000, seed=7, return_null=True, threads=1)
    b = hv.stats.permutation_test(x, y, n_resamples=5000, seed=7, return_null=True, threads=2)
    assert a.pvalue == b.pvalue
    assert np.array_equal(a.null_distribution, b.null_distribution)
    c = hv.stats.permutation_test(x, y, n_resamples=5000, seed=8, return_null=True, threads=2)
    assert not np.array_equal(a.null_distribution, c.null_distribution)
    # Resample i does not depend on how many resamples there are.
    d = hv.stats.permutation_test(x, y, n_resamples=2000, seed=7, return_null=True)
    assert np.array_equal(a.null_distribution[:2000], d.null_distribution)


_CHILD = r"""
import json, sys
import numpy as np
import huisverbod as hv
rng = np.random.default_rng(42)
x, y = rng.normal(0.3, 1, 105), rng.normal(0, 1, 104)
p = hv.stats.permutation_test(x, y, n_resamples=20000, seed=3, return_null=True)
b = hv.stats.bootstrap((x, y), "median_difference", n_resamples=3000, seed=4)
c = hv.stats.bootstrap((x, y), lambda a, b: a.mean() - b.mean(), n_resamples=500, seed=5)
print(json.dumps({
    "p": p.pvalue.hex(),
    "null": [v.hex() for v in p.null_distribution[::97]],
    "null_sum": float(np.sum(p.null_distribution)).hex(),
    "ci": [b.confidence_interval.low.hex(), b.confidence_interval.high.hex()],
    "dist": float(np.sum(b.bootstrap_distribution)).hex(),
    "callable": [c.confidence_interval.low.hex(), c.confidence_interval.high.hex()],
}))
"""


def test_identical_for_rayon_num_threads_1_and_2():
    outs = []
    for threads in ("1", "2"):
        env = {**os.environ, "RAYON_NUM_THREADS": threads}
        r = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True)
        outs.append(json.loads(r.stdout))
    assert outs[0] == outs[1]


# ------------------------------------------------------------------ bootstrap: the interval given a distribution


def _scipy_from_ours(samples, name, ours, method, level, alternative):
    """scipy's interval computed from our bootstrap distribution."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ref = stats.bootstrap(
            tuple(samples),
            SCIPY_STAT[name],
            n_resamples=0,
            bootstrap_result=ours,
            method=method,
            confidence_level=level,
            alternative=alternative,
            vectorized=True,
        )
    return ref, w


def _check_same_interval(ours, ref):
    lo, hi = ref.confidence_interval
    assert ours.confidence_interval.low == pytest.approx(float(lo), rel=CI_REL, abs=1e-13, nan_ok=True)
    assert ours.confidence_interval.high == pytest.approx(float(hi), rel=CI_REL, abs=1e-13, nan_ok=True)


sample = st.one_of(
    st.lists(st.integers(-5, 5), min_size=2, max_size=40),
    st.lists(st.floats(-100, 100, allow_nan=False, allow_subnormal=False), min_size=2, max_size=60),
)
bsample = st.lists(st.integers(0, 1), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(list(SCIPY_STAT)),
    s1=sample,
    s2=sample,
    b1=bsample,
    b2=bsample,
    method=st.sampled_from(["bca", "percentile", "basic"]),
    level=st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99]),
    alternative=st.sampled_from(ALTS),
    seed=st.integers(0, 2**64 - 1),
)
def test_interval_equals_scipys_formula_on_our_distribution(name, s1, s2, b1, b2, method, level, alternative, seed):
    samples = [b1, b2] if name in BINARY else [s1, s2]
    samples = [np.asarray(s, dtype=float) for s in samples]
    if name in ONE_SAMPLE:
        samples = samples[:1]
    try:
        with warnings.catch_warnings(record=True) as our_w:
            warnings.simplefilter("always")
            ours = hv.stats.bootstrap(
                samples, name, n_resamples=499, method=method, confidence_level=level, seed=seed, alternative=alternative
            )
    except ValueError as e:
        # Only a statistic that is undefined on the data is refused.
        assert "not finite on the data" in str(e)
        with np.errstate(all="ignore"):
            assert not np.isfinite(SCIPY_STAT[name](*samples))
        return
    with np.errstate(all="ignore"):
        assert ours.statistic == pytest.approx(float(SCIPY_STAT[name](*samples)), rel=REL, abs=1e-12)
    ref, ref_w = _scipy_from_ours(samples, name, ours, method, level, alternative)
    _check_same_interval(ours, ref)
    np.testing.assert_array_equal(ref.bootstrap_distribution, ours.bootstrap_distribution)
    with np.errstate(invalid="ignore"):
        assert ours.standard_error == pytest.approx(float(ref.standard_error), rel=REL, nan_ok=True)
    nan_limit = math.isnan(ours.confidence_interval.low) or math.isnan(ours.confidence_interval.high)
    assert nan_limit == any(issubclass(w.category, RuntimeWarning) and "cannot be calculated" in str(w.message) for w in our_w)


@pytest.mark.parametrize("name", list(SCIPY_STAT))
@pytest.mark.parametrize("method", ["bca", "percentile", "basic"])
def test_interval_on_report_sizes(name, method):
    rng = np.random.default_rng(2013)
    if name in BINARY:
        x, y = (rng.random(105) < 0.21).astype(float), (rng.random(104) < 0.30).astype(float)
    else:
        x, y = rng.gamma(2.0, 3.0, 105).round(1), rng.gamma(2.0, 3.5, 104).round(1)
    samples = [x] if name in ONE_SAMPLE else [x, y]
    ours = hv.stats.bootstrap(samples, name, n_resamples=4999, method=method, seed=1)
    ref, _ = _scipy_from_ours(samples, name, ours, method, 0.95, "two-sided")
    _check_same_interval(ours, ref)
    if method == "bca":
        # scipy's own BCa pieces, from its private helper (stable since 1.7).
        alpha1, alpha2, a_hat = stats._resampling._bca_interval(
            tuple(samples), SCIPY_STAT[name], axis=-1, alpha=0.025,
            theta_hat_b=ours.bootstrap_distribution, batch=None, xp=np,
        )
        assert ours.acceleration == pytest.approx(float(a_hat), rel=1e-9, abs=1e-15)
        assert ours.levels[0] == pytest.approx(float(alpha1), rel=1e-12)
        assert ours.levels[1] == pytest.approx(float(alpha2), rel=1e-12)


# ------------------------------------------------------------------ bootstrap: Monte Carlo agreement


@pytest.mark.parametrize("method", ["bca", "percentile", "basic"])
def test_limits_agree_with_scipy_within_monte_carlo_error(method):
    rng = np.random.default_rng(77)
    x, y = rng.normal(0.4, 1.0, 105), rng.normal(0.0, 1.3, 104)
    b = 20000
    ours = hv.stats.bootstrap((x, y), "mean_difference", n_resamples=b, method=method, seed=123)
    ref = stats.bootstrap((x, y), mean_diff, n_resamples=b, method=method, rng=np.random.default_rng(321), vectorized=True)
    # Standard error of a bootstrap quantile at 2.5%: sqrt(a(1-a)/B)/f(q), with
    # the bootstrap distribution about normal with sd = standard error.
    a = 0.025
    se_q = math.sqrt(a * (1 - a) / b) / stats.norm.pdf(stats.norm.ppf(a)) * ref.standard_error
    tol = 4 * math.sqrt(2) * se_q
    assert abs(ours.confidence_interval.low - ref.confidence_interval.low) < tol
    assert abs(ours.confidence_interval.high - ref.confidence_interval.high) < tol
    assert ours.standard_error == pytest.approx(ref.standard_error, rel=0.05)


def test_distribution_is_unbiased():
    # The bootstrap distribution of a mean centres on the sample mean.
    rng = np.random.default_rng(8)
    x = rng.exponential(2.0, 200)
    res = hv.stats.bootstrap(x, "mean", n_resamples=20000, method="percentile", seed=2)
    se = x.std(ddof=0) / math.sqrt(len(x))
    assert abs(res.bootstrap_distribution.mean() - x.mean()) < 4 * se / math.sqrt(20000)
    assert res.standard_error == pytest.approx(se, rel=0.03)


# ------------------------------------------------------------------ bootstrap: callables


def test_callable_sees_the_same_resamples_as_named_statistics():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=50), rng.normal(size=40)
    named = hv.stats.bootstrap((x, y), "mean_difference", n_resamples=1000, seed=9, method="percentile")
    loop = hv.stats.bootstrap((x, y), lambda a, b: np.mean(a) - np.mean(b), n_resamples=1000, seed=9, method="percentile")
    vec = hv.stats.bootstrap((x, y), mean_diff, n_resamples=1000, seed=9, method="percentile")
    np.testing.assert_allclose(loop.bootstrap_distribution, named.bootstrap_distribution, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(loop.bootstrap_distribution, vec.bootstrap_distribution)
    med = hv.stats.bootstrap(x, "median", n_resamples=1000, seed=9, method="percentile")
    med_py = hv.stats.bootstrap(x, np.median, n_resamples=1000, seed=9, method="percentile", vectorized=False)
    np.testing.assert_array_equal(med.bootstrap_distribution, med_py.bootstrap_distribution)


@pytest.mark.parametrize("vectorized", [False, True])
@pytest.mark.parametrize("method", ["bca", "percentile", "basic"])
def test_callable_interval_equals_scipys(vectorized, method):
    rng = np.random.default_rng(6)
    x = rng.lognormal(0, 0.8, 60)

    def sd(a, axis=-1):
        return np.std(a, ddof=1, axis=axis)

    f = sd if vectorized else (lambda a: np.std(a, ddof=1))
    ours = hv.stats.bootstrap(x, f, n_resamples=2000, method=method, seed=3, vectorized=vectorized)
    ref = stats.bootstrap((x,), sd, n_resamples=0, bootstrap_result=ours, method=method, vectorized=True)
    _check_same_interval(ours, ref)
    assert ours.statistic == pytest.approx(np.std(x, ddof=1), rel=REL)


def test_callable_batches_and_seed_none():
    x = np.arange(10.0)
    a = hv.stats.bootstrap(x, lambda v: v.max(), n_resamples=300, method="percentile", seed=None)
    assert isinstance(a.seed, int)
    b = hv.stats.bootstrap(x, lambda v: v.max(), n_resamples=300, method="percentile", seed=a.seed)
    np.testing.assert_array_equal(a.bootstrap_distribution, b.bootstrap_distribution)


# ------------------------------------------------------------------ degenerate data and warnings


def test_bca_degenerate_distribution_warns_and_gives_nan():
    # Constant data: every resample gives the same mean; BCa's acceleration is
    # 0/0. scipy warns (DegenerateDataWarning) and returns NaN; so do we.
    x = np.full(10, 3.0)
    with pytest.warns(RuntimeWarning, match="cannot be calculated"):
        res = hv.stats.bootstrap(x, "mean", n_resamples=200)
    assert math.isnan(res.confidence_interval.low) and math.isnan(res.confidence_interval.high)
    with pytest.warns(stats.DegenerateDataWarning), np.errstate(invalid="ignore", divide="ignore"):
        ref = stats.bootstrap((x,), st_mean, n_resamples=0, bootstrap_result=res, vectorized=True)
    assert math.isnan(ref.confidence_interval.low)
    # The percentile interval of a constant is the constant.
    res = hv.stats.bootstrap(x, "mean", n_resamples=200, method="percentile")
    assert tuple(res.confidence_interval) == (3.0, 3.0)


def test_odds_ratio_with_undefined_resamples_warns():
    # Few events: some resamples have no events in either group → 0/0 = NaN.
    x = np.array([1.0, 0, 0, 0, 0])
    y = np.array([1.0, 0, 0, 0, 0, 0])
    with pytest.warns(RuntimeWarning, match="cannot be calculated"):
        res = hv.stats.bootstrap((x, y), "odds_ratio", n_resamples=500, method="percentile")
    assert np.isnan(res.bootstrap_distribution).any()


# ------------------------------------------------------------------ bad input


def test_permutation_bad_input():
    with pytest.raises(ValueError, match="at least two observations"):
        hv.stats.permutation_test([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="is empty"):
        hv.stats.permutation_test([], [1.0, 2.0])
    with pytest.raises(ValueError, match="only 0 and 1"):
        hv.stats.permutation_test([0, 2], [1, 0], "proportion_difference")
    with pytest.raises(ValueError, match="statistic must be one of"):
        hv.stats.permutation_test([0, 1], [1, 0], "median_difference")
    with pytest.raises(ValueError, match="alternative"):
        hv.stats.permutation_test([0, 1], [1, 0], alternative="bigger")
    for bad in (0, -3, 2.5, True, "10"):
        with pytest.raises(ValueError, match="n_resamples"):
            hv.stats.permutation_test([0, 1], [1, 0], n_resamples=bad)
    for bad in (-1, 2**64, 1.5):
        with pytest.raises(ValueError, match="seed"):
            hv.stats.permutation_test([0, 1], [1, 0], seed=bad)
    with pytest.raises(ValueError, match="threads"):
        hv.stats.permutation_test([0, 1], [1, 0], threads=0)
    with pytest.raises(ValueError, match="more than 2\\^64"):
        hv.stats.permutation_test(np.arange(100.0), np.arange(100.0), n_resamples=math.inf)
    with pytest.raises(ValueError, match="infinite"):
        hv.stats.permutation_test([0, np.inf], [1, 0])
    with pytest.raises(ValueError, match="NaN"):
        hv.stats.permutation_test([0, np.nan], [1, 0], nan_policy="raise")


def test_permutation_nan_policy():
    res = hv.stats.permutation_test([0, np.nan, 2], [1, 0, 3])
    assert math.isnan(res.statistic) and math.isnan(res.pvalue)
    omit = hv.stats.permutation_test([0, np.nan, 2], [1, 0, 3], nan_policy="omit")
    assert omit.pvalue == pytest.approx(scipy_exact(np.array([0.0, 2.0]), np.array([1.0, 0.0, 3.0]), "two-sided").pvalue)


def test_bootstrap_bad_input():
    x = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="at least two observations"):
        hv.stats.bootstrap([[1.0], [2.0, 3.0]], "mean_difference")
    with pytest.raises(ValueError, match="at least two observations"):
        hv.stats.bootstrap([[1.0], [2.0, 3.0]], lambda a, b: 0.0)
    with pytest.raises(ValueError, match="takes 2 sample"):
        hv.stats.bootstrap(x, "mean_difference")
    with pytest.raises(ValueError, match="takes 1 sample"):
        hv.stats.bootstrap((x, x), "median")
    with pytest.raises(ValueError, match="only 0 and 1"):
        hv.stats.bootstrap((x, x), "risk_ratio")
    with pytest.raises(ValueError, match="not finite on the data"):
        hv.stats.bootstrap(([1.0, 0.0], [0.0, 0.0]), "risk_ratio")
    with pytest.raises(ValueError, match="zero variance"):
        hv.stats.bootstrap(([1.0, 1.0], [2.0, 2.0]), "cohens_d")
    with pytest.raises(ValueError, match="statistic must be one of"):
        hv.stats.bootstrap(x, "mode")
    with pytest.raises(ValueError, match="method"):
        hv.stats.bootstrap(x, "mean", method="studentized")
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.bootstrap(x, "mean", confidence_level=1.0)
    with pytest.raises(ValueError, match="n_resamples"):
        hv.stats.bootstrap(x, "mean", n_resamples=0)
    with pytest.raises(ValueError, match="scalar"):
        hv.stats.bootstrap(x, lambda a: a, method="percentile", vectorized=False)
    with pytest.raises(ValueError, match="NaN"):
        hv.stats.bootstrap([1.0, np.nan, 2.0], "mean", nan_policy="raise")
    res = hv.stats.bootstrap([1.0, np.nan, 2.0], "mean")
    assert math.isnan(res.statistic) and math.isnan(res.confidence_interval.low)
    # "BCa" is accepted as scipy spells it.
    assert hv.stats.bootstrap(x, "mean", method="BCa", n_resamples=50).method == "bca"


def test_result_objects():
    res = hv.stats.permutation_test([1, 2, 3], [4, 5, 6])
    d = res.to_dict()
    assert d["exact"] is True and d["n_resamples"] == 20 and d["null_distribution"] is None
    assert "PermutationTestResult(" in repr(res)
    b = hv.stats.bootstrap([1.0, 2.0, 4.0, 8.0], "median", n_resamples=100)
    assert "BootstrapResult(" in repr(b) and "<table>" in b._repr_html_()
    bd = b.to_dict()
    assert len(bd["bootstrap_distribution"]) == 100 and isinstance(bd["confidence_interval"], tuple)
    assert "bootstrap" in hv.stats.__all__ and "permutation_test" in hv.stats.__all__


def test_docstring_examples_run():
    import huisverbod.stats._resampling as mod

    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
