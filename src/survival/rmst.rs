//! Restricted mean survival time (RMST): the expected time free of a new
//! incident during the first τ days, `∫₀^τ S(t) dt`, from the Kaplan–Meier
//! curve.
//!
//! ```text
//! RMST(τ)    = Σ_{j} (t_{j+1} − t_j) · S(t_j),   t₀ = 0, S(t₀) = 1, the last t = τ
//! var RMST   = Σ_{tᵢ ≤ τ, nᵢ > dᵢ} Aᵢ² · dᵢ / (nᵢ (nᵢ − dᵢ)),   Aᵢ = ∫_{tᵢ}^τ S(t) dt
//! ```
//!
//! The variance is the Greenwood-type (delta-method) estimator of R's
//! `survRM2::rmst2` (Uno et al., 2014) and of R's
//! `print(survfit(...), rmean = τ)`; the point estimate is also lifelines'
//! `restricted_mean_survival_time(kmf, t=τ)` (whose optional variance is
//! the variance of the restricted survival *time*, not of the estimate).
//!
//! Between groups (first group = reference `0`, as survRM2's `arm = 0`):
//!
//! ```text
//! difference  Δ = μ_g − μ₀,   se = √(v_g + v₀),   CI Δ ± z se,   p = 2 Φ(−|Δ/se|)
//! ratio       log(μ_g/μ₀),    se = √(v_g/μ_g² + v₀/μ₀²),  CI and p on the log scale
//! k groups    χ² = Σ w_g (μ_g − μ̄)²,  w_g = 1/v_g,  μ̄ = Σ w_g μ_g / Σ w_g,  df = k − 1
//! ```
//!
//! τ must not exceed the largest observed time of any group (survRM2's
//! rule: beyond it the curve is not estimated).
//!
//! With case weights or delayed entry ([`rmst_groups_data`]) the estimate is
//! the area under the weighted (left-truncated) Kaplan–Meier curve and the
//! variance is the same formula with weighted `nᵢ`, `dᵢ` (the weighted
//! Greenwood variance of the curve carried through the integral). Like the
//! weighted Greenwood variance, it treats the weights as fixed: for
//! estimated (inverse-probability) weights it is not a valid variance; use
//! a bootstrap that re-estimates the weights.

use super::invalid;
use super::kaplan_meier::{kaplan_meier_data, KaplanMeier, KmData, KmOptions};
use crate::stats::{check_level, normal_quantile, pvalue_chi2, pvalue_normal, Alternative};
use crate::Result;
use serde::{Deserialize, Serialize};

/// The RMST of one group.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rmst {
    /// The restriction time τ.
    pub tau: f64,
    /// `∫₀^τ S(t) dt`.
    pub estimate: f64,
    /// Standard error of the estimate.
    pub std_err: f64,
    /// Lower confidence limit (normal approximation).
    pub low: f64,
    /// Upper confidence limit.
    pub high: f64,
    /// Observations.
    pub n: u64,
    /// Events (all times, not only up to τ).
    pub n_events: u64,
}

/// A comparison of one group with the reference group.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RmstContrast {
    /// The group compared with the reference (group 0).
    pub group: usize,
    /// `μ_g − μ₀`.
    pub difference: f64,
    /// Its standard error.
    pub difference_se: f64,
    /// Lower limit of the difference.
    pub difference_low: f64,
    /// Upper limit of the difference.
    pub difference_high: f64,
    /// Two-sided p-value of the difference.
    pub difference_pvalue: f64,
    /// `μ_g / μ₀`.
    pub ratio: f64,
    /// Lower limit of the ratio (log scale interval).
    pub ratio_low: f64,
    /// Upper limit of the ratio.
    pub ratio_high: f64,
    /// Two-sided p-value of the log ratio.
    pub ratio_pvalue: f64,
}

/// RMST per group and their comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RmstComparison {
    /// The restriction time τ.
    pub tau: f64,
    /// The confidence level of the intervals.
    pub confidence_level: f64,
    /// Per group, in code order.
    pub groups: Vec<Rmst>,
    /// Group g (g ≥ 1) against group 0.
    pub contrasts: Vec<RmstContrast>,
    /// Chi-square statistic for equal RMST in all groups (`NaN` with one
    /// group). Two groups: the squared z of the difference (defined while
    /// one group has a positive standard error). More groups: the
    /// inverse-variance weighted statistic, `NaN` when a group has standard
    /// error 0 (listed in `zero_variance_groups`).
    pub statistic: f64,
    /// Its degrees of freedom (k − 1).
    pub df: f64,
    /// Its p-value.
    pub pvalue: f64,
    /// Codes of the groups whose RMST has standard error 0 (e.g. no event
    /// before τ); with more than two groups they leave the test undefined.
    pub zero_variance_groups: Vec<usize>,
}

