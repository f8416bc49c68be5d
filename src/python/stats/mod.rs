//! Bindings of `crate::stats`: one file per family, each with a `register`
//! function that adds its functions to the native module.

mod contingency;
mod means;
mod multiple;
mod power;
mod proportions;
mod resampling;

use crate::stats::{Alternative, ConfidenceInterval, TestResult};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds every statistics function to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    contingency::register(m)?;
    means::register(m)?;
    multiple::register(m)?;
    power::register(m)?;
    proportions::register(m)?;
    resampling::register(m)?;
    Ok(())
}

/// Parses scipy's `alternative` strings.
pub(crate) fn alternative(s: &str) -> PyResult<Alternative> {
    s.parse::<Alternative>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A test result as a dict: statistic, pvalue, df, alternative, method.
pub(crate) fn result_dict<'py>(py: Python<'py>, r: &TestResult) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("statistic", r.statistic)?;
    d.set_item("pvalue", r.pvalue)?;
    d.set_item("df", r.df)?;
    d.set_item("alternative", r.alternative.as_str())?;
    d.set_item("method", &r.method)?;
    Ok(d)
}

/// An interval as a `(low, high)` tuple.
pub(crate) fn ci_tuple(ci: &ConfidenceInterval) -> (f64, f64) {
    (ci.low, ci.high)
}

/// Maps a core error to a Python exception.
pub(crate) fn err(py: Python<'_>, e: crate::Error) -> PyErr {
    super::errors::to_py(py, e)
}
