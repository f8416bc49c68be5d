//! The Kaplan–Meier estimate of the survival function.
//!
//! At the distinct observed times `t₁ < t₂ < …` with `nᵢ` at risk (time ≥ tᵢ)
//! and `dᵢ` events:
//!
//! ```text
//! S(t)        = Π_{tᵢ ≤ t} (1 − dᵢ / nᵢ)
//! var log S   = Σ_{tᵢ ≤ t, nᵢ > dᵢ} dᵢ / (nᵢ (nᵢ − dᵢ))          (Greenwood)
//! se S(t)     = S(t) · √(var log S)
//! ```
//!
//! Pointwise intervals follow [`ConfType`] (R's `survfit` formulas; log-log
//! is the default here and lifelines' only choice). Where `S = 1` (before
//! the first event) the interval is `[1, 1]`; where `S = 0` it is `[0, 0]`
//! and the Greenwood sum skips the term with `nᵢ = dᵢ`: this is lifelines'
//! convention (R reports `NA` limits and an infinite standard error there).
//!
//! Quantiles (the median) follow R's `quantile.survfit`: the first time at
//! which `1 − S(t) ≥ p`; when the curve equals `1 − p` exactly (within
//! `√ε`) over an interval, the midpoint of that interval (for an
//! uncensored sample this is the usual sample median). The interval of a
//! quantile is where the pointwise limits cross the same level
//! (Brookmeyer & Crowley, 1982). A quantile the curve never reaches is
//! reported as `+inf` ("not reached"; R prints `NA`, lifelines `inf`).
//! lifelines takes the left end instead of the midpoint when `S(t) = 0.5`
//! exactly over an interval; otherwise the two agree.
//!
//! # Weights and delayed entry ([`kaplan_meier_data`])
//!
//! With case weights `wⱼ ≥ 0`, `dᵢ` and `nᵢ` are sums of weights (events at
//! `tᵢ`; observations at risk at `tᵢ`) and the formulas above are unchanged:
//! the weighted Greenwood sum `Σ dᵢ/(nᵢ(nᵢ − dᵢ))` is R's
//! `survfit(weights =, robust = FALSE)` and, for whole-number weights,
//! lifelines' `KaplanMeierFitter(weights=)` (which truncates `nᵢ` to an
//! integer in its variance, so it differs for fractional weights; its
//! `S(t)` agrees for any weights). With inverse-probability weights this
//! variance ignores the estimation of the weights (lifelines warns so).
//!
//! With delayed entry (left truncation) observation `j` is at risk on
//! `(entryⱼ, timeⱼ]`: `nᵢ = Σ_{entryⱼ < tᵢ ≤ timeⱼ} wⱼ`, R's
//! `survfit(Surv(entry, time, event) ~ 1)` and lifelines' `entry=`. The
//! table lists the exit times (events and censorings) only; an entry must
//! be smaller than its exit time (R's rule). When everyone at risk has the
//! event at some time, `S = 0` from there on even if others enter later
//! (R's result; lifelines raises an error in the first half of the table).

use super::{
    bucket, check_codes, check_events, check_times, invalid, order_by_time, prec, tabulate,
    ConfType, TimeTable,
};
use crate::stats::{check_level, normal_quantile};
use crate::Result;
use serde::{Deserialize, Serialize};

/// Options of [`kaplan_meier`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KmOptions {
    /// Interval transform (default log-log).
    pub conf_type: ConfType,
    /// Confidence level of the pointwise intervals, in (0, 1) (default 0.95).
    pub confidence_level: f64,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::LogLog,
            confidence_level: 0.95,
        }
    }
}

/// A quantile of the survival time with its interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    /// The probability `p` of an event by the quantile (0.5 for the median).
    pub p: f64,
    /// The time at which `1 − S` reaches `p` (`+inf` if it never does).
    pub estimate: f64,
    /// Lower limit (where the lower pointwise limit reaches `1 − p`).
    pub low: f64,
    /// Upper limit (where the upper pointwise limit reaches `1 − p`; often `+inf`).
    pub high: f64,
}

