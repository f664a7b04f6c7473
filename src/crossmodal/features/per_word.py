"""Per-word visual vectors: the mean feature vector of the images of each WordNet noun synset.

This is how Collell & Moens (2018) and PIXIE (Ailem et al., 2018) turn an image collection into
one visual vector per concept. MMFeat (Kiela, 2016) also offers the element-wise maximum over a
word's images, chosen here by ``aggregation`` (``mean`` or ``max``); and beside every vector the
word's image dispersion (Kiela, Hill, Korhonen & Clark, 2014: the mean pairwise cosine distance
between its image vectors), which they found to predict how concrete a word is.

PIXIE fills in concepts that ImageNet has few pictures of with the pictures of their hyponyms
(a "dog" is also shown by its poodles); we do the same:

* A synset's own images are the rows of the image table labelled with it.
* A synset with fewer than ``backfill_below`` own images borrows the own images of its hyponyms
  (``hyponyms`` and ``instance_hyponyms``), one WordNet level at a time and at most
  ``max_depth`` levels down, stopping at the first level that brings it to ``backfill_below``:
  the nearest kinds stand in for the concept before more distant ones. The walk passes through
  synsets without images; only synsets with images of their own lend them.
* A synset that then has fewer than ``min_images`` images is dropped (and counted).

The two thresholds are separate because they answer different questions: how many pictures make
a reliable mean (borrow below it), and how few are still worth a word at all (drop below it). On
ImageNet both can be the same; a small collection such as the Tux Paint stamps, with one picture
for most concepts, keeps its words with ``min_images=1`` and still backfills the thin ones.

All images of a word are used, not only the training split: the mapping experiments hold out
*words*, not images, so a word's visual vector is its whole picture set.

Each row is named by a word, so that it can be joined with text vectors. The word of a synset is
the ``word`` its images are labelled with; if they carry several, the most frequent (then the
alphabetically first) is used and the others are kept in ``other_words``. If two synsets end up
with the same word (homonyms), the one with more own images (then more images in all, then the
first synset name) keeps the word and the other is dropped and counted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from nltk.corpus.reader.wordnet import WordNetCorpusReader, WordNetError

from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.data.wordnet import relation_levels
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

WORD_COLUMNS: tuple[str, ...] = (
    "word",
    "synset",
    "n_images",
    "backfilled",
    "n_backfill_images",
    "other_words",
    "dispersion",
)

AGGREGATIONS: tuple[str, ...] = ("mean", "max")


@dataclass(frozen=True)
class AveragingSummary:
    """Counts reached by :func:`average_word_features`, for the log."""

    images_with_synset: int
    images_without_synset: int
    images_without_features: int
    synsets: int
    synsets_with_several_words: int
    backfilled: int
    dropped_too_few_images: int
    dropped_homonyms: int
    words: int


def _canonical_synset(wordnet: WordNetCorpusReader, name: str, image_id: str) -> str:
    """NLTK's canonical name of a synset (a lemma-based alias such as ``domestic_dog.n.01``
    names the same synset as ``dog.n.01``, and both must pool their images)."""
    try:
        synset = wordnet.synset(name)
    except (WordNetError, ValueError) as err:
        raise InputError(
            f"synset {name!r} of image {image_id!r}: not a WordNet synset name ({err})"
        ) from err
    if synset.pos() != "n":
        raise InputError(f"synset {name!r} of image {image_id!r}: expected a noun synset")
    return synset.name()


def _synset_words(labelled: pd.DataFrame) -> pd.DataFrame:
    """One row per synset: its word (most frequent label, ties alphabetical) and other labels."""
    counts = labelled.groupby(["synset", "word"]).size().rename("n").reset_index()
    counts = counts.sort_values(["synset", "n", "word"], ascending=[True, False, True])
    chosen = counts.groupby("synset", sort=True).agg(
        word=("word", "first"), other_words=("word", lambda words: sorted(words.iloc[1:]))
    )
    return chosen.reset_index()


def image_dispersion(vectors: np.ndarray) -> float:
    """Mean cosine distance over all pairs of rows (Kiela et al., 2014); NaN below two rows.

    Computed from the sum of the unit vectors (the sum of all pairwise cosines is the squared
    norm of that sum minus the rows' own terms), so it costs O(n d) instead of O(n^2 d): an
    ImageNet word has hundreds of images. A zero row counts as orthogonal to every other row.
    """
    n = len(vectors)
    if n < 2:
        return float("nan")
    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    total = unit.sum(axis=0)
    pair_cosines = float(total @ total - np.einsum("ij,ij->", unit, unit))
    return 1.0 - pair_cosines / (n * (n - 1))


def _aggregate(rows: np.ndarray, aggregation: str) -> np.ndarray:
    """One vector of a word's image rows: the float64 mean, or the element-wise max."""
    if aggregation == "max":
        return rows.max(axis=0)
    return rows.mean(axis=0, dtype=np.float64)


def average_word_features(
    features: np.ndarray,
    feature_ids: pd.Series,
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    min_images: int,
    max_depth: int,
    backfill_below: int | None = None,
    aggregation: str = "mean",
) -> tuple[WordVectors, AveragingSummary]:
    """Mean (or, with ``aggregation="max"``, element-wise maximum) image feature per synset,
    with hyponym backfill; one row per word, sorted by word.

    ``features[i]`` is the feature vector of image ``feature_ids[i]``; ``images`` is the
    canonical image table (``image_id``, ``word``, ``synset``). The returned table has
    :data:`WORD_COLUMNS`: ``n_images`` counts the synset's own images and
    ``n_backfill_images`` those borrowed from hyponyms (``backfilled`` is true when any were);
    ``dispersion`` is the :func:`image_dispersion` of the images the vector was made from.
    ``backfill_below`` defaults to ``min_images``.

    One piece (over 60 lines) because the steps share the row index of every image and synset:
    join on image id, canonical synsets, backfill, the homonym choice and the summary counts.
    """
    backfill_below = min_images if backfill_below is None else backfill_below
    if min_images < 1 or max_depth < 0 or backfill_below < 1:
        raise InputError(
            "min_images and backfill_below must be >= 1 and max_hyponym_depth >= 0, got "
            f"{min_images}, {backfill_below} and {max_depth}"
        )
    if aggregation not in AGGREGATIONS:
        raise InputError(
            f"words.aggregation: unknown {aggregation!r}; known: {', '.join(AGGREGATIONS)}"
        )
    if len(feature_ids) != features.shape[0]:
        raise InputError(
            f"feature ids: {len(feature_ids)} ids for {features.shape[0]} feature rows"
        )
    ids = pd.Series(feature_ids, dtype="string").reset_index(drop=True)
    if ids.duplicated().any():
        raise InputError(f"feature ids: image {ids[ids.duplicated()].iloc[0]!r} has two rows")
    row_of = pd.Series(np.arange(len(ids)), index=ids)

    with_synset = images[images["synset"].notna()].copy()
    if with_synset["word"].isna().any():
        bad = with_synset.loc[with_synset["word"].isna(), "image_id"].iloc[0]
        raise InputError(f"image {bad!r}: has a synset but no word")
    with_synset["image_id"] = with_synset["image_id"].astype("string")
    with_features = with_synset[with_synset["image_id"].isin(row_of.index)].copy()
    first_images = with_features.drop_duplicates("synset")
    canonical = {
        name: _canonical_synset(wordnet, name, image_id)
        for name, image_id in zip(first_images["synset"], first_images["image_id"], strict=True)
    }
    with_features["synset"] = with_features["synset"].map(canonical)
    with_features["row"] = row_of[with_features["image_id"]].to_numpy()

    own = {
        synset: np.sort(group["row"].to_numpy())
        for synset, group in with_features.groupby("synset", sort=True)
    }
    words = _synset_words(with_features).set_index("synset")

    vectors: dict[str, np.ndarray] = {}
    dispersions: dict[str, float] = {}
    borrowed_counts: dict[str, int] = {}
    dropped_few = 0
    for synset in progress(sorted(own), total=len(own), desc="synsets"):
        rows = own[synset]
        borrowed: list[np.ndarray] = []
        if len(rows) < backfill_below:
            total = len(rows)
            for level in relation_levels([wordnet.synset(synset)], "hyponyms", max_depth):
                lent = [own[h] for h in level if h in own]
                borrowed.extend(lent)
                total += sum(len(r) for r in lent)
                if total >= backfill_below:
                    break
        all_rows = np.unique(np.concatenate([rows, *borrowed]))
        if len(all_rows) < min_images:
            dropped_few += 1
            continue
        vectors[synset] = _aggregate(features[all_rows], aggregation)
        dispersions[synset] = image_dispersion(features[all_rows])
        borrowed_counts[synset] = len(all_rows) - len(rows)

    table = pd.DataFrame(
        {
            "word": [words.at[s, "word"] for s in vectors],
            "synset": list(vectors),
            "n_images": [len(own[s]) for s in vectors],
            "backfilled": [borrowed_counts[s] > 0 for s in vectors],
            "n_backfill_images": [borrowed_counts[s] for s in vectors],
            "other_words": [words.at[s, "other_words"] for s in vectors],
            "dispersion": [dispersions[s] for s in vectors],
        },
        columns=list(WORD_COLUMNS),
    )
    table["total"] = table["n_images"] + table["n_backfill_images"]
    table = table.sort_values(
        ["word", "n_images", "total", "synset"], ascending=[True, False, False, True]
    )
    homonyms = table["word"].duplicated()
    for row in table[homonyms].itertuples():
        log.info(
            "word %r: synset %s dropped, the word is kept for another synset", row.word, row.synset
        )
    table = table[~homonyms].drop(columns="total").reset_index(drop=True)
    matrix = np.zeros((len(table), features.shape[1]), dtype=np.float32)
    for position, synset in enumerate(table["synset"]):
        matrix[position] = vectors[synset]

    summary = AveragingSummary(
        images_with_synset=len(with_synset),
        images_without_synset=len(images) - len(with_synset),
        images_without_features=len(with_synset) - len(with_features),
        synsets=len(own),
        synsets_with_several_words=int((words["other_words"].map(len) > 0).sum()),
        backfilled=int(table["backfilled"].sum()),
        dropped_too_few_images=dropped_few,
        dropped_homonyms=int(homonyms.sum()),
        words=len(table),
    )
    for name, value in vars(summary).items():
        log.info("%s: %d", name, value)
    return WordVectors(matrix, table, "visual word vectors"), summary


def visual_vocabulary(
    word_tables: Mapping[str, pd.DataFrame], text_vocabulary: pd.Series
) -> pd.DataFrame:
    """Counts reached per feature kind: visual words, how many were backfilled, and how many
    also have a text vector (the words a cross-modal mapping can use)."""
    known = set(text_vocabulary)
    rows = []
    for kind, table in sorted(word_tables.items()):
        in_text = table["word"].isin(known)
        rows.append(
            {
                "kind": kind,
                "visual_words": len(table),
                "backfilled": int(table["backfilled"].sum()),
                "in_text_vocabulary": int(in_text.sum()),
                "backfilled_in_text_vocabulary": int((in_text & table["backfilled"]).sum()),
                "text_vocabulary": len(known),
            }
        )
        log.info("%s", rows[-1])
    return pd.DataFrame(rows)
