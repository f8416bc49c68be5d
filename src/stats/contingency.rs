//! Contingency tables: Pearson, Yates, likelihood-ratio and linear-by-linear
//! chi-square, expected counts, phi and Cramér's V (the rows of SPSS's
//! "Chi-Square Tests" table); Fisher's exact test lives in [`super::fisher`].

use super::fisher;
use super::saddlepoint::bd0;
use super::{pvalue_chi2, Alternative, TestResult};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Largest count accepted in a table (2⁵³: every whole number below it is
/// exact in a double).
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// A validated r×c table of counts (row-major).
#[derive(Clone, Debug)]
pub(crate) struct CountTable {
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) counts: Vec<u64>,
    pub(crate) row_sums: Vec<u64>,
    pub(crate) col_sums: Vec<u64>,
    pub(crate) total: u64,
}

impl CountTable {
    /// Validates a table: at least 2×2, every cell a finite, non-negative
    /// whole number below 2⁵³.
    pub(crate) fn from_view(t: ndarray::ArrayView2<'_, f64>) -> Result<Self> {
        let (rows, cols) = t.dim();
        if rows < 2 || cols < 2 {
            return Err(Error::InvalidArgument {
                name: "table",
                reason: format!(
                    "must have at least 2 rows and 2 columns, got shape ({rows}, {cols})"
                ),
            });
        }
        let mut counts = Vec::with_capacity(rows * cols);
        for ((i, j), &v) in t.indexed_iter() {
            let bad = |what: &str| Error::InvalidArgument {
                name: "table",
                reason: format!(
                    "{what} {v} at row {i}, column {j}: counts must be non-negative whole numbers"
                ),
            };
            if v.is_nan() {
                return Err(bad("has a NaN"));
            }
            if v < 0.0 {
                return Err(bad("has a negative count"));
            }
            if !v.is_finite() || v >= MAX_COUNT {
                return Err(bad("has a count too large"));
            }
            if v != v.floor() {
                return Err(bad("has a non-integer count"));
            }
            counts.push(v as u64);
        }
        let mut row_sums = vec![0u64; rows];
        let mut col_sums = vec![0u64; cols];
        for i in 0..rows {
            for j in 0..cols {
                row_sums[i] += counts[i * cols + j];
                col_sums[j] += counts[i * cols + j];
            }
        }
        let total: u64 = row_sums.iter().sum();
        if total as f64 >= MAX_COUNT {
            return Err(Error::InvalidArgument {
                name: "table",
                reason: "the total count is too large (at least 2^53)".into(),
            });
        }
        Ok(CountTable {
            rows,
            cols,
            counts,
            row_sums,
            col_sums,
            total,
        })
    }

    /// The count in row `i`, column `j`.
    pub(crate) fn get(&self, i: usize, j: usize) -> u64 {
        self.counts[i * self.cols + j]
    }

    /// Errors on a zero row or column total, naming it.
    fn require_positive_margins(&self) -> Result<()> {
        if let Some(i) = self.row_sums.iter().position(|&s| s == 0) {
            return Err(Error::InvalidArgument {
                name: "table",
                reason: format!(
                    "row {i} has a zero total, so its expected counts are zero; drop the empty row"
                ),
            });
        }
        if let Some(j) = self.col_sums.iter().position(|&s| s == 0) {
            return Err(Error::InvalidArgument {
                name: "table",
                reason: format!(
                    "column {j} has a zero total, so its expected counts are zero; drop the empty column"
                ),
            });
        }
        Ok(())
    }
}

/// Sums as numpy's `np.sum` does for a contiguous float64 array (pairwise
/// summation, blocks of 128 with 8 accumulators), so that sums of the same
/// terms agree with scipy to the last bit.
pub(crate) fn numpy_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &x in a {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        numpy_sum(&a[..n2]) + numpy_sum(&a[n2..])
    }
}

