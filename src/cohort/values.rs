//! Cell values: dates, the parse rules every column shares, and the value kinds.
//!
//! A cell arrives as text (CSV) or as a number / date (DataFrames) and becomes
//! `Option<T>`: `None` is "unknown" (the report's *onbekend*), never 0 or false.
//!
//! Missing: an empty (or all-blank) cell is unknown everywhere. Typed columns
//! (not text columns) also read `NA`, `NaN`, `null` and `None` as unknown, since
//! R, pandas and SPSS exports write them.

use crate::error::Rule;
use serde::{Deserialize, Serialize};
use std::fmt::{self, Write as _};

/// Days between 0001-01-01 (chrono's day 1 of the common era) and 1970-01-01.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// A calendar date, stored as days since 1970-01-01 (numpy's `datetime64[D]` epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(pub i32);

impl Date {
    /// The date for a year, month and day; `None` when no such calendar day exists.
    ///
    /// ```
    /// use huisverbod::Date;
    /// assert_eq!(Date::from_ymd(1970, 1, 2), Some(Date(1)));
    /// assert_eq!(Date::from_ymd(2011, 2, 29), None);
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        let d = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Date(
            chrono::Datelike::num_days_from_ce(&d) - UNIX_EPOCH_FROM_CE,
        ))
    }

    /// Parses ISO 8601 `YYYY-MM-DD`. A time of day after `T` or a space
    /// (`HH:MM`, `HH:MM:SS`, with optional fraction and zone) is accepted and
    /// ignored: pandas writes `2011-05-01 00:00:00`. Anything else after the
    /// date is refused.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if b.len() > 10 && !((b[10] == b'T' || b[10] == b' ') && is_time_of_day(&s[11..])) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let mut v = 0u32;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Some(v)
        };
        let y = num(0..4)?;
        let m = num(5..7)?;
        let d = num(8..10)?;
        Date::from_ymd(y as i32, m, d)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        use chrono::Datelike;
        match chrono::NaiveDate::from_num_days_from_ce_opt(
            self.0.saturating_add(UNIX_EPOCH_FROM_CE),
        ) {
            Some(d) => (d.year(), d.month(), d.day()),
            // Outside chrono's range (about ±262,000 years): cannot come from parsing.
            None => (0, 1, 1),
        }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// The date `days` days later.
    pub fn plus_days(self, days: i32) -> Date {
        Date(self.0.saturating_add(days))
    }
}

/// `HH:MM[:SS[.fff]][Z|±HH:MM]`.
fn is_time_of_day(t: &str) -> bool {
    let (clock, zone) = match t.find(['Z', '+', '-']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && two_digits(&zone[1..3])
            && two_digits(&zone[4..6]));
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let hms_ok = (parts.len() == 2 || parts.len() == 3) && parts.iter().all(|p| two_digits(p));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    zone_ok && hms_ok && frac_ok && (frac.is_none() || parts.len() == 3)
}

fn two_digits(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// One input cell, as a reader hands it to a column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// No value.
    Missing,
    /// Text, as read from a CSV file or a text column.
    Str(&'a str),
    /// A number from a numeric DataFrame column (NaN is passed as `Missing`).
    Num(f64),
    /// A date from a datetime DataFrame column.
    Date(Date),
}

/// What kind of values a column holds; drives parsing, writing and the Python dtypes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// true/false.
    Bool,
    /// Whole numbers.
    Int,
    /// Real numbers.
    Float,
    /// Calendar dates.
    Date,
    /// One of a fixed list of values.
    Category(&'static [&'static str]),
    /// Free text.
    Text,
}

impl ValueKind {
    /// A short name for documentation and Python (`bool`, `int`, `float`, `date`, `category`, `text`).
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Bool => "bool",
            ValueKind::Int => "int",
            ValueKind::Float => "float",
            ValueKind::Date => "date",
            ValueKind::Category(_) => "category",
            ValueKind::Text => "text",
        }
    }
}

/// Why a cell could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Reject {
    /// The rule broken.
    pub rule: Rule,
    /// What was expected.
    pub message: String,
}

impl Reject {
    fn new(rule: Rule, message: impl Into<String>) -> Self {
        Reject {
            rule,
            message: message.into(),
        }
    }
}

/// How text cells are read.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// Read `1,5` as 1.5 (files separated by `;`, as Dutch Excel writes them).
    pub decimal_comma: bool,
}

/// Tokens that typed columns read as unknown, besides the empty cell.
pub(crate) fn is_na_token(s: &str) -> bool {
    matches!(
        s,
        "NA" | "N/A" | "NaN" | "nan" | "null" | "NULL" | "None" | "<NA>" | "NaT"
    )
}

/// A value type that a column can hold.
pub trait Value: Copy + PartialEq + fmt::Debug + Send + Sync + 'static {
    /// The kind of the column.
    const KIND: ValueKind;
    /// Reads one cell; `Ok(None)` is unknown.
    fn from_cell(cell: Cell<'_>, opts: ParseOptions) -> Result<Option<Self>, Reject>;
    /// Writes the value as CSV text (the inverse of `from_cell` on `Cell::Str`).
    fn write(&self, out: &mut String);
    /// The value as a number, for range checks and numeric views.
    fn as_f64(&self) -> Option<f64> {
        None
    }
}

