//! Power and sample size for two proportions, two means and the log-rank test (Schoenfeld).
//!
//! Each planning problem has one unknown among power, sample size and effect
//! (as `statsmodels`' `solve_power`): fill in the others and [`solve`
//! ](TwoProportions::solve) returns all of them. Unknowns without a closed
//! form are found with Brent's method to full double precision (statsmodels
//! stops at an absolute `xtol` of 1e-5 in the sample size, so its solved
//! sizes agree with ours to about that).
//!
//! Alternatives follow scipy's spelling and the direction of group 1 versus
//! group 2: `Greater` tests p1 > p2 (mean 1 > mean 2, hazard ratio > 1),
//! statsmodels' `"larger"`; `Less` is statsmodels' `"smaller"`.
//! Two-sided power includes the (small) probability of rejecting in the
//! wrong direction, as statsmodels does, except for the log-rank test whose
//! Schoenfeld formula ignores it.

use super::accurate::{nct_tails, norm_cdf, norm_ppf, norm_sf, t_ppf};
use super::{prec, Alternative};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

fn invalid(name: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name,
        reason: reason.into(),
    }
}

/// Which quantity a planning calculation solved for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// The power was computed from the others.
    Power,
    /// The sample size (group 1; events for the log-rank test).
    SampleSize,
    /// The effect (p2, the standardised mean difference or the hazard ratio).
    Effect,
}

impl Unknown {
    /// `power`, `sample_size` or `effect`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unknown::Power => "power",
            Unknown::SampleSize => "sample_size",
            Unknown::Effect => "effect",
        }
    }
}

fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(invalid(
            "alpha",
            format!("must lie strictly between 0 and 1, got {alpha}"),
        ))
    }
}

fn check_power(power: f64, alpha_tail: f64) -> Result<()> {
    if !(power > 0.0 && power < 1.0) {
        return Err(invalid(
            "power",
            format!("must lie strictly between 0 and 1, got {power}"),
        ));
    }
    if power <= alpha_tail {
        return Err(invalid(
            "power",
            format!(
                "{power} is not above the significance level of the tested tail ({alpha_tail}): \
                 any sample size or effect reaches it"
            ),
        ));
    }
    Ok(())
}

fn check_positive(name: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(invalid(name, format!("must be a positive number, got {v}")))
    }
}

