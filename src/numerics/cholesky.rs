//! LDLᵀ (square-root-free Cholesky) factorisation of a symmetric positive
//! semi-definite matrix, with a pivot tolerance.
//!
//! ```text
//! A = L · D · Lᵀ,   L unit lower triangular,  D = diag(d₁ … dₙ)
//!
//! for i = 1 … n:
//!     dᵢ = a_ii − Σ_{k<i} l_ik² d_k
//!     if dᵢ < tol · max_j a_jj  (or not finite):  dᵢ = 0, column i of L = 0   (singular)
//!     else: l_ji = (a_ji − Σ_{k<i} l_jk l_ik d_k) / dᵢ   for j > i
//! ```
//!
//! A singular pivot drops its variable: solves return 0 in that position and
//! the inverse has a zero row and column there, which makes the result a
//! generalised inverse of `A` (the inverse of the non-singular sub-matrix,
//! padded with zeros). This is how R's `survival` package treats an aliased
//! covariate (`cholesky2`/`chsolve2`/`chinv2`); statsmodels and lifelines
//! stop with an error instead.
//!
//! Cost: `n³/6` multiply-adds to factor, `n²` per solve, `n³` for the inverse.

use crate::{Error, Result};

/// An LDLᵀ factorisation with a pivot tolerance (see the module docs).
///
/// # Examples
/// ```
/// use huisverbod::numerics::Cholesky;
/// // A = [[4, 2], [2, 3]]: A⁻¹ = [[3, -2], [-2, 4]] / 8
/// let c = Cholesky::new(&[4.0, 2.0, 2.0, 3.0], 2, 1e-12)?;
/// assert_eq!(c.rank(), 2);
/// let inv = c.inverse();
/// assert!((inv[0] - 0.375).abs() < 1e-15 && (inv[1] + 0.25).abs() < 1e-15);
/// let x = c.solve(&[2.0, 1.0]); // A x = b  →  x = (0.5, 0)
/// assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15);
/// # Ok::<(), huisverbod::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Cholesky {
    n: usize,
    /// Row-major: strictly lower part holds L, the diagonal holds D.
    l: Vec<f64>,
    rank: usize,
    singular: Vec<bool>,
    negative: bool,
}

