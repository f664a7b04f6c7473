"""Word vectors as the project stores them: a float32 matrix (NPY) with one row per word and a
table (Parquet) beside it whose ``word`` column names the rows, plus whatever else the producer
knows about each word (corpus counts, synset, number of images...).

Consumers select rows by word through :meth:`WordVectors.rows`, never by position, so a vocabulary
that is re-sorted or filtered upstream cannot silently pair a word with another word's vector.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_matrix, write_matrix


@dataclass(frozen=True)
class WordVectors:
    """``matrix[i]`` is the vector of ``table.word[i]``; words are unique.

    ``source`` names where the vectors came from (a file path or a model name) so that a lookup
    error can say which vocabulary lacked the word.
    """

    matrix: np.ndarray
    table: pd.DataFrame
    source: str = "word vectors"
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.matrix.ndim != 2:
            raise InputError(f"{self.source}: expected a 2-D matrix, got shape {self.matrix.shape}")
        if "word" not in self.table.columns:
            raise InputError(f"{self.source}: the word table has no 'word' column")
        if len(self.table) != self.matrix.shape[0]:
            raise InputError(
                f"{self.source}: {self.matrix.shape[0]} vectors but {len(self.table)} words"
            )
        words = self.table["word"]
        duplicated = words[words.duplicated()]
        if len(duplicated):
            raise InputError(
                f"{self.source}: word {duplicated.iloc[0]!r} appears more than once "
                f"({len(duplicated)} duplicate(s)); expected one row per word"
            )
        object.__setattr__(self, "table", self.table.reset_index(drop=True))
        object.__setattr__(self, "_position", {w: i for i, w in enumerate(words)})

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def __contains__(self, word: object) -> bool:
        return word in self._position

    @property
    def dim(self) -> int:
        """Number of dimensions of each vector."""
        return self.matrix.shape[1]

    @property
    def words(self) -> list[str]:
        """The vocabulary in row order."""
        return list(self.table["word"])

    @property
    def position(self) -> Mapping[str, int]:
        """Row number of each word (built once; lookups by word use it)."""
        return self._position

    def positions(self, words: Iterable[str]) -> np.ndarray:
        """Row numbers of ``words``; an unknown word raises an InputError naming it."""
        words = list(words)
        missing = [w for w in words if w not in self._position]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise InputError(f"{self.source}: word {missing[0]!r} is not in the vocabulary{more}")
        return np.fromiter((self._position[w] for w in words), dtype=np.int64, count=len(words))

    def vector(self, word: str) -> np.ndarray:
        """The vector of one word (InputError naming the word if it is unknown)."""
        return self.matrix[self.positions([word])[0]]

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """The vectors of ``words`` stacked in the given order."""
        return self.matrix[self.positions(words)]

    def subset(self, words: Sequence[str]) -> WordVectors:
        """The vectors and table rows of ``words``, in the given order."""
        positions = self.positions(words)
        return WordVectors(self.matrix[positions], self.table.iloc[positions], self.source)

    def write(self, npy_path: str | os.PathLike[str], table_path: str | os.PathLike[str]) -> None:
        """Write the matrix as NPY and the word table as Parquet, atomically."""
        write_matrix(self.matrix, self.table, npy_path, table_path)

    @classmethod
    def read(
        cls,
        npy_path: str | os.PathLike[str],
        table_path: str | os.PathLike[str],
        required: Sequence[str] = (),
    ) -> WordVectors:
        """Read vectors written by :meth:`write` (or by any stage using the same layout)."""
        matrix, table = read_matrix(npy_path, table_path, ("word", *required))
        return cls(matrix, table, str(Path(npy_path)))
