"""A miniature text8 and a miniature GloVe 6B in the layout of their public files: full.yaml's
downloads ``text8`` (``text8.zip``) and ``glove6b`` (``glove.6B.zip``).

Layout of the real files:

- ``text8.zip`` holds one member, ``text8``: the first 10^8 bytes of Mahoney's ``fil9``, English
  Wikipedia cleaned by his ``wikifil.pl`` (mattmahoney.net/dc/textdata.html): one line of
  lower-case words ``a``-``z`` separated by single spaces, digits spelled out (``1998`` ->
  ``one nine nine eight``), every other character a space; it starts with a space (each article
  piece is printed as " " + its words) and has no newline.
- ``glove.6B.zip`` holds ``glove.6B.50d.txt``, ``glove.6B.100d.txt``, ``glove.6B.200d.txt`` and
  ``glove.6B.300d.txt``: no header, one word a line followed by its numbers, single spaces, LF,
  UTF-8, words by falling frequency (``the`` first); numbers printed with 5 significant digits
  as C's ``%.5g`` does (``0.418 0.24968 -0.41242 ... -0.00066023``).

Miniature content: ``text8`` is real English prepared as text8 was (``mahoney_clean``, a
reimplementation of wikifil.pl's rules), between 150,000 and 400,000 words, from

1. the articles of gensim's shortened English Wikipedia dump (gensim's test data), redirects left
   out as wikifil leaves them out, until ``WIKI_WORDS`` words;
2. gensim's other English test corpora (Lee's news corpus, the New York and Berlin articles);
3. WordNet 3.0 entries (each entry its lemma words then its gloss and examples, the way WordNet
   prints a synset): every noun sense of every visual word of the Tux Paint stamps (the demo's
   words), and for every one-word visual word and every query word of PIXIE's tables 4 and 5
   (``PIXIE_WORDS``) up to ``MENTIONS`` more entries whose text uses the word, in WordNet's file
   order, so that the words occur often enough for a vocabulary of ``min_count`` 5;
4. the stamps' English descriptions.

WordNet 3.0 has no entry for *birthstone*, and no text here uses the word: it is the one PIXIE
word the miniature lacks.

``glove.6B.<d>d.txt`` holds the ``GLOVE_WORDS`` most frequent words of that text with vectors
trained on it by gensim's Word2Vec (CBOW, 300 dimensions, one worker, fixed seed, so the bytes
are the same in every run), the smaller files their leading ``d`` dimensions: **the vectors are
not GloVe's**; only the file format is.
"""

from __future__ import annotations

import bz2
import functools
import re
import string
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import miniature_stamps as stamps
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from miniature_files import served_file, write_zip

#: Words taken from the Wikipedia dump (whole articles, until this many).
WIKI_WORDS = 180_000
#: gensim's plain English test corpora, in the order they are appended.
CORPORA = ("lee_background.cor", "lee.cor", "para2para_text1.txt", "para2para_text2.txt")
#: WordNet's dictionary files (Debian's copy of WordNet 3.0).
WORDNET_DATA = tuple(stamps.WORDNET_DIR / f"data.{p}" for p in ("noun", "verb", "adj", "adv"))
#: Query words of PIXIE's Tables 4 and 5 (full.yaml: pixie: pair_cosines, neighbours).
PIXIE_WORDS = ("chicken", "turkey", "helicopter", "jet", "falcon", "hawk", "cathedral", "chapel",
               "cup", "mug", "goose", "brave", "birthstone", "savagery")  # fmt: skip
#: Entries that mention a word, taken at most per word.
MENTIONS = 8
#: Words of the miniature GloVe files.
GLOVE_WORDS = 4000
#: Dimensions of the four GloVe 6B files, in the archive's member order.
GLOVE_DIMS = (50, 100, 200, 300)

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_DIGITS = {d: f" {n} " for d, n in zip("0123456789", "zero one two three four five six seven "
                                       "eight nine".split(), strict=True)}  # fmt: skip


def mahoney_clean(text: str) -> str:
    """One piece of text as wikifil.pl prints it: ``" " + words``, the words lower-case a-z
    separated by single spaces, digits spelled out; empty when there are no letters."""
    text = (" " + text + " ").translate(_ASCII_LOWER)
    text = re.sub(r"[0-9]", lambda m: _DIGITS[m[0]], text)
    return re.sub(r"[^a-z]+", " ", text)[:-1]


# wikifil.pl's markup rules, in its order: (pattern, replacement, flags); the first replaces
# once, the others every match.
_MARKUP = (
    (r"<.*>", "", 0),  # the XML tag that ends the piece (once)
    (r"&amp;", "&", 0), (r"&lt;", "<", 0), (r"&gt;", ">", 0),  # decode the escaped markup
    (r"<ref[^<]*</ref>", "", 0),  # references
    (r"<[^>]*>", "", 0),  # XHTML tags
    (r"\[http:[^] ]*", "[", 0),  # a link's URL, keeping its visible text
    (r"\|thumb", "", re.I), (r"\|left", "", re.I), (r"\|right", "", re.I),
    (r"\|\d+px", "", re.I),  # image layout, keeping the caption
    (r"\[\[image:[^\[\]]*\|", "", re.I),
    (r"\[\[category:([^|\]]*)[^]]*\]\]", r"[[\1]]", re.I),  # categories as plain words
    (r"\[\[[a-z\-]*:[^\]]*\]\]", "", 0),  # links to other languages
    (r"\[\[[^\|\]]*\|", "[[", 0),  # a link's target, keeping its visible text
    (r"\{\{[^}]*\}\}", "", 0), (r"\{[^}]*\}", "", 0),  # templates and tables
    (r"\[", "", 0), (r"\]", "", 0),
    (r"&[^;]*;", " ", 0),  # other entities
)  # fmt: skip


