//! Shared numerics: small dense linear algebra and safe exponentials.
//!
//! These are the building blocks the iterative fits of the crate share
//! (Cox regression in [`crate::survival`]; the generalised linear models
//! reuse them). Matrices are small (a few to about 50 covariates), dense,
//! symmetric and stored **row-major in a flat slice** of length `n · n`.
//!
//! - [`Cholesky`]: an LDLᵀ factorisation with a pivot tolerance. Pivots
//!   below `tol · max(diag)` are declared *singular* and their row and column
//!   are dropped (set to zero), so a rank-deficient information matrix
//!   still yields a *generalised* inverse and solve, with the rank reported.
//!   This is the behaviour of R's `survival` package (`cholesky2`, `chsolve2`,
//!   `chinv2`), which its `coxph` and `survdiff` rely on: an aliased or constant
//!   covariate gets no coefficient instead of stopping the fit.
//! - [`solve_spd`] and [`inverse_spd`]: one-call wrappers.
//! - [`QrUpdate`]: least squares by a Givens QR accumulated row by row and
//!   split over threads (the linear models in [`crate::models`]).
//! - [`log_sum_exp`] and [`exp_clamped`]: exponentials that neither overflow
//!   nor lose the small terms.
//!
//! Plain textbook algorithms (Golub & Van Loan, *Matrix Computations*, §4.1–4.2);
//! `O(n³)` with no blocking, which is the right trade-off at this size and
//! keeps the build free of a linear-algebra dependency.

pub mod cholesky;
pub mod qr;

pub use cholesky::{inverse_spd, solve_spd, Cholesky};
pub use qr::QrUpdate;

/// Buffers from this size on ask for transparent huge pages.
const HUGE_BUFFER_BYTES: usize = 4 << 20;

/// A zero-filled `Vec<f64>` of length `len`.
///
/// On Linux, a large buffer is first marked `MADV_HUGEPAGE` (what numpy does
/// for its arrays): with the kernel's default `madvise` setting of
/// transparent huge pages, first touching 48 MB then costs a few dozen page
/// faults instead of twelve thousand (about 10 ms instead of 100 ms on the
/// benchmark machine). Elsewhere it is `vec![0.0; len]`.
pub fn zeroed(len: usize) -> Vec<f64> {
    let mut v: Vec<f64> = Vec::with_capacity(len);
    hint_huge_pages(v.as_mut_ptr().cast(), len * std::mem::size_of::<f64>());
    v.resize(len, 0.0);
    v
}

/// Collects `len` values `f(i)` into a buffer from [`zeroed`]'s allocator
/// path, filled in parallel.
pub fn filled_par(len: usize, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    use rayon::prelude::*;
    let mut v = zeroed(len);
    v.par_iter_mut()
        .enumerate()
        .with_min_len(4096)
        .for_each(|(i, x)| *x = f(i));
    v
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn hint_huge_pages(ptr: *mut u8, bytes: usize) {
    const PAGE: usize = 4096;
    if bytes < HUGE_BUFFER_BYTES {
        return;
    }
    let start = (ptr as usize).div_ceil(PAGE) * PAGE;
    let end = (ptr as usize + bytes) / PAGE * PAGE;
    if end > start {
        // SAFETY: [start, end) lies inside the allocation just made for this
        // Vec (page-aligned inward); MADV_HUGEPAGE only changes how the kernel
        // backs the range, never its contents. A failure (e.g. THP disabled)
        // is harmless and ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn hint_huge_pages(_ptr: *mut u8, _bytes: usize) {
    let _ = HUGE_BUFFER_BYTES;
}

/// The largest argument for which `exp` is finite (`ln(f64::MAX)`).
pub const EXP_MAX: f64 = 709.782_712_893_384;

/// The argument below which `exp` underflows to zero (`ln` of the smallest subnormal).
pub const EXP_MIN: f64 = -745.133_219_101_941_1;

/// Default relative pivot tolerance of [`Cholesky::new`]: `ε^0.75 ≈ 1.8e-12`,
/// R's `coxph.control(toler.chol = .Machine$double.eps^0.75)`.
pub const TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

/// `exp(x)` with `x` clamped to `[EXP_MIN, EXP_MAX]`: never `inf` (at most
/// about `f64::MAX`), at least the smallest subnormal for `x → −∞`, and `NaN`
/// stays `NaN`.
///
/// ```
/// use huisverbod::numerics::exp_clamped;
/// assert!(exp_clamped(1e6).is_finite());
/// assert!(exp_clamped(-1e6) < 1e-320); // the smallest subnormal, not a NaN
/// assert!((exp_clamped(1.0) - std::f64::consts::E).abs() < 1e-15);
/// ```
pub fn exp_clamped(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    x.clamp(EXP_MIN, EXP_MAX).exp()
}

/// `ln Σ exp(xᵢ)` without overflow or underflow.
///
/// ```text
/// m = max xᵢ;   log_sum_exp(x) = m + ln Σ exp(xᵢ − m)
/// ```
///
/// An empty slice gives `-inf` (the log of an empty sum); any `NaN` gives
/// `NaN`; `+inf` gives `+inf`.
///
/// ```
/// use huisverbod::numerics::log_sum_exp;
/// assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-12);
/// assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
/// ```
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let mut m = f64::NEG_INFINITY;
    for &v in x {
        if v.is_nan() {
            return f64::NAN;
        }
        if v > m {
            m = v;
        }
    }
    if !m.is_finite() {
        return m;
    }
    let s: f64 = x.iter().map(|&v| (v - m).exp()).sum();
    m + s.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lse_and_exp() {
        // ln(e^1 + e^2 + e^3) = 3 + ln(e^-2 + e^-1 + 1) = 3.40760596444438
        assert!((log_sum_exp(&[1.0, 2.0, 3.0]) - 3.407_605_964_444_38).abs() < 1e-13);
        assert!(log_sum_exp(&[1.0, f64::NAN]).is_nan());
        assert_eq!(log_sum_exp(&[f64::INFINITY, 1.0]), f64::INFINITY);
        assert_eq!(exp_clamped(f64::INFINITY), f64::MAX.min(EXP_MAX.exp()));
        assert!(exp_clamped(f64::NAN).is_nan());
        assert!((TOLER_CHOL - f64::EPSILON.powf(0.75)).abs() < 1e-25);
        let z = zeroed(1 << 20);
        assert!(z.len() == 1 << 20 && z.iter().all(|&v| v == 0.0));
        let f = filled_par(10_000, |i| i as f64);
        assert_eq!(f[9_999], 9_999.0);
    }
}