/// One point of a survival curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The time asked for.
    pub time: f64,
    /// `S(time)`.
    pub survival: f64,
    /// Greenwood standard error of `S(time)`.
    pub std_err: f64,
    /// Lower pointwise limit.
    pub lower: f64,
    /// Upper pointwise limit.
    pub upper: f64,
    /// Number (sum of weights) at risk at `time`: observations with
    /// entry < `time` ≤ exit time.
    pub n_risk: f64,
}

/// A Kaplan–Meier estimate: the survival table and its summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    /// Number of observations.
    pub n: u64,
    /// Number of events (observations, not weights).
    pub n_events: u64,
    /// Whether case weights were given (the counts below are then sums of weights).
    pub weighted: bool,
    /// Sum of the weights (`n` without weights).
    pub sum_weights: f64,
    /// Sum of the weights of the events (`n_events` without weights).
    pub sum_event_weights: f64,
    /// Distinct observed exit times (events and censorings), ascending.
    pub time: Vec<f64>,
    /// Number (sum of weights) at risk at each time.
    pub n_risk: Vec<f64>,
    /// Events (sum of weights) at each time.
    pub n_event: Vec<f64>,
    /// Censored (sum of weights) at each time.
    pub n_censor: Vec<f64>,
    /// Distinct entry times, ascending (empty without delayed entry).
    pub entry_time: Vec<f64>,
    /// Sum of the weights entering at or after each `entry_time`.
    pub entry_tail: Vec<f64>,
    /// `S(t)` at each time.
    pub survival: Vec<f64>,
    /// Greenwood sum `Σ d/(n(n−d))`: the variance of `log S` (lifelines' `_cumulative_sq_`).
    pub var_log: Vec<f64>,
    /// Greenwood standard error of `S(t)`.
    pub std_err: Vec<f64>,
    /// Lower pointwise limit.
    pub lower: Vec<f64>,
    /// Upper pointwise limit.
    pub upper: Vec<f64>,
    /// Median survival time with interval.
    pub median: Quantile,
    /// The interval transform.
    pub conf_type: ConfType,
    /// The confidence level of the intervals.
    pub confidence_level: f64,
}

/// Pointwise interval of `S` with Greenwood variance of `log S` equal to `var_log`.
pub(crate) fn interval(s: f64, var_log: f64, z: f64, conf_type: ConfType) -> (f64, f64) {
    if s >= 1.0 {
        return (1.0, 1.0);
    }
    if s <= 0.0 {
        return (0.0, 0.0);
    }
    let se = var_log.sqrt();
    match conf_type {
        ConfType::Plain => {
            let h = z * se * s;
            ((s - h).max(0.0), (s + h).min(1.0))
        }
        ConfType::Log => {
            let l = s.ln();
            ((l - z * se).exp(), (l + z * se).exp().min(1.0))
        }
        ConfType::LogLog => {
            let v = s.ln();
            let c = (-v).ln();
            let h = z * se / v;
            ((-(c - h).exp()).exp(), (-(c + h).exp()).exp())
        }
    }
}

/// The time at which `1 − curve` first reaches `p` (R's `findq`; see the module docs).
///
/// `times` and `curve` are the survival table; `xmax` the last table time.
pub(crate) fn find_quantile(times: &[f64], curve: &[f64], p: f64) -> f64 {
    let tol = prec::QUANTILE_TOL;
    if p <= 0.0 {
        return 0.0;
    }
    let xmax = times.last().copied().unwrap_or(0.0);
    // The points (0, 0) and (tᵢ, 1 − curveᵢ), NaN skipped.
    let pts = std::iter::once((0.0, 0.0)).chain(
        times
            .iter()
            .zip(curve)
            .filter(|(_, c)| !c.is_nan())
            .map(|(&t, &c)| (t, 1.0 - c)),
    );
    let mut ymax = f64::NEG_INFINITY;
    let mut ylast = 0.0;
    let mut x1 = None;
    let mut x2 = None;
    for (x, y) in pts {
        ymax = ymax.max(y);
        ylast = y;
        if x1.is_none() && y + tol >= p {
            x1 = Some(x);
        }
        if x2.is_none() && y - tol >= p {
            x2 = Some(x);
        }
    }
    if ymax < p {
        return f64::INFINITY;
    }
    let Some(x1) = x1 else {
        return f64::INFINITY;
    };
    if (p - ylast).abs() < tol {
        return (x1 + xmax) / 2.0;
    }
    match x2 {
        Some(x2) => (x1 + x2) / 2.0,
        None => f64::INFINITY,
    }
}

