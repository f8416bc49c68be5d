//! The fitted-model type shared by every model, with statsmodels' names.
//!
//! ```text
//! statistic_j = params_j / bse_j
//! p_j         = 2·P(Z ≥ |z_j|)            (likelihood models: normal reference)
//!             = 2·P(T_ν ≥ |t_j|)          (OLS: ν = df_resid, or G − 1 when cluster-robust)
//! interval_j  = params_j ∓ q·bse_j,  q = Φ⁻¹((1+level)/2) or t_ν⁻¹((1+level)/2)
//! AIC = −2·llf + 2k,   BIC = −2·llf + ln(nobs)·k,   k = number of estimated parameters
//! ```

use super::{CovType, WeightKind};
use crate::stats::tdist::{normal_ppf, t_quantile};
use crate::stats::{check_level, tdist, Alternative};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Which model was fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Binary logistic regression.
    Logit,
    /// Linear regression by (weighted) least squares.
    Ols,
    /// Poisson regression with log link.
    Poisson,
    /// Negative binomial regression (NB2: `Var = μ + αμ²`) with log link.
    NegBin,
}

impl ModelKind {
    /// `logit`, `ols`, `poisson` or `negbin`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Logit => "logit",
            ModelKind::Ols => "ols",
            ModelKind::Poisson => "poisson",
            ModelKind::NegBin => "negbin",
        }
    }
}

/// A chi-square test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChiSquareTest {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// The p-value.
    pub pvalue: f64,
}

impl ChiSquareTest {
    /// An upper-tail chi-square test.
    pub fn upper(statistic: f64, df: f64) -> Self {
        ChiSquareTest {
            statistic,
            df,
            pvalue: crate::stats::pvalue_chi2(statistic, df),
        }
    }
}

/// One Newton iteration, for the convergence report.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterationRecord {
    /// 1-based iteration number.
    pub iteration: usize,
    /// The (penalised) log-likelihood after the step.
    pub llf: f64,
    /// How many times the step was halved.
    pub halvings: usize,
    /// `max_j |Δβ_j| / (1 + |β_j|)` of the step taken.
    pub max_change: f64,
}

/// The kind of separation found in a logistic regression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeparationKind {
    /// A linear combination of the covariates predicts the outcome perfectly.
    Complete,
    /// … perfectly except for ties at the boundary.
    QuasiComplete,
}

/// Separation in a logistic regression: the maximum-likelihood estimate does
/// not exist (some coefficients run off to ±∞).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Separation {
    /// Complete or quasi-complete.
    pub kind: SeparationKind,
    /// The columns involved (their coefficients diverge).
    pub variables: Vec<String>,
    /// The number of observations predicted perfectly (fitted probability
    /// within [`super::prec::SEPARATION_EPS`] of the outcome).
    pub n_perfect: usize,
    /// A sentence for the warning.
    pub message: String,
}

/// The Hosmer–Lemeshow goodness-of-fit test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HosmerLemeshow {
    /// The statistic `Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g))`.
    pub statistic: f64,
    /// `g − 2`.
    pub df: f64,
    /// Upper chi-square tail.
    pub pvalue: f64,
    /// Per group: (n, observed events, expected events, observed non-events,
    /// expected non-events), SPSS's "Contingency Table for Hosmer and
    /// Lemeshow Test".
    pub table: Vec<[f64; 5]>,
}

/// SPSS's classification table at a cut value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// The cut value (SPSS's default 0.5; predicted 1 when p̂ > cut... see docs).
    pub cut: f64,
    /// `[[obs 0 → pred 0, obs 0 → pred 1], [obs 1 → pred 0, obs 1 → pred 1]]`
    /// (weighted counts).
    pub table: [[f64; 2]; 2],
    /// Percentage correct among observed 0, observed 1, and overall.
    pub percent_correct: [f64; 3],
}

