//! Fisher's exact test: 2×2 (scipy's conventions, conditional odds ratio and
//! its exact interval as R's `fisher.test`) and r×c (exact network
//! enumeration within a documented limit, otherwise seeded Monte Carlo).
//!
//! Under independence with both margins fixed, a table has probability
//!
//! ```text
//! P(n) = Π rᵢ! Π cⱼ! / (N! Π nᵢⱼ!)
//! ```
//!
//! and the p-value sums `P` over the tables that are no more probable than
//! the observed one.

use super::contingency::CountTable;
use super::saddlepoint::{brent_root, Hypergeometric, Sum};
use super::{check_level, Alternative, ConfidenceInterval};
use crate::{Error, Result};
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// Default feasibility limit of the exact r×c test: the number of tables
/// with the observed margins. Below it the exact computation takes at most
/// `columns × tables` elementary steps (usually far fewer, thanks to merging
/// and pruning); above it `Auto` switches to Monte Carlo.
pub const DEFAULT_MAX_TABLES: f64 = 1e8;

/// Largest support (`min` of the smaller margins plus one) of the 2×2 exact
/// computations; beyond it the p-value and interval are refused.
pub const MAX_SUPPORT_2X2: u64 = 20_000_000;

/// Largest support for which [`super::contingency::chi2_test`] adds Fisher's
/// exact p-values to a 2×2 table (SPSS's extra row); above it they are omitted.
pub const MAX_SUPPORT_IN_CHI2: u64 = 10_000;

/// Relative tolerance for "no more probable than the observed table" in
/// the 2×2 test (scipy's `fisher_exact`: `1 + 1e-14`).
pub const TIES_RTOL_2X2: f64 = 1e-14;

/// Relative tolerance for ties in the r×c test (R's `fisher.test`: `1 + 1e-7`).
pub const TIES_RTOL_RXC: f64 = 1e-7;

/// Resamples per random stream in the Monte Carlo test: stream `k` (ChaCha8
/// with stream id `k`) draws resamples `k·CHUNK ..`, so results do not depend
/// on the number of threads.
pub const MC_CHUNK: u64 = 1024;

/// How the p-value is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FisherMethod {
    /// Exact when the table has at most `max_tables` tables with its
    /// margins (always for 2×2), otherwise Monte Carlo.
    #[default]
    Auto,
    /// Exact; an error when the number of tables exceeds `max_tables`.
    Exact,
    /// Monte Carlo with `n_resamples` random tables.
    MonteCarlo,
}

impl std::str::FromStr for FisherMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(Self::Auto),
            "exact" => Ok(Self::Exact),
            "monte-carlo" | "monte_carlo" | "montecarlo" => Ok(Self::MonteCarlo),
            other => Err(Error::InvalidArgument {
                name: "method",
                reason: format!("'{other}' is not one of 'auto', 'exact', 'monte-carlo'"),
            }),
        }
    }
}

/// Options of [`fisher_exact`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FisherOptions {
    /// Exact, Monte Carlo, or exact when feasible.
    pub method: FisherMethod,
    /// Number of random tables for Monte Carlo.
    pub n_resamples: u64,
    /// Seed of the random tables.
    pub seed: u64,
    /// Feasibility limit of the exact r×c test (number of tables).
    pub max_tables: f64,
    /// Level of the 2×2 conditional odds-ratio interval.
    pub confidence_level: f64,
}

impl Default for FisherOptions {
    fn default() -> Self {
        FisherOptions {
            method: FisherMethod::Auto,
            n_resamples: 10_000,
            seed: 0,
            max_tables: DEFAULT_MAX_TABLES,
            confidence_level: 0.95,
        }
    }
}

/// The result of [`fisher_exact`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FisherExact {
    /// 2×2: the sample odds ratio `ad/(bc)` (scipy's statistic);
    /// r×c: the probability of the observed table (scipy's r×c statistic).
    pub statistic: f64,
    /// The p-value (Monte Carlo: `(1 + hits)/(1 + n_resamples)`).
    pub pvalue: f64,
    /// The alternative (always two-sided for r×c).
    pub alternative: Alternative,
    /// `"exact"` or `"monte-carlo"`.
    pub method: String,
    /// The probability of the observed table given its margins.
    pub table_probability: f64,
    /// 2×2: the one-sided p-values `(P(X ≤ a), P(X ≥ a))` (exact).
    pub pvalues_one_sided: Option<(f64, f64)>,
    /// 2×2: the conditional maximum-likelihood odds ratio.
    pub conditional_odds_ratio: Option<f64>,
    /// 2×2: the exact conditional interval of the odds ratio.
    pub confidence_interval: Option<ConfidenceInterval>,
    /// r×c exact: the number of tables with the observed margins.
    pub n_tables: Option<f64>,
    /// Monte Carlo: the number of random tables.
    pub n_resamples: Option<u64>,
    /// Monte Carlo: the standard error `sqrt(p(1−p)/n_resamples)` of the p-value.
    pub standard_error: Option<f64>,
    /// Monte Carlo: the seed.
    pub seed: Option<u64>,
}