/// The power-divergence `λ` of a name, as scipy's `lambda_` strings:
/// `pearson` 1, `log-likelihood` 0, `freeman-tukey` −½,
/// `mod-log-likelihood` −1, `neyman` −2, `cressie-read` ⅔.
///
/// # Errors
/// [`Error::InvalidArgument`] for another name.
pub fn power_divergence_lambda(name: &str) -> Result<f64> {
    match name {
        "pearson" => Ok(1.0),
        "log-likelihood" => Ok(0.0),
        "freeman-tukey" => Ok(-0.5),
        "mod-log-likelihood" => Ok(-1.0),
        "neyman" => Ok(-2.0),
        "cressie-read" => Ok(2.0 / 3.0),
        other => Err(Error::InvalidArgument {
            name: "lambda_",
            reason: format!(
                "'{other}' is not one of 'pearson', 'log-likelihood', 'freeman-tukey', \
                 'mod-log-likelihood', 'neyman', 'cressie-read'"
            ),
        }),
    }
}

/// Options of [`chi2_test`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chi2Options {
    /// Apply Yates' continuity correction to the main statistic of a 2×2
    /// table (scipy's `correction`; default false = SPSS's Pearson row).
    pub correction: bool,
    /// Power-divergence `λ` of the main statistic (1 = Pearson, scipy's default).
    pub lambda: f64,
    /// Row scores of the linear-by-linear test (default 1..r).
    pub row_scores: Option<Vec<f64>>,
    /// Column scores of the linear-by-linear test (default 1..c).
    pub col_scores: Option<Vec<f64>>,
}

impl Default for Chi2Options {
    fn default() -> Self {
        Chi2Options {
            correction: false,
            lambda: 1.0,
            row_scores: None,
            col_scores: None,
        }
    }
}

/// The chi-square analysis of an r×c table (SPSS's "Chi-Square Tests").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chi2Test {
    /// The main test, as scipy `chi2_contingency(table, correction, lambda_)`
    /// (Pearson by default).
    pub main: TestResult,
    /// Pearson's chi-square (no correction): SPSS "Pearson Chi-Square".
    pub pearson: TestResult,
    /// Yates-corrected Pearson chi-square, 2×2 only: SPSS "Continuity Correction".
    pub yates: Option<TestResult>,
    /// The likelihood-ratio chi-square `G`: SPSS "Likelihood Ratio".
    pub likelihood_ratio: TestResult,
    /// `M² = (N−1) r²`, df 1: SPSS "Linear-by-Linear Association".
    pub linear_by_linear: TestResult,
    /// 2×2: Fisher's exact test p-values `(two-sided, one-sided)`, the
    /// one-sided being the smaller tail (SPSS "Fisher's Exact Test").
    pub fisher: Option<(f64, f64)>,
    /// Expected counts `rᵢ cⱼ / N`, row-major.
    pub expected: Vec<f64>,
    /// The table's shape `(rows, columns)`.
    pub shape: (usize, usize),
    /// The number of observations `N`.
    pub n: f64,
    /// Phi: signed `(ad − bc)/sqrt(r₁r₂c₁c₂)` for 2×2, `sqrt(χ²/N)` otherwise.
    pub phi: f64,
    /// Cramér's V: `sqrt(χ²/(N (min(r, c) − 1)))`.
    pub cramers_v: f64,
    /// More than 20% of the expected counts are below 5.
    pub small_expected: bool,
    /// How many expected counts are below 5.
    pub n_small_expected: usize,
    /// The smallest expected count.
    pub min_expected: f64,
}

