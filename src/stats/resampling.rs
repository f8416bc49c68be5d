//! Resampling: permutation tests and bootstrap intervals, seeded and identical whatever the thread count.
