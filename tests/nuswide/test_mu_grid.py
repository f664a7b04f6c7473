"""The autoencoder of a concept slot: its input is [whitened SIFT, standardised mean tag vectors]
with a hidden layer 1.4 times its width, and mu is chosen on a grid by the training-set score."""

import numpy as np
import pytest
import torch
from slot_fixture import N_TRAIN, slot_study

from crossmodal.core.errors import InputError
from crossmodal.nuswide import mu_grid
from crossmodal.nuswide.autoencoder import AutoencoderConfig, read_autoencoder
from crossmodal.nuswide.mu_grid import mu_candidates, select_mu, train_slot_autoencoder
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_slot_tag_vectors
from crossmodal.nuswide.text_features import mean_tag_vectors

SCORING = {"cs": [0.1, 1.0], "folds": 3, "seed": 0, "max_iter": 200}


def test_the_best_score_wins_and_a_tie_goes_to_the_mu_listed_first():
    assert select_mu({1.0: 0.70, 10.0: 0.80, 100.0: 0.75}) == 10.0
    assert select_mu({10.0: 0.8, 1.0: 0.8, 100.0: 0.6}) == 10.0
    assert select_mu({1.0: 0.8, 10.0: 0.8}) == 1.0
    assert select_mu({3.0: 0.5}) == 3.0
    with pytest.raises(InputError, match="no mu to choose from"):
        select_mu({})
    with pytest.raises(InputError, match="NaN"):
        select_mu({1.0: float("nan"), 10.0: 0.7})


def test_mu_is_searched_only_where_it_weighs_two_parts():
    assert mu_candidates("joint", [1.0, 10.0]) == [1.0, 10.0]
    assert mu_candidates("crossmodal2", [10.0]) == [10.0]
    assert mu_candidates("crossmodal1", [1.0, 10.0]) == []  # text out only: no mu
    for bad in ([], [0.0, 1.0], [10.0, 10.0]):
        with pytest.raises(InputError, match="mu_grid"):
            mu_candidates("joint", bad)


@pytest.fixture(scope="module")
def study_and_vectors():
    study = slot_study()
    config = TagModelConfig(dim=4, epochs=2, iterations_per_epoch=5)
    return study, fit_slot_tag_vectors(study, "concept0", config)


def _spy(monkeypatch, scores=None):
    """Record what every training reads and returns, and feed the grid chosen scores."""
    calls = []
    real_train = mu_grid.train_autoencoder

    def train(visual, text, config, resume=None, device=None):
        model, losses = real_train(visual, text, config, resume, device)
        calls.append({"visual": visual, "text": text, "mu": config.mu, "model": model})
        return model, losses

    monkeypatch.setattr(mu_grid, "train_autoencoder", train)
    if scores is not None:
        queue = list(scores)
        seen = []

        def score(hidden, y, **_):
            seen.append(hidden.shape[0])
            return queue.pop(0)

        monkeypatch.setattr(mu_grid, "cross_validated_auc", score)
        return calls, seen
    return calls, None


