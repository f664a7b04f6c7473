"""Visual vectors of the vocabulary's visual words, with the held-out words of the propagation
experiment marked (rule prepare_pixie_visual)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.visual import read_visual_source, visual_words


def main(smk: Any) -> None:
    settings = smk.params.settings
    visual = read_visual_source(smk.input.vectors, smk.input.get("words"))
    vocabulary = read_parquet(smk.input.vocabulary, ["word", "count"])
    prepared = visual_words(
        visual, vocabulary, settings["fraction"], settings["count"], settings["seed"]
    )
    prepared.write(smk.output.npy, smk.output.words)


run_script(snakemake, main)
