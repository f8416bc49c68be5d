//! The log-rank test for k groups, its weighted variants, stratification and
//! the test for trend.
//!
//! At each distinct event time `tᵢ` (within a stratum) with `nᵢ` at risk,
//! `dᵢ` events, and `n_gi`, `d_gi` in group g, and a weight `wᵢ`:
//!
//! ```text
//! E_g   = Σᵢ n_gi dᵢ / nᵢ                                   (expected events)
//! U_g   = Σᵢ wᵢ (d_gi − n_gi dᵢ / nᵢ)                       (weighted O − E)
//! V_gh  = Σᵢ wᵢ² dᵢ (nᵢ − dᵢ) / (nᵢ² (nᵢ − 1)) · (nᵢ n_gi 1[g = h] − n_gi n_hi)
//! χ²    = U₋ᵀ V₋⁻ U₋        (U, V without the last group; generalised inverse)
//! df    = rank(V₋)         (k − 1 unless a group is never at risk at an event)
//! ```
//!
//! Stratified: `U` and `V` are summed over strata, each computed within its
//! stratum (R's `survdiff(... + strata(s))`). Trend with group scores `c`:
//! `z = cᵀU / √(cᵀVc)`, `χ² = z²` on 1 df.
//!
//! Weights ([`Weighting`]): 1 (log-rank, Mantel–Cox); `nᵢ` (Gehan–Breslow
//! generalised Wilcoxon); `√nᵢ` (Tarone–Ware); `Π_{tⱼ ≤ tᵢ} (1 − dⱼ/(nⱼ+1))`
//! (Peto–Peto); `S(tᵢ−)^p (1 − S(tᵢ−))^q` with the pooled Kaplan–Meier
//! estimate just before `tᵢ` (Fleming–Harrington). These are lifelines'
//! `multivariate_logrank_test(weightings=...)` definitions; R's
//! `survdiff(rho = ρ)` is Fleming–Harrington with `p = ρ, q = 0`.
//!
//! With no event at all the test is undefined: statistic and p-value are
//! `NaN` and `df` is 0 (lifelines reports 0 and p = 1).

use super::{check_codes, check_events, check_times, invalid, tabulate, TimeTable};
use crate::numerics::{Cholesky, TOLER_CHOL};
use crate::stats::pvalue_chi2;
use crate::Result;
use serde::{Deserialize, Serialize};

/// The weight function of a weighted log-rank test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Weighting {
    /// Weight 1: the log-rank (Mantel–Cox) test.
    #[default]
    LogRank,
    /// Weight `nᵢ` (number at risk): Gehan–Breslow generalised Wilcoxon.
    Wilcoxon,
    /// Weight `√nᵢ`: Tarone–Ware.
    TaroneWare,
    /// Weight `Π_{tⱼ ≤ tᵢ} (1 − dⱼ/(nⱼ + 1))`: Peto–Peto.
    Peto,
    /// Weight `S(tᵢ−)^p (1 − S(tᵢ−))^q`: Fleming–Harrington G(p, q).
    FlemingHarrington {
        /// Exponent of `S(t−)`, ≥ 0.
        p: f64,
        /// Exponent of `1 − S(t−)`, ≥ 0.
        q: f64,
    },
}

impl Weighting {
    /// A short name: `logrank`, `wilcoxon`, `tarone-ware`, `peto`, `fleming-harrington`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Weighting::LogRank => "logrank",
            Weighting::Wilcoxon => "wilcoxon",
            Weighting::TaroneWare => "tarone-ware",
            Weighting::Peto => "peto",
            Weighting::FlemingHarrington { .. } => "fleming-harrington",
        }
    }

    /// Parses the lifelines spelling; `p`, `q` are used by `fleming-harrington` only.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for an unknown name or a negative `p`/`q`.
    pub fn parse(name: &str, p: f64, q: f64) -> Result<Self> {
        Ok(match name {
            "logrank" | "log-rank" | "none" => Weighting::LogRank,
            "wilcoxon" | "gehan" | "gehan-breslow" => Weighting::Wilcoxon,
            "tarone-ware" => Weighting::TaroneWare,
            "peto" => Weighting::Peto,
            "fleming-harrington" => Weighting::FlemingHarrington { p, q },
            other => {
                return Err(invalid(
                    "weightings",
                    format!(
                        "'{other}' is not one of 'logrank', 'wilcoxon', 'tarone-ware', 'peto', 'fleming-harrington'"
                    ),
                ))
            }
        })
    }

    fn check(&self) -> Result<()> {
        if let Weighting::FlemingHarrington { p, q } = *self {
            if !(p.is_finite() && p >= 0.0) {
                return Err(invalid("p", format!("must be finite and ≥ 0, got {p}")));
            }
            if !(q.is_finite() && q >= 0.0) {
                return Err(invalid("q", format!("must be finite and ≥ 0, got {q}")));
            }
        }
        Ok(())
    }

    fn method(&self) -> String {
        match self {
            Weighting::LogRank => "log-rank test".into(),
            Weighting::Wilcoxon => "Gehan-Breslow-Wilcoxon test".into(),
            Weighting::TaroneWare => "Tarone-Ware test".into(),
            Weighting::Peto => "Peto-Peto test".into(),
            Weighting::FlemingHarrington { p, q } => {
                format!("Fleming-Harrington test (p={p}, q={q})")
            }
        }
    }
}

