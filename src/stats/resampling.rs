//! Resampling: permutation tests and bootstrap intervals, seeded and identical whatever the thread count.
//!
//! # Random streams
//!
//! Resample `i` (0-based) of a run with seed `s` draws all its random numbers
//! from its own [`Stream`]: xoshiro256++ (Blackman & Vigna 2021) whose state
//! is four successive SplitMix64 outputs started at the `i + 1`-th SplitMix64
//! output of `s` (the seeding its authors recommend). Because no resample
//! shares a generator with another, the work can be cut into chunks and run
//! on any number of threads (rayon) with bit-for-bit the same result, and
//! resample `i` of a run with `n_resamples = 1000` is resample `i` of the
//! same run with `n_resamples = 10000`. Integers below `m` are drawn without
//! bias by Lemire's multiply-and-reject method, from 32 random bits (the
//! high, then the low half of each output) when `m < 2³²`. The stream is defined here
//! (not by an external crate) so that published results stay reproducible
//! across versions of this crate's dependencies.
//!
//! The streams differ from numpy's, so a Monte Carlo p-value or a bootstrap
//! interval is not the number scipy prints for the same seed; it agrees with
//! it within Monte Carlo error. Everything that does not depend on the
//! random draws (the exact permutation test, the p-value conventions, the
//! interval given a bootstrap distribution) follows scipy exactly.
//!
//! # Permutation tests
//!
//! [`permutation_test`] follows `scipy.stats.permutation_test` with
//! `permutation_type="independent"`: when the number of distinct
//! relabellings `C(nx + ny, nx)` is at most `n_resamples` they are all
//! enumerated (exact test, in the order of `itertools.combinations`),
//! otherwise `n_resamples` random relabellings are drawn. With `T` the null
//! distribution and `t` the observed statistic,
//!
//! ```text
//! γ = 100·ε·|t|                         (ε = 2.22e-16: scipy's "at least as extreme" tolerance)
//! less    = (#{T ≤ t + γ} + a) / (B + a)
//! greater = (#{T ≥ t − γ} + a) / (B + a)
//! two-sided = min(2·min(less, greater), 1)
//! a = 0 for the exact test (B = all relabellings), a = 1 for Monte Carlo
//! ```
//!
//! (scipy's docstring says the tolerance is about 1e-14; its code uses
//! `finfo(float64).eps * 100` = 2.22e-14, relative to |t| and 0 when t = 0;
//! the code is what is replicated here.)
//!
//! # Bootstrap
//!
//! [`bootstrap`] resamples each sample independently (scipy's `bootstrap`
//! with a tuple of samples, `paired=False`) and forms percentile, basic or
//! BCa intervals with [`bootstrap_interval`], which replicates
//! `scipy.stats.bootstrap` (scipy ≥ 1.15) given the bootstrap distribution.

use super::accurate::{norm_cdf, norm_ppf};
use super::{check_level, check_sample, Alternative, ConfidenceInterval, TestResult};
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Resamples per rayon task. Results do not depend on it.
const CHUNK: usize = 512;

/// Largest sample for which BCa's jackknife recomputes Cohen's d from the
/// remaining observations instead of updating sums.
const COHENS_D_DIRECT_JACKKNIFE: usize = 2000;

/// The relative tolerance for "at least as extreme as the observed
/// statistic": 100 machine epsilons, as in `scipy.stats.permutation_test`.
pub const EXTREME_RTOL: f64 = 100.0 * f64::EPSILON;

const SPLITMIX_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function (Steele, Lea & Flood 2014).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of one resample: xoshiro256++ seeded through SplitMix64.
///
/// ```text
/// k      = SplitMix64 output number index+1 of seed = mix64(seed + (index+1)·γ)
/// state  = mix64(k + γ), mix64(k + 2γ), mix64(k + 3γ), mix64(k + 4γ)
/// γ      = 0x9E3779B97F4A7C15
/// ```
///
/// # Examples
///
/// ```
/// use huisverbod::stats::resampling::Stream;
/// let mut a = Stream::new(7, 3);
/// let mut b = Stream::new(7, 3);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(Stream::new(7, 3).below(10) < 10);
/// ```
#[derive(Clone, Debug)]
pub struct Stream {
    s: [u64; 4],
    /// The low half of the last 64-bit output, not yet used by [`Stream::below`].
    spare: Option<u32>,
}

impl Stream {
    /// The stream of resample `index` of a run seeded with `seed`.
    pub fn new(seed: u64, index: u64) -> Self {
        let key = mix64(seed.wrapping_add(SPLITMIX_GAMMA.wrapping_mul(index.wrapping_add(1))));
        let mut state = key;
        let mut next = || {
            state = state.wrapping_add(SPLITMIX_GAMMA);
            mix64(state)
        };
        // mix64 is a bijection, so four successive outputs are never all zero.
        Stream {
            s: [next(), next(), next(), next()],
            spare: None,
        }
    }

    /// The next 64 random bits (xoshiro256++).
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// The next 32 random bits: the high half of a 64-bit output, then its
    /// low half.
    fn next_u32(&mut self) -> u32 {
        match self.spare.take() {
            Some(v) => v,
            None => {
                let r = self.next_u64();
                self.spare = Some(r as u32);
                (r >> 32) as u32
            }
        }
    }

    /// A uniform integer in `0..n` (`n ≥ 1`), without modulo bias (Lemire
    /// 2019): for n < 2³² from 32 random bits (two draws per 64-bit output),
    /// else from 64.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        if let Ok(n32) = u32::try_from(n) {
            let mut m = u64::from(self.next_u32()) * u64::from(n32);
            let mut low = m as u32;
            if low < n32 {
                let threshold = n32.wrapping_neg() % n32;
                while low < threshold {
                    m = u64::from(self.next_u32()) * u64::from(n32);
                    low = m as u32;
                }
            }
            return m >> 32;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
                low = m as u64;
            }
        }
        (m >> 64) as u64
    }
}

/// How many resamples to draw, the seed, and the number of threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResampleOptions {
    /// Number of resamples (for the permutation test: the most relabellings
    /// to enumerate before switching to Monte Carlo). `u64::MAX` asks for an
    /// exact permutation test whatever its size.
    pub n_resamples: u64,
    /// The seed of the random streams.
    pub seed: u64,
    /// Threads to use: `None` for rayon's global pool (`RAYON_NUM_THREADS`),
    /// `Some(t)` for a pool of `t` threads built for this call. The result is
    /// the same either way.
    pub threads: Option<usize>,
}

impl Default for ResampleOptions {
    fn default() -> Self {
        ResampleOptions {
            n_resamples: 9999,
            seed: 0,
            threads: None,
        }
    }
}

