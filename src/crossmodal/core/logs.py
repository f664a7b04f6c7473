"""Logging set-up shared by the workflow scripts.

Snakemake gives each job a ``log:`` file; scripts send their logging (and tqdm progress) there so
that a cluster job's log tells what it did. Bad input is reported as one line, not a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from tqdm import tqdm

from crossmodal.core.errors import InputError, UnreadableFile

log = logging.getLogger("crossmodal.progress")

Item = TypeVar("Item")


class _LogStream:
    """A file-like sink for tqdm that sends each progress line to the log (a cluster job's stderr
    is rarely read; its log file is)."""

    def write(self, text: str) -> int:
        line = text.strip("\r\n ")
        if line:
            log.info(line)
        return len(text)

    def flush(self) -> None:
        """Nothing is buffered."""


def progress_bar(**options: Any) -> tqdm:
    """A tqdm bar (``options`` as for tqdm) that writes a line to the log every 10 s and at the
    end, instead of redrawing a terminal line nobody sees."""
    return tqdm(file=_LogStream(), mininterval=10.0, **options)


def progress(iterable: Iterable[Item], total: int | None, desc: str) -> Iterator[Item]:
    """``iterable`` with a progress line in the log every 10 s (and at the end); ``total`` None
    when the length is not known in advance (a count without a percentage)."""
    return iter(progress_bar(iterable=iterable, total=total, desc=desc))


def rebuild_hint(err: InputError) -> str:
    """How to get past an unreadable file the workflow itself wrote (under results/): Snakemake
    trusts an existing output, so every rerun would fail on it the same way until it is
    forced to rebuild it (``--forcerun`` takes files as well as rules)."""
    if not isinstance(err, UnreadableFile):
        return ""
    path = os.path.relpath(err.path)
    if path.split(os.sep)[0] != "results":
        return ""
    return f"; an earlier job of this workflow wrote it: rebuild it with --forcerun {path}"


def run_script(snakemake: Any, main: Callable[[Any], None]) -> None:
    """Run ``main(snakemake)`` with logging sent to the job's log file.

    An :class:`InputError` is written as a single ``error:`` line to the log and to stderr and
    ends the job with status 1, so Snakemake reports the rule as failed and shows the message
    (with :func:`rebuild_hint` for a corrupt intermediate).
    """
    log_path = snakemake.log[0] if len(snakemake.log) else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        handlers=handlers,
        force=True,
    )
    try:
        main(snakemake)
    except InputError as err:
        logging.getLogger("crossmodal").error("error: %s%s", err, rebuild_hint(err))
        raise SystemExit(1) from None