/// Exactly one of the options must be unknown.
fn one_unknown(known: &[(&'static str, bool)]) -> Result<()> {
    let missing: Vec<&str> = known.iter().filter(|k| !k.1).map(|k| k.0).collect();
    if missing.len() == 1 {
        Ok(())
    } else {
        let names: Vec<&str> = known.iter().map(|k| k.0).collect();
        Err(invalid(
            "power",
            format!(
                "exactly one of {} must be left unknown (None), got {}",
                names.join(", "),
                if missing.is_empty() {
                    "none".to_string()
                } else {
                    missing.join(", ")
                }
            ),
        ))
    }
}

/// The significance level in the tail(s) tested: α/2 two-sided, α one-sided.
fn tail_alpha(alpha: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => alpha / 2.0,
        _ => alpha,
    }
}

/// Power of a test whose statistic is N(d·√nobs, 1) under the alternative
/// (statsmodels `normal_power`):
///
/// ```text
/// two-sided:  Φ̄(z_{α/2} − d√n) + Φ(−z_{α/2} − d√n)      z_a = Φ⁻¹(1 − a)
/// greater:    Φ̄(z_α − d√n)
/// less:       Φ(−z_α − d√n)
/// ```
pub fn normal_power(effect_size: f64, nobs: f64, alpha: f64, alternative: Alternative) -> f64 {
    let a = tail_alpha(alpha, alternative);
    let shift = effect_size * nobs.sqrt();
    let crit_low = norm_ppf(a);
    let mut power = 0.0;
    if alternative != Alternative::Less {
        power = norm_sf(-crit_low - shift);
    }
    if alternative != Alternative::Greater {
        power += norm_cdf(crit_low - shift);
    }
    power
}

/// Power of the two-sample (pooled-variance) t-test with standardised effect
/// `d` (Cohen's d), `n1` and `n2 = ratio·n1` (statsmodels `TTestIndPower`):
///
/// ```text
/// ν = n1 + n2 − 2,  δ = d·√(1/(1/n1 + 1/n2)),  t_a = t⁻¹(1 − a; ν)
/// two-sided:  P(T′ > t_{α/2}) + P(T′ < −t_{α/2})     T′ ~ noncentral t(ν, δ)
/// greater:    P(T′ > t_α);   less: P(T′ < −t_α)
/// ```
pub fn t_power(effect_size: f64, n1: f64, ratio: f64, alpha: f64, alternative: Alternative) -> f64 {
    let n2 = n1 * ratio;
    let df = n1 - 1.0 + n2 - 1.0;
    let nobs = 1.0 / (1.0 / n1 + 1.0 / n2);
    let a = tail_alpha(alpha, alternative);
    let nc = effect_size * nobs.sqrt();
    let crit_low = t_ppf(a, df);
    let mut power = 0.0;
    if alternative != Alternative::Less {
        power = nct_tails(-crit_low, df, nc).1;
    }
    if alternative != Alternative::Greater {
        power += nct_tails(crit_low, df, nc).0;
    }
    power
}

/// Brent's method (as scipy's `brentq`) for a root of `f` in `[a, b]`,
/// where `f(a)` and `f(b)` have opposite signs; to full double precision.
fn brentq(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> Result<f64> {
    let (mut fa, mut fb) = (f(a), f(b));
    if fa == 0.0 {
        return Ok(a);
    }
    if fb == 0.0 {
        return Ok(b);
    }
    if fa.is_nan() || fb.is_nan() || fa.signum() == fb.signum() {
        return Err(invalid(
            "power",
            "no solution in the admissible range (the root is not bracketed)",
        ));
    }
    let (mut c, mut fc) = (a, fa);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..prec::ROOT_MAX_ITER {
        if fb.signum() == fc.signum() {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 1e-300;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return Ok(b);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b);
        if fb.is_nan() {
            return Err(invalid("power", "the power function is undefined here"));
        }
    }
    Err(invalid(
        "power",
        "the root finder did not converge; check the inputs",
    ))
}

/// Solves `power(x) = target` for x > `low` with `power` increasing: expands
/// the upper end from `start` by doubling, then runs Brent.
fn solve_increasing(
    power: impl Fn(f64) -> f64,
    target: f64,
    low: f64,
    start: f64,
    max: f64,
) -> Result<f64> {
    let f = |x: f64| power(x) - target;
    let mut high = start.max(low * 2.0);
    while f(high) < 0.0 {
        high *= 2.0;
        if high > max {
            return Err(invalid(
                "power",
                format!(
                    "the power {target} is not reached within the admissible range (up to {max})"
                ),
            ));
        }
    }
    if f(low) >= 0.0 {
        return Err(invalid(
            "power",
            format!(
                "the power {target} is already exceeded at the smallest admissible value {low}"
            ),
        ));
    }
    brentq(f, low, high)
}

// ------------------------------------------------------------------ proportions

/// How the power of a comparison of two proportions is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProportionsMethod {
    /// Cohen's h = 2·asin√p1 − 2·asin√p2 in a normal test with
    /// n = 1/(1/n1 + 1/n2) (statsmodels `NormalIndPower` with
    /// `proportion_effectsize`; the default).
    #[default]
    Arcsine,
    /// The normal test of p̂1 − p̂2 with the unpooled variance under the
    /// alternative: effect (p1 − p2)/√(p1(1−p1) + p2(1−p2)/ratio) and n = n1.
    Unpooled,
}

impl ProportionsMethod {
    /// `arcsine` or `unpooled`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProportionsMethod::Arcsine => "arcsine",
            ProportionsMethod::Unpooled => "unpooled",
        }
    }
}

impl std::str::FromStr for ProportionsMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "arcsine" => Ok(ProportionsMethod::Arcsine),
            "unpooled" => Ok(ProportionsMethod::Unpooled),
            other => Err(invalid(
                "method",
                format!("'{other}' is not one of 'arcsine', 'unpooled'"),
            )),
        }
    }
}

/// Cohen's h for two proportions: 2·asin√p1 − 2·asin√p2 (statsmodels
/// `proportion_effectsize`).
pub fn cohens_h(p1: f64, p2: f64) -> f64 {
    2.0 * (p1.sqrt().asin() - p2.sqrt().asin())
}

