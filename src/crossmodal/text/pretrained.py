"""Published word vectors (GloVe, word2vec, fastText ``.vec``) converted to the project's form:
``<name>.npy`` (float32, one row per word, in the file's order, i.e. by falling frequency) and
``<name>.vocab.parquet`` (``word``, ``count``; the files carry no counts, so ``count`` is null).

Text files are read by our own two-pass streaming reader rather than gensim's
``load_word2vec_format(no_header=True)``, for three reasons found on the real files:

* GloVe 840B has tokens that contain spaces (``". . ."``, ``"at name@domain.com"``); gensim splits
  each line on every space and fails on them. We split a word off the *right* by the dimension.
* GloVe and fastText publish zip archives; gensim re-opens its input by name for the header-less
  second pass, so it cannot read a zip member. We stream the member without extracting it.
* The first pass learns the row count, so the second writes rows straight into a memory-mapped
  NPY: a 5.6 GB text file never has its text (or a second copy of its matrix) in memory. Numbers
  are parsed in chunks by pandas' C parser, several times faster than gensim's per-value
  conversion (``benchmarks/bench_pretrained.py``).

Binary word2vec files (GoogleNews) have a header and a fixed layout, so gensim reads them.
Duplicate words keep their first vector (as gensim does), and every skipped or repaired line is
counted in the returned summary for the log. :func:`read_text_vectors` and
:func:`read_binary_vectors` read the same files into memory by the same code, for evaluating
vectors without storing them (``crossmodal wordsim``, :mod:`crossmodal.text.vector_files`).
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import numpy as np
import pandas as pd
from gensim.models import KeyedVectors

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path, write_parquet
from crossmodal.core.logs import progress
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("glove", "word2vec_text", "word2vec_binary")

# Lines parsed per pandas call in the second pass: large enough that the C parser dominates,
# small enough (~30 MB of text for 300-d vectors) to keep memory flat.
CHUNK_LINES = 10_000


@dataclass(frozen=True)
class Conversion:
    """What a conversion read and kept, for the log."""

    vectors: int
    dim: int
    duplicates: int
    undecodable: int


@contextmanager
def open_vectors_file(
    path: str | os.PathLike[str], member: str | None = None
) -> Iterator[IO[bytes]]:
    """Open a vectors file for binary reading: a member of a zip archive, a ``.gz`` file or a
    plain file, so that downloads are read as fetched, never unpacked to disk."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected a word-vectors file)")
    if member is None:
        # GzipFile is a binary stream but typeshed does not call it IO[bytes].
        opened = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
        with cast(IO[bytes], opened) as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise InputError(f"{path}: not a zip archive, but member {member!r} was requested") from err
    with archive:
        if member not in archive.namelist():
            raise InputError(
                f"{path}: no member {member!r} in the archive; it holds "
                f"{', '.join(archive.namelist()[:10])}"
            )
        with archive.open(member) as handle:
            yield handle


def _split(line: bytes, dim: int, where: str) -> tuple[bytes, bytes]:
    """Split one text line into (word, the ``dim`` numbers as text).

    The fast path splits at the first space; when that does not leave exactly ``dim`` numbers
    the word itself holds spaces, and it is whatever precedes the last ``dim`` fields.
    ``rstrip`` also removes the trailing space that word2vec and fastText writers leave.
    """
    stripped = line.rstrip()
    word, _, numbers = stripped.partition(b" ")
    if numbers.count(b" ") == dim - 1:
        return word, numbers
    parts = stripped.rsplit(b" ", dim)
    if len(parts) != dim + 1 or not parts[0]:
        raise InputError(f"{where}: expected a word and {dim} numbers, got {len(parts)} fields")
    return parts[0], b" ".join(parts[1:])


@dataclass(frozen=True)
class _Scan:
    """Result of the first pass: dimension, words in file order, and which lines to keep."""

    dim: int
    words: list[str]
    keep: np.ndarray
    undecodable: int


