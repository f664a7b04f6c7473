"""Per-word visual vectors as the PIXIE paper builds them (Ailem et al., 2018, Sect. 4.1, "Visual
representation of words"), beside :mod:`crossmodal.features.per_word`'s one-synset-per-word
vectors:

* every noun synset of the word (NLTK's ``synsets(word, pos="n")``, which also finds a plural's
  lemma) that the image collection covers is one of the word's senses; a word with no covered
  sense is not a visual word;
* the word's images are the images of all its covered senses; more than ``per_word`` of them
  (the paper: 1,000) are reduced to ``per_word`` drawn at random without replacement;
* a word with fewer than ``per_word`` images borrows images of the hypernyms of its senses
  (as Kiela & Bottou, 2014), one WordNet level at a time (level 1: the direct hypernyms and
  instance hypernyms) and at most ``max_hypernym_depth`` levels up, drawn at random when a level
  has more than the word still lacks; only images labelled with the hypernym itself are lent;
* the word's vector is the mean feature of those images.

``splits`` restricts the images to those of the given values of the image table's ``split``
column: when the same images are retrieval test images elsewhere in a study, their features must
not reach any word vector. Draws are seeded per word (from ``seed`` and the word), so a word's
vector does not depend on which other words are asked for.

How far up the backfill may climb is not in the paper (our ``max_hypernym_depth``); without a
bound a word of a small collection borrows from ever more general synsets until its vector is
the mean of nearly everything.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader, WordNetError

from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.data.wordnet import relation_levels
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

SENSE_COLUMNS: tuple[str, ...] = ("word", "senses", "n_images", "n_backfill_images", "backfilled")


def _own_images(
    feature_ids: pd.Series,
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    splits: Sequence[str] | None,
) -> dict[str, np.ndarray]:
    """Feature rows of the images labelled with each synset (NLTK's canonical name), among the
    images with features and, if ``splits`` is given, of those splits."""
    row_of = pd.Series(np.arange(len(feature_ids)), index=pd.Index(feature_ids.astype(str)))
    if row_of.index.duplicated().any():
        raise InputError("feature ids: an image has two rows")
    table = images[images["synset"].notna()]
    if splits is not None:
        table = table[table["split"].isin(list(splits))]
    table = table[table["image_id"].astype(str).isin(row_of.index)]
    canonical: dict[str, str] = {}
    for name, image_id in zip(table["synset"], table["image_id"], strict=True):
        if name not in canonical:
            try:
                canonical[name] = wordnet.synset(name).name()
            except (WordNetError, ValueError) as err:
                raise InputError(f"image {image_id!r}: synset {name!r} is not in WordNet") from err
    rows = row_of[table["image_id"].astype(str)].to_numpy()
    synsets = table["synset"].map(canonical).to_numpy()
    return {synset: np.sort(rows[synsets == synset]) for synset in sorted(set(synsets.tolist()))}


def _draw(rows: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` of ``rows`` at random without replacement (all of them if there are no more)."""
    return rows if len(rows) <= n else np.sort(rng.choice(rows, size=n, replace=False))


def word_images(
    senses: list[Synset],
    own: dict[str, np.ndarray],
    per_word: int,
    max_depth: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """The feature rows averaged for a word whose covered senses are ``senses``, and how many
    of them were borrowed from hypernyms (see the module docstring)."""
    pooled = np.unique(np.concatenate([own[s.name()] for s in senses]))
    chosen = _draw(pooled, per_word, rng)
    borrowed = 0
    for level in relation_levels(senses, "hypernyms", max_depth) if len(chosen) < per_word else []:
        lent = [own[h] for h in level if h in own]
        if not lent:
            continue
        extra = np.setdiff1d(np.unique(np.concatenate(lent)), chosen)
        extra = _draw(extra, per_word - len(chosen), rng)
        chosen, borrowed = np.concatenate([chosen, extra]), borrowed + len(extra)
        if len(chosen) >= per_word:
            break
    return chosen, borrowed


def sense_word_features(
    words: Sequence[str],
    features: np.ndarray,
    feature_ids: pd.Series,
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    per_word: int,
    max_hypernym_depth: int,
    splits: Sequence[str] | None = None,
    seed: int = 0,
) -> WordVectors:
    """The visual vector of each of ``words`` that has a covered noun sense, in the order of
    ``words`` (see the module docstring). ``features[i]`` is image ``feature_ids[i]``'s;
    ``images`` has image_id, synset and split. The table has :data:`SENSE_COLUMNS`."""
    if per_word < 1 or max_hypernym_depth < 0:
        raise InputError(
            f"images per word must be >= 1 and hypernym depth >= 0, got {per_word} and "
            f"{max_hypernym_depth}"
        )
    if len(feature_ids) != len(features):
        raise InputError(f"feature ids: {len(feature_ids)} ids for {len(features)} feature rows")
    own = _own_images(pd.Series(feature_ids), images, wordnet, splits)
    rows, vectors = [], []
    for word in progress(list(words), total=len(words), desc="words"):
        senses = [s for s in wordnet.synsets(word, pos="n") if s.name() in own]
        if not senses:
            continue
        rng = np.random.default_rng([seed, zlib.crc32(word.encode("utf-8"))])
        chosen, borrowed = word_images(senses, own, per_word, max_hypernym_depth, rng)
        vectors.append(features[chosen].mean(axis=0, dtype=np.float64))
        names = ",".join(s.name() for s in senses)
        rows.append((word, names, len(chosen) - borrowed, borrowed, borrowed > 0))
    if not rows:
        raise InputError("no word has a noun sense among the images' synsets")
    table = pd.DataFrame(rows, columns=list(SENSE_COLUMNS))
    log.info(
        "%d of %d words have images of a noun sense (%d backfilled from hypernyms); %d synsets "
        "with images%s",
        len(table),
        len(words),
        int(table["backfilled"].sum()),
        len(own),
        f" of splits {', '.join(splits)}" if splits is not None else "",
    )
    return WordVectors(np.array(vectors, dtype=np.float32), table, "visual words (all senses)")
