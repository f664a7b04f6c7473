"""Concept classification: the reported AUC is scikit-learn's on the test decision values; a
representation is scored on every concept with the concept's own tags left out."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from crossmodal.core.errors import InputError
from crossmodal.nuswide.classification import (
    classify_concept,
    concept_aucs,
    cross_validated_auc,
)
from crossmodal.nuswide.study import StudyData


@pytest.fixture(scope="module")
def fixture():
    """A noisy linear concept in 5 dimensions, 300 training and 200 test items."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((500, 5))
    y = (x @ np.array([1.5, -1.0, 0.0, 0.5, 0.0]) + rng.standard_normal(500)) > 0.8
    return x[:300], y[:300], x[300:], y[300:]


def test_auc_matches_scikit_learn(fixture):
    x_train, y_train, x_test, y_test = fixture
    score = classify_concept(x_train, y_train, x_test, y_test, [0.01, 0.1, 1.0], 3, seed=0)
    assert score.c in (0.01, 0.1, 1.0)
    # the same classifier refitted by hand, scored by scikit-learn
    reference = LogisticRegression(C=score.c, max_iter=1000).fit(x_train, y_train)
    expected = roc_auc_score(y_test, reference.decision_function(x_test))
    assert score.auc == pytest.approx(expected, abs=1e-6)
    # and the AUC is the Mann-Whitney probability that a positive outscores a negative
    u = mannwhitneyu(score.scores[y_test], score.scores[~y_test]).statistic
    assert score.auc == pytest.approx(u / (y_test.sum() * (~y_test).sum()))
    assert score.auc > 0.8


def test_a_concept_without_positives_is_refused(fixture):
    x_train, y_train, x_test, _ = fixture
    none = np.zeros(len(x_test), bool)
    with pytest.raises(InputError, match="test images are all of one class"):
        classify_concept(x_train, y_train, x_test, none, [1.0], 3, seed=0)


def test_every_concept_is_scored_without_its_own_tag():
    """Concept "a" is visible in the images and is its own tag; concept "b" is neither."""
    rng = np.random.default_rng(1)
    n = 120
    visual = rng.standard_normal((n, 4)).astype(np.float32)
    a = visual[:, 0] + 0.3 * rng.standard_normal(n) > 0
    b = rng.random(n) < 0.4
    tags = np.column_stack([a, rng.random((n, 3)) < 0.5]).astype(np.float32)
    items = pd.DataFrame({"image_id": [f"i{i}" for i in range(n)], "a": a, "b": b})
    items.insert(1, "split", ["train"] * 80 + ["test"] * 40)
    concepts = pd.DataFrame(
        {
            "concept": ["a", "b"],
            "removed_tags": ["a", ""],
            "train_positives": 0,
            "test_positives": 0,
        }
    )
    data = StudyData(items, concepts, tags, ["a", "x", "y", "z"], visual)
    kwargs = {"cs": [0.1, 1.0], "folds": 3, "seed": 0}
    sift = concept_aucs("sift", data, {}, ["concept0", "concept1"], **kwargs)
    assert list(sift["concept"]) == ["a", "b"] and (sift["representation"] == "sift").all()
    assert sift["auc"].iloc[0] > 0.85 and (sift["n_features"] == 4).all()
    assert sift["mu"].isna().all()  # no autoencoder, no mu
    assert sift["slot"].tolist() == ["concept0", "concept1"]
    assert sift["train_positives"].tolist() == [int(a[:80].sum()), int(b[:80].sum())]
    assert sift["test_positives"].tolist() == [int(a[80:].sum()), int(b[80:].sum())]
    # the tag "a" would give concept a away (AUC 1); removed, the other tags know nothing of it
    tags_only = concept_aucs("tags", data, {}, ["concept0", "concept1"], **kwargs)
    assert tags_only["auc"].iloc[0] < 0.8
    train = np.arange(n) < 80
    own = classify_concept(tags[train], a[train], tags[~train], a[~train], [0.1, 1.0], 3, 0)
    assert own.auc == 1.0


def test_training_set_performance_is_the_best_cs_mean_fold_auc(fixture):
    """What chooses mu: cross-validation on the training images alone."""
    x_train, y_train, _, _ = fixture
    cs = [0.01, 1.0]
    expected = []
    for c in cs:
        folds = StratifiedKFold(3, shuffle=True, random_state=0).split(x_train, y_train)
        fold_aucs = []
        for fit, held in folds:
            model = LogisticRegression(C=c, max_iter=1000).fit(x_train[fit], y_train[fit])
            fold_aucs.append(roc_auc_score(y_train[held], model.decision_function(x_train[held])))
        expected.append(np.mean(fold_aucs))
    score = cross_validated_auc(x_train, y_train, cs, 3, seed=0)
    assert score == pytest.approx(max(expected), abs=1e-4)
    with pytest.raises(InputError, match="training images are all of one class"):
        cross_validated_auc(x_train, np.zeros(len(x_train), bool), cs, 3, seed=0)
