"""The supplement's per-setting tables (rule tabulate_collell2018_supplement): every mapping
variant with both neighbour measures, the loss and depth comparisons, and the hyperparameters
chosen on each fold."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from crossmodal.collell2018.evaluation import supplement_mappings
from crossmodal.core.io import read_parquet

Path = str | os.PathLike[str]


def selection_table(paths: Sequence[Path], settings: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """Every candidate of every fold's hyperparameter selection, led by the setting (dataset,
    visual, text, direction, mapping) of each selection file; ``settings[i]`` names
    ``paths[i]``. RMSprop's epsilon is written as text ("1e-08"): the tables' four decimals
    would print it as 0."""
    frames = [
        read_parquet(path).assign(**setting) for path, setting in zip(paths, settings, strict=True)
    ]
    table = pd.concat(frames, ignore_index=True)
    table["epsilon"] = table["epsilon"].map(lambda value: format(value, "g"))
    front = ["dataset", "visual", "text", "direction", "mapping", "fold"]
    return table[front + [c for c in table.columns if c not in front]]


def supplement_tables(
    metrics: Sequence[Path],
    configs: Mapping[str, Mapping[str, Any]],
    selections: Sequence[Path],
    settings: Sequence[Mapping[str, str]],
) -> dict[str, pd.DataFrame]:
    """The four supplement tables by output name: ``mappings`` (every variant in ``configs``,
    from the evaluation tables ``metrics``), ``losses`` (variants with at most one hidden
    layer), ``depths`` (MSE-trained nn variants) and ``hyperparameters`` (selection_table())."""
    scores = pd.concat([read_parquet(path) for path in metrics], ignore_index=True)
    table = supplement_mappings(scores, configs)
    return {
        "mappings": table,
        "losses": table[table["hidden_layers"] <= 1],
        "depths": table[(table["loss"] == "mse") & (table["model"] == "nn")],
        "hyperparameters": selection_table(selections, settings),
    }
