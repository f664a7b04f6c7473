"""The paper's protocol in Experiment 1: hyperparameters and the number of epochs chosen by
inner cross-validation (the margin too, by a margin-free criterion), repeated runs on a fixed
split and their aggregation, the max-margin loss's classes, and Table 1's significance test."""

import math

import numpy as np
import pandas as pd
import pytest
import torch

from crossmodal.collell2018 import selection
from crossmodal.collell2018.evaluation import epoch_curves, evaluate_mapping, overlap_tests, table1
from crossmodal.collell2018.pairs import PairedSet, class_membership, kfold_assignment
from crossmodal.collell2018.selection import candidates, criterion, select, validation_score
from crossmodal.collell2018.training import train_all_folds
from crossmodal.core.io import read_parquet
from crossmodal.models.mapping import MappingConfig, read_checkpoints, train_mapping

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def linear_pairs():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((90, 6)).astype(np.float32)
    y = (x @ rng.standard_normal((6, 4)) + 0.1 * rng.standard_normal((90, 4))).astype(np.float32)
    return x, y


def test_epochs_are_selected_from_one_training_per_candidate(linear_pairs, monkeypatch):
    x, y = linear_pairs
    calls = []
    real = selection.train_mapping
    monkeypatch.setattr(
        selection, "train_mapping", lambda *a, **k: calls.append(a[2].epochs) or real(*a, **k)
    )
    base = MappingConfig(model="lin", lr=0.003, epochs=99)
    grid = {"lr": [0.003], "epochs": [1, 4, 12]}
    chosen, table = select(x, y, base, grid, 3, 0, CPU)
    assert calls == [12, 12, 12]  # one training to the largest count per inner fold
    assert table["epochs"].tolist() == [1, 4, 12]
    scores = table["inner_score_mean"].to_numpy()
    assert scores[0] > scores[1] > scores[2]  # a slow learning rate keeps improving
    assert chosen.epochs == 12 and table.loc[table["chosen"], "epochs"].item() == 12
    assert (table["criterion"] == "mse_loss").all()
    # the score after 4 epochs is that of a 4-epoch training: the same run, cut short
    fold = kfold_assignment(len(x), 3, 0)
    separate = [
        validation_score(
            real(x[fold != f], y[fold != f], MappingConfig(model="lin", lr=0.003, epochs=4), CPU),
            x[fold == f],
            y[fold == f],
            base,
        )
        for f in range(3)
    ]
    assert scores[1] == pytest.approx(np.mean(separate), rel=1e-5)


def test_selection_picks_the_lowest_mean_score_whatever_the_epochs(linear_pairs):
    x, y = linear_pairs
    base = MappingConfig(model="nn", hidden=8, epochs=3)
    chosen, table = select(x, y, base, {"lr": [0.05, 1e-5], "epochs": [2, 6]}, 2, 1, CPU)
    best = table.loc[table["inner_score_mean"].idxmin()]
    assert table["chosen"].sum() == 1 and bool(best["chosen"])
    assert (chosen.lr, chosen.epochs) == (best["lr"], best["epochs"])


def test_margin_is_selected_for_max_margin_only_by_retrieval_rank(linear_pairs):
    x, y = linear_pairs
    grid = {"margin": [0.1, 0.5], "epochs": [3]}
    assert len(candidates(MappingConfig(model="lin"), grid)) == 1  # mse ignores the margin
    margin = MappingConfig(model="lin", loss="max_margin", lr=0.01, batch_size=16)
    assert criterion(margin) == "retrieval_rank" and criterion(MappingConfig()) == "mse_loss"
    chosen, table = select(x, y, margin, grid, 2, 0, CPU)
    assert table["margin"].tolist() == [0.1, 0.5] and (table["criterion"] == "retrieval_rank").all()
    assert table["inner_score_mean"].between(0, 1).all()  # a share of held-out targets
    assert chosen.margin == table.loc[table["chosen"], "margin"].item()
    # the criterion: 0 when every f(x_i) is nearest its own y_i among the held-out targets
    model = train_mapping(x, y, MappingConfig(model="lin", lr=0.01, epochs=30), CPU)
    assert validation_score(model, x[:20], y[:20], margin) == pytest.approx(0.0, abs=0.02)
    # a mapping whose output is zero ties every target: chance (one half), not the best rank
    dead = torch.nn.Linear(x.shape[1], y.shape[1])
    torch.nn.init.zeros_(dead.weight), torch.nn.init.zeros_(dead.bias)
    assert validation_score(dead, x[:20], y[:20], margin) == pytest.approx(0.5)


def test_class_membership_from_labels():
    iapr = class_membership(["1 5", "5", "7", ""])  # IAPR TC-12: concept lists
    assert iapr.tolist() == [[True, True, False], [False, True, False], [False, False, True]] + [
        [False, False, False]
    ]
    same = iapr.astype(float) @ iapr.T.astype(float) > 0
    assert same[0, 1] and not same[0, 2] and not same[3].any()  # no label: nobody's class
    assert class_membership(["cat", "dog", "cow"]) is None  # one item per class: all negatives
    assert class_membership(["", "", ""]) is None


def fixed_split_pairs() -> PairedSet:
    rng = np.random.default_rng(5)
    text = rng.standard_normal((50, 5)).astype(np.float32)
    image = np.tanh(text @ rng.standard_normal((5, 4))).astype(np.float32)
    items = pd.DataFrame({"item": [f"i{n}" for n in range(50)], "label": ""})
    items["fold"] = [-1] * 35 + [0] * 15  # 35 train-only items, 15 test items
    return PairedSet(image, text, items)


