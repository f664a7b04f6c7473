"""CNN features on real Tux Paint stamps: the seeded untrained torch network is deterministic,
the OpenCV backend reproduces it from an ONNX export, preprocessing and errors are as documented."""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from crossmodal.core.errors import InputError
from crossmodal.features.cnn import (
    Preprocess,
    TorchBackend,
    backend_for,
    cnn_features,
    extract,
    layer_for,
    pool_spatial,
)
from crossmodal.features.opencv_cnn import OpenCVBackend

STAMPS = Path("/usr/share/tuxpaint/stamps")
pytestmark = pytest.mark.skipif(
    not STAMPS.is_dir(), reason="Debian package tuxpaint-stamps-default is not installed"
)
SIZE = 64  # small input keeps the test fast; the network is the demo's
PRE = Preprocess(SIZE, (127.5, 127.5, 127.5), (1 / 127.5,) * 3, swap_rb=True, crop=False)
CFG = {
    "backend": "torch",
    "arch": "convnet",
    "seed": 0,
    "layers": ["pool", "conv2"],
    "input_size": SIZE,
    "crop": False,
    "mean": [127.5, 127.5, 127.5],
    "scale": 1 / 127.5,
    "swap_rb": True,
    "batch_size": 3,
}


@pytest.fixture(scope="module")
def paths():
    return [str(p) for p in sorted(STAMPS.rglob("*.png"))[:4]] + [
        str(p) for p in sorted(STAMPS.rglob("*.svg"))[:3]
    ]


def features(backend, paths, layers, threads=1):
    return extract(paths, backend, layers, PRE, 128, 3, threads)


def test_seeded_convnet_is_deterministic_for_a_seed(paths):
    first = features(TorchBackend("convnet", 0, 2), paths, ["conv1", "conv4", "pool", "fc"])
    again = features(TorchBackend("convnet", 0, 2), paths, ["conv1", "conv4", "pool", "fc"], 2)
    other = features(TorchBackend("convnet", 1, 2), paths, ["pool"])
    assert [f.shape for f in first] == [(7, 32), (7, 256), (7, 256), (7, 256)]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(first[2], other[0])
    # Different images give different vectors.
    assert np.linalg.matrix_rank(first[2]) == len(paths)


def test_onnx_export_run_by_opencv_matches_torch(paths, tmp_path):
    torch_backend = TorchBackend("convnet", 0, 2)
    model = tmp_path / "convnet.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(
            torch_backend.network,
            (torch.zeros(1, 3, SIZE, SIZE),),
            str(model),
            dynamo=False,
            input_names=["input"],
            output_names=["fc"],
            dynamic_axes={"input": {0: "batch"}},
        )
    opencv_backend = OpenCVBackend(model, None, 2)
    names = opencv_backend.layer_names()
    # An intermediate 4-D layer (pooled by us) and the 2-D outputs of pool and fc.
    conv4 = next(n for n in names if n.startswith("onnx_node!/conv4/") and n.endswith("Relu"))
    pool = next(n for n in names if n.startswith("onnx_node!/pool/") and n.endswith("/Flatten"))
    ours = features(torch_backend, paths, ["conv4", "pool", "fc"])
    theirs = features(opencv_backend, paths, [conv4, pool, "fc"], threads=2)
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5 * np.abs(a).max())
    meta = opencv_backend.weights()
    assert meta["backend"] == "opencv" and len(meta["sha256"]) == 64


def test_preprocess_resizes_swaps_and_normalises_per_channel():
    image = np.zeros((30, 50, 3), np.uint8)
    image[...] = (10, 100, 250)  # BGR
    pre = Preprocess(8, (1.0, 2.0, 3.0), (0.5, 0.25, 0.125), swap_rb=True, crop=False)
    blob = pre.blob([image, image])
    assert blob.shape == (2, 3, 8, 8) and blob.dtype == np.float32
    # RGB order after the swap, then (pixel - mean) * scale.
    np.testing.assert_allclose(blob[0, :, 4, 4], [(250 - 1) * 0.5, (100 - 2) * 0.25, (10 - 3) / 8])


def test_spatial_pooling_averages_maps_and_keeps_vectors():
    maps = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    np.testing.assert_allclose(pool_spatial(maps), maps.mean(axis=(2, 3)))
    vectors = np.ones((2, 7), np.float32)
    assert pool_spatial(vectors).shape == (2, 7)


def test_layers_config_as_list_or_mapping():
    assert layer_for(CFG, "untrained", "pool") == "pool"
    mapped = {**CFG, "layers": {"pool5": "pool5/7x7_s1"}}
    assert layer_for(mapped, "googlenet", "pool5") == "pool5/7x7_s1"
    with pytest.raises(InputError, match=r"vision.cnn.untrained.layers: no layer 'conv9'"):
        layer_for(CFG, "untrained", "conv9")


def test_unknown_network_layer_is_an_input_error_listing_the_layers(paths):
    backend = TorchBackend("convnet", 0, 1)
    with pytest.raises(InputError, match=r"no layer conv9; it has: conv1, conv2, conv3"):
        features(backend, paths[:1], ["conv9"])
    with pytest.raises(InputError, match=r"no layer CONV; similar: conv1, conv2, conv3, conv4 \("):
        features(backend, paths[:1], ["CONV"])


def test_sidecar_says_the_weights_are_untrained(paths):
    table = pd.DataFrame({"image_id": ["a", "b"], "path": paths[:2]})
    matrix, meta = cnn_features(
        table, TorchBackend("convnet", 7, 1), CFG, "untrained", "conv2", 128, 1
    )
    assert matrix.shape == (2, 64)
    assert meta["weights"] == "untrained (seed 7)" and meta["backend"] == "torch"
    assert meta["layer"] == "conv2" and meta["dim"] == 64 and meta["n_images"] == 2
    json.dumps(meta)  # the sidecar is plain JSON


@pytest.mark.bad_input
def test_bad_model_file_and_unreadable_image_are_input_errors(paths, tmp_path):
    with pytest.raises(InputError, match="missing.onnx: model file not found"):
        OpenCVBackend(tmp_path / "missing.onnx", None, 1)
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    with pytest.raises(InputError, match="junk.onnx: OpenCV cannot read this model"):
        OpenCVBackend(junk, None, 1)
    fake = tmp_path / "renamed_text.png"
    fake.write_text("not an image")
    with pytest.raises(InputError, match="renamed_text.png"):
        features(TorchBackend("convnet", 0, 1), [*paths[:2], str(fake)], ["pool"], threads=2)


def test_backend_for_follows_the_configured_backend():
    cfg = {"backend": "torch", "arch": "convnet", "seed": 0}
    assert isinstance(backend_for(cfg, {"model": None, "config": None}, 1), TorchBackend)
    with pytest.raises(InputError, match="cannot run backend 'opencv'"):
        backend_for({"backend": "opencv"}, {"model": None}, 1)


def test_preprocess_from_config_reads_one_value_per_channel():
    cfg = {"input_size": 224, "mean": [127, 127, 127], "scale": 0.0078125, "swap_rb": True}
    pre = Preprocess.from_config({**cfg, "crop": False})
    assert pre == Preprocess(224, (127.0,) * 3, (1 / 128,) * 3, swap_rb=True, crop=False)
    assert Preprocess.from_config({**cfg, "crop": False, "scale": [1, 2, 4]}).scale == (1, 2, 4)
    with pytest.raises(InputError, match="mean: one value or three"):
        Preprocess.from_config({**cfg, "crop": False, "mean": [127, 127]})