/// Planning a comparison of two proportions: one of `p2`, `n1`, `power` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoProportions {
    /// Proportion in group 1.
    pub p1: f64,
    /// Proportion in group 2 (`None`: the detectable proportion is solved for).
    pub p2: Option<f64>,
    /// Size of group 1 (`None`: solved for).
    pub n1: Option<f64>,
    /// n2 / n1.
    pub ratio: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power (`None`: computed).
    pub power: Option<f64>,
    /// The alternative (`Greater`: p1 > p2).
    pub alternative: Alternative,
    /// Arcsine (Cohen's h, statsmodels) or unpooled normal.
    pub method: ProportionsMethod,
}

/// The solved planning problem of [`TwoProportions`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoProportionsPower {
    /// Proportion in group 1.
    pub p1: f64,
    /// Proportion in group 2. When it was solved for with a two-sided
    /// alternative this is the solution below p1 (NaN if none in [0, 1]).
    pub p2: f64,
    /// When p2 was solved for with a two-sided alternative: the solution
    /// above p1 (NaN if none in [0, 1]).
    pub p2_above: Option<f64>,
    /// Size of group 1.
    pub n1: f64,
    /// Size of group 2 = ratio·n1.
    pub n2: f64,
    /// The standardised effect (Cohen's h, or the unpooled effect).
    pub effect_size: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power.
    pub power: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// The method.
    pub method: ProportionsMethod,
    /// What was solved for.
    pub solved_for: Unknown,
}

fn proportions_effect(p1: f64, p2: f64, ratio: f64, method: ProportionsMethod) -> f64 {
    match method {
        ProportionsMethod::Arcsine => cohens_h(p1, p2),
        ProportionsMethod::Unpooled => {
            (p1 - p2) / (p1 * (1.0 - p1) + p2 * (1.0 - p2) / ratio).sqrt()
        }
    }
}

fn proportions_power(
    p1: f64,
    p2: f64,
    n1: f64,
    ratio: f64,
    alpha: f64,
    alt: Alternative,
    method: ProportionsMethod,
) -> f64 {
    let d = proportions_effect(p1, p2, ratio, method);
    let nobs = match method {
        ProportionsMethod::Arcsine => 1.0 / (1.0 / n1 + 1.0 / (n1 * ratio)),
        ProportionsMethod::Unpooled => n1,
    };
    normal_power(d, nobs, alpha, alt)
}

fn check_probability(name: &'static str, p: f64) -> Result<()> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(invalid(name, format!("must lie in [0, 1], got {p}")))
    }
}

