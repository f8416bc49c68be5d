//! Fidelity: every published cell next to the same number computed from a cohort.

use super::bijlage5::Bijlage5Record;
use super::flat::Flat;
use super::published;
use super::registry::{moments, Registry};
use super::specs::{Kind, PctBase};
use super::verdicts::{comparisons, Verdict};
use crate::cohort::Cohort;
use serde::{Deserialize, Serialize};

/// Tables whose one-way counts the replication cohort reproduces exactly (issue target).
pub const EXACT_TABLES: &[&str] = &[
    "1", "2", "2.1", "2.2", "2.7", "2.8", "2.13", "3.3", "4.1", "4.3", "4.17", "4.18", "4.19",
    "4.20", "4.21", "5.1", "5.2",
];

/// Whether a table is one of the chapter-5 cross tables 5.4–5.35 (target: every count within ±1).
pub fn is_two_way_chapter5(table: &str) -> bool {
    let Some(rest) = table.strip_prefix("5.") else {
        return false;
    };
    let num: String = rest.chars().take_while(char::is_ascii_digit).collect();
    num.parse::<u32>().is_ok_and(|n| (4..=35).contains(&n))
}

/// One published cell and the cohort's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FidelityRecord {
    /// Published table id (`"5.4"`).
    pub table: String,
    /// Row label (English, as transcribed).
    pub row: String,
    /// Column label (English, as transcribed).
    pub column: String,
    /// `count`, `pct`, `mean` or `sd`.
    pub kind: String,
    /// The printed value (a printed `-` is a count of 0).
    pub published: f64,
    /// The value in the cohort (`None` when undefined, e.g. an sd of fewer than two values).
    pub cohort: Option<f64>,
    /// `cohort − published`.
    pub difference: Option<f64>,
    /// The target the cell is held to: `exact`, `within_1`, `within_5pct` or `none`.
    pub target: String,
    /// Whether the target is met (`None` for target `none`).
    pub met: Option<bool>,
}

/// Counts of the fidelity records and verdicts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FidelitySummary {
    /// Count cells compared.
    pub count_cells: usize,
    /// Count cells equal to the published count.
    pub count_exact: usize,
    /// Count cells off by exactly 1.
    pub count_off_by_1: usize,
    /// Count cells off by more than 1.
    pub count_off: usize,
    /// Count cells with target `exact` (the one-way tables of the issue) and how many are met.
    pub exact_target_cells: usize,
    /// See `exact_target_cells`.
    pub exact_target_met: usize,
    /// Count cells with target `within_1` (Tables 5.4–5.35) and how many are met.
    pub within_1_target_cells: usize,
    /// See `within_1_target_cells`.
    pub within_1_target_met: usize,
    /// Mean and sd cells, and how many lie within 5% of the published value.
    pub moment_cells: usize,
    /// See `moment_cells`.
    pub moment_within_5pct: usize,
    /// Chapter-5 comparisons with a printed verdict, and how many recomputed verdicts agree.
    pub verdict_comparisons: usize,
    /// See `verdict_comparisons`.
    pub verdict_comparisons_agree: usize,
    /// Chapter-5 tables with a printed verdict, and in how many all comparisons agree.
    pub verdict_tables: usize,
    /// See `verdict_tables`.
    pub verdict_tables_agree: usize,
    /// Bijlage 5 characteristics with a printed p-value (38), and how many
    /// of the cohort's verdicts (p < .10, with the printed direction) agree.
    pub bijlage5_verdicts: usize,
    /// See `bijlage5_verdicts`.
    pub bijlage5_verdicts_agree: usize,
}

/// The fidelity of a cohort to the published tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fidelity {
    /// One record per published cell that the cohort can reproduce.
    pub records: Vec<FidelityRecord>,
    /// The chapter-5 verdicts recomputed from the cohort.
    pub verdicts: Vec<Verdict>,
    /// The Bijlage 5 models: one record per characteristic with a printed p-value.
    pub bijlage5: Vec<Bijlage5Record>,
    /// Counts of the above.
    pub summary: FidelitySummary,
}

fn target_of(table: &str, kind: Kind) -> &'static str {
    match kind {
        Kind::Moments => "within_5pct",
        Kind::Count if EXACT_TABLES.contains(&table) => "exact",
        Kind::Count if is_two_way_chapter5(table) => "within_1",
        Kind::Count => "none",
    }
}

