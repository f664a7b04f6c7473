"""Collell & Moens reproduction: paired data (word join, Collell's released CSV layout, splits),
hyperparameter selection, per-epoch evaluation, Table 1 / Table 2 aggregation, and the workflow
rules on fixture files (rerun scope of a hyperparameter change included)."""

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from project_paths import PROJECT
from snakemake_runner import run_snakemake

from crossmodal.collell2018.evaluation import evaluate_unit, table1
from crossmodal.collell2018.pairs import (
    PairedSet,
    holdout_assignment,
    kfold_assignment,
    pair_features,
    pair_word_vectors,
)
from crossmodal.collell2018.selection import candidates, select
from crossmodal.collell2018.untrained import untrained_scores, untrained_tables
from crossmodal.core.errors import InputError
from crossmodal.core.io import write_matrix, write_parquet
from crossmodal.models.mapping import Checkpoints, MappingConfig, snapshot, train_mapping
from crossmodal.text.vectors import WordVectors


def word_vectors(words, dim, seed, source):
    rng = np.random.default_rng(seed)
    matrix = rng.standard_normal((len(words), dim)).astype(np.float32)
    return WordVectors(matrix, pd.DataFrame({"word": words}), source)


def test_kfold_assignment_is_balanced_and_seeded():
    fold = kfold_assignment(23, 5, seed=3)
    assert sorted(np.bincount(fold).tolist()) == [4, 4, 5, 5, 5]
    assert (fold == kfold_assignment(23, 5, seed=3)).all()
    assert not (fold == kfold_assignment(23, 5, seed=4)).all()
    with pytest.raises(InputError, match="folds"):
        kfold_assignment(3, 5, 0)


def test_word_pairing_joins_on_words_not_rows():
    visual = word_vectors(["cat", "dog", "car", "zebra"], 3, 0, "visual")
    text = word_vectors(["dog", "tree", "cat", "car"], 2, 1, "text")
    paired = pair_word_vectors(visual, text, folds=3, seed=0)
    assert paired.items["item"].tolist() == ["car", "cat", "dog"]  # sorted shared words
    for row, word in enumerate(paired.items["item"]):
        assert (paired.image[row] == visual.vector(word)).all()
        assert (paired.text[row] == text.vector(word)).all()
    shuffled = text.subset(["car", "tree", "dog", "cat"])
    again = pair_word_vectors(visual, shuffled, folds=3, seed=0)
    assert (again.text == paired.text).all() and again.items.equals(paired.items)
    with pytest.raises(InputError, match="share 3 words"):
        pair_word_vectors(visual, text, folds=5, seed=0)