/// The result of [`logrank_test`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    /// The chi-square statistic `U₋ᵀ V₋⁻ U₋`.
    pub statistic: f64,
    /// Degrees of freedom (rank of `V₋`).
    pub df: f64,
    /// Upper-tail chi-square p-value.
    pub pvalue: f64,
    /// Observations per group.
    pub n: Vec<f64>,
    /// Observed events per group.
    pub observed: Vec<f64>,
    /// Expected events per group under the null (unweighted).
    pub expected: Vec<f64>,
    /// Weighted observed minus expected per group (`U`; sums to 0).
    pub score: Vec<f64>,
    /// Variance matrix of `U`, `k × k` row-major.
    pub variance: Vec<f64>,
    /// The weights used.
    pub weighting: Weighting,
    /// Number of strata (1 when unstratified).
    pub n_strata: usize,
    /// What was computed.
    pub method: String,
}

/// The result of [`logrank_trend`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRankTrend {
    /// `χ² = z²`, 1 df.
    pub statistic: f64,
    /// The signed statistic `z = cᵀU / √(cᵀVc)`; positive when groups with
    /// higher scores have more events than expected.
    pub z: f64,
    /// Degrees of freedom (1).
    pub df: f64,
    /// Two-sided p-value (upper tail of χ²₁).
    pub pvalue: f64,
    /// The group scores `c`.
    pub scores: Vec<f64>,
    /// The underlying k-group test (for its `score` and `variance`).
    pub groups: LogRank,
    /// What was computed.
    pub method: String,
}

/// Accumulates `U`, `V`, `O`, `E` over one stratum's table.
fn accumulate(tab: &TimeTable, weighting: Weighting, acc: &mut LogRank) {
    let k = tab.k;
    let mut at_risk = tab.totals.clone();
    let mut n: f64 = at_risk.iter().sum();
    let mut s_minus: f64 = 1.0; // pooled KM just before the current time
    let mut peto = 1.0;
    for i in 0..tab.len() {
        let d_row = &tab.events[i * k..(i + 1) * k];
        let d: f64 = d_row.iter().sum();
        if d > 0.0 {
            peto *= 1.0 - d / (n + 1.0);
            let w = match weighting {
                Weighting::LogRank => 1.0,
                Weighting::Wilcoxon => n,
                Weighting::TaroneWare => n.sqrt(),
                Weighting::Peto => peto,
                Weighting::FlemingHarrington { p, q } => s_minus.powf(p) * (1.0 - s_minus).powf(q),
            };
            let factor = if n > 1.0 {
                w * w * d * (n - d) / (n * n * (n - 1.0))
            } else {
                0.0
            };
            for g in 0..k {
                let e = at_risk[g] * d / n;
                acc.observed[g] += d_row[g];
                acc.expected[g] += e;
                acc.score[g] += w * (d_row[g] - e);
                if factor != 0.0 {
                    for h in 0..k {
                        let diag = if g == h { n * at_risk[g] } else { 0.0 };
                        acc.variance[g * k + h] += factor * (diag - at_risk[g] * at_risk[h]);
                    }
                }
            }
            s_minus *= 1.0 - d / n;
        }
        let r_row = &tab.removed[i * k..(i + 1) * k];
        for g in 0..k {
            at_risk[g] -= r_row[g];
            n -= r_row[g];
        }
    }
}

fn finish(acc: &mut LogRank) -> Result<()> {
    let k = acc.n.len();
    let km = k - 1;
    let mut v = vec![0.0; km * km];
    for g in 0..km {
        for h in 0..km {
            v[g * km + h] = acc.variance[g * k + h];
        }
    }
    let chol = Cholesky::new(&v, km, TOLER_CHOL)?;
    let rank = chol.rank();
    if rank == 0 {
        acc.statistic = f64::NAN;
        acc.df = 0.0;
        acc.pvalue = f64::NAN;
        return Ok(());
    }
    acc.statistic = chol.quad_form_inv(&acc.score[..km]).max(0.0);
    acc.df = rank as f64;
    acc.pvalue = pvalue_chi2(acc.statistic, acc.df);
    Ok(())
}

