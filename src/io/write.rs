//! Writing a cohort as three CSV files.
//!
//! The files are UTF-8 without a byte-order mark, comma-separated, with the
//! columns in schema order followed by any extra columns; unknown values are
//! empty cells; booleans are `true`/`false`; dates are ISO 8601; real numbers
//! are written in the shortest form that reads back to the same value, so
//! reading the files gives back an equal cohort.

use crate::cohort::{Cohort, Table};
use crate::error::Error;
use std::io::Write;
use std::path::Path;

impl Cohort {
    /// Writes `cases.csv`, `persons.csv` and `incidents.csv` into `dir`
    /// (created when absent).
    ///
    /// # Errors
    /// [`Error::Write`] when a file cannot be written.
    pub fn to_csv_dir(&self, dir: impl AsRef<Path>) -> crate::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.display().to_string(),
            source,
        })?;
        for (table, name) in Table::ALL.into_iter().zip(super::FILE_NAMES) {
            let path = dir.join(name);
            let werr = |source: std::io::Error| Error::Write {
                path: path.display().to_string(),
                source,
            };
            let file = std::fs::File::create(&path).map_err(werr)?;
            let mut out = std::io::BufWriter::new(file);
            self.write_table(table, &mut out).map_err(werr)?;
            out.flush().map_err(werr)?;
        }
        Ok(())
    }

    /// Writes one table as CSV to any writer.
    ///
    /// # Errors
    /// The writer's I/O errors.
    pub fn write_table(&self, table: Table, out: impl Write) -> std::io::Result<()> {
        let names = self.column_names(table);
        let columns: Vec<_> = names.iter().filter_map(|n| self.column(table, n)).collect();
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&names)?;
        let n = columns.first().map_or(0, |c| c.len());
        let mut cells: Vec<String> = vec![String::new(); columns.len()];
        for i in 0..n {
            for (cell, col) in cells.iter_mut().zip(&columns) {
                cell.clear();
                col.write_cell(i, cell);
            }
            w.write_record(&cells)?;
        }
        w.flush()
    }
}
