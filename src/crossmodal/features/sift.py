"""Dense SIFT: 128-d SIFT descriptors on a regular grid of upright keypoints of one fixed size.

A dense grid rather than a detector gives every image descriptors everywhere, including the flat
drawings of the Tux Paint stamps where a detector finds little, and it is the standard input of
bag-of-visual-words models (Lazebnik et al., CVPR 2006: 16x16-pixel patches every 8 pixels).

``patch`` is the side of the square each descriptor summarises (4x4 cells). OpenCV's SIFT sizes a
keypoint's descriptor window from ``KeyPoint.size`` (cell width = 3 * size / 2, so a 4x4-cell window
is 6 * size wide; ``calcSIFTDescriptor`` in OpenCV's ``sift.simd.hpp``), so a patch of ``p`` pixels
is a keypoint of size ``p / 6``. Keypoints sit where the whole patch lies inside the image.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import cv2
import numpy as np

from crossmodal.data.images import load_image

#: Width of SIFT's descriptor window in units of ``KeyPoint.size`` (4 cells of 1.5 * size).
WINDOW_PER_SIZE = 6.0
DESCRIPTOR_DIM = 128


def grid_centres(length: int, step: int, patch: float) -> np.ndarray:
    """Keypoint centres along one image axis of ``length`` pixels: every ``step`` pixels from
    ``patch / 2``, as long as the patch stays inside the image (none if it cannot)."""
    half = patch / 2.0
    return np.arange(half, length - half + 1e-6, step, dtype=np.float32)


@functools.lru_cache(maxsize=64)
def grid_keypoints(height: int, width: int, step: int, patch: float) -> tuple[cv2.KeyPoint, ...]:
    """Upright (angle 0) keypoints on the dense grid, row by row.

    The angle is set to 0 explicitly: OpenCV's default of -1 would rotate each descriptor by 1°.
    Cached per image size (images are resized to a common longest side, so a few sizes recur):
    building the ~1,000 KeyPoint objects of an image in Python holds the GIL, which the threads
    of :func:`crossmodal.core.parallel.map_images` would otherwise queue on.
    """
    size = patch / WINDOW_PER_SIZE
    xs = grid_centres(width, step, patch)
    return tuple(
        cv2.KeyPoint(float(x), float(y), size, 0.0)
        for y in grid_centres(height, step, patch)
        for x in xs
    )


@dataclass(frozen=True)
class DenseSift:
    """Dense SIFT of images read with :func:`crossmodal.data.images.load_image`.

    Frozen, so that the threads of :func:`crossmodal.core.parallel.map_images` may share one.
    """

    max_side: int
    step: int
    patch: float

    def describe(self, image: np.ndarray) -> np.ndarray:
        """Descriptors of a BGR or grey uint8 image, one row per grid keypoint, as uint8.

        OpenCV's SIFT descriptor values are integers in 0..255 stored as float32, so uint8 is
        exact and takes a quarter of the memory.
        """
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        keypoints = grid_keypoints(grey.shape[0], grey.shape[1], self.step, self.patch)
        if not keypoints:
            return np.empty((0, DESCRIPTOR_DIM), np.uint8)
        kept, descriptors = cv2.SIFT_create().compute(grey, keypoints)  # type: ignore[attr-defined]
        if len(kept) != len(keypoints):  # a silent drop would misalign histograms and grids
            raise RuntimeError(f"SIFT kept {len(kept)} of {len(keypoints)} dense keypoints")
        return descriptors.astype(np.uint8)

    def __call__(self, path: str | os.PathLike[str]) -> np.ndarray:
        """Descriptors of the image file at ``path`` (InputError naming it if unreadable)."""
        return self.describe(load_image(path, self.max_side))
