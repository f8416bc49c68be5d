//! Reading each table from a row source, with the row-level rules.
//!
//! Cross-table rules (unknown cases, duplicates, incident dates) are checked
//! in `io::assemble` once all three tables are read.

use super::source::RowSource;
use crate::cohort::columns::{ColumnSpec, StrColumn};
use crate::cohort::enums::{Group, Role, Source};
use crate::cohort::tables::*;
use crate::cohort::tables::{extend_exact, Append};
use crate::cohort::values::{cell_text, Cell, Date, Value};
use crate::error::{Problems, Rule, Severity};
use std::borrow::Cow;

/// Where each schema column sits in the source.
pub(crate) struct ColumnMap {
    keys: Vec<Option<usize>>,
    attrs: Vec<Option<usize>>,
    extra: Vec<(String, usize)>,
}

/// Matches the source's header against the schema (case-insensitively).
/// Returns `None` when a required column is missing.
pub(crate) fn map_columns<S: RowSource>(
    src: &S,
    keys: &[ColumnSpec],
    attrs: &[ColumnSpec],
    problems: &mut Problems,
) -> Option<ColumnMap> {
    let names = src.names();
    let label = src.label().to_string();
    let mut ok = true;
    for (j, n) in names.iter().enumerate() {
        if !n.is_empty() && names[..j].iter().any(|m| m.eq_ignore_ascii_case(n)) {
            problems.push(
                Severity::Error,
                &label,
                Some(1),
                Some(n),
                None,
                Rule::DuplicateColumn,
                "the column name appears more than once in the header",
            );
            ok = false;
        }
    }
    let find = |spec: &ColumnSpec| names.iter().position(|n| n.eq_ignore_ascii_case(spec.name));
    let mut map_specs = |specs: &[ColumnSpec], problems: &mut Problems| -> Vec<Option<usize>> {
        specs
            .iter()
            .map(|spec| {
                let j = find(spec);
                if j.is_none() && spec.required {
                    let shown: Vec<&str> = names.iter().map(String::as_str).take(12).collect();
                    problems.push(
                        Severity::Error,
                        &label,
                        Some(1),
                        Some(spec.name),
                        None,
                        Rule::MissingColumn,
                        format!(
                            "required column '{}' is missing; the header has: {}{}",
                            spec.name,
                            shown.join(", "),
                            if names.len() > 12 { ", ..." } else { "" }
                        ),
                    );
                    ok = false;
                }
                j
            })
            .collect()
    };
    let key_map = map_specs(keys, problems);
    let attr_map = map_specs(attrs, problems);
    let extra = names
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            !n.is_empty()
                && !keys
                    .iter()
                    .chain(attrs)
                    .any(|s| s.name.eq_ignore_ascii_case(n))
        })
        .filter(|(j, n)| !names[..*j].iter().any(|m| m.eq_ignore_ascii_case(n)))
        .map(|(j, n)| (n.clone(), j))
        .collect();
    ok.then_some(ColumnMap {
        keys: key_map,
        attrs: attr_map,
        extra,
    })
}

