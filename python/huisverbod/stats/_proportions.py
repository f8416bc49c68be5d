"""hv.stats: proportions (one-proportion intervals; two independent proportions)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .. import _core
from ._common import ConfidenceInterval, TestResult, check_alternative, check_level

__all__ = ["EffectEstimate", "TwoProportionsResult", "proportion_ci", "two_proportions"]


def _count(v: Any, name: str) -> float:
    """A count as a float; the native code checks it is a whole number."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {v!r}") from None
    if math.isnan(f):
        raise ValueError(f"{name} is NaN")
    return f


def proportion_ci(
    count: int,
    nobs: int,
    method: str = "wilson",
    confidence_level: float = 0.95,
) -> ConfidenceInterval:
    """Two-sided confidence interval for a binomial proportion ``count / nobs``.

    Parameters
    ----------
    count : int
        Number of successes, ``0 ≤ count ≤ nobs``.
    nobs : int
        Number of trials, at least 1.
    method : {"wilson", "clopper-pearson", "exact", "agresti-coull", "jeffreys", "normal", "wald"}
        ``"exact"`` is an alias of ``"clopper-pearson"`` (statsmodels
        ``"beta"``, also accepted), ``"wald"`` of ``"normal"``.
    confidence_level : float, default 0.95

    Returns
    -------
    ConfidenceInterval
        ``(low, high)``.

    Raises
    ------
    ValueError
        Unless ``count`` and ``nobs`` are whole numbers with
        ``0 ≤ count ≤ nobs`` and ``nobs ≥ 1``; for an unknown method or level.

    Notes
    -----
    Matches statsmodels ``proportion_confint(count, nobs, alpha=1 −
    confidence_level, method=...)`` with methods ``"wilson"``, ``"beta"``,
    ``"agresti_coull"``, ``"jeffreys"``, ``"normal"``: Wilson, Agresti–Coull
    and normal limits are clipped to [0, 1]; Clopper–Pearson is 0 at
    ``count = 0`` and 1 at ``count = nobs``; Jeffreys is not forced to 0 or 1
    (as statsmodels). One deliberate difference: the Wilson lower limit at
    ``count = 0`` is exactly 0 (upper limit at ``count = nobs`` exactly 1),
    where statsmodels computes ``center − dist`` and can return rounding
    noise of order 1e-17. Beta quantiles come from an incomplete beta
    function with full relative precision (Loader's saddle-point prefactor),
    inverted by Brent's method.

    References
    ----------
    .. [1] L. D. Brown, T. T. Cai, A. DasGupta (2001), Interval estimation for
       a binomial proportion, *Statistical Science* 16, 101–133.

    Examples
    --------
    >>> import huisverbod as hv
    >>> ci = hv.stats.proportion_ci(30, 105)
    >>> round(ci.low, 6), round(ci.high, 6)
    (0.208071, 0.378483)
    >>> hv.stats.proportion_ci(0, 20, method="exact").low
    0.0
    """
    level = check_level(confidence_level)
    low, high = _core.proportion_ci(_count(count, "count"), _count(nobs, "nobs"), str(method), level)
    return ConfidenceInterval(low, high)


class EffectEstimate(NamedTuple):
    """A point estimate with its two-sided confidence interval."""

    estimate: float
    confidence_interval: ConfidenceInterval
    method: str


