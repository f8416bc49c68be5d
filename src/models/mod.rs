//! Regression models: logistic (maximum likelihood and Firth), linear (OLS),
//! Poisson and negative binomial (NB2), with classical, heteroscedasticity-
//! robust (HC0–HC3) and cluster-robust covariances, frequency and analytic
//! weights, and offsets.
//!
//! The report's overarching analysis (section 5.5, Bijlage 5) fits logistic
//! regressions for "any new incident" (SPSS prints Nagelkerke's R²) and linear
//! regressions for "number of new incidents"; counts are better modelled as
//! Poisson or negative binomial with the follow-up time as exposure, and the
//! small subgroups produce separation, for which [`firth`] is the remedy.
//!
//! Layout:
//!
//! - [`design`]: a design-matrix builder with named numeric and categorical
//!   columns, a choice of reference level, interactions and listwise deletion
//!   (Python users build the matrix from a Wilkinson formula with `formulaic`).
//! - [`glm`]: Newton's method (IRLS for canonical links) with step halving and
//!   an iteration log, shared by the likelihood models.
//! - [`logit`], [`ols`], [`poisson`], [`negbin`], [`firth`]: the models.
//! - [`robust`]: sandwich covariances (HC0–HC3, cluster-robust).
//! - [`results`]: the fitted-model type [`ModelFit`] with statsmodels' names.
//!
//! Input is a [`ModelData`]: the outcome, a row-major `n × p` design matrix
//! with column names, and optional weights, offset and cluster labels.
//! Numbers agree with statsmodels (`Logit`, `OLS`/`WLS`, `Poisson`,
//! `NegativeBinomial`, `GLM`) as documented per model; the Python tests compare
//! them live.
//!
//! ```
//! use huisverbod::models::{logit, FitOptions, ModelData};
//! // y depends on x; an intercept column and x.
//! let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0, 1.0, 4.0, 1.0, 5.0];
//! let y = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
//! let names = vec!["Intercept".to_string(), "x".to_string()];
//! let fit = logit(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
//! assert!(fit.converged && fit.params[1] > 0.0);
//! # Ok::<(), huisverbod::Error>(())
//! ```

pub mod design;
pub mod firth;
pub mod glm;
pub mod logit;
pub mod negbin;
pub mod ols;
pub mod poisson;
pub mod results;
pub mod robust;
pub(crate) mod special;

pub use design::{Design, DesignBuilder};
pub use firth::firth_logit;
pub use logit::logit;
pub use negbin::negbin;
pub use ols::ols;
pub use poisson::poisson;
pub use results::{
    lr_test, BinaryStats, ChiSquareTest, Classification, Contrast, CountStats, HosmerLemeshow,
    IterationRecord, LinearStats, ModelFit, ModelKind, Separation, SeparationKind,
};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Named tolerances and limits of the model fits.
pub mod prec {
    /// Default convergence tolerance on the Newton step:
    /// `max_j |Δβ_j| / (1 + |β_j|) ≤ TOL`. Newton converges quadratically, so
    /// the coefficients are then accurate to far below this.
    pub const TOL: f64 = 1e-10;
    /// Default maximum number of Newton iterations.
    pub const MAX_ITER: usize = 100;
    /// Maximum number of step halvings per iteration.
    pub const MAX_HALVINGS: usize = 40;
    /// Fitted probabilities within this distance of 0 or 1 count as
    /// "perfectly predicted" in the separation check.
    pub const SEPARATION_EPS: f64 = 1e-8;
    /// Rows per parallel chunk of the `n × p²` work.
    pub const CHUNK_ROWS: usize = 4096;
}

/// How weights act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WeightKind {
    /// Frequency weights: row `i` stands for `wᵢ` identical observations
    /// (statsmodels' GLM `freq_weights`; SPSS's WEIGHT BY). The number of
    /// observations is `Σ wᵢ`; results equal those on the expanded data.
    #[default]
    Frequency,
    /// Analytic (precision, inverse-variance) weights: the variance of row `i`
    /// is `φ/wᵢ` (statsmodels' GLM `var_weights`, `WLS` weights; inverse
    /// probability weights). The number of observations is the number of rows.
    Analytic,
}

