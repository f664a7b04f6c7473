"""Train PIXIE (visual "vae") or V-SGNS (visual "linear") on the corpus with the visual words of
one setting, resuming from the per-epoch checkpoint (rules train_pixie, train_pixie_vsgns)."""

from typing import Any

import pandas as pd
import torch

from crossmodal.core.device import pick_device
from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.model import PixieConfig, pixie_vectors, train_pixie, visual_of_setting
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    config = PixieConfig(visual=smk.params.settings["visual"], **smk.params.settings["model"])
    vocabulary = read_parquet(smk.input.vocabulary, ["word", "count"])
    visual = visual_of_setting(
        WordVectors.read(smk.input.visual, smk.input.visual_words, ["heldout"]),
        smk.wildcards.setting,
    )
    trained = train_pixie(
        smk.input.corpus, vocabulary, visual, config, smk.params.checkpoint, pick_device()
    )
    vectors = pixie_vectors(trained, vocabulary)
    vectors["plus"].write(smk.output.plus, smk.output.plus_vocab)
    if "concat" in smk.output.keys():
        vectors["concat"].write(smk.output.concat, smk.output.concat_vocab)
    epochs = range(1, len(trained.losses) + 1)
    write_parquet(pd.DataFrame({"epoch": epochs, "loss": trained.losses}), smk.output.losses)


run_script(snakemake, main)
