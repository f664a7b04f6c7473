"""Significance tests of Collell & Moens' Experiment 2: two-sided Wilcoxon rank-sum tests,
Bonferroni-corrected for the number of tests in the table."""

from __future__ import annotations

import numpy as np
from scipy.stats import ranksums

from crossmodal.core.errors import InputError


def rank_sum_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Wilcoxon rank-sum p-value of samples ``a`` and ``b`` (scipy's normal
    approximation); NaN when either sample is empty."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    return float(ranksums(a, b).pvalue)


def bonferroni(p_values: np.ndarray) -> np.ndarray:
    """Bonferroni-adjusted p-values min(1, m p) with m the number of tests (NaN p-values are no
    test: they stay NaN and do not count in m)."""
    p = np.asarray(p_values, dtype=float)
    if ((p < 0) | (p > 1)).any():
        raise InputError("p-values must lie in [0, 1]")
    m = int((~np.isnan(p)).sum())
    return np.minimum(p * m, 1.0)
