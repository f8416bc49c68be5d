//! How each published cell is computed from a cohort.
//!
//! A [`Spec`] covers (part of) one published table: a grid of cells, each
//! mapped to a (row, column) of the printed table or hidden (a complement or
//! a percentage base), filled by a function that visits every case (with its
//! persons) or every person and emits counts or values into cells. Counts
//! add 1; values add to (n, Σx, Σx²), from which the mean and the sample
//! standard deviation (n − 1) follow.
//!
//! The populations follow the report; where the report's tables do not say
//! which cases or persons they count, the choice made here is documented in
//! docs/replication.md and next to the spec. Report rules that differ from
//! the strict derived variables of [`crate::cohort::derived`]:
//!
//! - the system-approach score (Table 4.21) counts an unknown component as
//!   absent, and counts "system-oriented work continued for part of those
//!   involved" as present (the report's 105 thv cases all have a score, and
//!   its 44 "yes" after the order are 39 yes + 5 partly, Table 4.20);
//! - the number of problem areas (Tables 5.7a, 5.8, 5.27) counts the areas
//!   marked yes; an unknown area counts as absent.

use super::flat::{FCase, FPerson};
use crate::cohort::{
    ChildAbuse, ControlKind, Education, Extent, MaritalStatus, OffenderCategory, Origin, Role, Sex,
    SystemAfter, ViolationKind,
};

/// Counts or values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Each emit adds 1 to a cell.
    Count,
    /// Each emit adds a value: the cell holds n, Σx, Σx².
    Moments,
}

