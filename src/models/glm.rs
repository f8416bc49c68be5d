//! Newton's method for likelihoods that depend on the data through the
//! linear predictor `η = xβ + offset`, with step halving and an iteration log.
//!
//! ```text
//! ℓ(β) = Σ wᵢ ℓᵢ(yᵢ, ηᵢ)
//! U(β) = Σ wᵢ ∂ℓᵢ/∂η · xᵢ                   (score)
//! I(β) = Σ wᵢ (−∂²ℓᵢ/∂η²) · xᵢxᵢᵀ           (observed information)
//! β ← β + t·I⁻¹U,   t = 1, ½, ¼, …  until ℓ does not decrease
//! stop when max_j |Δβ_j| / (1 + |β_j|) ≤ tol
//! ```
//!
//! For canonical links (logit, log for Poisson) the observed information is
//! the expected one and Newton's method is IRLS. The score is formed directly
//! (not as a working response), so the fixed point is as accurate as the
//! score; the information only steers. The `n × p²` work is split over the
//! rayon pool in chunks of [`super::prec::CHUNK_ROWS`] rows, summed in chunk
//! order (the same result for any number of threads).
//!
//! A singular information (a direction with no curvature, as under
//! separation) gets a zero step in that direction ([`Cholesky`] with
//! tolerance); the caller sees it in [`NewtonResult::singular`]. A fit whose
//! information is singular at the end is never reported as converged, even
//! when its steps have become small: the small steps then only say that the
//! curvature vanished, not that a maximum was reached.

use super::results::{ChiSquareTest, IterationRecord, ModelFit};
use super::{prec, robust, FitOptions, ModelData};
use crate::numerics::{Cholesky, TOLER_CHOL};
use rayon::prelude::*;

