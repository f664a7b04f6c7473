"""Collell & Moens (ACL 2018), Experiment 1: how much the neighbourhood structure of mapped
vectors f(X) resembles that of the inputs X and of the targets Y.

Per evaluation fold and epoch, on the training and the test items separately (neighbours are
searched within each subset): mNNO^K(f(X), X), mNNO^K(f(X), Y) and the baseline mNNO^K(X, Y),
with cosine and Euclidean neighbours, plus the mapping's quality: mean squared error, mean cosine
of f(x_i) and y_i, R^2, and retrieval precision P@K (y_i among the K targets nearest f(x_i)).
Table 1 reports the test values after the last epoch, mean and standard deviation over folds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import r2_score

from crossmodal.collell2018.pairs import PairedSet
from crossmodal.collell2018.subsets import check_subsets, smallest_subsets
from crossmodal.core.errors import InputError
from crossmodal.core.logs import progress
from crossmodal.metrics.neighbours import (
    expected_precision,
    knn_within,
    match_ranks,
    mnno_from_neighbours,
)
from crossmodal.models.mapping import Checkpoints, predict, read_checkpoints

# Setting columns that identify one trained mapping across the tables.
SETTING = ("dataset", "visual", "text", "direction", "mapping")


def quality(fx: np.ndarray, y: np.ndarray, precision_at: Sequence[int]) -> dict[str, float]:
    """How close f(X) is to Y item by item: MSE (mean over items and dimensions, as Collell's
    average_MSE), mean cosine, R^2 and P@K (targets tied with y_i count as a random order
    would place them: :func:`crossmodal.metrics.neighbours.expected_precision`).

    R^2 is variance-weighted over dimensions: Collell's code averages it uniformly, which lets a
    near-constant dimension (an empty visual word, a dead CNN unit) drive it to -10^5.
    """
    norms = np.linalg.norm(fx, axis=1) * np.linalg.norm(y, axis=1)
    cosines = (fx * y).sum(axis=1) / np.where(norms > 0, norms, 1)
    closer, tied = match_ranks(fx, y, "cosine")
    row = {
        "mse": float(((fx - y) ** 2).mean()),
        "cosine": float(cosines.mean()),
        "r2": float(r2_score(y, fx, multioutput="variance_weighted")),
    }
    row.update({f"p_at_{k}": expected_precision(closer, tied, k) for k in precision_at})
    return row


def neighbour_structure(
    x: np.ndarray, y: np.ndarray, fx: np.ndarray, k: int, metrics: Sequence[str], cache: dict
) -> dict[str, float]:
    """mNNO of f(X) with X and with Y, and of X with Y, per neighbour metric. ``cache`` keeps the
    neighbours of X and Y, which do not change across epochs."""
    row: dict[str, float] = {}
    for metric in metrics:
        if metric not in cache:
            cache[metric] = (knn_within(x, k, metric, "X"), knn_within(y, k, metric, "Y"))
        nn_x, nn_y = cache[metric]
        nn_fx = knn_within(fx, k, metric, "f(X)")
        row[f"mnno_fx_x_{metric}"] = mnno_from_neighbours(nn_fx, nn_x)
        row[f"mnno_fx_y_{metric}"] = mnno_from_neighbours(nn_fx, nn_y)
        row[f"mnno_x_y_{metric}"] = mnno_from_neighbours(nn_x, nn_y)
    return row


def epochs_to_evaluate(n_epochs: int, every: int) -> list[int]:
    """Every ``every``-th epoch, always with the first and the last."""
    return sorted({1, n_epochs, *range(every, n_epochs + 1, every)})


def evaluate_fold(
    paired: PairedSet,
    direction: str,
    fold: int,
    trained: Checkpoints,
    k: int,
    metrics: Sequence[str],
    precision_at: Sequence[int],
    every: int,
) -> pd.DataFrame:
    """One row per (epoch, subset) of a fold's mapping (``trained``, the fold's entry of
    :func:`crossmodal.models.mapping.read_checkpoints`): neighbour structure and quality."""
    x, y = paired.direction(direction)
    train, test = paired.split(fold)
    rows = []
    caches: dict[str, dict] = {"train": {}, "test": {}}
    epochs = epochs_to_evaluate(trained.epochs, every)
    for epoch in progress(epochs, total=len(epochs), desc=f"fold {fold} epochs"):
        model = trained.model(epoch)
        for subset, mask in (("train", train), ("test", test)):
            fx = predict(model, x[mask])
            row = {"fold": fold, "epoch": epoch, "subset": subset, "items": int(mask.sum())}
            row.update(neighbour_structure(x[mask], y[mask], fx, k, metrics, caches[subset]))
            row.update(quality(fx, y[mask], precision_at))
            rows.append(row)
    return pd.DataFrame(rows)


def evaluate_mapping(
    files: Mapping[str, str],
    setting: Mapping[str, str],
    settings: Mapping[str, Any],
) -> pd.DataFrame:
    """evaluate_fold() of every fold of one trained mapping, led by the ``setting`` columns
    (:data:`SETTING`) that name it in the tables. ``files`` names the paired data (``image``,
    ``text``, ``item_table``) and the mapping's ``checkpoints``; ``settings`` holds k,
    neighbours, precision_at and curve_every."""
    paired = PairedSet.read(files["image"], files["text"], files["item_table"])
    folds = read_checkpoints(files["checkpoints"])
    if len(folds) != paired.n_folds:
        raise InputError(
            f"{files['checkpoints']}: {len(folds)} trained folds, but {files['item_table']} "
            f"has {paired.n_folds}"
        )
    dataset = setting["dataset"]
    origin = (f"item table {files['item_table']}", f"the split of collell2018.datasets.{dataset}")
    check_subsets(dataset, (*smallest_subsets(paired.items["fold"].to_numpy()), *origin), settings)
    frames = [
        evaluate_fold(
            paired,
            setting["direction"],
            fold,
            trained,
            settings["k"],
            settings["neighbours"],
            settings["precision_at"],
            settings["curve_every"],
        )
        for fold, trained in enumerate(folds)
    ]
    table = pd.concat(frames, ignore_index=True).assign(dropped_items=paired.dropped_items)
    return table.assign(**setting)[[*setting, *table.columns]]


def final_test_scores(metrics: pd.DataFrame) -> pd.DataFrame:
    """Test rows after each mapping's last epoch (one per setting and fold)."""
    test = metrics[metrics["subset"] == "test"]
    last = test.groupby([*SETTING, "fold"])["epoch"].transform("max")
    return test[test["epoch"] == last]


