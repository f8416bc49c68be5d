//! Cox proportional-hazards regression.
//!
//! The partial likelihood of `β` for covariates `xᵢ`, weights `wᵢ` and
//! risk scores `rᵢ = exp(xᵢβ)`, with, at each distinct event time `t` of a
//! stratum, the risk set `R(t)` (observations with `start < t ≤ stop`), the
//! `d` tied events `D(t)` and their weight `w_D = Σ_D wᵢ`:
//!
//! ```text
//! Breslow:  ℓ(β) = Σ_t [ Σ_{i∈D} wᵢ xᵢβ − w_D log S₀ ]
//! Efron:    ℓ(β) = Σ_t [ Σ_{i∈D} wᵢ xᵢβ − (w_D/d) Σ_{k=0}^{d−1} log(S₀ − (k/d) T₀) ]
//!           S₀ = Σ_{R(t)} wⱼ rⱼ,   T₀ = Σ_{D(t)} wⱼ rⱼ   (S₁, T₁, S₂, T₂ likewise with x, xxᵀ)
//! score     U = Σ_t [ Σ_D wᵢ xᵢ − (w_D/d) Σ_k m_k ],   m_k = (S₁ − (k/d)T₁) / (S₀ − (k/d)T₀)
//! info      I = Σ_t (w_D/d) Σ_k [ (S₂ − (k/d)T₂)/(S₀ − (k/d)T₀) − m_k m_kᵀ ]
//! ```
//!
//! (Breslow is the case where every `k` term uses `k = 0`.) Strata have
//! their own risk sets and baseline hazards. The fit is Newton–Raphson from
//! `β = 0` with step halving, stopping when `|1 − ℓ_old/ℓ_new| ≤ eps`
//! (R's `coxph.control`: `eps = 1e-9`, `iter.max = 20`,
//! `toler.chol = ε^0.75`, `toler.inf = √eps`). Covariates are centred at
//! their means first; risk scores are computed as `exp(xβ − max)` within
//! each stratum, so no exponential overflows.
//!
//! The variance is `I⁻¹` (generalised inverse: a covariate that is constant
//! within every stratum or collinear with others gets no coefficient and is
//! flagged `aliased`, as R's `NA`). With `robust`, it is the sandwich
//! `I⁻¹ (Σ_c s_c s_cᵀ) I⁻¹` with `s_c = Σ_{i∈c} wᵢ Uᵢ` the weighted score
//! residuals summed over cluster `c` (each observation its own cluster when
//! no clusters are given); `Uᵢ` are R's Efron-aware score residuals:
//!
//! ```text
//! Uᵢ = δᵢ (xᵢ − āᵢ) − rᵢ Σ_{t: start<t≤stop} Σ_k cᵢₖ (xᵢ − m_k) h_k,   h_k = (w_D/d)/(S₀ − (k/d)T₀)
//! ```
//!
//! with `āᵢ = (1/d) Σ_k m_k` and `cᵢₖ = 1 − k/d` for the tied events at `t`
//! themselves (1 otherwise). Computed from cumulative sums over event times,
//! `O(n log n)` instead of the `O(n²)` of a direct evaluation.
//!
//! Tests: Wald `β̂ᵀ V⁻¹ β̂` (V the reported, possibly robust, variance),
//! likelihood ratio `2(ℓ(β̂) − ℓ(β₀))`, score `U(β₀)ᵀ I(β₀)⁻¹ U(β₀)`, each on
//! as many df as estimated coefficients, with `β₀` the initial values
//! (`CoxOptions::init`, default 0; R's `coxph(init =)` tests against them
//! too). With the robust variance also the robust score test
//! `U(β₀)ᵀ B(β₀)⁻¹ U(β₀)`, `B = Σ_c s_c s_cᵀ` from the score residuals at
//! `β₀` (R's `robust score` test, `summary(coxph)$robscore`); with weights
//! and a single binary group covariate it is a weighted log-rank test with
//! a sandwich variance.
//!
//! An `offset` (known coefficient 1) enters every linear predictor:
//! `η = xβ + offset` in the likelihood, the residuals and the concordance.
//! The baseline hazard is at the covariate means *and offset 0*. In a converged fit, a coefficient
//! whose next Newton step is still large (`|(V U)ⱼ| > toler_inf · max(1, |β̂ⱼ|)`)
//! is flagged `infinite` (monotone likelihood; R's "Loglik converged before
//! variable j; coefficient may be infinite").
//!
//! Concordance is Harrell's C: over pairs where one observation has an
//! event while the other is still at risk (same stratum), the share where
//! the event has the higher linear predictor, ties in the predictor counting
//! ½ and pairs of tied event times excluded (R's `concordance`, lifelines'
//! `concordance_index`), pairs weighted by `wᵢwⱼ`. Its standard error is
//! R's infinitesimal jackknife: with `Cᵢ`, `Dᵢ`, `Tᵢ` the weights of the
//! concordant, discordant and predictor-tied partners of observation i
//! (as the event or as the one at risk), `N = C + D + T` and Somers'
//! `d = (C − D)/N`,
//!
//! ```text
//! dfbetaᵢ = wᵢ [ (Cᵢ − Dᵢ)/N − d (Cᵢ + Dᵢ + Tᵢ)/N ],   var C = Σ dfbetaᵢ² / 4
//! ```
//!
//! (dfbeta summed within clusters first when the fit has clusters).
//!
//! The baseline cumulative hazard is given at the (unweighted) covariate
//! means, as lifelines: increments `w_D / S₀` (Breslow) or
//! `(w_D/d) Σ_k 1/(S₀ − (k/d)T₀)` (Efron; R's `survfit.coxph` for an Efron
//! fit). Predicted survival `S(t | x) = exp(−Λ₀(t) exp((x − x̄)β̂))`.
//!
//! References: Cox (1972); Efron (1977); Therneau & Grambsch (2000), ch. 3
//! and 7; Lin & Wei (1989) for the robust variance.

// Numeric kernels over covariate indices read better with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::{check_codes, check_events, check_times, invalid, order_by_time, ConfType};
use crate::numerics::{filled_par, zeroed, Cholesky, TOLER_CHOL};
use crate::stats::{check_level, normal_quantile, pvalue_chi2, pvalue_normal, Alternative};
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How tied event times enter the partial likelihood.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    /// Efron's approximation (R's and lifelines' default).
    #[default]
    Efron,
    /// Breslow's approximation (SAS's and Stata's default).
    Breslow,
}

impl Ties {
    /// `efron` or `breslow`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
    }
}

impl std::str::FromStr for Ties {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "efron" => Ok(Ties::Efron),
            "breslow" => Ok(Ties::Breslow),
            other => Err(invalid(
                "ties",
                format!("'{other}' is not one of 'efron', 'breslow'"),
            )),
        }
    }
}

/// Iteration control (R's `coxph.control`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoxControl {
    /// Convergence when `|1 − ℓ_old/ℓ_new| ≤ eps` (default 1e-9).
    pub eps: f64,
    /// Maximum number of Newton–Raphson iterations (default 20).
    pub iter_max: usize,
    /// Relative pivot tolerance of the Cholesky factorisation (default ε^0.75).
    pub toler_chol: f64,
    /// Threshold of the "coefficient may be infinite" check (default √eps).
    pub toler_inf: f64,
}

impl Default for CoxControl {
    fn default() -> Self {
        CoxControl {
            eps: 1e-9,
            iter_max: 20,
            toler_chol: TOLER_CHOL,
            toler_inf: 1e-9f64.sqrt(),
        }
    }
}

impl CoxControl {
    fn validate(&self) -> Result<()> {
        if !(self.eps > 0.0 && self.eps < 1.0) {
            return Err(invalid(
                "eps",
                format!("must lie in (0, 1), got {}", self.eps),
            ));
        }
        if self.iter_max > 10_000 {
            return Err(invalid(
                "iter_max",
                format!("must be at most 10000, got {}", self.iter_max),
            ));
        }
        if !(self.toler_chol > 0.0 && self.toler_chol < 1.0) {
            return Err(invalid(
                "toler_chol",
                format!("must lie in (0, 1), got {}", self.toler_chol),
            ));
        }
        if !(self.toler_inf > 0.0 && self.toler_inf.is_finite()) {
            return Err(invalid(
                "toler_inf",
                format!("must be positive, got {}", self.toler_inf),
            ));
        }
        Ok(())
    }
}

/// The data of a Cox model. Observation `i` is at risk on `(start[i], stop[i]]`
/// (`start = None`: from time 0, i.e. right-censored data).
#[derive(Clone, Copy, Debug)]
pub struct CoxData<'a> {
    /// Entry times (counting-process input), or `None`.
    pub start: Option<&'a [f64]>,
    /// Event or censoring times.
    pub stop: &'a [f64],
    /// 1 when `stop` is an event, 0 when censored.
    pub event: &'a [f64],
    /// Covariates, `n × p` row-major.
    pub x: &'a [f64],
    /// Number of covariates `p ≥ 1`.
    pub p: usize,
    /// Stratum codes `0 … s−1`, or `None`.
    pub strata: Option<&'a [u32]>,
    /// Case weights (> 0), or `None`.
    pub weights: Option<&'a [f64]>,
    /// Cluster codes `0 … c−1` for the robust variance, or `None`.
    pub cluster: Option<&'a [u32]>,
    /// A term with known coefficient 1 in the linear predictor, or `None`.
    pub offset: Option<&'a [f64]>,
}

/// Options of [`cox_fit`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoxOptions {
    /// Tie handling (default Efron).
    pub ties: Ties,
    /// Iteration control.
    pub control: CoxControl,
    /// Sandwich variance (implied by clusters).
    pub robust: bool,
    /// Confidence level of the coefficient intervals.
    pub confidence_level: f64,
    /// Compute the concordance during the fit (default true). Without it,
    /// `CoxFit::concordance` holds `NaN`s; [`cox_concordance`] computes it later.
    pub concordance: bool,
    /// Initial coefficients (default all 0); the score and likelihood-ratio
    /// tests are against them (R's `coxph(init =)`).
    pub init: Option<Vec<f64>>,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            control: CoxControl::default(),
            robust: false,
            confidence_level: 0.95,
            concordance: true,
            init: None,
        }
    }
}

