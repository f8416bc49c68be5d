"""Type stubs for the native module ``huisverbod._core`` (built from src/python/)."""

from os import PathLike
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__version__: str

_Table = Literal["cases", "persons", "incidents"]

def schema(table: _Table) -> list[dict[str, Any]]:
    """The schema of a table: one dict per column (name, kind, required, range, only_for, levels, doc)."""

class Cohort:
    """Native cohort. Use :class:`huisverbod.Cohort`, which wraps it."""

    @staticmethod
    def read_csv_dir(path: str | PathLike[str]) -> Cohort: ...
    @staticmethod
    def read_csv_files(
        cases: str | PathLike[str], persons: str | PathLike[str], incidents: str | PathLike[str]
    ) -> Cohort: ...
    @staticmethod
    def from_columns(
        cases: list[tuple[str, str, Any]],
        persons: list[tuple[str, str, Any]],
        incidents: list[tuple[str, str, Any]],
    ) -> Cohort: ...
    @property
    def n_cases(self) -> int: ...
    @property
    def n_persons(self) -> int: ...
    @property
    def n_incident_rows(self) -> int: ...
    def heap_bytes(self) -> int: ...
    def column_names(self, table: _Table) -> list[str]: ...
    def column(self, table: _Table, name: str) -> tuple[str, Any, Any]: ...
    def group_codes(self) -> npt.NDArray[np.int8]: ...
    def warnings(self) -> list[dict[str, Any]]: ...
    def to_csv(self, dir: str | PathLike[str]) -> None: ...
    def filter_cases(self, keep: npt.NDArray[np.bool_]) -> Cohort: ...
    def recidivism(
        self, sources: list[str] | None = None, window_days: int | None = None
    ) -> Recidivism: ...
    def derived(self, name: str) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]: ...
    def __eq__(self, other: object) -> bool: ...

class Recidivism:
    """Native recidivism measures. Use :class:`huisverbod.Recidivism`."""

    def arrays(self) -> dict[str, npt.NDArray[Any]]: ...
    def by_group(self) -> list[dict[str, Any]]: ...
    @property
    def sources(self) -> list[str] | None: ...
    @property
    def window_days(self) -> int | None: ...

# ---------------------------------------------------------------- statistics
# Native statistics functions; hv.stats wraps them. One section per family.

# --- stats: contingency ---

# --- end stats: contingency ---

# --- stats: proportions ---

# --- end stats: proportions ---

# --- stats: means ---

# --- end stats: means ---

# --- stats: multiple ---

# --- end stats: multiple ---

# --- stats: resampling ---
def permutation_test(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    statistic: str = "mean_difference",
    alternative: str = "two-sided",
    n_resamples: int = 9999,
    seed: int = 0,
    return_null: bool = False,
    threads: int | None = None,
) -> dict[str, Any]:
    """Two-sample permutation test; keys statistic, pvalue, df, alternative, method,
    n_resamples, exact, seed, null_distribution."""

def bootstrap(
    samples: list[npt.NDArray[np.float64]],
    statistic: str,
    method: str = "bca",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    n_resamples: int = 9999,
    seed: int = 0,
    threads: int | None = None,
) -> dict[str, Any]:
    """Bootstrap of a named statistic; keys statistic, low, high, confidence_level, method,
    alternative, levels, z0, acceleration, standard_error, bootstrap_distribution,
    n_resamples, seed."""

def bootstrap_indices(
    sizes: list[int], start: int, count: int, seed: int = 0, threads: int | None = None
) -> npt.NDArray[np.uint64]:
    """Indices of resamples start..start+count, shape (count, sum(sizes))."""

def bootstrap_interval(
    distribution: npt.NDArray[np.float64],
    observed: float,
    jackknife: list[npt.NDArray[np.float64]],
    method: str = "bca",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
) -> dict[str, Any]:
    """Interval from a bootstrap distribution; keys low, high, confidence_level, method,
    alternative, levels, z0, acceleration, standard_error."""

# --- end stats: resampling ---

# --- stats: power ---
def power_two_proportions(
    p1: float,
    p2: float | None,
    n1: float | None,
    ratio: float = 1.0,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    method: str = "arcsine",
) -> dict[str, Any]:
    """Keys p1, p2, p2_above, n1, n2, effect_size, alpha, power, alternative, method, solved_for."""

def power_two_means(
    effect_size: float | None,
    n1: float | None,
    ratio: float = 1.0,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> dict[str, Any]:
    """Keys effect_size, n1, n2, df, alpha, power, alternative, solved_for."""

def power_logrank(
    hazard_ratio: float | None,
    events: float | None,
    allocation: float = 0.5,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> dict[str, Any]:
    """Keys hazard_ratio, events, allocation, alpha, power, alternative, solved_for."""

def nct_tails(t: float, df: float, nc: float) -> tuple[float, float]:
    """(P(T <= t), P(T > t)) of the noncentral t distribution."""

# --- end stats: power ---
