"""The cohort and its recidivism measures: the public Python classes."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from . import _core
from ._display import frame_html
from ._frames import column_to_series, frame_to_columns, text_index
from .exceptions import ValidationError, ValidationWarning

__all__ = ["Cohort", "CohortFrames", "Recidivism", "schema"]

Table = Literal["cases", "persons", "incidents"]
_GROUPS = ["thv", "control"]
_SOURCES = ("police", "shg", "bjz_amk")


class CohortFrames(NamedTuple):
    """The three tables of a cohort as DataFrames (unpack or use the names)."""

    cases: pd.DataFrame
    persons: pd.DataFrame
    incidents: pd.DataFrame


def schema(table: Table) -> pd.DataFrame:
    """The data schema of one table (``"cases"``, ``"persons"`` or ``"incidents"``).

    Returns a DataFrame indexed by column name with the kind (bool, int,
    float, date, category, text), whether it is required, its allowed range,
    the group it applies to only, the allowed values of categories and a
    description with the report's term and table.

    Examples
    --------
    >>> import huisverbod as hv
    >>> hv.schema("cases").loc["group", "levels"]
    ['thv', 'control']
    """
    return pd.DataFrame(_core.schema(table)).set_index("name")


def _warn(problems: list[dict[str, Any]]) -> None:
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more; see cohort.warnings)" if len(problems) > 1 else ""
        where = f"{first['file']}, row {first['row']}" if first["row"] is not None else first["file"]
        col = f", column '{first['column']}'" if first["column"] else ""
        warnings.warn(
            f"{where}{col}: {first['message']} [{first['rule']}]{more}",
            ValidationWarning,
            stacklevel=3,
        )


class Cohort:
    """A validated study cohort: cases, the persons in them and their new incidents.

    Build one with :meth:`from_csv` or :meth:`from_frames` (or take the
    embedded example); it is immutable. The data schema is in
    ``docs/schema.md`` and :func:`huisverbod.schema`.

    Examples
    --------
    >>> import huisverbod as hv
    >>> cohort = hv.Cohort.from_csv(hv.example_data_dir())
    >>> cohort
    Cohort(10 cases: 5 thv, 5 control; 25 persons; 12 incident rows)
    >>> rec = cohort.recidivism(sources=["police"])
    >>> rec.by_group()["n_with_new"].tolist()
    [2, 3]
    """

    __slots__ = ("_inner", "_frames", "_case_ids")

    def __init__(self, inner: _core.Cohort) -> None:
        if not isinstance(inner, _core.Cohort):
            raise TypeError("use Cohort.from_csv(...) or Cohort.from_frames(...) to build a cohort")
        self._inner = inner
        self._frames: CohortFrames | None = None
        self._case_ids: pd.Index | None = None

    @classmethod
    def _from_native(cls, inner: _core.Cohort) -> Cohort:
        c = cls(inner)
        _warn(inner.warnings())
        return c

    # ------------------------------------------------------------------ input
    @classmethod
    def from_csv(
        cls,
        path_or_dir: str | os.PathLike[str],
        *,
        persons: str | os.PathLike[str] | None = None,
        incidents: str | os.PathLike[str] | None = None,
    ) -> Cohort:
        """Read a cohort from CSV files.

        Parameters
        ----------
        path_or_dir : path
            A directory holding ``cases.csv``, ``persons.csv`` and
            ``incidents.csv``; or the path of the cases file, in which case
            ``persons`` and ``incidents`` name the other two (by default the
            files of those names next to it).
        persons, incidents : path, optional
            The other two files when ``path_or_dir`` is a file.

        Returns
        -------
        Cohort

        Raises
        ------
        ValidationError
            With every problem found in the three files (file, row, column,
            value, rule), not just the first. Files may be UTF-8 (with or
            without BOM), UTF-16 with BOM or Windows-1252/Latin-1 (read with a
            warning), separated by ``,``, ``;`` (then ``1,5`` is 1.5) or tabs.

        Warns
        -----
        ValidationWarning
            For problems that do not stop reading (see ``cohort.warnings``).
        """
        p = Path(path_or_dir)
        if p.is_dir() and persons is None and incidents is None:
            inner = _core.Cohort.read_csv_dir(p)
        else:
            folder = p.parent
            inner = _core.Cohort.read_csv_files(
                p,
                Path(persons) if persons is not None else folder / "persons.csv",
                Path(incidents) if incidents is not None else folder / "incidents.csv",
            )
        return cls._from_native(inner)

    @classmethod
    def from_frames(cls, cases: pd.DataFrame, persons: pd.DataFrame, incidents: pd.DataFrame) -> Cohort:
        """Build a cohort from three pandas DataFrames with the schema's columns.

        Columns may be of any sensible dtype: booleans as ``bool``,
        ``boolean``, 0/1 or text (true/false, yes/no, ja/nee); dates as
        datetimes or ISO text; categories as text or ``category``. Missing
        values (NaN, None, NA, NaT) are unknown. The index is not used.

        Raises
        ------
        ValidationError
            With every problem; ``row`` is the 0-based position in the frame
            and ``index`` its index label.
        """
        frames = {"cases": cases, "persons": persons, "incidents": incidents}
        cols = {k: frame_to_columns(v, k) for k, v in frames.items()}
        try:
            inner = _core.Cohort.from_columns(cols["cases"], cols["persons"], cols["incidents"])
        except ValidationError as e:
            for prob in e.problems:
                table = str(prob["file"]).split(" ")[0]
                if table in frames and prob["row"] is not None and prob["row"] < len(frames[table]):
                    prob["index"] = frames[table].index[prob["row"]]
            raise
        return cls._from_native(inner)

    # ----------------------------------------------------------------- output
    def to_frames(self) -> CohortFrames:
        """The three tables as DataFrames with nullable dtypes.

        Booleans are ``boolean``, whole numbers ``Int64``, categories
        ``category`` (with every allowed value as a category), dates
        ``datetime64[ns]``; unknown values are ``<NA>``/``NaN``/``NaT``.
        ``Cohort.from_frames(*cohort.to_frames())`` gives back an equal cohort.
        """
        if self._frames is None:
            self._frames = CohortFrames(*(self._table_frame(t) for t in ("cases", "persons", "incidents")))
        return CohortFrames(*(f.copy() for f in self._frames))

    def _table_frame(self, table: Table) -> pd.DataFrame:
        names = self._inner.column_names(table)
        data = {n: column_to_series(self._inner.column(table, n), n) for n in names}
        return pd.DataFrame(data, columns=names)

    def to_csv(self, directory: str | os.PathLike[str]) -> None:
        """Write ``cases.csv``, ``persons.csv`` and ``incidents.csv`` (UTF-8) into a directory.

        Reading them back with :meth:`from_csv` gives an equal cohort.
        """
        self._inner.to_csv(Path(directory))

    # ------------------------------------------------------------ properties
    @property
    def n_cases(self) -> int:
        """Number of cases."""
        return self._inner.n_cases

    @property
    def n_persons(self) -> int:
        """Number of persons."""
        return self._inner.n_persons

    @property
    def n_incident_rows(self) -> int:
        """Number of incident rows (one per incident and registering source)."""
        return self._inner.n_incident_rows

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Problems found while reading that did not stop it (as dicts)."""
        return self._inner.warnings()

    @property
    def case_ids(self) -> pd.Index:
        """The case identifiers, in case order."""
        if self._case_ids is None:
            self._case_ids = text_index(self._inner.column("cases", "case_id")[1], "case_id")
        return self._case_ids

    @property
    def group(self) -> pd.Series:
        """The study group of each case (categorical: thv, control)."""
        codes = self._inner.group_codes().astype(np.int64)
        return pd.Series(pd.Categorical.from_codes(codes, _GROUPS), index=self.case_ids, name="group")

    def __len__(self) -> int:
        return self.n_cases

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cohort) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def _group_counts(self) -> tuple[int, int]:
        codes = self._inner.group_codes()
        thv = int((codes == 0).sum())
        return thv, len(codes) - thv

    def __repr__(self) -> str:
        thv, ctl = self._group_counts()
        return (
            f"Cohort({self.n_cases} cases: {thv} thv, {ctl} control; "
            f"{self.n_persons} persons; {self.n_incident_rows} incident rows)"
        )

    def _repr_html_(self) -> str:
        thv, ctl = self._group_counts()
        df = pd.DataFrame(
            {"count": [self.n_cases, thv, ctl, self.n_persons, self.n_incident_rows, len(self.warnings)]},
            index=["cases", "thv cases", "control cases", "persons", "incident rows", "warnings"],
        )
        return frame_html("huisverbod.Cohort", df, "Counts only: person-level rows are not shown.", "{:.0f}")

    # -------------------------------------------------------------- analysis
    def recidivism(
        self, sources: Sequence[str] | str | None = None, window_days: int | None = None
    ) -> Recidivism:
        """Recidivism measures per case.

        Parameters
        ----------
        sources : sequence of {"police", "shg", "bjz_amk"}, optional
            Registrations that count; default all. The report compares the
            groups on ``["police"]`` (Table 5.1) and uses all sources within
            the thv group (Table 5.2).
        window_days : int, optional
            Count only incidents within this many days after the original
            incident; default: until each case's ``followup_end``.

        Returns
        -------
        Recidivism
            ``any``, ``count``, ``days_to_first``, ``time``, ``event``,
            ``group`` per case; :meth:`Recidivism.by_group` gives Table 5.1.

        Notes
        -----
        Window per case: (incident_date, min(followup_end, incident_date +
        window_days)]. An incident known to several sources (rows with the
        same ``incident_id``) counts once, dated at its earliest chosen
        source. ``time`` is the days to the first incident, or to the end of
        the window when there is none (then ``event`` is False: censored).
        """
        if isinstance(sources, str):
            sources = [sources]
        if sources is not None:
            bad = [s for s in sources if s not in _SOURCES]
            if bad:
                raise ValueError(f"unknown source(s) {bad}: choose from {list(_SOURCES)}")
        if window_days is not None and (
            isinstance(window_days, bool) or not float(window_days).is_integer() or window_days < 1
        ):
            raise ValueError(f"window_days must be a whole number of days >= 1, got {window_days!r}")
        inner = self._inner.recidivism(
            list(sources) if sources is not None else None,
            int(window_days) if window_days is not None else None,
        )
        return Recidivism(inner, self.case_ids)

    def filter(self, keep: Any) -> Cohort:
        """A cohort with only the cases where ``keep`` is true, with their persons and incidents.

        ``keep`` is a boolean array or Series with one entry per case (in
        case order), for example ``cohort.group == "thv"``, or a function
        of the cohort's :class:`CohortFrames` returning such a mask.

        The report's robustness check (section 5.2: Table 5.1 without the
        cases with a female perpetrator) is one line:

        >>> import huisverbod as hv
        >>> cohort = hv.datasets.example()
        >>> male = cohort.filter(~cohort.cases_with(role="perpetrator", sex="f"))
        >>> male.n_cases <= cohort.n_cases
        True
        """
        if callable(keep):
            keep = keep(self.to_frames())
        if isinstance(keep, pd.Series) and keep.dtype == "boolean":
            if keep.isna().any():
                raise ValueError("keep has missing values; decide for those cases first (fillna)")
            keep = keep.to_numpy(dtype=bool)
        mask = np.asarray(keep)
        if mask.dtype != bool:
            raise TypeError(f"keep must be boolean, got dtype {mask.dtype}")
        if mask.shape != (self.n_cases,):
            raise ValueError(f"keep has shape {mask.shape}; the cohort has {self.n_cases} cases")
        return Cohort(self._inner.filter_cases(np.ascontiguousarray(mask)))

    def cases_with(self, **conditions: Any) -> pd.Series:
        """Whether each case has a person matching every condition (a boolean Series by ``case_id``).

        ``conditions`` are persons columns and values, for example
        ``role="perpetrator", sex="f"``; a list of values matches any of them.
        Unknown values never match.

        >>> import huisverbod as hv
        >>> cohort = hv.datasets.example()
        >>> cohort.cases_with(role="perpetrator", sex="f").dtype
        dtype('bool')
        """
        if not conditions:
            raise ValueError("give at least one condition, e.g. role='perpetrator', sex='f'")
        persons = self.to_frames().persons
        match = np.ones(len(persons), dtype=bool)
        for col, value in conditions.items():
            if col not in persons.columns:
                raise ValueError(f"persons have no column {col!r}")
            values = list(value) if isinstance(value, list | tuple | set) else [value]
            s = persons[col]
            known = s.notna().to_numpy()
            match &= known & s.astype(object).isin(values).to_numpy(dtype=bool)
        hit = set(persons.loc[match, "case_id"].astype(str))
        ids = self.case_ids
        return pd.Series([str(c) in hit for c in ids], index=ids, name="cases_with", dtype=bool)

    # ------------------------------------------------------- derived variables
    def _derived(self, name: str, level: Literal["cases", "persons"], dtype: str) -> pd.Series:
        values, missing = self._inner.derived(name)
        if dtype == "boolean":
            arr: Any = pd.arrays.BooleanArray(np.asarray(values, dtype=bool), np.asarray(missing, dtype=bool))
        else:
            arr = pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.asarray(missing, dtype=bool))
        if level == "cases":
            index = self.case_ids
        else:
            index = text_index(self._inner.column("persons", "person_id")[1], "person_id")
        return pd.Series(arr, index=index, name=name)

    def cooperation_sufficient(self) -> pd.Series:
        """Per person: cooperation 4–5 → True, 1–3 → False (Bijlage 2); unknown stays <NA>."""
        return self._derived("cooperation_sufficient", "persons", "boolean")

    def priority_highest(self) -> pd.Series:
        """Per case: enforcement priority 4 → True, 1–3 → False (Bijlage 2)."""
        return self._derived("priority_highest", "cases", "boolean")

    def problem_area_count(self) -> pd.Series:
        """Per person: number of the five problem areas (Table 4.1); <NA> if any is unknown."""
        return self._derived("problem_area_count", "persons", "Int64")

    def problem_load_heavy(self) -> pd.Series:
        """Per person: 3–5 problem areas → True, 0–2 → False (chapter 5)."""
        return self._derived("problem_load_heavy", "persons", "boolean")

    def system_approach_score(self) -> pd.Series:
        """Per case: 0–4, one point each for case consultations > 0, a plan of approach,
        a system conversation and system-oriented work after the order (Table 4.21)."""
        return self._derived("system_approach_score", "cases", "Int64")

    def system_approach_sufficient(self) -> pd.Series:
        """Per case: system-approach score 3–4 → True."""
        return self._derived("system_approach_sufficient", "cases", "boolean")

    def first_contact_within_24h(self) -> pd.Series:
        """Per person: first contact with help within 24 hours (Table 4.4)."""
        return self._derived("first_contact_within_24h", "persons", "boolean")


