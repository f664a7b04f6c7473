"""Paired image/text items of one Collell & Moens dataset and embedding pair, with their
evaluation folds (rule pair_collell2018_data)."""

from typing import Any

from crossmodal.collell2018.pairs import pair_inputs
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    files = {key: str(value) for key, value in smk.input.items()}
    paired = pair_inputs(smk.params.spec, files)
    paired.write(smk.output.image, smk.output.text, smk.output.item_table)


run_script(snakemake, main)