/// A chi-square test of the model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChiSquareTest {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Upper-tail p-value.
    pub pvalue: f64,
}

impl ChiSquareTest {
    pub(crate) fn new(statistic: f64, df: f64) -> Self {
        ChiSquareTest {
            statistic,
            df,
            pvalue: if df > 0.0 {
                pvalue_chi2(statistic, df)
            } else {
                f64::NAN
            },
        }
    }
}

/// Harrell's concordance with its pair counts (weighted).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Concordance {
    /// `(concordant + tied_risk/2) / (concordant + discordant + tied_risk)`.
    pub value: f64,
    /// Comparable pairs where the event has the higher linear predictor.
    pub concordant: f64,
    /// Comparable pairs where it has the lower.
    pub discordant: f64,
    /// Comparable pairs with equal linear predictors.
    pub tied_risk: f64,
    /// Pairs with events at the same time (not comparable).
    pub tied_time: f64,
    /// Standard error of `value`: the infinitesimal-jackknife estimate of
    /// R's `concordance()` (`sqrt(var)`; clusters summed as R's).
    pub std_err: f64,
}

/// The baseline cumulative hazard of one stratum at the covariate means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Distinct stop times of the stratum.
    pub time: Vec<f64>,
    /// Number at risk at each time.
    pub n_risk: Vec<u64>,
    /// Events at each time.
    pub n_event: Vec<u64>,
    /// Censored at each time.
    pub n_censor: Vec<u64>,
    /// Cumulative hazard at the covariate means.
    pub cumhaz: Vec<f64>,
    /// Cumulative `Σ_k (w_D/d)/S₀ₖ²` (the hazard-variance term at the means).
    pub var_haz: Vec<f64>,
    /// Cumulative `Σ_k (w_D/d) m_k/S₀ₖ` (times × p, row-major; covariates
    /// centred at the means): the hazard-weighted covariate means.
    pub xbar_haz: Vec<f64>,
}

/// A predicted survival curve `S(t | x)` with its pointwise standard errors
/// and interval (see [`CoxFit::predict_survival`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictedSurvival {
    /// The stratum's baseline times.
    pub time: Vec<f64>,
    /// `Λ(t | x)`.
    pub cumhaz: Vec<f64>,
    /// Standard error of `Λ(t | x)` (= that of `log S`; R's `std.err`).
    pub std_err: Vec<f64>,
    /// `exp(−Λ(t | x))`.
    pub survival: Vec<f64>,
    /// Lower pointwise limit of `S`.
    pub lower: Vec<f64>,
    /// Upper pointwise limit of `S`.
    pub upper: Vec<f64>,
}

/// A fitted Cox model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoxFit {
    /// Number of observations (rows).
    pub n: usize,
    /// Number of events.
    pub n_events: usize,
    /// Number of covariates.
    pub p: usize,
    /// Number of strata.
    pub n_strata: usize,
    /// Number of clusters (robust variance with clusters).
    pub n_clusters: Option<usize>,
    /// Coefficients (`NaN` where aliased).
    pub coef: Vec<f64>,
    /// Standard errors (robust when `robust`).
    pub std_err: Vec<f64>,
    /// The variance matrix used (`p × p`; robust when `robust`).
    pub var: Vec<f64>,
    /// The model-based variance `I⁻¹`.
    pub naive_var: Vec<f64>,
    /// `coef / std_err`.
    pub z: Vec<f64>,
    /// Two-sided p-values of `z`.
    pub pvalue: Vec<f64>,
    /// Lower confidence limits of the coefficients.
    pub coef_low: Vec<f64>,
    /// Upper confidence limits of the coefficients.
    pub coef_high: Vec<f64>,
    /// Log partial likelihood at the initial values (`β = 0` unless `init`).
    pub loglik_null: f64,
    /// Log partial likelihood at `β̂`.
    pub loglik: f64,
    /// Score (log-rank) test at the initial values (`β = 0` unless `init`).
    pub score_test: ChiSquareTest,
    /// Robust score test at the initial values (with the robust variance only).
    pub robust_score_test: Option<ChiSquareTest>,
    /// Wald test with the reported variance.
    pub wald_test: ChiSquareTest,
    /// Likelihood-ratio test.
    pub lr_test: ChiSquareTest,
    /// Newton–Raphson iterations used.
    pub iterations: usize,
    /// Whether the convergence criterion was met.
    pub converged: bool,
    /// Covariates without a coefficient (constant within strata or collinear).
    pub aliased: Vec<bool>,
    /// Covariates whose coefficient may be infinite (monotone likelihood).
    pub infinite: Vec<bool>,
    /// Harrell's concordance of the linear predictor.
    pub concordance: Concordance,
    /// Column means of the covariates (the baseline is at these values).
    pub means: Vec<f64>,
    /// Baseline cumulative hazard per stratum.
    pub baseline: Vec<Baseline>,
    /// Tie handling.
    pub ties: Ties,
    /// Whether the variance is the sandwich.
    pub robust: bool,
    /// Confidence level of the intervals.
    pub confidence_level: f64,
}

impl CoxFit {
    /// The cumulative hazard `Λ₀(t) exp((x − x̄)β̂)` of covariate vector `x`
    /// in stratum `stratum`, at the stratum's baseline times.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a wrong length of `x` or an unknown stratum.
    pub fn predict_cumhaz(&self, x: &[f64], stratum: usize) -> Result<Vec<f64>> {
        if x.len() != self.p {
            return Err(invalid(
                "x",
                format!(
                    "has {} values, the model has {} covariates",
                    x.len(),
                    self.p
                ),
            ));
        }
        let b = self.baseline.get(stratum).ok_or_else(|| {
            invalid(
                "strata",
                format!(
                    "stratum {stratum} does not exist (the model has {})",
                    self.n_strata
                ),
            )
        })?;
        let lp: f64 = (0..self.p)
            .filter(|&j| !self.aliased[j])
            .map(|j| (x[j] - self.means[j]) * self.coef[j])
            .sum();
        let rel = lp.exp();
        Ok(b.cumhaz.iter().map(|h| h * rel).collect())
    }

    /// The survival curve of covariate vector `x` in stratum `stratum` with
    /// standard errors and pointwise limits, R's `survfit(fit, newdata)`:
    ///
    /// ```text
    /// Λ(t | x)      = r Σ_{tᵢ ≤ t} Σ_k (w_D/d) / S₀ₖ                r = exp((x − x̄)β̂)
    /// var Λ(t | x)  = r² [ Σ_{tᵢ ≤ t} Σ_k (w_D/d) / S₀ₖ²  +  qᵀ V q ]
    /// q(t)          = Σ_{tᵢ ≤ t} Σ_k (w_D/d) (m_k − (x − x̄)) / S₀ₖ
    /// ```
    ///
    /// (`k` over the Efron stages; one stage for Breslow), `V` the reported
    /// variance of `β̂` (robust when the fit is, as R's `fit$var`). The limits
    /// use `se(log S) = se(Λ)` with `conf_type` ([`ConfType::Log`] is R's
    /// default for these curves).
    ///
    /// # Errors
    /// As [`CoxFit::predict_cumhaz`], and for a level outside (0, 1).
    pub fn predict_survival(
        &self,
        x: &[f64],
        stratum: usize,
        conf_type: ConfType,
        confidence_level: f64,
    ) -> Result<PredictedSurvival> {
        check_level(confidence_level)?;
        let cumhaz = self.predict_cumhaz(x, stratum)?;
        let b = &self.baseline[stratum];
        let p = self.p;
        let keep: Vec<usize> = (0..p).filter(|&j| !self.aliased[j]).collect();
        let z: Vec<f64> = (0..p).map(|j| x[j] - self.means[j]).collect();
        let lp: f64 = keep.iter().map(|&j| z[j] * self.coef[j]).sum();
        let r = lp.exp();
        let zq = normal_quantile(1.0 - (1.0 - confidence_level) / 2.0);
        let mut out = PredictedSurvival {
            time: b.time.clone(),
            cumhaz,
            std_err: Vec::with_capacity(b.time.len()),
            survival: Vec::with_capacity(b.time.len()),
            lower: Vec::with_capacity(b.time.len()),
            upper: Vec::with_capacity(b.time.len()),
        };
        let mut q = vec![0.0; p];
        for i in 0..b.time.len() {
            for &j in &keep {
                q[j] = b.xbar_haz[i * p + j] - z[j] * b.cumhaz[i];
            }
            let mut qvq = 0.0;
            for &a in &keep {
                for &c in &keep {
                    qvq += q[a] * self.var[a * p + c] * q[c];
                }
            }
            let var = r * r * (b.var_haz[i] + qvq);
            let se = var.max(0.0).sqrt();
            let s = (-out.cumhaz[i]).exp();
            let (lo, hi) = super::kaplan_meier::interval(s, se * se, zq, conf_type);
            out.std_err.push(se);
            out.survival.push(s);
            out.lower.push(lo);
            out.upper.push(hi);
        }
        Ok(out)
    }
}

// ------------------------------------------------------------------ preparation

/// The data in processing order: by stratum, then stop time descending
/// (rows gathered once, so that every sweep reads memory sequentially).
///
/// For right-censored data with many rows per distinct time (days), `grouped`
/// lists the runs of equal (stratum, time): the sweeps then sum each run in
/// parallel before walking the runs in order.
pub(super) struct Prep {
    pub(super) n: usize,
    pub(super) p: usize,
    /// Centred covariates, `n × p`, processing order.
    pub(super) x: Vec<f64>,
    pub(super) stop: Vec<f64>,
    pub(super) start: Option<Vec<f64>>,
    pub(super) event: Vec<bool>,
    pub(super) w: Vec<f64>,
    /// Offsets in processing order (`None`: all 0).
    pub(super) offset: Option<Vec<f64>>,
    /// Stratum of each row.
    pub(super) strata_codes: Vec<u32>,
    /// Per stratum: range of processing positions.
    pub(super) strata: Vec<(usize, usize)>,
    /// Rows sorted by (stratum, start descending), with per-stratum ranges.
    pub(super) removal: Vec<u32>,
    pub(super) removal_ranges: Vec<(usize, usize)>,
    pub(super) means: Vec<f64>,
    /// Cluster codes and their number.
    pub(super) cluster: Option<(Vec<u32>, usize)>,
    pub(super) grouped: Option<Grouped>,
}

