"""The ``crossmodal`` command line: its subcommands, their arguments and their help.

Only argparse is imported here, so that ``crossmodal --help`` and a usage error (exit status 2)
answer at once; what the commands compute is imported when one runs (:mod:`crossmodal.cli`).
The choices are spelled out rather than imported from the modules that define them, for the
same reason; tests/cli/test_cli.py checks that they agree.
"""

from __future__ import annotations

import argparse

METRICS: tuple[str, ...] = ("cosine", "euclidean")
PAIRINGS: tuple[str, ...] = ("auto", "rows", "labels")
BENCHMARK_FORMATS: tuple[str, ...] = (
    "pairs", "pairs_header", "ws353", "simlex", "men", "rg65", "mc30", "mturk287", "simverb",
    "semsim", "vissim",
)  # fmt: skip
VECTOR_FORMATS: tuple[str, ...] = (
    "auto", "npy", "csv", "glove", "word2vec_text", "word2vec_binary",
)  # fmt: skip

DESCRIPTION = """\
The measures of the crossmodal workflow on files of your own, by the workflow's code:
mNNO of two sets of vectors, exact nearest neighbours, word-similarity with coverage, and
export of the workflow's stored matrices. Exit status: 0 done, 1 bad input (one 'error:'
line), 2 usage."""

FEATURE_FILES = """\
Vectors: CSV, one row per item, the first column a label unless --no-labels (Collell &
Moens' released layout), or NPY labelled by its --ids Parquet table (column label, id, word
or image_id) or by the .words/.vocab/.ids.parquet the workflow writes beside it."""

NEIGHBOURS = """\
Neighbours: each row's K nearest OTHER rows of its own set (a row is never its own
neighbour; a duplicate of it is), exact (the order of a float64 search, ties by row);
--include-self gives the lists of Collell's released code: the row first, then K-1 others."""


class _Paragraphs(argparse.HelpFormatter):
    """Wraps each paragraph (blank-line separated) of a description or epilog on its own, so
    that the help keeps its paragraphs at any terminal width."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text  # bound here: a bare super() fails inside a generator
        return "\n\n".join(fill(part, width, indent) for part in text.split("\n\n"))


def _reading(command: argparse.ArgumentParser, sets: tuple[str, ...]) -> None:
    """Options of the feature-file reader, and of the neighbour search."""
    for name in sets:
        command.add_argument(
            f"--ids-{name.lower()}" if len(sets) > 1 else "--ids",
            metavar="PARQUET",
            help=f"Parquet table labelling the rows of {name} when it is an NPY",
        )
    command.add_argument("--no-labels", action="store_true", help="CSV files have no label column")
    command.add_argument(
        "--header", action="store_true", help="CSV files start with a line of column names"
    )
    command.add_argument("-k", type=int, default=10, help="neighbours per row (default 10)")
    command.add_argument(
        "--metric", choices=METRICS, default="cosine", help="how near two rows are (default cosine)"
    )
    command.add_argument(
        "--include-self", action="store_true", help="count each row as its own first neighbour"
    )


def _mnno(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "mnno",
        help="mean nearest neighbour overlap of two sets of vectors",
        description="mNNO^K(A, B) = 1/(KN) sum_i |NN(a_i) & NN(b_i)| over N paired rows "
        "(Collell & Moens, ACL 2018), printed with its chance level K/(N-1).",
        epilog=f"{FEATURE_FILES}\n\nPairing: --pair rows pairs row i with row i (labels, if both "
        "files have them, must then agree); --pair labels pairs equal labels (unique in each "
        "file), in A's order; auto (default): labels when both files have labels that differ "
        f"somewhere, else rows.\n\n{NEIGHBOURS}",
        formatter_class=_Paragraphs,
    )
    command.add_argument("a", metavar="A", help="first set of vectors (.csv or .npy)")
    command.add_argument("b", metavar="B", help="second set of vectors, paired with A")
    _reading(command, ("A", "B"))
    command.add_argument(
        "--pair", choices=PAIRINGS, default="auto", help="how A's and B's rows pair (default auto)"
    )
    command.add_argument(
        "--per-item",
        metavar="FILE",
        help="write each item's overlap (row, item, overlap, share) to a .csv or .parquet file",
    )
    command.add_argument("--json", action="store_true", help="print the result as JSON")


def _neighbours(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "neighbours",
        help="exact K nearest neighbours within one set of vectors",
        description="Each row's K nearest other rows of A, one output row per (row, rank): "
        "row, item, rank, neighbour_row, neighbour, distance (1 - cosine, or Euclidean).",
        epilog=f"{FEATURE_FILES}\n\n{NEIGHBOURS}",
        formatter_class=_Paragraphs,
    )
    command.add_argument("a", metavar="A", help="the vectors (.csv or .npy)")
    _reading(command, ("A",))
    command.add_argument("--out", required=True, help="file to write: .parquet, or .csv for CSV")


def _wordsim(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "wordsim",
        help="Spearman rho of word vectors on word-similarity benchmarks, with coverage",
        description="Spearman rho between human scores and the vectors' similarity over the "
        "pairs both of whose words have a vector (looked up as written, then lower-cased), "
        "beside how many pairs that is: the workflow's word-similarity tables.",
        epilog="Vectors (--vectors-format, default auto): npy (the workflow's NPY with its "
        ".vocab/.words.parquet), csv (label column = the word), glove, word2vec_text, "
        "word2vec_binary; auto goes by the suffix (.npy, .csv, .bin) and, for text, whether "
        "line 1 is a '<count> <dim>' header.\n\nBenchmarks (--format, default pairs: "
        "'word1 word2 score' per line, tab, comma or space separated, no header; pairs_header "
        "for one header line): give --format once for every file, or once per file in order. "
        "A benchmark is named by its file's stem.",
        formatter_class=_Paragraphs,
    )
    command.add_argument("vectors", help="word-vectors file")
    command.add_argument("benchmarks", nargs="+", metavar="BENCHMARK", help="benchmark file")
    command.add_argument(
        "-f",
        "--format",
        action="append",
        choices=BENCHMARK_FORMATS,
        metavar="FORMAT",
        help=f"benchmark layout: {', '.join(BENCHMARK_FORMATS)} (default pairs)",
    )
    command.add_argument(
        "--vectors-format", choices=VECTOR_FORMATS, default="auto", help="(default auto)"
    )
    command.add_argument(
        "--similarity", choices=METRICS, default="cosine", help="of two vectors (default cosine)"
    )
    command.add_argument("--csv", metavar="CSV", help="also write the table as CSV")


def _export(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "export",
        help="write a feature or word-vector matrix as CSV or word2vec text",
        description="Write results/<stage>/<...>/<name>.npy and the index beside it "
        "(.words/.vocab/.ids.parquet) as CSV (label column first) or word2vec text.",
    )
    command.add_argument("source", help="the matrix: its .npy file, or its path without suffix")
    command.add_argument("output", help="file to write (.csv: CSV; .txt or .vec: word2vec)")
    command.add_argument(
        "--format", choices=("csv", "word2vec"), help="override the format the suffix implies"
    )


def parser() -> argparse.ArgumentParser:
    """The command line: ``crossmodal {mnno,neighbours,wordsim,export} ...``."""
    main_parser = argparse.ArgumentParser(
        prog="crossmodal",
        description=DESCRIPTION,
        formatter_class=_Paragraphs,
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_mnno, _neighbours, _wordsim, _export):
        add(commands)
    return main_parser
