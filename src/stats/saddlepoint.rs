//! Accurate numerics for the exact tests and the beta-based intervals of the
//! `contingency` and `proportions` families.
//!
//! Subtracting `ln Γ` values loses relative accuracy once the counts are large
//! (`ln Γ(10⁶) ≈ 1.3·10⁷`, so one rounding error is `3·10⁻⁹` in a log
//! probability). Everything here follows Loader (2000) instead, as R's
//! `dbinom`/`dhyper` do: a binomial probability is written as
//!
//! ```text
//! b(x; n, p) = sqrt(n / (2π x (n-x)))
//!              · exp(δ(n) - δ(x) - δ(n-x) - D(x, np) - D(n-x, nq))
//! δ(n)   = ln Γ(n+1) - (n+½) ln n + n - ½ ln 2π      (Stirling's error, `stirlerr`)
//! D(x,m) = x ln(x/m) + m - x                           (deviance term, `bd0`)
//! ```
//!
//! so that each probability carries full relative precision, also far in
//! the tails. On top of it: hypergeometric log-probabilities, the regularized
//! incomplete beta function (continued fraction with a Loader prefactor) and
//! its quantiles, a Brent root finder and compensated sums.
//!
//! # References
//! - C. Loader (2000), *Fast and Accurate Computation of Binomial
//!   Probabilities*.
//! - W. H. Press et al., *Numerical Recipes*, 3rd ed., §6.4 (incomplete beta
//!   continued fraction, modified Lentz).
//! - R. P. Brent (1973), *Algorithms for Minimization without Derivatives*,
//!   ch. 4 (`zeroin`).

use super::prec;

/// `ln(2π)`.
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `δ(n)` at `n = 0.5, 1.0, ..., 15.0`, computed to 50 digits from
/// `ln Γ(n+1)` (exact factorials and `Γ(k+½) = (2k)! √π / (4^k k!)`).
const SFERR_HALVES: [f64; 31] = [
    0.0, // n = 0 (not used)
    0.153_426_409_720_027_36,
    0.081_061_466_795_327_26,
    0.054_814_121_051_917_65,
    0.041_340_695_955_409_3,
    0.033_162_873_519_936_29,
    0.027_677_925_684_998_34,
    0.023_746_163_656_297_496,
    0.020_790_672_103_765_093,
    0.018_488_450_532_673_187,
    0.016_644_691_189_821_193,
    0.015_134_973_221_917_378,
    0.013_876_128_823_070_748,
    0.012_810_465_242_920_227,
    0.011_896_709_945_891_77,
    0.011_104_559_758_206_917,
    0.010_411_265_261_972_096,
    0.009_799_416_126_158_804,
    0.009_255_462_182_712_733,
    0.008_768_700_134_139_386,
    0.008_330_563_433_362_87,
    0.007_934_114_564_314_02,
    0.007_573_675_487_951_841,
    0.007_244_554_301_320_383,
    0.006_942_840_107_209_53,
    0.006_665_247_032_707_682,
    0.006_408_994_188_004_207,
    0.006_171_712_263_039_458,
    0.005_951_370_112_758_847_5,
    0.005_746_216_513_010_115_5,
    0.005_554_733_551_962_801,
];

/// Stirling's error `δ(n) = ln Γ(n+1) - (n+½) ln n + n - ½ ln 2π`, `n > 0`.
///
/// Exact table for `n ≤ 15` at multiples of ½, asymptotic series above
/// (truncation error below `2·10⁻¹⁶` absolute). Other `n ≤ 15` fall back
/// to `ln Γ` (not used by this crate: all arguments are multiples of ½).
pub(crate) fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        let nn = n + n;
        if nn == nn.floor() && nn >= 1.0 {
            return SFERR_HALVES[nn as usize];
        }
        return statrs::function::gamma::ln_gamma(n + 1.0) - (n + 0.5) * n.ln() + n - 0.5 * LN_2PI;
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// The deviance term `D(x, m) = x ln(x/m) + m - x ≥ 0`, without cancellation
/// when `x ≈ m` (series in `v = (x-m)/(x+m)`); `D(0, m) = m`.
pub(crate) fn bd0(x: f64, m: f64) -> f64 {
    if x == 0.0 {
        return m;
    }
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        return s;
    }
    x * (x / m).ln() + m - x
}