/// Compares a cohort with every published cell it can reproduce.
///
/// The outcomes are the library's own recidivism measures
/// ([`Cohort::recidivism`], all sources and police only, each case observed
/// until its `followup_end`); the populations of the chapter-5 tables are
/// documented in docs/replication.md.
///
/// # Errors
/// None for a valid cohort; the error type is that of [`Cohort::recidivism`].
pub fn fidelity(cohort: &Cohort) -> crate::Result<Fidelity> {
    let flat = Flat::from_cohort(cohort)?;
    let reg = Registry::new();
    let acc = reg.accumulate(&flat, false);
    let mut records = Vec::new();
    for (i, s) in reg.specs.iter().enumerate() {
        let Some(t) = published::table(s.table) else {
            continue;
        };
        let nc = s.cols.len();
        let w = s.width();
        let at = |r: usize, c: usize| acc[reg.offset[i] + (r * nc + c) * w];
        for (gr, r) in s.rows.iter().enumerate() {
            for (gc, c) in s.cols.iter().enumerate() {
                let (Some(r), Some(c)) = (*r, *c) else {
                    continue;
                };
                let Some(cell) = t.rows.get(r).and_then(|row| row.cells.get(c)) else {
                    continue;
                };
                let mut push = |kind: &str, published: f64, cohort: Option<f64>, target: &str| {
                    let difference = cohort.map(|v| v - published);
                    let met = match target {
                        "exact" => Some(difference.is_some_and(|d| d.abs() < 0.5)),
                        "within_1" => Some(difference.is_some_and(|d| d.abs() < 1.5)),
                        "within_5pct" => Some(
                            difference.is_some_and(|d| d.abs() <= 0.05 * published.abs() + 1e-12),
                        ),
                        _ => None,
                    };
                    records.push(FidelityRecord {
                        table: s.table.to_string(),
                        row: t.rows[r].label_en.clone(),
                        column: t
                            .columns
                            .get(c)
                            .map_or_else(String::new, |x| x.label_en.clone()),
                        kind: kind.to_string(),
                        published,
                        cohort,
                        difference,
                        target: target.to_string(),
                        met,
                    });
                };
                match s.kind {
                    Kind::Count => {
                        let Some(p) = cell.count_or_dash() else {
                            continue;
                        };
                        let v = at(gr, gc);
                        push("count", p, Some(v), target_of(s.table, s.kind));
                        if let Some(pct) = cell.pct {
                            let base = match s.pct {
                                PctBase::None => None,
                                PctBase::RowTotal => Some((0..nc).map(|k| at(gr, k)).sum::<f64>()),
                                PctBase::ColTotal => {
                                    Some((0..s.rows.len()).map(|k| at(k, gc)).sum::<f64>())
                                }
                                PctBase::Row(k) => Some(at(k, gc)),
                                PctBase::Col(k) => Some(at(gr, k)),
                                PctBase::Shift(k) => Some(at(gr + k, gc)),
                            };
                            if let Some(b) = base {
                                let ours = (b > 0.0).then(|| 100.0 * v / b);
                                push("pct", pct, ours, "none");
                            }
                        }
                    }
                    Kind::Moments => {
                        let (_, m, sd) = moments(&acc, reg.offset[i] + (gr * nc + gc) * w);
                        if let Some(p) = cell.mean {
                            push("mean", p, m, "within_5pct");
                        }
                        if let Some(p) = cell.sd {
                            push("sd", p, sd, "within_5pct");
                        }
                    }
                }
            }
        }
    }
    let verdicts: Vec<Verdict> = comparisons(&reg).iter().map(|c| c.verdict(&acc)).collect();
    let bijlage5 = super::bijlage5::records(&flat);
    let mut summary = summarize(&records, &verdicts);
    summary.bijlage5_verdicts = bijlage5.len();
    summary.bijlage5_verdicts_agree = bijlage5.iter().filter(|r| r.agrees).count();
    Ok(Fidelity {
        records,
        verdicts,
        bijlage5,
        summary,
    })
}

fn summarize(records: &[FidelityRecord], verdicts: &[Verdict]) -> FidelitySummary {
    let mut s = FidelitySummary::default();
    for r in records {
        match r.kind.as_str() {
            "count" => {
                s.count_cells += 1;
                match r.difference.map(f64::abs) {
                    Some(d) if d < 0.5 => s.count_exact += 1,
                    Some(d) if d < 1.5 => s.count_off_by_1 += 1,
                    _ => s.count_off += 1,
                }
                let met = usize::from(r.met == Some(true));
                match r.target.as_str() {
                    "exact" => {
                        s.exact_target_cells += 1;
                        s.exact_target_met += met;
                    }
                    "within_1" => {
                        s.within_1_target_cells += 1;
                        s.within_1_target_met += met;
                    }
                    _ => {}
                }
            }
            "mean" | "sd" => {
                s.moment_cells += 1;
                s.moment_within_5pct += usize::from(r.met == Some(true));
            }
            _ => {}
        }
    }
    s.verdict_comparisons = verdicts.len();
    s.verdict_comparisons_agree = verdicts.iter().filter(|v| v.agrees).count();
    let tables: std::collections::BTreeSet<&str> =
        verdicts.iter().map(|v| v.table.as_str()).collect();
    s.verdict_tables = tables.len();
    s.verdict_tables_agree = tables
        .iter()
        .filter(|t| verdicts.iter().filter(|v| v.table == **t).all(|v| v.agrees))
        .count();
    s
}
