"""The canonical image table of the stamps: one row per stamp with its word, synset, caption,
tags and a stable train/test split, and a summary of counts describing it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

import pandas as pd
from nltk.corpus.reader.wordnet import WordNetCorpusReader

from crossmodal.core.errors import InputError
from crossmodal.data.tuxpaint.mapper import WordMapper
from crossmodal.data.tuxpaint.stamps import find_stamps, read_caption
from crossmodal.data.tuxpaint.tokens import caption_tags


def stable_split(
    image_ids: Sequence[str], categories: Sequence[str], test_fraction: float, seed: int
) -> list[str]:
    """ "train"/"test" for each image: within each category, the ``round(test_fraction * n)``
    images with the smallest seeded hash of their id are test.

    Hashing ids rather than drawing from one random stream keeps an image's side fixed when
    other categories gain or lose stamps, and needs no class to have two members (scikit-learn's
    stratified splitters do).
    """
    if not 0 < test_fraction < 1:
        raise InputError(f"test_fraction: expected a number in (0, 1), got {test_fraction}")
    frame = pd.DataFrame({"image_id": image_ids, "category": categories})
    frame["key"] = [
        hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=8).hexdigest() for i in image_ids
    ]
    rank = frame.groupby("category")["key"].rank(method="first")
    size = frame.groupby("category")["key"].transform("size")
    n_test = (size * test_fraction).round()
    return ["test" if r <= n else "train" for r, n in zip(rank, n_test, strict=True)]


def build_image_table(
    stamps_dir: str | os.PathLike[str],
    wordnet: WordNetCorpusReader,
    test_fraction: float,
    seed: int,
    exclude: Sequence[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The canonical image table of the stamps and a one-row-per-count summary of it."""
    stamps, skipped = find_stamps(stamps_dir, exclude)
    mapper = WordMapper(wordnet)
    rows = []
    for stamp in stamps:
        caption = read_caption(stamp.caption_path)
        category = stamp.image_id.split("/", 1)[0]
        match = mapper.map(stamp.image_id, caption, category)
        rows.append(
            {
                "image_id": stamp.image_id,
                "path": str(stamp.path),
                "word": match.word,
                "synset": match.synset,
                "category": category,
                "caption": caption,
                "tags": caption_tags(caption),
                "split": None,
                "source": match.source,
            }
        )
    table = pd.DataFrame(rows)
    table["split"] = stable_split(table["image_id"], table["category"], test_fraction, seed)
    summary = summary_counts(table, skipped)
    table = table.drop(columns="source").astype(
        {
            c: "string"
            for c in ("image_id", "path", "word", "synset", "category", "caption", "split")
        }
    )
    return table, summary


def summary_counts(table: pd.DataFrame, skipped: dict[str, int]) -> pd.DataFrame:
    """Counts describing an image table (and what was left out of it) as a two-column frame."""
    counts = {
        "images": len(table),
        "images_with_word": int(table["word"].notna().sum()),
        "images_with_synset": int(table["synset"].notna().sum()),
        "images_without_caption": int(table["caption"].isna().sum()),
        "distinct_words": int(table["word"].nunique()),
        "distinct_words_with_synset": int(table.loc[table["synset"].notna(), "word"].nunique()),
        "distinct_synsets": int(table["synset"].nunique()),
        "categories": int(table["category"].nunique()),
        "test_images": int((table["split"] == "test").sum()),
    }
    for source, n in table["source"].value_counts().sort_index().items():
        counts[f"word_from_{source}"] = int(n)
    counts.update({f"skipped_{k}": v for k, v in skipped.items()})
    return pd.DataFrame({"count": list(counts.keys()), "value": list(counts.values())})
