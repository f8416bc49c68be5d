//! Bindings of `crate::survival`: Kaplan–Meier curves (a frozen class), the
//! log-rank family, RMST and Cox regression (functions returning dicts of
//! numpy arrays). `huisverbod/survival.py` builds the public objects.

use super::errors::to_py;
use crate::survival::{
    cox::{cox_concordance, cox_fit, ChiSquareTest, CoxControl, CoxData, CoxFit, CoxOptions, Ties},
    cox_zph::{cox_zph, ZphMethod, ZphTransform},
    kaplan_meier::{kaplan_meier_data, KaplanMeier, KmData, KmOptions},
    logrank::{LogRank, Weighting},
    rmst::{rmst, rmst_groups_data},
    ConfType,
};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
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
    m.add_class::<PyCoxFit>()?;
    m.add_function(wrap_pyfunction!(cox, m)?)?;
    m.add_function(wrap_pyfunction!(cox_zph_test, m)?)?;
    m.add_function(wrap_pyfunction!(cox_concordance_of, m)?)?;
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

/// Whole-number counts held as `f64` (unweighted tables), as integers.
fn counts(v: &[f64]) -> Vec<i64> {
    v.iter().map(|&x| x.round() as i64).collect()
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

    /// Whether case weights were given.
    #[getter]
    fn weighted(&self) -> bool {
        self.inner.weighted
    }

    /// Sum of the weights.
    #[getter]
    fn sum_weights(&self) -> f64 {
        self.inner.sum_weights
    }

    /// Sum of the weights of the events.
    #[getter]
    fn sum_event_weights(&self) -> f64 {
        self.inner.sum_event_weights
    }

    /// The survival table as a dict of numpy arrays (counts are integers
    /// without weights, sums of weights with them).
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let k = &self.inner;
        let d = PyDict::new(py);
        d.set_item("time", k.time.clone().into_pyarray(py))?;
        for (name, v) in [
            ("n_risk", &k.n_risk),
            ("n_event", &k.n_event),
            ("n_censor", &k.n_censor),
        ] {
            if k.weighted {
                d.set_item(name, v.clone().into_pyarray(py))?;
            } else {
                d.set_item(name, counts(v).into_pyarray(py))?;
            }
        }
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
        let n_risk: Vec<f64> = pts.iter().map(|p| p.n_risk).collect();
        if self.inner.weighted {
            d.set_item("n_risk", n_risk.into_pyarray(py))?;
        } else {
            d.set_item("n_risk", counts(&n_risk).into_pyarray(py))?;
        }
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

fn opt_slice<'a, T: numpy::Element>(
    a: &'a Option<PyReadonlyArray1<'_, T>>,
) -> PyResult<Option<&'a [T]>> {
    match a {
        Some(a) => Ok(Some(a.as_slice()?)),
        None => Ok(None),
    }
}

/// Kaplan–Meier curves, one per group code (one curve without groups),
/// optionally weighted and with delayed entry.
#[pyfunction]
#[pyo3(signature = (time, event, group=None, conf_type="log-log", confidence_level=0.95,
                    weights=None, entry=None))]
#[allow(clippy::too_many_arguments)]
fn km_fit(
    py: Python<'_>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: Option<PyReadonlyArray1<'_, u32>>,
    conf_type: &str,
    confidence_level: f64,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    entry: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Vec<PyKaplanMeier>> {
    let opts = KmOptions {
        conf_type: self::conf_type(conf_type)?,
        confidence_level,
    };
    let data = KmData {
        time: time.as_slice()?,
        event: event.as_slice()?,
        group: opt_slice(&group)?,
        weights: opt_slice(&weights)?,
        entry: opt_slice(&entry)?,
    };
    let r = py.detach(|| kaplan_meier_data(&data, &opts));
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

/// RMST per group with contrasts against group 0 (optionally weighted,
/// with delayed entry).
#[pyfunction]
#[pyo3(signature = (time, event, group, tau=None, confidence_level=0.95, weights=None, entry=None))]
#[allow(clippy::too_many_arguments)]
fn rmst_compare<'py>(
    py: Python<'py>,
    time: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    group: PyReadonlyArray1<'_, u32>,
    tau: Option<f64>,
    confidence_level: f64,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    entry: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = KmData {
        time: time.as_slice()?,
        event: event.as_slice()?,
        group: Some(group.as_slice()?),
        weights: opt_slice(&weights)?,
        entry: opt_slice(&entry)?,
    };
    let r = py
        .detach(|| rmst_groups_data(&data, tau, confidence_level))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("tau", r.tau)?;
    d.set_item("confidence_level", r.confidence_level)?;
    d.set_item("statistic", r.statistic)?;
    d.set_item("df", r.df)?;
    d.set_item("pvalue", r.pvalue)?;
    d.set_item("zero_variance_groups", r.zero_variance_groups.clone())?;
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

// ------------------------------------------------------------------ Cox

fn matrix<'py>(py: Python<'py>, v: &[f64], p: usize) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let rows: Vec<Vec<f64>> = v.chunks(p.max(1)).map(<[f64]>::to_vec).collect();
    PyArray2::from_vec2(py, &rows).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn test_tuple(t: &ChiSquareTest) -> (f64, f64, f64) {
    (t.statistic, t.df, t.pvalue)
}

/// Borrowed views of the Cox input arrays.
struct CoxArrays<'a> {
    stop: PyReadonlyArray1<'a, f64>,
    event: PyReadonlyArray1<'a, f64>,
    x: PyReadonlyArray2<'a, f64>,
    start: Option<PyReadonlyArray1<'a, f64>>,
    strata: Option<PyReadonlyArray1<'a, u32>>,
    weights: Option<PyReadonlyArray1<'a, f64>>,
    cluster: Option<PyReadonlyArray1<'a, u32>>,
    offset: Option<PyReadonlyArray1<'a, f64>>,
}

