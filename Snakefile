# crossmodal: Collell & Moens (2018), PIXIE (Ailem et al., 2018) and a NUS-WIDE study, from raw data.
# Default target: the Collell & Moens Table 1 on the configured data (results/tables/table1.csv).
from snakemake.utils import min_version

min_version("9.0")


# The demo config, unless --configfile names others: merged under them, its dict-valued
# sections (datasets, corpora, benchmarks...) would leak demo entries into a full run.
if not workflow.overwrite_configfiles:

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
