//! Power and sample size for two proportions, two means and the log-rank test (Schoenfeld).