impl WeightKind {
    /// `frequency` or `analytic`.
    pub fn as_str(self) -> &'static str {
        match self {
            WeightKind::Frequency => "frequency",
            WeightKind::Analytic => "analytic",
        }
    }
}

impl std::str::FromStr for WeightKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "frequency" | "freq" => Ok(WeightKind::Frequency),
            "analytic" | "var" | "variance" => Ok(WeightKind::Analytic),
            other => Err(Error::InvalidArgument {
                name: "weight_type",
                reason: format!("'{other}' is not one of 'frequency', 'analytic'"),
            }),
        }
    }
}

/// The covariance of the estimates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum CovType {
    /// The model-based covariance (inverse information; `σ̂²(XᵀX)⁻¹` for OLS).
    #[default]
    #[serde(rename = "nonrobust")]
    NonRobust,
    /// White's sandwich without correction.
    HC0,
    /// HC0 · n/(n − k).
    HC1,
    /// HC0 with squared residuals divided by `1 − hᵢᵢ` (OLS only).
    HC2,
    /// HC0 with squared residuals divided by `(1 − hᵢᵢ)²` (OLS only).
    HC3,
    /// Cluster-robust, with statsmodels' default small-sample correction
    /// `G/(G − 1) · (n − 1)/(n − k)`.
    #[serde(rename = "cluster")]
    Cluster,
}

impl CovType {
    /// statsmodels' spelling: `nonrobust`, `HC0` … `HC3`, `cluster`.
    pub fn as_str(self) -> &'static str {
        match self {
            CovType::NonRobust => "nonrobust",
            CovType::HC0 => "HC0",
            CovType::HC1 => "HC1",
            CovType::HC2 => "HC2",
            CovType::HC3 => "HC3",
            CovType::Cluster => "cluster",
        }
    }
}

impl std::str::FromStr for CovType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "nonrobust" => Ok(CovType::NonRobust),
            "HC0" | "hc0" | "robust" => Ok(CovType::HC0),
            "HC1" | "hc1" => Ok(CovType::HC1),
            "HC2" | "hc2" => Ok(CovType::HC2),
            "HC3" | "hc3" => Ok(CovType::HC3),
            "cluster" => Ok(CovType::Cluster),
            other => Err(Error::InvalidArgument {
                name: "cov_type",
                reason: format!(
                    "'{other}' is not one of 'nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'cluster'"
                ),
            }),
        }
    }
}

/// Options of a fit, validated by [`FitOptions::validate`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    /// Covariance of the estimates.
    pub cov_type: CovType,
    /// Maximum number of Newton iterations.
    pub max_iter: usize,
    /// Convergence tolerance (see [`prec::TOL`]).
    pub tol: f64,
    /// Maximum number of step halvings per iteration.
    pub max_halvings: usize,
    /// Refer statistics to Student's t (`Some(true)`) or the normal
    /// (`Some(false)`); `None` follows statsmodels: t for non-robust OLS,
    /// normal otherwise (statsmodels sets `use_t=False` whenever a robust
    /// `cov_type` is given). The t degrees of freedom are `df_resid`, or
    /// `G − 1` for cluster-robust covariances.
    pub use_t: Option<bool>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            cov_type: CovType::NonRobust,
            max_iter: prec::MAX_ITER,
            tol: prec::TOL,
            max_halvings: prec::MAX_HALVINGS,
            use_t: None,
        }
    }
}

impl FitOptions {
    /// Checks the options.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `max_iter = 0` or a tolerance outside (0, 1).
    pub fn validate(&self) -> Result<()> {
        if self.max_iter == 0 {
            return Err(Error::InvalidArgument {
                name: "max_iter",
                reason: "must be at least 1".into(),
            });
        }
        if !(self.tol > 0.0 && self.tol < 1.0) {
            return Err(Error::InvalidArgument {
                name: "tol",
                reason: format!("must lie in (0, 1), got {}", self.tol),
            });
        }
        Ok(())
    }
}

/// Checks weights: length `n`, finite and non-negative (naming the first bad row).
///
/// # Errors
/// [`Error::InvalidArgument`] describing the problem.
pub(crate) fn check_weights(w: &[f64], n: usize) -> Result<()> {
    if w.len() != n {
        return Err(Error::InvalidArgument {
            name: "weights",
            reason: format!("has length {}, expected {n}", w.len()),
        });
    }
    if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(Error::InvalidArgument {
            name: "weights",
            reason: format!("must be finite and non-negative; row {i} has {}", w[i]),
        });
    }
    Ok(())
}

