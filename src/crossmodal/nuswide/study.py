"""The NUS-WIDE multimodal study: image and tag representations compared by how well a linear
classifier finds concepts in them (mean ROC AUC over concepts, the study's Table 2).

Representations of an image (every model fitted on training images only):

* ``sift``: the dense-SIFT bag of visual words, PCA-whitened
  (:func:`crossmodal.nuswide.preparation.whiten`);
* ``tags``: the binary bag of tags; ``tags_sift``: both, side by side;
* ``tag_vectors``: the image's mean semantic tag vector, standardised
  (:mod:`crossmodal.nuswide.text_features`), and ``lsa``: its LSA projection;
* ``joint``, ``crossmodal1``, ``crossmodal2``: hidden layers of the autoencoders
  (:mod:`crossmodal.nuswide.autoencoder`).

As in the paper, "for each of the 10 concepts we remove the corresponding tag from the dictionary
and train our models": with ``tag_removal: per_concept`` every model is fitted once per concept
*slot* (``concept<k>``, row k of the concepts table) on the tag data without that concept's tags
(:meth:`StudyData.tags_for`), and concept k is classified with the models of its slot only. With
``tag_removal: all_concepts`` (cheaper, declared where used) every concept's tags are removed
from the dictionary once, before any fitting, and all concepts share the slot
``without_concepts``. Either way no tag of a concept reaches a model its classifier reads. Models
of the slot ``all_tags`` keep every tag; they serve the nearest-tag figure and are never
classified.

This module holds the data and the names; it imports neither torch nor scikit-learn, so that the
many small per-slot jobs that read it start quickly.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from io import StringIO
from typing import Any

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.nuswide.concepts import drop_tags
from crossmodal.nuswide.names import ALL_TAGS, CONCEPT_SLOT, REPRESENTATIONS, WITHOUT_CONCEPTS

#: Columns of the study's items table besides one boolean column per concept.
ITEM_COLUMNS = ("image_id", "split")
#: Columns of the concepts table.
CONCEPT_COLUMNS = ("concept", "removed_tags", "train_positives", "test_positives")
#: The paper's Table 2 (mean AUC per representation), shipped with the package.
PAPER_TABLE2 = "paper_table2.csv"


@dataclass(frozen=True)
class StudyData:
    """The study's items with their concept labels and tag matrix, row-aligned, and the whitened
    SIFT when the job reads it (``visual``; None for the tag-only stages)."""

    items: pd.DataFrame
    concepts: pd.DataFrame
    tags: np.ndarray
    vocabulary: list[str]
    visual: np.ndarray | None = None

    @property
    def train(self) -> np.ndarray:
        """Mask of the training rows."""
        return (self.items["split"] == "train").to_numpy()

    @property
    def concept_names(self) -> list[str]:
        """The concepts, in table order (row k is the concept of slot ``concept<k>``)."""
        return self.concepts["concept"].astype(str).tolist()

    def require_visual(self) -> np.ndarray:
        """The whitened SIFT, refused when the job did not read it."""
        if self.visual is None:
            raise InputError("NUS-WIDE study: this step needs the whitened SIFT (input `visual`)")
        return self.visual

    def removed(self, concept: str) -> list[str]:
        """The tags removed from the dictionary for ``concept``."""
        row = self.concepts[self.concepts["concept"] == concept]
        if row.empty:
            raise InputError(f"concepts table: no concept {concept!r}")
        text = str(row["removed_tags"].iloc[0])
        return text.split() if text else []

    def slot_concepts(self, slot: str) -> list[str]:
        """The concepts a model slot serves: its own concept, or every one for
        ``without_concepts`` and ``all_tags``."""
        if slot in (ALL_TAGS, WITHOUT_CONCEPTS):
            return self.concept_names
        index = slot.removeprefix(CONCEPT_SLOT)
        if not slot.startswith(CONCEPT_SLOT) or not index.isdigit():
            raise InputError(
                f"model slot {slot!r}: expected {CONCEPT_SLOT}<k>, {WITHOUT_CONCEPTS} or {ALL_TAGS}"
            )
        if int(index) >= len(self.concepts):
            raise InputError(
                f"model slot {slot!r}: the concepts table has only {len(self.concepts)} concepts"
            )
        return [self.concept_names[int(index)]]

    def slot_removed(self, slot: str) -> list[str]:
        """The tags a slot's models are fitted without: its concept's, every concept's for
        ``without_concepts``, none for ``all_tags``."""
        if slot == ALL_TAGS:
            return []
        removed = {tag for concept in self.slot_concepts(slot) for tag in self.removed(concept)}
        return sorted(removed)

    def tags_for(self, removed: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """The tag matrix and vocabulary with the ``removed`` tags taken out of the dictionary."""
        return drop_tags(self.tags, self.vocabulary, removed)

    @classmethod
    def read_inputs(cls, inputs: Any) -> StudyData:
        """:meth:`read` on a job's named inputs (``item_table``, ``concepts``, ``tags``,
        ``tag_ids``, ``vocabulary`` and, if present, ``visual`` with ``visual_ids``: the names the
        study's rules use)."""
        visual = (inputs.visual, inputs.visual_ids) if hasattr(inputs, "visual") else None
        return cls.read(
            inputs.item_table,
            inputs.concepts,
            (inputs.tags, inputs.tag_ids),
            inputs.vocabulary,
            visual,
        )

    @classmethod
    def read(
        cls,
        items: str | os.PathLike[str],
        concepts: str | os.PathLike[str],
        tags: tuple[str | os.PathLike[str], str | os.PathLike[str]],
        vocabulary: str | os.PathLike[str],
        visual: tuple[str | os.PathLike[str], str | os.PathLike[str]] | None = None,
    ) -> StudyData:
        """Read the prepared tables and matrices, checking that their rows are the items'."""
        item_table = read_parquet(items, ITEM_COLUMNS)
        concept_table = read_parquet(concepts, CONCEPT_COLUMNS)
        ids = item_table["image_id"].astype(str).tolist()
        matrices = []
        for npy, index in (tags, visual) if visual is not None else (tags,):
            matrix, rows = read_matrix(npy, index, ["image_id"])
            if rows["image_id"].astype(str).tolist() != ids:
                raise InputError(f"{index}: rows are not the images of {items} in their order")
            matrices.append(matrix.astype(np.float32))
        vocab = read_parquet(vocabulary, ["tag"])["tag"].astype(str).tolist()
        if matrices[0].shape[1] != len(vocab):
            raise InputError(f"{tags[0]}: {matrices[0].shape[1]} columns but {len(vocab)} tags")
        return cls(item_table, concept_table, matrices[0], vocab, matrices[1] if visual else None)


