//! The seeded local search (simulated annealing).
//!
//! State: the constructed cohort ([`super::build::State`]). Moves swap a
//! value (or a bundle of values that belong together, such as the help
//! trajectory of a person) between two cases of the same group or two
//! persons of the same group and role — which keeps every one-way count — or
//! perturb the new incidents of a case (move an incident in time, add or
//! remove one where Table 5.2 leaves room, move a police registration).
//!
//! Loss: the squared deviations from every published cell of the searched
//! tables (counts in units, means and sds in units of 5%), plus a penalty
//! for each chapter-5 comparison whose recomputed verdict disagrees with the
//! printed one. Moves are accepted by the Metropolis rule with a
//! geometrically falling temperature; the contributions of the one or two
//! cases a move touches are subtracted and re-added, so a move costs
//! O(tables), not O(cohort).

use super::bijlage5::{row_of, total, B5Loss, Row};
use super::build::{Profile, State, MAX_DAY_CONTROL, MAX_DAY_THV};
use super::flat::FPerson;
use super::registry::{search_targets, target_cost, targets_met, Registry, Target};
use super::rng::Draw;
use super::specs::{reads, report_problem_count};
use super::verdicts::{comparisons, Comparison, Critical};
use crate::cohort::tables::{CaseAttrsRow, PersonAttrsRow};
use crate::cohort::{Group, OffenderCategory, Role};

/// Weight of a disagreeing verdict in the loss.
const VERDICT_WEIGHT: f64 = 6.0;

/// Bundles of case values that move together.
#[derive(Clone, Copy, Debug)]
enum CaseBundle {
    Region,
    Violation,
    During,
    Extension,
    Consult,
    Plan,
    Conversation,
    After,
    /// Weapon used or threatened (Bijlage 5 only).
    Weapon,
    /// Household composition changed (Bijlage 5 only).
    Household,
}

/// Bundles of person values that move together.
#[derive(Clone, Copy, Debug)]
enum PersonBundle {
    Help,
    Contact,
    Problem(u8),
    Hks,
    Criminal,
    Education,
    /// Age (Bijlage 5 only; Table 2.2's means are per group and role).
    Age,
    /// Substance use with its signals (Bijlage 5 only; Table 4.2 is one-way).
    Substance,
}

fn swap_case(k: CaseBundle, a: &mut CaseAttrsRow, b: &mut CaseAttrsRow) {
    use std::mem::swap;
    match k {
        CaseBundle::Region => swap(&mut a.enforcement_priority, &mut b.enforcement_priority),
        CaseBundle::Violation => {
            swap(&mut a.order_violated, &mut b.order_violated);
            swap(&mut a.violation_kind, &mut b.violation_kind);
            swap(
                &mut a.violation_reported_by_help,
                &mut b.violation_reported_by_help,
            );
            swap(&mut a.violation_arrest, &mut b.violation_arrest);
            swap(&mut a.violation_prosecuted, &mut b.violation_prosecuted);
        }
        CaseBundle::During => {
            swap(&mut a.incidents_during_order, &mut b.incidents_during_order);
            swap(
                &mut a.incident_during_order_dv,
                &mut b.incident_during_order_dv,
            );
        }
        CaseBundle::Extension => {
            swap(&mut a.order_extended, &mut b.order_extended);
            swap(&mut a.extension_days, &mut b.extension_days);
        }
        CaseBundle::Consult => swap(&mut a.case_consultations, &mut b.case_consultations),
        CaseBundle::Plan => swap(&mut a.plan_of_approach, &mut b.plan_of_approach),
        CaseBundle::Conversation => swap(&mut a.system_conversation, &mut b.system_conversation),
        CaseBundle::After => swap(&mut a.system_after, &mut b.system_after),
        CaseBundle::Weapon => swap(&mut a.weapon, &mut b.weapon),
        CaseBundle::Household => swap(&mut a.household_changed, &mut b.household_changed),
    }
}

