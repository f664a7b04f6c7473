"""The supplement's per-setting tables: every mapping variant with both neighbour measures, the
loss and depth comparisons, and the hyperparameters chosen per fold
(rule tabulate_collell2018_supplement)."""

from typing import Any

from crossmodal.collell2018.supplement import supplement_tables
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table


def main(smk: Any) -> None:
    tables = supplement_tables(
        smk.input.metrics,
        smk.params.mappings,
        smk.input.selection,
        smk.params.selection_settings,
    )
    seed = smk.config["collell2018"]["training"]["seed"]
    for name, table in tables.items():
        write_table(table, smk.output[name], smk.config, seed)


run_script(snakemake, main)
