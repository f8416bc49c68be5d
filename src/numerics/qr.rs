//! Least squares by a QR factorisation accumulated with Givens rotations,
//! row by row, so that a tall matrix never has to be copied or held whole.
//!
//! ```text
//! [X | y] = Q · [R | z]      R upper triangular p × p, z = Qᵀy (first p entries)
//! β̂ = R⁻¹ z,     (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ,     RSS = ‖y‖² − ‖z‖² = Σ (left-over y parts)²
//!
//! adding a row (x, y):  for j = 1 … p, rotate row j of [R | z] with (x, y) so
//!                       that x_j becomes 0:
//!     r = √(R_jj² + x_j²),  c = R_jj / r,  s = x_j / r
//!     (R_jk, x_k) ← (c·R_jk + s·x_k, −s·R_jk + c·x_k)     k = j … p (and y)
//!     the y part left over after the p rotations adds its square to RSS.
//! ```
//!
//! Two accumulators over disjoint row sets merge by rotating the rows of one
//! `[R | z]` into the other (the R of the stacked matrix), which is how the
//! work is split over threads ("tall-skinny QR"): each chunk of rows gets its
//! own accumulator and the chunk results are merged in a fixed order, so the
//! result does not depend on the number of threads.
//!
//! Accuracy is that of Householder QR (Golub & Van Loan §5.1.8–5.1.9, §5.3):
//! the error of β̂ grows with κ(X), not κ(X)², unlike the normal equations.
//! Cost: about 3·p² flops per row.
//!
//! Rank: a column that is (numerically) a linear combination of the columns
//! before it leaves a diagonal element `|R_jj| ≤ tol · ‖x_j‖`; see
//! [`QrUpdate::deficient_columns`].

use rayon::prelude::*;

/// Rows per chunk in [`QrUpdate::from_rows_parallel`].
pub const QR_CHUNK_ROWS: usize = 4096;

/// Relative tolerance on `|R_jj| / ‖x_j‖` below which a column counts as a
/// linear combination of the earlier ones (about `ε^0.56`; R's `lm` uses a
/// pivoted QR with `tol = 1e-7`, which is looser).
pub const QR_RANK_TOL: f64 = 1e-9;

/// A Givens-rotation QR factorisation of `[X | y]` built row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct QrUpdate {
    p: usize,
    /// Row-major `p × (p + 1)`: `R` in the upper triangle, `z` in the last column.
    r: Vec<f64>,
    rss: f64,
    col_ss: Vec<f64>,
    rows: usize,
}

impl QrUpdate {
    /// An empty factorisation of `p` columns (plus one right-hand side).
    pub fn new(p: usize) -> Self {
        QrUpdate {
            p,
            r: vec![0.0; p * (p + 1)],
            rss: 0.0,
            col_ss: vec![0.0; p],
            rows: 0,
        }
    }

    /// The number of columns `p`.
    pub fn dim(&self) -> usize {
        self.p
    }

    /// The number of rows added (merged accumulators add up).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds one row `x` (length `p`) with response `y` and weight `w ≥ 0`
    /// (the row enters as `√w · (x, y)`: weighted least squares).
    ///
    /// # Panics
    /// When `x.len() != p` (a programming error).
    pub fn add_row(&mut self, x: &[f64], y: f64, w: f64) {
        let p = self.p;
        assert_eq!(x.len(), p, "row has the wrong length");
        let sw = w.sqrt();
        let mut row: Vec<f64> = Vec::with_capacity(p + 1);
        row.extend(x.iter().map(|v| v * sw));
        row.push(y * sw);
        for (s, v) in self.col_ss.iter_mut().zip(&row) {
            *s += v * v;
        }
        self.rotate_in(&mut row);
        self.rows += 1;
    }

    /// Rotates an augmented row (length `p + 1`) into `[R | z]`; adds the
    /// left-over y part to RSS.
    fn rotate_in(&mut self, row: &mut [f64]) {
        let p = self.p;
        let m = p + 1;
        for j in 0..p {
            let xj = row[j];
            if xj == 0.0 {
                continue;
            }
            let rjj = self.r[j * m + j];
            // √(a² + b²) directly (hypot is several times slower); hypot
            // only when the squares overflow.
            let mut h = (rjj * rjj + xj * xj).sqrt();
            if !h.is_finite() {
                h = rjj.hypot(xj);
            }
            let c = rjj / h;
            let s = xj / h;
            self.r[j * m + j] = h;
            row[j] = 0.0;
            let rrow = &mut self.r[j * m + j + 1..(j + 1) * m];
            for (rk, xk) in rrow.iter_mut().zip(&mut row[j + 1..]) {
                let t = *rk;
                *rk = c * t + s * *xk;
                *xk = c * *xk - s * t;
            }
        }
        self.rss += row[p] * row[p];
    }

