# crossmodal: Collell & Moens (2018), PIXIE (Ailem et al., 2018) and a NUS-WIDE study, from raw data.
# Default target: the Collell & Moens Table 1 on the configured data (results/tables/table1.csv).
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version

from crossmodal.core.config_files import read_config_file
from crossmodal.core.errors import InputError

min_version("9.0")


# The demo config, unless --configfile names others: merged under them, its dict-valued
# sections (datasets, corpora, benchmarks...) would leak demo entries into a full run. Read
# first by the package, so that a YAML mistake in it is reported with its path and line
# (Snakemake's own message names neither).
if not workflow.overwrite_configfiles:
    try:
        read_config_file("config/config.yaml")
    except InputError as err:
        raise WorkflowError(str(err)) from None

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/common_nuswide.smk"
include: "workflow/rules/download.smk"
include: "workflow/rules/public_data.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/sift.smk"
include: "workflow/rules/cnn.smk"
include: "workflow/rules/words.smk"
include: "workflow/rules/text.smk"
include: "workflow/rules/collell2018.smk"
include: "workflow/rules/nuswide.smk"
include: "workflow/rules/pixie.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        get_final_output(),
