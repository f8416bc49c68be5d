//! E-values: how strong an unmeasured confounder would have to be to explain
//! an observed association away (VanderWeele & Ding 2017).
//!
//! The E-value is the minimum strength of association, on the risk-ratio
//! scale, that an unmeasured confounder would need with both the treatment
//! and the outcome, conditional on the measured covariates, to move the
//! estimate to the null (or to `true_value`):
//!
//! ```text
//! E(RR) = RR + √(RR·(RR − 1))          for RR ≥ 1; for RR < 1 use 1/RR
//! with a null value r₀ ≠ 1: RR/r₀ (or r₀/RR) in place of RR
//! interval: the limit nearer the null; E = 1 when the interval contains it
//!
//! conversions to the risk-ratio scale (VanderWeele & Ding 2017, Table 2):
//!   risk ratio, rate ratio        RR
//!   odds ratio, rare outcome      RR ≈ OR
//!   odds ratio, common (≥ 15%)    RR ≈ √OR
//!   hazard ratio, rare outcome    RR ≈ HR
//!   hazard ratio, common          RR ≈ (1 − 0.5^√HR) / (1 − 0.5^√(1/HR))
//!   standardised mean difference  RR ≈ exp(0.91·d)
//! ```
//!
//! These are the formulas of R's `EValue` package (`evalues.RR`, `evalues.OR`,
//! `evalues.HR`, `evalues.MD`).
//!
//! Reference: VanderWeele & Ding (2017), "Sensitivity analysis in
//! observational research: introducing the E-value", Ann. Intern. Med. 167,
//! 268–274; VanderWeele (2020), Am. J. Epidemiol. 189, 1–5 (rate ratios as
//! risk ratios).

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The scale of an estimate given to [`evalue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectMeasure {
    /// Risk ratio.
    RiskRatio,
    /// Rate ratio (treated as a risk ratio).
    RateRatio,
    /// Odds ratio.
    OddsRatio,
    /// Hazard ratio.
    HazardRatio,
    /// Standardised mean difference (Cohen's d).
    Smd,
}

impl std::str::FromStr for EffectMeasure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "RR" | "rr" | "risk ratio" | "risk_ratio" => Ok(EffectMeasure::RiskRatio),
            "rate ratio" | "rate_ratio" | "IRR" | "irr" => Ok(EffectMeasure::RateRatio),
            "OR" | "or" | "odds ratio" | "odds_ratio" => Ok(EffectMeasure::OddsRatio),
            "HR" | "hr" | "hazard ratio" | "hazard_ratio" => Ok(EffectMeasure::HazardRatio),
            "SMD" | "smd" | "d" => Ok(EffectMeasure::Smd),
            other => Err(Error::InvalidArgument {
                name: "measure",
                reason: format!("'{other}' is not one of 'RR', 'rate ratio', 'OR', 'HR', 'SMD'"),
            }),
        }
    }
}

impl EffectMeasure {
    /// `RR`, `rate ratio`, `OR`, `HR` or `SMD`.
    pub fn as_str(self) -> &'static str {
        match self {
            EffectMeasure::RiskRatio => "RR",
            EffectMeasure::RateRatio => "rate ratio",
            EffectMeasure::OddsRatio => "OR",
            EffectMeasure::HazardRatio => "HR",
            EffectMeasure::Smd => "SMD",
        }
    }
}

/// The E-values of an estimate and its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EValue {
    /// The scale of the input.
    pub measure: EffectMeasure,
    /// Whether the outcome was declared rare (< 15%).
    pub rare: bool,
    /// The estimate and interval on the risk-ratio scale.
    pub rr: [Option<f64>; 3],
    /// The null value on the risk-ratio scale.
    pub true_value: f64,
    /// E-value of the point estimate.
    pub point: f64,
    /// E-value of the interval limit nearer the null (1 when the interval
    /// contains it; `None` without an interval).
    pub limit: Option<f64>,
}

/// `RR + √(RR(RR − 1))` for `RR ≥ 1`.
fn threshold(rr: f64) -> f64 {
    rr + (rr * (rr - 1.0)).sqrt()
}

/// The E-value of `rr` against the null `r0` (both on the risk-ratio scale).
fn evalue_rr(rr: f64, r0: f64) -> f64 {
    if rr >= r0 {
        threshold(rr / r0)
    } else {
        threshold(r0 / rr)
    }
}

/// Converts an estimate to the risk-ratio scale.
fn to_rr(v: f64, measure: EffectMeasure, rare: bool) -> f64 {
    match (measure, rare) {
        (EffectMeasure::RiskRatio | EffectMeasure::RateRatio, _) => v,
        (EffectMeasure::OddsRatio | EffectMeasure::HazardRatio, true) => v,
        (EffectMeasure::OddsRatio, false) => v.sqrt(),
        (EffectMeasure::HazardRatio, false) => {
            (1.0 - 0.5f64.powf(v.sqrt())) / (1.0 - 0.5f64.powf((1.0 / v).sqrt()))
        }
        (EffectMeasure::Smd, _) => (0.91 * v).exp(),
    }
}

/// E-values of an estimate (and of its interval limit nearer the null).
///
/// `rare` matters for odds and hazard ratios only (outcome below 15% by the
/// end of follow-up). `true_value` is the null on the input's scale (1 for
/// ratios, 0 for an SMD).
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-positive or non-finite ratio, limits
/// that do not bracket the estimate, or an only-one-sided interval given in
/// the wrong order.
///
/// # Examples
/// ```
/// use huisverbod::causal::{evalue, EffectMeasure};
/// // VanderWeele & Ding (2017): RR 3.9 (95% CI 1.8 to 8.7) → E-values 7.26 and 3.0
/// let e = evalue(3.9, Some(1.8), Some(8.7), EffectMeasure::RiskRatio, false, 1.0)?;
/// assert!((e.point - (3.9 + (3.9f64 * 2.9).sqrt())).abs() < 1e-12);
/// assert!((e.limit.unwrap() - (1.8 + (1.8f64 * 0.8).sqrt())).abs() < 1e-12);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn evalue(
    estimate: f64,
    lo: Option<f64>,
    hi: Option<f64>,
    measure: EffectMeasure,
    rare: bool,
    true_value: f64,
) -> Result<EValue> {
    let is_ratio = measure != EffectMeasure::Smd;
    let check = |name: &'static str, v: f64| -> Result<()> {
        if !v.is_finite() || (is_ratio && v <= 0.0) {
            return Err(Error::InvalidArgument {
                name,
                reason: format!(
                    "must be {} for a {}, got {v}",
                    if is_ratio {
                        "positive and finite"
                    } else {
                        "finite"
                    },
                    measure.as_str()
                ),
            });
        }
        Ok(())
    };
    check("estimate", estimate)?;
    check("true", true_value)?;
    if let Some(l) = lo {
        check("lo", l)?;
        if l > estimate {
            return Err(Error::InvalidArgument {
                name: "lo",
                reason: format!("the lower limit {l} lies above the estimate {estimate}"),
            });
        }
    }
    if let Some(h) = hi {
        check("hi", h)?;
        if h < estimate {
            return Err(Error::InvalidArgument {
                name: "hi",
                reason: format!("the upper limit {h} lies below the estimate {estimate}"),
            });
        }
    }
    let conv = |v: f64| to_rr(v, measure, rare);
    let rr = conv(estimate);
    let r0 = conv(true_value);
    let point = evalue_rr(rr, r0);
    // the limit nearer the null
    let limit = match (lo, hi) {
        (None, None) => None,
        _ => {
            let (l, h) = (lo.map(conv), hi.map(conv));
            Some(if rr >= r0 {
                match l {
                    Some(l) if l > r0 => evalue_rr(l, r0),
                    Some(_) => 1.0,
                    None => {
                        return Err(Error::InvalidArgument {
                            name: "lo",
                            reason: "an estimate above the null needs the lower limit".into(),
                        })
                    }
                }
            } else {
                match h {
                    Some(h) if h < r0 => evalue_rr(h, r0),
                    Some(_) => 1.0,
                    None => {
                        return Err(Error::InvalidArgument {
                            name: "hi",
                            reason: "an estimate below the null needs the upper limit".into(),
                        })
                    }
                }
            })
        }
    };
    Ok(EValue {
        measure,
        rare,
        rr: [Some(rr), lo.map(conv), hi.map(conv)],
        true_value: r0,
        point,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protective_and_converted() {
        // RR 0.7 (0.5, 0.95): 1/0.7 = 1.4286 → 1.4286 + √(1.4286·0.4286)
        let e = evalue(
            0.7,
            Some(0.5),
            Some(0.95),
            EffectMeasure::RiskRatio,
            false,
            1.0,
        )
        .unwrap();
        let r: f64 = 1.0 / 0.7;
        assert!((e.point - (r + (r * (r - 1.0)).sqrt())).abs() < 1e-12);
        let r: f64 = 1.0 / 0.95;
        assert!((e.limit.unwrap() - (r + (r * (r - 1.0)).sqrt())).abs() < 1e-12);
        // interval containing 1
        let e = evalue(
            0.7,
            Some(0.4),
            Some(1.2),
            EffectMeasure::RiskRatio,
            false,
            1.0,
        )
        .unwrap();
        assert_eq!(e.limit, Some(1.0));
        // common OR 4 → RR 2 → 2 + √2
        let e = evalue(4.0, None, None, EffectMeasure::OddsRatio, false, 1.0).unwrap();
        assert!((e.point - (2.0 + 2f64.sqrt())).abs() < 1e-12);
        assert!(evalue(0.0, None, None, EffectMeasure::RiskRatio, false, 1.0).is_err());
        assert!(evalue(2.0, Some(2.5), None, EffectMeasure::RiskRatio, false, 1.0).is_err());
    }
}
