//! The constructive assignment: cases, persons and incident profiles whose
//! one-way counts are the published ones, before the local search arranges
//! them (see [`super::anneal`]), and the conversion to a [`Cohort`].
//!
//! Every attribute is dealt as a multiset with the published counts per
//! group (and role), so the one-way tables hold by construction; the search
//! only swaps values between cases (or persons) of the same group (and
//! role), which keeps them.

use super::flat::{FCase, FPerson, Flat, Outcome};
use super::rng::Draw;
use crate::cohort::tables::{CaseAttrsRow, PersonAttrsRow};
use crate::cohort::{
    CaseTable, ChildAbuse, Cohort, ControlKind, Date, Education, Extent, Group, IncidentKind,
    IncidentTable, MaritalStatus, OffenderCategory, Origin, PersonTable, Role, Sex, Source,
    SystemAfter, ViolationKind,
};

/// The most new incidents of one case (the report's maximum, footnote 4 of chapter 5).
pub(crate) const MAX_INC: usize = 12;
/// Latest day of a new incident after the original one: thv cases are observed
/// 365–548 days, control cases 427–471 days (the incident dates and the
/// measurement moments below).
pub(crate) const MAX_DAY_THV: u16 = 540;
pub(crate) const MAX_DAY_CONTROL: u16 = 420;

/// A centre municipality of the study (anonymous).
pub(crate) struct Region {
    pub name: &'static str,
    /// Enforcement priority (1–4, one score per region, Bijlage 2).
    pub priority: i32,
    /// Thv cases.
    pub thv: usize,
    /// Control cases.
    pub control: usize,
    /// The measurement moment (followup_end) of the region: year, month, day.
    pub measured: (i32, u32, u32),
}

const fn region(
    name: &'static str,
    priority: i32,
    thv: usize,
    control: usize,
    measured: (i32, u32, u32),
) -> Region {
    Region {
        name,
        priority,
        thv,
        control,
        measured,
    }
}

/// The seven regions: 39 thv cases in the two with the highest enforcement
/// priority, 66 in the others (Table 5.30).
pub(crate) const REGIONS: [Region; 7] = [
    region("regio_1", 4, 20, 15, (2012, 11, 1)),
    region("regio_2", 4, 19, 15, (2012, 11, 8)),
    region("regio_3", 3, 15, 15, (2012, 11, 15)),
    region("regio_4", 2, 15, 15, (2012, 11, 22)),
    region("regio_5", 3, 14, 15, (2012, 11, 29)),
    region("regio_6", 1, 11, 15, (2012, 12, 6)),
    region("regio_7", 2, 11, 14, (2012, 12, 13)),
];

/// The new incidents of a case: sorted distinct days after the original
/// incident, and which of them the police registered (bit j: incident j).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Profile {
    pub len: u8,
    pub day: [u16; MAX_INC],
    pub police: u16,
}

fn low(k: usize) -> u16 {
    ((1u32 << k) - 1) as u16
}

impl Profile {
    pub fn days(&self) -> &[u16] {
        &self.day[..self.len as usize]
    }
    pub fn is_police(&self, j: usize) -> bool {
        self.police & (1 << j) != 0
    }
    pub fn n_pol(&self) -> u32 {
        (self.police & low(self.len as usize)).count_ones()
    }
    /// Inserts an incident on `day`; false when the day is taken or the profile full.
    pub fn insert(&mut self, day: u16, police: bool) -> bool {
        let n = self.len as usize;
        if n >= MAX_INC || self.days().contains(&day) {
            return false;
        }
        let k = self.days().partition_point(|&d| d < day);
        self.day.copy_within(k..n, k + 1);
        self.day[k] = day;
        self.police =
            (self.police & low(k)) | ((self.police & !low(k)) << 1) | (u16::from(police) << k);
        self.len += 1;
        true
    }
    /// Removes incident j; returns its day and police flag.
    pub fn remove(&mut self, j: usize) -> (u16, bool) {
        let n = self.len as usize;
        let out = (self.day[j], self.is_police(j));
        self.day.copy_within(j + 1..n, j);
        self.day[n - 1] = 0;
        self.police = (self.police & low(j)) | ((self.police >> 1) & !low(j));
        self.len -= 1;
        out
    }
    /// The outcome the report measures from these incidents.
    pub fn outcome(&self) -> Outcome {
        let d = self.days();
        let first_pol = (0..d.len()).find(|&j| self.is_police(j));
        Outcome {
            n_all: d.len() as u32,
            n_pol: self.n_pol(),
            d_all: d.first().map(|&x| i32::from(x)),
            d_pol: first_pol.map(|j| i32::from(d[j])),
            kind_first: None,
        }
    }
}

/// The cohort under construction.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub flat: Flat,
    pub prof: Vec<Profile>,
    pub region: Vec<u8>,
}

impl State {
    /// Recomputes case `c`'s outcome from its profile (the first kind is kept).
    pub fn sync_outcome(&mut self, c: usize) {
        let kind = self.flat.cases[c].out.kind_first;
        self.flat.cases[c].out = self.prof[c].outcome();
        self.flat.cases[c].out.kind_first = kind;
    }
}

fn b(x: bool) -> Option<bool> {
    Some(x)
}

/// Sets `field(row)` on the rows at `idx` from a dealt multiset.
fn deal_into<R, T: Clone>(
    rng: &mut Draw,
    rows: &mut [R],
    idx: &[usize],
    items: &[(Option<T>, usize)],
    set: impl Fn(&mut R, Option<T>),
) {
    let v = rng.deal(items);
    debug_assert_eq!(v.len(), idx.len(), "multiset size");
    for (&i, x) in idx.iter().zip(v) {
        set(&mut rows[i], x);
    }
}

/// Ages with a given mean (to the nearest whole year in total) in [lo, hi].
fn ages(rng: &mut Draw, n: usize, mean: f64, sd: f64, lo: i32, hi: i32) -> Vec<i32> {
    let mut v: Vec<i32> = (0..n)
        .map(|_| (rng.normal(mean, sd).round() as i32).clamp(lo, hi))
        .collect();
    let target = (mean * n as f64).round() as i64;
    let mut sum: i64 = v.iter().map(|&x| i64::from(x)).sum();
    while sum != target {
        let i = rng.below(n);
        if sum < target && v[i] < hi {
            v[i] += 1;
            sum += 1;
        } else if sum > target && v[i] > lo {
            v[i] -= 1;
            sum -= 1;
        }
    }
    v
}

