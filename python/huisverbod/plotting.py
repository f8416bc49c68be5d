"""Plots of survival results (matplotlib, an optional dependency: ``pip install matplotlib``).

matplotlib is imported when a plot is made, never when huisverbod is
imported. Every function takes an optional ``ax`` and returns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["plot_cumulative_incidence", "plot_hazard_ratios", "plot_kaplan_meier", "plot_zph"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install matplotlib") from e
    return plt


def _steps(t: np.ndarray, y: np.ndarray, start: float) -> tuple[np.ndarray, np.ndarray]:
    """A step curve from time 0 (value ``start``) through the table points."""
    return np.concatenate([[0.0], t]), np.concatenate([[start], y])


def plot_kaplan_meier(
    km: Any,
    ax: Any = None,
    ci: bool = True,
    at_risk: bool = True,
    at_risk_times: Sequence[float] | None = None,
    cumulative: bool = False,
    censor_marks: bool = True,
    xlabel: str = "days",
    ylabel: str | None = None,
) -> Any:
    """Kaplan–Meier curves with interval bands and a numbers-at-risk table.

    Parameters
    ----------
    km : KaplanMeierResult
    ax : matplotlib Axes, optional
    ci : bool
        Draw the pointwise intervals as bands.
    at_risk : bool
        Print the numbers at risk per group under the axis.
    at_risk_times : sequence of float, optional
        Where to count the numbers at risk (default: the x tick positions).
    cumulative : bool
        Plot the cumulative incidence 1 − S(t) (share with a new incident).
    censor_marks : bool
        Mark censoring times with "+".
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    for k, g in enumerate(km.groups):
        tab = km.table_for(g)
        t = tab.index.to_numpy(dtype=float)
        s = tab["survival"].to_numpy()
        lo, hi = tab["lower"].to_numpy(), tab["upper"].to_numpy()
        if cumulative:
            s, lo, hi = 1.0 - s, 1.0 - hi, 1.0 - lo
        color = f"C{k}"
        x, y = _steps(t, s, 0.0 if cumulative else 1.0)
        ax.step(x, y, where="post", color=color, label=str(g))
        if ci:
            xl, yl = _steps(t, lo, 0.0 if cumulative else 1.0)
            _, yh = _steps(t, hi, 0.0 if cumulative else 1.0)
            ax.fill_between(xl, yl, yh, step="post", color=color, alpha=0.2, linewidth=0)
        if censor_marks:
            cens = tab["n_censor"].to_numpy() > 0
            ax.plot(t[cens], s[cens], "+", color=color, markersize=6)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or ("cumulative incidence 1 − S(t)" if cumulative else "survival S(t)"))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(left=0)
    if len(km.groups) > 1 or km.groups != ["all"]:
        ax.legend(title=km.group_name, loc="lower left" if not cumulative else "upper left")
    if at_risk:
        times = np.asarray(at_risk_times if at_risk_times is not None else ax.get_xticks(), dtype=float)
        xmin, xmax = ax.get_xlim()
        times = times[(times >= xmin) & (times <= xmax)]
        counts = km.survival_at(times)["n_risk"]
        n = len(km.groups)
        for k, g in enumerate(km.groups):
            y = -0.18 - 0.07 * k
            ax.text(-0.04, y, str(g), transform=ax.transAxes, ha="right", va="top", color=f"C{k}", fontsize=8)
            for t, c in zip(times, counts.loc[g].to_numpy(), strict=True):
                label = str(int(c)) if float(c).is_integer() else f"{c:.1f}"  # weighted: sums of weights
                ax.text(t, y, label, transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=8)
        ax.text(-0.04, -0.18 + 0.07, "at risk", transform=ax.transAxes, ha="right", va="top",
                fontsize=8, style="italic")
        ax.figure.subplots_adjust(bottom=0.2 + 0.05 * n, left=0.16)
    return ax


def plot_cumulative_incidence(km: Any, ax: Any = None, **kwargs: Any) -> Any:
    """Cumulative incidence 1 − S(t) per group (see :func:`plot_kaplan_meier`)."""
    return plot_kaplan_meier(km, ax=ax, cumulative=True, **kwargs)


def plot_hazard_ratios(fit: Any, ax: Any = None) -> Any:
    """Forest plot of the hazard ratios of a :class:`~huisverbod.survival.CoxResult`."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(fit.params)))
    ci = np.exp(fit.conf_int(1.0 - fit.confidence_level))
    hr = fit.hazard_ratios
    y = np.arange(len(hr))[::-1]
    ax.errorbar(hr.to_numpy(), y, xerr=[hr - ci["lower"], ci["upper"] - hr], fmt="o", color="C0", capsize=3)
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(y)
    ax.set_yticklabels(list(hr.index))
    ax.set_xlabel(f"hazard ratio ({100 * fit.confidence_level:g}% interval)")
    return ax


def plot_zph(zph: Any, covariate: str | None = None, ax: Any = None) -> Any:
    """Scaled Schoenfeld residuals against the transformed time, with binned means."""
    plt = _pyplot()
    res = zph.residuals
    names = [c for c in res.columns if c != "g(t)"]
    name = covariate if covariate is not None else names[0]
    if name not in names:
        raise ValueError(f"{name!r} is not one of {names}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    g = res["g(t)"].to_numpy()
    r = res[name].to_numpy()
    ax.plot(g, r, ".", alpha=0.4, color="C0")
    if len(g) >= 10:
        edges = np.quantile(g, np.linspace(0, 1, 11))
        mids, means = [], []
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            m = (g >= a) & (g <= b)
            if m.any():
                mids.append(g[m].mean())
                means.append(r[m].mean())
        ax.plot(mids, means, "-", color="C1", label="binned mean")
        ax.legend()
    ax.set_xlabel(f"g(t) ({zph.transform})")
    ax.set_ylabel(f"beta(t) for {name}")
    p = zph.table.loc[name, "p"]
    ax.set_title(f"{name}: p = {p:.3g}")
    return ax
