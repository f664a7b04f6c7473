"""mNNO(f(X),X) and mNNO(f(X),Y) against training epochs, the paper's Fig. 2
(rule plot_collell2018_epochs)."""

from typing import Any

import pandas as pd

from crossmodal.collell2018.epoch_figure import plot_epoch_curves
from crossmodal.collell2018.evaluation import epoch_curves
from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table


def main(smk: Any) -> None:
    metrics = pd.concat([read_parquet(path) for path in smk.input.metrics], ignore_index=True)
    curves = epoch_curves(metrics)
    write_table(
        curves, smk.output.curves, smk.config, smk.config["collell2018"]["training"]["seed"]
    )
    plot_epoch_curves(curves, smk.output.png, smk.output.pdf)


run_script(snakemake, main)
