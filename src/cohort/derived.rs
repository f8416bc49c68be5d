//! The report's derived variables (Bijlage 2 and chapter 5).
//!
//! Each is a plain function of the raw values, and a method on [`Cohort`]
//! that applies it to every person or case. An unknown input gives an
//! unknown result: nothing is silently counted as "no".

use super::{Cohort, SystemAfter};

/// Cooperation with help (*medewerking*, scale 1–5, Bijlage 2) recoded as the
/// report does for chapter 5: 1–3 "not or insufficiently completed" → `false`,
/// 4–5 "sufficiently completed" → `true`.
///
/// ```
/// use huisverbod::cohort::derived::cooperation_sufficient;
/// assert_eq!(cooperation_sufficient(Some(3)), Some(false));
/// assert_eq!(cooperation_sufficient(Some(4)), Some(true));
/// assert_eq!(cooperation_sufficient(None), None);
/// ```
pub fn cooperation_sufficient(cooperation: Option<i32>) -> Option<bool> {
    match cooperation? {
        1..=3 => Some(false),
        4..=5 => Some(true),
        _ => None,
    }
}

/// Enforcement priority (*prioriteit handhaving*, 1–4) recoded as the report
/// does: 1–3 "low to medium" → `false`, 4 "highest" → `true`.
pub fn priority_highest(priority: Option<i32>) -> Option<bool> {
    match priority? {
        1..=3 => Some(false),
        4 => Some(true),
        _ => None,
    }
}

/// The number of problem areas (Table 4.1) that apply, over the five areas.
/// Unknown when any of the five is unknown: a count over fewer areas would
/// understate the load.
pub fn problem_area_count(areas: [Option<bool>; 5]) -> Option<u8> {
    areas
        .iter()
        .try_fold(0u8, |n, a| a.map(|yes| n + u8::from(yes)))
}

/// Problem load as the report splits it: 3–5 areas → `true` (heavy),
/// 0–2 → `false`. (The report's categories are "1–2" and "3–5"; a person with
/// no problem area falls in the lower one.)
pub fn problem_load_heavy(count: Option<u8>) -> Option<bool> {
    count.map(|n| n >= 3)
}

/// The system-approach score 0–4 (Table 4.21): one point each for case
/// consultations (more than 0), a plan of approach, a system conversation,
/// and system-oriented work after the order (`yes`; `partial`, `no` and
/// `not_applicable` score 0). Unknown when any component is unknown.
///
/// ```
/// use huisverbod::cohort::derived::system_approach_score;
/// use huisverbod::SystemAfter;
/// // 2 consultations (1) + plan (1) + no conversation (0) + partial work after (0) = 2
/// assert_eq!(system_approach_score(Some(2), Some(true), Some(false), Some(SystemAfter::Partial)), Some(2));
/// assert_eq!(system_approach_score(Some(2), None, Some(false), Some(SystemAfter::Yes)), None);
/// ```
pub fn system_approach_score(
    case_consultations: Option<i32>,
    plan_of_approach: Option<bool>,
    system_conversation: Option<bool>,
    system_after: Option<SystemAfter>,
) -> Option<u8> {
    Some(
        u8::from(case_consultations? > 0)
            + u8::from(plan_of_approach?)
            + u8::from(system_conversation?)
            + u8::from(system_after? == SystemAfter::Yes),
    )
}

/// A system approach counts as sufficient with a score of 3 or 4.
pub fn system_approach_sufficient(score: Option<u8>) -> Option<bool> {
    score.map(|s| s >= 3)
}

/// First contact with help within 24 hours of the incident (Table 4.4):
/// `hours <= 24` → `true`.
pub fn first_contact_within_24h(hours: Option<f64>) -> Option<bool> {
    hours.map(|h| h <= 24.0)
}

impl Cohort {
    /// [`cooperation_sufficient`] for every person.
    pub fn cooperation_sufficient(&self) -> Vec<Option<bool>> {
        self.persons
            .attrs
            .cooperation
            .iter()
            .map(|&c| cooperation_sufficient(c))
            .collect()
    }

    /// [`priority_highest`] for every case.
    pub fn priority_highest(&self) -> Vec<Option<bool>> {
        self.cases
            .attrs
            .enforcement_priority
            .iter()
            .map(|&p| priority_highest(p))
            .collect()
    }

    /// [`problem_area_count`] for every person.
    pub fn problem_area_count(&self) -> Vec<Option<u8>> {
        let a = &self.persons.attrs;
        (0..self.n_persons())
            .map(|i| {
                problem_area_count([
                    a.problem_relational[i],
                    a.problem_work_housing_social[i],
                    a.problem_psychological[i],
                    a.problem_addiction[i],
                    a.problem_family_of_origin[i],
                ])
            })
            .collect()
    }

    /// [`problem_load_heavy`] for every person.
    pub fn problem_load_heavy(&self) -> Vec<Option<bool>> {
        self.problem_area_count()
            .into_iter()
            .map(problem_load_heavy)
            .collect()
    }

    /// [`system_approach_score`] for every case.
    pub fn system_approach_score(&self) -> Vec<Option<u8>> {
        let a = &self.cases.attrs;
        (0..self.n_cases())
            .map(|i| {
                system_approach_score(
                    a.case_consultations[i],
                    a.plan_of_approach[i],
                    a.system_conversation[i],
                    a.system_after[i],
                )
            })
            .collect()
    }

    /// [`system_approach_sufficient`] for every case.
    pub fn system_approach_sufficient(&self) -> Vec<Option<bool>> {
        self.system_approach_score()
            .into_iter()
            .map(system_approach_sufficient)
            .collect()
    }

    /// [`first_contact_within_24h`] for every person.
    pub fn first_contact_within_24h(&self) -> Vec<Option<bool>> {
        self.persons
            .attrs
            .first_contact_hours
            .iter()
            .map(|&h| first_contact_within_24h(h))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recodes_follow_bijlage_2() {
        // Scale 1-3 -> insufficient, 4-5 -> sufficient; out-of-scale stays unknown.
        let got: Vec<_> = (0..=6).map(|c| cooperation_sufficient(Some(c))).collect();
        assert_eq!(
            got,
            [
                None,
                Some(false),
                Some(false),
                Some(false),
                Some(true),
                Some(true),
                None
            ]
        );
        let got: Vec<_> = (1..=4).map(|p| priority_highest(Some(p))).collect();
        assert_eq!(got, [Some(false), Some(false), Some(false), Some(true)]);
    }

    #[test]
    fn problem_areas_need_all_five() {
        let t = Some(true);
        let f = Some(false);
        assert_eq!(problem_area_count([t, f, t, t, f]), Some(3));
        assert_eq!(problem_load_heavy(Some(3)), Some(true));
        assert_eq!(problem_load_heavy(Some(2)), Some(false));
        assert_eq!(problem_area_count([t, None, t, t, f]), None);
    }

    #[test]
    fn system_score_counts_only_yes_after() {
        // consultations 0 (0) + plan (1) + conversation (1) + yes after (1) = 3 -> sufficient
        let s = system_approach_score(Some(0), Some(true), Some(true), Some(SystemAfter::Yes));
        assert_eq!(s, Some(3));
        assert_eq!(system_approach_sufficient(s), Some(true));
        let s = system_approach_score(
            Some(1),
            Some(false),
            Some(false),
            Some(SystemAfter::NotApplicable),
        );
        assert_eq!(s, Some(1));
        assert_eq!(first_contact_within_24h(Some(24.0)), Some(true));
        assert_eq!(first_contact_within_24h(Some(24.5)), Some(false));
    }
}
