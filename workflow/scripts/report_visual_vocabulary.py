"""Per feature kind: visual words, backfilled words, words with a text vector, the share of each
word's nearest words in its image category and the most and least dispersed words (rule
report_visual_vocabulary)."""

from typing import Any

from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.features.visual_meaning import vocabulary_report
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    files = zip(smk.params.kinds, smk.input.vectors, smk.input.words, strict=True)
    vectors = {kind: WordVectors.read(npy, words, ["backfilled"]) for kind, npy, words in files}
    text_vocabulary = read_parquet(smk.input.text_vocab, ["word"])["word"]
    images = read_parquet(smk.input.images, ["image_id", "word"])
    settings = smk.params.settings
    table = vocabulary_report(
        vectors, text_vocabulary, images, settings["neighbours"], settings["extremes"]
    )
    write_parquet(table, smk.output.table)


run_script(snakemake, main)
