"""Evaluation subsets against k and P@K, and rows without neighbourhood structure (zero rows,
constant modalities): each refused with one line, or (zero_rows: drop) left out of every fold
without changing the folds of a set that has none."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from crossmodal.collell2018.degenerate import DROPPED, folds_of_kept, kept_items
from crossmodal.collell2018.pairs import TRAIN_ONLY, kfold_assignment, pair_features
from crossmodal.collell2018.subsets import (
    check_planned_subsets,
    check_subsets,
    smallest_subsets,
    split_origin,
)
from crossmodal.core.errors import InputError

EVALUATION = {"k": 5, "precision_at": [1, 5, 10]}


def test_smallest_subsets_leave_out_dropped_items():
    fold = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, DROPPED, DROPPED])
    assert smallest_subsets(fold) == (2, 5)  # fold 1 tests 2; fold 3's 4 test leave 5 to train
    assert smallest_subsets(np.array([TRAIN_ONLY] * 7 + [0] * 3)) == (3, 7)


@pytest.mark.bad_input
def test_a_small_training_subset_is_named_with_its_key():
    origin = split_origin("fx", {"test_fraction": 0.9}, 60)
    assert origin == ("test_fraction: 0.9 of 60 items", "collell2018.datasets.fx.test_fraction")
    check_subsets("fx", (54, 12, *origin), EVALUATION)  # P@10 over 12 is not trivial
    with pytest.raises(InputError) as caught:
        check_subsets("fx", (54, 6, *origin), EVALUATION)
    assert str(caught.value) == (
        "collell2018.evaluation.k: 5 makes mNNO trivially 1 on dataset fx, whose smallest "
        "training subset has 6 items (test_fraction: 0.9 of 60 items): k neighbours need at "
        "least k + 2 = 7 items; lower the key or change collell2018.datasets.fx.test_fraction"
    )
    check_subsets("fx", (7, 50, *origin), {"k": 5, "precision_at": []})  # k + 2 = 7 is enough


@pytest.mark.bad_input
def test_with_include_self_k_needs_one_item_less():
    """With include_self an item's list is itself and k - 1 others: trivial only at k = n."""
    origin = split_origin("fx", {"folds": 10}, 60)
    check_subsets("fx", (6, 54, *origin), {"k": 5, "precision_at": [], "include_self": True})
    with pytest.raises(InputError, match=r"need at least k \+ 1 \(include_self\) = 7 items"):
        check_subsets("fx", (6, 54, *origin), {"k": 6, "precision_at": [], "include_self": True})
    with pytest.raises(InputError, match=r"need at least k \+ 2 = 7 items"):
        check_subsets("fx", (6, 54, *origin), {"k": 5, "precision_at": [], "include_self": False})


def test_folds_of_kept_items_are_those_of_the_set_without_zero_rows():
    keep = np.ones(23, dtype=bool)
    assert (
        folds_of_kept(keep, lambda m: kfold_assignment(m, 5, 3)) == kfold_assignment(23, 5, 3)
    ).all()
    keep[[2, 9]] = False
    fold = folds_of_kept(keep, lambda m: kfold_assignment(m, 5, 3))
    assert (fold[[2, 9]] == DROPPED).all() and (fold[keep] == kfold_assignment(21, 5, 3)).all()


@pytest.mark.bad_input
def test_zero_rows_are_named_by_row_or_word():
    image = np.ones((30, 3))
    image[[1, 4, 5, 7, 9, 11, 13, 15, 17, 19]] = 0
    text = np.arange(60.0).reshape(30, 2)
    with pytest.raises(InputError) as caught:
        kept_items([(image, "v.csv"), (text, "t.csv")], None, "refuse", "datasets.fx.zero_rows")
    assert str(caught.value).startswith(
        "v.csv: rows 2, 5, 6, 8, 10, 12, 14, 16 and 2 more (10 of 30) are all zero"
    )
    words = [f"w{i}" for i in range(30)]
    with pytest.raises(InputError, match=r"the rows of 'w1', 'w4'.* set zero_rows: drop"):
        kept_items([(image, "v.npy"), (text, "t.npy")], words, "refuse", "zero_rows")


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("matrix", "expected"),
    [(np.zeros((5, 3)), "every row is zero"), (np.full((5, 3), 2.0), "all 5 rows are the same")],
)
def test_constant_modalities_are_refused_even_when_dropping(matrix, expected):
    with pytest.raises(InputError, match=f"x.csv: {expected}"):
        kept_items(
            [(np.ones((5, 2)) * np.arange(5)[:, None] + 1, "y"), (matrix, "x.csv")],
            None,
            "drop",
            "k",
        )


def test_dropped_zero_rows_are_logged_and_left_out_of_a_fixed_split(tmp_path, caplog):
    rng = np.random.default_rng(0)
    files = {}
    for part, n in (("train", 12), ("test", 8)):
        for modality, dim in (("image", 4), ("text", 3)):
            matrix = rng.standard_normal((n, dim))
            if (part, modality) == ("test", "text"):
                matrix[[0, 6]] = 0
            path = tmp_path / f"{part}_{modality}.csv"
            pd.DataFrame(matrix).to_csv(path, header=False, index=False)
            files[f"{modality}_{part}"] = str(path)
    with caplog.at_level(logging.WARNING):
        paired = pair_features(files, False, None, None, 0, zero_rows="drop")
    assert "left out 2 of 8 items" in caplog.text and "rows 1, 7" in caplog.text
    assert paired.dropped_items == 2 and paired.items["fold"].tolist()[12:] == [
        DROPPED,
        0,
        0,
        0,
        0,
        0,
        DROPPED,
        0,
    ]
    train, test = paired.split(0)
    assert train.sum() == 12 and test.sum() == 6 and not (train & test).any()


@pytest.mark.bad_input
def test_parse_time_check_counts_the_files_rows(tmp_path):
    """60 rows in 10 folds leave 6 test items, too few for k = 5; 6,000 rows are counted only
    as far as needed to know that they are enough."""
    for name, rows in (("small", 60), ("large", 6000)):
        pd.DataFrame(np.ones((rows, 2)) * np.arange(rows)[:, None]).to_csv(
            tmp_path / f"{name}.csv", header=False, index=False
        )
    entry = {
        "source": "features",
        "visual": {"v": {"file": str(tmp_path / "small.csv")}},
        "text": {"t": {"file": str(tmp_path / "large.csv")}},
        "folds": 10,
        "header": False,
    }
    section = {"run": [], "datasets": {"fx": entry}, "evaluation": EVALUATION}
    with pytest.raises(InputError, match=r"k: 5 .* test subset has 6 items \(folds: 10 on 60"):
        check_planned_subsets(section)
    entry["visual"] = {"v": {"file": str(tmp_path / "large.csv")}}
    check_planned_subsets(section)
    entry["visual"] = {"v": {"file": str(tmp_path / "missing.csv")}}  # the pairing job says
    check_planned_subsets(section)
