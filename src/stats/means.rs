//! Two means: t-tests (pooled and Welch), Levene's test and the SPSS
//! "Independent Samples Test" layout.
//!
//! - [`ttest_ind`] / [`ttest_from_stats`]: Student's (pooled) and Welch's
//!   t-tests exactly as `scipy.stats.ttest_ind` / `ttest_ind_from_stats`,
//!   statistic signed as `mean(a) − mean(b)`, with the interval of scipy's
//!   `TtestResult.confidence_interval`.
//! - [`levene`]: Levene's test (`center = Mean`, what SPSS prints) and the
//!   Brown–Forsythe variant (`center = Median`, scipy's default), as
//!   `scipy.stats.levene`.
//! - [`compare_means`]: both t-tests next to Levene's test, as SPSS prints
//!   them. SPSS's default (and the 2013 report's t-tests) is the row
//!   "Equal variances assumed", i.e. the pooled test.
//!
//! Mann–Whitney U is in [`crate::stats::ranks`], Cohen's d and Hedges' g in
//! [`crate::stats::effect_size`].

use super::tdist::{f_sf, pvalue_t, t_quantile};
use super::{check_level, check_sample, Alternative, ConfidenceInterval, TestResult};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Sum with Neumaier compensation (the order-independent accuracy numpy's
/// pairwise sum gives, without its rounding pattern).
pub(crate) fn sum(x: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = 0.0_f64;
    let mut c = 0.0_f64;
    for v in x {
        let t = s + v;
        if s.abs() >= v.abs() {
            c += (s - t) + v;
        } else {
            c += (v - t) + s;
        }
        s = t;
    }
    s + c
}

/// The mean, refined by one correction pass.
pub(crate) fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = sum(x.iter().copied()) / n;
    m + sum(x.iter().map(|v| v - m)) / n
}

/// Mean and variance with denominator `n − 1` (NaN for `n = 1`).
pub(crate) fn mean_var(x: &[f64]) -> (f64, f64) {
    let m = mean(x);
    let var = if x.len() > 1 {
        sum(x.iter().map(|v| (v - m) * (v - m))) / (x.len() as f64 - 1.0)
    } else {
        f64::NAN
    };
    (m, var)
}

