"""hv.stats: power — power and sample size (``hv.stats.power``).

``hv.stats.power`` is a namespace (a module object) with
:func:`two_proportions`, :func:`two_means` and :func:`logrank`. Each takes
the planning quantities with exactly one of power, sample size and effect
left as ``None`` and solves for it, as statsmodels' ``solve_power`` does;
the result holds every quantity.
"""

from __future__ import annotations

import html
import math
import sys
import types
from typing import Any

from .. import _core
from ._common import _fmt, check_alternative

__all__ = ["power"]


class PowerResult:
    """A solved planning problem.

    Attributes
    ----------
    power : float
        The power.
    solved_for : str
        ``"power"``, ``"sample_size"`` or ``"effect"``.
    alpha, alternative
        As passed.

    plus the quantities of the design (``n1``, ``n2``, ``p1``, ``p2``,
    ``effect_size``, ``events``, ``hazard_ratio``, ...); see the function
    that made it. :meth:`to_dict` lists them all.
    """

    __test__ = False

    def __init__(self, name: str, fields: dict[str, Any], main: list[str]) -> None:
        self._name = name
        self._fields = dict(fields)
        self._main = main

    def __getattr__(self, key: str) -> Any:
        fields = self.__dict__.get("_fields", {})
        if key in fields:
            return fields[key]
        raise AttributeError(f"{self.__dict__.get('_name', 'PowerResult')} has no attribute {key!r}")

    def to_dict(self) -> dict[str, Any]:
        """All quantities as a plain dict."""
        return {"result": self._name, **self._fields}

    def _items(self) -> list[tuple[str, Any]]:
        return [(k, self._fields[k]) for k in self._main if self._fields.get(k) is not None]

    def __repr__(self) -> str:
        def show(v: Any) -> str:
            if isinstance(v, tuple):
                return "(" + ", ".join(_fmt(float(x)) for x in v) + ")"
            return _fmt(v)

        return f"{self._name}(" + ", ".join(f"{k}={show(v)}" for k, v in self._items()) + ")"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self._items()
        )
        return f"<div><strong>{html.escape(self._name)}</strong><table>{rows}</table></div>"


def _number(name: str, v: Any, allow_none: bool = True) -> float | None:
    if v is None:
        if allow_none:
            return None
        raise ValueError(f"{name} must be a number, got None")
    if isinstance(v, bool):
        raise ValueError(f"{name} must be a number, got {v!r}")
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {v!r}") from None
    if math.isnan(f):
        raise ValueError(f"{name} is NaN")
    return f


def _ratio(n1: float | None, n2: float | None, ratio: float | None) -> float:
    if n2 is not None:
        if n1 is None:
            raise ValueError(
                "n2 needs n1; to solve for the sample size give ratio = n2 / n1 instead of n2"
            )
        if n1 <= 0:
            raise ValueError(f"n1 must be positive, got {n1}")
        r = n2 / n1
        if ratio is not None and not math.isclose(ratio, r, rel_tol=1e-12):
            raise ValueError(f"ratio={ratio} contradicts n2 / n1 = {r}")
        return r
    return 1.0 if ratio is None else ratio


