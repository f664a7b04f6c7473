"""The VAE baseline: PIXIE's VAE trained on the visual vectors alone, mean codes
(rule train_pixie_vae)."""

from typing import Any

import torch

from crossmodal.core.logs import run_script
from crossmodal.pixie.baselines import train_vae
from crossmodal.pixie.model import PixieConfig
from crossmodal.pixie.visual import read_visual_of_setting


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    config = PixieConfig(**smk.params.settings["model"])
    visual = read_visual_of_setting(smk.input.visual, smk.input.visual_words, smk.wildcards.setting)
    codes = train_vae(visual, config, smk.params.settings["epochs"])
    codes.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
