"""Miniature stand-ins for the three ONNX model-zoo CNNs of config/full.yaml (download keys
googlenet, vgg19, resnet152), for the full-config rehearsal: the same graph layout as the real
files (input and output names and shapes, opset, IR version, operator sequence, tensor and node
naming, weights listed as graph inputs) at a fraction of the width, so that OpenCV's DNN module
meets the names the real file would show it.

Weights are seeded random numbers (a format rehearsal, not ImageNet features). Widths are the
real ones / 16 (GoogLeNet, ResNet) or / 32 (VGG-19), 1,000 classes kept, each file < 2 MB: the
features are 64-d, 128-d, 128-d (real: 1,024, 4,096, 2,048). Written with ``onnx.helper``, not
exported from torch, whose exporter cannot give the Caffe2 and MXNet converters' names.

Evidence for each file (onnx/models, fetched at b1eeaa1, unless stated):

* All three: ONNX_HUB_MANIFEST.json lists for each file (same SHA-256 as full.yaml's pins) its
  opset, ONNX version, inputs, outputs and the feature tensor (``extra_ports``):
  googlenet-7: opset 7, ONNX 1.2 (IR 3), input ``data_0`` [1,3,224,224], output ``prob_1``
  [1,1000], feature ``pool5/7x7_s1_2`` [1,1024,1,1]; vgg19-caffe2-9: opset 9, ONNX 1.4 (IR 4),
  ``data_0`` [1,3,224,224], ``prob_1`` [1,1000], feature ``fc7_3`` [1,4096];
  resnet152-v1-7: opset 7, ONNX 1.2.1 (IR 3), input ``data`` [N,3,224,224], output
  ``resnetv19_dense0_fwd`` [N,1000], feature ``resnetv19_pool1_fwd`` [N,2048,1,1]. The zoo's
  validation script (workflow_scripts/test_models.py, ``feature_tensor_names``) names the same
  three tensors.
* Caffe2 ports (googlenet-7, vgg19-caffe2-9; "Caffe BVLC GoogLeNet ==> Caffe2 GoogLeNet ==>
  ONNX" in the model README): nodes have no name (an OpenVINO test fragment of the zoo's
  Inception-V1 shows ``name: ""``), tensors carry Caffe blob names with static-single-
  assignment suffixes (``conv1/7x7_s2_1`` the convolution, ``_2`` its in-place ReLU),
  weights ``<layer>_w_0`` / ``<layer>_b_0``; the classifier is Reshape(shape initializer
  ``OC2_DUMMY_1``) -> ``OC2_DUMMY_0`` -> Gemm (a course lab prints googlenet's Gemm as
  inputs ``OC2_DUMMY_0, loss3/classifier_w_0, loss3/classifier_b_0``, output
  ``loss3/classifier_1``; the same lab counts its operators: Conv 57, Relu 57, MaxPool 13,
  Concat 9, LRN 2, AveragePool, Dropout, Reshape, Gemm, Softmax 1 each, which the miniature
  keeps). A node listing of the zoo's Caffe2 AlexNet shows the VGG-style tail: ``fc6_1`` Gemm,
  ``fc6_2`` Relu, Dropout -> ``fc6_3`` + mask ``_fc6_mask_1``, ..., ``prob_1`` Softmax, and the
  Reshape shape ``[1, 9216]`` (batch 1 written into the graph). Strided max-pools carry
  Caffe's ceil rounding as pads [0,0,1,1] (Glow's Caffe2-ONNX LeNet check).
* MXNet export (resnet152-v1-7, "MXNet ResNet-v1 ==> ONNX"): every node is named after its
  output (MXNet's mx2onnx ``make_node(..., [name], name=name)``); Gluon names blocks
  ``resnetv19_{conv0,batchnorm0,relu0,pool0}_fwd``, ``resnetv19_stage<k>_{conv,batchnorm,
  relu}<i>_fwd``, ``..._stage<k>__plus<j>`` and ``..._activation<j>`` (a TensorRT layer
  listing and an Akida tutorial of resnet50-v1-7 show ``resnetv17_stage4_conv9_fwd`` ...
  ``resnetv17_pool1_fwd (GlobalAveragePool)``, ``resnetv17_dense0_fwd``); 1x1 convolutions
  have a bias, 3x3 and shortcut ones none; the classifier is ``Flatten`` named
  ``flatten_<idx>`` (idx = the MXNet node index of the FullyConnected: 473 in resnet50-v1-7's
  ``flatten_473``, which the same count gives; 1391 for ResNet-152) then Gemm with transB=1.

What OpenCV 5 then calls the layers (``getLayerNames``): ``onnx_node_output_0!<tensor>`` for the
unnamed Caffe2 nodes and ``onnx_node!<name>`` for MXNet's; none is called ``pool5`` or ``fc7``.
OpenCV 5.0.0's classic engine also miscomputes ResNet v1's projection shortcuts (Conv ->
BatchNormalization -> Add) once the batch size changes between forward calls: the miniature
has them, so the rehearsal meets that too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from miniature_files import served_file
from onnx import TensorProto, helper, numpy_helper

#: Download key -> the tensor the model zoo names as that model's feature (see docstring).
FEATURE_TENSORS = dict(googlenet="pool5/7x7_s1_2", vgg19="fc7_3", resnet152="resnetv19_pool1_fwd")
#: GoogLeNet's inception modules: name, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection
#: (Szegedy et al. 2015, Table 1; BVLC deploy.prototxt).
INCEPTION = (
    ("3a", 64, 96, 128, 16, 32, 32),
    ("3b", 128, 128, 192, 32, 96, 64),
    ("4a", 192, 96, 208, 16, 48, 64),
    ("4b", 160, 112, 224, 24, 64, 64),
    ("4c", 128, 128, 256, 24, 64, 64),
    ("4d", 112, 144, 288, 32, 64, 64),
    ("4e", 256, 160, 320, 32, 128, 128),
    ("5a", 256, 160, 320, 32, 128, 128),
    ("5b", 384, 192, 384, 48, 128, 128),
)
#: VGG-19's convolution blocks: (block, convolutions, channels).
VGG19_BLOCKS = ((1, 2, 64), (2, 2, 128), (3, 4, 256), (4, 4, 512), (5, 4, 512))
#: ResNet-152 v1: bottleneck blocks per stage and the output channels of stem and stages.
RESNET152_LAYERS = (3, 8, 36, 3)
RESNET152_CHANNELS = (64, 256, 512, 1024, 2048)
CLASSES = 1000
SIZE = 224


def narrow(width: int, divisor: int) -> int:
    """A real layer width scaled down for the miniature (at least one channel)."""
    return max(1, math.ceil(width / divisor))


class GraphBuilder:
    """Nodes and seeded weights of one ONNX graph, in the order the converter wrote them."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def tensor(self, name: str, array: np.ndarray) -> str:
        """Add a constant (weight or shape) and return its name."""
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def weight(self, name: str, shape: Sequence[int]) -> str:
        """He-normal weights: fan-in from every dimension but the first."""
        fan_in = int(np.prod(shape[1:]))
        values = self.rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)
        return self.tensor(name, values.astype(np.float32))

    def zeros(self, name: str, size: int) -> str:
        """A zero bias."""
        return self.tensor(name, np.zeros(size, np.float32))

    def node(
        self, op: str, inputs: list[str], outputs: list[str], name: str = "", **attrs: Any
    ) -> str:
        """Add a node; return its first output."""
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
        return outputs[0]

    def model(
        self,
        graph_name: str,
        data: tuple[str, list[int | str]],
        output: tuple[str, list[int | str]],
        opset: int,
        ir_version: int,
    ) -> onnx.ModelProto:
        """The checked model; every weight is also a graph input, as in ONNX IR 3 files."""
        inputs = [helper.make_tensor_value_info(data[0], TensorProto.FLOAT, data[1])]
        inputs += [
            helper.make_tensor_value_info(t.name, t.data_type, list(t.dims))
            for t in self.initializers
        ]
        outputs = [helper.make_tensor_value_info(output[0], TensorProto.FLOAT, output[1])]
        graph = helper.make_graph(self.nodes, graph_name, inputs, outputs, self.initializers)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=ir_version
        )
        onnx.checker.check_model(model)
        return model


