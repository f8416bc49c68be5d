//! Python bindings (feature `python`): the only place that imports pyo3 and numpy.
//!
//! The native module `huisverbod._core` exposes low-level classes; the
//! public, typed Python API lives in `python/huisverbod/` and wraps them.
//! Columns cross the boundary as numpy arrays plus a missing-value mask.

mod causal;
mod causal_match;
mod errors;
mod models;
mod replication;
mod stats;
mod survival;

use crate::cohort::columns::ColumnRef;
use crate::cohort::tables::{
    CaseAttrs, IncidentAttrs, PersonAttrs, CASE_KEYS, INCIDENT_KEYS, PERSON_KEYS,
};
use crate::cohort::{Cohort, Source, Table};
use crate::io::InputColumn;
use crate::outcome::{Recidivism, RecidivismOptions};
use errors::to_py;
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::path::PathBuf;
use std::sync::Arc;

fn table_arg(name: &str) -> PyResult<Table> {
    Table::parse(name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown table '{name}': expected 'cases', 'persons' or 'incidents'"
        ))
    })
}

/// Converts one (kind, data) pair from Python into an input column.
fn input_column(
    py: Python<'_>,
    name: &str,
    kind: &str,
    data: &Bound<'_, PyAny>,
) -> PyResult<InputColumn> {
    let _ = py;
    match kind {
        "text" => Ok(InputColumn::Text(data.extract::<Vec<Option<String>>>()?)),
        "num" => {
            let a: PyReadonlyArray1<'_, f64> = data.extract()?;
            Ok(InputColumn::Num(a.as_slice()?.to_vec()))
        }
        "date" => {
            let a: PyReadonlyArray1<'_, f64> = data.extract()?;
            let days = a
                .as_slice()?
                .iter()
                .map(|&d| (d.is_finite() && d.abs() < 1e9).then_some(d as i32))
                .collect();
            Ok(InputColumn::Date(days))
        }
        other => Err(PyValueError::new_err(format!(
            "column '{name}': unknown input kind '{other}' (expected text, num or date)"
        ))),
    }
}

fn input_columns(
    py: Python<'_>,
    cols: Vec<(String, String, Bound<'_, PyAny>)>,
) -> PyResult<Vec<(String, InputColumn)>> {
    cols.into_iter()
        .map(|(name, kind, data)| {
            let c = input_column(py, &name, &kind, &data)?;
            Ok((name, c))
        })
        .collect()
}

/// Masks of unknown rows.
fn mask<T>(v: &[Option<T>]) -> Vec<bool> {
    v.iter().map(Option::is_none).collect()
}

/// A column as a Python tuple `(kind, values, extra)`:
/// bool/int/date → (kind, int64/uint8 values, missing mask);
/// float → ("float", float64 with NaN, None); category → ("category", int8 codes with -1, levels);
/// text → ("text", list of str | None, None).
fn column_payload<'py>(py: Python<'py>, col: ColumnRef<'_>) -> PyResult<Bound<'py, PyTuple>> {
    let none = py.None().into_bound(py);
    let t = match col {
        ColumnRef::Bool(v) => (
            "bool",
            v.iter()
                .map(|x| x.unwrap_or(false))
                .collect::<Vec<bool>>()
                .into_pyarray(py)
                .into_any(),
            mask(v).into_pyarray(py).into_any(),
        ),
        ColumnRef::Int(v) => (
            "int",
            v.iter()
                .map(|x| i64::from(x.unwrap_or(0)))
                .collect::<Vec<i64>>()
                .into_pyarray(py)
                .into_any(),
            mask(v).into_pyarray(py).into_any(),
        ),
        ColumnRef::Float(v) => (
            "float",
            v.iter()
                .map(|x| x.unwrap_or(f64::NAN))
                .collect::<Vec<f64>>()
                .into_pyarray(py)
                .into_any(),
            none,
        ),
        ColumnRef::Date(v) => (
            "date",
            v.iter()
                .map(|x| i64::from(x.map_or(0, |d| d.0)))
                .collect::<Vec<i64>>()
                .into_pyarray(py)
                .into_any(),
            mask(v).into_pyarray(py).into_any(),
        ),
        ColumnRef::DateRequired(v) => (
            "date",
            v.iter()
                .map(|d| i64::from(d.0))
                .collect::<Vec<i64>>()
                .into_pyarray(py)
                .into_any(),
            vec![false; v.len()].into_pyarray(py).into_any(),
        ),
        ColumnRef::Category { codes, levels } => (
            "category",
            codes
                .iter()
                .map(|c| c.map_or(-1, |c| c as i8))
                .collect::<Vec<i8>>()
                .into_pyarray(py)
                .into_any(),
            PyList::new(py, levels.iter())?.into_any(),
        ),
        ColumnRef::Text(v) => ("text", PyList::new(py, v.iter())?.into_any(), none),
        ColumnRef::TextLookup { values, index } => (
            "text",
            PyList::new(py, index.iter().map(|&i| values.get(i as usize)))?.into_any(),
            none,
        ),
    };
    t.into_pyobject(py)
}

/// Optional booleans as (values, missing mask).
fn opt_bool<'py>(py: Python<'py>, v: Vec<Option<bool>>) -> (Bound<'py, PyAny>, Bound<'py, PyAny>) {
    let m = mask(&v);
    let vals: Vec<bool> = v.into_iter().map(|x| x.unwrap_or(false)).collect();
    (
        vals.into_pyarray(py).into_any(),
        m.into_pyarray(py).into_any(),
    )
}

