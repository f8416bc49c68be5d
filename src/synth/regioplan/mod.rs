//! The replication cohort: 105 restraining-order (thv) cases and 104 control
//! cases built so that the Regioplan (2013) report's published tables come
//! out of them.
//!
//! No real person's data. The study's microdata (dossiers, CBS microdata)
//! are confidential; this cohort is made up by code from the published
//! aggregates only (`python/huisverbod/data/regioplan2013_tables.json`,
//! embedded in the crate), so that analysts can learn the library and see
//! the report's findings come out of code.
//!
//! How it is built (deterministic: a fixed seed, no dependence on threads):
//!
//! ```text
//! 1. construction  every attribute is dealt at random as a multiset with the
//!                  published counts of its group (and role): Tables 1, 2,
//!                  2.1–2.8, 2.11, 2.13, 2.14, 3.3, 3.4, 3.6, 3.8, 4.1–4.4,
//!                  4.11, 4.17–4.20, 4.22, B2.1; incident profiles with
//!                  Table 5.2's distribution (thv) and Table 5.1's police
//!                  cases (22 thv, 31 control)
//! 2. search        simulated annealing over swaps of values (or bundles such
//!                  as a person's help trajectory) between cases or persons
//!                  of the same group and role — which keeps every one-way
//!                  count — and perturbations of the incident days, counts
//!                  and police registrations, minimising the deviation from
//!                  all searched published cells at once (4.21, 5.1–5.35, the
//!                  HKS means of 2.9) plus a penalty per chapter-5 verdict
//!                  that disagrees with the printed one
//! 2b. Bijlage 5   a second search from the best state that changes no cell
//!                  of any table (searched or not), over the moves that change the Bijlage 5
//!                  analysis file (also swaps of ages, substance use, weapon
//!                  and household change, which no table crosses), towards
//!                  the printed Bijlage 5 verdicts (the six models refitted
//!                  with `crate::models` after every admissible move)
//! 3. finishing     the kind of the first new incident (Table 5.3), the HKS
//!                  offence types (Table 2.10), identifiers, dates and the
//!                  incident rows (each incident once per source that knows it)
//! ```
//!
//! Dates follow the study design (Bijlage 2): thv orders from 2011, control
//! incidents from September–October 2011, one measurement moment per region
//! in November–December 2012, so each case is observed 1 to 1.5 years.
//!
//! [`fidelity`] compares any cohort with every published cell it can
//! reproduce; docs/replication.md lists the populations, the report's
//! inconsistencies and the choices made.

mod anneal;
mod bijlage5;
mod build;
mod fidelity;
mod flat;
mod published;
mod registry;
mod rng;
mod specs;
mod verdicts;

pub use bijlage5::{
    bijlage5_design, bijlage5_fidelity, Bijlage5Record, COLUMNS as BIJLAGE5_COLUMNS,
};
pub use fidelity::{
    fidelity, is_two_way_chapter5, Fidelity, FidelityRecord, FidelitySummary, EXACT_TABLES,
};
pub use verdicts::Verdict;

use crate::cohort::{Cohort, IncidentKind, OffenderCategory, Role};
use rng::Draw;

/// The seed of the replication cohort.
pub const SEED: u64 = 2013;

/// Moves of the local search.
const ITERATIONS: usize = 400_000;
/// Short reheated searches when a target is still missed.
const POLISH_ROUNDS: usize = 2;
/// Independent searches at most.
const CHAINS: u64 = 3;
/// Moves of the Bijlage 5 phase: one per this many of the first search (20,000).
const B5_SHARE: usize = 20;
/// Start and end temperature of the Bijlage 5 phase (in disagreeing verdicts).
const B5_T0: f64 = 0.5;
/// See [`B5_T0`].
const B5_T1: f64 = 0.01;
/// Mixed into the seed for the random stream of the Bijlage 5 phase.
const B5_STREAM: u64 = 0xB5B5_B5B5;

/// The replication cohort (see the module documentation). Deterministic:
/// every call returns the same cohort.
///
/// Also reachable as `huisverbod::synth::regioplan2013`.
///
/// # Examples
/// ```no_run
/// use huisverbod::synth::regioplan::{fidelity, regioplan2013};
/// let c = regioplan2013();
/// assert_eq!(c.n_cases(), 209);
/// let f = fidelity(&c)?;
/// assert_eq!(f.summary.exact_target_met, f.summary.exact_target_cells);
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn regioplan2013() -> Cohort {
    build_with(SEED, ITERATIONS)
}

