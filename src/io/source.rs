//! Row sources: a CSV text or a set of DataFrame-like columns, read row by row.

use crate::cohort::columns::CellAt;
use crate::cohort::values::{Cell, Date, ParseOptions};
use crate::error::{Problems, Rule, Severity};

/// A table read row by row; the readers in `io::read` work on any source.
pub(crate) trait RowSource: CellAt {
    /// The label used in problems (file path or `cases (DataFrame)`).
    fn label(&self) -> &str;
    /// The column names in source order.
    fn names(&self) -> &[String];
    /// Moves to the next well-formed row and returns its row number; rows
    /// that cannot be split into the header's fields are reported and skipped.
    fn next_row(&mut self, problems: &mut Problems) -> Option<u64>;
    /// How text cells are parsed.
    fn options(&self) -> ParseOptions;
    /// About how many rows remain (for reserving column capacity).
    fn size_hint(&self) -> usize;
}

/// A CSV text (already decoded to UTF-8).
pub(crate) struct CsvSource<'a> {
    label: String,
    names: Vec<String>,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    opts: ParseOptions,
    delimiter: u8,
    /// Added to the reader's line numbers (a chunk starts mid-file).
    line_offset: u64,
    /// Line breaks in the text: about the number of rows.
    lines: usize,
}

impl<'a> CsvSource<'a> {
    /// Opens a source; `None` (with a problem) when there is no header.
    pub(crate) fn new(text: &'a [u8], label: &str, problems: &mut Problems) -> Option<Self> {
        let delimiter = super::decode::sniff_delimiter(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => {
                problems.push(
                    Severity::Error,
                    label,
                    None,
                    None,
                    None,
                    Rule::EmptyFile,
                    "the file has no header line",
                );
                return None;
            }
            Err(e) => {
                problems.push(
                    Severity::Error,
                    label,
                    Some(1),
                    None,
                    None,
                    Rule::EmptyFile,
                    format!("the header line cannot be read: {e}"),
                );
                return None;
            }
        }
        let names: Vec<String> = header.iter().map(|s| s.trim().to_string()).collect();
        if names.iter().all(String::is_empty) {
            problems.push(
                Severity::Error,
                label,
                Some(1),
                None,
                None,
                Rule::EmptyFile,
                "the header line has no column names",
            );
            return None;
        }
        Some(CsvSource {
            label: label.to_string(),
            names,
            reader,
            record: csv::StringRecord::new(),
            opts: ParseOptions {
                decimal_comma: delimiter == b';',
            },
            delimiter,
            line_offset: 0,
            lines: count_lines(text),
        })
    }

    /// The byte offset where the rows after the header start.
    pub(crate) fn body_offset(&self) -> usize {
        self.reader.position().byte() as usize
    }

    /// A source over `chunk`, a run of whole lines of the same file that
    /// starts on line `first_line`, with the header of `like`.
    pub(crate) fn chunk(like: &CsvSource<'_>, chunk: &'a [u8], first_line: u64) -> CsvSource<'a> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(like.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(chunk);
        CsvSource {
            label: like.label.clone(),
            names: like.names.clone(),
            reader,
            record: csv::StringRecord::new(),
            opts: like.opts,
            delimiter: like.delimiter,
            line_offset: first_line - 1,
            lines: count_lines(chunk),
        }
    }
}

fn count_lines(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count() + 1
}

impl CellAt for CsvSource<'_> {
    fn cell_at(&self, column: usize) -> Cell<'_> {
        match self.record.get(column) {
            Some(s) if !s.is_empty() => Cell::Str(s),
            _ => Cell::Missing,
        }
    }
}

