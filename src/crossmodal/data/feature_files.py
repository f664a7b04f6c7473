"""Bring-your-own feature files: a per-item matrix as CSV (Collell & Moens' released layout: a
label column, then the features) or NPY with a Parquet table of row labels beside it.

Both the Collell pairs and PIXIE's file-based visual vectors read them here, so that a file is
checked the same way wherever it enters the workflow. What a file cannot silently be: a header
read as an item, a feature read as a label, a complex or text NPY cast to numbers, a matrix
without feature columns; each is refused with one line naming the file and the setting to use.
"""

from __future__ import annotations

import codecs
import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_parquet

# NPY dtypes accepted as features: signed and unsigned integers and floats (bool, complex,
# strings, objects and dates are not real numbers, or not numbers at all).
_REAL_KINDS = "iuf"
# Bytes per read when counting a CSV's lines at parse time.
_CHUNK = 1 << 20
#: Columns of an NPY's Parquet id table that label its rows, in the order they are looked for.
ID_COLUMNS: tuple[str, ...] = ("label", "id")


@dataclass(frozen=True)
class Remedies:
    """How a message tells the reader's user to change a reading option: the workflow's config
    settings by default; the ``crossmodal`` command names its own flags, so that the same
    check says what to type where the file was given."""

    header: str = "set header: true"
    no_labels: str = "set label_column: false"
    labels: str = "set label_column: true"


WORKFLOW_REMEDIES = Remedies()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_header(cells: list[str], label_column: bool, more_rows: bool) -> bool:
    """Whether a first row is column names rather than an item: no cell of its features is a
    number (names such as f0, f1, ...), or its cells are exactly 0, 1, ..., n-1 (pandas'
    default header of an unnamed frame), with or without the label cell."""
    features = cells[1:] if label_column else cells
    if more_rows and features and not any(_is_number(cell) for cell in features):
        return True
    for part in (cells, features):
        if len(part) >= 2 and all(_is_number(cell) for cell in part):
            if [float(cell) for cell in part] == list(range(len(part))):
                return True
    return False


