"""PIXIE Tables 4-5: the nearest neighbours of probe words with and without images under SGNS,
CNN and PIXIE (rule tabulate_pixie_neighbours)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import neighbour_tables
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        name: WordVectors.read(npy, vocab)
        for name, npy, vocab in zip(
            smk.params.models, smk.input.vectors, smk.input.vocabs, strict=True
        )
    }
    settings = smk.params.settings
    probes = {"visual": settings["visual_probes"], "text": settings["text_probes"]}
    for output, table in neighbour_tables(models, probes, settings["k"]).items():
        write_table(table, smk.output[output], smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