/// The rows of a survival table: exit times with weighted events, censored
/// and at-risk sums, and the totals.
#[derive(Default)]
struct Rows {
    time: Vec<f64>,
    n_risk: Vec<f64>,
    n_event: Vec<f64>,
    n_censor: Vec<f64>,
    n: u64,
    n_events: u64,
    sum_weights: f64,
    sum_event_weights: f64,
    entry_time: Vec<f64>,
    entry_tail: Vec<f64>,
}

impl Rows {
    /// The rows of a one-group, unweighted [`TimeTable`].
    fn from_table(tab: &TimeTable) -> Rows {
        let m = tab.len();
        let mut rows = Rows {
            time: tab.times.clone(),
            n_risk: Vec::with_capacity(m),
            n_event: tab.events.clone(),
            n_censor: Vec::with_capacity(m),
            n: tab.totals[0] as u64,
            sum_weights: tab.totals[0],
            ..Default::default()
        };
        let mut at_risk = tab.totals[0];
        for i in 0..m {
            rows.n_risk.push(at_risk);
            rows.n_censor.push(tab.removed[i] - tab.events[i]);
            rows.sum_event_weights += tab.events[i];
            at_risk -= tab.removed[i];
        }
        rows.n_events = rows.sum_event_weights as u64;
        rows
    }
}

impl KaplanMeier {
    /// Builds the estimate from a survival table.
    fn from_rows(rows: Rows, weighted: bool, opts: &KmOptions) -> KaplanMeier {
        let m = rows.time.len();
        let z = normal_quantile(1.0 - (1.0 - opts.confidence_level) / 2.0);
        let mut km = KaplanMeier {
            n: rows.n,
            n_events: rows.n_events,
            weighted,
            sum_weights: rows.sum_weights,
            sum_event_weights: rows.sum_event_weights,
            time: rows.time,
            n_risk: rows.n_risk,
            n_event: rows.n_event,
            n_censor: rows.n_censor,
            entry_time: rows.entry_time,
            entry_tail: rows.entry_tail,
            survival: Vec::with_capacity(m),
            var_log: Vec::with_capacity(m),
            std_err: Vec::with_capacity(m),
            lower: Vec::with_capacity(m),
            upper: Vec::with_capacity(m),
            median: Quantile {
                p: 0.5,
                estimate: f64::INFINITY,
                low: f64::INFINITY,
                high: f64::INFINITY,
            },
            conf_type: opts.conf_type,
            confidence_level: opts.confidence_level,
        };
        let mut s = 1.0;
        let mut g = 0.0;
        for i in 0..m {
            let (n, d) = (km.n_risk[i], km.n_event[i]);
            if d > 0.0 {
                // With fractional weights n − d can be a rounding residue
                // where everyone at risk had the event: that is S = 0.
                let left = n - d;
                if left > prec::WEIGHT_TOL * n {
                    s *= left / n;
                    g += d / (n * left);
                } else {
                    s = 0.0;
                }
            }
            let (lo, hi) = interval(s, g, z, opts.conf_type);
            km.survival.push(s);
            km.var_log.push(g);
            km.std_err.push(s * g.sqrt());
            km.lower.push(lo);
            km.upper.push(hi);
        }
        km.median = km.quantile(0.5);
        km
    }

