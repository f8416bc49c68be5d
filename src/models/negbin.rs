//! Negative binomial regression (NB2) with log link, offset, and the
//! dispersion `α` estimated by maximum likelihood (statsmodels
//! `NegativeBinomial(loglike_method="nb2")`).
//!
//! ```text
//! Var(yᵢ) = μᵢ + αμᵢ²,   ln μᵢ = xᵢβ + offsetᵢ,   θ = 1/α  (R's MASS::glm.nb reports θ)
//! ℓᵢ = ln Γ(y+θ) − ln Γ(θ) − ln y! + y·ln(αμ) − (y + θ)·ln(1 + αμ)
//! ∂ℓᵢ/∂η = (y − μ)/(1 + αμ)
//! ∂ℓᵢ/∂α = [ln(1 + αμ) − D₁]/α² + (y − μ)/(α(1 + αμ)),   D₁ = ψ(y+θ) − ψ(θ)
//! −∂²ℓᵢ/∂η² = μ(1 + αy)/(1 + αμ)²,   ∂²ℓᵢ/∂η∂α = −(y − μ)μ/(1 + αμ)²
//! ∂²ℓᵢ/∂α² = μ/(α²(1+αμ)) + D₂/α⁴ − 2[ln(1+αμ) − D₁]/α³ − (y−μ)(1+2αμ)/(α²(1+αμ)²),
//!            D₂ = ψ′(y+θ) − ψ′(θ)
//! ```
//!
//! The fit starts from the Poisson estimates and the moment estimate
//! `α₀ = Σw[(y − μ)² − y] / Σwμ²`, then runs Newton's method jointly on
//! `(β, ln α)` with step halving (a block step when the joint Hessian is not
//! negative definite). Standard errors come from the observed information in
//! `(β, α)` — `params` ends with `alpha`, as in statsmodels.
//!
//! Boundary: when `Σw[(y − μ̂)² − y] ≤ 0` at the Poisson fit (the score for α
//! at α = 0 is not positive: no overdispersion) or α falls below 1e-8, the
//! estimate is α = 0 — the Poisson model — reported with a warning and a NaN
//! standard error for α. The LR test of NB against Poisson (H0: α = 0, on
//! the boundary) uses half the χ²(1) tail: `p = ½·P(χ²₁ ≥ LR)` (Self & Liang
//! 1987; Cameron & Trivedi 2013, §3.4).
//!
//! References: Cameron & Trivedi (2013), *Regression Analysis of Count Data*,
//! 2nd ed., ch. 3; Hilbe (2011), *Negative Binomial Regression*.

use super::glm::{self, eta_of};
use super::results::{ChiSquareTest, CountStats, IterationRecord, ModelFit, ModelKind};
use super::special::{digamma_diff, ln_factorial, ln_gamma_diff, trigamma_diff};
use super::{prec, robust, FitOptions, ModelData};
use crate::numerics::{Cholesky, TOLER_CHOL};
use crate::Result;
use rayon::prelude::*;

/// α below which the estimate is taken to be on the boundary 0.
const ALPHA_BOUNDARY: f64 = 1e-8;

/// Per-observation pieces at `(y, η, α)`: `(ℓ, ∂ℓ/∂η, ∂ℓ/∂α, −∂²ℓ/∂η²,
/// −∂²ℓ/∂η∂α, −∂²ℓ/∂α²)`.
#[inline]
fn pieces(y: f64, eta: f64, a: f64) -> [f64; 6] {
    let theta = 1.0 / a;
    let mu = eta.exp();
    let amu = a * mu;
    let d = 1.0 + amu;
    let l1 = amu.ln_1p();
    let mut ll = ln_gamma_diff(y, theta) - ln_factorial(y) - (theta + y) * l1;
    if y != 0.0 {
        ll += y * (a.ln() + eta);
    }
    let d1 = digamma_diff(y, theta);
    let d2 = trigamma_diff(y, theta);
    let r = y - mu;
    let s_eta = r / d;
    let s_a = (l1 - d1) / (a * a) + r / (a * d);
    let i_ee = mu * (1.0 + a * y) / (d * d);
    let i_ea = r * mu / (d * d);
    let h_aa = mu / (a * a * d) + d2 / (a * a * a * a)
        - 2.0 * (l1 - d1) / (a * a * a)
        - r * (1.0 + 2.0 * amu) / (a * a * d * d);
    [ll, s_eta, s_a, i_ee, i_ea, -h_aa]
}

