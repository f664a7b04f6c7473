"""The pretrained CNN in the workflow, on real stamps (two folders): features with their sidecar,
the ImageNet agreement check and the visual-vocabulary report with its category neighbours."""

import json

import numpy as np
import pandas as pd
import pytest
from project_paths import linked_stamps
from snakemake_runner import demo_config, run_snakemake, write_config

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("pretrained")
    stamps = linked_stamps(root, ("animals/mammals", "food/fruit"))
    config = demo_config()
    config["datasets"]["tuxpaint"]["stamps_dir"] = str(stamps)
    config["corpora"]["demo"]["parts"] = ["lee_background"]
    config["vision"]["cnn"]["untrained"]["input_size"] = 64
    config["words"]["features"] = ["cnn_efficientnetlite0_pool", "cnn_untrained_pool"]
    config["text"]["sgns"].update(dim=16, epochs=1)
    targets = [
        "results/features/tuxpaint/imagenet_agreement.parquet",
        "results/words/tuxpaint/visual_vocabulary.parquet",
    ]
    run = run_snakemake(root, write_config(root, config), *targets, cores=2)
    assert run.returncode == 0, run.stderr[-4000:]
    return root


def test_pretrained_features_and_their_sidecar(small_run):
    features = small_run / "results/features/tuxpaint"
    pool = np.load(features / "cnn_efficientnetlite0_pool.npy")
    ids = pd.read_parquet(features / "cnn_efficientnetlite0_pool.ids.parquet")
    assert pool.shape == (len(ids), 1280)
    # The ImageNet check reads the pooled features: no second pass for the class scores.
    assert not (features / "cnn_efficientnetlite0_logits.npy").exists()
    meta = json.loads((features / "cnn_efficientnetlite0_pool.meta.json").read_text())
    assert meta["backend"] == "pretrained" and meta["weights"].startswith("ImageNet-1k")


def test_the_imagenet_check_finds_the_mammals_and_fruit(small_run):
    summary = pd.read_parquet(small_run / "results/features/tuxpaint/imagenet_agreement.parquet")
    row = summary.set_index("kind").loc["cnn_efficientnetlite0_pool"]
    assert row.images_checked >= 10
    # far above chance (0.1 % / 0.5 %): badger, camel, zebra, banana, lemon... are classes
    assert row.top_1 > 0.4 and row.top_5 > row.top_1


def test_the_pretrained_words_group_by_category_better_than_the_untrained(small_run):
    report = pd.read_parquet(small_run / "results/words/tuxpaint/visual_vocabulary.parquet")
    share = report.set_index("kind")["same_category_k5"]
    chance = report.set_index("kind")["chance_k5"]
    assert share["cnn_efficientnetlite0_pool"] > share["cnn_untrained_pool"]
    assert share["cnn_efficientnetlite0_pool"] > chance["cnn_efficientnetlite0_pool"] + 0.2
    words_dir = small_run / "results/words/tuxpaint"
    words = pd.read_parquet(words_dir / "cnn_efficientnetlite0_pool.words.parquet")
    assert "dispersion" in words.columns and words["dispersion"].notna().any()
