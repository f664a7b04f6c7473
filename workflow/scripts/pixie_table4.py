"""PIXIE Table 4: cosine of selected word pairs under SGNS and under PIXIE(+) trained without the
held-out words' images (rule tabulate_pixie_table4)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import pair_cosine_table
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        name: WordVectors.read(npy, vocab)
        for name, npy, vocab in zip(
            smk.params.columns, smk.input.vectors, smk.input.vocabs, strict=True
        )
    }
    words = read_parquet(smk.input.visual_words, ["word", "heldout"])
    heldout = list(words.loc[words["heldout"], "word"])
    table = pair_cosine_table(smk.params.settings["pairs"], models, heldout)
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