impl RowSource for CsvSource<'_> {
    fn label(&self) -> &str {
        &self.label
    }
    fn names(&self) -> &[String] {
        &self.names
    }
    fn options(&self) -> ParseOptions {
        self.opts
    }
    fn size_hint(&self) -> usize {
        self.lines
    }
    fn next_row(&mut self, problems: &mut Problems) -> Option<u64> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    let row = self.line_offset + self.record.position().map_or(0, |p| p.line());
                    // A row of blanks or bare separators is an empty spreadsheet row: skip it.
                    if self.record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if self.record.len() == self.names.len() {
                        return Some(row);
                    }
                    let n = self.record.len();
                    let shown: String = self.record.iter().collect::<Vec<_>>().join(",");
                    let shown: String = shown.chars().take(80).collect();
                    problems.push(
                        Severity::Error,
                        &self.label,
                        Some(row),
                        None,
                        Some(&shown),
                        Rule::FieldCount,
                        format!(
                            "the row has {n} field{} but the header has {} (a truncated line, \
                             or a separator inside an unquoted value?)",
                            if n == 1 { "" } else { "s" },
                            self.names.len()
                        ),
                    );
                }
                Err(e) => {
                    let row = e.position().map(|p| self.line_offset + p.line());
                    problems.push(
                        Severity::Error,
                        &self.label,
                        row,
                        None,
                        None,
                        Rule::FieldCount,
                        format!("the row cannot be read as CSV: {e}"),
                    );
                    if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        return None;
                    }
                }
            }
        }
    }
}

/// One column handed over from a DataFrame.
#[derive(Clone, Debug, PartialEq)]
pub enum InputColumn {
    /// Text cells (`None` missing); numbers and booleans may also come as text.
    Text(Vec<Option<String>>),
    /// Numbers; NaN is missing. Booleans come as 0/1.
    Num(Vec<f64>),
    /// Dates as days since 1970-01-01; `None` missing.
    Date(Vec<Option<i32>>),
}

impl InputColumn {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            InputColumn::Text(v) => v.len(),
            InputColumn::Num(v) => v.len(),
            InputColumn::Date(v) => v.len(),
        }
    }
    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A table given as named columns of equal length.
pub(crate) struct FrameSource {
    label: String,
    names: Vec<String>,
    columns: Vec<InputColumn>,
    n: usize,
    pos: Option<usize>,
}

impl FrameSource {
    pub(crate) fn new(label: &str, columns: Vec<(String, InputColumn)>) -> crate::Result<Self> {
        let n = columns.first().map_or(0, |(_, c)| c.len());
        if let Some((name, c)) = columns.iter().find(|(_, c)| c.len() != n) {
            return Err(crate::Error::InvalidArgument {
                name: "columns",
                reason: format!(
                    "{label}: column '{name}' has {} rows, the first column has {n}",
                    c.len()
                ),
            });
        }
        let (names, columns) = columns
            .into_iter()
            .map(|(n, c)| (n.trim().to_string(), c))
            .unzip();
        Ok(FrameSource {
            label: label.to_string(),
            names,
            columns,
            n,
            pos: None,
        })
    }
}

impl CellAt for FrameSource {
    fn cell_at(&self, column: usize) -> Cell<'_> {
        let Some(i) = self.pos.filter(|&i| i < self.n) else {
            return Cell::Missing;
        };
        match &self.columns[column] {
            InputColumn::Text(v) => match v[i].as_deref() {
                Some(s) if !s.is_empty() => Cell::Str(s),
                _ => Cell::Missing,
            },
            InputColumn::Num(v) if v[i].is_nan() => Cell::Missing,
            InputColumn::Num(v) => Cell::Num(v[i]),
            InputColumn::Date(v) => v[i].map_or(Cell::Missing, |d| Cell::Date(Date(d))),
        }
    }
}

impl RowSource for FrameSource {
    fn label(&self) -> &str {
        &self.label
    }
    fn names(&self) -> &[String] {
        &self.names
    }
    fn options(&self) -> ParseOptions {
        ParseOptions::default()
    }
    fn size_hint(&self) -> usize {
        self.n
    }
    fn next_row(&mut self, _problems: &mut Problems) -> Option<u64> {
        let next = self.pos.map_or(0, |p| p + 1);
        if next < self.n {
            self.pos = Some(next);
            Some(next as u64)
        } else {
            self.pos = Some(self.n);
            None
        }
    }
}
