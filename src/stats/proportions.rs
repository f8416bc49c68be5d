//! Proportions: Wilson, Clopper–Pearson, Agresti–Coull, Jeffreys and Wald
//! intervals for one proportion; two proportions (difference, risk ratio,
//! odds ratio, pooled z-test and the report's one-sided chi-square).
//!
//! References are statsmodels' `proportion_confint`,
//! `confint_proportions_2indep` and `proportions_ztest`; the exact conditional
//! odds-ratio interval is R's `fisher.test` (see [`super::fisher`]).

use super::fisher;
use super::saddlepoint::{beta_isf, beta_ppf};
use super::{
    check_level, normal_quantile, pvalue_chi2, Alternative, ConfidenceInterval, TestResult,
};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The interval methods of [`proportion_ci`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProportionCiMethod {
    /// Wilson score interval (statsmodels `"wilson"`).
    Wilson,
    /// Clopper–Pearson exact interval from beta quantiles (statsmodels `"beta"`).
    ClopperPearson,
    /// Agresti–Coull "add z²/2" interval (statsmodels `"agresti_coull"`).
    AgrestiCoull,
    /// Jeffreys interval: equal-tailed Beta(x+½, n−x+½) (statsmodels `"jeffreys"`).
    Jeffreys,
    /// Wald (normal approximation) interval, clipped to [0, 1] (statsmodels `"normal"`).
    Normal,
}

impl std::str::FromStr for ProportionCiMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "wilson" => Ok(Self::Wilson),
            "clopper-pearson" | "clopper_pearson" | "exact" | "beta" => Ok(Self::ClopperPearson),
            "agresti-coull" | "agresti_coull" => Ok(Self::AgrestiCoull),
            "jeffreys" => Ok(Self::Jeffreys),
            "normal" | "wald" => Ok(Self::Normal),
            other => Err(Error::InvalidArgument {
                name: "method",
                reason: format!(
                    "'{other}' is not one of 'wilson', 'clopper-pearson' (or 'exact'), \
                     'agresti-coull', 'jeffreys', 'normal' (or 'wald')"
                ),
            }),
        }
    }
}

/// Checks a count and its number of trials: whole numbers, `0 ≤ count ≤ nobs`, `nobs ≥ 1`.
pub(crate) fn check_count(
    count_name: &'static str,
    count: f64,
    nobs_name: &'static str,
    nobs: f64,
) -> Result<()> {
    let whole =
        |v: f64| v.is_finite() && v >= 0.0 && v == v.floor() && v < 9.007_199_254_740_992e15;
    if !whole(nobs) || nobs < 1.0 {
        return Err(Error::InvalidArgument {
            name: nobs_name,
            reason: format!("must be a whole number of at least 1, got {nobs}"),
        });
    }
    if !whole(count) {
        return Err(Error::InvalidArgument {
            name: count_name,
            reason: format!("must be a non-negative whole number, got {count}"),
        });
    }
    if count > nobs {
        return Err(Error::InvalidArgument {
            name: count_name,
            reason: format!("{count} exceeds {nobs_name} = {nobs}"),
        });
    }
    Ok(())
}

/// The critical value `z = Φ⁻¹(1 − α/2)` of a two-sided interval, computed in
/// the lower tail (`-Φ⁻¹(α/2)`) so small `α` keep their precision.
fn two_sided_z(level: f64) -> f64 {
    -normal_quantile((1.0 - level) / 2.0)
}

