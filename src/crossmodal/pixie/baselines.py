"""The PIXIE paper's baselines built from text and visual word vectors (Ailem et al., 2018, Sec. 5).

Our readings, where the paper leaves room:

- CNN: the visual word vectors alone (only visual words have one).
- VAE: the mean code mu(x_w) of PIXIE's VAE trained on the visual vectors alone
  (:func:`train_vae`).
- SGNS: PIXIE without its visual part, trained by PIXIE's trainer (``visual="none"`` in
  :mod:`crossmodal.pixie.model`): the same optimiser, sampling and hyper-parameters, so that
  the gap between PIXIE and SGNS measures the visual term alone. The gensim skip-gram with
  PIXIE's vocabulary, dimension, window, negatives and down-sampling is kept as an extra row
  (``sgnsgensim``), not as the baseline.
- CNN(+)SGNS, VAE(+)SGNS: concatenation [t_w / |t_w|, v_w / |v_w|] of the L2-normalised parts
  (their scales differ by orders of magnitude; unnormalised, the larger part would decide every
  cosine), for the visual words only: as in the paper, these models have no vector for a word
  without images (no zero visual half standing in for one), and so score only pairs of two
  visual words.
- V-SGNS: Lazaridou et al.'s (2015) model A (:mod:`crossmodal.pixie.vsgns`,
  ``visual="margin"``).
- IV-SGNS (imagined visual SGNS, after Collell et al., 2017): a map f from SGNS vectors to visual
  vectors, linear or with one hidden layer (``crossmodal.models.mapping``), fitted on the visual
  words and applied to every word, so that words without images get an imagined visual vector; the
  representation is [t_w / |t_w|, f(t_w) / |f(t_w)|].
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import torch

from crossmodal.core.device import pick_device
from crossmodal.core.errors import InputError
from crossmodal.models.mapping import MappingConfig, predict, train_mapping
from crossmodal.pixie.model import PixieConfig, VisualVAE
from crossmodal.pixie.visual import scale_features
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def concatenate(text: WordVectors, visual: WordVectors, name: str) -> WordVectors:
    """[t_w / |t_w|, v_w / |v_w|] for every word of ``text`` that ``visual`` has (in ``text``'s
    order): a word without a visual vector gets no row."""
    words = [w for w in text.words if w in visual]
    if not words:
        raise InputError(f"{visual.source}: no visual word is in the vocabulary of {text.source}")
    matrix = np.hstack([_unit_rows(text.rows(words)), _unit_rows(visual.rows(words))])
    table = text.table.iloc[text.positions(words)].reset_index(drop=True)
    log.info("%s: %d visual words of %d text words", name, len(table), len(text))
    return WordVectors(matrix.astype(np.float32), table, name)


def imagined_vectors(
    text: WordVectors, visual: WordVectors, config: MappingConfig, name: str
) -> WordVectors:
    """IV-SGNS: fit f(text) ~ visual on the words having both, then [t_w, f(t_w)] (each part
    L2-normalised) for every text word."""
    shared = [w for w in text.words if w in visual]
    if len(shared) < 2:
        raise InputError(
            f"{name}: {len(shared)} word(s) have both text and visual vectors; need at least 2"
        )
    device = pick_device()
    model = train_mapping(text.rows(shared), visual.rows(shared), config, device)
    imagined = predict(model, text.matrix)
    matrix = np.hstack([_unit_rows(text.matrix), _unit_rows(imagined)]).astype(np.float32)
    table = text.table.copy()
    table["visual"] = pd.Series([w in visual for w in text.words], dtype=bool)
    log.info("%s: map fitted on %d words, applied to %d", name, len(shared), len(text))
    return WordVectors(matrix, table, name)


def train_vae(
    visual: WordVectors, config: PixieConfig, epochs: int, batch_size: int = 64
) -> WordVectors:
    """The VAE baseline: PIXIE's encoder and decoder trained on the visual words' features alone
    (Adam, ``config`` lr, dim and hidden); each word's vector is its mean code mu(x_w)."""
    torch.manual_seed(config.seed)
    x = torch.as_tensor(scale_features(visual.matrix))
    vae = VisualVAE(
        x.shape[1], config.dim, config.hidden, x.numpy(), config.standardise, config.likelihood
    )
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
