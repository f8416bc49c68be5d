//! Linear regression by (weighted) least squares, with classical, HC0–HC3 and
//! cluster-robust covariances (statsmodels `OLS`/`WLS` and their `cov_type`s).
//!
//! ```text
//! β̂ = argmin Σ wᵢ(yᵢ − xᵢβ)²        by a Givens QR of √W·[X | y] (no normal equations)
//! e = y − Xβ̂,  SSR = Σ wᵢeᵢ²,  σ̂² = SSR/(n − p)
//! classical: Var(β̂) = σ̂²(XᵀWX)⁻¹
//! HC0:  (XᵀWX)⁻¹ [Σ wᵢ²eᵢ² xᵢxᵢᵀ] (XᵀWX)⁻¹            HC1: HC0 · n/(n − p)
//! HC2:  eᵢ² → eᵢ²/(1 − hᵢ);  HC3: eᵢ² → eᵢ²/(1 − hᵢ)²,  hᵢ = wᵢ xᵢᵀ(XᵀWX)⁻¹xᵢ
//! cluster: scores wᵢeᵢxᵢ summed per cluster, × G/(G−1)·(n−1)/(n−p)
//! t_j = β̂_j/se_j ~ t(n − p)  (t(G − 1) when cluster-robust, as statsmodels)
//! R² = 1 − SSR/TSS (TSS around the weighted mean, uncentred without intercept)
//! adj. R² = 1 − (n − k_const)/(n − p) · (1 − R²)
//! F = Wald/q for the q non-constant coefficients with the chosen covariance
//!     (the classical (ESS/q)/(SSR/(n−p)) when non-robust), F(q, df of t)
//! ℓ = −n/2 · ln(2π·SSR/n) − n/2 + ½ Σ ln wᵢ     (analytic weights: WLS)
//! ```
//!
//! With frequency weights `n = Σ w` and everything equals the fit on the
//! expanded data (each row repeated `w` times): the HC sums use `wᵢeᵢ²` and
//! the leverage of one copy `xᵢᵀ(XᵀWX)⁻¹xᵢ`; the log-likelihood has no
//! `Σ ln w` term. Rows with zero weight do not count.

use super::results::{ChiSquareTest, LinearStats, ModelFit, ModelKind};
use super::{robust, CovType, FitOptions, ModelData, WeightKind};
use crate::stats::tdist::f_sf;
use crate::{Error, Result};

