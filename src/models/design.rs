//! A design-matrix builder for Rust users: named numeric and categorical
//! columns, a choice of reference level, interactions, and listwise deletion
//! that reports how many rows each variable removed (as SPSS's "Case
//! Processing Summary"). Python users write a Wilkinson formula instead
//! (`formulaic`); both produce the same row-major matrix and column names.
//!
//! ```text
//! numeric  "age"                 → one column  age
//! categorical "edu", levels sorted, reference r
//!                                → one 0/1 column per other level  edu[T.level]
//! interaction a:b                → products of the columns of a and b  a:b,  edu[T.x]:age
//! intercept                      → a first column of ones "Intercept"
//! ```
//!
//! A row is dropped when the outcome or any variable used is missing
//! (`NaN` for numeric, `None` for categorical).

use crate::{Error, Result};

#[derive(Clone, Debug)]
enum Var {
    Numeric(Vec<f64>),
    Categorical {
        codes: Vec<Option<usize>>,
        levels: Vec<String>,
        reference: usize,
    },
}

/// Builds a [`Design`]; errors are collected and reported by [`DesignBuilder::build`].
///
/// # Examples
/// ```
/// use huisverbod::models::DesignBuilder;
/// let age = [30.0, 41.0, f64::NAN, 25.0];
/// let edu = [Some("low"), Some("high"), Some("mid"), Some("low")];
/// let d = DesignBuilder::new()
///     .numeric("age", &age)
///     .categorical("edu", &edu, Some("low"))
///     .interaction(&["age", "edu"])
///     .build(Some(("y", &[1.0, 0.0, 1.0, 1.0])))?;
/// assert_eq!(d.names, ["Intercept", "age", "edu[T.high]", "edu[T.mid]", "age:edu[T.high]", "age:edu[T.mid]"]);
/// assert_eq!(d.n_used(), 3); // the row with a missing age is dropped
/// assert_eq!(d.removed_by, vec![("y".to_string(), 0), ("age".to_string(), 1), ("edu".to_string(), 0)]);
/// # Ok::<(), huisverbod::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct DesignBuilder {
    intercept: bool,
    n: Option<usize>,
    vars: Vec<(String, Var)>,
    interactions: Vec<Vec<String>>,
    error: Option<Error>,
}

/// A design matrix after listwise deletion.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Row-major `n_used × p` matrix.
    pub x: Vec<f64>,
    /// Column names.
    pub names: Vec<String>,
    /// The outcome on the rows used (when one was given).
    pub y: Option<Vec<f64>>,
    /// Indices (into the input) of the rows used.
    pub rows: Vec<usize>,
    /// The number of input rows.
    pub n_input: usize,
    /// For the outcome and each variable: how many input rows are missing on it.
    pub removed_by: Vec<(String, usize)>,
}

impl Design {
    /// The number of rows used.
    pub fn n_used(&self) -> usize {
        self.rows.len()
    }

    /// The number of columns.
    pub fn p(&self) -> usize {
        self.names.len()
    }
}

impl DesignBuilder {
    /// A builder with an intercept.
    pub fn new() -> Self {
        DesignBuilder {
            intercept: true,
            ..Default::default()
        }
    }

    /// Whether to add an intercept column (default true).
    pub fn intercept(mut self, yes: bool) -> Self {
        self.intercept = yes;
        self
    }

    fn check_len(&mut self, name: &str, len: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if self.vars.iter().any(|(n, _)| n == name) {
            self.error = Some(Error::InvalidArgument {
                name: "design",
                reason: format!("variable '{name}' is added twice"),
            });
            return false;
        }
        match self.n {
            Some(n) if n != len => {
                self.error = Some(Error::InvalidArgument {
                    name: "design",
                    reason: format!("variable '{name}' has {len} rows, the others {n}"),
                });
                false
            }
            _ => {
                self.n = Some(len);
                true
            }
        }
    }

    /// Adds a numeric variable (`NaN` is missing).
    pub fn numeric(mut self, name: &str, values: &[f64]) -> Self {
        if self.check_len(name, values.len()) {
            if let Some(i) = values.iter().position(|v| v.is_infinite()) {
                self.error = Some(Error::InvalidArgument {
                    name: "design",
                    reason: format!("variable '{name}' has an infinite value at row {i}"),
                });
                return self;
            }
            self.vars
                .push((name.to_string(), Var::Numeric(values.to_vec())));
        }
        self
    }

    /// Adds a categorical variable (`None` is missing). Levels are sorted;
    /// `reference` (default: the first level) gets no column.
    pub fn categorical(
        mut self,
        name: &str,
        values: &[Option<&str>],
        reference: Option<&str>,
    ) -> Self {
        if !self.check_len(name, values.len()) {
            return self;
        }
        let mut levels: Vec<String> = values.iter().flatten().map(|s| s.to_string()).collect();
        levels.sort();
        levels.dedup();
        let reference = match reference {
            None => 0,
            Some(r) => match levels.iter().position(|l| l == r) {
                Some(k) => k,
                None => {
                    self.error = Some(Error::InvalidArgument {
                        name: "design",
                        reason: format!(
                            "reference level '{r}' of '{name}' does not occur; levels: {levels:?}"
                        ),
                    });
                    return self;
                }
            },
        };
        let codes = values
            .iter()
            .map(|v| v.and_then(|s| levels.iter().position(|l| l == s)))
            .collect();
        self.vars.push((
            name.to_string(),
            Var::Categorical {
                codes,
                levels,
                reference,
            },
        ));
        self
    }