/// The text of an identifier or free-text cell: trimmed, `None` when empty.
/// Whole numbers from numeric DataFrame columns are written without `.0`.
pub(crate) fn text_of(cell: Cell<'_>) -> Option<Cow<'_, str>> {
    match cell {
        Cell::Missing => None,
        Cell::Str(s) => {
            let t = s.trim();
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        Cell::Num(v) if v.is_nan() => None,
        Cell::Num(v) if v.fract() == 0.0 && v.abs() < 1e15 => {
            Some(Cow::Owned(format!("{}", v as i64)))
        }
        Cell::Num(v) => Some(Cow::Owned(format!("{v}"))),
        Cell::Date(d) => Some(Cow::Owned(d.to_string())),
    }
}

/// Reads row-level problems for one source into `problems`.
struct RowCtx<'p> {
    label: String,
    problems: &'p mut Problems,
}

impl RowCtx<'_> {
    fn error(
        &mut self,
        row: u64,
        column: &str,
        cell: Cell<'_>,
        rule: Rule,
        message: impl Into<String>,
    ) {
        let value = cell_text(cell);
        self.problems.push(
            Severity::Error,
            &self.label,
            Some(row),
            Some(column),
            Some(&value),
            rule,
            message,
        );
    }

    /// A required typed key cell.
    fn required<T: Value, S: RowSource>(
        &mut self,
        src: &S,
        j: usize,
        spec: &ColumnSpec,
        row: u64,
    ) -> Option<T> {
        let cell = src.cell_at(j);
        match T::from_cell(cell, src.options()) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.error(
                    row,
                    spec.name,
                    cell,
                    Rule::MissingValue,
                    "a value is required",
                );
                None
            }
            Err(e) => {
                self.error(row, spec.name, cell, e.rule, e.message);
                None
            }
        }
    }

    /// A required text key cell, pushed onto `col` (empty text when missing).
    fn required_text<S: RowSource>(
        &mut self,
        src: &S,
        j: usize,
        spec: &ColumnSpec,
        row: u64,
        col: &mut StrColumn,
    ) -> bool {
        let cell = src.cell_at(j);
        match text_of(cell) {
            Some(t) => {
                col.push(Some(&t));
                true
            }
            None => {
                self.error(
                    row,
                    spec.name,
                    cell,
                    Rule::MissingValue,
                    "a value is required",
                );
                col.push(Some(""));
                false
            }
        }
    }
}

fn push_extra<S: RowSource>(src: &S, map: &ColumnMap, extra: &mut ExtraColumns) {
    for ((_, j), (_, col)) in map.extra.iter().zip(extra.iter_mut()) {
        col.push(text_of(src.cell_at(*j)).as_deref());
    }
}

fn new_extra(map: &ColumnMap) -> ExtraColumns {
    map.extra
        .iter()
        .map(|(n, _)| (n.clone(), StrColumn::default()))
        .collect()
}

fn push_attrs<S: RowSource>(
    ctx: &mut RowCtx<'_>,
    src: &S,
    row: u64,
    specs: &[ColumnSpec],
    push: impl FnOnce(&S, &mut dyn FnMut(usize, Cell<'_>, crate::cohort::values::Reject)),
) {
    let mut report = |k: usize, cell: Cell<'_>, e: crate::cohort::values::Reject| {
        ctx.error(row, specs[k].name, cell, e.rule, e.message);
    };
    push(src, &mut report);
}

/// A table as read, before cross-table checks.
pub(crate) struct Read<T> {
    pub table: T,
    /// The row number of each table row.
    pub rows: Vec<u64>,
    /// Whether each row's keys were readable (cross-table checks skip the others).
    pub keys_ok: Vec<bool>,
    /// Cases only: whether incident_date was readable (the incident-date rule needs it).
    pub date_ok: Vec<bool>,
    /// The `case_id` text of each row (persons and incidents), resolved later.
    pub case_ids: StrColumn,
    /// The source label.
    pub label: String,
}

impl<T: Append> Read<T> {
    /// Appends the rows of `other` (a later chunk of the same file).
    pub(crate) fn append(&mut self, other: Read<T>) {
        self.table.append(other.table);
        extend_exact(&mut self.rows, other.rows);
        extend_exact(&mut self.keys_ok, other.keys_ok);
        extend_exact(&mut self.date_ok, other.date_ok);
        self.case_ids.append(&other.case_ids);
    }
}

/// Reads the cases table.
pub(crate) fn read_cases<S: RowSource>(
    mut src: S,
    map: &ColumnMap,
    problems: &mut Problems,
) -> Read<CaseTable> {
    let k = |i: usize| map.keys[i].unwrap_or(usize::MAX);
    let opts = src.options();
    let mut ctx = RowCtx {
        label: src.label().to_string(),
        problems,
    };
    let n = src.size_hint();
    let mut t = CaseTable {
        case_id: StrColumn::with_capacity(n),
        group: Vec::with_capacity(n),
        incident_date: Vec::with_capacity(n),
        followup_end: Vec::with_capacity(n),
        attrs: CaseAttrs::with_capacity(n),
        extra: new_extra(map),
        ..CaseTable::default()
    };
    let (mut rows, mut keys_ok, mut date_ok) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    while let Some(row) = src.next_row(ctx.problems) {
        let mut ok = ctx.required_text(&src, k(0), &CASE_KEYS[0], row, &mut t.case_id);
        let group: Option<Group> = ctx.required(&src, k(1), &CASE_KEYS[1], row);
        match map.keys[2] {
            Some(j) => t.region.push(text_of(src.cell_at(j)).as_deref()),
            None => t.region.push(None),
        }
        let start: Option<Date> = ctx.required(&src, k(3), &CASE_KEYS[3], row);
        let end: Option<Date> = ctx.required(&src, k(4), &CASE_KEYS[4], row);
        ok &= group.is_some() && start.is_some() && end.is_some();
        date_ok.push(start.is_some());
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                ctx.error(
                    row,
                    "followup_end",
                    src.cell_at(k(4)),
                    Rule::FollowupBeforeIncident,
                    format!("followup_end lies before incident_date ({s})"),
                );
            }
        }
        t.group.push(group.unwrap_or(Group::Control));
        t.incident_date.push(start.unwrap_or(Date(0)));
        t.followup_end.push(end.unwrap_or(Date(0)));
        push_attrs(&mut ctx, &src, row, CaseAttrs::SPECS, |s, report| {
            t.attrs.push_from(s, &map.attrs, opts, report)
        });
        push_extra(&src, map, &mut t.extra);
        rows.push(row);
        keys_ok.push(ok);
    }
    Read {
        table: t,
        rows,
        keys_ok,
        date_ok,
        case_ids: StrColumn::default(),
        label: ctx.label,
    }
}

