# The NUS-WIDE study's Python helpers (input functions, its model slots), beside common.smk to keep
# that file short; the rules are in nuswide.smk.
from crossmodal.nuswide import names as nuswide_names
from crossmodal.nuswide.names import ALL_TAGS as NUSWIDE_ALL_TAGS
from crossmodal.nuswide.names import REPRESENTATIONS as NUSWIDE_REPRESENTATIONS
from crossmodal.nuswide.names import VARIANTS as NUSWIDE_VARIANTS


def nuswide_path(name):
    """File `name` of the NUS-WIDE study of the configured dataset (config `nuswide: dataset:`)."""
    return f"results/nuswide/{config['nuswide']['dataset']}/{name}"


def nuswide_data_path(name):
    """File `name` of the canonical tables of the study's dataset."""
    return f"results/data/{config['nuswide']['dataset']}/{name}"


def get_nuswide_bovw(wildcards):
    """The dataset's BoVW features at the study's codebook size (config `nuswide: codebook_k:`)."""
    k = config["nuswide"]["codebook_k"]
    base = f"results/features/{wildcards.dataset}/bovw_k{k}"
    return {"bovw": f"{base}.npy", "bovw_ids": f"{base}.ids.parquet"}


def get_nuswide_study_inputs(wildcards):
    """Inputs of prepare_nuswide_study: the image table, and the ground-truth concepts table
    when concepts come from it (`concept_source: labels`). No visual features: the tag-only
    stages hang below this job, and a SIFT setting must not rerun them.
    """
    inputs = {"images": f"results/data/{wildcards.dataset}/images.parquet"}
    if config["nuswide"]["concept_source"] == "labels":
        inputs["labels"] = f"results/data/{wildcards.dataset}/concepts.parquet"
    return inputs


# The model slot of each concept, known from the config before any data is read: concept<k>
# (models fitted without concept k's tags; `tag_removal: per_concept`) or the one slot
# without_concepts (`all_concepts`); and the distinct slots, one set of models each. all_tags is
# only for the nearest-tag figure.
NUSWIDE_CONCEPT_SLOTS = nuswide_names.concept_slots(
    config["nuswide"]["concepts"],
    config["nuswide"]["n_concepts"],
    config["nuswide"]["tag_removal"],
)
NUSWIDE_SLOTS = nuswide_names.model_slots(NUSWIDE_CONCEPT_SLOTS)
NUSWIDE_SLOT = nuswide_names.slot_pattern()


def get_nuswide_tag_data(wildcards):
    """The prepared tag tables every tag-only job reads (items, concepts, vocabulary, tags)."""
    base = f"results/nuswide/{wildcards.dataset}"
    return {
        "item_table": f"{base}/items.parquet",
        "concepts": f"{base}/concepts.parquet",
        "vocabulary": f"{base}/tag_vocabulary.parquet",
        "tags": f"{base}/tags.npy",
        "tag_ids": f"{base}/tags.ids.parquet",
    }


def nuswide_classifier_settings():
    """The concept classifier's settings (config `nuswide: classification:` without `threads`,
    which only sets how many processes fit it), for classification and mu's choice."""
    keys = ("cs", "folds", "seed", "max_iter")
    return {key: config["nuswide"]["classification"][key] for key in keys}


def get_nuswide_classify_inputs(wildcards):
    """What a representation's classification reads: the tag tables, the whitened SIFT if it
    reads it, and the models of every concept slot in slot order (tag vectors, LSA loadings or
    the representation's autoencoder; the joint network also reads its slot's tag vectors).
    """
    _, need, reads_sift = NUSWIDE_REPRESENTATIONS[wildcards.representation]
    base = f"results/nuswide/{wildcards.dataset}"
    inputs = get_nuswide_tag_data(wildcards)
    if reads_sift:
        inputs |= {
            "visual": f"{base}/sift.npy",
            "visual_ids": f"{base}/sift.ids.parquet",
        }

    def per_slot(name):
        return [f"{base}/{slot}/{name}" for slot in NUSWIDE_SLOTS]

    if need == "lsa":
        inputs |= {
            "lsa": per_slot("lsa.npy"),
            "lsa_words": per_slot("lsa.words.parquet"),
        }
    if need == "tag_vectors" or wildcards.representation == "joint":
        inputs |= {
            "tag_vectors": per_slot("tag_vectors.npy"),
            "tag_vector_words": per_slot("tag_vectors.words.parquet"),
        }
    if need == "autoencoder":
        inputs["autoencoders"] = per_slot(f"autoencoder/{wildcards.representation}.pt")
    return inputs
