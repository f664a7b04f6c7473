"""Cross-modal mappings f: X -> Y of Collell & Moens (ACL 2018), in torch.

``lin`` is one affine layer; ``nn`` is a feed-forward net with 1, 3 or 5 hidden layers (the
paper's main results use one; the supplement adds deeper ones). Losses: mean squared error (the
paper's default), cosine (1 - cos) and max-margin ranking (:func:`max_margin_loss`), the loss of
Lazaridou et al. (2015) that the supplement compares. Training is RMSprop on mini-batches (64 in
the paper) for a fixed number of epochs, with RMSprop's decay ``rho`` (torch's ``alpha``) and
``epsilon`` as fields of the config; a callback sees the model after every epoch, which is how
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
    rho: float = (
        0.99  # RMSprop's decay of the squared-gradient average (torch's alpha, Keras's rho)
    )
    epsilon: float = 1e-8  # RMSprop's epsilon
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
            "rho": 0 <= self.rho < 1,
            "epsilon": self.epsilon > 0,
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


def max_margin_loss(
    pred: torch.Tensor,
    target: torch.Tensor,
    margin: float,
    same_class: torch.Tensor | None = None,
) -> torch.Tensor:
    """Collell & Moens' max-margin loss on a batch: for each item i, the hinge
    max(0, margin - cos(p_i, y_i) + cos(p_i, y_j)) of ONE negative target y_j, the first that
    violates the margin (hinge > 0) among the targets of another class, as in Lazaridou et al.
    (2015) and Weston et al. (2011); 0 when none violates. Mean over the batch's items.

    Negatives are the batch's other targets (the batch is a random sample of the training
    items), taken in the batch's random order starting after item i and wrapping round, so that
    each item scans the others in its own random order. ``same_class[i, j]`` (boolean, batch x
    batch) marks targets of item i's class, which are not negatives; None: every other item is
    of another class (Collell's ImageNet, one item per word)."""
    sims = nn.functional.normalize(pred, dim=1) @ nn.functional.normalize(target, dim=1).T
    n = len(sims)
    rows = torch.arange(n, device=sims.device)
    hinge = torch.clamp(margin - sims.diagonal()[:, None] + sims, min=0)
    negative = rows[:, None] != rows[None, :]
    if same_class is not None:
        negative &= ~same_class
    violating = negative & (hinge > 0)
    steps = (rows[None, :] - rows[:, None]) % n  # place of j in i's scan: i+1, i+2, ... wrapping
    first = torch.where(violating, steps, n).argmin(dim=1)
    return (hinge[rows, first] * violating.any(dim=1)).mean()


def mapping_loss(
    pred: torch.Tensor,
    target: torch.Tensor,
    loss: Loss,
    margin: float,
    same_class: torch.Tensor | None = None,
) -> torch.Tensor:
    """Batch loss: mean squared error, mean (1 - cos), or :func:`max_margin_loss` (which alone
    reads ``margin`` and ``same_class``)."""
    if loss == "mse":
        return nn.functional.mse_loss(pred, target)
    if loss == "cosine":
        return (1 - nn.functional.cosine_similarity(pred, target, dim=1)).mean()
    return max_margin_loss(pred, target, margin, same_class)


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
    classes: np.ndarray | None = None,
) -> nn.Sequential:
    """Train f with f(x_i) ≈ y_i; ``on_epoch(epoch, model)`` runs after each epoch (1-based).
    ``classes`` (max_margin only): an items x classes boolean matrix, items sharing a class are
    no negatives of each other (None: each item its own class).

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
    membership = _classes(classes, len(x), device) if config.loss == "max_margin" else None
    model = build_network(inputs.shape[1], targets.shape[1], config).to(device)
    optimiser = torch.optim.RMSprop(
        model.parameters(), lr=config.lr, alpha=config.rho, eps=config.epsilon
    )
    order = torch.Generator().manual_seed(config.seed)
    key = {"config": asdict(config), "x": data_digest(x), "y": data_digest(y)}
    if membership is not None:
        key["classes"] = data_digest(np.asarray(classes))
    state = TrainingState(
        resume,
        key,
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
        permutation = torch.randperm(len(inputs), generator=order).to(device)
        _train_epoch(model, optimiser, (inputs, targets, membership), permutation, config)
        if on_epoch is not None:
            on_epoch(epoch, model)
        if resume is not None:
            history.append(snapshot(model))
            state.save(history=history)
    return model


def _train_epoch(
    model: nn.Module,
    optimiser: torch.optim.Optimizer,
    data: tuple[torch.Tensor, torch.Tensor, torch.Tensor | None],
    permutation: torch.Tensor,
    config: MappingConfig,
) -> None:
    """One pass over the items in the order ``permutation``, one RMSprop step per batch;
    ``data``: inputs, targets and the max-margin class membership (or None)."""
    inputs, targets, membership = data
    model.train()
    for batch in permutation.split(config.batch_size):
        if config.loss == "max_margin" and len(batch) < 2:
            continue  # a lone last item has no negatives
        optimiser.zero_grad()
        same = None if membership is None else membership[batch] @ membership[batch].T > 0
        loss = mapping_loss(model(inputs[batch]), targets[batch], config.loss, config.margin, same)
        loss.backward()
        optimiser.step()


def _classes(classes: np.ndarray | None, n: int, device: torch.device) -> torch.Tensor | None:
    """The class membership matrix as float32 on ``device`` (a product of two rows counts the
    classes two items share), checked against the number of items."""
    if classes is None:
        return None
    if classes.ndim != 2 or len(classes) != n:
        raise InputError(f"classes: expected {n} rows of class membership, got {classes.shape}")
    return torch.as_tensor(classes, dtype=torch.float32, device=device)


def predict(model: nn.Module, x: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """f(x) as float32 NumPy, in evaluation mode (no dropout), in batches to bound memory."""
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        parts = [model(chunk) for chunk in _tensor(x, "inputs", device).split(batch_size)]
    return torch.cat(parts).cpu().numpy()


def save_checkpoints(folds: Sequence[Checkpoints], path: str | os.PathLike[str]) -> None:
    """Write the per-epoch weights of every trained mapping (one per fold and run), with what
    rebuilds them."""
    payload = [
        {
            "config": asdict(f.config),
            "in_dim": f.in_dim,
            "out_dim": f.out_dim,
            "epochs": f.states,
            "fold": f.fold,
            "run": f.run,
        }
        for f in folds
    ]
    with atomic_path(path) as tmp:
        torch.save({"folds": payload}, tmp)


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the weights, for :class:`Checkpoints`."""
    return {name: value.detach().cpu().clone() for name, value in model.state_dict().items()}


@dataclass(frozen=True)
class Checkpoints:
    """The per-epoch weights of one trained mapping, read once, rebuilt per epoch on demand.

    ``states`` may run past ``config.epochs``: the selected number of epochs is
    ``config.epochs``, and the weights of later epochs are kept for the learning curves. ``fold``
    and ``run`` name the evaluation fold and the repeated run (seed) it was trained for."""

    config: MappingConfig
    in_dim: int
    out_dim: int
    states: list[dict[str, torch.Tensor]]
    source: str
    fold: int = 0
    run: int = 0

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
    """The checkpoints written by :func:`save_checkpoints`, in their order."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)["folds"]
        return [
            Checkpoints(
                MappingConfig(**unit["config"]),
                unit["in_dim"],
                unit["out_dim"],
                unit["epochs"],
                f"{path} (fold {unit['fold']}, run {unit['run']})",
                unit["fold"],
                unit["run"],
            )
            for unit in payload
        ]
    except (OSError, RuntimeError, EOFError, KeyError, TypeError) as err:
        raise UnreadableFile(path, "mapping checkpoint", repr(err)) from err
