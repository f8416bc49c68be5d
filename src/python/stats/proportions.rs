//! Bindings of `crate::stats::proportions`.

use super::{ci_tuple, err, result_dict};
use crate::stats::proportions::{self, Estimate, ProportionCiMethod};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(proportion_ci, m)?)?;
    m.add_function(wrap_pyfunction!(two_proportions, m)?)?;
    Ok(())
}

/// Confidence interval of one proportion (see `crate::stats::proportions::proportion_ci`).
#[pyfunction]
#[pyo3(signature = (count, nobs, method="wilson", confidence_level=0.95))]
fn proportion_ci(
    py: Python<'_>,
    count: f64,
    nobs: f64,
    method: &str,
    confidence_level: f64,
) -> PyResult<(f64, f64)> {
    let m: ProportionCiMethod = method.parse().map_err(|e| err(py, e))?;
    let ci = py
        .detach(move || proportions::proportion_ci(count, nobs, m, confidence_level))
        .map_err(|e| err(py, e))?;
    Ok(ci_tuple(&ci))
}

fn estimate_dict<'py>(py: Python<'py>, e: &Estimate) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("estimate", e.estimate)?;
    d.set_item("ci", ci_tuple(&e.ci))?;
    d.set_item("method", &e.method)?;
    Ok(d)
}

/// Two independent proportions (see `crate::stats::proportions::two_proportions`).
#[pyfunction]
#[pyo3(signature = (x1, n1, x2, n2, alternative="two-sided", confidence_level=0.95))]
fn two_proportions<'py>(
    py: Python<'py>,
    x1: f64,
    n1: f64,
    x2: f64,
    n2: f64,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let r = py
        .detach(move || proportions::two_proportions(x1, n1, x2, n2, alt, confidence_level))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("p1", r.p1)?;
    d.set_item("p2", r.p2)?;
    d.set_item("difference", estimate_dict(py, &r.difference)?)?;
    d.set_item("risk_ratio", estimate_dict(py, &r.risk_ratio)?)?;
    d.set_item("odds_ratio", estimate_dict(py, &r.odds_ratio)?)?;
    d.set_item("odds_ratio_exact", estimate_dict(py, &r.odds_ratio_exact)?)?;
    d.set_item("ztest", result_dict(py, &r.ztest)?)?;
    d.set_item("chi2", result_dict(py, &r.chi2)?)?;
    Ok(d)
}
