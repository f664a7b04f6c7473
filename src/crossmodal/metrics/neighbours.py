"""Exact K-nearest neighbours within one set of vectors, and the mean nearest neighbour overlap
(mNNO) of Collell & Moens (ACL 2018, Sec. 3).

mNNO^K(V, Z) = 1/(K N) * sum_i |NN^K(v_i) ∩ NN^K(z_i)| compares the neighbourhood structure of
two sets of N paired vectors: 1 when every item has the same K neighbours in both sets, about
K/(N-1) when the two structures are unrelated.

Convention, the default everywhere in this project: NN^K(v_i) are the K nearest OTHER items of
V; an item is never its own neighbour (a duplicate of it, another item with the same vector, is).
This is how the paper's text reads (the K nearest neighbours of an item in its set; counting the
item itself would make every overlap at least 1/K for unrelated sets). Collell's released code
(``eval_utils.compute_MNNO``) differs: it queries scikit-learn's ``NearestNeighbors.kneighbors``
with the fitted set itself, so each item comes back as its own first neighbour and its score
is, without ties, (1 + (K-1) * mNNO^{K-1}) / K in our terms; the paper's printed numbers are of
that kind. ``include_self=True`` (:func:`neighbour_lists`, :func:`mnno`) gives that reading: the
item first, then its K-1 nearest others, so that a user can compare with the printed numbers.
tests/metrics/test_neighbours.py checks both readings against scikit-learn brute force.

Speed: the search is blocked float32 matrix products, computing only the blocks on and above
the diagonal of the symmetric similarity matrix, so that memory stays at a few blocks; each
block serves the items of its rows and, transposed, of its columns. Each item's running top-K
lives in faiss's binary heaps, which merge a block in one C++ pass (a score below the row's
current worst costs one comparison; torch.topk over the block cost several times as much). The
products go through numpy's OpenBLAS rather than torch's MKL, whose sgemm was slower on the
AMD EPYC development VM (figures in benchmarks/README.md). Where the products dominate
(10,000 x 2,048), half the products is the limit of the speed-up over a brute-force search
with the same BLAS (scikit-learn's); at 50,000 x 300 selecting the neighbours is most of a
brute-force search's time (benchmarks/bench_mnno.py).

Exactness: float32 products order two candidates whose similarities differ by less than their
rounding error arbitrarily (about 1 item in 10,000 at 10,000 x 2,048, in scikit-learn and faiss
as well). Here each item keeps K + 5 candidates; those linked by gaps smaller than twice the
rounding error (:func:`_rounding_scale`) are re-scored in float64 (the item against all N when
the group at the K-th place reaches the last kept candidate), and equal scores are ordered by
index. The lists are those of a float64 search (checked at 10,000 x 2,048), for the price of
a few thousand re-scored pairs.
"""

from __future__ import annotations

from typing import Literal

import faiss
import numpy as np
import torch

from crossmodal.core.errors import InputError

Metric = Literal["cosine", "euclidean"]
METRICS: tuple[str, ...] = ("cosine", "euclidean")

# Side of the square blocks of similarities: 2048 x 2048 float32 is 16 MB.
_BLOCK = 2048
# Candidates kept beyond K, so that near-ties at the K-th place can be settled in float64.
_MARGIN = 5
# Pairs re-scored in float64 at once (two float64 rows each), and items re-scored against all.
_RESCORE = 8192
_RESCORE_ROWS = 64


def _as_float(vectors: np.ndarray, name: str) -> np.ndarray:
    """The input as a C-ordered float matrix (float64 stays float64: the float64 re-score reads
    it; the search itself runs in float32), after checking its shape and values."""
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


def _scores(data: np.ndarray, metric: Metric) -> tuple[np.ndarray, np.ndarray | None]:
    """The float32 rows to multiply and, for Euclidean, |y|^2: cosine ranks by the dot product
    of unit rows (a zero row is similar to nothing, as in scikit-learn); Euclidean by
    2 x.y - |y|^2, which orders candidates exactly as -|x - y|^2 does because |x|^2 is constant
    per query."""
    rows = data.astype(np.float32)
    if metric == "euclidean":
        return rows, np.einsum("ij,ij->i", rows, rows)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1), None


