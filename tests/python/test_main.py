"""The main job: huisverbod report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import huisverbod as hv
from huisverbod.__main__ import main

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "invalid"


def test_report_on_example_data(tmp_path, capsys) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--data", str(hv.example_data_dir()), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Table 5.1" in page and "data:image/png;base64," in page
    assert "http://" not in page and "https://" not in page  # self-contained
    # Aggregates only: no identifier of a person or case appears.
    for ident in ("T01-P", "C03-K1", ">T02<"):
        assert ident not in page
    printed = capsys.readouterr().out
    assert "report written to" in printed


def test_report_in_dutch(tmp_path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--data", str(hv.example_data_dir()), "--out", str(out), "--lang", "nl"]) == 0
    assert "tabel 5.1" in out.read_text(encoding="utf-8")


def test_invalid_data_prints_problems_and_writes_nothing(tmp_path, capsys) -> None:
    out = tmp_path / "r.html"
    code = main(["report", "--data", str(FIXTURES / "unknown_group"), "--out", str(out)])
    assert code == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "cases.csv, row 2, column 'group', value 'huisverbod'" in err


def test_missing_folder_is_one_line(tmp_path, capsys) -> None:
    code = main(["report", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "r.html")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such folder" in err


def test_missing_file_in_folder(tmp_path, capsys) -> None:
    shutil.copytree(hv.example_data_dir(), tmp_path / "d")
    (tmp_path / "d" / "incidents.csv").unlink()
    code = main(["report", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "r.html")])
    assert code == 2
    assert "incidents.csv" in capsys.readouterr().err


def test_default_runs_on_the_embedded_cohort(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert (tmp_path / "report.html").exists()


def test_bad_language_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["report", "--lang", "fr"])


def test_report_shows_bijlage5_on_the_replication_cohort() -> None:
    """The Bijlage 5 section fits the six models; one p-value in the page is
    recomputed here with statsmodels on the same analysis file."""
    import numpy as np
    import statsmodels.api as sm

    from huisverbod.report import build_report

    cohort = hv.datasets.regioplan2013()
    page = build_report(cohort, source="replication").to_html()
    assert "Bijlage 5" in page and "B5.1" in page and "B5.6" in page
    data = hv.models.bijlage5_data(cohort)
    # The section is built from hv.models.bijlage5; check that path against
    # statsmodels on the full B5.6 design (linear model, listwise deletion).
    res = hv.models.bijlage5(cohort)
    fit = res.fits["B5.6"]
    names = [n for n in fit.params.index if n != "Intercept" and n != "const"]
    X = data[names].astype(float)
    keep = X.notna().all(axis=1) & data["n_new"].notna()
    ref = sm.OLS(data.loc[keep, "n_new"].to_numpy(), sm.add_constant(X[keep].to_numpy())).fit()
    np.testing.assert_allclose(fit.pvalues[names].to_numpy(), ref.pvalues[1:], rtol=1e-8)


def test_report_without_estimable_bijlage5_says_so(tmp_path) -> None:
    from huisverbod.report import build_report

    page = build_report(hv.datasets.example(), source="example").to_html()
    assert "Not estimable on this cohort" in page
