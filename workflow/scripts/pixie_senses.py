"""Visual words as the PIXIE paper builds them: every covered noun sense of each vocabulary word,
up to `images_per_word` images, hypernym backfill, images of `splits` only
(rule average_pixie_senses)."""

from typing import Any

from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.wordnet import load_wordnet
from crossmodal.features.word_senses import sense_word_features


def main(smk: Any) -> None:
    settings = smk.params.settings
    features, ids = read_matrix(smk.input.features, smk.input.ids, ["image_id"])
    vectors = sense_word_features(
        list(read_parquet(smk.input.vocabulary, ["word"])["word"]),
        features,
        ids["image_id"],
        read_parquet(smk.input.images, ["image_id", "synset", "split"]),
        load_wordnet(smk.input.wordnet),
        settings["images_per_word"],
        settings["max_hypernym_depth"],
        settings["splits"],
        settings["seed"],
    )
    vectors.write(smk.output.npy, smk.output.words)


run_script(snakemake, main)