/// Which units a spec visits.
#[derive(Clone, Copy)]
pub(crate) enum Eval {
    /// Every case, with its persons.
    Case(fn(&FCase, &[FPerson], &mut Emit<'_>)),
    /// Every person, with its case.
    Person(fn(&FCase, &FPerson, &mut Emit<'_>)),
}

/// The base of a printed percentage, in the grid of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PctBase {
    /// No percentages compared.
    None,
    /// The sum of the cell's grid row (hidden columns included).
    RowTotal,
    /// The sum of the cell's grid column (hidden rows included).
    ColTotal,
    /// Grid row `r` of the same column holds the base.
    Row(usize),
    /// Grid column `k` of the same row holds the base.
    Col(usize),
    /// The base of cell (r, c) is cell (r + k, c).
    Shift(usize),
}

/// What a spec reads, as bits: a move that changes none of them leaves its cells unchanged.
pub(crate) mod reads {
    pub const OUTCOME: u32 = 1;
    pub const PRIORITY: u32 = 1 << 1;
    pub const VIOLATION: u32 = 1 << 2;
    pub const DURING: u32 = 1 << 3;
    pub const EXTENSION: u32 = 1 << 4;
    pub const CONSULT: u32 = 1 << 5;
    pub const PLAN: u32 = 1 << 6;
    pub const CONVERSATION: u32 = 1 << 7;
    pub const AFTER: u32 = 1 << 8;
    pub const HELP: u32 = 1 << 9;
    pub const CONTACT: u32 = 1 << 10;
    pub const PROBLEM: u32 = 1 << 11;
    pub const HKS: u32 = 1 << 12;
    pub const CRIMINAL: u32 = 1 << 13;
    pub const EDUCATION: u32 = 1 << 14;
    /// Values only Bijlage 5 reads among the searched specs (age, substance
    /// use, weapon, household change): no searched spec reads them.
    pub const B5_ONLY: u32 = 1 << 15;
    pub const ALL: u32 = u32::MAX;
    pub const SYSTEM: u32 = CONSULT | PLAN | CONVERSATION | AFTER;

    /// The values each searched spec reads (every value for the others).
    pub fn of(key: &str) -> u32 {
        match key {
            "2.9" => HKS,
            "3.5" => VIOLATION | DURING | EXTENSION | CRIMINAL,
            "3.7" => CRIMINAL,
            "4.21" => SYSTEM,
            "5.1a" | "5.1b" | "5.1c" | "5.2a" | "5.2b" | "5.2c" => OUTCOME,
            "5.4" | "5.5" | "5.6" | "5.9" | "5.10" | "5.11" | "5.12" | "5.13" | "5.14" | "5.15"
            | "5.16" | "5.17" => HELP | OUTCOME,
            "5.7a" | "5.8" => HELP | PROBLEM,
            "5.7b" => HELP | PROBLEM | OUTCOME,
            "5.18" | "5.19" | "5.20" => SYSTEM | OUTCOME,
            "5.21" => CONSULT | OUTCOME,
            "5.22" => AFTER | OUTCOME,
            "5.23" => CONTACT | OUTCOME,
            "5.24" | "5.25" => HKS | OUTCOME,
            "5.26" => CRIMINAL | OUTCOME,
            "5.27" | "5.28" | "5.29" => PROBLEM | OUTCOME,
            "5.30" => PRIORITY | OUTCOME,
            "5.31" | "5.32" => VIOLATION | OUTCOME,
            "5.33" | "5.34" => EXTENSION | OUTCOME,
            "5.35" => EDUCATION | OUTCOME,
            _ => ALL,
        }
    }
}

/// Part of a published table.
pub(crate) struct Spec {
    /// Unique key (the table id, with a suffix when a table has several specs).
    pub key: &'static str,
    /// The published table id.
    pub table: &'static str,
    pub kind: Kind,
    /// The printed row of each grid row (`None`: hidden).
    pub rows: &'static [Option<usize>],
    /// The printed column of each grid column (`None`: hidden).
    pub cols: &'static [Option<usize>],
    pub pct: PctBase,
    pub eval: Eval,
    /// Whether the local search can change the table (it is in its loss).
    pub search: bool,
    /// Weight in the loss.
    pub weight: f64,
    /// What the spec reads ([`reads`]).
    pub reads: u32,
}

impl Spec {
    /// Accumulator slots per cell.
    pub fn width(&self) -> usize {
        match self.kind {
            Kind::Count => 1,
            Kind::Moments => 3,
        }
    }
    /// Accumulator slots of the spec.
    pub fn size(&self) -> usize {
        self.rows.len() * self.cols.len() * self.width()
    }
}

/// Adds (or, with sign −1, removes) a unit's contributions to a spec's cells.
pub(crate) struct Emit<'a> {
    pub acc: &'a mut [f64],
    pub ncols: usize,
    pub sign: f64,
}

impl Emit<'_> {
    /// Counts the unit in cell (r, c).
    #[inline]
    pub fn add(&mut self, r: usize, c: usize) {
        self.acc[r * self.ncols + c] += self.sign;
    }
    /// Adds value `x` to cell (r, c).
    #[inline]
    pub fn val(&mut self, r: usize, c: usize, x: f64) {
        let i = 3 * (r * self.ncols + c);
        self.acc[i] += self.sign;
        self.acc[i + 1] += self.sign * x;
        self.acc[i + 2] += self.sign * x * x;
    }
}

// ----------------------------------------------------------------- helpers

const fn rows<const N: usize>() -> [Option<usize>; N] {
    let mut a = [None; N];
    let mut i = 0;
    while i < N {
        a[i] = Some(i);
        i += 1;
    }
    a
}

/// `visible` printed rows 0.. followed by hidden rows.
const fn vis<const N: usize>(visible: usize) -> [Option<usize>; N] {
    let mut a = [None; N];
    let mut i = 0;
    while i < visible {
        a[i] = Some(i);
        i += 1;
    }
    a
}

static R2: [Option<usize>; 2] = rows::<2>();
static R3: [Option<usize>; 3] = rows::<3>();
static R4: [Option<usize>; 4] = rows::<4>();
static R5: [Option<usize>; 5] = rows::<5>();
static R6: [Option<usize>; 6] = rows::<6>();
static R7: [Option<usize>; 7] = rows::<7>();

/// Column of a presence table: 0 with a new incident (any source), 1 without.
fn yn(c: &FCase) -> usize {
    usize::from(!c.out.any())
}
/// Column by group: thv 0, control 1.
fn gcol(c: &FCase) -> usize {
    usize::from(!c.thv())
}
fn is(x: Option<bool>) -> bool {
    x == Some(true)
}
/// 0 for `Some(true)`, 1 for `Some(false)`.
fn yes_no(x: Option<bool>) -> Option<usize> {
    x.map(|v| usize::from(!v))
}
/// Columns of Tables 2.2, 2.3, 2.6: thv perpetrator, thv victim, control perpetrator, control victim.
fn adult_col(c: &FCase, p: &FPerson) -> Option<usize> {
    let r = match p.role {
        Role::Perpetrator => 0,
        Role::Victim => 1,
        Role::Child => return None,
    };
    Some(2 * gcol(c) + r)
}
fn uhg(c: &FCase, p: &FPerson) -> bool {
    c.thv() && p.role == Role::Perpetrator
}

/// The report's number of problem areas: areas marked yes (unknown counts as absent).
pub(crate) fn report_problem_count(p: &FPerson) -> u8 {
    let a = &p.attrs;
    [
        a.problem_relational,
        a.problem_work_housing_social,
        a.problem_psychological,
        a.problem_addiction,
        a.problem_family_of_origin,
    ]
    .iter()
    .map(|x| u8::from(is(*x)))
    .sum()
}
/// Whether all five problem areas are known.
pub(crate) fn problems_known(p: &FPerson) -> bool {
    let a = &p.attrs;
    [
        a.problem_relational,
        a.problem_work_housing_social,
        a.problem_psychological,
        a.problem_addiction,
        a.problem_family_of_origin,
    ]
    .iter()
    .all(Option::is_some)
}

/// The report's system-approach score (Table 4.21): unknown when no component
/// is known; otherwise the components present, unknown ones counting as absent
/// and partly continued system-oriented work as present.
pub(crate) fn report_system_score(c: &FCase) -> Option<u8> {
    let a = &c.attrs;
    if a.case_consultations.is_none()
        && a.plan_of_approach.is_none()
        && a.system_conversation.is_none()
        && a.system_after.is_none()
    {
        return None;
    }
    Some(
        u8::from(a.case_consultations.is_some_and(|n| n > 0))
            + u8::from(is(a.plan_of_approach))
            + u8::from(is(a.system_conversation))
            + u8::from(matches!(
                a.system_after,
                Some(SystemAfter::Yes | SystemAfter::Partial)
            )),
    )
}

/// Row of the start tables (5.4–5.11): 0 not or partly started, 1 started the
/// full offer; `None` outside the population (help not accepted, or start unknown).
pub(crate) fn start_row(p: &FPerson) -> Option<usize> {
    if !is(p.attrs.help_accepted) {
        return None;
    }
    p.attrs.help_started.map(|s| usize::from(s == Extent::Full))
}
/// Row of the completion tables (5.12–5.17): 0 cooperation 1–3, 1 cooperation 4–5.
pub(crate) fn completion_row(p: &FPerson) -> Option<usize> {
    match p.attrs.cooperation? {
        1..=3 => Some(0),
        4..=5 => Some(1),
        _ => None,
    }
}
/// Row of the first-contact bins of Table 4.4.
fn contact_bin(h: Option<f64>) -> usize {
    match h {
        None => 5,
        Some(h) if h <= 24.0 => 0,
        Some(h) if h <= 48.0 => 1,
        Some(h) if h <= 72.0 => 2,
        Some(h) if h <= 96.0 => 3,
        Some(_) => 4,
    }
}
fn min_hours<'a>(ps: impl Iterator<Item = &'a FPerson>) -> Option<f64> {
    ps.filter_map(|p| p.attrs.first_contact_hours)
        .fold(None, |m: Option<f64>, h| Some(m.map_or(h, |m| m.min(h))))
}

