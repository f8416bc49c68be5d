"""Covariate balance between two groups (``hv.causal.balance``)."""

from __future__ import annotations

import math

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._display import frame_html
from ._common import row_values, treatment_mask

__all__ = ["BalanceResult", "balance", "expand_covariates"]


def expand_covariates(data: pd.DataFrame, covariates: Sequence[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Covariates as numeric columns: numbers and booleans as they are,
    categories and text as one 0/1 column per level named ``var[level]``
    (R's cobalt does the same). Missing stays NaN (in every level column).

    Returns the ``p × n`` matrix, the column names and the variable each
    column comes from.
    """
    cols: list[np.ndarray] = []
    names: list[str] = []
    origin: list[str] = []
    for c in covariates:
        if c not in data.columns:
            raise ValueError(f"data has no covariate column {c!r}")
        s = data[c]
        miss = s.isna().to_numpy()
        if pd.api.types.is_bool_dtype(s) or (pd.api.types.is_numeric_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype)):
            cols.append(pd.to_numeric(s.astype("Float64"), errors="coerce").to_numpy(dtype=float, na_value=np.nan))
            names.append(str(c))
            origin.append(str(c))
            continue
        levels = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(s.dropna().astype(str).unique())
        text = s.astype(object).where(~miss, None)
        for lev in levels:
            col = (text.astype(str) == str(lev)).to_numpy(dtype=float)
            col[miss] = np.nan
            cols.append(col)
            names.append(f"{c}[{lev}]")
            origin.append(str(c))
    if not cols:
        raise ValueError("no covariates given")
    return np.ascontiguousarray(np.vstack(cols)), names, origin


class BalanceResult:
    """A balance table (see :func:`balance`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per covariate column (categories expanded to levels):
        ``type`` (binary/continuous), ``n_treated``, ``n_control`` (known
        values), ``mean_treated``, ``mean_control`` (proportions for binary
        columns), ``sd_treated``, ``sd_control``, ``smd`` (pooled SD),
        ``smd_treated`` (treated SD), ``variance_ratio``; with weights also
        ``mean_treated_adj``, ``mean_control_adj``, ``smd_adj``,
        ``smd_treated_adj``, ``variance_ratio_adj``.
    weighted : bool
    threshold : float
        The |SMD| regarded as balanced (default 0.1).
    """

    def __init__(self, table: pd.DataFrame, weighted: bool, threshold: float = 0.1) -> None:
        self.table = table
        self.weighted = weighted
        self.threshold = threshold

    def summary(self) -> pd.DataFrame:
        """The balance table."""
        return self.table

    @property
    def max_abs_smd(self) -> float:
        """The largest |SMD| (after weighting when weighted). A covariate whose
        SMD is not finite counts as imbalanced: ``inf`` when one occurs in
        one group only (SD 0, means differ), NaN when an SMD is undefined
        (no known values in a group), so ``max_abs_smd < 0.1`` is False."""
        col = "smd_adj" if self.weighted else "smd"
        a = self.table[col].to_numpy(dtype=np.float64).__abs__()
        if np.isnan(a).any():
            return math.nan
        return float(a.max()) if len(a) else 0.0

    def imbalanced(self, threshold: float | None = None) -> list[str]:
        """Covariates with |SMD| above ``threshold`` (after weighting when
        weighted), including those whose SMD is infinite or NaN."""
        t = self.threshold if threshold is None else threshold
        col = "smd_adj" if self.weighted else "smd"
        a = self.table[col].abs()
        return [str(i) for i in self.table.index[(a > t) | ~np.isfinite(a.to_numpy(dtype=np.float64))]]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """A love plot: |SMD| per covariate before (and after) weighting, with
        the threshold as a dashed line. An infinite |SMD| (a covariate present
        in one group only) is drawn at the right edge as a triangle ▶ labelled
        "∞". Returns the matplotlib Axes."""
        from ..plotting import _pyplot

        plt = _pyplot()
        t = self.table
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.3 * len(t) + 1.2))
        y = np.arange(len(t))
        cols = ["smd", "smd_adj"] if self.weighted else ["smd"]
        vals = {c: t[c].abs().to_numpy(dtype=np.float64) for c in cols}
        finite = np.concatenate([v[np.isfinite(v)] for v in vals.values()] + [np.array([self.threshold])])
        edge = 1.15 * float(finite.max())
        styles = {
            "smd": {"marker": "o", "facecolors": "none", "edgecolors": "C0", "label": "unadjusted"},
            "smd_adj": {"marker": "o", "color": "C1", "label": "adjusted"},
        }
        for c in cols:
            v = vals[c]
            inf = np.isinf(v)
            ax.scatter(np.where(inf, np.nan, v), y, **styles[c], **kwargs)
            if inf.any():
                color = "C0" if c == "smd" else "C1"
                ax.scatter(np.full(int(inf.sum()), edge), y[inf], marker=">", color=color, clip_on=False)
                for yi in y[inf]:
                    ax.annotate("∞", (edge, yi), textcoords="offset points", xytext=(-12, 0), va="center", ha="right")
        if any(np.isinf(v).any() for v in vals.values()):
            ax.set_xlim(0, edge * 1.02)
        ax.axvline(self.threshold, linestyle="--", color="grey", linewidth=1)
        ax.set_yticks(y, [str(i) for i in t.index])
        ax.invert_yaxis()
        ax.set_xlabel("|standardised mean difference|")
        ax.legend(frameon=False, loc="lower right")
        return ax

    def __repr__(self) -> str:
        kind = "weighted" if self.weighted else "unweighted"
        return f"<BalanceResult: {len(self.table)} covariates, {kind}, max |SMD| {self.max_abs_smd:.3f}>"

    def _repr_html_(self) -> str:
        note = f"SMD standardised by the unweighted SDs; |SMD| > {self.threshold:g} is commonly taken as imbalance."
        return frame_html("Covariate balance", self.table, note, "{:.3f}")


def balance(
    data: pd.DataFrame,
    covariates: Sequence[str],
    treatment: Any,
    weights: Any = None,
    *,
    treated: Any = None,
    threshold: float = 0.1,
) -> BalanceResult:
    """Balance of covariates between treated and control cases, before and after weighting.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case.
    covariates : sequence of str
        Columns to compare. Numbers and booleans are used as they are;
        categories and text are expanded to one 0/1 column per level
        (``education[low]``), as R's cobalt does.
    treatment : str or array-like
        Column name or values: 0/1, boolean, or ``"thv"``/``"control"``
        (other labels need ``treated=``).
    weights : str, array-like or result, optional
        Weights (a column name, an array, or an object with a ``weights``
        attribute such as :func:`ipw`'s result or a matched set): the table
        then shows the adjusted balance next to the unadjusted one.
    treated : optional
        The value of ``treatment`` that means treated.
    threshold : float
        |SMD| regarded as balanced in :meth:`BalanceResult.imbalanced` and
        the love plot.

    Returns
    -------
    BalanceResult

    Notes
    -----
    Means and SMDs are computed per covariate over the cases where it is
    known. ``smd`` divides the difference in means by
    ``sqrt((s1² + s0²)/2)`` and ``smd_treated`` by ``s1``, both the
    *unweighted* SDs (cobalt's default, so SMDs before and after weighting
    are comparable). Binary columns have ``s² = p(1 − p)``, others the
    n − 1 sample variance; weighted variances use ``Σw(x − m)² · Σw / ((Σw)²
    − Σw²)``. Variance ratios (treated/control) are left empty for binary
    columns. Formulas in docs/causal.md.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"thv": [1, 1, 1, 1, 0, 0, 0, 0],
    ...                    "threat": [1, 1, 0, 0, 1, 0, 0, 0],
    ...                    "age": [30, 40, 35, 45, 30, 32, 28, 50]})
    >>> b = hv.causal.balance(df, ["threat", "age"], "thv")
    >>> b.table["smd"].round(3).tolist()   # threat: (0.5 − 0.25)/√((0.25 + 0.1875)/2)
    [0.535, 0.294]
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data must be a pandas DataFrame")
    if isinstance(covariates, str):
        covariates = [covariates]
    t = treatment_mask(row_values(treatment, data, "treatment", len(data)), treated)
    x, names, origin = expand_covariates(data, list(covariates))
    w = None
    if weights is not None:
        if hasattr(weights, "weights") and not isinstance(weights, str | np.ndarray | pd.Series):
            weights = weights.weights
        if isinstance(weights, pd.Series) and not weights.index.equals(data.index):
            weights = weights.reindex(data.index)
            if weights.isna().any():
                raise ValueError("weights do not cover every row of data (align them on data's index)")
        w = np.ascontiguousarray(row_values(weights, data, "weights", len(data)), dtype=np.float64)
    rows = _core.causal_balance(x, names, np.ascontiguousarray(t), w)
    table = pd.DataFrame(
        {
            "variable": origin,
            "type": ["binary" if r["binary"] else "continuous" for r in rows],
            "n_treated": [r["n_known"][0] for r in rows],
            "n_control": [r["n_known"][1] for r in rows],
            "mean_treated": [r["mean"][0] for r in rows],
            "mean_control": [r["mean"][1] for r in rows],
            "sd_treated": [r["sd"][0] for r in rows],
            "sd_control": [r["sd"][1] for r in rows],
            "smd": [r["smd_pooled"] for r in rows],
            "smd_treated": [r["smd_treated"] for r in rows],
            "variance_ratio": [r["variance_ratio"] for r in rows],
        },
        index=pd.Index(names, name="covariate"),
    )
    if w is not None:
        table["mean_treated_adj"] = [r["mean_adjusted"][0] for r in rows]
        table["mean_control_adj"] = [r["mean_adjusted"][1] for r in rows]
        table["smd_adj"] = [r["smd_pooled_adjusted"] for r in rows]
        table["smd_treated_adj"] = [r["smd_treated_adjusted"] for r in rows]
        table["variance_ratio_adj"] = [r["variance_ratio_adjusted"] for r in rows]
    return BalanceResult(table, w is not None, threshold)
