"""Regression models: logistic (maximum likelihood or Firth), linear, Poisson
and negative binomial, with the statistics SPSS prints.

The report's overarching analysis (section 5.5, Bijlage 5) consists of
logistic regressions for "any new incident" (with Nagelkerke's R²) and linear
regressions for "number of new incidents"; counts are better modelled with
:func:`poisson` or :func:`negbin` and the follow-up time as ``exposure``.
Small subgroups produce separation, for which ``logit(..., method="firth")``
gives finite estimates.

Every function takes either a Wilkinson formula on a DataFrame (the syntax
statsmodels users know, through the ``formulaic`` package)::

    hv.logit("any_new ~ age + C(education) + started_help * group", data=df)

or arrays ``y`` and ``X`` (as ``statsmodels.api.Logit(y, X)``: no constant is
added to ``X``). Rows with a missing value in any variable used are removed
(listwise deletion, as SPSS does); the result reports ``nobs``, ``n_input``
and ``missing_by_variable``. The fits run in the Rust core and agree with
statsmodels (``Logit``, ``OLS``/``WLS``, ``Poisson``, ``NegativeBinomial``,
``GLM`` with ``freq_weights``/``var_weights``) as each function documents.

Examples
--------
>>> import numpy as np, pandas as pd
>>> import huisverbod as hv
>>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
>>> fit = hv.logit("y ~ x", data=df)
>>> fit.params.round(4).tolist()
[-3.1085, 0.9838]
>>> round(fit.r2_nagelkerke, 4)
0.4386
"""

from __future__ import annotations

import html
import math
import sys
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _core
from ._display import frame_html
from .stats._common import TestResult, check_level
from .survival import ConvergenceWarning

__all__ = [
    "BoundaryWarning",
    "ConvergenceWarning",
    "CountResult",
    "LogitResult",
    "OLSResult",
    "RegressionResult",
    "SeparationWarning",
    "B5_MODELS",
    "B5_PREDICTORS",
    "Bijlage5Result",
    "bijlage5",
    "bijlage5_data",
    "logit",
    "lr_test",
    "negbin",
    "ols",
    "poisson",
]

CovType = Literal["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"]
WeightType = Literal["frequency", "analytic"]


class SeparationWarning(UserWarning):
    """A logistic regression shows (quasi-)complete separation: some covariate
    combination predicts the outcome perfectly, so the maximum-likelihood
    estimates of the variables named in the message do not exist. The result
    carries ``separation`` (kind, variables) and ``separated = True``; refit
    with ``method="firth"``."""


class BoundaryWarning(UserWarning):
    """A parameter is estimated on the boundary of its space (the negative
    binomial dispersion α at 0: no overdispersion, the model is Poisson)."""


# ------------------------------------------------------------------ input


def _user_context() -> dict[str, Any]:
    """Variables of the first caller frame outside this package (formulaic
    evaluates functions such as ``np.log`` or user transforms there)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("huisverbod"):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return {}
    ctx = dict(frame.f_globals)
    ctx.update(frame.f_locals)
    return ctx


def _align(obj: Any, index: pd.Index, name: str, other: str) -> Any:
    """``obj`` (a Series or DataFrame) reordered to ``index`` when the two
    indexes hold the same labels, as statsmodels requires of pandas inputs
    (it raises "indices not aligned"); a ValueError naming the argument when
    they differ. Matching by position would pair values of different rows."""
    if obj.index.equals(index):
        return obj
    if len(obj.index) != len(index):
        raise ValueError(f"{name} has length {len(obj.index)}, {other} has {len(index)}")
    if not (obj.index.is_unique and index.is_unique):
        raise ValueError(
            f"{name} and {other} have different indices and one of them has duplicate labels, "
            "so the rows cannot be matched; reset both indexes or pass arrays"
        )
    missing = index.difference(obj.index)
    if len(missing):
        extra = obj.index.difference(index)
        raise ValueError(
            f"{name} and {other} have different indices: {other} has labels {list(missing[:5])} "
            f"that {name} lacks, and {name} has {list(extra[:5])} that {other} lacks "
            "(the rows are matched by index label, as in statsmodels; align them, or pass arrays to match by position)"
        )
    return obj.reindex(index)


def _as_column(
    v: Any, data: pd.DataFrame | None, name: str, index: pd.Index, labelled: bool, other: str
) -> tuple[str, pd.Series]:
    """A per-row argument (weights, offset, exposure, cluster) as a Series on
    ``index``. A Series is matched to the rows by index label when the rows
    carry pandas labels (``labelled``: a formula's data, or y/X given as
    pandas objects), else by position."""
    if isinstance(v, str):
        if data is None or v not in data.columns:
            raise ValueError(f"{name}: data has no column {v!r}")
        return v, data[v]
    if isinstance(v, pd.Series):
        if labelled:
            return name, _align(v, index, name, other)
        if len(v) != len(index):
            raise ValueError(f"{name} has length {len(v)}, expected {len(index)}")
        return name, pd.Series(v.to_numpy(), index=index)
    arr = np.asarray(v)
    if arr.ndim != 1 or len(arr) != len(index):
        raise ValueError(f"{name} must be one-dimensional with length {len(index)}, got shape {arr.shape}")
    return name, pd.Series(arr, index=index)


def _check_levels(spec: Any, new_data: pd.DataFrame) -> None:
    """Raises a ValueError naming the variable and the levels when a
    categorical factor of the formula has, in ``new_data`` (complete rows),
    levels the fit did not see (as statsmodels/patsy do)."""
    from formulaic.transforms import TRANSFORMS
    from formulaic.utils.stateful_transforms import stateful_eval

    env = {**TRANSFORMS, **_user_context(), **{c: new_data[c] for c in new_data.columns}}
    for expr, (kind, state) in spec.encoder_state.items():
        if getattr(kind, "value", kind) != "categorical" or "categories" not in state:
            continue
        variables: set[Any] = set()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                v = stateful_eval(expr, env, None, {}, None, variables=variables)
        except Exception:
            continue  # formulaic's own DataMismatchWarning is turned into an error later
        values = pd.Series(np.asarray(getattr(v, "__wrapped__", v), dtype=object).reshape(-1))
        seen = pd.Series(list(state["categories"]), dtype=object)
        unseen = values[~values.isin(seen) & values.notna()].unique().tolist()
        if unseen:
            names = sorted(str(getattr(x, "name", x)) for x in variables if str(getattr(x, "name", x)) in new_data.columns)
            who = f"variable {names[0]!r}" if len(names) == 1 else f"variables {names}"
            raise ValueError(
                f"{who} (term {expr}) has level(s) {[_label(u) for u in unseen]} not seen in the fit; "
                f"the fit knows {[_label(c) for c in state['categories']]}. A prediction for an unseen "
                "category is not defined (formulaic would silently give it the reference level's)"
            )


def _label(v: Any) -> Any:
    """An index label for messages (numpy scalars as Python values)."""
    return v.item() if isinstance(v, np.generic) else v


class _Prepared:
    """Arrays ready for the native fit plus the bookkeeping of listwise deletion."""

    y: np.ndarray
    x: np.ndarray
    names: list[str]
    weights: np.ndarray | None
    offset: np.ndarray | None
    clusters: np.ndarray | None
    index: pd.Index
    n_input: int
    missing_by_variable: pd.Series
    spec: Any
    y_name: str
    offset_source: tuple[str, str] | None  # (kind, column name) for predict


def _formula_variables(formula: str, data: pd.DataFrame) -> list[str]:
    from formulaic import Formula

    try:
        req = Formula(formula).required_variables
    except Exception as e:  # formulaic raises its own parser errors
        raise ValueError(f"cannot parse the formula {formula!r}: {e}") from None
    used = [v for v in req if v in data.columns]
    return sorted(used, key=lambda v: (formula.find(v) if v in formula else len(formula), v))


def _arrays_xy(y: Any, X: Any) -> tuple[np.ndarray, np.ndarray, list[str], str, pd.Index, bool]:
    """The array API: X and y as float64 arrays (one copy at most), names,
    index, and whether the index came from a pandas input. When both are
    pandas objects, y is matched to X's rows by index label."""
    index: pd.Index | None = None
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
        bad = [str(c) for c in X.columns if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))]
        if bad:
            raise ValueError(f"X columns must be numeric; not numeric: {bad} (use a formula with C() for categories)")
        xarr = X.to_numpy(dtype=np.float64, na_value=np.nan)
        index = X.index
    elif isinstance(X, pd.Series):
        names = [str(X.name) if X.name is not None else "x0"]
        xarr = X.to_numpy(dtype=np.float64, na_value=np.nan)[:, None]
        index = X.index
    else:
        try:
            xarr = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("X must be numeric (use a formula with C() for categories)") from None
        if xarr.ndim == 1:
            xarr = xarr[:, None]
        if xarr.ndim != 2:
            raise ValueError(f"X must be 1- or 2-dimensional, got shape {xarr.shape}")
        names = [f"x{j}" for j in range(xarr.shape[1])]
    if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        yname = str(y.name) if y.name is not None else "y"
        if index is None:
            index = y.index
        else:
            y = _align(y, index, "y", "X")
        yraw = y.to_numpy(dtype=np.float64, na_value=np.nan) if not pd.api.types.is_object_dtype(y) else y.to_numpy()
    else:
        yname = "y"
        yraw = np.asarray(y)
    try:
        yarr = np.asarray(yraw, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"the outcome {yname!r} must be numeric or boolean") from None
    if yarr.ndim != 1 or len(yarr) != xarr.shape[0]:
        raise ValueError(f"y must be one-dimensional with the {xarr.shape[0]} rows of X, got shape {yarr.shape}")
    if yname in names:
        yname = f"{yname} (outcome)"
    labelled = index is not None
    if index is None:
        index = pd.RangeIndex(len(yarr))
    return yarr, np.ascontiguousarray(xarr), names, yname, index, labelled


