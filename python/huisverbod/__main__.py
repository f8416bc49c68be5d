"""The main job: ``python -m huisverbod [DIR]``.

Reads a cohort (by default the example cohort shipped with the package) and
prints the recidivism table by group in the report's Table 5.1 layout, with
police registrations only (the report's group comparison) and with all
sources. Only aggregates are printed, never person-level rows.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from . import Cohort, ValidationError, example_data_dir


def main(argv: list[str] | None = None) -> int:
    """Run the main job; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m huisverbod", description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", help="cohort directory (cases.csv, persons.csv, incidents.csv)")
    parser.add_argument("--window-days", type=int, default=None, help="observation window in days")
    args = parser.parse_args(argv)
    source = args.dir or example_data_dir()
    try:
        cohort = Cohort.from_csv(source)
    except ValidationError as e:
        print(f"huisverbod: cannot read {source}:\n{e}", file=sys.stderr)
        return 2
    print(f"Cohort: {source}")
    print(repr(cohort))
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        for sources in (["police"], None):
            rec = cohort.recidivism(sources=sources, window_days=args.window_days)
            print()
            print(repr(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
