//! Inverse-probability weights and weighted outcome contrasts.
//!
//! Weights from propensity scores `e = ê(x)`, treatment `T`:
//!
//! ```text
//! ATE:  w = T/e + (1 − T)/(1 − e)
//! ATT:  w = T + (1 − T)·e/(1 − e)
//! stabilised (Robins, Hernán & Brumback 2000): ATE weights of group g times
//!   the share of group g (T̄ or 1 − T̄); ATT control weights times (1 − T̄)/T̄.
//!   Then each group's weights sum to about its size.
//! truncation at percentiles (q_lo, q_hi): within each group, weights below
//!   its q_lo-quantile are raised to it and weights above its q_hi-quantile
//!   lowered to it (quantiles as numpy's default, linear interpolation).
//! Kish's effective sample size per group: (Σw)² / Σw².
//! ```
//!
//! Contrasts (Hájek, i.e. normalised, estimators) of an outcome `Y` over a
//! denominator `D` (`D = 1` for a risk, the exposure time for a rate):
//!
//! ```text
//! μ_g = Σ_{T=g} wY / Σ_{T=g} wD              g = 1 (treated), 0 (control)
//! difference μ₁ − μ₀;   ratio μ₁/μ₀ (inference on ln μ₁ − ln μ₀)
//! ```
//!
//! Standard errors by M-estimation (Lunceford & Davidian 2004; Williamson,
//! Forbes & White 2014), stacking the propensity score equations
//! `ψ_β = (T − e)x` with `ψ_g = 1[T=g]·w·(Y − μ_g D)`:
//!
//! ```text
//! IF_β,i = I⁻¹ ψ_β,i,   I = Σ e(1 − e)xxᵀ
//! G_g    = Σ_i 1[Tᵢ=g](Yᵢ − μ_g Dᵢ)·∂wᵢ/∂η·xᵢ     ∂w/∂η = −w(1−e) (ATE, T=1), w·e (ATE, T=0),
//!                                                          0 (ATT, T=1), w (ATT, T=0),
//!                                                          0 where the weight was truncated
//! φ_g,i  = (ψ_g,i + G_gᵀ IF_β,i) / S_g,   S_g = Σ_{T=g} wD
//! Var(μ̂₁ − μ̂₀) = Σ (φ₁ − φ₀)²,   Var(ln μ̂₁ − ln μ̂₀) = Σ (φ₁/μ₁ − φ₀/μ₀)²
//! ```
//!
//! Without the `G` terms (`φ_g = ψ_g / S_g`) the variance treats the weights
//! as known: that is the HC0 sandwich of a weighted regression of `Y` on the
//! treatment indicator (statsmodels `WLS(...).fit(cov_type="HC0")` for the
//! difference, `GLM(Poisson, var_weights=w, exposure=D).fit(cov_type="HC0")`
//! for the ratio), reported as `*_fixed_weights`. For the ATE, accounting for
//! the estimated score usually makes the interval narrower (Lunceford &
//! Davidian 2004, section 3.2).
//!
//! References: Robins, Hernán & Brumback (2000), Epidemiology 11, 550–560;
//! Lunceford & Davidian (2004), Stat. Med. 23, 2937–2960; Kish (1965),
//! *Survey Sampling*; Cole & Hernán (2008), Am. J. Epidemiol. 168, 656–664
//! (truncation).

use super::{check_treatment, Estimand};
use crate::numerics::solve_spd;
use crate::stats::tdist::{normal_ppf, pvalue_normal};
use crate::stats::{check_level, Alternative};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Rows per chunk of the parallel sums (fixed, so results do not depend on
/// the number of threads).
const CHUNK: usize = 8192;

/// Kish effective sample sizes above which no warning is given, as a share of
/// the group size.
pub const ESS_WARN_SHARE: f64 = 0.2;

/// Options of [`ipw_weights`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct WeightOptions {
    /// ATE or ATT.
    pub estimand: Estimand,
    /// Stabilised weights (see the module docs).
    pub stabilize: bool,
    /// Truncation at these quantiles of each group's weights, e.g.
    /// `(0.01, 0.99)`; `None` for no truncation.
    pub truncate: Option<(f64, f64)>,
}