/// Trims a text cell and maps NA tokens to `None`.
fn typed_text(s: &str) -> Option<&str> {
    let t = s.trim();
    if t.is_empty() || is_na_token(t) {
        None
    } else {
        Some(t)
    }
}

fn parse_number(s: &str, opts: ParseOptions) -> Result<f64, Reject> {
    let parsed = if opts.decimal_comma && s.contains(',') && !s.contains('.') {
        s.replacen(',', ".", 1).parse::<f64>()
    } else {
        s.parse::<f64>()
    };
    match parsed {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(Reject::new(Rule::NotANumber, "expected a number")),
    }
}

impl Value for bool {
    const KIND: ValueKind = ValueKind::Bool;
    fn from_cell(cell: Cell<'_>, _opts: ParseOptions) -> Result<Option<Self>, Reject> {
        let expected = "expected true/false, 1/0, yes/no or ja/nee";
        match cell {
            Cell::Missing => Ok(None),
            Cell::Num(1.0) => Ok(Some(true)),
            Cell::Num(0.0) => Ok(Some(false)),
            Cell::Num(_) | Cell::Date(_) => Err(Reject::new(Rule::NotABoolean, expected)),
            Cell::Str(s) => {
                let Some(t) = typed_text(s) else {
                    return Ok(None);
                };
                const TRUE: [&str; 8] = ["true", "1", "1.0", "yes", "ja", "y", "j", "t"];
                const FALSE: [&str; 7] = ["false", "0", "0.0", "no", "nee", "n", "f"];
                if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Ok(Some(true))
                } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Ok(Some(false))
                } else {
                    Err(Reject::new(Rule::NotABoolean, expected))
                }
            }
        }
    }
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
    fn as_f64(&self) -> Option<f64> {
        Some(if *self { 1.0 } else { 0.0 })
    }
}

impl Value for i32 {
    const KIND: ValueKind = ValueKind::Int;
    fn from_cell(cell: Cell<'_>, opts: ParseOptions) -> Result<Option<Self>, Reject> {
        let v = match cell {
            Cell::Missing => return Ok(None),
            Cell::Date(_) => return Err(Reject::new(Rule::NotANumber, "expected a whole number")),
            Cell::Num(v) => v,
            Cell::Str(s) => {
                let Some(t) = typed_text(s) else {
                    return Ok(None);
                };
                if let Ok(i) = t.parse::<i32>() {
                    return Ok(Some(i));
                }
                parse_number(t, opts)
                    .map_err(|_| Reject::new(Rule::NotANumber, "expected a whole number"))?
            }
        };
        if v.fract() != 0.0 {
            return Err(Reject::new(
                Rule::NotAWholeNumber,
                "expected a whole number",
            ));
        }
        if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&v) {
            return Err(Reject::new(Rule::OutOfRange, "number too large"));
        }
        Ok(Some(v as i32))
    }
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    fn as_f64(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

impl Value for f64 {
    const KIND: ValueKind = ValueKind::Float;
    fn from_cell(cell: Cell<'_>, opts: ParseOptions) -> Result<Option<Self>, Reject> {
        match cell {
            Cell::Missing => Ok(None),
            Cell::Num(v) if v.is_nan() => Ok(None),
            Cell::Num(v) if v.is_finite() => Ok(Some(v)),
            Cell::Num(_) | Cell::Date(_) => {
                Err(Reject::new(Rule::NotANumber, "expected a finite number"))
            }
            Cell::Str(s) => match typed_text(s) {
                None => Ok(None),
                Some(t) => parse_number(t, opts).map(Some),
            },
        }
    }
    fn write(&self, out: &mut String) {
        // `{}` on f64 prints the shortest text that reads back to the same value.
        let _ = write!(out, "{self}");
    }
    fn as_f64(&self) -> Option<f64> {
        Some(*self)
    }
}

impl Value for Date {
    const KIND: ValueKind = ValueKind::Date;
    fn from_cell(cell: Cell<'_>, _opts: ParseOptions) -> Result<Option<Self>, Reject> {
        let bad = || Reject::new(Rule::NotADate, "expected an ISO 8601 date YYYY-MM-DD");
        match cell {
            Cell::Missing => Ok(None),
            Cell::Date(d) => Ok(Some(d)),
            Cell::Num(_) => Err(bad()),
            Cell::Str(s) => match typed_text(s) {
                None => Ok(None),
                Some(t) => Date::parse_iso(t).map(Some).ok_or_else(bad),
            },
        }
    }
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// Declares a category enum with its stable snake-case values.
macro_rules! category {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[doc = $doc])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every allowed value, in declaration order (the order of the codes).
            pub const VALUES: &'static [&'static str] = &[$($text),+];
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The position in [`Self::VALUES`].
            pub fn code(self) -> u8 {
                self as u8
            }

            /// Parses a value; case and surrounding blanks are ignored.
            pub fn parse(s: &str) -> Option<Self> {
                let t = s.trim();
                $( if t.eq_ignore_ascii_case($text) { return Some($name::$variant); } )+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $name::parse(s).ok_or_else(|| format!(
                    "unknown value '{}' (allowed: {})", s, $name::VALUES.join(", ")))
            }
        }

        impl $crate::cohort::columns::ViewColumn for Vec<Option<$name>> {
            fn view(&self) -> $crate::cohort::columns::ColumnRef<'_> {
                $crate::cohort::columns::ColumnRef::Category {
                    codes: self.iter().map(|v| v.map($name::code)).collect(),
                    levels: $name::VALUES,
                }
            }
        }

        impl $crate::cohort::values::Value for $name {
            const KIND: $crate::cohort::values::ValueKind =
                $crate::cohort::values::ValueKind::Category($name::VALUES);
            fn from_cell(
                cell: $crate::cohort::values::Cell<'_>,
                opts: $crate::cohort::values::ParseOptions,
            ) -> Result<Option<Self>, $crate::cohort::values::Reject> {
                $crate::cohort::values::category_from_cell(cell, opts, $name::VALUES, $name::parse)
            }
            fn write(&self, out: &mut String) {
                out.push_str(self.as_str());
            }
        }
    };
}
pub(crate) use category;