/// Chi-square tests of independence for an r×c table of counts.
///
/// With `eᵢⱼ = rᵢcⱼ/N` (computed as `(rᵢ·cⱼ)/N`, as scipy) and df = (r−1)(c−1):
///
/// ```text
/// Pearson            X² = Σ (o − e)²/e
/// Yates (2×2)        o' = o ± min(½, |e − o|) toward e;  X²_c = Σ (o' − e)²/e
/// likelihood ratio   G = 2 Σ o ln(o/e) = 2 Σ [o ln(o/e) + e − o]     (terms ≥ 0)
/// linear-by-linear   M² = (N − 1) r²,  r the Pearson correlation of the
///                    row and column scores weighted by the counts; df 1
/// power divergence   2/(λ(λ+1)) Σ o((o/e)^λ − 1)                    (main, λ ≠ 0, 1)
/// ```
///
/// The main test is scipy's `chi2_contingency(table, correction, lambda_)`
/// (`correction` only acts on 2×2 tables, df = 1); the Pearson terms and
/// their sum follow scipy's arithmetic (numpy's pairwise summation) so they
/// agree to the last bits. `G` is summed in the non-negative form above
/// (Loader's deviance term), which keeps full precision when `o ≈ e`, where
/// scipy's `Σ xlogy(o, o/e)` loses digits to cancellation. The linear-by-
/// linear statistic uses exact integer arithmetic for whole-number scores.
/// `phi` for 2×2 is signed (positive when `a` and `d` are large); Cramér's V
/// equals scipy `association(table, method="cramer")`. `small_expected` is
/// SPSS's footnote condition: more than 20% of the expected counts below 5.
/// For 2×2 tables Fisher's exact p-values are added (as SPSS does) when the
/// hypergeometric support has at most [`fisher::MAX_SUPPORT_IN_CHI2`] values.
///
/// # Errors
/// [`Error::InvalidArgument`] for a table smaller than 2×2, a negative,
/// non-integer, NaN or infinite count, a zero row or column total (named),
/// or scores of the wrong length or not finite.
///
/// # Examples
/// ```
/// use huisverbod::stats::contingency::{chi2_test, Chi2Options};
/// use ndarray::array;
/// // [[10, 20], [30, 40]]: e = [[12, 18], [28, 42]],
/// // X² = 4/12 + 4/18 + 4/28 + 4/42 = 0.7936507936507936
/// let r = chi2_test(array![[10.0, 20.0], [30.0, 40.0]].view(), &Chi2Options::default()).unwrap();
/// assert!((r.pearson.statistic - 0.7936507936507936).abs() < 1e-15);
/// assert_eq!(r.pearson.df, Some(1.0));
/// ```
///
/// # References
/// - A. Agresti (2013), *Categorical Data Analysis*, 3rd ed., §3.2, §3.4.
/// - IBM SPSS Statistics Algorithms, CROSSTABS.
pub fn chi2_test(table: ndarray::ArrayView2<'_, f64>, options: &Chi2Options) -> Result<Chi2Test> {
    let ct = CountTable::from_view(table)?;
    ct.require_positive_margins()?;
    if !options.lambda.is_finite() {
        return Err(Error::InvalidArgument {
            name: "lambda_",
            reason: format!("must be finite, got {}", options.lambda),
        });
    }
    let (r, c) = (ct.rows, ct.cols);
    let n = ct.total as f64;
    let df = ((r - 1) * (c - 1)) as f64;
    let obs: Vec<f64> = ct.counts.iter().map(|&v| v as f64).collect();
    let expected: Vec<f64> = (0..r * c)
        .map(|k| (u128::from(ct.row_sums[k / c]) * u128::from(ct.col_sums[k % c])) as f64 / n)
        .collect();

    let pearson_stat = power_divergence(&obs, &expected, 1.0);
    let is_2x2 = r == 2 && c == 2;
    let yates_obs: Vec<f64> = obs
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| {
            let diff = e - o;
            let direction = if diff > 0.0 {
                1.0
            } else if diff < 0.0 {
                -1.0
            } else {
                0.0
            };
            o + f64::min(0.5, diff.abs()) * direction
        })
        .collect();
    let test = |stat: f64, df: f64, method: &str| TestResult {
        statistic: stat,
        pvalue: pvalue_chi2(stat, df),
        df: Some(df),
        alternative: Alternative::TwoSided,
        method: method.into(),
    };
    let pearson = test(pearson_stat, df, "Pearson chi-square");
    let yates = is_2x2.then(|| {
        test(
            power_divergence(&yates_obs, &expected, 1.0),
            df,
            "Pearson chi-square with Yates' continuity correction",
        )
    });
    let likelihood_ratio = test(
        power_divergence(&obs, &expected, 0.0),
        df,
        "likelihood-ratio chi-square (G-test)",
    );
    let main = {
        let o = if options.correction && is_2x2 {
            &yates_obs
        } else {
            &obs
        };
        let stat = power_divergence(o, &expected, options.lambda);
        let yates_used = options.correction && is_2x2;
        let name = if options.lambda == 1.0 && !yates_used {
            "Pearson chi-square".to_string()
        } else if options.lambda == 1.0 {
            "Pearson chi-square with Yates' continuity correction".into()
        } else if options.lambda == 0.0 && !yates_used {
            "likelihood-ratio chi-square (G-test)".into()
        } else {
            format!(
                "power-divergence chi-square (lambda = {}){}",
                options.lambda,
                if yates_used {
                    " with Yates' continuity correction"
                } else {
                    ""
                }
            )
        };
        test(stat, df, &name)
    };
    let m2 = linear_by_linear(
        &ct,
        options.row_scores.as_deref(),
        options.col_scores.as_deref(),
    )?;
    let linear_by_linear = test(m2, 1.0, "linear-by-linear association");

    let phi = if is_2x2 {
        let (a, b, cc, d) = (
            i128::from(ct.get(0, 0)),
            i128::from(ct.get(0, 1)),
            i128::from(ct.get(1, 0)),
            i128::from(ct.get(1, 1)),
        );
        let num = (a * d - b * cc) as f64;
        let rows = (u128::from(ct.row_sums[0]) * u128::from(ct.row_sums[1])) as f64;
        let cols = (u128::from(ct.col_sums[0]) * u128::from(ct.col_sums[1])) as f64;
        num / (rows * cols).sqrt()
    } else {
        (pearson_stat / n).sqrt()
    };
    let phi2 = pearson_stat / n;
    let cramers_v = (phi2 / (r.min(c) - 1) as f64).sqrt();

    let n_small = expected.iter().filter(|&&e| e < 5.0).count();
    let min_expected = expected.iter().copied().fold(f64::INFINITY, f64::min);
    let fisher = if is_2x2 {
        let t = [ct.get(0, 0), ct.get(0, 1), ct.get(1, 0), ct.get(1, 1)];
        fisher::pvalues_2x2(t).ok()
    } else {
        None
    };
    Ok(Chi2Test {
        main,
        pearson,
        yates,
        likelihood_ratio,
        linear_by_linear,
        fisher,
        expected,
        shape: (r, c),
        n,
        phi,
        cramers_v,
        small_expected: n_small as f64 > 0.2 * (r * c) as f64,
        n_small_expected: n_small,
        min_expected,
    })
}

