"""Semantic tag vectors (log-bilinear document model), the standardised mean tag vectors and LSA
on tag fixtures."""

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import TruncatedSVD

from crossmodal.core.errors import InputError
from crossmodal.nuswide.lsa import lsa_loadings
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_tag_vectors
from crossmodal.nuswide.text_features import Standardiser, mean_tag_vectors, text_features
from crossmodal.text.vectors import WordVectors


@pytest.fixture(scope="module")
def two_topics():
    """Images tagged from one of two disjoint groups of tags (0-4 and 5-9)."""
    rng = np.random.default_rng(0)
    tags = np.zeros((300, 10), np.float32)
    for row in range(300):
        group = np.arange(5) + 5 * (row % 2)
        tags[row, rng.choice(group, 3, replace=False)] = 1.0
    return tags


def _cos(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_co_occurring_tags_get_similar_vectors(two_topics, tmp_path):
    config = TagModelConfig(dim=4, epochs=5, iterations_per_epoch=10)
    resume = tmp_path / "state.pt"
    vectors = fit_tag_vectors(two_topics, config, resume)
    assert vectors.shape == (10, 4)
    within = [_cos(vectors[i], vectors[j]) for i in range(5) for j in range(i + 1, 5)]
    across = [_cos(vectors[i], vectors[j]) for i in range(5) for j in range(5, 10)]
    assert min(within) > max(across)
    assert resume.is_file()  # the state of the last epoch, for a resumed run
    np.testing.assert_allclose(fit_tag_vectors(two_topics, config, resume), vectors, rtol=1e-5)


def test_images_without_tags_are_left_out_and_all_empty_is_refused():
    with pytest.raises(InputError, match="no training image has a tag"):
        fit_tag_vectors(np.zeros((5, 3), np.float32), TagModelConfig(epochs=1))


def test_lsa_separates_the_two_topics(two_topics):
    loadings, kept = lsa_loadings(two_topics, 2, seed=0)
    assert loadings.shape == (10, 2) and 0 < kept <= 1
    images = two_topics @ loadings
    # images of one topic are closer to each other than to the other topic's
    assert _cos(images[0], images[2]) > _cos(images[0], images[1])
    with pytest.raises(InputError, match="lsa.dim"):
        lsa_loadings(two_topics, 10, seed=0)


def test_lsa_is_the_exact_truncated_svd_of_scikit_learn(two_topics):
    loadings, kept = lsa_loadings(two_topics, 3, seed=0)
    svd = TruncatedSVD(n_components=3, algorithm="arpack").fit(two_topics)
    reference = svd.components_.T
    signs = np.sign((loadings * reference).sum(axis=0))  # a component's sign is arbitrary
    np.testing.assert_allclose(loadings, reference * signs, atol=1e-5)
    assert kept == pytest.approx(svd.explained_variance_ratio_.sum(), rel=1e-5)
    np.testing.assert_array_equal(lsa_loadings(two_topics, 3, seed=0)[0], loadings)


def test_mean_tag_vectors_average_the_image_tags():
    tags = np.array([[1, 1, 0], [0, 0, 0]], np.float32)
    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [5.0, 5.0]], np.float32)
    np.testing.assert_allclose(mean_tag_vectors(tags, vectors), [[0.5, 1.0], [0.0, 0.0]])


def test_text_features_are_standardised_on_the_training_images():
    rng = np.random.default_rng(0)
    tags = (rng.random((40, 5)) < 0.4).astype(np.float32)
    vectors = WordVectors(
        rng.standard_normal((5, 3)).astype(np.float32),
        pd.DataFrame({"word": ["e", "d", "c", "b", "a"]}),
    )
    vocabulary = ["a", "b", "c", "d", "e"]  # looked up by word, not by row
    train = np.arange(40) < 30
    text, scaler = text_features(tags, vocabulary, vectors, train)
    means = mean_tag_vectors(tags, vectors.rows(vocabulary))
    np.testing.assert_allclose(text[train].mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(text[train].std(axis=0), 1.0, atol=1e-5)
    np.testing.assert_allclose(scaler.invert(text), means, atol=1e-5)
    # the test rows are scaled with the training statistics, not their own
    np.testing.assert_allclose(text[~train], scaler.apply(means[~train]), atol=1e-6)
    constant = Standardiser.fit(np.ones((4, 2)), np.ones(4, bool))
    np.testing.assert_array_equal(constant.apply(np.ones((1, 2))), [[0.0, 0.0]])
