//! Firth's penalised-likelihood logistic regression, penalised likelihood-
//! ratio tests, and profile-likelihood intervals (penalised for Firth, plain
//! for maximum likelihood).
//!
//! ```text
//! ℓ*(β) = ℓ(β) + ½·ln det I(β),     I(β) = XᵀWX,  W = diag(wᵢμᵢ(1 − μᵢ))
//! U*(β) = Σ [wᵢ(yᵢ − μᵢ) + hᵢ(½ − μᵢ)] xᵢ,   hᵢ = wᵢμᵢ(1 − μᵢ)·xᵢᵀI⁻¹xᵢ  (hat diagonal)
//! β ← β + t·I⁻¹U*   (each component's step capped at 5, t halved until ℓ* does not decrease)
//! Var(β̂) = I(β̂)⁻¹ (Wald standard errors, as logistf and firthmodels)
//!
//! penalised LR test of β_j = 0:   2[ℓ*(β̂) − max_{β_j=0} ℓ*(β)] ~ χ²(1)
//! profile interval: { b : 2[ℓ*(β̂) − max_{β_j=b} ℓ*(β)] ≤ χ²₁(level) }, ends by Brent's method
//! ```
//!
//! The penalty is the log of Jeffreys' prior; the estimates are finite even
//! under complete or quasi-complete separation, and their small-sample bias
//! is of order 1/n² instead of 1/n. The constrained fits keep the penalty of
//! the full design, as R's `logistf` does. The reported `llf` and `llnull`
//! of a Firth fit are penalised log-likelihoods (logistf's `loglik`); the LR
//! test of the model and the R² measures use them.
//!
//! References: Firth (1993), Biometrika 80, 27–38; Heinze & Schemper (2002),
//! Statistics in Medicine 21, 2409–2419; the R package `logistf`.

use super::glm::{expit, log1pexp};
use super::results::{ModelFit, ModelKind};
use super::{prec, CovType, FitOptions, ModelData};
use crate::numerics::{Cholesky, TOLER_CHOL};
use crate::stats::tdist::brentq;
use crate::{Error, Result};
use rayon::prelude::*;

/// Largest change of one coefficient in one step (logistf's `maxstep`).
const MAX_STEP: f64 = 5.0;

/// Iterations allowed for each constrained fit of a profile.
const PROFILE_MAX_ITER: usize = 2000;

/// Binary likelihood, optionally penalised, at `β`.
struct BinEval {
    /// ℓ or ℓ*.
    llf: f64,
    /// The (modified) score.
    score: Vec<f64>,
    /// XᵀWX, full.
    info: Vec<f64>,
    /// `−∂²ℓ*/∂β∂βᵀ` (Firth only).
    pen_info: Option<Vec<f64>>,
}

