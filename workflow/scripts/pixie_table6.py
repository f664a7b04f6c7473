"""PIXIE Table 6: image-sentence retrieval R@K of each embedding (rule tabulate_pixie_table6)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.evaluation import retrieval_table


def main(smk: Any) -> None:
    table = retrieval_table([read_parquet(path, ["model"]) for path in smk.input.metrics])
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
