"""Published vectors: our streaming reader agrees with gensim on gensim's own test files, reads
zip members and GloVe-840B-style words with spaces, and names the file and line of bad input."""

import zipfile
from pathlib import Path

import gensim
import numpy as np
import pytest
from gensim.models import KeyedVectors

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_parquet
from crossmodal.text.pretrained import convert_pretrained
from crossmodal.text.vectors import WordVectors

TEST_DATA = Path(gensim.__file__).parent / "test" / "test_data"


def _convert(path, fmt, out, member=None):
    summary = convert_pretrained(path, fmt, out / "v.npy", out / "v.vocab.parquet", member)
    return summary, WordVectors.read(out / "v.npy", out / "v.vocab.parquet", ["count"])


def _assert_same_as_gensim(vectors, reference):
    assert vectors.words == list(reference.index_to_key)
    np.testing.assert_array_equal(vectors.matrix, reference.vectors)


def test_glove_matches_gensim_no_header_reader(tmp_path):
    path = TEST_DATA / "test_glove.txt"
    summary, vectors = _convert(path, "glove", tmp_path)
    reference = KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)
    assert (summary.vectors, summary.dim) == (76, 50) == vectors.matrix.shape
    _assert_same_as_gensim(vectors, reference)
    assert vectors.table["count"].isna().all()  # published files carry no counts


def test_glove_inside_a_zip_is_read_without_extracting(tmp_path):
    archive = tmp_path / "glove.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(TEST_DATA / "test_glove.txt", "glove.6B.50d.txt")
    _, plain = _convert(TEST_DATA / "test_glove.txt", "glove", tmp_path)
    _, zipped = _convert(archive, "glove", tmp_path / "z", member="glove.6B.50d.txt")
    np.testing.assert_array_equal(zipped.matrix, plain.matrix)
    with pytest.raises(InputError, match=r"glove\.zip: no member 'glove\.840B\.300d\.txt'"):
        _convert(archive, "glove", tmp_path / "y", member="glove.840B.300d.txt")


def test_words_with_spaces_and_duplicates(tmp_path):
    path = tmp_path / "glove.txt"
    path.write_bytes(
        b"the 0.5 -1 2\n"
        b". . . 1 2 3\n"
        b"at name@domain.com 4 5 6\n"
        b"the 9 9 9\n"
        b"caf\xe9 7 8 9\n"  # Latin-1 byte: not UTF-8
    )
    summary, vectors = _convert(path, "glove", tmp_path)
    assert vectors.words == ["the", ". . .", "at name@domain.com", "caf\ufffd"]
    np.testing.assert_array_equal(vectors.vector("the"), [0.5, -1, 2])  # first one kept
    np.testing.assert_array_equal(vectors.vector("at name@domain.com"), [4, 5, 6])
    assert (summary.duplicates, summary.undecodable) == (1, 1)


@pytest.mark.parametrize("name", ["high_precision.kv.txt", "crime-and-punishment.vec"])
def test_word2vec_text_matches_gensim(tmp_path, name):
    path = TEST_DATA / name
    _, vectors = _convert(path, "word2vec_text", tmp_path)
    _assert_same_as_gensim(vectors, KeyedVectors.load_word2vec_format(path, binary=False))


def test_word2vec_binary_matches_gensim(tmp_path):
    path = TEST_DATA / "euclidean_vectors.bin"
    summary, vectors = _convert(path, "word2vec_binary", tmp_path)
    assert vectors.matrix.shape == (2747, 10) == (summary.vectors, summary.dim)
    _assert_same_as_gensim(vectors, KeyedVectors.load_word2vec_format(path, binary=True))
    assert list(read_parquet(tmp_path / "v.vocab.parquet").columns) == ["word", "count"]


@pytest.mark.bad_input
def test_bad_files_are_named_with_the_line(tmp_path):
    with pytest.raises(InputError, match=r"pretrained\.vec: the header announces 3 vectors"):
        _convert(TEST_DATA / "pretrained.vec", "word2vec_text", tmp_path)
    short = tmp_path / "short.txt"
    short.write_text("the 1 2 3\nof 1 2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"short\.txt:2: expected a word and 3 numbers"):
        _convert(short, "glove", tmp_path)
    text = tmp_path / "text.txt"
    text.write_text("the 1 2 3\nof 1 x 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"text\.txt:1-2: a vector holds something"):
        _convert(text, "glove", tmp_path)
    with pytest.raises(InputError, match=r"format 'fasttext'"):
        _convert(short, "fasttext", tmp_path)
    assert not list(tmp_path.glob("*v.npy*"))  # nothing half-written is left behind
