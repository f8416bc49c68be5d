//! The report's chapter-5 significance verdicts, recomputed from microdata.
//!
//! The comparisons are those of `huisverbod.stats._verdicts.report_comparisons()`
//! (which rebuilds them from the published numbers), here computed from the
//! cells of a cohort. The report's conventions (Bijlage 2, SPSS):
//!
//! ```text
//! cross tables  Pearson chi-square without continuity correction,
//!               X² = Σ (O − E)² / E,  E = row total · column total / n,
//!               df = (rows − 1)(columns − 1), p = P(χ²_df ≥ X²)
//! two means     pooled-variance t-test ("equal variances assumed"),
//!               t = (m1 − m2) / (s_p √(1/n1 + 1/n2)),
//!               s_p² = ((n1 − 1)s1² + (n2 − 1)s2²) / (n1 + n2 − 2),
//!               df = n1 + n2 − 2, p = 2 P(T_df ≥ |t|)
//! one-sided     p/2 when the difference lies in the direction the report
//!               describes, 1 − p/2 otherwise
//! verdict       "significant" agrees when the p of the printed sidedness is
//!               below the printed alpha (.10 when none is printed; "one and
//!               two" uses the two-sided p); "not significant" agrees when
//!               the two-sided p is at least .10
//! ```

use super::published;
use super::registry::{moments, Registry};
use crate::stats::{pvalue_chi2, pvalue_t, Alternative};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

/// The report's general significance level.
pub(crate) const REPORT_ALPHA: f64 = 0.10;

/// A count in a cross table: one cell, or a cell base minus a cell.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ref {
    Cell(usize),
    Diff(usize, usize),
}

impl Ref {
    fn get(self, acc: &[f64]) -> f64 {
        match self {
            Ref::Cell(i) => acc[i],
            Ref::Diff(a, b) => acc[a] - acc[b],
        }
    }
}

/// What a comparison tests.
#[derive(Clone, Debug)]
pub(crate) enum Data {
    /// A cross table of counts (rows are the groups compared).
    Chi2(Vec<Vec<Ref>>),
    /// Two moments cells (n slots): group 1 and group 2.
    T(usize, usize),
}

/// The printed claim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Claim {
    Significant { alpha: f64, one_sided: bool },
    NotSignificant,
}

/// One chapter-5 comparison.
#[derive(Clone, Debug)]
pub(crate) struct Comparison {
    pub table: &'static str,
    pub label: String,
    pub data: Data,
    pub claim: Claim,
    /// Printed claim texts, for the record.
    pub claim_text: String,
    pub alpha: Option<f64>,
    pub sided: Option<String>,
    /// The sign of the published difference (first group minus second: the
    /// proportion in the first column, or the mean).
    pub direction: f64,
}

/// A recomputed verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Published table id.
    pub table: String,
    /// What is compared.
    pub comparison: String,
    /// `Pearson chi-square` or `t-test (pooled)`.
    pub test: String,
    /// X² or t.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_two_sided: f64,
    /// The p-value of the printed sidedness (one-sided: see the module docs).
    pub p_report: f64,
    /// The printed claim: `significant` or `not significant`.
    pub claim: String,
    /// The printed alpha (`None`: the report's .10).
    pub alpha: Option<f64>,
    /// The printed sidedness (`one`, `two`, `one and two`).
    pub sided: Option<String>,
    /// Whether the cohort's difference has the published direction.
    pub same_direction: bool,
    /// Whether the recomputed test agrees with the printed claim.
    pub agrees: bool,
}

fn claim_of(table: &str) -> (Claim, String, Option<f64>, Option<String>) {
    let sig = published::table(table)
        .and_then(|t| t.significance.clone())
        .unwrap_or_default();
    let claim = match sig.claim.as_deref() {
        Some("significant") => Claim::Significant {
            alpha: sig.alpha.unwrap_or(REPORT_ALPHA),
            one_sided: sig.sided.as_deref() == Some("one"),
        },
        _ => Claim::NotSignificant,
    };
    (
        claim,
        sig.claim.unwrap_or_else(|| "not significant".into()),
        sig.alpha,
        sig.sided,
    )
}

fn not_significant() -> (Claim, String, Option<f64>, Option<String>) {
    (Claim::NotSignificant, "not significant".into(), None, None)
}

