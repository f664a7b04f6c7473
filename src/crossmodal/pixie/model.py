"""The PIXIE model (Ailem et al., EMNLP 2018): skip-gram with negative sampling joined to a
variational autoencoder over the image features of visual words, and the V-SGNS baseline in the
same module. How the model is fed and trained: :mod:`crossmodal.pixie.stream` and
:mod:`crossmodal.pixie.training`.

Model. Every word w has a text embedding e_w and a context embedding v_w. A visual word (one with
an averaged image feature x_w, scaled to [0, 1]) also has a latent visual factor z_w with prior
N(0, I) and posterior q(z_w | x_w) = N(mu(x_w), diag sigma^2(x_w)) given by the encoder (one tanh
hidden layer); the decoder (one tanh hidden layer, sigmoid output) gives p(x_w | z_w) as
independent Bernoullis on the scaled feature. A (word, context) pair is scored
v_c . (e_w + m_w z_w), m_w = 1 for visual words and 0 otherwise, and observed pairs and negative
samples (unigram^0.75, as word2vec) are Bernoulli with that logit. The ELBO is

    sum over pairs (w, c) of E_q[log p(D | w, c, z_w)]
    + sum over visual words w of (E_q[log p(x_w | z_w)] - KL(q(z_w | x_w) || N(0, I))).

Embeddings after training: PIXIE+ s_w = e_w + m_w mu(x_w) and PIXIE(+) (concatenation)
[e_w, m_w mu(x_w)].

Encoder input (``standardise``, not in the paper): the encoder may read the features centred
and divided by their spread over the visual words (see :class:`VisualVAE`). Without it, visual
vectors that share one large component (the demo's untrained-CNN features) let the skip-gram
term saturate the encoder's tanh layer along that component, and mu(x_w) becomes the same
vector for every visual word.

V-SGNS (``visual="linear"``), our reading of the paper's visual skip-gram baseline: the same
skip-gram, with the visual vector entering the word's representation deterministically,
e_w + m_w W x_w with a learned linear map W and no generative term; its embedding is that sum.
``visual="none"`` is plain skip-gram in the same code (used by the tests and the benchmark).

Implementation choices of the loss not in the paper, made for speed (each pair's loss and the
expected gradient are unchanged; a third, lazy Adam, is :mod:`crossmodal.pixie.optimiser`'s):

- Negatives shared by a group: each run of :data:`NEGATIVE_GROUP` consecutive pairs of a
  shuffled mini-batch shares its K negative samples. Every pair still scores K independent
  draws from the noise distribution, so its term has the same distribution as with private
  negatives; only pairs of one group are correlated. The negatives' scores become one small
  matrix product per group, and a step gathers and scatters 1 + K / NEGATIVE_GROUP context rows
  per pair instead of 1 + K.
- The representation e_w + m_w z_w, the visual term and its weight are computed once per
  distinct centre word of the batch, not per pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import nn

from crossmodal.core.errors import InputError, check_fields

Visual = Literal["vae", "linear", "none"]

# Consecutive (shuffled) pairs of a mini-batch that share their K negative samples (see the
# module docstring): fewer rows to gather and scatter, the negatives' scores one small matrix
# product per group. On the demo (1 epoch, mean over 6-10 seeds) groups of 4 and 8 gave PIXIE+
# and PIXIE(+) word similarity at least as good as private negatives (V-SGNS with groups of 4:
# WS353 rho 0.10 against 0.13, SimLex 0.095 against 0.10, within the seeds' spread); 4 keeps
# the training loss closer to theirs: lazy Adam moves a context row once per step that draws
# it, and larger groups draw fewer distinct rows.
NEGATIVE_GROUP = 4


@dataclass(frozen=True)
class PixieConfig:
    """Hyper-parameters, named as in config section ``pixie: model:`` (schema has defaults)."""

    visual: Visual = "vae"
    dim: int = 100
    hidden: int = 500
    window: int = 10
    negative: int = 64
    epochs: int = 5
    batch_size: int = 1024
    lr: float = 0.001
    sample: float = 0.001
    standardise: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "visual": self.visual in ("vae", "linear", "none"),
            "dim": self.dim >= 1,
            "hidden": self.hidden >= 1,
            "window": self.window >= 1,
            "negative": self.negative >= 1,
            "epochs": self.epochs >= 1,
            "batch_size": self.batch_size >= 1,
            "lr": self.lr > 0,
            "sample": self.sample >= 0,
            "seed": self.seed >= 0,
        }
        check_fields("pixie config", self, checks)


class VisualVAE(nn.Module):
    """Encoder q(z | x) and decoder p(x | z): one tanh hidden layer each, sigmoid output.

    With ``standardise`` (our addition, config ``pixie: model: standardise``), the encoder reads
    each feature dimension centred and divided by its spread over the visual words of
    ``features``; the decoder still models the [0, 1]-scaled x. A fixed affine map at the
    encoder's input is a reparametrisation of the inference network q(z | x): the generative
    model and the ELBO are unchanged. It matters when the visual vectors share one large
    component (the demo's untrained-CNN features: cosine ~0.98 between words, ~0.89 after
    scaling): the skip-gram term then drives the encoder's tanh units into saturation along
    that shared component, every hidden state becomes the same and mu(x_w) one vector for all
    visual words (measured on the demo: 97% of units saturated, mu at cosine 1.0000).
    """

    def __init__(
        self,
        visual_dim: int,
        dim: int,
        hidden: int,
        features: np.ndarray | None = None,
        standardise: bool = False,
    ) -> None:
        super().__init__()
        shift, spread = np.zeros(visual_dim), np.ones(visual_dim)
        if standardise and features is not None and len(features) > 1:
            shift, spread = features.mean(axis=0), features.std(axis=0)
            spread = np.where(spread > 0, spread, 1.0)
        self.register_buffer("shift", torch.as_tensor(shift, dtype=torch.float32))
        self.register_buffer("spread", torch.as_tensor(spread, dtype=torch.float32))
        self.encoder = nn.Sequential(nn.Linear(visual_dim, hidden), nn.Tanh())
        self.mean = nn.Linear(hidden, dim)
        self.log_var = nn.Linear(hidden, dim)
        self.decoder = nn.Sequential(
            nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, visual_dim), nn.Sigmoid()
        )

    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z | x)."""
        h = self.encoder((x - self.shift) / self.spread)
        return self.mean(h), self.log_var(h)

    def negative_elbo(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(-E_q[log p(x | z)] + KL(q || N(0, I)) per row, one reparametrised sample z)."""
        mean, log_var = self.posterior(x)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        reconstruction = nn.functional.binary_cross_entropy(
            self.decoder(z), x, reduction="none"
        ).sum(dim=1)
        kl = 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(dim=1)
        return reconstruction + kl, z


class PixieModel(nn.Module):
    """Word and context embeddings, and the visual part of ``config.visual``. The embedding
    tables are not trained by autograd on the whole table: a step gathers the rows its batch
    touches, differentiates the loss with respect to those, and :class:`RowAdam` updates them."""

    def __init__(self, n_words: int, features: np.ndarray, rows: np.ndarray, config: PixieConfig):
        super().__init__()
        self.config = config
        self.words = nn.Embedding(n_words, config.dim)
        self.contexts = nn.Embedding(n_words, config.dim)
        with torch.no_grad():
            self.words.weight.uniform_(-0.5 / config.dim, 0.5 / config.dim)
            self.contexts.weight.zero_()
        self.words.weight.requires_grad_(False)
        self.contexts.weight.requires_grad_(False)
        self.register_buffer("features", torch.as_tensor(features, dtype=torch.float32))
        self.register_buffer("rows", torch.as_tensor(rows, dtype=torch.int64))
        visual_dim = features.shape[1]
        self.vae = (
            VisualVAE(visual_dim, config.dim, config.hidden, features, config.standardise)
            if config.visual == "vae"
            else None
        )
        self.projection = (
            nn.Linear(visual_dim, config.dim, bias=False) if config.visual == "linear" else None
        )
        with torch.no_grad():
            # The visual code starts at zero and the posterior's spread at the scale of the
            # word embeddings' initialisation: the visual term begins as a small perturbation
            # of e_w, not as unit-variance noise that would swamp every score.
            if self.vae is not None:
                for layer in (self.vae.mean, self.vae.log_var):
                    layer.weight.zero_()
                self.vae.mean.bias.zero_()
                self.vae.log_var.bias.fill_(2 * math.log(0.5 / config.dim))
            if self.projection is not None:
                self.projection.weight.zero_()

    def visual_code(self, x: torch.Tensor) -> torch.Tensor:
        """The deterministic visual part added to e_w: mu(x) (PIXIE) or W x (V-SGNS)."""
        if self.vae is not None:
            return self.vae.posterior(x)[0]
        if self.projection is not None:
            return self.projection(x)
        raise InputError("a text-only model has no visual code")

    def loss(
        self,
        word_rows: torch.Tensor,
        words: torch.Tensor,
        centres: torch.Tensor,
        contexts: torch.Tensor,
        negatives: torch.Tensor,
        visual_weight: torch.Tensor,
    ) -> torch.Tensor:
        """Mini-batch estimate of -ELBO / pairs. ``words``: the batch's distinct centre ids,
        ``word_rows`` their text embeddings; ``centres``: each pair's position in ``words``;
        ``contexts``: each pair's observed context embedding; ``negatives``: groups x K x dim,
        the negatives' context embeddings shared by each run of :data:`NEGATIVE_GROUP` pairs;
        ``visual_weight[w]`` = 1 / n_w, the share of w's visual term each of its pairs carries.
        The representation e_w + m_w z_w and the visual term are computed once per distinct
        word, z_w being w's one sample for the batch."""
        represent = word_rows
        extra = torch.zeros((), device=words.device)
        if self.config.visual != "none":
            rows = self.rows[words]
            visual = (rows >= 0).nonzero().squeeze(1)
            if len(visual):
                x = self.features[rows[visual]]
                if self.vae is not None:
                    terms, z = self.vae.negative_elbo(x)
                    counts = torch.bincount(centres, minlength=len(words))[visual]
                    weight = counts * visual_weight[words[visual]]
                    extra = (terms * weight).sum() / len(centres)
                else:
                    z = self.projection(x)
                represent = represent.index_add(0, visual, z)
        pairs = represent.index_select(0, centres)
        observed = (pairs * contexts).sum(dim=1)
        groups, dim = len(negatives), pairs.shape[1]
        padded = torch.cat([pairs, pairs.new_zeros(groups * NEGATIVE_GROUP - len(pairs), dim)])
        noise = torch.bmm(padded.view(groups, NEGATIVE_GROUP, dim), negatives.transpose(1, 2))
        noise = noise.view(groups * NEGATIVE_GROUP, -1)[: len(pairs)]
        nll = -nn.functional.logsigmoid(observed).sum() - nn.functional.logsigmoid(-noise).sum()
        return nll / len(pairs) + extra

    def embeddings(self) -> dict[str, np.ndarray]:
        """The trained word representations: ``text`` (e_w), and for visual models ``plus``
        (e_w + m_w code) and ``concat`` ([e_w, m_w code]), code = mu(x_w) or W x_w."""
        with torch.no_grad():
            text = self.words.weight.detach().clone()
            out = {"text": text.cpu().numpy()}
            if self.config.visual == "none":
                return out
            code = torch.zeros_like(text)
            visual = self.rows >= 0
            code[visual] = self.visual_code(self.features[self.rows[visual]])
        out["plus"] = (text + code).cpu().numpy()
        out["concat"] = torch.cat([text, code], dim=1).cpu().numpy()
        return out