impl Cholesky {
    /// Factors the symmetric `n × n` matrix `a` (row-major; only the lower
    /// triangle is read). Pivots below `tol · max(diag(a))` count as singular.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `a.len() != n²`, when `tol` is not in
    /// `[0, 1)` or when `a` holds a `NaN`.
    pub fn new(a: &[f64], n: usize, tol: f64) -> Result<Self> {
        if a.len() != n * n {
            return Err(Error::InvalidArgument {
                name: "a",
                reason: format!("has {} elements, expected {n}² = {}", a.len(), n * n),
            });
        }
        if !(0.0..1.0).contains(&tol) {
            return Err(Error::InvalidArgument {
                name: "tol",
                reason: format!("must lie in [0, 1), got {tol}"),
            });
        }
        if let Some(i) = a.iter().position(|v| v.is_nan()) {
            return Err(Error::InvalidArgument {
                name: "a",
                reason: format!("has NaN at row {}, column {}", i / n, i % n),
            });
        }
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                l[i * n + j] = a[i * n + j];
            }
        }
        let mut eps =
            (0..n).map(|i| a[i * n + i]).fold(
                0.0_f64,
                |m, d| {
                    if d.is_finite() && d > m {
                        d
                    } else {
                        m
                    }
                },
            );
        eps = if eps == 0.0 { tol } else { eps * tol };
        let mut rank = 0;
        let mut singular = vec![false; n];
        let mut negative = false;
        for i in 0..n {
            let pivot = l[i * n + i];
            if !pivot.is_finite() || pivot < eps || pivot <= 0.0 {
                if pivot < -8.0 * eps {
                    negative = true;
                }
                singular[i] = true;
                l[i * n + i] = 0.0;
                for k in i + 1..n {
                    l[k * n + i] = 0.0;
                }
                continue;
            }
            rank += 1;
            for j in i + 1..n {
                let lji = l[j * n + i];
                let temp = lji / pivot;
                l[j * n + i] = temp;
                l[j * n + j] -= temp * lji;
                for k in j + 1..n {
                    // l[k][i] is still unscaled here (scaled when j reaches k).
                    l[k * n + j] -= temp * l[k * n + i];
                }
            }
        }
        Ok(Cholesky {
            n,
            l,
            rank,
            singular,
            negative,
        })
    }

    /// The dimension `n`.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// The number of non-singular pivots.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Which variables were dropped as singular.
    pub fn singular(&self) -> &[bool] {
        &self.singular
    }

    /// Whether a pivot was clearly negative (the matrix is not positive
    /// semi-definite; R's `cholesky2` returns a negative rank then).
    pub fn is_indefinite(&self) -> bool {
        self.negative
    }

    /// Whether every pivot was accepted (full rank, positive definite).
    pub fn is_positive_definite(&self) -> bool {
        self.rank == self.n && !self.negative
    }

    /// The pivots `d₁ … dₙ` (0 where singular).
    pub fn pivots(&self) -> Vec<f64> {
        (0..self.n).map(|i| self.l[i * self.n + i]).collect()
    }

    /// Solves `A x = b` in place (generalised: `x` is 0 at singular positions).
    ///
    /// # Panics
    /// When `b.len() != n` (a programming error, not a data error).
    pub fn solve_in_place(&self, b: &mut [f64]) {
        let n = self.n;
        assert_eq!(b.len(), n, "right-hand side has the wrong length");
        let l = &self.l;
        // L y = b
        for i in 0..n {
            let row = &l[i * n..i * n + i];
            let s: f64 = row.iter().zip(&b[..i]).map(|(a, y)| a * y).sum();
            b[i] -= s;
        }
        // D z = y
        for i in 0..n {
            let d = l[i * n + i];
            b[i] = if d == 0.0 { 0.0 } else { b[i] / d };
        }
        // Lᵀ x = z
        for i in (0..n).rev() {
            let mut s = b[i];
            for k in i + 1..n {
                s -= l[k * n + i] * b[k];
            }
            b[i] = if self.singular[i] { 0.0 } else { s };
        }
    }

    /// Solves `A x = b` (generalised: `x` is 0 at singular positions).
    ///
    /// # Panics
    /// When `b.len() != n`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut x = b.to_vec();
        self.solve_in_place(&mut x);
        x
    }

    /// The (generalised) inverse, row-major `n × n`, with zero rows and
    /// columns at singular positions.
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inv = vec![0.0; n * n];
        let mut e = vec![0.0; n];
        for j in 0..n {
            if self.singular[j] {
                continue;
            }
            e.iter_mut().for_each(|v| *v = 0.0);
            e[j] = 1.0;
            self.solve_in_place(&mut e);
            for i in 0..n {
                inv[i * n + j] = e[i];
            }
        }
        // Symmetrise: the two triangles agree to rounding; average them.
        for i in 0..n {
            for j in 0..i {
                let m = 0.5 * (inv[i * n + j] + inv[j * n + i]);
                inv[i * n + j] = m;
                inv[j * n + i] = m;
            }
        }
        inv
    }

    /// The quadratic form `bᵀ A⁻ b` with the generalised inverse.
    ///
    /// # Panics
    /// When `b.len() != n`.
    pub fn quad_form_inv(&self, b: &[f64]) -> f64 {
        let x = self.solve(b);
        x.iter().zip(b).map(|(a, c)| a * c).sum()
    }
}

/// Solves `A x = b` for a symmetric positive-definite `A` (row-major `n × n`).
///
/// # Errors
/// [`Error::InvalidArgument`] when the shapes disagree, `A` holds `NaN`, or
/// `A` is singular or indefinite at the default tolerance
/// [`super::TOLER_CHOL`].
pub fn solve_spd(a: &[f64], n: usize, b: &[f64]) -> Result<Vec<f64>> {
    let c = spd(a, n)?;
    if b.len() != n {
        return Err(Error::InvalidArgument {
            name: "b",
            reason: format!("has length {}, expected {n}", b.len()),
        });
    }
    Ok(c.solve(b))
}

