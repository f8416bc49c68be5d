//! Binary logistic regression by maximum likelihood, with the statistics
//! SPSS's LOGISTIC REGRESSION prints.
//!
//! ```text
//! P(y = 1 | x) = 1/(1 + exp(−xβ − offset))
//! ℓ(β) = Σ wᵢ [yᵢηᵢ − ln(1 + e^{ηᵢ})],   fitted by Newton/IRLS with step halving
//! Var(β̂) = (XᵀWX)⁻¹,  W = diag(wᵢ μᵢ(1 − μᵢ))        (or a sandwich, see robust)
//! z_j = β̂_j / se_j  (SPSS prints the Wald chi-square z_j²: same p-value)
//! odds ratio exp(β̂_j), Wald interval exp(β̂_j ∓ z_{(1+level)/2}·se_j)
//!
//! LR test vs the intercept-only model:  2(ℓ − ℓ₀) ~ χ²(df_model)
//! Cox & Snell  R² = 1 − exp(2(ℓ₀ − ℓ)/n)
//! Nagelkerke   R² = R²_CS / (1 − exp(2ℓ₀/n))
//! McFadden     R² = 1 − ℓ/ℓ₀
//! ```
//!
//! `n` is the number of observations (`Σ w` with frequency weights, as SPSS's
//! WEIGHT BY). Hosmer–Lemeshow: see [`hosmer_lemeshow`]. Classification
//! table: predicted 1 when `p̂ > 0.5` (SPSS: "cases with predicted values that
//! exceed the classification cutoff are classified as positive").
//!
//! Separation (a covariate combination that predicts the outcome perfectly):
//! the maximum-likelihood estimate does not exist. It is detected (see
//! [`ModelFit::separation`]) by (a) a per-column check — with an intercept, a
//! column `x` separates quasi-completely when `max(x | y=0) ≤ min(x | y=1)` or
//! the reverse, completely when the inequality is strict — and (b) after the
//! fit, fitted probabilities within [`super::prec::SEPARATION_EPS`] of the
//! outcome together with non-convergence or a singular information; the
//! diverging columns are named from the last Newton step. Use
//! [`super::firth_logit`] then.
//!
//! References: Hosmer, Lemeshow & Sturdivant (2013), *Applied Logistic
//! Regression*, 3rd ed.; Nagelkerke (1991), Biometrika 78, 691–692; Albert &
//! Anderson (1984), Biometrika 71, 1–10 (separation).

use super::glm::{self, Binomial};
use super::results::{
    BinaryStats, Classification, HosmerLemeshow, ModelFit, ModelKind, Separation, SeparationKind,
};
use super::{prec, FitOptions, ModelData};
use crate::{Error, Result};

/// Checks that `y` is 0/1 and both values occur among rows with positive weight.
pub(crate) fn check_binary(data: &ModelData<'_>) -> Result<()> {
    if let Some(i) = data.y.iter().position(|&v| v != 0.0 && v != 1.0) {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: format!(
                "must be binary (0/1) for logistic regression; row {i} has {}",
                data.y[i]
            ),
        });
    }
    let (mut n0, mut n1) = (0.0, 0.0);
    for (i, &y) in data.y.iter().enumerate() {
        if y == 1.0 {
            n1 += data.w(i);
        } else {
            n0 += data.w(i);
        }
    }
    if n0 == 0.0 || n1 == 0.0 {
        return Err(Error::InvalidArgument {
            name: "y",
            reason: format!(
                "has only one outcome value ({}) among the rows used; logistic regression needs both 0 and 1",
                if n1 == 0.0 { 0 } else { 1 }
            ),
        });
    }
    Ok(())
}

/// The weighted mean of `y`.
fn ybar(data: &ModelData<'_>) -> f64 {
    let (mut s, mut sw) = (0.0, 0.0);
    for i in 0..data.n() {
        let w = data.w(i);
        s += w * data.y[i];
        sw += w;
    }
    s / sw
}

