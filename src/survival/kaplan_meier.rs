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

use super::{check_codes, check_events, check_times, prec, tabulate, ConfType, TimeTable};
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
    /// Number at risk at `time` (observations with time ≥ `time`).
    pub n_risk: u64,
}

/// A Kaplan–Meier estimate: the survival table and its summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    /// Number of observations.
    pub n: u64,
    /// Number of events.
    pub n_events: u64,
    /// Distinct observed times (events and censorings), ascending.
    pub time: Vec<f64>,
    /// Number at risk just before each time.
    pub n_risk: Vec<u64>,
    /// Events at each time.
    pub n_event: Vec<u64>,
    /// Censored at each time.
    pub n_censor: Vec<u64>,
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

impl KaplanMeier {
    /// Builds the estimate from a one-group [`TimeTable`].
    fn from_table(tab: &TimeTable, opts: &KmOptions) -> KaplanMeier {
        let m = tab.len();
        let z = normal_quantile(1.0 - (1.0 - opts.confidence_level) / 2.0);
        let mut km = KaplanMeier {
            n: tab.totals[0] as u64,
            n_events: 0,
            time: tab.times.clone(),
            n_risk: Vec::with_capacity(m),
            n_event: Vec::with_capacity(m),
            n_censor: Vec::with_capacity(m),
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
        let mut at_risk = tab.totals[0];
        let mut s = 1.0;
        let mut g = 0.0;
        for i in 0..m {
            let d = tab.events[i];
            let r = tab.removed[i];
            if d > 0.0 {
                s *= 1.0 - d / at_risk;
                if at_risk > d {
                    g += d / (at_risk * (at_risk - d));
                }
            }
            let (lo, hi) = interval(s, g, z, opts.conf_type);
            km.n_risk.push(at_risk as u64);
            km.n_event.push(d as u64);
            km.n_censor.push((r - d) as u64);
            km.survival.push(s);
            km.var_log.push(g);
            km.std_err.push(s * g.sqrt());
            km.lower.push(lo);
            km.upper.push(hi);
            km.n_events += d as u64;
            at_risk -= r;
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
                n_risk: 0,
            };
        }
        // Number at risk at t: observations with time ≥ t.
        let j = self.time.partition_point(|&x| x < t);
        let n_risk = if j < self.time.len() {
            self.n_risk[j]
        } else {
            0
        };
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
/// assert_eq!(km.n_risk, vec![6, 5, 3, 2]);
/// assert!((km.survival[2] - 4.0 / 9.0).abs() < 1e-15);
/// assert_eq!(km.median.estimate, 3.0);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn kaplan_meier(time: &[f64], event: &[f64], opts: &KmOptions) -> Result<KaplanMeier> {
    check_opts(opts)?;
    check_times("time", time)?;
    check_events(event, time.len())?;
    let tab = tabulate(time, event, None, None);
    Ok(KaplanMeier::from_table(&tab[0], opts))
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
        .map(|tab| KaplanMeier::from_table(tab, opts))
        .collect())
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
        assert_eq!(km.n_event, vec![1, 1, 1, 2]);
        assert_eq!(km.n_censor, vec![0, 1, 0, 0]);
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
        assert_eq!(km.at(1.0).n_risk, 2);
        assert_eq!(km.at(3.0).survival, 0.5);
        assert_eq!(km.at(3.0).n_risk, 1);
        assert_eq!(km.at(9.0).survival, 0.5);
        assert_eq!(km.at(9.0).n_risk, 0);
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
}