def caffe2_conv(
    g: GraphBuilder,
    blob: str,
    layer: str,
    channels: tuple[int, int],
    kernel: int,
    stride: int = 1,
) -> str:
    """A Caffe convolution ("same" padding) with its in-place ReLU as the Caffe2 port writes
    it: unnamed nodes, outputs ``<layer>_1`` (Conv) and ``<layer>_2`` (Relu)."""
    out_channels, in_channels = channels
    w = g.weight(f"{layer}_w_0", (out_channels, in_channels, kernel, kernel))
    b = g.zeros(f"{layer}_b_0", out_channels)
    conv = g.node(
        "Conv",
        [blob, w, b],
        [f"{layer}_1"],
        kernel_shape=[kernel, kernel],
        strides=[stride, stride],
        pads=[kernel // 2] * 4,
        dilations=[1, 1],
        group=1,
    )
    return g.node("Relu", [conv], [f"{layer}_2"])


def caffe2_classifier(
    g: GraphBuilder, blob: str, layer: str, channels: tuple[int, int], dummy: int
) -> str:
    """Caffe2's flattening Reshape (its shape an ``OC2_DUMMY`` initializer holding batch 1)
    followed by the fully connected layer as Gemm."""
    out_features, in_features = channels
    shape = g.tensor(f"OC2_DUMMY_{dummy + 1}", np.array([1, in_features], np.int64))
    flat = g.node("Reshape", [blob, shape], [f"OC2_DUMMY_{dummy}"])
    w = g.weight(f"{layer}_w_0", (out_features, in_features))
    b = g.zeros(f"{layer}_b_0", out_features)
    return g.node("Gemm", [flat, w, b], [f"{layer}_1"], alpha=1.0, beta=1.0, transB=1)


def inception(g: GraphBuilder, blob: str, in_channels: int, widths: tuple) -> tuple[str, int]:
    """One inception module (four branches concatenated), widths divided by 16."""
    name, *real = widths
    c1, c3r, c3, c5r, c5, cp = (narrow(w, 16) for w in real)
    m = f"inception_{name}"
    b1 = caffe2_conv(g, blob, f"{m}/1x1", (c1, in_channels), 1)
    b3 = caffe2_conv(g, blob, f"{m}/3x3_reduce", (c3r, in_channels), 1)
    b3 = caffe2_conv(g, b3, f"{m}/3x3", (c3, c3r), 3)
    b5 = caffe2_conv(g, blob, f"{m}/5x5_reduce", (c5r, in_channels), 1)
    b5 = caffe2_conv(g, b5, f"{m}/5x5", (c5, c5r), 5)
    pool = g.node(
        "MaxPool", [blob], [f"{m}/pool_1"], kernel_shape=[3, 3], strides=[1, 1], pads=[1] * 4
    )
    bp = caffe2_conv(g, pool, f"{m}/pool_proj", (cp, in_channels), 1)
    out = g.node("Concat", [b1, b3, b5, bp], [f"{m}/output_1"], axis=1)
    return out, c1 + c3 + c5 + cp


def caffe_max_pool(g: GraphBuilder, blob: str, layer: str) -> str:
    """A 3x3 stride-2 max-pool with Caffe's ceil rounding carried as end padding."""
    return g.node(
        "MaxPool", [blob], [f"{layer}_1"], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1]
    )


