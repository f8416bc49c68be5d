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

use crate::cohort::columns::ColumnSpec;
use crate::cohort::tables::{
    CaseAttrs, IncidentAttrs, PersonAttrs, CASE_KEYS, INCIDENT_KEYS, PERSON_KEYS,
};
use crate::cohort::Cohort;
use crate::error::{Problems, Rule, Severity};
use rayon::prelude::*;
use source::{CsvSource, FrameSource};
use std::io::Read;
use std::path::Path;

/// The file names of a cohort directory, in table order.
pub const FILE_NAMES: [&str; 3] = ["cases.csv", "persons.csv", "incidents.csv"];

/// The smallest chunk worth a thread of its own.
const MIN_CHUNK_BYTES: usize = 1 << 20;

/// Splits `body` into runs of whole lines, each with the line number it starts on.
fn split_lines(body: &[u8], first_line: u64, parts: usize) -> Vec<(&[u8], u64)> {
    let mut out = Vec::with_capacity(parts);
    let target = body.len().div_ceil(parts.max(1)).max(1);
    let (mut start, mut line) = (0usize, first_line);
    while start < body.len() {
        let mut end = (start + target).min(body.len());
        while end < body.len() && body[end - 1] != b'\n' {
            end += 1;
        }
        let chunk = &body[start..end];
        out.push((chunk, line));
        line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        start = end;
    }
    out
}

/// Reads one CSV table: the header first, then the rows — in parallel
/// chunks of whole lines when the file has no quotes (a quoted field may
/// hold a line break, so quoted files are read in one piece).
fn read_csv_table<T, F>(
    bytes: &[u8],
    label: &str,
    problems: &mut Problems,
    specs: (&[ColumnSpec], &[ColumnSpec]),
    read: F,
) -> Option<read::Read<T>>
where
    T: crate::cohort::tables::Append + Send,
    F: for<'s> Fn(CsvSource<'s>, &read::ColumnMap, &mut Problems) -> read::Read<T> + Sync,
{
    let decoded = decode::decode(bytes, label, problems)?;
    let text: &[u8] = &decoded.text;
    let header = CsvSource::new(text, label, problems)?;
    let map = read::map_columns(&header, specs.0, specs.1, problems)?;
    let body = &text[header.body_offset().min(text.len())..];
    let threads = rayon::current_num_threads();
    if body.len() < 2 * MIN_CHUNK_BYTES || threads < 2 || body.contains(&b'"') {
        return Some(read(header, &map, problems));
    }
    let parts = (body.len() / MIN_CHUNK_BYTES).min(4 * threads);
    let first_line = 1 + text[..text.len() - body.len()]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    let chunks = split_lines(body, first_line, parts);
    let results: Vec<(read::Read<T>, Problems)> = chunks
        .par_iter()
        .map(|&(chunk, line)| {
            let mut p = Problems::default();
            let r = read(CsvSource::chunk(&header, chunk, line), &map, &mut p);
            (r, p)
        })
        .collect();
    let mut iter = results.into_iter();
    let (mut all, p) = iter.next()?;
    problems.extend(p);
    for (r, p) in iter {
        all.append(r);
        problems.extend(p);
    }
    Some(all)
}

/// Where a table's bytes come from. Files are read one at a time, right
/// before they are parsed, so only one file's bytes are in memory at once.
enum Input<'a> {
    /// Bytes already read (`None`: reading failed, already reported).
    Bytes(Option<Vec<u8>>, String),
    /// A file to read.
    Path(&'a Path),
}

impl Input<'_> {
    fn label(&self) -> String {
        match self {
            Input::Bytes(_, l) => l.clone(),
            Input::Path(p) => p.display().to_string(),
        }
    }

    fn load(self, problems: &mut Problems) -> Option<Vec<u8>> {
        match self {
            Input::Bytes(b, _) => b,
            Input::Path(p) => match std::fs::read(p) {
                Ok(b) => Some(b),
                Err(e) => {
                    problems.push(
                        Severity::Error,
                        &p.display().to_string(),
                        None,
                        None,
                        None,
                        Rule::Unreadable,
                        format!("cannot read the file: {e}"),
                    );
                    None
                }
            },
        }
    }
}

/// Parses the three tables; a table that cannot be read is reported and its
/// rules skipped while the others are still checked.
fn parse_tables(inputs: [Input<'_>; 3], mut problems: Problems) -> crate::Result<Cohort> {
    let labels = [inputs[0].label(), inputs[1].label(), inputs[2].label()];
    let [c, p, i] = inputs;
    let cases = c.load(&mut problems).and_then(|c| {
        let r = read_csv_table(
            &c,
            &labels[0],
            &mut problems,
            (CASE_KEYS, CaseAttrs::SPECS),
            |s, m, p| read::read_cases(s, m, p),
        )?;
        read::group_only_warnings(&r.table, &r.rows, &r.keys_ok, &r.label, &mut problems);
        Some(r)
    });
    let persons = p.load(&mut problems).and_then(|p| {
        read_csv_table(
            &p,
            &labels[1],
            &mut problems,
            (PERSON_KEYS, PersonAttrs::SPECS),
            |s, m, p| read::read_persons(s, m, p),
        )
    });
    let incidents = i.load(&mut problems).and_then(|i| {
        read_csv_table(
            &i,
            &labels[2],
            &mut problems,
            (INCIDENT_KEYS, IncidentAttrs::SPECS),
            |s, m, p| read::read_incidents(s, m, p),
        )
    });
    let l = [labels[0].as_str(), labels[1].as_str(), labels[2].as_str()];
    let result = assemble::assemble(cases, persons, incidents, problems, l);
    release_free_memory();
    result
}

/// Returns the memory freed after parsing (file bytes, chunk buffers, hash
/// maps) to the operating system. glibc keeps freed blocks in its arenas,
/// one per thread, so without this a loaded cohort looks far larger than its
/// columns in `top`. Elsewhere the allocator decides.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
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
        parse_tables(
            [
                Input::Path(cases.as_ref()),
                Input::Path(persons.as_ref()),
                Input::Path(incidents.as_ref()),
            ],
            Problems::default(),
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
                Input::Bytes(c, "cases".to_string()),
                Input::Bytes(p, "persons".to_string()),
                Input::Bytes(i, "incidents".to_string()),
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
        let cases = read::map_columns(&c, CASE_KEYS, CaseAttrs::SPECS, &mut problems).map(|m| {
            let r = read::read_cases(c, &m, &mut problems);
            read::group_only_warnings(&r.table, &r.rows, &r.keys_ok, &r.label, &mut problems);
            r
        });
        let persons = read::map_columns(&p, PERSON_KEYS, PersonAttrs::SPECS, &mut problems)
            .map(|m| read::read_persons(p, &m, &mut problems));
        let incidents = read::map_columns(&i, INCIDENT_KEYS, IncidentAttrs::SPECS, &mut problems)
            .map(|m| read::read_incidents(i, &m, &mut problems));
        assemble::assemble(cases, persons, incidents, problems, labels)
    }
}