/// Optional small counts as (int64 values, missing mask).
fn opt_u8<'py>(py: Python<'py>, v: Vec<Option<u8>>) -> (Bound<'py, PyAny>, Bound<'py, PyAny>) {
    let m = mask(&v);
    let vals: Vec<i64> = v.into_iter().map(|x| i64::from(x.unwrap_or(0))).collect();
    (
        vals.into_pyarray(py).into_any(),
        m.into_pyarray(py).into_any(),
    )
}

/// The native cohort; see `huisverbod.Cohort` for the documented API.
#[pyclass(frozen, module = "huisverbod._core", name = "Cohort")]
pub struct PyCohort {
    inner: Arc<Cohort>,
}

#[pymethods]
impl PyCohort {
    /// Reads cases.csv, persons.csv and incidents.csv from a directory.
    #[staticmethod]
    fn read_csv_dir(py: Python<'_>, path: PathBuf) -> PyResult<PyCohort> {
        let r = py.detach(|| Cohort::from_csv_dir(&path));
        r.map(|c| PyCohort { inner: Arc::new(c) })
            .map_err(|e| to_py(py, e))
    }

    /// Reads the three tables from three files.
    #[staticmethod]
    fn read_csv_files(
        py: Python<'_>,
        cases: PathBuf,
        persons: PathBuf,
        incidents: PathBuf,
    ) -> PyResult<PyCohort> {
        let r = py.detach(|| Cohort::from_csv_files(&cases, &persons, &incidents));
        r.map(|c| PyCohort { inner: Arc::new(c) })
            .map_err(|e| to_py(py, e))
    }

