"""How much visual meaning a per-word feature kind carries, measured without text or training.

For each visual word, the share of its ``k`` nearest words (cosine) that belong to the same
image category (for the Tux Paint stamps: the top-level folder, animals, food, vehicles...),
against the share that ``k`` words drawn at random would have. Features that see what a picture
shows put a badger next to other animals; features that see colour and outline put it next to
whatever else is brown and round. The measure needs no text vectors, so it compares feature
kinds (pretrained CNN, untrained CNN, bag of visual words) before any mapping is trained.

The visual-vocabulary report (:func:`vocabulary_report`) adds it, and the most and least
dispersed words (``dispersion`` of the word tables, Kiela et al. 2014), to the per-kind counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.features.per_word import visual_vocabulary
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

BLOCK = 1024  # query rows per similarity block: 1,024 x 10,000 float32 scores are 40 MB


@dataclass(frozen=True)
class CategoryAgreement:
    """``agreement``: mean over words of the share of their ``k`` nearest words in their own
    category; ``chance``: the same for random neighbours, mean of (n_c - 1) / (n - 1)."""

    words: int
    categories: int
    k: int
    agreement: float
    chance: float


def word_categories(images: pd.DataFrame) -> pd.Series:
    """Category of each word label of an image table (``word``, ``category``): the most frequent
    among its images, ties broken alphabetically, so that a word filed under two folders gets
    one category."""
    labelled = images.dropna(subset=["word", "category"])
    counts = labelled.groupby(["word", "category"]).size().rename("n").reset_index()
    counts = counts.sort_values(["word", "n", "category"], ascending=[True, False, True])
    return counts.groupby("word", sort=True)["category"].first().astype(str)


def nearest_words(matrix: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the ``k`` nearest rows of every row by cosine similarity, nearest first,
    the row itself excluded; equal scores go to the lower row number. A zero row has cosine 0
    with every row."""
    n = len(matrix)
    if not 0 < k < n:
        raise InputError(f"nearest words: k must be between 1 and {n - 1} words, got {k}")
    x = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    found = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        scores = unit[start:stop] @ unit.T
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        found[start:stop] = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return found


def category_agreement(
    vectors: WordVectors, categories: pd.Series, k: int
) -> CategoryAgreement | None:
    """:class:`CategoryAgreement` of the words of ``vectors`` that have a category
    (``categories``: word -> category); None when fewer than ``k + 1`` of them have one or all
    share one category (nothing to tell apart)."""
    known = [word for word in vectors.words if word in categories.index]
    labels = categories.reindex(known).to_numpy()
    if len(known) <= k or len(set(labels)) < 2:
        return None
    neighbours = nearest_words(vectors.rows(known), k)
    same = (labels[neighbours] == labels[:, None]).mean(axis=1)
    sizes = pd.Series(labels).value_counts()
    chance = (sizes[labels].to_numpy() - 1) / (len(known) - 1)
    return CategoryAgreement(
        words=len(known),
        categories=len(sizes),
        k=k,
        agreement=float(same.mean()),
        chance=float(chance.mean()),
    )


def dispersion_extremes(table: pd.DataFrame, count: int) -> tuple[str, str]:
    """The ``count`` most and least dispersed words of a word table, as "word (0.62), ..."
    (words with a single image have no dispersion and are left out)."""
    if "dispersion" not in table.columns:
        return "", ""
    ranked = table.dropna(subset=["dispersion"]).sort_values(
        ["dispersion", "word"], ascending=[False, True]
    )

    def shown(rows: pd.DataFrame) -> str:
        pairs = zip(rows["word"], rows["dispersion"], strict=True)
        return ", ".join(f"{word} ({value:.2f})" for word, value in pairs)

    return shown(ranked.head(count)), shown(ranked.tail(count).iloc[::-1])


def vocabulary_report(
    vectors: Mapping[str, WordVectors],
    text_vocabulary: pd.Series,
    images: pd.DataFrame,
    k: int,
    extremes: int,
) -> pd.DataFrame:
    """Per feature kind: the counts of :func:`visual_vocabulary`; the category agreement of
    the ``k`` nearest words (``same_category_k<k>``) and its chance level; the words' median
    image dispersion and the ``extremes`` most and least dispersed words.

    ``images`` is the image table the words came from; without a ``category`` column (or with
    a single category) the agreement columns are empty.
    """
    report = visual_vocabulary({kind: v.table for kind, v in vectors.items()}, text_vocabulary)
    categories = word_categories(images) if "category" in images.columns else pd.Series(dtype=str)
    extra = []
    for kind in report["kind"]:
        agreement = category_agreement(vectors[kind], categories, k)
        most, least = dispersion_extremes(vectors[kind].table, extremes)
        dispersion = vectors[kind].table.get("dispersion", pd.Series(dtype=float))
        row = {
            "words_with_category": agreement.words if agreement else 0,
            f"same_category_k{k}": agreement.agreement if agreement else np.nan,
            f"chance_k{k}": agreement.chance if agreement else np.nan,
            "median_dispersion": float(dispersion.median()) if dispersion.notna().any() else np.nan,
            "most_dispersed": most,
            "least_dispersed": least,
        }
        log.info("%s: %s", kind, asdict(agreement) if agreement else "no category agreement")
        extra.append(row)
    return pd.concat([report, pd.DataFrame(extra)], axis=1)
