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

def chi2_test(
    table: npt.NDArray[np.float64],
    correction: bool = False,
    lambda_: float | str | None = None,
    row_scores: list[float] | None = None,
    col_scores: list[float] | None = None,
) -> dict[str, Any]:
    """Chi-square tests of an r×c table: dicts main, pearson, yates (or None),
    likelihood_ratio, linear_by_linear; fisher (2×2: (two-sided, one-sided) or None);
    expected (ndarray), n, phi, cramers_v, small_expected, n_small_expected, min_expected."""

def fisher_exact(
    table: npt.NDArray[np.float64],
    alternative: str = "two-sided",
    method: str = "auto",
    n_resamples: int = 10000,
    seed: int = 0,
    max_tables: float = 1e8,
    confidence_level: float = 0.95,
) -> dict[str, Any]:
    """Fisher's exact test: statistic, pvalue, alternative, method, table_probability,
    pvalues_one_sided, conditional_odds_ratio, confidence_interval, n_tables,
    n_resamples, standard_error, seed (None where not applicable)."""

def fisher_odds_ratio_ci(
    a: int, b: int, c: int, d: int, confidence_level: float = 0.95, alternative: str = "two-sided"
) -> tuple[float, float]:
    """Exact conditional interval of the odds ratio of [[a, b], [c, d]] (R's fisher.test)."""

# --- end stats: contingency ---

# --- stats: proportions ---

def proportion_ci(
    count: float, nobs: float, method: str = "wilson", confidence_level: float = 0.95
) -> tuple[float, float]:
    """Interval for count/nobs: wilson, clopper-pearson (exact, beta), agresti-coull, jeffreys, normal (wald)."""

