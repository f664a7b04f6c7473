"""Collell & Moens (ACL 2018), Experiment 2: do untrained networks disrupt the semantic
structure of their input?

Word vectors X (text or visual) are mapped by untrained networks as the paper defines them
(Sect. 3, 4.2.2): weights drawn from a uniform distribution, biases zero, tanh hidden units,
output dimension 2,048; f_lin(x) = W x and f_nn(x) = W_1 tanh(W_0 x), deeper nets for the
supplement. The Spearman correlation with human similarity ratings of the cosine and of the
Euclidean similarity (Sect. 4.2.4) of f(x_a) and f(x_b), the mean over 10 random networks, is
compared with that of x_a and x_b.

Significance. The paper runs a two-sided Wilcoxon rank-sum test over the 10 runs, but X gives a
single correlation: a rank-sum test needs a sample on both sides. Both samples are formed by
bootstrap resamples of the benchmark's covered pairs: for run s, rho(X) on resample A_s and
rho(f_s(X)) on an independent resample B_s (A_s and B_s drawn from different seeds). The two
samples are then independent, as the rank-sum test assumes: using one resample for both sides
would pair them, which that test must not be run on. The X sample carries the pair-sampling
noise, the f(X) sample that noise and the initialisation's; a difference is significant when it
stands out from both. The tests of a table are Bonferroni-corrected together.
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

#: Networks of Table 2 by hidden layers: f_lin (none) and f_nn (one); deeper ones are supplement.
TABLE2_DEPTHS: tuple[int, ...] = (0, 1)


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


def network_name(hidden_layers: int) -> str:
    """The paper's name of an untrained network: ``lin`` (f_lin), ``nn`` (f_nn), ``nn<d>``."""
    return {0: "lin", 1: "nn"}.get(hidden_layers, f"nn{hidden_layers}")


def _uniform_layer(
    fan_in: int, width: int, weight_range: float, generator: torch.Generator
) -> nn.Linear:
    linear = nn.Linear(fan_in, width)
    with torch.no_grad():
        weights = torch.rand(linear.weight.shape, generator=generator)
        linear.weight.copy_(weights * 2 * weight_range - weight_range)
        linear.bias.zero_()
    return linear


def untrained_network(
    in_dim: int,
    hidden_layers: int,
    width: int = 2048,
    seed: int = 0,
    weight_range: float = 1.0,
) -> nn.Sequential:
    """Experiment 2's untrained map R^in_dim -> R^width: ``hidden_layers`` tanh layers of
    ``width`` units, then a linear output layer of ``width`` units; weights uniform in
    [-weight_range, weight_range], biases zero. No hidden layer is f_lin, one is f_nn."""
    generator = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = []
    fan_in = in_dim
    for _ in range(hidden_layers):
        layers += [_uniform_layer(fan_in, width, weight_range, generator), nn.Tanh()]
        fan_in = width
    layers.append(_uniform_layer(fan_in, width, weight_range, generator))
    return nn.Sequential(*layers).eval()


def _relabel(covered: CoveredPairs, needed: np.ndarray) -> CoveredPairs:
    """Covered pairs re-indexed into the rows ``needed`` (sorted vocabulary positions)."""
    return CoveredPairs(
        np.searchsorted(needed, covered.first),
        np.searchsorted(needed, covered.second),
        covered.scores,
        covered.total,
    )


def bootstrap_resamples(pairs: int, run: int) -> tuple[np.ndarray, np.ndarray]:
    """Run ``run``'s independent bootstrap resamples (A, B) of ``pairs`` covered pairs: A for
    rho(X), B for rho(f(X)) (module docstring)."""

    def draw(side: int) -> np.ndarray:
        return np.random.default_rng([run, side]).integers(0, max(pairs, 1), pairs)

    return draw(0), draw(1)


