"""Names of the NUS-WIDE study's representations, autoencoder variants and model slots, in a module
with no heavy imports: the workflow reads them while it parses (wildcard patterns, input
functions), and importing torch or scikit-learn there would add seconds to every `snakemake -n`."""

from crossmodal.core.errors import InputError

#: Representation -> (label in tables and figures, the fitted model it needs or None, whether it
#: reads the whitened SIFT). The labels are the paper's row names of its Table 2.
REPRESENTATIONS: dict[str, tuple[str, str | None, bool]] = {
    "tags": ("raw tags", None, False),
    "sift": ("SIFT", None, True),
    "tags_sift": ("raw tags + SIFT", None, True),
    "tag_vectors": ("semantic word vectors", "tag_vectors", False),
    "lsa": ("LSA", "lsa", False),
    "joint": ("joint", "autoencoder", True),
    "crossmodal1": ("Cross-Modal I", "autoencoder", True),
    "crossmodal2": ("Cross-Modal II", "autoencoder", True),
}
#: Autoencoder variant -> (whether the text features go in, whether the visual features must come
#: out). The text features always come out; mu weighs them only where both parts come out.
VARIANTS: dict[str, tuple[bool, bool]] = {
    "joint": (True, True),
    "crossmodal1": (False, False),
    "crossmodal2": (False, True),
}
#: The model slot of models fitted on every tag (the nearest-tag figure; never classified).
ALL_TAGS = "all_tags"
#: Prefix of the slot of concept k (row k of the concepts table): models fitted without its tags.
CONCEPT_SLOT = "concept"
#: The one slot of ``tag_removal: all_concepts``: models fitted without every concept's tags.
WITHOUT_CONCEPTS = "without_concepts"
#: How concept tags are kept out of the models (config ``nuswide: tag_removal:``): per_concept,
#: one set of models per concept without its own tags (the paper); all_concepts, every concept's
#: tags removed from the dictionary once, before any fitting, one set of models for all.
TAG_REMOVAL = ("per_concept", "all_concepts")


def concept_slot(index: int) -> str:
    """The model slot of the concept in row ``index`` of the concepts table."""
    return f"{CONCEPT_SLOT}{index}"


def slot_pattern() -> str:
    """Wildcard regex matching every model slot."""
    return rf"({CONCEPT_SLOT}\d+|{WITHOUT_CONCEPTS}|{ALL_TAGS})"


def concept_slots(concepts: list[str], n_concepts: int, tag_removal: str) -> list[str]:
    """The model slot each concept is classified with, in concept order, known before any data
    is read: one per configured concept (or ``n_concepts`` when the most frequent are chosen
    from the data) for ``per_concept``, the one shared slot for ``all_concepts``."""
    if tag_removal not in TAG_REMOVAL:
        raise InputError(f"nuswide.tag_removal: {tag_removal!r} is not one of {TAG_REMOVAL}")
    count = len(concepts) or n_concepts
    if tag_removal == "all_concepts":
        return [WITHOUT_CONCEPTS] * count
    return [concept_slot(k) for k in range(count)]


def model_slots(slots: list[str]) -> list[str]:
    """The distinct slots of :func:`concept_slots`, in order: one set of models each."""
    return list(dict.fromkeys(slots))
