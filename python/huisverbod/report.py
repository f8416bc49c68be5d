"""The main job's report: one self-contained HTML file built from small sections.

Each section is a function ``(cohort, ctx) -> Section`` registered in
``SECTIONS``; later work adds sections by appending to that list. A section
holds HTML tables (pandas) and plots (matplotlib PNGs embedded as base64), so
the file needs no network access to view. Only aggregates are shown: never a
person-level row.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._cohort import Cohort

__all__ = ["Report", "Section", "SECTIONS", "build_report"]

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "Restraining orders and new domestic violence", "nl": "Huisverbod en nieuw huiselijk geweld"},
    "thv": {"en": "Restraining order (thv)", "nl": "Huisverbodgroep"},
    "control": {"en": "Control", "nl": "Controlegroep"},
    "groups": {"en": "Groups compared", "nl": "Onderzoeksgroepen"},
    "cases": {"en": "cases", "nl": "casussen"},
    "persons": {"en": "Persons by role", "nl": "Betrokkenen naar rol"},
    "perpetrator": {"en": "Perpetrators", "nl": "Plegers (uhg/agressor)"},
    "victim": {"en": "Victims", "nl": "Slachtoffers (ab/benadeelde)"},
    "child": {"en": "Children", "nl": "Kinderen"},
    "describe": {"en": "The groups (chapter 2)", "nl": "De onderzoeksgroepen (hoofdstuk 2)"},
    "male_perp": {"en": "Perpetrator male (%)", "nl": "Pleger man (%)"},
    "age_perp": {"en": "Perpetrator age, mean (sd)", "nl": "Leeftijd pleger, gemiddeld (sd)"},
    "age_victim": {"en": "Victim age, mean (sd)", "nl": "Leeftijd slachtoffer, gemiddeld (sd)"},
    "violence": {"en": "Nature and direction of the violence (% of cases)",
                 "nl": "Aard en richting van het geweld (% van de casussen)"},
    "arrested": {"en": "Perpetrator arrested (%)", "nl": "Pleger aangehouden (%)"},
    "funnel": {"en": "Help offered, accepted and started (summary tables 1 and 2)",
               "nl": "Hulp aangeboden, geaccepteerd en gestart (samenvattende tabellen 1 en 2)"},
    "offered": {"en": "offered", "nl": "aangeboden"},
    "accepted": {"en": "accepted", "nl": "geaccepteerd"},
    "started": {"en": "started (fully)", "nl": "gestart (totale aanbod)"},
    "completed": {"en": "sufficiently completed", "nl": "voldoende doorlopen"},
    "t51": {"en": "New police-registered domestic violence by group (Table 5.1)",
            "nl": "Nieuw huiselijk geweld naar onderzoeksgroep, politieregistraties (tabel 5.1)"},
    "t52": {"en": "New domestic violence in the thv group, all sources (Table 5.2)",
            "nl": "Nieuw huiselijk geweld in de huisverbodgroep, alle bronnen (tabel 5.2)"},
    "fidelity": {"en": "How closely the replication cohort reproduces the report",
                 "nl": "Hoe goed het replicatiecohort het rapport reproduceert"},
    "privacy": {"en": "Aggregates only: no person-level data are shown.",
                "nl": "Alleen totalen: er worden geen gegevens van personen getoond."},
}


def label(key: str, lang: str) -> str:
    """The label for ``key`` in ``lang`` (``en`` or ``nl``)."""
    return LABELS.get(key, {}).get(lang, key)


@dataclass
class Section:
    """One part of the report: a heading, HTML blocks, a line for the terminal."""

    title: str
    blocks: list[str] = field(default_factory=list)
    summary: str = ""

    def table(
        self, df: pd.DataFrame, note: str | None = None, float_format: str = "{:.1f}", title: str | None = None
    ) -> None:
        """Adds a table (with an optional heading above and note under it)."""
        body = df.to_html(border=0, na_rep="–", float_format=lambda x: float_format.format(x), classes="t")
        head = f"<h3>{html.escape(title)}</h3>" if title else ""
        self.blocks.append(head + body + (f"<p class='note'>{html.escape(note)}</p>" if note else ""))

    def figure(self, fig: Any, alt: str) -> None:
        """Adds a matplotlib figure as an embedded PNG."""
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.blocks.append(f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{data}'/>")

    def text(self, s: str) -> None:
        """Adds a paragraph."""
        self.blocks.append(f"<p>{html.escape(s)}</p>")


@dataclass
class Context:
    """What every section may use: language, the data's name, cached measures."""

    lang: str
    source: str
    cache: dict[str, Any] = field(default_factory=dict)

    def frames(self, cohort: Cohort):  # -> CohortFrames
        if "frames" not in self.cache:
            self.cache["frames"] = cohort.to_frames()
        return self.cache["frames"]