/// Summary statistics of one group, as SPSS's "Group Statistics" table:
/// `N`, mean, standard deviation (denominator `n − 1`) and the standard error
/// of the mean `sd / sqrt(n)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// Number of observations.
    pub n: u64,
    /// The mean.
    pub mean: f64,
    /// Standard deviation with denominator `n − 1` (NaN for `n = 1` when
    /// computed from a sample).
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)`.
    pub se: f64,
}

impl GroupStats {
    /// The group statistics of a sample.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty sample or a non-finite value.
    pub fn from_sample(name: &'static str, x: &[f64]) -> Result<Self> {
        check_sample(name, x)?;
        let (m, v) = mean_var(x);
        let sd = v.sqrt();
        Ok(GroupStats {
            n: x.len() as u64,
            mean: m,
            sd,
            se: sd / (x.len() as f64).sqrt(),
        })
    }

    /// Group statistics from published numbers: mean, standard deviation
    /// (denominator `n − 1`) and size.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `n ≥ 1`, `mean` is finite and `sd` is
    /// finite and non-negative. (`sd` is still required for `n = 1`; the
    /// pooled test ignores it there, as scipy does.)
    pub fn new(mean: f64, sd: f64, n: u64) -> Result<Self> {
        if n == 0 {
            return Err(Error::InvalidArgument {
                name: "n",
                reason: "must be at least 1".into(),
            });
        }
        if !mean.is_finite() {
            return Err(Error::InvalidArgument {
                name: "mean",
                reason: format!("must be finite, got {mean}"),
            });
        }
        if !(sd.is_finite() && sd >= 0.0) {
            return Err(Error::InvalidArgument {
                name: "sd",
                reason: format!("must be finite and non-negative, got {sd}"),
            });
        }
        Ok(GroupStats {
            n,
            mean,
            sd,
            se: sd / (n as f64).sqrt(),
        })
    }
}

/// The result of a two-sample t-test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    /// Statistic `t`, p-value, degrees of freedom, alternative and method.
    pub result: TestResult,
    /// The estimated difference `mean1 − mean2`.
    pub estimate: f64,
    /// The standard error of the difference (the denominator of `t`).
    pub std_error: f64,
    /// Whether the pooled (Student) or the Welch test was computed.
    pub equal_var: bool,
}

impl TTest {
    /// The confidence interval for `mean1 − mean2`, as scipy's
    /// `TtestResult.confidence_interval`: one-sided for one-sided
    /// alternatives.
    ///
    /// ```text
    /// two-sided:  estimate + se · t_{ν}((1−level)/2),  estimate + se · t_{ν}(1 − (1−level)/2)
    /// less:       (−inf, estimate + se · t_{ν}(level))
    /// greater:    (estimate + se · t_{ν}(1 − level), inf)
    /// ```
    ///
    /// NaN limits where the test is NaN.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `0 < level < 1`.
    pub fn confidence_interval(&self, level: f64) -> Result<ConfidenceInterval> {
        check_level(level)?;
        let df = self.result.df.unwrap_or(f64::NAN);
        let (lo, hi) = match self.result.alternative {
            Alternative::Less => (f64::NEG_INFINITY, t_quantile(level, df)),
            Alternative::Greater => (t_quantile(1.0 - level, df), f64::INFINITY),
            Alternative::TwoSided => {
                let tail = (1.0 - level) / 2.0;
                (t_quantile(tail, df), t_quantile(1.0 - tail, df))
            }
        };
        Ok(ConfidenceInterval {
            low: lo * self.std_error + self.estimate,
            high: hi * self.std_error + self.estimate,
            level,
        })
    }
}

/// Method names in [`TestResult::method`].
const POOLED: &str = "Student's t-test (equal variances assumed)";
const WELCH: &str = "Welch's t-test (equal variances not assumed)";

/// The t-test from two groups' statistics (`mean`, variance, `n`).
fn ttest_core(
    (m1, v1, n1): (f64, f64, u64),
    (m2, v2, n2): (f64, f64, u64),
    equal_var: bool,
    alternative: Alternative,
) -> TTest {
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let (df, denom) = if equal_var {
        // scipy: a single observation contributes no squared deviations.
        let v1 = if n1 == 1 { 0.0 } else { v1 };
        let v2 = if n2 == 1 { 0.0 } else { v2 };
        let df = n1f + n2f - 2.0;
        let svar = ((n1f - 1.0) * v1 + (n2f - 1.0) * v2) / df;
        (df, (svar * (1.0 / n1f + 1.0 / n2f)).sqrt())
    } else if n1 < 2 || n2 < 2 {
        // A group of one has no variance: nothing to test.
        (f64::NAN, f64::NAN)
    } else {
        let (vn1, vn2) = (v1 / n1f, v2 / n2f);
        let s = vn1 + vn2;
        // Welch–Satterthwaite, scaled by s so that huge variances cannot overflow.
        let (r1, r2) = (vn1 / s, vn2 / s);
        let df = 1.0 / (r1 * r1 / (n1f - 1.0) + r2 * r2 / (n2f - 1.0));
        // scipy: both variances zero leave df undefined; any value will do
        // (t is infinite or NaN), scipy reports 1.
        let df = if df.is_nan() { 1.0 } else { df };
        (df, s.sqrt())
    };
    let estimate = m1 - m2;
    let t = estimate / denom;
    TTest {
        result: TestResult {
            statistic: t,
            pvalue: pvalue_t(t, df, alternative),
            df: Some(df),
            alternative,
            method: if equal_var { POOLED } else { WELCH }.to_string(),
        },
        estimate,
        std_error: denom,
        equal_var,
    }
}

