"""Torch mappings: recovery of a known linear map, determinism, losses, depths and checkpoints."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from crossmodal.core.errors import InputError
from crossmodal.metrics.neighbours import mnno
from crossmodal.models.mapping import (
    Checkpoints,
    MappingConfig,
    build_network,
    max_margin_loss,
    predict,
    read_checkpoints,
    save_checkpoints,
    snapshot,
    train_mapping,
)


@pytest.fixture(scope="module")
def linear_task():
    """Y = A X with a random A; train on 600 items, test on 200 others."""
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((12, 20)) / np.sqrt(20)).astype(np.float32)
    x = rng.standard_normal((800, 20)).astype(np.float32)
    return x[:600], x[:600] @ a.T, x[600:], x[600:] @ a.T, a


def test_linear_map_recovers_a_and_drives_mnno_to_one(linear_task):
    x, y, x_test, y_test, a = linear_task
    curve = []
    config = MappingConfig(model="lin", lr=0.003, epochs=40, seed=1)
    model = train_mapping(
        x,
        y,
        config,
        torch.device("cpu"),
        lambda _, m: curve.append(mnno(predict(m, x_test), y_test)),
    )
    weight = model[0].weight.detach().numpy()
    assert np.linalg.norm(weight - a) / np.linalg.norm(a) < 0.02
    assert np.abs(model[0].bias.detach().numpy()).max() < 0.02
    assert len(curve) == 40
    assert curve[-1] > 0.95 > curve[0]


def test_one_hidden_layer_net_approaches_target_structure(linear_task):
    x, y, x_test, y_test, _ = linear_task
    config = MappingConfig(model="nn", hidden=128, lr=0.001, epochs=40)
    model = train_mapping(x, y, config, torch.device("cpu"))
    assert mnno(predict(model, x_test), y_test) > 0.8


def test_training_is_deterministic_under_a_seed(linear_task):
    x, y, *_ = linear_task
    config = MappingConfig(model="nn", hidden=32, dropout=0.2, epochs=3, seed=5)
    first = snapshot(train_mapping(x, y, config, torch.device("cpu")))
    again = snapshot(train_mapping(x, y, config, torch.device("cpu")))
    other = snapshot(
        train_mapping(x, y, MappingConfig(**{**config.__dict__, "seed": 6}), torch.device("cpu"))
    )
    assert all(torch.equal(first[name], again[name]) for name in first)
    assert not all(torch.equal(first[name], other[name]) for name in first)


@pytest.mark.parametrize("layers", [1, 3, 5])
def test_depths_have_the_stated_layers(layers):
    config = MappingConfig(model="nn", hidden_layers=layers, hidden=16, dropout=0.1)
    net = build_network(7, 5, config)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    assert len(linears) == layers + 1
    assert linears[0].in_features == 7 and linears[-1].out_features == 5
    assert sum(isinstance(m, torch.nn.Dropout) for m in net) == layers


@pytest.mark.parametrize("loss", ["cosine", "max_margin"])
def test_other_losses_learn_the_direction_of_targets(linear_task, loss):
    x, y, x_test, y_test, _ = linear_task
    config = MappingConfig(model="lin", loss=loss, lr=0.003, epochs=30)
    pred = predict(train_mapping(x, y, config, torch.device("cpu")), x_test)
    cosines = (pred * y_test).sum(1) / np.linalg.norm(pred, axis=1) / np.linalg.norm(y_test, axis=1)
    assert cosines.mean() > 0.9


def test_checkpoints_hold_every_epoch(linear_task, tmp_path):
    x, y, x_test, *_ = linear_task
    config = MappingConfig(model="nn", hidden=16, epochs=3)
    states, outputs = [], []

    def keep(_epoch, model):
        states.append(snapshot(model))
        outputs.append(predict(model, x_test))

    train_mapping(x, y, config, torch.device("cpu"), keep)
    path = tmp_path / "checkpoints.pt"
    other = MappingConfig(model="lin", epochs=1)
    save_checkpoints(
        [
            Checkpoints(config, x.shape[1], y.shape[1], states, "fold 0"),
            Checkpoints(other, x.shape[1], y.shape[1], states[:1], "fold 1", 1, 2),
        ],
        path,
    )
    trained, second = read_checkpoints(path)
    assert trained.epochs == 3 and trained.config == config
    assert second.epochs == 1 and second.config == other and "fold 1" in second.source
    assert (trained.fold, trained.run, second.fold, second.run) == (0, 0, 1, 2)
    for epoch in (1, 3):
        assert np.allclose(predict(trained.model(epoch), x_test), outputs[epoch - 1])
    assert np.allclose(predict(trained.model(), x_test), outputs[-1])
    with pytest.raises(InputError, match="asked for 4"):
        trained.model(4)


@pytest.mark.bad_input
def test_bad_config_and_data_name_the_key():
    with pytest.raises(InputError, match="model"):
        MappingConfig(model="cnn")
    with pytest.raises(InputError, match="lr"):
        MappingConfig(lr=0)
    with pytest.raises(InputError, match="3 inputs but 2 targets"):
        train_mapping(np.zeros((3, 2)), np.zeros((2, 2)), MappingConfig())


def test_rmsprop_takes_rho_and_epsilon_as_keras_names_them():
    """One full-batch step of a linear map is w - lr g / (sqrt((1 - rho) g^2) + eps): rho is
    Keras's name of torch's alpha, and both reach the optimiser."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((16, 3)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)
    config = MappingConfig(
        model="lin", lr=0.01, epochs=1, batch_size=16, rho=0.9, epsilon=0.5, seed=3
    )
    torch.manual_seed(3)
    start = build_network(3, 2, config)
    loss = torch.nn.functional.mse_loss(start(torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()
    trained = train_mapping(x, y, config, torch.device("cpu"))
    for before, after in zip(start.parameters(), trained.parameters(), strict=True):
        g = before.grad
        expected = before.detach() - 0.01 * g / (torch.sqrt(0.1 * g * g) + 0.5)
        assert torch.allclose(after.detach(), expected, atol=1e-6)
    torch_default = train_mapping(x, y, replace(config, rho=0.99), torch.device("cpu"))
    assert not torch.allclose(torch_default[0].weight, trained[0].weight)
    with pytest.raises(InputError, match="rho"):
        MappingConfig(rho=1.0)


def test_max_margin_takes_the_first_violating_negative_of_another_class():
    """Three items in the plane: predictions at 10, 60 and 180 degrees, targets at 0, 30 and
    90 degrees, so cos(p_i, y_j) = cos(angle difference); margin 0.5. Item i scans the other
    targets from i + 1 on, wrapping round, and takes the first with a positive hinge
    0.5 - cos(p_i, y_i) + cos(p_i, y_j)."""

    def unit(degrees):
        return [math.cos(math.radians(degrees)), math.sin(math.radians(degrees))]

    pred = torch.tensor([unit(10), unit(60), unit(180)])
    target = torch.tensor([unit(0), unit(30), unit(90)])

    def cos(a, b):
        return math.cos(math.radians(a - b))

    # item 0 scans target 1 first: 0.5 - cos 10 + cos 20 = 0.455 > 0 (target 2 is not reached)
    # item 1 scans target 2 first: 0.5 - cos 30 + cos 30 = 0.5 (target 0 would give 0.134)
    # item 2 (own cosine 0): targets 0 and 1 give 0.5 - 1 and 0.5 - 0.866, no violation: 0
    first = 0.5 - cos(10, 0) + cos(10, 30)
    assert max_margin_loss(pred, target, 0.5).item() == pytest.approx((first + 0.5) / 3)
    # items 1 and 2 of one class: item 1 skips target 2 and takes target 0
    same = torch.zeros((3, 3), dtype=torch.bool)
    same[1, 2] = same[2, 1] = True
    second = 0.5 - cos(60, 30) + cos(60, 0)
    loss = max_margin_loss(pred, target, 0.5, same)
    assert loss.item() == pytest.approx((first + second) / 3)
    assert max_margin_loss(pred, target, 0.01, same).item() == 0.0  # none violates