    /// Merges another accumulator (over other rows) into this one.
    ///
    /// # Panics
    /// When the dimensions differ.
    pub fn merge(&mut self, other: &QrUpdate) {
        assert_eq!(self.p, other.p, "merging factorisations of different width");
        let m = self.p + 1;
        let mut row = vec![0.0; m];
        for j in 0..self.p {
            row.copy_from_slice(&other.r[j * m..(j + 1) * m]);
            self.rotate_in(&mut row);
        }
        self.rss += other.rss;
        for (a, b) in self.col_ss.iter_mut().zip(&other.col_ss) {
            *a += b;
        }
        self.rows += other.rows;
    }

    /// Factorises the row-major `n × p` matrix `x` with response `y` and
    /// optional weights, splitting the rows over the rayon thread pool in
    /// chunks of [`QR_CHUNK_ROWS`] and merging in chunk order
    /// (deterministic for any number of threads).
    ///
    /// # Panics
    /// When the lengths do not match `n × p` (a programming error).
    pub fn from_rows_parallel(x: &[f64], p: usize, y: &[f64], w: Option<&[f64]>) -> QrUpdate {
        let n = y.len();
        assert_eq!(x.len(), n * p, "x must have n · p elements");
        if let Some(w) = w {
            assert_eq!(w.len(), n, "weights must have n elements");
        }
        let chunks: Vec<QrUpdate> = (0..n.div_ceil(QR_CHUNK_ROWS.max(1)))
            .into_par_iter()
            .map(|c| {
                let lo = c * QR_CHUNK_ROWS;
                let hi = (lo + QR_CHUNK_ROWS).min(n);
                let mut acc = QrUpdate::new(p);
                for i in lo..hi {
                    let wi = w.map_or(1.0, |w| w[i]);
                    acc.add_row(&x[i * p..(i + 1) * p], y[i], wi);
                }
                acc
            })
            .collect();
        let mut it = chunks.into_iter();
        let mut acc = it.next().unwrap_or_else(|| QrUpdate::new(p));
        for c in it {
            acc.merge(&c);
        }
        acc
    }

    /// The residual sum of squares of the least-squares fit.
    pub fn rss(&self) -> f64 {
        self.rss
    }

    /// The upper-triangular `R`, row-major `p × p`.
    pub fn r(&self) -> Vec<f64> {
        let p = self.p;
        let m = p + 1;
        let mut out = vec![0.0; p * p];
        for i in 0..p {
            out[i * p + i..(i + 1) * p].copy_from_slice(&self.r[i * m + i..i * m + p]);
        }
        out
    }

    /// `z = Qᵀy` (the first `p` entries).
    pub fn qty(&self) -> Vec<f64> {
        let m = self.p + 1;
        (0..self.p).map(|i| self.r[i * m + self.p]).collect()
    }

    /// The weighted sum of squares `Σ w·x_j²` of each column.
    pub fn column_ss(&self) -> &[f64] {
        &self.col_ss
    }

    /// Columns that are (numerically) linear combinations of the columns
    /// before them: `|R_jj| ≤ tol · ‖x_j‖` (an all-zero column included).
    pub fn deficient_columns(&self, tol: f64) -> Vec<usize> {
        let m = self.p + 1;
        (0..self.p)
            .filter(|&j| {
                let d = self.r[j * m + j].abs();
                let norm = self.col_ss[j].sqrt();
                d.is_nan() || d <= tol * norm || norm == 0.0
            })
            .collect()
    }

    /// For a deficient column `j`: the coefficients `c` with
    /// `x_j ≈ Σ_{k<j} c_k x_k` over the non-deficient earlier columns
    /// (`keep[k]`), by back-substitution in the leading block of `R`.
    pub fn combination(&self, j: usize, keep: &[bool]) -> Vec<f64> {
        let m = self.p + 1;
        let idx: Vec<usize> = (0..j).filter(|&k| keep[k]).collect();
        let mut c = vec![0.0; j];
        // Solve R[idx, idx] c = R[idx, j] (upper triangular in idx order).
        for a in (0..idx.len()).rev() {
            let k = idx[a];
            let mut s = self.r[k * m + j];
            for &l in &idx[a + 1..] {
                s -= self.r[k * m + l] * c[l];
            }
            c[k] = s / self.r[k * m + k];
        }
        c
    }

    /// The least-squares coefficients `R⁻¹ z` (NaN where `R_jj = 0`).
    pub fn solve(&self) -> Vec<f64> {
        let p = self.p;
        let m = p + 1;
        let mut b = self.qty();
        for i in (0..p).rev() {
            let row = &self.r[i * m + i + 1..i * m + p];
            let s: f64 = row.iter().zip(&b[i + 1..]).map(|(r, v)| r * v).sum();
            b[i] = (b[i] - s) / self.r[i * m + i];
        }
        b
    }

    /// `R⁻¹` (upper triangular), row-major `p × p`.
    pub fn r_inverse(&self) -> Vec<f64> {
        let p = self.p;
        let m = p + 1;
        let mut inv = vec![0.0; p * p];
        for j in 0..p {
            // column j of R⁻¹: solve R v = e_j
            inv[j * p + j] = 1.0 / self.r[j * m + j];
            for i in (0..j).rev() {
                let mut s = 0.0;
                for k in i + 1..=j {
                    s += self.r[i * m + k] * inv[k * p + j];
                }
                inv[i * p + j] = -s / self.r[i * m + i];
            }
        }
        inv
    }

