"""Dense SIFT on real Tux Paint stamps (PNG and SVG): grid geometry, descriptor shapes, parallel
extraction in order, and a clear error for a file that is not an image."""

from pathlib import Path

import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.core.parallel import map_images
from crossmodal.data.images import load_image
from crossmodal.features.sift import DESCRIPTOR_DIM, DenseSift, grid_keypoints

STAMPS = Path("/usr/share/tuxpaint/stamps")
pytestmark = pytest.mark.skipif(
    not STAMPS.is_dir(), reason="Debian package tuxpaint-stamps-default is not installed"
)
SIFT = DenseSift(max_side=128, step=8, patch=16)


def stamps(n_png=3, n_svg=3):
    return [str(p) for p in sorted(STAMPS.rglob("*.png"))[:n_png]] + [
        str(p) for p in sorted(STAMPS.rglob("*.svg"))[:n_svg]
    ]


@pytest.mark.parametrize(
    ("height", "width", "step", "patch", "expected"),
    [
        (256, 256, 8, 16, 31 * 31),  # centres 8, 16, ..., 248
        (256, 192, 8, 16, 31 * 23),
        (100, 60, 10, 20, 9 * 5),  # centres 10, 20, ..., 90 and 10, ..., 50
        (15, 300, 8, 16, 0),  # shorter than one patch
    ],
)
def test_grid_keypoint_count_for_known_image_sizes(height, width, step, patch, expected):
    assert len(grid_keypoints(height, width, step, patch)) == expected


def test_grid_patches_lie_inside_the_image_and_are_upright():
    keypoints = grid_keypoints(200, 150, 8, 16)
    xy = np.array([kp.pt for kp in keypoints])
    assert xy[:, 0].min() - 8 >= 0 and xy[:, 0].max() + 8 <= 150
    assert xy[:, 1].min() - 8 >= 0 and xy[:, 1].max() + 8 <= 200
    assert {kp.angle for kp in keypoints} == {0.0}
    # A 16-pixel patch is 4 cells of 1.5 * size in OpenCV's SIFT.
    assert all(kp.size == pytest.approx(16 / 6) for kp in keypoints)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_descriptors_have_one_row_per_grid_point(suffix):
    path = next(iter(sorted(STAMPS.rglob(f"*{suffix}"))))
    descriptors = SIFT(path)
    height, width = load_image(path, SIFT.max_side).shape[:2]
    assert descriptors.shape == (len(grid_keypoints(height, width, 8, 16)), DESCRIPTOR_DIM)
    assert descriptors.dtype == np.uint8
    # A drawing has edges: some descriptors are non-zero, flat white margins give zero rows.
    assert (descriptors.sum(axis=1) > 0).sum() > len(descriptors) // 10


def test_image_smaller_than_a_patch_has_no_descriptors():
    descriptors = SIFT.describe(np.full((10, 128, 3), 255, np.uint8))
    assert descriptors.shape == (0, DESCRIPTOR_DIM)


def test_threads_give_the_same_descriptors_in_input_order():
    paths = stamps()
    serial = list(map_images(SIFT, paths, 1, "test"))
    parallel = list(map_images(SIFT, paths, 2, "test"))
    assert len(parallel) == len(paths)
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(serial[0], serial[1])  # different images, different descriptors


@pytest.mark.bad_input
def test_unreadable_image_is_an_input_error_naming_the_file(tmp_path):
    fake = tmp_path / "renamed_text.png"
    fake.write_text("this is not a PNG\n")
    with pytest.raises(InputError, match="renamed_text.png"):
        SIFT(fake)
    # Also when the failing image is read by a worker thread, after good ones.
    with pytest.raises(InputError, match="renamed_text.png"):
        list(map_images(SIFT, [*stamps(2, 1), str(fake)], 2, "test"))
