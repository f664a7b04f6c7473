"""Top-1 / top-5 agreement of the ImageNet classes that each pretrained network's classifier
gives its pooled features with the images' WordNet synsets (rule check_imagenet_agreement)."""

from typing import Any

from crossmodal.core.io import read_matrix, read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.data.wordnet import load_wordnet
from crossmodal.features.imagenet import classifier_agreement


def main(smk: Any) -> None:
    images = read_parquet(smk.input.images, ["image_id", "word", "synset"])
    features = {}
    files = zip(smk.params.archs.items(), smk.input.features, smk.input.feature_ids, strict=True)
    for (kind, arch), npy, ids in files:
        pooled, index = read_matrix(npy, ids, ["image_id"])
        features[kind] = (arch, pooled, index["image_id"].astype(str).tolist())
    summary, per_image = classifier_agreement(features, images, load_wordnet(smk.input.wordnet))
    write_parquet(summary, smk.output.summary)
    write_parquet(per_image, smk.output.images)


run_script(snakemake, main)