impl TwoProportions {
    /// Solves for the unknown and returns every quantity.
    ///
    /// ```text
    /// arcsine:   power = normal_power(h, 1/(1/n1 + 1/n2), α),   h = 2 asin√p1 − 2 asin√p2
    /// unpooled:  power = normal_power((p1 − p2)/√(p1q1 + p2q2/ratio), n1, α)
    /// ```
    ///
    /// with [`normal_power`]; n1 and p2 are found by Brent's method.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless exactly one unknown is `None`, for
    /// proportions outside [0, 1] (p1 = p2 when solving for n), α or power
    /// outside (0, 1), a power not above the tail's α, a non-positive n1 or
    /// ratio, or when no solution exists.
    ///
    /// # Examples
    ///
    /// ```
    /// use huisverbod::stats::power::{TwoProportions, ProportionsMethod};
    /// use huisverbod::stats::Alternative;
    /// let plan = TwoProportions { p1: 0.21, p2: Some(0.30), n1: Some(105.0), ratio: 104.0 / 105.0,
    ///     alpha: 0.10, power: None, alternative: Alternative::TwoSided, method: ProportionsMethod::Arcsine };
    /// let r = plan.solve()?;
    /// assert!((r.power - 0.4424).abs() < 1e-4);
    /// # Ok::<(), huisverbod::Error>(())
    /// ```
    pub fn solve(&self) -> Result<TwoProportionsPower> {
        one_unknown(&[
            ("p2", self.p2.is_some()),
            ("n1", self.n1.is_some()),
            ("power", self.power.is_some()),
        ])?;
        check_probability("p1", self.p1)?;
        check_alpha(self.alpha)?;
        check_positive("ratio", self.ratio)?;
        let (p1, ratio, alpha, alt, method) = (
            self.p1,
            self.ratio,
            self.alpha,
            self.alternative,
            self.method,
        );
        let pw = |p2: f64, n1: f64| proportions_power(p1, p2, n1, ratio, alpha, alt, method);
        let ta = tail_alpha(alpha, alt);
        let done = |p2: f64, p2_above: Option<f64>, n1: f64, power: f64, solved_for| {
            Ok(TwoProportionsPower {
                p1,
                p2,
                p2_above,
                n1,
                n2: n1 * ratio,
                effect_size: proportions_effect(p1, p2, ratio, method),
                alpha,
                power,
                alternative: alt,
                method,
                solved_for,
            })
        };
        match (self.p2, self.n1, self.power) {
            (Some(p2), Some(n1), None) => {
                check_probability("p2", p2)?;
                check_positive("n1", n1)?;
                done(p2, None, n1, pw(p2, n1), Unknown::Power)
            }
            (Some(p2), None, Some(power)) => {
                check_probability("p2", p2)?;
                check_power(power, ta)?;
                let d = proportions_effect(p1, p2, ratio, method);
                check_direction(d, alt, "p1 and p2")?;
                let n1 = solve_increasing(|n| pw(p2, n), power, 1e-10, 10.0, 1e17)?;
                done(p2, None, n1, power, Unknown::SampleSize)
            }
            (None, Some(n1), Some(power)) => {
                check_positive("n1", n1)?;
                check_power(power, ta)?;
                // Below p1 (p1 > p2) for Greater and two-sided, above for Less.
                let below = || -> f64 {
                    if p1 == 0.0 || pw(0.0, n1) < power {
                        return f64::NAN;
                    }
                    brentq(|p2| pw(p2, n1) - power, 0.0, p1).unwrap_or(f64::NAN)
                };
                let above = || -> f64 {
                    if p1 == 1.0 || pw(1.0, n1) < power {
                        return f64::NAN;
                    }
                    brentq(|p2| pw(p2, n1) - power, p1, 1.0).unwrap_or(f64::NAN)
                };
                let (p2, p2_above) = match alt {
                    Alternative::Greater => (below(), None),
                    Alternative::Less => (above(), None),
                    Alternative::TwoSided => (below(), Some(above())),
                };
                if p2.is_nan() && p2_above.is_none_or(f64::is_nan) {
                    return Err(invalid(
                        "p2",
                        format!("no proportion in [0, 1] gives power {power} with n1 = {n1}"),
                    ));
                }
                done(p2, p2_above, n1, power, Unknown::Effect)
            }
            _ => unreachable_unknown(),
        }
    }
}

fn unreachable_unknown<T>() -> Result<T> {
    Err(invalid("power", "exactly one unknown must be None"))
}

