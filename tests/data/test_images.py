"""Image loading on real Tux Paint stamps: PNG with alpha, SVG drawings, and non-images."""

from pathlib import Path

import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.images import load_image

STAMPS = Path("/usr/share/tuxpaint/stamps")
pytestmark = pytest.mark.skipif(
    not STAMPS.is_dir(), reason="Debian package tuxpaint-stamps-default is not installed"
)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_stamps_load_as_bgr_with_requested_longer_side(suffix):
    paths = sorted(STAMPS.rglob(f"*{suffix}"))[:5]
    assert paths, f"no {suffix} stamps found"
    for path in paths:
        image = load_image(path, 128)
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
        assert max(image.shape[:2]) == 128


def test_transparent_background_becomes_white():
    path = next(p for p in sorted(STAMPS.rglob("*.png")))
    image = load_image(path, 256)
    corners = image[[0, 0, -1, -1], [0, -1, 0, -1]]
    # Stamps are cut-outs: at least one corner is fully transparent, hence white after compositing.
    assert (corners == 255).all(axis=1).any()


@pytest.mark.bad_input
def test_text_file_named_png_is_an_input_error(tmp_path):
    fake = tmp_path / "not_an_image.png"
    fake.write_text("hello")
    with pytest.raises(InputError, match="not_an_image.png: not a readable image"):
        load_image(fake, 64)
    with pytest.raises(InputError, match="missing.png: image file not found"):
        load_image(tmp_path / "missing.png", 64)
