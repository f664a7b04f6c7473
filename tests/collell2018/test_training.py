"""One mapping's job end to end in the package: training on every fold (with selection and
resume files), evaluation led by the setting columns, the supplement tables, and reading
Experiment 2's embeddings from word tables or word-labelled feature files."""

import numpy as np
import pandas as pd
import pytest
import torch

from crossmodal.collell2018.evaluation import SETTING, evaluate_mapping
from crossmodal.collell2018.pairs import PairedSet, kfold_assignment
from crossmodal.collell2018.supplement import selection_table, supplement_tables
from crossmodal.collell2018.training import train_all_folds
from crossmodal.collell2018.untrained import read_embedding
from crossmodal.core.errors import InputError
from crossmodal.core.io import read_parquet, write_matrix, write_parquet
from crossmodal.models.mapping import MappingConfig, read_checkpoints

SETTINGS = {
    "mapping": {"model": "nn", "hidden": 8, "epochs": 3, "lr": 0.01},
    "grid": {"lr": [0.01, 0.001]},
    "inner_folds": 2,
    "runs": 5,  # K-fold: one run per fold whatever this says
}
EVALUATION = {
    "k": 4,
    "neighbours": ["cosine"],
    "precision_at": [1],
    "curve_every": 2,
    "include_self": False,
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Paired data with two folds and the mapping trained on them, once for this module."""
    root = tmp_path_factory.mktemp("trained")
    rng = np.random.default_rng(3)
    text = rng.standard_normal((40, 6)).astype(np.float32)
    image = np.tanh(text @ rng.standard_normal((6, 5))).astype(np.float32)
    items = pd.DataFrame({"item": [f"w{i}" for i in range(40)], "label": ""})
    items["fold"] = kfold_assignment(40, 2, 0)
    names = {"image": "image.npy", "text": "text.npy", "item_table": "items.parquet"}
    files = {key: str(root / name) for key, name in names.items()}
    paired = PairedSet(image, text, items)
    paired.write(files["image"], files["text"], files["item_table"])
    files.update(checkpoints=str(root / "ck.pt"), selection=str(root / "sel.parquet"))
    train_all_folds(
        paired, "t2i", SETTINGS, torch.device("cpu"), files["checkpoints"], files["selection"]
    )
    return root, files


def test_every_fold_is_trained_on_its_selected_config(trained):
    root, files = trained
    folds = read_checkpoints(files["checkpoints"])
    selection = read_parquet(files["selection"])
    assert len(folds) == 2 and all(len(f.states) == 3 for f in folds)
    assert [(f.fold, f.run) for f in folds] == [(0, 0), (1, 0)]
    assert sorted(selection["fold"].unique()) == [0, 1]
    for fold, trained in enumerate(folds):
        chosen = selection[(selection["fold"] == fold) & selection["chosen"]]
        assert len(chosen) == 1 and trained.config.lr == chosen["lr"].iloc[0]
        assert trained.config == MappingConfig(**{**SETTINGS["mapping"], "lr": trained.config.lr})
    assert not list(root.glob("*.resume"))  # resume files are gone once outputs exist


def test_evaluation_rows_carry_the_setting_and_fold_counts_must_match(trained, tmp_path):
    files = dict(trained[1])
    setting = {"dataset": "d", "visual": "v", "text": "t", "direction": "t2i", "mapping": "nn"}
    table, overlaps = evaluate_mapping(files, setting, EVALUATION)
    assert list(table.columns[:5]) == list(SETTING) and list(overlaps.columns[:5]) == list(SETTING)
    assert (table[list(setting)] == pd.Series(setting)).all().all()
    assert sorted(table["fold"].unique()) == [0, 1] and sorted(table["epoch"].unique()) == [1, 2, 3]
    items = read_parquet(files["item_table"]).assign(fold=0)
    files["item_table"] = str(tmp_path / "one_fold.parquet")
    write_parquet(items, files["item_table"])  # one fold, two trained
    with pytest.raises(InputError) as caught:
        evaluate_mapping(files, setting, EVALUATION)
    assert str(caught.value) == (
        f"{files['checkpoints']}: trained folds [0, 1], but {files['item_table']} has folds 0..0"
    )


def test_supplement_slices_and_selection_columns(trained, tmp_path):
    files = trained[1]
    rows, selections, settings, configs = [], [], [], {}
    for mapping, hidden_layers, loss in (("nn", 1, "mse"), ("nn3", 3, "mse"), ("cos", 1, "cosine")):
        setting = {
            "dataset": "d",
            "visual": "v",
            "text": "t",
            "direction": "t2i",
            "mapping": mapping,
        }
        path = tmp_path / f"{mapping}.metrics.parquet"
        write_parquet(evaluate_mapping(files, setting, EVALUATION)[0], path)
        rows.append(str(path))
        selections.append(files["selection"])
        settings.append(setting)
        configs[mapping] = {"model": "nn", "hidden_layers": hidden_layers, "loss": loss}
    tables = supplement_tables(rows, configs, selections, settings)
    assert list(tables) == ["mappings", "losses", "depths", "hyperparameters"]
    assert tables["mappings"]["mapping"].tolist() == ["nn", "nn3", "cos"]
    assert tables["losses"]["mapping"].tolist() == ["nn", "cos"]
    assert tables["depths"]["mapping"].tolist() == ["nn", "nn3"]
    hyper = tables["hyperparameters"]
    assert list(hyper.columns[:6]) == ["dataset", "visual", "text", "direction", "mapping", "fold"]
    assert hyper["mapping"].tolist() == ["nn"] * 4 + ["nn3"] * 4 + ["cos"] * 4
    assert (hyper["epsilon"] == "1e-08").all()  # not 0.0000 at the tables' four decimals
    with pytest.raises(ValueError):
        selection_table(selections, settings[:2])  # each file needs its setting


def test_experiment2_reads_word_tables_and_word_labelled_features(tmp_path):
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    write_matrix(
        matrix,
        pd.DataFrame({"word": ["a", "b", "c"]}),
        tmp_path / "v.npy",
        tmp_path / "v.words.parquet",
    )
    vectors = read_embedding(str(tmp_path / "v.npy"), str(tmp_path / "v.words.parquet"), None, None)
    assert vectors.table["word"].tolist() == ["a", "b", "c"]
    (tmp_path / "f.csv").write_text("dog,1,2\ncat,3,4\n")
    csv = read_embedding(str(tmp_path / "f.csv"), None, None, True)
    assert csv.table["word"].tolist() == ["dog", "cat"]
    assert csv.matrix.tolist() == [[1, 2], [3, 4]]
    write_parquet(pd.DataFrame({"label": ["x", "y", "z"]}), tmp_path / "ids.parquet")
    npy = read_embedding(str(tmp_path / "v.npy"), None, str(tmp_path / "ids.parquet"), None)
    assert npy.table["word"].tolist() == ["x", "y", "z"]
    with pytest.raises(InputError, match=r"v\.npy: Experiment 2 needs a word for each row"):
        read_embedding(str(tmp_path / "v.npy"), None, None, None)


@pytest.mark.bad_input
def test_evaluation_refuses_a_k_too_large_for_the_folds_before_evaluating(trained):
    """k may have changed since the pairing checked it: with 20 items per subset, k = 19 would
    make every neighbour list all the other items."""
    setting = {"dataset": "d", "visual": "v", "text": "t", "direction": "t2i", "mapping": "nn"}
    evaluate_mapping(trained[1], setting, {**EVALUATION, "k": 18})
    with pytest.raises(InputError, match=r"evaluation\.k: 19 .* test subset has 20 items \(item"):
        evaluate_mapping(trained[1], setting, {**EVALUATION, "k": 19})
