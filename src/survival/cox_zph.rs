//! Test of proportional hazards from scaled Schoenfeld residuals
//! (Grambsch & Therneau, 1994), per covariate and globally.
//!
//! If the effect of covariate j drifts with time as `βⱼ + θⱼ g(t)`, the
//! score test of `θ = 0` at `(β̂, 0)` in the model with the extra
//! time-varying covariates `xⱼ g(t)` is
//!
//! ```text
//! u₂ = Σ_events wᵢ g(tᵢ) sᵢ,            sᵢ = xᵢ − ā(tᵢ)   (Schoenfeld residual, Efron mean)
//! I₁₁ = Σ_t V_t,  I₁₂ = Σ_t g(t) V_t,  I₂₂ = Σ_t g(t)² V_t   (V_t: the information at t)
//! χ²_j   = u₂ⱼ² / [I₂₂ − I₂₁ I₁₁⁻¹ I₁₂]_jj             (1 df)
//! χ²_all = (0, u₂)ᵀ [[I₁₁, I₁₂], [I₂₁, I₂₂]]⁻¹ (0, u₂)    (p df)
//! ```
//!
//! This is R's `cox.zph` (survival ≥ 3.0), [`ZphMethod::Exact`], with
//! `g(t) = 1 − S(t−)` for `transform = "km"` (the pooled, unweighted
//! Kaplan–Meier estimate just before t), the rank of `t` among all
//! observed times, `t`, or `log t`; g is centred at its mean over events.
//!
//! [`ZphMethod::Approximate`] is the older approximation of R's `cox.zph`
//! (survival < 3.0) that lifelines' `proportional_hazard_test` implements:
//! the information at each event time is replaced by `I/d`, giving
//!
//! ```text
//! χ²_j = d · [V Σᵢ g̃ᵢ sᵢ]_j² / (V_jj Σᵢ g̃ᵢ²),   g̃ = g − mean(g),  V = I⁻¹,  d = number of events
//! ```
//!
//! with lifelines' `g(t) = 1 − S_w(t)` for "km" (the weighted Kaplan–Meier
//! estimate *at* t) and lifelines' rank for "rank" (the rank among the
//! *event* times; lifelines numbers tied events in data order, here they
//! share their average rank), and no global test. The two agree closely when the
//! risk-set composition changes little over time; the exact test is
//! preferred (Therneau, survival 3.0 NEWS).
//!
//! The scaled Schoenfeld residuals returned for plotting are
//! `β̂ + d · V sᵢ` (R's `residuals(fit, "scaledsch")`).

// Numeric kernels over covariate indices read better with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::cox::{add_info, prepare, stages, sweep, ChiSquareTest, CoxData, CoxFit};
use super::invalid;
use crate::numerics::Cholesky;
use crate::Result;
use serde::{Deserialize, Serialize};

/// The time scale `g(t)` of the test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ZphTransform {
    /// `1 − S(t)` from the pooled Kaplan–Meier estimate (R's default).
    #[default]
    Km,
    /// The rank of t among all observed times (average ranks for ties; R);
    /// among the event times with [`ZphMethod::Approximate`] (lifelines).
    Rank,
    /// t itself.
    Identity,
    /// log t.
    Log,
}

impl ZphTransform {
    /// `km`, `rank`, `identity` or `log`.
    pub fn as_str(self) -> &'static str {
        match self {
            ZphTransform::Km => "km",
            ZphTransform::Rank => "rank",
            ZphTransform::Identity => "identity",
            ZphTransform::Log => "log",
        }
    }
}

impl std::str::FromStr for ZphTransform {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "km" => Ok(ZphTransform::Km),
            "rank" => Ok(ZphTransform::Rank),
            "identity" => Ok(ZphTransform::Identity),
            "log" => Ok(ZphTransform::Log),
            other => Err(invalid(
                "transform",
                format!("'{other}' is not one of 'km', 'rank', 'identity', 'log'"),
            )),
        }
    }
}

/// Which test statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ZphMethod {
    /// The score test of R's `cox.zph` (survival ≥ 3.0).
    #[default]
    Exact,
    /// The approximation of R < 3.0 and lifelines.
    Approximate,
}

