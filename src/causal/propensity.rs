//! Propensity scores by logistic regression, overlap diagnostics and trimming.
//!
//! ```text
//! e(x) = P(T = 1 | x) = 1/(1 + exp(−xβ)),  β̂ by maximum likelihood (models::logit)
//!
//! common support (min/max rule):  [max(min_{T=1} ê, min_{T=0} ê), min(max_{T=1} ê, max_{T=0} ê)]
//! Crump et al. (2009) rule:        keep α ≤ ê ≤ 1 − α   (α = 0.1 by default)
//! ```
//!
//! A propensity model that separates the groups (some covariate pattern only
//! in one group) has no finite maximum-likelihood estimate and no overlap:
//! weights would be infinite. That is reported, never silently passed on.
//!
//! References: Rosenbaum & Rubin (1983), Biometrika 70, 41–55; Crump, Hotz,
//! Imbens & Mitnik (2009), Biometrika 96, 187–199; Dehejia & Wahba (1999),
//! JASA 94, 1053–1062 (the min/max rule).

use super::check_treatment;
use crate::models::{logit, FitOptions, ModelData, ModelFit};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Share of cases outside the common support above which a warning is given.
pub const OUTSIDE_WARN_SHARE: f64 = 0.10;

/// Overlap of the propensity-score distributions of the two groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlap {
    /// Smallest and largest score among treated cases.
    pub range_treated: (f64, f64),
    /// Smallest and largest score among control cases.
    pub range_control: (f64, f64),
    /// The common support `[lower, upper]` (min/max rule); `lower > upper`
    /// when the ranges do not overlap at all.
    pub common_support: (f64, f64),
    /// Treated cases outside the common support.
    pub n_outside_treated: usize,
    /// Control cases outside the common support.
    pub n_outside_control: usize,
    /// Share of all cases outside the common support.
    pub share_outside: f64,
    /// Whether the ranges do not overlap at all.
    pub no_overlap: bool,
    /// Sentences for warnings (no overlap, many cases outside the support,
    /// scores at 0 or 1).
    pub warnings: Vec<String>,
}

/// A fitted propensity-score model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PropensityFit {
    /// The logistic regression of treatment on the covariates.
    pub model: ModelFit,
    /// The estimated scores `ê(xᵢ)`.
    pub score: Vec<f64>,
    /// Overlap diagnostics.
    pub overlap: Overlap,
    /// Everything worth a warning: the model's (separation, convergence)
    /// and the overlap's, each with what to try.
    pub warnings: Vec<String>,
}

/// Overlap diagnostics of scores `score` between treated and control cases.
///
/// # Errors
/// [`Error::InvalidArgument`] for a length mismatch, an empty group or a
/// score outside [0, 1] (naming the row).
///
/// # Examples
/// ```
/// use huisverbod::causal::overlap;
/// let s = [0.2, 0.5, 0.9, 0.1, 0.4, 0.6];
/// let t = [true, true, true, false, false, false];
/// let o = overlap(&s, &t)?;
/// assert_eq!(o.common_support, (0.2, 0.6));
/// assert_eq!((o.n_outside_treated, o.n_outside_control), (1, 1));
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn overlap(score: &[f64], treat: &[bool]) -> Result<Overlap> {
    let n = score.len();
    check_treatment(treat, n)?;
    if let Some(i) = score.iter().position(|s| !(0.0..=1.0).contains(s)) {
        return Err(Error::InvalidArgument {
            name: "score",
            reason: format!(
                "propensity scores must lie in [0, 1]; row {i} has {}",
                score[i]
            ),
        });
    }
    let range = |g: bool| {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for (s, _) in score.iter().zip(treat).filter(|(_, &t)| t == g) {
            lo = lo.min(*s);
            hi = hi.max(*s);
        }
        (lo, hi)
    };
    let r1 = range(true);
    let r0 = range(false);
    let lower = r1.0.max(r0.0);
    let upper = r1.1.min(r0.1);
    let (mut o1, mut o0) = (0, 0);
    for (s, &t) in score.iter().zip(treat) {
        if *s < lower || *s > upper {
            if t {
                o1 += 1;
            } else {
                o0 += 1;
            }
        }
    }
    let share = (o1 + o0) as f64 / n as f64;
    let no_overlap = lower > upper;
    let mut warnings = Vec::new();
    if no_overlap {
        warnings.push(format!(
            "the propensity scores of the groups do not overlap (treated {:.3}–{:.3}, control {:.3}–{:.3}): \
             no comparison is supported by the data; drop or coarsen the covariates that separate the groups, \
             or restrict the analysis to comparable cases",
            r1.0, r1.1, r0.0, r0.1
        ));
    } else if share > OUTSIDE_WARN_SHARE {
        warnings.push(format!(
            "{:.0}% of the cases lie outside the common support [{lower:.3}, {upper:.3}] \
             ({o1} treated, {o0} control): consider trimming (.trim('minmax') or .trim('crump')) \
             or the ATT estimand",
            100.0 * share
        ));
    }
    let extreme = score
        .iter()
        .filter(|&&s| !(1e-6..=1.0 - 1e-6).contains(&s))
        .count();
    if extreme > 0 && !no_overlap {
        warnings.push(format!(
            "{extreme} cases have a propensity score within 1e-6 of 0 or 1: their weights are extreme; \
             trim them, truncate the weights or simplify the propensity model"
        ));
    }
    Ok(Overlap {
        range_treated: r1,
        range_control: r0,
        common_support: (lower, upper),
        n_outside_treated: o1,
        n_outside_control: o0,
        share_outside: share,
        no_overlap,
        warnings,
    })
}

