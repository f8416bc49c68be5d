//! Reading and writing cohorts: CSV files (any `Read`) and DataFrame-like
//! columns, with validation that locates every problem.
//!
//! A cohort directory holds `cases.csv`, `persons.csv` and `incidents.csv`
//! (docs/schema.md). All three are required: a missing `incidents.csv` would
//! otherwise read as "no new incidents". Reading collects every problem in
//! all three files before it gives up ([`crate::Error::Validation`]); no
//! partly built cohort is ever returned.

mod assemble;
mod decode;
mod read;
mod source;
mod write;

pub use read::age_range;
pub use source::InputColumn;

use crate::cohort::Cohort;
use crate::error::{Problems, Rule, Severity};
use source::{CsvSource, FrameSource};
use std::io::Read;
use std::path::Path;

/// The file names of a cohort directory, in table order.
pub const FILE_NAMES: [&str; 3] = ["cases.csv", "persons.csv", "incidents.csv"];

/// Parses the three tables; a `None` slot is a file that could not be read
/// (already reported), whose rules are skipped while the others are checked.
fn parse_tables(
    texts: [(Option<&[u8]>, String); 3],
    mut problems: Problems,
) -> crate::Result<Cohort> {
    let labels = [texts[0].1.clone(), texts[1].1.clone(), texts[2].1.clone()];
    let [(c, cl), (p, pl), (i, il)] = texts;
    // The persons file is the largest: read it on one core, the other two on the other.
    let ((cases, incidents, found), (persons, pp)) = rayon::join(
        || {
            let mut problems = Problems::default();
            let cases = c.and_then(|c| {
                let d = decode::decode(c, &cl, &mut problems)?;
                let src = CsvSource::new(&d.text, &cl, &mut problems)?;
                read::read_cases(src, &mut problems)
            });
            let incidents = i.and_then(|i| {
                let d = decode::decode(i, &il, &mut problems)?;
                let src = CsvSource::new(&d.text, &il, &mut problems)?;
                read::read_incidents(src, &mut problems)
            });
            (cases, incidents, problems)
        },
        || {
            let mut problems = Problems::default();
            let persons = p.and_then(|p| {
                let d = decode::decode(p, &pl, &mut problems)?;
                let src = CsvSource::new(&d.text, &pl, &mut problems)?;
                read::read_persons(src, &mut problems)
            });
            (persons, problems)
        },
    );
    problems.extend(found);
    problems.extend(pp);
    let l = [labels[0].as_str(), labels[1].as_str(), labels[2].as_str()];
    assemble::assemble(cases, persons, incidents, problems, l)
}

impl Cohort {
    /// Reads `cases.csv`, `persons.csv` and `incidents.csv` from a directory.
    ///
    /// # Errors
    /// [`Error::Validation`] with every problem found, including unreadable
    /// or missing files.
    pub fn from_csv_dir(dir: impl AsRef<Path>) -> crate::Result<Cohort> {
        let dir = dir.as_ref();
        let [c, p, i] = FILE_NAMES.map(|f| dir.join(f));
        Cohort::from_csv_files(c, p, i)
    }

    /// Reads the three tables from three CSV files.
    ///
    /// # Errors
    /// [`Error::Validation`] with every problem found.
    pub fn from_csv_files(
        cases: impl AsRef<Path>,
        persons: impl AsRef<Path>,
        incidents: impl AsRef<Path>,
    ) -> crate::Result<Cohort> {
        let paths = [cases.as_ref(), persons.as_ref(), incidents.as_ref()];
        let mut problems = Problems::default();
        let bytes: Vec<Option<Vec<u8>>> = paths
            .iter()
            .map(|p| match std::fs::read(p) {
                Ok(b) => Some(b),
                Err(e) => {
                    let label = p.display().to_string();
                    problems.push(
                        Severity::Error,
                        &label,
                        None,
                        None,
                        None,
                        Rule::Unreadable,
                        format!("cannot read the file: {e}"),
                    );
                    None
                }
            })
            .collect();
        parse_tables(
            [
                (bytes[0].as_deref(), paths[0].display().to_string()),
                (bytes[1].as_deref(), paths[1].display().to_string()),
                (bytes[2].as_deref(), paths[2].display().to_string()),
            ],
            problems,
        )
    }

    /// Reads the three tables from any readers (labelled `cases`, `persons`
    /// and `incidents` in problems).
    ///
    /// # Errors
    /// [`Error::Validation`] with every problem found.
    pub fn from_readers(
        cases: impl Read,
        persons: impl Read,
        incidents: impl Read,
    ) -> crate::Result<Cohort> {
        let mut problems = Problems::default();
        let mut read_all = |mut r: Box<dyn Read + '_>, label: &str| {
            let mut buf = Vec::new();
            match r.read_to_end(&mut buf) {
                Ok(_) => Some(buf),
                Err(e) => {
                    problems.push(
                        Severity::Error,
                        label,
                        None,
                        None,
                        None,
                        Rule::Unreadable,
                        format!("cannot read: {e}"),
                    );
                    None
                }
            }
        };
        let c = read_all(Box::new(cases), "cases");
        let p = read_all(Box::new(persons), "persons");
        let i = read_all(Box::new(incidents), "incidents");
        parse_tables(
            [
                (c.as_deref(), "cases".to_string()),
                (p.as_deref(), "persons".to_string()),
                (i.as_deref(), "incidents".to_string()),
            ],
            problems,
        )
    }

    /// Builds a cohort from named columns (what the Python `from_frames`
    /// hands over). Problems name the table as `cases (DataFrame)` and the
    /// row by its 0-based position.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the columns of a table differ in
    /// length; [`Error::Validation`] with every problem found.
    pub fn from_columns(
        cases: Vec<(String, InputColumn)>,
        persons: Vec<(String, InputColumn)>,
        incidents: Vec<(String, InputColumn)>,
    ) -> crate::Result<Cohort> {
        let labels = [
            "cases (DataFrame)",
            "persons (DataFrame)",
            "incidents (DataFrame)",
        ];
        let c = FrameSource::new(labels[0], cases)?;
        let p = FrameSource::new(labels[1], persons)?;
        let i = FrameSource::new(labels[2], incidents)?;
        let mut problems = Problems::default();
        let cases = read::read_cases(c, &mut problems);
        let persons = read::read_persons(p, &mut problems);
        let incidents = read::read_incidents(i, &mut problems);
        assemble::assemble(cases, persons, incidents, problems, labels)
    }
}