fn eval_binary(data: &ModelData<'_>, beta: &[f64], firth: bool) -> Option<BinEval> {
    let n = data.n();
    let p = data.p();
    let chunk = prec::CHUNK_ROWS;
    let parts: Vec<(f64, Vec<f64>, Vec<f64>)> = (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let lo = c * chunk;
            let hi = (lo + chunk).min(n);
            let mut ll = 0.0;
            let mut g = vec![0.0; p];
            let mut h = vec![0.0; p * p];
            for i in lo..hi {
                let w = data.w(i);
                if w == 0.0 {
                    continue;
                }
                let x = data.row(i);
                let eta = super::glm::eta_of(data, beta, i);
                let mu = expit(eta);
                let v = w * mu * expit(-eta);
                ll += w * (data.y[i] * eta - log1pexp(eta));
                let r = w * (data.y[i] - mu);
                for a in 0..p {
                    g[a] += r * x[a];
                    let va = v * x[a];
                    for b in 0..=a {
                        h[a * p + b] += va * x[b];
                    }
                }
            }
            (ll, g, h)
        })
        .collect();
    let mut llf = 0.0;
    let mut score = vec![0.0; p];
    let mut info = vec![0.0; p * p];
    for (l, g, h) in parts {
        llf += l;
        score.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        info.iter_mut().zip(&h).for_each(|(a, b)| *a += b);
    }
    for a in 0..p {
        for b in 0..a {
            info[b * p + a] = info[a * p + b];
        }
    }
    if !firth {
        return Some(BinEval {
            llf,
            score,
            info,
            pen_info: None,
        });
    }
    let chol = Cholesky::new(&info, p, TOLER_CHOL).ok()?;
    if !chol.is_positive_definite() {
        return None;
    }
    let logdet: f64 = chol.pivots().iter().map(|d| d.ln()).sum();
    let inv = chol.inverse();
    // Second pass: hat diagonal, the penalty part of the score, and the
    // pieces of the penalty's Hessian (see `penalised_information`).
    type Part = (Vec<f64>, Vec<f64>, Vec<f64>);
    let extra: Vec<Part> = (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let lo = c * chunk;
            let hi = (lo + chunk).min(n);
            let mut g = vec![0.0; p];
            let mut sm = vec![0.0; p * p];
            let mut m3 = vec![0.0; p * p * p];
            for i in lo..hi {
                let w = data.w(i);
                if w == 0.0 {
                    continue;
                }
                let x = data.row(i);
                let eta = super::glm::eta_of(data, beta, i);
                let mu = expit(eta);
                let one_mu = expit(-eta);
                let v = w * mu * one_mu;
                let mut q = 0.0;
                for a in 0..p {
                    let s: f64 = (0..p).map(|b| inv[a * p + b] * x[b]).sum();
                    q += x[a] * s;
                }
                let f = v * q * (0.5 - mu);
                let r = 1.0 - 2.0 * mu;
                let sv = v * (r * r - 2.0 * mu * one_mu) * q;
                let cv = v * r;
                for a in 0..p {
                    g[a] += f * x[a];
                    for b in 0..p {
                        sm[a * p + b] += sv * x[a] * x[b];
                        let cab = cv * x[a] * x[b];
                        for e in 0..p {
                            m3[(a * p + b) * p + e] += cab * x[e];
                        }
                    }
                }
            }
            (g, sm, m3)
        })
        .collect();
    let mut sm = vec![0.0; p * p];
    let mut m3 = vec![0.0; p * p * p];
    for (g, s2, t3) in extra {
        score.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        sm.iter_mut().zip(&s2).for_each(|(a, b)| *a += b);
        m3.iter_mut().zip(&t3).for_each(|(a, b)| *a += b);
    }
    let pen_info = penalised_information(&info, &inv, &sm, &m3, p);
    Some(BinEval {
        llf: llf + 0.5 * logdet,
        score,
        info,
        pen_info: Some(pen_info),
    })
}

