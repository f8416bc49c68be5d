//! The doubly robust (augmented inverse-probability-weighted, AIPW) risk
//! difference for a binary outcome, with its influence-function standard
//! error and a seeded bootstrap.
//!
//! ```text
//! e(x)  = P(T = 1 | x)            logistic regression of T on X (all units)
//! m₁(x) = P(Y = 1 | T = 1, x)     logistic regression of Y on X among the treated
//! m₀(x) = P(Y = 1 | T = 0, x)     logistic regression of Y on X among the controls
//!
//! ψ₁ᵢ = m₁(xᵢ) + Tᵢ (Yᵢ − m₁(xᵢ)) / e(xᵢ)
//! ψ₀ᵢ = m₀(xᵢ) + (1 − Tᵢ)(Yᵢ − m₀(xᵢ)) / (1 − e(xᵢ))
//! risk₁ = mean ψ₁,  risk₀ = mean ψ₀,  τ̂ = risk₁ − risk₀        (the ATE)
//! SE(τ̂) = √(Σᵢ (ψ₁ᵢ − ψ₀ᵢ − τ̂)²) / n                         (influence function)
//! ```
//!
//! The estimate is consistent when either the propensity model or both
//! outcome models are correct (Robins, Rotnitzky & Zhao 1994; Bang & Robins
//! 2005); the influence-function variance treats the fitted models as known,
//! which is asymptotically exact when both are correct and is checked here by
//! the bootstrap. The interval and p-value use the normal distribution.
//!
//! # Bootstrap
//!
//! Replicate `b` resamples the n rows with replacement (row indices from the
//! [`Stream`] `(seed, b)` of [`crate::stats::resampling`], so the result is
//! the same for any number of threads) and refits all three models. Rows are
//! first compressed into distinct patterns `(x, T, Y)`: resampling rows is
//! exactly resampling patterns with multinomial counts, and a model fitted to
//! the patterns with the counts as frequency weights is the model fitted to
//! the resampled rows. Each refit is Newton's method started from the
//! full-sample estimates and iterated to the usual convergence criterion
//! (relative change ≤ `tol`), not a fixed number of steps; a replicate whose
//! fit does not converge counts as failed and is left out (reported). With
//! discrete covariates the work per replicate is `n` random draws plus fits
//! on the patterns; with continuous covariates (every row its own pattern)
//! it is three full refits.
//!
//! The bootstrap reports the percentile interval (linear quantiles,
//! as `scipy.stats.bootstrap`) and the standard deviation (n − 1) of the
//! replicates.
//!
//! References: Robins, Rotnitzky & Zhao (1994), JASA 89, 846–866; Lunceford
//! & Davidian (2004), Stat. Med. 23, 2937–2960 (the influence-function
//! variance); Glynn & Quinn (2010), Political Analysis 18, 36–56.

use super::matching::normal_inference;
use crate::models::glm::{self, Binomial};
use crate::models::{logit, FitOptions, ModelData, ModelFit, WeightKind};
use crate::stats::resampling::{bootstrap_interval, standard_error, BootstrapMethod, Stream};
use crate::stats::{Alternative, ConfidenceInterval};
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Propensity scores outside `[POSITIVITY_EPS, 1 − POSITIVITY_EPS]` make
/// [`aipw`] warn: inverse weights above 100 dominate the estimate.
pub const POSITIVITY_EPS: f64 = 0.01;

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Options of [`aipw`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AipwOptions {
    /// Fit options of the three logistic regressions (covariance irrelevant).
    pub fit: FitOptions,
    /// Bootstrap replicates (0: none).
    pub n_bootstrap: u64,
    /// Seed of the bootstrap streams.
    pub seed: u64,
    /// Threads (`None`: rayon's global pool); the result does not depend on it.
    pub threads: Option<usize>,
    /// Level of the intervals.
    pub confidence_level: f64,
}

impl Default for AipwOptions {
    fn default() -> Self {
        AipwOptions {
            fit: FitOptions::default(),
            n_bootstrap: 0,
            seed: 0,
            threads: None,
            confidence_level: 0.95,
        }
    }
}

/// The bootstrap part of [`Aipw`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AipwBootstrap {
    /// τ̂ of each replicate in replicate order (NaN for failed ones).
    pub distribution: Vec<f64>,
    /// SD (n − 1) of the successful replicates.
    pub standard_error: f64,
    /// Percentile interval of the successful replicates.
    pub confidence_interval: ConfidenceInterval,
    /// Replicates whose refit did not converge (left out).
    pub n_failed: usize,
    /// Distinct `(x, T, Y)` patterns the rows were compressed to.
    pub n_patterns: usize,
    /// The largest number of Newton iterations any replicate's refit took.
    pub max_iterations: usize,
    /// The seed.
    pub seed: u64,
}