/// A confidence interval for a binomial proportion `count / nobs`.
///
/// Formulas (`q = x/n`, `z = Φ⁻¹(1 − α/2)`, `α = 1 − confidence_level`),
/// as statsmodels `proportion_confint` computes them:
///
/// ```text
/// wilson           (q + z²/2n)/(1 + z²/n) ∓ z·sqrt(q(1−q)/n + z²/4n²)/(1 + z²/n)
/// clopper-pearson  [B⁻¹(α/2; x, n−x+1), B⁻¹(1−α/2; x+1, n−x)]  (0 if x = 0, 1 if x = n)
/// agresti-coull    ñ = n + z², q̃ = (x + z²/2)/ñ:  q̃ ∓ z·sqrt(q̃(1−q̃)/ñ)
/// jeffreys         [B⁻¹(α/2; x+½, n−x+½), B⁻¹(1−α/2; x+½, n−x+½)]
/// normal (wald)    q ∓ z·sqrt(q(1−q)/n)
/// ```
///
/// Wilson, Agresti–Coull and normal limits are clipped to [0, 1] (as
/// statsmodels). At `x = 0` the Wilson lower limit is exactly 0 and at
/// `x = n` the upper limit exactly 1; statsmodels computes `center − dist`
/// there and may return rounding noise below 1e-16 instead. Jeffreys limits
/// are not forced to 0 or 1 at the edges (statsmodels does not either).
/// Beta quantiles are found by Brent's method on an incomplete beta function
/// with full relative precision (Loader's saddle-point prefactor).
///
/// # Errors
/// [`Error::InvalidArgument`] unless `nobs ≥ 1` and `count` are whole numbers
/// with `count ≤ nobs`, and `0 < confidence_level < 1`.
///
/// # Examples
/// ```
/// use huisverbod::stats::proportions::{proportion_ci, ProportionCiMethod};
/// let ci = proportion_ci(0.0, 10.0, ProportionCiMethod::ClopperPearson, 0.95).unwrap();
/// assert_eq!(ci.low, 0.0);
/// assert!((ci.high - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-12);
/// ```
///
/// # References
/// L. D. Brown, T. T. Cai, A. DasGupta (2001), Interval estimation for a
/// binomial proportion, *Statistical Science* 16, 101–133.
pub fn proportion_ci(
    count: f64,
    nobs: f64,
    method: ProportionCiMethod,
    confidence_level: f64,
) -> Result<ConfidenceInterval> {
    check_count("count", count, "nobs", nobs)?;
    check_level(confidence_level)?;
    let alpha2 = (1.0 - confidence_level) / 2.0;
    let q = count / nobs;
    let clip = |v: f64| v.clamp(0.0, 1.0);
    let (low, high) = match method {
        ProportionCiMethod::Normal => {
            let z = two_sided_z(confidence_level);
            let dist = z * (q * (1.0 - q) / nobs).sqrt();
            (clip(q - dist), clip(q + dist))
        }
        ProportionCiMethod::Wilson => {
            let z = two_sided_z(confidence_level);
            let z2 = z * z;
            let denom = 1.0 + z2 / nobs;
            let center = (q + z2 / (2.0 * nobs)) / denom;
            let dist = z * (q * (1.0 - q) / nobs + z2 / (4.0 * (nobs * nobs))).sqrt() / denom;
            let low = if count == 0.0 {
                0.0
            } else {
                clip(center - dist)
            };
            let high = if count == nobs {
                1.0
            } else {
                clip(center + dist)
            };
            (low, high)
        }
        ProportionCiMethod::AgrestiCoull => {
            let z = two_sided_z(confidence_level);
            let z2 = z * z;
            let nc = nobs + z2;
            let qc = (count + z2 / 2.0) / nc;
            let dist = z * (qc * (1.0 - qc) / nc).sqrt();
            (clip(qc - dist), clip(qc + dist))
        }
        ProportionCiMethod::ClopperPearson => {
            let low = if count == 0.0 {
                0.0
            } else {
                beta_ppf(alpha2, count, nobs - count + 1.0)
            };
            let high = if count == nobs {
                1.0
            } else {
                beta_isf(alpha2, count + 1.0, nobs - count)
            };
            (low, high)
        }
        ProportionCiMethod::Jeffreys => (
            beta_ppf(alpha2, count + 0.5, nobs - count + 0.5),
            beta_isf(alpha2, count + 0.5, nobs - count + 0.5),
        ),
    };
    Ok(ConfidenceInterval {
        low,
        high,
        level: confidence_level,
    })
}

/// An effect estimate with its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub estimate: f64,
    /// The two-sided interval.
    pub ci: ConfidenceInterval,
    /// How the interval was computed.
    pub method: String,
}

/// The comparison of two independent proportions `x1/n1` and `x2/n2`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoProportions {
    /// `x1 / n1`.
    pub p1: f64,
    /// `x2 / n2`.
    pub p2: f64,
    /// `p1 − p2` with the Newcombe hybrid-score interval.
    pub difference: Estimate,
    /// `p1 / p2` with the log (Katz) interval.
    pub risk_ratio: Estimate,
    /// The sample odds ratio `x1(n2−x2) / ((n1−x1)x2)` with the log (Woolf) interval.
    pub odds_ratio: Estimate,
    /// The conditional maximum-likelihood odds ratio with the exact
    /// conditional interval (R's `fisher.test`).
    pub odds_ratio_exact: Estimate,
    /// The pooled two-proportion z-test (signed z, `alternative`).
    pub ztest: TestResult,
    /// Pearson's chi-square (no continuity correction, df 1); for a one-sided
    /// `alternative` its p-value is the report's halved one (see [`two_proportions`]).
    pub chi2: TestResult,
}