def write_collell_csv(path, labels, matrix):
    """Collell's released layout: a label (here space-separated concept ids), then features."""
    lines = [
        ",".join([label, *(f"{v:g}" for v in row)])
        for label, row in zip(labels, matrix, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture
def collell_files(tmp_path):
    rng = np.random.default_rng(0)
    files = {}
    for split, n in (("TR", 30), ("TS", 12)):
        labels = [" ".join(map(str, sorted(rng.choice(290, 3, replace=False)))) for _ in range(n)]
        for modality, dim in (("vis_vgg128", 128), ("lang_biGRU", 64)):
            path = tmp_path / f"{split}_{modality}.csv"
            write_collell_csv(path, labels, rng.standard_normal((n, dim)))
            files[(split, modality)] = path
    return files


def test_collell_released_csvs_load_as_they_are(collell_files):
    files = {
        "image_train": collell_files[("TR", "vis_vgg128")],
        "image_test": collell_files[("TS", "vis_vgg128")],
        "text_train": collell_files[("TR", "lang_biGRU")],
        "text_test": collell_files[("TS", "lang_biGRU")],
    }
    paired = pair_features(files, label_column=True, folds=None, test_fraction=None, seed=0)
    assert paired.image.shape == (42, 128) and paired.text.shape == (42, 64)
    assert (paired.items["fold"] == -1).sum() == 30 and (paired.items["fold"] == 0).sum() == 12
    assert paired.n_folds == 1
    first = collell_files[("TR", "vis_vgg128")].read_text().splitlines()[0].split(",")
    assert paired.items["label"].iloc[0] == first[0]
    assert paired.image[0] == pytest.approx(np.array(first[1:], dtype=float), rel=1e-5)
    train, test = paired.split(0)
    assert train.sum() == 30 and test.sum() == 12


@pytest.mark.bad_input
def test_misaligned_files_and_bad_numbers_name_the_problem(collell_files, tmp_path):
    files = {
        "image": collell_files[("TR", "vis_vgg128")],
        "text": collell_files[("TS", "lang_biGRU")],
    }
    with pytest.raises(InputError, match="30 image rows but 12 text rows"):
        pair_features(files, True, folds=3, test_fraction=None, seed=0)
    text = tmp_path / "shifted.csv"
    lines = collell_files[("TR", "lang_biGRU")].read_text().splitlines()
    text.write_text("\n".join(lines[1:] + lines[:1]) + "\n")
    files["text"] = text
    with pytest.raises(InputError, match="row 1 is labelled"):
        pair_features(files, True, folds=3, test_fraction=None, seed=0)
    with pytest.raises(InputError, match="label_column"):
        pair_features(files, False, folds=3, test_fraction=None, seed=0)


def test_single_files_split_by_fraction_split_file_or_folds(tmp_path):
    rng = np.random.default_rng(1)
    image, text = rng.standard_normal((20, 5)), rng.standard_normal((20, 4))
    np.save(tmp_path / "image.npy", image)
    np.save(tmp_path / "text.npy", text)
    write_parquet(pd.DataFrame({"id": [f"i{j}" for j in range(20)]}), tmp_path / "ids.parquet")
    files = {
        "image": str(tmp_path / "image.npy"),
        "image_ids": str(tmp_path / "ids.parquet"),
        "text": str(tmp_path / "text.npy"),
    }
    held = pair_features(files, True, folds=None, test_fraction=0.25, seed=0)
    assert (held.items["fold"] == 0).sum() == 5 and held.items["label"].iloc[3] == "i3"
    cv = pair_features(files, True, folds=4, test_fraction=None, seed=0)
    assert cv.n_folds == 4 and (cv.image == image).all()
    split = tmp_path / "split.csv"
    split.write_text("split\n" + "\n".join(["train"] * 15 + ["test"] * 5) + "\n")
    fixed = pair_features({**files, "split_file": str(split)}, True, None, None, 0)
    assert fixed.items["fold"].tolist() == [-1] * 15 + [0] * 5
    assert (holdout_assignment(20, 0.25, 0) == held.items["fold"].to_numpy()).all()


def test_selection_grid_and_choice():
    lin = MappingConfig(model="lin")
    assert len(candidates(lin, {"lr": [0.1, 0.01], "hidden": [8, 16]})) == 2  # lin has no hidden
    assert len(candidates(MappingConfig(model="nn"), {"lr": [0.1, 0.01], "hidden": [8, 16]})) == 4
    with pytest.raises(InputError, match="momentum"):
        candidates(lin, {"momentum": [0.9]})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((120, 6)).astype(np.float32)
    y = x @ rng.standard_normal((6, 3)).astype(np.float32)
    config = MappingConfig(model="lin", epochs=15)
    chosen, table = select(x, y, config, {"lr": [1e-6, 0.01]}, 3, 0, torch.device("cpu"))
    assert chosen.lr == 0.01  # a learning rate of 1e-6 cannot fit in 15 epochs
    assert table["chosen"].sum() == 1 and table["inner_score_mean"].notna().all()
    single, table = select(x, y, config, {}, 3, 0, torch.device("cpu"))
    assert single == config and table["inner_score_mean"].isna().all()


@pytest.fixture
def trained_fold():
    rng = np.random.default_rng(2)
    text = rng.standard_normal((60, 8)).astype(np.float32)
    image = np.tanh(text @ rng.standard_normal((8, 6))).astype(np.float32)
    items = pd.DataFrame({"item": [f"w{i}" for i in range(60)], "label": "", "fold": 0})
    items["fold"] = kfold_assignment(60, 3, 0)
    paired = PairedSet(image, text, items)
    x, y = paired.direction("t2i")
    train, _ = paired.split(1)
    config = MappingConfig(model="nn", hidden=16, epochs=4, lr=0.01)
    states = []
    train_mapping(
        x[train], y[train], config, torch.device("cpu"), lambda _, m: states.append(snapshot(m))
    )
    return paired, Checkpoints(config, 8, 6, states, "fold 1", 1, 0)


def test_evaluate_unit_rows_and_ranges(trained_fold):
    paired, trained = trained_fold
    settings = {
        "k": 5,
        "neighbours": ["cosine", "euclidean"],
        "precision_at": [1, 5],
        "curve_every": 2,
        "include_self": False,
    }
    rows, overlaps = evaluate_unit(paired, "t2i", trained, settings)
    assert rows["epoch"].unique().tolist() == [1, 2, 4]  # every 2nd, plus first and last
    assert (
        rows.groupby("epoch")["subset"].apply(sorted)
        == pd.Series([["test", "train"]] * 3, index=[1, 2, 4])
    ).all()
    mnno = rows.filter(like="mnno_")
    assert ((mnno >= 0) & (mnno <= 1)).all().all()
    for _, part in rows.groupby("subset"):
        assert part["mnno_x_y_cosine"].nunique() == 1  # the X-Y baseline does not depend on f
    assert (rows["p_at_5"] >= rows["p_at_1"]).all()
    assert rows.loc[rows["subset"] == "test", "items"].iloc[0] == (paired.items["fold"] == 1).sum()
    assert (rows[["fold", "run", "selected_epoch"]] == [1, 0, 4]).all().all()
    # the test items' overlaps at the selected epoch give that epoch's test mNNO
    test_items = paired.items.loc[paired.items["fold"] == 1, "item"].tolist()
    assert overlaps["item"].tolist() == test_items
    final = rows[(rows["subset"] == "test") & (rows["epoch"] == 4)].iloc[0]
    for metric in ("cosine", "euclidean"):
        for name in ("fx_x", "fx_y"):
            mean = overlaps[f"overlap_{name}_{metric}"].mean() / 5
            assert mean == pytest.approx(final[f"mnno_{name}_{metric}"])


def test_table1_takes_the_selected_epoch_and_summarises_folds():
    rows = []
    for fold, value in enumerate([0.2, 0.4]):
        for epoch in (1, 3, 5):
            rows.append(
                {
                    "dataset": "d",
                    "visual": "v",
                    "text": "t",
                    "direction": "t2i",
                    "mapping": "lin",
                    "fold": fold,
                    "run": 0,
                    "selected_epoch": 3,
                    "epoch": epoch,
                    "subset": "test",
                    "mnno_fx_x_cosine": value * epoch,
                    "mnno_fx_y_cosine": 0.1,
                    "mnno_x_y_cosine": 0.05,
                    "mse": 1.0,
                    "cosine": 0.5,
                    "r2": 0.0,
                    "p_at_1": 0.1,
                }
            )
    metrics = pd.DataFrame(rows)
    setting = {"dataset": "d", "visual": "v", "text": "t", "direction": "t2i", "mapping": "lin"}
    overlaps = pd.DataFrame(
        {
            **setting,
            "fold": [0, 0, 0, 1, 1, 1],
            "run": 0,
            "item": [f"w{i}" for i in range(6)],
            "overlap_fx_x_cosine": [4, 5, 6, 7, 8, 9],
            "overlap_fx_y_cosine": [0, 1, 2, 3, 3, 3],
        }
    )
    table = table1(metrics, overlaps, ["lin"], k=10, alpha=0.001)
    assert len(table) == 1 and table["folds"].iloc[0] == 2 and table["epochs"].iloc[0] == 3
    assert table["runs"].iloc[0] == 1
    assert table["mnno_fx_x_k10"].iloc[0] == pytest.approx(0.9)
    assert table["mnno_fx_x_k10_std"].iloc[0] == pytest.approx(np.std([0.6, 1.2], ddof=1))
    # all six f(X)-X overlaps above all six f(X)-Y ones: rank sum 21 + 36 ... the f(X)-X sample
    # holds ranks 7..12, R = 57, E[R] = 39, Var[R] = 39, p = erfc(18 / sqrt(78)); one row: m = 1
    p = math.erfc(18 / math.sqrt(78))
    assert table["p_rank_sum"].iloc[0] == pytest.approx(p)
    assert table["p_rank_sum_bonferroni"].iloc[0] == pytest.approx(p)
    assert not table["significant"].iloc[0]  # p = 0.0042 is not below the paper's 0.001
    assert table["test_items"].iloc[0] == 6


def test_untrained_scores_and_table2():
    words = [f"w{i}" for i in range(40)]
    vectors = word_vectors(words, 10, 0, "text")
    rng = np.random.default_rng(0)
    a, b = rng.choice(words + ["oov"], 60), rng.choice(words, 60)
    pairs = pd.DataFrame({"word1": a, "word2": b, "score": rng.random(60)})
    scores = untrained_scores(
        vectors,
        {"bench": pairs},
        depths=[0, 1],
        seeds=3,
        network={"width": 32, "weight_range": 1.0},
        similarities=["cosine", "euclidean"],
    )
    assert len(scores) == 12 and (scores["pairs_total"] == 60).all()
    assert (scores["pairs_used"] == sum(w in words for w in a)).all()
    # one network per seed (f_lin keeps the cosine order of any x: its rho varies little)
    assert scores.groupby(["network", "similarity"])["rho_fx"].nunique().min() == 3
    assert scores.groupby("similarity")["rho_x"].nunique().tolist() == [1, 1]
    tables = untrained_tables(scores.assign(embedding="toy"), 0.05, 10, ["bench"])
    table = tables["table2"]
    assert len(table) == 4 and (table["networks"] == 3).all() and tables["supplement"].empty
    assert sorted(table["network"] + "/" + table["similarity"]) == [
        "lin/cosine",
        "lin/euclidean",
        "nn/cosine",
        "nn/euclidean",
    ]
    assert table["p_bonferroni"].tolist() == pytest.approx(
        np.minimum(table["p_rank_sum"] * 4, 1).tolist()
    )
    untested = untrained_tables(scores.assign(embedding="toy"), 0.05, 100, ["bench"])["table2"]
    assert untested["p_rank_sum"].isna().all() and not untested["significant"].any()


def make_workflow_fixture(root: Path) -> None:
    """Upstream outputs a Collell run reads: visual and text word vectors, two benchmarks."""
    rng = np.random.default_rng(0)
    words = [f"w{i:03d}" for i in range(150)]
    text = rng.standard_normal((150, 12)).astype(np.float32)
    write_matrix(
        text,
        pd.DataFrame({"word": words, "count": 5}),
        root / "results/text/demo/sgns_d100.npy",
        root / "results/text/demo/sgns_d100.vocab.parquet",
    )
    visual_words = words[:90] + ["v1", "v2"]
    visual = np.tanh(
        np.vstack([text[:90], rng.standard_normal((2, 12))]) @ rng.standard_normal((12, 9))
    )
    write_matrix(
        visual.astype(np.float32),
        pd.DataFrame(
            {"word": visual_words, "synset": "x.n.01", "n_images": 2, "backfilled": False}
        ),
        root / "results/words/tuxpaint/cnn_untrained_pool.npy",
        root / "results/words/tuxpaint/cnn_untrained_pool.words.parquet",
    )
    for name in ("ws353", "simlex999"):
        pairs = pd.DataFrame(
            {
                "word1": rng.choice(words, 40),
                "word2": rng.choice(words, 40),
                "score": rng.random(40),
            }
        )
        write_parquet(pairs, root / f"results/data/wordsim/{name}.parquet")


COLLELL_RULES = [
    "pair_collell2018_data",
    "train_collell2018_mapping",
    "evaluate_collell2018_mapping",
    "evaluate_collell2018_untrained",
    "plot_collell2018_epochs",
    "tabulate_collell2018_supplement",
    "tabulate_collell2018_table1",
    "tabulate_collell2018_table2",
    "tabulate_collell2018_paper",
    "run_collell2018",
]


def snakemake(workdir: Path, configfile: Path, *args: str) -> subprocess.CompletedProcess:
    """Snakemake restricted to the study's rules (the fixture files stand for the rest)."""
    return run_snakemake(workdir, configfile, *args, "--allowed-rules", *COLLELL_RULES, cores=2)


@pytest.mark.workflow
def test_workflow_on_fixture_files_and_rerun_scope(tmp_path):
    make_workflow_fixture(tmp_path)
    config = yaml.safe_load((PROJECT / "config/config.yaml").read_text())
    config["collell2018"].update(
        {
            "datasets": {
                "tuxpaint": {
                    "source": "words",
                    "visual": ["cnn_untrained_pool"],
                    "text": ["demo/sgns_d100"],
                    "folds": 2,
                    "seed": 0,
                }
            },
            "table1_mappings": ["lin"],
            "supplement_mappings": [],
            "training": {**config["collell2018"]["training"], "epochs": 3},
            "selection": {"inner_folds": 2, "grid": {"lr": [0.01, 0.001]}},
            "untrained": {"depths": [0, 1], "seeds": 2, "width": 32, "alpha": 0.05},
        }
    )
    configfile = tmp_path / "config.yaml"
    configfile.write_text(yaml.safe_dump(config))
    run = snakemake(tmp_path, configfile, "run_collell2018")
    assert run.returncode == 0, run.stderr[-3000:]
    table = pd.read_csv(tmp_path / "results/tables/table1.csv")
    assert sorted(table["direction"]) == ["i2t", "t2i"] and (table["folds"] == 2).all()
    assert table["mnno_fx_x_k10"].between(0, 1).all() and table["mnno_fx_y_k10"].between(0, 1).all()
    assert (tmp_path / "results/figures/collell2018_mnno_epochs.pdf").stat().st_size > 0
    table2_csv = pd.read_csv(tmp_path / "results/tables/collell2018_table2.csv")
    assert set(table2_csv["embedding"]) == {"tuxpaint-cnn_untrained_pool", "demo-sgns_d100"}
    # a mapping hyperparameter change reruns training, evaluation and tables only
    config["collell2018"]["training"]["lr"] = 0.005
    config["collell2018"]["selection"]["grid"] = {}
    configfile.write_text(yaml.safe_dump(config))
    plan = snakemake(tmp_path, configfile, "run_collell2018", "-n", "--quiet", "rules")
    assert plan.returncode == 0, plan.stderr[-3000:]
    planned = set(re.findall(r"^(\w+)\s+\d+$", plan.stdout + plan.stderr, re.MULTILINE))
    assert planned - {"total"} == {
        "train_collell2018_mapping",
        "evaluate_collell2018_mapping",
        "tabulate_collell2018_table1",
        "plot_collell2018_epochs",
        "tabulate_collell2018_supplement",
        "tabulate_collell2018_paper",
        "run_collell2018",
    }
