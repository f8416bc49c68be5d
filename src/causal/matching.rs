//! Greedy nearest-neighbour matching on a distance (the logit of the
//! propensity score), with a caliper, k:1 ratios, with or without
//! replacement and within exact strata; the matched effect on the treated
//! (ATT) with standard errors that account for the matching.
//!
//! # Algorithm (reproducible to the pair)
//!
//! All units are ordered by `(distance, data position)` (a stable sort, as
//! MatchIt's `sort.list`). Treated units are visited in a fixed order:
//! `Largest` distance first (MatchIt's default for the ATT; ties in data
//! order), `Smallest` first, or `Data` order. Matching runs in `ratio`
//! rounds: in round `r` every treated unit (in that order) receives its
//! `r`-th control before any unit receives its `(r+1)`-th (MatchIt's rounds).
//! A treated unit takes the nearest *available* control of its exact stratum
//! on each side of it in the `(distance, position)` order; of the left one
//! `L` and the right one `R` it takes `L` when `|d_L − d_t| ≤ |d_R − d_t|`,
//! else `R` (so ties go to the smaller distance, and equal distances to the
//! unit that comes first in the data: MatchIt's `nn_matchC_vec` rule). The
//! chosen control must lie within the caliper, `|d_c − d_t| ≤ c`; otherwise
//! the treated unit gets no match in this round.
//!
//! Without replacement a control is used once ("available" = not yet used):
//! the nearest available neighbour on each side is found with two
//! union–find "next available" arrays over the sorted controls (path
//! halving), so matching n treated to m controls costs
//! `O((n + m) log(n + m))` for the sorts and near-constant time per match.
//! With replacement every control stays available; each treated unit takes
//! its `ratio` nearest controls by the same left/right rule, and the visiting
//! order does not matter (MatchIt then uses data order).
//!
//! The caliper is given in standard deviations of the distance:
//! `c = caliper · SD`, with `SD` the sample SD (n − 1) of the distance over
//! all units (MatchIt's `std.caliper = TRUE`, `CaliperScale::All`) or
//! Austin's (2011) pooled `√((s²_t + s²_c)/2)` (`CaliperScale::Pooled`), or
//! in distance units (`CaliperScale::Raw`). Austin recommends 0.2 SD of the
//! logit of the propensity score.
//!
//! # Weights
//!
//! ATT weights: a matched treated unit has weight 1; a control has
//! `w_j = Σ_{t matched to j} 1/k_t`, with `k_t` the number of controls of
//! treated unit `t`. The weighted control mean `Σ w_j y_j / N₁` is then the
//! mean over matched treated units of the mean of their controls. MatchIt
//! rescales control weights to sum to the number of matched controls: a
//! constant factor that changes no weighted mean.
//!
//! # The effect and its standard error
//!
//! `d_t = y_t − mean(y of t's controls)`, `τ̂ = (1/N₁) Σ_t d_t` (the ATT:
//! risk difference for a 0/1 outcome, mean difference otherwise).
//!
//! Without replacement (Austin 2011, matched-set analysis): the matched sets
//! are independent clusters, `SE = sd(d_t)/√N₁` (sd with N₁ − 1). For 1:1
//! pairs this is the paired t-test's standard error (`scipy.stats.ttest_rel`).
//!
//! With replacement (Abadie & Imbens 2006, Theorem 7, the ATT), with
//! `K_M(i)/M` generalised to the weight `w_i` so that treated units with
//! fewer than `ratio` matches (a caliper) are covered:
//!
//! ```text
//! V̂ = (1/N₁²) [ Σ_t (d_t − τ̂)²  +  Σ_{controls j} (w_j² − Σ_{t∋j} 1/k_t²) σ̂²_j ]
//! σ̂²_j = J/(J + 1) · (y_j − mean of y over the J controls nearest to j)²
//! ```
//!
//! (for a constant `k_t = M` the bracket is `K(K − 1)/M²`, AI's form). The
//! `J` nearest controls are found on the same distance and within the same
//! exact stratum (default `J = 2`, Stata's `teffects nnmatch` default
//! `vce(robust, nn(2))`). The variance treats the distance as known: it does
//! not carry Abadie & Imbens's (2016) adjustment for an estimated propensity
//! score.
//!
//! Intervals and p-values use the normal distribution.
//!
//! References: Austin (2011), Multivariate Behav. Res. 46, 399–424, and
//! Pharm. Stat. 10, 150–161 (caliper 0.2 SD of the logit); Abadie & Imbens
//! (2006), Econometrica 74, 235–267; Ho, Imai, King & Stuart (2011), MatchIt,
//! J. Stat. Softw. 42(8).