/// The observed information of the penalised log-likelihood, `−∂²ℓ*/∂β∂βᵀ`:
///
/// ```text
/// ℓ* = ℓ + ½ ln det I,   I = Σ vᵢxᵢxᵢᵀ,  vᵢ = wᵢμᵢ(1 − μᵢ),  A = I⁻¹,  qᵢ = xᵢᵀAxᵢ
/// ∂vᵢ/∂β = cᵢxᵢ,  cᵢ = vᵢ(1 − 2μᵢ);   ∂²vᵢ/∂β∂βᵀ = vᵢ[(1 − 2μᵢ)² − 2μᵢ(1 − μᵢ)]xᵢxᵢᵀ
/// ∂²(½ ln det I)/∂β_a∂β_b = ½ tr(A ∂²I/∂a∂b) − ½ tr(A ∂I/∂a A ∂I/∂b) = ½S_ab − ½T_ab
/// S_ab = Σᵢ vᵢ[(1 − 2μᵢ)² − 2μᵢ(1 − μᵢ)] qᵢ x_ia x_ib
/// T_ab = Σ_{c,d,e,f} M_ace A_cd A_ef M_bdf,   M_ace = Σᵢ cᵢ x_ia x_ic x_ie
/// −∂²ℓ*/∂β∂βᵀ = I − ½S + ½T
/// ```
///
/// `O(n·p³ + p⁵)` per evaluation. Newton's method on ℓ* with this matrix
/// converges quadratically where the scoring step `I⁻¹U*` (logistf's)
/// crawls: near separation, when the penalty dominates the curvature.
fn penalised_information(info: &[f64], inv: &[f64], sm: &[f64], m3: &[f64], p: usize) -> Vec<f64> {
    // N_b = A · M_b · A with (M_b)_{df} = M_{b,d,f}
    let mut nb = vec![0.0; p * p * p];
    let mut tmp = vec![0.0; p * p];
    for b in 0..p {
        let mb = &m3[b * p * p..(b + 1) * p * p];
        for c in 0..p {
            for f in 0..p {
                tmp[c * p + f] = (0..p).map(|d| inv[c * p + d] * mb[d * p + f]).sum();
            }
        }
        for c in 0..p {
            for e in 0..p {
                nb[(b * p + c) * p + e] = (0..p).map(|f| tmp[c * p + f] * inv[f * p + e]).sum();
            }
        }
    }
    let mut out = vec![0.0; p * p];
    for a in 0..p {
        let ma = &m3[a * p * p..(a + 1) * p * p];
        for b in 0..p {
            let nbb = &nb[b * p * p..(b + 1) * p * p];
            let t: f64 = ma.iter().zip(nbb).map(|(x, y)| x * y).sum();
            out[a * p + b] = info[a * p + b] - 0.5 * sm[a * p + b] + 0.5 * t;
        }
    }
    // symmetrise against rounding
    for a in 0..p {
        for b in 0..a {
            let m = 0.5 * (out[a * p + b] + out[b * p + a]);
            out[a * p + b] = m;
            out[b * p + a] = m;
        }
    }
    out
}

/// The result of a (possibly constrained) binary fit.
struct BinFit {
    beta: Vec<f64>,
    eval: BinEval,
    converged: bool,
    iterations: usize,
    history: Vec<super::results::IterationRecord>,
}

