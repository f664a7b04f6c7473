"""Word-similarity evaluation of one's own word vectors with honest coverage, by the workflow's
code: Spearman rho over the benchmark pairs both of whose words have a vector, beside how many
pairs that is (:mod:`crossmodal.metrics.similarity`); benchmark files are parsed by
:mod:`crossmodal.data.wordsim`, vectors read by :mod:`crossmodal.text.vector_files`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.data.wordsim import Benchmark, read_benchmark
from crossmodal.metrics.similarity import benchmark_scores
from crossmodal.text.vectors import WordVectors


def evaluate_word_similarity(
    vectors: WordVectors,
    benchmarks: Mapping[str, pd.DataFrame],
    similarity: str = "cosine",
) -> pd.DataFrame:
    """One row per benchmark (name -> pairs ``word1, word2, score``): ``rho``, Spearman's
    correlation of the human scores with the vectors' ``similarity`` (cosine, or euclidean:
    the negated distance) over the covered ``pairs`` of the benchmark's ``total``, and
    ``coverage`` = pairs / total. A pair is covered when both words have a vector (each looked
    up as written, then lower-cased); rho is NaN below 3 covered pairs."""
    return benchmark_scores(vectors.matrix, vectors.position, benchmarks, similarity)


def read_benchmarks(
    paths: Sequence[str | os.PathLike[str]],
    formats: Sequence[str] = ("pairs",),
    duplicates: str = "keep",
) -> dict[str, Benchmark]:
    """Benchmark files by name (each file's stem), each parsed as its entry of ``formats`` (one
    format for every file, or one per file; :data:`crossmodal.data.wordsim.FORMATS`)."""
    if len(formats) not in (1, len(paths)):
        raise InputError(
            f"benchmark formats: give one for all {len(paths)} files or one per file, "
            f"got {len(formats)}"
        )
    chosen = list(formats) * len(paths) if len(formats) == 1 else list(formats)
    benchmarks: dict[str, Benchmark] = {}
    for path, fmt in zip(paths, chosen, strict=True):
        name = Path(path).stem
        if name in benchmarks:
            raise InputError(f"{path}: a second benchmark named {name!r}; rename one of the files")
        benchmarks[name] = read_benchmark(path, fmt, duplicates)
    return benchmarks
