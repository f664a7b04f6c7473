"""Captions and stamp file names as words: normalised text, clauses of tokens, name tokens and
the tags of a caption. Nothing here asks WordNet; the word lists decide what a stop word is."""

from __future__ import annotations

import re

from crossmodal.data.tuxpaint.wordlists import STOP_WORDS

# Proper names in stamp names and captions that stand for a depicted kind: Tux is the Linux
# penguin, Tux Paint's mascot (WordNet's only "tux" is a dinner jacket).
ALIASES: dict[str, str] = {"tux": "penguin"}

_CLAUSE_BREAK = re.compile(r"[.!?;:()\u2014\u2013]|\s-\s")
_WORD = re.compile(r"[a-z0-9]+(?:['\-]+[a-z0-9]+)*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[_\-\s]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def normalise_text(text: str) -> str:
    """Lower-case with typographic quotes folded, so that "Jack-o’-lantern" and "wizard's" keep
    their apostrophes as WordNet spells them and “Fuji” loses its quotes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"[\"\u201c\u201d]", " ", text).lower()


def caption_tags(caption: str | None) -> list[str]:
    """Lower-case content words of a caption in order of first use, stop words and digits
    removed (the caption counterpart of a Flickr photo's tags)."""
    if not caption:
        return []
    tags: list[str] = []
    for token in re.findall(r"[a-z]+", normalise_text(caption).replace("'s ", " ")):
        if len(token) > 1 and token not in STOP_WORDS and token not in tags:
            tags.append(token)
    return tags


def word_tokens(text: str) -> list[str]:
    """Word tokens with hyphens and apostrophes kept inside words, possessive 's dropped."""
    return [t[:-2] if t.endswith("'s") else t for t in _WORD.findall(text)]


def caption_clauses(caption: str | None) -> list[list[str]]:
    """The non-empty clauses of a caption as word tokens with aliases applied; clauses break at
    sentence punctuation, brackets, dashes and " - "."""
    text = normalise_text(caption or "")
    clauses = [word_tokens(c) for c in _CLAUSE_BREAK.split(text)]
    return [[ALIASES.get(t, t) for t in c] for c in clauses if c]


def name_tokens(image_id: str) -> list[str]:
    """Tokens of a stamp's file name: camelCase, ``_``/``-`` and digit runs split; digits and
    single letters (``t_glove``, ``b_1_king``) dropped; aliases applied."""
    stem = _CAMEL.sub("_", image_id.rsplit("/", 1)[-1])
    tokens = [t for t in _NAME_SPLIT.split(stem.lower()) if t]
    return [ALIASES.get(t, t) for t in tokens if len(t) > 1 and not t.isdigit()]
