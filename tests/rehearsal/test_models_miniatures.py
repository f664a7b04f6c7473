"""The miniature CNNs of the full-config rehearsal are laid out as the ONNX model zoo's files:
read back with the onnx package (names, opsets, shapes the zoo's manifest gives), run by
OpenCV's DNN module through our CNN feature code, and — where config/full.yaml names a layer
the real file does not have — failing the way the real file would."""

from __future__ import annotations

import collections
import hashlib
import urllib.parse
from pathlib import Path

import miniature_models as mm
import numpy as np
import onnx
import pytest
import yaml
from miniature_files import FULL_URLS as URLS
from miniature_files import served_file
from project_paths import PROJECT, STAMPS

from crossmodal.features.cnn import Preprocess, extract, layer_for
from crossmodal.features.opencv_cnn import OpenCVBackend

FULL = yaml.safe_load((PROJECT / "config/full.yaml").read_text(encoding="utf-8"))
# The model zoo manifest's facts per file: base name, opset, IR version, input, output.
ZOO = {
    "googlenet": ("googlenet-7.onnx", 7, 3, ("data_0", [1, 3, 224, 224]), ("prob_1", [1, 1000])),
    "vgg19": ("vgg19-caffe2-9.onnx", 9, 4, ("data_0", [1, 3, 224, 224]), ("prob_1", [1, 1000])),
    "resnet152": (
        "resnet152-v1-7.onnx",
        7,
        3,
        ("data", ["N", 3, 224, 224]),
        ("resnetv19_dense0_fwd", ["N", 1000]),
    ),
}
# What OpenCV 5 calls each model's feature tensor, and the miniature's width there.
OPENCV_FEATURE = {
    "googlenet": ("onnx_node_output_0!pool5/7x7_s1_2", 64),
    "vgg19": ("onnx_node_output_0!fc7_3", 128),
    "resnet152": ("onnx_node!resnetv19_pool1_fwd", 128),
}
# The zoo's Caffe preprocessing (BGR means, no scaling) at the input size of the files.
PRE = Preprocess(224, (103.939, 116.779, 123.68), (1.0, 1.0, 1.0), swap_rb=False, crop=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rehearsal")
    mm.write_cnn_models(root / "served", root / "resources", URLS)
    return root / "served"


def shape_of(value: onnx.ValueInfoProto) -> list[int | str]:
    dims = value.type.tensor_type.shape.dim
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in dims]


def stamp_paths() -> list[str]:
    if not STAMPS.is_dir():
        pytest.skip("Debian package tuxpaint-stamps-default is not installed")
    return [str(p) for p in sorted(STAMPS.rglob("*.png"))[:3]]


def test_files_sit_under_the_real_urls_and_are_small(served: Path) -> None:
    files = sorted(p for p in served.rglob("*") if p.is_file())
    assert [p.name for p in files] == sorted(zoo[0] for zoo in ZOO.values())
    for key, (name, *_) in ZOO.items():
        path, url = served_file(served, URLS[key]), urllib.parse.urlsplit(URLS[key])
        assert path.name == name
        assert path.relative_to(served).as_posix() == url.netloc + url.path
        assert 10_000 < path.stat().st_size < 2_000_000


def test_same_bytes_every_run(served: Path, tmp_path: Path) -> None:
    mm.write_cnn_models(tmp_path, tmp_path / "resources", URLS)
    for key in ZOO:
        first, again = (served_file(root, URLS[key]).read_bytes() for root in (served, tmp_path))
        assert hashlib.sha256(first).digest() == hashlib.sha256(again).digest()