/// The data of a model: outcome, design matrix and optional weights, offset
/// and cluster labels.
#[derive(Clone, Copy, Debug)]
pub struct ModelData<'a> {
    /// The outcome, length `n`.
    pub y: &'a [f64],
    /// The design matrix, row-major `n × p` (row `i` is `x[i·p .. (i+1)·p]`).
    pub x: &'a [f64],
    /// The column names, length `p`.
    pub names: &'a [String],
    /// Optional non-negative weights, length `n`.
    pub weights: Option<&'a [f64]>,
    /// How the weights act.
    pub weight_kind: WeightKind,
    /// Optional offset added to the linear predictor (`ln(exposure)` for
    /// counts per unit of time), length `n`.
    pub offset: Option<&'a [f64]>,
    /// Optional cluster labels for cluster-robust covariances, length `n`.
    pub clusters: Option<&'a [i64]>,
}

impl<'a> ModelData<'a> {
    /// Outcome, row-major design and names, without weights, offset or
    /// clusters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the shapes disagree, the design has no
    /// columns or no rows, or a value is not finite (naming the column and row).
    pub fn new(y: &'a [f64], x: &'a [f64], names: &'a [String]) -> Result<Self> {
        let d = ModelData {
            y,
            x,
            names,
            weights: None,
            weight_kind: WeightKind::Frequency,
            offset: None,
            clusters: None,
        };
        d.check_shapes()?;
        Ok(d)
    }

    /// With weights of the given kind.
    pub fn with_weights(mut self, w: &'a [f64], kind: WeightKind) -> Self {
        self.weights = Some(w);
        self.weight_kind = kind;
        self
    }

    /// With an offset.
    pub fn with_offset(mut self, offset: &'a [f64]) -> Self {
        self.offset = Some(offset);
        self
    }

    /// With cluster labels.
    pub fn with_clusters(mut self, clusters: &'a [i64]) -> Self {
        self.clusters = Some(clusters);
        self
    }

    /// Number of rows `n`.
    pub fn n(&self) -> usize {
        self.y.len()
    }

    /// Number of columns `p`.
    pub fn p(&self) -> usize {
        self.names.len()
    }

