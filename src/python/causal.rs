//! Bindings of `crate::causal` (balance, propensity overlap and trimming,
//! inverse-probability weights and contrasts, E-values): functions returning
//! dicts of numbers and numpy arrays; `huisverbod/causal/` builds the public
//! objects.

use super::errors::to_py;
use crate::causal::{
    balance, effective_sample_size, evalue, ipw_contrast, ipw_weights, overlap, trim, Estimand,
    IpwWeights, PropensityDesign, TrimRule, WeightOptions,
};
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Adds the causal functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(causal_balance, m)?)?;
    m.add_function(wrap_pyfunction!(causal_overlap, m)?)?;
    m.add_function(wrap_pyfunction!(causal_trim, m)?)?;
    m.add_function(wrap_pyfunction!(causal_weights, m)?)?;
    m.add_function(wrap_pyfunction!(causal_contrast, m)?)?;
    m.add_function(wrap_pyfunction!(causal_evalue, m)?)?;
    Ok(())
}

fn parse<T: std::str::FromStr<Err = crate::Error>>(s: &str) -> PyResult<T> {
    s.parse::<T>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn slice<'a, T: numpy::Element>(a: &'a PyReadonlyArray1<'_, T>, name: &str) -> PyResult<&'a [T]> {
    a.as_slice()
        .map_err(|_| PyValueError::new_err(format!("{name} must be a contiguous array")))
}

/// The balance table: `x` is `p × n` (one row per covariate, C-contiguous).
#[pyfunction]
#[pyo3(signature = (x, names, treat, weights=None))]
fn causal_balance<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    names: Vec<String>,
    treat: PyReadonlyArray1<'py, bool>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyList>> {
    let shape = x.shape();
    if shape[0] != names.len() {
        return Err(PyValueError::new_err(format!(
            "x has {} rows but {} names were given",
            shape[0],
            names.len()
        )));
    }
    let xs = x
        .as_slice()
        .map_err(|_| PyValueError::new_err("x must be C-contiguous"))?;
    let t = slice(&treat, "treatment")?;
    let w = match &weights {
        Some(w) => Some(slice(w, "weights")?),
        None => None,
    };
    let rows = py
        .detach(|| balance(xs, &names, t, w))
        .map_err(|e| to_py(py, e))?;
    let out = PyList::empty(py);
    for r in rows {
        let d = PyDict::new(py);
        d.set_item("name", r.name)?;
        d.set_item("binary", r.binary)?;
        d.set_item("n_known", r.n_known.to_vec())?;
        d.set_item("mean", r.mean.to_vec())?;
        d.set_item("sd", r.sd.to_vec())?;
        d.set_item("smd_pooled", r.smd_pooled)?;
        d.set_item("smd_treated", r.smd_treated)?;
        d.set_item("variance_ratio", r.variance_ratio)?;
        d.set_item("mean_adjusted", r.mean_adjusted.map(|m| m.to_vec()))?;
        d.set_item("smd_pooled_adjusted", r.smd_pooled_adjusted)?;
        d.set_item("smd_treated_adjusted", r.smd_treated_adjusted)?;
        d.set_item("variance_ratio_adjusted", r.variance_ratio_adjusted)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Overlap diagnostics of propensity scores.
#[pyfunction]
fn causal_overlap<'py>(
    py: Python<'py>,
    score: PyReadonlyArray1<'py, f64>,
    treat: PyReadonlyArray1<'py, bool>,
) -> PyResult<Bound<'py, PyDict>> {
    let o =
        overlap(slice(&score, "score")?, slice(&treat, "treatment")?).map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("range_treated", o.range_treated)?;
    d.set_item("range_control", o.range_control)?;
    d.set_item("common_support", o.common_support)?;
    d.set_item("n_outside_treated", o.n_outside_treated)?;
    d.set_item("n_outside_control", o.n_outside_control)?;
    d.set_item("share_outside", o.share_outside)?;
    d.set_item("no_overlap", o.no_overlap)?;
    d.set_item("warnings", o.warnings)?;
    Ok(d)
}

/// Which cases a trimming rule keeps: `rule` is `crump` (with `alpha`) or `minmax`.
#[pyfunction]
#[pyo3(signature = (score, treat, rule, alpha=0.1))]
fn causal_trim<'py>(
    py: Python<'py>,
    score: PyReadonlyArray1<'py, f64>,
    treat: PyReadonlyArray1<'py, bool>,
    rule: &str,
    alpha: f64,
) -> PyResult<Bound<'py, numpy::PyArray1<bool>>> {
    let rule = match rule {
        "crump" => TrimRule::Crump { alpha },
        "minmax" => TrimRule::MinMax,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown trimming rule '{other}': expected 'crump' or 'minmax'"
            )))
        }
    };
    let keep = trim(slice(&score, "score")?, slice(&treat, "treatment")?, rule)
        .map_err(|e| to_py(py, e))?;
    Ok(keep.into_pyarray(py))
}