// ------------------------------------------------------------ the tables

fn t1(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !c.thv() {
        return;
    }
    let r = match p.role {
        Role::Perpetrator => 0,
        Role::Victim => 1,
        Role::Child => 2,
    };
    let a = &p.attrs;
    if a.help_offered.is_some() {
        e.add(r, 4);
    }
    if is(a.help_offered) {
        e.add(r, 0);
    }
    if is(a.help_accepted) {
        e.add(r, 1);
    }
    if matches!(a.help_started, Some(Extent::Partial | Extent::Full)) {
        e.add(r, 2);
    }
    if p.role != Role::Child && completion_row(p) == Some(1) {
        e.add(r, 3);
    }
}

fn t2(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if c.thv() {
        return;
    }
    let r = match p.role {
        Role::Perpetrator => 0,
        Role::Victim => 1,
        Role::Child => 2,
    };
    let a = &p.attrs;
    if a.help_offered.is_some() {
        e.add(r, 3);
    }
    if is(a.help_offered) {
        e.add(r, 0);
    }
    if is(a.help_accepted) {
        e.add(r, 1);
    }
    if matches!(a.help_started, Some(Extent::Partial | Extent::Full)) {
        e.add(r, 2);
    }
}

fn t2_1(c: &FCase, ps: &[FPerson], e: &mut Emit<'_>) {
    let g = gcol(c);
    for p in ps {
        match p.role {
            Role::Perpetrator => e.add(0, g),
            Role::Victim => e.add(1, g),
            Role::Child => {}
        }
    }
    if is(c.attrs.minor_children) {
        e.add(2, g);
    }
}

fn t2_2(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    let Some(col) = adult_col(c, p) else { return };
    e.add(0, col);
    match p.attrs.sex {
        Some(Sex::M) => e.add(1, col),
        Some(Sex::F) => e.add(2, col),
        None => e.add(3, col),
    }
}

fn t2_2_age(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if let (Some(col), Some(age)) = (adult_col(c, p), p.attrs.age) {
        e.val(0, col, f64::from(age));
    }
}

fn t2_3(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    let (Some(col), Some(m)) = (adult_col(c, p), p.attrs.marital_status) else {
        return;
    };
    let r = match m {
        MaritalStatus::Married => 0,
        MaritalStatus::Unmarried => 1,
        MaritalStatus::Divorced => 2,
        MaritalStatus::Widowed => 3,
    };
    e.add(r, col);
    e.add(4, col);
}

fn t2_4(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if p.role == Role::Child {
        return;
    }
    if let Some(ed) = p.attrs.education {
        let r = match ed {
            Education::Low => 0,
            Education::Middle => 1,
            Education::High => 2,
        };
        e.add(r, gcol(c));
    }
}

fn t2_5(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if p.role == Role::Child {
        return;
    }
    if let Some(o) = p.attrs.origin {
        e.add(usize::from(o != Origin::Dutch), gcol(c));
    }
}

fn t2_6(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    let (Some(col), Some(o)) = (adult_col(c, p), p.attrs.origin) else {
        return;
    };
    let r = match o {
        Origin::Dutch => 0,
        Origin::Antillean => 1,
        Origin::Surinamese => 2,
        Origin::Moroccan => 3,
        Origin::Turkish => 4,
        Origin::OtherEuropean => 5,
        Origin::OtherNonEuropean => 6,
    };
    e.add(r, col);
    e.add(7, col);
}

fn t2_7(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let a = &c.attrs;
    let g = gcol(c);
    for (r, x) in [a.threat, a.physical, a.sexual, a.psychological]
        .into_iter()
        .enumerate()
    {
        if x.is_some() {
            e.add(r + 4, g);
        }
        if is(x) {
            e.add(r, g);
        }
    }
}

fn t2_8(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let a = &c.attrs;
    let g = gcol(c);
    for (r, x) in [
        a.against_partner,
        a.against_ex_partner,
        a.mutual_partners,
        a.mutual_ex_partners,
        a.against_children,
        a.against_parents,
    ]
    .into_iter()
    .enumerate()
    {
        if x.is_some() {
            e.add(r + 6, g);
        }
        if is(x) {
            e.add(r, g);
        }
    }
}

/// Perpetrators registered in HKS: at least one antecedent.
fn in_hks(p: &FPerson) -> bool {
    p.role == Role::Perpetrator && p.attrs.hks_antecedents.is_some_and(|n| n >= 1)
}

fn t2_9(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !in_hks(p) {
        return;
    }
    let g = gcol(c);
    if let Some(x) = p.attrs.hks_antecedents {
        e.val(0, g, f64::from(x));
    }
    if let Some(x) = p.attrs.hks_offences {
        e.val(1, g, f64::from(x));
    }
}

