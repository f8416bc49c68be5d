//! Multiple testing: Bonferroni, Holm, Hochberg, Benjamini–Hochberg and
//! Benjamini–Yekutieli adjusted p-values, as
//! `statsmodels.stats.multitest.multipletests`.
//!
//! With the `m` p-values sorted, `p(1) ≤ … ≤ p(m)`:
//!
//! ```text
//! bonferroni   p̃(i) = m·p(i)
//! holm         p̃(i) = max_{j ≤ i} (m − j + 1)·p(j)                    (step-down)
//! hochberg     p̃(i) = min_{j ≥ i} (m − j + 1)·p(j)                    (step-up, Simes–Hochberg)
//! fdr_bh       p̃(i) = min_{j ≥ i} p(j) / (j/m)                        (Benjamini–Hochberg)
//! fdr_by       p̃(i) = min_{j ≥ i} p(j) / (j/(m·c_m)),  c_m = Σ_{k ≤ m} 1/k  (Benjamini–Yekutieli)
//! ```
//!
//! each capped at 1. The reject mask is computed as statsmodels computes it:
//! from the raw p-values against the per-rank thresholds (`α/m`;
//! `α/(m − i + 1)` step-down for Holm, step-up for Hochberg; `α·i/m` and
//! `α·i/(m·c_m)` step-up for the FDR methods).
//!
//! NaN p-values are left out of the family: they stay NaN, are never
//! rejected, and `m` counts only the non-NaN p-values (statsmodels has no
//! rule: it sorts NaNs last and lets them into `m`, and for the step-up
//! methods the NaN spreads to every adjusted p-value).

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// A p-value adjustment for multiple testing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdjustMethod {
    /// Bonferroni: `m·p`.
    #[serde(rename = "bonferroni")]
    Bonferroni,
    /// Holm's step-down Bonferroni.
    #[serde(rename = "holm")]
    Holm,
    /// Hochberg's step-up procedure (Simes–Hochberg).
    #[serde(rename = "hochberg")]
    Hochberg,
    /// Benjamini–Hochberg false discovery rate.
    #[serde(rename = "fdr_bh")]
    FdrBh,
    /// Benjamini–Yekutieli false discovery rate (any dependence).
    #[serde(rename = "fdr_by")]
    FdrBy,
}

impl AdjustMethod {
    /// Our name of the method.
    pub fn as_str(self) -> &'static str {
        match self {
            AdjustMethod::Bonferroni => "bonferroni",
            AdjustMethod::Holm => "holm",
            AdjustMethod::Hochberg => "hochberg",
            AdjustMethod::FdrBh => "fdr_bh",
            AdjustMethod::FdrBy => "fdr_by",
        }
    }

    /// statsmodels' name of the method (`multipletests(method=...)`).
    pub fn statsmodels_name(self) -> &'static str {
        match self {
            AdjustMethod::Hochberg => "simes-hochberg",
            m => m.as_str(),
        }
    }
}

impl std::str::FromStr for AdjustMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "bonferroni" => Ok(AdjustMethod::Bonferroni),
            "holm" => Ok(AdjustMethod::Holm),
            "hochberg" | "simes-hochberg" => Ok(AdjustMethod::Hochberg),
            "fdr_bh" | "bh" => Ok(AdjustMethod::FdrBh),
            "fdr_by" | "by" => Ok(AdjustMethod::FdrBy),
            other => Err(Error::InvalidArgument {
                name: "method",
                reason: format!(
                    "'{other}' is not one of 'bonferroni', 'holm', 'hochberg' \
                     ('simes-hochberg'), 'fdr_bh' ('bh'), 'fdr_by' ('by')"
                ),
            }),
        }
    }
}

/// Adjusted p-values and the reject decisions at `alpha`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdjustedPValues {
    /// Adjusted p-values in the input order (NaN where the input is NaN).
    pub pvalues: Vec<f64>,
    /// Whether each hypothesis is rejected at `alpha` (false for NaN).
    pub reject: Vec<bool>,
    /// The method.
    pub method: AdjustMethod,
    /// The family-wise error rate or false discovery rate controlled.
    pub alpha: f64,
    /// The family size `m`: the number of non-NaN p-values.
    pub n_tests: usize,
}

