"""The joint image-text autoencoder of the NUS-WIDE study and its cross-modal variants, in torch.

Sect. 3.3-3.4 and 4 of the paper: the visual features v are the PCA-whitened SIFT histogram, the
text features t the image's standardised mean tag vector
(:mod:`crossmodal.nuswide.text_features`). One over-complete hidden layer with a sigmoid,
``hidden_ratio`` (1.4 in the paper) times the width of the network's input, and a linear output
layer. The variants differ in what goes in and what must come out:

* ``joint``: [v, t] in, [v, t] out - "we concatenate the mean tag vectors representing each image
  to the corresponding visual histogram, and feed that as input to an autoencoder, which attempts
  to reconstruct both modalities";
* ``crossmodal1`` (Cross-Modal I): v in, t out - "learns to reconstruct the text features given
  only visual features as input";
* ``crossmodal2`` (Cross-Modal II): v in, [v, t] out - "trained to reconstruct both modalities
  when given only visual data".

The cross-modal networks take v alone, as the paper's Figure 2 draws them, so their hidden layer
is 1.4 times v's width (the paper gives one ratio for all networks; we apply it to each network's
own input). The loss is the paper's objective,

    loss = (||v_hat - v||^2 + mu ||t_hat - t||^2) / n + lambda (||W1||_F^2 + ||W2||_F^2),

with the visual term only where v comes out: mu weighs the text part against the visual one in
the joint network and Cross-Modal II ("for joint network and for cross-modal II"); Cross-Modal I
reconstructs t alone and has no mu. The paper runs stochastic gradient descent; we use Adam on
mini-batches (:class:`AutoencoderConfig`). An image's representation is the hidden layer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pickle import UnpicklingError
from typing import Literal

import numpy as np
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError, check_fields
from crossmodal.core.io import atomic_path
from crossmodal.core.logs import progress
from crossmodal.core.resume import TrainingState, data_digest
from crossmodal.nuswide.names import VARIANTS

log = logging.getLogger(__name__)

Variant = Literal["joint", "crossmodal1", "crossmodal2"]


@dataclass(frozen=True)
class AutoencoderConfig:
    """Everything that defines one trained autoencoder."""

    variant: Variant = "joint"
    hidden_ratio: float = 1.4  # hidden units per input unit (over-complete above 1)
    mu: float = 10.0  # weight of the text reconstruction (joint and crossmodal2)
    frobenius: float = 1e-4  # lambda of the Frobenius penalty on the weights
    lr: float = 0.001  # Adam
    epochs: int = 30
    batch_size: int = 128
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "variant": self.variant in VARIANTS,
            "hidden_ratio": self.hidden_ratio > 0,
            "mu": self.mu > 0,
            "frobenius": self.frobenius >= 0,
            "lr": self.lr > 0,
            "epochs": self.epochs >= 1,
            "batch_size": self.batch_size >= 1,
            "seed": self.seed >= 0,
        }
        check_fields("autoencoder config", self, checks)


class JointAutoencoder(nn.Module):
    """Sigmoid hidden layer over the variant's input, linear reconstruction of its output."""

    def __init__(self, visual_dim: int, text_dim: int, config: AutoencoderConfig) -> None:
        super().__init__()
        self.visual_dim, self.text_dim = visual_dim, text_dim
        self.text_in, self.visual_out = VARIANTS[config.variant]
        width = visual_dim + (text_dim if self.text_in else 0)
        self.encoder = nn.Linear(width, max(1, round(config.hidden_ratio * width)))
        out = (visual_dim if self.visual_out else 0) + text_dim
        self.decoder = nn.Linear(self.encoder.out_features, out)

    def inputs(self, visual: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """The network input: [v, t] for the joint network, v for the cross-modal ones."""
        return torch.cat([visual, text], dim=1) if self.text_in else visual

    def targets(self, visual: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """What the output reconstructs: [v, t], or t alone for Cross-Modal I."""
        return torch.cat([visual, text], dim=1) if self.visual_out else text

    def encode(self, visual: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """The hidden representation."""
        return torch.sigmoid(self.encoder(self.inputs(visual, text)))

    def forward(self, visual: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """The reconstruction of :meth:`targets`."""
        return self.decoder(self.encode(visual, text))


def _tensor(array: np.ndarray, name: str, device: torch.device) -> torch.Tensor:
    if array.ndim != 2 or not np.isfinite(array).all():
        raise InputError(f"{name}: expected a finite 2-D matrix, got shape {array.shape}")
    return torch.as_tensor(np.ascontiguousarray(array), dtype=torch.float32, device=device)


def reconstruction_loss(
    model: JointAutoencoder,
    visual: torch.Tensor,
    text: torch.Tensor,
    config: AutoencoderConfig,
) -> torch.Tensor:
    """Weighted squared reconstruction error per item plus the Frobenius penalty."""
    error = (model(visual, text) - model.targets(visual, text)).pow(2)
    if model.visual_out:
        split = model.visual_dim
        per_item = error[:, :split].sum(dim=1) + config.mu * error[:, split:].sum(dim=1)
    else:
        per_item = error.sum(dim=1)
    penalty = model.encoder.weight.pow(2).sum() + model.decoder.weight.pow(2).sum()
    return per_item.mean() + config.frobenius * penalty


def train_autoencoder(
    visual: np.ndarray,
    text: np.ndarray,
    config: AutoencoderConfig,
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> tuple[JointAutoencoder, list[float]]:
    """Train on paired rows of ``visual`` and ``text``; return the model and the mean training
    loss of every epoch. The seed fixes the initial weights and the batch order.

    With ``resume``, the state after every epoch is saved there, and a run with the same data
    and config continues after the last saved epoch (with the same result as without a break).
    """
    if len(visual) != len(text):
        raise InputError(f"autoencoder: {len(visual)} visual rows but {len(text)} text rows")
    device = device or pick_device()
    torch.manual_seed(config.seed)
    v, t = _tensor(visual, "visual features", device), _tensor(text, "text features", device)
    model = JointAutoencoder(v.shape[1], t.shape[1], config).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    order = torch.Generator().manual_seed(config.seed)
    state = TrainingState(
        resume,
        {"config": asdict(config), "data": data_digest(visual, text)},
        {"model": model, "optimiser": optimiser, "order": order},
    )
    losses: list[float] = state.restore().get("losses", [])
    first = len(losses) + 1
    for epoch in progress(
        range(first, config.epochs + 1), config.epochs - first + 1, "autoencoder"
    ):
        model.train()
        total = 0.0
        for batch in torch.randperm(len(v), generator=order).to(device).split(config.batch_size):
            optimiser.zero_grad()
            loss = reconstruction_loss(model, v[batch], t[batch], config)
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        losses.append(total / len(v))
        log.info("autoencoder %s epoch %d: loss %.4f", config.variant, epoch, losses[-1])
        state.save(losses=losses)
    return model, losses


@dataclass(frozen=True)
class TrainedAutoencoder:
    """A trained network with what it was trained on: its config (the chosen mu), the loss of
    every epoch, the tags its text features were computed without (the concept's, so that a
    classifier can check it reads a model that never saw them) and the training-set score of
    every mu of the grid it was chosen from (empty without a grid)."""

    model: JointAutoencoder
    config: AutoencoderConfig
    losses: list[float]
    removed_tags: list[str] = field(default_factory=list)
    mu_scores: dict[float, float] = field(default_factory=dict)


def save_autoencoder(trained: TrainedAutoencoder, path: str | os.PathLike[str]) -> None:
    """Write the trained weights with what rebuilds them and what they were trained on."""
    model = trained.model
    payload = {
        "config": asdict(trained.config),
        "visual_dim": model.visual_dim,
        "text_dim": model.text_dim,
        "state": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "losses": list(trained.losses),
        "removed_tags": list(trained.removed_tags),
        "mu_scores": {float(k): float(v) for k, v in trained.mu_scores.items()},
    }
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def read_autoencoder(path: str | os.PathLike[str]) -> TrainedAutoencoder:
    """A model written by :func:`save_autoencoder`, on CPU, in evaluation mode."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
        config = AutoencoderConfig(**payload["config"])
        model = JointAutoencoder(payload["visual_dim"], payload["text_dim"], config)
        model.load_state_dict(payload["state"])
    except (OSError, RuntimeError, EOFError, KeyError, TypeError, UnpicklingError) as err:
        raise InputError(f"{path}: not a readable autoencoder checkpoint ({err})") from err
    return TrainedAutoencoder(
        model.eval(),
        config,
        payload["losses"],
        payload.get("removed_tags", []),
        payload.get("mu_scores", {}),
    )


def _apply(
    model: JointAutoencoder,
    visual: np.ndarray,
    text: np.ndarray | None,
    what: Literal["encode", "reconstruct"],
    batch_size: int = 4096,
) -> np.ndarray:
    device = next(model.parameters()).device
    if text is None:
        if model.text_in:
            raise InputError("the joint autoencoder needs the text features of its input")
        text = np.zeros((len(visual), model.text_dim), np.float32)  # never read: v alone goes in
    if visual.shape[1] != model.visual_dim or text.shape[1] != model.text_dim:
        raise InputError(
            f"autoencoder expects {model.visual_dim} visual + {model.text_dim} text columns, "
            f"got {visual.shape[1]} + {text.shape[1]}"
        )
    model.eval()
    v, t = _tensor(visual, "visual features", device), _tensor(text, "text features", device)
    step = model.encode if what == "encode" else model.forward
    with torch.no_grad():
        parts = [step(a, b) for a, b in zip(v.split(batch_size), t.split(batch_size), strict=True)]
    return torch.cat(parts).cpu().numpy()


def encode(
    model: JointAutoencoder, visual: np.ndarray, text: np.ndarray | None = None
) -> np.ndarray:
    """Hidden representations (the cross-modal variants read the visual features only)."""
    return _apply(model, visual, text, "encode")


def reconstruct_text(
    model: JointAutoencoder, visual: np.ndarray, text: np.ndarray | None = None
) -> np.ndarray:
    """The text part of the reconstruction: a standardised mean tag vector per image."""
    return _apply(model, visual, text, "reconstruct")[:, -model.text_dim :]
