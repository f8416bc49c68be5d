//! Column storage: a compact text column, column descriptions, and the
//! `attributes!` macro that declares a table's typed attribute columns.
//!
//! Attribute columns are `Vec<Option<T>>`: a `None` is unknown. For the
//! enums and `bool` this takes one byte per row (the compiler uses a niche
//! for `None`), for `i32` eight and for `f64` sixteen.

use crate::cohort::values::{Cell, ValueKind};
use serde::{Deserialize, Serialize};

/// Describes one column of the schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColumnSpec {
    /// The column name in files and DataFrames.
    pub name: &'static str,
    /// What the column holds.
    pub kind: ValueKind,
    /// Whether the column must be present and every cell filled.
    pub required: bool,
    /// Inclusive range for numbers.
    pub range: Option<(f64, f64)>,
    /// Only meaningful for one group: a value there on the other group is a warning.
    pub only_for: Option<crate::cohort::Group>,
    /// One line of documentation, with the report's term and table.
    pub doc: &'static str,
}

/// Text cells stored back to back in one buffer, with an optional validity
/// mask (Arrow's layout): one allocation instead of one per row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrColumn {
    data: String,
    /// `ends[i]` is the end of row i in `data`; row i starts at `ends[i-1]` (or 0).
    ends: Vec<usize>,
    /// `None` when every row has a value.
    valid: Option<Vec<bool>>,
}

impl StrColumn {
    /// An empty column with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        StrColumn {
            data: String::with_capacity(rows * 8),
            ends: Vec::with_capacity(rows),
            valid: None,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends a row (`None` is unknown).
    pub fn push(&mut self, value: Option<&str>) {
        match value {
            Some(s) => {
                self.data.push_str(s);
                if let Some(v) = &mut self.valid {
                    v.push(true);
                }
            }
            None => {
                let n = self.ends.len();
                self.valid.get_or_insert_with(|| vec![true; n]).push(false);
            }
        }
        self.ends.push(self.data.len());
    }

    /// Row `i`; `None` when unknown or out of range.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        if let Some(v) = &self.valid {
            if !v[i] {
                return None;
            }
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..end)
    }

    /// Iterates over the rows.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// A new column with the rows at `rows`, in that order.
    pub fn take(&self, rows: &[usize]) -> StrColumn {
        let mut out = StrColumn::with_capacity(rows.len());
        for &r in rows {
            out.push(self.get(r));
        }
        out
    }

    /// Releases unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
        self.ends.shrink_to_fit();
        if let Some(v) = &mut self.valid {
            v.shrink_to_fit();
        }
    }

    /// Appends the rows of `other`.
    pub fn append(&mut self, other: &StrColumn) {
        let base = self.data.len();
        let n = self.ends.len();
        self.data.reserve_exact(other.data.len());
        self.ends.reserve_exact(other.ends.len());
        self.data.push_str(&other.data);
        self.ends.extend(other.ends.iter().map(|e| e + base));
        match (&mut self.valid, &other.valid) {
            (None, None) => {}
            (Some(v), None) => v.extend(std::iter::repeat_n(true, other.len())),
            (mine, Some(theirs)) => {
                let v = mine.get_or_insert_with(|| vec![true; n]);
                v.extend_from_slice(theirs);
            }
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.data.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.valid.as_ref().map_or(0, Vec::capacity)
    }
}

