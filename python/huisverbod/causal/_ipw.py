"""Inverse-probability weighting (``hv.causal.ipw``): weights, effective
sample size and weighted comparisons of the three recidivism measures."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from .. import _core
from .._display import frame_html
from ..stats._common import check_level
from ._common import ExtremeWeightWarning, row_values
from ._propensity import PropensityResult

__all__ = ["ContrastResult", "IPWResult", "ipw", "unadjusted"]


class ContrastResult:
    """A weighted comparison of an outcome between the groups (see
    :meth:`IPWResult.risk` and :meth:`IPWResult.rate`).

    Attributes
    ----------
    measure : str
        ``"risk"`` (any new incident) or ``"rate"`` (incidents per unit of
        exposure).
    estimand : str
        ``"ATE"`` or ``"ATT"``.
    mean_treated, mean_control : float
        Weighted risks (or rates) in the target population with and without
        the order.
    difference, ratio : float
        ``mean_treated − mean_control`` and ``mean_treated / mean_control``.
    se_difference, se_log_ratio : float
        Standard errors (``se_method``: ``"m-estimation"``, which accounts
        for the estimated propensity score, or ``"fixed-weights"``).
    se_difference_fixed_weights, se_log_ratio_fixed_weights : float
        The same treating the weights as known (the HC0 sandwich of the
        weighted regression; statsmodels WLS/GLM with ``var_weights``).
    pvalue_difference, pvalue_ratio : float
        Two-sided z tests of no difference / ratio 1.
    """

    def __init__(self, r: dict[str, Any], measure: str, outcome: str, per: float = 1.0) -> None:
        self._r = r
        self.measure = measure
        self.outcome = outcome
        self.per = per
        self.estimand = r["estimand"]
        self.mean_treated, self.mean_control = (float(v) for v in r["mean"])
        self.difference = float(r["difference"])
        self.ratio = float(r["ratio"])
        self.se_difference = float(r["se_difference"])
        self.se_log_ratio = float(r["se_log_ratio"])
        self.se_difference_fixed_weights = float(r["se_difference_fixed_weights"])
        self.se_log_ratio_fixed_weights = float(r["se_log_ratio_fixed_weights"])
        self.se_method = r["se_method"]
        self.pvalue_difference = float(r["pvalue_difference"])
        self.pvalue_ratio = float(r["pvalue_ratio"])
        self.confidence_level = float(r["confidence_level"])
        self.ci_difference = tuple(float(v) for v in r["ci_difference"])
        self.ci_ratio = tuple(float(v) for v in r["ci_ratio"])
        self.n_treated, self.n_control = (int(v) for v in r["n"])

    def summary(self) -> pd.DataFrame:
        """Difference and ratio with standard errors, intervals and p-values
        (rates per ``per`` units of exposure)."""
        name = self.measure
        pct = self.per
        return pd.DataFrame(
            {
                "estimate": [self.mean_treated * pct, self.mean_control * pct, self.difference * pct, self.ratio],
                "se": [np.nan, np.nan, self.se_difference * pct, self.se_log_ratio],
                "ci_low": [np.nan, np.nan, self.ci_difference[0] * pct, self.ci_ratio[0]],
                "ci_high": [np.nan, np.nan, self.ci_difference[1] * pct, self.ci_ratio[1]],
                "p": [np.nan, np.nan, self.pvalue_difference, self.pvalue_ratio],
            },
            index=pd.Index(
                [f"{name} treated", f"{name} control", f"{name} difference", f"{name} ratio"],
                name=f"{self.outcome} ({self.estimand})",
            ),
        )

    def evalue(self) -> Any:
        """E-values of the ratio and its interval (:func:`huisverbod.causal.evalue`)."""
        from ._evalue import evalue

        measure = "RR" if self.measure == "risk" else "rate ratio"
        return evalue(self.ratio, self.ci_ratio[0], self.ci_ratio[1], measure=measure)

    def __repr__(self) -> str:
        lo, hi = self.ci_ratio
        return (
            f"<ContrastResult {self.measure} ({self.estimand}): {self.mean_treated:.4g} vs {self.mean_control:.4g}, "
            f"ratio {self.ratio:.3f} ({100 * self.confidence_level:g}% CI {lo:.3f} to {hi:.3f}), SE {self.se_method}>"
        )

    def _repr_html_(self) -> str:
        note = f"Standard errors: {self.se_method}; ratio interval from the log scale."
        return frame_html(f"Weighted {self.measure} comparison", self.summary(), note, "{:.4f}")


class IPWResult:
    """Inverse-probability weights (see :func:`ipw`).

    Attributes
    ----------
    weights : pandas.Series
        One weight per case (index of the propensity score).
    truncated : pandas.Series
        Which weights truncation changed.
    estimand : str
    ess : pandas.Series
        Kish's effective sample size ``(Σw)²/Σw²`` of the treated and control cases.
    propensity : PropensityResult
    """

    def __init__(self, ps: PropensityResult, r: dict[str, Any], estimand: str, stabilize: bool,
                 truncate: tuple[float, float] | None, confidence_level: float) -> None:
        self.propensity = ps
        self.estimand = estimand
        self.stabilize = stabilize
        self.truncate = truncate
        self.confidence_level = confidence_level
        idx = ps.score.index
        self.weights = pd.Series(np.asarray(r["weights"]), index=idx, name="weight")
        self.truncated = pd.Series(np.asarray(r["truncated"]), index=idx, name="truncated")
        self.ess = pd.Series([float(v) for v in r["ess"]], index=["treated", "control"], name="ess")
        self.n = pd.Series([int(v) for v in r["n"]], index=["treated", "control"], name="n")
        self.weight_range = pd.DataFrame(r["range"], index=["treated", "control"], columns=["min", "max"])
        for msg in r["warnings"]:
            warnings.warn(msg, ExtremeWeightWarning, stacklevel=3)

    @property
    def data(self) -> pd.DataFrame:
        """The cases the weights belong to."""
        return self.propensity.data

    def _values(self, v: Any, name: str, data: pd.DataFrame | None) -> np.ndarray:
        src = self.data if data is None else data.loc[self.weights.index]
        if isinstance(v, pd.Series):
            v = v.reindex(self.weights.index)
        arr = row_values(v, src, name, len(self.weights))
        out = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(out).any():
            i = int(np.flatnonzero(np.isnan(out))[0])
            raise ValueError(f"{name} is missing or not numeric for case {self.weights.index[i]!r}")
        return out

    def _contrast(self, y: np.ndarray, denom: np.ndarray | None, se: str) -> dict[str, Any]:
        if se not in ("m-estimation", "fixed-weights"):
            raise ValueError(f"se must be 'm-estimation' or 'fixed-weights', got {se!r}")
        ps = self.propensity
        use_m = se == "m-estimation" and ps.model._prep.weights is None
        return _core.causal_contrast(
            np.ascontiguousarray(y),
            np.ascontiguousarray(ps.treatment),
            np.ascontiguousarray(self.weights.to_numpy(dtype=float)),
            np.ascontiguousarray(self.truncated.to_numpy(dtype=bool)),
            self.estimand,
            None if denom is None else np.ascontiguousarray(denom),
            np.ascontiguousarray(ps.design) if use_m else None,
            np.ascontiguousarray(ps.score.to_numpy()) if use_m else None,
            self.confidence_level,
        )

    def risk(self, outcome: Any, *, data: pd.DataFrame | None = None,
             se: Literal["m-estimation", "fixed-weights"] = "m-estimation") -> ContrastResult:
        """Weighted risk difference and risk ratio of a 0/1 outcome (any new incident).

        ``outcome`` is a column of the propensity data (or of ``data``) or
        an array aligned with the weights.

        With a Firth propensity model, ``se="m-estimation"`` uses the
        maximum-likelihood score equations at the Firth estimate (the penalty
        is left out; see ``docs/causal.md``).
        """
        y = self._values(outcome, "outcome", data)
        if not np.isin(y, (0.0, 1.0)).all():
            raise ValueError("the outcome of risk() must be 0/1 or boolean; use rate() for counts")
        return ContrastResult(self._contrast(y, None, se), "risk", outcome if isinstance(outcome, str) else "outcome")

    def rate(self, count: Any, exposure: Any, *, data: pd.DataFrame | None = None, per: float = 365.0,
             se: Literal["m-estimation", "fixed-weights"] = "m-estimation") -> ContrastResult:
        """Weighted rate difference and rate ratio of a count over its
        exposure (new incidents per ``per`` days of follow-up).

        The ratio equals the treatment coefficient of a weighted Poisson
        regression with ``log(exposure)`` as offset (statsmodels ``GLM``
        with ``var_weights`` and ``exposure``).
        """
        y = self._values(count, "count", data)
        e = self._values(exposure, "exposure", data)
        if (y < 0).any():
            raise ValueError("counts must be non-negative")
        return ContrastResult(self._contrast(y, e, se), "rate", count if isinstance(count, str) else "count", per)

    def cox(self, time: Any, event: Any, *, data: pd.DataFrame | None = None) -> Any:
        """Weighted Cox regression of time to the first incident on the
        treatment, with the robust (sandwich) variance: the hazard ratio in
        the weighted population (:func:`huisverbod.survival.cox`; lifelines
        ``CoxPHFitter(weights_col=..., robust=True)``)."""
        from .. import survival

        t = self._values(time, "time", data)
        ev = self._values(event, "event", data)
        x = pd.DataFrame({"treated": self.propensity.treatment.astype(float)})
        return survival.cox(t, ev, x, weights=self.weights.to_numpy(dtype=float), robust=True,
                            confidence_level=self.confidence_level)

    def kaplan_meier(self, time: Any, event: Any, *, data: pd.DataFrame | None = None, **kwargs: Any) -> Any:
        """Weighted Kaplan–Meier curves per group (``"treated"``, ``"control"``):
        :func:`huisverbod.survival.kaplan_meier` with the weights (lifelines
        ``KaplanMeierFitter(weights=...)`` gives the same curves). Keyword
        arguments go to ``kaplan_meier``."""
        from .. import survival

        t = self._values(time, "time", data)
        ev = self._values(event, "event", data)
        g = np.where(self.propensity.treatment, "treated", "control")
        return survival.kaplan_meier(t, ev, g, weights=self.weights.to_numpy(dtype=float), **kwargs)

    def balance(self, covariates: Sequence[str] | None = None, threshold: float = 0.1) -> Any:
        """Balance of the propensity covariates (or ``covariates``) before and after weighting."""
        from ._balance import balance

        cov = list(self.propensity.covariates if covariates is None else covariates)
        return balance(self.data, cov, self.propensity.treatment, self.weights.to_numpy(), threshold=threshold)

    def __repr__(self) -> str:
        return (
            f"<IPWResult {self.estimand}{' stabilised' if self.stabilize else ''}: "
            f"ESS treated {self.ess['treated']:.1f} of {self.n['treated']}, control {self.ess['control']:.1f} of {self.n['control']}>"
        )

    def _repr_html_(self) -> str:
        df = pd.concat([self.n, self.ess, self.weight_range], axis=1)
        return frame_html(f"Inverse-probability weights ({self.estimand})", df, None, "{:.3f}")


def ipw(
    propensity: PropensityResult,
    *,
    estimand: Literal["ATE", "ATT"] = "ATE",
    stabilize: bool = False,
    truncate: tuple[float, float] | None = None,
    confidence_level: float = 0.95,
) -> IPWResult:
    """Inverse-probability weights from a propensity score.

    Parameters
    ----------
    propensity : PropensityResult
        From :func:`propensity` (trim it first with ``.trim()`` if needed).
    estimand : {"ATE", "ATT"}
        ATE: ``w = T/e + (1 − T)/(1 − e)``; ATT: ``w = T + (1 − T)e/(1 − e)``.
    stabilize : bool
        Multiply ATE weights by the group's share (ATT control weights by
        ``(1 − T̄)/T̄``), so each group's weights sum to about its size. The
        effect estimates do not change (they are ratios of weighted sums).
    truncate : (float, float), optional
        Quantiles at which each group's weights are truncated, e.g.
        ``(0.01, 0.99)``.
    confidence_level : float
        Level of the intervals of the comparisons.

    Returns
    -------
    IPWResult
        Weights, effective sample sizes, and the comparisons :meth:`~IPWResult.risk`,
        :meth:`~IPWResult.rate`, :meth:`~IPWResult.cox`,
        :meth:`~IPWResult.kaplan_meier` and :meth:`~IPWResult.balance`.

    Warns
    -----
    ExtremeWeightWarning
        A group's effective sample size is below 20% of its size.

    Notes
    -----
    Standard errors of the comparisons by M-estimation, stacking the
    propensity score's estimating equations with the weighted means
    (Lunceford & Davidian 2004); see docs/causal.md. Truncated weights are
    treated as fixed in that calculation.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"thv":    [1, 1, 1, 0, 0, 0, 1, 0, 1, 0],
    ...                    "threat": [1, 1, 0, 0, 0, 1, 1, 0, 0, 1],
    ...                    "new":    [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]})
    >>> w = hv.causal.ipw(hv.causal.propensity("thv ~ threat", df))
    >>> w.weights.round(3).tolist()[:4]
    [1.667, 1.667, 2.5, 1.667]
    >>> r = w.risk("new")
    >>> round(r.mean_treated, 3), round(r.mean_control, 3)
    (0.167, 0.833)
    """
    if not isinstance(propensity, PropensityResult):
        raise TypeError("ipw() needs the result of hv.causal.propensity(...)")
    check_level(confidence_level)
    if truncate is not None:
        if len(truncate) != 2:
            raise ValueError(f"truncate must be a pair of quantiles such as (0.01, 0.99), got {truncate!r}")
        truncate = (float(truncate[0]), float(truncate[1]))
    r = _core.causal_weights(
        np.ascontiguousarray(propensity.score.to_numpy()),
        np.ascontiguousarray(propensity.treatment),
        estimand,
        bool(stabilize),
        truncate,
    )
    return IPWResult(propensity, r, estimand, bool(stabilize), truncate, confidence_level)


def unadjusted(y: Any, treatment: Any, *, exposure: Any = None, measure: Literal["risk", "rate"] = "risk",
               confidence_level: float = 0.95, per: float = 365.0) -> ContrastResult:
    """The unweighted comparison on the same scale as :meth:`IPWResult.risk`
    / :meth:`IPWResult.rate`: risks (or rates) per group, their difference
    (Wald SE ``sqrt(p₁(1 − p₁)/n₁ + p₀(1 − p₀)/n₀)`` for risks) and ratio
    (Katz's log-scale SE for risks; the Poisson sandwich for rates).

    Examples
    --------
    >>> import huisverbod as hv
    >>> r = hv.causal.unadjusted([1, 0, 0, 0, 1, 1, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0])
    >>> round(r.ratio, 3), round(r.se_log_ratio, 4)   # Katz: √((1 − ¼)/1 + (1 − ½)/2) = 1
    (0.5, 1.0)
    """
    from ._common import treatment_mask

    check_level(confidence_level)
    t = treatment_mask(row_values(treatment, None, "treatment"))
    yy = np.asarray(row_values(y, None, "y", len(t)), dtype=float)
    d = None if exposure is None else np.ascontiguousarray(row_values(exposure, None, "exposure", len(t)), dtype=float)
    r = _core.causal_contrast(np.ascontiguousarray(yy), np.ascontiguousarray(t), np.ones(len(t)),
                              np.zeros(len(t), dtype=bool), "ATE", d, None, None, confidence_level)
    return ContrastResult(r, measure, "outcome", per if measure == "rate" else 1.0)
