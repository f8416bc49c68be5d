//! Bindings of `crate::models`: one fitting function for every model and a
//! frozen class holding the fit; `huisverbod/models.py` builds the public
//! result objects (labels, DataFrames, formulas).

use super::errors::to_py;
use crate::models::{
    firth, firth_logit, logit, negbin, ols, poisson, ChiSquareTest, CovType, FitOptions, ModelData,
    ModelFit, WeightKind,
};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Adds the model functions and classes to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyModelFit>()?;
    m.add_function(wrap_pyfunction!(model_fit, m)?)?;
    m.add_function(wrap_pyfunction!(logit_profile, m)?)?;
    m.add_function(wrap_pyfunction!(model_lr_test, m)?)?;
    Ok(())
}

/// The arrays of a model, borrowed from numpy.
struct Arrays<'py> {
    y: PyReadonlyArray1<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    offset: Option<PyReadonlyArray1<'py, f64>>,
    clusters: Option<PyReadonlyArray1<'py, i64>>,
}

impl<'py> Arrays<'py> {
    fn data<'a>(&'a self, names: &'a [String], weight_type: &str) -> PyResult<ModelData<'a>> {
        let shape = self.x.shape();
        if shape[1] != names.len() {
            return Err(PyValueError::new_err(format!(
                "x has {} columns but {} names were given",
                shape[1],
                names.len()
            )));
        }
        let x = self
            .x
            .as_slice()
            .map_err(|_| PyValueError::new_err("x must be a C-contiguous float64 array"))?;
        let mut d = ModelData::new(self.y.as_slice()?, x, names)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        if let Some(w) = &self.weights {
            let kind: WeightKind = weight_type
                .parse()
                .map_err(|e: crate::Error| PyValueError::new_err(e.to_string()))?;
            d = d.with_weights(w.as_slice()?, kind);
        }
        if let Some(o) = &self.offset {
            d = d.with_offset(o.as_slice()?);
        }
        if let Some(c) = &self.clusters {
            d = d.with_clusters(c.as_slice()?);
        }
        Ok(d)
    }
}

fn options(cov_type: &str, max_iter: usize, tol: f64, use_t: Option<bool>) -> PyResult<FitOptions> {
    let cov_type: CovType = cov_type
        .parse()
        .map_err(|e: crate::Error| PyValueError::new_err(e.to_string()))?;
    Ok(FitOptions {
        cov_type,
        max_iter,
        tol,
        use_t,
        ..FitOptions::default()
    })
}

/// Fits a model: `kind` is logit, ols, poisson or negbin; `method` ml or firth.
#[pyfunction]
#[pyo3(signature = (kind, y, x, names, weights=None, weight_type="frequency", offset=None,
                    clusters=None, cov_type="nonrobust", method="ml", max_iter=100, tol=1e-10,
                    use_t=None))]
#[allow(clippy::too_many_arguments)]
fn model_fit<'py>(
    py: Python<'py>,
    kind: &str,
    y: PyReadonlyArray1<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
    names: Vec<String>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    weight_type: &str,
    offset: Option<PyReadonlyArray1<'py, f64>>,
    clusters: Option<PyReadonlyArray1<'py, i64>>,
    cov_type: &str,
    method: &str,
    max_iter: usize,
    tol: f64,
    use_t: Option<bool>,
) -> PyResult<PyModelFit> {
    let arrays = Arrays {
        y,
        x,
        weights,
        offset,
        clusters,
    };
    let data = arrays.data(&names, weight_type)?;
    let opts = options(cov_type, max_iter, tol, use_t)?;
    let f = match (kind, method) {
        ("logit", "ml") => logit,
        ("logit", "firth") => firth_logit,
        ("ols", "ml" | "ols") => ols,
        ("poisson", "ml") => poisson,
        ("negbin", "ml") => negbin,
        _ => {
            return Err(PyValueError::new_err(format!(
                "unknown model '{kind}' with method '{method}' (firth is for logit only)"
            )))
        }
    };
    let fit = py.detach(|| f(&data, &opts)).map_err(|e| to_py(py, e))?;
    Ok(PyModelFit { inner: fit })
}

/// Profile-likelihood intervals (and, with `tests`, LR tests of each
/// coefficient) for a logistic fit on the same data.
#[pyfunction]
#[pyo3(signature = (fit, y, x, names, weights=None, weight_type="frequency", offset=None,
                    confidence_level=0.95, tests=false, max_iter=100))]
