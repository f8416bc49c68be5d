//! Proportions: Wilson, Clopper–Pearson, Agresti–Coull and Jeffreys intervals; two proportions (difference, risk ratio, odds ratio).