/// How many group-only warnings are listed per column before they are summarised.
const LISTED_WARNINGS: usize = 20;

/// Warns about fields that apply to one group only but are filled on the other.
pub(crate) fn group_only_warnings(
    t: &CaseTable,
    rows: &[u64],
    ok: &[bool],
    label: &str,
    problems: &mut Problems,
) {
    for spec in CaseAttrs::SPECS {
        let Some(only) = spec.only_for else { continue };
        let Some(col) = t.attrs.column(spec.name) else {
            continue;
        };
        let hits: Vec<usize> = (0..t.len())
            .filter(|&i| ok[i] && t.group[i] != only && col.is_known(i))
            .collect();
        let (other, this) = match only {
            Group::Thv => ("a control case", "restraining-order (thv) cases"),
            Group::Control => ("a thv case", "control cases"),
        };
        for &i in hits.iter().take(LISTED_WARNINGS) {
            let mut value = String::new();
            col.write_cell(i, &mut value);
            problems.push(
                Severity::Warning,
                label,
                Some(rows[i]),
                Some(spec.name),
                Some(&value),
                Rule::GroupOnlyField,
                format!("filled on {other}: this field only applies to {this}"),
            );
        }
        if hits.len() > LISTED_WARNINGS {
            problems.push(
                Severity::Warning,
                label,
                None,
                Some(spec.name),
                None,
                Rule::GroupOnlyField,
                format!(
                    "... and {} more rows with this field filled on {other}",
                    hits.len() - LISTED_WARNINGS
                ),
            );
        }
    }
}

/// Ages allowed per role: adults and adolescents 12–110, children 0–110.
pub fn age_range(role: Role) -> (i32, i32) {
    match role {
        Role::Child => (0, 110),
        Role::Perpetrator | Role::Victim => (12, 110),
    }
}

