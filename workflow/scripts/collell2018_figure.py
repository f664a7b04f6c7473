"""mNNO(f(X),X) and mNNO(f(X),Y) against training epochs, the paper's Fig. 2
(rule plot_collell2018_epochs)."""

from typing import Any

import pandas as pd

from crossmodal.collell2018 import epoch_curves
from crossmodal.epoch_figure import plot_epoch_curves
from crossmodal.io import atomic_path, read_parquet
from crossmodal.logs import run_script


def main(smk: Any) -> None:
    metrics = pd.concat([read_parquet(path) for path in smk.input.metrics], ignore_index=True)
    curves = epoch_curves(metrics)
    with atomic_path(smk.output.curves) as tmp:
        curves.to_csv(tmp, index=False, float_format="%.4f")
    plot_epoch_curves(curves, smk.output.png, smk.output.pdf)


run_script(snakemake, main)
