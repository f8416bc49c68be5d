//! The cohort: cases, the persons in them and the new incidents after them.
//!
//! A [`Cohort`] is validated when it is built (see [`crate::io`]) and
//! immutable afterwards. It stores columns (struct of arrays), so that
//! analyses over a million cases read only the columns they need, and it
//! offers typed per-row access ([`Cohort::case`], [`Cohort::person`],
//! [`Cohort::incident`]) for code that thinks in records.

pub mod columns;
pub mod derived;
pub mod enums;
pub mod tables;
pub mod values;

pub use enums::*;
pub use tables::*;
pub use values::Date;

use crate::error::Problem;
use columns::ColumnRef;

/// Incident rows grouped by case, ordered by date within each case (CSR layout).
#[derive(Clone, Debug, Default)]
pub(crate) struct IncidentIndex {
    /// `rows[start[c]..start[c+1]]` are case `c`'s incident rows.
    pub(crate) start: Vec<u32>,
    /// Incident row numbers, grouped by case.
    pub(crate) rows: Vec<u32>,
    /// Per incident row: a key shared by the rows of the same incident_id.
    pub(crate) key: Vec<u32>,
}

/// A validated study cohort.
///
/// # Examples
///
/// ```
/// use huisverbod::Cohort;
/// let cases = "case_id,group,incident_date,followup_end\n\
///              c1,thv,2011-03-01,2012-09-01\n\
///              c2,control,2011-04-01,2012-09-01\n";
/// let persons = "person_id,case_id,role,sex,age\np1,c1,perpetrator,m,35\n";
/// let incidents = "incident_id,case_id,date,source\ni1,c2,2011-06-01,police\n";
/// let cohort = Cohort::from_readers(cases.as_bytes(), persons.as_bytes(), incidents.as_bytes())?;
/// assert_eq!(cohort.n_cases(), 2);
/// assert_eq!(cohort.case(0).unwrap().case_id, "c1");
/// # Ok::<(), huisverbod::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Cohort {
    pub(crate) cases: CaseTable,
    pub(crate) persons: PersonTable,
    pub(crate) incidents: IncidentTable,
    pub(crate) warnings: Vec<Problem>,
    pub(crate) index: IncidentIndex,
}

impl PartialEq for Cohort {
    /// Two cohorts are equal when their three tables are (warnings are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.cases == other.cases
            && self.persons == other.persons
            && self.incidents == other.incidents
    }
}

/// One case, read from the columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Case<'a> {
    /// Case identifier.
    pub case_id: &'a str,
    /// Study group.
    pub group: Group,
    /// Region.
    pub region: Option<&'a str>,
    /// Date of the original incident.
    pub incident_date: Date,
    /// Measurement (censoring) date.
    pub followup_end: Date,
    /// All other columns.
    pub attrs: CaseAttrsRow,
}

/// One person, read from the columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Person<'a> {
    /// Person identifier.
    pub person_id: &'a str,
    /// The row of the person's case in the cases table.
    pub case: usize,
    /// Role in the case.
    pub role: Role,
    /// All other columns.
    pub attrs: PersonAttrsRow,
}

/// One incident row (one source's registration of a new incident).
#[derive(Clone, Debug, PartialEq)]
pub struct Incident<'a> {
    /// Incident identifier.
    pub incident_id: &'a str,
    /// The row of the incident's case in the cases table.
    pub case: usize,
    /// Date of the new incident.
    pub date: Date,
    /// The registering organisation.
    pub source: Source,
    /// All other columns.
    pub attrs: IncidentAttrsRow,
}

/// Which table of a cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// The cases table.
    Cases,
    /// The persons table.
    Persons,
    /// The incidents table.
    Incidents,
}

impl Table {
    /// The table's name, which is also its file stem (`cases.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Cases => "cases",
            Table::Persons => "persons",
            Table::Incidents => "incidents",
        }
    }

    /// Parses `cases`, `persons` or `incidents`.
    pub fn parse(s: &str) -> Option<Table> {
        match s {
            "cases" => Some(Table::Cases),
            "persons" => Some(Table::Persons),
            "incidents" => Some(Table::Incidents),
            _ => None,
        }
    }

    /// All three, in file order.
    pub const ALL: [Table; 3] = [Table::Cases, Table::Persons, Table::Incidents];
}

impl Cohort {
    /// Assembles a cohort from tables that are already consistent
    /// (`keys[i]` is shared by incident rows with the same incident_id).
    pub(crate) fn from_parts(
        mut cases: CaseTable,
        mut persons: PersonTable,
        mut incidents: IncidentTable,
        keys: Option<Vec<u32>>,
    ) -> Cohort {
        // A builder that fills the columns one by one (a generator) leaves the
        // columns it does not know unknown, so adding a column to the schema
        // never breaks it.
        let (nc, np, ni) = (cases.len(), persons.len(), incidents.len());
        cases.attrs.pad_to(nc);
        persons.attrs.pad_to(np);
        incidents.attrs.pad_to(ni);
        cases.shrink_to_fit();
        persons.shrink_to_fit();
        incidents.shrink_to_fit();
        let keys = keys.unwrap_or_else(|| dense_keys(&incidents));
        let index = IncidentIndex::build(cases.len(), &incidents, keys);
        Cohort {
            cases,
            persons,
            incidents,
            warnings: Vec::new(),
            index,
        }
    }

