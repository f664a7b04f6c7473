"""Training of one Collell & Moens mapping on every evaluation fold (rule
train_collell2018_mapping).

Each fold's mapping is trained on that fold's training items, with hyperparameters chosen by
inner cross-validation on the same items (:func:`crossmodal.collell2018.selection.select`), and
its weights are kept after every epoch for the evaluation. The folds share one job: each would
otherwise pay the seconds of starting Python and torch, more than the demo's training of a fold
takes. Each fold's training state is saved after every epoch beside the output
(``<checkpoints>.fold<k>.resume``), so that a killed job does not retrain the epochs it
finished (the inner cross-validation, which is quick, is repeated).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from crossmodal.collell2018.pairs import PairedSet
from crossmodal.collell2018.selection import select
from crossmodal.core.io import write_parquet
from crossmodal.models.mapping import (
    Checkpoints,
    MappingConfig,
    save_checkpoints,
    snapshot,
    train_mapping,
)

log = logging.getLogger(__name__)


def train_all_folds(
    paired: PairedSet,
    direction: str,
    settings: Mapping[str, Any],
    device: torch.device,
    checkpoints: str | os.PathLike[str],
    selection: str | os.PathLike[str],
) -> None:
    """Train the mapping ``settings["mapping"]`` (a :class:`MappingConfig` as a mapping) in
    ``direction`` on every fold of ``paired``, choosing over ``settings["grid"]`` with
    ``settings["inner_folds"]`` inner folds; write every fold's per-epoch weights to
    ``checkpoints`` and every candidate's inner-CV score to ``selection``, then remove the
    per-fold resume files."""
    x, y = paired.direction(direction)
    base = MappingConfig(**settings["mapping"])
    folds, selections, resumes = [], [], []
    for fold in range(paired.n_folds):
        train, _ = paired.split(fold)
        config, scores = select(
            x[train], y[train], base, settings["grid"], settings["inner_folds"], base.seed, device
        )
        selections.append(scores.assign(fold=fold))
        log.info("fold %d: training %s on %d items (%s)", fold, config, train.sum(), device)
        states: list[dict[str, torch.Tensor]] = []
        resumes.append(Path(checkpoints).with_suffix(f".fold{fold}.resume"))
        train_mapping(
            x[train],
            y[train],
            config,
            device,
            lambda _, model, states=states: states.append(snapshot(model)),
            resume=resumes[-1],
        )
        folds.append(Checkpoints(config, x.shape[1], y.shape[1], states, f"fold {fold}"))
    write_parquet(pd.concat(selections, ignore_index=True), selection)
    save_checkpoints(folds, checkpoints)
    for resume in resumes:
        resume.unlink()
