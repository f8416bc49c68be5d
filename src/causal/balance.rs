//! Covariate balance between two groups, before and after weighting.
//!
//! Per covariate (a column; categorical variables arrive as one 0/1 column per
//! level, as R's cobalt expands them), over the rows where it is known:
//!
//! ```text
//! weighted mean   m_g = Σ_{i∈g} wᵢxᵢ / Σ_{i∈g} wᵢ                  (wᵢ = 1 unweighted)
//! variance        binary x (only 0/1):  s²_g = m_g(1 − m_g)
//!                 otherwise:            s²_g = Σwᵢ(xᵢ − m_g)² · Σwᵢ / ((Σwᵢ)² − Σwᵢ²)
//!                                       (= the n − 1 sample variance when wᵢ = 1)
//! SMD (pooled)    (m₁ − m₀) / √((s²₁ + s²₀)/2)
//! SMD (treated)   (m₁ − m₀) / s₁
//! variance ratio  s²₁ / s²₀                                          (NaN for binary x)
//! ```
//!
//! When the standardising SD is 0 the SMD is 0 if the means agree (the same
//! constant in both groups) and ±∞ if they differ (for example a binary
//! covariate that is 1 in one group only): such a covariate is imbalanced.
//!
//! The standardising SDs are always the *unweighted* ones of the full sample
//! (cobalt's default), so an SMD after weighting is comparable with the one
//! before: only the numerator changes. The variance ratio after weighting uses
//! the weighted variances. The common rule of thumb asks |SMD| < 0.1 and a
//! variance ratio between 0.5 and 2 (Austin 2009, Stat. Med. 28, 3083–3107).
//!
//! Missing values (`NaN`) are left out per covariate; the counts per group are
//! reported.

use super::check_treatment;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The balance of one covariate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceRow {
    /// The covariate (or `variable[level]` for a level of a category).
    pub name: String,
    /// Whether the column holds only 0 and 1 (a proportion, not a mean).
    pub binary: bool,
    /// Known values among treated and control rows.
    pub n_known: [usize; 2],
    /// Unweighted means, treated and control.
    pub mean: [f64; 2],
    /// Unweighted standard deviations, treated and control.
    pub sd: [f64; 2],
    /// SMD with the pooled SD, unweighted.
    pub smd_pooled: f64,
    /// SMD with the treated group's SD, unweighted.
    pub smd_treated: f64,
    /// Variance ratio treated / control, unweighted (NaN for binary columns).
    pub variance_ratio: f64,
    /// Weighted means (when weights are given).
    pub mean_adjusted: Option<[f64; 2]>,
    /// SMD (pooled, unweighted SDs) after weighting.
    pub smd_pooled_adjusted: Option<f64>,
    /// SMD (treated SD, unweighted) after weighting.
    pub smd_treated_adjusted: Option<f64>,
    /// Variance ratio of the weighted variances.
    pub variance_ratio_adjusted: Option<f64>,
}

/// Weighted mean and variance (see the module docs) of the known values of
/// `x` in one group; `binary` chooses `m(1 − m)`.
fn moments(x: &[f64], rows: &[usize], w: Option<&[f64]>, binary: bool) -> (usize, f64, f64) {
    let (mut sw, mut sw2, mut swx, mut k) = (0.0, 0.0, 0.0, 0usize);
    for &i in rows {
        let v = x[i];
        if v.is_nan() {
            continue;
        }
        let wi = w.map_or(1.0, |w| w[i]);
        k += 1;
        sw += wi;
        sw2 += wi * wi;
        swx += wi * v;
    }
    if k == 0 || sw <= 0.0 {
        return (k, f64::NAN, f64::NAN);
    }
    let m = swx / sw;
    if binary {
        return (k, m, m * (1.0 - m));
    }
    let mut ss = 0.0;
    for &i in rows {
        let v = x[i];
        if v.is_nan() {
            continue;
        }
        let wi = w.map_or(1.0, |w| w[i]);
        ss += wi * (v - m) * (v - m);
    }
    let denom = sw * sw - sw2;
    let var = if denom > 0.0 {
        ss * sw / denom
    } else {
        f64::NAN
    };
    (k, m, var)
}