def two_proportions(
    p1: float,
    p2: float | None = None,
    n1: float | None = None,
    n2: float | None = None,
    ratio: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    method: str = "arcsine",
) -> PowerResult:
    """Power, sample size or detectable proportion for comparing two proportions.

    Leave exactly one of ``p2``, ``n1``, ``power`` as ``None``.

    Parameters
    ----------
    p1, p2 : float
        The proportions in groups 1 and 2 under the alternative.
    n1, n2 : float
        Group sizes; or give ``ratio``.
    ratio : float
        ``n2 / n1`` (default 1); needed instead of ``n2`` when solving for n1.
    alpha : float
        Significance level.
    power : float
        The power wanted.
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: p1 > p2 (statsmodels' ``"larger"``); ``"less"``: p1 < p2.
    method : {"arcsine", "unpooled"}
        ``"arcsine"`` (default): Cohen's h in a normal test, exactly
        statsmodels' ``NormalIndPower`` with ``proportion_effectsize``.
        ``"unpooled"``: the z-test of p1 − p2 with the variance under the
        alternative (formula below).

    Returns
    -------
    PowerResult
        ``power``, ``n1``, ``n2``, ``p1``, ``p2``, ``effect_size``, ``alpha``,
        ``alternative``, ``method``, ``solved_for``. Sample sizes are not
        rounded: round up for a design. When ``p2`` is solved for with a
        two-sided alternative it is a tuple ``(below p1, above p1)`` (NaN
        where no proportion in [0, 1] reaches the power).

    Raises
    ------
    ValueError
        Not exactly one unknown, proportions outside [0, 1], alpha or power
        outside (0, 1), a power not above the level of the tested tail,
        p1 = p2 or an effect against a one-sided alternative when solving
        for n, ``n2`` without ``n1``.

    Notes
    -----
    With ``a = alpha/2`` (two-sided) or ``alpha``, ``z_a = Phi^-1(1 - a)``
    and ``shift = d * sqrt(m)``::

        arcsine:   d = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)),  m = 1 / (1/n1 + 1/n2)
        unpooled:  d = (p1 - p2) / sqrt(p1 (1-p1) + p2 (1-p2) / ratio),  m = n1
        power = Phi(shift - z_a) + Phi(-shift - z_a)   (two-sided)
        power = Phi(shift - z_a)   (greater),   Phi(-shift - z_a)   (less)

    The two-sided power includes the small probability of rejecting in the
    wrong direction, as statsmodels' ``normal_power``. Sample sizes and p2
    are found by Brent's method to full precision; statsmodels'
    ``solve_power`` stops at an absolute tolerance of 1e-5 in n, so its
    solved sizes agree with ours to about that, while the power at our n
    agrees with statsmodels' power function to 1e-10.

    References
    ----------
    .. [1] J. Cohen, Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., 1988, chapter 6.
    .. [2] statsmodels.stats.power.NormalIndPower and
       statsmodels.stats.proportion.proportion_effectsize.
    .. [3] S.-C. Chow, J. Shao and H. Wang, Sample Size Calculations in
       Clinical Research, 2nd ed., 2008, section 4.2 (unpooled).

    Examples
    --------
    The report compared 105 restraining-order cases with 104 controls. With
    recidivism of 21% against 30%, the power of a two-sided test at
    alpha = .10 was:

    >>> import math
    >>> import huisverbod as hv
    >>> res = hv.stats.power.two_proportions(0.21, 0.30, n1=105, n2=104, alpha=0.10)
    >>> round(res.power, 3)
    0.442

    and 80% power would have taken this many cases per group:

    >>> plan = hv.stats.power.two_proportions(0.21, 0.30, alpha=0.10, power=0.80)
    >>> math.ceil(plan.n1)
    288
    """
    check_alternative(alternative)
    if method not in ("arcsine", "unpooled"):
        raise ValueError(f"method must be 'arcsine' or 'unpooled', got {method!r}")
    p1f = _number("p1", p1, allow_none=False)
    p2f, n1f, n2f = _number("p2", p2), _number("n1", n1), _number("n2", n2)
    ratio_f = _ratio(n1f, n2f, _number("ratio", ratio))
    d = _core.power_two_proportions(
        p1f, p2f, n1f, ratio_f, _number("alpha", alpha, False), _number("power", power), alternative, method
    )
    if d["p2_above"] is not None:
        d["p2"] = (d["p2"], d["p2_above"])
    del d["p2_above"]
    main = ["power", "n1", "n2", "p1", "p2", "effect_size", "alpha", "alternative", "solved_for"]
    return PowerResult("TwoProportionsPower", d, main)


