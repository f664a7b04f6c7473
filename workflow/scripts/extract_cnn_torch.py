"""Pooled activations of one layer of a seeded, untrained CNN (rule extract_cnn_torch)."""

import json
from typing import Any

from crossmodal.core.io import read_parquet, write_matrix, write_text
from crossmodal.core.logs import run_script
from crossmodal.features.cnn import TorchBackend, cnn_features


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "path"])
    cfg = smk.params.settings["cnn"]
    backend = TorchBackend(cfg["arch"], cfg["seed"], smk.threads)
    matrix, meta = cnn_features(
        images,
        backend,
        cfg,
        smk.wildcards.model,
        smk.wildcards.layer,
        smk.params.settings["max_side"],
        smk.threads,
    )
    write_matrix(matrix, images[["image_id"]], smk.output.matrix, smk.output.ids)
    write_text(json.dumps(meta, indent=2) + "\n", smk.output.meta)


run_script(snakemake, main)
