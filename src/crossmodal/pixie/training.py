"""Training PIXIE (Algorithm 1 of Ailem et al., 2018), V-SGNS and SGNS (PIXIE without its visual
part), resumably, all three by the same trainer.

Training is stochastic: mini-batches of pairs streamed from the corpus
(:mod:`crossmodal.pixie.stream`), one reparametrised sample z_w per visual word of the batch,
Adam (:mod:`crossmodal.pixie.optimiser`). So that a mini-batch mean is an unbiased estimate of
the ELBO divided by the number of pairs, each pair with centre w carries the visual term of w
divided by n_w, the expected number of pairs with centre w in an epoch (count x keep
probability x (window + 1), the mean size of word2vec's reduced window on both sides).
V-SGNS's max-margin term counts once per corpus position of w instead (Lazaridou et al.'s
objective sums it over the corpus): each pair carries 1 / (window + 1) of it.

After every epoch the full training state (weights, optimisers, random generators, losses) is
saved (:class:`crossmodal.core.resume.TrainingState`); a run that finds a saved state of the
same model and data resumes after its last complete epoch and ends with the weights an
uninterrupted run would have.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress_bar
from crossmodal.core.resume import TrainingState, data_digest
from crossmodal.pixie.model import NEGATIVE_GROUP, PixieConfig, PixieModel, standardisation
from crossmodal.pixie.optimiser import RowAdam, dense_optimiser
from crossmodal.pixie.stream import (
    EncodedCorpus,
    encode_corpus,
    epoch_batches,
    keep_probabilities,
    subsample,
)
from crossmodal.pixie.visual import scale_features, visual_rows
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


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
    word_grad, context_grad = word_rows.grad, context_rows.grad
    assert word_grad is not None and context_grad is not None  # both require grad, both in loss
    rows.step([(words, word_grad), (targets, context_grad)])
    if dense is not None:
        dense.step()
    return loss.detach()


def model_features(matrix: np.ndarray, config: PixieConfig) -> np.ndarray:
    """The visual vectors as the model reads them: PIXIE's scaled to [0, 1] (the range of the
    decoder's sigmoid outputs); V-SGNS's regression targets standardised over the visual words
    when ``config.standardise`` (our choice, as for PIXIE's encoder input: the demo's
    untrained-CNN vectors are all at cosine ~0.98, which leaves a cosine margin nothing to
    separate), else as given."""
    if config.visual == "vae":
        return scale_features(matrix)
    shift, spread = standardisation(matrix, matrix.shape[1], config.standardise)
    return ((matrix - shift) / spread).astype(np.float32)


def _visual_inputs(
    vocabulary: pd.DataFrame, visual: WordVectors | None, config: PixieConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The visual features as the model reads them and each vocabulary word's row in them (-1:
    m_w = 0); a placeholder feature and no visual word for the text-only model."""
    if config.visual != "none" and (visual is None or len(visual) == 0):
        raise InputError(f"pixie: visual model {config.visual!r} needs visual word vectors")
    if visual is None or config.visual == "none":
        return np.zeros((1, 1), np.float32), np.full(len(vocabulary), -1)
    features, rows = model_features(visual.matrix, config), visual_rows(vocabulary, visual)
    if not (rows >= 0).any():
        raise InputError(f"{visual.source}: no visual word is in the corpus vocabulary")
    return features, rows


@dataclass(frozen=True)
class _Sampling:
    """What every epoch draws with: each word's keep probability (down-sampling), the share of
    its visual term each of its pairs carries (PIXIE: 1 / n_w; V-SGNS: 1 / (window + 1), see
    the module docstring), and the noise distribution's CDF."""

    keep: np.ndarray
    visual_weight: torch.Tensor
    noise: torch.Tensor


def _sampling(vocabulary: pd.DataFrame, config: PixieConfig, device: torch.device) -> _Sampling:
    """The :class:`_Sampling` of ``vocabulary`` (word, count); the noise is unigram^0.75."""
    counts = vocabulary["count"].to_numpy(np.float64)
    keep = keep_probabilities(counts, config.sample)
    per_position = np.full(len(counts), float(config.window + 1))
    expected_pairs = counts * keep * per_position if config.visual == "vae" else per_position
    weight = 1.0 / np.maximum(expected_pairs, 1.0)
    visual_weight = torch.as_tensor(weight, dtype=torch.float32, device=device)
    cdf = np.cumsum(counts**0.75)
    noise = torch.as_tensor(cdf / cdf[-1], dtype=torch.float64, device=device)
    return _Sampling(keep, visual_weight, noise)