/// Help bundles: (offered, accepted, started, cooperation) with multiplicities.
type Help = (Option<bool>, Option<bool>, Option<Extent>, Option<i32>);

fn help(
    offered: bool,
    accepted: bool,
    started: Option<Extent>,
    coop: Option<i32>,
    n: usize,
) -> (Help, usize) {
    ((b(offered), b(accepted), started, coop), n)
}

/// Evicted persons (Table 1, 4.11, 5.4, 5.7a): 15 not offered, 23 refused,
/// 6 accepted but not started, 1 accepted with unknown start, 7 partly and 53
/// fully started; cooperation 21/5/15/13/25 and 26 unknown.
fn help_uhg() -> Vec<(Help, usize)> {
    use Extent::{Full, None as No, Partial};
    vec![
        help(false, false, Some(No), None, 15),
        help(true, false, Some(No), Some(1), 21),
        help(true, false, Some(No), None, 2),
        help(true, true, Some(No), Some(2), 5),
        help(true, true, Some(No), None, 1),
        help(true, true, None, None, 1),
        help(true, true, Some(Partial), Some(3), 5),
        help(true, true, Some(Partial), None, 2),
        help(true, true, Some(Full), Some(3), 10),
        help(true, true, Some(Full), Some(4), 13),
        help(true, true, Some(Full), Some(5), 25),
        help(true, true, Some(Full), None, 5),
    ]
}

/// Victims staying behind (Table 1, 4.11, 5.9): 25 not offered, 15 refused,
/// 1 accepted but not started, 7 accepted with unknown start, 6 partly and 75
/// fully started; cooperation 18/2/16/35/23 and 35 unknown.
fn help_ab() -> Vec<(Help, usize)> {
    use Extent::{Full, None as No, Partial};
    vec![
        help(false, false, Some(No), None, 25),
        help(true, false, Some(No), Some(1), 15),
        help(true, true, Some(No), Some(2), 1),
        help(true, true, None, Some(1), 3),
        help(true, true, None, Some(2), 1),
        help(true, true, None, None, 3),
        help(true, true, Some(Partial), Some(3), 6),
        help(true, true, Some(Full), Some(3), 10),
        help(true, true, Some(Full), Some(4), 35),
        help(true, true, Some(Full), Some(5), 23),
        help(true, true, Some(Full), None, 7),
    ]
}

/// Aggressors, one per control case (Table 2, 5.4, 5.12): 86 not offered,
/// 5 refused, 2 partly and 11 fully started.
fn help_agg() -> Vec<(Help, usize)> {
    use Extent::{Full, None as No, Partial};
    vec![
        help(false, false, Some(No), None, 86),
        help(true, false, Some(No), Some(1), 5),
        help(true, true, Some(Partial), Some(3), 2),
        help(true, true, Some(Full), Some(3), 2),
        help(true, true, Some(Full), Some(4), 3),
        help(true, true, Some(Full), Some(5), 3),
        help(true, true, Some(Full), None, 3),
    ]
}

/// Aggrieved persons (Table 2, 5.9, 5.15): 85 not offered, 6 refused, 1
/// accepted but not started, 1 with unknown start, 1 partly and 18 fully started.
fn help_aggrieved() -> Vec<(Help, usize)> {
    use Extent::{Full, None as No, Partial};
    vec![
        help(false, false, Some(No), None, 85),
        help(true, false, Some(No), Some(1), 6),
        help(true, true, Some(No), Some(2), 1),
        help(true, true, None, None, 1),
        help(true, true, Some(Partial), Some(3), 1),
        help(true, true, Some(Full), Some(4), 7),
        help(true, true, Some(Full), Some(5), 7),
        help(true, true, Some(Full), None, 4),
    ]
}

/// Children: offered, accepted, started (Tables 1 and 2).
fn help_children(n: usize, offered: usize, accepted: usize, started: usize) -> Vec<(Help, usize)> {
    use Extent::{Full, None as No, Partial};
    let partial = started / 6;
    vec![
        help(false, false, Some(No), None, n - offered),
        help(true, false, Some(No), None, offered - accepted),
        help(true, true, Some(No), None, accepted - started),
        help(true, true, Some(Partial), None, partial),
        help(true, true, Some(Full), None, started - partial),
    ]
}

fn set_help(p: &mut PersonAttrsRow, h: Help) {
    p.help_offered = h.0;
    p.help_accepted = h.1;
    p.help_started = h.2;
    p.cooperation = h.3;
}

/// First-contact hours in a bin of Table 4.4 (`None`: no contact or unknown).
fn hours_in(rng: &mut Draw, bin: usize) -> Option<f64> {
    let (lo, hi) = match bin {
        0 => (1, 48),
        1 => (49, 96),
        2 => (97, 144),
        3 => (145, 192),
        4 => (193, 480),
        _ => return None,
    };
    // Half hours.
    Some(f64::from(rng.int(lo, hi)) / 2.0)
}

fn bins(counts: [usize; 6]) -> Vec<(usize, usize)> {
    counts.iter().copied().enumerate().collect()
}