fn swap_person(k: PersonBundle, a: &mut PersonAttrsRow, b: &mut PersonAttrsRow) {
    use std::mem::swap;
    match k {
        PersonBundle::Help => {
            swap(&mut a.help_offered, &mut b.help_offered);
            swap(&mut a.help_accepted, &mut b.help_accepted);
            swap(&mut a.help_started, &mut b.help_started);
            swap(&mut a.cooperation, &mut b.cooperation);
            swap(&mut a.help_fit, &mut b.help_fit);
        }
        PersonBundle::Contact => swap(&mut a.first_contact_hours, &mut b.first_contact_hours),
        PersonBundle::Problem(0) => swap(&mut a.problem_relational, &mut b.problem_relational),
        PersonBundle::Problem(1) => swap(
            &mut a.problem_work_housing_social,
            &mut b.problem_work_housing_social,
        ),
        PersonBundle::Problem(2) => {
            swap(&mut a.problem_psychological, &mut b.problem_psychological)
        }
        PersonBundle::Problem(3) => swap(&mut a.problem_addiction, &mut b.problem_addiction),
        PersonBundle::Problem(_) => swap(
            &mut a.problem_family_of_origin,
            &mut b.problem_family_of_origin,
        ),
        PersonBundle::Hks => {
            swap(&mut a.hks_antecedents, &mut b.hks_antecedents);
            swap(&mut a.hks_offences, &mut b.hks_offences);
            swap(&mut a.hks_violent, &mut b.hks_violent);
            swap(&mut a.hks_property, &mut b.hks_property);
            swap(&mut a.hks_public_order, &mut b.hks_public_order);
            swap(&mut a.offender_category, &mut b.offender_category);
        }
        PersonBundle::Criminal => {
            swap(&mut a.arrested, &mut b.arrested);
            swap(&mut a.custody, &mut b.custody);
            swap(&mut a.referred_to_prosecutor, &mut b.referred_to_prosecutor);
            swap(
                &mut a.dismissed_unconditional,
                &mut b.dismissed_unconditional,
            );
            swap(&mut a.dismissed_conditional, &mut b.dismissed_conditional);
            swap(&mut a.examining_judge, &mut b.examining_judge);
            swap(&mut a.convicted, &mut b.convicted);
            swap(&mut a.sentenced, &mut b.sentenced);
        }
        PersonBundle::Education => swap(&mut a.education, &mut b.education),
        PersonBundle::Age => swap(&mut a.age, &mut b.age),
        PersonBundle::Substance => {
            swap(&mut a.substance_use, &mut b.substance_use);
            swap(&mut a.alcohol_signals, &mut b.alcohol_signals);
            swap(&mut a.softdrug_signals, &mut b.softdrug_signals);
            swap(&mut a.harddrug_signals, &mut b.harddrug_signals);
            swap(&mut a.drunk_at_incident, &mut b.drunk_at_incident);
            swap(&mut a.drugs_at_incident, &mut b.drugs_at_incident);
        }
    }
}

fn pair_mut<T>(v: &mut [T], i: usize, j: usize) -> (&mut T, &mut T) {
    debug_assert_ne!(i, j);
    if i < j {
        let (a, b) = v.split_at_mut(j);
        (&mut a[i], &mut b[0])
    } else {
        let (a, b) = v.split_at_mut(i);
        (&mut b[0], &mut a[j])
    }
}

/// A move; applying it returns its inverse.
enum Move {
    SwapProfiles(usize, usize),
    SetProfiles(Vec<(usize, Profile)>),
    SwapCase(CaseBundle, usize, usize),
    SwapPerson(PersonBundle, usize, usize),
    SetPerson(usize, Box<PersonAttrsRow>),
    /// Several moves at once (applied in order, undone in reverse).
    Both(Box<Move>, Box<Move>),
}

/// The search over a constructed state.
pub(crate) struct Search<'a> {
    pub state: State,
    reg: &'a Registry,
    targets: Vec<Target>,
    cmps: Vec<Comparison>,
    crit: Critical,
    acc: Vec<f64>,
    saved: Vec<f64>,
    /// Targets per spec, the cost per spec, the comparisons reading each spec
    /// and the penalty per comparison: a move recomputes only what it changed.
    spec_targets: Vec<Vec<Target>>,
    spec_cost: Vec<f64>,
    spec_cmps: Vec<Vec<usize>>,
    cmp_pen: Vec<f64>,
    thv: Vec<usize>,
    ctl: Vec<usize>,
    /// Persons by group and role: thv perpetrators, thv victims, control perpetrators, control victims.
    people: [Vec<usize>; 4],
    thv_adults: Vec<usize>,
}

