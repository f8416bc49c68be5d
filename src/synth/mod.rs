//! Synthetic cohorts: a national-scale generator from a latent model.
//!
//! No real person's data: every value is drawn from the distributions below,
//! loosely calibrated on the report's published marginals (chapters 2–5).
//!
//! Determinism: cases are generated in blocks of [`BLOCK`] cases; block `b`
//! draws from a ChaCha8 stream keyed by `seed` with stream number `b`, so the
//! cohort for a seed is identical whatever the number of threads.
//!
//! The latent model (per case):
//!
//! ```text
//! group        thv with probability 1/2
//! dates        incident_date uniform over 2009–2012; followup_end 365–548 days later
//! violence     threat, physical, psychological more often in thv cases (Table 2.7)
//! perpetrator  problem areas (5 Bernoulli draws, Table 4.1) → load = count ≥ 3
//!              help offered / accepted / started (full, partial, none), more often in
//!              thv cases; a heavy problem load makes a full start less likely (Table 5.7)
//! order        thv only: violated (25%), extended (45%, mostly by 18 days)
//! frailty      z ~ Exponential(1) (over-dispersion of the number of incidents)
//! hazard       λ = z · λ0 · 0.75^thv · 0.6^(full start) · 1.5^(heavy load) · 1.5^(violated)
//!              with λ0 = 1/950 per day (control: about 30% with a police-registered
//!              new incident, as Table 5.1)
//! incidents    a Poisson process of rate λ from the incident date to 200 days past
//!              followup_end (so censoring at followup_end matters); each incident is
//!              registered by the police (55%), SHG (60% thv / 15% control) and BJZ/AMK
//!              (30% when there are children), at least by one of them
//! ```

use crate::cohort::tables::{Append, CaseAttrs, IncidentAttrs, PersonAttrs};
use crate::cohort::{
    CaseTable, ChildAbuse, Cohort, ControlKind, Date, Education, Extent, Group, IncidentKind,
    IncidentTable, MaritalStatus, OffenderCategory, Origin, PersonTable, Role, Sex, Source,
    SystemAfter,
};
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Cases per block of generation (each block has its own random stream).
pub const BLOCK: usize = 8192;

/// The largest cohort the generator builds (row indices are 32-bit).
pub const MAX_CASES: usize = 100_000_000;

/// A random stream with the few draws the generator needs.
struct Draw(ChaCha8Rng);

