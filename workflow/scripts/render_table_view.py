"""A final table as an HTML page the report shows inline, with the CSV embedded for download
(rule render_table_view)."""

from typing import Any

from crossmodal.core.io import write_text
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import read_table
from crossmodal.report.table_view import table_html


def main(smk: Any) -> None:
    table = read_table(smk.input.table)
    write_text(table_html(table, smk.input.table, smk.params.title), smk.output.html)


run_script(snakemake, main)
