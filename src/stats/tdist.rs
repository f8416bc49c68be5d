//! Accurate tails of the Student t, noncentral t and F distributions, the
//! Stirling remainder of `ln Γ`, and Brent's root finder.
//!
//! The t-tests, Levene's test and the effect-size intervals need these to the
//! last few ulps, also where statrs' distribution objects lose digits:
//!
//! - statrs computes the t tail as `I_h(ν/2, 1/2)` with `h = ν/(ν+t²)` and
//!   lets the incomplete beta reflect `1 - h` internally; for `t² ≪ ν` that
//!   difference has lost most of its digits (and for `t²/ν < 1e-15` statrs
//!   returns exactly 1/2). Here both `h` and `1 - h = t²/(ν+t²)` are formed
//!   directly and the incomplete beta is evaluated on the side that converges
//!   ([`beta_reg_pair`]); the same for the F tail.
//! - The noncentral t distribution is not in statrs at all: [`nct_cdf`] and
//!   [`nct_sf`] integrate it numerically, each tail with a positive integrand.
//!
//! Accuracy is checked against scipy (`scipy.special.stdtr`, `stdtrit`,
//! `scipy.stats.f.sf`, `scipy.stats.nct`) in `tests/python/test_stats_means.py`.

use crate::stats::prec;
use statrs::distribution::{Continuous, StudentsT};
use statrs::function::beta::checked_beta_reg;

/// The regularized incomplete beta function `I_x(a, b)` given both `x` and
/// `y = 1 − x` (each computed directly by the caller, so neither carries the
/// cancellation of `1 − x`).
///
/// ```text
/// I_x(a, b) = B(x; a, b) / B(a, b)
///           = 1 − I_y(b, a)          (used when x ≥ (a+1)/(a+b+2))
/// ```
///
/// Returns NaN for arguments outside `a, b > 0`, `0 ≤ x, y ≤ 1`.
pub fn beta_reg_pair(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)) {
        return f64::NAN;
    }
    if x == 0.0 {
        return 0.0;
    }
    if y == 0.0 {
        return 1.0;
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        checked_beta_reg(a, b, x).unwrap_or(f64::NAN)
    } else {
        1.0 - checked_beta_reg(b, a, y).unwrap_or(f64::NAN)
    }
}

/// Upper tail `P(T ≥ t)` of Student's t distribution with `df > 0` degrees
/// of freedom (`df` need not be an integer: Welch's test).
///
/// ```text
/// P(T ≥ t) = ½ · I_h(ν/2, ½),      h = ν/(ν+t²),  1−h = t²/(ν+t²)   (t ≥ 0)
/// P(T ≥ t) = 1 − P(T ≥ −t)                                          (t < 0)
/// ```
///
/// NaN for NaN input or `df ≤ 0`.
pub fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t == f64::INFINITY {
        return 0.0;
    }
    if t == f64::NEG_INFINITY {
        return 1.0;
    }
    if df == f64::INFINITY {
        return normal_sf(t);
    }
    let t2 = t * t;
    let (h, y) = if t2.is_finite() {
        (df / (df + t2), t2 / (df + t2))
    } else {
        (0.0, 1.0)
    };
    let tail = 0.5 * beta_reg_pair(0.5 * df, 0.5, h, y);
    if t >= 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Lower tail `P(T ≤ t)` of Student's t distribution (`t_sf(−t, df)`).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    t_sf(-t, df)
}

/// The p-value of a Student-t statistic, from the two tails [`t_sf`] and
/// [`t_cdf`] (see [`crate::stats::pvalue_from_tails`]).
///
/// Unlike [`crate::stats::pvalue_t`] (statrs' `sf`), this keeps full relative
/// accuracy for `t² ≪ df` as well.
pub fn pvalue_t(t: f64, df: f64, alternative: crate::stats::Alternative) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    crate::stats::pvalue_from_tails(t_cdf(t, df), t_sf(t, df), alternative)
}

