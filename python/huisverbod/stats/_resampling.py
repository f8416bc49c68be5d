"""hv.stats: resampling — permutation tests and bootstrap confidence intervals.

Both run in the Rust core on all cores (rayon) and are seeded: resample ``i``
of a run always draws from its own random stream, derived from ``(seed, i)``
(xoshiro256++ seeded through SplitMix64, see the Rust docs of
``huisverbod::stats::resampling::Stream``), so a result is identical
bit for bit whatever the number of threads (``RAYON_NUM_THREADS`` or the
``threads=`` argument). The streams differ from numpy's: a Monte Carlo
p-value or a bootstrap interval agrees with scipy's within Monte Carlo
error, not digit for digit. Everything that does not depend on the random
draws follows scipy exactly (the exact permutation test, the p-value
conventions, the interval computed from a bootstrap distribution).
"""

from __future__ import annotations

import html
import inspect
import math
import secrets
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _core
from ._common import ConfidenceInterval, TestResult, _fmt, as_sample, check_alternative, check_level, nan_result

__all__ = ["BootstrapResult", "bootstrap", "permutation_test"]

_U64_MAX = 2**64 - 1
_PERMUTATION_STATISTICS = ("mean_difference", "proportion_difference")
_ONE_SAMPLE = ("mean", "median", "proportion")
_TWO_SAMPLE = (
    "mean_difference",
    "proportion_difference",
    "risk_ratio",
    "odds_ratio",
    "cohens_d",
    "median_difference",
)
_METHODS = ("bca", "percentile", "basic")


def _check_n_resamples(n_resamples: Any, allow_inf: bool) -> int:
    if allow_inf and isinstance(n_resamples, float) and math.isinf(n_resamples) and n_resamples > 0:
        return _U64_MAX
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)):
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    n = int(n_resamples)
    if n < 1 or n >= _U64_MAX:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    return n


def _check_seed(seed: Any) -> int:
    if seed is None:
        return secrets.randbits(64)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= _U64_MAX:
        raise ValueError(f"seed must be an integer in [0, 2**64) or None, got {seed!r}")
    return int(seed)


def _check_threads(threads: Any) -> int | None:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or int(threads) < 1:
        raise ValueError(f"threads must be a positive integer or None, got {threads!r}")
    return int(threads)