@pytest.fixture(scope="module")
def fixed_split_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    paired = fixed_split_pairs()
    names = {"image": "image.npy", "text": "text.npy", "item_table": "items.parquet"}
    files = {key: str(root / name) for key, name in names.items()}
    paired.write(files["image"], files["text"], files["item_table"])
    files.update(checkpoints=str(root / "ck.pt"), selection=str(root / "sel.parquet"))
    settings = {
        "mapping": {"model": "lin", "epochs": 9, "lr": 0.01, "seed": 3},
        "grid": {"epochs": [2, 5]},
        "inner_folds": 2,
        "runs": 5,
    }
    train_all_folds(paired, "t2i", settings, CPU, files["checkpoints"], files["selection"])
    return files


def test_a_fixed_split_is_trained_five_times_with_five_seeds(fixed_split_run):
    units = read_checkpoints(fixed_split_run["checkpoints"])
    selection_table = read_parquet(fixed_split_run["selection"])
    chosen = selection_table.loc[selection_table["chosen"], "epochs"].item()
    assert [(u.fold, u.run, u.config.seed) for u in units] == [(0, r, 3 + r) for r in range(5)]
    assert all(u.config.epochs == chosen and u.epochs == 5 for u in units)  # curves to 5
    first, second = units[0].states[-1], units[1].states[-1]
    assert not torch.equal(first["0.weight"], second["0.weight"])  # different initialisations


def test_five_runs_aggregate_to_their_mean_and_sample_std(fixed_split_run):
    setting = dict(dataset="d", visual="v", text="t", direction="t2i", mapping="lin")
    evaluation = dict(
        k=3, neighbours=["cosine"], precision_at=[1], curve_every=1, include_self=False
    )
    metrics, overlaps = evaluate_mapping(fixed_split_run, setting, evaluation)
    assert sorted(overlaps["run"].unique()) == list(range(5)) and len(overlaps) == 5 * 15
    table = table1(metrics, overlaps, ["lin"], k=3, alpha=0.001)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["folds"], row["runs"], row["test_items"]) == (1, 5, 15)
    final = metrics[(metrics["subset"] == "test") & (metrics["epoch"] == metrics["selected_epoch"])]
    assert len(final) == 5
    assert row["mnno_fx_x_k3"] == pytest.approx(final["mnno_fx_x_cosine"].mean())
    assert row["mnno_fx_x_k3_std"] == pytest.approx(final["mnno_fx_x_cosine"].std(ddof=1))
    assert row["epochs"] == final["selected_epoch"].mean()
    # the overlaps are those behind the mNNO: mean over items / K, run by run
    by_run = overlaps.groupby("run")["overlap_fx_x_cosine"].mean() / 3
    assert by_run.to_numpy() == pytest.approx(final.sort_values("run")["mnno_fx_x_cosine"])


def overlaps_frame(rows):
    setting = dict(dataset="d", visual="v", text="t", direction="t2i")
    frame = pd.DataFrame(rows, columns=["mapping", "run", "item", "fx_x", "fx_y"])
    return frame.assign(**setting).rename(
        columns={"fx_x": "overlap_fx_x_cosine", "fx_y": "overlap_fx_y_cosine"}
    )


def test_table1_significance_hand_checked():
    # per item, the mean over two runs: f(X)-X overlaps 2, 4, 6 and f(X)-Y overlaps 1, 2, 3
    rows = []
    for item, (fx_x, fx_y) in enumerate([(2, 1), (4, 2), (6, 3)]):
        rows += [("lin", 0, f"i{item}", fx_x - 1, fx_y), ("lin", 1, f"i{item}", fx_x + 1, fx_y)]
    tests = overlap_tests(overlaps_frame(rows), "cosine")
    # rank-sum: pooled 1, 2, 2, 3, 4, 6; the f(X)-X sample's ranks 2.5, 5, 6 sum to 13.5,
    # E = 10.5, Var = 5.25 (scipy's ranksums: no tie correction), p = erfc(3 / sqrt(10.5))
    assert tests["p_rank_sum"].item() == pytest.approx(math.erfc(3 / math.sqrt(10.5)))
    # signed-rank: differences 1, 2, 3 all positive: exact two-sided p = 2 / 2^3
    assert tests["p_signed_rank"].item() == pytest.approx(0.25)
    assert tests["test_items"].item() == 3


def test_epoch_curves_keep_the_epochs_every_fold_evaluated():
    """With curve_every 3, fold 0 selected epoch 4 (evaluated by it alone): its point is left out
    of the curve, whose other points are means over both folds."""
    setting = {"dataset": "d", "visual": "v", "text": "t", "direction": "t2i", "mapping": "nn"}
    rows = [
        {"fold": fold, "run": 0, "epoch": epoch, "mnno_fx_x_cosine": value, "subset": "test"}
        for fold, epochs in ((0, (1, 3, 4)), (1, (1, 3)))
        for epoch, value in zip(epochs, (0.1 * (fold + 1), 0.2 * (fold + 1), 0.9), strict=False)
    ]
    metrics = pd.DataFrame(rows).assign(mnno_fx_y_cosine=0.1, mse=1.0, **setting)
    curves = epoch_curves(metrics)
    assert curves["epoch"].tolist() == [1, 3]
    np.testing.assert_allclose(curves["mnno_fx_x_cosine"], [0.15, 0.3])