use crate::stats::accurate::{norm_ppf, norm_sf};
use crate::stats::ConfidenceInterval;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Share of unmatched treated units above which [`match_nearest`] adds a
/// warning (the caliper or the exact strata discard many treated units, and
/// the estimand drifts away from the ATT).
pub const UNMATCHED_WARN_SHARE: f64 = 0.05;

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// The order in which treated units choose their controls (without
/// replacement; with replacement the order does not matter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MatchOrder {
    /// Largest distance first (MatchIt's default for the ATT); ties in data order.
    #[default]
    Largest,
    /// Smallest distance first; ties in data order.
    Smallest,
    /// Data order.
    Data,
}

impl std::str::FromStr for MatchOrder {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "largest" => Ok(MatchOrder::Largest),
            "smallest" => Ok(MatchOrder::Smallest),
            "data" => Ok(MatchOrder::Data),
            other => Err(invalid(
                "order",
                format!("'{other}' is not one of 'largest', 'smallest', 'data'"),
            )),
        }
    }
}

/// The unit of the caliper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CaliperScale {
    /// SDs of the distance over all units (n − 1; MatchIt's `std.caliper`).
    #[default]
    All,
    /// SDs pooled over the groups, `√((s²_t + s²_c)/2)` (Austin 2011).
    Pooled,
    /// Distance units.
    Raw,
}

impl std::str::FromStr for CaliperScale {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "all" | "sd" => Ok(CaliperScale::All),
            "pooled" => Ok(CaliperScale::Pooled),
            "raw" | "none" => Ok(CaliperScale::Raw),
            other => Err(invalid(
                "caliper_scale",
                format!("'{other}' is not one of 'all', 'pooled', 'raw'"),
            )),
        }
    }
}

/// Options of [`match_nearest`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchOptions {
    /// Controls per treated unit (k of k:1), at least 1.
    pub ratio: usize,
    /// Whether a control may serve several treated units.
    pub replace: bool,
    /// The caliper in units of `caliper_scale`; `None` for no caliper.
    pub caliper: Option<f64>,
    /// The unit of the caliper.
    pub caliper_scale: CaliperScale,
    /// The visiting order of treated units.
    pub order: MatchOrder,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            ratio: 1,
            replace: false,
            caliper: Some(0.2),
            caliper_scale: CaliperScale::All,
            order: MatchOrder::Largest,
        }
    }
}

/// The result of [`match_nearest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// Treated unit (data position) of each match, in the order made.
    pub treated: Vec<usize>,
    /// Control unit of each match.
    pub control: Vec<usize>,
    /// Round (0-based: the control's rank for its treated unit) of each match.
    pub round: Vec<usize>,
    /// ATT weight of every unit (0 for unmatched units; see the module docs).
    pub weights: Vec<f64>,
    /// Number of controls matched to each unit (treated units; 0 for controls).
    pub n_matches: Vec<usize>,
    /// Treated units in the data.
    pub n_treated: usize,
    /// Control units in the data.
    pub n_control: usize,
    /// Treated units with at least one control.
    pub n_treated_matched: usize,
    /// Distinct controls used.
    pub n_control_matched: usize,
    /// The caliper in distance units (`None` without a caliper).
    pub caliper_width: Option<f64>,
    /// The options used.
    pub options: MatchOptions,
    /// Problems worth a warning (many unmatched treated units, few controls).
    pub warnings: Vec<String>,
}

impl Matching {
    /// Treated units without a match.
    pub fn n_treated_unmatched(&self) -> usize {
        self.n_treated - self.n_treated_matched
    }
}

