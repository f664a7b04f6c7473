"""Visual vocabulary: a k-means codebook of dense SIFT descriptors, and bag-of-visual-words
histograms that count, per image, how many of its descriptors fall nearest each centre.

The codebook is fitted on a seeded random sample of descriptors from training images only, so
that nothing about held-out images leaks into the features that represent them. Descriptors are
never all held at once (270k NUS-WIDE images x ~900 descriptors are ~30 GB even as uint8):
fitting keeps only the sample, encoding streams image by image and keeps one histogram row per
image.

k-means is faiss's: it reaches a lower inertia than scikit-learn's MiniBatchKMeans in less
time, where full (Lloyd) KMeans is an order of magnitude slower (``benchmarks/bench_codebook.py``;
the current figures are in benchmarks/README.md). faiss trains on at most
``points_per_centre * k`` of the sampled descriptors (its ``max_points_per_centroid``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import faiss
import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.parallel import batched, map_images
from crossmodal.features.shards import shard_rows
from crossmodal.features.sift import DESCRIPTOR_DIM, DenseSift

log = logging.getLogger(__name__)

#: Images whose descriptors are assigned to centres in one faiss search; shards of the encoding
#: start on a multiple of it, so that every search is the same whatever the number of shards.
ENCODE_BLOCK = 64


def training_images(
    images: pd.DataFrame, source: str, max_images: int | None, seed: int
) -> pd.DataFrame:
    """The rows of ``images`` with split ``train``, sorted by image_id (so the sample does not
    depend on row order), or a seeded random ``max_images`` of them.

    ``source`` names the table in the error raised when it has no training image.
    """
    is_train = (
        (images["split"] == "train").fillna(False).astype(bool)
    )  # a missing split is not train
    train = images[is_train].sort_values("image_id", kind="stable")
    if train.empty:
        raise InputError(f"{source}: no image with split == 'train' to fit the codebook on")
    if max_images is not None and len(train) > max_images:
        train = train.sample(n=max_images, random_state=seed).sort_values("image_id")
    return train.reset_index(drop=True)


def sample_descriptors(
    paths: Sequence[str], sift: DenseSift, per_image: int, seed: int, threads: int
) -> np.ndarray:
    """Up to ``per_image`` random dense SIFT descriptors of each image, as float32 rows.

    Image ``i`` draws its sample with its own generator seeded by ``(seed, i)``, so the sample is
    the same whatever the number of threads.
    """
    chosen = []
    for i, descriptors in enumerate(map_images(sift, paths, threads, "sample SIFT")):
        rng = np.random.default_rng([seed, i])
        take = rng.choice(len(descriptors), size=min(per_image, len(descriptors)), replace=False)
        chosen.append(descriptors[np.sort(take)])
    sample = np.concatenate(chosen) if chosen else np.empty((0, DESCRIPTOR_DIM), np.uint8)
    return sample.astype(np.float32)


def fit_codebook(
    sample: np.ndarray, k: int, max_iter: int, points_per_centre: int, seed: int, threads: int
) -> np.ndarray:
    """k-means centres (k x 128, float32) of the descriptor sample, seeded."""
    if len(sample) < k:
        raise InputError(
            f"vision.codebook.k: {k} visual words need at least {k} sampled descriptors, "
            f"got {len(sample)} (use more training images or descriptors_per_image)"
        )
    faiss.omp_set_num_threads(threads)
    kmeans = faiss.Kmeans(
        sample.shape[1],
        k,
        niter=max_iter,
        seed=seed,
        max_points_per_centroid=points_per_centre,
        verbose=False,
    )
    kmeans.train(np.ascontiguousarray(sample, dtype=np.float32))
    return np.asarray(kmeans.centroids, dtype=np.float32)


def codebook_from_images(
    images: pd.DataFrame,
    source: str,
    sift: DenseSift,
    k: int,
    per_image: int,
    max_images: int | None,
    max_iter: int,
    points_per_centre: int,
    seed: int,
    threads: int,
) -> np.ndarray:
    """The codebook of an image table: sample descriptors of its training images, fit k-means.

    ``source`` names the table in error messages.
    """
    train = training_images(images, source, max_images, seed)
    sample = sample_descriptors(train["path"].astype(str).tolist(), sift, per_image, seed, threads)
    centres = fit_codebook(sample, k, max_iter, points_per_centre, seed, threads)
    log.info(
        "codebook: %d centres from %d descriptors of %d training images (of %d images); "
        "mean squared distance to the nearest centre %.1f",
        k,
        len(sample),
        len(train),
        len(images),
        inertia(sample, centres) / len(sample),
    )
    return centres


def _nearest(index: faiss.Index, descriptors: np.ndarray) -> np.ndarray:
    """Index of the nearest centre of each descriptor row."""
    _, labels = index.search(np.ascontiguousarray(descriptors, dtype=np.float32), 1)
    return labels[:, 0]


def inertia(descriptors: np.ndarray, centres: np.ndarray) -> float:
    """Sum of squared distances from each descriptor to its nearest centre."""
    index = faiss.IndexFlatL2(centres.shape[1])
    index.add(np.ascontiguousarray(centres, dtype=np.float32))
    distances, _ = index.search(np.ascontiguousarray(descriptors, dtype=np.float32), 1)
    return float(distances.sum(dtype=np.float64))


def _histograms(index: faiss.Index, block: list[np.ndarray], k: int) -> np.ndarray:
    """L1-normalised word counts of a block of images' descriptors (one search for all)."""
    counts = np.array([len(d) for d in block])
    owner = np.repeat(np.arange(len(block)), counts)
    labels = _nearest(index, np.concatenate(block)) if counts.sum() else np.empty(0, np.int64)
    hist = np.bincount(owner * k + labels, minlength=len(block) * k).reshape(len(block), k)
    hist = hist.astype(np.float32)
    empty = counts == 0
    hist[~empty] /= counts[~empty, None]
    # An image too small for one patch has no descriptor; a uniform histogram keeps every row
    # L1-normalised and says "no evidence" without favouring any visual word.
    hist[empty] = 1.0 / k
    return hist


