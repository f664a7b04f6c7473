"""A small NUS-WIDE-like study for the per-slot fitting tests: whitened SIFT, a tag matrix whose
concept tags carry the concept, and three concepts (one with two removed tags, one with one, one
with none)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crossmodal.nuswide.preparation import whiten
from crossmodal.nuswide.study import StudyData

VOCABULARY = ["sky", "skys", "sea", "cloud", "tree", "sun", "cat", "road"]
N_TRAIN, N_TEST = 90, 40


def slot_study(seed: int = 0) -> StudyData:
    """Concepts sky (tags sky, skys), sea (tag sea) and dog (no tag); each concept shows in the
    visual features and, for sky and sea, in its own tags."""
    rng = np.random.default_rng(seed)
    n = N_TRAIN + N_TEST
    labels = {name: rng.random(n) < 0.35 for name in ("sky", "sea", "dog")}
    bovw = rng.random((n, 16))
    bovw[:, 0] += 2.0 * labels["sky"]
    bovw[:, 1] += 2.0 * labels["sea"]
    bovw[:, 2] += 2.0 * labels["dog"]
    bovw /= bovw.sum(axis=1, keepdims=True)
    split = np.array(["train"] * N_TRAIN + ["test"] * N_TEST)
    visual, _ = whiten(bovw, split == "train", 10, seed=0)
    tags = (rng.random((n, len(VOCABULARY))) < 0.3).astype(np.float32)
    tags[:, 0] = labels["sky"] & (rng.random(n) < 0.8)
    tags[:, 1] = labels["sky"] & (rng.random(n) < 0.3)
    tags[:, 2] = labels["sea"] & (rng.random(n) < 0.8)
    tags[:, 3] = np.maximum(tags[:, 3], labels["sky"] & (rng.random(n) < 0.5))  # co-occurs
    items = pd.DataFrame({"image_id": [f"i{i}" for i in range(n)], "split": split})
    for name, values in labels.items():
        items[name] = values
    concepts = pd.DataFrame(
        {
            "concept": ["sky", "sea", "dog"],
            "removed_tags": ["sky skys", "sea", ""],
            "train_positives": [int(labels[c][:N_TRAIN].sum()) for c in ("sky", "sea", "dog")],
            "test_positives": [int(labels[c][N_TRAIN:].sum()) for c in ("sky", "sea", "dog")],
        }
    )
    return StudyData(items, concepts, tags, list(VOCABULARY), visual)


def with_tags(data: StudyData, columns: list[int], seed: int) -> StudyData:
    """The same study with the tag ``columns`` replaced by other random 0/1 values."""
    tags = data.tags.copy()
    rng = np.random.default_rng(seed)
    tags[:, columns] = (rng.random((len(tags), len(columns))) < 0.5).astype(np.float32)
    return StudyData(data.items, data.concepts, tags, data.vocabulary, data.visual)
