"""Table 2 of Collell & Moens: untrained networks and word similarity, with Bonferroni-corrected
rank-sum tests over the whole table (rule tabulate_collell2018_table2)."""

from typing import Any

import pandas as pd

from crossmodal.collell2018.untrained import table2
from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table


def main(smk: Any) -> None:
    frames = [read_parquet(path) for path in smk.input.scores]
    scores = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = table2(scores, smk.params.settings["alpha"], smk.params.settings["min_pairs"])
    # networks and bootstrap resamples use seeds 0 .. seeds-1
    seeds = smk.config["collell2018"]["untrained"]["seeds"]
    write_table(table, smk.output.table, smk.config, f"0-{seeds - 1}")


run_script(snakemake, main)