def two_means(
    effect_size: float | tuple[float, float] | None = None,
    n1: float | None = None,
    ratio: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    *,
    n2: float | None = None,
    sd: float | None = None,
) -> PowerResult:
    """Power, sample size or detectable effect of the two-sample t-test.

    Leave exactly one of ``effect_size``, ``n1``, ``power`` as ``None``.

    Parameters
    ----------
    effect_size : float or (float, float)
        Cohen's d = (mean1 − mean2) / sd, or the pair ``(mean difference, sd)``.
    n1 : float
        Size of group 1.
    ratio : float
        ``n2 / n1`` (default 1); or give ``n2`` with ``n1``.
    alpha : float
        Significance level.
    power : float
        The power wanted.
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: mean1 > mean2 (statsmodels' ``"larger"``).
    n2 : float
        Size of group 2 (instead of ``ratio``).
    sd : float
        When solving for the effect: the standard deviation, to report the
        detectable difference in means too (``mean_difference``).

    Returns
    -------
    PowerResult
        ``power``, ``n1``, ``n2``, ``df``, ``effect_size``,
        ``mean_difference`` and ``sd`` (when known), ``alpha``,
        ``alternative``, ``solved_for``.

    Raises
    ------
    ValueError
        Not exactly one unknown, alpha or power outside (0, 1), a power not
        above the level of the tested tail, a zero effect or one against a
        one-sided alternative when solving for n, no degrees of freedom
        (n1 + n2 <= 2), a non-positive sd.

    Notes
    -----
    statsmodels' ``TTestIndPower``: with ``df = n1 + n2 - 2``,
    ``nc = d * sqrt(1 / (1/n1 + 1/n2))``, ``t_a`` the upper ``a`` point of
    Student's t (``a = alpha/2`` two-sided), and ``T'`` noncentral t::

        power = P(T' > t_a) + P(T' < -t_a)   (two-sided)
        power = P(T' > t_a)  (greater),   P(T' < -t_a)   (less)

    The noncentral t distribution is integrated numerically in the Rust
    core to about 1e-14 relative in both tails (checked against mpmath);
    scipy's ``nctdtr`` (Boost), which statsmodels uses, agrees to 1e-10 or
    better except where a tail is tiny and is obtained by cancellation (for
    example the wrong-direction tail below 1e-6), where scipy's relative
    error grows (statsmodels also computes an upper tail as
    ``1 - nctdtr``, accurate to 1e-16 absolute only).

    References
    ----------
    .. [1] J. Cohen, Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., 1988, chapter 2.
    .. [2] statsmodels.stats.power.TTestIndPower.

    Examples
    --------
    >>> import math
    >>> import huisverbod as hv
    >>> plan = hv.stats.power.two_means(0.5, power=0.8)
    >>> math.ceil(plan.n1)
    64
    >>> res = hv.stats.power.two_means((2.0, 4.0), n1=64)
    >>> res.effect_size
    0.5
    """
    check_alternative(alternative)
    es: float | None
    if isinstance(effect_size, tuple):
        if len(effect_size) != 2:
            raise ValueError("effect_size as a tuple must be (mean difference, sd)")
        diff = _number("mean difference", effect_size[0], False)
        sd_f = _number("sd", effect_size[1], False)
        if sd_f <= 0 or math.isinf(sd_f):
            raise ValueError(f"sd must be positive and finite, got {sd_f}")
        es = diff / sd_f
    else:
        es = _number("effect_size", effect_size)
        sd_f = _number("sd", sd)
        if sd_f is not None and (sd_f <= 0 or math.isinf(sd_f)):
            raise ValueError(f"sd must be positive and finite, got {sd_f}")
    n1f, n2f = _number("n1", n1), _number("n2", n2)
    ratio_f = _ratio(n1f, n2f, _number("ratio", ratio))
    d = _core.power_two_means(
        es, n1f, ratio_f, _number("alpha", alpha, False), _number("power", power), alternative
    )
    d["sd"] = sd_f
    d["mean_difference"] = None if sd_f is None else d["effect_size"] * sd_f
    main = ["power", "n1", "n2", "effect_size", "mean_difference", "alpha", "alternative", "solved_for"]
    return PowerResult("TwoMeansPower", d, main)