/// The construction with another seed or length of search (for tests of robustness).
pub(crate) fn build_with(seed: u64, iterations: usize) -> Cohort {
    build_phases(seed, iterations, true)
}

/// [`build_with`], with or without the Bijlage 5 phase (`iterations / 20` moves).
pub(crate) fn build_phases(seed: u64, iterations: usize, bijlage5: bool) -> Cohort {
    let reg = registry::Registry::new();
    let mut best: Option<(f64, build::State, Draw)> = None;
    // Independent chains (seed, seed + 1, ...) until one meets every searched
    // target; otherwise the one with the lowest loss. Deterministic: the same
    // seed takes the same path.
    for chain in 0..CHAINS {
        let mut rng = Draw::new(seed.wrapping_add(chain));
        let mut state = build::construct(&mut rng);
        fit_control_hks(&mut state, &mut rng);
        let mut search = anneal::Search::new(state, &reg);
        search.run(&mut rng, iterations, 3.0, 0.01);
        for _ in 0..POLISH_ROUNDS {
            if search.satisfied() {
                break;
            }
            search.run(&mut rng, iterations / 5, 0.3, 0.01);
        }
        let done = search.satisfied();
        let loss = search.loss();
        if best.as_ref().is_none_or(|b| loss < b.0) {
            best = Some((loss, search.state, rng));
        }
        if done {
            break;
        }
    }
    let Some((_, state, mut rng)) = best else {
        unreachable!("CHAINS > 0")
    };
    // Second phase: Bijlage 5, with every target of the first kept.
    let mut state = state;
    if bijlage5 {
        let mut search = anneal::Search::new(state, &reg);
        // Its own stream, so the finishing draws what it drew without it.
        let mut rng_b5 = Draw::new(seed ^ B5_STREAM);
        search.run_b5(&mut rng_b5, iterations / B5_SHARE, B5_T0, B5_T1);
        state = search.state;
    }
    finish(&mut state, &mut rng);
    build::to_cohort(&state, &mut rng)
}

/// Integer values in `[lo_i, hi_i]` with about the given mean and sd
/// (a small annealing on the values).
fn fit_values(
    rng: &mut Draw,
    bounds: &[(i32, i32)],
    init: Vec<i32>,
    mean: f64,
    sd: f64,
) -> Vec<i32> {
    let n = bounds.len() as f64;
    let cost = |s: f64, ss: f64| {
        let m = s / n;
        let v = ((ss - s * s / n) / (n - 1.0)).max(0.0).sqrt();
        ((m - mean) / mean).powi(2) + ((v - sd) / sd).powi(2)
    };
    let mut v = init;
    let mut s: f64 = v.iter().map(|&x| f64::from(x)).sum();
    let mut ss: f64 = v.iter().map(|&x| f64::from(x).powi(2)).sum();
    let mut cur = cost(s, ss);
    for it in 0..40_000 {
        let i = rng.below(v.len());
        let (lo, hi) = bounds[i];
        if lo == hi {
            continue;
        }
        let x = if rng.bern(0.3) {
            rng.int(lo, hi)
        } else {
            (v[i] + rng.int(-3, 3)).clamp(lo, hi)
        };
        let (s2, ss2) = (
            s - f64::from(v[i]) + f64::from(x),
            ss - f64::from(v[i]).powi(2) + f64::from(x).powi(2),
        );
        let c = cost(s2, ss2);
        let t = 1e-3 * (1.0 - f64::from(it) / 40_000.0) + 1e-9;
        if c <= cur || rng.u() < ((cur - c) / t).exp() {
            v[i] = x;
            s = s2;
            ss = ss2;
            cur = c;
        }
    }
    v
}

fn category_bounds(c: Option<OffenderCategory>) -> (i32, i32) {
    match c {
        None => (0, 0),
        Some(OffenderCategory::Beginner) => (1, 1),
        Some(OffenderCategory::Repeat) => (2, 10),
        Some(OffenderCategory::Frequent) => (11, 120),
    }
}