def _prepare(
    kind: str,
    formula: str | None,
    data: pd.DataFrame | None,
    y: Any,
    X: Any,
    weights: Any,
    offset: Any,
    exposure: Any,
    cluster: Any,
    missing: str,
    context: dict[str, Any],
) -> _Prepared:
    if missing not in ("drop", "raise"):
        raise ValueError(f"missing must be 'drop' or 'raise', got {missing!r}")
    if offset is not None and exposure is not None:
        raise ValueError("give offset or exposure, not both")
    if kind == "ols" and (offset is not None or exposure is not None):
        raise ValueError("offset/exposure are for count and logistic models; subtract an offset from y for OLS")
    p = _Prepared()
    miss: dict[str, np.ndarray] = {}
    if formula is not None:
        if not isinstance(formula, str):
            raise TypeError("formula must be a string such as 'y ~ x1 + C(x2)'")
        if data is None:
            raise ValueError("a formula needs data=DataFrame")
        if y is not None or X is not None:
            raise ValueError("give either a formula with data, or y and X, not both")
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        if len(data) == 0:
            raise ValueError("the data are empty (0 rows)")
        index = data.index
        labelled = True
        for v in _formula_variables(formula, data):
            miss[v] = data[v].isna().to_numpy()
    else:
        if y is None or X is None:
            raise ValueError("give a formula with data=, or the arrays y and X")
        yarr, xarr, names, yname, index, labelled = _arrays_xy(y, X)
        if len(yarr) == 0:
            raise ValueError("the data are empty (0 rows)")
        miss[yname] = np.isnan(yarr)
        nan = np.isnan(xarr)
        col_counts = nan.sum(axis=0)
        row_any = nan.any(axis=1)
        del nan
    extras: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    for arg, v in (("weights", weights), ("offset", offset), ("exposure", exposure), ("cluster", cluster)):
        if v is not None:
            other = "data" if formula is not None else ("X" if isinstance(X, (pd.DataFrame, pd.Series)) else "y")
            label, s_ = _as_column(v, data if formula is not None else None, arg, index, labelled, other)
            extras[arg] = s_
            labels[arg] = label
    for arg, s_ in extras.items():
        miss.setdefault(labels[arg], s_.isna().to_numpy())
    counts = {k: int(m.sum()) for k, m in miss.items()}
    any_missing = np.zeros(len(index), dtype=bool)
    for m in miss.values():
        any_missing |= m
    if formula is None:
        counts = {yname: counts.pop(yname), **{n: int(c) for n, c in zip(names, col_counts, strict=True)}, **counts}
        any_missing |= row_any
    counts_s = pd.Series(counts, dtype="int64", name="missing")
    if missing == "raise" and any_missing.any():
        bad = counts_s[counts_s > 0]
        raise ValueError(
            f"{int(any_missing.sum())} rows have missing values ({', '.join(f'{k}: {v}' for k, v in bad.items())}); "
            "use missing='drop' for listwise deletion"
        )
    keep = ~any_missing
    if not keep.any():
        raise ValueError(
            "no complete rows: every row has a missing value ("
            + ", ".join(f"{k}: {v}" for k, v in counts_s[counts_s > 0].items())
            + ")"
        )
    all_rows = bool(keep.all())
    p.n_input = len(index)
    p.missing_by_variable = counts_s
    p.index = index if all_rows else index[keep]
    p.spec = None
    if formula is not None:
        import formulaic

        sub = data if all_rows else data.loc[keep]
        try:
            # log(0) and the like become ±inf/NaN, reported below with the column and row
            with np.errstate(divide="ignore", invalid="ignore"):
                mm = formulaic.model_matrix(formula, sub, na_action="raise", context=context)
        except Exception as e:
            raise ValueError(f"cannot build the design from {formula!r}: {e}") from None
        lhs, rhs = mm.lhs, mm.rhs
        if lhs is None or lhs.shape[1] == 0:
            raise ValueError("the formula has no outcome (left-hand side)")
        if lhs.shape[1] != 1:
            raise ValueError(
                f"the outcome must be one numeric or boolean column, got {list(lhs.columns)} "
                "(a text outcome? recode it to 0/1)"
            )
        p.y_name = str(lhs.columns[0])
        yarr = np.asarray(lhs.iloc[:, 0], dtype=np.float64)
        p.names = [str(c) for c in rhs.columns]
        p.spec = rhs.model_spec
        try:
            xarr = np.asarray(rhs, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("the design has non-numeric columns") from None
        p.x = np.ascontiguousarray(xarr)
        nonfinite = ~np.isfinite(p.x)
        if nonfinite.any():
            r, c = np.argwhere(nonfinite)[0]
            raise ValueError(f"column {p.names[c]!r} has the non-finite value {p.x[r, c]} at row {_label(p.index[r])!r}")
    else:
        p.y_name = yname
        p.names = names
        if not all_rows:
            xarr = xarr[keep]
            yarr = yarr[keep]
        p.x = np.ascontiguousarray(xarr)
        if np.isinf(p.x).any():
            r, c = np.argwhere(np.isinf(p.x))[0]
            raise ValueError(f"column {p.names[c]!r} has the non-finite value {p.x[r, c]} at row {_label(p.index[r])!r}")
    if p.x.shape[1] == 0:
        raise ValueError("the design has no columns")
    if not np.isfinite(yarr).all():
        r = int(np.flatnonzero(~np.isfinite(yarr))[0])
        raise ValueError(f"the outcome {p.y_name!r} has the non-finite value {yarr[r]} at row {_label(p.index[r])!r}")
    p.y = np.ascontiguousarray(yarr)
    if kind == "logit":
        bad = (p.y != 0.0) & (p.y != 1.0)
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"the outcome {p.y_name!r} must be binary (0/1 or boolean) for logistic regression; "
                f"row {_label(p.index[r])!r} has {p.y[r]:g}"
            )
    if kind in ("poisson", "negbin"):
        bad = p.y < 0
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise ValueError(f"the outcome {p.y_name!r} must be a non-negative count; row {_label(p.index[r])!r} has {p.y[r]:g}")
        bad = p.y != np.floor(p.y)
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"the outcome {p.y_name!r} must be a whole-number count; row {_label(p.index[r])!r} has {p.y[r]:g} "
                "(for a rate, use the count as outcome and the time as exposure=)"
            )
    p.weights = None
    p.offset = None
    p.clusters = None
    p.offset_source = None

    def rows(s_: pd.Series) -> np.ndarray:
        v = s_.to_numpy()
        return v if all_rows else v[keep]

    if "weights" in extras:
        w = np.asarray(rows(extras["weights"]), dtype=np.float64)
        if (w < 0).any() or not np.isfinite(w).all():
            raise ValueError("weights must be finite and non-negative")
        p.weights = np.ascontiguousarray(w)
    if "offset" in extras:
        p.offset = np.ascontiguousarray(np.asarray(rows(extras["offset"]), dtype=np.float64))
        p.offset_source = ("offset", labels["offset"])
    if "exposure" in extras:
        e = np.asarray(rows(extras["exposure"]), dtype=np.float64)
        if (e <= 0).any():
            raise ValueError("exposure must be positive (it enters as offset = log(exposure))")
        p.offset = np.ascontiguousarray(np.log(e))
        p.offset_source = ("exposure", labels["exposure"])
    if "cluster" in extras:
        codes, _ = pd.factorize(rows(extras["cluster"]))
        p.clusters = np.ascontiguousarray(codes.astype(np.int64))
    return p


# ------------------------------------------------------------------ results


def _pfmt(v: float) -> str:
    if not math.isfinite(v):
        return "nan"
    return f"{v:.3g}" if v >= 0.001 else f"{v:.2e}"


