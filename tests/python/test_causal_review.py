"""Review fixes of hv.causal (issue 7): row alignment, infinite SMDs, NaN
p-values, separated propensity models, the E-value's interval limit.

References are worked out by hand in the comments or computed live with
numpy/statsmodels; no number is copied from huisverbod's output.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import huisverbod as hv
from huisverbod.causal import OverlapWarning


def _df():
    # t = 1,1,0,0 with ps 0.5,0.4,0.5,0.4: pairs (10,12) and (11,13) by equal scores;
    # y = 1,1,0,0 → matched effect (1−0 + 1−0)/2 = 1.
    return pd.DataFrame({"t": [1, 1, 0, 0], "ps": [0.5, 0.4, 0.5, 0.4], "y": [1, 1, 0, 0]},
                        index=[10, 11, 12, 13])


# ------------------------------------------------------------------ 1. alignment by label


def test_match_aligns_series_by_label():
    df = _df()
    a = hv.causal.match("t", "ps", data=df, outcome="y", caliper=None)
    assert a.estimate == 1.0
    # the same labels in reverse order: the same values per row, so the same effect
    b = hv.causal.match("t", "ps", data=df, outcome=df["y"].iloc[::-1], caliper=None)
    assert b.estimate == 1.0
    c = hv.causal.match("t", df["ps"].iloc[::-1], data=df, outcome="y", caliper=None)
    assert c.estimate == 1.0
    # without data: aligned to the treatment's index
    d = hv.causal.match(df["t"], df["ps"].iloc[::-1], outcome=df["y"].iloc[::-1], caliper=None)
    assert d.estimate == 1.0


def test_match_refuses_other_labels_and_lengths():
    df = _df()
    with pytest.raises(ValueError, match="outcome and data have different indices"):
        hv.causal.match("t", "ps", data=df, outcome=pd.Series([1, 1, 0, 0]), caliper=None)
    with pytest.raises(ValueError, match=r"ps has length 2, treatment has 3"):
        hv.causal.match([1, 0, 1], [0.2, 0.3], caliper=None)
    with pytest.raises(ValueError, match=r"outcome has length 3, data has 4"):
        hv.causal.match("t", "ps", data=df, outcome=[1, 0, 1], caliper=None)


def test_aipw_aligns_and_refuses():
    rng = np.random.default_rng(1)
    n = 200
    x = rng.normal(size=n)
    t = (rng.random(n) < 1 / (1 + np.exp(-0.5 * x))).astype(int)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.3 * x + 0.5 * t)))).astype(int)
    df = pd.DataFrame({"x": x, "t": t, "y": y}, index=np.arange(n) + 1000)
    a = hv.causal.aipw("y", "t", ["x"], df, n_bootstrap=0)
    b = hv.causal.aipw(df["y"].iloc[::-1], "t", ["x"], df, n_bootstrap=0)
    assert b.estimate == pytest.approx(a.estimate, rel=1e-12)
    with pytest.raises(ValueError, match="outcome and data have different indices"):
        hv.causal.aipw(df["y"].reset_index(drop=True), "t", ["x"], df, n_bootstrap=0)
    with pytest.raises(ValueError, match=rf"outcome has length {n - 1}, treatment has {n}"):
        hv.causal.aipw(y[:-1], t, x[:, None], n_bootstrap=0)


# ------------------------------------------------------------------ 2. SMD with SD 0


def test_balance_binary_in_one_group_only_is_infinitely_imbalanced():
    # treated: female all 0, controls all 1 → means 0 and 1, both SDs 0:
    # the difference −1 over SD 0 is −∞ (imbalanced), not NaN (ignored).
    df = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0], "female": [0, 0, 0, 1, 1, 1],
                       "age": [30.0, 40.0, 50.0, 31.0, 41.0, 49.0]})
    b = hv.causal.balance(df, ["female", "age"], "t")
    assert b.table.loc["female", "smd"] == -math.inf
    assert b.max_abs_smd == math.inf
    assert "female" in b.imbalanced()
    # age: means 40 and 40.333, SDs 10 and √(82.333...) by hand; |SMD| < 0.1
    assert "age" not in b.imbalanced()
    import matplotlib

    matplotlib.use("Agg")
    ax = b.plot()
    assert math.isfinite(ax.get_xlim()[1])
    assert any(t.get_text() == "∞" for t in ax.texts)


# ------------------------------------------------------------------ 3. NaN SE and separated AIPW


def test_aipw_refuses_a_separating_propensity_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=300)
    t = (x > 0).astype(int)
    y = (rng.random(300) < 0.4).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="propensity score of (0|1)"):
            hv.causal.aipw(y, t, x[:, None], n_bootstrap=0)


# ------------------------------------------------------------------ 4. match(covariates=) through propensity()


def test_match_covariates_refuses_separation_and_uses_propensity():
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    df = pd.DataFrame({"t": (x > 0).astype(int), "x": x, "y": rng.integers(0, 2, 200)})
    with pytest.raises(ValueError, match="separates the treated from the controls.*firth"):
        hv.causal.match("t", covariates=["x"], data=df, outcome="y")
    # a non-separated model: the distance is statsmodels' linear predictor
    import statsmodels.api as sm

    df["t"] = (rng.random(200) < 1 / (1 + np.exp(-x))).astype(int)
    m = hv.causal.match("t", covariates=["x"], data=df, outcome="y", caliper=None, replace=True)
    ref = sm.Logit(df["t"], sm.add_constant(df[["x"]])).fit(disp=0)
    np.testing.assert_allclose(m.distance.to_numpy(), ref.fittedvalues.to_numpy(), rtol=1e-7)
    assert isinstance(m.propensity, hv.causal.PropensityResult)


# ------------------------------------------------------------------ 5. E-value limit


def test_evalue_summary_limit_nearer_the_null():
    # SMD 0.5 (0.2, 0.8), null 0: the limit nearer 0 is 0.2;
    # its E-value: RR = exp(0.91·0.2), E = RR + √(RR(RR−1)).
    e = hv.causal.evalue(0.5, 0.2, 0.8, measure="SMD")
    s = e.summary()
    assert s["estimate"].iloc[1] == 0.2
    rr = math.exp(0.91 * 0.2)
    assert s["E-value"].iloc[1] == pytest.approx(rr + math.sqrt(rr * (rr - 1)), rel=1e-12)
    # RR 1.5 (1.2, 1.9) against true = 2: the estimate lies below the null, so the upper limit 1.9
    e2 = hv.causal.evalue(1.5, 1.2, 1.9, true=2.0)
    assert e2.summary()["estimate"].iloc[1] == 1.9


# ------------------------------------------------------------------ 7. minor


def test_negative_variance_neighbours_is_a_value_error():
    with pytest.raises(ValueError, match="variance_neighbours"):
        hv.causal.match("t", "ps", data=_df(), outcome="y", caliper=None, replace=True, variance_neighbours=-1)


def test_match_and_aipw_intervals_are_the_normal_interval():
    from scipy import stats

    df = _df()
    m = hv.causal.match("t", "ps", data=pd.concat([df, df.set_axis([20, 21, 22, 23]).assign(y=[1, 0, 1, 0])]),
                        outcome="y", caliper=None)
    z = stats.norm.ppf(0.975)
    ci = m.confidence_interval()
    assert ci.low == pytest.approx(m.estimate - z * m.se, rel=1e-12)
    assert ci.high == pytest.approx(m.estimate + z * m.se, rel=1e-12)
