"""PCA-whitened bag of visual words of the NUS-WIDE study's items, fitted on its training
images (rule whiten_nuswide_sift)."""

from typing import Any

from crossmodal.core.io import read_matrix, read_parquet, write_matrix
from crossmodal.core.logs import run_script
from crossmodal.nuswide.preparation import whitened_sift
from crossmodal.nuswide.study import ITEM_COLUMNS


def main(smk: Any) -> None:
    items = read_parquet(smk.input.item_table, ITEM_COLUMNS)
    bovw, ids = read_matrix(smk.input.bovw, smk.input.bovw_ids, ["image_id"])
    settings = smk.params.settings
    whitened = whitened_sift(
        items, bovw, ids, settings["dim"], settings["seed"], smk.input.bovw_ids
    )
    write_matrix(whitened, items[["image_id"]], smk.output.matrix, smk.output.ids)


run_script(snakemake, main)
