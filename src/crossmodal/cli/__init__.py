"""The ``crossmodal`` command (also ``python -m crossmodal``): the measures of the workflow on
files of one's own, and export of the workflow's stored matrices.

    crossmodal mnno image.npy text.npy -k 10 --per-item overlaps.csv
    crossmodal neighbours vectors.csv -k 5 --out nn.parquet
    crossmodal wordsim glove.6B.300d.txt SimLex-999.txt MEN.txt -f simlex -f men
    crossmodal export results/text/demo/sgns_d100 vectors.txt --format word2vec

Exit status 0 when done, 1 for bad input (one ``error:`` line on stderr, the InputError message
the workflow's readers give), 2 for a usage error (argparse's message).
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence

from crossmodal.cli.arguments import parser
from crossmodal.core.errors import InputError

# Where each command runs: imported only when it runs, because the measures import numpy,
# pandas and (the neighbour search) torch and faiss, which `crossmodal --help` and a usage
# error should not wait for (about 3 s here).
RUNNERS: dict[str, str] = {
    "mnno": "crossmodal.cli.neighbour_commands:run_mnno",
    "neighbours": "crossmodal.cli.neighbour_commands:run_neighbours",
    "wordsim": "crossmodal.cli.wordsim_command:run_wordsim",
    "export": "crossmodal.cli.export_command:run_export",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; bad input is one ``error:`` line on stderr and exit status 1."""
    args = parser().parse_args(argv)
    # The package's progress lines on stderr; other libraries' (faiss says how it loaded) only
    # when they warn.
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    logging.getLogger("crossmodal").setLevel(logging.INFO)
    module, function = RUNNERS[args.command].split(":")
    try:
        getattr(importlib.import_module(module), function)(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