/// The runs of equal (stratum, stop time).
pub(super) struct Grouped {
    /// Run k covers rows `bounds[k]..bounds[k + 1]`.
    bounds: Vec<usize>,
    /// Per stratum: its range of runs (times descending).
    ranges: Vec<(usize, usize)>,
    /// Σ weights of the events of each run.
    dw: Vec<f64>,
    /// Event rows of run k: `death_rows[death_off[k]..death_off[k + 1]]`.
    death_off: Vec<usize>,
    death_rows: Vec<usize>,
}

/// Runs are used with at least this many rows …
const GROUPED_MIN_ROWS: usize = 20_000;
/// … and at least this many rows per (stratum, time) group.
const GROUPED_ROWS_PER_TIME: usize = 8;

pub(super) fn prepare(d: &CoxData<'_>) -> Result<Prep> {
    let n = d.stop.len();
    check_times("stop", d.stop)?;
    check_events(d.event, n)?;
    if d.p == 0 {
        return Err(invalid("x", "has no covariates"));
    }
    if d.x.len() != n * d.p {
        return Err(invalid(
            "x",
            format!("has {} values, expected n × p = {n} × {}", d.x.len(), d.p),
        ));
    }
    if !d.x.iter().fold(true, |ok, v| ok & v.is_finite()) {
        let i = d.x.iter().position(|v| !v.is_finite()).unwrap_or(0);
        return Err(invalid(
            "x",
            format!(
                "has a non-finite value {} at row {}, covariate {}",
                d.x[i],
                i / d.p,
                i % d.p
            ),
        ));
    }
    if let Some(s) = d.start {
        check_times("start", s)?;
        if s.len() != n {
            return Err(invalid(
                "start",
                format!("has length {}, stop has length {n}", s.len()),
            ));
        }
        if let Some(i) = (0..n).find(|&i| s[i] >= d.stop[i]) {
            return Err(invalid(
                "start",
                format!(
                    "must be smaller than stop, but row {i} has start {} and stop {}",
                    s[i], d.stop[i]
                ),
            ));
        }
    }
    if let Some(w) = d.weights {
        if w.len() != n {
            return Err(invalid(
                "weights",
                format!("has length {}, stop has length {n}", w.len()),
            ));
        }
        if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(invalid(
                "weights",
                format!("must be positive and finite, but row {i} has {}", w[i]),
            ));
        }
    }
    if let Some(o) = d.offset {
        if o.len() != n {
            return Err(invalid(
                "offset",
                format!("has length {}, stop has length {n}", o.len()),
            ));
        }
        if let Some(i) = o.iter().position(|v| !v.is_finite()) {
            return Err(invalid(
                "offset",
                format!("must be finite, but row {i} has {}", o[i]),
            ));
        }
    }
    if !d.event.contains(&1.0) {
        return Err(invalid(
            "event",
            "has no events: all observations are censored, so there is nothing to fit",
        ));
    }
    let ns = match d.strata {
        Some(s) => check_codes("strata", s, n)?,
        None => 1,
    };
    let cluster = match d.cluster {
        Some(c) => {
            let k = check_codes("cluster", c, n)?;
            Some((c, k))
        }
        None => None,
    };
    // Order: stop descending within stratum.
    let mut order = order_by_time(d.stop);
    order.reverse();
    let (order, offsets) = match d.strata {
        Some(s) => super::bucket(&order, s, ns),
        None => (order, vec![0, n]),
    };
    let strata: Vec<(usize, usize)> = (0..ns).map(|j| (offsets[j], offsets[j + 1])).collect();
    let p = d.p;
    let mut means = vec![0.0; p];
    for row in d.x.chunks_exact(p) {
        for j in 0..p {
            means[j] += row[j];
        }
    }
    means.iter_mut().for_each(|m| *m /= n as f64);
    // Gather the rows in processing order (random reads: in parallel).
    let centred = |src: &[f64], dst: &mut [f64]| {
        for j in 0..p {
            dst[j] = src[j] - means[j];
        }
    };
    let mut x = zeroed(n * p);
    x.par_chunks_mut(p)
        .zip(order.par_iter())
        .with_min_len(4096)
        .for_each(|(row, &i)| centred(&d.x[i as usize * p..(i as usize + 1) * p], row));
    let gather = |v: &[f64]| -> Vec<f64> { filled_par(n, |k| v[order[k] as usize]) };
    let stop = gather(d.stop);
    let event: Vec<bool> = order
        .par_iter()
        .map(|&i| d.event[i as usize] == 1.0)
        .collect();
    let w = match d.weights {
        Some(wt) => gather(wt),
        None => vec![1.0; n],
    };
    let start = d.start.map(gather);
    let offset = d.offset.map(gather);
    // Runs of equal (stratum, stop).
    let mut grouped = None;
    if start.is_none() && n >= GROUPED_MIN_ROWS {
        let mut g = Grouped {
            bounds: Vec::new(),
            ranges: Vec::with_capacity(ns),
            dw: Vec::new(),
            death_off: vec![0],
            death_rows: Vec::new(),
        };
        for &(a, b) in &strata {
            let first = g.bounds.len();
            for pos in a..b {
                if pos == a || stop[pos] != stop[pos - 1] {
                    g.bounds.push(pos);
                    g.dw.push(0.0);
                    g.death_off.push(g.death_rows.len());
                }
                if event[pos] {
                    let k = g.dw.len() - 1;
                    g.dw[k] += w[pos];
                    g.death_rows.push(pos);
                    g.death_off[k + 1] = g.death_rows.len();
                }
            }
            g.ranges.push((first, g.bounds.len()));
        }
        g.bounds.push(n);
        if (g.bounds.len() - 1) * GROUPED_ROWS_PER_TIME <= n {
            grouped = Some(g);
        }
    }
    // Removal order: positions by start descending within stratum.
    let (removal, removal_ranges) = match &start {
        Some(st) => {
            let mut rem = Vec::with_capacity(n);
            let mut ranges = Vec::with_capacity(ns);
            for &(a, b) in &strata {
                let from = rem.len();
                let slice = &st[a..b];
                let mut o = order_by_time(slice);
                o.reverse();
                rem.extend(o.into_iter().map(|k| (k as usize + a) as u32));
                ranges.push((from, rem.len()));
            }
            (rem, ranges)
        }
        None => (Vec::new(), vec![(0, 0); ns]),
    };
    let mut strata_codes = vec![0u32; n];
    for (s, &(a, b)) in strata.iter().enumerate() {
        strata_codes[a..b].iter_mut().for_each(|v| *v = s as u32);
    }
    let cluster = cluster.map(|(c, k)| (order.iter().map(|&i| c[i as usize]).collect(), k));
    Ok(Prep {
        n,
        p,
        x,
        stop,
        start,
        event,
        w,
        offset,
        strata_codes,
        strata,
        removal,
        removal_ranges,
        means,
        cluster,
        grouped,
    })
}

// ------------------------------------------------------------------ the sweep

/// Risk-set sums at one distinct time of a stratum, handed to a sweep consumer.
pub(super) struct Ev<'a> {
    pub(super) stratum: usize,
    pub(super) time: f64,
    /// Positions of the events at this time.
    pub(super) deaths: &'a [usize],
    /// Number of observations at this time that are censored.
    pub(super) n_censor: usize,
    /// Unweighted number at risk.
    pub(super) n_risk: usize,
    /// Σ weights of the events.
    pub(super) dw: f64,
    pub(super) s0: f64,
    pub(super) s1: &'a [f64],
    /// Lower triangle (row-major p × p), only when requested.
    pub(super) s2: &'a [f64],
    pub(super) d0: f64,
    pub(super) d1: &'a [f64],
    pub(super) d2: &'a [f64],
    /// Per-position `η − c` (linear predictor shifted by the stratum maximum).
    pub(super) eta: &'a [f64],
}

/// Linear predictor (centred covariates) and `r = w exp(η − c)` per position,
/// `c` the maximum of η in each stratum.
/// The largest linear predictor (centred covariates) in each stratum.
fn stratum_max_eta(prep: &Prep, eta: &[f64]) -> Vec<f64> {
    let ns = prep.strata.len();
    eta.par_iter()
        .zip(prep.strata_codes.par_iter())
        .with_min_len(8192)
        .fold(
            || vec![f64::NEG_INFINITY; ns],
            |mut m, (&e, &s)| {
                let s = s as usize;
                if e > m[s] {
                    m[s] = e;
                }
                m
            },
        )
        .reduce(
            || vec![f64::NEG_INFINITY; ns],
            |a, b| a.iter().zip(&b).map(|(x, y)| x.max(*y)).collect(),
        )
}

/// `η = (x − x̄)β + offset` per position.
fn linear_predictor(prep: &Prep, beta: &[f64]) -> Vec<f64> {
    let p = prep.p;
    let off = prep.offset.as_deref();
    filled_par(prep.n, |i| {
        let xb: f64 = prep.x[i * p..(i + 1) * p]
            .iter()
            .zip(beta)
            .map(|(a, b)| a * b)
            .sum();
        xb + off.map_or(0.0, |o| o[i])
    })
}

/// Linear predictor (centred covariates) and `r = w exp(η − c)` per storage
/// row, with `c` the largest η of the row's stratum (returned too).
fn scores(prep: &Prep, beta: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut eta = linear_predictor(prep, beta);
    let c = stratum_max_eta(prep, &eta);
    let mut r = zeroed(prep.n);
    eta.par_iter_mut()
        .zip(r.par_iter_mut())
        .zip(prep.w.par_iter().zip(prep.strata_codes.par_iter()))
        .with_min_len(4096)
        .for_each(|((e, r), (w, s))| {
            *e -= c[*s as usize];
            *r = w * e.exp();
        });
    (eta, r)
}