class Recidivism:
    """Per-case recidivism measures (see :meth:`Cohort.recidivism`).

    Attributes
    ----------
    any, event : numpy.ndarray of bool
    count : numpy.ndarray of int64
    days_to_first : numpy.ndarray of float64 (NaN when no new incident)
    time : numpy.ndarray of float64 (days; censored when ``event`` is False)
    group : pandas.Categorical (thv, control)
    case_id : pandas.Index
    sources : list of str or None
    window_days : int or None
    """

    __slots__ = ("_inner", "case_id", "any", "count", "days_to_first", "time", "event", "group")

    def __init__(self, inner: _core.Recidivism, case_id: pd.Index) -> None:
        self._inner = inner
        arrays = inner.arrays()
        self.case_id = case_id
        self.any: np.ndarray = arrays["any"]
        self.count: np.ndarray = arrays["count"]
        self.days_to_first: np.ndarray = arrays["days_to_first"]
        self.time: np.ndarray = arrays["time"]
        self.event: np.ndarray = arrays["event"]
        self.group = pd.Categorical.from_codes(arrays["group"].astype(np.int64), _GROUPS)

    @property
    def sources(self) -> list[str] | None:
        """The sources counted (None: all)."""
        return self._inner.sources

    @property
    def window_days(self) -> int | None:
        """The observation window in days (None: until followup_end)."""
        return self._inner.window_days

    def __len__(self) -> int:
        return len(self.any)

    def to_frame(self) -> pd.DataFrame:
        """The measures as a DataFrame indexed by case_id."""
        return pd.DataFrame(
            {
                "group": self.group,
                "any": self.any,
                "count": self.count,
                "days_to_first": self.days_to_first,
                "time": self.time,
                "event": self.event,
            },
            index=self.case_id,
        )

    def by_group(self) -> pd.DataFrame:
        """The report's Table 5.1 layout, one row per group.

        Columns: ``n``, ``n_with_new`` (cases with at least one new incident),
        ``pct_with_new``, ``mean_count`` / ``sd_count`` (number of new
        incidents among those cases) and ``mean_days_to_first`` /
        ``sd_days_to_first`` (days to the first, among those cases).
        Standard deviations use n − 1, as SPSS.
        """
        df = pd.DataFrame(self._inner.by_group()).set_index("group")
        df.index.name = "group"
        return df

    def _title(self) -> str:
        src = "all sources" if self.sources is None else ", ".join(self.sources)
        win = "until followup_end" if self.window_days is None else f"within {self.window_days} days"
        return f"Recidivism ({src}; {win})"

    def __repr__(self) -> str:
        return f"{self._title()}\n{self.by_group().round(2).to_string()}"

    def _repr_html_(self) -> str:
        return frame_html(self._title(), self.by_group())

    # -- survival analysis (hv.survival) -------------------------------------------

    def kaplan_meier(self, **kwargs: Any) -> Any:
        """Kaplan–Meier curves of the time to the first new incident, by group.

        Censoring-aware: a case without a new incident counts until the end
        of its observation. Keyword arguments go to
        :func:`huisverbod.survival.kaplan_meier` (``conf_type``,
        ``confidence_level``).

        Examples
        --------
        >>> import huisverbod as hv
        >>> rec = hv.Cohort.from_csv(hv.example_data_dir()).recidivism(sources=["police"])
        >>> rec.kaplan_meier().summary[["n", "events", "censored"]]
                 n  events  censored
        group
        thv      5       2         3
        control  5       3         2
        """
        from . import survival

        return survival.kaplan_meier(self.time, self.event, group=self.group, **kwargs)

    def logrank_test(self, **kwargs: Any) -> Any:
        """Log-rank test of the time to the first new incident, thv against control.

        Keyword arguments go to :func:`huisverbod.survival.logrank_test`
        (``weightings``, ``strata``, ...).
        """
        from . import survival

        return survival.logrank_test(self.time, self.event, group=self.group, **kwargs)

    def rmst(self, tau: float | None = 365.0, **kwargs: Any) -> Any:
        """Restricted mean days without a new incident in the first ``tau`` days, by group.

        Keyword arguments go to :func:`huisverbod.survival.rmst`; the
        reference group is control (differences are thv − control).
        """
        from . import survival

        present = set(pd.unique(np.asarray(self.group, dtype=object)))
        kwargs.setdefault("reference", "control" if "control" in present else None)
        return survival.rmst(self.time, self.event, group=self.group, tau=tau, **kwargs)
