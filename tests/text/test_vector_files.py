"""Word vectors read from every format the project knows, by the workflow's own readers: the
in-memory reading of a published file gives what its conversion stores."""

import gzip
import shutil
from pathlib import Path

import gensim
import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors

from crossmodal.core.errors import InputError
from crossmodal.data.feature_files import read_features
from crossmodal.text.pretrained import convert_pretrained, read_text_vectors
from crossmodal.text.vector_files import read_word_vectors, vector_format
from crossmodal.text.vectors import WordVectors

TEST_DATA = Path(gensim.__file__).parent / "test" / "test_data"


@pytest.fixture
def binary(tmp_path):
    """gensim's toy model's vectors as a binary word2vec file."""
    path = tmp_path / "toy.bin"
    KeyedVectors.load_word2vec_format(TEST_DATA / "toy-model.vec").save_word2vec_format(
        str(path), binary=True
    )
    return path


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("test_glove.txt", "glove"), ("toy-model.vec", "word2vec_text"), ("", "word2vec_binary")],
)
def test_reading_gives_what_the_conversion_stores(tmp_path, binary, name, fmt):
    path = TEST_DATA / name if name else binary
    convert_pretrained(path, fmt, tmp_path / "v.npy", tmp_path / "v.vocab.parquet")
    stored = WordVectors.read(tmp_path / "v.npy", tmp_path / "v.vocab.parquet")
    for read in (read_word_vectors(path), read_word_vectors(path, fmt)):
        assert read.words == stored.words
        np.testing.assert_array_equal(read.matrix, stored.matrix)
    assert vector_format(path) == fmt


def test_stored_vectors_gzip_text_and_csv(tmp_path):
    vectors = read_text_vectors(TEST_DATA / "toy-model.vec", header=True)
    vectors.write(tmp_path / "m.npy", tmp_path / "m.words.parquet")
    for source in (tmp_path / "m.npy", tmp_path / "m"):
        read = read_word_vectors(source, "npy")
        np.testing.assert_array_equal(read.matrix, vectors.matrix)
    assert vector_format(tmp_path / "m.npy") == "npy"
    with (
        open(TEST_DATA / "toy-model.vec", "rb") as raw,
        gzip.open(tmp_path / "t.vec.gz", "wb") as out,
    ):
        shutil.copyfileobj(raw, out)
    assert read_word_vectors(tmp_path / "t.vec.gz").words == vectors.words
    frame = pd.DataFrame(vectors.matrix).astype(np.float64)
    frame.insert(0, "word", vectors.words)
    frame.to_csv(tmp_path / "v.csv", header=False, index=False)
    matrix, labels = read_features(tmp_path / "v.csv")
    read = read_word_vectors(tmp_path / "v.csv")
    assert read.words == labels == vectors.words
    np.testing.assert_array_equal(read.matrix, matrix)


@pytest.mark.bad_input
def test_bad_vectors_files_are_refused_in_one_line(tmp_path):
    with pytest.raises(InputError, match="missing.txt: file not found"):
        read_word_vectors(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="unknown vectors format 'fasttext'"):
        read_word_vectors(TEST_DATA / "test_glove.txt", "fasttext")
    (tmp_path / "bad.txt").write_text("cat 0.1 0.2\ndog 0.3 x\n")
    with pytest.raises(
        InputError, match="bad.txt:1-2: a vector holds something that is not a number"
    ):
        read_word_vectors(tmp_path / "bad.txt")