fn t2_10(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !in_hks(p) {
        return;
    }
    let g = gcol(c);
    let a = &p.attrs;
    for (r, x) in [a.hks_violent, a.hks_property, a.hks_public_order]
        .into_iter()
        .enumerate()
    {
        if let Some(x) = x {
            e.val(r, g, f64::from(x));
        }
    }
}

fn offender_row(p: &FPerson) -> Option<usize> {
    Some(match p.attrs.offender_category? {
        OffenderCategory::Beginner => 0,
        OffenderCategory::Repeat => 1,
        OffenderCategory::Frequent => 2,
    })
}

fn t2_11(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if p.role != Role::Perpetrator {
        return;
    }
    if let Some(r) = offender_row(p) {
        e.add(r, gcol(c));
    }
}

fn t2_13(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if p.role != Role::Perpetrator {
        return;
    }
    if let Some(r) = yes_no(p.attrs.arrested) {
        e.add(r, gcol(c));
    }
}

fn t2_14(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if p.role != Role::Perpetrator || !is(p.attrs.arrested) {
        return;
    }
    let a = &p.attrs;
    let g = gcol(c);
    for (r, x) in [
        a.custody,
        a.referred_to_prosecutor,
        a.dismissed_unconditional,
        a.dismissed_conditional,
        a.examining_judge,
        a.convicted,
        a.sentenced,
    ]
    .into_iter()
    .enumerate()
    {
        if is(x) {
            e.add(r, g);
        }
    }
}

fn t3_3(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if !c.thv() {
        return;
    }
    let a = &c.attrs;
    e.add(16, 0);
    e.add(16, 1);
    if let Some(col) = yes_no(a.order_violated) {
        e.add(0, col);
    }
    if is(a.order_violated) {
        let r = match a.violation_kind {
            Some(ViolationKind::TextOrInternet) => 1,
            Some(ViolationKind::Telephone) => 2,
            Some(ViolationKind::FaceToFace) => 3,
            Some(ViolationKind::InDwelling) => 4,
            Some(ViolationKind::Combination) => 5,
            None => 6,
        };
        e.add(r, 0);
        for (r, x) in [
            a.violation_reported_by_help,
            a.violation_arrest,
            a.violation_prosecuted,
        ]
        .into_iter()
        .enumerate()
        {
            if is(x) {
                e.add(7 + r, 0);
            }
        }
    }
    if let Some(col) = yes_no(a.incidents_during_order) {
        e.add(10, col);
    }
    if is(a.incidents_during_order) {
        match a.incident_during_order_dv {
            Some(true) => e.add(11, 0),
            Some(false) => e.add(12, 0),
            None => {}
        }
    }
    if let Some(col) = yes_no(a.order_extended) {
        e.add(13, col);
    }
    if is(a.order_extended) {
        match a.extension_days {
            Some(18) => e.add(14, 0),
            Some(d) if d <= 7 => e.add(15, 0),
            _ => {}
        }
    }
}

/// Column of Tables 3.4–3.5: thv with child abuse in the narrow sense (0) or without (1).
fn abuse_col(c: &FCase) -> usize {
    usize::from(c.attrs.child_abuse != Some(ChildAbuse::Direct))
}

fn violence_rows(c: &FCase, col: usize, e: &mut Emit<'_>) {
    let a = &c.attrs;
    for (r, x) in [
        a.threat,
        a.physical,
        a.sexual,
        a.psychological,
        a.honour_related,
        a.weapon,
    ]
    .into_iter()
    .enumerate()
    {
        if is(x) {
            e.add(r, col);
        }
    }
}

fn t3_4(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.thv() {
        violence_rows(c, abuse_col(c), e);
    }
}

fn t3_5(c: &FCase, ps: &[FPerson], e: &mut Emit<'_>) {
    if !c.thv() {
        return;
    }
    let col = abuse_col(c);
    let a = &c.attrs;
    for (r, x) in [a.order_violated, a.incidents_during_order, a.order_extended]
        .into_iter()
        .enumerate()
    {
        if is(x) {
            e.add(r, col);
        }
    }
    for p in ps.iter().filter(|p| p.role == Role::Perpetrator) {
        let a = &p.attrs;
        for (r, x) in [a.arrested, a.referred_to_prosecutor, a.convicted]
            .into_iter()
            .enumerate()
        {
            if is(x) {
                e.add(3 + r, col);
            }
        }
    }
}

/// Cases with child abuse in the narrow sense, by group (Tables 3.6, 3.7).
fn t3_6(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.attrs.child_abuse == Some(ChildAbuse::Direct) {
        violence_rows(c, gcol(c), e);
    }
}

fn t3_7(c: &FCase, ps: &[FPerson], e: &mut Emit<'_>) {
    if c.attrs.child_abuse != Some(ChildAbuse::Direct) {
        return;
    }
    let g = gcol(c);
    for p in ps.iter().filter(|p| p.role == Role::Perpetrator) {
        let a = &p.attrs;
        for (r, x) in [a.arrested, a.referred_to_prosecutor, a.convicted]
            .into_iter()
            .enumerate()
        {
            if is(x) {
                e.add(r, g);
            }
        }
    }
}

fn t3_8(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.thv() {
        let r = match c.attrs.household_changed {
            Some(true) => 0,
            Some(false) => 1,
            None => 2,
        };
        e.add(r, 0);
    }
}

