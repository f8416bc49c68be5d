"""hv.stats contingency family, checked live against scipy and statsmodels.

Tolerances: statistics and p-values rel=1e-10 (abs=1e-300), intervals
rel=1e-9, unless a comment says why a reference is less precise.
"""

from __future__ import annotations

import doctest
import itertools
import math
import os
import subprocess
import sys
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats.contingency import association, expected_freq, odds_ratio
from statsmodels.stats.contingency_tables import Table

import huisverbod as hv
import huisverbod.stats._contingency as contingency_module

REL = 1e-10
ABS = 1e-300


def approx(v: float, rel: float = REL, abs: float = ABS):  # noqa: A002
    return pytest.approx(v, rel=rel, abs=abs, nan_ok=True)


def quiet_chi2(table, **kw):
    """chi2_test without the small-expected warning (asserted elsewhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hv.stats.SmallExpectedWarning)
        return hv.stats.chi2_test(table, **kw)


@st.composite
def tables(draw, max_shape: int = 5, max_count: int = 60, min_shape: int = 2, scales=(1, 1, 1, 10, 1000, 100_000)) -> np.ndarray:
    """r×c tables with positive margins: small and large counts, zero cells, ties."""
    r = draw(st.integers(min_shape, max_shape))
    c = draw(st.integers(min_shape, max_shape))
    scale = draw(st.sampled_from(scales))
    cells = draw(st.lists(st.integers(0, max_count), min_size=r * c, max_size=r * c))
    t = np.array(cells, dtype=np.int64).reshape(r, c) * scale
    assume((t.sum(axis=0) > 0).all() and (t.sum(axis=1) > 0).all())
    return t


# ------------------------------------------------------------------ chi-square


@settings(max_examples=200, deadline=None)
@given(tables())
def test_pearson_yates_and_g_match_scipy(t: np.ndarray) -> None:
    res = quiet_chi2(t)
    ref = ss.chi2_contingency(t, correction=False)
    assert res.statistic == approx(ref.statistic)
    assert res.pvalue == approx(ref.pvalue)
    assert res.df == ref.dof
    assert res.pearson.statistic == res.statistic
    np.testing.assert_allclose(res.expected, expected_freq(t), rtol=1e-15, atol=0)
    # Likelihood ratio: scipy sums 2·o·ln(o/e) terms that cancel when o ≈ e;
    # its rounding error is ~eps·Σ|terms|, so that enters the tolerance.
    g = ss.chi2_contingency(t, correction=False, lambda_="log-likelihood")
    e = expected_freq(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = float(np.nansum(np.abs(2 * t * np.log(t / e))))
    assert res.likelihood_ratio.statistic == approx(g.statistic, abs=1e-13 * cond + ABS)
    assert res.likelihood_ratio.pvalue == approx(g.pvalue, abs=1e-12 * max(cond, 1.0) + ABS)
    if t.shape == (2, 2):
        y = ss.chi2_contingency(t, correction=True)
        assert res.yates.statistic == approx(y.statistic)
        assert res.yates.pvalue == approx(y.pvalue)
    else:
        assert res.yates is None


@settings(max_examples=100, deadline=None)
@given(
    tables(max_shape=4),
    st.sampled_from([0.5, -0.5, 2.0, "cressie-read", "freeman-tukey", "pearson", "neyman", "mod-log-likelihood"]),
    st.booleans(),
)
def test_main_statistic_follows_scipy_options(t: np.ndarray, lam, correction: bool) -> None:
    res = quiet_chi2(t, correction=correction, lambda_=lam)
    with np.errstate(all="ignore"):  # scipy's 0**(-½) for zero cells
        ref = ss.chi2_contingency(t, correction=correction, lambda_=lam)
    # Generic power divergence: scipy's formula, reproduced term by term; the
    # terms can cancel, so allow eps·Σ|terms|.
    lam_v = {"cressie-read": 2 / 3, "freeman-tukey": -0.5, "pearson": 1.0, "neyman": -2.0, "mod-log-likelihood": -1.0}.get(
        lam, lam
    )
    e = expected_freq(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        if lam_v == -1.0:
            cond = float(np.nansum(np.abs(2 * e * np.log(e / t))))
        else:
            cond = float(np.nansum(np.abs(t * ((t / e) ** lam_v - 1) / (0.5 * lam_v * (lam_v + 1)))))
    if not np.isfinite(ref.statistic):
        # Zero cells with λ ≤ −1 give inf (scipy) or NaN (0·inf); so do we.
        assert (np.isnan(res.statistic) and np.isnan(ref.statistic)) or res.statistic == ref.statistic
        return
    assert res.statistic == approx(ref.statistic, abs=1e-13 * cond + ABS)
    assert res.pvalue == approx(ref.pvalue, abs=1e-12 * max(cond, 1.0) + ABS)


def test_log_likelihood_main_equals_likelihood_ratio_row() -> None:
    t = np.array([[12, 5, 9], [3, 14, 8]])
    res = hv.stats.chi2_test(t, lambda_="log-likelihood")
    ref = ss.chi2_contingency(t, correction=False, lambda_="log-likelihood")
    assert res.statistic == approx(ref.statistic)
    assert res.statistic == res.likelihood_ratio.statistic


def test_extreme_tail_pvalue() -> None:
    # p ≈ 1e-300 and beyond: sf-based p-values keep their relative precision.
    for k in (700, 1500, 3000):
        t = np.array([[k, 10], [10, k]])
        res = hv.stats.chi2_test(t)
        ref = ss.chi2_contingency(t, correction=False)
        assert res.pvalue == approx(ref.pvalue)
        res = hv.stats.chi2_test(np.array([[k, 10, 3], [10, k, 4], [2, 5, k]]))
        ref = ss.chi2_contingency(np.array([[k, 10, 3], [10, k, 4], [2, 5, k]]))
        assert res.pvalue == approx(ref.pvalue)


def _lbl_exact(t: np.ndarray, u: list[int], v: list[int]) -> float:
    """(N−1) r² from exact rational arithmetic."""
    n = int(t.sum())
    rs, cs = t.sum(axis=1), t.sum(axis=0)
    su = sum(int(rs[i]) * u[i] for i in range(len(u)))
    sv = sum(int(cs[j]) * v[j] for j in range(len(v)))
    suu = sum(int(rs[i]) * u[i] ** 2 for i in range(len(u)))
    svv = sum(int(cs[j]) * v[j] ** 2 for j in range(len(v)))
    suv = sum(int(t[i, j]) * u[i] * v[j] for i in range(len(u)) for j in range(len(v)))
    sxy, sxx, syy = n * suv - su * sv, n * suu - su * su, n * svv - sv * sv
    return float(Fraction((n - 1) * sxy * sxy, sxx * syy))


@settings(max_examples=150, deadline=None)
@given(tables())
def test_linear_by_linear_exact_and_statsmodels(t: np.ndarray) -> None:
    res = quiet_chi2(t)
    r, c = t.shape
    u, v = list(range(1, r + 1)), list(range(1, c + 1))
    m2 = _lbl_exact(t, u, v)
    assert res.linear_by_linear.statistic == approx(m2, rel=1e-14)
    assert res.linear_by_linear.df == 1
    assert res.linear_by_linear.pvalue == approx(ss.chi2.sf(m2, 1))
    # statsmodels' ordinal association z-score is M (its S_xy cancels in
    # floating point, hence the tolerance in terms of its magnitude).
    z = Table(t, shift_zeros=False).test_ordinal_association(row_scores=np.array(u, float), col_scores=np.array(v, float)).zscore
    assert math.sqrt(res.linear_by_linear.statistic) == pytest.approx(abs(z), rel=1e-9, abs=1e-9)


def test_linear_by_linear_custom_scores() -> None:
    t = np.array([[20, 15, 5], [10, 12, 18]])
    res = hv.stats.chi2_test(t, row_scores=[0, 1], col_scores=[1, 2, 5])
    assert res.linear_by_linear.statistic == approx(_lbl_exact(t, [0, 1], [1, 2, 5]), rel=1e-14)
    res = hv.stats.chi2_test(t, row_scores=[0.5, 1.25], col_scores=[0.1, 0.2, 0.7])
    z = Table(t, shift_zeros=False).test_ordinal_association(row_scores=np.array([0.5, 1.25]), col_scores=np.array([0.1, 0.2, 0.7]))
    assert math.sqrt(res.linear_by_linear.statistic) == pytest.approx(abs(z.zscore), rel=1e-12)
    with pytest.raises(ValueError, match="row_scores"):
        hv.stats.chi2_test(t, row_scores=[1, 2, 3])


@settings(max_examples=150, deadline=None)
@given(tables())
def test_phi_and_cramers_v(t: np.ndarray) -> None:
    res = quiet_chi2(t)
    assert res.cramers_v == approx(association(t, method="cramer"))
    n = t.sum()
    if t.shape == (2, 2):
        (a, b), (c, d) = t.tolist()
        rs, cs = t.sum(axis=1), t.sum(axis=0)
        phi = (a * d - b * c) / math.sqrt(float(rs[0] * rs[1]) * float(cs[0] * cs[1]))
        assert res.phi == approx(phi, rel=1e-14, abs=1e-300)
        assert abs(res.phi) == pytest.approx(res.cramers_v, rel=1e-9, abs=1e-12)
    else:
        assert res.phi == approx(math.sqrt(ss.chi2_contingency(t).statistic / n))


def test_small_expected_warning_and_flag() -> None:
    t = [[3, 1], [1, 3]]
    with pytest.warns(hv.stats.SmallExpectedWarning, match="expected counts"):
        res = hv.stats.chi2_test(t)
    assert res.small_expected and res.n_small_expected == 4 and res.min_expected == 2.0
    assert issubclass(hv.stats.SmallExpectedWarning, UserWarning)
    res = hv.stats.chi2_test([[30, 10], [10, 30]])  # no warning (filterwarnings=error)
    assert not res.small_expected
    # 1 of 6 cells below 5 is not more than 20%: no warning.
    res = hv.stats.chi2_test([[50, 40, 1], [50, 40, 9]])  # e = 4.79 in one cell
    assert res.n_small_expected == 1 and not res.small_expected


def test_summary_is_spss_layout() -> None:
    t = np.array([[30, 75], [45, 59]])
    res = hv.stats.chi2_test(t)
    s = res.summary()
    assert list(s.index) == [
        "Pearson Chi-Square",
        "Continuity Correction",
        "Likelihood Ratio",
        "Fisher's Exact Test",
        "Linear-by-Linear Association",
        "N of Valid Cases",
    ]
    assert list(s.columns) == [
        "Value",
        "df",
        "Asymptotic Significance (2-sided)",
        "Exact Sig. (2-sided)",
        "Exact Sig. (1-sided)",
    ]
    assert s.loc["Pearson Chi-Square", "Value"] == approx(ss.chi2_contingency(t, correction=False).statistic)
    assert s.loc["Continuity Correction", "Asymptotic Significance (2-sided)"] == approx(ss.chi2_contingency(t).pvalue)
    f2 = ss.fisher_exact(t).pvalue
    f1 = min(ss.fisher_exact(t, alternative="less").pvalue, ss.fisher_exact(t, alternative="greater").pvalue)
    assert s.loc["Fisher's Exact Test", "Exact Sig. (2-sided)"] == approx(f2)
    assert s.loc["Fisher's Exact Test", "Exact Sig. (1-sided)"] == approx(f1)
    assert s.loc["N of Valid Cases", "Value"] == 209
    assert s.loc["Likelihood Ratio", "df"] == 1 and pd.isna(s.loc["N of Valid Cases", "df"])
    assert "minimum expected count" in s.attrs["footnotes"][0]
    s3 = quiet_chi2([[10, 5, 3], [4, 8, 9]]).summary()
    assert "Continuity Correction" not in s3.index and "Exact Sig. (2-sided)" not in s3.columns
    assert s3.loc["Pearson Chi-Square", "df"] == 2


def test_result_object_shape() -> None:
    res = hv.stats.chi2_test(pd.DataFrame([[10, 20], [30, 40]]))
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)
    d = res.to_dict()
    assert d["pearson"]["statistic"] == res.statistic and isinstance(d["expected"], list)
    assert "Chi2TestResult" in repr(res) and "<table>" in res._repr_html_()
    assert isinstance(res.expected, np.ndarray) and res.expected.shape == (2, 2)


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ([[1, -1], [2, 3]], "negative"),
        ([[1, 0.5], [2, 3]], "non-integer"),
        ([[1, float("nan")], [2, 3]], "NaN"),
        ([[1, float("inf")], [2, 3]], "too large"),
        ([[1, 0], [2, 0]], "column 1 has a zero total"),
        ([[0, 0, 0], [2, 1, 4]], "row 0 has a zero total"),
        ([[1, 2, 3]], "at least 2 rows and 2 columns"),
        ([1, 2, 3, 4], "two-dimensional"),
        ([[[1, 2], [3, 4]]], "two-dimensional"),
        ([["a", "b"], ["c", "d"]], "2-d array of counts"),
    ],
)
def test_chi2_bad_tables(table, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        hv.stats.chi2_test(table)


def test_chi2_bad_options() -> None:
    with pytest.raises(ValueError, match="lambda_"):
        hv.stats.chi2_test([[1, 2], [3, 4]], lambda_="bogus")
    with pytest.raises(ValueError, match="lambda_"):
        hv.stats.chi2_test([[1, 2], [3, 4]], lambda_=float("nan"))


# --------------------------------------------------------------- Fisher 2×2


@st.composite
def two_by_two(draw) -> list[list[int]]:
    hi = draw(st.sampled_from([5, 30, 300, 3000]))
    a, b, c, d = (draw(st.integers(0, hi)) for _ in range(4))
    return [[a, b], [c, d]]


@settings(max_examples=200, deadline=None)
@given(two_by_two(), st.sampled_from(["two-sided", "less", "greater"]))
def test_fisher_2x2_matches_scipy(t, alternative: str) -> None:
    res = hv.stats.fisher_exact(t, alternative=alternative)
    ref = ss.fisher_exact(t, alternative=alternative)
    assert res.statistic == approx(ref.statistic)
    assert res.pvalue == approx(ref.pvalue)


def test_fisher_extreme_tails() -> None:
    # p-values from ~1e-30 down to ~1e-300.
    for t in ([[200, 5], [5, 200]], [[400, 2], [3, 420]], [[700, 1], [0, 690]]):
        for alt in ("two-sided", "less", "greater"):
            ref = ss.fisher_exact(t, alternative=alt).pvalue
            assert hv.stats.fisher_exact(t, alternative=alt).pvalue == approx(ref)
    assert ss.fisher_exact([[700, 1], [0, 690]]).pvalue < 1e-300


def test_fisher_zero_margin_like_scipy() -> None:
    res = hv.stats.fisher_exact([[0, 0], [3, 5]])
    assert math.isnan(res.statistic) and res.pvalue == 1.0


def _nc_tail_exact(t, psi: Fraction, upper: bool) -> Fraction:
    """P(X ≥ a) (upper) or P(X ≤ a) of Fisher's noncentral hypergeometric, exactly."""
    (a, b), (c, d) = t
    m, n, k = a + b, c + d, a + c
    lo, hi = max(0, k - n), min(k, m)
    w = {x: math.comb(m, x) * math.comb(n, k - x) * psi**x for x in range(lo, hi + 1)}
    tot = sum(w.values())
    part = sum(v for x, v in w.items() if (x >= a if upper else x <= a))
    return part / tot


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=4, max_size=4), st.sampled_from([0.9, 0.95, 0.99]))
def test_conditional_odds_ratio_matches_scipy_and_exact_roots(cells, level: float) -> None:
    t = [cells[:2], cells[2:]]
    arr = np.array(t)
    assume((arr.sum(axis=0) > 0).all() and (arr.sum(axis=1) > 0).all())
    res = hv.stats.fisher_exact(t, confidence_level=level)
    ref = odds_ratio(t, kind="conditional")
    assert res.conditional_odds_ratio == approx(ref.statistic, rel=1e-9)
    lo, hi = res.confidence_interval(level)
    rlo, rhi = ref.confidence_interval(level)
    # scipy's brentq stops at xtol=1e-13 (absolute), so small limits carry
    # that absolute error; the exact check below is the precise one.
    assert lo == pytest.approx(rlo, rel=1e-9, abs=3e-13)
    assert hi == pytest.approx(rhi, rel=1e-9, abs=3e-13)
    # The limits solve P(X ≥ a; ψ_L) = α/2 and P(X ≤ a; ψ_U) = α/2: the exact
    # tail probabilities change sign across ψ(1 ∓ 1e-9).
    alpha = Fraction(1 - level).limit_denominator(10**12) / 2
    for lim, upper in ((lo, True), (hi, False)):
        if lim in (0.0, math.inf):
            continue
        below = _nc_tail_exact(t, Fraction(lim * (1 - 1e-9)), upper) - alpha
        above = _nc_tail_exact(t, Fraction(lim * (1 + 1e-9)), upper) - alpha
        assert below * above < 0