/// Fisher's exact test of independence in an r×c table of counts.
///
/// **2×2** `[[a, b], [c, d]]` (always exact): `X = a` is hypergeometric given
/// the margins. `less` is `P(X ≤ a)`, `greater` `P(X ≥ a)`; `two-sided` sums
/// `P(X = x)` over all `x` with `P(X = x) ≤ P(X = a)·(1 + 1e-14)`, and is 1
/// when `P(X = a)` equals the mode's probability within 1e-14 (exactly
/// scipy's `fisher_exact`). The statistic is scipy's sample odds ratio
/// (`inf` when `bc = 0`); with a zero row or column total it is NaN and the
/// p-value 1 (as scipy). The conditional MLE of the odds ratio and its exact
/// conditional interval (R's `fisher.test`, scipy's
/// `odds_ratio(kind="conditional")`) come with it; the interval follows
/// `alternative` (one-sided intervals for `less`/`greater`).
///
/// **r×c** (only `two-sided`): p sums the probabilities of all tables with
/// the observed margins that are no more probable than the observed one,
/// with R's relative tolerance `1 + 1e-7`. Rows and columns with a zero total
/// are dropped first (they carry no information); fewer than two left gives
/// p = 1. Exact computation walks the tables column by column (a network
/// algorithm: partial tables with the same remaining margins are merged,
/// subtrees that all or none qualify are summed in closed form) when the
/// number of tables with these margins is at most `max_tables`; `Auto` falls
/// back to Monte Carlo above it, `Exact` refuses. Monte Carlo draws
/// `n_resamples` tables from the null distribution (column by column, each
/// cell by exact hypergeometric inversion) with ChaCha8 streams derived from
/// `seed`; the p-value is `(1 + hits)/(1 + n_resamples)` (R's
/// `simulate.p.value`, scipy's `monte_carlo_test`) with standard error
/// `sqrt(p(1 − p)/n_resamples)`, and is identical for the same seed whatever
/// the number of threads.
///
/// # Errors
/// [`Error::InvalidArgument`] for tables that are not at least 2×2 of
/// non-negative whole numbers, a one-sided `alternative` on an r×c table or
/// with Monte Carlo, an exact r×c request above `max_tables`, an invalid
/// `confidence_level` or `n_resamples = 0`.
///
/// # Examples
/// ```
/// use huisverbod::stats::{fisher::{fisher_exact, FisherOptions}, Alternative};
/// use ndarray::array;
/// // scipy.stats.fisher_exact([[8, 2], [1, 5]]) = (20.0, 0.034965034965034975)
/// let r = fisher_exact(array![[8.0, 2.0], [1.0, 5.0]].view(), Alternative::TwoSided,
///                      &FisherOptions::default()).unwrap();
/// assert_eq!(r.statistic, 20.0);
/// assert!((r.pvalue - 0.034965034965034975).abs() < 1e-15);
/// ```
///
/// # References
/// - C. R. Mehta, N. R. Patel (1983), A network algorithm for performing
///   Fisher's exact test in r×c contingency tables, *JASA* 78, 427–434.
/// - R's `fisher.test` (conditional MLE, `conf.int`, `simulate.p.value`).
pub fn fisher_exact(
    table: ndarray::ArrayView2<'_, f64>,
    alternative: Alternative,
    options: &FisherOptions,
) -> Result<FisherExact> {
    let ct = CountTable::from_view(table)?;
    check_level(options.confidence_level)?;
    let mc = match options.method {
        FisherMethod::MonteCarlo => true,
        FisherMethod::Exact | FisherMethod::Auto => false,
    };
    if ct.rows == 2 && ct.cols == 2 && !mc {
        let t = [ct.get(0, 0), ct.get(0, 1), ct.get(1, 0), ct.get(1, 1)];
        return fisher_2x2(t, alternative, options.confidence_level);
    }
    if alternative != Alternative::TwoSided {
        return Err(Error::InvalidArgument {
            name: "alternative",
            reason: "must be 'two-sided' for tables larger than 2×2 and for Monte Carlo".into(),
        });
    }
    if options.n_resamples == 0 && options.method != FisherMethod::Exact {
        return Err(Error::InvalidArgument {
            name: "n_resamples",
            reason: "must be at least 1".into(),
        });
    }
    if options.max_tables.is_nan() || options.max_tables < 1.0 {
        return Err(Error::InvalidArgument {
            name: "max_tables",
            reason: format!("must be at least 1, got {}", options.max_tables),
        });
    }
    let net = Network::new(&ct);
    let table_probability = net.ln_p_obs.exp();
    if !mc {
        let n_tables = net.count_tables(options.max_tables);
        match n_tables {
            Some(n) => match net.pvalue() {
                Some(p) => {
                    return Ok(FisherExact {
                        statistic: table_probability.min(1.0),
                        pvalue: p.min(1.0),
                        alternative,
                        method: "exact".into(),
                        table_probability,
                        pvalues_one_sided: None,
                        conditional_odds_ratio: None,
                        confidence_interval: None,
                        n_tables: Some(n),
                        n_resamples: None,
                        standard_error: None,
                        seed: None,
                    });
                }
                None if options.method == FisherMethod::Exact => {
                    return Err(Error::InvalidArgument {
                        name: "method",
                        reason: format!(
                            "the exact computation would keep more than {MAX_PASTS} partial tables in \
                             memory; use method='monte-carlo'"
                        ),
                    });
                }
                None => {}
            },
            None if options.method == FisherMethod::Exact => {
                return Err(Error::InvalidArgument {
                    name: "max_tables",
                    reason: format!(
                        "the table has more than {} tables with its margins: too many for the \
                         exact test; raise max_tables or use method='monte-carlo'",
                        options.max_tables
                    ),
                });
            }
            None => {}
        }
    }
    let (p, se) = net.monte_carlo(options.n_resamples, options.seed);
    Ok(FisherExact {
        statistic: table_probability.min(1.0),
        pvalue: p,
        alternative,
        method: "monte-carlo".into(),
        table_probability,
        pvalues_one_sided: None,
        conditional_odds_ratio: None,
        confidence_interval: None,
        n_tables: None,
        n_resamples: Some(options.n_resamples),
        standard_error: Some(se),
        seed: Some(options.seed),
    })
}

