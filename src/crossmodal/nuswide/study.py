"""The NUS-WIDE multimodal study: image and tag representations compared by how well a linear
classifier finds concepts in them (mean ROC AUC over concepts, the study's Table 2).

Representations of an image (all fitted on training images only):

* ``sift``: the dense-SIFT bag of visual words of the feature stage (L1-normalised histograms),
  PCA-whitened (:func:`whiten`);
* ``tags``: the binary bag of tags; ``tags_sift``: both, side by side;
* ``tag_vectors``: the mean semantic word vector of its tags, and ``lsa``: its LSA projection
  (:mod:`crossmodal.nuswide.tag_vectors`);
* ``joint``, ``crossmodal1``, ``crossmodal2``: hidden layers of the joint autoencoder variants
  (:mod:`crossmodal.nuswide.autoencoder`).

For each concept, the concept's own tags (:func:`crossmodal.nuswide.concepts.concept_tags`) are
zeroed
in the tag matrix before any tag-based representation is computed (:func:`features`), so that no
representation can read the concept off its name. The tag vectors, LSA and the autoencoders are
fitted once, without labels, on all tags of the training images; for concept c the tag c is zeroed
at their input, so an image's features cannot depend on whether it has tag c.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.data.images import load_image
from crossmodal.nuswide.autoencoder import (
    JointAutoencoder,
    encode,
    predict_tags,
    read_autoencoder,
)
from crossmodal.nuswide.concepts import (
    choose_concepts,
    concept_tags,
    sample_split,
    tag_matrix,
    tag_vocabulary,
    without_tags,
)
from crossmodal.nuswide.names import REPRESENTATIONS
from crossmodal.nuswide.tag_vectors import mean_tag_vectors
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

#: Columns of the study's items table besides one boolean column per concept.
ITEM_COLUMNS = ("image_id", "split")
#: Columns of the concepts table.
CONCEPT_COLUMNS = ("concept", "removed_tags", "train_positives", "test_positives")


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


@dataclass(frozen=True)
class StudyData:
    """The study's items with their concept labels, whitened SIFT and tag matrix, row-aligned."""

    items: pd.DataFrame
    concepts: pd.DataFrame
    visual: np.ndarray
    tags: np.ndarray
    vocabulary: list[str]

    @property
    def train(self) -> np.ndarray:
        """Mask of the training rows."""
        return (self.items["split"] == "train").to_numpy()

    def removed(self, concept: str) -> list[str]:
        """The tags removed from the features of ``concept``."""
        row = self.concepts[self.concepts["concept"] == concept]
        if row.empty:
            raise InputError(f"concepts table: no concept {concept!r}")
        text = str(row["removed_tags"].iloc[0])
        return text.split() if text else []

    def tags_without(self, concept: str) -> np.ndarray:
        """The tag matrix with the concept's own tags zeroed."""
        return without_tags(self.tags, self.vocabulary, self.removed(concept))

    @classmethod
    def read_inputs(cls, inputs: Any) -> StudyData:
        """:meth:`read` on a job's named inputs (``item_table``, ``concepts``, ``visual``,
        ``visual_ids``, ``tags``, ``tag_ids``, ``vocabulary``: the names the study's rules use)."""
        return cls.read(
            inputs.item_table,
            inputs.concepts,
            (inputs.visual, inputs.visual_ids),
            (inputs.tags, inputs.tag_ids),
            inputs.vocabulary,
        )

    @classmethod
    def read(
        cls,
        items: str | os.PathLike[str],
        concepts: str | os.PathLike[str],
        visual: tuple[str | os.PathLike[str], str | os.PathLike[str]],
        tags: tuple[str | os.PathLike[str], str | os.PathLike[str]],
        vocabulary: str | os.PathLike[str],
    ) -> StudyData:
        """Read the prepared tables and matrices, checking that their rows are the items'."""
        item_table = read_parquet(items, ITEM_COLUMNS)
        concept_table = read_parquet(concepts, CONCEPT_COLUMNS)
        ids = item_table["image_id"].astype(str).tolist()
        matrices = []
        for npy, index in (visual, tags):
            matrix, rows = read_matrix(npy, index, ["image_id"])
            if rows["image_id"].astype(str).tolist() != ids:
                raise InputError(f"{index}: rows are not the images of {items} in their order")
            matrices.append(matrix.astype(np.float32))
        vocab = read_parquet(vocabulary, ["tag"])["tag"].astype(str).tolist()
        if matrices[1].shape[1] != len(vocab):
            raise InputError(f"{tags[0]}: {matrices[1].shape[1]} columns but {len(vocab)} tags")
        return cls(item_table, concept_table, matrices[0], matrices[1], vocab)


