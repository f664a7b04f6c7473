"""The NUS-WIDE study's Table 2: test AUC per concept and mean AUC per representation
(rule tabulate_nuswide_table2)."""

from typing import Any

from crossmodal.io import read_parquet
from crossmodal.logs import run_script
from crossmodal.nuswide import CONCEPT_COLUMNS, table2
from crossmodal.provenance import write_table


def main(smk: Any) -> None:
    concepts = read_parquet(smk.input.concepts, CONCEPT_COLUMNS)["concept"].tolist()
    scores = [read_parquet(path, ["representation", "concept", "auc"]) for path in smk.input.scores]
    table = table2(scores, concepts)
    write_table(table, smk.output.table, smk.config, smk.config["nuswide"]["seed"])


run_script(snakemake, main)
