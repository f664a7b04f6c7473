"""Mean (or max) image feature per WordNet synset / word, with hyponym backfill and the word's
image dispersion (rule average_word_features)."""

from typing import Any

from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.wordnet import load_wordnet
from crossmodal.features.per_word import average_word_features


def main(smk: Any) -> None:
    features, ids = read_matrix(smk.input.features, smk.input.ids, ["image_id"])
    images = read_parquet(smk.input.images, ["image_id", "word", "synset"])
    vectors, _ = average_word_features(
        features,
        ids["image_id"],
        images,
        load_wordnet(smk.input.wordnet),
        min_images=smk.params.settings["min_images"],
        backfill_below=smk.params.settings["backfill_below"],
        max_depth=smk.params.settings["max_hyponym_depth"],
        aggregation=smk.params.settings["aggregation"],
    )
    vectors.write(smk.output.npy, smk.output.words)


run_script(snakemake, main)