/// The (weighted, optionally stratified) log-rank test of equal survival in
/// the groups `0 … k−1` (k ≥ 2).
///
/// # Errors
/// [`crate::Error::InvalidArgument`] for bad times or events (see the module
/// docs of [`crate::survival`]), fewer than two groups, lengths that differ, a
/// skipped group or stratum code, or a negative Fleming–Harrington exponent.
///
/// # Examples
/// ```
/// use huisverbod::survival::{logrank_test, Weighting};
/// // Group 0 fails at 1, 2; group 1 at 3, 4: χ² = 3.2 / 1.083… (see the unit tests).
/// let r = logrank_test(&[1., 2., 3., 4.], &[1.; 4], &[0, 0, 1, 1], None, Weighting::LogRank)?;
/// assert_eq!(r.df, 1.0);
/// assert!((r.observed[0] - 2.0).abs() < 1e-15);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn logrank_test(
    time: &[f64],
    event: &[f64],
    group: &[u32],
    strata: Option<&[u32]>,
    weighting: Weighting,
) -> Result<LogRank> {
    weighting.check()?;
    check_times("time", time)?;
    let n = time.len();
    check_events(event, n)?;
    let k = check_codes("group", group, n)?;
    if k < 2 {
        return Err(invalid("group", "needs at least two groups"));
    }
    let mut acc = LogRank {
        statistic: f64::NAN,
        df: 0.0,
        pvalue: f64::NAN,
        n: vec![0.0; k],
        observed: vec![0.0; k],
        expected: vec![0.0; k],
        score: vec![0.0; k],
        variance: vec![0.0; k * k],
        weighting,
        n_strata: 1,
        method: weighting.method(),
    };
    for &g in group {
        acc.n[g as usize] += 1.0;
    }
    let blocks = match strata {
        None => None,
        Some(s) => Some((s, check_codes("strata", s, n)?)),
    };
    for tab in tabulate(time, event, blocks, Some((group, k))) {
        accumulate(&tab, weighting, &mut acc);
    }
    if let Some((_, ns)) = blocks {
        acc.n_strata = ns;
        acc.method = format!("stratified {}", acc.method);
    }
    finish(&mut acc)?;
    Ok(acc)
}