class RegressionResult:
    """A fitted regression model (base class; see :class:`LogitResult`,
    :class:`OLSResult`, :class:`CountResult`).

    statsmodels' names: ``params``, ``bse``, ``tvalues`` (also ``zvalues``),
    ``pvalues``, ``conf_int()``, ``cov_params()``, ``nobs``, ``df_model``,
    ``df_resid``, ``llf``, ``llnull``, ``llr``, ``llr_pvalue``, ``aic``,
    ``bic``, ``fittedvalues``, ``predict()``, ``converged``.

    Attributes
    ----------
    params, bse, tvalues, zvalues, pvalues : pandas.Series
        Indexed by the design column names. ``tvalues`` and ``zvalues`` are
        the same numbers (statsmodels calls them ``tvalues`` for every model);
        they are referred to Student's t when ``use_t`` (OLS without robust
        covariance, as statsmodels), else to the standard normal.
    nobs : float
        Observations used (``Σ w`` with frequency weights).
    n_input : int
        Rows in the input.
    missing_by_variable : pandas.Series
        For the outcome and every variable used: the number of input rows
        missing on it (a row missing on two variables counts for both).
    n_missing : int
        Rows removed by listwise deletion (``n_input − rows used``).
    converged : bool
        Whether Newton's method reached a maximum. False also when the steps
        became small only because the information matrix became singular
        (coefficients running off to ±infinity).
    status : str
        ``"converged"``, ``"not converged"`` or, for a logistic regression
        with (quasi-)complete separation, ``"separation"`` (then
        ``converged`` is False: the maximum-likelihood estimates do not
        exist). The summary's info line shows it instead of "converged".
    iterations : int
    iteration_log : pandas.DataFrame
        ``llf``, ``halvings`` and ``max_change`` per Newton iteration.
    cov_type : str
    n_clusters : int or None
    warnings : list of str
        What the fit warned about (also issued as Python warnings).
    """

    _stat_name = "z"

    def __init__(self, fit: Any, prep: _Prepared, formula: str | None, confidence_level: float = 0.95) -> None:
        r = fit.results()
        self._fit = fit
        self._r = r
        self._prep = prep
        self.formula = formula
        self.model = r["model"]
        self.method = r["method"]
        names = list(r["names"])
        self.exog_names = names
        self.endog_name = prep.y_name
        idx = pd.Index(names, name="term")
        self.params = pd.Series(r["params"], index=idx, name="coef")
        self.bse = pd.Series(r["bse"], index=idx, name="std_err")
        self.tvalues = pd.Series(r["statistics"], index=idx, name="t" if r["use_t"] else "z")
        self.zvalues = self.tvalues
        self.pvalues = pd.Series(r["pvalues"], index=idx, name="pvalue")
        self.use_t = bool(r["use_t"])
        self.df_inference = r["df_inference"]
        self.nobs = float(r["nobs"])
        self.n_input = prep.n_input
        self.n_missing = prep.n_input - int(r["n_rows"])
        self.missing_by_variable = prep.missing_by_variable
        self.df_model = float(r["df_model"])
        self.df_resid = float(r["df_resid"])
        self.k_constant = int(r["k_constant"])
        self.llf = float(r["llf"])
        self.llnull = float(r["llnull"])
        self.aic = float(r["aic"])
        self.bic = float(r["bic"])
        self.scale = float(r["scale"])
        self.cov_type = r["cov_type"]
        self.n_clusters = r["n_clusters"]
        self.weight_type = r["weight_type"]
        self.converged = bool(r["converged"])
        self.status = "converged" if self.converged else "not converged"
        self.iterations = int(r["iterations"])
        hist = r["history"]
        self.iteration_log = pd.DataFrame(
            [h[1:] for h in hist],
            index=pd.Index([h[0] for h in hist], name="iteration"),
            columns=["llf", "halvings", "max_change"],
        )
        lr = r["lr_test"]
        self.llr, self.llr_df, self.llr_pvalue = (float(lr[0]), float(lr[1]), float(lr[2])) if lr else (math.nan,) * 3
        self.fittedvalues = pd.Series(r["fitted"], index=prep.index, name="fitted")
        self.linear_predictor = pd.Series(r["linear_predictor"], index=prep.index, name="linear_predictor")
        self.resid_response = pd.Series(prep.y - r["fitted"], index=prep.index, name="resid")
        self.warnings = list(r["warnings"])
        self.confidence_level = check_level(confidence_level)
        self._cov = pd.DataFrame(np.asarray(r["cov_params"]), index=idx, columns=idx)

    # ----------------------------------------------------------- inference
    def conf_int(self, confidence_level: float | None = None, alpha: float | None = None) -> pd.DataFrame:
        """Wald confidence limits of the coefficients.

        Parameters
        ----------
        confidence_level : float, optional
            Default: the level given at fitting (0.95).
        alpha : float, optional
            statsmodels' spelling: ``confidence_level = 1 − alpha``. Give one
            of the two.

        Returns
        -------
        pandas.DataFrame
            Columns ``lower`` and ``upper``, indexed by term; the level is in
            ``.attrs["confidence_level"]``.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> ci = fit.conf_int()        # coef ∓ 1.959964·se
        >>> ci.round(4).values.tolist()
        [[-7.6804, 1.4634], [-0.2894, 2.257]]
        >>> fit.conf_int(alpha=0.1).equals(fit.conf_int(0.9))
        True
        """
        level = self._level(confidence_level, alpha)
        lo, hi = self._fit.conf_int(level)
        out = pd.DataFrame({"lower": lo, "upper": hi}, index=self.params.index)
        out.attrs["confidence_level"] = level
        return out

    def _level(self, confidence_level: float | None, alpha: float | None) -> float:
        if confidence_level is not None and alpha is not None:
            raise ValueError("give confidence_level or alpha, not both")
        if alpha is not None:
            a = float(alpha)
            if not 0.0 < a < 1.0:
                raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
            return 1.0 - a
        return check_level(self.confidence_level if confidence_level is None else confidence_level)

    def cov_params(self) -> pd.DataFrame:
        """The covariance matrix of the estimates (robust when ``cov_type`` is)."""
        return self._cov.copy()

    def wald_test(self, terms: str | Sequence[str]) -> TestResult:
        """Wald chi-square test that the named coefficients are all zero
        (for example every column of one categorical variable):
        ``W = bᵀV⁻¹b`` on ``q`` df, with ``V`` their covariance.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> t = fit.wald_test("x")     # one term: W = z²
        >>> round(t.statistic, 4), t.df, round(float(fit.zvalues["x"]) ** 2, 4)
        (2.2938, 1.0, 2.2938)
        """
        if isinstance(terms, str):
            terms = [terms]
        terms = list(terms)
        if not terms:
            raise ValueError(f"name at least one term to test; terms: {list(self.params.index)}")
        unknown = [t for t in terms if t not in self.params.index]
        if unknown:
            raise ValueError(f"unknown term(s) {unknown}; terms: {list(self.params.index)}")
        idx = [int(self.params.index.get_loc(t)) for t in terms]
        w, q, pv = self._fit.wald(idx)
        return TestResult(
            "Wald test",
            {"statistic": float(w), "df": float(q), "pvalue": float(pv), "method": "Wald chi-square", "terms": list(terms)},
        )

    # ---------------------------------------------------------- prediction
    def _formula_design(self, new_data: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
        """The design of new rows from the fit's formula: NaN rows where a
        variable of the formula is missing; a ValueError naming the variable
        and the levels for categories the fit has not seen (formulaic would
        give them all-zero dummies, i.e. the reference level's prediction)."""
        spec = self._prep.spec
        used = [v for v in sorted(spec.required_variables) if v in new_data.columns]
        ok = ~new_data[used].isna().any(axis=1).to_numpy() if used else np.ones(len(new_data), dtype=bool)
        sub = new_data if ok.all() else new_data.loc[ok]
        _check_levels(spec, sub)
        x = np.full((len(new_data), len(self.exog_names)), np.nan)
        if len(sub):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                mm = spec.get_model_matrix(sub, na_action="ignore")
            for w in caught:
                if w.category.__name__ == "DataMismatchWarning":
                    raise ValueError(f"new data do not match the fit: {w.message}")
                warnings.warn(w.message, w.category, stacklevel=4)
            missing = [c for c in self.exog_names if c not in mm.columns]
            if missing:
                raise ValueError(f"new data do not produce the columns {missing}")
            x[ok] = np.asarray(mm[self.exog_names], dtype=np.float64)
        return np.ascontiguousarray(x), new_data.index

    def _new_design(self, new_data: Any) -> tuple[np.ndarray, pd.Index]:
        if self._prep.spec is not None and isinstance(new_data, pd.DataFrame):
            return self._formula_design(new_data)
        if isinstance(new_data, pd.DataFrame):
            missing = [c for c in self.exog_names if c not in new_data.columns]
            if missing:
                raise ValueError(f"new data lack the columns {missing}")
            return np.ascontiguousarray(new_data[self.exog_names].to_numpy(dtype=np.float64)), new_data.index
        arr = np.asarray(new_data, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != len(self.exog_names):
            raise ValueError(f"new data must have {len(self.exog_names)} columns ({self.exog_names}), got shape {arr.shape}")
        return np.ascontiguousarray(arr), pd.RangeIndex(arr.shape[0])

    def predict(
        self,
        new_data: Any = None,
        *,
        offset: Any = None,
        exposure: Any = None,
        which: Literal["mean", "linear"] = "mean",
    ) -> pd.Series:
        """Predicted means (probabilities, expected counts) or linear predictor.

        Parameters
        ----------
        new_data : DataFrame or array, optional
            With a formula fit: a DataFrame with the variables of the formula
            (categories must be levels seen in the fit). With an array fit:
            the design columns. Default: the fitted rows.
        offset, exposure : array, optional
            For new rows. When omitted and the model was fitted with
            ``offset=``/``exposure=`` given as a column name, that column of
            ``new_data`` is used if present; otherwise 0 (a rate per unit of
            exposure).
        which : {"mean", "linear"}
            The mean ``h(xβ + offset)`` or the linear predictor.

        Returns
        -------
        pandas.Series
            NaN for rows with a missing value.

        Raises
        ------
        ValueError
            A category level the fit has not seen (naming the variable and
            the levels), or new data of the wrong shape.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> fit.predict(pd.DataFrame({"x": [2.0, 5.0, None]})).round(4).tolist()
        [0.2422, 0.8594, nan]
        """
        if which not in ("mean", "linear"):
            raise ValueError(f"which must be 'mean' or 'linear', got {which!r}")
        if new_data is None:
            return (self.fittedvalues if which == "mean" else self.linear_predictor).copy()
        x, index = self._new_design(new_data)
        if offset is not None and exposure is not None:
            raise ValueError("give offset or exposure, not both")
        off = None
        if exposure is not None:
            e = np.asarray(exposure, dtype=np.float64).reshape(-1)
            if (e <= 0).any():
                raise ValueError("exposure must be positive")
            off = np.log(e)
        elif offset is not None:
            off = np.asarray(offset, dtype=np.float64).reshape(-1)
        elif self._prep.offset_source is not None and isinstance(new_data, pd.DataFrame):
            kind, col = self._prep.offset_source
            if col in new_data.columns:
                v = new_data[col].to_numpy(dtype=np.float64)
                off = np.log(v) if kind == "exposure" else v
        ok = np.isfinite(x).all(axis=1)
        if off is not None:
            if len(off) != len(x):
                raise ValueError(f"offset/exposure has length {len(off)}, expected {len(x)}")
            ok &= np.isfinite(off)
        out = np.full(len(x), np.nan)
        if ok.any():
            xo = np.ascontiguousarray(x[ok])
            oo = None if off is None else np.ascontiguousarray(off[ok])
            out[ok] = self._fit.predict(xo, oo, which == "linear")
        return pd.Series(out, index=index, name="predicted" if which == "mean" else "linear_predictor")

    # ------------------------------------------------------------- display
    def _exp_name(self) -> str | None:
        return None

    def summary(self, confidence_level: float | None = None, alpha: float | None = None) -> pd.DataFrame:
        """The coefficient table: ``coef``, ``std_err``, ``z`` (or ``t``),
        ``pvalue``, ``ci_low``, ``ci_high``, and for logistic and count models
        the exponentiated coefficient (``odds_ratio`` / ``irr``) with its
        interval. The level is in ``.attrs["confidence_level"]``; model
        statistics are in ``.attrs["info"]``.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> s = fit.summary()
        >>> list(s.columns[:6]), s.attrs["info"]["status"].split(" (")[0]
        (['coef', 'std_err', 'z', 'pvalue', 'ci_low', 'ci_high'], 'converged')
        >>> s.loc["x", ["coef", "std_err"]].round(3).tolist()
        [0.984, 0.65]
        """
        ci = self.conf_int(confidence_level, alpha)
        stat = "t" if self.use_t else "z"
        out = pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                stat: self.tvalues,
                "pvalue": self.pvalues,
                "ci_low": ci["lower"],
                "ci_high": ci["upper"],
            }
        )
        e = self._exp_name()
        if e is not None:
            rows = [t for t in out.index if t != "alpha"]
            out[e] = np.nan
            out[f"{e}_ci_low"] = np.nan
            out[f"{e}_ci_high"] = np.nan
            with np.errstate(over="ignore"):  # a diverging coefficient's ratio is inf
                out.loc[rows, e] = np.exp(out.loc[rows, "coef"])
                out.loc[rows, f"{e}_ci_low"] = np.exp(out.loc[rows, "ci_low"])
                out.loc[rows, f"{e}_ci_high"] = np.exp(out.loc[rows, "ci_high"])
        out.attrs["confidence_level"] = ci.attrs["confidence_level"]
        out.attrs["info"] = self.info()
        return out

    def _title(self) -> str:
        return "Regression"

    def info(self) -> dict[str, Any]:
        """Model-level facts and statistics as a dict."""
        d: dict[str, Any] = {
            "model": self._title(),
            "outcome": self.endog_name,
            "observations": self.nobs,
            "rows removed (missing)": self.n_missing,
            "covariance": self.cov_type + (f" ({self.n_clusters} clusters)" if self.n_clusters else ""),
            "log-likelihood": self.llf,
            "LR chi2": self.llr,
            "LR df": self.llr_df,
            "LR p": self.llr_pvalue,
            "AIC": self.aic,
            "BIC": self.bic,
            "status": f"{self.status} ({self.iterations} iterations)",
        }
        if self.weight_type:
            d["weights"] = self.weight_type
        return d

    def _info_text(self) -> str:
        parts = []
        for k, v in self.info().items():
            if isinstance(v, float):
                v = _pfmt(v) if k.endswith(" p") or k == "p" else f"{v:.6g}"
            parts.append(f"{k}: {v}")
        return "; ".join(parts)

    def print_summary(self, decimals: int = 4) -> None:
        """Prints the model facts and the coefficient table."""
        print(self._title())
        for k, v in self.info().items():
            print(f"  {k:<28}{v:.6g}" if isinstance(v, float) else f"  {k:<28}{v}")
        print()
        print(self.summary().to_string(float_format=lambda x: f"{x:.{decimals}f}"))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(model={self.model!r}, method={self.method!r}, nobs={self.nobs:g}, "
            f"terms={self.exog_names}, llf={self.llf:.6g}, converged={self.converged})"
        )

    def _repr_html_(self) -> str:
        return frame_html(self._title(), self.summary(), note=self._info_text(), float_format="{:.4g}")


