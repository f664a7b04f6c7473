"""Plain-Python helpers of the Snakemake rules (workflow/rules/common.smk imports them): how a
rule's config values become one parameter, and how config names become wildcard regexes.

They live here, not in the .smk files, so that they are tested like the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any


def settings(**values: Any) -> dict[str, Any] | Callable[[Any], dict[str, Any]]:
    """A rule's config values as ONE named mapping, for ``params: settings=settings(...)``.

    Snakemake's params rerun trigger compares the *set* of a job's parameter values, without
    their names: with separate scalar params, a value changed to one another param already has
    (window 5 -> 3 while min_count is 3) or two params swapping values would go unnoticed. A
    mapping is recorded with its keys, so any change reruns the job. Values may be ``lookup``
    results or input functions of wildcards; then the mapping is resolved per job.
    """
    if not any(callable(value) for value in values.values()):
        return values

    def resolve(wildcards: Any) -> dict[str, Any]:
        return {
            name: value(wildcards) if callable(value) else value for name, value in values.items()
        }

    return resolve


def one_of(names: Iterable[str]) -> str:
    """Wildcard regex matching exactly ``names`` (never matches if there are none), so that a
    wildcard whose values are config names accepts only configured ones."""
    unique = list(dict.fromkeys(names))
    return "(" + "|".join(map(re.escape, unique)) + ")" if unique else "(?!)"


def shard_paths(dataset: str, kind: str, shards: int, suffix: str) -> list[str]:
    """The files (``suffix`` ".npy", ".ids.parquet" or ".meta.json") of every shard of feature
    ``kind`` of ``dataset`` cut into ``shards`` jobs, in row order: what a gather rule reads.

    The number of shards is part of each name, so that shard ``i`` of one layout is never taken
    for shard ``i`` of another (they hold different rows).
    """
    if shards < 1:
        raise ValueError(f"datasets.{dataset}.shards: {shards}, expected at least 1")
    base = f"results/features/{dataset}/shards/{kind}"
    return [f"{base}/{shard}-of-{shards}{suffix}" for shard in range(shards)]