/// Inverse-probability weights with their bookkeeping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IpwWeights {
    /// The weights.
    pub weights: Vec<f64>,
    /// Which weights were changed by truncation.
    pub truncated: Vec<bool>,
    /// The options used.
    pub options: WeightOptions,
    /// Kish's effective sample size, treated and control.
    pub ess: [f64; 2],
    /// Group sizes, treated and control.
    pub n: [usize; 2],
    /// Smallest and largest weight, treated and control.
    pub range: [(f64, f64); 2],
    /// Sentences for warnings (extreme weights, small effective sample size).
    pub warnings: Vec<String>,
}

/// Kish's effective sample size `(Σw)²/Σw²` of the treated and control rows.
///
/// # Examples
/// ```
/// use huisverbod::causal::effective_sample_size;
/// let ess = effective_sample_size(&[1.0, 1.0, 2.0, 4.0], &[true, true, false, false]);
/// assert_eq!(ess, [2.0, 36.0 / 20.0]);
/// ```
pub fn effective_sample_size(w: &[f64], treat: &[bool]) -> [f64; 2] {
    let mut s = [[0.0f64; 2]; 2];
    for (wi, &t) in w.iter().zip(treat) {
        let g = usize::from(!t);
        s[g][0] += wi;
        s[g][1] += wi * wi;
    }
    [s[0][0] * s[0][0] / s[0][1], s[1][0] * s[1][0] / s[1][1]]
}

/// The `q`-quantile of sorted values, numpy's default (linear interpolation
/// between order statistics: position `q·(n − 1)`).
fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}