#[allow(clippy::too_many_arguments)]
fn logit_profile<'py>(
    py: Python<'py>,
    fit: &PyModelFit,
    y: PyReadonlyArray1<'py, f64>,
    x: PyReadonlyArray2<'py, f64>,
    names: Vec<String>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    weight_type: &str,
    offset: Option<PyReadonlyArray1<'py, f64>>,
    confidence_level: f64,
    tests: bool,
    max_iter: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let arrays = Arrays {
        y,
        x,
        weights,
        offset,
        clusters: None,
    };
    let data = arrays.data(&names, weight_type)?;
    let opts = FitOptions {
        max_iter,
        ..FitOptions::default()
    };
    let f = &fit.inner;
    let (ci, lr) = py
        .detach(|| -> crate::Result<_> {
            let ci = firth::profile_intervals(&data, f, confidence_level, &opts)?;
            let lr = if tests {
                Some(firth::lr_tests(&data, f, &opts)?)
            } else {
                None
            };
            Ok((ci, lr))
        })
        .map_err(|e| to_py(py, e))?;
    let d = PyDict::new(py);
    d.set_item(
        "lower",
        ci.iter().map(|c| c.0).collect::<Vec<_>>().into_pyarray(py),
    )?;
    d.set_item(
        "upper",
        ci.iter().map(|c| c.1).collect::<Vec<_>>().into_pyarray(py),
    )?;
    if let Some(lr) = lr {
        d.set_item(
            "statistic",
            lr.iter().map(|c| c.0).collect::<Vec<_>>().into_pyarray(py),
        )?;
        d.set_item(
            "pvalue",
            lr.iter().map(|c| c.1).collect::<Vec<_>>().into_pyarray(py),
        )?;
    }
    Ok(d)
}

/// LR test of `restricted` nested in `full`: `(statistic, df, pvalue)`.
#[pyfunction]
fn model_lr_test(
    py: Python<'_>,
    full: &PyModelFit,
    restricted: &PyModelFit,
) -> PyResult<(f64, f64, f64)> {
    let t = crate::models::lr_test(&full.inner, &restricted.inner).map_err(|e| to_py(py, e))?;
    Ok((t.statistic, t.df, t.pvalue))
}

fn chi2_tuple(t: &Option<ChiSquareTest>) -> Option<(f64, f64, f64)> {
    t.map(|t| (t.statistic, t.df, t.pvalue))
}

/// A fitted model; see `huisverbod.models.RegressionResult`.
#[pyclass(frozen, module = "huisverbod._core", name = "ModelFit")]
pub struct PyModelFit {
    inner: ModelFit,
}

