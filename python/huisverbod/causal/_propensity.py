"""Propensity scores, overlap diagnostics and trimming (``hv.causal.propensity``)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from .. import _core
from .._display import frame_html
from ..models import ConvergenceWarning, SeparationWarning, _formula_variables, logit
from ._common import OverlapWarning, row_values, treatment_mask

__all__ = ["PropensityResult", "propensity"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _term(data: pd.DataFrame, c: str) -> str:
    q = c if _IDENT.match(c) else f"`{c}`"
    s = data[c]
    if pd.api.types.is_bool_dtype(s) or (pd.api.types.is_numeric_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype)):
        return q
    return f"C({q})"


class PropensityResult:
    """A fitted propensity score (see :func:`propensity`).

    Attributes
    ----------
    score : pandas.Series
        ``ê(x)`` for the cases used (rows with a missing covariate are left
        out, as in :func:`huisverbod.logit`).
    treatment : numpy.ndarray
        True for treated cases, aligned with ``score``.
    model : huisverbod.models.LogitResult
        The logistic regression.
    overlap : dict
        ``range_treated``, ``range_control``, ``common_support``,
        ``n_outside_treated``, ``n_outside_control``, ``share_outside``,
        ``no_overlap``.
    covariates : list of str
        The variables of the model.
    data : pandas.DataFrame
        The rows used.
    """

    def __init__(self, model: Any, data: pd.DataFrame, formula: str, covariates: list[str], method: str) -> None:
        self.model = model
        self.formula = formula
        self.covariates = covariates
        self.method = method
        idx = model.fittedvalues.index
        self.data = data.loc[idx]
        self.score = pd.Series(np.asarray(model.fittedvalues, dtype=float), index=idx, name="propensity")
        self.treatment = np.asarray(model._prep.y == 1.0)
        self.treatment_name = model.endog_name
        self.n_input = len(data)
        self.overlap = _core.causal_overlap(np.ascontiguousarray(self.score.to_numpy()), np.ascontiguousarray(self.treatment))
        for msg in self.overlap["warnings"]:
            warnings.warn(msg, OverlapWarning, stacklevel=3)

    @property
    def design(self) -> np.ndarray:
        """The design matrix of the propensity model (rows as ``score``)."""
        return self.model._prep.x

    def trim(self, rule: Literal["crump", "minmax"] = "crump", alpha: float = 0.1) -> PropensityResult:
        """The propensity model refitted on the cases a trimming rule keeps.

        ``"crump"`` keeps ``alpha ≤ ê ≤ 1 − alpha`` (Crump et al. 2009);
        ``"minmax"`` keeps the common support. The score is re-estimated on
        the kept cases (the population has changed).
        """
        keep = _core.causal_trim(
            np.ascontiguousarray(self.score.to_numpy()), np.ascontiguousarray(self.treatment), rule, float(alpha)
        )
        if keep.all():
            return self
        sub = self.data.loc[keep]
        return propensity(self.formula, sub, method=self.method)  # type: ignore[arg-type]

    def kept(self, rule: Literal["crump", "minmax"] = "crump", alpha: float = 0.1) -> pd.Series:
        """Which cases a trimming rule keeps (boolean Series on ``score``'s index)."""
        keep = _core.causal_trim(
            np.ascontiguousarray(self.score.to_numpy()), np.ascontiguousarray(self.treatment), rule, float(alpha)
        )
        return pd.Series(keep, index=self.score.index, name="kept")

    def overlap_table(self) -> pd.DataFrame:
        """Score ranges and the cases outside the common support, per group."""
        o = self.overlap
        lo, hi = o["common_support"]
        return pd.DataFrame(
            {
                "n": [int(self.treatment.sum()), int((~self.treatment).sum())],
                "min": [o["range_treated"][0], o["range_control"][0]],
                "max": [o["range_treated"][1], o["range_control"][1]],
                "outside_common_support": [o["n_outside_treated"], o["n_outside_control"]],
            },
            index=pd.Index(["treated", "control"], name=f"common support [{lo:.3f}, {hi:.3f}]"),
        )

    def plot(self, ax: Any = None, bins: int = 20, **kwargs: Any) -> Any:
        """Histograms of the scores per group (control mirrored below the
        axis), with the common support shaded. Returns the Axes."""
        from ..plotting import _pyplot

        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        edges = np.linspace(0.0, 1.0, bins + 1)
        s = self.score.to_numpy()
        h1, _ = np.histogram(s[self.treatment], edges)
        h0, _ = np.histogram(s[~self.treatment], edges)
        width = edges[1] - edges[0]
        ax.bar(edges[:-1], h1, width=width, align="edge", color="C1", label="treated", **kwargs)
        ax.bar(edges[:-1], -h0, width=width, align="edge", color="C0", label="control", **kwargs)
        lo, hi = self.overlap["common_support"]
        if lo <= hi:
            ax.axvspan(lo, hi, color="grey", alpha=0.12, label="common support")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlabel("propensity score")
        ax.set_ylabel("cases (control below)")
        ax.legend(frameon=False)
        return ax

    def __repr__(self) -> str:
        o = self.overlap
        return (
            f"<PropensityResult: {len(self.score)} cases ({int(self.treatment.sum())} treated), "
            f"{100 * o['share_outside']:.1f}% outside the common support>"
        )

    def _repr_html_(self) -> str:
        return frame_html(f"Propensity score: {self.formula}", self.overlap_table(), None, "{:.3f}")


def propensity(
    formula: str | Sequence[str],
    data: pd.DataFrame,
    *,
    treatment: Any = None,
    treated: Any = None,
    method: Literal["ml", "firth"] = "ml",
) -> PropensityResult:
    """Propensity scores by logistic regression, with overlap diagnostics.

    Parameters
    ----------
    formula : str or sequence of str
        A formula ``"thv ~ threat + physical + C(education)"`` whose outcome
        is the 0/1 treatment (the formula path of :func:`huisverbod.logit`),
        or a list of covariate columns together with ``treatment=``
        (categories and text become ``C(...)`` terms).
    data : pandas.DataFrame
        One row per case.
    treatment : str or array-like, optional
        With a list of columns: the treatment (0/1, boolean,
        ``"thv"``/``"control"``, or other labels with ``treated=``).
    treated : optional
        The value of ``treatment`` that means treated.
    method : {"ml", "firth"}
        Maximum likelihood, or Firth's penalised likelihood when the groups
        are (nearly) separated.

    Returns
    -------
    PropensityResult

    Warns
    -----
    OverlapWarning
        The model separates the groups, the score ranges do not overlap,
        more than 10% of the cases lie outside the common support, or some
        scores are within 1e-6 of 0 or 1 — each message says what to try.

    Notes
    -----
    Common support (min/max rule): ``[max(min ê|T=1, min ê|T=0),
    min(max ê|T=1, max ê|T=0)]``. Rows with a missing covariate are left
    out (listwise, as :func:`huisverbod.logit`); ``score`` has the rows used.

    References
    ----------
    Rosenbaum & Rubin (1983), Biometrika 70, 41–55. Crump, Hotz, Imbens &
    Mitnik (2009), Biometrika 96, 187–199.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"thv":    [1, 0, 1, 1, 0, 0, 1, 0],
    ...                    "threat": [0, 0, 1, 1, 0, 1, 0, 1]})
    >>> ps = hv.causal.propensity("thv ~ threat", df)
    >>> ps.score.round(3).tolist()   # 2 of 4 treated in both threat groups
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data must be a pandas DataFrame")
    if isinstance(formula, str):
        if treatment is not None:
            raise ValueError("give the treatment as the formula's outcome, or columns with treatment=, not both")
        if "~" not in formula:
            raise ValueError(f"the formula {formula!r} needs the treatment on the left: 'thv ~ x1 + x2'")
        used = data
        f = formula
        lhs = formula.split("~", 1)[0].strip()
        covariates = [v for v in _formula_variables(formula, data) if v != lhs]
    else:
        cols = [str(c) for c in formula]
        if treatment is None:
            raise ValueError("with a list of covariate columns, give treatment= (a column name or values)")
        for c in cols:
            if c not in data.columns:
                raise ValueError(f"data has no covariate column {c!r}")
        t = treatment_mask(row_values(treatment, data, "treatment", len(data)), treated)
        used = data.assign(_treated=t.astype(float))
        f = "_treated ~ " + " + ".join(_term(data, c) for c in cols)
        covariates = cols
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = logit(f, used, method=method)
    for w in caught:
        if issubclass(w.category, SeparationWarning):
            warnings.warn(
                f"the propensity model separates the groups: {w.message} Some covariate pattern occurs in one "
                "group only, so there is no overlap there and weights are unbounded; drop or coarsen that "
                "covariate, restrict the cohort to comparable cases, or use method='firth'",
                OverlapWarning,
                stacklevel=2,
            )
        elif issubclass(w.category, ConvergenceWarning):
            warnings.warn(str(w.message), ConvergenceWarning, stacklevel=2)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return PropensityResult(model, used, f, covariates, method)
