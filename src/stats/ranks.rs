//! Rank tests for two independent samples: the Mann–Whitney U test
//! (Wilcoxon rank-sum), as `scipy.stats.mannwhitneyu` (scipy ≥ 1.7).
//!
//! - The statistic is `U1`, the U of the first sample:
//!   `U1 = R1 − n1(n1+1)/2` with `R1` the sum of its mid-ranks in the pooled
//!   sample; `U2 = n1·n2 − U1`.
//! - The p-value uses `U1` for `greater`, `U2` for `less` and `max(U1, U2)`
//!   (doubled, capped at 1) for `two-sided`, always from the upper tail.
//! - `method = Auto` follows scipy's `_mwu_choose_method` (scipy 1.17):
//!   the asymptotic method if both samples have more than 8 observations,
//!   else the asymptotic method if there are ties, else the exact one. So the
//!   exact null distribution is used when the smaller sample has at most 8
//!   observations and there are no ties, however large the other sample.

use super::tdist::pvalue_normal;
use super::{check_sample, Alternative, TestResult};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the p-value of the Mann–Whitney test is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum MwuMethod {
    /// scipy's rule (see the module docs).
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// The exact null distribution of U (which assumes no ties).
    #[serde(rename = "exact")]
    Exact,
    /// The normal approximation with tie-corrected variance.
    #[serde(rename = "asymptotic")]
    Asymptotic,
}

impl MwuMethod {
    /// `auto`, `exact` or `asymptotic`.
    pub fn as_str(self) -> &'static str {
        match self {
            MwuMethod::Auto => "auto",
            MwuMethod::Exact => "exact",
            MwuMethod::Asymptotic => "asymptotic",
        }
    }
}

impl std::str::FromStr for MwuMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(MwuMethod::Auto),
            "exact" => Ok(MwuMethod::Exact),
            "asymptotic" => Ok(MwuMethod::Asymptotic),
            other => Err(Error::InvalidArgument {
                name: "method",
                reason: format!("'{other}' is not one of 'auto', 'exact', 'asymptotic'"),
            }),
        }
    }
}

/// The result of the Mann–Whitney U test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// `statistic` is `U1`; p-value, alternative and method text.
    pub result: TestResult,
    /// U of the first sample.
    pub u1: f64,
    /// U of the second sample, `n1·n2 − U1`.
    pub u2: f64,
    /// The method actually used (`Exact` or `Asymptotic`, never `Auto`).
    pub method: MwuMethod,
    /// For the asymptotic method, the standardized statistic whose upper
    /// tail is the p-value: `(U − n1·n2/2 − ½·cc) / σ` with `U` as in the
    /// module docs and `cc = 1` with the continuity correction.
    pub z: Option<f64>,
    /// Whether the pooled sample has tied values.
    pub ties: bool,
    /// Sizes of the two samples.
    pub n1: u64,
    /// Size of the second sample.
    pub n2: u64,
}

/// Mid-ranks of the pooled sample: the rank sum of the first `n1` values
/// and the tie term `Σ (t³ − t)` over groups of tied values.
fn rank_sum_and_ties(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n1 = x.len();
    let mut idx: Vec<(f64, bool)> = x
        .iter()
        .map(|&v| (v, true))
        .chain(y.iter().map(|&v| (v, false)))
        .collect();
    idx.sort_by(|a, b| a.0.total_cmp(&b.0));
    // −0.0 and 0.0 compare equal as values (scipy ties them): merge on ==.
    let mut r1 = 0.0_f64;
    let mut tie_term = 0.0_f64;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i + 1;
        while j < idx.len() && idx[j].0 == idx[i].0 {
            j += 1;
        }
        // Positions i..j (0-based) share the mid-rank (i + 1 + j) / 2.
        let rank = (i + 1 + j) as f64 / 2.0;
        let in_x = idx[i..j].iter().filter(|e| e.1).count();
        r1 += rank * in_x as f64;
        let t = (j - i) as f64;
        tie_term += t * t * t - t;
        i = j;
    }
    debug_assert!(n1 <= idx.len());
    (r1, tie_term)
}

