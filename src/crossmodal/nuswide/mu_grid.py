"""Training one autoencoder of a concept slot, with mu chosen on a grid.

The paper: "The parameter mu was chosen over a small grid search of parameters to find the one
with best performance on the training set." The grid and the measure are not given; ours: for
every mu of the configured grid the network is trained on the slot's training images, and its
performance is the task's, measured on the training images alone - the mean cross-validated ROC
AUC of the concept classifier (:func:`crossmodal.nuswide.classification.cross_validated_auc`,
the same logistic regression and C grid as Table 2) on its hidden layer, over the concepts the
slot serves (its own; every concept for ``all_tags``). The test images are never read. The best
mu wins, a tie going to the mu listed first (:func:`select_mu`). mu weighs the text against the
visual reconstruction, so it applies to the joint network and Cross-Modal II only; Cross-Modal I
is trained once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from crossmodal.core.errors import InputError
from crossmodal.nuswide.autoencoder import (
    AutoencoderConfig,
    TrainedAutoencoder,
    encode,
    save_autoencoder,
    train_autoencoder,
)
from crossmodal.nuswide.classification import cross_validated_auc
from crossmodal.nuswide.names import VARIANTS
from crossmodal.nuswide.study import StudyData, check_fitted_without
from crossmodal.nuswide.text_features import text_features
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


def select_mu(scores: Mapping[float, float]) -> float:
    """The mu with the best score; among equal scores the one listed first (the grid's order,
    so a config can put the paper's 10 first to prefer it on a tie)."""
    if not scores:
        raise InputError("nuswide.autoencoder.mu_grid: no mu to choose from")
    if any(np.isnan(s) for s in scores.values()):
        raise InputError("mu grid: a training-set score is NaN")
    best = max(scores.values())
    return next(mu for mu, score in scores.items() if score == best)


def mu_candidates(variant: str, grid: Sequence[float]) -> list[float]:
    """The mu values trained for ``variant``: the grid where mu weighs two reconstructed parts,
    none (one training, mu unused) for Cross-Modal I."""
    if not grid or any(mu <= 0 for mu in grid) or len(set(grid)) != len(grid):
        raise InputError(f"nuswide.autoencoder.mu_grid: expected distinct positive values, {grid}")
    return list(grid) if VARIANTS[variant][1] else []


def train_slot_autoencoder(
    data: StudyData,
    slot: str,
    tag_vectors: WordVectors,
    config: AutoencoderConfig,
    grid: Sequence[float],
    scoring: Mapping[str, Any],
    output: str | os.PathLike[str],
    device: torch.device | None = None,
) -> TrainedAutoencoder:
    """Train ``config.variant`` for model slot ``slot`` on its training images - the whitened
    SIFT and the standardised mean tag vectors of the slot's tag vectors, both without the
    slot's concept tags - with mu chosen from ``grid``; write it to ``output``. ``scoring``: the
    classification settings (cs, folds, seed, max_iter). Each training saves its state beside
    ``output`` (``<output>.mu<mu>.resume``), removed once the model is written."""
    visual = data.require_visual()
    removed = data.slot_removed(slot)
    tags, kept = data.tags_for(removed)
    check_fitted_without(tag_vectors.words, kept, tag_vectors.source)
    train = data.train
    text, _ = text_features(tags, kept, tag_vectors, train)
    concepts = data.slot_concepts(slot)
    labels = [data.items[c].to_numpy(dtype=bool)[train] for c in concepts]
    log.info(
        "%s for slot %s (%s): %d training images, input %d visual + %d text, without %s",
        config.variant,
        slot,
        ", ".join(concepts),
        int(train.sum()),
        visual.shape[1],
        text.shape[1],
        removed or "no tag",
    )
    candidates = mu_candidates(config.variant, grid)
    resumes = []
    best: TrainedAutoencoder | None = None
    scores: dict[float, float] = {}
    for mu in candidates or [config.mu]:
        trial = replace(config, mu=mu)
        resume = Path(f"{output}.mu{mu:g}.resume")
        resumes.append(resume)
        model, losses = train_autoencoder(visual[train], text[train], trial, resume, device)
        trained = TrainedAutoencoder(model, trial, losses, removed)
        if len(candidates) < 2:
            best = trained
            break
        hidden = encode(model, visual[train], text[train] if model.text_in else None)
        scores[mu] = float(np.mean([cross_validated_auc(hidden, y, **scoring) for y in labels]))
        log.info(
            "%s slot %s: mu=%g, training-set CV AUC %.4f", config.variant, slot, mu, scores[mu]
        )
        if best is None or mu == select_mu(scores):
            best = trained
    assert best is not None  # the loop ran at least once
    chosen = replace(best, mu_scores={mu: scores[mu] for mu in scores})
    if scores:
        log.info("%s slot %s: mu=%g chosen", config.variant, slot, chosen.config.mu)
    save_autoencoder(chosen, output)
    for resume in resumes:
        resume.unlink(missing_ok=True)
    return chosen
