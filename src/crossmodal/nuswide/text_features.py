"""The study's text features of an image: the mean of its tags' semantic vectors, standardised
("we ... normalize the tag vector representations so as to have unit variance and zero mean",
Sect. 4). They are the ``tag_vectors`` representation and the text part of every autoencoder's
input or output (Sect. 3.2-3.4: the networks see the mean tag vectors, not the binary tags).

The mean and spread are those of the training images, and both are recomputed wherever the
features are needed (from the slot's tag vectors, the tag matrix and the split, all
deterministic), so the autoencoder's training and the classification see the same numbers without
a file between them. numpy only: imported by the per-slot jobs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.text.vectors import WordVectors


def mean_tag_vectors(tags: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Each image's mean tag vector (zero for an image without tags)."""
    counts = tags.sum(axis=1, keepdims=True)
    return (tags @ vectors) / np.maximum(counts, 1.0)


@dataclass(frozen=True)
class Standardiser:
    """Per-dimension mean and standard deviation of the training rows (a constant dimension
    keeps its spread of 1, so it maps to zero instead of dividing by zero)."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, features: np.ndarray, train: np.ndarray) -> Standardiser:
        """The statistics of ``features[train]``."""
        if not train.any():
            raise InputError("text features: no training image to standardise on")
        rows = features[train].astype(np.float64)
        scale = rows.std(axis=0)
        return cls(rows.mean(axis=0), np.where(scale > 0, scale, 1.0))

    def apply(self, features: np.ndarray) -> np.ndarray:
        """Standardised features (float32)."""
        return ((features - self.mean) / self.scale).astype(np.float32)

    def invert(self, standardised: np.ndarray) -> np.ndarray:
        """Back to the scale of the tag vectors (for a reconstruction's nearest tags)."""
        return standardised * self.scale + self.mean


def text_features(
    tags: np.ndarray,
    vocabulary: Sequence[str],
    vectors: WordVectors,
    train: np.ndarray,
) -> tuple[np.ndarray, Standardiser]:
    """The standardised mean tag vectors of every image (rows of ``tags``, columns the
    ``vocabulary``, whose vectors are looked up by word), and the standardisation used."""
    means = mean_tag_vectors(tags, vectors.rows(list(vocabulary)).astype(np.float64))
    scaler = Standardiser.fit(means, train)
    return scaler.apply(means), scaler