    /// Row `i` of the design.
    #[inline]
    pub fn row(&self, i: usize) -> &'a [f64] {
        let p = self.p();
        &self.x[i * p..(i + 1) * p]
    }

    /// The weight of row `i` (1 without weights).
    #[inline]
    pub fn w(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }

    /// The offset of row `i` (0 without offset).
    #[inline]
    pub fn off(&self, i: usize) -> f64 {
        self.offset.map_or(0.0, |o| o[i])
    }

    /// The number of observations: `Σ wᵢ` for frequency weights, the number
    /// of rows with positive weight for analytic weights, else `n`.
    pub fn nobs(&self) -> f64 {
        match (self.weights, self.weight_kind) {
            (Some(w), WeightKind::Frequency) => w.iter().sum(),
            (Some(w), WeightKind::Analytic) => w.iter().filter(|&&v| v > 0.0).count() as f64,
            (None, _) => self.n() as f64,
        }
    }

    fn check_shapes(&self) -> Result<()> {
        let n = self.y.len();
        let p = self.names.len();
        if p == 0 {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: "the design has no columns".into(),
            });
        }
        if n == 0 {
            return Err(Error::InvalidArgument {
                name: "y",
                reason: "has no observations (after removing rows with missing values)".into(),
            });
        }
        if self.x.len() != n * p {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: format!(
                    "has {} values; expected n × p = {n} × {p} = {} (row-major)",
                    self.x.len(),
                    n * p
                ),
            });
        }
        Ok(())
    }

    /// Checks every input: shapes, finite values (naming the column and the
    /// 0-based row), non-negative weights, cluster labels present when asked.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] describing the first problem.
    pub fn validate(&self, opts: &FitOptions) -> Result<()> {
        self.check_shapes()?;
        opts.validate()?;
        let n = self.n();
        let p = self.p();
        if let Some(k) = self.x.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: format!(
                    "column '{}' has the non-finite value {} at row {}",
                    self.names[k % p],
                    self.x[k],
                    k / p
                ),
            });
        }
        if let Some(i) = self.y.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument {
                name: "y",
                reason: format!("has the non-finite value {} at row {i}", self.y[i]),
            });
        }
        if let Some(w) = self.weights {
            check_weights(w, n)?;
            if !w.iter().any(|&v| v > 0.0) {
                return Err(Error::InvalidArgument {
                    name: "weights",
                    reason: "are all zero".into(),
                });
            }
        }
        if let Some(o) = self.offset {
            if o.len() != n {
                return Err(Error::InvalidArgument {
                    name: "offset",
                    reason: format!("has length {}, expected {n}", o.len()),
                });
            }
            if let Some(i) = o.iter().position(|v| !v.is_finite()) {
                return Err(Error::InvalidArgument {
                    name: "offset",
                    reason: format!(
                        "has the non-finite value {} at row {i} (exposure must be positive)",
                        o[i]
                    ),
                });
            }
        }
        if let Some(c) = self.clusters {
            if c.len() != n {
                return Err(Error::InvalidArgument {
                    name: "clusters",
                    reason: format!("has length {}, expected {n}", c.len()),
                });
            }
        }
        if opts.cov_type == CovType::Cluster && self.clusters.is_none() {
            return Err(Error::InvalidArgument {
                name: "cov_type",
                reason: "'cluster' needs cluster labels".into(),
            });
        }
        Ok(())
    }

    /// Whether the model has an intercept (statsmodels' `k_constant`): 1 when
    /// a column is constant and non-zero, or when the columns span a constant
    /// without one (an *implicit* constant, e.g. all dummies of a category
    /// and no intercept: the least-squares fit of a column of ones on X
    /// leaves no residual), else 0.
    pub fn k_constant(&self) -> usize {
        if self.constant_column().is_some() {
            return 1;
        }
        let ones = vec![1.0; self.n()];
        let qr = crate::numerics::QrUpdate::from_rows_parallel(self.x, self.p(), &ones, None);
        usize::from(qr.rss() <= 1e-10 * self.n() as f64)
    }

    /// The index of a constant non-zero column (an explicit intercept).
    pub fn constant_column(&self) -> Option<usize> {
        let p = self.p();
        let n = self.n();
        (0..p).find(|&j| {
            let f = self.x[j];
            f != 0.0 && (1..n).all(|i| self.x[i * p + j] == f)
        })
    }

    /// A fast screen for rank deficiency before [`ModelData::check_rank`]:
    /// the Cholesky factorisation of `XᵀWX` scaled to a unit diagonal, with a
    /// relative pivot tolerance of 1e-10 (`n·p²/2` work instead of the QR's
    /// `3n·p²`). A collinear column gives a pivot near 1e-16; only when a
    /// pivot falls below the tolerance (or a column is zero) is the QR run,
    /// which decides and names the columns.
    ///
    /// # Errors
    /// As [`ModelData::check_rank`].
    pub fn screen_rank(&self) -> Result<()> {
        use rayon::prelude::*;
        let n = self.n();
        let p = self.p();
        let chunk = prec::CHUNK_ROWS;
        let parts: Vec<Vec<f64>> = (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let mut h = vec![0.0; p * p];
                for i in c * chunk..((c + 1) * chunk).min(n) {
                    let w = self.w(i);
                    if w == 0.0 {
                        continue;
                    }
                    let x = self.row(i);
                    for a in 0..p {
                        let wa = w * x[a];
                        for (hb, xb) in h[a * p..a * p + a + 1].iter_mut().zip(&x[..=a]) {
                            *hb += wa * xb;
                        }
                    }
                }
                h
            })
            .collect();
        let mut h = vec![0.0; p * p];
        for part in parts {
            h.iter_mut().zip(&part).for_each(|(a, b)| *a += b);
        }
        let d: Vec<f64> = (0..p).map(|j| h[j * p + j]).collect();
        let suspicious = if d.iter().any(|&v| v.is_nan() || v <= 0.0) {
            true
        } else {
            let mut s = vec![0.0; p * p];
            for a in 0..p {
                for b in 0..=a {
                    let v = h[a * p + b] / (d[a] * d[b]).sqrt();
                    s[a * p + b] = v;
                    s[b * p + a] = v;
                }
            }
            match crate::numerics::Cholesky::new(&s, p, 1e-10) {
                Ok(c) => !c.is_positive_definite(),
                Err(_) => true,
            }
        };
        let n_pos = match self.weights {
            Some(w) => w.iter().filter(|&&v| v > 0.0).count(),
            None => n,
        };
        if suspicious || n_pos < p {
            self.check_rank(self.y)?;
        }
        Ok(())
    }

    /// Stops on a rank-deficient design: a column that is (numerically) a
    /// linear combination of the columns before it, an all-zero column, or a
    /// column that is constant next to the intercept. The message names the
    /// column and the combination.
    ///
    /// Returns the weighted QR factorisation (reused by OLS).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the offending columns.
    pub fn check_rank(&self, y_for_qr: &[f64]) -> Result<crate::numerics::QrUpdate> {
        use crate::numerics::qr::{QrUpdate, QR_RANK_TOL};
        let p = self.p();
        let n_pos = match self.weights {
            Some(w) => w.iter().filter(|&&v| v > 0.0).count(),
            None => self.n(),
        };
        let qr = QrUpdate::from_rows_parallel(self.x, p, y_for_qr, self.weights);
        let bad = qr.deficient_columns(QR_RANK_TOL);
        if bad.is_empty() {
            if n_pos < p {
                return Err(Error::InvalidArgument {
                    name: "x",
                    reason: format!("has {p} columns but only {n_pos} rows with positive weight"),
                });
            }
            return Ok(qr);
        }
        let keep: Vec<bool> = (0..p).map(|j| !bad.contains(&j)).collect();
        let mut parts = Vec::new();
        for &j in &bad {
            let name = &self.names[j];
            if qr.column_ss()[j] == 0.0 {
                parts.push(format!(
                    "column '{name}' is all zero (for example a category without rows)"
                ));
                continue;
            }
            let c = qr.combination(j, &keep);
            let terms: Vec<String> = c
                .iter()
                .enumerate()
                .filter(|(_, v)| v.abs() > 1e-8)
                .map(|(k, v)| format!("{:+.6}·'{}'", v, self.names[k]))
                .collect();
            if terms.is_empty() {
                parts.push(format!("column '{name}' is all zero"));
            } else {
                parts.push(format!(
                    "column '{name}' is a linear combination of earlier columns: '{name}' = {}",
                    terms.join(" ")
                ));
            }
        }
        Err(Error::InvalidArgument {
            name: "x",
            reason: format!(
                "the design is rank deficient (perfect collinearity): {}; remove the column(s) or the variables they depend on",
                parts.join("; ")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_deficiency_names_columns() {
        let names: Vec<String> = ["Intercept", "a", "b", "c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // c = 1 + a: collinear with the intercept and a.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..20 {
            let a = i as f64;
            let b = ((i * 7) % 5) as f64;
            x.extend_from_slice(&[1.0, a, b, 1.0 + a]);
            y.push((i % 2) as f64);
        }
        let d = ModelData::new(&y, &x, &names).unwrap();
        let e = d.check_rank(&y).unwrap_err().to_string();
        assert!(
            e.contains("'c'") && e.contains("'Intercept'") && e.contains("'a'"),
            "{e}"
        );
        assert_eq!(d.k_constant(), 1);
    }

    #[test]
    fn validation_names_column_and_row() {
        let names: Vec<String> = vec!["Intercept".into(), "age".into()];
        let x = [1.0, 30.0, 1.0, f64::NAN];
        let y = [0.0, 1.0];
        let d = ModelData::new(&y, &x, &names).unwrap();
        let e = d.validate(&FitOptions::default()).unwrap_err().to_string();
        assert!(e.contains("'age'") && e.contains("row 1"), "{e}");
        assert!(ModelData::new(&y, &x[..3], &names).is_err());
        let w = [1.0, -1.0];
        let e = d
            .with_weights(&w, WeightKind::Frequency)
            .validate(&FitOptions::default());
        assert!(e.is_err());
    }
}
