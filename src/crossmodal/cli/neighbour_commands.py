"""``crossmodal mnno`` and ``crossmodal neighbours``: the neighbour measures of
:mod:`crossmodal.api.neighbourhoods` on feature files, with their results printed or written
atomically."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from crossmodal.api.neighbourhoods import (
    knn,
    neighbour_table,
    overlaps,
    read_pair,
    read_vectors,
)
from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path, write_parquet
from crossmodal.data.feature_files import Remedies

#: How the reader's messages name its options on this command line.
FLAG_REMEDIES = Remedies(
    header="pass --header", no_labels="pass --no-labels", labels="drop --no-labels"
)


def table_format(path: str) -> str:
    """``csv`` or ``parquet``, as the suffix of an output's name says; checked before the
    search, so that a misnamed output fails at once rather than after minutes of work."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("csv", "parquet"):
        raise InputError(f"{path}: expected a .csv or .parquet file name")
    return suffix


def write_table(table: pd.DataFrame, path: str) -> None:
    """``table`` as CSV or Parquet (:func:`table_format`), atomically."""
    if table_format(path) == "parquet":
        write_parquet(table, path)
        return
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False)


def run_mnno(args: argparse.Namespace) -> None:
    """Pair A and B, compare their neighbour lists, print mNNO and its chance level (or JSON),
    and write the per-item overlaps if asked."""
    if args.per_item:
        table_format(args.per_item)
    pair = read_pair(
        args.a,
        args.b,
        (args.ids_a, args.ids_b),
        not args.no_labels,
        args.header,
        args.pair,
        FLAG_REMEDIES,
    )
    result = overlaps(
        pair.first, pair.second, args.k, args.metric, args.include_self, (args.a, args.b)
    )
    if args.per_item:
        table = pd.DataFrame({"row": range(len(result.counts)), "overlap": result.counts})
        table["share"] = table["overlap"] / args.k
        if pair.labels is not None:
            table.insert(1, "item", pair.labels)
        write_table(table, args.per_item)
    summary = {
        "mnno": result.mnno,
        "chance": result.chance,
        "k": args.k,
        "metric": args.metric,
        "include_self": args.include_self,
        "items": len(result.counts),
        "paired_on": pair.paired_on,
        "unmatched": {"A": pair.unmatched[0], "B": pair.unmatched[1]},
    }
    if args.json:
        print(json.dumps(summary))
        return
    unmatched = ""
    if pair.paired_on == "labels" and any(pair.unmatched):
        unmatched = f"; unmatched rows: A {pair.unmatched[0]:,}, B {pair.unmatched[1]:,}"
    chance = "(1+(K-1)^2/(N-1))/K" if args.include_self else "K/(N-1)"
    print(
        f"mNNO@{args.k} = {result.mnno:.4f}   ({args.metric}, {len(result.counts):,} items "
        f"paired on {pair.paired_on}{unmatched})\n"
        f"chance = {result.chance:.4f}   ({chance})"
    )
    if args.per_item:
        print(f"per-item overlaps -> {args.per_item}")


def run_neighbours(args: argparse.Namespace) -> None:
    """The K nearest other rows of every row of A, written as a table."""
    table_format(args.out)
    matrix, labels = read_vectors(args.a, args.ids, not args.no_labels, args.header, FLAG_REMEDIES)
    lists = knn(matrix, args.k, args.metric, args.include_self, args.a)
    write_table(neighbour_table(matrix, lists, labels, args.metric), args.out)
    print(f"{len(lists):,} x {args.k} neighbours ({args.metric}) -> {args.out}")
