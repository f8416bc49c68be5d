"""Documentation that is generated or executed."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
from pathlib import Path

import pytest

import huisverbod as hv

ROOT = Path(__file__).resolve().parents[2]


def test_schema_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_schema_doc", ROOT / "scripts" / "gen_schema_doc.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    current = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == mod.render(), "docs/schema.md is stale: run scripts/gen_schema_doc.py"


@pytest.mark.parametrize(
    "module",
    ["huisverbod", "huisverbod._cohort", "huisverbod.exceptions"],
)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_stub_lists_every_native_method() -> None:
    stub = (ROOT / "python" / "huisverbod" / "_core.pyi").read_text(encoding="utf-8")
    for cls in (hv._core.Cohort, hv._core.Recidivism):
        for name in dir(cls):
            if not name.startswith("_"):
                assert f"def {name}(" in stub, f"{cls.__name__}.{name} missing from _core.pyi"


def test_verdicts_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_verdicts_doc", ROOT / "scripts" / "gen_verdicts_doc.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    current = (ROOT / "docs" / "report_verdicts.md").read_text(encoding="utf-8")
    assert current == mod.render(), "docs/report_verdicts.md is stale: run scripts/gen_verdicts_doc.py"


def test_stub_lists_every_native_function() -> None:
    stub = (ROOT / "python" / "huisverbod" / "_core.pyi").read_text(encoding="utf-8")
    missing = [
        name
        for name in dir(hv._core)
        if not name.startswith("_")
        and callable(getattr(hv._core, name))
        and f"def {name}(" not in stub
        and f"class {name}" not in stub
    ]
    assert missing == [], f"missing from _core.pyi: {missing}"