class LogitResult(RegressionResult):
    """A fitted logistic regression (see :func:`logit`).

    Besides :class:`RegressionResult`'s attributes:

    Attributes
    ----------
    odds_ratios : pandas.Series
        ``exp(params)``.
    r2_cox_snell, r2_nagelkerke, r2_mcfadden : float
        SPSS's "Model Summary" (Cox & Snell, Nagelkerke) and McFadden's
        pseudo-R² (statsmodels' ``prsquared``, also available under that name).
    hosmer_lemeshow : TestResult or None
        ``statistic``, ``df``, ``pvalue`` and ``table`` (DataFrame per group:
        n, observed and expected events and non-events). None when the test
        is not defined; ``hosmer_lemeshow_note`` then says why.
    hosmer_lemeshow_note : str or None
        Why there is no Hosmer–Lemeshow test: fewer than 3 groups of fitted
        probabilities, or a group whose fitted probabilities are all 0 or 1
        (as under separation), where the statistic divides by 0.
    classification_table : pandas.DataFrame
        Observed × predicted at cut 0.5 with the percentage correct.
    separated : bool
    separation : dict or None
        ``kind`` ("complete" or "quasi-complete"), ``variables``,
        ``n_perfect``, ``message``.
    """

    def __init__(self, fit: Any, prep: _Prepared, formula: str | None, confidence_level: float = 0.95) -> None:
        super().__init__(fit, prep, formula, confidence_level)
        b = self._r["binary"]
        with np.errstate(over="ignore"):  # separation: exp of a diverging coefficient is inf
            self.odds_ratios = np.exp(self.params).rename("odds_ratio")
        self.r2_cox_snell = float(b["r2_cox_snell"])
        self.r2_nagelkerke = float(b["r2_nagelkerke"])
        self.r2_mcfadden = float(b["r2_mcfadden"])
        self.prsquared = self.r2_mcfadden
        hl = b["hosmer_lemeshow"]
        self.hosmer_lemeshow_note = b["hosmer_lemeshow_note"]
        if hl is None:
            self.hosmer_lemeshow = None
        else:
            table = pd.DataFrame(
                hl["table"],
                columns=["n", "observed_1", "expected_1", "observed_0", "expected_0"],
                index=pd.RangeIndex(1, len(hl["table"]) + 1, name="group"),
            )
            self.hosmer_lemeshow = TestResult(
                "Hosmer-Lemeshow test",
                {"statistic": float(hl["statistic"]), "df": float(hl["df"]), "pvalue": float(hl["pvalue"]), "method": "Hosmer-Lemeshow", "table": table},
            )
        t = np.asarray(b["classification"])
        pc = b["percent_correct"]
        self.classification_table = pd.DataFrame(
            {"predicted_0": t[:, 0], "predicted_1": t[:, 1], "percent_correct": pc[:2]},
            index=pd.Index(["observed_0", "observed_1"], name=f"cut {b['cut']:g}"),
        )
        self.classification_table.attrs["overall_percent_correct"] = float(pc[2])
        self.separation = self._r["separation"]
        self.separated = self.separation is not None
        if self.separated:
            self.status = "separation"

    def _title(self) -> str:
        return "Logistic regression" + (" (Firth penalised likelihood)" if self.method == "firth" else "")

    def _exp_name(self) -> str | None:
        return "odds_ratio"

    def info(self) -> dict[str, Any]:
        d = super().info()
        d["Cox & Snell R2"] = self.r2_cox_snell
        d["Nagelkerke R2"] = self.r2_nagelkerke
        d["McFadden R2"] = self.r2_mcfadden
        if self.hosmer_lemeshow is not None:
            d["Hosmer-Lemeshow chi2"] = self.hosmer_lemeshow.statistic
            d["Hosmer-Lemeshow p"] = self.hosmer_lemeshow.pvalue
        else:
            d["Hosmer-Lemeshow"] = self.hosmer_lemeshow_note
        if self.separated:
            d["separation"] = f"{self.separation['kind']}: {', '.join(self.separation['variables'])}"
        return d

    def _native_args(self) -> tuple[Any, ...]:
        p = self._prep
        return (p.y, p.x, self.exog_names, p.weights, self.weight_type or "frequency", p.offset)

    def profile_conf_int(self, confidence_level: float | None = None, alpha: float | None = None) -> pd.DataFrame:
        """Profile-likelihood limits of the coefficients (penalised likelihood
        for a Firth fit, as R's ``logistf``; plain likelihood otherwise, as R's
        ``confint(glm)``). A limit that does not exist (separation under
        maximum likelihood) is ±inf. Columns ``lower``, ``upper``.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> fit.profile_conf_int().loc["x"].round(4).tolist()   # excludes 0, as LR p < .05
        [0.0083, 2.7892]
        """
        level = self._level(confidence_level, alpha)
        r = _core.logit_profile(self._fit, *self._native_args(), confidence_level=level)
        out = pd.DataFrame({"lower": r["lower"], "upper": r["upper"]}, index=self.params.index)
        out.attrs["confidence_level"] = level
        return out

    def odds_ratio_conf_int(
        self, confidence_level: float | None = None, method: Literal["wald", "profile"] = "wald", alpha: float | None = None
    ) -> pd.DataFrame:
        """Limits of the odds ratios: ``exp`` of the Wald or profile limits."""
        if method not in ("wald", "profile"):
            raise ValueError(f"method must be 'wald' or 'profile', got {method!r}")
        ci = self.conf_int(confidence_level, alpha) if method == "wald" else self.profile_conf_int(confidence_level, alpha)
        with np.errstate(over="ignore"):
            out = np.exp(ci)
        out.attrs = dict(ci.attrs)
        return out

    def lr_tests(self) -> pd.DataFrame:
        """Likelihood-ratio test of each coefficient against 0 (penalised for
        a Firth fit: logistf's default p-values). Columns ``chi2``, ``pvalue``.

        ``chi2 = 2[ℓ(β̂) − max ℓ(β | β_j = 0)]`` on 1 df; under maximum
        likelihood this is the LR test against the refit without column j.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
        ...                    "x": [1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0]})
        >>> fit = hv.logit("y ~ x", data=df)
        >>> lr = fit.lr_tests()        # x: the same as lr_test(y ~ x, y ~ 1)
        >>> lr.loc["x"].round(4).tolist()
        [3.9224, 0.0476]
        """
        r = _core.logit_profile(self._fit, *self._native_args(), confidence_level=0.95, tests=True)
        return pd.DataFrame({"chi2": r["statistic"], "pvalue": r["pvalue"]}, index=self.params.index)


