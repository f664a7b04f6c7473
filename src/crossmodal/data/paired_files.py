"""Two feature matrices that describe the same items, paired row by row or on their labels.

Collell & Moens' released files are row-aligned: row i of the image file and row i of the text
file are one item, and their labels (lists of concept numbers, not unique) must agree row by
row; the Collell study pairs its bring-your-own files that way (:func:`aligned_labels`).
Someone comparing two embeddings of their own often has two vocabularies instead, in different
orders: those are paired on their labels (:func:`pair_features`, ``on="labels"``), which must
then be unique in each file. ``on="auto"`` pairs on labels exactly when both files are labelled
and their labels differ somewhere, and by rows otherwise, so that row-aligned files are never
reordered and differently ordered vocabularies are never paired by position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crossmodal.core.errors import InputError

#: What a matrix read from a feature file is: the matrix and its row labels (None: unlabelled).
Features = tuple[np.ndarray, list[str] | None]
#: How two files are paired: ``rows`` (row i with row i), ``labels`` (equal labels), ``auto``.
PAIRINGS: tuple[str, ...] = ("auto", "rows", "labels")


@dataclass(frozen=True)
class FeaturePair:
    """``first[i]`` and ``second[i]`` describe the item ``labels[i]`` (None: neither file has
    labels); ``paired_on`` is ``rows`` or ``labels``; ``unmatched`` counts each file's rows left
    out (a label the other file lacks)."""

    first: np.ndarray
    second: np.ndarray
    labels: list[str] | None
    paired_on: str
    unmatched: tuple[int, int] = (0, 0)


def aligned_labels(
    first: Features, second: Features, where: str, names: tuple[str, str] = ("image", "text")
) -> list[str]:
    """The rows' labels of two row-aligned matrices, after checking that they have as many rows
    and that labels, where both files have them, agree row by row (a mismatch means the files
    are not row-aligned). ``names`` name the two files in messages."""
    (first_matrix, first_labels), (second_matrix, second_labels) = first, second
    if len(first_matrix) != len(second_matrix):
        raise InputError(
            f"{where}: {len(first_matrix)} {names[0]} rows but {len(second_matrix)} {names[1]} "
            "rows; expected row-aligned files"
        )
    if first_labels is not None and second_labels is not None:
        for row, (a, b) in enumerate(zip(first_labels, second_labels, strict=True)):
            if a != b:
                raise InputError(
                    f"{where}: row {row + 1} is labelled {a!r} in the {names[0]} file but {b!r} "
                    f"in the {names[1]} file; expected row-aligned files"
                )
    return first_labels or second_labels or [""] * len(first_matrix)


def _unique_labels(labels: list[str] | None, source: str) -> dict[str, int]:
    """Row of each label, refusing a file without labels or with a label on two rows."""
    if labels is None:
        raise InputError(
            f"{source}: no labels to pair on (a CSV label column, or an NPY's id table)"
        )
    rows: dict[str, int] = {}
    for row, label in enumerate(labels):
        if label in rows:
            raise InputError(
                f"{source}: label {label!r} is on rows {rows[label] + 1} and {row + 1}; labels "
                "must be unique to pair on them"
            )
        rows[label] = row
    return rows


def _on_labels(first: Features, second: Features, sources: tuple[str, str]) -> FeaturePair:
    """The items labelled in both files, in the first file's row order."""
    first_rows = _unique_labels(first[1], sources[0])
    second_rows = _unique_labels(second[1], sources[1])
    shared = [label for label in first_rows if label in second_rows]
    if not shared:
        raise InputError(
            f"{sources[0]} and {sources[1]}: no label in common (e.g. {next(iter(first_rows))!r} "
            f"and {next(iter(second_rows))!r})"
        )
    a = np.fromiter((first_rows[label] for label in shared), dtype=np.int64, count=len(shared))
    b = np.fromiter((second_rows[label] for label in shared), dtype=np.int64, count=len(shared))
    unmatched = (len(first_rows) - len(shared), len(second_rows) - len(shared))
    return FeaturePair(first[0][a], second[0][b], shared, "labels", unmatched)


def pair_features(
    first: Features,
    second: Features,
    sources: tuple[str, str],
    on: str = "auto",
    names: tuple[str, str] = ("first", "second"),
) -> FeaturePair:
    """Pair two matrices read from the files ``sources`` by ``rows``, on ``labels`` or, with
    ``auto``, on labels when both have labels that differ somewhere (module docstring)."""
    if on not in PAIRINGS:
        raise InputError(f"pairing: expected one of {', '.join(PAIRINGS)}, got {on!r}")
    if on == "auto":
        labelled = first[1] is not None and second[1] is not None
        on = "labels" if labelled and first[1] != second[1] else "rows"
    if on == "labels":
        return _on_labels(first, second, sources)
    labels = aligned_labels(first, second, " and ".join(sources), names)
    labelled = first[1] is not None or second[1] is not None
    return FeaturePair(first[0], second[0], labels if labelled else None, "rows")