/// Sample SD (n − 1) of the values at the selected positions.
fn sd_of(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let m = values.clone().sum::<f64>() / n;
    (values.map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Checks lengths, finiteness and both groups.
fn check_inputs(distance: &[f64], treated: &[bool], exact: Option<&[i64]>) -> Result<()> {
    let n = distance.len();
    if treated.len() != n {
        return Err(invalid(
            "treatment",
            format!("has length {}, the distance has {n}", treated.len()),
        ));
    }
    if let Some(e) = exact {
        if e.len() != n {
            return Err(invalid(
                "exact",
                format!("has length {}, the distance has {n}", e.len()),
            ));
        }
    }
    if let Some(i) = distance.iter().position(|v| !v.is_finite()) {
        return Err(invalid(
            "distance",
            format!(
                "has the non-finite value {} at position {i} (a propensity score of 0 or 1 has no logit: \
                 the propensity model separates the groups; drop or coarsen the covariate that does it)",
                distance[i]
            ),
        ));
    }
    let n1 = treated.iter().filter(|&&t| t).count();
    if n1 == 0 || n1 == n {
        return Err(invalid(
            "treatment",
            format!(
                "needs treated and control units; got {n1} treated of {n} (check the coding of the treatment)"
            ),
        ));
    }
    Ok(())
}

/// Union–find "next available position" over `0..=m` (position `m` is a
/// sentinel that is always available): `find(j)` is the smallest available
/// position `≥ j`.
struct NextFree {
    parent: Vec<u32>,
}

impl NextFree {
    fn new(m: usize) -> Self {
        NextFree {
            parent: (0..=m as u32).collect(),
        }
    }
    #[inline]
    fn find(&mut self, mut j: usize) -> usize {
        while self.parent[j] as usize != j {
            let g = self.parent[self.parent[j] as usize];
            self.parent[j] = g;
            j = g as usize;
        }
        j
    }
    /// Marks `j` used (`j < m`).
    #[inline]
    fn remove(&mut self, j: usize) {
        self.parent[j] = (j + 1) as u32;
    }
}

/// Controls sorted by (stratum, distance, position) and per-treated search
/// positions.
struct Sorted {
    /// Control data positions in sorted order.
    ctrl: Vec<usize>,
    /// Their distances.
    dist: Vec<f64>,
    /// For each treated unit (by data position, via `tpos`): the stratum
    /// segment `[lo, hi)` and the insertion point `p` (first control after
    /// the treated unit in the `(distance, position)` order).
    seg: Vec<(u32, u32, u32)>,
}

fn sort_controls(
    distance: &[f64],
    treated: &[bool],
    exact: Option<&[i64]>,
    tunits: &[usize],
) -> Sorted {
    let stratum = |i: usize| exact.map_or(0, |e| e[i]);
    let mut ctrl: Vec<usize> = (0..distance.len()).filter(|&i| !treated[i]).collect();
    ctrl.sort_unstable_by(|&a, &b| {
        stratum(a)
            .cmp(&stratum(b))
            .then(distance[a].total_cmp(&distance[b]))
            .then(a.cmp(&b))
    });
    let dist: Vec<f64> = ctrl.iter().map(|&i| distance[i]).collect();
    let strat: Vec<i64> = ctrl.iter().map(|&i| stratum(i)).collect();
    let seg = tunits
        .iter()
        .map(|&t| {
            let s = stratum(t);
            let lo = strat.partition_point(|&x| x < s);
            let hi = strat.partition_point(|&x| x <= s);
            let d = distance[t];
            let p = lo
                + ctrl[lo..hi].partition_point(|&c| {
                    let dc = distance[c];
                    dc < d || (dc == d && c < t)
                });
            (lo as u32, hi as u32, p as u32)
        })
        .collect();
    Sorted { ctrl, dist, seg }
}

/// Greedy nearest-neighbour matching of treated to control units on
/// `distance` (see the module docs for the exact algorithm).
///
/// `exact` holds a stratum code per unit: units match only within their
/// stratum.
///
/// # Errors
/// [`Error::InvalidArgument`] for mismatched lengths, a non-finite distance
/// (naming the position), a treatment without both groups, `ratio = 0`, a
/// negative or non-finite caliper, and when no treated unit finds a control
/// (the message gives the caliper and what to try).
///
/// # Examples
/// ```
/// use huisverbod::causal::matching::{match_nearest, MatchOptions};
/// let d = [0.0, 1.0, 0.1, 0.9, 3.0];
/// let t = [true, true, false, false, false];
/// let m = match_nearest(&d, &t, None, &MatchOptions { caliper: None, ..Default::default() })?;
/// // largest first: unit 1 (1.0) takes unit 3 (0.9), then unit 0 takes unit 2.
/// assert_eq!((m.treated.clone(), m.control.clone()), (vec![1, 0], vec![3, 2]));
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn match_nearest(
    distance: &[f64],
    treated: &[bool],
    exact: Option<&[i64]>,
    opts: &MatchOptions,
) -> Result<Matching> {
    check_inputs(distance, treated, exact)?;
    if opts.ratio == 0 {
        return Err(invalid("ratio", "must be at least 1"));
    }
    let n = distance.len();
    let width = match opts.caliper {
        None => None,
        Some(c) if !(c.is_finite() && c >= 0.0) => {
            return Err(invalid(
                "caliper",
                format!("must be a non-negative number of SDs, got {c}"),
            ))
        }
        Some(c) => {
            let sd = match opts.caliper_scale {
                CaliperScale::Raw => 1.0,
                CaliperScale::All => sd_of(distance.iter().copied()),
                CaliperScale::Pooled => {
                    let s1 = sd_of((0..n).filter(|&i| treated[i]).map(|i| distance[i]));
                    let s0 = sd_of((0..n).filter(|&i| !treated[i]).map(|i| distance[i]));
                    ((s1 * s1 + s0 * s0) / 2.0).sqrt()
                }
            };
            Some(c * if sd.is_finite() { sd } else { 0.0 })
        }
    };
    // Visiting order of the treated units.
    let mut tunits: Vec<usize> = (0..n).filter(|&i| treated[i]).collect();
    if !opts.replace {
        match opts.order {
            MatchOrder::Data => {}
            MatchOrder::Largest => {
                tunits.sort_by(|&a, &b| distance[b].total_cmp(&distance[a]).then(a.cmp(&b)))
            }
            MatchOrder::Smallest => {
                tunits.sort_by(|&a, &b| distance[a].total_cmp(&distance[b]).then(a.cmp(&b)))
            }
        }
    }
    let s = sort_controls(distance, treated, exact, &tunits);
    let m = s.ctrl.len();
    let within = |dt: f64, dc: f64| width.is_none_or(|w| (dc - dt).abs() <= w);
    let mut out_t = Vec::new();
    let mut out_c = Vec::new();
    let mut out_r = Vec::new();
    if opts.replace {
        for (k, &t) in tunits.iter().enumerate() {
            let (lo, hi, p) = s.seg[k];
            let (lo, hi) = (lo as usize, hi as usize);
            let dt = distance[t];
            // Next candidates: left at l − 1 (if l > lo), right at r (if r < hi).
            let (mut l, mut r) = (p as usize, p as usize);
            for round in 0..opts.ratio {
                let left = (l > lo).then(|| s.dist[l - 1]);
                let right = (r < hi).then(|| s.dist[r]);
                let take_left = match (left, right) {
                    (Some(a), Some(b)) => (dt - a).abs() <= (b - dt).abs(),
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                let pos = if take_left { l - 1 } else { r };
                if !within(dt, s.dist[pos]) {
                    break;
                }
                if take_left {
                    l -= 1;
                } else {
                    r += 1;
                }
                out_t.push(t);
                out_c.push(s.ctrl[pos]);
                out_r.push(round);
            }
        }
    } else {
        // right.find(j): smallest available ≥ j (m = none);
        // left.find(m − 1 − j) mirrors it: largest available ≤ j.
        let mut right = NextFree::new(m);
        let mut left = NextFree::new(m);
        let mut done = vec![false; tunits.len()];
        let mut remaining = m;
        'rounds: for round in 0..opts.ratio {
            for (k, &t) in tunits.iter().enumerate() {
                if remaining == 0 {
                    break 'rounds;
                }
                if done[k] {
                    continue;
                }
                let (lo, hi, p) = s.seg[k];
                let (lo, hi, p) = (lo as usize, hi as usize, p as usize);
                let dt = distance[t];
                let rpos = right.find(p);
                let rpos = (rpos < hi).then_some(rpos);
                let lpos = if p > lo {
                    let q = left.find(m - p); // mirror of p − 1
                    (q < m && m - 1 - q >= lo).then(|| m - 1 - q)
                } else {
                    None
                };
                let pos = match (lpos, rpos) {
                    (Some(a), Some(b)) => {
                        if (dt - s.dist[a]).abs() <= (s.dist[b] - dt).abs() {
                            a
                        } else {
                            b
                        }
                    }
                    (Some(a), None) => a,
                    (None, Some(b)) => b,
                    (None, None) => {
                        done[k] = true;
                        continue;
                    }
                };
                if !within(dt, s.dist[pos]) {
                    // The nearest available control only gets further away.
                    done[k] = true;
                    continue;
                }
                right.remove(pos);
                left.remove(m - 1 - pos);
                remaining -= 1;
                out_t.push(t);
                out_c.push(s.ctrl[pos]);
                out_r.push(round);
            }
        }
    }
    let mut n_matches = vec![0usize; n];
    for &t in &out_t {
        n_matches[t] += 1;
    }
    let mut weights = vec![0.0; n];
    for (&t, &c) in out_t.iter().zip(&out_c) {
        weights[t] = 1.0;
        weights[c] += 1.0 / n_matches[t] as f64;
    }
    let n_treated = tunits.len();
    let n_control = m;
    let n_treated_matched = (0..n).filter(|&i| treated[i] && n_matches[i] > 0).count();
    let n_control_matched = (0..n).filter(|&i| !treated[i] && weights[i] > 0.0).count();
    let caliper_text = match (opts.caliper, width) {
        (Some(c), Some(w)) => format!("the caliper of {c} SD (= {w:.6} on the logit scale)"),
        _ => "no caliper".to_string(),
    };
    if n_treated_matched == 0 {
        return Err(invalid(
            "caliper",
            format!(
                "no treated unit found a control within {caliper_text}{}; widen the caliper \
                 (caliper=None for none), drop exact-matching variables, or check the overlap of the propensity scores",
                if exact.is_some() { " and its exact stratum" } else { "" }
            ),
        ));
    }
    let mut warnings = Vec::new();
    let unmatched = n_treated - n_treated_matched;
    if unmatched as f64 > UNMATCHED_WARN_SHARE * n_treated as f64 {
        // Why: no control of the stratum within the caliper at all, or the
        // ones within reach were taken by other treated units.
        let reachable = tunits
            .iter()
            .zip(&s.seg)
            .filter(|(&t, &(lo, hi, p))| {
                let (lo, hi, p) = (lo as usize, hi as usize, p as usize);
                n_matches[t] == 0
                    && ((p > lo && within(distance[t], s.dist[p - 1]))
                        || (p < hi && within(distance[t], s.dist[p])))
            })
            .count();
        let stratum = if exact.is_some() {
            " of their exact stratum"
        } else {
            ""
        };
        let why = if reachable > 0 {
            format!(
                "{} have no control{stratum} within {caliper_text}, {reachable} lost the controls within reach to other treated units (without replacement; fewer controls than treated units nearby)",
                unmatched - reachable
            )
        } else {
            format!("they have no control{stratum} within {caliper_text}")
        };
        warnings.push(format!(
            "{unmatched} of {n_treated} treated units ({:.1}%) got no match: {why}. \
             The effect is estimated for the matched treated units only (not the ATT of all treated); \
             widen the caliper or match with replacement to keep more",
            100.0 * unmatched as f64 / n_treated as f64,
        ));
    }
    let short = (0..n)
        .filter(|&i| treated[i] && n_matches[i] > 0 && n_matches[i] < opts.ratio)
        .count();
    if opts.ratio > 1 && short > 0 {
        warnings.push(format!(
            "{short} matched treated units received fewer than {} controls",
            opts.ratio
        ));
    }
    Ok(Matching {
        treated: out_t,
        control: out_c,
        round: out_r,
        weights,
        n_matches,
        n_treated,
        n_control,
        n_treated_matched,
        n_control_matched,
        caliper_width: width,
        options: *opts,
        warnings,
    })
}

/// Normal-theory inference for an estimate with a standard error:
/// `z = est/se`, two-sided `p = 2·Φ(−|z|)`, interval `est ∓ Φ⁻¹((1 + level)/2)·se`.
/// A NaN estimate or standard error gives a NaN p-value (not 1: `f64::min`
/// would drop the NaN).
pub(crate) fn normal_inference(est: f64, se: f64, level: f64) -> (f64, f64, ConfidenceInterval) {
    let z = est / se;
    let q = norm_ppf(0.5 + level / 2.0);
    let p = if z.is_nan() {
        f64::NAN
    } else {
        (2.0 * norm_sf(z.abs())).min(1.0)
    };
    (
        z,
        p,
        ConfidenceInterval {
            low: est - q * se,
            high: est + q * se,
            level,
        },
    )
}

/// The matched effect on the treated (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchedEffect {
    /// τ̂: the mean over matched treated units of `y_t − mean(y of its controls)`.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// `τ̂ / SE`.
    pub statistic: f64,
    /// Two-sided normal p-value.
    pub pvalue: f64,
    /// Normal interval `τ̂ ∓ z·SE`.
    pub confidence_interval: ConfidenceInterval,
    /// Mean outcome of the matched treated units.
    pub mean_treated: f64,
    /// Weighted mean outcome of the matched controls.
    pub mean_control: f64,
    /// Matched treated units (matched sets).
    pub n_sets: usize,
    /// `pair_cluster` (without replacement) or `abadie_imbens` (with).
    pub variance: String,
    /// J of the Abadie–Imbens conditional-variance estimate (0 without replacement).
    pub variance_neighbours: usize,
}

/// Per-set differences `d_t` and controls' `Σ_{t∋j} 1/k_t²`.
fn set_differences(m: &Matching, y: &[f64]) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
    let n = y.len();
    let mut ctrl_sum = vec![0.0; n];
    for (&t, &c) in m.treated.iter().zip(&m.control) {
        ctrl_sum[t] += y[c];
    }
    let sets: Vec<usize> = (0..n).filter(|&i| m.n_matches[i] > 0).collect();
    let d = sets
        .iter()
        .map(|&t| y[t] - ctrl_sum[t] / m.n_matches[t] as f64)
        .collect();
    let mut inv_k2 = vec![0.0; n];
    for (&t, &c) in m.treated.iter().zip(&m.control) {
        let k = m.n_matches[t] as f64;
        inv_k2[c] += 1.0 / (k * k);
    }
    (sets, d, inv_k2)
}