impl CoxArrays<'_> {
    fn data(&self) -> PyResult<CoxData<'_>> {
        let shape = self.x.shape();
        let (n, p) = (shape[0], shape[1]);
        let stop = self.stop.as_slice()?;
        if n != stop.len() {
            return Err(PyValueError::new_err(format!(
                "x has {n} rows, stop has length {}",
                stop.len()
            )));
        }
        Ok(CoxData {
            start: match &self.start {
                Some(a) => Some(a.as_slice()?),
                None => None,
            },
            stop,
            event: self.event.as_slice()?,
            x: self.x.as_slice()?,
            p,
            strata: match &self.strata {
                Some(a) => Some(a.as_slice()?),
                None => None,
            },
            weights: match &self.weights {
                Some(a) => Some(a.as_slice()?),
                None => None,
            },
            cluster: match &self.cluster {
                Some(a) => Some(a.as_slice()?),
                None => None,
            },
            offset: opt_slice(&self.offset)?,
        })
    }
}

/// A fitted Cox model; see `huisverbod.survival.CoxResult`.
#[pyclass(frozen, module = "huisverbod._core", name = "CoxFit")]
pub struct PyCoxFit {
    inner: CoxFit,
}

#[pymethods]
impl PyCoxFit {
    /// Everything but the baseline, as a dict.
    fn results<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let f = &self.inner;
        let d = PyDict::new(py);
        d.set_item("n", f.n)?;
        d.set_item("n_events", f.n_events)?;
        d.set_item("p", f.p)?;
        d.set_item("n_strata", f.n_strata)?;
        d.set_item("n_clusters", f.n_clusters)?;
        d.set_item("coef", f.coef.clone().into_pyarray(py))?;
        d.set_item("std_err", f.std_err.clone().into_pyarray(py))?;
        d.set_item("z", f.z.clone().into_pyarray(py))?;
        d.set_item("pvalue", f.pvalue.clone().into_pyarray(py))?;
        d.set_item("coef_low", f.coef_low.clone().into_pyarray(py))?;
        d.set_item("coef_high", f.coef_high.clone().into_pyarray(py))?;
        d.set_item("var", matrix(py, &f.var, f.p)?)?;
        d.set_item("naive_var", matrix(py, &f.naive_var, f.p)?)?;
        d.set_item("loglik", f.loglik)?;
        d.set_item("loglik_null", f.loglik_null)?;
        d.set_item("score_test", test_tuple(&f.score_test))?;
        d.set_item(
            "robust_score_test",
            f.robust_score_test.as_ref().map(test_tuple),
        )?;
        d.set_item("wald_test", test_tuple(&f.wald_test))?;
        d.set_item("lr_test", test_tuple(&f.lr_test))?;
        d.set_item("iterations", f.iterations)?;
        d.set_item("converged", f.converged)?;
        d.set_item("aliased", f.aliased.clone().into_pyarray(py))?;
        d.set_item("infinite", f.infinite.clone().into_pyarray(py))?;
        let c = PyDict::new(py);
        c.set_item("value", f.concordance.value)?;
        c.set_item("concordant", f.concordance.concordant)?;
        c.set_item("discordant", f.concordance.discordant)?;
        c.set_item("tied_risk", f.concordance.tied_risk)?;
        c.set_item("tied_time", f.concordance.tied_time)?;
        c.set_item("std_err", f.concordance.std_err)?;
        d.set_item("concordance", c)?;
        d.set_item("means", f.means.clone().into_pyarray(py))?;
        d.set_item("ties", f.ties.as_str())?;
        d.set_item("robust", f.robust)?;
        d.set_item("confidence_level", f.confidence_level)?;
        Ok(d)
    }

    /// Coefficient limits at another confidence level: `(low, high)` arrays.
    fn conf_int<'py>(
        &self,
        py: Python<'py>,
        confidence_level: f64,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        crate::stats::check_level(confidence_level).map_err(|e| to_py(py, e))?;
        let z = crate::stats::normal_quantile(1.0 - (1.0 - confidence_level) / 2.0);
        let f = &self.inner;
        let lo: Vec<f64> = f
            .coef
            .iter()
            .zip(&f.std_err)
            .map(|(b, s)| b - z * s)
            .collect();
        let hi: Vec<f64> = f
            .coef
            .iter()
            .zip(&f.std_err)
            .map(|(b, s)| b + z * s)
            .collect();
        Ok((
            lo.into_pyarray(py).into_any(),
            hi.into_pyarray(py).into_any(),
        ))
    }

    /// The baseline table of stratum `stratum` (dict of arrays).
    fn baseline<'py>(&self, py: Python<'py>, stratum: usize) -> PyResult<Bound<'py, PyDict>> {
        let b =
            self.inner.baseline.get(stratum).ok_or_else(|| {
                PyValueError::new_err(format!("stratum {stratum} does not exist"))
            })?;
        let d = PyDict::new(py);
        d.set_item("time", b.time.clone().into_pyarray(py))?;
        d.set_item("n_risk", u64s(&b.n_risk).into_pyarray(py))?;
        d.set_item("n_event", u64s(&b.n_event).into_pyarray(py))?;
        d.set_item("n_censor", u64s(&b.n_censor).into_pyarray(py))?;
        d.set_item("cumhaz", b.cumhaz.clone().into_pyarray(py))?;
        Ok(d)
    }

    /// Cumulative hazards of the rows of `x` (all in stratum `stratum`) at
    /// the stratum's baseline times: a `times × rows` array.
    fn predict_cumhaz<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'_, f64>,
        stratum: usize,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let shape = x.shape();
        let xs = x.as_slice()?;
        let p = shape[1];
        let mut cols = Vec::with_capacity(shape[0]);
        for row in xs.chunks(p.max(1)).take(shape[0]) {
            cols.push(
                self.inner
                    .predict_cumhaz(row, stratum)
                    .map_err(|e| to_py(py, e))?,
            );
        }
        let nt = self.inner.baseline.get(stratum).map_or(0, |b| b.time.len());
        let rows: Vec<Vec<f64>> = (0..nt)
            .map(|t| cols.iter().map(|c| c[t]).collect())
            .collect();
        if rows.is_empty() {
            return Ok(PyArray2::zeros(py, [0, shape[0]], false));
        }
        PyArray2::from_vec2(py, &rows).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Predicted survival of the rows of `x` (stratum `stratum`) with
    /// standard errors and limits: dict of `times × rows` arrays cumhaz,
    /// std_err, survival, lower, upper, and time.
    fn predict_survival<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'_, f64>,
        stratum: usize,
        conf_type: &str,
        confidence_level: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let ct = self::conf_type(conf_type)?;
        let shape = x.shape();
        let xs = x.as_slice()?;
        let p = shape[1];
        let mut curves = Vec::with_capacity(shape[0]);
        for row in xs.chunks(p.max(1)).take(shape[0]) {
            curves.push(
                self.inner
                    .predict_survival(row, stratum, ct, confidence_level)
                    .map_err(|e| to_py(py, e))?,
            );
        }
        let nt = self.inner.baseline.get(stratum).map_or(0, |b| b.time.len());
        let d = PyDict::new(py);
        let cols = |f: &dyn Fn(&crate::survival::cox::PredictedSurvival) -> &Vec<f64>| -> Vec<f64> {
            let mut v = Vec::with_capacity(nt * curves.len());
            for t in 0..nt {
                v.extend(curves.iter().map(|c| f(c)[t]));
            }
            v
        };
        let shape2 = [nt, curves.len()];
        for (name, v) in [
            ("cumhaz", cols(&|c| &c.cumhaz)),
            ("std_err", cols(&|c| &c.std_err)),
            ("survival", cols(&|c| &c.survival)),
            ("lower", cols(&|c| &c.lower)),
            ("upper", cols(&|c| &c.upper)),
        ] {
            let arr = numpy::ndarray::Array2::from_shape_vec(shape2, v)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            d.set_item(name, arr.into_pyarray(py))?;
        }
        let times = self
            .inner
            .baseline
            .get(stratum)
            .map(|b| b.time.clone())
            .unwrap_or_default();
        d.set_item("time", times.into_pyarray(py))?;
        Ok(d)
    }
}

