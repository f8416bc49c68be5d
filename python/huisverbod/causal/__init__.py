"""Comparable groups: adjusting the thv/control comparison (issue 7).

:func:`match` (nearest-neighbour matching on the logit of the propensity
score) and :func:`aipw` (the doubly robust risk difference); see
``docs/causal_matching.md``.

Examples
--------
>>> import huisverbod as hv
>>> callable(hv.causal.match) and callable(hv.causal.aipw)
True
"""

from ._aipw import AIPWResult, PositivityWarning, aipw
from ._match import MatchingWarning, MatchResult, match

__all__ = ["AIPWResult", "MatchResult", "MatchingWarning", "PositivityWarning", "aipw", "match"]
