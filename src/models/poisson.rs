//! Poisson regression with log link and an offset (statsmodels `Poisson`,
//! `GLM(family=Poisson())`).
//!
//! ```text
//! yᵢ ~ Poisson(μᵢ),  ln μᵢ = xᵢβ + offsetᵢ      (offset = ln exposure, e.g. follow-up days)
//! ℓ(β) = Σ wᵢ [yᵢηᵢ − μᵢ − ln yᵢ!]               Newton/IRLS with step halving
//! Var(β̂) = (Σ wᵢμᵢxᵢxᵢᵀ)⁻¹                     (or a sandwich, see robust)
//! incidence-rate ratio exp(β̂_j), Wald interval exp(β̂_j ∓ z·se_j)
//! ℓ₀: intercept only, β₀ = ln(Σwy / Σw·e^offset)
//! deviance D = 2Σ wᵢ[yᵢ ln(yᵢ/μᵢ) − (yᵢ − μᵢ)],  Pearson X² = Σ wᵢ(yᵢ − μᵢ)²/μᵢ
//! ```
//!
//! A column whose coefficient runs off to −∞ (for example a category in
//! which every count is zero) stops the iterations without convergence; the
//! result carries `converged = false` and a warning with the iteration log.

use super::glm::{self, PoissonLik};
use super::results::{CountStats, ModelFit, ModelKind};
use super::{FitOptions, ModelData};
use crate::{Error, Result};

/// Checks that counts are non-negative whole numbers and not all zero.
///
/// Non-integer outcomes are refused: statsmodels accepts them (its
/// likelihood uses `lnΓ(y + 1)`), R's `glm(family = poisson)` warns; a
/// fractional "count" is usually a rate or a coding error, and a rate is
/// modelled with the count as outcome and the time as `exposure`.
pub(crate) fn check_counts(data: &ModelData<'_>) -> Result<()> {
    if let Some(i) = data.y.iter().position(|&v| v < 0.0) {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: format!("must be a non-negative count; row {i} has {}", data.y[i]),
        });
    }
    if let Some(i) = data.y.iter().position(|&v| v.fract() != 0.0) {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: format!(
                "must be a whole-number count; row {i} has {} (model a rate with the count as outcome and exposure=)",
                data.y[i]
            ),
        });
    }
    if !(0..data.n()).any(|i| data.y[i] > 0.0 && data.w(i) > 0.0) {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: "is zero in every row used; the count model has no finite estimates".into(),
        });
    }
    Ok(())
}

/// The intercept-only rate `ln(Σwy / Σw·e^offset)`.
pub(crate) fn null_intercept(data: &ModelData<'_>) -> f64 {
    let (mut sy, mut se) = (0.0, 0.0);
    for i in 0..data.n() {
        let w = data.w(i);
        sy += w * data.y[i];
        se += w * data.off(i).exp();
    }
    (sy / se).ln()
}

/// Starting values: the intercept column at the null rate, the rest 0.
pub(crate) fn start_values(data: &ModelData<'_>) -> Vec<f64> {
    let mut b = vec![0.0; data.p()];
    if let Some(j) = super::logit::constant_column(data) {
        b[j] = null_intercept(data) / data.x[j];
    }
    b
}

/// Fits the Poisson part (validated data), returning the Newton result.
pub(crate) fn fit_poisson_core(data: &ModelData<'_>, opts: &FitOptions) -> glm::NewtonResult {
    glm::newton(data, &PoissonLik, start_values(data), opts)
}

/// Names of the columns that moved most in the last step (for warnings).
pub(crate) fn moving_columns(data: &ModelData<'_>, step: &[f64]) -> Vec<String> {
    let m = step.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if m == 0.0 {
        return Vec::new();
    }
    (0..data.p())
        .filter(|&j| step[j].abs() >= 0.1 * m)
        .map(|j| data.names[j].clone())
        .collect()
}