def _pct(x: pd.Series) -> float:
    x = x.dropna()
    return float(100.0 * x.mean()) if len(x) else float("nan")


def _share(x: pd.Series, value: str) -> float:
    """Percentage of the known values equal to ``value``."""
    known = x.dropna().astype(str)
    return float(100.0 * (known == value).mean()) if len(known) else float("nan")


def _mean_sd(x: pd.Series) -> str:
    x = x.dropna().astype(float)
    if len(x) == 0:
        return "–"
    return f"{x.mean():.1f} ({x.std(ddof=1):.1f})" if len(x) > 1 else f"{x.mean():.1f}"


def section_groups(cohort: Cohort, ctx: Context) -> Section:
    """Chapter 2: who is in each group."""
    lang = ctx.lang
    cases, persons, _ = ctx.frames(cohort)
    s = Section(label("describe", lang))
    groups = ["thv", "control"]
    pg = persons.merge(cases[["case_id", "group"]], on="case_id")
    roles = pd.crosstab(pg["role"], pg["group"]).reindex(index=["perpetrator", "victim", "child"],
                                                         columns=groups, fill_value=0)
    roles.index = [label(r, lang) for r in roles.index]
    roles.loc[label("cases", lang).capitalize()] = [int((cases["group"] == g).sum()) for g in groups]
    roles.columns = [label(g, lang) for g in groups]
    s.table(roles, float_format="{:.0f}")
    perp = pg[pg["role"] == "perpetrator"]
    vict = pg[pg["role"] == "victim"]
    rows = {
        label("male_perp", lang): [f"{_share(perp.loc[perp.group == g, 'sex'], 'm'):.0f}" for g in groups],
        label("age_perp", lang): [_mean_sd(perp.loc[perp.group == g, "age"]) for g in groups],
        label("age_victim", lang): [_mean_sd(vict.loc[vict.group == g, "age"]) for g in groups],
        label("arrested", lang): [f"{_pct(perp.loc[perp.group == g, 'arrested'].astype(float)):.0f}"
                                  for g in groups],
    }
    s.table(pd.DataFrame(rows, index=[label(g, lang) for g in groups]).T)
    kinds = ["threat", "physical", "sexual", "psychological", "weapon", "against_partner", "against_ex_partner",
             "mutual_partners", "against_children", "against_parents"]
    vio = pd.DataFrame(
        {label(g, lang): [_pct(cases.loc[cases.group == g, k].astype(float)) for k in kinds] for g in groups},
        index=kinds,
    )
    s.blocks.append(f"<h3>{html.escape(label('violence', lang))}</h3>")
    s.table(vio, float_format="{:.0f}")
    n_thv, n_ctl = (int((cases["group"] == g).sum()) for g in groups)
    s.summary = f"groups: {n_thv} thv and {n_ctl} control cases, {len(persons)} persons"
    return s


