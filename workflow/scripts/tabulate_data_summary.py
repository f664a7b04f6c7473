"""The demo data's counts (image table summary, visual vocabulary) and the pretrained CNN's
ImageNet agreement as CSV tables for the report (rule tabulate_data_summary)."""

from typing import Any

from crossmodal.core.io import atomic_path, read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table


def main(smk: Any) -> None:
    outputs = {
        smk.output.summary: read_table(smk.input.summary, ["count", "value"]),
        smk.output.vocabulary: read_parquet(smk.input.vocabulary, ["kind", "visual_words"]),
        smk.output.imagenet: read_parquet(smk.input.imagenet, ["kind"]),
    }
    for path, table in outputs.items():
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False)


run_script(snakemake, main)