/// The published counts of a presence table (rows × 2).
fn published_direction_counts(table: &str) -> f64 {
    let Some(t) = published::table(table) else {
        return 0.0;
    };
    let p = |r: usize| {
        let a = t.rows[r].cells[0].count.unwrap_or(0.0);
        let b = t.rows[r].cells[1].count.unwrap_or(0.0);
        a / (a + b).max(1.0)
    };
    (p(0) - p(1)).signum()
}

fn published_direction_means(table: &str, r1: usize, c1: usize, r2: usize, c2: usize) -> f64 {
    let m = |r, c| {
        published::cell(table, r, c)
            .and_then(|x| x.mean)
            .unwrap_or(0.0)
    };
    (m(r1, c1) - m(r2, c2)).signum()
}

/// Every comparison, as `report_comparisons()` builds them.
#[allow(clippy::too_many_lines)]
pub(crate) fn comparisons(reg: &Registry) -> Vec<Comparison> {
    let mut out = Vec::new();
    let mut push = |table: &'static str,
                    label: &str,
                    data: Data,
                    claim: (Claim, String, Option<f64>, Option<String>),
                    direction: f64| {
        out.push(Comparison {
            table,
            label: label.to_string(),
            data,
            claim: claim.0,
            claim_text: claim.1,
            alpha: claim.2,
            sided: claim.3,
            direction,
        });
    };
    let grid = |key: &str, rows: usize| -> Data {
        Data::Chi2(
            (0..rows)
                .map(|r| (0..2).map(|c| Ref::Cell(reg.cell(key, r, c))).collect())
                .collect(),
        )
    };
    // Table 5.1: thv vs control, police registrations.
    let c = |r, g| Ref::Cell(reg.cell("5.1a", r, g));
    push(
        "5.1",
        "any new incident (police), thv vs control",
        Data::Chi2(vec![vec![c(0, 0), c(1, 0)], vec![c(0, 1), c(1, 1)]]),
        claim_of("5.1"),
        (22.0f64 / 105.0 - 31.0 / 104.0).signum(),
    );
    // The asterisks that survive in Table 5.1 mark its significant rows: the
    // number row has one, the days row none (the text: not significant).
    let marked = |row: usize| {
        published::table("5.1")
            .and_then(|t| t.rows.get(row))
            .is_some_and(|r| r.cells.iter().any(|c| c.marker.is_some()))
    };
    for (row, key, label) in [
        (
            1usize,
            "5.1b",
            "number of incidents (cases with new incidents)",
        ),
        (
            2,
            "5.1c",
            "days to first incident (cases with new incidents)",
        ),
    ] {
        push(
            "5.1",
            label,
            Data::T(reg.cell(key, 0, 0), reg.cell(key, 0, 1)),
            if marked(row) {
                claim_of("5.1")
            } else {
                not_significant()
            },
            published_direction_means("5.1", row, 0, row, 1),
        );
    }
    for (t, label) in [
        (
            "5.4",
            "perpetrator not or partly started vs started the full offer",
        ),
        (
            "5.9",
            "victim not or partly started vs started the full offer",
        ),
        (
            "5.12",
            "perpetrator completed insufficiently vs sufficiently",
        ),
        ("5.15", "victim completed insufficiently vs sufficiently"),
        ("5.18", "system approach sufficient vs not or hardly"),
        ("5.22", "system-oriented work after the order yes vs no"),
        ("5.27", "1-2 vs 3-5 problem areas (evicted person)"),
        ("5.28", "work/housing/social problems yes vs no"),
        ("5.29", "psychological problems yes vs no"),
        ("5.30", "enforcement priority low-medium vs highest"),
        ("5.31", "order violated yes vs no"),
        ("5.33", "order extended yes vs no"),
    ] {
        push(
            t,
            label,
            grid(t, 2),
            claim_of(t),
            published_direction_counts(t),
        );
    }
    push(
        "5.25",
        "offender category (first / repeat / persistent)",
        grid("5.25", 3),
        claim_of("5.25"),
        0.0,
    );
    push(
        "5.26",
        "arrest / referred to OM / conviction (nested stages)",
        grid("5.26", 3),
        claim_of("5.26"),
        0.0,
    );
    push(
        "5.35",
        "education low / middle / high",
        grid("5.35", 3),
        claim_of("5.35"),
        0.0,
    );
    push(
        "5.7a",
        "1-2 vs 3-5 problem areas: start of help",
        grid("5.7a", 2),
        claim_of("5.7a"),
        0.0,
    );
    // Table 5.7b: within each problem row, not started vs started (new DV out of the cell base).
    for (r, label) in [
        (0usize, "1-2 problem areas: not started vs started"),
        (1, "3-5 problem areas: not started vs started"),
    ] {
        let hit = |s| reg.cell("5.7b", r, s);
        let base = |s| reg.cell("5.7a", r, s);
        let data = Data::Chi2(
            (0..2)
                .map(|s| vec![Ref::Cell(hit(s)), Ref::Diff(base(s), hit(s))])
                .collect(),
        );
        // The text names only the 3-5 row as significant (the underlining is lost).
        let claim = if r == 1 {
            claim_of("5.7b")
        } else {
            not_significant()
        };
        push("5.7b", label, data, claim, 0.0);
    }
    // Table 5.8: columns thv / control, rows 1-2 / 3-5: the groups are the columns.
    let c8 = |r, g| Ref::Cell(reg.cell("5.8", r, g));
    push(
        "5.8",
        "1-2 vs 3-5 problem areas, thv vs control",
        Data::Chi2(vec![vec![c8(0, 0), c8(1, 0)], vec![c8(0, 1), c8(1, 1)]]),
        claim_of("5.8"),
        0.0,
    );
    for (t, label) in [
        (
            "5.5",
            "number of new incidents: not or partly started vs full start (perpetrator)",
        ),
        (
            "5.6",
            "days to first incident: not or partly started vs full start (perpetrator)",
        ),
        (
            "5.10",
            "number of new incidents: not or partly started vs full start (victim)",
        ),
        (
            "5.11",
            "days to first incident: not or partly started vs full start (victim)",
        ),
        (
            "5.13",
            "number of new incidents: completion insufficient vs sufficient (perpetrator)",
        ),
        (
            "5.14",
            "days to first incident: completion insufficient vs sufficient (perpetrator)",
        ),
        (
            "5.16",
            "number of new incidents: completion insufficient vs sufficient (victim)",
        ),
        (
            "5.17",
            "days to first incident: completion insufficient vs sufficient (victim)",
        ),
        (
            "5.19",
            "number of new incidents: system approach sufficient vs not",
        ),
        (
            "5.20",
            "days to first incident: system approach sufficient vs not",
        ),
        (
            "5.21",
            "number of new incidents: case consultation yes vs no",
        ),
        (
            "5.23",
            "number of new incidents: first contact within 24 h vs later",
        ),
        ("5.32", "number of new incidents: order violated yes vs no"),
        ("5.34", "number of new incidents: order extended yes vs no"),
    ] {
        push(
            t,
            label,
            Data::T(reg.cell(t, 0, 0), reg.cell(t, 1, 0)),
            claim_of(t),
            published_direction_means(t, 0, 0, 1, 0),
        );
    }
    for (r, label) in [
        (
            0usize,
            "antecedents: new DV vs none (evicted persons in HKS)",
        ),
        (1, "offences: new DV vs none (evicted persons in HKS)"),
    ] {
        push(
            "5.24",
            label,
            Data::T(reg.cell("5.24", r, 0), reg.cell("5.24", r, 1)),
            claim_of("5.24"),
            published_direction_means("5.24", r, 0, r, 1),
        );
    }
    // In table order, as the report prints them.
    let order = |t: &str| {
        let rest = t.trim_start_matches("5.");
        let n: u32 = rest
            .trim_end_matches(char::is_alphabetic)
            .parse()
            .unwrap_or(0);
        (n, rest.to_string())
    };
    out.sort_by_key(|c| order(c.table));
    out
}

