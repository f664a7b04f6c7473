"""Reading images of any kind the datasets hold (PNG/JPEG with or without alpha, SVG drawings)
into one form: an 8-bit BGR array whose longer side is at most ``max_side`` pixels.

Tux Paint stamps are cut-outs with transparent backgrounds; compositing them on white gives every
feature extractor the same, well-defined background instead of whatever the alpha hid.
"""

from __future__ import annotations

import os
from pathlib import Path

import cairosvg
import cv2
import numpy as np

from crossmodal.core.errors import InputError


def _decode_svg(path: Path, max_side: int) -> np.ndarray | None:
    # unsafe=True lets cairosvg expand the XML entities that many drawing programs declare in
    # their SVG header (e.g. Illustrator's &ns_svg;); the files are local dataset images.
    try:
        png = cairosvg.svg2png(url=str(path), output_width=max_side, unsafe=True)
    except Exception as err:  # cairosvg raises parser errors of several types
        raise InputError(f"{path}: not a readable SVG image ({err})") from err
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)


def _on_white(image: np.ndarray) -> np.ndarray:
    """Composite a BGRA image on a white background; pass BGR through; expand grey to BGR."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 3:
        return image
    alpha = image[:, :, 3:4].astype(np.float32) / 255.0
    rgb = image[:, :, :3].astype(np.float32)
    return np.round(rgb * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)


def load_image(path: str | os.PathLike[str], max_side: int) -> np.ndarray:
    """Load ``path`` as a BGR uint8 array, scaled down so its longer side is ``max_side``.

    SVGs are rasterised at that size directly. Images smaller than ``max_side`` are scaled up, so
    that a dense grid with a fixed step yields a comparable number of descriptors per image.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: image file not found")
    if path.suffix.lower() == ".svg":
        decoded = _decode_svg(path, max_side)
    else:
        decoded = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if decoded is None or decoded.size == 0:
        raise InputError(f"{path}: not a readable image")
    image: np.ndarray = decoded
    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    image = _on_white(image)
    height, width = image.shape[:2]
    scale = max_side / max(height, width)
    if scale != 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        image = cv2.resize(image, size, interpolation=interpolation)
    return image