@pytest.mark.parametrize("key", list(ZOO))
def test_graph_is_laid_out_as_the_zoo_file(served: Path, key: str) -> None:
    _, opset, ir_version, (data, data_shape), (out, out_shape) = ZOO[key]
    model = onnx.load(served_file(served, URLS[key]))
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", opset)]
    assert model.ir_version == ir_version
    weights = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in weights]
    # IR 3 style: the weights are graph inputs too, the image comes first.
    assert model.graph.input[0].name == data and [i.name for i in inputs] == [data]
    assert {i.name for i in model.graph.input} == weights | {data}
    assert shape_of(inputs[0]) == data_shape
    assert [(o.name, shape_of(o)) for o in model.graph.output] == [(out, out_shape)]
    produced = {name for node in model.graph.node for name in node.output}
    assert mm.FEATURE_TENSORS[key] in produced
    assert not any(name in {"pool5", "fc7"} for name in produced)
    if key == "resnet152":  # MXNet: every node named after its output
        assert all(node.name == node.output[0] for node in model.graph.node)
        assert all(name.startswith(("resnetv19_", "flatten_")) for name in produced)
    else:  # Caffe2: unnamed nodes, SSA-suffixed Caffe blobs, weights <layer>_w_0
        assert not any(node.name for node in model.graph.node)
        assert all(name.endswith(("_w_0", "_b_0")) or "OC2_DUMMY" in name for name in weights)


def test_googlenet_has_the_real_operator_counts(served: Path) -> None:
    model = onnx.load(served_file(served, URLS["googlenet"]))
    counts = collections.Counter(node.op_type for node in model.graph.node)
    assert counts == {
        "Conv": 57,
        "Relu": 57,
        "MaxPool": 13,
        "Concat": 9,
        "LRN": 2,
        "AveragePool": 1,
        "Dropout": 1,
        "Reshape": 1,
        "Gemm": 1,
        "Softmax": 1,
    }
    gemm = next(node for node in model.graph.node if node.op_type == "Gemm")
    assert list(gemm.input) == ["OC2_DUMMY_0", "loss3/classifier_w_0", "loss3/classifier_b_0"]
    assert list(gemm.output) == ["loss3/classifier_1"]


def test_mxnet_naming_rule_gives_resnet50s_known_flatten_name() -> None:
    """The zoo's resnet50-v1-7 has Flatten ``flatten_473`` and pool ``resnetv17_pool1_fwd``:
    the same rules at ResNet-50's depth must give both, so ResNet-152's names are trusted."""
    model = mm.resnet152((3, 4, 6, 3), "resnetv17_")
    names = [node.name for node in model.graph.node]
    assert "flatten_473" in names and "resnetv17_pool1_fwd" in names
    assert "resnetv17_stage4_conv9_fwd" in names and "resnetv17_stage4__plus2" in names
    assert names.index("resnetv17_stage4_activation2") == names.index("resnetv17_pool1_fwd") - 1
    assert [n.name for n in mm.resnet152().graph.node if n.op_type == "Flatten"] == ["flatten_1391"]


@pytest.mark.parametrize("key", list(ZOO))
def test_opencv_runs_the_feature_layer_through_our_extractor(served: Path, key: str) -> None:
    paths = stamp_paths()
    backend = OpenCVBackend(served_file(served, URLS[key]), None, 1)
    layer, dim = OPENCV_FEATURE[key]
    assert layer in backend.layer_names()
    (features,) = extract(paths, backend, [layer], PRE, 256, 1, 1)
    assert features.shape == (3, dim) and np.isfinite(features).all()
    assert np.linalg.matrix_rank(features) == 3


@pytest.mark.parametrize("key", ZOO)
def test_features_do_not_depend_on_the_batching(served: Path, key: str) -> None:
    """Batches of 2 over 3 images (the Caffe2 files even write batch 1 into their Reshape)
    give the features of one image at a time."""
    paths = stamp_paths()
    model = served_file(served, URLS[key])
    layer, _ = OPENCV_FEATURE[key]
    (single,) = extract(paths, OpenCVBackend(model, None, 1), [layer], PRE, 256, 1, 1)
    (batched,) = extract(paths, OpenCVBackend(model, None, 1), [layer], PRE, 256, 2, 1)
    np.testing.assert_allclose(batched, single, rtol=1e-4, atol=1e-4 * np.abs(single).max())


@pytest.mark.parametrize("key", ZOO)
def test_full_yaml_layer_names_are_layers_of_the_real_files(served: Path, key: str) -> None:
    paths = stamp_paths()
    cfg = FULL["vision"]["cnn"][key]
    backend = OpenCVBackend(served_file(served, URLS[cfg["model"]]), None, 1)
    layers = [layer_for(cfg, key, alias) for alias in cfg["layers"]]
    (features,) = extract(paths, backend, layers, PRE, 256, 2, 1)
    assert features.shape == (len(paths), OPENCV_FEATURE[key][1])
