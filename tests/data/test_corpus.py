"""Corpus building on slices of the real corpora: lower-cased tokens one sentence a line, the
Wikipedia dump without markup, text8-style single-line text cut into lines without losing or
splitting a token, WordNet entries that use the visual words, and coverage counts."""

import io
import zipfile
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.corpus import (
    build_corpus,
    corpus_lines,
    coverage,
    downloaded_lines,
    embedded_part,
    gloss_sentences,
    token_lines,
    write_corpus,
)
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet

WORDNET = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory):
    if not (WORDNET / "data.noun").is_file():
        pytest.skip("Debian WordNet dictionary (wordnet-base) not installed")
    root = tmp_path_factory.mktemp("wn")
    prepare_wordnet(str(root / "no_nltk"), WORDNET, root / "wordnet")
    return load_wordnet(root / "wordnet")


def test_wikipedia_sentences_are_plain_lower_case_tokens():
    sentences = list(islice(embedded_part("enwiki", 1000), 2000))
    assert len(sentences) == 2000
    tokens = [t for s in sentences for t in s]
    bad = [t for t in tokens if not (t.isalpha() and t == t.lower() and 2 <= len(t) <= 15)]
    assert not bad, bad[:5]
    assert not {"ref", "nbsp", "http", "thumb"} & set(tokens[:2000])
    assert Counter(tokens)["anarchism"] > 10  # the dump starts with the article Anarchism


def test_lee_sentences_split_at_sentence_ends():
    sentences = list(islice(embedded_part("lee_background", 1000), 50))
    assert sentences[0][:4] == ["hundreds", "of", "people", "have"]
    assert all(t == t.lower() for s in sentences for t in s)
    # a 300-document corpus yields far more sentences than documents
    assert len(list(embedded_part("lee_background", 1000))) > 3 * 300


def test_single_line_text_is_cut_without_losing_or_splitting_tokens():
    words = [f"w{i % 997}x" for i in range(400_000)]  # ~3 MB on one line: several read chunks
    text = " ".join(words) + "\nSecond Line here\n"
    lines = list(token_lines(io.StringIO(text), tokens_per_line=1000))
    assert [t for line in lines for t in line] == words + ["second", "line", "here"]
    assert all(len(line) == 1000 for line in lines[:400])
    assert lines[-1] == ["second", "line", "here"]


def test_zip_download_like_text8(tmp_path):
    archive = tmp_path / "text8.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("text8", " anarchism originated as a term of abuse " * 300)
    lines = list(downloaded_lines(archive, None, tokens_per_line=500))
    assert [len(line) for line in lines] == [500, 500, 500, 500, 100]
    assert lines[0][:3] == ["anarchism", "originated", "as"]
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("README", "two members now")
    with pytest.raises(InputError, match="text8.zip: zip holds 2 files"):
        list(downloaded_lines(archive, None, 500))
    assert len(list(downloaded_lines(archive, "text8", 500))) == 5
    with pytest.raises(InputError, match="no member 'text9'"):
        list(downloaded_lines(archive, "text9", 500))


def test_gloss_sentences_use_the_visual_word(wordnet):
    sentences = list(gloss_sentences(wordnet, [("cheetah", "cheetah.n.01")]))
    assert sentences[0][:2] == ["cheetah", "chetah"]
    assert "spotted" in sentences[0]  # from the definition
    assert ["cheetah", "big_cat"] == sentences[1][:2]  # hypernym
    assert sum(s.count("cheetah") for s in sentences) >= 3
    assert all(t == t.lower() for s in sentences for t in s)
    # a word the table spells differently from the synset's first lemma is used as written
    fridge = list(gloss_sentences(wordnet, [("fridge", "electric_refrigerator.n.01")]))
    assert sum(s.count("fridge") for s in fridge) >= 3
    with pytest.raises(InputError, match="'nosuch.n.01' of word 'x'"):
        list(gloss_sentences(wordnet, [("x", "nosuch.n.01")]))


def test_build_corpus_adds_glosses_and_reports_coverage(wordnet, tmp_path, caplog):
    lee = list(islice(embedded_part("lee_background", 1000), 200))
    words = [("cheetah", "cheetah.n.01"), ("kitten", "kitten.n.01"), ("cep", None)]
    plain = write_corpus(lee, tmp_path / "plain.txt")
    with caplog.at_level("INFO", logger="crossmodal.data.corpus"):
        stats = build_corpus(tmp_path / "corpus.txt", lee, words, wordnet, min_count=3)
    lines = (tmp_path / "corpus.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == stats.sentences > plain.sentences
    assert all(len(line.split()) >= 2 and line == line.lower() for line in lines)
    assert Counter(t for line in lines for t in line.split()) == stats.counts
    assert stats.counts["cheetah"] >= 3 > plain.counts["cheetah"]
    assert coverage(stats, ["cheetah", "kitten", "cep"], 3) == (2, 3)
    assert "visual words at min_count 3: 2 of 3" in caplog.text


@pytest.mark.bad_input
def test_bad_sources_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="unknown embedded part 'enwik'"):
        list(corpus_lines("embedded", ["enwik"]))
    with pytest.raises(InputError, match="needs a non-empty `parts`"):
        list(corpus_lines("embedded", []))
    with pytest.raises(InputError, match="missing.zip: downloaded corpus not found"):
        list(corpus_lines("download", download=tmp_path / "missing.zip"))
    with pytest.raises(InputError, match="no sentence of two or more tokens"):
        write_corpus([["lonely"]], tmp_path / "empty.txt")
    assert not (tmp_path / "empty.txt").exists()
