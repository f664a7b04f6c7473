"""Train PIXIE (visual "vae") or V-SGNS (visual "linear") on the corpus with the visual words of
one setting, resuming from the per-epoch training state (rules train_pixie, train_pixie_vsgns)."""

from typing import Any

import torch

from crossmodal.core.device import pick_device
from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.model import PixieConfig
from crossmodal.pixie.training import pixie_embeddings
from crossmodal.pixie.visual import read_visual_of_setting


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    config = PixieConfig(visual=smk.params.settings["visual"], **smk.params.settings["model"])
    vocabulary = read_parquet(smk.input.vocabulary, ["word", "count"])
    visual = read_visual_of_setting(smk.input.visual, smk.input.visual_words, smk.wildcards.setting)
    vectors, losses = pixie_embeddings(
        smk.input.corpus, vocabulary, visual, config, smk.params.resume, pick_device()
    )
    vectors["plus"].write(smk.output.plus, smk.output.plus_vocab)
    if "concat" in smk.output.keys():
        vectors["concat"].write(smk.output.concat, smk.output.concat_vocab)
    write_parquet(losses, smk.output.losses)


run_script(snakemake, main)
