"""Evaluations of the PIXIE study (Ailem et al., 2018): word similarity with coverage (Table 2),
propagation to words whose images were held out (Table 3), nearest neighbours (Tables 4-5) and
image-sentence retrieval (Table 6, with the model of :mod:`crossmodal.pixie.retrieval`).

Coverage: every benchmark pair counts in ``total``; a pair one of whose words has no vector in a
model is not covered (never silently dropped), and rho is computed over the covered pairs only
(crossmodal.metrics.similarity). Models therefore differ in coverage - the CNN and VAE baselines
cover only pairs of two visual words - and the table says so next to each rho.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import torch

from crossmodal.metrics.similarity import cover, spearman
from crossmodal.pixie.retrieval import (
    RetrievalConfig,
    captioned_split,
    encode_sentences,
    recall_at_k,
    train_retrieval,
)
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

SIMILARITY_COLUMNS = ("benchmark", "model", "rho", "covered", "total", "coverage")


def similarity_rows(
    models: Mapping[str, WordVectors],
    benchmarks: Mapping[str, pd.DataFrame],
    involving: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Spearman rho and coverage of every model on every benchmark. With ``involving``, only
    the pairs with at least one of those words count (both as written and lower-cased)."""
    keep_words = None if involving is None else {w.lower() for w in involving}
    rows = []
    for benchmark, pairs in benchmarks.items():
        if keep_words is not None:
            mask = pairs["word1"].astype(str).str.lower().isin(keep_words) | pairs["word2"].astype(
                str
            ).str.lower().isin(keep_words)
            pairs = pairs[mask]
        for model, vectors in models.items():
            covered = cover(vectors.position, pairs, benchmark)
            rows.append(
                {
                    "benchmark": benchmark,
                    "model": model,
                    "rho": spearman(vectors.matrix, covered),
                    "covered": covered.used,
                    "total": covered.total,
                    "coverage": covered.coverage,
                }
            )
    return pd.DataFrame(rows, columns=list(SIMILARITY_COLUMNS))


def propagation_table(
    visual_words: pd.DataFrame,
    models: Mapping[str, Mapping[str, WordVectors]],
    benchmarks: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    """Table 3: :func:`similarity_rows` over the benchmark pairs involving a held-out word
    (``visual_words`` rows with ``heldout`` true), for the models of setting ``all`` (images
    ``all``) and of setting ``heldout`` (images ``withheld``)."""
    heldout = list(visual_words.loc[visual_words["heldout"], "word"])
    log.info("%d held-out visual words", len(heldout))
    parts = []
    for setting, images in (("all", "all"), ("heldout", "withheld")):
        rows = similarity_rows(models[setting], benchmarks, involving=heldout)
        rows.insert(0, "images", images)
        parts.append(rows)
    table = pd.concat(parts, ignore_index=True)
    table["heldout_words"] = len(heldout)
    return table


def nearest_neighbours(vectors: WordVectors, probes: list[str], k: int, model: str) -> pd.DataFrame:
    """The ``k`` nearest other words of each probe by cosine (a probe the model lacks gets one
    row with no neighbour, so a table shows the gap rather than hiding it)."""
    unit = torch.nn.functional.normalize(torch.as_tensor(vectors.matrix, dtype=torch.float32))
    rows = []
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


def neighbour_tables(
    models: Mapping[str, WordVectors], probes: Mapping[str, Sequence[str]], k: int
) -> dict[str, pd.DataFrame]:
    """Tables 4-5: for each named list of ``probes``, the :func:`nearest_neighbours` of its
    probes under every model, one table per list."""
    return {
        name: pd.concat(
            [
                nearest_neighbours(vectors, list(words), k, model)
                for model, vectors in models.items()
            ],
            ignore_index=True,
        )
        for name, words in probes.items()
    }


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
