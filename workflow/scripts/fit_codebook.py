"""k-means codebook of dense SIFT descriptors sampled from training images (rule fit_codebook)."""

from typing import Any

import numpy as np

from crossmodal.core.io import atomic_path, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.features.codebook import codebook_from_images
from crossmodal.features.sift import DenseSift


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "path", "split"])
    centres = codebook_from_images(
        images,
        smk.input.images,
        DenseSift(
            smk.params.settings["max_side"],
            smk.params.settings["step"],
            smk.params.settings["size"],
        ),
        k=int(smk.wildcards.k),
        per_image=smk.params.settings["descriptors_per_image"],
        max_images=smk.params.settings["max_images"],
        max_iter=smk.params.settings["max_iter"],
        points_per_centre=smk.params.settings["points_per_centre"],
        seed=smk.params.settings["seed"],
        threads=smk.threads,
    )
    with atomic_path(smk.output.codebook) as tmp:
        np.save(tmp, centres, allow_pickle=False)


run_script(snakemake, main)
