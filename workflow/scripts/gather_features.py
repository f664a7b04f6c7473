"""One feature matrix and its ids from the shards that computed its rows (rules gather_bovw and
gather_cnn; CNN shards' .meta.json sidecars become one)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.features.shards import gather_features


def main(smk: Any) -> None:
    gather_features(
        smk.input.matrices,
        smk.input.ids,
        smk.output.matrix,
        smk.output.ids,
        smk.input.get("meta"),
        smk.output.get("meta"),
    )


run_script(snakemake, main)
