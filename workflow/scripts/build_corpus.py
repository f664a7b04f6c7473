"""A text corpus, one tokenised sentence per line, with its coverage of the visual words in the
log (rule build_corpus)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.corpus import build_corpus, corpus_lines, image_word_senses
from crossmodal.data.wordnet import load_wordnet


def main(smk: Any) -> None:
    lines = corpus_lines(
        smk.params.settings["source"],
        parts=smk.params.settings["parts"],
        download=getattr(smk.input, "download", None),
        member=smk.params.settings["member"],
        tokens_per_line=smk.params.settings["tokens_per_line"],
    )
    words = []
    if hasattr(smk.input, "images"):
        words = image_word_senses(read_parquet(smk.input.images, ["word", "synset"]))
    wordnet = load_wordnet(smk.input.wordnet) if smk.params.settings["wordnet_glosses"] else None
    build_corpus(smk.output.corpus, lines, words, wordnet, smk.params.settings["min_count"])


run_script(snakemake, main)
