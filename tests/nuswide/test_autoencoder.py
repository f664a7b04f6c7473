"""Joint image-text autoencoder: reconstruction of a low-rank fixture, what each variant reads and
reconstructs (and its width), resume after a crash, checkpoints."""

import numpy as np
import pytest
import torch

from crossmodal.core.errors import InputError
from crossmodal.core.resume import TrainingState
from crossmodal.nuswide.autoencoder import (
    AutoencoderConfig,
    JointAutoencoder,
    TrainedAutoencoder,
    encode,
    read_autoencoder,
    reconstruct_text,
    reconstruction_loss,
    save_autoencoder,
    train_autoencoder,
)


@pytest.fixture(scope="module")
def low_rank():
    """Rank-3 data: 10 visual and 6 text columns driven by the same 3 factors."""
    rng = np.random.default_rng(0)
    factors = rng.standard_normal((500, 3))
    data = (factors @ rng.standard_normal((3, 16)) / np.sqrt(3)).astype(np.float32)
    return data[:, :10], data[:, 10:]


def _error(pred, target):
    return float(((pred - target) ** 2).mean() / target.var())


def test_joint_autoencoder_reconstructs_a_low_rank_fixture(low_rank):
    visual, text = low_rank
    config = AutoencoderConfig(variant="joint", epochs=100, batch_size=100, lr=0.02, mu=1.0)
    model, losses = train_autoencoder(visual, text, config)
    assert losses[-1] < 0.1 * losses[0]
    with torch.no_grad():
        recon = model(torch.from_numpy(visual), torch.from_numpy(text)).numpy()
    assert _error(recon[:, :10], visual) < 0.05
    assert _error(recon[:, 10:], text) < 0.05
    assert model.encoder.out_features == round(1.4 * 16)  # over-complete
    assert encode(model, visual, text).shape == (500, 22)


def test_cross_modal_variant_predicts_the_text_from_the_image_alone(low_rank):
    visual, text = low_rank
    config = AutoencoderConfig(variant="crossmodal1", epochs=100, batch_size=100, lr=0.02)
    model, _ = train_autoencoder(visual, text, config)
    predicted = reconstruct_text(model, visual)
    assert _error(predicted, text) < 0.05
    # v alone goes in: the text given makes no difference
    np.testing.assert_array_equal(reconstruct_text(model, visual, text), predicted)
    with pytest.raises(InputError, match="joint autoencoder needs the text"):
        encode(JointAutoencoder(10, 6, AutoencoderConfig(variant="joint")), visual)


@pytest.mark.parametrize(
    ("variant", "width_in", "width_out"),
    [("joint", 10 + 6, 10 + 6), ("crossmodal1", 10, 6), ("crossmodal2", 10, 10 + 6)],
)
def test_each_variant_reads_and_reconstructs_the_papers_parts(variant, width_in, width_out):
    """Joint: [v, t] in and out; Cross-Modal I: v in, t out; Cross-Modal II: v in, [v, t] out;
    the hidden layer 1.4 times the network's input."""
    model = JointAutoencoder(10, 6, AutoencoderConfig(variant=variant, hidden_ratio=1.4))
    assert model.encoder.in_features == width_in
    assert model.encoder.out_features == round(1.4 * width_in)
    assert model.decoder.out_features == width_out


def test_mu_weighs_the_text_against_the_visual_reconstruction(low_rank):
    visual, text = torch.from_numpy(low_rank[0][:20]), torch.from_numpy(low_rank[1][:20])
    losses = {}
    for variant in ("joint", "crossmodal1", "crossmodal2"):
        for mu in (1.0, 10.0):
            torch.manual_seed(0)
            config = AutoencoderConfig(variant=variant, mu=mu, frobenius=0.0)
            model = JointAutoencoder(10, 6, config)
            with torch.no_grad():
                error = (model(visual, text) - model.targets(visual, text)).pow(2)
            visual_part = error[:, :10].sum(1).mean() if model.visual_out else 0.0
            text_part = error[:, -6:].sum(1).mean()
            loss = reconstruction_loss(model, visual, text, config).item()
            weight = mu if model.visual_out else 1.0  # Cross-Modal I has no mu
            assert loss == pytest.approx(float(visual_part + weight * text_part), rel=1e-5)
            losses[variant, mu] = loss
    assert losses["crossmodal1", 1.0] == losses["crossmodal1", 10.0]
    assert losses["joint", 10.0] > losses["joint", 1.0]


def test_training_resumes_after_a_crash_with_the_same_result(low_rank, tmp_path, monkeypatch):
    visual, text = low_rank[0][:100], low_rank[1][:100]
    config = AutoencoderConfig(variant="crossmodal2", epochs=4, batch_size=16)
    whole, whole_losses = train_autoencoder(visual, text, config)
    resume = tmp_path / "state.pt"
    real_save = TrainingState.save

    def crash_after_two(state, **extras):
        real_save(state, **extras)
        if len(extras["losses"]) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(TrainingState, "save", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        train_autoencoder(visual, text, config, resume)
    saved_epochs = []

    def count(state, **extras):
        real_save(state, **extras)
        saved_epochs.append(len(extras["losses"]))

    monkeypatch.setattr(TrainingState, "save", count)
    resumed, losses = train_autoencoder(visual, text, config, resume)
    assert saved_epochs == [3, 4]  # resumed after epoch 2, not trained from the start
    np.testing.assert_allclose(losses, whole_losses, rtol=1e-5)
    np.testing.assert_allclose(
        encode(resumed, visual, text), encode(whole, visual, text), rtol=1e-5, atol=1e-6
    )
    # another config never resumes from this state
    other = AutoencoderConfig(variant="crossmodal2", epochs=1, batch_size=16)
    assert len(train_autoencoder(visual, text, other, resume)[1]) == 1


def test_checkpoint_round_trip(low_rank, tmp_path):
    visual, text = low_rank[0][:50], low_rank[1][:50]
    config = AutoencoderConfig(variant="joint", epochs=1)
    model, losses = train_autoencoder(visual, text, config)
    trained = TrainedAutoencoder(model, config, losses, ["sky"], {1.0: 0.7, 10.0: 0.8})
    save_autoencoder(trained, tmp_path / "ae.pt")
    again = read_autoencoder(tmp_path / "ae.pt")
    np.testing.assert_array_equal(encode(again.model, visual, text), encode(model, visual, text))
    assert again.config == config and again.losses == losses
    assert again.removed_tags == ["sky"] and again.mu_scores == {1.0: 0.7, 10.0: 0.8}
    with pytest.raises(InputError, match="expects 10 visual"):
        encode(again.model, visual[:, :5], text)
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="bad.pt: not a readable autoencoder checkpoint"):
        read_autoencoder(tmp_path / "bad.pt")


def test_bad_config_is_refused():
    with pytest.raises(InputError, match="variant"):
        AutoencoderConfig(variant="both")
