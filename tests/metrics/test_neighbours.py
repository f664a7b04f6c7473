"""Exact kNN and mNNO against scikit-learn's brute-force NearestNeighbors on random data."""

import numpy as np
import pytest
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

from crossmodal.core.errors import InputError
from crossmodal.metrics import neighbours
from crossmodal.metrics.neighbours import (
    expected_precision,
    knn_within,
    match_ranks,
    mnno,
    neighbour_lists,
    overlap_counts,
)


def sklearn_neighbours(data: np.ndarray, k: int, metric: str, include_self: bool) -> np.ndarray:
    """Brute-force reference: querying the fitted set returns each item first (distance 0)."""
    search = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(data)
    indices = search.kneighbors(data, return_distance=False)
    assert (indices[:, 0] == np.arange(len(data))).all()  # continuous data: no ties with self
    return indices[:, :k] if include_self else indices[:, 1:]


def reference_mnno(v, z, k, metric, include_self=False):
    nv = sklearn_neighbours(v, k, metric, include_self)
    nz = sklearn_neighbours(z, k, metric, include_self)
    return np.mean([len(set(a) & set(b)) for a, b in zip(nv, nz, strict=True)]) / k


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    return rng.standard_normal((300, 40)), rng.standard_normal((300, 25))


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("block", [2048, 7])
def test_match_ranks_counts_duplicate_targets_as_ties(metric, block, monkeypatch):
    """Float32 products of equal targets differ in the last bits (BLAS sums them in another
    order by column); the float64 re-score makes them exact ties, and nothing else changes."""
    monkeypatch.setattr(neighbours, "_BLOCK", block)
    rng = np.random.default_rng(4)
    targets = rng.standard_normal((200, 64)).astype(np.float32)
    targets[[20, 90, 150]] = targets[7]
    queries = targets + 0.3 * rng.standard_normal(targets.shape).astype(np.float32)
    closer, tied = match_ranks(queries, targets, metric)
    duplicates = [7, 20, 90, 150]
    assert (tied[duplicates] == 3).all() and tied.sum() == 12
    distances = pairwise_distances(queries.astype(np.float64), targets, metric=metric)
    expected = (distances < distances.diagonal()[:, None] - 1e-9).sum(axis=1)
    assert (closer == expected).all()


def test_expected_precision_of_ties_is_that_of_a_random_order():
    closer, tied = np.array([0, 0, 2, 5]), np.array([0, 3, 1, 0])
    # query 1: its target shares the first 4 places (1/4 at K=1, 3/4 at K=3); query 2: places
    # 3-4 (1/2 at K=3); query 3: place 6
    assert expected_precision(closer, tied, 1) == pytest.approx((1 + 1 / 4) / 4)
    assert expected_precision(closer, tied, 3) == pytest.approx((1 + 3 / 4 + 1 / 2) / 4)
    assert expected_precision(closer, tied, 6) == 1.0
    assert expected_precision(np.zeros(4, int), np.zeros(4, int), 1) == 1.0
    with pytest.raises(InputError):
        expected_precision(closer, tied, 0)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("block", [2048, 37])
def test_knn_matches_sklearn_brute_force(data, metric, block, monkeypatch):
    monkeypatch.setattr(neighbours, "_BLOCK", block)  # 37 exercises many off-diagonal blocks
    v, _ = data
    ours = knn_within(v, 10, metric)
    assert (ours == sklearn_neighbours(v, 10, metric, include_self=False)).all()
    assert not (ours == np.arange(len(v))[:, None]).any()  # an item is never its own neighbour


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_mnno_matches_brute_force_reference(data, metric):
    v, z = data
    # partly related sets, so that the score is neither 0 nor 1
    z = np.hstack([v[:, :10] + 0.5 * z[:, :10], z])
    value = mnno(v, z, k=10, metric=metric)
    assert value == pytest.approx(reference_mnno(v, z, 10, metric))
    assert 0.05 < value < 0.95


def test_released_code_convention_is_the_documented_shift(data):
    """Collell's code counts the item itself; that score is (1 + (K-1) mNNO^{K-1}) / K."""
    v, z = data
    z = np.hstack([v[:, :10] + 0.5 * z[:, :10], z])
    with_self = reference_mnno(v, z, 10, "cosine", include_self=True)
    assert with_self == pytest.approx((1 + 9 * mnno(v, z, k=9)) / 10)


