"""The CNN baseline: the visual vectors of the setting's visual words (rule embed_pixie_cnn)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.pixie.model import visual_of_setting
from crossmodal.text.vectors import WordVectors


def main(smk: Any) -> None:
    visual = WordVectors.read(smk.input.visual, smk.input.visual_words, ["heldout"])
    visual_of_setting(visual, smk.wildcards.setting).write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