/// Everything but the local search: the published one-way counts dealt at random.
#[allow(clippy::too_many_lines)]
pub(crate) fn construct(rng: &mut Draw) -> State {
    let n_thv: usize = REGIONS.iter().map(|r| r.thv).sum();
    let n_ctl: usize = REGIONS.iter().map(|r| r.control).sum();
    let n = n_thv + n_ctl;
    let thv: Vec<usize> = (0..n_thv).collect();
    let ctl: Vec<usize> = (n_thv..n).collect();
    let mut region = Vec::with_capacity(n);
    for (r, reg) in REGIONS.iter().enumerate() {
        region.extend(std::iter::repeat_n(r as u8, reg.thv));
    }
    for (r, reg) in REGIONS.iter().enumerate() {
        region.extend(std::iter::repeat_n(r as u8, reg.control));
    }
    let mut ca: Vec<CaseAttrsRow> = vec![CaseAttrsRow::default(); n];
    for (i, a) in ca.iter_mut().enumerate() {
        a.enforcement_priority = Some(REGIONS[region[i] as usize].priority);
    }

    // --- children and child abuse (Tables 2.1, 3.4, section 3.5.1)
    let mut n_children = vec![0usize; n];
    let mut thv_cases = thv.clone();
    rng.shuffle(&mut thv_cases);
    let (thv_minor, thv_none) = thv_cases.split_at(73);
    let kids = rng.deal(&[(1usize, 18), (2, 28), (3, 17), (4, 7), (5, 3)]);
    for (&c, k) in thv_minor.iter().zip(kids) {
        ca[c].minor_children = b(true);
        n_children[c] = k;
    }
    for &c in thv_none {
        ca[c].minor_children = b(false);
        ca[c].child_abuse = Some(ChildAbuse::None);
    }
    let abuse = rng.deal(&[
        (ChildAbuse::Direct, 16),
        (ChildAbuse::Witness, 40),
        (ChildAbuse::None, 17),
    ]);
    for (&c, x) in thv_minor.iter().zip(abuse) {
        ca[c].child_abuse = Some(x);
    }
    let mut ctl_cases = ctl.clone();
    rng.shuffle(&mut ctl_cases);
    let (ctl_minor, ctl_none) = ctl_cases.split_at(65);
    let kids = rng.deal(&[(1usize, 33), (2, 22), (3, 8), (4, 2)]);
    for (&c, k) in ctl_minor.iter().zip(kids) {
        ca[c].minor_children = b(true);
        n_children[c] = k;
    }
    for &c in ctl_none {
        ca[c].minor_children = b(false);
    }
    // Control cases with violence against minor children (Tables 2.8, 3.6): 20.
    for &c in &ctl_minor[..20] {
        ca[c].child_abuse = Some(ChildAbuse::Direct);
    }

    // --- violence (Tables 2.7, 2.8, 3.4, 3.6)
    let direct = |ca: &[CaseAttrsRow], c: usize| ca[c].child_abuse == Some(ChildAbuse::Direct);
    let thv_ca: Vec<usize> = thv.iter().copied().filter(|&c| direct(&ca, c)).collect();
    let thv_no: Vec<usize> = thv.iter().copied().filter(|&c| !direct(&ca, c)).collect();
    let ctl_ca: Vec<usize> = ctl.iter().copied().filter(|&c| direct(&ca, c)).collect();
    let ctl_no: Vec<usize> = ctl.iter().copied().filter(|&c| !direct(&ca, c)).collect();
    let yn = |t: usize, f: usize, u: usize| vec![(b(true), t), (b(false), f), (None, u)];
    type Setter = fn(&mut CaseAttrsRow, Option<bool>);
    let setters: [Setter; 6] = [
        |a, x| a.threat = x,
        |a, x| a.physical = x,
        |a, x| a.sexual = x,
        |a, x| a.psychological = x,
        |a, x| a.honour_related = x,
        |a, x| a.weapon = x,
    ];
    // (threat, physical, sexual, psychological, honour-related, weapon)
    // Per group of cases: (true, false, unknown) for each of the six columns.
    type Plan<'a> = (&'a [usize], [(usize, usize, usize); 6]);
    let plan: [Plan<'_>; 4] = [
        (
            &thv_ca,
            [
                (13, 3, 0),
                (16, 0, 0),
                (2, 14, 0),
                (13, 3, 0),
                (1, 13, 2),
                (8, 8, 0),
            ],
        ),
        (
            &thv_no,
            [
                (86, 3, 0),
                (79, 10, 0),
                (9, 80, 0),
                (57, 32, 0),
                (2, 87, 0),
                (28, 61, 0),
            ],
        ),
        (
            &ctl_ca,
            [
                (11, 7, 2),
                (12, 6, 2),
                (1, 17, 2),
                (13, 7, 0),
                (2, 15, 3),
                (7, 10, 3),
            ],
        ),
        (
            &ctl_no,
            [
                (47, 32, 5),
                (70, 14, 0),
                (4, 78, 2),
                (35, 43, 6),
                (0, 0, 84),
                (0, 0, 84),
            ],
        ),
    ];
    for (idx, counts) in plan {
        for (k, (t, f, u)) in counts.into_iter().enumerate() {
            deal_into(rng, &mut ca, idx, &yn(t, f, u), setters[k]);
        }
    }
    let dir_setters: [Setter; 5] = [
        |a, x| a.against_partner = x,
        |a, x| a.against_ex_partner = x,
        |a, x| a.mutual_partners = x,
        |a, x| a.mutual_ex_partners = x,
        |a, x| a.against_parents = x,
    ];
    for (k, (t, f, u)) in [
        (66, 39, 0),
        (10, 95, 0),
        (5, 100, 0),
        (2, 103, 0),
        (13, 92, 0),
    ]
    .into_iter()
    .enumerate()
    {
        deal_into(rng, &mut ca, &thv, &yn(t, f, u), dir_setters[k]);
    }
    for (k, (t, f, u)) in [
        (67, 37, 0),
        (15, 89, 0),
        (6, 98, 0),
        (2, 102, 0),
        (10, 93, 1),
    ]
    .into_iter()
    .enumerate()
    {
        deal_into(rng, &mut ca, &ctl, &yn(t, f, u), dir_setters[k]);
    }
    // Violence against children: the 16 thv cases with child abuse in the narrow
    // sense and 4 more (Table 2.8 counts 20); in control cases the 20 of Table 3.6.
    for &c in &thv_ca {
        ca[c].against_children = b(true);
    }
    deal_into(rng, &mut ca, &thv_no, &yn(4, 85, 0), |a, x| {
        a.against_children = x
    });
    for &c in &ctl {
        ca[c].against_children = b(direct(&ca, c));
    }

    // --- the course of the order (Table 3.3), thv only
    let violated = rng.deal(&[(true, 24), (false, 81)]);
    let kinds = rng.deal(&[
        (Some(ViolationKind::TextOrInternet), 4),
        (Some(ViolationKind::Telephone), 3),
        (Some(ViolationKind::FaceToFace), 2),
        (Some(ViolationKind::InDwelling), 1),
        (Some(ViolationKind::Combination), 12),
        (None, 2),
    ]);
    let reported = rng.deal(&[(true, 8), (false, 16)]);
    let arrest = rng.deal(&[(true, 3), (false, 21)]);
    let prosecuted = rng.deal(&[(true, 2), (false, 22)]);
    let mut k = 0;
    for (&c, v) in thv.iter().zip(violated) {
        let a = &mut ca[c];
        a.order_violated = b(v);
        if v {
            a.violation_kind = kinds[k];
            a.violation_reported_by_help = b(reported[k]);
            a.violation_arrest = b(arrest[k]);
            a.violation_prosecuted = b(prosecuted[k]);
            k += 1;
        }
    }
    let during = rng.deal(&[(Some(true), 2), (Some(false), 9), (None, 94)]);
    for (&c, d) in thv.iter().zip(during) {
        ca[c].incidents_during_order = b(d.is_some());
        ca[c].incident_during_order_dv = d;
    }
    let ext = rng.deal(&[
        (Some(18), 44),
        (Some(7), 1),
        (Some(6), 1),
        (Some(4), 1),
        (Some(3), 1),
        (None, 57),
    ]);
    for (&c, d) in thv.iter().zip(ext) {
        ca[c].order_extended = b(d.is_some());
        ca[c].extension_days = d;
    }

    // --- system approach (Tables 4.17–4.21)
    deal_into(
        rng,
        &mut ca,
        &thv,
        &[
            (Some(1), 17),
            (Some(2), 33),
            (Some(3), 11),
            (Some(4), 7),
            (Some(5), 20),
            (Some(6), 4),
            (Some(8), 2),
            (Some(0), 9),
            (None, 2),
        ],
        |a, x| a.case_consultations = x,
    );
    deal_into(rng, &mut ca, &thv, &yn(64, 38, 3), |a, x| {
        a.plan_of_approach = x
    });
    deal_into(rng, &mut ca, &thv, &yn(62, 39, 4), |a, x| {
        a.system_conversation = x
    });
    deal_into(
        rng,
        &mut ca,
        &thv,
        &[
            (Some(SystemAfter::Yes), 39),
            (Some(SystemAfter::Partial), 5),
            (Some(SystemAfter::No), 54),
            (Some(SystemAfter::NotApplicable), 7),
        ],
        |a, x| a.system_after = x,
    );
    // Control: consultations known for 48 cases (26 held, 22 not); a system
    // conversation in 4 of the 26, none in 42 others (Tables 4.17, 4.19, 4.21).
    let consult = rng.deal(&[(1, 10), (2, 10), (3, 4), (4, 1), (5, 1)]);
    for (j, &c) in ctl_cases.iter().enumerate() {
        let a = &mut ca[c];
        match j {
            0..=25 => {
                a.case_consultations = Some(consult[j]);
                a.system_conversation = b(j < 4);
            }
            26..=47 => {
                a.case_consultations = Some(0);
                a.system_conversation = if j < 46 { b(false) } else { None };
            }
            _ => {}
        }
    }

    // --- other case columns (Tables 3.8, 4.22, B2.1)
    deal_into(rng, &mut ca, &thv, &yn(46, 35, 24), |a, x| {
        a.household_changed = x
    });
    deal_into(
        rng,
        &mut ca,
        &thv,
        &[
            (Some(0), 20),
            (Some(1), 25),
            (Some(2), 20),
            (Some(3), 17),
            (Some(4), 10),
            (Some(5), 5),
            (None, 8),
        ],
        |a, x| a.contra_indications = x,
    );
    deal_into(
        rng,
        &mut ca,
        &ctl,
        &[
            (Some(ControlKind::RefusedOrder), 12),
            (Some(ControlKind::NotStarted), 92),
        ],
        |a, x| a.control_kind = x,
    );

    // --- persons: perpetrators, victims, children per case
    let mut n_perp = vec![1usize; n];
    let mut n_victim = vec![1usize; n];
    for (&c, k) in thv.iter().zip(rng.deal(&[(1usize, 84), (2, 18), (3, 3)])) {
        n_victim[c] = k;
    }
    for (&c, k) in ctl.iter().zip(rng.deal(&[(1usize, 96), (2, 8)])) {
        n_victim[c] = k;
    }
    for (&c, k) in ctl.iter().zip(rng.deal(&[(1usize, 101), (2, 3)])) {
        n_perp[c] = k;
    }
    let mut persons: Vec<FPerson> = Vec::new();
    for c in 0..n {
        for (role, k) in [
            (Role::Perpetrator, n_perp[c]),
            (Role::Victim, n_victim[c]),
            (Role::Child, n_children[c]),
        ] {
            for _ in 0..k {
                persons.push(FPerson {
                    case: c as u32,
                    role,
                    attrs: PersonAttrsRow::default(),
                });
            }
        }
    }
    let who = |g: Group, role: Role, first_only: bool| -> Vec<usize> {
        let mut seen = vec![false; n];
        persons
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let c = p.case as usize;
                let ok = (c < n_thv) == (g == Group::Thv) && p.role == role;
                let first = !seen[c] || !first_only;
                if ok {
                    seen[c] = true;
                }
                ok && first
            })
            .map(|(i, _)| i)
            .collect()
    };
    let uhg = who(Group::Thv, Role::Perpetrator, false);
    let ab = who(Group::Thv, Role::Victim, false);
    let thv_kids = who(Group::Thv, Role::Child, false);
    let agg = who(Group::Control, Role::Perpetrator, false);
    let agg1 = who(Group::Control, Role::Perpetrator, true);
    let agg2: Vec<usize> = agg.iter().copied().filter(|i| !agg1.contains(i)).collect();
    let agd = who(Group::Control, Role::Victim, false);
    let ctl_kids = who(Group::Control, Role::Child, false);
    let mut pa: Vec<PersonAttrsRow> = persons.iter().map(|p| p.attrs.clone()).collect();

    // Sex and age (Table 2.2; adults 18–85).
    let sexes =
        |m: usize, f: usize, u: usize| vec![(Some(Sex::M), m), (Some(Sex::F), f), (None, u)];
    deal_into(rng, &mut pa, &uhg, &sexes(104, 1, 0), |a, x| a.sex = x);
    deal_into(rng, &mut pa, &ab, &sexes(15, 113, 1), |a, x| a.sex = x);
    deal_into(rng, &mut pa, &agg, &sexes(89, 18, 0), |a, x| a.sex = x);
    deal_into(rng, &mut pa, &agd, &sexes(21, 91, 0), |a, x| a.sex = x);
    for (idx, mean) in [(&uhg, 38.1), (&ab, 40.7), (&agg, 36.4), (&agd, 36.3)] {
        let mut v = ages(rng, idx.len(), mean, 11.0, 18, 85);
        // The printed range of all adults is 18–85.
        if mean > 40.0 {
            let hi = v
                .iter()
                .position(|&x| x == *v.iter().max().unwrap_or(&85))
                .unwrap_or(0);
            let d = 85 - v[hi];
            v[hi] = 85;
            let mut left = d;
            while left > 0 {
                let i = rng.below(v.len());
                if i != hi && v[i] > 19 {
                    v[i] -= 1;
                    left -= 1;
                }
            }
        }
        if mean < 36.35 {
            let lo = v
                .iter()
                .position(|&x| x == *v.iter().min().unwrap_or(&18))
                .unwrap_or(0);
            let d = v[lo] - 18;
            v[lo] = 18;
            let mut left = d;
            while left > 0 {
                let i = rng.below(v.len());
                if i != lo && v[i] < 84 {
                    v[i] += 1;
                    left -= 1;
                }
            }
        }
        for (&i, a) in idx.iter().zip(v) {
            pa[i].age = Some(a);
        }
    }
    for &i in thv_kids.iter().chain(&ctl_kids) {
        pa[i].age = Some(rng.int(0, 17));
        pa[i].sex = Some(if rng.bern(0.5) { Sex::M } else { Sex::F });
    }

    // Education (Table 2.4: adults per group), origin (2.6), marital status (2.3).
    let thv_adults: Vec<usize> = uhg.iter().chain(&ab).copied().collect();
    let ctl_adults: Vec<usize> = agg.iter().chain(&agd).copied().collect();
    let ed = |l: usize, m: usize, h: usize, u: usize| {
        vec![
            (Some(Education::Low), l),
            (Some(Education::Middle), m),
            (Some(Education::High), h),
            (None, u),
        ]
    };
    deal_into(rng, &mut pa, &thv_adults, &ed(71, 35, 7, 121), |a, x| {
        a.education = x
    });
    deal_into(rng, &mut pa, &ctl_adults, &ed(62, 30, 10, 117), |a, x| {
        a.education = x
    });
    let or = |c: [usize; 8]| {
        use Origin::*;
        vec![
            (Some(Dutch), c[0]),
            (Some(Antillean), c[1]),
            (Some(Surinamese), c[2]),
            (Some(Moroccan), c[3]),
            (Some(Turkish), c[4]),
            (Some(OtherEuropean), c[5]),
            (Some(OtherNonEuropean), c[6]),
            (None, c[7]),
        ]
    };
    // Table 2.6's evicted-person column sums to 103 of a printed 104: one more Moroccan.
    deal_into(
        rng,
        &mut pa,
        &uhg,
        &or([50, 8, 9, 14, 9, 6, 8, 1]),
        |a, x| a.origin = x,
    );
    deal_into(
        rng,
        &mut pa,
        &ab,
        &or([55, 5, 11, 11, 5, 13, 11, 18]),
        |a, x| a.origin = x,
    );
    deal_into(
        rng,
        &mut pa,
        &agg,
        &or([35, 5, 10, 10, 11, 7, 18, 11]),
        |a, x| a.origin = x,
    );
    deal_into(
        rng,
        &mut pa,
        &agd,
        &or([43, 1, 10, 9, 9, 8, 19, 13]),
        |a, x| a.origin = x,
    );
    let ms = |c: [usize; 5]| {
        use MaritalStatus::*;
        vec![
            (Some(Married), c[0]),
            (Some(Unmarried), c[1]),
            (Some(Divorced), c[2]),
            (Some(Widowed), c[3]),
            (None, c[4]),
        ]
    };
    deal_into(rng, &mut pa, &uhg, &ms([31, 54, 19, 0, 1]), |a, x| {
        a.marital_status = x
    });
    deal_into(rng, &mut pa, &ab, &ms([43, 39, 26, 3, 18]), |a, x| {
        a.marital_status = x
    });
    deal_into(rng, &mut pa, &agg, &ms([32, 51, 12, 0, 12]), |a, x| {
        a.marital_status = x
    });
    deal_into(rng, &mut pa, &agd, &ms([38, 41, 15, 5, 13]), |a, x| {
        a.marital_status = x
    });

    // HKS (Tables 2.9–2.11, 5.24, 5.25): 92 evicted persons and 44 aggressors
    // with antecedents; the values are fitted later.
    for (idx, cats) in [(&uhg, [24usize, 45, 23]), (&agg, [8, 23, 13])] {
        let inn = cats.iter().sum::<usize>();
        let v = rng.deal(&[
            (Some(OffenderCategory::Beginner), cats[0]),
            (Some(OffenderCategory::Repeat), cats[1]),
            (Some(OffenderCategory::Frequent), cats[2]),
            (None, idx.len() - inn),
        ]);
        for (&i, cat) in idx.iter().zip(v) {
            let a = &mut pa[i];
            a.offender_category = cat;
            let ante = match cat {
                None => 0,
                Some(OffenderCategory::Beginner) => 1,
                Some(OffenderCategory::Repeat) => rng.int(2, 10),
                Some(OffenderCategory::Frequent) => rng.int(11, 40),
            };
            a.hks_antecedents = Some(ante);
            a.hks_offences = Some(if ante == 0 { 0 } else { ante + rng.int(0, 4) });
            a.hks_violent = Some(0);
            a.hks_property = Some(0);
            a.hks_public_order = Some(0);
        }
    }

    // Problem areas (Table 4.1; psychological unknown for 11 evicted persons, Table 5.29).
    type PSetter = fn(&mut PersonAttrsRow, Option<bool>);
    let areas: [PSetter; 5] = [
        |a, x| a.problem_relational = x,
        |a, x| a.problem_work_housing_social = x,
        |a, x| a.problem_psychological = x,
        |a, x| a.problem_addiction = x,
        |a, x| a.problem_family_of_origin = x,
    ];
    for (k, (t, f, u)) in [
        (100, 5, 0),
        (83, 22, 0),
        (67, 27, 11),
        (55, 50, 0),
        (6, 99, 0),
    ]
    .into_iter()
    .enumerate()
    {
        deal_into(rng, &mut pa, &uhg, &yn(t, f, u), areas[k]);
    }
    for (k, (t, f)) in [(110, 19), (82, 47), (67, 62), (18, 111), (48, 81)]
        .into_iter()
        .enumerate()
    {
        deal_into(rng, &mut pa, &ab, &yn(t, f, 0), areas[k]);
    }
    // Every evicted person has at least one problem area.
    for &i in &uhg {
        if pa[i].problem_relational == Some(false)
            && pa[i].problem_work_housing_social == Some(false)
        {
            if let Some(&j) = uhg.iter().find(|&&j| {
                pa[j].problem_relational == Some(true)
                    && pa[j].problem_work_housing_social == Some(true)
            }) {
                pa[i].problem_work_housing_social = b(true);
                pa[j].problem_work_housing_social = b(false);
            }
        }
    }
    // Control: the five areas known for 20 aggressors, 8 with 1–2 and 12 with 3–5 (Table 5.8).
    let mut known = agg1.clone();
    rng.shuffle(&mut known);
    for (j, &i) in known[..20].iter().enumerate() {
        let k = if j < 8 { rng.int(1, 2) } else { rng.int(3, 5) } as usize;
        let mut flags = [false; 5];
        let mut order = [0usize, 1, 2, 3, 4];
        rng.shuffle(&mut order[1..]);
        for &o in &order[..k] {
            flags[o] = true;
        }
        for (s, &f) in areas.iter().zip(&flags) {
            s(&mut pa[i], Some(f));
        }
    }

    // Substance use of evicted persons (Table 4.2).
    let users = rng.deal(&[(true, 66), (false, 39)]);
    let user_idx: Vec<usize> = uhg
        .iter()
        .zip(&users)
        .filter(|(_, &u)| u)
        .map(|(&i, _)| i)
        .collect();
    for (&i, &u) in uhg.iter().zip(&users) {
        let a = &mut pa[i];
        a.substance_use = b(u);
        a.alcohol_signals = b(false);
        a.softdrug_signals = b(false);
        a.harddrug_signals = b(false);
        a.drunk_at_incident = b(false);
        a.drugs_at_incident = b(false);
    }
    let subst: [(PSetter, usize); 5] = [
        (|a, x| a.alcohol_signals = x, 43),
        (|a, x| a.softdrug_signals = x, 22),
        (|a, x| a.harddrug_signals = x, 12),
        (|a, x| a.drunk_at_incident = x, 37),
        (|a, x| a.drugs_at_incident = x, 12),
    ];
    for (s, t) in subst {
        deal_into(rng, &mut pa, &user_idx, &yn(t, 66 - t, 0), s);
    }

    // Help (Tables 1, 2, 4.3, 4.11).
    for (idx, h) in [
        (&uhg, help_uhg()),
        (&ab, help_ab()),
        (&agg1, help_agg()),
        (&agd, help_aggrieved()),
        (&thv_kids, help_children(168, 115, 78, 74)),
        (&ctl_kids, help_children(109, 34, 24, 23)),
    ] {
        let v = rng.deal(&h);
        for (&i, x) in idx.iter().zip(v) {
            set_help(&mut pa[i], x);
        }
    }
    for &i in &agg2 {
        set_help(&mut pa[i], (None, None, None, None));
    }
    for (idx, fit, extra) in [(&uhg, [6usize, 27, 50], 0usize), (&ab, [3, 33, 75], 7)] {
        let offered: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| pa[i].help_offered == b(true))
            .collect();
        let mut not: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| pa[i].help_offered != b(true))
            .collect();
        rng.shuffle(&mut not);
        let pool: Vec<usize> = offered.iter().chain(&not[..extra]).copied().collect();
        let known: usize = fit.iter().sum();
        let v = rng.deal(&[
            (Some(Extent::None), fit[0]),
            (Some(Extent::Partial), fit[1]),
            (Some(Extent::Full), fit[2]),
            (None, pool.len() - known),
        ]);
        for (&i, x) in pool.iter().zip(v) {
            pa[i].help_fit = x;
        }
    }

    // First contact (Table 4.4): per evicted person; per case for the others.
    let v = rng.deal(&bins([54, 15, 5, 3, 3, 25]));
    for (&i, bin) in uhg.iter().zip(v) {
        pa[i].first_contact_hours = hours_in(rng, bin);
    }
    let mut is_agg1 = vec![false; persons.len()];
    for &i in &agg1 {
        is_agg1[i] = true;
    }
    let mut of_case = vec![Vec::new(); n];
    for (i, p) in persons.iter().enumerate() {
        of_case[p.case as usize].push(i);
    }
    for (cases, counts, role) in [
        (&thv, [91, 6, 5, 1, 0, 2], Role::Victim),
        (&ctl, [9, 0, 0, 0, 2, 93], Role::Perpetrator),
        (&ctl, [13, 1, 1, 1, 9, 79], Role::Victim),
    ] {
        let v = rng.deal(&bins(counts));
        for (&c, bin) in cases.iter().zip(v) {
            let h = hours_in(rng, bin);
            for &i in &of_case[c] {
                // Victims of a case are contacted together; the first aggressor only.
                if persons[i].role == role && (role == Role::Victim || is_agg1[i]) {
                    pa[i].first_contact_hours = h;
                }
            }
        }
    }

    // Criminal proceedings (Tables 2.13, 2.14, 3.7, 5.26).
    let crim =
        |arr: bool, cus: bool, refd: bool, du: bool, dc: bool, rc: bool, conv: bool, sent: bool| {
            (
                b(arr),
                b(cus),
                b(refd),
                b(du),
                b(dc),
                b(rc),
                b(conv),
                b(sent),
            )
        };
    type Crim = (
        Option<bool>,
        Option<bool>,
        Option<bool>,
        Option<bool>,
        Option<bool>,
        Option<bool>,
        Option<bool>,
        Option<bool>,
    );
    let set_crim = |a: &mut PersonAttrsRow, c: Crim| {
        a.arrested = c.0;
        a.custody = c.1;
        a.referred_to_prosecutor = c.2;
        a.dismissed_unconditional = c.3;
        a.dismissed_conditional = c.4;
        a.examining_judge = c.5;
        a.convicted = c.6;
        a.sentenced = c.7;
    };
    // Evicted persons: 6 not arrested; of 99 arrested 62 in custody, 75 referred
    // (34 convicted, 33 sentenced; 14 and 17 dismissals), 19 before the RC.
    {
        let mut v: Vec<Crim> = Vec::new();
        v.extend(std::iter::repeat_n(
            crim(false, false, false, false, false, false, false, false),
            6,
        ));
        let custody = rng.deal(&[(true, 62), (false, 37)]);
        let rc = rng.deal(&[(true, 19), (false, 56)]);
        let outcome = rng.deal(&[(0u8, 1), (1, 33), (2, 14), (3, 17), (4, 10)]);
        for k in 0..99 {
            let referred = k < 75;
            let o = if referred { outcome[k] } else { 4 };
            v.push(crim(
                true,
                custody[k],
                referred,
                o == 2,
                o == 3,
                referred && rc[k],
                o <= 1,
                o == 1,
            ));
        }
        rng.shuffle(&mut v);
        for (&i, c) in uhg.iter().zip(v) {
            set_crim(&mut pa[i], c);
        }
    }
    // Aggressors: 49 arrested, 47 not, 11 unknown; among the arrested 21 in custody,
    // 34 referred (17 convicted, 15 sentenced; 5 and 6 dismissals), 7 before the RC.
    // In the 20 cases with child abuse: 10 arrested, 7 referred, 3 convicted (Table 3.7).
    {
        let ca_first: Vec<usize> = agg
            .iter()
            .copied()
            .filter(|&i| direct(&ca, persons[i].case as usize))
            .collect();
        let rest: Vec<usize> = agg
            .iter()
            .copied()
            .filter(|i| !ca_first.contains(i))
            .collect();
        let none = (None, None, None, None, None, None, None, None);
        let not = crim(false, false, false, false, false, false, false, false);
        let mk = |rng: &mut Draw,
                  arrested: usize,
                  referred: usize,
                  convicted: usize,
                  sentenced: usize,
                  du: usize,
                  dc: usize| {
            let mut v: Vec<Crim> = Vec::new();
            let outcome = {
                let mut o = vec![1u8; sentenced];
                o.extend(std::iter::repeat_n(0u8, convicted - sentenced));
                o.extend(std::iter::repeat_n(2u8, du));
                o.extend(std::iter::repeat_n(3u8, dc));
                o.extend(std::iter::repeat_n(4u8, referred - convicted - du - dc));
                rng.shuffle(&mut o);
                o
            };
            for k in 0..arrested {
                let referred_k = k < referred;
                let o = outcome.get(k).copied().unwrap_or(4);
                v.push(crim(
                    true,
                    false,
                    referred_k,
                    o == 2,
                    o == 3,
                    false,
                    o <= 1,
                    o == 1,
                ));
            }
            v
        };
        let mut v1 = mk(rng, 10, 7, 3, 3, 1, 1);
        v1.extend(std::iter::repeat_n(not, 7));
        v1.extend(std::iter::repeat_n(none, ca_first.len() - 17));
        rng.shuffle(&mut v1);
        let mut v2 = mk(rng, 39, 27, 14, 12, 4, 5);
        v2.extend(std::iter::repeat_n(not, 40));
        v2.extend(std::iter::repeat_n(none, rest.len() - 79));
        rng.shuffle(&mut v2);
        for (&i, c) in ca_first.iter().zip(v1).chain(rest.iter().zip(v2)) {
            set_crim(&mut pa[i], c);
        }
        // Custody (21) and the examining magistrate (7) among the arrested aggressors.
        let arrested: Vec<usize> = agg
            .iter()
            .copied()
            .filter(|&i| pa[i].arrested == b(true))
            .collect();
        deal_into(rng, &mut pa, &arrested, &yn(21, 28, 0), |a, x| {
            a.custody = x
        });
        deal_into(rng, &mut pa, &arrested, &yn(7, 42, 0), |a, x| {
            a.examining_judge = x
        });
    }

    for (p, a) in persons.iter_mut().zip(pa) {
        p.attrs = a;
    }
    let cases: Vec<FCase> = (0..n)
        .map(|c| FCase {
            group: if c < n_thv {
                Group::Thv
            } else {
                Group::Control
            },
            attrs: ca[c].clone(),
            out: Outcome::default(),
        })
        .collect();
    let flat = Flat::index(cases, persons);
    let prof = profiles(rng, &flat);
    let mut s = State { flat, prof, region };
    for c in 0..n {
        s.sync_outcome(c);
    }
    s
}

