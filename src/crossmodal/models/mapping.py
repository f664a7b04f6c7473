"""Cross-modal mappings f: X -> Y of Collell & Moens (ACL 2018), in torch.

``lin`` is one affine layer; ``nn`` is a feed-forward net with 1, 3 or 5 hidden layers (the
paper's main results use one; the supplement adds deeper ones). Losses: mean squared error (the
paper's default), cosine (1 - cos) and max-margin ranking with in-batch negatives, the loss of
Lazaridou et al. (2015) that the supplement compares. Training is RMSprop on mini-batches (64 in
the paper) for a fixed number of epochs; a callback sees the model after every epoch, which is how
the workflow records per-epoch checkpoints and the mNNO-vs-epochs curve (the paper's Fig. 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError, UnreadableFile, check_fields
from crossmodal.core.io import atomic_path
from crossmodal.core.resume import TrainingState, data_digest

Model = Literal["lin", "nn"]
Loss = Literal["mse", "cosine", "max_margin"]
Activation = Literal["relu", "tanh", "sigmoid"]

_ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


@dataclass(frozen=True)
class MappingConfig:
    """Everything that defines one trained mapping; a change of any field is a new mapping."""

    model: Model = "lin"
    hidden_layers: int = 1  # nn only
    hidden: int = 256  # units per hidden layer (nn only)
    activation: Activation = "relu"
    dropout: float = 0.0  # on hidden layers (nn only)
    loss: Loss = "mse"
    margin: float = 0.5  # max_margin only
    lr: float = 0.001
    epochs: int = 25
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "model": self.model in ("lin", "nn"),
            "loss": self.loss in ("mse", "cosine", "max_margin"),
            "activation": self.activation in _ACTIVATIONS,
            "hidden_layers": self.hidden_layers >= 1,
            "hidden": self.hidden >= 1,
            "dropout": 0.0 <= self.dropout < 1.0,
            "margin": self.margin > 0,
            "lr": self.lr > 0,
            "epochs": self.epochs >= 1,
            "batch_size": self.batch_size >= 1,
            "seed": self.seed >= 0,
        }
        check_fields("mapping config", self, checks)


def build_network(in_dim: int, out_dim: int, config: MappingConfig) -> nn.Sequential:
    """The layer stack of a mapping, with torch's default (Kaiming-uniform) initialisation."""
    if config.model == "lin":
        return nn.Sequential(nn.Linear(in_dim, out_dim))
    layers: list[nn.Module] = []
    width = in_dim
    for _ in range(config.hidden_layers):
        layers += [nn.Linear(width, config.hidden), _ACTIVATIONS[config.activation]()]
        if config.dropout > 0:
            layers.append(nn.Dropout(config.dropout))
        width = config.hidden
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


def mapping_loss(
    pred: torch.Tensor, target: torch.Tensor, loss: Loss, margin: float
) -> torch.Tensor:
    """Batch loss. Max-margin pushes each prediction's cosine to its own target above its cosine to
    every other target of the batch by ``margin`` (sum over negatives, mean over items)."""
    if loss == "mse":
        return nn.functional.mse_loss(pred, target)
    if loss == "cosine":
        return (1 - nn.functional.cosine_similarity(pred, target, dim=1)).mean()
    sims = nn.functional.normalize(pred, dim=1) @ nn.functional.normalize(target, dim=1).T
    positive = sims.diagonal()[:, None]
    hinge = torch.clamp(margin - positive + sims, min=0)
    off_diagonal = ~torch.eye(len(sims), dtype=torch.bool, device=sims.device)
    return (hinge * off_diagonal).sum(dim=1).mean()


def _tensor(array: np.ndarray, name: str, device: torch.device) -> torch.Tensor:
    if array.ndim != 2 or not np.isfinite(array).all():
        raise InputError(f"{name}: expected a finite 2-D matrix, got shape {array.shape}")
    return torch.as_tensor(np.ascontiguousarray(array), dtype=torch.float32, device=device)


