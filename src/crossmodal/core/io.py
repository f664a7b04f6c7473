"""Atomic writes and the two canonical storage forms: Parquet tables and NPY matrices with a
Parquet row index beside them.

Atomicity matters because Snakemake decides what is complete from what exists: a half-written
file left by a crash must never stand where a finished one is expected. Everything here writes to
a temporary file in the target's directory and renames it into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from crossmodal.core.errors import InputError, UnreadableFile

#: ``.<target name>.<pid>.<32 hex digits><target suffix>``: the name :func:`temporary_path`
#: gives, for :func:`is_temporary` to recognise.
_TEMPORARY_NAME = re.compile(r"\.(?P<name>.+)\.\d+\.[0-9a-f]{32}(?P<suffix>(\.[^.]*)?)")


def temporary_path(target: Path) -> Path:
    """A fresh name beside ``target`` for :func:`atomic_path` to write to: hidden (so globs for
    outputs skip it), unique per process and call, and ending in the target's suffix so that
    libraries which dispatch on it (NumPy appends ``.npy``, matplotlib picks a format) write
    what the caller meant."""
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}{target.suffix}")


def is_temporary(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is named as :func:`temporary_path` names, i.e. a write that never
    finished when it is found after its process ended (a kill gives no chance to clean up)."""
    match = _TEMPORARY_NAME.fullmatch(Path(path).name)
    return match is not None and match["suffix"] == Path(match["name"]).suffix


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (:func:`temporary_path`); rename it onto ``path``
    only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A fresh unique name that the writer creates itself, so the file gets the usual
    # permissions (umask), unlike mkstemp's owner-only 0600.
    tmp_path = temporary_path(target)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a table atomically as Parquet, without the pandas index."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def read_parquet(path: str | os.PathLike[str], required: Sequence[str] = ()) -> pd.DataFrame:
    """Read a Parquet table, failing with a message naming the file if it is missing, truncated
    or lacks one of the ``required`` columns."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected a Parquet table)")
    try:
        frame = pq.read_table(path).to_pandas()
    except (pa.ArrowInvalid, OSError) as err:
        raise UnreadableFile(path, "Parquet file", err) from err
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; has {', '.join(frame.columns)}"
        )
    return frame


def write_matrix(
    matrix: np.ndarray,
    index: pd.DataFrame,
    npy_path: str | os.PathLike[str],
    index_path: str | os.PathLike[str],
) -> None:
    """Write a 2-D matrix as NPY and its row index as Parquet, both atomically.

    The index is written last so that a reader who finds the index also finds its matrix.
    """
    if matrix.ndim != 2:
        raise InputError(f"{npy_path}: expected a 2-D matrix, got shape {matrix.shape}")
    if len(index) != matrix.shape[0]:
        raise InputError(
            f"{npy_path}: {matrix.shape[0]} rows but the index has {len(index)} entries"
        )
    with atomic_path(npy_path) as tmp:
        np.save(tmp, matrix, allow_pickle=False)
    write_parquet(index.reset_index(drop=True), index_path)


def read_matrix(
    npy_path: str | os.PathLike[str],
    index_path: str | os.PathLike[str],
    required: Sequence[str] = (),
) -> tuple[np.ndarray, pd.DataFrame]:
    """Read an NPY matrix and its Parquet row index, checking that they agree and that the
    matrix is 2-D and finite (NaN or infinity in a feature matrix is always an upstream bug)."""
    npy_path = Path(npy_path)
    if not npy_path.is_file():
        raise InputError(f"{npy_path}: file not found (expected an NPY matrix)")
    try:
        matrix = np.load(npy_path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise UnreadableFile(npy_path, "NPY file", err) from err
    index = read_parquet(index_path, required)
    if matrix.ndim != 2:
        raise InputError(f"{npy_path}: expected a 2-D matrix, got shape {matrix.shape}")
    if matrix.shape[0] != len(index):
        raise InputError(
            f"{npy_path}: {matrix.shape[0]} rows but its index {index_path} has {len(index)}"
        )
    if np.issubdtype(matrix.dtype, np.floating) and not np.isfinite(matrix).all():
        bad = int((~np.isfinite(matrix)).any(axis=1).sum())
        raise InputError(f"{npy_path}: {bad} row(s) contain NaN or infinite values")
    return matrix, index


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so that multi-GB downloads need no memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
