"""The ``opencv`` CNN backend: a pretrained ImageNet model file (ONNX, TensorFlow, TFLite; OpenCV 5
no longer reads Caffe models) read by ``cv2.dnn.readNet`` and run on OpenCV's classic engine, the
one that can return any intermediate layer by name (the new engine fuses layers away). Its
features go through crossmodal.features.cnn's preprocessing and pooling like every backend's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.core.io import sha256_file
from crossmodal.features.cnn import pool_spatial


class OpenCVBackend:
    """A model file read by ``cv2.dnn.readNet`` on OpenCV's classic engine (CPU)."""

    def __init__(self, model: str | os.PathLike[str], config: str | None, threads: int) -> None:
        self.model, self.config = Path(model), Path(config) if config else None
        for path in (self.model, self.config):
            if path is not None and not path.is_file():
                raise InputError(f"{path}: model file not found")
        cv2.setNumThreads(threads)
        try:
            self.net = cv2.dnn.readNet(
                str(self.model), str(self.config or ""), "", cv2.dnn.ENGINE_CLASSIC
            )
        except cv2.error as err:
            first = str(err).strip().splitlines()[-1]
            raise InputError(f"{self.model}: OpenCV cannot read this model ({first})") from err
        self.net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        self.net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        self._batch = 0  # the batch size every forward call feeds (see forward)

    def layer_names(self) -> list[str]:
        """OpenCV's names of the network's layers (ONNX: output names, or ``onnx_node!<node>``)."""
        return list(self.net.getLayerNames())

    def forward(self, blob: np.ndarray, layers: Sequence[str]) -> list[np.ndarray]:
        """Forward the blob and pool the outputs of ``layers``.

        Every call feeds the batch size of the first: OpenCV 5.0's classic engine computes wrong
        values (or NaN) for a Conv -> BatchNormalization shortcut feeding an Add, as ResNet v1's
        projection shortcuts are, once the batch size changes between calls (found by the
        full-config rehearsal's miniature resnet152-v1-7). A shorter batch, the last one, is
        padded with copies of its last image and the padding's outputs dropped.
        """
        rows = len(blob)
        self._batch = max(self._batch, rows)
        if rows < self._batch:
            blob = np.concatenate([blob, np.repeat(blob[-1:], self._batch - rows, axis=0)])
        self.net.setInput(blob)
        return [pool_spatial(np.asarray(out))[:rows] for out in self.net.forward(list(layers))]

    def weights(self) -> dict[str, Any]:
        """The model file(s) and their SHA-256."""
        meta: dict[str, Any] = {
            "backend": "opencv",
            "weights": str(self.model),
            "sha256": sha256_file(self.model),
        }
        if self.config is not None:
            meta.update(config=str(self.config), config_sha256=sha256_file(self.config))
        return meta