    /// Adds the interaction of variables already added (the main effects are
    /// not added by this call).
    pub fn interaction(mut self, names: &[&str]) -> Self {
        if self.error.is_some() {
            return self;
        }
        if names.len() < 2 {
            self.error = Some(Error::InvalidArgument {
                name: "design",
                reason: "an interaction needs at least two variables".into(),
            });
            return self;
        }
        if let Some(bad) = names
            .iter()
            .find(|n| !self.vars.iter().any(|(v, _)| v == *n))
        {
            self.error = Some(Error::InvalidArgument {
                name: "design",
                reason: format!("interaction with unknown variable '{bad}'"),
            });
            return self;
        }
        self.interactions
            .push(names.iter().map(|s| s.to_string()).collect());
        self
    }

    /// The columns of one variable at row `i`: (name, value) pairs.
    fn columns(name: &str, var: &Var, i: usize) -> Vec<(String, f64)> {
        match var {
            Var::Numeric(v) => vec![(name.to_string(), v[i])],
            Var::Categorical {
                codes,
                levels,
                reference,
            } => levels
                .iter()
                .enumerate()
                .filter(|(k, _)| k != reference)
                .map(|(k, l)| {
                    (
                        format!("{name}[T.{l}]"),
                        if codes[i] == Some(k) { 1.0 } else { 0.0 },
                    )
                })
                .collect(),
        }
    }

    fn missing(var: &Var, i: usize) -> bool {
        match var {
            Var::Numeric(v) => v[i].is_nan(),
            Var::Categorical { codes, .. } => codes[i].is_none(),
        }
    }

    /// Builds the design with an optional outcome `(name, values)`.
    ///
    /// # Errors
    /// The first error met while adding variables; a length mismatch of the
    /// outcome; no rows left after listwise deletion.
    pub fn build(self, outcome: Option<(&str, &[f64])>) -> Result<Design> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let n = match (self.n, outcome) {
            (Some(n), Some((name, y))) if y.len() != n => {
                return Err(Error::InvalidArgument {
                    name: "design",
                    reason: format!("outcome '{name}' has {} rows, the variables {n}", y.len()),
                })
            }
            (Some(n), _) => n,
            (None, Some((_, y))) => y.len(),
            (None, None) => 0,
        };
        let mut removed_by = Vec::new();
        if let Some((name, y)) = outcome {
            removed_by.push((name.to_string(), y.iter().filter(|v| v.is_nan()).count()));
        }
        for (name, var) in &self.vars {
            removed_by.push((
                name.clone(),
                (0..n).filter(|&i| Self::missing(var, i)).count(),
            ));
        }
        let rows: Vec<usize> = (0..n)
            .filter(|&i| {
                outcome.is_none_or(|(_, y)| !y[i].is_nan())
                    && self.vars.iter().all(|(_, v)| !Self::missing(v, i))
            })
            .collect();
        if rows.is_empty() {
            return Err(Error::InvalidArgument {
                name: "design",
                reason: format!(
                    "no complete rows: every one of the {n} rows has a missing value ({})",
                    removed_by
                        .iter()
                        .filter(|(_, k)| *k > 0)
                        .map(|(v, k)| format!("{v}: {k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        let lookup = |name: &str| self.vars.iter().find(|(v, _)| v == name).map(|(_, v)| v);
        let mut names = Vec::new();
        let mut x = Vec::new();
        for (r, &i) in rows.iter().enumerate() {
            let mut row: Vec<(String, f64)> = Vec::new();
            if self.intercept {
                row.push(("Intercept".into(), 1.0));
            }
            for (name, var) in &self.vars {
                row.extend(Self::columns(name, var, i));
            }
            for inter in &self.interactions {
                let mut acc: Vec<(String, f64)> = vec![(String::new(), 1.0)];
                for name in inter {
                    let Some(var) = lookup(name) else { continue };
                    let cols = Self::columns(name, var, i);
                    acc = acc
                        .iter()
                        .flat_map(|(an, av)| {
                            cols.iter().map(move |(cn, cv)| {
                                let nm = if an.is_empty() {
                                    cn.clone()
                                } else {
                                    format!("{an}:{cn}")
                                };
                                (nm, av * cv)
                            })
                        })
                        .collect();
                }
                row.extend(acc);
            }
            if r == 0 {
                names = row.iter().map(|(n, _)| n.clone()).collect();
            }
            x.extend(row.into_iter().map(|(_, v)| v));
        }
        let y = outcome.map(|(_, y)| rows.iter().map(|&i| y[i]).collect());
        Ok(Design {
            x,
            names,
            y,
            rows,
            n_input: n,
            removed_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categorical_reference_and_interaction() {
        let g = [Some("thv"), Some("control"), Some("thv"), None];
        let h = [1.0, 0.0, 0.0, 1.0];
        let d = DesignBuilder::new()
            .categorical("group", &g, Some("control"))
            .numeric("help", &h)
            .interaction(&["group", "help"])
            .build(None)
            .unwrap();
        assert_eq!(
            d.names,
            ["Intercept", "group[T.thv]", "help", "group[T.thv]:help"]
        );
        assert_eq!(d.rows, vec![0, 1, 2]);
        assert_eq!(d.x, vec![1., 1., 1., 1., 1., 0., 0., 0., 1., 1., 0., 0.]);
        assert!(DesignBuilder::new()
            .categorical("g", &g, Some("nope"))
            .build(None)
            .is_err());
        assert!(DesignBuilder::new()
            .numeric("a", &[1.0])
            .numeric("b", &[1.0, 2.0])
            .build(None)
            .is_err());
    }
}