fn t4_1(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !c.thv() || p.role == Role::Child {
        return;
    }
    let col = usize::from(p.role == Role::Victim);
    let a = &p.attrs;
    e.add(5, col);
    for (r, x) in [
        a.problem_relational,
        a.problem_work_housing_social,
        a.problem_psychological,
        a.problem_addiction,
        a.problem_family_of_origin,
    ]
    .into_iter()
    .enumerate()
    {
        if is(x) {
            e.add(r, col);
        }
    }
}

fn t4_2(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !uhg(c, p) {
        return;
    }
    let a = &p.attrs;
    e.add(6, 0);
    for (r, x) in [
        a.substance_use,
        a.alcohol_signals,
        a.softdrug_signals,
        a.harddrug_signals,
        a.drunk_at_incident,
        a.drugs_at_incident,
    ]
    .into_iter()
    .enumerate()
    {
        if is(x) {
            e.add(r, 0);
        }
    }
}

fn t4_3(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !c.thv() || p.role == Role::Child {
        return;
    }
    let col = usize::from(p.role == Role::Victim);
    if let Some(f) = p.attrs.help_fit {
        let r = match f {
            Extent::None => 0,
            Extent::Partial => 1,
            Extent::Full => 2,
        };
        e.add(r, col);
    }
}

fn t4_4(c: &FCase, ps: &[FPerson], e: &mut Emit<'_>) {
    let base = 2 * gcol(c);
    let perp = min_hours(ps.iter().filter(|p| p.role == Role::Perpetrator));
    let victim = min_hours(ps.iter().filter(|p| p.role == Role::Victim));
    e.add(contact_bin(perp), base);
    e.add(contact_bin(victim), base + 1);
    e.add(6, base);
    e.add(6, base + 1);
}

fn t4_11(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !c.thv() || p.role == Role::Child {
        return;
    }
    let col = usize::from(p.role == Role::Victim);
    let r = match p.attrs.cooperation {
        Some(k @ 1..=5) => (k - 1) as usize,
        _ => 5,
    };
    e.add(r, col);
}

fn t4_17(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let g = gcol(c);
    e.add(8, g);
    match c.attrs.case_consultations {
        None => e.add(7, g),
        Some(0) => e.add(6, g),
        Some(n) => {
            e.add(0, g);
            e.add(n.clamp(1, 5) as usize, g);
        }
    }
}

fn t4_18(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.thv() {
        e.add(3, 0);
        e.add(yes_no(c.attrs.plan_of_approach).unwrap_or(2), 0);
    }
}

fn t4_19(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let g = gcol(c);
    e.add(3, g);
    e.add(yes_no(c.attrs.system_conversation).unwrap_or(2), g);
}

fn t4_20(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if !c.thv() {
        return;
    }
    e.add(5, 0);
    e.add(5, 1);
    // Column 0, "according to social workers": yes or partly -> yes; not applicable -> unknown.
    let (social, traject) = match c.attrs.system_after {
        Some(SystemAfter::Yes) => (0, Some(0)),
        Some(SystemAfter::Partial) => (0, Some(1)),
        Some(SystemAfter::No) => (2, Some(2)),
        Some(SystemAfter::NotApplicable) => (4, Some(3)),
        None => (4, None),
    };
    e.add(social, 0);
    if let Some(r) = traject {
        e.add(r, 1);
    }
}

fn t4_21(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let g = gcol(c);
    e.add(5, g);
    if let Some(s) = report_system_score(c) {
        e.add(usize::from(s), g);
    }
}

fn t4_22(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.thv() {
        let r = match c.attrs.contra_indications {
            Some(0..=1) => 0,
            Some(_) => 1,
            None => 2,
        };
        e.add(r, 0);
    }
}

fn t5_1a(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    e.add(usize::from(!c.out.any_police()), gcol(c));
}
fn t5_1b(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.out.any_police() {
        e.val(0, gcol(c), f64::from(c.out.n_pol));
    }
}
fn t5_1c(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if let Some(d) = c.out.d_pol {
        e.val(0, gcol(c), f64::from(d));
    }
}

fn t5_2a(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if !c.thv() {
        return;
    }
    e.add(1, 0);
    match c.out.n_all {
        0 => {}
        n => {
            e.add(0, 0);
            e.add(1 + (n.min(4) as usize), 0);
        }
    }
}
fn t5_2b(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if c.thv() {
        e.val(0, 0, f64::from(c.out.n_all));
    }
}
fn t5_2c(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    if let (true, Some(d)) = (c.thv(), c.out.d_all) {
        e.val(0, 0, f64::from(d));
    }
}

fn t5_3(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    use crate::cohort::IncidentKind as K;
    if !c.thv() || !c.out.any() {
        return;
    }
    if let Some(k) = c.out.kind_first {
        let r = match k {
            K::Threat => 0,
            K::Physical => 1,
            K::Sexual => 2,
            K::Psychological => 3,
            K::Other => 4,
        };
        e.add(r, 0);
    }
}

