"""k-means codebook: crossmodal.features.codebook.fit_codebook (faiss) against scikit-learn's
MiniBatchKMeans, on the same dense-SIFT descriptors: time and inertia.

Data: the demo's codebook sample, 200 seeded random descriptors of each Tux Paint stamp (about
200k x 128), K=256. Each fit runs three times and the best time counts (the machine is shared);
inertia is computed on all descriptors with the same exact search for both. Target: inertia no
worse than MiniBatchKMeans at no more than 1.2x its time (ratio >= 1/1.2).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from suite import HotPath, Method, Timed, best_of

from crossmodal.features.codebook import fit_codebook, inertia, sample_descriptors
from crossmodal.features.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
K, MAX_ITER, POINTS_PER_CENTRE, SEED, REPEATS = 256, 25, 256, 0, 3
CPUS = os.cpu_count() or 1


def prepare(folder: Path) -> None:
    paths = sorted(str(p) for p in STAMPS.rglob("*") if p.suffix in {".png", ".svg"})
    np.save(folder / "x.npy", sample_descriptors(paths, DenseSift(256, 8, 16), 200, SEED, CPUS))


def ours(folder: Path) -> Timed:
    x = np.load(folder / "x.npy")
    return best_of(REPEATS, fit_codebook, x, K, MAX_ITER, POINTS_PER_CENTRE, SEED, CPUS)


def minibatch(folder: Path) -> Timed:
    x = np.load(folder / "x.npy")
    fit = MiniBatchKMeans(K, random_state=SEED, max_iter=100).fit
    seconds, model = best_of(REPEATS, fit, x)
    return seconds, np.asarray(model.cluster_centers_, np.float32)


def check(ours_centres, peer_centres, folder: Path) -> tuple[bool, str]:
    x = np.load(folder / "x.npy")
    a, b = inertia(x, ours_centres), inertia(x, peer_centres)
    return a <= b, f"inertia {a:.4e} vs {b:.4e} ({a / b - 1:+.1%})"


HOT_PATHS = {
    "codebook": HotPath(
        name="k-means codebook",
        data=f"~209k x 128 SIFT of all stamps, K={K}",
        prepare=prepare,
        ours=Method(f"fit_codebook (faiss, {MAX_ITER} iter)", ours),
        peers=(Method("sklearn MiniBatchKMeans", minibatch, target=1 / 1.2),),
        check=check,
    )
}
