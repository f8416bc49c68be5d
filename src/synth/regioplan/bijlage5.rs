//! The report's Bijlage 5 models (section 5.5) on the record view: the
//! analysis file, the six fits and their agreement with the printed verdicts.
//!
//! The analysis file mirrors `hv.models.bijlage5_data` column for column
//! (a Python test checks that they are equal): one row per thv case, the
//! outcomes over all sources and the whole follow-up, and the
//! characteristics of the first perpetrator, the first victim and the case.
//!
//! ```text
//! B5.1 logit  any_new ~ perpetrator characteristics    B5.2 OLS n_new ~ the same
//! B5.3 logit  any_new ~ victim characteristics         B5.4 OLS n_new ~ the same
//! B5.5 logit  any_new ~ case characteristics           B5.6 OLS n_new ~ the same
//! each with listwise deletion over its own columns; a 0/1 characteristic
//! with fewer than MIN_COUNT cases in its smaller category (or a constant one)
//! is left out, as the report left sex out of B5.1
//! verdict: significant when p < ALPHA (Wald z for logit, t for OLS), with the
//! sign the report's "Resultaat" names ("uitblijven"/"minder" negative,
//! "opnieuw"/"meer" positive)
//! ```

use super::flat::{FCase, FPerson, Flat};
use super::published;
use crate::cohort::{Cohort, Extent, Role, Sex, SystemAfter};
use crate::models::{logit, ols, FitOptions, ModelData};
use serde::{Deserialize, Serialize};

/// The report's significance level in Bijlage 5.
pub const ALPHA: f64 = 0.10;
/// A 0/1 characteristic with fewer cases than this in its smaller category is not estimated.
pub const MIN_COUNT: usize = 2;

/// The columns of the analysis file, in `hv.models.bijlage5_data`'s order.
pub const COLUMNS: [&str; 27] = [
    "any_new",
    "n_new",
    "perpetrator_age",
    "perpetrator_female",
    "perpetrator_started_help",
    "perpetrator_accepted_help",
    "perpetrator_cooperation_sufficient",
    "perpetrator_alcohol_signals",
    "perpetrator_problem_areas",
    "perpetrator_referred_to_prosecutor",
    "victim_age",
    "victim_female",
    "victim_started_help",
    "victim_accepted_help",
    "victim_cooperation_sufficient",
    "victim_alcohol_signals",
    "victim_problem_areas",
    "victim_referred_to_prosecutor",
    "case_case_consultation",
    "case_order_violated",
    "case_incidents_during_order",
    "case_order_extended",
    "case_minor_children",
    "case_weapon",
    "case_household_changed",
    "case_system_after_yes",
    "case_criminal_trajectory",
];

/// One row of the analysis file (NaN where unknown).
pub(crate) type Row = [f64; 27];

/// The predictors of each set, as indices into [`COLUMNS`] (B5_PREDICTORS' order).
const PERPETRATOR: &[usize] = &[2, 3, 4, 5, 6, 7, 8];
const VICTIM: &[usize] = &[10, 13, 14, 16];
const CASE: &[usize] = &[18, 19, 20, 21, 22, 23, 25, 26, 24];

/// The six models: table id, logistic (any_new) or linear (n_new), predictors.
pub(crate) const MODELS: [(&str, bool, &[usize]); 6] = [
    ("B5.1", true, PERPETRATOR),
    ("B5.2", false, PERPETRATOR),
    ("B5.3", true, VICTIM),
    ("B5.4", false, VICTIM),
    ("B5.5", true, CASE),
    ("B5.6", false, CASE),
];

fn b(x: Option<bool>) -> f64 {
    x.map_or(f64::NAN, f64::from)
}

