//! Sandwich covariances: heteroscedasticity-robust (HC0–HC3) and
//! cluster-robust.
//!
//! ```text
//! V = B · M · B,    B = I⁻¹ (the model-based "bread", (XᵀWX)⁻¹ for OLS)
//!
//! HC0:      M = Σᵢ sᵢsᵢᵀ                        sᵢ = per-observation score
//! HC1:      HC0 · n/(n − k)
//! HC2:      M = Σᵢ sᵢsᵢᵀ / (1 − hᵢᵢ)             (OLS: hᵢᵢ the leverage)
//! HC3:      M = Σᵢ sᵢsᵢᵀ / (1 − hᵢᵢ)²
//! cluster:  M = Σ_g (Σ_{i∈g} sᵢ)(Σ_{i∈g} sᵢ)ᵀ,   V · G/(G − 1) · (n − 1)/(n − k)
//! ```
//!
//! The cluster correction is statsmodels' default (`use_correction=True`),
//! also Stata's; `n` counts observations and `k` parameters. Frequency
//! weights act as repeated rows: a row with weight `w` contributes `w` copies
//! of its score to HC sums (`w·uᵢ²xᵢxᵢᵀ`) and `w·uᵢxᵢ` to its cluster sum, and
//! `n = Σ w`. Analytic weights multiply the score (`sᵢ = wᵢuᵢxᵢ`) and `n` is
//! the number of rows.
//!
//! References: White (1980), MacKinnon & White (1985) for HC1–HC3; Cameron &
//! Miller (2015), *A practitioner's guide to cluster-robust inference*.

use crate::{Error, Result};
use rustc_hash::FxHashMap;

/// `B · M · B` for symmetric `k × k` row-major matrices.
///
/// # Panics
/// When `bread` or `meat` holds fewer than `k²` values (a programming error:
/// the model functions pass their own `k × k` matrices).
pub fn sandwich(bread: &[f64], meat: &[f64], k: usize) -> Vec<f64> {
    let mut bm = vec![0.0; k * k];
    for i in 0..k {
        for l in 0..k {
            let b = bread[i * k + l];
            if b == 0.0 {
                continue;
            }
            for j in 0..k {
                bm[i * k + j] += b * meat[l * k + j];
            }
        }
    }
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let s: f64 = (0..k).map(|l| bm[i * k + l] * bread[l * k + j]).sum();
            out[i * k + j] = s;
            out[j * k + i] = s;
        }
    }
    out
}

/// `Σᵢ cᵢ·sᵢsᵢᵀ` over rows, with `score(i, s)` filling `sᵢ` (length `k`)
/// and returning the multiplier `cᵢ` (0 skips the row).
pub fn outer_sum<F>(n: usize, k: usize, mut score: F) -> Vec<f64>
where
    F: FnMut(usize, &mut [f64]) -> f64,
{
    let mut m = vec![0.0; k * k];
    let mut s = vec![0.0; k];
    for i in 0..n {
        let c = score(i, &mut s);
        if c == 0.0 {
            continue;
        }
        for a in 0..k {
            let ca = c * s[a];
            for b in 0..=a {
                m[a * k + b] += ca * s[b];
            }
        }
    }
    for a in 0..k {
        for b in 0..a {
            m[b * k + a] = m[a * k + b];
        }
    }
    m
}

/// The cluster meat `Σ_g S_g S_gᵀ` with `S_g = Σ_{i∈g} sᵢ`, and the number
/// of clusters `G` (among rows where `score` returns true).
///
/// # Errors
/// [`Error::InvalidArgument`] when there are fewer than 2 clusters.
pub fn cluster_meat<F>(clusters: &[i64], k: usize, mut score: F) -> Result<(Vec<f64>, usize)>
where
    F: FnMut(usize, &mut [f64]) -> bool,
{
    let mut index: FxHashMap<i64, usize> = FxHashMap::default();
    let mut sums: Vec<f64> = Vec::new();
    let mut s = vec![0.0; k];
    for (i, &c) in clusters.iter().enumerate() {
        if !score(i, &mut s) {
            continue;
        }
        let next = index.len();
        let g = *index.entry(c).or_insert(next);
        if g == next {
            sums.extend(std::iter::repeat_n(0.0, k));
        }
        for (a, b) in sums[g * k..(g + 1) * k].iter_mut().zip(&s) {
            *a += b;
        }
    }
    let g = index.len();
    if g < 2 {
        return Err(Error::InvalidArgument {
            name: "clusters",
            reason: format!("cluster-robust covariances need at least 2 clusters, got {g}"),
        });
    }
    let meat = outer_sum(g, k, |j, out| {
        out.copy_from_slice(&sums[j * k..(j + 1) * k]);
        1.0
    });
    Ok((meat, g))
}