/// Shared reading of category cells (used by the `category!` enums).
pub(crate) fn category_from_cell<T>(
    cell: Cell<'_>,
    _opts: ParseOptions,
    values: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, Reject> {
    let unknown = || {
        Reject::new(
            Rule::UnknownCategory,
            format!("unknown value (allowed: {})", values.join(", ")),
        )
    };
    match cell {
        Cell::Missing => Ok(None),
        Cell::Num(v) if v.is_nan() => Ok(None),
        Cell::Num(_) | Cell::Date(_) => Err(unknown()),
        Cell::Str(s) => match typed_text(s) {
            None => Ok(None),
            Some(t) => parse(t).map(Some).ok_or_else(unknown),
        },
    }
}

/// Formats a cell for a problem report.
pub(crate) fn cell_text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Missing => String::new(),
        Cell::Str(s) => s.to_string(),
        Cell::Num(v) => format!("{v}"),
        Cell::Date(d) => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_reject_impossible_days() {
        // 2011-01-01 is 41 years (1970..=2010) with 10 leap days (1972..=2008) after 1970-01-01: 41*365 + 10 = 14975.
        assert_eq!(Date::parse_iso("2011-01-01"), Some(Date(14_975)));
        assert_eq!(Date(14_975).to_string(), "2011-01-01");
        assert_eq!(Date::parse_iso("2011-01-01 00:00:00"), Some(Date(14_975)));
        assert_eq!(Date::parse_iso("2011-13-01"), None);
        assert_eq!(Date::parse_iso("01-01-2011"), None);
        assert_eq!(Date::parse_iso("2011-01-01x"), None);
        assert_eq!(Date::parse_iso("2011-01-01 later"), None);
        assert_eq!(Date::parse_iso("2011-01-01T12:30"), Some(Date(14_975)));
        assert_eq!(
            Date::parse_iso("2011-01-01T12:30:15.250+01:00"),
            Some(Date(14_975))
        );
        assert_eq!(Date::parse_iso("2011-01-01 12:30:15Z"), Some(Date(14_975)));
        assert_eq!(Date::parse_iso("2011-01-01 12"), None);
        assert_eq!(Date::parse_iso("２011-01-01"), None);
    }

    #[test]
    fn booleans_accept_dutch_and_numeric_forms() {
        let o = ParseOptions::default();
        for t in ["true", "1", "yes", "ja", "JA", " Nee ", "0.0", "NA", ""] {
            assert!(bool::from_cell(Cell::Str(t), o).is_ok(), "{t}");
        }
        assert_eq!(bool::from_cell(Cell::Str("nee"), o), Ok(Some(false)));
        assert_eq!(bool::from_cell(Cell::Str(""), o), Ok(None));
        assert_eq!(
            bool::from_cell(Cell::Str("2"), o).unwrap_err().rule,
            Rule::NotABoolean
        );
    }

    #[test]
    fn integers_reject_fractions_and_text() {
        let o = ParseOptions::default();
        assert_eq!(i32::from_cell(Cell::Str("3.0"), o), Ok(Some(3)));
        assert_eq!(
            i32::from_cell(Cell::Str("3.5"), o).unwrap_err().rule,
            Rule::NotAWholeNumber
        );
        assert_eq!(
            i32::from_cell(Cell::Str("drie"), o).unwrap_err().rule,
            Rule::NotANumber
        );
        assert_eq!(
            i32::from_cell(Cell::Num(1e12), o).unwrap_err().rule,
            Rule::OutOfRange
        );
    }

    #[test]
    fn decimal_comma_only_when_asked() {
        let comma = ParseOptions {
            decimal_comma: true,
        };
        assert_eq!(f64::from_cell(Cell::Str("1,5"), comma), Ok(Some(1.5)));
        assert!(f64::from_cell(Cell::Str("1,5"), ParseOptions::default()).is_err());
        assert!(f64::from_cell(Cell::Str("inf"), comma).is_err());
    }
}
