//! Comparable groups: balance diagnostics, propensity scores, inverse-
//! probability weighting and sensitivity to hidden bias (E-values).
//!
//! The report's central comparison (Table 5.1: 21% vs 30% of cases with a new
//! police-registered incident) rests on groups that differ before the order
//! (more threats and violence, more arrests and known offenders, fewer female
//! perpetrators in the restraining-order group; sections 2.5 and 5.2). This
//! module shows the imbalance ([`balance`]), models the probability of
//! treatment ([`propensity`]), reweights the groups to remove the measured
//! differences ([`weighting`]) and says how strong an unmeasured confounder
//! would have to be to explain an estimate away ([`evalue`]). [`matching`]
//! pairs the groups on the logit of the propensity score (caliper, k:1, with
//! or without replacement, exact strata) with pair-cluster (Austin 2011) or
//! Abadie–Imbens (2006) standard errors; [`aipw`] gives the doubly robust
//! risk difference with its influence-function standard error and a seeded
//! bootstrap.
//!
//! Treatment is coded `true` (restraining order, `thv`) / `false` (control).
//!
//! References: Rosenbaum & Rubin (1983), Biometrika 70, 41–55; Austin & Stuart
//! (2015), Stat. Med. 34, 3661–3679; Lunceford & Davidian (2004), Stat. Med.
//! 23, 2937–2960; VanderWeele & Ding (2017), Ann. Intern. Med. 167, 268–274.

pub mod aipw;
pub mod balance;
pub mod evalue;
pub mod matching;
pub mod propensity;
pub mod weighting;

pub use balance::{balance, BalanceRow};
pub use evalue::{evalue, EValue, EffectMeasure};
pub use propensity::{overlap, propensity, trim, Overlap, PropensityFit, TrimRule};
pub use weighting::{
    effective_sample_size, ipw_contrast, ipw_weights, IpwContrast, IpwWeights, PropensityDesign,
    WeightOptions,
};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The population an average effect refers to.
///
/// ```text
/// ATE = E[Y(1) − Y(0)]            (all cases)
/// ATT = E[Y(1) − Y(0) | T = 1]    (the restraining-order cases)
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Estimand {
    /// Average treatment effect in the whole population.
    #[default]
    #[serde(rename = "ATE")]
    Ate,
    /// Average treatment effect in the treated.
    #[serde(rename = "ATT")]
    Att,
}

impl Estimand {
    /// `ATE` or `ATT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Estimand::Ate => "ATE",
            Estimand::Att => "ATT",
        }
    }
}

impl std::str::FromStr for Estimand {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ATE" | "ate" => Ok(Estimand::Ate),
            "ATT" | "att" => Ok(Estimand::Att),
            other => Err(Error::InvalidArgument {
                name: "estimand",
                reason: format!("'{other}' is not one of 'ATE', 'ATT'"),
            }),
        }
    }
}

/// Checks a treatment indicator against the length `n` and that both groups
/// occur; returns `(n_treated, n_control)`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a wrong length or an empty group.
pub(crate) fn check_treatment(treat: &[bool], n: usize) -> Result<(usize, usize)> {
    if treat.len() != n {
        return Err(Error::InvalidArgument {
            name: "treatment",
            reason: format!("has length {}, expected {n}", treat.len()),
        });
    }
    let n1 = treat.iter().filter(|&&t| t).count();
    let n0 = n - n1;
    if n1 == 0 || n0 == 0 {
        return Err(Error::InvalidArgument {
            name: "treatment",
            reason: format!("needs cases in both groups; got {n1} treated and {n0} control cases"),
        });
    }
    Ok((n1, n0))
}