/// Adjusts p-values for multiple testing (formulas in the module docs), as
/// `statsmodels.stats.multitest.multipletests(pvalues, alpha, method)`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a p-value outside `[0, 1]` (NaN is
/// allowed and left out) or `alpha` outside `(0, 1)`.
///
/// # Examples
/// ```
/// use huisverbod::stats::multiple::{adjust_pvalues, AdjustMethod};
/// // Holm: sorted 0.01, 0.02, 0.04 times 3, 2, 1 → 0.03, 0.04, 0.04 (running max).
/// let r = adjust_pvalues(&[0.04, 0.01, 0.02], AdjustMethod::Holm, 0.05).unwrap();
/// let want = [0.04, 0.03, 0.04];
/// assert!(r.pvalues.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-15));
/// assert_eq!(r.reject, vec![true, true, true]);
/// ```
pub fn adjust_pvalues(
    pvalues: &[f64],
    method: AdjustMethod,
    alpha: f64,
) -> Result<AdjustedPValues> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::InvalidArgument {
            name: "alpha",
            reason: format!("must lie strictly between 0 and 1, got {alpha}"),
        });
    }
    if let Some(i) = pvalues
        .iter()
        .position(|p| !p.is_nan() && !(0.0..=1.0).contains(p))
    {
        return Err(Error::InvalidArgument {
            name: "pvalues",
            reason: format!("p-value {} at position {i} is outside [0, 1]", pvalues[i]),
        });
    }
    // Indices of the non-NaN p-values, sorted by p (stable).
    let mut order: Vec<usize> = (0..pvalues.len())
        .filter(|&i| !pvalues[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| pvalues[a].total_cmp(&pvalues[b]));
    let p: Vec<f64> = order.iter().map(|&i| pvalues[i]).collect();
    let m = p.len();
    let mf = m as f64;
    // (m − i) for sorted position i (0-based): m, m − 1, …, 1.
    let down = |i: usize| (m - i) as f64;
    let (adj, reject): (Vec<f64>, Vec<bool>) = match method {
        AdjustMethod::Bonferroni => {
            let thr = alpha / mf;
            (
                p.iter().map(|v| v * mf).collect(),
                p.iter().map(|v| *v <= thr).collect(),
            )
        }
        AdjustMethod::Holm => {
            let mut adj = Vec::with_capacity(m);
            let mut run = f64::NEG_INFINITY;
            for (i, v) in p.iter().enumerate() {
                run = run.max(v * down(i));
                adj.push(run);
            }
            // Step-down: reject until the first p above its threshold.
            let first_keep = (0..m).find(|&i| p[i] > alpha / down(i)).unwrap_or(m);
            (adj, (0..m).map(|i| i < first_keep).collect())
        }
        AdjustMethod::Hochberg => {
            let raw: Vec<f64> = (0..m).map(|i| down(i) * p[i]).collect();
            let last = (0..m).rev().find(|&i| p[i] <= alpha / down(i));
            (running_min_from_end(raw), step_up(m, last))
        }
        AdjustMethod::FdrBh | AdjustMethod::FdrBy => {
            let cm = if method == AdjustMethod::FdrBy {
                (1..=m).map(|k| 1.0 / k as f64).sum::<f64>()
            } else {
                1.0
            };
            let ecdf: Vec<f64> = (0..m)
                .map(|i| {
                    let e = (i + 1) as f64 / mf;
                    if method == AdjustMethod::FdrBy {
                        e / cm
                    } else {
                        e
                    }
                })
                .collect();
            let raw: Vec<f64> = (0..m).map(|i| p[i] / ecdf[i]).collect();
            let last = (0..m).rev().find(|&i| p[i] <= ecdf[i] * alpha);
            (running_min_from_end(raw), step_up(m, last))
        }
    };
    let mut out_p = vec![f64::NAN; pvalues.len()];
    let mut out_r = vec![false; pvalues.len()];
    for (k, &i) in order.iter().enumerate() {
        out_p[i] = adj[k].min(1.0);
        out_r[i] = reject[k];
    }
    Ok(AdjustedPValues {
        pvalues: out_p,
        reject: out_r,
        method,
        alpha,
        n_tests: m,
    })
}

