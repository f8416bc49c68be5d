//! Bindings of `crate::causal::matching` and `crate::causal::aipw`;
//! `huisverbod/causal/_match.py` and `_aipw.py` shape the results.

use super::errors::to_py;
use crate::causal::aipw::{aipw, AipwOptions};
use crate::causal::matching::{match_nearest, matched_effect, MatchOptions};
use crate::models::FitOptions;
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds the matching and AIPW functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(causal_match, m)?)?;
    m.add_function(wrap_pyfunction!(causal_aipw, m)?)?;
    Ok(())
}

/// Sets estimate, se, statistic, pvalue and ci on a result dict.
fn set_inference(
    d: &Bound<'_, PyDict>,
    est: f64,
    se: f64,
    statistic: f64,
    pvalue: f64,
    ci: &crate::stats::ConfidenceInterval,
) -> PyResult<()> {
    d.set_item("estimate", est)?;
    d.set_item("se", se)?;
    d.set_item("statistic", statistic)?;
    d.set_item("pvalue", pvalue)?;
    d.set_item("ci", (ci.low, ci.high))
}

fn value_err(e: crate::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Greedy nearest-neighbour matching on `distance`; with `outcome`, also the
/// matched effect. Returns a dict of arrays and numbers.
#[pyfunction]
#[pyo3(signature = (distance, treated, exact=None, outcome=None, ratio=1, replace=false,
                    caliper=Some(0.2), caliper_scale="all", order="largest",
                    variance_neighbours=2, confidence_level=0.95))]
#[allow(clippy::too_many_arguments)]
fn causal_match<'py>(
    py: Python<'py>,
    distance: PyReadonlyArray1<'py, f64>,
    treated: PyReadonlyArray1<'py, bool>,
    exact: Option<PyReadonlyArray1<'py, i64>>,
    outcome: Option<PyReadonlyArray1<'py, f64>>,
    ratio: usize,
    replace: bool,
    caliper: Option<f64>,
    caliper_scale: &str,
    order: &str,
    variance_neighbours: usize,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = MatchOptions {
        ratio,
        replace,
        caliper,
        caliper_scale: caliper_scale.parse().map_err(value_err)?,
        order: order.parse().map_err(value_err)?,
    };
    let d = distance.as_slice()?;
    let t = treated.as_slice()?;
    let ex = match &exact {
        Some(e) => Some(e.as_slice()?),
        None => None,
    };
    let y = match &outcome {
        Some(y) => Some(y.as_slice()?),
        None => None,
    };
    let (m, eff) = py
        .detach(|| -> crate::Result<_> {
            let m = match_nearest(d, t, ex, &opts)?;
            let eff = match y {
                Some(y) => Some(matched_effect(
                    &m,
                    y,
                    d,
                    t,
                    ex,
                    variance_neighbours,
                    confidence_level,
                )?),
                None => None,
            };
            Ok((m, eff))
        })
        .map_err(|e| to_py(py, e))?;
    let out = PyDict::new(py);
    let n_unmatched = m.n_treated_unmatched();
    out.set_item("n_treated", m.n_treated)?;
    out.set_item("n_control", m.n_control)?;
    out.set_item("n_treated_matched", m.n_treated_matched)?;
    out.set_item("n_control_matched", m.n_control_matched)?;
    out.set_item("n_treated_unmatched", n_unmatched)?;
    out.set_item("caliper_width", m.caliper_width)?;
    out.set_item("warnings", m.warnings.clone())?;
    let to_i64 = |v: &[usize]| v.iter().map(|&i| i as i64).collect::<Vec<i64>>();
    out.set_item("treated", to_i64(&m.treated).into_pyarray(py))?;
    out.set_item("control", to_i64(&m.control).into_pyarray(py))?;
    out.set_item("round", to_i64(&m.round).into_pyarray(py))?;
    out.set_item("n_matches", to_i64(&m.n_matches).into_pyarray(py))?;
    out.set_item("weights", m.weights.into_pyarray(py))?;
    if let Some(e) = eff {
        let d = PyDict::new(py);
        set_inference(
            &d,
            e.estimate,
            e.se,
            e.statistic,
            e.pvalue,
            &e.confidence_interval,
        )?;
        d.set_item("mean_treated", e.mean_treated)?;
        d.set_item("mean_control", e.mean_control)?;
        d.set_item("n_sets", e.n_sets)?;
        d.set_item("variance", e.variance)?;
        d.set_item("variance_neighbours", e.variance_neighbours)?;
        out.set_item("effect", d)?;
    }
    Ok(out)
}

