"""The CNN baseline: the visual vectors of the setting's visual words (rule embed_pixie_cnn)."""

from typing import Any

from crossmodal.core.logs import run_script
from crossmodal.pixie.visual import read_visual_of_setting


def main(smk: Any) -> None:
    visual = read_visual_of_setting(smk.input.visual, smk.input.visual_words, smk.wildcards.setting)
    visual.write(smk.output.npy, smk.output.vocab)


run_script(snakemake, main)