/// A first day with about the report's mean and spread (mean 195, sd 146).
fn first_day(rng: &mut Draw, max: u16) -> u16 {
    let u = rng.u().powf(1.35);
    (2.0 + u * (f64::from(max) * 0.9 - 2.0)).round() as u16
}

/// A profile of `len` incidents, `pol` of them police-registered.
fn profile(rng: &mut Draw, len: usize, pol: usize, max: u16) -> Profile {
    let mut p = Profile::default();
    if len == 0 {
        return p;
    }
    let d0 = first_day(rng, max.saturating_sub(len as u16 * 3));
    p.insert(d0, false);
    while (p.len as usize) < len {
        let d = rng.int(i32::from(d0) + 1, i32::from(max)) as u16;
        p.insert(d, false);
    }
    let mut idx: Vec<usize> = (0..len).collect();
    rng.shuffle(&mut idx);
    for &j in &idx[..pol.min(len)] {
        p.police |= 1 << j;
    }
    p
}

/// The incident profiles: thv 49 cases without a new incident, 32 with one,
/// 10 with two, 10 with three and 4 with four or more (Table 5.2), 22 of them
/// with police registrations (Table 5.1); control 31 cases with police
/// registrations (Table 5.1) and 6 known to other sources only.
fn profiles(rng: &mut Draw, flat: &Flat) -> Vec<Profile> {
    let mut out = vec![Profile::default(); flat.cases.len()];
    let thv: Vec<usize> = (0..flat.cases.len())
        .filter(|&c| flat.cases[c].thv())
        .collect();
    let ctl: Vec<usize> = (0..flat.cases.len())
        .filter(|&c| !flat.cases[c].thv())
        .collect();
    let mut lens = rng.deal(&[(0usize, 49), (1, 32), (2, 10), (3, 10)]);
    lens.extend([12usize, 9, 6, 5]);
    let mut pols: Vec<usize> = Vec::new();
    // 22 police cases among the 56: the four long ones, and 18 others.
    let mut with: Vec<usize> = (0..lens.len())
        .filter(|&k| lens[k] > 0 && lens[k] < 4)
        .collect();
    rng.shuffle(&mut with);
    let police_set: Vec<usize> = with[..18]
        .iter()
        .copied()
        .chain(lens.len() - 4..lens.len())
        .collect();
    for (k, &len) in lens.iter().enumerate() {
        pols.push(if police_set.contains(&k) {
            len.min(if len >= 3 { 2 } else { 1 })
        } else {
            0
        });
    }
    let mut order: Vec<usize> = (0..lens.len()).collect();
    rng.shuffle(&mut order);
    for (&c, &k) in thv.iter().zip(&order) {
        out[c] = profile(rng, lens[k], pols[k], MAX_DAY_THV);
    }
    // Control: police counts with mean about 2.1, some with other sources too.
    let mut specs: Vec<(usize, usize)> = Vec::new();
    for (pol, n) in [(1usize, 16), (2, 6), (3, 3), (4, 2), (5, 2), (6, 1), (8, 1)] {
        for _ in 0..n {
            let extra = usize::from(rng.bern(0.25));
            specs.push((pol + extra, pol));
        }
    }
    specs.extend(std::iter::repeat_n((1, 0), 6));
    specs.extend(std::iter::repeat_n((0, 0), ctl.len() - specs.len()));
    rng.shuffle(&mut specs);
    for (&c, &(len, pol)) in ctl.iter().zip(&specs) {
        out[c] = profile(rng, len, pol, MAX_DAY_CONTROL);
    }
    out
}

