"""The NUS-WIDE study's DAG: on the demo from the stamps to Table 2, on the full config from the
NUS-WIDE downloads (dry runs in a temporary working directory; the project's results/ are never
touched)."""

from pathlib import Path

import pytest
from project_paths import PROJECT
from snakemake_runner import DRY_RUN, planned_rules, run_snakemake

pytestmark = pytest.mark.workflow
STUDY_JOBS = {
    "prepare_nuswide_study": 1,
    "whiten_nuswide_sift": 1,
    "fit_nuswide_tag_vectors": 1,
    "fit_nuswide_lsa": 1,
    "train_nuswide_autoencoder": 3,
    "classify_nuswide_concepts": 8,
    "tabulate_nuswide_table2": 1,
    "plot_nuswide_auc": 1,
    "plot_nuswide_tags": 1,
}


def dry_run(workdir: Path, configfile: str) -> dict[str, int]:
    """Rule -> job count of a dry run of target run_nuswide."""
    return planned_rules(run_snakemake(workdir, PROJECT / configfile, "run_nuswide", *DRY_RUN))


def test_demo_dag_runs_the_study_on_the_stamps_offline(tmp_path):
    plan = dry_run(tmp_path, "config/config.yaml")
    assert {rule: plan.get(rule) for rule in STUDY_JOBS} == STUDY_JOBS
    assert {"build_tuxpaint_table", "fit_codebook", "encode_bovw"} <= set(plan)
    assert "download" not in plan and "build_nuswide_tables" not in plan


def test_full_dag_starts_from_the_nuswide_downloads(tmp_path):
    plan = dry_run(tmp_path, "config/full.yaml")
    assert {rule: plan.get(rule) for rule in STUDY_JOBS} == STUDY_JOBS
    assert plan["download"] == 4  # image list, tags, concept list, ground truth
    assert {"build_nuswide_tables", "fit_codebook", "encode_bovw"} <= set(plan)
