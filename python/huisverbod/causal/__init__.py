"""Comparable groups: balance, propensity scores, inverse-probability
weighting, matching, doubly robust estimation, subgroup effects and E-values
(issue 7).

The report's central finding (fewer new police-registered incidents after a
restraining order, Table 5.1) compares groups that differ before the order.
This module shows that imbalance (:func:`balance`), models the probability
of an order (:func:`propensity`), reweights the groups (:func:`ipw`) or
matches them (:func:`match`) to estimate the effect on the three recidivism
measures, gives the doubly robust risk difference (:func:`aipw`), and says
how strong an unmeasured confounder would have to be to explain it away
(:func:`evalue`). Conventions and references: ``docs/causal.md`` and
``docs/causal_matching.md``.

Examples
--------
>>> import huisverbod as hv
>>> round(hv.causal.evalue(0.7, 0.5, 0.95).point, 3)
2.211
>>> callable(hv.causal.match) and callable(hv.causal.aipw)
True
"""

from __future__ import annotations

from ._aipw import AIPWBootstrap, AIPWResult, PositivityWarning, aipw
from ._balance import BalanceResult, balance
from ._common import ExtremeWeightWarning, OverlapWarning
from ._evalue import EValueResult, evalue
from ._ipw import ContrastResult, IPWResult, ipw, unadjusted
from ._match import MatchingWarning, MatchResult, match
from ._propensity import PropensityResult, propensity
from ._report import analysis_frame
from ._subgroup import SubgroupResult, subgroup_effects

__all__ = [
    "AIPWBootstrap",
    "AIPWResult",
    "BalanceResult",
    "ContrastResult",
    "EValueResult",
    "ExtremeWeightWarning",
    "IPWResult",
    "MatchResult",
    "MatchingWarning",
    "OverlapWarning",
    "PositivityWarning",
    "PropensityResult",
    "SubgroupResult",
    "aipw",
    "analysis_frame",
    "balance",
    "evalue",
    "ipw",
    "match",
    "propensity",
    "subgroup_effects",
    "unadjusted",
]