class OLSResult(RegressionResult):
    """A fitted linear regression (see :func:`ols`).

    Attributes
    ----------
    rsquared, rsquared_adj : float
    fvalue, f_pvalue : float
        F test of all non-constant coefficients (Wald form with the chosen
        covariance, as statsmodels).
    df_f : tuple of float
        Its degrees of freedom.
    ssr, ess, centered_tss, mse_resid : float
    resid : pandas.Series
    """

    def __init__(self, fit: Any, prep: _Prepared, formula: str | None, confidence_level: float = 0.95) -> None:
        super().__init__(fit, prep, formula, confidence_level)
        lin = self._r["linear"]
        self.rsquared = float(lin["rsquared"])
        self.rsquared_adj = float(lin["rsquared_adj"])
        self.fvalue = float(lin["fvalue"])
        self.f_pvalue = float(lin["f_pvalue"])
        self.df_f = tuple(float(v) for v in lin["f_df"])
        self.ssr = float(lin["ssr"])
        self.ess = float(lin["ess"])
        self.centered_tss = float(lin["tss"]) if self.k_constant else math.nan
        self.uncentered_tss = float(lin["tss"]) if not self.k_constant else math.nan
        self.mse_resid = float(lin["mse_resid"])
        self.resid = self.resid_response

    def _title(self) -> str:
        return "Linear regression (least squares)"

    def info(self) -> dict[str, Any]:
        d = super().info()
        d["R2"] = self.rsquared
        d["adjusted R2"] = self.rsquared_adj
        d["F"] = self.fvalue
        d["F p"] = self.f_pvalue
        return d


class CountResult(RegressionResult):
    """A fitted Poisson or negative binomial regression (see :func:`poisson`,
    :func:`negbin`).

    Attributes
    ----------
    irr : pandas.Series
        Incidence-rate ratios ``exp(params)`` (without ``alpha``).
    alpha, alpha_se : float or None
        NB2 dispersion (``Var = μ + αμ²``) and its standard error; ``theta =
        1/alpha`` is what R's ``MASS::glm.nb`` reports.
    lr_test_poisson : TestResult or None
        LR test of NB against Poisson; H0 α = 0 lies on the boundary, so the
        p-value is half the χ²(1) tail.
    deviance, pearson_chi2 : float
    """

    def __init__(self, fit: Any, prep: _Prepared, formula: str | None, confidence_level: float = 0.95) -> None:
        super().__init__(fit, prep, formula, confidence_level)
        c = self._r["count"]
        rows = [t for t in self.params.index if t != "alpha"] if self.model == "negbin" else list(self.params.index)
        with np.errstate(over="ignore"):  # a diverging coefficient's ratio is inf
            self.irr = np.exp(self.params[rows]).rename("irr")
        self.alpha = c["alpha"]
        self.alpha_se = c["alpha_se"]
        self.theta = (1.0 / self.alpha if self.alpha else math.inf) if self.alpha is not None else None
        self.deviance = float(c["deviance"])
        self.pearson_chi2 = float(c["pearson_chi2"])
        self.llf_poisson = c["llf_poisson"]
        t = c["lr_test_poisson"]
        self.lr_test_poisson = (
            None
            if t is None
            else TestResult(
                "LR test NB vs Poisson",
                {"statistic": float(t[0]), "df": float(t[1]), "pvalue": float(t[2]), "method": "likelihood ratio, half chi-square(1) (boundary)"},
            )
        )

    def _title(self) -> str:
        return "Poisson regression" if self.model == "poisson" else "Negative binomial (NB2) regression"

    def _exp_name(self) -> str | None:
        return "irr"

    def irr_conf_int(self, confidence_level: float | None = None, alpha: float | None = None) -> pd.DataFrame:
        """Wald limits of the incidence-rate ratios: ``exp(coef ∓ z·se)``.

        Examples
        --------
        >>> import pandas as pd
        >>> import huisverbod as hv
        >>> df = pd.DataFrame({"n": [2, 4, 9], "g": [0, 0, 1], "days": [100, 300, 200]})
        >>> fit = hv.poisson("n ~ g", data=df, exposure="days")
        >>> # IRR = (9/200)/(6/400) = 3, se(ln IRR) = √(1/6 + 1/9):
        >>> # 3·exp(∓1.959964·0.527046) = 1.068, 8.428
        >>> fit.irr_conf_int().loc["g"].round(3).tolist()
        [1.068, 8.428]
        """
        ci = self.conf_int(confidence_level, alpha).loc[self.irr.index]
        with np.errstate(over="ignore"):
            out = np.exp(ci)
        out.attrs = dict(ci.attrs)
        return out

    def info(self) -> dict[str, Any]:
        d = super().info()
        d["deviance"] = self.deviance
        d["Pearson chi2"] = self.pearson_chi2
        if self.alpha is not None:
            d["alpha"] = float(self.alpha)
            if self.lr_test_poisson is not None:
                d["LR NB vs Poisson p"] = self.lr_test_poisson.pvalue
        return d


# ------------------------------------------------------------------ fitting

_RESULT = {"logit": LogitResult, "ols": OLSResult, "poisson": CountResult, "negbin": CountResult}


def _fit(
    kind: str,
    formula: str | None,
    data: pd.DataFrame | None,
    *,
    y: Any,
    X: Any,
    weights: Any,
    weight_type: str,
    offset: Any = None,
    exposure: Any = None,
    cluster: Any,
    cov_type: str,
    method: str = "ml",
    use_t: bool | None,
    missing: str,
    max_iter: int,
    tol: float,
    confidence_level: float,
) -> Any:
    if weight_type not in ("frequency", "analytic"):
        raise ValueError(f"weight_type must be 'frequency' or 'analytic', got {weight_type!r}")
    if cov_type == "cluster" and cluster is None:
        raise ValueError("cov_type='cluster' needs cluster= (a column name or an array)")
    if cluster is not None and cov_type == "nonrobust":
        cov_type = "cluster"
    check_level(confidence_level)
    if int(max_iter) < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter!r}")
    prep = _prepare(kind, formula, data, y, X, weights, offset, exposure, cluster, missing, _user_context())
    fit = _core.model_fit(
        kind,
        prep.y,
        prep.x,
        prep.names,
        prep.weights,
        weight_type,
        prep.offset,
        prep.clusters,
        cov_type,
        method,
        int(max_iter),
        float(tol),
        use_t,
    )
    res = _RESULT[kind](fit, prep, formula, confidence_level)
    _issue_warnings(res)
    return res


def _issue_warnings(res: RegressionResult) -> None:
    sep = getattr(res, "separation", None)
    if sep is not None:
        warnings.warn(sep["message"], SeparationWarning, stacklevel=4)
    for msg in res.warnings:
        if sep is not None and msg == sep["message"]:
            continue
        if "boundary" in msg:
            warnings.warn(msg, BoundaryWarning, stacklevel=4)
        elif "did not converge" in msg and sep is None:
            warnings.warn(msg, ConvergenceWarning, stacklevel=4)