def test_mnno_is_one_under_similarity_transforms_and_near_chance_when_unrelated(data):
    v, z = data
    rotation, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((40, 40)))
    moved = 3.0 * v @ rotation
    assert mnno(v, moved, 10, "cosine") == 1.0
    assert mnno(v, moved + 5.0, 10, "euclidean") == 1.0
    chance = 10 / (len(v) - 1)
    assert mnno(v, z, 10, "cosine") < 4 * chance


def test_duplicates_are_neighbours_but_self_is_not():
    rng = np.random.default_rng(3)
    v = rng.standard_normal((20, 5))
    v[5] = v[2]
    nn = knn_within(v, 3, "euclidean")
    assert nn[2, 0] == 5 and nn[5, 0] == 2


def test_zero_rows_are_allowed_for_cosine():
    v = np.random.default_rng(0).standard_normal((12, 4)).astype(np.float32)
    v[3] = 0
    nn = knn_within(v, 4, "cosine")
    assert nn.shape == (12, 4) and not (nn == np.arange(12)[:, None]).any()


def test_overlap_counts():
    a = np.array([[1, 2, 3], [0, 2, 3]])
    b = np.array([[3, 4, 1], [1, 4, 5]])
    assert overlap_counts(a, b).tolist() == [2, 0]


@pytest.mark.bad_input
def test_bad_input_names_the_problem(data):
    v, z = data
    with pytest.raises(InputError, match="k=300"):
        knn_within(v, 300)
    with pytest.raises(InputError, match="paired sets"):
        mnno(v, z[:10])
    with pytest.raises(InputError, match="metric"):
        knn_within(v, 3, "manhattan")
    bad = v.copy()
    bad[4, 2] = np.nan
    with pytest.raises(InputError, match="NaN"):
        mnno(bad, z)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_match_ranks_against_brute_force(data, metric):
    v, _ = data
    noisy = v + np.random.default_rng(2).standard_normal(v.shape)
    distances = pairwise_distances(noisy, v, metric=metric)
    expected = (distances < distances.diagonal()[:, None]).sum(axis=1)
    closer, tied = match_ranks(noisy, v, metric)
    assert (closer == expected).all() and (tied == 0).all()
    closer, tied = match_ranks(v, v, metric)
    assert (closer == 0).all() and (tied == 0).all()  # every query finds its own target first


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("block", [2048, 37])
def test_float32_lists_are_those_of_a_float64_search(metric, block, monkeypatch):
    """Near-ties below float32 resolution: 30 copies of item 0 moved by 1e-4 in random
    directions (their scores with item 0 and with each other differ by ~1e-9, which float32
    cannot resolve and float64 can), more than the 5 spare candidates, so both the pair
    re-score and the whole-row re-score are exercised."""
    monkeypatch.setattr(neighbours, "_BLOCK", block)
    rng = np.random.default_rng(5)
    data = rng.standard_normal((400, 48)).astype(np.float32)
    data[1:31] = data[0] + 1e-4 * rng.standard_normal((30, 48)).astype(np.float32)
    exact = data.astype(np.float64)
    expected = knn_within(exact, 10, metric)
    assert (knn_within(data, 10, metric) == expected).all()
    # and the float64 search is sklearn's brute force on the same numbers, ties by index
    distances = pairwise_distances(exact, metric=metric)
    np.fill_diagonal(distances, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(400), distances.shape), distances), axis=1)
    assert (expected[31:] == order[31:, :10]).all()


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_include_self_is_the_released_codes_reading(data, metric):
    """Counting the item as its own first neighbour gives scikit-learn's kneighbors on the
    fitted set, as Collell's released code queries it."""
    v, z = data
    z = np.hstack([v[:, :10] + 0.5 * z[:, :10], z])
    lists = neighbour_lists(v, 10, metric, include_self=True)
    assert (lists == sklearn_neighbours(v, 10, metric, include_self=True)).all()
    assert (lists[:, 0] == np.arange(len(v))).all()
    assert (neighbour_lists(v, 10, metric) == knn_within(v, 10, metric)).all()  # the default
    with_self = mnno(v, z, k=10, metric=metric, include_self=True)
    assert with_self == pytest.approx(reference_mnno(v, z, 10, metric, include_self=True))
    assert with_self == pytest.approx((1 + 9 * mnno(v, z, k=9, metric=metric)) / 10)
    assert (neighbour_lists(v, 1, metric, include_self=True) == np.arange(len(v))[:, None]).all()
