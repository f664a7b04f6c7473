"""Paired image/text items of one Collell & Moens dataset and embedding pair, with their
evaluation folds (rule pair_collell2018_data)."""

import logging
from typing import Any

from crossmodal.collell2018.pairs import pair_features, pair_word_vectors
from crossmodal.core.logs import run_script
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    spec = smk.params.spec
    if spec["source"] == "words":
        visual = WordVectors.read(smk.input.visual, smk.input.visual_words)
        text = WordVectors.read(smk.input.text, smk.input.text_vocab)
        paired = pair_word_vectors(visual, text, spec["folds"], spec["seed"])
    else:
        files = {key: str(value) for key, value in smk.input.items()}
        paired = pair_features(
            files, spec["label_column"], spec["folds"], spec["test_fraction"], spec["seed"]
        )
    logging.info(
        "%d items, image %d-d, text %d-d, %d evaluation fold(s)",
        len(paired.items),
        paired.image.shape[1],
        paired.text.shape[1],
        paired.n_folds,
    )
    paired.write(smk.output.image, smk.output.text, smk.output.item_table)


run_script(snakemake, main)
