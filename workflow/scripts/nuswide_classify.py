"""Test AUC of one representation for every concept of the NUS-WIDE study: logistic regression
per concept, C by cross-validation on the training images, the concept's own tags removed
(rule classify_nuswide_concepts)."""

import logging
from typing import Any

import pandas as pd

from crossmodal.core.io import write_parquet
from crossmodal.core.logs import progress, run_script
from crossmodal.nuswide.autoencoder import read_autoencoder
from crossmodal.nuswide.classification import classify_concept
from crossmodal.nuswide.study import StudyData, features
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    representation = smk.wildcards.representation
    settings = smk.params.settings
    data = StudyData.read_inputs(smk.input)
    models: dict[str, Any] = {}
    if representation in ("tag_vectors", "lsa"):
        models[representation] = WordVectors.read(smk.input.vectors, smk.input.vector_words)
    if hasattr(smk.input, "autoencoder"):
        models["autoencoder"] = read_autoencoder(smk.input.autoencoder)
    train = data.train
    rows = []
    concepts = data.concepts["concept"].tolist()
    for concept in progress(concepts, len(concepts), representation):
        x = features(representation, data, concept, **models)
        y = data.items[concept].to_numpy(dtype=bool)
        score = classify_concept(
            x[train],
            y[train],
            x[~train],
            y[~train],
            settings["cs"],
            settings["folds"],
            settings["seed"],
            settings["max_iter"],
            smk.threads,
        )
        logging.info("%s / %s: AUC %.4f (C=%g)", representation, concept, score.auc, score.c)
        rows.append(
            {
                "representation": representation,
                "concept": concept,
                "auc": score.auc,
                "c": score.c,
                "n_features": x.shape[1],
                "train_positives": int(y[train].sum()),
                "test_positives": int(y[~train].sum()),
            }
        )
    write_parquet(pd.DataFrame(rows), smk.output.scores)


run_script(snakemake, main)