/// The central hypergeometric distribution of `a` in `[[a, b], [c, d]]`
/// with its log-probabilities over the whole support.
struct Central {
    lo: u64,
    hi: u64,
    a: u64,
    mode: u64,
    ln_p: Vec<f64>,
}

impl Central {
    fn new(t: [u64; 4]) -> Result<Self> {
        let [a, b, c, d] = t;
        let h = Hypergeometric::new(a + b, c + d, a + c);
        let len = h.hi - h.lo + 1;
        if len > MAX_SUPPORT_2X2 {
            return Err(Error::InvalidArgument {
                name: "table",
                reason: format!(
                    "the 2×2 exact computation needs {len} terms, more than the limit {MAX_SUPPORT_2X2}"
                ),
            });
        }
        let ln_p = (h.lo..=h.hi).map(|x| h.ln_pmf(x)).collect();
        Ok(Central {
            lo: h.lo,
            hi: h.hi,
            a,
            mode: h.mode(),
            ln_p,
        })
    }

    fn p(&self, x: u64) -> f64 {
        self.ln_p[(x - self.lo) as usize].exp()
    }

    fn sum(&self, from: u64, to: u64) -> f64 {
        let mut s = Sum::default();
        for x in from..=to {
            s.add(self.p(x));
        }
        s.value()
    }

    fn less(&self) -> f64 {
        self.sum(self.lo, self.a).min(1.0)
    }

    fn greater(&self) -> f64 {
        self.sum(self.a, self.hi).min(1.0)
    }

    fn two_sided(&self) -> f64 {
        let pexact = self.p(self.a);
        let pmode = self.p(self.mode);
        if (pexact - pmode).abs() / pexact.max(pmode) <= TIES_RTOL_2X2 {
            return 1.0;
        }
        let bound = pexact * (1.0 + TIES_RTOL_2X2);
        let mut s = Sum::default();
        for x in self.lo..=self.hi {
            let p = self.p(x);
            if p <= bound {
                s.add(p);
            }
        }
        s.value().min(1.0)
    }

    /// Unnormalized weights `P(X = x) ψ^x`, `ψ = e^t`, scaled to a maximum of 1.
    /// Weights below `e^-80` of the maximum are set to 0 (they cannot move
    /// any sum used here by a relative 1e-20 times the support size).
    fn weights(&self, t: f64) -> Vec<f64> {
        let v: Vec<f64> = self
            .ln_p
            .iter()
            .enumerate()
            .map(|(i, &l)| t.mul_add(i as f64, l))
            .collect();
        let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        v.into_iter()
            .map(|x| if x - m < -80.0 { 0.0 } else { (x - m).exp() })
            .collect()
    }

    /// The mean of the noncentral distribution at `ψ = e^t`.
    fn mean(&self, t: f64) -> f64 {
        let w = self.weights(t);
        let (mut s, mut sx) = (Sum::default(), Sum::default());
        for (i, &wi) in w.iter().enumerate() {
            s.add(wi);
            sx.add(wi * i as f64);
        }
        self.lo as f64 + sx.value() / s.value()
    }

    /// `P(X ≤ x)` (`upper = false`) or `P(X ≥ x)` (`upper = true`) at `ψ = e^t`.
    fn tail(&self, x: u64, t: f64, upper: bool) -> f64 {
        let w = self.weights(t);
        let k = (x - self.lo) as usize;
        let (mut tot, mut part) = (Sum::default(), Sum::default());
        for (i, &wi) in w.iter().enumerate() {
            tot.add(wi);
            if (upper && i >= k) || (!upper && i <= k) {
                part.add(wi);
            }
        }
        part.value() / tot.value()
    }
}

/// Solves `f(t) = 0` for an increasing `f` over the real line by doubling
/// steps from 0 (|t| up to 745, where `e^t` leaves the doubles) and Brent.
fn solve_increasing<F: FnMut(f64) -> f64>(mut f: F) -> Option<f64> {
    let f0 = f(0.0);
    if f0 == 0.0 {
        return Some(0.0);
    }
    let dir = if f0 < 0.0 { 1.0 } else { -1.0 };
    let (mut prev, mut step) = (0.0, 1.0);
    loop {
        let t = dir * step;
        let v = f(t);
        if v.is_nan() {
            return None;
        }
        if (v > 0.0) == (dir > 0.0) || v == 0.0 {
            let (lo, hi) = if dir > 0.0 { (prev, t) } else { (t, prev) };
            return brent_root(&mut f, lo, hi);
        }
        if step > 745.0 {
            return None;
        }
        prev = t;
        step *= 2.0;
    }
}

/// The conditional maximum-likelihood estimate of the odds ratio of the 2×2
/// table `[a, b, c, d]` (R's `fisher.test` estimate, scipy's
/// `odds_ratio(kind="conditional")`): the `ψ` at which the mean of Fisher's
/// noncentral hypergeometric distribution equals `a`; 0 when `a` is at the
/// lower end of its support, `inf` at the upper end, NaN with a zero margin.
///
/// # Errors
/// [`Error::InvalidArgument`] when the support exceeds [`MAX_SUPPORT_2X2`].
pub fn conditional_odds_ratio(t: [u64; 4]) -> Result<f64> {
    if zero_margin(t) {
        return Ok(f64::NAN);
    }
    let cen = Central::new(t)?;
    if cen.a == cen.lo {
        return Ok(0.0);
    }
    if cen.a == cen.hi {
        return Ok(f64::INFINITY);
    }
    let x = cen.a as f64;
    Ok(solve_increasing(|t| cen.mean(t) - x).map_or(f64::NAN, f64::exp))
}

