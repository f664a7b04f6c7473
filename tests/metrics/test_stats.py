"""Wilcoxon rank-sum and Bonferroni correction, checked against hand computations."""

import math

import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.metrics.stats import bonferroni, rank_sum_p


def test_bonferroni_hand_checked():
    # three real tests (the NaN is no test): m = 3
    adjusted = bonferroni(np.array([0.01, 0.04, 0.3, np.nan]))
    assert adjusted[:3] == pytest.approx([0.03, 0.12, 0.9])
    assert math.isnan(adjusted[3])
    assert bonferroni(np.array([0.5, 0.6])).tolist() == [1.0, 1.0]  # capped at 1


def test_bonferroni_rejects_non_probabilities():
    with pytest.raises(InputError, match="p-values"):
        bonferroni(np.array([0.2, 1.5]))


def test_rank_sum_fully_separated_samples_hand_checked():
    # n = m = 10, all of a below all of b: rank sum of a R = 55; under H0 E[R] = 105 and
    # Var[R] = n m (n + m + 1) / 12 = 175, so z = -50 / sqrt(175) and p = 2 Phi(z) = erfc(|z|/sqrt2)
    a, b = np.arange(10.0), np.arange(10.0) + 100
    z = 50 / math.sqrt(175)
    assert rank_sum_p(a, b) == pytest.approx(math.erfc(z / math.sqrt(2)))


def test_rank_sum_identical_samples_and_missing_values():
    a = np.array([0.3, 0.1, 0.2])
    assert rank_sum_p(a, a.copy()) == pytest.approx(1.0)
    assert math.isnan(rank_sum_p(np.array([np.nan]), a))