def mean_and_std(scores: pd.DataFrame, columns: Sequence[str], by: Sequence[str]) -> pd.DataFrame:
    """Mean and standard deviation (``<col>_std``, sample std, empty for one fold) over folds."""
    grouped = scores.groupby(list(by), sort=False)
    table = grouped[list(columns)].mean()
    spread = grouped[list(columns)].std(ddof=1).add_suffix("_std")
    table = table.join(spread)
    table.insert(0, "folds", grouped.size())
    ordered = ["folds"] + [c for col in columns for c in (col, f"{col}_std")]
    return table[ordered].reset_index()


def table1(metrics: pd.DataFrame, mappings: Sequence[str], k: int) -> pd.DataFrame:
    """The paper's Table 1: test mNNO^K(f(X),X), mNNO^K(f(X),Y) (cosine neighbours) and the
    baseline mNNO^K(X,Y), with the mapping quality beside them, mean and std over folds."""
    scores = final_test_scores(metrics[metrics["mapping"].isin(mappings)])
    quality_columns = [c for c in scores.columns if c in ("mse", "cosine", "r2") or "p_at_" in c]
    columns = ["mnno_fx_x_cosine", "mnno_fx_y_cosine", "mnno_x_y_cosine", *quality_columns]
    table = mean_and_std(scores, columns, SETTING)
    table = table.rename(columns=lambda c: c.replace("_cosine", f"_k{k}") if "mnno" in c else c)
    table.insert(
        len(SETTING), "epochs", scores.groupby(list(SETTING), sort=False)["epoch"].max().values
    )
    return with_dropped_items(table, scores)


def with_dropped_items(table: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per setting) with a ``dropped_items`` column after ``epochs`` when
    some setting left items out for an all-zero row (``zero_rows: drop``): a decision that
    changes the numbers is shown beside them. Without one the table is unchanged."""
    if "dropped_items" not in scores.columns or not scores["dropped_items"].any():
        return table
    dropped = scores.groupby(list(SETTING), sort=False)["dropped_items"].max()
    return table.assign(dropped_items=dropped.values)[
        [*table.columns[: len(SETTING) + 1], "dropped_items", *table.columns[len(SETTING) + 1 :]]
    ]


def supplement_mappings(metrics: pd.DataFrame, configs: dict[str, dict]) -> pd.DataFrame:
    """Every mapping variant (losses, depths) with both neighbour metrics, for the supplement."""
    scores = final_test_scores(metrics)
    columns = [c for c in scores.columns if c.startswith("mnno_")] + [
        c for c in scores.columns if c in ("mse", "cosine", "r2") or "p_at_" in c
    ]
    table = mean_and_std(scores, columns, SETTING)
    spec = pd.DataFrame(
        [
            {
                "mapping": name,
                "model": c["model"],
                "hidden_layers": c["hidden_layers"] if c["model"] == "nn" else 0,
                "loss": c["loss"],
            }
            for name, c in configs.items()
        ]
    )
    return spec.merge(table, on="mapping", how="right")[
        [*SETTING, "model", "hidden_layers", "loss", *table.columns[len(SETTING) :]]
    ]


def epoch_curves(metrics: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over folds of mNNO(f(X),X) and mNNO(f(X),Y) (cosine) per epoch and subset."""
    columns = ["mnno_fx_x_cosine", "mnno_fx_y_cosine", "mse"]
    return mean_and_std(metrics, columns, [*SETTING, "subset", "epoch"])
