"""Per-epoch neighbour structure (mNNO) and quality of one mapping's folds, on train and test
items (rule evaluate_collell2018_mapping)."""

from typing import Any

import pandas as pd
import torch

from crossmodal.collell2018 import evaluate_fold
from crossmodal.io import write_parquet
from crossmodal.logs import run_script
from crossmodal.paired import PairedSet


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    paired = PairedSet.read(smk.input.image, smk.input.text, smk.input.item_table)
    frames = [
        evaluate_fold(
            paired,
            smk.wildcards.direction,
            fold,
            path,
            smk.params.settings["k"],
            smk.params.settings["neighbours"],
            smk.params.settings["precision_at"],
            smk.params.settings["curve_every"],
        )
        for fold, path in enumerate(smk.input.checkpoints)
    ]
    table = pd.concat(frames, ignore_index=True)
    visual, text = smk.wildcards.pair.split("__")
    setting = {
        "dataset": smk.wildcards.dataset,
        "visual": visual,
        "text": text,
        "direction": smk.wildcards.direction,
        "mapping": smk.wildcards.mapping,
    }
    write_parquet(table.assign(**setting)[[*setting, *table.columns]], smk.output.metrics)


run_script(snakemake, main)