/// Fits a linear regression by least squares.
///
/// # Errors
/// [`Error::InvalidArgument`] for invalid input (see [`ModelData::validate`]),
/// an offset (subtract it from `y` instead), a rank-deficient design (naming
/// the columns), no residual degrees of freedom, or fewer than 2 clusters.
///
/// # Examples
/// ```
/// use huisverbod::models::{ols, FitOptions, ModelData};
/// // y = 0.8 + 2.3 x + e at x = 0..3
/// let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
/// let y = [1.0, 3.0, 5.0, 8.0];
/// let names = vec!["Intercept".to_string(), "x".to_string()];
/// let fit = ols(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
/// assert!((fit.params[1] - 2.3).abs() < 1e-13);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn ols(data: &ModelData<'_>, opts: &FitOptions) -> Result<ModelFit> {
    data.validate(opts)?;
    if data.offset.is_some() {
        return Err(Error::InvalidArgument {
            name: "offset",
            reason: "is not supported for linear regression; subtract it from the outcome".into(),
        });
    }
    let qr = data.check_rank(data.y)?;
    let n = data.n();
    let p = data.p();
    let beta = qr.solve();
    let xtx_inv = qr.unscaled_cov();
    let mut fit = ModelFit::empty(
        ModelKind::Ols,
        "least_squares",
        data.names.to_vec(),
        beta.clone(),
        data,
    );
    let nobs = fit.nobs;
    let df_resid = nobs - p as f64;
    if df_resid <= 0.0 {
        return Err(Error::InvalidArgument {
            name: "x",
            reason: format!(
                "{nobs} observations for {p} coefficients leave no residual degrees of freedom"
            ),
        });
    }
    fit.linear_predictor = (0..n).map(|i| super::glm::eta_of(data, &beta, i)).collect();
    fit.fitted = fit.linear_predictor.clone();
    let resid: Vec<f64> = (0..n).map(|i| data.y[i] - fit.fitted[i]).collect();
    let ssr: f64 = (0..n).map(|i| data.w(i) * resid[i] * resid[i]).sum();
    let scale = ssr / df_resid;
    fit.scale = scale;

    let k_const = fit.k_constant;
    let sw: f64 = (0..n).map(|i| data.w(i)).sum();
    let ybar = (0..n).map(|i| data.w(i) * data.y[i]).sum::<f64>() / sw;
    let tss_c: f64 = (0..n).map(|i| data.w(i) * (data.y[i] - ybar).powi(2)).sum();
    let tss = if k_const == 1 {
        tss_c
    } else {
        (0..n).map(|i| data.w(i) * data.y[i] * data.y[i]).sum()
    };

    // log-likelihoods
    let log_w: f64 = match (data.weights, data.weight_kind) {
        (Some(w), WeightKind::Analytic) => w.iter().filter(|&&v| v > 0.0).map(|v| v.ln()).sum(),
        _ => 0.0,
    };
    let gauss = |ss: f64| {
        -0.5 * nobs * (2.0 * std::f64::consts::PI * ss / nobs).ln() - 0.5 * nobs + 0.5 * log_w
    };
    fit.llf = gauss(ssr);
    fit.llnull = gauss(tss_c);
    fit.set_information_criteria(p as f64);
    fit.lr_test = Some(ChiSquareTest::upper(
        2.0 * (fit.llf - fit.llnull),
        fit.df_model,
    ));

    // covariance
    let leverage = |i: usize| -> f64 {
        let x = data.row(i);
        let mut h = 0.0;
        for a in 0..p {
            let mut s = 0.0;
            for b in 0..p {
                s += xtx_inv[a * p + b] * x[b];
            }
            h += x[a] * s;
        }
        match data.weight_kind {
            WeightKind::Analytic => data.w(i) * h,
            WeightKind::Frequency => h,
        }
    };
    let (cov, g) = match opts.cov_type {
        CovType::NonRobust => {
            let mut v = xtx_inv.clone();
            robust::scale(&mut v, scale);
            (v, None)
        }
        CovType::HC0 | CovType::HC1 | CovType::HC2 | CovType::HC3 => {
            let meat = robust::outer_sum(n, p, |i, out| {
                let w = data.w(i);
                if w == 0.0 {
                    return 0.0;
                }
                out.copy_from_slice(data.row(i));
                let e2 = resid[i] * resid[i];
                let base = match data.weight_kind {
                    WeightKind::Analytic => w * w * e2,
                    WeightKind::Frequency => w * e2,
                };
                match opts.cov_type {
                    CovType::HC2 => base / (1.0 - leverage(i)),
                    CovType::HC3 => base / (1.0 - leverage(i)).powi(2),
                    _ => base,
                }
            });
            let mut v = robust::sandwich(&xtx_inv, &meat, p);
            if opts.cov_type == CovType::HC1 {
                robust::scale(&mut v, nobs / df_resid);
            }
            (v, None)
        }
        CovType::Cluster => {
            let clusters = data.clusters.ok_or_else(|| Error::InvalidArgument {
                name: "cov_type",
                reason: "'cluster' needs cluster labels".into(),
            })?;
            let (meat, g) = robust::cluster_meat(clusters, p, |i, out| {
                let w = data.w(i);
                if w == 0.0 {
                    return false;
                }
                let we = w * resid[i];
                for (o, x) in out.iter_mut().zip(data.row(i)) {
                    *o = we * x;
                }
                true
            })?;
            let mut v = robust::sandwich(&xtx_inv, &meat, p);
            robust::scale(&mut v, robust::cluster_correction(g, nobs, p));
            (v, Some(g))
        }
    };
    fit.cov_type = opts.cov_type;
    fit.n_clusters = g;
    fit.set_reference(opts.use_t.unwrap_or(opts.cov_type == CovType::NonRobust), g);
    fit.set_cov(cov);

    let rsquared = 1.0 - ssr / tss;
    let rsquared_adj = 1.0 - (nobs - k_const as f64) / df_resid * (1.0 - rsquared);
    // F test as statsmodels' fvalue: the classical (ESS/df_model)/(SSR/df_resid)
    // when non-robust; otherwise the Wald test of the non-constant
    // coefficients (NaN with an implicit constant, which has no column).
    let konst = data.constant_column();
    let d2 = fit.df_inference.unwrap_or(df_resid);
    let (fvalue, f_pvalue, q) = if opts.cov_type == CovType::NonRobust {
        let q = fit.df_model;
        let f = ((tss - ssr) / q) / scale;
        (f, f_sf(f, q, d2), q)
    } else if k_const == 1 && konst.is_none() {
        (f64::NAN, f64::NAN, fit.df_model)
    } else {
        let tested: Vec<usize> = (0..p).filter(|&j| Some(j) != konst).collect();
        match fit.wald(&tested) {
            Ok((w, q)) if q > 0 => {
                let f = w / q as f64;
                (f, f_sf(f, q as f64, d2), q as f64)
            }
            _ => (f64::NAN, f64::NAN, tested.len() as f64),
        }
    };
    fit.linear = Some(LinearStats {
        rsquared,
        rsquared_adj,
        fvalue,
        f_pvalue,
        f_df: (q, fit.df_inference.unwrap_or(df_resid)),
        ssr,
        ess: tss - ssr,
        tss,
        mse_resid: scale,
    });
    Ok(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_by_hand() {
        // x = 0..3, y = (1, 3, 5, 8): β = (0.8, 2.3), SSR = 0.3, σ̂² = 0.15,
        // (XᵀX)⁻¹ = [[0.7, −0.3], [−0.3, 0.2]] → se(β1) = √(0.15·0.2) = √0.03
        // ȳ = 4.25, TSS = 10.5625+1.5625+0.5625+14.0625 = 26.75, R² = 1 − 0.3/26.75
        // F = (26.45/1)/(0.15) = 176.333…
        let names: Vec<String> = vec!["c".into(), "x".into()];
        let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
        let y = [1.0, 3.0, 5.0, 8.0];
        let d = ModelData::new(&y, &x, &names).unwrap();
        let f = ols(&d, &FitOptions::default()).unwrap();
        assert!((f.bse[1] - 0.03f64.sqrt()).abs() < 1e-14);
        let l = f.linear.unwrap();
        assert!((l.rsquared - (1.0 - 0.3 / 26.75)).abs() < 1e-14);
        assert!((l.fvalue - 26.45 / 0.15).abs() < 1e-10);
        // ℓ = −2·ln(2π·0.3/4) − 2
        let ll = -2.0 * (2.0 * std::f64::consts::PI * 0.075).ln() - 2.0;
        assert!((f.llf - ll).abs() < 1e-13);
        assert_eq!(f.df_inference, Some(2.0));
    }

    #[test]
    fn hc0_by_hand() {
        // One regressor, no intercept: x = (1, 2), y = (1, 3): β = 7/5,
        // e = (−0.4, 0.2), HC0 = Σx²e²/(Σx²)² = (0.16 + 0.16)/25 = 0.0128
        let names: Vec<String> = vec!["x".into()];
        let d = ModelData::new(&[1.0, 3.0], &[1.0, 2.0], &names).unwrap();
        let o = FitOptions {
            cov_type: CovType::HC0,
            ..FitOptions::default()
        };
        let f = ols(&d, &o).unwrap();
        assert!((f.params[0] - 1.4).abs() < 1e-15);
        assert!((f.cov_params[0] - 0.0128).abs() < 1e-15);
    }
}