/// The exact conditional confidence interval of the odds ratio of the 2×2
/// table `[a, b, c, d]` (R's `fisher.test` `conf.int`):
///
/// ```text
/// lower: ψ_L with P(X ≥ a; ψ_L) = α   (0 when a is the smallest possible value)
/// upper: ψ_U with P(X ≤ a; ψ_U) = α   (inf when a is the largest possible value)
/// ```
///
/// with `α = (1 − level)/2` for `TwoSided` and `1 − level` for the one-sided
/// bounds (`Less` gives `(0, ψ_U)`, `Greater` `(ψ_L, inf)`). The roots are
/// found in `ln ψ` by Brent's method on tail sums that keep their relative
/// precision. A zero margin gives `(0, inf)`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a bad level or too large a support.
pub fn conditional_odds_ratio_ci(
    t: [u64; 4],
    confidence_level: f64,
    alternative: Alternative,
) -> Result<ConfidenceInterval> {
    check_level(confidence_level)?;
    let ci = |low: f64, high: f64| ConfidenceInterval {
        low,
        high,
        level: confidence_level,
    };
    if zero_margin(t) {
        return Ok(ci(0.0, f64::INFINITY));
    }
    let cen = Central::new(t)?;
    let lower = |alpha: f64| {
        if cen.a == cen.lo {
            0.0
        } else {
            solve_increasing(|t| cen.tail(cen.a, t, true) - alpha).map_or(f64::NAN, f64::exp)
        }
    };
    let upper = |alpha: f64| {
        if cen.a == cen.hi {
            f64::INFINITY
        } else {
            solve_increasing(|t| alpha - cen.tail(cen.a, t, false)).map_or(f64::NAN, f64::exp)
        }
    };
    let alpha = 1.0 - confidence_level;
    Ok(match alternative {
        Alternative::TwoSided => ci(lower(alpha / 2.0), upper(alpha / 2.0)),
        Alternative::Less => ci(0.0, upper(alpha)),
        Alternative::Greater => ci(lower(alpha), f64::INFINITY),
    })
}

/// The exact 2×2 p-values SPSS reports: `(two-sided, one-sided)`, the
/// one-sided being the smaller of `P(X ≤ a)` and `P(X ≥ a)`.
pub(crate) fn pvalues_2x2(t: [u64; 4]) -> Result<(f64, f64)> {
    if zero_margin(t) {
        return Ok((1.0, 1.0));
    }
    let [a, b, c, _] = t;
    if (a + b).min(a + c) > MAX_SUPPORT_IN_CHI2 {
        return Err(Error::InvalidArgument {
            name: "table",
            reason: "too large for the exact p-values in the chi-square summary".into(),
        });
    }
    let cen = Central::new(t)?;
    Ok((cen.two_sided(), cen.less().min(cen.greater())))
}

fn zero_margin(t: [u64; 4]) -> bool {
    let [a, b, c, d] = t;
    a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0
}

/// The exact 2×2 test (see [`fisher_exact`]).
fn fisher_2x2(t: [u64; 4], alternative: Alternative, level: f64) -> Result<FisherExact> {
    let [a, b, c, d] = t;
    let sample_or = if c > 0 && b > 0 {
        (a as f64 * d as f64) / (c as f64 * b as f64)
    } else {
        f64::INFINITY
    };
    if zero_margin(t) {
        return Ok(FisherExact {
            statistic: f64::NAN,
            pvalue: 1.0,
            alternative,
            method: "exact".into(),
            table_probability: 1.0,
            pvalues_one_sided: Some((1.0, 1.0)),
            conditional_odds_ratio: Some(f64::NAN),
            confidence_interval: Some(ConfidenceInterval {
                low: 0.0,
                high: f64::INFINITY,
                level,
            }),
            n_tables: Some(1.0),
            n_resamples: None,
            standard_error: None,
            seed: None,
        });
    }
    let cen = Central::new(t)?;
    let (less, greater) = (cen.less(), cen.greater());
    let pvalue = match alternative {
        Alternative::Less => less,
        Alternative::Greater => greater,
        Alternative::TwoSided => cen.two_sided(),
    };
    Ok(FisherExact {
        statistic: sample_or,
        pvalue,
        alternative,
        method: "exact".into(),
        table_probability: cen.p(a),
        pvalues_one_sided: Some((less, greater)),
        conditional_odds_ratio: Some(conditional_odds_ratio(t)?),
        confidence_interval: Some(conditional_odds_ratio_ci(t, level, alternative)?),
        n_tables: Some((cen.hi - cen.lo + 1) as f64),
        n_resamples: None,
        standard_error: None,
        seed: None,
    })
}

// ---------------------------------------------------------------- r×c

/// One past of a node in the network: the log-probability of the partial
/// table so far and how many partial tables share it.
#[derive(Clone, Copy, Debug)]
struct Past {
    v: f64,
    count: f64,
}

/// Pasts whose log-probabilities agree within this absolute amount are
/// merged (the merged mass is then off by at most this relative amount).
const MERGE_LOG_TOL: f64 = 1e-11;

/// Most pasts the exact r×c computation keeps in one layer (about 32 bytes
/// each); beyond it the exact test gives up (memory guard for users who
/// raise `max_tables` far above its default).
pub const MAX_PASTS: usize = 20_000_000;

/// Slack on the pruning bounds so that rounding never prunes a borderline
/// subtree wrongly (such subtrees are enumerated instead).
const PRUNE_SLACK: f64 = 1e-9;