/// Runs `f` on the global rayon pool or on a pool of `threads` threads.
pub(crate) fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T> {
    match threads {
        None => Ok(f()),
        Some(0) => Err(Error::InvalidArgument {
            name: "threads",
            reason: "must be at least 1".into(),
        }),
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| Error::InvalidArgument {
                    name: "threads",
                    reason: format!("cannot start {t} threads: {e}"),
                })?;
            Ok(pool.install(f))
        }
    }
}

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Checks that a sample has at least two finite observations (scipy's rule
/// for resampling methods).
fn check_resample_sample(name: &'static str, x: &[f64]) -> Result<()> {
    check_sample(name, x)?;
    if x.len() < 2 {
        return Err(invalid(name, "needs at least two observations"));
    }
    Ok(())
}

/// Checks that every value is 0 or 1.
fn check_binary(name: &'static str, x: &[f64]) -> Result<()> {
    if let Some(i) = x.iter().position(|&v| v != 0.0 && v != 1.0) {
        return Err(invalid(
            name,
            format!(
                "must hold only 0 and 1 for a proportion statistic, got {} at position {i}",
                x[i]
            ),
        ));
    }
    Ok(())
}

/// `C(n, k)` if it is at most `cap`, else `None`.
fn binomial_capped(n: u64, k: u64, cap: u128) -> Option<u128> {
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 1..=u128::from(k) {
        // r = C(n − k + i, i), increasing in i, so stopping early is safe.
        r = r * (u128::from(n - k) + i) / i;
        if r > cap {
            return None;
        }
    }
    Some(r)
}

// ------------------------------------------------------------------ permutation

/// The statistic of a two-sample permutation test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermutationStatistic {
    /// mean(x) − mean(y).
    MeanDifference,
    /// The same statistic on 0/1 data: the difference in proportions (the
    /// data are checked to be 0/1).
    ProportionDifference,
}

impl PermutationStatistic {
    /// `mean_difference` or `proportion_difference`.
    pub fn as_str(self) -> &'static str {
        match self {
            PermutationStatistic::MeanDifference => "mean_difference",
            PermutationStatistic::ProportionDifference => "proportion_difference",
        }
    }
}

impl FromStr for PermutationStatistic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "mean_difference" => Ok(PermutationStatistic::MeanDifference),
            "proportion_difference" => Ok(PermutationStatistic::ProportionDifference),
            other => Err(invalid(
                "statistic",
                format!("'{other}' is not one of 'mean_difference', 'proportion_difference'"),
            )),
        }
    }
}

/// The result of [`permutation_test`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PermutationTest {
    /// Statistic (mean(x) − mean(y)), p-value, alternative, method.
    pub result: TestResult,
    /// The number of relabellings in the null distribution: all of them for
    /// an exact test, else the number of random resamples.
    pub n_resamples: u64,
    /// Whether all relabellings were enumerated.
    pub exact: bool,
    /// The seed used (irrelevant for an exact test).
    pub seed: u64,
    /// The statistic of each relabelling, if asked for: lexicographic order
    /// of the positions given to `x` (as `itertools.combinations`) for an
    /// exact test, resample order for Monte Carlo.
    pub null_distribution: Option<Vec<f64>>,
}

/// mean(x) − mean(y) for the relabelling that gives `x` the pooled positions
/// `comb` (sorted), each sum taken in position order.
fn comb_statistic(pooled: &[f64], comb: &[usize], nx: f64, ny: f64) -> f64 {
    let (mut sx, mut sy) = (0.0, 0.0);
    let mut p = 0;
    for (i, &v) in pooled.iter().enumerate() {
        if p < comb.len() && comb[p] == i {
            sx += v;
            p += 1;
        } else {
            sy += v;
        }
    }
    sx / nx - sy / ny
}

/// The `rank`-th k-subset of 0..n in lexicographic order.
fn unrank_combination(n: usize, k: usize, mut rank: u128) -> Vec<usize> {
    let mut comb = Vec::with_capacity(k);
    let mut x = 0usize;
    for i in 0..k {
        loop {
            // Subsets that start with the prefix so far followed by x.
            let c = binomial_capped((n - x - 1) as u64, (k - i - 1) as u64, u128::MAX)
                .unwrap_or(u128::MAX);
            if rank < c {
                comb.push(x);
                x += 1;
                break;
            }
            rank -= c;
            x += 1;
        }
    }
    comb
}