fn person_cols(p: Option<&FPerson>, out: &mut [f64]) {
    let Some(p) = p else {
        out.fill(f64::NAN);
        return;
    };
    let a = &p.attrs;
    out[0] = a.age.map_or(f64::NAN, f64::from);
    out[1] = b(a.sex.map(|s| s == Sex::F));
    out[2] = b(a
        .help_started
        .map(|s| matches!(s, Extent::Partial | Extent::Full)));
    out[3] = b(a.help_accepted);
    out[4] = b(crate::cohort::derived::cooperation_sufficient(
        a.cooperation,
    ));
    out[5] = b(a.alcohol_signals);
    out[6] = crate::cohort::derived::problem_area_count([
        a.problem_relational,
        a.problem_work_housing_social,
        a.problem_psychological,
        a.problem_addiction,
        a.problem_family_of_origin,
    ])
    .map_or(f64::NAN, f64::from);
    out[7] = b(a.referred_to_prosecutor);
}

/// The analysis-file row of one case (thv or not; the file keeps thv cases).
pub(crate) fn row_of(case: &FCase, persons: &[FPerson]) -> Row {
    let mut r = [f64::NAN; 27];
    r[0] = f64::from(u8::from(case.out.any()));
    r[1] = f64::from(case.out.n_all);
    person_cols(
        persons.iter().find(|p| p.role == Role::Perpetrator),
        &mut r[2..10],
    );
    person_cols(
        persons.iter().find(|p| p.role == Role::Victim),
        &mut r[10..18],
    );
    let a = &case.attrs;
    r[18] = b(a.case_consultations.map(|n| n > 0));
    r[19] = b(a.order_violated);
    r[20] = b(a.incidents_during_order);
    r[21] = b(a.order_extended);
    r[22] = b(a.minor_children);
    r[23] = b(a.weapon);
    r[24] = b(a.household_changed);
    r[25] = b(a.system_after.map(|s| s == SystemAfter::Yes));
    r[26] = r[9];
    r
}

/// The analysis file of a record view: the thv cases' indices and rows.
pub(crate) fn design(flat: &Flat) -> (Vec<usize>, Vec<Row>) {
    let idx: Vec<usize> = (0..flat.cases.len())
        .filter(|&c| flat.cases[c].thv())
        .collect();
    let rows = idx
        .iter()
        .map(|&c| row_of(&flat.cases[c], flat.persons_of(c)))
        .collect();
    (idx, rows)
}

/// A characteristic's estimate: coefficient, z or t statistic, p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Estimate {
    pub coef: f64,
    pub statistic: f64,
    pub pvalue: f64,
}

/// The fit of one model: per predictor of its set, the estimate (`None`
/// when not estimated); `None` overall when the model cannot be fitted.
pub(crate) fn fit_model(
    rows: &[Row],
    logistic: bool,
    preds: &[usize],
) -> Option<Vec<Option<Estimate>>> {
    let outcome = usize::from(!logistic);
    let complete: Vec<&Row> = rows
        .iter()
        .filter(|r| !r[outcome].is_nan() && preds.iter().all(|&k| !r[k].is_nan()))
        .collect();
    let keep: Vec<usize> = preds
        .iter()
        .copied()
        .filter(|&k| {
            let first = complete.first().map_or(f64::NAN, |r| r[k]);
            let varies = complete.iter().any(|r| r[k] != first);
            let binary = complete.iter().all(|r| r[k] == 0.0 || r[k] == 1.0);
            let ones = complete.iter().filter(|r| r[k] == 1.0).count();
            let small = if binary {
                ones.min(complete.len() - ones)
            } else {
                usize::MAX
            };
            varies && small >= MIN_COUNT
        })
        .collect();
    let p = keep.len() + 1;
    if complete.len() < preds.len() + 2 {
        return None;
    }
    let y: Vec<f64> = complete.iter().map(|r| r[outcome]).collect();
    let mut x = Vec::with_capacity(complete.len() * p);
    for r in &complete {
        x.push(1.0);
        x.extend(keep.iter().map(|&k| r[k]));
    }
    let names: Vec<String> = std::iter::once("const".to_string())
        .chain(keep.iter().map(|&k| COLUMNS[k].to_string()))
        .collect();
    let data = ModelData::new(&y, &x, &names).ok()?;
    let opts = FitOptions::default();
    let fit = if logistic {
        logit(&data, &opts).ok()?
    } else {
        ols(&data, &opts).ok()?
    };
    Some(
        preds
            .iter()
            .map(|k| {
                let j = keep.iter().position(|q| q == k)? + 1;
                Some(Estimate {
                    coef: fit.params[j],
                    statistic: fit.statistics[j],
                    pvalue: fit.pvalues[j],
                })
            })
            .collect(),
    )
}

