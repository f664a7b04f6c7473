"""Experiment 2's untrained networks as the paper defines them (uniform weights, zero biases,
tanh hidden units, linear output of 2,048), what they keep of their input's geometry, and Table 2
with its significance test on hand-checked cases."""

import math

import numpy as np
import pandas as pd
import pytest
import torch
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr
from torch import nn

from crossmodal.collell2018.untrained import (
    bootstrap_resamples,
    network_name,
    summarise,
    untrained_network,
    untrained_tables,
)


@pytest.mark.parametrize("hidden_layers", [0, 1, 3])
def test_untrained_network_is_the_papers_definition(hidden_layers):
    net = untrained_network(30, hidden_layers, seed=4, weight_range=0.5)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert len(linears) == hidden_layers + 1
    assert linears[-1].out_features == 2048  # the paper's output dimension, the default width
    assert all(torch.equal(m.bias, torch.zeros_like(m.bias)) for m in linears)  # biases zero
    weights = torch.cat([m.weight.flatten() for m in linears])
    assert weights.abs().max() <= 0.5 and weights.min() < -0.45 and weights.max() > 0.45
    assert abs(weights.mean()) < 0.01  # uniform on [-0.5, 0.5]: mean 0, variance 1/12
    assert weights.var().item() == pytest.approx(1 / 12, rel=0.02)
    # tanh after every hidden layer, nothing after the output layer (linear output)
    assert [type(m) for m in net] == [nn.Linear, nn.Tanh] * hidden_layers + [nn.Linear]
    assert network_name(hidden_layers) == {0: "lin", 1: "nn", 3: "nn3"}[hidden_layers]


def test_f_lin_is_linear_and_f_nn_is_not():
    rng = np.random.default_rng(0)
    a, b = (torch.from_numpy(rng.standard_normal((5, 12)).astype(np.float32)) for _ in range(2))
    lin, net = untrained_network(12, 0, width=64), untrained_network(12, 1, width=64)
    with torch.no_grad():
        assert torch.allclose(lin(2 * a - b), 2 * lin(a) - lin(b), atol=1e-4)
        assert not torch.allclose(net(2 * a - b), 2 * net(a) - net(b), atol=1e-2)
        hidden = net[1](net[0](a))
        assert torch.allclose(net(a), hidden @ net[2].weight.T)  # W_1 tanh(W_0 x), no bias


@pytest.mark.parametrize("hidden_layers", [0, 1])
def test_untrained_network_preserves_rank_order(hidden_layers):
    """Pairwise cosine distances of clustered (word-like) vectors before and after Table 2's
    random networks stay rank-correlated, far above the ~0 of an unrelated set."""
    rng = np.random.default_rng(hidden_layers)
    centres = rng.standard_normal((6, 30))
    x = (centres[rng.integers(0, 6, 60)] + rng.standard_normal((60, 30))).astype(np.float32)
    net = untrained_network(30, hidden_layers, width=512, seed=0)
    with torch.no_grad():
        fx = net(torch.from_numpy(x)).numpy()
    assert fx.shape == (60, 512)
    rho = spearmanr(pdist(x, "cosine"), pdist(fx, "cosine"))[0]
    unrelated = spearmanr(pdist(x, "cosine"), pdist(rng.standard_normal((60, 30)), "cosine"))[0]
    assert rho > 0.9 and abs(unrelated) < 0.2
    again = untrained_network(30, hidden_layers, width=512, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(net.parameters(), again.parameters(), strict=True))


def test_bootstrap_samples_of_x_and_fx_are_independent_draws():
    first, second = bootstrap_resamples(50, 3)
    assert len(first) == len(second) == 50 and not np.array_equal(first, second)
    again = bootstrap_resamples(50, 3)
    assert np.array_equal(first, again[0]) and np.array_equal(second, again[1])
    assert not np.array_equal(first, bootstrap_resamples(50, 4)[0])


