"""PIXIE Table 5: the nearest neighbours of query words, visual and not, under SGNS, V-SGNS and
PIXIE(+) (rule tabulate_pixie_table5)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import neighbour_table
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        name: WordVectors.read(npy, vocab)
        for name, npy, vocab in zip(
            smk.params.models, smk.input.vectors, smk.input.vocabs, strict=True
        )
    }
    settings = smk.params.settings
    visual_words = list(read_parquet(smk.input.visual_words, ["word"])["word"])
    table = neighbour_table(models, settings["queries"], settings["k"], visual_words)
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