/// Presence, number and days tables over persons in a population (5.4–5.17).
fn person_outcome(row: Option<usize>, c: &FCase, e: &mut Emit<'_>, what: Outcome3) {
    let Some(r) = row else { return };
    match what {
        Outcome3::Presence => e.add(r, yn(c)),
        Outcome3::Number => e.val(r, 0, f64::from(c.out.n_all)),
        Outcome3::Days => {
            if let Some(d) = c.out.d_all {
                e.val(r, 0, f64::from(d));
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Outcome3 {
    Presence,
    Number,
    Days,
}

fn perp(p: &FPerson) -> bool {
    p.role == Role::Perpetrator
}
fn victim(p: &FPerson) -> bool {
    p.role == Role::Victim
}

macro_rules! person_table {
    ($name:ident, $who:ident, $row:ident, $what:expr) => {
        fn $name(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
            if $who(p) {
                person_outcome($row(p), c, e, $what);
            }
        }
    };
}
person_table!(t5_4, perp, start_row, Outcome3::Presence);
person_table!(t5_5, perp, start_row, Outcome3::Number);
person_table!(t5_6, perp, start_row, Outcome3::Days);
person_table!(t5_9, victim, start_row, Outcome3::Presence);
person_table!(t5_10, victim, start_row, Outcome3::Number);
person_table!(t5_11, victim, start_row, Outcome3::Days);
person_table!(t5_12, perp, completion_row, Outcome3::Presence);
person_table!(t5_13, perp, completion_row, Outcome3::Number);
person_table!(t5_14, perp, completion_row, Outcome3::Days);
person_table!(t5_15, victim, completion_row, Outcome3::Presence);
person_table!(t5_16, victim, completion_row, Outcome3::Number);
person_table!(t5_17, victim, completion_row, Outcome3::Days);

/// Tables 5.7a/b and the thv column of 5.8: evicted persons who accepted help
/// and whose start is known (the report's n = 66 = 13 + 53); row 0 has 1–2
/// problem areas (or none), row 1 has 3–5.
fn problem_start(c: &FCase, p: &FPerson) -> Option<(usize, usize)> {
    if !uhg(c, p) {
        return None;
    }
    let start = start_row(p)?;
    Some((usize::from(report_problem_count(p) >= 3), start))
}

fn t5_7a(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if let Some((r, s)) = problem_start(c, p) {
        e.add(r, s);
    }
}
fn t5_7b(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if let (Some((r, s)), true) = (problem_start(c, p), c.out.any()) {
        e.add(r, s);
        e.add(2, s);
    }
}
/// Table 5.8: thv as in 5.7a; control: aggressors whose five problem areas are known.
fn t5_8(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if let Some((r, _)) = problem_start(c, p) {
        e.add(r, 0);
    } else if !c.thv() && perp(p) && problems_known(p) {
        e.add(usize::from(report_problem_count(p) >= 3), 1);
    }
}

fn case_rows(c: &FCase, row: Option<usize>, e: &mut Emit<'_>, what: Outcome3) {
    if c.thv() {
        person_outcome(row, c, e, what);
    }
}

fn score_row(c: &FCase) -> Option<usize> {
    report_system_score(c).map(|s| usize::from(s < 3))
}
fn t5_18(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, score_row(c), e, Outcome3::Presence);
}
fn t5_19(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, score_row(c), e, Outcome3::Number);
}
fn t5_20(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, score_row(c), e, Outcome3::Days);
}
fn t5_21(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let row = c.attrs.case_consultations.map(|n| usize::from(n == 0));
    case_rows(c, row, e, Outcome3::Number);
}
fn t5_22(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let row = match c.attrs.system_after {
        Some(SystemAfter::Yes | SystemAfter::Partial) => Some(0),
        Some(SystemAfter::No) => Some(1),
        _ => None,
    };
    case_rows(c, row, e, Outcome3::Presence);
}
fn t5_23(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if uhg(c, p) {
        let row = p.attrs.first_contact_hours.map(|h| usize::from(h > 24.0));
        person_outcome(row, c, e, Outcome3::Number);
    }
}
fn t5_24(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !uhg(c, p) || !in_hks(p) {
        return;
    }
    let col = yn(c);
    if let Some(x) = p.attrs.hks_antecedents {
        e.val(0, col, f64::from(x));
    }
    if let Some(x) = p.attrs.hks_offences {
        e.val(1, col, f64::from(x));
    }
}
fn t5_25(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if uhg(c, p) {
        if let Some(r) = offender_row(p) {
            e.add(r, yn(c));
        }
    }
}
fn t5_26(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !uhg(c, p) {
        return;
    }
    let a = &p.attrs;
    for (r, x) in [a.arrested, a.referred_to_prosecutor, a.convicted]
        .into_iter()
        .enumerate()
    {
        if is(x) {
            e.add(r, yn(c));
        }
    }
}
fn t5_27(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if uhg(c, p) {
        e.add(usize::from(report_problem_count(p) >= 3), yn(c));
    }
}
fn t5_28(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if uhg(c, p) {
        if let Some(r) = yes_no(p.attrs.problem_work_housing_social) {
            e.add(r, yn(c));
        }
    }
}
fn t5_29(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if uhg(c, p) {
        if let Some(r) = yes_no(p.attrs.problem_psychological) {
            e.add(r, yn(c));
        }
    }
}
fn t5_30(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    let row = c.attrs.enforcement_priority.map(|p| usize::from(p == 4));
    case_rows(c, row, e, Outcome3::Presence);
}
fn t5_31(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, yes_no(c.attrs.order_violated), e, Outcome3::Presence);
}
fn t5_32(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, yes_no(c.attrs.order_violated), e, Outcome3::Number);
}
fn t5_33(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, yes_no(c.attrs.order_extended), e, Outcome3::Presence);
}
fn t5_34(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    case_rows(c, yes_no(c.attrs.order_extended), e, Outcome3::Number);
}
fn t5_35(c: &FCase, p: &FPerson, e: &mut Emit<'_>) {
    if !c.thv() || p.role == Role::Child {
        return;
    }
    if let Some(ed) = p.attrs.education {
        let r = match ed {
            Education::Low => 0,
            Education::Middle => 1,
            Education::High => 2,
        };
        e.add(r, yn(c));
    }
}

