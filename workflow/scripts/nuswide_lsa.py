"""LSA of one model slot: each kept tag's loadings on the truncated SVD of the training images'
tag matrix without the slot's concept tags (rule fit_nuswide_lsa)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.nuswide.lsa import fit_slot_lsa
from crossmodal.nuswide.study import StudyData


def main(smk: Any) -> None:
    data = StudyData.read_inputs(smk.input)
    settings = smk.params.settings
    loadings = fit_slot_lsa(data, smk.wildcards.slot, settings["dim"], settings["seed"])
    loadings.write(smk.output.matrix, smk.output.words)


run_script(snakemake, main)
