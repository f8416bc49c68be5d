//! Survival analysis of the time to the first new incident.
//!
//! The report averages "days until the first new incident" over the cases
//! that had one, which ignores every case still without a new incident at
//! the end of its follow-up. Here each case contributes `time` (days to the
//! first new incident, or to the end of its observation) and `event`
//! (1 when `time` ends in an incident, 0 when it is censored):
//!
//! - [`kaplan_meier`]: the Kaplan–Meier estimate with Greenwood standard
//!   errors, pointwise intervals (log-log, log, plain), median and quantiles.
//! - [`logrank`]: the log-rank test for k groups, its weighted variants
//!   (Gehan–Breslow–Wilcoxon, Tarone–Ware, Peto–Peto, Fleming–Harrington),
//!   stratified, and the test for trend.
//! - [`rmst`]: the restricted mean survival time up to τ, group differences.
//! - [`cox`]: Cox proportional-hazards regression (Efron/Breslow ties,
//!   strata, weights, counting-process input, cluster-robust variance,
//!   concordance, baseline hazard); [`cox_zph`]: the scaled-Schoenfeld
//!   test of proportional hazards.
//!
//! Conventions shared by every function:
//!
//! - Times are days (any non-negative finite `f64`); `event` holds 0.0 or
//!   1.0; anything else is an [`crate::Error::InvalidArgument`] naming the
//!   position. An observation censored at the same time as an event is still
//!   at risk at that event (the usual convention of R's `survival` and
//!   lifelines).
//! - Groups and strata are `u32` codes `0 … k−1`; the Python layer maps
//!   labels to codes. Every code below the largest must occur.
//! - One sort of the data, `O(n log n)`; integer-valued times (days) are
//!   ordered by a counting sort in `O(n + max time)`.
//!
//! References: Kalbfleisch & Prentice (2002), *The Statistical Analysis of
//! Failure Time Data*; Therneau & Grambsch (2000), *Modeling Survival Data*;
//! R package `survival` (Therneau); Python package lifelines (Davidson-Pilon).

pub mod cox;
pub mod cox_zph;
pub mod kaplan_meier;
pub mod logrank;
pub mod rmst;

pub use cox::{
    cox_concordance, cox_fit, Concordance, CoxControl, CoxData, CoxFit, CoxOptions, Ties,
};
pub use cox_zph::{cox_zph, Zph, ZphMethod, ZphTransform};
pub use kaplan_meier::{
    kaplan_meier, kaplan_meier_data, kaplan_meier_groups, KaplanMeier, KmData, KmOptions, Quantile,
};
pub use logrank::{logrank_test, logrank_trend, LogRank, LogRankTrend, Weighting};
pub use rmst::{rmst, rmst_groups, rmst_groups_data, Rmst, RmstComparison, RmstContrast};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The transform on which pointwise intervals of a survival curve are built
/// (R's `survfit(conf.type = ...)`).
///
/// ```text
/// se = √(Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ)))          (Greenwood; the se of log S)
/// plain:    S ± z · S · se                          clipped to [0, 1]
/// log:      exp(log S ± z · se)                     upper clipped to 1
/// log-log:  exp(−exp(log(−log S) ∓ z · se / log S))
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ConfType {
    /// log(−log S): R's `conf.type = "log-log"`, lifelines' only interval.
    #[default]
    #[serde(rename = "log-log")]
    LogLog,
    /// log S: R's `conf.type = "log"` (R's default).
    #[serde(rename = "log")]
    Log,
    /// S itself: R's `conf.type = "plain"`.
    #[serde(rename = "plain")]
    Plain,
}

impl ConfType {
    /// `log-log`, `log` or `plain`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfType::LogLog => "log-log",
            ConfType::Log => "log",
            ConfType::Plain => "plain",
        }
    }
}

impl std::str::FromStr for ConfType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "log-log" | "loglog" | "log(-log)" => Ok(ConfType::LogLog),
            "log" => Ok(ConfType::Log),
            "plain" | "linear" => Ok(ConfType::Plain),
            other => Err(Error::InvalidArgument {
                name: "conf_type",
                reason: format!("'{other}' is not one of 'log-log', 'log', 'plain'"),
            }),
        }
    }
}

/// Named numerical tolerances of the survival module.
pub mod prec {
    /// Tolerance for "the curve equals p exactly" in quantiles (R's
    /// `quantile.survfit(tolerance = sqrt(.Machine$double.eps))`).
    pub const QUANTILE_TOL: f64 = 1.490_116_119_384_765_6e-8;
    /// Relative size of `n − d` below which a weighted risk set counts as
    /// emptied by its events (`S = 0`): a rounding residue of sums of
    /// fractional weights, not survivors.
    pub const WEIGHT_TOL: f64 = 1e-12;
}