/// `ln b(x; n, p)` with `q = 1 - p` passed separately (Loader's `dbinom_raw`),
/// for real `0 ≤ x ≤ n`.
pub(crate) fn ln_dbinom_raw(x: f64, n: f64, p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if q == 0.0 {
        return if x == n { 0.0 } else { f64::NEG_INFINITY };
    }
    if x == 0.0 {
        if n == 0.0 {
            return 0.0;
        }
        return if p < 0.1 {
            -bd0(n, n * q) - n * p
        } else {
            n * q.ln()
        };
    }
    if x == n {
        return if q < 0.1 {
            -bd0(n, n * p) - n * q
        } else {
            n * p.ln()
        };
    }
    if x < 0.0 || x > n {
        return f64::NEG_INFINITY;
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    // ln(2π x (n−x)/n); ln1p(−x/n) is ill-conditioned as x/n → 1 (the
    // rounding of x/n is amplified by n/(n−x)), so use the exact n − x there.
    let lf = if x <= 0.5 * n {
        LN_2PI + x.ln() + (-x / n).ln_1p()
    } else {
        LN_2PI + x.ln() + (n - x).ln() - n.ln()
    };
    lc - 0.5 * lf
}

/// The hypergeometric distribution of the number of "white" balls among `n`
/// drawn without replacement from `r` white and `b` black balls, with its
/// log-probabilities computed as R's `dhyper(log = TRUE)`:
///
/// ```text
/// ln h(x) = ln b(x; r, p) + ln b(n-x; b, p) - ln b(n; r+b, p),  p = n/(r+b)
/// ```
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hypergeometric {
    r: f64,
    b: f64,
    n: f64,
    p: f64,
    q: f64,
    ln_p3: f64,
    /// Smallest value in the support, `max(0, n - b)`.
    pub(crate) lo: u64,
    /// Largest value in the support, `min(n, r)`.
    pub(crate) hi: u64,
}

impl Hypergeometric {
    /// `r` white, `b` black, `n` drawn; `n ≤ r + b` and `r + b > 0`.
    pub(crate) fn new(r: u64, b: u64, n: u64) -> Self {
        let (rf, bf, nf) = (r as f64, b as f64, n as f64);
        let tot = rf + bf;
        let p = nf / tot;
        let q = (tot - nf) / tot;
        Hypergeometric {
            r: rf,
            b: bf,
            n: nf,
            p,
            q,
            ln_p3: ln_dbinom_raw(nf, tot, p, q),
            lo: n.saturating_sub(b),
            hi: n.min(r),
        }
    }

    /// `ln P(X = x)`; `-inf` outside the support.
    pub(crate) fn ln_pmf(&self, x: u64) -> f64 {
        if x < self.lo || x > self.hi {
            return f64::NEG_INFINITY;
        }
        let xf = x as f64;
        ln_dbinom_raw(xf, self.r, self.p, self.q)
            + ln_dbinom_raw(self.n - xf, self.b, self.p, self.q)
            - self.ln_p3
    }

    /// A mode, `⌊(n+1)(r+1)/(r+b+2)⌋` (scipy's choice: the upper mode when
    /// there are two).
    pub(crate) fn mode(&self) -> u64 {
        let num = (self.n as u128 + 1) * (self.r as u128 + 1);
        let den = self.r as u128 + self.b as u128 + 2;
        ((num / den) as u64).clamp(self.lo, self.hi)
    }
}

/// The regularized incomplete beta function as both tails:
/// `(I_x(a, b), 1 - I_x(a, b))`, each with full relative precision.
///
/// ```text
/// I_x(a,b) = (b/(a+b)) · b(a; a+b, x) · CF(a, b, x)    for x < (a+1)/(a+b+2)
///          = 1 - I_{1-x}(b, a)                          otherwise
/// ```
///
/// with `b(·)` Loader's binomial term (so the prefactor
/// `x^a (1-x)^b / (a B(a,b))` keeps its precision for large `a + b`) and
/// `CF` the continued fraction of Numerical Recipes §6.4, evaluated by the
/// modified Lentz method. `a, b > 0`; `x` outside (0, 1) is clamped.
pub(crate) fn beta_reg_tails(a: f64, b: f64, x: f64) -> (f64, f64) {
    if x.is_nan() || a.is_nan() || b.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        let v = beta_front(a, b, x, 1.0 - x) * beta_cf(a, b, x, None);
        (v, 1.0 - v)
    } else {
        let v = beta_front(b, a, 1.0 - x, x) * beta_cf(b, a, 1.0 - x, Some(x));
        (1.0 - v, v)
    }
}

