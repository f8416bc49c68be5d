//! A record view of a cohort: one struct per case (with its recidivism
//! outcome) and per person, persons grouped by case.
//!
//! Both the fidelity measurement (from any [`Cohort`]) and the local search
//! (on the cohort under construction) compute the published cells from this
//! view, with the same code ([`super::specs`]).

use crate::cohort::tables::{CaseAttrsRow, PersonAttrsRow};
use crate::cohort::{Cohort, Group, IncidentKind, Role, Source};
use crate::outcome::RecidivismOptions;

/// The recidivism outcome of a case, as the report measures it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// New incidents known to any source (police, SHG, BJZ/AMK).
    pub n_all: u32,
    /// New incidents known to the police.
    pub n_pol: u32,
    /// Days to the first new incident (any source).
    pub d_all: Option<i32>,
    /// Days to the first police-registered new incident.
    pub d_pol: Option<i32>,
    /// The kind of the first new incident (any source), Table 5.3.
    pub kind_first: Option<IncidentKind>,
}

impl Outcome {
    /// At least one new incident from any source (chapter 5 outside Table 5.1).
    pub fn any(&self) -> bool {
        self.n_all > 0
    }
    /// At least one police-registered new incident (Table 5.1).
    pub fn any_police(&self) -> bool {
        self.n_pol > 0
    }
}

/// One case.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FCase {
    pub group: Group,
    pub attrs: CaseAttrsRow,
    pub out: Outcome,
}

impl FCase {
    pub fn thv(&self) -> bool {
        self.group == Group::Thv
    }
}

/// One person.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FPerson {
    pub case: u32,
    pub role: Role,
    pub attrs: PersonAttrsRow,
}

/// Cases and their persons (persons ordered by case).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Flat {
    pub cases: Vec<FCase>,
    pub persons: Vec<FPerson>,
    /// Persons of case `c` are `persons[start[c]..start[c + 1]]`.
    pub start: Vec<u32>,
}

impl Flat {
    /// Builds `start` from persons ordered by case.
    pub fn index(cases: Vec<FCase>, persons: Vec<FPerson>) -> Flat {
        let mut start = vec![0u32; cases.len() + 1];
        for p in &persons {
            start[p.case as usize + 1] += 1;
        }
        for c in 0..cases.len() {
            start[c + 1] += start[c];
        }
        Flat {
            cases,
            persons,
            start,
        }
    }

    /// The persons of case `c`.
    pub fn persons_of(&self, c: usize) -> &[FPerson] {
        &self.persons[self.start[c] as usize..self.start[c + 1] as usize]
    }

    /// The record view of a cohort; the outcomes come from
    /// [`Cohort::recidivism`] (all sources, and police only), observed up to
    /// each case's `followup_end`.
    ///
    /// # Errors
    /// Never for a valid cohort (the recidivism options are fixed and valid).
    pub fn from_cohort(c: &Cohort) -> crate::Result<Flat> {
        let all = c.recidivism(&RecidivismOptions::default())?;
        let police = c.recidivism(&RecidivismOptions {
            sources: Some(vec![Source::Police]),
            window_days: None,
        })?;
        let inc = c.incidents();
        let cases: Vec<FCase> = (0..c.n_cases())
            .map(|i| {
                let start = c.cases().incident_date[i];
                let end = c.cases().followup_end[i];
                // The first row inside the window is the first incident (rows are ordered by date).
                let kind_first = c
                    .incident_rows_of(i)
                    .iter()
                    .map(|&r| r as usize)
                    .find(|&r| inc.date[r] > start && inc.date[r] <= end)
                    .and_then(|r| inc.attrs.kind[r]);
                FCase {
                    group: c.cases().group[i],
                    attrs: c.cases().attrs.row(i).unwrap_or_default(),
                    out: Outcome {
                        n_all: all.count[i],
                        n_pol: police.count[i],
                        d_all: all.days_to_first[i],
                        d_pol: police.days_to_first[i],
                        kind_first,
                    },
                }
            })
            .collect();
        let p = c.persons();
        let mut order: Vec<usize> = (0..c.n_persons()).collect();
        order.sort_by_key(|&i| p.case[i]);
        let persons = order
            .into_iter()
            .map(|i| FPerson {
                case: p.case[i],
                role: p.role[i],
                attrs: p.attrs.row(i).unwrap_or_default(),
            })
            .collect();
        Ok(Flat::index(cases, persons))
    }
}
