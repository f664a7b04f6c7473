"""Image-sentence retrieval with a GRU sentence encoder initialised with one model's word
vectors; R@K on the test split (rule train_pixie_retrieval)."""

import logging
from typing import Any

import pandas as pd
import torch

from crossmodal.core.device import pick_device
from crossmodal.core.io import read_matrix, read_parquet, write_parquet
from crossmodal.core.logs import run_script
from crossmodal.pixie.retrieval import (
    RetrievalConfig,
    captioned_split,
    encode_sentences,
    recall_at_k,
    train_retrieval,
)
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    settings = dict(smk.params.settings)
    splits, ks = settings.pop("splits"), settings.pop("recall_at")
    config = RetrievalConfig(**settings)
    vectors = WordVectors.read(smk.input.vectors, smk.input.vocab)
    features, ids = read_matrix(smk.input.features, smk.input.feature_ids, ["image_id"])
    images = read_parquet(smk.input.images, ["image_id", "split"])
    captions = (
        read_parquet(smk.input.captions, ["image_id", "tokens"])
        if "captions" in smk.input.keys()
        else None
    )
    train = captioned_split(features, ids, images, captions, splits["train"])
    test = captioned_split(features, ids, images, captions, splits["test"])
    logging.info(
        "train: %d images, %d captions; test: %d images, %d captions",
        len(train.features),
        len(train.sentences),
        len(test.features),
        len(test.sentences),
    )
    model, losses = train_retrieval(
        vectors, train.features, train.sentences, train.sentence_image, config, pick_device()
    )
    ids_test, lengths = encode_sentences(test.sentences, vectors)
    image_vectors, sentence_vectors = model.embed(test.features, ids_test, lengths)
    scores = recall_at_k(image_vectors, sentence_vectors, test.sentence_image, ks)
    row = {
        "model": smk.wildcards.model,
        **scores,
        "test_images": len(test.features),
        "test_captions": len(test.sentences),
        "final_loss": losses[-1],
    }
    write_parquet(pd.DataFrame([row]), smk.output.metrics)


run_script(snakemake, main)
