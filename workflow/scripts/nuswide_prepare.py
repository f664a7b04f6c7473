"""The NUS-WIDE study's items, concepts and tag matrix from an image table and its concept labels
(rule prepare_nuswide_study). Tags only: the visual features are not read here, so a change of a
SIFT setting never refits the tag-only models."""

from typing import Any

from crossmodal.core.io import read_parquet, write_matrix, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.nuswide.concepts import category_labels, table_labels
from crossmodal.nuswide.preparation import prepare_study


def main(smk: Any) -> None:
    settings = smk.params.settings
    images = read_parquet(smk.input.images, ["image_id", "split", "tags", "category"])
    if settings["concept_source"] == "labels":
        labels = table_labels(read_parquet(smk.input.labels), smk.input.labels)
    else:
        labels = category_labels(images)
    study = prepare_study(
        images,
        labels,
        settings["concepts"],
        settings["n_concepts"],
        {"train": settings["train_size"], "test": settings["test_size"]},
        settings["seed"],
        settings["min_tag_images"],
        settings["max_tags"],
    )
    write_parquet(study.concepts, smk.output.concepts)
    write_parquet(study.vocabulary, smk.output.vocabulary)
    write_matrix(study.tags, study.items[["image_id"]], smk.output.tags, smk.output.tag_ids)
    write_parquet(study.items, smk.output.item_table)


run_script(snakemake, main)