/// Mann–Whitney U test of two independent samples, as
/// `scipy.stats.mannwhitneyu(x, y, use_continuity, alternative, method=...)`.
///
/// ```text
/// U1 = R1 − n1(n1+1)/2,  U2 = n1·n2 − U1
/// asymptotic:  z = (U − n1·n2/2 − ½·[continuity]) / σ,
///              σ² = n1·n2/12 · [(n + 1) − Σ(t³ − t) / (n(n − 1))],  p = Φ(−z)
/// exact:       p = P(U' ≥ U) under the no-ties null distribution
/// ```
///
/// with `U = U1` (greater), `U2` (less) or `max(U1, U2)` (two-sided, p
/// doubled and capped at 1); see [`mwu_exact_sf`]. With ties and
/// `method = Exact`, U is rounded down to an integer first (as scipy's
/// `int64` cast does) and the no-ties distribution used: treat that p-value
/// as approximate. All values tied give `σ = 0`: p = 1 with the continuity
/// correction, NaN without it (scipy's values).
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty sample or a non-finite value
/// (scipy returns NaN for an empty sample), or if the exact distribution is
/// requested for sizes beyond exact integer counts (see [`mwu_exact_sf`]).
///
/// # Examples
/// ```
/// use huisverbod::stats::{ranks::{mannwhitneyu, MwuMethod}, Alternative};
/// // x above every y: U1 = 3·2 = 6; exact P(U ≥ 6) = 1/C(5, 2) = 0.1, two-sided 0.2.
/// let r = mannwhitneyu(&[4.0, 5.0, 6.0], &[1.0, 2.0], Alternative::TwoSided, MwuMethod::Auto, true).unwrap();
/// assert_eq!(r.u1, 6.0);
/// assert!((r.result.pvalue - 0.2).abs() < 1e-15);
/// ```
pub fn mannwhitneyu(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    method: MwuMethod,
    use_continuity: bool,
) -> Result<MannWhitney> {
    check_sample("x", x)?;
    check_sample("y", y)?;
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let (r1, tie_term) = rank_sum_and_ties(x, y);
    let ties = tie_term > 0.0;
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let (u, factor) = match alternative {
        Alternative::Greater => (u1, 1.0),
        Alternative::Less => (u2, 1.0),
        Alternative::TwoSided => (u1.max(u2), 2.0),
    };
    let method = match method {
        MwuMethod::Auto => {
            if (x.len() > 8 && y.len() > 8) || ties {
                MwuMethod::Asymptotic
            } else {
                MwuMethod::Exact
            }
        }
        m => m,
    };
    let (p, z) = match method {
        MwuMethod::Exact => {
            // scipy casts U to int64 (truncation; U ≥ 0).
            let k = u.floor() as u64;
            (mwu_exact_sf(k, x.len() as u64, y.len() as u64)?, None)
        }
        _ => {
            let mu = n1 * n2 / 2.0;
            let n = n1 + n2;
            let s = (n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
            let mut numerator = u - mu;
            if use_continuity {
                numerator -= 0.5;
            }
            let z = numerator / s;
            (pvalue_normal(z, Alternative::Greater), Some(z))
        }
    };
    let p = (p * factor).clamp(0.0, 1.0);
    Ok(MannWhitney {
        result: TestResult {
            statistic: u1,
            pvalue: p,
            df: None,
            alternative,
            method: format!("Mann-Whitney U test ({})", method.as_str()),
        },
        u1,
        u2,
        method,
        z,
        ties,
        n1: x.len() as u64,
        n2: y.len() as u64,
    })
}

/// The smaller sample size above which [`mwu_exact_sf`] refuses to use
/// floating-point counts (when exact 128-bit counts overflow).
pub const MWU_EXACT_F64_MAX_SMALL: u64 = 8;

/// Greatest common divisor.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `C(m + n, m)` exactly, or `None` on overflow.
fn binom_i128(m: u64, n: u64) -> Option<i128> {
    let mut c: u128 = 1;
    for i in 1..=u128::from(m) {
        // C(n+i, i) = C(n+i−1, i−1) · (n+i) / i, with i | C·(n+i); divide
        // by the common factor first so no intermediate exceeds the result.
        let g = gcd(c, i);
        let f = (u128::from(n) + i) / (i / g);
        c = (c / g).checked_mul(f)?;
    }
    i128::try_from(c).ok()
}

/// Coefficients `0..=kmax` of the Gaussian binomial `[m+n choose m]_q`
/// (the number of arrangements with `U = u`), exactly, or `None` on
/// overflow of `i128`.
fn counts_i128(m: usize, n: usize, kmax: usize) -> Option<Vec<i128>> {
    let mut c = vec![0_i128; kmax + 1];
    c[0] = 1;
    for i in 1..=m {
        // Multiply by (1 − q^(n+i)); descending so c[u − s] is still old.
        let s = n + i;
        if s <= kmax {
            for u in (s..=kmax).rev() {
                c[u] = c[u].checked_sub(c[u - s])?;
            }
        }
        // Divide by (1 − q^i): a running sum with stride i.
        for u in i..=kmax {
            c[u] = c[u].checked_add(c[u - i])?;
        }
    }
    Some(c)
}

/// As [`counts_i128`] in floating point (for a small `m` only).
fn counts_f64(m: usize, n: usize, kmax: usize) -> Vec<f64> {
    let mut c = vec![0.0_f64; kmax + 1];
    c[0] = 1.0;
    for i in 1..=m {
        let s = n + i;
        if s <= kmax {
            for u in (s..=kmax).rev() {
                c[u] -= c[u - s];
            }
        }
        for u in i..=kmax {
            c[u] += c[u - i];
        }
    }
    c
}

/// `P(U ≥ k)` under the null distribution of the Mann–Whitney U statistic
/// for samples of sizes `n1`, `n2` without ties (scipy's `_MWU.sf`).
///
/// The number of arrangements with `U = u` is the coefficient of `q^u` in
/// the Gaussian binomial coefficient
///
/// ```text
/// [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i),   m = min(n1, n2), n = max(n1, n2)
/// ```
///
/// built factor by factor (multiply by `1 − q^(n+i)`, then divide by
/// `1 − q^i` as a running sum), truncated at the degree needed, in exact
/// 128-bit integers; every intermediate is bounded by `C(m+n, m)`, so this
/// is exact whenever that fits (always when `m ≤ 8` and `n ≤ 150 000`, or
/// `n1 = n2 ≤ 64`). Beyond that, for `m ≤ 8` (the sizes scipy's `auto` rule
/// sends here) the same recursion runs in `f64`, whose few subtractions
/// cost at most a few ulps. The upper tail is summed from the lower one by
/// symmetry (`P(U ≥ k) = P(U ≤ n1·n2 − k)`) when `k ≥ n1·n2/2`, else as
/// `1 − P(U ≤ k) + P(U = k)` (scipy's formula there; the value exceeds ½).
///
/// # Errors
/// [`Error::InvalidArgument`] if `n1` or `n2` is 0, or the exact counts
/// overflow 128 bits with both samples larger than
/// [`MWU_EXACT_F64_MAX_SMALL`] (use the asymptotic method there).
///
/// # Examples
/// ```
/// use huisverbod::stats::ranks::mwu_exact_sf;
/// // n1 = 2, n2 = 2: U ∈ {0,1,2,2,3,4} over C(4,2) = 6 arrangements; P(U ≥ 3) = 2/6.
/// assert!((mwu_exact_sf(3, 2, 2).unwrap() - 1.0 / 3.0).abs() < 1e-16);
/// ```
pub fn mwu_exact_sf(k: u64, n1: u64, n2: u64) -> Result<f64> {
    if n1 == 0 || n2 == 0 {
        return Err(Error::InvalidArgument {
            name: "n",
            reason: "both sample sizes must be at least 1".into(),
        });
    }
    let (m, n) = (n1.min(n2), n1.max(n2));
    let mn = m.checked_mul(n).ok_or_else(|| Error::InvalidArgument {
        name: "n",
        reason: "sample sizes too large for the exact distribution".into(),
    })?;
    if k == 0 {
        return Ok(1.0);
    }
    if k > mn {
        return Ok(0.0);
    }
    let kc = mn - k;
    // Upper half: P(U ≥ k) = P(U ≤ kc). Lower half: 1 − P(U ≤ k) + P(U = k).
    let (kmax, upper_half) = if k >= kc { (kc, true) } else { (k, false) };
    let too_big = || Error::InvalidArgument {
        name: "method",
        reason: format!(
            "the exact distribution of U for sample sizes {n1} and {n2} needs more than \
             128-bit counts; use method='asymptotic'"
        ),
    };
    let kmax_us = usize::try_from(kmax).map_err(|_| too_big())?;
    let (m_us, n_us) = (
        usize::try_from(m).map_err(|_| too_big())?,
        usize::try_from(n).map_err(|_| too_big())?,
    );
    let exact = binom_i128(m, n).and_then(|total| {
        counts_i128(m_us, n_us, kmax_us).map(|c| {
            let cum: i128 = c.iter().sum();
            (cum as f64 / total as f64, c[kmax_us] as f64 / total as f64)
        })
    });
    let (cdf, pmf) = match exact {
        Some(v) => v,
        None if m <= MWU_EXACT_F64_MAX_SMALL => {
            let c = counts_f64(m_us, n_us, kmax_us);
            // C(m+n, m) as a product of m ratios.
            let total = (1..=m).fold(1.0_f64, |acc, i| acc * (n + i) as f64 / i as f64);
            (c.iter().sum::<f64>() / total, c[kmax_us] / total)
        }
        None => return Err(too_big()),
    };
    Ok(if upper_half { cdf } else { 1.0 - cdf + pmf })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_distribution_by_hand() {
        // n1 = n2 = 2: arrangements of xxyy; U1 counts (x, y) pairs with x > y.
        // U values over the 6 orderings: 0,1,2,2,3,4 → pmf 1,1,2,1,1 / 6.
        let sf: Vec<f64> = (0..=5).map(|k| mwu_exact_sf(k, 2, 2).unwrap()).collect();
        let want = [1.0, 5.0 / 6.0, 4.0 / 6.0, 2.0 / 6.0, 1.0 / 6.0, 0.0];
        for (a, b) in sf.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{sf:?}");
        }
        // m = 1: U is uniform on 0..=n.
        assert!((mwu_exact_sf(3, 1, 9).unwrap() - 0.7).abs() < 1e-15);
        assert!(mwu_exact_sf(1, 0, 3).is_err());
    }

    #[test]
    fn binomials() {
        assert_eq!(binom_i128(2, 2), Some(6));
        assert_eq!(binom_i128(8, 8), Some(12870));
        assert_eq!(binom_i128(64, 64).map(|c| c > 0), Some(true));
        assert_eq!(binom_i128(70, 70), None);
    }

    #[test]
    fn float_counts_agree_with_exact_ones() {
        let (m, n, k) = (6, 40, 90);
        let a = counts_i128(m, n, k).unwrap();
        let b = counts_f64(m, n, k);
        for (x, y) in a.iter().zip(&b) {
            assert!((*x as f64 - y).abs() <= 1e-15 * (*x as f64));
        }
        assert!(mwu_exact_sf(2000, 70, 70).is_err());
    }

    #[test]
    fn u_statistic_with_ties() {
        // x = [1, 2, 2], y = [2, 3]: pooled sorted 1(x) 2(x) 2(x) 2(y) 3(y);
        // ranks 1, 3, 3, 3, 5; R1 = 1 + 3 + 3 = 7; U1 = 7 − 6 = 1; tie term 3³ − 3 = 24.
        let r = mannwhitneyu(
            &[1.0, 2.0, 2.0],
            &[2.0, 3.0],
            Alternative::Less,
            MwuMethod::Auto,
            true,
        )
        .unwrap();
        assert_eq!(r.u1, 1.0);
        assert_eq!(r.u2, 5.0);
        assert!(r.ties);
        assert_eq!(r.method, MwuMethod::Asymptotic);
        // σ² = 6/12 · (6 − 24/20) = 0.5 · 4.8 = 2.4; z = (5 − 3 − 0.5)/sqrt(2.4).
        let z = 1.5 / 2.4f64.sqrt();
        assert!((r.z.unwrap() - z).abs() < 1e-15);
    }

    #[test]
    fn all_tied() {
        let r = mannwhitneyu(
            &[1.0; 4],
            &[1.0; 3],
            Alternative::TwoSided,
            MwuMethod::Asymptotic,
            true,
        )
        .unwrap();
        assert_eq!(r.result.pvalue, 1.0);
        let r = mannwhitneyu(
            &[1.0; 4],
            &[1.0; 3],
            Alternative::TwoSided,
            MwuMethod::Asymptotic,
            false,
        )
        .unwrap();
        assert!(r.result.pvalue.is_nan());
    }
}