/// Fits a Poisson regression by maximum likelihood.
///
/// # Errors
/// [`Error::InvalidArgument`] for invalid input (see [`ModelData::validate`]),
/// negative or non-integer counts, all counts zero, a rank-deficient design (naming the
/// columns), HC2/HC3, or fewer than 2 clusters. Non-convergence is reported in
/// the result (`converged`, `warnings`).
///
/// # Examples
/// ```
/// use huisverbod::models::{poisson, FitOptions, ModelData};
/// // Two groups with 3 and 6 events in 10 and 10 days: IRR = 2.
/// let x = [1.0, 0.0, 1.0, 1.0];
/// let y = [3.0, 6.0];
/// let off = [10f64.ln(), 10f64.ln()];
/// let names = vec!["Intercept".to_string(), "g".to_string()];
/// let fit = poisson(&ModelData::new(&y, &x, &names)?.with_offset(&off), &FitOptions::default())?;
/// assert!((fit.params[1].exp() - 2.0).abs() < 1e-12);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn poisson(data: &ModelData<'_>, opts: &FitOptions) -> Result<ModelFit> {
    data.validate(opts)?;
    check_counts(data)?;
    data.screen_rank()?;
    let r = fit_poisson_core(data, opts);
    let mut fit = ModelFit::empty(
        ModelKind::Poisson,
        "ml",
        data.names.to_vec(),
        r.beta.clone(),
        data,
    );
    fit.converged = r.converged;
    fit.iterations = r.iterations;
    fit.history = r.history.clone();
    fit.llf = r.eval.llf;
    let b0 = null_intercept(data);
    fit.llnull = (0..data.n())
        .map(|i| {
            let w = data.w(i);
            if w == 0.0 {
                return 0.0;
            }
            let eta = b0 + data.off(i);
            let y = data.y[i];
            w * ((if y == 0.0 { 0.0 } else { y * eta })
                - eta.exp()
                - super::special::ln_factorial(y))
        })
        .sum();
    let beta = r.beta.clone();
    fit.linear_predictor = (0..data.n()).map(|i| glm::eta_of(data, &beta, i)).collect();
    fit.fitted = fit.linear_predictor.iter().map(|e| e.exp()).collect();
    glm::finish_canonical(&mut fit, data, opts, &r.eval.info)?;
    let mu = &fit.fitted;
    let (mut dev, mut pearson) = (0.0, 0.0);
    for (i, &m) in mu.iter().enumerate() {
        let (w, y) = (data.w(i), data.y[i]);
        if w == 0.0 {
            continue;
        }
        let t = if y > 0.0 { y * (y / m).ln() } else { 0.0 };
        dev += 2.0 * w * (t - (y - m));
        pearson += w * (y - m) * (y - m) / m;
    }
    fit.count = Some(CountStats {
        alpha: None,
        alpha_se: None,
        llf_poisson: Some(fit.llf),
        lr_test_poisson: None,
        pearson_chi2: pearson,
        deviance: dev,
    });
    if !r.converged {
        let cols = moving_columns(data, &r.last_step);
        fit.warnings.push(format!(
            "Poisson regression did not converge: {}{}. Iteration log: {}",
            r.failure.as_deref().unwrap_or("unknown reason"),
            if cols.is_empty() {
                String::new()
            } else {
                format!(
                    "; the coefficients of {} keep moving (a category without events?)",
                    cols.join(", ")
                )
            },
            glm::history_text(&r.history)
        ));
    }
    Ok(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_counts_are_refused() {
        let names = vec!["Intercept".to_string()];
        let e = poisson(
            &ModelData::new(&[1.0, 2.5], &[1.0, 1.0], &names).unwrap(),
            &FitOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("whole-number count; row 1 has 2.5"), "{e}");
    }

    #[test]
    fn rates_by_hand() {
        // Group 0: counts (2, 4) over exposures (1, 3) → rate 6/4 = 1.5;
        // group 1: counts (9) over exposure (2) → rate 4.5: IRR = 3.
        // Var(β1) = 1/6 + 1/9 (inverse expected counts per group).
        let names: Vec<String> = vec!["c".into(), "g".into()];
        let x = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let y = [2.0, 4.0, 9.0];
        let off = [1f64.ln(), 3f64.ln(), 2f64.ln()];
        let d = ModelData::new(&y, &x, &names).unwrap().with_offset(&off);
        let f = poisson(&d, &FitOptions::default()).unwrap();
        assert!((f.params[0] - 1.5f64.ln()).abs() < 1e-13);
        assert!((f.params[1] - 3f64.ln()).abs() < 1e-13);
        assert!((f.bse[1] - (1.0 / 6.0 + 1.0 / 9.0f64).sqrt()).abs() < 1e-12);
        assert!(poisson(
            &ModelData::new(&[-1.0, 2.0, 1.0], &x, &names).unwrap(),
            &FitOptions::default()
        )
        .is_err());
    }
}
