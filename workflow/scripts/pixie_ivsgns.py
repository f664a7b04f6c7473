"""IV-SGNS: SGNS concatenated with visual vectors imagined by a linear or non-linear map
(rule train_pixie_ivsgns)."""

from typing import Any

import torch

from crossmodal.core.logs import run_script
from crossmodal.models.mapping import MappingConfig
from crossmodal.pixie.baselines import imagined_vectors
from crossmodal.pixie.visual import read_visual_of_setting
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    text = WordVectors.read(smk.input.sgns, smk.input.sgns_vocab)
    visual = read_visual_of_setting(smk.input.visual, smk.input.visual_words, smk.wildcards.setting)
    config = MappingConfig(**smk.params.settings["mapping"])
    name = f"ivsgns{smk.wildcards.map}"
    imagined_vectors(text, visual, config, name).write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