/// `x[i] = min(x[i..])`.
fn running_min_from_end(mut x: Vec<f64>) -> Vec<f64> {
    for i in (0..x.len().saturating_sub(1)).rev() {
        x[i] = x[i].min(x[i + 1]);
    }
    x
}

/// Step-up rejection: every hypothesis up to and including `last`.
fn step_up(m: usize, last: Option<usize>) -> Vec<bool> {
    (0..m).map(|i| last.is_some_and(|l| i <= l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-15)
    }

    #[test]
    fn worked_example() {
        // p = 0.01, 0.02, 0.03, 0.04 (m = 4).
        let p = [0.03, 0.01, 0.04, 0.02];
        // Bonferroni: ×4.
        let r = adjust_pvalues(&p, AdjustMethod::Bonferroni, 0.05).unwrap();
        assert!(close(&r.pvalues, &[0.12, 0.04, 0.16, 0.08]));
        // Holm: 0.04, 0.06, 0.06, 0.06 (4·0.01, 3·0.02, max(0.06, 2·0.03), max(0.06, 0.04)).
        let r = adjust_pvalues(&p, AdjustMethod::Holm, 0.05).unwrap();
        assert!(close(&r.pvalues, &[0.06, 0.04, 0.06, 0.06]));
        assert_eq!(r.reject, vec![false, true, false, false]);
        // Hochberg: from the end min(0.04, 2·0.03, 3·0.02, 4·0.01) = 0.04 everywhere.
        let r = adjust_pvalues(&p, AdjustMethod::Hochberg, 0.05).unwrap();
        assert!(close(&r.pvalues, &[0.04, 0.04, 0.04, 0.04]));
        assert_eq!(r.reject, vec![true; 4]);
        // BH: p/(i/4) = 0.04, 0.04, 0.04, 0.04.
        let r = adjust_pvalues(&p, AdjustMethod::FdrBh, 0.05).unwrap();
        assert!(close(&r.pvalues, &[0.04, 0.04, 0.04, 0.04]));
        // BY: BH × c_4 = 25/12.
        let r = adjust_pvalues(&p, AdjustMethod::FdrBy, 0.05).unwrap();
        let by = 0.04 * 25.0 / 12.0;
        assert!(close(&r.pvalues, &[by, by, by, by]));
        assert_eq!(r.reject, vec![false; 4]);
    }

    #[test]
    fn nan_is_left_out() {
        let r = adjust_pvalues(&[0.01, f64::NAN, 0.02], AdjustMethod::Bonferroni, 0.1).unwrap();
        assert_eq!(r.n_tests, 2);
        assert!(close(&r.pvalues, &[0.02, f64::NAN, 0.04]));
        assert_eq!(r.reject, vec![true, false, true]);
    }

    #[test]
    fn caps_and_errors() {
        let r = adjust_pvalues(&[0.5, 0.9], AdjustMethod::Bonferroni, 0.1).unwrap();
        assert!(close(&r.pvalues, &[1.0, 1.0]));
        assert!(adjust_pvalues(&[1.5], AdjustMethod::Holm, 0.1).is_err());
        assert!(adjust_pvalues(&[0.5], AdjustMethod::Holm, 0.0).is_err());
        assert!("hommel".parse::<AdjustMethod>().is_err());
        assert_eq!("BH".parse::<AdjustMethod>().unwrap(), AdjustMethod::FdrBh);
        let r = adjust_pvalues(&[], AdjustMethod::Holm, 0.1).unwrap();
        assert_eq!(r.n_tests, 0);
    }
}
