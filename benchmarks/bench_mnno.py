"""mNNO speed: crossmodal.neighbours against scikit-learn brute force (and faiss flat search) on
the same random data in the same run.

    .venv/bin/python benchmarks/bench_mnno.py [N] [D]      # default 10000 2048

Prints the machine, each method's wall time for mNNO^10(V, Z) of two N x D float32 sets (both
metrics) and our speed-up; it also checks that every method gives the same score.
"""

import os
import platform
import sys
import time

import faiss
import numpy as np
import sklearn
import torch
from sklearn.neighbors import NearestNeighbors

from crossmodal.neighbours import mnno

K = 10


def sklearn_mnno(v, z, metric):
    """Brute-force scikit-learn, self excluded (query k+1, drop the item itself)."""
    lists = []
    for data in (v, z):
        search = NearestNeighbors(n_neighbors=K + 1, metric=metric, algorithm="brute").fit(data)
        lists.append(search.kneighbors(data, return_distance=False)[:, 1:])
    return np.mean([len(set(a) & set(b)) for a, b in zip(*lists, strict=True)]) / K


def faiss_mnno(v, z, metric):
    lists = []
    for data in (v, z):
        data = np.ascontiguousarray(data)
        if metric == "cosine":
            data = data / np.linalg.norm(data, axis=1, keepdims=True)
            index = faiss.IndexFlatIP(data.shape[1])
        else:
            index = faiss.IndexFlatL2(data.shape[1])
        index.add(data)
        lists.append(index.search(data, K + 1)[1][:, 1:])
    return np.mean([len(set(a) & set(b)) for a, b in zip(*lists, strict=True)]) / K


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 2_048
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()} "
        f"torch_threads={torch.get_num_threads()} python={platform.python_version()}"
    )
    print(
        f"versions: numpy={np.__version__} torch={torch.__version__} sklearn={sklearn.__version__}"
    )
    print(f"data: two random float32 sets of {n} x {d}, K={K}")
    rng = np.random.default_rng(0)
    v = rng.standard_normal((n, d), dtype=np.float32)
    z = (v + rng.standard_normal((n, d), dtype=np.float32)).astype(np.float32)
    for metric in ("cosine", "euclidean"):
        ours_s, ours = timed(mnno, v, z, K, metric)
        sk_s, sk = timed(sklearn_mnno, v, z, metric)
        fa_s, fa = timed(faiss_mnno, v, z, metric)
        print(
            f"{metric:9s} crossmodal {ours_s:7.2f} s | sklearn brute {sk_s:7.2f} s "
            f"(x{sk_s / ours_s:.2f}) | faiss flat {fa_s:7.2f} s (x{fa_s / ours_s:.2f}) | "
            f"mNNO {ours:.4f} / {sk:.4f} / {fa:.4f}"
        )


if __name__ == "__main__":
    main()
