"""Test AUC of one representation for every concept of the NUS-WIDE study: logistic regression
per concept, C by cross-validation on the training images, each concept with the models of its
slot, fitted without its tags (rule classify_nuswide_concepts)."""

from typing import Any

from crossmodal.core.io import write_parquet
from crossmodal.core.logs import run_script
from crossmodal.nuswide.classification import concept_aucs, read_slot_models
from crossmodal.nuswide.study import StudyData


def main(smk: Any) -> None:
    representation, slots = smk.wildcards.representation, smk.params.slots
    data = StudyData.read_inputs(smk.input)
    models = read_slot_models(representation, smk.input, slots)
    settings = smk.params.settings
    scores = concept_aucs(representation, data, models, slots, **settings, n_jobs=smk.threads)
    write_parquet(scores, smk.output.scores)


run_script(snakemake, main)