#[pymethods]
impl PyModelFit {
    /// Everything as a dict (arrays as numpy arrays).
    fn results<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let f = &self.inner;
        let k = f.params.len();
        let d = PyDict::new(py);
        d.set_item("model", f.model.as_str())?;
        d.set_item("method", &f.method)?;
        d.set_item("names", &f.names)?;
        d.set_item("params", f.params.clone().into_pyarray(py))?;
        d.set_item("bse", f.bse.clone().into_pyarray(py))?;
        let cov = PyArray2::from_vec2(
            py,
            &(0..k)
                .map(|i| f.cov_params[i * k..(i + 1) * k].to_vec())
                .collect::<Vec<_>>(),
        )?;
        d.set_item("cov_params", cov)?;
        d.set_item("statistics", f.statistics.clone().into_pyarray(py))?;
        d.set_item("pvalues", f.pvalues.clone().into_pyarray(py))?;
        d.set_item("use_t", f.use_t)?;
        d.set_item("df_inference", f.df_inference)?;
        d.set_item("nobs", f.nobs)?;
        d.set_item("n_rows", f.n_rows)?;
        d.set_item("df_model", f.df_model)?;
        d.set_item("df_resid", f.df_resid)?;
        d.set_item("k_constant", f.k_constant)?;
        d.set_item("llf", f.llf)?;
        d.set_item("llnull", f.llnull)?;
        d.set_item("aic", f.aic)?;
        d.set_item("bic", f.bic)?;
        d.set_item("scale", f.scale)?;
        d.set_item("cov_type", f.cov_type.as_str())?;
        d.set_item("n_clusters", f.n_clusters)?;
        d.set_item("weight_type", f.weight_kind.map(|w| w.as_str()))?;
        d.set_item("converged", f.converged)?;
        d.set_item("iterations", f.iterations)?;
        let hist = PyList::empty(py);
        for h in &f.history {
            hist.append((h.iteration, h.llf, h.halvings, h.max_change))?;
        }
        d.set_item("history", hist)?;
        d.set_item("lr_test", chi2_tuple(&f.lr_test))?;
        d.set_item("fitted", f.fitted.clone().into_pyarray(py))?;
        d.set_item(
            "linear_predictor",
            f.linear_predictor.clone().into_pyarray(py),
        )?;
        if let Some(b) = &f.binary {
            let bd = PyDict::new(py);
            bd.set_item("r2_cox_snell", b.r2_cox_snell)?;
            bd.set_item("r2_nagelkerke", b.r2_nagelkerke)?;
            bd.set_item("r2_mcfadden", b.r2_mcfadden)?;
            match &b.hosmer_lemeshow {
                Some(h) => {
                    let hd = PyDict::new(py);
                    hd.set_item("statistic", h.statistic)?;
                    hd.set_item("df", h.df)?;
                    hd.set_item("pvalue", h.pvalue)?;
                    let rows: Vec<Vec<f64>> = h.table.iter().map(|r| r.to_vec()).collect();
                    hd.set_item("table", rows)?;
                    bd.set_item("hosmer_lemeshow", hd)?;
                }
                None => bd.set_item("hosmer_lemeshow", py.None())?,
            }
            bd.set_item("hosmer_lemeshow_note", &b.hosmer_lemeshow_note)?;
            let c = &b.classification;
            bd.set_item("cut", c.cut)?;
            bd.set_item(
                "classification",
                vec![c.table[0].to_vec(), c.table[1].to_vec()],
            )?;
            bd.set_item("percent_correct", c.percent_correct.to_vec())?;
            d.set_item("binary", bd)?;
        } else {
            d.set_item("binary", py.None())?;
        }
        if let Some(l) = &f.linear {
            let ld = PyDict::new(py);
            ld.set_item("rsquared", l.rsquared)?;
            ld.set_item("rsquared_adj", l.rsquared_adj)?;
            ld.set_item("fvalue", l.fvalue)?;
            ld.set_item("f_pvalue", l.f_pvalue)?;
            ld.set_item("f_df", l.f_df)?;
            ld.set_item("ssr", l.ssr)?;
            ld.set_item("ess", l.ess)?;
            ld.set_item("tss", l.tss)?;
            ld.set_item("mse_resid", l.mse_resid)?;
            d.set_item("linear", ld)?;
        } else {
            d.set_item("linear", py.None())?;
        }
        if let Some(c) = &f.count {
            let cd = PyDict::new(py);
            cd.set_item("alpha", c.alpha)?;
            cd.set_item("alpha_se", c.alpha_se)?;
            cd.set_item("llf_poisson", c.llf_poisson)?;
            cd.set_item("lr_test_poisson", chi2_tuple(&c.lr_test_poisson))?;
            cd.set_item("pearson_chi2", c.pearson_chi2)?;
            cd.set_item("deviance", c.deviance)?;
            d.set_item("count", cd)?;
        } else {
            d.set_item("count", py.None())?;
        }
        match &f.separation {
            Some(s) => {
                let sd = PyDict::new(py);
                sd.set_item(
                    "kind",
                    match s.kind {
                        crate::models::SeparationKind::Complete => "complete",
                        crate::models::SeparationKind::QuasiComplete => "quasi-complete",
                    },
                )?;
                sd.set_item("variables", &s.variables)?;
                sd.set_item("n_perfect", s.n_perfect)?;
                sd.set_item("message", &s.message)?;
                d.set_item("separation", sd)?;
            }
            None => d.set_item("separation", py.None())?,
        }
        d.set_item("warnings", &f.warnings)?;
        Ok(d)
    }

    /// `(lower, upper)` Wald limits at `confidence_level`.
    fn conf_int<'py>(
        &self,
        py: Python<'py>,
        confidence_level: f64,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let ci = self
            .inner
            .conf_int(confidence_level)
            .map_err(|e| to_py(py, e))?;
        Ok((
            ci.iter()
                .map(|c| c.0)
                .collect::<Vec<_>>()
                .into_pyarray(py)
                .into_any(),
            ci.iter()
                .map(|c| c.1)
                .collect::<Vec<_>>()
                .into_pyarray(py)
                .into_any(),
        ))
    }

    /// Predicted means (or the linear predictor) for new rows.
    #[pyo3(signature = (x, offset=None, linear=false))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
        offset: Option<PyReadonlyArray1<'py, f64>>,
        linear: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = self.inner.n_exog();
        let shape = x.shape();
        if shape[1] != p {
            return Err(PyValueError::new_err(format!(
                "x has {} columns; the model has {p} ({})",
                shape[1],
                self.inner.names[..p].join(", ")
            )));
        }
        let xs = x
            .as_slice()
            .map_err(|_| PyValueError::new_err("x must be a C-contiguous float64 array"))?;
        let o = match &offset {
            Some(o) => Some(o.as_slice()?),
            None => None,
        };
        let v = self
            .inner
            .predict(xs, o, linear)
            .map_err(|e| to_py(py, e))?;
        Ok(v.into_pyarray(py).into_any())
    }

    /// Wald chi-square test that the coefficients at `indices` are zero:
    /// `(W, q, p)`.
    fn wald(&self, py: Python<'_>, indices: Vec<usize>) -> PyResult<(f64, usize, f64)> {
        let (w, q) = self.inner.wald(&indices).map_err(|e| to_py(py, e))?;
        Ok((w, q, crate::stats::pvalue_chi2(w, q as f64)))
    }

    /// The linear combination `c'β` with its Wald inference
    /// (`ModelFit::contrast`): `(estimate, se, statistic, p, ci_low, ci_high)`.
    fn contrast(
        &self,
        py: Python<'_>,
        c: Vec<f64>,
        level: f64,
    ) -> PyResult<(f64, f64, f64, f64, f64, f64)> {
        let r = self.inner.contrast(&c, level).map_err(|e| to_py(py, e))?;
        Ok((r.estimate, r.se, r.statistic, r.pvalue, r.ci.0, r.ci.1))
    }
}