/// Two-sample t-test of `mean(a) = mean(b)`, as `scipy.stats.ttest_ind`.
///
/// ```text
/// t = (mean(a) − mean(b)) / se
/// pooled (equal_var):  ν = n1 + n2 − 2,
///                      se² = [(n1−1)·s1² + (n2−1)·s2²] / ν · (1/n1 + 1/n2)
/// Welch:               se² = s1²/n1 + s2²/n2,
///                      ν = se⁴ / [ (s1²/n1)²/(n1−1) + (s2²/n2)²/(n2−1) ]
/// ```
///
/// with sample variances `s²` (denominator `n − 1`). p-values from the two t
/// tails (`sf`), so `t = 40` with small `ν` keeps its ~1e-300 p-value.
///
/// Degenerate data give scipy's values: a group of one contributes no
/// variance to the pooled test (NaN if `n1 + n2 = 2`); two constant groups
/// give `t = ±inf`, `p = 0` (NaN if the means are equal), with Welch's `ν`
/// set to 1 as scipy does. Welch's test with a group of one is all NaN
/// (scipy reports `df = 1` there; NaN says what it is).
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty sample or a non-finite value
/// (scipy returns NaN for empty samples; NaN handling is the Python layer's
/// `nan_policy`).
///
/// # Examples
/// ```
/// use huisverbod::stats::{means::ttest_ind, Alternative};
/// // scipy.stats.ttest_ind([1, 2, 3, 4], [2, 4, 6, 8]): t = -1.7320508075688772, df = 6
/// let r = ttest_ind(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0], true, Alternative::TwoSided).unwrap();
/// assert!((r.result.statistic + 3f64.sqrt()).abs() < 1e-14);
/// assert_eq!(r.result.df, Some(6.0));
/// ```
pub fn ttest_ind(a: &[f64], b: &[f64], equal_var: bool, alternative: Alternative) -> Result<TTest> {
    check_sample("a", a)?;
    check_sample("b", b)?;
    let (m1, v1) = mean_var(a);
    let (m2, v2) = mean_var(b);
    Ok(ttest_core(
        (m1, v1, a.len() as u64),
        (m2, v2, b.len() as u64),
        equal_var,
        alternative,
    ))
}

/// The two-sample t-test from published means, standard deviations
/// (denominator `n − 1`) and sizes, as `scipy.stats.ttest_ind_from_stats`
/// (formulas at [`ttest_ind`]); this recomputes the report's comparisons.
///
/// Degenerate inputs: `n1 + n2 = 2` (pooled) gives NaN; a group with `n = 1`
/// enters the pooled test with no variance (its `sd` is ignored, as scipy
/// does); Welch's test with a group of one is all NaN (scipy gives `t` with a
/// NaN p-value, or, if that group's `sd` is 0, a p-value with `df = 1`); both
/// `sd = 0` give `t = ±inf`, `p = 0` (NaN if the means are equal).
///
/// # Examples
/// ```
/// use huisverbod::stats::{means::{ttest_from_stats, GroupStats}, Alternative};
/// // scipy's docstring example: t = 0.9051358093310269, p = 0.3751996797581487
/// let g1 = GroupStats::new(15.0, 87.5_f64.sqrt(), 13).unwrap();
/// let g2 = GroupStats::new(12.0, 39.0_f64.sqrt(), 11).unwrap();
/// let r = ttest_from_stats(&g1, &g2, true, Alternative::TwoSided);
/// assert!((r.result.pvalue / 0.3751996797581487 - 1.0).abs() < 1e-12);
/// ```
pub fn ttest_from_stats(
    g1: &GroupStats,
    g2: &GroupStats,
    equal_var: bool,
    alternative: Alternative,
) -> TTest {
    ttest_core(
        (g1.mean, g1.sd * g1.sd, g1.n),
        (g2.mean, g2.sd * g2.sd, g2.n),
        equal_var,
        alternative,
    )
}