/// Starting values: the intercept at the log-odds of ȳ, the rest 0.
pub(crate) fn start_values(data: &ModelData<'_>) -> Vec<f64> {
    let p = data.p();
    let mut b = vec![0.0; p];
    if data.offset.is_none() {
        if let Some(j) = constant_column(data) {
            let m = ybar(data);
            b[j] = (m / (1.0 - m)).ln() / data.x[j];
        }
    }
    b
}

/// The index of a constant non-zero column, if any.
pub(crate) fn constant_column(data: &ModelData<'_>) -> Option<usize> {
    data.constant_column()
}

/// The log-likelihood of the intercept-only model (with the offset).
pub(crate) fn llnull_binary(data: &ModelData<'_>, opts: &FitOptions) -> f64 {
    if data.offset.is_none() {
        let m = ybar(data);
        let mut ll = 0.0;
        for i in 0..data.n() {
            let w = data.w(i);
            ll += w * if data.y[i] == 1.0 {
                m.ln()
            } else {
                (1.0 - m).ln()
            };
        }
        return ll;
    }
    let ones = vec![1.0; data.n()];
    let names = vec!["const".to_string()];
    let d0 = ModelData {
        x: &ones,
        names: &names,
        ..*data
    };
    glm::newton(&d0, &Binomial, vec![0.0], opts).eval.llf
}

/// Fits a logistic regression by maximum likelihood.
///
/// # Errors
/// [`Error::InvalidArgument`] for invalid input (see [`ModelData::validate`]),
/// a non-binary outcome, a single outcome value, a rank-deficient design
/// (naming the columns), HC2/HC3 covariances, or fewer than two clusters.
/// Non-convergence and separation are not errors: the result carries
/// `converged = false`, `separation` and `warnings`.
///
/// # Examples
/// ```
/// use huisverbod::models::{logit, FitOptions, ModelData};
/// let x = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
/// let y = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
/// let names = vec!["Intercept".to_string(), "g".to_string()];
/// let fit = logit(&ModelData::new(&y, &x, &names)?, &FitOptions::default())?;
/// // two groups: the coefficient is the log odds ratio (1/3 vs 2/1 → ln 4)
/// assert!((fit.params[1] - 4f64.ln()).abs() < 1e-12);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn logit(data: &ModelData<'_>, opts: &FitOptions) -> Result<ModelFit> {
    data.validate(opts)?;
    check_binary(data)?;
    data.screen_rank()?;
    let p = data.p();
    let r = glm::newton(data, &Binomial, start_values(data), opts);
    let mut fit = ModelFit::empty(
        ModelKind::Logit,
        "ml",
        data.names.to_vec(),
        r.beta.clone(),
        data,
    );
    fit.converged = r.converged;
    fit.iterations = r.iterations;
    fit.history = r.history.clone();
    fit.llf = r.eval.llf;
    fit.llnull = llnull_binary(data, opts);
    finish_binary(&mut fit, data, opts, &r.eval.info)?;
    fit.separation = detect_separation(data, &fit.fitted, &r);
    if let Some(s) = &fit.separation {
        fit.warnings.push(s.message.clone());
    }
    if !r.converged {
        fit.warnings.push(format!(
            "logistic regression did not converge: {}. Iteration log: {}",
            r.failure.as_deref().unwrap_or("unknown reason"),
            glm::history_text(&r.history)
        ));
    }
    debug_assert_eq!(fit.params.len(), p);
    Ok(fit)
}