/// The quantile `x` with `P(T ≤ x) = p` of Student's t distribution
/// (scipy's `stdtrit(df, p)`).
///
/// Solved with Brent's method on the log of the smaller tail, starting from
/// statrs' approximation, so the result is as accurate as [`t_sf`].
/// `p = 0` gives `−inf`, `p = 1` gives `inf`; NaN for `p` outside `[0, 1]` or
/// `df ≤ 0`.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    // Work in the lower tail: x < 0 with cdf(x) = q, q = min(p, 1 - p).
    let (q, sign) = if p < 0.5 { (p, -1.0) } else { (1.0 - p, 1.0) };
    let ln_q = q.ln();
    // g(x) = ln P(T ≥ x) − ln q for x ≥ 0 (decreasing).
    let g = |x: f64| t_sf(x, df).ln() - ln_q;
    // Bracket: g(0) = ln(½/q) > 0; double from |z_q| (the t quantile lies
    // beyond the normal one) until g < 0.
    let mut lo = 0.0;
    let mut hi = (-crate::stats::normal_quantile_statrs(q)).max(1.0);
    let mut k = 0;
    while g(hi) > 0.0 && k < 2100 {
        lo = hi;
        hi *= 2.0;
        k += 1;
    }
    match brentq(g, lo, hi, 0.0, 4.0 * f64::EPSILON, prec::ROOT_MAX_ITER) {
        Some(x) => sign * x,
        None => f64::NAN,
    }
}

/// Density of Student's t distribution (statrs).
pub fn t_pdf(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d.pdf(t),
        Err(_) => f64::NAN,
    }
}

/// Upper tail `P(F ≥ f)` of the F distribution with `d1`, `d2` degrees of
/// freedom.
///
/// ```text
/// P(F ≥ f) = I_x(d2/2, d1/2),   x = d2/(d2 + d1·f),  1−x = d1·f/(d2 + d1·f)
/// ```
///
/// NaN for NaN input or non-positive degrees of freedom.
pub fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() || d1.is_nan() || d2.is_nan() || d1 <= 0.0 || d2 <= 0.0 {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f == f64::INFINITY {
        return 0.0;
    }
    let d1f = d1 * f;
    if !d1f.is_finite() {
        return 0.0;
    }
    beta_reg_pair(0.5 * d2, 0.5 * d1, d2 / (d2 + d1f), d1f / (d2 + d1f))
}

