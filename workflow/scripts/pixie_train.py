"""Train PIXIE (visual "vae"), V-SGNS ("margin") or SGNS ("none": PIXIE without its visual part)
on the corpus with the visual words of one setting, resuming from the per-epoch training state
(rules train_pixie, train_pixie_vsgns, train_pixie_sgns)."""

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
    settings = smk.params.settings
    config = PixieConfig(visual=settings["visual"], **settings["model"], **settings["vsgns"])
    vocabulary = read_parquet(smk.input.vocabulary, ["word", "count"])
    visual = None
    if "visual" in smk.input.keys():
        visual = read_visual_of_setting(
            smk.input.visual, smk.input.visual_words, smk.wildcards.setting
        )
    vectors, losses = pixie_embeddings(
        smk.input.corpus, vocabulary, visual, config, smk.params.resume, pick_device()
    )
    for name in ("text", "plus", "concat"):
        if name in smk.output.keys():
            vectors[name].write(smk.output[name], smk.output[f"{name}_vocab"])
    write_parquet(losses, smk.output.losses)


run_script(snakemake, main)