/// RMST up to `tau` from a Kaplan–Meier estimate.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] when `tau` is not positive and finite or
/// exceeds the largest observed time, or the level is outside (0, 1).
///
/// # Examples
/// ```
/// use huisverbod::survival::{kaplan_meier, rmst, KmOptions};
/// // S = 1 on [0, 2), 0.5 on [2, 4]: RMST(4) = 2 + 0.5·2 = 3
/// let km = kaplan_meier(&[2., 4.], &[1., 0.], &KmOptions::default())?;
/// let r = rmst(&km, 4.0, 0.95)?;
/// assert!((r.estimate - 3.0).abs() < 1e-15);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn rmst(km: &KaplanMeier, tau: f64, confidence_level: f64) -> Result<Rmst> {
    check_level(confidence_level)?;
    if !(tau.is_finite() && tau > 0.0) {
        return Err(invalid(
            "tau",
            format!("must be positive and finite, got {tau}"),
        ));
    }
    let tmax = km.time.last().copied().unwrap_or(0.0);
    if tau > tmax {
        return Err(invalid(
            "tau",
            format!(
                "{tau} exceeds the largest observed time {tmax}: the curve is not estimated beyond it"
            ),
        ));
    }
    // Table rows with t ≤ τ; areas between consecutive knots.
    let m = km.time.partition_point(|&t| t <= tau);
    let mut knots = Vec::with_capacity(m + 2);
    knots.push(0.0);
    knots.extend_from_slice(&km.time[..m]);
    knots.push(tau);
    // area[j] = (knots[j+1] − knots[j]) · S(knots[j]), S(0) = 1.
    let mut total = 0.0;
    let mut areas = Vec::with_capacity(m + 1);
    for j in 0..=m {
        let s = if j == 0 { 1.0 } else { km.survival[j - 1] };
        let a = (knots[j + 1] - knots[j]) * s;
        areas.push(a);
        total += a;
    }
    // A_i = ∫_{t_i}^τ S = Σ_{j > i} areas[j]  (row i ↔ knot i + 1).
    let mut var = 0.0;
    let mut tail = 0.0;
    for i in (0..m).rev() {
        tail += areas[i + 1];
        let (n, d) = (km.n_risk[i], km.n_event[i]);
        if d > 0.0 && n - d > super::prec::WEIGHT_TOL * n {
            var += tail * tail * d / (n * (n - d));
        }
    }
    let se = var.sqrt();
    let z = normal_quantile(1.0 - (1.0 - confidence_level) / 2.0);
    Ok(Rmst {
        tau,
        estimate: total,
        std_err: se,
        low: total - z * se,
        high: total + z * se,
        n: km.n,
        n_events: km.n_events,
    })
}

/// RMST per group (codes `0 … k−1`) with contrasts against group 0.
///
/// `tau = None` takes the largest τ allowed: the smallest of the groups'
/// largest observed times (survRM2's default).
///
/// # Errors
/// As [`rmst`] and [`super::kaplan_meier_groups`].
pub fn rmst_groups(
    time: &[f64],
    event: &[f64],
    group: &[u32],
    tau: Option<f64>,
    confidence_level: f64,
) -> Result<RmstComparison> {
    let data = KmData {
        time,
        event,
        group: Some(group),
        ..Default::default()
    };
    rmst_groups_data(&data, tau, confidence_level)
}

