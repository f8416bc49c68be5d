"""hv.stats proportions family, checked live against statsmodels and scipy.

Tolerances: statistics and p-values rel=1e-10 (abs=1e-300), interval limits
rel=1e-9, unless a comment says why a reference is less precise.
"""

from __future__ import annotations

import doctest
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats.contingency import odds_ratio
from statsmodels.stats import proportion as smp
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

import huisverbod as hv
import huisverbod.stats._proportions as proportions_module

REL = 1e-10
ABS = 1e-300
CI_REL = 1e-9

SM_METHOD = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "exact": "beta",
    "agresti-coull": "agresti_coull",
    "jeffreys": "jeffreys",
    "normal": "normal",
    "wald": "normal",
}


def approx(v: float, rel: float = REL, abs: float = ABS):  # noqa: A002
    return pytest.approx(v, rel=rel, abs=abs, nan_ok=True)


@st.composite
def count_nobs(draw) -> tuple[int, int]:
    nobs = draw(st.one_of(st.integers(1, 30), st.integers(31, 2000), st.integers(2001, 10**6)))
    count = draw(st.one_of(st.integers(0, nobs), st.sampled_from([0, nobs, 1, nobs - 1])))
    return max(0, min(count, nobs)), nobs


levels = st.sampled_from([0.95, 0.9, 0.99, 0.8, 0.999, 0.5])


@settings(max_examples=200, deadline=None)
@given(count_nobs(), st.sampled_from(sorted(SM_METHOD)), levels)
def test_proportion_ci_matches_statsmodels(cn, method: str, level: float) -> None:
    count, nobs = cn
    low, high = hv.stats.proportion_ci(count, nobs, method=method, confidence_level=level)
    rlow, rhigh = proportion_confint(count, nobs, alpha=1 - level, method=SM_METHOD[method])
    # At count = 0 (count = nobs) statsmodels' Wilson computes center − dist,
    # which is 0 (1) up to rounding noise of order 1e-17; ours is exact.
    edge = 1e-15 if method == "wilson" else 0.0
    assert low == pytest.approx(float(rlow), rel=CI_REL, abs=edge + ABS)
    assert high == pytest.approx(float(rhigh), rel=CI_REL, abs=edge + ABS)
    assert 0.0 <= low <= high <= 1.0


@pytest.mark.parametrize("nobs", [1, 2, 7, 50, 1000, 123456])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_edges_match_statsmodels(nobs: int, level: float) -> None:
    a = 1 - level
    # Clopper–Pearson: exactly 0 at count 0 and exactly 1 at count nobs.
    ci0 = hv.stats.proportion_ci(0, nobs, "clopper-pearson", level)
    cin = hv.stats.proportion_ci(nobs, nobs, "exact", level)
    r0 = proportion_confint(0, nobs, alpha=a, method="beta")
    rn = proportion_confint(nobs, nobs, alpha=a, method="beta")
    assert ci0.low == 0.0 == r0[0] and cin.high == 1.0 == rn[1]
    assert ci0.high == approx(float(r0[1]), rel=CI_REL) and cin.low == approx(float(rn[0]), rel=CI_REL)
    # Closed forms: upper limit at 0 is 1 − (α/2)^(1/n); lower at n is (α/2)^(1/n).
    assert ci0.high == approx(-math.expm1(math.log(a / 2) / nobs), rel=1e-13)
    assert cin.low == approx(math.exp(math.log(a / 2) / nobs), rel=1e-13)
    # Wilson, Agresti–Coull and normal start at 0 and end at 1 (clipped).
    for m in ("wilson", "agresti-coull", "normal"):
        assert hv.stats.proportion_ci(0, nobs, m, level).low == 0.0
        assert hv.stats.proportion_ci(nobs, nobs, m, level).high == 1.0
    # Jeffreys is not forced to the edge (as statsmodels).
    j = hv.stats.proportion_ci(0, nobs, "jeffreys", level)
    rj = proportion_confint(0, nobs, alpha=a, method="jeffreys")
    assert j.low == approx(float(rj[0]), rel=CI_REL) and j.low > 0


