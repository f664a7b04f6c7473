"""Resumable training: the full training state saved after every epoch, so that a job killed
halfway (a cluster's time limit, a pre-empted node, Ctrl-C) continues from its last finished epoch
when Snakemake reruns it, and ends with exactly the weights an uninterrupted run would have.

The state file lives beside the job's outputs under a name Snakemake does not know about, so
Snakemake's cleanup of a failed job's outputs leaves it in place. It records a key (the training
config and what identifies the data); a state with another key is from a different job and is
ignored, never resumed from. The file is written atomically, so a kill during the save leaves the
previous epoch's state.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import torch

from crossmodal.io import atomic_path

log = logging.getLogger(__name__)


def load_state(path: str | os.PathLike[str], key: Any) -> dict[str, Any] | None:
    """The state saved at ``path`` under ``key``, or None (nothing saved, unreadable, or saved
    by a run with another key: then training starts from scratch, with a warning)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        saved = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as err:  # an unreadable state is never resumed from
        log.warning("%s: unreadable resume state (%s); training from the start", path, err)
        return None
    if not isinstance(saved, dict) or saved.get("key") != key:
        log.warning("%s: resume state of another run; training from the start", path)
        return None
    log.info("%s: resuming from its saved state", path)
    return saved["state"]


def save_state(path: str | os.PathLike[str], key: Any, state: dict[str, Any]) -> None:
    """Save ``state`` (weights, optimiser, random generators, history) to continue from."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        torch.save({"key": key, "state": state}, tmp)
