"""The visual words of the PIXIE study: their image vectors, in the form the model reads
(scaled to [0, 1], the range of the decoder's sigmoid outputs) and as the two settings of the
propagation experiment (Table 3): ``all`` visual words, or ``heldout``, all but those whose
images are withheld.
"""

from __future__ import annotations

import logging
import os

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.data.feature_files import read_features
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

SETTINGS = ("all", "heldout")


def scale_features(features: np.ndarray) -> np.ndarray:
    """Min-max scale each feature dimension to [0, 1], the range of the decoder's sigmoid outputs
    (a constant dimension becomes 0)."""
    low, high = features.min(axis=0), features.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((features - low) / span).astype(np.float32)


def visual_rows(vocabulary: pd.DataFrame, visual: WordVectors) -> np.ndarray:
    """For each vocabulary word, its row in ``visual`` or -1 (m_w = 0)."""
    position = {w: i for i, w in enumerate(visual.words)}
    return np.array([position.get(w, -1) for w in vocabulary["word"]], dtype=np.int64)


def select_heldout(words: list[str], fraction: float, count: int | None, seed: int) -> list[str]:
    """The visual words whose images are held out: ``count`` of them if given (the paper's
    2,000), else ``fraction`` of them, drawn at random with ``seed``; sorted."""
    n = count if count is not None else int(round(fraction * len(words)))
    if not 1 <= n < len(words):
        raise InputError(
            f"pixie propagation: cannot hold out {n} of {len(words)} visual words "
            "(need at least 1 and fewer than all)"
        )
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(sorted(words), size=n, replace=False).tolist())


def prepare_visual(
    visual: WordVectors, vocabulary: pd.DataFrame, heldout: list[str]
) -> WordVectors:
    """The visual vectors of vocabulary words, in vocabulary order, with a ``heldout`` column
    marking the words whose images the propagation experiment (Table 3) withholds."""
    words = [w for w in vocabulary["word"] if w in visual]
    if not words:
        raise InputError(f"{visual.source}: no visual word is in the corpus vocabulary")
    subset = visual.subset(words)
    table = pd.DataFrame({"word": words, "heldout": [w in set(heldout) for w in words]})
    return WordVectors(subset.matrix.astype(np.float32), table, visual.source)


def visual_words(
    visual: WordVectors,
    vocabulary: pd.DataFrame,
    fraction: float,
    count: int | None,
    seed: int,
) -> WordVectors:
    """The study's visual words: the vectors of the ``vocabulary`` words ``visual`` has, with
    the held-out ones of the propagation experiment marked (:func:`select_heldout`)."""
    words = [w for w in vocabulary["word"] if w in visual]
    heldout = select_heldout(words, fraction, count, seed)
    prepared = prepare_visual(visual, vocabulary, heldout)
    log.info(
        "%d of %d visual words are in the vocabulary; %d held out",
        len(prepared),
        len(visual),
        len(heldout),
    )
    return prepared


def read_visual_source(
    vectors: str | os.PathLike[str], words: str | os.PathLike[str] | None = None
) -> WordVectors:
    """The visual word vectors the study starts from: word vectors (``vectors`` with the
    ``words`` table) or, without ``words``, a feature file whose labels are the words."""
    if words is not None:
        return WordVectors.read(vectors, words)
    matrix, labels = read_features(vectors, label_column=True)
    if labels is None:
        raise InputError(f"{vectors}: the visual vectors have no word labels")
    return WordVectors(matrix, pd.DataFrame({"word": labels}), str(vectors))


def visual_of_setting(visual: WordVectors, setting: str) -> WordVectors:
    """The visual words a model may see: all of them, or (``heldout``) all but the held-out."""
    if setting not in SETTINGS:
        raise InputError(f"setting: expected one of {', '.join(SETTINGS)}, got {setting!r}")
    if setting == "all":
        return visual
    return visual.subset(
        [w for w, h in zip(visual.words, visual.table["heldout"], strict=True) if not h]
    )


def read_visual_of_setting(
    npy: str | os.PathLike[str], words: str | os.PathLike[str], setting: str
) -> WordVectors:
    """The study's visual words as written by ``prepare_pixie_visual``, those of ``setting``
    (:func:`visual_of_setting`)."""
    return visual_of_setting(WordVectors.read(npy, words, ["heldout"]), setting)