#[inline]
fn add_outer(s2: &mut [f64], x: &[f64], r: f64, p: usize) {
    // The hot loop of every sweep: unrolled for the usual small p.
    match p {
        1 => add_outer_n::<1>(s2, x, r),
        2 => add_outer_n::<2>(s2, x, r),
        3 => add_outer_n::<3>(s2, x, r),
        4 => add_outer_n::<4>(s2, x, r),
        5 => add_outer_n::<5>(s2, x, r),
        6 => add_outer_n::<6>(s2, x, r),
        7 => add_outer_n::<7>(s2, x, r),
        8 => add_outer_n::<8>(s2, x, r),
        _ => {
            for j in 0..p {
                let rx = r * x[j];
                let row = &mut s2[j * p..j * p + j + 1];
                for (k, v) in row.iter_mut().enumerate() {
                    *v += rx * x[k];
                }
            }
        }
    }
}

/// `s2 += r x xᵀ` (lower triangle) for a compile-time `P`.
#[inline(always)]
fn add_outer_n<const P: usize>(s2: &mut [f64], x: &[f64], r: f64) {
    let s2: &mut [f64] = &mut s2[..P * P];
    let x: &[f64] = &x[..P];
    for j in 0..P {
        let rx = r * x[j];
        for k in 0..=j {
            s2[j * P + k] += rx * x[k];
        }
    }
}

/// Relative size below which the (start, stop] risk-set sums are formed again
/// from scratch after rows leave: S₀ < 1e-8 · (largest S₀ since the last
/// recompute) means at most ~8 significant digits survive the subtraction.
const RECOMPUTE_REL: f64 = 1e-8;

/// Walks every stratum from the last time to the first, keeping the risk-set
/// sums, and calls `f` at each distinct stop time.
pub(super) fn sweep<F: FnMut(&Ev<'_>)>(prep: &Prep, beta: &[f64], want_s2: bool, mut f: F) {
    let p = prep.p;
    let (eta, r) = scores(prep, beta);
    let mut s1 = vec![0.0; p];
    let mut d1 = vec![0.0; p];
    let q = if want_s2 { p * p } else { 0 };
    let mut s2 = vec![0.0; q];
    let mut d2 = vec![0.0; q];
    if let Some(g) = &prep.grouped {
        sweep_grouped(prep, g, &r, &eta, want_s2, &mut f);
        return;
    }
    let mut deaths: Vec<usize> = Vec::new();
    for (si, &(a, b)) in prep.strata.iter().enumerate() {
        let mut s0 = 0.0;
        let mut s0_peak: f64 = 0.0;
        s1.iter_mut().for_each(|v| *v = 0.0);
        s2.iter_mut().for_each(|v| *v = 0.0);
        let mut n_risk = 0usize;
        let (ra, rb) = prep.removal_ranges[si];
        let mut rptr = ra;
        let mut i = a;
        while i < b {
            let t = prep.stop[i];
            let mut d0 = 0.0;
            let mut dw = 0.0;
            d1.iter_mut().for_each(|v| *v = 0.0);
            d2.iter_mut().for_each(|v| *v = 0.0);
            deaths.clear();
            let mut n_censor = 0;
            let mut j = i;
            while j < b && prep.stop[j] == t {
                let xr = &prep.x[j * p..(j + 1) * p];
                let rj = r[j];
                s0 += rj;
                for k in 0..p {
                    s1[k] += rj * xr[k];
                }
                if want_s2 {
                    add_outer(&mut s2, xr, rj, p);
                }
                if prep.event[j] {
                    d0 += rj;
                    dw += prep.w[j];
                    for k in 0..p {
                        d1[k] += rj * xr[k];
                    }
                    if want_s2 {
                        add_outer(&mut d2, xr, rj, p);
                    }
                    deaths.push(j);
                } else {
                    n_censor += 1;
                }
                n_risk += 1;
                j += 1;
            }
            i = j;
            s0_peak = s0_peak.max(s0);
            if let Some(st) = &prep.start {
                let mut removed = false;
                while rptr < rb && st[prep.removal[rptr] as usize] >= t {
                    let k = prep.removal[rptr] as usize;
                    let xr = &prep.x[k * p..(k + 1) * p];
                    let rk = r[k];
                    s0 -= rk;
                    for m in 0..p {
                        s1[m] -= rk * xr[m];
                    }
                    if want_s2 {
                        add_outer(&mut s2, xr, -rk, p);
                    }
                    n_risk -= 1;
                    rptr += 1;
                    removed = true;
                }
                // Cancellation guard: when the rows that left carried almost
                // all of S₀ (scores exp(η − c) spanning many orders of
                // magnitude), what the subtraction leaves is rounding error of
                // the larger sum. Then the sums of the rows still at risk
                // (added already, start < t) are formed again from scratch.
                // Each recompute needs S₀ to fall by 1e8 below the largest
                // value since the last one, so the usual case stays O(n).
                if removed && n_risk > 0 && !(s0 > RECOMPUTE_REL * s0_peak) {
                    s0 = 0.0;
                    s1.iter_mut().for_each(|v| *v = 0.0);
                    s2.iter_mut().for_each(|v| *v = 0.0);
                    for k in a..i {
                        if st[k] < t {
                            let xr = &prep.x[k * p..(k + 1) * p];
                            let rk = r[k];
                            s0 += rk;
                            for m in 0..p {
                                s1[m] += rk * xr[m];
                            }
                            if want_s2 {
                                add_outer(&mut s2, xr, rk, p);
                            }
                        }
                    }
                    s0_peak = s0;
                } else if n_risk == 0 {
                    s0 = 0.0;
                    s1.iter_mut().for_each(|v| *v = 0.0);
                    s2.iter_mut().for_each(|v| *v = 0.0);
                    s0_peak = 0.0;
                }
            }
            f(&Ev {
                stratum: si,
                time: t,
                deaths: &deaths,
                n_censor,
                n_risk,
                dw,
                s0,
                s1: &s1,
                s2: &s2,
                d0,
                d1: &d1,
                d2: &d2,
                eta: &eta,
            });
        }
    }
}

/// The sweep over runs of equal (stratum, time): each run's sums of `r`,
/// `r x`, `r x xᵀ` (all rows and events only) are formed in parallel, then
/// accumulated over the runs in time order. Same sums as the row-by-row walk,
/// added in a different order.
fn sweep_grouped<F: FnMut(&Ev<'_>)>(
    prep: &Prep,
    g: &Grouped,
    r: &[f64],
    eta: &[f64],
    want_s2: bool,
    f: &mut F,
) {
    let p = prep.p;
    let q = if want_s2 { p * p } else { 0 };
    // Layout per run: s0, d0, s1[p], d1[p], s2[q], d2[q].
    let len = 2 + 2 * p + 2 * q;
    let nruns = g.bounds.len() - 1;
    let mut sums = vec![0.0; nruns * len];
    sums.par_chunks_mut(len)
        .enumerate()
        .with_min_len(4)
        .for_each(|(k, out)| {
            let (head, rest) = out.split_at_mut(2);
            let (s1, rest) = rest.split_at_mut(p);
            let (d1, rest) = rest.split_at_mut(p);
            let (s2, d2) = rest.split_at_mut(q);
            for j in g.bounds[k]..g.bounds[k + 1] {
                let xr = &prep.x[j * p..(j + 1) * p];
                let rj = r[j];
                head[0] += rj;
                for a in 0..p {
                    s1[a] += rj * xr[a];
                }
                if want_s2 {
                    add_outer(s2, xr, rj, p);
                }
                if prep.event[j] {
                    head[1] += rj;
                    for a in 0..p {
                        d1[a] += rj * xr[a];
                    }
                    if want_s2 {
                        add_outer(d2, xr, rj, p);
                    }
                }
            }
        });
    let mut s1 = vec![0.0; p];
    let mut s2 = vec![0.0; q];
    for (si, &(ga, gb)) in g.ranges.iter().enumerate() {
        let mut s0 = 0.0;
        s1.iter_mut().for_each(|v| *v = 0.0);
        s2.iter_mut().for_each(|v| *v = 0.0);
        let mut n_risk = 0;
        for k in ga..gb {
            let out = &sums[k * len..(k + 1) * len];
            s0 += out[0];
            for a in 0..p {
                s1[a] += out[2 + a];
            }
            for a in 0..q {
                s2[a] += out[2 + 2 * p + a];
            }
            let deaths = &g.death_rows[g.death_off[k]..g.death_off[k + 1]];
            let count = g.bounds[k + 1] - g.bounds[k];
            n_risk += count;
            f(&Ev {
                stratum: si,
                time: prep.stop[g.bounds[k]],
                deaths,
                n_censor: count - deaths.len(),
                n_risk,
                dw: g.dw[k],
                s0,
                s1: &s1,
                s2: &s2,
                d0: out[1],
                d1: &out[2 + p..2 + 2 * p],
                d2: &out[2 + 2 * p + q..],
                eta,
            });
        }
    }
}

/// Sums over the Efron stages `k = 0 … d−1` of one event time, with
/// `f_k = k/d` and `s₀ₖ = S₀ − f_k T₀` (Breslow: the single stage `k = 0`):
///
/// ```text
/// ln = Σ ln s₀ₖ,  a0 = Σ 1/s₀ₖ,  a1 = Σ f_k/s₀ₖ,  b0 = Σ 1/s₀ₖ²,  b1 = Σ f_k/s₀ₖ²,  b2 = Σ f_k²/s₀ₖ²
/// ```
///
/// With them the per-stage sums of the score and information collapse to a
/// single `O(p²)` update per event time (instead of one per tied event):
/// `Σ_k m_k = S₁ a0 − T₁ a1`, `Σ_k (S₂ − f_k T₂)/s₀ₖ = S₂ a0 − T₂ a1`,
/// `Σ_k m_k m_kᵀ = S₁S₁ᵀ b0 − (S₁T₁ᵀ + T₁S₁ᵀ) b1 + T₁T₁ᵀ b2`.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Stages {
    pub(super) n: usize,
    pub(super) ln: f64,
    pub(super) a0: f64,
    pub(super) a1: f64,
    pub(super) b0: f64,
    pub(super) b1: f64,
    pub(super) b2: f64,
}

