"""A word-similarity benchmark as a table word1, word2, score (rule build_benchmark)."""

import logging
from typing import Any

from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.wordsim import parse_benchmark, read_benchmark_text


def main(smk: Any) -> None:
    log = logging.getLogger("crossmodal")
    text, name = read_benchmark_text(
        smk.params.settings["source"],
        smk.params.settings["file"],
        getattr(smk.input, "pairs", None),
    )
    benchmark = parse_benchmark(
        text, smk.params.settings["format"], name, smk.params.settings["duplicates"]
    )
    for note in benchmark.duplicates:
        log.warning("repeated pair kept: %s", note)
    write_parquet(benchmark.pairs, smk.output.pairs)
    log.info(
        "%s: %d pairs (%d repeated) -> %s",
        name,
        len(benchmark.pairs),
        len(benchmark.duplicates),
        smk.output.pairs,
    )


run_script(snakemake, main)
