"""Paired image/text data for cross-modal mappings, and the folds they are evaluated on.

A paired set is two row-aligned matrices, ``image`` and ``text``, with one item table beside
them (columns ``item``, ``label``, ``fold``). It comes from one of two sources:

* ``words``: per-word visual vectors joined with word embeddings on the word (the ImageNet
  setting of Collell & Moens, and the demo); every word with both vectors is an item.
* ``features``: bring-your-own per-item feature files for the two modalities (Collell's released
  IAPR TC-12 / Wiki CSVs: a label column, then features; or NPY with a Parquet id table), either
  one file per modality split later, or separate train and test files.

Evaluation folds are stored per item: the test set of fold f is the items whose ``fold`` is f
and its training set is every other item; items with fold -1 are never tested (the training
part of a fixed train/test split). K-fold cross-validation gives folds 0..K-1, a fixed split
fold 0 only; the paper reports the mean over K folds for the first, over repeated runs with
different seeds for the second. Items with fold -2 were left out for an all-zero row
(``zero_rows: drop``, :mod:`crossmodal.collell2018.degenerate`): they are in no subset.

Pairing is also where a setting that would make a measure trivially 1 on the evaluation
subsets is refused, before any training (:mod:`crossmodal.collell2018.subsets`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crossmodal.collell2018.degenerate import DROPPED, folds_of_kept, kept_items
from crossmodal.collell2018.subsets import check_subsets, smallest_subsets, split_origin
from crossmodal.core.errors import InputError
from crossmodal.core.io import read_matrix, read_parquet, write_matrix
from crossmodal.data.feature_files import read_features
from crossmodal.data.paired_files import aligned_labels
from crossmodal.text.vectors import WordVectors

ITEM_COLUMNS: tuple[str, ...] = ("item", "label", "fold")
TRAIN_ONLY = -1


@dataclass(frozen=True)
class PairedSet:
    """``image[i]`` and ``text[i]`` describe ``items.item[i]``; ``items.fold`` as in the module
    docstring."""

    image: np.ndarray
    text: np.ndarray
    items: pd.DataFrame

    def __post_init__(self) -> None:
        if not len(self.image) == len(self.text) == len(self.items):
            raise InputError(
                f"paired set: {len(self.image)} image rows, {len(self.text)} text rows and "
                f"{len(self.items)} items; expected equal counts"
            )

    @property
    def n_folds(self) -> int:
        """Number of evaluation folds (test sets)."""
        return int(self.items["fold"].max()) + 1

    @property
    def fixed_split(self) -> bool:
        """One fixed train/test split (not K-fold cross-validation)."""
        return self.n_folds == 1

    def direction(self, direction: str) -> tuple[np.ndarray, np.ndarray]:
        """(X, Y) of a mapping direction: t2i maps text to image, i2t image to text."""
        if direction == "t2i":
            return self.text, self.image
        if direction == "i2t":
            return self.image, self.text
        raise InputError(f"direction: expected t2i or i2t, got {direction!r}")

    @property
    def dropped_items(self) -> int:
        """Items left out for an all-zero row (fold -2)."""
        return int((self.items["fold"] == DROPPED).sum())

    def split(self, fold: int) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks (train, test) of evaluation fold ``fold``; left-out items are in
        neither."""
        if not 0 <= fold < self.n_folds:
            raise InputError(f"paired set has folds 0..{self.n_folds - 1}, asked for {fold}")
        folds = self.items["fold"].to_numpy()
        test = folds == fold
        return ~test & (folds != DROPPED), test

    def write(self, image_path: str, text_path: str, items_path: str) -> None:
        """Both matrices as float32 NPY sharing one item table (the row index of each)."""
        write_matrix(self.image.astype(np.float32), self.items, image_path, items_path)
        write_matrix(self.text.astype(np.float32), self.items, text_path, items_path)

    @classmethod
    def read(cls, image_path: str, text_path: str, items_path: str) -> PairedSet:
        """A paired set written by :meth:`write`."""
        image, items = read_matrix(image_path, items_path, ITEM_COLUMNS)
        text, _ = read_matrix(text_path, items_path)
        return cls(image, text, items)


def class_membership(labels: Sequence[str]) -> np.ndarray | None:
    """Items x classes boolean matrix from the items' labels, for the negatives of the max-margin
    loss, which must belong to another class than the item: a label is a space-separated list
    of classes (Collell's IAPR TC-12 concept lists, a Wiki category, a word), and items sharing
    any class count as one class. None when no two items share a class (every other item is a
    negative: words, or items without labels)."""
    sets = [str(label).split() for label in labels]
    names = sorted({name for classes in sets for name in classes})
    index = {name: column for column, name in enumerate(names)}
    matrix = np.zeros((len(sets), len(names)), dtype=bool)
    for row, classes in enumerate(sets):
        matrix[row, [index[name] for name in classes]] = True
    if not (matrix.sum(axis=0) > 1).any():
        return None
    return matrix