/// The centre from which Levene's test measures absolute deviations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeveneCenter {
    /// Levene (1960): deviations from the group mean. SPSS prints this.
    #[serde(rename = "mean")]
    Mean,
    /// Brown & Forsythe (1974): deviations from the group median;
    /// `scipy.stats.levene`'s default.
    #[serde(rename = "median")]
    Median,
}

impl std::str::FromStr for LeveneCenter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "mean" => Ok(LeveneCenter::Mean),
            "median" => Ok(LeveneCenter::Median),
            other => Err(Error::InvalidArgument {
                name: "center",
                reason: format!("'{other}' is not one of 'mean', 'median'"),
            }),
        }
    }
}

/// The result of Levene's test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeveneResult {
    /// `F`, its p-value (upper tail) and method; `result.df` is `None`
    /// because `F` has two: see `df1`, `df2`.
    pub result: TestResult,
    /// Numerator degrees of freedom `k − 1`.
    pub df1: f64,
    /// Denominator degrees of freedom `N − k`.
    pub df2: f64,
    /// The centre used.
    pub center: LeveneCenter,
}

/// The median of a non-empty sample (mean of the middle two for even `n`).
fn median(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Levene's test that `k ≥ 2` groups have equal variances, as
/// `scipy.stats.levene(*samples, center=...)`.
///
/// ```text
/// Z_ij = |x_ij − c_i|        c_i = mean (Levene) or median (Brown–Forsythe) of group i
/// F    = (N − k) · Σ_i n_i (Z̄_i − Z̄)²  /  [(k − 1) · Σ_i Σ_j (Z_ij − Z̄_i)²]
/// p    = P(F(k − 1, N − k) ≥ F)
/// ```
///
/// Degenerate data give scipy's values: zero spread of `Z` within every group
/// gives `F = inf`, `p = 0` (NaN if also between groups); `N = k` gives NaN.
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than two samples, an empty sample or
/// a non-finite value (scipy returns NaN for an empty sample).
///
/// # Examples
/// ```
/// use huisverbod::stats::means::{levene, LeveneCenter};
/// // Z = [1, 1] and [2, 2]: all spread is between groups, F = inf.
/// let r = levene(&[&[1.0, 3.0], &[1.0, 5.0]], LeveneCenter::Mean).unwrap();
/// assert_eq!(r.result.statistic, f64::INFINITY);
/// assert_eq!((r.df1, r.df2), (1.0, 2.0));
/// ```
pub fn levene(samples: &[&[f64]], center: LeveneCenter) -> Result<LeveneResult> {
    let k = samples.len();
    if k < 2 {
        return Err(Error::InvalidArgument {
            name: "samples",
            reason: format!("Levene's test needs at least two samples, got {k}"),
        });
    }
    for s in samples {
        check_sample("samples", s)?;
    }
    let ntot: f64 = samples.iter().map(|s| s.len() as f64).sum();
    let z: Vec<Vec<f64>> = samples
        .iter()
        .map(|s| {
            let c = match center {
                LeveneCenter::Mean => mean(s),
                LeveneCenter::Median => median(s),
            };
            s.iter().map(|v| (v - c).abs()).collect()
        })
        .collect();
    let zbar_i: Vec<f64> = z.iter().map(|zi| mean(zi)).collect();
    let zbar = sum(z.iter().zip(&zbar_i).map(|(zi, m)| zi.len() as f64 * m)) / ntot;
    let dfd = ntot - k as f64;
    let dfn = k as f64 - 1.0;
    let between = sum(z
        .iter()
        .zip(&zbar_i)
        .map(|(zi, m)| zi.len() as f64 * (m - zbar) * (m - zbar)));
    let within = sum(z
        .iter()
        .zip(&zbar_i)
        .flat_map(|(zi, m)| zi.iter().map(move |v| (v - m) * (v - m))));
    let w = dfd * between / (dfn * within);
    let p = if w.is_nan() {
        f64::NAN
    } else {
        f_sf(w, dfn, dfd)
    };
    Ok(LeveneResult {
        result: TestResult {
            statistic: w,
            pvalue: p,
            df: None,
            alternative: Alternative::Greater,
            method: match center {
                LeveneCenter::Mean => "Levene's test (mean-centred)",
                LeveneCenter::Median => "Brown-Forsythe test (median-centred Levene)",
            }
            .to_string(),
        },
        df1: dfn,
        df2: dfd,
        center,
    })
}

/// SPSS's "Independent Samples Test": group statistics, Levene's test
/// (mean-centred) and both t-tests with their intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareMeans {
    /// "Group Statistics" of the first sample.
    pub group1: GroupStats,
    /// "Group Statistics" of the second sample.
    pub group2: GroupStats,
    /// "Levene's Test for Equality of Variances" (F, Sig.).
    pub levene: LeveneResult,
    /// Row "Equal variances assumed" (Student's pooled t-test).
    pub pooled: TTest,
    /// Row "Equal variances not assumed" (Welch's t-test).
    pub welch: TTest,
    /// Interval of the difference, pooled row.
    pub pooled_ci: ConfidenceInterval,
    /// Interval of the difference, Welch row.
    pub welch_ci: ConfidenceInterval,
}

