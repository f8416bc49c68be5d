"""Cohorts that ship with the package or are generated on demand.

No real person's data: everything here is made up or drawn from a model.
"""

from __future__ import annotations

import operator

from ._cohort import Cohort

__all__ = ["example", "synthetic"]


def example() -> Cohort:
    """The hand-made example cohort: ten cases (five thv, five control).

    Made up for documentation and tests; its recidivism measures are worked
    out by hand in ``tests/measures.rs``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> hv.datasets.example().n_cases
    10
    """
    from . import example_data_dir

    return Cohort.from_csv(example_data_dir())


def synthetic(n_cases: int, seed: int = 0) -> Cohort:
    """A synthetic cohort of any size from a latent model of the report's relations.

    Cases are restraining-order (thv) or control cases with their
    perpetrator, victim and children, and new incidents from a Poisson
    process whose rate depends on the group, a full start of help, the
    problem load and violation of the order, with a frailty for
    over-dispersion; incidents run past each case's ``followup_end``, so
    censoring matters. The model is written out in the Rust documentation of
    ``huisverbod::synth``. No real person's data.

    Generated in parallel in linear time; the same ``seed`` gives the same
    cohort whatever the number of threads.

    Parameters
    ----------
    n_cases : int
        Number of cases (1 to 100,000,000).
    seed : int, default 0
        Seed of the random streams (0 to 2**64 - 1).

    Examples
    --------
    >>> import huisverbod as hv
    >>> c = hv.datasets.synthetic(2_000, seed=1)
    >>> c.n_cases
    2000
    >>> c == hv.datasets.synthetic(2_000, seed=1)
    True
    """
    n = operator.index(n_cases)
    s = operator.index(seed)
    if n < 1:
        raise ValueError(f"n_cases must be at least 1, got {n}")
    if not 0 <= s < 2**64:
        raise ValueError(f"seed must lie in [0, 2**64), got {s}")
    from . import _core

    return Cohort(_core.synthetic(n, s))
