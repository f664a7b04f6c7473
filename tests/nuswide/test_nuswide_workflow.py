"""The NUS-WIDE study's DAG: on the demo from the stamps to Table 2, on the full config from the
NUS-WIDE downloads (dry runs in a temporary working directory; the project's results/ are never
touched); and a small real run on two stamp folders: every model a concept reads was fitted
without the concept's tags, and a SIFT setting reruns only what reads SIFT."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from project_paths import PROJECT, linked_stamps
from snakemake_runner import (
    DRY_RUN,
    demo_config,
    output_text,
    planned_rules,
    run_snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow
# Full config (tag_removal: per_concept), ten concepts: one tag-vector and one LSA fit per concept
# (+ the all-tags tag vectors of the figure), three autoencoders per concept (+ the figure's
# Cross-Modal II on every tag).
PER_CONCEPT_JOBS = {
    "prepare_nuswide_study": 1,
    "whiten_nuswide_sift": 1,
    "fit_nuswide_tag_vectors": 11,
    "fit_nuswide_lsa": 10,
    "train_nuswide_autoencoder": 31,
    "classify_nuswide_concepts": 8,
    "tabulate_nuswide_table2": 1,
    "plot_nuswide_auc": 1,
    "plot_nuswide_tags": 1,
}
# Demo (tag_removal: all_concepts): one set of models without every concept's tags, shared.
ALL_CONCEPTS_JOBS = PER_CONCEPT_JOBS | {
    "fit_nuswide_tag_vectors": 2,
    "fit_nuswide_lsa": 1,
    "train_nuswide_autoencoder": 4,
}


def dry_run(workdir: Path, configfile: str) -> dict[str, int]:
    """Rule -> job count of a dry run of target run_nuswide."""
    return planned_rules(run_snakemake(workdir, PROJECT / configfile, "run_nuswide", *DRY_RUN))


def test_demo_dag_runs_the_study_on_the_stamps_offline(tmp_path):
    plan = dry_run(tmp_path, "config/config.yaml")
    assert {rule: plan.get(rule) for rule in ALL_CONCEPTS_JOBS} == ALL_CONCEPTS_JOBS
    assert {"build_tuxpaint_table", "fit_codebook", "encode_bovw"} <= set(plan)
    assert "download" not in plan and "build_nuswide_tables" not in plan


def test_full_dag_starts_from_the_nuswide_downloads(tmp_path):
    plan = dry_run(tmp_path, "config/full.yaml")
    assert {rule: plan.get(rule) for rule in PER_CONCEPT_JOBS} == PER_CONCEPT_JOBS
    assert plan["download"] == 4  # image list, tags, concept list, ground truth
    assert {"build_nuswide_tables", "fit_codebook", "encode_bovw"} <= set(plan)


@pytest.fixture(scope="module")
def tiny_study(tmp_path_factory):
    """The study on two stamp folders (two concepts, per-concept models as the paper fits them),
    every model small, run to its report."""
    root = tmp_path_factory.mktemp("tiny_nuswide")
    # Two concepts that name one of their own tags: "plant" (two training images of plants),
    # "town" (the town hall of town/houses), so the removed-tags check below bites.
    stamps = linked_stamps(root, ("plants", "town/houses"))
    config = demo_config()
    config["datasets"]["tuxpaint"]["stamps_dir"] = str(stamps)
    config["vision"]["codebook"].update(k=16, descriptors_per_image=50)
    study = config["nuswide"]
    study.update(codebook_k=16, n_concepts=2, sift_dim=8, tag_removal="per_concept")
    study["tags"].update(min_images=1)
    study["tag_vectors"].update(dim=3, epochs=1, iterations_per_epoch=3)
    study["lsa"].update(dim=2)
    study["autoencoder"].update(epochs=1, mu_grid=[10.0, 1.0])
    study["classification"].update(cs=[1.0], folds=2)
    study["tag_figure"].update(images=2, top=3)
    configfile = write_config(root, config)
    run = run_snakemake(root, configfile, "run_nuswide", cores=2, timeout=1500)
    assert run.returncode == 0, output_text(run)[-4000:]
    return root, config


def _slot_vocabulary(root: Path, slot: str, model: str) -> list[str]:
    table = root / f"results/nuswide/tuxpaint/{slot}/{model}.words.parquet"
    return pd.read_parquet(table)["word"].tolist()


def test_every_model_of_a_concept_was_fitted_without_its_tags(tiny_study):
    root, _ = tiny_study
    base = root / "results/nuswide/tuxpaint"
    concepts = pd.read_parquet(base / "concepts.parquet")
    vocabulary = pd.read_parquet(base / "tag_vocabulary.parquet")["tag"].tolist()
    removed = [str(text).split() for text in concepts["removed_tags"]]
    assert any(removed), "no concept names one of its tags: the check below would be vacuous"
    for k, tags in enumerate(removed):
        kept = [t for t in vocabulary if t not in tags]
        for model in ("tag_vectors", "lsa"):
            assert _slot_vocabulary(root, f"concept{k}", model) == kept
        for variant in ("joint", "crossmodal1", "crossmodal2"):
            checkpoint = torch.load(
                base / f"concept{k}/autoencoder/{variant}.pt", weights_only=True
            )
            assert checkpoint["removed_tags"] == tags
    assert _slot_vocabulary(root, "all_tags", "tag_vectors") == vocabulary
    table = pd.read_csv(root / "results/tables/nuswide_table2.csv")
    assert list(table["representation"][:3]) == ["tags", "sift", "tags_sift"]
    assert np.isfinite(table["mean_auc"]).all() and np.isfinite(table["paper_mean_auc"]).all()


def test_a_sift_setting_reruns_only_what_reads_sift(tiny_study):
    """The preparation, tag vectors and LSA read tags only; SIFT's step reaches the whitening,
    the autoencoders (their input holds the SIFT) and the classifications that read them."""
    root, config = tiny_study
    changed = yaml.safe_load(yaml.safe_dump(config))
    changed["vision"]["sift"]["step"] = 6
    configfile = write_config(root, changed, "changed.yaml")
    plan = planned_rules(run_snakemake(root, configfile, "run_nuswide", *DRY_RUN, cores=2))
    assert plan == {
        "fit_codebook": 1,
        "encode_bovw": 1,
        "gather_bovw": 1,
        "whiten_nuswide_sift": 1,
        "train_nuswide_autoencoder": 7,  # 2 concepts x 3 variants + the figure's
        "classify_nuswide_concepts": 5,  # sift, tags_sift, joint, crossmodal1, crossmodal2
        "tabulate_nuswide_table2": 1,
        "plot_nuswide_auc": 1,
        "plot_nuswide_tags": 1,
        "run_nuswide": 1,
    }
    listing = output_text(run_snakemake(root, configfile, "run_nuswide", "-n", cores=2))
    outputs = {
        path
        for line in listing.splitlines()
        if line.strip().startswith("output:")
        for path in line.strip().removeprefix("output:").strip().split(", ")
    }
    base = "results/nuswide/tuxpaint/auc"
    for untouched in ("tags", "tag_vectors", "lsa"):
        assert f"{base}/{untouched}.parquet" not in outputs
    assert f"{base}/sift.parquet" in outputs