class _Lists:
    """Running top-``keep`` candidates of every item, in faiss's binary heaps: a block of
    scores is merged by one C++ pass that compares each score with its row's current worst
    (faiss.ResultHeap, keeping the largest)."""

    def __init__(self, n: int, keep: int) -> None:
        self.heap = faiss.ResultHeap(n, keep, keep_max=True)

    def absorb(self, scores: np.ndarray, items: slice, others: slice) -> None:
        """Merge ``scores`` (items x others, C-ordered float32) into the lists of ``items``."""
        rows, cols = scores.shape
        self.heap.heaps.addn(cols, faiss.swig_ptr(scores), others.start, items.start, rows)

    def sorted(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(scores, indices) of every list, best first."""
        self.heap.heaps.reorder()
        return torch.from_numpy(self.heap.D), torch.from_numpy(self.heap.I)


def _transposed(block: np.ndarray) -> np.ndarray:
    """A C-ordered copy of block.T: torch's cache-blocked, multi-threaded copy takes a quarter
    of the time of numpy's for a 2,048 x 2,048 block."""
    return torch.from_numpy(block).T.contiguous().numpy()


def _search(scored: np.ndarray, keep: int, squared_norms: np.ndarray | None) -> _Lists:
    """Float32 search over the blocks on and above the diagonal (see the module docstring)."""
    n = scored.shape[0]
    lists = _Lists(n, keep)
    starts = range(0, n, _BLOCK)
    for row in starts:
        rows = slice(row, min(row + _BLOCK, n))
        for col in (c for c in starts if c >= row):
            cols = slice(col, min(col + _BLOCK, n))
            block = scored[rows] @ scored[cols].T
            if col != row:  # the transposed block scores the column items
                below = block if squared_norms is None else 2 * block - squared_norms[rows, None]
                lists.absorb(_transposed(below), cols, rows)
            if squared_norms is not None:
                block = 2 * block - squared_norms[None, cols]
            if col == row:
                np.fill_diagonal(block, -np.inf)
            lists.absorb(block, rows, cols)
    return lists


def _rounding_scale(data: np.ndarray, metric: Metric) -> float:
    """How far a float score may be from the exact one: 4 sqrt(D) u times the size of the
    products (1 for unit rows; |x| |y| + |y|^2 <= 2 max |y|^2 for Euclidean scores). Roundings
    of the D products and sums add up like a random walk, about sqrt(D) u (the worst case,
    D u, is hundreds of times larger and would send most rows to float64). Measured on
    standard normal rows, D = 300 and 2,048: the largest error of 8 million float32 cosine
    scores was 0.9 and 0.2 sqrt(D) u."""
    u = np.finfo(np.float32).eps / 2
    scale = (4 * np.sqrt(data.shape[1]) + 2) * u  # + 2 u: float64 input rounded to float32
    if metric == "cosine":
        return float(scale)
    return float(2 * scale * np.max(np.einsum("ij,ij->i", data, data, dtype=np.float64)))


def _exact(
    dot: torch.Tensor, x_sq: torch.Tensor, y_sq: torch.Tensor, metric: Metric
) -> torch.Tensor:
    """Float64 scores (as the float search defines them) from dot products and squared norms."""
    if metric == "euclidean":
        return 2 * dot - y_sq
    norms = (x_sq * y_sq).sqrt()
    return dot / torch.where(norms > 0, norms, 1.0)


def _exact_pairs(
    data: torch.Tensor, metric: Metric, items: torch.Tensor, others: torch.Tensor
) -> torch.Tensor:
    """Float64 scores of the pairs (items[i], others[i]) from the input rows ``data``; only the
    rows involved are converted, so a re-score costs no copy of the set."""
    x, y = data[items].double(), data[others].double()
    return _exact((x * y).sum(dim=1), (x * x).sum(dim=1), (y * y).sum(dim=1), metric)


def _exact_rows(
    everyone: torch.Tensor, squares: torch.Tensor, metric: Metric, items: torch.Tensor
) -> torch.Tensor:
    """Float64 scores of ``items`` against every item (itself excluded); ``everyone``: the set
    in float64, ``squares``: its squared norms."""
    dot = everyone[items] @ everyone.T
    scores = _exact(dot, squares[items, None], squares[None, :], metric)
    scores[torch.arange(len(items)), items] = -torch.inf
    return scores


def _settle(
    data: torch.Tensor, metric: Metric, lists: _Lists, k: int, slack: float
) -> torch.Tensor:
    """The first k of every list, in the order of a float64 search (module docstring).

    Consecutive candidates whose float scores differ by more than ``slack`` (twice the rounding
    error) are in their exact order, and so is everything on either side of such a gap; only
    the candidates linked by smaller gaps are re-scored in float64. When the group at the K-th
    place runs to the end of the kept candidates, an item beyond them could belong to it, and
    the item's scores against the whole set are recomputed in float64."""
    values, indices = lists.sorted()
    n, keep = values.shape
    links = values[:, :-1] - values[:, 1:] <= slack  # link j joins candidates j and j + 1
    tail = links[:, k - 1 :].long().cumprod(dim=1).bool()  # the K-th place's group, onwards
    overflow = tail[:, -1] if tail.shape[1] else torch.ones(n, dtype=torch.bool)
    inside = links[:, :k]  # the links among the first K + 1 (fewer when N - 1 = K)
    tied = torch.zeros((n, keep), dtype=torch.bool)
    tied[:, : inside.shape[1]] |= inside
    tied[:, 1 : inside.shape[1] + 1] |= inside
    tied[:, k:] |= tail
    tied &= ~overflow[:, None]
    result = indices[:, :k].clone()
    rows = tied.any(dim=1).nonzero().squeeze(1)
    if len(rows):
        keys = values[rows].double()
        row, slot = tied[rows].nonzero(as_tuple=True)
        for part in torch.arange(len(row)).split(_RESCORE):
            items, others = rows[row[part]], indices[rows[row[part]], slot[part]]
            keys[row[part], slot[part]] = _exact_pairs(data, metric, items, others)
        order = np.lexsort((indices[rows].numpy(), -keys.numpy()), axis=1)[:, :k]
        result[rows] = torch.gather(indices[rows], 1, torch.from_numpy(order))
    if overflow.any():
        everyone = data.double()
        squares = (everyone * everyone).sum(dim=1)
        for chunk in overflow.nonzero().squeeze(1).split(_RESCORE_ROWS):
            exact = _exact_rows(everyone, squares, metric, chunk).numpy()
            order = np.lexsort((np.broadcast_to(np.arange(n), exact.shape), -exact), axis=1)
            result[chunk] = torch.from_numpy(order[:, :k])
    return result


def knn_within(
    vectors: np.ndarray, k: int, metric: Metric = "cosine", name: str = "vectors"
) -> np.ndarray:
    """Indices (N x k, nearest first) of each item's k nearest other items of the same set,
    identical to a float64 search; equal scores are ordered by index (module docstring)."""
    if metric not in METRICS:
        raise InputError(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    data = _as_float(vectors, name)
    n = data.shape[0]
    if not 1 <= k <= n - 1:
        raise InputError(f"{name}: {n} items cannot give k={k} neighbours (need 1 <= k <= N-1)")
    scored, squared_norms = _scores(data, metric)
    lists = _search(scored, min(k + _MARGIN, n - 1), squared_norms)
    slack = 2 * _rounding_scale(data, metric)
    with torch.no_grad():
        return _settle(torch.from_numpy(data), metric, lists, k, slack).numpy()


def neighbour_lists(
    vectors: np.ndarray,
    k: int,
    metric: Metric = "cosine",
    name: str = "vectors",
    include_self: bool = False,
) -> np.ndarray:
    """The N x k neighbour lists mNNO^k compares: :func:`knn_within` (the item is not its own
    neighbour), or with ``include_self`` the released code's lists, each item first and then
    its k-1 nearest others (module docstring)."""
    if not include_self:
        return knn_within(vectors, k, metric, name)
    own = np.arange(len(vectors))[:, None]
    if k == 1:
        _as_float(vectors, name)  # the same checks of the input as a search would make
        return own
    return np.hstack([own, knn_within(vectors, k - 1, metric, name)])


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


def mnno(
    v: np.ndarray,
    z: np.ndarray,
    k: int = 10,
    metric: Metric = "cosine",
    include_self: bool = False,
) -> float:
    """mNNO^k(V, Z) of two row-paired sets of vectors (row i of ``v`` pairs with row i of ``z``;
    their dimensions may differ); ``include_self`` as in :func:`neighbour_lists`."""
    if len(v) != len(z):
        raise InputError(f"mNNO needs paired sets, got {len(v)} and {len(z)} rows")
    return mnno_from_neighbours(
        neighbour_lists(v, k, metric, "V", include_self),
        neighbour_lists(z, k, metric, "Z", include_self),
    )


def _score_tolerance(q: np.ndarray, t: np.ndarray, metric: Metric, dtype: type) -> float:
    """Twice how far a retrieval score computed in ``dtype`` may be from the exact one (the
    rounding argument of :func:`_rounding_scale`, with |q| |t| + |t|^2 bounding a Euclidean
    score's products): two scores closer than this are not ordered by the computation."""
    u = np.finfo(dtype).eps / 2
    bound = 1.0
    if metric == "euclidean":
        q_max = np.sqrt(np.max(np.einsum("ij,ij->i", q, q, dtype=np.float64)))
        t_sq = np.max(np.einsum("ij,ij->i", t, t, dtype=np.float64))
        bound = float(q_max * np.sqrt(t_sq) + t_sq)
    return float(2 * (4 * np.sqrt(q.shape[1]) + 2) * u * bound)


def _retrieval_rows(
    q: torch.Tensor, t: torch.Tensor, metric: Metric
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """(queries, targets, |t|^2 or None) prepared so that a block of scores is one product:
    unit rows for cosine; for Euclidean 2 q.t - |t|^2, which orders targets as -|q - t|^2."""
    if metric == "cosine":
        q, t = torch.nn.functional.normalize(q, dim=1), torch.nn.functional.normalize(t, dim=1)
        return q, t, None
    return q, t, (t * t).sum(dim=1)


def _block_scores(
    q: torch.Tensor, t: torch.Tensor, squared_norms: torch.Tensor | None
) -> torch.Tensor:
    """Scores of the query rows ``q`` against every target (numpy's OpenBLAS product)."""
    scores = torch.from_numpy(q.numpy() @ t.numpy().T)
    return scores if squared_norms is None else 2 * scores - squared_norms[None, :]


def match_ranks(
    queries: np.ndarray, targets: np.ndarray, metric: Metric = "cosine"
) -> tuple[np.ndarray, np.ndarray]:
    """For each query i, how many targets are closer to it than its own target i (0: none is)
    and how many other targets are exactly as close (``tied``: a duplicate of the target, or
    every target for a query that is a zero vector under cosine).

    Cross-modal retrieval in Collell & Moens: a mapped vector f(x_i) should retrieve y_i among
    all targets of the set; precision at K is :func:`expected_precision`, which counts ties
    neither for nor against the query. (Counting them in its favour gave a constant modality
    a precision of 1.)

    The verdicts are those of float64 scores, as for the neighbour lists: float32 products
    decide every target whose score is further from the own target's than their rounding
    error, and a query with a target nearer than that is re-scored in float64, where scores
    within float64 rounding of each other are ties.
    """
    if metric not in METRICS:
        raise InputError(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    if queries.shape != targets.shape:
        raise InputError(f"queries {queries.shape} and targets {targets.shape} must match")
    q_in, t_in = _as_float(queries, "queries"), _as_float(targets, "targets")
    as_tensor = torch.from_numpy(q_in)
    q, t, squared_norms = _retrieval_rows(
        as_tensor, torch.from_numpy(t_in).to(as_tensor.dtype), metric
    )
    slack = _score_tolerance(q_in, t_in, metric, np.float32)
    closer = np.empty(len(q), dtype=np.int64)
    unsure = np.zeros(len(q), dtype=bool)
    with torch.no_grad():
        for start in range(0, len(q), _BLOCK):
            rows = slice(start, min(start + _BLOCK, len(q)))
            scores = _block_scores(q[rows], t, squared_norms)
            own = scores[torch.arange(scores.shape[0]), torch.arange(start, rows.stop)][:, None]
            ahead = (scores > own + slack).sum(dim=1)
            closer[rows] = ahead.numpy()
            # a target within the slack besides the own one: the float32 verdict is unsure
            unsure[rows] = ((scores >= own - slack).sum(dim=1) - ahead > 1).numpy()
        tied = np.zeros(len(q), dtype=np.int64)
        _settle_ties(q_in, t_in, metric, np.flatnonzero(unsure), closer, tied)
    return closer, tied


def _settle_ties(
    queries: np.ndarray,
    targets: np.ndarray,
    metric: Metric,
    unsure: np.ndarray,
    closer: np.ndarray,
    tied: np.ndarray,
) -> None:
    """Recount ``closer`` and ``tied`` of the ``unsure`` queries from float64 scores against
    every target (in place)."""
    if not len(unsure):
        return
    q, t, squared_norms = _retrieval_rows(
        torch.from_numpy(queries).double(), torch.from_numpy(targets).double(), metric
    )
    tolerance = _score_tolerance(queries, targets, metric, np.float64)
    for chunk in torch.from_numpy(unsure).split(_RESCORE_ROWS):
        scores = _block_scores(q[chunk], t, squared_norms)
        gaps = scores - scores[torch.arange(len(chunk)), chunk][:, None]
        closer[chunk.numpy()] = (gaps > tolerance).sum(dim=1).numpy()
        tied[chunk.numpy()] = (gaps.abs() <= tolerance).sum(dim=1).numpy() - 1


def expected_precision(closer: np.ndarray, tied: np.ndarray, k: int) -> float:
    """Retrieval precision at ``k`` (:func:`match_ranks`' counts) with tied targets in random
    order, in expectation: a query whose own target shares its place with ``tied`` others
    behind ``closer`` better ones finds it among the first k with probability
    (k - closer) / (tied + 1), clipped to [0, 1]. Without ties this is mean(closer < k); with
    every target tied (a constant modality) it is k / N, chance."""
    if k < 1:
        raise InputError(f"precision at k: expected k >= 1, got {k}")
    hits = np.clip((k - closer) / (tied + 1), 0.0, 1.0)
    return float(hits.mean())
