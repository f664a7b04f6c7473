"""The PIXIE study's DAG (dry runs): the paper's models and tables are planned in both configs,
and a demo config that would let a retrieval test stamp into the visual words stops at parse
time, before any job runs."""

import pytest
import yaml
from project_paths import PROJECT
from snakemake_runner import (
    DRY_RUN,
    demo_config,
    output_text,
    planned_rules,
    run_snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow

# Every model of the paper's Tables 2-6, and the paper's values beside ours.
PAPER_RULES = {
    "train_pixie": 2,  # with all images and without the held-out words' (Table 3)
    "train_pixie_vsgns": 2,
    "train_pixie_sgns": 1,  # PIXIE's trainer without the visual part
    "train_pixie_sgns_gensim": 1,  # the extra row
    "train_pixie_ivsgns": 3,  # lin, nn; lin without the held-out images
    "train_pixie_retrieval": 5,  # SGNS, V-SGNS, IV-SGNS, PIXIE+, PIXIE(+)
    "tabulate_pixie_table4": 1,
    "tabulate_pixie_table5": 1,
    "tabulate_pixie_paper": 1,
}


def test_demo_plans_the_papers_models_with_visual_words_of_training_stamps(tmp_path):
    plan = planned_rules(
        run_snakemake(tmp_path, PROJECT / "config/config.yaml", "run_pixie", *DRY_RUN, cores=2)
    )
    assert {rule: plan.get(rule) for rule in PAPER_RULES} == PAPER_RULES
    # The visual words are the paper's construction (training stamps only, config splits).
    assert plan["average_pixie_senses"] == 1 and "average_word_features" not in plan


def test_full_config_plans_vgg19_features_on_flickr30k(tmp_path):
    plan = planned_rules(
        run_snakemake(tmp_path, PROJECT / "config/full.yaml", "run_pixie", *DRY_RUN, cores=2)
    )
    assert {rule: plan.get(rule) for rule in PAPER_RULES} == PAPER_RULES
    shards = yaml.safe_load((PROJECT / "config/full.yaml").read_text())["datasets"]["flickr30k"]
    # One VGG-19 job per shard of Flickr30K's image table, gathered into one feature matrix.
    assert plan["extract_cnn_opencv"] == shards["shards"] > 1 and plan["gather_cnn"] == 1
    assert plan["build_flickr30k_tables"] == 1


@pytest.mark.bad_input
def test_visual_words_with_test_stamps_stop_the_run(tmp_path):
    config = demo_config()
    config["pixie"]["visual"]["splits"] = ["train", "test"]
    run = run_snakemake(tmp_path, write_config(tmp_path, config), "run_pixie", *DRY_RUN)
    text = output_text(run)
    assert run.returncode != 0
    assert "config pixie.visual: the visual words would average test images" in text
    assert "Traceback" not in text