def wikifil(xml: str) -> Iterator[str]:
    """The cleaned pieces of a MediaWiki XML dump, by wikifil.pl's rules: the dump is read in
    pieces that end with ``>``; only the text of ``<text>`` elements is kept, not redirects."""
    inside = False
    for piece in re.findall(r"[^>]*>|[^>]+$", xml):
        if "<text " in piece:
            inside = True
        if re.search("#redirect", piece, re.I):
            inside = False
        if not inside:
            continue
        if "</text>" in piece:
            inside = False
        for rule, (pattern, replacement, flags) in enumerate(_MARKUP):
            piece = re.sub(pattern, replacement, piece, count=int(rule == 0), flags=flags)
        cleaned = mahoney_clean(piece)
        if cleaned:
            yield cleaned


def _wikipedia() -> list[str]:
    """Cleaned pieces of the Wikipedia dump, whole articles until ``WIKI_WORDS`` words."""
    dump = datapath("enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
    pieces, count = [], 0
    for piece in wikifil(bz2.decompress(Path(dump).read_bytes()).decode("utf-8")):
        if count >= WIKI_WORDS:
            break
        pieces.append(piece)
        count += piece.count(" ")
    return pieces


def _wordnet_entries() -> dict[tuple[str, int], str]:
    """Every WordNet 3.0 synset as ``(pos, offset) -> "lemma words gloss"``, read straight from
    the dictionary's data files (lemmas with ``_`` as spaces; the gloss holds the examples)."""
    entries = {}
    for path in WORDNET_DATA:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  "):  # the licence at the top of each file
                continue
            fields, _, gloss = line.partition(" | ")
            parts = fields.split(" ")
            lemmas = [re.sub(r"\(.*\)$", "", w) for w in parts[4 : 4 + 2 * int(parts[3], 16) : 2]]
            entries[(parts[2], int(parts[0]))] = " ".join(lemmas).replace("_", " ") + " " + gloss
    return entries


def _wordnet_texts() -> list[str]:
    """The WordNet part of the text (rule 3 of the module docstring), in file order."""
    wn = stamps.wordnet()
    entries = _wordnet_entries()
    words = sorted(set(stamps.stamp_table()["word"].dropna()))
    chosen = {(s.pos(), s.offset()) for w in words for s in wn.synsets(w, "n")}
    wanted = {w for w in words if "_" not in w} | set(PIXIE_WORDS)
    taken: Counter[str] = Counter()
    for key, text in entries.items():
        for word in set(mahoney_clean(text).split()) & wanted:
            if taken[word] < MENTIONS:
                taken[word] += 1
                chosen.add(key)
    return [text for key, text in entries.items() if key in chosen]


@functools.cache
def text8() -> str:
    """The miniature text8 (see the module docstring)."""
    # Read as bytes, as wikifil does: a non-ASCII character becomes spaces whatever its encoding
    # (Lee's corpus is Latin-1, the others UTF-8).
    corpora = [Path(datapath(name)).read_bytes().decode("latin-1") for name in CORPORA]
    descriptions = list(stamps.stamp_table()["caption"].dropna())
    pieces = _wikipedia() + [mahoney_clean(t) for t in corpora + _wordnet_texts() + descriptions]
    return "".join(pieces)


def _vectors_file(words: list[str], vectors: list[list[float]]) -> bytes:
    """A GloVe text file: ``word v1 ... vd`` a line, numbers as C's ``%.5g``."""
    lines = (
        " ".join([w, *(format(v, ".5g") for v in row)])
        for w, row in zip(words, vectors, strict=True)
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


def glove_files() -> list[tuple[str, bytes]]:
    """The four members of glove.6B.zip: the most frequent words of the miniature text8 with
    Word2Vec vectors of 300 dimensions trained on it; the smaller files hold their leading
    dimensions (one training instead of four keeps the group fast)."""
    tokens = text8().split()
    counts = Counter(tokens)
    vocabulary = sorted(counts, key=lambda w: (-counts[w], w))[:GLOVE_WORDS]
    lines = [tokens[i : i + 10_000] for i in range(0, len(tokens), 10_000)]
    model = Word2Vec(lines, vector_size=max(GLOVE_DIMS), window=10, min_count=1, sg=0,
                     workers=1, seed=0, epochs=5)  # fmt: skip
    vectors = [[float(v) for v in model.wv[w]] for w in vocabulary]
    return [
        (f"glove.6B.{dim}d.txt", _vectors_file(vocabulary, [row[:dim] for row in vectors]))
        for dim in GLOVE_DIMS
    ]


def write_text(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write text8.zip and glove.6B.zip where the rehearsal server serves full.yaml's ``text8``
    and ``glove6b``; nothing is placed by hand (``resources`` is unused)."""
    write_zip(served_file(served, urls["text8"]), [("text8", text8().encode("ascii"))])
    write_zip(served_file(served, urls["glove6b"]), glove_files(), folders=False)