/// Maximises ℓ or ℓ* with the coefficients in `fixed` held at their start values.
fn fit_binary(
    data: &ModelData<'_>,
    start: Vec<f64>,
    fixed: Option<usize>,
    firth: bool,
    opts: &FitOptions,
) -> Option<BinFit> {
    let p = data.p();
    let free: Vec<usize> = (0..p).filter(|&j| Some(j) != fixed).collect();
    let m = free.len();
    let mut beta = start;
    let mut cur = eval_binary(data, &beta, firth)?;
    let mut history = Vec::new();
    let mut iterations = 0;
    let mut converged = false;
    if m == 0 {
        return Some(BinFit {
            beta,
            eval: cur,
            converged: true,
            iterations: 0,
            history,
        });
    }
    let mut last_proposed = 0.0;
    while iterations < opts.max_iter {
        iterations += 1;
        let mut sub = vec![0.0; m * m];
        for (a, &i) in free.iter().enumerate() {
            for (b, &j) in free.iter().enumerate() {
                sub[a * m + b] = cur.info[i * p + j];
            }
        }
        let g: Vec<f64> = free.iter().map(|&j| cur.score[j]).collect();
        // Newton on ℓ* where its curvature is negative definite; the scoring
        // step I⁻¹U* (logistf's) otherwise.
        let newton = cur.pen_info.as_ref().and_then(|h| {
            let mut hs = vec![0.0; m * m];
            for (a, &i) in free.iter().enumerate() {
                for (b, &j) in free.iter().enumerate() {
                    hs[a * m + b] = h[i * p + j];
                }
            }
            Cholesky::new(&hs, m, TOLER_CHOL)
                .ok()
                .filter(|c| c.is_positive_definite())
                .map(|c| c.solve(&g))
        });
        let mut d = match newton {
            Some(d) => d,
            None => Cholesky::new(&sub, m, TOLER_CHOL).ok()?.solve(&g),
        };
        let big = d.iter().map(|v| v.abs()).fold(0.0, f64::max);
        if big > MAX_STEP {
            d.iter_mut().for_each(|v| *v *= MAX_STEP / big);
        }
        // The proposed step, relative to the coefficients.
        let proposed = free
            .iter()
            .zip(&d)
            .map(|(&j, dj)| dj.abs() / (1.0 + beta[j].abs()))
            .fold(0.0, f64::max);
        let mut t = 1.0;
        let mut halvings = 0;
        // Armijo's condition: the step must gain at least 1e-4 of the gain
        // its slope promises. Merely "not worse" lets the scoring step,
        // which can overshoot by a factor 2 where ℓ* is flatter than I
        // suggests, jump between two points of equal ℓ* for ever. Once the
        // proposed step is below 1e-6 the gain is below what ℓ* resolves in
        // floating point, and the full step is taken (the local quadratic
        // model is then accurate).
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let small = proposed < 1e-6;
        let mut accepted = None;
        while halvings <= opts.max_halvings {
            let mut cand = beta.clone();
            for (a, &j) in free.iter().enumerate() {
                cand[j] += t * d[a];
            }
            if let Some(ev) = eval_binary(data, &cand, firth) {
                if ev.llf.is_finite() && (small || ev.llf >= cur.llf + 1e-4 * t * slope) {
                    accepted = Some((cand, ev));
                    break;
                }
            }
            t *= 0.5;
            halvings += 1;
        }
        let Some((cand, ev)) = accepted else {
            break;
        };
        let change = free
            .iter()
            .map(|&j| (cand[j] - beta[j]).abs() / (1.0 + cand[j].abs()))
            .fold(0.0, f64::max);
        // The scoring iterations of ℓ* converge linearly: the distance to the
        // limit is about step·ρ/(1 − ρ) with ρ the ratio of successive full
        // steps; stop when that, not just the last step, is below tol.
        let rho = if last_proposed > 0.0 {
            (proposed / last_proposed).min(0.999)
        } else {
            0.0
        };
        last_proposed = proposed;
        let remaining = proposed * (rho / (1.0 - rho)).max(1.0);
        beta = cand;
        cur = ev;
        history.push(super::results::IterationRecord {
            iteration: iterations,
            llf: cur.llf,
            halvings,
            max_change: change,
        });
        if remaining <= opts.tol && t == 1.0 {
            converged = true;
            break;
        }
    }
    Some(BinFit {
        beta,
        eval: cur,
        converged,
        iterations,
        history,
    })
}

/// Fits Firth's penalised-likelihood logistic regression.
///
/// # Errors
/// [`Error::InvalidArgument`] for invalid input (as [`super::logit`]), a
/// covariance type other than `nonrobust`, or when the penalised likelihood
/// cannot be evaluated (a singular information at the start).
///
/// # Examples
/// ```
/// use huisverbod::models::{firth_logit, FitOptions, ModelData};
/// // x = 1 predicts y = 1 perfectly: ML diverges, Firth stays finite.
/// let x = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
/// let y = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
/// let names = vec!["Intercept".to_string(), "x".to_string()];
/// let fit = firth_logit(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
/// // by hand: each cell gets ½ added, so β₁ = ln((3.5·3.5)/(0.5·0.5)) = ln 49
/// assert!((fit.params[1] - 49f64.ln()).abs() < 1e-9);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn firth_logit(data: &ModelData<'_>, opts: &FitOptions) -> Result<ModelFit> {
    data.validate(opts)?;
    super::logit::check_binary(data)?;
    if opts.cov_type != CovType::NonRobust {
        return Err(Error::InvalidArgument {
            name: "cov_type",
            reason: "Firth's method supports only the model-based ('nonrobust') covariance".into(),
        });
    }
    data.screen_rank()?;
    let p = data.p();
    let start = super::logit::start_values(data);
    let r = fit_binary(data, start, None, true, opts).ok_or_else(|| Error::InvalidArgument {
        name: "x",
        reason: "the penalised likelihood cannot be evaluated (singular information)".into(),
    })?;
    let mut fit = ModelFit::empty(
        ModelKind::Logit,
        "firth",
        data.names.to_vec(),
        r.beta.clone(),
        data,
    );
    fit.converged = r.converged;
    fit.iterations = r.iterations;
    fit.history = r.history.clone();
    fit.llf = r.eval.llf;
    // Null model: intercept only (penalised), with the offset.
    let ones = vec![1.0; data.n()];
    let cname = vec!["const".to_string()];
    let d0 = ModelData {
        x: &ones,
        names: &cname,
        ..*data
    };
    fit.llnull = fit_binary(&d0, vec![0.0], None, true, opts).map_or(f64::NAN, |f| f.eval.llf);
    super::logit::finish_binary(&mut fit, data, opts, &r.eval.info)?;
    if !r.converged {
        fit.warnings.push(format!(
            "Firth logistic regression did not converge in {} iterations. Iteration log: {}",
            r.iterations,
            super::glm::history_text(&r.history)
        ));
    }
    debug_assert_eq!(fit.params.len(), p);
    Ok(fit)
}