/// Extra statistics of a logistic regression (SPSS's "Model Summary").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BinaryStats {
    /// Cox & Snell: `1 − exp(2(llnull − llf)/n)`.
    pub r2_cox_snell: f64,
    /// Nagelkerke: Cox & Snell divided by its maximum `1 − exp(2·llnull/n)`.
    pub r2_nagelkerke: f64,
    /// McFadden: `1 − llf/llnull` (statsmodels' `prsquared`).
    pub r2_mcfadden: f64,
    /// Hosmer–Lemeshow test (None when it is not defined; see
    /// `hosmer_lemeshow_note`).
    pub hosmer_lemeshow: Option<HosmerLemeshow>,
    /// Why the Hosmer–Lemeshow test is not available (fewer than 3 groups,
    /// or a group with all fitted probabilities 0 or 1, as under separation).
    pub hosmer_lemeshow_note: Option<String>,
    /// Classification table at 0.5.
    pub classification: Classification,
}

/// Extra statistics of a linear regression.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearStats {
    /// R² (centred when the model has an intercept, else uncentred).
    pub rsquared: f64,
    /// Adjusted R².
    pub rsquared_adj: f64,
    /// The F statistic of all non-constant coefficients (Wald form with the
    /// chosen covariance; the classical F when non-robust).
    pub fvalue: f64,
    /// Its p-value.
    pub f_pvalue: f64,
    /// Numerator and denominator degrees of freedom of the F test.
    pub f_df: (f64, f64),
    /// Residual sum of squares (weighted).
    pub ssr: f64,
    /// Explained sum of squares.
    pub ess: f64,
    /// Total sum of squares around the (weighted) mean, or uncentred.
    pub tss: f64,
    /// `ssr / df_resid`.
    pub mse_resid: f64,
}

/// Extra statistics of a count model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountStats {
    /// NB2 dispersion `α` (`Var = μ + αμ²`; `α = 1/θ` of R's `MASS::glm.nb`).
    pub alpha: Option<f64>,
    /// Its standard error (from the covariance of all parameters).
    pub alpha_se: Option<f64>,
    /// The Poisson log-likelihood of the same design (for the NB test).
    pub llf_poisson: Option<f64>,
    /// LR test of NB against Poisson (H0: α = 0 lies on the boundary, so the
    /// p-value is half the chi-square(1) tail).
    pub lr_test_poisson: Option<ChiSquareTest>,
    /// Pearson chi-square `Σ w (y − μ)²/V(μ)`.
    pub pearson_chi2: f64,
    /// Deviance.
    pub deviance: f64,
}

/// A fitted regression model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFit {
    /// The model.
    pub model: ModelKind,
    /// `ml`, `firth` or `least_squares`.
    pub method: String,
    /// Parameter names (the design columns; NB adds `alpha` last).
    pub names: Vec<String>,
    /// Estimates.
    pub params: Vec<f64>,
    /// Standard errors (NaN where a parameter is not identified).
    pub bse: Vec<f64>,
    /// Covariance matrix of the estimates, row-major `k × k`.
    pub cov_params: Vec<f64>,
    /// z (or t) statistics `params / bse`.
    pub statistics: Vec<f64>,
    /// Two-sided p-values.
    pub pvalues: Vec<f64>,
    /// Whether statistics are referred to Student's t (OLS) or the normal.
    pub use_t: bool,
    /// Degrees of freedom of the t reference (df_resid, or G − 1 for cluster).
    pub df_inference: Option<f64>,
    /// The number of observations (`Σ w` for frequency weights).
    pub nobs: f64,
    /// The number of rows used.
    pub n_rows: usize,
    /// Model degrees of freedom (non-constant regressors).
    pub df_model: f64,
    /// Residual degrees of freedom `nobs − p`.
    pub df_resid: f64,
    /// 1 when the design has a constant column.
    pub k_constant: usize,
    /// Log-likelihood.
    pub llf: f64,
    /// Log-likelihood of the intercept-only model (with the same offset and
    /// weights).
    pub llnull: f64,
    /// Akaike's information criterion.
    pub aic: f64,
    /// Schwarz's Bayesian information criterion.
    pub bic: f64,
    /// Dispersion / residual variance (1 for logit and Poisson).
    pub scale: f64,
    /// The covariance type.
    pub cov_type: CovType,
    /// Number of clusters (cluster-robust only).
    pub n_clusters: Option<usize>,
    /// Weights used, if any.
    pub weight_kind: Option<WeightKind>,
    /// Whether the iterations converged.
    pub converged: bool,
    /// Number of iterations.
    pub iterations: usize,
    /// The iteration log.
    pub history: Vec<IterationRecord>,
    /// LR test of all non-constant coefficients against the null model.
    pub lr_test: Option<ChiSquareTest>,
    /// Fitted means `μ̂` per row.
    pub fitted: Vec<f64>,
    /// Linear predictor `η̂` per row (offset included).
    pub linear_predictor: Vec<f64>,
    /// Logistic extras.
    pub binary: Option<BinaryStats>,
    /// Linear-regression extras.
    pub linear: Option<LinearStats>,
    /// Count-model extras.
    pub count: Option<CountStats>,
    /// Separation found (logistic only).
    pub separation: Option<Separation>,
    /// Warnings raised during the fit (non-convergence, boundary estimates).
    pub warnings: Vec<String>,
}