pub(super) fn stages(s0: f64, d0: f64, nd: usize, ties: Ties) -> Stages {
    let n = if ties == Ties::Breslow { 1 } else { nd };
    let mut st = Stages {
        n,
        ..Default::default()
    };
    for k in 0..n {
        let f = k as f64 / nd as f64;
        let s = s0 - f * d0;
        let inv = 1.0 / s;
        st.ln += s.ln();
        st.a0 += inv;
        st.a1 += f * inv;
        st.b0 += inv * inv;
        st.b1 += f * inv * inv;
        st.b2 += f * f * inv * inv;
    }
    st
}

/// Adds `c ·` the information contribution of one event time (lower triangle).
#[inline]
pub(super) fn add_info(info: &mut [f64], ev: &Ev<'_>, st: &Stages, c: f64, p: usize) {
    for a in 0..p {
        let (s1a, d1a) = (ev.s1[a], ev.d1[a]);
        for b in 0..=a {
            let (s1b, d1b) = (ev.s1[b], ev.d1[b]);
            let e2 = ev.s2[a * p + b] * st.a0 - ev.d2[a * p + b] * st.a1;
            let mm = s1a * s1b * st.b0 - (s1a * d1b + d1a * s1b) * st.b1 + d1a * d1b * st.b2;
            info[a * p + b] += c * (e2 - mm);
        }
    }
}

/// Log partial likelihood, score and information at `beta`.
fn loglik_score_info(prep: &Prep, beta: &[f64], ties: Ties) -> (f64, Vec<f64>, Vec<f64>) {
    let p = prep.p;
    let mut ll = 0.0;
    let mut u = vec![0.0; p];
    let mut info = vec![0.0; p * p];
    sweep(prep, beta, true, |ev| {
        let nd = ev.deaths.len();
        if nd == 0 {
            return;
        }
        for &i in ev.deaths {
            let wi = prep.w[i];
            ll += wi * ev.eta[i];
            for k in 0..p {
                u[k] += wi * prep.x[i * p + k];
            }
        }
        let st = stages(ev.s0, ev.d0, nd, ties);
        let wk = ev.dw / st.n as f64;
        ll -= wk * st.ln;
        for a in 0..p {
            u[a] -= wk * (ev.s1[a] * st.a0 - ev.d1[a] * st.a1);
        }
        add_info(&mut info, ev, &st, wk, p);
    });
    for a in 0..p {
        for b in 0..a {
            info[b * p + a] = info[a * p + b];
        }
    }
    (ll, u, info)
}

// ------------------------------------------------------------------ fit

/// Cholesky factor of an information matrix, with an error that names β and
/// the remedy when the matrix is not finite (overflow of exp(η) or of the
/// covariate products: huge `init` or covariates of order 1e200).
fn chol_finite(info: &[f64], p: usize, toler: f64, beta: &[f64]) -> Result<Cholesky> {
    if info.iter().any(|v| !v.is_finite()) {
        return Err(invalid(
            "x",
            format!(
                "information matrix not finite at β = {beta:?}; rescale the covariates or change init"
            ),
        ));
    }
    Cholesky::new(info, p, toler)
}

/// Fits a Cox proportional-hazards model.
///
/// # Errors
/// [`Error::InvalidArgument`] for bad times, events, covariates (non-finite,
/// wrong shape), weights (not positive), `start ≥ stop`, skipped strata or
/// cluster codes, no events at all, or bad options. Aliased covariates and
/// monotone likelihood are not errors: see `aliased`, `infinite`,
/// `converged`.
///
/// # Examples
/// ```
/// use huisverbod::survival::cox::{cox_fit, CoxData, CoxOptions};
/// let stop = [5., 8., 12., 3., 9., 15., 2., 7.];
/// let event = [1., 1., 0., 1., 1., 0., 1., 1.];
/// let x = [0., 0., 0., 1., 1., 1., 1., 0.];
/// let data = CoxData { start: None, stop: &stop, event: &event, x: &x, p: 1,
///                      strata: None, weights: None, cluster: None, offset: None };
/// let fit = cox_fit(&data, &CoxOptions::default())?;
/// assert!(fit.converged && fit.coef[0] > 0.0);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn cox_fit(data: &CoxData<'_>, opts: &CoxOptions) -> Result<CoxFit> {
    opts.control.validate()?;
    check_level(opts.confidence_level)?;
    let prep = prepare(data)?;
    let p = prep.p;
    let ctl = opts.control;
    let solve = |info: &[f64], rhs: &[f64], at: &[f64]| -> Result<(Vec<f64>, Cholesky)> {
        let c = chol_finite(info, p, ctl.toler_chol, at)?;
        Ok((c.solve(rhs), c))
    };

    let mut beta = match &opts.init {
        None => vec![0.0; p],
        Some(b) => {
            if b.len() != p {
                return Err(invalid(
                    "init",
                    format!("has {} values, the model has {p} covariates", b.len()),
                ));
            }
            if let Some(j) = b.iter().position(|v| !v.is_finite()) {
                return Err(invalid(
                    "init",
                    format!("must be finite, but covariate {j} has {}", b[j]),
                ));
            }
            b.clone()
        }
    };
    let init = beta.clone();
    let (ll0, u0, info0) = loglik_score_info(&prep, &beta, opts.ties);
    let (step0, chol0) = solve(&info0, &u0, &beta)?;
    let score_stat: f64 = step0.iter().zip(&u0).map(|(a, b)| a * b).sum();
    let robust = opts.robust || prep.cluster.is_some();
    let robust_score = if robust {
        let b0 = score_outer(&prep, &init, opts.ties);
        Some(chol_finite(&b0, p, ctl.toler_chol, &init)?.quad_form_inv(&u0))
    } else {
        None
    };
    let mut loglik = ll0;
    let mut u = u0;
    let mut chol = chol0;
    let mut newbeta: Vec<f64> = beta.iter().zip(&step0).map(|(b, s)| b + s).collect();
    let mut converged = false;
    let mut iterations = 0;
    let mut halving = 0usize;
    if ctl.iter_max == 0 {
        newbeta = beta.clone();
    }
    for iter in 1..=ctl.iter_max {
        iterations = iter;
        let (newlk, newu, newinfo) = loglik_score_info(&prep, &newbeta, opts.ties);
        let finite = newlk.is_finite() && newu.iter().all(|v| v.is_finite());
        if finite && halving == 0 && (1.0 - loglik / newlk).abs() <= ctl.eps {
            loglik = newlk;
            u = newu;
            beta = newbeta.clone();
            chol = chol_finite(&newinfo, p, ctl.toler_chol, &newbeta)?;
            converged = true;
            break;
        }
        if !finite || newlk < loglik {
            // Not improving: halve the step towards the last accepted beta.
            halving += 1;
            for (nb, b) in newbeta.iter_mut().zip(&beta) {
                *nb = 0.5 * (*nb + *b);
            }
            if halving > 60 {
                break;
            }
            continue;
        }
        halving = 0;
        loglik = newlk;
        u = newu;
        beta = newbeta.clone();
        let (step, c) = solve(&newinfo, &u, &beta)?;
        chol = c;
        if iter == ctl.iter_max {
            break;
        }
        newbeta = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    }
    if ctl.iter_max == 0 {
        converged = false;
    }

    let aliased: Vec<bool> = chol.singular().to_vec();
    let naive_var = chol.inverse();
    // "Coefficient may be infinite": a large remaining Newton step.
    let step: Vec<f64> = (0..p)
        .map(|a| (0..p).map(|b| naive_var[a * p + b] * u[b]).sum::<f64>())
        .collect();
    // Only meaningful after convergence (R checks it then; a fit that ran out
    // of iterations is reported as not converged instead).
    let infinite: Vec<bool> = (0..p)
        .map(|a| {
            converged
                && !aliased[a]
                && step[a].abs() > ctl.toler_inf
                && step[a].abs() > ctl.toler_inf * beta[a].abs()
        })
        .collect();

    let var = if robust {
        sandwich(&prep, &beta, opts.ties, &naive_var)
    } else {
        naive_var.clone()
    };
    let df = aliased.iter().filter(|a| !**a).count() as f64;
    let z_crit = normal_quantile(1.0 - (1.0 - opts.confidence_level) / 2.0);
    let mut coef = beta.clone();
    let mut std_err = vec![f64::NAN; p];
    let mut z = vec![f64::NAN; p];
    let mut pv = vec![f64::NAN; p];
    let mut lo = vec![f64::NAN; p];
    let mut hi = vec![f64::NAN; p];
    for j in 0..p {
        if aliased[j] {
            coef[j] = f64::NAN;
            continue;
        }
        let se = var[j * p + j].max(0.0).sqrt();
        std_err[j] = se;
        z[j] = coef[j] / se;
        pv[j] = pvalue_normal(z[j], Alternative::TwoSided);
        lo[j] = coef[j] - z_crit * se;
        hi[j] = coef[j] + z_crit * se;
    }
    let mut var_out = var.clone();
    let mut naive_out = naive_var.clone();
    for a in 0..p {
        for b in 0..p {
            if aliased[a] || aliased[b] {
                var_out[a * p + b] = f64::NAN;
                naive_out[a * p + b] = f64::NAN;
            }
        }
    }
    // Wald test on the estimated coefficients with the reported variance.
    let keep: Vec<usize> = (0..p).filter(|&j| !aliased[j]).collect();
    let wald = if keep.is_empty() {
        f64::NAN
    } else {
        let k = keep.len();
        let mut vk = vec![0.0; k * k];
        for (a, &ia) in keep.iter().enumerate() {
            for (b, &ib) in keep.iter().enumerate() {
                vk[a * k + b] = var[ia * p + ib];
            }
        }
        let bk: Vec<f64> = keep.iter().map(|&j| beta[j]).collect();
        Cholesky::new(&vk, k, ctl.toler_chol)?.quad_form_inv(&bk)
    };
    let beta_eval: Vec<f64> = beta.clone();
    let concordance = if opts.concordance {
        concordance(&prep, &beta_eval)
    } else {
        Concordance {
            value: f64::NAN,
            concordant: f64::NAN,
            discordant: f64::NAN,
            tied_risk: f64::NAN,
            tied_time: f64::NAN,
            std_err: f64::NAN,
        }
    };
    let baseline = baseline(&prep, &beta_eval, opts.ties);
    Ok(CoxFit {
        n: prep.n,
        n_events: prep.event.iter().filter(|e| **e).count(),
        p,
        n_strata: prep.strata.len(),
        n_clusters: prep.cluster.as_ref().map(|c| c.1),
        coef,
        std_err,
        var: var_out,
        naive_var: naive_out,
        z,
        pvalue: pv,
        coef_low: lo,
        coef_high: hi,
        loglik_null: ll0,
        loglik,
        score_test: ChiSquareTest::new(score_stat, df),
        robust_score_test: robust_score.map(|s| ChiSquareTest::new(s, df)),
        wald_test: ChiSquareTest::new(wald, df),
        lr_test: ChiSquareTest::new(2.0 * (loglik - ll0), df),
        iterations,
        converged,
        aliased,
        infinite,
        concordance,
        means: prep.means.clone(),
        baseline,
        ties: opts.ties,
        robust,
        confidence_level: opts.confidence_level,
    })
}

