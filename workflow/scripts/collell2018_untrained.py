"""Experiment 2 on one word embedding: word-similarity Spearman correlations before and after
untrained networks (rule evaluate_collell2018_untrained)."""

from pathlib import Path
from typing import Any

import pandas as pd
import torch

from crossmodal.errors import InputError
from crossmodal.io import read_parquet, write_parquet
from crossmodal.logs import run_script
from crossmodal.mapping import pick_device
from crossmodal.paired import read_features
from crossmodal.untrained import untrained_scores
from crossmodal.vectors import WordVectors


def read_vectors(smk: Any) -> WordVectors:
    """Word vectors from NPY + word table, or from a labelled feature file (labels = words)."""
    if "words" in smk.input.keys():
        return WordVectors.read(smk.input.vectors, smk.input.words)
    ids = smk.input.ids if "ids" in smk.input.keys() else None
    matrix, labels = read_features(smk.input.vectors, ids, smk.params.label_column)
    if labels is None:
        raise InputError(f"{smk.input.vectors}: Experiment 2 needs a word per row (no labels)")
    return WordVectors(matrix, pd.DataFrame({"word": labels}), str(smk.input.vectors))


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    vectors = read_vectors(smk)
    benchmarks = {Path(p).stem: read_parquet(p) for p in smk.input.benchmarks}
    scores = untrained_scores(
        vectors, benchmarks, smk.params.depths, smk.params.seeds, smk.params.width, pick_device()
    )
    write_parquet(scores.assign(embedding=smk.wildcards.embedding), smk.output.scores)


run_script(snakemake, main)
