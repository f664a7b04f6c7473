"""Train one autoencoder variant of one model slot on the training images - whitened SIFT and the
standardised mean tag vectors of the slot's tag vectors, the slot's concept tags removed - with mu
chosen on the configured grid (rule train_nuswide_autoencoder)."""

from typing import Any

import torch

from crossmodal.core.logs import run_script
from crossmodal.nuswide.autoencoder import AutoencoderConfig
from crossmodal.nuswide.mu_grid import train_slot_autoencoder
from crossmodal.nuswide.study import StudyData
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    settings = dict(smk.params.settings)
    grid = settings.pop("mu_grid")
    config = AutoencoderConfig(variant=smk.wildcards.variant, mu=grid[0], **settings)
    data = StudyData.read_inputs(smk.input)
    vectors = WordVectors.read(smk.input.tag_vectors, smk.input.tag_vector_words)
    scoring = smk.params.scoring
    train_slot_autoencoder(
        data, smk.wildcards.slot, vectors, config, grid, scoring, smk.output.model
    )


run_script(snakemake, main)
