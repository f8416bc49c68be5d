"""Nearest-neighbour matching on the logit of the propensity score.

The matching, the weights, the effect and its standard error are computed
in the Rust core (``huisverbod::causal::matching``); this module reads the
arguments, fits the propensity model with :func:`huisverbod.logit` when no
scores are given, and shapes the result into pandas objects.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from .. import _core
from .._display import frame_html
from ..stats._common import ConfidenceInterval, check_level
from ._balance import BalanceResult
from ._balance import balance as _balance

__all__ = ["MatchResult", "MatchingWarning", "match"]


class MatchingWarning(UserWarning):
    """Matching left many treated units without a control (a caliper or exact
    strata), or gave some treated units fewer controls than asked: the effect
    then describes the matched treated units, not all of them."""


# ------------------------------------------------------------------ input helpers (shared with _aipw)


def _label(v: Any) -> Any:
    """A row label as plain Python (numpy 2 scalars repr as np.int64(2))."""
    return v.item() if hasattr(v, "item") else v


def _reference_index(treatment: Any, data: pd.DataFrame | None) -> pd.Index | None:
    """The rows every per-row argument is aligned to: data's index, else the
    treatment's (a Series' labels, or positions for an array); ``None``
    when the treatment is a column name without data (reported later)."""
    if data is not None:
        return data.index
    if isinstance(treatment, pd.Series):
        return treatment.index
    if isinstance(treatment, str):
        return None
    return pd.RangeIndex(len(np.asarray(treatment).reshape(-1)))


def _column(v: Any, data: pd.DataFrame | None, what: str, index: pd.Index | None = None) -> pd.Series:
    """A column name (in ``data``) or an array-like as a Series on ``index``
    (data's index, else the treatment's: see :func:`_reference_index`).

    A Series is matched by index label (as statsmodels and ``ipw().risk``
    do), never by position: different label sets raise ValueError naming
    the argument. An array must have one value per row: a different length
    raises ValueError with both lengths."""
    from ..models import _align

    if index is None:
        index = data.index if data is not None else None
    other = "data" if data is not None else "treatment"
    if isinstance(v, str):
        if data is None:
            raise ValueError(f"{what} {v!r} is a column name, but no data= was given")
        if v not in data.columns:
            raise ValueError(f"{what}: data has no column {v!r}")
        return data[v]
    if isinstance(v, pd.Series):
        return v if index is None else _align(v, index, what, other)
    arr = np.asarray(v)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {arr.shape}")
    if index is None:
        index = pd.RangeIndex(len(arr))
    if len(arr) != len(index):
        raise ValueError(f"{what} has length {len(arr)}, {other} has {len(index)} rows")
    return pd.Series(arr, index=index, name=what)


def _treatment01(s: pd.Series, treated_value: Any = None) -> pd.Series:
    """The treatment as float 0/1 with NaN for missing: booleans, 0/1, or
    ``treated_value`` against everything else (the cohort's ``group``
    column: ``"thv"`` is treated when it is one of the values)."""
    miss = s.isna().to_numpy()
    vals = s.dropna().unique()
    if treated_value is None and set(map(str, vals)) <= {"thv", "control"}:
        treated_value = "thv"
    if treated_value is not None:
        if treated_value not in set(vals):
            raise ValueError(f"treatment: the treated value {treated_value!r} does not occur (values: {sorted(map(str, vals))})")
        out = (s == treated_value).astype(np.float64).to_numpy()
    else:
        try:
            out = s.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError(
                f"treatment must be boolean or 0/1, or give treated_value= (values: {sorted(map(str, vals))[:5]})"
            ) from None
        bad = ~miss & (out != 0.0) & (out != 1.0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"treatment must be 0/1 or boolean; row {_label(s.index[i])!r} has {out[i].item()!r} (or give treated_value=)")
    out = out.astype(np.float64)
    out[miss] = np.nan
    return pd.Series(out, index=s.index, name=s.name if s.name is not None else "treatment")


def _rhs(covariates: Any) -> str:
    """The right-hand side of a formula from a list of columns or a formula text."""
    if isinstance(covariates, str):
        return covariates.split("~", 1)[1] if "~" in covariates else covariates
    if isinstance(covariates, Sequence) and all(isinstance(c, str) for c in covariates) and len(covariates) > 0:
        return " + ".join(covariates)
    raise TypeError("covariates must be a list of column names or a formula such as 'age + C(education)'")


def _propensity_fit(t: pd.Series, covariates: Any, data: pd.DataFrame) -> Any:
    """:func:`hv.causal.propensity` of ``treatment ~ covariates`` on ``data``
    (rows with missing values dropped): its OverlapWarning and advice. A
    separated model is refused: its linear predictor diverges, so matching on
    it would pair units on meaningless distances."""
    from ._common import OverlapWarning
    from ._propensity import propensity

    tname = "_treatment_"
    frame = data.assign(**{tname: t.to_numpy()})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ps = propensity(f"{tname} ~ {_rhs(covariates)}", frame)
    if ps.model.separated:
        advice = next((str(w.message) for w in caught if issubclass(w.category, OverlapWarning)), "")
        raise ValueError(
            "match: the propensity model separates the treated from the controls "
            f"({ps.model.separation['kind']}: {', '.join(ps.model.separation['variables'])}), so its linear "
            "predictor diverges and matching on it is meaningless; drop or coarsen that covariate, restrict "
            "the cohort to comparable cases, or fit the score with hv.causal.propensity(..., method='firth') "
            "and pass ps=. " + advice
        )
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return ps


def _strata(exact: Any, data: pd.DataFrame | None, index: pd.Index) -> np.ndarray | None:
    """Integer codes of the combined exact-matching variables."""
    if exact is None:
        return None
    names = [exact] if isinstance(exact, str) else list(exact)
    if data is None:
        raise ValueError("exact= names columns of data=; give data")
    missing = [c for c in names if c not in data.columns]
    if missing:
        raise ValueError(f"exact: data has no column(s) {missing}")
    sub = data.loc[index, names]
    if sub.isna().any().any():
        bad = [c for c in names if sub[c].isna().any()]
        raise ValueError(f"exact: the exact-matching variable(s) {bad} have missing values among the rows used")
    codes = sub.groupby(names, sort=True, observed=True).ngroup().to_numpy()
    return np.ascontiguousarray(codes.astype(np.int64))


# ------------------------------------------------------------------ result


class MatchResult:
    """The result of :func:`match`.

    Attributes
    ----------
    pairs : DataFrame
        One row per match: ``treated`` and ``control`` (index labels of the
        data), ``round`` (0 for the first control of a treated unit, 1 for the
        second, ...), and both units' distances (logit of the propensity score).
    weights : Series
        ATT weights on the rows used: 1 for matched treated units, the sum of
        ``1/k`` over the treated units a control serves (``k`` = that treated
        unit's number of controls), 0 for unmatched units.
    distance : Series
        The logit of the propensity score of every row used.
    balance : BalanceResult or None
        :func:`hv.causal.balance` of the covariates before and after matching
        (the matching weights; ``.table``, love plot ``.plot()``), when the
        covariates are known.
    propensity : PropensityResult or None
        :func:`hv.causal.propensity` of the model fitted from
        ``covariates=`` (None when ``ps=`` or ``distance=`` were given).
    n_treated, n_control, n_treated_matched, n_control_matched, n_unmatched : int
    caliper_width : float or None
        The caliper on the logit scale.
    estimate, se, statistic, pvalue : float
        The effect on the matched treated (risk difference for a 0/1 outcome,
        mean difference otherwise), its standard error (``variance`` says
        which), z and the two-sided p-value (NaN without ``outcome``).
    """

    def __init__(self, r: dict[str, Any], index: pd.Index, distance: np.ndarray, options: dict[str, Any],
                 balance: BalanceResult | None, propensity: Any, outcome_name: str | None) -> None:
        self._r = r
        self.options = options
        self.index = index
        self.distance = pd.Series(distance, index=index, name="distance")
        t_lab = index[r["treated"]]
        c_lab = index[r["control"]]
        self.pairs = pd.DataFrame(
            {
                "treated": t_lab,
                "control": c_lab,
                "round": r["round"],
                "distance_treated": distance[r["treated"]],
                "distance_control": distance[r["control"]],
            }
        )
        self.weights = pd.Series(r["weights"], index=index, name="weights")
        self.matched = self.weights > 0
        self.n_treated = int(r["n_treated"])
        self.n_control = int(r["n_control"])
        self.n_treated_matched = int(r["n_treated_matched"])
        self.n_control_matched = int(r["n_control_matched"])
        self.n_unmatched = int(r["n_treated_unmatched"])
        self.caliper_width = r["caliper_width"]
        self.warnings = list(r["warnings"])
        self.balance = balance
        self.propensity = propensity
        self.outcome_name = outcome_name
        eff = r.get("effect")
        self._eff = eff
        nan = math.nan
        self.estimate = eff["estimate"] if eff else nan
        self.se = eff["se"] if eff else nan
        self.statistic = eff["statistic"] if eff else nan
        self.pvalue = eff["pvalue"] if eff else nan
        self.mean_treated = eff["mean_treated"] if eff else nan
        self.mean_control = eff["mean_control"] if eff else nan
        self.variance = eff["variance"] if eff else None
        self.confidence_level = options["confidence_level"]

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """Normal interval ``estimate ∓ z·se`` (NaN without an outcome); at the
        fitted level the Rust core's interval."""
        level = self.confidence_level if confidence_level is None else check_level(confidence_level)
        if self._eff is None:
            return ConfidenceInterval(math.nan, math.nan)
        if level == self.confidence_level:
            return ConfidenceInterval(*self._eff["ci"])
        from statistics import NormalDist

        z = NormalDist().inv_cdf(0.5 + level / 2)
        return ConfidenceInterval(self.estimate - z * self.se, self.estimate + z * self.se)

    def summary(self) -> pd.DataFrame:
        """The effect as a one-row DataFrame (``estimate``, ``se``, ``z``,
        ``p``, ``ci_low``, ``ci_high``, the matched means and counts)."""
        ci = self.confidence_interval()
        return pd.DataFrame(
            [
                {
                    "estimate": self.estimate,
                    "se": self.se,
                    "z": self.statistic,
                    "p": self.pvalue,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                    "mean_treated": self.mean_treated,
                    "mean_control": self.mean_control,
                    "n_treated_matched": self.n_treated_matched,
                    "n_control_matched": self.n_control_matched,
                    "n_unmatched": self.n_unmatched,
                }
            ],
            index=pd.Index([self.outcome_name or "(no outcome)"], name="outcome"),
        )

    def __repr__(self) -> str:
        o = self.options
        head = (
            f"MatchResult({o['ratio']}:1 nearest neighbour on the logit PS, "
            f"{'with' if o['replace'] else 'without'} replacement, caliper "
            f"{'none' if o['caliper'] is None else str(o['caliper']) + ' SD'}; "
            f"{self.n_treated_matched} of {self.n_treated} treated matched to {self.n_control_matched} controls"
        )
        if self._eff is None:
            return head + ")"
        ci = self.confidence_interval()
        return (
            head + f"; effect {self.estimate:.4f} (SE {self.se:.4f}, {self.variance}), "
            f"{self.confidence_level:.0%} CI [{ci.low:.4f}, {ci.high:.4f}], p = {self.pvalue:.4g})"
        )

    def _repr_html_(self) -> str:
        parts = [f"<p>{html.escape(repr(self))}</p>"]
        if self._eff is not None:
            parts.append(frame_html("Effect among the matched", self.summary(), float_format="{:.4f}"))
        if self.balance is not None:
            parts.append(frame_html("Balance before and after matching", self.balance.table, float_format="{:.3f}"))
        return "".join(parts)


# ------------------------------------------------------------------ the function


def match(
    treatment: Any = None,
    ps: Any = None,
    *,
    data: pd.DataFrame | None = None,
    covariates: Any = None,
    formula: str | None = None,
    outcome: Any = None,
    exact: str | Sequence[str] | None = None,
    ratio: int = 1,
    replace: bool = False,
    caliper: float | None = 0.2,
    caliper_scale: Literal["all", "pooled", "raw"] = "all",
    order: Literal["largest", "smallest", "data"] = "largest",
    treated_value: Any = None,
    distance: Any = None,
    balance: Sequence[str] | None = None,
    variance_neighbours: int = 2,
    confidence_level: float = 0.95,
) -> MatchResult:
    """Greedy nearest-neighbour matching on the logit of the propensity score.

    Parameters
    ----------
    treatment : str or array-like
        Column of ``data`` (or an array): boolean, 0/1, or any values with
        ``treated_value`` naming the treated one (the cohort's ``group`` with
        ``"thv"``/``"control"`` works as it is: thv is treated).
    ps : str or array-like, optional
        Propensity scores in (0, 1). Without them, give ``covariates`` and
        ``data``: the scores are fitted by :func:`huisverbod.logit`.
    data : DataFrame, optional
    covariates : list of str or formula text, optional
        The propensity model's right-hand side (``["age", "threat"]`` or
        ``"age + C(education)"``); also the default balance covariates.
    formula : str, optional
        ``"treatment ~ covariates"`` instead of ``treatment`` and
        ``covariates`` (statsmodels style).
    outcome : str or array-like, optional
        The outcome; gives the effect among the matched. Rows with a
        missing outcome (or treatment, score or covariate) are left out
        before matching.
    exact : str or list of str, optional
        Variables to match exactly on (matching within their strata).
    ratio : int
        Controls per treated unit (k of k:1), matched in rounds.
    replace : bool
        Whether a control may serve several treated units.
    caliper : float or None
        The largest allowed distance, in SDs of the logit of the propensity
        score (``caliper_scale="all"``: over all units, as MatchIt;
        ``"pooled"``: Austin's pooled SD; ``"raw"``: logit units). Default
        0.2 (Austin 2011). ``None`` for no caliper.
    order : {"largest", "smallest", "data"}
        The order in which treated units choose (without replacement).
        "largest" is MatchIt's default; ties keep data order.
    treated_value : optional
        The treated value of a non-boolean treatment.
    distance : str or array-like, optional
        A distance to match on directly, instead of ``ps`` (for example the
        linear predictor of one's own propensity model).
    balance : list of str, optional
        Columns for the balance table (default: the design of the
        propensity model without its intercept).
    variance_neighbours : int
        J of the Abadie–Imbens variance (with replacement). Default 2.
    confidence_level : float

    Returns
    -------
    MatchResult

    Notes
    -----
    The algorithm, the weights and both standard errors (pair-cluster
    without replacement, Austin 2011; Abadie–Imbens 2006 with replacement)
    are stated in ``docs/causal_matching.md``. Matched sets equal MatchIt's
    ``matchit(method="nearest", distance=<logit PS>, caliper=, ratio=,
    replace=)`` (tested live when R with MatchIt is installed).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"t": [1, 1, 0, 0, 0], "ps": [0.6, 0.4, 0.58, 0.45, 0.1],
    ...                    "y": [1, 0, 0, 0, 1]})
    >>> m = hv.causal.match("t", "ps", data=df, outcome="y", caliper=None)
    >>> m.pairs[["treated", "control"]].values.tolist()
    [[0, 2], [1, 3]]
    >>> m.estimate
    0.5
    """
    if formula is not None:
        if covariates is not None or "~" not in formula:
            raise ValueError("formula= is 'treatment ~ covariates' and replaces covariates=")
        lhs, covariates = (part.strip() for part in formula.split("~", 1))
        if treatment is None:
            treatment = lhs
        elif lhs and lhs != treatment:
            raise ValueError(f"the formula's left-hand side {lhs!r} is not the treatment {treatment!r}")
    if treatment is None:
        raise ValueError("give the treatment (a column name or an array), or formula='treatment ~ covariates'")
    if int(ratio) < 1:
        raise ValueError(f"ratio must be a positive whole number, got {ratio!r}")
    if int(variance_neighbours) < 1:
        raise ValueError(f"variance_neighbours must be a positive whole number, got {variance_neighbours!r}")
    check_level(confidence_level)
    ref = _reference_index(treatment, data)
    t_all = _treatment01(_column(treatment, data, "treatment", ref), treated_value)
    if outcome is not None:
        # rows without an outcome are left out before matching (as rows without a treatment)
        t_all = t_all.where(_column(outcome, data, "outcome", ref).notna().to_numpy())
    propensity = None
    design = None
    if distance is not None:
        if ps is not None or covariates is not None:
            raise ValueError("give one of ps=, distance= or covariates=")
        d_s = _column(distance, data, "distance", ref).astype(np.float64)
        keep = t_all.notna() & d_s.notna()
        index = t_all.index[keep.to_numpy()]
        distance = d_s[keep].to_numpy(dtype=np.float64)
    elif ps is not None:
        if covariates is not None:
            raise ValueError("give ps= or covariates=, not both")
        ps_s = _column(ps, data, "ps", ref).astype(np.float64)
        keep = t_all.notna() & ps_s.notna()
        index = t_all.index[keep.to_numpy()]
        psv = ps_s[keep].to_numpy(dtype=np.float64)
        bad = ~((psv > 0) & (psv < 1))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"ps must lie strictly between 0 and 1 (its logit is the distance); row {_label(index[i])!r} has {float(psv[i])!r}"
            )
        distance = np.log(psv) - np.log1p(-psv)
    else:
        if covariates is None or data is None:
            raise ValueError("give propensity scores ps= (or distance=), or covariates= with data= to fit them")
        keep0 = t_all.notna().to_numpy()
        propensity = _propensity_fit(t_all[keep0], covariates, data.loc[keep0])
        model = propensity.model
        index = model.linear_predictor.index
        distance = model.linear_predictor.to_numpy(dtype=np.float64)
        names = [n for n in model.exog_names if n != "Intercept"]
        x = model._prep.x
        design = pd.DataFrame(x[:, [model.exog_names.index(n) for n in names]], columns=names)
    treated = t_all.loc[index].to_numpy() == 1.0
    y = None
    outcome_name = None
    if outcome is not None:
        ys = _column(outcome, data, "outcome", ref).loc[index]
        outcome_name = outcome if isinstance(outcome, str) else (ys.name or "outcome")
        try:
            y = ys.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError("outcome must be numeric or boolean") from None
    strata = _strata(exact, data, index)
    r = _core.causal_match(
        np.ascontiguousarray(distance),
        np.ascontiguousarray(treated),
        strata,
        None if y is None else np.ascontiguousarray(y),
        int(ratio),
        bool(replace),
        None if caliper is None else float(caliper),
        caliper_scale,
        order,
        int(variance_neighbours),
        float(confidence_level),
    )
    for msg in r["warnings"]:
        warnings.warn(msg, MatchingWarning, stacklevel=2)
    if balance is not None:
        if data is None:
            raise ValueError("balance= names columns of data=; give data")
        design = data.loc[index, list(balance)].astype(np.float64)
    bal = None
    if design is not None and design.shape[1] > 0:
        frame = design.reset_index(drop=True)
        bal = _balance(frame, list(frame.columns), treated.astype(np.int8), np.asarray(r["weights"], dtype=np.float64))
    options = {
        "ratio": int(ratio),
        "replace": bool(replace),
        "caliper": caliper,
        "caliper_scale": caliper_scale,
        "order": order,
        "exact": exact,
        "variance_neighbours": int(variance_neighbours),
        "confidence_level": float(confidence_level),
    }
    return MatchResult(r, index, distance, options, bal, propensity, outcome_name)
