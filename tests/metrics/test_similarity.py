"""Word-similarity evaluation: coverage with out-of-vocabulary pairs, case fallback, and Spearman
correlation against scipy on a real benchmark file."""

import math

import numpy as np
import pandas as pd
import pytest
from project_paths import SHARED
from scipy.stats import spearmanr

from crossmodal.core.errors import InputError
from crossmodal.metrics.similarity import cover, pair_cosines, pair_similarities, spearman

WORDSIM = SHARED / "data/wordsim"


@pytest.fixture
def ws353():
    path = WORDSIM / "ws353.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not present (real WS-353 lives beside the project in ../shared)")
    return pd.read_csv(path, sep="\t", keep_default_na=False)


@pytest.mark.bad_input
def test_oov_pairs_are_not_covered_and_counted(ws353):
    words = sorted({w.lower() for w in pd.concat([ws353.word1[:100], ws353.word2[:100]])})
    covered = cover(words, ws353, "ws353")
    vocabulary = set(words)
    expected = sum(
        a.lower() in vocabulary and b.lower() in vocabulary
        for a, b in zip(ws353.word1, ws353.word2, strict=True)
    )
    assert covered.total == len(ws353) == 353
    assert covered.used == expected and 100 <= expected < 353
    assert covered.coverage == pytest.approx(expected / 353)


def test_spearman_equals_scipy_on_covered_pairs(ws353):
    rng = np.random.default_rng(0)
    words = sorted({w.lower() for w in pd.concat([ws353.word1, ws353.word2])})[:300]
    matrix = rng.standard_normal((len(words), 20))
    covered = cover(words, ws353)
    index = {w: i for i, w in enumerate(words)}
    keep = [
        (a.lower(), b.lower(), s)
        for a, b, s in zip(ws353.word1, ws353.word2, ws353.score, strict=True)
        if a.lower() in index and b.lower() in index
    ]
    cosines = [
        matrix[index[a]]
        @ matrix[index[b]]
        / np.linalg.norm(matrix[index[a]])
        / np.linalg.norm(matrix[index[b]])
        for a, b, _ in keep
    ]
    assert spearman(matrix, covered) == pytest.approx(spearmanr([s for *_, s in keep], cosines)[0])


def test_case_fallback_and_exact_match_first():
    pairs = pd.DataFrame(
        {"word1": ["Jerusalem", "Apple"], "word2": ["city", "pear"], "score": [1, 2]}
    )
    covered = cover(["jerusalem", "city", "Apple", "apple", "pear"], pairs)
    assert covered.first.tolist() == [0, 2]  # "Apple" exists as written, so it wins over "apple"


def test_vectors_that_follow_the_scores_correlate_perfectly():
    scores = np.array([0.1, 0.5, 0.9, 0.3])
    angles = np.arccos(scores)  # cos of the pair's angle = score
    matrix = np.vstack([[[1.0, 0.0], [np.cos(t), np.sin(t)]] for t in angles])
    pairs = pd.DataFrame(
        {
            "word1": [f"a{i}" for i in range(4)],
            "word2": [f"b{i}" for i in range(4)],
            "score": scores,
        }
    )
    words = [w for i in range(4) for w in (f"a{i}", f"b{i}")]
    covered = cover(words, pairs)
    assert pair_cosines(matrix, covered) == pytest.approx(scores)
    assert spearman(matrix, covered) == pytest.approx(1.0)
    assert math.isnan(spearman(matrix, covered, subset=np.array([0, 1])))  # fewer than 3 pairs


def test_euclidean_similarity_is_the_negated_distance():
    # pairs at distances 3, 1, 2 with human scores 0.1, 0.9, 0.5: closer pairs score higher, so
    # the Euclidean rho is 1, while all three pairs have cosine 1 (same direction) and no order
    matrix = np.array([[1.0, 0], [4, 0], [1, 0], [2, 0], [1, 0], [3, 0]])
    pairs = pd.DataFrame(
        {"word1": ["a0", "a1", "a2"], "word2": ["b0", "b1", "b2"], "score": [0.1, 0.9, 0.5]}
    )
    covered = cover(["a0", "b0", "a1", "b1", "a2", "b2"], pairs)
    assert pair_similarities(matrix, covered, "euclidean") == pytest.approx([-3, -1, -2])
    assert spearman(matrix, covered, similarity="euclidean") == pytest.approx(1.0)
    assert pair_similarities(matrix, covered, "cosine") == pytest.approx([1, 1, 1])
    with pytest.raises(InputError, match="similarity"):
        spearman(matrix, covered, similarity="manhattan")


@pytest.mark.bad_input
def test_missing_columns_name_the_benchmark():
    with pytest.raises(InputError, match="simlex: missing column"):
        cover(["a"], pd.DataFrame({"w1": ["a"], "w2": ["b"]}), "simlex")
