//! The specs laid out in one accumulator array, and the published targets.

use super::fidelity::{is_two_way_chapter5, EXACT_TABLES};
use super::flat::Flat;
use super::published;
use super::specs::{self, Eval, Kind, Spec};
use std::collections::HashMap;

/// All specs, with the offset of each in the accumulator array.
pub(crate) struct Registry {
    pub specs: Vec<Spec>,
    pub offset: Vec<usize>,
    pub size: usize,
    by_key: HashMap<&'static str, usize>,
}

impl Registry {
    pub fn new() -> Registry {
        let specs = specs::all();
        let mut offset = Vec::with_capacity(specs.len());
        let mut size = 0;
        let mut by_key = HashMap::new();
        for (i, s) in specs.iter().enumerate() {
            offset.push(size);
            size += s.size();
            by_key.insert(s.key, i);
        }
        Registry {
            specs,
            offset,
            size,
            by_key,
        }
    }

    /// The spec with this key.
    pub fn spec(&self, key: &str) -> usize {
        // Keys are constants of this module, checked by the tests.
        self.by_key[key]
    }

    /// The accumulator index of cell (r, c) of spec `key` (for moments: the n slot).
    pub fn cell(&self, key: &str, r: usize, c: usize) -> usize {
        let i = self.spec(key);
        let s = &self.specs[i];
        self.offset[i] + (r * s.cols.len() + c) * s.width()
    }

    /// The spec that owns accumulator slot `idx`.
    pub fn spec_of_slot(&self, idx: usize) -> usize {
        self.offset.partition_point(|&o| o <= idx) - 1
    }

    /// Adds (sign 1) or removes (sign −1) the contributions of case `c` to
    /// the specs (only the searched ones when `search_only`).
    pub fn add_case(&self, flat: &Flat, c: usize, acc: &mut [f64], sign: f64, search_only: bool) {
        self.add_case_masked(flat, c, acc, sign, search_only, u32::MAX);
    }

    /// As [`Registry::add_case`], for the specs that read one of the `changed` values.
    pub fn add_case_masked(
        &self,
        flat: &Flat,
        c: usize,
        acc: &mut [f64],
        sign: f64,
        search_only: bool,
        changed: u32,
    ) {
        let case = &flat.cases[c];
        let persons = flat.persons_of(c);
        for (i, s) in self.specs.iter().enumerate() {
            if (search_only && !s.search) || s.reads & changed == 0 {
                continue;
            }
            let off = self.offset[i];
            let mut e = specs::Emit {
                acc: &mut acc[off..off + s.size()],
                ncols: s.cols.len(),
                sign,
            };
            match s.eval {
                Eval::Case(f) => f(case, persons, &mut e),
                Eval::Person(f) => {
                    for p in persons {
                        f(case, p, &mut e);
                    }
                }
            }
        }
    }

    /// Every cell of every spec over the whole cohort.
    pub fn accumulate(&self, flat: &Flat, search_only: bool) -> Vec<f64> {
        let mut acc = vec![0.0; self.size];
        for c in 0..flat.cases.len() {
            self.add_case(flat, c, &mut acc, 1.0, search_only);
        }
        acc
    }
}

/// (n, mean, sd) of a moments cell; the sd is `None` below two values.
pub(crate) fn moments(acc: &[f64], i: usize) -> (f64, Option<f64>, Option<f64>) {
    let (n, s, ss) = (acc[i], acc[i + 1], acc[i + 2]);
    if n < 0.5 {
        return (0.0, None, None);
    }
    let mean = s / n;
    let sd = (n > 1.5).then(|| ((ss - s * s / n).max(0.0) / (n - 1.0)).sqrt());
    (n, Some(mean), sd)
}

/// One published number the search aims at.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A count cell, to be met within `tol` (0 for the exact tables,
    /// 1 for the chapter-5 cross tables, infinite for tables without a target).
    Count {
        idx: usize,
        value: f64,
        weight: f64,
        tol: f64,
    },
    /// A mean (and sd) cell.
    Moments {
        idx: usize,
        mean: f64,
        sd: Option<f64>,
        weight: f64,
    },
}