impl ModelFit {
    /// A fit with the given estimates and everything else empty (filled by
    /// the model functions).
    pub(crate) fn empty(
        model: ModelKind,
        method: &str,
        names: Vec<String>,
        params: Vec<f64>,
        data: &super::ModelData<'_>,
    ) -> ModelFit {
        let nobs = data.nobs();
        let k_constant = data.k_constant();
        let p = data.p() as f64;
        ModelFit {
            model,
            method: method.to_string(),
            names,
            params,
            bse: Vec::new(),
            cov_params: Vec::new(),
            statistics: Vec::new(),
            pvalues: Vec::new(),
            use_t: false,
            df_inference: None,
            nobs,
            n_rows: data.n(),
            df_model: p - k_constant as f64,
            df_resid: nobs - p,
            k_constant,
            llf: f64::NAN,
            llnull: f64::NAN,
            aic: f64::NAN,
            bic: f64::NAN,
            scale: 1.0,
            cov_type: super::CovType::NonRobust,
            n_clusters: None,
            weight_kind: data.weights.map(|_| data.weight_kind),
            converged: true,
            iterations: 0,
            history: Vec::new(),
            lr_test: None,
            fitted: Vec::new(),
            linear_predictor: Vec::new(),
            binary: None,
            linear: None,
            count: None,
            separation: None,
            warnings: Vec::new(),
        }
    }

    /// The number of design columns (parameters without NB's `alpha`).
    pub fn n_exog(&self) -> usize {
        match self.model {
            ModelKind::NegBin => self.params.len() - 1,
            _ => self.params.len(),
        }
    }

    /// The critical value `q` of a two-sided interval at `level`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `0 < level < 1`.
    pub fn critical_value(&self, level: f64) -> Result<f64> {
        check_level(level)?;
        let p = 0.5 + 0.5 * level;
        Ok(match (self.use_t, self.df_inference) {
            (true, Some(df)) => t_quantile(p, df),
            _ => normal_ppf(p),
        })
    }

    /// Wald intervals `params ∓ q·bse` at `level`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `0 < level < 1`.
    pub fn conf_int(&self, level: f64) -> Result<Vec<(f64, f64)>> {
        let q = self.critical_value(level)?;
        Ok(self
            .params
            .iter()
            .zip(&self.bse)
            .map(|(b, s)| (b - q * s, b + q * s))
            .collect())
    }

    /// The p-value of a statistic under this fit's reference distribution.
    pub(crate) fn pvalue(&self, stat: f64) -> f64 {
        match (self.use_t, self.df_inference) {
            (true, Some(df)) => tdist::pvalue_t(stat, df, Alternative::TwoSided),
            _ => tdist::pvalue_normal(stat, Alternative::TwoSided),
        }
    }