/// The inverse of a symmetric positive-definite `A` (row-major `n × n`).
///
/// # Errors
/// As [`solve_spd`].
pub fn inverse_spd(a: &[f64], n: usize) -> Result<Vec<f64>> {
    Ok(spd(a, n)?.inverse())
}

fn spd(a: &[f64], n: usize) -> Result<Cholesky> {
    let c = Cholesky::new(a, n, super::TOLER_CHOL)?;
    if !c.is_positive_definite() {
        let which: Vec<usize> = (0..n).filter(|&i| c.singular[i]).collect();
        return Err(Error::InvalidArgument {
            name: "a",
            reason: format!(
                "is not positive definite (singular or negative pivot at {:?})",
                which
            ),
        });
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for k in 0..n {
                for j in 0..n {
                    c[i * n + j] += a[i * n + k] * b[k * n + j];
                }
            }
        }
        c
    }

    #[test]
    fn inverse_identity_on_random_spd() {
        // A = Bᵀ B + I for a fixed B: positive definite. Check A · A⁻¹ = I.
        let n = 6;
        let b: Vec<f64> = (0..n * n)
            .map(|k| ((k * 7919 % 101) as f64 / 50.0) - 1.0)
            .collect();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| b[k * n + i] * b[k * n + j]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 };
            }
        }
        let inv = inverse_spd(&a, n).unwrap();
        let id = matmul(&a, &inv, n);
        for i in 0..n {
            for j in 0..n {
                let e = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (id[i * n + j] - e).abs() < 1e-12,
                    "{i},{j}: {}",
                    id[i * n + j]
                );
            }
        }
    }

    #[test]
    fn singular_column_is_dropped() {
        // Column 2 = column 0 + column 1: rank 2. The generalised inverse is
        // the inverse of the leading 2×2 block [[2,1],[1,2]]⁻¹ = [[2,-1],[-1,2]]/3.
        let a = [2.0, 1.0, 3.0, 1.0, 2.0, 3.0, 3.0, 3.0, 6.0];
        let c = Cholesky::new(&a, 3, 1e-10).unwrap();
        assert_eq!(c.rank(), 2);
        assert_eq!(c.singular(), &[false, false, true]);
        let inv = c.inverse();
        let want = [
            2.0 / 3.0,
            -1.0 / 3.0,
            0.0,
            -1.0 / 3.0,
            2.0 / 3.0,
            0.0,
            0.0,
            0.0,
            0.0,
        ];
        for (x, w) in inv.iter().zip(want) {
            assert!((x - w).abs() < 1e-14);
        }
        assert!(inverse_spd(&a, 3).is_err());
        // A zero matrix: rank 0, inverse 0.
        let z = Cholesky::new(&[0.0; 4], 2, 1e-10).unwrap();
        assert_eq!(z.rank(), 0);
        assert_eq!(z.inverse(), vec![0.0; 4]);
    }

    #[test]
    fn indefinite_and_bad_input() {
        let c = Cholesky::new(&[1.0, 2.0, 2.0, 1.0], 2, 1e-12).unwrap();
        assert!(c.is_indefinite());
        assert!(Cholesky::new(&[1.0, f64::NAN, f64::NAN, 1.0], 2, 1e-12).is_err());
        assert!(Cholesky::new(&[1.0], 2, 1e-12).is_err());
        assert!(Cholesky::new(&[1.0], 1, 2.0).is_err());
        assert!(solve_spd(&[1.0], 1, &[1.0, 2.0]).is_err());
        // quad form: bᵀ A⁻¹ b with A = diag(2, 4), b = (2, 2): 4/2 + 4/4 = 3
        let d = Cholesky::new(&[2.0, 0.0, 0.0, 4.0], 2, 1e-12).unwrap();
        assert!((d.quad_form_inv(&[2.0, 2.0]) - 3.0).abs() < 1e-15);
    }
}
