"""Skip-gram with negative sampling (Mikolov et al., 2013) trained with gensim's Word2Vec.

The corpus is given as a file (one tokenised sentence per line) through gensim's ``corpus_file``
mode: each worker thread reads its own byte range of the file in Cython, without the Python
iterator and job queue of the ``sentences`` mode, which is what makes large corpora practical.

Reproducibility: gensim seeds the initial vectors and the negative/down-sampling draws from
``seed``, so one worker gives bit-identical vectors on every run. With several workers the
threads update shared weights without locks (Hogwild) in an order the OS scheduler decides, so
results vary slightly between runs; callers choose between speed and bit-reproducibility through
``workers``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.models import Word2Vec

from crossmodal.core.errors import InputError
from crossmodal.text.vectors import WordVectors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SgnsParams:
    """Skip-gram hyper-parameters, named as in the config section ``text.sgns`` (whose schema
    holds the defaults)."""

    dim: int
    window: int
    negative: int
    epochs: int
    min_count: int
    sample: float
    seed: int


def train_sgns(corpus: str | os.PathLike[str], params: SgnsParams, workers: int = 1) -> WordVectors:
    """Train skip-gram vectors on ``corpus`` and return them with each word's corpus count.

    Rows are ordered by falling count (gensim's sorted vocabulary); the table has ``word`` and
    ``count`` (occurrences in the corpus, before down-sampling).
    """
    corpus = Path(corpus)
    if not corpus.is_file() or corpus.stat().st_size == 0:
        raise InputError(f"{corpus}: missing or empty corpus (expected one sentence per line)")
    if workers < 1:
        raise InputError(f"workers: expected at least 1, got {workers}")
    model = Word2Vec(
        vector_size=params.dim,
        sg=1,
        hs=0,
        negative=params.negative,
        window=params.window,
        min_count=params.min_count,
        sample=params.sample,
        epochs=params.epochs,
        seed=params.seed,
        workers=workers,
    )
    model.build_vocab(corpus_file=str(corpus))
    if len(model.wv) == 0:
        raise InputError(f"{corpus}: no word occurs at least min_count={params.min_count} times")
    log.info(
        "%s: %d sentences, %d tokens, %d words with count >= %d; training %d epoch(s) on %d "
        "worker(s)",
        corpus,
        model.corpus_count,
        model.corpus_total_words,
        len(model.wv),
        params.min_count,
        params.epochs,
        workers,
    )
    model.train(
        corpus_file=str(corpus),
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=params.epochs,
    )
    words = list(model.wv.index_to_key)
    counts = np.array([model.wv.get_vecattr(w, "count") for w in words], dtype=np.int64)
    table = pd.DataFrame({"word": words, "count": counts})
    return WordVectors(np.ascontiguousarray(model.wv.vectors, dtype=np.float32), table, str(corpus))
