"""The supplement's per-setting tables: every mapping variant with both neighbour measures, the
loss and depth comparisons, and the hyperparameters chosen per fold
(rule tabulate_collell2018_supplement)."""

import re
from typing import Any

import pandas as pd

from crossmodal.collell2018.evaluation import supplement_mappings
from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table

SELECTION = re.compile(
    r"results/collell2018/(?P<dataset>[^/]+)/(?P<pair>[^/]+)/(?P<direction>[^/]+)/"
    r"(?P<mapping>[^/]+)/selection\.parquet$"
)


def selection_table(paths: list[str]) -> pd.DataFrame:
    frames = []
    for path in paths:
        setting = SELECTION.search(str(path)).groupdict()
        visual, text = setting.pop("pair").split("__")
        chosen = read_parquet(path)
        frames.append(chosen.assign(**setting, visual=visual, text=text))
    table = pd.concat(frames, ignore_index=True)
    front = ["dataset", "visual", "text", "direction", "mapping", "fold"]
    return table[front + [c for c in table.columns if c not in front]]


def main(smk: Any) -> None:
    metrics = pd.concat([read_parquet(path) for path in smk.input.metrics], ignore_index=True)
    table = supplement_mappings(metrics, smk.params.mappings)
    seed = smk.config["collell2018"]["training"]["seed"]
    write_table(table, smk.output.mappings, smk.config, seed)
    write_table(table[table["hidden_layers"] <= 1], smk.output.losses, smk.config, seed)
    depths = table[(table["loss"] == "mse") & (table["model"] == "nn")]
    write_table(depths, smk.output.depths, smk.config, seed)
    write_table(selection_table(smk.input.selection), smk.output.hyperparameters, smk.config, seed)


run_script(snakemake, main)
