"""Survival analysis of the time to the first new incident.

The report averages "days until the first new incident" over the cases that
had one. Survival analysis uses every case: a case without a new incident
contributes the days it was observed (censored). ``hv.survival`` offers

- :func:`kaplan_meier`: Kaplan–Meier curves per group with Greenwood
  standard errors, pointwise intervals, the median and S(t) at chosen days;
- :func:`logrank_test`: the log-rank test for k groups, weighted variants
  (Wilcoxon, Tarone–Ware, Peto, Fleming–Harrington) and strata;
  :func:`logrank_trend_test`: the test for trend over ordered groups;
- :func:`rmst`: the restricted mean time free of a new incident up to τ,
  and the difference between groups;
- :func:`cox`: Cox proportional-hazards regression with Efron or Breslow
  ties, strata, weights, cluster-robust errors and (start, stop] input,
  concordance, the proportional-hazards test and predicted survival.

Every function takes arrays (``time``, ``event``, ``group``) or column names
with ``data=`` a DataFrame, and agrees with lifelines (and R's ``survival``)
as documented per function. The computations run in the Rust core.

Examples
--------
>>> import huisverbod as hv
>>> km = hv.survival.kaplan_meier([1, 2, 2, 3, 4, 4], [1, 1, 0, 1, 1, 1])
>>> km.table_for()["survival"].round(4).tolist()
[0.8333, 0.6667, 0.4444, 0.0]
>>> float(km.median["median"].iloc[0])
3.0
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _core
from ._display import frame_html
from .stats._common import TestResult, check_level

__all__ = [
    "CollinearityWarning",
    "ConvergenceWarning",
    "EstimabilityWarning",
    "CoxResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MonotoneLikelihoodWarning",
    "RmstResult",
    "ZphResult",
    "cox",
    "kaplan_meier",
    "logrank_test",
    "logrank_trend_test",
    "report_section",
    "rmst",
    "SurvivalSection",
]

ConfType = Literal["log-log", "log", "plain"]
NanPolicy = Literal["raise", "omit"]
Weightings = Literal["wilcoxon", "tarone-ware", "peto", "fleming-harrington"]


class ConvergenceWarning(UserWarning):
    """An iterative fit did not converge; the result carries ``converged=False``."""


class MonotoneLikelihoodWarning(UserWarning):
    """A coefficient runs off to ±infinity (monotone likelihood: e.g. a group
    without events); the result flags it in ``infinite``."""


class CollinearityWarning(UserWarning):
    """A covariate is constant within every stratum or collinear with others,
    so it gets no coefficient; the result flags it in ``aliased``."""


class EstimabilityWarning(UserWarning):
    """A reported quantity cannot be estimated from these data: a cluster-robust
    variance from a single cluster, or an RMST test with groups of variance 0."""


# ------------------------------------------------------------------ input


def _get(x: Any, data: pd.DataFrame | None, what: str) -> Any:
    if data is not None and isinstance(x, str):
        if x not in data.columns:
            raise ValueError(f"{what}: data has no column {x!r}")
        return data[x]
    return x


def _float_array(x: Any, name: str) -> np.ndarray:
    try:
        if isinstance(x, pd.Series | pd.Index):
            # Nullable dtypes (boolean, Int64, Float64 from Cohort.to_frames)
            # carry pd.NA, which NumPy cannot cast: missing becomes NaN here,
            # for nan_policy to handle.
            if isinstance(x.dtype, pd.api.extensions.ExtensionDtype):
                x = x.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                x = x.to_numpy()
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be numeric: {e}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _labels(x: Any, name: str) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """Codes 0..k-1 (uint32), the labels in code order and a missing mask."""
    if isinstance(x, pd.Series):
        x = x.array
    if isinstance(x, pd.Categorical) or isinstance(getattr(x, "dtype", None), pd.CategoricalDtype):
        cat = x if isinstance(x, pd.Categorical) else pd.Categorical(x)
        raw = np.asarray(cat.codes)
        missing = raw < 0
        if not missing.any():
            # Fast path (registry-size groups): every category used, no missing
            # label: the codes are already 0 … k−1.
            counts = np.bincount(raw, minlength=len(cat.categories))
            if counts.all():
                return raw.astype(np.uint32), [cat.categories[i] for i in range(len(counts))], missing
        codes = np.asarray(raw, dtype=np.int64)
        used = np.flatnonzero(np.bincount(codes[~missing], minlength=len(cat.categories)))
        remap = np.full(len(cat.categories), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        codes = np.where(missing, -1, remap[np.maximum(codes, 0)])
        return codes, [cat.categories[i] for i in used], missing
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    try:
        codes, uniques = pd.factorize(arr, sort=True)
    except TypeError:
        codes, uniques = pd.factorize(arr, sort=False)
    codes = np.asarray(codes, dtype=np.int64)
    labels = [u.item() if isinstance(u, np.generic) else u for u in np.asarray(uniques)]
    return codes, labels, codes < 0


class _Data:
    """Validated, aligned survival columns."""

    def __init__(
        self,
        time: Any,
        event: Any = None,
        group: Any = None,
        strata: Any = None,
        data: pd.DataFrame | None = None,
        nan_policy: NanPolicy = "raise",
        group_name: str = "group",
        weights: Any = None,
        entry: Any = None,
    ) -> None:
        if nan_policy not in ("raise", "omit"):
            raise ValueError(f"nan_policy must be 'raise' or 'omit', got {nan_policy!r}")
        self.time_name = time if isinstance(time, str) else "time"
        self.group_name = group if isinstance(group, str) else group_name
        t = _float_array(_get(time, data, "time"), "time")
        n = len(t)
        if event is None:
            e = np.ones(n)
        else:
            e = _float_array(_get(event, data, "event"), "event")
        if len(e) != n:
            raise ValueError(f"event has length {len(e)}, time has length {n}")
        extra: dict[str, np.ndarray | None] = {"weights": None, "entry": None}
        for name, x in (("weights", weights), ("entry", entry)):
            if x is not None:
                a = _float_array(_get(x, data, name), name)
                if len(a) != n:
                    raise ValueError(f"{name} has length {len(a)}, time has length {n}")
                extra[name] = a
        drop = np.zeros(n, dtype=bool)
        if nan_policy == "omit":
            drop |= np.isnan(t) | np.isnan(e)
            for a in extra.values():
                if a is not None:
                    drop |= np.isnan(a)
        g_codes = s_codes = None
        self.labels: list[Any] = ["all"]
        self.strata_labels: list[Any] = []
        if group is not None:
            g_codes, self.labels, gmiss = _labels(_get(group, data, "group"), "group")
            if len(g_codes) != n:
                raise ValueError(f"group has length {len(g_codes)}, time has length {n}")
            if gmiss.any():
                if nan_policy == "raise":
                    raise ValueError(f"group has a missing value at position {int(np.flatnonzero(gmiss)[0])}")
                drop |= gmiss
        if strata is not None:
            s_codes, self.strata_labels, smiss = _labels(_get(strata, data, "strata"), "strata")
            if len(s_codes) != n:
                raise ValueError(f"strata has length {len(s_codes)}, time has length {n}")
            if smiss.any():
                if nan_policy == "raise":
                    raise ValueError(f"strata has a missing value at position {int(np.flatnonzero(smiss)[0])}")
                drop |= smiss
        if drop.any():
            keep = ~drop
            t, e = t[keep], e[keep]
            extra = {k: None if a is None else a[keep] for k, a in extra.items()}
            if g_codes is not None:
                g_codes, self.labels = _recode(g_codes[keep], self.labels)
            if s_codes is not None:
                s_codes, self.strata_labels = _recode(s_codes[keep], self.strata_labels)
        self.time = np.ascontiguousarray(t)
        self.event = np.ascontiguousarray(e)
        self.weights = None if extra["weights"] is None else np.ascontiguousarray(extra["weights"])
        self.entry = None if extra["entry"] is None else np.ascontiguousarray(extra["entry"])
        self.group = None if g_codes is None else np.ascontiguousarray(g_codes, dtype=np.uint32)
        self.strata = None if s_codes is None else np.ascontiguousarray(s_codes, dtype=np.uint32)

    def reorder(self, reference: Any) -> None:
        """Makes ``reference`` group code 0 (the others keep their order)."""
        if reference is None or self.group is None:
            return
        if reference not in self.labels:
            raise ValueError(f"reference {reference!r} is not one of the groups {self.labels}")
        r = self.labels.index(reference)
        order = [r] + [i for i in range(len(self.labels)) if i != r]
        remap = np.empty(len(order), dtype=np.uint32)
        remap[order] = np.arange(len(order), dtype=np.uint32)
        self.group = np.ascontiguousarray(remap[self.group])
        self.labels = [self.labels[i] for i in order]


def _recode(codes: np.ndarray, labels: list[Any]) -> tuple[np.ndarray, list[Any]]:
    present = np.unique(codes)
    remap = np.full(len(labels), -1, dtype=np.int64)
    remap[present] = np.arange(len(present))
    return remap[codes], [labels[i] for i in present]


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{v:.4g}"
    return str(v)


def _pfmt(p: float) -> str:
    if math.isnan(p):
        return "nan"
    return f"{p:.4g}" if p >= 1e-4 else f"{p:.2e}"


# ------------------------------------------------------------------ Kaplan–Meier


class KaplanMeierResult:
    """Kaplan–Meier curves, one per group (see :func:`kaplan_meier`).

    Attributes
    ----------
    groups : list
        The group labels in order (``["all"]`` without groups).
    conf_type : str
        ``"log-log"``, ``"log"`` or ``"plain"``.
    confidence_level : float
        The level of the pointwise intervals.
    n, n_events, n_censored : int
        Totals over the groups (observations, also when weighted).
    weighted : bool
        Whether case weights were given (the table's counts are then sums
        of weights and ``summary`` adds ``weighted_n``, ``weighted_events``).
    delayed_entry : bool
        Whether entry times were given.
    """

    def __init__(
        self, curves: list[Any], groups: list[Any], group_name: str = "group", delayed_entry: bool = False
    ) -> None:
        self._curves = curves
        self.groups = list(groups)
        self.group_name = group_name
        self.conf_type: str = curves[0].conf_type
        self.confidence_level: float = curves[0].confidence_level
        self.n = int(sum(c.n for c in curves))
        self.n_events = int(sum(c.n_events for c in curves))
        self.n_censored = self.n - self.n_events
        self.weighted: bool = bool(curves[0].weighted)
        self.delayed_entry = delayed_entry

    def _curve(self, group: Any) -> Any:
        if group is None:
            if len(self._curves) != 1:
                raise ValueError(f"there are {len(self._curves)} groups; name one of {self.groups}")
            return self._curves[0]
        if group not in self.groups:
            raise KeyError(f"{group!r} is not one of the groups {self.groups}")
        return self._curves[self.groups.index(group)]

    def table_for(self, group: Any = None) -> pd.DataFrame:
        """The survival table of one group, indexed by time.

        Columns: ``n_risk`` (at risk just before the time), ``n_event``,
        ``n_censor``, ``survival`` (S(t)), ``std_err`` (Greenwood SE of
        S(t)), ``var_log`` (the Greenwood sum Σ d/(n(n−d)), i.e. the variance
        of log S(t); lifelines' ``_cumulative_sq_``), ``lower``, ``upper``
        (pointwise limits) and ``cumulative_incidence`` (1 − S(t)).
        """
        d = self._curve(group).table()
        df = pd.DataFrame(d).set_index("time")
        df["cumulative_incidence"] = 1.0 - df["survival"]
        return df

    @property
    def table(self) -> pd.DataFrame:
        """All survival tables, indexed by (group, time)."""
        frames = {g: self.table_for(g) for g in self.groups}
        return pd.concat(frames, names=[self.group_name, "time"])

    def quantile(self, p: float = 0.5) -> pd.DataFrame:
        """The time by which a share ``p`` has had an event, with its interval, per group.

        Follows R's ``quantile.survfit``: the first time where 1 − S(t) ≥ p,
        the midpoint when S(t) equals 1 − p over an interval; the interval is
        where the pointwise limits reach the same level. ``inf`` means "not
        reached" (R prints NA).
        """
        p = float(p)
        if not 0.0 < p < 1.0:
            raise ValueError(f"p must lie strictly between 0 and 1, got {p!r}")
        rows = [self._curve(g).quantile(p) for g in self.groups]
        return pd.DataFrame(rows, columns=["median" if p == 0.5 else "quantile", "lower", "upper"],
                            index=pd.Index(self.groups, name=self.group_name))

    @property
    def median(self) -> pd.DataFrame:
        """Median time per group with interval (``inf``: not reached)."""
        return self.quantile(0.5)

    def survival_at(self, times: float | Sequence[float]) -> pd.DataFrame:
        """S(t) at chosen days per group, indexed by (group, time).

        Columns ``survival``, ``std_err``, ``lower``, ``upper``, ``n_risk``.
        Before the first time S = 1; beyond the last observed time the last
        value is carried forward (lifelines' convention; R needs
        ``extend=TRUE``), which is an extrapolation when the last time is
        censored.
        """
        t = _float_array(times, "times")
        if np.isnan(t).any():
            raise ValueError("times contains NaN")
        frames = {}
        for g in self.groups:
            d = self._curve(g).at(t)
            frames[g] = pd.DataFrame(d, index=pd.Index(t, name="time"))
        return pd.concat(frames, names=[self.group_name, "time"])

    def cumulative_incidence_at(self, times: float | Sequence[float]) -> pd.DataFrame:
        """1 − S(t) (share with a new incident by day t) with limits, per group."""
        s = self.survival_at(times)
        return pd.DataFrame(
            {
                "cumulative_incidence": 1.0 - s["survival"],
                "std_err": s["std_err"],
                "lower": 1.0 - s["upper"],
                "upper": 1.0 - s["lower"],
                "n_risk": s["n_risk"],
            }
        )

    def rmst(self, tau: float) -> pd.DataFrame:
        """RMST up to ``tau`` per group (see :func:`rmst` for the comparison)."""
        rows = [self._curve(g).rmst(float(tau), self.confidence_level) for g in self.groups]
        df = pd.DataFrame(rows, index=pd.Index(self.groups, name=self.group_name))
        return df.rename(columns={"estimate": "rmst", "low": "lower", "high": "upper"})

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: n, events, censored, median and its interval (and the
        sums of weights when weighted)."""
        med = self.median
        cols: dict[str, Any] = {
            "n": [c.n for c in self._curves],
            "events": [c.n_events for c in self._curves],
            "censored": [c.n - c.n_events for c in self._curves],
        }
        if self.weighted:
            cols["weighted_n"] = [c.sum_weights for c in self._curves]
            cols["weighted_events"] = [c.sum_event_weights for c in self._curves]
        cols["median"] = med["median"].to_numpy()
        cols["median_lower"] = med["lower"].to_numpy()
        cols["median_upper"] = med["upper"].to_numpy()
        return pd.DataFrame(cols, index=pd.Index(self.groups, name=self.group_name))

    def _title(self) -> str:
        extra = "".join(
            [", weighted" if self.weighted else "", ", delayed entry" if self.delayed_entry else ""]
        )
        return (
            f"Kaplan-Meier ({self.conf_type} {self.confidence_level:g} intervals{extra}): "
            f"n={self.n}, events={self.n_events}, censored={self.n_censored}"
        )

    def __repr__(self) -> str:
        return f"KaplanMeierResult(n={self.n}, events={self.n_events}, censored={self.n_censored}, groups={self.groups})"

    def print_summary(self) -> None:
        """Prints the per-group summary."""
        print(self._title())
        print(self.summary.to_string(float_format=lambda x: _fmt(x)))

    def _repr_html_(self) -> str:
        return frame_html(self._title(), self.summary, note="Median: inf = not reached.", float_format="{:.4g}")

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Kaplan–Meier curves with interval bands and a numbers-at-risk table.

        See :func:`huisverbod.plotting.plot_kaplan_meier` for the options
        (``ci``, ``at_risk``, ``at_risk_times``, ``cumulative``). Needs matplotlib.
        """
        from .plotting import plot_kaplan_meier

        return plot_kaplan_meier(self, ax=ax, **kwargs)

    def plot_cumulative_incidence(self, ax: Any = None, **kwargs: Any) -> Any:
        """Cumulative incidence 1 − S(t) per group with bands and numbers at risk (needs matplotlib)."""
        from .plotting import plot_cumulative_incidence

        return plot_cumulative_incidence(self, ax=ax, **kwargs)


def kaplan_meier(
    time: Any,
    event: Any = None,
    group: Any = None,
    weights: Any = None,
    entry: Any = None,
    *,
    data: pd.DataFrame | None = None,
    conf_type: ConfType = "log-log",
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> KaplanMeierResult:
    """Kaplan–Meier estimates of the survival function, per group.

    Parameters
    ----------
    time : array_like or str
        Days to the event or to censoring (finite, ≥ 0). A column name when
        ``data`` is given.
    event : array_like or str, optional
        1/True when ``time`` ends in an event, 0/False when censored
        (default: all events). Other values raise ``ValueError``.
    group : array_like or str, optional
        Group labels; a Categorical keeps its category order, other labels
        are sorted.
    weights : array_like or str, optional
        Case weights (finite, ≥ 0; e.g. inverse-probability weights). The
        events dᵢ and the number at risk nᵢ become sums of weights.
    entry : array_like or str, optional
        Entry times for delayed entry (left truncation): an observation is
        at risk on (entry, time]. Each entry must be smaller than its time.
    data : pandas.DataFrame, optional
        Where column names are looked up.
    conf_type : {"log-log", "log", "plain"}
        Transform of the pointwise intervals (R's ``conf.type``). The
        default log-log is lifelines' interval; R's default is "log".
    confidence_level : float
        Level of the pointwise intervals and of the median's interval.
    nan_policy : {"raise", "omit"}
        NaN in time, event, group, weights or entry: raise ``ValueError``
        or drop the row.

    Returns
    -------
    KaplanMeierResult
        ``.table`` / ``.table_for(group)``, ``.median``, ``.quantile(p)``,
        ``.survival_at(days)``, ``.cumulative_incidence_at(days)``,
        ``.summary``, ``.plot()``.

    Notes
    -----
    S(t) = Π (1 − dᵢ/nᵢ) over event times tᵢ ≤ t; the Greenwood variance of
    log S is Σ dᵢ/(nᵢ(nᵢ − dᵢ)); pointwise limits as R's ``survfit``.
    Matches lifelines' ``KaplanMeierFitter`` (``survival_function_``,
    ``confidence_interval_``, Greenwood sum) to 1e-10 and R's ``survfit``
    with ``conf.type`` = "log-log", "log" or "plain", with these conventions:
    where S = 1 the interval is [1, 1], where S = 0 it is [0, 0] and the
    Greenwood sum omits the nᵢ = dᵢ term (lifelines; R reports NA); the
    median is R's (midpoint when S = 0.5 over an interval; lifelines
    reports the left end there). All observations censored: S = 1
    throughout and the median is ``inf``.

    With ``weights`` the same formulas hold with dᵢ, nᵢ sums of weights
    (R's ``survfit(weights=, robust=FALSE)``); S(t) equals lifelines'
    ``KaplanMeierFitter().fit(weights=)`` for any weights and the Greenwood
    sum does for whole-number weights (lifelines truncates nᵢ to an integer
    in the variance). For estimated weights (IPW) the Greenwood variance
    ignores the estimation of the weights: bootstrap instead. With
    ``entry``, nᵢ counts the observations with entry < tᵢ ≤ time (R's
    ``Surv(entry, time, event)``, lifelines' ``entry=``); the table lists
    exit times only.

    References
    ----------
    Kaplan & Meier (1958), JASA 53:457–481. Greenwood (1926). Brookmeyer &
    Crowley (1982), Biometrics 38:29–41 (median interval). R ``survival``:
    ``survfit``, ``quantile.survfit``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> km = hv.survival.kaplan_meier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0],
    ...                               group=["a", "a", "b", "b", "b"])
    >>> km.survival_at([6, 10]).loc["b", "survival"].tolist()
    [1.0, 1.0]
    >>> km.summary[["n", "events", "censored"]]
           n  events  censored
    group
    a      2       2         0
    b      3       1         2

    Weighted (weight 2 counts a case twice) and with delayed entry:

    >>> w = hv.survival.kaplan_meier([1, 2, 3], [1, 1, 1], weights=[2, 1, 1])
    >>> w.table["survival"].tolist()       # 1 − 2/4, then · (1 − 1/2), then 0
    [0.5, 0.25, 0.0]
    >>> e = hv.survival.kaplan_meier([2, 3, 5, 6], [1, 1, 0, 1], entry=[0, 2, 1, 4])
    >>> e.table["n_risk"].tolist()         # (entry, time] covers t
    [2, 2, 2, 1]
    """
    check_level(confidence_level)
    d = _Data(time, event, group, data=data, nan_policy=nan_policy, weights=weights, entry=entry)
    curves = _core.km_fit(
        d.time, d.event, d.group, conf_type, float(confidence_level), d.weights, d.entry
    )
    return KaplanMeierResult(curves, d.labels, d.group_name, delayed_entry=d.entry is not None)


# ------------------------------------------------------------------ log-rank


class LogRankResult(TestResult):
    """Result of :func:`logrank_test` (a :class:`~huisverbod.stats.TestResult`).

    Fields: ``statistic`` (chi-square), ``pvalue``, ``df``, ``observed``,
    ``expected`` and ``score`` (weighted O − E) as Series by group,
    ``variance`` (DataFrame), ``n``, ``weightings``, ``n_strata``, ``method``.
    """

    __test__ = False

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: n, observed, expected, weighted O − E."""
        return pd.DataFrame(
            {
                "n": self.n,
                "observed": self.observed,
                "expected": self.expected,
                "o_minus_e": self.score,
            }
        )

    def print_summary(self) -> None:
        """Prints the test and the per-group table."""
        print(f"{self.method}: chi2 = {_fmt(self.statistic)}, df = {_fmt(self.df)}, p = {_pfmt(self.pvalue)}")
        print(self.summary.to_string(float_format=lambda x: _fmt(x)))

    def _repr_html_(self) -> str:
        title = f"{self.method}: χ² = {_fmt(self.statistic)}, df = {_fmt(self.df)}, p = {_pfmt(self.pvalue)}"
        return frame_html(title, self.summary, float_format="{:.4g}")