/// Both tails `(Φ(x), 1 − Φ(x))` of the standard normal distribution, each
/// with full relative accuracy (about 1e-16) down to the smallest doubles.
///
/// W. J. Cody's rational Chebyshev approximations (Cody 1969; the
/// coefficients of his ANORM routine, also behind R's `pnorm`):
///
/// ```text
/// |x| ≤ 0.674:       Φ(x) = ½ + x·A(x²)/B(x²)
/// 0.674 < |x| ≤ √32: Q(|x|) = exp(−x²/2) · C(|x|)/D(|x|)
/// √32 < |x| < 38.6:  Q(|x|) = exp(−x²/2) · [1/√(2π) − x⁻²·P(x⁻²)/R(x⁻²)] / |x|
/// ```
///
/// where `Q` is the smaller tail; `exp(−x²/2)` is split as
/// `exp(−s²/2)·exp(−(x−s)(x+s)/2)` with `s = ⌊16x⌋/16`, so the square loses
/// no digits. (statrs' `erfc`, behind [`crate::stats::pvalue_normal`], is
/// accurate to about 4e-11 relative at `x = 3`, too coarse for these tests.)
///
/// # References
/// Cody, W. J. (1969). Rational Chebyshev approximations for the error
/// function. *Mathematics of Computation* 23, 631–637.
// The coefficients are written as published (more digits than f64 holds).
#[allow(clippy::excessive_precision)]
pub fn normal_tails(x: f64) -> (f64, f64) {
    const A: [f64; 5] = [
        2.2352520354606839287,
        161.02823106855587881,
        1067.6894854603709582,
        18154.981253343561249,
        0.065682337918207449113,
    ];
    const B: [f64; 4] = [
        47.20258190468824187,
        976.09855173777669322,
        10260.932208618978205,
        45507.789335026729956,
    ];
    const C: [f64; 9] = [
        0.39894151208813466764,
        8.8831497943883759412,
        93.506656132177855979,
        597.27027639480026226,
        2494.5375852903726711,
        6848.1904505362823326,
        11602.651437647350124,
        9842.7148383839780218,
        1.0765576773720192317e-8,
    ];
    const D: [f64; 8] = [
        22.266688044328115691,
        235.38790178262499861,
        1519.377599407554805,
        6485.558298266760755,
        18615.571640885098091,
        34900.952721145977266,
        38912.003286093271411,
        19685.429676859990727,
    ];
    const P: [f64; 6] = [
        0.21589853405795699,
        0.1274011611602473639,
        0.022235277870649807,
        0.001421619193227893466,
        2.9112874951168792e-5,
        0.02307344176494017303,
    ];
    const Q: [f64; 5] = [
        1.28426009614491121,
        0.468238212480865118,
        0.0659881378689285515,
        0.00378239633202758244,
        7.29751555083966205e-5,
    ];
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    if x.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    let y = x.abs();
    if y <= 0.674_489_75 {
        let xsq = if y > 0.5 * f64::EPSILON { x * x } else { 0.0 };
        let mut num = A[4] * xsq;
        let mut den = xsq;
        for i in 0..3 {
            num = (num + A[i]) * xsq;
            den = (den + B[i]) * xsq;
        }
        let temp = x * (num + A[3]) / (den + B[3]);
        return (0.5 + temp, 0.5 - temp);
    }
    // The smaller tail Q(y) = P(Z > y).
    let small = if y <= 32f64.sqrt() {
        let mut num = C[8] * y;
        let mut den = y;
        for i in 0..7 {
            num = (num + C[i]) * y;
            den = (den + D[i]) * y;
        }
        gauss_factor(y) * ((num + C[7]) / (den + D[7]))
    } else if y < 38.6 {
        let xsq = 1.0 / (y * y);
        let mut num = P[5] * xsq;
        let mut den = xsq;
        for i in 0..4 {
            num = (num + P[i]) * xsq;
            den = (den + Q[i]) * xsq;
        }
        let r = xsq * (num + P[4]) / (den + Q[4]);
        gauss_factor(y) * ((INV_SQRT_2PI - r) / y)
    } else {
        0.0
    };
    if x > 0.0 {
        (1.0 - small, small)
    } else {
        (small, 1.0 - small)
    }
}

/// `exp(−y²/2)` without the rounding error of `y²`: `y = s + (y − s)` with
/// `s` a multiple of 1/16, so `s²` is exact.
fn gauss_factor(y: f64) -> f64 {
    let s = (y * 16.0).trunc() / 16.0;
    let del = (y - s) * (y + s);
    (-0.5 * s * s).exp() * (-0.5 * del).exp()
}

/// Standard normal lower tail `Φ(x)` ([`normal_tails`]).
pub fn normal_cdf(x: f64) -> f64 {
    normal_tails(x).0
}

/// Standard normal upper tail `1 − Φ(x)` ([`normal_tails`]).
pub fn normal_sf(x: f64) -> f64 {
    normal_tails(x).1
}

/// The p-value of a standard-normal statistic from [`normal_tails`]
/// (as [`crate::stats::pvalue_normal`], with full relative accuracy).
pub fn pvalue_normal(z: f64, alternative: crate::stats::Alternative) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let (cdf, sf) = normal_tails(z);
    crate::stats::pvalue_from_tails(cdf, sf, alternative)
}