fn b2_1(c: &FCase, _: &[FPerson], e: &mut Emit<'_>) {
    match c.attrs.control_kind {
        Some(ControlKind::RefusedOrder) => e.add(0, 0),
        Some(ControlKind::NotStarted) => e.add(1, 0),
        None => {}
    }
}

// ---------------------------------------------------------- the registry

static C1: [Option<usize>; 1] = [Some(0)];
static C2: [Option<usize>; 2] = [Some(0), Some(1)];
static C4: [Option<usize>; 4] = [Some(0), Some(1), Some(2), Some(3)];

/// A spec outside the search.
fn spec(
    key: &'static str,
    kind: Kind,
    rows: &'static [Option<usize>],
    cols: &'static [Option<usize>],
    pct: PctBase,
    eval: Eval,
) -> Spec {
    Spec {
        key,
        table: key.trim_end_matches(char::is_alphabetic),
        kind,
        rows,
        cols,
        pct,
        eval,
        search: false,
        weight: 1.0,
        reads: reads::of(key),
    }
}

impl Spec {
    /// The spec in the search, with a weight.
    fn searched(mut self, weight: f64) -> Spec {
        self.search = true;
        self.weight = weight;
        self
    }
}

/// A chapter-5 presence table: rows × (new DV, no new DV), in the search.
fn presence(key: &'static str, rows: &'static [Option<usize>], eval: Eval) -> Spec {
    spec(key, Kind::Count, rows, &C2, PctBase::RowTotal, eval).searched(1.0)
}

/// A chapter-5 table of two means (number or days), in the search.
fn two_means(key: &'static str, eval: Eval) -> Spec {
    spec(key, Kind::Moments, &R2, &C1, PctBase::None, eval).searched(1.0)
}

