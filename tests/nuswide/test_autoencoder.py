"""Joint image-tag autoencoder: reconstruction of a low-rank fixture, the cross-modal variants,
resume after a crash, checkpoints."""

import numpy as np
import pytest
import torch

from crossmodal.core.errors import InputError
from crossmodal.core.resume import TrainingState
from crossmodal.nuswide.autoencoder import (
    AutoencoderConfig,
    encode,
    predict_tags,
    read_autoencoder,
    save_autoencoder,
    train_autoencoder,
)


@pytest.fixture(scope="module")
def low_rank():
    """Rank-3 data: 10 visual and 6 tag columns driven by the same 3 factors."""
    rng = np.random.default_rng(0)
    factors = rng.standard_normal((500, 3))
    data = (factors @ rng.standard_normal((3, 16)) / np.sqrt(3)).astype(np.float32)
    return data[:, :10], data[:, 10:]


def _error(pred, target):
    return float(((pred - target) ** 2).mean() / target.var())


def test_joint_autoencoder_reconstructs_a_low_rank_fixture(low_rank):
    visual, tags = low_rank
    config = AutoencoderConfig(variant="joint", epochs=100, batch_size=100, lr=0.02, mu=1.0)
    model, losses = train_autoencoder(visual, tags, config)
    assert losses[-1] < 0.1 * losses[0]
    with torch.no_grad():
        recon = model(torch.from_numpy(visual), torch.from_numpy(tags)).numpy()
    assert _error(recon[:, :10], visual) < 0.05
    assert _error(recon[:, 10:], tags) < 0.05
    assert model.encoder.out_features == round(1.4 * 16)  # over-complete
    assert encode(model, visual, tags).shape == (500, 22)


def test_cross_modal_variant_predicts_tags_from_the_image_alone(low_rank):
    visual, tags = low_rank
    config = AutoencoderConfig(variant="crossmodal1", epochs=100, batch_size=100, lr=0.02)
    model, _ = train_autoencoder(visual, tags, config)
    predicted = predict_tags(model, visual, np.zeros_like(tags))
    assert _error(predicted, tags) < 0.05
    # the tag input is zeroed: the real tags make no difference
    np.testing.assert_array_equal(predict_tags(model, visual, tags), predicted)


def test_training_resumes_after_a_crash_with_the_same_result(low_rank, tmp_path, monkeypatch):
    visual, tags = low_rank[0][:100], low_rank[1][:100]
    config = AutoencoderConfig(variant="crossmodal2", epochs=4, batch_size=16)
    whole, whole_losses = train_autoencoder(visual, tags, config)
    resume = tmp_path / "state.pt"
    real_save = TrainingState.save

    def crash_after_two(state, **extras):
        real_save(state, **extras)
        if len(extras["losses"]) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(TrainingState, "save", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        train_autoencoder(visual, tags, config, resume)
    saved_epochs = []

    def count(state, **extras):
        real_save(state, **extras)
        saved_epochs.append(len(extras["losses"]))

    monkeypatch.setattr(TrainingState, "save", count)
    resumed, losses = train_autoencoder(visual, tags, config, resume)
    assert saved_epochs == [3, 4]  # resumed after epoch 2, not trained from the start
    np.testing.assert_allclose(losses, whole_losses, rtol=1e-5)
    np.testing.assert_allclose(
        encode(resumed, visual, tags), encode(whole, visual, tags), rtol=1e-5, atol=1e-6
    )
    # another config never resumes from this state
    other = AutoencoderConfig(variant="crossmodal2", epochs=1, batch_size=16)
    assert len(train_autoencoder(visual, tags, other, resume)[1]) == 1


def test_checkpoint_round_trip(low_rank, tmp_path):
    visual, tags = low_rank[0][:50], low_rank[1][:50]
    config = AutoencoderConfig(variant="joint", epochs=1)
    model, losses = train_autoencoder(visual, tags, config)
    save_autoencoder(model, config, losses, tmp_path / "ae.pt")
    again = read_autoencoder(tmp_path / "ae.pt")
    np.testing.assert_array_equal(encode(again, visual, tags), encode(model, visual, tags))
    with pytest.raises(InputError, match="expects 10 visual"):
        encode(again, visual[:, :5], tags)


def test_bad_config_is_refused():
    with pytest.raises(InputError, match="variant"):
        AutoencoderConfig(variant="both")
