"""The bad-input matrix from Python: the same fixtures as tests/validation.rs.

Each directory under tests/data/invalid/ holds three CSV files and an
expected.json (format: tests/data/invalid/README.md). From Python a refused
cohort must raise hv.ValidationError (a ValueError) carrying every expected
problem; a cohort that loads with warnings must emit hv.ValidationWarning and
keep them on ``cohort.warnings``.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest

import huisverbod as hv

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "invalid"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").exists())


def _matches(got: dict, want: dict) -> bool:
    if got["severity"] != want["severity"] or got["rule"] != want["rule"]:
        return False
    if not str(got["file"]).endswith(want["file"]):
        return False
    return all(got[k] == want[k] for k in ("row", "column", "value") if k in want)


def _check_problems(got: list[dict], expected: dict, severity: str) -> None:
    wanted = [w for w in expected["problems"] if w["severity"] == severity]
    for w in wanted:
        assert any(_matches(g, w) for g in got), f"expected {w}\ngot {got}"
    if expected.get("exhaustive"):
        mine = [g for g in got if g["severity"] == severity]
        assert len(mine) == len(wanted), f"unexpected extra problems: {mine}"


def _cell_text(cohort: hv.Cohort, table: str, column: str, index: int, tmp_path: Path) -> str:
    cohort.to_csv(tmp_path)
    with open(tmp_path / f"{table}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[index][column]


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name: str, tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / name / "expected.json").read_text(encoding="utf-8"))
    if expected["loads"]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cohort = hv.Cohort.from_csv(FIXTURES / name)
        expected_warnings = [w for w in expected["problems"] if w["severity"] == "warning"]
        assert bool(caught) == bool(expected_warnings), [str(w.message) for w in caught]
        assert all(issubclass(w.category, hv.ValidationWarning) for w in caught)
        _check_problems(cohort.warnings, expected, "warning")
        for check in expected.get("checks", []):
            got = _cell_text(cohort, check["table"], check["column"], check["index"], tmp_path)
            assert got == check["value"], check
    else:
        with pytest.raises(hv.ValidationError) as info:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", hv.ValidationWarning)
                hv.Cohort.from_csv(FIXTURES / name)
        err = info.value
        assert isinstance(err, ValueError) and isinstance(err, hv.HuisverbodError)
        _check_problems(err.problems, expected, "error")
        first = next(p for p in err.problems if p["severity"] == "error")
        message = str(err)
        assert first["file"] in message
        if first["row"] is not None:
            assert f"row {first['row']}" in message


def test_message_lists_the_first_few_and_counts_the_rest() -> None:
    cases = "case_id,group,incident_date,followup_end\n" + "".join(
        f"c{i},groep{i},2011-01-01,2012-01-01\n" for i in range(12)
    )
    empty_p = "person_id,case_id,role\n"
    empty_i = "incident_id,case_id,date,source\n"
    with pytest.raises(hv.ValidationError) as info:
        hv.Cohort._from_native(
            hv._core.Cohort.from_columns(
                [("case_id", "text", [f"c{i}" for i in range(2)]), ("group", "text", ["x", "y"]),
                 ("incident_date", "text", ["2011-01-01"] * 2), ("followup_end", "text", ["2012-01-01"] * 2)],
                [("person_id", "text", []), ("case_id", "text", []), ("role", "text", [])],
                [("incident_id", "text", []), ("case_id", "text", []), ("date", "text", []), ("source", "text", [])],
            )
        )
    assert len(info.value.problems) == 2
    # Through files: 12 problems, 5 shown, the rest counted.
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for fname, text in (("cases.csv", cases), ("persons.csv", empty_p), ("incidents.csv", empty_i)):
            (Path(d) / fname).write_text(text, encoding="utf-8")
        with pytest.raises(hv.ValidationError) as info:
            hv.Cohort.from_csv(d)
    msg = str(info.value)
    assert msg.startswith("12 problems in the input data")
    assert "row 2" in msg and "row 6" in msg and "row 7" not in msg
    assert "and 7 more" in msg
    assert "allowed: thv, control" in msg
    assert len(info.value.problems) == 12
    frame = info.value.problems_frame()
    assert list(frame["row"]) == list(range(2, 14))


def test_group_only_fields_warn() -> None:
    with pytest.warns(hv.ValidationWarning, match="order_violated"):
        c = hv.Cohort.from_csv(FIXTURES / "thv_field_on_control")
    assert c.warnings[0]["rule"] == "group_only_field"


def test_no_partial_cohort_on_error() -> None:
    # The exception is the only outcome: nothing half-built is returned or cached.
    with pytest.raises(hv.ValidationError):
        hv.Cohort.from_csv(FIXTURES / "multiple_problems")


def test_wrong_types_from_python_are_clear() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        hv.Cohort.from_frames(cases={"case_id": [1]}, persons=None, incidents=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hv.Cohort(object())  # type: ignore[arg-type]
    _ = io  # keep the import used for readers of this module