/// The result of [`cox_zph`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Zph {
    /// Chi-square per covariate (`NaN` for aliased covariates).
    pub statistic: Vec<f64>,
    /// Degrees of freedom per covariate (1).
    pub df: Vec<f64>,
    /// p-value per covariate.
    pub pvalue: Vec<f64>,
    /// The global test (`None` for the approximate method).
    pub global: Option<ChiSquareTest>,
    /// Event time of each residual row.
    pub time: Vec<f64>,
    /// `g(t)` of each residual row (uncentred).
    pub transformed_time: Vec<f64>,
    /// Scaled Schoenfeld residuals, `d × p` row-major (`NaN` columns where aliased).
    pub scaled_residuals: Vec<f64>,
    /// The time scale.
    pub transform: ZphTransform,
    /// The statistic.
    pub method: ZphMethod,
}

/// Kaplan–Meier over all rows (strata ignored): `(times, S)` at the distinct
/// event times, with counting-process risk sets; `weights` optional.
fn pooled_km(d: &CoxData<'_>, weighted: bool) -> (Vec<f64>, Vec<f64>) {
    let n = d.stop.len();
    let w = |i: usize| match (weighted, d.weights) {
        (true, Some(w)) => w[i],
        _ => 1.0,
    };
    let mut ev: Vec<(f64, f64)> = (0..n)
        .filter(|&i| d.event[i] == 1.0)
        .map(|i| (d.stop[i], w(i)))
        .collect();
    ev.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut stops: Vec<(f64, f64)> = (0..n).map(|i| (d.stop[i], w(i))).collect();
    stops.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut cum_stop = vec![0.0; n + 1];
    for i in 0..n {
        cum_stop[i + 1] = cum_stop[i] + stops[i].1;
    }
    let (starts, cum_start) = match d.start {
        Some(s) => {
            let mut v: Vec<(f64, f64)> = (0..n).map(|i| (s[i], w(i))).collect();
            v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            let mut c = vec![0.0; n + 1];
            for i in 0..n {
                c[i + 1] = c[i] + v[i].1;
            }
            (Some(v), c)
        }
        None => (None, Vec::new()),
    };
    let total = cum_stop[n];
    let mut times = Vec::new();
    let mut surv = Vec::new();
    let mut s = 1.0;
    let mut i = 0;
    while i < ev.len() {
        let t = ev[i].0;
        let mut dw = 0.0;
        while i < ev.len() && ev[i].0 == t {
            dw += ev[i].1;
            i += 1;
        }
        // at risk: stop ≥ t (and start < t)
        let k = stops.partition_point(|x| x.0 < t);
        let mut at_risk = total - cum_stop[k];
        if let Some(st) = &starts {
            let k2 = st.partition_point(|x| x.0 < t);
            at_risk -= total - cum_start[k2];
        }
        s *= 1.0 - dw / at_risk;
        times.push(t);
        surv.push(s);
    }
    (times, surv)
}

/// Average ranks of `t` among all stop times (R's `rank`).
fn average_rank(all: &[f64], t: f64) -> f64 {
    // Sorted copy handled by the caller; here `all` is sorted ascending.
    let lo = all.partition_point(|&x| x < t);
    let hi = all.partition_point(|&x| x <= t);
    (lo + 1 + hi) as f64 / 2.0
}

