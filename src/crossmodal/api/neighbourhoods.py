"""Exact K-nearest neighbours and the mean nearest neighbour overlap (mNNO, Collell & Moens, ACL
2018) of vectors of one's own, by the workflow's code (:mod:`crossmodal.metrics.neighbours`) and
read by its readers (:mod:`crossmodal.data.feature_files`, :mod:`crossmodal.data.paired_files`).

Neighbour convention (the project's default): NN^K(v_i) are the K nearest *other* rows of the
same set by cosine similarity (or Euclidean distance); a row is never its own neighbour, though
another row with the same vector is. The lists are those of a float64 search, and equal scores
are ordered by row. ``include_self=True`` gives the lists of Collell's released code instead:
the row itself first, then its K-1 nearest others, so that numbers compare with the paper's.

mNNO^K(A, B) = 1/(K N) sum_i |NN^K(a_i) ∩ NN^K(b_i)| for N paired rows: 1 when every item has
the same neighbours in both sets; for two unrelated sets it is about K/(N-1), the chance level
(with ``include_self``: (1 + (K-1)^2/(N-1))/K, the row itself always overlapping).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.export import indexes_beside
from crossmodal.data.feature_files import ID_COLUMNS, Remedies, read_features
from crossmodal.data.paired_files import FeaturePair, Features, pair_features
from crossmodal.metrics import neighbours
from crossmodal.metrics.neighbours import Metric

#: How messages name the reading options to a Python caller.
KEYWORD_REMEDIES = Remedies(
    header="pass header=True", no_labels="pass label_column=False", labels="pass label_column=True"
)
#: Label columns of an NPY's id table: a bring-your-own table's, then the project's own indexes'
#: (``word`` of word vectors, ``image_id`` of per-image features).
INDEX_COLUMNS: tuple[str, ...] = (*ID_COLUMNS, "word", "image_id")
# Float64 values held at once when computing the distances of a neighbour table (32 MB).
_DISTANCE_BLOCK = 1 << 22


def knn(
    vectors: np.ndarray,
    k: int = 10,
    metric: Metric = "cosine",
    include_self: bool = False,
    name: str = "vectors",
) -> np.ndarray:
    """Row numbers (N x k, nearest first) of each row's k nearest OTHER rows of ``vectors``:
    a row is never its own neighbour, another row with the same vector is; the order is that of
    a float64 search, equal scores by row. With ``include_self`` the row itself comes first,
    then its k-1 nearest others (Collell's released code). ``name`` names the set in messages."""
    return neighbours.neighbour_lists(np.asarray(vectors), k, metric, name, include_self)


def chance_mnno(n: int, k: int = 10, include_self: bool = False) -> float:
    """The expected mNNO^k of two unrelated sets of ``n`` paired rows: k/(n-1), or with
    ``include_self`` (1 + (k-1)^2/(n-1))/k (module docstring)."""
    if n < 2:
        raise InputError(f"chance level: need at least 2 items, got {n}")
    if include_self:
        return (1 + (k - 1) ** 2 / (n - 1)) / k
    return k / (n - 1)


@dataclass(frozen=True)
class Overlaps:
    """|NN^k(a_i) ∩ NN^k(b_i)| of every paired row i (``counts``), and what they average to."""

    counts: np.ndarray
    k: int
    include_self: bool = False

    @property
    def mnno(self) -> float:
        """mNNO^k: the mean count over k (as :func:`crossmodal.metrics.neighbours.mnno`)."""
        return float(self.counts.mean() / self.k)

    @property
    def chance(self) -> float:
        """The chance level of the same number of rows (:func:`chance_mnno`)."""
        return chance_mnno(len(self.counts), self.k, self.include_self)


def overlaps(
    a: np.ndarray,
    b: np.ndarray,
    k: int = 10,
    metric: Metric = "cosine",
    include_self: bool = False,
    names: tuple[str, str] = ("A", "B"),
) -> Overlaps:
    """Per-row neighbour overlaps of two row-paired sets (row i of ``a`` with row i of ``b``;
    their dimensions may differ), each set searched once; ``names`` name them in messages."""
    if len(a) != len(b):
        raise InputError(f"mNNO needs paired sets, got {len(a)} and {len(b)} rows")
    lists = [knn(x, k, metric, include_self, name) for x, name in zip((a, b), names, strict=True)]
    return Overlaps(neighbours.overlap_counts(*lists), k, include_self)


def mnno(
    a: np.ndarray,
    b: np.ndarray,
    k: int = 10,
    metric: Metric = "cosine",
    include_self: bool = False,
) -> float:
    """mNNO^k(A, B) = 1/(k N) sum_i |NN^k(a_i) ∩ NN^k(b_i)| of two row-paired sets (row i of
    ``a`` with row i of ``b``; their dimensions may differ), with the neighbour lists of
    :func:`knn` (a row is not its own neighbour unless ``include_self``); about
    :func:`chance_mnno` for unrelated sets, 1 for identical neighbourhoods."""
    return neighbours.mnno(np.asarray(a), np.asarray(b), k, metric, include_self)


def read_vectors(
    path: str | os.PathLike[str],
    ids: str | os.PathLike[str] | None = None,
    label_column: bool = True,
    header: bool = False,
    remedies: Remedies = KEYWORD_REMEDIES,
) -> Features:
    """A matrix and its row labels from a feature file, read as the workflow reads its
    bring-your-own files: CSV (first column labels unless ``label_column`` is false, a
    ``header`` line skipped) or NPY, labelled by ``ids`` or else by the one index the project
    writes beside it (``.words``, ``.vocab`` or ``.ids.parquet``) when there is one."""
    path = Path(path)
    if ids is None and path.suffix.lower() == ".npy":
        found = indexes_beside(path)
        if len(found) > 1:
            listed = ", ".join(p.name for p in found)
            raise InputError(f"{path}: several indexes beside it ({listed}); name one as its ids")
        ids = found[0] if found else None
    return read_features(path, ids, label_column, header, remedies, INDEX_COLUMNS)


def read_pair(
    a: str | os.PathLike[str],
    b: str | os.PathLike[str],
    ids: tuple[str | os.PathLike[str] | None, str | os.PathLike[str] | None] = (None, None),
    label_column: bool = True,
    header: bool = False,
    on: str = "auto",
    remedies: Remedies = KEYWORD_REMEDIES,
) -> FeaturePair:
    """Two feature files (:func:`read_vectors`) paired by ``rows``, on ``labels`` or, with
    ``auto``, on labels when both files have labels that differ somewhere
    (:mod:`crossmodal.data.paired_files`)."""
    first = read_vectors(a, ids[0], label_column, header, remedies)
    second = read_vectors(b, ids[1], label_column, header, remedies)
    return pair_features(first, second, (str(a), str(b)), on, ("A", "B"))


def _distances(vectors: np.ndarray, lists: np.ndarray, metric: Metric) -> np.ndarray:
    """Float64 distance of each row to each of its listed neighbours: 1 - cosine similarity (a
    zero vector is at distance 1 from everything) or Euclidean, as scikit-learn reports them."""
    data = np.asarray(vectors, dtype=np.float64)
    result = np.empty(lists.shape, dtype=np.float64)
    step = max(1, _DISTANCE_BLOCK // max(1, lists.shape[1] * data.shape[1]))
    for start in range(0, len(lists), step):
        rows = slice(start, start + step)
        a, b = data[rows, None, :], data[lists[rows]]
        if metric == "euclidean":
            result[rows] = np.sqrt(((a - b) ** 2).sum(axis=2))
            continue
        norms = np.linalg.norm(a, axis=2) * np.linalg.norm(b, axis=2)
        dots = (a * b).sum(axis=2)
        result[rows] = 1 - np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    return result


def neighbour_table(
    vectors: np.ndarray,
    lists: np.ndarray,
    labels: list[str] | None = None,
    metric: Metric = "cosine",
) -> pd.DataFrame:
    """The lists of :func:`knn` as one row per (row, rank): ``row`` and ``neighbour_row``
    (0-based), ``rank`` (1 = nearest), ``distance`` and, for labelled rows, ``item`` and
    ``neighbour`` (their labels)."""
    n, k = lists.shape
    table = pd.DataFrame(
        {
            "row": np.repeat(np.arange(n), k),
            "rank": np.tile(np.arange(1, k + 1), n),
            "neighbour_row": lists.reshape(-1),
            "distance": _distances(vectors, lists, metric).reshape(-1),
        }
    )
    if labels is not None:
        names = np.asarray(labels, dtype=object)
        table.insert(1, "item", names[table["row"]])
        table.insert(4, "neighbour", names[table["neighbour_row"]])
    return table
