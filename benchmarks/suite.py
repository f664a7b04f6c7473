"""The common shape of a benchmark: a hot path of crossmodal, the peers it is compared with, and
how to tell that both computed the same thing.

A hot path prepares its input once in a work folder; then ours and each peer run in their own
process (benchmarks/run.py), so that each side's peak RSS is its own and no side inherits
another's warm caches or thread pools. A method times itself (returning seconds and a result)
because what counts differs: best of three runs for short fits, training alone without the
vocabulary scan, and so on. The runner compares the results with ``check``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Timed = tuple[float, Any]


@dataclass(frozen=True)
class Method:
    """One implementation: ``run(folder)`` reads the prepared input and returns (seconds, result).
    ``target``: the least acceptable speed-up of ours over this peer (peer seconds / ours), if the
    issue sets one."""

    name: str
    run: Callable[[Path], Timed]
    target: float | None = None


@dataclass(frozen=True)
class HotPath:
    """``check(ours, peer, folder)`` returns (same result?, one line saying what was compared)."""

    name: str
    data: str
    prepare: Callable[[Path], None]
    ours: Method
    peers: tuple[Method, ...]
    check: Callable[[Any, Any, Path], tuple[bool, str]]
    notes: dict[str, str] = field(default_factory=dict)


def timed(function: Callable[..., Any], *args: Any) -> Timed:
    """Wall time of one call, and its value."""
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def best_of(repeats: int, function: Callable[..., Any], *args: Any) -> Timed:
    """Best wall time of ``repeats`` calls (the machine is shared), and the last value."""
    runs = [timed(function, *args) for _ in range(repeats)]
    return min(seconds for seconds, _ in runs), runs[-1][1]
