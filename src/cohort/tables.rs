//! The three tables of a cohort (cases, persons, incidents), stored as columns.
//!
//! Each table has its key columns as plain typed fields (identifiers,
//! group, role, dates that every row must have) and its other columns in a
//! generated `*Attrs` struct of `Vec<Option<T>>`. Columns that a file has
//! beyond the schema are kept as text in `extra`, so reading and writing a
//! file loses nothing.

use crate::cohort::columns::{attributes, ColumnRef, ColumnSpec, StrColumn, ViewColumn};
use crate::cohort::enums::*;
use crate::cohort::values::{Date, ValueKind};
use serde::{Deserialize, Serialize};

const AT_LEAST_0: f64 = f64::INFINITY;

attributes! {
    /// The attribute columns of the cases table (one row per case).
    CaseAttrs / CaseAttrsRow {
        /// Why a control case had no order (B2.1); control cases only.
        #[only_for(Control)]
        control_kind: ControlKind,
        /// Threat (*bedreiging*), Table 2.7.
        threat: bool,
        /// Physical violence (*fysiek geweld*), Table 2.7.
        physical: bool,
        /// Sexual violence (*seksueel geweld*), Table 2.7.
        sexual: bool,
        /// Psychological violence (*psychisch geweld*), Table 2.7.
        psychological: bool,
        /// Violence against the partner, Table 2.8.
        against_partner: bool,
        /// Violence against the ex-partner, Table 2.8.
        against_ex_partner: bool,
        /// Mutual violence between partners, Table 2.8.
        mutual_partners: bool,
        /// Mutual violence between ex-partners, Table 2.8.
        mutual_ex_partners: bool,
        /// Violence against children, Table 2.8.
        against_children: bool,
        /// Violence against parents, Table 2.8.
        against_parents: bool,
        /// A weapon used or threatened (*bezit/dreiging wapen*), Table 2.7.
        weapon: bool,
        /// Minor children in the household (*minderjarige kinderen*).
        minor_children: bool,
        /// Child abuse: none, witness (broad definition) or direct (narrow), Table 3.5.
        child_abuse: ChildAbuse,
        /// Enforcement priority of the region, 1 minimal to 4 maximal (*prioriteit handhaving*), Bijlage 2.
        #[range(1, 4)]
        enforcement_priority: i32,
        /// The order was violated (*overtreding*), Table 3.3; thv only.
        #[only_for(Thv)]
        order_violated: bool,
        /// Incidents during the order (*incidenten tijdens THV*), Table 3.3; thv only.
        #[only_for(Thv)]
        incidents_during_order: bool,
        /// The order was extended (*verlenging*), Table 3.3; thv only.
        #[only_for(Thv)]
        order_extended: bool,
        /// Days of extension, Table 3.3; thv only.
        #[range(0, AT_LEAST_0)]
        #[only_for(Thv)]
        extension_days: i32,
        /// Number of case consultations (*casusoverleg*), Table 4.17.
        #[range(0, AT_LEAST_0)]
        case_consultations: i32,
        /// A plan of approach (*plan van aanpak*), Table 4.18.
        plan_of_approach: bool,
        /// A conversation with the whole system (*systeemgesprek*), Table 4.19.
        system_conversation: bool,
        /// System-oriented work after the order, Table 4.20.
        system_after: SystemAfter,
        /// The household composition changed (Table 3.8).
        household_changed: bool,
        /// Number of contra-indications for system-oriented work, 0–5, Table 4.22.
        #[range(0, 5)]
        contra_indications: i32,
    }
}