def lrn(g: GraphBuilder, blob: str, layer: str) -> str:
    """Caffe's local response normalisation of GoogLeNet (local_size 5, alpha 1e-4)."""
    return g.node("LRN", [blob], [f"{layer}_1"], size=5, alpha=0.0001, beta=0.75, bias=1.0)


def googlenet() -> onnx.ModelProto:
    """BVLC GoogLeNet as the zoo's googlenet-7 (Caffe2 port, opset 7), widths / 16."""
    g = GraphBuilder(seed=7)
    c1, c2r, c2 = narrow(64, 16), narrow(64, 16), narrow(192, 16)
    x = caffe2_conv(g, "data_0", "conv1/7x7_s2", (c1, 3), 7, stride=2)
    x = lrn(g, caffe_max_pool(g, x, "pool1/3x3_s2"), "pool1/norm1")
    x = caffe2_conv(g, x, "conv2/3x3_reduce", (c2r, c1), 1)
    x = lrn(g, caffe2_conv(g, x, "conv2/3x3", (c2, c2r), 3), "conv2/norm2")
    x, channels = caffe_max_pool(g, x, "pool2/3x3_s2"), c2
    for widths in INCEPTION:
        x, channels = inception(g, x, channels, widths)
        if widths[0] in ("3b", "4e"):
            x = caffe_max_pool(g, x, f"pool{3 if widths[0] == '3b' else 4}/3x3_s2")
    x = g.node(
        "AveragePool", [x], ["pool5/7x7_s1_1"], kernel_shape=[7, 7], strides=[1, 1], pads=[0] * 4
    )
    x = g.node("Dropout", [x], ["pool5/7x7_s1_2", "_pool5/7x7_s1_mask_1"], ratio=0.4)
    x = caffe2_classifier(g, x, "loss3/classifier", (CLASSES, channels), dummy=0)
    g.node("Softmax", [x], ["prob_1"])
    return g.model("googlenet", ("data_0", [1, 3, SIZE, SIZE]), ("prob_1", [1, CLASSES]), 7, 3)