    /// `(XᵀWX)⁻¹ = R⁻¹ R⁻ᵀ`, row-major `p × p` (symmetric).
    pub fn unscaled_cov(&self) -> Vec<f64> {
        let p = self.p;
        let ri = self.r_inverse();
        let mut c = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..=i {
                // Σ_k Ri[i,k] Ri[j,k], k ≥ max(i, j) = i
                let s: f64 = (i..p).map(|k| ri[i * p + k] * ri[j * p + k]).sum();
                c[i * p + j] = s;
                c[j * p + i] = s;
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_fit_by_hand() {
        // y = 1 + 2x exactly at x = 0, 1, 2, plus one point off the line:
        // x = (0, 1, 2, 3), y = (1, 3, 5, 8). Normal equations:
        // XᵀX = [[4, 6], [6, 14]] (det 20), Xᵀy = [17, 37];
        // β = (XᵀX)⁻¹Xᵀy: β0 = (14·17 − 6·37)/20 = (238 − 222)/20 = 0.8,
        //                 β1 = (4·37 − 6·17)/20 = (148 − 102)/20 = 2.3.
        // Residuals: 1−0.8=0.2, 3−3.1=−0.1, 5−5.4=−0.4, 8−7.7=0.3 → RSS = 0.30.
        let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
        let y = [1.0, 3.0, 5.0, 8.0];
        let q = QrUpdate::from_rows_parallel(&x, 2, &y, None);
        let b = q.solve();
        assert!((b[0] - 0.8).abs() < 1e-14 && (b[1] - 2.3).abs() < 1e-14);
        assert!((q.rss() - 0.30).abs() < 1e-14);
        // (XᵀX)⁻¹ = [[14, −6], [−6, 4]] / 20
        let c = q.unscaled_cov();
        assert!((c[0] - 0.7).abs() < 1e-14 && (c[1] + 0.3).abs() < 1e-14);
        assert!((c[3] - 0.2).abs() < 1e-14);
        assert!(q.deficient_columns(QR_RANK_TOL).is_empty());
    }

    #[test]
    fn merge_equals_sequential_and_detects_collinearity() {
        let n = 10_000;
        let p = 4;
        let mut x = Vec::with_capacity(n * p);
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let a = ((i * 7919) % 1013) as f64 / 100.0;
            let b = ((i * 104_729) % 997) as f64 / 50.0;
            // column 3 = 2·a − b: exactly collinear
            x.extend_from_slice(&[1.0, a, b, 2.0 * a - b]);
            y.push(1.0 + 0.5 * a - 0.25 * b + ((i % 13) as f64 - 6.0) / 10.0);
        }
        let q = QrUpdate::from_rows_parallel(&x, p, &y, None);
        assert_eq!(q.rows(), n);
        assert_eq!(q.deficient_columns(QR_RANK_TOL), vec![3]);
        // Without the collinear column: chunked-and-merged equals row by row.
        let x3: Vec<f64> = (0..n).flat_map(|i| x[i * p..i * p + 3].to_vec()).collect();
        let q3 = QrUpdate::from_rows_parallel(&x3, 3, &y, None);
        let mut s = QrUpdate::new(3);
        for i in 0..n {
            s.add_row(&x3[i * 3..(i + 1) * 3], y[i], 1.0);
        }
        assert!((q3.rss() - s.rss()).abs() <= 1e-10 * s.rss());
        let (a, b) = (q3.solve(), s.solve());
        assert!(a
            .iter()
            .zip(&b)
            .all(|(u, v)| (u - v).abs() <= 1e-12 * (1.0 + v.abs())));
        let c = q.combination(3, &[true, true, true, false]);
        assert!(c[0].abs() < 1e-9 && (c[1] - 2.0).abs() < 1e-9 && (c[2] + 1.0).abs() < 1e-9);
    }

    #[test]
    fn weights_equal_repeated_rows() {
        // weight 2 on a row equals the row twice.
        let x = [1.0, 0.5, 1.0, 1.5, 1.0, 3.0];
        let y = [1.0, 2.0, 2.5];
        let w = [2.0, 1.0, 1.0];
        let q = QrUpdate::from_rows_parallel(&x, 2, &y, Some(&w));
        let x2 = [1.0, 0.5, 1.0, 0.5, 1.0, 1.5, 1.0, 3.0];
        let y2 = [1.0, 1.0, 2.0, 2.5];
        let q2 = QrUpdate::from_rows_parallel(&x2, 2, &y2, None);
        let (a, b) = (q.solve(), q2.solve());
        assert!((a[0] - b[0]).abs() < 1e-14 && (a[1] - b[1]).abs() < 1e-14);
        assert!((q.rss() - q2.rss()).abs() < 1e-14);
    }
}
