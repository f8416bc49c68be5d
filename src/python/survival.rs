//! Bindings of `crate::survival`: Kaplan–Meier curves (a frozen class), the
//! log-rank family, RMST and Cox regression (functions returning dicts of
//! numpy arrays). `huisverbod/survival.py` builds the public objects.

use super::errors::to_py;
use crate::survival::{
    kaplan_meier::{kaplan_meier, kaplan_meier_groups, KaplanMeier, KmOptions},
    logrank::{LogRank, Weighting},
    rmst::{rmst, rmst_groups},
    ConfType,
};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Adds the survival functions and classes to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKaplanMeier>()?;
    m.add_function(wrap_pyfunction!(km_fit, m)?)?;
    m.add_function(wrap_pyfunction!(logrank, m)?)?;
    m.add_function(wrap_pyfunction!(logrank_trend, m)?)?;
    m.add_function(wrap_pyfunction!(rmst_compare, m)?)?;
    Ok(())
}

fn conf_type(s: &str) -> PyResult<ConfType> {
    s.parse::<ConfType>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn weighting(name: &str, p: f64, q: f64) -> PyResult<Weighting> {
    Weighting::parse(name, p, q).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn u64s(v: &[u64]) -> Vec<i64> {
    v.iter().map(|&x| x as i64).collect()
}

/// A Kaplan–Meier curve (one group); see `huisverbod.survival.KaplanMeierResult`.
#[pyclass(frozen, module = "huisverbod._core", name = "KaplanMeierCurve")]
pub struct PyKaplanMeier {
    inner: KaplanMeier,
}

#[pymethods]
impl PyKaplanMeier {
    /// Number of observations.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }

    /// Number of events.
    #[getter]
    fn n_events(&self) -> u64 {
        self.inner.n_events
    }

    /// The interval transform.
    #[getter]
    fn conf_type(&self) -> &'static str {
        self.inner.conf_type.as_str()
    }

    /// The confidence level of the pointwise intervals.
    #[getter]
    fn confidence_level(&self) -> f64 {
        self.inner.confidence_level
    }

    /// The survival table as a dict of numpy arrays.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let k = &self.inner;
        let d = PyDict::new(py);
        d.set_item("time", k.time.clone().into_pyarray(py))?;
        d.set_item("n_risk", u64s(&k.n_risk).into_pyarray(py))?;
        d.set_item("n_event", u64s(&k.n_event).into_pyarray(py))?;
        d.set_item("n_censor", u64s(&k.n_censor).into_pyarray(py))?;
        d.set_item("survival", k.survival.clone().into_pyarray(py))?;
        d.set_item("std_err", k.std_err.clone().into_pyarray(py))?;
        d.set_item("var_log", k.var_log.clone().into_pyarray(py))?;
        d.set_item("lower", k.lower.clone().into_pyarray(py))?;
        d.set_item("upper", k.upper.clone().into_pyarray(py))?;
        Ok(d)
    }

    /// `(estimate, low, high)` of the quantile at event probability `p`.
    fn quantile(&self, p: f64) -> (f64, f64, f64) {
        let q = self.inner.quantile(p);
        (q.estimate, q.low, q.high)
    }

    /// The curve at the given times: dict of arrays survival, std_err, lower, upper, n_risk.
    fn at<'py>(
        &self,
        py: Python<'py>,
        times: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let times = times.as_slice()?;
        let pts: Vec<_> = times.iter().map(|&t| self.inner.at(t)).collect();
        let d = PyDict::new(py);
        d.set_item(
            "survival",
            pts.iter()
                .map(|p| p.survival)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "std_err",
            pts.iter()
                .map(|p| p.std_err)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "lower",
            pts.iter()
                .map(|p| p.lower)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "upper",
            pts.iter()
                .map(|p| p.upper)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "n_risk",
            pts.iter()
                .map(|p| p.n_risk as i64)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        Ok(d)
    }

    /// RMST up to `tau`: dict with estimate, std_err, low, high.
    fn rmst<'py>(
        &self,
        py: Python<'py>,
        tau: f64,
        confidence_level: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let r = rmst(&self.inner, tau, confidence_level).map_err(|e| to_py(py, e))?;
        let d = PyDict::new(py);
        d.set_item("tau", r.tau)?;
        d.set_item("estimate", r.estimate)?;
        d.set_item("std_err", r.std_err)?;
        d.set_item("low", r.low)?;
        d.set_item("high", r.high)?;
        Ok(d)
    }
}

/// Kaplan–Meier curves, one per group code (one curve without groups).
#[pyfunction]
#[pyo3(signature = (time, event, group=None, conf_type="log-log", confidence_level=0.95))]
fn km_fit(
    py: Python<'_>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: Option<PyReadonlyArray1<'_, u32>>,
    conf_type: &str,
    confidence_level: f64,
) -> PyResult<Vec<PyKaplanMeier>> {
    let opts = KmOptions {
        conf_type: self::conf_type(conf_type)?,
        confidence_level,
    };
    let (t, e) = (time.as_slice()?, event.as_slice()?);
    let g = match &group {
        Some(g) => Some(g.as_slice()?),
        None => None,
    };
    let r = py.detach(|| match g {
        Some(g) => kaplan_meier_groups(t, e, g, &opts),
        None => kaplan_meier(t, e, &opts).map(|k| vec![k]),
    });
    Ok(r.map_err(|e| to_py(py, e))?
        .into_iter()
        .map(|inner| PyKaplanMeier { inner })
        .collect())
}