def vgg19() -> onnx.ModelProto:
    """VGG-19 as the zoo's vgg19-caffe2-9 (Caffe2 port, opset 9), widths / 32."""
    g = GraphBuilder(seed=9)
    x, channels = "data_0", 3
    for block, convs, width in VGG19_BLOCKS:
        for i in range(1, convs + 1):
            x = caffe2_conv(g, x, f"conv{block}_{i}", (narrow(width, 32), channels), 3)
            channels = narrow(width, 32)
        x = g.node(
            "MaxPool", [x], [f"pool{block}_1"], kernel_shape=[2, 2], strides=[2, 2], pads=[0] * 4
        )
    fc = narrow(4096, 32)
    x = caffe2_classifier(g, x, "fc6", (fc, channels * 7 * 7), dummy=0)
    for layer in ("fc6", "fc7"):
        x = g.node("Relu", [x], [f"{layer}_2"])
        x = g.node("Dropout", [x], [f"{layer}_3", f"_{layer}_mask_1"], ratio=0.5)
        if layer == "fc6":
            w, b = g.weight("fc7_w_0", (fc, fc)), g.zeros("fc7_b_0", fc)
            x = g.node("Gemm", [x, w, b], ["fc7_1"], alpha=1.0, beta=1.0, transB=1)
    w, b = g.weight("fc8_w_0", (CLASSES, fc)), g.zeros("fc8_b_0", CLASSES)
    x = g.node("Gemm", [x, w, b], ["fc8_1"], alpha=1.0, beta=1.0, transB=1)
    g.node("Softmax", [x], ["prob_1"])
    return g.model("vgg19", ("data_0", [1, 3, SIZE, SIZE]), ("prob_1", [1, CLASSES]), 9, 4)


class MXNetNames:
    """Gluon's per-scope counters: ``<prefix>conv<i>_fwd`` and so on, numbered in creation
    order within a prefix, and the MXNet graph's node index (variables count as nodes)."""

    def __init__(self) -> None:
        self.counters: dict[tuple[str, str], int] = {}
        self.index = 1  # node 0 is the input "data"

    def next(self, prefix: str, kind: str) -> str:
        """The next name of ``kind`` (conv, batchnorm, relu, ...) under ``prefix``."""
        i = self.counters.get((prefix, kind), 0)
        self.counters[(prefix, kind)] = i + 1
        return f"{prefix}{kind}{i}"


