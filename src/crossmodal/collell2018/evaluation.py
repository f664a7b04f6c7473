"""Collell & Moens (ACL 2018), Experiment 1: how much the neighbourhood structure of mapped
vectors f(X) resembles that of the inputs X and of the targets Y.

Per trained mapping (one per evaluation fold and run) and epoch, on the training and the test
items separately (neighbours are searched within each subset): mNNO^K(f(X), X), mNNO^K(f(X), Y)
and the baseline mNNO^K(X, Y), with cosine and Euclidean neighbours, plus the mapping's quality:
mean squared error, mean cosine of f(x_i) and y_i, R^2, and retrieval precision P@K (y_i among
the K targets nearest f(x_i)). Table 1 reports the test values after each mapping's selected
number of epochs, mean and standard deviation over folds (K-fold) or runs (a fixed split), with
the paper's significance test of mNNO(f(X), X) against mNNO(f(X), Y) on the per-item overlaps.
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
    Metric,
    expected_precision,
    match_ranks,
    mnno_from_neighbours,
    neighbour_lists,
    overlap_counts,
)
from crossmodal.metrics.stats import bonferroni, rank_sum_p, signed_rank_p
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
    x: np.ndarray,
    y: np.ndarray,
    fx: np.ndarray,
    k: int,
    metrics: Sequence[Metric],
    cache: dict,
    include_self: bool = False,
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """mNNO of f(X) with X and with Y, and of X with Y, per neighbour metric, and the per-item
    overlaps behind the first two (``overlap_fx_x_<metric>``, ``overlap_fx_y_<metric>``).
    ``cache`` keeps the neighbours of X and Y, which do not change across epochs;
    ``include_self`` counts each item as its own first neighbour, as Collell's released code
    does (:func:`crossmodal.metrics.neighbours.neighbour_lists`)."""
    row: dict[str, float] = {}
    overlaps: dict[str, np.ndarray] = {}
    for metric in metrics:
        if metric not in cache:
            cache[metric] = (
                neighbour_lists(x, k, metric, "X", include_self),
                neighbour_lists(y, k, metric, "Y", include_self),
            )
        nn_x, nn_y = cache[metric]
        nn_fx = neighbour_lists(fx, k, metric, "f(X)", include_self)
        for name, other in (("fx_x", nn_x), ("fx_y", nn_y)):
            overlaps[f"overlap_{name}_{metric}"] = overlap_counts(nn_fx, other)
            row[f"mnno_{name}_{metric}"] = float(overlaps[f"overlap_{name}_{metric}"].mean() / k)
        row[f"mnno_x_y_{metric}"] = mnno_from_neighbours(nn_x, nn_y)
    return row, overlaps


def epochs_to_evaluate(n_epochs: int, every: int) -> list[int]:
    """Every ``every``-th epoch, always with the first and the last."""
    return sorted({1, n_epochs, *range(every, n_epochs + 1, every)})


def evaluate_unit(
    paired: PairedSet, direction: str, trained: Checkpoints, settings: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (epoch, subset) of one trained mapping (``trained``, an entry of
    :func:`crossmodal.models.mapping.read_checkpoints` for its fold and run): neighbour
    structure and quality, at every ``curve_every``-th epoch and the selected one
    (``selected_epoch``); and the per-item overlaps of the test items at the selected epoch.
    ``settings``: k, neighbours, precision_at, curve_every, include_self."""
    x, y = paired.direction(direction)
    train, test = paired.split(trained.fold)
    unit = {"fold": trained.fold, "run": trained.run, "selected_epoch": trained.config.epochs}
    rows, overlaps = [], pd.DataFrame()
    caches: dict[str, dict] = {"train": {}, "test": {}}
    every = epochs_to_evaluate(trained.epochs, settings["curve_every"])
    epochs = sorted({*every, trained.config.epochs})
    for epoch in progress(epochs, total=len(epochs), desc=f"{trained.source} epochs"):
        model = trained.model(epoch)
        for subset, mask in (("train", train), ("test", test)):
            fx = predict(model, x[mask])
            structure, counts = neighbour_structure(
                x[mask],
                y[mask],
                fx,
                settings["k"],
                settings["neighbours"],
                caches[subset],
                settings["include_self"],
            )
            rows.append(
                {**unit, "epoch": epoch, "subset": subset, "items": int(mask.sum()), **structure}
            )
            rows[-1].update(quality(fx, y[mask], settings["precision_at"]))
            if subset == "test" and epoch == trained.config.epochs:
                items = paired.items["item"].to_numpy()[mask]
                overlaps = pd.DataFrame({**unit, "item": items, **counts})
    return pd.DataFrame(rows), overlaps


