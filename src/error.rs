//! Errors and located data problems.
//!
//! Every problem found in user data is a [`Problem`]: the file (or DataFrame)
//! it was found in, the row as a spreadsheet shows it (the header is row 1,
//! the first data row is row 2), the column, the offending value and the
//! [`Rule`] it breaks. Readers collect all problems before they give up, so a
//! user sees every mistake in one pass; a cohort is never returned half built.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The data cannot be used as they are: no cohort is built.
    Error,
    /// The data are usable but probably not what was meant (kept on the cohort).
    Warning,
}

/// The validation rules, one variant per kind of problem.
///
/// The snake-case name (`Rule::as_str`) is stable API: Python users filter
/// `ValidationError.problems` on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// The file could not be opened or read.
    Unreadable,
    /// The file has no header line, or no bytes at all.
    EmptyFile,
    /// The bytes are neither UTF-8 nor a recognised single-byte export.
    Encoding,
    /// A required column is absent from the header.
    MissingColumn,
    /// A column name appears twice in the header.
    DuplicateColumn,
    /// A record has more or fewer fields than the header (for example a truncated line).
    FieldCount,
    /// A required cell is empty.
    MissingValue,
    /// A category value that is not one of the allowed values.
    UnknownCategory,
    /// A cell that should be a number is not.
    NotANumber,
    /// A cell that should be a whole number has a fraction.
    NotAWholeNumber,
    /// A cell that should be a boolean is not one of true/false, 1/0, yes/no, ja/nee.
    NotABoolean,
    /// A cell that should be an ISO 8601 date (YYYY-MM-DD) is not, or is no calendar date.
    NotADate,
    /// A number outside the allowed range (scales, counts, ages).
    OutOfRange,
    /// The same case_id twice in the cases table.
    DuplicateCaseId,
    /// The same person_id twice in the persons table.
    DuplicatePersonId,
    /// The same incident_id twice for the same source, or for different cases.
    DuplicateIncident,
    /// A person or incident refers to a case_id that the cases table lacks.
    UnknownCase,
    /// A new incident dated on or before the original incident of its case.
    IncidentBeforeCase,
    /// followup_end lies before incident_date.
    FollowupBeforeIncident,
    /// A field that only applies to restraining-order cases is filled on a control case
    /// (or control_kind on a thv case).
    GroupOnlyField,
}

impl Rule {
    /// The stable snake-case name of the rule.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Unreadable => "unreadable",
            Rule::EmptyFile => "empty_file",
            Rule::Encoding => "encoding",
            Rule::MissingColumn => "missing_column",
            Rule::DuplicateColumn => "duplicate_column",
            Rule::FieldCount => "field_count",
            Rule::MissingValue => "missing_value",
            Rule::UnknownCategory => "unknown_category",
            Rule::NotANumber => "not_a_number",
            Rule::NotAWholeNumber => "not_a_whole_number",
            Rule::NotABoolean => "not_a_boolean",
            Rule::NotADate => "not_a_date",
            Rule::OutOfRange => "out_of_range",
            Rule::DuplicateCaseId => "duplicate_case_id",
            Rule::DuplicatePersonId => "duplicate_person_id",
            Rule::DuplicateIncident => "duplicate_incident",
            Rule::UnknownCase => "unknown_case",
            Rule::IncidentBeforeCase => "incident_before_case",
            Rule::FollowupBeforeIncident => "followup_before_incident",
            Rule::GroupOnlyField => "group_only_field",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One located problem in the input data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file path, or a label such as `cases (DataFrame)`.
    pub file: String,
    /// The row: for files, the line on which the record starts, so the header
    /// is row 1 and the first data row is row 2 (what a spreadsheet shows);
    /// for DataFrames, the 0-based position. `None` for whole-file problems.
    pub row: Option<u64>,
    /// The column name, where the problem belongs to one column.
    pub column: Option<String>,
    /// The offending value as it was read.
    pub value: Option<String>,
    /// The rule that was broken.
    pub rule: Rule,
    /// A sentence saying what is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        if let Some(v) = &self.value {
            write!(f, ", value '{v}'")?;
        }
        write!(f, ": {} [{}]", self.message, self.rule)
    }
}

/// All problems that stopped a cohort from being built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationErrors {
    /// Every problem found, errors first, in file and row order.
    pub problems: Vec<Problem>,
}

impl ValidationErrors {
    /// The number of problems of severity [`Severity::Error`].
    pub fn n_errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }
}

/// How many problems the `Display` of [`ValidationErrors`] lists before it summarises.
pub const SHOWN_PROBLEMS: usize = 5;

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.n_errors();
        write!(
            f,
            "{n} problem{} in the input data",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .take(SHOWN_PROBLEMS)
        {
            write!(f, "\n  - {p}")?;
        }
        if n > SHOWN_PROBLEMS {
            write!(f, "\n  ... and {} more", n - SHOWN_PROBLEMS)?;
        }
        Ok(())
    }
}

/// The crate's error type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input data break one or more validation rules.
    #[error("{0}")]
    Validation(ValidationErrors),
    /// An argument has a value the function cannot use.
    #[error("invalid argument '{name}': {reason}")]
    InvalidArgument {
        /// The argument's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Writing output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file being written.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

/// Collects problems while a table is read.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub(crate) list: Vec<Problem>,
}

impl Problems {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        file: &str,
        row: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        rule: Rule,
        message: impl Into<String>,
    ) {
        self.list.push(Problem {
            severity,
            file: file.to_string(),
            row,
            column: column.map(str::to_string),
            value: value.map(str::to_string),
            rule,
            message: message.into(),
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.list.iter().any(|p| p.severity == Severity::Error)
    }

    pub(crate) fn extend(&mut self, other: Problems) {
        self.list.extend(other.list);
    }
}