/// A borrowed, typed view of one column, for generic consumers (writers,
/// bindings) that do not want to know the table's struct.
#[derive(Clone, Debug)]
pub enum ColumnRef<'a> {
    /// Booleans.
    Bool(&'a [Option<bool>]),
    /// Whole numbers.
    Int(&'a [Option<i32>]),
    /// Real numbers.
    Float(&'a [Option<f64>]),
    /// Dates.
    Date(&'a [Option<crate::Date>]),
    /// Required dates.
    DateRequired(&'a [crate::Date]),
    /// Category codes (positions in `levels`), `None` unknown.
    Category {
        /// The code of each row.
        codes: Vec<Option<u8>>,
        /// The allowed values.
        levels: &'static [&'static str],
    },
    /// Text.
    Text(&'a StrColumn),
    /// Text looked up through row indices (a person's or incident's `case_id`).
    TextLookup {
        /// The text values.
        values: &'a StrColumn,
        /// The row of `values` for each row of this column.
        index: &'a [u32],
    },
}

impl ColumnRef<'_> {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnRef::Bool(v) => v.len(),
            ColumnRef::Int(v) => v.len(),
            ColumnRef::Float(v) => v.len(),
            ColumnRef::Date(v) => v.len(),
            ColumnRef::DateRequired(v) => v.len(),
            ColumnRef::Category { codes, .. } => codes.len(),
            ColumnRef::Text(v) => v.len(),
            ColumnRef::TextLookup { index, .. } => index.len(),
        }
    }

    /// Whether row `i` has a value.
    pub fn is_known(&self, i: usize) -> bool {
        match self {
            ColumnRef::Bool(v) => v[i].is_some(),
            ColumnRef::Int(v) => v[i].is_some(),
            ColumnRef::Float(v) => v[i].is_some(),
            ColumnRef::Date(v) => v[i].is_some(),
            ColumnRef::DateRequired(_) => true,
            ColumnRef::Category { codes, .. } => codes[i].is_some(),
            ColumnRef::Text(v) => v.get(i).is_some(),
            ColumnRef::TextLookup { values, index } => values.get(index[i] as usize).is_some(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as CSV text (empty when unknown).
    pub fn write_cell(&self, i: usize, out: &mut String) {
        use crate::cohort::values::Value;
        match self {
            ColumnRef::Bool(v) => {
                if let Some(x) = v[i] {
                    x.write(out)
                }
            }
            ColumnRef::Int(v) => {
                if let Some(x) = v[i] {
                    x.write(out)
                }
            }
            ColumnRef::Float(v) => {
                if let Some(x) = v[i] {
                    x.write(out)
                }
            }
            ColumnRef::Date(v) => {
                if let Some(x) = v[i] {
                    x.write(out)
                }
            }
            ColumnRef::DateRequired(v) => v[i].write(out),
            ColumnRef::Category { codes, levels } => {
                if let Some(c) = codes[i] {
                    out.push_str(levels[c as usize]);
                }
            }
            ColumnRef::Text(v) => {
                if let Some(s) = v.get(i) {
                    out.push_str(s)
                }
            }
            ColumnRef::TextLookup { values, index } => {
                if let Some(s) = values.get(index[i] as usize) {
                    out.push_str(s)
                }
            }
        }
    }
}

/// A value-typed cell reader for one column: what the attribute macro needs
/// from a row source.
pub(crate) trait CellAt {
    fn cell_at(&self, column: usize) -> Cell<'_>;
}

/// Declares the typed attribute columns of a table: a struct of
/// `Vec<Option<T>>` columns, a row struct, the column specs, and the generic
/// plumbing (push a parsed row, view a column by name, select rows).
macro_rules! attributes {
    (
        $(#[$smeta:meta])*
        $cols:ident / $row:ident {
            $(
                #[doc = $doc:literal]
                $( #[range($lo:expr, $hi:expr)] )?
                $( #[only_for($grp:ident)] )?
                $field:ident : $ty:ty
            ),+ $(,)?
        }
    ) => {
        $(#[$smeta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $cols {
            $( #[doc = $doc] pub $field: Vec<Option<$ty>>, )+
        }

        /// One row of the attribute columns (unknown is `None`).
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $row {
            $( #[doc = $doc] pub $field: Option<$ty>, )+
        }

        impl $cols {
            /// The column descriptions, in file order.
            pub const SPECS: &'static [$crate::cohort::columns::ColumnSpec] = &[
                $( $crate::cohort::columns::ColumnSpec {
                    name: stringify!($field),
                    kind: <$ty as $crate::cohort::values::Value>::KIND,
                    required: false,
                    range: attributes!(@range $($lo, $hi)?),
                    only_for: attributes!(@grp $($grp)?),
                    doc: $doc,
                }, )+
            ];

            /// Empty columns with room for `rows` rows.
            pub fn with_capacity(rows: usize) -> Self {
                $cols { $( $field: Vec::with_capacity(rows), )+ }
            }

            /// Row `i` (`None` when out of range).
            pub fn row(&self, i: usize) -> Option<$row> {
                if i >= self.len() { return None; }
                Some($row { $( $field: self.$field[i], )+ })
            }

            /// The number of rows.
            pub fn len(&self) -> usize {
                attributes!(@first self $($field)+).len()
            }

            /// Whether there are no rows.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// The column called `name`.
            pub fn column(&self, name: &str) -> Option<$crate::cohort::columns::ColumnRef<'_>> {
                use $crate::cohort::columns::ViewColumn;
                $( if name == stringify!($field) { return Some(self.$field.view()); } )+
                None
            }

            /// A copy with the rows at `rows`, in that order.
            pub fn take(&self, rows: &[usize]) -> Self {
                $cols { $( $field: rows.iter().map(|&r| self.$field[r]).collect(), )+ }
            }

            /// Releases unused capacity.
            pub fn shrink_to_fit(&mut self) {
                $( self.$field.shrink_to_fit(); )+
            }

            /// Fills every column shorter than `rows` with unknowns up to `rows`.
            pub fn pad_to(&mut self, rows: usize) {
                $( if self.$field.len() < rows { self.$field.resize(rows, None); } )+
            }

            /// Appends the rows of `other`.
            pub fn append(&mut self, other: Self) {
                // Exact growth: a table is appended a few times, not row by row.
                $( self.$field.reserve_exact(other.$field.len()); self.$field.extend(other.$field); )+
            }

            /// Heap bytes held by the columns.
            pub fn heap_bytes(&self) -> usize {
                0 $( + self.$field.capacity() * std::mem::size_of::<Option<$ty>>() )+
            }

            /// Reads one row: `map[k]` is the source column of spec `k`.
            /// Unreadable cells become `None` and are reported through `report`.
            pub(crate) fn push_from<S: $crate::cohort::columns::CellAt + ?Sized>(
                &mut self,
                src: &S,
                map: &[Option<usize>],
                opts: $crate::cohort::values::ParseOptions,
                report: &mut dyn FnMut(usize, $crate::cohort::values::Cell<'_>, $crate::cohort::values::Reject),
            ) {
                let mut k = 0usize;
                $(
                    let v = match map[k] {
                        None => None,
                        Some(j) => {
                            let cell = src.cell_at(j);
                            $crate::cohort::columns::read_checked::<$ty>(
                                cell, opts, &Self::SPECS[k], k, report)
                        }
                    };
                    self.$field.push(v);
                    #[allow(unused_assignments)]
                    { k += 1; }
                )+
            }
        }
    };
    (@range) => { None };
    (@range $lo:expr, $hi:expr) => { Some(($lo as f64, $hi as f64)) };
    (@grp) => { None };
    (@grp $g:ident) => { Some($crate::cohort::Group::$g) };
    (@first $self:ident $f:ident $($rest:ident)*) => { $self.$f };
}
pub(crate) use attributes;

/// Reads one cell into `T`, applying the column's range; reports and returns
/// `None` on failure.
pub(crate) fn read_checked<T: crate::cohort::values::Value>(
    cell: Cell<'_>,
    opts: crate::cohort::values::ParseOptions,
    spec: &ColumnSpec,
    k: usize,
    report: &mut dyn FnMut(usize, Cell<'_>, crate::cohort::values::Reject),
) -> Option<T> {
    match T::from_cell(cell, opts) {
        Ok(Some(v)) => {
            if let (Some((lo, hi)), Some(x)) = (spec.range, v.as_f64()) {
                if x < lo || x > hi {
                    let range = if hi.is_infinite() {
                        format!("must be at least {lo}")
                    } else {
                        format!("must lie between {lo} and {hi}")
                    };
                    report(
                        k,
                        cell,
                        crate::cohort::values::Reject {
                            rule: crate::error::Rule::OutOfRange,
                            message: range,
                        },
                    );
                    return None;
                }
            }
            Some(v)
        }
        Ok(None) => None,
        Err(e) => {
            report(k, cell, e);
            None
        }
    }
}

/// Turns a `Vec<Option<T>>` into a [`ColumnRef`].
pub trait ViewColumn {
    /// The typed view.
    fn view(&self) -> ColumnRef<'_>;
}

impl ViewColumn for Vec<Option<bool>> {
    fn view(&self) -> ColumnRef<'_> {
        ColumnRef::Bool(self)
    }
}
impl ViewColumn for Vec<Option<i32>> {
    fn view(&self) -> ColumnRef<'_> {
        ColumnRef::Int(self)
    }
}
impl ViewColumn for Vec<Option<f64>> {
    fn view(&self) -> ColumnRef<'_> {
        ColumnRef::Float(self)
    }
}
impl ViewColumn for Vec<Option<crate::Date>> {
    fn view(&self) -> ColumnRef<'_> {
        ColumnRef::Date(self)
    }
}
