"""Train one mapping on every evaluation fold's training items, each after choosing its
hyperparameters by inner cross-validation on those items; keep the weights after every epoch
(rule train_collell2018_mapping). The folds share one job: each would otherwise pay the
seconds of starting Python and torch, more than the demo's training of a fold takes. The
training state of each fold is saved after every epoch beside the output
(``checkpoints.fold<k>.resume``), so a killed job does not retrain the epochs it finished
(the inner cross-validation, which is quick, is repeated)."""

import logging
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from crossmodal.collell2018.pairs import PairedSet
from crossmodal.collell2018.selection import select
from crossmodal.core.device import pick_device
from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script
from crossmodal.models.mapping import (
    Checkpoints,
    MappingConfig,
    save_checkpoints,
    snapshot,
    train_mapping,
)


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    paired = PairedSet.read(smk.input.image, smk.input.text, smk.input.item_table)
    x, y = paired.direction(smk.wildcards.direction)
    device = pick_device()
    base = MappingConfig(**smk.params.settings["mapping"])
    folds, selections, resumes = [], [], []
    for fold in range(paired.n_folds):
        train, _ = paired.split(fold)
        config, scores = select(
            x[train],
            y[train],
            base,
            smk.params.settings["grid"],
            smk.params.settings["inner_folds"],
            base.seed,
            device,
        )
        selections.append(scores.assign(fold=fold))
        logging.info("fold %d: training %s on %d items (%s)", fold, config, train.sum(), device)
        states = []
        resumes.append(Path(smk.output.checkpoints).with_suffix(f".fold{fold}.resume"))
        train_mapping(
            x[train],
            y[train],
            config,
            device,
            lambda _, model, states=states: states.append(snapshot(model)),
            resume=resumes[-1],
        )
        folds.append(Checkpoints(config, x.shape[1], y.shape[1], states, f"fold {fold}"))
    write_parquet(pd.concat(selections, ignore_index=True), smk.output.selection)
    save_checkpoints(folds, smk.output.checkpoints)
    for resume in resumes:
        resume.unlink()


run_script(snakemake, main)
