"""Cohorts that ship with the package or are generated on demand.

No real person's data: everything here is made up or drawn from a model.
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING, Any

from ._cohort import Cohort

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "example",
    "regioplan2013",
    "regioplan2013_fidelity",
    "regioplan2013_fidelity_summary",
    "regioplan2013_verdicts",
    "synthetic",
]


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


@functools.cache
def _regioplan2013() -> Cohort:
    from . import _core

    return Cohort(_core.regioplan2013())


def regioplan2013() -> Cohort:
    """The replication cohort: 105 restraining-order and 104 control cases.

    A synthetic cohort built so that the published tables of the Regioplan
    (2013) evaluation come out of it: the cases with their perpetrators,
    victims and children (168 in thv cases, 109 in control cases) and their
    new incidents, with dates (orders in 2011, one measurement moment per
    region 1 to 1.5 years later) and the registering sources (police, SHG,
    BJZ/AMK). **No real person's data**: the study's microdata are
    confidential; this cohort is made up by code from the published
    aggregates only (``hv.published_tables()``).

    Built in Rust in under a second (deterministic: a fixed seed; every call
    gives the same cohort) and cached per process. How close it comes to the
    report, cell by cell: :func:`regioplan2013_fidelity`.

    Returns
    -------
    Cohort

    Notes
    -----
    Construction: every attribute is dealt as a multiset with the published
    counts of its group and role; a seeded simulated annealing then swaps
    values between cases or persons of the same group and role (keeping
    every one-way count) and perturbs the new incidents, to meet the chapter-5
    cross tables, means, standard deviations and significance verdicts at
    once. A second search then changes only what no published table sees,
    towards the verdicts of the Bijlage 5 models (35 of 38 agree;
    ``regioplan2013_fidelity_summary()["bijlage5_verdicts_agree"]``).
    The populations of the tables and the report's inconsistencies
    (and the choices made) are in ``docs/replication.md``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> c = hv.datasets.regioplan2013()
    >>> c.n_cases, c.n_persons
    (209, 730)
    >>> c.recidivism(sources=["police"]).by_group()["n_with_new"].tolist()
    [22, 31]
    """
    return _regioplan2013()


@functools.cache
def _fidelity_native() -> dict[str, Any]:
    from . import _core

    return _core.regioplan2013_fidelity(regioplan2013()._inner)


def _fidelity(cohort: Cohort | None) -> dict[str, Any]:
    if cohort is None:
        return _fidelity_native()
    if not isinstance(cohort, Cohort):
        raise TypeError(f"cohort must be a huisverbod.Cohort, got {type(cohort).__name__}")
    from . import _core

    return _core.regioplan2013_fidelity(cohort._inner)


def regioplan2013_fidelity(cohort: Cohort | None = None) -> pd.DataFrame:
    """Every published cell of the report next to the same number in a cohort.

    Parameters
    ----------
    cohort : Cohort, optional
        The cohort to compare; by default the replication cohort
        (:func:`regioplan2013`). Any cohort works: with real data this shows
        how it compares with the 2013 study.

    Returns
    -------
    pandas.DataFrame
        One row per published cell that a cohort can reproduce: ``table``
        (the report's table id), ``row`` and ``column`` (English labels),
        ``kind`` (``count``, ``pct``, ``mean`` or ``sd``), ``published`` (a
        printed ``-`` is a count of 0), ``cohort`` (the value in the cohort;
        NaN when undefined), ``difference`` (cohort − published), ``target``
        (``exact`` for the one-way counts of Tables 1, 2, 2.1, 2.2, 2.7,
        2.8, 2.13, 3.3, 4.1, 4.3, 4.17–4.21, 5.1 and 5.2; ``within_1`` for
        the counts of the cross tables 5.4–5.35; ``within_5pct`` for means
        and standard deviations; ``none`` for the other cells, percentages
        included) and ``met`` (whether the target is met; NA for ``none``).

    Notes
    -----
    The cohort's values come from its columns and the library's own
    recidivism measures (police-registered incidents for Table 5.1, all
    sources elsewhere in chapter 5; each case observed until its
    ``followup_end``). Percentages are computed on the cohort's own base.

    Examples
    --------
    >>> import huisverbod as hv
    >>> f = hv.datasets.regioplan2013_fidelity()
    >>> t51 = f[(f["table"] == "5.1") & (f["kind"] == "count")]
    >>> t51[["column", "published", "cohort"]].reset_index(drop=True)
              column  published  cohort
    0      Thv group       22.0    22.0
    1  Control group       31.0    31.0
    >>> bool(f["met"].dropna().all())
    True
    """
    import pandas as pd

    f = _fidelity(cohort)
    cols = ["table", "row", "column", "kind", "published", "cohort", "difference", "target", "met"]
    df = pd.DataFrame(f["records"], columns=cols)
    for c in ("published", "cohort", "difference"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["met"] = df["met"].astype("boolean")
    return df


def regioplan2013_verdicts(cohort: Cohort | None = None) -> pd.DataFrame:
    """The report's chapter-5 significance verdicts, recomputed from a cohort.

    One row per comparison of chapter 5 (the same comparisons as
    ``huisverbod.stats._verdicts.report_comparisons()``, which rebuilds them
    from the published numbers), tested on the cohort's microdata with the
    report's conventions: Pearson chi-square without continuity correction
    for cross tables, the pooled-variance t-test for two means, one-sided
    p = p/2 when the difference lies in the published direction (1 − p/2
    otherwise), the printed alpha (.10 when none is printed).

    Parameters
    ----------
    cohort : Cohort, optional
        By default the replication cohort.

    Returns
    -------
    pandas.DataFrame
        ``table``, ``comparison``, ``test``, ``statistic``, ``df``,
        ``p_two_sided``, ``p_report`` (the p of the printed sidedness),
        ``claim``, ``alpha``, ``sided``, ``same_direction``, ``agrees``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> v = hv.datasets.regioplan2013_verdicts()
    >>> len(v), int(v["agrees"].sum())
    (38, 38)
    """
    import pandas as pd

    cols = ["table", "comparison", "test", "statistic", "df", "p_two_sided", "p_report", "claim",
            "alpha", "sided", "same_direction", "agrees"]
    return pd.DataFrame(_fidelity(cohort)["verdicts"], columns=cols)


def regioplan2013_fidelity_summary(cohort: Cohort | None = None) -> dict[str, int]:
    """How many published cells and verdicts a cohort reproduces.

    Parameters
    ----------
    cohort : Cohort, optional
        By default the replication cohort.

    Returns
    -------
    dict
        ``count_cells`` (published counts compared), ``count_exact``,
        ``count_off_by_1``, ``count_off`` (more than 1 away);
        ``exact_target_cells``/``exact_target_met`` (the one-way counts held
        to exactness), ``within_1_target_cells``/``within_1_target_met`` (the
        cross tables 5.4–5.35), ``moment_cells``/``moment_within_5pct``
        (means and standard deviations), ``verdict_comparisons``/
        ``verdict_comparisons_agree`` and ``verdict_tables``/
        ``verdict_tables_agree`` (a table agrees when all its comparisons do);
        ``bijlage5_verdicts``/``bijlage5_verdicts_agree`` (the characteristics
        of the Bijlage 5 models with a printed p-value, and how many of the
        cohort's verdicts, p < .10 with the printed direction, agree).

    Examples
    --------
    >>> import huisverbod as hv
    >>> s = hv.datasets.regioplan2013_fidelity_summary()
    >>> s["exact_target_met"] == s["exact_target_cells"], s["verdict_tables_agree"], s["verdict_tables"]
    (True, 34, 34)
    """
    return dict(_fidelity(cohort)["summary"])