def two_proportions(
    x1: float,
    n1: float,
    x2: float,
    n2: float,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> dict[str, Any]:
    """Two proportions: p1, p2; difference, risk_ratio, odds_ratio, odds_ratio_exact
    (dicts estimate, ci, method); ztest and chi2 (result dicts)."""

# --- end stats: proportions ---

# --- stats: means ---

def means_ttest_ind(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    equal_var: bool,
    alternative: str,
    confidence_level: float,
) -> dict[str, Any]:
    """Student's/Welch's t-test: statistic, pvalue, df, alternative, method, estimate, std_error, equal_var, ci."""

def means_ttest_from_stats(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    equal_var: bool,
    alternative: str,
    confidence_level: float,
) -> dict[str, Any]:
    """The t-test from means, sds (n - 1) and sizes; keys as means_ttest_ind."""

def means_levene(samples: list[npt.NDArray[np.float64]], center: str) -> dict[str, Any]:
    """Levene (center='mean') / Brown-Forsythe (center='median'): statistic, pvalue, df1, df2, method, center."""

def means_compare(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    alternative: str,
    confidence_level: float,
) -> dict[str, Any]:
    """SPSS Independent Samples Test: group1, group2 (n, mean, sd, se), levene, pooled, welch."""

def means_mannwhitneyu(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    alternative: str,
    method: str,
    use_continuity: bool,
) -> dict[str, Any]:
    """Mann-Whitney U: statistic (U1), pvalue, u1, u2, method_used, z, ties, n1, n2."""

def means_effect_size(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    kind: str,
    confidence_level: float,
    ci_method: str,
) -> dict[str, Any]:
    """Cohen's d (kind='cohens_d') or Hedges' g: estimate, d, correction, pooled_sd, df, n1, n2, std_error, t, ci."""

# --- end stats: means ---

# --- stats: multiple ---

def multiple_adjust_pvalues(pvalues: npt.NDArray[np.float64], method: str, alpha: float) -> dict[str, Any]:
    """Adjusted p-values: pvalues, reject, method, statsmodels_method, alpha, n_tests."""

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

# --- datasets ---

def synthetic(n_cases: int, seed: int) -> Cohort:
    """A synthetic cohort from the generator's latent model."""

# --- end datasets ---

# --- replication ---

def regioplan2013() -> Cohort:
    """The replication cohort of the Regioplan 2013 report (deterministic)."""

def regioplan2013_fidelity(cohort: Cohort) -> dict[str, Any]:
    """Published cells next to the cohort's values: {"records", "verdicts", "bijlage5", "summary"}."""

def regioplan2013_bijlage5_design(cohort: Cohort) -> tuple[list[str], list[str], list[float]]:
    """The Bijlage 5 analysis file as the replication search computes it: (case_ids, columns, row-major values)."""

# --- end replication ---

# --- survival ---
# Native survival functions; hv.survival wraps them.

class KaplanMeierCurve:
    @property
    def n(self) -> int: ...
    @property
    def n_events(self) -> int: ...
    @property
    def conf_type(self) -> str: ...
    @property
    def confidence_level(self) -> float: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def sum_weights(self) -> float: ...
    @property
    def sum_event_weights(self) -> float: ...
    def table(self) -> dict[str, np.ndarray]: ...
    def quantile(self, p: float) -> tuple[float, float, float]: ...
    def at(self, times: np.ndarray) -> dict[str, np.ndarray]: ...
    def rmst(self, tau: float, confidence_level: float) -> dict[str, float]: ...

def km_fit(
    time: np.ndarray,
    event: np.ndarray,
    group: np.ndarray | None = None,
    conf_type: str = "log-log",
    confidence_level: float = 0.95,
    weights: np.ndarray | None = None,
    entry: np.ndarray | None = None,
) -> list[KaplanMeierCurve]: ...
def logrank(
    time: np.ndarray,
    event: np.ndarray,
    group: np.ndarray,
    strata: np.ndarray | None = None,
    weightings: str = "logrank",
    p: float = 0.0,
    q: float = 0.0,
) -> dict[str, Any]: ...
def logrank_trend(
    time: np.ndarray,
    event: np.ndarray,
    group: np.ndarray,
    scores: list[float],
    strata: np.ndarray | None = None,
    weightings: str = "logrank",
    p: float = 0.0,
    q: float = 0.0,
) -> dict[str, Any]: ...
def rmst_compare(
    time: np.ndarray,
    event: np.ndarray,
    group: np.ndarray,
    tau: float | None = None,
    confidence_level: float = 0.95,
    weights: np.ndarray | None = None,
    entry: np.ndarray | None = None,
) -> dict[str, Any]: ...

class CoxFit:
    def results(self) -> dict[str, Any]: ...
    def conf_int(self, confidence_level: float) -> tuple[np.ndarray, np.ndarray]: ...
    def baseline(self, stratum: int) -> dict[str, np.ndarray]: ...
    def predict_cumhaz(self, x: np.ndarray, stratum: int) -> np.ndarray: ...
    def predict_survival(
        self, x: np.ndarray, stratum: int, conf_type: str, confidence_level: float
    ) -> dict[str, np.ndarray]: ...

def cox(
    stop: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    start: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
    ties: str = "efron",
    robust: bool = False,
    confidence_level: float = 0.95,
    eps: float = 1e-9,
    iter_max: int = 20,
    concordance: bool = True,
    offset: np.ndarray | None = None,
    init: list[float] | None = None,
) -> CoxFit: ...
def cox_concordance_of(
    fit: CoxFit,
    stop: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    start: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
) -> dict[str, float]: ...
def cox_zph_test(
    fit: CoxFit,
    stop: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    start: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    transform: str = "km",
    method: str = "exact",
    offset: np.ndarray | None = None,
) -> dict[str, Any]: ...

# --- end survival ---
# --- models ---
# Native regression fits; hv.models wraps them (formulas, labels, results).

class ModelFit:
    def results(self) -> dict[str, Any]:
        """Every estimate and statistic as a dict (arrays as numpy arrays)."""
    def conf_int(self, confidence_level: float) -> tuple[np.ndarray, np.ndarray]:
        """Wald limits (lower, upper) at the level."""
    def predict(self, x: np.ndarray, offset: np.ndarray | None = None, linear: bool = False) -> np.ndarray:
        """Means h(xβ + offset) (or the linear predictor) for new rows; x must
        have the fit's number of design columns (ValueError otherwise)."""
    def wald(self, indices: list[int]) -> tuple[float, int, float]:
        """Wald chi-square (W, q, p) that the coefficients at indices are zero
        (ValueError for no index or one out of range)."""
    def contrast(self, c: list[float], level: float) -> tuple[float, float, float, float, float, float]:
        """c'β with se √(c'Vc), statistic, two-sided p and the interval at level:
        (estimate, se, statistic, p, ci_low, ci_high)."""

def model_fit(
    kind: str,
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    weights: np.ndarray | None = None,
    weight_type: str = "frequency",
    offset: np.ndarray | None = None,
    clusters: np.ndarray | None = None,
    cov_type: str = "nonrobust",
    method: str = "ml",
    max_iter: int = 100,
    tol: float = 1e-10,
    use_t: bool | None = None,
) -> ModelFit:
    """Fits logit/ols/poisson/negbin (method "ml", or "firth" for logit)."""

def logit_profile(
    fit: ModelFit,
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    weights: np.ndarray | None = None,
    weight_type: str = "frequency",
    offset: np.ndarray | None = None,
    confidence_level: float = 0.95,
    tests: bool = False,
    max_iter: int = 100,
) -> dict[str, np.ndarray]:
    """Profile-likelihood limits (lower, upper) and optional LR tests (statistic, pvalue).

    The data are checked as in a fit (lengths of weights and offset, values)
    and must be those of ``fit`` (ValueError otherwise)."""

def model_lr_test(full: ModelFit, restricted: ModelFit) -> tuple[float, float, float]:
    """LR test (statistic, df, pvalue) of a restricted model nested in a full one."""

# --- end models ---

# --- causal: matching and AIPW (issue 7 part B) ---

def causal_match(
    distance: np.ndarray,
    treated: np.ndarray,
    exact: np.ndarray | None = None,
    outcome: np.ndarray | None = None,
    ratio: int = 1,
    replace: bool = False,
    caliper: float | None = 0.2,
    caliper_scale: str = "all",
    order: str = "largest",
    variance_neighbours: int = 2,
    confidence_level: float = 0.95,
) -> dict[str, Any]:
    """Greedy nearest-neighbour matching on ``distance`` (see docs/causal_matching.md):
    arrays treated/control/round (one entry per match), weights and n_matches (per unit),
    counts, caliper_width, warnings; with ``outcome`` also ``effect`` (estimate, se,
    statistic, pvalue, ci, mean_treated, mean_control, n_sets, variance)."""

def causal_aipw(
    y: np.ndarray,
    t: np.ndarray,
    x: np.ndarray,
    names: list[str],
    n_bootstrap: int = 0,
    seed: int = 0,
    threads: int | None = None,
    confidence_level: float = 0.95,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> dict[str, Any]:
    """The AIPW risk difference: estimate, se, statistic, pvalue, ci, risks, the three
    models' params/bse, ps/mu1/mu0 per row, warnings and (n_bootstrap > 0) bootstrap."""

# --- causal ---

def causal_balance(
    x: np.ndarray, names: list[str], treat: np.ndarray, weights: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """Balance rows (means, SDs, SMDs, variance ratios; adjusted with weights) of the p × n covariates."""

def causal_overlap(score: np.ndarray, treat: np.ndarray) -> dict[str, Any]:
    """Propensity-score ranges per group, common support, cases outside it, warnings."""

def causal_trim(score: np.ndarray, treat: np.ndarray, rule: str, alpha: float = 0.1) -> np.ndarray:
    """Which cases a trimming rule ("crump" with alpha, or "minmax") keeps."""

def causal_weights(
    score: np.ndarray,
    treat: np.ndarray,
    estimand: str = "ATE",
    stabilize: bool = False,
    truncate: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Inverse-probability weights, truncation flags, Kish ESS, ranges and warnings."""

def causal_contrast(
    y: np.ndarray,
    treat: np.ndarray,
    weights: np.ndarray,
    truncated: np.ndarray,
    estimand: str,
    denom: np.ndarray | None = None,
    ps_x: np.ndarray | None = None,
    ps_score: np.ndarray | None = None,
    confidence_level: float = 0.95,
) -> dict[str, Any]:
    """Weighted means, difference and ratio with M-estimation (or fixed-weight) standard errors."""

def causal_evalue(
    estimate: float,
    lo: float | None = None,
    hi: float | None = None,
    measure: str = "RR",
    rare: bool = False,
    true_value: float = 1.0,
) -> dict[str, Any]:
    """E-values of an estimate and of its interval limit nearer the null."""

# --- end causal ---
