"""Visual words as the PIXIE paper builds them, on the real WordNet 3.0: every covered noun sense,
at most `per_word` images, hypernym backfill level by level, and only the images of the splits
asked for (no test image's feature reaches a word vector)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet
from crossmodal.features.word_senses import SENSE_COLUMNS, sense_word_features

DEBIAN_WORDNET = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory: pytest.TempPathFactory) -> object:
    if not (DEBIAN_WORDNET / "data.noun").is_file():
        pytest.skip("Debian WordNet (wordnet-base) not installed in /usr/share/wordnet")
    folder = tmp_path_factory.mktemp("wordnet") / "wordnet"
    prepare_wordnet("auto", DEBIAN_WORDNET, folder)
    return load_wordnet(folder)


# image_id, synset, split, feature (small integers: every mean is exact in float32)
IMAGES = [
    ("bat_animal", "bat.n.01", "train", [2, 0, 0]),
    ("bat_club", "bat.n.05", "train", [4, 0, 0]),
    ("bat_test", "bat.n.01", "test", [1000, 1000, 1000]),
    ("dog1", "dog.n.01", "train", [0, 6, 0]),
    ("dog2", "dog.n.01", "train", [0, 2, 0]),
    ("canine", "canine.n.02", "train", [0, 0, 9]),
    ("carnivore", "carnivore.n.01", "train", [0, 0, 3]),
    ("puppy_test", "puppy.n.01", "test", [1000, 1000, 1000]),
    ("no_synset", None, "train", [5, 5, 5]),
]


def _inputs() -> tuple[np.ndarray, pd.Series, pd.DataFrame]:
    table = pd.DataFrame(
        {
            "image_id": [i[0] for i in IMAGES],
            "synset": [i[1] for i in IMAGES],
            "split": [i[2] for i in IMAGES],
        }
    )
    features = np.array([i[3] for i in IMAGES], dtype=np.float32)
    order = np.arange(len(IMAGES))[::-1]  # feature rows in another order than the table
    return features[order], table["image_id"].iloc[order].reset_index(drop=True), table


def test_every_covered_sense_counts_and_test_images_never_do(wordnet: object) -> None:
    features, ids, images = _inputs()
    words = ["bats", "puppy", "idea", "dog"]
    vectors = sense_word_features(words, features, ids, images, wordnet, 1000, 0, ["train"])
    assert list(vectors.table.columns) == list(SENSE_COLUMNS)
    # "bats" reaches bat.n.01 and bat.n.05 through NLTK's lemmatiser; "puppy" has only a test
    # image, so it is no visual word; "idea" has no image at all.
    assert vectors.words == ["bats", "dog"]
    np.testing.assert_array_equal(vectors.vector("bats"), [3, 0, 0])
    assert vectors.table.loc[0, "senses"] == "bat.n.01,bat.n.05"
    assert (vectors.matrix < 1000).all()
    with_test = sense_word_features(words, features, ids, images, wordnet, 1000, 0)
    assert with_test.words == ["bats", "puppy", "dog"]
    np.testing.assert_allclose(with_test.vector("bats"), [1006 / 3, 1000 / 3, 1000 / 3])


def test_hypernyms_fill_up_a_word_level_by_level(wordnet: object) -> None:
    features, ids, images = _inputs()
    dog = sense_word_features(["dog"], features, ids, images, wordnet, 1000, 1, ["train"])
    # dog.n.01's direct hypernyms are canine.n.02 and domestic_animal.n.01: canine lends.
    np.testing.assert_allclose(dog.vector("dog"), [0, 8 / 3, 3])
    assert dog.table.loc[0, "n_images"] == 2 and dog.table.loc[0, "n_backfill_images"] == 1
    deeper = sense_word_features(["dog"], features, ids, images, wordnet, 1000, 2, ["train"])
    np.testing.assert_allclose(deeper.vector("dog"), [0, 2, 3])
    # Three images are enough: the walk stops at the first level that reaches them.
    enough = sense_word_features(["dog"], features, ids, images, wordnet, 3, 2, ["train"])
    np.testing.assert_allclose(enough.vector("dog"), [0, 8 / 3, 3])


def test_at_most_per_word_images_are_drawn(wordnet: object) -> None:
    features, ids, images = _inputs()
    one = sense_word_features(["bat", "dog"], features, ids, images, wordnet, 1, 3, ["train"])
    assert list(one.table["n_images"]) == [1, 1] and not one.table["backfilled"].any()
    assert one.vector("bat")[0] in (2, 4) and one.vector("dog")[1] in (6, 2)
    again = sense_word_features(["dog"], features, ids, images, wordnet, 1, 3, ["train"])
    np.testing.assert_array_equal(again.vector("dog"), one.vector("dog"))
    with pytest.raises(InputError, match="images per word"):
        sense_word_features(["dog"], features, ids, images, wordnet, 0, 3)