/// Fits a Cox model.
#[pyfunction]
#[pyo3(signature = (stop, event, x, start=None, strata=None, weights=None, cluster=None,
                    ties="efron", robust=false, confidence_level=0.95, eps=1e-9, iter_max=20,
                    concordance=true, offset=None, init=None))]
#[allow(clippy::too_many_arguments)]
fn cox(
    py: Python<'_>,
    stop: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    x: PyReadonlyArray2<'_, f64>,
    start: Option<PyReadonlyArray1<'_, f64>>,
    strata: Option<PyReadonlyArray1<'_, u32>>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    cluster: Option<PyReadonlyArray1<'_, u32>>,
    ties: &str,
    robust: bool,
    confidence_level: f64,
    eps: f64,
    iter_max: usize,
    concordance: bool,
    offset: Option<PyReadonlyArray1<'_, f64>>,
    init: Option<Vec<f64>>,
) -> PyResult<PyCoxFit> {
    let ties: Ties = ties
        .parse()
        .map_err(|e: crate::Error| PyValueError::new_err(e.to_string()))?;
    let arrays = CoxArrays {
        stop,
        event,
        x,
        start,
        strata,
        weights,
        cluster,
        offset,
    };
    let data = arrays.data()?;
    let opts = CoxOptions {
        ties,
        control: CoxControl {
            eps,
            iter_max,
            ..CoxControl::default()
        },
        robust,
        confidence_level,
        concordance,
        init,
    };
    let fit = py
        .detach(|| cox_fit(&data, &opts))
        .map_err(|e| to_py(py, e))?;
    Ok(PyCoxFit { inner: fit })
}