    /// The quantile at event probability `p` (0.5: the median) with its
    /// interval; see the module docs for the definition.
    pub fn quantile(&self, p: f64) -> Quantile {
        if !(p > 0.0 && p < 1.0) {
            return Quantile {
                p,
                estimate: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        Quantile {
            p,
            estimate: find_quantile(&self.time, &self.survival, p),
            low: find_quantile(&self.time, &self.lower, p),
            high: find_quantile(&self.time, &self.upper, p),
        }
    }

    /// The curve at `t` (a step function, right-continuous). Before the first
    /// time `S = 1`; after the last time the last value is carried forward
    /// (as lifelines; R's `summary.survfit(extend = TRUE)`), which is only
    /// an estimate when the last observation is an event.
    pub fn at(&self, t: f64) -> CurvePoint {
        let k = self.time.partition_point(|&x| x <= t);
        if t.is_nan() {
            return CurvePoint {
                time: t,
                survival: f64::NAN,
                std_err: f64::NAN,
                lower: f64::NAN,
                upper: f64::NAN,
                n_risk: f64::NAN,
            };
        }
        let n_risk = self.at_risk(t);
        if k == 0 {
            return CurvePoint {
                time: t,
                survival: 1.0,
                std_err: 0.0,
                lower: 1.0,
                upper: 1.0,
                n_risk,
            };
        }
        let i = k - 1;
        CurvePoint {
            time: t,
            survival: self.survival[i],
            std_err: self.std_err[i],
            lower: self.lower[i],
            upper: self.upper[i],
            n_risk,
        }
    }

    /// Number (sum of weights) at risk at `t`: observations with
    /// entry < `t` ≤ exit time.
    pub fn at_risk(&self, t: f64) -> f64 {
        // Exits at or after t, less those entering at or after t.
        let j = self.time.partition_point(|&x| x < t);
        if j == self.time.len() {
            return 0.0;
        }
        let late = |x: f64| {
            let e = self.entry_time.partition_point(|&v| v < x);
            self.entry_tail.get(e).copied().unwrap_or(0.0)
        };
        let exits = self.n_risk[j] + late(self.time[j]);
        (exits - late(t)).max(0.0)
    }

    /// Number of censored observations.
    pub fn n_censored(&self) -> u64 {
        self.n - self.n_events
    }
}

fn check_opts(opts: &KmOptions) -> Result<()> {
    check_level(opts.confidence_level)
}

/// The Kaplan–Meier estimate of one sample.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] for an empty sample, a negative, NaN or
/// infinite time, an event other than 0/1, lengths that differ, or a
/// confidence level outside (0, 1). A sample without events is fine: `S = 1`
/// throughout and the median is `+inf`.
///
/// # Examples
/// ```
/// use huisverbod::survival::{kaplan_meier, KmOptions};
/// // times 1, 2, 2+, 3, 4, 4 (+ censored): S = 5/6, 2/3, 4/9, 0
/// let km = kaplan_meier(&[1., 2., 2., 3., 4., 4.], &[1., 1., 0., 1., 1., 1.], &KmOptions::default())?;
/// assert_eq!(km.n_risk, vec![6., 5., 3., 2.]);
/// assert!((km.survival[2] - 4.0 / 9.0).abs() < 1e-15);
/// assert_eq!(km.median.estimate, 3.0);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn kaplan_meier(time: &[f64], event: &[f64], opts: &KmOptions) -> Result<KaplanMeier> {
    check_opts(opts)?;
    check_times("time", time)?;
    check_events(event, time.len())?;
    let tab = tabulate(time, event, None, None);
    Ok(KaplanMeier::from_rows(
        Rows::from_table(&tab[0]),
        false,
        opts,
    ))
}

/// Kaplan–Meier estimates per group (codes `0 … k−1`), with one sort of the data.
///
/// # Errors
/// As [`kaplan_meier`], and when `group` has a different length or skips a code.
pub fn kaplan_meier_groups(
    time: &[f64],
    event: &[f64],
    group: &[u32],
    opts: &KmOptions,
) -> Result<Vec<KaplanMeier>> {
    check_opts(opts)?;
    check_times("time", time)?;
    check_events(event, time.len())?;
    let k = check_codes("group", group, time.len())?;
    Ok(tabulate(time, event, Some((group, k)), None)
        .iter()
        .map(|tab| KaplanMeier::from_rows(Rows::from_table(tab), false, opts))
        .collect())
}

/// The input of [`kaplan_meier_data`]: exit times and events with optional
/// group codes, case weights and entry times.
#[derive(Clone, Copy, Debug, Default)]
pub struct KmData<'a> {
    /// Exit times (event or censoring), finite and ≥ 0.
    pub time: &'a [f64],
    /// 1 for an event at `time`, 0 for censoring.
    pub event: &'a [f64],
    /// Group codes `0 … k−1` (one curve per group), or one group.
    pub group: Option<&'a [u32]>,
    /// Case weights, finite and ≥ 0 (default 1).
    pub weights: Option<&'a [f64]>,
    /// Entry times (delayed entry / left truncation), finite and < `time`.
    pub entry: Option<&'a [f64]>,
}

