"""The PIXIE study's vocabulary: corpus words with at least min_count occurrences
(rule build_pixie_vocabulary)."""

from typing import Any

from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.stream import build_vocabulary


def main(smk: Any) -> None:
    vocabulary = build_vocabulary(smk.input.corpus, smk.params.settings["min_count"])
    write_parquet(vocabulary, smk.output.vocabulary)


run_script(snakemake, main)
