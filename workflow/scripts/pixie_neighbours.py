"""PIXIE Tables 4-5: the nearest neighbours of probe words with and without images under SGNS,
CNN and PIXIE (rule tabulate_pixie_neighbours)."""

from typing import Any

import pandas as pd

from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import nearest_neighbours
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    models = {
        name: WordVectors.read(npy, vocab)
        for name, npy, vocab in zip(
            smk.params.models, smk.input.vectors, smk.input.vocabs, strict=True
        )
    }
    k = smk.params.settings["k"]
    for probes, path in (
        (smk.params.settings["visual_probes"], smk.output.visual),
        (smk.params.settings["text_probes"], smk.output.text),
    ):
        table = pd.concat(
            [nearest_neighbours(vectors, probes, k, name) for name, vectors in models.items()],
            ignore_index=True,
        )
        write_table(table, path, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