def _nc_mean_exact(t, psi: Fraction) -> Fraction:
    (a, b), (c, d) = t
    m, n, k = a + b, c + d, a + c
    lo, hi = max(0, k - n), min(k, m)
    w = {x: math.comb(m, x) * math.comb(n, k - x) * psi**x for x in range(lo, hi + 1)}
    return sum(x * v for x, v in w.items()) / sum(w.values())


@pytest.mark.parametrize(
    "t",
    [[[150, 30], [60, 140]], [[2, 198], [9, 171]], [[40, 1], [3, 57]], [[1, 80], [0, 75]]],
)
def test_conditional_odds_ratio_larger_tables(t) -> None:
    res = hv.stats.fisher_exact(t)
    ref = odds_ratio(t, kind="conditional")
    assert res.conditional_odds_ratio == approx(ref.statistic, rel=1e-9)
    lo, hi = res.confidence_interval(0.95)
    rlo, rhi = ref.confidence_interval(0.95)
    assert lo == pytest.approx(rlo, rel=1e-9, abs=3e-13) and hi == pytest.approx(rhi, rel=1e-9, abs=3e-13)
    # Exact: the MLE's mean brackets a, the limits' tails bracket α/2.
    psi = res.conditional_odds_ratio
    if 0 < psi < math.inf:
        a = t[0][0]
        assert (_nc_mean_exact(t, Fraction(psi * (1 - 1e-10))) - a) * (_nc_mean_exact(t, Fraction(psi * (1 + 1e-10))) - a) < 0
    for lim, upper in ((lo, True), (hi, False)):
        if lim in (0.0, math.inf):
            continue
        below = _nc_tail_exact(t, Fraction(lim * (1 - 1e-10)), upper) - Fraction(1, 40)
        above = _nc_tail_exact(t, Fraction(lim * (1 + 1e-10)), upper) - Fraction(1, 40)
        assert below * above < 0