def read_models(representation: str, inputs: Any) -> dict[str, WordVectors | JointAutoencoder]:
    """The fitted models :func:`features` takes for ``representation``, by its keyword, from a
    job's named inputs (``vectors`` and ``vector_words`` for tag vectors or LSA, ``autoencoder``
    for an autoencoder variant: the names rule classify_nuswide_concepts uses)."""
    models: dict[str, WordVectors | JointAutoencoder] = {}
    if representation in ("tag_vectors", "lsa"):
        models[representation] = WordVectors.read(inputs.vectors, inputs.vector_words)
    if hasattr(inputs, "autoencoder"):
        models["autoencoder"] = read_autoencoder(inputs.autoencoder)
    return models


def features(
    representation: str,
    data: StudyData,
    concept: str,
    tag_vectors: WordVectors | None = None,
    lsa: WordVectors | None = None,
    autoencoder: JointAutoencoder | None = None,
) -> np.ndarray:
    """Every item's ``representation`` for classifying ``concept`` (its own tags removed)."""
    if representation not in REPRESENTATIONS:
        raise InputError(f"unknown representation {representation!r}")
    if representation == "sift":
        return data.visual
    tags = data.tags_without(concept)
    if representation == "tags":
        return tags
    if representation == "tags_sift":
        return np.hstack([data.visual, tags])
    if representation in ("tag_vectors", "lsa"):
        vectors = tag_vectors if representation == "tag_vectors" else lsa
        if vectors is None:
            raise InputError(f"representation {representation}: its tag vectors were not given")
        matrix = vectors.rows(data.vocabulary)
        if representation == "lsa":
            return tags @ matrix
        return mean_tag_vectors(tags, matrix)
    if autoencoder is None:
        raise InputError(f"representation {representation}: no autoencoder given")
    return encode(autoencoder, data.visual, tags)


def auc_table(scores: Sequence[pd.DataFrame], concepts: Sequence[str]) -> pd.DataFrame:
    """The study's Table 2: one row per representation (in :data:`REPRESENTATIONS` order), its
    test AUC per concept and the mean over concepts."""
    frame = pd.concat(scores, ignore_index=True)
    missing = sorted(set(concepts) - set(frame["concept"]))
    if missing:
        raise InputError(f"AUC scores: no score for concept {missing[0]!r}")
    wide = frame.pivot(index="representation", columns="concept", values="auc")[list(concepts)]
    order = [r for r in REPRESENTATIONS if r in wide.index]
    wide = wide.loc[order]
    table = pd.DataFrame(
        {
            "representation": order,
            "label": [REPRESENTATIONS[r][0] for r in order],
            "mean_auc": wide.mean(axis=1).to_numpy(),
        }
    )
    for concept in concepts:
        table[concept] = wide[concept].to_numpy()
    return table.round(4)


def top_tags(scores: np.ndarray, vocabulary: Sequence[str], k: int) -> list[list[str]]:
    """The ``k`` highest-scoring tags of each row, best first."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[vocabulary[i] for i in row] for row in order]


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
    feature_ids: Sequence[str],
    concept_names: Sequence[str],
    n_concepts: int,
    sizes: dict[str, int | None],
    seed: int,
    min_tag_images: int,
    max_tags: int | None,
) -> PreparedStudy:
    """Select the study's images (those with visual features and labels, sampled per split),
    its concepts (configured, or the most frequent) and its tag vocabulary (from training
    images); each concept's removed tags are its name's forms in the vocabulary."""
    ids = images["image_id"].astype(str)
    usable = ids.isin(set(feature_ids)) & ids.isin(set(labels.index))
    usable &= images["split"].isin(["train", "test"])
    if int((~usable).sum()):
        log.info(
            "%d image(s) without features, labels or a train/test split left out",
            int((~usable).sum()),
        )
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


def predicted_tag_table(
    data: StudyData,
    images: pd.DataFrame,
    model: JointAutoencoder,
    n_images: int,
    top: int,
    seed: int,
) -> pd.DataFrame:
    """Nearest-tag reconstruction of ``n_images`` random test images that have tags: the
    ``top`` tags the autoencoder reconstructs best from the image alone (tag input zeroed),
    beside the image's real tags, with how many of the predicted tags are real."""
    test = np.flatnonzero(~data.train & (data.tags.sum(axis=1) > 0))
    if not len(test):
        raise InputError("predicted tags: no test image has a tag of the vocabulary")
    rows = np.sort(
        np.random.default_rng(seed).choice(test, min(n_images, len(test)), replace=False)
    )
    scores = predict_tags(model, data.visual[rows], np.zeros_like(data.tags[rows]))
    predicted = top_tags(scores, data.vocabulary, top)
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