def encode_bovw(
    descriptor_stream: Iterable[np.ndarray], n_images: int, centres: np.ndarray, threads: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bag-of-visual-words histograms (n_images x k, rows sum to 1) of a stream of per-image
    descriptor arrays, and a boolean mask of the images that had no descriptor (uniform rows)."""
    if centres.ndim != 2 or centres.shape[1] != DESCRIPTOR_DIM:
        raise InputError(f"codebook: expected k x {DESCRIPTOR_DIM} centres, got {centres.shape}")
    faiss.omp_set_num_threads(threads)
    k = centres.shape[0]
    index = faiss.IndexFlatL2(centres.shape[1])
    index.add(np.ascontiguousarray(centres, dtype=np.float32))
    out = np.empty((n_images, k), np.float32)
    empty = np.zeros(n_images, bool)
    row = 0
    for block in batched(descriptor_stream, ENCODE_BLOCK):
        if row + len(block) > n_images:
            raise ValueError(f"descriptor stream has more than the announced {n_images} images")
        out[row : row + len(block)] = _histograms(index, block, k)
        empty[row : row + len(block)] = [len(d) == 0 for d in block]
        row += len(block)
    if row != n_images:
        raise ValueError(f"descriptor stream has {row} images, {n_images} were announced")
    return out, empty


def bovw_features(
    images: pd.DataFrame, sift: DenseSift, centres: np.ndarray, threads: int
) -> tuple[np.ndarray, pd.DataFrame]:
    """BoVW histograms of every image of the table (any split) and their row index (image_id).

    Images without descriptors get a uniform row and a warning naming how many and which.
    """
    paths = images["path"].astype(str).tolist()
    stream = map_images(sift, paths, threads, "encode BoVW")
    matrix, empty = encode_bovw(stream, len(paths), centres, threads)
    if empty.any():
        ids = images["image_id"][empty].astype(str).tolist()
        log.warning(
            "%d image(s) too small for one %s-pixel patch got a uniform histogram: %s",
            len(ids),
            sift.patch,
            ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else ""),
        )
    return matrix, images[["image_id"]].reset_index(drop=True)


def bovw_shard(
    images: pd.DataFrame,
    sift: DenseSift,
    centres: np.ndarray,
    threads: int,
    shard: int,
    shards: int,
) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`bovw_features` of the rows of shard ``shard`` of ``shards`` of the image table
    (:func:`crossmodal.features.shards.shard_rows` in blocks of ``ENCODE_BLOCK`` images)."""
    rows = shard_rows(len(images), shard, shards, ENCODE_BLOCK)
    log.info(
        "shard %d of %d: images %d to %d of %d", shard, shards, rows.start, rows.stop, len(images)
    )
    return bovw_features(images.iloc[rows], sift, centres, threads)
