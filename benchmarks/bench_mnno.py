"""mNNO / exact kNN: crossmodal.metrics.neighbours against scikit-learn's brute-force
NearestNeighbors and faiss's flat index, on the same random data.

Data: V, N x D standard normal float32, and Z = V + noise (so that mNNO is neither 0 nor 1); the
work is the K=10 nearest other items of every row of both sets, then mNNO^10(V, Z). The peers
query K+1 neighbours of the fitted set and drop the first (the item itself), which is how
Collell's code and every user of these libraries does it.

Check: the neighbour lists are compared row by row. Float32 scores can order two nearly equal
candidates differently in different BLAS kernels; for every row where the lists differ, the
candidates of both lists are re-scored in float64 and the check says which side got the exact
order, so that "different" never hides an error of ours.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import faiss
import numpy as np
from sklearn.neighbors import NearestNeighbors
from suite import HotPath, Method, Timed, timed

from crossmodal.metrics.neighbours import knn_within, mnno_from_neighbours

K = 10
SIZES = ((10_000, 2_048, ("cosine", "euclidean")), (50_000, 300, ("cosine",)))


def prepare(n: int, d: int, folder: Path) -> None:
    rng = np.random.default_rng(0)
    v = rng.standard_normal((n, d), dtype=np.float32)
    np.save(folder / "v.npy", v)
    np.save(folder / "z.npy", v + rng.standard_normal((n, d), dtype=np.float32))


def load(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    return np.load(folder / "v.npy"), np.load(folder / "z.npy")


def both_sets(search, folder: Path) -> Timed:
    """Neighbour lists of V and of Z, and the mNNO between them (all inside the timing)."""
    v, z = load(folder)

    def work():
        lists = (search(v), search(z))
        return lists, mnno_from_neighbours(*lists)

    return timed(work)


def ours(metric: str, folder: Path) -> Timed:
    return both_sets(lambda x: knn_within(x, K, metric), folder)


def sklearn_brute(metric: str, folder: Path) -> Timed:
    def search(x):
        index = NearestNeighbors(n_neighbors=K + 1, metric=metric, algorithm="brute").fit(x)
        return index.kneighbors(x, return_distance=False)[:, 1:]

    return both_sets(search, folder)


def faiss_flat(metric: str, folder: Path) -> Timed:
    def search(x):
        if metric == "cosine":
            x = x / np.linalg.norm(x, axis=1, keepdims=True)
            index = faiss.IndexFlatIP(x.shape[1])
        else:
            index = faiss.IndexFlatL2(x.shape[1])
        index.add(x)
        return index.search(x, K + 1)[1][:, 1:]

    return both_sets(search, folder)


def exact_order(x: np.ndarray, row: int, candidates: np.ndarray, metric: str) -> np.ndarray:
    """The candidates of one row sorted by float64 similarity (ties by index)."""
    query, others = x[row].astype(np.float64), x[candidates].astype(np.float64)
    if metric == "cosine":
        scores = others @ query / (np.linalg.norm(others, axis=1) * np.linalg.norm(query))
    else:
        scores = -((others - query) ** 2).sum(axis=1)
    return candidates[np.lexsort((candidates, -scores))]


def check(metric: str, ours_result, peer_result, folder: Path) -> tuple[bool, str]:
    (ours_lists, ours_mnno), (peer_lists, peer_mnno) = ours_result, peer_result
    sets = load(folder)
    rows = differ = ours_exact = peer_exact = 0
    for x, a, b in zip(sets, ours_lists, peer_lists, strict=True):
        rows += len(a)
        for row in np.flatnonzero((a != b).any(axis=1)):
            differ += 1
            truth = exact_order(x, row, np.union1d(a[row], b[row]), metric)[:K]
            ours_exact += np.array_equal(truth, a[row])
            peer_exact += np.array_equal(truth, b[row])
    text = f"{rows - differ}/{rows} lists identical; mNNO {ours_mnno:.4f} vs {peer_mnno:.4f}"
    if differ:
        text += f"; of {differ} differing, float64 order: ours {ours_exact}, peer {peer_exact}"
    return ours_exact == differ, text


HOT_PATHS = {
    f"mnno_{metric}_{n}x{d}": HotPath(
        name=f"mNNO {metric}",
        data=f"2 x {n:,} x {d:,} float32, K={K}",
        prepare=partial(prepare, n, d),
        ours=Method("crossmodal.metrics.neighbours", partial(ours, metric)),
        peers=(
            Method("sklearn brute", partial(sklearn_brute, metric), target=2.5),
            Method("faiss flat", partial(faiss_flat, metric), target=1 / 1.1),
        ),
        check=partial(check, metric),
    )
    for n, d, metrics in SIZES
    for metric in metrics
}
