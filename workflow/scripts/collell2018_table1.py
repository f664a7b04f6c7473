"""The paper's Table 1 from the evaluation of every Table 1 mapping, with the significance of
mNNO(f(X),X) against mNNO(f(X),Y) (rule tabulate_collell2018_table1)."""

from typing import Any

import pandas as pd

from crossmodal.collell2018.evaluation import table1
from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table


def main(smk: Any) -> None:
    metrics = pd.concat([read_parquet(path) for path in smk.input.metrics], ignore_index=True)
    overlaps = pd.concat([read_parquet(path) for path in smk.input.overlaps], ignore_index=True)
    settings = smk.params.settings
    table = table1(metrics, overlaps, settings["mappings"], settings["k"], settings["alpha"])
    write_table(table, smk.output.table, smk.config, smk.config["collell2018"]["training"]["seed"])


run_script(snakemake, main)
