"""Image-sentence retrieval with a GRU sentence encoder initialised with one model's word
vectors, trained resumably; R@K on the test split (rule train_pixie_retrieval)."""

from typing import Any

import torch

from crossmodal.core.device import pick_device
from crossmodal.core.io import read_matrix, read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.evaluation import retrieval_scores
from crossmodal.pixie.retrieval import RetrievalConfig
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    settings = dict(smk.params.settings)
    splits, ks = settings.pop("splits"), settings.pop("recall_at")
    features, ids = read_matrix(smk.input.features, smk.input.feature_ids, ["image_id"])
    captions = smk.input.get("captions")
    row = retrieval_scores(
        smk.wildcards.model,
        WordVectors.read(smk.input.vectors, smk.input.vocab),
        features,
        ids,
        read_parquet(smk.input.images, ["image_id", "split"]),
        read_parquet(captions, ["image_id", "tokens"]) if captions else None,
        RetrievalConfig(**settings),
        splits,
        ks,
        smk.params.resume,
        pick_device(),
    )
    write_parquet(row, smk.output.metrics)


run_script(snakemake, main)
