"""Train one mapping on every evaluation fold, hyperparameters chosen per fold by inner
cross-validation, weights kept after every epoch (rule train_collell2018_mapping; see
crossmodal.collell2018.training)."""

from typing import Any

import torch

from crossmodal.collell2018.pairs import PairedSet
from crossmodal.collell2018.training import train_all_folds
from crossmodal.core.device import pick_device
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    paired = PairedSet.read(smk.input.image, smk.input.text, smk.input.item_table)
    train_all_folds(
        paired,
        smk.wildcards.direction,
        smk.params.settings,
        pick_device(),
        smk.output.checkpoints,
        smk.output.selection,
    )


run_script(snakemake, main)
