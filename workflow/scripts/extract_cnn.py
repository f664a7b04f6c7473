"""Pooled activations of one layer of a CNN, one vector per image (rules extract_cnn_torch and
extract_cnn_opencv; the model's config `backend` chooses how it runs)."""

import json
from typing import Any

from crossmodal.core.io import read_parquet, write_matrix, write_text
from crossmodal.core.logs import run_script
from crossmodal.features.cnn import backend_for, cnn_features


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "path"])
    cfg = smk.params.settings["cnn"]
    model_files = {key: smk.input.get(key) for key in ("model", "config")}
    matrix, meta = cnn_features(
        images,
        backend_for(cfg, model_files, smk.threads),
        cfg,
        smk.wildcards.model,
        smk.wildcards.layer,
        smk.params.settings["max_side"],
        smk.threads,
    )
    write_matrix(matrix, images[["image_id"]], smk.output.matrix, smk.output.ids)
    write_text(json.dumps(meta, indent=2) + "\n", smk.output.meta)


run_script(snakemake, main)