impl<'a> Search<'a> {
    pub fn new(state: State, reg: &'a Registry) -> Search<'a> {
        let targets = search_targets(reg);
        let cmps = comparisons(reg);
        let crit = Critical::new(&cmps);
        let acc = reg.accumulate(&state.flat, true);
        let f = &state.flat;
        let thv: Vec<usize> = (0..f.cases.len()).filter(|&c| f.cases[c].thv()).collect();
        let ctl: Vec<usize> = (0..f.cases.len()).filter(|&c| !f.cases[c].thv()).collect();
        let list = |g: Group, r: Role| -> Vec<usize> {
            (0..f.persons.len())
                .filter(|&i| {
                    f.persons[i].role == r && f.cases[f.persons[i].case as usize].group == g
                })
                .collect()
        };
        let people = [
            list(Group::Thv, Role::Perpetrator),
            list(Group::Thv, Role::Victim),
            list(Group::Control, Role::Perpetrator),
            list(Group::Control, Role::Victim),
        ];
        let thv_adults: Vec<usize> = people[0].iter().chain(&people[1]).copied().collect();
        let saved = acc.clone();
        let mut spec_targets = vec![Vec::new(); reg.specs.len()];
        for t in &targets {
            let idx = match t {
                Target::Count { idx, .. } | Target::Moments { idx, .. } => *idx,
            };
            spec_targets[reg.spec_of_slot(idx)].push(t.clone());
        }
        let mut spec_cmps = vec![Vec::new(); reg.specs.len()];
        for (k, c) in cmps.iter().enumerate() {
            for slot in c.slots() {
                let sp = reg.spec_of_slot(slot);
                if !spec_cmps[sp].contains(&k) {
                    spec_cmps[sp].push(k);
                }
            }
        }
        let spec_cost = spec_targets.iter().map(|t| target_cost(t, &acc)).collect();
        let mut crit = crit;
        let cmp_pen = (0..cmps.len())
            .map(|k| crit.penalty(k, &cmps[k], &acc))
            .collect();
        Search {
            state,
            reg,
            targets,
            cmps,
            crit,
            acc,
            saved,
            spec_targets,
            spec_cost,
            spec_cmps,
            cmp_pen,
            thv,
            ctl,
            people,
            thv_adults,
        }
    }

    /// The loss of the current accumulators.
    pub fn loss(&mut self) -> f64 {
        let mut v = 0.0;
        for k in 0..self.cmps.len() {
            v += self.crit.penalty(k, &self.cmps[k], &self.acc);
        }
        target_cost(&self.targets, &self.acc) + VERDICT_WEIGHT * v
    }

    /// The accumulators of the searched specs.
    #[cfg(test)]
    pub fn accumulators(&self) -> &[f64] {
        &self.acc
    }

    /// Whether every searched target is met and every verdict agrees.
    pub fn satisfied(&self) -> bool {
        targets_met(&self.targets, &self.acc) && self.cmp_pen.iter().all(|&p| p == 0.0)
    }

    /// The values a move changes ([`reads`]).
    fn writes(m: &Move) -> u32 {
        match m {
            Move::SwapProfiles(..) | Move::SetProfiles(_) => reads::OUTCOME,
            Move::SwapCase(k, ..) => match k {
                CaseBundle::Region => reads::PRIORITY,
                CaseBundle::Violation => reads::VIOLATION,
                CaseBundle::During => reads::DURING,
                CaseBundle::Extension => reads::EXTENSION,
                CaseBundle::Consult => reads::CONSULT,
                CaseBundle::Plan => reads::PLAN,
                CaseBundle::Conversation => reads::CONVERSATION,
                CaseBundle::After => reads::AFTER,
                CaseBundle::Weapon | CaseBundle::Household => reads::B5_ONLY,
            },
            Move::SwapPerson(k, ..) => match k {
                PersonBundle::Help => reads::HELP,
                PersonBundle::Contact => reads::CONTACT,
                PersonBundle::Problem(_) => reads::PROBLEM,
                PersonBundle::Hks => reads::HKS,
                PersonBundle::Criminal => reads::CRIMINAL,
                PersonBundle::Education => reads::EDUCATION,
                PersonBundle::Age | PersonBundle::Substance => reads::B5_ONLY,
            },
            Move::SetPerson(..) => reads::HKS,
            Move::Both(a, b) => Self::writes(a) | Self::writes(b),
        }
    }

    /// The cases whose contributions a move changes.
    fn cases_of(&self, m: &Move) -> Vec<usize> {
        let pc = |i: usize| self.state.flat.persons[i].case as usize;
        let mut v = match m {
            Move::SwapProfiles(a, b) | Move::SwapCase(_, a, b) => vec![*a, *b],
            Move::SetProfiles(list) => list.iter().map(|(c, _)| *c).collect(),
            Move::SwapPerson(_, a, b) => vec![pc(*a), pc(*b)],
            Move::SetPerson(i, _) => vec![pc(*i)],
            Move::Both(a, b) => {
                let mut v = self.cases_of(a);
                v.extend(self.cases_of(b));
                v
            }
        };
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Applies a move; returns its inverse.
    fn apply(&mut self, m: Move) -> Move {
        let s = &mut self.state;
        match m {
            Move::SwapProfiles(a, b) => {
                s.prof.swap(a, b);
                s.sync_outcome(a);
                s.sync_outcome(b);
                Move::SwapProfiles(a, b)
            }
            Move::SetProfiles(list) => {
                let mut old = Vec::with_capacity(list.len());
                for (c, p) in list {
                    old.push((c, s.prof[c]));
                    s.prof[c] = p;
                    s.sync_outcome(c);
                }
                Move::SetProfiles(old)
            }
            Move::SwapCase(k, a, b) => {
                let (x, y) = pair_mut(&mut s.flat.cases, a, b);
                swap_case(k, &mut x.attrs, &mut y.attrs);
                if let CaseBundle::Region = k {
                    s.region.swap(a, b);
                }
                Move::SwapCase(k, a, b)
            }
            Move::SwapPerson(k, a, b) => {
                let (x, y) = pair_mut(&mut s.flat.persons, a, b);
                swap_person(k, &mut x.attrs, &mut y.attrs);
                Move::SwapPerson(k, a, b)
            }
            Move::SetPerson(i, row) => {
                let old = std::mem::replace(&mut s.flat.persons[i].attrs, *row);
                Move::SetPerson(i, Box::new(old))
            }
            Move::Both(a, b) => {
                let ia = self.apply(*a);
                let ib = self.apply(*b);
                Move::Both(Box::new(ib), Box::new(ia))
            }
        }
    }

    /// A swap of a random bundle between cases `a` and `b` (for person
    /// bundles: between their first perpetrators or first victims).
    fn bundle_between(&self, rng: &mut Draw, a: usize, b: usize) -> Option<Move> {
        let f = &self.state.flat;
        let thv = f.cases[a].thv();
        let first = |c: usize, role: Role| {
            let start = f.start[c] as usize;
            f.persons_of(c)
                .iter()
                .position(|p| p.role == role)
                .map(|k| start + k)
        };
        let k = rng.below(if thv { 14 } else { 2 });
        let person = |bundle: PersonBundle, role: Role| -> Option<Move> {
            Some(Move::SwapPerson(bundle, first(a, role)?, first(b, role)?))
        };
        match k {
            0 => person(PersonBundle::Help, Role::Perpetrator),
            1 => person(PersonBundle::Help, Role::Victim),
            2 => person(PersonBundle::Contact, Role::Perpetrator),
            3 => person(PersonBundle::Hks, Role::Perpetrator),
            4 => person(PersonBundle::Criminal, Role::Perpetrator),
            5 => person(PersonBundle::Education, Role::Perpetrator),
            6 => Some(Move::SwapCase(CaseBundle::Region, a, b)),
            7 => Some(Move::SwapCase(CaseBundle::Violation, a, b)),
            8 => Some(Move::SwapCase(CaseBundle::During, a, b)),
            9 => Some(Move::SwapCase(CaseBundle::Extension, a, b)),
            10 => Some(Move::SwapCase(CaseBundle::Consult, a, b)),
            11 => Some(Move::SwapCase(CaseBundle::Plan, a, b)),
            12 => Some(Move::SwapCase(CaseBundle::Conversation, a, b)),
            _ => Some(Move::SwapCase(CaseBundle::After, a, b)),
        }
    }

    /// A random move (not applied); `None` when the draw gives no valid move.
    #[allow(clippy::too_many_lines)]
    fn choose(&self, rng: &mut Draw) -> Option<Move> {
        let s = &self.state;
        let pick2 = |rng: &mut Draw, v: &[usize]| -> Option<(usize, usize)> {
            if v.len() < 2 {
                return None;
            }
            let a = v[rng.below(v.len())];
            let b = v[rng.below(v.len())];
            (a != b).then_some((a, b))
        };
        let r = rng.u();
        if r < 0.22 {
            // Swap the new incidents of two cases of the same group.
            let list = if rng.bern(0.6) { &self.thv } else { &self.ctl };
            let (a, b) = pick2(rng, list)?;
            if s.prof[a] == s.prof[b] {
                return None;
            }
            if rng.bern(0.08) {
                // Swap the incidents and, with them, one more bundle: the two
                // cases exchange everything but that bundle.
                let other = self.bundle_between(rng, a, b)?;
                return Some(Move::Both(
                    Box::new(Move::SwapProfiles(a, b)),
                    Box::new(other),
                ));
            }
            return Some(Move::SwapProfiles(a, b));
        }
        if r < 0.32 {
            // Swap the incidents after the first between two cases with new incidents:
            // the numbers move, the days to the first incident stay.
            let thv = rng.bern(0.6);
            let (list, max) = if thv {
                (&self.thv, MAX_DAY_THV)
            } else {
                (&self.ctl, MAX_DAY_CONTROL)
            };
            let (a, b) = pick2(rng, list)?;
            let (p, q) = (s.prof[a], s.prof[b]);
            if p.len == 0 || q.len == 0 || p.len == q.len {
                return None;
            }
            let graft = |first: &Profile, tail: &Profile| -> Option<Profile> {
                let mut x = Profile::default();
                x.insert(first.day[0], first.is_police(0));
                for j in 1..tail.len as usize {
                    let d = first.day[0] + (tail.day[j] - tail.day[0]);
                    if d > max || !x.insert(d, tail.is_police(j)) {
                        return None;
                    }
                }
                // A case keeps being (or not being) known to the police (Table 5.1).
                ((x.n_pol() > 0) == (first.n_pol() > 0)).then_some(x)
            };
            let (p2, q2) = (graft(&p, &q)?, graft(&q, &p)?);
            return Some(Move::SetProfiles(vec![(a, p2), (b, q2)]));
        }
        if r < 0.50 {
            // Perturb the incidents of one case.
            let thv = rng.bern(0.6);
            let list = if thv { &self.thv } else { &self.ctl };
            let c = list[rng.below(list.len())];
            let old = s.prof[c];
            if old.len == 0 {
                return None;
            }
            let max = if thv { MAX_DAY_THV } else { MAX_DAY_CONTROL };
            let mut p = old;
            let had_police = p.n_pol() > 0;
            let what = rng.u();
            if what < 0.55 {
                // Move one incident to another day.
                let j = rng.below(p.len as usize);
                let (_, pol) = p.remove(j);
                let day = if rng.bern(0.6) {
                    (i32::from(old.day[j]) + rng.int(-25, 25)).clamp(1, i32::from(max)) as u16
                } else {
                    rng.int(1, i32::from(max)) as u16
                };
                if !p.insert(day, pol) {
                    return None;
                }
            } else if what < 0.75 {
                // Add or remove an incident where the number is free: thv cases with
                // four or more (Table 5.2 fixes the cases with 1, 2 and 3), control
                // cases with at least one.
                let lo = if thv { 4 } else { 1 };
                if (p.len as usize) < lo {
                    return None;
                }
                if rng.bern(0.5) {
                    let pol = had_police && rng.bern(if thv { 0.3 } else { 0.7 });
                    if !p.insert(rng.int(1, i32::from(max)) as u16, pol) {
                        return None;
                    }
                } else {
                    if (p.len as usize) <= lo {
                        return None;
                    }
                    p.remove(rng.below(p.len as usize));
                    if had_police && p.n_pol() == 0 {
                        return None;
                    }
                }
            } else if what < 0.92 {
                // Move a police registration within a case that has one.
                if !had_police {
                    return None;
                }
                p.police ^= 1 << rng.below(p.len as usize);
                if p.n_pol() == 0 {
                    return None;
                }
            } else {
                // Hand this case's police registrations to another case with only
                // other sources (the number of police cases stays that of Table 5.1).
                let other = list[rng.below(list.len())];
                let q = s.prof[other];
                if !had_police || other == c || q.len == 0 || q.n_pol() > 0 {
                    return None;
                }
                let k = (p.n_pol() as usize).min(q.len as usize);
                let mut q2 = q;
                let mut idx: Vec<usize> = (0..q.len as usize).collect();
                rng.shuffle(&mut idx);
                for &j in &idx[..k] {
                    q2.police |= 1 << j;
                }
                p.police = 0;
                return Some(Move::SetProfiles(vec![(c, p), (other, q2)]));
            }
            return Some(Move::SetProfiles(vec![(c, p)]));
        }
        if r < 0.68 {
            // Swap a bundle between two thv cases.
            let k = match rng.below(8) {
                0 => CaseBundle::Region,
                1 => CaseBundle::Violation,
                2 => CaseBundle::During,
                3 => CaseBundle::Extension,
                4 => CaseBundle::Consult,
                5 => CaseBundle::Plan,
                6 => CaseBundle::Conversation,
                _ => CaseBundle::After,
            };
            let (a, b) = pick2(rng, &self.thv)?;
            return Some(Move::SwapCase(k, a, b));
        }
        if r < 0.92 {
            // Swap a bundle between two persons of the same group and role.
            let (k, list): (PersonBundle, &[usize]) = match rng.below(10) {
                0 => (PersonBundle::Help, &self.people[0]),
                1 => (PersonBundle::Help, &self.people[1]),
                2 => (PersonBundle::Help, &self.people[2]),
                3 => (PersonBundle::Help, &self.people[3]),
                4 => (PersonBundle::Contact, &self.people[0]),
                5 | 6 => (PersonBundle::Problem(rng.below(5) as u8), &self.people[0]),
                7 => (PersonBundle::Hks, &self.people[0]),
                8 => (PersonBundle::Criminal, &self.people[0]),
                _ => (PersonBundle::Education, &self.thv_adults),
            };
            let (a, b) = pick2(rng, list)?;
            if let PersonBundle::Problem(_) = k {
                // Every evicted person keeps at least one problem area.
                let mut x = s.flat.persons[a].clone();
                let mut y = s.flat.persons[b].clone();
                swap_person(k, &mut x.attrs, &mut y.attrs);
                if report_problem_count(&x) == 0 || report_problem_count(&y) == 0 {
                    return None;
                }
            }
            return Some(Move::SwapPerson(k, a, b));
        }
        // Perturb the HKS counts of an evicted person within the offender category.
        let i = self.people[0][rng.below(self.people[0].len())];
        let p: &FPerson = &s.flat.persons[i];
        let (lo, hi) = match p.attrs.offender_category? {
            OffenderCategory::Beginner => (1, 1),
            OffenderCategory::Repeat => (2, 10),
            OffenderCategory::Frequent => (11, 120),
        };
        let step = |rng: &mut Draw, x: i32, lo: i32, hi: i32| {
            if rng.bern(0.2) {
                rng.int(lo, hi)
            } else {
                (x + rng.int(-4, 4)).clamp(lo, hi)
            }
        };
        let mut row = p.attrs.clone();
        if rng.bern(0.5) && lo < hi {
            row.hks_antecedents = Some(step(rng, row.hks_antecedents.unwrap_or(lo), lo, hi));
        } else {
            row.hks_offences = Some(step(rng, row.hks_offences.unwrap_or(1), 1, 120));
        }
        (row != p.attrs).then(|| Move::SetPerson(i, Box::new(row)))
    }

    /// Runs `iters` moves with the temperature falling geometrically from `t0` to `t1`.
    pub fn run(&mut self, rng: &mut Draw, iters: usize, t0: f64, t1: f64) -> f64 {
        let mut cur = self.loss();
        let ratio = (t1 / t0).ln();
        let mut changed_specs: Vec<usize> = Vec::new();
        let mut old_cost: Vec<(usize, f64)> = Vec::new();
        let mut old_pen: Vec<(usize, f64)> = Vec::new();
        let mut seen = vec![false; self.cmps.len()];
        let trace = std::env::var_os("HV_TRACE").is_some();
        for it in 0..iters {
            let Some(m) = self.choose(rng) else { continue };
            let t = t0 * (ratio * it as f64 / iters as f64).exp();
            let cases = self.cases_of(&m);
            let mask = Self::writes(&m);
            self.saved.copy_from_slice(&self.acc);
            self.touch(&cases, -1.0, mask);
            let inverse = self.apply(m);
            self.touch(&cases, 1.0, mask);
            // Recompute the cost of the specs whose cells changed, and the
            // penalties of the comparisons that read them.
            changed_specs.clear();
            for (i, s) in self.reg.specs.iter().enumerate() {
                let o = self.reg.offset[i];
                if s.search
                    && s.reads & mask != 0
                    && self.acc[o..o + s.size()] != self.saved[o..o + s.size()]
                {
                    changed_specs.push(i);
                }
            }
            old_cost.clear();
            old_pen.clear();
            let mut new = cur;
            for &i in &changed_specs {
                let c = target_cost(&self.spec_targets[i], &self.acc);
                old_cost.push((i, self.spec_cost[i]));
                new += c - self.spec_cost[i];
                self.spec_cost[i] = c;
                for &k in &self.spec_cmps[i] {
                    if !seen[k] {
                        seen[k] = true;
                        let p = self.crit.penalty(k, &self.cmps[k], &self.acc);
                        old_pen.push((k, self.cmp_pen[k]));
                        new += VERDICT_WEIGHT * (p - self.cmp_pen[k]);
                        self.cmp_pen[k] = p;
                    }
                }
            }
            for &(k, _) in &old_pen {
                seen[k] = false;
            }
            if trace && it % 20_000 == 0 {
                eprintln!("it {it} t {t:.4} loss {cur:.3}");
            }
            let accept = new <= cur || rng.u() < ((cur - new) / t).exp();
            if accept {
                cur = new;
            } else {
                self.apply(inverse);
                self.acc.copy_from_slice(&self.saved);
                for &(i, c) in &old_cost {
                    self.spec_cost[i] = c;
                }
                for &(k, p) in &old_pen {
                    self.cmp_pen[k] = p;
                }
            }
        }
        // The running sum drifts by rounding only; return the exact loss.
        self.loss()
    }

    /// A move that can change the Bijlage 5 analysis file: a swap between
    /// thv cases or their first perpetrators or victims (also of the values
    /// only Bijlage 5 reads: age, substance use, weapon, household change),
    /// or a perturbation of the new incidents of thv cases.
    fn choose_b5(&self, rng: &mut Draw) -> Option<Move> {
        let r = rng.u();
        let pick2 = |rng: &mut Draw, v: &[usize]| -> Option<(usize, usize)> {
            let a = v[rng.below(v.len())];
            let b = v[rng.below(v.len())];
            (a != b).then_some((a, b))
        };
        if r < 0.15 {
            let (a, b) = pick2(rng, &self.people[0])?;
            let k = if rng.bern(0.5) {
                PersonBundle::Age
            } else {
                PersonBundle::Substance
            };
            return Some(Move::SwapPerson(k, a, b));
        }
        if r < 0.2 {
            let (a, b) = pick2(rng, &self.people[1])?;
            return Some(Move::SwapPerson(PersonBundle::Age, a, b));
        }
        if r < 0.3 {
            let (a, b) = pick2(rng, &self.thv)?;
            let k = if rng.bern(0.5) {
                CaseBundle::Weapon
            } else {
                CaseBundle::Household
            };
            return Some(Move::SwapCase(k, a, b));
        }
        // The search's own moves, kept when they touch a thv case.
        let m = self.choose(rng)?;
        self.cases_of(&m)
            .iter()
            .any(|&c| self.state.flat.cases[c].thv())
            .then_some(m)
    }

    /// The second phase: moves that change the Bijlage 5 analysis file but
    /// no cell of any table of the registry (searched or not; checked by
    /// adding the touched cases' contributions before and after), so every
    /// target, verdict and fidelity record stays as it is; accepted by the
    /// Metropolis rule on the Bijlage 5 loss ([`B5Loss`]) with the
    /// temperature falling geometrically from `t0` to `t1`. The best state
    /// seen is kept. Returns the number of agreeing Bijlage 5 verdicts.
    pub fn run_b5(&mut self, rng: &mut Draw, iters: usize, t0: f64, t1: f64) -> usize {
        let b5 = B5Loss::new();
        let reg = self.reg;
        let mut pos = vec![usize::MAX; self.state.flat.cases.len()];
        for (k, &c) in self.thv.iter().enumerate() {
            pos[c] = k;
        }
        let f = &self.state.flat;
        let mut rows: Vec<Row> = self
            .thv
            .iter()
            .map(|&c| row_of(&f.cases[c], f.persons_of(c)))
            .collect();
        let mut per_model = b5.eval(&rows);
        let (mut cur, mut ok) = total(&per_model);
        let mut best = (cur, ok, self.state.clone());
        let mut scratch = vec![0.0; reg.size];
        let ratio = (t1 / t0).ln();
        let trace = std::env::var_os("HV_TRACE").is_some();
        for it in 0..iters {
            let Some(m) = self.choose_b5(rng) else {
                continue;
            };
            let t = t0 * (ratio * it as f64 / iters as f64).exp();
            let cases = self.cases_of(&m);
            scratch.fill(0.0);
            for &c in &cases {
                reg.add_case(&self.state.flat, c, &mut scratch, -1.0, false);
            }
            let inverse = self.apply(m);
            for &c in &cases {
                reg.add_case(&self.state.flat, c, &mut scratch, 1.0, false);
            }
            if scratch.iter().any(|v| v.abs() > 1e-9) {
                self.apply(inverse);
                continue;
            }
            let old_rows: Vec<(usize, Row)> = cases
                .iter()
                .filter(|&&c| pos[c] != usize::MAX)
                .map(|&c| (pos[c], rows[pos[c]]))
                .collect();
            for &(k, _) in &old_rows {
                let c = self.thv[k];
                rows[k] = row_of(&self.state.flat.cases[c], self.state.flat.persons_of(c));
            }
            let new_models = b5.update(&rows, &old_rows, &per_model);
            let (new, new_ok) = total(&new_models);
            if new <= cur || rng.u() < ((cur - new) / t).exp() {
                cur = new;
                ok = new_ok;
                per_model = new_models;
                if cur < best.0 - 1e-12 {
                    best = (cur, ok, self.state.clone());
                }
            } else {
                self.apply(inverse);
                for (k, r) in old_rows {
                    rows[k] = r;
                }
            }
            if trace && it % 1000 == 0 {
                eprintln!("b5 it {it} t {t:.4} loss {cur:.3} agree {ok}");
            }
        }
        if best.0 < cur {
            self.state = best.2;
            return best.1;
        }
        ok
    }

    fn touch(&mut self, cases: &[usize], sign: f64, mask: u32) {
        for &c in cases {
            self.reg
                .add_case_masked(&self.state.flat, c, &mut self.acc, sign, true, mask);
        }
    }
}
