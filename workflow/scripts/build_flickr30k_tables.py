"""Karpathy's Flickr30K JSON -> images.parquet + captions.parquet (crossmodal.data.public_data)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.data.public_data import build_flickr30k, write_image_table


def main(smk: Any) -> None:
    images, captions = build_flickr30k(smk.input.archives, smk.params.images_dir)
    write_image_table(captions, smk.output.captions)
    write_image_table(images, smk.output.images)


run_script(snakemake, main)
