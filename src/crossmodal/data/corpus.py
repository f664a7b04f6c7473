"""Text corpora as one tokenised, lower-cased sentence per line: the form gensim's ``corpus_file``
training reads fastest (one worker per byte range, no Python iteration).

Sources: the small corpora shipped inside the gensim wheel (a shortened English Wikipedia dump,
the stemmed ``head500`` sample and the Lee news background corpus), downloaded text such as
text8 (one line of ~17M tokens, cut into lines of ``tokens_per_line``), and optionally WordNet
entries for the visual words. The demo corpora are tiny: without the WordNet entries most visual
words would occur too rarely for a skip-gram model to keep them.

Tokenisation is gensim's Wikipedia tokeniser everywhere (lower-case, 2-15 characters, no
digits), so that the parts of one corpus share one vocabulary.
"""

from __future__ import annotations

import bz2
import io
import logging
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO

import pandas as pd
from gensim.corpora.wikicorpus import (
    ARTICLE_MIN_WORDS,
    IGNORED_NAMESPACES,
    TOKEN_MAX_LEN,
    TOKEN_MIN_LEN,
    extract_pages,
    filter_wiki,
)
from gensim.corpora.wikicorpus import tokenize as wiki_tokenize
from gensim.test.utils import datapath
from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path
from crossmodal.core.logs import progress

log = logging.getLogger(__name__)

# Corpora inside the gensim wheel (gensim/test/test_data), by the names config uses.
EMBEDDED_FILES: dict[str, str] = {
    "enwiki": "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2",
    "head500": "head500.noblanks.cor",
    "lee_background": "lee_background.cor",
}
# Parts already tokenised (stemmed, stop words removed, one document per line): their tokens
# are kept as they are and only cut into lines.
PRETOKENISED = frozenset({"head500"})

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CHUNK_CHARS = 1 << 20


def tokenize(text: str) -> list[str]:
    """gensim's Wikipedia tokeniser: lower-case alphabetic tokens of 2 to 15 characters."""
    return wiki_tokenize(text, TOKEN_MIN_LEN, TOKEN_MAX_LEN, True)


def sentences(text: str) -> Iterator[list[str]]:
    """Tokenised sentences of running text, split at line breaks and after . ! ?"""
    for piece in _SENTENCE_END.split(text):
        tokens = tokenize(piece)
        if tokens:
            yield tokens


def wiki_sentences(dump: str | os.PathLike[str]) -> Iterator[list[str]]:
    """Sentences of the articles of a bzip2 MediaWiki XML dump.

    Pages are read with gensim's ``extract_pages`` and cleaned of markup with ``filter_wiki``;
    like gensim's ``WikiCorpus``, non-article namespaces, redirects and stubs shorter than
    ``ARTICLE_MIN_WORDS`` tokens are skipped. Unlike it, sentence boundaries are kept, so that
    skip-gram windows do not run across sentences.
    """
    try:
        with bz2.open(dump, "rb") as handle:
            for title, text, _pageid in extract_pages(handle, filter_namespaces=("0",)):
                if not text or any(title.startswith(f"{ns}:") for ns in IGNORED_NAMESPACES):
                    continue
                article = list(sentences(filter_wiki(text)))
                if sum(map(len, article)) >= ARTICLE_MIN_WORDS:
                    yield from article
    except (OSError, EOFError, SyntaxError) as err:  # bad bzip2 stream or XML
        raise InputError(f"{dump}: not a readable bzip2 MediaWiki XML dump ({err})") from err


