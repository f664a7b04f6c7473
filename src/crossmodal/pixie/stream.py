"""The corpus as PIXIE reads it: the vocabulary, the corpus encoded once as word ids, and each
epoch's stream of (centre, context) mini-batches.

Each epoch down-samples frequent words (word2vec's rule), then walks the kept tokens in chunks,
forming every (centre, context) pair within a reduced window drawn per centre (never across a
line), shuffles each chunk's pairs and feeds them in mini-batches. Streaming by chunks bounds
the memory of an epoch's pairs whatever the corpus size.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError

# Kept tokens per chunk of the stream: pairs of a chunk are shuffled together.
_CHUNK_TOKENS = 50_000


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
    tokens: EncodedCorpus, window: int, batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(tokens done, centres, contexts) mini-batches of one epoch, streamed chunk by chunk;
    ``tokens done`` is the chunk's token count on its last batch and 0 on the others."""
    for start in range(0, len(tokens.ids), _CHUNK_TOKENS):
        stop = min(start + _CHUNK_TOKENS, len(tokens.ids))
        centre, context = chunk_pairs(tokens.ids[start:stop], tokens.lines[start:stop], window, rng)
        firsts = range(0, len(centre), batch_size)
        if not len(firsts):
            continue
        for first in firsts:
            done = stop - start if first == firsts[-1] else 0
            yield (
                done,
                centre[first : first + batch_size],
                context[first : first + batch_size],
            )