fn check_profile_inputs(data: &ModelData<'_>, fit: &ModelFit, opts: &FitOptions) -> Result<bool> {
    // The data come from the caller again (not from the fit): check them as
    // a fit does, so that a weight, offset or outcome of the wrong length or
    // value is an error, never an index out of bounds.
    data.validate(opts)?;
    super::logit::check_binary(data)?;
    if fit.model != ModelKind::Logit {
        return Err(Error::InvalidArgument {
            name: "fit",
            reason: "profile-likelihood intervals are available for logistic regression".into(),
        });
    }
    if fit.params.len() != data.p() || fit.n_rows != data.n() {
        return Err(Error::InvalidArgument {
            name: "data",
            reason: format!(
                "do not match the fitted model: {} rows × {} columns given, the fit has {} rows × {} columns",
                data.n(),
                data.p(),
                fit.n_rows,
                fit.params.len()
            ),
        });
    }
    Ok(fit.method == "firth")
}

/// The maximum of ℓ (or ℓ*) with `β_j = b`.
///
/// Every evaluation starts afresh (not from the previous constrained fit):
/// with few observations ℓ* can have more than one local maximum in the
/// other coefficients, and a chain of warm starts can drift to another
/// branch (the limit then depends on the path).
fn constrained_llf(
    data: &ModelData<'_>,
    j: usize,
    b: f64,
    firth: bool,
    opts: &FitOptions,
    start: &[f64],
    cov: Option<&[f64]>,
) -> f64 {
    // Deterministic starts: β̂ with β_j = b; β̂ moved along the Wald
    // regression of the other coefficients on β_j (cov_kj/cov_jj·(b − β̂_j),
    // the start of Venzon & Moolgavkar's method); and 0. The profile is the
    // largest converged maximum. A constrained fit that stops early would
    // understate the profile and move the limit inwards: only converged fits
    // count (NaN when none converges).
    let p = start.len();
    let mut starts = Vec::with_capacity(3);
    let mut s0 = start.to_vec();
    s0[j] = b;
    starts.push(s0);
    if let Some(cov) = cov {
        let vjj = cov[j * p + j];
        if vjj > 0.0 && vjj.is_finite() {
            let shift = (b - start[j]) / vjj;
            let s1: Vec<f64> = (0..p)
                .map(|k| {
                    if k == j {
                        b
                    } else {
                        start[k] + cov[k * p + j] * shift
                    }
                })
                .collect();
            if s1.iter().all(|v| v.is_finite()) {
                starts.push(s1);
            }
        }
    }
    let mut s2 = vec![0.0; p];
    s2[j] = b;
    starts.push(s2);
    let mut best = f64::NAN;
    for s in starts {
        if let Some(f) = fit_binary(data, s, Some(j), firth, opts) {
            if f.converged && f.eval.llf.is_finite() && (best.is_nan() || f.eval.llf > best) {
                best = f.eval.llf;
            }
        }
    }
    best
}