def kfold_assignment(n: int, folds: int, seed: int) -> np.ndarray:
    """Fold number of each of ``n`` items: a seeded random permutation cut into ``folds`` parts
    of sizes differing by at most one."""
    if not 2 <= folds <= n:
        raise InputError(f"folds: expected 2 <= folds <= {n} items, got {folds}")
    assignment = np.empty(n, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(n)
    for fold, part in enumerate(np.array_split(order, folds)):
        assignment[part] = fold
    return assignment


def holdout_assignment(n: int, test_fraction: float, seed: int) -> np.ndarray:
    """Fold 0 for a seeded random ``test_fraction`` of the items, -1 (train only) for the rest."""
    n_test = round(n * test_fraction)
    if not 1 <= n_test <= n - 1:
        raise InputError(f"test_fraction {test_fraction} of {n} items leaves no train or test item")
    assignment = np.full(n, TRAIN_ONLY, dtype=np.int64)
    assignment[np.random.default_rng(seed).permutation(n)[:n_test]] = 0
    return assignment


def pair_word_vectors(
    visual: WordVectors,
    text: WordVectors,
    folds: int,
    seed: int,
    zero_rows: str = "refuse",
    key: str = "zero_rows",
) -> PairedSet:
    """Items are the words with both a visual and a text vector, sorted (so that the fold
    assignment depends on the vocabulary, not on either file's row order). Zero rows are
    refused or dropped as ``zero_rows`` says (:func:`kept_items`; ``key`` names the setting)."""
    words = sorted(set(visual.words) & set(text.words))
    if len(words) < folds:
        raise InputError(
            f"{visual.source} and {text.source} share {len(words)} words; "
            f"need at least {folds} for {folds}-fold cross-validation"
        )
    image, text_rows = visual.rows(words), text.rows(words)
    keep = kept_items([(image, visual.source), (text_rows, text.source)], words, zero_rows, key)
    fold = folds_of_kept(keep, lambda m: kfold_assignment(m, folds, seed))
    items = pd.DataFrame({"item": words, "label": words, "fold": fold})
    return PairedSet(image, text_rows, items)


def pair_feature_files(
    image: tuple[np.ndarray, list[str] | None],
    text: tuple[np.ndarray, list[str] | None],
    sources: tuple[str, str],
    assign: Callable[[np.ndarray], np.ndarray],
    prefix: str,
    zero_rows: str = "refuse",
    key: str = "zero_rows",
) -> PairedSet:
    """One paired set from row-aligned image and text features (matrix, labels) read from the
    files ``sources``; ``assign(keep)`` gives the fold of every row from the mask of the rows
    kept (:func:`kept_items`, as ``zero_rows`` says). Item ids are ``prefix`` plus the row
    number, as labels need not be unique (Collell's IAPR TC-12 labels are lists of concept
    numbers)."""
    (image_matrix, _), (text_matrix, _) = image, text
    labels = aligned_labels(image, text, " and ".join(sources))
    modalities = [(image_matrix, sources[0]), (text_matrix, sources[1])]
    keep = kept_items(modalities, None, zero_rows, key)
    items = pd.DataFrame(
        {
            "item": [f"{prefix}{row:06d}" for row in range(len(labels))],
            "label": labels,
            "fold": assign(keep),
        }
    )
    return PairedSet(image_matrix, text_matrix, items)


def join_sets(train: PairedSet, test: PairedSet) -> PairedSet:
    """A fixed split from separate train and test sets (train rows train only, test fold 0)."""
    if train.image.shape[1] != test.image.shape[1] or train.text.shape[1] != test.text.shape[1]:
        raise InputError(
            f"train and test features differ in dimensions: image {train.image.shape[1]} vs "
            f"{test.image.shape[1]}, text {train.text.shape[1]} vs {test.text.shape[1]}"
        )
    items = pd.concat([train.items, test.items], ignore_index=True)
    return PairedSet(
        np.vstack([train.image, test.image]), np.vstack([train.text, test.text]), items
    )


def read_split_file(path: str | os.PathLike[str], n: int) -> np.ndarray:
    """Fold per row from a row-aligned split file (CSV with a ``split`` column or Parquet):
    ``test`` rows are fold 0, ``train`` rows train only."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        table = read_parquet(path, ["split"])
    else:
        if not path.is_file():
            raise InputError(f"{path}: split file not found")
        table = pd.read_csv(path, dtype=str)
        if "split" not in table.columns:
            raise InputError(f"{path}: expected a 'split' column (train/test)")
    if len(table) != n:
        raise InputError(f"{path}: {len(table)} rows but the feature files have {n}")
    values = table["split"].astype(str).str.strip().str.lower()
    bad = sorted(set(values) - {"train", "test"})
    if bad:
        raise InputError(f"{path}: split values must be train or test, found {bad[0]!r}")
    if (values == "test").sum() == 0 or (values == "train").sum() == 0:
        raise InputError(f"{path}: needs at least one train and one test row")
    return np.where(values == "test", 0, TRAIN_ONLY).astype(np.int64)


def pair_features(
    files: dict[str, str],
    label_column: bool,
    folds: int | None,
    test_fraction: float | None,
    seed: int,
    header: bool = False,
    zero_rows: str = "refuse",
    key: str = "zero_rows",
) -> PairedSet:
    """A paired set from bring-your-own feature files.

    ``files`` holds either ``image_train``, ``image_test``, ``text_train``, ``text_test`` (a fixed
    split given as files, Collell's TR_/TS_ layout) or ``image`` and ``text``, split by a
    ``split_file`` entry, else into ``folds`` cross-validation folds, else by ``test_fraction``.
    An NPY feature file ``<key>`` may have a Parquet id table ``<key>_ids``. ``header``: CSV
    files start with a line of column names. Zero rows are refused or left out as
    ``zero_rows`` says (``key`` names that setting in messages); the folds are assigned over
    the items kept.
    """

    def load(name: str) -> tuple[np.ndarray, list[str] | None]:
        return read_features(files[name], files.get(f"{name}_ids"), label_column, header)

    def part(
        modalities: tuple[str, str], assign: Callable[[np.ndarray], np.ndarray], prefix: str
    ) -> PairedSet:
        image, text = (load(name) for name in modalities)
        sources = (str(files[modalities[0]]), str(files[modalities[1]]))
        return pair_feature_files(image, text, sources, assign, prefix, zero_rows, key)

    if "image_train" in files:
        train = part(
            ("image_train", "text_train"), lambda keep: np.where(keep, TRAIN_ONLY, DROPPED), "train"
        )
        test = part(("image_test", "text_test"), lambda keep: np.where(keep, 0, DROPPED), "test")
        return join_sets(train, test)
    if "split_file" in files:
        split_file = files["split_file"]

        def assign(keep: np.ndarray) -> np.ndarray:
            return np.where(keep, read_split_file(split_file, len(keep)), DROPPED)
    elif folds:

        def assign(keep: np.ndarray) -> np.ndarray:
            return folds_of_kept(keep, lambda m: kfold_assignment(m, folds, seed))
    elif test_fraction:

        def assign(keep: np.ndarray) -> np.ndarray:
            return folds_of_kept(keep, lambda m: holdout_assignment(m, test_fraction, seed))
    else:
        raise InputError(f"{files['image']}: give a split file, folds or test_fraction")
    return part(("image", "text"), assign, "item")


def pair_inputs(
    spec: Mapping[str, Any], files: Mapping[str, str], evaluation: Mapping[str, Any]
) -> PairedSet:
    """The paired items of one embedding pair, from the named input files of rule
    pair_collell2018_data and the dataset's ``spec`` (dataset, source, folds, test_fraction,
    label_column, header, zero_rows, seed): word vectors joined on the word (source
    ``words``: visual, visual_words, text, text_vocab) or row-aligned feature files (source
    ``features``, see :func:`pair_features`). Refuses ``evaluation`` settings (k,
    precision_at) that would make a measure trivially 1 on the subsets of the items."""
    dataset = spec["dataset"]
    key = f"collell2018.datasets.{dataset}.zero_rows"
    if spec["source"] == "words":
        visual = WordVectors.read(files["visual"], files["visual_words"])
        text = WordVectors.read(files["text"], files["text_vocab"])
        paired = pair_word_vectors(
            visual, text, spec["folds"], spec["seed"], spec["zero_rows"], key
        )
    else:
        paired = pair_features(
            dict(files),
            spec["label_column"],
            spec["folds"],
            spec["test_fraction"],
            spec["seed"],
            spec["header"],
            spec["zero_rows"],
            key,
        )
    kept = len(paired.items) - paired.dropped_items
    origin = split_origin(dataset, {**spec, "split_file": files.get("split_file")}, kept)
    check_subsets(
        dataset, (*smallest_subsets(paired.items["fold"].to_numpy()), *origin), evaluation
    )
    logging.getLogger(__name__).info(
        "%d items (%d left out), image %d-d, text %d-d, %d evaluation fold(s)",
        len(paired.items),
        paired.dropped_items,
        paired.image.shape[1],
        paired.text.shape[1],
        paired.n_folds,
    )
    return paired