/// Checks the weights and entry times of `data`.
pub(crate) fn check_weights_entry(data: &KmData<'_>) -> Result<()> {
    let n = data.time.len();
    if let Some(w) = data.weights {
        if w.len() != n {
            return Err(invalid(
                "weights",
                format!("has length {}, time has length {n}", w.len()),
            ));
        }
        if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(invalid(
                "weights",
                format!(
                    "has the value {} at position {i}; weights must be finite and non-negative",
                    w[i]
                ),
            ));
        }
    }
    if let Some(e) = data.entry {
        if e.len() != n {
            return Err(invalid(
                "entry",
                format!("has length {}, time has length {n}", e.len()),
            ));
        }
        if let Some(i) = e
            .iter()
            .zip(data.time)
            .position(|(a, t)| !(a.is_finite() && a < t))
        {
            return Err(invalid(
                "entry",
                format!(
                    "is {} at position {i}, where time is {}; an entry time must be finite and \
                     smaller than its exit time",
                    e[i], data.time[i]
                ),
            ));
        }
    }
    Ok(())
}

/// The weighted survival table of the observations `idx` (listed in
/// ascending exit time), with delayed entry when `entry` is given.
fn weighted_rows(idx: &[u32], data: &KmData<'_>) -> Rows {
    let w = |i: usize| data.weights.map_or(1.0, |w| w[i]);
    let mut rows = Rows {
        n: idx.len() as u64,
        ..Default::default()
    };
    let mut removed = Vec::new();
    let mut last = f64::NAN;
    for &i in idx {
        let i = i as usize;
        let (t, wi) = (data.time[i], w(i));
        if t != last {
            rows.time.push(t);
            rows.n_event.push(0.0);
            removed.push(0.0);
            last = t;
        }
        let r = rows.time.len() - 1;
        removed[r] += wi;
        if data.event[i] == 1.0 {
            rows.n_event[r] += wi;
            rows.n_events += 1;
            rows.sum_event_weights += wi;
        }
        rows.sum_weights += wi;
    }
    let m = rows.time.len();
    rows.n_censor = (0..m).map(|r| removed[r] - rows.n_event[r]).collect();
    // n(tᵢ) = Σ_{exit ≥ tᵢ} w − Σ_{entry ≥ tᵢ} w: suffix sums, so that the
    // last rows are exact (no cancellation against the total).
    let mut entries: Vec<(f64, f64)> = match data.entry {
        Some(e) => idx
            .iter()
            .map(|&i| (e[i as usize], w(i as usize)))
            .collect(),
        None => Vec::new(),
    };
    entries.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    for (e, wi) in entries.iter().rev() {
        if rows.entry_time.last() == Some(e) {
            *rows.entry_tail.last_mut().expect("non-empty") += wi;
        } else {
            let prev = rows.entry_tail.last().copied().unwrap_or(0.0);
            rows.entry_time.push(*e);
            rows.entry_tail.push(prev + wi);
        }
    }
    rows.entry_time.reverse();
    rows.entry_tail.reverse();
    rows.n_risk = vec![0.0; m];
    let mut exits = 0.0;
    let mut k = rows.entry_time.len();
    for r in (0..m).rev() {
        exits += removed[r];
        while k > 0 && rows.entry_time[k - 1] >= rows.time[r] {
            k -= 1;
        }
        let late = rows.entry_tail.get(k).copied().unwrap_or(0.0);
        rows.n_risk[r] = exits - late;
    }
    rows
}