/// Likelihood-ratio tests of each coefficient against 0: penalised for a
/// Firth fit (logistf's default p-values), plain for maximum likelihood.
/// Returns `(statistic, p-value)` per coefficient.
///
/// ```text
/// LR_j = 2[ℓ(β̂) − max_{β: β_j = 0} ℓ(β)] ~ χ²(1),   p_j = P(χ²₁ ≥ LR_j)
/// ```
///
/// with `ℓ` the penalised log-likelihood `ℓ*` for a Firth fit (the penalty
/// of the full design kept in the constrained fit, as logistf), and the
/// plain log-likelihood for a maximum-likelihood fit (then `LR_j` equals
/// the LR test against the refit without column `j`, e.g. statsmodels'
/// `compare_lr_test`). A negative difference
/// from rounding is set to 0.
///
/// # Errors
/// [`Error::InvalidArgument`] when `fit` is not a logistic fit of `data` or
/// `data` fail the checks of a fit (lengths of weights and offset, values).
pub fn lr_tests(
    data: &ModelData<'_>,
    fit: &ModelFit,
    opts: &FitOptions,
) -> Result<Vec<(f64, f64)>> {
    let firth = check_profile_inputs(data, fit, opts)?;
    let full = fit_llf(data, fit, firth);
    let tight = FitOptions {
        tol: opts.tol.min(1e-12),
        max_iter: opts.max_iter.max(PROFILE_MAX_ITER),
        ..*opts
    };
    Ok((0..data.p())
        .map(|j| {
            let l0 = constrained_llf(
                data,
                j,
                0.0,
                firth,
                &tight,
                &fit.params,
                Some(&fit.cov_params),
            );
            let s = (2.0 * (full - l0)).max(0.0);
            (s, crate::stats::pvalue_chi2(s, 1.0))
        })
        .collect())
}

fn fit_llf(data: &ModelData<'_>, fit: &ModelFit, firth: bool) -> f64 {
    eval_binary(data, &fit.params, firth).map_or(f64::NAN, |e| e.llf)
}

