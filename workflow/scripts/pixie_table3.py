"""PIXIE Table 3: word similarity on the benchmark pairs involving held-out visual words, for
models trained with all images and with the held-out words' images withheld
(rule tabulate_pixie_table3)."""

import logging
from typing import Any

import pandas as pd

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import similarity_rows
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    words = read_parquet(smk.input.visual_words, ["word", "heldout"])
    heldout = list(words.loc[words["heldout"], "word"])
    logging.info("%d held-out visual words", len(heldout))
    benchmarks = {
        name: read_parquet(path, ["word1", "word2", "score"])
        for name, path in zip(smk.params.benchmarks, smk.input.benchmarks, strict=True)
    }
    parts = []
    for setting, paths, vocabs in (
        ("all", smk.input.all_vectors, smk.input.all_vocabs),
        ("heldout", smk.input.heldout_vectors, smk.input.heldout_vocabs),
    ):
        models = {
            name: WordVectors.read(npy, vocab)
            for name, npy, vocab in zip(smk.params.models, paths, vocabs, strict=True)
        }
        rows = similarity_rows(models, benchmarks, involving=heldout)
        rows.insert(0, "images", "all" if setting == "all" else "withheld")
        parts.append(rows)
    table = pd.concat(parts, ignore_index=True)
    table["heldout_words"] = len(heldout)
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
