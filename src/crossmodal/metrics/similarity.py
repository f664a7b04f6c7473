"""Word-similarity evaluation: Spearman correlation between human ratings and the cosine (or
Euclidean) similarity of word vectors, with coverage.

A pair is covered when both words have a vector; uncovered (out-of-vocabulary) pairs are left
out of the correlation and reported through coverage = pairs used / pairs in the benchmark, so
that a score on 30 % of SimLex-999 is never mistaken for a score on all of it. A word is looked
up as written, then lower-cased (corpora are lower-cased; WS-353 writes "Jerusalem").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from crossmodal.core.errors import InputError

PAIR_COLUMNS: tuple[str, ...] = ("word1", "word2", "score")
#: Columns of :func:`benchmark_scores`: rho over the covered ``pairs`` of ``total``.
SCORE_COLUMNS: tuple[str, ...] = ("benchmark", "rho", "pairs", "total", "coverage")
#: Similarities of two vectors: cosine, and Euclidean similarity -|a - b| (Collell & Moens, Sect.
#: 4.2.4; Spearman's rho only needs the order, so the negated distance serves).
SIMILARITIES: tuple[str, ...] = ("cosine", "euclidean")


@dataclass(frozen=True)
class CoveredPairs:
    """The benchmark pairs both of whose words have vectors: row positions of each word in the
    vocabulary, and the human scores."""

    first: np.ndarray
    second: np.ndarray
    scores: np.ndarray
    total: int

    @property
    def used(self) -> int:
        """Number of covered pairs."""
        return len(self.scores)

    @property
    def coverage(self) -> float:
        """Covered share of the benchmark's pairs."""
        return self.used / self.total if self.total else 0.0


def pair_rows(
    vocabulary: Mapping[str, int] | Sequence[str], pairs: pd.DataFrame, name: str = "benchmark"
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's two words' rows in a vocabulary (word -> row, or the words in row order),
    -1 where a word has none; a word is looked up as written, then lower-cased."""
    missing = [c for c in PAIR_COLUMNS if c not in pairs.columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)}")
    position = (
        vocabulary if isinstance(vocabulary, Mapping) else {w: i for i, w in enumerate(vocabulary)}
    )

    def lookup(word: object) -> int:
        text = str(word)
        return position.get(text, position.get(text.lower(), -1))

    first = np.array([lookup(w) for w in pairs["word1"]], dtype=np.int64)
    second = np.array([lookup(w) for w in pairs["word2"]], dtype=np.int64)
    return first, second


def cover(
    vocabulary: Mapping[str, int] | Sequence[str], pairs: pd.DataFrame, name: str = "benchmark"
) -> CoveredPairs:
    """Match a benchmark's pairs to a vocabulary: word -> row (``WordVectors.position``, built
    once for all benchmarks), or the words in row order."""
    first, second = pair_rows(vocabulary, pairs, name)
    keep = (first >= 0) & (second >= 0)
    scores = pairs["score"].to_numpy(dtype=np.float64)[keep]
    return CoveredPairs(first[keep], second[keep], scores, len(pairs))


def pair_cosines(matrix: np.ndarray, covered: CoveredPairs) -> np.ndarray:
    """Cosine similarity of each covered pair's vectors (0 for a zero vector)."""
    a, b = matrix[covered.first].astype(np.float64), matrix[covered.second].astype(np.float64)
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    dots = (a * b).sum(axis=1)
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)


def pair_similarities(matrix: np.ndarray, covered: CoveredPairs, similarity: str) -> np.ndarray:
    """Similarity of each covered pair's vectors: cosine (:func:`pair_cosines`) or Euclidean,
    the negated distance (float64)."""
    if similarity == "cosine":
        return pair_cosines(matrix, covered)
    if similarity == "euclidean":
        a, b = matrix[covered.first].astype(np.float64), matrix[covered.second].astype(np.float64)
        return -np.linalg.norm(a - b, axis=1)
    raise InputError(f"similarity: expected one of {', '.join(SIMILARITIES)}, got {similarity!r}")


def spearman(
    matrix: np.ndarray,
    covered: CoveredPairs,
    subset: np.ndarray | None = None,
    similarity: str = "cosine",
) -> float:
    """Spearman rho between human scores and the pairs' ``similarity`` (cosine or euclidean)
    over the covered pairs (or the rows ``subset`` of them, e.g. a bootstrap resample); NaN with
    fewer than 3 pairs."""
    similarities, scores = pair_similarities(matrix, covered, similarity), covered.scores
    if subset is not None:
        similarities, scores = similarities[subset], scores[subset]
    if len(scores) < 3:
        return float("nan")
    return float(spearmanr(scores, similarities)[0])


def benchmark_scores(
    matrix: np.ndarray,
    vocabulary: Mapping[str, int] | Sequence[str],
    benchmarks: Mapping[str, pd.DataFrame],
    similarity: str = "cosine",
) -> pd.DataFrame:
    """One row per benchmark (:data:`SCORE_COLUMNS`): Spearman rho of the vectors ``matrix``
    (rows named by ``vocabulary``) over the pairs they cover, with the covered ``pairs``, the
    benchmark's ``total`` and their ratio, ``coverage`` (:func:`cover`, :func:`spearman`)."""
    if not isinstance(vocabulary, Mapping):
        vocabulary = {word: row for row, word in enumerate(vocabulary)}
    rows = []
    for name, pairs in benchmarks.items():
        covered = cover(vocabulary, pairs, name)
        rho = spearman(matrix, covered, None, similarity)
        rows.append((name, rho, covered.used, covered.total, covered.coverage))
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