fn fit_dict<'py>(py: Python<'py>, f: &crate::models::ModelFit) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("params", f.params.clone().into_pyarray(py))?;
    d.set_item("bse", f.bse.clone().into_pyarray(py))?;
    d.set_item("converged", f.converged)?;
    d.set_item("iterations", f.iterations)?;
    Ok(d)
}

/// The AIPW risk difference; returns a dict (see `crate::causal::aipw::Aipw`).
#[pyfunction]
#[pyo3(signature = (y, t, x, names, n_bootstrap=0, seed=0, threads=None, confidence_level=0.95,
                    max_iter=100, tol=1e-10))]
#[allow(clippy::too_many_arguments)]
fn causal_aipw<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'py, f64>,
    t: PyReadonlyArray1<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
    names: Vec<String>,
    n_bootstrap: u64,
    seed: u64,
    threads: Option<usize>,
    confidence_level: f64,
    max_iter: usize,
    tol: f64,
) -> PyResult<Bound<'py, PyDict>> {
    if x.shape()[1] != names.len() {
        return Err(PyValueError::new_err(format!(
            "x has {} columns but {} names were given",
            x.shape()[1],
            names.len()
        )));
    }
    let xs = x
        .as_slice()
        .map_err(|_| PyValueError::new_err("x must be a C-contiguous float64 array"))?;
    let (ys, ts) = (y.as_slice()?, t.as_slice()?);
    let opts = AipwOptions {
        fit: FitOptions {
            max_iter,
            tol,
            ..FitOptions::default()
        },
        n_bootstrap,
        seed,
        threads,
        confidence_level,
    };
    let r = py
        .detach(|| aipw(ys, ts, xs, &names, &opts))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    set_inference(
        &d,
        r.estimate,
        r.se,
        r.statistic,
        r.pvalue,
        &r.confidence_interval,
    )?;
    d.set_item("risk_treated", r.risk_treated)?;
    d.set_item("risk_control", r.risk_control)?;
    d.set_item("se_risks", r.se_risks)?;
    d.set_item("n", r.n)?;
    d.set_item("n_treated", r.n_treated)?;
    d.set_item("n_extreme_ps", r.n_extreme_ps)?;
    d.set_item("warnings", r.warnings.clone())?;
    d.set_item("propensity", fit_dict(py, &r.propensity)?)?;
    d.set_item("outcome_treated", fit_dict(py, &r.outcome_treated)?)?;
    d.set_item("outcome_control", fit_dict(py, &r.outcome_control)?)?;
    d.set_item("ps", r.ps.into_pyarray(py))?;
    d.set_item("mu1", r.mu1.into_pyarray(py))?;
    d.set_item("mu0", r.mu0.into_pyarray(py))?;
    if let Some(b) = r.bootstrap {
        let bd = PyDict::new(py);
        bd.set_item("distribution", b.distribution.into_pyarray(py))?;
        bd.set_item("se", b.standard_error)?;
        bd.set_item(
            "ci",
            (b.confidence_interval.low, b.confidence_interval.high),
        )?;
        bd.set_item("n_failed", b.n_failed)?;
        bd.set_item("n_patterns", b.n_patterns)?;
        bd.set_item("max_iterations", b.max_iterations)?;
        bd.set_item("seed", b.seed)?;
        d.set_item("bootstrap", bd)?;
    }
    Ok(d)
}
