"""The replication cohort: the issue's fidelity targets, checked independently.

Every number the cohort is held to is recomputed here from its microdata
(the three DataFrames) with pandas and scipy, and compared with the
published tables (``hv.published_tables()``) — never with numbers copied
from our own output. The fidelity frame of ``hv.datasets.regioplan2013_fidelity()``
must then agree with these recomputations.

Populations (docs/replication.md): new incidents are counted once per
``incident_id`` inside (incident_date, followup_end]; Table 5.1 counts police
registrations, the rest of chapter 5 all sources.
"""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import huisverbod as hv
from huisverbod.stats._verdicts import report_comparisons

PUB = hv.published_tables()

EXACT_TABLES = ["1", "2", "2.1", "2.2", "2.7", "2.8", "2.13", "3.3", "4.1", "4.3", "4.17", "4.18", "4.19",
                "4.20", "4.21", "5.1", "5.2"]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cohort() -> hv.Cohort:
    return hv.datasets.regioplan2013()


@pytest.fixture(scope="module")
def fid() -> pd.DataFrame:
    return hv.datasets.regioplan2013_fidelity()


def _outcome(cases: pd.DataFrame, inc: pd.DataFrame, sources: list[str] | None) -> pd.DataFrame:
    """Per case: distinct new incidents inside the window and days to the first."""
    x = inc.merge(cases[["case_id", "incident_date", "followup_end"]], on="case_id")
    keep = (x["date"] > x["incident_date"]) & (x["date"] <= x["followup_end"])
    if sources is not None:
        keep &= x["source"].isin(sources)
    first = x[keep].groupby(["case_id", "incident_id"])["date"].min().reset_index()
    g = first.groupby("case_id")["date"]
    out = pd.DataFrame(index=pd.Index(cases["case_id"], name="case_id"))
    out["n"] = g.size().reindex(out.index).fillna(0).astype(int)
    start = cases.set_index("case_id")["incident_date"]
    out["days"] = (g.min().reindex(out.index) - start).dt.days
    return out


