"""hv.stats.adjust_pvalues against statsmodels.stats.multitest.multipletests, live.

Adjusted p-values must equal statsmodels' to 1e-12 (relative; abs 1e-300)
and the reject masks must be identical, on randomized families with ties,
zeros, ones and tiny p-values.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import huisverbod as hv
import huisverbod.stats._multiple as multiple_module

METHODS = {
    "bonferroni": "bonferroni",
    "holm": "holm",
    "hochberg": "simes-hochberg",
    "fdr_bh": "fdr_bh",
    "fdr_by": "fdr_by",
}

pvalue = st.one_of(
    st.floats(0.0, 1.0),
    st.sampled_from([0.0, 1.0, 0.01, 0.02, 0.05, 0.1, 0.5, 1e-300, 1e-12]),
    st.floats(1e-300, 1e-5),
)


def by_threshold_tie(p: float, rank: int, m: int, alpha: float) -> bool:
    """For BY the harmonic sum c_m is summed in a different order than numpy's
    pairwise sum; a p-value within 1e-12 of its threshold may then compare
    differently."""
    cm = sum(1.0 / k for k in range(1, m + 1))
    thr = rank / m / cm * alpha
    return abs(p - thr) <= 1e-12 * thr


@settings(max_examples=200, deadline=None)
@given(st.lists(pvalue, min_size=1, max_size=60), st.sampled_from(sorted(METHODS)), st.floats(0.001, 0.5))
def test_matches_statsmodels(ps, method, alpha):
    p = np.array(ps)
    reject_ref, adj_ref, _, _ = multipletests(p, alpha=alpha, method=METHODS[method])
    res = hv.stats.adjust_pvalues(p, method=method, alpha=alpha)
    assert res.n_tests == len(p)
    assert res.pvalues == pytest.approx(adj_ref, rel=1e-12, abs=1e-300)
    if method == "fdr_by":
        ranks = np.argsort(np.argsort(p, kind="stable"), kind="stable") + 1
        diff = res.reject != reject_ref
        assert all(by_threshold_tie(p[i], ranks[i], len(p), alpha) for i in np.flatnonzero(diff))
    else:
        assert res.reject.tolist() == reject_ref.tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(pvalue, min_size=2, max_size=40), st.sampled_from(sorted(METHODS)))
def test_adjusted_pvalues_are_monotone_and_capped(ps, method):
    p = np.array(ps)
    res = hv.stats.adjust_pvalues(p, method=method)
    order = np.argsort(p, kind="stable")
    adj = res.pvalues[order]
    assert np.all(np.diff(adj) >= 0)
    assert np.all(adj <= 1.0)
    assert np.all(res.pvalues >= p)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(pvalue, st.just(math.nan)), min_size=1, max_size=40),
    st.sampled_from(sorted(METHODS)),
)
def test_nan_is_left_out_of_the_family(ps, method):
    p = np.array(ps)
    keep = ~np.isnan(p)
    res = hv.stats.adjust_pvalues(p, method=method)
    assert res.n_tests == int(keep.sum())
    assert np.all(np.isnan(res.pvalues[~keep]))
    assert not res.reject[~keep].any()
    if keep.any():
        reject_ref, adj_ref, _, _ = multipletests(p[keep], alpha=0.10, method=METHODS[method])
        assert res.pvalues[keep] == pytest.approx(adj_ref, rel=1e-12, abs=1e-300)
        if method != "fdr_by":
            assert res.reject[keep].tolist() == reject_ref.tolist()


def test_default_alpha_is_the_reports_ten_percent():
    p = [0.011, 0.03, 0.04, 0.06, 0.2]
    res = hv.stats.adjust_pvalues(p)
    reject_ref, adj_ref, _, _ = multipletests(p, alpha=0.10, method="holm")
    assert res.alpha == 0.10
    assert res.reject.tolist() == reject_ref.tolist()
    # statsmodels' default alpha (0.05) would reject less here.
    assert res.reject.sum() > multipletests(p, method="holm")[0].sum()


def test_aliases_and_results():
    p = np.array([0.01, 0.02, 0.03, 0.5])
    for alias, name in (("bh", "fdr_bh"), ("by", "fdr_by"), ("simes-hochberg", "hochberg"), ("BH", "fdr_bh")):
        res = hv.stats.adjust_pvalues(p, method=alias)
        assert res.method == name
        assert res.pvalues == pytest.approx(hv.stats.adjust_pvalues(p, method=name).pvalues, rel=0, abs=0)
    assert hv.stats.adjust_pvalues(p, method="hochberg").statsmodels_method == "simes-hochberg"
    s = pd.Series(p, index=["a", "b", "c", "d"])
    res = hv.stats.adjust_pvalues(s, method="fdr_bh")
    frame = res.to_frame()
    assert list(frame.index) == ["a", "b", "c", "d"]
    assert list(frame.columns) == ["p", "p_adjusted", "reject"]
    reject, adjusted = res
    assert reject.dtype == bool and adjusted.dtype == np.float64
    assert "fdr_bh" in repr(res) and "Adjusted p-values" in res._repr_html_()
    assert res.to_dict()["n_tests"] == 4
    empty = hv.stats.adjust_pvalues([])
    assert empty.n_tests == 0 and len(empty) == 0


def test_errors():
    with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
        hv.stats.adjust_pvalues([0.1, 1.5])
    with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
        hv.stats.adjust_pvalues([-0.1, 0.5])
    with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
        hv.stats.adjust_pvalues([math.inf])
    with pytest.raises(ValueError, match="alpha"):
        hv.stats.adjust_pvalues([0.1], alpha=0.0)
    with pytest.raises(ValueError, match="alpha"):
        hv.stats.adjust_pvalues([0.1], alpha=1.0)
    with pytest.raises(ValueError, match="'hommel' is not one of"):
        hv.stats.adjust_pvalues([0.1], method="hommel")
    with pytest.raises(ValueError, match="one-dimensional"):
        hv.stats.adjust_pvalues([[0.1, 0.2]])
    with pytest.raises(TypeError, match="numeric"):
        hv.stats.adjust_pvalues(["a"])


def test_docstring_examples_run():
    result = doctest.testmod(multiple_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