// ------------------------------------------------------------------ checks

pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Times must be finite and non-negative.
pub(crate) fn check_times(name: &'static str, t: &[f64]) -> Result<()> {
    if t.is_empty() {
        return Err(invalid(name, "is empty"));
    }
    if t.len() > u32::MAX as usize {
        return Err(invalid(name, "has more than 2³² − 1 observations"));
    }
    let ok = t
        .iter()
        .fold(true, |ok, &v| ok & (v.is_finite() & (v >= 0.0)));
    if ok {
        return Ok(());
    }
    if let Some(i) = t.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        let v = t[i];
        let what = if v.is_nan() {
            "NaN"
        } else if v.is_infinite() {
            "an infinite value"
        } else {
            "a negative value"
        };
        return Err(invalid(
            name,
            format!("has {what} ({v}) at position {i}; times must be finite and non-negative"),
        ));
    }
    Ok(())
}

/// Events must be 0 or 1 (as `f64`), as many as the times.
pub(crate) fn check_events(event: &[f64], n: usize) -> Result<()> {
    if event.len() != n {
        return Err(invalid(
            "event",
            format!("has length {}, time has length {n}", event.len()),
        ));
    }
    // Branch-free scan first (vectorises); the position only when it fails.
    let ok = event
        .iter()
        .fold(true, |ok, &e| ok & ((e == 0.0) | (e == 1.0)));
    if ok {
        return Ok(());
    }
    if let Some(i) = event.iter().position(|&e| e != 0.0 && e != 1.0) {
        return Err(invalid(
            "event",
            format!(
                "has the value {} at position {i}; events must be 0 (censored) or 1 (event)",
                event[i]
            ),
        ));
    }
    Ok(())
}

/// Codes `0 … k−1` with every code present; returns `k`.
pub(crate) fn check_codes(name: &'static str, codes: &[u32], n: usize) -> Result<usize> {
    if codes.len() != n {
        return Err(invalid(
            name,
            format!("has length {}, time has length {n}", codes.len()),
        ));
    }
    let k = codes.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut seen = vec![false; k];
    for &c in codes {
        seen[c as usize] = true;
    }
    if let Some(c) = seen.iter().position(|s| !s) {
        return Err(invalid(
            name,
            format!(
                "code {c} does not occur (codes must run from 0 to {})",
                k - 1
            ),
        ));
    }
    Ok(k)
}

// ------------------------------------------------------------------ ordering

/// Bit key of a non-negative finite time: the unsigned order of the keys is
/// the order of the times (−0.0 maps to 0.0).
#[inline]
fn time_key(t: f64) -> u64 {
    (t + 0.0).to_bits()
}

/// Whether a non-negative finite `v` is a whole number (a truncating cast:
/// much cheaper than `fract`, which is a libm call on baseline x86-64).
#[inline]
fn is_whole(v: f64) -> bool {
    (v as u64) as f64 == v
}