def _csv_rows(path: Path) -> list[list[str]]:
    """The non-empty rows of a CSV file, refusing bytes that are not UTF-8 text and lines the
    csv module cannot parse (a binary file under a .csv name)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return [row for row in csv.reader(handle) if row]
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.object[err.start]:#04x} at offset {err.start}); "
            "expected a CSV feature file"
        ) from None
    except csv.Error as err:
        raise InputError(f"{path}: not a CSV feature file ({err})") from None


def _check_labels(path: Path, labels: list[str], remedies: Remedies) -> None:
    """Refuse a label column that is a number in every row with a fraction in some: that is a
    feature read as a label (label_column: true on an unlabelled file). Whole numbers are
    accepted (class numbers, such as Collell's Wiki categories)."""
    if not labels or not all(_is_number(label) for label in labels):
        return
    fraction = next((label for label in labels if not float(label).is_integer()), None)
    if fraction is not None:
        raise InputError(
            f"{path}: column 1 holds a number in every row (e.g. {fraction!r}), so it is a "
            f"feature, not a label: {remedies.no_labels} for a file without labels"
        )


def _read_csv_features(
    path: Path, label_column: bool, header: bool, remedies: Remedies
) -> tuple[np.ndarray, list[str] | None]:
    """Rows of a comma-separated feature file; with ``label_column`` the first field of each row
    is a label (Collell's files: a space-separated list of label numbers) and stays a string;
    with ``header`` the first row is column names and is skipped."""
    rows = _csv_rows(path)
    if header:
        rows = rows[1:]
    elif rows and _is_header(rows[0], label_column, len(rows) > 1):
        shown = ", ".join(rows[0][:4]) + (", ..." if len(rows[0]) > 4 else "")
        raise InputError(
            f"{path}: line 1 ({shown}) is a header, not an item: write the file without one "
            f"(pandas: header=False), or {remedies.header} to skip it"
        )
    if not rows:
        raise InputError(f"{path}: no rows")
    labels = [row[0] for row in rows] if label_column else None
    values = [row[1:] for row in rows] if label_column else rows
    for number, row in enumerate(values, start=1):
        if len(row) != len(values[0]):
            raise InputError(
                f"{path}: row {number} has {len(row)} features, row 1 has {len(values[0])}"
            )
    try:
        matrix = np.asarray(values, dtype=np.float64)
    except ValueError:
        line, value = next(
            (number, value)
            for number, row in enumerate(values, start=1)
            for value in row
            if not _is_number(value)
        )
        hint = "" if label_column else f" ({remedies.labels} if column 1 is a label)"
        raise InputError(
            f"{path}: row {line} has {value!r} where a number was expected{hint}"
        ) from None
    if labels is not None:
        _check_labels(path, labels, remedies)
    return matrix.reshape(len(values), -1), labels


def _read_npy_features(path: Path) -> np.ndarray:
    """A 2-D NPY matrix of real numbers: the file must start as NumPy writes one (else the
    message says what it starts with), and its dtype must be an integer or float."""
    with open(path, "rb") as handle:
        start = handle.read(len(np.lib.format.MAGIC_PREFIX))
    if not start:
        raise InputError(f"{path}: empty file (0 bytes); expected an NPY matrix")
    if start != np.lib.format.MAGIC_PREFIX:
        raise InputError(f"{path}: not an NPY file (it starts with {start!r})")
    try:
        matrix = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise InputError(f"{path}: not a readable NPY file ({err})") from None
    if matrix.dtype.kind not in _REAL_KINDS:
        raise InputError(
            f"{path}: features must be real numbers (integer or float), found dtype {matrix.dtype}"
        )
    if matrix.ndim != 2:
        raise InputError(f"{path}: expected a 2-D matrix (items x features), got {matrix.shape}")
    return matrix


def _npy_labels(
    path: Path, ids: str | os.PathLike[str], rows: int, columns: tuple[str, ...]
) -> list[str]:
    """Row labels of an NPY from its Parquet id table: the first of ``columns`` it has."""
    table = read_parquet(ids)
    column = next((c for c in columns if c in table.columns), None)
    if column is None:
        raise InputError(f"{ids}: expected a {' or '.join(map(repr, columns))} column")
    if len(table) != rows:
        raise InputError(f"{ids}: {len(table)} rows but {path} has {rows}")
    return [str(v) for v in table[column]]


def read_features(
    path: str | os.PathLike[str],
    ids: str | os.PathLike[str] | None = None,
    label_column: bool = True,
    header: bool = False,
    remedies: Remedies = WORKFLOW_REMEDIES,
    id_columns: tuple[str, ...] = ID_COLUMNS,
) -> tuple[np.ndarray, list[str] | None]:
    """A per-item feature matrix (at least one feature column, every value finite) and its
    labels (None when the file has none).

    CSV (``.csv``/``.txt``): optional first label column, optional ``header`` row. NPY:
    ``ids`` may name a Parquet table whose first column among ``id_columns`` (``label``, else
    ``id``) labels the rows. ``remedies``: how messages name the options to change.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: feature file not found")
    if path.suffix.lower() == ".npy":
        matrix = _read_npy_features(path)
        labels = None if ids is None else _npy_labels(path, ids, len(matrix), id_columns)
    else:
        matrix, labels = _read_csv_features(path, label_column, header, remedies)
    if matrix.shape[1] == 0:
        left = "a label" if label_column and path.suffix.lower() != ".npy" else "nothing"
        raise InputError(f"{path}: no feature columns (each row holds {left})")
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        row = int(np.flatnonzero(~finite)[0]) + 1
        raise InputError(f"{path}: row {row} has a NaN or infinite feature")
    return matrix, labels


def count_rows(
    path: str | os.PathLike[str], header: bool = False, stop_after: int | None = None
) -> int | None:
    """At most how many items a feature file holds, read cheaply when the workflow is parsed:
    an NPY's first dimension from its header; a CSV's lines (blank lines, a header not declared
    and quoted line breaks can only make the count larger, never smaller). With ``stop_after``
    the reading stops once more rows than that are seen, and some larger number is returned: a
    caller that only needs to know whether a file is small reads a few lines of a large one.
    None when the file is missing or not readable as its format, e.g. not UTF-8 (the job that
    reads it says why)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if path.suffix.lower() == ".npy":
                version = np.lib.format.read_magic(handle)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape = read_header(handle)[0]
                return int(shape[0]) if len(shape) == 2 else None
            lines, last = 0, b"\n"
            text = codecs.getincrementaldecoder("utf-8")()  # a binary file is no CSV to count
            while chunk := handle.read(_CHUNK):
                text.decode(chunk)
                lines, last = lines + chunk.count(b"\n"), chunk[-1:]
                if stop_after is not None and lines - header > stop_after:
                    break
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    return lines + (last != b"\n") - header
