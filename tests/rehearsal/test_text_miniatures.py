"""The miniature text8.zip and glove.6B.zip are laid out as the real ones (one space-led line of
a-z words; header-less ``%.5g`` vectors in four files), hold the words the studies query, come
out the same in every run, and the project's readers take them."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from project_paths import STAMPS

if not STAMPS.is_dir():
    pytest.skip("Debian package tuxpaint-stamps-default is not installed", allow_module_level=True)

import miniature_stamps  # noqa: E402
import miniature_text as text  # noqa: E402  (needs the stamps)
from miniature_files import FULL_URLS as URLS  # noqa: E402
from miniature_files import served_file

from crossmodal.data.corpus import downloaded_lines  # noqa: E402
from crossmodal.text.pretrained import convert_text_vectors  # noqa: E402

MEMBERS = ["glove.6B.50d.txt", "glove.6B.100d.txt", "glove.6B.200d.txt", "glove.6B.300d.txt"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("text") / "served"
    text.write_text(root, root.parent / "resources", URLS)
    return root


@pytest.fixture(scope="module")
def corpus(served) -> str:
    path = served_file(served, URLS["text8"])
    assert path.name == "text8.zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["text8"]
        return archive.read("text8").decode("ascii")


def test_wikifil_rules_on_a_small_dump():
    xml = (
        '<page><title>Diggers</title><revision><text xml:space="preserve">The [[Diggers|diggers]]'
        " of 1649&lt;ref&gt;Hill, p. 3&lt;/ref&gt; {{cite}} in [[England]]. [[Category:History]]"
        ' [[de:Diggers]]</text></revision></page><page><text xml:space="preserve">#REDIRECT'
        " [[Elsewhere]]</text></page>"
    )
    assert "".join(text.wikifil(xml)) == " the diggers of one six four nine in england history"
    assert text.mahoney_clean("Café-au-lait, 2x!") == " caf au lait two x"


def test_text8_is_one_line_of_spaced_lowercase_words(corpus):
    assert re.fullmatch(r"( [a-z]+)+", corpus)  # leading space, single spaces, no newline
    assert 150_000 <= corpus.count(" ") <= 400_000


def test_text8_holds_the_queried_words_often_enough(corpus):
    counts = Counter(corpus.split())
    assert counts["birthstone"] == 0  # WordNet 3.0 and gensim's corpora lack it (docstring)
    assert all(counts[w] >= 5 for w in text.PIXIE_WORDS if w != "birthstone")
    words = set(miniature_stamps.stamp_table()["word"].dropna())
    single = [w for w in words if "_" not in w]
    assert sum(counts[w] >= 5 for w in single) >= 0.8 * len(single)


def test_glove_files_are_headerless_5_digit_vectors_by_frequency(served, corpus):
    path = served_file(served, URLS["glove6b"])
    assert path.name == "glove.6B.zip"
    counts = Counter(corpus.split())
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == MEMBERS
        files = {n: archive.read(n).decode("utf-8") for n in MEMBERS}
    rows = {n: [line.split(" ") for line in f.split("\n")[:-1]] for n, f in files.items()}
    for name, dim in zip(MEMBERS, text.GLOVE_DIMS, strict=True):
        assert files[name].endswith("\n") and "\r" not in files[name]
        words = [row[0] for row in rows[name]]
        assert words[0] == "the" and len(words) == len(set(words)) == text.GLOVE_WORDS
        assert [counts[w] for w in words] == sorted((counts[w] for w in words), reverse=True)
        for row in rows[name][:200]:
            assert len(row) == dim + 1
            assert all(format(float(v), ".5g") == v for v in row[1:])
        assert [r[: dim + 1] for r in rows["glove.6B.300d.txt"]] == rows[name]


def test_writing_twice_gives_the_same_bytes(served, tmp_path):
    text.write_text(tmp_path, tmp_path, URLS)
    for key in ("text8", "glove6b"):
        again = served_file(tmp_path, URLS[key]).read_bytes()
        assert again == served_file(served, URLS[key]).read_bytes()


def test_project_readers_take_both_archives(served, corpus, tmp_path):
    lines = list(downloaded_lines(served_file(served, URLS["text8"]), None, 10_000))
    assert [t for line in lines for t in line] == corpus.split()
    conversion = convert_text_vectors(
        served_file(served, URLS["glove6b"]),
        tmp_path / "glove.npy",
        tmp_path / "glove.parquet",
        header=False,
        member="glove.6B.300d.txt",
    )
    assert (conversion.vectors, conversion.dim) == (text.GLOVE_WORDS, 300)
    assert np.load(tmp_path / "glove.npy").shape == (text.GLOVE_WORDS, 300)
