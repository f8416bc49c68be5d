"""The main job: ``huisverbod report [--data DIR] [--out report.html] [--lang en|nl]``.

Also ``python -m huisverbod``; without a subcommand it runs ``report``.
Without ``--data`` the report runs on the embedded cohort. It writes one
self-contained HTML file and prints a short summary. Invalid data: the
located problems are printed and nothing is written (exit code 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import Cohort, ValidationError, datasets


def _default_cohort() -> tuple[Cohort, str, object]:
    """The replication cohort when the package has it, else the example cohort."""
    build = getattr(datasets, "regioplan2013", None)
    if build is not None:
        fidelity = getattr(datasets, "regioplan2013_fidelity_summary", None)
        return build(), "embedded replication cohort (synthetic; no real person's data)", (
            fidelity() if fidelity else None
        )
    return datasets.example(), "embedded example cohort (made up)", None


def _report(args: argparse.Namespace) -> int:
    from .report import build_report

    t0 = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:5.1f}s] {msg}", flush=True)

    fidelity = None
    if args.data is None:
        cohort, source, fidelity = _default_cohort()
    else:
        data = Path(args.data)
        if not data.exists():
            print(f"huisverbod: no such folder: {data}", file=sys.stderr)
            return 2
        if not data.is_dir():
            print(f"huisverbod: --data must be a folder with cases.csv, persons.csv and incidents.csv: {data}",
                  file=sys.stderr)
            return 2
        try:
            cohort = Cohort.from_csv(data)
        except ValidationError as e:
            print(f"huisverbod: the data in {data} cannot be used; nothing was written.", file=sys.stderr)
            for p in e.problems:
                if p["severity"] != "error":
                    continue
                where = p["file"] + (f", row {p['row']}" if p["row"] is not None else "")
                col = f", column '{p['column']}'" if p["column"] else ""
                val = f", value '{p['value']}'" if p["value"] else ""
                print(f"  {where}{col}{val}: {p['message']}", file=sys.stderr)
            return 2
        source = str(data)
    say(f"read {cohort!r}")
    report = build_report(cohort, lang=args.lang, source=source, fidelity_summary=fidelity, progress=say)
    out = Path(args.out)
    try:
        out.write_text(report.to_html(), encoding="utf-8")
    except OSError as e:
        print(f"huisverbod: cannot write {out}: {e.strerror}", file=sys.stderr)
        return 2
    say(f"report written to {out.resolve()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="huisverbod", description="Evaluate restraining orders for domestic violence.")
    sub = parser.add_subparsers(dest="command")
    rep = sub.add_parser("report", help="write the evaluation report as one HTML file")
    for p in (parser, rep):
        p.add_argument("--data", default=None, help="cohort folder (cases.csv, persons.csv, incidents.csv); "
                       "default: the embedded cohort")
        p.add_argument("--out", default="report.html", help="output file (default: report.html)")
        p.add_argument("--lang", default="en", choices=["en", "nl"], help="label language")
    args = parser.parse_args(argv)
    return _report(args)


if __name__ == "__main__":
    sys.exit(main())
