"""Exceptions and warnings raised by huisverbod.

All exceptions derive from :class:`HuisverbodError`. Problems in input data
raise :class:`ValidationError`, which is also a :class:`ValueError`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HuisverbodError", "ValidationError", "ValidationWarning"]


class HuisverbodError(Exception):
    """Root of every huisverbod exception."""


class ValidationError(HuisverbodError, ValueError):
    """The input data break one or more validation rules.

    Attributes
    ----------
    problems : list of dict
        Every problem found (not just the first), each with the keys
        ``severity`` ("error" or "warning"), ``file``, ``row`` (for files: the
        line the record starts on, so the header is row 1 and the first data
        row is row 2, as a spreadsheet shows; for DataFrames: the 0-based
        position, with the index label under ``index``), ``column``,
        ``value``, ``rule`` (a stable snake-case name such as
        ``"unknown_category"``) and ``message``.

    Examples
    --------
    >>> import huisverbod as hv
    >>> try:
    ...     hv.Cohort.from_csv("no/such/dir")
    ... except hv.ValidationError as e:
    ...     print(e.problems[0]["rule"])
    unreadable
    """

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems: list[dict[str, Any]] = list(problems or [])

    def problems_frame(self):  # -> pandas.DataFrame
        """The problems as a :class:`pandas.DataFrame`, one row per problem."""
        import pandas as pd

        cols = ["severity", "file", "row", "column", "value", "rule", "message"]
        extra = [k for p in self.problems for k in p if k not in cols]
        return pd.DataFrame(self.problems, columns=cols + sorted(set(extra)))


class ValidationWarning(UserWarning):
    """The input data were read, but something looks unintended.

    Examples: a field that only applies to restraining-order cases filled on
    a control case, or a file that was not UTF-8 and was read as Latin-1.
    The warnings stay available as ``cohort.warnings``.
    """
