//! Bindings of `crate::stats::multiple`.
//!
//! Native names carry the family prefix `multiple_`; `hv.stats` wraps them.

use super::err;
use crate::stats::multiple::{adjust_pvalues, AdjustMethod};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(multiple_adjust_pvalues, m)?)?;
    Ok(())
}

/// Adjusted p-values and reject mask (`crate::stats::multiple::adjust_pvalues`).
#[pyfunction]
fn multiple_adjust_pvalues<'py>(
    py: Python<'py>,
    pvalues: PyReadonlyArray1<'py, f64>,
    method: &str,
    alpha: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let method: AdjustMethod = method.parse().map_err(|e| err(py, e))?;
    let p = pvalues.as_slice()?;
    let r = py
        .detach(|| adjust_pvalues(p, method, alpha))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("pvalues", r.pvalues.into_pyarray(py))?;
    d.set_item("reject", r.reject.into_pyarray(py))?;
    d.set_item("method", r.method.as_str())?;
    d.set_item("statsmodels_method", r.method.statsmodels_name())?;
    d.set_item("alpha", r.alpha)?;
    d.set_item("n_tests", r.n_tests)?;
    Ok(d)
}
