# Configuration checks and every Python helper the rules use (input functions, lookups).
import os

from snakemake.exceptions import WorkflowError

from crossmodal.config import validate_config
from crossmodal.errors import InputError

try:
    validate_config(config, workflow.source_path("../schemas/config.schema.yaml"))
except InputError as err:
    # A WorkflowError is printed as its message alone, without a Python traceback.
    raise WorkflowError(str(err)) from None


wildcard_constraints:
    dataset="[a-z][a-z0-9]*",
    corpus="[a-z][a-z0-9]*",
    benchmark="[a-z][a-z0-9]*",
    download="[a-z0-9][a-z0-9_.-]*",
    k="[0-9]+",
    model="[a-z][a-z0-9]*",
    layer="[A-Za-z0-9]+",
    kind="(bovw_k[0-9]+|cnn_[a-z0-9]+_[A-Za-z0-9]+)",


def get_final_output():
    """Targets of `rule all`: the Collell & Moens Table 1 (the workflow's default target)."""
    return ["results/tables/table1.csv"]


def torch_resource(name):
    """A compute request for torch rules, from config `resources: torch:` (see profiles/)."""
    return config["resources"]["torch"][name]


def default_resource(name):
    """A compute request for CPU rules, from config `resources: default:`."""
    return config["resources"]["default"][name]


# ---- downloads (download.smk) ----


def download_path(name):
    """Where download `name` of config `downloads` is stored once fetched and verified."""
    entry = config["downloads"][name]
    filename = entry.get("filename") or entry["url"].rstrip("/").rsplit("/", 1)[-1]
    return f"resources/{name}/{filename}"


# ---- canonical data (data.smk) ----

# ---- features (sift.smk, cnn.smk) ----

# ---- word vectors (words.smk) ----

# ---- text embeddings (text.smk) ----

# ---- Collell & Moens 2018 (collell2018.smk) ----