/// The effect on the treated among the matched, with the pair-cluster
/// standard error (without replacement) or the Abadie–Imbens one (with
/// replacement, `j_neighbours` = J ≥ 1).
///
/// `distance`, `treated` and `exact` must be those given to
/// [`match_nearest`]; `y` is the outcome of every unit.
///
/// # Errors
/// [`Error::InvalidArgument`] for mismatched lengths, a non-finite outcome
/// (naming the position), `j_neighbours = 0` with replacement, or a level
/// outside (0, 1).
pub fn matched_effect(
    m: &Matching,
    y: &[f64],
    distance: &[f64],
    treated: &[bool],
    exact: Option<&[i64]>,
    j_neighbours: usize,
    confidence_level: f64,
) -> Result<MatchedEffect> {
    let n = m.weights.len();
    if y.len() != n || distance.len() != n || treated.len() != n {
        return Err(invalid(
            "outcome",
            format!("has length {}, the matching has {n} units", y.len()),
        ));
    }
    if !(confidence_level > 0.0 && confidence_level < 1.0) {
        return Err(invalid(
            "confidence_level",
            format!("must lie in (0, 1), got {confidence_level}"),
        ));
    }
    if let Some(i) = (0..n).find(|&i| m.weights[i] > 0.0 && !y[i].is_finite()) {
        return Err(invalid(
            "outcome",
            format!(
                "has the non-finite value {} at position {i} (a matched unit)",
                y[i]
            ),
        ));
    }
    let (sets, d, inv_k2) = set_differences(m, y);
    let n1 = sets.len() as f64;
    let tau = d.iter().sum::<f64>() / n1;
    let mean_treated = sets.iter().map(|&t| y[t]).sum::<f64>() / n1;
    let ss: f64 = d.iter().map(|v| (v - tau) * (v - tau)).sum();
    let (se, variance, j) = if !m.options.replace {
        ((ss / (n1 - 1.0)).sqrt() / n1.sqrt(), "pair_cluster", 0)
    } else {
        if j_neighbours == 0 {
            return Err(invalid("variance_neighbours", "must be at least 1"));
        }
        let sigma2 = control_variances(y, distance, treated, exact, &m.weights, j_neighbours);
        let mut extra = 0.0;
        for c in 0..n {
            if !treated[c] && m.weights[c] > 0.0 {
                extra += (m.weights[c] * m.weights[c] - inv_k2[c]) * sigma2[c];
            }
        }
        ((ss + extra).sqrt() / n1, "abadie_imbens", j_neighbours)
    };
    let (statistic, pvalue, confidence_interval) = normal_inference(tau, se, confidence_level);
    Ok(MatchedEffect {
        estimate: tau,
        se,
        statistic,
        pvalue,
        confidence_interval,
        mean_treated,
        mean_control: mean_treated - tau,
        n_sets: sets.len(),
        variance: variance.to_string(),
        variance_neighbours: j,
    })
}