/// The targets of the searched specs.
pub(crate) fn search_targets(reg: &Registry) -> Vec<Target> {
    let mut out = Vec::new();
    for (i, s) in reg.specs.iter().enumerate() {
        if !s.search {
            continue;
        }
        for (gr, r) in s.rows.iter().enumerate() {
            for (gc, c) in s.cols.iter().enumerate() {
                let (Some(r), Some(c)) = (r, c) else { continue };
                let Some(cell) = published::cell(s.table, *r, *c) else {
                    continue;
                };
                let idx = reg.offset[i] + (gr * s.cols.len() + gc) * s.width();
                match s.kind {
                    Kind::Count => {
                        if let Some(v) = cell.count_or_dash() {
                            let tol = if EXACT_TABLES.contains(&s.table) {
                                0.0
                            } else if is_two_way_chapter5(s.table) {
                                1.0
                            } else {
                                f64::INFINITY
                            };
                            out.push(Target::Count {
                                idx,
                                value: v,
                                weight: s.weight,
                                tol,
                            });
                        }
                    }
                    Kind::Moments => {
                        if let Some(m) = cell.mean {
                            out.push(Target::Moments {
                                idx,
                                mean: m,
                                sd: cell.sd,
                                weight: s.weight,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// Cost of a count off by one within its tolerance.
const COUNT_INSIDE: f64 = 0.3;
/// Cost of a mean or sd off by 5%, inside the target.
const MOMENT_INSIDE: f64 = 0.5;

/// The cost of the targets: squared deviations, counts in units, means and
/// sds in units of 5% of the published value, with a steep extra cost
/// beyond ±1 count and (with a jump) beyond 5%.
pub(crate) fn target_cost(targets: &[Target], acc: &[f64]) -> f64 {
    let mut cost = 0.0;
    for t in targets {
        match *t {
            Target::Count {
                idx,
                value,
                weight,
                tol,
            } => {
                // Within the tolerance a deviation costs little; beyond it, a lot.
                let d = (acc[idx] - value).abs();
                let t = if tol.is_finite() { tol } else { 1.0 };
                cost += weight
                    * if d <= t + 1e-9 {
                        COUNT_INSIDE * d * d
                    } else {
                        d * d + 8.0 * (d - t).powi(2) + 2.0
                    };
            }
            Target::Moments {
                idx,
                mean,
                sd,
                weight,
            } => {
                let (n, m, s) = moments(acc, idx);
                let rel = |x: f64, p: f64| (x - p) / (0.05 * p.abs().max(1e-9));
                let step = |r: f64| {
                    let a = r.abs();
                    MOMENT_INSIDE * r * r
                        + if a > 1.0 {
                            6.0 * (a - 1.0).powi(2) + 2.0
                        } else {
                            0.0
                        }
                };
                if n < 0.5 {
                    cost += weight * 100.0;
                    continue;
                }
                if let Some(m) = m {
                    cost += weight * step(rel(m, mean));
                }
                if let Some(p) = sd {
                    cost += weight * s.map_or(100.0, |s| step(rel(s, p)));
                }
            }
        }
    }
    cost
}

/// Whether every target is met: counts within their tolerance, means and sds within 5%.
pub(crate) fn targets_met(targets: &[Target], acc: &[f64]) -> bool {
    targets.iter().all(|t| match *t {
        Target::Count {
            idx, value, tol, ..
        } => (acc[idx] - value).abs() <= tol + 1e-9,
        Target::Moments { idx, mean, sd, .. } => {
            let (_, m, s) = moments(acc, idx);
            let ok = |x: Option<f64>, p: f64| x.is_some_and(|x| (x - p).abs() <= 0.05 * p.abs());
            ok(m, mean) && sd.is_none_or(|p| ok(s, p))
        }
    })
}