/// The test for trend across ordered groups with scores `scores[g]`.
///
/// # Errors
/// As [`logrank_test`], and when `scores` does not have one finite value
/// per group or all scores are equal.
///
/// # Examples
/// ```
/// use huisverbod::survival::{logrank_trend, Weighting};
/// let t = [1., 2., 3., 4., 5., 6.];
/// let r = logrank_trend(&t, &[1.; 6], &[0, 0, 1, 1, 2, 2], &[1., 2., 3.], None, Weighting::LogRank)?;
/// assert!(r.z < 0.0); // later groups fail later
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn logrank_trend(
    time: &[f64],
    event: &[f64],
    group: &[u32],
    scores: &[f64],
    strata: Option<&[u32]>,
    weighting: Weighting,
) -> Result<LogRankTrend> {
    let groups = logrank_test(time, event, group, strata, weighting)?;
    let k = groups.n.len();
    if scores.len() != k {
        return Err(invalid(
            "scores",
            format!("has {} values, expected one per group ({k})", scores.len()),
        ));
    }
    if scores.iter().any(|s| !s.is_finite()) {
        return Err(invalid("scores", "must be finite"));
    }
    if scores.iter().all(|&s| s == scores[0]) {
        return Err(invalid(
            "scores",
            "are all equal: there is no trend to test",
        ));
    }
    let u: f64 = scores.iter().zip(&groups.score).map(|(c, u)| c * u).sum();
    let mut v = 0.0;
    for g in 0..k {
        for h in 0..k {
            v += scores[g] * scores[h] * groups.variance[g * k + h];
        }
    }
    let (z, stat, p) = if v > 0.0 {
        let z = u / v.sqrt();
        (z, z * z, pvalue_chi2(z * z, 1.0))
    } else {
        (f64::NAN, f64::NAN, f64::NAN)
    };
    let method = format!("{} for trend", groups.method);
    Ok(LogRankTrend {
        statistic: stat,
        z,
        df: 1.0,
        pvalue: p,
        scores: scores.to_vec(),
        groups,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_two_groups() {
        // Times 1, 2 (group 0) and 3, 4 (group 1), all events.
        // t=1: n=4 (2,2), d=1: E0 = 1/2, V = 1·3/(16·3)·(4·2 − 4) = 1/4
        // t=2: n=3 (1,2), d=1: E0 = 1/3, V = 1·2/(9·2)·(3·1 − 1) = 2/9
        // t=3: n=2 (0,2): E0 = 0, V = 0;  t=4: n=1: V = 0.
        // U0 = 2 − 5/6 = 7/6;  V00 = 1/4 + 2/9 = 17/36;  χ² = (49/36)/(17/36) = 49/17.
        let r = logrank_test(
            &[1., 2., 3., 4.],
            &[1.; 4],
            &[0, 0, 1, 1],
            None,
            Weighting::LogRank,
        )
        .unwrap();
        assert!((r.expected[0] - 5.0 / 6.0).abs() < 1e-15);
        assert!((r.score[0] - 7.0 / 6.0).abs() < 1e-15);
        assert!((r.score[0] + r.score[1]).abs() < 1e-15);
        assert!((r.variance[0] - 17.0 / 36.0).abs() < 1e-15);
        assert!((r.statistic - 49.0 / 17.0).abs() < 1e-14);
        assert_eq!(r.df, 1.0);
        // Wilcoxon: weights 4, 3: U0 = 4·(1/2) + 3·(2/3) = 4;
        // V00 = 16/4 + 9·2/9 = 6;  χ² = 16/6.
        let w = logrank_test(
            &[1., 2., 3., 4.],
            &[1.; 4],
            &[0, 0, 1, 1],
            None,
            Weighting::Wilcoxon,
        )
        .unwrap();
        assert!((w.statistic - 16.0 / 6.0).abs() < 1e-14);
        // Fleming–Harrington(0, 0) is the log-rank test.
        let fh = logrank_test(
            &[1., 2., 3., 4.],
            &[1.; 4],
            &[0, 0, 1, 1],
            None,
            Weighting::FlemingHarrington { p: 0.0, q: 0.0 },
        )
        .unwrap();
        assert!((fh.statistic - r.statistic).abs() < 1e-14);
    }

    #[test]
    fn strata_sum_and_trend() {
        // Two identical strata: U and V double, χ² doubles.
        let t = [1., 2., 3., 4., 1., 2., 3., 4.];
        let g = [0, 0, 1, 1, 0, 0, 1, 1];
        let s = [0, 0, 0, 0, 1, 1, 1, 1];
        let r = logrank_test(&t, &[1.; 8], &g, Some(&s), Weighting::LogRank).unwrap();
        assert!((r.statistic - 2.0 * 49.0 / 17.0).abs() < 1e-13);
        assert_eq!(r.n_strata, 2);
        // Trend over two groups with scores (0, 1) is the two-group test.
        let tr = logrank_trend(
            &t[..4],
            &[1.; 4],
            &g[..4],
            &[0.0, 1.0],
            None,
            Weighting::LogRank,
        )
        .unwrap();
        assert!((tr.statistic - 49.0 / 17.0).abs() < 1e-14);
        assert!(tr.z < 0.0);
    }

    #[test]
    fn degenerate_and_errors() {
        // No events: undefined.
        let r = logrank_test(&[1., 2.], &[0., 0.], &[0, 1], None, Weighting::LogRank).unwrap();
        assert!(r.statistic.is_nan() && r.pvalue.is_nan());
        assert_eq!(r.df, 0.0);
        // A group without events is fine.
        let r = logrank_test(
            &[1., 2., 3.],
            &[1., 1., 0.],
            &[0, 0, 1],
            None,
            Weighting::LogRank,
        )
        .unwrap();
        assert!(r.statistic.is_finite());
        assert!(logrank_test(&[1., 2.], &[1., 1.], &[0, 0], None, Weighting::LogRank).is_err());
        assert!(logrank_test(
            &[1., 2.],
            &[1., 1.],
            &[0, 1],
            None,
            Weighting::FlemingHarrington { p: -1.0, q: 0.0 }
        )
        .is_err());
        assert!(Weighting::parse("gehan", 0.0, 0.0).is_ok());
        assert!(Weighting::parse("savage", 0.0, 0.0).is_err());
        assert!(logrank_trend(
            &[1., 2.],
            &[1., 1.],
            &[0, 1],
            &[1.0, 1.0],
            None,
            Weighting::LogRank
        )
        .is_err());
    }
}