def text_sentences(path: str | os.PathLike[str]) -> Iterator[list[str]]:
    """Sentences of a plain UTF-8 text file (one document or paragraph per line)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield from sentences(line)


def token_lines(handle: IO[str], tokens_per_line: int) -> Iterator[list[str]]:
    """Lines of already tokenised text, lower-cased, each cut into pieces of at most
    ``tokens_per_line`` tokens.

    The text is read in 1 MiB chunks, so that text8's single 100 MB line never has to sit in
    memory as one string and a list of 17 million tokens.
    """
    line: list[str] = []
    carry = ""
    while True:
        chunk = handle.read(_CHUNK_CHARS)
        text = carry + chunk
        carry = ""
        if chunk:  # keep a token cut by the chunk boundary for the next round
            match = re.search(r"\S+$", text)
            if match:
                carry = match.group(0)
                text = text[: match.start()]
        for piece in re.split(r"(\n)", text):
            if piece == "\n":
                if line:
                    yield line
                line = []
                continue
            for token in piece.lower().split():
                line.append(token)
                if len(line) == tokens_per_line:
                    yield line
                    line = []
        if not chunk:
            break
    if line:
        yield line


def embedded_part(name: str, tokens_per_line: int) -> Iterator[list[str]]:
    """Sentences of one of the corpora in the gensim wheel (see ``EMBEDDED_FILES``)."""
    if name not in EMBEDDED_FILES:
        raise InputError(
            f"corpora: unknown embedded part {name!r}; expected one of {', '.join(EMBEDDED_FILES)}"
        )
    path = Path(datapath(EMBEDDED_FILES[name]))
    if not path.is_file():
        raise InputError(f"{path}: gensim test corpus {name!r} not found (is gensim installed?)")
    if name == "enwiki":
        yield from wiki_sentences(path)
    elif name in PRETOKENISED:
        with open(path, encoding="utf-8") as handle:
            yield from token_lines(handle, tokens_per_line)
    else:
        yield from text_sentences(path)


def downloaded_lines(
    path: str | os.PathLike[str], member: str | None, tokens_per_line: int
) -> Iterator[list[str]]:
    """Token lines of a downloaded, already tokenised text: a plain file, or a zip archive
    holding it (``member``; may be omitted when the archive holds a single file)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: downloaded corpus not found")
    if not zipfile.is_zipfile(path):
        with open(path, encoding="utf-8") as handle:
            yield from token_lines(handle, tokens_per_line)
        return
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        if member is None and len(names) != 1:
            raise InputError(
                f"{path}: zip holds {len(names)} files ({', '.join(names[:5])}); "
                "set corpora: member to the one to use"
            )
        name = member or names[0]
        if name not in names:
            raise InputError(f"{path}: no member {name!r} in the zip (has {', '.join(names[:5])})")
        with archive.open(name) as raw:
            yield from token_lines(io.TextIOWrapper(raw, encoding="utf-8"), tokens_per_line)


def _entry(words: Sequence[str], synset: Synset) -> list[str]:
    """A dictionary line: ``words`` followed by the tokens of ``synset``'s definition."""
    return [*words, *tokenize(synset.definition())]


def gloss_sentences(
    wordnet: WordNetCorpusReader, visual_words: Iterable[tuple[str, str]]
) -> Iterator[list[str]]:
    """WordNet entries around each visual word's synset, written as sentences that use the word.

    ``visual_words`` holds (word, synset name) pairs as in the image table (lower-case words,
    multi-word joined with "_"). For each: the synset's own entry (the word, its other lemmas,
    its definition) and its example sentences; "w H <definition of H>" for each hypernym H one
    and two levels up ("cheetah big_cat any of several large cats ..."); "h w <definition of
    h>" for each direct hyponym h. The word thus occurs in true is-a statements with the words
    that define it, at least three times for any synset two levels below a root: enough for a
    skip-gram model's minimum count in the small demo corpora, where most visual words are
    otherwise rare or absent.
    """
    for word, name in sorted(set(visual_words)):
        try:
            synset = wordnet.synset(name)
        except Exception as err:  # NLTK raises WordNetError or ValueError for bad names
            raise InputError(f"synset {name!r} of word {word!r}: not in WordNet ({err})") from err
        lemmas = dict.fromkeys([word, *(lemma.lower() for lemma in synset.lemma_names())])
        yield _entry(list(lemmas), synset)
        for example in synset.examples():
            yield tokenize(example)
        parents = synset.hypernyms() + synset.instance_hypernyms()
        grandparents = [g for p in parents for g in p.hypernyms() + p.instance_hypernyms()]
        for hypernym in dict.fromkeys(parents + grandparents):
            yield _entry([word, hypernym.lemma_names()[0].lower()], hypernym)
        for hyponym in synset.hyponyms() + synset.instance_hyponyms():
            yield _entry([hyponym.lemma_names()[0].lower(), word], hyponym)


