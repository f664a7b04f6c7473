"""Collell & Moens Table 1 as a bar chart of mNNO(f(X),X) against mNNO(f(X),Y)
(rule plot_collell2018_table1)."""

from typing import Any

from crossmodal.collell2018.figures import plot_table1
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table


def main(smk: Any) -> None:
    table = read_table(smk.input.table)
    plot_table1(table, smk.output.png, smk.output.pdf, source=smk.input.table)


run_script(snakemake, main)