def test_large_2x2_is_handled() -> None:
    t = [[20000, 15000], [14000, 21000]]
    res = hv.stats.fisher_exact(t)
    ref = ss.fisher_exact(t)
    assert res.pvalue == approx(ref.pvalue)
    cor = odds_ratio(t, kind="conditional")
    assert res.conditional_odds_ratio == approx(cor.statistic, rel=1e-9)
    # The chi-square summary omits Fisher's row above a support of 10,000
    # (hv.stats.fisher_exact gives it on request) ...
    omitted = hv.stats.chi2_test(t).fisher_pvalue
    assert omitted is None or omitted != omitted
    # ... and adds it below: support min(3500, 3400) + 1 = 3401 values.
    small = [[2000, 1500], [1400, 2100]]
    assert hv.stats.chi2_test(small).fisher_pvalue == approx(ss.fisher_exact(small).pvalue)


def test_conditional_interval_one_sided_like_scipy() -> None:
    t = [[7, 2], [3, 9]]
    ref = odds_ratio(t, kind="conditional")
    for alt in ("less", "greater"):
        ci = hv.stats.fisher_exact(t, alternative=alt).confidence_interval(0.9)
        rci = ref.confidence_interval(0.9, alternative=alt)
        assert ci.low == approx(rci.low, rel=1e-9) and ci.high == approx(rci.high, rel=1e-9)
    res = hv.stats.fisher_exact([[5, 0], [2, 7]])
    assert res.conditional_odds_ratio == math.inf and res.confidence_interval().high == math.inf
    res = hv.stats.fisher_exact([[0, 5], [7, 2]])
    assert res.conditional_odds_ratio == 0 and res.confidence_interval().low == 0