def permutation_test(
    x: Any,
    y: Any,
    statistic: str = "mean_difference",
    alternative: str = "two-sided",
    n_resamples: int | float = 9999,
    seed: int | None = 0,
    *,
    return_null: bool = False,
    threads: int | None = None,
    nan_policy: str = "propagate",
) -> TestResult:
    """Two-sample permutation test of a difference in means or proportions.

    Under the null hypothesis ``x`` and ``y`` come from one distribution, so
    every relabelling of the pooled observations into groups of the sizes of
    ``x`` and ``y`` is equally likely. When the number of distinct
    relabellings, ``C(len(x) + len(y), len(x))``, is at most ``n_resamples``
    they are all enumerated (an exact test), otherwise ``n_resamples``
    random relabellings are drawn (Monte Carlo), in parallel.

    Parameters
    ----------
    x, y : array_like
        The two samples, at least two observations each.
    statistic : {"mean_difference", "proportion_difference"}
        ``mean(x) - mean(y)``; ``"proportion_difference"`` is the same
        statistic on 0/1 data (checked), the difference in proportions.
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: the statistic is larger than under the null.
    n_resamples : int or math.inf
        The most relabellings to enumerate before switching to Monte Carlo,
        and the number of Monte Carlo resamples. ``math.inf`` always
        enumerates (an error if that is more than 2**64 relabellings).
    seed : int or None
        Seed of the random streams (the seed used is ``result.seed``;
        ``None`` draws one). Irrelevant for an exact test.
    return_null : bool
        Keep the null distribution as ``result.null_distribution`` (in the
        order of ``itertools.combinations`` of the positions given to ``x``
        for an exact test, as scipy; resample order for Monte Carlo).
    threads : int or None
        Threads to use (``None``: rayon's pool, ``RAYON_NUM_THREADS``). The
        result does not depend on it.
    nan_policy : {"propagate", "raise", "omit"}
        As scipy: ``"propagate"`` returns a result with NaN statistic and
        p-value.

    Returns
    -------
    TestResult
        ``statistic`` (mean(x) − mean(y)), ``pvalue``, ``alternative``,
        ``method``, ``n_resamples`` (the size of the null distribution: all
        relabellings when exact), ``exact``, ``seed`` and
        ``null_distribution`` (None unless ``return_null``).

    Raises
    ------
    ValueError
        A sample with fewer than two observations or an infinite value,
        non-0/1 data for ``"proportion_difference"``, a bad ``n_resamples``,
        ``seed``, ``threads``, ``statistic`` or ``alternative``.

    Notes
    -----
    Conventions of ``scipy.stats.permutation_test(data, statistic,
    permutation_type="independent")``, which this matches exactly for exact
    tests (same null distribution, same p-value):

    - a null statistic ``T`` counts as at least as extreme as the observed
      ``t`` if ``T >= t - g`` (greater) or ``T <= t + g`` (less), with
      ``g = 100 * eps * |t| = 2.22e-14 * |t|`` (scipy's documentation says
      about 1e-14; its code uses ``finfo(float64).eps * 100``, which is what
      is replicated; ``g = 0`` when ``t = 0``);
    - exact: ``p = count / total``; Monte Carlo:
      ``p = (count + 1) / (n_resamples + 1)`` (the observed labelling counts
      as one of the resamples, Phipson & Smyth 2010);
    - two-sided: ``p = min(2 * min(p_less, p_greater), 1)``.

    The Monte Carlo random streams differ from numpy's, so Monte Carlo
    p-values agree with scipy's only within Monte Carlo error (their
    standard error is ``sqrt(p (1 - p) / n_resamples)``).

    References
    ----------
    .. [1] scipy.stats.permutation_test, SciPy 1.17.
    .. [2] B. Phipson and G. K. Smyth, "Permutation p-values should never be
       zero", Stat. Appl. Genet. Mol. Biol. 9 (2010).

    Examples
    --------
    Three against three observations: ``C(6, 3) = 20`` relabellings, so the
    test is exact; only the observed labelling puts {4, 5, 6} in ``x``.

    >>> import huisverbod as hv
    >>> res = hv.stats.permutation_test([4, 5, 6], [1, 2, 3], alternative="greater")
    >>> res.exact, res.n_resamples, res.statistic, res.pvalue
    (True, 20, 3.0, 0.05)

    Larger samples are resampled; the p-value of a Monte Carlo test is never 0.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> res = hv.stats.permutation_test(rng.normal(0.5, 1, 105), rng.normal(0, 1, 104), n_resamples=999)
    >>> res.exact, res.n_resamples, res.pvalue >= 1 / 1000
    (False, 999, True)
    """
    check_alternative(alternative)
    if statistic not in _PERMUTATION_STATISTICS:
        raise ValueError(f"statistic must be one of {list(_PERMUTATION_STATISTICS)}, got {statistic!r}")
    n = _check_n_resamples(n_resamples, allow_inf=True)
    seed = _check_seed(seed)
    threads = _check_threads(threads)
    xs, x_nan = as_sample(x, "x", nan_policy)
    ys, y_nan = as_sample(y, "y", nan_policy)
    name = "PermutationTestResult"
    if x_nan or y_nan:
        return nan_result(
            name,
            alternative,
            method="Permutation test (NaN in the data)",
            n_resamples=n,
            exact=None,
            seed=seed,
            null_distribution=None,
        )
    d = _core.permutation_test(xs, ys, statistic, alternative, n, seed, bool(return_null), threads)
    return TestResult(name, d)


class BootstrapResult:
    """The result of :func:`bootstrap` (scipy's ``BootstrapResult`` and more).

    Attributes
    ----------
    statistic : float
        The statistic on the data.
    confidence_interval : ConfidenceInterval
        ``(low, high)``; ``-inf``/``inf`` on the open side of a one-sided
        interval; NaN when it cannot be computed (a warning says so).
    bootstrap_distribution : numpy.ndarray
        The statistic of each resample, in resample order.
    standard_error : float
        The standard deviation (ddof=1) of the bootstrap distribution.
    method, confidence_level, alternative, n_resamples, seed
        As passed (``seed``: the one used).
    levels : tuple of float
        The probabilities at which the bootstrap distribution was cut.
    z0, acceleration : float or None
        BCa's bias correction and acceleration (None for other methods).
    """

    __test__ = False

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = dict(fields)

    def __getattr__(self, key: str) -> Any:
        fields = self.__dict__.get("_fields", {})
        if key in fields:
            return fields[key]
        raise AttributeError(f"BootstrapResult has no attribute {key!r}")

    def to_dict(self) -> dict[str, Any]:
        """All fields as a plain dict (arrays as lists, the interval as a tuple)."""
        out: dict[str, Any] = {"test": "BootstrapResult"}
        for k, v in self._fields.items():
            if isinstance(v, np.ndarray):
                v = v.tolist()
            elif isinstance(v, ConfidenceInterval):
                v = tuple(v)
            out[k] = v
        return out

    def _main(self) -> list[tuple[str, Any]]:
        ci = self._fields["confidence_interval"]
        return [
            ("statistic", self._fields["statistic"]),
            ("low", ci.low),
            ("high", ci.high),
            ("confidence_level", self._fields["confidence_level"]),
            ("method", self._fields["method"]),
            ("standard_error", self._fields["standard_error"]),
            ("n_resamples", self._fields["n_resamples"]),
        ]

    def __repr__(self) -> str:
        return "BootstrapResult(" + ", ".join(f"{k}={_fmt(v)}" for k, v in self._main()) + ")"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self._main()
        )
        return f"<div><strong>BootstrapResult</strong><table>{rows}</table></div>"


