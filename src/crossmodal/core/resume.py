"""Resumable training: the full training state saved after every epoch, so that a job killed
halfway (a cluster's time limit, a pre-empted node, Ctrl-C) continues from its last finished epoch
when Snakemake reruns it, and ends with exactly the weights an uninterrupted run would have.

Every trainer (mappings, autoencoders, the tag model, PIXIE, retrieval) uses :class:`TrainingState`
and keys it with :func:`data_digest` of what it trains on. The state file lives beside the job's
outputs under a name Snakemake does not know about, so Snakemake's cleanup of a failed job's
outputs leaves it in place. It records a key (the training config and what identifies the data);
a state with another key is from a different job and is ignored, never resumed from. The file is
written atomically, so a kill during the save leaves the previous epoch's state.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from crossmodal.core.io import atomic_path

log = logging.getLogger(__name__)

TORCH_RNG = "torch_rng"
"""The part name under which :class:`TrainingState` keeps torch's global random generator."""


def data_digest(*parts: np.ndarray | str) -> str:
    """SHA-256 of training data: each array's shape and float32 values (integer and boolean
    arrays by their own bytes), each string as UTF-8. A resume state keyed with it is only
    used for the same data."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            digest.update(part.encode())
            continue
        array = np.asarray(part)
        digest.update(repr(array.shape).encode())
        if array.dtype.kind == "f":
            array = array.astype(np.float32, copy=False)
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


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


def _get(part: Any) -> Any:
    if isinstance(part, torch.Generator):
        return part.get_state()
    if isinstance(part, np.random.Generator):
        return part.bit_generator.state
    return part.state_dict()


def _set(part: Any, state: Any) -> None:
    if isinstance(part, torch.Generator):
        part.set_state(state)
    elif isinstance(part, np.random.Generator):
        part.bit_generator.state = state
    else:
        part.load_state_dict(state)


class TrainingState:
    """The state of one epoch loop, saved after every epoch and restored by a rerun.

    ``parts`` are the loop's stateful objects by name: modules and optimisers (``state_dict``),
    torch and NumPy generators; with ``torch_rng`` torch's global generator too (dropout and
    ``torch.randperm`` without a generator draw from it). Without a ``path`` nothing is saved
    and :meth:`restore` starts fresh, so a trainer has one code path with or without resuming.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        key: Mapping[str, Any],
        parts: Mapping[str, Any],
        torch_rng: bool = False,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.key = dict(key)
        self.parts = dict(parts)
        self.torch_rng = torch_rng

    def restore(self) -> dict[str, Any]:
        """Load a matching saved state into the parts and return its extras (the history the
        trainer saved beside them); an empty dict when training starts from the beginning."""
        saved = load_state(self.path, self.key) if self.path is not None else None
        if saved is None:
            return {}
        for name, part in self.parts.items():
            _set(part, saved["parts"][name])
        if self.torch_rng:
            torch.set_rng_state(saved["parts"][TORCH_RNG])
        return dict(saved["extras"])

    def save(self, **extras: Any) -> None:
        """After an epoch: save every part and ``extras`` (per-epoch losses, weights, counts)."""
        if self.path is None:
            return
        parts = {name: _get(part) for name, part in self.parts.items()}
        if self.torch_rng:
            parts[TORCH_RNG] = torch.get_rng_state()
        save_state(self.path, self.key, {"parts": parts, "extras": extras})