def _weights(weightings: str | None, p: float | None, q: float | None) -> tuple[str, float, float]:
    w = "logrank" if weightings is None else str(weightings)
    if w == "fleming-harrington":
        if p is None or q is None:
            raise ValueError("weightings='fleming-harrington' needs both p and q")
    return w, float(p or 0.0), float(q or 0.0)


def logrank_test(
    time: Any,
    event: Any = None,
    group: Any = None,
    *,
    data: pd.DataFrame | None = None,
    strata: Any = None,
    weightings: Weightings | None = None,
    p: float | None = None,
    q: float | None = None,
    nan_policy: NanPolicy = "raise",
) -> LogRankResult:
    """Log-rank test of equal survival in k ≥ 2 groups (weighted, stratified).

    Parameters
    ----------
    time, event, group, data, nan_policy
        As :func:`kaplan_meier`; ``group`` is required.
    strata : array_like or str, optional
        Stratum labels (e.g. region): the test compares groups within strata
        and sums over strata (R's ``survdiff(... + strata(s))``).
    weightings : {None, "wilcoxon", "tarone-ware", "peto", "fleming-harrington"}
        None: the log-rank test (weight 1). "wilcoxon": Gehan–Breslow
        (weight n at risk); "tarone-ware": √n; "peto": Peto–Peto's
        Π(1 − d/(n+1)); "fleming-harrington": S(t−)^p (1 − S(t−))^q with the
        pooled Kaplan–Meier S (both ``p`` and ``q`` required).

    Returns
    -------
    LogRankResult
        ``statistic`` (chi-square), ``pvalue``, ``df``, ``observed``,
        ``expected``, ``score``, ``variance``, ``summary``.

    Notes
    -----
    U = Σ w (O − E) per group, V its variance (hypergeometric), χ² = UᵀV⁻U
    over all groups but the last. Matches lifelines'
    ``logrank_test``/``multivariate_logrank_test`` (same ``weightings``
    names and definitions) to 1e-10, and R's ``survdiff`` (``rho`` = the
    Fleming–Harrington ``p`` with ``q = 0``). ``df`` is the rank of V, i.e.
    k − 1 unless a group is never at risk at an event time (R; lifelines
    keeps k − 1). No events at all: statistic and p-value are NaN, df 0
    (lifelines reports 0 and p = 1). ``expected`` is unweighted.

    There are no case weights here (R's ``survdiff`` has none; lifelines'
    weighted version keeps the (n − d)/(n − 1) factor on sums of weights).
    For an inverse-probability-weighted comparison use
    ``cox(time, event, group, weights=w, robust=True).robust_score_test``.

    References
    ----------
    Mantel (1966); Peto & Peto (1972); Tarone & Ware (1977); Harrington &
    Fleming (1982), Biometrika 69:553–566. Klein & Moeschberger (2003), §7.

    Examples
    --------
    >>> import huisverbod as hv
    >>> r = hv.survival.logrank_test([1, 2, 3, 4], [1, 1, 1, 1], group=[0, 0, 1, 1])
    >>> round(r.statistic * 17 / 49, 12)   # χ² = 49/17, worked out in the Rust tests
    1.0
    >>> r.df
    1.0
    """
    if group is None:
        raise ValueError("logrank_test needs group labels (group=...)")
    w, pp, qq = _weights(weightings, p, q)
    d = _Data(time, event, group, strata, data=data, nan_policy=nan_policy)
    if len(d.labels) < 2:
        raise ValueError(f"logrank_test needs at least two groups, got {d.labels}")
    r = _core.logrank(d.time, d.event, d.group, d.strata, w, pp, qq)
    return _logrank_result(r, d)


