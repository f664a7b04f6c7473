"""PCA-whitened bag of visual words of the NUS-WIDE study's items, fitted on its training
images (rule whiten_nuswide_sift)."""

import logging
from typing import Any

import numpy as np

from crossmodal.core.errors import InputError
from crossmodal.core.io import read_matrix, read_parquet, write_matrix
from crossmodal.core.logs import run_script
from crossmodal.nuswide.study import ITEM_COLUMNS, whiten


def main(smk: Any) -> None:
    items = read_parquet(smk.input.item_table, ITEM_COLUMNS)
    bovw, ids = read_matrix(smk.input.bovw, smk.input.bovw_ids, ["image_id"])
    row = {image_id: i for i, image_id in enumerate(ids["image_id"].astype(str))}
    missing = [i for i in items["image_id"] if i not in row]
    if missing:
        raise InputError(f"{smk.input.bovw_ids}: no features for image {missing[0]!r}")
    features = bovw[[row[i] for i in items["image_id"]]].astype(np.float64)
    sums = features.sum(axis=1)
    logging.info("BoVW row sums (L1 norm) %.4f..%.4f", sums.min(), sums.max())
    train = (items["split"] == "train").to_numpy()
    whitened, kept = whiten(
        features, train, smk.params.settings["dim"], smk.params.settings["seed"]
    )
    logging.info(
        "%d components keep %.1f%% of the training variance", whitened.shape[1], 100 * kept
    )
    write_matrix(whitened, items[["image_id"]], smk.output.matrix, smk.output.ids)


run_script(snakemake, main)
