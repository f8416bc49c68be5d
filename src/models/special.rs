//! Special functions for the count models, written so that the differences
//! the negative binomial likelihood needs do not cancel.
//!
//! ```text
//! ln y!                      exact table for integers ≤ 170, else ln Γ(y+1)
//! L(y, θ) = ln Γ(y+θ) − ln Γ(θ)
//!         = Σ_{k<y} ln(θ+k)                                   (integer y ≤ 64)
//!         = (θ − ½)·ln(1 + y/θ) + y·ln(y+θ) − y + S(y+θ) − S(θ)   (otherwise)
//! D₁(y, θ) = ψ(y+θ) − ψ(θ)     = Σ_{k<y} 1/(θ+k)              (integer y ≤ 64)
//!          = ln(1 + y/θ) − 1/(2(y+θ)) + 1/(2θ) − [R(y+θ) − R(θ)]
//! D₂(y, θ) = ψ′(y+θ) − ψ′(θ)   = −Σ_{k<y} 1/(θ+k)²             (integer y ≤ 64)
//! ```
//!
//! with `S` the Stirling remainder ([`crate::stats::tdist::binet`]) and `R`
//! the asymptotic remainder of the digamma function,
//! `ψ(x) = ln x − 1/(2x) − R(x)`, `R(x) = 1/(12x²) − 1/(120x⁴) + 1/(252x⁶) − …`
//! (Abramowitz & Stegun 6.3.18, 6.4.12), shifted up by recurrence below 10.

use crate::stats::tdist::binet;
use std::sync::OnceLock;

const EXACT_SUM_MAX: f64 = 64.0;

fn ln_factorial_table() -> &'static [f64; 171] {
    static T: OnceLock<[f64; 171]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0.0; 171];
        let mut f = 1.0_f64;
        for (k, v) in t.iter_mut().enumerate().skip(1) {
            f *= k as f64;
            *v = f.ln();
        }
        t
    })
}

/// `ln Γ(x)` for `x > 0` from the Stirling remainder (accurate to a few ulps).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 0.5 {
        // ln Γ(x) = ln Γ(x+1) − ln x
        return ln_gamma(x + 1.0) - x.ln();
    }
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + binet(x)
}

/// `ln y!` (`ln Γ(y+1)` for non-integer `y ≥ 0`).
pub(crate) fn ln_factorial(y: f64) -> f64 {
    if (0.0..=170.0).contains(&y) && y.fract() == 0.0 {
        ln_factorial_table()[y as usize]
    } else {
        ln_gamma(y + 1.0)
    }
}

fn small_integer(y: f64) -> bool {
    (0.0..=EXACT_SUM_MAX).contains(&y) && y.fract() == 0.0
}

/// `ln Γ(y+θ) − ln Γ(θ)` for `y ≥ 0`, `θ > 0`.
pub(crate) fn ln_gamma_diff(y: f64, theta: f64) -> f64 {
    if y == 0.0 {
        return 0.0;
    }
    if small_integer(y) {
        let mut s = 0.0;
        for k in 0..y as usize {
            s += (theta + k as f64).ln();
        }
        return s;
    }
    (theta - 0.5) * (y / theta).ln_1p() + y * (y + theta).ln() - y + binet(y + theta) - binet(theta)
}

/// The remainder `R(x) = ln x − 1/(2x) − ψ(x)` (positive, ~1/(12x²)).
fn digamma_remainder(x: f64) -> f64 {
    // ψ(x) = ψ(x+1) − 1/x; R(x) = ln x − 1/(2x) − ψ(x+1) + 1/x
    //      = R(x+1) + ln(x/(x+1)) + 1/(2x) + 1/(2(x+1))
    let mut shift = 0.0;
    let mut v = x;
    while v < 10.0 {
        shift += -(1.0 / v).ln_1p() + 0.5 / v + 0.5 / (v + 1.0);
        v += 1.0;
    }
    let r2 = 1.0 / (v * v);
    let series = r2
        * (1.0 / 12.0
            - r2 * (1.0 / 120.0
                - r2 * (1.0 / 252.0
                    - r2 * (1.0 / 240.0 - r2 * (1.0 / 132.0 - r2 * 691.0 / 32760.0)))));
    series + shift
}