/// Inverse-probability weights from propensity scores.
///
/// # Errors
/// [`Error::InvalidArgument`] for a length mismatch, an empty group, a score
/// not strictly inside (0, 1) where the weight needs it (naming the row: a
/// score of exactly 0 or 1 means no overlap), or truncation quantiles outside
/// `0 ≤ q_lo < q_hi ≤ 1`.
///
/// # Examples
/// ```
/// use huisverbod::causal::{ipw_weights, Estimand, WeightOptions};
/// let e = [0.5, 0.25, 0.5, 0.75];
/// let t = [true, true, false, false];
/// let w = ipw_weights(&e, &t, &WeightOptions::default())?;
/// assert_eq!(w.weights, vec![2.0, 4.0, 2.0, 4.0]);
/// let att = WeightOptions { estimand: Estimand::Att, ..Default::default() };
/// assert_eq!(ipw_weights(&e, &t, &att)?.weights, vec![1.0, 1.0, 1.0, 3.0]);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn ipw_weights(score: &[f64], treat: &[bool], opts: &WeightOptions) -> Result<IpwWeights> {
    let n = score.len();
    let (n1, n0) = check_treatment(treat, n)?;
    for (i, (&e, &t)) in score.iter().zip(treat).enumerate() {
        let needs = match (opts.estimand, t) {
            (Estimand::Ate, _) => e > 0.0 && e < 1.0,
            (Estimand::Att, true) => (0.0..=1.0).contains(&e),
            (Estimand::Att, false) => (0.0..1.0).contains(&e),
        };
        if !needs {
            return Err(Error::InvalidArgument {
                name: "score",
                reason: format!(
                    "row {i} ({}) has propensity score {e}: its {} weight is infinite or undefined \
                     (no overlap); trim the cases outside the common support or simplify the propensity model",
                    if t { "treated" } else { "control" },
                    opts.estimand.as_str()
                ),
            });
        }
    }
    if let Some((lo, hi)) = opts.truncate {
        if !((0.0..1.0).contains(&lo) && lo < hi && hi <= 1.0) {
            return Err(Error::InvalidArgument {
                name: "truncate",
                reason: format!("needs quantiles 0 ≤ lower < upper ≤ 1, got ({lo}, {hi})"),
            });
        }
    }
    let p1 = n1 as f64 / n as f64;
    let (c1, c0) = match (opts.estimand, opts.stabilize) {
        (_, false) => (1.0, 1.0),
        (Estimand::Ate, true) => (p1, 1.0 - p1),
        (Estimand::Att, true) => (1.0, (1.0 - p1) / p1),
    };
    let mut w: Vec<f64> = score
        .iter()
        .zip(treat)
        .map(|(&e, &t)| match (opts.estimand, t) {
            (Estimand::Ate, true) => c1 / e,
            (Estimand::Ate, false) => c0 / (1.0 - e),
            (Estimand::Att, true) => c1,
            (Estimand::Att, false) => c0 * e / (1.0 - e),
        })
        .collect();
    let mut truncated = vec![false; n];
    if let Some((qlo, qhi)) = opts.truncate {
        for g in [true, false] {
            let mut v: Vec<f64> = w
                .iter()
                .zip(treat)
                .filter(|(_, &t)| t == g)
                .map(|(x, _)| *x)
                .collect();
            v.sort_unstable_by(f64::total_cmp);
            let (a, b) = (quantile_sorted(&v, qlo), quantile_sorted(&v, qhi));
            for i in (0..n).filter(|&i| treat[i] == g) {
                if w[i] < a {
                    w[i] = a;
                    truncated[i] = true;
                } else if w[i] > b {
                    w[i] = b;
                    truncated[i] = true;
                }
            }
        }
    }
    let ess = effective_sample_size(&w, treat);
    let mut range = [(f64::INFINITY, f64::NEG_INFINITY); 2];
    for (x, &t) in w.iter().zip(treat) {
        let r = &mut range[usize::from(!t)];
        r.0 = r.0.min(*x);
        r.1 = r.1.max(*x);
    }
    let mut warnings = Vec::new();
    for (g, label, size) in [(0, "treated", n1), (1, "control", n0)] {
        if ess[g] < ESS_WARN_SHARE * size as f64 && size > 1 {
            warnings.push(format!(
                "extreme weights: the {label} group's {size} cases count as {:.1} (Kish's effective sample size; \
                 largest weight {:.3}); trim cases outside the common support, truncate the weights \
                 (truncate=(0.01, 0.99)) or simplify the propensity model",
                ess[g], range[g].1
            ));
        }
    }
    Ok(IpwWeights {
        weights: w,
        truncated,
        options: *opts,
        ess,
        n: [n1, n0],
        range,
        warnings,
    })
}

/// A weighted contrast of an outcome between the groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IpwContrast {
    /// ATE or ATT.
    pub estimand: Estimand,
    /// Weighted means (risks, or rates per unit of the denominator), treated
    /// and control.
    pub mean: [f64; 2],
    /// `μ₁ − μ₀`.
    pub difference: f64,
    /// `μ₁ / μ₀`.
    pub ratio: f64,
    /// Standard errors of the weighted means (as `se_difference`).
    pub se_mean: [f64; 2],
    /// Standard error of the difference: M-estimation when the propensity
    /// design was given, else with fixed weights.
    pub se_difference: f64,
    /// Standard error of `ln(ratio)`, same convention.
    pub se_log_ratio: f64,
    /// Standard error of the difference treating the weights as known.
    pub se_difference_fixed_weights: f64,
    /// Standard error of `ln(ratio)` treating the weights as known.
    pub se_log_ratio_fixed_weights: f64,
    /// `m-estimation` or `fixed-weights`.
    pub se_method: String,
    /// Interval of the difference.
    pub ci_difference: (f64, f64),
    /// Interval of the ratio (from the log scale).
    pub ci_ratio: (f64, f64),
    /// Two-sided p-value of difference = 0 (z test).
    pub pvalue_difference: f64,
    /// Two-sided p-value of ratio = 1 (z test on the log scale).
    pub pvalue_ratio: f64,
    /// Confidence level.
    pub confidence_level: f64,
    /// Group sizes, treated and control.
    pub n: [usize; 2],
}

