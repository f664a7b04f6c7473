"""Assemble a WordNet 3.0 folder NLTK can read (rule prepare_wordnet)."""

import logging
from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.data.wordnet import prepare_wordnet


def main(smk: Any) -> None:
    source = prepare_wordnet(
        smk.params.settings["nltk_data"], smk.params.settings["dict_dir"], smk.output.wordnet
    )
    logging.getLogger("crossmodal").info("WordNet from %s", source)


run_script(snakemake, main)
