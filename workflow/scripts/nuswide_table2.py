"""The NUS-WIDE study's Table 2: test AUC per concept and mean AUC per representation
(rule tabulate_nuswide_table2)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.nuswide.study import CONCEPT_COLUMNS, auc_table


def main(smk: Any) -> None:
    concepts = read_parquet(smk.input.concepts, CONCEPT_COLUMNS)["concept"].tolist()
    scores = [read_parquet(path, ["representation", "concept", "auc"]) for path in smk.input.scores]
    table = auc_table(scores, concepts)
    write_table(table, smk.output.table, smk.config, smk.config["nuswide"]["seed"])


run_script(snakemake, main)