attributes! {
    /// The attribute columns of the persons table (one row per person).
    PersonAttrs / PersonAttrsRow {
        /// Sex: m or f (Table 2.2).
        sex: Sex,
        /// Age in years (Table 2.2): 12–110 for perpetrators and victims, 0–110 for children.
        age: i32,
        /// Highest education, Table 2.4.
        education: Education,
        /// Origin (*herkomst*), Table 2.6.
        origin: Origin,
        /// Marital status (*burgerlijke staat*), Table 2.3.
        marital_status: MaritalStatus,
        /// Number of antecedents in HKS, Table 2.9.
        #[range(0, AT_LEAST_0)]
        hks_antecedents: i32,
        /// Number of offences in HKS, Table 2.10.
        #[range(0, AT_LEAST_0)]
        hks_offences: i32,
        /// Violent offences in HKS, Table 2.10.
        #[range(0, AT_LEAST_0)]
        hks_violent: i32,
        /// Property offences in HKS, Table 2.10.
        #[range(0, AT_LEAST_0)]
        hks_property: i32,
        /// Public-order offences in HKS, Table 2.10.
        #[range(0, AT_LEAST_0)]
        hks_public_order: i32,
        /// Offender category (*plegercategorie*), Table 2.11.
        offender_category: OffenderCategory,
        /// Problem area: relational, Table 4.1.
        problem_relational: bool,
        /// Problem area: work, housing and social, Table 4.1.
        problem_work_housing_social: bool,
        /// Problem area: psychological, Table 4.1.
        problem_psychological: bool,
        /// Problem area: addiction, Table 4.1.
        problem_addiction: bool,
        /// Problem area: family of origin, Table 4.1.
        problem_family_of_origin: bool,
        /// Substance use, Table 4.2.
        substance_use: bool,
        /// Signals of alcohol use, Table 4.2.
        alcohol_signals: bool,
        /// Signals of soft-drug use, Table 4.2.
        softdrug_signals: bool,
        /// Signals of hard-drug use, Table 4.2.
        harddrug_signals: bool,
        /// Drunk at the incident, Table 4.2.
        drunk_at_incident: bool,
        /// Under the influence of drugs at the incident, Table 4.2.
        drugs_at_incident: bool,
        /// Hours from the incident to the first contact with help, Table 4.4.
        #[range(0, AT_LEAST_0)]
        first_contact_hours: f64,
        /// An intake took place.
        intake: bool,
        /// Help was offered (*hulp aangeboden*), Table 1/2.
        help_offered: bool,
        /// Help was accepted (*geaccepteerd*), Table 1/2.
        help_accepted: bool,
        /// Help started: none, partial (part of the offer) or full (*gestart*).
        help_started: Extent,
        /// Cooperation with help, 1 refused to 5 completed (*medewerking*), Bijlage 2.
        #[range(1, 5)]
        cooperation: i32,
        /// How well the help fits the problems (*aansluiting*), Table 4.3.
        help_fit: Extent,
        /// Arrested (*aanhouding*), Table 2.13.
        arrested: bool,
        /// Police custody (*inverzekeringstelling*), Table 2.14.
        custody: bool,
        /// Case referred to the prosecutor (OM), Table 2.14.
        referred_to_prosecutor: bool,
        /// Unconditional dismissal (*sepot*), Table 2.14.
        dismissed_unconditional: bool,
        /// Conditional dismissal, Table 2.14.
        dismissed_conditional: bool,
        /// Brought before the examining magistrate (*voorgeleiding RC*), Table 2.14.
        examining_judge: bool,
        /// Convicted (*veroordeling*), Table 2.14.
        convicted: bool,
        /// A sentence imposed (*straf opgelegd*), Table 2.14.
        sentenced: bool,
    }
}

attributes! {
    /// The attribute columns of the incidents table (one row per incident and source).
    IncidentAttrs / IncidentAttrsRow {
        /// The kind of the new incident.
        kind: IncidentKind,
    }
}

const fn key(name: &'static str, kind: ValueKind, required: bool, doc: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        required,
        range: None,
        only_for: None,
        doc,
    }
}

/// Key columns of the cases table, in file order.
pub const CASE_KEYS: &[ColumnSpec] = &[
    key("case_id", ValueKind::Text, true, "Unique case identifier."),
    key(
        "group",
        ValueKind::Category(Group::VALUES),
        true,
        "thv (huisverbodgroep) or control (controlegroep).",
    ),
    key(
        "region",
        ValueKind::Text,
        false,
        "Region (centrumgemeente; 7 in the study).",
    ),
    key(
        "incident_date",
        ValueKind::Date,
        true,
        "Date of the original incident (and order).",
    ),
    key(
        "followup_end",
        ValueKind::Date,
        true,
        "Date recidivism was measured: the censoring date.",
    ),
];