/// The proportional-hazards test of a fitted model on the same data.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] when the data do not match the fit, for
/// `transform = "log"` with a zero event time, or when no coefficient was
/// estimated.
pub fn cox_zph(
    data: &CoxData<'_>,
    fit: &CoxFit,
    transform: ZphTransform,
    method: ZphMethod,
) -> Result<Zph> {
    let p_full = data.p;
    if p_full != fit.p || data.stop.len() != fit.n {
        return Err(invalid(
            "data",
            "do not match the fitted model (different n or number of covariates)",
        ));
    }
    let keep: Vec<usize> = (0..p_full).filter(|&j| !fit.aliased[j]).collect();
    if keep.is_empty() {
        return Err(invalid("fit", "has no estimated coefficient"));
    }
    let p = keep.len();
    let n = data.stop.len();
    let xk: Vec<f64> = if p == p_full {
        data.x.to_vec()
    } else {
        (0..n)
            .flat_map(|i| keep.iter().map(move |&j| data.x[i * p_full + j]))
            .collect()
    };
    let reduced = CoxData { x: &xk, p, ..*data };
    let beta: Vec<f64> = keep.iter().map(|&j| fit.coef[j]).collect();
    let v: Vec<f64> = keep
        .iter()
        .flat_map(|&a| keep.iter().map(move |&b| fit.naive_var[a * p_full + b]))
        .collect();
    let prep = prepare(&reduced)?;

    // g(t) at an event time.
    let (km_t, km_s) = pooled_km(data, method == ZphMethod::Approximate);
    // Rank among all observed times (R), or among the event times (lifelines).
    let mut sorted_stop: Vec<f64> = match method {
        ZphMethod::Exact => data.stop.to_vec(),
        ZphMethod::Approximate => (0..n)
            .filter(|&i| data.event[i] == 1.0)
            .map(|i| data.stop[i])
            .collect(),
    };
    sorted_stop.sort_unstable_by(f64::total_cmp);
    let g = |t: f64| -> f64 {
        match transform {
            ZphTransform::Identity => t,
            ZphTransform::Log => t.ln(),
            ZphTransform::Rank => average_rank(&sorted_stop, t),
            ZphTransform::Km => {
                let k = km_t.partition_point(|&x| x < t);
                match method {
                    // 1 − S(t−): the last KM value strictly before t.
                    ZphMethod::Exact => 1.0 - if k == 0 { 1.0 } else { km_s[k - 1] },
                    // 1 − S(t): the KM value at t (t is an event time).
                    ZphMethod::Approximate => 1.0 - km_s[k],
                }
            }
        }
    };
    if transform == ZphTransform::Log && (0..n).any(|i| data.event[i] == 1.0 && data.stop[i] <= 0.0)
    {
        return Err(invalid(
            "transform",
            "'log' needs positive event times, but there is an event at time 0",
        ));
    }
    // Centre g over events (unweighted, as R).
    let mut gsum = 0.0;
    let mut nev = 0usize;
    for i in 0..n {
        if data.event[i] == 1.0 {
            gsum += g(data.stop[i]);
            nev += 1;
        }
    }
    let gmean = gsum / nev as f64;

    let mut i11 = vec![0.0; p * p];
    let mut i12 = vec![0.0; p * p];
    let mut i22 = vec![0.0; p * p];
    let mut u2 = vec![0.0; p];
    let mut approx = vec![0.0; p];
    let mut g2sum = 0.0;
    let mut rows_t = Vec::new();
    let mut rows_g = Vec::new();
    let mut resid = Vec::new();
    let mut abar = vec![0.0; p];
    let mut vt = vec![0.0; p * p];
    sweep(&prep, &beta, true, |ev| {
        let nd = ev.deaths.len();
        if nd == 0 {
            return;
        }
        let graw = g(ev.time);
        let gt = graw - gmean;
        let st = stages(ev.s0, ev.d0, nd, fit.ties);
        let wk = ev.dw / st.n as f64;
        for a in 0..p {
            abar[a] = (ev.s1[a] * st.a0 - ev.d1[a] * st.a1) / st.n as f64;
        }
        vt.iter_mut().for_each(|x| *x = 0.0);
        add_info(&mut vt, ev, &st, wk, p);
        for a in 0..p {
            for b in 0..=a {
                let x = vt[a * p + b];
                for (mat, c) in [(&mut i11, 1.0), (&mut i12, gt), (&mut i22, gt * gt)] {
                    mat[a * p + b] += c * x;
                    if a != b {
                        mat[b * p + a] += c * x;
                    }
                }
            }
        }
        for &i in ev.deaths {
            let wi = prep.w[i];
            rows_t.push(ev.time);
            rows_g.push(graw);
            g2sum += gt * gt;
            for a in 0..p {
                let s = prep.x[i * p + a] - abar[a];
                u2[a] += wi * gt * s;
                approx[a] += gt * s;
                resid.push(s);
            }
        }
    });
    let d = rows_t.len() as f64;
    let mut statistic = vec![f64::NAN; p_full];
    let mut global = None;
    match method {
        ZphMethod::Exact => {
            // The (p + 1) × (p + 1) and 2p × 2p systems.
            let full = |idx2: &[usize]| -> Vec<f64> {
                let k = p + idx2.len();
                let mut mat = vec![0.0; k * k];
                for a in 0..k {
                    for b in 0..k {
                        mat[a * k + b] = match (a < p, b < p) {
                            (true, true) => i11[a * p + b],
                            (true, false) => i12[a * p + idx2[b - p]],
                            (false, true) => i12[idx2[a - p] * p + b],
                            (false, false) => i22[idx2[a - p] * p + idx2[b - p]],
                        };
                    }
                }
                mat
            };
            for (jj, &j) in keep.iter().enumerate() {
                let mat = full(&[jj]);
                let mut u = vec![0.0; p + 1];
                u[p] = u2[jj];
                let c = Cholesky::new(&mat, p + 1, fit_tol())?;
                statistic[j] = c.quad_form_inv(&u);
            }
            let all: Vec<usize> = (0..p).collect();
            let mat = full(&all);
            let mut u = vec![0.0; 2 * p];
            u[p..].copy_from_slice(&u2);
            let c = Cholesky::new(&mat, 2 * p, fit_tol())?;
            global = Some(ChiSquareTest::new(c.quad_form_inv(&u), p as f64));
        }
        ZphMethod::Approximate => {
            for (jj, &j) in keep.iter().enumerate() {
                let vs: f64 = (0..p).map(|b| v[jj * p + b] * approx[b]).sum();
                statistic[j] = d * vs * vs / (v[jj * p + jj] * g2sum);
            }
        }
    }
    let pvalue = statistic
        .iter()
        .map(|&s| {
            if s.is_nan() {
                f64::NAN
            } else {
                crate::stats::pvalue_chi2(s, 1.0)
            }
        })
        .collect();
    // Scaled residuals β̂ + d V s, in the full covariate layout.
    let nrow = rows_t.len();
    let mut scaled = vec![f64::NAN; nrow * p_full];
    for r in 0..nrow {
        let s = &resid[r * p..(r + 1) * p];
        for (a, &ja) in keep.iter().enumerate() {
            let vs: f64 = (0..p).map(|b| v[a * p + b] * s[b]).sum();
            scaled[r * p_full + ja] = beta[a] + d * vs;
        }
    }
    Ok(Zph {
        statistic,
        df: vec![1.0; p_full],
        pvalue,
        global,
        time: rows_t,
        transformed_time: rows_g,
        scaled_residuals: scaled,
        transform,
        method,
    })
}