/// `σ̂²_j = J/(J+1)·(y_j − ȳ of the J nearest other controls)²` for the
/// controls with positive weight; the nearest are taken by the left/right
/// rule of the matching, within the exact stratum (fewer than J when the
/// stratum is small; NaN when the control is alone in it).
fn control_variances(
    y: &[f64],
    distance: &[f64],
    treated: &[bool],
    exact: Option<&[i64]>,
    weights: &[f64],
    j: usize,
) -> Vec<f64> {
    let n = y.len();
    let stratum = |i: usize| exact.map_or(0, |e| e[i]);
    let mut ctrl: Vec<usize> = (0..n).filter(|&i| !treated[i]).collect();
    ctrl.sort_unstable_by(|&a, &b| {
        stratum(a)
            .cmp(&stratum(b))
            .then(distance[a].total_cmp(&distance[b]))
            .then(a.cmp(&b))
    });
    let mut out = vec![0.0; n];
    let mut lo = 0;
    while lo < ctrl.len() {
        let s = stratum(ctrl[lo]);
        let mut hi = lo;
        while hi < ctrl.len() && stratum(ctrl[hi]) == s {
            hi += 1;
        }
        for pos in lo..hi {
            let c = ctrl[pos];
            if weights[c] <= 0.0 {
                continue;
            }
            let dc = distance[c];
            let (mut l, mut r) = (pos, pos + 1);
            let (mut sum, mut k) = (0.0, 0usize);
            while k < j {
                let left = (l > lo).then(|| distance[ctrl[l - 1]]);
                let right = (r < hi).then(|| distance[ctrl[r]]);
                let take_left = match (left, right) {
                    (Some(a), Some(b)) => (dc - a).abs() <= (b - dc).abs(),
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                if take_left {
                    l -= 1;
                    sum += y[ctrl[l]];
                } else {
                    sum += y[ctrl[r]];
                    r += 1;
                }
                k += 1;
            }
            out[c] = if k == 0 {
                f64::NAN
            } else {
                let kf = k as f64;
                let e = y[c] - sum / kf;
                kf / (kf + 1.0) * e * e
            };
        }
        lo = hi;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn nan_standard_error_gives_nan_pvalue() {
        // f64::min(NaN, 1.0) is 1.0: a NaN SE must not become p = 1
        let (z, p, ci) = super::normal_inference(0.3, f64::NAN, 0.95);
        assert!(z.is_nan() && p.is_nan() && ci.low.is_nan() && ci.high.is_nan());
        // a finite case against hand arithmetic: z = 1.96/1 → p ≈ 0.05
        let (_, p, _) = super::normal_inference(1.959963984540054, 1.0, 0.95);
        assert!((p - 0.05).abs() < 1e-12, "{p}");
    }

    use super::*;

    fn opts(ratio: usize, replace: bool, caliper: Option<f64>) -> MatchOptions {
        MatchOptions {
            ratio,
            replace,
            caliper,
            caliper_scale: CaliperScale::Raw,
            order: MatchOrder::Largest,
        }
    }

    #[test]
    fn hand_worked_greedy() {
        // Treated distances: t0 = 0.50 (pos 0), t1 = 0.55 (pos 1), t2 = 2.0 (pos 2).
        // Controls: c3 = 0.52, c4 = 0.60, c5 = 0.40, c6 = 1.0.
        // Largest first: t2 (2.0): nearest is c6 (1.0, |Δ| 1.0) but caliper 0.3 → none.
        // t1 (0.55): left c3 (0.52, Δ .03), right c4 (0.60, Δ .05) → c3.
        // t0 (0.50): left c5 (0.40, Δ .10), right c4 (0.60, Δ .10; c3 used):
        //   tie → left → c5.
        let d = [0.5, 0.55, 2.0, 0.52, 0.60, 0.40, 1.0];
        let t = [true, true, true, false, false, false, false];
        let m = match_nearest(&d, &t, None, &opts(1, false, Some(0.3))).unwrap();
        assert_eq!(m.treated, vec![1, 0]);
        assert_eq!(m.control, vec![3, 5]);
        assert_eq!(m.n_treated_unmatched(), 1);
        assert_eq!(m.warnings.len(), 1);
        // 2:1 without caliper: round 0: t2→c6, t1→c3, t0→c5;
        // round 1: t2 → c4 (0.60; the only one left).
        let m = match_nearest(&d, &t, None, &opts(2, false, None)).unwrap();
        assert_eq!(m.treated, vec![2, 1, 0, 2]);
        assert_eq!(m.control, vec![6, 3, 5, 4]);
        assert_eq!(m.weights, vec![1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 0.5]);
        // With replacement, 1:1: t0 → c3 (Δ .02), t1 → c3 (Δ .03), t2 → c6.
        let m = match_nearest(&d, &t, None, &opts(1, true, None)).unwrap();
        assert_eq!(m.treated, vec![0, 1, 2]);
        assert_eq!(m.control, vec![3, 3, 6]);
        assert_eq!(m.weights[3], 2.0);
    }

    #[test]
    fn exact_strata_and_errors() {
        let d = [0.5, 0.5, 0.51, 0.9];
        let t = [true, true, false, false];
        let ex = [1i64, 2, 2, 1];
        // t0 (stratum 1) can only take c3; t1 (stratum 2) takes c2.
        let m = match_nearest(&d, &t, Some(&ex), &opts(1, false, None)).unwrap();
        let mut pairs: Vec<(usize, usize)> = m
            .treated
            .iter()
            .copied()
            .zip(m.control.iter().copied())
            .collect();
        pairs.sort();
        assert_eq!(pairs, vec![(0, 3), (1, 2)]);
        let e = match_nearest(&d, &t, None, &opts(1, false, Some(0.0))).unwrap_err();
        assert!(
            e.to_string().contains("no treated unit found a control"),
            "{e}"
        );
        assert!(match_nearest(
            &[0.0, f64::NAN],
            &[true, false],
            None,
            &opts(1, false, None)
        )
        .is_err());
        assert!(match_nearest(&[0.0, 1.0], &[true, true], None, &opts(1, false, None)).is_err());
    }

    #[test]
    fn effect_pairs_by_hand() {
        // Pairs (t, c): y_t − y_c = 1 − 0 = 1, 1 − 1 = 0, 0 − 0 = 0 → τ = 1/3;
        // sd of (1, 0, 0) = √(1/3) → SE = √(1/3)/√3 = 1/3.
        let d = [0.0, 1.0, 2.0, 0.01, 1.01, 2.01];
        let t = [true, true, true, false, false, false];
        let y = [1.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        let m = match_nearest(&d, &t, None, &opts(1, false, None)).unwrap();
        let e = matched_effect(&m, &y, &d, &t, None, 2, 0.95).unwrap();
        assert!((e.estimate - 1.0 / 3.0).abs() < 1e-15);
        assert!((e.se - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn abadie_imbens_by_hand() {
        // Controls at 0, 1, 2 with y = 0, 1, 3; treated at 0.1 and 0.2 (both
        // take the control at 0, y = 0) and 1.9 (takes 2, y = 3).
        // y_t = 1, 2, 3 → d = 1, 2, 0; τ = 1; Σ(d − τ)² = 0 + 1 + 1 = 2.
        // w(c0) = 2, Σ1/k² = 2 → w² − Σ1/k² = 2; w(c2) = 1 → 0.
        // σ̂²(c0) with J = 1: nearest other control is c1 (y 1): ½(0 − 1)² = ½.
        // V = (2 + 2·½)/9 = 1/3.
        let d = [0.1, 0.2, 1.9, 0.0, 1.0, 2.0];
        let t = [true, true, true, false, false, false];
        let y = [1.0, 2.0, 3.0, 0.0, 1.0, 3.0];
        let m = match_nearest(&d, &t, None, &opts(1, true, None)).unwrap();
        assert_eq!(m.control, vec![3, 3, 5]);
        let e = matched_effect(&m, &y, &d, &t, None, 1, 0.95).unwrap();
        assert!((e.estimate - 1.0).abs() < 1e-15);
        assert!((e.se - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }
}