/// statsmodels' small-sample factor of the cluster-robust covariance:
/// `G/(G − 1) · (n − 1)/(n − k)`.
pub fn cluster_correction(g: usize, nobs: f64, k: usize) -> f64 {
    let g = g as f64;
    g / (g - 1.0) * (nobs - 1.0) / (nobs - k as f64)
}

/// The robust covariance of a likelihood model from its bread `I⁻¹` and the
/// unweighted per-observation score `unit_score(i, out)` (weights applied here
/// as the module docs say). Returns the covariance and the number of
/// clusters.
///
/// # Errors
/// [`Error::InvalidArgument`] for HC2/HC3 (OLS only), a missing cluster
/// vector or fewer than 2 clusters.
pub(crate) fn likelihood_cov<F>(
    data: &super::ModelData<'_>,
    cov_type: super::CovType,
    bread: &[f64],
    k: usize,
    mut unit_score: F,
) -> Result<(Vec<f64>, Option<usize>)>
where
    F: FnMut(usize, &mut [f64]),
{
    use super::{CovType, WeightKind};
    let kind = data.weight_kind;
    let nobs = data.nobs();
    match cov_type {
        CovType::NonRobust => Ok((bread.to_vec(), None)),
        CovType::HC0 | CovType::HC1 => {
            let meat = outer_sum(data.n(), k, |i, out| {
                let w = data.w(i);
                if w == 0.0 {
                    return 0.0;
                }
                unit_score(i, out);
                match kind {
                    WeightKind::Frequency => w,
                    WeightKind::Analytic => w * w,
                }
            });
            let mut v = sandwich(bread, &meat, k);
            if cov_type == CovType::HC1 {
                scale(&mut v, nobs / (nobs - k as f64));
            }
            Ok((v, None))
        }
        CovType::HC2 | CovType::HC3 => Err(Error::InvalidArgument {
            name: "cov_type",
            reason: format!(
                "{} needs leverages and is available for OLS only; use 'HC0', 'HC1' or 'cluster'",
                cov_type.as_str()
            ),
        }),
        CovType::Cluster => {
            let clusters = data.clusters.ok_or_else(|| Error::InvalidArgument {
                name: "cov_type",
                reason: "'cluster' needs cluster labels".into(),
            })?;
            let (meat, g) = cluster_meat(clusters, k, |i, out| {
                let w = data.w(i);
                if w == 0.0 {
                    return false;
                }
                unit_score(i, out);
                out.iter_mut().for_each(|v| *v *= w);
                true
            })?;
            let mut v = sandwich(bread, &meat, k);
            scale(&mut v, cluster_correction(g, nobs, k));
            Ok((v, Some(g)))
        }
    }
}

/// Scales a matrix in place.
pub(crate) fn scale(m: &mut [f64], f: f64) {
    m.iter_mut().for_each(|v| *v *= f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandwich_by_hand() {
        // B = diag(2, 1), M = [[1, 1], [1, 3]] → BMB = [[4, 2], [2, 3]]
        let v = sandwich(&[2.0, 0.0, 0.0, 1.0], &[1.0, 1.0, 1.0, 3.0], 2);
        assert_eq!(v, vec![4.0, 2.0, 2.0, 3.0]);
    }

    #[test]
    fn cluster_sums() {
        // scores s = (1, 2, 3, 4) in clusters (a, a, b, b): S = (3, 7), meat = 9 + 49
        let c = [5, 5, 9, 9];
        let s = [1.0, 2.0, 3.0, 4.0];
        let (m, g) = cluster_meat(&c, 1, |i, out| {
            out[0] = s[i];
            true
        })
        .unwrap();
        assert_eq!(g, 2);
        assert_eq!(m, vec![58.0]);
        assert!(cluster_meat(&[1, 1], 1, |_, out| {
            out[0] = 1.0;
            true
        })
        .is_err());
        // G/(G−1)·(n−1)/(n−k) = 2 · 3/2 = 3 for G = 2, n = 4, k = 2
        assert!((cluster_correction(2, 4.0, 2) - 3.0).abs() < 1e-15);
    }
}
