"""Inputs and settings that used to give the worst outcome: exit 0 and a plausible Table 1
computed from garbage (issue 19). Each now ends, through the real workflow, in a non-zero exit
with one line naming the file, key or row, and no table; or, where a setting asks for it, in a
decision that is logged and counted in the table.

The runs start from nothing (no earlier table to protect) and target Table 1, so that a case
that slipped through would show by finishing it. The same cases in the package, where the
workflow cannot reach them cheaply, are in test_silent_package_cases.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from snakemake_runner import output_text, run_snakemake, write_config
from workflow_fixture import (
    N_ITEMS,
    TABLE1,
    base_config,
    quick_config,
    refused_in_one_line,
    write_features,
)

pytestmark = [pytest.mark.workflow, pytest.mark.bad_input]
PAIR = "results/collell2018/fx/vis__txt"


def dataset(config: dict) -> dict:
    return config["collell2018"]["datasets"]["fx"]


def start(tmp_path: Path, config: dict, corrupt=None) -> tuple[Path, Path]:
    """A working directory with the good CSV features, broken by ``corrupt(root)``."""
    write_features(tmp_path)
    if corrupt is not None:
        corrupt(tmp_path)
    return tmp_path, write_config(tmp_path, config)


def refused_without_a_table(tmp_path: Path, config: dict, corrupt, *fragments: str) -> str:
    root, configfile = start(tmp_path, config, corrupt)
    line = refused_in_one_line(run_snakemake(root, configfile, TABLE1), *fragments)
    assert not (root / TABLE1).exists()
    return line


def read_csv(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / f"data/{name}.csv", header=None)


def write_csv(root: Path, name: str, frame: pd.DataFrame, **options) -> None:
    frame.to_csv(root / f"data/{name}.csv", index=False, **{"header": False, **options})


# ---- k and P@K too large for the smallest subset: every column 1.0000 +- 0 ----


@pytest.mark.parametrize(
    ("folds", "evaluation", "fragments"),
    [
        (10, {"k": 5}, ["collell2018.evaluation.k: 5", "6 items", "collell2018.datasets.fx.folds"]),
        (
            6,
            {"k": 5, "precision_at": [1, 5, 10]},
            ["collell2018.evaluation.precision_at", "P@10", "10 items", "datasets.fx.folds"],
        ),
    ],
    ids=["k-is-test-subset-minus-1", "precision-at-test-subset"],
)
def test_measures_trivially_1_are_refused_when_the_workflow_is_parsed(
    tmp_path, folds, evaluation, fragments
):
    config = base_config()
    dataset(config)["folds"] = folds
    config["collell2018"]["evaluation"].update(evaluation)
    root, configfile = start(tmp_path, config)
    # a dry run refuses it: nothing is trained before the mistake is found
    refused_in_one_line(run_snakemake(root, configfile, TABLE1, "-n"), *fragments)
    refused_in_one_line(run_snakemake(root, configfile, TABLE1), *fragments)
    assert not (root / "results").exists()


# ---- ties in the query's favour: a constant modality scored P@K = 1 ----


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, "every row is zero"), (0.5, "all 60 rows are the same vector")],
    ids=["all-zero", "all-identical"],
)
def test_a_constant_modality_is_refused(tmp_path, value, expected):
    def corrupt(root):
        frame = read_csv(root, "visual")
        frame.iloc[:, 1:] = value
        write_csv(root, "visual", frame)

    refused_without_a_table(tmp_path, base_config(), corrupt, "data/visual.csv", expected)


ZERO_ROWS = [3, 17, 40]  # 0-based: rows 4, 18 and 41 of the file


def zero_some_rows(root: Path) -> None:
    frame = read_csv(root, "visual")
    frame.iloc[ZERO_ROWS, 1:] = 0.0
    write_csv(root, "visual", frame)


def test_zero_rows_among_others_are_refused_with_their_row_numbers(tmp_path):
    refused_without_a_table(
        tmp_path,
        base_config(),
        zero_some_rows,
        "data/visual.csv",
        "rows 4, 18, 41 (3 of 60)",
        "collell2018.datasets.fx.zero_rows: drop",
    )


def test_dropped_zero_rows_are_logged_and_counted_in_table_1(tmp_path):
    config = quick_config()
    dataset(config)["zero_rows"] = "drop"
    root, configfile = start(tmp_path, config, zero_some_rows)
    run = run_snakemake(root, configfile, TABLE1)
    assert run.returncode == 0, output_text(run)[-3000:]
    table = pd.read_csv(root / TABLE1)
    assert table["dropped_items"].tolist() == [3]
    assert list(table.columns[:7]) == [
        *("dataset", "visual", "text", "direction", "mapping", "epochs"),
        "dropped_items",
    ]
    log = (root / "logs/pair_collell2018_data/fx/vis__txt.log").read_text()
    assert "left out 3 of 60 items" in log and "rows 4, 18, 41" in log
    items = pd.read_parquet(root / f"{PAIR}/items.parquet")
    assert (items["fold"].to_numpy()[ZERO_ROWS] == -2).all()
    assert (items["fold"] >= 0).sum() == N_ITEMS - 3


# ---- a header row read as an item ----


def add_pandas_header(root: Path) -> None:
    frame = read_csv(root, "visual")
    frame.columns = ["label", *range(frame.shape[1] - 1)]
    write_csv(root, "visual", frame, header=True)


def test_a_header_row_is_refused_naming_the_setting(tmp_path):
    refused_without_a_table(
        tmp_path, base_config(), add_pandas_header, "data/visual.csv", "line 1", "header: true"
    )


def test_a_declared_header_is_skipped(tmp_path):
    config = base_config()
    dataset(config)["header"] = True

    def headers(root):
        add_pandas_header(root)
        frame = read_csv(root, "text")
        write_csv(root, "text", frame, header=True)

    root, configfile = start(tmp_path, config, headers)
    run = run_snakemake(root, configfile, f"{PAIR}/items.parquet")
    assert run.returncode == 0, output_text(run)[-3000:]
    assert np.load(root / f"{PAIR}/image.npy").shape == (N_ITEMS, 6)
    items = pd.read_parquet(root / f"{PAIR}/items.parquet")
    assert items["label"].iloc[0] == "item000"


# ---- label_column: true on an unlabelled file eats a feature ----


def test_a_numeric_label_column_is_refused_naming_label_column_false(tmp_path):
    """The visual file has no labels; the text comes as NPY without ids, so no label check
    between the two files would notice that the image lost a dimension."""

    def corrupt(root):
        write_csv(root, "visual", read_csv(root, "visual").iloc[:, 1:])
        np.save(root / "data/text.npy", read_csv(root, "text").iloc[:, 1:].to_numpy())

    config = base_config()
    dataset(config)["text"] = {"txt": {"file": "data/text.npy"}}
    refused_without_a_table(tmp_path, config, corrupt, "data/visual.csv", "label_column: false")


def test_two_unlabelled_files_are_not_blamed_on_row_alignment(tmp_path):
    def corrupt(root):
        for name in ("visual", "text"):
            write_csv(root, name, read_csv(root, name).iloc[:, 1:])

    line = refused_without_a_table(
        tmp_path, base_config(), corrupt, "data/visual.csv", "label_column: false"
    )
    assert "row-aligned" not in line


# ---- NPY of non-real numbers cast silently ----


def test_a_complex_npy_is_refused_naming_its_dtype(tmp_path):
    def corrupt(root):
        frame = read_csv(root, "visual")
        np.save(root / "data/visual.npy", frame.iloc[:, 1:].to_numpy() * (1 + 1j))
        pd.DataFrame({"label": frame[0]}).to_parquet(root / "data/visual.ids.parquet")

    config = base_config()
    dataset(config)["visual"] = {
        "vis": {"file": "data/visual.npy", "ids": "data/visual.ids.parquet"}
    }
    refused_without_a_table(tmp_path, config, corrupt, "data/visual.npy", "complex128")


# ---- a config overlay cannot remove a key ----


def overlay_run(tmp_path: Path, overlay: dict, *args: str):
    """The quick config with a selection grid, and ``overlay`` layered over it."""
    config = quick_config()
    config["collell2018"]["selection"]["grid"] = {"lr": [0.01, 0.001]}
    root, base = start(tmp_path, config)
    layered = write_config(root, overlay, "overlay.yaml")
    return root, run_snakemake(root, None, *args, "--configfile", str(base), str(layered))


def test_an_emptied_grid_in_an_overlay_is_refused_naming_the_switch(tmp_path):
    overlay = {"collell2018": {"selection": {"grid": {}}}}
    root, run = overlay_run(tmp_path, overlay, TABLE1)
    refused_in_one_line(
        run, "overlay.yaml", "collell2018.selection.grid", "collell2018.selection.enabled: false"
    )
    assert not (root / "results").exists()


def test_the_selection_switch_works_in_an_overlay(tmp_path):
    overlay = {"collell2018": {"selection": {"enabled": False}}}
    selection = f"{PAIR}/t2i/lin/selection.parquet"
    root, run = overlay_run(tmp_path, overlay, selection)
    assert run.returncode == 0, output_text(run)[-3000:]
    chosen = pd.read_parquet(root / selection)
    # one candidate per fold, the training defaults, nothing scored: no selection ran
    assert len(chosen) == 2 and chosen["lr"].tolist() == [0.001, 0.001]
    assert chosen["chosen"].all() and chosen["inner_score_mean"].isna().all()