/// The standard normal quantile `z` with `Φ(z) = p`: statrs' approximation
/// ([`crate::stats::normal_quantile_statrs`]) polished by two Newton steps on
/// [`normal_tails`] (in the smaller tail), so it is as accurate as `Φ`.
pub fn normal_ppf(p: f64) -> f64 {
    let mut z = crate::stats::normal_quantile_statrs(p);
    if !z.is_finite() {
        return z;
    }
    // Newton on ln(tail) − ln(target) in the smaller tail: the step is
    // (ln Q(z) − ln q)·Q(z)/φ(z), well scaled however small q is.
    let (q, lower) = if p < 0.5 { (p, true) } else { (1.0 - p, false) };
    for _ in 0..20 {
        let (cdf, sf) = normal_tails(z);
        let tail = if lower { cdf } else { sf };
        let dens = gauss_factor(z.abs()) * 0.398_942_280_401_432_7;
        if tail == 0.0 || dens == 0.0 {
            break;
        }
        let step = (tail.ln() - q.ln()) * tail / dens;
        // d tail/dz is +φ in the lower tail and −φ in the upper one.
        z -= if lower { step } else { -step };
        if step.abs() <= 1e-15 * z.abs().max(1.0) {
            break;
        }
    }
    z
}

/// The Stirling remainder (Binet's function) of the log-gamma function:
///
/// ```text
/// S(a) = ln Γ(a) − [(a − ½)·ln a − a + ½·ln(2π)]
///      = 1/(12a) − 1/(360a³) + 1/(1260a⁵) − 1/(1680a⁷) + 1/(1188a⁹) − …   (a ≥ 10)
/// S(a) = S(a+1) + (a + ½)·ln(1 + 1/a) − 1                                  (a < 10)
/// ```
///
/// Differences of `ln Γ` at large, close arguments lose their digits when
/// `ln Γ` is evaluated twice and subtracted; written with `S` they do not
/// (see [`ln_gamma_ratio_half`]). NaN for `a ≤ 0`.
pub fn binet(a: f64) -> f64 {
    if a.is_nan() || a <= 0.0 {
        return f64::NAN;
    }
    let mut x = a;
    let mut shift = 0.0;
    while x < 10.0 {
        shift += (x + 0.5) * (1.0 / x).ln_1p() - 1.0;
        x += 1.0;
    }
    let r = 1.0 / x;
    let r2 = r * r;
    // Coefficients B_{2k} / (2k(2k−1)); the next term is below 3e-17 at x = 10.
    let series = r
        * (1.0 / 12.0
            - r2 * (1.0 / 360.0
                - r2 * (1.0 / 1260.0
                    - r2 * (1.0 / 1680.0
                        - r2 * (1.0 / 1188.0 - r2 * (691.0 / 360_360.0 - r2 / 156.0))))));
    series + shift
}

/// `ln Γ(a) − ln Γ(a − ½) − ½·ln a` for `a > ½`, without cancellation:
///
/// ```text
/// = −(a − 1)·ln(1 − 1/(2a)) − ½ + S(a) − S(a − ½)
/// ```
///
/// with `S` from [`binet`]. Hedges' correction is `J(m) = exp(this)` at
/// `a = m/2`.
pub fn ln_gamma_ratio_half(a: f64) -> f64 {
    if a.is_nan() || a <= 0.5 {
        return f64::NAN;
    }
    -(a - 1.0) * (-0.5 / a).ln_1p() - 0.5 + binet(a) - binet(a - 0.5)
}