impl Draw {
    fn new(seed: u64, stream: u64) -> Draw {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Draw(rng)
    }
    /// Uniform on [0, 1) with 53 random bits.
    fn u(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    fn bern(&mut self, p: f64) -> bool {
        self.u() < p
    }
    /// Bernoulli with 5% unknown (`None`), as registrations go.
    fn maybe(&mut self, p: f64) -> Option<bool> {
        if self.u() < 0.05 {
            None
        } else {
            Some(self.bern(p))
        }
    }
    fn int(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.u() * f64::from(hi - lo + 1)) as i32
    }
    fn exp(&mut self, rate: f64) -> f64 {
        -(1.0 - self.u()).ln() / rate
    }
    /// Poisson by inversion (means here are small; capped at 500).
    fn poisson(&mut self, mean: f64) -> i32 {
        let mean = mean.clamp(0.0, 500.0);
        let (mut k, mut p, mut s) = (0, (-mean).exp(), (-mean).exp());
        let u = self.u();
        while u > s && k < 1000 {
            k += 1;
            p *= mean / f64::from(k);
            s += p;
        }
        k
    }
    fn pick<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.u() * total;
        for &(v, w) in items {
            if x < w {
                return v;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

/// Enforcement priority of the 35 synthetic regions (1–4).
fn region_priority(r: usize) -> i32 {
    [4, 2, 3, 4, 1, 2, 3][r % 7]
}

struct Block {
    cases: CaseTable,
    persons: PersonTable,
    incidents: IncidentTable,
    /// Local key of each incident row (distinct incidents numbered from 0).
    keys: Vec<u32>,
    n_distinct: u32,
}

fn person_id(case_no: usize, role: &str, k: usize) -> String {
    format!("c{case_no:08}-{role}{k}")
}

#[allow(clippy::too_many_lines)]
fn block(seed: u64, b: usize, start: usize, end: usize) -> Block {
    let mut d = Draw::new(seed, b as u64);
    let n = end - start;
    let mut cases = CaseTable {
        attrs: CaseAttrs::with_capacity(n),
        ..CaseTable::default()
    };
    let mut persons = PersonTable {
        attrs: PersonAttrs::with_capacity(3 * n),
        ..PersonTable::default()
    };
    let mut incidents = IncidentTable {
        attrs: IncidentAttrs::with_capacity(n),
        ..IncidentTable::default()
    };
    let mut keys = Vec::new();
    let mut n_distinct = 0u32;
    let first_day = Date::from_ymd(2009, 1, 1).unwrap_or(Date(14_245));
    for i in 0..n {
        let case_no = start + i;
        let local = i as u32;
        let thv = d.bern(0.5);
        let group = if thv { Group::Thv } else { Group::Control };
        let region = d.int(0, 34) as usize;
        let start_date = first_day.plus_days(d.int(0, 1460));
        let end_date = start_date.plus_days(d.int(365, 548));
        cases.case_id.push(Some(&format!("c{case_no:08}")));
        cases.group.push(group);
        cases.region.push(Some(&format!("regio{:02}", region + 1)));
        cases.incident_date.push(start_date);
        cases.followup_end.push(end_date);

        let a = &mut cases.attrs;
        let minor_children = d.bern(if thv { 0.65 } else { 0.55 });
        let n_children = if minor_children {
            1 + d.poisson(0.6)
        } else {
            0
        };
        a.control_kind.push((!thv).then(|| {
            if d.bern(0.13) {
                ControlKind::RefusedOrder
            } else {
                ControlKind::NotStarted
            }
        }));
        a.threat.push(d.maybe(if thv { 0.75 } else { 0.55 }));
        a.physical.push(d.maybe(if thv { 0.8 } else { 0.65 }));
        a.sexual.push(d.maybe(0.05));
        a.psychological.push(d.maybe(if thv { 0.7 } else { 0.5 }));
        a.against_partner.push(d.maybe(0.6));
        a.against_ex_partner.push(d.maybe(0.25));
        a.mutual_partners.push(d.maybe(0.08));
        a.mutual_ex_partners.push(d.maybe(0.03));
        a.against_children
            .push(d.maybe(if minor_children { 0.15 } else { 0.0 }));
        a.against_parents.push(d.maybe(0.06));
        a.weapon.push(d.maybe(if thv { 0.12 } else { 0.08 }));
        a.minor_children.push(Some(minor_children));
        a.child_abuse.push(Some(if !minor_children {
            ChildAbuse::None
        } else {
            d.pick(&[
                (ChildAbuse::Witness, 0.6),
                (ChildAbuse::Direct, 0.15),
                (ChildAbuse::None, 0.25),
            ])
        }));
        a.enforcement_priority.push(Some(region_priority(region)));
        let violated = thv && d.bern(0.25);
        let extended = thv && d.bern(0.45);
        a.order_violated.push(thv.then_some(violated));
        a.incidents_during_order.push(thv.then(|| d.bern(0.2)));
        a.order_extended.push(thv.then_some(extended));
        a.extension_days
            .push((thv && extended).then(|| if d.bern(0.9) { 18 } else { d.int(1, 17) }));
        a.case_consultations
            .push(Some(d.poisson(if thv { 1.5 } else { 0.2 })));
        a.plan_of_approach
            .push(Some(d.bern(if thv { 0.6 } else { 0.1 })));
        a.system_conversation
            .push(Some(d.bern(if thv { 0.55 } else { 0.05 })));
        a.system_after.push(Some(if thv {
            d.pick(&[
                (SystemAfter::Yes, 0.3),
                (SystemAfter::Partial, 0.3),
                (SystemAfter::No, 0.3),
                (SystemAfter::NotApplicable, 0.1),
            ])
        } else {
            d.pick(&[
                (SystemAfter::NotApplicable, 0.7),
                (SystemAfter::No, 0.25),
                (SystemAfter::Partial, 0.05),
            ])
        }));
        a.household_changed.push(d.maybe(0.2));
        a.contra_indications.push(Some(d.poisson(0.8).min(5)));

        // Persons: perpetrator, victim, children.
        let perp_male = d.bern(if thv { 0.92 } else { 0.78 });
        let mut heavy = false;
        let mut full_start = false;
        for (k, role) in [Role::Perpetrator, Role::Victim]
            .into_iter()
            .chain(std::iter::repeat_n(Role::Child, n_children as usize))
            .enumerate()
        {
            let tag = match role {
                Role::Perpetrator => "p",
                Role::Victim => "v",
                Role::Child => "k",
            };
            persons.person_id.push(Some(&person_id(case_no, tag, k)));
            persons.case.push(local);
            persons.role.push(role);
            let p = &mut persons.attrs;
            let adult = role != Role::Child;
            let male = match role {
                Role::Perpetrator => perp_male,
                Role::Victim => !perp_male ^ d.bern(0.05),
                Role::Child => d.bern(0.5),
            };
            p.sex.push(Some(if male { Sex::M } else { Sex::F }));
            p.age
                .push(Some(if adult { d.int(18, 70) } else { d.int(0, 17) }));
            if !adult {
                let rows = p.sex.len();
                p.pad_to(rows);
                continue;
            }
            p.education.push(Some(d.pick(&[
                (Education::Low, 0.45),
                (Education::Middle, 0.4),
                (Education::High, 0.15),
            ])));
            p.origin.push(Some(d.pick(&[
                (Origin::Dutch, 0.6),
                (Origin::Moroccan, 0.08),
                (Origin::Turkish, 0.07),
                (Origin::Surinamese, 0.07),
                (Origin::Antillean, 0.04),
                (Origin::OtherEuropean, 0.06),
                (Origin::OtherNonEuropean, 0.08),
            ])));
            p.marital_status.push(Some(d.pick(&[
                (MaritalStatus::Married, 0.4),
                (MaritalStatus::Unmarried, 0.4),
                (MaritalStatus::Divorced, 0.17),
                (MaritalStatus::Widowed, 0.03),
            ])));
            let perp = role == Role::Perpetrator;
            let ante = if perp {
                let mean = d.exp(1.0 / 6.0);
                d.poisson(mean)
            } else {
                d.poisson(0.3)
            };
            p.hks_antecedents.push(Some(ante));
            let offences = ante + d.poisson(f64::from(ante) * 0.4);
            p.hks_offences.push(Some(offences));
            p.hks_violent.push(Some((offences as f64 * 0.4) as i32));
            p.hks_property.push(Some((offences as f64 * 0.3) as i32));
            p.hks_public_order
                .push(Some((offences as f64 * 0.2) as i32));
            p.offender_category.push(match ante {
                0 => None,
                1 => Some(OffenderCategory::Beginner),
                2..=10 => Some(OffenderCategory::Repeat),
                _ => Some(OffenderCategory::Frequent),
            });
            let areas = [
                d.bern(0.85),
                d.bern(if perp { 0.55 } else { 0.35 }),
                d.bern(if perp { 0.45 } else { 0.3 }),
                d.bern(if perp { 0.4 } else { 0.1 }),
                d.bern(0.25),
            ];
            let load = areas.iter().filter(|&&x| x).count();
            p.problem_relational.push(Some(areas[0]));
            p.problem_work_housing_social.push(Some(areas[1]));
            p.problem_psychological.push(Some(areas[2]));
            p.problem_addiction.push(Some(areas[3]));
            p.problem_family_of_origin.push(Some(areas[4]));
            let uses = areas[3] || d.bern(0.1);
            p.substance_use.push(Some(uses));
            p.alcohol_signals.push(Some(uses && d.bern(0.7)));
            p.softdrug_signals.push(Some(uses && d.bern(0.3)));
            p.harddrug_signals.push(Some(uses && d.bern(0.1)));
            p.drunk_at_incident.push(Some(uses && d.bern(0.4)));
            p.drugs_at_incident.push(Some(uses && d.bern(0.1)));
            let offered = d.bern(if thv { 0.95 } else { 0.4 });
            let accepted = offered && d.bern(0.8);
            let started = if !accepted {
                Extent::None
            } else if load >= 3 {
                d.pick(&[
                    (Extent::Full, 0.6),
                    (Extent::Partial, 0.25),
                    (Extent::None, 0.15),
                ])
            } else {
                d.pick(&[
                    (Extent::Full, 0.8),
                    (Extent::Partial, 0.12),
                    (Extent::None, 0.08),
                ])
            };
            p.first_contact_hours
                .push(offered.then(|| (d.exp(1.0 / 30.0) * 2.0).round() / 2.0));
            p.intake.push(Some(accepted));
            p.help_offered.push(Some(offered));
            p.help_accepted.push(Some(accepted));
            p.help_started.push(Some(started));
            p.cooperation.push(offered.then(|| match started {
                Extent::Full => d.int(4, 5),
                Extent::Partial => 3,
                Extent::None => d.int(1, 2),
            }));
            p.help_fit.push(accepted.then(|| {
                d.pick(&[
                    (Extent::Full, 0.5),
                    (Extent::Partial, 0.4),
                    (Extent::None, 0.1),
                ])
            }));
            let arrested = perp && d.bern(if thv { 0.9 } else { 0.5 });
            let referred = arrested && d.bern(0.7);
            let convicted = referred && d.bern(0.45);
            p.arrested.push(perp.then_some(arrested));
            p.custody.push(perp.then(|| arrested && d.bern(0.6)));
            p.referred_to_prosecutor.push(perp.then_some(referred));
            p.dismissed_unconditional
                .push(perp.then(|| referred && !convicted && d.bern(0.5)));
            p.dismissed_conditional
                .push(perp.then(|| referred && !convicted && d.bern(0.3)));
            p.examining_judge
                .push(perp.then(|| arrested && d.bern(0.1)));
            p.convicted.push(perp.then_some(convicted));
            p.sentenced.push(perp.then(|| convicted && d.bern(0.9)));
            if perp {
                heavy = load >= 3;
                full_start = started == Extent::Full;
            }
        }

        // New incidents: a Poisson process with a gamma(1) frailty.
        let frailty = d.exp(1.0);
        let mut rate = frailty / 950.0;
        if thv {
            rate *= 0.75;
        }
        if full_start {
            rate *= 0.6;
        }
        if heavy {
            rate *= 1.5;
        }
        if violated {
            rate *= 1.5;
        }
        let horizon = f64::from(start_date.days_until(end_date) + 200);
        let mut t = 0.0;
        for k in 0..50 {
            t += d.exp(rate);
            if t > horizon {
                break;
            }
            let day = start_date.plus_days(t.ceil().max(1.0) as i32);
            let kind = d.pick(&[
                (IncidentKind::Physical, 0.4),
                (IncidentKind::Threat, 0.3),
                (IncidentKind::Psychological, 0.2),
                (IncidentKind::Sexual, 0.03),
                (IncidentKind::Other, 0.07),
            ]);
            let mut sources = [
                d.bern(0.55),
                d.bern(if thv { 0.6 } else { 0.15 }),
                minor_children && d.bern(0.3),
            ];
            if !sources.iter().any(|&s| s) {
                sources[0] = true;
            }
            let id = format!("c{case_no:08}-i{k}");
            for (s, source) in [Source::Police, Source::Shg, Source::BjzAmk]
                .into_iter()
                .enumerate()
            {
                if !sources[s] {
                    continue;
                }
                let lag = if source == Source::Police {
                    0
                } else {
                    d.int(0, 2)
                };
                incidents.incident_id.push(Some(&id));
                incidents.case.push(local);
                incidents.date.push(day.plus_days(lag));
                incidents.source.push(source);
                incidents.attrs.kind.push(Some(kind));
                keys.push(n_distinct);
            }
            n_distinct += 1;
        }
    }
    Block {
        cases,
        persons,
        incidents,
        keys,
        n_distinct,
    }
}

/// A synthetic cohort of `n_cases` cases from the latent model of this module.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] when `n_cases` is 0 or above [`MAX_CASES`].
///
/// # Examples
/// ```
/// let c = huisverbod::synth::synthetic(1_000, 7)?;
/// assert_eq!(c.n_cases(), 1_000);
/// assert_eq!(c, huisverbod::synth::synthetic(1_000, 7)?); // same seed, same cohort
/// # Ok::<(), huisverbod::Error>(())
/// ```
pub fn synthetic(n_cases: usize, seed: u64) -> crate::Result<Cohort> {
    if n_cases == 0 || n_cases > MAX_CASES {
        return Err(crate::Error::InvalidArgument {
            name: "n_cases",
            reason: format!("must lie between 1 and {MAX_CASES}, got {n_cases}"),
        });
    }
    let n_blocks = n_cases.div_ceil(BLOCK);
    let blocks: Vec<Block> = (0..n_blocks)
        .into_par_iter()
        .map(|b| block(seed, b, b * BLOCK, ((b + 1) * BLOCK).min(n_cases)))
        .collect();
    let mut iter = blocks.into_iter();
    let Some(first) = iter.next() else {
        return Err(crate::Error::InvalidArgument {
            name: "n_cases",
            reason: "no cases".into(),
        });
    };
    let (mut cases, mut persons, mut incidents, mut keys) =
        (first.cases, first.persons, first.incidents, first.keys);
    let (mut case_offset, mut key_offset) = (cases.len() as u32, first.n_distinct);
    for mut blk in iter {
        for c in blk.persons.case.iter_mut() {
            *c += case_offset;
        }
        for c in blk.incidents.case.iter_mut() {
            *c += case_offset;
        }
        keys.extend(blk.keys.iter().map(|k| k + key_offset));
        case_offset += blk.cases.len() as u32;
        key_offset += blk.n_distinct;
        cases.append(blk.cases);
        persons.append(blk.persons);
        incidents.append(blk.incidents);
    }
    Ok(Cohort::from_parts(cases, persons, incidents, Some(keys)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_cohort_passes_validation() {
        // Writing and reading back runs every validation rule on the generated data.
        let c = synthetic(3 * BLOCK + 17, 11).unwrap();
        let dir = std::env::temp_dir().join(format!("hv-synth-{}", std::process::id()));
        c.to_csv_dir(&dir).unwrap();
        let back = Cohort::from_csv_dir(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(c, back);
        assert!(back.warnings().is_empty(), "{:?}", &back.warnings()[..1]);
    }

    #[test]
    fn same_seed_same_cohort_whatever_the_threads() {
        let pool = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
        };
        let one = pool(1).install(|| synthetic(2 * BLOCK + 5, 3).unwrap());
        let two = pool(2).install(|| synthetic(2 * BLOCK + 5, 3).unwrap());
        assert_eq!(one, two);
        assert_ne!(one, synthetic(2 * BLOCK + 5, 4).unwrap());
    }

    #[test]
    fn bad_sizes_are_refused() {
        assert!(synthetic(0, 1).is_err());
        assert!(synthetic(MAX_CASES + 1, 1).is_err());
    }
}
