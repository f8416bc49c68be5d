//! Mapping core errors to Python exceptions.
//!
//! The exception classes are defined in Python (`huisverbod/exceptions.py`),
//! where multiple inheritance (`ValidationError(HuisverbodError, ValueError)`)
//! is natural; this module looks them up when it raises.

use crate::error::{Error, Problem};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Problems as a list of dicts with keys severity, file, row, column, value, rule, message.
pub(crate) fn problems_list<'py>(
    py: Python<'py>,
    problems: &[Problem],
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for p in problems {
        let d = PyDict::new(py);
        d.set_item(
            "severity",
            match p.severity {
                crate::Severity::Error => "error",
                crate::Severity::Warning => "warning",
            },
        )?;
        d.set_item("file", &p.file)?;
        d.set_item("row", p.row)?;
        d.set_item("column", &p.column)?;
        d.set_item("value", &p.value)?;
        d.set_item("rule", p.rule.as_str())?;
        d.set_item("message", &p.message)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Converts a core error into the matching Python exception.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    match e {
        Error::Validation(v) => match problems_list(py, &v.problems) {
            Ok(list) => {
                let message = v.to_string();
                let built = py
                    .import("huisverbod.exceptions")
                    .and_then(|m| m.getattr("ValidationError"))
                    .and_then(|cls| cls.call1((message, list)));
                match built {
                    Ok(instance) => PyErr::from_value(instance),
                    Err(err) => err,
                }
            }
            Err(err) => err,
        },
        Error::InvalidArgument { .. } => PyValueError::new_err(e.to_string()),
        Error::Write { .. } => PyOSError::new_err(e.to_string()),
    }
}