/// Advances a k-subset of 0..n to the next in lexicographic order.
fn next_combination(comb: &mut [usize], n: usize) -> bool {
    let k = comb.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if comb[i] < n - k + i {
            comb[i] += 1;
            for j in i + 1..k {
                comb[j] = comb[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// Σx in four interleaved partial sums (x₀ + x₄ + …, x₁ + x₅ + …, …), added
/// as ((s₀ + s₁) + (s₂ + s₃)) + tail: a fixed order, so the same on every
/// thread, and four times shorter dependency chains than a left fold.
fn sum4(x: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        s[0] += c[0];
        s[1] += c[1];
        s[2] += c[2];
        s[3] += c[3];
    }
    let mut total = (s[0] + s[1]) + (s[2] + s[3]);
    for &v in rest {
        total += v;
    }
    total
}

/// Counts of null statistics ≤ t + γ and ≥ t − γ.
fn tally(stat: f64, observed: f64, gamma: f64) -> (u64, u64) {
    (
        u64::from(stat <= observed + gamma),
        u64::from(stat >= observed - gamma),
    )
}

/// Runs `chunk_fn(chunk_index, output_slice)` over all chunks in parallel,
/// with or without storing the statistics, and adds up the tallies.
fn run_chunks<F>(total: u64, keep: bool, chunk_fn: F) -> (u64, u64, Option<Vec<f64>>)
where
    F: Fn(u64, u64, Option<&mut [f64]>) -> (u64, u64) + Sync,
{
    let chunk = CHUNK as u64;
    let n_chunks = total.div_ceil(chunk);
    let add = |a: (u64, u64), b: (u64, u64)| (a.0 + b.0, a.1 + b.1);
    if keep {
        let mut null = vec![0.0; total as usize];
        let (le, ge) = null
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, out)| {
                let start = c as u64 * chunk;
                chunk_fn(start, start + out.len() as u64, Some(out))
            })
            .reduce(|| (0, 0), add);
        (le, ge, Some(null))
    } else {
        let (le, ge) = (0..n_chunks)
            .into_par_iter()
            .map(|c| {
                let start = c * chunk;
                chunk_fn(start, (start + chunk).min(total), None)
            })
            .reduce(|| (0, 0), add);
        (le, ge, None)
    }
}

/// Two-sample permutation test of a difference in means (or proportions).
///
/// The null hypothesis is that `x` and `y` come from the same distribution,
/// so every relabelling of the pooled data into groups of sizes `nx` and `ny`
/// is equally likely. See the [module documentation](self) for the
/// enumeration rule, the p-value conventions (scipy's) and the random
/// streams.
///
/// ```text
/// t = Σx/nx − Σy/ny        (sums in data order; exact test: each relabelling's sums in
///                           pooled position order, as numpy for fewer than 8 values)
/// Monte Carlo relabelling: S = sum of the k = min(nx, ny) drawn values (four-lane sum),
///                           the other group's sum = Σpooled − S
/// ```
///
/// `keep_null` stores the null distribution (`n_resamples` values).
///
/// # Errors
/// [`Error::InvalidArgument`] if a sample has fewer than two observations or
/// a non-finite value, if `ProportionDifference` gets values other than 0/1,
/// if `n_resamples` is 0, if an exact test was asked for (`u64::MAX`) that
/// has more than `u64::MAX` relabellings, or if `threads` is 0.
///
/// # Examples
///
/// ```
/// use huisverbod::stats::resampling::{permutation_test, PermutationStatistic, ResampleOptions};
/// use huisverbod::stats::Alternative;
/// // C(6, 3) = 20 relabellings ≤ 9999: exact. Only the observed split puts
/// // {4, 5, 6} in x, so P(T ≥ t) = 1/20.
/// let r = permutation_test(&[4.0, 5.0, 6.0], &[1.0, 2.0, 3.0], PermutationStatistic::MeanDifference,
///                          Alternative::Greater, &ResampleOptions::default(), false)?;
/// assert!(r.exact);
/// assert_eq!(r.result.statistic, 3.0);
/// assert_eq!(r.result.pvalue, 0.05);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn permutation_test(
    x: &[f64],
    y: &[f64],
    statistic: PermutationStatistic,
    alternative: Alternative,
    options: &ResampleOptions,
    keep_null: bool,
) -> Result<PermutationTest> {
    check_resample_sample("x", x)?;
    check_resample_sample("y", y)?;
    if statistic == PermutationStatistic::ProportionDifference {
        check_binary("x", x)?;
        check_binary("y", y)?;
    }
    if options.n_resamples == 0 {
        return Err(invalid("n_resamples", "must be at least 1"));
    }
    let (nx, ny) = (x.len(), y.len());
    let n = nx + ny;
    let (fx, fy) = (nx as f64, ny as f64);
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let observed = x.iter().sum::<f64>() / fx - y.iter().sum::<f64>() / fy;
    let gamma = (EXTREME_RTOL * observed).abs();

    let cap = u128::from(options.n_resamples);
    let n_exact = binomial_capped(n as u64, nx as u64, cap);
    if n_exact.is_none() && options.n_resamples == u64::MAX {
        return Err(invalid(
            "n_resamples",
            format!("an exact test of {nx} + {ny} observations has more than 2^64 relabellings; pass a finite number"),
        ));
    }
    let seed = options.seed;

    let (le, ge, null, total, exact) = if let Some(total) = n_exact {
        // Exact: every k-subset of positions for x, in lexicographic order.
        let total = total as u64;
        let chunk_fn = |start: u64, end: u64, mut out: Option<&mut [f64]>| {
            let mut comb = unrank_combination(n, nx, u128::from(start));
            let (mut le, mut ge) = (0, 0);
            for r in start..end {
                let t = comb_statistic(&pooled, &comb, fx, fy);
                let (a, b) = tally(t, observed, gamma);
                le += a;
                ge += b;
                if let Some(o) = out.as_deref_mut() {
                    o[(r - start) as usize] = t;
                }
                if r + 1 < end {
                    next_combination(&mut comb, n);
                }
            }
            (le, ge)
        };
        let (le, ge, null) =
            with_threads(options.threads, || run_chunks(total, keep_null, chunk_fn))?;
        (le, ge, null, total, true)
    } else {
        // Monte Carlo: resample i shuffles the first k = min(nx, ny) pooled
        // positions with its own stream (partial Fisher–Yates).
        let total = options.n_resamples;
        let k = nx.min(ny);
        let select_x = nx <= ny;
        let total_sum = sum4(&pooled);
        let chunk_fn = |start: u64, end: u64, mut out: Option<&mut [f64]>| {
            let mut buf = pooled.clone();
            let (mut le, mut ge) = (0, 0);
            for i in start..end {
                buf.copy_from_slice(&pooled);
                let mut rng = Stream::new(seed, i);
                for j in 0..k {
                    let r = j + rng.below((n - j) as u64) as usize;
                    buf.swap(j, r);
                }
                let s_sel = sum4(&buf[..k]);
                let s_rest = total_sum - s_sel;
                let t = if select_x {
                    s_sel / fx - s_rest / fy
                } else {
                    s_rest / fx - s_sel / fy
                };
                let (a, b) = tally(t, observed, gamma);
                le += a;
                ge += b;
                if let Some(o) = out.as_deref_mut() {
                    o[(i - start) as usize] = t;
                }
            }
            (le, ge)
        };
        let (le, ge, null) =
            with_threads(options.threads, || run_chunks(total, keep_null, chunk_fn))?;
        (le, ge, null, total, false)
    };

    let adj = u64::from(!exact);
    let denom = (total + adj) as f64;
    let less = (le + adj) as f64 / denom;
    let greater = (ge + adj) as f64 / denom;
    let pvalue = match alternative {
        Alternative::Less => less,
        Alternative::Greater => greater,
        Alternative::TwoSided => 2.0 * less.min(greater),
    }
    .clamp(0.0, 1.0);
    let what = match statistic {
        PermutationStatistic::MeanDifference => "difference in means",
        PermutationStatistic::ProportionDifference => "difference in proportions",
    };
    Ok(PermutationTest {
        result: TestResult {
            statistic: observed,
            pvalue,
            df: None,
            alternative,
            method: format!(
                "Permutation test, {what} ({})",
                if exact {
                    format!("exact, all {total} relabellings")
                } else {
                    format!("Monte Carlo, {total} resamples")
                }
            ),
        },
        n_resamples: total,
        exact,
        seed,
        null_distribution: null,
    })
}

// ------------------------------------------------------------------ bootstrap

/// A statistic the bootstrap computes natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BootstrapStatistic {
    /// One sample: Σx/n.
    Mean,
    /// One sample: the median (mean of the two middle values for even n).
    Median,
    /// One sample of 0/1 values: (number of ones)/n.
    Proportion,
    /// Two samples: Σx/nx − Σy/ny.
    MeanDifference,
    /// Two samples of 0/1 values: cx/nx − cy/ny.
    ProportionDifference,
    /// Two samples of 0/1 values: (cx·ny)/(nx·cy).
    RiskRatio,
    /// Two samples of 0/1 values: (cx·(ny − cy))/((nx − cx)·cy).
    OddsRatio,
    /// Two samples: Cohen's d with the pooled standard deviation,
    /// (mean x − mean y)/√((SSx + SSy)/(nx + ny − 2)).
    CohensD,
    /// Two samples: median(x) − median(y).
    MedianDifference,
}

