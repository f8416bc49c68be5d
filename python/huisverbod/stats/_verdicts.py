"""The report's chapter 5 significance verdicts, recomputed from its published tables.

Regioplan (2013) compared groups with SPSS cross tables plus a Pearson
chi-square test and with t-tests for two means, at p < .10 (p < .05 where a
table says so), "one-sided where a direction was expected". This module
rebuilds every two-group comparison of chapter 5 from the published counts,
means and standard deviations (``hv.published_tables()``), recomputes the
test with huisverbod's functions and compares the verdict with the one
printed under the table.

Conventions (documented in docs/report_verdicts.md):

- cross tables: Pearson chi-square without continuity correction (SPSS's
  "Pearson Chi-Square" row), two-sided p; the report's one-sided p is half of
  it (the observed difference lies in the direction the report describes in
  every table);
- means: the pooled-variance t-test ("equal variances assumed", SPSS's
  first row) from the printed means, sds and ns; Welch is shown alongside;
- a "significant" claim agrees when the p-value of the printed sidedness is
  below the printed alpha ("one and two": the two-sided p); a "not
  significant" claim agrees when the two-sided p is at least .10.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["report_comparisons", "report_verdicts"]

#: The report's general significance level.
REPORT_ALPHA = 0.10


@dataclass(frozen=True)
class Comparison:
    """One two-group (or k-group) comparison rebuilt from a published table."""

    table: str
    label: str
    kind: str  # "crosstab" or "means"
    counts: tuple[tuple[int, ...], ...] | None = None
    means: tuple[tuple[float, float, int], ...] | None = None  # (mean, sd, n) per group
    claim: str | None = None
    alpha: float | None = None
    sided: str | None = None
    note: str = ""


def _cell(row: dict, j: int, key: str) -> Any:
    return row["cells"][j].get(key)


def report_comparisons() -> list[Comparison]:
    """Every chapter-5 group comparison that the published numbers allow to recompute."""
    from .. import published_tables

    tables = published_tables()
    out: list[Comparison] = []
    for tid, t in tables.items():
        if not tid.startswith("5.") or tid in ("5.2", "5.3", "5.36"):
            continue
        sig = t.get("significance") or {}
        claim, alpha, sided = sig.get("claim"), sig.get("alpha"), sig.get("sided")
        rows, cols = t["rows"], t["columns"]
        base = dict(claim=claim, alpha=alpha, sided=sided)
        if tid == "5.1":
            # Row 0: cases with police-registered new incidents out of the column n.
            n = [c["n"] for c in cols]
            hits = [_cell(rows[0], j, "count") for j in range(2)]
            out.append(
                Comparison(
                    tid, "any new incident (police), thv vs control", "crosstab",
                    counts=tuple((h, m - h) for h, m in zip(hits, n, strict=True)), **base,
                )
            )
            # Rows 1-2: means over the cases with a new incident (22 and 31). The
            # asterisks that survive in the table mark the significant rows: the
            # days row has none (the text says it is not significant).
            for r, label in ((rows[1], "number of incidents"), (rows[2], "days to first incident")):
                marked = any(cell.get("marker") for cell in r["cells"])
                row_claim = dict(base) if marked else dict(claim="not significant", alpha=None, sided=None)
                out.append(
                    Comparison(
                        tid, f"{label} (cases with new incidents)", "means",
                        means=tuple((_cell(r, j, "mean"), _cell(r, j, "sd"), hits[j]) for j in range(2)),
                        note="n = cases with a new incident (22, 31): the printed sds fit that base"
                        + ("" if marked else "; no asterisk on this row: printed as not significant"),
                        **row_claim,
                    )
                )
            continue
        if tid == "5.7b":
            # Cells: cases with new DV out of a printed cell base; compare started vs not,
            # within the 3-5 problem-areas row (the row the text calls significant) and the 1-2 row.
            for r in rows[:2]:
                hits = [_cell(r, j, "count") for j in range(2)]
                ns = [_cell(r, j, "n") for j in range(2)]
                named = "3-5" in r["label_en"]
                row_claim = dict(base) if named else dict(claim="not significant", alpha=None, sided=None)
                out.append(
                    Comparison(
                        tid, f"{r['label_en']}: not started vs started", "crosstab",
                        counts=tuple((h, m - h) for h, m in zip(hits, ns, strict=True)), **row_claim,
                        note="underlining lost; the text (lines 4067-4070) names only the 3-5 row as significant",
                    )
                )
            continue
        if tid == "5.24":
            n = [c["n"] for c in cols]
            for r in rows:
                out.append(
                    Comparison(
                        tid, r["label_en"], "means",
                        means=tuple((_cell(r, j, "mean"), _cell(r, j, "sd"), n[j]) for j in range(2)),
                        **base,
                    )
                )
            continue
        if tid == "5.8":
            counts = tuple(zip(*[[_cell(r, j, "count") for j in range(2)] for r in rows], strict=True))
            out.append(Comparison(tid, "1-2 vs 3-5 problem areas, thv vs control", "crosstab",
                                  counts=tuple(tuple(c) for c in counts), **base))
            continue
        first = rows[0]["cells"][0]
        if first.get("mean") is not None:
            out.append(
                Comparison(
                    tid, f"{rows[0]['label_en']} vs {rows[1]['label_en']}", "means",
                    means=tuple((_cell(r, 0, "mean"), _cell(r, 0, "sd"), r["n"]) for r in rows[:2]),
                    **base,
                )
            )
        elif first.get("count") is not None:
            counts = tuple(tuple(_cell(r, j, "count") for j in range(len(cols))) for r in rows)
            note = ""
            if tid == "5.26":
                note = "rows are nested stages (arrest ⊇ referral ⊇ conviction), not exclusive groups"
            out.append(Comparison(tid, " / ".join(r["label_en"] for r in rows), "crosstab",
                                  counts=counts, note=note, **base))
    return out


def _agrees(claim: str | None, alpha: float | None, sided: str | None, p_two: float, p_one: float) -> bool | None:
    if claim == "significant":
        level = alpha if alpha is not None else REPORT_ALPHA
        p = p_one if sided == "one" else p_two
        return bool(p < level)
    if claim == "not significant":
        return bool(p_two >= REPORT_ALPHA)
    return None


def report_verdicts() -> pd.DataFrame:
    """The report's chapter 5 verdicts next to the recomputed tests.

    Returns
    -------
    pandas.DataFrame
        One row per comparison: table, comparison, test, statistic, df,
        two-sided p, the report's one-sided p (half of it), Welch p for
        means, the printed claim/alpha/sidedness, and whether the
        recomputation agrees with the printed verdict (``agrees``; for means
        also under Welch's test, ``agrees_welch``), and for cross tables
        whether more than 20% of expected counts are below 5.

    Examples
    --------
    >>> import huisverbod as hv
    >>> v = hv.stats.report_verdicts()
    >>> v.loc[v["table"] == "5.1", "agrees"].tolist()
    [True, True, True]
    """
    from . import SmallExpectedWarning, chi2_test, ttest_from_stats

    rows = []
    for c in report_comparisons():
        rec: dict[str, Any] = dict(table=c.table, comparison=c.label, claim=c.claim, alpha=c.alpha,
                                   sided=c.sided, note=c.note)
        if c.kind == "crosstab":
            assert c.counts is not None
            with warnings.catch_warnings():
                # Reported in the small_expected column instead (SPSS prints a footnote).
                warnings.simplefilter("ignore", SmallExpectedWarning)
                res = chi2_test(np.asarray(c.counts, dtype=float))
            rec.update(test="Pearson chi-square", statistic=res.statistic, df=res.df, p_two_sided=res.pvalue,
                       p_welch=np.nan, small_expected=bool(res.small_expected))
        else:
            assert c.means is not None
            (m1, s1, n1), (m2, s2, n2) = c.means
            pooled = ttest_from_stats(m1, s1, n1, m2, s2, n2, equal_var=True)
            welch = ttest_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
            rec.update(test="t-test (pooled)", statistic=pooled.statistic, df=pooled.df,
                       p_two_sided=pooled.pvalue, p_welch=welch.pvalue, small_expected=None)
        rec["p_one_sided"] = rec["p_two_sided"] / 2.0
        rec["agrees"] = _agrees(c.claim, c.alpha, c.sided, rec["p_two_sided"], rec["p_one_sided"])
        rec["agrees_welch"] = (
            _agrees(c.claim, c.alpha, c.sided, rec["p_welch"], rec["p_welch"] / 2.0) if c.kind == "means" else None
        )
        rows.append(rec)
    cols = ["table", "comparison", "test", "statistic", "df", "p_two_sided", "p_one_sided", "p_welch",
            "claim", "alpha", "sided", "agrees", "agrees_welch", "small_expected", "note"]
    return pd.DataFrame(rows, columns=cols)