/// Everything after the coefficients: fitted values, covariance, tests, R²,
/// Hosmer–Lemeshow and classification (shared with Firth).
pub(crate) fn finish_binary(
    fit: &mut ModelFit,
    data: &ModelData<'_>,
    opts: &FitOptions,
    info: &[f64],
) -> Result<()> {
    let beta = fit.params.clone();
    fit.linear_predictor = (0..data.n()).map(|i| glm::eta_of(data, &beta, i)).collect();
    fit.fitted = fit
        .linear_predictor
        .iter()
        .map(|&e| glm::expit(e))
        .collect();
    glm::finish_canonical(fit, data, opts, info)?;
    let n = fit.nobs;
    let r2_cs = -((2.0 * (fit.llnull - fit.llf) / n).exp_m1());
    let max_cs = -((2.0 * fit.llnull / n).exp_m1());
    let hl = hosmer_lemeshow_checked(data.y, &fit.fitted, data.weights, 10);
    fit.binary = Some(BinaryStats {
        r2_cox_snell: r2_cs,
        r2_nagelkerke: r2_cs / max_cs,
        r2_mcfadden: 1.0 - fit.llf / fit.llnull,
        hosmer_lemeshow: hl.as_ref().ok().cloned(),
        hosmer_lemeshow_note: hl.err(),
        classification: classification(data.y, &fit.fitted, data.weights, 0.5)?,
    });
    Ok(())
}

/// The Hosmer–Lemeshow test with about `groups` groups ("deciles of risk").
///
/// ```text
/// sort by p̂; observations with equal p̂ form blocks that are never split
/// M = ⌊N/groups + ½⌋ (N = Σ w);  a block joins the current group (c so far)
///   if c < M and c + ⌊n_block/2⌋ ≤ M, else it starts the next group;
/// a last group with at most ⌊N/(2·groups)⌋ observations joins the one before.
/// HL = Σ_g (O_g − E_g)² / (E_g(1 − E_g/n_g)),  E_g = Σ_{i∈g} wᵢp̂ᵢ,  df = g − 2
/// ```
///
/// SPSS documents the same principle (groups from the percentiles of p̂,
/// tied blocks kept together, possibly fewer than 10 groups, df = g − 2)
/// without publishing its cut rule; the rule above is the one SAS PROC
/// LOGISTIC documents, used here so the grouping is reproducible. `None`
/// when the statistic is not defined (see [`hosmer_lemeshow_checked`] for
/// the reason).
///
/// Reference: Hosmer, Lemeshow & Sturdivant (2013), section 5.2.2.
pub fn hosmer_lemeshow(
    y: &[f64],
    p: &[f64],
    w: Option<&[f64]>,
    groups: usize,
) -> Option<HosmerLemeshow> {
    hosmer_lemeshow_checked(y, p, w, groups).ok()
}

