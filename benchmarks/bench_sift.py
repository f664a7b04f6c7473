"""Dense SIFT over all cores: crossmodal.core.parallel.map_images (a thread pool, OpenCV
single-threaded in each thread) against a single-threaded OpenCV loop, on the same Tux Paint stamps.

PNG and SVG stamps are separate hot paths: decoding a PNG runs in C with the GIL released, while
cairosvg rasterises an SVG mostly in Python. For PNG, OpenCV's own threading and a process pool
(spawned workers) are shown too, as the design alternatives that map_images was chosen over.
Every method computes the same descriptors (load_image at 256 px, grid step 8, 16-pixel
patches); the check compares a digest of every image's descriptors. The input files are read
once before timing, so that every method finds them in the page cache.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import cv2
import numpy as np
from suite import HotPath, Method, Timed, timed

from crossmodal.core.parallel import map_images
from crossmodal.features.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
SIFT = DenseSift(max_side=256, step=8, patch=16)
IMAGES = 200
CPUS = os.cpu_count() or 1


def prepare(suffix: str, folder: Path) -> None:
    paths = [str(p) for p in sorted(STAMPS.rglob(f"*{suffix}"))[:IMAGES]]
    for path in paths:
        Path(path).read_bytes()
    (folder / "paths.json").write_text(json.dumps(paths))


def digests(descriptors) -> list[str]:
    return [hashlib.sha1(d.tobytes() + str(d.shape).encode()).hexdigest() for d in descriptors]


def run(method, folder: Path) -> Timed:
    paths = json.loads((folder / "paths.json").read_text())
    seconds, descriptors = timed(method, paths)
    return seconds, digests(descriptors)


def thread_pool(paths: list[str]) -> list[np.ndarray]:
    return list(map_images(SIFT, paths, CPUS, "sift"))


def single_threaded(paths: list[str]) -> list[np.ndarray]:
    cv2.setNumThreads(1)
    return [SIFT(p) for p in paths]


def opencv_threads(paths: list[str]) -> list[np.ndarray]:
    cv2.setNumThreads(CPUS)
    return [SIFT(p) for p in paths]


def process_pool(paths: list[str]) -> list[np.ndarray]:
    cv2.setNumThreads(1)
    with ProcessPoolExecutor(CPUS, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(SIFT, paths, chunksize=8))


def check(ours: list[str], peer: list[str], folder: Path) -> tuple[bool, str]:
    same = sum(a == b for a, b in zip(ours, peer, strict=True))
    return same == len(ours), f"{same}/{len(ours)} images with identical descriptors"


def hot_path(suffix: str, peers: tuple[Method, ...]) -> HotPath:
    return HotPath(
        name=f"dense SIFT {suffix[1:].upper()}",
        data=f"{IMAGES} {suffix[1:].upper()} stamps, 256 px, step 8",
        prepare=partial(prepare, suffix),
        ours=Method(f"map_images, {CPUS} threads", partial(run, thread_pool)),
        peers=peers,
        check=check,
    )


LOOP = "single-threaded OpenCV loop"
HOT_PATHS = {
    "sift_png": hot_path(
        ".png",
        (
            Method(LOOP, partial(run, single_threaded), target=1.8),
            Method(f"OpenCV loop, {CPUS} OpenCV threads", partial(run, opencv_threads)),
            Method(f"process pool, {CPUS} workers", partial(run, process_pool)),
        ),
    ),
    "sift_svg": hot_path(".svg", (Method(LOOP, partial(run, single_threaded)),)),
}
