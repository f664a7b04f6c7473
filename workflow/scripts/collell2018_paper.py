"""The paper's published Table 1 and Table 2 beside ours (rule tabulate_collell2018_paper)."""

from typing import Any

from crossmodal.collell2018.published import table1_beside, table2_beside
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table, write_table


def main(smk: Any) -> None:
    seed = smk.config["collell2018"]["training"]["seed"]
    table1 = table1_beside(read_table(smk.input.table1), smk.input.table1)
    write_table(table1, smk.output.table1, smk.config, seed)
    table2 = table2_beside(read_table(smk.input.table2), smk.input.table2)
    write_table(table2, smk.output.table2, smk.config, seed)


run_script(snakemake, main)