def _lines(handle: IO[bytes], header: bool) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, line) for the vector lines, skipping the header and blank lines."""
    for number, line in enumerate(handle, start=1):
        if (header and number == 1) or not line.strip():
            continue
        yield number, line


def _read_header(path: Path, member: str | None) -> tuple[int, int]:
    with open_vectors_file(path, member) as handle:
        first = handle.readline().split()
    try:
        count, dim = (int(x) for x in first)
    except ValueError:
        raise InputError(
            f"{path}: first line should be the word2vec header '<count> <dim>', got "
            f"{b' '.join(first)[:60]!r}"
        ) from None
    return count, dim


def _scan(path: Path, member: str | None, header: bool) -> _Scan:
    """First pass: find the dimension, check every line's shape, and collect the words."""
    expected = None
    if header:
        expected, dim = _read_header(path, member)
    else:
        with open_vectors_file(path, member) as handle:
            first = next((line for line in handle if line.strip()), b"")
        dim = len(first.split()) - 1
    if dim < 1:
        raise InputError(f"{path}: no word vectors found")
    name = f"{path}:{member}" if member else str(path)
    words: list[str] = []
    keep: list[bool] = []
    seen: set[str] = set()
    undecodable = 0
    log.info("%s: first pass (dimension %d, words)", name, dim)
    with open_vectors_file(path, member) as handle:
        for number, line in _lines(handle, header):
            raw, _ = _split(line, dim, f"{name}:{number}")
            try:
                word = raw.decode("utf-8")
            except UnicodeDecodeError:
                # Crawled vocabularies hold a few byte sequences that are not UTF-8; keep the
                # vector under a replacement-character spelling rather than fail the conversion.
                word = raw.decode("utf-8", errors="replace")
                undecodable += 1
            words.append(word)
            keep.append(word not in seen)
            seen.add(word)
    if expected is not None and expected != len(words):
        raise InputError(
            f"{name}: the header announces {expected} vectors but the file holds {len(words)}"
        )
    if not words:
        raise InputError(f"{name}: no word vectors found")
    return _Scan(dim, words, np.array(keep, dtype=bool), undecodable)


def _parse_numbers(chunk: list[bytes], dim: int, where: str) -> np.ndarray:
    """Parse lines of ``dim`` space-separated numbers with pandas' C parser (float32)."""
    try:
        frame = pd.read_csv(
            io.BytesIO(b"\n".join(chunk)), sep=" ", header=None, dtype=np.float32, engine="c"
        )
    except (ValueError, pd.errors.ParserError) as err:
        raise InputError(f"{where}: a vector holds something that is not a number ({err})") from err
    values = frame.to_numpy()
    if values.shape != (len(chunk), dim) or not np.isfinite(values).all():
        raise InputError(f"{where}: vectors are not {dim} finite numbers each")
    return values


def _fill_rows(
    matrix: np.ndarray, scan: _Scan, path: Path, member: str | None, header: bool
) -> None:
    """Second pass: parse the kept lines' numbers into ``matrix`` (kept rows x dimension), a
    chunk of :data:`CHUNK_LINES` at a time."""
    name = f"{path}:{member}" if member else str(path)
    row = 0
    chunk: list[bytes] = []
    first_line = 0
    with open_vectors_file(path, member) as handle:
        lines = progress(_lines(handle, header), total=len(scan.words), desc="vectors")
        for index, (number, line) in enumerate(lines):
            if not scan.keep[index]:
                continue
            if not chunk:
                first_line = number
            chunk.append(_split(line, scan.dim, f"{name}:{number}")[1])
            if len(chunk) == CHUNK_LINES:
                where = f"{name}:{first_line}-{number}"
                matrix[row : row + len(chunk)] = _parse_numbers(chunk, scan.dim, where)
                row += len(chunk)
                chunk = []
        if chunk:
            where = f"{name}:{first_line}-{number}"
            matrix[row : row + len(chunk)] = _parse_numbers(chunk, scan.dim, where)