/// The r×c table arranged for the network: `k` rows (the shorter
/// dimension), columns processed one by one.
struct Network {
    rows: Vec<u32>,
    cols: Vec<u32>,
    cells: Vec<Vec<u32>>, // cells[j][i]: column j, row i
    lnf: Vec<f64>,
    ln_p_obs: f64,
    /// Constant part of ln P: Σ ln rᵢ! + Σ ln cⱼ! − ln N!.
    ln_const: f64,
    /// Σ ln nᵢⱼ! of the observed table.
    obs_sum_lnf: f64,
}

impl Network {
    fn new(ct: &CountTable) -> Self {
        let keep_r: Vec<usize> = (0..ct.rows).filter(|&i| ct.row_sums[i] > 0).collect();
        let keep_c: Vec<usize> = (0..ct.cols).filter(|&j| ct.col_sums[j] > 0).collect();
        // Orient so that the key (remaining row margins) is the shorter dimension.
        let transpose = keep_r.len() > keep_c.len();
        let (rr, cc) = if transpose {
            (&keep_c, &keep_r)
        } else {
            (&keep_r, &keep_c)
        };
        let get = |i: usize, j: usize| -> u32 {
            if transpose {
                ct.get(j, i) as u32
            } else {
                ct.get(i, j) as u32
            }
        };
        let cells: Vec<Vec<u32>> = cc
            .iter()
            .map(|&j| rr.iter().map(|&i| get(i, j)).collect())
            .collect();
        let rows: Vec<u32> = (0..rr.len())
            .map(|i| cells.iter().map(|col| col[i]).sum())
            .collect();
        let cols: Vec<u32> = cells.iter().map(|col| col.iter().sum()).collect();
        let n = ct.total as usize;
        let mut lnf = Vec::with_capacity(n + 1);
        for k in 0..=n {
            lnf.push(statrs::function::gamma::ln_gamma(k as f64 + 1.0));
        }
        let mut net = Network {
            rows,
            cols,
            cells,
            lnf,
            ln_p_obs: 0.0,
            ln_const: 0.0,
            obs_sum_lnf: 0.0,
        };
        let mut konst = Sum::default();
        for &r in &net.rows {
            konst.add(net.lnf[r as usize]);
        }
        for &c in &net.cols {
            konst.add(net.lnf[c as usize]);
        }
        konst.add(-net.lnf[n]);
        net.ln_const = konst.value();
        let mut obs = Sum::default();
        for col in &net.cells {
            for &x in col {
                obs.add(net.lnf[x as usize]);
            }
        }
        net.obs_sum_lnf = obs.value();
        // ln P of the observed table along its own path (same arithmetic as
        // every other path of the network).
        if net.rows.len() >= 2 && net.cols.len() >= 2 {
            let mut rem = net.rows.clone();
            let mut v = 0.0;
            for j in 0..net.cols.len() - 1 {
                v += net.step(&rem, &net.cells[j], net.cols[j]);
                for (r, x) in rem.iter_mut().zip(&net.cells[j]) {
                    *r -= x;
                }
            }
            net.ln_p_obs = v;
        }
        net
    }

    /// `ln P(column = x | remaining row margins r)` (multivariate hypergeometric).
    fn step(&self, r: &[u32], x: &[u32], cj: u32) -> f64 {
        let t: u32 = r.iter().sum();
        let mut s = Sum::default();
        for (&ri, &xi) in r.iter().zip(x) {
            s.add(self.lnf[ri as usize] - self.lnf[xi as usize] - self.lnf[(ri - xi) as usize]);
        }
        s.add(-(self.lnf[t as usize] - self.lnf[cj as usize] - self.lnf[(t - cj) as usize]));
        s.value()
    }

    fn trivial(&self) -> bool {
        self.rows.len() < 2 || self.cols.len() < 2
    }

    /// The number of tables with these margins, or `None` above `limit`.
    fn count_tables(&self, limit: f64) -> Option<f64> {
        if self.trivial() {
            return Some(1.0);
        }
        let mut layer: HashMap<Vec<u32>, f64> = HashMap::default();
        layer.insert(sorted(&self.rows), 1.0);
        let m = self.cols.len();
        for j in 0..m - 2 {
            let mut next: HashMap<Vec<u32>, f64> = HashMap::default();
            let mut paths = 0.0;
            for (node, &cnt) in &layer {
                let ok = for_each_column(node, self.cols[j], &mut |x| {
                    let child = child_key(node, x);
                    *next.entry(child).or_insert(0.0) += cnt;
                    paths += cnt;
                    paths <= limit
                });
                if !ok {
                    return None;
                }
            }
            layer = next;
        }
        // The last two columns: the number of completions of a node is the
        // number of bounded compositions of the column total.
        let mut total = 0.0;
        for (node, &cnt) in &layer {
            total += cnt * bounded_compositions(node, self.cols[m - 2]);
            if total > limit {
                return None;
            }
        }
        Some(total)
    }

    /// Bounds `(max, min)` of `ln P(completion | node)` over the sub-table
    /// with row margins `r` and columns `cols` (relaxations: the most even
    /// split of each row or column bounds the max, `Σ ln n! ≤ ln(Σ n)!` the min).
    fn bounds(&self, r: &[u32], cols: &[u32]) -> (f64, f64) {
        let t: u32 = r.iter().sum();
        let nz_rows = r.iter().filter(|&&x| x > 0).count() as u32;
        let even = |s: u32, parts: u32| -> f64 {
            if parts == 0 {
                return 0.0;
            }
            let q = s / parts;
            let rem = s % parts;
            f64::from(parts - rem) * self.lnf[q as usize]
                + f64::from(rem) * self.lnf[q as usize + 1]
        };
        let (mut k, mut row_even, mut row_max) = (0.0, 0.0, 0.0);
        for &ri in r {
            k += self.lnf[ri as usize];
            row_even += even(ri, cols.len() as u32);
            row_max += self.lnf[ri as usize];
        }
        let (mut col_even, mut col_max) = (0.0, 0.0);
        for &cj in cols {
            k += self.lnf[cj as usize];
            col_even += even(cj, nz_rows);
            col_max += self.lnf[cj as usize];
        }
        k -= self.lnf[t as usize];
        let min_sum = f64::max(row_even, col_even);
        let max_sum = f64::min(row_max, col_max);
        (k - min_sum, k - max_sum)
    }

