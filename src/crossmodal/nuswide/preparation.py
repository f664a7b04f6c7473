"""The NUS-WIDE study's tables from a dataset, in two independent stages so that reruns follow the
data: :func:`prepare_study` reads the image table and the concept labels only (items, concepts,
tag vocabulary, tag matrix: what every tag-only model is fitted on), and :func:`whitened_sift`
reads the bag of visual words (the study's ``sift``). A change of a SIFT setting therefore reruns
the whitening and what reads it, never the tag vectors or LSA.

Items are the images with concept labels in the train or test split, sampled per split. They are
not filtered by the visual features: the feature stage gives every image of the table a BoVW row
(a uniform one for an image too small for one patch), so such a filter would only tie the tag
stages to SIFT; an item without a BoVW row is an error of the whitening step, naming the image.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from crossmodal.core.errors import InputError
from crossmodal.nuswide.concepts import (
    choose_concepts,
    concept_tags,
    sample_split,
    tag_matrix,
    tag_vocabulary,
)
from crossmodal.nuswide.study import ITEM_COLUMNS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedStudy:
    """What :func:`prepare_study` builds: items (image_id, split, one boolean column per
    concept), the concepts with their removed tags, and the items' tag matrix and vocabulary."""

    items: pd.DataFrame
    concepts: pd.DataFrame
    tags: np.ndarray
    vocabulary: pd.DataFrame


def prepare_study(
    images: pd.DataFrame,
    labels: pd.DataFrame,
    concept_names: Sequence[str],
    n_concepts: int,
    sizes: dict[str, int | None],
    seed: int,
    min_tag_images: int,
    max_tags: int | None,
) -> PreparedStudy:
    """Select the study's images (those with labels, sampled per split), its concepts
    (configured, or the most frequent) and its tag vocabulary (from training images); each
    concept's removed tags are its name's forms in the vocabulary."""
    ids = images["image_id"].astype(str)
    usable = ids.isin(set(labels.index)) & images["split"].isin(["train", "test"])
    if int((~usable).sum()):
        log.info("%d image(s) without labels or a train/test split left out", int((~usable).sum()))
    chosen = images[usable.to_numpy()][["image_id", "split", "tags"]].reset_index(drop=True)
    chosen["image_id"] = chosen["image_id"].astype(str)
    chosen = sample_split(chosen, sizes, seed)
    train = (chosen["split"] == "train").to_numpy()
    item_labels = labels.loc[chosen["image_id"]].reset_index(drop=True)
    concepts = choose_concepts(item_labels, train, concept_names, n_concepts)
    clash = [c for c in concepts if c in ITEM_COLUMNS]
    if clash:
        raise InputError(f"concept {clash[0]!r}: its name is a column of the items table")
    tag_lists = [[] if t is None else [str(x) for x in t] for t in chosen["tags"]]
    vocabulary = tag_vocabulary(
        [tag_lists[i] for i in np.flatnonzero(train)], min_tag_images, max_tags
    )
    words = vocabulary["tag"].tolist()
    items = chosen[list(ITEM_COLUMNS)].copy()
    for concept in concepts:
        items[concept] = item_labels[concept].astype(bool).to_numpy()
    concept_table = pd.DataFrame(
        {
            "concept": concepts,
            "removed_tags": [" ".join(concept_tags(c, words)) for c in concepts],
            "train_positives": [int(items.loc[train, c].sum()) for c in concepts],
            "test_positives": [int(items.loc[~train, c].sum()) for c in concepts],
        }
    )
    log.info(
        "%d training and %d test images, %d tags, concepts:\n%s",
        int(train.sum()),
        int((~train).sum()),
        len(words),
        concept_table.to_string(index=False),
    )
    return PreparedStudy(items, concept_table, tag_matrix(tag_lists, words), vocabulary)


def whiten(
    features: np.ndarray, train: np.ndarray, dim: int, seed: int
) -> tuple[np.ndarray, float]:
    """PCA whitening to ``dim`` dimensions fitted on the ``train`` rows, applied to every row:
    the training rows come out centred with identity covariance. Also returns the share of the
    training variance the ``dim`` components keep."""
    n_train = int(train.sum())
    if dim > min(n_train, features.shape[1]):
        raise InputError(
            f"nuswide.sift_dim: {dim} dimensions need at least as many training images and "
            f"visual words (have {n_train} and {features.shape[1]})"
        )
    pca = PCA(n_components=dim, whiten=True, random_state=seed).fit(features[train])
    return pca.transform(features).astype(np.float32), float(pca.explained_variance_ratio_.sum())


def whitened_sift(
    items: pd.DataFrame,
    bovw: np.ndarray,
    bovw_ids: pd.DataFrame,
    dim: int,
    seed: int,
    source: str | os.PathLike[str],
) -> np.ndarray:
    """The study's ``sift`` representation: each item's bag-of-visual-words row (matched on
    ``image_id``, in item order), PCA-whitened on the training items (:func:`whiten`).
    ``source``, the BoVW row index, is named when an item has no row there."""
    row = {image_id: i for i, image_id in enumerate(bovw_ids["image_id"].astype(str))}
    missing = [i for i in items["image_id"] if i not in row]
    if missing:
        raise InputError(f"{source}: no features for image {missing[0]!r}")
    visual = bovw[[row[i] for i in items["image_id"]]].astype(np.float64)
    sums = visual.sum(axis=1)
    log.info("BoVW row sums (L1 norm) %.4f..%.4f", sums.min(), sums.max())
    train = (items["split"] == "train").to_numpy()
    whitened, kept = whiten(visual, train, dim, seed)
    log.info("%d components keep %.1f%% of the training variance", whitened.shape[1], 100 * kept)
    return whitened