/// Brent's root finder (the algorithm of scipy's `brentq`): a root of `f` in
/// `[xa, xb]`, where `f(xa)` and `f(xb)` have opposite signs, to within
/// `xtol + rtol·|x|`.
///
/// Returns `None` if the signs do not differ, a value is NaN, or `max_iter`
/// iterations do not converge.
pub fn brentq<F: FnMut(f64) -> f64>(
    mut f: F,
    xa: f64,
    xb: f64,
    xtol: f64,
    rtol: f64,
    max_iter: usize,
) -> Option<f64> {
    let mut xpre = xa;
    let mut xcur = xb;
    let mut fpre = f(xpre);
    let mut fcur = f(xcur);
    if fpre.is_nan() || fcur.is_nan() {
        return None;
    }
    if fpre == 0.0 {
        return Some(xpre);
    }
    if fcur == 0.0 {
        return Some(xcur);
    }
    if fpre.is_sign_negative() == fcur.is_sign_negative() {
        return None;
    }
    let (mut xblk, mut fblk) = (0.0, 0.0);
    let (mut spre, mut scur) = (0.0, 0.0);
    for _ in 0..max_iter {
        if fpre != 0.0 && fcur != 0.0 && fpre.is_sign_negative() != fcur.is_sign_negative() {
            xblk = xpre;
            fblk = fpre;
            spre = xcur - xpre;
            scur = spre;
        }
        if fblk.abs() < fcur.abs() {
            xpre = xcur;
            xcur = xblk;
            xblk = xpre;
            fpre = fcur;
            fcur = fblk;
            fblk = fpre;
        }
        let delta = (xtol + rtol * xcur.abs()) / 2.0;
        let sbis = (xblk - xcur) / 2.0;
        if fcur == 0.0 || sbis.abs() < delta {
            return Some(xcur);
        }
        if spre.abs() > delta && fcur.abs() < fpre.abs() {
            let stry = if xpre == xblk {
                // Secant (linear interpolation).
                -fcur * (xcur - xpre) / (fcur - fpre)
            } else {
                // Inverse quadratic interpolation.
                let dpre = (fpre - fcur) / (xpre - xcur);
                let dblk = (fblk - fcur) / (xblk - xcur);
                -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            };
            if 2.0 * stry.abs() < spre.abs().min(3.0 * sbis.abs() - delta) {
                spre = scur;
                scur = stry;
            } else {
                spre = sbis;
                scur = sbis;
            }
        } else {
            spre = sbis;
            scur = sbis;
        }
        xpre = xcur;
        fpre = fcur;
        if scur.abs() > delta {
            xcur += scur;
        } else {
            xcur += if sbis > 0.0 { delta } else { -delta };
        }
        fcur = f(xcur);
        if fcur.is_nan() {
            return None;
        }
    }
    None
}

// ------------------------------------------------------------ noncentral t

/// Gauss–Kronrod 15-point nodes (QUADPACK `qk15`), positive half.
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights for [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
/// Gauss 7-point weights for the nodes `XGK[1], XGK[3], XGK[5], XGK[7]`.
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// One Gauss–Kronrod 15 panel: (Kronrod estimate, |Kronrod − Gauss|).
fn gk15<F: Fn(f64) -> f64>(f: &F, a: f64, b: f64) -> (f64, f64) {
    let c = 0.5 * (a + b);
    let h = 0.5 * (b - a);
    let fc = f(c);
    let mut k = fc * WGK[7];
    let mut g = fc * WG[3];
    for j in 0..7 {
        let dx = h * XGK[j];
        let s = f(c - dx) + f(c + dx);
        k += WGK[j] * s;
        if j % 2 == 1 {
            g += WG[j / 2] * s;
        }
    }
    (k * h, ((k - g) * h).abs())
}

/// Globally adaptive Gauss–Kronrod quadrature of `f` over the panels given by
/// consecutive `breaks`, until the summed error estimate is below
/// `max(abs_tol, rel_tol·|I|)`.
fn integrate<F: Fn(f64) -> f64>(f: &F, breaks: &[f64], abs_tol: f64, rel_tol: f64) -> f64 {
    // (a, b, value, error)
    let mut panels: Vec<(f64, f64, f64, f64)> = breaks
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let (v, e) = gk15(f, w[0], w[1]);
            (w[0], w[1], v, e)
        })
        .collect();
    for _ in 0..NCT_MAX_PANELS {
        let total: f64 = panels.iter().map(|p| p.2).sum();
        let err: f64 = panels.iter().map(|p| p.3).sum();
        if err <= abs_tol.max(rel_tol * total.abs()) {
            return total;
        }
        // Split the panel with the largest error.
        let (i, _) =
            panels.iter().enumerate().fold(
                (0, -1.0),
                |acc, (i, p)| if p.3 > acc.1 { (i, p.3) } else { acc },
            );
        let (a, b, _, _) = panels[i];
        let m = 0.5 * (a + b);
        if !(m > a && m < b) {
            break; // cannot split further
        }
        let (v1, e1) = gk15(f, a, m);
        let (v2, e2) = gk15(f, m, b);
        panels[i] = (a, m, v1, e1);
        panels.push((m, b, v2, e2));
    }
    panels.iter().map(|p| p.2).sum()
}