impl BootstrapStatistic {
    /// The snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            BootstrapStatistic::Mean => "mean",
            BootstrapStatistic::Median => "median",
            BootstrapStatistic::Proportion => "proportion",
            BootstrapStatistic::MeanDifference => "mean_difference",
            BootstrapStatistic::ProportionDifference => "proportion_difference",
            BootstrapStatistic::RiskRatio => "risk_ratio",
            BootstrapStatistic::OddsRatio => "odds_ratio",
            BootstrapStatistic::CohensD => "cohens_d",
            BootstrapStatistic::MedianDifference => "median_difference",
        }
    }

    /// How many samples the statistic takes (1 or 2).
    pub fn n_samples(self) -> usize {
        match self {
            BootstrapStatistic::Mean
            | BootstrapStatistic::Median
            | BootstrapStatistic::Proportion => 1,
            _ => 2,
        }
    }

    /// Whether the statistic needs 0/1 data.
    pub fn binary(self) -> bool {
        matches!(
            self,
            BootstrapStatistic::Proportion
                | BootstrapStatistic::ProportionDifference
                | BootstrapStatistic::RiskRatio
                | BootstrapStatistic::OddsRatio
        )
    }

    const ALL: [BootstrapStatistic; 9] = [
        BootstrapStatistic::Mean,
        BootstrapStatistic::Median,
        BootstrapStatistic::Proportion,
        BootstrapStatistic::MeanDifference,
        BootstrapStatistic::ProportionDifference,
        BootstrapStatistic::RiskRatio,
        BootstrapStatistic::OddsRatio,
        BootstrapStatistic::CohensD,
        BootstrapStatistic::MedianDifference,
    ];
}

impl FromStr for BootstrapStatistic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        BootstrapStatistic::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = BootstrapStatistic::ALL.iter().map(|b| b.as_str()).collect();
                invalid(
                    "statistic",
                    format!("'{s}' is not one of '{}'", names.join("', '")),
                )
            })
    }
}

/// The bootstrap interval method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BootstrapMethod {
    /// Quantiles of the bootstrap distribution.
    Percentile,
    /// Reverse percentile: 2θ̂ minus the opposite quantile.
    Basic,
    /// Bias-corrected and accelerated (Efron 1987).
    Bca,
}

impl BootstrapMethod {
    /// `percentile`, `basic` or `bca`.
    pub fn as_str(self) -> &'static str {
        match self {
            BootstrapMethod::Percentile => "percentile",
            BootstrapMethod::Basic => "basic",
            BootstrapMethod::Bca => "bca",
        }
    }
}

impl FromStr for BootstrapMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "percentile" => Ok(BootstrapMethod::Percentile),
            "basic" => Ok(BootstrapMethod::Basic),
            "bca" => Ok(BootstrapMethod::Bca),
            _ => Err(invalid(
                "method",
                format!("'{s}' is not one of 'bca', 'percentile', 'basic'"),
            )),
        }
    }
}

/// A bootstrap interval and the pieces it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BootstrapInterval {
    /// The interval (NaN limits when it cannot be computed, e.g. a NaN in the
    /// bootstrap distribution, or a BCa interval of a degenerate
    /// distribution: as scipy).
    pub confidence_interval: ConfidenceInterval,
    /// The method.
    pub method: BootstrapMethod,
    /// The alternative: `Less` gives (−inf, high], `Greater` [low, inf).
    pub alternative: Alternative,
    /// The probabilities at which the bootstrap distribution was cut
    /// (α and 1 − α, or BCa's adjusted α₁ and α₂).
    pub levels: (f64, f64),
    /// BCa's bias correction ẑ₀ (`None` for other methods).
    pub z0: Option<f64>,
    /// BCa's acceleration â (`None` for other methods).
    pub acceleration: Option<f64>,
}

/// The quantile of sorted data at probability `p`, as
/// `scipy.stats.quantile(method="linear")` (Hyndman & Fan type 7):
///
/// ```text
/// h = p·B + (1 − p);  j = ⌊h⌋ − 1 (0-based);  g = h mod 1 (0 if j < 0)
/// Q(p) = (1 − g)·y[clip(j)] + g·y[clip(j + 1)]
/// ```
///
/// NaN if `p` is NaN or outside [0, 1], or if the data hold a NaN.
fn quantile_linear(sorted: &[f64], has_nan: bool, p: f64) -> f64 {
    if has_nan || sorted.is_empty() || p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let n = sorted.len() as f64;
    let jg = p * n + (1.0 - p);
    let jp1 = jg.floor();
    let j = jp1 - 1.0;
    let g = if j < 0.0 { 0.0 } else { jg % 1.0 };
    let j = j.clamp(0.0, n - 1.0) as usize;
    let jp1 = jp1.clamp(0.0, n - 1.0) as usize;
    (1.0 - g) * sorted[j] + g * sorted[jp1]
}

