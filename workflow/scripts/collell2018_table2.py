"""Table 2 of Collell & Moens: untrained networks and word similarity, with Bonferroni-corrected
rank-sum tests over the whole table (rule tabulate_collell2018_table2)."""

from typing import Any

import pandas as pd

from crossmodal.io import atomic_path, read_parquet
from crossmodal.logs import run_script
from crossmodal.untrained import table2


def main(smk: Any) -> None:
    frames = [read_parquet(path) for path in smk.input.scores]
    scores = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    with atomic_path(smk.output.table) as tmp:
        table2(scores, smk.params.settings["alpha"], smk.params.settings["min_pairs"]).to_csv(
            tmp, index=False, float_format="%.4f"
        )


run_script(snakemake, main)