    /// Predicted means for new rows (row-major `m × p`, the fitted design's
    /// columns) with an optional offset: `μ = h(xβ + offset)`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a wrong shape or non-finite input.
    pub fn predict(&self, x: &[f64], offset: Option<&[f64]>, linear: bool) -> Result<Vec<f64>> {
        let p = self.n_exog();
        if !x.len().is_multiple_of(p) {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: format!("has {} values, not a multiple of the {p} columns", x.len()),
            });
        }
        let m = x.len() / p;
        if let Some(o) = offset {
            if o.len() != m {
                return Err(Error::InvalidArgument {
                    name: "offset",
                    reason: format!("has length {}, expected {m}", o.len()),
                });
            }
        }
        if let Some(k) = x.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: format!(
                    "column '{}' has the non-finite value {} at row {}",
                    self.names[k % p],
                    x[k],
                    k / p
                ),
            });
        }
        let beta = &self.params[..p];
        Ok((0..m)
            .map(|i| {
                let eta: f64 = x[i * p..(i + 1) * p]
                    .iter()
                    .zip(beta)
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
                    + offset.map_or(0.0, |o| o[i]);
                if linear {
                    return eta;
                }
                match self.model {
                    ModelKind::Ols => eta,
                    ModelKind::Logit => super::glm::expit(eta),
                    ModelKind::Poisson | ModelKind::NegBin => crate::numerics::exp_clamped(eta),
                }
            })
            .collect())
    }

    /// Fills `statistics` and `pvalues` from `params`, `bse` and the reference.
    pub(crate) fn finish_inference(&mut self) {
        self.statistics = self
            .params
            .iter()
            .zip(&self.bse)
            .map(|(b, s)| b / s)
            .collect();
        self.pvalues = self.statistics.iter().map(|&z| self.pvalue(z)).collect();
    }

    /// Chooses the reference distribution (see [`super::FitOptions::use_t`])
    /// given the number of clusters.
    pub(crate) fn set_reference(&mut self, use_t: bool, n_clusters: Option<usize>) {
        self.use_t = use_t;
        self.df_inference = Some(match n_clusters {
            Some(g) => (g as f64) - 1.0,
            None => self.df_resid,
        });
    }

    /// Sets the covariance, standard errors and inference.
    pub(crate) fn set_cov(&mut self, cov: Vec<f64>) {
        let k = self.params.len();
        self.bse = (0..k)
            .map(|j| {
                let v = cov[j * k + j];
                if v >= 0.0 {
                    v.sqrt()
                } else {
                    f64::NAN
                }
            })
            .collect();
        self.cov_params = cov;
        self.finish_inference();
    }

    /// Sets AIC and BIC with `k` estimated parameters.
    pub(crate) fn set_information_criteria(&mut self, k: f64) {
        self.aic = -2.0 * self.llf + 2.0 * k;
        self.bic = -2.0 * self.llf + self.nobs.ln() * k;
    }

    /// A linear combination `c'β` of the coefficients with its Wald inference:
    ///
    /// ```text
    /// estimate = c'β,   se = √(c'Vc)   (V = cov_params),
    /// statistic = estimate / se,   p two-sided under the fit's reference
    /// distribution (normal, or t with df_inference when use_t),
    /// interval  estimate ∓ q·se,   q = critical_value(level)
    /// ```
    ///
    /// For a logistic model `exp` of the estimate and interval gives the odds
    /// ratio of the contrast (e.g. a treatment effect within a subgroup of an
    /// interaction model: `c` = 1 at the treatment and at its interaction).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `c` does not have one weight per
    /// coefficient, a weight is not finite, or `level` is not in (0, 1).
    ///
    /// # Examples
    /// ```
    /// use huisverbod::models::{ols, FitOptions, ModelData};
    /// let y = [1.0, 2.0, 2.0, 4.0];
    /// let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
    /// let names = ["Intercept".to_string(), "x".to_string()];
    /// let fit = ols(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
    /// let c = fit.contrast(&[1.0, 2.0], 0.95)?;          // prediction at x = 2
    /// assert!((c.estimate - (fit.params[0] + 2.0 * fit.params[1])).abs() < 1e-12);
    /// # Ok::<(), huisverbod::Error>(())
    /// ```
    pub fn contrast(&self, c: &[f64], level: f64) -> Result<Contrast> {
        let k = self.params.len();
        if c.len() != k {
            return Err(Error::InvalidArgument {
                name: "contrast",
                reason: format!("has {} weights; the model has {k} coefficients", c.len()),
            });
        }
        if let Some(j) = c.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument {
                name: "contrast",
                reason: format!("weight {j} is {}", c[j]),
            });
        }
        let q = self.critical_value(level)?;
        let estimate: f64 = c.iter().zip(&self.params).map(|(a, b)| a * b).sum();
        let mut var = 0.0;
        for i in 0..k {
            for j in 0..k {
                var += c[i] * self.cov_params[i * k + j] * c[j];
            }
        }
        let se = if var >= 0.0 { var.sqrt() } else { f64::NAN };
        let statistic = estimate / se;
        let pvalue = if statistic.is_nan() {
            f64::NAN
        } else {
            self.pvalue(statistic)
        };
        Ok(Contrast {
            estimate,
            se,
            statistic,
            pvalue,
            ci: (estimate - q * se, estimate + q * se),
        })
    }

    /// Wald test that the coefficients at `indices` are all zero:
    /// `W = b' V⁻¹ b` with `V` the sub-matrix of `cov_params`.
    ///
    /// Returns `(W, q)`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when no index is given, an index is out of
    /// range or the sub-covariance is singular.
    pub fn wald(&self, indices: &[usize]) -> Result<(f64, usize)> {
        let k = self.params.len();
        let q = indices.len();
        if let Some(&bad) = indices.iter().find(|&&j| j >= k) {
            return Err(Error::InvalidArgument {
                name: "indices",
                reason: format!("index {bad} out of range for {k} parameters"),
            });
        }
        if q == 0 {
            return Err(Error::InvalidArgument {
                name: "indices",
                reason: "name at least one coefficient to test".into(),
            });
        }
        let mut v = vec![0.0; q * q];
        for (a, &i) in indices.iter().enumerate() {
            for (b, &j) in indices.iter().enumerate() {
                v[a * q + b] = self.cov_params[i * k + j];
            }
        }
        let b: Vec<f64> = indices.iter().map(|&j| self.params[j]).collect();
        let x = crate::numerics::solve_spd(&v, q, &b)?;
        Ok((x.iter().zip(&b).map(|(a, c)| a * c).sum(), q))
    }
}

