"""Feature rows that leave the neighbour measures nothing to measure, found when the items are
paired, before any training.

A modality whose rows are all zero, or all the same vector, has no neighbourhood structure:
every item is as near to every other, so mNNO and retrieval only report how ties are broken. It
is refused. A zero row among others has no direction, so its cosine similarity to everything
is 0 and its neighbours are arbitrary: such rows are refused with their row numbers (or words),
unless the dataset's ``zero_rows: drop`` says to leave their items out of every fold; then the
count is logged and goes to Table 1 (column ``dropped_items``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np

from crossmodal.core.errors import InputError

log = logging.getLogger(__name__)

# The fold of an item left out (zero_rows: drop): in no test and no training subset.
DROPPED = -2

# Rows named in a message before "and N more".
_SHOWN = 8


def _rows(rows: np.ndarray, names: Sequence[str] | None) -> str:
    """Rows by number (1-based, as in the file) or, for word vectors, by word."""
    shown = [repr(names[r]) if names is not None else str(r + 1) for r in rows[:_SHOWN]]
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return ("the rows of " if names is not None else "rows ") + ", ".join(shown) + more


def check_modality(matrix: np.ndarray, source: str) -> None:
    """Refuse a modality whose rows are all zero or all the same vector."""
    if not matrix.any():
        raise InputError(f"{source}: every row is zero; expected features that differ by item")
    if len(matrix) > 1 and (matrix == matrix[0]).all():
        raise InputError(
            f"{source}: all {len(matrix)} rows are the same vector, so no item is nearer to one "
            "item than to another; expected features that differ by item"
        )


def kept_items(
    modalities: Sequence[tuple[np.ndarray, str]],
    names: Sequence[str] | None,
    zero_rows: str,
    key: str,
) -> np.ndarray:
    """Which of the row-aligned items to pair: every item, unless some modality has zero rows
    (``modalities``: each matrix with the file or source it came from). ``zero_rows`` refuse:
    such rows are an error naming them; drop: their items are left out, and logged. ``key``
    is the setting's config key, for the message."""
    keep = np.ones(len(modalities[0][0]), dtype=bool)
    for matrix, source in modalities:
        check_modality(matrix, source)
        zero = np.flatnonzero(~matrix.any(axis=1))
        if len(zero) and zero_rows != "drop":
            raise InputError(
                f"{source}: {_rows(zero, names)} ({len(zero)} of {len(matrix)}) are all zero, "
                f"so they have no cosine neighbours: remove them, or set {key}: drop"
            )
        keep[zero] = False
    if not keep.all():
        log.warning(
            "left out %d of %d items whose image or text row is all zero (%s: drop): %s",
            (~keep).sum(),
            len(keep),
            key,
            _rows(np.flatnonzero(~keep), names),
        )
    return keep


def folds_of_kept(keep: np.ndarray, assign: Callable[[int], np.ndarray]) -> np.ndarray:
    """The fold of every item: ``assign(m)`` gives the folds of the m kept items, in order, and
    the others are :data:`DROPPED`. With every item kept this is exactly ``assign(n)``, so the
    folds of a set without zero rows do not depend on the setting."""
    fold = np.full(len(keep), DROPPED, dtype=np.int64)
    fold[keep] = assign(int(keep.sum()))
    return fold
