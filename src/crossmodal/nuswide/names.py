"""Names of the NUS-WIDE study's representations, autoencoder variants and model slots, in a module
with no heavy imports: the workflow reads them while it parses (wildcard patterns, input
functions), and importing torch or scikit-learn there would add seconds to every `snakemake -n`."""

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


def concept_slot(index: int) -> str:
    """The model slot of the concept in row ``index`` of the concepts table."""
    return f"{CONCEPT_SLOT}{index}"


def slot_pattern() -> str:
    """Wildcard regex matching every model slot."""
    return rf"({CONCEPT_SLOT}\d+|{ALL_TAGS})"


def concept_slots(concepts: list[str], n_concepts: int) -> list[str]:
    """The model slots of the study's concepts, known before any data is read: one per
    configured concept, or ``n_concepts`` when the most frequent are chosen from the data."""
    return [concept_slot(k) for k in range(len(concepts) or n_concepts)]
