//! Comparable groups: adjusting the thv/control comparison for the ways the
//! groups differ (issue 7).
//!
//! - [`matching`]: greedy nearest-neighbour matching on the logit of the
//!   propensity score (caliper, k:1, with or without replacement, exact
//!   strata), the matched effect with pair-cluster (Austin 2011) or
//!   Abadie–Imbens (2006) standard errors, standardized mean differences.
//! - [`aipw`]: the doubly robust (augmented inverse-probability-weighted)
//!   risk difference with its influence-function standard error and a
//!   seeded bootstrap.

pub mod aipw;
pub mod matching;
