"""PIXIE Table 2: Spearman rho of every model on the pairs all of them score, on all pairs and on
pairs of two visual words (rule tabulate_pixie_table2)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import similarity_table
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        name: WordVectors.read(npy, vocab)
        for name, npy, vocab in zip(
            smk.params.models, smk.input.vectors, smk.input.vocabs, strict=True
        )
    }
    benchmarks = {
        name: read_parquet(path, ["word1", "word2", "score"])
        for name, path in zip(smk.params.benchmarks, smk.input.benchmarks, strict=True)
    }
    visual_words = list(read_parquet(smk.input.visual_words, ["word"])["word"])
    table = similarity_table(models, benchmarks, visual_words)
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
