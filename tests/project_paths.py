"""Where the tests find the project and the data shared beside it, computed once here rather
than by counting ``Path(__file__).parents`` in every test module (which breaks silently when a
module moves one folder deeper)."""

from __future__ import annotations

from pathlib import Path

#: The project's root: Snakefile, config/, workflow/.
PROJECT = Path(__file__).resolve().parents[1]
#: ../shared beside the project: real benchmark files too big or too foreign to ship in it.
SHARED = PROJECT.parent / "shared"
