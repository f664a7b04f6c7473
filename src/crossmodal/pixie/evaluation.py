"""Evaluations of the PIXIE study (Ailem et al., 2018): word similarity with coverage (Table 2),
propagation to words whose images were held out (Table 3) and nearest neighbours (Tables 4-5).

Coverage: every benchmark pair counts in ``total``; a pair one of whose words has no vector in a
model is not covered (never silently dropped), and rho is computed over the covered pairs only
(crossmodal.metrics.similarity). Models therefore differ in coverage - the CNN and VAE baselines
cover only pairs of two visual words - and the table says so next to each rho.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import torch

from crossmodal.core.errors import InputError
from crossmodal.metrics.similarity import cover, spearman
from crossmodal.text.vectors import WordVectors

SIMILARITY_COLUMNS = ("benchmark", "model", "rho", "covered", "total", "coverage")


def similarity_rows(
    models: Mapping[str, WordVectors],
    benchmarks: Mapping[str, pd.DataFrame],
    involving: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Spearman rho and coverage of every model on every benchmark. With ``involving``, only
    the pairs with at least one of those words count (both as written and lower-cased)."""
    keep_words = None if involving is None else {w.lower() for w in involving}
    rows = []
    for benchmark, pairs in benchmarks.items():
        if keep_words is not None:
            mask = pairs["word1"].astype(str).str.lower().isin(keep_words) | pairs["word2"].astype(
                str
            ).str.lower().isin(keep_words)
            pairs = pairs[mask]
        for model, vectors in models.items():
            covered = cover(vectors.position, pairs, benchmark)
            rows.append(
                {
                    "benchmark": benchmark,
                    "model": model,
                    "rho": spearman(vectors.matrix, covered),
                    "covered": covered.used,
                    "total": covered.total,
                    "coverage": covered.coverage,
                }
            )
    return pd.DataFrame(rows, columns=list(SIMILARITY_COLUMNS))


def select_heldout(words: list[str], fraction: float, count: int | None, seed: int) -> list[str]:
    """The visual words whose images are held out: ``count`` of them if given (the paper's
    2,000), else ``fraction`` of them, drawn at random with ``seed``; sorted."""
    n = count if count is not None else int(round(fraction * len(words)))
    if not 1 <= n < len(words):
        raise InputError(
            f"pixie propagation: cannot hold out {n} of {len(words)} visual words "
            "(need at least 1 and fewer than all)"
        )
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(sorted(words), size=n, replace=False).tolist())


def nearest_neighbours(vectors: WordVectors, probes: list[str], k: int, model: str) -> pd.DataFrame:
    """The ``k`` nearest other words of each probe by cosine (a probe the model lacks gets one
    row with no neighbour, so a table shows the gap rather than hiding it)."""
    unit = torch.nn.functional.normalize(torch.as_tensor(vectors.matrix, dtype=torch.float32))
    rows = []
    for probe in probes:
        if probe not in vectors:
            rows.append(
                {"probe": probe, "model": model, "rank": None, "neighbour": None, "cosine": None}
            )
            continue
        position = int(vectors.positions([probe])[0])
        scores = unit @ unit[position]
        scores[position] = -torch.inf
        top = torch.topk(scores, min(k, len(vectors) - 1))
        for rank, (score, index) in enumerate(zip(top.values, top.indices, strict=True), 1):
            rows.append(
                {
                    "probe": probe,
                    "model": model,
                    "rank": rank,
                    "neighbour": vectors.words[int(index)],
                    "cosine": round(float(score), 4),
                }
            )
    table = pd.DataFrame(rows, columns=["probe", "model", "rank", "neighbour", "cosine"])
    return table.astype({"rank": "Int64"})