@dataclass
class CorpusStats:
    """Size and token counts of a written corpus."""

    sentences: int = 0
    tokens: int = 0
    dropped: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def vocabulary(self, min_count: int) -> set[str]:
        """The words a model with this ``min_count`` keeps."""
        return {word for word, n in self.counts.items() if n >= min_count}


def write_corpus(lines: Iterable[list[str]], path: str | os.PathLike[str]) -> CorpusStats:
    """Write token lines as one space-separated sentence per line, atomically; lines of fewer
    than two tokens are dropped (they give a skip-gram model no context) and counted."""
    stats = CorpusStats()
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        for tokens in progress(lines, total=None, desc="sentences"):
            if len(tokens) < 2:
                stats.dropped += 1
                continue
            handle.write(" ".join(tokens))
            handle.write("\n")
            stats.sentences += 1
            stats.tokens += len(tokens)
            stats.counts.update(tokens)
        if stats.sentences == 0:  # raised inside the block: no empty file is left behind
            raise InputError(f"{path}: the corpus has no sentence of two or more tokens")
    return stats


def corpus_lines(
    source: str,
    parts: Sequence[str] = (),
    download: str | os.PathLike[str] | None = None,
    member: str | None = None,
    tokens_per_line: int = 1000,
) -> Iterator[list[str]]:
    """The token lines of a configured corpus source: ``embedded`` (the gensim ``parts``) or
    ``download`` (the file at ``download``)."""
    if source == "embedded":
        if not parts:
            raise InputError("corpora: source embedded needs a non-empty `parts` list")
        for part in parts:
            log.info("reading embedded corpus %s", part)
            yield from embedded_part(part, tokens_per_line)
    elif source == "download":
        if download is None:
            raise InputError("corpora: source download needs a `download` name")
        yield from downloaded_lines(download, member, tokens_per_line)
    else:
        raise InputError(f"corpora: unknown source {source!r}; expected embedded or download")


def coverage(stats: CorpusStats, words: Iterable[str], min_count: int) -> tuple[int, int]:
    """How many of ``words`` (distinct) reach ``min_count`` in the corpus, and of how many."""
    distinct = set(words)
    vocabulary = stats.vocabulary(min_count)
    return len(distinct & vocabulary), len(distinct)


def image_word_senses(images: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(word, synset or None) of each image with a word in an image table (DESIGN.md)."""
    rows = images.dropna(subset=["word"])
    return [
        (str(word), None if pd.isna(synset) else str(synset))
        for word, synset in zip(rows["word"], rows["synset"], strict=True)
    ]


def build_corpus(
    path: str | os.PathLike[str],
    lines: Iterable[list[str]],
    visual_words: Sequence[tuple[str, str | None]] = (),
    wordnet: WordNetCorpusReader | None = None,
    min_count: int = 5,
) -> CorpusStats:
    """Write a corpus of ``lines`` (plus, given ``wordnet``, the WordNet entries of the
    ``visual_words`` that have a synset) to ``path`` and log its size and how many distinct
    visual words reach ``min_count`` (the count a skip-gram model needs to keep a word)."""
    if wordnet is not None:
        with_synset = [(w, s) for w, s in visual_words if s is not None]
        lines = chain(lines, gloss_sentences(wordnet, with_synset))
    stats = write_corpus(lines, path)
    log.info(
        "%s: %d tokens in %d sentences (%d lines of <2 tokens dropped); %d distinct words, "
        "%d of them at min_count %d",
        path,
        stats.tokens,
        stats.sentences,
        stats.dropped,
        len(stats.counts),
        len(stats.vocabulary(min_count)),
        min_count,
    )
    if visual_words:
        kept, total = coverage(stats, (w for w, _ in visual_words), min_count)
        log.info(
            "visual words at min_count %d: %d of %d (%.1f%%)",
            min_count,
            kept,
            total,
            100.0 * kept / total,
        )
    return stats