/// [`hosmer_lemeshow`], or the reason why the statistic is not defined:
/// fewer than 3 groups of fitted probabilities, or a group whose expected
/// count `E_g` is 0 or `n_g` (all its fitted probabilities 0 or 1, as under
/// separation), where the term `(O_g − E_g)²/(E_g(1 − E_g/n_g))` divides by 0.
///
/// # Errors
/// The reason as a sentence (not an [`crate::Error`]: an undefined
/// goodness-of-fit statistic is part of a valid fit).
pub fn hosmer_lemeshow_checked(
    y: &[f64],
    p: &[f64],
    w: Option<&[f64]>,
    groups: usize,
) -> std::result::Result<HosmerLemeshow, String> {
    if p.len() != y.len() || w.is_some_and(|w| w.len() != y.len()) || groups == 0 {
        return Err(format!(
            "not computed: y has {} values, p {}, w {} (they must agree) and groups = {groups} (must be ≥ 1)",
            y.len(),
            p.len(),
            w.map_or(y.len(), <[f64]>::len)
        ));
    }
    // (p̂, y, w) triples sorted by p̂ (contiguous, so the sort is cache friendly).
    let mut obs: Vec<(f64, f64, f64)> = (0..y.len())
        .map(|i| (p[i], y[i], w.map_or(1.0, |w| w[i])))
        .filter(|o| o.2 > 0.0)
        .collect();
    {
        use rayon::slice::ParallelSliceMut;
        obs.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }
    // Blocks of equal p̂: (n, events, expected).
    let mut blocks: Vec<[f64; 3]> = Vec::new();
    let mut last = f64::NAN;
    for &(pi, yi, wi) in &obs {
        if blocks.is_empty() || pi != last {
            blocks.push([0.0; 3]);
            last = pi;
        }
        let Some(b) = blocks.last_mut() else {
            continue;
        };
        b[0] += wi;
        b[1] += wi * yi;
        b[2] += wi * pi;
    }
    let total: f64 = blocks.iter().map(|b| b[0]).sum();
    let m = (total / groups as f64 + 0.5).floor();
    let mut gs: Vec<[f64; 3]> = Vec::new();
    for b in blocks {
        let join = match gs.last() {
            Some(g) => g[0] < m && g[0] + (0.5 * b[0]).floor() <= m,
            None => false,
        };
        if join {
            if let Some(g) = gs.last_mut() {
                for k in 0..3 {
                    g[k] += b[k];
                }
            }
        } else {
            gs.push(b);
        }
    }
    if gs.len() >= 2 {
        let last_n = gs[gs.len() - 1][0];
        if last_n <= (total / (2.0 * groups as f64)).floor() {
            if let Some(l) = gs.pop() {
                if let Some(g) = gs.last_mut() {
                    for k in 0..3 {
                        g[k] += l[k];
                    }
                }
            }
        }
    }
    if gs.len() < 3 {
        return Err(format!(
            "not computed: the fitted probabilities form only {} group(s) (at least 3 are needed for df = g − 2 ≥ 1)",
            gs.len()
        ));
    }
    let mut stat = 0.0;
    let mut table = Vec::with_capacity(gs.len());
    for (k, g) in gs.iter().enumerate() {
        let (n, o, e) = (g[0], g[1], g[2]);
        let v = e * (1.0 - e / n);
        if v.is_nan() || v <= 0.0 {
            return Err(format!(
                "not defined: group {} of {} ({n} observations) has expected events {e:.6} of {n}, \
                 i.e. fitted probabilities all 0 or all 1 (as under separation), so its term divides by 0",
                k + 1,
                gs.len()
            ));
        }
        stat += (o - e).powi(2) / v;
        table.push([n, o, e, n - o, n - e]);
    }
    let df = (gs.len() - 2) as f64;
    Ok(HosmerLemeshow {
        statistic: stat,
        df,
        pvalue: crate::stats::pvalue_chi2(stat, df),
        table,
    })
}

/// SPSS's classification table: predicted 1 when `p̂ > cut`.
///
/// ```text
/// table[o][k] = Σ_{i: yᵢ = o, [p̂ᵢ > cut] = k} wᵢ          (o, k ∈ {0, 1})
/// percent correct | y = 0  = 100·table[0][0] / (table[0][0] + table[0][1])
/// percent correct | y = 1  = 100·table[1][1] / (table[1][0] + table[1][1])
/// overall                  = 100·(table[0][0] + table[1][1]) / Σ wᵢ
/// ```
///
/// SPSS's "Classification Table" (LOGISTIC REGRESSION, /CRITERIA CUT(.5));
/// weights count as frequencies. A row without observations gives NaN.
///
/// # Errors
/// [`Error::InvalidArgument`] when `y`, `p` and `w` differ in length.
pub fn classification(y: &[f64], p: &[f64], w: Option<&[f64]>, cut: f64) -> Result<Classification> {
    if p.len() != y.len() || w.is_some_and(|w| w.len() != y.len()) {
        return Err(Error::InvalidArgument {
            name: "p",
            reason: format!(
                "y has {} values, p {}, w {}; they must agree",
                y.len(),
                p.len(),
                w.map_or(y.len(), <[f64]>::len)
            ),
        });
    }
    let mut t = [[0.0; 2]; 2];
    for i in 0..y.len() {
        let wi = w.map_or(1.0, |w| w[i]);
        let obs = usize::from(y[i] == 1.0);
        let pred = usize::from(p[i] > cut);
        t[obs][pred] += wi;
    }
    let pc = |a: f64, b: f64| 100.0 * a / (a + b);
    Ok(Classification {
        cut,
        table: t,
        percent_correct: [
            pc(t[0][0], t[0][1]),
            pc(t[1][1], t[1][0]),
            100.0 * (t[0][0] + t[1][1]) / (t[0][0] + t[0][1] + t[1][0] + t[1][1]),
        ],
    })
}

