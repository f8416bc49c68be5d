//! Cross-table rules and the assembly of a validated [`Cohort`].

use super::read::Read;
use crate::cohort::tables::{CaseTable, IncidentTable, PersonTable};
use crate::cohort::{Cohort, IncidentIndex};
use crate::error::{Error, Problem, Problems, Rule, Severity, ValidationErrors};
use rustc_hash::FxHashMap;

/// Checks the rules that span tables and builds the cohort, or returns every problem.
pub(crate) fn assemble(
    cases: Option<Read<CaseTable>>,
    persons: Option<Read<PersonTable>>,
    incidents: Option<Read<IncidentTable>>,
    mut problems: Problems,
    labels: [&str; 3],
) -> crate::Result<Cohort> {
    // Every rule whose tables were read is checked, even when another table
    // could not be read, so the user sees all problems in one pass.
    let (mut persons, mut incidents) = (persons, incidents);
    let mut keys = None;
    if let Some(cases) = &cases {
        let index = case_index(cases, &mut problems);
        // Persons and incidents are resolved on both cores.
        let (pp, (ip, k)) = rayon::join(
            || {
                let mut p = Problems::default();
                if let Some(persons) = persons.as_mut() {
                    resolve_persons(cases, &index, persons, &mut p);
                }
                p
            },
            || {
                let mut p = Problems::default();
                let k = incidents
                    .as_mut()
                    .map(|i| resolve_incidents(cases, &index, i, &mut p));
                (p, k)
            },
        );
        problems.extend(pp);
        problems.extend(ip);
        keys = k;
    }
    if let (Some(cases), Some(persons), Some(incidents)) = (cases, persons, incidents) {
        if !problems.has_errors() {
            let mut cohort = Cohort::from_parts(cases.table, persons.table, incidents.table, keys);
            cohort.warnings = sorted(problems.list, &labels);
            return Ok(cohort);
        }
    }
    Err(Error::Validation(ValidationErrors {
        problems: sorted(problems.list, &labels),
    }))
}

/// Errors first, then warnings; within each, in file order (cases, persons,
/// incidents) and row order.
fn sorted(mut list: Vec<Problem>, labels: &[&str; 3]) -> Vec<Problem> {
    let rank = |f: &str| labels.iter().position(|l| *l == f).unwrap_or(3);
    // Whole-file errors (no row) come first; whole-file warnings (such as
    // "... and N more rows") after the rows they summarise.
    list.sort_by_key(|p| {
        let warning = p.severity == Severity::Warning;
        let row = p.row.unwrap_or(if warning { u64::MAX } else { 0 });
        (warning, rank(&p.file), row)
    });
    list
}

fn case_index<'a>(cases: &'a Read<CaseTable>, problems: &mut Problems) -> FxHashMap<&'a str, u32> {
    let t = &cases.table;
    let mut index: FxHashMap<&str, u32> = FxHashMap::default();
    index.reserve(t.len());
    for i in 0..t.len() {
        let Some(id) = t.case_id.get(i) else { continue };
        if id.is_empty() {
            continue;
        }
        if let Some(&first) = index.get(id) {
            problems.push(
                Severity::Error,
                &cases.label,
                Some(cases.rows[i]),
                Some("case_id"),
                Some(id),
                Rule::DuplicateCaseId,
                format!(
                    "case_id appears twice (first on row {})",
                    cases.rows[first as usize]
                ),
            );
        } else {
            index.insert(id, i as u32);
        }
    }
    index
}

fn resolve_persons(
    cases: &Read<CaseTable>,
    index: &FxHashMap<&str, u32>,
    persons: &mut Read<PersonTable>,
    problems: &mut Problems,
) {
    let n = persons.table.len();
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    seen.reserve(n);
    let mut case = Vec::with_capacity(n);
    for i in 0..n {
        let row = persons.rows[i];
        let id = persons.table.person_id.get(i).unwrap_or("");
        if !id.is_empty() {
            if let Some(&first) = seen.get(id) {
                problems.push(
                    Severity::Error,
                    &persons.label,
                    Some(row),
                    Some("person_id"),
                    Some(id),
                    Rule::DuplicatePersonId,
                    format!(
                        "person_id appears twice (first on row {})",
                        persons.rows[first]
                    ),
                );
            } else {
                seen.insert(id, i);
            }
        }
        case.push(lookup_case(
            persons.case_ids.get(i).unwrap_or(""),
            persons.keys_ok[i],
            index,
            &cases.label,
            &persons.label,
            row,
            problems,
        ));
    }
    persons.table.case = case;
}