/// Compares two independent proportions `x1/n1` and `x2/n2`.
///
/// ```text
/// difference   d = p1 − p2, Newcombe (1998) method 10, Wilson limits (lᵢ, uᵢ):
///              [d − sqrt((p1−l1)² + (u2−p2)²),  d + sqrt((p2−l2)² + (u1−p1)²)]
/// risk ratio   RR = p1/p2,  exp(ln RR ∓ z·sqrt(1/x1 − 1/n1 + 1/x2 − 1/n2))
/// odds ratio   OR = x1(n2−x2)/((n1−x1)x2),
///              exp(ln OR ∓ z·sqrt(1/x1 + 1/(n1−x1) + 1/x2 + 1/(n2−x2)))
/// z-test       z = (p1 − p2)/sqrt(p̄(1−p̄)(1/n1 + 1/n2)),  p̄ = (x1+x2)/(n1+n2)
///              computed as z = sign(D)·sqrt(D²N/(n1 n2 X (N−X))),
///              D = x1 n2 − x2 n1, X = x1 + x2, N = n1 + n2 (exact integers)
/// chi-square   χ² = z² (Pearson, uncorrected), df 1
/// ```
///
/// The intervals are two-sided at `confidence_level` whatever the
/// `alternative` (as statsmodels `confint_proportions_2indep`, methods
/// `"newcomb"`, `"log"`, `"logit"`); the exact conditional odds-ratio interval
/// is R's `fisher.test` two-sided interval. Risk-ratio and Woolf intervals
/// are `(NaN, NaN)` when a count they divide by is zero (statsmodels raises
/// `ZeroDivisionError`); the exact interval still exists.
///
/// The z-test is statsmodels `proportions_ztest([x1, x2], [n1, n2])` (pooled
/// variance), with `alternative` `Greater` meaning `p1 > p2`. When
/// `x1 + x2` is 0 or `n1 + n2` (no variation) z and both p-values are NaN.
///
/// The report's "one-sided chi-square" (`chi2`): SPSS has no one-sided
/// chi-square; the report's authors halved the two-sided Pearson p-value.
/// With `alternative` `Greater` the p-value is `p/2` when `p1 > p2` and
/// `1 − p/2` otherwise (`Less` mirrored); `TwoSided` gives the ordinary
/// chi-square p-value. It equals the one-sided z-test p-value (`χ² = z²`).
///
/// # Errors
/// [`Error::InvalidArgument`] unless `n1, n2 ≥ 1` and `x1, x2` are whole
/// numbers with `xᵢ ≤ nᵢ`, and `0 < confidence_level < 1`.
///
/// # Examples
/// ```
/// use huisverbod::stats::{proportions::two_proportions, Alternative};
/// let r = two_proportions(30.0, 105.0, 45.0, 104.0, Alternative::Less, 0.95).unwrap();
/// assert!(r.difference.estimate < 0.0);
/// assert!((r.chi2.statistic - r.ztest.statistic.powi(2)).abs() < 1e-12);
/// assert!(r.chi2.pvalue < 0.5);
/// ```
///
/// # References
/// R. G. Newcombe (1998), Interval estimation for the difference between
/// independent proportions, *Statistics in Medicine* 17, 873–890.
pub fn two_proportions(
    x1: f64,
    n1: f64,
    x2: f64,
    n2: f64,
    alternative: Alternative,
    confidence_level: f64,
) -> Result<TwoProportions> {
    check_count("x1", x1, "n1", n1)?;
    check_count("x2", x2, "n2", n2)?;
    check_level(confidence_level)?;
    let z = two_sided_z(confidence_level);
    let p1 = x1 / n1;
    let p2 = x2 / n2;
    let level = confidence_level;
    let ci = |low: f64, high: f64| ConfidenceInterval { low, high, level };

    // Difference: Newcombe's hybrid score interval from Wilson limits.
    let w1 = proportion_ci(x1, n1, ProportionCiMethod::Wilson, level)?;
    let w2 = proportion_ci(x2, n2, ProportionCiMethod::Wilson, level)?;
    let diff = p1 - p2;
    let d_low = ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt();
    let d_upp = ((p2 - w2.low).powi(2) + (w1.high - p1).powi(2)).sqrt();
    let difference = Estimate {
        estimate: diff,
        ci: ci(diff - d_low, diff + d_upp),
        method: "Newcombe hybrid score (Wilson)".into(),
    };

    // Risk ratio, log (Katz) interval.
    let rr = p1 / p2;
    let rr_ci = if x1 > 0.0 && x2 > 0.0 {
        let se = (1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2).sqrt();
        ci((rr.ln() - z * se).exp(), (rr.ln() + z * se).exp())
    } else {
        ci(f64::NAN, f64::NAN)
    };
    let risk_ratio = Estimate {
        estimate: rr,
        ci: rr_ci,
        method: "log (Katz)".into(),
    };

    // Odds ratio, log (Woolf) interval.
    let (a, b, c, d) = (x1, n1 - x1, x2, n2 - x2);
    let or = sample_odds_ratio(a, b, c, d);
    let or_ci = if a > 0.0 && b > 0.0 && c > 0.0 && d > 0.0 {
        let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
        ci((or.ln() - z * se).exp(), (or.ln() + z * se).exp())
    } else {
        ci(f64::NAN, f64::NAN)
    };
    let odds_ratio = Estimate {
        estimate: or,
        ci: or_ci,
        method: "log (Woolf)".into(),
    };

    // Exact conditional odds ratio.
    let t = [a as u64, b as u64, c as u64, d as u64];
    let cond = fisher::conditional_odds_ratio(t)?;
    let cond_ci = fisher::conditional_odds_ratio_ci(t, level, Alternative::TwoSided)?;
    let odds_ratio_exact = Estimate {
        estimate: cond,
        ci: cond_ci,
        method: "conditional MLE, exact conditional interval".into(),
    };

    // Pooled z-test and Pearson chi-square from exact integers.
    let (ix1, in1, ix2, in2) = (x1 as i128, n1 as i128, x2 as i128, n2 as i128);
    let dnum = ix1 * in2 - ix2 * in1;
    let tot = n1 + n2;
    let succ = x1 + x2;
    let chi2 = if succ == 0.0 || succ == tot {
        f64::NAN
    } else {
        let df = dnum as f64;
        df * df * tot / (n1 * n2 * succ * (tot - succ))
    };
    let zstat = if chi2.is_nan() {
        f64::NAN
    } else {
        chi2.sqrt().copysign(dnum as f64)
    };
    let p_two = pvalue_chi2(chi2, 1.0);
    let one_sided = |toward: bool| {
        if p_two.is_nan() {
            f64::NAN
        } else if dnum != 0 && toward {
            p_two / 2.0
        } else {
            1.0 - p_two / 2.0
        }
    };
    let p_dir = match alternative {
        Alternative::TwoSided => p_two,
        Alternative::Greater => one_sided(dnum > 0),
        Alternative::Less => one_sided(dnum < 0),
    };
    let ztest = TestResult {
        statistic: zstat,
        pvalue: p_dir,
        df: None,
        alternative,
        method: "pooled two-proportion z-test".into(),
    };
    let chi2_res = TestResult {
        statistic: chi2,
        pvalue: p_dir,
        df: Some(1.0),
        alternative,
        method: match alternative {
            Alternative::TwoSided => "Pearson chi-square".into(),
            _ => "Pearson chi-square, one-sided by halving the two-sided p (report convention)"
                .into(),
        },
    };
    Ok(TwoProportions {
        p1,
        p2,
        difference,
        risk_ratio,
        odds_ratio,
        odds_ratio_exact,
        ztest,
        chi2: chi2_res,
    })
}

