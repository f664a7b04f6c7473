"""LSA, the study's comparison to the semantic tag vectors: the truncated SVD of the binary
image x tag matrix of the training images. A tag's LSA vector is its loading on the components,
an image's LSA vector the sum of its tags' (what scikit-learn's TruncatedSVD.transform computes).

Fitted once per concept slot without the slot's concept tags (:func:`fit_slot_lsa`). The SVD is
ARPACK's exact one on the sparse matrix (scipy), not a randomised approximation: the same
components as scikit-learn's ``TruncatedSVD(algorithm="arpack")`` without importing
scikit-learn, which costs each of the ten small per-slot jobs seconds.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds

from crossmodal.core.errors import InputError
from crossmodal.nuswide.study import StudyData
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


def lsa_loadings(tags: np.ndarray, dim: int, seed: int) -> tuple[np.ndarray, float]:
    """Tag loadings (tags x dim) of the rank-``dim`` truncated SVD of a binary image x tag
    matrix, components by decreasing singular value, each signed so that its largest loading is
    positive; and the share of the tag variance the components explain."""
    if dim >= min(tags.shape):
        raise InputError(
            f"nuswide.lsa.dim: {dim} must be below the {tags.shape[1]} tags and the "
            f"{tags.shape[0]} training images"
        )
    matrix = csr_matrix(tags, dtype=np.float64)
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, min(matrix.shape))
    _, values, vt = svds(matrix, k=dim, v0=start, solver="arpack")
    components = vt[np.argsort(-values, kind="stable")]
    strongest = np.argmax(np.abs(components), axis=1)
    components *= np.sign(components[np.arange(dim), strongest])[:, None]
    projected = matrix @ components.T
    squares = np.asarray(matrix.multiply(matrix).mean(axis=0)).ravel()
    means = np.asarray(matrix.mean(axis=0)).ravel()
    total = float((squares - means**2).sum())
    kept = float(projected.var(axis=0).sum()) / total if total > 0 else 0.0
    return components.T.astype(np.float32), kept


def fit_slot_lsa(data: StudyData, slot: str, dim: int, seed: int) -> WordVectors:
    """The LSA loadings of model slot ``slot``: the SVD of the training images' tags with the
    slot's concept tags removed from the dictionary."""
    removed = data.slot_removed(slot)
    tags, kept = data.tags_for(removed)
    train = tags[data.train]
    loadings, share = lsa_loadings(train, dim, seed)
    log.info(
        "slot %s: %d LSA components of %d tags (without %s) keep %.1f%% of the tag variance",
        slot,
        loadings.shape[1],
        len(kept),
        removed or "none",
        100 * share,
    )
    table = pd.DataFrame({"word": kept, "n_images": train.sum(axis=0).astype(np.int64)})
    return WordVectors(loadings, table, f"LSA of slot {slot}")