/// Compares two means as SPSS's Independent-Samples T Test does: Levene's
/// test (mean-centred, as SPSS) and the rows "Equal variances assumed"
/// ([`ttest_ind`] with `equal_var`) and "Equal variances not assumed"
/// (Welch), each with `t`, `df`, p-value, mean difference, its standard error
/// and the confidence interval at `confidence_level`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty sample, a non-finite value or a
/// level outside (0, 1).
///
/// # Examples
/// ```
/// use huisverbod::stats::{means::compare_means, Alternative};
/// let c = compare_means(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0], Alternative::TwoSided, 0.95).unwrap();
/// assert_eq!(c.pooled.result.df, Some(6.0));
/// assert_eq!(c.group2.mean, 5.0);
/// ```
pub fn compare_means(
    a: &[f64],
    b: &[f64],
    alternative: Alternative,
    confidence_level: f64,
) -> Result<CompareMeans> {
    check_level(confidence_level)?;
    let group1 = GroupStats::from_sample("a", a)?;
    let group2 = GroupStats::from_sample("b", b)?;
    let levene = levene(&[a, b], LeveneCenter::Mean)?;
    let pooled = ttest_ind(a, b, true, alternative)?;
    let welch = ttest_ind(a, b, false, alternative)?;
    let pooled_ci = pooled.confidence_interval(confidence_level)?;
    let welch_ci = welch.confidence_interval(confidence_level)?;
    Ok(CompareMeans {
        group1,
        group2,
        levene,
        pooled,
        welch,
        pooled_ci,
        welch_ci,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn pooled_by_hand() {
        // a = [1,2,3,4]: mean 2.5, s² = 5/3; b = [2,4,6,8]: mean 5, s² = 20/3.
        // pooled s² = (5 + 20)/6 = 25/6; se² = 25/6 · (1/4 + 1/4) = 25/12;
        // t = −2.5 / sqrt(25/12) = −sqrt(3); df = 6.
        let r = ttest_ind(
            &[1.0, 2.0, 3.0, 4.0],
            &[2.0, 4.0, 6.0, 8.0],
            true,
            Alternative::TwoSided,
        )
        .unwrap();
        assert!(close(r.result.statistic, -(3f64.sqrt()), 1e-14));
        assert_eq!(r.result.df, Some(6.0));
        assert!(close(r.std_error, (25.0f64 / 12.0).sqrt(), 1e-14));
        // Welch: se² = 5/12 + 20/12 = 25/12 (same), ν = (25/12)² / ((5/12)²/3 + (20/12)²/3)
        //      = 625 / (25/3 + 400/3) = 625·3/425 = 75/17.
        let w = ttest_ind(
            &[1.0, 2.0, 3.0, 4.0],
            &[2.0, 4.0, 6.0, 8.0],
            false,
            Alternative::TwoSided,
        )
        .unwrap();
        assert!(close(w.result.df.unwrap(), 75.0 / 17.0, 1e-14));
        assert!(close(w.result.statistic, -(3f64.sqrt()), 1e-14));
    }

    #[test]
    fn two_points_per_group_pvalue() {
        // a = [0, 2], b = [0, 2] + 2·sqrt(2)... simpler: df = 2, t = −sqrt(2)
        // has P(T ≤ t) = ½ − t/(2·sqrt(2 + t²)) at −t: ½ − sqrt2/(2·2) = ½ − sqrt2/4.
        // a = [0, 2] (mean 1, s² 2), b = [2, 4] (mean 3, s² 2): pooled s² = 2,
        // se² = 2·(1/2 + 1/2) = 2, t = −2/sqrt2 = −sqrt2, df = 2.
        let r = ttest_ind(&[0.0, 2.0], &[2.0, 4.0], true, Alternative::Less).unwrap();
        let want = 0.5 - 2f64.sqrt() / 4.0;
        assert!(close(r.result.pvalue, want, 1e-14));
    }

    #[test]
    fn interval_by_hand() {
        // df = 2, two-sided 95%: t_{0.975,2} = 4.302652729749464 (= sqrt(2/(0.05(2−0.05))) ·
        // ... closed form for ν = 2: t = (2p−1)/sqrt(2p(1−p)) at p = 0.975).
        let p: f64 = 0.975;
        let q = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
        let r = ttest_ind(&[0.0, 2.0], &[2.0, 4.0], true, Alternative::TwoSided).unwrap();
        let ci = r.confidence_interval(0.95).unwrap();
        assert!(close(ci.high, -2.0 + q * 2f64.sqrt(), 1e-13));
        assert!(close(ci.low, -2.0 - q * 2f64.sqrt(), 1e-13));
        let less = ttest_ind(&[0.0, 2.0], &[2.0, 4.0], true, Alternative::Less).unwrap();
        assert_eq!(
            less.confidence_interval(0.9).unwrap().low,
            f64::NEG_INFINITY
        );
        assert!(r.confidence_interval(1.0).is_err());
    }

    #[test]
    fn degenerate_cases_follow_scipy() {
        let r = ttest_ind(&[1.0], &[2.0], true, Alternative::TwoSided).unwrap();
        assert!(r.result.statistic.is_nan() && r.result.pvalue.is_nan());
        assert_eq!(r.result.df, Some(0.0));
        let r = ttest_ind(
            &[1.0, 1.0, 1.0],
            &[2.0, 2.0, 2.0],
            false,
            Alternative::TwoSided,
        )
        .unwrap();
        assert_eq!(r.result.statistic, f64::NEG_INFINITY);
        assert_eq!(r.result.pvalue, 0.0);
        assert_eq!(r.result.df, Some(1.0));
        let r = ttest_ind(&[1.0], &[2.0, 3.0, 5.0], false, Alternative::TwoSided).unwrap();
        assert!(r.result.statistic.is_nan() && r.result.df.unwrap().is_nan());
        // Pooled with a group of one: a contributes no variance.
        // b = [2, 3, 5]: mean 10/3, ss = 14/3, df = 2, s² = 7/3, se² = 7/3·(1 + 1/3) = 28/9,
        // t = (1 − 10/3)/sqrt(28/9) = −7/sqrt(28) = −sqrt(7)/2.
        let r = ttest_ind(&[1.0], &[2.0, 3.0, 5.0], true, Alternative::TwoSided).unwrap();
        assert!(close(r.result.statistic, -(7f64.sqrt()) / 2.0, 1e-14));
        assert!(ttest_ind(&[], &[1.0], true, Alternative::TwoSided).is_err());
        assert!(ttest_ind(&[f64::NAN, 1.0], &[1.0], true, Alternative::TwoSided).is_err());
    }

    #[test]
    fn from_stats_matches_samples() {
        let a = [1.0, 3.0, 4.0, 6.0, 11.0];
        let b = [2.0, 4.0, 6.0, 9.0];
        let ga = GroupStats::from_sample("a", &a).unwrap();
        let gb = GroupStats::from_sample("b", &b).unwrap();
        for eq in [true, false] {
            let x = ttest_ind(&a, &b, eq, Alternative::Greater).unwrap();
            let y = ttest_from_stats(&ga, &gb, eq, Alternative::Greater);
            assert!(close(x.result.statistic, y.result.statistic, 1e-13));
            assert!(close(x.result.pvalue, y.result.pvalue, 1e-13));
        }
        assert!(GroupStats::new(1.0, -1.0, 3).is_err());
        assert!(GroupStats::new(1.0, 1.0, 0).is_err());
    }

    #[test]
    fn levene_by_hand() {
        // a = [1, 2, 6] (mean 3): Z = [2, 1, 3], Z̄ = 2;  b = [0, 4] (mean 2): Z = [2, 2], Z̄ = 2.
        // Z̄ = 2; between = 0 → F = 0, p = 1.
        let r = levene(&[&[1.0, 2.0, 6.0], &[0.0, 4.0]], LeveneCenter::Mean).unwrap();
        assert_eq!(r.result.statistic, 0.0);
        assert_eq!(r.result.pvalue, 1.0);
        // Median-centred: a median 2: Z = [1, 0, 4], Z̄ = 5/3; b median 2: Z = [2, 2], Z̄ = 2.
        // Z̄ = (5 + 4)/5 = 9/5; between = 3(5/3 − 9/5)² + 2(2 − 9/5)² = 3·(2/15)² + 2·(1/5)²
        //     = 12/225 + 18/225 = 30/225 = 2/15;
        // within = (1−5/3)² + (5/3)² + (4−5/3)² = 4/9 + 25/9 + 49/9 = 78/9 = 26/3;
        // F = (5 − 2)·(2/15) / (1 · 26/3) = (2/5)/(26/3) = 6/130 = 3/65.
        let r = levene(&[&[1.0, 2.0, 6.0], &[0.0, 4.0]], LeveneCenter::Median).unwrap();
        assert!(close(r.result.statistic, 3.0 / 65.0, 1e-14));
        assert_eq!((r.df1, r.df2), (1.0, 3.0));
        assert!(levene(&[&[1.0, 2.0]], LeveneCenter::Mean).is_err());
        assert!("trimmed".parse::<LeveneCenter>().is_err());
    }

    #[test]
    fn results_round_trip_through_json() {
        // Two-sided: every number finite (JSON has no inf/NaN; a one-sided
        // interval's infinite end serializes as null and does not come back).
        let c = compare_means(
            &[1.0, 2.0, 4.0],
            &[2.0, 4.0, 7.0, 9.0],
            Alternative::TwoSided,
            0.9,
        )
        .unwrap();
        let text = serde_json::to_string(&c).unwrap();
        let back: CompareMeans = serde_json::from_str(&text).unwrap();
        assert_eq!(back, c);
        assert!(text.contains("\"two-sided\""));
    }

    #[test]
    fn compare_means_rows() {
        let c = compare_means(&[0.0, 2.0], &[2.0, 4.0], Alternative::TwoSided, 0.95).unwrap();
        assert!(c.pooled.equal_var && !c.welch.equal_var);
        assert_eq!(c.group1.n, 2);
        assert!(close(c.group1.se, 1.0, 1e-14)); // sd sqrt2 / sqrt2
                                                 // Z = [1, 1] in both groups: no spread at all, F = 0/0.
        assert!(c.levene.result.statistic.is_nan());
        assert!(compare_means(&[0.0, 2.0], &[2.0, 4.0], Alternative::TwoSided, 0.0).is_err());
    }
}