/// Profile-likelihood intervals at `level` for every coefficient
/// (penalised for a Firth fit). A limit that cannot be bracketed within 50
/// standard errors (as under separation for maximum likelihood) is ±inf; a
/// limit where a constrained fit does not converge is NaN.
///
/// # Errors
/// [`Error::InvalidArgument`] when `fit` is not a logistic fit of `data`,
/// `data` fail the checks of a fit, or the level is not in (0, 1).
pub fn profile_intervals(
    data: &ModelData<'_>,
    fit: &ModelFit,
    level: f64,
    opts: &FitOptions,
) -> Result<Vec<(f64, f64)>> {
    crate::stats::check_level(level)?;
    let firth = check_profile_inputs(data, fit, opts)?;
    let full = fit_llf(data, fit, firth);
    // χ²₁ quantile = z²
    let z = crate::stats::tdist::normal_ppf(0.5 + 0.5 * level);
    let crit = z * z;
    // The modified-score iterations converge linearly near the limits of a
    // Firth profile: allow many of them.
    let tight = FitOptions {
        tol: opts.tol.min(1e-12),
        max_iter: opts.max_iter.max(PROFILE_MAX_ITER),
        ..*opts
    };
    let mut out = Vec::with_capacity(data.p());
    for j in 0..data.p() {
        let bhat = fit.params[j];
        let se = if fit.bse[j].is_finite() && fit.bse[j] > 0.0 {
            fit.bse[j]
        } else {
            1.0
        };
        let mut ends = [f64::NAN; 2];
        for (side, sign) in [(0usize, -1.0f64), (1, 1.0)] {
            let f = |b: f64| {
                2.0 * (full
                    - constrained_llf(
                        data,
                        j,
                        b,
                        firth,
                        &tight,
                        &fit.params,
                        Some(&fit.cov_params),
                    ))
                    - crit
            };
            // Bracket: step out from β̂ in growing multiples of the SE.
            let mut inner = bhat;
            let mut step = se;
            let mut outer = bhat + sign * step;
            let mut found = false;
            let mut failed = false;
            for _ in 0..60 {
                let v = f(outer);
                if v.is_nan() {
                    failed = true;
                    break;
                }
                if v > 0.0 {
                    found = true;
                    break;
                }
                inner = outer;
                step *= 1.6;
                outer = bhat + sign * step;
                if step > 50.0 * se.max(1.0) {
                    break;
                }
            }
            ends[side] = if found {
                let (a, b) = if sign < 0.0 {
                    (outer, inner)
                } else {
                    (inner, outer)
                };
                brentq(f, a, b, 1e-12, 1e-12, 200).unwrap_or(f64::NAN)
            } else if failed {
                f64::NAN
            } else {
                sign * f64::INFINITY
            };
        }
        out.push((ends[0], ends[1]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn penalised_score_and_hessian_match_finite_differences() {
        // U* is the gradient of ℓ*, and pen_info its negative Hessian.
        let nm = names(&["c", "x", "d"]);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..15 {
            let xi = ((i * 7) % 11) as f64 / 3.0 - 1.5;
            let di = (i % 3 == 0) as i32 as f64;
            x.extend_from_slice(&[1.0, xi, di]);
            y.push(((i * 5) % 4 < 2) as i32 as f64);
        }
        let w: Vec<f64> = (0..15).map(|i| 1.0 + (i % 3) as f64).collect();
        let d = ModelData::new(&y, &x, &nm)
            .unwrap()
            .with_weights(&w, super::super::WeightKind::Frequency);
        let b = [0.3, -0.7, 1.1];
        let e = eval_binary(&d, &b, true).unwrap();
        let h = 1e-5;
        for j in 0..3 {
            let mut bp = b;
            let mut bm = b;
            bp[j] += h;
            bm[j] -= h;
            let (ep, em) = (
                eval_binary(&d, &bp, true).unwrap(),
                eval_binary(&d, &bm, true).unwrap(),
            );
            let fd = (ep.llf - em.llf) / (2.0 * h);
            assert!(
                (e.score[j] - fd).abs() < 1e-7,
                "score {j}: {} vs {fd}",
                e.score[j]
            );
            let pi = e.pen_info.as_ref().unwrap();
            for k in 0..3 {
                let fdk = -(ep.score[k] - em.score[k]) / (2.0 * h);
                assert!(
                    (pi[k * 3 + j] - fdk).abs() < 1e-6,
                    "hess {j},{k}: {} vs {fdk}",
                    pi[k * 3 + j]
                );
            }
        }
    }

    #[test]
    fn two_by_two_adds_a_half() {
        // For a saturated 2×2 design Firth's estimate equals the log odds
        // ratio with ½ added to every cell (Heinze & Schemper 2002).
        // Group 0: 1 event of 5; group 1: 4 of 5 →
        // β1 = ln[(4.5/1.5)/(1.5/4.5)] = ln 9, β0 = ln(1.5/4.5) = −ln 3.
        let nm = names(&["c", "g"]);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for g in 0..2 {
            for k in 0..5 {
                x.extend_from_slice(&[1.0, g as f64]);
                y.push(if (g == 0 && k < 1) || (g == 1 && k < 4) {
                    1.0
                } else {
                    0.0
                });
            }
        }
        let d = ModelData::new(&y, &x, &nm).unwrap();
        let f = firth_logit(&d, &FitOptions::default()).unwrap();
        assert!((f.params[1] - 9f64.ln()).abs() < 1e-10, "{:?}", f.params);
        assert!((f.params[0] + 3f64.ln()).abs() < 1e-10);
        // The profile interval contains the estimate and LR stat at the ends equals χ²₁.
        let ci = profile_intervals(&d, &f, 0.95, &FitOptions::default()).unwrap();
        assert!(ci[1].0 < f.params[1] && f.params[1] < ci[1].1);
        let tests = lr_tests(&d, &f, &FitOptions::default()).unwrap();
        assert!(tests[1].1 > 0.0 && tests[1].1 < 0.1);
    }
}
