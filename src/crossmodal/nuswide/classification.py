"""Concept classification of the NUS-WIDE study: one L2-regularised logistic regression per
concept and representation, its inverse regularisation strength C chosen by stratified
cross-validation on the training images (by ROC AUC), scored by ROC AUC on the test images
(:func:`classify_concept`), for every concept of a representation (:func:`concept_aucs`), each
concept with the models of its slot, fitted without its tags (:func:`features`).

AUC is a ranking measure: it is computed from the classifier's decision values, never from
thresholded labels, and does not depend on how rare a concept is (NUS-WIDE's concepts are).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.nuswide.autoencoder import TrainedAutoencoder, encode, read_autoencoder
from crossmodal.nuswide.names import REPRESENTATIONS, model_slots
from crossmodal.nuswide.study import StudyData, check_fitted_without
from crossmodal.nuswide.text_features import text_features
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConceptScore:
    """Test AUC of one concept's classifier, with the C it chose and the decision values."""

    auc: float
    c: float
    scores: np.ndarray


def _classifier(
    x_train: np.ndarray,
    y_train: np.ndarray,
    cs: Sequence[float],
    folds: int,
    seed: int,
    max_iter: int,
    n_jobs: int,
) -> LogisticRegressionCV:
    """The concept's L2 logistic regression, C chosen by cross-validated AUC, fitted."""
    positives = int(np.sum(y_train))
    if positives == 0 or positives == len(y_train):
        raise InputError(
            f"concept labels: the training images are all of one class ({positives} positive)"
        )
    if positives < folds:
        raise InputError(
            f"concept labels: {positives} training positives, fewer than the {folds} folds"
        )
    model = LogisticRegressionCV(
        Cs=list(cs),
        l1_ratios=(0.0,),
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        scoring="roc_auc",
        max_iter=max_iter,
        n_jobs=n_jobs,
        use_legacy_attributes=False,
    )
    with warnings.catch_warnings():
        # A C at the weak end of the grid may stop short of convergence; the AUC of an
        # unconverged fit is still a fair score of that C, and the chosen one is refitted.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train.astype(int))
    return model


def cross_validated_auc(
    x_train: np.ndarray,
    y_train: np.ndarray,
    cs: Sequence[float],
    folds: int,
    seed: int,
    max_iter: int = 1000,
    n_jobs: int = 1,
) -> float:
    """The concept's performance on the training images alone: the mean cross-validated AUC
    of its best C (what chooses the autoencoders' mu; the test images are never read)."""
    model = _classifier(x_train, y_train, cs, folds, seed, max_iter, n_jobs)
    return float(np.asarray(model.scores_).mean(axis=0).max())


def classify_concept(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    cs: Sequence[float],
    folds: int,
    seed: int,
    max_iter: int = 1000,
    n_jobs: int = 1,
) -> ConceptScore:
    """Fit the concept's classifier on the training images and score the test images
    (``n_jobs`` processes fit the cross-validation folds in parallel)."""
    positives = int(np.sum(y_test))
    if positives == 0 or positives == len(y_test):
        raise InputError(
            f"concept labels: the test images are all of one class ({positives} positive)"
        )
    model = _classifier(x_train, y_train, cs, folds, seed, max_iter, n_jobs)
    scores = model.decision_function(x_test)
    return ConceptScore(float(roc_auc_score(y_test.astype(int), scores)), float(model.C_), scores)


@dataclass(frozen=True)
class SlotModels:
    """The models of one concept slot that a representation reads (None: not needed)."""

    tag_vectors: WordVectors | None = None
    lsa: WordVectors | None = None
    autoencoder: TrainedAutoencoder | None = None


def read_slot_models(
    representation: str, inputs: Any, concept_slots: Sequence[str]
) -> dict[str, SlotModels]:
    """The models that ``representation`` reads for each distinct slot of ``concept_slots``
    (the slot of each concept), from a job's named inputs (lists in the order of
    :func:`crossmodal.nuswide.names.model_slots`: ``tag_vectors`` with ``tag_vector_words``,
    ``lsa`` with ``lsa_words``, ``autoencoders``; the names rule classify_nuswide_concepts uses);
    an empty mapping when it reads none."""
    need = REPRESENTATIONS[representation][1]
    if need is None:
        return {}
    slots = model_slots(list(concept_slots))
    names = ["autoencoders"] if need == "autoencoder" else [need]
    if representation == "joint":
        names.append("tag_vectors")  # its text input
    lists = {name: list(getattr(inputs, name, [])) for name in names}
    short = [name for name, paths in lists.items() if len(paths) != len(slots)]
    if short:
        raise InputError(f"{representation}: {len(slots)} model slots but inputs {short[0]!r}")
    models = {}
    for k, slot in enumerate(slots):
        parts: dict[str, Any] = {}
        if "tag_vectors" in lists:
            parts["tag_vectors"] = WordVectors.read(
                lists["tag_vectors"][k], list(inputs.tag_vector_words)[k]
            )
        if "lsa" in lists:
            parts["lsa"] = WordVectors.read(lists["lsa"][k], list(inputs.lsa_words)[k])
        if "autoencoders" in lists:
            parts["autoencoder"] = read_autoencoder(lists["autoencoders"][k])
        models[slot] = SlotModels(**parts)
    return models


