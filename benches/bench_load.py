"""Benchmark: loading a national-scale cohort and computing recidivism.

Writes (once, cached in benches/data/national/) a synthetic cohort of
1,000,000 cases, about 2.3 million persons and about 1 million incident rows
as the three CSV files, then times side by side in one run:

- ``hv.Cohort.from_csv`` against ``pandas.read_csv`` (C engine) of the same files;
- ``cohort.recidivism()`` (all sources, and police only) on the loaded cohort,
  against the same measures computed with pandas groupby;
- memory: the retained size of the loaded cohort and the peak RSS of a fresh
  process that loads it, against the raw size of the columns.

Usage: .venv/bin/python benches/bench_load.py [--cases N] [--repeat R]
Prints ratios; record them in benches/README.md. Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import huisverbod as hv

HERE = Path(__file__).resolve().parent


def generate(n_cases: int, out: Path, seed: int = 2013) -> None:
    """Writes a synthetic cohort with every schema column (vectorised numpy + pandas)."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)

    def column(kind: str, levels, rng_range, n: int, missing: float = 0.1):
        miss = rng.random(n) < missing
        if kind == "bool":
            return pd.array(np.where(miss, None, rng.random(n) < 0.4), dtype="boolean")
        if kind == "int":
            lo, hi = rng_range if rng_range is not None else (0, 20)
            hi = min(hi, lo + 20)
            v = pd.array(rng.integers(int(lo), int(hi) + 1, n), dtype="Int64")
            v[miss] = pd.NA
            return v
        if kind == "float":
            v = np.round(rng.gamma(2.0, 12.0, n), 1)
            v[miss] = np.nan
            return v
        if kind == "category":
            codes = rng.integers(0, len(levels), n)
            codes[miss] = -1
            return pd.Categorical.from_codes(codes, levels)
        raise ValueError(kind)

    def frame(table: str, keys: dict, n: int) -> pd.DataFrame:
        data = dict(keys)
        for spec in hv._core.schema(table):
            if spec["name"] in data:
                continue
            data[spec["name"]] = column(spec["kind"], spec["levels"], spec["range"], n)
        return pd.DataFrame(data)

    start = np.datetime64("2009-01-01") + rng.integers(0, 4 * 365, n_cases).astype("timedelta64[D]")
    end = start + rng.integers(365, 549, n_cases).astype("timedelta64[D]")
    group = np.where(rng.random(n_cases) < 0.5, "thv", "control")
    case_ids = np.char.add("c", np.arange(n_cases).astype(str))
    cases = frame(
        "cases",
        {
            "case_id": case_ids,
            "group": group,
            "region": np.char.add("regio", rng.integers(0, 35, n_cases).astype(str)),
            "incident_date": start,
            "followup_end": end,
        },
        n_cases,
    )
    thv = group == "thv"
    for col in ("order_violated", "incidents_during_order", "order_extended", "extension_days"):
        cases.loc[~thv, col] = pd.NA
    cases.loc[thv, "control_kind"] = np.nan
    cases.to_csv(out / "cases.csv", index=False)
    del cases

    n_children = rng.poisson(0.3, n_cases)
    per_case = 2 + n_children
    case_of = np.repeat(np.arange(n_cases), per_case)
    n_persons = len(case_of)
    first = np.concatenate([[0], np.cumsum(per_case)[:-1]])
    pos = np.arange(n_persons) - np.repeat(first, per_case)
    role = np.where(pos == 0, "perpetrator", np.where(pos == 1, "victim", "child"))
    persons = frame(
        "persons",
        {"person_id": np.char.add("p", np.arange(n_persons).astype(str)), "case_id": case_ids[case_of], "role": role},
        n_persons,
    )
    age = np.where(role == "child", rng.integers(0, 18, n_persons), rng.integers(18, 80, n_persons))
    persons["age"] = pd.array(age, dtype="Int64")
    persons.to_csv(out / "persons.csv", index=False)
    del persons

    # About 0.7 distinct incidents per case, each registered by 1-2 sources: ~1M rows.
    n_inc = rng.poisson(0.7, n_cases)
    inc_case = np.repeat(np.arange(n_cases), n_inc)
    n_distinct = len(inc_case)
    inc_date = start[inc_case] + rng.integers(1, 600, n_distinct).astype("timedelta64[D]")
    n_src = 1 + (rng.random(n_distinct) < 0.45)
    row_inc = np.repeat(np.arange(n_distinct), n_src)
    second = np.concatenate([[False], row_inc[1:] == row_inc[:-1]])
    first_src = rng.integers(0, 3, n_distinct)
    src_code = (first_src[row_inc] + second) % 3
    incidents = pd.DataFrame(
        {
            "incident_id": np.char.add("i", row_inc.astype(str)),
            "case_id": case_ids[inc_case[row_inc]],
            "date": inc_date[row_inc],
            "source": np.array(["police", "shg", "bjz_amk"])[src_code],
            "kind": pd.Categorical.from_codes(rng.integers(0, 5, len(row_inc)), hv._core.schema("incidents")[4]["levels"]),
        }
    )
    incidents.to_csv(out / "incidents.csv", index=False)


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def pandas_measures(cases: pd.DataFrame, incidents: pd.DataFrame, sources=None) -> pd.DataFrame:
    """The recidivism measures with pandas (the peer implementation)."""
    c = cases[["case_id", "incident_date", "followup_end"]].set_index("case_id")
    inc = incidents if sources is None else incidents[incidents["source"].isin(sources)]
    inc = inc.join(c, on="case_id")
    inc = inc[(inc["date"] > inc["incident_date"]) & (inc["date"] <= inc["followup_end"])]
    first = inc.groupby(["case_id", "incident_id"], sort=False)["date"].min().reset_index()
    per = first.groupby("case_id", sort=False).agg(count=("incident_id", "size"), first=("date", "min"))
    out = c.join(per)
    out["count"] = out["count"].fillna(0)
    out["days_to_first"] = (out["first"] - out["incident_date"]).dt.days
    return out