fn logrank_dict<'py>(py: Python<'py>, r: &LogRank) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("statistic", r.statistic)?;
    d.set_item("pvalue", r.pvalue)?;
    d.set_item("df", r.df)?;
    d.set_item("n", r.n.clone().into_pyarray(py))?;
    d.set_item("observed", r.observed.clone().into_pyarray(py))?;
    d.set_item("expected", r.expected.clone().into_pyarray(py))?;
    d.set_item("score", r.score.clone().into_pyarray(py))?;
    d.set_item("variance", r.variance.clone().into_pyarray(py))?;
    d.set_item("weightings", r.weighting.as_str())?;
    d.set_item("n_strata", r.n_strata)?;
    d.set_item("method", &r.method)?;
    Ok(d)
}

/// The (weighted, stratified) log-rank test; dict of statistic, pvalue, df, per-group arrays.
#[pyfunction]
#[pyo3(signature = (time, event, group, strata=None, weightings="logrank", p=0.0, q=0.0))]
#[allow(clippy::too_many_arguments)]
fn logrank<'py>(
    py: Python<'py>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: PyReadonlyArray1<'_, u32>,
    strata: Option<PyReadonlyArray1<'_, u32>>,
    weightings: &str,
    p: f64,
    q: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let w = weighting(weightings, p, q)?;
    let (t, e, g) = (time.as_slice()?, event.as_slice()?, group.as_slice()?);
    let s = match &strata {
        Some(s) => Some(s.as_slice()?),
        None => None,
    };
    let r = py
        .detach(|| crate::survival::logrank_test(t, e, g, s, w))
        .map_err(|e| to_py(py, e))?;
    logrank_dict(py, &r)
}

/// The log-rank test for trend with group scores.
#[pyfunction]
#[pyo3(signature = (time, event, group, scores, strata=None, weightings="logrank", p=0.0, q=0.0))]
#[allow(clippy::too_many_arguments)]
fn logrank_trend<'py>(
    py: Python<'py>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: PyReadonlyArray1<'_, u32>,
    scores: Vec<f64>,
    strata: Option<PyReadonlyArray1<'_, u32>>,
    weightings: &str,
    p: f64,
    q: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let w = weighting(weightings, p, q)?;
    let (t, e, g) = (time.as_slice()?, event.as_slice()?, group.as_slice()?);
    let s = match &strata {
        Some(s) => Some(s.as_slice()?),
        None => None,
    };
    let r = py
        .detach(|| crate::survival::logrank_trend(t, e, g, &scores, s, w))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("statistic", r.statistic)?;
    d.set_item("z", r.z)?;
    d.set_item("pvalue", r.pvalue)?;
    d.set_item("df", r.df)?;
    d.set_item("scores", r.scores.clone().into_pyarray(py))?;
    d.set_item("groups", logrank_dict(py, &r.groups)?)?;
    d.set_item("method", &r.method)?;
    Ok(d)
}

/// RMST per group with contrasts against group 0.
#[pyfunction]
#[pyo3(signature = (time, event, group, tau=None, confidence_level=0.95))]
fn rmst_compare<'py>(
    py: Python<'py>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: PyReadonlyArray1<'_, u32>,
    tau: Option<f64>,
    confidence_level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let (t, e, g) = (time.as_slice()?, event.as_slice()?, group.as_slice()?);
    let r = py
        .detach(|| rmst_groups(t, e, g, tau, confidence_level))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("tau", r.tau)?;
    d.set_item("confidence_level", r.confidence_level)?;
    d.set_item("statistic", r.statistic)?;
    d.set_item("df", r.df)?;
    d.set_item("pvalue", r.pvalue)?;
    let groups = PyList::empty(py);
    for x in &r.groups {
        let gd = PyDict::new(py);
        gd.set_item("rmst", x.estimate)?;
        gd.set_item("std_err", x.std_err)?;
        gd.set_item("lower", x.low)?;
        gd.set_item("upper", x.high)?;
        gd.set_item("n", x.n)?;
        gd.set_item("n_events", x.n_events)?;
        groups.append(gd)?;
    }
    d.set_item("groups", groups)?;
    let contrasts = PyList::empty(py);
    for c in &r.contrasts {
        let cd = PyDict::new(py);
        cd.set_item("group", c.group)?;
        cd.set_item("difference", c.difference)?;
        cd.set_item("difference_se", c.difference_se)?;
        cd.set_item("difference_lower", c.difference_low)?;
        cd.set_item("difference_upper", c.difference_high)?;
        cd.set_item("difference_pvalue", c.difference_pvalue)?;
        cd.set_item("ratio", c.ratio)?;
        cd.set_item("ratio_lower", c.ratio_low)?;
        cd.set_item("ratio_upper", c.ratio_high)?;
        cd.set_item("ratio_pvalue", c.ratio_pvalue)?;
        contrasts.append(cd)?;
    }
    d.set_item("contrasts", contrasts)?;
    Ok(d)
}