/// A one-sided alternative needs an effect in its direction to reach a
/// power above α (statsmodels raises the same).
fn check_direction(effect: f64, alt: Alternative, what: &str) -> Result<()> {
    let wrong = match alt {
        Alternative::Greater => effect <= 0.0,
        Alternative::Less => effect >= 0.0,
        Alternative::TwoSided => effect == 0.0,
    };
    if wrong {
        return Err(invalid(
            "alternative",
            format!(
                "the effect given by {what} ({effect}) cannot reach the power with alternative '{}'",
                alt.as_str()
            ),
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------ means

/// Planning a two-sample t-test: one of `effect_size`, `n1`, `power` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoMeans {
    /// Cohen's d = (mean1 − mean2)/σ (`None`: the detectable d is solved for).
    pub effect_size: Option<f64>,
    /// Size of group 1 (`None`: solved for).
    pub n1: Option<f64>,
    /// n2 / n1.
    pub ratio: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power (`None`: computed).
    pub power: Option<f64>,
    /// The alternative (`Greater`: mean 1 > mean 2).
    pub alternative: Alternative,
}

/// The solved planning problem of [`TwoMeans`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoMeansPower {
    /// Cohen's d (negative for `Less` when solved for).
    pub effect_size: f64,
    /// Size of group 1.
    pub n1: f64,
    /// Size of group 2.
    pub n2: f64,
    /// Degrees of freedom n1 + n2 − 2.
    pub df: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power.
    pub power: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// What was solved for.
    pub solved_for: Unknown,
}

impl TwoMeans {
    /// Solves for the unknown with [`t_power`] (noncentral t, as statsmodels
    /// `TTestIndPower`); n1 and d by Brent's method.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless exactly one unknown is `None`, for
    /// α or power outside (0, 1), a power not above the tail's α, a
    /// zero effect or one against a one-sided alternative when solving for n,
    /// n1·(1 + ratio) < 3 (less than one degree of freedom), a non-positive
    /// ratio, or a power already reached at n1 + n2 = 3 when solving for n.
    ///
    /// # Examples
    ///
    /// ```
    /// use huisverbod::stats::power::TwoMeans;
    /// use huisverbod::stats::Alternative;
    /// // The textbook case: d = 0.5, α = 0.05 two-sided, 80% power → 63.77 per group.
    /// let r = TwoMeans { effect_size: Some(0.5), n1: None, ratio: 1.0, alpha: 0.05, power: Some(0.8),
    ///                    alternative: Alternative::TwoSided }.solve()?;
    /// assert!((r.n1 - 63.77).abs() < 0.01);
    /// # Ok::<(), huisverbod::Error>(())
    /// ```
    pub fn solve(&self) -> Result<TwoMeansPower> {
        one_unknown(&[
            ("effect_size", self.effect_size.is_some()),
            ("n1", self.n1.is_some()),
            ("power", self.power.is_some()),
        ])?;
        check_alpha(self.alpha)?;
        check_positive("ratio", self.ratio)?;
        let (ratio, alpha, alt) = (self.ratio, self.alpha, self.alternative);
        let ta = tail_alpha(alpha, alt);
        // At least one degree of freedom: n1 + n2 ≥ 3.
        let min_n1 = 3.0 / (1.0 + ratio);
        let check_n1 = |n1: f64| -> Result<()> {
            check_positive("n1", n1)?;
            if n1 * (1.0 + ratio) < 3.0 {
                return Err(invalid(
                    "n1",
                    format!(
                        "n1 + n2 = {} leaves less than one degree of freedom (needs n1 + n2 ≥ 3)",
                        n1 * (1.0 + ratio)
                    ),
                ));
            }
            Ok(())
        };
        let done = |d: f64, n1: f64, power: f64, solved_for| {
            let n2 = n1 * ratio;
            Ok(TwoMeansPower {
                effect_size: d,
                n1,
                n2,
                df: n1 - 1.0 + n2 - 1.0,
                alpha,
                power,
                alternative: alt,
                solved_for,
            })
        };
        match (self.effect_size, self.n1, self.power) {
            (Some(d), Some(n1), None) => {
                if !d.is_finite() {
                    return Err(invalid("effect_size", format!("must be finite, got {d}")));
                }
                check_n1(n1)?;
                done(d, n1, t_power(d, n1, ratio, alpha, alt), Unknown::Power)
            }
            (Some(d), None, Some(power)) => {
                if !d.is_finite() {
                    return Err(invalid("effect_size", format!("must be finite, got {d}")));
                }
                check_power(power, ta)?;
                check_direction(d, alt, "effect_size")?;
                // The smallest n1 with one degree of freedom.
                let low = min_n1;
                let n1 =
                    solve_increasing(|n| t_power(d, n, ratio, alpha, alt), power, low, 10.0, 1e17)?;
                done(d, n1, power, Unknown::SampleSize)
            }
            (None, Some(n1), Some(power)) => {
                check_n1(n1)?;
                check_power(power, ta)?;
                let sign = if alt == Alternative::Less { -1.0 } else { 1.0 };
                let m = solve_increasing(
                    |m| t_power(sign * m, n1, ratio, alpha, alt),
                    power,
                    0.0,
                    0.5,
                    1e8,
                )?;
                done(sign * m, n1, power, Unknown::Effect)
            }
            _ => unreachable_unknown(),
        }
    }
}

// ------------------------------------------------------------------ log-rank

/// Planning a log-rank test with Schoenfeld's formula: one of
/// `hazard_ratio`, `events`, `power` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Logrank {
    /// Hazard ratio group 1 / group 2 (`None`: solved for).
    pub hazard_ratio: Option<f64>,
    /// Total number of events (`None`: solved for).
    pub events: Option<f64>,
    /// Share of the subjects in group 1, in (0, 1) (½ for equal groups).
    pub allocation: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power (`None`: computed).
    pub power: Option<f64>,
    /// The alternative (`Less`: hazard ratio < 1).
    pub alternative: Alternative,
}

/// The solved planning problem of [`Logrank`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogrankPower {
    /// Hazard ratio (below 1 when solved for with `TwoSided` or `Less`; its
    /// reciprocal has the same power two-sided).
    pub hazard_ratio: f64,
    /// Total number of events.
    pub events: f64,
    /// Share of the subjects in group 1.
    pub allocation: f64,
    /// Significance level.
    pub alpha: f64,
    /// Power.
    pub power: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// What was solved for.
    pub solved_for: Unknown,
}