class TwoProportionsResult(TestResult):
    """The result of :func:`two_proportions`.

    The main result is the pooled z-test (``statistic`` = z, ``pvalue``,
    ``alternative``); ``confidence_interval(level)`` is the Newcombe interval
    of the difference. Attributes: ``p1``, ``p2``, ``difference``,
    ``risk_ratio``, ``odds_ratio`` (Woolf), ``odds_ratio_exact``
    (:class:`EffectEstimate` each) and ``chi2`` (the report's chi-square row,
    a :class:`TestResult`).
    """

    __test__ = False

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain Python values."""
        out = super().to_dict()
        for k, v in out.items():
            if isinstance(v, TestResult):
                out[k] = v.to_dict()
            elif isinstance(v, EffectEstimate):
                out[k] = {"estimate": v.estimate, "confidence_interval": tuple(v.confidence_interval), "method": v.method}
        return out


def two_proportions(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> TwoProportionsResult:
    """Compares two independent proportions ``x1/n1`` and ``x2/n2``.

    Parameters
    ----------
    x1, n1 : int
        Successes and trials of group 1 (for example the thv group).
    x2, n2 : int
        Successes and trials of group 2 (for example the control group).
    alternative : {"two-sided", "less", "greater"}
        ``greater``: ``p1 > p2``; ``less``: ``p1 < p2``. Applies to the
        z-test and to the report's halved chi-square; the intervals are
        always two-sided.
    confidence_level : float, default 0.95

    Returns
    -------
    TwoProportionsResult
        ``statistic`` (z), ``pvalue``, ``p1``, ``p2``, ``difference``,
        ``risk_ratio``, ``odds_ratio``, ``odds_ratio_exact``, ``chi2``.

    Raises
    ------
    ValueError
        Unless the counts are whole numbers with ``0 ≤ xᵢ ≤ nᵢ``, ``nᵢ ≥ 1``.

    Notes
    -----
    - ``difference``: ``p1 − p2`` with Newcombe's hybrid score interval
      (method 10, from Wilson limits) = statsmodels
      ``confint_proportions_2indep(..., compare="diff", method="newcomb")``.
    - ``risk_ratio``: ``p1/p2`` with the log (Katz) interval = statsmodels
      ``compare="ratio", method="log"``.
    - ``odds_ratio``: ``x1(n2−x2)/((n1−x1)x2)`` with the log (Woolf) interval
      = statsmodels ``compare="odds-ratio", method="logit"``.
    - ``odds_ratio_exact``: conditional MLE with the exact conditional
      interval (R's ``fisher.test``, scipy ``odds_ratio(kind="conditional")``).
    - Risk-ratio and Woolf intervals are ``(nan, nan)`` when a count they
      divide by is zero (statsmodels raises ``ZeroDivisionError``); the
      exact interval still exists.
    - z-test: pooled variance, ``z = (p1 − p2)/sqrt(p̄(1 − p̄)(1/n1 + 1/n2))``
      = statsmodels ``proportions_ztest([x1, x2], [n1, n2])`` (and
      ``test_proportions_2indep(method="score", correction=False)``),
      computed from exact integers ``x1 n2 − x2 n1``. NaN when all or none
      are successes.
    - ``chi2``: Pearson's chi-square (``= z²``, no continuity correction, df
      1). For a one-sided ``alternative`` its p-value is the report's
      "one-sided chi-square": SPSS has no such option, the report's authors
      halved the two-sided p-value. Here: ``p/2`` when the observed
      difference lies in the direction of ``alternative``, ``1 − p/2``
      otherwise. This equals the one-sided z-test p-value.

    References
    ----------
    .. [1] R. G. Newcombe (1998), Interval estimation for the difference
       between independent proportions, *Statistics in Medicine* 17, 873–890.

    Examples
    --------
    >>> import huisverbod as hv
    >>> res = hv.stats.two_proportions(30, 105, 45, 104, alternative="less")
    >>> round(res.statistic, 6), round(res.pvalue, 6)
    (-2.214899, 0.013384)
    >>> round(res.chi2.pvalue, 6)
    0.013384
    >>> d = res.difference
    >>> round(d.estimate, 6), [round(v, 6) for v in d.confidence_interval]
    (-0.146978, [-0.270398, -0.016928])
    """
    alternative = check_alternative(alternative)
    level = check_level(confidence_level)
    args = (_count(x1, "x1"), _count(n1, "n1"), _count(x2, "x2"), _count(n2, "n2"))
    d = _core.two_proportions(*args, alternative, level)

    def est(e: dict[str, Any]) -> EffectEstimate:
        return EffectEstimate(e["estimate"], ConfidenceInterval(*e["ci"]), e["method"])

    fields = dict(d["ztest"])
    fields.update(
        p1=d["p1"],
        p2=d["p2"],
        difference=est(d["difference"]),
        risk_ratio=est(d["risk_ratio"]),
        odds_ratio=est(d["odds_ratio"]),
        odds_ratio_exact=est(d["odds_ratio_exact"]),
        chi2=TestResult("Chi2Result", d["chi2"]),
    )

    def ci(lvl: float) -> tuple[float, float]:
        return tuple(_core.two_proportions(*args, alternative, lvl)["difference"]["ci"])  # type: ignore[return-value]

    return TwoProportionsResult("TwoProportionsResult", fields, ci=ci)