    /// The exact p-value (network algorithm); `None` when a layer would
    /// hold more than [`MAX_PASTS`] pasts.
    fn pvalue(&self) -> Option<f64> {
        if self.trivial() {
            return Some(1.0);
        }
        let thr = self.ln_p_obs + TIES_RTOL_RXC.ln_1p();
        let key = |v: f64| (v / MERGE_LOG_TOL).round() as i64;
        let mut p = Sum::default();
        let mut layer: HashMap<Vec<u32>, HashMap<i64, Past>> = HashMap::default();
        layer
            .entry(sorted(&self.rows))
            .or_default()
            .insert(key(0.0), Past { v: 0.0, count: 1.0 });
        let m = self.cols.len();
        for j in 0..m - 1 {
            let mut next: HashMap<Vec<u32>, HashMap<i64, Past>> = HashMap::default();
            let mut stored = 0usize;
            for (node, pasts) in &layer {
                let (max_lp, min_lp) = self.bounds(node, &self.cols[j..]);
                let mut live: Vec<Past> = Vec::new();
                for past in pasts.values() {
                    if past.v + max_lp + PRUNE_SLACK <= thr {
                        p.add(past.count * past.v.exp());
                    } else if past.v + min_lp - PRUNE_SLACK > thr {
                        // no completion qualifies
                    } else {
                        live.push(*past);
                    }
                }
                if live.is_empty() {
                    continue;
                }
                if j == m - 2 {
                    // The last column is forced: a completion is just this
                    // column's x, with ln P = s(x). Sort the s(x) once and
                    // answer every past by binary search on prefix sums.
                    let mut steps: Vec<f64> = Vec::new();
                    for_each_column(node, self.cols[j], &mut |x| {
                        steps.push(self.step(node, x, self.cols[j]));
                        true
                    });
                    steps.sort_unstable_by(f64::total_cmp);
                    let mut prefix = Vec::with_capacity(steps.len() + 1);
                    let mut acc = Sum::default();
                    prefix.push(0.0);
                    for &st in &steps {
                        acc.add(st.exp());
                        prefix.push(acc.value());
                    }
                    for past in &live {
                        let k = steps.partition_point(|&st| past.v + st <= thr);
                        p.add(past.count * past.v.exp() * prefix[k]);
                    }
                    continue;
                }
                let ok = for_each_column(node, self.cols[j], &mut |x| {
                    let s = self.step(node, x, self.cols[j]);
                    let entry = next.entry(child_key(node, x)).or_default();
                    for past in &live {
                        let v = past.v + s;
                        match entry.entry(key(v)) {
                            std::collections::hash_map::Entry::Occupied(mut o) => {
                                o.get_mut().count += past.count;
                            }
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(Past {
                                    v,
                                    count: past.count,
                                });
                                stored += 1;
                            }
                        }
                    }
                    stored <= MAX_PASTS
                });
                if !ok {
                    return None;
                }
            }
            layer = next;
        }
        Some(p.value())
    }

    /// Monte Carlo p-value and its standard error.
    fn monte_carlo(&self, n_resamples: u64, seed: u64) -> (f64, f64) {
        if self.trivial() {
            return (1.0, 0.0);
        }
        // "No more probable": Σ ln n! of the random table ≥ observed − ln(1 + 1e-7).
        let thr = self.obs_sum_lnf - TIES_RTOL_RXC.ln_1p();
        let n_chunks = n_resamples.div_ceil(MC_CHUNK);
        let hits: u64 = (0..n_chunks)
            .into_par_iter()
            .map(|k| {
                let mut rng = chacha_stream(seed, k);
                let todo = MC_CHUNK.min(n_resamples - k * MC_CHUNK);
                let mut hits = 0u64;
                let mut rem = vec![0u32; self.rows.len()];
                for _ in 0..todo {
                    if self.random_sum_lnf(&mut rng, &mut rem) >= thr {
                        hits += 1;
                    }
                }
                hits
            })
            .sum();
        let b = n_resamples as f64;
        let p = (1.0 + hits as f64) / (1.0 + b);
        (p, (p * (1.0 - p) / b).sqrt())
    }

    /// Draws a table from the null distribution and returns its Σ ln n!.
    fn random_sum_lnf(&self, rng: &mut ChaCha8Rng, rem: &mut [u32]) -> f64 {
        rem.copy_from_slice(&self.rows);
        let mut left: u32 = self.rows.iter().sum();
        let mut s = Sum::default();
        for &cj in &self.cols {
            let mut need = cj;
            let mut pool = left;
            for r in rem.iter_mut() {
                let x = if pool == *r {
                    need
                } else {
                    random_hypergeometric(rng, *r, pool - *r, need)
                };
                pool -= *r;
                *r -= x;
                need -= x;
                s.add(self.lnf[x as usize]);
            }
            left -= cj;
        }
        s.value()
    }
}

