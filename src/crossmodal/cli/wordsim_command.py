"""``crossmodal wordsim``: Spearman rho of word vectors on benchmark files, with coverage, by the
workflow's code (:mod:`crossmodal.api.word_similarity`), printed as a table and written as CSV
if asked."""

from __future__ import annotations

import argparse
import sys

from crossmodal.api.word_similarity import evaluate_word_similarity, read_benchmarks
from crossmodal.core.io import atomic_path
from crossmodal.text.vector_files import read_word_vectors


def run_wordsim(args: argparse.Namespace) -> None:
    """Read the benchmarks first (a bad one fails before a large vectors file is read), then
    the vectors; print one row per benchmark and say which repeated pairs were kept."""
    benchmarks = read_benchmarks(args.benchmarks, args.format or ["pairs"])
    vectors = read_word_vectors(args.vectors, args.vectors_format)
    pairs = {name: benchmark.pairs for name, benchmark in benchmarks.items()}
    table = evaluate_word_similarity(vectors, pairs, args.similarity)
    for name, benchmark in benchmarks.items():
        if benchmark.duplicates:
            print(
                f"note: {name}: {len(benchmark.duplicates)} repeated pair(s) kept, first "
                f"{benchmark.duplicates[0]}",
                file=sys.stderr,
            )
    if args.csv:
        with atomic_path(args.csv) as tmp:
            table.to_csv(tmp, index=False)
    shown = table.assign(
        rho=table["rho"].map(lambda rho: f"{rho:.4f}"),
        coverage=table["coverage"].map(lambda share: f"{share:.1%}"),
    )
    print(f"{vectors.source}: {len(vectors):,} words x {vectors.dim} ({args.similarity})")
    print(shown.to_string(index=False))
