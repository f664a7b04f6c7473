"""The Tux Paint stamps as the canonical image table, with a summary of counts (rule
build_tuxpaint_table)."""

import logging
from typing import Any

from crossmodal.core.io import write_parquet, write_text
from crossmodal.core.logs import run_script
from crossmodal.data.tuxpaint.table import build_image_table
from crossmodal.data.wordnet import load_wordnet


def main(smk: Any) -> None:
    table, summary = build_image_table(
        smk.params.settings["stamps_dir"],
        load_wordnet(smk.input.wordnet),
        test_fraction=smk.params.settings["test_fraction"],
        seed=smk.params.settings["seed"],
        exclude=smk.params.settings["exclude"],
    )
    write_parquet(table, smk.output.images)
    write_text(summary.to_csv(index=False), smk.output.summary)
    logging.getLogger("crossmodal").info("image table summary:\n%s", summary.to_string(index=False))


run_script(snakemake, main)