// ------------------------------------------------------------------ robust variance

/// Per event time: the hazard sums that the score residuals need.
struct HazardSums {
    /// Event times of each stratum, ascending, and the offset of each stratum.
    time: Vec<f64>,
    offsets: Vec<usize>,
    /// Cumulative Σ h and Σ m h up to and including each event time (ascending), with a leading 0 row per stratum.
    cum_h: Vec<f64>,
    cum_g: Vec<f64>,
    /// Corrections for the tied events themselves: (H' − H), (G' − G), and ā.
    dh: Vec<f64>,
    dg: Vec<f64>,
    abar: Vec<f64>,
}

/// (time, H, G, H' − H, G' − G, ā) at one event time.
type EventSums = (f64, f64, Vec<f64>, f64, Vec<f64>, Vec<f64>);

fn hazard_sums(prep: &Prep, beta: &[f64], ties: Ties) -> HazardSums {
    let p = prep.p;
    let ns = prep.strata.len();
    // Collected in descending time order per stratum, reversed afterwards.
    let mut per: Vec<Vec<EventSums>> = vec![Vec::new(); ns];
    sweep(prep, beta, false, |ev| {
        let nd = ev.deaths.len();
        if nd == 0 {
            return;
        }
        // h_k = wk/s₀ₖ; H = Σ h_k, G = Σ m_k h_k, H' = Σ (1 − f_k) h_k, G' likewise.
        let st = stages(ev.s0, ev.d0, nd, ties);
        let wk = ev.dw / st.n as f64;
        let h = wk * st.a0;
        let h2 = wk * (st.a0 - st.a1);
        let mut g = vec![0.0; p];
        let mut g2 = vec![0.0; p];
        let mut abar = vec![0.0; p];
        for a in 0..p {
            let (s1, d1) = (ev.s1[a], ev.d1[a]);
            g[a] = wk * (s1 * st.b0 - d1 * st.b1);
            g2[a] = wk * (s1 * (st.b0 - st.b1) - d1 * (st.b1 - st.b2));
            abar[a] = (s1 * st.a0 - d1 * st.a1) / st.n as f64;
        }
        let dg: Vec<f64> = g2.iter().zip(&g).map(|(a, b)| a - b).collect();
        per[ev.stratum].push((ev.time, h, g, h2 - h, dg, abar));
    });
    let mut hs = HazardSums {
        time: Vec::new(),
        offsets: vec![0],
        cum_h: Vec::new(),
        cum_g: Vec::new(),
        dh: Vec::new(),
        dg: Vec::new(),
        abar: Vec::new(),
    };
    for list in per {
        let mut ch = 0.0;
        let mut cg = vec![0.0; p];
        hs.cum_h.push(0.0);
        hs.cum_g.extend_from_slice(&cg);
        for (t, h, g, dh, dg, abar) in list.into_iter().rev() {
            ch += h;
            for a in 0..p {
                cg[a] += g[a];
            }
            hs.time.push(t);
            hs.cum_h.push(ch);
            hs.cum_g.extend_from_slice(&cg);
            hs.dh.push(dh);
            hs.dg.extend_from_slice(&dg);
            hs.abar.extend_from_slice(&abar);
        }
        hs.offsets.push(hs.time.len());
    }
    hs
}

/// The sandwich variance `V (Σ_c s_c s_cᵀ) V`.
fn sandwich(prep: &Prep, beta: &[f64], ties: Ties, v: &[f64]) -> Vec<f64> {
    let p = prep.p;
    let b = score_outer(prep, beta, ties);
    // V B V
    let mut vb = vec![0.0; p * p];
    for a in 0..p {
        for c in 0..p {
            vb[a * p + c] = (0..p).map(|k| v[a * p + k] * b[k * p + c]).sum();
        }
    }
    let mut out = vec![0.0; p * p];
    for a in 0..p {
        for c in 0..p {
            out[a * p + c] = (0..p).map(|k| vb[a * p + k] * v[k * p + c]).sum();
        }
    }
    out
}

/// `B = Σ_c s_c s_cᵀ`: the outer products of the weighted score residuals
/// at `beta`, summed within clusters (each row its own cluster without).
fn score_outer(prep: &Prep, beta: &[f64], ties: Ties) -> Vec<f64> {
    let p = prep.p;
    let hs = hazard_sums(prep, beta, ties);
    let (eta, _) = scores(prep, beta);
    // Everything below is indexed by storage row.
    let resid = |i: usize, out: &mut [f64]| {
        let s = prep.strata_codes[i] as usize;
        let (o0, o1) = (hs.offsets[s], hs.offsets[s + 1]);
        let times = &hs.time[o0..o1];
        // Rows of the cumulative arrays: stratum s has (o1 − o0 + 1) rows from o0 + s.
        let base = o0 + s;
        let hi = times.partition_point(|&t| t <= prep.stop[i]);
        let lo = match &prep.start {
            Some(st) => times.partition_point(|&t| t <= st[i]),
            None => 0,
        };
        let ri = eta[i].exp(); // exp(η − c), unweighted: the weight multiplies Uᵢ below
        let x = &prep.x[i * p..(i + 1) * p];
        let mut sh = hs.cum_h[base + hi] - hs.cum_h[base + lo];
        for a in 0..p {
            out[a] = -(hs.cum_g[(base + hi) * p + a] - hs.cum_g[(base + lo) * p + a]);
        }
        if prep.event[i] {
            // stop is the event time at index hi − 1 (ascending).
            let e = o0 + hi - 1;
            sh += hs.dh[e];
            for a in 0..p {
                out[a] -= hs.dg[e * p + a];
            }
            for a in 0..p {
                // −r (x sh − sg) + (x − ā)
                out[a] = -ri * (x[a] * sh) - ri * out[a] + (x[a] - hs.abar[e * p + a]);
            }
        } else {
            for a in 0..p {
                out[a] = -ri * (x[a] * sh) - ri * out[a];
            }
        }
        // Weighted residual.
        for o in out.iter_mut() {
            *o *= prep.w[i];
        }
    };
    match &prep.cluster {
        Some((codes, k)) => {
            let k = *k;
            let sums = (0..prep.n)
                .into_par_iter()
                .fold(
                    || (vec![0.0; k * p], vec![0.0; p]),
                    |(mut acc, mut tmp), i| {
                        resid(i, &mut tmp);
                        let c = codes[i] as usize;
                        for a in 0..p {
                            acc[c * p + a] += tmp[a];
                        }
                        (acc, tmp)
                    },
                )
                .map(|(acc, _)| acc)
                .reduce(
                    || vec![0.0; k * p],
                    |mut a, b| {
                        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                        a
                    },
                );
            let mut bm = vec![0.0; p * p];
            for c in 0..k {
                let s = &sums[c * p..(c + 1) * p];
                for a in 0..p {
                    for bb in 0..p {
                        bm[a * p + bb] += s[a] * s[bb];
                    }
                }
            }
            bm
        }
        None => (0..prep.n)
            .into_par_iter()
            .fold(
                || (vec![0.0; p * p], vec![0.0; p]),
                |(mut acc, mut tmp), i| {
                    resid(i, &mut tmp);
                    for a in 0..p {
                        for bb in 0..p {
                            acc[a * p + bb] += tmp[a] * tmp[bb];
                        }
                    }
                    (acc, tmp)
                },
            )
            .map(|(acc, _)| acc)
            .reduce(
                || vec![0.0; p * p],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                },
            ),
    }
}

// ------------------------------------------------------------------ concordance