# --------------------------------------------------------------- Fisher r×c


def _margins_tables(rows: list[int], cols: list[int]):
    """Every table with the given margins (independent brute force)."""
    if len(rows) == 1:
        yield [list(cols)]
        return
    r0, rest = rows[0], rows[1:]

    def first_rows(i: int, left: int, acc: list[int]):
        if i == len(cols) - 1:
            if left <= cols[i]:
                yield [*acc, left]
            return
        for x in range(min(left, cols[i]) + 1):
            yield from first_rows(i + 1, left - x, [*acc, x])

    for row in first_rows(0, r0, []):
        for sub in _margins_tables(rest, [cj - x for cj, x in zip(cols, row)]):
            yield [row, *sub]


def _fisher_rxc_brute(t: np.ndarray) -> tuple[Fraction, Fraction, int]:
    """(p-value, P(observed), number of tables) by enumeration and exact integers."""
    rows, cols = t.sum(axis=1).tolist(), t.sum(axis=0).tolist()
    n = int(t.sum())
    num = math.prod(math.factorial(v) for v in rows + cols)

    def prob(tab) -> Fraction:
        return Fraction(num, math.factorial(n) * math.prod(math.factorial(v) for row in tab for v in row))

    p_obs = prob(t.tolist())
    bound = p_obs * Fraction(1 + 10**-7)
    ps = [prob(tab) for tab in _margins_tables(rows, cols)]
    return sum(p for p in ps if p <= bound), p_obs, len(ps)


