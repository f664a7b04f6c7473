"""The PIXIE model (Ailem et al., EMNLP 2018): skip-gram with negative sampling joined to a
variational autoencoder over the image features of visual words, with its two text-model
relatives in the same code: V-SGNS (:mod:`crossmodal.pixie.vsgns`) and plain skip-gram. How the
model is fed and trained: :mod:`crossmodal.pixie.stream` and :mod:`crossmodal.pixie.training`.

Model (``visual="vae"``). Every word w has a text embedding e_w and a context embedding v_w. A
visual word (one with an averaged image feature x_w, scaled to [0, 1]) also has a latent visual
factor z_w with prior N(0, I) and posterior q(z_w | x_w) = N(mu(x_w), diag sigma^2(x_w)) given
by the encoder (one tanh hidden layer, linear outputs). The decoder (one tanh hidden layer,
sigmoid outputs: the paper's hyper-parameter paragraph) gives p(x_w | z_w), by default the
paper's Eq. 3, a Gaussian with diagonal covariance whose mean (sigmoid) and variance are both
outputs of the decoder (``likelihood="gaussian"``); ``likelihood="bernoulli"`` reads the sigmoid
outputs as independent Bernoullis on the scaled feature instead. A (word, context) pair is
scored v_c . (e_w + m_w z_w), m_w = 1 for visual words and 0 otherwise, and observed pairs and
negative samples (unigram^0.75, as word2vec) are Bernoulli with that logit. The ELBO (Eq. 9) is

    sum over pairs (w, c) of E_q[log p(D | w, c, z_w)]
    + sum over visual words w of (E_q[log p(x_w | z_w)] - KL(q(z_w | x_w) || N(0, I))).

Embeddings after training: PIXIE+ s_w = e_w + m_w mu(x_w) (Eq. 10) and PIXIE(+) (concatenation,
Eq. 11) [e_w, m_w mu(x_w)].

Gaussian variance floor (not in the paper): the decoder's variance is softplus(a) +
:data:`VARIANCE_FLOOR`; without a floor a feature dimension the decoder predicts well lets the
variance, and the log-likelihood, run away to -inf/+inf.

Encoder input (``standardise``, not in the paper): the encoder may read the features centred
and divided by their spread over the visual words (see :class:`VisualVAE`). Without it, visual
vectors that share one large component (the demo's untrained-CNN features) let the skip-gram
term saturate the encoder's tanh layer along that component, and mu(x_w) becomes the same
vector for every visual word. V-SGNS's regression targets are standardised the same way.

V-SGNS (``visual="margin"``): skip-gram plus Lazaridou et al.'s max-margin term on a linear map
of e_w (:mod:`crossmodal.pixie.vsgns`); its representation is e_w. ``visual="none"`` is PIXIE
without its visual part, the paper's SGNS baseline ("without the visual component, PIXIE reduces
to SGNS"): the same trainer, optimiser and sampling, so that PIXIE against SGNS measures the
visual term and nothing else.

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
from crossmodal.pixie.vsgns import margin_term

Visual = Literal["vae", "margin", "none"]
Likelihood = Literal["gaussian", "bernoulli"]

# Consecutive (shuffled) pairs of a mini-batch that share their K negative samples (see the
# module docstring): fewer rows to gather and scatter, the negatives' scores one small matrix
# product per group. On the demo (1 epoch, mean over 6-10 seeds) groups of 4 and 8 gave PIXIE+
# and PIXIE(+) word similarity at least as good as private negatives; 4 keeps the training loss
# closer to theirs: lazy Adam moves a context row once per step that draws it, and larger
# groups draw fewer distinct rows.
NEGATIVE_GROUP = 4

# Smallest variance of the Gaussian decoder (features are scaled to [0, 1]; see the docstring).
VARIANCE_FLOOR = 1e-3


@dataclass(frozen=True)
class PixieConfig:
    """Hyper-parameters, named as in config section ``pixie: model:`` (schema has defaults);
    ``margin`` and ``negative_images`` are V-SGNS's (``pixie: vsgns:``)."""

    visual: Visual = "vae"
    dim: int = 100
    hidden: int = 500
    window: int = 10
    negative: int = 64
    epochs: int = 5
    batch_size: int = 1024
    lr: float = 0.001
    sample: float = 0.001
    likelihood: Likelihood = "gaussian"
    standardise: bool = False
    margin: float = 0.5
    negative_images: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "visual": self.visual in ("vae", "margin", "none"),
            "dim": self.dim >= 1,
            "hidden": self.hidden >= 1,
            "window": self.window >= 1,
            "negative": self.negative >= 1,
            "epochs": self.epochs >= 1,
            "batch_size": self.batch_size >= 1,
            "lr": self.lr > 0,
            "sample": self.sample >= 0,
            "likelihood": self.likelihood in ("gaussian", "bernoulli"),
            "margin": self.margin > 0,
            "negative_images": self.negative_images >= 1,
            "seed": self.seed >= 0,
        }
        check_fields("pixie config", self, checks)