struct NbEval {
    llf: f64,
    /// Gradient in (β, α).
    grad: Vec<f64>,
    /// Information (−Hessian) in (β, α), full `(p+1)²`.
    info: Vec<f64>,
}

fn evaluate(data: &ModelData<'_>, beta: &[f64], alpha: f64) -> NbEval {
    let n = data.n();
    let p = data.p();
    let k = p + 1;
    let chunk = prec::CHUNK_ROWS;
    let parts: Vec<(f64, Vec<f64>, Vec<f64>)> = (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let lo = c * chunk;
            let hi = (lo + chunk).min(n);
            let mut ll = 0.0;
            let mut g = vec![0.0; k];
            let mut h = vec![0.0; k * k];
            for i in lo..hi {
                let w = data.w(i);
                if w == 0.0 {
                    continue;
                }
                let x = data.row(i);
                let [l, se, sa, iee, iea, iaa] = pieces(data.y[i], eta_of(data, beta, i), alpha);
                ll += w * l;
                for a in 0..p {
                    g[a] += w * se * x[a];
                    let wa = w * iee * x[a];
                    for b in 0..=a {
                        h[a * k + b] += wa * x[b];
                    }
                    h[p * k + a] += w * iea * x[a];
                }
                g[p] += w * sa;
                h[p * k + p] += w * iaa;
            }
            (ll, g, h)
        })
        .collect();
    let mut llf = 0.0;
    let mut grad = vec![0.0; k];
    let mut info = vec![0.0; k * k];
    for (l, g, h) in parts {
        llf += l;
        grad.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        info.iter_mut().zip(&h).for_each(|(a, b)| *a += b);
    }
    for a in 0..k {
        for b in 0..a {
            info[b * k + a] = info[a * k + b];
        }
    }
    NbEval { llf, grad, info }
}

/// Converts gradient and information from α to φ = ln α.
fn to_log_alpha(ev: &NbEval, alpha: f64, p: usize) -> (Vec<f64>, Vec<f64>) {
    let k = p + 1;
    let mut g = ev.grad.clone();
    let mut h = ev.info.clone();
    g[p] = alpha * ev.grad[p];
    for a in 0..p {
        h[p * k + a] *= alpha;
        h[a * k + p] *= alpha;
    }
    // −∂²ℓ/∂φ² = α²·(−∂²ℓ/∂α²) − α·∂ℓ/∂α
    h[p * k + p] = alpha * alpha * ev.info[p * k + p] - alpha * ev.grad[p];
    (g, h)
}

struct NbCore {
    beta: Vec<f64>,
    alpha: f64,
    eval: NbEval,
    converged: bool,
    iterations: usize,
    history: Vec<IterationRecord>,
    boundary: bool,
    failure: Option<String>,
}

