# The config check and the Python helpers the rules use (input functions, lookups); the NUS-WIDE
# study's own are in common_nuswide.smk.
import posixpath
from urllib.parse import urlsplit

from snakemake.exceptions import WorkflowError

from crossmodal.collell2018 import layout as collell_layout
from crossmodal.collell2018 import subsets as collell_subsets
from crossmodal.core.config import check_config
from crossmodal.core.errors import InputError
from crossmodal.core.workflow import one_of, settings, shard_paths
from crossmodal.features import sizing
from crossmodal.report import places as report_places

try:
    # Emptied mappings lost in the config-file merge, values against the schema (defaults filled
    # in), references, bring-your-own files and their Collell subsets: helpers only look up.
    config_schema = workflow.source_path("../schemas/config.schema.yaml")
    check_config(config, config_schema, workflow.overwrite_configfiles)
    collell_subsets.check_planned_subsets(config["collell2018"])
except InputError as err:
    # A WorkflowError is printed as its message alone, without a Python traceback.
    raise WorkflowError(str(err)) from None

# Built once from config `collell2018:` (crossmodal.collell2018.layout): dataset -> (visual,
# text) -> input files of the pair, and how its items are paired and split; Experiment 2's
# embedding id -> inputs and label column.
COLLELL_PAIRS = collell_layout.pairs(config["collell2018"])
COLLELL_PAIR_SPECS = collell_layout.pair_specs(config["collell2018"])
COLLELL_EMBEDDINGS = collell_layout.untrained_embeddings(config["collell2018"])
# Built once: mapping variant -> its full training config (`training` overridden by the
# variant's entry; a change in either reruns training via params).
COLLELL_MAPPINGS = collell_layout.mapping_configs(
    config["collell2018"], config["collell2018"]["mappings"]
)
# The mapping variants of Table 1 and the supplement, in that order, without repeats, and
# every analysed setting of them (dataset, visual and text embedding, direction, mapping).
COLLELL_REPORTED = collell_layout.mapping_names(config["collell2018"])
COLLELL_SETTINGS = collell_layout.analysed_settings(
    config["collell2018"], COLLELL_REPORTED
)


wildcard_constraints:
    dataset="[a-z][a-z0-9]*",
    corpus="[a-z][a-z0-9]*",
    benchmark="[a-z][a-z0-9]*",
    download=one_of(config["downloads"]),
    filename="[^/]+",
    k="[0-9]+",
    shard="[0-9]+",
    shards="[1-9][0-9]*",
    model="[a-z][a-z0-9]*",
    layer="[A-Za-z0-9]+",
    kind="(bovw_k[0-9]+|cnn_[a-z0-9]+_[A-Za-z0-9]+)",
    dim="[0-9]+",
    pretrained=one_of(config["text"]["pretrained"]),
    direction="t2i|i2t",
    mapping=one_of(config["collell2018"]["mappings"]),
    vis=one_of(v for pairs in COLLELL_PAIRS.values() for v, _ in pairs),
    lang=one_of(t for pairs in COLLELL_PAIRS.values() for _, t in pairs),
    embedding=one_of(COLLELL_EMBEDDINGS),
    setting="all|heldout",
    visual="cnn|vae",
    map="lin|nn",


def get_final_output():
    """The default targets: the Collell & Moens Table 1."""
    return ["results/tables/table1.csv"]


def torch_resource(name):
    """A compute request for torch rules, from config `resources: torch:` (see profiles/).
    Other rules take mem_mb and runtime from the profile's default-resources."""
    return config["resources"]["torch"][name]


# ---- downloads and public datasets (download.smk, public_data.smk) ----


def download_path(name):
    """Where download `name` of config `downloads` is stored once fetched and verified."""
    entry = config["downloads"][name]
    filename = entry.get("filename") or posixpath.basename(urlsplit(entry["url"]).path)
    return f"resources/{name}/{filename}"


