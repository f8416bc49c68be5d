//! Two means: t-tests (pooled and Welch), Levene's test, Mann–Whitney U, Cohen's d and Hedges' g.
