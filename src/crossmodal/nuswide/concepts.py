"""Concepts, items and tags of the NUS-WIDE study: which images enter, which concepts they are
classified for, and the binary tag matrix with the tags each concept must not see.

On NUS-WIDE a concept is one of the 81 human-labelled ground-truth concepts (``concepts.parquet``
of :func:`crossmodal.data.public_data.build_nuswide`); on the Tux Paint demo it is a coarse category
(the top-level stamp folder), one-hot. Either way each concept is a binary label per image.

The study classifies a concept from an image's tags, among other representations; a concept whose
own name is one of the image's tags (the Flickr tag ``sky`` for the concept *sky*, the caption word
``animal`` for the category ``animals``) would be found by reading that tag back. So every
concept comes with the tags removed from the dictionary before anything is fitted for it
(:func:`concept_tags`, :func:`drop_tags`): the concept's name and its simple plural/singular forms
that occur in the tag vocabulary (the paper removes "the corresponding tag"; its plural is the same
word to a reader of the tags, so it goes too).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError

log = logging.getLogger(__name__)


def category_labels(images: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per category of ``images`` (the demo's concepts), indexed by image_id."""
    if images["category"].isna().any():
        raise InputError("images.parquet: an image has no category (expected one per image)")
    labels = pd.get_dummies(images["category"].astype(str)).astype(bool)
    labels.index = images["image_id"].astype(str).to_numpy()
    return labels


def table_labels(concepts: pd.DataFrame, source: str) -> pd.DataFrame:
    """The boolean concept columns of a ground-truth table (image_id + one column per concept)."""
    if "image_id" not in concepts.columns:
        raise InputError(f"{source}: no image_id column")
    labels = concepts.set_index(concepts["image_id"].astype(str)).drop(columns="image_id")
    bad = [c for c in labels.columns if labels[c].dtype != bool]
    if bad:
        raise InputError(f"{source}: concept column {bad[0]!r} is not boolean")
    return labels


def choose_concepts(
    labels: pd.DataFrame, train: np.ndarray, names: Sequence[str], n_concepts: int
) -> list[str]:
    """The configured concept ``names``, or else the ``n_concepts`` most frequent concepts among
    the training images (ties by name), as NUS-WIDE's ten most frequent are the study's ten."""
    if names:
        missing = [n for n in names if n not in labels.columns]
        if missing:
            raise InputError(
                f"nuswide.concepts: {missing[0]!r} is not a concept "
                f"(known: {', '.join(sorted(labels.columns)[:20])} ...)"
            )
        return list(names)
    counts = labels[train].sum().astype(int)
    order = sorted(counts.index, key=lambda c: (-counts[c], c))
    chosen = [c for c in order if counts[c] > 0][:n_concepts]
    if len(chosen) < n_concepts:
        # The workflow plans one model slot per concept before the data is read.
        raise InputError(
            f"nuswide.n_concepts: {n_concepts} concepts asked for, but only {len(chosen)} have "
            "training images"
        )
    return chosen


def concept_tags(concept: str, vocabulary: Sequence[str]) -> list[str]:
    """Tags of ``vocabulary`` that name ``concept``: the name itself, plus ``-s``/``-es``
    plurals, or the singular of a plural name (``animals`` -> ``animal``)."""
    forms = {concept, concept + "s", concept + "es"}
    if concept.endswith("es"):
        forms.add(concept[:-2])
    if concept.endswith("s"):
        forms.add(concept[:-1])
    known = set(vocabulary)
    return sorted(forms & known)


def sample_split(items: pd.DataFrame, sizes: dict[str, int | None], seed: int) -> pd.DataFrame:
    """A seeded random subset of ``sizes[split]`` items of each split (None: all of them), in
    the table's order; NUS-WIDE's study uses 50,000 training and 50,000 test images."""
    rng = np.random.default_rng(seed)
    keep = np.zeros(len(items), bool)
    for split, size in sizes.items():
        rows = np.flatnonzero(items["split"].to_numpy() == split)
        if not len(rows):
            raise InputError(f"images.parquet: no {split} images")
        if size is not None and size < len(rows):
            rows = rng.choice(rows, size, replace=False)
        elif size is not None:
            log.warning(
                "%s: %d images, fewer than the %d asked for; using all", split, len(rows), size
            )
        keep[rows] = True
    return items[keep].reset_index(drop=True)


def tag_vocabulary(
    tag_lists: Sequence[Sequence[str]], min_images: int, max_tags: int | None
) -> pd.DataFrame:
    """Tags of at least ``min_images`` of the (training) images, the ``max_tags`` most frequent
    (ties by tag), as a table tag, n_images in that order."""
    counts = pd.Series([t for tags in tag_lists for t in set(tags)], dtype="string").value_counts()
    counts = counts[counts >= min_images]
    frame = pd.DataFrame({"tag": counts.index.astype(str), "n_images": counts.to_numpy()})
    frame = frame.sort_values(["n_images", "tag"], ascending=[False, True], kind="stable")
    if max_tags is not None:
        frame = frame.head(max_tags)
    if frame.empty:
        raise InputError(f"no tag occurs on {min_images} or more training images")
    return frame.reset_index(drop=True)


def tag_matrix(tag_lists: Sequence[Sequence[str]], vocabulary: Sequence[str]) -> np.ndarray:
    """Binary bag of tags (images x vocabulary); tags outside the vocabulary are ignored."""
    column = {tag: i for i, tag in enumerate(vocabulary)}
    matrix = np.zeros((len(tag_lists), len(vocabulary)), np.float32)
    for row, tags in enumerate(tag_lists):
        cols = [column[t] for t in tags if t in column]
        matrix[row, cols] = 1.0
    return matrix


def drop_tags(
    matrix: np.ndarray, vocabulary: Sequence[str], tags: Sequence[str]
) -> tuple[np.ndarray, list[str]]:
    """The tag matrix and vocabulary with ``tags`` (a concept's own) removed from the dictionary,
    as the study removes them before fitting anything for the concept."""
    unknown = sorted(set(tags) - set(vocabulary))
    if unknown:
        raise InputError(f"concepts table: removed tag {unknown[0]!r} is not in the vocabulary")
    removed = set(tags)
    keep = [i for i, tag in enumerate(vocabulary) if tag not in removed]
    return matrix[:, keep], [vocabulary[i] for i in keep]
