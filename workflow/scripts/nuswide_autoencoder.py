"""Train one variant of the joint image-tag autoencoder on the NUS-WIDE study's training
images, saving its state after every epoch (rule train_nuswide_autoencoder)."""

import logging
from pathlib import Path
from typing import Any

import torch

from crossmodal.core.device import pick_device
from crossmodal.core.logs import run_script
from crossmodal.nuswide.autoencoder import AutoencoderConfig, save_autoencoder, train_autoencoder
from crossmodal.nuswide.study import StudyData


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    data = StudyData.read_inputs(smk.input)
    config = AutoencoderConfig(variant=smk.wildcards.variant, **smk.params.settings)
    device = pick_device()
    train = data.train
    logging.info("training %s on %d images (%s)", config, int(train.sum()), device)
    resume = Path(smk.output.model).with_suffix(".resume")
    model, losses = train_autoencoder(data.visual[train], data.tags[train], config, resume, device)
    save_autoencoder(model, config, losses, smk.output.model)
    resume.unlink(missing_ok=True)


run_script(snakemake, main)
