"""Exact K-nearest neighbours within one set of vectors, and the mean nearest neighbour overlap
(mNNO) of Collell & Moens (ACL 2018, Sec. 3).

mNNO^K(V, Z) = 1/(K N) * sum_i |NN^K(v_i) ∩ NN^K(z_i)| compares the neighbourhood structure of
two sets of N paired vectors: 1 when every item has the same K neighbours in both sets, about
K/(N-1) when the two structures are unrelated.

Convention, kept everywhere in this project: NN^K(v_i) are the K nearest OTHER items of V; an
item is never its own neighbour (a duplicate of it, another item with the same vector, is). This
is how the paper's text reads (the K nearest neighbours of an item in its set; counting the item
itself would make every overlap at least 1/K for unrelated sets). Collell's released code
(``eval_utils.compute_MNNO``) differs: it queries scikit-learn's ``NearestNeighbors.kneighbors``
with the fitted set itself, so each item comes back as its own first neighbour and its score
is, without ties, (1 + (K-1) * mNNO^{K-1}) / K in our terms. tests/test_neighbours.py checks
both readings against scikit-learn brute force.

Speed: the search is blocked matrix products with a running top-K per row (torch.topk),
computing only half of the symmetric similarity matrix, so that memory stays at a few blocks and
10,000 x 2,048 takes seconds (benchmarks/bench_mnno.py). The products go through numpy's
OpenBLAS rather than torch's MKL, whose sgemm ran at 60 % of OpenBLAS's speed on the AMD EPYC
development VM. Half the products is also the limit of the speed-up over a brute-force search
with the same BLAS (scikit-learn's): the work is the N^2 D/2 multiply-adds of the matrix product.
Float32 scores may order two candidates whose similarities differ by less than rounding error
differently from a float64 search (about 1 row in 10,000 at 10,000 x 2,048, as for
scikit-learn and faiss); float64 input is searched in float64.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch

from crossmodal.errors import InputError

Metric = Literal["cosine", "euclidean"]
METRICS: tuple[str, ...] = ("cosine", "euclidean")

# Side of the square blocks of similarities: 2048 x 2048 float32 is 16 MB.
_BLOCK = 2048


def _as_float(vectors: np.ndarray, name: str) -> np.ndarray:
    """float64 input stays float64 (exact comparisons in tests); anything else becomes float32,
    which BLAS multiplies twice as fast and which is ample to rank neighbours of features."""
    array = np.asarray(vectors)
    if array.ndim != 2:
        raise InputError(f"{name}: expected a 2-D matrix (items x dimensions), got {array.shape}")
    if not np.issubdtype(array.dtype, np.number):
        raise InputError(f"{name}: expected numbers, got dtype {array.dtype}")
    dtype = np.float64 if array.dtype == np.float64 else np.float32
    array = np.ascontiguousarray(array, dtype=dtype)
    if not np.isfinite(array).all():
        raise InputError(f"{name}: contains NaN or infinite values")
    return array


def _product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a @ b.T through numpy's BLAS (see the module docstring), as a tensor sharing its memory."""
    return torch.from_numpy(a.numpy() @ b.numpy().T)