@settings(max_examples=60, deadline=None)
@given(tables(max_shape=4, max_count=4, scales=(1,)))
def test_fisher_rxc_exact_matches_brute_force(t: np.ndarray) -> None:
    # Keep the brute force to ~1e5 tables (a 4×4 table with N = 32 has 1e6).
    assume(t.sum() <= (20 if t.size >= 12 else 36))
    res = hv.stats.fisher_exact(t, method="exact")
    p, p_obs, n_tables = _fisher_rxc_brute(t)
    assert res.method == "exact"
    assert res.pvalue == approx(float(p))
    assert res.table_probability == approx(float(p_obs))
    if t.shape != (2, 2):
        assert res.n_tables == n_tables
        assert res.statistic == approx(float(p_obs))
    # scipy's hypergeometric for the 2×2 special case.
    if t.shape == (2, 2):
        assert res.pvalue == approx(ss.fisher_exact(t).pvalue)


def test_fisher_rxc_larger_exact_against_brute_force() -> None:
    t = np.array([[3, 1, 4, 2], [1, 5, 2, 0], [2, 2, 0, 5]])
    p, _, _ = _fisher_rxc_brute(t)
    res = hv.stats.fisher_exact(t)
    assert res.method == "exact" and res.pvalue == approx(float(p))
    # Zero rows/columns are dropped; transposing changes nothing.
    t0 = np.array([[3, 1, 0, 4], [0, 0, 0, 0], [1, 5, 0, 2]])
    p0, _, _ = _fisher_rxc_brute(np.array([[3, 1, 4], [1, 5, 2]]))
    assert hv.stats.fisher_exact(t0).pvalue == approx(float(p0))
    assert hv.stats.fisher_exact(t.T).pvalue == approx(float(p))


