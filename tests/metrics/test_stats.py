"""Wilcoxon rank-sum and signed-rank tests and Bonferroni correction, checked against hand
computations."""

import math

import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.metrics.stats import bonferroni, rank_sum_p, signed_rank_p


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


def test_rank_sum_three_against_three_hand_checked():
    # a below b: rank sum of a R = 6, E[R] = 10.5, Var[R] = 5.25, p = erfc(4.5 / sqrt(10.5))
    p = rank_sum_p(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
    assert p == pytest.approx(math.erfc(4.5 / math.sqrt(10.5)))
    assert p == pytest.approx(0.04953, abs=1e-5)


def test_signed_rank_hand_checked():
    # differences 1, 2, 3, 4, 5, all positive: of the 2^5 equally likely sign patterns under H0
    # only this one and its mirror are as extreme, so the exact two-sided p = 2 / 32
    after = np.array([11.0, 12.0, 13.0, 14.0, 15.0])
    assert signed_rank_p(after, after - [1, 2, 3, 4, 5]) == pytest.approx(2 / 32)
    # differences 1, -2, 3, 4, 5: W- = 2; patterns with W- <= 2 are {}, {1}, {2}: p = 2 * 3 / 32
    assert signed_rank_p(np.array([1.0, -2, 3, 4, 5]), np.zeros(5)) == pytest.approx(6 / 32)
    # zero differences are dropped (Wilcoxon): the same p with two ties added
    with_ties = signed_rank_p(np.array([1.0, -2, 3, 4, 5, 7, 7]), np.array([0, 0, 0, 0, 0, 7, 7]))
    assert with_ties == pytest.approx(6 / 32)


def test_signed_rank_is_paired_where_rank_sum_is_not():
    # each item's second value is its first plus 0.1: the samples overlap almost entirely
    # (rank-sum sees no difference) but every pair moves the same way (signed-rank does)
    rng = np.random.default_rng(0)
    first = rng.standard_normal(30)
    assert rank_sum_p(first, first + 0.1) > 0.3
    assert signed_rank_p(first, first + 0.1) < 1e-5


def test_signed_rank_edge_cases():
    assert signed_rank_p(np.ones(4), np.ones(4)) == 1.0  # no difference at all
    assert math.isnan(signed_rank_p(np.array([np.nan]), np.array([1.0])))
    with pytest.raises(InputError, match="paired samples"):
        signed_rank_p(np.ones(3), np.ones(4))
