"""The NUS-WIDE study's Table 2 as a bar chart of mean AUC per representation
(rule plot_nuswide_auc)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.nuswide.figures import plot_auc, read_table2


def main(smk: Any) -> None:
    table = read_table2(smk.input.table)
    plot_auc(table, smk.output.png, smk.output.pdf, source=smk.input.table)


run_script(snakemake, main)
