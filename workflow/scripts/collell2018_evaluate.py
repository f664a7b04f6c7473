"""Per-epoch neighbour structure (mNNO) and quality of one mapping's folds, on train and test
items (rule evaluate_collell2018_mapping)."""

from typing import Any

import torch

from crossmodal.collell2018.evaluation import evaluate_mapping
from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    setting = {
        "dataset": smk.wildcards.dataset,
        "visual": smk.wildcards.vis,
        "text": smk.wildcards.lang,
        "direction": smk.wildcards.direction,
        "mapping": smk.wildcards.mapping,
    }
    files = {key: str(path) for key, path in smk.input.items()}
    write_parquet(evaluate_mapping(files, setting, smk.params.settings), smk.output.metrics)


run_script(snakemake, main)