    /// Builds a cohort from lists of (name, kind, data) columns.
    #[staticmethod]
    fn from_columns(
        py: Python<'_>,
        cases: Vec<(String, String, Bound<'_, PyAny>)>,
        persons: Vec<(String, String, Bound<'_, PyAny>)>,
        incidents: Vec<(String, String, Bound<'_, PyAny>)>,
    ) -> PyResult<PyCohort> {
        let c = input_columns(py, cases)?;
        let p = input_columns(py, persons)?;
        let i = input_columns(py, incidents)?;
        let r = py.detach(|| Cohort::from_columns(c, p, i));
        r.map(|c| PyCohort { inner: Arc::new(c) })
            .map_err(|e| to_py(py, e))
    }

    #[getter]
    fn n_cases(&self) -> usize {
        self.inner.n_cases()
    }

    #[getter]
    fn n_persons(&self) -> usize {
        self.inner.n_persons()
    }

    #[getter]
    fn n_incident_rows(&self) -> usize {
        self.inner.n_incident_rows()
    }

    /// Heap bytes held by the columns.
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }

    /// Column names of a table, in file order.
    fn column_names(&self, table: &str) -> PyResult<Vec<String>> {
        Ok(self.inner.column_names(table_arg(table)?))
    }

    /// One column as (kind, values, extra); see `column_payload`.
    fn column<'py>(
        &self,
        py: Python<'py>,
        table: &str,
        name: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let t = table_arg(table)?;
        let col = self.inner.column(t, name).ok_or_else(|| {
            PyValueError::new_err(format!("table '{table}' has no column '{name}'"))
        })?;
        column_payload(py, col)
    }

    /// Group of each case as int8 codes (0 thv, 1 control).
    fn group_codes<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let v: Vec<i8> = self
            .inner
            .cases()
            .group
            .iter()
            .map(|g| g.code() as i8)
            .collect();
        v.into_pyarray(py).into_any()
    }

    /// The problems that did not stop reading (warnings), as dicts.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        errors::problems_list(py, self.inner.warnings())
    }

    /// Writes the three CSV files.
    fn to_csv(&self, py: Python<'_>, dir: PathBuf) -> PyResult<()> {
        let c = self.inner.clone();
        py.detach(move || c.to_csv_dir(&dir))
            .map_err(|e| to_py(py, e))
    }

    /// Keeps the cases where `keep` is true.
    fn filter_cases(&self, py: Python<'_>, keep: PyReadonlyArray1<'_, bool>) -> PyResult<PyCohort> {
        let keep = keep.as_slice()?.to_vec();
        let c = self.inner.clone();
        py.detach(move || c.filter_cases(&keep))
            .map(|c| PyCohort { inner: Arc::new(c) })
            .map_err(|e| to_py(py, e))
    }

    /// Recidivism measures.
    #[pyo3(signature = (sources=None, window_days=None))]
    fn recidivism(
        &self,
        py: Python<'_>,
        sources: Option<Vec<String>>,
        window_days: Option<i64>,
    ) -> PyResult<PyRecidivism> {
        let sources = match sources {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|s| {
                        s.parse::<Source>()
                            .map_err(|e| PyValueError::new_err(format!("sources: {e}")))
                    })
                    .collect::<PyResult<Vec<_>>>()?,
            ),
        };
        let window_days = match window_days {
            None => None,
            Some(w) if (1..=i64::from(i32::MAX)).contains(&w) => Some(w as u32),
            Some(w) => {
                return Err(PyValueError::new_err(format!(
                    "window_days must be a positive number of days, got {w}"
                )))
            }
        };
        let opts = RecidivismOptions {
            sources,
            window_days,
        };
        let c = self.inner.clone();
        let r = py
            .detach(move || c.recidivism(&opts))
            .map_err(|e| to_py(py, e))?;
        Ok(PyRecidivism { inner: Arc::new(r) })
    }

    /// A derived variable as (values, missing mask).
    fn derived<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let c = &self.inner;
        Ok(match name {
            "cooperation_sufficient" => opt_bool(py, c.cooperation_sufficient()),
            "priority_highest" => opt_bool(py, c.priority_highest()),
            "problem_area_count" => opt_u8(py, c.problem_area_count()),
            "problem_load_heavy" => opt_bool(py, c.problem_load_heavy()),
            "system_approach_score" => opt_u8(py, c.system_approach_score()),
            "system_approach_sufficient" => opt_bool(py, c.system_approach_sufficient()),
            "first_contact_within_24h" => opt_bool(py, c.first_contact_within_24h()),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown derived variable '{other}'"
                )))
            }
        })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<PyCohort>() {
            Ok(o) => *self.inner == *o.get().inner,
            Err(_) => false,
        }
    }
}