/// The power-divergence statistic of `obs` against `exp` (scipy's
/// `power_divergence` terms; λ = 0 in the cancellation-free deviance form).
fn power_divergence(obs: &[f64], exp: &[f64], lambda: f64) -> f64 {
    let terms: Vec<f64> = if lambda == 1.0 {
        obs.iter()
            .zip(exp)
            .map(|(&o, &e)| {
                let d = o - e;
                d * d / e
            })
            .collect()
    } else if lambda == 0.0 {
        obs.iter()
            .zip(exp)
            .map(|(&o, &e)| 2.0 * bd0(o, e))
            .collect()
    } else if lambda == -1.0 {
        obs.iter()
            .zip(exp)
            .map(|(&o, &e)| {
                if e == 0.0 {
                    0.0
                } else {
                    2.0 * (e * (e / o).ln())
                }
            })
            .collect()
    } else {
        obs.iter()
            .zip(exp)
            .map(|(&o, &e)| o * ((o / e).powf(lambda) - 1.0) / (0.5 * lambda * (lambda + 1.0)))
            .collect()
    };
    numpy_sum(&terms)
}

/// `M² = (N − 1) r²` of the linear-by-linear association test.
#[allow(clippy::needless_range_loop)] // row/column indices address scores and margins alike
fn linear_by_linear(ct: &CountTable, rs: Option<&[f64]>, cs: Option<&[f64]>) -> Result<f64> {
    let default = |k: usize| (1..=k).map(|v| v as f64).collect::<Vec<f64>>();
    let u = rs.map_or_else(|| default(ct.rows), <[f64]>::to_vec);
    let v = cs.map_or_else(|| default(ct.cols), <[f64]>::to_vec);
    for (name, s, k) in [("row_scores", &u, ct.rows), ("col_scores", &v, ct.cols)] {
        if s.len() != k {
            return Err(Error::InvalidArgument {
                name,
                reason: format!("has {} scores for {k} categories", s.len()),
            });
        }
        if s.iter().any(|x| !x.is_finite()) {
            return Err(Error::InvalidArgument {
                name,
                reason: "must be finite".into(),
            });
        }
    }
    let n = ct.total as f64;
    let small_int = |s: &[f64]| s.iter().all(|&x| x == x.floor() && x.abs() <= 1_048_576.0);
    let (sxy, sxx, syy) = if small_int(&u) && small_int(&v) && ct.total < (1u64 << 40) {
        // Exact: N·Sxy = N Σ n u v − (Σ r u)(Σ c v), etc.
        let (mut su, mut sv, mut suu, mut svv, mut suv) = (0i128, 0i128, 0i128, 0i128, 0i128);
        for i in 0..ct.rows {
            let ui = u[i] as i128;
            let ri = i128::from(ct.row_sums[i]);
            su += ri * ui;
            suu += ri * ui * ui;
            for j in 0..ct.cols {
                suv += i128::from(ct.get(i, j)) * ui * (v[j] as i128);
            }
        }
        for j in 0..ct.cols {
            let vj = v[j] as i128;
            let cj = i128::from(ct.col_sums[j]);
            sv += cj * vj;
            svv += cj * vj * vj;
        }
        let nn = i128::from(ct.total);
        (
            (nn * suv - su * sv) as f64,
            (nn * suu - su * su) as f64,
            (nn * svv - sv * sv) as f64,
        )
    } else {
        let mu = (0..ct.rows)
            .map(|i| u[i] * ct.row_sums[i] as f64)
            .sum::<f64>()
            / n;
        let mv = (0..ct.cols)
            .map(|j| v[j] * ct.col_sums[j] as f64)
            .sum::<f64>()
            / n;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for i in 0..ct.rows {
            sxx += ct.row_sums[i] as f64 * (u[i] - mu).powi(2);
            for j in 0..ct.cols {
                sxy += ct.get(i, j) as f64 * (u[i] - mu) * (v[j] - mv);
            }
        }
        for j in 0..ct.cols {
            syy += ct.col_sums[j] as f64 * (v[j] - mv).powi(2);
        }
        (sxy, sxx, syy)
    };
    if sxx <= 0.0 || syy <= 0.0 {
        return Ok(f64::NAN);
    }
    Ok((n - 1.0) * (sxy * sxy / (sxx * syy)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn close(a: f64, b: f64, rtol: f64) -> bool {
        (a - b).abs() <= rtol * b.abs()
    }

    #[test]
    fn two_by_two_by_hand() {
        // [[10, 20], [30, 40]], N = 100, e = [[12, 18], [28, 42]], |o − e| = 2.
        // Pearson 4(1/12 + 1/18 + 1/28 + 1/42) = 0.793650793650...
        // Yates: |o' − e| = 1.5: 2.25/4 of Pearson = 0.446428571428...
        // phi = (400 − 600)/sqrt(30·70·40·60) = −200/sqrt(5040000) = −0.0890870806...
        let r = chi2_test(
            array![[10.0, 20.0], [30.0, 40.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap();
        assert!(close(r.pearson.statistic, 0.793_650_793_650_793_6, 1e-14));
        assert!(close(
            r.yates.as_ref().unwrap().statistic,
            0.793_650_793_650_793_6 * 0.5625,
            1e-14
        ));
        assert!(close(r.phi, -200.0 / 5_040_000f64.sqrt(), 1e-14));
        assert!(close(r.cramers_v, r.phi.abs(), 1e-12));
        // G = 2 Σ o ln(o/e).
        let g = 2.0
            * (10.0 * (10.0f64 / 12.0).ln()
                + 20.0 * (20.0f64 / 18.0).ln()
                + 30.0 * (30.0f64 / 28.0).ln()
                + 40.0 * (40.0f64 / 42.0).ln());
        assert!(close(r.likelihood_ratio.statistic, g, 1e-12));
        // Linear-by-linear on 2×2 = (N−1)/N · Pearson.
        assert!(close(
            r.linear_by_linear.statistic,
            0.99 * r.pearson.statistic,
            1e-13
        ));
        assert!(!r.small_expected);
        assert_eq!(r.main, r.pearson);
    }

    #[test]
    fn bad_tables_are_named() {
        let e = chi2_test(
            array![[1.0, 0.0], [2.0, 0.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("column 1 has a zero total"), "{e}");
        let e = chi2_test(
            array![[1.0, -1.0], [2.0, 3.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("negative"), "{e}");
        let e = chi2_test(
            array![[1.0, 0.5], [2.0, 3.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("non-integer"), "{e}");
        let e = chi2_test(
            array![[1.0, f64::NAN], [2.0, 3.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
        let e = chi2_test(array![[1.0, 2.0, 3.0]].view(), &Chi2Options::default()).unwrap_err();
        assert!(e.to_string().contains("at least 2 rows"), "{e}");
    }

    #[test]
    fn small_expected_flag() {
        // e = [[1.5, 1.5], [3.5, 3.5]]... all four cells below 5: flagged.
        let r = chi2_test(
            array![[2.0, 1.0], [3.0, 4.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap();
        assert!(r.small_expected);
        assert_eq!(r.n_small_expected, 4);
    }

    #[test]
    fn results_round_trip_through_json() {
        // serde_json (without float_roundtrip) may move the last bit of a float.
        let r = chi2_test(
            array![[12.0, 5.0, 9.0], [3.0, 14.0, 8.0]].view(),
            &Chi2Options::default(),
        )
        .unwrap();
        let back: Chi2Test = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!((back.shape, back.yates.is_none()), (r.shape, true));
        assert_eq!(back.likelihood_ratio.method, r.likelihood_ratio.method);
        assert!(close(
            back.likelihood_ratio.statistic,
            r.likelihood_ratio.statistic,
            1e-15
        ));
        assert!(close(back.expected[1], r.expected[1], 1e-15));
        let f = fisher::fisher_exact(
            array![[8.0, 2.0], [1.0, 5.0]].view(),
            Alternative::TwoSided,
            &fisher::FisherOptions::default(),
        )
        .unwrap();
        let back: fisher::FisherExact =
            serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(
            (back.method.as_str(), back.alternative),
            ("exact", Alternative::TwoSided)
        );
        assert!(close(back.pvalue, f.pvalue, 1e-15));
    }

    #[test]
    fn numpy_summation_order() {
        // 10 terms: 8 accumulators then the remainder, as numpy.
        let a: Vec<f64> = (0..10).map(|k| 0.1 * f64::from(k)).collect();
        let r = &a[..8];
        let expect =
            ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + a[8] + a[9];
        assert_eq!(numpy_sum(&a), expect);
    }
}
