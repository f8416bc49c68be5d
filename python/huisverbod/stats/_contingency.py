"""hv.stats: contingency tables (chi-square family, Fisher's exact test, phi, Cramér's V)."""

from __future__ import annotations

import secrets
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ._common import TestResult, check_alternative, check_level

__all__ = ["Chi2TestResult", "SmallExpectedWarning", "chi2_test", "fisher_exact"]


class SmallExpectedWarning(UserWarning):
    """More than 20% of the expected counts are below 5 (SPSS's footnote a).

    The chi-square approximation may then be poor; consider
    :func:`fisher_exact`.
    """


def _table(table: Any) -> np.ndarray:
    """A 2-d float64 array of counts (validated further by the native code)."""
    try:
        arr = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"table must be a 2-d array of counts: {e}") from None
    if arr.ndim != 2:
        raise ValueError(f"table must be two-dimensional, got {arr.ndim} dimension(s)")
    return np.ascontiguousarray(arr)


def _result(d: dict[str, Any]) -> TestResult:
    return TestResult("Chi2Result", d)


class Chi2TestResult(TestResult):
    """The result of :func:`chi2_test`: SPSS's "Chi-Square Tests" table.

    The main result (``statistic``, ``pvalue``, ``df``) is Pearson's
    chi-square unless ``correction``/``lambda_`` asked otherwise. The other
    rows are :class:`TestResult` attributes: ``pearson``, ``yates`` (2×2
    only, else ``None``), ``likelihood_ratio``, ``linear_by_linear``. Further
    attributes: ``expected`` (ndarray), ``phi``, ``cramers_v``,
    ``small_expected`` (bool), ``n_small_expected``, ``min_expected``, ``n``,
    and for 2×2 tables ``fisher_pvalue`` (two-sided) and
    ``fisher_pvalue_one_sided`` (the smaller tail), else ``None``.
    """

    __test__ = False

    def summary(self) -> pd.DataFrame:
        """SPSS's "Chi-Square Tests" table as a DataFrame.

        Rows: Pearson Chi-Square, Continuity Correction (2×2), Likelihood
        Ratio, Fisher's Exact Test (2×2), Linear-by-Linear Association,
        N of Valid Cases. Columns: Value, df, Asymptotic Significance
        (2-sided), and for 2×2 tables Exact Sig. (2-sided) and Exact Sig.
        (1-sided). Cells SPSS leaves empty are NaN/<NA>. SPSS's footnotes
        are in ``.attrs["footnotes"]``.
        """
        f = self._fields
        two_by_two = f["yates"] is not None
        rows: list[tuple[str, float, Any, float, float, float]] = []
        nan = float("nan")

        def row(name: str, r: TestResult) -> tuple[str, float, Any, float, float, float]:
            return (name, r.statistic, int(r.df), r.pvalue, nan, nan)

        rows.append(row("Pearson Chi-Square", f["pearson"]))
        if two_by_two:
            rows.append(row("Continuity Correction", f["yates"]))
        rows.append(row("Likelihood Ratio", f["likelihood_ratio"]))
        if two_by_two and f["fisher_pvalue"] is not None:
            rows.append(("Fisher's Exact Test", nan, None, nan, f["fisher_pvalue"], f["fisher_pvalue_one_sided"]))
        rows.append(row("Linear-by-Linear Association", f["linear_by_linear"]))
        rows.append(("N of Valid Cases", float(f["n"]), None, nan, nan, nan))
        cols = ["Value", "df", "Asymptotic Significance (2-sided)"]
        if two_by_two:
            cols += ["Exact Sig. (2-sided)", "Exact Sig. (1-sided)"]
        frame = pd.DataFrame(
            [r[1 : 1 + len(cols)] for r in rows],
            index=pd.Index([r[0] for r in rows], name=None),
            columns=cols,
        )
        frame["df"] = frame["df"].astype("Int64")
        k = int(np.asarray(f["expected"]).size)
        notes = [
            f"a. {f['n_small_expected']} cells ({100.0 * f['n_small_expected'] / k:.1f}%) have expected "
            f"count less than 5. The minimum expected count is {f['min_expected']:.2f}."
        ]
        if two_by_two:
            notes.append("b. Computed only for a 2x2 table")
        frame.attrs["footnotes"] = notes
        return frame

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain Python values (nested results as dicts)."""
        out = super().to_dict()
        for k, v in out.items():
            if isinstance(v, TestResult):
                out[k] = v.to_dict()
        return out


def chi2_test(
    table: Any,
    correction: bool = False,
    lambda_: float | str | None = None,
    *,
    row_scores: Any = None,
    col_scores: Any = None,
) -> Chi2TestResult:
    """Chi-square tests of independence for an r×c table of counts.

    Parameters
    ----------
    table : array_like
        2-d table of non-negative whole-number counts, at least 2×2 (a
        ``pd.crosstab`` works).
    correction : bool, default False
        Apply Yates' continuity correction to the *main* statistic of a 2×2
        table (scipy's ``correction``; scipy's default is True, ours False so
        that the main result is SPSS's "Pearson Chi-Square" row). The
        corrected statistic is always available as ``.yates``.
    lambda_ : float or str, optional
        Power-divergence λ of the main statistic, as scipy: 1 or
        ``"pearson"`` (default), 0 or ``"log-likelihood"``,
        ``"freeman-tukey"``, ``"mod-log-likelihood"``, ``"neyman"``,
        ``"cressie-read"``.
    row_scores, col_scores : array_like, optional
        Scores of the linear-by-linear test (default 1..r and 1..c; SPSS uses
        the category codes).

    Returns
    -------
    Chi2TestResult
        Main result (``statistic``, ``pvalue``, ``df``) plus ``pearson``,
        ``yates``, ``likelihood_ratio``, ``linear_by_linear``, ``expected``,
        ``phi``, ``cramers_v``, ``small_expected``, ``summary()``.

    Raises
    ------
    ValueError
        For a table smaller than 2×2, a negative, non-integer, NaN or
        infinite count, or a zero row or column total (named in the message;
        scipy raises for it too, as its expected counts would be zero).

    Warns
    -----
    SmallExpectedWarning
        When more than 20% of the expected counts are below 5 (also the flag
        ``small_expected``).

    Notes
    -----
    With ``e = r_i c_j / N`` and df = (r − 1)(c − 1):

    - Pearson ``X² = Σ (o − e)²/e`` — scipy ``chi2_contingency(table,
      correction=False)``, SPSS "Pearson Chi-Square".
    - Yates (2×2): each ``o`` moved toward ``e`` by ``min(½, |o − e|)`` —
      scipy ``chi2_contingency(table)`` (``correction=True``), SPSS
      "Continuity Correction".
    - Likelihood ratio ``G = 2 Σ o ln(o/e)`` — scipy
      ``chi2_contingency(table, correction=False, lambda_="log-likelihood")``,
      SPSS "Likelihood Ratio". Summed as ``2 Σ [o ln(o/e) + e − o]`` (terms
      ≥ 0), which keeps full precision when ``o ≈ e``; scipy's sum cancels
      there, so agreement is to ~1e-13 of ``Σ|2 o ln(o/e)|`` in that case.
    - Linear-by-linear ``M² = (N − 1) r²`` with ``r`` the count-weighted
      correlation of the scores, df 1 — SPSS "Linear-by-Linear
      Association"; ``M`` is statsmodels' ``Table.test_ordinal_association``
      z-score.
    - ``phi``: signed ``(ad − bc)/sqrt(r₁r₂c₁c₂)`` for 2×2 (SPSS's sign),
      ``sqrt(X²/N)`` for larger tables; ``cramers_v`` =
      ``sqrt(X²/(N (min(r, c) − 1)))`` = scipy
      ``association(table, method="cramer")``.
    - For 2×2 tables Fisher's exact p-values are added (SPSS prints them in
      the same table; omitted when the smaller margin exceeds 10⁶); see
      :func:`fisher_exact`. More in ``docs/stats_contingency.md``.

    References
    ----------
    .. [1] A. Agresti (2013), *Categorical Data Analysis*, 3rd ed., §3.2, §3.4.
    .. [2] IBM SPSS Statistics Algorithms, CROSSTABS.

    Examples
    --------
    >>> import huisverbod as hv
    >>> res = hv.stats.chi2_test([[10, 20], [30, 40]])
    >>> round(res.statistic, 6), res.df, round(res.pvalue, 6)
    (0.793651, 1.0, 0.372998)
    >>> round(res.yates.statistic, 6), round(res.phi, 6)
    (0.446429, -0.089087)
    >>> res.summary().loc["Likelihood Ratio", "df"]
    np.int64(1)
    """
    arr = _table(table)
    lam: float | str | None = lambda_
    if lam is not None and not isinstance(lam, str):
        lam = float(lam)
    rs = None if row_scores is None else [float(v) for v in np.asarray(row_scores, dtype=np.float64).ravel()]
    cs = None if col_scores is None else [float(v) for v in np.asarray(col_scores, dtype=np.float64).ravel()]
    d = _core.chi2_test(arr, bool(correction), lam, rs, cs)
    fisher = d["fisher"]
    fields = dict(d["main"])
    fields.update(
        pearson=_result(d["pearson"]),
        yates=None if d["yates"] is None else _result(d["yates"]),
        likelihood_ratio=_result(d["likelihood_ratio"]),
        linear_by_linear=_result(d["linear_by_linear"]),
        expected=d["expected"],
        n=d["n"],
        phi=d["phi"],
        cramers_v=d["cramers_v"],
        small_expected=d["small_expected"],
        n_small_expected=d["n_small_expected"],
        min_expected=d["min_expected"],
        fisher_pvalue=None if fisher is None else fisher[0],
        fisher_pvalue_one_sided=None if fisher is None else fisher[1],
    )
    if d["small_expected"]:
        k = arr.size
        warnings.warn(
            f"{d['n_small_expected']} of {k} expected counts ({100.0 * d['n_small_expected'] / k:.1f}%) are "
            f"below 5 (minimum {d['min_expected']:.3g}): the chi-square approximation may be poor; "
            "consider hv.stats.fisher_exact",
            SmallExpectedWarning,
            stacklevel=2,
        )
    return Chi2TestResult("Chi2TestResult", fields)


def fisher_exact(
    table: Any,
    alternative: str = "two-sided",
    *,
    method: str = "auto",
    n_resamples: int = 10_000,
    seed: int | None = None,
    max_tables: float = 1e8,
    confidence_level: float = 0.95,
) -> TestResult:
    """Fisher's exact test of independence for an r×c table of counts.

    Parameters
    ----------
    table : array_like
        2-d table of non-negative whole-number counts, at least 2×2.
    alternative : {"two-sided", "less", "greater"}
        For 2×2 tables: ``less`` is ``P(X ≤ a)``, ``greater`` ``P(X ≥ a)``
        with ``a = table[0][0]`` (odds ratio below/above 1). Larger tables and
        Monte Carlo only allow ``"two-sided"``.
    method : {"auto", "exact", "monte-carlo"}
        ``auto``: exact for 2×2 and for r×c tables with at most
        ``max_tables`` tables with the observed margins, else Monte Carlo.
        ``exact`` raises above the limit.
    n_resamples : int, default 10000
        Random tables for Monte Carlo.
    seed : int, optional
        Seed of the Monte Carlo tables (a random one is drawn and reported
        as ``.seed`` when omitted). The same seed gives the same p-value on
        any number of threads.
    max_tables : float, default 1e8
        Feasibility limit of the exact r×c test: the number of tables with the
        observed margins (the exact computation takes at most
        ``columns × tables`` steps, usually far fewer).
    confidence_level : float, default 0.95
        Level of the exact conditional odds-ratio interval (2×2).

    Returns
    -------
    TestResult
        ``statistic`` (2×2: the sample odds ratio ``ad/(bc)`` as scipy; r×c:
        the probability of the observed table, as scipy's r×c statistic),
        ``pvalue``, ``alternative``, ``method`` (``"exact"`` or
        ``"monte-carlo"``), ``table_probability``, and for 2×2
        ``conditional_odds_ratio``, ``pvalue_less``, ``pvalue_greater`` and
        ``confidence_interval(confidence_level)`` (the exact conditional
        interval, one-sided for one-sided alternatives as R); r×c exact:
        ``n_tables``; Monte Carlo: ``n_resamples``, ``standard_error``,
        ``seed``.

    Raises
    ------
    ValueError
        For a bad table (see :func:`chi2_test`; zero row or column totals
        are allowed here), a one-sided alternative on an r×c table, an exact
        request above ``max_tables``, or a bad option.

    Notes
    -----
    2×2: exactly scipy ``fisher_exact``: the two-sided p-value sums the
    hypergeometric probabilities no larger than the observed one times
    ``1 + 1e-14`` (scipy's tolerance; R uses ``1 + 1e-7``), and is 1 when the
    observed table is as probable as the mode; with a zero row or column
    total the statistic is NaN and the p-value 1. The conditional MLE and
    interval are R's ``fisher.test`` estimate and ``conf.int`` = scipy
    ``odds_ratio(table, kind="conditional")``. Probabilities use Loader's
    saddle-point terms, exact to ~1e-14 relative also far in the tails.

    r×c: as R's ``fisher.test``: the p-value sums the probabilities of the
    tables with the observed margins that are no more probable than the
    observed one (relative tolerance ``1 + 1e-7``); rows/columns with zero
    total are dropped. Exact by a network algorithm; Monte Carlo p-value
    ``(1 + hits)/(1 + n_resamples)`` (R's ``simulate.p.value``) with
    standard error ``sqrt(p(1 − p)/n_resamples)``.

    References
    ----------
    .. [1] C. R. Mehta, N. R. Patel (1983), A network algorithm for performing
       Fisher's exact test in r×c contingency tables, *JASA* 78, 427–434.
    .. [2] R's ``fisher.test``; scipy ``fisher_exact`` and ``odds_ratio``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> res = hv.stats.fisher_exact([[8, 2], [1, 5]])
    >>> res.statistic, round(res.pvalue, 10)
    (20.0, 0.034965035)
    >>> round(res.conditional_odds_ratio, 4)
    15.4658
    >>> ci = res.confidence_interval(0.95)
    >>> round(ci.low, 4), round(ci.high, 2)
    (1.0088, 1059.64)
    >>> res = hv.stats.fisher_exact([[3, 1, 4], [1, 5, 2]])
    >>> res.method, round(res.pvalue, 6), res.n_tables
    ('exact', 0.230769, 29.0)
    """
    arr = _table(table)
    alternative = check_alternative(alternative)
    level = check_level(confidence_level)
    if seed is None:
        seed = secrets.randbits(63)
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    n_resamples = int(n_resamples)
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    d = _core.fisher_exact(arr, alternative, method, n_resamples, seed, float(max_tables), level)
    fields: dict[str, Any] = {
        "statistic": d["statistic"],
        "pvalue": d["pvalue"],
        "alternative": d["alternative"],
        "method": d["method"],
        "table_probability": d["table_probability"],
    }
    ci = None
    if d["conditional_odds_ratio"] is not None:
        less, greater = d["pvalues_one_sided"]
        fields.update(conditional_odds_ratio=d["conditional_odds_ratio"], pvalue_less=less, pvalue_greater=greater)
        a, b, c, e = (int(v) for v in arr.ravel())

        def ci(level: float) -> tuple[float, float]:
            return _core.fisher_odds_ratio_ci(a, b, c, e, level, alternative)

    if d["n_tables"] is not None and d["conditional_odds_ratio"] is None:
        fields["n_tables"] = d["n_tables"]
    if d["n_resamples"] is not None:
        fields.update(n_resamples=d["n_resamples"], standard_error=d["standard_error"], seed=d["seed"])
    return TestResult("FisherExactResult", fields, ci=ci)