fn fit_core(data: &ModelData<'_>, opts: &FitOptions, pois_beta: &[f64], pois_mu: &[f64]) -> NbCore {
    let p = data.p();
    let k = p + 1;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &m) in pois_mu.iter().enumerate() {
        let w = data.w(i);
        let y = data.y[i];
        num += w * ((y - m) * (y - m) - y);
        den += w * m * m;
    }
    let boundary_core = |beta: Vec<f64>| NbCore {
        eval: evaluate(data, &beta, ALPHA_BOUNDARY),
        beta,
        alpha: 0.0,
        converged: true,
        iterations: 0,
        history: Vec::new(),
        boundary: true,
        failure: None,
    };
    if num <= 0.0 {
        return boundary_core(pois_beta.to_vec());
    }
    let mut beta = pois_beta.to_vec();
    let mut phi = (num / den).clamp(1e-6, 1e6).ln();
    let mut cur = evaluate(data, &beta, phi.exp());
    let mut history = Vec::new();
    let mut iterations = 0;
    let mut converged = false;
    let mut failure = None;
    while iterations < opts.max_iter {
        iterations += 1;
        let alpha = phi.exp();
        let (g, h) = to_log_alpha(&cur, alpha, p);
        let chol = Cholesky::new(&h, k, TOLER_CHOL).ok();
        let delta: Vec<f64> = match chol {
            Some(c) if c.is_positive_definite() => c.solve(&g),
            _ => {
                // Block step: Newton in β at fixed α, and a bounded step in φ.
                let mut hb = vec![0.0; p * p];
                for a in 0..p {
                    hb[a * p..(a + 1) * p].copy_from_slice(&h[a * k..a * k + p]);
                }
                let mut d = match Cholesky::new(&hb, p, TOLER_CHOL) {
                    Ok(c) => c.solve(&g[..p]),
                    Err(_) => vec![0.0; p],
                };
                let hp = h[p * k + p];
                let step = if hp > 0.0 { g[p] / hp } else { g[p].signum() };
                d.push(step.clamp(-1.0, 1.0));
                d
            }
        };
        let mut t = 1.0;
        let mut accepted = None;
        let mut halvings = 0;
        let slack = 1e-12 * (1.0 + cur.llf.abs());
        while halvings <= opts.max_halvings {
            let cb: Vec<f64> = beta.iter().zip(&delta).map(|(b, d)| b + t * d).collect();
            let cphi = phi + t * delta[p];
            let ev = evaluate(data, &cb, cphi.exp());
            if ev.llf.is_finite() && ev.llf >= cur.llf - slack {
                accepted = Some((cb, cphi, ev));
                break;
            }
            t *= 0.5;
            halvings += 1;
        }
        let Some((cb, cphi, ev)) = accepted else {
            failure = Some(format!("step halving failed at iteration {iterations}"));
            break;
        };
        let mut change = cb
            .iter()
            .zip(&beta)
            .map(|(a, b)| (a - b).abs() / (1.0 + a.abs()))
            .fold(0.0, f64::max);
        change = change.max((cphi - phi).abs());
        beta = cb;
        phi = cphi;
        cur = ev;
        history.push(IterationRecord {
            iteration: iterations,
            llf: cur.llf,
            halvings,
            max_change: change,
        });
        if phi.exp() < ALPHA_BOUNDARY {
            // α → 0: the Poisson model.
            let mut b = boundary_core(pois_beta.to_vec());
            b.iterations = iterations;
            b.history = history;
            return b;
        }
        if change <= opts.tol {
            converged = true;
            break;
        }
    }
    if !converged && failure.is_none() {
        failure = Some(format!("no convergence in {} iterations", opts.max_iter));
    }
    NbCore {
        beta,
        alpha: phi.exp(),
        eval: cur,
        converged,
        iterations,
        history,
        boundary: false,
        failure,
    }
}

/// Fits a negative binomial (NB2) regression by maximum likelihood.
///
/// # Errors
/// As [`super::poisson`]. Non-convergence and a boundary estimate `α = 0` are
/// reported in the result (`converged`, `warnings`).
///
/// # Examples
/// ```
/// use huisverbod::models::{negbin, FitOptions, ModelData};
/// let y = [0.0, 3.0, 1.0, 7.0, 0.0, 12.0, 2.0, 5.0];
/// let x = [1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0];
/// let names = vec!["Intercept".to_string(), "g".to_string()];
/// let fit = negbin(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
/// assert_eq!(fit.names.last().map(String::as_str), Some("alpha"));
/// assert!(fit.params[2] > 0.0); // overdispersed
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn negbin(data: &ModelData<'_>, opts: &FitOptions) -> Result<ModelFit> {
    data.validate(opts)?;
    super::poisson::check_counts(data)?;
    data.screen_rank()?;
    let p = data.p();
    let k = p + 1;
    let (fit, _) = negbin_inner(data, opts, true)?;
    debug_assert_eq!(fit.params.len(), k);
    Ok(fit)
}