/// `x^a y^b / (a B(a, b))` with `y = 1 - x`, as `(b/(a+b)) · b(a; a+b, x)`.
fn beta_front(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let n = a + b;
    (b / n) * ln_dbinom_raw(a, n, x, y).exp()
}

/// The continued fraction of `I_x(a, b)` (modified Lentz). `y`, when given,
/// is the exact `1 − x` (`x` itself then carries the rounding of `1 − y`).
///
/// The first denominator `1 − (a+b)x/(a+1)` is small near the switch point
/// `x ≈ (a+1)/(a+b+2)`; it is formed with one fused multiply-add from the
/// exact argument, `((a+1) − (a+b)x)/(a+1)` or `(1 − b + (a+b)y)/(a+1)`,
/// so its rounding does not grow with `a + b`.
fn beta_cf(a: f64, b: f64, x: f64, y: Option<f64>) -> f64 {
    const FPMIN: f64 = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = match y {
        None => (-qab).mul_add(x, qap) / qap,
        Some(y) => qab.mul_add(y, 1.0 - b) / qap,
    };
    if d.abs() < FPMIN {
        d = FPMIN;
    }
    d = 1.0 / d;
    let mut h = d;
    // Convergence takes O(sqrt(max(a, b))) steps; the cap is generous.
    let max_iter = 1000 + 10 * (qab.sqrt() as usize);
    for m in 1..=max_iter {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < FPMIN {
            d = FPMIN;
        }
        c = 1.0 + aa / c;
        if c.abs() < FPMIN {
            c = FPMIN;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < FPMIN {
            d = FPMIN;
        }
        c = 1.0 + aa / c;
        if c.abs() < FPMIN {
            c = FPMIN;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

/// The lower quantile of Beta(a, b): the `x` with `I_x(a, b) = alpha`
/// (scipy's `beta.ppf(alpha, a, b)`), `0 < alpha < 1`.
pub(crate) fn beta_ppf(alpha: f64, a: f64, b: f64) -> f64 {
    // I_x(a,b) - alpha is increasing in x; compare the tail that is small.
    let f = |x: f64| {
        let (lower, upper) = beta_reg_tails(a, b, x);
        if alpha <= 0.5 {
            lower - alpha
        } else {
            (1.0 - alpha) - upper
        }
    };
    brent_root(f, 0.0, 1.0).unwrap_or(f64::NAN)
}

/// The upper quantile of Beta(a, b): the `x` with `1 - I_x(a, b) = alpha`
/// (scipy's `beta.isf(alpha, a, b)`), `0 < alpha < 1`.
pub(crate) fn beta_isf(alpha: f64, a: f64, b: f64) -> f64 {
    let f = |x: f64| {
        let (lower, upper) = beta_reg_tails(a, b, x);
        if alpha <= 0.5 {
            alpha - upper
        } else {
            lower - (1.0 - alpha)
        }
    };
    brent_root(f, 0.0, 1.0).unwrap_or(f64::NAN)
}

/// A root of `f` in `[a, b]` by Brent's method (`zeroin`): `None` when
/// `f(a)` and `f(b)` have the same sign, a value is NaN, or the iteration
/// limit [`prec::ROOT_MAX_ITER`] is reached. The root is located to a
/// relative [`prec::ROOT_RTOL`] (plus `4·eps·|x|`, and 1e-300 absolute).
pub(crate) fn brent_root<F: FnMut(f64) -> f64>(mut f: F, a: f64, b: f64) -> Option<f64> {
    let (mut a, mut b) = (a, b);
    let mut fa = f(a);
    let mut fb = f(b);
    if fa.is_nan() || fb.is_nan() {
        return None;
    }
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    if (fa > 0.0) == (fb > 0.0) {
        return None;
    }
    let mut c = a;
    let mut fc = fa;
    for _ in 0..prec::ROOT_MAX_ITER {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + 0.5 * prec::ROOT_RTOL * b.abs() + 1e-300;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Some(b);
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < 0.75 * cb * q - (tol_act * q).abs() / 2.0 && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = tol_act.copysign(new_step);
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if fb.is_nan() {
            return None;
        }
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
        }
    }
    None
}

/// A sum with Neumaier's compensation (error independent of the length).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    /// Adds a term.
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    /// The compensated total.
    pub(crate) fn value(&self) -> f64 {
        self.s + self.c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rtol: f64) -> bool {
        (a - b).abs() <= rtol * b.abs()
    }

    #[test]
    fn stirling_error_matches_its_definition() {
        // δ(20) = ln 20! - 20.5 ln 20 + 20 - ½ ln 2π; the series 1/240 - 1/(360·8000) + ...
        // gives 0.0041663196919969 (50-digit decimal check: 0.004166319691996922).
        assert!(close(stirlerr(20.0), 0.004_166_319_691_996_922, 1e-14));
        // δ(100) = 1/1200 - 1/(360·10⁶) + ... = 0.0008333305556349147.
        assert!(close(stirlerr(100.0), 0.000_833_330_555_634_914_7, 1e-14));
        assert!(close((2.0 * std::f64::consts::PI).ln(), LN_2PI, 1e-15));
        // The table and the series meet smoothly: δ(15) vs the series at 15.
        let series = {
            let n: f64 = 15.0;
            let nn = n * n;
            (1.0 / 12.0
                - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / 1188.0 / nn) / nn) / nn)
                    / nn)
                / n
        };
        assert!(close(stirlerr(15.0), series, 1e-12));
    }

    #[test]
    fn deviance_term() {
        // D(x, x) = 0 and D(0, m) = m; D(3, 2) = 3 ln 1.5 - 1.
        assert_eq!(bd0(5.0, 5.0), 0.0);
        assert_eq!(bd0(0.0, 2.5), 2.5);
        assert!(close(bd0(3.0, 2.0), 3.0 * 1.5f64.ln() - 1.0, 1e-14));
        // Near x = m the series avoids cancellation: D(1000, 1000.5) ≈ (x-m)²/(2m)
        // = 1.2494e-4; 50-digit decimal: 0.00012495834895208594.
        let d = bd0(1000.0, 1000.5);
        assert!(close(d, 1.249_583_489_520_859_4e-4, 1e-13), "{d}");
    }

    #[test]
    fn hypergeometric_small_case() {
        // 2 white, 3 black, draw 2: P(X=0) = 3/10, P(X=1) = 6/10, P(X=2) = 1/10.
        let h = Hypergeometric::new(2, 3, 2);
        assert_eq!((h.lo, h.hi), (0, 2));
        assert!(close(h.ln_pmf(0).exp(), 0.3, 1e-14));
        assert!(close(h.ln_pmf(1).exp(), 0.6, 1e-14));
        assert!(close(h.ln_pmf(2).exp(), 0.1, 1e-14));
        assert_eq!(h.ln_pmf(3), f64::NEG_INFINITY);
        assert_eq!(h.mode(), 1);
    }

    #[test]
    fn binomial_term_near_the_edge() {
        // b(n; n+1, 1−u) = (n+1)(1−u)^n u exactly; x/N ≈ 1 used to lose
        // n/(N−x)·eps in ln1p(−x/N).
        let n = 123_456.0f64;
        let u = 2.0f64.powi(-15);
        let exact = (n + 1.0).ln() + n * (-u).ln_1p() + u.ln();
        assert!((ln_dbinom_raw(n, n + 1.0, 1.0 - u, u) - exact).abs() < 1e-14);
    }

    #[test]
    fn incomplete_beta_integer_case() {
        // I_x(1, 1) = x; I_x(2, 1) = x²; I_x(1, 2) = 1 - (1-x)².
        let (l, u) = beta_reg_tails(1.0, 1.0, 0.3);
        assert!(close(l, 0.3, 1e-14) && close(u, 0.7, 1e-14));
        assert!(close(beta_reg_tails(2.0, 1.0, 0.3).0, 0.09, 1e-14));
        assert!(close(beta_reg_tails(1.0, 2.0, 0.3).1, 0.49, 1e-14));
        // Quantiles invert: Beta(1, n) lower α-quantile = 1 - (1-α)^(1/n);
        // Beta(n, 1) upper α-quantile solves 1 - x^n = α.
        let q = beta_ppf(0.025, 1.0, 10.0);
        assert!(close(q, 1.0 - 0.975f64.powf(0.1), 1e-12), "{q}");
        let q = beta_isf(0.025, 10.0, 1.0);
        assert!(close(q, 0.975f64.powf(0.1), 1e-12), "{q}");
    }

    #[test]
    fn brent_finds_square_root() {
        let r = brent_root(|x| x * x - 2.0, 0.0, 2.0).unwrap();
        assert!(close(r, std::f64::consts::SQRT_2, 1e-13));
        assert!(brent_root(|x| x * x + 1.0, 0.0, 2.0).is_none());
    }

    #[test]
    fn compensated_sum() {
        let mut s = Sum::default();
        for x in [1e16, 1.0, -1e16] {
            s.add(x);
        }
        assert_eq!(s.value(), 1.0);
    }
}