/// A printed Bijlage 5 row: p-value, verdict and direction (−1 fewer or no
/// new incidents, +1 more, 0 none printed).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Printed {
    pub pvalue: f64,
    pub significant: bool,
    pub direction: i8,
}

/// The printed rows of table `id`, in the order of its predictor set
/// (`None` where the report printed nothing, like sex in B5.1).
pub(crate) fn printed(id: &str) -> Vec<Option<Printed>> {
    let Some(t) = published::table(id) else {
        return Vec::new();
    };
    t.rows
        .iter()
        .map(|r| {
            let pvalue = r.cells.get(1)?.p?;
            let significant = r.cells.get(2)?.significant?;
            let text = r.cells.first()?.text.as_deref().unwrap_or("");
            let direction = if !significant {
                0
            } else if text.contains("uitblijven") || text.contains("minder") {
                -1
            } else {
                1
            };
            Some(Printed {
                pvalue,
                significant,
                direction,
            })
        })
        .collect()
}

/// Whether an estimate agrees with the printed verdict (and direction).
pub(crate) fn agrees(e: Option<Estimate>, p: &Printed) -> bool {
    let Some(e) = e else { return false };
    let sig = e.pvalue < ALPHA;
    sig == p.significant && (p.direction == 0 || f64::from(p.direction) * e.coef > 0.0)
}

/// One characteristic of a Bijlage 5 table, the cohort's estimate next to the report's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bijlage5Record {
    /// Table id, `"B5.1"` … `"B5.6"`.
    pub table: String,
    /// Row label (English, as transcribed).
    pub row: String,
    /// The analysis-file column of the characteristic.
    pub column: String,
    /// The printed p-value.
    pub published_p: f64,
    /// The printed verdict (significant at .10).
    pub published_significant: bool,
    /// The printed direction: −1 (absence of / fewer new incidents), +1, or 0 (none printed).
    pub published_direction: i8,
    /// The cohort's coefficient (log odds ratio or linear coefficient; `None` when not estimated).
    pub coef: Option<f64>,
    /// The cohort's p-value (Wald z for logit, t for OLS).
    pub pvalue: Option<f64>,
    /// Whether the cohort's verdict (p < .10, with the printed direction) agrees.
    pub agrees: bool,
}

/// Bijlage 5 on any cohort: one record per characteristic with a printed
/// p-value (38), the report's verdict next to the cohort's.
///
/// # Errors
/// As [`Flat::from_cohort`] (never for a valid cohort).
pub fn bijlage5_fidelity(c: &Cohort) -> crate::Result<Vec<Bijlage5Record>> {
    Ok(records(&Flat::from_cohort(c)?))
}

/// [`bijlage5_fidelity`] on a record view.
pub(crate) fn records(flat: &Flat) -> Vec<Bijlage5Record> {
    let (_, rows) = design(flat);
    let mut out = Vec::new();
    for (id, logistic, preds) in MODELS {
        let fit = fit_model(&rows, logistic, preds);
        let t = published::table(id);
        for (j, pr) in printed(id).into_iter().enumerate() {
            let (Some(pr), Some(&k)) = (pr, preds.get(j)) else {
                continue;
            };
            let e = fit.as_ref().and_then(|f| f[j]);
            out.push(Bijlage5Record {
                table: id.to_string(),
                row: t.map_or(String::new(), |t| t.rows[j].label_en.clone()),
                column: COLUMNS[k].to_string(),
                published_p: pr.pvalue,
                published_significant: pr.significant,
                published_direction: pr.direction,
                coef: e.map(|e| e.coef),
                pvalue: e.map(|e| e.pvalue),
                agrees: agrees(e, &pr),
            });
        }
    }
    out
}

