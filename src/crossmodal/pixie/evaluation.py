"""Evaluations of the PIXIE study (Ailem et al., 2018): word similarity (Table 2), propagation to
words whose images were held out (Table 3), pair cosines (Table 4), nearest neighbours (Table 5)
and image-sentence retrieval (Table 6, with the model of :mod:`crossmodal.pixie.retrieval`).

Shared pairs. Within a table, or a setting of Table 2, every model is scored on the same pairs:
those of the setting that every scoring model covers (both words have a vector), counted in the
table (``scored`` of the benchmark's ``total``), so that rows differ by their vectors and not by
the pairs they happen to cover. Table 2's settings are the paper's: ``all`` pairs, and
``visual`` pairs, both of whose words are visual words. A model with vectors for visual words
only (CNN, VAE and their concatenations with SGNS) cannot score the ``all`` setting: its row
there has no value (the paper's "-"), and it does not narrow the other models' pairs. Table 3
scores the pairs both of whose words are held out, as the paper's "pairs composed of words in
the above subset of 2K words".
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import torch

from crossmodal.metrics.similarity import cover, pair_cosines, pair_rows, spearman
from crossmodal.pixie.retrieval import (
    RetrievalConfig,
    captioned_split,
    encode_sentences,
    recall_at_k,
    train_retrieval,
)
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

SIMILARITY_COLUMNS = ("benchmark", "pairs", "model", "rho", "scored", "total", "share")
PROPAGATION_COLUMNS = ("benchmark", "model", "images", "rho", "scored", "total", "heldout_words")
# Models that read no image: Table 3 has one row of each (the paper's single SGNS row).
TEXT_ONLY = frozenset({"sgns", "sgnsgensim"})


def _within(words: Collection[str], pairs: pd.DataFrame) -> np.ndarray:
    """Which pairs have both words in ``words`` (looked up as the vectors are)."""
    first, second = pair_rows({w: i for i, w in enumerate(words)}, pairs)
    return (first >= 0) & (second >= 0)


def _shared(models: Iterable[WordVectors], pairs: pd.DataFrame) -> np.ndarray:
    """Which pairs every one of ``models`` covers."""
    mask = np.ones(len(pairs), dtype=bool)
    for vectors in models:
        first, second = pair_rows(vectors.position, pairs)
        mask &= (first >= 0) & (second >= 0)
    return mask


def _rho(vectors: WordVectors, pairs: pd.DataFrame, name: str) -> float:
    return spearman(vectors.matrix, cover(vectors.position, pairs, name))


def similarity_table(
    models: Mapping[str, WordVectors],
    benchmarks: Mapping[str, pd.DataFrame],
    visual_words: Collection[str],
) -> pd.DataFrame:
    """Table 2: Spearman rho of every model on the shared pairs of each benchmark and setting
    (``all``, ``visual``; see the module docstring), NaN for a model that cannot score a
    setting; ``scored`` shared pairs of ``total``, ``share`` their fraction."""
    visual = set(visual_words)
    visual_only = {name: set(v.words) <= visual for name, v in models.items()}
    rows = []
    for benchmark, pairs in benchmarks.items():
        for setting in ("all", "visual"):
            chosen = pairs if setting == "all" else pairs[_within(visual, pairs)]
            scoring = [n for n in models if setting == "visual" or not visual_only[n]]
            shared = chosen[_shared((models[n] for n in scoring), chosen)]
            for name, vectors in models.items():
                rho = _rho(vectors, shared, benchmark) if name in scoring else float("nan")
                rows.append((benchmark, setting, name, rho, len(shared), len(pairs)))
    table = pd.DataFrame(rows, columns=list(SIMILARITY_COLUMNS[:-1]))
    table["share"] = table["scored"] / table["total"]
    return table


def propagation_table(
    visual_words: pd.DataFrame,
    models: Mapping[str, Mapping[str, WordVectors]],
    benchmarks: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    """Table 3: Spearman rho on the pairs both of whose words are held out (``visual_words``
    rows with ``heldout`` true), shared by all rows: each model trained with all images
    (``models["all"]``) and with the held-out words' images withheld (``models["heldout"]``,
    the paper's (*) rows), a text-only model (:data:`TEXT_ONLY`) once, with images ``none``."""
    heldout = set(visual_words.loc[visual_words["heldout"], "word"])
    entries = []
    for name in models["all"]:
        settings = (
            [("none", "all")] if name in TEXT_ONLY else [("all", "all"), ("withheld", "heldout")]
        )
        entries += [(name, images, models[setting][name]) for images, setting in settings]
    rows = []
    for benchmark, pairs in benchmarks.items():
        chosen = pairs[_within(heldout, pairs)]
        shared = chosen[_shared((vectors for _, _, vectors in entries), chosen)]
        for name, images, vectors in entries:
            rows.append(
                (benchmark, name, images, _rho(vectors, shared, benchmark), len(shared), len(pairs))
            )
    table = pd.DataFrame(rows, columns=list(PROPAGATION_COLUMNS[:-1]))
    table["heldout_words"] = len(heldout)
    log.info("%d held-out visual words", len(heldout))
    return table


