"""Bad input through the real workflow: each mistake ends the run with a non-zero status and a
one-line message naming the key, file or item and what was expected; no Python traceback is the
message, and the Table 1 computed before from good data is still there, byte for byte.

Config mistakes are caught before any job runs; data mistakes by the job that reads the data.
Package-level checks of the same kinds (empty corpus, malformed benchmark line, unknown synset,
an image that is not one, corrupt or interrupted downloads) are marked ``bad_input`` where they
live (tests/data/test_corpus.py, tests/data/test_wordsim.py, ...) and counted in the same summary.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from snakemake_runner import output_text, run_snakemake, write_config
from workflow_fixture import TABLE1, base_config, copy_run, write_features

pytestmark = [pytest.mark.workflow, pytest.mark.bad_input]


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    """A finished run on good data: the state every mistake below starts from."""
    root = tmp_path_factory.mktemp("good")
    write_features(root)
    configfile = write_config(root, base_config())
    run = run_snakemake(root, configfile, TABLE1)
    assert run.returncode == 0, output_text(run)[-4000:]
    return root


def refused(run, *expected: str) -> str:
    """The run failed with a message holding every expected fragment and no traceback."""
    text = output_text(run)
    assert run.returncode != 0, text[-3000:]
    assert "Traceback (most recent call last)" not in text, text[-3000:]
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in:\n{text[-3000:]}"
    return text


def break_config(good_run: Path, tmp_path: Path, change) -> tuple[Path, Path, bytes]:
    """A copy of the good run with a changed config; returns (root, configfile, table bytes)."""
    root = copy_run(good_run, tmp_path / "run")
    config = copy.deepcopy(base_config())
    change(config)
    return root, write_config(root, config, "broken.yaml"), (root / TABLE1).read_bytes()


def set_key(path: str, value):
    def change(config):
        *parents, last = path.split("/")
        node = config
        for key in parents:
            node = node[key]
        node[last] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("collell2018/evaluation/k", -3, ["collell2018.evaluation.k", "minimum"]),
        ("text/sgns/dim", 0, ["text.sgns.dim", "minimum"]),
        ("collell2018/training/lr", "fast", ["collell2018.training.lr", "number"]),
        ("vision/codebook/kk", 5, ["vision.codebook", "kk"]),
    ],
    ids=["negative-k", "dimension-0", "learning-rate-string", "unknown-key"],
)
def test_config_value_mistakes_name_the_key(good_run, tmp_path, path, value, expected):
    root, configfile, table = break_config(good_run, tmp_path, set_key(path, value))
    text = refused(run_snakemake(root, configfile, TABLE1), *expected)
    assert len([line for line in text.splitlines() if path.split("/")[-1] in line]) >= 1
    assert (root / TABLE1).read_bytes() == table


def test_missing_required_key_is_named(good_run, tmp_path):
    def change(config):
        del config["collell2018"]["datasets"]["fx"]["source"]

    root, configfile, table = break_config(good_run, tmp_path, change)
    refused(run_snakemake(root, configfile, TABLE1), "collell2018.datasets.fx", "source")
    assert (root / TABLE1).read_bytes() == table


def test_config_pointing_at_a_missing_file_names_it(good_run, tmp_path):
    change = set_key("collell2018/datasets/fx/visual", {"vis": {"file": "data/nowhere.csv"}})
    root, configfile, table = break_config(good_run, tmp_path, change)
    refused(run_snakemake(root, configfile, TABLE1), "data/nowhere.csv")
    assert (root / TABLE1).read_bytes() == table


def rerun_with_data(good_run: Path, tmp_path: Path, corrupt) -> tuple[Path, str, bytes]:
    """Copy the good run, break its data with ``corrupt(root)``, rerun; returns the output."""
    root = copy_run(good_run, tmp_path / "run")
    table = (root / TABLE1).read_bytes()
    corrupt(root)
    run = run_snakemake(root, root / "config.yaml", TABLE1)
    return root, output_text(run), table, run


def test_modalities_with_different_row_counts(good_run, tmp_path):
    def corrupt(root):
        lines = (root / "data/text.csv").read_text().splitlines()
        (root / "data/text.csv").write_text("\n".join(lines[:-3]) + "\n")

    root, _, table, run = rerun_with_data(good_run, tmp_path, corrupt)
    refused(run, "data/text.csv", "rows")
    assert (root / TABLE1).read_bytes() == table


def test_misaligned_labels_name_the_row(good_run, tmp_path):
    def corrupt(root):
        frame = pd.read_csv(root / "data/text.csv", header=None)
        frame.iloc[[4, 5]] = frame.iloc[[5, 4]].to_numpy()
        frame.to_csv(root / "data/text.csv", header=False, index=False)

    root, _, table, run = rerun_with_data(good_run, tmp_path, corrupt)
    refused(run, "item004")
    assert (root / TABLE1).read_bytes() == table


def test_non_finite_feature_value_is_refused(good_run, tmp_path):
    def corrupt(root):
        frame = pd.read_csv(root / "data/visual.csv", header=None)
        frame.iloc[7, 3] = np.nan
        frame.to_csv(root / "data/visual.csv", header=False, index=False)

    root, _, table, run = rerun_with_data(good_run, tmp_path, corrupt)
    refused(run, "data/visual.csv")
    assert (root / TABLE1).read_bytes() == table


def npy_run(good_run: Path, tmp_path: Path, corrupt) -> tuple[Path, bytes, object]:
    """The good run's visual features as NPY + Parquet ids, broken by ``corrupt``."""
    root = copy_run(good_run, tmp_path / "run")
    table = (root / TABLE1).read_bytes()
    frame = pd.read_csv(root / "data/visual.csv", header=None)
    np.save(root / "data/visual.npy", frame.iloc[:, 1:].to_numpy(np.float32))
    pd.DataFrame({"label": frame[0]}).to_parquet(root / "data/visual.ids.parquet")
    corrupt(root)
    config = base_config()
    config["collell2018"]["datasets"]["fx"]["visual"] = {
        "vis": {"file": "data/visual.npy", "ids": "data/visual.ids.parquet"}
    }
    return root, table, run_snakemake(root, write_config(root, config, "npy.yaml"), TABLE1)


