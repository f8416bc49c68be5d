//! Contingency tables: Pearson, Yates, likelihood-ratio and linear-by-linear chi-square, Fisher's exact test, phi and Cramér's V.
