"""Train skip-gram vectors on a corpus file (rule train_sgns)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.text.sgns import SgnsParams, train_sgns


def main(smk: Any) -> None:
    params = SgnsParams(
        dim=int(smk.wildcards.dim),
        window=smk.params.settings["window"],
        negative=smk.params.settings["negative"],
        epochs=smk.params.settings["epochs"],
        min_count=smk.params.settings["min_count"],
        sample=smk.params.settings["sample"],
        seed=smk.params.settings["seed"],
    )
    # One worker is the only bit-reproducible setting (see crossmodal.text.sgns).
    workers = 1 if smk.params.settings["deterministic"] else smk.threads
    vectors = train_sgns(smk.input.corpus, params, workers=workers)
    vectors.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
