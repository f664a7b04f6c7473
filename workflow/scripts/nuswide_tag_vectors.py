"""Semantic tag vectors of the log-bilinear document model (Maas & Ng, 2010) fitted on the
training images' tags (rule fit_nuswide_tag_vectors)."""

import logging
from pathlib import Path
from typing import Any

import torch

from crossmodal.core.io import read_matrix, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.nuswide.study import ITEM_COLUMNS
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_tag_vectors
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    items = read_parquet(smk.input.item_table, ITEM_COLUMNS)
    tags, _ = read_matrix(smk.input.tags, smk.input.tag_ids, ["image_id"])
    vocabulary = read_parquet(smk.input.vocabulary, ["tag", "n_images"])
    train = (items["split"] == "train").to_numpy()
    config = TagModelConfig(**smk.params.settings)
    resume = Path(smk.output.matrix).with_suffix(".resume")
    logging.info("fitting %s on %d training images", config, int(train.sum()))
    vectors = fit_tag_vectors(tags[train], config, resume)
    table = vocabulary.rename(columns={"tag": "word"})
    WordVectors(vectors, table, "tag model").write(smk.output.matrix, smk.output.words)
    resume.unlink(missing_ok=True)


run_script(snakemake, main)
