"""Names of the NUS-WIDE study's representations and autoencoder variants, in a module with no
heavy imports: the workflow reads them while it parses (wildcard patterns, input functions), and
importing torch or scikit-learn there would add seconds to every `snakemake -n`."""

#: Representation -> (label in tables and figures, the fitted model it needs or None).
REPRESENTATIONS: dict[str, tuple[str, str | None]] = {
    "tags": ("raw tags", None),
    "sift": ("SIFT", None),
    "tags_sift": ("tags + SIFT", None),
    "tag_vectors": ("semantic word vectors", "tag_vectors"),
    "lsa": ("LSA", "lsa"),
    "joint": ("joint", "autoencoder"),
    "crossmodal1": ("Cross-Modal I", "autoencoder"),
    "crossmodal2": ("Cross-Modal II", "autoencoder"),
}
#: Autoencoder variant -> (whether the tags go in, weight of the visual part of the reconstruction).
VARIANTS: dict[str, tuple[bool, float]] = {
    "joint": (True, 1.0),
    "crossmodal1": (False, 0.0),
    "crossmodal2": (False, 1.0),
}
