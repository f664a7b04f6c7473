"""Concept classification: the reported AUC is scikit-learn's on the test decision values."""

import numpy as np
import pytest
from scipy.stats import mannwhitneyu
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from crossmodal.core.errors import InputError
from crossmodal.nuswide.classification import classify_concept


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
