"""Writes docs/schema.md from the schema compiled into the package.

Run: .venv/bin/python scripts/gen_schema_doc.py
The test tests/python/test_docs.py fails when docs/schema.md is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import huisverbod as hv

HEADER = """# Data schema

Generated from the package by `scripts/gen_schema_doc.py` (a test checks that
it is current). A cohort is three tables in long format, as three CSV files
(`cases.csv`, `persons.csv`, `incidents.csv`) or three DataFrames. Column
names and category values are API.

Conventions for every column:

- **Unknown is an empty cell** (the report's *onbekend*). It stays unknown
  (`None` in Rust, `<NA>`/`NaN`/`NaT` in pandas); it is never read as 0 or
  false. Typed columns also read `NA`, `NaN`, `null`, `None` as unknown.
- **Booleans** accept `true`/`false`, `1`/`0`, `yes`/`no`, `ja`/`nee`
  (any case); they are written as `true`/`false`.
- **Dates** are ISO 8601 `YYYY-MM-DD` (a time part is ignored).
- **Categories** are matched ignoring case and surrounding blanks.
- **Whole numbers** accept `3` and `3.0`, not `3.5`.
- Column names are matched ignoring case; columns beyond the schema are kept
  as text and written back unchanged.
- Files may be UTF-8 (with or without BOM), UTF-16 with BOM, or
  Windows-1252/Latin-1 (read with a warning); separated by `,`, `;` (then a
  decimal comma is accepted) or tab.

Rows in problem reports: the header is row 1 and the first data row is row 2,
as a spreadsheet shows it.

Cross-table rules: `case_id` unique in cases; `person_id` unique in persons;
every person and incident refers to an existing case; an `incident_id`
belongs to one case and appears at most once per source (one row per source
that registered it; it counts once); a new incident lies after its case's
`incident_date`; `followup_end` is not before `incident_date`. Ages: 12–110
for perpetrators and victims, 0–110 for children. Fields marked "thv only" or
"control only" filled on the other group give a warning, not an error.
"""

TITLES = {
    "cases": "## cases — one row per case",
    "persons": "## persons — one row per person (perpetrator, victim, children)",
    "incidents": "## incidents — new incidents after the original one, one row per registering source",
}


def render() -> str:
    out = [HEADER]
    for table in ("cases", "persons", "incidents"):
        out.append(f"\n{TITLES[table]}\n")
        out.append("| column | type | allowed values | required | description (report term, table) |")
        out.append("|---|---|---|---|---|")
        for row in hv._core.schema(table):
            name = row["name"]
            kind = row["kind"]
            if row["levels"] is not None:
                allowed = " \\| ".join(f"`{v}`" for v in row["levels"])
            elif row["range"] is not None:
                lo, hi = row["range"]
                allowed = f"{lo:g}–{hi:g}" if hi != float("inf") else f"≥ {lo:g}"
            elif kind == "bool":
                allowed = "true/false"
            elif kind == "date":
                allowed = "YYYY-MM-DD"
            else:
                allowed = ""
            if row["only_for"] is not None:
                allowed = (allowed + "; " if allowed else "") + f"{row['only_for']} only"
            req = "yes" if row["required"] else ""
            out.append(f"| `{name}` | {kind} | {allowed} | {req} | {row['doc']} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
