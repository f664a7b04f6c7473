"""Image-sentence retrieval in a joint space, as in VSE (Kiros et al., 2014), the PIXIE paper's
Table 6 protocol for comparing word embeddings (Ailem et al., 2018, Sect. 4.3).

A sentence is encoded by one GRU layer over the word vectors under test (the one row shared by
every out-of-vocabulary token, and padding, are zero); its last hidden state is the sentence
vector. An image is a linear map of its CNN feature. Both are L2-normalised, so the score of a
pair is their cosine. As in the paper, the word vectors and the image features are not
fine-tuned (``train_embeddings`` false; true lets the word vectors train with the GRU): only the
linear map and the GRU learn, so the retrieval scores compare the word vectors as given.
Training minimises the triplet (pairwise ranking) loss of Kiros et al. with in-batch contrastive
examples, with Adam whose rate is divided by ``lr_decay`` every ``lr_decay_every`` epochs (the
paper: 2e-4, divided by 10 every 15 epochs, 30 epochs):

    sum over k != i of [m - s(i_i, t_i) + s(i_i, t_k)]+ + [m - s(i_i, t_i) + s(i_k, t_i)]+

Recall@K as VSE computes it: image->sentence, the rank of the best-ranked of the image's own
captions among all test captions; sentence->image, the rank of a caption's image among all test
images; R@K is the percentage of queries whose answer ranks in the top K.

Training saves its state after every epoch when given a ``resume`` path, like every trainer of
the project (:class:`crossmodal.core.resume.TrainingState`): a killed job's rerun continues
after the last finished epoch and ends with the weights of an uninterrupted run.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.core.resume import TrainingState, data_digest
from crossmodal.data.corpus import tokenize
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)

PAD, UNKNOWN = 0, 1


@dataclass(frozen=True)
class RetrievalConfig:
    """Training settings, named as in config ``pixie: retrieval:`` (the schema has defaults)."""

    joint_dim: int = 1024
    margin: float = 0.2
    lr: float = 2e-4
    lr_decay_every: int | None = None
    lr_decay: float = 0.1
    epochs: int = 30
    batch_size: int = 128
    train_embeddings: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if self.joint_dim < 1 or self.epochs < 1 or self.batch_size < 2:
            raise InputError(
                f"retrieval config: joint_dim and epochs must be >= 1, batch_size >= 2 (got {self})"
            )
        if self.margin <= 0 or self.lr <= 0 or not 0 < self.lr_decay <= 1:
            raise InputError(
                f"retrieval config: margin and lr must be positive, lr_decay in (0, 1] (got {self})"
            )
        if self.lr_decay_every is not None and self.lr_decay_every < 1:
            raise InputError(f"retrieval config: lr_decay_every must be >= 1 (got {self})")


def encode_sentences(
    sentences: Sequence[Sequence[str]], vectors: WordVectors
) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded token ids (vocabulary row + 2; PAD 0, UNKNOWN 1) and lengths of ``sentences``.
    An empty sentence becomes one UNKNOWN token."""
    position = {w: i + 2 for i, w in enumerate(vectors.words)}
    rows = [[position.get(t, UNKNOWN) for t in s] or [UNKNOWN] for s in sentences]
    lengths = torch.tensor([len(r) for r in rows], dtype=torch.int64)
    ids = torch.full((len(rows), int(lengths.max())), PAD, dtype=torch.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    return ids, lengths


class SentenceEncoder(nn.Module):
    """Word embeddings (the vectors under test; frozen unless ``train_embeddings``) followed by
    a GRU."""

    def __init__(self, vectors: WordVectors, joint_dim: int, train_embeddings: bool) -> None:
        super().__init__()
        table = np.zeros((len(vectors) + 2, vectors.dim), dtype=np.float32)
        table[2:] = vectors.matrix
        self.embedding = nn.Embedding.from_pretrained(
            torch.from_numpy(table), freeze=not train_embeddings, padding_idx=PAD
        )
        self.gru = nn.GRU(vectors.dim, joint_dim, batch_first=True)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embedding(ids), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        _, last = self.gru(packed)
        return nn.functional.normalize(last[-1], dim=1)


class ImageProjection(nn.Module):
    """A linear map of CNN features into the joint space, L2-normalised."""

    def __init__(self, feature_dim: int, joint_dim: int) -> None:
        super().__init__()
        self.linear = nn.Linear(feature_dim, joint_dim)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(self.linear(features), dim=1)


def ranking_loss(images: torch.Tensor, sentences: torch.Tensor, margin: float) -> torch.Tensor:
    """VSE's pairwise ranking loss over a batch of matching (image, sentence) rows, summed over
    the in-batch contrastive examples of both directions, averaged over the batch."""
    scores = images @ sentences.T
    positive = scores.diagonal()
    cost_sentence = (margin - positive[:, None] + scores).clamp(min=0)  # image i vs sentence k
    cost_image = (margin - positive[None, :] + scores).clamp(min=0)  # sentence k vs image i
    off = ~torch.eye(len(scores), dtype=torch.bool, device=scores.device)
    return ((cost_sentence + cost_image) * off).sum() / len(scores)


@dataclass
class RetrievalModel:
    """The two encoders of a trained retrieval model."""

    sentences: SentenceEncoder
    images: ImageProjection

    def embed(
        self, features: np.ndarray, ids: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[np.ndarray, np.ndarray]:
        """Joint-space vectors of images and sentences (evaluation mode, CPU)."""
        self.sentences.eval()
        self.images.eval()
        device = next(self.images.parameters()).device
        with torch.no_grad():
            image = self.images(torch.as_tensor(features, dtype=torch.float32, device=device))
            sentence = torch.cat(
                [
                    self.sentences(ids[i : i + 1024].to(device), lengths[i : i + 1024])
                    for i in range(0, len(ids), 1024)
                ]
            )
        return image.cpu().numpy(), sentence.cpu().numpy()


def _train_step(
    model: RetrievalModel,
    optimiser: torch.optim.Adam,
    parameters: list[nn.Parameter],
    images: torch.Tensor,
    ids: torch.Tensor,
    lengths: torch.Tensor,
    margin: float,
) -> float:
    """One Adam step on a batch of matching image features and sentences (gradient norm
    clipped at 2, as VSE); returns the batch's loss."""
    optimiser.zero_grad()
    loss = ranking_loss(model.images(images), model.sentences(ids, lengths), margin)
    loss.backward()
    nn.utils.clip_grad_norm_(parameters, 2.0)
    optimiser.step()
    return loss.item()


def _build(
    vectors: WordVectors, feature_dim: int, config: RetrievalConfig, device: torch.device
) -> tuple[RetrievalModel, list[nn.Parameter], torch.optim.Adam, torch.optim.lr_scheduler.StepLR]:
    """The two encoders, initialised from ``config.seed``, their trainable parameters, Adam on
    those and its rate schedule (stepped once per epoch; constant without ``lr_decay_every``)."""
    torch.manual_seed(config.seed)
    model = RetrievalModel(
        SentenceEncoder(vectors, config.joint_dim, config.train_embeddings).to(device),
        ImageProjection(feature_dim, config.joint_dim).to(device),
    )
    parameters = [
        p for part in (model.sentences, model.images) for p in part.parameters() if p.requires_grad
    ]
    optimiser = torch.optim.Adam(parameters, lr=config.lr)
    every = config.lr_decay_every or config.epochs + 1
    schedule = torch.optim.lr_scheduler.StepLR(optimiser, step_size=every, gamma=config.lr_decay)
    return model, parameters, optimiser, schedule


def _training_key(
    config: RetrievalConfig,
    vectors: WordVectors,
    features: np.ndarray,
    sentences: Sequence[Sequence[str]],
    sentence_image: np.ndarray,
) -> dict[str, object]:
    """What a saved training state must match to be resumed: the config and the data."""
    data = data_digest(
        "\n".join(vectors.words),
        vectors.matrix,
        features,
        np.asarray(sentence_image, dtype=np.int64),
        json.dumps([list(s) for s in sentences]),
    )
    return {"config": asdict(config), "data": data}


def train_retrieval(
    vectors: WordVectors,
    features: np.ndarray,
    sentences: Sequence[Sequence[str]],
    sentence_image: np.ndarray,
    config: RetrievalConfig,
    device: torch.device | None = None,
    resume: str | os.PathLike[str] | None = None,
) -> tuple[RetrievalModel, list[float]]:
    """Train on captions ``sentences`` whose images are rows ``sentence_image`` of ``features``
    (Adam, rate schedule of ``config``); returns the model and the mean loss of each epoch.
    With ``resume``, the training state is saved there after every epoch
    (:class:`crossmodal.core.resume.TrainingState`), and a rerun on the same vectors, captions,
    features and config continues after the last saved epoch, with the result of an
    uninterrupted run."""
    if len(sentences) != len(sentence_image):
        raise InputError(f"{len(sentences)} sentences but {len(sentence_image)} image indices")
    device = device or pick_device()
    model, parameters, optimiser, schedule = _build(vectors, features.shape[1], config, device)
    ids, lengths = encode_sentences(sentences, vectors)
    image = torch.as_tensor(features, dtype=torch.float32, device=device)
    owner = torch.as_tensor(sentence_image, dtype=torch.int64)
    order = torch.Generator().manual_seed(config.seed)
    key = _training_key(config, vectors, features, sentences, sentence_image)
    parts = {"sentences": model.sentences, "images": model.images}
    state = TrainingState(
        resume, key, {**parts, "optimiser": optimiser, "schedule": schedule, "order": order}
    )
    losses: list[float] = state.restore().get("losses", [])
    first = len(losses) + 1
    for _ in progress(
        range(first, config.epochs + 1), config.epochs - first + 1, "retrieval epochs"
    ):
        model.sentences.train()
        model.images.train()
        total, count = 0.0, 0
        for batch in torch.randperm(len(ids), generator=order).split(config.batch_size):
            if len(batch) < 2:
                continue
            loss = _train_step(
                model,
                optimiser,
                parameters,
                image[owner[batch].to(device)],
                ids[batch].to(device),
                lengths[batch],
                config.margin,
            )
            total += loss * len(batch)
            count += len(batch)
        losses.append(total / max(count, 1))
        schedule.step()
        state.save(losses=losses)
    log.info("retrieval losses by epoch: %s", ", ".join(f"{v:.3f}" for v in losses))
    return model, losses


def recall_at_k(
    images: np.ndarray, sentences: np.ndarray, sentence_image: np.ndarray, ks: Sequence[int]
) -> dict[str, float]:
    """R@K (percent) of image->sentence (``i2t_r<K>``) and sentence->image (``t2i_r<K>``)
    retrieval by dot product, with ``sentence_image[j]`` the image row of sentence j. Ties
    count against the query (a rank is the number of candidates scoring at least as high as
    the answer, minus one)."""
    sentence_image = np.asarray(sentence_image)
    if len(sentence_image) != len(sentences):
        raise InputError(f"{len(sentences)} sentences but {len(sentence_image)} image indices")
    scores = images @ sentences.T  # images x sentences
    own = scores[sentence_image, np.arange(len(sentences))]
    t2i = (scores >= own[None, :]).sum(axis=0) - 1
    ranks_per_sentence = (scores[sentence_image] >= own[:, None]).sum(axis=1) - 1
    i2t = np.full(len(images), np.iinfo(np.int64).max)
    np.minimum.at(i2t, sentence_image, ranks_per_sentence)
    answered = i2t < np.iinfo(np.int64).max
    result = {}
    for k in ks:
        result[f"i2t_r{k}"] = float(100 * np.mean(i2t[answered] < k))
        result[f"t2i_r{k}"] = float(100 * np.mean(t2i < k))
    return result


@dataclass(frozen=True)
class CaptionedImages:
    """One split of a retrieval dataset: image features, tokenised captions, and the feature
    row of each caption's image."""

    features: np.ndarray
    sentences: list[list[str]]
    sentence_image: np.ndarray


def captioned_split(
    features: np.ndarray,
    feature_ids: pd.DataFrame,
    images: pd.DataFrame,
    captions: pd.DataFrame | None,
    split: str,
) -> CaptionedImages:
    """The images of ``split`` (column ``split`` of ``images``) that have features and
    captions: ``captions`` (image_id, tokens; Flickr30K's five per image) when given, else each
    image's own ``caption`` tokenised (the Tux Paint descriptions, one per image)."""
    chosen = images.loc[images["split"] == split, "image_id"].astype(str)
    row_of = {str(i): r for r, i in enumerate(feature_ids["image_id"].astype(str))}
    chosen = [i for i in chosen if i in row_of]
    if captions is None:
        table = images[images["image_id"].astype(str).isin(chosen)]
        pairs = [
            (str(i), tokenize(str(c)))
            for i, c in zip(table["image_id"], table["caption"], strict=True)
            if isinstance(c, str) and c.strip()
        ]
    else:
        table = captions[captions["image_id"].astype(str).isin(chosen)]
        pairs = [
            (str(i), [str(t).lower() for t in tokens])
            for i, tokens in zip(table["image_id"], table["tokens"], strict=True)
        ]
    if not pairs:
        raise InputError(f"retrieval: split {split!r} has no image with features and a caption")
    used = sorted({i for i, _ in pairs})
    local = {i: n for n, i in enumerate(used)}
    return CaptionedImages(
        features[[row_of[i] for i in used]].astype(np.float32),
        [tokens for _, tokens in pairs],
        np.array([local[i] for i, _ in pairs], dtype=np.int64),
    )