/// The propensity model behind the weights, for M-estimation standard errors.
#[derive(Clone, Copy, Debug)]
pub struct PropensityDesign<'a> {
    /// The design of the (unweighted) logistic propensity model, row-major `n × p`.
    pub x: &'a [f64],
    /// Number of columns `p`.
    pub p: usize,
    /// The fitted scores.
    pub score: &'a [f64],
}

/// Sums of `k` quantities over rows, computed in fixed chunks in parallel and
/// added in chunk order (identical for any thread count).
fn chunked_sums(n: usize, k: usize, f: impl Fn(usize, &mut [f64]) + Sync) -> Vec<f64> {
    use rayon::prelude::*;
    let parts: Vec<Vec<f64>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut acc = vec![0.0; k];
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                f(i, &mut acc);
            }
            acc
        })
        .collect();
    let mut out = vec![0.0; k];
    for part in parts {
        out.iter_mut().zip(&part).for_each(|(a, b)| *a += b);
    }
    out
}

/// The weighted contrast of `y` (over the denominator `denom`, default 1)
/// between treated and control cases, with standard errors as in the
/// module docs.
///
/// # Errors
/// [`Error::InvalidArgument`] for length mismatches, non-finite outcomes,
/// non-positive denominators (naming the row), an invalid level, a group
/// whose weighted outcome total is zero (the ratio is undefined: then the
/// ratio fields are NaN, not an error), or a singular propensity
/// information matrix.
pub fn ipw_contrast(
    y: &[f64],
    denom: Option<&[f64]>,
    treat: &[bool],
    weights: &IpwWeights,
    ps: Option<PropensityDesign<'_>>,
    confidence_level: f64,
) -> Result<IpwContrast> {
    let n = y.len();
    let (n1, n0) = check_treatment(treat, n)?;
    check_level(confidence_level)?;
    let w = &weights.weights;
    crate::models::check_weights(w, n)?;
    if weights.truncated.len() != n {
        return Err(Error::InvalidArgument {
            name: "truncated",
            reason: format!("has length {}, expected {n}", weights.truncated.len()),
        });
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: format!("has the non-finite value {} at row {i}", y[i]),
        });
    }
    if let Some(d) = denom {
        if d.len() != n {
            return Err(Error::InvalidArgument {
                name: "exposure",
                reason: format!("has length {}, expected {n}", d.len()),
            });
        }
        if let Some(i) = d.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(Error::InvalidArgument {
                name: "exposure",
                reason: format!("must be positive; row {i} has {}", d[i]),
            });
        }
    }
    let dv = |i: usize| denom.map_or(1.0, |d| d[i]);
    // pass 1: S_g = Σ wD, Σ wY per group
    let s = chunked_sums(n, 4, |i, a| {
        let g = 2 * usize::from(!treat[i]);
        a[g] += w[i] * dv(i);
        a[g + 1] += w[i] * y[i];
    });
    let (s1, s0) = (s[0], s[2]);
    let mu = [s[1] / s1, s[3] / s0];
    // fixed-weight influence sums
    // each row touches one group only, so the fixed-weight variances are sums
    // of squares per group: Var(μ̂_g) = Σ_{T=g} φ²
    let fixed = chunked_sums(n, 2, |i, a| {
        let g = usize::from(!treat[i]);
        let phi = w[i] * (y[i] - mu[g] * dv(i)) / [s1, s0][g];
        a[g] += phi * phi;
    });
    let fixed_diff = fixed[0] + fixed[1];
    let fixed_log = fixed[0] / (mu[0] * mu[0]) + fixed[1] / (mu[1] * mu[1]);
    let mut out_var = [fixed_diff, fixed_log];
    let mut var_mean = fixed.clone();
    let mut method = "fixed-weights";
    if let Some(ps) = ps {
        let p = ps.p;
        if ps.x.len() != n * p || ps.score.len() != n {
            return Err(Error::InvalidArgument {
                name: "propensity design",
                reason: format!(
                    "has {} values and {} scores; expected {n} × {p} and {n}",
                    ps.x.len(),
                    ps.score.len()
                ),
            });
        }
        let est = weights.options.estimand;
        let dw = |i: usize| -> f64 {
            if weights.truncated[i] {
                return 0.0;
            }
            let e = ps.score[i];
            match (est, treat[i]) {
                (Estimand::Ate, true) => -w[i] * (1.0 - e),
                (Estimand::Ate, false) => w[i] * e,
                (Estimand::Att, true) => 0.0,
                (Estimand::Att, false) => w[i],
            }
        };
        // pass 2: I (p×p) and G₁, G₀ (p each)
        let k = p * p + 2 * p;
        let sums = chunked_sums(n, k, |i, a| {
            let x = &ps.x[i * p..(i + 1) * p];
            let e = ps.score[i];
            let v = e * (1.0 - e);
            for r in 0..p {
                let vr = v * x[r];
                for c in 0..p {
                    a[r * p + c] += vr * x[c];
                }
            }
            let g = usize::from(!treat[i]);
            let h = (y[i] - mu[g] * dv(i)) * dw(i);
            let off = p * p + g * p;
            for r in 0..p {
                a[off + r] += h * x[r];
            }
        });
        let info = &sums[..p * p];
        let a1 = solve_spd(info, p, &sums[p * p..p * p + p])?;
        let a0 = solve_spd(info, p, &sums[p * p + p..])?;
        // pass 3: the stacked influence functions
        let v = chunked_sums(n, 4, |i, acc| {
            let x = &ps.x[i * p..(i + 1) * p];
            let r = if treat[i] { 1.0 } else { 0.0 } - ps.score[i];
            let (mut c1, mut c0) = (0.0, 0.0);
            for j in 0..p {
                c1 += a1[j] * x[j];
                c0 += a0[j] * x[j];
            }
            let g = usize::from(!treat[i]);
            let psi = w[i] * (y[i] - mu[g] * dv(i));
            let (psi1, psi0) = if g == 0 { (psi, 0.0) } else { (0.0, psi) };
            let p1 = (psi1 + r * c1) / s1;
            let p0 = (psi0 + r * c0) / s0;
            acc[0] += (p1 - p0) * (p1 - p0);
            let l = p1 / mu[0] - p0 / mu[1];
            acc[1] += l * l;
            acc[2] += p1 * p1;
            acc[3] += p0 * p0;
        });
        out_var = [v[0], v[1]];
        var_mean = vec![v[2], v[3]];
        method = "m-estimation";
    }
    let q = normal_ppf(0.5 + 0.5 * confidence_level);
    let diff = mu[0] - mu[1];
    let se_d = out_var[0].sqrt();
    let ratio = mu[0] / mu[1];
    let ratio_ok = mu[0] > 0.0 && mu[1] > 0.0;
    let se_l = if ratio_ok {
        out_var[1].sqrt()
    } else {
        f64::NAN
    };
    let lr = ratio.ln();
    Ok(IpwContrast {
        estimand: weights.options.estimand,
        mean: mu,
        difference: diff,
        ratio: if ratio_ok { ratio } else { f64::NAN },
        se_mean: [var_mean[0].sqrt(), var_mean[1].sqrt()],
        se_difference: se_d,
        se_log_ratio: se_l,
        se_difference_fixed_weights: fixed_diff.sqrt(),
        se_log_ratio_fixed_weights: if ratio_ok { fixed_log.sqrt() } else { f64::NAN },
        se_method: method.to_string(),
        ci_difference: (diff - q * se_d, diff + q * se_d),
        ci_ratio: if ratio_ok {
            ((lr - q * se_l).exp(), (lr + q * se_l).exp())
        } else {
            (f64::NAN, f64::NAN)
        },
        pvalue_difference: pvalue_normal(diff / se_d, Alternative::TwoSided),
        pvalue_ratio: if ratio_ok {
            pvalue_normal(lr / se_l, Alternative::TwoSided)
        } else {
            f64::NAN
        },
        confidence_level,
        n: [n1, n0],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_and_stabilisation() {
        let e = [0.1, 0.5, 0.9, 0.5, 0.2, 0.8];
        let t = [true, true, true, false, false, false];
        let w = ipw_weights(&e, &t, &WeightOptions::default()).unwrap();
        // treated 10, 2, 1.111; control 2, 1.25, 5
        assert!((w.weights[0] - 10.0).abs() < 1e-12 && (w.weights[5] - 5.0).abs() < 1e-12);
        let st = ipw_weights(
            &e,
            &t,
            &WeightOptions {
                stabilize: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!((st.weights[0] - 5.0).abs() < 1e-12);
        let tr = ipw_weights(
            &e,
            &t,
            &WeightOptions {
                truncate: Some((0.0, 0.5)),
                ..Default::default()
            },
        )
        .unwrap();
        // treated sorted 1.111, 2, 10 → median 2; control 1.25, 2, 5 → median 2
        assert_eq!(tr.weights[0], 2.0);
        assert_eq!(tr.weights[5], 2.0);
        assert!(tr.truncated[0] && !tr.truncated[1] && tr.truncated[5]);
        let e = ipw_weights(&[0.0, 0.5], &[true, false], &WeightOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 0") && e.contains("no overlap"), "{e}");
    }

    #[test]
    fn contrast_hand_worked() {
        // weights 1 everywhere (e = 0.5 → ATE weight 2; same in both groups)
        let e = [0.5; 6];
        let t = [true, true, true, false, false, false];
        let y = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
        let w = ipw_weights(&e, &t, &WeightOptions::default()).unwrap();
        let c = ipw_contrast(&y, None, &t, &w, None, 0.95).unwrap();
        assert!((c.mean[0] - 2.0 / 3.0).abs() < 1e-12 && (c.mean[1] - 1.0 / 3.0).abs() < 1e-12);
        // fixed weights: Var(μ̂_g) = Σ (y − μ)²/n_g² = p(1−p)/n_g = (2/9)/3 per group
        let v: f64 = 2.0 * (2.0 / 27.0);
        assert!((c.se_difference - v.sqrt()).abs() < 1e-12);
        assert_eq!(c.se_method, "fixed-weights");
    }
    #[test]
    fn identical_for_any_thread_count() {
        // n spans several chunks; a simple LCG makes the data
        let n = 3 * CHUNK + 17;
        let mut state: u64 = 42;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut x = Vec::with_capacity(2 * n);
        let mut e = Vec::with_capacity(n);
        let mut t = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let z = next() * 2.0 - 1.0;
            x.extend_from_slice(&[1.0, z]);
            let p = 1.0 / (1.0 + (-z).exp());
            e.push(p);
            t.push(next() < p);
            y.push(f64::from(next() < 0.3));
        }
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let w = ipw_weights(&e, &t, &WeightOptions::default()).unwrap();
                    let ps = PropensityDesign {
                        x: &x,
                        p: 2,
                        score: &e,
                    };
                    ipw_contrast(&y, None, &t, &w, Some(ps), 0.95).unwrap()
                })
        };
        let (a, b) = (run(1), run(2));
        assert_eq!(a.se_difference.to_bits(), b.se_difference.to_bits());
        assert_eq!(a.se_log_ratio.to_bits(), b.se_log_ratio.to_bits());
        assert_eq!(a.mean[0].to_bits(), b.mean[0].to_bits());
    }
}
