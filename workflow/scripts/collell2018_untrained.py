"""Experiment 2 on one word embedding: word-similarity Spearman correlations before and after
untrained networks (rule evaluate_collell2018_untrained)."""

from pathlib import Path
from typing import Any

import torch

from crossmodal.collell2018.untrained import untrained_scores
from crossmodal.core.device import pick_device
from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    vectors = WordVectors.read(smk.input.vectors, smk.input.words)
    benchmarks = {Path(p).stem: read_parquet(p) for p in smk.input.benchmarks}
    scores = untrained_scores(
        vectors,
        benchmarks,
        smk.params.settings["depths"],
        smk.params.settings["seeds"],
        smk.params.settings["width"],
        pick_device(),
    )
    write_parquet(scores.assign(embedding=smk.wildcards.embedding), smk.output.scores)


run_script(snakemake, main)
