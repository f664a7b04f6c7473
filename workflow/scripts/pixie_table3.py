"""PIXIE Table 3: word similarity on the benchmark pairs involving held-out visual words, for
models trained with all images and with the held-out words' images withheld
(rule tabulate_pixie_table3)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import propagation_table
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        setting: {
            name: WordVectors.read(npy, vocab)
            for name, npy, vocab in zip(smk.params.models, paths, vocabs, strict=True)
        }
        for setting, paths, vocabs in (
            ("all", smk.input.all_vectors, smk.input.all_vocabs),
            ("heldout", smk.input.heldout_vectors, smk.input.heldout_vocabs),
        )
    }
    benchmarks = {
        name: read_parquet(path, ["word1", "word2", "score"])
        for name, path in zip(smk.params.benchmarks, smk.input.benchmarks, strict=True)
    }
    words = read_parquet(smk.input.visual_words, ["word", "heldout"])
    table = propagation_table(words, models, benchmarks)
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