/// The result of [`aipw`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aipw {
    /// τ̂, the risk difference (ATE).
    pub estimate: f64,
    /// Influence-function standard error.
    pub se: f64,
    /// τ̂ / SE.
    pub statistic: f64,
    /// Two-sided normal p-value.
    pub pvalue: f64,
    /// `τ̂ ∓ z·SE`.
    pub confidence_interval: ConfidenceInterval,
    /// Mean of ψ₁ (the risk had everyone been treated).
    pub risk_treated: f64,
    /// Mean of ψ₀ (the risk had no one been treated).
    pub risk_control: f64,
    /// Influence-function SEs of `risk_treated` and `risk_control`.
    pub se_risks: (f64, f64),
    /// Rows used.
    pub n: usize,
    /// Treated rows.
    pub n_treated: usize,
    /// The propensity model `T ~ X`.
    pub propensity: ModelFit,
    /// The outcome model among the treated.
    pub outcome_treated: ModelFit,
    /// The outcome model among the controls.
    pub outcome_control: ModelFit,
    /// e(xᵢ) for every row.
    pub ps: Vec<f64>,
    /// m₁(xᵢ) for every row.
    pub mu1: Vec<f64>,
    /// m₀(xᵢ) for every row.
    pub mu0: Vec<f64>,
    /// Rows with e outside `[POSITIVITY_EPS, 1 − POSITIVITY_EPS]`.
    pub n_extreme_ps: usize,
    /// Warnings (positivity, separation or non-convergence of a model).
    pub warnings: Vec<String>,
    /// The bootstrap, when asked for.
    pub bootstrap: Option<AipwBootstrap>,
}

fn check_binary(name: &'static str, v: &[f64]) -> Result<()> {
    if let Some(i) = v.iter().position(|&x| x != 0.0 && x != 1.0) {
        return Err(invalid(
            name,
            format!("must be 0/1; position {i} has {}", v[i]),
        ));
    }
    Ok(())
}

/// Rows of `x` (row-major, `p` columns) where `keep` holds.
fn rows_where(x: &[f64], p: usize, keep: impl Fn(usize) -> bool) -> Vec<f64> {
    x.chunks_exact(p)
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .flat_map(|(_, r)| r.iter().copied())
        .collect()
}

/// `expit(x·β)` for every row.
fn predict(x: &[f64], p: usize, beta: &[f64]) -> Vec<f64> {
    x.par_chunks(p)
        .map(|r| glm::expit(glm::dot(r, beta)))
        .collect()
}

/// Σ wᵢψ₁ᵢ, Σ wᵢψ₀ᵢ over rows (weights = counts).
fn psi_sums(
    t: &[f64],
    y: &[f64],
    e: &[f64],
    m1: &[f64],
    m0: &[f64],
    w: Option<&[f64]>,
) -> (f64, f64) {
    let (mut s1, mut s0) = (0.0, 0.0);
    for i in 0..t.len() {
        let wi = w.map_or(1.0, |w| w[i]);
        if wi == 0.0 {
            continue;
        }
        let (p1, p0) = psi(t[i], y[i], e[i], m1[i], m0[i]);
        s1 += wi * p1;
        s0 += wi * p0;
    }
    (s1, s0)
}

#[inline]
fn psi(t: f64, y: f64, e: f64, m1: f64, m0: f64) -> (f64, f64) {
    (m1 + t * (y - m1) / e, m0 + (1.0 - t) * (y - m0) / (1.0 - e))
}