/// A trimming rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrimRule {
    /// Keep cases with `α ≤ ê ≤ 1 − α` (Crump et al. 2009; α = 0.1 is their
    /// rule of thumb).
    Crump {
        /// The threshold α in (0, 0.5).
        alpha: f64,
    },
    /// Keep cases inside the common support (min/max rule).
    MinMax,
}

/// Which cases a trimming rule keeps (`true` = kept).
///
/// # Errors
/// As [`overlap`]; α outside (0, 0.5).
///
/// # Examples
/// ```
/// use huisverbod::causal::{trim, TrimRule};
/// let s = [0.05, 0.5, 0.95, 0.3];
/// let t = [true, true, false, false];
/// assert_eq!(trim(&s, &t, TrimRule::Crump { alpha: 0.1 })?, vec![false, true, false, true]);
/// assert_eq!(trim(&s, &t, TrimRule::MinMax)?, vec![false, true, false, true]);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn trim(score: &[f64], treat: &[bool], rule: TrimRule) -> Result<Vec<bool>> {
    let o = overlap(score, treat)?;
    Ok(match rule {
        TrimRule::Crump { alpha } => {
            if !(alpha > 0.0 && alpha < 0.5) {
                return Err(Error::InvalidArgument {
                    name: "alpha",
                    reason: format!("must lie in (0, 0.5), got {alpha}"),
                });
            }
            score
                .iter()
                .map(|&s| s >= alpha && s <= 1.0 - alpha)
                .collect()
        }
        TrimRule::MinMax => {
            let (lo, hi) = o.common_support;
            score.iter().map(|&s| s >= lo && s <= hi).collect()
        }
    })
}

/// Fits the propensity score: a logistic regression of the treatment
/// (`data.y`, 0/1) on the design `data.x`, with overlap diagnostics.
///
/// # Errors
/// As [`logit`] (non-binary treatment, one group only, rank-deficient
/// design). Separation and lack of overlap are not errors: they are in
/// `warnings` (with what to try) and on `model.separation` / `overlap`.
///
/// # Examples
/// ```
/// use huisverbod::causal::propensity;
/// use huisverbod::models::{FitOptions, ModelData};
/// let x = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0];
/// let t = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0];
/// let names = vec!["Intercept".to_string(), "x".to_string()];
/// let ps = propensity(&ModelData::new(&t, &x, &names)?, &FitOptions::default())?;
/// // x = 0 (rows 0, 1, 4): 1 of 3 treated; x = 1 (rows 2, 3, 5): 2 of 3 treated
/// assert!((ps.score[0] - 1.0 / 3.0).abs() < 1e-9 && (ps.score[2] - 2.0 / 3.0).abs() < 1e-9);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn propensity(data: &ModelData<'_>, opts: &FitOptions) -> Result<PropensityFit> {
    let model = logit(data, opts)?;
    let treat: Vec<bool> = data.y.iter().map(|&v| v == 1.0).collect();
    let score = model.fitted.clone();
    let overlap = overlap(&score, &treat)?;
    let mut warnings = Vec::new();
    if let Some(s) = &model.separation {
        warnings.push(format!(
            "the propensity model separates the groups ({}): some covariate pattern occurs in one group only, \
             so there is no overlap there and the weights are unbounded; drop or coarsen {}, restrict the \
             cohort to comparable cases, or fit the score with method='firth'",
            s.message,
            s.variables
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else {
        warnings.extend(model.warnings.iter().cloned());
    }
    warnings.extend(overlap.warnings.iter().cloned());
    Ok(PropensityFit {
        model,
        score,
        overlap,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_overlap_is_flagged() {
        let s = [0.8, 0.9, 0.1, 0.2];
        let t = [true, true, false, false];
        let o = overlap(&s, &t).unwrap();
        assert!(o.no_overlap && o.warnings[0].contains("do not overlap"));
        assert_eq!(o.share_outside, 1.0);
        let e = overlap(&[0.5, 1.5, 0.2, 0.3], &t).unwrap_err().to_string();
        assert!(e.contains("row 1"), "{e}");
        assert!(trim(&s, &t, TrimRule::Crump { alpha: 0.6 }).is_err());
    }

    #[test]
    fn separated_model_warns_with_advice() {
        // x perfectly predicts treatment
        let names = vec!["Intercept".to_string(), "x".to_string()];
        let x = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let t = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        let ps = propensity(
            &ModelData::new(&t, &x, &names).unwrap(),
            &FitOptions::default(),
        )
        .unwrap();
        assert!(ps.model.separation.is_some());
        assert!(ps
            .warnings
            .iter()
            .any(|w| w.contains("separates the groups")));
    }
}