def _train_epoch(
    model: PixieModel,
    optimisers: tuple[RowAdam, torch.optim.Adam | None],
    tokens: EncodedCorpus,
    sampling: _Sampling,
    rng: np.random.Generator,
    epoch: int,
) -> float:
    """One pass over an epoch's down-sampled ``tokens``; returns the mean mini-batch loss.
    Negatives are drawn from torch's global generator, one set per :data:`NEGATIVE_GROUP`."""
    config, noise = model.config, sampling.noise
    device = noise.device
    model.train()
    total, batches = torch.zeros((), device=device), 0
    with progress_bar(total=len(tokens.ids), desc=f"epoch {epoch}", unit="tok") as bar:
        for step, centre, context in epoch_batches(tokens, config.window, config.batch_size, rng):
            groups = -(-len(centre) // NEGATIVE_GROUP)
            draws = torch.rand(groups, config.negative, dtype=torch.float64, device=device)
            total += _train_step(
                model,
                *optimisers,
                torch.as_tensor(centre, device=device),
                torch.as_tensor(context, device=device),
                torch.searchsorted(noise, draws).clamp_(max=len(noise) - 1),
                sampling.visual_weight,
            )
            batches += 1
            bar.update(step)
    loss = float(total) / max(batches, 1)
    log.info("epoch %d: mean loss %.4f over %d mini-batches", epoch, loss, batches)
    return loss


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
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> TrainedPixie:
    """Train on ``corpus`` over ``vocabulary`` (word, count); ``visual`` holds the raw visual
    vectors of the visual words (they are scaled to [0, 1] here). With ``resume``, the training
    state is saved there after every epoch and resumed from when it matches this model and data.
    """
    features, rows = _visual_inputs(vocabulary, visual, config)
    device = device or pick_device()
    torch.manual_seed(config.seed)
    model = PixieModel(len(vocabulary), features, rows, config).to(device)
    rows_adam = RowAdam([model.words.weight, model.contexts.weight], config.lr)
    dense = dense_optimiser(model, config.lr)
    rng = np.random.default_rng(config.seed)
    parts = {"model": model, "rows_adam": rows_adam, "rng": rng}
    if dense is not None:
        parts["dense"] = dense
    corpus_ids = encode_corpus(corpus, vocabulary)
    # The corpus as trained on (word ids and their lines), not only its counts: a corpus with
    # the same counts in another order is other data, and its job must not resume this state.
    words, counts = "\n".join(vocabulary["word"]), vocabulary["count"].to_numpy(np.int64)
    data = data_digest(words, counts, features, rows, corpus_ids.ids, corpus_ids.lines)
    # "estimator" tells states of the SparseAdam, private-negatives version (saved without it)
    # and of another negatives' group size from this one's.
    key = {
        "config": asdict(config),
        "data": data,
        "estimator": {"optimiser": "row-adam", "negative_group": NEGATIVE_GROUP},
    }
    state = TrainingState(resume, key, parts, torch_rng=True)
    losses: list[float] = state.restore().get("losses", [])
    resumed = len(losses)
    if resumed:
        log.info("pixie: resuming after epoch %d", resumed)
    sampling = _sampling(vocabulary, config, device)
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
        tokens = subsample(corpus_ids, sampling.keep, rng)
        losses.append(_train_epoch(model, (rows_adam, dense), tokens, sampling, rng, epoch))
        state.save(losses=losses)
    return TrainedPixie(model.cpu(), losses, resumed)


def pixie_vectors(trained: TrainedPixie, vocabulary: pd.DataFrame) -> dict[str, WordVectors]:
    """The trained representations as word vectors over ``vocabulary`` (word, count)."""
    table = vocabulary[["word", "count"]].copy()
    return {
        name: WordVectors(np.ascontiguousarray(matrix, dtype=np.float32), table, f"pixie {name}")
        for name, matrix in trained.model.embeddings().items()
    }


def pixie_embeddings(
    corpus: str | os.PathLike[str],
    vocabulary: pd.DataFrame,
    visual: WordVectors | None,
    config: PixieConfig,
    resume: str | os.PathLike[str] | None = None,
    device: torch.device | None = None,
) -> tuple[dict[str, WordVectors], pd.DataFrame]:
    """Train as :func:`train_pixie` does and return what the study keeps of the model: its
    representations as word vectors by name (``text``; PIXIE's ``plus`` and ``concat``) and
    the mean loss of each epoch as a table (epoch, loss)."""
    trained = train_pixie(corpus, vocabulary, visual, config, resume, device)
    epochs = range(1, len(trained.losses) + 1)
    losses = pd.DataFrame({"epoch": epochs, "loss": trained.losses})
    return pixie_vectors(trained, vocabulary), losses
