//! A seeded random stream with the few draws the construction needs.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A ChaCha8 stream: the same seed gives the same draws on every platform.
pub(crate) struct Draw(ChaCha8Rng);

impl Draw {
    pub fn new(seed: u64) -> Draw {
        Draw(ChaCha8Rng::seed_from_u64(seed))
    }
    /// Uniform on [0, 1) with 53 random bits.
    pub fn u(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform on 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.u() * n as f64) as usize).min(n.saturating_sub(1))
    }
    /// Uniform on lo..=hi.
    pub fn int(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i32
    }
    pub fn bern(&mut self, p: f64) -> bool {
        self.u() < p
    }
    /// An approximately normal draw (sum of 12 uniforms).
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..12).map(|_| self.u()).sum();
        mean + sd * (s - 6.0)
    }
    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
    /// The values with the given multiplicities, in random order.
    pub fn deal<T: Clone>(&mut self, items: &[(T, usize)]) -> Vec<T> {
        let mut v: Vec<T> = items
            .iter()
            .flat_map(|(x, n)| std::iter::repeat_n(x.clone(), *n))
            .collect();
        self.shuffle(&mut v);
        v
    }
}