def logit(
    formula: str | None = None,
    data: pd.DataFrame | None = None,
    *,
    y: Any = None,
    X: Any = None,
    method: Literal["ml", "firth"] = "ml",
    weights: Any = None,
    weight_type: WeightType = "frequency",
    offset: Any = None,
    cluster: Any = None,
    cov_type: CovType = "nonrobust",
    use_t: bool | None = None,
    missing: Literal["drop", "raise"] = "drop",
    max_iter: int = 100,
    tol: float = 1e-10,
    confidence_level: float = 0.95,
) -> LogitResult:
    """Binary logistic regression (SPSS LOGISTIC REGRESSION, statsmodels ``Logit``).

    Parameters
    ----------
    formula : str, optional
        Wilkinson formula ``"y ~ x1 + C(x2) + x3:x4"`` (formulaic syntax; use
        ``C(x, contr.treatment("level"))`` to choose the reference level).
        The outcome must be 0/1 or boolean.
    data : pandas.DataFrame, optional
        The data for ``formula`` (and column names given below).
    y, X : array-like, optional
        Instead of a formula: the outcome and the design (DataFrame for
        names). As ``statsmodels.api.Logit``, no constant is added.
    method : {"ml", "firth"}
        Maximum likelihood (Newton/IRLS with step halving) or Firth's
        penalised likelihood (finite estimates under separation; R's
        ``logistf``).
    weights : column name or array, optional
        Non-negative weights; ``weight_type="frequency"`` (a row stands for
        ``w`` cases, as SPSS's WEIGHT BY and statsmodels GLM
        ``freq_weights``) or ``"analytic"`` (GLM ``var_weights``).
    offset : column name or array, optional
        Added to the linear predictor.
    cluster : column name or array, optional
        Cluster labels (e.g. municipality); implies ``cov_type="cluster"``.
    cov_type : {"nonrobust", "HC0", "HC1", "cluster"}
        Model-based, sandwich (HC1 = HC0 · n/(n − k)) or cluster-robust with
        the small-sample factor G/(G − 1)·(n − 1)/(n − k) (statsmodels'
        default). Firth fits: "nonrobust" only.
    use_t : bool, optional
        Refer z statistics to t(df_resid) (t(G − 1) when clustered). Default
        False, as statsmodels.
    missing : {"drop", "raise"}
        Listwise deletion (default, reported in ``missing_by_variable``) or an
        error when any value used is missing.
    max_iter, tol : int, float
        Newton iterations and the convergence tolerance on
        ``max|Δβ|/(1 + |β|)``.
    confidence_level : float
        Default level of ``conf_int()`` and ``summary()``.

    Returns
    -------
    LogitResult

    Raises
    ------
    ValueError
        A non-binary outcome, one outcome value only, a non-finite value
        (naming the column and row), rank-deficient designs (naming the
        collinear columns or the empty category), bad options.

    Warns
    -----
    SeparationWarning
        (Quasi-)complete separation, naming the variables; the result has
        ``separated = True``.
    ConvergenceWarning
        No convergence (with the iteration log); ``converged = False``.

    Notes
    -----
    Matches statsmodels ``Logit(...).fit(method="newton")`` (coefficients,
    standard errors, z, p, ``llf``, ``llnull``, ``llr``, AIC, BIC, robust and
    cluster covariances); ``GLM(family=Binomial(), freq_weights=/var_weights=)``
    for weights. SPSS prints the Wald chi-square ``z²`` with the same p-value.
    Cox & Snell ``1 − exp(2(ℓ₀ − ℓ)/n)``, Nagelkerke (Cox & Snell divided by
    ``1 − exp(2ℓ₀/n)``) and McFadden ``1 − ℓ/ℓ₀`` R²; statsmodels has no
    Nagelkerke. Hosmer–Lemeshow: ~10 groups of sorted p̂ with ties kept
    together, df = g − 2 (SPSS's principle; the cut rule is SAS PROC
    LOGISTIC's published one, see the Rust docs). Classification table at
    0.5 (predicted 1 when p̂ > 0.5). For a Firth fit ``llf``/``llnull`` are
    penalised log-likelihoods (logistf's ``loglik``) and the standard
    errors are ``I(β̂)⁻¹`` as in logistf and firthmodels.

    References
    ----------
    Hosmer, Lemeshow & Sturdivant (2013), *Applied Logistic Regression*.
    Nagelkerke (1991), Biometrika 78, 691–692. Firth (1993), Biometrika 80,
    27–38; Heinze & Schemper (2002), Stat. Med. 21, 2409–2419.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"new":  [0, 1, 0, 1, 1, 0, 1, 0, 1, 1],
    ...                    "help": ["yes", "no", "yes", "no", "no", "yes", "yes", "no", "yes", "no"]})
    >>> fit = hv.logit("new ~ C(help, contr.treatment('yes'))", data=df)
    >>> fit.odds_ratios.round(3).tolist()   # 4 of 5 vs 2 of 5: (4/1)/(2/3) = 6
    [0.667, 6.0]
    >>> fit.classification_table["percent_correct"].round(1).tolist()
    [75.0, 66.7]
    """
    return _fit(
        "logit", formula, data, y=y, X=X, weights=weights, weight_type=weight_type, offset=offset,
        cluster=cluster, cov_type=cov_type, method=method, use_t=use_t, missing=missing,
        max_iter=max_iter, tol=tol, confidence_level=confidence_level,
    )


def ols(
    formula: str | None = None,
    data: pd.DataFrame | None = None,
    *,
    y: Any = None,
    X: Any = None,
    weights: Any = None,
    weight_type: WeightType = "analytic",
    cluster: Any = None,
    cov_type: CovType = "nonrobust",
    use_t: bool | None = None,
    missing: Literal["drop", "raise"] = "drop",
    confidence_level: float = 0.95,
) -> OLSResult:
    """Linear regression by least squares (SPSS REGRESSION, statsmodels ``OLS``/``WLS``).

    Parameters
    ----------
    formula, data, y, X, cluster, missing, confidence_level
        As :func:`logit`.
    weights : column name or array, optional
        ``weight_type="analytic"`` (default): weighted least squares with
        precision weights (statsmodels ``WLS(weights=w)``); ``"frequency"``:
        a row stands for ``w`` identical rows (SPSS's WEIGHT BY; the result
        equals OLS on the expanded data).
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}
        statsmodels' covariance types (cluster with its default correction).
    use_t : bool, optional
        Default as statsmodels: t(df_resid) for "nonrobust", the normal for a
        robust ``cov_type``. ``use_t=True`` with "cluster" uses t(G − 1).

    Returns
    -------
    OLSResult

    Notes
    -----
    The coefficients come from a Givens QR factorisation (not the normal
    equations) and agree with statsmodels ``OLS``/``WLS`` to about 1e-13;
    standard errors for each ``cov_type`` as statsmodels. ``rsquared`` is
    centred (around the weighted mean) with an intercept, uncentred
    without; the F test is the Wald test of the non-constant coefficients
    with the chosen covariance, F(q, df_resid) (F(q, G − 1) when clustered),
    as statsmodels' ``fvalue``. ``llf`` is the Gaussian log-likelihood at the
    ML variance (WLS adds ½Σ ln w).

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"y": [1.0, 3.0, 5.0, 8.0], "x": [0.0, 1.0, 2.0, 3.0]})
    >>> fit = hv.ols("y ~ x", data=df)
    >>> fit.params.round(6).tolist(), round(fit.rsquared, 6)
    ([0.8, 2.3], 0.988785)
    """
    return _fit(
        "ols", formula, data, y=y, X=X, weights=weights, weight_type=weight_type, cluster=cluster,
        cov_type=cov_type, use_t=use_t, missing=missing, max_iter=1, tol=1e-10,
        confidence_level=confidence_level,
    )


def poisson(
    formula: str | None = None,
    data: pd.DataFrame | None = None,
    *,
    y: Any = None,
    X: Any = None,
    exposure: Any = None,
    offset: Any = None,
    weights: Any = None,
    weight_type: WeightType = "frequency",
    cluster: Any = None,
    cov_type: CovType = "nonrobust",
    use_t: bool | None = None,
    missing: Literal["drop", "raise"] = "drop",
    max_iter: int = 100,
    tol: float = 1e-10,
    confidence_level: float = 0.95,
) -> CountResult:
    """Poisson regression with log link (statsmodels ``Poisson``, ``GLM(Poisson())``).

    Parameters
    ----------
    exposure : column name or array, optional
        Positive exposure (e.g. follow-up days); enters as
        ``offset = log(exposure)``, so ``exp(coef)`` are incidence-rate ratios.
    offset : column name or array, optional
        A log-scale offset (give ``exposure`` or ``offset``).
    Other parameters
        As :func:`logit` (``weight_type`` "frequency" = GLM ``freq_weights``,
        "analytic" = GLM ``var_weights``).

    Returns
    -------
    CountResult

    Notes
    -----
    Agrees with statsmodels ``Poisson(y, X, exposure=...)`` (coefficients,
    standard errors, ``llf``, ``llnull`` with the same offset, AIC, BIC,
    HC0 and cluster covariances) and ``GLM(family=Poisson())`` with weights.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"n": [2, 4, 9], "g": [0, 0, 1], "days": [100, 300, 200]})
    >>> fit = hv.poisson("n ~ g", data=df, exposure="days")
    >>> round(float(fit.irr["g"]), 6)   # 9/200 vs 6/400 per day
    3.0
    """
    return _fit(
        "poisson", formula, data, y=y, X=X, weights=weights, weight_type=weight_type, offset=offset,
        exposure=exposure, cluster=cluster, cov_type=cov_type, use_t=use_t, missing=missing,
        max_iter=max_iter, tol=tol, confidence_level=confidence_level,
    )


