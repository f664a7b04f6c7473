"""Karpathy's Flickr30K JSON -> images.parquet + captions.parquet (crossmodal.public_data)."""

from typing import Any

from crossmodal.logs import run_script
from crossmodal.public_data import build_flickr30k, write_table


def main(smk: Any) -> None:
    images, captions = build_flickr30k(smk.input.archives, smk.params.images_dir)
    write_table(captions, smk.output.captions)
    write_table(images, smk.output.images)


run_script(snakemake, main)
