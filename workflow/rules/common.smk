# Configuration checks and every Python helper the rules use (input functions, lookups).
import os
import posixpath
from urllib.parse import urlsplit

from snakemake.exceptions import WorkflowError

from crossmodal.core.config import validate_config
from crossmodal.core.errors import InputError
from crossmodal.nuswide.names import REPRESENTATIONS as NUSWIDE_REPRESENTATIONS
from crossmodal.nuswide.names import VARIANTS as NUSWIDE_VARIANTS


def check_feature_files():
    """Every bring-your-own feature file of config `collell2018.datasets` exists, unless it is
    under resources/ (where a download rule fetches it). Snakemake alone would say "Nothing to be
    done" when a path is changed to a missing file after a first run, as the old outputs exist.
    """
    for name, entry in config["collell2018"]["datasets"].items():
        if entry["source"] != "features":
            continue
        files = [
            (f"{modality}.{part}.{key}", path)
            for modality in ("visual", "text")
            for part, paths in entry[modality].items()
            for key, path in paths.items()
        ]
        if "split_file" in entry:
            files.append(("split_file", entry["split_file"]))
        for key, path in files:
            if not path.startswith("resources/") and not os.path.exists(path):
                raise InputError(
                    f"config collell2018.datasets.{name}.{key}: file {path} does not exist"
                )


try:
    validate_config(config, workflow.source_path("../schemas/config.schema.yaml"))
    check_feature_files()
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
    """The default targets: the Collell & Moens Table 1."""
    return ["results/tables/table1.csv"]


def settings(**values):
    """A rule's config values as ONE named mapping, for `params: settings=settings(...)`.

    Snakemake's params rerun trigger compares the *set* of a job's parameter values, without
    their names: with separate scalar params, a value changed to one another param already has
    (window 5 -> 3 while min_count is 3) or two params swapping values would go unnoticed. A
    mapping is recorded with its keys, so any change reruns the job. Values may be `lookup`
    results or input functions of wildcards; then the mapping is resolved per job.
    """
    if not any(callable(value) for value in values.values()):
        return values

    def resolve(wildcards):
        return {
            name: value(wildcards) if callable(value) else value
            for name, value in values.items()
        }

    return resolve


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
    filename = entry.get("filename") or posixpath.basename(urlsplit(entry["url"]).path)
    return f"resources/{name}/{filename}"


wildcard_constraints:
    filename="[^/]+",


def get_download_spec(wildcards):
    """URL, sha256 and size (if pinned) of download `wildcards.download`, for the download rule.

    Refuses a file name other than the configured one, so that no URL is ever saved under a
    name that download_path() would not give it.
    """
    if wildcards.download not in config["downloads"]:
        raise ValueError(f"config `downloads` has no entry {wildcards.download!r}")
    expected = download_path(wildcards.download)
    requested = f"resources/{wildcards.download}/{wildcards.filename}"
    if requested != expected:
        raise ValueError(
            f"{requested}: download {wildcards.download!r} is saved as {expected}"
        )
    entry = config["downloads"][wildcards.download]
    return {"url": entry["url"], "sha256": entry["sha256"], "size": entry.get("size")}