/// Detects separation (see the module docs).
pub(crate) fn detect_separation(
    data: &ModelData<'_>,
    mu: &[f64],
    r: &glm::NewtonResult,
) -> Option<Separation> {
    let n = data.n();
    let p = data.p();
    let names = data.names;
    let konst = constant_column(data);
    let rows: Vec<usize> = (0..n).filter(|&i| data.w(i) > 0.0).collect();
    let n_perfect = rows
        .iter()
        .filter(|&&i| (data.y[i] - mu[i]).abs() < prec::SEPARATION_EPS)
        .count();
    let mut vars: Vec<usize> = Vec::new();
    let mut complete = false;
    // (a) per-column check, valid with an intercept (one pass over the rows)
    if konst.is_some() {
        let mut min0 = vec![f64::INFINITY; p];
        let mut max0 = vec![f64::NEG_INFINITY; p];
        let mut min1 = vec![f64::INFINITY; p];
        let mut max1 = vec![f64::NEG_INFINITY; p];
        for &i in &rows {
            let (lo, hi) = if data.y[i] == 1.0 {
                (&mut min1, &mut max1)
            } else {
                (&mut min0, &mut max0)
            };
            for (j, &v) in data.row(i).iter().enumerate() {
                lo[j] = lo[j].min(v);
                hi[j] = hi[j].max(v);
            }
        }
        for j in (0..p).filter(|&j| Some(j) != konst) {
            if max0[j] < min1[j] || max1[j] < min0[j] {
                complete = true;
                vars.push(j);
            } else if max0[j] <= min1[j] || max1[j] <= min0[j] {
                vars.push(j);
            }
        }
    }
    // (b) after the fit
    let any_singular = r.singular.iter().any(|&s| s);
    let suspicious = n_perfect > 0 && (!r.converged || any_singular);
    if vars.is_empty() && !suspicious {
        return None;
    }
    if suspicious {
        for (j, &s) in r.singular.iter().enumerate() {
            if s && !vars.contains(&j) {
                vars.push(j);
            }
        }
        if !r.converged && !any_singular {
            // No singular direction to name: the columns whose coefficients
            // still move most (the last step scaled by each column's spread).
            let scaled: Vec<f64> = (0..p)
                .map(|j| {
                    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
                    for &i in &rows {
                        let v = data.x[i * p + j];
                        lo = lo.min(v);
                        hi = hi.max(v);
                    }
                    let spread = if hi > lo { hi - lo } else { hi.abs() };
                    r.last_step[j].abs() * spread
                })
                .collect();
            let m = scaled.iter().cloned().fold(0.0, f64::max);
            if m > 0.0 {
                for (j, &sj) in scaled.iter().enumerate() {
                    if sj >= 0.1 * m && Some(j) != konst && !vars.contains(&j) {
                        vars.push(j);
                    }
                }
            }
        }
    }
    vars.sort_unstable();
    let non_const: Vec<usize> = vars.iter().copied().filter(|&j| Some(j) != konst).collect();
    let vars = if non_const.is_empty() {
        vars
    } else {
        non_const
    };
    let complete = complete || (!rows.is_empty() && n_perfect == rows.len());
    let kind = if complete {
        SeparationKind::Complete
    } else {
        SeparationKind::QuasiComplete
    };
    let var_names: Vec<String> = vars.iter().map(|&j| names[j].clone()).collect();
    let listed = if var_names.is_empty() {
        "a combination of the covariates".to_string()
    } else {
        var_names
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = format!(
        "{} separation: the outcome is perfectly predicted by {listed} ({} of {} observations fitted at probability 0 or 1); \
         the maximum-likelihood estimates of these coefficients do not exist (they run off to ±infinity) and their standard errors \
         and p-values are meaningless. Use method='firth' (penalised likelihood) or remove/merge the variable.",
        match kind {
            SeparationKind::Complete => "complete",
            SeparationKind::QuasiComplete => "quasi-complete",
        },
        n_perfect,
        rows.len()
    );
    Some(Separation {
        kind,
        variables: var_names,
        n_perfect,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn two_by_two_by_hand() {
        // Group 0: 1 event of 4; group 1: 3 events of 4.
        // β0 = ln(1/3), β1 = ln(3/1) − ln(1/3) = ln 9
        // se(β1)² = 1/(4·¼·¾) + 1/(4·¾·¼) = 4/3 + 4/3 = 8/3
        // ℓ = 2·[ln ¼ + 3 ln ¾] = −2(1.3862943611 + 0.8630462173) = −4.4986811569
        // ℓ₀ = 8 ln ½ = −5.5451774445
        let nm = names(&["const", "g"]);
        let x = [
            1., 0., 1., 0., 1., 0., 1., 0., 1., 1., 1., 1., 1., 1., 1., 1.,
        ];
        let y = [1., 0., 0., 0., 1., 1., 1., 0.];
        let d = ModelData::new(&y, &x, &nm).unwrap();
        let f = logit(&d, &FitOptions::default()).unwrap();
        assert!(f.converged);
        assert!((f.params[0] - (1.0f64 / 3.0).ln()).abs() < 1e-12);
        assert!((f.params[1] - 9f64.ln()).abs() < 1e-12);
        assert!((f.bse[1] - (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let ll = 2.0 * (0.25f64.ln() + 3.0 * 0.75f64.ln());
        assert!((f.llf - ll).abs() < 1e-12);
        assert!((f.llnull - 8.0 * 0.5f64.ln()).abs() < 1e-12);
        let b = f.binary.as_ref().unwrap();
        let cs = 1.0 - (2.0 * (f.llnull - ll) / 8.0).exp();
        assert!((b.r2_cox_snell - cs).abs() < 1e-14);
        assert!((b.r2_nagelkerke - cs / (1.0 - (2.0 * f.llnull / 8.0).exp())).abs() < 1e-14);
        // classification at .5: group 0 → p̂ = .25 → 0; group 1 → .75 → 1
        assert_eq!(b.classification.table, [[3.0, 1.0], [1.0, 3.0]]);
        assert!(f.separation.is_none());
    }

    #[test]
    fn quasi_separation_is_named() {
        // 'd' = 1 only with y = 1: quasi-complete separation by d.
        let nm = names(&["const", "d", "z"]);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..30 {
            let d = if i % 5 == 0 { 1.0 } else { 0.0 };
            let yy = if d == 1.0 {
                1.0
            } else {
                ((i * 7) % 3 == 0) as i32 as f64
            };
            x.extend_from_slice(&[1.0, d, ((i * 13) % 7) as f64]);
            y.push(yy);
        }
        let d = ModelData::new(&y, &x, &nm).unwrap();
        let f = logit(&d, &FitOptions::default()).unwrap();
        let s = f.separation.expect("separation");
        assert_eq!(s.kind, SeparationKind::QuasiComplete);
        assert_eq!(s.variables, vec!["d".to_string()]);
        assert!(!f.warnings.is_empty());
    }

    #[test]
    fn complete_separation_is_not_converged() {
        // x = 0..11, y = [x > 5.5]: the ML estimate does not exist. The
        // information vanishes as β₁ → ∞, so the Newton steps shrink; that
        // must not read as convergence.
        let nm = names(&["const", "x"]);
        let x: Vec<f64> = (0..12).flat_map(|i| [1.0, i as f64]).collect();
        let y: Vec<f64> = (0..12).map(|i| f64::from(u8::from(i > 5))).collect();
        let d = ModelData::new(&y, &x, &nm).unwrap();
        let f = logit(&d, &FitOptions::default()).unwrap();
        assert!(!f.converged);
        assert_eq!(
            f.separation.as_ref().unwrap().kind,
            SeparationKind::Complete
        );
        assert!(f.warnings.iter().any(|w| w.contains("did not converge")));
        // Hosmer–Lemeshow is undefined (groups with E = 0) and says why
        let b = f.binary.as_ref().unwrap();
        assert!(b.hosmer_lemeshow.is_none());
        assert!(b
            .hosmer_lemeshow_note
            .as_deref()
            .unwrap()
            .contains("separation"));
    }

    #[test]
    fn hosmer_lemeshow_reasons() {
        // two distinct probabilities: fewer than 3 groups
        let e = hosmer_lemeshow_checked(&[0.0, 1.0, 0.0, 1.0], &[0.2, 0.2, 0.7, 0.7], None, 10);
        assert!(e.unwrap_err().contains("3 are needed"));
        // lengths that disagree: a reason, not an index out of bounds
        let e = hosmer_lemeshow_checked(&[0.0, 1.0, 0.0, 1.0], &[0.2, 0.7], None, 10);
        assert!(e.unwrap_err().contains("must agree"));
        assert!(classification(&[0.0, 1.0], &[0.2], None, 0.5).is_err());
        let w = [1.0];
        assert!(classification(&[0.0, 1.0], &[0.2, 0.8], Some(&w), 0.5).is_err());
    }

    #[test]
    fn profile_and_wald_check_their_inputs() {
        let nm = names(&["const", "g"]);
        let x = [1., 0., 1., 0., 1., 0., 1., 1., 1., 1., 1., 1.];
        let y = [1., 0., 0., 1., 1., 0.];
        let d = ModelData::new(&y, &x, &nm).unwrap();
        let f = logit(&d, &FitOptions::default()).unwrap();
        // weights of the wrong length: an error, not an index out of bounds
        let w = [1.0; 3];
        let dw = d.with_weights(&w, crate::models::WeightKind::Frequency);
        let e = crate::models::firth::profile_intervals(&dw, &f, 0.95, &FitOptions::default());
        assert!(e.unwrap_err().to_string().contains("weights"));
        let e = crate::models::firth::lr_tests(&dw, &f, &FitOptions::default());
        assert!(e.unwrap_err().to_string().contains("weights"));
        // a Wald test of nothing is an error
        assert!(f.wald(&[]).is_err());
    }

    #[test]
    fn bad_outcomes() {
        let nm = names(&["const"]);
        let x = [1.0, 1.0];
        assert!(logit(
            &ModelData::new(&[0.0, 2.0], &x, &nm).unwrap(),
            &FitOptions::default()
        )
        .is_err());
        let e = logit(
            &ModelData::new(&[1.0, 1.0], &x, &nm).unwrap(),
            &FitOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("only one outcome"), "{e}");
    }

    #[test]
    fn hosmer_lemeshow_groups() {
        // 20 distinct probabilities, N = 20, M = 2: ten groups of two.
        let p: Vec<f64> = (0..20).map(|i| (i as f64 + 0.5) / 20.0).collect();
        let y: Vec<f64> = (0..20).map(|i| ((i * 7) % 3 == 0) as i32 as f64).collect();
        let hl = hosmer_lemeshow(&y, &p, None, 10).unwrap();
        assert_eq!(hl.table.len(), 10);
        assert_eq!(hl.df, 8.0);
        // group 1: p = .025, .075; y = 1 (i=0), 0 (i=1): O = 1, E = .1, n = 2
        let g = hl.table[0];
        assert_eq!((g[0], g[1]), (2.0, 1.0));
        assert!((g[2] - 0.1).abs() < 1e-15);
    }
}