def test_clopper_pearson_tiny_limits() -> None:
    # Limits far below 1e-10 keep their relative precision.
    for count, nobs, level in [(1, 10**6, 0.999999), (2, 10**6, 0.99), (1, 50, 1 - 1e-12)]:
        ci = hv.stats.proportion_ci(count, nobs, "exact", level)
        ref = ss.beta.ppf((1 - level) / 2, count, nobs - count + 1)
        assert ci.low == approx(ref, rel=CI_REL)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3, 2), "count"),
        ((1.5, 4), "whole"),
        ((-1, 4), "count"),
        ((1, 0), "nobs"),
        ((1, 2.5), "nobs"),
        ((float("nan"), 4), "NaN"),
    ],
)
def test_proportion_ci_bad_counts(args, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        hv.stats.proportion_ci(*args)


def test_proportion_ci_bad_method_and_level() -> None:
    with pytest.raises(ValueError, match="method"):
        hv.stats.proportion_ci(1, 4, method="bayes")
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.proportion_ci(1, 4, confidence_level=1.0)
    with pytest.raises(TypeError, match="count"):
        hv.stats.proportion_ci("one", 4)


# ------------------------------------------------------------ two proportions


@st.composite
def two_groups(draw) -> tuple[int, int, int, int]:
    big = draw(st.sampled_from([20, 200, 5000, 10**6]))
    n1 = draw(st.integers(1, big))
    n2 = draw(st.integers(1, big))
    x1 = draw(st.one_of(st.integers(0, n1), st.sampled_from([0, n1])))
    x2 = draw(st.one_of(st.integers(0, n2), st.sampled_from([0, n2])))
    return x1, n1, x2, n2


SM_ALT = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}


@settings(max_examples=200, deadline=None)
@given(two_groups(), st.sampled_from(["two-sided", "less", "greater"]), levels)
def test_two_proportions_match_statsmodels(g, alternative: str, level: float) -> None:
    x1, n1, x2, n2 = g
    res = hv.stats.two_proportions(x1, n1, x2, n2, alternative=alternative, confidence_level=level)
    a = 1 - level
    p1, p2 = x1 / n1, x2 / n2
    assert (res.p1, res.p2) == (p1, p2)
    # Newcombe difference.
    d = res.difference
    assert d.estimate == p1 - p2
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=a)
    # statsmodels' Wilson limits at the edges carry ~1e-17 noise (see above).
    assert d.confidence_interval.low == pytest.approx(float(lo), rel=CI_REL, abs=1e-15)
    assert d.confidence_interval.high == pytest.approx(float(hi), rel=CI_REL, abs=1e-15)
    assert tuple(res.confidence_interval(level)) == tuple(d.confidence_interval)
    # Risk ratio (log) and odds ratio (Woolf), where statsmodels defines them.
    if x1 > 0 and x2 > 0:
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio", alpha=a)
        assert res.risk_ratio.estimate == approx(p1 / p2)
        assert res.risk_ratio.confidence_interval.low == approx(float(lo), rel=CI_REL)
        assert res.risk_ratio.confidence_interval.high == approx(float(hi), rel=CI_REL)
    else:
        assert math.isnan(res.risk_ratio.confidence_interval.low)
    if 0 < x1 < n1 and 0 < x2 < n2:
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="logit", compare="odds-ratio", alpha=a)
        assert res.odds_ratio.estimate == approx(x1 * (n2 - x2) / ((n1 - x1) * x2))
        assert res.odds_ratio.confidence_interval.low == approx(float(lo), rel=CI_REL)
        assert res.odds_ratio.confidence_interval.high == approx(float(hi), rel=CI_REL)
    else:
        assert math.isnan(res.odds_ratio.confidence_interval.low)
    # Pooled z-test.
    if 0 < x1 + x2 < n1 + n2:
        z, p = proportions_ztest([x1, x2], [n1, n2], alternative=SM_ALT[alternative])
        # statsmodels forms p1 − p2 in floating point, which cancels when the
        # proportions are close; ours uses the exact integer x1·n2 − x2·n1.
        # Its error is ~eps·(p1 + p2)/se, hence the absolute part.
        se = math.sqrt((x1 + x2) / (n1 + n2) * (1 - (x1 + x2) / (n1 + n2)) * (1 / n1 + 1 / n2))
        tol_z = 4e-16 * (p1 + p2) / se
        assert res.statistic == approx(float(z), abs=tol_z + ABS)
        assert res.pvalue == approx(float(p), abs=tol_z + ABS)
        exact_z2 = Fraction(x1 * n2 - x2 * n1) ** 2 * (n1 + n2) / (n1 * n2 * (x1 + x2) * (n1 + n2 - x1 - x2))
        assert res.statistic**2 == approx(float(exact_z2), rel=1e-14)
        assert res.chi2.statistic == approx(float(exact_z2), rel=1e-14)
    else:
        assert math.isnan(res.statistic) and math.isnan(res.pvalue)


