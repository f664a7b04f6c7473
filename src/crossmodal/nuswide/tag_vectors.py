"""Tag representations of the NUS-WIDE study: semantic word vectors from a probabilistic model of
tag co-occurrence, and LSA as the comparison.

Semantic word vectors follow Maas & Ng (2010), "A probabilistic model for semantic word vectors"
(NIPS workshop on deep learning; their demo learns 20-d vectors of NUS-WIDE's Flickr tags): the
log-bilinear document model. Each image's tag set d is a document with a latent vector
theta_d; each tag w has a vector phi_w (the row of R) and a bias b_w, and

    p(w | theta_d) = exp(phi_w . theta_d + b_w) / sum_w' exp(phi_w' . theta_d + b_w').

Tags that co-occur in images are explained by nearby theta and so get nearby phi. Training
minimises the mean negative log-likelihood of the observed tags over the training images plus
Gaussian priors on R and theta (Maas & Ng's lambda_R ||R||^2 / 2 and lambda_theta ||theta||^2 /
(2 N dim), both per observed tag), jointly over R, b and theta by full-batch L-BFGS (their code
alternates minFunc over R and theta; the optimum is the same). An image's semantic vector is the
mean phi of its tags (:mod:`crossmodal.nuswide.text_features`).

The study fits the model once per concept slot, on the training images' tags without the slot's
concept tags (:func:`fit_slot_tag_vectors`), so a concept's removed tags never shape the vectors
its classifier and autoencoders read.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError, check_fields
from crossmodal.core.logs import progress
from crossmodal.core.resume import TrainingState, data_digest
from crossmodal.nuswide.study import StudyData
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TagModelConfig:
    """Settings of the log-bilinear document model (defaults: Maas & Ng's demo)."""

    dim: int = 20
    lambda_words: float = 1e-4  # Gaussian prior on the tag vectors R
    lambda_images: float = 1e-4  # Gaussian prior on the per-image vectors theta
    epochs: int = 20  # checkpointed blocks of L-BFGS iterations
    iterations_per_epoch: int = 10
    chunk_size: int = 8192  # images per forward pass (bounds memory, not the optimum)
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "dim": self.dim >= 1,
            "lambda_words": self.lambda_words >= 0,
            "lambda_images": self.lambda_images >= 0,
            "epochs": self.epochs >= 1,
            "iterations_per_epoch": self.iterations_per_epoch >= 1,
            "chunk_size": self.chunk_size >= 1,
            "seed": self.seed >= 0,
        }
        check_fields("tag model config", self, checks)


class TagModel(torch.nn.Module):
    """Tag vectors R (tags x dim), tag biases b and one latent vector per training image."""

    def __init__(self, n_images: int, n_tags: int, dim: int, seed: int) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.words = torch.nn.Parameter(0.1 * (torch.rand(n_tags, dim, generator=generator) - 0.5))
        self.bias = torch.nn.Parameter(torch.zeros(n_tags))
        self.images = torch.nn.Parameter(
            0.1 * (torch.rand(n_images, dim, generator=generator) - 0.5)
        )

    def log_probs(self, rows: slice) -> torch.Tensor:
        """log p(w | theta_d) of every tag for the images ``rows``."""
        return torch.log_softmax(self.images[rows] @ self.words.T + self.bias, dim=1)


def _objective(model: TagModel, tags: torch.Tensor, config: TagModelConfig) -> torch.Tensor:
    """Accumulate the gradient of the objective chunk by chunk; return its value."""
    n_tokens = float(tags.sum())
    total = 0.0
    for start in range(0, len(tags), config.chunk_size):
        rows = slice(start, start + config.chunk_size)
        loss = -(tags[rows] * model.log_probs(rows)).sum() / n_tokens
        loss.backward()
        total += loss.item()
    prior = (
        0.5 * config.lambda_words * model.words.pow(2).sum()
        + (0.5 * config.lambda_images / model.images.numel()) * model.images.pow(2).sum()
    )
    prior.backward()
    return torch.tensor(total + prior.item())


def fit_tag_vectors(
    tags: np.ndarray,
    config: TagModelConfig,
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> np.ndarray:
    """Tag vectors (tags x dim) of the log-bilinear document model fitted on a binary
    image x tag matrix (images without tags are left out: they carry no co-occurrence).

    With ``resume``, the state after every epoch is saved there and a run with the same data
    and config continues from it.
    """
    tags = tags[tags.sum(axis=1) > 0]
    if len(tags) == 0:
        raise InputError("tag model: no training image has a tag")
    device = device or pick_device()
    torch.manual_seed(config.seed)
    data = torch.as_tensor(tags, dtype=torch.float32, device=device)
    model = TagModel(len(tags), tags.shape[1], config.dim, config.seed).to(device)
    optimiser = torch.optim.LBFGS(
        model.parameters(),
        max_iter=config.iterations_per_epoch,
        history_size=20,
        line_search_fn="strong_wolfe",
    )
    state = TrainingState(
        resume,
        {"config": asdict(config), "data": data_digest(tags > 0)},
        {"model": model, "optimiser": optimiser},
    )
    first = state.restore().get("epoch", 0) + 1

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        return _objective(model, data, config)

    for epoch in progress(range(first, config.epochs + 1), config.epochs - first + 1, "tag model"):
        loss = float(optimiser.step(closure))
        log.info("tag model epoch %d: objective %.5f", epoch, loss)
        state.save(epoch=epoch)
    return model.words.detach().cpu().numpy().astype(np.float32)


def fit_slot_tag_vectors(
    data: StudyData,
    slot: str,
    config: TagModelConfig,
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> WordVectors:
    """The tag vectors of model slot ``slot``: fitted on the training images' tags with the
    slot's concept tags removed from the dictionary (so they have no vector), one row per kept
    tag with the number of training images that have it."""
    removed = data.slot_removed(slot)
    tags, kept = data.tags_for(removed)
    train = tags[data.train]
    log.info(
        "slot %s (%s): %d tags without %s, %d training images",
        slot,
        ", ".join(data.slot_concepts(slot)),
        len(kept),
        removed or "none",
        len(train),
    )
    vectors = fit_tag_vectors(train, config, resume, device)
    table = pd.DataFrame({"word": kept, "n_images": train.sum(axis=0).astype(np.int64)})
    return WordVectors(vectors, table, f"tag model of slot {slot}")
