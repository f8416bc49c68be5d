"""Shared helpers of ``hv.causal``: the treatment indicator, per-row
arguments, warning classes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ExtremeWeightWarning", "OverlapWarning", "treatment_mask", "row_values"]


class OverlapWarning(UserWarning):
    """The groups do not overlap well: the propensity model separates them
    (some covariate pattern occurs in one group only), many cases lie
    outside the common support, or scores sit at 0 or 1. The message names
    what happened and what to try (coarsen or drop the covariate, trim to
    the common support, use the ATT, fit the score with ``method="firth"``)."""


class ExtremeWeightWarning(UserWarning):
    """Some inverse-probability weights are so large that a group's
    effective sample size (Kish) falls below 20% of its size; truncate the
    weights or trim the cases outside the common support."""


def row_values(v: Any, data: pd.DataFrame | None, name: str, n: int | None = None) -> np.ndarray:
    """A per-row argument: a column name of ``data`` or an array-like."""
    if isinstance(v, str):
        if data is None or v not in data.columns:
            raise ValueError(f"{name}: data has no column {v!r}")
        out = data[v]
    else:
        out = v
    arr = out.to_numpy() if isinstance(out, pd.Series | pd.Index) else np.asarray(out)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if n is not None and len(arr) != n:
        raise ValueError(f"{name} has length {len(arr)}, expected {n}")
    return arr


def treatment_mask(values: Any, treated: Any = None, name: str = "treatment") -> np.ndarray:
    """The treatment as a boolean array.

    0/1 and boolean values are taken as they are; other values (for example
    ``group`` with ``"thv"``/``"control"``) need ``treated=`` (the value
    that means treated). ``"thv"`` is recognised without it. Missing values
    raise ``ValueError``.
    """
    s = pd.Series(values)
    if s.isna().any():
        i = int(np.flatnonzero(s.isna().to_numpy())[0])
        raise ValueError(f"{name} is missing at row {i}; drop those cases first")
    if treated is not None:
        levels = set(s.astype(object).unique())
        if treated not in levels:
            raise ValueError(f"{name} has no value {treated!r}; values are {sorted(map(str, levels))}")
        return (s.astype(object) == treated).to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s):
        arr = s.to_numpy(dtype=float)
        bad = (arr != 0) & (arr != 1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name} must be 0/1 or boolean (or give treated=); row {i} has {arr[i]:g}")
        return arr == 1
    levels = set(s.astype(str).unique())
    if "thv" in levels and levels <= {"thv", "control"}:
        return (s.astype(str) == "thv").to_numpy(dtype=bool)
    raise ValueError(f"{name} has the values {sorted(levels)}: give treated= (the value that means treated)")
