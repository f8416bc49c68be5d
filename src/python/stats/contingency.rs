//! Bindings of `crate::stats::contingency`.

use pyo3::prelude::*;

/// Adds this family's functions to the native module.
pub(crate) fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
