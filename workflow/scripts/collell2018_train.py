"""Train one mapping on one evaluation fold's training items, after choosing its hyperparameters
by inner cross-validation on those items; keep the weights after every epoch
(rule train_collell2018_mapping). The training state is saved after every epoch beside the
checkpoints (``fold<k>.resume``), so a killed job resumes where it stopped when rerun."""

import logging
from pathlib import Path
from typing import Any

import torch

from crossmodal.io import write_parquet
from crossmodal.logs import run_script
from crossmodal.mapping import (
    MappingConfig,
    pick_device,
    save_checkpoints,
    snapshot,
    train_mapping,
)
from crossmodal.paired import PairedSet
from crossmodal.selection import select


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    paired = PairedSet.read(smk.input.image, smk.input.text, smk.input.item_table)
    x, y = paired.direction(smk.wildcards.direction)
    train, _ = paired.split(int(smk.wildcards.fold))
    device = pick_device()
    base = MappingConfig(**smk.params.settings["mapping"])
    config, scores = select(
        x[train],
        y[train],
        base,
        smk.params.settings["grid"],
        smk.params.settings["inner_folds"],
        base.seed,
        device,
    )
    write_parquet(scores, smk.output.selection)
    logging.info("training %s on %d items (%s)", config, int(train.sum()), device)
    states = []
    resume = Path(smk.output.checkpoints).with_suffix(".resume")
    train_mapping(
        x[train],
        y[train],
        config,
        device,
        lambda _, model: states.append(snapshot(model)),
        resume=resume,
    )
    save_checkpoints(states, config, x.shape[1], y.shape[1], smk.output.checkpoints)
    resume.unlink()


run_script(snakemake, main)
