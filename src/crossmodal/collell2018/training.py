"""Training of one Collell & Moens mapping on every evaluation fold (rule
train_collell2018_mapping).

Each fold's mapping is trained on that fold's training items, with hyperparameters - the number
of epochs among them - chosen by inner cross-validation on the same items
(:func:`crossmodal.collell2018.selection.select`). On a fixed train/test split the chosen
mapping is trained ``runs`` times with seeds ``seed``, ``seed + 1``, ... (initial weights and
batch order), as the paper reports the mean of 5 runs with different initialisations on IAPR
TC-12 and Wiki; K-fold cross-validation trains one per fold. Every mapping is trained up to the
largest candidate epoch count and its weights kept after every epoch: the evaluation reads the
chosen epoch for the tables and every epoch for the mNNO-vs-epochs curves.

The folds share one job: each would otherwise pay the seconds of starting Python and torch,
more than the demo's training of a fold takes. Each training's state is saved after every epoch
beside the output (``<checkpoints>.fold<k>.run<r>.resume``), so that a killed job does not
retrain the epochs it finished (the inner cross-validation, which is quick, is repeated).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from torch import nn

from crossmodal.collell2018.pairs import PairedSet, class_membership
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


def _keep(states: list[dict[str, torch.Tensor]], _epoch: int, model: nn.Module) -> None:
    """Keep a copy of the weights after each epoch (train_mapping's ``on_epoch``)."""
    states.append(snapshot(model))


def runs_of(paired: PairedSet, runs: int) -> int:
    """Trainings per evaluation fold: ``runs`` on a fixed split, one per fold of K-fold
    cross-validation (the folds already give the spread)."""
    return runs if paired.fixed_split else 1


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
    ``settings["inner_folds"]`` inner folds, ``settings["runs"]`` times per fold on a fixed split
    (:func:`runs_of`); write every training's per-epoch weights to ``checkpoints`` and every
    candidate's inner-CV score to ``selection``, then remove the resume files."""
    x, y = paired.direction(direction)
    base = MappingConfig(**settings["mapping"])
    classes = class_membership(paired.items["label"]) if base.loss == "max_margin" else None
    curve = max(settings["grid"].get("epochs", [base.epochs]))
    units, selections, resumes = [], [], []
    for fold in range(paired.n_folds):
        train, _ = paired.split(fold)
        fold_classes = None if classes is None else classes[train]
        config, scores = select(
            x[train],
            y[train],
            base,
            settings["grid"],
            settings["inner_folds"],
            base.seed,
            device,
            fold_classes,
        )
        selections.append(scores.assign(fold=fold))
        for run in range(runs_of(paired, settings["runs"])):
            chosen = replace(config, seed=base.seed + run)
            log.info("fold %d run %d: training %s on %d items", fold, run, chosen, train.sum())
            states: list[dict[str, torch.Tensor]] = []
            resumes.append(Path(checkpoints).with_suffix(f".fold{fold}.run{run}.resume"))
            train_mapping(
                x[train],
                y[train],
                replace(chosen, epochs=max(curve, chosen.epochs)),
                device,
                partial(_keep, states),
                resume=resumes[-1],
                classes=fold_classes,
            )
            source = f"fold {fold}, run {run}"
            units.append(Checkpoints(chosen, x.shape[1], y.shape[1], states, source, fold, run))
    write_parquet(pd.concat(selections, ignore_index=True), selection)
    save_checkpoints(units, checkpoints)
    for resume in resumes:
        resume.unlink()