def negbin(
    formula: str | None = None,
    data: pd.DataFrame | None = None,
    *,
    y: Any = None,
    X: Any = None,
    exposure: Any = None,
    offset: Any = None,
    weights: Any = None,
    weight_type: WeightType = "frequency",
    cluster: Any = None,
    cov_type: CovType = "nonrobust",
    use_t: bool | None = None,
    missing: Literal["drop", "raise"] = "drop",
    max_iter: int = 100,
    tol: float = 1e-10,
    confidence_level: float = 0.95,
) -> CountResult:
    """Negative binomial (NB2) regression with log link; dispersion by ML.

    ``Var(y) = μ + αμ²``; ``alpha`` is the last entry of ``params`` (as in
    statsmodels ``NegativeBinomial``), with its standard error from the
    observed information of (β, α). R's ``MASS::glm.nb`` reports
    ``theta = 1/alpha`` (also on the result). Parameters as :func:`poisson`.

    Returns
    -------
    CountResult
        With ``alpha``, ``alpha_se``, ``theta`` and ``lr_test_poisson``
        (LR test of NB against Poisson with the boundary half-χ² p-value).

    Warns
    -----
    BoundaryWarning
        α estimated at 0 (no overdispersion): the fit is the Poisson fit and
        the standard error of α is NaN.

    Notes
    -----
    Agrees with statsmodels ``NegativeBinomial(y, X, exposure=...,
    loglike_method="nb2").fit(method="newton")``: coefficients and α,
    standard errors, ``llf``, ``llnull`` (constant-only NB), AIC/BIC (α
    counted), HC0 and cluster covariances (α included in the sandwich).

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"n": [0, 3, 1, 7, 0, 12, 2, 5], "g": [0, 1] * 4})
    >>> fit = hv.negbin("n ~ g", data=df)
    >>> fit.alpha > 0
    True
    """
    return _fit(
        "negbin", formula, data, y=y, X=X, weights=weights, weight_type=weight_type, offset=offset,
        exposure=exposure, cluster=cluster, cov_type=cov_type, use_t=use_t, missing=missing,
        max_iter=max_iter, tol=tol, confidence_level=confidence_level,
    )


def lr_test(full: RegressionResult, restricted: RegressionResult) -> TestResult:
    """Likelihood-ratio test of a restricted model nested in a full one.

    ``LR = 2(ℓ_full − ℓ_restricted)`` referred to χ² with the difference in
    the number of parameters (statsmodels' ``compare_lr_test``). Both models
    must be fitted to the same rows: fit the restricted model on
    ``full.fittedvalues.index`` when the full model dropped rows with missing
    values.

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 1], "x": [1, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7]})
    >>> t = hv.models.lr_test(hv.logit("y ~ x", df), hv.logit("y ~ 1", df))
    >>> round(t.statistic, 4), t.df
    (3.9224, 1.0)
    """
    if not isinstance(full, RegressionResult) or not isinstance(restricted, RegressionResult):
        raise TypeError("lr_test compares two fitted models (results of hv.models functions)")
    stat, df, p = _core.model_lr_test(full._fit, restricted._fit)
    return TestResult("Likelihood-ratio test", {"statistic": stat, "df": df, "pvalue": p, "method": "likelihood ratio (nested models)"})


# ------------------------------------------------------------------ Bijlage 5

#: The predictors of the report's Bijlage 5 models: (report label, variable,
#: where it comes from). Binary characteristics are 0/1; "started help" is
#: ``help_started`` partial or full; "cooperation sufficient" is cooperation
#: 4–5 (Bijlage 2); "problem areas" is the count over the five areas of
#: Table 4.1; "case consultation" is ``case_consultations > 0``;
#: "system-oriented work" is ``system_after == "yes"``; "criminal
#: trajectory" is the perpetrator's ``referred_to_prosecutor``.
B5_PREDICTORS: dict[str, list[tuple[str, str]]] = {
    "perpetrator": [
        ("Leeftijd", "age"),
        ("Geslacht", "female"),
        ("Starten met hulp", "started_help"),
        ("Accepteren van hulp", "accepted_help"),
        ("Voldoende meewerken aan hulp", "cooperation_sufficient"),
        ("Signalen van alcoholverslaving", "alcohol_signals"),
        ("Aantal probleemgebieden", "problem_areas"),
    ],
    "victim": [
        ("Leeftijd", "age"),
        ("Achterblijver accepteert hulp", "accepted_help"),
        ("Medewerking aan hulpverlening (voldoende doorlopen)", "cooperation_sufficient"),
        ("Aantal probleemgebieden", "problem_areas"),
    ],
    "case": [
        ("Er heeft casusoverleg plaatsgevonden", "case_consultation"),
        ("Overtredingen van huisverbod", "order_violated"),
        ("Incidenten tijdens huisverbod", "incidents_during_order"),
        ("Verlenging van huisverbod", "order_extended"),
        ("Aanwezigheid van minderjarige kinderen in het huishouden", "minor_children"),
        ("Gebruik van of dreiging met een wapen tijdens het incident", "weapon"),
        ("Systeemgericht werken na het tijdelijk huisverbod", "system_after_yes"),
        ("Strafrechtelijk traject", "criminal_trajectory"),
        ("Wijziging in de samenstelling van het huishouden", "household_changed"),
    ],
}

#: The six models: table id → (model, predictor set, outcome).
B5_MODELS: dict[str, tuple[str, str, str]] = {
    "B5.1": ("logit", "perpetrator", "any_new"),
    "B5.2": ("ols", "perpetrator", "n_new"),
    "B5.3": ("logit", "victim", "any_new"),
    "B5.4": ("ols", "victim", "n_new"),
    "B5.5": ("logit", "case", "any_new"),
    "B5.6": ("ols", "case", "n_new"),
}


def _num(s: pd.Series) -> pd.Series:
    """A nullable column as float64 with NaN for missing."""
    return pd.to_numeric(s.astype("Float64"), errors="coerce").astype("float64")


def bijlage5_data(cohort: Any, *, sources: Sequence[str] | None = None, window_days: int | None = None) -> pd.DataFrame:
    """The analysis file of Bijlage 5: one row per restraining-order (thv) case.

    Columns: the outcomes ``any_new`` (0/1) and ``n_new`` (number of new
    incidents; all sources unless ``sources`` is given, as the report's
    section 5.5), and the predictors of :data:`B5_PREDICTORS` prefixed
    ``perpetrator_``, ``victim_`` or ``case_`` (NaN where unknown). With more
    than one perpetrator or victim in a case, the first one listed is used.
    """
    rec = cohort.recidivism(sources=sources, window_days=window_days).to_frame()
    cases, persons, _ = cohort.to_frames()
    cases = cases.set_index("case_id")
    thv = cases.index[cases["group"].astype(str) == "thv"]
    out = pd.DataFrame(index=pd.Index(thv, name="case_id"))
    out["any_new"] = rec.loc[thv, "any"].astype(float)
    out["n_new"] = rec.loc[thv, "count"].astype(float)
    coop = cohort.cooperation_sufficient()
    areas = cohort.problem_area_count()
    persons = persons.assign(
        _coop=coop.to_numpy(dtype="float64", na_value=np.nan),
        _areas=areas.to_numpy(dtype="float64", na_value=np.nan),
    )
    for role, prefix in (("perpetrator", "perpetrator_"), ("victim", "victim_")):
        p = persons[persons["role"].astype(str) == role].drop_duplicates("case_id").set_index("case_id")
        p = p.reindex(thv)
        out[prefix + "age"] = _num(p["age"])
        out[prefix + "female"] = np.where(p["sex"].isna(), np.nan, (p["sex"].astype(str) == "f").astype(float))
        started = p["help_started"].astype(str)
        out[prefix + "started_help"] = np.where(p["help_started"].isna(), np.nan, started.isin(["partial", "full"]).astype(float))
        out[prefix + "accepted_help"] = _num(p["help_accepted"])
        out[prefix + "cooperation_sufficient"] = p["_coop"].to_numpy()
        out[prefix + "alcohol_signals"] = _num(p["alcohol_signals"])
        out[prefix + "problem_areas"] = p["_areas"].to_numpy()
        out[prefix + "referred_to_prosecutor"] = _num(p["referred_to_prosecutor"])
    c = cases.loc[thv]
    out["case_case_consultation"] = np.where(c["case_consultations"].isna(), np.nan, (_num(c["case_consultations"]) > 0).astype(float))
    for col in ("order_violated", "incidents_during_order", "order_extended", "minor_children", "weapon", "household_changed"):
        out["case_" + col] = _num(c[col]).to_numpy()
    sa = c["system_after"]
    out["case_system_after_yes"] = np.where(sa.isna(), np.nan, (sa.astype(str) == "yes").astype(float))
    out["case_criminal_trajectory"] = out["perpetrator_referred_to_prosecutor"]
    return out


