"""The report section on comparable groups: balance before and after
weighting, the adjusted effect on the three recidivism measures next to the
unadjusted comparison, E-values, and the report's own robustness check."""

from __future__ import annotations

import html
import warnings
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COVARIATES", "analysis_frame", "section_causal"]


#: The case characteristics the propensity model adjusts for: the differences
#: the report names in sections 2.5 and 5.2 (nature of the violence, arrests,
#: known offenders, female perpetrators) plus age and children at home.
COVARIATES = [
    "threat",
    "physical",
    "psychological",
    "minor_children",
    "perpetrator_female",
    "perpetrator_age",
    "perpetrator_arrested",
    "perpetrator_known_offender",
]


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s.astype("Float64"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def analysis_frame(cohort: Any, sources: list[str] | None = None) -> pd.DataFrame:
    """One row per case: ``thv`` (1/0), the :data:`COVARIATES` (NaN where
    unknown; the first perpetrator listed), and the outcomes ``any_new``,
    ``n_new``, ``time``, ``event`` (police registrations by default, as
    Table 5.1) and ``followup_days`` (the observation window, the exposure
    of the count).

    Examples
    --------
    >>> import huisverbod as hv
    >>> df = hv.causal.analysis_frame(hv.datasets.example())
    >>> len(df), int(df["thv"].sum()), "perpetrator_known_offender" in df
    (10, 5, True)
    """
    sources = ["police"] if sources is None else sources
    rec = cohort.recidivism(sources=sources).to_frame()
    cases, persons, _ = cohort.to_frames()
    cases = cases.set_index("case_id").loc[rec.index]
    out = pd.DataFrame(index=rec.index)
    out["thv"] = (cases["group"].astype(str) == "thv").astype(float).to_numpy()
    for c in ("threat", "physical", "psychological", "minor_children"):
        out[c] = _num(cases[c])
    p = persons[persons["role"].astype(str) == "perpetrator"].drop_duplicates("case_id").set_index("case_id")
    p = p.reindex(rec.index)
    out["perpetrator_female"] = np.where(p["sex"].isna(), np.nan, (p["sex"].astype(str) == "f").astype(float))
    out["perpetrator_age"] = _num(p["age"])
    out["perpetrator_arrested"] = _num(p["arrested"])
    hks = _num(p["hks_antecedents"])
    out["perpetrator_known_offender"] = np.where(np.isnan(hks), np.nan, (hks > 0).astype(float))
    out["any_new"] = rec["any"].astype(float).to_numpy()
    out["n_new"] = rec["count"].astype(float).to_numpy()
    out["time"] = rec["time"].astype(float).to_numpy()
    out["event"] = rec["event"].astype(float).to_numpy()
    days = (pd.to_datetime(cases["followup_end"]) - pd.to_datetime(cases["incident_date"])).dt.days
    out["followup_days"] = days.to_numpy(dtype=float)
    return out


def _fmt_ci(est: float, lo: float, hi: float, pct: bool = False) -> str:
    k = 100.0 if pct else 1.0
    d = 1 if pct else 2
    return f"{k * est:.{d}f} ({k * lo:.{d}f} to {k * hi:.{d}f})"


def section_causal(cohort: Any, ctx: Any) -> Any:
    """Balance, the inverse-probability-weighted effect on the three
    measures next to the unadjusted comparison, E-values, and Table 5.1
    without the cases with a female perpetrator."""
    from .. import survival
    from ..report import Section
    from ._aipw import aipw
    from ._ipw import ipw, unadjusted
    from ._match import match
    from ._propensity import propensity
    from ._subgroup import subgroup_effects

    lang = getattr(ctx, "lang", "en")
    s = Section({"en": "Comparable groups: adjusting for the differences between the groups",
                 "nl": "Vergelijkbare groepen: correctie voor de verschillen tussen de groepen"}[lang])
    df = analysis_frame(cohort)
    complete = df.dropna(subset=COVARIATES)
    n_drop = len(df) - len(complete)
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            ps = propensity("thv ~ " + " + ".join(COVARIATES), complete)
            w = ipw(ps, estimand="ATE")
            bal = w.balance()
            risk = w.risk("any_new")
            rate = w.rate("n_new", "followup_days")
            cox_w = w.cox("time", "event")
            d = ps.data
            risk0 = unadjusted(d["any_new"], d["thv"])
            rate0 = unadjusted(d["n_new"], d["thv"], exposure=d["followup_days"], measure="rate")
            cox0 = survival.cox(d["time"].to_numpy(), d["event"].to_numpy(), pd.DataFrame({"treated": d["thv"].to_numpy()}))
        caught = sorted({f"{r.category.__name__}: {r.message}" for r in rec})
    except ValueError as e:
        s.text(f"Not enough data for the adjusted comparison: {e}")
        s.summary = "comparable groups: not enough data"
        return s
    s.text(
        f"Propensity score: logistic regression of the restraining order on {', '.join(COVARIATES)}; "
        f"{len(complete)} of {len(df)} cases have all of them known ({n_drop} left out). Inverse-probability "
        f"weights for the average effect over all cases (ATE); effective sample sizes "
        f"{w.ess['treated']:.1f} of {int(w.n['treated'])} (thv) and {w.ess['control']:.1f} of {int(w.n['control'])} (control)."
    )
    tb = bal.table
    show = pd.DataFrame({
        "thv": tb["mean_treated"], "control": tb["mean_control"], "SMD before": tb["smd"],
        "thv (weighted)": tb["mean_treated_adj"], "control (weighted)": tb["mean_control_adj"], "SMD after": tb["smd_adj"],
    })
    s.blocks.append("<h3>Balance before and after weighting</h3>")
    s.table(show, float_format="{:.2f}",
            note="Proportions for yes/no characteristics, means for age. SMD: standardised mean difference "
                 "(pooled unweighted SD); |SMD| < 0.1 is commonly read as balanced.")
    try:
        import matplotlib

        matplotlib.use("Agg")
        ax = bal.plot()
        s.figure(ax.get_figure(), "love plot")
    except Exception:  # noqa: BLE001 - the plot is optional; the table carries the numbers
        pass
    hr0 = float(cox0.hazard_ratios["treated"])
    ci0 = np.exp(cox0.conf_int().loc["treated"].to_numpy())
    hrw = float(cox_w.hazard_ratios["treated"])
    ciw = np.exp(cox_w.conf_int().loc["treated"].to_numpy())
    from ._evalue import evalue

    e_risk = risk.evalue()
    e_rate = rate.evalue()
    e_hr = evalue(hrw, float(ciw[0]), float(ciw[1]), measure="HR", rare=False)
    rows = [
        ["any new incident: risk (%) thv vs control",
         f"{100 * risk0.mean_treated:.1f} vs {100 * risk0.mean_control:.1f}",
         f"{100 * risk.mean_treated:.1f} vs {100 * risk.mean_control:.1f}", ""],
        ["any new incident: risk difference (pp)", _fmt_ci(risk0.difference, *risk0.ci_difference, pct=True),
         _fmt_ci(risk.difference, *risk.ci_difference, pct=True), ""],
        ["any new incident: risk ratio", _fmt_ci(risk0.ratio, *risk0.ci_ratio), _fmt_ci(risk.ratio, *risk.ci_ratio),
         f"{e_risk.point:.2f} ({e_risk.limit:.2f})"],
        ["new incidents per year: rate ratio", _fmt_ci(rate0.ratio, *rate0.ci_ratio), _fmt_ci(rate.ratio, *rate.ci_ratio),
         f"{e_rate.point:.2f} ({e_rate.limit:.2f})"],
        ["time to first incident: hazard ratio", _fmt_ci(hr0, *ci0), _fmt_ci(hrw, *ciw),
         f"{e_hr.point:.2f} ({e_hr.limit:.2f})"],
    ]
    eff = pd.DataFrame(rows, columns=["measure", "unadjusted (95% CI)", "adjusted (95% CI; IPW, ATE unless stated)",
                                      "E-value (CI limit)"]).set_index("measure")
    try:
        with warnings.catch_warnings(record=True) as rec3:
            warnings.simplefilter("always")
            trimmed = ps.trim("crump", 0.1)
            wt = ipw(trimmed, estimand="ATE")
            rt = wt.risk("any_new")
            bt = wt.balance()
        caught += sorted({f"{r.category.__name__}: {r.message}" for r in rec3})
        rows.append([f"any new incident: risk ratio, trimmed to 0.1 ≤ e ≤ 0.9 ({len(trimmed.score)} cases)",
                     "", _fmt_ci(rt.ratio, *rt.ci_ratio), f"{rt.evalue().point:.2f} ({rt.evalue().limit:.2f})"])
        eff = pd.DataFrame(rows, columns=eff.columns.insert(0, "measure")).set_index("measure")
        trim_note = (f" Trimmed (Crump et al. 2009): the score refitted on the kept cases; max |SMD| after weighting "
                     f"{bt.max_abs_smd:.2f}.")
    except ValueError as e:
        trim_note = f" Trimming to 0.1 ≤ e ≤ 0.9 left too few cases ({e})."
    # Two other adjustments of the same risk difference: doubly robust (AIPW,
    # ATE) and 1:1 nearest-neighbour matching with replacement (ATT).
    try:
        with warnings.catch_warnings(record=True) as rec4:
            warnings.simplefilter("always")
            dr = aipw("any_new", "thv", COVARIATES, complete, n_bootstrap=0)
            mt = match("thv", data=complete, covariates=COVARIATES, outcome="any_new", replace=True)
        caught += sorted({f"{r.category.__name__}: {r.message}" for r in rec4})
        ci_dr = dr.confidence_interval()
        ci_mt = mt.confidence_interval()
        rows.append(["any new incident: risk difference (pp), doubly robust (AIPW, ATE)", "",
                     _fmt_ci(dr.estimate, ci_dr.low, ci_dr.high, pct=True), ""])
        rows.append([f"any new incident: risk difference (pp), matched 1:1 with replacement, caliper 0.2 SD "
                     f"({mt.n_treated_matched} of {mt.n_treated} thv cases, {mt.n_control_matched} controls; ATT)", "",
                     _fmt_ci(mt.estimate, ci_mt.low, ci_mt.high, pct=True), ""])
        eff = pd.DataFrame(rows, columns=eff.columns.insert(0, "measure")).set_index("measure")
    except ValueError as e:
        caught.append(f"AIPW / matching not estimable: {e}")
    s.blocks.append("<h3>Effect of the restraining order, unadjusted and adjusted</h3>")
    s.table(eff, note=(
        "Police registrations, as Table 5.1. Adjusted: inverse-probability-weighted risks, rates (weighted Poisson "
        "with the follow-up window as exposure) and Cox hazard ratio; standard errors by M-estimation that accounts "
        "for the estimated propensity score (Cox: robust sandwich). AIPW: influence-function standard error; "
        "matching: Abadie–Imbens standard error (propensity score treated as known). E-value: the risk ratio an unmeasured confounder "
        "would need with both the order and recidivism to explain the adjusted estimate (its interval limit) away "
        "(hazard ratio converted as for a common outcome)." + trim_note))
    try:
        import matplotlib

        matplotlib.use("Agg")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            km = w.kaplan_meier("time", "event")
        ax = km.plot_cumulative_incidence()
        ax.set_title("Weighted Kaplan–Meier (IPW, ATE): cumulative share with a new incident")
        s.figure(ax.get_figure(), "weighted Kaplan–Meier")
    except Exception:  # noqa: BLE001 - the plot is optional; the hazard ratio above carries the comparison
        pass
    # the report's robustness check, section 5.2
    male = cohort.filter(~cohort.cases_with(role="perpetrator", sex="f"))
    t51 = male.recidivism(sources=["police"]).by_group()
    s.blocks.append("<h3>Table 5.1 without the cases with a female perpetrator (section 5.2)</h3>")
    s.table(t51)
    try:
        with warnings.catch_warnings(record=True) as rec2:
            warnings.simplefilter("always")
            sg = subgroup_effects(df, "any_new", "thv", "perpetrator_female")
        caught += sorted({f"{r.category.__name__}: {r.message}" for r in rec2})
        tab = sg.table.rename(index={"0.0": "male perpetrator", "1.0": "female perpetrator"})
        s.table(tab, float_format="{:.2f}", note=(
            f"Odds ratio of the order within each subgroup (logit with order × perpetrator sex); interaction "
            f"likelihood-ratio test chi2 = {sg.interaction.statistic:.2f}, df = {sg.interaction.df:g}, "
            f"p = {sg.interaction.pvalue:.3f}."))
    except ValueError as e:
        s.text(f"Subgroup effects by perpetrator sex: not estimable ({e}).")
    if caught:
        s.blocks.append("<p class='note'>Warnings: " + html.escape(" | ".join(caught)) + "</p>")
    s.summary = (f"comparable groups: IPW risk ratio {risk.ratio:.2f} ({risk.ci_ratio[0]:.2f}-{risk.ci_ratio[1]:.2f}), "
                 f"E-value {e_risk.point:.2f}; max |SMD| {bal.table['smd'].abs().max():.2f} -> {bal.max_abs_smd:.2f}")
    return s