/// Inverse-probability weights.
#[pyfunction]
#[pyo3(signature = (score, treat, estimand="ATE", stabilize=false, truncate=None))]
fn causal_weights<'py>(
    py: Python<'py>,
    score: PyReadonlyArray1<'py, f64>,
    treat: PyReadonlyArray1<'py, bool>,
    estimand: &str,
    stabilize: bool,
    truncate: Option<(f64, f64)>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = WeightOptions {
        estimand: parse(estimand)?,
        stabilize,
        truncate,
    };
    let s = slice(&score, "score")?;
    let t = slice(&treat, "treatment")?;
    let w = py
        .detach(|| ipw_weights(s, t, &opts))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("ess", w.ess.to_vec())?;
    d.set_item("n", w.n.to_vec())?;
    d.set_item("range", w.range.to_vec())?;
    d.set_item("warnings", w.warnings)?;
    d.set_item("weights", w.weights.into_pyarray(py))?;
    d.set_item("truncated", w.truncated.into_pyarray(py))?;
    Ok(d)
}

/// A weighted contrast; `ps_x`/`ps_score` (the propensity design and scores)
/// give M-estimation standard errors.
#[pyfunction]
#[pyo3(signature = (y, treat, weights, truncated, estimand, denom=None, ps_x=None, ps_score=None, confidence_level=0.95))]
#[allow(clippy::too_many_arguments)]
fn causal_contrast<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'py, f64>,
    treat: PyReadonlyArray1<'py, bool>,
    weights: PyReadonlyArray1<'py, f64>,
    truncated: PyReadonlyArray1<'py, bool>,
    estimand: &str,
    denom: Option<PyReadonlyArray1<'py, f64>>,
    ps_x: Option<PyReadonlyArray2<'py, f64>>,
    ps_score: Option<PyReadonlyArray1<'py, f64>>,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let t = slice(&treat, "treatment")?;
    let wv = slice(&weights, "weights")?.to_vec();
    let tr = slice(&truncated, "truncated")?.to_vec();
    if wv.len() != t.len() || tr.len() != t.len() {
        return Err(PyValueError::new_err(format!(
            "weights ({}) and truncated ({}) need the {} rows of the treatment",
            wv.len(),
            tr.len(),
            t.len()
        )));
    }
    let est: Estimand = parse(estimand)?;
    let ess = effective_sample_size(&wv, t);
    let n1 = t.iter().filter(|&&v| v).count();
    let w = IpwWeights {
        weights: wv,
        truncated: tr,
        options: WeightOptions {
            estimand: est,
            ..WeightOptions::default()
        },
        ess,
        n: [n1, t.len() - n1],
        range: [(f64::NAN, f64::NAN); 2],
        warnings: Vec::new(),
    };
    let yv = slice(&y, "y")?;
    let dv = match &denom {
        Some(d) => Some(slice(d, "exposure")?),
        None => None,
    };
    let design = match (&ps_x, &ps_score) {
        (Some(x), Some(s)) => {
            let p = x.shape()[1];
            Some(PropensityDesign {
                x: x.as_slice()
                    .map_err(|_| PyValueError::new_err("ps_x must be C-contiguous"))?,
                p,
                score: slice(s, "ps_score")?,
            })
        }
        (None, None) => None,
        _ => {
            return Err(PyValueError::new_err(
                "give both ps_x and ps_score, or neither",
            ))
        }
    };
    let c = py
        .detach(|| ipw_contrast(yv, dv, t, &w, design, confidence_level))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("estimand", c.estimand.as_str())?;
    d.set_item("mean", c.mean.to_vec())?;
    d.set_item("se_mean", c.se_mean.to_vec())?;
    d.set_item("difference", c.difference)?;
    d.set_item("ratio", c.ratio)?;
    d.set_item("se_difference", c.se_difference)?;
    d.set_item("se_log_ratio", c.se_log_ratio)?;
    d.set_item("se_difference_fixed_weights", c.se_difference_fixed_weights)?;
    d.set_item("se_log_ratio_fixed_weights", c.se_log_ratio_fixed_weights)?;
    d.set_item("se_method", c.se_method)?;
    d.set_item("ci_difference", c.ci_difference)?;
    d.set_item("ci_ratio", c.ci_ratio)?;
    d.set_item("pvalue_difference", c.pvalue_difference)?;
    d.set_item("pvalue_ratio", c.pvalue_ratio)?;
    d.set_item("confidence_level", c.confidence_level)?;
    d.set_item("n", c.n.to_vec())?;
    Ok(d)
}

/// E-values of an estimate.
#[pyfunction]
#[pyo3(signature = (estimate, lo=None, hi=None, measure="RR", rare=false, true_value=1.0))]
fn causal_evalue<'py>(
    py: Python<'py>,
    estimate: f64,
    lo: Option<f64>,
    hi: Option<f64>,
    measure: &str,
    rare: bool,
    true_value: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let e =
        evalue(estimate, lo, hi, parse(measure)?, rare, true_value).map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("measure", e.measure.as_str())?;
    d.set_item("rare", e.rare)?;
    d.set_item("rr", e.rr.to_vec())?;
    d.set_item("true_value", e.true_value)?;
    d.set_item("point", e.point)?;
    d.set_item("limit", e.limit)?;
    Ok(d)
}