def _p_text(p: float) -> str:
    if not math.isfinite(p):
        return ""
    if p < 0.005:
        return "p<.01"
    return "p=" + f"{p:.2f}".lstrip("0")


def _result_text(kind: str, coef: float, significant: bool) -> str:
    if not significant:
        return "Geen"
    if kind == "logit":
        return (
            "Samenhang met het uitblijven van nieuwe incidenten huiselijk geweld"
            if coef < 0
            else "Samenhang met het opnieuw vóórkomen van nieuwe incidenten huiselijk geweld"
        )
    return "Samenhang met minder nieuwe incidenten huiselijk geweld" if coef < 0 else "Samenhang met meer nieuwe incidenten huiselijk geweld"


class Bijlage5Result:
    """The six Bijlage 5 models (see :func:`bijlage5`).

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        Per table id ("B5.1" … "B5.6"), one row per characteristic in the
        report's order: the report's columns ``Resultaat``, ``p-waarde``,
        ``significant`` (at ``alpha``), next to the estimate (``odds_ratio``
        for the logistic models, ``coef`` for the linear ones) with its
        interval (``ci_low``, ``ci_high``), the exact ``p``, and the
        published ``p (rapport)`` and ``significant (rapport)``. A
        characteristic that could not be estimated (constant, or fewer than
        ``min_count`` cases in its smaller category, like sex in B5.1) has
        empty cells, as in the report. ``.attrs`` holds ``n``, ``r2``
        (Nagelkerke for logistic, R² for linear models), the published R²
        and ``not_estimated``.
    fits : dict of str to RegressionResult
    data : pandas.DataFrame
        The analysis file (:func:`bijlage5_data`).
    """

    def __init__(self, tables: dict[str, pd.DataFrame], fits: dict[str, Any], data: pd.DataFrame, alpha: float) -> None:
        self.tables = tables
        self.fits = fits
        self.data = data
        self.alpha = alpha

    def summary(self) -> pd.DataFrame:
        """All six tables stacked, with the table id as the outer index."""
        return pd.concat(self.tables, names=["table", "kenmerk"])

    def __repr__(self) -> str:
        parts = [f"{k}: n={t.attrs['n']}, R2={t.attrs['r2']:.2f}" for k, t in self.tables.items()]
        return "Bijlage5Result(" + "; ".join(parts) + ")"

    def _repr_html_(self) -> str:
        blocks = []
        for k, t in self.tables.items():
            title = f"Tabel {k} — {t.attrs['title']}"
            note = (
                f"n = {t.attrs['n']}; {t.attrs['r2_name']} = {t.attrs['r2']:.2f} "
                f"(rapport: Nagelkerke R² = {t.attrs['r2_published']}); significant bij p < {self.alpha:g}"
            )
            blocks.append(frame_html(title, t, note=note, float_format="{:.3f}"))
        return "".join(blocks)


def bijlage5(
    cohort: Any,
    *,
    sources: Sequence[str] | None = None,
    window_days: int | None = None,
    alpha: float = 0.10,
    min_count: int = 2,
    cov_type: CovType = "nonrobust",
    logit_method: Literal["ml", "firth"] = "ml",
    confidence_level: float = 0.95,
) -> Bijlage5Result:
    """Fits the report's Bijlage 5 models on a cohort and lays them out as the report does.

    Section 5.5 ("overkoepelende analyse") fits, within the restraining-order
    group and with all sources of new incidents, a logistic regression for
    any new incident and a linear regression for the number of new incidents
    on the characteristics of the perpetrator (B5.1, B5.2), of the victim
    (B5.3, B5.4) and of the case (B5.5, B5.6); :data:`B5_PREDICTORS` lists
    them and how they are coded.

    Parameters
    ----------
    cohort : huisverbod.Cohort
        Any cohort with the needed columns: the replication cohort
        ``hv.datasets.regioplan2013()``, ``hv.datasets.synthetic(n)`` or
        your own data.
    sources, window_days
        Passed to ``cohort.recidivism`` (default: all sources, the whole
        follow-up, as the report).
    alpha : float
        The report's significance level, 0.10.
    min_count : int
        A 0/1 characteristic with fewer cases than this in its smaller
        category (after listwise deletion) is not estimated, as the report
        left sex out of B5.1 (one female perpetrator).
    cov_type : str
        Covariance of all six models (e.g. "HC1"; "nonrobust" as SPSS).
    logit_method : {"ml", "firth"}
        Firth's method for the logistic models (small subgroups, separation).
    confidence_level : float
        Level of the intervals.

    Returns
    -------
    Bijlage5Result

    Notes
    -----
    Each model uses listwise deletion over its own variables (SPSS's
    default). The report prints "Nagelkerke R²" also under the linear
    models; there ``attrs["r2"]`` is the ordinary R². "Resultaat" follows
    the report's wording: for the logistic models a negative coefficient is
    "samenhang met het uitblijven van nieuwe incidenten", a positive one
    "... het opnieuw vóórkomen ..."; for the linear models "minder" or
    "meer nieuwe incidenten".

    Examples
    --------
    >>> import huisverbod as hv
    >>> res = hv.models.bijlage5(hv.datasets.regioplan2013())
    >>> list(res.tables)
    ['B5.1', 'B5.2', 'B5.3', 'B5.4', 'B5.5', 'B5.6']
    >>> list(res.tables["B5.1"].columns[:3])
    ['Resultaat', 'p-waarde', 'significant']
    """
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    check_level(confidence_level)
    data = bijlage5_data(cohort, sources=sources, window_days=window_days)
    published = _published()
    tables: dict[str, pd.DataFrame] = {}
    fits: dict[str, Any] = {}
    for tid, (kind, who, outcome) in B5_MODELS.items():
        spec = B5_PREDICTORS[who]
        cols = [f"{who}_{v}" for _, v in spec]
        frame = data[[outcome, *cols]].dropna()
        if len(frame) < len(cols) + 2:
            raise ValueError(f"{tid}: only {len(frame)} complete thv cases for {len(cols)} characteristics")
        keep, dropped = [], []
        for (label, _), c in zip(spec, cols, strict=True):
            x = frame[c]
            values = x.unique()
            binary = set(values) <= {0.0, 1.0}
            small = min((x == 0).sum(), (x == 1).sum()) if binary else len(frame)
            if len(values) < 2 or small < min_count:
                dropped.append(label)
            else:
                keep.append(c)
        X = frame[keep].copy()
        X.insert(0, "const", 1.0)
        y = frame[outcome]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if kind == "logit":
                fit = logit(y=y, X=X, method=logit_method, cov_type=cov_type, confidence_level=confidence_level)
            else:
                fit = ols(y=y, X=X, cov_type=cov_type, confidence_level=confidence_level)
        for w in caught:
            warnings.warn(f"{tid}: {w.message}", w.category, stacklevel=2)
        fits[tid] = fit
        ci = fit.conf_int()
        # The published rows are in the order of B5_PREDICTORS; their labels
        # differ a little between tables (B5.2 says "Uithuisgeplaatste start
        # met hulp"), so they are matched by position and the report's label
        # of each table is shown.
        pub_list = published.get(tid, {}).get("rows", [])
        if len(pub_list) != len(spec):
            pub_list = [None] * len(spec)
        rows = []
        for (label, v), c, pub in zip(spec, cols, pub_list, strict=True):
            if pub is not None:
                label = pub["label_nl"]
            pub_p = pub["cells"][1].get("p") if pub else None
            pub_sig = pub["cells"][2].get("significant") if pub else None
            if c not in keep:
                rows.append({"kenmerk": label, "Resultaat": "", "p-waarde": "", "significant": "",
                             "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan,
                             "p (rapport)": pub_p, "significant (rapport)": pub_sig})
                continue
            b, p = float(fit.params[c]), float(fit.pvalues[c])
            sig = p < alpha
            est, lo, hi = (math.exp(b), math.exp(ci.loc[c, "lower"]), math.exp(ci.loc[c, "upper"])) if kind == "logit" else (b, ci.loc[c, "lower"], ci.loc[c, "upper"])
            rows.append({"kenmerk": label, "Resultaat": _result_text(kind, b, sig), "p-waarde": _p_text(p),
                         "significant": "Ja" if sig else "Nee", "estimate": est, "ci_low": lo, "ci_high": hi,
                         "p": p, "p (rapport)": pub_p, "significant (rapport)": pub_sig})
        t = pd.DataFrame(rows).set_index("kenmerk")
        t = t.rename(columns={"estimate": "odds_ratio" if kind == "logit" else "coef"})
        t.attrs["title"] = published.get(tid, {}).get("title_nl", tid)
        t.attrs["n"] = int(fit.nobs)
        t.attrs["r2_name"] = "Nagelkerke R²" if kind == "logit" else "R²"
        t.attrs["r2"] = fit.r2_nagelkerke if kind == "logit" else fit.rsquared
        t.attrs["r2_published"] = published.get(tid, {}).get("nagelkerke_r2")
        t.attrs["not_estimated"] = dropped
        t.attrs["confidence_level"] = confidence_level
        tables[tid] = t
    return Bijlage5Result(tables, fits, data, alpha)


def _published() -> dict[str, Any]:
    from . import published_tables

    return published_tables()