fn negbin_inner(
    data: &ModelData<'_>,
    opts: &FitOptions,
    with_null: bool,
) -> Result<(ModelFit, f64)> {
    let p = data.p();
    let k = p + 1;
    let pr = super::poisson::fit_poisson_core(data, opts);
    let pmu: Vec<f64> = (0..data.n())
        .map(|i| eta_of(data, &pr.beta, i).exp())
        .collect();
    let core = fit_core(data, opts, &pr.beta, &pmu);
    let mut names = data.names.to_vec();
    names.push("alpha".to_string());
    let mut params = core.beta.clone();
    params.push(core.alpha);
    let mut fit = ModelFit::empty(ModelKind::NegBin, "ml", names, params, data);
    fit.converged = core.converged && pr.converged;
    fit.iterations = core.iterations;
    fit.history = core.history.clone();
    fit.llf = if core.boundary {
        pr.eval.llf
    } else {
        core.eval.llf
    };
    fit.df_resid = fit.nobs - p as f64;
    if with_null {
        let ones = vec![1.0; data.n()];
        let cname = vec!["const".to_string()];
        let d0 = ModelData {
            x: &ones,
            names: &cname,
            ..*data
        };
        let (f0, _) = negbin_inner(&d0, opts, false)?;
        fit.llnull = f0.llf;
    }
    let beta = core.beta.clone();
    fit.linear_predictor = (0..data.n()).map(|i| eta_of(data, &beta, i)).collect();
    fit.fitted = fit.linear_predictor.iter().map(|e| e.exp()).collect();
    let alpha = core.alpha;
    if core.boundary {
        // Poisson covariance for β, NaN for α.
        let pbread = glm::inverse_information(&pr.eval.info, p);
        let mut cov = vec![f64::NAN; k * k];
        for a in 0..p {
            for b in 0..p {
                cov[a * k + b] = pbread[a * p + b];
            }
        }
        let mu = fit.fitted.clone();
        if opts.cov_type != super::CovType::NonRobust {
            let (c, g) = robust::likelihood_cov(data, opts.cov_type, &pbread, p, |i, out| {
                let u = data.y[i] - mu[i];
                for (o, x) in out.iter_mut().zip(data.row(i)) {
                    *o = u * x;
                }
            })?;
            for a in 0..p {
                for b in 0..p {
                    cov[a * k + b] = c[a * p + b];
                }
            }
            fit.n_clusters = g;
        }
        fit.cov_type = opts.cov_type;
        fit.set_reference(opts.use_t.unwrap_or(false), fit.n_clusters);
        fit.set_cov(cov);
        fit.warnings.push(
            "the negative binomial dispersion alpha is estimated at the boundary 0 (no overdispersion): \
             the model reduces to Poisson regression; the standard error of alpha is undefined"
                .to_string(),
        );
    } else {
        let bread = glm::inverse_information(&core.eval.info, k);
        let lp = fit.linear_predictor.clone();
        let (cov, g) = robust::likelihood_cov(data, opts.cov_type, &bread, k, |i, out| {
            let [_, se, sa, _, _, _] = pieces(data.y[i], lp[i], alpha);
            for (o, x) in out[..p].iter_mut().zip(data.row(i)) {
                *o = se * x;
            }
            out[p] = sa;
        })?;
        fit.cov_type = opts.cov_type;
        fit.n_clusters = g;
        fit.set_reference(opts.use_t.unwrap_or(false), fit.n_clusters);
        fit.set_cov(cov);
    }
    fit.set_information_criteria(k as f64);
    fit.lr_test = Some(ChiSquareTest::upper(
        2.0 * (fit.llf - fit.llnull),
        fit.df_model,
    ));
    let lr_p = (2.0 * (fit.llf - pr.eval.llf)).max(0.0);
    let half = 0.5 * crate::stats::pvalue_chi2(lr_p, 1.0);
    let theta = if alpha > 0.0 {
        1.0 / alpha
    } else {
        f64::INFINITY
    };
    let (mut dev, mut pearson) = (0.0, 0.0);
    for i in 0..data.n() {
        let (w, y, m) = (data.w(i), data.y[i], fit.fitted[i]);
        if w == 0.0 {
            continue;
        }
        let t1 = if y > 0.0 { y * (y / m).ln() } else { 0.0 };
        let t2 = if theta.is_finite() {
            (y + theta) * ((y + theta) / (m + theta)).ln()
        } else {
            y - m
        };
        dev += 2.0 * w * (t1 - t2);
        pearson += w * (y - m) * (y - m) / (m + alpha * m * m);
    }
    fit.count = Some(CountStats {
        alpha: Some(alpha),
        alpha_se: Some(fit.bse[p]),
        llf_poisson: Some(pr.eval.llf),
        lr_test_poisson: Some(ChiSquareTest {
            statistic: lr_p,
            df: 1.0,
            pvalue: half,
        }),
        pearson_chi2: pearson,
        deviance: dev,
    });
    if !fit.converged {
        fit.warnings.push(format!(
            "negative binomial regression did not converge: {}. Iteration log: {}",
            core.failure
                .as_deref()
                .or(pr.failure.as_deref())
                .unwrap_or("unknown reason"),
            glm::history_text(&core.history)
        ));
    }
    Ok((fit, alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        for &(y, eta, a) in &[
            (0.0, 0.3, 0.7),
            (3.0, 1.1, 0.25),
            (17.0, 2.0, 1.9),
            (80.0, 4.0, 0.05),
        ] {
            let [l, se, sa, iee, iea, iaa] = pieces(y, eta, a);
            let h = 1e-6;
            let dl_de = (pieces(y, eta + h, a)[0] - pieces(y, eta - h, a)[0]) / (2.0 * h);
            let dl_da = (pieces(y, eta, a + h)[0] - pieces(y, eta, a - h)[0]) / (2.0 * h);
            assert!(
                (se - dl_de).abs() < 1e-7 * (1.0 + se.abs()),
                "{y} {se} {dl_de}"
            );
            assert!(
                (sa - dl_da).abs() < 1e-6 * (1.0 + sa.abs()),
                "{y} {sa} {dl_da}"
            );
            let dse_de = (pieces(y, eta + h, a)[1] - pieces(y, eta - h, a)[1]) / (2.0 * h);
            let dse_da = (pieces(y, eta, a + h)[1] - pieces(y, eta, a - h)[1]) / (2.0 * h);
            let dsa_da = (pieces(y, eta, a + h)[2] - pieces(y, eta, a - h)[2]) / (2.0 * h);
            assert!((iee + dse_de).abs() < 1e-6 * (1.0 + iee.abs()));
            assert!((iea + dse_da).abs() < 1e-6 * (1.0 + iea.abs()));
            assert!(
                (iaa + dsa_da).abs() < 1e-5 * (1.0 + iaa.abs()),
                "{y} {iaa} {dsa_da}"
            );
            // ℓ by the textbook formula with ln Γ
            let th = 1.0 / a;
            let mu = f64::exp(eta);
            let lt = super::super::special::ln_gamma(y + th)
                - super::super::special::ln_gamma(th)
                - super::super::special::ln_gamma(y + 1.0)
                + th * (th / (th + mu)).ln()
                + y * (mu / (th + mu)).ln();
            assert!((l - lt).abs() < 1e-10 * (1.0 + lt.abs()), "{l} {lt}");
        }
    }

    #[test]
    fn boundary_without_overdispersion() {
        // Equal counts: underdispersed → α = 0, NB = Poisson.
        let names: Vec<String> = vec!["c".into()];
        let y = [2.0, 2.0, 2.0, 2.0];
        let x = [1.0; 4];
        let f = negbin(
            &ModelData::new(&y, &x, &names).unwrap(),
            &FitOptions::default(),
        )
        .unwrap();
        assert_eq!(f.params[1], 0.0);
        assert!(f.bse[1].is_nan());
        assert!(!f.warnings.is_empty());
        assert!((f.params[0] - 2f64.ln()).abs() < 1e-12);
    }
}