def child_peak(directory: Path) -> dict:
    """Loads the cohort in a fresh process and reports RSS figures (bytes)."""
    code = f"""
import json, os
def status(key):
    # VmRSS: resident now; VmHWM: the high-water mark of this process image
    # (ru_maxrss would carry the parent's peak across fork/exec).
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024
def rss():
    return status('VmRSS')
import huisverbod as hv
before = rss()
c = hv.Cohort.from_csv({str(directory)!r})
after = rss()
peak = status('VmHWM')
print(json.dumps(dict(before=before, after=after, peak=peak, heap=c._inner.heap_bytes())))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def raw_column_bytes(cohort: hv.Cohort) -> int:
    """The raw size of the columns: 1 byte per bool/category, 4 per int/date, 8 per float,
    text bytes plus a 4-byte offset; unknowns as a 1-bit mask."""
    size = {"bool": 1, "category": 1, "int": 4, "date": 4, "float": 8}
    total = 0
    for table in ("cases", "persons", "incidents"):
        for name in cohort._inner.column_names(table):
            kind, values, _ = cohort._inner.column(table, name)
            n = len(values)
            if kind == "text":
                total += sum(len(v.encode()) for v in values if v is not None) + 4 * n
            else:
                total += size[kind] * n + n // 8
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    directory = HERE / "data" / f"national_{args.cases}"
    if not (directory / "incidents.csv").exists():
        t0 = time.perf_counter()
        generate(args.cases, directory)
        print(f"generated {directory} in {time.perf_counter() - t0:.1f} s")
    sizes = {f: (directory / f).stat().st_size for f in ("cases.csv", "persons.csv", "incidents.csv")}
    print(f"files: " + ", ".join(f"{k} {v / 1e6:.0f} MB" for k, v in sizes.items()))
    print(f"threads: RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'default')}, cores={os.cpu_count()}")

    def pandas_read():
        return (
            pd.read_csv(directory / "cases.csv", parse_dates=["incident_date", "followup_end"]),
            pd.read_csv(directory / "persons.csv"),
            pd.read_csv(directory / "incidents.csv", parse_dates=["date"]),
        )

    t_pd, frames = best(pandas_read, args.repeat)
    t_hv, cohort = best(lambda: hv.Cohort.from_csv(directory), args.repeat)
    print(f"\nload      pandas.read_csv {t_pd:7.3f} s   hv.Cohort.from_csv {t_hv:7.3f} s   ratio {t_pd / t_hv:5.2f}x")
    print(f"          ({cohort.n_cases:,} cases, {cohort.n_persons:,} persons, {cohort.n_incident_rows:,} incident rows)")

    cases_df, _, inc_df = frames
    for sources in (None, ["police"]):
        t_pm, ref = best(lambda: pandas_measures(cases_df, inc_df, sources), args.repeat)
        t_rec, rec = best(lambda: cohort.recidivism(sources=sources), args.repeat)
        # Same answer as the peer implementation:
        ok = np.array_equal(rec.count, ref["count"].to_numpy().astype(np.int64))
        label = "all" if sources is None else "police"
        print(
            f"recidivism ({label:6}) pandas {t_pm:7.3f} s   huisverbod {t_rec:7.3f} s   ratio {t_pm / t_rec:6.1f}x"
            f"   counts equal: {ok}"
        )
    t_native, _ = best(lambda: cohort._inner.recidivism(None, None), args.repeat)
    print(f"recidivism core only (no numpy conversion): {t_native:.3f} s")

    raw = raw_column_bytes(cohort)
    del frames, cases_df, inc_df, cohort
    gc.collect()
    mem = child_peak(directory)
    retained = mem["after"] - mem["before"]
    print(
        f"\nmemory    raw columns {raw / 1e6:7.0f} MB   column buffers (heap) {mem['heap'] / 1e6:7.0f} MB"
        f" ({mem['heap'] / raw:.2f}x)\n          retained RSS after load {retained / 1e6:7.0f} MB ({retained / raw:.2f}x)"
        f"   peak RSS during load {(mem['peak'] - mem['before']) / 1e6:7.0f} MB above the"
        f" {mem['before'] / 1e6:.0f} MB of the interpreter ({(mem['peak'] - mem['before']) / raw:.2f}x raw;"
        f" the three files are {sum(sizes.values()) / 1e6:.0f} MB)"
    )


if __name__ == "__main__":
    main()
