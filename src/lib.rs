//! # huisverbod
//!
//! Evaluation of restraining orders for domestic violence, after the 2013
//! effect evaluation of the Dutch Temporary Restraining Order Act (Wet
//! tijdelijk huisverbod; Regioplan 2013).
//!
//! The crate holds the typed cohort model ([`Cohort`]: cases, persons, new
//! incidents), validated ingestion from CSV files or DataFrame-like columns
//! ([`io`]), the report's derived variables ([`cohort::derived`]) and the
//! recidivism measures ([`outcome`]). The Python package `huisverbod` is a
//! thin layer over this crate (feature `python`).
//!
//! ```
//! use huisverbod::{Cohort, RecidivismOptions, Source};
//! let cohort = Cohort::from_csv_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data"))?;
//! let rec = cohort.recidivism(&RecidivismOptions { sources: Some(vec![Source::Police]), window_days: None })?;
//! for line in rec.by_group() {
//!     println!("{}: {} of {} cases with new incidents", line.group, line.n_with_new, line.n);
//! }
//! # Ok::<(), huisverbod::Error>(())
//! ```

pub mod causal;
pub mod cohort;
pub mod error;
pub mod io;
pub mod models;
pub mod numerics;
pub mod outcome;
pub mod stats;
pub mod survival;
pub mod synth;

#[cfg(feature = "python")]
mod python;

pub use cohort::columns::{ColumnRef, ColumnSpec, StrColumn};
pub use cohort::values::{Cell, ValueKind};
pub use cohort::{
    Case, CaseTable, ChildAbuse, Cohort, ControlKind, Date, Education, Extent, Group, Incident,
    IncidentKind, IncidentTable, MaritalStatus, OffenderCategory, Origin, Person, PersonTable,
    Role, Sex, Source, SystemAfter, Table,
};
pub use error::{Error, Problem, Result, Rule, Severity, ValidationErrors};
pub use io::InputColumn;
pub use outcome::{GroupSummary, Recidivism, RecidivismOptions};
