"""Skip-gram training: bit-identical vectors for a seed on one worker, vocabulary counts equal to
a direct count of the corpus, and clear errors for unusable corpora."""

from collections import Counter
from pathlib import Path

import gensim
import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.text.sgns import SgnsParams, train_sgns
from crossmodal.text.vectors import WordVectors

LEE = Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor"
PARAMS = SgnsParams(dim=16, window=3, negative=3, epochs=2, min_count=3, sample=1e-3, seed=7)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The first 120 documents of the Lee corpus, tokenised and lower-cased, one per line."""
    lines = LEE.read_text(encoding="utf-8").splitlines()[:120]
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    path.write_text(
        "".join(" ".join(gensim.utils.simple_preprocess(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def test_one_worker_is_deterministic_for_a_seed(corpus):
    first = train_sgns(corpus, PARAMS, workers=1)
    second = train_sgns(corpus, PARAMS, workers=1)
    np.testing.assert_array_equal(first.matrix, second.matrix)
    assert first.words == second.words
    other_seed = train_sgns(corpus, SgnsParams(**{**vars(PARAMS), "seed": 8}), workers=1)
    assert not np.array_equal(first.matrix, other_seed.matrix)


def test_shape_dtype_and_counts_match_a_direct_count(corpus):
    vectors = train_sgns(corpus, PARAMS, workers=1)
    counts = Counter(corpus.read_text(encoding="utf-8").split())
    expected = {w: c for w, c in counts.items() if c >= PARAMS.min_count}
    assert vectors.matrix.shape == (len(expected), PARAMS.dim)
    assert vectors.matrix.dtype == np.float32
    assert dict(zip(vectors.table["word"], vectors.table["count"], strict=True)) == expected
    assert vectors.table["count"].is_monotonic_decreasing  # rows by falling frequency


@pytest.mark.bad_input
def test_round_trip_and_unknown_word(corpus, tmp_path):
    vectors = train_sgns(corpus, PARAMS, workers=1)
    vectors.write(tmp_path / "sgns_d16.npy", tmp_path / "sgns_d16.vocab.parquet")
    back = WordVectors.read(tmp_path / "sgns_d16.npy", tmp_path / "sgns_d16.vocab.parquet")
    np.testing.assert_array_equal(back.vector("fire"), vectors.vector("fire"))
    with pytest.raises(InputError, match="'xyzzyq' is not in the vocabulary"):
        back.vector("xyzzyq")


@pytest.mark.bad_input
def test_unusable_corpus_is_named(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.txt: missing or empty corpus"):
        train_sgns(empty, PARAMS)
    rare = tmp_path / "rare.txt"
    rare.write_text("a b c\nd e f\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rare\.txt: no word occurs at least min_count=3"):
        train_sgns(rare, PARAMS)
