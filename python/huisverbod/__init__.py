"""huisverbod: evaluating restraining orders for domestic violence.

A Rust-backed library after the 2013 effect evaluation of the Dutch
Temporary Restraining Order Act (Wet tijdelijk huisverbod, Regioplan 2013):
a validated cohort model of cases, persons and new incidents, and the
report's recidivism measures.

Examples
--------
>>> import huisverbod as hv
>>> cohort = hv.Cohort.from_csv(hv.example_data_dir())
>>> cohort.recidivism(sources=["police"]).by_group()["n"].tolist()
[5, 5]
"""

from __future__ import annotations

from pathlib import Path

from . import _core
from . import datasets, models, stats, survival
from . import causal
from .models import logit, negbin, ols, poisson
from ._cohort import Cohort, CohortFrames, Recidivism, schema
from .exceptions import HuisverbodError, ValidationError, ValidationWarning

__version__: str = _core.__version__

__all__ = [
    "Cohort",
    "CohortFrames",
    "HuisverbodError",
    "Recidivism",
    "ValidationError",
    "ValidationWarning",
    "__version__",
    "causal",
    "datasets",
    "example_data_dir",
    "logit",
    "models",
    "negbin",
    "ols",
    "poisson",
    "published_tables",
    "schema",
    "stats",
    "survival",
]


def example_data_dir() -> Path:
    """The directory of the small hand-made example cohort shipped with the package.

    Ten cases (five thv, five control) with their persons and new incidents,
    made up for documentation and tests: no real person's data.
    """
    return Path(__file__).parent / "data" / "example"


def published_tables() -> dict:
    """The tables published in the Regioplan 2013 report, as a dict by table id.

    Each table has ``title_nl``/``title_en``, ``columns`` (with their n),
    ``rows`` of ``cells`` (``count``, ``pct``, ``mean``, ``sd``, ``text``) and
    the printed ``significance`` claim. Published aggregates only; see
    ``huisverbod/data/README.md`` for the provenance.

    Examples
    --------
    >>> import huisverbod as hv
    >>> t = hv.published_tables()["5.1"]
    >>> [c["count"] for c in t["rows"][0]["cells"]]
    [22, 31]
    """
    import json

    path = Path(__file__).parent / "data" / "regioplan2013_tables.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {t["id"]: t for t in data["tables"]}
