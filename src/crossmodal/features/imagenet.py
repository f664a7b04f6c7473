"""ImageNet-1k classes as WordNet 3.0 synsets, and a check of pretrained weights that a user can
read: how often an ImageNet classifier's top-1 / top-5 classes agree with the WordNet synset the
image table gives a picture.

The 1,000 classes are WordNet noun synsets (their list, with its public source, is the packaged
file ``data/imagenet1k_synsets.txt``). A picture can be checked when its synset is an ImageNet
class or a hyponym of one (an "Arabian camel" stamp under class "Arabian camel", a "cocker
spaniel" under "cocker spaniel", a "poodle" under none: "poodle" is the hypernym of three
classes, and which of them the stamp shows is not known). A prediction agrees when it is one of
the classes that are the synset or its hypernyms. A wrong preprocessing or a broken weight
load shows up here as agreement near chance, which the table states beside it.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np
import pandas as pd
from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader, WordNetError

from crossmodal.core.errors import InputError
from crossmodal.features.pretrained_cnn import class_scores

log = logging.getLogger(__name__)

CLASSES = 1000
SYNSETS_FILE = "imagenet1k_synsets.txt"


@functools.cache
def imagenet_wnids() -> tuple[str, ...]:
    """The WordNet ids ("n" + 8-digit noun offset) of the 1,000 classes, in class order."""
    text = resources.files("crossmodal.features").joinpath("data", SYNSETS_FILE).read_text()
    wnids = tuple(line for line in text.splitlines() if line and not line.startswith("#"))
    if len(wnids) != CLASSES or len(set(wnids)) != CLASSES:
        raise InputError(f"{SYNSETS_FILE}: expected {CLASSES} distinct ids, got {len(wnids)}")
    return wnids


def imagenet_synsets(wordnet: WordNetCorpusReader) -> list[Synset]:
    """The classes' synsets, in class order (the WordNet must be 3.0, whose offsets they are)."""
    try:
        return [wordnet.synset_from_pos_and_offset("n", int(w[1:])) for w in imagenet_wnids()]
    except (WordNetError, ValueError) as err:
        raise InputError(
            f"{SYNSETS_FILE}: an ImageNet class is not a noun of this WordNet (3.0 needed): {err}"
        ) from err


def class_name(synset: Synset) -> str:
    """A class's readable name: its synset's first lemma ("Arabian camel")."""
    return synset.lemmas()[0].name().replace("_", " ")


def accepted_classes(synset: Synset, class_of: dict[str, int]) -> list[int]:
    """Classes a picture of ``synset`` may be given: the synset itself and its hypernyms
    (instance hypernyms included) that are ImageNet classes, in class order."""
    lineage = {synset, *synset.closure(lambda s: s.hypernyms() + s.instance_hypernyms())}
    return sorted(class_of[s.name()] for s in lineage if s.name() in class_of)


def chance_hit(accepted: int, k: int) -> float:
    """Probability that ``k`` classes drawn at random include one of ``accepted`` classes."""
    return 1.0 - math.comb(CLASSES - accepted, k) / math.comb(CLASSES, k)


def imagenet_agreement(
    scores: np.ndarray,
    score_ids: Sequence[str],
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    top: Sequence[int] = (1, 5),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, per image) agreement of class ``scores`` (one row of 1,000 per image
    ``score_ids[i]``, in class order) with the synsets of the image table (``image_id``,
    ``word``, ``synset``).

    Per image whose synset is an ImageNet class or a hyponym of one: its accepted classes, the
    predicted class, the rank (0 = first) of the best-ranked accepted class and ``top_<k>``.
    Summary (one row): images with a synset, images checked, distinct accepted classes, and per
    ``k`` the share of checked images with an accepted class in the top ``k`` and its chance.
    """
    if scores.ndim != 2 or scores.shape[1] != CLASSES:
        raise InputError(f"ImageNet scores: expected {CLASSES} columns, got shape {scores.shape}")
    if len(score_ids) != len(scores):
        raise InputError(f"ImageNet scores: {len(score_ids)} ids for {len(scores)} rows")
    classes = imagenet_synsets(wordnet)
    class_of = {s.name(): i for i, s in enumerate(classes)}
    row_of = {str(image_id): row for row, image_id in enumerate(score_ids)}
    labelled = images[images["synset"].notna() & images["image_id"].astype(str).isin(row_of)]
    rows = []
    seen: set[int] = set()
    for image_id, word, name in zip(
        labelled["image_id"].astype(str), labelled["word"], labelled["synset"], strict=True
    ):
        try:
            accepted = accepted_classes(wordnet.synset(name), class_of)
        except (WordNetError, ValueError) as err:
            raise InputError(f"image {image_id!r}: synset {name!r} is not in WordNet") from err
        if not accepted:
            continue
        seen.update(accepted)
        ranking = np.argsort(-scores[row_of[image_id]], kind="stable")
        rank = int(np.flatnonzero(np.isin(ranking, accepted))[0])
        rows.append(
            {
                "image_id": image_id,
                "word": word,
                "synset": name,
                "imagenet_classes": "; ".join(class_name(classes[c]) for c in accepted),
                "predicted": class_name(classes[ranking[0]]),
                "rank": rank,
                "n_accepted": len(accepted),
                **{f"top_{k}": rank < k for k in top},
            }
        )
    per_image = pd.DataFrame(rows)
    summary: dict[str, float | int] = {
        "images_with_synset": len(labelled),
        "images_checked": len(per_image),
        "classes": len(seen),
    }
    for k in top:
        hits = [r[f"top_{k}"] for r in rows]
        chances = [chance_hit(r["n_accepted"], k) for r in rows]
        summary[f"top_{k}"] = float(np.mean(hits)) if rows else math.nan
        summary[f"chance_top_{k}"] = float(np.mean(chances)) if rows else math.nan
    log.info("ImageNet agreement: %s", summary)
    return pd.DataFrame([summary]), per_image


def agreement_by_kind(
    scores: Mapping[str, tuple[np.ndarray, Sequence[str]]],
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    top: Sequence[int] = (1, 5),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`imagenet_agreement` of each feature kind of class scores (kind -> (scores, image
    ids)), stacked with a ``kind`` column first: one summary row per kind, and the per-image
    rows. With no kind (no ImageNet classifier configured) both tables are empty."""
    summaries, details = [], []
    for kind, (matrix, ids) in scores.items():
        summary, per_image = imagenet_agreement(matrix, ids, images, wordnet, top)
        summaries.append(summary.assign(kind=kind))
        details.append(per_image.assign(kind=kind))
    if not summaries:
        columns = ["images_with_synset", "images_checked", "classes"]
        columns += [f"{name}_{k}" for k in top for name in ("top", "chance_top")]
        return pd.DataFrame(columns=["kind", *columns]), pd.DataFrame(columns=["kind"])
    return _kind_first(pd.concat(summaries)), _kind_first(pd.concat(details))


def classifier_agreement(
    features: Mapping[str, tuple[str, np.ndarray, Sequence[str]]],
    images: pd.DataFrame,
    wordnet: WordNetCorpusReader,
    top: Sequence[int] = (1, 5),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`agreement_by_kind` of the class scores that each pretrained network's own
    classifier gives its pooled features (kind -> (arch, pooled features, image ids))."""
    scores = {
        kind: (class_scores(arch, pooled), ids) for kind, (arch, pooled, ids) in features.items()
    }
    return agreement_by_kind(scores, images, wordnet, top)


def _kind_first(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``kind`` column moved to the front and a fresh row index."""
    return table[["kind", *[c for c in table.columns if c != "kind"]]].reset_index(drop=True)