def scores_frame(rho_x_boot, rho_fx_boot, network="nn", benchmark="ws353", pairs=100):
    runs = len(rho_fx_boot)
    return pd.DataFrame(
        {
            "embedding": "toy",
            "benchmark": benchmark,
            "similarity": "cosine",
            "network": network,
            "hidden_layers": {"lin": 0, "nn": 1, "nn3": 3}[network],
            "seed": range(runs),
            "pairs_used": pairs,
            "pairs_total": 2 * pairs,
            "rho_x": 0.5,
            "rho_fx": np.linspace(0.4, 0.6, runs),
            "rho_x_boot": rho_x_boot,
            "rho_fx_boot": rho_fx_boot,
        }
    )


def test_table2_rank_sum_test_hand_checked():
    # rho(X) bootstrap values 0.1, 0.2, 0.3 all below rho(f(X)) ones 0.4, 0.5, 0.6: the rank
    # sum of the X sample is R = 6; under H0 E[R] = 3 * 7 / 2 = 10.5 and Var[R] = 3 * 3 * 7 / 12
    # = 5.25, so z = -4.5 / sqrt(5.25) and the two-sided p = erfc(|z| / sqrt 2) = 0.0495
    table = summarise(scores_frame([0.1, 0.2, 0.3], [0.4, 0.5, 0.6]), alpha=0.05, min_pairs=10)
    expected = math.erfc(4.5 / math.sqrt(5.25) / math.sqrt(2))
    assert expected == pytest.approx(0.04953, abs=1e-5)
    assert table["p_rank_sum"].iloc[0] == pytest.approx(expected)
    assert table["p_bonferroni"].iloc[0] == pytest.approx(expected)  # one test: m = 1
    assert table["significant"].iloc[0]
    assert table["rho_fx_mean"].iloc[0] == pytest.approx(0.5) and table["networks"].iloc[0] == 3
    assert table["coverage"].iloc[0] == pytest.approx(0.5)
    # interleaved samples: R = 1 + 3 + 5 = 9, z = -1.5 / sqrt(5.25), p = 0.5127
    mixed = summarise(scores_frame([0.1, 0.3, 0.5], [0.2, 0.4, 0.6]), alpha=0.05, min_pairs=10)
    assert mixed["p_rank_sum"].iloc[0] == pytest.approx(math.erfc(1.5 / math.sqrt(10.5)))
    assert not mixed["significant"].iloc[0]
    untested = summarise(scores_frame([0.1, 0.2, 0.3], [0.4, 0.5, 0.6], pairs=5), 0.05, 10)
    assert np.isnan(untested["p_rank_sum"].iloc[0]) and not untested["significant"].iloc[0]


def test_table2_holds_the_papers_rows_and_family_the_supplement_the_rest():
    separated = ([0.1, 0.2, 0.3], [0.4, 0.5, 0.6])
    scores = pd.concat(
        [
            scores_frame(*separated, network="nn"),
            scores_frame(*separated, network="lin"),
            scores_frame(*separated, network="nn3"),
            scores_frame(*separated, network="nn", benchmark="rg65"),
        ],
        ignore_index=True,
    )
    tables = untrained_tables(scores, alpha=0.05, min_pairs=10, benchmarks=["ws353"])
    table2, supplement = tables["table2"], tables["supplement"]
    assert table2[["benchmark", "network"]].values.tolist() == [["ws353", "nn"], ["ws353", "lin"]]
    assert sorted(supplement["network"] + "/" + supplement["benchmark"]) == [
        "nn/rg65",
        "nn3/ws353",
    ]
    p = math.erfc(4.5 / math.sqrt(5.25) / math.sqrt(2))
    # each table is its own Bonferroni family of two tests: 2 p = 0.099, not significant
    assert table2["p_bonferroni"].tolist() == pytest.approx([2 * p, 2 * p])
    assert supplement["p_bonferroni"].tolist() == pytest.approx([2 * p, 2 * p])
    assert not table2["significant"].any()
    everything = untrained_tables(scores, alpha=0.05, min_pairs=10, benchmarks=[])
    assert len(everything["table2"]) == 3  # []: every benchmark; depth 3 still supplement
    empty = untrained_tables(pd.DataFrame(), 0.05, 10, ["ws353"])
    assert empty["table2"].empty and empty["supplement"].empty
