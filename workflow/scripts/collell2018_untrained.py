"""Experiment 2 on one word embedding: word-similarity Spearman correlations before and after
untrained networks (rule evaluate_collell2018_untrained)."""

from pathlib import Path
from typing import Any

import torch

from crossmodal.collell2018.untrained import read_embedding, untrained_scores
from crossmodal.core.device import pick_device
from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    settings = smk.params.settings
    vectors = read_embedding(
        smk.input.vectors,
        smk.input.get("words"),
        smk.input.get("ids"),
        settings["label_column"],
        settings["header"],
    )
    benchmarks = {Path(p).stem: read_parquet(p) for p in smk.input.benchmarks}
    network = {"width": settings["width"], "weight_range": settings["weight_range"]}
    scores = untrained_scores(
        vectors,
        benchmarks,
        settings["depths"],
        settings["seeds"],
        network,
        settings["similarities"],
        pick_device(),
    )
    write_parquet(scores.assign(embedding=smk.wildcards.embedding), smk.output.scores)


run_script(snakemake, main)