/// Maximum number of quadrature panels for one noncentral t tail.
const NCT_MAX_PANELS: usize = 2000;
/// The χ-density factor is dropped where it is below `exp(−NCT_LOG_CUT)` of
/// its mode (≈ 8.8e-27 relative to the total mass of 1).
const NCT_LOG_CUT: f64 = 60.0;

/// Both tails of the noncentral t distribution by quadrature.
///
/// With `T = (Z + δ)/S`, `S = sqrt(χ²_ν/ν)` and `w = ln S`:
///
/// ```text
/// P(T ≤ t) = E[Φ(t·S − δ)],   P(T > t) = E[Φ(δ − t·S)]
/// density of w:  exp(φ(w)) / N,   φ(w) = ν·(w − (e^{2w} − 1)/2) ≤ 0,
///                N = sqrt(π/ν) · exp(S(ν/2))      (S: Binet's function)
/// ```
///
/// Each tail has a positive integrand, so small tails keep their relative
/// accuracy; `upper` selects the tail.
fn nct_tail(t: f64, df: f64, nc: f64, upper: bool) -> f64 {
    if t.is_nan() || df.is_nan() || nc.is_nan() || df <= 0.0 || !nc.is_finite() {
        return f64::NAN;
    }
    if t == f64::INFINITY {
        return if upper { 0.0 } else { 1.0 };
    }
    if t == f64::NEG_INFINITY {
        return if upper { 1.0 } else { 0.0 };
    }
    if t == 0.0 {
        return if upper {
            normal_cdf(nc)
        } else {
            normal_cdf(-nc)
        };
    }
    let phi = |w: f64| df * (w - 0.5 * (2.0 * w).exp_m1());
    // Integration limits where φ(w) = −NCT_LOG_CUT (φ increases on w < 0,
    // decreases on w > 0; the brackets hold since φ(w) ≤ ν(w + ½) and
    // φ(w) ≤ −ν·w² for w > 0).
    let cut = |w: f64| phi(w) + NCT_LOG_CUT;
    let lo = brentq(cut, -(NCT_LOG_CUT / df) - 1.0, 0.0, 1e-12, 0.0, 200)
        .unwrap_or(-(NCT_LOG_CUT / df) - 1.0);
    let hi = brentq(cut, 0.0, (NCT_LOG_CUT / df).sqrt() + 1e-3, 1e-12, 0.0, 200)
        .unwrap_or((NCT_LOG_CUT / df).sqrt() + 1e-3);
    let norm = (std::f64::consts::PI / df).sqrt() * binet(0.5 * df).exp();
    let f = |w: f64| {
        let z = t * w.exp() - nc;
        let p = if upper { normal_cdf(-z) } else { normal_cdf(z) };
        if p == 0.0 {
            0.0
        } else {
            p * phi(w).exp()
        }
    };
    // Breakpoints: the mode of the χ factor (w = 0) and the step of Φ at
    // t·e^w = δ, each panel split in four.
    let mut marks = vec![lo, 0.0, hi];
    if nc / t > 0.0 {
        let w0 = (nc / t).ln();
        if w0 > lo && w0 < hi {
            marks.push(w0);
        }
    }
    marks.sort_by(f64::total_cmp);
    let mut breaks = Vec::with_capacity(4 * marks.len());
    for w in marks.windows(2) {
        for j in 0..4 {
            breaks.push(w[0] + (w[1] - w[0]) * f64::from(j) / 4.0);
        }
    }
    breaks.push(hi);
    let value = integrate(&f, &breaks, 1e-18 * norm, 1e-14);
    (value / norm).clamp(0.0, 1.0)
}