/// Pearson chi-square without correction over the rows and columns with a
/// positive total: (X², df).
fn chi2(table: &[[f64; 2]]) -> (f64, f64) {
    let row_tot: Vec<f64> = table.iter().map(|r| r[0] + r[1]).collect();
    let col_tot = [
        table.iter().map(|r| r[0]).sum::<f64>(),
        table.iter().map(|r| r[1]).sum::<f64>(),
    ];
    let n: f64 = row_tot.iter().sum();
    let rows = row_tot.iter().filter(|&&t| t > 0.0).count();
    let cols = col_tot.iter().filter(|&&t| t > 0.0).count();
    if rows < 2 || cols < 2 || n <= 0.0 {
        return (0.0, 0.0);
    }
    let mut x2 = 0.0;
    for (i, r) in table.iter().enumerate() {
        for (j, &o) in r.iter().enumerate() {
            let e = row_tot[i] * col_tot[j] / n;
            if e > 0.0 {
                x2 += (o - e) * (o - e) / e;
            }
        }
    }
    (x2, ((rows - 1) * (cols - 1)) as f64)
}

/// Pooled t from two moments cells: (t, df, mean difference); NaN when undefined.
fn pooled_t(acc: &[f64], a: usize, b: usize) -> (f64, f64, f64) {
    let (n1, m1, s1) = moments(acc, a);
    let (n2, m2, s2) = moments(acc, b);
    let (Some(m1), Some(m2), Some(s1), Some(s2)) = (m1, m2, s1, s2) else {
        return (f64::NAN, f64::NAN, f64::NAN);
    };
    let df = n1 + n2 - 2.0;
    let sp2 = ((n1 - 1.0) * s1 * s1 + (n2 - 1.0) * s2 * s2) / df;
    let se = (sp2 * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se <= 0.0 {
        return (f64::NAN, df, m1 - m2);
    }
    ((m1 - m2) / se, df, m1 - m2)
}

impl Comparison {
    /// The accumulator slots the comparison reads.
    pub fn slots(&self) -> Vec<usize> {
        match &self.data {
            Data::Chi2(rows) => rows
                .iter()
                .flatten()
                .flat_map(|r| match *r {
                    Ref::Cell(i) => vec![i],
                    Ref::Diff(a, b) => vec![a, b],
                })
                .collect(),
            Data::T(a, b) => vec![*a, *b],
        }
    }

    /// (statistic, df, sign of the difference) from the cells.
    fn statistic(&self, acc: &[f64]) -> (f64, f64, f64) {
        match &self.data {
            Data::Chi2(rows) => {
                let mut t = [[0.0; 2]; 3];
                let nr = rows.len().min(3);
                for (i, r) in rows.iter().take(3).enumerate() {
                    t[i] = [r[0].get(acc), r[1].get(acc)];
                }
                let t = &t[..nr];
                let (x2, df) = chi2(t);
                let dir = if nr == 2 {
                    let p = |r: &[f64; 2]| r[0] / (r[0] + r[1]).max(1.0);
                    (p(&t[0]) - p(&t[1])).signum()
                } else {
                    0.0
                };
                (x2, df, dir)
            }
            Data::T(a, b) => {
                let (t, df, d) = pooled_t(acc, *a, *b);
                (t, df, d.signum())
            }
        }
    }

    /// The threshold on the two-sided p that decides agreement.
    fn p_threshold(&self) -> f64 {
        match self.claim {
            Claim::Significant { alpha, one_sided } => {
                if one_sided {
                    2.0 * alpha
                } else {
                    alpha
                }
            }
            Claim::NotSignificant => REPORT_ALPHA,
        }
    }

    /// The recomputed verdict.
    pub fn verdict(&self, acc: &[f64]) -> Verdict {
        let (stat, df, dir) = self.statistic(acc);
        let (test, p_two) = match self.data {
            Data::Chi2(_) => (
                "Pearson chi-square",
                if df > 0.0 { pvalue_chi2(stat, df) } else { 1.0 },
            ),
            Data::T(..) => (
                "t-test (pooled)",
                if stat.is_finite() && df > 0.0 {
                    pvalue_t(stat, df, Alternative::TwoSided)
                } else {
                    f64::NAN
                },
            ),
        };
        let same_direction = self.direction == 0.0 || dir == self.direction;
        let (p_report, agrees) = match self.claim {
            Claim::Significant { alpha, one_sided } => {
                let p = if one_sided {
                    if same_direction {
                        p_two / 2.0
                    } else {
                        1.0 - p_two / 2.0
                    }
                } else {
                    p_two
                };
                (p, p < alpha)
            }
            Claim::NotSignificant => (p_two, p_two >= REPORT_ALPHA),
        };
        Verdict {
            table: self.table.to_string(),
            comparison: self.label.clone(),
            test: test.to_string(),
            statistic: stat,
            df,
            p_two_sided: p_two,
            p_report,
            claim: self.claim_text.clone(),
            alpha: self.alpha,
            sided: self.sided.clone(),
            same_direction,
            agrees,
        }
    }
}

/// Critical values for the search: the statistic at which the two-sided p
/// crosses a comparison's threshold (per df for t-tests).
pub(crate) struct Critical {
    t: Vec<Vec<f64>>,
    chi2: Vec<f64>,
}

impl Critical {
    pub fn new(cmps: &[Comparison]) -> Critical {
        Critical {
            t: vec![Vec::new(); cmps.len()],
            chi2: vec![f64::NAN; cmps.len()],
        }
    }

    fn t_crit(&mut self, k: usize, df: f64, p: f64) -> f64 {
        let d = df.max(1.0) as usize;
        let v = &mut self.t[k];
        if v.len() <= d {
            v.resize(d + 1, f64::NAN);
        }
        if v[d].is_nan() {
            v[d] = StudentsT::new(0.0, 1.0, d as f64)
                .map(|t| t.inverse_cdf(1.0 - p / 2.0))
                .unwrap_or(f64::INFINITY);
        }
        v[d]
    }

    fn chi2_crit(&mut self, k: usize, df: f64, p: f64) -> f64 {
        if self.chi2[k].is_nan() {
            self.chi2[k] = ChiSquared::new(df.max(1.0))
                .map(|c| c.inverse_cdf(1.0 - p))
                .unwrap_or(f64::INFINITY);
        }
        self.chi2[k]
    }

    /// A smooth penalty, zero when the comparison agrees with its claim.
    pub fn penalty(&mut self, k: usize, c: &Comparison, acc: &[f64]) -> f64 {
        let (stat, df, dir) = c.statistic(acc);
        if !stat.is_finite() || df <= 0.0 {
            return 1.0;
        }
        let p = c.p_threshold();
        // On the scale of |z|: sqrt(X²) for chi-square.
        let (s, crit) = match c.data {
            Data::Chi2(_) => (stat.sqrt(), self.chi2_crit(k, df, p).sqrt()),
            Data::T(..) => (stat.abs(), self.t_crit(k, df, p)),
        };
        match c.claim {
            Claim::Significant { one_sided, .. } => {
                let wrong_way = one_sided && c.direction != 0.0 && dir != c.direction;
                let s = if wrong_way { 0.0 } else { s };
                let gap = crit * 1.02 - s;
                if gap > 0.0 {
                    0.3 + gap
                } else {
                    0.0
                }
            }
            Claim::NotSignificant => {
                let gap = s - crit * 0.98;
                if gap > 0.0 {
                    0.3 + gap
                } else {
                    0.0
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_matches_a_hand_computed_table() {
        // [[12, 3], [30, 34]]: n = 79, row totals 15 and 64, column totals 42 and 37.
        // E = [[630, 555], [2688, 2368]] / 79, and every |O - E| = 318/79, so
        // X² = (318/79)² · 79 · (1/630 + 1/555 + 1/2688 + 1/2368) = 5.35499...
        let (x2, df) = chi2(&[[12.0, 3.0], [30.0, 34.0]]);
        assert_eq!(df, 1.0);
        let d = 318.0f64 / 79.0;
        let expected = d * d * 79.0 * (1.0 / 630.0 + 1.0 / 555.0 + 1.0 / 2688.0 + 1.0 / 2368.0);
        assert!((x2 - expected).abs() < 1e-12, "{x2} vs {expected}");
    }

    #[test]
    fn every_chapter_5_table_has_a_comparison() {
        let reg = Registry::new();
        let cmps = comparisons(&reg);
        let tables: std::collections::BTreeSet<_> = cmps.iter().map(|c| c.table).collect();
        assert_eq!(tables.len(), 34);
        assert_eq!(cmps.len(), 38);
        // Table 5.1: presence and number significant (one-sided, .10), days not.
        let claims: Vec<Claim> = cmps
            .iter()
            .filter(|c| c.table == "5.1")
            .map(|c| c.claim)
            .collect();
        let sig = Claim::Significant {
            alpha: 0.1,
            one_sided: true,
        };
        assert_eq!(claims, [sig, sig, Claim::NotSignificant]);
    }
}
