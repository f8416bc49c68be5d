//! Bindings of `crate::stats::contingency` and `crate::stats::fisher`.

use super::{ci_tuple, err, result_dict};
use crate::stats::contingency::{chi2_test as core_chi2, power_divergence_lambda, Chi2Options};
use crate::stats::fisher::{self, FisherMethod, FisherOptions};
use crate::stats::Alternative;
use numpy::{IntoPyArray, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(chi2_test, m)?)?;
    m.add_function(wrap_pyfunction!(fisher_exact, m)?)?;
    m.add_function(wrap_pyfunction!(fisher_odds_ratio_ci, m)?)?;
    Ok(())
}

/// Chi-square tests of an r×c table (see `crate::stats::contingency::chi2_test`).
#[pyfunction]
#[pyo3(signature = (table, correction=false, lambda_=None, row_scores=None, col_scores=None))]
fn chi2_test<'py>(
    py: Python<'py>,
    table: PyReadonlyArray2<'py, f64>,
    correction: bool,
    lambda_: Option<Bound<'py, PyAny>>,
    row_scores: Option<Vec<f64>>,
    col_scores: Option<Vec<f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let lambda = match lambda_ {
        None => 1.0,
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => power_divergence_lambda(s.to_str()?).map_err(|e| err(py, e))?,
            Err(_) => v.extract::<f64>()?,
        },
    };
    let t = table.as_array().to_owned();
    let opts = Chi2Options {
        correction,
        lambda,
        row_scores,
        col_scores,
    };
    let r = py
        .detach(move || core_chi2(t.view(), &opts))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("main", result_dict(py, &r.main)?)?;
    d.set_item("pearson", result_dict(py, &r.pearson)?)?;
    d.set_item(
        "yates",
        match &r.yates {
            Some(y) => Some(result_dict(py, y)?),
            None => None,
        },
    )?;
    d.set_item("likelihood_ratio", result_dict(py, &r.likelihood_ratio)?)?;
    d.set_item("linear_by_linear", result_dict(py, &r.linear_by_linear)?)?;
    d.set_item("fisher", r.fisher)?;
    let expected = numpy::ndarray::Array2::from_shape_vec(r.shape, r.expected)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    d.set_item("expected", expected.into_pyarray(py))?;
    d.set_item("n", r.n)?;
    d.set_item("phi", r.phi)?;
    d.set_item("cramers_v", r.cramers_v)?;
    d.set_item("small_expected", r.small_expected)?;
    d.set_item("n_small_expected", r.n_small_expected)?;
    d.set_item("min_expected", r.min_expected)?;
    Ok(d)
}

/// Fisher's exact test (see `crate::stats::fisher::fisher_exact`).
#[pyfunction]
#[pyo3(signature = (table, alternative="two-sided", method="auto", n_resamples=10_000, seed=0, max_tables=fisher::DEFAULT_MAX_TABLES, confidence_level=0.95))]
#[allow(clippy::too_many_arguments)]
fn fisher_exact<'py>(
    py: Python<'py>,
    table: PyReadonlyArray2<'py, f64>,
    alternative: &str,
    method: &str,
    n_resamples: u64,
    seed: u64,
    max_tables: f64,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let method: FisherMethod = method.parse().map_err(|e| err(py, e))?;
    let t = table.as_array().to_owned();
    let opts = FisherOptions {
        method,
        n_resamples,
        seed,
        max_tables,
        confidence_level,
    };
    let r = py
        .detach(move || fisher::fisher_exact(t.view(), alt, &opts))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("statistic", r.statistic)?;
    d.set_item("pvalue", r.pvalue)?;
    d.set_item("alternative", r.alternative.as_str())?;
    d.set_item("method", &r.method)?;
    d.set_item("table_probability", r.table_probability)?;
    d.set_item("pvalues_one_sided", r.pvalues_one_sided)?;
    d.set_item("conditional_odds_ratio", r.conditional_odds_ratio)?;
    d.set_item(
        "confidence_interval",
        r.confidence_interval.as_ref().map(ci_tuple),
    )?;
    d.set_item("n_tables", r.n_tables)?;
    d.set_item("n_resamples", r.n_resamples)?;
    d.set_item("standard_error", r.standard_error)?;
    d.set_item("seed", r.seed)?;
    Ok(d)
}

/// The exact conditional interval of the odds ratio of a 2×2 table `(a, b, c, d)`.
#[pyfunction]
#[pyo3(signature = (a, b, c, d, confidence_level=0.95, alternative="two-sided"))]
fn fisher_odds_ratio_ci(
    py: Python<'_>,
    a: u64,
    b: u64,
    c: u64,
    d: u64,
    confidence_level: f64,
    alternative: &str,
) -> PyResult<(f64, f64)> {
    let alt: Alternative = super::alternative(alternative)?;
    let ci = py
        .detach(move || fisher::conditional_odds_ratio_ci([a, b, c, d], confidence_level, alt))
        .map_err(|e| err(py, e))?;
    Ok(ci_tuple(&ci))
}
