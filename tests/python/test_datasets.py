"""Shipped and generated cohorts."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import huisverbod as hv


def test_example_is_the_shipped_cohort() -> None:
    assert hv.datasets.example() == hv.Cohort.from_csv(hv.example_data_dir())


def test_synthetic_round_trips_through_validation(tmp_path) -> None:
    c = hv.datasets.synthetic(5_000, seed=3)
    c.to_csv(tmp_path)
    back = hv.Cohort.from_csv(tmp_path)  # every validation rule runs on the generated data
    assert back == c
    assert back.warnings == []


def _digest(threads: int) -> str:
    code = (
        "import hashlib, huisverbod as hv, tempfile, pathlib\n"
        "c = hv.datasets.synthetic(30_000, seed=9)\n"
        "d = tempfile.mkdtemp(); c.to_csv(d)\n"
        "h = hashlib.sha256()\n"
        "for f in ('cases.csv', 'persons.csv', 'incidents.csv'):\n"
        "    h.update(pathlib.Path(d, f).read_bytes())\n"
        "print(h.hexdigest())\n"
    )
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_synthetic_is_identical_whatever_the_thread_count() -> None:
    assert _digest(1) == _digest(2)


def test_synthetic_reflects_the_latent_model() -> None:
    # The model lowers the hazard in thv cases (x0.75) and after a full start of help (x0.6):
    # police-registered recidivism must be lower in the thv group, by a clear margin at this size.
    c = hv.datasets.synthetic(100_000, seed=5)
    t = c.recidivism(sources=["police"]).by_group()
    assert t.loc["thv", "pct_with_new"] < t.loc["control", "pct_with_new"] - 5
    rec = c.recidivism()
    # Censoring: some incidents lie after followup_end and are not counted.
    _, _, inc = c.to_frames()
    cases = c.to_frames().cases.set_index("case_id")
    late = (inc["date"].to_numpy() > cases.loc[inc["case_id"], "followup_end"].to_numpy()).sum()
    assert late > 0
    assert np.all(rec.time[~rec.event] > 0)


@pytest.mark.parametrize("bad", [0, -1])
def test_synthetic_rejects_bad_sizes(bad: int) -> None:
    with pytest.raises(ValueError, match="n_cases"):
        hv.datasets.synthetic(bad)


def test_synthetic_rejects_non_integers() -> None:
    with pytest.raises(TypeError):
        hv.datasets.synthetic(10.5)  # type: ignore[arg-type]
