"""The ``crossmodal`` command (also ``python -m crossmodal``), for people and tools outside the
workflow. One subcommand so far:

    crossmodal export results/words/tuxpaint/cnn_efficientnetlite0_pool vectors.csv
    crossmodal export results/text/demo/sgns_d100 vectors.txt --format word2vec

``export`` writes a stored matrix (NPY + Parquet index, see DESIGN.md) as CSV with the label
column first or in the word2vec text format (crossmodal.core.export).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crossmodal.core.errors import InputError
from crossmodal.core.export import export_matrix


def parser() -> argparse.ArgumentParser:
    """The command line: ``crossmodal export SOURCE OUTPUT [--format csv|word2vec]``."""
    main_parser = argparse.ArgumentParser(prog="crossmodal", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export",
        help="write a feature or word-vector matrix as CSV or word2vec text",
        description="Write results/<stage>/<...>/<name>.npy and the index beside it "
        "(.words/.vocab/.ids.parquet) as CSV (label column first) or word2vec text.",
    )
    export.add_argument("source", help="the matrix: its .npy file, or its path without suffix")
    export.add_argument("output", help="file to write (.csv: CSV; .txt or .vec: word2vec)")
    export.add_argument(
        "--format", choices=("csv", "word2vec"), help="override the format the suffix implies"
    )
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; bad input is one ``error:`` line on stderr and exit status 1."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        export_matrix(args.source, args.output, args.format)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
