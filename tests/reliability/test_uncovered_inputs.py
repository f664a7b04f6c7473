"""Inputs that are not errors but cover nothing: a benchmark with no pair in the vocabulary and
words with no WordNet synset. They must be counted and shown (coverage 0, a row that says so),
never crash a table or silently drop its row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crossmodal.collell2018.untrained import untrained_scores, untrained_tables
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet
from crossmodal.features.per_word import average_word_features
from crossmodal.text.vectors import WordVectors

pytestmark = pytest.mark.bad_input
DEBIAN_WORDNET = Path("/usr/share/wordnet")
NETWORK = {"width": 16, "weight_range": 1.0}


def vectors(words: list[str], dim: int = 8) -> WordVectors:
    matrix = np.random.default_rng(0).standard_normal((len(words), dim)).astype(np.float32)
    return WordVectors(matrix, pd.DataFrame({"word": words}), "toy")


def table2(scores: pd.DataFrame) -> pd.DataFrame:
    """Table 2 of the scores of the embedding "toy" (every benchmark a row of it)."""
    return untrained_tables(scores.assign(embedding="toy"), 0.05, 5, [])["table2"]


def test_benchmark_with_no_pair_in_the_vocabulary_keeps_its_row_with_coverage_0():
    words = [f"w{i}" for i in range(30)]
    rng = np.random.default_rng(1)
    covered = pd.DataFrame(
        {"word1": rng.choice(words, 40), "word2": rng.choice(words, 40), "score": rng.random(40)}
    )
    uncovered = pd.DataFrame({"word1": ["xx", "yy"], "word2": ["zz", "w1"], "score": [1.0, 2.0]})
    scores = untrained_scores(
        vectors(words), {"good": covered, "none": uncovered}, [1], 2, NETWORK, ["cosine"]
    )
    table = table2(scores)
    row = table.set_index("benchmark").loc["none"]
    assert (row["pairs_used"], row["pairs_total"], row["coverage"]) == (0, 2, 0.0)
    assert np.isnan(row["rho_x"]) and np.isnan(row["p_rank_sum"]) and not row["significant"]
    assert table.set_index("benchmark").loc["good", "pairs_used"] == 40


def test_only_uncovered_benchmarks_still_give_a_table():
    uncovered = pd.DataFrame({"word1": ["xx"], "word2": ["yy"], "score": [1.0]})
    scores = untrained_scores(vectors(["a", "b"]), {"none": uncovered}, [1], 2, NETWORK, ["cosine"])
    table = table2(scores)
    assert table["coverage"].tolist() == [0.0] and table["pairs_total"].tolist() == [1]


def test_words_without_a_synset_are_left_out_not_fatal(tmp_path):
    if not DEBIAN_WORDNET.is_dir():
        pytest.skip("Debian WordNet (wordnet-base) not installed in /usr/share/wordnet")
    prepare_wordnet("auto", DEBIAN_WORDNET, tmp_path / "wordnet")
    images = pd.DataFrame(
        {
            "image_id": ["a", "b", "c"],
            "word": ["dog", "dog", "blorptastic"],  # the last word is in no dictionary
            "synset": ["dog.n.01", "dog.n.01", None],
        }
    )
    features = np.arange(6, dtype=np.float32).reshape(3, 2)
    result, _ = average_word_features(
        features,
        ["a", "b", "c"],
        images,
        load_wordnet(tmp_path / "wordnet"),
        min_images=1,
        max_depth=0,
    )
    assert result.words == ["dog"]
    np.testing.assert_allclose(result.rows(["dog"]), [[1.0, 2.0]])
