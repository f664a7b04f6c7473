"""Fetch one file of config `downloads`, resuming and verifying it (crossmodal.data.download)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.data.download import DownloadSpec, fetch


def main(smk: Any) -> None:
    fetch(DownloadSpec(**smk.params.spec), smk.output.file)


run_script(snakemake, main)