/// Observation indices in ascending time order (ties in input order).
///
/// Integer-valued times up to `4n + 65536` use a counting sort (`O(n + max)`);
/// others a parallel comparison sort of bit keys (`O(n log n)`).
pub(crate) fn order_by_time(t: &[f64]) -> Vec<u32> {
    let n = t.len();
    let max = t.iter().copied().fold(0.0_f64, f64::max);
    let limit = (4 * n + 65_536) as f64;
    if max <= limit && t.iter().all(|&v| is_whole(v)) {
        let m = max as usize + 1;
        let mut start = vec![0u32; m + 1];
        for &v in t {
            start[v as usize + 1] += 1;
        }
        for i in 0..m {
            start[i + 1] += start[i];
        }
        let mut order = vec![0u32; n];
        for (i, &v) in t.iter().enumerate() {
            let s = &mut start[v as usize];
            order[*s as usize] = i as u32;
            *s += 1;
        }
        return order;
    }
    let mut keyed: Vec<(u64, u32)> = t
        .iter()
        .enumerate()
        .map(|(i, &v)| (time_key(v), i as u32))
        .collect();
    if n > 50_000 {
        use rayon::slice::ParallelSliceMut;
        keyed.par_sort_unstable();
    } else {
        keyed.sort_unstable();
    }
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Stable bucketing of `order` by `codes` (`0 … k−1`): returns the reordered
/// indices and the `k + 1` bucket offsets.
pub(crate) fn bucket(order: &[u32], codes: &[u32], k: usize) -> (Vec<u32>, Vec<usize>) {
    let mut offsets = vec![0usize; k + 1];
    for &c in codes {
        offsets[c as usize + 1] += 1;
    }
    for i in 0..k {
        offsets[i + 1] += offsets[i];
    }
    let mut next = offsets.clone();
    let mut out = vec![0u32; order.len()];
    for &i in order {
        let c = codes[i as usize] as usize;
        out[next[c]] = i;
        next[c] += 1;
    }
    (out, offsets)
}

// ------------------------------------------------------------------ tables

/// Counts per distinct time and group, for a set of observations.
#[derive(Clone, Debug, Default)]
pub(crate) struct TimeTable {
    /// Distinct times, ascending.
    pub times: Vec<f64>,
    /// Number of groups `k`.
    pub k: usize,
    /// Events at each time, `m × k` row-major.
    pub events: Vec<f64>,
    /// Observations leaving the risk set at each time (events + censored), `m × k`.
    pub removed: Vec<f64>,
    /// Observations per group.
    pub totals: Vec<f64>,
}

impl TimeTable {
    /// Builds the table from observations listed in ascending time order.
    pub(crate) fn build(
        sorted: &[u32],
        time: &[f64],
        event: &[f64],
        group: Option<&[u32]>,
        k: usize,
    ) -> TimeTable {
        let mut tab = TimeTable {
            k,
            totals: vec![0.0; k],
            ..Default::default()
        };
        let mut last = f64::NAN;
        for &i in sorted {
            let i = i as usize;
            let t = time[i];
            if t != last {
                tab.times.push(t);
                tab.events.extend(std::iter::repeat_n(0.0, k));
                tab.removed.extend(std::iter::repeat_n(0.0, k));
                last = t;
            }
            let g = group.map_or(0, |g| g[i] as usize);
            let row = (tab.times.len() - 1) * k;
            tab.events[row + g] += event[i];
            tab.removed[row + g] += 1.0;
            tab.totals[g] += 1.0;
        }
        tab
    }

    /// Number of distinct times.
    pub(crate) fn len(&self) -> usize {
        self.times.len()
    }
}

/// Whether all times are whole numbers no larger than `limit` (days, usually).
fn small_integer_times(t: &[f64], limit: f64) -> Option<usize> {
    // Branch-free over chunks (vectorises), stopping early between chunks.
    let mut max = 0.0_f64;
    for chunk in t.chunks(4096) {
        let (whole, m) = chunk.iter().fold((true, 0.0_f64), |(w, m), &v| {
            (w & is_whole(v), if v > m { v } else { m })
        });
        if !whole || m > limit {
            return None;
        }
        max = max.max(m);
    }
    Some(max as usize)
}

/// Time tables of the observations in each block (`block` codes `0 … nb−1`,
/// or one block), with columns by `col` codes (`0 … k−1`, or one column).
///
/// Whole-number times (days) are tabulated directly in one pass without a
/// sort (`O(n + nb · max time · k)`); other times are sorted once.
pub(crate) fn tabulate(
    time: &[f64],
    event: &[f64],
    block: Option<(&[u32], usize)>,
    col: Option<(&[u32], usize)>,
) -> Vec<TimeTable> {
    let n = time.len();
    let nb = block.map_or(1, |b| b.1);
    let k = col.map_or(1, |c| c.1);
    let budget = 8 * n + (1 << 20);
    if let Some(max) = small_integer_times(time, (4 * n + 65_536) as f64) {
        let m = max + 1;
        if nb.saturating_mul(m).saturating_mul(k) <= budget {
            let cells = nb * m * k;
            // Per thread: removed counts in [0, cells), event counts in [cells, 2 cells).
            let hist = |range: std::ops::Range<usize>| {
                let mut h = vec![0u32; 2 * cells];
                for i in range {
                    let b = block.map_or(0, |b| b.0[i] as usize);
                    let c = col.map_or(0, |c| c.0[i] as usize);
                    let idx = (b * m + time[i] as usize) * k + c;
                    h[idx] += 1;
                    h[cells + idx] += u32::from(event[i] == 1.0);
                }
                h
            };
            let h = if n >= 200_000 && cells <= 1 << 16 {
                use rayon::prelude::*;
                let parts = rayon::current_num_threads().max(1);
                let step = n.div_ceil(parts);
                (0..parts)
                    .into_par_iter()
                    .map(|j| hist(j * step..((j + 1) * step).min(n)))
                    .reduce(
                        || vec![0u32; 2 * cells],
                        |mut a, b| {
                            a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                            a
                        },
                    )
            } else {
                hist(0..n)
            };
            let (rem, ev) = h.split_at(cells);
            return (0..nb)
                .map(|b| {
                    let mut tab = TimeTable {
                        k,
                        totals: vec![0.0; k],
                        ..Default::default()
                    };
                    for t in 0..m {
                        let row = (b * m + t) * k;
                        let r = &rem[row..row + k];
                        if r.iter().all(|&x| x == 0) {
                            continue;
                        }
                        tab.times.push(t as f64);
                        for c in 0..k {
                            tab.events.push(f64::from(ev[row + c]));
                            tab.removed.push(f64::from(r[c]));
                            tab.totals[c] += f64::from(r[c]);
                        }
                    }
                    tab
                })
                .collect();
        }
    }
    let order = order_by_time(time);
    let colv = col.map(|c| c.0);
    match block {
        None => vec![TimeTable::build(&order, time, event, colv, k)],
        Some((codes, nb)) => {
            let (sorted, off) = bucket(&order, codes, nb);
            (0..nb)
                .map(|b| TimeTable::build(&sorted[off[b]..off[b + 1]], time, event, colv, k))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_paths_agree() {
        let ints = [5.0, 0.0, 3.0, 5.0, 1.0, 3.0];
        assert_eq!(order_by_time(&ints), vec![1, 4, 2, 5, 0, 3]);
        let reals = [5.5, 0.0, 3.25, 5.5, 1e9, 3.25];
        let o = order_by_time(&reals);
        let sorted: Vec<f64> = o.iter().map(|&i| reals[i as usize]).collect();
        assert_eq!(sorted, vec![0.0, 3.25, 3.25, 5.5, 5.5, 1e9]);
        let (b, off) = bucket(&[1, 4, 2, 5, 0, 3], &[0, 1, 0, 1, 1, 0], 2);
        assert_eq!(b, vec![2, 5, 0, 1, 4, 3]);
        assert_eq!(off, vec![0, 3, 6]);
    }

    #[test]
    fn direct_and_sorted_tabulation_agree() {
        let t = [3.0, 1.0, 3.0, 2.0, 1.0, 7.0];
        let e = [1.0, 0.0, 1.0, 1.0, 1.0, 0.0];
        let g = [0, 1, 1, 0, 1, 0];
        let s = [1, 0, 1, 1, 0, 0];
        let direct = tabulate(&t, &e, Some((&s, 2)), Some((&g, 2)));
        // Non-integer times force the sorting path; shift by 0.5 and compare.
        let th: Vec<f64> = t.iter().map(|v| v + 0.5).collect();
        let sorted = tabulate(&th, &e, Some((&s, 2)), Some((&g, 2)));
        for (a, b) in direct.iter().zip(&sorted) {
            let shifted: Vec<f64> = a.times.iter().map(|v| v + 0.5).collect();
            assert_eq!(shifted, b.times);
            assert_eq!(a.events, b.events);
            assert_eq!(a.removed, b.removed);
            assert_eq!(a.totals, b.totals);
        }
        // Stratum 0 = rows 1, 4, 5: times 1 (two rows, groups 1 and 1), 7.
        assert_eq!(direct[0].times, vec![1.0, 7.0]);
        assert_eq!(direct[0].removed, vec![0.0, 2.0, 1.0, 0.0]);
        assert_eq!(direct[0].events, vec![0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_input_is_named() {
        assert!(check_times("time", &[1.0, -1.0])
            .unwrap_err()
            .to_string()
            .contains("negative value (-1) at position 1"));
        assert!(check_times("time", &[f64::NAN])
            .unwrap_err()
            .to_string()
            .contains("NaN"));
        assert!(check_times("time", &[]).is_err());
        assert!(check_events(&[0.0, 2.0], 2)
            .unwrap_err()
            .to_string()
            .contains("value 2 at position 1"));
        assert!(check_events(&[0.0], 2).is_err());
        assert!(check_codes("group", &[0, 2], 2)
            .unwrap_err()
            .to_string()
            .contains("code 1 does not occur"));
        assert_eq!(check_codes("group", &[1, 0, 1], 3).unwrap(), 2);
        assert_eq!("log".parse::<ConfType>().unwrap(), ConfType::Log);
        assert!("probit".parse::<ConfType>().is_err());
    }
}