def section_funnel(cohort: Cohort, ctx: Context) -> Section:
    """Summary tables 1 and 2: the help funnel per role and group, with a plot."""
    lang = ctx.lang
    cases, persons, _ = ctx.frames(cohort)
    s = Section(label("funnel", lang))
    pg = persons.merge(cases[["case_id", "group"]], on="case_id")
    coop = cohort.cooperation_sufficient().reset_index(drop=True)
    pg = pg.assign(completed=coop.fillna(False).to_numpy(dtype=bool))
    steps = ["offered", "accepted", "started", "completed"]
    rows = []
    for role in ["perpetrator", "victim"]:
        for g in ["thv", "control"]:
            sub = pg[(pg.role == role) & (pg.group == g)]
            counts = [
                int(sub["help_offered"].eq(True).sum()),
                int(sub["help_accepted"].eq(True).sum()),
                int((sub["help_started"] == "full").sum()),
                int(sub["completed"].sum()),
            ]
            rows.append([label(role, lang), label(g, lang), len(sub), *counts])
    cols = ["role", "group", "n", *[label(k, lang) for k in steps]]
    df = pd.DataFrame(rows, columns=cols).set_index(["role", "group"])
    s.table(df, float_format="{:.0f}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is optional
        s.text("(install matplotlib for the funnel plot)")
        return s
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
    for ax, role in zip(axes, ["perpetrator", "victim"], strict=True):
        for k, g in enumerate(["thv", "control"]):
            row = df.loc[(label(role, lang), label(g, lang))]
            share = 100.0 * row.iloc[1:].to_numpy(dtype=float) / max(row["n"], 1)
            ax.bar(np.arange(4) + (k - 0.5) * 0.38, share, width=0.38, label=label(g, lang))
        ax.set_xticks(range(4), [label(k, lang) for k in steps], rotation=20)
        ax.set_title(label(role, lang))
        ax.set_ylim(0, 100)
    axes[0].set_ylabel("%")
    axes[0].legend(frameon=False)
    s.figure(fig, label("funnel", lang))
    s.summary = "help funnel: " + ", ".join(f"{k}" for k in steps)
    return s


def section_table_5_1(cohort: Cohort, ctx: Context) -> Section:
    """Table 5.1: police-registered new incidents by group, with the report's tests and effect sizes."""
    from . import stats

    lang = ctx.lang
    s = Section(label("t51", lang))
    rec = cohort.recidivism(sources=["police"])
    table = rec.by_group()
    show = table.rename(index={"thv": label("thv", lang), "control": label("control", lang)})
    s.table(show)
    t = table
    x1, n1 = int(t.loc["thv", "n_with_new"]), int(t.loc["thv", "n"])
    x2, n2 = int(t.loc["control", "n_with_new"]), int(t.loc["control", "n"])
    rows = []
    if min(n1, n2) > 0:
        table_2x2 = np.array([[x1, n1 - x1], [x2, n2 - x2]])
        with warnings.catch_warnings():
            # Small expected counts are reported in the table itself (Fisher's row).
            warnings.simplefilter("ignore", stats.SmallExpectedWarning)
            chi = stats.chi2_test(table_2x2)
        rows.append(["presence", "Pearson chi-square", chi.statistic, chi.pvalue, chi.pvalue / 2.0])
        if chi.small_expected:
            fe = stats.fisher_exact(table_2x2)
            fe_less = stats.fisher_exact(table_2x2, alternative="less" if x1 / n1 < x2 / n2 else "greater")
            rows.append(["presence", "Fisher's exact (expected counts < 5)", np.nan, fe.pvalue, fe_less.pvalue])
        tp = stats.two_proportions(x1, n1, x2, n2)
        d, rr = tp.difference, tp.risk_ratio
        dl, dh = d.confidence_interval
        rl, rh = rr.confidence_interval
        s.text(
            f"Risk difference thv − control: {100 * d.estimate:.1f} percentage points "
            f"(95% CI {100 * dl:.1f} to {100 * dh:.1f}, Newcombe); risk ratio {rr.estimate:.2f} "
            f"(95% CI {rl:.2f} to {rh:.2f}, log)."
        )
    df = rec.to_frame()
    hit = df[df["any"]]
    for col, name in (("count", "number of incidents"), ("days_to_first", "days to first incident")):
        a = hit.loc[hit["group"] == "thv", col].to_numpy(dtype=float)
        b = hit.loc[hit["group"] == "control", col].to_numpy(dtype=float)
        if len(a) > 1 and len(b) > 1:
            tt = stats.ttest_ind(a, b, equal_var=True)
            rows.append([name, "t-test (pooled)", tt.statistic, tt.pvalue, tt.pvalue / 2.0])
    tests = pd.DataFrame(rows, columns=["outcome", "test", "statistic", "p (two-sided)", "p (one-sided)"])
    s.table(tests.set_index("outcome"), float_format="{:.3f}",
            note="One-sided p as the report computes it: half the two-sided p. Means over cases with a new incident.")
    s.summary = (f"Table 5.1: {x1}/{n1} thv vs {x2}/{n2} control cases with a police-registered new incident")
    return s


def section_table_5_2(cohort: Cohort, ctx: Context) -> Section:
    """Table 5.2: the thv group, all sources: how many new incidents."""
    lang = ctx.lang
    s = Section(label("t52", lang))
    df = cohort.recidivism().to_frame()
    thv = df[df["group"] == "thv"]
    hit = thv[thv["any"]]
    bins = pd.cut(hit["count"], [0, 1, 2, 3, np.inf], labels=["1", "2", "3", "4+"])
    dist = bins.value_counts().reindex(["1", "2", "3", "4+"]).rename("cases").to_frame()
    dist.loc["total"] = len(hit)
    s.table(dist, float_format="{:.0f}", note=f"{len(hit)} of {len(thv)} thv cases have a new incident (any source).")
    s.summary = f"Table 5.2: {len(hit)} of {len(thv)} thv cases with a new incident from any source"
    return s


#: Case characteristics the survival section's adjusted hazard ratio uses:
#: the chapter-2 differences between the groups (columns of
#: ``huisverbod.causal.analysis_frame``).
SURVIVAL_COVARIATES = [
    "threat",
    "physical",
    "psychological",
    "perpetrator_arrested",
    "perpetrator_known_offender",
    "perpetrator_female",
    "perpetrator_age",
]


def section_survival(cohort: Cohort, ctx: Context) -> Section:
    """Table 5.1's days column next to the censoring-aware answer (Kaplan–Meier,
    log-rank, RMST at 365 days, Cox hazard ratio for the group)."""
    from . import survival

    s = Section({"en": "Time to the first new incident, with censoring",
                 "nl": "Tijd tot het eerste nieuwe incident, met censurering"}[ctx.lang])
    rec = cohort.recidivism(sources=["police"])
    # The HR adjusted for the chapter-2 differences between the groups
    # (nature of the violence, the perpetrator's arrest, record, sex, age):
    # the case-level frame of the causal section, complete cases only
    # (report_section says how many are left out).
    from .causal._report import analysis_frame

    cov = analysis_frame(cohort, sources=["police"])[SURVIVAL_COVARIATES]
    with warnings.catch_warnings():
        # Tiny cohorts (the example) can have too few events; the section says so itself.
        warnings.simplefilter("ignore")
        try:
            sec = survival.report_section(rec, covariates=cov, tau=365.0)
        except ValueError as e:
            sec = survival.report_section(rec, tau=365.0)
            sec.extra_notes.append(f"No adjusted Cox model: {e}")
    s.blocks.append(sec._repr_html_())
    s.text("Table 5.1 averages days only over cases with a new incident; the Kaplan–Meier curves, "
           "log-rank test and RMST use every case, censored at its measurement date.")
    try:
        import matplotlib

        matplotlib.use("Agg")
        fig = rec.kaplan_meier().plot_cumulative_incidence().get_figure()
        s.figure(fig, "Kaplan–Meier")
    except Exception:  # noqa: BLE001 - the plot is optional; the tables above carry the numbers
        pass
    s.summary = "survival: Kaplan–Meier, log-rank, RMST(365), Cox (unadjusted and adjusted)"
    return s


def section_bijlage5(cohort: Cohort, ctx: Context) -> Section:
    """Section 5.5 / Bijlage 5: the report's regression models within the thv
    group, fitted on this cohort, next to the published p-values."""
    from . import models

    s = Section({"en": "Characteristics related to new incidents in the thv group (section 5.5, Bijlage 5)",
                 "nl": "Kenmerken die samenhangen met nieuwe incidenten in de huisverbodgroep (paragraaf 5.5, bijlage 5)"}[ctx.lang])
    try:
        with warnings.catch_warnings():
            # Small subgroups give separation or non-estimable characteristics; the tables say so.
            warnings.simplefilter("ignore")
            res = models.bijlage5(cohort)
    except ValueError as e:
        s.text(f"Not estimable on this cohort: {e}")
        s.summary = "Bijlage 5: not estimable on this cohort"
        return s
    s.text("Logistic regressions for any new incident (odds ratios) and linear regressions for the number "
           "of new incidents (coefficients), all sources, thv cases only, listwise deletion per model as SPSS. "
           "'p (rapport)' is the published p-value; significance at .10 as in the report.")
    agree = 0
    total = 0
    for key, t in res.tables.items():
        cols = [c for c in t.columns if c not in ("Resultaat",)]
        note = (f"n = {t.attrs['n']}; {t.attrs['r2_name']} = {t.attrs['r2']:.2f} "
                f"(report: {t.attrs['r2_published']})")
        s.table(t[cols], float_format="{:.3f}", note=note, title=f"{key}: {t.attrs['title']}")
        both = t[["significant", "significant (rapport)"]].dropna()
        total += len(both)
        agree += int(((both["significant"] == "Ja") == both["significant (rapport)"].astype(bool)).sum())
    s.summary = f"Bijlage 5: six models fitted; significance agrees with the report for {agree}/{total} characteristics"
    return s


def section_fidelity(cohort: Cohort, ctx: Context) -> Section | None:
    """How well the replication cohort reproduces the published tables (replication cohort only)."""
    summary = ctx.cache.get("fidelity_summary")
    if summary is None:
        return None
    s = Section(label("fidelity", ctx.lang))
    if isinstance(summary, dict):
        g = summary.get
        rows = [
            ("one-way counts that must be exact", g("exact_target_met"), g("exact_target_cells")),
            ("chapter-5 cross-table cells within ±1", g("within_1_target_met"), g("within_1_target_cells")),
            ("means and sds within 5%", g("moment_within_5pct"), g("moment_cells")),
            ("chapter-5 verdicts agreeing (comparisons)", g("verdict_comparisons_agree"), g("verdict_comparisons")),
            ("Bijlage 5 verdicts agreeing (characteristics)", g("bijlage5_verdicts_agree"), g("bijlage5_verdicts")),
            ("all published counts: exact", g("count_exact"), g("count_cells")),
            ("all published counts: off by one", g("count_off_by_1"), g("count_cells")),
            ("all published counts: off by more", g("count_off"), g("count_cells")),
        ]
        df = pd.DataFrame(rows, columns=["target", "met", "of"]).set_index("target")
    else:
        df = pd.DataFrame(summary)
    s.table(df, float_format="{:.0f}",
            note="Counts off by more than one lie in tables where the report contradicts itself (docs/replication.md).")
    s.summary = "fidelity: " + ", ".join(f"{int(r.met)}/{int(r.of)}" for r in df.itertuples()) if "met" in df else ""
    return s


def _section_causal(cohort: Cohort, ctx: Context) -> Section:
    """Comparable groups (issue 7): balance, adjusted effects, E-values, the robustness check."""
    from .causal._report import section_causal

    return section_causal(cohort, ctx)


SECTIONS: list[Callable[[Cohort, Context], Section | None]] = [
    section_groups,
    section_funnel,
    section_table_5_1,
    section_table_5_2,
    section_survival,
    section_bijlage5,
    _section_causal,
    section_fidelity,
]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc} h3{font-size:1rem}
table.t{border-collapse:collapse;margin:.5rem 0} table.t th,table.t td{padding:.2rem .6rem;text-align:right}
table.t thead th{border-bottom:1px solid #999} p.note,p.meta{font-size:.85rem;color:#555} img{max-width:100%}
"""


@dataclass
class Report:
    """A built report: sections plus metadata; ``to_html()`` writes it out."""

    title: str
    meta: str
    sections: list[Section]

    def to_html(self) -> str:
        """The report as one self-contained HTML document."""
        body = "".join(
            f"<section><h2>{html.escape(s.title)}</h2>{''.join(s.blocks)}</section>" for s in self.sections
        )
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head>"
            f"<body><h1>{html.escape(self.title)}</h1><p class='meta'>{html.escape(self.meta)}</p>{body}</body></html>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def build_report(
    cohort: Cohort,
    *,
    lang: str = "en",
    source: str = "",
    fidelity_summary: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Builds the report for a cohort.

    Parameters
    ----------
    cohort : Cohort
    lang : {"en", "nl"}
        Language of the labels.
    source : str
        What the data are (shown in the header).
    fidelity_summary : DataFrame, optional
        Shown when the cohort is the replication cohort.
    progress : callable, optional
        Called with a line of text after each section.

    Examples
    --------
    >>> import huisverbod as hv
    >>> from huisverbod.report import build_report
    >>> r = build_report(hv.datasets.example(), source="example")
    >>> "Table 5.1" in r.to_html()
    True
    """
    if lang not in ("en", "nl"):
        raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
    from . import __version__

    ctx = Context(lang=lang, source=source, cache={"fidelity_summary": fidelity_summary})
    sections = []
    for make in SECTIONS:
        sec = make(cohort, ctx)
        if sec is None:
            continue
        sections.append(sec)
        if progress is not None and sec.summary:
            progress(sec.summary)
    stamp = _dt.date.today().isoformat()
    meta = f"{source} · {repr(cohort)} · huisverbod {__version__} · {stamp} · {label('privacy', lang)}"
    return Report(title=label("title", lang), meta=meta, sections=sections)