def convert_text_vectors(
    path: str | os.PathLike[str],
    npy_path: str | os.PathLike[str],
    vocab_path: str | os.PathLike[str],
    *,
    header: bool,
    member: str | None = None,
) -> Conversion:
    """Convert a GloVe (``header=False``) or word2vec/fastText text file (``header=True``).

    The matrix is written through a memory map into a temporary file that is renamed into place
    when complete; the vocabulary table is written last (see
    :func:`crossmodal.core.io.write_matrix`).
    """
    path = Path(path)
    scan = _scan(path, member, header)
    kept = int(scan.keep.sum())
    with atomic_path(npy_path) as tmp:
        matrix = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(kept, scan.dim))
        _fill_rows(matrix, scan, path, member, header)
        matrix.flush()
        del matrix
    words = [w for w, k in zip(scan.words, scan.keep, strict=True) if k]
    write_parquet(_vocab_table(words), vocab_path)
    return Conversion(kept, scan.dim, len(scan.words) - kept, scan.undecodable)


def read_text_vectors(
    path: str | os.PathLike[str], *, header: bool, member: str | None = None
) -> WordVectors:
    """A GloVe (``header=False``) or word2vec/fastText text file (``header=True``) read into
    memory by the same two passes as :func:`convert_text_vectors`, for a caller that evaluates
    the vectors rather than storing them (``crossmodal wordsim``)."""
    path = Path(path)
    scan = _scan(path, member, header)
    matrix = np.empty((int(scan.keep.sum()), scan.dim), dtype=np.float32)
    _fill_rows(matrix, scan, path, member, header)
    words = [w for w, k in zip(scan.words, scan.keep, strict=True) if k]
    return WordVectors(matrix, _vocab_table(words), f"{path}:{member}" if member else str(path))


def read_binary_vectors(path: str | os.PathLike[str]) -> WordVectors:
    """A binary word2vec file (optionally ``.gz``) read with gensim's reader."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected a binary word2vec file)")
    try:
        vectors = KeyedVectors.load_word2vec_format(
            str(path), binary=True, unicode_errors="replace"
        )
    except (ValueError, EOFError, OSError) as err:
        raise InputError(f"{path}: not a readable binary word2vec file ({err})") from err
    if not np.isfinite(vectors.vectors).all():
        raise InputError(f"{path}: some vectors hold NaN or infinite values")
    return WordVectors(vectors.vectors, _vocab_table(list(vectors.index_to_key)), str(path))


def convert_binary_vectors(
    path: str | os.PathLike[str],
    npy_path: str | os.PathLike[str],
    vocab_path: str | os.PathLike[str],
) -> Conversion:
    """Convert a binary word2vec file (optionally ``.gz``) with gensim's reader."""
    vectors = read_binary_vectors(path)
    vectors.write(npy_path, vocab_path)
    return Conversion(len(vectors), vectors.dim, 0, 0)


def convert_pretrained(
    path: str | os.PathLike[str],
    fmt: str,
    npy_path: str | os.PathLike[str],
    vocab_path: str | os.PathLike[str],
    member: str | None = None,
) -> Conversion:
    """Convert a downloaded vectors file of format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise InputError(f"format {fmt!r} of {path}: expected one of {', '.join(FORMATS)}")
    if fmt == "word2vec_binary":
        if member is not None:
            raise InputError(
                f"{path}: member {member!r} given for a binary word2vec file; only text formats "
                "are read from inside zip archives (gensim needs a file name)"
            )
        summary = convert_binary_vectors(path, npy_path, vocab_path)
    else:
        summary = convert_text_vectors(
            path, npy_path, vocab_path, header=fmt == "word2vec_text", member=member
        )
    log.info(
        "%s: %d vectors of %d dimensions; %d duplicate word(s) skipped; %d word(s) not UTF-8",
        path,
        summary.vectors,
        summary.dim,
        summary.duplicates,
        summary.undecodable,
    )
    return summary


def _vocab_table(words: list[str]) -> pd.DataFrame:
    """The vocabulary table; published files carry no corpus counts, so ``count`` is null."""
    return pd.DataFrame({"word": words, "count": pd.array([None] * len(words), dtype="Int64")})
