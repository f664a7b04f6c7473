"""Codebook k-means: crossmodal.codebook.fit_codebook (faiss) against scikit-learn's
MiniBatchKMeans, fitted on the same dense-SIFT descriptors in the same run.

    .venv/bin/python benchmarks/bench_codebook.py [K] [--lloyd]    # default K=256

The descriptors are the demo's codebook sample: 200 seeded random descriptors from each of the
Tux Paint stamps (about 200k x 128). Each method runs three times (best time is reported, as the
machine may be shared); inertia is computed on all descriptors. --lloyd adds scikit-learn's full
KMeans (minutes). The performance target: inertia no worse than MiniBatchKMeans, time at most
1.2x its time. Writes benchmarks/results/<date>-<machine>-codebook.csv.
"""

import sys
import time
from pathlib import Path

import faiss
import numpy as np
import pandas as pd
import sklearn
from machine import describe_machine, save_results
from sklearn.cluster import KMeans, MiniBatchKMeans

from crossmodal.codebook import fit_codebook, inertia, sample_descriptors
from crossmodal.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
MAX_ITER, POINTS_PER_CENTRE, SEED, REPEATS = 25, 256, 0, 3


def best_of(fit):
    """Best wall time of REPEATS runs, and the centres of the last one."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        centres = fit()
        times.append(time.perf_counter() - start)
    return min(times), np.asarray(centres, np.float32)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    k = int(args[0]) if args else 256
    machine, cpus = describe_machine()
    print(f"versions: faiss={faiss.__version__} sklearn={sklearn.__version__}")
    paths = sorted(str(p) for p in STAMPS.rglob("*") if p.suffix in {".png", ".svg"})
    x = sample_descriptors(paths, DenseSift(256, 8, 16), 200, SEED, cpus)
    print(f"data: {len(x)} x {x.shape[1]} dense SIFT descriptors of {len(paths)} stamps, K={k}")
    methods = {
        f"crossmodal faiss (niter {MAX_ITER}, {POINTS_PER_CENTRE}/centre)": lambda: fit_codebook(
            x, k, MAX_ITER, POINTS_PER_CENTRE, SEED, cpus
        ),
        "sklearn MiniBatchKMeans (peer)": lambda: (
            MiniBatchKMeans(k, random_state=SEED, max_iter=100).fit(x).cluster_centers_
        ),
    }
    if "--lloyd" in sys.argv:
        methods["sklearn KMeans (Lloyd)"] = lambda: (
            KMeans(k, random_state=SEED, n_init=1, max_iter=100).fit(x).cluster_centers_
        )
    rows = []
    for name, fit in methods.items():
        seconds, centres = best_of(fit)
        rows.append(
            {
                "method": name,
                "k": k,
                "n": len(x),
                "seconds": round(seconds, 2),
                "inertia": inertia(x, centres),
            }
        )
    table = pd.DataFrame(rows)
    peer = table.iloc[1]
    table["time_vs_peer"] = (table["seconds"] / peer["seconds"]).round(2)
    table["inertia_vs_peer"] = (table["inertia"] / peer["inertia"]).round(4)
    print(table.to_string(index=False))
    ours = table.iloc[0]
    met = ours["inertia"] <= peer["inertia"] and ours["seconds"] <= 1.2 * peer["seconds"]
    print(f"target (inertia <= peer, time <= 1.2x peer): {'met' if met else 'NOT met'}")
    save_results(table, "codebook", machine, cpus)


if __name__ == "__main__":
    main()
