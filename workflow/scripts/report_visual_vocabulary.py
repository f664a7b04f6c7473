"""Count visual words, backfilled words and words with a text vector (rule
report_visual_vocabulary)."""

from typing import Any

from crossmodal.core.io import read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.features.per_word import visual_vocabulary


def main(smk: Any) -> None:
    tables = {
        kind: read_parquet(path, ["word", "backfilled"])
        for kind, path in zip(smk.params.kinds, smk.input.words, strict=True)
    }
    text_vocabulary = read_parquet(smk.input.text_vocab, ["word"])["word"]
    write_parquet(visual_vocabulary(tables, text_vocabulary), smk.output.table)


run_script(snakemake, main)