def _as_samples(data: Any) -> list[Any]:
    """``data`` as a list of samples: one 1-d array is one sample."""
    if isinstance(data, np.ndarray):
        return [data] if data.ndim <= 1 else list(data)
    if isinstance(data, (list, tuple)):
        if len(data) == 0:
            raise ValueError("data must hold at least one sample")
        if all(np.ndim(s) == 0 for s in data):
            return [data]
        return list(data)
    raise ValueError("data must be a sample (1-d array) or a sequence of samples")


def _accepts_axis(f: Callable[..., Any]) -> bool:
    try:
        return "axis" in inspect.signature(f).parameters
    except (TypeError, ValueError):
        return False


def _scalar(v: Any, what: str) -> float:
    arr = np.asarray(v, dtype=np.float64)
    if arr.ndim != 0:
        raise ValueError(f"statistic must return a scalar, got shape {arr.shape} for {what}")
    return float(arr)


def _callable_distribution(
    statistic: Callable[..., Any],
    samples: list[np.ndarray],
    n_resamples: int,
    seed: int,
    threads: int | None,
    vectorized: bool,
) -> np.ndarray:
    sizes = [len(s) for s in samples]
    offsets = np.cumsum([0, *sizes])
    width = int(offsets[-1])
    batch = max(1, min(n_resamples, 2_000_000 // max(width, 1)))
    out = np.empty(n_resamples)
    for start in range(0, n_resamples, batch):
        count = min(batch, n_resamples - start)
        idx = _core.bootstrap_indices(sizes, start, count, seed, threads)
        resampled = [s[idx[:, offsets[j] : offsets[j + 1]]] for j, s in enumerate(samples)]
        if vectorized:
            vals = np.asarray(statistic(*resampled, axis=-1), dtype=np.float64)
            if vals.shape != (count,):
                raise ValueError(
                    f"a vectorized statistic must return one value per resample (shape ({count},)), got {vals.shape}"
                )
            out[start : start + count] = vals
        else:
            for i in range(count):
                out[start + i] = _scalar(statistic(*(r[i] for r in resampled)), "a resample")
    return out


def _callable_jackknife(
    statistic: Callable[..., Any], samples: list[np.ndarray], vectorized: bool
) -> list[np.ndarray]:
    out = []
    for j, sample in enumerate(samples):
        n = len(sample)
        if vectorized:
            keep = ~np.eye(n, dtype=bool)
            loo = np.broadcast_to(sample, (n, n))[keep].reshape(n, n - 1)
            args = [loo if k == j else np.broadcast_to(s, (n, len(s))) for k, s in enumerate(samples)]
            vals = np.asarray(statistic(*args, axis=-1), dtype=np.float64).reshape(-1)
        else:
            vals = np.array(
                [
                    _scalar(
                        statistic(*[np.delete(s, i) if k == j else s for k, s in enumerate(samples)]),
                        "a jackknife sample",
                    )
                    for i in range(n)
                ]
            )
        out.append(np.ascontiguousarray(vals, dtype=np.float64))
    return out


def bootstrap(
    data: Any,
    statistic: str | Callable[..., Any],
    n_resamples: int = 9999,
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: int | None = 0,
    *,
    alternative: str = "two-sided",
    threads: int | None = None,
    vectorized: bool | None = None,
    nan_policy: str = "propagate",
) -> BootstrapResult:
    """Bootstrap confidence interval of a statistic.

    Each sample is resampled with replacement to its own size,
    independently of the others (stratified, as ``scipy.stats.bootstrap``
    with a tuple of samples), ``n_resamples`` times; the interval is read
    from the distribution of the statistic over the resamples.

    Parameters
    ----------
    data : array_like or sequence of array_like
        One sample (a 1-d array) or a sequence of samples, ``(x,)`` or
        ``(x, y)``, at least two observations each.
    statistic : str or callable
        A statistic the crate computes (fast, in parallel):
        one sample: ``"mean"``, ``"median"``, ``"proportion"`` (0/1 data);
        two samples: ``"mean_difference"`` (mean x − mean y),
        ``"proportion_difference"`` (p_x − p_y), ``"risk_ratio"``
        (p_x / p_y), ``"odds_ratio"``, ``"cohens_d"`` (pooled standard
        deviation, ddof 1), ``"median_difference"``. Or a Python callable
        ``statistic(*samples)`` returning a number (with an ``axis``
        argument it is called on whole batches of resamples, as scipy's
        vectorized statistics): the resampling indices still come from
        the Rust streams (same resamples as the named statistics for the
        same seed), but the statistic is evaluated in Python, which is
        much slower.
    n_resamples : int
        Number of bootstrap resamples.
    method : {"bca", "percentile", "basic"}
        Bias-corrected and accelerated (default, as scipy), percentile, or
        basic (reverse percentile).
    confidence_level : float
        In (0, 1).
    seed : int or None
        Seed of the random streams (``None`` draws one; see ``result.seed``).
    alternative : {"two-sided", "less", "greater"}
        ``"less"`` gives ``(-inf, high]``, ``"greater"`` ``[low, inf)``, with
        the one-sided level ``confidence_level``.
    threads : int or None
        Threads to use; the result does not depend on it.
    vectorized : bool or None
        For a callable: whether it takes ``axis`` (default: inspect its
        signature, as scipy).
    nan_policy : {"propagate", "raise", "omit"}
        ``"propagate"`` returns a result whose statistic and limits are NaN.

    Returns
    -------
    BootstrapResult
        ``confidence_interval``, ``bootstrap_distribution``,
        ``standard_error`` (as scipy) plus ``statistic``, ``z0``,
        ``acceleration``, ``levels``, ``n_resamples``, ``seed``.

    Raises
    ------
    ValueError
        Wrong number of samples for the statistic, a sample with fewer than
        two observations or an infinite value, non-0/1 data for proportion
        statistics, a statistic that is not finite on the data (a ratio with
        a zero cell, Cohen's d with no variance in either group), bad
        arguments.

    Warns
    -----
    RuntimeWarning
        When a limit is NaN: a NaN in the bootstrap distribution (a
        resample on which the statistic is undefined, such as 0/0 for an
        odds ratio), or a degenerate distribution for BCa (scipy warns with
        its ``DegenerateDataWarning``, a RuntimeWarning, in the same cases).

    Notes
    -----
    Given the bootstrap distribution, the interval is exactly
    ``scipy.stats.bootstrap``'s (scipy >= 1.15; tested by passing our
    ``bootstrap_distribution`` to scipy as ``bootstrap_result``):

    - quantiles are ``scipy.stats.quantile(..., method="linear")``
      (Hyndman & Fan type 7, the rule of ``np.percentile``'s default): with
      ``h = p*B + (1 - p)``, ``Q = (1 - g) y[floor(h) - 1] + g y[floor(h)]``,
      ``g = h mod 1``, on the sorted distribution ``y``;
    - percentile: ``[Q(a), Q(1 - a)]``, ``a = (1 - level)/2`` (two-sided);
      basic: ``[2t - Q(1 - a), 2t - Q(a)]``;
    - BCa: ``[Q(a1), Q(a2)]`` with ``ai = Phi(z0 + (z0 + zi)/(1 - acc (z0 + zi)))``,
      ``z1 = Phi^-1(a) = -z2``; ``z0 = Phi^-1((#{T* < t} + #{T* <= t}) / 2B)``
      (scipy's ``percentileofscore`` with kind "mean"); the acceleration is
      ``sum_j sum_i U_ji^3 / n_j^3 / (6 (sum_j sum_i U_ji^2 / n_j^2)^1.5)``
      with ``U_ji = (n_j - 1)(mean_i t_j(i) - t_j(i))`` over the
      leave-one-out statistics ``t_j(i)`` of each sample in turn (Efron &
      Tibshirani 1993, eq. 14.15, per sample as scipy).

    The random draws differ from numpy's, so our limits and scipy's for the
    same data agree within Monte Carlo error only. The native statistics
    compute the leave-one-out values by updating sums (O(n) per sample), the
    ratios from integer counts: ``risk_ratio = (c_x n_y)/(n_x c_y)``,
    ``odds_ratio = (c_x (n_y - c_y))/((n_x - c_x) c_y)``.

    References
    ----------
    .. [1] scipy.stats.bootstrap, SciPy 1.17.
    .. [2] B. Efron and R. J. Tibshirani, An Introduction to the Bootstrap,
       Chapman & Hall, 1993 (sections 14.3 and 15.4).

    Examples
    --------
    >>> import numpy as np
    >>> import huisverbod as hv
    >>> rng = np.random.default_rng(2013)
    >>> thv = (rng.random(105) < 0.21).astype(float)      # recidivism 0/1
    >>> control = (rng.random(104) < 0.30).astype(float)
    >>> res = hv.stats.bootstrap((thv, control), "proportion_difference", n_resamples=2000)
    >>> res.statistic == float(thv.mean() - control.mean())
    True
    >>> res.confidence_interval.low < res.statistic < res.confidence_interval.high
    True
    >>> len(res.bootstrap_distribution)
    2000

    A Python callable sees the same resamples (slower):

    >>> same = hv.stats.bootstrap((thv, control), lambda x, y: x.mean() - y.mean(), n_resamples=2000)
    >>> bool(np.allclose(same.bootstrap_distribution, res.bootstrap_distribution, rtol=1e-12, atol=1e-15))
    True
    """
    check_alternative(alternative)
    level = check_level(confidence_level)
    if not isinstance(method, str) or method.lower() not in _METHODS:
        raise ValueError(f"method must be one of {list(_METHODS)}, got {method!r}")
    method = method.lower()
    n = _check_n_resamples(n_resamples, allow_inf=False)
    seed = _check_seed(seed)
    threads = _check_threads(threads)
    raw = _as_samples(data)
    names = ["x", "y"] + [f"sample {k}" for k in range(2, len(raw))]
    checked = [as_sample(s, names[k], nan_policy) for k, s in enumerate(raw)]
    samples = [c[0] for c in checked]

    if isinstance(statistic, str):
        if statistic not in _ONE_SAMPLE + _TWO_SAMPLE:
            raise ValueError(f"statistic must be one of {list(_ONE_SAMPLE + _TWO_SAMPLE)} or a callable, got {statistic!r}")
        k = 1 if statistic in _ONE_SAMPLE else 2
        if len(samples) != k:
            raise ValueError(f"statistic {statistic!r} takes {k} sample(s), got {len(samples)}")
        stat_name = statistic
    elif callable(statistic):
        stat_name = getattr(statistic, "__name__", "callable")
    else:
        raise ValueError(f"statistic must be a name or a callable, got {statistic!r}")

    if any(c[1] for c in checked):
        nan = math.nan
        return BootstrapResult(
            {
                "statistic": nan,
                "confidence_interval": ConfidenceInterval(nan, nan),
                "bootstrap_distribution": np.array([]),
                "standard_error": nan,
                "method": method,
                "confidence_level": level,
                "alternative": alternative,
                "n_resamples": n,
                "seed": seed,
                "levels": (nan, nan),
                "z0": None,
                "acceleration": None,
                "statistic_name": stat_name,
            }
        )

    if isinstance(statistic, str):
        d = _core.bootstrap(samples, statistic, method, level, alternative, n, seed, threads)
        distribution = d["bootstrap_distribution"]
        observed = d["statistic"]
    else:
        for k, s in enumerate(samples):
            if len(s) < 2:
                raise ValueError(f"invalid argument '{names[k]}': needs at least two observations")
        vec = _accepts_axis(statistic) if vectorized is None else bool(vectorized)
        if vec:
            observed = _scalar(statistic(*samples, axis=-1), "the data")
        else:
            observed = _scalar(statistic(*samples), "the data")
        distribution = _callable_distribution(statistic, samples, n, seed, threads, vec)
        jack = _callable_jackknife(statistic, samples, vec) if method == "bca" else []
        d = _core.bootstrap_interval(distribution, observed, jack, method, level, alternative)
        d["statistic"] = observed
    low, high = d["low"], d["high"]
    if math.isnan(low) or math.isnan(high):
        warnings.warn(
            "The bootstrap confidence interval cannot be calculated (a limit is NaN): the bootstrap "
            "distribution holds NaN (the statistic is undefined on some resamples) or is degenerate "
            "(BCa).",
            RuntimeWarning,
            stacklevel=2,
        )
    return BootstrapResult(
        {
            "statistic": observed,
            "confidence_interval": ConfidenceInterval(low, high),
            "bootstrap_distribution": distribution,
            "standard_error": d["standard_error"],
            "method": method,
            "confidence_level": level,
            "alternative": alternative,
            "n_resamples": n,
            "seed": seed,
            "levels": tuple(d["levels"]),
            "z0": d["z0"],
            "acceleration": d["acceleration"],
            "statistic_name": stat_name,
        }
    )