def _logrank_result(r: dict[str, Any], d: _Data) -> LogRankResult:
    idx = pd.Index(d.labels, name=d.group_name)
    k = len(d.labels)
    fields = {
        "statistic": float(r["statistic"]),
        "pvalue": float(r["pvalue"]),
        "df": float(r["df"]),
        "alternative": "two-sided",
        "method": r["method"],
        "n": pd.Series(r["n"], index=idx, name="n"),
        "observed": pd.Series(r["observed"], index=idx, name="observed"),
        "expected": pd.Series(r["expected"], index=idx, name="expected"),
        "score": pd.Series(r["score"], index=idx, name="score"),
        "variance": pd.DataFrame(np.asarray(r["variance"]).reshape(k, k), index=idx, columns=idx),
        "weightings": r["weightings"],
        "n_strata": int(r["n_strata"]),
    }
    return LogRankResult("LogRankResult", fields)


def logrank_trend_test(
    time: Any,
    event: Any = None,
    group: Any = None,
    scores: Sequence[float] | None = None,
    *,
    data: pd.DataFrame | None = None,
    strata: Any = None,
    weightings: Weightings | None = None,
    p: float | None = None,
    q: float | None = None,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    """Log-rank test for trend over ordered groups.

    ``scores`` gives one number per group in group order (default: the
    group labels themselves when numeric, else 0, 1, 2, … in the order of
    the labels — a Categorical's category order).

    Returns a :class:`~huisverbod.stats.TestResult` with ``statistic``
    (χ² on 1 df), signed ``z`` (positive: groups with higher scores have
    more events than expected), ``pvalue``, ``df``, ``scores`` and the
    k-group test as ``groups``.

    Notes
    -----
    z = cᵀU / √(cᵀVc) with U, V of :func:`logrank_test`; checked against
    R's ``survdiff`` U and V. Without tied event times the unweighted test
    equals the score test of a Cox model with the group score as the only
    covariate; with ties the log-rank variance is the hypergeometric one and
    the two differ slightly.

    References
    ----------
    Klein & Moeschberger (2003), §7.4. Collett (2015), §2.7.

    Examples
    --------
    >>> import huisverbod as hv
    >>> r = hv.survival.logrank_trend_test([1, 2, 3, 4, 5, 6], group=[1, 1, 2, 2, 3, 3])
    >>> r.z < 0   # higher groups fail later
    True
    """
    if group is None:
        raise ValueError("logrank_trend_test needs group labels (group=...)")
    w, pp, qq = _weights(weightings, p, q)
    d = _Data(time, event, group, strata, data=data, nan_policy=nan_policy)
    if scores is None:
        try:
            sc = [float(v) for v in d.labels]
        except (TypeError, ValueError):
            sc = [float(i) for i in range(len(d.labels))]
    else:
        sc = [float(v) for v in scores]
    r = _core.logrank_trend(d.time, d.event, d.group, sc, d.strata, w, pp, qq)
    fields = {
        "statistic": float(r["statistic"]),
        "pvalue": float(r["pvalue"]),
        "df": 1.0,
        "z": float(r["z"]),
        "alternative": "two-sided",
        "method": r["method"],
        "scores": pd.Series(sc, index=pd.Index(d.labels, name=d.group_name), name="score"),
        "groups": _logrank_result(r["groups"], d),
    }
    return TestResult("LogRankTrendResult", fields)


# ------------------------------------------------------------------ RMST


class RmstResult:
    """Restricted mean survival time per group and its comparison (see :func:`rmst`).

    Attributes
    ----------
    tau : float
        The restriction time.
    table : pandas.DataFrame
        Per group: ``rmst``, ``std_err``, ``lower``, ``upper``, ``n``, ``n_events``.
    contrasts : pandas.DataFrame
        Each group against the reference (the first group): ``difference``,
        ``difference_se``, ``difference_lower``/``_upper``,
        ``difference_pvalue``, ``ratio`` with ``ratio_lower``/``_upper`` and
        ``ratio_pvalue`` (log scale).
    statistic, df, pvalue : float
        Chi-square test of equal RMST in all groups (with two groups: the
        squared z of the difference).
    reference : label
        The reference group.
    zero_variance_groups : list
        Groups whose RMST has standard error 0 (no event before τ). With two
        groups the test is still the squared z of the difference; with more,
        the test is ``NaN`` and an :class:`EstimabilityWarning` names them.
    """

    def __init__(self, r: dict[str, Any], d: _Data) -> None:
        idx = pd.Index(d.labels, name=d.group_name)
        self.tau = float(r["tau"])
        self.confidence_level = float(r["confidence_level"])
        self.table = pd.DataFrame(r["groups"], index=idx)
        c = pd.DataFrame(r["contrasts"])
        if len(c):
            c.index = pd.Index([d.labels[g] for g in c.pop("group")], name=d.group_name)
        self.contrasts = c
        self.statistic = float(r["statistic"])
        self.df = float(r["df"])
        self.pvalue = float(r["pvalue"])
        self.reference = d.labels[0]
        self.group_name = d.group_name
        self.zero_variance_groups = [d.labels[g] for g in r["zero_variance_groups"]]
        if len(d.labels) > 2 and self.zero_variance_groups:
            import warnings

            warnings.warn(
                f"group(s) {', '.join(repr(g) for g in self.zero_variance_groups)} have RMST standard "
                "error 0 (no event before tau): the overall chi-square test is not defined (NaN); "
                "see .zero_variance_groups and the pairwise contrasts",
                EstimabilityWarning,
                stacklevel=3,
            )

    def _title(self) -> str:
        return f"Restricted mean survival time up to {_fmt(self.tau)} (reference: {self.reference})"

    def __repr__(self) -> str:
        parts = ", ".join(f"{g}={_fmt(v)}" for g, v in self.table["rmst"].items())
        return f"RmstResult(tau={_fmt(self.tau)}, {parts}, chi2={_fmt(self.statistic)}, pvalue={_pfmt(self.pvalue)})"

    def print_summary(self) -> None:
        """Prints the per-group table and the contrasts."""
        print(self._title())
        print(self.table.to_string(float_format=lambda x: _fmt(x)))
        if len(self.contrasts):
            print(self.contrasts.to_string(float_format=lambda x: _fmt(x)))
        print(f"chi2 = {_fmt(self.statistic)}, df = {_fmt(self.df)}, p = {_pfmt(self.pvalue)}")

    def _repr_html_(self) -> str:
        body = frame_html(self._title(), self.table, float_format="{:.4g}")
        if len(self.contrasts):
            body += frame_html(
                "Against the reference",
                self.contrasts,
                note=f"χ² = {_fmt(self.statistic)}, df = {_fmt(self.df)}, p = {_pfmt(self.pvalue)}",
                float_format="{:.4g}",
            )
        return body


def rmst(
    time: Any,
    event: Any = None,
    group: Any = None,
    tau: float | None = None,
    *,
    weights: Any = None,
    entry: Any = None,
    data: pd.DataFrame | None = None,
    reference: Any = None,
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> RmstResult:
    """Restricted mean survival time up to ``tau`` per group, and differences.

    The RMST is the area under the Kaplan–Meier curve from 0 to τ: the mean
    number of days, out of the first τ, without a new incident.

    Parameters
    ----------
    time, event, group, data, nan_policy
        As :func:`kaplan_meier` (``group`` optional).
    tau : float, optional
        The restriction time (e.g. 365). Default: the largest allowed, the
        smallest of the groups' largest observed times (survRM2's default).
        A larger ``tau`` raises ``ValueError``.
    weights, entry : array_like or str, optional
        Case weights and entry times, as :func:`kaplan_meier`: the RMST is
        the area under the weighted / left-truncated curve.
    reference : label, optional
        The group the others are compared with (default: the first group).
    confidence_level : float
        Level of the intervals.

    Returns
    -------
    RmstResult

    Notes
    -----
    The variance is the Greenwood-type estimator Σ Aᵢ² dᵢ/(nᵢ(nᵢ − dᵢ)),
    Aᵢ = ∫_{tᵢ}^τ S(t) dt, of R's survRM2 (``rmst2``, the unadjusted
    analysis) and ``print(survfit(...), rmean=τ)``; the point estimate is
    lifelines' ``restricted_mean_survival_time(kmf, t=τ)`` (except with
    events at time 0, where lifelines starts the integral at S = 1 instead
    of S(0); survRM2 and ours use S(0)). The difference
    and ratio (on the log scale) use normal intervals and two-sided
    p-values as survRM2. With more than two groups the chi-square tests
    equality of all RMSTs (inverse-variance weighted, k − 1 df).

    With ``weights`` the variance is the same formula with dᵢ, nᵢ sums of
    weights (the weighted Greenwood variance carried through the
    integral); it treats the weights as fixed, so for estimated (IPW)
    weights it understates the uncertainty: bootstrap instead.

    References
    ----------
    Royston & Parmar (2013), BMC Med Res Methodol 13:152. Uno et al. (2014),
    J Clin Oncol 32:2380–2385 (survRM2).

    Examples
    --------
    >>> import huisverbod as hv
    >>> r = hv.survival.rmst([1, 2, 3, 4, 2, 4, 6, 8], [1, 1, 1, 0, 1, 0, 1, 0],
    ...                      group=["a"] * 4 + ["b"] * 4, tau=4)
    >>> r.table["rmst"].tolist()     # 1 + .75 + .5 + .25 and 2 + 2·.75
    [2.5, 3.5]
    >>> float(r.contrasts.loc["b", "difference"])
    1.0
    """
    check_level(confidence_level)
    d = _Data(time, event, group, data=data, nan_policy=nan_policy, weights=weights, entry=entry)
    d.reorder(reference)
    g = d.group if d.group is not None else np.zeros(len(d.time), dtype=np.uint32)
    r = _core.rmst_compare(
        d.time, d.event, g, None if tau is None else float(tau), float(confidence_level), d.weights, d.entry
    )
    return RmstResult(r, d)


# ------------------------------------------------------------------ Cox


def _design(
    covariates: Any, data: pd.DataFrame | None, spec: dict[str, list[Any] | None] | None = None
) -> tuple[pd.DataFrame, dict[str, list[Any] | None]]:
    """Covariates as a float DataFrame and the spec to rebuild it for new data.

    Categorical, text and bool columns become 0/1 indicators with the first
    level as reference (``name[level]``); ``spec`` maps each input column to
    its levels (None for numeric columns). With ``spec`` given (prediction),
    the fitted levels are used and unknown levels raise ``ValueError``.
    """
    if isinstance(covariates, str):
        covariates = [covariates]
    if data is not None and isinstance(covariates, list | tuple) and all(isinstance(c, str) for c in covariates):
        missing = [c for c in covariates if c not in data.columns]
        if missing:
            raise ValueError(f"covariates: data has no column(s) {missing}")
        frame = data[list(covariates)]
    elif isinstance(covariates, pd.DataFrame):
        frame = covariates
    elif isinstance(covariates, pd.Series):
        frame = covariates.to_frame(covariates.name if covariates.name is not None else "x0")
    else:
        arr = np.asarray(covariates)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"covariates must be 1- or 2-dimensional, got shape {arr.shape}")
        frame = pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])
    numeric = all(
        pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt) for dt in frame.dtypes
    )
    if numeric and (spec is None or all(spec.get(str(c), 1) is None for c in frame.columns)):
        # Fast path: one conversion of the whole block, no per-column copies.
        arr = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        names = [str(c) for c in frame.columns]
        return pd.DataFrame(arr, columns=names, index=frame.index, copy=False), {k: None for k in names}
    parts = []
    out_spec: dict[str, list[Any] | None] = {}
    for name in frame.columns:
        col = frame[name]
        key = str(name)
        categorical = (
            isinstance(col.dtype, pd.CategoricalDtype)
            or col.dtype == object
            or pd.api.types.is_string_dtype(col)
            or pd.api.types.is_bool_dtype(col)
        )
        if spec is not None:
            if key not in spec:
                raise ValueError(f"covariate {key!r} was not in the fitted model")
            categorical = spec[key] is not None
        if categorical:
            if spec is not None:
                labels = list(spec[key] or [])
                values = np.asarray(col, dtype=object)
                miss = pd.isna(col).to_numpy()
                lookup = {lab: k for k, lab in enumerate(labels)}
                unknown = [v for v, m in zip(values, miss, strict=True) if not m and v not in lookup]
                if unknown:
                    raise ValueError(f"covariate {key!r} has level {unknown[0]!r} that the fitted model does not know")
                codes = np.array([lookup[v] if not m else -1 for v, m in zip(values, miss, strict=True)], dtype=np.int64)
            else:
                codes, labels, miss = _labels(col, key)
            out_spec[key] = labels
            ind = {}
            for k, lab in enumerate(labels[1:], start=1):
                v = (codes == k).astype(float)
                v[miss] = np.nan
                ind[f"{key}[{lab}]"] = v
            if not ind:
                ind[f"{key}[{labels[0] if labels else ''}]"] = np.where(miss, np.nan, 0.0)
            parts.append(pd.DataFrame(ind, index=frame.index))
        else:
            out_spec[key] = None
            try:
                vals = pd.to_numeric(col, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as e:
                raise TypeError(f"covariate {key!r} must be numeric or categorical: {e}") from None
            parts.append(pd.DataFrame({key: vals}, index=frame.index))
    if not parts:
        raise ValueError("cox needs at least one covariate")
    return pd.concat(parts, axis=1), out_spec


class ZphResult:
    """The scaled-Schoenfeld test of proportional hazards (see :meth:`CoxResult.check_proportional_hazards`).

    Attributes
    ----------
    table : pandas.DataFrame
        ``chisq``, ``df``, ``p`` per covariate, plus a ``GLOBAL`` row for the
        exact method.
    residuals : pandas.DataFrame
        Scaled Schoenfeld residuals (β̂ + d·V·s), one row per event, indexed
        by event time, with the transformed time in column ``g(t)``.
    transform, method : str
    """

    def __init__(self, r: dict[str, Any], names: list[str], method: str) -> None:
        rows = {n: (s, d, p) for n, s, d, p in zip(names, r["statistic"], r["df"], r["pvalue"], strict=True)}
        if r["global"] is not None:
            rows["GLOBAL"] = tuple(r["global"])
        self.table = pd.DataFrame.from_dict(rows, orient="index", columns=["chisq", "df", "p"])
        res = pd.DataFrame(np.asarray(r["scaled_residuals"]), columns=names, index=pd.Index(r["time"], name="time"))
        res.insert(0, "g(t)", r["transformed_time"])
        self.residuals = res
        self.transform = r["transform"]
        self.method = method

    def __repr__(self) -> str:
        return f"ZphResult(transform={self.transform!r}, method={self.method!r})\n{self.table.to_string(float_format=_fmt)}"

    def _repr_html_(self) -> str:
        return frame_html(
            f"Test of proportional hazards ({self.method}, transform {self.transform})",
            self.table,
            float_format="{:.4g}",
        )

    def plot(self, covariate: str | None = None, ax: Any = None) -> Any:
        """Scaled Schoenfeld residuals against transformed time (needs matplotlib)."""
        from .plotting import plot_zph

        return plot_zph(self, covariate=covariate, ax=ax)


class CoxResult:
    """A fitted Cox proportional-hazards model (see :func:`cox`).

    statsmodels-style attributes: ``params``, ``bse``, ``zvalues``,
    ``pvalues``, ``conf_int()``, ``cov_params()``, ``llf``; lifelines-style:
    ``hazard_ratios``, ``summary``, ``print_summary()``,
    ``baseline_cumulative_hazard``, ``predict_survival_function()``,
    ``concordance``, ``check_proportional_hazards()``.

    Attributes
    ----------
    params, bse, zvalues, pvalues, hazard_ratios : pandas.Series
        By covariate; ``bse`` is the robust standard error when ``robust``.
    concordance : float
        Harrell's C of the linear predictor.
    llf, llnull : float
        Log partial likelihood at β̂ and at the initial values (0 unless ``init``).
    score_test, wald_test, lr_test : TestResult
        Chi-square tests of all coefficients (``statistic``, ``df``, ``pvalue``);
        score and likelihood-ratio tests are against the initial values.
    robust_score_test : TestResult or None
        With the robust variance: the robust score test at the initial
        values (R's ``summary(coxph)$robscore``); None otherwise.
    converged : bool
    iterations : int
    aliased, infinite : pandas.Series of bool
        Covariates without a coefficient (constant within strata or collinear),
        and coefficients that may be infinite (monotone likelihood).
    n, n_events, n_censored, n_strata, n_clusters : int
    ties : str
    robust : bool
    """

    def __init__(
        self,
        fit: Any,
        names: list[str],
        strata_labels: list[Any],
        inputs: dict[str, Any],
        spec: dict[str, list[Any] | None] | None = None,
    ) -> None:
        r = fit.results()
        self._fit = fit
        self._spec = spec
        self._inputs = inputs
        self.names = names
        self.strata_labels = strata_labels
        idx = pd.Index(names, name="covariate")
        self.params = pd.Series(r["coef"], index=idx, name="coef")
        self.bse = pd.Series(r["std_err"], index=idx, name="se(coef)")
        self.zvalues = pd.Series(r["z"], index=idx, name="z")
        self.pvalues = pd.Series(r["pvalue"], index=idx, name="p")
        self.hazard_ratios = pd.Series(np.exp(r["coef"]), index=idx, name="exp(coef)")
        self._var = pd.DataFrame(np.asarray(r["var"]), index=idx, columns=idx)
        self._naive_var = pd.DataFrame(np.asarray(r["naive_var"]), index=idx, columns=idx)
        self.llf = float(r["loglik"])
        self.llnull = float(r["loglik_null"])
        self.n = int(r["n"])
        self.n_events = int(r["n_events"])
        self.n_censored = self.n - self.n_events
        self.n_strata = int(r["n_strata"])
        self.n_clusters = r["n_clusters"]
        self.converged = bool(r["converged"])
        self.iterations = int(r["iterations"])
        self.aliased = pd.Series(np.asarray(r["aliased"], dtype=bool), index=idx, name="aliased")
        self.infinite = pd.Series(np.asarray(r["infinite"], dtype=bool), index=idx, name="infinite")
        self._concordance: dict[str, float] | None = (
            None if math.isnan(r["concordance"]["value"]) else dict(r["concordance"])
        )
        self.means = pd.Series(r["means"], index=idx, name="mean")
        self.ties = r["ties"]
        self.robust = bool(r["robust"])
        self.confidence_level = float(r["confidence_level"])
        self.score_test = self._test("Score (log-rank) test", r["score_test"])
        self.wald_test = self._test("Wald test" + (" (robust)" if self.robust else ""), r["wald_test"])
        self.lr_test = self._test("Likelihood ratio test", r["lr_test"])
        self.robust_score_test = (
            None if r["robust_score_test"] is None else self._test("Robust score test", r["robust_score_test"])
        )

    @property
    def concordance_details(self) -> dict[str, float]:
        """Harrell's C with its (weighted) pair counts: ``value``, ``concordant``,
        ``discordant``, ``tied_risk`` (equal linear predictors, counted ½),
        ``tied_time`` (events at the same time, not comparable) and
        ``std_err`` (R's). Computed on first use, as lifelines does."""
        if self._concordance is None:
            i = self._inputs
            self._concordance = dict(
                _core.cox_concordance_of(
                    self._fit, i["stop"], i["event"], i["x"], i["start"], i["strata"], i["weights"], i["offset"],
                    i["cluster"],
                )
            )
        return dict(self._concordance)

    @property
    def concordance(self) -> float:
        """Harrell's C of the linear predictor (R's ``concordance``, lifelines' ``concordance_index_``)."""
        return float(self.concordance_details["value"])

    @property
    def concordance_std_err(self) -> float:
        """Standard error of :attr:`concordance`: R's ``concordance(fit)`` (the
        infinitesimal jackknife of Somers' d, per cluster when the fit has
        clusters); lifelines has none."""
        return float(self.concordance_details["std_err"])

    @staticmethod
    def _test(name: str, t: tuple[float, float, float]) -> TestResult:
        return TestResult(name, {"statistic": float(t[0]), "df": float(t[1]), "pvalue": float(t[2]), "method": name})

    # statsmodels-style accessors
    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Limits of the coefficients (log hazard ratios) at level 1 − ``alpha``."""
        level = check_level(1.0 - float(alpha))
        lo, hi = self._fit.conf_int(level)
        return pd.DataFrame({"lower": lo, "upper": hi}, index=self.params.index)

    def cov_params(self) -> pd.DataFrame:
        """The variance matrix of the coefficients (robust when ``robust``)."""
        return self._var.copy()

    @property
    def naive_cov_params(self) -> pd.DataFrame:
        """The model-based variance I⁻¹ (equals ``cov_params()`` unless robust)."""
        return self._naive_var.copy()

    @property
    def summary(self) -> pd.DataFrame:
        """lifelines-style coefficient table."""
        pct = f"{100 * self.confidence_level:g}%"
        ci = self.conf_int(1.0 - self.confidence_level)
        with np.errstate(divide="ignore"):
            mlog2p = -np.log2(self.pvalues.to_numpy())
        return pd.DataFrame(
            {
                "coef": self.params,
                "exp(coef)": self.hazard_ratios,
                "se(coef)": self.bse,
                f"coef lower {pct}": ci["lower"],
                f"coef upper {pct}": ci["upper"],
                f"exp(coef) lower {pct}": np.exp(ci["lower"]),
                f"exp(coef) upper {pct}": np.exp(ci["upper"]),
                "z": self.zvalues,
                "p": self.pvalues,
                "-log2(p)": mlog2p,
            }
        )

    def _header(self) -> list[tuple[str, str]]:
        h = [
            ("observations", str(self.n)),
            ("events", str(self.n_events)),
            ("censored", str(self.n_censored)),
            ("ties", self.ties),
        ]
        if self.n_strata > 1:
            h.append(("strata", str(self.n_strata)))
        if self.robust:
            h.append(("variance", "robust" + (f", {self.n_clusters} clusters" if self.n_clusters else "")))
        h.append(("log partial likelihood", f"{self.llf:.4f}"))
        h.append(("converged", f"{self.converged} ({self.iterations} iterations)"))
        return h

    def _tests_text(self) -> list[str]:
        out = [f"Concordance = {self.concordance:.4f} (se = {self.concordance_std_err:.4f})"]
        tests = [self.lr_test, self.wald_test, self.score_test]
        if self.robust_score_test is not None:
            tests.append(self.robust_score_test)
        for t in tests:
            out.append(f"{t.method} = {t.statistic:.4f} on {t.df:g} df, p = {_pfmt(t.pvalue)}")
        return out

    def print_summary(self, decimals: int = 3) -> None:
        """Prints the model, the coefficient table and the tests."""
        print("Cox proportional hazards model")
        for k, v in self._header():
            print(f"  {k:<24}{v}")
        print()
        print(self.summary.to_string(float_format=lambda x: f"{x:.{decimals}f}"))
        print()
        for line in self._tests_text():
            print(line)

    def __repr__(self) -> str:
        return (
            f"CoxResult(n={self.n}, events={self.n_events}, censored={self.n_censored}, "
            f"covariates={self.names}, ties={self.ties!r}, concordance={self.concordance:.4f})"
        )

    def _repr_html_(self) -> str:
        head = "; ".join(f"{k}: {html.escape(v)}" for k, v in self._header())
        return frame_html(
            "Cox proportional hazards model",
            self.summary,
            note=head + " | " + " | ".join(self._tests_text()),
            float_format="{:.4g}",
        )

    # baseline and prediction
    def _stratum_index(self, stratum: Any) -> int:
        if not self.strata_labels:
            if stratum not in (None, 0):
                raise ValueError("the model has no strata")
            return 0
        if stratum is None:
            raise ValueError(f"name a stratum: one of {self.strata_labels}")
        if stratum not in self.strata_labels:
            raise ValueError(f"{stratum!r} is not one of the strata {self.strata_labels}")
        return self.strata_labels.index(stratum)

    def baseline_table(self, stratum: Any = None) -> pd.DataFrame:
        """Baseline cumulative hazard at the covariate means (``means``), with
        the numbers at risk, events and censored, indexed by time."""
        d = self._fit.baseline(self._stratum_index(stratum))
        return pd.DataFrame(d).set_index("time")

    @property
    def baseline_cumulative_hazard(self) -> pd.DataFrame:
        """Λ₀(t) at the covariate means; one column per stratum."""
        labels = self.strata_labels or ["baseline hazard"]
        cols = {}
        for k, lab in enumerate(labels):
            cols[lab] = self.baseline_table(lab if self.strata_labels else None)["cumhaz"]
        return pd.DataFrame(cols).sort_index().ffill().fillna(0.0)

    @property
    def baseline_survival(self) -> pd.DataFrame:
        """exp(−Λ₀(t)) at the covariate means."""
        return np.exp(-self.baseline_cumulative_hazard)

    def _new_x(self, X: Any) -> np.ndarray:
        if isinstance(X, pd.DataFrame):
            if self._spec is not None and set(X.columns) <= set(self._spec) and not set(self.names) <= set(X.columns):
                frame, _ = _design(X, None, spec={k: v for k, v in self._spec.items() if k in X.columns})
            else:
                frame = X
            missing = [c for c in self.names if c not in frame.columns]
            if missing:
                raise ValueError(f"X lacks covariate column(s) {missing}")
            arr = frame[self.names].to_numpy(dtype=np.float64)
        else:
            arr = np.asarray(X, dtype=np.float64)
            if arr.ndim == 1:
                arr = arr[None, :]
            if arr.shape[1] != len(self.names):
                raise ValueError(f"X has {arr.shape[1]} columns, the model has {len(self.names)} covariates")
        if np.isnan(arr).any():
            raise ValueError("X has missing values")
        return np.ascontiguousarray(np.where(self.aliased.to_numpy()[None, :], 0.0, arr))

    def predict_partial_hazard(self, X: Any) -> np.ndarray:
        """exp((x − x̄)β̂) per row (lifelines' partial hazard)."""
        x = self._new_x(X)
        b = np.where(self.aliased, 0.0, self.params.to_numpy())
        return np.exp((x - self.means.to_numpy()) @ b)

    def predict_cumulative_hazard(self, X: Any, stratum: Any = None) -> pd.DataFrame:
        """Λ(t | x) per row (columns) at the baseline times of ``stratum`` (index)."""
        x = self._new_x(X)
        k = self._stratum_index(stratum)
        cum = self._fit.predict_cumhaz(x, k)
        times = self._fit.baseline(k)["time"]
        cols = X.index if isinstance(X, pd.DataFrame) else range(x.shape[0])
        return pd.DataFrame(np.asarray(cum), index=pd.Index(times, name="time"), columns=cols)

    def predict_survival_function(self, X: Any, stratum: Any = None) -> pd.DataFrame:
        """S(t | x) = exp(−Λ(t | x)) per row (columns) at the baseline times (index)."""
        return np.exp(-self.predict_cumulative_hazard(X, stratum))

    def predict_survival(
        self,
        X: Any,
        stratum: Any = None,
        conf_type: ConfType = "log",
        confidence_level: float | None = None,
    ) -> pd.DataFrame:
        """S(t | x) with standard errors and pointwise intervals, per row of ``X``.

        Parameters
        ----------
        X : DataFrame or array_like
            Covariate values, one row per curve (as :meth:`predict_survival_function`).
        stratum : label, optional
            The stratum (needed when the model has strata).
        conf_type : {"log", "log-log", "plain"}
            Interval transform; "log" is R's default for ``survfit(fit, newdata)``.
        confidence_level : float, optional
            Default: the model's.

        Returns
        -------
        pandas.DataFrame
            Indexed by (row, time); columns ``cumhaz`` (Λ(t | x)), ``std_err``
            (its standard error, R's ``std.err``; also the SE of log S),
            ``survival``, ``lower``, ``upper``.

        Notes
        -----
        var Λ(t | x) = r² [Σ_k (w_D/d)/S₀ₖ² + qᵀ V q], q(t) = Σ_k (w_D/d)(m_k − (x − x̄))/S₀ₖ,
        summed over event times ≤ t and Efron stages k (one stage for
        Breslow), r = exp((x − x̄)β̂), V = ``cov_params()``: R's
        ``survfit.coxph`` (Therneau & Grambsch 2000, §10.2).

        Examples
        --------
        >>> import huisverbod as hv
        >>> fit = hv.survival.cox([5, 8, 12, 3, 9, 15, 2, 7], [1, 1, 0, 1, 1, 0, 1, 1],
        ...                       [0, 0, 0, 1, 1, 1, 1, 0])
        >>> pred = fit.predict_survival([[0.0], [1.0]])
        >>> list(pred.columns)
        ['cumhaz', 'std_err', 'survival', 'lower', 'upper']
        >>> bool((pred["lower"] <= pred["survival"]).all())
        True
        """
        level = self.confidence_level if confidence_level is None else check_level(confidence_level)
        x = self._new_x(X)
        k = self._stratum_index(stratum)
        cols = ["cumhaz", "std_err", "survival", "lower", "upper"]
        if x.shape[0] == 0:
            # No rows: an empty frame of the usual shape.
            index = pd.MultiIndex.from_arrays([[], np.array([], dtype=float)], names=["row", "time"])
            return pd.DataFrame({c: np.array([], dtype=float) for c in cols}, index=index)
        d = self._fit.predict_survival(x, k, conf_type, float(level))
        rows = list(X.index) if isinstance(X, pd.DataFrame) else list(range(x.shape[0]))
        times = np.asarray(d["time"])
        frames = {
            r: pd.DataFrame(
                {c: np.asarray(d[c])[:, j] for c in ("cumhaz", "std_err", "survival", "lower", "upper")},
                index=pd.Index(times, name="time"),
            )
            for j, r in enumerate(rows)
        }
        return pd.concat(frames, names=["row", "time"])

    def check_proportional_hazards(self, transform: str = "km", method: str = "exact") -> ZphResult:
        """Test of proportional hazards from scaled Schoenfeld residuals.

        Parameters
        ----------
        transform : {"km", "rank", "identity", "log"}
            The time scale g(t) against which the residuals are tested.
        method : {"exact", "approximate"}
            "exact": the score test of R's ``cox.zph`` (survival ≥ 3.0), per
            covariate and GLOBAL, with g(t) = 1 − S(t−) for "km".
            "approximate": the older approximation that lifelines'
            ``proportional_hazard_test`` implements (information at each
            time replaced by I/d; g(t) = 1 − S(t) with the weighted KM; no
            global test; "rank" numbers the event times 1, 2, … as lifelines).

        Returns
        -------
        ZphResult
        """
        if method not in ("exact", "approximate"):
            raise ValueError(f"method must be 'exact' or 'approximate', got {method!r}")
        i = self._inputs
        r = _core.cox_zph_test(
            self._fit, i["stop"], i["event"], i["x"], i["start"], i["strata"], i["weights"], transform, method,
            i["offset"],
        )
        return ZphResult(r, self.names, method)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Forest plot of the hazard ratios with their intervals (needs matplotlib)."""
        from .plotting import plot_hazard_ratios

        return plot_hazard_ratios(self, ax=ax, **kwargs)


def cox(
    time: Any,
    event: Any = None,
    covariates: Any = None,
    *,
    data: pd.DataFrame | None = None,
    start: Any = None,
    strata: Any = None,
    weights: Any = None,
    cluster: Any = None,
    ties: Literal["efron", "breslow"] = "efron",
    robust: bool = False,
    confidence_level: float = 0.95,
    eps: float = 1e-9,
    iter_max: int = 20,
    nan_policy: NanPolicy = "raise",
    offset: Any = None,
    init: Any = None,
) -> CoxResult:
    """Cox proportional-hazards regression.

    Parameters
    ----------
    time : array_like or str
        Event or censoring time (the ``stop`` of a (start, stop] interval).
    event : array_like or str, optional
        1/True for an event, 0/False for censored (default all events).
    covariates : DataFrame, array_like, str or list of str
        The covariates. Column names refer to ``data``. Categorical, text
        and bool columns become indicators with the first level as the
        reference, named ``column[level]``.
    data : pandas.DataFrame, optional
        Where column names are looked up.
    start : array_like or str, optional
        Entry times for counting-process input: each row is at risk on
        (start, stop]; repeated incidents of one case are several rows
        (Andersen–Gill), usually with ``cluster`` = the case.
    strata : array_like or str, optional
        Separate baseline hazards per stratum (e.g. region).
    weights : array_like or str, optional
        Positive case weights.
    cluster : array_like or str, optional
        Cluster labels (e.g. municipality, or the case in Andersen–Gill
        data): implies the cluster-robust sandwich variance.
    ties : {"efron", "breslow"}
        Handling of tied event times.
    robust : bool
        Sandwich variance with each row its own cluster.
    confidence_level : float
        Level of the intervals in ``summary``.
    eps, iter_max : float, int
        Newton–Raphson convergence (R's ``coxph.control``).
    nan_policy : {"raise", "omit"}
        NaN in any used column: raise ``ValueError`` or drop the row.
    offset : array_like or str, optional
        A term with known coefficient 1 in the linear predictor (R's
        ``offset()``), e.g. a log exposure. Baseline hazard and predictions
        are at offset 0.
    init : array_like, optional
        Starting coefficients, one per covariate column (after expanding
        categoricals), default 0. As R's ``coxph(init=)``, the score and
        likelihood-ratio tests and ``llnull`` are then at ``init``.

    Returns
    -------
    CoxResult

    Warns
    -----
    CollinearityWarning
        A covariate is constant within every stratum or collinear: no
        coefficient (NaN), flagged in ``aliased``.
    MonotoneLikelihoodWarning
        A coefficient may be infinite (e.g. a group without events), flagged
        in ``infinite``.
    ConvergenceWarning
        No convergence in ``iter_max`` iterations (``converged`` is False).

    Notes
    -----
    Newton–Raphson from β = 0 with step halving, converged when
    |1 − ℓ_old/ℓ_new| ≤ eps (R's ``coxph``). Efron ties are R's and
    lifelines' default. Coefficients, standard errors, log-likelihood and
    concordance match lifelines' ``CoxPHFitter`` (weights, strata, robust
    and cluster-robust) and R's ``coxph``; the robust variance handles tied
    times as R does (Efron score residuals), whereas lifelines' robust
    variance ignores ties (its documentation says so), so with ties it
    matches R, not lifelines. Wald, likelihood-ratio and score tests as R's
    ``summary(coxph)``; with ``robust`` or ``cluster`` also R's robust
    score test (``robust_score_test``). The baseline hazard is at the (unweighted)
    covariate means, as lifelines; with Efron ties its increments are
    Efron's (R's ``survfit.coxph``), lifelines uses Breslow's.

    References
    ----------
    Cox (1972), JRSS B 34:187–220. Efron (1977), JASA 72:557–565. Lin & Wei
    (1989), JASA 84:1074–1078. Therneau & Grambsch (2000), *Modeling
    Survival Data*. Andersen & Gill (1982), Ann. Stat. 10:1100–1120.

    Examples
    --------
    >>> import huisverbod as hv
    >>> import pandas as pd
    >>> df = pd.DataFrame({"days": [5, 8, 12, 3, 9, 15, 2, 7],
    ...                    "new": [1, 1, 0, 1, 1, 0, 1, 1],
    ...                    "group": ["control", "control", "control", "thv", "thv", "thv", "thv", "control"]})
    >>> fit = hv.survival.cox("days", "new", ["group"], data=df)
    >>> fit.params.index.tolist()
    ['group[thv]']
    >>> bool(fit.converged)
    True
    """
    check_level(confidence_level)
    if covariates is None:
        raise ValueError("cox needs covariates")
    if nan_policy not in ("raise", "omit"):
        raise ValueError(f"nan_policy must be 'raise' or 'omit', got {nan_policy!r}")
    X, spec = _design(covariates, data)
    stop = _float_array(_get(time, data, "time"), "time")
    n = len(stop)
    if len(X) != n:
        raise ValueError(f"covariates have {len(X)} rows, time has length {n}")
    ev = np.ones(n) if event is None else _float_array(_get(event, data, "event"), "event")
    st = None if start is None else _float_array(_get(start, data, "start"), "start")
    w = None if weights is None else _float_array(_get(weights, data, "weights"), "weights")
    off = None if offset is None else _float_array(_get(offset, data, "offset"), "offset")
    for name, arr in (("event", ev), ("start", st), ("weights", w), ("offset", off)):
        if arr is not None and len(arr) != n:
            raise ValueError(f"{name} has length {len(arr)}, time has length {n}")
    x = np.ascontiguousarray(X.to_numpy(dtype=np.float64))
    drop = np.zeros(n, dtype=bool)
    for name, arr in (("time", stop), ("event", ev), ("start", st), ("weights", w), ("offset", off)):
        if arr is not None:
            drop |= np.isnan(arr)
    nan_x = np.isnan(x).any(axis=1) if np.isnan(x).any() else np.zeros(n, dtype=bool)
    if nan_x.any() and nan_policy == "raise":
        i = int(np.flatnonzero(nan_x)[0])
        col = X.columns[np.isnan(x[i])][0]
        raise ValueError(f"covariate {col!r} has a missing value at row {i} (use nan_policy='omit' to drop such rows)")
    drop |= nan_x
    s_codes = c_codes = None
    s_labels: list[Any] = []
    if strata is not None:
        s_codes, s_labels, smiss = _labels(_get(strata, data, "strata"), "strata")
        drop |= smiss
        if smiss.any() and nan_policy == "raise":
            raise ValueError(f"strata has a missing value at position {int(np.flatnonzero(smiss)[0])}")
    if cluster is not None:
        c_codes, _, cmiss = _labels(_get(cluster, data, "cluster"), "cluster")
        drop |= cmiss
        if cmiss.any() and nan_policy == "raise":
            raise ValueError(f"cluster has a missing value at position {int(np.flatnonzero(cmiss)[0])}")
    if nan_policy == "omit" and drop.any():
        keep = ~drop
        stop, ev, x = stop[keep], ev[keep], x[keep]
        st = None if st is None else st[keep]
        w = None if w is None else w[keep]
        off = None if off is None else off[keep]
        if s_codes is not None:
            s_codes, s_labels = _recode(s_codes[keep], s_labels)
        if c_codes is not None:
            c_codes, _ = _recode(c_codes[keep], list(range(int(c_codes.max()) + 1)))
    inputs = {
        "stop": np.ascontiguousarray(stop),
        "event": np.ascontiguousarray(ev),
        "x": np.ascontiguousarray(x),
        "start": None if st is None else np.ascontiguousarray(st),
        "strata": None if s_codes is None else np.ascontiguousarray(s_codes, dtype=np.uint32),
        "weights": None if w is None else np.ascontiguousarray(w),
        "offset": None if off is None else np.ascontiguousarray(off),
    }
    cl = None if c_codes is None else np.ascontiguousarray(c_codes, dtype=np.uint32)
    inputs["cluster"] = cl
    beta0 = None
    if init is not None:
        beta0 = [float(v) for v in np.asarray(init, dtype=np.float64).ravel()]
        if len(beta0) != x.shape[1]:
            raise ValueError(f"init has {len(beta0)} values, the model has {x.shape[1]} coefficients {list(X.columns)}")
    fit = _core.cox(
        inputs["stop"], inputs["event"], inputs["x"], inputs["start"], inputs["strata"], inputs["weights"], cl,
        ties, bool(robust), float(confidence_level), float(eps), int(iter_max), False, inputs["offset"], beta0,
    )
    res = CoxResult(fit, [str(c) for c in X.columns], s_labels, inputs, spec)
    _warn_fit(res)
    return res


def _warn_fit(res: CoxResult) -> None:
    import warnings

    if res.aliased.any():
        names = ", ".join(repr(c) for c in res.aliased.index[res.aliased])
        warnings.warn(
            f"covariate {names} is constant within every stratum or collinear with others: "
            "no coefficient is estimated (see .aliased)",
            CollinearityWarning,
            stacklevel=3,
        )
    if res.infinite.any():
        names = ", ".join(repr(c) for c in res.infinite.index[res.infinite])
        warnings.warn(
            f"the log-likelihood converged before the coefficient of {names}: it may be infinite "
            "(monotone likelihood, e.g. a group without events; see .infinite)",
            MonotoneLikelihoodWarning,
            stacklevel=3,
        )
    if res.n_clusters == 1:
        warnings.warn(
            "all rows are in one cluster: the cluster-robust standard errors are not "
            "estimable (they come out ≈ 0); drop cluster= or use more clusters",
            EstimabilityWarning,
            stacklevel=3,
        )
    if not res.converged:
        warnings.warn(
            f"the Cox fit did not converge in {res.iterations} iterations (see .converged)",
            ConvergenceWarning,
            stacklevel=3,
        )


# ------------------------------------------------------------------ report section


def _md_table(df: pd.DataFrame, fmt: str = "{:.3g}") -> str:
    """A pipe table (no tabulate dependency)."""

    def cell(v: Any) -> str:
        if isinstance(v, float | np.floating):
            v = float(v)
            if math.isnan(v):
                return "–"
            if math.isinf(v):
                return "not reached" if v > 0 else "-inf"
            return fmt.format(v)
        return str(v)

    name = df.index.name or ""
    head = [name, *map(str, df.columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * len(df.columns)) + "|"]
    for idx, row in df.iterrows():
        lines.append("| " + " | ".join([str(idx), *(cell(v) for v in row.to_numpy())]) + " |")
    return "\n".join(lines)


class SurvivalSection:
    """The censoring-aware companion of the report's "days to the first new incident".

    Built by :func:`report_section`. Attributes: ``groups`` (per group: the
    report's Table 5.1 figures next to the Kaplan–Meier ones), ``hazard_ratios``
    (thv against control, unadjusted and adjusted), and the underlying
    results ``km``, ``logrank``, ``rmst``, ``cox``, ``cox_adjusted``.
    """

    def __init__(self, **parts: Any) -> None:
        self.__dict__.update(parts)

    def _notes(self) -> list[str]:
        lr = self.logrank
        notes = [
            "Report columns: cases with at least one new incident and the mean (sd) days to the first, "
            "among those cases only (the report's Table 5.1 layout).",
            "Kaplan–Meier columns use every case; cases without a new incident are censored at the end of "
            "their observation. Median 'not reached': fewer than half had a new incident.",
            f"Log-rank test: chi2 = {_fmt(lr.statistic)}, df = {_fmt(lr.df)}, p = {_pfmt(lr.pvalue)}.",
        ]
        if len(self.rmst.contrasts):
            c = self.rmst.contrasts.iloc[0]
            notes.append(
                f"RMST up to {_fmt(self.rmst.tau)} days, {self.rmst.contrasts.index[0]} − {self.rmst.reference}: "
                f"{_fmt(c['difference'])} days ({_fmt(c['difference_lower'])} to {_fmt(c['difference_upper'])}), "
                f"p = {_pfmt(c['difference_pvalue'])}."
            )
        notes.extend(self.extra_notes)
        return notes

    def to_markdown(self) -> str:
        """The section as Markdown: a heading, the tables and the notes."""
        out = [f"### {self.title}", "", _md_table(self.groups)]
        if self.hazard_ratios is not None and len(self.hazard_ratios):
            out += ["", _md_table(self.hazard_ratios)]
        out += [""] + [f"- {n}" for n in self._notes()]
        return "\n".join(out) + "\n"

    def __repr__(self) -> str:
        body = self.groups.to_string(float_format=_fmt)
        hr = "" if self.hazard_ratios is None else "\n\n" + self.hazard_ratios.to_string(float_format=_fmt)
        return f"{self.title}\n{body}{hr}\n" + "\n".join(f"- {n}" for n in self._notes())

    def _repr_html_(self) -> str:
        parts = [frame_html(self.title, self.groups, float_format="{:.3g}")]
        if self.hazard_ratios is not None and len(self.hazard_ratios):
            parts.append(frame_html("Hazard ratio of a new incident", self.hazard_ratios, float_format="{:.3g}"))
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        return "".join(parts) + f"<ul style='font-size:smaller'>{notes}</ul>"


def _exp_or_inf(v: float) -> float:
    """exp(v), +inf past the float range (a diverging coefficient of a tiny cohort)."""
    return math.inf if v > 709.0 else math.exp(v)


def report_section(
    rec: Any,
    covariates: pd.DataFrame | None = None,
    *,
    tau: float = 365.0,
    days: Sequence[float] = (90, 180, 365),
    confidence_level: float = 0.95,
) -> SurvivalSection:
    """The report's "days to the first new incident" next to the censoring-aware answer.

    Parameters
    ----------
    rec : huisverbod.Recidivism
        From ``cohort.recidivism(...)`` (e.g. ``sources=["police"]`` for Table 5.1).
    covariates : pandas.DataFrame, optional
        Case characteristics to adjust the hazard ratio for (e.g. the
        chapter-2 differences between the groups), one row per case, indexed
        by ``rec.case_id`` or in the same order. Rows with missing values are
        left out of the adjusted model (the number used is shown).
    tau : float
        Horizon of the restricted mean survival time (days).
    days : sequence of float
        Days at which the share with a new incident is shown.
    confidence_level : float

    Returns
    -------
    SurvivalSection
        ``groups`` table, ``hazard_ratios`` table, ``to_markdown()``,
        ``_repr_html_``; and ``km``, ``logrank``, ``rmst``, ``cox``,
        ``cox_adjusted``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> rec = hv.Cohort.from_csv(hv.example_data_dir()).recidivism(sources=["police"])
    >>> sec = hv.survival.report_section(rec, tau=300)
    >>> int(sec.groups.loc["thv", "n"]), int(sec.groups.loc["thv", "events"])
    (5, 2)
    >>> "Log-rank" in sec.to_markdown()
    True
    """
    import warnings

    check_level(confidence_level)
    group = pd.Categorical(np.asarray(rec.group, dtype=object), categories=["control", "thv"])
    order = [g for g in ["thv", "control"] if (np.asarray(group) == g).any()]
    km = kaplan_meier(rec.time, rec.event, group=rec.group, confidence_level=confidence_level)
    lr = logrank_test(rec.time, rec.event, group=rec.group)
    rm = rmst(rec.time, rec.event, group=rec.group, tau=tau, reference="control" if "control" in order else None,
              confidence_level=confidence_level)
    report = rec.by_group()
    summ = km.summary
    ci = km.cumulative_incidence_at(list(days))
    pct = f"{100 * confidence_level:g}%"
    rows = {}
    for g in order:
        r = {
            "n": int(report.loc[g, "n"]),
            "with new (report)": int(report.loc[g, "n_with_new"]),
            "mean days to first (report)": report.loc[g, "mean_days_to_first"],
            "sd (report)": report.loc[g, "sd_days_to_first"],
            "events": int(summ.loc[g, "events"]),
            "censored": int(summ.loc[g, "censored"]),
            "median days (KM)": summ.loc[g, "median"],
            f"median {pct} low": summ.loc[g, "median_lower"],
            f"median {pct} high": summ.loc[g, "median_upper"],
        }
        for d in days:
            r[f"% new by day {d:g}"] = 100.0 * float(ci.loc[(g, float(d)), "cumulative_incidence"])
        r[f"RMST {tau:g} days"] = rm.table.loc[g, "rmst"]
        r[f"RMST {pct} low"] = rm.table.loc[g, "lower"]
        r[f"RMST {pct} high"] = rm.table.loc[g, "upper"]
        rows[g] = r
    groups = pd.DataFrame.from_dict(rows, orient="index")
    groups.index.name = "group"

    extra: list[str] = []
    fit = fit_adj = None
    hr_rows = {}
    if len(order) == 2:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = cox(rec.time, rec.event, pd.DataFrame({"group": group}), confidence_level=confidence_level)
            if covariates is not None:
                cov = covariates
                if isinstance(cov, pd.DataFrame) and cov.index.equals(rec.case_id):
                    cov = cov.reset_index(drop=True)
                elif isinstance(cov, pd.DataFrame) and len(cov) == len(rec.time):
                    cov = cov.reset_index(drop=True)
                else:
                    raise ValueError("covariates must have one row per case (indexed by rec.case_id or in its order)")
                frame = pd.concat([pd.DataFrame({"group": group}), cov], axis=1)
                fit_adj = cox(rec.time, rec.event, frame, confidence_level=confidence_level, nan_policy="omit")
                n_all = len(rec.time)
                extra.append(
                    f"Adjusted Cox model: {fit_adj.n} of {n_all} cases have all of "
                    f"{', '.join(map(str, cov.columns))} known ({n_all - fit_adj.n} left out)."
                )
        extra += [f"Cox model: {w.message}" for w in caught]
        for label, f in (("unadjusted", fit), ("adjusted", fit_adj)):
            if f is None:
                continue
            c = f.conf_int(1.0 - confidence_level).loc["group[thv]"]
            name = label if label == "unadjusted" else f"adjusted for {len(f.params) - 1} covariate(s)"
            hr_rows[name] = {
                "HR thv vs control": float(f.hazard_ratios["group[thv]"]),
                f"{pct} low": _exp_or_inf(c["lower"]),
                f"{pct} high": _exp_or_inf(c["upper"]),
                "p": float(f.pvalues["group[thv]"]),
                "n": f.n,
                "events": f.n_events,
            }
    else:
        extra.append("Only one group has cases: no comparison.")
    hr = pd.DataFrame.from_dict(hr_rows, orient="index") if hr_rows else None
    if hr is not None:
        hr.index.name = "Cox model"
    src = "all sources" if rec.sources is None else ", ".join(rec.sources)
    title = f"Time to the first new incident ({src})"
    return SurvivalSection(
        title=title,
        groups=groups,
        hazard_ratios=hr,
        km=km,
        logrank=lr,
        rmst=rm,
        cox=fit,
        cox_adjusted=fit_adj,
        extra_notes=extra,
    )
