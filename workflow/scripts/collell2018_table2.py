"""Table 2 of Collell & Moens (untrained networks and word similarity) and its supplement (other
benchmarks, deeper networks), each with its own Bonferroni-corrected rank-sum tests (rule
tabulate_collell2018_table2)."""

from typing import Any

import pandas as pd

from crossmodal.collell2018.untrained import untrained_tables
from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table


def main(smk: Any) -> None:
    frames = [read_parquet(path) for path in smk.input.scores]
    scores = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    settings = smk.params.settings
    tables = untrained_tables(
        scores, settings["alpha"], settings["min_pairs"], settings["benchmarks"]
    )
    # networks and bootstrap resamples use seeds 0 .. seeds-1
    seeds = smk.config["collell2018"]["untrained"]["seeds"]
    for name, table in tables.items():
        write_table(table, smk.output[name], smk.config, f"0-{seeds - 1}")


run_script(snakemake, main)