/// Table 2.9's aggressor column (44 in HKS): antecedents mean 9.3 (sd 10.4),
/// offences 12.1 (15.2).
fn fit_control_hks(s: &mut build::State, rng: &mut Draw) {
    let idx: Vec<usize> = (0..s.flat.persons.len())
        .filter(|&i| {
            let p = &s.flat.persons[i];
            p.role == Role::Perpetrator
                && !s.flat.cases[p.case as usize].thv()
                && p.attrs.offender_category.is_some()
        })
        .collect();
    let get = |s: &build::State, f: fn(&crate::cohort::tables::PersonAttrsRow) -> Option<i32>| {
        idx.iter()
            .map(|&i| f(&s.flat.persons[i].attrs).unwrap_or(0))
            .collect::<Vec<_>>()
    };
    let bounds: Vec<(i32, i32)> = idx
        .iter()
        .map(|&i| category_bounds(s.flat.persons[i].attrs.offender_category))
        .collect();
    let ante = fit_values(rng, &bounds, get(s, |a| a.hks_antecedents), 9.3, 10.4);
    let off = fit_values(
        rng,
        &vec![(1, 120); idx.len()],
        get(s, |a| a.hks_offences),
        12.1,
        15.2,
    );
    for (k, &i) in idx.iter().enumerate() {
        s.flat.persons[i].attrs.hks_antecedents = Some(ante[k]);
        s.flat.persons[i].attrs.hks_offences = Some(off[k]);
    }
}

/// Table 2.10: violent, property and public-order offences of the
/// perpetrators in HKS, fitted to the published means and sds per group and
/// ordered like the number of offences (more offences, more of each type).
fn fit_offence_types(s: &mut build::State, rng: &mut Draw) {
    for (thv, targets) in [
        (true, [(3.7f64, 4.4f64), (2.8, 5.2), (2.2, 4.2)]),
        (false, [(3.7, 3.9), (4.2, 9.2), (1.6, 2.6)]),
    ] {
        let mut idx: Vec<usize> = (0..s.flat.persons.len())
            .filter(|&i| {
                let p = &s.flat.persons[i];
                p.role == Role::Perpetrator
                    && s.flat.cases[p.case as usize].thv() == thv
                    && p.attrs.hks_antecedents.is_some_and(|a| a >= 1)
            })
            .collect();
        idx.sort_by_key(|&i| (s.flat.persons[i].attrs.hks_offences, i));
        for (k, (mean, sd)) in targets.into_iter().enumerate() {
            let init = vec![mean.round() as i32; idx.len()];
            let mut v = fit_values(rng, &vec![(0, 80); idx.len()], init, mean, sd);
            v.sort_unstable();
            for (&i, x) in idx.iter().zip(v) {
                let a = &mut s.flat.persons[i].attrs;
                match k {
                    0 => a.hks_violent = Some(x),
                    1 => a.hks_property = Some(x),
                    _ => a.hks_public_order = Some(x),
                }
            }
        }
    }
}

/// The kind of the first new incident (Table 5.3: known for 45 of the 56 thv
/// cases with a new incident) and the offence types; control cases get a kind
/// drawn from the thv distribution.
fn finish(s: &mut build::State, rng: &mut Draw) {
    use IncidentKind::*;
    let thv_hit: Vec<usize> = (0..s.flat.cases.len())
        .filter(|&c| s.flat.cases[c].thv() && s.prof[c].len > 0)
        .collect();
    let known = 45usize.min(thv_hit.len());
    let kinds = rng.deal(&[
        (Some(Threat), 25),
        (Some(Physical), 17),
        (Some(Sexual), 1),
        (Some(Psychological), 1),
        (Some(Other), 1),
        (None, thv_hit.len() - known),
    ]);
    for (&c, k) in thv_hit.iter().zip(kinds) {
        s.flat.cases[c].out.kind_first = k;
    }
    for c in 0..s.flat.cases.len() {
        if !s.flat.cases[c].thv() && s.prof[c].len > 0 {
            s.flat.cases[c].out.kind_first = Some(if rng.bern(0.56) { Threat } else { Physical });
        }
    }
    fit_offence_types(s, rng);
}

#[cfg(test)]
mod tests;