/// The balance table of the columns of `x` between treated and control rows.
///
/// `x` is column-major: column `j` is `x[j·n .. (j+1)·n]`, named `names[j]`.
/// With `weights`, every row also carries the adjusted columns.
///
/// # Errors
/// [`Error::InvalidArgument`] when shapes disagree, a group is empty, a
/// covariate value is infinite (naming the column and row) or a weight is
/// negative or not finite.
///
/// # Examples
/// ```
/// use huisverbod::causal::balance;
/// // one binary covariate: 2 of 4 treated and 1 of 4 controls
/// let x = [1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let t = [true, true, true, true, false, false, false, false];
/// let rows = balance(&x, &["a".to_string()], &t, None)?;
/// // (0.5 − 0.25) / √((0.25 + 0.1875)/2)
/// assert!((rows[0].smd_pooled - 0.25 / (0.4375f64 / 2.0).sqrt()).abs() < 1e-12);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn balance(
    x: &[f64],
    names: &[String],
    treat: &[bool],
    weights: Option<&[f64]>,
) -> Result<Vec<BalanceRow>> {
    let n = treat.len();
    let p = names.len();
    if x.len() != n * p {
        return Err(Error::InvalidArgument {
            name: "x",
            reason: format!(
                "has {} values; expected n × p = {n} × {p} (column-major)",
                x.len()
            ),
        });
    }
    check_treatment(treat, n)?;
    if let Some(w) = weights {
        crate::models::check_weights(w, n)?;
    }
    let treated: Vec<usize> = (0..n).filter(|&i| treat[i]).collect();
    let control: Vec<usize> = (0..n).filter(|&i| !treat[i]).collect();
    if let Some(w) = weights {
        for (group, rows) in [("treated", &treated), ("control", &control)] {
            if rows.iter().map(|&i| w[i]).sum::<f64>() <= 0.0 {
                return Err(Error::InvalidArgument {
                    name: "weights",
                    reason: format!(
                        "the weights of the {group} group sum to 0, so its weighted means are undefined \
                         (every {group} row has weight 0)"
                    ),
                });
            }
        }
    }
    let mut out = Vec::with_capacity(p);
    for (j, name) in names.iter().enumerate() {
        let col = &x[j * n..(j + 1) * n];
        if let Some(i) = col.iter().position(|v| v.is_infinite()) {
            return Err(Error::InvalidArgument {
                name: "x",
                reason: format!("column '{name}' has the value {} at row {i}", col[i]),
            });
        }
        let binary = col.iter().all(|&v| v.is_nan() || v == 0.0 || v == 1.0);
        let (k1, m1, v1) = moments(col, &treated, None, binary);
        let (k0, m0, v0) = moments(col, &control, None, binary);
        let pooled = ((v1 + v0) / 2.0).sqrt();
        let s1 = v1.sqrt();
        let smd = |d: f64, s: f64| {
            if s > 0.0 {
                d / s
            } else if d == 0.0 {
                0.0
            } else if d.is_nan() || s.is_nan() {
                f64::NAN
            } else {
                // SD 0 but different means (a binary covariate present in
                // one group only): infinitely imbalanced, not undefined
                d.signum() * f64::INFINITY
            }
        };
        let vr = |a: f64, b: f64| if binary { f64::NAN } else { a / b };
        let mut row = BalanceRow {
            name: name.clone(),
            binary,
            n_known: [k1, k0],
            mean: [m1, m0],
            sd: [s1, v0.sqrt()],
            smd_pooled: smd(m1 - m0, pooled),
            smd_treated: smd(m1 - m0, s1),
            variance_ratio: vr(v1, v0),
            mean_adjusted: None,
            smd_pooled_adjusted: None,
            smd_treated_adjusted: None,
            variance_ratio_adjusted: None,
        };
        if let Some(w) = weights {
            let (_, a1, u1) = moments(col, &treated, Some(w), binary);
            let (_, a0, u0) = moments(col, &control, Some(w), binary);
            row.mean_adjusted = Some([a1, a0]);
            row.smd_pooled_adjusted = Some(smd(a1 - a0, pooled));
            row.smd_treated_adjusted = Some(smd(a1 - a0, s1));
            row.variance_ratio_adjusted = Some(vr(u1, u0));
        }
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuous_hand_worked() {
        // treated x = 1, 2, 3 (mean 2, var 1); control x = 2, 4 (mean 3, var 2)
        let x = [1.0, 2.0, 3.0, 2.0, 4.0];
        let t = [true, true, true, false, false];
        let r = &balance(&x, &["x".into()], &t, None).unwrap()[0];
        assert!(!r.binary);
        assert!((r.smd_pooled - (-1.0 / 1.5f64.sqrt())).abs() < 1e-12);
        assert!((r.smd_treated + 1.0).abs() < 1e-12);
        assert!((r.variance_ratio - 0.5).abs() < 1e-12);
        // weights 1,1,2 | 1,3: weighted means 9/4 and 14/4
        let w = [1.0, 1.0, 2.0, 1.0, 3.0];
        let r = &balance(&x, &["x".into()], &t, Some(&w)).unwrap()[0];
        let [a1, a0] = r.mean_adjusted.unwrap();
        assert!((a1 - 2.25).abs() < 1e-12 && (a0 - 3.5).abs() < 1e-12);
        assert!((r.smd_pooled_adjusted.unwrap() - (-1.25 / 1.5f64.sqrt())).abs() < 1e-12);
        // treated weighted var: Σw(x−m)² = 1.5625+0.0625+1.125 = 2.75; Σw=4, Σw²=6 → 2.75·4/10 = 1.1
        // control: Σw(x−m)² = 2.25 + 0.75 = 3; Σw=4, Σw²=10 → 3·4/6 = 2
        assert!((r.variance_ratio_adjusted.unwrap() - 0.55).abs() < 1e-12);
    }

    #[test]
    fn missing_values_are_left_out_and_errors_name_things() {
        let x = [1.0, f64::NAN, 0.0, 1.0];
        let t = [true, true, false, false];
        let r = &balance(&x, &["b".into()], &t, None).unwrap()[0];
        assert_eq!(r.n_known, [1, 2]);
        assert!(r.binary && r.variance_ratio.is_nan());
        let e = balance(&[1.0, f64::INFINITY, 0.0, 1.0], &["b".into()], &t, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("'b'") && e.contains("row 1"), "{e}");
        assert!(balance(&x, &["b".into()], &[true; 4], None).is_err());
    }

    #[test]
    fn one_group_only_binary_is_infinitely_imbalanced() {
        // treated all 0, controls all 1: both SDs 0, difference −1 → −∞
        let x = [0.0, 0.0, 1.0, 1.0, 5.0, 5.0, 5.0, 5.0];
        let t = [true, true, false, false];
        let r = balance(
            &x,
            &["female".to_string(), "c".to_string()],
            &t,
            Some(&[1.0; 4]),
        )
        .unwrap();
        assert_eq!(r[0].smd_pooled, f64::NEG_INFINITY);
        assert_eq!(r[0].smd_treated, f64::NEG_INFINITY);
        assert_eq!(r[0].smd_pooled_adjusted, Some(f64::NEG_INFINITY));
        // the same constant in both groups: 0
        assert_eq!(r[1].smd_pooled, 0.0);
        let e = balance(
            &x[..4],
            &["female".to_string()],
            &t,
            Some(&[1.0, 1.0, 0.0, 0.0]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("control group sum to 0"), "{e}");
    }
}