/// A bootstrap confidence interval from a bootstrap distribution, exactly as
/// `scipy.stats.bootstrap` (scipy ≥ 1.15) computes it from its
/// `bootstrap_distribution`.
///
/// With θ̂ the statistic on the data, θ*₁..θ*_B the bootstrap distribution,
/// α = (1 − level)/2 (two-sided) or 1 − level (one-sided):
///
/// ```text
/// percentile:  [Q(α), Q(1 − α)]
/// basic:       [2θ̂ − Q(1 − α), 2θ̂ − Q(α)]
/// BCa:         [Q(α₁), Q(α₂)],  αᵢ = Φ(ẑ₀ + (ẑ₀ + zᵢ)/(1 − â(ẑ₀ + zᵢ))),  z₁ = Φ⁻¹(α), z₂ = −z₁
///   ẑ₀ = Φ⁻¹((#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B)       (percentileofscore, kind "mean")
///   â  = Σⱼ Σᵢ Uⱼᵢ³/nⱼ³ / (6 (Σⱼ Σᵢ Uⱼᵢ²/nⱼ²)^{3/2}),  Uⱼᵢ = (nⱼ − 1)(θ̄ⱼ − θ̂ⱼ₍ᵢ₎)
/// ```
///
/// where θ̂ⱼ₍ᵢ₎ is the statistic with observation i of sample j left out (the
/// other samples whole), θ̄ⱼ their mean, and Q is the linear quantile
/// (`scipy.stats.quantile`, method "linear": Hyndman & Fan type 7, the same
/// rule as `np.percentile`'s default). `Less` then sets the lower limit to
/// −inf, `Greater` the upper limit to +inf. `jackknife` holds θ̂ⱼ₍ᵢ₎ per
/// sample and is only used by BCa.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty distribution, a level outside
/// (0, 1), or BCa without jackknife values.
pub fn bootstrap_interval(
    distribution: &[f64],
    observed: f64,
    jackknife: &[&[f64]],
    method: BootstrapMethod,
    confidence_level: f64,
    alternative: Alternative,
) -> Result<BootstrapInterval> {
    check_level(confidence_level)?;
    if distribution.is_empty() {
        return Err(invalid("bootstrap_distribution", "is empty"));
    }
    let alpha = match alternative {
        Alternative::TwoSided => (1.0 - confidence_level) / 2.0,
        _ => 1.0 - confidence_level,
    };
    let b = distribution.len();
    let (levels, z0, acceleration) = if method == BootstrapMethod::Bca {
        if jackknife.is_empty() || jackknife.iter().any(|j| j.is_empty()) {
            return Err(invalid(
                "jackknife",
                "BCa needs the leave-one-out statistics of every sample",
            ));
        }
        let lt = distribution.iter().filter(|&&t| t < observed).count();
        let le = distribution.iter().filter(|&&t| t <= observed).count();
        let percentile = (lt + le) as f64 / (2 * b) as f64;
        let z0 = norm_ppf(percentile);
        let (mut num, mut den) = (0.0, 0.0);
        for theta_i in jackknife {
            let n = theta_i.len() as f64;
            let dot = theta_i.iter().sum::<f64>() / n;
            let (mut s3, mut s2) = (0.0, 0.0);
            for &t in theta_i.iter() {
                let u = (n - 1.0) * (dot - t);
                s3 += u * u * u;
                s2 += u * u;
            }
            num += s3 / (n * n * n);
            den += s2 / (n * n);
        }
        let a = 1.0 / 6.0 * num / den.powf(1.5);
        let z_alpha = norm_ppf(alpha);
        let num1 = z0 + z_alpha;
        let alpha_1 = norm_cdf(z0 + num1 / (1.0 - a * num1));
        let num2 = z0 - z_alpha;
        let alpha_2 = norm_cdf(z0 + num2 / (1.0 - a * num2));
        ((alpha_1, alpha_2), Some(z0), Some(a))
    } else {
        ((alpha, 1.0 - alpha), None, None)
    };
    let mut sorted = distribution.to_vec();
    let has_nan = sorted.iter().any(|t| t.is_nan());
    sorted.sort_unstable_by(f64::total_cmp);
    let mut low = quantile_linear(&sorted, has_nan, levels.0);
    let mut high = quantile_linear(&sorted, has_nan, levels.1);
    if method == BootstrapMethod::Basic {
        (low, high) = (2.0 * observed - high, 2.0 * observed - low);
    }
    match alternative {
        Alternative::Less => low = f64::NEG_INFINITY,
        Alternative::Greater => high = f64::INFINITY,
        Alternative::TwoSided => {}
    }
    Ok(BootstrapInterval {
        confidence_interval: ConfidenceInterval {
            low,
            high,
            level: confidence_level,
        },
        method,
        alternative,
        levels,
        z0,
        acceleration,
    })
}

/// The bootstrap standard error: the sample standard deviation (ddof = 1)
/// of the bootstrap distribution, √(Σ(θ* − θ̄*)²/(B − 1)) (NaN for B < 2).
pub fn standard_error(distribution: &[f64]) -> f64 {
    if distribution.len() < 2 {
        return f64::NAN;
    }
    let (_, ss) = sum_squares(distribution);
    (ss / (distribution.len() - 1) as f64).sqrt()
}

/// The result of [`bootstrap`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// The statistic on the data, θ̂.
    pub statistic: f64,
    /// The interval.
    pub interval: BootstrapInterval,
    /// The sample standard deviation (ddof = 1) of the bootstrap distribution.
    pub standard_error: f64,
    /// The statistic of each resample, in resample order.
    pub distribution: Vec<f64>,
    /// The number of resamples.
    pub n_resamples: u64,
    /// The seed used.
    pub seed: u64,
}

fn sum(x: &[f64]) -> f64 {
    x.iter().sum()
}

fn count_ones(x: &[f64]) -> f64 {
    x.iter().filter(|&&v| v == 1.0).count() as f64
}

/// The median of `x`, reordering it (mean of the two middle values for even n).
fn median_in_place(x: &mut [f64]) -> f64 {
    let n = x.len();
    let (_, &mut hi, _) = x.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        hi
    } else {
        // The largest of the lower half.
        let lo = x[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo + hi) / 2.0
    }
}

/// Σ(x − x̄)² with x̄ = Σx/n (two passes).
fn sum_squares(x: &[f64]) -> (f64, f64) {
    let m = sum(x) / x.len() as f64;
    (m, x.iter().map(|v| (v - m) * (v - m)).sum())
}

/// The statistic on `samples` (medians reorder the sample in place).
fn evaluate(stat: BootstrapStatistic, samples: &mut [Vec<f64>]) -> f64 {
    use BootstrapStatistic as S;
    match stat {
        S::Mean => sum(&samples[0]) / samples[0].len() as f64,
        S::Median => median_in_place(&mut samples[0]),
        S::Proportion => count_ones(&samples[0]) / samples[0].len() as f64,
        S::MeanDifference => {
            sum(&samples[0]) / samples[0].len() as f64 - sum(&samples[1]) / samples[1].len() as f64
        }
        S::ProportionDifference | S::RiskRatio | S::OddsRatio => {
            let (nx, ny) = (samples[0].len() as f64, samples[1].len() as f64);
            binary_statistic(
                stat,
                count_ones(&samples[0]),
                nx,
                count_ones(&samples[1]),
                ny,
            )
        }
        S::CohensD => {
            let (mx, ssx) = sum_squares(&samples[0]);
            let (my, ssy) = sum_squares(&samples[1]);
            let df = (samples[0].len() + samples[1].len()) as f64 - 2.0;
            (mx - my) / ((ssx + ssy) / df).sqrt()
        }
        S::MedianDifference => {
            let (a, b) = samples.split_at_mut(1);
            median_in_place(&mut a[0]) - median_in_place(&mut b[0])
        }
    }
}

/// Two-sample statistics of 0/1 data from the counts of ones.
fn binary_statistic(stat: BootstrapStatistic, cx: f64, nx: f64, cy: f64, ny: f64) -> f64 {
    match stat {
        BootstrapStatistic::ProportionDifference => cx / nx - cy / ny,
        BootstrapStatistic::RiskRatio => (cx * ny) / (nx * cy),
        BootstrapStatistic::OddsRatio => (cx * (ny - cy)) / ((nx - cx) * cy),
        _ => f64::NAN,
    }
}

