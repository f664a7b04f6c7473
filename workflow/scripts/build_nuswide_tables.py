"""NUS-WIDE's downloaded lists -> images.parquet + concepts.parquet (crossmodal.public_data)."""

from typing import Any

from crossmodal.logs import run_script
from crossmodal.public_data import build_nuswide, write_table


def main(smk: Any) -> None:
    images, concepts = build_nuswide(smk.input.archives, smk.params.images_dir)
    write_table(concepts, smk.output.concepts)
    write_table(images, smk.output.images)


run_script(snakemake, main)
