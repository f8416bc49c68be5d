"""Conversions between pandas objects and the native column format.

Native columns come as ``(kind, values, extra)`` tuples (see
``src/python/mod.rs``); DataFrame columns go in as ``(name, kind, data)`` with
kind ``"num"`` (float64, NaN missing), ``"date"`` (float64 days since
1970-01-01, NaN missing) or ``"text"`` (list of str or None).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

_EPOCH_DAY = np.datetime64("1970-01-01", "D")

#: The dtype of text columns: pandas' default string dtype from pandas 3 on
#: (missing is NaN), plain ``object`` (missing is None) before.
TEXT_DTYPE: str = "str" if int(pd.__version__.split(".")[0]) >= 3 else "object"


def text_index(values: list[str | None], name: str) -> pd.Index:
    """An index of identifiers with the text dtype."""
    return pd.Index(values, name=name, dtype=TEXT_DTYPE)


def column_to_series(payload: tuple[str, Any, Any], name: str, index: pd.Index | None = None) -> pd.Series:
    """One native column as a pandas Series with a nullable dtype.

    bool -> ``boolean``, int -> ``Int64``, float -> ``float64`` (NaN unknown),
    date -> ``datetime64[ns]`` (NaT unknown), category -> ``category`` with the
    allowed values as categories, text -> pandas' default string dtype (``str`` from pandas 3, else ``object``).
    """
    kind, values, extra = payload
    if kind == "bool":
        arr: Any = pd.arrays.BooleanArray(np.asarray(values, dtype=bool), np.asarray(extra, dtype=bool))
    elif kind == "int":
        arr = pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.asarray(extra, dtype=bool))
    elif kind == "float":
        arr = np.asarray(values, dtype=np.float64)
    elif kind == "date":
        days = np.asarray(values, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")
        days[np.asarray(extra, dtype=bool)] = np.datetime64("NaT")
        arr = days
    elif kind == "category":
        arr = pd.Categorical.from_codes(np.asarray(values, dtype=np.int64), categories=list(extra))
    elif kind == "text":
        return pd.Series(values, name=name, index=index, dtype=TEXT_DTYPE)
    else:  # pragma: no cover - the native module only produces the kinds above
        raise TypeError(f"unknown column kind {kind!r}")
    return pd.Series(arr, name=name, index=index)


def _text_of(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def series_to_column(s: pd.Series) -> tuple[str, Any]:
    """A DataFrame column as (kind, data) for the native reader."""
    dtype = s.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
        dtype = s.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        days = s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        out = (days - _EPOCH_DAY).astype(np.float64)
        out[np.isnat(days)] = np.nan
        return "date", out
    if pd.api.types.is_bool_dtype(dtype) or (
        pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    ):
        return "num", s.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = s.isna().to_numpy()
    values = s.tolist()
    return "text", [None if m else _text_of(v) for v, m in zip(values, missing, strict=True)]


def frame_to_columns(df: pd.DataFrame, label: str) -> list[tuple[str, str, Any]]:
    """All columns of a DataFrame as (name, kind, data) triples."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{label} must be a pandas DataFrame, got {type(df).__name__}")
    if not df.columns.is_unique:
        dupes = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise ValueError(f"{label}: duplicate column names {dupes}")
    cols = []
    for name in df.columns:
        kind, data = series_to_column(df[name])
        cols.append((str(name), kind, data))
    return cols
