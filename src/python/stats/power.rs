//! Bindings of `crate::stats::power`.

use super::{alternative, err};
use crate::stats::accurate;
use crate::stats::power::{Logrank, ProportionsMethod, TwoMeans, TwoProportions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Adds this family's functions to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(power_two_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(power_two_means, m)?)?;
    m.add_function(wrap_pyfunction!(power_logrank, m)?)?;
    m.add_function(wrap_pyfunction!(nct_tails, m)?)?;
    Ok(())
}

/// Power / sample size / detectable p2 for two proportions; a dict with p1,
/// p2, p2_above, n1, n2, effect_size, alpha, power, alternative, method,
/// solved_for.
#[pyfunction]
#[pyo3(signature = (p1, p2, n1, ratio=1.0, alpha=0.05, power=None, alternative="two-sided", method="arcsine"))]
#[allow(clippy::too_many_arguments)]
fn power_two_proportions<'py>(
    py: Python<'py>,
    p1: f64,
    p2: Option<f64>,
    n1: Option<f64>,
    ratio: f64,
    alpha: f64,
    power: Option<f64>,
    alternative: &str,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let plan = TwoProportions {
        p1,
        p2,
        n1,
        ratio,
        alpha,
        power,
        alternative: self::alternative(alternative)?,
        method: method
            .parse::<ProportionsMethod>()
            .map_err(|e| err(py, e))?,
    };
    let r = plan.solve().map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("p1", r.p1)?;
    d.set_item("p2", r.p2)?;
    d.set_item("p2_above", r.p2_above)?;
    d.set_item("n1", r.n1)?;
    d.set_item("n2", r.n2)?;
    d.set_item("effect_size", r.effect_size)?;
    d.set_item("alpha", r.alpha)?;
    d.set_item("power", r.power)?;
    d.set_item("alternative", r.alternative.as_str())?;
    d.set_item("method", r.method.as_str())?;
    d.set_item("solved_for", r.solved_for.as_str())?;
    Ok(d)
}

/// Power / sample size / detectable Cohen's d for the two-sample t-test; a
/// dict with effect_size, n1, n2, df, alpha, power, alternative, solved_for.
#[pyfunction]
#[pyo3(signature = (effect_size, n1, ratio=1.0, alpha=0.05, power=None, alternative="two-sided"))]
fn power_two_means<'py>(
    py: Python<'py>,
    effect_size: Option<f64>,
    n1: Option<f64>,
    ratio: f64,
    alpha: f64,
    power: Option<f64>,
    alternative: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let plan = TwoMeans {
        effect_size,
        n1,
        ratio,
        alpha,
        power,
        alternative: self::alternative(alternative)?,
    };
    let r = py.detach(|| plan.solve()).map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("effect_size", r.effect_size)?;
    d.set_item("n1", r.n1)?;
    d.set_item("n2", r.n2)?;
    d.set_item("df", r.df)?;
    d.set_item("alpha", r.alpha)?;
    d.set_item("power", r.power)?;
    d.set_item("alternative", r.alternative.as_str())?;
    d.set_item("solved_for", r.solved_for.as_str())?;
    Ok(d)
}

/// Schoenfeld's log-rank planning; a dict with hazard_ratio, events,
/// allocation, alpha, power, alternative, solved_for.
#[pyfunction]
#[pyo3(signature = (hazard_ratio, events, allocation=0.5, alpha=0.05, power=None, alternative="two-sided"))]
fn power_logrank<'py>(
    py: Python<'py>,
    hazard_ratio: Option<f64>,
    events: Option<f64>,
    allocation: f64,
    alpha: f64,
    power: Option<f64>,
    alternative: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let plan = Logrank {
        hazard_ratio,
        events,
        allocation,
        alpha,
        power,
        alternative: self::alternative(alternative)?,
    };
    let r = plan.solve().map_err(|e| err(py, e))?;
    let d = PyDict::new(py);
    d.set_item("hazard_ratio", r.hazard_ratio)?;
    d.set_item("events", r.events)?;
    d.set_item("allocation", r.allocation)?;
    d.set_item("alpha", r.alpha)?;
    d.set_item("power", r.power)?;
    d.set_item("alternative", r.alternative.as_str())?;
    d.set_item("solved_for", r.solved_for.as_str())?;
    Ok(d)
}

/// `(P(T ≤ t), P(T > t))` of the noncentral t distribution (for tests).
#[pyfunction]
fn nct_tails(t: f64, df: f64, nc: f64) -> (f64, f64) {
    accurate::nct_tails(t, df, nc)
}