/// The scaled-Schoenfeld test of proportional hazards for a fit on the same data.
#[pyfunction]
#[pyo3(signature = (fit, stop, event, x, start=None, strata=None, weights=None,
                    transform="km", method="exact", offset=None))]
#[allow(clippy::too_many_arguments)]
fn cox_zph_test<'py>(
    py: Python<'py>,
    fit: &PyCoxFit,
    stop: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    x: PyReadonlyArray2<'_, f64>,
    start: Option<PyReadonlyArray1<'_, f64>>,
    strata: Option<PyReadonlyArray1<'_, u32>>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    transform: &str,
    method: &str,
    offset: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let transform: ZphTransform = transform
        .parse()
        .map_err(|e: crate::Error| PyValueError::new_err(e.to_string()))?;
    let method = match method {
        "exact" => ZphMethod::Exact,
        "approximate" | "lifelines" => ZphMethod::Approximate,
        other => {
            return Err(PyValueError::new_err(format!(
                "method must be 'exact' or 'approximate', got '{other}'"
            )))
        }
    };
    let arrays = CoxArrays {
        stop,
        event,
        x,
        start,
        strata,
        weights,
        cluster: None,
        offset,
    };
    let data = arrays.data()?;
    let z = py
        .detach(|| cox_zph(&data, &fit.inner, transform, method))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("statistic", z.statistic.clone().into_pyarray(py))?;
    d.set_item("df", z.df.clone().into_pyarray(py))?;
    d.set_item("pvalue", z.pvalue.clone().into_pyarray(py))?;
    d.set_item("global", z.global.as_ref().map(test_tuple))?;
    d.set_item("time", z.time.clone().into_pyarray(py))?;
    d.set_item(
        "transformed_time",
        z.transformed_time.clone().into_pyarray(py),
    )?;
    d.set_item(
        "scaled_residuals",
        matrix(py, &z.scaled_residuals, fit.inner.p)?,
    )?;
    d.set_item("transform", transform.as_str())?;
    Ok(d)
}

/// Concordance of a fit on its data: dict value, concordant, discordant, tied_risk, tied_time.
#[pyfunction]
#[pyo3(signature = (fit, stop, event, x, start=None, strata=None, weights=None, offset=None,
                    cluster=None))]
#[allow(clippy::too_many_arguments)]
fn cox_concordance_of<'py>(
    py: Python<'py>,
    fit: &PyCoxFit,
    stop: PyReadonlyArray1<'_, f64>,
    event: PyReadonlyArray1<'_, f64>,
    x: PyReadonlyArray2<'_, f64>,
    start: Option<PyReadonlyArray1<'_, f64>>,
    strata: Option<PyReadonlyArray1<'_, u32>>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    offset: Option<PyReadonlyArray1<'_, f64>>,
    cluster: Option<PyReadonlyArray1<'_, u32>>,
) -> PyResult<Bound<'py, PyDict>> {
    let arrays = CoxArrays {
        stop,
        event,
        x,
        start,
        strata,
        weights,
        cluster,
        offset,
    };
    let data = arrays.data()?;
    let c = py
        .detach(|| cox_concordance(&data, &fit.inner))
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item("value", c.value)?;
    d.set_item("concordant", c.concordant)?;
    d.set_item("discordant", c.discordant)?;
    d.set_item("tied_risk", c.tied_risk)?;
    d.set_item("tied_time", c.tied_time)?;
    d.set_item("std_err", c.std_err)?;
    Ok(d)
}
