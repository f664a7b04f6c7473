"""One exception type for bad input, so that the workflow can print it as a single clear line.

Every message names the file, key or word at fault and says what was expected; scripts let it
propagate and :func:`crossmodal.core.logs.run_script` turns it into a one-line error and exit
status 1.
"""

import os
from collections.abc import Mapping


class InputError(ValueError):
    """Raised when an input (file, config value, word) is missing or not what a stage expects."""


class UnreadableFile(InputError):
    """A file that exists but cannot be read as its format: truncated, or another format under
    its name. ``path`` is kept so that :func:`crossmodal.core.logs.run_script` can say how to
    rebuild it when the workflow wrote it (a corrupt intermediate fails every rerun the same
    way until it is rebuilt)."""

    def __init__(self, path: str | os.PathLike[str], what: str, reason: object) -> None:
        super().__init__(f"{path}: not a readable {what} ({reason})")
        self.path = os.fspath(path)


def check_fields(owner: str, settings: object, checks: Mapping[str, bool]) -> None:
    """Refuse a settings object whose fields fail their ``checks`` (field -> passed), naming
    every failed field with its value in one line, e.g. ``mapping config: invalid lr=0``."""
    bad = [key for key, ok in checks.items() if not ok]
    if bad:
        values = ", ".join(f"{key}={getattr(settings, key)!r}" for key in bad)
        raise InputError(f"{owner}: invalid {values}")
