"""Collell & Moens (ACL 2018), Experiment 2: do untrained networks disrupt the semantic
structure of their input?

Word vectors X (text or visual) are passed through untrained tanh networks f (1, 3 or 5 hidden
layers, uniform random weights, one network per seed), and the Spearman correlation with human
similarity ratings of cos(f(x_a), f(x_b)) is compared with that of cos(x_a, x_b).

Significance: X gives a single correlation, so that a rank-sum test needs a sample on both
sides. For seed s we draw bootstrap resample s of the covered pairs and compute rho of X and of
f_s(X) on that same resample; the two-sided Wilcoxon rank-sum test compares the seeds'
rho(f_s(X)) with the rho(X) values, so both samples carry the pair-sampling noise and the f side
adds the initialisation noise. All tests of the table are Bonferroni-corrected together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.data.feature_files import read_features
from crossmodal.metrics.similarity import CoveredPairs, cover, spearman
from crossmodal.metrics.stats import bonferroni, rank_sum_p
from crossmodal.text.vectors import WordVectors


def read_embedding(
    vectors: str,
    words: str | None,
    ids: str | None,
    label_column: bool | None,
    header: bool | None = None,
) -> WordVectors:
    """The word vectors of one Experiment 2 embedding: an NPY with its word table (``words``),
    or a bring-your-own feature file whose row labels are words (a CSV with a label column and
    perhaps a ``header`` line, an NPY with an ``ids`` table)."""
    if words is not None:
        return WordVectors.read(vectors, words)
    matrix, labels = read_features(vectors, ids, bool(label_column), bool(header))
    if labels is None:
        raise InputError(f"{vectors}: Experiment 2 needs a word for each row (no labels)")
    return WordVectors(matrix, pd.DataFrame({"word": labels}), str(vectors))


def untrained_network(
    in_dim: int, hidden_layers: int, width: int = 2048, seed: int = 0, scale: float | None = None
) -> nn.Sequential:
    """Experiment 2's untrained map: ``hidden_layers`` tanh layers of ``width`` units and a
    ``width``-unit tanh output, weights and biases uniform in [-scale, scale].

    The default scale 1/sqrt(fan_in) keeps tanh out of saturation, so that the network neither
    collapses nor binarises its input; the paper only says "uniform", this is its usual range.
    """
    generator = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = []
    width_in = in_dim
    for _ in range(hidden_layers + 1):
        linear = nn.Linear(width_in, width)
        bound = scale if scale is not None else 1 / np.sqrt(width_in)
        with torch.no_grad():
            for parameter in (linear.weight, linear.bias):
                parameter.copy_(
                    torch.rand(parameter.shape, generator=generator) * 2 * bound - bound
                )
        layers += [linear, nn.Tanh()]
        width_in = width
    return nn.Sequential(*layers).eval()


def _mapped(
    matrix: np.ndarray, depth: int, width: int, seed: int, device: torch.device
) -> np.ndarray:
    net = untrained_network(matrix.shape[1], depth, width, seed).to(device)
    with torch.no_grad():
        return net(torch.as_tensor(matrix, dtype=torch.float32, device=device)).cpu().numpy()


def untrained_scores(
    vectors: WordVectors,
    benchmarks: Mapping[str, pd.DataFrame],
    depths: Sequence[int],
    seeds: int,
    width: int,
    device: torch.device | None = None,
) -> pd.DataFrame:
    """One row per benchmark, depth and seed: rho of X and f(X) on all covered pairs and on the
    seed's bootstrap resample, with coverage. Only words of some covered pair are mapped (f acts
    on each vector alone, so the others do not matter)."""
    covered = {name: cover(vectors.position, pairs, name) for name, pairs in benchmarks.items()}
    needed = np.unique(np.concatenate([np.r_[c.first, c.second] for c in covered.values()]))
    matrix = vectors.matrix[needed].astype(np.float32)
    local = {name: _relabel(c, needed) for name, c in covered.items()}
    rows = []
    jobs = [(d, s) for d in depths for s in range(seeds)]
    for depth, seed in progress(jobs, total=len(jobs), desc="untrained networks"):
        mapped = _mapped(matrix, depth, width, seed, device or torch.device("cpu"))
        for name, pairs in local.items():
            resample = np.random.default_rng(seed).integers(0, max(pairs.used, 1), pairs.used)
            rows.append(
                {
                    "benchmark": name,
                    "depth": depth,
                    "seed": seed,
                    "pairs_used": pairs.used,
                    "pairs_total": pairs.total,
                    "rho_x": spearman(matrix, pairs),
                    "rho_fx": spearman(mapped, pairs),
                    "rho_x_boot": spearman(matrix, pairs, resample),
                    "rho_fx_boot": spearman(mapped, pairs, resample),
                }
            )
    return pd.DataFrame(rows)


def _relabel(covered: CoveredPairs, needed: np.ndarray) -> CoveredPairs:
    """Covered pairs re-indexed into the rows ``needed`` (sorted vocabulary positions)."""
    return CoveredPairs(
        np.searchsorted(needed, covered.first),
        np.searchsorted(needed, covered.second),
        covered.scores,
        covered.total,
    )


TABLE2_COLUMNS: tuple[str, ...] = (
    "embedding",
    "benchmark",
    "depth",
    "pairs_used",
    "pairs_total",
    "coverage",
    "rho_x",
    "rho_fx_mean",
    "rho_fx_std",
    "seeds",
    "p_rank_sum",
    "p_bonferroni",
    "significant",
)


def table2(scores: pd.DataFrame, alpha: float, min_pairs: int) -> pd.DataFrame:
    """Table 2: per embedding, benchmark and depth, rho of X and mean (std) rho of f(X) over
    seeds, coverage, and the rank-sum test, Bonferroni-corrected over the whole table.

    A benchmark that covers fewer than ``min_pairs`` pairs of an embedding gets no test (p NaN,
    not counted by Bonferroni): bootstrap resamples of a handful of pairs give a few distinct
    correlations and spurious "significant" differences. Without word embeddings (only
    bring-your-own item features) the table is empty."""
    keys = ["embedding", "benchmark", "depth"]
    if scores.empty:
        return pd.DataFrame(columns=list(TABLE2_COLUMNS))
    rows = []
    for key, group in scores.groupby(keys, sort=False):
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "pairs_used": int(group["pairs_used"].iloc[0]),
                "pairs_total": int(group["pairs_total"].iloc[0]),
                "coverage": group["pairs_used"].iloc[0] / group["pairs_total"].iloc[0],
                "rho_x": group["rho_x"].iloc[0],
                "rho_fx_mean": group["rho_fx"].mean(),
                "rho_fx_std": group["rho_fx"].std(ddof=1),
                "seeds": len(group),
                "p_rank_sum": rank_sum_p(group["rho_x_boot"], group["rho_fx_boot"])
                if group["pairs_used"].iloc[0] >= min_pairs
                else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["p_bonferroni"] = bonferroni(table["p_rank_sum"].to_numpy())
    table["significant"] = table["p_bonferroni"] < alpha
    return table[list(TABLE2_COLUMNS)]
