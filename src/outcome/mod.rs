//! Recidivism measures: new domestic-violence incidents after the original one.
//!
//! For each case, over the incidents registered by the chosen sources inside
//! the observation window
//!
//! ```text
//! (incident_date, end],   end = min(followup_end, incident_date + window_days)
//! ```
//!
//! with each incident counted once however many sources know it (rows that
//! share an `incident_id`; its date is the earliest date among the chosen
//! sources), the measures are
//!
//! - `any`: at least one new incident (the report's *aanwezigheid*),
//! - `count`: the number of new incidents (*aantal*),
//! - `days_to_first`: days from incident_date to the first one, unknown when
//!   there is none (*dagen tot eerste nieuwe incident*),
//! - `time`, `event`: the survival form. `time` is `days_to_first` when
//!   there is an incident and `end - incident_date` otherwise (censored);
//!   `event` equals `any`.
//!
//! Incidents after `end` are not counted: they fall outside what was
//! observed for this case. The report compares the groups on police
//! registrations only (Table 5.1) and uses all sources within the thv group
//! (Table 5.2).

use crate::cohort::{Cohort, Group, Source};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Options for [`Cohort::recidivism`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecidivismOptions {
    /// The sources whose registrations count; `None` counts all.
    pub sources: Option<Vec<Source>>,
    /// Only incidents within this many days after incident_date count;
    /// `None` observes each case until its followup_end.
    pub window_days: Option<u32>,
}

/// Per-case recidivism measures, in the cohort's case order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recidivism {
    /// At least one new incident in the window.
    pub any: Vec<bool>,
    /// The number of distinct new incidents in the window.
    pub count: Vec<u32>,
    /// Days to the first new incident; `None` when there is none.
    pub days_to_first: Vec<Option<i32>>,
    /// Days to the first new incident, or to the end of observation when none.
    pub time: Vec<i32>,
    /// Whether `time` ends in an incident (true) or is censored (false).
    pub event: Vec<bool>,
    /// Study group of each case.
    pub group: Vec<Group>,
    /// The options the measures were computed with.
    pub options: RecidivismOptions,
}

/// One group's line in the report's Table 5.1 layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// The group.
    pub group: Group,
    /// Number of cases.
    pub n: usize,
    /// Cases with at least one new incident.
    pub n_with_new: usize,
    /// `n_with_new / n` in percent (`None` when `n` is 0).
    pub pct_with_new: Option<f64>,
    /// Mean number of new incidents among cases with at least one.
    pub mean_count: Option<f64>,
    /// Sample standard deviation (n − 1) of that number.
    pub sd_count: Option<f64>,
    /// Mean days to the first new incident among cases with at least one.
    pub mean_days_to_first: Option<f64>,
    /// Sample standard deviation (n − 1) of those days.
    pub sd_days_to_first: Option<f64>,
}

/// Mean and sample standard deviation (denominator n − 1, as SPSS).
/// The mean is `None` for no values; the sd for fewer than two.
pub fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (Option<f64>, Option<f64>) {
    let (n, sum) = values
        .clone()
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    if n == 0 {
        return (None, None);
    }
    let mean = sum / n as f64;
    if n < 2 {
        return (Some(mean), None);
    }
    // Two passes: the sum of squared deviations is accurate even for large means.
    let ss: f64 = values.map(|v| (v - mean) * (v - mean)).sum();
    (Some(mean), Some((ss / (n - 1) as f64).sqrt()))
}

impl Recidivism {
    /// The number of cases.
    pub fn len(&self) -> usize {
        self.any.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.any.is_empty()
    }

    /// The report's Table 5.1 layout: one line per group (thv first).
    pub fn by_group(&self) -> Vec<GroupSummary> {
        Group::ALL
            .iter()
            .map(|&g| {
                let rows = || (0..self.len()).filter(move |&i| self.group[i] == g);
                let with = || rows().filter(|&i| self.any[i]);
                let n = rows().count();
                let n_with_new = with().count();
                let (mean_count, sd_count) = mean_sd(with().map(|i| f64::from(self.count[i])));
                let (mean_days, sd_days) =
                    mean_sd(with().filter_map(|i| self.days_to_first[i].map(f64::from)));
                GroupSummary {
                    group: g,
                    n,
                    n_with_new,
                    pct_with_new: (n > 0).then(|| 100.0 * n_with_new as f64 / n as f64),
                    mean_count,
                    sd_count,
                    mean_days_to_first: mean_days,
                    sd_days_to_first: sd_days,
                }
            })
            .collect()
    }
}