def download_runtime(wildcards):
    """Minutes to request for a download: the default, or more for a big file at 0.5 MB/s."""
    size = config["downloads"].get(wildcards.download, {}).get("size") or 0
    return max(default_resource("runtime"), 10 + size // (500_000 * 60))


def datasets_of_source(source):
    """Wildcard regex matching the names of the datasets with this `source` (never matches if
    there are none), so that each builder of results/data/{dataset}/ claims only its own.
    """
    names = [n for n, d in config["datasets"].items() if d["source"] == source]
    return "(" + "|".join(names) + ")" if names else "(?!)"


def get_dataset_archives(wildcards):
    """Downloaded files of a nuswide / flickr30k dataset (its `archives`, keys of `downloads`)."""
    entry = config["datasets"][wildcards.dataset]
    missing = [n for n in entry["archives"] if n not in config["downloads"]]
    if missing:
        raise ValueError(
            f"config datasets.{wildcards.dataset}.archives: {', '.join(missing)} "
            "not in config `downloads`"
        )
    return [download_path(name) for name in entry["archives"]]


def get_images_dir(wildcards):
    """Folder of a public dataset's image files (config `images_dir`, may be empty)."""
    return config["datasets"][wildcards.dataset].get("images_dir", "")


# ---- canonical data (data.smk) ----


def visual_words_table():
    """The image table whose words a corpus covers (`words: dataset`), or None when that
    dataset brings its own features and so has no table of words."""
    dataset = config["words"]["dataset"]
    if config["datasets"].get(dataset, {}).get("source", "features") == "features":
        return None
    return f"results/data/{dataset}/images.parquet"


def get_corpus_inputs(wildcards):
    """Inputs of build_corpus: the downloaded text (source download); the image table of
    `words: dataset`, whose words the log reports coverage of (and WordNet, when the corpus
    adds their glosses)."""
    entry = config["corpora"][wildcards.corpus]
    inputs = {}
    if entry["source"] == "download":
        if entry["download"] not in config["downloads"]:
            raise ValueError(
                f"config corpora.{wildcards.corpus}.download: {entry['download']!r} "
                "is not in config `downloads`"
            )
        inputs["download"] = download_path(entry["download"])
    images = visual_words_table()
    if images is not None:
        inputs["images"] = images
    if entry["wordnet_glosses"]:
        if images is None:
            raise ValueError(
                f"config corpora.{wildcards.corpus}.wordnet_glosses needs `words: dataset` "
                "to name a dataset with images"
            )
        inputs["wordnet"] = "results/data/wordnet"
    return inputs


def get_benchmark_input(wildcards):
    """The file a benchmark is read from, when the workflow provides or tracks it: the
    download (source download) or the local file (source file); gensim's copies ship with
    the package."""
    entry = config["benchmarks"][wildcards.benchmark]
    if entry["source"] == "download":
        if entry.get("download") not in config["downloads"]:
            raise ValueError(
                f"config benchmarks.{wildcards.benchmark}.download: {entry.get('download')!r} "
                "is not in config `downloads`"
            )
        return {"pairs": download_path(entry["download"])}
    if entry["source"] == "file":
        return {"pairs": entry["path"]}
    return {}


# ---- features (sift.smk, cnn.smk) ----


def cnn_models(backend):
    """Wildcard regex matching the models of config `vision: cnn:` run by `backend` (never
    matches if there are none), so that each CNN rule claims only its own models."""
    names = [n for n, m in config["vision"]["cnn"].items() if m["backend"] == backend]
    return "(" + "|".join(names) + ")" if names else "(?!)"


def get_cnn_model_files(wildcards):
    """Downloaded files of an opencv-backend model: `model`, and `config` when it has one."""
    entry = config["vision"]["cnn"][wildcards.model]
    files = {key: entry[key] for key in ("model", "config") if key in entry}
    for key, name in files.items():
        if name not in config["downloads"]:
            raise ValueError(
                f"config vision.cnn.{wildcards.model}.{key}: {name!r} is not a key of `downloads`"
            )
    return {key: download_path(name) for key, name in files.items()}


def get_feature_outputs():
    """Every configured image feature of every dataset that has images (source other than
    `features`): bovw_k<vision.codebook.k> and cnn_<model>_<layer> for each model and layer.
    """
    kinds = [f"bovw_k{config['vision']['codebook']['k']}"]
    for model, entry in config["vision"]["cnn"].items():
        kinds += [f"cnn_{model}_{layer}" for layer in entry["layers"]]
    datasets = [n for n, d in config["datasets"].items() if d["source"] != "features"]
    return expand("results/features/{dataset}/{kind}.npy", dataset=datasets, kind=kinds)


# ---- word vectors (words.smk) ----


def get_visual_word_tables(wildcards):
    """Word tables of every feature kind in config `words: features:` for one dataset, in
    config order (rule report_visual_vocabulary pairs them with params.kinds)."""
    return expand(
        "results/words/{dataset}/{kind}.words.parquet",
        dataset=wildcards.dataset,
        kind=config["words"]["features"],
    )


# ---- text embeddings (text.smk) ----


wildcard_constraints:
    dim="[0-9]+",
    pretrained="[a-z][a-z0-9]*",


def sgns_path(suffix):
    """The configured skip-gram vectors (config `text: sgns:` corpus and dim): `suffix` is
    ".npy" for the matrix or ".vocab.parquet" for its vocabulary."""
    sgns = config["text"]["sgns"]
    return f"results/text/{sgns['corpus']}/sgns_d{sgns['dim']}{suffix}"


def sgns_threads():
    """Worker threads for train_sgns. One when `text: sgns: deterministic:` is set (gensim's
    multi-threaded training is not bit-reproducible), else 8 (Snakemake caps it at --cores;
    override with --set-threads train_sgns=N)."""
    return 1 if config["text"]["sgns"]["deterministic"] else 8


def get_pretrained_download(wildcards):
    """The downloaded file of pretrained vectors `wildcards.pretrained` (config `text: pretrained:`)."""
    entries = config["text"]["pretrained"]
    if wildcards.pretrained not in entries:
        raise ValueError(
            f"text.pretrained has no entry {wildcards.pretrained!r} "
            f"(configured: {', '.join(entries) or 'none'})"
        )
    return download_path(entries[wildcards.pretrained]["download"])


# ---- Collell & Moens 2018 (collell2018.smk) ----


wildcard_constraints:
    pair="[A-Za-z0-9]+(_[A-Za-z0-9]+)*__[a-z0-9]+(_[a-z0-9]+)*(-[a-z0-9]+(_[a-z0-9]+)*)?",
    direction="t2i|i2t",
    mapping="[a-z][a-z0-9]*",
    embedding="[a-z0-9]+(_[a-z0-9]+)*-[A-Za-z0-9]+(_[A-Za-z0-9]+)*",


def collell_datasets():
    """Names of collell2018.datasets to analyse: config `collell2018: run:`, or all."""
    section = config["collell2018"]
    names = section["run"] or list(section["datasets"])
    unknown = [n for n in names if n not in section["datasets"]]
    if unknown:
        raise ValueError(
            f"collell2018.run: {', '.join(unknown)} not in collell2018.datasets"
        )
    return names


def collell_text_id(spec):
    """File-name id of a text embedding "<corpus>/<model>": "<corpus>-<model>"."""
    return "-".join(posixpath.split(spec))


def collell_modalities(dataset):
    """(visual names, text names) of a Collell dataset, as they appear in pair ids."""
    entry = config["collell2018"]["datasets"][dataset]
    if entry["source"] == "words":
        return list(entry["visual"]), [collell_text_id(t) for t in entry["text"]]
    return list(entry["visual"]), list(entry["text"])


def collell_pairs(dataset):
    """Embedding pairs "<visual>__<text>" of a dataset, in config order."""
    visual, text = collell_modalities(dataset)
    return [f"{v}__{t}" for v in visual for t in text]


def collell_pair_parts(wildcards):
    """(visual, text) of wildcards.pair, checked against the dataset's config."""
    if wildcards.pair not in collell_pairs(wildcards.dataset):
        raise ValueError(
            f"{wildcards.pair!r} is not an embedding pair of collell2018.datasets."
            f"{wildcards.dataset} (configured: {', '.join(collell_pairs(wildcards.dataset))})"
        )
    return wildcards.pair.split("__")


def get_collell_pair_inputs(wildcards):
    """Named input files of rule pair_collell2018_data (use with unpack)."""
    entry = config["collell2018"]["datasets"][wildcards.dataset]
    visual, text = collell_pair_parts(wildcards)
    if entry["source"] == "words":
        corpus, model = text.split("-", 1)
        return {
            "visual": f"results/words/{wildcards.dataset}/{visual}.npy",
            "visual_words": f"results/words/{wildcards.dataset}/{visual}.words.parquet",
            "text": f"results/text/{corpus}/{model}.npy",
            "text_vocab": f"results/text/{corpus}/{model}.vocab.parquet",
        }
    files = {}
    for role, name, modality in (("image", visual, "visual"), ("text", text, "text")):
        for key, path in entry[modality][name].items():
            files[role if key == "file" else f"{role}_{key}"] = path
    if "split_file" in entry:
        files["split_file"] = entry["split_file"]
    return files


def get_collell_pair_params(wildcards):
    """How rule pair_collell2018_data pairs and splits a dataset (source, folds, split...)."""
    entry = config["collell2018"]["datasets"][wildcards.dataset]
    keys = ("source", "folds", "test_fraction", "label_column", "seed")
    return {key: entry.get(key) for key in keys}


def get_collell_mapping(wildcards):
    """The full training config of mapping variant wildcards.mapping: `training` defaults
    overridden by the variant's entry (a change in either reruns training via params).
    """
    variants = config["collell2018"]["mappings"]
    if wildcards.mapping not in variants:
        raise ValueError(f"collell2018.mappings has no variant {wildcards.mapping!r}")
    return {**config["collell2018"]["training"], **variants[wildcards.mapping]}


def collell_outputs(pattern, mappings):
    """`pattern` expanded over every analysed dataset, its pairs, the directions and `mappings`."""
    paths = []
    for dataset in collell_datasets():
        for pair in collell_pairs(dataset):
            paths += expand(
                pattern,
                dataset=dataset,
                pair=pair,
                direction=config["collell2018"]["directions"],
                mapping=mappings,
            )
    return list(dict.fromkeys(paths))


def collell_metrics(mappings):
    """Evaluation tables of every analysed setting of `mappings`."""
    return collell_outputs(
        "results/collell2018/{dataset}/{pair}/{direction}/{mapping}/metrics.parquet",
        mappings,
    )


def collell_all_mappings():
    """Table 1 and supplement mapping variants, in that order, without repeats."""
    section = config["collell2018"]
    names = list(
        dict.fromkeys(section["table1_mappings"] + section["supplement_mappings"])
    )
    unknown = [n for n in names if n not in section["mappings"]]
    if unknown:
        raise ValueError(
            f"collell2018: mapping(s) {', '.join(unknown)} not in collell2018.mappings"
        )
    return names


def collell_untrained_embeddings():
    """Word embeddings of Experiment 2, id -> input files: the visual and text vectors of every
    analysed `words` dataset (ids "<dataset>-<kind>", "<corpus>-<model>") and the single-file
    modalities of `features` datasets whose labels are words (ids "<dataset>-<name>").
    """
    embeddings = {}
    for dataset in collell_datasets():
        entry = config["collell2018"]["datasets"][dataset]
        if entry["source"] == "words":
            for kind in entry["visual"]:
                base = f"results/words/{dataset}/{kind}"
                embeddings[f"{dataset}-{kind}"] = {
                    "vectors": f"{base}.npy",
                    "words": f"{base}.words.parquet",
                }
            for spec in entry["text"]:
                base = f"results/text/{spec}"
                embeddings[collell_text_id(spec)] = {
                    "vectors": f"{base}.npy",
                    "words": f"{base}.vocab.parquet",
                }
        elif entry["word_labels"]:
            for modality in ("visual", "text"):
                for name, files in entry[modality].items():
                    if "file" in files:
                        found = {"vectors": files["file"]}
                        if "ids" in files:
                            found["ids"] = files["ids"]
                        embeddings[f"{dataset}-{name}"] = found
    return embeddings


def get_collell_untrained_inputs(wildcards):
    """Vectors of embedding wildcards.embedding and every configured word-similarity benchmark."""
    embeddings = collell_untrained_embeddings()
    if wildcards.embedding not in embeddings:
        raise ValueError(
            f"{wildcards.embedding!r} is not a word embedding of the analysed collell2018 "
            f"datasets (known: {', '.join(embeddings) or 'none'})"
        )
    benchmarks = expand(
        "results/data/wordsim/{b}.parquet", b=list(config["benchmarks"])
    )
    return {**embeddings[wildcards.embedding], "benchmarks": benchmarks}


def get_collell_untrained_label_column(wildcards):
    """Whether the CSV of a `features` embedding starts with a label column (else unused)."""
    dataset = wildcards.embedding.split("-", 1)[0]
    entry = config["collell2018"]["datasets"].get(dataset, {})
    return entry.get("label_column", True)


def collell_untrained_outputs():
    """Experiment 2 scores of every embedding (empty without `words` datasets)."""
    return expand(
        "results/collell2018/untrained/{embedding}.parquet",
        embedding=list(collell_untrained_embeddings()),
    )


def collell_mapping_configs():
    """Full training config of every Table 1 and supplement mapping variant, by name."""
    section = config["collell2018"]
    return {
        name: {**section["training"], **section["mappings"][name]}
        for name in collell_all_mappings()
    }


# ---- report (report.smk) ----


COLLELL_REPORT = "Collell & Moens (2018)"
PIXIE_REPORT = "PIXIE (Ailem et al., 2018)"
NUSWIDE_REPORT = "NUS-WIDE study"
# Final tables of the report: path under results/tables/ (no .csv) -> (category, subcategory,
# result label), as on their CSV entries in the study's .smk, so that each HTML view sits beside
# its CSV.
REPORT_TABLES = {
    "table1": (COLLELL_REPORT, "Table 1", "Table 1"),
    "collell2018/mnno_epochs": (COLLELL_REPORT, "Fig. 2", "mNNO vs epochs"),
    "collell2018_table2": (COLLELL_REPORT, "Table 2", "Table 2"),
    "collell2018/mappings": (COLLELL_REPORT, "Supplement", "all mapping variants"),
    "collell2018/losses": (COLLELL_REPORT, "Supplement", "losses"),
    "collell2018/depths": (COLLELL_REPORT, "Supplement", "depths"),
    "collell2018/hyperparameters": (
        COLLELL_REPORT,
        "Supplement",
        "selected hyperparameters",
    ),
    "pixie_table2": (PIXIE_REPORT, "Table 2", "Table 2"),
    "pixie_table3": (PIXIE_REPORT, "Table 3", "Table 3"),
    "pixie_table4": (PIXIE_REPORT, "Tables 4-5", "Table 4"),
    "pixie_table5": (PIXIE_REPORT, "Tables 4-5", "Table 5"),
    "pixie_table6": (PIXIE_REPORT, "Table 6", "Table 6"),
    "nuswide_table2": (NUSWIDE_REPORT, "Table 2", "Table 2"),
    "nuswide_predicted_tags": (NUSWIDE_REPORT, "Tag reconstruction", "predicted tags"),
}
DATA_REPORT_TABLES = {
    "data_summary": "image counts",
    "visual_vocabulary": "visual vocabulary",
}


def report_data_datasets():
    """Analysed Collell `words` datasets built from Tux Paint stamps: the report summarises
    their data (the full config analyses released feature files, which have no such summary).
    """
    return [
        dataset
        for dataset in collell_datasets()
        if config["collell2018"]["datasets"][dataset]["source"] == "words"
        and config["datasets"].get(dataset, {}).get("source") == "tuxpaint"
    ]


def report_tables():
    """Paths under results/tables/ (no .csv) of every table the report shows."""
    return list(REPORT_TABLES) + [
        f"{dataset}/{name}"
        for dataset in report_data_datasets()
        for name in DATA_REPORT_TABLES
    ]


def get_report_targets():
    """Everything `snakemake --report` shows (the run_report target) - the figures of the three
    studies, every final table as CSV and as an HTML view, and the data summaries."""
    figures = expand(
        "results/figures/{name}.png",
        name=[
            "collell2018_table1",
            "collell2018_mnno_epochs",
            "collell2018_word_similarity",
            "nuswide_auc",
            "nuswide_predicted_tags",
        ],
    )
    tables = report_tables()
    return (
        figures
        + expand("results/tables/{table}.csv", table=tables)
        + expand("results/tables/{table}.html", table=tables)
    )


def report_table_place(table):
    """(category, subcategory, result label) of a table's HTML view in the report."""
    if table in REPORT_TABLES:
        return REPORT_TABLES[table]
    dataset, _, name = table.partition("/")
    if name not in DATA_REPORT_TABLES:
        raise ValueError(f"results/tables/{table}.csv is not a table of the report")
    return ("Data", None, f"{dataset} {DATA_REPORT_TABLES[name]}")


def get_table_view_category(wildcards):
    """Report category of rule render_table_view's output."""
    return report_table_place(wildcards.table)[0]


def get_table_view_subcategory(wildcards):
    """Report subcategory of rule render_table_view's output."""
    return report_table_place(wildcards.table)[1]


def get_table_view_labels(wildcards):
    """Report labels of rule render_table_view's output (`kind` tells it from the CSV)."""
    return {"result": report_table_place(wildcards.table)[2], "kind": "table (view)"}


def get_table_view_title(wildcards):
    """Heading of a table's HTML view: where it belongs and the CSV it shows."""
    category, subcategory, result = report_table_place(wildcards.table)
    place = f"{category}, {subcategory}" if subcategory else category
    return f"{place}: {result} (results/tables/{wildcards.table}.csv)"


# ---- nuswide (nuswide.smk) ----


def nuswide_path(name):
    """File `name` of the NUS-WIDE study of the configured dataset (config `nuswide: dataset:`)."""
    return f"results/nuswide/{config['nuswide']['dataset']}/{name}"


def nuswide_data_path(name):
    """File `name` of the canonical tables of the study's dataset."""
    return f"results/data/{config['nuswide']['dataset']}/{name}"


def nuswide_representations():
    """Wildcard regex matching the representations the study classifies."""
    return "(" + "|".join(config["nuswide"]["representations"]) + ")"


def nuswide_variants():
    """Wildcard regex matching the autoencoder variants (joint, crossmodal1, crossmodal2)."""
    return "(" + "|".join(NUSWIDE_VARIANTS) + ")"


def get_nuswide_bovw(wildcards):
    """The dataset's BoVW features at the study's codebook size (config `nuswide: codebook_k:`)."""
    k = config["nuswide"]["codebook_k"]
    base = f"results/features/{wildcards.dataset}/bovw_k{k}"
    return {"bovw": f"{base}.npy", "bovw_ids": f"{base}.ids.parquet"}


def get_nuswide_study_inputs(wildcards):
    """Inputs of prepare_nuswide_study: the image table, the ids of the BoVW rows, and the
    ground-truth concepts table when concepts come from it (`concept_source: labels`).
    """
    inputs = {
        "images": f"results/data/{wildcards.dataset}/images.parquet",
        "bovw_ids": get_nuswide_bovw(wildcards)["bovw_ids"],
    }
    if config["nuswide"]["concept_source"] == "labels":
        inputs["labels"] = f"results/data/{wildcards.dataset}/concepts.parquet"
    return inputs


def get_nuswide_model_inputs(wildcards):
    """The fitted model a representation needs: tag vectors, LSA loadings or an autoencoder."""
    need = NUSWIDE_REPRESENTATIONS[wildcards.representation][1]
    base = f"results/nuswide/{wildcards.dataset}"
    if need in ("tag_vectors", "lsa"):
        return {
            "vectors": f"{base}/{need}.npy",
            "vector_words": f"{base}/{need}.words.parquet",
        }
    if need == "autoencoder":
        return {"autoencoder": f"{base}/autoencoder/{wildcards.representation}.pt"}
    return {}


def nuswide_scores():
    """Per-representation AUC tables of the study, in config order."""
    return [
        nuswide_path(f"auc/{name}.parquet")
        for name in config["nuswide"]["representations"]
    ]


def get_nuswide_report_targets():
    """The NUS-WIDE study's tables and figures for the report (the run_nuswide target)."""
    return [
        "results/tables/nuswide_table2.csv",
        "results/figures/nuswide_auc.png",
        "results/figures/nuswide_auc.pdf",
        "results/tables/nuswide_predicted_tags.csv",
        "results/figures/nuswide_predicted_tags.png",
        "results/figures/nuswide_predicted_tags.pdf",
    ]


# ---- pixie (pixie.smk) ----


wildcard_constraints:
    setting="all|heldout",
    visual="cnn|vae",
    map="lin|nn",


PIXIE_TABLES = [f"results/tables/pixie_table{n}.csv" for n in (2, 3, 4, 5, 6)]


def pixie_dir():
    """Folder of the PIXIE study's intermediates for the configured corpus."""
    return f"results/pixie/{config['pixie']['corpus']}"


def pixie_embedding(setting, name, suffix):
    """An embedding of the PIXIE study: `suffix` ".npy" or ".vocab.parquet". SGNS does not see
    images, so both settings share the one trained with all of them."""
    setting = "all" if name == "sgns" else setting
    return f"{pixie_dir()}/{setting}/embeddings/{name}{suffix}"


def pixie_embeddings(setting, names, suffix):
    """pixie_embedding for each of `names`, in order."""
    return [pixie_embedding(setting, name, suffix) for name in names]


def get_pixie_sgns(wildcards):
    """The SGNS vectors that concatenations and IV-SGNS build on."""
    return {
        "sgns": pixie_embedding("all", "sgns", ".npy"),
        "sgns_vocab": pixie_embedding("all", "sgns", ".vocab.parquet"),
    }


def get_pixie_visual_source(wildcards):
    """The visual word vectors of config `pixie: visual:` (words: results/words/; file: a
    CSV or NPY whose labels are words)."""
    visual = config["pixie"]["visual"]
    if visual["source"] == "words":
        base = f"results/words/{visual['dataset']}/{visual['kind']}"
        return {"vectors": f"{base}.npy", "words": f"{base}.words.parquet"}
    return {"vectors": visual["file"]}


def pixie_benchmarks():
    """Benchmarks of the PIXIE tables: config `pixie: benchmarks:`, or every configured one."""
    names = config["pixie"]["benchmarks"] or list(config["benchmarks"])
    unknown = [n for n in names if n not in config["benchmarks"]]
    if unknown:
        raise ValueError(f"pixie.benchmarks: {', '.join(unknown)} not in `benchmarks`")
    return names


def pixie_benchmark_files():
    """Parquet pairs of pixie_benchmarks(), in order."""
    return expand("results/data/wordsim/{b}.parquet", b=pixie_benchmarks())


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
    if config["datasets"].get(dataset, {}).get("source") == "flickr30k":
        inputs["captions"] = f"results/data/{dataset}/captions.parquet"
    return inputs


def pixie_training_state(wildcards, output):
    """Where a PIXIE / V-SGNS job keeps its per-epoch training state: beside its outputs but
    not one of them, so that a failed or interrupted job leaves it and the rerun resumes.
    """
    return f"{output.losses}.state.pt"


def pixie_retrieval_state(wildcards, output):
    """Where a retrieval job keeps its per-epoch training state, beside its metrics as
    pixie_training_state keeps PIXIE's."""
    return f"{output.metrics}.state.pt"