    /// The number of cases.
    pub fn n_cases(&self) -> usize {
        self.cases.len()
    }
    /// The number of persons.
    pub fn n_persons(&self) -> usize {
        self.persons.len()
    }
    /// The number of incident rows (one per incident and source).
    pub fn n_incident_rows(&self) -> usize {
        self.incidents.len()
    }
    /// The cases table.
    pub fn cases(&self) -> &CaseTable {
        &self.cases
    }
    /// The persons table.
    pub fn persons(&self) -> &PersonTable {
        &self.persons
    }
    /// The incidents table.
    pub fn incidents(&self) -> &IncidentTable {
        &self.incidents
    }
    /// Warnings found while the cohort was read (problems that did not stop it).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Case `i` (`None` when out of range).
    pub fn case(&self, i: usize) -> Option<Case<'_>> {
        let t = &self.cases;
        Some(Case {
            case_id: t.case_id.get(i)?,
            group: t.group[i],
            region: t.region.get(i),
            incident_date: t.incident_date[i],
            followup_end: t.followup_end[i],
            attrs: t.attrs.row(i)?,
        })
    }

    /// Person `i` (`None` when out of range).
    pub fn person(&self, i: usize) -> Option<Person<'_>> {
        let t = &self.persons;
        Some(Person {
            person_id: t.person_id.get(i)?,
            case: *t.case.get(i)? as usize,
            role: t.role[i],
            attrs: t.attrs.row(i)?,
        })
    }

    /// Incident row `i` (`None` when out of range).
    pub fn incident(&self, i: usize) -> Option<Incident<'_>> {
        let t = &self.incidents;
        Some(Incident {
            incident_id: t.incident_id.get(i)?,
            case: *t.case.get(i)? as usize,
            date: t.date[i],
            source: t.source[i],
            attrs: t.attrs.row(i)?,
        })
    }

    /// The row of the case with this identifier.
    pub fn case_position(&self, case_id: &str) -> Option<usize> {
        self.cases.case_id.iter().position(|c| c == Some(case_id))
    }

    /// The incident rows of case `c`, ordered by date.
    pub fn incident_rows_of(&self, c: usize) -> &[u32] {
        match (self.index.start.get(c), self.index.start.get(c + 1)) {
            (Some(&s), Some(&e)) => &self.index.rows[s as usize..e as usize],
            _ => &[],
        }
    }

    /// The rows of the persons with `role` in each case (`None` when the
    /// case has no such person; the first one when it has several).
    pub fn person_of_role(&self, role: Role) -> Vec<Option<u32>> {
        let mut out = vec![None; self.n_cases()];
        for (i, (&c, &r)) in self.persons.case.iter().zip(&self.persons.role).enumerate() {
            if r == role && out[c as usize].is_none() {
                out[c as usize] = Some(i as u32);
            }
        }
        out
    }

    /// Column names of a table, in file order.
    pub fn column_names(&self, table: Table) -> Vec<String> {
        match table {
            Table::Cases => self.cases.column_names(),
            Table::Persons => self.persons.column_names(),
            Table::Incidents => self.incidents.column_names(),
        }
    }

    /// A column of a table by name.
    pub fn column(&self, table: Table, name: &str) -> Option<ColumnRef<'_>> {
        match table {
            Table::Cases => self.cases.column(name),
            Table::Persons => tables::keyed_column(
                name,
                &self.cases,
                &self.persons.case,
                self.persons.own_column(name),
            ),
            Table::Incidents => tables::keyed_column(
                name,
                &self.cases,
                &self.incidents.case,
                self.incidents.own_column(name),
            ),
        }
    }

    /// A cohort with only the cases for which `keep` is true, and their
    /// persons and incidents (the report's robustness checks: drop cases
    /// with female perpetrators, one region, ...).
    pub fn filter_cases(&self, keep: &[bool]) -> crate::Result<Cohort> {
        if keep.len() != self.n_cases() {
            return Err(crate::Error::InvalidArgument {
                name: "keep",
                reason: format!(
                    "has {} entries, the cohort has {} cases",
                    keep.len(),
                    self.n_cases()
                ),
            });
        }
        let case_rows: Vec<usize> = (0..keep.len()).filter(|&i| keep[i]).collect();
        let mut case_map = vec![u32::MAX; keep.len()];
        for (new, &old) in case_rows.iter().enumerate() {
            case_map[old] = new as u32;
        }
        let prows: Vec<usize> = (0..self.n_persons())
            .filter(|&i| keep[self.persons.case[i] as usize])
            .collect();
        let irows: Vec<usize> = (0..self.n_incident_rows())
            .filter(|&i| keep[self.incidents.case[i] as usize])
            .collect();
        let keys = irows.iter().map(|&r| self.index.key[r]).collect();
        let mut c = Cohort::from_parts(
            self.cases.take(&case_rows),
            self.persons.take(&prows, &case_map),
            self.incidents.take(&irows, &case_map),
            Some(keys),
        );
        c.warnings = self.warnings.clone();
        Ok(c)
    }

    /// Heap bytes held by the cohort's columns and index.
    pub fn heap_bytes(&self) -> usize {
        self.cases.heap_bytes()
            + self.persons.heap_bytes()
            + self.incidents.heap_bytes()
            + (self.index.start.capacity() + self.index.rows.capacity() + self.index.key.capacity())
                * 4
    }
}

/// Dense keys for incident rows: rows with the same (case, incident_id) share one.
fn dense_keys(t: &IncidentTable) -> Vec<u32> {
    let mut map: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    (0..t.len())
        .map(|i| {
            let next = map.len() as u32;
            *map.entry(t.incident_id.get(i).unwrap_or(""))
                .or_insert(next)
        })
        .collect()
}
