"""Concept classification of the NUS-WIDE study: one L2-regularised logistic regression per
concept and representation, its inverse regularisation strength C chosen by stratified
cross-validation on the training images (by ROC AUC), scored by ROC AUC on the test images.

AUC is a ranking measure: it is computed from the classifier's decision values, never from
thresholded labels, and does not depend on how rare a concept is (NUS-WIDE's concepts are).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from crossmodal.core.errors import InputError


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