def test_monte_carlo_agrees_with_exact_and_is_reproducible() -> None:
    t = np.array([[8, 2, 3], [1, 5, 4], [2, 6, 1]])
    exact = hv.stats.fisher_exact(t, method="exact")
    mc = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=20_000, seed=12345)
    assert mc.method == "monte-carlo" and mc.seed == 12345 and mc.n_resamples == 20_000
    assert abs(mc.pvalue - exact.pvalue) < 4 * mc.standard_error + 1 / 20_001
    assert mc.standard_error == approx(math.sqrt(mc.pvalue * (1 - mc.pvalue) / 20_000))
    again = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=20_000, seed=12345)
    assert again.pvalue == mc.pvalue
    other = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=20_000, seed=54321)
    assert abs(other.pvalue - exact.pvalue) < 4 * other.standard_error + 1 / 20_001
    unseeded = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=100)
    assert isinstance(unseeded.seed, int)


def test_monte_carlo_2x2_matches_scipy_within_se() -> None:
    t = [[12, 5], [4, 11]]
    mc = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=40_000, seed=7)
    ref = ss.fisher_exact(t).pvalue
    assert abs(mc.pvalue - ref) < 4 * mc.standard_error + 1 / 40_001


def test_monte_carlo_same_for_any_thread_count() -> None:
    code = (
        "import huisverbod as hv;"
        "r = hv.stats.fisher_exact([[8, 2, 3], [1, 5, 4], [2, 6, 1]], method='monte-carlo',"
        " n_resamples=5000, seed=99); print(repr(r.pvalue))"
    )
    out = []
    for threads in ("1", "2", "3"):
        env = dict(os.environ, RAYON_NUM_THREADS=threads)
        out.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert out[0] == out[1] == out[2]


