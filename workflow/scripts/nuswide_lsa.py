"""LSA of the training images' tag matrix: each tag's loadings on the truncated SVD's
components (rule fit_nuswide_lsa)."""

import logging
from typing import Any

from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.nuswide.study import ITEM_COLUMNS
from crossmodal.nuswide.tag_vectors import lsa_loadings
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    items = read_parquet(smk.input.item_table, ITEM_COLUMNS)
    tags, _ = read_matrix(smk.input.tags, smk.input.tag_ids, ["image_id"])
    vocabulary = read_parquet(smk.input.vocabulary, ["tag", "n_images"])
    train = (items["split"] == "train").to_numpy()
    loadings, kept = lsa_loadings(
        tags[train], smk.params.settings["dim"], smk.params.settings["seed"]
    )
    logging.info("%d LSA components keep %.1f%% of the tag variance", loadings.shape[1], 100 * kept)
    table = vocabulary.rename(columns={"tag": "word"})
    WordVectors(loadings, table, "lsa").write(smk.output.matrix, smk.output.words)


run_script(snakemake, main)