/// Every spec, in table order. Keys are table ids, with a letter when a
/// table has several specs (`5.1a`, `5.1b`: the table id is the key without
/// the letter; `5.7a` and `5.7b` are printed tables of their own).
#[allow(clippy::too_many_lines)]
pub(crate) fn all() -> Vec<Spec> {
    use Eval::{Case, Person};
    use Kind::{Count, Moments};
    use PctBase as P;
    static T1C: [Option<usize>; 5] = vis::<5>(4);
    static T2C: [Option<usize>; 4] = vis::<4>(3);
    static R2_7: [Option<usize>; 8] = vis::<8>(4);
    static R2_8: [Option<usize>; 12] = vis::<12>(6);
    static R2_2AGE: [Option<usize>; 1] = [Some(4)];
    static R3_3: [Option<usize>; 17] = vis::<17>(16);
    static R4_1: [Option<usize>; 6] = vis::<6>(5);
    static R4_2: [Option<usize>; 7] = vis::<7>(6);
    static R4_4: [Option<usize>; 7] = vis::<7>(6);
    static R4_17: [Option<usize>; 9] = vis::<9>(8);
    static R4_18: [Option<usize>; 4] = vis::<4>(3);
    static R4_20: [Option<usize>; 6] = vis::<6>(5);
    static R4_21: [Option<usize>; 6] = vis::<6>(5);
    static R5_1A: [Option<usize>; 2] = vis::<2>(1);
    static R5_1B: [Option<usize>; 1] = [Some(1)];
    static R5_1C: [Option<usize>; 1] = [Some(2)];
    static R5_2A: [Option<usize>; 6] = [Some(0), None, Some(2), Some(3), Some(4), Some(5)];
    static R5_2B: [Option<usize>; 1] = [Some(1)];
    static R5_2C: [Option<usize>; 1] = [Some(6)];
    static R2_3: [Option<usize>; 5] = vis::<5>(5);
    static R2_6: [Option<usize>; 8] = vis::<8>(8);
    static RB2_1: [Option<usize>; 2] = vis::<2>(2);
    static CB2_1: [Option<usize>; 1] = [Some(1)];
    static C5_24: [Option<usize>; 2] = vis::<2>(2);
    let mut v = vec![
        spec("1", Count, &R3, &T1C, P::Col(4), Person(t1)),
        spec("2", Count, &R3, &T2C, P::Col(3), Person(t2)),
        spec("2.1", Count, &R3, &C2, P::None, Case(t2_1)),
        spec("2.2", Count, &R4, &C4, P::None, Person(t2_2)),
        spec("2.2age", Moments, &R2_2AGE, &C4, P::None, Person(t2_2_age)),
        spec("2.3", Count, &R2_3, &C4, P::Row(4), Person(t2_3)),
        spec("2.4", Count, &R3, &C2, P::ColTotal, Person(t2_4)),
        spec("2.5", Count, &R2, &C2, P::ColTotal, Person(t2_5)),
        spec("2.6", Count, &R2_6, &C4, P::Row(7), Person(t2_6)),
        spec("2.7", Count, &R2_7, &C2, P::Shift(4), Case(t2_7)),
        spec("2.8", Count, &R2_8, &C2, P::Shift(6), Case(t2_8)),
        spec("2.9", Moments, &R2, &C2, P::None, Person(t2_9)).searched(1.0),
        spec("2.10", Moments, &R3, &C2, P::None, Person(t2_10)),
        spec("2.11", Count, &R3, &C2, P::ColTotal, Person(t2_11)),
        spec("2.13", Count, &R2, &C2, P::ColTotal, Person(t2_13)),
        spec("2.14", Count, &R7, &C2, P::None, Person(t2_14)),
        spec("3.3", Count, &R3_3, &C2, P::Row(16), Case(t3_3)),
        spec("3.4", Count, &R6, &C2, P::None, Case(t3_4)),
        // Low weight: the arrest rows contradict Table 2.13 (14 + 75 = 89 < 99).
        spec("3.5", Count, &R6, &C2, P::None, Case(t3_5)).searched(0.2),
        spec("3.6", Count, &R6, &C2, P::None, Case(t3_6)),
        spec("3.7", Count, &R3, &C2, P::None, Case(t3_7)).searched(0.2),
        spec("3.8", Count, &R3, &C1, P::None, Case(t3_8)),
        spec("4.1", Count, &R4_1, &C2, P::Row(5), Person(t4_1)),
        spec("4.2", Count, &R4_2, &C1, P::Row(6), Person(t4_2)),
        spec("4.3", Count, &R3, &C2, P::None, Person(t4_3)),
        spec("4.4", Count, &R4_4, &C4, P::Row(6), Case(t4_4)),
        spec("4.11", Count, &R6, &C2, P::None, Person(t4_11)),
        spec("4.17", Count, &R4_17, &C2, P::Row(8), Case(t4_17)),
        spec("4.18", Count, &R4_18, &C1, P::Row(3), Case(t4_18)),
        spec("4.19", Count, &R4_18, &C2, P::Row(3), Case(t4_19)),
        spec("4.20", Count, &R4_20, &C2, P::Row(5), Case(t4_20)),
        spec("4.21", Count, &R4_21, &C2, P::Row(5), Case(t4_21)).searched(4.0),
        spec("4.22", Count, &R3, &C1, P::None, Case(t4_22)),
        spec("5.1a", Count, &R5_1A, &C2, P::ColTotal, Case(t5_1a)).searched(4.0),
        spec("5.1b", Moments, &R5_1B, &C2, P::None, Case(t5_1b)).searched(1.0),
        spec("5.1c", Moments, &R5_1C, &C2, P::None, Case(t5_1c)).searched(1.0),
        spec("5.2a", Count, &R5_2A, &C1, P::Row(1), Case(t5_2a)).searched(4.0),
        spec("5.2b", Moments, &R5_2B, &C1, P::None, Case(t5_2b)).searched(1.0),
        spec("5.2c", Moments, &R5_2C, &C1, P::None, Case(t5_2c)).searched(1.0),
        spec("5.3", Count, &R5, &C1, P::ColTotal, Case(t5_3)),
        presence("5.4", &R2, Person(t5_4)),
        two_means("5.5", Person(t5_5)),
        two_means("5.6", Person(t5_6)),
        presence("5.7a", &R2, Person(t5_7a)),
        spec("5.7b", Count, &R3, &C2, P::None, Person(t5_7b)).searched(1.0),
        spec("5.8", Count, &R2, &C2, P::ColTotal, Person(t5_8)).searched(1.0),
        presence("5.9", &R2, Person(t5_9)),
        two_means("5.10", Person(t5_10)),
        two_means("5.11", Person(t5_11)),
        presence("5.12", &R2, Person(t5_12)),
        two_means("5.13", Person(t5_13)),
        two_means("5.14", Person(t5_14)),
        presence("5.15", &R2, Person(t5_15)),
        two_means("5.16", Person(t5_16)),
        two_means("5.17", Person(t5_17)),
        presence("5.18", &R2, Case(t5_18)),
        two_means("5.19", Case(t5_19)),
        two_means("5.20", Case(t5_20)),
        two_means("5.21", Case(t5_21)),
        presence("5.22", &R2, Case(t5_22)),
        two_means("5.23", Person(t5_23)),
        spec("5.24", Moments, &R2, &C5_24, P::None, Person(t5_24)).searched(1.0),
        presence("5.25", &R3, Person(t5_25)),
        presence("5.26", &R3, Person(t5_26)),
        presence("5.27", &R2, Person(t5_27)),
        presence("5.28", &R2, Person(t5_28)),
        presence("5.29", &R2, Person(t5_29)),
        presence("5.30", &R2, Case(t5_30)),
        presence("5.31", &R2, Case(t5_31)),
        two_means("5.32", Case(t5_32)),
        presence("5.33", &R2, Case(t5_33)),
        two_means("5.34", Case(t5_34)),
        presence("5.35", &R3, Person(t5_35)),
        spec("B2.1", Count, &RB2_1, &CB2_1, P::None, Case(b2_1)),
    ];
    // The printed tables 5.7a and 5.7b, and the age row of 2.2, keep their ids.
    for s in &mut v {
        s.table = match s.key {
            "5.7a" => "5.7a",
            "5.7b" => "5.7b",
            "2.2age" => "2.2",
            _ => s.table,
        };
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::regioplan::published;

    #[test]
    fn every_mapped_cell_exists_in_the_published_table() {
        for s in all() {
            let t = published::table(s.table).unwrap_or_else(|| panic!("table {}", s.table));
            for r in s.rows.iter().flatten() {
                for c in s.cols.iter().flatten() {
                    assert!(
                        t.rows.get(*r).and_then(|row| row.cells.get(*c)).is_some(),
                        "{} row {r} col {c}",
                        s.key
                    );
                }
            }
        }
        let keys: std::collections::HashSet<_> = all().iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), all().len());
        // Group enum order is thv, control: the columns above rely on it.
        assert_eq!(
            crate::cohort::Group::ALL,
            &[crate::cohort::Group::Thv, crate::cohort::Group::Control]
        );
    }
}