/// A linear combination of coefficients with its Wald inference
/// (see [`ModelFit::contrast`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contrast {
    /// `c'β`.
    pub estimate: f64,
    /// `√(c'Vc)`.
    pub se: f64,
    /// `estimate / se` (z or t).
    pub statistic: f64,
    /// Two-sided p-value under the fit's reference distribution.
    pub pvalue: f64,
    /// `estimate ∓ q·se`.
    pub ci: (f64, f64),
}

/// The likelihood-ratio test of a restricted model nested in a full one
/// (both fitted to the same observations):
///
/// ```text
/// LR = 2(ℓ_full − ℓ_restricted) ~ χ²(k_full − k_restricted)
/// ```
///
/// Nesting itself cannot be verified from the fits; the checks are: the same
/// model kind and method, the same number of observations, more parameters
/// in the full model, and every restricted column among the full model's.
///
/// # Errors
/// [`Error::InvalidArgument`] when a check fails.
pub fn lr_test(full: &ModelFit, restricted: &ModelFit) -> Result<ChiSquareTest> {
    if full.model != restricted.model || full.method != restricted.method {
        return Err(Error::InvalidArgument {
            name: "restricted",
            reason: format!(
                "is a {} ({}) fit, the full model a {} ({}) fit",
                restricted.model.as_str(),
                restricted.method,
                full.model.as_str(),
                full.method
            ),
        });
    }
    if full.nobs != restricted.nobs || full.n_rows != restricted.n_rows {
        return Err(Error::InvalidArgument {
            name: "restricted",
            reason: format!(
                "was fitted to {} observations, the full model to {} (refit both on the same complete rows)",
                restricted.nobs, full.nobs
            ),
        });
    }
    let df = full.params.len() as f64 - restricted.params.len() as f64;
    if df <= 0.0 {
        return Err(Error::InvalidArgument {
            name: "restricted",
            reason: "must have fewer parameters than the full model".into(),
        });
    }
    if let Some(missing) = restricted.names.iter().find(|n| !full.names.contains(n)) {
        return Err(Error::InvalidArgument {
            name: "restricted",
            reason: format!(
                "has the term '{missing}', which the full model lacks: the models are not nested"
            ),
        });
    }
    Ok(ChiSquareTest::upper(
        (2.0 * (full.llf - restricted.llf)).max(0.0),
        df,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> ModelFit {
        ModelFit {
            model: ModelKind::Logit,
            method: "ml".into(),
            names: vec!["a".into(), "b".into()],
            params: vec![1.0, -2.0],
            bse: vec![0.5, 1.0],
            cov_params: vec![0.25, 0.1, 0.1, 1.0],
            statistics: vec![],
            pvalues: vec![],
            use_t: false,
            df_inference: None,
            nobs: 10.0,
            n_rows: 10,
            df_model: 1.0,
            df_resid: 8.0,
            k_constant: 1,
            llf: -5.0,
            llnull: -6.0,
            aic: 0.0,
            bic: 0.0,
            scale: 1.0,
            cov_type: CovType::NonRobust,
            n_clusters: None,
            weight_kind: None,
            converged: true,
            iterations: 3,
            history: vec![],
            lr_test: None,
            fitted: vec![],
            linear_predictor: vec![],
            binary: None,
            linear: None,
            count: None,
            separation: None,
            warnings: vec![],
        }
    }

    #[test]
    fn contrast_of_one_coefficient_is_its_wald_row() {
        // c = e_j gives params[j], bse[j], statistics[j], pvalues[j], conf_int[j];
        // c = (1, 1) gives √(V₀₀ + 2V₀₁ + V₁₁) by hand
        let y = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let x = [
            1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0, 1.0, 0.5, 1.0, 1.5, 1.0, 2.5, 1.0, 0.0,
        ];
        let names = ["Intercept".to_string(), "x".to_string()];
        let fit = crate::models::logit(
            &crate::models::ModelData::new(&y, &x, &names).unwrap(),
            &crate::models::FitOptions::default(),
        )
        .unwrap();
        let ci = fit.conf_int(0.9).unwrap();
        let c = fit.contrast(&[0.0, 1.0], 0.9).unwrap();
        assert!((c.estimate - fit.params[1]).abs() < 1e-14);
        assert!((c.se - fit.bse[1]).abs() < 1e-14);
        assert!((c.pvalue - fit.pvalues[1]).abs() < 1e-14);
        assert!((c.ci.0 - ci[1].0).abs() < 1e-12 && (c.ci.1 - ci[1].1).abs() < 1e-12);
        let v = &fit.cov_params;
        let both = fit.contrast(&[1.0, 1.0], 0.95).unwrap();
        assert!((both.se - (v[0] + 2.0 * v[1] + v[3]).sqrt()).abs() < 1e-14);
        assert!(fit
            .contrast(&[1.0], 0.95)
            .unwrap_err()
            .to_string()
            .contains("2 coefficients"));
    }

    #[test]
    fn intervals_and_wald() {
        let mut f = toy();
        f.finish_inference();
        // z = 2 → p = 2·(1 − Φ(2)) = 0.04550026389635842
        assert!((f.pvalues[0] - 0.045_500_263_896_358_42).abs() < 1e-15);
        let ci = f.conf_int(0.95).unwrap();
        let q = 1.959_963_984_540_054;
        assert!((ci[0].0 - (1.0 - q * 0.5)).abs() < 1e-14);
        // W = b'V⁻¹b, V = [[.25,.1],[.1,1]], det = .24, V⁻¹ = [[1,-.1],[-.1,.25]]/.24
        // b = (1, −2): b'V⁻¹b = (1 + 0.4 + 1.0)/.24 = 10
        let (w, q) = f.wald(&[0, 1]).unwrap();
        assert_eq!(q, 2);
        assert!((w - 10.0).abs() < 1e-12);
        assert!(f.conf_int(1.0).is_err());
        f.set_information_criteria(2.0);
        assert!((f.aic - 14.0).abs() < 1e-15);
    }
}
