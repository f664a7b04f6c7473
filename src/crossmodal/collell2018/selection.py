"""Hyperparameter selection for a mapping by inner K-fold cross-validation on the training part
of one evaluation fold, as in Collell & Moens' supplement (learning rate 0.01 / 0.001 / 0.0001,
hidden units 64 to 1024).

The criterion is the mapping's own loss on the held-out inner fold after the last epoch, averaged
over inner folds: selection must not look at mNNO, the quantity under study, nor at the outer
test items.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import asdict, replace

import numpy as np
import pandas as pd
import torch

from crossmodal.collell2018.pairs import kfold_assignment
from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.models.mapping import MappingConfig, mapping_loss, train_mapping

log = logging.getLogger(__name__)

# Fields a linear map does not have: grid values for them give the same lin candidate.
_NN_ONLY = ("hidden", "hidden_layers", "dropout", "activation")


def candidates(base: MappingConfig, grid: dict[str, list]) -> list[MappingConfig]:
    """Every combination of ``grid`` values applied to ``base``, without duplicates (a linear
    map ignores the nn-only fields)."""
    unknown = sorted(set(grid) - set(asdict(base)))
    if unknown:
        raise InputError(f"selection grid: unknown hyperparameter(s) {', '.join(unknown)}")
    keys = [k for k in grid if not (base.model == "lin" and k in _NN_ONLY)]
    configs: list[MappingConfig] = []
    for values in itertools.product(*(grid[k] for k in keys)):
        config = replace(base, **dict(zip(keys, values, strict=True)))
        if config not in configs:
            configs.append(config)
    return configs


def _validation_loss(
    x: np.ndarray, y: np.ndarray, config: MappingConfig, train: np.ndarray, device: torch.device
) -> float:
    model = train_mapping(x[train], y[train], config, device)
    model.eval()
    with torch.no_grad():
        pred = model(torch.as_tensor(x[~train], dtype=torch.float32, device=device))
        target = torch.as_tensor(y[~train], dtype=torch.float32, device=device)
        return float(mapping_loss(pred, target, config.loss, config.margin))


def select(
    x: np.ndarray,
    y: np.ndarray,
    base: MappingConfig,
    grid: dict[str, list],
    inner_folds: int,
    seed: int,
    device: torch.device,
) -> tuple[MappingConfig, pd.DataFrame]:
    """The candidate with the lowest mean inner-fold validation loss, and a table of every
    candidate's hyperparameters, mean and std loss and whether it was chosen. With a single
    candidate nothing is trained and its score is NaN."""
    configs = candidates(base, grid)
    scores = np.full((len(configs), 2), np.nan)
    if len(configs) > 1:
        if inner_folds < 2:
            raise InputError(f"selection: {len(configs)} candidates need inner_folds >= 2")
        fold = kfold_assignment(len(x), inner_folds, seed)
        jobs = list(itertools.product(range(len(configs)), range(inner_folds)))
        losses = np.empty((len(configs), inner_folds))
        for c, f in progress(jobs, total=len(jobs), desc="inner CV fits"):
            losses[c, f] = _validation_loss(x, y, configs[c], fold != f, device)
        scores = np.column_stack([losses.mean(axis=1), losses.std(axis=1)])
    best = int(np.nanargmin(scores[:, 0])) if len(configs) > 1 else 0
    table = pd.DataFrame([asdict(c) for c in configs])
    table["inner_loss_mean"], table["inner_loss_std"] = scores[:, 0], scores[:, 1]
    table["chosen"] = np.arange(len(configs)) == best
    varied = [k for k in grid if not (base.model == "lin" and k in _NN_ONLY)]
    log.info("chose %s", {k: getattr(configs[best], k) for k in varied})
    return configs[best], table
