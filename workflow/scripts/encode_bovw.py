"""Bag-of-visual-words histograms of one shard of the image table against a codebook (rule
encode_bovw; gather_bovw joins the shards)."""

from typing import Any

import numpy as np

from crossmodal.core.io import read_parquet, write_matrix
from crossmodal.core.logs import run_script
from crossmodal.features.codebook import bovw_shard
from crossmodal.features.sift import DenseSift


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "path"])
    centres = np.load(smk.input.codebook, allow_pickle=False)
    sift = DenseSift(
        smk.params.settings["max_side"], smk.params.settings["step"], smk.params.settings["size"]
    )
    matrix, index = bovw_shard(
        images, sift, centres, smk.threads, int(smk.wildcards.shard), int(smk.wildcards.shards)
    )
    write_matrix(matrix, index, smk.output.matrix, smk.output.ids)


run_script(snakemake, main)