def standardisation(features: np.ndarray | None, dim: int, on: bool) -> tuple[np.ndarray, ...]:
    """(shift, spread) that centre each feature dimension and divide it by its spread over the
    rows of ``features`` when ``on`` (a constant dimension keeps spread 1), else (0, 1)."""
    if not on or features is None or len(features) < 2:
        return np.zeros(dim), np.ones(dim)
    spread = features.std(axis=0)
    return features.mean(axis=0), np.where(spread > 0, spread, 1.0)


class VisualVAE(nn.Module):
    """Encoder q(z | x) (one tanh hidden layer, linear outputs) and decoder p(x | z) (one tanh
    hidden layer, sigmoid outputs): a diagonal Gaussian whose mean is the sigmoid output and
    whose variance is a second output (``gaussian``, Eq. 3), or Bernoullis (``bernoulli``).

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

    shift: torch.Tensor
    spread: torch.Tensor

    def __init__(
        self,
        visual_dim: int,
        dim: int,
        hidden: int,
        features: np.ndarray | None = None,
        standardise: bool = False,
        likelihood: Likelihood = "gaussian",
    ) -> None:
        super().__init__()
        shift, spread = standardisation(features, visual_dim, standardise)
        self.register_buffer("shift", torch.as_tensor(shift, dtype=torch.float32))
        self.register_buffer("spread", torch.as_tensor(spread, dtype=torch.float32))
        self.likelihood = likelihood
        self.encoder = nn.Sequential(nn.Linear(visual_dim, hidden), nn.Tanh())
        self.mean = nn.Linear(hidden, dim)
        self.log_var = nn.Linear(hidden, dim)
        self.decoder = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh())
        self.decoded_mean = nn.Sequential(nn.Linear(hidden, visual_dim), nn.Sigmoid())
        self.decoded_spread = nn.Linear(hidden, visual_dim) if likelihood == "gaussian" else None

    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z | x)."""
        h = self.encoder((x - self.shift) / self.spread)
        return self.mean(h), self.log_var(h)

    def reconstruction(self, z: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """-log p(x | z) per row: the decoder's Gaussian (Eq. 3) or Bernoulli likelihood."""
        h = self.decoder(z)
        mean = self.decoded_mean(h)
        if self.decoded_spread is None:
            return nn.functional.binary_cross_entropy(mean, x, reduction="none").sum(dim=1)
        variance = nn.functional.softplus(self.decoded_spread(h)) + VARIANCE_FLOOR
        return nn.functional.gaussian_nll_loss(mean, x, variance, full=True, reduction="none").sum(
            dim=1
        )

    def negative_elbo(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(-E_q[log p(x | z)] + KL(q || N(0, I)) per row, one reparametrised sample z)."""
        mean, log_var = self.posterior(x)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        kl = 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(dim=1)
        return self.reconstruction(z, x) + kl, z


class PixieModel(nn.Module):
    """Word and context embeddings, and the visual part of ``config.visual``. The embedding
    tables are not trained by autograd on the whole table: a step gathers the rows its batch
    touches, differentiates the loss with respect to those, and :class:`RowAdam` updates them.
    ``features`` are the visual vectors as the visual part reads them (see
    :func:`crossmodal.pixie.training.model_features`), ``rows`` each word's row in them or -1.
    """

    features: torch.Tensor
    rows: torch.Tensor

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
            VisualVAE(
                visual_dim,
                config.dim,
                config.hidden,
                features,
                config.standardise,
                config.likelihood,
            )
            if config.visual == "vae"
            else None
        )
        # V-SGNS's map M from e_w to the visual space (torch's default initialisation: a zero
        # map would leave every cosine undefined).
        self.projection = (
            nn.Linear(config.dim, visual_dim, bias=False) if config.visual == "margin" else None
        )
        if self.vae is not None:
            with torch.no_grad():
                # The visual code starts at zero and the posterior's spread at the scale of the
                # word embeddings' initialisation: the visual term begins as a small
                # perturbation of e_w, not as unit-variance noise that would swamp every score.
                for layer in (self.vae.mean, self.vae.log_var):
                    layer.weight.zero_()
                self.vae.mean.bias.zero_()
                self.vae.log_var.bias.fill_(2 * math.log(0.5 / config.dim))

    def _visual_terms(
        self,
        word_rows: torch.Tensor,
        words: torch.Tensor,
        centres: torch.Tensor,
        weight: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The representations e_w + m_w z_w of the batch's distinct ``words`` and their visual
        term, each word's term weighted by its pairs in the batch times ``weight[w]``."""
        rows = self.rows[words]
        visual = (rows >= 0).nonzero().squeeze(1)
        zero = torch.zeros((), device=words.device)
        if not len(visual):
            return word_rows, zero
        pairs = torch.bincount(centres, minlength=len(words))[visual] * weight[words[visual]]
        if self.vae is not None:
            terms, z = self.vae.negative_elbo(self.features[rows[visual]])
            return word_rows.index_add(0, visual, z), (terms * pairs).sum()
        if self.projection is None:
            raise InputError(f"pixie: visual model {self.config.visual!r} has no visual term")
        terms = margin_term(
            word_rows[visual],
            self.projection,
            self.features,
            rows[visual],
            self.config.margin,
            self.config.negative_images,
        )
        return word_rows, (terms * pairs).sum()

    def loss(
        self,
        word_rows: torch.Tensor,
        words: torch.Tensor,
        centres: torch.Tensor,
        contexts: torch.Tensor,
        negatives: torch.Tensor,
        visual_weight: torch.Tensor,
    ) -> torch.Tensor:
        """Mini-batch estimate of the loss per pair (-ELBO / pairs for PIXIE). ``words``: the
        batch's distinct centre ids, ``word_rows`` their text embeddings; ``centres``: each
        pair's position in ``words``; ``contexts``: each pair's observed context embedding;
        ``negatives``: groups x K x dim, the negatives' context embeddings shared by each run of
        :data:`NEGATIVE_GROUP` pairs; ``visual_weight[w]``: the share of w's visual term each of
        its pairs carries. The representation and the visual term are computed once per
        distinct word (z_w being w's one sample for the batch)."""
        represent, extra = word_rows, torch.zeros((), device=words.device)
        if self.config.visual != "none":
            represent, extra = self._visual_terms(word_rows, words, centres, visual_weight)
            extra = extra / len(centres)
        pairs = represent.index_select(0, centres)
        observed = (pairs * contexts).sum(dim=1)
        groups, dim = len(negatives), pairs.shape[1]
        padded = torch.cat([pairs, pairs.new_zeros(groups * NEGATIVE_GROUP - len(pairs), dim)])
        noise = torch.bmm(padded.view(groups, NEGATIVE_GROUP, dim), negatives.transpose(1, 2))
        noise = noise.view(groups * NEGATIVE_GROUP, -1)[: len(pairs)]
        nll = -nn.functional.logsigmoid(observed).sum() - nn.functional.logsigmoid(-noise).sum()
        return nll / len(pairs) + extra

    def embeddings(self) -> dict[str, np.ndarray]:
        """The trained word representations: ``text`` (e_w: SGNS's and V-SGNS's), and for PIXIE
        ``plus`` (e_w + m_w mu(x_w)) and ``concat`` ([e_w, m_w mu(x_w)])."""
        with torch.no_grad():
            text = self.words.weight.detach().clone()
            out = {"text": text.cpu().numpy()}
            if self.vae is None:
                return out
            code = torch.zeros_like(text)
            visual = self.rows >= 0
            code[visual] = self.vae.posterior(self.features[self.rows[visual]])[0]
        out["plus"] = (text + code).cpu().numpy()
        out["concat"] = torch.cat([text, code], dim=1).cpu().numpy()
        return out
