"""The nearest-tag reconstruction of the NUS-WIDE study (the paper's Figure 3): for sample test
images, given the SIFT features alone, the cross-modal network reconstructs the image's mean tag
vector; "by the way the system is built, it is not possible to recover the actual tags, but by
looking at the tags closest in the vector space model to the reconstruction vector" one sees what
it reconstructs. Closest is by cosine similarity (the paper does not say which measure; cosine is
the usual one between word vectors, and a mean of tag vectors is shorter than the tags' own, which
a Euclidean distance would confuse with meaning). The models are those of the ``all_tags`` slot,
fitted on every tag: the figure classifies nothing, and the paper's examples show concept tags
(water, sea) among the reconstructed ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.data.images import load_image
from crossmodal.nuswide.autoencoder import TrainedAutoencoder, reconstruct_text
from crossmodal.nuswide.names import ALL_TAGS
from crossmodal.nuswide.study import StudyData, check_fitted_without, top_tags
from crossmodal.nuswide.text_features import text_features
from crossmodal.text.vectors import WordVectors


def nearest_tags(
    reconstructed: np.ndarray, vectors: np.ndarray, vocabulary: Sequence[str], k: int
) -> list[list[str]]:
    """The ``k`` tags whose vectors have the highest cosine similarity with each row of
    ``reconstructed`` (mean tag vectors on the tag vectors' scale), closest first."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    rows = reconstructed / np.maximum(np.linalg.norm(reconstructed, axis=1, keepdims=True), 1e-12)
    return top_tags(rows @ unit.T, vocabulary, k)


def predicted_tag_table(
    data: StudyData,
    images: pd.DataFrame,
    trained: TrainedAutoencoder,
    tag_vectors: WordVectors,
    n_images: int,
    top: int,
    seed: int,
) -> pd.DataFrame:
    """Nearest-tag reconstruction of ``n_images`` random test images that have tags: the
    ``top`` tags closest to the mean tag vector the network reconstructs from the image alone,
    beside the image's real tags, with how many of the predicted tags are real."""
    if trained.model.text_in or trained.removed_tags:
        raise InputError(
            f"predicted tags: expected a cross-modal network of slot {ALL_TAGS} (SIFT in, every "
            f"tag kept), got a {trained.config.variant} without {trained.removed_tags}"
        )
    check_fitted_without(tag_vectors.words, data.vocabulary, tag_vectors.source)
    test = np.flatnonzero(~data.train & (data.tags.sum(axis=1) > 0))
    if not len(test):
        raise InputError("predicted tags: no test image has a tag of the vocabulary")
    rows = np.sort(
        np.random.default_rng(seed).choice(test, min(n_images, len(test)), replace=False)
    )
    _, scaler = text_features(data.tags, data.vocabulary, tag_vectors, data.train)
    reconstructed = scaler.invert(reconstruct_text(trained.model, data.require_visual()[rows]))
    predicted = nearest_tags(reconstructed, tag_vectors.rows(data.vocabulary), data.vocabulary, top)
    ids = data.items["image_id"].iloc[rows].tolist()
    table = images.assign(image_id=images["image_id"].astype(str)).set_index("image_id")
    real = [[str(t) for t in table.at[i, "tags"]] for i in ids]
    return pd.DataFrame(
        {
            "image_id": ids,
            "path": [str(table.at[i, "path"]) for i in ids],
            "real_tags": [" ".join(tags) for tags in real],
            "predicted_tags": [" ".join(tags) for tags in predicted],
            "hits": [len(set(p) & set(r)) for p, r in zip(predicted, real, strict=True)],
        }
    )


def thumbnails(paths: Sequence[str], side: int = 128) -> list[np.ndarray]:
    """RGB thumbnails (longer side ``side`` pixels) of image files, for figures."""
    return [load_image(path, side)[:, :, ::-1] for path in paths]