def evaluate_mapping(
    files: Mapping[str, str],
    setting: Mapping[str, str],
    settings: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """evaluate_unit() of every trained mapping of one setting (every fold and run): the metrics
    and the test items' overlaps, each led by the ``setting`` columns (:data:`SETTING`) that
    name it in the tables. ``files`` names the paired data (``image``, ``text``,
    ``item_table``) and the mapping's ``checkpoints``; ``settings`` as evaluate_unit()'s."""
    paired = PairedSet.read(files["image"], files["text"], files["item_table"])
    units = read_checkpoints(files["checkpoints"])
    trained_folds = sorted({unit.fold for unit in units})
    if trained_folds != list(range(paired.n_folds)):
        raise InputError(
            f"{files['checkpoints']}: trained folds {trained_folds}, but {files['item_table']} "
            f"has folds 0..{paired.n_folds - 1}"
        )
    dataset = setting["dataset"]
    origin = (f"item table {files['item_table']}", f"the split of collell2018.datasets.{dataset}")
    check_subsets(dataset, (*smallest_subsets(paired.items["fold"].to_numpy()), *origin), settings)
    results = [evaluate_unit(paired, setting["direction"], unit, settings) for unit in units]
    metrics = pd.concat([metric for metric, _ in results], ignore_index=True)
    metrics = metrics.assign(dropped_items=paired.dropped_items)
    overlaps = pd.concat([overlap for _, overlap in results], ignore_index=True)
    return (
        metrics.assign(**setting)[[*setting, *metrics.columns]],
        overlaps.assign(**setting)[[*setting, *overlaps.columns]],
    )


def final_test_scores(metrics: pd.DataFrame) -> pd.DataFrame:
    """Test rows after each mapping's selected number of epochs (one per setting, fold and
    run)."""
    test = metrics[metrics["subset"] == "test"]
    return test[test["epoch"] == test["selected_epoch"]]


def mean_and_std(scores: pd.DataFrame, columns: Sequence[str], by: Sequence[str]) -> pd.DataFrame:
    """Mean and standard deviation (``<col>_std``, sample std, empty for one value) over the
    trained mappings of each group: its folds (K-fold) or runs (a fixed split), counted in
    ``folds`` and ``runs`` (runs per fold)."""
    grouped = scores.groupby(list(by), sort=False)
    table = grouped[list(columns)].mean()
    spread = grouped[list(columns)].std(ddof=1).add_suffix("_std")
    table = table.join(spread)
    table.insert(0, "folds", grouped["fold"].nunique())
    table.insert(1, "runs", grouped["run"].nunique())
    ordered = ["folds", "runs"] + [c for col in columns for c in (col, f"{col}_std")]
    return table[ordered].reset_index()


def overlap_tests(overlaps: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per setting, the two-sided Wilcoxon rank-sum test of the test items' overlaps
    |NN(f(x_i)) ∩ NN(x_i)| against |NN(f(x_i)) ∩ NN(y_i)| (``metric`` neighbours), the paper's
    test of mNNO(f(X), X) against mNNO(f(X), Y), and the paired signed-rank test of the same
    values (they are two numbers of each item). An item's overlap is its mean over the runs
    that tested it, so that repeated runs of a fixed split do not count an item five times."""
    columns = [f"overlap_fx_x_{metric}", f"overlap_fx_y_{metric}"]
    per_item = overlaps.groupby([*SETTING, "item"], sort=False)[columns].mean()
    rows = []
    for setting, items in per_item.groupby(level=list(range(len(SETTING))), sort=False):
        a, b = items[columns[0]].to_numpy(), items[columns[1]].to_numpy()
        rows.append(
            {
                **dict(zip(SETTING, setting, strict=True)),
                "test_items": len(items),
                "p_rank_sum": rank_sum_p(a, b),
                "p_signed_rank": signed_rank_p(a, b),
            }
        )
    return pd.DataFrame(rows, columns=[*SETTING, "test_items", "p_rank_sum", "p_signed_rank"])


def table1(
    metrics: pd.DataFrame, overlaps: pd.DataFrame, mappings: Sequence[str], k: int, alpha: float
) -> pd.DataFrame:
    """The paper's Table 1: test mNNO^K(f(X),X), mNNO^K(f(X),Y) (cosine neighbours) and the
    baseline mNNO^K(X,Y), mean and std over folds or runs, after the selected number of epochs
    (``epochs``: its mean over them); the significance of mNNO(f(X),X) against mNNO(f(X),Y)
    (:func:`overlap_tests`, Bonferroni-adjusted over the table's rows, ``significant`` at
    ``alpha`` for the paper's rank-sum test); then the mapping quality."""
    scores = final_test_scores(metrics[metrics["mapping"].isin(mappings)])
    quality_columns = [c for c in scores.columns if c in ("mse", "cosine", "r2") or "p_at_" in c]
    mnno_columns = ["mnno_fx_x_cosine", "mnno_fx_y_cosine", "mnno_x_y_cosine"]
    table = mean_and_std(scores, [*mnno_columns, *quality_columns], SETTING)
    epochs = scores.groupby(list(SETTING), sort=False)["selected_epoch"].mean()
    table.insert(len(SETTING), "epochs", epochs.values)
    dropped = dropped_items(scores)
    for column, values in dropped.items():
        table.insert(len(SETTING) + 1, column, values)
    tests = overlap_tests(overlaps[overlaps["mapping"].isin(mappings)], "cosine")
    table = table.merge(tests, on=list(SETTING), how="left")
    table["p_rank_sum_bonferroni"] = bonferroni(table["p_rank_sum"].to_numpy())
    table["significant"] = table["p_rank_sum_bonferroni"] < alpha
    table["p_signed_rank_bonferroni"] = bonferroni(table["p_signed_rank"].to_numpy())
    front = [*SETTING, "epochs", *dropped, "folds", "runs"]
    mnno = [c for col in mnno_columns for c in (col, f"{col}_std")]
    significance = ["test_items", "p_rank_sum", "p_rank_sum_bonferroni", "significant"]
    significance += ["p_signed_rank", "p_signed_rank_bonferroni"]
    quality = [c for col in quality_columns for c in (col, f"{col}_std")]
    table = table[[*front, *mnno, *significance, *quality]]
    return table.rename(columns=lambda c: c.replace("_cosine", f"_k{k}") if "mnno" in c else c)


def dropped_items(scores: pd.DataFrame) -> dict[str, np.ndarray]:
    """``dropped_items`` per setting of ``scores`` (as Table 1 orders its rows) when some
    setting left items out for an all-zero row (``zero_rows: drop``): a decision that changes
    the numbers is shown beside them. Empty without one, and the table is unchanged."""
    if "dropped_items" not in scores.columns or not scores["dropped_items"].any():
        return {}
    dropped = scores.groupby(list(SETTING), sort=False)["dropped_items"].max()
    return {"dropped_items": dropped.to_numpy()}


def supplement_mappings(
    metrics: pd.DataFrame, configs: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
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
    """Mean and std over folds (and runs) of mNNO(f(X),X) and mNNO(f(X),Y) (cosine) per epoch
    and subset, at the epochs that every fold and run evaluated: with ``curve_every`` above 1, a
    fold's selected epoch off that grid belongs to Table 1, and a curve point averaged over the
    few folds that chose it would mix another mean into the curve."""
    columns = ["mnno_fx_x_cosine", "mnno_fx_y_cosine", "mse"]
    keys = [*SETTING, "subset"]
    unit = metrics["fold"].astype(str) + "/" + metrics["run"].astype(str)
    at_epoch = unit.groupby([metrics[c] for c in [*keys, "epoch"]]).transform("nunique")
    in_setting = unit.groupby([metrics[c] for c in keys]).transform("nunique")
    return mean_and_std(metrics[at_epoch == in_setting], columns, [*keys, "epoch"])