def _merge(
    best: torch.Tensor, best_idx: torch.Tensor, scores: torch.Tensor, offset: int, k: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Keep the k best of the running candidates and the k best of a new block of columns."""
    top, top_idx = torch.topk(scores, min(k, scores.shape[1]), dim=1)
    values, pick = torch.topk(torch.cat([best, top], dim=1), k, dim=1)
    indices = torch.gather(torch.cat([best_idx, top_idx + offset], dim=1), 1, pick)
    return values, indices


def knn_within(
    vectors: np.ndarray, k: int, metric: Metric = "cosine", name: str = "vectors"
) -> np.ndarray:
    """Indices (N x k, nearest first) of each item's k nearest other items of the same set.

    Cosine ranks by the dot product of unit rows (a zero row is similar to nothing, as in
    scikit-learn); Euclidean by 2 x.y - |y|^2, which orders candidates exactly as -|x - y|^2
    does because |x|^2 is constant per query. The similarity matrix is symmetric, so only the
    blocks on and above the diagonal are computed and each serves the rows of both of its sides.
    Equal scores are ordered by index.
    """
    if metric not in METRICS:
        raise InputError(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    data = torch.from_numpy(_as_float(vectors, name))
    n = data.shape[0]
    if not 1 <= k <= n - 1:
        raise InputError(f"{name}: {n} items cannot give k={k} neighbours (need 1 <= k <= N-1)")
    if metric == "cosine":
        data = torch.nn.functional.normalize(data, dim=1)
    squared_norms = (data * data).sum(dim=1)
    best = torch.full((n, k), -torch.inf, dtype=data.dtype)
    best_idx = torch.full((n, k), -1, dtype=torch.int64)
    starts = range(0, n, _BLOCK)
    with torch.no_grad():
        for row in starts:
            rows = slice(row, min(row + _BLOCK, n))
            for col in (c for c in starts if c >= row):
                cols = slice(col, min(col + _BLOCK, n))
                block = _product(data[rows], data[cols])
                if metric == "euclidean":
                    below = 2 * block - squared_norms[rows, None]  # scores for the column items
                    block = 2 * block - squared_norms[None, cols]
                else:
                    below = block
                if col == row:
                    block.fill_diagonal_(-torch.inf)
                best[rows], best_idx[rows] = _merge(best[rows], best_idx[rows], block, col, k)
                if col != row:
                    below = below.T.contiguous()  # top-k along rows: twice as fast
                    best[cols], best_idx[cols] = _merge(best[cols], best_idx[cols], below, row, k)
    values, indices = best.numpy(), best_idx.numpy()
    order = np.lexsort((indices, -values), axis=1)
    return np.take_along_axis(indices, order, axis=1)


def overlap_counts(neighbours_a: np.ndarray, neighbours_b: np.ndarray) -> np.ndarray:
    """|NN(a_i) ∩ NN(b_i)| for every row i of two N x K neighbour-index arrays."""
    if neighbours_a.shape != neighbours_b.shape:
        raise InputError(
            f"neighbour lists differ in shape: {neighbours_a.shape} vs {neighbours_b.shape}"
        )
    same = neighbours_a[:, :, None] == neighbours_b[:, None, :]
    return same.any(axis=2).sum(axis=1)


def mnno_from_neighbours(neighbours_a: np.ndarray, neighbours_b: np.ndarray) -> float:
    """mNNO from precomputed neighbour lists, so that NN(f(X)) is searched once and compared
    with both NN(X) and NN(Y)."""
    k = neighbours_a.shape[1]
    return float(overlap_counts(neighbours_a, neighbours_b).mean() / k)


def mnno(v: np.ndarray, z: np.ndarray, k: int = 10, metric: Metric = "cosine") -> float:
    """mNNO^k(V, Z) of two row-paired sets of vectors (row i of ``v`` pairs with row i of ``z``;
    their dimensions may differ)."""
    if len(v) != len(z):
        raise InputError(f"mNNO needs paired sets, got {len(v)} and {len(z)} rows")
    return mnno_from_neighbours(knn_within(v, k, metric, "V"), knn_within(z, k, metric, "Z"))


def match_ranks(queries: np.ndarray, targets: np.ndarray, metric: Metric = "cosine") -> np.ndarray:
    """For each query i, how many targets are strictly closer to it than its own target i
    (0: its own target is its nearest). Retrieval precision at K is ``mean(ranks < K)``.

    Cross-modal retrieval in Collell & Moens: a mapped vector f(x_i) should retrieve y_i among
    all targets of the set; ties count in the query's favour.
    """
    if metric not in METRICS:
        raise InputError(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    if queries.shape != targets.shape:
        raise InputError(f"queries {queries.shape} and targets {targets.shape} must match")
    q = torch.from_numpy(_as_float(queries, "queries"))
    t = torch.from_numpy(_as_float(targets, "targets")).to(q.dtype)
    if metric == "cosine":
        q, t = torch.nn.functional.normalize(q, dim=1), torch.nn.functional.normalize(t, dim=1)
    squared_norms = (t * t).sum(dim=1)
    ranks = np.empty(len(q), dtype=np.int64)
    with torch.no_grad():
        for start in range(0, len(q), _BLOCK):
            rows = slice(start, min(start + _BLOCK, len(q)))
            scores = _product(q[rows], t)
            if metric == "euclidean":
                scores = 2 * scores - squared_norms[None, :]
            own = scores[torch.arange(scores.shape[0]), torch.arange(start, rows.stop)]
            ranks[rows] = (scores > own[:, None]).sum(dim=1).numpy()
    return ranks
