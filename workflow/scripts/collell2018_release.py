"""Stop with instructions when one of Collell & Moens' released feature files is missing
(rule require_collell2018_release): they are only linked from the paper's web page."""

from typing import Any

from crossmodal.core.errors import InputError
from crossmodal.core.logs import run_script


def main(smk: Any) -> None:
    raise InputError(
        f"{smk.output.file}: not present. Collell & Moens (2018) release this feature file "
        f"through {smk.params.page}; download it there, check it, and place it at this path"
    )


run_script(snakemake, main)
