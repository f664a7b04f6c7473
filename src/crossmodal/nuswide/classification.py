"""Concept classification of the NUS-WIDE study: one L2-regularised logistic regression per
concept and representation, its inverse regularisation strength C chosen by stratified
cross-validation on the training images (by ROC AUC), scored by ROC AUC on the test images
(:func:`classify_concept`), for every concept of a representation (:func:`concept_aucs`).

AUC is a ranking measure: it is computed from the classifier's decision values, never from
thresholded labels, and does not depend on how rare a concept is (NUS-WIDE's concepts are).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.nuswide.autoencoder import JointAutoencoder
from crossmodal.nuswide.study import StudyData, features
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConceptScore:
    """Test AUC of one concept's classifier, with the C it chose and the decision values."""

    auc: float
    c: float
    scores: np.ndarray


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
    name = "concept labels"
    for split, y in (("training", y_train), ("test", y_test)):
        positives = int(np.sum(y))
        if positives == 0 or positives == len(y):
            raise InputError(
                f"{name}: the {split} images are all of one class ({positives} positive)"
            )
    if int(np.sum(y_train)) < folds:
        raise InputError(
            f"{name}: {int(np.sum(y_train))} training positives, fewer than the {folds} folds"
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
    scores = model.decision_function(x_test)
    return ConceptScore(float(roc_auc_score(y_test.astype(int), scores)), float(model.C_), scores)


def concept_aucs(
    representation: str,
    data: StudyData,
    models: Mapping[str, WordVectors | JointAutoencoder],
    cs: Sequence[float],
    folds: int,
    seed: int,
    max_iter: int = 1000,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Test AUC of ``representation`` for every concept of the study, one row per concept (in
    the concepts table's order) with the chosen C, the feature count and the positives per
    split. Each concept's features leave out its own tags (:func:`features`, which gets
    ``models``); the classifier is :func:`classify_concept`."""
    train = data.train
    rows = []
    concepts = data.concepts["concept"].tolist()
    for concept in progress(concepts, len(concepts), representation):
        x = features(representation, data, concept, **models)
        y = data.items[concept].to_numpy(dtype=bool)
        score = classify_concept(
            x[train], y[train], x[~train], y[~train], cs, folds, seed, max_iter, n_jobs
        )
        log.info("%s / %s: AUC %.4f (C=%g)", representation, concept, score.auc, score.c)
        rows.append(
            {
                "representation": representation,
                "concept": concept,
                "auc": score.auc,
                "c": score.c,
                "n_features": x.shape[1],
                "train_positives": int(y[train].sum()),
                "test_positives": int(y[~train].sum()),
            }
        )
    return pd.DataFrame(rows)