/// `ψ(y+θ) − ψ(θ)` for `y ≥ 0`, `θ > 0`.
pub(crate) fn digamma_diff(y: f64, theta: f64) -> f64 {
    if y == 0.0 {
        return 0.0;
    }
    if small_integer(y) {
        let mut s = 0.0;
        for k in 0..y as usize {
            s += 1.0 / (theta + k as f64);
        }
        return s;
    }
    (y / theta).ln_1p() - 0.5 / (y + theta) + 0.5 / theta
        - (digamma_remainder(y + theta) - digamma_remainder(theta))
}

/// The trigamma function `ψ′(x)` for `x > 0`.
pub(crate) fn trigamma(x: f64) -> f64 {
    let mut shift = 0.0;
    let mut v = x;
    while v < 10.0 {
        shift += 1.0 / (v * v);
        v += 1.0;
    }
    let r = 1.0 / v;
    let r2 = r * r;
    // ψ′(x) = 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹) + 5/(66x¹¹)
    //        − 691/(2730x¹³) + 7/(6x¹⁵)
    let series = r + r2
        * (0.5
            + r * (1.0 / 6.0
                - r2 * (1.0 / 30.0
                    - r2 * (1.0 / 42.0
                        - r2 * (1.0 / 30.0
                            - r2 * (5.0 / 66.0 - r2 * (691.0 / 2730.0 - r2 * 7.0 / 6.0)))))));
    series + shift
}

/// `ψ′(y+θ) − ψ′(θ)` for `y ≥ 0`, `θ > 0` (non-positive).
pub(crate) fn trigamma_diff(y: f64, theta: f64) -> f64 {
    if y == 0.0 {
        return 0.0;
    }
    if small_integer(y) {
        let mut s = 0.0;
        for k in 0..y as usize {
            let t = theta + k as f64;
            s -= 1.0 / (t * t);
        }
        return s;
    }
    trigamma(y + theta) - trigamma(theta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // ln Γ(0.5) = ln √π = 0.5723649429247001; ln 5! = ln 120
        assert!((ln_gamma(0.5) - 0.572_364_942_924_700_1).abs() < 1e-15);
        assert!((ln_factorial(5.0) - 120f64.ln()).abs() < 1e-15);
        assert!((ln_gamma(10.5) - 13.940_625_219_403_763).abs() < 1e-13);
        // ψ′(1) = π²/6
        let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
        assert!((trigamma(1.0) - pi2_6).abs() < 1e-14);
        // ψ(1) − ψ(0.5) = 2 ln 2 (ψ(1) = −γ, ψ(½) = −γ − 2 ln 2)
        assert!((digamma_diff(0.5, 0.5) - 2f64.ln() * 2.0).abs() < 1e-14);
    }

    #[test]
    fn exact_sums_agree_with_asymptotic_forms() {
        // For integer y both branches apply; compare them at y = 65 vs the
        // sum written out (65 > EXACT_SUM_MAX takes the asymptotic branch).
        for &theta in &[0.05, 0.7, 3.0, 40.0, 5e4] {
            let y = 65.0;
            let lg: f64 = (0..65).map(|k| (theta + k as f64).ln()).sum();
            let dg: f64 = (0..65).map(|k| 1.0 / (theta + k as f64)).sum();
            let tg: f64 = (0..65).map(|k| -1.0 / (theta + k as f64).powi(2)).sum();
            assert!((ln_gamma_diff(y, theta) - lg).abs() <= 1e-12 * lg.abs().max(1.0));
            assert!((digamma_diff(y, theta) - dg).abs() <= 1e-12 * dg.abs());
            assert!((trigamma_diff(y, theta) - tg).abs() <= 1e-9 * tg.abs());
        }
    }
}
