"""Fetch one file of config `downloads`, resuming and verifying it (crossmodal.download)."""

from typing import Any

from crossmodal.download import DownloadSpec, fetch
from crossmodal.logs import run_script


def main(smk: Any) -> None:
    fetch(DownloadSpec(**smk.params.spec), smk.output.file)


run_script(snakemake, main)
