"""Significance tests of Collell & Moens (ACL 2018): two-sided Wilcoxon tests, Bonferroni-corrected
for the number of tests in a table.

The paper names one test, the Wilcoxon rank-sum test, for two independent samples. Where the two
samples are paired (one value of each per item, as the per-item overlaps behind Table 1's
mNNO(f(X), X) and mNNO(f(X), Y)), the paired Wilcoxon signed-rank test is the one whose
assumptions hold; the tables that use the rank-sum test on paired values report the signed-rank
p-value beside it.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import ranksums, wilcoxon

from crossmodal.core.errors import InputError


def rank_sum_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Wilcoxon rank-sum p-value of independent samples ``a`` and ``b`` (scipy's
    ``ranksums``: normal approximation, no continuity correction); NaN when either sample is
    empty."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    return float(ranksums(a, b).pvalue)


def signed_rank_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of paired samples (``a[i]`` with ``b[i]``): zero
    differences are dropped (Wilcoxon's own rule); exact for up to 50 non-zero differences
    without ties, else the normal approximation (scipy's ``auto``). 1 when every difference is
    zero, NaN without pairs."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise InputError(f"paired samples differ in length: {a.shape} vs {b.shape}")
    keep = ~(np.isnan(a) | np.isnan(b))
    differences = a[keep] - b[keep]
    if len(differences) == 0:
        return float("nan")
    if not differences.any():
        return 1.0
    return float(wilcoxon(differences, zero_method="wilcox").pvalue)


def bonferroni(p_values: np.ndarray) -> np.ndarray:
    """Bonferroni-adjusted p-values min(1, m p) with m the number of tests (NaN p-values are no
    test: they stay NaN and do not count in m)."""
    p = np.asarray(p_values, dtype=float)
    if ((p < 0) | (p > 1)).any():
        raise InputError("p-values must lie in [0, 1]")
    m = int((~np.isnan(p)).sum())
    return np.minimum(p * m, 1.0)