@pytest.fixture(scope="module")
def data(cohort: hv.Cohort) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases with their outcomes (all sources: n, days; police: n_pol, days_pol) and persons with their case."""
    cases, persons, inc = cohort.to_frames()
    allsrc = _outcome(cases, inc, None)
    police = _outcome(cases, inc, ["police"]).add_suffix("_pol")
    c = cases.set_index("case_id").join(allsrc).join(police)
    c["y"] = c["n"] > 0
    c["thv"] = c["group"] == "thv"
    p = persons.join(c[["group", "thv", "y", "n", "days"]], on="case_id")
    return c, p


def _bool(s: pd.Series) -> pd.Series:
    return s.fillna(False).astype(bool)


def _report_problem_count(p: pd.DataFrame) -> pd.Series:
    cols = ["problem_relational", "problem_work_housing_social", "problem_psychological", "problem_addiction",
            "problem_family_of_origin"]
    return sum(_bool(p[k]).astype(int) for k in cols)


def _report_score(c: pd.DataFrame) -> pd.Series:
    comps = c[["case_consultations", "plan_of_approach", "system_conversation", "system_after"]]
    score = ((c["case_consultations"].fillna(0) > 0).astype(int) + _bool(c["plan_of_approach"]).astype(int)
             + _bool(c["system_conversation"]).astype(int)
             + c["system_after"].isin(["yes", "partial"]).astype(int))
    return score.where(comps.notna().any(axis=1))


def _start_row(p: pd.DataFrame) -> pd.Series:
    """0 not or partly started, 1 full offer; NaN unless help was accepted and the start is known."""
    ok = _bool(p["help_accepted"]) & p["help_started"].notna()
    return (p["help_started"] == "full").astype(float).where(ok)


def _completion_row(p: pd.DataFrame) -> pd.Series:
    coop = p["cooperation"].astype("float")
    return (coop >= 4).astype(float).where(coop.notna())


# ------------------------------------------------- chapter 5, from microdata

Groups = list[np.ndarray]  # the samples compared (means) ...
Table = list[list[int]]  # ... or a cross table (rows = groups, columns = new DV / none)


def _is(rows: pd.Series, r: object) -> pd.Series:
    return (rows == r).fillna(False).astype(bool)


def _crosstab(rows: pd.Series, y: pd.Series, order: list) -> Table:
    return [[int((y[_is(rows, r)]).sum()), int((~y[_is(rows, r)]).sum())] for r in order]


def _samples(rows: pd.Series, values: pd.Series, order: list) -> Groups:
    return [values[_is(rows, r)].dropna().to_numpy(dtype=float) for r in order]


def chapter5(c: pd.DataFrame, p: pd.DataFrame) -> dict[str, list[Table | Groups]]:
    """Every chapter-5 comparison, in the order of report_comparisons()."""
    thv_c = c[c["thv"]]
    uhg = p[(p["role"] == "perpetrator") & p["thv"]]
    perps = p[p["role"] == "perpetrator"]
    victims = p[p["role"] == "victim"]
    out: dict[str, list[Table | Groups]] = {}
    # 5.1: police registrations by group; number and days among cases with one.
    hit = c["n_pol"] > 0
    out["5.1"] = [
        _crosstab(c["group"], hit, ["thv", "control"]),
        _samples(c.loc[hit, "group"], c.loc[hit, "n_pol"], ["thv", "control"]),
        _samples(c.loc[hit, "group"], c.loc[hit, "days_pol"], ["thv", "control"]),
    ]
    for t, who, row in [("4", perps, _start_row), ("9", victims, _start_row), ("12", perps, _completion_row),
                        ("15", victims, _completion_row)]:
        r = row(who)
        n = int(t)
        out[f"5.{n}"] = [_crosstab(r, who["y"], [0, 1])]
        out[f"5.{n + 1}"] = [_samples(r, who["n"], [0, 1])]
        out[f"5.{n + 2}"] = [_samples(r, who["days"], [0, 1])]
    start = _start_row(uhg)
    load = (_report_problem_count(uhg) >= 3).astype(int)
    pop = start.notna()
    out["5.7a"] = [[[int(((load == lv) & pop & (start == s)).sum()) for s in (0, 1)] for lv in (0, 1)]]
    out["5.7b"] = [
        [[int(((load == lv) & pop & (start == s) & uhg["y"]).sum()),
          int(((load == lv) & pop & (start == s) & ~uhg["y"]).sum())] for s in (0, 1)]
        for lv in (0, 1)
    ]
    ctl_perp = perps[~perps["thv"]]
    cols = ["problem_relational", "problem_work_housing_social", "problem_psychological", "problem_addiction",
            "problem_family_of_origin"]
    known = ctl_perp[cols].notna().all(axis=1)
    ctl_load = (_report_problem_count(ctl_perp[known]) >= 3).astype(int)
    out["5.8"] = [[[int(((load == lv) & pop).sum()) for lv in (0, 1)],
                   [int((ctl_load == lv).sum()) for lv in (0, 1)]]]
    score = _report_score(thv_c)
    srow = (score < 3).astype(float).where(score.notna())
    out["5.18"] = [_crosstab(srow, thv_c["y"], [0, 1])]
    out["5.19"] = [_samples(srow, thv_c["n"], [0, 1])]
    out["5.20"] = [_samples(srow, thv_c["days"], [0, 1])]
    consult = thv_c["case_consultations"].astype(float)
    out["5.21"] = [_samples((consult == 0).astype(float).where(consult.notna()), thv_c["n"], [0, 1])]
    after = thv_c["system_after"].map({"yes": 0, "partial": 0, "no": 1}).astype(float)
    out["5.22"] = [_crosstab(after, thv_c["y"], [0, 1])]
    hours = uhg["first_contact_hours"]
    out["5.23"] = [_samples((hours > 24).astype(float).where(hours.notna()), uhg["n"], [0, 1])]
    hks = uhg[uhg["hks_antecedents"].fillna(0) >= 1]
    yrow = (~hks["y"]).astype(int)
    out["5.24"] = [_samples(yrow, hks["hks_antecedents"], [0, 1]), _samples(yrow, hks["hks_offences"], [0, 1])]
    out["5.25"] = [_crosstab(uhg["offender_category"], uhg["y"], ["beginner", "repeat", "frequent"])]
    out["5.26"] = [[[int((_bool(uhg[k]) & uhg["y"]).sum()), int((_bool(uhg[k]) & ~uhg["y"]).sum())]
                    for k in ("arrested", "referred_to_prosecutor", "convicted")]]
    out["5.27"] = [_crosstab(load, uhg["y"], [0, 1])]
    for t, k in [("5.28", "problem_work_housing_social"), ("5.29", "problem_psychological")]:
        out[t] = [_crosstab(uhg[k].astype("boolean"), uhg["y"], [True, False])]
    prio = thv_c["enforcement_priority"].astype(float)
    out["5.30"] = [_crosstab((prio == 4).astype(float).where(prio.notna()), thv_c["y"], [0, 1])]
    for t, k in [("5.31", "order_violated"), ("5.33", "order_extended")]:
        out[t] = [_crosstab(thv_c[k], thv_c["y"], [True, False])]
        out[f"5.{int(t[2:]) + 1}"] = [_samples(thv_c[k], thv_c["n"], [True, False])]
    adults = p[p["thv"] & p["role"].isin(["perpetrator", "victim"])]
    out["5.35"] = [_crosstab(adults["education"], adults["y"], ["low", "middle", "high"])]
    return out


@pytest.fixture(scope="module")
def ch5(data: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, list[Table | Groups]]:
    return chapter5(*data)


# ------------------------------------------------------------------ tests


def test_fidelity_frame_layout(fid: pd.DataFrame) -> None:
    assert list(fid.columns) == ["table", "row", "column", "kind", "published", "cohort", "difference", "target",
                                 "met"]
    assert set(fid["kind"]) == {"count", "pct", "mean", "sd"}
    assert set(fid["target"]) == {"exact", "within_1", "within_5pct", "none"}
    # Every chapter-5 cross table 5.4-5.35 and every listed one-way table is there.
    for t in EXACT_TABLES + [f"5.{k}" for k in range(4, 36) if k != 7] + ["5.7a", "5.7b"]:
        assert t in set(fid["table"]), t


def test_published_column_is_the_report(fid: pd.DataFrame) -> None:
    # Each record's published value is a printed cell of hv.published_tables().
    for r in fid.itertuples():
        t = PUB[r.table]
        rows = [row for row in t["rows"] if row["label_en"] == r.row]
        cols = [j for j, col in enumerate(t["columns"]) if col["label_en"] == r.column]
        assert rows and cols, (r.table, r.row, r.column)
        cell = rows[0]["cells"][cols[0]]
        value = cell.get(r.kind)
        if value is None and r.kind == "count":
            assert cell.get("text", "").strip() == "-"
            value = 0
        assert value == pytest.approx(r.published, abs=1e-12), (r.table, r.row, r.column, r.kind)


def test_the_issue_targets_are_met(fid: pd.DataFrame) -> None:
    exact = fid[fid["target"] == "exact"]
    assert (exact["kind"] == "count").all() and set(exact["table"]) == set(EXACT_TABLES)
    assert (exact["cohort"] == exact["published"]).all(), exact[exact["cohort"] != exact["published"]]
    within = fid[fid["target"] == "within_1"]
    assert ((within["cohort"] - within["published"]).abs() <= 1).all()
    moments = fid[fid["kind"].isin(["mean", "sd"])]
    assert (moments["target"] == "within_5pct").all()
    assert ((moments["cohort"] - moments["published"]).abs() <= 0.05 * moments["published"].abs()).all()
    assert fid["met"].dropna().all()


def _cell(fid: pd.DataFrame, table: str, r: int, c: int, kind: str) -> float:
    t = PUB[table]
    rec = fid[(fid["table"] == table) & (fid["row"] == t["rows"][r]["label_en"])
              & (fid["column"] == t["columns"][c]["label_en"]) & (fid["kind"] == kind)]
    assert len(rec) == 1, (table, r, c, kind)
    return float(rec["cohort"].iloc[0])


def test_tables_5_1_and_5_2_from_the_microdata(data, fid: pd.DataFrame) -> None:
    c, _ = data
    hit = c[c["n_pol"] > 0]
    # The issue: 22 of 105 thv and 31 of 104 control cases with police-registered new incidents.
    assert c.groupby("group", observed=True)["n_pol"].apply(lambda s: (s > 0).sum()).to_dict() == \
        {"thv": 22, "control": 31}
    assert (c["group"] == "thv").sum() == 105 and (c["group"] == "control").sum() == 104
    for g, col in (("thv", 0), ("control", 1)):
        h = hit[hit["group"] == g]
        assert _cell(fid, "5.1", 1, col, "mean") == pytest.approx(h["n_pol"].mean(), rel=1e-12)
        assert _cell(fid, "5.1", 1, col, "sd") == pytest.approx(h["n_pol"].std(ddof=1), rel=1e-12)
        assert _cell(fid, "5.1", 2, col, "mean") == pytest.approx(h["days_pol"].mean(), rel=1e-12)
    thv = c[c["thv"]]
    # 56 thv cases with new incidents from any source: 32 with one, 10 with two, 10 with three, 4 with more.
    hist = thv["n"].clip(upper=4).value_counts().to_dict()
    assert hist == {0: 49, 1: 32, 2: 10, 3: 10, 4: 4}
    assert thv["n"].max() == 12  # "met een maximum van 12" (footnote 4)
    assert _cell(fid, "5.2", 1, 0, "mean") == pytest.approx(thv["n"].mean(), rel=1e-12)
    assert _cell(fid, "5.2", 6, 0, "sd") == pytest.approx(thv["days"].std(ddof=1), rel=1e-12)
    # Published means and sds within 5%.
    t = PUB["5.1"]["rows"]
    for g, col in (("thv", 0), ("control", 1)):
        h = hit[hit["group"] == g]
        assert h["n_pol"].mean() == pytest.approx(t[1]["cells"][col]["mean"], rel=0.05)
        assert h["n_pol"].std(ddof=1) == pytest.approx(t[1]["cells"][col]["sd"], rel=0.05)
        assert h["days_pol"].mean() == pytest.approx(t[2]["cells"][col]["mean"], rel=0.05)
        assert h["days_pol"].std(ddof=1) == pytest.approx(t[2]["cells"][col]["sd"], rel=0.05)


def test_one_way_tables_from_the_microdata(data, fid: pd.DataFrame) -> None:
    c, p = data
    uhg = p[(p["role"] == "perpetrator") & p["thv"]]
    ab = p[(p["role"] == "victim") & p["thv"]]
    # Table 1: offered / accepted / started / sufficiently completed (cooperation 4-5).
    for r, who in ((0, uhg), (1, ab)):
        got = [_bool(who["help_offered"]).sum(), _bool(who["help_accepted"]).sum(),
               who["help_started"].isin(["partial", "full"]).sum(), (who["cooperation"] >= 4).sum()]
        want = [cell["count"] for cell in PUB["1"]["rows"][r]["cells"]]
        assert got == want
        assert got == [_cell(fid, "1", r, k, "count") for k in range(4)]
    kids = p[(p["role"] == "child") & p["thv"]]
    assert len(kids) == 168 and len(p[(p["role"] == "child") & ~p["thv"]]) == 109
    assert [_bool(kids["help_offered"]).sum(), _bool(kids["help_accepted"]).sum(),
            kids["help_started"].isin(["partial", "full"]).sum()] == [115, 78, 74]
    # Table 2.13: arrests.
    ctl_perp = p[(p["role"] == "perpetrator") & ~p["thv"]]
    assert [(uhg["arrested"] == True).sum(), (uhg["arrested"] == False).sum()] == [99, 6]  # noqa: E712
    assert [(ctl_perp["arrested"] == True).sum(), (ctl_perp["arrested"] == False).sum()] == [49, 47]  # noqa: E712
    # Table 2.7: nature of the violence (multiple answers).
    for r, k in enumerate(["threat", "physical", "sexual", "psychological"]):
        for col, g in ((0, True), (1, False)):
            got = int(_bool(c.loc[c["thv"] == g, k]).sum())
            assert got == PUB["2.7"]["rows"][r]["cells"][col]["count"] == _cell(fid, "2.7", r, col, "count")
    # Table 4.21: the report's system-approach score, by group.
    score = _report_score(c)
    for col, g in ((0, True), (1, False)):
        got = score[c["thv"] == g].value_counts().reindex(range(5), fill_value=0).tolist()
        want = [cell["cells"][col].get("count") or 0 for cell in PUB["4.21"]["rows"]]
        assert got == want
    # Table 3.3: violations, incidents during the order, extensions.
    thv = c[c["thv"]]
    assert (thv["order_violated"] == True).sum() == 24  # noqa: E712
    assert thv["violation_kind"].value_counts().to_dict() == {
        "combination": 12, "text_or_internet": 4, "telephone": 3, "face_to_face": 2, "in_dwelling": 1}
    assert (thv["order_extended"] == True).sum() == 48 and (thv["extension_days"] == 18).sum() == 44  # noqa: E712


def test_chapter_5_cross_tables_and_means_from_the_microdata(ch5, fid: pd.DataFrame) -> None:
    checked = 0
    for tid, parts in ch5.items():
        t = PUB[tid]
        if tid in ("5.1", "5.7b", "5.8", "5.24"):
            continue  # laid out differently; checked below
        (part,) = parts
        if isinstance(part[0], np.ndarray):  # two means
            for r, x in enumerate(part):
                cell = t["rows"][r]["cells"][0]
                assert x.mean() == pytest.approx(cell["mean"], rel=0.05), (tid, r)
                assert x.std(ddof=1) == pytest.approx(cell["sd"], rel=0.05), (tid, r)
                assert _cell(fid, tid, r, 0, "mean") == pytest.approx(x.mean(), rel=1e-12)
                checked += 1
        else:
            for r, row in enumerate(part):
                for col, v in enumerate(row):
                    assert abs(v - t["rows"][r]["cells"][col]["count"]) <= 1, (tid, r, col)
                    assert _cell(fid, tid, r, col, "count") == v
                    checked += 1
    # 5.7b: new DV in the cell (columns: not started / started).
    for lv in (0, 1):
        for s in (0, 1):
            v = ch5["5.7b"][lv][s][0]
            assert abs(v - PUB["5.7b"]["rows"][lv]["cells"][s]["count"]) <= 1
            assert _cell(fid, "5.7b", lv, s, "count") == v
    # 5.8: columns thv / control, rows 1-2 / 3-5.
    for g in (0, 1):
        for lv in (0, 1):
            v = ch5["5.8"][0][g][lv]
            assert abs(v - PUB["5.8"]["rows"][lv]["cells"][g]["count"]) <= 1
    # 5.24: rows antecedents / offences, columns new DV / none.
    for r, groups in enumerate(ch5["5.24"]):
        for col, x in enumerate(groups):
            cell = PUB["5.24"]["rows"][r]["cells"][col]
            assert x.mean() == pytest.approx(cell["mean"], rel=0.05)
            assert x.std(ddof=1) == pytest.approx(cell["sd"], rel=0.05)
    assert checked >= 90


def _direction(kind: str, data) -> float:
    if kind == "crosstab":
        (a, b), (c, d) = data[0][:2], data[1][:2]
        return float(np.sign(a / (a + b) - c / (c + d)))
    return float(np.sign(data[0][0] - data[1][0]))


def _agrees(claim, alpha, sided, p_two: float, p_one: float) -> bool | None:
    if claim == "significant":
        return (p_one if sided == "one" else p_two) < (alpha if alpha is not None else 0.10)
    if claim == "not significant":
        return p_two >= 0.10
    return None


def test_chapter_5_verdicts_with_scipy(ch5) -> None:
    """Pearson chi-square without correction and the pooled t-test on the microdata, as the report did."""
    comps = report_comparisons()
    used = {t: 0 for t in ch5}
    verdicts = []
    rust = hv.datasets.regioplan2013_verdicts()
    rust["nth"] = rust.groupby("table").cumcount()
    rust = rust.set_index(["table", "nth"])
    for comp in comps:
        nth = used[comp.table]
        part = ch5[comp.table][used[comp.table]]
        used[comp.table] += 1
        if comp.kind == "crosstab":
            table = np.asarray(part, dtype=float)
            p_two = stats.chi2_contingency(table, correction=False).pvalue
            ours = _direction("crosstab", table) if table.shape == (2, 2) else 0.0
            published = _direction("crosstab", np.asarray(comp.counts, dtype=float)) \
                if np.asarray(comp.counts).shape == (2, 2) else 0.0
        else:
            a, b = part
            p_two = stats.ttest_ind(a, b, equal_var=True).pvalue
            ours = float(np.sign(a.mean() - b.mean()))
            published = _direction("means", comp.means)
        same = published == 0.0 or ours == published
        p_one = p_two / 2 if same else 1 - p_two / 2
        agrees = _agrees(comp.claim, comp.alpha, comp.sided, p_two, p_one)
        verdicts.append((comp.table, agrees))
        # The Rust recomputation of the same comparison.
        r = rust.loc[(comp.table, nth)]
        assert r["p_two_sided"] == pytest.approx(p_two, rel=1e-9, abs=1e-300), (comp.table, comp.label)
        assert bool(r["agrees"]) == agrees, (comp.table, comp.label)
    assert all(used[t] == len(ch5[t]) for t in ch5)
    tables = {t for t, _ in verdicts}
    agreeing = {t for t in tables if all(a for tt, a in verdicts if tt == t)}
    assert len(tables) == 34
    assert len(agreeing) >= 0.9 * len(tables), sorted(tables - agreeing)


def test_summary_counts_the_frame(fid: pd.DataFrame) -> None:
    s = hv.datasets.regioplan2013_fidelity_summary()
    counts = fid[fid["kind"] == "count"]
    d = (counts["cohort"] - counts["published"]).abs()
    assert s["count_cells"] == len(counts)
    assert (s["count_exact"], s["count_off_by_1"], s["count_off"]) == (
        int((d == 0).sum()), int((d == 1).sum()), int((d > 1).sum()))
    assert s["exact_target_met"] == s["exact_target_cells"] == int((counts["target"] == "exact").sum())
    assert s["within_1_target_met"] == s["within_1_target_cells"] == int((counts["target"] == "within_1").sum())
    moments = fid[fid["kind"].isin(["mean", "sd"])]
    assert s["moment_within_5pct"] == s["moment_cells"] == len(moments)
    v = hv.datasets.regioplan2013_verdicts()
    assert s["verdict_comparisons"] == len(v) == 38
    assert s["verdict_comparisons_agree"] == int(v["agrees"].sum())
    assert s["verdict_tables"] == v["table"].nunique() == 34
    assert 10 * s["verdict_tables_agree"] >= 9 * s["verdict_tables"]


def test_the_cohort_is_valid_and_deterministic(cohort: hv.Cohort, tmp_path) -> None:
    cohort.to_csv(tmp_path)
    back = hv.Cohort.from_csv(tmp_path)  # every validation rule runs on the files
    assert back == cohort
    assert back.warnings == []
    from huisverbod import _core

    assert hv.Cohort(_core.regioplan2013()) == cohort  # a fresh build is the same cohort
    assert hv.datasets.regioplan2013() is cohort  # cached per process


def test_fidelity_of_another_cohort() -> None:
    f = hv.datasets.regioplan2013_fidelity(hv.datasets.example())
    assert len(f) == len(hv.datasets.regioplan2013_fidelity())
    assert not f["met"].dropna().all()
    with pytest.raises(TypeError, match="Cohort"):
        hv.datasets.regioplan2013_fidelity("not a cohort")  # type: ignore[arg-type]


@pytest.mark.parametrize("module", ["huisverbod.datasets"])
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0



# ---------------------------------------------------------------- Bijlage 5

B5_SETS = {
    "perpetrator": ["age", "female", "started_help", "accepted_help", "cooperation_sufficient", "alcohol_signals",
                    "problem_areas"],
    "victim": ["age", "accepted_help", "cooperation_sufficient", "problem_areas"],
    "case": ["case_consultation", "order_violated", "incidents_during_order", "order_extended", "minor_children",
             "weapon", "system_after_yes", "criminal_trajectory", "household_changed"],
}
B5_TABLES = {"B5.1": ("logit", "perpetrator"), "B5.2": ("ols", "perpetrator"), "B5.3": ("logit", "victim"),
             "B5.4": ("ols", "victim"), "B5.5": ("logit", "case"), "B5.6": ("ols", "case")}


def _b5_statsmodels(data: pd.DataFrame) -> list[dict]:
    """The six models fitted with statsmodels on the analysis file, one row per printed characteristic.

    Listwise deletion over each model's columns; a 0/1 characteristic with
    fewer than 2 cases in its smaller category (or a constant one) is left
    out, as the report left sex out of B5.1. The printed direction is read
    from the report's "Resultaat" text: "uitblijven"/"minder" is a negative
    association with new incidents, "opnieuw"/"meer" a positive one.
    """
    import warnings

    import statsmodels.api as sm

    out = []
    for tid, (kind, who) in B5_TABLES.items():
        outcome = "any_new" if kind == "logit" else "n_new"
        cols = [f"{who}_{v}" for v in B5_SETS[who]]
        frame = data[[outcome, *cols]].dropna()
        keep = [c for c in cols if frame[c].nunique() > 1 and not (
            set(frame[c].unique()) <= {0.0, 1.0} and min((frame[c] == 0).sum(), (frame[c] == 1).sum()) < 2)]
        X = sm.add_constant(frame[keep], has_constant="add")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = (sm.Logit(frame[outcome], X).fit(disp=0, method="newton", maxiter=100) if kind == "logit"
                   else sm.OLS(frame[outcome], X).fit())
        for row, c in zip(PUB[tid]["rows"], cols, strict=True):
            p_pub = row["cells"][1].get("p")
            if p_pub is None:
                continue
            sig_pub = bool(row["cells"][2]["significant"])
            text = row["cells"][0]["text"]
            direction = 0 if not sig_pub else (-1 if ("uitblijven" in text or "minder" in text) else 1)
            b = fit.params.get(c, np.nan)
            p = fit.pvalues.get(c, np.nan)
            agrees = bool(np.isfinite(p) and (p < 0.10) == sig_pub and (direction == 0 or direction * b > 0))
            out.append({"table": tid, "column": c, "coef": b, "p": p, "p_pub": p_pub, "agrees": agrees})
    return out


def test_bijlage5_design_in_rust_equals_bijlage5_data(cohort) -> None:
    # The replication search fits the Bijlage 5 models on an analysis file it
    # builds in Rust; it must be hv.models.bijlage5_data, cell for cell.
    from huisverbod import _core

    ids, columns, values = _core.regioplan2013_bijlage5_design(cohort._inner)
    rust = pd.DataFrame(np.asarray(values, dtype=float).reshape(len(ids), len(columns)),
                        index=pd.Index(ids, name="case_id"), columns=columns)
    py = hv.models.bijlage5_data(cohort)
    assert list(rust.columns) == list(py.columns)
    assert list(rust.index) == list(py.index)
    pd.testing.assert_frame_equal(rust, py.astype(float), check_exact=True)


def test_bijlage5_verdicts_with_statsmodels(cohort) -> None:
    rows = _b5_statsmodels(hv.models.bijlage5_data(cohort))
    assert len(rows) == 38
    agree = sum(r["agrees"] for r in rows)
    # Reached by the replication search (docs/replication.md, "Bijlage 5"):
    # 35 of 38; not reached: starting help in B5.2, the victim accepting help
    # and cooperating in B5.3. Without the Bijlage 5 phase: 25.
    assert agree >= 35, [r for r in rows if not r["agrees"]]
    s = hv.datasets.regioplan2013_fidelity_summary()
    assert (s["bijlage5_verdicts"], s["bijlage5_verdicts_agree"]) == (38, agree)
    # The fidelity's p-values are those of statsmodels.
    native = hv.datasets._fidelity(None)["bijlage5"]
    assert len(native) == 38
    for r, n in zip(rows, native, strict=True):
        assert (n["table"], n["column"]) == (r["table"], r["column"])
        assert n["pvalue"] == pytest.approx(r["p"], rel=1e-6), r
        assert n["coef"] == pytest.approx(r["coef"], rel=1e-6, abs=1e-9), r
        assert n["agrees"] == r["agrees"]
        assert n["published_p"] == r["p_pub"]
