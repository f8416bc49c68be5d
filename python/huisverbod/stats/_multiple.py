"""hv.stats: multiple testing — adjusted p-values (Bonferroni, Holm, Hochberg,
Benjamini–Hochberg, Benjamini–Yekutieli), computed in the Rust core.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from .. import _core

__all__ = ["AdjustedPValues", "adjust_pvalues"]

#: The report's significance level (p < .10, Regioplan 2013, Bijlage 2).
REPORT_ALPHA = 0.10


class AdjustedPValues:
    """Adjusted p-values and reject decisions.

    Attributes
    ----------
    pvalues : numpy.ndarray
        Adjusted p-values in the input order (NaN where the input was NaN).
    reject : numpy.ndarray of bool
        Rejected at ``alpha`` (False where the input was NaN).
    raw : numpy.ndarray
        The p-values given.
    method : str
        ``"bonferroni"``, ``"holm"``, ``"hochberg"``, ``"fdr_bh"`` or ``"fdr_by"``.
    statsmodels_method : str
        The same method's name in ``statsmodels.stats.multitest.multipletests``.
    alpha : float
        The error rate controlled.
    n_tests : int
        The family size: the number of non-NaN p-values.
    """

    def __init__(self, native: dict[str, Any], raw: np.ndarray, index: pd.Index | None) -> None:
        self.pvalues: np.ndarray = np.asarray(native["pvalues"], dtype=np.float64)
        self.reject: np.ndarray = np.asarray(native["reject"], dtype=bool)
        self.raw = raw
        self.method: str = native["method"]
        self.statsmodels_method: str = native["statsmodels_method"]
        self.alpha: float = native["alpha"]
        self.n_tests: int = native["n_tests"]
        self._index = index

    def __iter__(self) -> Any:
        """Unpacks as ``reject, pvalues`` (the first two of statsmodels' tuple)."""
        return iter((self.reject, self.pvalues))

    def __len__(self) -> int:
        return len(self.pvalues)

    def to_frame(self) -> pd.DataFrame:
        """A DataFrame with columns ``p``, ``p_adjusted`` and ``reject``
        (indexed like a pandas Series input)."""
        out = pd.DataFrame(
            {"p": self.raw, "p_adjusted": self.pvalues, "reject": self.reject},
            index=self._index,
        )
        out.attrs.update(method=self.method, alpha=self.alpha, n_tests=self.n_tests)
        return out

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain lists and scalars."""
        return {
            "method": self.method,
            "alpha": self.alpha,
            "n_tests": self.n_tests,
            "p": self.raw.tolist(),
            "p_adjusted": self.pvalues.tolist(),
            "reject": self.reject.tolist(),
        }

    def __repr__(self) -> str:
        return (
            f"AdjustedPValues(method={self.method!r}, alpha={self.alpha:g}, n_tests={self.n_tests}, "
            f"rejected={int(self.reject.sum())})"
        )

    def _repr_html_(self) -> str:
        note = f"{self.method}, alpha = {self.alpha:g}, family of {self.n_tests} tests"
        body = self.to_frame().to_html(float_format=lambda x: f"{x:.4g}", na_rep="–", border=0)
        return f"<div><strong>Adjusted p-values</strong>{body}<p style='font-size:smaller'>{html.escape(note)}</p></div>"


def adjust_pvalues(pvalues: Any, method: str = "holm", alpha: float = REPORT_ALPHA) -> AdjustedPValues:
    """Adjust p-values for multiple testing.

    As :func:`statsmodels.stats.multitest.multipletests` (equal to 1e-12),
    with statsmodels' method names (``"simes-hochberg"``) accepted too.

    Parameters
    ----------
    pvalues : array_like or pandas.Series
        The p-values, in [0, 1]; NaN marks a missing test.
    method : str, default "holm"
        ``"bonferroni"``, ``"holm"`` (step-down), ``"hochberg"`` (alias
        ``"simes-hochberg"``; Simes–Hochberg step-up), ``"fdr_bh"`` (alias
        ``"bh"``; Benjamini–Hochberg) or ``"fdr_by"`` (alias ``"by"``;
        Benjamini–Yekutieli).
    alpha : float, default 0.10
        The family-wise error rate (or false discovery rate for the FDR
        methods) for ``reject``. The default is the report's level, p < .10
        (statsmodels' default is 0.05).

    Returns
    -------
    AdjustedPValues
        ``.pvalues`` (adjusted, capped at 1, monotone in the raw p-values),
        ``.reject``, ``.n_tests``, ``.to_frame()``; unpacks as
        ``reject, pvalues``.

    Raises
    ------
    ValueError
        A p-value outside [0, 1], ``alpha`` outside (0, 1) or an unknown
        method.

    Notes
    -----
    With the ``m`` p-values sorted, ``p(1) ≤ … ≤ p(m)``: Bonferroni ``m·p``;
    Holm ``max_{j≤i} (m−j+1)·p(j)``; Hochberg ``min_{j≥i} (m−j+1)·p(j)``;
    BH ``min_{j≥i} m·p(j)/j``; BY ``min_{j≥i} m·c_m·p(j)/j`` with
    ``c_m = Σ_{k≤m} 1/k``; all capped at 1. ``reject`` is computed as
    statsmodels does, from the raw p-values against the per-rank thresholds.

    **NaN rule.** NaN p-values are left out of the family: they stay NaN, are
    never rejected, and the family size ``m`` (``n_tests``) counts only the
    non-NaN p-values. statsmodels has no such rule: it counts NaNs in ``m``,
    Holm may mark a NaN as rejected, and for Hochberg and the FDR methods the
    NaN spreads to every adjusted p-value.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scand. J. Statist.* 6, 65–70. Hochberg, Y. (1988). A sharper Bonferroni
    procedure for multiple tests of significance. *Biometrika* 75, 800–802.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
    rate. *JRSS B* 57, 289–300. Benjamini, Y. & Yekutieli, D. (2001). The
    control of the false discovery rate in multiple testing under
    dependency. *Ann. Statist.* 29, 1165–1188.

    Examples
    --------
    >>> import huisverbod as hv
    >>> r = hv.stats.adjust_pvalues([0.04, 0.01, 0.02], method="holm")
    >>> r.pvalues.round(10).tolist()
    [0.04, 0.03, 0.04]
    >>> r.reject.tolist()
    [True, True, True]
    >>> hv.stats.adjust_pvalues([0.01, float("nan"), 0.04], method="bonferroni").pvalues.tolist()
    [0.02, nan, 0.08]
    """
    index = pvalues.index if isinstance(pvalues, pd.Series) else None
    try:
        arr = np.asarray(pvalues, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"pvalues must be numeric: {e}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"pvalues must be one-dimensional, got shape {arr.shape}")
    arr = np.ascontiguousarray(arr)
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, got {method!r}")
    native = _core.multiple_adjust_pvalues(arr, method, float(alpha))
    return AdjustedPValues(native, arr, index)