def train_mapping(
    x: np.ndarray,
    y: np.ndarray,
    config: MappingConfig,
    device: torch.device | None = None,
    on_epoch: Callable[[int, nn.Module], None] | None = None,
    resume: str | os.PathLike[str] | None = None,
) -> nn.Sequential:
    """Train f with f(x_i) ≈ y_i; ``on_epoch(epoch, model)`` runs after each epoch (1-based).

    The seed fixes both the initial weights and the batch order, so the same inputs and config
    give the same mapping on the same device. With ``resume``, the weights of every epoch, the
    optimiser and the random generators are saved there after each epoch
    (:class:`crossmodal.core.resume.TrainingState`); a rerun of the same training continues
    after the last saved epoch, first replaying ``on_epoch`` on the saved weights of the epochs
    already done, so that the caller sees every epoch and the result equals an uninterrupted run.
    """
    if len(x) != len(y):
        raise InputError(f"training pairs: {len(x)} inputs but {len(y)} targets")
    if config.loss == "max_margin" and config.batch_size < 2:
        raise InputError("mapping config: max_margin needs batch_size >= 2 (negatives)")
    device = device or pick_device()
    torch.manual_seed(config.seed)
    inputs, targets = _tensor(x, "inputs", device), _tensor(y, "targets", device)
    model = build_network(inputs.shape[1], targets.shape[1], config).to(device)
    optimiser = torch.optim.RMSprop(model.parameters(), lr=config.lr)
    order = torch.Generator().manual_seed(config.seed)
    state = TrainingState(
        resume,
        {"config": asdict(config), "x": data_digest(x), "y": data_digest(y)},
        {"model": model, "optimiser": optimiser, "order": order},
        torch_rng=True,
    )
    history: list[dict[str, torch.Tensor]] = state.restore().get("history", [])
    if on_epoch is not None:
        last = snapshot(model)
        for epoch, weights in enumerate(history, start=1):
            model.load_state_dict(weights)
            on_epoch(epoch, model)
        model.load_state_dict(last)
    for epoch in range(len(history) + 1, config.epochs + 1):
        model.train()
        permutation = torch.randperm(len(inputs), generator=order).to(device)
        for batch in permutation.split(config.batch_size):
            if config.loss == "max_margin" and len(batch) < 2:
                continue  # a lone last item has no negatives
            optimiser.zero_grad()
            loss = mapping_loss(model(inputs[batch]), targets[batch], config.loss, config.margin)
            loss.backward()
            optimiser.step()
        if on_epoch is not None:
            on_epoch(epoch, model)
        if resume is not None:
            history.append(snapshot(model))
            state.save(history=history)
    return model


def predict(model: nn.Module, x: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """f(x) as float32 NumPy, in evaluation mode (no dropout), in batches to bound memory."""
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        parts = [model(chunk) for chunk in _tensor(x, "inputs", device).split(batch_size)]
    return torch.cat(parts).cpu().numpy()


def save_checkpoints(folds: Sequence[Checkpoints], path: str | os.PathLike[str]) -> None:
    """Write the per-epoch weights of every fold's mapping, with what rebuilds them."""
    payload = [
        {"config": asdict(f.config), "in_dim": f.in_dim, "out_dim": f.out_dim, "epochs": f.states}
        for f in folds
    ]
    with atomic_path(path) as tmp:
        torch.save({"folds": payload}, tmp)


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the weights, for :class:`Checkpoints`."""
    return {name: value.detach().cpu().clone() for name, value in model.state_dict().items()}


@dataclass(frozen=True)
class Checkpoints:
    """The per-epoch weights of one trained mapping, read once, rebuilt per epoch on demand."""

    config: MappingConfig
    in_dim: int
    out_dim: int
    states: list[dict[str, torch.Tensor]]
    source: str

    @property
    def epochs(self) -> int:
        """Number of epochs held (1..epochs)."""
        return len(self.states)

    def model(self, epoch: int | None = None) -> nn.Sequential:
        """The mapping after ``epoch`` (default: the last), on CPU."""
        epoch = epoch or self.epochs
        if not 1 <= epoch <= self.epochs:
            raise InputError(f"{self.source}: has epochs 1..{self.epochs}, asked for {epoch}")
        model = build_network(self.in_dim, self.out_dim, self.config)
        model.load_state_dict(self.states[epoch - 1])
        return model


def read_checkpoints(path: str | os.PathLike[str]) -> list[Checkpoints]:
    """The folds' checkpoints written by :func:`save_checkpoints`, in fold order."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)["folds"]
    except (OSError, RuntimeError, EOFError, KeyError, TypeError) as err:
        raise UnreadableFile(path, "mapping checkpoint", repr(err)) from err
    return [
        Checkpoints(
            MappingConfig(**fold["config"]),
            fold["in_dim"],
            fold["out_dim"],
            fold["epochs"],
            f"{path} (fold {number})",
        )
        for number, fold in enumerate(payload)
    ]
