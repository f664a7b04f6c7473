"""Train skip-gram vectors on a corpus file (rule train_sgns)."""

from typing import Any

from crossmodal.logs import run_script
from crossmodal.sgns import SgnsParams, train_sgns


def main(smk: Any) -> None:
    params = SgnsParams(
        dim=int(smk.wildcards.dim),
        window=smk.params.window,
        negative=smk.params.negative,
        epochs=smk.params.epochs,
        min_count=smk.params.min_count,
        sample=smk.params.sample,
        seed=smk.params.seed,
    )
    # One worker is the only bit-reproducible setting (see crossmodal.sgns).
    workers = 1 if smk.params.deterministic else smk.threads
    vectors = train_sgns(smk.input.corpus, params, workers=workers)
    vectors.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
