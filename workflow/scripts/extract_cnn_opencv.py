"""Pooled activations of one layer of a pretrained model run by OpenCV's dnn module
(rule extract_cnn_opencv)."""

import json
from typing import Any

from crossmodal.core.io import read_parquet, write_matrix, write_text
from crossmodal.core.logs import run_script
from crossmodal.features.cnn import OpenCVBackend, cnn_features


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "path"])
    backend = OpenCVBackend(smk.input.model, smk.input.get("config"), smk.threads)
    matrix, meta = cnn_features(
        images,
        backend,
        smk.params.settings["cnn"],
        smk.wildcards.model,
        smk.wildcards.layer,
        smk.params.settings["max_side"],
        smk.threads,
    )
    write_matrix(matrix, images[["image_id"]], smk.output.matrix, smk.output.ids)
    write_text(json.dumps(meta, indent=2) + "\n", smk.output.meta)


run_script(snakemake, main)