fn fit_tol() -> f64 {
    crate::numerics::TOLER_CHOL
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::cox::{cox_fit, CoxOptions};

    #[test]
    fn single_covariate_exact_equals_schur_formula() {
        // With one covariate the exact test is u₂² / (I₂₂ − I₁₂²/I₁₁); check
        // against the global test (same thing with p = 1) and basic sanity.
        let stop = [5., 8., 12., 3., 9., 15., 2., 7., 4., 11.];
        let event = [1., 1., 0., 1., 1., 0., 1., 1., 1., 1.];
        let x = [0., 0., 0., 1., 1., 1., 1., 0., 1., 0.];
        let d = CoxData {
            start: None,
            stop: &stop,
            event: &event,
            x: &x,
            p: 1,
            strata: None,
            weights: None,
            cluster: None,
            offset: None,
        };
        let fit = cox_fit(&d, &CoxOptions::default()).unwrap();
        let z = cox_zph(&d, &fit, ZphTransform::Km, ZphMethod::Exact).unwrap();
        let g = z.global.unwrap();
        assert!((g.statistic - z.statistic[0]).abs() < 1e-12 * g.statistic.max(1.0));
        assert_eq!(z.time.len(), 8);
        // Σ of unscaled Schoenfeld residuals is the score at β̂: 0. So the
        // scaled residuals average to β̂.
        let mean: f64 = z.scaled_residuals.iter().sum::<f64>() / 8.0;
        assert!((mean - fit.coef[0]).abs() < 1e-8);
        // Without ties and censoring before the last event, ranks among all
        // times and among event times differ; both are defined.
        let exact = cox_zph(&d, &fit, ZphTransform::Rank, ZphMethod::Exact).unwrap();
        let approx = cox_zph(&d, &fit, ZphTransform::Rank, ZphMethod::Approximate).unwrap();
        assert!(exact.statistic[0].is_finite() && approx.statistic[0].is_finite());
    }
}
