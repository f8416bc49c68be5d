"""E-values (``hv.causal.evalue``)."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from .. import _core
from .._display import frame_html

__all__ = ["EValueResult", "evalue"]


class EValueResult:
    """E-values of an estimate and its interval (see :func:`evalue`).

    Attributes
    ----------
    point : float
        E-value of the estimate.
    limit : float or None
        E-value of the interval limit nearer the null (1 when the interval
        contains the null; None without an interval).
    rr : tuple
        Estimate, lower and upper limit on the risk-ratio scale.
    """

    def __init__(self, r: dict[str, Any], estimate: float, lo: float | None, hi: float | None) -> None:
        self.measure = r["measure"]
        self.rare = bool(r["rare"])
        self.point = float(r["point"])
        self.limit = None if r["limit"] is None else float(r["limit"])
        self.rr = tuple(r["rr"])
        self.true_value = float(r["true_value"])
        self.estimate, self.lo, self.hi = estimate, lo, hi

    def summary(self) -> pd.DataFrame:
        """Estimate, its risk-ratio equivalent and the E-values.

        The limit shown is the one the core's E-value belongs to: the lower
        limit when the estimate lies at or above the null (``true``; on the
        risk-ratio scale ``rr ≥ r₀``), the upper one below it."""
        above = self.rr[0] >= self.true_value
        return pd.DataFrame(
            {"estimate": [self.estimate, self.lo if above else self.hi],
             "RR scale": [self.rr[0], self.rr[1] if above else self.rr[2]],
             "E-value": [self.point, self.limit]},
            index=pd.Index(["point", "CI limit nearer the null"], name=self.measure),
        )

    def __repr__(self) -> str:
        lim = "–" if self.limit is None else f"{self.limit:.3f}"
        return f"<EValueResult {self.measure} {self.estimate:.3g}: E-value {self.point:.3f} (CI limit {lim})>"

    def _repr_html_(self) -> str:
        note = ("The E-value is the minimum risk ratio an unmeasured confounder would need with both the "
                "treatment and the outcome to explain the estimate (or its interval limit) away.")
        return frame_html("E-values", self.summary(), note, "{:.3f}")


def evalue(
    estimate: float,
    lo: float | None = None,
    hi: float | None = None,
    *,
    measure: Literal["RR", "OR", "HR", "rate ratio", "SMD"] = "RR",
    rare: bool = False,
    true: float | None = None,
) -> EValueResult:
    """E-values: how strong an unmeasured confounder would have to be to explain an estimate away.

    Parameters
    ----------
    estimate : float
        The estimate: a risk, odds, hazard or rate ratio, or a standardised
        mean difference.
    lo, hi : float, optional
        Its confidence limits.
    measure : {"RR", "OR", "HR", "rate ratio", "SMD"}
        The scale of ``estimate``.
    rare : bool
        For odds and hazard ratios: the outcome is rare (< 15% by the end of
        follow-up), so they approximate risk ratios; otherwise the
        square-root conversions are used.
    true : float, optional
        The null value (default 1 for ratios, 0 for an SMD).

    Returns
    -------
    EValueResult

    Notes
    -----
    VanderWeele & Ding (2017): ``E = RR + sqrt(RR(RR − 1))`` for RR ≥ 1
    (1/RR below 1). Common outcomes: ``RR ≈ sqrt(OR)``; ``RR ≈ (1 −
    0.5^sqrt(HR))/(1 − 0.5^sqrt(1/HR))``; SMD: ``RR ≈ exp(0.91 d)``. The
    same formulas as R's ``EValue`` package.

    References
    ----------
    VanderWeele & Ding (2017), Ann. Intern. Med. 167, 268–274.

    Examples
    --------
    >>> import huisverbod as hv
    >>> e = hv.causal.evalue(3.9, 1.8, 8.7)      # the paper's example: 3.9 + √(3.9·2.9), 1.8 + √(1.8·0.8)
    >>> round(e.point, 2), round(e.limit, 2)
    (7.26, 3.0)
    >>> round(hv.causal.evalue(0.7, 0.5, 0.95).point, 3)
    2.211
    """
    if true is None:
        true = 0.0 if measure in ("SMD", "smd", "d") else 1.0
    r = _core.causal_evalue(
        float(estimate),
        None if lo is None else float(lo),
        None if hi is None else float(hi),
        measure,
        bool(rare),
        float(true),
    )
    return EValueResult(r, float(estimate), lo, hi)
