//! Bindings of the replication cohort (`crate::synth::regioplan`).

use super::errors::to_py;
use super::PyCohort;
use crate::synth::regioplan;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::sync::Arc;

/// The replication cohort (deterministic; about 1 s in a release build).
#[pyfunction]
fn regioplan2013(py: Python<'_>) -> PyCohort {
    PyCohort {
        inner: Arc::new(py.detach(regioplan::regioplan2013)),
    }
}

/// Every published cell next to the cohort's value, the recomputed chapter-5
/// verdicts and a summary: `{"records": [...], "verdicts": [...], "summary": {...}}`.
#[pyfunction]
fn regioplan2013_fidelity<'py>(py: Python<'py>, cohort: &PyCohort) -> PyResult<Bound<'py, PyDict>> {
    let inner = Arc::clone(&cohort.inner);
    let f = py
        .detach(move || regioplan::fidelity(&inner))
        .map_err(|e| to_py(py, e))?;
    let records = PyList::empty(py);
    for r in &f.records {
        let d = PyDict::new(py);
        d.set_item("table", &r.table)?;
        d.set_item("row", &r.row)?;
        d.set_item("column", &r.column)?;
        d.set_item("kind", &r.kind)?;
        d.set_item("published", r.published)?;
        d.set_item("cohort", r.cohort)?;
        d.set_item("difference", r.difference)?;
        d.set_item("target", &r.target)?;
        d.set_item("met", r.met)?;
        records.append(d)?;
    }
    let verdicts = PyList::empty(py);
    for v in &f.verdicts {
        let d = PyDict::new(py);
        d.set_item("table", &v.table)?;
        d.set_item("comparison", &v.comparison)?;
        d.set_item("test", &v.test)?;
        d.set_item("statistic", v.statistic)?;
        d.set_item("df", v.df)?;
        d.set_item("p_two_sided", v.p_two_sided)?;
        d.set_item("p_report", v.p_report)?;
        d.set_item("claim", &v.claim)?;
        d.set_item("alpha", v.alpha)?;
        d.set_item("sided", v.sided.as_deref())?;
        d.set_item("same_direction", v.same_direction)?;
        d.set_item("agrees", v.agrees)?;
        verdicts.append(d)?;
    }
    let s = &f.summary;
    let summary = PyDict::new(py);
    for (k, v) in [
        ("count_cells", s.count_cells),
        ("count_exact", s.count_exact),
        ("count_off_by_1", s.count_off_by_1),
        ("count_off", s.count_off),
        ("exact_target_cells", s.exact_target_cells),
        ("exact_target_met", s.exact_target_met),
        ("within_1_target_cells", s.within_1_target_cells),
        ("within_1_target_met", s.within_1_target_met),
        ("moment_cells", s.moment_cells),
        ("moment_within_5pct", s.moment_within_5pct),
        ("verdict_comparisons", s.verdict_comparisons),
        ("verdict_comparisons_agree", s.verdict_comparisons_agree),
        ("verdict_tables", s.verdict_tables),
        ("verdict_tables_agree", s.verdict_tables_agree),
        ("bijlage5_verdicts", s.bijlage5_verdicts),
        ("bijlage5_verdicts_agree", s.bijlage5_verdicts_agree),
    ] {
        summary.set_item(k, v)?;
    }
    let bijlage5 = PyList::empty(py);
    for r in &f.bijlage5 {
        let d = PyDict::new(py);
        d.set_item("table", &r.table)?;
        d.set_item("row", &r.row)?;
        d.set_item("column", &r.column)?;
        d.set_item("published_p", r.published_p)?;
        d.set_item("published_significant", r.published_significant)?;
        d.set_item("published_direction", r.published_direction)?;
        d.set_item("coef", r.coef)?;
        d.set_item("pvalue", r.pvalue)?;
        d.set_item("agrees", r.agrees)?;
        bijlage5.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("records", records)?;
    out.set_item("bijlage5", bijlage5)?;
    out.set_item("verdicts", verdicts)?;
    out.set_item("summary", summary)?;
    Ok(out)
}

/// Adds the replication functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(regioplan2013, m)?)?;
    m.add_function(wrap_pyfunction!(regioplan2013_fidelity, m)?)?;
    m.add_function(wrap_pyfunction!(regioplan2013_bijlage5_design, m)?)
}

/// The Bijlage 5 analysis file as the replication search computes it:
/// `(case_ids, columns, values)` with `values` row-major (NaN where unknown).
#[pyfunction]
fn regioplan2013_bijlage5_design(
    py: Python<'_>,
    cohort: &PyCohort,
) -> PyResult<(Vec<String>, Vec<&'static str>, Vec<f64>)> {
    let inner = Arc::clone(&cohort.inner);
    let (ids, values) = py
        .detach(move || regioplan::bijlage5_design(&inner))
        .map_err(|e| to_py(py, e))?;
    Ok((ids, regioplan::BIJLAGE5_COLUMNS.to_vec(), values))
}
