"""Dense-SIFT throughput: crossmodal's thread pool against a single-threaded OpenCV loop (and, for
the design choice, a process pool and OpenCV's own threading) on the same Tux Paint stamps in the
same run, PNG and SVG stamps separately (SVG rasterising is mostly Python, PNG decoding is not).

    .venv/bin/python benchmarks/bench_sift.py [N]    # N stamps of each format (default 200)

Every method computes the same descriptors (load_image at 256 px, grid step 8, 16-pixel patches);
the script checks that they are identical, prints images/s per method and the machine, and
writes benchmarks/results/<date>-<machine>-sift.csv. A first untimed pass warms the file cache.
"""

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
from machine import describe_machine, save_results

from crossmodal.parallel import map_images
from crossmodal.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
SIFT = DenseSift(max_side=256, step=8, patch=16)


def single_threaded(paths, cpus):
    """The peer: a plain loop with OpenCV restricted to one thread."""
    cv2.setNumThreads(1)
    return [SIFT(p) for p in paths]


def opencv_threads(paths, cpus):
    """A plain loop, OpenCV's own parallel_for over all cores."""
    cv2.setNumThreads(cpus)
    return [SIFT(p) for p in paths]


def process_pool(paths, cpus):
    """Worker processes (spawned: forking copies OpenCV's locks), OpenCV single-threaded in each."""
    cv2.setNumThreads(1)
    with ProcessPoolExecutor(cpus, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(SIFT, paths, chunksize=8))


def ours(paths, cpus):
    """crossmodal.parallel.map_images: a thread pool, OpenCV single-threaded in each thread."""
    return list(map_images(SIFT, paths, cpus, "sift"))


METHODS = {
    "single-threaded OpenCV loop (peer)": single_threaded,
    "OpenCV loop, OpenCV threads": opencv_threads,
    "process pool": process_pool,
    "crossmodal thread pool": ours,
}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    machine, cpus = describe_machine()
    print(f"versions: opencv={cv2.__version__} numpy={np.__version__}")
    print(f"data: {n} PNG and {n} SVG Tux Paint stamps, 256 px, grid step 8, 16-pixel patches")
    rows = []
    for suffix in (".png", ".svg"):
        paths = [str(p) for p in sorted(STAMPS.rglob(f"*{suffix}"))[:n]]
        reference = single_threaded(paths, cpus)  # warm-up, and the descriptors to compare with
        for name, method in METHODS.items():
            start = time.perf_counter()
            result = method(paths, cpus)
            seconds = time.perf_counter() - start
            same = all(np.array_equal(a, b) for a, b in zip(reference, result, strict=True))
            rows.append(
                {
                    "format": suffix[1:],
                    "method": name,
                    "workers": cpus,
                    "images": len(paths),
                    "seconds": round(seconds, 2),
                    "images_per_s": round(len(paths) / seconds, 1),
                    "same_descriptors": same,
                }
            )
    table = pd.DataFrame(rows)
    peer = table.groupby("format")["images_per_s"].transform("first")
    table["speedup"] = (table["images_per_s"] / peer).round(2)
    print(table.to_string(index=False))
    save_results(table, "sift", machine, cpus)


if __name__ == "__main__":
    main()
