"""crossmodal: reproductions of three studies of how images and words meet, and their measures
for vectors of one's own.

The science lives in small modules named for their job (see ``DESIGN.md`` in the shared notes);
Snakemake scripts under ``workflow/scripts`` only adapt ``snakemake.*`` objects to them.

The measures are importable from here without the workflow::

    from crossmodal import evaluate_word_similarity, knn, mnno, read_benchmark, read_word_vectors

    mnno(a, b, k=10)            # two row-paired N x D arrays; chance level ~ k / (N - 1)
    knn(a, k=10)                # N x k row numbers: each row's k nearest OTHER rows
    evaluate_word_similarity(read_word_vectors("glove.txt"),
                             {"simlex": read_benchmark("SimLex-999.txt", "simlex").pairs})

Neighbour convention: a row is never its own neighbour (another row with the same vector is);
``include_self=True`` gives Collell's released code's lists, the row first
(:mod:`crossmodal.api.neighbourhoods`). The names below are loaded on first use, so that
``import crossmodal`` (and ``crossmodal --help``) does not import torch, faiss or pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "knn": "crossmodal.api.neighbourhoods",
    "mnno": "crossmodal.api.neighbourhoods",
    "overlaps": "crossmodal.api.neighbourhoods",
    "chance_mnno": "crossmodal.api.neighbourhoods",
    "neighbour_table": "crossmodal.api.neighbourhoods",
    "read_vectors": "crossmodal.api.neighbourhoods",
    "read_pair": "crossmodal.api.neighbourhoods",
    "evaluate_word_similarity": "crossmodal.api.word_similarity",
    "read_benchmarks": "crossmodal.api.word_similarity",
    "read_benchmark": "crossmodal.data.wordsim",
    "read_word_vectors": "crossmodal.text.vector_files",
    "WordVectors": "crossmodal.text.vectors",
    "InputError": "crossmodal.core.errors",
}

__all__ = [
    "__version__",
    "knn",
    "mnno",
    "overlaps",
    "chance_mnno",
    "neighbour_table",
    "read_vectors",
    "read_pair",
    "evaluate_word_similarity",
    "read_benchmarks",
    "read_benchmark",
    "read_word_vectors",
    "WordVectors",
    "InputError",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ loads on demand
    from crossmodal.api.neighbourhoods import (
        chance_mnno,
        knn,
        mnno,
        neighbour_table,
        overlaps,
        read_pair,
        read_vectors,
    )
    from crossmodal.api.word_similarity import evaluate_word_similarity, read_benchmarks
    from crossmodal.core.errors import InputError
    from crossmodal.data.wordsim import read_benchmark
    from crossmodal.text.vector_files import read_word_vectors
    from crossmodal.text.vectors import WordVectors


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562) and keep the name here."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'crossmodal' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names and the public names not loaded yet (for completion in a shell)."""
    return sorted({*globals(), *_EXPORTS})
