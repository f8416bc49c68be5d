"""Effects within subgroups with an interaction test (``hv.causal.subgroup_effects``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pandas as pd

from .._display import frame_html
from ..stats._common import TestResult, check_level

__all__ = ["SubgroupResult", "subgroup_effects"]


def _exp(v: float) -> float:
    """exp without OverflowError (a diverging log odds ratio gives inf)."""
    return math.inf if v > 709.0 else math.exp(v)


class SubgroupResult:
    """Per-subgroup odds ratios of the treatment and the interaction test.

    Attributes
    ----------
    table : pandas.DataFrame
        Per level: ``n``, ``risk_treated``, ``risk_control``,
        ``odds_ratio``, ``ci_low``, ``ci_high``, ``p`` (from the
        interaction model: the treatment effect within that level).
    interaction : TestResult
        Likelihood-ratio test of ``treatment × subgroup`` (H0: the same
        odds ratio in every subgroup).
    model : LogitResult
        The interaction model.
    """

    def __init__(self, table: pd.DataFrame, interaction: TestResult, model: Any) -> None:
        self.table = table
        self.interaction = interaction
        self.model = model

    def summary(self) -> pd.DataFrame:
        """The per-subgroup table."""
        return self.table

    def __repr__(self) -> str:
        return (f"<SubgroupResult: {len(self.table)} subgroups, interaction LR {self.interaction.statistic:.3f} "
                f"(df {self.interaction.df:g}), p = {self.interaction.pvalue:.3g}>")

    def _repr_html_(self) -> str:
        note = (f"Interaction LR test: chi2 = {self.interaction.statistic:.3f}, df = {self.interaction.df:g}, "
                f"p = {self.interaction.pvalue:.3g}")
        return frame_html("Effects by subgroup", self.table, note, "{:.3f}")


def subgroup_effects(
    data: pd.DataFrame,
    outcome: str,
    treatment: str,
    subgroup: str,
    *,
    covariates: list[str] | None = None,
    confidence_level: float = 0.95,
) -> SubgroupResult:
    """The treatment's odds ratio within each subgroup and a test of whether it differs.

    Fits ``outcome ~ treatment * C(subgroup) [+ covariates]`` with
    :func:`huisverbod.logit`; the odds ratio in level ``g`` is
    ``exp(β_T + β_{T:g})`` with its Wald interval from the model's
    covariance. The interaction test is the likelihood-ratio test against
    ``outcome ~ treatment + C(subgroup) [+ covariates]`` on the same rows.

    Parameters
    ----------
    data : pandas.DataFrame
    outcome : str
        A 0/1 column (e.g. any new incident).
    treatment : str
        A 0/1 column (1 = restraining order).
    subgroup : str
        The column defining the subgroups (e.g. perpetrator female).
    covariates : list of str, optional
        Adjustment terms added to both models (formula syntax).
    confidence_level : float

    Examples
    --------
    >>> import pandas as pd
    >>> import huisverbod as hv
    >>> df = pd.DataFrame({"y": [1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0],
    ...                    "t": [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0],
    ...                    "g": ["a"] * 8 + ["b"] * 8})
    >>> s = hv.causal.subgroup_effects(df, "y", "t", "g")
    >>> s.table["odds_ratio"].round(3).tolist()   # a: (2/2)/(2/2) = 1;  b: (2/2)/(2/2) = 1
    [1.0, 1.0]
    """
    from ..models import logit, lr_test

    for c in (outcome, treatment, subgroup):
        if c not in data.columns:
            raise ValueError(f"data has no column {c!r}")
    extra = "".join(f" + {c}" for c in (covariates or []))
    sub = data.dropna(subset=[outcome, treatment, subgroup])
    levels = sorted(sub[subgroup].astype(str).unique())
    if len(levels) < 2:
        raise ValueError(f"{subgroup!r} has fewer than two levels among the complete rows")
    sub = sub.assign(_sg=pd.Categorical(sub[subgroup].astype(str), categories=levels))
    full = logit(f"{outcome} ~ {treatment} * C(_sg){extra}", sub)
    rows_used = full.fittedvalues.index
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the restricted model on the same rows warns the same way as the full one
        restricted = logit(f"{outcome} ~ {treatment} + C(_sg){extra}", sub.loc[rows_used])
    lr = lr_test(full, restricted)
    names = list(full.params.index)
    check_level(confidence_level)
    j_t = names.index(treatment)
    used = sub.loc[rows_used]
    out = []
    for k, lev in enumerate(levels):
        c = [0.0] * len(names)
        c[j_t] = 1.0
        if k > 0:
            inter = [n for n in names if n.startswith(f"{treatment}:C(_sg)") and n.endswith((f"[T.{lev}]", f"[{lev}]"))]
            if len(inter) != 1:
                raise ValueError(f"cannot find the interaction term of level {lev!r} in {names}")
            c[names.index(inter[0])] = 1.0
        # β_T (+ β_T:g) with its Wald SE, p and interval from the Rust core; exp gives the odds ratio
        b, _se, _z, p, lo, hi = full._fit.contrast(c, float(confidence_level))
        g = used[used["_sg"] == lev]
        t = g[treatment].astype(float) == 1.0
        out.append([len(g), float(g.loc[t, outcome].astype(float).mean()), float(g.loc[~t, outcome].astype(float).mean()),
                    _exp(b), _exp(lo), _exp(hi), p])
    table = pd.DataFrame(out, columns=["n", "risk_treated", "risk_control", "odds_ratio", "ci_low", "ci_high", "p"],
                         index=pd.Index(levels, name=subgroup))
    return SubgroupResult(table, lr, full)