def test_auto_switches_to_monte_carlo_above_the_limit() -> None:
    t = np.array([[8, 2, 3], [1, 5, 4], [2, 6, 1]])
    res = hv.stats.fisher_exact(t, max_tables=50, seed=1, n_resamples=2000)
    assert res.method == "monte-carlo"
    with pytest.raises(ValueError, match="max_tables"):
        hv.stats.fisher_exact(t, method="exact", max_tables=50)


def test_fisher_rxc_moderate_size_is_fast_and_consistent() -> None:
    # A 3×5 table with N = 39: exact within the default limit; the Monte
    # Carlo estimate agrees.
    rng = np.random.default_rng(3)
    t = rng.integers(0, 8, size=(3, 5))
    res = hv.stats.fisher_exact(t)
    assert res.method == "exact" and res.n_tables <= 1e8
    mc = hv.stats.fisher_exact(t, method="monte-carlo", n_resamples=20_000, seed=5)
    assert abs(mc.pvalue - res.pvalue) < 4 * mc.standard_error + 1 / 20_001


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"table": [[1, 2, 3], [4, 5, 6]], "alternative": "less"}, "two-sided"),
        ({"table": [[1, 2], [3, 4]], "alternative": "sideways"}, "alternative"),
        ({"table": [[1, 2], [3, 4]], "method": "bootstrap"}, "method"),
        ({"table": [[1, 2], [3, 4]], "confidence_level": 1.0}, "confidence_level"),
        ({"table": [[1, 2], [3, 4]], "n_resamples": 0}, "n_resamples"),
        ({"table": [[1, 2], [3, 4]], "seed": -1}, "seed"),
        ({"table": [[1, -2], [3, 4]]}, "negative"),
        ({"table": [[1, 2.5], [3, 4]]}, "non-integer"),
        ({"table": [[1, 2]]}, "at least 2 rows"),
        ({"table": [[1, 2, 3], [4, 5, 6]], "max_tables": float("nan")}, "max_tables"),
    ],
)
def test_fisher_bad_input(kwargs, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        hv.stats.fisher_exact(**kwargs)


def test_rxc_result_has_no_interval() -> None:
    res = hv.stats.fisher_exact([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(NotImplementedError):
        res.confidence_interval()


def test_docstring_examples_run() -> None:
    result = doctest.testmod(contingency_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_exports() -> None:
    for name in ("chi2_test", "fisher_exact", "SmallExpectedWarning", "Chi2TestResult"):
        assert name in hv.stats.__all__


def test_brute_force_helper_counts_tables() -> None:
    # Sanity of the reference itself: 2×2 with margins (2, 2)/(2, 2) has 3 tables.
    assert len(list(_margins_tables([2, 2], [2, 2]))) == 3
    assert sum(1 for _ in itertools.islice(_margins_tables([1, 1, 1], [1, 1, 1]), 100)) == 6
