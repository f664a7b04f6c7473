"""The SGNS baseline: gensim skip-gram with PIXIE's dimension, window, negatives, down-sampling
and vocabulary, for `pixie: sgns_epochs` passes (rule train_pixie_sgns)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.text.sgns import SgnsParams, train_sgns


def main(smk: Any) -> None:
    model = smk.params.settings["model"]
    params = SgnsParams(
        dim=model["dim"],
        window=model["window"],
        negative=model["negative"],
        epochs=smk.params.settings["epochs"],
        min_count=smk.params.settings["min_count"],
        sample=model["sample"],
        seed=model["seed"],
    )
    vectors = train_sgns(smk.input.corpus, params, workers=smk.threads)
    vectors.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