/// Fenwick tree of weights over ranks.
struct Fenwick(Vec<f64>);

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick(vec![0.0; n + 1])
    }
    fn add(&mut self, i: usize, v: f64) {
        let mut i = i + 1;
        while i < self.0.len() {
            self.0[i] += v;
            i += i & i.wrapping_neg();
        }
    }
    /// Sum over ranks `< i`.
    fn prefix(&self, i: usize) -> f64 {
        let mut i = i;
        let mut s = 0.0;
        while i > 0 {
            s += self.0[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}

/// The concordance of a fitted model on its data (for fits made with
/// `CoxOptions::concordance = false`).
///
/// # Errors
/// As [`cox_fit`] for the data; when they do not match the fit.
pub fn cox_concordance(data: &CoxData<'_>, fit: &CoxFit) -> Result<Concordance> {
    if data.p != fit.p || data.stop.len() != fit.n {
        return Err(invalid(
            "data",
            "do not match the fitted model (different n or number of covariates)",
        ));
    }
    let prep = prepare(data)?;
    let beta: Vec<f64> = (0..fit.p)
        .map(|j| if fit.aliased[j] { 0.0 } else { fit.coef[j] })
        .collect();
    Ok(concordance(&prep, &beta))
}

/// Order-preserving `u64` key of a finite `f64` (total order, −0 = +0).
#[inline]
fn f64_key(v: f64) -> u64 {
    let b = (v + 0.0).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

fn concordance(prep: &Prep, beta: &[f64]) -> Concordance {
    let eta = linear_predictor(prep, beta);
    let mut out = Concordance {
        value: f64::NAN,
        concordant: 0.0,
        discordant: 0.0,
        tied_risk: 0.0,
        tied_time: 0.0,
        std_err: f64::NAN,
    };
    // Per position, over its partners' weights: (concordant − discordant,
    // concordant + discordant + tied predictor).
    let mut infl = vec![[0.0f64; 2]; prep.n];
    for (si, &(a, b)) in prep.strata.iter().enumerate() {
        // Ranks of η within the stratum (equal values share a rank), by position.
        let mut keyed: Vec<(u64, u32)> =
            (a..b).map(|pos| (f64_key(eta[pos]), pos as u32)).collect();
        if keyed.len() > 50_000 {
            keyed.par_sort_unstable();
        } else {
            keyed.sort_unstable();
        }
        let mut rank = vec![0usize; b - a];
        let mut nr = 0;
        for k in 0..keyed.len() {
            if k > 0 && keyed[k].0 != keyed[k - 1].0 {
                nr += 1;
            }
            rank[keyed[k].1 as usize - a] = nr;
        }
        let nranks = nr + 1;
        let mut tree = Fenwick::new(nranks);
        let mut total = 0.0;
        // Events counted so far, by rank: a row's partners as the one at risk
        // are the events counted while it is in the tree (snapshot on entry,
        // difference on exit).
        let mut evs = Fenwick::new(nranks);
        let mut ev_total = 0.0;
        // Counted events relative to rank r, as partners of a row at risk:
        // (higher η: concordant − lower η: discordant, all).
        let split = |evs: &Fenwick, ev_total: f64, r: usize| -> [f64; 2] {
            let below = evs.prefix(r);
            let upto = evs.prefix(r + 1);
            [(ev_total - upto) - below, ev_total]
        };
        let (ra, rb) = prep.removal_ranges[si];
        let mut rptr = ra;
        // Removal entries are storage rows, which equal positions in the
        // sorted layout (the only one with (start, stop] data).
        let mut in_tree = vec![false; b - a];
        let mut i = a;
        while i < b {
            let t = prep.stop[i];
            let mut j = i;
            while j < b && prep.stop[j] == t {
                j += 1;
            }
            for k in i..j {
                let row = k;
                if !prep.event[row] {
                    tree.add(rank[k - a], prep.w[row]);
                    total += prep.w[row];
                    in_tree[k - a] = true;
                    let sn = split(&evs, ev_total, rank[k - a]);
                    for c in 0..2 {
                        infl[k][c] -= sn[c];
                    }
                }
            }
            if let Some(st) = &prep.start {
                while rptr < rb && st[prep.removal[rptr] as usize] >= t {
                    let k = prep.removal[rptr] as usize;
                    if in_tree[k - a] {
                        tree.add(rank[k - a], -prep.w[k]);
                        total -= prep.w[k];
                        in_tree[k - a] = false;
                        let sn = split(&evs, ev_total, rank[k - a]);
                        for c in 0..2 {
                            infl[k][c] += sn[c];
                        }
                    }
                    rptr += 1;
                }
            }
            let mut dw = 0.0;
            let mut dw2 = 0.0;
            for k in i..j {
                let row = k;
                if prep.event[row] {
                    let rk = rank[k - a];
                    let below = tree.prefix(rk);
                    let upto = tree.prefix(rk + 1);
                    let w = prep.w[row];
                    out.concordant += w * below;
                    out.tied_risk += w * (upto - below);
                    out.discordant += w * (total - upto);
                    infl[k][0] += below - (total - upto);
                    infl[k][1] += total;
                    dw += w;
                    dw2 += w * w;
                }
            }
            out.tied_time += 0.5 * (dw * dw - dw2);
            for k in i..j {
                if prep.event[k] {
                    evs.add(rank[k - a], prep.w[k]);
                    ev_total += prep.w[k];
                }
            }
            for k in i..j {
                let row = k;
                if prep.event[row] {
                    tree.add(rank[k - a], prep.w[row]);
                    total += prep.w[row];
                    in_tree[k - a] = true;
                    let sn = split(&evs, ev_total, rank[k - a]);
                    for c in 0..2 {
                        infl[k][c] -= sn[c];
                    }
                }
            }
            i = j;
        }
        // Rows still at risk at the first time: their partners are all events since entry.
        for k in a..b {
            if in_tree[k - a] {
                let sn = split(&evs, ev_total, rank[k - a]);
                for c in 0..2 {
                    infl[k][c] += sn[c];
                }
            }
        }
    }
    let denom = out.concordant + out.discordant + out.tied_risk;
    if denom > 0.0 {
        out.value = (out.concordant + 0.5 * out.tied_risk) / denom;
        // Infinitesimal jackknife of Somers' d (R's concordancefit), C = (d + 1)/2.
        let somer = (out.concordant - out.discordant) / denom;
        let dfbeta = |k: usize| -> f64 {
            let [cd, all] = infl[k];
            prep.w[k] * (cd - somer * all) / denom
        };
        let var = match &prep.cluster {
            Some((codes, nc)) => {
                let mut sums = vec![0.0; *nc];
                for k in 0..prep.n {
                    sums[codes[k] as usize] += dfbeta(k);
                }
                sums.iter().map(|v| v * v).sum::<f64>()
            }
            None => (0..prep.n).map(|k| dfbeta(k).powi(2)).sum::<f64>(),
        };
        out.std_err = (var / 4.0).sqrt();
    }
    out
}

// ------------------------------------------------------------------ baseline

fn baseline(prep: &Prep, beta: &[f64], ties: Ties) -> Vec<Baseline> {
    let ns = prep.strata.len();
    let p = prep.p;
    // The sweep's r is w exp(η − c); the baseline needs Σ w exp(η), so
    // multiply increments by exp(−c) per stratum (exp(−2c) for 1/S₀²).
    let shift = stratum_max_eta(prep, &linear_predictor(prep, beta));
    // (time, at risk, events, censored, hazard, variance and x̄ increments)
    type Row = (f64, u64, u64, u64, f64, f64, Vec<f64>);
    let mut rows: Vec<Vec<Row>> = vec![Vec::new(); ns];
    sweep(prep, beta, false, |ev| {
        let nd = ev.deaths.len();
        let (mut dh, mut dv) = (0.0, 0.0);
        let mut dg = vec![0.0; p];
        if nd > 0 {
            let st = stages(ev.s0, ev.d0, nd, ties);
            let wk = ev.dw / st.n as f64;
            let e = (-shift[ev.stratum]).exp();
            dh = wk * st.a0 * e;
            dv = wk * st.b0 * e * e;
            for a in 0..p {
                dg[a] = wk * (ev.s1[a] * st.b0 - ev.d1[a] * st.b1) * e;
            }
        }
        rows[ev.stratum].push((
            ev.time,
            ev.n_risk as u64,
            nd as u64,
            ev.n_censor as u64,
            dh,
            dv,
            dg,
        ));
    });
    rows.into_iter()
        .map(|list| {
            let m = list.len();
            let mut b = Baseline {
                time: Vec::with_capacity(m),
                n_risk: Vec::with_capacity(m),
                n_event: Vec::with_capacity(m),
                n_censor: Vec::with_capacity(m),
                cumhaz: Vec::with_capacity(m),
                var_haz: Vec::with_capacity(m),
                xbar_haz: Vec::with_capacity(m * p),
            };
            let (mut h, mut v) = (0.0, 0.0);
            let mut g = vec![0.0; p];
            for (t, nr, ne, nc, dh, dv, dg) in list.into_iter().rev() {
                h += dh;
                v += dv;
                g.iter_mut().zip(&dg).for_each(|(a, b)| *a += b);
                b.time.push(t);
                b.n_risk.push(nr);
                b.n_event.push(ne);
                b.n_censor.push(nc);
                b.cumhaz.push(h);
                b.var_haz.push(v);
                b.xbar_haz.extend_from_slice(&g);
            }
            b
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data<'a>(stop: &'a [f64], event: &'a [f64], x: &'a [f64], p: usize) -> CoxData<'a> {
        CoxData {
            start: None,
            stop,
            event,
            x,
            p,
            strata: None,
            weights: None,
            cluster: None,
            offset: None,
        }
    }

    #[test]
    fn hand_worked_loglik_two_subjects() {
        // Two subjects, x = 0 and 1, the x = 1 one fails first (t = 1), the
        // other at t = 2. ℓ(β) = β − log(1 + e^β) + 0 − log(1) ; U(0) = 1 − 1/2 = 1/2;
        // I(0) = 1/4. Score test = (1/2)²/(1/4) = 1. ℓ has no maximum: β → ∞
        // (ℓ converges to 0 from below; the relative criterion never settles
        // within 20 iterations, so only converged = false here, as R).
        let fit = cox_fit(
            &data(&[2.0, 1.0], &[1.0, 1.0], &[0.0, 1.0], 1),
            &CoxOptions::default(),
        )
        .unwrap();
        assert!((fit.score_test.statistic - 1.0).abs() < 1e-14);
        assert!((fit.loglik_null + 2f64.ln()).abs() < 1e-14);
        assert!(fit.coef[0] > 10.0);
    }

    #[test]
    fn efron_vs_breslow_on_one_tie() {
        // Three subjects x = 0, 1, 2, all fail at t = 1 (one tied set of 3).
        // At β = 0: Breslow ℓ = −3 log 3; Efron ℓ = −(log 3 + log 2 + log 1).
        let stop = [1.0, 1.0, 1.0];
        let ev = [1.0, 1.0, 1.0];
        let x = [0.0, 1.0, 2.0];
        let e = cox_fit(
            &data(&stop, &ev, &x, 1),
            &CoxOptions {
                control: CoxControl {
                    iter_max: 0,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .unwrap();
        assert!((e.loglik_null + 6f64.ln()).abs() < 1e-14);
        let b = cox_fit(
            &data(&stop, &ev, &x, 1),
            &CoxOptions {
                ties: Ties::Breslow,
                control: CoxControl {
                    iter_max: 0,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .unwrap();
        assert!((b.loglik_null + 3.0 * 3f64.ln()).abs() < 1e-14);
    }

    #[test]
    fn offset_init_and_robust_score() {
        let stop = [5., 8., 12., 3., 9., 15., 2., 7., 4., 11.];
        let event = [1., 1., 0., 1., 1., 0., 1., 1., 1., 1.];
        let x = [0., 0., 0., 1., 1., 1., 1., 0., 1., 0.];
        let tight = CoxOptions {
            control: CoxControl {
                eps: 1e-14,
                ..Default::default()
            },
            ..Default::default()
        };
        let full = cox_fit(&data(&stop, &event, &x, 1), &tight).unwrap();
        // An offset 0.3·x: the coefficient moves by 0.3, the likelihood not.
        let off: Vec<f64> = x.iter().map(|v| 0.3 * v).collect();
        let d = CoxData {
            offset: Some(&off),
            ..data(&stop, &event, &x, 1)
        };
        let o = cox_fit(&d, &tight).unwrap();
        assert!((o.coef[0] - (full.coef[0] - 0.3)).abs() < 1e-9);
        assert!((o.loglik - full.loglik).abs() < 1e-12);
        // init: same maximum, the null log-likelihood is ℓ(init) = the offset fit's ℓ(0).
        let i = cox_fit(
            &data(&stop, &event, &x, 1),
            &CoxOptions {
                init: Some(vec![0.3]),
                ..tight.clone()
            },
        )
        .unwrap();
        assert!((i.coef[0] - full.coef[0]).abs() < 1e-9);
        assert!((i.loglik_null - o.loglik_null).abs() < 1e-12);
        assert!(cox_fit(
            &data(&stop, &event, &x, 1),
            &CoxOptions {
                init: Some(vec![0.3, 0.1]),
                ..Default::default()
            }
        )
        .is_err());
        // Robust score test only with the robust variance; positive.
        assert!(full.robust_score_test.is_none());
        let r = cox_fit(
            &data(&stop, &event, &x, 1),
            &CoxOptions {
                robust: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(r.robust_score_test.unwrap().statistic > 0.0);
        // Predicted survival: S = exp(−Λ), limits around it, SE 0 before the first event.
        let pr = full
            .predict_survival(&[1.0], 0, ConfType::Log, 0.95)
            .unwrap();
        assert_eq!(pr.time[0], 2.0);
        for k in 0..pr.time.len() {
            assert!((pr.survival[k] - (-pr.cumhaz[k]).exp()).abs() < 1e-15);
            assert!(pr.lower[k] <= pr.survival[k] && pr.survival[k] <= pr.upper[k]);
            assert!(pr.std_err[k] > 0.0);
        }
    }

    #[test]
    fn aliased_and_errors() {
        // Covariate 2 = 2 × covariate 1: aliased.
        let stop = [1., 2., 3., 4., 5., 6.];
        let ev = [1., 0., 1., 1., 0., 1.];
        let x = [0., 0., 1., 2., 0., 0., 1., 2., 1., 2., 0., 0.];
        let fit = cox_fit(&data(&stop, &ev, &x, 2), &CoxOptions::default()).unwrap();
        assert_eq!(fit.aliased, vec![false, true]);
        assert!(fit.coef[1].is_nan() && fit.coef[0].is_finite());
        assert_eq!(fit.wald_test.df, 1.0);
        assert!(cox_fit(&data(&stop, &[0.; 6], &x, 2), &CoxOptions::default()).is_err());
        assert!(cox_fit(&data(&stop, &ev, &x[..6], 2), &CoxOptions::default()).is_err());
        let mut d = data(&stop, &ev, &x, 2);
        let start = [0., 0., 3., 0., 0., 0.];
        d.start = Some(&start);
        assert!(cox_fit(&d, &CoxOptions::default())
            .unwrap_err()
            .to_string()
            .contains("row 2 has start 3 and stop 3"));
    }

    #[test]
    fn late_rows_with_huge_scores_leave_the_fit_unchanged() {
        // 60 ordinary (0, t] rows with events on days 1…30, plus 3 censored
        // rows on (40, 50] with x₂ = 80: at risk only after the last event,
        // so the fit must equal the fit without them. Their scores
        // exp(80 β₂ − c) dominate S₀ until they leave; the sums after that
        // subtraction used to be rounding error.
        let mut state = 99u64;
        let mut unif = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut start, mut stop, mut ev, mut x) = (vec![], vec![], vec![], vec![]);
        for _ in 0..60 {
            let a = unif() - 0.5;
            let b = (4.0 * unif()).floor();
            start.push(0.0);
            stop.push((1.0 + 29.0 * unif()).floor());
            ev.push(if unif() < 0.8 { 1.0 } else { 0.0 });
            x.extend([a, b]);
        }
        let n0 = start.len();
        for _ in 0..3 {
            start.push(40.0);
            stop.push(50.0);
            ev.push(0.0);
            x.extend([0.0, 80.0]);
        }
        let fit = |m: usize| {
            let mut d = data(&stop[..m], &ev[..m], &x[..2 * m], 2);
            d.start = Some(&start[..m]);
            cox_fit(&d, &CoxOptions::default()).unwrap()
        };
        let (full, base) = (fit(n0 + 3), fit(n0));
        assert!(full.converged);
        for j in 0..2 {
            assert!((full.coef[j] - base.coef[j]).abs() < 1e-8);
            assert!((full.std_err[j] / base.std_err[j] - 1.0).abs() < 1e-8);
        }
        assert!((full.loglik / base.loglik - 1.0).abs() < 1e-11);
    }

    #[test]
    fn grouped_parallel_sweep_equals_serial_walk() {
        // 30 000 rows on 40 distinct days: the right-censored fit takes the
        // grouped (parallel) sweep; the same data given as (0, stop] intervals
        // take the serial walk. Same model, same numbers.
        let n = 30_000;
        let mut stop = Vec::with_capacity(n);
        let mut ev = Vec::with_capacity(n);
        let mut x = Vec::with_capacity(2 * n);
        let mut state = 12345u64;
        let mut unif = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..n {
            let a = unif();
            let b = if unif() < 0.4 { 1.0 } else { 0.0 };
            stop.push((1.0 + 40.0 * unif() * (1.0 - 0.3 * b)).floor());
            ev.push(if unif() < 0.6 { 1.0 } else { 0.0 });
            x.extend([a, b]);
        }
        let zeros = vec![0.0; n];
        let robust = CoxOptions {
            robust: true,
            ..Default::default()
        };
        let cl: Vec<u32> = (0..n as u32).map(|i| i % 97).collect();
        let mut dg = data(&stop, &ev, &x, 2);
        dg.cluster = Some(&cl);
        assert!(prepare(&dg).unwrap().grouped.is_some());
        let grouped = cox_fit(&dg, &robust).unwrap();
        let mut d = dg;
        d.start = Some(&zeros);
        assert!(prepare(&d).unwrap().grouped.is_none());
        let serial = cox_fit(&d, &robust).unwrap();
        assert!((grouped.concordance.value - serial.concordance.value).abs() < 1e-14);
        assert_eq!(grouped.n_clusters, Some(97));
        for j in 0..2 {
            assert!((grouped.coef[j] - serial.coef[j]).abs() < 1e-10);
            assert!((grouped.std_err[j] / serial.std_err[j] - 1.0).abs() < 1e-10);
        }
        assert!((grouped.loglik / serial.loglik - 1.0).abs() < 1e-12);
        assert_eq!(grouped.baseline[0].n_risk, serial.baseline[0].n_risk);
        let (hg, hs) = (&grouped.baseline[0].cumhaz, &serial.baseline[0].cumhaz);
        assert!(hg.iter().zip(hs).all(|(a, b)| (a / b - 1.0).abs() < 1e-10));
    }

    #[test]
    fn counting_process_split_equals_unsplit() {
        // Splitting each (0, t] into (0, t/2] (censored) + (t/2, t] with the
        // same covariate leaves the partial likelihood unchanged.
        let stop = [5., 8., 12., 3., 9., 15., 2., 7.];
        let ev = [1., 1., 0., 1., 1., 0., 1., 1.];
        let x = [0., 0., 0., 1., 1., 1., 1., 0.];
        let whole = cox_fit(&data(&stop, &ev, &x, 1), &CoxOptions::default()).unwrap();
        let mut st = Vec::new();
        let mut sp = Vec::new();
        let mut e2 = Vec::new();
        let mut x2 = Vec::new();
        for i in 0..8 {
            st.extend([0.0, stop[i] / 2.0]);
            sp.extend([stop[i] / 2.0, stop[i]]);
            e2.extend([0.0, ev[i]]);
            x2.extend([x[i], x[i]]);
        }
        let mut d = data(&sp, &e2, &x2, 1);
        d.start = Some(&st);
        let split = cox_fit(&d, &CoxOptions::default()).unwrap();
        assert!((split.coef[0] - whole.coef[0]).abs() < 1e-12);
        assert!((split.std_err[0] - whole.std_err[0]).abs() < 1e-12);
        assert!((split.loglik - whole.loglik).abs() < 1e-12);
        assert!((split.concordance.value - whole.concordance.value).abs() < 1e-15);
    }
}