/// A ChaCha8 generator for stream `k` of `seed` (the 256-bit key is the
/// seed expanded by SplitMix64, so the mapping is fully specified here).
fn chacha_stream(seed: u64, k: u64) -> ChaCha8Rng {
    let mut state = seed;
    let mut key = [0u8; 32];
    for chunk in key.chunks_mut(8) {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        chunk.copy_from_slice(&z.to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(k);
    rng
}

/// A uniform double in [0, 1) with 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

/// A draw of the number of white balls among `n` drawn from `white` white and
/// `black` black balls: inversion of the exact CDF, searching outward from
/// the mode (the more probable neighbour first), so the cost is O(sd).
fn random_hypergeometric(rng: &mut ChaCha8Rng, white: u32, black: u32, n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    let h = Hypergeometric::new(u64::from(white), u64::from(black), u64::from(n));
    let (lo, hi) = (h.lo as u32, h.hi as u32);
    if lo == hi {
        return lo;
    }
    let m = h.mode() as u32;
    let (w, b, nn) = (f64::from(white), f64::from(black), f64::from(n));
    let pm = h.ln_pmf(u64::from(m)).exp();
    let mut u = uniform(rng) - pm;
    if u < 0.0 {
        return m;
    }
    // p(x+1)/p(x) = (w−x)(n−x) / ((x+1)(b−n+x+1))
    let (mut l, mut pl) = (m, pm);
    let (mut r, mut pr) = (m, pm);
    loop {
        let next_l = if l > lo {
            let x = f64::from(l - 1);
            Some(pl * (x + 1.0) * (b - nn + x + 1.0) / ((w - x) * (nn - x)))
        } else {
            None
        };
        let next_r = if r < hi {
            let x = f64::from(r);
            Some(pr * (w - x) * (nn - x) / ((x + 1.0) * (b - nn + x + 1.0)))
        } else {
            None
        };
        match (next_l, next_r) {
            (None, None) => return m,
            (Some(a), Some(c)) if a >= c => {
                l -= 1;
                pl = a;
                u -= a;
                if u < 0.0 {
                    return l;
                }
            }
            (Some(a), None) => {
                l -= 1;
                pl = a;
                u -= a;
                if u < 0.0 {
                    return l;
                }
            }
            (_, Some(c)) => {
                r += 1;
                pr = c;
                u -= c;
                if u < 0.0 {
                    return r;
                }
            }
        }
    }
}

/// The number of `x` with `Σx = total`, `0 ≤ xᵢ ≤ r[i]`, by inclusion–exclusion:
/// `Σ_S (−1)^|S| C(total − Σ_{i∈S}(rᵢ+1) + k − 1, k − 1)` (exact in i128;
/// `inf` if that overflows, which only happens far above any table limit).
fn bounded_compositions(r: &[u32], total: u32) -> f64 {
    let k = r.len();
    if k == 0 {
        return if total == 0 { 1.0 } else { 0.0 };
    }
    if k > 20 {
        // 2^k subsets would be too many; count by enumeration instead.
        let mut n = 0.0;
        for_each_column(r, total, &mut |_| {
            n += 1.0;
            true
        });
        return n;
    }
    let binom = |n: i128, kk: i128| -> Option<i128> {
        if n < kk || kk < 0 {
            return Some(0);
        }
        let mut acc: i128 = 1;
        for i in 0..kk {
            acc = acc.checked_mul(n - i)? / (i + 1);
        }
        Some(acc)
    };
    let mut sum: i128 = 0;
    for mask in 0u32..(1u32 << k) {
        let mut rem = i128::from(total);
        for (i, &ri) in r.iter().enumerate() {
            if mask & (1 << i) != 0 {
                rem -= i128::from(ri) + 1;
            }
        }
        if rem < 0 {
            continue;
        }
        let Some(c) = binom(rem + k as i128 - 1, k as i128 - 1) else {
            return f64::INFINITY;
        };
        if mask.count_ones() % 2 == 0 {
            sum += c;
        } else {
            sum -= c;
        }
    }
    sum as f64
}

fn sorted(v: &[u32]) -> Vec<u32> {
    let mut s = v.to_vec();
    s.sort_unstable_by(|a, b| b.cmp(a));
    s
}

fn child_key(node: &[u32], x: &[u32]) -> Vec<u32> {
    let mut c: Vec<u32> = node.iter().zip(x).map(|(r, x)| r - x).collect();
    c.sort_unstable_by(|a, b| b.cmp(a));
    c
}

/// Calls `f` for every column `x` with `Σx = total`, `0 ≤ xᵢ ≤ r[i]`; stops
/// (returning false) as soon as `f` returns false.
fn for_each_column(r: &[u32], total: u32, f: &mut dyn FnMut(&[u32]) -> bool) -> bool {
    let k = r.len();
    let mut cap = vec![0u32; k + 1];
    for i in (0..k).rev() {
        cap[i] = cap[i + 1] + r[i];
    }
    if total > cap[0] {
        return true;
    }
    let mut x = vec![0u32; k];
    fill(r, &cap, 0, total, &mut x, f)
}

fn fill(
    r: &[u32],
    cap: &[u32],
    i: usize,
    remaining: u32,
    x: &mut Vec<u32>,
    f: &mut dyn FnMut(&[u32]) -> bool,
) -> bool {
    let k = r.len();
    if i == k - 1 {
        x[i] = remaining;
        return f(x);
    }
    let lo = remaining.saturating_sub(cap[i + 1]);
    let hi = r[i].min(remaining);
    for v in lo..=hi {
        x[i] = v;
        if !fill(r, cap, i + 1, remaining - v, x, f) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn close(a: f64, b: f64, rtol: f64) -> bool {
        (a - b).abs() <= rtol * b.abs()
    }

    #[test]
    fn tea_tasting_by_hand() {
        // [[3, 1], [1, 3]]: margins 4,4 / 4,4, N = 8; P(X = x) = C(4,x)C(4,4−x)/70:
        // x = 0..4: 1, 16, 36, 16, 1 (/70). Greater: P(X ≥ 3) = 17/70;
        // two-sided: 1 + 16 + 16 + 1 = 34/70.
        let opts = FisherOptions::default();
        let t = array![[3.0, 1.0], [1.0, 3.0]];
        let r = fisher_exact(t.view(), Alternative::Greater, &opts).unwrap();
        assert!(close(r.pvalue, 17.0 / 70.0, 1e-14));
        assert_eq!(r.statistic, 9.0);
        let r = fisher_exact(t.view(), Alternative::TwoSided, &opts).unwrap();
        assert!(close(r.pvalue, 34.0 / 70.0, 1e-14));
        assert!(close(r.table_probability, 16.0 / 70.0, 1e-14));
        // The conditional MLE solves E[X; ψ] = 3 with weights 1, 16ψ, 36ψ², 16ψ³, ψ⁴.
        let psi = r.conditional_odds_ratio.unwrap();
        let w = [
            1.0,
            16.0 * psi,
            36.0 * psi * psi,
            16.0 * psi.powi(3),
            psi.powi(4),
        ];
        let mean: f64 =
            w.iter().enumerate().map(|(i, v)| i as f64 * v).sum::<f64>() / w.iter().sum::<f64>();
        assert!(close(mean, 3.0, 1e-12));
        let ci = r.confidence_interval.unwrap();
        assert!(ci.low < psi && psi < ci.high);
    }

    #[test]
    fn zero_margin_follows_scipy() {
        let t = array![[0.0, 0.0], [3.0, 4.0]];
        let r = fisher_exact(t.view(), Alternative::TwoSided, &FisherOptions::default()).unwrap();
        assert!(r.statistic.is_nan());
        assert_eq!(r.pvalue, 1.0);
    }

    #[test]
    fn rxc_by_hand() {
        // 2×3 table [[1, 0, 1], [0, 1, 1]]: margins rows 2, 2; columns 1, 1, 2; N = 4.
        // Tables (first row): (1,0,1) (0,1,1) (1,1,0) (0,0,2), probabilities
        // Π r! Π c! / (N! Π n!) = 2!2!·1!1!2!/4! = 8/24 / Π n!:
        // (1,0,1),(0,1,1): 1/3 each (Π n! = 1); (1,1,0),(0,0,2): 1/6 each (Π n! = 2).
        // Observed (1,0,1) has 1/3: all tables qualify, p = 1; table (1,1,0) gives p = 1/3.
        let opts = FisherOptions::default();
        let r = fisher_exact(
            array![[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]].view(),
            Alternative::TwoSided,
            &opts,
        )
        .unwrap();
        assert!(close(r.pvalue, 1.0, 1e-14));
        assert!(close(r.table_probability, 1.0 / 3.0, 1e-14));
        assert_eq!(r.n_tables, Some(4.0));
        let r = fisher_exact(
            array![[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]].view(),
            Alternative::TwoSided,
            &opts,
        )
        .unwrap();
        assert!(close(r.pvalue, 1.0 / 3.0, 1e-14), "{}", r.pvalue);
        assert!(fisher_exact(
            array![[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]].view(),
            Alternative::Less,
            &opts
        )
        .is_err());
    }

    #[test]
    fn monte_carlo_is_reproducible_and_close() {
        let t = array![[3.0, 1.0, 4.0], [1.0, 5.0, 2.0], [2.0, 2.0, 6.0]];
        let exact =
            fisher_exact(t.view(), Alternative::TwoSided, &FisherOptions::default()).unwrap();
        let opts = FisherOptions {
            method: FisherMethod::MonteCarlo,
            n_resamples: 20_000,
            seed: 42,
            ..FisherOptions::default()
        };
        let a = fisher_exact(t.view(), Alternative::TwoSided, &opts).unwrap();
        let b = fisher_exact(t.view(), Alternative::TwoSided, &opts).unwrap();
        assert_eq!(a.pvalue, b.pvalue);
        let se = a.standard_error.unwrap();
        assert!(
            (a.pvalue - exact.pvalue).abs() < 5.0 * se + 1.0 / 20_000.0,
            "{} vs {}",
            a.pvalue,
            exact.pvalue
        );
    }

    #[test]
    fn bounded_compositions_by_hand() {
        // x1 + x2 = 3 with x1 ≤ 2, x2 ≤ 2: (1,2), (2,1) → 2.
        assert_eq!(bounded_compositions(&[2, 2], 3), 2.0);
        // x1 + x2 + x3 = 2, all ≤ 5: C(4, 2) = 6.
        assert_eq!(bounded_compositions(&[5, 5, 5], 2), 6.0);
        let mut n = 0.0;
        for_each_column(&[3, 1, 4, 2], 5, &mut |_| {
            n += 1.0;
            true
        });
        assert_eq!(bounded_compositions(&[3, 1, 4, 2], 5), n);
    }

    #[test]
    fn limit_is_enforced() {
        let t = array![[3.0, 1.0, 4.0], [1.0, 5.0, 2.0], [2.0, 2.0, 6.0]];
        let opts = FisherOptions {
            method: FisherMethod::Exact,
            max_tables: 10.0,
            ..FisherOptions::default()
        };
        let e = fisher_exact(t.view(), Alternative::TwoSided, &opts).unwrap_err();
        assert!(e.to_string().contains("max_tables"));
    }
}