/// The sample odds ratio `ad/(bc)` of `[[a, b], [c, d]]` as scipy's
/// `_sample_odds_ratio`: NaN when `bc = 0` and `ad = 0`, `inf` when only `bc = 0`.
pub(crate) fn sample_odds_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c > 0.0 && b > 0.0 {
        a * d / (c * b)
    } else if a == 0.0 || d == 0.0 {
        f64::NAN
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rtol: f64) -> bool {
        (a - b).abs() <= rtol * b.abs()
    }

    #[test]
    fn wald_and_wilson_by_hand() {
        // x = 5, n = 10, 95%: z = 1.959963984540054, q = 0.5.
        // Wald: 0.5 ∓ z·sqrt(0.025) = 0.5 ∓ 0.309897...
        let z = 1.959_963_984_540_054_f64;
        let ci = proportion_ci(5.0, 10.0, ProportionCiMethod::Normal, 0.95).unwrap();
        assert!(close(ci.low, 0.5 - z * 0.025f64.sqrt(), 1e-13));
        // Wilson is symmetric around 0.5 here: center 0.5,
        // half-width z·sqrt(0.025 + z²/400)/(1 + z²/10).
        let ci = proportion_ci(5.0, 10.0, ProportionCiMethod::Wilson, 0.95).unwrap();
        let hw = z * (0.025 + z * z / 400.0).sqrt() / (1.0 + z * z / 10.0);
        assert!(close(ci.high, 0.5 + hw, 1e-13));
        // Edges: Wilson at x = 0 starts at exactly 0.
        let ci = proportion_ci(0.0, 7.0, ProportionCiMethod::Wilson, 0.9).unwrap();
        assert_eq!(ci.low, 0.0);
    }

    #[test]
    fn clopper_pearson_closed_forms() {
        // x = n: lower limit (α/2)^(1/n); x = 0: upper limit 1 − (α/2)^(1/n).
        let ci = proportion_ci(4.0, 4.0, ProportionCiMethod::ClopperPearson, 0.95).unwrap();
        assert!(close(ci.low, 0.025f64.powf(0.25), 1e-12));
        assert_eq!(ci.high, 1.0);
        let ci = proportion_ci(0.0, 4.0, ProportionCiMethod::ClopperPearson, 0.95).unwrap();
        assert_eq!(ci.low, 0.0);
        assert!(close(ci.high, 1.0 - 0.025f64.powf(0.25), 1e-12));
    }

    #[test]
    fn bad_counts_are_named() {
        let e = proportion_ci(3.0, 2.0, ProportionCiMethod::Wilson, 0.95).unwrap_err();
        assert!(e.to_string().contains("count"));
        let e = proportion_ci(1.5, 2.0, ProportionCiMethod::Wilson, 0.95).unwrap_err();
        assert!(e.to_string().contains("whole"));
        assert!(proportion_ci(0.0, 0.0, ProportionCiMethod::Wilson, 0.95).is_err());
        assert!("agresti".parse::<ProportionCiMethod>().is_err());
        assert_eq!(
            "exact".parse::<ProportionCiMethod>().unwrap(),
            ProportionCiMethod::ClopperPearson
        );
    }

    #[test]
    fn two_proportions_by_hand() {
        // 10/20 vs 5/20: D = 10·20 − 5·20 = 100, N = 40, X = 15:
        // χ² = 100²·40/(20·20·15·25) = 400000/150000 = 8/3; z = +sqrt(8/3).
        let r = two_proportions(10.0, 20.0, 5.0, 20.0, Alternative::Greater, 0.95).unwrap();
        assert!(close(r.chi2.statistic, 8.0 / 3.0, 1e-14));
        assert!(close(r.ztest.statistic, (8.0f64 / 3.0).sqrt(), 1e-14));
        // The difference is in the expected direction: halved p.
        let p2 = pvalue_chi2(8.0 / 3.0, 1.0);
        assert!(close(r.chi2.pvalue, p2 / 2.0, 1e-14));
        let r = two_proportions(10.0, 20.0, 5.0, 20.0, Alternative::Less, 0.95).unwrap();
        assert!(close(r.chi2.pvalue, 1.0 - p2 / 2.0, 1e-14));
        // RR = 2, OR = (10·15)/(10·5) = 3.
        assert!(close(r.risk_ratio.estimate, 2.0, 1e-15));
        assert!(close(r.odds_ratio.estimate, 3.0, 1e-15));
        assert!(r.odds_ratio.ci.low < 3.0 && r.odds_ratio.ci.high > 3.0);
        // No variation: NaN tests, intervals still there.
        let r = two_proportions(0.0, 5.0, 0.0, 6.0, Alternative::TwoSided, 0.95).unwrap();
        assert!(r.ztest.pvalue.is_nan() && r.chi2.statistic.is_nan());
        assert!(r.difference.ci.low < 0.0 && r.difference.ci.high > 0.0);
        assert!(r.risk_ratio.ci.low.is_nan());
    }
}
