//! Multiple testing: Bonferroni, Holm, Hochberg, Benjamini–Hochberg and Benjamini–Yekutieli adjusted p-values.