/// The analysis file of Bijlage 5 computed in Rust: the thv cases' ids, the
/// column names ([`COLUMNS`]) and the values, row-major (NaN where unknown).
/// Equal to `hv.models.bijlage5_data(cohort)`.
///
/// # Errors
/// As [`Flat::from_cohort`] (never for a valid cohort).
pub fn bijlage5_design(c: &Cohort) -> crate::Result<(Vec<String>, Vec<f64>)> {
    let flat = Flat::from_cohort(c)?;
    let (idx, rows) = design(&flat);
    let ids = idx
        .iter()
        .map(|&i| c.cases().case_id.get(i).unwrap_or_default().to_string())
        .collect();
    Ok((ids, rows.into_iter().flatten().collect()))
}

/// The search's loss on Bijlage 5: per printed characteristic, a cost of 1
/// for a disagreeing verdict plus a small pull of the statistic towards the
/// printed p-value (z scale), so that near misses are preferred.
pub(crate) struct B5Loss {
    printed: Vec<Vec<Option<Printed>>>,
    /// The printed |z| (two-sided normal quantile of the printed p).
    zpub: Vec<Vec<f64>>,
}

/// Weight of the pull towards the printed p-value (per squared z unit).
const PULL: f64 = 0.2;

impl B5Loss {
    pub fn new() -> B5Loss {
        let printed: Vec<Vec<Option<Printed>>> = MODELS.iter().map(|m| printed(m.0)).collect();
        let zpub = printed
            .iter()
            .map(|v| {
                v.iter()
                    .map(|p| {
                        p.map_or(0.0, |p| {
                            crate::stats::tdist::normal_ppf(
                                1.0 - p.pvalue.clamp(1e-6, 0.999_999) / 2.0,
                            )
                        })
                    })
                    .collect()
            })
            .collect();
        B5Loss { printed, zpub }
    }

    /// (loss, agreeing verdicts) of one model on an analysis file.
    fn eval_model(&self, m: usize, rows: &[Row]) -> (f64, usize) {
        let (_, logistic, preds) = MODELS[m];
        let fit = fit_model(rows, logistic, preds);
        let mut loss = 0.0;
        let mut ok = 0;
        for (j, pr) in self.printed[m].iter().enumerate() {
            let Some(pr) = pr else { continue };
            let e = fit.as_ref().and_then(|f| f.get(j).copied().flatten());
            let Some(e) = e else {
                loss += 2.0;
                continue;
            };
            if agrees(Some(e), pr) {
                ok += 1;
            } else {
                loss += 1.0;
            }
            let zp = self.zpub[m][j];
            let d = if pr.direction == 0 {
                e.statistic.abs() - zp
            } else {
                e.statistic - f64::from(pr.direction) * zp
            };
            loss += PULL * d * d;
        }
        (loss, ok)
    }

    /// Per model, (loss, agreeing verdicts) of an analysis file.
    pub fn eval(&self, rows: &[Row]) -> Vec<(f64, usize)> {
        (0..MODELS.len())
            .map(|m| self.eval_model(m, rows))
            .collect()
    }

    /// As [`B5Loss::eval`] after rows changed from `old` (index, row before):
    /// only the models that read a changed value are refitted.
    pub fn update(
        &self,
        rows: &[Row],
        old: &[(usize, Row)],
        cache: &[(f64, usize)],
    ) -> Vec<(f64, usize)> {
        (0..MODELS.len())
            .map(|m| {
                let (_, logistic, preds) = MODELS[m];
                let y = usize::from(!logistic);
                let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
                let changed = old.iter().any(|(k, r)| {
                    !same(r[y], rows[*k][y]) || preds.iter().any(|&j| !same(r[j], rows[*k][j]))
                });
                if changed {
                    self.eval_model(m, rows)
                } else {
                    cache[m]
                }
            })
            .collect()
    }
}

/// The total (loss, agreeing verdicts) of per-model results.
pub(crate) fn total(per_model: &[(f64, usize)]) -> (f64, usize) {
    per_model
        .iter()
        .fold((0.0, 0), |(l, k), &(a, b)| (l + a, k + b))
}
