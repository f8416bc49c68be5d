//! Bindings of `crate::stats::resampling`.

use super::{alternative, err, result_dict};
use crate::stats::resampling::{
    self as core, BootstrapInterval, BootstrapMethod, BootstrapStatistic, PermutationStatistic,
    ResampleOptions,
};
use crate::stats::Alternative;
use numpy::{IntoPyArray, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::borrow::Cow;

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(permutation_test, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap_indices, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap_interval, m)?)?;
    Ok(())
}

/// The array's data, borrowed when contiguous.
fn data<'a>(a: &'a PyReadonlyArray1<'_, f64>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().to_vec()),
    }
}

fn parse<T: std::str::FromStr<Err = crate::Error>>(py: Python<'_>, s: &str) -> PyResult<T> {
    s.parse::<T>().map_err(|e| err(py, e))
}

/// Two-sample permutation test; a dict with statistic, pvalue, alternative,
/// method, n_resamples, exact, seed and null_distribution (None unless
/// `return_null`).
#[pyfunction]
#[pyo3(signature = (x, y, statistic="mean_difference", alternative="two-sided", n_resamples=9999, seed=0, return_null=false, threads=None))]
#[allow(clippy::too_many_arguments)]
fn permutation_test<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    statistic: &str,
    alternative: &str,
    n_resamples: u64,
    seed: u64,
    return_null: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let stat: PermutationStatistic = parse(py, statistic)?;
    let alt = self::alternative(alternative)?;
    let (xs, ys) = (data(&x), data(&y));
    let options = ResampleOptions {
        n_resamples,
        seed,
        threads,
    };
    let r = py
        .detach(|| core::permutation_test(&xs, &ys, stat, alt, &options, return_null))
        .map_err(|e| err(py, e))?;
    let d = result_dict(py, &r.result)?;
    d.set_item("n_resamples", r.n_resamples)?;
    d.set_item("exact", r.exact)?;
    d.set_item("seed", r.seed)?;
    match r.null_distribution {
        Some(v) => d.set_item("null_distribution", v.into_pyarray(py))?,
        None => d.set_item("null_distribution", py.None())?,
    }
    Ok(d)
}

fn interval_items(d: &Bound<'_, PyDict>, iv: &BootstrapInterval) -> PyResult<()> {
    d.set_item("low", iv.confidence_interval.low)?;
    d.set_item("high", iv.confidence_interval.high)?;
    d.set_item("confidence_level", iv.confidence_interval.level)?;
    d.set_item("method", iv.method.as_str())?;
    d.set_item("alternative", iv.alternative.as_str())?;
    d.set_item("levels", iv.levels)?;
    d.set_item("z0", iv.z0)?;
    d.set_item("acceleration", iv.acceleration)?;
    Ok(())
}

/// Bootstrap interval of a named statistic; a dict with statistic, low, high,
/// confidence_level, method, alternative, levels, z0, acceleration,
/// standard_error, bootstrap_distribution, n_resamples and seed.
#[pyfunction]
#[pyo3(signature = (samples, statistic, method="bca", confidence_level=0.95, alternative="two-sided", n_resamples=9999, seed=0, threads=None))]
#[allow(clippy::too_many_arguments)]
fn bootstrap<'py>(
    py: Python<'py>,
    samples: Vec<PyReadonlyArray1<'py, f64>>,
    statistic: &str,
    method: &str,
    confidence_level: f64,
    alternative: &str,
    n_resamples: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let stat: BootstrapStatistic = parse(py, statistic)?;
    let method: BootstrapMethod = parse(py, method)?;
    let alt: Alternative = self::alternative(alternative)?;
    let owned: Vec<Cow<'_, [f64]>> = samples.iter().map(data).collect();
    let refs: Vec<&[f64]> = owned.iter().map(|c| c.as_ref()).collect();
    let options = ResampleOptions {
        n_resamples,
        seed,
        threads,
    };
    let r = py
        .detach(|| core::bootstrap(&refs, stat, method, confidence_level, alt, &options))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("statistic", r.statistic)?;
    interval_items(&d, &r.interval)?;
    d.set_item("standard_error", r.standard_error)?;
    d.set_item("bootstrap_distribution", r.distribution.into_pyarray(py))?;
    d.set_item("n_resamples", r.n_resamples)?;
    d.set_item("seed", r.seed)?;
    Ok(d)
}

/// Resampling indices of resamples `start..start+count`: a `(count, Σ sizes)`
/// uint64 array; columns `sum(sizes[:j]) : sum(sizes[:j+1])` index sample j.
#[pyfunction]
#[pyo3(signature = (sizes, start, count, seed=0, threads=None))]
fn bootstrap_indices<'py>(
    py: Python<'py>,
    sizes: Vec<usize>,
    start: u64,
    count: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let width: usize = sizes.iter().sum();
    let v = py
        .detach(|| core::bootstrap_indices(&sizes, start, count, seed, threads))
        .map_err(|e| err(py, e))?;
    let arr = v.into_pyarray(py);
    let arr = arr
        .reshape([count as usize, width])
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(arr.into_any())
}

/// The interval from a bootstrap distribution, the observed statistic and
/// (for BCa) the leave-one-out statistics of each sample; a dict with low,
/// high, confidence_level, method, alternative, levels, z0, acceleration and
/// standard_error.
#[pyfunction]
#[pyo3(signature = (distribution, observed, jackknife, method="bca", confidence_level=0.95, alternative="two-sided"))]
fn bootstrap_interval<'py>(
    py: Python<'py>,
    distribution: PyReadonlyArray1<'py, f64>,
    observed: f64,
    jackknife: Vec<PyReadonlyArray1<'py, f64>>,
    method: &str,
    confidence_level: f64,
    alternative: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let method: BootstrapMethod = parse(py, method)?;
    let alt = self::alternative(alternative)?;
    let dist = data(&distribution);
    let owned: Vec<Cow<'_, [f64]>> = jackknife.iter().map(data).collect();
    let refs: Vec<&[f64]> = owned.iter().map(|c| c.as_ref()).collect();
    let iv = core::bootstrap_interval(&dist, observed, &refs, method, confidence_level, alt)
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    interval_items(&d, &iv)?;
    d.set_item("standard_error", core::standard_error(&dist))?;
    Ok(d)
}
