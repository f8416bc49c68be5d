"""Cohort ingestion, round trips, measures and derived variables.

Reference values are computed independently in pandas from the raw tables
(not from huisverbod's own output), or worked out by hand in a comment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import huisverbod as hv


@pytest.fixture(scope="module")
def example() -> hv.Cohort:
    return hv.Cohort.from_csv(hv.example_data_dir())


def test_repr_and_counts(example: hv.Cohort) -> None:
    assert repr(example) == "Cohort(10 cases: 5 thv, 5 control; 25 persons; 12 incident rows)"
    assert len(example) == 10
    html = example._repr_html_()
    assert "persons" in html and "T01" not in html  # aggregates only, no person rows


def test_csv_round_trip(example: hv.Cohort, tmp_path) -> None:
    example.to_csv(tmp_path)
    back = hv.Cohort.from_csv(tmp_path)
    assert back == example
    # Also through the cases file path with its siblings.
    assert hv.Cohort.from_csv(tmp_path / "cases.csv") == example


def test_frames_round_trip_and_dtypes(example: hv.Cohort) -> None:
    cases, persons, incidents = example.to_frames()
    assert str(cases["threat"].dtype) == "boolean"
    assert str(persons["age"].dtype) == "Int64"
    assert isinstance(cases["group"].dtype, pd.CategoricalDtype)
    assert list(cases["group"].cat.categories) == ["thv", "control"]
    assert pd.api.types.is_datetime64_dtype(cases["incident_date"])
    # Unknown stays unknown: T05's physical is empty in the CSV.
    t05 = cases.set_index("case_id").loc["T05"]
    assert pd.isna(t05["physical"])
    back = hv.Cohort.from_frames(cases, persons, incidents)
    assert back == example


def test_frames_accept_loose_dtypes() -> None:
    # Integer ids, 0/1 and Dutch booleans, date strings: all read as the schema says.
    cases = pd.DataFrame(
        {
            "case_id": [1, 2],
            "group": ["THV", "control"],
            "incident_date": ["2011-01-01", "2011-02-01"],
            "followup_end": pd.to_datetime(["2012-01-01", "2012-01-01"]),
            "threat": ["ja", None],
            "weapon": [1.0, np.nan],
        }
    )
    persons = pd.DataFrame({"person_id": ["p1"], "case_id": [1], "role": ["perpetrator"], "age": [40.0]})
    incidents = pd.DataFrame(
        {"incident_id": ["i1"], "case_id": ["2"], "date": [pd.Timestamp("2011-03-01")], "source": ["police"]}
    )
    c = hv.Cohort.from_frames(cases, persons, incidents)
    f = c.to_frames()
    assert f.cases["case_id"].tolist() == ["1", "2"]
    assert f.cases["threat"].tolist() == [True, pd.NA]
    assert f.cases["weapon"].tolist() == [True, pd.NA]
    rec = c.recidivism()
    # case 2: 2011-02-01 -> 2011-03-01 = 28 days.
    assert rec.days_to_first[1] == 28.0


def test_from_frames_problems_carry_index_labels() -> None:
    cases = pd.DataFrame(
        {
            "case_id": ["a", "b"],
            "group": ["thv", "huisverbod"],
            "incident_date": ["2011-01-01", "2011-01-01"],
            "followup_end": ["2012-01-01", "2012-01-01"],
        },
        index=[10, 20],
    )
    persons = pd.DataFrame({"person_id": ["p"], "case_id": ["zz"], "role": ["victim"]})
    incidents = pd.DataFrame(columns=["incident_id", "case_id", "date", "source"])
    with pytest.raises(hv.ValidationError) as info:
        hv.Cohort.from_frames(cases, persons, incidents)
    probs = {p["rule"]: p for p in info.value.problems}
    assert probs["unknown_category"]["file"] == "cases (DataFrame)"
    assert probs["unknown_category"]["row"] == 1 and probs["unknown_category"]["index"] == 20
    assert probs["unknown_category"]["value"] == "huisverbod"
    assert probs["unknown_case"]["file"] == "persons (DataFrame)"
    assert isinstance(info.value, ValueError)
    frame = info.value.problems_frame()
    assert set(frame["rule"]) == {"unknown_category", "unknown_case"}


def _reference_measures(cohort: hv.Cohort, sources, window_days=None) -> pd.DataFrame:
    """Recidivism measures computed directly in pandas from the tables."""
    cases, _, inc = cohort.to_frames()
    cases = cases.set_index("case_id")
    end = cases["followup_end"]
    if window_days is not None:
        end = np.minimum(end, cases["incident_date"] + pd.Timedelta(days=window_days))
    inc = inc.copy()
    if sources is not None:
        inc = inc[inc["source"].isin(sources)]
    inc["start"] = cases.loc[inc["case_id"], "incident_date"].to_numpy()
    inc["end"] = end.loc[inc["case_id"]].to_numpy()
    inc = inc[(inc["date"] > inc["start"]) & (inc["date"] <= inc["end"])]
    first = inc.groupby(["case_id", "incident_id"])["date"].min().reset_index()
    per = first.groupby("case_id").agg(count=("incident_id", "size"), first=("date", "min"))
    out = pd.DataFrame(index=cases.index)
    out["count"] = per["count"].reindex(out.index).fillna(0).astype(int)
    out["any"] = out["count"] > 0
    out["days_to_first"] = (per["first"].reindex(out.index) - cases["incident_date"]).dt.days
    out["time"] = out["days_to_first"].fillna((end - cases["incident_date"]).dt.days)
    return out


@pytest.mark.parametrize("sources", [None, ["police"], ["shg", "bjz_amk"]])
@pytest.mark.parametrize("window_days", [None, 100, 365])
def test_measures_match_pandas(example: hv.Cohort, sources, window_days) -> None:
    rec = example.recidivism(sources=sources, window_days=window_days)
    ref = _reference_measures(example, sources, window_days)
    got = rec.to_frame()
    assert got.index.tolist() == ref.index.tolist()
    np.testing.assert_array_equal(got["count"], ref["count"])
    np.testing.assert_array_equal(got["any"], ref["any"])
    np.testing.assert_array_equal(got["event"], ref["any"])
    np.testing.assert_array_equal(got["days_to_first"], ref["days_to_first"].astype(float))
    np.testing.assert_array_equal(got["time"], ref["time"].astype(float))


def test_by_group_matches_pandas(example: hv.Cohort) -> None:
    rec = example.recidivism(sources=["police"])
    df = rec.to_frame()
    table = rec.by_group()
    for g in ["thv", "control"]:
        sub = df[df["group"] == g]
        hit = sub[sub["any"]]
        row = table.loc[g]
        assert row["n"] == len(sub)
        assert row["n_with_new"] == len(hit)
        assert row["pct_with_new"] == pytest.approx(100 * len(hit) / len(sub), rel=1e-12)
        assert row["mean_count"] == pytest.approx(hit["count"].mean(), rel=1e-12)
        assert row["sd_count"] == pytest.approx(hit["count"].std(ddof=1), rel=1e-12, abs=1e-12)
        assert row["mean_days_to_first"] == pytest.approx(hit["days_to_first"].mean(), rel=1e-12)
        assert row["sd_days_to_first"] == pytest.approx(hit["days_to_first"].std(ddof=1), rel=1e-12)
    # By hand (tests/measures.rs): thv 2 of 5 with mean 102 days; control 3 of 5.
    assert table["n_with_new"].tolist() == [2, 3]
    assert table.loc["thv", "mean_days_to_first"] == 102.0


def test_recidivism_arguments_are_checked(example: hv.Cohort) -> None:
    with pytest.raises(ValueError, match="unknown source"):
        example.recidivism(sources=["politie"])
    with pytest.raises(ValueError, match="window_days"):
        example.recidivism(window_days=0)
    with pytest.raises(ValueError, match="window_days"):
        example.recidivism(window_days=1.5)
    with pytest.raises(ValueError, match="sources"):
        example.recidivism(sources=[])


def test_derived_variables_match_formulas(example: hv.Cohort) -> None:
    cases, persons, _ = example.to_frames()
    p = persons.set_index("person_id")
    c = cases.set_index("case_id")
    coop = example.cooperation_sufficient()
    expected = p["cooperation"].map(lambda v: pd.NA if pd.isna(v) else v >= 4).astype("boolean")
    pd.testing.assert_series_equal(coop, expected, check_names=False)

    areas = p[
        [
            "problem_relational",
            "problem_work_housing_social",
            "problem_psychological",
            "problem_addiction",
            "problem_family_of_origin",
        ]
    ]
    count = areas.astype("Int64").sum(axis=1, skipna=False)
    pd.testing.assert_series_equal(example.problem_area_count(), count.astype("Int64"), check_names=False)

    score = (
        (c["case_consultations"] > 0).astype("Int64")
        + c["plan_of_approach"].astype("Int64")
        + c["system_conversation"].astype("Int64")
        + c["system_after"].map(lambda v: pd.NA if pd.isna(v) else int(v == "yes")).astype("Int64")
    )
    pd.testing.assert_series_equal(example.system_approach_score(), score, check_names=False)
    sufficient = example.system_approach_sufficient()
    assert sufficient.loc["T01"] and not sufficient.loc["T02"] and pd.isna(sufficient.loc["T05"])
    prio = example.priority_highest()
    pd.testing.assert_series_equal(
        prio, (c["enforcement_priority"] == 4).astype("boolean"), check_names=False
    )
    fc = example.first_contact_within_24h()
    assert fc.loc["T04-P"]  # exactly 24 hours counts as within
    assert not fc.loc["T02-P"]


def test_filter_like_the_report_robustness_check(example: hv.Cohort) -> None:
    _, persons, _ = example.to_frames()
    female_perp = set(persons.loc[(persons["role"] == "perpetrator") & (persons["sex"] == "f"), "case_id"])
    keep = ~example.case_ids.isin(female_perp)
    sub = example.filter(keep)
    assert sub.n_cases == 10 - len(female_perp)
    assert set(sub.case_ids) == set(example.case_ids) - female_perp
    with pytest.raises(ValueError, match="shape"):
        example.filter(np.ones(3, dtype=bool))


def test_schema_lists_every_column(example: hv.Cohort) -> None:
    s = hv.schema("persons")
    cases, persons, incidents = example.to_frames()
    assert list(s.index) == list(persons.columns)
    assert s.loc["cooperation", "range"] == (1.0, 5.0)
    assert hv.schema("cases").loc["order_violated", "only_for"] == "thv"


def test_random_cohorts_against_pandas() -> None:
    """Seeded random cohorts with duplicate registrations across sources and censoring."""
    rng = np.random.default_rng(20130101)
    for _ in range(5):
        n = int(rng.integers(1, 60))
        start = pd.Timestamp("2011-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
        end = start + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
        cases = pd.DataFrame(
            {
                "case_id": [f"c{i}" for i in range(n)],
                "group": rng.choice(["thv", "control"], n),
                "incident_date": start,
                "followup_end": end,
            }
        )
        rows = []
        for i in range(n):
            for k in range(int(rng.poisson(1.5))):
                d = start[i] + pd.Timedelta(days=int(rng.integers(1, 800)))
                for s in rng.choice(["police", "shg", "bjz_amk"], int(rng.integers(1, 4)), replace=False):
                    rows.append((f"i{i}_{k}", f"c{i}", d + pd.Timedelta(days=int(rng.integers(0, 3))), s))
        incidents = pd.DataFrame(rows, columns=["incident_id", "case_id", "date", "source"])
        persons = pd.DataFrame(columns=["person_id", "case_id", "role"])
        c = hv.Cohort.from_frames(cases, persons, incidents)
        for sources, window in [(None, None), (["police"], 200)]:
            got = c.recidivism(sources=sources, window_days=window).to_frame()
            ref = _reference_measures(c, sources, window)
            np.testing.assert_array_equal(got["count"], ref["count"])
            np.testing.assert_array_equal(got["days_to_first"], ref["days_to_first"].astype(float))
            np.testing.assert_array_equal(got["time"], ref["time"].astype(float))
