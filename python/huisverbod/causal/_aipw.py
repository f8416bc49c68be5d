"""The doubly robust (AIPW) risk difference.

The three logistic regressions, the influence-function standard error and
the bootstrap run in the Rust core (``huisverbod::causal::aipw``); this
module builds the design from a formula or columns and shapes the result.
"""

from __future__ import annotations

import html
import math
import warnings
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import _core
from .._display import frame_html
from ..stats._common import ConfidenceInterval, check_level
from ._match import _column, _reference_index, _rhs, _treatment01

__all__ = ["AIPWBootstrap", "AIPWResult", "PositivityWarning", "aipw"]


class PositivityWarning(UserWarning):
    """Some propensity scores lie outside [0.01, 0.99]: those rows get
    inverse weights above 100 and dominate the estimate. Check the overlap
    and consider dropping or coarsening the covariates that separate the
    groups, or trimming."""


class AIPWBootstrap(NamedTuple):
    """The bootstrap of the AIPW risk difference."""

    se: float
    confidence_interval: ConfidenceInterval
    distribution: np.ndarray
    n_failed: int
    n_patterns: int
    max_iterations: int
    seed: int


class AIPWResult:
    """The result of :func:`aipw`.

    Attributes
    ----------
    estimate : float
        The risk difference (ATE): ``risk_treated − risk_control``.
    se : float
        Influence-function standard error.
    statistic, pvalue : float
        z = estimate/se and its two-sided normal p-value.
    risk_treated, risk_control : float
        The standardised risks had everyone (no one) been treated.
    ps, mu1, mu0 : Series
        Fitted propensity score and outcome-model risks per row used.
    propensity, outcome_treated, outcome_control : DataFrame
        Coefficients and SEs of the three logistic regressions.
    bootstrap : AIPWBootstrap or None
        Percentile interval and SE of ``n_bootstrap`` seeded replicates.
    """

    def __init__(self, r: dict[str, Any], index: pd.Index, names: list[str], confidence_level: float) -> None:
        self._r = r
        self.estimate = float(r["estimate"])
        self.se = float(r["se"])
        self.statistic = float(r["statistic"])
        self.pvalue = float(r["pvalue"])
        self.risk_treated = float(r["risk_treated"])
        self.risk_control = float(r["risk_control"])
        self.se_risk_treated, self.se_risk_control = (float(v) for v in r["se_risks"])
        self.nobs = int(r["n"])
        self.n_treated = int(r["n_treated"])
        self.n_extreme_ps = int(r["n_extreme_ps"])
        self.warnings = list(r["warnings"])
        self.confidence_level = confidence_level
        self.ps = pd.Series(r["ps"], index=index, name="ps")
        self.mu1 = pd.Series(r["mu1"], index=index, name="mu1")
        self.mu0 = pd.Series(r["mu0"], index=index, name="mu0")

        def table(d: dict[str, Any]) -> pd.DataFrame:
            return pd.DataFrame({"coef": d["params"], "se": d["bse"]}, index=pd.Index(names, name="term"))

        self.propensity = table(r["propensity"])
        self.outcome_treated = table(r["outcome_treated"])
        self.outcome_control = table(r["outcome_control"])
        b = r.get("bootstrap")
        self.bootstrap = (
            None
            if b is None
            else AIPWBootstrap(
                se=float(b["se"]),
                confidence_interval=ConfidenceInterval(*b["ci"]),
                distribution=np.asarray(b["distribution"]),
                n_failed=int(b["n_failed"]),
                n_patterns=int(b["n_patterns"]),
                max_iterations=int(b["max_iterations"]),
                seed=int(b["seed"]),
            )
        )

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """Normal interval ``estimate ∓ z·se`` from the influence-function SE
        (at the fitted level the Rust core's interval)."""
        level = self.confidence_level if confidence_level is None else check_level(confidence_level)
        if level == self.confidence_level:
            return ConfidenceInterval(*self._r["ci"])
        from statistics import NormalDist

        z = NormalDist().inv_cdf(0.5 + level / 2)
        return ConfidenceInterval(self.estimate - z * self.se, self.estimate + z * self.se)

    def summary(self) -> pd.DataFrame:
        """Risks and the risk difference with influence-function SEs and
        intervals (and the bootstrap SE and percentile interval of the
        difference when it was run)."""
        from statistics import NormalDist

        z = NormalDist().inv_cdf(0.5 + self.confidence_level / 2)
        rows = []
        for name, est, se in (
            ("risk_treated", self.risk_treated, self.se_risk_treated),
            ("risk_control", self.risk_control, self.se_risk_control),
            ("risk_difference", self.estimate, self.se),
        ):
            rows.append({"estimate": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se})
        ci = self.confidence_interval()
        rows[2]["ci_low"], rows[2]["ci_high"] = ci.low, ci.high
        out = pd.DataFrame(rows, index=pd.Index(["risk_treated", "risk_control", "risk_difference"], name="quantity"))
        out["z"] = [math.nan, math.nan, self.statistic]
        out["p"] = [math.nan, math.nan, self.pvalue]
        if self.bootstrap is not None:
            b = self.bootstrap
            out["bootstrap_se"] = [math.nan, math.nan, b.se]
            out["bootstrap_ci_low"] = [math.nan, math.nan, b.confidence_interval.low]
            out["bootstrap_ci_high"] = [math.nan, math.nan, b.confidence_interval.high]
        return out

    def __repr__(self) -> str:
        ci = self.confidence_interval()
        s = (
            f"AIPWResult(risk difference {self.estimate:.4f} (SE {self.se:.4f}), "
            f"{self.confidence_level:.0%} CI [{ci.low:.4f}, {ci.high:.4f}], p = {self.pvalue:.4g}; "
            f"risks {self.risk_treated:.4f} vs {self.risk_control:.4f}; n = {self.nobs}, treated {self.n_treated}"
        )
        if self.bootstrap is not None:
            b = self.bootstrap
            s += (
                f"; bootstrap SE {b.se:.4f}, percentile CI [{b.confidence_interval.low:.4f}, "
                f"{b.confidence_interval.high:.4f}] from {len(b.distribution) - b.n_failed} replicates"
            )
        return s + ")"

    def _repr_html_(self) -> str:
        return frame_html(
            "Doubly robust (AIPW) risk difference",
            self.summary(),
            note=f"n = {self.nobs}; influence-function SEs; level {self.confidence_level:.0%}",
            float_format="{:.4f}",
        ) + (f"<p>{html.escape(w)}</p>" if (w := "; ".join(self.warnings)) else "")


