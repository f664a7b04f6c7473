"""Per-image work spread over threads, results in input order, progress in the log.

Why threads: reading and describing a raster image (OpenCV's decoders and SIFT, NumPy) runs in C
with the GIL released, so threads scale with the cores without the start-up and pickling of
worker processes, which made a process pool slower than one thread for PNG stamps
(``benchmarks/bench_sift.py``; figures in benchmarks/README.md). SVG rasterising is the
exception: cairosvg parses in Python, so SVGs gain little from threads. Processes were also dropped
because Snakemake runs a ``script:`` as ``__main__``, which ``spawn`` workers re-import (running
the job again), and ``fork`` now and then copied one of OpenCV's internal locks in a held state,
hanging a worker for good.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import TypeVar

import cv2

from crossmodal.core.logs import progress

Item = TypeVar("Item")
Result = TypeVar("Result")


def batched(stream: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of ``size`` items of ``stream`` (the last may be shorter)."""
    batch: list[Item] = []
    for item in stream:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def map_images(
    func: Callable[[Item], Result], items: Sequence[Item], threads: int, desc: str
) -> Iterator[Result]:
    """``func(item)`` for every item, in order, on ``threads`` threads (in the calling thread when
    ``threads`` is 1), with progress in the log.

    At most ``4 * threads`` items are in flight, so a consumer slower than the workers (a CNN
    behind image decoding) never has the whole dataset's images waiting in memory. An exception
    of ``func`` (e.g. an InputError naming an unreadable image) is raised here when its item is
    reached. OpenCV runs single-threaded inside each worker meanwhile: the workers already fill
    the cores, and nested thread pools only contend.
    """
    if threads <= 1 or len(items) <= 1:
        yield from progress(map(func, items), len(items), desc)
        return
    opencv_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        with ThreadPoolExecutor(threads, thread_name_prefix="crossmodal") as pool:
            queue = iter(items)
            pending = deque(pool.submit(func, item) for item in islice(queue, 4 * threads))

            def in_order() -> Iterator[Result]:
                while pending:
                    result = pending.popleft().result()
                    for item in islice(queue, 1):
                        pending.append(pool.submit(func, item))
                    yield result

            try:
                yield from progress(in_order(), len(items), desc)
            finally:
                for future in pending:  # after an error or an early stop: drop queued work
                    future.cancel()
    finally:
        cv2.setNumThreads(opencv_threads)
