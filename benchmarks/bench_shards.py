"""What a shard of a per-image stage costs, for choosing the shard size (README, "Scaling out")
and the SLURM profile's requests: CPU seconds per image of each per-image stage on one thread,
and the gather of a NUS-WIDE-sized matrix.

    .venv/bin/python benchmarks/bench_shards.py

Per-image costs are CPU time (user + system) on one thread, which a busy shared machine inflates far
less than wall time. Images: 200 PNG Tux Paint stamps, and the same drawn onto 240 x 180 JPEGs (4:3
photos of Flickr's small size; every image is scaled to a longer side of 256 before SIFT, so the
cost follows the aspect ratio more than the file). VGG-19 is run by OpenCV from an ONNX export of
the architecture with random weights: the pretrained model of config/full.yaml has the same layers,
hence the same cost, and cannot be fetched offline. The gather joins 68 shards of random float32
rows into a 269,648 x 1,000 matrix (NUS-WIDE's bovw_k1000), in a child process so that its peak RSS
is its own (started through benchmarks/peak.py, which sees the child's peak alone). Writes
benchmarks/results/<date>-<machine>-shards.csv."""

from __future__ import annotations

import functools
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import torch
from machine import describe_machine, save_results
from torch import nn

from crossmodal.data.images import load_image
from crossmodal.features.cnn import Preprocess, extract
from crossmodal.features.codebook import bovw_features
from crossmodal.features.opencv_cnn import OpenCVBackend
from crossmodal.features.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
N_IMAGES, K, SHARDS, ROWS = 200, 1000, 68, 269_648
SIFT = DenseSift(256, 8, 16)
VGG19 = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M"] + [512] * 4 + ["M"] + [512] * 4


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def per_image(stage: str, work: Callable[[], object], n: int) -> dict:
    """A row: CPU and wall milliseconds per image of ``work`` over ``n`` images."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    work()
    return {
        "stage": stage,
        "cpu_ms_per_image": (cpu_seconds() - cpu) / n * 1e3,
        "wall_ms_per_image": (time.perf_counter() - wall) / n * 1e3,
    }


def jpegs(pngs: list[Path], folder: Path) -> list[str]:
    """The stamps drawn onto 240 x 180 JPEGs (quality 85)."""
    paths = []
    for i, png in enumerate(pngs):
        image = cv2.resize(load_image(png, 240), (240, 180), interpolation=cv2.INTER_AREA)
        paths.append(str(folder / f"{i:04d}.jpg"))
        cv2.imwrite(paths[-1], image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return paths


def vgg19_onnx(path: Path) -> None:
    """VGG-19 (Simonyan & Zisserman's configuration E) with random weights, as ONNX."""
    layers: list[nn.Module] = []
    channels = 3
    for width in [*VGG19, "M"]:
        if width == "M":
            layers.append(nn.MaxPool2d(2))
            continue
        layers += [nn.Conv2d(channels, int(width), 3, padding=1), nn.ReLU()]
        channels = int(width)
    head = [nn.Flatten(), nn.Linear(512 * 49, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU()]
    network = nn.Sequential(*layers, *head).eval()
    torch.onnx.export(
        network,
        (torch.zeros(1, 3, 224, 224),),
        str(path),
        dynamo=False,
        input_names=["data"],
        output_names=["fc7"],
        dynamic_axes={"data": {0: "n"}},
    )


GATHER = """
import resource, sys, time
from crossmodal.features.shards import gather_matrix
folder, shards = sys.argv[1], int(sys.argv[2])
npys = [f"{folder}/{s}.npy" for s in range(shards)]
ids = [f"{folder}/{s}.ids.parquet" for s in range(shards)]
start = time.perf_counter()
gather_matrix(npys, ids, f"{folder}/out.npy", f"{folder}/out.ids.parquet")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime)
"""


def gather_row(folder: Path) -> dict:
    """Wall seconds, CPU seconds and peak RSS of gathering the NUS-WIDE-sized matrix."""
    from crossmodal.core.io import write_matrix
    from crossmodal.features.shards import shard_rows

    rng = np.random.default_rng(0)
    for shard in range(SHARDS):
        rows = shard_rows(ROWS, shard, SHARDS, 64)
        ids = pd.DataFrame({"image_id": [f"{i:06d}" for i in range(rows.start, rows.stop)]})
        matrix = rng.random((len(ids), K), dtype=np.float32)
        write_matrix(matrix, ids, folder / f"{shard}.npy", folder / f"{shard}.ids.parquet")
    peak = folder / "peak_rss"
    command = [sys.executable, str(Path(__file__).parent / "peak.py"), str(peak)]
    command += [sys.executable, "-c", GATHER, str(folder), str(SHARDS)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    wall, cpu = (float(x) for x in out.stdout.split())
    return {
        "stage": f"gather {ROWS:,} x {K:,} float32 from {SHARDS} shards",
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": float(peak.read_text()),
    }


def main() -> None:
    machine, cpus = describe_machine()
    pngs = sorted(STAMPS.rglob("*.png"))[:N_IMAGES]
    centres = np.random.default_rng(0).random((K, 128), dtype=np.float32) * 100
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        folder = Path(tmp)
        sets = {"240 x 180 JPEG": jpegs(pngs, folder), "PNG stamp": [str(p) for p in pngs]}
        for label, paths in sets.items():
            table = pd.DataFrame({"image_id": paths, "path": paths})
            stage = f"dense SIFT + BoVW K={K}, {label}"
            encode = functools.partial(bovw_features, table, SIFT, centres, 1)
            rows.append(per_image(stage, encode, len(paths)))
            stage = f"dense SIFT alone (codebook sample), {label}"
            rows.append(per_image(stage, functools.partial(list, map(SIFT, paths)), len(paths)))
        vgg19_onnx(folder / "vgg19.onnx")
        backend = OpenCVBackend(folder / "vgg19.onnx", None, threads=1)
        preprocess = Preprocess(224, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), False, False)
        paths = sets["240 x 180 JPEG"][:64]
        forward = functools.partial(extract, paths, backend, ["fc7"], preprocess, 256, 32, 1)
        rows.append(per_image("VGG-19 fc7, OpenCV, batches of 32", forward, len(paths)))
        rows[-1]["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        shards = folder / "shards"
        shards.mkdir()
        rows.append(gather_row(shards))
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False, float_format="{:.1f}".format))
    save_results(table, "shards", machine, cpus)


if __name__ == "__main__":
    main()
