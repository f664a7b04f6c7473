"""Any stored matrix (NPY with its Parquet row index) as a text file other tools read: CSV with
the label column first (the layout of Collell & Moens' released feature files, which
``crossmodal.data.feature_files`` reads back), or the word2vec text format (a "rows dim" header,
then "label v1 v2 ..." per row; gensim's ``KeyedVectors.load_word2vec_format`` reads it).

The row labels come from the index beside the matrix: ``word`` for word vectors
(``.words.parquet``, ``.vocab.parquet``), ``image_id`` for per-image features (``.ids.parquet``).
Numbers are written with 9 significant digits, which read back to the same float32.
"""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path

import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path, read_matrix

log = logging.getLogger(__name__)

INDEX_SUFFIXES: tuple[str, ...] = (".words.parquet", ".vocab.parquet", ".ids.parquet")
LABEL_COLUMNS: tuple[str, ...] = ("word", "image_id", "label", "id")
FORMATS: dict[str, str] = {".csv": "csv", ".txt": "word2vec", ".vec": "word2vec"}
CHUNK = 4096  # rows formatted at a time


def indexes_beside(npy: Path) -> list[Path]:
    """The row indexes (:data:`INDEX_SUFFIXES`) that exist beside the NPY file ``npy``."""
    base = npy.with_suffix("")
    indexes = [base.with_name(base.name + s) for s in INDEX_SUFFIXES]
    return [p for p in indexes if p.is_file()]


def matrix_files(source: str | os.PathLike[str]) -> tuple[Path, Path]:
    """(NPY, index) of a stored matrix named by its NPY file or by its path without suffix
    (``results/words/tuxpaint/cnn_untrained_pool``)."""
    base = Path(source)
    if base.suffix == ".npy":
        base = base.with_suffix("")
    npy = base.with_name(base.name + ".npy")
    found = indexes_beside(npy)
    if not npy.is_file():
        raise InputError(f"{npy}: file not found (export reads an NPY matrix and its index)")
    if len(found) != 1:
        names = ", ".join(s for s in INDEX_SUFFIXES)
        raise InputError(f"{npy}: expected exactly one index beside it ({names}), found {found}")
    return npy, found[0]


def _format(output: Path, fmt: str | None) -> str:
    if fmt is None:
        if output.suffix.lower() not in FORMATS:
            raise InputError(f"{output}: say --format csv or word2vec (suffix not .csv/.txt/.vec)")
        return FORMATS[output.suffix.lower()]
    if fmt not in FORMATS.values():
        raise InputError(f"export format {fmt!r}: expected csv or word2vec")
    return fmt


def _csv_label(label: str) -> str:
    """A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break."""
    if re.search(r'[",\r\n]', label):
        return '"' + label.replace('"', '""') + '"'
    return label


def _word2vec_labels(labels: list[str], source: Path) -> list[str]:
    """Labels without whitespace (a word2vec line is split on it): spaces become underscores,
    gensim's convention for phrases; refused if two labels then coincide."""
    cleaned = [re.sub(r"\s+", "_", label.strip()) for label in labels]
    if len(set(cleaned)) != len(cleaned):
        raise InputError(f"{source}: two labels become the same word with spaces as underscores")
    return cleaned


def export_matrix(
    source: str | os.PathLike[str], output: str | os.PathLike[str], fmt: str | None = None
) -> int:
    """Write the matrix ``source`` (see :func:`matrix_files`) to ``output`` as CSV or word2vec
    text (``fmt``; by default from the suffix: .csv, .txt or .vec); return the rows written."""
    output = Path(output)
    fmt = _format(output, fmt)
    npy, index_path = matrix_files(source)
    matrix, index = read_matrix(npy, index_path)
    column = next((c for c in LABEL_COLUMNS if c in index.columns), None)
    if column is None:
        raise InputError(f"{index_path}: no label column ({', '.join(LABEL_COLUMNS)})")
    labels = [str(v) for v in index[column]]
    if fmt == "word2vec":
        labels = _word2vec_labels(labels, index_path)
    separator = "," if fmt == "csv" else " "
    with atomic_path(output) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        if fmt == "word2vec":
            handle.write(f"{matrix.shape[0]} {matrix.shape[1]}\n")
        for start in range(0, len(matrix), CHUNK):
            block = io.StringIO()
            np.savetxt(block, matrix[start : start + CHUNK], fmt="%.9g", delimiter=separator)
            rows = block.getvalue().splitlines()
            for label, row in zip(labels[start : start + CHUNK], rows, strict=True):
                first = _csv_label(label) if fmt == "csv" else label
                handle.write(f"{first}{separator}{row}\n")
    log.info("%s: %d x %d matrix written as %s (labels: %s)", output, *matrix.shape, fmt, column)
    return int(matrix.shape[0])