/// `P(T ≤ t)` for the noncentral t distribution with `df` degrees of freedom
/// and noncentrality `nc` (scipy's `nct.cdf(t, df, nc)`).
///
/// Computed by adaptive Gauss–Kronrod quadrature of `E[Φ(t·S − δ)]` over the
/// χ law of `S` (see the module docs); accurate to about 1e-14 relative for
/// tails above 1e-300 and `df` up to 1e7. NaN for `df ≤ 0`, non-finite `nc`
/// or NaN input.
///
/// # Examples
/// ```
/// use huisverbod::stats::tdist::{nct_cdf, t_cdf};
/// // With nc = 0 the noncentral t is Student's t.
/// assert!((nct_cdf(1.3, 7.0, 0.0) / t_cdf(1.3, 7.0) - 1.0).abs() < 1e-13);
/// ```
pub fn nct_cdf(t: f64, df: f64, nc: f64) -> f64 {
    nct_tail(t, df, nc, false)
}

/// `P(T > t)` for the noncentral t distribution (scipy's `nct.sf`), computed
/// directly (not as `1 − cdf`); see [`nct_cdf`].
pub fn nct_sf(t: f64, df: f64, nc: f64) -> f64 {
    nct_tail(t, df, nc, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn t_tails_by_hand() {
        // df = 1 is the Cauchy distribution: P(T ≥ t) = ½ − atan(t)/π.
        for &t in &[-30.0, -2.0, -0.3, 1e-9, 0.7, 5.0, 1e6] {
            // Written without cancellation: atan(1/t)/π for t > 0.
            let want = if t > 0.0 {
                f64::atan(1.0 / t) / std::f64::consts::PI
            } else {
                0.5 + f64::atan(-t) / std::f64::consts::PI
            };
            assert!(
                close(t_sf(t, 1.0), want, 1e-14),
                "t = {t}: {} vs {want}",
                t_sf(t, 1.0)
            );
        }
        // df = 2: P(T ≥ t) = ½ − t / (2·sqrt(2 + t²)), exact for small t
        // where statrs' sf returns ½.
        let t: f64 = 1e-9;
        let want = 0.5 - t / (2.0 * (2.0 + t * t).sqrt());
        assert!(close(t_sf(t, 2.0), want, 1e-15));
        assert!(t_sf(f64::NAN, 3.0).is_nan() && t_sf(1.0, 0.0).is_nan());
    }

    #[test]
    fn t_quantile_inverts_the_tail() {
        // df = 1 (Cauchy): x = tan(π(p − ½)).
        for &p in &[1e-12, 0.025, 0.3, 0.975, 1.0 - 1e-9] {
            // x = −cot(πp) for p < ½ and cot(π(1−p)) above, without cancellation.
            let pi = std::f64::consts::PI;
            let want = if p < 0.5 {
                -1.0 / (pi * p).tan()
            } else {
                1.0 / (pi * (1.0 - p)).tan()
            };
            assert!(
                close(t_quantile(p, 1.0), want, 1e-9),
                "p = {p}: {} vs {want}",
                t_quantile(p, 1.0)
            );
        }
        for &df in &[1.5, 4.0, 37.3, 1e5] {
            for &p in &[1e-200, 1e-5, 0.05, 0.6] {
                // Tolerance: the slope of ln P in x is about x²/(1 + x²/ν)·…,
                // so one ulp of x moves P by up to ~1e-13 relative in the far tail.
                let x = t_quantile(p, df);
                assert!(
                    close(t_cdf(x, df), p, 1e-11),
                    "df = {df}, p = {p}: {x} {}",
                    t_cdf(x, df)
                );
            }
        }
        // df = 2: x = (2p − 1)/sqrt(2p(1 − p)).
        for &p in &[1e-30_f64, 0.025, 0.4] {
            let want = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!(close(t_quantile(p, 2.0), want, 1e-14), "p = {p}");
        }
        assert_eq!(t_quantile(0.5, 3.0), 0.0);
        // Normal quantiles: Φ(z) = p in the smaller tail.
        for &p in &[1e-300, 1e-9, 0.025, 0.5, 0.975, 1.0 - 1e-12] {
            let z = normal_ppf(p);
            let (c, s) = normal_tails(z);
            // One ulp of z moves the tail by |z|²·1e-16 relative (1.5e-13 at z = −37).
            let ok = if p < 0.5 {
                close(c, p, 1e-12)
            } else {
                close(s, 1.0 - p, 1e-12)
            };
            assert!(ok, "p = {p}: z = {z}");
        }
        assert!(t_quantile(1.5, 3.0).is_nan());
    }

    #[test]
    fn f_tail_by_hand() {
        // F(2, 2): P(F ≥ f) = 1/(1 + f).
        for &f in &[0.0, 1e-12, 0.5, 3.0, 1e12] {
            assert!(close(f_sf(f, 2.0, 2.0), 1.0 / (1.0 + f), 1e-14), "f = {f}");
        }
        // F(1, ν) = t²: P(F ≥ f) = 2·P(T ≥ sqrt f).
        assert!(close(f_sf(4.0, 1.0, 9.0), 2.0 * t_sf(2.0, 9.0), 1e-14));
    }

    #[test]
    fn binet_and_hedges_factor() {
        // S(1) = 1 − ½ ln 2π;  S(½) = ½ − ½ ln 2.
        let ln2pi = (2.0 * std::f64::consts::PI).ln();
        assert!(close(binet(1.0), 1.0 - 0.5 * ln2pi, 1e-14));
        assert!(close(binet(0.5), 0.5 - 0.5 * std::f64::consts::LN_2, 1e-14));
        // J(2) = Γ(1)/(1·Γ(½)) = 1/sqrt(π);  J(4) = Γ(2)/(sqrt 2·Γ(3/2)) = sqrt(2/π).
        let pi = std::f64::consts::PI;
        assert!(close(
            ln_gamma_ratio_half(1.0).exp(),
            1.0 / pi.sqrt(),
            1e-14
        ));
        assert!(close(
            ln_gamma_ratio_half(2.0).exp(),
            (2.0 / pi).sqrt(),
            1e-14
        ));
    }

    #[test]
    fn noncentral_t_special_cases() {
        // nc = 0: Student's t, both tails.
        for &(t, df) in &[(-3.0, 2.0), (0.4, 1.0), (2.5, 30.0), (12.0, 5.0)] {
            let (c, s) = (nct_cdf(t, df, 0.0), nct_sf(t, df, 0.0));
            assert!(
                close(c, t_cdf(t, df), 1e-12),
                "{t} {df}: {c} vs {}",
                t_cdf(t, df)
            );
            assert!(
                close(s, t_sf(t, df), 1e-12),
                "{t} {df}: {s} vs {}",
                t_sf(t, df)
            );
        }
        // t = 0: P(T ≤ 0) = Φ(−δ).
        assert!(close(nct_cdf(0.0, 4.0, 1.5), normal_cdf(-1.5), 1e-15));
        // Tails add to one.
        let (c, s) = (nct_cdf(2.0, 9.0, 1.0), nct_sf(2.0, 9.0, 1.0));
        assert!((c + s - 1.0).abs() < 1e-14);
    }

    #[test]
    fn brent_finds_sqrt2() {
        let r = brentq(|x| x * x - 2.0, 0.0, 2.0, 1e-15, 1e-15, 100).unwrap();
        assert!(close(r, std::f64::consts::SQRT_2, 1e-14));
        assert!(brentq(|x| x * x + 1.0, 0.0, 2.0, 1e-15, 1e-15, 100).is_none());
    }
}
