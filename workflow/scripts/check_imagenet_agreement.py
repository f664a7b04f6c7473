"""Top-1 / top-5 agreement of each pretrained network's ImageNet class scores with the images'
WordNet synsets (rule check_imagenet_agreement)."""

from typing import Any

from crossmodal.core.io import read_matrix, read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.wordnet import load_wordnet
from crossmodal.features.imagenet import agreement_by_kind


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "word", "synset"])
    scores = {}
    for kind, npy, ids in zip(smk.params.kinds, smk.input.scores, smk.input.score_ids, strict=True):
        matrix, index = read_matrix(npy, ids, ["image_id"])
        scores[kind] = (matrix, index["image_id"].astype(str).tolist())
    summary, per_image = agreement_by_kind(scores, images, load_wordnet(smk.input.wordnet))
    write_parquet(summary, smk.output.summary)
    write_parquet(per_image, smk.output.images)


run_script(snakemake, main)
