"""Comparable groups: balance, propensity scores, inverse-probability
weighting, subgroup effects and E-values (issue 7).

The report's central finding (fewer new police-registered incidents after a
restraining order, Table 5.1) compares groups that differ before the order.
This module shows that imbalance (:func:`balance`), models the probability
of an order (:func:`propensity`), reweights the groups (:func:`ipw`) to
estimate the effect on the three recidivism measures, and says how strong an
unmeasured confounder would have to be to explain it away (:func:`evalue`).
Matching (:func:`match`) and doubly robust estimation (:func:`aipw`) are
added by their own modules when present.

Examples
--------
>>> import huisverbod as hv
>>> round(hv.causal.evalue(0.7, 0.5, 0.95).point, 3)
2.211
"""

from __future__ import annotations

from ._balance import BalanceResult, balance
from ._common import ExtremeWeightWarning, OverlapWarning
from ._evalue import EValueResult, evalue
from ._ipw import ContrastResult, IPWResult, ipw, unadjusted
from ._propensity import PropensityResult, propensity
from ._report import analysis_frame
from ._subgroup import SubgroupResult, subgroup_effects

__all__ = [
    "BalanceResult",
    "ContrastResult",
    "EValueResult",
    "ExtremeWeightWarning",
    "IPWResult",
    "OverlapWarning",
    "PropensityResult",
    "SubgroupResult",
    "analysis_frame",
    "balance",
    "evalue",
    "ipw",
    "propensity",
    "subgroup_effects",
    "unadjusted",
]

try:  # matching (part B of issue 7) lives in its own module
    from ._match import *  # noqa: F403
    from ._match import __all__ as _match_all

    __all__ += list(_match_all)
except ImportError:  # pragma: no cover - present once the matching work is merged
    pass

try:  # doubly robust estimation (part B of issue 7)
    from ._aipw import *  # noqa: F403
    from ._aipw import __all__ as _aipw_all

    __all__ += list(_aipw_all)
except ImportError:  # pragma: no cover - present once the AIPW work is merged
    pass