def test_npy_with_wrong_length_for_its_index(good_run, tmp_path):
    def corrupt(root):
        matrix = np.load(root / "data/visual.npy")
        np.save(root / "data/visual.npy", matrix[:-1])

    root, table, run = npy_run(good_run, tmp_path, corrupt)
    refused(run, "data/visual")
    assert (root / TABLE1).read_bytes() == table


def test_truncated_npy_names_the_file(good_run, tmp_path):
    def corrupt(root):
        data = (root / "data/visual.npy").read_bytes()
        (root / "data/visual.npy").write_bytes(data[: len(data) // 2])

    root, table, run = npy_run(good_run, tmp_path, corrupt)
    refused(run, "data/visual.npy")
    assert (root / TABLE1).read_bytes() == table


def test_truncated_parquet_names_the_file(good_run, tmp_path):
    def corrupt(root):
        data = (root / "data/visual.ids.parquet").read_bytes()
        (root / "data/visual.ids.parquet").write_bytes(data[: len(data) // 2])

    root, table, run = npy_run(good_run, tmp_path, corrupt)
    refused(run, "data/visual.ids.parquet")
    assert (root / TABLE1).read_bytes() == table


def test_more_neighbours_than_items(good_run, tmp_path):
    root, configfile, table = break_config(
        good_run, tmp_path, set_key("collell2018/evaluation/k", 500)
    )
    refused(run_snakemake(root, configfile, TABLE1), "500")
    assert (root / TABLE1).read_bytes() == table