def _needed(model: Any, what: str, representation: str, slot: str) -> Any:
    if model is None:
        raise InputError(f"{representation} / {slot}: the {what} of the slot was not given")
    return model


def features(representation: str, data: StudyData, slot: str, models: SlotModels) -> np.ndarray:
    """Every item's ``representation`` with the models of ``slot``: the slot's removed tags are
    out of the dictionary, and every model read must have been fitted without them (refused
    otherwise: a model that saw a concept's tag could give the concept away)."""
    if representation not in REPRESENTATIONS:
        raise InputError(f"unknown representation {representation!r}")
    removed = data.slot_removed(slot)
    tags, kept = data.tags_for(removed)
    if representation == "tags":
        return tags
    if representation == "sift":
        return data.require_visual()
    if representation == "tags_sift":
        return np.hstack([data.require_visual(), tags])
    if representation == "lsa":
        lsa = _needed(models.lsa, "LSA", representation, slot)
        check_fitted_without(lsa.words, kept, lsa.source)
        return tags @ lsa.rows(kept)
    text = None
    if representation in ("tag_vectors", "joint"):
        vectors = _needed(models.tag_vectors, "tag vectors", representation, slot)
        check_fitted_without(vectors.words, kept, vectors.source)
        text, _ = text_features(tags, kept, vectors, data.train)
        if representation == "tag_vectors":
            return text
    trained = _needed(models.autoencoder, "autoencoder", representation, slot)
    if sorted(trained.removed_tags) != sorted(removed) or trained.config.variant != representation:
        raise InputError(
            f"{representation} / {slot}: the autoencoder given is a {trained.config.variant} "
            f"fitted without {trained.removed_tags}, not without the slot's tags {removed}"
        )
    return encode(trained.model, data.require_visual(), text)


def concept_aucs(
    representation: str,
    data: StudyData,
    models: Mapping[str, SlotModels],
    slots: Sequence[str],
    cs: Sequence[float],
    folds: int,
    seed: int,
    max_iter: int = 1000,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Test AUC of ``representation`` for every concept of the study, one row per concept (in
    the concepts table's order) with its model slot, the chosen C, the autoencoder's mu (NaN
    without one), the feature count and the positives per split. Concept k is classified on the
    features of slot ``slots[k]`` (:func:`features`, with ``models[slot]``), which must leave out
    the concept's own tags; the classifier is :func:`classify_concept`."""
    train = data.train
    rows = []
    concepts = data.concept_names
    if len(slots) != len(concepts):
        raise InputError(f"{representation}: {len(slots)} model slots for {len(concepts)} concepts")
    for concept, slot in progress(zip(concepts, slots, strict=True), len(concepts), representation):
        leaked = sorted(set(data.removed(concept)) - set(data.slot_removed(slot)))
        if leaked:
            raise InputError(
                f"{representation} / {concept}: slot {slot} keeps its tag {leaked[0]!r}"
            )
        models_of_slot = models.get(slot, SlotModels())
        x = features(representation, data, slot, models_of_slot)
        y = data.items[concept].to_numpy(dtype=bool)
        score = classify_concept(
            x[train], y[train], x[~train], y[~train], cs, folds, seed, max_iter, n_jobs
        )
        log.info("%s / %s: AUC %.4f (C=%g)", representation, concept, score.auc, score.c)
        trained = models_of_slot.autoencoder
        mu = trained.config.mu if trained is not None and trained.model.visual_out else None
        rows.append(
            {
                "representation": representation,
                "concept": concept,
                "slot": slot,
                "auc": score.auc,
                "c": score.c,
                "mu": np.nan if mu is None else mu,
                "n_features": x.shape[1],
                "train_positives": int(y[train].sum()),
                "test_positives": int(y[~train].sum()),
            }
        )
    return pd.DataFrame(rows)
