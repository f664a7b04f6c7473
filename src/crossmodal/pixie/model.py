"""PIXIE (Ailem et al., EMNLP 2018): skip-gram with negative sampling trained jointly with a
variational autoencoder over the image features of visual words, and the V-SGNS baseline.

Model. Every word w has a text embedding e_w and a context embedding v_w. A visual word (one with
an averaged image feature x_w, scaled to [0, 1]) also has a latent visual factor z_w with prior
N(0, I) and posterior q(z_w | x_w) = N(mu(x_w), diag sigma^2(x_w)) given by the encoder (one tanh
hidden layer); the decoder (one tanh hidden layer, sigmoid output) gives p(x_w | z_w) as
independent Bernoullis on the scaled feature. A (word, context) pair is scored
v_c . (e_w + m_w z_w), m_w = 1 for visual words and 0 otherwise, and observed pairs and negative
samples (unigram^0.75, as word2vec) are Bernoulli with that logit. The ELBO is

    sum over pairs (w, c) of E_q[log p(D | w, c, z_w)]
    + sum over visual words w of (E_q[log p(x_w | z_w)] - KL(q(z_w | x_w) || N(0, I))).

Training (Algorithm 1) is stochastic: mini-batches of pairs streamed from the corpus, one
reparametrised sample z_w per visual word of the batch, Adam. So that a mini-batch mean is an
unbiased estimate of the ELBO divided by the number of pairs, each pair with centre w carries
the visual term of w divided by n_w, the expected number of pairs with centre w in an epoch
(count x keep probability x (window + 1), the mean size of word2vec's reduced window on both
sides). Embeddings after training: PIXIE+ s_w = e_w + m_w mu(x_w) and PIXIE(+) (concatenation)
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

Streaming: the corpus is encoded once as word ids; each epoch down-samples frequent words
(word2vec's rule), then walks the kept tokens in chunks, forming every (centre, context) pair
within a reduced window drawn per centre (never across a line), shuffles each chunk's pairs and
feeds them in mini-batches. After every epoch the full training state (weights, optimiser,
random generators) is saved; a run that finds a saved state of the same model and data resumes
after its last complete epoch.

Implementation choices not in the paper, made for speed (each pair's loss and the expected
gradient are unchanged):

- Negatives shared by a group: each run of :data:`NEGATIVE_GROUP` consecutive pairs of a
  shuffled mini-batch shares its K negative samples. Every pair still scores K independent
  draws from the noise distribution, so its term has the same distribution as with private
  negatives; only pairs of one group are correlated. The negatives' scores become one small
  matrix product per group, and a step gathers and scatters 1 + K / NEGATIVE_GROUP context rows
  per pair instead of 1 + K.
- Lazy Adam on the embedding tables (:class:`RowAdam`): a step updates only the rows its batch
  touches, with torch.optim.SparseAdam's rule (as the earlier version used SparseAdam), but
  from the gradient with respect to the gathered rows, with no sparse gradient to coalesce.
- The representation e_w + m_w z_w, the visual term and its weight are computed once per
  distinct centre word of the batch, not per pair.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError, check_fields
from crossmodal.core.logs import progress_bar
from crossmodal.core.resume import load_state, save_state
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

Visual = Literal["vae", "linear", "none"]

# Kept tokens per chunk of the stream: pairs of a chunk are shuffled together.
_CHUNK_TOKENS = 50_000
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


# ---- data: vocabulary, encoded corpus, visual features ----


def build_vocabulary(corpus: str | os.PathLike[str], min_count: int) -> pd.DataFrame:
    """Words of ``corpus`` (one tokenised sentence per line) occurring at least ``min_count``
    times, as a table (word, count) sorted by falling count, then word - the same word set as
    gensim's Word2Vec at that min_count."""
    path = Path(corpus)
    if not path.is_file() or path.stat().st_size == 0:
        raise InputError(f"{path}: missing or empty corpus (expected one sentence per line)")
    counts: Counter[str] = Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            counts.update(line.split())
    kept = [(w, c) for w, c in counts.items() if c >= min_count]
    if not kept:
        raise InputError(f"{path}: no word occurs at least min_count={min_count} times")
    table = pd.DataFrame(kept, columns=["word", "count"])
    return table.sort_values(["count", "word"], ascending=[False, True], ignore_index=True)