/// Cases per parallel work item: large enough that scheduling costs nothing.
const CHUNK: usize = 16 * 1024;

impl Cohort {
    /// Computes the recidivism measures of every case.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] when `window_days` is 0 or `sources` is empty.
    ///
    /// # Examples
    /// ```
    /// use huisverbod::{Cohort, RecidivismOptions, Source};
    /// let cases = "case_id,group,incident_date,followup_end\nc1,thv,2011-03-01,2012-09-01\n";
    /// let persons = "person_id,case_id,role\n";
    /// // One incident known to police and SHG (counted once), one known to SHG only.
    /// let incidents = "incident_id,case_id,date,source\n\
    ///                  i1,c1,2011-03-11,police\ni1,c1,2011-03-11,shg\ni2,c1,2011-05-01,shg\n";
    /// let cohort = Cohort::from_readers(cases.as_bytes(), persons.as_bytes(), incidents.as_bytes())?;
    /// let all = cohort.recidivism(&RecidivismOptions::default())?;
    /// assert_eq!((all.count[0], all.days_to_first[0]), (2, Some(10)));
    /// let police = cohort.recidivism(&RecidivismOptions { sources: Some(vec![Source::Police]), window_days: None })?;
    /// assert_eq!(police.count[0], 1);
    /// # Ok::<(), huisverbod::Error>(())
    /// ```
    pub fn recidivism(&self, options: &RecidivismOptions) -> crate::Result<Recidivism> {
        if options.window_days == Some(0) {
            return Err(crate::Error::InvalidArgument {
                name: "window_days",
                reason: "must be at least 1 day".into(),
            });
        }
        if options.sources.as_ref().is_some_and(Vec::is_empty) {
            return Err(crate::Error::InvalidArgument {
                name: "sources",
                reason: "is empty: give at least one of police, shg, bjz_amk, or None for all"
                    .into(),
            });
        }
        let mask: u8 = match &options.sources {
            None => u8::MAX,
            Some(s) => s.iter().fold(0, |m, s| m | (1 << s.code())),
        };
        let n = self.n_cases();
        let mut any = vec![false; n];
        let mut count = vec![0u32; n];
        let mut first = vec![None; n];
        let mut time = vec![0i32; n];
        let cases = &self.cases;
        let inc = &self.incidents;
        any.par_chunks_mut(CHUNK)
            .zip(count.par_chunks_mut(CHUNK))
            .zip(first.par_chunks_mut(CHUNK))
            .zip(time.par_chunks_mut(CHUNK))
            .enumerate()
            .for_each(|(chunk, (((any, count), first), time))| {
                let mut keys: Vec<u32> = Vec::new();
                for j in 0..any.len() {
                    let c = chunk * CHUNK + j;
                    let start = cases.incident_date[c];
                    let mut end = cases.followup_end[c];
                    if let Some(w) = options.window_days {
                        end = end.min(start.plus_days(w as i32));
                    }
                    keys.clear();
                    let mut first_date = None;
                    // Rows are ordered by date, so the first row that counts is the first incident.
                    for &r in self.incident_rows_of(c) {
                        let r = r as usize;
                        let d = inc.date[r];
                        if d > end {
                            break;
                        }
                        if d > start && mask & (1 << inc.source[r].code()) != 0 {
                            first_date.get_or_insert(d);
                            keys.push(self.index.key[r]);
                        }
                    }
                    keys.sort_unstable();
                    keys.dedup();
                    count[j] = keys.len() as u32;
                    any[j] = !keys.is_empty();
                    first[j] = first_date.map(|d| start.days_until(d));
                    time[j] = match first_date {
                        Some(d) => start.days_until(d),
                        None => start.days_until(end).max(0),
                    };
                }
            });
        Ok(Recidivism {
            event: any.clone(),
            any,
            count,
            days_to_first: first,
            time,
            group: cases.group.clone(),
            options: options.clone(),
        })
    }
}