/// Key columns of the persons table, in file order.
pub const PERSON_KEYS: &[ColumnSpec] = &[
    key(
        "person_id",
        ValueKind::Text,
        true,
        "Unique person identifier.",
    ),
    key(
        "case_id",
        ValueKind::Text,
        true,
        "The case the person belongs to.",
    ),
    key(
        "role",
        ValueKind::Category(Role::VALUES),
        true,
        "perpetrator (uithuisgeplaatste/agressor), victim (achterblijver/benadeelde) or child.",
    ),
];

/// Key columns of the incidents table, in file order.
pub const INCIDENT_KEYS: &[ColumnSpec] = &[
    key(
        "incident_id",
        ValueKind::Text,
        true,
        "Identifier of the new incident; repeated for each source that knows it.",
    ),
    key(
        "case_id",
        ValueKind::Text,
        true,
        "The case (household) the incident belongs to.",
    ),
    key(
        "date",
        ValueKind::Date,
        true,
        "Date of the new incident; must lie after the case's incident_date.",
    ),
    key(
        "source",
        ValueKind::Category(Source::VALUES),
        true,
        "police, shg (Steunpunt Huiselijk Geweld) or bjz_amk (Bureau Jeugdzorg / AMK).",
    ),
];

/// Columns a file has beyond the schema, kept as text.
pub type ExtraColumns = Vec<(String, StrColumn)>;

/// The cases table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseTable {
    /// Unique case identifiers.
    pub case_id: StrColumn,
    /// Study group.
    pub group: Vec<Group>,
    /// Region (unknown allowed).
    pub region: StrColumn,
    /// Date of the original incident.
    pub incident_date: Vec<Date>,
    /// Date recidivism was measured (the censoring date).
    pub followup_end: Vec<Date>,
    /// The other columns.
    pub attrs: CaseAttrs,
    /// Columns beyond the schema, as text.
    pub extra: ExtraColumns,
}

/// The persons table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonTable {
    /// Unique person identifiers.
    pub person_id: StrColumn,
    /// The row in the cases table of each person's case.
    pub case: Vec<u32>,
    /// Role in the case.
    pub role: Vec<Role>,
    /// The other columns.
    pub attrs: PersonAttrs,
    /// Columns beyond the schema, as text.
    pub extra: ExtraColumns,
}

/// The incidents table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentTable {
    /// Incident identifiers (the same for every source that knows the incident).
    pub incident_id: StrColumn,
    /// The row in the cases table of each incident's case.
    pub case: Vec<u32>,
    /// Date of the new incident.
    pub date: Vec<Date>,
    /// The registering organisation.
    pub source: Vec<Source>,
    /// The other columns.
    pub attrs: IncidentAttrs,
    /// Columns beyond the schema, as text.
    pub extra: ExtraColumns,
}

fn group_codes<T: Copy>(v: &[T], code: fn(T) -> u8) -> Vec<Option<u8>> {
    v.iter().map(|&x| Some(code(x))).collect()
}

fn extra_column<'a>(extra: &'a ExtraColumns, name: &str) -> Option<ColumnRef<'a>> {
    extra
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| ColumnRef::Text(c))
}

fn shrink_extra(extra: &mut ExtraColumns) {
    for (_, c) in extra.iter_mut() {
        c.shrink_to_fit();
    }
}

impl CaseTable {
    /// Releases unused capacity (after reading, which grows the columns).
    pub fn shrink_to_fit(&mut self) {
        self.case_id.shrink_to_fit();
        self.group.shrink_to_fit();
        self.region.shrink_to_fit();
        self.incident_date.shrink_to_fit();
        self.followup_end.shrink_to_fit();
        self.attrs.shrink_to_fit();
        shrink_extra(&mut self.extra);
    }