def aipw(
    outcome: Any,
    treatment: Any,
    covariates: Any,
    data: pd.DataFrame | None = None,
    *,
    treated_value: Any = None,
    n_bootstrap: int = 1000,
    seed: int = 0,
    threads: int | None = None,
    confidence_level: float = 0.95,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> AIPWResult:
    """The doubly robust (AIPW) risk difference of a binary outcome.

    The propensity score is a logistic regression of the treatment on the
    covariates; the outcome risk is a logistic regression on the same
    covariates fitted separately among treated and controls. The estimate
    and its influence-function SE are stated in ``docs/causal_matching.md``.

    Parameters
    ----------
    outcome, treatment : str or array-like
        Columns of ``data`` (or arrays). The outcome is 0/1 or boolean; the
        treatment too, or any values with ``treated_value`` (the cohort's
        ``group`` works as it is: thv is treated).
    covariates : list of str, formula text, or 2-d array
        The models' right-hand side: ``["age", "threat"]`` or
        ``"age + C(education)"`` with ``data``; or a numeric array (an
        intercept is added). Rows with a missing value are dropped.
    n_bootstrap : int
        Bootstrap replicates (0 for none); seeded, identical for any
        ``threads``.
    seed, threads : int
    confidence_level : float
    max_iter, tol : Newton's iteration limit and tolerance (all fits).

    Returns
    -------
    AIPWResult

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"z": [0] * 6 + [1] * 6,
    ...                    "t": [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1],
    ...                    "y": [0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1]})
    >>> r = hv.causal.aipw("y", "t", ["z"], df, n_bootstrap=0)
    >>> round(r.estimate, 4)   # ½·(2/3 − 1/3) + ½·(3/4 − 1/2): z-standardised
    0.2917
    """
    check_level(confidence_level)
    if int(n_bootstrap) < 0:
        raise ValueError(f"n_bootstrap must be 0 or more, got {n_bootstrap!r}")
    ref = _reference_index(treatment, data)
    t_s = _treatment01(_column(treatment, data, "treatment", ref), treated_value)
    y_s = _column(outcome, data, "outcome", t_s.index)
    try:
        y_all = y_s.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError("outcome must be 0/1 or boolean") from None
    keep = ~np.isnan(y_all) & t_s.notna().to_numpy()
    if data is not None and not isinstance(covariates, np.ndarray):
        from ..models import _prepare, _user_context

        frame = data.loc[keep].assign(_treatment_=t_s.to_numpy()[keep])
        prep = _prepare(
            "logit", f"_treatment_ ~ {_rhs(covariates)}", frame, None, None, None, None, None, None, "drop",
            _user_context(),
        )
        index, x, names = prep.index, prep.x, list(prep.names)
        t = prep.y
        y = pd.Series(y_all, index=y_s.index).loc[index].to_numpy()
    else:
        xa = np.asarray(covariates, dtype=np.float64)
        if xa.ndim == 1:
            xa = xa[:, None]
        if xa.ndim != 2 or xa.shape[0] != len(y_all):
            raise ValueError(f"covariates must be an array with {len(y_all)} rows, got shape {xa.shape}")
        keep &= ~np.isnan(xa).any(axis=1)
        x = np.column_stack([np.ones(int(keep.sum())), xa[keep]])
        names = ["Intercept"] + [f"x{j}" for j in range(xa.shape[1])]
        index = y_s.index[keep]
        t = t_s.to_numpy()[keep]
        y = y_all[keep]
    bad = (y != 0.0) & (y != 1.0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"outcome must be 0/1 or boolean; row {index[i]!r} has {y[i]!r}")
    r = _core.causal_aipw(
        np.ascontiguousarray(y, dtype=np.float64),
        np.ascontiguousarray(t, dtype=np.float64),
        np.ascontiguousarray(x, dtype=np.float64),
        names,
        int(n_bootstrap),
        int(seed),
        threads,
        float(confidence_level),
        int(max_iter),
        float(tol),
    )
    for msg in r["warnings"]:
        if "propensity scores outside" in msg:
            warnings.warn(msg, PositivityWarning, stacklevel=2)
        else:
            from ..models import ConvergenceWarning, SeparationWarning

            cls = SeparationWarning if "separation" in msg and "bootstrap" not in msg else ConvergenceWarning
            warnings.warn(msg, cls, stacklevel=2)
    return AIPWResult(r, index, names, float(confidence_level))
