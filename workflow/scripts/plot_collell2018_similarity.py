"""Collell & Moens Table 2 as word-similarity Spearman correlations per benchmark, of the word
vectors X and of untrained networks f(X) (rule plot_collell2018_similarity)."""

from typing import Any

from crossmodal.collell2018.figures import plot_word_similarity
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table


def main(smk: Any) -> None:
    table = read_table(smk.input.table)
    plot_word_similarity(table, smk.output.png, smk.output.pdf, source=smk.input.table)


run_script(snakemake, main)
