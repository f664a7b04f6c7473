"""Where a final table came from: every row of every results/tables CSV carries the SHA-256 of
the run's configuration, the package version and the seed, so that two tables can be compared
(or a number quoted) knowing whether they came from the same settings and code.

The digest is of the whole validated configuration as canonical JSON (sorted keys), read by the
script from the job's ``snakemake.config`` rather than passed as a rule parameter: a parameter
would rerun every table whenever any unrelated key changed. A table that is not rerun therefore
keeps the digest of the configuration that actually produced it. The one key left out is each
dataset's ``shards``: how many jobs computed the features, which never changes a number (the
gathered matrices are byte-identical), so a table must not look different for it either.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from crossmodal import __version__
from crossmodal.core.errors import InputError, UnreadableFile
from crossmodal.core.io import atomic_path

PROVENANCE_COLUMNS: tuple[str, ...] = ("config_sha256", "crossmodal_version", "seed")


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of the configuration as canonical JSON (key order does not matter), without the
    datasets' ``shards``."""
    datasets = config.get("datasets")
    if isinstance(datasets, Mapping):
        placed = {
            name: {k: v for k, v in entry.items() if k != "shards"}
            if isinstance(entry, Mapping)
            else entry
            for name, entry in datasets.items()
        }
        config = {**config, "datasets": placed}
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def write_table(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    config: Mapping[str, Any],
    seed: int | str,
) -> None:
    """Write a final table as CSV (4 decimals), atomically, with the provenance columns last."""
    stamped = table.drop(columns=[c for c in PROVENANCE_COLUMNS if c in table.columns])
    stamped = stamped.assign(
        config_sha256=config_digest(config), crossmodal_version=__version__, seed=seed
    )
    with atomic_path(path) as tmp:
        stamped.to_csv(tmp, index=False, float_format="%.4f")


def read_table(path: str | os.PathLike[str], required: Sequence[str] = ()) -> pd.DataFrame:
    """Read a final CSV table without its provenance columns (for figures drawn from it),
    failing with a message naming the file if it is missing, unreadable or lacks one of the
    ``required`` columns."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: file not found (expected a CSV table)")
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise UnreadableFile(path, "CSV table", err) from err
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; has {', '.join(table.columns)}"
        )
    return table.drop(columns=[c for c in PROVENANCE_COLUMNS if c in table.columns])