def untrained_scores(
    vectors: WordVectors,
    benchmarks: Mapping[str, pd.DataFrame],
    depths: Sequence[int],
    seeds: int,
    network: Mapping[str, float],
    similarities: Sequence[str],
    device: torch.device | None = None,
) -> pd.DataFrame:
    """One row per benchmark, network (``depths``: hidden layers, 0 is f_lin), run (``seeds``
    random networks each) and similarity: rho of X and of f(X) on all covered pairs and on the
    run's bootstrap resamples, with coverage. ``network`` holds the ``width`` and
    ``weight_range`` of :func:`untrained_network`. Only words of some covered pair are mapped
    (f acts on each vector alone, so the others do not matter)."""
    covered = {name: cover(vectors.position, pairs, name) for name, pairs in benchmarks.items()}
    needed = np.unique(np.concatenate([np.r_[c.first, c.second] for c in covered.values()]))
    matrix = vectors.matrix[needed].astype(np.float32)
    local = {name: _relabel(c, needed) for name, c in covered.items()}
    device = device or torch.device("cpu")
    rows = []
    jobs = [(d, s) for d in depths for s in range(seeds)]
    for depth, seed in progress(jobs, total=len(jobs), desc="untrained networks"):
        net = untrained_network(
            matrix.shape[1], depth, int(network["width"]), seed, network["weight_range"]
        ).to(device)
        with torch.no_grad():
            mapped = net(torch.as_tensor(matrix, device=device)).cpu().numpy()
        for name, pairs in local.items():
            first, second = bootstrap_resamples(pairs.used, seed)
            for similarity in similarities:
                rows.append(
                    {
                        "benchmark": name,
                        "network": network_name(depth),
                        "hidden_layers": depth,
                        "seed": seed,
                        "similarity": similarity,
                        "pairs_used": pairs.used,
                        "pairs_total": pairs.total,
                        "rho_x": spearman(matrix, pairs, None, similarity),
                        "rho_fx": spearman(mapped, pairs, None, similarity),
                        "rho_x_boot": spearman(matrix, pairs, first, similarity),
                        "rho_fx_boot": spearman(mapped, pairs, second, similarity),
                    }
                )
    return pd.DataFrame(rows)


TABLE2_COLUMNS: tuple[str, ...] = (
    "embedding",
    "benchmark",
    "similarity",
    "network",
    "hidden_layers",
    "pairs_used",
    "pairs_total",
    "coverage",
    "rho_x",
    "rho_fx_mean",
    "rho_fx_std",
    "networks",
    "p_rank_sum",
    "p_bonferroni",
    "significant",
)


def summarise(scores: pd.DataFrame, alpha: float, min_pairs: int) -> pd.DataFrame:
    """Per embedding, benchmark, similarity and network: rho of X, mean (std) rho of f(X) over
    the random networks, coverage, and the rank-sum test of the bootstrap samples (module
    docstring), Bonferroni-corrected over the rows given (one family).

    A benchmark that covers fewer than ``min_pairs`` pairs of an embedding gets no test (p NaN,
    not counted by Bonferroni): bootstrap resamples of a handful of pairs give a few distinct
    correlations and spurious "significant" differences."""
    if scores.empty:
        return pd.DataFrame(columns=list(TABLE2_COLUMNS))
    keys = ["embedding", "benchmark", "similarity", "network"]
    rows = []
    for key, group in scores.groupby(keys, sort=False):
        used, total = int(group["pairs_used"].iloc[0]), int(group["pairs_total"].iloc[0])
        tested = used >= min_pairs
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "hidden_layers": int(group["hidden_layers"].iloc[0]),
                "pairs_used": used,
                "pairs_total": total,
                "coverage": used / total if total else 0.0,
                "rho_x": group["rho_x"].iloc[0],
                "rho_fx_mean": group["rho_fx"].mean(),
                "rho_fx_std": group["rho_fx"].std(ddof=1),
                "networks": len(group),
                "p_rank_sum": rank_sum_p(group["rho_x_boot"], group["rho_fx_boot"])
                if tested
                else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["p_bonferroni"] = bonferroni(table["p_rank_sum"].to_numpy())
    table["significant"] = table["p_bonferroni"] < alpha
    return table[list(TABLE2_COLUMNS)]


def untrained_tables(
    scores: pd.DataFrame, alpha: float, min_pairs: int, benchmarks: Sequence[str]
) -> dict[str, pd.DataFrame]:
    """``table2``: the paper's Table 2, f_lin and f_nn on the benchmarks ``benchmarks`` (the
    paper's six; empty: every benchmark); ``supplement``: the other rows (other benchmarks,
    deeper networks). Each is its own Bonferroni family, so that Table 2's is the paper's.
    Without word embeddings (only bring-your-own item features) both are empty."""
    if scores.empty:
        empty = pd.DataFrame(columns=list(TABLE2_COLUMNS))
        return {"table2": empty, "supplement": empty.copy()}
    chosen = scores["benchmark"].isin(benchmarks) if benchmarks else True
    in_table2 = chosen & scores["hidden_layers"].isin(TABLE2_DEPTHS)
    return {
        "table2": summarise(scores[in_table2], alpha, min_pairs),
        "supplement": summarise(scores[~in_table2], alpha, min_pairs),
    }