/// Reads the persons table.
pub(crate) fn read_persons<S: RowSource>(
    mut src: S,
    map: &ColumnMap,
    problems: &mut Problems,
) -> Read<PersonTable> {
    let k = |i: usize| map.keys[i].unwrap_or(usize::MAX);
    let opts = src.options();
    let age_col = map.attrs[PersonAttrs::SPECS
        .iter()
        .position(|s| s.name == "age")
        .unwrap_or(0)];
    let mut ctx = RowCtx {
        label: src.label().to_string(),
        problems,
    };
    let n = src.size_hint();
    let mut t = PersonTable {
        person_id: StrColumn::with_capacity(n),
        role: Vec::with_capacity(n),
        attrs: PersonAttrs::with_capacity(n),
        extra: new_extra(map),
        ..PersonTable::default()
    };
    let mut case_ids = StrColumn::with_capacity(n);
    let (mut rows, mut keys_ok) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while let Some(row) = src.next_row(ctx.problems) {
        let mut ok = ctx.required_text(&src, k(0), &PERSON_KEYS[0], row, &mut t.person_id);
        ok &= ctx.required_text(&src, k(1), &PERSON_KEYS[1], row, &mut case_ids);
        let role: Option<Role> = ctx.required(&src, k(2), &PERSON_KEYS[2], row);
        ok &= role.is_some();
        t.role.push(role.unwrap_or(Role::Child));
        push_attrs(&mut ctx, &src, row, PersonAttrs::SPECS, |s, report| {
            t.attrs.push_from(s, &map.attrs, opts, report)
        });
        if let (Some(role), Some(Some(age)), Some(j)) = (role, t.attrs.age.last().copied(), age_col)
        {
            let (lo, hi) = age_range(role);
            if age < lo || age > hi {
                ctx.error(
                    row,
                    "age",
                    src.cell_at(j),
                    Rule::OutOfRange,
                    format!("age of a {} must lie between {lo} and {hi}", role.as_str()),
                );
            }
        }
        push_extra(&src, map, &mut t.extra);
        rows.push(row);
        keys_ok.push(ok);
    }
    Read {
        table: t,
        rows,
        keys_ok,
        date_ok: Vec::new(),
        case_ids,
        label: ctx.label,
    }
}

/// Reads the incidents table.
pub(crate) fn read_incidents<S: RowSource>(
    mut src: S,
    map: &ColumnMap,
    problems: &mut Problems,
) -> Read<IncidentTable> {
    let k = |i: usize| map.keys[i].unwrap_or(usize::MAX);
    let opts = src.options();
    let mut ctx = RowCtx {
        label: src.label().to_string(),
        problems,
    };
    let n = src.size_hint();
    let mut t = IncidentTable {
        incident_id: StrColumn::with_capacity(n),
        date: Vec::with_capacity(n),
        source: Vec::with_capacity(n),
        attrs: IncidentAttrs::with_capacity(n),
        extra: new_extra(map),
        ..IncidentTable::default()
    };
    let mut case_ids = StrColumn::with_capacity(n);
    let (mut rows, mut keys_ok) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while let Some(row) = src.next_row(ctx.problems) {
        let mut ok = ctx.required_text(&src, k(0), &INCIDENT_KEYS[0], row, &mut t.incident_id);
        ok &= ctx.required_text(&src, k(1), &INCIDENT_KEYS[1], row, &mut case_ids);
        let date: Option<Date> = ctx.required(&src, k(2), &INCIDENT_KEYS[2], row);
        let source: Option<Source> = ctx.required(&src, k(3), &INCIDENT_KEYS[3], row);
        ok &= date.is_some() && source.is_some();
        t.date.push(date.unwrap_or(Date(0)));
        t.source.push(source.unwrap_or(Source::Police));
        push_attrs(&mut ctx, &src, row, IncidentAttrs::SPECS, |s, report| {
            t.attrs.push_from(s, &map.attrs, opts, report)
        });
        push_extra(&src, map, &mut t.extra);
        rows.push(row);
        keys_ok.push(ok);
    }
    Read {
        table: t,
        rows,
        keys_ok,
        date_ok: Vec::new(),
        case_ids,
        label: ctx.label,
    }
}
