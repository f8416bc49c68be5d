//! Bindings of `crate::stats::means`, `crate::stats::ranks` and
//! `crate::stats::effect_size`.
//!
//! Native names carry the family prefix `means_` so they cannot collide with
//! other families in the one native module; `hv.stats` wraps them.

use super::{ci_tuple, err, result_dict};
use crate::stats::effect_size::{cohens_d, hedges_g, EffectSizeCi};
use crate::stats::means::{
    compare_means, levene, ttest_from_stats, ttest_ind, GroupStats, LeveneCenter, LeveneResult,
    TTest,
};
use crate::stats::ranks::{mannwhitneyu, MwuMethod};
use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(means_ttest_ind, m)?)?;
    m.add_function(wrap_pyfunction!(means_ttest_from_stats, m)?)?;
    m.add_function(wrap_pyfunction!(means_levene, m)?)?;
    m.add_function(wrap_pyfunction!(means_compare, m)?)?;
    m.add_function(wrap_pyfunction!(means_mannwhitneyu, m)?)?;
    m.add_function(wrap_pyfunction!(means_effect_size, m)?)?;
    Ok(())
}

fn parse<T: std::str::FromStr<Err = crate::Error>>(py: Python<'_>, s: &str) -> PyResult<T> {
    s.parse::<T>().map_err(|e| err(py, e))
}

/// A t-test as a dict: the test fields plus estimate, std_error and ci.
fn ttest_dict<'py>(py: Python<'py>, t: &TTest, level: f64) -> PyResult<Bound<'py, PyDict>> {
    let d = result_dict(py, &t.result)?;
    d.set_item("estimate", t.estimate)?;
    d.set_item("std_error", t.std_error)?;
    d.set_item("equal_var", t.equal_var)?;
    let ci = t.confidence_interval(level).map_err(|e| err(py, e))?;
    d.set_item("ci", ci_tuple(&ci))?;
    Ok(d)
}

fn group_dict<'py>(py: Python<'py>, g: &GroupStats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("n", g.n)?;
    d.set_item("mean", g.mean)?;
    d.set_item("sd", g.sd)?;
    d.set_item("se", g.se)?;
    Ok(d)
}

fn levene_dict<'py>(py: Python<'py>, r: &LeveneResult) -> PyResult<Bound<'py, PyDict>> {
    let d = result_dict(py, &r.result)?;
    d.set_item("df1", r.df1)?;
    d.set_item("df2", r.df2)?;
    d.set_item(
        "center",
        match r.center {
            LeveneCenter::Mean => "mean",
            LeveneCenter::Median => "median",
        },
    )?;
    Ok(d)
}

/// Student's or Welch's two-sample t-test (`crate::stats::means::ttest_ind`).
#[pyfunction]
fn means_ttest_ind<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, f64>,
    b: PyReadonlyArray1<'py, f64>,
    equal_var: bool,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    let r = py
        .detach(|| ttest_ind(a, b, equal_var, alt))
        .map_err(|e| err(py, e))?;
    ttest_dict(py, &r, confidence_level)
}

/// The t-test from means, sds and sizes (`crate::stats::means::ttest_from_stats`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn means_ttest_from_stats<'py>(
    py: Python<'py>,
    mean1: f64,
    sd1: f64,
    n1: u64,
    mean2: f64,
    sd2: f64,
    n2: u64,
    equal_var: bool,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let g1 = GroupStats::new(mean1, sd1, n1).map_err(|e| err(py, e))?;
    let g2 = GroupStats::new(mean2, sd2, n2).map_err(|e| err(py, e))?;
    let r = ttest_from_stats(&g1, &g2, equal_var, alt);
    ttest_dict(py, &r, confidence_level)
}

/// Levene's / Brown–Forsythe test (`crate::stats::means::levene`).
#[pyfunction]
fn means_levene<'py>(
    py: Python<'py>,
    samples: Vec<PyReadonlyArray1<'py, f64>>,
    center: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let center: LeveneCenter = parse(py, center)?;
    let slices = samples
        .iter()
        .map(|s| s.as_slice())
        .collect::<Result<Vec<&[f64]>, _>>()?;
    let r = py
        .detach(|| levene(&slices, center))
        .map_err(|e| err(py, e))?;
    levene_dict(py, &r)
}

/// SPSS's Independent Samples Test (`crate::stats::means::compare_means`).
#[pyfunction]
fn means_compare<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, f64>,
    b: PyReadonlyArray1<'py, f64>,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    let c = py
        .detach(|| compare_means(a, b, alt, confidence_level))
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("group1", group_dict(py, &c.group1)?)?;
    d.set_item("group2", group_dict(py, &c.group2)?)?;
    d.set_item("levene", levene_dict(py, &c.levene)?)?;
    d.set_item("pooled", ttest_dict(py, &c.pooled, confidence_level)?)?;
    d.set_item("welch", ttest_dict(py, &c.welch, confidence_level)?)?;
    Ok(d)
}

/// The Mann–Whitney U test (`crate::stats::ranks::mannwhitneyu`).
#[pyfunction]
fn means_mannwhitneyu<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    alternative: &str,
    method: &str,
    use_continuity: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let alt = super::alternative(alternative)?;
    let method: MwuMethod = parse(py, method)?;
    let (x, y) = (x.as_slice()?, y.as_slice()?);
    let r = py
        .detach(|| mannwhitneyu(x, y, alt, method, use_continuity))
        .map_err(|e| err(py, e))?;
    let d = result_dict(py, &r.result)?;
    d.set_item("u1", r.u1)?;
    d.set_item("u2", r.u2)?;
    d.set_item("method_used", r.method.as_str())?;
    d.set_item("z", r.z)?;
    d.set_item("ties", r.ties)?;
    d.set_item("n1", r.n1)?;
    d.set_item("n2", r.n2)?;
    Ok(d)
}

/// Cohen's d or Hedges' g with an interval
/// (`crate::stats::effect_size::{cohens_d, hedges_g}`).
#[pyfunction]
fn means_effect_size<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, f64>,
    b: PyReadonlyArray1<'py, f64>,
    kind: &str,
    confidence_level: f64,
    ci_method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let ci_method: EffectSizeCi = parse(py, ci_method)?;
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    let f = match kind {
        "cohens_d" => cohens_d,
        "hedges_g" => hedges_g,
        other => {
            return Err(PyValueError::new_err(format!(
                "kind must be 'cohens_d' or 'hedges_g', got '{other}'"
            )))
        }
    };
    let (r, ci) = py
        .detach(|| {
            let r = f(a, b)?;
            let ci = r.confidence_interval(confidence_level, ci_method)?;
            Ok::<_, crate::Error>((r, ci))
        })
        .map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("estimate", r.estimate)?;
    d.set_item("d", r.d)?;
    d.set_item("correction", r.correction)?;
    d.set_item("pooled_sd", r.pooled_sd)?;
    d.set_item("df", r.df)?;
    d.set_item("n1", r.n1)?;
    d.set_item("n2", r.n2)?;
    d.set_item("std_error", r.std_error())?;
    d.set_item("t", r.t_statistic())?;
    d.set_item("ci", ci_tuple(&ci))?;
    Ok(d)
}
