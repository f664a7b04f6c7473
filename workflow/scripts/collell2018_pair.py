"""Paired image/text items of one Collell & Moens dataset and embedding pair, with their
evaluation folds (rule pair_collell2018_data).

The evaluation settings (k, precision_at) are read from the config, not from params: they only
gate this job (a subset too small for them is refused before any training), and as params a
change of k would re-pair the data and so retrain every mapping. The evaluation job checks
them again with the k it runs with.
"""

from typing import Any

from crossmodal.collell2018.pairs import pair_inputs
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    files = {key: str(value) for key, value in smk.input.items()}
    evaluation = smk.config["collell2018"]["evaluation"]
    paired = pair_inputs(smk.params.spec, files, evaluation)
    paired.write(smk.output.image, smk.output.text, smk.output.item_table)


run_script(snakemake, main)
