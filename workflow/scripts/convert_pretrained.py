"""Convert a downloaded GloVe / word2vec file to NPY + vocabulary (rule convert_pretrained)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.text.pretrained import convert_pretrained


def main(smk: Any) -> None:
    convert_pretrained(
        smk.input.vectors,
        smk.params.settings["format"],
        smk.output.npy,
        smk.output.vocab,
        member=smk.params.settings["member"],
    )


run_script(snakemake, main)