def check_fitted_without(words: Sequence[str], kept: Sequence[str], source: str) -> None:
    """Refuse tag vectors or loadings that are not exactly those of the ``kept`` tags: a model
    with a removed tag in its vocabulary was fitted on data containing it."""
    extra = sorted(set(words) - set(kept))
    if extra:
        raise InputError(f"{source}: fitted with tag {extra[0]!r}, which its concept must not see")
    missing = sorted(set(kept) - set(words))
    if missing:
        raise InputError(f"{source}: no vector for tag {missing[0]!r} of the vocabulary")


def paper_table2() -> pd.DataFrame:
    """The paper's Table 2 (representation, paper_mean_auc), from the CSV shipped with the
    package; its comment lines name the source."""
    text = files(__package__).joinpath(PAPER_TABLE2).read_text(encoding="utf-8")
    table = pd.read_csv(StringIO(text), comment="#")
    unknown = sorted(set(table["representation"]) - set(REPRESENTATIONS))
    if unknown or list(table.columns) != ["representation", "paper_mean_auc"]:
        raise InputError(f"{PAPER_TABLE2}: expected representation,paper_mean_auc rows {unknown}")
    return table


def auc_table(scores: Sequence[pd.DataFrame], concepts: Sequence[str]) -> pd.DataFrame:
    """The study's Table 2: one row per representation (in :data:`REPRESENTATIONS` order), the
    mean test AUC over concepts beside the paper's, and the AUC of each concept."""
    frame = pd.concat(scores, ignore_index=True)
    missing = sorted(set(concepts) - set(frame["concept"]))
    if missing:
        raise InputError(f"AUC scores: no score for concept {missing[0]!r}")
    wide = frame.pivot(index="representation", columns="concept", values="auc")[list(concepts)]
    order = [r for r in REPRESENTATIONS if r in wide.index]
    wide = wide.loc[order]
    paper = paper_table2().set_index("representation")["paper_mean_auc"]
    table = pd.DataFrame(
        {
            "representation": order,
            "label": [REPRESENTATIONS[r][0] for r in order],
            "mean_auc": wide.mean(axis=1).to_numpy(),
            "paper_mean_auc": [paper.get(r, np.nan) for r in order],
        }
    )
    for concept in concepts:
        table[concept] = wide[concept].to_numpy()
    return table.round(4)


def top_tags(scores: np.ndarray, vocabulary: Sequence[str], k: int) -> list[list[str]]:
    """The ``k`` highest-scoring tags of each row, best first."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[vocabulary[i] for i in row] for row in order]