/// Native recidivism measures; see `huisverbod.Recidivism`.
#[pyclass(frozen, module = "huisverbod._core", name = "Recidivism")]
pub struct PyRecidivism {
    inner: Arc<Recidivism>,
}

#[pymethods]
impl PyRecidivism {
    /// The per-case arrays as a dict of numpy arrays.
    fn arrays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.inner;
        let d = PyDict::new(py);
        d.set_item("any", r.any.clone().into_pyarray(py))?;
        d.set_item(
            "count",
            r.count
                .iter()
                .map(|&c| i64::from(c))
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "days_to_first",
            r.days_to_first
                .iter()
                .map(|d| d.map_or(f64::NAN, f64::from))
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "time",
            r.time
                .iter()
                .map(|&t| f64::from(t))
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item("event", r.event.clone().into_pyarray(py))?;
        d.set_item(
            "group",
            r.group
                .iter()
                .map(|g| g.code() as i8)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        Ok(d)
    }

    /// The Table 5.1 layout as a list of dicts.
    fn by_group<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for g in self.inner.by_group() {
            let d = PyDict::new(py);
            d.set_item("group", g.group.as_str())?;
            d.set_item("n", g.n)?;
            d.set_item("n_with_new", g.n_with_new)?;
            d.set_item("pct_with_new", g.pct_with_new)?;
            d.set_item("mean_count", g.mean_count)?;
            d.set_item("sd_count", g.sd_count)?;
            d.set_item("mean_days_to_first", g.mean_days_to_first)?;
            d.set_item("sd_days_to_first", g.sd_days_to_first)?;
            out.append(d)?;
        }
        Ok(out)
    }

    #[getter]
    fn sources(&self) -> Option<Vec<&'static str>> {
        self.inner
            .options
            .sources
            .as_ref()
            .map(|s| s.iter().map(|x| x.as_str()).collect())
    }

    #[getter]
    fn window_days(&self) -> Option<u32> {
        self.inner.options.window_days
    }
}

/// The schema of a table: one dict per column, in file order.
#[pyfunction]
fn schema<'py>(py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyList>> {
    let (keys, attrs) = match table_arg(table)? {
        Table::Cases => (CASE_KEYS, CaseAttrs::SPECS),
        Table::Persons => (PERSON_KEYS, PersonAttrs::SPECS),
        Table::Incidents => (INCIDENT_KEYS, IncidentAttrs::SPECS),
    };
    let out = PyList::empty(py);
    for s in keys.iter().chain(attrs) {
        let d = PyDict::new(py);
        d.set_item("name", s.name)?;
        d.set_item("kind", s.kind.name())?;
        d.set_item("required", s.required)?;
        d.set_item("range", s.range)?;
        d.set_item("only_for", s.only_for.map(|g| g.as_str()))?;
        let levels: Option<Vec<&str>> = match s.kind {
            crate::ValueKind::Category(l) => Some(l.to_vec()),
            _ => None,
        };
        d.set_item("levels", levels)?;
        d.set_item("doc", s.doc.trim())?;
        out.append(d)?;
    }
    Ok(out)
}

/// A synthetic cohort from the generator's latent model (see `crate::synth`).
#[pyfunction]
fn synthetic(py: Python<'_>, n_cases: usize, seed: u64) -> PyResult<PyCohort> {
    py.detach(|| crate::synth::synthetic(n_cases, seed))
        .map(|c| PyCohort { inner: Arc::new(c) })
        .map_err(|e| to_py(py, e))
}

/// The native module.
#[pymodule]
mod _core {
    #[pymodule_export]
    use super::schema;
    #[pymodule_export]
    use super::synthetic;
    #[pymodule_export]
    use super::PyCohort;
    #[pymodule_export]
    use super::PyRecidivism;

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        super::replication::register(m)?;
        super::models::register(m)?;
        super::survival::register(m)?;
        super::causal_match::register(m)?;
        super::causal::register(m)?;
        super::stats::register(m)
    }
}