/// Kaplan–Meier estimates with optional groups, case weights and delayed
/// entry (see the module docs for the weighted and left-truncated formulas).
///
/// Without weights and entry times this is [`kaplan_meier_groups`] (or
/// [`kaplan_meier`]). One curve per group code, in code order.
///
/// # Errors
/// As [`kaplan_meier_groups`], and for weights that are negative, NaN or
/// infinite, entry times that are not finite or not smaller than their exit
/// time, or lengths that differ.
///
/// # Examples
/// ```
/// use huisverbod::survival::{kaplan_meier_data, KmData, KmOptions};
/// // Weights 2, 1, 1 at times 1, 2, 3 (all events): S = 1 − 2/4 = 0.5, 0.5·(1 − 1/2) = 0.25, 0
/// let data = KmData { time: &[1., 2., 3.], event: &[1., 1., 1.], weights: Some(&[2., 1., 1.]), ..Default::default() };
/// let km = &kaplan_meier_data(&data, &KmOptions::default())?[0];
/// assert_eq!(km.n_risk, vec![4.0, 2.0, 1.0]);
/// assert_eq!(km.survival, vec![0.5, 0.25, 0.0]);
/// // Entry at 1.5 for the last one: at risk at t = 1 are the first two only.
/// let data = KmData { time: &[1., 2., 3.], event: &[1., 1., 1.], entry: Some(&[0., 0., 1.5]), ..Default::default() };
/// let km = &kaplan_meier_data(&data, &KmOptions::default())?[0];
/// assert_eq!(km.n_risk, vec![2.0, 2.0, 1.0]);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn kaplan_meier_data(data: &KmData<'_>, opts: &KmOptions) -> Result<Vec<KaplanMeier>> {
    if data.weights.is_none() && data.entry.is_none() {
        return match data.group {
            Some(g) => kaplan_meier_groups(data.time, data.event, g, opts),
            None => kaplan_meier(data.time, data.event, opts).map(|k| vec![k]),
        };
    }
    check_opts(opts)?;
    check_times("time", data.time)?;
    check_events(data.event, data.time.len())?;
    check_weights_entry(data)?;
    let order = order_by_time(data.time);
    let weighted = data.weights.is_some();
    Ok(match data.group {
        None => vec![KaplanMeier::from_rows(
            weighted_rows(&order, data),
            weighted,
            opts,
        )],
        Some(g) => {
            let k = check_codes("group", g, data.time.len())?;
            let (sorted, off) = bucket(&order, g, k);
            (0..k)
                .map(|b| {
                    let rows = weighted_rows(&sorted[off[b]..off[b + 1]], data);
                    KaplanMeier::from_rows(rows, weighted, opts)
                })
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn hand_worked_table() {
        // time: 1 2 2+ 3 4 4 ; at risk 6,5,3,2
        // S: 5/6, 5/6·4/5 = 2/3, 2/3·2/3 = 4/9, 0
        // Greenwood: 1/(6·5) = 1/30; + 1/(5·4) = 1/30 + 1/20 = 1/12;
        //            + 1/(3·2) = 1/12 + 1/6 = 1/4; n = d at t = 4: no term.
        let km = kaplan_meier(
            &[1., 2., 2., 3., 4., 4.],
            &[1., 1., 0., 1., 1., 1.],
            &KmOptions::default(),
        )
        .unwrap();
        assert_eq!(km.time, vec![1., 2., 3., 4.]);
        assert_eq!(km.n_event, vec![1., 1., 1., 2.]);
        assert_eq!(km.n_censor, vec![0., 1., 0., 0.]);
        let want_s = [5. / 6., 2. / 3., 4. / 9., 0.];
        let want_g = [1. / 30., 1. / 12., 0.25, 0.25];
        for i in 0..4 {
            assert!(close(km.survival[i], want_s[i], 1e-15) || want_s[i] == 0.0);
            assert!(close(km.var_log[i], want_g[i], 1e-15));
        }
        assert_eq!(km.survival[3], 0.0);
        // R: summary(survfit(..., conf.type="log-log")) lower at t=1:
        // exp(-exp(log(-log(5/6)) - 1.959964*sqrt(1/30)/log(5/6))) = 0.2731 (R prints 0.273)
        assert!((km.lower[0] - 0.273_1).abs() < 1e-4);
        assert_eq!((km.lower[3], km.upper[3]), (0.0, 0.0));
        // Median: S drops from 2/3 to 4/9 at t = 3.
        assert_eq!(km.median.estimate, 3.0);
        assert_eq!(km.n_censored(), 1);
    }

    #[test]
    fn median_midpoint_and_not_reached() {
        // Uncensored 1..4: S = .75, .5, .25, 0 → S = 0.5 on [2, 3): median 2.5 (R).
        let km = kaplan_meier(&[1., 2., 3., 4.], &[1.; 4], &KmOptions::default()).unwrap();
        assert_eq!(km.median.estimate, 2.5);
        // Curve ending exactly at 0.5: midpoint of the time it got there and the last time.
        let km = kaplan_meier(&[1., 2., 3., 4.], &[1., 1., 0., 0.], &KmOptions::default()).unwrap();
        assert_eq!(km.median.estimate, 3.0); // (2 + 4) / 2
                                             // All censored: S = 1, nothing reached.
        let km = kaplan_meier(&[1., 2.], &[0., 0.], &KmOptions::default()).unwrap();
        assert_eq!(km.survival, vec![1.0, 1.0]);
        assert_eq!(km.median.estimate, f64::INFINITY);
        assert_eq!(km.n_events, 0);
    }

    #[test]
    fn interval_types_and_lookup() {
        // S = 0.5, var log S = 0.04 (se 0.2), z = 1.96:
        // plain: 0.5 ± 1.96·0.2·0.5 = (0.304, 0.696)
        // log:   0.5·exp(∓0.392) = (0.33783, 0.73998)
        let z = 1.96;
        let (l, h) = interval(0.5, 0.04, z, ConfType::Plain);
        assert!(close(l, 0.304, 1e-14) && close(h, 0.696, 1e-14));
        let (l, h) = interval(0.5, 0.04, z, ConfType::Log);
        assert!(close(l, 0.5 * (-0.392f64).exp(), 1e-14));
        assert!(close(h, 0.5 * (0.392f64).exp(), 1e-14));
        let km = kaplan_meier(&[2., 4.], &[1., 0.], &KmOptions::default()).unwrap();
        assert_eq!(km.at(1.0).survival, 1.0);
        assert_eq!(km.at(1.0).n_risk, 2.0);
        assert_eq!(km.at(3.0).survival, 0.5);
        assert_eq!(km.at(3.0).n_risk, 1.0);
        assert_eq!(km.at(9.0).survival, 0.5);
        assert_eq!(km.at(9.0).n_risk, 0.0);
    }

    #[test]
    fn groups_and_errors() {
        let t = [1., 2., 3., 4., 5.];
        let e = [1., 0., 1., 1., 0.];
        let g = [0, 1, 0, 1, 1];
        let kms = kaplan_meier_groups(&t, &e, &g, &KmOptions::default()).unwrap();
        assert_eq!(kms.len(), 2);
        assert_eq!(kms[0].time, vec![1., 3.]);
        assert_eq!(kms[1].survival, vec![1.0, 0.5, 0.5]);
        assert!(kaplan_meier_groups(&t, &e, &[0, 2, 0, 2, 2], &KmOptions::default()).is_err());
        let bad = KmOptions {
            confidence_level: 1.0,
            ..Default::default()
        };
        assert!(kaplan_meier(&t, &e, &bad).is_err());
        assert!(kaplan_meier(&[1.0, -2.0], &[1.0, 1.0], &KmOptions::default()).is_err());
        assert!(kaplan_meier(&[1.0, 2.0], &[1.0, 0.5], &KmOptions::default()).is_err());
    }

    #[test]
    fn whole_weights_replicate_rows() {
        // Weight 2 on a row is the row twice.
        let t = [1., 2., 2., 3., 4., 4.];
        let e = [1., 1., 0., 1., 0., 1.];
        let w = [2., 1., 3., 1., 2., 1.];
        let (mut tr, mut er) = (vec![], vec![]);
        for i in 0..6 {
            for _ in 0..w[i] as usize {
                tr.push(t[i]);
                er.push(e[i]);
            }
        }
        let rep = kaplan_meier(&tr, &er, &KmOptions::default()).unwrap();
        let data = KmData {
            time: &t,
            event: &e,
            weights: Some(&w),
            ..Default::default()
        };
        let wk = &kaplan_meier_data(&data, &KmOptions::default()).unwrap()[0];
        assert_eq!(wk.time, rep.time);
        assert_eq!(wk.n_risk, rep.n_risk);
        assert_eq!(wk.n_event, rep.n_event);
        assert_eq!(wk.n_censor, rep.n_censor);
        for i in 0..wk.time.len() {
            assert!((wk.survival[i] - rep.survival[i]).abs() < 1e-15);
            assert!((wk.var_log[i] - rep.var_log[i]).abs() < 1e-15);
        }
        assert_eq!((wk.n, wk.n_events, wk.sum_weights), (6, 4, 10.0));
        assert!(wk.weighted && !rep.weighted);
    }

    #[test]
    fn delayed_entry_hand_worked() {
        // (entry, time]: (0,2] event, (2,3] event, (1,5] censored, (4,6] event.
        // t=2: at risk rows 0, 2 (row 1 enters at 2) → S = 1/2
        // t=3: rows 1, 2 → S = 1/4; t=5: rows 2, 3, censored; t=6: row 3 → S = 0
        // Greenwood: 1/(2·1) + 1/(2·1) = 1 at t = 3.
        let data = KmData {
            time: &[2., 3., 5., 6.],
            event: &[1., 1., 0., 1.],
            entry: Some(&[0., 2., 1., 4.]),
            ..Default::default()
        };
        let km = &kaplan_meier_data(&data, &KmOptions::default()).unwrap()[0];
        assert_eq!(km.n_risk, vec![2., 2., 2., 1.]);
        assert_eq!(km.survival, vec![0.5, 0.25, 0.25, 0.0]);
        assert_eq!(km.var_log[1], 1.0);
        assert_eq!(km.at_risk(1.5), 2.0); // rows 0, 2
        assert_eq!(km.at_risk(3.5), 1.0); // row 2 (row 3 enters at 4)
        assert_eq!(km.at_risk(4.5), 2.0); // rows 2, 3
        assert_eq!(km.at_risk(7.0), 0.0);
        assert_eq!(km.at(4.5).survival, 0.25);
    }

    #[test]
    fn fractional_weights_empty_the_risk_set() {
        // 0.1 + 0.2 is not 0.3 in binary; the last row's events still take S to 0.
        let data = KmData {
            time: &[1., 2., 2.],
            event: &[0., 1., 1.],
            weights: Some(&[0.3, 0.1, 0.2]),
            ..Default::default()
        };
        let km = &kaplan_meier_data(&data, &KmOptions::default()).unwrap()[0];
        assert_eq!(km.survival, vec![1.0, 0.0]);
        assert!(km.var_log[1].is_finite());
    }

    #[test]
    fn weights_and_entry_errors() {
        let t = [1., 2.];
        let e = [1., 0.];
        let bad_w = KmData {
            time: &t,
            event: &e,
            weights: Some(&[1.0, -0.5]),
            ..Default::default()
        };
        let msg = kaplan_meier_data(&bad_w, &KmOptions::default())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("-0.5 at position 1"), "{msg}");
        let bad_e = KmData {
            time: &t,
            event: &e,
            entry: Some(&[0.0, 2.0]),
            ..Default::default()
        };
        let msg = kaplan_meier_data(&bad_e, &KmOptions::default())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("position 1"), "{msg}");
        let short = KmData {
            time: &t,
            event: &e,
            weights: Some(&[1.0]),
            ..Default::default()
        };
        assert!(kaplan_meier_data(&short, &KmOptions::default()).is_err());
    }
}
