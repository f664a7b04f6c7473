"""ImageNet-1k classes as WordNet 3.0 synsets (the packaged list against the real WordNet) and the
top-1 / top-5 agreement of class scores with the synsets of an image table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet
from crossmodal.features.imagenet import (
    accepted_classes,
    agreement_by_kind,
    chance_hit,
    imagenet_agreement,
    imagenet_synsets,
    imagenet_wnids,
)

DEBIAN_WORDNET = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory):
    if not (DEBIAN_WORDNET / "data.noun").is_file():
        pytest.skip("Debian WordNet (wordnet-base) not installed in /usr/share/wordnet")
    folder = tmp_path_factory.mktemp("wordnet") / "wordnet"
    prepare_wordnet("auto", DEBIAN_WORDNET, folder)
    return load_wordnet(folder)


@pytest.fixture(scope="module")
def class_of(wordnet):
    return {s.name(): i for i, s in enumerate(imagenet_synsets(wordnet))}


def test_the_thousand_classes_are_wordnet_30_nouns_in_class_order(wordnet):
    wnids = imagenet_wnids()
    assert len(wnids) == 1000 and list(wnids) == sorted(set(wnids))
    synsets = imagenet_synsets(wordnet)
    assert len({s.name() for s in synsets}) == 1000
    named = {0: "tench.n.01", 9: "ostrich.n.02", 354: "arabian_camel.n.01", 362: "badger.n.02"}
    assert {i: synsets[i].name() for i in named} == named
    assert synsets[999].name() == "toilet_tissue.n.01"


def test_a_synset_accepts_itself_and_its_hypernyms_that_are_classes(wordnet, class_of):
    assert accepted_classes(wordnet.synset("badger.n.02"), class_of) == [362]
    # rainbow lorikeet is a kind of lorikeet (class 90), not a class itself
    lorikeet = class_of["lorikeet.n.01"]
    assert accepted_classes(wordnet.synset("rainbow_lorikeet.n.01"), class_of) == [lorikeet]
    # poodle is the hypernym of three classes: which one a picture shows is unknown
    assert accepted_classes(wordnet.synset("poodle.n.01"), class_of) == []


def test_chance_of_a_hit_among_k_random_classes():
    assert chance_hit(1, 1) == pytest.approx(0.001)
    assert chance_hit(1, 5) == pytest.approx(0.005)
    missed = (998 * 997 * 996 * 995 * 994) / (1000 * 999 * 998 * 997 * 996)
    assert chance_hit(2, 5) == pytest.approx(1 - missed)


def test_agreement_counts_checked_images_and_ranks(wordnet, class_of):
    images = pd.DataFrame(
        {
            "image_id": ["camel", "badger", "lorikeet", "poodle", "sun", "unscored"],
            "word": ["camel", "badger", "lorikeet", "poodle", "sun", "badger"],
            "synset": [
                "arabian_camel.n.01",
                "badger.n.02",
                "rainbow_lorikeet.n.01",
                "poodle.n.01",
                None,
                "badger.n.02",
            ],
        }
    )
    ids = ["sun", "poodle", "lorikeet", "badger", "camel"]  # another order than the table
    scores = np.zeros((5, 1000), np.float32)
    scores[4, 354] = 9  # camel: right at rank 0
    scores[3, [1, 2, 3]] = [9, 8, 7]  # badger: three wrong classes first, then badger
    scores[3, 362] = 6
    scores[2, np.arange(100, 110)] = 5  # lorikeet: not in the top 10
    summary, per_image = imagenet_agreement(scores, ids, images, wordnet)
    assert per_image.set_index("image_id")["rank"].to_dict() == {
        "camel": 0,
        "badger": 3,
        # after the ten scored classes, ties (score 0) in class order: lorikeet is class 90
        "lorikeet": 10 + class_of["lorikeet.n.01"],
    }
    row = summary.iloc[0]
    assert (row.images_with_synset, row.images_checked, row.classes) == (4, 3, 3)
    assert row.top_1 == pytest.approx(1 / 3) and row.top_5 == pytest.approx(2 / 3)
    assert row.chance_top_1 == pytest.approx(0.001) and row.chance_top_5 == pytest.approx(0.005)
    assert per_image.set_index("image_id").at["camel", "predicted"] == "Arabian camel"


@pytest.mark.bad_input
def test_scores_of_the_wrong_shape_are_refused(wordnet):
    images = pd.DataFrame({"image_id": ["a"], "word": ["badger"], "synset": ["badger.n.02"]})
    with pytest.raises(InputError, match=r"expected 1000 columns"):
        imagenet_agreement(np.zeros((1, 1280)), ["a"], images, wordnet)
    with pytest.raises(InputError, match=r"2 ids for 1 rows"):
        imagenet_agreement(np.zeros((1, 1000)), ["a", "b"], images, wordnet)


def test_agreement_by_kind_stacks_one_row_per_classifier(wordnet):
    images = pd.DataFrame({"image_id": ["a"], "word": ["badger"], "synset": ["badger.n.02"]})
    right, wrong = np.zeros((1, 1000)), np.zeros((1, 1000))
    right[0, 362], wrong[0, 0] = 1, 1
    summary, per_image = agreement_by_kind(
        {"cnn_good_logits": (right, ["a"]), "cnn_bad_logits": (wrong, ["a"])}, images, wordnet
    )
    assert summary["kind"].tolist() == ["cnn_good_logits", "cnn_bad_logits"]
    assert summary["top_1"].tolist() == [1.0, 0.0] and list(summary.columns)[0] == "kind"
    assert per_image["predicted"].tolist() == ["badger", "tench"]
    empty, _ = agreement_by_kind({}, images, wordnet)
    assert empty.empty and "top_5" in empty.columns