impl Logrank {
    /// Solves Schoenfeld's (1983) relation, with p the allocation share and
    /// a = α/2 two-sided, α one-sided:
    ///
    /// ```text
    /// d = (z_{1−a} + z_{1−β})² / (p(1 − p)(log HR)²)
    /// power = Φ(√(d·p(1 − p))·|log HR| − z_{1−a})     (two-sided; the wrong tail is ignored)
    /// power = Φ(∓√(d·p(1 − p))·log HR − z_{1−α})       (less: −, greater: +)
    /// |log HR| = (z_{1−a} + z_{1−β}) / √(d·p(1 − p))
    /// ```
    ///
    /// (the formula of gsDesign's `nEvents` with ratio = p/(1 − p)).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless exactly one unknown is `None`, for
    /// α, power or allocation outside (0, 1), a non-positive hazard ratio or
    /// number of events, HR = 1 or a HR against a one-sided alternative when
    /// solving for events, or a power not above the tail's α.
    ///
    /// # Examples
    ///
    /// ```
    /// use huisverbod::stats::power::Logrank;
    /// use huisverbod::stats::Alternative;
    /// // HR 0.5, one-sided α = 0.025, 90% power, 1:1: (1.95996 + 1.28155)² / (¼ · 0.480453) = 87.47.
    /// let r = Logrank { hazard_ratio: Some(0.5), events: None, allocation: 0.5, alpha: 0.025,
    ///                   power: Some(0.9), alternative: Alternative::Less }.solve()?;
    /// assert!((r.events - 87.47).abs() < 0.01);
    /// # Ok::<(), huisverbod::Error>(())
    /// ```
    pub fn solve(&self) -> Result<LogrankPower> {
        one_unknown(&[
            ("hazard_ratio", self.hazard_ratio.is_some()),
            ("events", self.events.is_some()),
            ("power", self.power.is_some()),
        ])?;
        check_alpha(self.alpha)?;
        let p = self.allocation;
        if !(p > 0.0 && p < 1.0) {
            return Err(invalid(
                "allocation",
                format!("must lie strictly between 0 and 1, got {p}"),
            ));
        }
        let alt = self.alternative;
        let ta = tail_alpha(self.alpha, alt);
        let z_a = -norm_ppf(ta);
        let pq = p * (1.0 - p);
        // The signed log hazard ratio in the direction of the alternative.
        let directed = |log_hr: f64| match alt {
            Alternative::TwoSided => log_hr.abs(),
            Alternative::Less => -log_hr,
            Alternative::Greater => log_hr,
        };
        let done = |hr: f64, events: f64, power: f64, solved_for| {
            Ok(LogrankPower {
                hazard_ratio: hr,
                events,
                allocation: p,
                alpha: self.alpha,
                power,
                alternative: alt,
                solved_for,
            })
        };
        match (self.hazard_ratio, self.events, self.power) {
            (Some(hr), Some(d), None) => {
                check_positive("hazard_ratio", hr)?;
                check_positive("events", d)?;
                let power = norm_cdf((d * pq).sqrt() * directed(hr.ln()) - z_a);
                done(hr, d, power, Unknown::Power)
            }
            (Some(hr), None, Some(power)) => {
                check_positive("hazard_ratio", hr)?;
                check_power(power, ta)?;
                check_direction(hr.ln(), alt, "hazard_ratio")?;
                let z_b = norm_ppf(power);
                let l = hr.ln();
                let d = (z_a + z_b) * (z_a + z_b) / (pq * l * l);
                done(hr, d, power, Unknown::SampleSize)
            }
            (None, Some(d), Some(power)) => {
                check_positive("events", d)?;
                check_power(power, ta)?;
                let m = (z_a + norm_ppf(power)) / (d * pq).sqrt();
                let hr = if alt == Alternative::Greater {
                    m.exp()
                } else {
                    (-m).exp()
                };
                done(hr, d, power, Unknown::Effect)
            }
            _ => unreachable_unknown(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_power_by_hand() {
        // d√n = 2.8 with α = 0.05 two-sided: Φ̄(1.959964 − 2.8) + Φ(−1.959964 − 2.8)
        // = Φ(0.840036) + Φ(−4.759964) = 0.799556 + 0.000000969 ≈ 0.79956.
        let p = normal_power(0.28, 100.0, 0.05, Alternative::TwoSided);
        assert!((p - 0.799_56).abs() < 1e-5, "{p}");
        // At d = 0 the power is α, in every direction.
        for alt in [
            Alternative::TwoSided,
            Alternative::Less,
            Alternative::Greater,
        ] {
            assert!((normal_power(0.0, 50.0, 0.05, alt) - 0.05).abs() < 1e-15);
        }
    }

    #[test]
    fn schoenfeld_round_trip() {
        // Events for HR 0.7, two-sided 5%, 80%, 1:1:
        // (1.959964 + 0.841621)² / (0.25 · 0.127217) = 7.848879 / 0.031804 = 246.79.
        let plan = Logrank {
            hazard_ratio: Some(0.7),
            events: None,
            allocation: 0.5,
            alpha: 0.05,
            power: Some(0.8),
            alternative: Alternative::TwoSided,
        };
        let r = plan.solve().unwrap();
        assert!((r.events - 246.79).abs() < 0.01, "{}", r.events);
        let back = Logrank {
            events: Some(r.events),
            power: None,
            ..plan
        }
        .solve()
        .unwrap();
        assert!((back.power - 0.8).abs() < 1e-14);
        let hr = Logrank {
            events: Some(r.events),
            hazard_ratio: None,
            ..plan
        }
        .solve()
        .unwrap();
        assert!((hr.hazard_ratio - 0.7).abs() < 1e-14);
    }

    #[test]
    fn solve_round_trips() {
        let plan = TwoProportions {
            p1: 0.21,
            p2: Some(0.30),
            n1: None,
            ratio: 1.0,
            alpha: 0.10,
            power: Some(0.8),
            alternative: Alternative::TwoSided,
            method: ProportionsMethod::Arcsine,
        };
        let r = plan.solve().unwrap();
        let back = TwoProportions {
            n1: Some(r.n1),
            power: None,
            ..plan
        }
        .solve()
        .unwrap();
        assert!((back.power - 0.8).abs() < 1e-14);
        let p2 = TwoProportions {
            n1: Some(r.n1),
            p2: None,
            ..plan
        }
        .solve()
        .unwrap();
        assert!((p2.p2_above.unwrap() - 0.30).abs() < 1e-12);
        assert!(p2.p2 < 0.21);
        let m = TwoMeans {
            effect_size: Some(0.3),
            n1: None,
            ratio: 1.5,
            alpha: 0.05,
            power: Some(0.9),
            alternative: Alternative::Greater,
        }
        .solve()
        .unwrap();
        let d = TwoMeans {
            effect_size: None,
            n1: Some(m.n1),
            ..TwoMeans {
                effect_size: Some(0.3),
                n1: None,
                ratio: 1.5,
                alpha: 0.05,
                power: Some(0.9),
                alternative: Alternative::Greater,
            }
        }
        .solve()
        .unwrap();
        assert!((d.effect_size - 0.3).abs() < 1e-12);
    }

    #[test]
    fn bad_plans() {
        let plan = TwoProportions {
            p1: 0.2,
            p2: Some(0.2),
            n1: None,
            ratio: 1.0,
            alpha: 0.05,
            power: Some(0.8),
            alternative: Alternative::TwoSided,
            method: ProportionsMethod::Arcsine,
        };
        assert!(plan.solve().is_err()); // p1 = p2
        assert!(TwoProportions {
            p2: Some(1.2),
            ..plan
        }
        .solve()
        .is_err());
        assert!(TwoProportions {
            power: None,
            ..plan
        }
        .solve()
        .is_err()); // two unknowns
        assert!(TwoProportions {
            p2: Some(0.3),
            power: Some(0.01),
            ..plan
        }
        .solve()
        .is_err());
        assert!(TwoProportions {
            p2: Some(0.3),
            alternative: Alternative::Greater,
            ..plan
        }
        .solve()
        .is_err());
        let l = Logrank {
            hazard_ratio: Some(1.0),
            events: None,
            allocation: 0.5,
            alpha: 0.05,
            power: Some(0.8),
            alternative: Alternative::TwoSided,
        };
        assert!(l.solve().is_err());
        assert!(Logrank {
            allocation: 1.0,
            ..l
        }
        .solve()
        .is_err());
    }
}
