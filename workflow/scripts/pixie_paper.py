"""The PIXIE paper's published values of Tables 2, 3 and 6 beside ours, same benchmark, setting
and model (rule tabulate_pixie_paper)."""

from typing import Any

import pandas as pd

from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.pixie.published import beside_paper, read_published


def main(smk: Any) -> None:
    table6 = pd.read_csv(smk.input.table6) if smk.params.flickr30k else None
    table = beside_paper(
        read_published(), pd.read_csv(smk.input.table2), pd.read_csv(smk.input.table3), table6
    )
    write_table(table, smk.output.table, smk.config, smk.config["pixie"]["model"]["seed"])


run_script(snakemake, main)