    /// The number of cases.
    pub fn len(&self) -> usize {
        self.group.len()
    }
    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.group.is_empty()
    }
    /// Every column name, in file order: keys, attributes, extras.
    pub fn column_names(&self) -> Vec<String> {
        names(CASE_KEYS, CaseAttrs::SPECS, &self.extra)
    }
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<ColumnRef<'_>> {
        match name {
            "case_id" => Some(ColumnRef::Text(&self.case_id)),
            "group" => Some(ColumnRef::Category {
                codes: group_codes(&self.group, Group::code),
                levels: Group::VALUES,
            }),
            "region" => Some(ColumnRef::Text(&self.region)),
            "incident_date" => Some(ColumnRef::DateRequired(&self.incident_date)),
            "followup_end" => Some(ColumnRef::DateRequired(&self.followup_end)),
            _ => self
                .attrs
                .column(name)
                .or_else(|| extra_column(&self.extra, name)),
        }
    }
    /// A table with the rows at `rows`, in that order.
    pub fn take(&self, rows: &[usize]) -> CaseTable {
        CaseTable {
            case_id: self.case_id.take(rows),
            group: rows.iter().map(|&r| self.group[r]).collect(),
            region: self.region.take(rows),
            incident_date: rows.iter().map(|&r| self.incident_date[r]).collect(),
            followup_end: rows.iter().map(|&r| self.followup_end[r]).collect(),
            attrs: self.attrs.take(rows),
            extra: take_extra(&self.extra, rows),
        }
    }
    /// Heap bytes held by the columns.
    pub fn heap_bytes(&self) -> usize {
        self.case_id.heap_bytes()
            + self.group.capacity()
            + self.region.heap_bytes()
            + (self.incident_date.capacity() + self.followup_end.capacity()) * 4
            + self.attrs.heap_bytes()
            + extra_bytes(&self.extra)
    }
}

impl PersonTable {
    /// Releases unused capacity (after reading, which grows the columns).
    pub fn shrink_to_fit(&mut self) {
        self.person_id.shrink_to_fit();
        self.case.shrink_to_fit();
        self.role.shrink_to_fit();
        self.attrs.shrink_to_fit();
        shrink_extra(&mut self.extra);
    }

    /// The number of persons.
    pub fn len(&self) -> usize {
        self.role.len()
    }
    /// Whether there are no persons.
    pub fn is_empty(&self) -> bool {
        self.role.is_empty()
    }
    /// Every column name, in file order: keys, attributes, extras.
    pub fn column_names(&self) -> Vec<String> {
        names(PERSON_KEYS, PersonAttrs::SPECS, &self.extra)
    }
    /// Heap bytes held by the columns.
    pub fn heap_bytes(&self) -> usize {
        self.person_id.heap_bytes()
            + self.case.capacity() * 4
            + self.role.capacity()
            + self.attrs.heap_bytes()
            + extra_bytes(&self.extra)
    }
}

impl IncidentTable {
    /// Releases unused capacity (after reading, which grows the columns).
    pub fn shrink_to_fit(&mut self) {
        self.incident_id.shrink_to_fit();
        self.case.shrink_to_fit();
        self.date.shrink_to_fit();
        self.source.shrink_to_fit();
        self.attrs.shrink_to_fit();
        shrink_extra(&mut self.extra);
    }

    /// The number of incident rows (an incident known to two sources has two rows).
    pub fn len(&self) -> usize {
        self.date.len()
    }
    /// Whether there are no incident rows.
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
    /// Every column name, in file order: keys, attributes, extras.
    pub fn column_names(&self) -> Vec<String> {
        names(INCIDENT_KEYS, IncidentAttrs::SPECS, &self.extra)
    }
    /// Heap bytes held by the columns.
    pub fn heap_bytes(&self) -> usize {
        self.incident_id.heap_bytes()
            + self.case.capacity() * 4
            + self.date.capacity() * 4
            + self.source.capacity()
            + self.attrs.heap_bytes()
            + extra_bytes(&self.extra)
    }
}

/// A person-level or incident-level column view; `case_id` needs the cases table.
pub(crate) fn keyed_column<'a>(
    name: &str,
    cases: &'a CaseTable,
    case: &'a [u32],
    own: Option<ColumnRef<'a>>,
) -> Option<ColumnRef<'a>> {
    if name == "case_id" {
        return Some(ColumnRef::TextLookup {
            values: &cases.case_id,
            index: case,
        });
    }
    own
}

