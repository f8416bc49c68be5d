//! Hypothesis tests, effect sizes, intervals, multiple testing, resampling and power.
//!
//! Conventions (scipy.stats and SPSS where they agree; differences are
//! documented per function):
//!
//! - Every test returns a [`TestResult`]: a signed `statistic`, a `pvalue`,
//!   `df` where a reference distribution has degrees of freedom, the
//!   [`Alternative`] tested and a `method` text.
//! - One-sided p-values follow the sign of the statistic: `Less` is the lower
//!   tail, `Greater` the upper tail; two-sided p-values are `2 · min(tail)`,
//!   capped at 1.
//! - p-values come from survival functions (`sf`), never `1 - cdf`, so small
//!   p-values keep their relative accuracy far into the tail.
//! - Intervals are [`ConfidenceInterval`]s at a `confidence_level` in (0, 1).
//!
//! Submodules hold one family of methods each.

pub mod contingency;
pub mod effect_size;
pub mod means;
pub mod multiple;
pub mod power;
pub mod proportions;
pub mod ranks;
pub mod resampling;
pub mod tdist;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// The alternative hypothesis, as scipy spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Alternative {
    /// The parameter differs from the null value in either direction.
    #[default]
    #[serde(rename = "two-sided")]
    TwoSided,
    /// The parameter is smaller than under the null (lower tail).
    #[serde(rename = "less")]
    Less,
    /// The parameter is larger than under the null (upper tail).
    #[serde(rename = "greater")]
    Greater,
}

impl Alternative {
    /// `two-sided`, `less` or `greater`.
    pub fn as_str(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two-sided",
            Alternative::Less => "less",
            Alternative::Greater => "greater",
        }
    }
}

impl std::str::FromStr for Alternative {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "two-sided" | "two_sided" | "two sided" => Ok(Alternative::TwoSided),
            "less" => Ok(Alternative::Less),
            "greater" => Ok(Alternative::Greater),
            other => Err(crate::Error::InvalidArgument {
                name: "alternative",
                reason: format!("'{other}' is not one of 'two-sided', 'less', 'greater'"),
            }),
        }
    }
}

/// A confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceInterval {
    /// Lower limit (may be `-inf` for one-sided intervals).
    pub low: f64,
    /// Upper limit (may be `inf`).
    pub high: f64,
    /// The confidence level, in (0, 1).
    pub level: f64,
}

/// The result of a hypothesis test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// The test statistic (signed where the test has a direction).
    pub statistic: f64,
    /// The p-value for `alternative`.
    pub pvalue: f64,
    /// Degrees of freedom of the reference distribution, where there is one.
    pub df: Option<f64>,
    /// The alternative hypothesis tested.
    pub alternative: Alternative,
    /// What was computed, e.g. "Pearson chi-square" or "Welch t-test".
    pub method: String,
}

/// Named numerical tolerances and limits.
pub mod prec {
    /// Relative tolerance for root finding of interval limits (well below the
    /// 1e-9 agreement the tests ask for).
    pub const ROOT_RTOL: f64 = 1e-13;
    /// Maximum iterations of a root finder before it reports failure.
    pub const ROOT_MAX_ITER: usize = 500;
}

/// Checks a confidence level.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] unless `0 < level < 1`.
pub fn check_level(level: f64) -> crate::Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(crate::Error::InvalidArgument {
            name: "confidence_level",
            reason: format!("must lie strictly between 0 and 1, got {level}"),
        })
    }
}

/// Checks that a sample is non-empty and finite.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] naming the argument.
pub fn check_sample(name: &'static str, x: &[f64]) -> crate::Result<()> {
    if x.is_empty() {
        return Err(crate::Error::InvalidArgument {
            name,
            reason: "is empty".into(),
        });
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(crate::Error::InvalidArgument {
            name,
            reason: format!("has a non-finite value {} at position {i}", x[i]),
        });
    }
    Ok(())
}

/// The p-value from the two tails of a reference distribution:
/// `cdf` = P(T ≤ t) and `sf` = P(T ≥ t) at the observed statistic.
pub fn pvalue_from_tails(cdf: f64, sf: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::Less => cdf,
        Alternative::Greater => sf,
        Alternative::TwoSided => (2.0 * cdf.min(sf)).min(1.0),
    }
}

/// p-value of a standard-normal statistic `z` (accurate normal tails from
/// [`tdist::normal_tails`], not statrs' erfc, which is off by ~4e-11 at z = 3).
pub fn pvalue_normal(z: f64, alternative: Alternative) -> f64 {
    tdist::pvalue_normal(z, alternative)
}

/// p-value of a Student-t statistic with `df` degrees of freedom (see
/// [`tdist::pvalue_t`]: accurate also for |t| near 0, where statrs returns 0.5).
pub fn pvalue_t(t: f64, df: f64, alternative: Alternative) -> f64 {
    tdist::pvalue_t(t, df, alternative)
}

/// Upper-tail p-value of a chi-square statistic with `df` degrees of freedom.
pub fn pvalue_chi2(x2: f64, df: f64) -> f64 {
    if x2.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    match ChiSquared::new(df) {
        Ok(d) => d.sf(x2.max(0.0)),
        Err(_) => f64::NAN,
    }
}

/// The standard normal distribution.
pub fn standard_normal() -> Normal {
    // Parameters 0 and 1 are always valid.
    Normal::standard()
}

/// The quantile `z` with P(Z ≤ z) = p of the standard normal distribution
/// (`p` in (0, 1); 0 and 1 give ∓inf).
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    tdist::normal_ppf(p)
}

/// statrs' standard normal quantile: the starting point that
/// [`tdist::normal_ppf`] polishes (about 1e-9 relative on its own).
pub(crate) fn normal_quantile_statrs(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    standard_normal().inverse_cdf(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_and_alternatives() {
        // z = 1.959963984540054 is the 97.5% point: two-sided p = 0.05.
        // (statrs' erfc is accurate to about 1e-11 relative here.)
        let z = 1.959_963_984_540_054;
        assert!((pvalue_normal(z, Alternative::TwoSided) / 0.05 - 1.0).abs() < 1e-10);
        assert!((pvalue_normal(z, Alternative::Greater) / 0.025 - 1.0).abs() < 1e-10);
        assert!((pvalue_normal(z, Alternative::Less) / 0.975 - 1.0).abs() < 1e-10);
        assert!((normal_quantile(0.975) - z).abs() < 1e-12);
        // chi-square with 1 df at z^2 has the two-sided normal p.
        assert!((pvalue_chi2(z * z, 1.0) / 0.05 - 1.0).abs() < 1e-10);
        assert!("sideways".parse::<Alternative>().is_err());
    }
}
