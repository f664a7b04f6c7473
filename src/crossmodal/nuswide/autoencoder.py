"""The joint image-tag autoencoder of the NUS-WIDE study, in torch.

One hidden layer over the concatenated visual and tag input [v, t], over-complete (``hidden_ratio``
times the input width, 1.4 in the study) with a sigmoid, and a linear output layer that
reconstructs [v, t]. The reconstruction error is weighted toward the tags,

    loss = (||v_hat - v||^2 + mu ||t_hat - t||^2) / n + lambda (||W_enc||_F^2 + ||W_dec||_F^2),

with mu = 10 and a Frobenius (weight-decay) penalty on both weight matrices. Three variants
differ in what goes in and what must come out:

* ``joint``: [v, t] in, [v, t] out - the joint representation of an image with its tags;
* ``crossmodal1`` (Cross-Modal I): [v, 0] in, t out - the tags are zeroed at input and only
  their reconstruction counts, so the hidden layer learns to predict tags from the image;
* ``crossmodal2`` (Cross-Modal II): [v, 0] in, [v, t] out.

An image's representation is the hidden layer: of [v, t] for the joint model, of [v, 0] for the
cross-modal ones (they are meant for images without tags).
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
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
    mu: float = 10.0  # weight of the tag reconstruction
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
    """Sigmoid hidden layer over [v, t], linear reconstruction of [v, t]."""

    def __init__(self, visual_dim: int, tag_dim: int, config: AutoencoderConfig) -> None:
        super().__init__()
        self.visual_dim, self.tag_dim = visual_dim, tag_dim
        self.tags_in = VARIANTS[config.variant][0]
        width = visual_dim + tag_dim
        self.encoder = nn.Linear(width, max(1, round(config.hidden_ratio * width)))
        self.decoder = nn.Linear(self.encoder.out_features, width)

    def inputs(self, visual: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """The network input: [v, t], or [v, 0] for the cross-modal variants."""
        return torch.cat([visual, tags if self.tags_in else torch.zeros_like(tags)], dim=1)

    def encode(self, visual: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """The hidden representation."""
        return torch.sigmoid(self.encoder(self.inputs(visual, tags)))

    def forward(self, visual: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """The reconstruction [v_hat, t_hat]."""
        return self.decoder(self.encode(visual, tags))


def _tensor(array: np.ndarray, name: str, device: torch.device) -> torch.Tensor:
    if array.ndim != 2 or not np.isfinite(array).all():
        raise InputError(f"{name}: expected a finite 2-D matrix, got shape {array.shape}")
    return torch.as_tensor(np.ascontiguousarray(array), dtype=torch.float32, device=device)


def reconstruction_loss(
    model: JointAutoencoder,
    visual: torch.Tensor,
    tags: torch.Tensor,
    config: AutoencoderConfig,
) -> torch.Tensor:
    """Weighted squared reconstruction error per item plus the Frobenius penalty."""
    out = model(visual, tags)
    visual_weight = VARIANTS[config.variant][1]
    error = visual_weight * (out[:, : model.visual_dim] - visual).pow(2).sum(dim=1)
    error = error + config.mu * (out[:, model.visual_dim :] - tags).pow(2).sum(dim=1)
    penalty = model.encoder.weight.pow(2).sum() + model.decoder.weight.pow(2).sum()
    return error.mean() + config.frobenius * penalty


def train_autoencoder(
    visual: np.ndarray,
    tags: np.ndarray,
    config: AutoencoderConfig,
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> tuple[JointAutoencoder, list[float]]:
    """Train on paired rows of ``visual`` and ``tags``; return the model and the mean training
    loss of every epoch. The seed fixes the initial weights and the batch order.

    With ``resume``, the state after every epoch is saved there, and a run with the same data
    and config continues after the last saved epoch (with the same result as without a break).
    """
    if len(visual) != len(tags):
        raise InputError(f"autoencoder: {len(visual)} visual rows but {len(tags)} tag rows")
    device = device or pick_device()
    torch.manual_seed(config.seed)
    v, t = _tensor(visual, "visual features", device), _tensor(tags, "tags", device)
    model = JointAutoencoder(v.shape[1], t.shape[1], config).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    order = torch.Generator().manual_seed(config.seed)
    state = TrainingState(
        resume,
        {"config": asdict(config), "data": data_digest(visual, tags)},
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


def save_autoencoder(
    model: JointAutoencoder,
    config: AutoencoderConfig,
    losses: list[float],
    path: str | os.PathLike[str],
) -> None:
    """Write the trained weights with what rebuilds them and the per-epoch losses."""
    payload = {
        "config": asdict(config),
        "visual_dim": model.visual_dim,
        "tag_dim": model.tag_dim,
        "state": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "losses": losses,
    }
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def read_autoencoder(path: str | os.PathLike[str]) -> JointAutoencoder:
    """A model written by :func:`save_autoencoder`, on CPU, in evaluation mode."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except (OSError, RuntimeError, EOFError) as err:
        raise InputError(f"{path}: not a readable autoencoder checkpoint ({err})") from err
    config = AutoencoderConfig(**payload["config"])
    model = JointAutoencoder(payload["visual_dim"], payload["tag_dim"], config)
    model.load_state_dict(payload["state"])
    return model.eval()


def _apply(
    model: JointAutoencoder,
    visual: np.ndarray,
    tags: np.ndarray,
    what: Literal["encode", "reconstruct"],
    batch_size: int = 4096,
) -> np.ndarray:
    device = next(model.parameters()).device
    if visual.shape[1] != model.visual_dim or tags.shape[1] != model.tag_dim:
        raise InputError(
            f"autoencoder expects {model.visual_dim} visual + {model.tag_dim} tag columns, "
            f"got {visual.shape[1]} + {tags.shape[1]}"
        )
    model.eval()
    v, t = _tensor(visual, "visual features", device), _tensor(tags, "tags", device)
    step = model.encode if what == "encode" else model.forward
    with torch.no_grad():
        parts = [step(a, b) for a, b in zip(v.split(batch_size), t.split(batch_size), strict=True)]
    return torch.cat(parts).cpu().numpy()


def encode(model: JointAutoencoder, visual: np.ndarray, tags: np.ndarray) -> np.ndarray:
    """Hidden representations (the cross-modal variants ignore ``tags``)."""
    return _apply(model, visual, tags, "encode")


def predict_tags(model: JointAutoencoder, visual: np.ndarray, tags: np.ndarray) -> np.ndarray:
    """The tag part of the reconstruction: a score per tag of the vocabulary."""
    return _apply(model, visual, tags, "reconstruct")[:, model.visual_dim :]