/// Case identifiers: `T001`… for thv cases, `C001`… for control cases.
fn case_id(c: usize, n_thv: usize) -> String {
    if c < n_thv {
        format!("T{:03}", c + 1)
    } else {
        format!("C{:03}", c - n_thv + 1)
    }
}

/// The cohort: identifiers, dates and incident rows from the state.
///
/// Dates: each region has one measurement moment (`followup_end`); a thv
/// case's order lies 365–548 days before it (in 2011), a control case's
/// incident in September–October 2011 (the most recent police reports when
/// the sample was drawn, Bijlage 2). Every new incident lies inside the
/// observation window, so the report's measures come out unchanged.
#[allow(clippy::too_many_lines)]
pub(crate) fn to_cohort(s: &State, rng: &mut Draw) -> Cohort {
    let n = s.flat.cases.len();
    let n_thv = s.flat.cases.iter().filter(|c| c.thv()).count();
    let mut cases = CaseTable::default();
    let mut incident_dates = Vec::with_capacity(n);
    let sept_1 = Date::from_ymd(2011, 9, 1).unwrap_or(Date(15_218));
    let oct_31 = Date::from_ymd(2011, 10, 31).unwrap_or(Date(15_278));
    let jan_1 = Date::from_ymd(2011, 1, 1).unwrap_or(Date(14_975));
    let dec_31 = Date::from_ymd(2011, 12, 31).unwrap_or(Date(15_339));
    for c in 0..n {
        let case = &s.flat.cases[c];
        let reg = &REGIONS[s.region[c] as usize];
        let (name, (y, m, d)) = (reg.name, reg.measured);
        let end = Date::from_ymd(y, m, d).unwrap_or(Date(15_645));
        let last = i32::from(s.prof[c].days().last().copied().unwrap_or(0));
        let (lo, hi) = if case.thv() {
            // Observed 365–548 days, at least one day past the last new incident, from a 2011 date.
            let lo = 365.max(last + 1).max(end.0 - dec_31.0);
            (lo, 548.min(end.0 - jan_1.0))
        } else {
            let lo = (end.0 - oct_31.0).max(last + 1);
            (lo, end.0 - sept_1.0)
        };
        let span = rng.int(lo, hi.max(lo));
        let start = end.plus_days(-span);
        cases.case_id.push(Some(&case_id(c, n_thv)));
        cases.group.push(case.group);
        cases.region.push(Some(name));
        cases.incident_date.push(start);
        cases.followup_end.push(end);
        cases.attrs.push_row(case.attrs.clone());
        incident_dates.push(start);
    }
    let mut persons = PersonTable::default();
    let mut counters = vec![[0usize; 3]; n];
    for p in &s.flat.persons {
        let c = p.case as usize;
        let (tag, k) = match p.role {
            Role::Perpetrator => ("P", 0),
            Role::Victim => ("V", 1),
            Role::Child => ("K", 2),
        };
        counters[c][k] += 1;
        persons.person_id.push(Some(&format!(
            "{}-{tag}{}",
            case_id(c, n_thv),
            counters[c][k]
        )));
        persons.case.push(p.case);
        persons.role.push(p.role);
        persons.attrs.push_row(p.attrs.clone());
    }
    let mut incidents = IncidentTable::default();
    let kinds = [
        (IncidentKind::Physical, 0.4),
        (IncidentKind::Threat, 0.35),
        (IncidentKind::Psychological, 0.15),
        (IncidentKind::Sexual, 0.02),
        (IncidentKind::Other, 0.08),
    ];
    for (c, (case, p)) in s.flat.cases.iter().zip(&s.prof).enumerate() {
        let children = case.attrs.minor_children == Some(true);
        for (j, &day) in p.days().iter().enumerate() {
            let id = format!("{}-I{:02}", case_id(c, n_thv), j + 1);
            let date = incident_dates[c].plus_days(i32::from(day));
            let kind = if j == 0 {
                case.out.kind_first
            } else {
                let mut x = rng.u();
                let mut k = kinds[kinds.len() - 1].0;
                for &(kk, w) in &kinds {
                    if x < w {
                        k = kk;
                        break;
                    }
                    x -= w;
                }
                Some(k)
            };
            // Police registrations; in thv cases SHG knows most incidents too
            // (the order brings every case to the SHG), BJZ/AMK some where there are children.
            let police = p.is_police(j);
            let mut sources: Vec<Source> = Vec::new();
            if police {
                sources.push(Source::Police);
            }
            let shg = !police || (case.thv() && rng.bern(0.6));
            let bjz = children && rng.bern(if case.thv() { 0.2 } else { 0.1 });
            if shg || (!police && !bjz) {
                sources.push(Source::Shg);
            }
            if bjz {
                sources.push(Source::BjzAmk);
            }
            for src in sources {
                incidents.incident_id.push(Some(&id));
                incidents.case.push(c as u32);
                incidents.date.push(date);
                incidents.source.push(src);
                incidents.attrs.kind.push(kind);
            }
        }
    }
    Cohort::from_parts(cases, persons, incidents, None)
}