@dataclass(frozen=True)
class EncodedCorpus:
    """The corpus as vocabulary ids (out-of-vocabulary tokens dropped) and the line of each."""

    ids: np.ndarray
    lines: np.ndarray


def encode_corpus(corpus: str | os.PathLike[str], vocabulary: pd.DataFrame) -> EncodedCorpus:
    """Read ``corpus`` and map its tokens to rows of ``vocabulary`` (others are dropped)."""
    position = {w: i for i, w in enumerate(vocabulary["word"])}
    ids: list[np.ndarray] = []
    lines: list[np.ndarray] = []
    with open(corpus, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            row = np.fromiter((position[t] for t in line.split() if t in position), dtype=np.int64)
            ids.append(row)
            lines.append(np.full(len(row), number, dtype=np.int64))
    if not ids or not sum(len(r) for r in ids):
        raise InputError(f"{corpus}: no token of the vocabulary")
    return EncodedCorpus(np.concatenate(ids), np.concatenate(lines))


def scale_features(features: np.ndarray) -> np.ndarray:
    """Min-max scale each feature dimension to [0, 1], the range of the Bernoulli decoder
    (a constant dimension becomes 0)."""
    low, high = features.min(axis=0), features.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((features - low) / span).astype(np.float32)


def visual_rows(vocabulary: pd.DataFrame, visual: WordVectors) -> np.ndarray:
    """For each vocabulary word, its row in ``visual`` or -1 (m_w = 0)."""
    position = {w: i for i, w in enumerate(visual.words)}
    return np.array([position.get(w, -1) for w in vocabulary["word"]], dtype=np.int64)


# ---- the model ----


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


# ---- streaming pairs ----


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's down-sampling: keep a token of frequency f with probability
    (sqrt(f / t) + 1) t / f, t = sample x total (all kept when sample is 0)."""
    if sample == 0:
        return np.ones(len(counts))
    threshold = sample * counts.sum()
    return np.minimum(1.0, (np.sqrt(counts / threshold) + 1) * threshold / counts)


def chunk_pairs(
    ids: np.ndarray, lines: np.ndarray, window: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Every (centre, context) pair of a run of tokens: context within the centre's reduced
    window (drawn uniformly in 1..window, as word2vec), on the same line; shuffled."""
    reach = rng.integers(1, window + 1, size=len(ids))
    centres, contexts = [], []
    for offset in range(1, window + 1):
        same = lines[offset:] == lines[:-offset]
        left = same & (reach[:-offset] >= offset)  # centre i, context i + offset
        right = same & (reach[offset:] >= offset)  # centre i + offset, context i
        centres += [ids[:-offset][left], ids[offset:][right]]
        contexts += [ids[offset:][left], ids[:-offset][right]]
    centre, context = np.concatenate(centres), np.concatenate(contexts)
    order = rng.permutation(len(centre))
    return centre[order], context[order]


def subsample(corpus: EncodedCorpus, keep: np.ndarray, rng: np.random.Generator) -> EncodedCorpus:
    """One epoch's tokens after down-sampling (each kept with its word's probability)."""
    kept = rng.random(len(corpus.ids)) < keep[corpus.ids]
    return EncodedCorpus(corpus.ids[kept], corpus.lines[kept])


def epoch_batches(
    tokens: EncodedCorpus, config: PixieConfig, rng: np.random.Generator
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(tokens done, centres, contexts) mini-batches of one epoch, streamed chunk by chunk;
    ``tokens done`` is the chunk's token count on its last batch and 0 on the others."""
    for start in range(0, len(tokens.ids), _CHUNK_TOKENS):
        stop = min(start + _CHUNK_TOKENS, len(tokens.ids))
        centre, context = chunk_pairs(
            tokens.ids[start:stop], tokens.lines[start:stop], config.window, rng
        )
        firsts = range(0, len(centre), config.batch_size)
        if not len(firsts):
            continue
        for first in firsts:
            done = stop - start if first == firsts[-1] else 0
            yield (
                done,
                centre[first : first + config.batch_size],
                context[first : first + config.batch_size],
            )


# ---- training with per-epoch checkpoints ----


def _fingerprint(vocabulary: pd.DataFrame, features: np.ndarray, rows: np.ndarray) -> str:
    """Hash of the data a model is trained on: a saved state of other data is never resumed."""
    digest = hashlib.sha256()
    digest.update("\n".join(vocabulary["word"]).encode())
    digest.update(np.ascontiguousarray(vocabulary["count"].to_numpy(np.int64)).tobytes())
    digest.update(np.ascontiguousarray(features, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(rows).tobytes())
    return digest.hexdigest()


class RowAdam:
    """Lazy Adam on embedding tables: a step updates only the rows its mini-batch touched, with
    torch.optim.SparseAdam's rule (moments of untouched rows are left as they are; the bias
    correction counts every step). SparseAdam does the same from a sparse gradient, which it
    must coalesce (sort and sum) each step; here the loss is differentiated with respect to
    the touched rows directly, so the gradient arrives dense, one row per distinct id."""

    def __init__(
        self,
        tables: list[torch.Tensor],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.tables, self.lr, self.betas, self.eps = tables, lr, betas, eps
        self.moments = [(torch.zeros_like(t), torch.zeros_like(t)) for t in tables]
        self.steps = 0

    @torch.no_grad()
    def step(self, updates: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        """Apply one step; ``updates`` holds (distinct row ids, their gradient) per table."""
        self.steps += 1
        beta1, beta2 = self.betas
        size = self.lr * math.sqrt(1 - beta2**self.steps) / (1 - beta1**self.steps)
        for table, (mean, square), (rows, grad) in zip(
            self.tables, self.moments, updates, strict=True
        ):
            row_mean = mean.index_select(0, rows).lerp_(grad, 1 - beta1)
            row_square = (
                square.index_select(0, rows).mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            )
            mean.index_copy_(0, rows, row_mean)
            square.index_copy_(0, rows, row_square)
            table.index_add_(0, rows, row_mean.div_(row_square.sqrt_().add_(self.eps)), alpha=-size)

    def state_dict(self) -> dict[str, object]:
        return {"steps": self.steps, "moments": [m for pair in self.moments for m in pair]}

    def load_state_dict(self, state: dict[str, object]) -> None:
        self.steps = int(state["steps"])
        saved = list(state["moments"])
        for (mean, square), old_mean, old_square in zip(
            self.moments, saved[::2], saved[1::2], strict=True
        ):
            mean.copy_(old_mean)
            square.copy_(old_square)


def _dense_optimiser(model: PixieModel, lr: float) -> torch.optim.Adam | None:
    """Adam on the visual networks (none for the text-only model)."""
    dense = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(dense, lr=lr) if dense else None


def _train_step(
    model: PixieModel,
    rows: RowAdam,
    dense: torch.optim.Adam | None,
    centres: torch.Tensor,
    contexts: torch.Tensor,
    negatives: torch.Tensor,
    visual_weight: torch.Tensor,
) -> torch.Tensor:
    """One Adam step on a mini-batch of (centre, context) ids with ``negatives`` (groups x K
    ids, see :data:`NEGATIVE_GROUP`); returns the detached loss."""
    words, centre = torch.unique(centres, return_inverse=True)
    targets, target = torch.unique(torch.cat([contexts, negatives.view(-1)]), return_inverse=True)
    word_rows = model.words.weight.index_select(0, words).requires_grad_()
    context_rows = model.contexts.weight.index_select(0, targets).requires_grad_()
    # index_select, not advanced indexing: its backward is an index_add, not an index_put; two
    # of them, not slices of one, whose backward would fill a zero tensor of all the rows.
    loss = model.loss(
        word_rows,
        words,
        centre,
        context_rows.index_select(0, target[: len(contexts)]),
        context_rows.index_select(0, target[len(contexts) :]).view(*negatives.shape, -1),
        visual_weight,
    )
    if dense is not None:
        dense.zero_grad()
    loss.backward()
    rows.step([(words, word_rows.grad), (targets, context_rows.grad)])
    if dense is not None:
        dense.step()
    return loss.detach()


@dataclass(frozen=True)
class TrainedPixie:
    """A trained model and the mean mini-batch loss of each epoch (resumed ones included)."""

    model: PixieModel
    losses: list[float]
    resumed_epochs: int


def train_pixie(
    corpus: str | os.PathLike[str],
    vocabulary: pd.DataFrame,
    visual: WordVectors | None,
    config: PixieConfig,
    checkpoint: str | os.PathLike[str],
    device: torch.device | None = None,
) -> TrainedPixie:
    """Train on ``corpus`` over ``vocabulary`` (word, count); ``visual`` holds the raw visual
    vectors of the visual words (they are scaled to [0, 1] here). The training state is saved
    to ``checkpoint`` after every epoch and resumed from it when it matches this model and data.
    """
    if config.visual != "none" and (visual is None or len(visual) == 0):
        raise InputError(f"pixie: visual model {config.visual!r} needs visual word vectors")
    device = device or pick_device()
    if visual is None or config.visual == "none":
        features, rows = np.zeros((1, 1), np.float32), np.full(len(vocabulary), -1)
    else:
        features, rows = scale_features(visual.matrix), visual_rows(vocabulary, visual)
    if config.visual != "none" and not (rows >= 0).any():
        raise InputError(f"{visual.source}: no visual word is in the corpus vocabulary")
    torch.manual_seed(config.seed)
    model = PixieModel(len(vocabulary), features, rows, config).to(device)
    rows_adam = RowAdam([model.words.weight, model.contexts.weight], config.lr)
    dense = _dense_optimiser(model, config.lr)
    rng = np.random.default_rng(config.seed)
    fingerprint = _fingerprint(vocabulary, features, rows)
    losses: list[float] = []
    # "estimator" tells states of the SparseAdam, private-negatives version (saved without it)
    # and of another negatives' group size from this one's.
    key = {
        "config": asdict(config),
        "fingerprint": fingerprint,
        "estimator": {"optimiser": "row-adam", "negative_group": NEGATIVE_GROUP},
    }
    state = load_state(checkpoint, key)
    if state is not None:
        model.load_state_dict(state["model"])
        rows_adam.load_state_dict(state["rows_adam"])
        if dense is not None:
            dense.load_state_dict(state["dense"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        losses = list(state["losses"])
        log.info("%s: resuming after epoch %d", checkpoint, len(losses))
    resumed = len(losses)

    corpus_ids = encode_corpus(corpus, vocabulary)
    counts = vocabulary["count"].to_numpy(np.float64)
    keep = keep_probabilities(counts, config.sample)
    expected_pairs = np.maximum(counts * keep * (config.window + 1), 1.0)
    visual_weight = torch.as_tensor(1.0 / expected_pairs, dtype=torch.float32, device=device)
    cdf = np.cumsum(counts**0.75)
    noise = torch.as_tensor(cdf / cdf[-1], dtype=torch.float64, device=device)
    log.info(
        "pixie (%s): %d words, %d visual, %d tokens, %d epoch(s) on %s",
        config.visual,
        len(vocabulary),
        int((rows >= 0).sum()),
        len(corpus_ids.ids),
        config.epochs,
        device,
    )
    for epoch in range(resumed + 1, config.epochs + 1):
        model.train()
        total, batches = torch.zeros((), device=device), 0
        tokens = subsample(corpus_ids, keep, rng)
        with progress_bar(total=len(tokens.ids), desc=f"epoch {epoch}", unit="tok") as bar:
            for step, centre, context in epoch_batches(tokens, config, rng):
                groups = -(-len(centre) // NEGATIVE_GROUP)
                draws = torch.rand(groups, config.negative, dtype=torch.float64, device=device)
                total += _train_step(
                    model,
                    rows_adam,
                    dense,
                    torch.as_tensor(centre, device=device),
                    torch.as_tensor(context, device=device),
                    torch.searchsorted(noise, draws).clamp_(max=len(noise) - 1),
                    visual_weight,
                )
                batches += 1
                bar.update(step)
        losses.append(float(total) / max(batches, 1))
        log.info("epoch %d: mean loss %.4f over %d mini-batches", epoch, losses[-1], batches)
        state = {
            "model": model.state_dict(),
            "rows_adam": rows_adam.state_dict(),
            "dense": dense.state_dict() if dense is not None else None,
            "rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "losses": losses,
        }
        save_state(checkpoint, key, state)
    return TrainedPixie(model.cpu(), losses, resumed)


def pixie_vectors(trained: TrainedPixie, vocabulary: pd.DataFrame) -> dict[str, WordVectors]:
    """The trained representations as word vectors over ``vocabulary`` (word, count)."""
    table = vocabulary[["word", "count"]].copy()
    return {
        name: WordVectors(np.ascontiguousarray(matrix, dtype=np.float32), table, f"pixie {name}")
        for name, matrix in trained.model.embeddings().items()
    }


# ---- the VAE baseline ----


def train_vae(
    visual: WordVectors, config: PixieConfig, epochs: int, batch_size: int = 64
) -> WordVectors:
    """The VAE baseline: PIXIE's encoder and decoder trained on the visual words' features alone
    (Adam, ``config`` lr, dim and hidden); each word's vector is its mean code mu(x_w)."""
    torch.manual_seed(config.seed)
    x = torch.as_tensor(scale_features(visual.matrix))
    vae = VisualVAE(x.shape[1], config.dim, config.hidden, x.numpy(), config.standardise)
    optimiser = torch.optim.Adam(vae.parameters(), lr=config.lr)
    order = torch.Generator().manual_seed(config.seed)
    for epoch in range(1, epochs + 1):
        total = 0.0
        for batch in torch.randperm(len(x), generator=order).split(batch_size):
            optimiser.zero_grad()
            loss = vae.negative_elbo(x[batch])[0].mean()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        if epoch == 1 or epoch == epochs:
            log.info("VAE epoch %d: mean -ELBO %.3f", epoch, total / len(x))
    with torch.no_grad():
        codes = vae.posterior(x)[0].numpy()
    return WordVectors(codes.astype(np.float32), visual.table, "VAE mean codes")


# ---- visual words of the study ----

SETTINGS = ("all", "heldout")


def prepare_visual(
    visual: WordVectors, vocabulary: pd.DataFrame, heldout: list[str]
) -> WordVectors:
    """The visual vectors of vocabulary words, in vocabulary order, with a ``heldout`` column
    marking the words whose images the propagation experiment (Table 3) withholds."""
    words = [w for w in vocabulary["word"] if w in visual]
    if not words:
        raise InputError(f"{visual.source}: no visual word is in the corpus vocabulary")
    subset = visual.subset(words)
    table = pd.DataFrame({"word": words, "heldout": [w in set(heldout) for w in words]})
    return WordVectors(subset.matrix.astype(np.float32), table, visual.source)


def visual_of_setting(visual: WordVectors, setting: str) -> WordVectors:
    """The visual words a model may see: all of them, or (``heldout``) all but the held-out."""
    if setting not in SETTINGS:
        raise InputError(f"setting: expected one of {', '.join(SETTINGS)}, got {setting!r}")
    if setting == "all":
        return visual
    return visual.subset(
        [w for w, h in zip(visual.words, visual.table["heldout"], strict=True) if not h]
    )
