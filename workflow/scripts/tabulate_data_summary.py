"""The demo data's counts (image table summary, visual vocabulary) and the pretrained CNN's
ImageNet agreement as CSV tables for the report, with the provenance columns every final table
carries (rule tabulate_data_summary)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table, write_table


def main(smk: Any) -> None:
    outputs = {
        smk.output.summary: read_table(smk.input.summary, ["count", "value"]),
        smk.output.vocabulary: read_parquet(smk.input.vocabulary, ["kind", "visual_words"]),
        smk.output.imagenet: read_parquet(smk.input.imagenet, ["kind"]),
    }
    seed = smk.config["datasets"][smk.wildcards.dataset].get("seed", "none")  # of its split
    for path, table in outputs.items():
        write_table(table, path, smk.config, seed)


run_script(snakemake, main)
