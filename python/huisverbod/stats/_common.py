"""Shared pieces of ``hv.stats``: result objects, intervals, input checks.

Result objects follow scipy.stats: ``.statistic``, ``.pvalue``, ``.df`` where
it applies, ``.alternative``, ``.confidence_interval(confidence_level=0.95)``
returning a ``ConfidenceInterval(low, high)``, unpacking as
``statistic, pvalue = result``; plus ``.to_dict()``, a readable ``repr`` and
``_repr_html_`` for notebooks.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple

import numpy as np

Alternative = Literal["two-sided", "less", "greater"]
NanPolicy = Literal["propagate", "raise", "omit"]
_ALTERNATIVES = ("two-sided", "less", "greater")


class ConfidenceInterval(NamedTuple):
    """A confidence interval (scipy's shape)."""

    low: float
    high: float


def check_alternative(alternative: str) -> str:
    """Validates ``alternative`` (scipy's spelling)."""
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {list(_ALTERNATIVES)}, got {alternative!r}")
    return alternative


def check_level(confidence_level: float) -> float:
    """Validates a confidence level in (0, 1)."""
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must lie strictly between 0 and 1, got {confidence_level!r}")
    return level


def as_sample(x: Any, name: str, nan_policy: NanPolicy = "propagate") -> tuple[np.ndarray, bool]:
    """A 1-d float64 sample and whether it holds NaN (with ``propagate``).

    ``nan_policy`` as in scipy: ``"propagate"`` (the result is NaN),
    ``"raise"`` (ValueError) or ``"omit"`` (NaNs dropped). Infinite values
    always raise.
    """
    if nan_policy not in ("propagate", "raise", "omit"):
        raise ValueError(f"nan_policy must be 'propagate', 'raise' or 'omit', got {nan_policy!r}")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be numeric: {e}") from None
    if arr.ndim != 1:
        arr = arr.reshape(-1) if arr.ndim == 0 else arr
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    # One pass in the common case: everything finite.
    if np.isfinite(arr).all():
        return np.ascontiguousarray(arr), False
    nan = np.isnan(arr)
    if nan.any():
        if nan_policy == "raise":
            raise ValueError(f"{name} contains NaN (position {int(np.flatnonzero(nan)[0])})")
        if nan_policy == "omit":
            arr = arr[~nan]
        else:
            if np.isinf(arr).any():
                raise ValueError(f"{name} contains an infinite value")
            return np.ascontiguousarray(arr), True
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains an infinite value")
    return np.ascontiguousarray(arr), False


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return f"{v:.6g}"
    return repr(v)


class TestResult:
    """The result of a hypothesis test.

    Attributes
    ----------
    statistic : float
        The test statistic (signed where the test has a direction).
    pvalue : float
        The p-value for ``alternative``.
    df : float or None
        Degrees of freedom of the reference distribution, where there is one.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    method : str
        What was computed.

    Other fields of a particular test (expected counts, estimates, ...) are
    attributes too and appear in :meth:`to_dict`.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        name: str,
        fields: dict[str, Any],
        ci: Callable[[float], tuple[float, float]] | None = None,
    ) -> None:
        self._name = name
        self._fields = dict(fields)
        self._ci = ci
        self._fields.setdefault("df", None)
        self._fields.setdefault("alternative", "two-sided")
        self._fields.setdefault("method", name)

    def __getattr__(self, key: str) -> Any:
        fields = self.__dict__.get("_fields", {})
        if key in fields:
            return fields[key]
        raise AttributeError(f"{self.__dict__.get('_name', 'TestResult')} has no attribute {key!r}")

    def __iter__(self) -> Iterator[float]:
        """Unpacks as ``statistic, pvalue`` (as scipy's results do)."""
        return iter((self._fields["statistic"], self._fields["pvalue"]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TestResult) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """The confidence interval of the test's estimate at ``confidence_level``."""
        if self._ci is None:
            raise NotImplementedError(f"{self._name} has no confidence interval")
        low, high = self._ci(check_level(confidence_level))
        return ConfidenceInterval(float(low), float(high))

    def to_dict(self) -> dict[str, Any]:
        """All fields as a plain dict (arrays as lists), for saving from notebooks."""
        out: dict[str, Any] = {"test": self._name}
        for k, v in self._fields.items():
            out[k] = v.tolist() if isinstance(v, np.ndarray) else v
        return out

    def _main_fields(self) -> list[tuple[str, Any]]:
        keys = ["statistic", "pvalue", "df", "alternative"]
        return [(k, self._fields[k]) for k in keys if self._fields.get(k) is not None]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in self._main_fields())
        return f"{self._name}({inner})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in [*self._main_fields(), ("method", self._fields["method"])]
        )
        return f"<div><strong>{html.escape(self._name)}</strong><table>{rows}</table></div>"


def nan_result(name: str, alternative: str = "two-sided", **extra: Any) -> TestResult:
    """The all-NaN result that ``nan_policy="propagate"`` returns."""
    fields = {"statistic": math.nan, "pvalue": math.nan, "alternative": alternative}
    fields.update(extra)
    return TestResult(name, fields, ci=lambda level: (math.nan, math.nan))