fn lookup_case(
    case_id: &str,
    key_ok: bool,
    index: &FxHashMap<&str, u32>,
    cases_label: &str,
    label: &str,
    row: u64,
    problems: &mut Problems,
) -> u32 {
    match index.get(case_id) {
        Some(&c) => c,
        None => {
            if key_ok || !case_id.is_empty() {
                problems.push(
                    Severity::Error,
                    label,
                    Some(row),
                    Some("case_id"),
                    Some(case_id),
                    Rule::UnknownCase,
                    format!("no case with this case_id in {cases_label}"),
                );
            }
            0
        }
    }
}

/// Resolves incident cases, checks dates and duplicates, and returns the dense
/// key of each incident row (rows sharing an incident_id share a key).
fn resolve_incidents(
    cases: &Read<CaseTable>,
    index: &FxHashMap<&str, u32>,
    incidents: &mut Read<IncidentTable>,
    problems: &mut Problems,
) -> Vec<u32> {
    let n = incidents.table.len();
    // incident_id -> (key, case, first row position, bit set of sources seen)
    let mut ids: FxHashMap<&str, (u32, u32, usize, u8)> = FxHashMap::default();
    ids.reserve(n);
    let mut case = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    let t = &incidents.table;
    for i in 0..n {
        let row = incidents.rows[i];
        let case_id = incidents.case_ids.get(i).unwrap_or("");
        let known = index.contains_key(case_id);
        let c = lookup_case(
            case_id,
            incidents.keys_ok[i],
            index,
            &cases.label,
            &incidents.label,
            row,
            problems,
        );
        case.push(c);
        if !(known && incidents.keys_ok[i]) {
            keys.push(u32::MAX);
            continue;
        }
        let start = cases.table.incident_date[c as usize];
        if t.date[i] <= start && cases.date_ok[c as usize] {
            problems.push(
                Severity::Error,
                &incidents.label,
                Some(row),
                Some("date"),
                Some(&t.date[i].to_string()),
                Rule::IncidentBeforeCase,
                format!(
                    "a new incident must lie after its case's incident_date ({start}, case {case_id})"
                ),
            );
        }
        let id = t.incident_id.get(i).unwrap_or("");
        let bit = 1u8 << t.source[i].code();
        let next_key = ids.len() as u32;
        let entry = ids.entry(id).or_insert((next_key, c, i, 0));
        if entry.1 != c {
            problems.push(
                Severity::Error,
                &incidents.label,
                Some(row),
                Some("incident_id"),
                Some(id),
                Rule::DuplicateIncident,
                format!(
                    "incident_id is used for two cases (first on row {} for case {})",
                    incidents.rows[entry.2],
                    cases.table.case_id.get(entry.1 as usize).unwrap_or("")
                ),
            );
        } else if entry.3 & bit != 0 {
            problems.push(
                Severity::Error,
                &incidents.label,
                Some(row),
                Some("incident_id"),
                Some(id),
                Rule::DuplicateIncident,
                format!(
                    "incident_id appears twice for source {} (first on row {})",
                    t.source[i], incidents.rows[entry.2]
                ),
            );
        }
        entry.3 |= bit;
        keys.push(entry.0);
    }
    incidents.table.case = case;
    keys
}

impl IncidentIndex {
    /// Groups incident rows by case (a counting sort), ordered by date within each case.
    pub(crate) fn build(n_cases: usize, t: &IncidentTable, keys: Vec<u32>) -> IncidentIndex {
        let mut start = vec![0u32; n_cases + 1];
        for &c in &t.case {
            start[c as usize + 1] += 1;
        }
        for i in 0..n_cases {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut rows = vec![0u32; t.len()];
        for (i, &c) in t.case.iter().enumerate() {
            let slot = &mut fill[c as usize];
            rows[*slot as usize] = i as u32;
            *slot += 1;
        }
        for c in 0..n_cases {
            let s = &mut rows[start[c] as usize..start[c + 1] as usize];
            if s.len() > 1 {
                s.sort_unstable_by_key(|&r| (t.date[r as usize], r));
            }
        }
        IncidentIndex {
            start,
            rows,
            key: keys,
        }
    }
}
