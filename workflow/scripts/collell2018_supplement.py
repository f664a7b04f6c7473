"""The supplement's per-setting tables: every mapping variant with both neighbour measures, the
loss and depth comparisons, and the hyperparameters chosen per fold
(rule tabulate_collell2018_supplement)."""

import re
from typing import Any

import pandas as pd

from crossmodal.collell2018 import supplement_mappings
from crossmodal.io import atomic_path, read_parquet
from crossmodal.logs import run_script

SELECTION = re.compile(
    r"results/collell2018/(?P<dataset>[^/]+)/(?P<pair>[^/]+)/(?P<direction>[^/]+)/"
    r"(?P<mapping>[^/]+)/fold(?P<fold>[0-9]+)\.selection\.parquet$"
)


def write_csv(table: pd.DataFrame, path: str) -> None:
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, float_format="%.4f")


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
    write_csv(table, smk.output.mappings)
    write_csv(table[table["hidden_layers"] <= 1], smk.output.losses)
    write_csv(table[(table["loss"] == "mse") & (table["model"] == "nn")], smk.output.depths)
    write_csv(selection_table(smk.input.selection), smk.output.hyperparameters)


run_script(snakemake, main)
