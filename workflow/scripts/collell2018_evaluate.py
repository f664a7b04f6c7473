"""Per-epoch neighbour structure (mNNO) and quality of one mapping's folds and runs, on train and
test items, and the test items' overlaps at the selected epoch (rule
evaluate_collell2018_mapping)."""

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
    metrics, overlaps = evaluate_mapping(files, setting, smk.params.settings)
    write_parquet(metrics, smk.output.metrics)
    write_parquet(overlaps, smk.output.overlaps)


run_script(snakemake, main)
