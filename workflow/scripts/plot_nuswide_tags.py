"""Nearest-tag reconstruction: the tags nearest to the mean tag vector a cross-modal network of
the all-tags slot reconstructs from sample test images, beside their real tags, as a table and a
figure (rule plot_nuswide_tags)."""

from typing import Any

from crossmodal.core.io import read_parquet
from crossmodal.core.logs import run_script
from crossmodal.core.provenance import write_table
from crossmodal.nuswide.autoencoder import read_autoencoder
from crossmodal.nuswide.figures import plot_predicted_tags
from crossmodal.nuswide.names import REPRESENTATIONS
from crossmodal.nuswide.reconstruction import predicted_tag_table, thumbnails
from crossmodal.nuswide.study import StudyData
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    settings = smk.params.settings
    data = StudyData.read_inputs(smk.input)
    images = read_parquet(smk.input.images, ["image_id", "path", "tags"])
    trained = read_autoencoder(smk.input.autoencoder)
    vectors = WordVectors.read(smk.input.tag_vectors, smk.input.tag_vector_words)
    table = predicted_tag_table(
        data, images, trained, vectors, settings["images"], settings["top"], settings["seed"]
    )
    write_table(table, smk.output.table, smk.config, smk.config["nuswide"]["seed"])
    label = REPRESENTATIONS[settings["variant"]][0]
    plot_predicted_tags(table, thumbnails(table["path"]), smk.output.png, smk.output.pdf, label)


run_script(snakemake, main)
