"""The bring-your-own example as a new user runs it: the command written in
config/collell2018_features.example.yaml, on small generated CSVs in Collell's released layout,
and the message a user gets who names the example file alone."""

import shlex

import numpy as np
import pandas as pd
import pytest
from project_paths import PROJECT
from snakemake_runner import output_text, run_snakemake

pytestmark = pytest.mark.workflow

EXAMPLE = PROJECT / "config/collell2018_features.example.yaml"


def documented_command() -> tuple[list[str], list[str]]:
    """Targets and config files of the snakemake command in the example file's comment."""
    lines = [line.lstrip("# ") for line in EXAMPLE.read_text().splitlines()]
    command = shlex.split(next(line for line in lines if line.startswith("snakemake ")))
    targets, configfiles, reading = [], [], None
    for word in command[1:]:
        if word.startswith("-"):
            reading = word
        elif reading == "--configfile":
            configfiles.append(word)
        elif reading == "--cores":
            reading = None  # its one value; then targets again
        else:
            targets.append(word)
    return targets, configfiles


def write_collell_csvs(root, train=40, test=15):
    """TR_/TS_ files of both modalities: a label column, then features (Collell's layout)."""
    rng = np.random.default_rng(0)
    text = rng.standard_normal((train + test, 5))
    image = np.tanh(
        text @ rng.standard_normal((5, 8)) + 0.3 * rng.standard_normal((train + test, 8))
    )
    labels = [f"c{i % 4}" for i in range(train + test)]
    (root / "data").mkdir()
    for prefix, rows in (("TR", slice(0, train)), ("TS", slice(train, train + test))):
        for name, matrix in (("vis_vgg128", image), ("lang_biGRU", text)):
            frame = pd.DataFrame(matrix[rows]).round(5)
            frame.insert(0, "label", labels[rows])
            frame.to_csv(root / f"data/{prefix}_{name}.csv", header=False, index=False)


def test_the_documented_command_runs_on_generated_csvs(tmp_path):
    targets, configfiles = documented_command()
    assert targets == ["results/tables/table1.csv"]
    assert configfiles == ["config/config.yaml", "config/collell2018_features.example.yaml"]
    write_collell_csvs(tmp_path)
    run = run_snakemake(
        tmp_path, [PROJECT / f for f in configfiles], *targets, cores=2, cwd=PROJECT
    )
    assert run.returncode == 0, output_text(run)[-3000:]
    table = pd.read_csv(tmp_path / "results/tables/table1.csv")
    assert set(table["dataset"]) == {"mydata"}  # `run` picks the example's dataset alone
    assert sorted(zip(table["direction"], table["mapping"], strict=True)) == [
        ("i2t", "lin"),
        ("i2t", "nn"),
        ("t2i", "lin"),
        ("t2i", "nn"),
    ]
    # a fixed split: the mean of 5 runs on the 15 test items, with the paper's test
    assert (table["folds"] == 1).all() and (table["runs"] == 5).all()
    assert (table["test_items"] == 15).all() and table["p_rank_sum"].between(0, 1).all()
    assert table["mnno_fx_x_k10_std"].notna().all()


def test_the_example_alone_says_to_name_the_demo_config_too(tmp_path):
    run = run_snakemake(tmp_path, EXAMPLE, "-n", "results/tables/table1.csv", cwd=PROJECT)
    assert run.returncode != 0
    assert "'datasets' is a required property" in output_text(run)
    assert "--configfile config/config.yaml yours.yaml" in output_text(run)
