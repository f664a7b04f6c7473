"""The VAE baseline: PIXIE's VAE trained on the visual vectors alone, mean codes
(rule train_pixie_vae)."""

from typing import Any

import torch

from crossmodal.core.logs import run_script
from crossmodal.pixie.model import PixieConfig, train_vae, visual_of_setting
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    config = PixieConfig(**smk.params.settings["model"])
    visual = visual_of_setting(
        WordVectors.read(smk.input.visual, smk.input.visual_words, ["heldout"]),
        smk.wildcards.setting,
    )
    codes = train_vae(visual, config, smk.params.settings["epochs"])
    codes.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
