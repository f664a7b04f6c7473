"""NUS-WIDE's downloaded lists -> images.parquet + concepts.parquet
(crossmodal.data.public_data)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.data.public_data import build_nuswide, write_image_table


def main(smk: Any) -> None:
    images, concepts = build_nuswide(smk.input.archives, smk.params.images_dir)
    write_image_table(concepts, smk.output.concepts)
    write_image_table(images, smk.output.images)


run_script(snakemake, main)
