"""Where the tests find the project and the data shared beside it, computed once here rather
than by counting ``Path(__file__).parents`` in every test module (which breaks silently when a
module moves one folder deeper)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

#: The project's root: Snakefile, config/, workflow/.
PROJECT = Path(__file__).resolve().parents[1]
#: ../shared beside the project: real benchmark files too big or too foreign to ship in it.
SHARED = PROJECT.parent / "shared"
#: The Tux Paint stamps of Debian's tuxpaint-stamps-default: the demo's real images.
STAMPS = Path("/usr/share/tuxpaint/stamps")


def linked_stamps(root: Path, folders: Iterable[str]) -> Path:
    """A stamps folder under ``root`` holding only ``folders`` of the real stamps (symbolic
    links, so a workflow test runs on a few dozen images); the test is skipped without them."""
    if not STAMPS.is_dir():
        pytest.skip("Debian package tuxpaint-stamps-default is not installed")
    stamps = root / "stamps"
    for folder in folders:
        (stamps / folder).parent.mkdir(parents=True, exist_ok=True)
        (stamps / folder).symlink_to(STAMPS / folder)
    return stamps