/// The leave-one-out statistics θ̂ⱼ₍ᵢ₎ of every sample (BCa's jackknife),
/// in O(n log n) per sample:
///
/// ```text
/// mean:        (Σx − xᵢ)/(n − 1)
/// proportion:  (c − xᵢ)/(n − 1)
/// median:      the median of the sorted data without one copy of xᵢ
/// Cohen's d:   x̄' = x̄ − (xᵢ − x̄)/(n − 1),  SS' = max(SS − (xᵢ − x̄)²·n/(n − 1), 0)
/// ```
///
/// except that Cohen's d is recomputed from the remaining observations
/// (O(n²)) for samples of up to 2000 observations, so that a leave-one-out
/// sample without variance gives exactly zero variance (an infinite d), as
/// recomputing does in scipy.
pub fn jackknife(stat: BootstrapStatistic, samples: &[&[f64]]) -> Vec<Vec<f64>> {
    use BootstrapStatistic as S;
    let means: Vec<f64> = samples.iter().map(|s| sum(s) / s.len() as f64).collect();
    let mut out = Vec::with_capacity(samples.len());
    for (j, sample) in samples.iter().enumerate() {
        let n = sample.len() as f64;
        let loo: Vec<f64> = match stat {
            S::Mean | S::MeanDifference => {
                let s = sum(sample);
                sample
                    .iter()
                    .map(|&v| {
                        let m = (s - v) / (n - 1.0);
                        match (stat, j) {
                            (S::Mean, _) => m,
                            (_, 0) => m - means[1],
                            _ => means[0] - m,
                        }
                    })
                    .collect()
            }
            S::Proportion => {
                let c = count_ones(sample);
                sample.iter().map(|&v| (c - v) / (n - 1.0)).collect()
            }
            S::ProportionDifference | S::RiskRatio | S::OddsRatio => {
                let c: Vec<f64> = samples.iter().map(|s| count_ones(s)).collect();
                let ns: Vec<f64> = samples.iter().map(|s| s.len() as f64).collect();
                sample
                    .iter()
                    .map(|&v| {
                        if j == 0 {
                            binary_statistic(stat, c[0] - v, ns[0] - 1.0, c[1], ns[1])
                        } else {
                            binary_statistic(stat, c[0], ns[0], c[1] - v, ns[1] - 1.0)
                        }
                    })
                    .collect()
            }
            S::Median | S::MedianDifference => {
                let loo_medians = leave_one_out_medians(sample);
                match (stat, j) {
                    (S::Median, _) => loo_medians,
                    (_, 0) => {
                        let other = median_in_place(&mut samples[1].to_vec());
                        loo_medians.into_iter().map(|m| m - other).collect()
                    }
                    _ => {
                        let other = median_in_place(&mut samples[0].to_vec());
                        loo_medians.into_iter().map(|m| other - m).collect()
                    }
                }
            }
            S::CohensD => {
                let (mx, ssx) = sum_squares(samples[0]);
                let (my, ssy) = sum_squares(samples[1]);
                let df = (samples[0].len() + samples[1].len()) as f64 - 3.0;
                let (m, ss) = if j == 0 { (mx, ssx) } else { (my, ssy) };
                let direct = sample.len() <= COHENS_D_DIRECT_JACKKNIFE;
                let mut rest = Vec::with_capacity(sample.len());
                sample
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let (m_new, ss_new) = if direct {
                            // Two passes over the sample without observation i.
                            rest.clear();
                            rest.extend(
                                sample
                                    .iter()
                                    .enumerate()
                                    .filter(|&(k, _)| k != i)
                                    .map(|(_, &w)| w),
                            );
                            sum_squares(&rest)
                        } else {
                            let d = v - m;
                            (m - d / (n - 1.0), (ss - d * d * n / (n - 1.0)).max(0.0))
                        };
                        let (a, b, ssa, ssb) = if j == 0 {
                            (m_new, my, ss_new, ssy)
                        } else {
                            (mx, m_new, ssx, ss_new)
                        };
                        (a - b) / ((ssa + ssb) / df).sqrt()
                    })
                    .collect()
            }
        };
        out.push(loo);
    }
    out
}