def mxnet_conv_bn(
    g: GraphBuilder,
    names: MXNetNames,
    blob: str,
    prefix: str,
    shape: tuple[int, int, int, int],
    stride: int,
    bias: bool,
    gamma: float = 1.0,
) -> str:
    """Convolution then batch norm, both named after their outputs (MXNet export)."""
    conv = names.next(prefix, "conv")
    inputs = [blob, g.weight(f"{conv}_weight", shape)]
    if bias:
        inputs.append(g.zeros(f"{conv}_bias", shape[0]))
    kernel = shape[2]
    x = g.node(
        "Conv",
        inputs,
        [f"{conv}_fwd"],
        name=f"{conv}_fwd",
        kernel_shape=[kernel, kernel],
        strides=[stride, stride],
        pads=[kernel // 2] * 4,
        dilations=[1, 1],
        group=1,
    )
    bn = names.next(prefix, "batchnorm")
    params = [
        g.tensor(f"{bn}_{part}", np.full(shape[0], value, np.float32))
        for part, value in (("gamma", gamma), ("beta", 0.0), ("running_mean", 0.0))
    ]
    params.append(g.tensor(f"{bn}_running_var", np.ones(shape[0], np.float32)))
    # MXNet graph nodes: weight (+ bias) and the conv; gamma, beta, mean, var and the norm.
    names.index += (3 if bias else 2) + 5
    return g.node(
        "BatchNormalization",
        [x, *params],
        [f"{bn}_fwd"],
        name=f"{bn}_fwd",
        epsilon=1e-5,
        momentum=0.9,
    )


def mxnet_relu(g: GraphBuilder, names: MXNetNames, blob: str, prefix: str, kind: str) -> str:
    """A named ReLU (Gluon ``relu<i>`` inside blocks, ``activation<j>`` after the sum)."""
    name = names.next(prefix, kind)
    names.index += 1
    out = f"{name}_fwd" if kind == "relu" else name
    return g.node("Relu", [blob], [out], name=out)


def bottleneck(
    g: GraphBuilder, names: MXNetNames, x: str, prefix: str, io: tuple[int, int], stride: int
) -> str:
    """Gluon's BottleneckV1 (stride on the first 1x1), with a projection shortcut when the
    width changes; ``prefix`` is the stage's name scope."""
    in_channels, channels = io
    inner = channels // 4
    y = mxnet_conv_bn(g, names, x, prefix, (inner, in_channels, 1, 1), stride, bias=True)
    y = mxnet_relu(g, names, y, prefix, "relu")
    y = mxnet_conv_bn(g, names, y, prefix, (inner, inner, 3, 3), 1, bias=False)
    y = mxnet_relu(g, names, y, prefix, "relu")
    # A small scale on the residual branch's last norm keeps 50 random blocks from growing
    # the activations by 2^50 (the real network's trained norms do the same job).
    y = mxnet_conv_bn(g, names, y, prefix, (channels, inner, 1, 1), 1, bias=True, gamma=0.2)
    if in_channels != channels:
        x = mxnet_conv_bn(g, names, x, prefix, (channels, in_channels, 1, 1), stride, bias=False)
    plus = names.next(prefix, "_plus")
    names.index += 1
    y = g.node("Add", [y, x], [plus], name=plus)
    return mxnet_relu(g, names, y, prefix, "activation")


def resnet152(
    layers: Sequence[int] = RESNET152_LAYERS, prefix: str = "resnetv19_"
) -> onnx.ModelProto:
    """ResNet-152 v1 as the zoo's resnet152-v1-7 (MXNet Gluon export, opset 7), widths / 16.
    ``layers`` and ``prefix`` give the zoo's other v1 depths (ResNet-50: (3, 4, 6, 3) and
    ``resnetv17_``), against which the tests check the naming rules."""
    g, names = GraphBuilder(seed=152), MXNetNames()
    widths = [narrow(c, 16) for c in RESNET152_CHANNELS]
    x = mxnet_conv_bn(g, names, "data", prefix, (widths[0], 3, 7, 7), 2, bias=False)
    x = mxnet_relu(g, names, x, prefix, "relu")
    pool = names.next(prefix, "pool") + "_fwd"
    names.index += 1
    x = g.node("MaxPool", [x], [pool], name=pool, kernel_shape=[3, 3], strides=[2, 2], pads=[1] * 4)
    for stage, blocks in enumerate(layers, start=1):
        for block in range(blocks):
            in_channels = widths[stage - 1] if block == 0 else widths[stage]
            stride = 2 if block == 0 and stage > 1 else 1
            x = bottleneck(
                g, names, x, f"{prefix}stage{stage}_", (in_channels, widths[stage]), stride
            )
    pool = names.next(prefix, "pool") + "_fwd"
    x = g.node("GlobalAveragePool", [x], [pool], name=pool)
    fc_index = names.index + 3  # pool1, then the dense layer's weight and bias variables
    flat = g.node("Flatten", [x], [f"flatten_{fc_index}"], name=f"flatten_{fc_index}")
    w = g.weight(f"{prefix}dense0_weight", (CLASSES, widths[len(layers)]))
    b = g.zeros(f"{prefix}dense0_bias", CLASSES)
    out = f"{prefix}dense0_fwd"
    g.node("Gemm", [flat, w, b], [out], name=out, alpha=1.0, beta=1.0, transA=0, transB=1)
    return g.model("resnet152", ("data", ["N", 3, SIZE, SIZE]), (out, ["N", CLASSES]), 7, 3)


BUILDERS = {"googlenet": googlenet, "vgg19": vgg19, "resnet152": resnet152}


def write_cnn_models(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write the three miniature models where the rehearsal server serves the real ones'
    URLs (``resources`` is unused: every model is a download)."""
    del resources
    for key, build in BUILDERS.items():
        path = served_file(served, urls[key])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build().SerializeToString())
