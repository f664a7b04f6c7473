"""Bring-your-own feature files: a per-item matrix as CSV (Collell & Moens' released layout: a
label column, then the features) or NPY with a Parquet table of row labels beside it.

Both the Collell pairs and PIXIE's file-based visual vectors read them here, so that a file is
checked the same way wherever it enters the workflow.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_parquet


def _read_csv_features(path: Path, label_column: bool) -> tuple[np.ndarray, list[str] | None]:
    """Rows of a comma-separated feature file; with ``label_column`` the first field of each row
    is a label (Collell's files: a space-separated list of label numbers) and stays a string."""
    labels: list[str] = []
    rows: list[list[str]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row:
                continue
            if label_column:
                labels.append(row[0])
                row = row[1:]
            if rows and len(row) != len(rows[0]):
                raise InputError(
                    f"{path}: line {number} has {len(row)} features, line 1 has {len(rows[0])}"
                )
            rows.append(row)
    if not rows:
        raise InputError(f"{path}: no rows")
    try:
        matrix = np.asarray(rows, dtype=np.float64)
    except ValueError:
        line, value = next(
            (number, value)
            for number, row in enumerate(rows, start=1)
            for value in row
            if not _is_number(value)
        )
        hint = "" if label_column else " (set label_column: true if column 1 is a label)"
        raise InputError(
            f"{path}: row {line} has {value!r} where a number was expected{hint}"
        ) from None
    if not np.isfinite(matrix).all():
        line = int(np.flatnonzero(~np.isfinite(matrix).all(axis=1))[0]) + 1
        raise InputError(f"{path}: row {line} has a NaN or infinite feature")
    return matrix, labels if label_column else None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_features(
    path: str | os.PathLike[str],
    ids: str | os.PathLike[str] | None = None,
    label_column: bool = True,
) -> tuple[np.ndarray, list[str] | None]:
    """A per-item feature matrix and its labels (None when the file has none).

    CSV (``.csv``/``.txt``): optional first label column. NPY: ``ids`` may name a Parquet table
    whose ``label`` column (or else ``id`` column) labels the rows.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: feature file not found")
    if path.suffix.lower() == ".npy":
        try:
            matrix = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as err:
            raise InputError(f"{path}: not a readable NPY file ({err})") from err
        if matrix.ndim != 2 or not np.isfinite(matrix).all():
            raise InputError(f"{path}: expected a finite 2-D matrix, got shape {matrix.shape}")
        if ids is None:
            return matrix, None
        table = read_parquet(ids)
        column = "label" if "label" in table.columns else "id"
        if column not in table.columns:
            raise InputError(f"{ids}: expected a 'label' or 'id' column")
        if len(table) != len(matrix):
            raise InputError(f"{ids}: {len(table)} rows but {path} has {len(matrix)}")
        return matrix, [str(v) for v in table[column]]
    return _read_csv_features(path, label_column)