impl PersonTable {
    pub(crate) fn own_column(&self, name: &str) -> Option<ColumnRef<'_>> {
        match name {
            "person_id" => Some(ColumnRef::Text(&self.person_id)),
            "role" => Some(ColumnRef::Category {
                codes: group_codes(&self.role, Role::code),
                levels: Role::VALUES,
            }),
            _ => self
                .attrs
                .column(name)
                .or_else(|| extra_column(&self.extra, name)),
        }
    }
    pub(crate) fn take(&self, rows: &[usize], case_map: &[u32]) -> PersonTable {
        PersonTable {
            person_id: self.person_id.take(rows),
            case: rows
                .iter()
                .map(|&r| case_map[self.case[r] as usize])
                .collect(),
            role: rows.iter().map(|&r| self.role[r]).collect(),
            attrs: self.attrs.take(rows),
            extra: take_extra(&self.extra, rows),
        }
    }
}

impl IncidentTable {
    pub(crate) fn own_column(&self, name: &str) -> Option<ColumnRef<'_>> {
        match name {
            "incident_id" => Some(ColumnRef::Text(&self.incident_id)),
            "date" => Some(ColumnRef::DateRequired(&self.date)),
            "source" => Some(ColumnRef::Category {
                codes: group_codes(&self.source, Source::code),
                levels: Source::VALUES,
            }),
            _ => self
                .attrs
                .column(name)
                .or_else(|| extra_column(&self.extra, name)),
        }
    }
    pub(crate) fn take(&self, rows: &[usize], case_map: &[u32]) -> IncidentTable {
        IncidentTable {
            incident_id: self.incident_id.take(rows),
            case: rows
                .iter()
                .map(|&r| case_map[self.case[r] as usize])
                .collect(),
            date: rows.iter().map(|&r| self.date[r]).collect(),
            source: rows.iter().map(|&r| self.source[r]).collect(),
            attrs: self.attrs.take(rows),
            extra: take_extra(&self.extra, rows),
        }
    }
}

fn names(keys: &[ColumnSpec], attrs: &[ColumnSpec], extra: &ExtraColumns) -> Vec<String> {
    keys.iter()
        .chain(attrs)
        .map(|s| s.name.to_string())
        .chain(extra.iter().map(|(n, _)| n.clone()))
        .collect()
}

fn take_extra(extra: &ExtraColumns, rows: &[usize]) -> ExtraColumns {
    extra
        .iter()
        .map(|(n, c)| (n.clone(), c.take(rows)))
        .collect()
}

fn extra_bytes(extra: &ExtraColumns) -> usize {
    extra.iter().map(|(_, c)| c.heap_bytes()).sum()
}

pub(crate) fn extend_exact<T>(v: &mut Vec<T>, other: Vec<T>) {
    v.reserve_exact(other.len());
    v.extend(other);
}

/// Tables that can take the rows of another table with the same columns.
pub(crate) trait Append {
    fn append(&mut self, other: Self);
}

fn append_extra(a: &mut ExtraColumns, b: ExtraColumns) {
    for ((_, x), (_, y)) in a.iter_mut().zip(b) {
        x.append(&y);
    }
}

impl Append for CaseTable {
    fn append(&mut self, o: Self) {
        self.case_id.append(&o.case_id);
        extend_exact(&mut self.group, o.group);
        self.region.append(&o.region);
        extend_exact(&mut self.incident_date, o.incident_date);
        extend_exact(&mut self.followup_end, o.followup_end);
        self.attrs.append(o.attrs);
        append_extra(&mut self.extra, o.extra);
    }
}

impl Append for PersonTable {
    fn append(&mut self, o: Self) {
        self.person_id.append(&o.person_id);
        extend_exact(&mut self.case, o.case);
        extend_exact(&mut self.role, o.role);
        self.attrs.append(o.attrs);
        append_extra(&mut self.extra, o.extra);
    }
}

impl Append for IncidentTable {
    fn append(&mut self, o: Self) {
        self.incident_id.append(&o.incident_id);
        extend_exact(&mut self.case, o.case);
        extend_exact(&mut self.date, o.date);
        extend_exact(&mut self.source, o.source);
        self.attrs.append(o.attrs);
        append_extra(&mut self.extra, o.extra);
    }
}

// Keep the trait in scope for the macro-generated `column` methods.
#[allow(unused_imports)]
use ViewColumn as _;
