//! The report's published tables, embedded in the crate.
//!
//! The same file as `python/huisverbod/data/regioplan2013_tables.json`
//! (`hv.published_tables()`): a transcription of every numbered table of the
//! report with its cells (`count`, `pct`, `mean`, `sd`, `text`), the printed
//! column and row n's and the significance claim under each table. It is
//! parsed once per process.

use serde::Deserialize;
use std::sync::OnceLock;

const JSON: &str = include_str!("../../../python/huisverbod/data/regioplan2013_tables.json");

#[derive(Deserialize)]
struct File {
    tables: Vec<Table>,
}

/// One published table.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Table {
    pub id: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    #[serde(default)]
    pub significance: Option<Significance>,
}

/// A column header.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Column {
    pub label_en: String,
}

/// A row with its cells.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Row {
    pub label_en: String,
    pub cells: Vec<Cell>,
}

/// One printed cell.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Cell {
    pub count: Option<f64>,
    pub pct: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub text: Option<String>,
    pub marker: Option<String>,
    /// A printed p-value (Bijlage 5).
    #[serde(default)]
    pub p: Option<f64>,
    /// A printed verdict "Ja"/"Nee" (Bijlage 5).
    #[serde(default)]
    pub significant: Option<bool>,
}

impl Cell {
    /// The printed count; a printed `-` is a count of 0.
    pub fn count_or_dash(&self) -> Option<f64> {
        self.count
            .or_else(|| (self.text.as_deref().map(str::trim) == Some("-")).then_some(0.0))
    }
}

/// The significance claim printed under a table.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Significance {
    pub claim: Option<String>,
    pub alpha: Option<f64>,
    pub sided: Option<String>,
}

fn all() -> &'static [Table] {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The file is part of the crate (include_str!) and checked by a test;
        // it cannot fail to parse at run time.
        serde_json::from_str::<File>(JSON)
            .map(|f| f.tables)
            .expect("the embedded regioplan2013_tables.json parses")
    })
}

/// The published table with this id (`"5.1"`, `"2.7"`, ...).
pub(crate) fn table(id: &str) -> Option<&'static Table> {
    all().iter().find(|t| t.id == id)
}

/// The printed cell at (row, column) of a table.
pub(crate) fn cell(id: &str, row: usize, col: usize) -> Option<&'static Cell> {
    table(id)?.rows.get(row)?.cells.get(col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_tables_parse() {
        assert_eq!(all().len(), 95);
        let t = table("5.1").unwrap();
        assert_eq!(t.rows[0].cells[0].count, Some(22.0));
        assert_eq!(t.rows[0].cells[1].count, Some(31.0));
        assert_eq!(cell("2.2", 3, 0).unwrap().count_or_dash(), Some(0.0));
    }
}