@settings(max_examples=150, deadline=None)
@given(two_groups(), st.sampled_from(["two-sided", "less", "greater"]))
def test_one_sided_chi_square_is_halved_pearson(g, alternative: str) -> None:
    x1, n1, x2, n2 = g
    if not 0 < x1 + x2 < n1 + n2:
        return
    t = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    if (t.sum(axis=0) == 0).any():
        return
    res = hv.stats.two_proportions(x1, n1, x2, n2, alternative=alternative)
    ref = ss.chi2_contingency(t, correction=False)
    p = ref.pvalue
    diff = x1 * n2 - x2 * n1
    if alternative == "two-sided":
        expected = p
    elif (alternative == "greater" and diff > 0) or (alternative == "less" and diff < 0):
        expected = p / 2
    else:
        expected = 1 - p / 2
    # scipy's Pearson statistic carries its own rounding (o − e with rounded
    # e) when the proportions are nearly equal; compare statistics with the
    # exact value and the p-value within the matching tolerance.
    assert res.chi2.pvalue == approx(expected, rel=1e-9)
    assert res.chi2.df == 1
    assert res.chi2.statistic == approx(ref.statistic, rel=1e-8)
    # It is the one-sided z-test p-value.
    assert res.chi2.pvalue == approx(res.pvalue, rel=1e-12)


def test_score_test_equivalence() -> None:
    # The pooled z-test is statsmodels' score test without correction.
    for g in [(30, 105, 45, 104), (3, 20, 9, 21), (120, 400, 90, 410)]:
        res = hv.stats.two_proportions(*g)
        ref = smp.test_proportions_2indep(*g, method="score", compare="diff", correction=False)
        assert res.statistic == approx(ref.statistic, rel=1e-9)
        assert res.pvalue == approx(ref.pvalue, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.data())
def test_exact_odds_ratio_matches_scipy(n1: int, n2: int, data) -> None:
    x1 = data.draw(st.integers(0, n1))
    x2 = data.draw(st.integers(0, n2))
    t = [[x1, n1 - x1], [x2, n2 - x2]]
    if (np.array(t).sum(axis=0) == 0).any():
        return
    res = hv.stats.two_proportions(x1, n1, x2, n2)
    ref = odds_ratio(t, kind="conditional")
    assert res.odds_ratio_exact.estimate == approx(ref.statistic, rel=1e-9)
    lo, hi = res.odds_ratio_exact.confidence_interval
    rlo, rhi = ref.confidence_interval(0.95)
    # scipy's brentq xtol=1e-13 is absolute.
    assert lo == pytest.approx(rlo, rel=CI_REL, abs=3e-13)
    assert hi == pytest.approx(rhi, rel=CI_REL, abs=3e-13)


def test_report_sized_example() -> None:
    # 105 thv cases vs 104 controls (the report's group sizes).
    res = hv.stats.two_proportions(30, 105, 45, 104, alternative="less")
    z, p = proportions_ztest([30, 45], [105, 104], alternative="smaller")
    assert res.statistic == approx(z) and res.pvalue == approx(p)
    two = ss.chi2_contingency([[30, 75], [45, 59]], correction=False).pvalue
    assert res.chi2.pvalue == approx(two / 2)
    assert "halving" in res.chi2.method
    assert isinstance(res.to_dict()["difference"], dict)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3, 2, 1, 4), "x1"),
        ((1, 2, 5, 4), "x2"),
        ((1, 0, 1, 4), "n1"),
        ((1, 2, 1, 4.5), "n2"),
        ((0.5, 2, 1, 4), "x1"),
    ],
)
def test_two_proportions_bad_counts(args, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        hv.stats.two_proportions(*args)


def test_two_proportions_bad_options() -> None:
    with pytest.raises(ValueError, match="alternative"):
        hv.stats.two_proportions(1, 4, 2, 5, alternative="smaller")
    with pytest.raises(ValueError, match="confidence_level"):
        hv.stats.two_proportions(1, 4, 2, 5, confidence_level=0)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(proportions_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_exports() -> None:
    for name in ("proportion_ci", "two_proportions", "EffectEstimate", "TwoProportionsResult"):
        assert name in hv.stats.__all__
