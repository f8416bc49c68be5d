"""Writes examples/notebooks/walkthrough.ipynb (unexecuted) from the cells below.

The notebook is executed by tests/python/test_notebook.py in CI, so it
cannot rot. Edit the cells here and rerun: .venv/bin/python scripts/make_notebook.py
"""

from __future__ import annotations

import json
from pathlib import Path

CELLS: list[tuple[str, str]] = [
    ("markdown", "# huisverbod walkthrough\n\nThe embedded replication cohort of the Regioplan (2013) evaluation of "
                 "the Dutch Temporary Restraining Order Act: 105 restraining-order (thv) cases and 104 control cases, "
                 "synthetic (no real person's data) but built to reproduce the report's published tables."),
    ("code", "import huisverbod as hv\n"
             "cohort = hv.datasets.regioplan2013() if hasattr(hv.datasets, 'regioplan2013') else hv.datasets.synthetic(209, seed=2013)\n"
             "cohort"),
    ("markdown", "## New incidents by group (Table 5.1)\n\nThe report compares the groups on police registrations only."),
    ("code", "rec = cohort.recidivism(sources=['police'])\nrec.by_group()"),
    ("markdown", "## The report's tests, and what a careful reader adds"),
    ("code", "t = rec.by_group()\n"
             "table = [[t.loc[g, 'n_with_new'], t.loc[g, 'n'] - t.loc[g, 'n_with_new']] for g in ['thv', 'control']]\n"
             "chi = hv.stats.chi2_test(table)\n"
             "chi"),
    ("code", "hv.stats.two_proportions(int(t.loc['thv', 'n_with_new']), int(t.loc['thv', 'n']),\n"
             "                          int(t.loc['control', 'n_with_new']), int(t.loc['control', 'n']))"),
    ("markdown", "## The report's chapter 5 verdicts, recomputed from the published numbers"),
    ("code", "hv.stats.report_verdicts()[['table', 'comparison', 'p_two_sided', 'claim', 'agrees']]"),
    ("markdown", "## Time to the first new incident, with censoring\n\nThe report averages days only over the cases "
                 "with a new incident; Kaplan–Meier, the log-rank test and RMST use every case, censored at its "
                 "measurement date."),
    ("code", "km = rec.kaplan_meier()\n"
             "km.summary"),
    ("code", "hv.survival.logrank_test(rec.time, rec.event, group=rec.group)"),
    ("code", "hv.survival.rmst(rec.time, rec.event, group=rec.group, tau=365)"),
    ("markdown", "## Which characteristics go with new incidents (section 5.5, Bijlage 5)"),
    ("code", "b5 = hv.models.bijlage5(cohort)\n"
             "b5.tables['B5.1']"),
    ("markdown", "## Comparable groups\n\nThe groups differ before the order (chapter 2). Balance, a propensity "
                 "score, inverse-probability weighting and an E-value (how strong an unmeasured confounder would "
                 "have to be to explain the estimate away)."),
    ("code", "import warnings\n"
             "df = hv.causal.analysis_frame(cohort).dropna(subset=['threat', 'physical', 'psychological', 'perpetrator_arrested'])\n"
             "with warnings.catch_warnings():\n"
             "    warnings.simplefilter('ignore')  # the replication cohort's groups overlap poorly; the section says so\n"
             "    ps = hv.causal.propensity('thv ~ threat + physical + psychological + perpetrator_arrested', df)\n"
             "    w = hv.causal.ipw(ps, estimand='ATE')\n"
             "w.balance()"),
    ("code", "risk = w.risk('any_new')\n"
             "risk.summary()"),
    ("code", "risk.evalue()"),
    ("markdown", "## The full report\n\n`huisverbod report` writes the same content as one HTML file."),
    ("code", "from huisverbod.report import build_report\n"
             "report = build_report(cohort, source='walkthrough')\n"
             "[s.title for s in report.sections]"),
]


def notebook() -> dict:
    cells = []
    for i, (kind, src) in enumerate(CELLS):
        cell = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {}, "source": src.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "examples" / "notebooks" / "walkthrough.ipynb"
    out.write_text(json.dumps(notebook(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