def pair_cosine_table(
    pairs: Sequence[Sequence[str]], models: Mapping[str, WordVectors], heldout: Collection[str]
) -> pd.DataFrame:
    """Table 4: the cosine of each word pair under each model (a column per model; NaN where a
    model lacks a word), and whether both words of the pair are held-out visual words."""
    table = pd.DataFrame([tuple(p) for p in pairs], columns=["word1", "word2"])
    table["score"] = 0.0
    table.insert(2, "heldout", _within(set(heldout), table))
    for name, vectors in models.items():
        covered = _shared([vectors], table)
        values = np.full(len(table), np.nan)
        values[covered] = pair_cosines(vectors.matrix, cover(vectors.position, table[covered]))
        table[name] = values.round(4)
    return table.drop(columns="score")


def nearest_neighbours(vectors: WordVectors, probes: list[str], k: int, model: str) -> pd.DataFrame:
    """The ``k`` nearest other words of each probe by cosine (a probe the model lacks gets one
    row with no neighbour, so a table shows the gap rather than hiding it)."""
    unit = torch.nn.functional.normalize(torch.as_tensor(vectors.matrix, dtype=torch.float32))
    rows: list[dict[str, object]] = []
    for probe in probes:
        if probe not in vectors:
            rows.append(
                {"probe": probe, "model": model, "rank": None, "neighbour": None, "cosine": None}
            )
            continue
        position = int(vectors.positions([probe])[0])
        scores = unit @ unit[position]
        scores[position] = -torch.inf
        top = torch.topk(scores, min(k, len(vectors) - 1))
        for rank, (score, index) in enumerate(zip(top.values, top.indices, strict=True), 1):
            rows.append(
                {
                    "probe": probe,
                    "model": model,
                    "rank": rank,
                    "neighbour": vectors.words[int(index)],
                    "cosine": round(float(score), 4),
                }
            )
    table = pd.DataFrame(rows, columns=["probe", "model", "rank", "neighbour", "cosine"])
    return table.astype({"rank": "Int64"})


def neighbour_table(
    models: Mapping[str, WordVectors], queries: Sequence[str], k: int, visual_words: Collection[str]
) -> pd.DataFrame:
    """Table 5: the :func:`nearest_neighbours` of every query word under every model, and
    whether the query is a visual word (has a visual vector in the study)."""
    table = pd.concat(
        [nearest_neighbours(vectors, list(queries), k, name) for name, vectors in models.items()],
        ignore_index=True,
    )
    table.insert(1, "visual", table["probe"].isin(set(visual_words)))
    return table.rename(columns={"probe": "query"})


def retrieval_scores(
    name: str,
    vectors: WordVectors,
    features: np.ndarray,
    feature_ids: pd.DataFrame,
    images: pd.DataFrame,
    captions: pd.DataFrame | None,
    config: RetrievalConfig,
    splits: Mapping[str, str],
    ks: Sequence[int],
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> pd.DataFrame:
    """One row of Table 6: R@K on the ``splits["test"]`` images of a retrieval model whose
    sentence encoder starts from ``vectors`` (model ``name``), trained (resumably) on the
    ``splits["train"]`` images; with the test set's size and the last epoch's training loss.
    Images, features and captions are as :func:`crossmodal.pixie.retrieval.captioned_split`
    reads them."""
    train = captioned_split(features, feature_ids, images, captions, splits["train"])
    test = captioned_split(features, feature_ids, images, captions, splits["test"])
    log.info(
        "train: %d images, %d captions; test: %d images, %d captions",
        len(train.features),
        len(train.sentences),
        len(test.features),
        len(test.sentences),
    )
    model, losses = train_retrieval(
        vectors, train.features, train.sentences, train.sentence_image, config, device, resume
    )
    ids, lengths = encode_sentences(test.sentences, vectors)
    image_vectors, sentence_vectors = model.embed(test.features, ids, lengths)
    row = {
        "model": name,
        **recall_at_k(image_vectors, sentence_vectors, test.sentence_image, ks),
        "test_images": len(test.features),
        "test_captions": len(test.sentences),
        "final_loss": losses[-1],
    }
    return pd.DataFrame([row])


def retrieval_table(rows: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Table 6: the :func:`retrieval_scores` rows of every model, rounded to 2 decimals."""
    return pd.concat(list(rows), ignore_index=True).round(2)
