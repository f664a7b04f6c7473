"""Word vectors from any file the project reads, as :class:`WordVectors`: the project's stored
form (NPY with its ``.vocab``/``.words`` Parquet table beside it), a bring-your-own CSV feature
file whose label column holds the words, and published GloVe, word2vec text and binary files.

Each format is read by the reader the workflow uses for it (:mod:`crossmodal.core.io`,
:mod:`crossmodal.data.feature_files`, :mod:`crossmodal.text.pretrained`), so a file gets the
same checks and the same one-line messages whether it enters through the workflow or through
``crossmodal wordsim``. ``auto`` picks the format from the name and, for text, the first line:
two whole numbers are word2vec's ``<count> <dim>`` header, anything else is a GloVe line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.export import matrix_files
from crossmodal.data.feature_files import read_features
from crossmodal.text.pretrained import open_vectors_file, read_binary_vectors, read_text_vectors
from crossmodal.text.vectors import WordVectors

VECTOR_FORMATS: tuple[str, ...] = (
    "auto",
    "npy",
    "csv",
    "glove",
    "word2vec_text",
    "word2vec_binary",
)


def _has_word2vec_header(path: Path) -> bool:
    """Whether the first line of a text vectors file is word2vec's ``<count> <dim>``."""
    with open_vectors_file(path) as handle:
        fields = handle.readline().split()
    return len(fields) == 2 and all(field.isdigit() for field in fields)


def vector_format(path: str | os.PathLike[str]) -> str:
    """The format ``auto`` reads ``path`` as (module docstring): ``.npy`` stored vectors,
    ``.csv`` a feature file, ``.bin``/``.bin.gz`` binary word2vec, else text by its first line."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".npy"):
        return "npy"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".bin", ".bin.gz")):
        return "word2vec_binary"
    return "word2vec_text" if _has_word2vec_header(path) else "glove"


def read_word_vectors(path: str | os.PathLike[str], fmt: str = "auto") -> WordVectors:
    """The word vectors of ``path`` read as ``fmt`` (one of :data:`VECTOR_FORMATS`); every word
    keeps its spelling (lookups try it as written, then lower-cased)."""
    if fmt not in VECTOR_FORMATS:
        expected = ", ".join(VECTOR_FORMATS)
        raise InputError(f"{path}: unknown vectors format {fmt!r}; expected one of {expected}")
    if fmt == "auto":
        if not Path(path).is_file():
            raise InputError(f"{path}: file not found (expected a word-vectors file)")
        fmt = vector_format(path)
    if fmt == "npy":
        npy, index = matrix_files(path)
        return WordVectors.read(npy, index)
    if fmt == "csv":
        matrix, labels = read_features(path, label_column=True)  # labels: one per row
        return WordVectors(matrix, pd.DataFrame({"word": labels}), str(path))
    if fmt == "word2vec_binary":
        return read_binary_vectors(path)
    return read_text_vectors(path, header=fmt == "word2vec_text")
