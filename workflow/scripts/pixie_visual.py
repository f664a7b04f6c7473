"""Visual vectors of the vocabulary's visual words, with the held-out words of the propagation
experiment marked (rule prepare_pixie_visual)."""

import logging
from typing import Any

import pandas as pd

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.feature_files import read_features
from crossmodal.pixie.evaluation import select_heldout
from crossmodal.pixie.model import prepare_visual
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    settings = smk.params.settings
    if settings["source"] == "words":
        visual = WordVectors.read(smk.input.vectors, smk.input.words)
    else:
        matrix, labels = read_features(smk.input.vectors, label_column=True)
        visual = WordVectors(matrix, pd.DataFrame({"word": labels}), str(smk.input.vectors))
    vocabulary = read_parquet(smk.input.vocabulary, ["word", "count"])
    words = [w for w in vocabulary["word"] if w in visual]
    heldout = select_heldout(words, settings["fraction"], settings["count"], settings["seed"])
    prepared = prepare_visual(visual, vocabulary, heldout)
    logging.info(
        "%d of %d visual words are in the vocabulary; %d held out",
        len(prepared),
        len(visual),
        len(heldout),
    )
    prepared.write(smk.output.npy, smk.output.words)


run_script(snakemake, main)