def get_download_spec(wildcards):
    """URL, sha256 and size (if pinned) of download `wildcards.download`, for the download rule.

    Refuses a file name other than the configured one (a target path may ask for any), so
    that no URL is ever saved under a name that download_path() would not give it.
    """
    expected = download_path(wildcards.download)
    requested = f"resources/{wildcards.download}/{wildcards.filename}"
    if requested != expected:
        raise ValueError(
            f"{requested}: download {wildcards.download!r} is saved as {expected}"
        )
    entry = config["downloads"][wildcards.download]
    return {"url": entry["url"], "sha256": entry["sha256"], "size": entry.get("size")}


def download_runtime(wildcards):
    """Minutes to request for a download: half an hour (the profiles' default runtime), or
    more for a big file at 0.5 MB/s."""
    size = config["downloads"][wildcards.download].get("size") or 0
    return max(30, 10 + size // (500_000 * 60))


def datasets_of_source(source):
    """Wildcard regex matching the names of the datasets with this `source`, so that each
    builder of results/data/{dataset}/ claims only its own."""
    return one_of(n for n, d in config["datasets"].items() if d["source"] == source)


def get_dataset_archives(wildcards):
    """Downloaded files of a nuswide / flickr30k dataset (its `archives`, keys of `downloads`)."""
    archives = config["datasets"][wildcards.dataset]["archives"]
    return [download_path(name) for name in archives]


# ---- canonical data (data.smk) ----


def get_corpus_inputs(wildcards):
    """Inputs of build_corpus: the downloaded text (source download); the image table of
    `words: dataset`, whose words the log reports coverage of, unless that dataset brings its
    own features (and WordNet, when the corpus adds the words' glosses)."""
    entry = config["corpora"][wildcards.corpus]
    inputs = {}
    if entry["source"] == "download":
        inputs["download"] = download_path(entry["download"])
    dataset = config["words"]["dataset"]
    if config["datasets"].get(dataset, {}).get("source", "features") != "features":
        inputs["images"] = f"results/data/{dataset}/images.parquet"
    if entry["wordnet_glosses"]:
        inputs["wordnet"] = "results/data/wordnet"
    return inputs


def get_benchmark_input(wildcards):
    """The file a benchmark is read from, when the workflow provides or tracks it: the
    download (source download) or the local file (source file); gensim's copies ship with
    the package."""
    entry = config["benchmarks"][wildcards.benchmark]
    if entry["source"] == "download":
        return {"pairs": download_path(entry["download"])}
    if entry["source"] == "file":
        return {"pairs": entry["path"]}
    return {}


# ---- features and text embeddings (sift.smk, cnn.smk, text.smk) ----


def cnn_models(*backends):
    """Wildcard regex matching the models of config `vision: cnn:` run by one of `backends`,
    so that each CNN rule claims only its own models."""
    return one_of(
        n for n, m in config["vision"]["cnn"].items() if m["backend"] in backends
    )


def get_cnn_model_files(wildcards):
    """Downloaded files of an opencv-backend model: `model`, and `config` when it has one."""
    entry = config["vision"]["cnn"][wildcards.model]
    return {
        key: download_path(entry[key]) for key in ("model", "config") if key in entry
    }


def codebook_mem_mb(wildcards, input):
    """Megabytes for fit_codebook: its descriptor sample grows with the training images of the
    table and config `vision: codebook:` (crossmodal.features.sizing); <TBD> in a dry run
    before the table exists, computed when the job is ready."""
    codebook = config["vision"]["codebook"]
    return sizing.codebook_mem_mb(
        input.images, codebook["descriptors_per_image"], codebook["max_images"]
    )


def feature_shards(kind, suffix):
    """An input function of a gather rule: the files (`suffix`) of every shard of feature `kind`
    (a pattern of the rule's wildcards, e.g. "bovw_k{k}") of wildcards.dataset, as many as
    config `datasets: <dataset>: shards:` says."""

    def get(wildcards):
        shards = config["datasets"][wildcards.dataset]["shards"]
        return shard_paths(wildcards.dataset, kind.format(**wildcards), shards, suffix)

    return get


def get_feature_outputs():
    """Every configured image feature of every dataset that has images (source other than
    `features`): bovw_k<vision.codebook.k> and cnn_<model>_<layer> for each model and layer.
    """
    kinds = [f"bovw_k{config['vision']['codebook']['k']}"]
    for model, entry in config["vision"]["cnn"].items():
        kinds += [f"cnn_{model}_{layer}" for layer in entry["layers"]]
    datasets = [n for n, d in config["datasets"].items() if d["source"] != "features"]
    return expand("results/features/{dataset}/{kind}.npy", dataset=datasets, kind=kinds)


def sgns_path(suffix):
    """The configured skip-gram vectors (config `text: sgns:` corpus and dim): `suffix` is
    ".npy" for the matrix or ".vocab.parquet" for its vocabulary."""
    sgns = config["text"]["sgns"]
    return f"results/text/{sgns['corpus']}/sgns_d{sgns['dim']}{suffix}"


def get_pretrained_download(wildcards):
    """The downloaded file of pretrained vectors `wildcards.pretrained` (config `text: pretrained:`)."""
    return download_path(config["text"]["pretrained"][wildcards.pretrained]["download"])


# ---- Collell & Moens 2018 (collell2018.smk) ----


def get_collell_pair_inputs(wildcards):
    """Named input files of rule pair_collell2018_data (use with unpack). A target path may
    join a visual and a text embedding of different datasets: that is refused here."""
    return collell_layout.pair_files(
        COLLELL_PAIRS, wildcards.dataset, wildcards.vis, wildcards.lang
    )


def collell_outputs(name, mappings):
    """File `name` of every analysed setting of `mappings`, in COLLELL_SETTINGS order."""
    chosen = [s for s in COLLELL_SETTINGS if s["mapping"] in mappings]
    return [collell_layout.setting_file(setting, name) for setting in chosen]


def get_collell_untrained_inputs(wildcards):
    """Vectors of embedding wildcards.embedding and every configured word-similarity benchmark."""
    benchmarks = expand(
        "results/data/wordsim/{b}.parquet", b=list(config["benchmarks"])
    )
    return {
        **COLLELL_EMBEDDINGS[wildcards.embedding]["inputs"],
        "benchmarks": benchmarks,
    }


# ---- report (report.smk) ----


# Every report item's category, subcategory and result label (crossmodal.report.places).
REPORT = report_places.read_places(workflow.source_path("../report/places.yaml"))


def report_place(name):
    """Report flags of item `name` of workflow/report/places.yaml, for
    `report(path, caption=..., **report_place(name))`."""
    return report_places.report_flags(REPORT, name)


# Built once: table -> report flags and title of its HTML view (rule render_table_view).
REPORT_VIEWS = report_places.table_views(
    REPORT,
    collell_layout.tuxpaint_word_datasets(config["collell2018"], config["datasets"]),
)


def get_report_targets():
    """Everything `snakemake --report` shows (the run_report target) - the figures of the three
    studies, every final table as CSV and as an HTML view, and the data summaries."""
    tables = list(REPORT_VIEWS)
    return (
        report_places.figures(REPORT)
        + expand("results/tables/{table}.csv", table=tables)
        + expand("results/tables/{table}.html", table=tables)
    )


def table_view(key):
    """An input function giving `key` (category, subcategory, labels or title) of the HTML
    view of wildcards.table, for rule render_table_view."""

    def get(wildcards):
        return REPORT_VIEWS[wildcards.table][key]

    return get


# ---- pixie (pixie.smk) ----


PIXIE_TABLES = [f"results/tables/pixie_table{n}.csv" for n in (2, 3, 4, 5, 6)] + [
    "results/tables/pixie_paper.csv"
]
# Models that read no image: both settings share the one trained once (setting "all").
PIXIE_TEXT_MODELS = ("sgns", "sgnsgensim")


def pixie_dir():
    """Folder of the PIXIE study's intermediates for the configured corpus."""
    return f"results/pixie/{config['pixie']['corpus']}"


def pixie_embedding(setting, name, suffix):
    """An embedding of the PIXIE study: `suffix` ".npy" or ".vocab.parquet". SGNS does not see
    images, so both settings share the one trained with all of them."""
    setting = "all" if name in PIXIE_TEXT_MODELS else setting
    return f"{pixie_dir()}/{setting}/embeddings/{name}{suffix}"


def pixie_embeddings(setting, names, suffix):
    """pixie_embedding for each of `names`, in order."""
    return [pixie_embedding(setting, name, suffix) for name in names]


def get_pixie_sgns(wildcards):
    """The SGNS vectors (PIXIE's trainer without the visual part) that the concatenations and
    IV-SGNS build on."""
    return {
        "sgns": pixie_embedding("all", "sgns", ".npy"),
        "sgns_vocab": pixie_embedding("all", "sgns", ".vocab.parquet"),
    }


def get_pixie_visual_source(wildcards):
    """The visual word vectors of config `pixie: visual:`. Source `senses`: built for the
    vocabulary by average_pixie_senses; `words`: results/words/; `file`: a CSV or NPY whose
    labels are words."""
    visual = config["pixie"]["visual"]
    if visual["source"] == "senses":
        base = f"results/pixie/{wildcards.corpus}/senses"
        return {"vectors": f"{base}.npy", "words": f"{base}.words.parquet"}
    if visual["source"] == "words":
        base = f"results/words/{visual['dataset']}/{visual['kind']}"
        return {"vectors": f"{base}.npy", "words": f"{base}.words.parquet"}
    return {"vectors": visual["file"]}


def get_pixie_sense_inputs(wildcards):
    """Image features, image table and WordNet that rule average_pixie_senses reads (config
    `pixie: visual:` dataset and kind)."""
    visual = config["pixie"]["visual"]
    dataset, kind = visual["dataset"], visual["kind"]
    return {
        "features": f"results/features/{dataset}/{kind}.npy",
        "ids": f"results/features/{dataset}/{kind}.ids.parquet",
        "images": f"results/data/{dataset}/images.parquet",
        "wordnet": "results/data/wordnet",
    }


def pixie_benchmarks():
    """Benchmarks of the PIXIE tables: config `pixie: benchmarks:`, or every configured one."""
    return config["pixie"]["benchmarks"] or list(config["benchmarks"])


def pixie_benchmark_files():
    """Parquet pairs of pixie_benchmarks(), in order."""
    return expand("results/data/wordsim/{b}.parquet", b=pixie_benchmarks())


def pixie_retrieval_on_flickr30k():
    """Whether the retrieval experiment runs on Flickr30K, the paper's Table 6 benchmark (only
    then do its rows stand beside the paper's)."""
    dataset = config["pixie"]["retrieval"]["dataset"]
    return config["datasets"].get(dataset, {}).get("source") == "flickr30k"


def get_pixie_retrieval_inputs(wildcards):
    """Embedding, image table, per-image features (and Flickr30K's captions) of the retrieval
    experiment, config `pixie: retrieval:`."""
    retrieval = config["pixie"]["retrieval"]
    dataset, kind = retrieval["dataset"], retrieval["features"]
    inputs = {
        "vectors": pixie_embedding("all", wildcards.model, ".npy"),
        "vocab": pixie_embedding("all", wildcards.model, ".vocab.parquet"),
        "images": f"results/data/{dataset}/images.parquet",
        "features": f"results/features/{dataset}/{kind}.npy",
        "feature_ids": f"results/features/{dataset}/{kind}.ids.parquet",
    }
    if pixie_retrieval_on_flickr30k():
        inputs["captions"] = f"results/data/{dataset}/captions.parquet"
    return inputs


def pixie_training_state(wildcards, output):
    """Where a PIXIE / V-SGNS / SGNS job keeps its per-epoch training state: beside its outputs
    but not one of them, so that a failed or interrupted job leaves it and the rerun resumes.
    """
    return f"{output.losses}.state.pt"


def pixie_retrieval_state(wildcards, output):
    """Where a retrieval job keeps its per-epoch training state, beside its metrics as
    pixie_training_state keeps PIXIE's."""
    return f"{output.metrics}.state.pt"
