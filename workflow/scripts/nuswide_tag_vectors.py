"""Semantic tag vectors of the log-bilinear document model (Maas & Ng, 2010) of one model slot,
fitted on the training images' tags without the slot's concept tags (rule
fit_nuswide_tag_vectors)."""

from pathlib import Path
from typing import Any

import torch

from crossmodal.core.logs import run_script
from crossmodal.nuswide.study import StudyData
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_slot_tag_vectors


def main(smk: Any) -> None:
    torch.set_num_threads(smk.threads)
    data = StudyData.read_inputs(smk.input)
    resume = Path(smk.output.matrix).with_suffix(".resume")
    config = TagModelConfig(**smk.params.settings)
    vectors = fit_slot_tag_vectors(data, smk.wildcards.slot, config, resume)
    vectors.write(smk.output.matrix, smk.output.words)
    resume.unlink(missing_ok=True)


run_script(snakemake, main)
