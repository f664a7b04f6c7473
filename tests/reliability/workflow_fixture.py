"""A small Collell & Moens run on bring-your-own CSV features, the quickest real slice of the
workflow (pairing, torch training, mNNO evaluation, Table 1), for the reliability tests.

Everything lives in one working directory with paths relative to it, so a finished run can be
copied (``copy_run``) and then broken in one way per test. Snakemake itself is started by
tests/snakemake_runner.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
from snakemake_runner import demo_config, output_text

TABLE1 = "results/tables/table1.csv"
N_ITEMS = 60


def write_features(root: Path, n: int = N_ITEMS, seed: int = 0) -> None:
    """Two row-aligned CSV modalities in Collell's released layout (label, then features)."""
    rng = np.random.default_rng(seed)
    text = rng.standard_normal((n, 8))
    visual = np.tanh(text @ rng.standard_normal((8, 6)))
    labels = [f"item{i:03d}" for i in range(n)]
    (root / "data").mkdir(parents=True, exist_ok=True)
    for name, matrix in (("visual", visual), ("text", text)):
        frame = pd.DataFrame(matrix).round(6)
        frame.insert(0, "label", labels)
        frame.to_csv(root / f"data/{name}.csv", header=False, index=False)


def base_config() -> dict:
    """The demo config with one CSV dataset and small training settings."""
    config = demo_config()
    config["collell2018"].update(
        run=["fx"],
        datasets={
            "fx": {
                "source": "features",
                "visual": {"vis": {"file": "data/visual.csv"}},
                "text": {"txt": {"file": "data/text.csv"}},
                "label_column": True,
                "folds": 2,
                "seed": 0,
            }
        },
        table1_mappings=["lin", "nn"],
        supplement_mappings=[],
        training={**config["collell2018"]["training"], "epochs": 4, "hidden": 16},
        selection={"inner_folds": 2, "grid": {}},
    )
    config["collell2018"]["evaluation"]["k"] = 5
    return config


def quick_config() -> dict:
    """:func:`base_config` reduced to one direction and one mapping: the four jobs of a Table 1
    (pairing, training, evaluation, table), for the tests that need a finished run."""
    config = base_config()
    config["collell2018"].update(directions=["t2i"], table1_mappings=["lin"])
    return config


def refused_in_one_line(run: subprocess.CompletedProcess, *fragments: str) -> str:
    """The run failed without a traceback, and one line of its output holds every fragment
    (the one-line message naming the file, key or row); returns that line."""
    text = output_text(run)
    assert run.returncode != 0, text[-3000:]
    assert "Traceback (most recent call last)" not in text, text[-3000:]
    lines = [line for line in text.splitlines() if all(f in line for f in fragments)]
    assert lines, f"no line holds all of {fragments}:\n{text[-3000:]}"
    return lines[0]


def copy_run(source: Path, target: Path) -> Path:
    """A copy of a finished run (outputs, Snakemake's metadata, inputs) with timestamps kept."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
    return target
