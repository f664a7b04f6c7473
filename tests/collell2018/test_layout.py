"""The Collell file layout built from config: pairs and their input files, settings in config
order, Experiment 2's embeddings, and a target path joining embeddings of two datasets."""

import copy
from pathlib import Path

import pytest
import yaml

from crossmodal.collell2018 import layout
from crossmodal.core.config import validate_config
from crossmodal.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CONFIG = validate_config(
    yaml.safe_load((ROOT / "config/config.yaml").read_text()),
    ROOT / "workflow/schemas/config.schema.yaml",
)


def section(**datasets):
    """The demo's collell2018 section with extra datasets (schema defaults as validated)."""
    config = copy.deepcopy(CONFIG)
    for name, entry in datasets.items():
        entry = {
            "label_column": True,
            "header": False,
            "zero_rows": "refuse",
            "word_labels": False,
            "seed": 0,
            **entry,
        }
        config["collell2018"]["datasets"][name] = entry
    return config["collell2018"]


FX = {
    "source": "features",
    "visual": {"vgg": {"file": "v.csv"}, "res": {"file": "r.npy", "ids": "r.ids.parquet"}},
    "text": {"glove": {"train": "tr.csv", "test": "ts.csv"}},
    "split_file": "split.txt",
    "word_labels": True,
    "label_column": False,
}


def test_words_pairs_name_text_vectors_by_corpus_and_model():
    pairs = layout.dataset_pairs(CONFIG["collell2018"], "tuxpaint")
    assert list(pairs) == [
        ("cnn_efficientnetlite0_pool", "demo-sgns_d100"),
        ("cnn_untrained_pool", "demo-sgns_d100"),
        ("bovw_k256", "demo-sgns_d100"),
    ]
    assert pairs["bovw_k256", "demo-sgns_d100"] == {
        "visual": "results/words/tuxpaint/bovw_k256.npy",
        "visual_words": "results/words/tuxpaint/bovw_k256.words.parquet",
        "text": "results/text/demo/sgns_d100.npy",
        "text_vocab": "results/text/demo/sgns_d100.vocab.parquet",
    }


def test_feature_pairs_name_their_files_by_role():
    pairs = layout.dataset_pairs(section(fx=FX), "fx")
    assert list(pairs) == [("vgg", "glove"), ("res", "glove")]
    assert pairs["res", "glove"] == {
        "image": "r.npy",
        "image_ids": "r.ids.parquet",
        "text_train": "tr.csv",
        "text_test": "ts.csv",
        "split_file": "split.txt",
    }


def test_a_pair_of_two_datasets_is_refused_with_the_pairs_there_are():
    pairs = layout.pairs(section(fx=FX))
    assert layout.pair_files(pairs, "fx", "vgg", "glove")["image"] == "v.csv"
    with pytest.raises(InputError) as caught:
        layout.pair_files(pairs, "fx", "bovw_k256", "glove")
    assert str(caught.value) == (
        "bovw_k256__glove is not an embedding pair of collell2018.datasets.fx "
        "(configured: vgg__glove, res__glove)"
    )
    with pytest.raises(InputError, match="datasets.nowhere .configured: none"):
        layout.pair_files(pairs, "nowhere", "vgg", "glove")


def test_settings_follow_config_order_without_repeats():
    config = section(fx=FX)
    config["run"] = ["fx", "tuxpaint"]
    settings = layout.analysed_settings(config, ["nn", "lin", "nn"])
    assert len(settings) == (2 + 3) * 2 * 2  # fx: vgg, res; tuxpaint: three visual kinds
    assert settings[:3] == [
        {"dataset": "fx", "visual": "vgg", "text": "glove", "direction": "t2i", "mapping": m}
        for m in ("nn", "lin")
    ] + [{"dataset": "fx", "visual": "vgg", "text": "glove", "direction": "i2t", "mapping": "nn"}]
    assert settings[-1]["dataset"] == "tuxpaint"
    assert layout.setting_file(settings[0], "metrics.parquet") == (
        "results/collell2018/fx/vgg__glove/t2i/nn/metrics.parquet"
    )


def test_untrained_embeddings_of_words_and_word_labelled_features():
    config = section(fx=FX)
    embeddings = layout.untrained_embeddings(config)
    assert list(embeddings) == [
        "tuxpaint-cnn_efficientnetlite0_pool",
        "tuxpaint-cnn_untrained_pool",
        "tuxpaint-bovw_k256",
        "demo-sgns_d100",
        "fx-vgg",
        "fx-res",
    ]  # glove is split into train/test files: no single file of word vectors
    assert embeddings["demo-sgns_d100"] == {
        "inputs": {
            "vectors": "results/text/demo/sgns_d100.npy",
            "words": "results/text/demo/sgns_d100.vocab.parquet",
        },
        "label_column": None,
        "header": None,
    }
    assert embeddings["fx-res"] == {
        "inputs": {"vectors": "r.npy", "ids": "r.ids.parquet"},
        "label_column": False,
        "header": False,
    }
    config["run"] = ["tuxpaint"]
    assert "fx-vgg" not in layout.untrained_embeddings(config)


def test_mappings_specs_and_summarised_datasets():
    config = section(fx=FX)
    assert layout.mapping_names(config) == ["lin", "nn"]
    full = layout.mapping_configs(config, ["nn3"])["nn3"]
    assert full == {**config["training"], "model": "nn", "hidden_layers": 3}
    assert layout.pair_specs(config)["fx"] == {
        "dataset": "fx",
        "source": "features",
        "folds": None,
        "test_fraction": None,
        "label_column": False,
        "header": False,
        "zero_rows": "refuse",
        "seed": 0,
    }
    assert layout.tuxpaint_word_datasets(config, CONFIG["datasets"]) == ["tuxpaint"]
