"""The workflow as a whole: the DAG from raw data to Table 1, and rerun scope on real stamps.

These run Snakemake in a temporary working directory (``-d``) with the project's Snakefile, so
the project's own results/ are never touched.
"""

import numpy as np
import pandas as pd
import pytest
import yaml
from project_paths import PROJECT, linked_stamps
from snakemake_runner import DRY_RUN, demo_config, planned_rules, run_snakemake, write_config

pytestmark = pytest.mark.workflow
FEATURE_AND_TEXT_RULES = [
    "prepare_wordnet",
    "build_tuxpaint_table",
    "build_corpus",
    "fit_codebook",
    "encode_bovw",
    "gather_bovw",
    "extract_cnn_torch",
    "train_sgns",
    "average_word_features",
]


def test_demo_dry_run_lists_the_chain_from_raw_data_to_table1(tmp_path):
    plan = planned_rules(run_snakemake(tmp_path, PROJECT / "config/config.yaml", *DRY_RUN, cores=2))
    chain = FEATURE_AND_TEXT_RULES + [
        "pair_collell2018_data",
        "train_collell2018_mapping",
        "evaluate_collell2018_mapping",
        "tabulate_collell2018_table1",
    ]
    assert set(chain) <= set(plan), set(chain) - set(plan)
    assert "download" not in plan  # the demo is offline


def test_full_dry_run_starts_from_downloads(tmp_path):
    result = run_snakemake(
        tmp_path,
        PROJECT / "config/full.yaml",
        "results/tables/table1.csv",
        "extract_features",
        "results/data/text8/corpus.txt",
        *DRY_RUN,
        cores=2,
    )
    plan = planned_rules(result)
    for rule in ("download", "build_nuswide_tables", "build_corpus", "extract_cnn_opencv"):
        assert rule in plan, f"{rule} missing from the full DAG: {sorted(plan)}"
    assert {"train_collell2018_mapping", "tabulate_collell2018_table1"} <= set(plan)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """Real stamps (two folders), a small corpus and codebook, run up to word vectors."""
    root = tmp_path_factory.mktemp("tiny")
    stamps = linked_stamps(root, ("animals/mammals", "food/fruit"))
    config = demo_config()
    config["datasets"]["tuxpaint"]["stamps_dir"] = str(stamps)
    config["corpora"]["demo"]["parts"] = ["lee_background"]
    config["vision"]["codebook"].update(k=16, descriptors_per_image=50)
    config["vision"]["cnn"]["untrained"]["input_size"] = 64
    config["words"]["features"] = ["cnn_untrained_pool", "bovw_k16"]
    config["text"]["sgns"].update(dim=16, epochs=1)
    configfile = write_config(root, config)
    targets = [
        "results/words/tuxpaint/cnn_untrained_pool.npy",
        "results/words/tuxpaint/bovw_k16.npy",
        "results/text/demo/sgns_d16.npy",
    ]
    run = run_snakemake(root, configfile, *targets, cores=2)
    assert run.returncode == 0, run.stderr[-4000:]
    return root, config, configfile, targets


def test_tiny_run_writes_the_data_contracts(tiny_run):
    root, _, _, _ = tiny_run
    images = pd.read_parquet(root / "results/data/tuxpaint/images.parquet")
    assert set(images["category"]) == {"animals", "food"}
    bovw = np.load(root / "results/features/tuxpaint/bovw_k16.npy")
    ids = pd.read_parquet(root / "results/features/tuxpaint/bovw_k16.ids.parquet")
    assert bovw.shape == (len(images), 16) and set(ids["image_id"]) == set(images["image_id"])
    np.testing.assert_allclose(bovw.sum(axis=1), 1.0, rtol=1e-5)
    words = pd.read_parquet(root / "results/words/tuxpaint/bovw_k16.words.parquet")
    assert words["word"].is_unique and set(words["word"]) <= set(images["word"].dropna())
    for rule in FEATURE_AND_TEXT_RULES:
        assert list((root / "logs" / rule).rglob("*.log")), f"no log for {rule}"
        assert list((root / "results/benchmarks" / rule).rglob("*.tsv")), f"no benchmark for {rule}"


def test_nothing_reruns_when_nothing_changed(tiny_run):
    root, _, configfile, targets = tiny_run
    assert planned_rules(run_snakemake(root, configfile, *targets, *DRY_RUN, cores=2)) == {}


def test_a_sift_parameter_reruns_only_bovw_and_what_depends_on_it(tiny_run):
    root, config, _, targets = tiny_run
    changed = yaml.safe_load(yaml.safe_dump(config))
    changed["vision"]["sift"]["step"] = 6
    configfile = write_config(root, changed, "changed.yaml")
    plan = planned_rules(run_snakemake(root, configfile, *targets, *DRY_RUN, cores=2))
    assert plan == {
        "fit_codebook": 1,
        "encode_bovw": 1,
        "gather_bovw": 1,
        "average_word_features": 1,
    }


def test_a_text_parameter_reruns_only_the_embedding(tiny_run):
    root, config, _, targets = tiny_run
    changed = yaml.safe_load(yaml.safe_dump(config))
    changed["text"]["sgns"]["window"] = 3
    configfile = write_config(root, changed, "changed_text.yaml")
    plan = planned_rules(run_snakemake(root, configfile, *targets, *DRY_RUN, cores=2))
    assert plan == {"train_sgns": 1}