/// The AIPW risk difference of `y` (0/1) between `t = 1` and `t = 0`,
/// adjusting for the design `x` (row-major `n × p`, with an intercept
/// column; `names` label the columns). See the module docs.
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-binary outcome or treatment, a group
/// without rows, an outcome constant within a group, invalid design values
/// (naming column and row), a rank-deficient design within a group, a
/// level outside (0, 1) or `threads = 0`.
///
/// # Examples
/// ```
/// use huisverbod::causal::aipw::{aipw, AipwOptions};
/// // one binary covariate z: the AIPW estimate is the z-standardised risk difference
/// let z = [0., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1., 1.];
/// let t = [0., 0., 0., 1., 1., 1., 0., 0., 1., 1., 1., 1.];
/// let y = [0., 0., 1., 0., 1., 1., 0., 1., 0., 1., 1., 1.];
/// let x: Vec<f64> = z.iter().flat_map(|&v| [1.0, v]).collect();
/// let names = vec!["Intercept".to_string(), "z".to_string()];
/// let r = aipw(&y, &t, &x, &names, &AipwOptions::default())?;
/// // z = 0: 2/3 − 1/3; z = 1: 3/4 − 1/2; each stratum half the rows
/// assert!((r.estimate - (0.5 * (1.0 / 3.0) + 0.5 * 0.25)).abs() < 1e-9);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn aipw(y: &[f64], t: &[f64], x: &[f64], names: &[String], opts: &AipwOptions) -> Result<Aipw> {
    let n = y.len();
    let p = names.len();
    if t.len() != n {
        return Err(invalid(
            "treatment",
            format!("has length {}, the outcome has {n}", t.len()),
        ));
    }
    if p == 0 || x.len() != n * p {
        return Err(invalid(
            "x",
            format!("has {} values; expected n × p = {n} × {p}", x.len()),
        ));
    }
    if !(opts.confidence_level > 0.0 && opts.confidence_level < 1.0) {
        return Err(invalid(
            "confidence_level",
            format!("must lie in (0, 1), got {}", opts.confidence_level),
        ));
    }
    check_binary("outcome", y)?;
    check_binary("treatment", t)?;
    let n1 = t.iter().filter(|&&v| v == 1.0).count();
    if n1 == 0 || n1 == n {
        return Err(invalid(
            "treatment",
            format!("needs treated and control rows; got {n1} treated of {n}"),
        ));
    }
    let fit = opts.fit;
    let ps_fit = logit(&ModelData::new(t, x, names)?, &fit)
        .map_err(|e| relabel(e, "the propensity model (treatment ~ covariates)"))?;
    let x1 = rows_where(x, p, |i| t[i] == 1.0);
    let y1: Vec<f64> = (0..n).filter(|&i| t[i] == 1.0).map(|i| y[i]).collect();
    let x0 = rows_where(x, p, |i| t[i] == 0.0);
    let y0: Vec<f64> = (0..n).filter(|&i| t[i] == 0.0).map(|i| y[i]).collect();
    let fit1 = logit(&ModelData::new(&y1, &x1, names)?, &fit)
        .map_err(|e| relabel(e, "the outcome model among the treated"))?;
    let fit0 = logit(&ModelData::new(&y0, &x0, names)?, &fit)
        .map_err(|e| relabel(e, "the outcome model among the controls"))?;
    let e = predict(x, p, &ps_fit.params);
    if let Some(i) = e.iter().position(|&v| !(v > 0.0 && v < 1.0)) {
        return Err(invalid(
            "the propensity model",
            format!(
                "row {i} has a fitted propensity score of {} (a score of exactly 0 or 1 means no overlap: \
                 the model separates the groups, so the inverse weights and the estimate are undefined); \
                 drop or coarsen the covariate that separates treated from controls, or restrict the \
                 cohort to comparable cases (trim to the common support)",
                e[i]
            ),
        ));
    }
    let m1 = predict(x, p, &fit1.params);
    let m0 = predict(x, p, &fit0.params);
    let nf = n as f64;
    let (s1, s0) = psi_sums(t, y, &e, &m1, &m0, None);
    let (r1, r0) = (s1 / nf, s0 / nf);
    let tau = r1 - r0;
    let (mut ss, mut ss1, mut ss0) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (a, b) = psi(t[i], y[i], e[i], m1[i], m0[i]);
        ss += (a - b - tau) * (a - b - tau);
        ss1 += (a - r1) * (a - r1);
        ss0 += (b - r0) * (b - r0);
    }
    let se = ss.sqrt() / nf;
    let (statistic, pvalue, confidence_interval) = normal_inference(tau, se, opts.confidence_level);
    let mut warnings = Vec::new();
    let n_extreme = e
        .iter()
        .filter(|&&v| !(POSITIVITY_EPS..=1.0 - POSITIVITY_EPS).contains(&v))
        .count();
    if n_extreme > 0 {
        let (lo, hi) = e
            .iter()
            .fold((1.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        warnings.push(format!(
            "{n_extreme} of {n} rows have propensity scores outside [{POSITIVITY_EPS}, {}] (range {lo:.3e} to {hi:.6}): \
             positivity is doubtful and their inverse weights dominate the estimate; \
             check the overlap, drop or coarsen the covariates that separate the groups, or trim",
            1.0 - POSITIVITY_EPS
        ));
    }
    for (label, f) in [
        ("propensity model", &ps_fit),
        ("outcome model (treated)", &fit1),
        ("outcome model (controls)", &fit0),
    ] {
        for w in &f.warnings {
            warnings.push(format!("{label}: {w}"));
        }
    }
    let bootstrap = if opts.n_bootstrap > 0 {
        Some(run_bootstrap(
            y,
            t,
            x,
            names,
            [&ps_fit.params, &fit1.params, &fit0.params],
            tau,
            opts,
        )?)
    } else {
        None
    };
    if let Some(b) = &bootstrap {
        if b.n_failed > 0 {
            warnings.push(format!(
                "{} of {} bootstrap replicates did not converge (a resample with separation) and were left out",
                b.n_failed, opts.n_bootstrap
            ));
        }
    }
    Ok(Aipw {
        estimate: tau,
        se,
        statistic,
        pvalue,
        confidence_interval,
        risk_treated: r1,
        risk_control: r0,
        se_risks: (ss1.sqrt() / nf, ss0.sqrt() / nf),
        n,
        n_treated: n1,
        propensity: ps_fit,
        outcome_treated: fit1,
        outcome_control: fit0,
        ps: e,
        mu1: m1,
        mu0: m0,
        n_extreme_ps: n_extreme,
        warnings,
        bootstrap,
    })
}

fn relabel(e: Error, what: &str) -> Error {
    match e {
        Error::InvalidArgument { name, reason } => Error::InvalidArgument {
            name,
            reason: format!("{reason} (in {what})"),
        },
        other => other,
    }
}

/// Distinct `(x, T, Y)` rows: the pattern of every row and the patterns'
/// design, treatment and outcome.
struct Patterns {
    id: Vec<u32>,
    x: Vec<f64>,
    t: Vec<f64>,
    y: Vec<f64>,
}

fn compress(y: &[f64], t: &[f64], x: &[f64], p: usize) -> Patterns {
    let n = y.len();
    let row = |i: usize| &x[i * p..(i + 1) * p];
    let cmp = |a: &usize, b: &usize| {
        t[*a]
            .total_cmp(&t[*b])
            .then(y[*a].total_cmp(&y[*b]))
            .then_with(|| {
                row(*a)
                    .iter()
                    .zip(row(*b))
                    .map(|(u, v)| u.total_cmp(v))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.par_sort_unstable_by(cmp);
    let mut id = vec![0u32; n];
    let (mut px, mut pt, mut py) = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0u32;
    for (j, &i) in order.iter().enumerate() {
        if j == 0 || cmp(&order[j - 1], &i).is_ne() {
            if j > 0 {
                k += 1;
            }
            px.extend_from_slice(row(i));
            pt.push(t[i]);
            py.push(y[i]);
        }
        id[i] = k;
    }
    Patterns {
        id,
        x: px,
        t: pt,
        y: py,
    }
}

/// Newton from `start` with frequency weights; `None` when it does not converge.
///
/// With `accept_separation` (the outcome models), a fit whose steps stalled
/// because a resample separates a cell counts: its fitted probabilities sit
/// at their limit 0 or 1, which is what the AIPW plug-in needs. A separated
/// propensity model never counts (its inverse weights are unbounded).
fn refit(
    y: &[f64],
    x: &[f64],
    w: &[f64],
    names: &[String],
    start: &[f64],
    fit: &FitOptions,
    accept_separation: bool,
) -> Option<(Vec<f64>, usize)> {
    let d = ModelData {
        y,
        x,
        names,
        weights: Some(w),
        weight_kind: WeightKind::Frequency,
        offset: None,
        clusters: None,
    };
    let r = glm::newton(&d, &Binomial, start.to_vec(), fit);
    (r.converged || (accept_separation && r.stalled_on_singular)).then_some((r.beta, r.iterations))
}

fn run_bootstrap(
    y: &[f64],
    t: &[f64],
    x: &[f64],
    names: &[String],
    start: [&[f64]; 3],
    tau: f64,
    opts: &AipwOptions,
) -> Result<AipwBootstrap> {
    let n = y.len();
    let p = names.len();
    let pat = compress(y, t, x, p);
    let np = pat.t.len();
    let treated: Vec<usize> = (0..np).filter(|&k| pat.t[k] == 1.0).collect();
    let control: Vec<usize> = (0..np).filter(|&k| pat.t[k] == 0.0).collect();
    let sub = |idx: &[usize]| -> (Vec<f64>, Vec<f64>) {
        (
            idx.iter()
                .flat_map(|&k| pat.x[k * p..(k + 1) * p].iter().copied())
                .collect(),
            idx.iter().map(|&k| pat.y[k]).collect(),
        )
    };
    let (x1, y1) = sub(&treated);
    let (x0, y0) = sub(&control);
    let fit = opts.fit;
    let one = |b: u64| -> (f64, usize) {
        let mut rng = Stream::new(opts.seed, b);
        let mut counts = vec![0u32; np];
        for _ in 0..n {
            counts[pat.id[rng.below(n as u64) as usize] as usize] += 1;
        }
        let w: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
        let w1: Vec<f64> = treated.iter().map(|&k| w[k]).collect();
        let w0: Vec<f64> = control.iter().map(|&k| w[k]).collect();
        // A resample without treated (or control) events cannot be refitted.
        let ok = |ys: &[f64], ws: &[f64]| {
            let e: f64 = ys.iter().zip(ws).map(|(a, b)| a * b).sum();
            let tot: f64 = ws.iter().sum();
            e > 0.0 && e < tot
        };
        if !ok(&pat.t, &w) || !ok(&y1, &w1) || !ok(&y0, &w0) {
            return (f64::NAN, 0);
        }
        let (Some((bps, i1)), Some((b1, i2)), Some((b0, i3))) = (
            refit(&pat.t, &pat.x, &w, names, start[0], &fit, false),
            refit(&y1, &x1, &w1, names, start[1], &fit, true),
            refit(&y0, &x0, &w0, names, start[2], &fit, true),
        ) else {
            return (f64::NAN, 0);
        };
        let e = predict(&pat.x, p, &bps);
        let m1 = predict(&pat.x, p, &b1);
        let m0 = predict(&pat.x, p, &b0);
        let (s1, s0) = psi_sums(&pat.t, &pat.y, &e, &m1, &m0, Some(&w));
        ((s1 - s0) / n as f64, i1.max(i2).max(i3))
    };
    let reps: Vec<(f64, usize)> = crate::stats::resampling::with_threads(opts.threads, || {
        (0..opts.n_bootstrap).into_par_iter().map(one).collect()
    })?;
    let distribution: Vec<f64> = reps.iter().map(|r| r.0).collect();
    let ok: Vec<f64> = distribution
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let n_failed = distribution.len() - ok.len();
    let (se, ci) = if ok.is_empty() {
        (
            f64::NAN,
            ConfidenceInterval {
                low: f64::NAN,
                high: f64::NAN,
                level: opts.confidence_level,
            },
        )
    } else {
        let iv = bootstrap_interval(
            &ok,
            tau,
            &[],
            BootstrapMethod::Percentile,
            opts.confidence_level,
            Alternative::TwoSided,
        )?;
        (standard_error(&ok), iv.confidence_interval)
    };
    Ok(AipwBootstrap {
        distribution,
        standard_error: se,
        confidence_interval: ci,
        n_failed,
        n_patterns: np,
        max_iterations: reps.iter().map(|r| r.1).max().unwrap_or(0),
        seed: opts.seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small design with a binary confounder.
    fn data() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<String>) {
        let mut y = Vec::new();
        let mut t = Vec::new();
        let mut x = Vec::new();
        for i in 0..400 {
            let z = (i % 2) as f64;
            let ti = if (i / 2) % 3 == 0 || (z == 1.0 && (i / 2) % 3 == 1) {
                1.0
            } else {
                0.0
            };
            let yi = if (i * 7 + (ti as usize) * 3 + z as usize) % 5 < 2 {
                1.0
            } else {
                0.0
            };
            y.push(yi);
            t.push(ti);
            x.extend_from_slice(&[1.0, z]);
        }
        (y, t, x, vec!["Intercept".into(), "z".into()])
    }

    #[test]
    fn saturated_model_is_standardisation() {
        // With one binary covariate the models are saturated: m_g(z) is the
        // observed risk in cell (g, z), e(z) the treated share, and AIPW
        // equals direct standardisation Σ_z P(z)(risk₁(z) − risk₀(z)).
        let (y, t, x, names) = data();
        let r = aipw(&y, &t, &x, &names, &AipwOptions::default()).unwrap();
        let mut expect = 0.0;
        for z in [0.0, 1.0] {
            let cell = |g: f64| {
                let idx: Vec<usize> = (0..y.len())
                    .filter(|&i| x[2 * i + 1] == z && t[i] == g)
                    .collect();
                idx.iter().map(|&i| y[i]).sum::<f64>() / idx.len() as f64
            };
            let pz = (0..y.len()).filter(|&i| x[2 * i + 1] == z).count() as f64 / y.len() as f64;
            expect += pz * (cell(1.0) - cell(0.0));
        }
        assert!(
            (r.estimate - expect).abs() < 1e-9,
            "{} vs {expect}",
            r.estimate
        );
    }

    #[test]
    fn bootstrap_same_for_any_thread_count() {
        let (y, t, x, names) = data();
        let run = |threads| {
            let o = AipwOptions {
                n_bootstrap: 64,
                seed: 11,
                threads: Some(threads),
                ..Default::default()
            };
            aipw(&y, &t, &x, &names, &o).unwrap().bootstrap.unwrap()
        };
        let a = run(1);
        let b = run(2);
        assert_eq!(a.distribution, b.distribution);
        assert_eq!(a.n_patterns, 8);
        assert_eq!(a.n_failed, 0);
    }

    #[test]
    fn compression_is_exact() {
        // Refit on patterns with count weights = fit on the rows.
        let (y, t, x, names) = data();
        let pat = compress(&y, &t, &x, 2);
        let mut w = vec![0.0; pat.t.len()];
        for &k in &pat.id {
            w[k as usize] += 1.0;
        }
        let full = logit(
            &ModelData::new(&t, &x, &names).unwrap(),
            &FitOptions::default(),
        )
        .unwrap();
        let (b, _) = refit(
            &pat.t,
            &pat.x,
            &w,
            &names,
            &[0.0, 0.0],
            &FitOptions::default(),
            false,
        )
        .unwrap();
        assert!((b[0] - full.params[0]).abs() < 1e-10 && (b[1] - full.params[1]).abs() < 1e-10);
    }

    /// A cell without events separates: the outcome refit is accepted with its
    /// fitted probability at the limit, the same refit as a propensity model is not.
    #[test]
    fn separated_outcome_refit_counts_propensity_does_not() {
        // Rows (intercept, x): x = 1 never has y = 1; x = 0 has 3 of 6.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..12 {
            let xi = if i < 6 { 0.0 } else { 1.0 };
            x.extend_from_slice(&[1.0, xi]);
            y.push(if i < 3 { 1.0 } else { 0.0 });
        }
        let w = vec![1.0; 12];
        let names = vec!["const".to_string(), "x".to_string()];
        let fit = FitOptions::default();
        let (b, _) =
            refit(&y, &x, &w, &names, &[0.0, 0.0], &fit, true).expect("outcome refit counts");
        // Fitted P(y = 1 | x = 0) = 3/6 exactly; P(y = 1 | x = 1) at its limit 0.
        let p0 = 1.0 / (1.0 + (-b[0]).exp());
        let p1 = 1.0 / (1.0 + (-(b[0] + b[1])).exp());
        assert!((p0 - 0.5).abs() < 1e-9, "{p0}");
        assert!(p1 < 1e-6, "{p1}");
        assert!(refit(&y, &x, &w, &names, &[0.0, 0.0], &fit, false).is_none());
    }
}