/// The logistic function `1/(1 + e^{−x})`, without overflow.
#[inline]
pub fn expit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + eˣ)` without overflow or loss of small terms.
#[inline]
pub fn log1pexp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// One observation's log-likelihood and its first two derivatives in `η`.
pub(crate) trait EtaLikelihood: Sync {
    /// `(ℓᵢ, ∂ℓᵢ/∂η, −∂²ℓᵢ/∂η²)` at `(y, η)`.
    fn eval(&self, y: f64, eta: f64) -> (f64, f64, f64);
}

/// Bernoulli outcome, logit link.
pub(crate) struct Binomial;

impl EtaLikelihood for Binomial {
    #[inline]
    fn eval(&self, y: f64, eta: f64) -> (f64, f64, f64) {
        // ℓ = yη − ln(1 + e^η);  ∂ℓ/∂η = y − μ;  −∂²ℓ/∂η² = μ(1 − μ)
        // One exponential: e = exp(−|η|), μ and 1 − μ from it without
        // cancellation, ln(1 + e^η) = max(η, 0) + ln(1 + e).
        let e = (-eta.abs()).exp();
        let d = 1.0 + e;
        let (mu, q) = if eta >= 0.0 {
            (1.0 / d, e / d)
        } else {
            (e / d, 1.0 / d)
        };
        (y * eta - (eta.max(0.0) + e.ln_1p()), y - mu, mu * q)
    }
}

/// Poisson outcome, log link.
pub(crate) struct PoissonLik;

impl EtaLikelihood for PoissonLik {
    #[inline]
    fn eval(&self, y: f64, eta: f64) -> (f64, f64, f64) {
        // ℓ = yη − μ − ln y!;  ∂ℓ/∂η = y − μ;  −∂²ℓ/∂η² = μ
        let mu = eta.exp();
        let ll = if y == 0.0 { -mu } else { y * eta - mu };
        (ll - super::special::ln_factorial(y), y - mu, mu)
    }
}

/// Log-likelihood, score and (optionally) information at `β`.
#[derive(Clone, Debug)]
pub(crate) struct Evaluation {
    pub llf: f64,
    pub grad: Vec<f64>,
    /// Full symmetric `p × p`, row-major (empty when not asked for).
    pub info: Vec<f64>,
}

/// `η = xβ + offset` of row `i`.
#[inline]
pub(crate) fn eta_of(data: &ModelData<'_>, beta: &[f64], i: usize) -> f64 {
    data.row(i)
        .iter()
        .zip(beta)
        .map(|(a, b)| a * b)
        .sum::<f64>()
        + data.off(i)
}

/// `Σ aᵢbᵢ` with eight partial sums (so the compiler can vectorise it).
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s: f64 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Evaluates `ℓ`, `U` and `I` at `β` (parallel over row chunks).
pub(crate) fn evaluate<L: EtaLikelihood>(
    data: &ModelData<'_>,
    lik: &L,
    beta: &[f64],
    need_info: bool,
) -> Evaluation {
    let n = data.n();
    let p = data.p();
    let chunk = prec::CHUNK_ROWS;
    // Each chunk is transposed to column-major so that η, the score and the
    // p(p+1)/2 entries of the information are dot products over the chunk
    // (vectorised), instead of a short triangular loop per row.
    let parts: Vec<(f64, Vec<f64>, Vec<f64>)> = (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let lo = c * chunk;
            let hi = (lo + chunk).min(n);
            let m = hi - lo;
            let mut xt = vec![0.0; p * m];
            for k in 0..m {
                for (a, v) in data.row(lo + k).iter().enumerate() {
                    xt[a * m + k] = *v;
                }
            }
            let mut eta = match data.offset {
                Some(o) => o[lo..hi].to_vec(),
                None => vec![0.0; m],
            };
            for (a, &b) in beta.iter().enumerate() {
                if b != 0.0 {
                    for (e, x) in eta.iter_mut().zip(&xt[a * m..(a + 1) * m]) {
                        *e += b * x;
                    }
                }
            }
            let mut ll = 0.0;
            let mut ws = vec![0.0; m];
            let mut wi = vec![0.0; m];
            for k in 0..m {
                let w = data.w(lo + k);
                if w == 0.0 {
                    continue;
                }
                let (l, s, inf) = lik.eval(data.y[lo + k], eta[k]);
                ll += w * l;
                ws[k] = w * s;
                wi[k] = w * inf;
            }
            let g: Vec<f64> = (0..p).map(|a| dot(&xt[a * m..(a + 1) * m], &ws)).collect();
            let mut h = Vec::new();
            if need_info {
                h = vec![0.0; p * p];
                let mut tmp = vec![0.0; m];
                for a in 0..p {
                    let xa = &xt[a * m..(a + 1) * m];
                    for ((t, x), w) in tmp.iter_mut().zip(xa).zip(&wi) {
                        *t = x * w;
                    }
                    for b in 0..=a {
                        h[a * p + b] = dot(&tmp, &xt[b * m..(b + 1) * m]);
                    }
                }
            }
            (ll, g, h)
        })
        .collect();
    let mut llf = 0.0;
    let mut grad = vec![0.0; p];
    let mut info = if need_info {
        vec![0.0; p * p]
    } else {
        Vec::new()
    };
    for (l, g, h) in parts {
        llf += l;
        for (a, b) in grad.iter_mut().zip(&g) {
            *a += b;
        }
        for (a, b) in info.iter_mut().zip(&h) {
            *a += b;
        }
    }
    if need_info {
        for a in 0..p {
            for b in 0..a {
                info[b * p + a] = info[a * p + b];
            }
        }
    }
    Evaluation { llf, grad, info }
}

/// The outcome of [`newton`].
#[derive(Clone, Debug)]
pub(crate) struct NewtonResult {
    pub beta: Vec<f64>,
    pub eval: Evaluation,
    pub converged: bool,
    pub iterations: usize,
    pub history: Vec<IterationRecord>,
    /// Columns whose information pivot was singular at the end.
    pub singular: Vec<bool>,
    /// The last step taken (for naming diverging coefficients).
    pub last_step: Vec<f64>,
    /// Why the iterations stopped without converging, if they did.
    pub failure: Option<String>,
    /// The steps became small but only because the information vanished in
    /// some direction (separation): `converged` is false, yet the fitted
    /// values have settled at their limit (0 or 1 in the separated cells).
    pub stalled_on_singular: bool,
}

/// Maximises `Σ wᵢ ℓᵢ` by Newton's method with step halving from `start`.
pub(crate) fn newton<L: EtaLikelihood>(
    data: &ModelData<'_>,
    lik: &L,
    start: Vec<f64>,
    opts: &FitOptions,
) -> NewtonResult {
    let p = data.p();
    let mut beta = start;
    let mut cur = evaluate(data, lik, &beta, true);
    let mut history = Vec::new();
    let mut converged = false;
    let mut failure = None;
    let mut last_step = vec![0.0; p];
    let mut iterations = 0;
    if !cur.llf.is_finite() {
        failure = Some("the log-likelihood is not finite at the starting values".to_string());
    }
    while failure.is_none() && iterations < opts.max_iter {
        iterations += 1;
        let chol = match Cholesky::new(&cur.info, p, TOLER_CHOL) {
            Ok(c) => c,
            Err(e) => {
                failure = Some(format!("the information matrix is invalid: {e}"));
                break;
            }
        };
        let delta = chol.solve(&cur.grad);
        let mut t = 1.0;
        let mut accepted = None;
        let mut halvings = 0;
        // Allow a rounding-level decrease near the optimum.
        let slack = 1e-12 * (1.0 + cur.llf.abs());
        while halvings <= opts.max_halvings {
            let cand: Vec<f64> = beta.iter().zip(&delta).map(|(b, d)| b + t * d).collect();
            let ev = evaluate(data, lik, &cand, true);
            if ev.llf.is_finite() && ev.llf >= cur.llf - slack {
                accepted = Some((cand, ev));
                break;
            }
            t *= 0.5;
            halvings += 1;
        }
        let Some((cand, ev)) = accepted else {
            failure = Some(format!(
                "step halving failed at iteration {iterations} (the log-likelihood did not increase along the Newton direction)"
            ));
            break;
        };
        let change = cand
            .iter()
            .zip(&beta)
            .map(|(a, b)| (a - b).abs() / (1.0 + a.abs()))
            .fold(0.0, f64::max);
        last_step = cand.iter().zip(&beta).map(|(a, b)| a - b).collect();
        beta = cand;
        cur = ev;
        history.push(IterationRecord {
            iteration: iterations,
            llf: cur.llf,
            halvings,
            max_change: change,
        });
        if change <= opts.tol {
            converged = true;
            break;
        }
    }
    let singular = match Cholesky::new(&cur.info, p, TOLER_CHOL) {
        Ok(c) => c.singular().to_vec(),
        Err(_) => vec![true; p],
    };
    let stalled_on_singular = converged && singular.iter().any(|&s| s);
    if stalled_on_singular {
        // The steps became small only because the information vanished in
        // some direction (the Cholesky gives a zero step there): those
        // coefficients run off to ±infinity and the maximum does not exist.
        converged = false;
        let cols: Vec<String> = singular
            .iter()
            .enumerate()
            .filter(|(_, &s)| s)
            .map(|(j, _)| format!("'{}'", data.names[j]))
            .collect();
        failure = Some(format!(
            "the information matrix became singular in the direction of {} after {iterations} iterations \
             (coefficients running off to ±infinity: separation, or a category without events); \
             the steps stopped only because the curvature vanished",
            cols.join(", ")
        ));
    }
    if !converged && failure.is_none() {
        failure = Some(format!(
            "no convergence in {} iterations (last relative change {:.3e})",
            opts.max_iter,
            history.last().map_or(f64::NAN, |h| h.max_change)
        ));
    }
    NewtonResult {
        beta,
        eval: cur,
        converged,
        iterations,
        history,
        singular,
        last_step,
        failure,
        stalled_on_singular,
    }
}

/// The inverse of the information (generalised: NaN rows/columns where a
/// pivot is singular, so a non-identified parameter never shows a finite SE).
pub(crate) fn inverse_information(info: &[f64], p: usize) -> Vec<f64> {
    match Cholesky::new(info, p, TOLER_CHOL) {
        Ok(c) => {
            let mut inv = c.inverse();
            for (j, &s) in c.singular().iter().enumerate() {
                if s {
                    for k in 0..p {
                        inv[j * p + k] = f64::NAN;
                        inv[k * p + j] = f64::NAN;
                    }
                }
            }
            inv
        }
        Err(_) => vec![f64::NAN; p * p],
    }
}

/// A short text of the iteration log for warnings.
pub(crate) fn history_text(h: &[IterationRecord]) -> String {
    let tail = if h.len() > 6 { &h[h.len() - 6..] } else { h };
    let parts: Vec<String> = tail
        .iter()
        .map(|r| {
            format!(
                "it {}: llf {:.8}, change {:.2e}{}",
                r.iteration,
                r.llf,
                r.max_change,
                if r.halvings > 0 {
                    format!(", {} halvings", r.halvings)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_logistic_helpers() {
        assert_eq!(expit(0.0), 0.5);
        assert!(expit(800.0) == 1.0 && expit(-800.0) == 0.0);
        assert!((log1pexp(-800.0)).abs() < 1e-300);
        assert!((log1pexp(800.0) - 800.0).abs() < 1e-12);
        assert!((log1pexp(0.0) - 2f64.ln()).abs() < 1e-16);
    }

    #[test]
    fn newton_matches_closed_form_two_groups() {
        // Logit with an intercept and one 0/1 group indicator: the MLE is the
        // empirical log-odds. Group 0: 2 of 5 events; group 1: 4 of 5.
        // β0 = ln(2/3) = −0.405465..., β1 = ln(4/1) − ln(2/3) = ln 6 = 1.791759...
        // I⁻¹: Var(β0) = 1/(5·.4·.6) = 1/1.2; Var(β1) = 1/1.2 + 1/(5·.8·.2) = 1/1.2 + 1/0.8
        let names: Vec<String> = vec!["c".into(), "g".into()];
        let mut x = Vec::new();
        let mut y = Vec::new();
        for g in 0..2 {
            for k in 0..5 {
                x.extend_from_slice(&[1.0, g as f64]);
                y.push(if (g == 0 && k < 2) || (g == 1 && k < 4) {
                    1.0
                } else {
                    0.0
                });
            }
        }
        let d = ModelData::new(&y, &x, &names).unwrap();
        let r = newton(&d, &Binomial, vec![0.0, 0.0], &FitOptions::default());
        assert!(r.converged);
        assert!((r.beta[0] - (2.0f64 / 3.0).ln()).abs() < 1e-13);
        assert!((r.beta[1] - 6f64.ln()).abs() < 1e-13);
        let v = inverse_information(&r.eval.info, 2);
        assert!((v[0] - 1.0 / 1.2).abs() < 1e-12);
        assert!((v[3] - (1.0 / 1.2 + 1.0 / 0.8)).abs() < 1e-12);
    }
}

/// Covariance (model-based or sandwich per `opts.cov_type`), reference
/// distribution, information criteria and LR test against the null model of
/// a canonical-link fit whose `fitted` means μᵢ are set: the score
/// contribution of row i is `(yᵢ − μᵢ) xᵢ` (logit and Poisson alike).
pub(crate) fn finish_canonical(
    fit: &mut ModelFit,
    data: &ModelData<'_>,
    opts: &FitOptions,
    info: &[f64],
) -> crate::Result<()> {
    let p = data.p();
    let bread = inverse_information(info, p);
    let mu = &fit.fitted;
    let (cov, g) = robust::likelihood_cov(data, opts.cov_type, &bread, p, |i, out| {
        let u = data.y[i] - mu[i];
        for (o, x) in out.iter_mut().zip(data.row(i)) {
            *o = u * x;
        }
    })?;
    fit.cov_type = opts.cov_type;
    fit.n_clusters = g;
    fit.set_reference(opts.use_t.unwrap_or(false), g);
    fit.set_cov(cov);
    fit.set_information_criteria(p as f64);
    fit.lr_test = Some(ChiSquareTest::upper(
        2.0 * (fit.llf - fit.llnull),
        fit.df_model,
    ));
    Ok(())
}