def test_the_joint_input_is_whitened_sift_and_standardised_mean_tag_vectors(
    study_and_vectors, tmp_path, monkeypatch
):
    study, vectors = study_and_vectors
    calls, _ = _spy(monkeypatch)
    config = AutoencoderConfig(variant="joint", epochs=1, hidden_ratio=1.4)
    trained = train_slot_autoencoder(
        study, "concept0", vectors, config, [10.0], SCORING, tmp_path / "joint.pt"
    )
    (call,) = calls
    train = study.train
    # the whitened SIFT of the training images, as whitened by the study
    np.testing.assert_array_equal(call["visual"], study.visual[train])
    # the mean tag vectors over the image's tags without sky and skys, standardised
    kept = ["sea", "cloud", "tree", "sun", "cat", "road"]
    means = mean_tag_vectors(study.tags[:, 2:], vectors.rows(kept))
    expected = (means - means[train].mean(axis=0)) / means[train].std(axis=0)
    np.testing.assert_allclose(call["text"], expected[train], atol=1e-5)
    np.testing.assert_allclose(call["text"].mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(call["text"].std(axis=0), 1.0, atol=1e-4)
    width = study.visual.shape[1] + vectors.dim  # 10 whitened SIFT + 4 text dimensions
    assert trained.model.encoder.in_features == width
    assert trained.model.encoder.out_features == round(1.4 * width)
    assert trained.model.decoder.out_features == width  # reconstructs both parts
    assert trained.removed_tags == ["sky", "skys"]


def test_the_cross_modal_input_is_the_whitened_sift_alone(study_and_vectors, tmp_path):
    study, vectors = study_and_vectors
    config = AutoencoderConfig(variant="crossmodal2", epochs=1, hidden_ratio=1.4)
    trained = train_slot_autoencoder(
        study, "concept0", vectors, config, [10.0], SCORING, tmp_path / "cm2.pt"
    )
    assert trained.model.encoder.in_features == study.visual.shape[1]
    assert trained.model.encoder.out_features == round(1.4 * study.visual.shape[1])
    assert trained.model.decoder.out_features == study.visual.shape[1] + vectors.dim


def test_the_grid_keeps_the_network_of_the_best_training_set_score(
    study_and_vectors, tmp_path, monkeypatch
):
    study, vectors = study_and_vectors
    calls, seen = _spy(monkeypatch, scores=[0.61, 0.74, 0.74])
    config = AutoencoderConfig(variant="crossmodal2", epochs=1)
    output = tmp_path / "cm2.pt"
    trained = train_slot_autoencoder(
        study, "concept0", vectors, config, [1.0, 10.0, 100.0], SCORING, output
    )
    assert [c["mu"] for c in calls] == [1.0, 10.0, 100.0]
    assert seen == [N_TRAIN] * 3  # scored on the training images only
    assert trained.config.mu == 10.0  # 0.74 first reached at mu=10 (100 only ties)
    assert trained.mu_scores == {1.0: 0.61, 10.0: 0.74, 100.0: 0.74}
    saved = read_autoencoder(output)
    assert saved.config.mu == 10.0 and saved.mu_scores == trained.mu_scores
    for name, tensor in calls[1]["model"].state_dict().items():
        torch.testing.assert_close(saved.model.state_dict()[name], tensor, rtol=0, atol=0)
    assert not list(tmp_path.glob("*.resume"))  # every training's state removed once written


def test_the_real_score_is_the_concepts_cross_validated_auc(study_and_vectors, tmp_path):
    study, vectors = study_and_vectors
    config = AutoencoderConfig(variant="joint", epochs=3, lr=0.01)
    trained = train_slot_autoencoder(
        study, "concept0", vectors, config, [1.0, 10.0], SCORING, tmp_path / "j.pt"
    )
    assert set(trained.mu_scores) == {1.0, 10.0}
    assert all(0.5 < s <= 1.0 for s in trained.mu_scores.values())  # sky shows in the SIFT
    assert trained.config.mu == select_mu(trained.mu_scores)


def test_cross_modal_i_trains_once_without_a_grid(study_and_vectors, tmp_path, monkeypatch):
    study, vectors = study_and_vectors
    calls, seen = _spy(monkeypatch, scores=[])
    config = AutoencoderConfig(variant="crossmodal1", epochs=1)
    trained = train_slot_autoencoder(
        study, "concept0", vectors, config, [1.0, 10.0], SCORING, tmp_path / "cm1.pt"
    )
    assert len(calls) == 1 and seen == [] and trained.mu_scores == {}
    assert trained.model.decoder.out_features == vectors.dim  # the text alone comes out


def test_tag_vectors_of_another_slot_are_refused(study_and_vectors, tmp_path):
    study, vectors = study_and_vectors  # fitted for concept0 (without sky, skys)
    config = AutoencoderConfig(variant="joint", epochs=1)
    with pytest.raises(InputError, match="no vector for tag 'sky'"):
        train_slot_autoencoder(study, "concept2", vectors, config, [10.0], SCORING, tmp_path / "x")