/// The median of `x` without element i, for every i (sorted once).
fn leave_one_out_medians(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let mut rank = vec![0usize; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let m = n - 1;
    // The k-th value (0-based) of the sorted data with position r removed.
    let kth = |k: usize, r: usize| if k < r { sorted[k] } else { sorted[k + 1] };
    (0..n)
        .map(|i| {
            let r = rank[i];
            if m % 2 == 1 {
                kth(m / 2, r)
            } else {
                (kth(m / 2 - 1, r) + kth(m / 2, r)) / 2.0
            }
        })
        .collect()
}

/// Checks the samples of a bootstrap of `stat`.
fn check_bootstrap_samples(stat: BootstrapStatistic, samples: &[&[f64]]) -> Result<()> {
    const NAMES: [&str; 2] = ["x", "y"];
    if samples.len() != stat.n_samples() {
        return Err(invalid(
            "data",
            format!(
                "statistic '{}' takes {} sample(s), got {}",
                stat.as_str(),
                stat.n_samples(),
                samples.len()
            ),
        ));
    }
    for (j, s) in samples.iter().enumerate() {
        check_resample_sample(NAMES[j], s)?;
        if stat.binary() {
            check_binary(NAMES[j], s)?;
        }
    }
    Ok(())
}

/// The resampling indices of resamples `start..start + count`: one row per
/// resample, holding for each sample in turn `sizes[j]` indices into that
/// sample (row-major, `count × Σ sizes`). These are the draws
/// [`bootstrap`] makes, so a statistic evaluated elsewhere (a Python
/// callable) on them sees the same resamples.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty size or `threads` = 0.
pub fn bootstrap_indices(
    sizes: &[usize],
    start: u64,
    count: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<Vec<u64>> {
    if sizes.is_empty() || sizes.contains(&0) {
        return Err(invalid(
            "sizes",
            "every sample needs at least one observation",
        ));
    }
    let width: usize = sizes.iter().sum();
    let mut out = vec![0u64; count as usize * width];
    if width == 0 || count == 0 {
        return Ok(out);
    }
    with_threads(threads, || {
        out.par_chunks_mut(width * CHUNK)
            .enumerate()
            .for_each(|(c, block)| {
                for (r, row) in block.chunks_mut(width).enumerate() {
                    let i = start + (c * CHUNK + r) as u64;
                    let mut rng = Stream::new(seed, i);
                    let mut off = 0;
                    for &nj in sizes {
                        for slot in &mut row[off..off + nj] {
                            *slot = rng.below(nj as u64);
                        }
                        off += nj;
                    }
                }
            });
    })?;
    Ok(out)
}

/// Bootstrap confidence interval of a statistic the crate computes.
///
/// Each of `samples` is resampled with replacement to its own size,
/// independently (stratified, as `scipy.stats.bootstrap` with a tuple of
/// samples); resample `i` uses [`Stream`] `(seed, i)` and draws the indices
/// of the first sample, then of the second. The interval is
/// [`bootstrap_interval`] of the resulting distribution; BCa's jackknife
/// uses [`jackknife`].
///
/// Resamples on which the statistic is undefined (for example a resampled
/// group without events for `RiskRatio`) give inf or NaN in the distribution;
/// a NaN makes the limits NaN, as in scipy.
///
/// # Errors
/// [`Error::InvalidArgument`] if the number of samples does not fit the
/// statistic, a sample has fewer than two observations or a non-finite
/// value, binary statistics get values other than 0/1, the statistic is not
/// finite on the data (a zero cell for ratios, zero variance in both groups
/// for Cohen's d), `n_resamples` is 0, the level is outside (0, 1), or
/// `threads` is 0.
///
/// # Examples
///
/// ```
/// use huisverbod::stats::resampling::{bootstrap, BootstrapMethod, BootstrapStatistic, ResampleOptions};
/// use huisverbod::stats::Alternative;
/// let x = [2.0, 4.0, 4.0, 5.0, 7.0, 9.0];
/// let b = bootstrap(&[&x], BootstrapStatistic::Mean, BootstrapMethod::Percentile, 0.9,
///                   Alternative::TwoSided, &ResampleOptions { n_resamples: 2000, ..Default::default() })?;
/// assert_eq!(b.statistic, 31.0 / 6.0);
/// let ci = b.interval.confidence_interval;
/// assert!(ci.low < b.statistic && b.statistic < ci.high);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn bootstrap(
    samples: &[&[f64]],
    statistic: BootstrapStatistic,
    method: BootstrapMethod,
    confidence_level: f64,
    alternative: Alternative,
    options: &ResampleOptions,
) -> Result<Bootstrap> {
    check_bootstrap_samples(statistic, samples)?;
    check_level(confidence_level)?;
    if options.n_resamples == 0 {
        return Err(invalid("n_resamples", "must be at least 1"));
    }
    let mut owned: Vec<Vec<f64>> = samples.iter().map(|s| s.to_vec()).collect();
    let observed = evaluate(statistic, &mut owned);
    if !observed.is_finite() {
        return Err(invalid(
            "data",
            format!(
                "the statistic '{}' is not finite on the data ({observed}): {}",
                statistic.as_str(),
                match statistic {
                    BootstrapStatistic::CohensD => "both groups have zero variance",
                    _ => "a group without events or without non-events",
                }
            ),
        ));
    }
    let b = options.n_resamples;
    let seed = options.seed;
    let sizes: Vec<usize> = samples.iter().map(|s| s.len()).collect();
    let mut distribution = vec![0.0; b as usize];
    with_threads(options.threads, || {
        distribution
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, out)| {
                let mut bufs: Vec<Vec<f64>> = sizes.iter().map(|&n| vec![0.0; n]).collect();
                for (r, slot) in out.iter_mut().enumerate() {
                    let mut rng = Stream::new(seed, (c * CHUNK + r) as u64);
                    for (buf, sample) in bufs.iter_mut().zip(samples) {
                        let nj = sample.len() as u64;
                        for v in buf.iter_mut() {
                            *v = sample[rng.below(nj) as usize];
                        }
                    }
                    *slot = evaluate(statistic, &mut bufs);
                }
            });
    })?;
    let jack = if method == BootstrapMethod::Bca {
        jackknife(statistic, samples)
    } else {
        Vec::new()
    };
    let jack_refs: Vec<&[f64]> = jack.iter().map(|v| v.as_slice()).collect();
    let interval = bootstrap_interval(
        &distribution,
        observed,
        &jack_refs,
        method,
        confidence_level,
        alternative,
    )?;
    let standard_error = standard_error(&distribution);
    Ok(Bootstrap {
        statistic: observed,
        interval,
        standard_error,
        distribution,
        n_resamples: b,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(n: u64, seed: u64, threads: Option<usize>) -> ResampleOptions {
        ResampleOptions {
            n_resamples: n,
            seed,
            threads,
        }
    }

    #[test]
    fn exact_permutation_by_hand() {
        // x = {1, 2}, y = {3, 4, 5}: C(5, 2) = 10 splits. Lexicographic
        // positions for x and their mean differences:
        // (0,1) {1,2}: 1.5 − 4 = −2.5     (0,2) {1,3}: 2 − 11/3 = −5/3
        // (0,3) {1,4}: 2.5 − 10/3 = −5/6   (0,4) {1,5}: 3 − 3 = 0
        // (1,2) {2,3}: 2.5 − 10/3 = −5/6   (1,3) {2,4}: 3 − 3 = 0
        // (1,4) {2,5}: 3.5 − 8/3 = 5/6     (2,3) {3,4}: 3.5 − 8/3 = 5/6
        // (2,4) {3,5}: 4 − 7/3 = 5/3       (3,4) {4,5}: 4.5 − 2 = 2.5
        // observed −2.5: less = 1/10, greater = 10/10, two-sided = 0.2.
        let r = permutation_test(
            &[1.0, 2.0],
            &[3.0, 4.0, 5.0],
            PermutationStatistic::MeanDifference,
            Alternative::TwoSided,
            &opts(9999, 0, None),
            true,
        )
        .unwrap();
        assert!(r.exact);
        assert_eq!(r.n_resamples, 10);
        assert_eq!(r.result.statistic, -2.5);
        assert_eq!(r.result.pvalue, 0.2);
        let null = r.null_distribution.unwrap();
        let expected = [
            -2.5,
            -5.0 / 3.0,
            -5.0 / 6.0,
            0.0,
            -5.0 / 6.0,
            0.0,
            5.0 / 6.0,
            5.0 / 6.0,
            5.0 / 3.0,
            2.5,
        ];
        for (a, b) in null.iter().zip(expected) {
            assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        }
    }

    #[test]
    fn unranking_matches_enumeration() {
        let (n, k) = (9, 4);
        let mut comb: Vec<usize> = (0..k).collect();
        let mut rank = 0u128;
        loop {
            assert_eq!(unrank_combination(n, k, rank), comb);
            rank += 1;
            if !next_combination(&mut comb, n) {
                break;
            }
        }
        assert_eq!(rank, 126); // C(9, 4)
    }

    #[test]
    fn monte_carlo_is_thread_independent() {
        let x: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin()).collect();
        let y: Vec<f64> = (0..35).map(|i| (i as f64 * 0.91).cos() + 0.2).collect();
        let run = |t| {
            permutation_test(
                &x,
                &y,
                PermutationStatistic::MeanDifference,
                Alternative::TwoSided,
                &opts(3000, 11, Some(t)),
                true,
            )
            .unwrap()
        };
        let (a, b) = (run(1), run(3));
        assert!(!a.exact);
        assert_eq!(a, b);
        let ba = bootstrap(
            &[&x, &y],
            BootstrapStatistic::MedianDifference,
            BootstrapMethod::Bca,
            0.9,
            Alternative::TwoSided,
            &opts(2000, 5, Some(1)),
        )
        .unwrap();
        let bb = bootstrap(
            &[&x, &y],
            BootstrapStatistic::MedianDifference,
            BootstrapMethod::Bca,
            0.9,
            Alternative::TwoSided,
            &opts(2000, 5, Some(2)),
        )
        .unwrap();
        assert_eq!(ba, bb);
    }

    #[test]
    fn stream_is_uniform_enough() {
        // 60000 draws below 6: each face within 5 standard errors of 10000.
        let mut counts = [0u32; 6];
        for i in 0..60 {
            let mut s = Stream::new(1, i);
            for _ in 0..1000 {
                counts[s.below(6) as usize] += 1;
            }
        }
        let sd: f64 = (60000.0_f64 * (1.0 / 6.0) * (5.0 / 6.0)).sqrt();
        for c in counts {
            assert!((f64::from(c) - 10000.0).abs() < 5.0 * sd, "{counts:?}");
        }
    }

    #[test]
    fn quantile_and_intervals_by_hand() {
        // B = 5 sorted values 1..5; p = 0.1: h = 0.5 + 0.9 = 1.4, j = 0, g = 0.4
        // → 0.6·1 + 0.4·2 = 1.4. p = 0.9: h = 4.5 + 0.1 = 4.6, j = 3, g = 0.6
        // → 0.4·4 + 0.6·5 = 4.6.
        let d = [3.0, 1.0, 5.0, 2.0, 4.0];
        let r = bootstrap_interval(
            &d,
            3.5,
            &[],
            BootstrapMethod::Percentile,
            0.8,
            Alternative::TwoSided,
        )
        .unwrap();
        assert!((r.confidence_interval.low - 1.4).abs() < 1e-15);
        assert!((r.confidence_interval.high - 4.6).abs() < 1e-15);
        // basic: 2·3.5 − 4.6 = 2.4, 2·3.5 − 1.4 = 5.6.
        let r = bootstrap_interval(
            &d,
            3.5,
            &[],
            BootstrapMethod::Basic,
            0.8,
            Alternative::TwoSided,
        )
        .unwrap();
        assert!((r.confidence_interval.low - 2.4).abs() < 1e-15);
        assert!((r.confidence_interval.high - 5.6).abs() < 1e-15);
        let r = bootstrap_interval(
            &d,
            3.5,
            &[],
            BootstrapMethod::Percentile,
            0.8,
            Alternative::Less,
        )
        .unwrap();
        assert_eq!(r.confidence_interval.low, f64::NEG_INFINITY);
        // BCa with θ̂ = 3 (the median of the distribution) and a symmetric
        // jackknife (â = 0): ẑ₀ = Φ⁻¹((2 + 3)/10) = 0, so BCa = percentile.
        let jack = [-1.0, 0.0, 1.0];
        let r = bootstrap_interval(
            &d,
            3.0,
            &[&jack],
            BootstrapMethod::Bca,
            0.8,
            Alternative::TwoSided,
        )
        .unwrap();
        assert_eq!(r.z0, Some(0.0));
        assert_eq!(r.acceleration, Some(0.0));
        assert!((r.confidence_interval.low - 1.4).abs() < 1e-14);
        assert!((r.confidence_interval.high - 4.6).abs() < 1e-14);
        assert!(bootstrap_interval(
            &d,
            3.0,
            &[],
            BootstrapMethod::Bca,
            0.8,
            Alternative::TwoSided
        )
        .is_err());
    }

    #[test]
    fn jackknife_by_hand() {
        // Median of {1, 5, 2, 8}: removing 1 → {2,5,8}: 5; removing 5 → 2;
        // removing 2 → 5; removing 8 → 2.
        let loo = jackknife(BootstrapStatistic::Median, &[&[1.0, 5.0, 2.0, 8.0]]);
        assert_eq!(loo, vec![vec![5.0, 2.0, 5.0, 2.0]]);
        // Mean difference of {1, 3} and {2, 4, 6}: mean y = 4; LOO x → 3 − 4, 1 − 4;
        // LOO y → 2 − 5, 2 − 4, 2 − 3.
        let loo = jackknife(
            BootstrapStatistic::MeanDifference,
            &[&[1.0, 3.0], &[2.0, 4.0, 6.0]],
        );
        assert_eq!(loo, vec![vec![-1.0, -3.0], vec![-3.0, -2.0, -1.0]]);
    }

    #[test]
    fn bad_input() {
        let o = ResampleOptions::default();
        let s = PermutationStatistic::ProportionDifference;
        assert!(
            permutation_test(&[1.0], &[0.0, 1.0], s, Alternative::TwoSided, &o, false).is_err()
        );
        assert!(permutation_test(
            &[0.5, 1.0],
            &[0.0, 1.0],
            s,
            Alternative::TwoSided,
            &o,
            false
        )
        .is_err());
        assert!(permutation_test(
            &[f64::NAN, 1.0],
            &[0.0, 1.0],
            s,
            Alternative::TwoSided,
            &o,
            false
        )
        .is_err());
        let z = opts(0, 0, None);
        assert!(permutation_test(
            &[0.0, 1.0],
            &[0.0, 1.0],
            s,
            Alternative::TwoSided,
            &z,
            false
        )
        .is_err());
        let x = [1.0, 1.0, 0.0];
        let y = [0.0, 0.0, 0.0];
        assert!(bootstrap(
            &[&x, &y],
            BootstrapStatistic::RiskRatio,
            BootstrapMethod::Bca,
            0.95,
            Alternative::TwoSided,
            &o
        )
        .is_err());
        assert!(bootstrap(
            &[&x],
            BootstrapStatistic::RiskRatio,
            BootstrapMethod::Bca,
            0.95,
            Alternative::TwoSided,
            &o
        )
        .is_err());
        assert!(bootstrap(
            &[&[2.0, 2.0], &[3.0, 3.0]],
            BootstrapStatistic::CohensD,
            BootstrapMethod::Percentile,
            0.95,
            Alternative::TwoSided,
            &o
        )
        .is_err());
        assert!("sideways".parse::<BootstrapStatistic>().is_err());
        assert_eq!(
            "BCa".parse::<BootstrapMethod>().unwrap(),
            BootstrapMethod::Bca
        );
    }
}
