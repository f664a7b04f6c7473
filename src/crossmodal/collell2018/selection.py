"""Hyperparameter selection for a mapping by inner K-fold cross-validation on the training part
of one evaluation fold, as in Collell & Moens' supplement: hyperparameters "including the number
of epochs" chosen by 5-fold cross-validation (learning rate 0.01 / 0.001 / 0.0001, hidden units
64 to 1024; the max-margin loss's margin too).

The criterion is the mapping's own loss on the held-out inner fold, averaged over inner folds:
selection must not look at mNNO, the quantity under study, nor at the outer test items. The
max-margin loss is the exception: its value grows with the margin, so that comparing it across
margins would always pick the smallest; max-margin candidates are compared by what that loss
trains for instead, the mean retrieval rank of each held-out target y_i among the held-out
targets, by cosine to f(x_i) (0: always first; margin-free; a target tied with y_i counts
half, so that a zero output, which ties every target, scores chance).

Candidate epoch counts cost no extra training: a candidate is trained once per inner fold up to
its largest epoch count and scored after each one asked for (training for fewer epochs with the
same seed is the beginning of the same run).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import asdict, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from crossmodal.collell2018.pairs import kfold_assignment
from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.metrics.neighbours import match_ranks
from crossmodal.models.mapping import MappingConfig, mapping_loss, predict, train_mapping

log = logging.getLogger(__name__)

# Fields a linear map does not have, and the field only the max-margin loss reads: grid values
# for them give the same candidate.
_NN_ONLY = ("hidden", "hidden_layers", "dropout", "activation")
_MAX_MARGIN_ONLY = ("margin",)


def varied(base: MappingConfig, grid: dict[str, list]) -> list[str]:
    """The grid's keys that make a difference to ``base``."""
    return [
        key
        for key in grid
        if not (base.model == "lin" and key in _NN_ONLY)
        and not (base.loss != "max_margin" and key in _MAX_MARGIN_ONLY)
    ]


def candidates(base: MappingConfig, grid: dict[str, list]) -> list[MappingConfig]:
    """Every combination of ``grid`` values applied to ``base``, without duplicates (a linear
    map ignores the nn-only fields, a loss other than max-margin the margin)."""
    unknown = sorted(set(grid) - set(asdict(base)))
    if unknown:
        raise InputError(f"selection grid: unknown hyperparameter(s) {', '.join(unknown)}")
    keys = varied(base, grid)
    configs: list[MappingConfig] = []
    for values in itertools.product(*(grid[k] for k in keys)):
        config = replace(base, **dict(zip(keys, values, strict=True)))
        if config not in configs:
            configs.append(config)
    return configs


def criterion(config: MappingConfig) -> str:
    """What selection minimises for ``config`` (module docstring)."""
    return "retrieval_rank" if config.loss == "max_margin" else f"{config.loss}_loss"


def validation_score(
    model: nn.Module, x: np.ndarray, y: np.ndarray, config: MappingConfig
) -> float:
    """:func:`criterion` of ``model`` on held-out pairs (x, y): the loss, or for max-margin the
    mean share of held-out targets closer (cosine) to f(x_i) than y_i, a target tied with y_i
    counting as half closer (its expected share in a random order of ties), so that a mapping
    whose output is zero (every target tied under cosine) scores chance, not the best rank."""
    pred = predict(model, x)
    if config.loss == "max_margin":
        closer, tied = match_ranks(pred, y, "cosine")
        return float((closer + tied / 2).mean() / max(len(y) - 1, 1))
    target = torch.as_tensor(y, dtype=torch.float32)
    return float(mapping_loss(torch.from_numpy(pred), target, config.loss, config.margin))


def _scores_by_epoch(
    x: np.ndarray,
    y: np.ndarray,
    config: MappingConfig,
    epochs: list[int],
    train: np.ndarray,
    device: torch.device,
    classes: np.ndarray | None,
) -> list[float]:
    """Validation score of ``config`` trained on the rows ``train``, after each of ``epochs``
    (one training up to the largest)."""
    scores: dict[int, float] = {}

    def score(epoch: int, model: nn.Module) -> None:
        if epoch in epochs:
            scores[epoch] = validation_score(model, x[~train], y[~train], config)

    train_mapping(
        x[train],
        y[train],
        replace(config, epochs=max(epochs)),
        device,
        score,
        classes=None if classes is None else classes[train],
    )
    return [scores[epoch] for epoch in epochs]


def select(
    x: np.ndarray,
    y: np.ndarray,
    base: MappingConfig,
    grid: dict[str, list],
    inner_folds: int,
    seed: int,
    device: torch.device,
    classes: np.ndarray | None = None,
) -> tuple[MappingConfig, pd.DataFrame]:
    """The candidate with the lowest mean inner-fold validation score (its ``epochs`` the
    chosen number of epochs), and a table of every candidate's hyperparameters, criterion, mean
    and std score and whether it was chosen. With a single candidate nothing is trained and its
    score is NaN. ``classes``: the max-margin loss's class membership of the rows of x."""
    configs = candidates(base, grid)
    scores = np.full((len(configs), 2), np.nan)
    if len(configs) > 1:
        if inner_folds < 2:
            raise InputError(f"selection: {len(configs)} candidates need inner_folds >= 2")
        fold = kfold_assignment(len(x), inner_folds, seed)
        runs: dict[MappingConfig, list[int]] = {}  # candidates that differ only in epochs
        for index, config in enumerate(configs):
            runs.setdefault(replace(config, epochs=1), []).append(index)
        values = np.empty((len(configs), inner_folds))
        jobs = list(itertools.product(runs.values(), range(inner_folds)))
        for members, f in progress(jobs, total=len(jobs), desc="inner CV fits"):
            epochs = [configs[i].epochs for i in members]
            values[members, f] = _scores_by_epoch(
                x, y, configs[members[0]], epochs, fold != f, device, classes
            )
        scores = np.column_stack([values.mean(axis=1), values.std(axis=1)])
    best = int(np.nanargmin(scores[:, 0])) if len(configs) > 1 else 0
    table = pd.DataFrame([asdict(c) for c in configs])
    table["criterion"] = criterion(base)
    table["inner_score_mean"], table["inner_score_std"] = scores[:, 0], scores[:, 1]
    table["chosen"] = np.arange(len(configs)) == best
    log.info("chose %s", {k: getattr(configs[best], k) for k in varied(base, grid)})
    return configs[best], table
