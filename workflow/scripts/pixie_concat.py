"""CNN(+)SGNS and VAE(+)SGNS: normalised concatenation of SGNS and a visual baseline
(rule concat_pixie_baseline)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.pixie.baselines import concatenate
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    text = WordVectors.read(smk.input.sgns, smk.input.sgns_vocab)
    visual = WordVectors.read(smk.input.visual, smk.input.visual_vocab)
    name = f"{smk.wildcards.visual}sgns"
    concatenate(text, visual, name).write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