def logrank(
    hazard_ratio: float | None = None,
    events: float | None = None,
    *,
    n: float | None = None,
    probability_event: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    ratio: float | None = None,
    allocation: float | None = None,
    alternative: str = "two-sided",
) -> PowerResult:
    """Power, number of events or detectable hazard ratio of the log-rank test (Schoenfeld).

    Leave exactly one of ``hazard_ratio``, the number of events (``events``,
    or ``n`` with ``probability_event``) and ``power`` as ``None``.

    Parameters
    ----------
    hazard_ratio : float
        Hazard in group 1 over hazard in group 2.
    events : float
        Total number of events (both groups).
    n : float
        Total number of subjects; with ``probability_event`` instead of
        ``events`` (events = n · probability_event).
    probability_event : float
        The probability that a subject has an event during follow-up.
        When solving for events it also gives the subjects needed, ``n``.
    alpha : float
        Significance level.
    power : float
        The power wanted.
    ratio : float
        n2 / n1 (default 1); or give ``allocation``.
    allocation : float
        The share of subjects in group 1, p = 1 / (1 + ratio).
    alternative : {"two-sided", "less", "greater"}
        ``"less"``: hazard ratio < 1; ``"greater"``: > 1.

    Returns
    -------
    PowerResult
        ``power``, ``events``, ``n`` (when ``probability_event`` is known),
        ``hazard_ratio``, ``allocation``, ``alpha``, ``alternative``,
        ``solved_for``. A solved hazard ratio is below 1 for two-sided and
        ``"less"`` (its reciprocal has the same two-sided power).

    Raises
    ------
    ValueError
        Not exactly one unknown, alpha, power or allocation outside (0, 1),
        a non-positive hazard ratio or number of events, a hazard ratio of 1
        or against a one-sided alternative when solving for events, both
        ``events`` and ``n``, both ``ratio`` and ``allocation``.

    Notes
    -----
    Schoenfeld (1983), with p the allocation share and ``a = alpha/2``
    (two-sided) or ``alpha``::

        events = (z_{1-a} + z_{power})^2 / (p (1 - p) log(HR)^2)
        power  = Phi(sqrt(events p (1 - p)) |log HR| - z_{1-a})

    The two-sided power ignores rejections in the wrong direction (unlike
    :func:`two_proportions`), as the formula and gsDesign's ``nEvents`` do.

    References
    ----------
    .. [1] D. Schoenfeld, "Sample-size formula for the proportional-hazards
       regression model", Biometrics 39 (1983) 499-503.
    .. [2] K. Anderson, gsDesign: ``nEvents``.

    Examples
    --------
    Events needed to detect a hazard ratio of 0.7 with 80% power at
    alpha = .05 two-sided and equal groups:
    (1.95996 + 0.84162)^2 / (0.25 · 0.12722) = 246.8.

    >>> import huisverbod as hv
    >>> plan = hv.stats.power.logrank(0.7, power=0.8)
    >>> round(plan.events, 1)
    246.8
    """
    check_alternative(alternative)
    hr = _number("hazard_ratio", hazard_ratio)
    ev, nn, pe = _number("events", events), _number("n", n), _number("probability_event", probability_event)
    if pe is not None and not 0 < pe <= 1:
        raise ValueError(f"probability_event must lie in (0, 1], got {pe}")
    if ev is not None and nn is not None:
        raise ValueError("give events, or n with probability_event, not both")
    if nn is not None:
        if pe is None:
            raise ValueError("n needs probability_event (events = n * probability_event)")
        ev = nn * pe
    r, alloc = _number("ratio", ratio), _number("allocation", allocation)
    if r is not None and alloc is not None:
        raise ValueError("give ratio or allocation, not both")
    if r is not None:
        if r <= 0 or math.isinf(r):
            raise ValueError(f"ratio must be positive and finite, got {r}")
        alloc = 1.0 / (1.0 + r)
    if alloc is None:
        alloc = 0.5
    d = _core.power_logrank(hr, ev, alloc, _number("alpha", alpha, False), _number("power", power), alternative)
    d["probability_event"] = pe
    d["n"] = None if pe is None else d["events"] / pe
    main = ["power", "events", "n", "hazard_ratio", "allocation", "alpha", "alternative", "solved_for"]
    return PowerResult("LogrankPower", d, main)


power = types.ModuleType(
    "huisverbod.stats.power",
    "Power and sample size: two_proportions, two_means, logrank (see hv.stats._power).",
)
power.two_proportions = two_proportions  # type: ignore[attr-defined]
power.two_means = two_means  # type: ignore[attr-defined]
power.logrank = logrank  # type: ignore[attr-defined]
power.PowerResult = PowerResult  # type: ignore[attr-defined]
power.__all__ = ["PowerResult", "logrank", "two_means", "two_proportions"]  # type: ignore[attr-defined]
sys.modules["huisverbod.stats.power"] = power
