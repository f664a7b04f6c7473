"""Per-epoch neighbour structure (mNNO) and quality of one mapping's folds, on train and test
items (rule evaluate_collell2018_mapping)."""

from typing import Any

import pandas as pd
import torch

from crossmodal.collell2018.evaluation import evaluate_fold
from crossmodal.collell2018.pairs import PairedSet
from crossmodal.core.errors import InputError
from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script
from crossmodal.models.mapping import read_checkpoints


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    paired = PairedSet.read(smk.input.image, smk.input.text, smk.input.item_table)
    folds = read_checkpoints(smk.input.checkpoints)
    if len(folds) != paired.n_folds:
        raise InputError(
            f"{smk.input.checkpoints}: {len(folds)} trained folds, but {smk.input.item_table} "
            f"has {paired.n_folds}"
        )
    frames = [
        evaluate_fold(
            paired,
            smk.wildcards.direction,
            fold,
            trained,
            smk.params.settings["k"],
            smk.params.settings["neighbours"],
            smk.params.settings["precision_at"],
            smk.params.settings["curve_every"],
        )
        for fold, trained in enumerate(folds)
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
