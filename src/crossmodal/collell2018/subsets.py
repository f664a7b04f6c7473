"""Whether the evaluation subsets of a Collell & Moens dataset are large enough for the measures
asked of them, checked as early as the sizes are known.

Within a subset of n items, mNNO^K needs K <= n - 2: with K = n - 1 every item's neighbours
are all the other items, in every space, and the overlap is 1 whatever the vectors (with
``include_self`` the item is its own first neighbour and K - 1 others follow, so K <= n - 1
is needed). P@K over n
candidate targets needs K <= n - 1: with K >= n every target is in the first K. Such settings
gave Table 1 a column of 1.0000 +- 0; they are refused, naming the smallest subset and the keys
to change. Both the test and the training subsets are evaluated, so both are checked.

When: at parse time for bring-your-own feature files (their row counts read cheaply, an upper
bound, so that a refusal is always right); by the pairing job, before any training, with the
exact subsets (a words dataset's items are known only once its vectors are joined); and by the
evaluation job, whose ``k`` may have changed since the pairing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from crossmodal.collell2018.degenerate import DROPPED
from crossmodal.collell2018.layout import analysed
from crossmodal.core.errors import InputError
from crossmodal.data.feature_files import count_rows

# (smallest test subset, smallest training subset, how they arise, the key that sets them)
Sizes = tuple[int, int, str, str]


def smallest_subsets(fold: np.ndarray) -> tuple[int, int]:
    """Sizes of the smallest test and the smallest training subset over the evaluation folds
    of an item table's ``fold`` column (items left out, fold -2, are in neither)."""
    fold = np.asarray(fold)
    used = fold != DROPPED
    tests = [int((fold == f).sum()) for f in range(int(fold.max()) + 1)]
    trains = [int((used & (fold != f)).sum()) for f in range(int(fold.max()) + 1)]
    return min(tests, default=0), min(trains, default=0)


def split_origin(dataset: str, spec: Mapping[str, Any], items: int) -> tuple[str, str]:
    """How a dataset's subsets arise from ``items`` paired items, and the key that sets them."""
    key = f"collell2018.datasets.{dataset}"
    if spec.get("split_file"):
        return f"split_file {spec['split_file']}", f"{key}.split_file"
    if spec.get("folds"):
        return f"folds: {spec['folds']} on {items} items", f"{key}.folds"
    if spec.get("test_fraction"):
        return f"test_fraction: {spec['test_fraction']} of {items} items", f"{key}.test_fraction"
    return f"its train and test files, {items} items", f"the train/test files of {key}"


def smallest_for_k(evaluation: Mapping[str, Any]) -> tuple[int, str]:
    """The fewest items of a subset on which mNNO^k is not trivially 1, and how it follows
    from k: k + 2, or k + 1 when each item is its own first neighbour (``include_self``)."""
    if evaluation.get("include_self", False):
        return evaluation["k"] + 1, "k + 1 (include_self)"
    return evaluation["k"] + 2, "k + 2"


def check_subsets(dataset: str, sizes: Sizes, evaluation: Mapping[str, Any]) -> None:
    """Refuse ``evaluation`` settings (k, precision_at) that make a measure trivially 1 on the
    smallest subsets ``sizes`` of ``dataset``."""
    test, train, origin, key = sizes
    k, largest = evaluation["k"], max(evaluation["precision_at"], default=0)
    need, rule = smallest_for_k(evaluation)
    for subset, n in (("test", test), ("training", train)):
        where = f"dataset {dataset}, whose smallest {subset} subset has {n} items ({origin})"
        if n < need:
            raise InputError(
                f"collell2018.evaluation.k: {k} makes mNNO trivially 1 on {where}: k neighbours "
                f"need at least {rule} = {need} items; lower the key or change {key}"
            )
        if largest >= n:
            raise InputError(
                f"collell2018.evaluation.precision_at: P@{largest} is trivially 1 on {where}: "
                f"every value must be below {n}; lower it or change {key}"
            )


def _test_rows(path: str) -> int | None:
    """Test rows of a split file, read at parse time (None if it cannot be read: the pairing
    job says why)."""
    try:
        table = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, dtype=str)
        return int((table["split"].astype(str).str.strip().str.lower() == "test").sum())
    except (OSError, ValueError, KeyError):  # pandas' and pyarrow's read errors included
        return None


def _planned(dataset: str, entry: Mapping[str, Any], need: int) -> Iterator[Sizes]:
    """Upper bounds of the smallest subsets of a features dataset, per modality file, from
    row counts (:func:`crossmodal.data.feature_files.count_rows`). A count stops where the
    subsets are sure to reach ``need`` items, so a large file costs a few lines' reading."""

    def rows(path: str, enough: int) -> int | None:
        return count_rows(path, entry["header"], enough)

    for modality in ("visual", "text"):
        for files in entry[modality].values():
            if "file" not in files:
                test, train = rows(files["test"], need), rows(files["train"], need)
                if test is not None and train is not None:
                    yield test, train, *split_origin(dataset, entry, test + train)
                continue
            if entry.get("split_file"):
                test = _test_rows(entry["split_file"])
                n = None if test is None else rows(files["file"], test + need)
                if test is not None and n is not None:
                    yield test, n - test, *split_origin(dataset, entry, n)
            elif entry.get("folds"):
                folds = entry["folds"]
                n = rows(files["file"], need * folds)
                if n is not None:
                    yield n // folds, n - math.ceil(n / folds), *split_origin(dataset, entry, n)
            elif entry.get("test_fraction"):
                share = entry["test_fraction"]
                n = rows(files["file"], math.ceil((need + 1) / min(share, 1 - share)))
                if n is not None:
                    test = round(n * share)
                    yield test, n - test, *split_origin(dataset, entry, n)


def check_planned_subsets(section: Mapping[str, Any]) -> None:
    """At parse time: refuse evaluation settings that would be trivially 1 on an analysed
    features dataset, from its files' row counts (config ``collell2018:``, defaults filled)."""
    evaluation = section["evaluation"]
    # the smallest subset on which neither mNNO^k nor any P@K is trivially 1
    need = max(smallest_for_k(evaluation)[0], max(evaluation["precision_at"], default=0) + 1)
    for dataset in analysed(section):
        entry = section["datasets"][dataset]
        if entry["source"] == "features":
            for sizes in _planned(dataset, entry, need):
                check_subsets(dataset, sizes, evaluation)
