"""Experiment 2's untrained networks: what a random tanh net keeps of its input's geometry."""

import numpy as np
import pytest
import torch
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from crossmodal.collell2018.untrained import untrained_network


@pytest.mark.parametrize("layers", [1, 3, 5])
def test_untrained_network_preserves_rank_order(layers):
    """Pairwise cosine distances of clustered (word-like) vectors before and after a random tanh
    net stay rank-correlated, far above the ~0 of an unrelated set."""
    rng = np.random.default_rng(layers)
    centres = rng.standard_normal((6, 30))
    x = (centres[rng.integers(0, 6, 60)] + rng.standard_normal((60, 30))).astype(np.float32)
    net = untrained_network(30, layers, width=512, seed=0)
    with torch.no_grad():
        fx = net(torch.from_numpy(x)).numpy()
    assert fx.shape == (60, 512) and np.abs(fx).max() <= 1
    rho = spearmanr(pdist(x, "cosine"), pdist(fx, "cosine"))[0]
    unrelated = spearmanr(pdist(x, "cosine"), pdist(rng.standard_normal((60, 30)), "cosine"))[0]
    assert rho > 0.7 and abs(unrelated) < 0.2
    again = untrained_network(30, layers, width=512, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(net.parameters(), again.parameters(), strict=True))