/// [`rmst_groups`] with optional case weights and entry times (see the
/// module docs for the variance used then). Without `data.group`, one group.
///
/// # Errors
/// As [`rmst`] and [`kaplan_meier_data`].
pub fn rmst_groups_data(
    data: &KmData<'_>,
    tau: Option<f64>,
    confidence_level: f64,
) -> Result<RmstComparison> {
    check_level(confidence_level)?;
    let kms = kaplan_meier_data(data, &KmOptions::default())?;
    let tau = match tau {
        Some(t) => t,
        None => kms
            .iter()
            .map(|k| k.time.last().copied().unwrap_or(0.0))
            .fold(f64::INFINITY, f64::min),
    };
    let groups = kms
        .iter()
        .enumerate()
        .map(|(g, km)| {
            rmst(km, tau, confidence_level).map_err(|e| match e {
                crate::Error::InvalidArgument { name, reason } => invalid(
                    name,
                    format!(
                        "{reason} (group {g}); τ must not exceed the largest time of any group"
                    ),
                ),
                other => other,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let z = normal_quantile(1.0 - (1.0 - confidence_level) / 2.0);
    let r0 = groups[0];
    let contrasts: Vec<RmstContrast> = groups
        .iter()
        .enumerate()
        .skip(1)
        .map(|(g, r)| {
            let diff = r.estimate - r0.estimate;
            let se = (r.std_err * r.std_err + r0.std_err * r0.std_err).sqrt();
            let lr = (r.estimate / r0.estimate).ln();
            let lse = (r.std_err.powi(2) / r.estimate.powi(2)
                + r0.std_err.powi(2) / r0.estimate.powi(2))
            .sqrt();
            RmstContrast {
                group: g,
                difference: diff,
                difference_se: se,
                difference_low: diff - z * se,
                difference_high: diff + z * se,
                difference_pvalue: pvalue_normal(diff / se, Alternative::TwoSided),
                ratio: lr.exp(),
                ratio_low: (lr - z * lse).exp(),
                ratio_high: (lr + z * lse).exp(),
                ratio_pvalue: pvalue_normal(lr / lse, Alternative::TwoSided),
            }
        })
        .collect();
    let k = groups.len();
    let zero_variance_groups: Vec<usize> = (0..k).filter(|&g| groups[g].std_err <= 0.0).collect();
    let (statistic, pvalue) = if k == 2 {
        // z² of the difference: its variance is the sum of the two, positive
        // unless both groups have standard error 0.
        let c = &contrasts[0];
        let z2 = (c.difference / c.difference_se).powi(2);
        if z2.is_nan() {
            (f64::NAN, f64::NAN)
        } else {
            (z2, pvalue_chi2(z2, 1.0))
        }
    } else if k > 2 && zero_variance_groups.is_empty() {
        let w: Vec<f64> = groups
            .iter()
            .map(|r| 1.0 / (r.std_err * r.std_err))
            .collect();
        let sw: f64 = w.iter().sum();
        let mean: f64 = groups
            .iter()
            .zip(&w)
            .map(|(r, w)| w * r.estimate)
            .sum::<f64>()
            / sw;
        let x2: f64 = groups
            .iter()
            .zip(&w)
            .map(|(r, w)| w * (r.estimate - mean).powi(2))
            .sum();
        (x2, pvalue_chi2(x2, (k - 1) as f64))
    } else {
        (f64::NAN, f64::NAN)
    };
    Ok(RmstComparison {
        tau,
        confidence_level,
        groups,
        contrasts,
        statistic,
        df: k.saturating_sub(1) as f64,
        pvalue,
        zero_variance_groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::kaplan_meier;

    #[test]
    fn hand_worked() {
        // times 1, 2, 2+, 3, 4, 4 (see kaplan_meier): S = 5/6, 2/3, 4/9, 0
        // RMST(3.5) = 1 + (5/6)·1 + (2/3)·1 + (4/9)·0.5 = 2.7222…
        // A(1) = 5/6 + 2/3 + 2/9 = 31/18; A(2) = 2/3 + 2/9 = 8/9; A(3) = 2/9
        // var = (31/18)²/30 + (8/9)²/20 + (2/9)²/6
        let km = kaplan_meier(
            &[1., 2., 2., 3., 4., 4.],
            &[1., 1., 0., 1., 1., 1.],
            &KmOptions::default(),
        )
        .unwrap();
        let r = rmst(&km, 3.5, 0.95).unwrap();
        assert!((r.estimate - (1.0 + 5.0 / 6.0 + 2.0 / 3.0 + 2.0 / 9.0)).abs() < 1e-15);
        let v = (31.0f64 / 18.0).powi(2) / 30.0
            + (8.0f64 / 9.0).powi(2) / 20.0
            + (2.0f64 / 9.0).powi(2) / 6.0;
        assert!((r.std_err - v.sqrt()).abs() < 1e-15);
        // τ at a knot: the last area is 0, so A = 0 for that knot.
        let r3 = rmst(&km, 3.0, 0.95).unwrap();
        assert!((r3.estimate - 2.5).abs() < 1e-15);
        assert!(rmst(&km, 5.0, 0.95).is_err());
        assert!(rmst(&km, -1.0, 0.95).is_err());
    }

    #[test]
    fn two_groups() {
        let t = [1., 2., 3., 4., 2., 4., 6., 8.];
        let e = [1., 1., 1., 0., 1., 0., 1., 0.];
        let g = [0, 0, 0, 0, 1, 1, 1, 1];
        let c = rmst_groups(&t, &e, &g, None, 0.95).unwrap();
        assert_eq!(c.tau, 4.0);
        // group 0: S = .75, .5, .25 → RMST(4) = 1 + .75 + .5 + .25 = 2.5
        // group 1: S = .75 from 2 → RMST(4) = 2 + 2·.75 = 3.5
        assert!((c.groups[0].estimate - 2.5).abs() < 1e-15);
        assert!((c.groups[1].estimate - 3.5).abs() < 1e-15);
        assert!((c.contrasts[0].difference - 1.0).abs() < 1e-15);
        // Two groups: the chi-square equals the squared z of the difference.
        let zc = c.contrasts[0].difference / c.contrasts[0].difference_se;
        assert!((c.statistic - zc * zc).abs() < 1e-12);
        assert!(rmst_groups(&t, &e, &g, Some(5.0), 0.95).is_err());
    }
}
