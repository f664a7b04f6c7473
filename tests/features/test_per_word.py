"""Per-word visual vectors: exact averaging, hyponym backfill on the real WordNet 3.0, word choice,
homonyms, and clear errors for bad synsets and unknown words."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet
from crossmodal.features.per_word import (
    WORD_COLUMNS,
    average_word_features,
    image_dispersion,
    visual_vocabulary,
)
from crossmodal.text.vectors import WordVectors

DEBIAN_WORDNET = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory):
    if not (DEBIAN_WORDNET / "data.noun").is_file():
        pytest.skip("Debian WordNet (wordnet-base) not installed in /usr/share/wordnet")
    folder = tmp_path_factory.mktemp("wordnet") / "wordnet"
    prepare_wordnet("auto", DEBIAN_WORDNET, folder)
    return load_wordnet(folder)


# image_id, word, synset, feature row (small integers, so that every mean is exact in float32)
IMAGES = [
    ("img_dog", "dog", "dog.n.01", [6, 0, 0]),
    ("img_puppy", "puppy", "puppy.n.01", [0, 6, 0]),
    ("img_toy", "toy poodle", "toy_poodle.n.01", [0, 0, 6]),
    ("img_cat1", "cat", "cat.n.01", [1, 2, 3]),
    ("img_cat2", "cat", "cat.n.01", [3, 4, 5]),
    ("img_cat3", "kitty", "cat.n.01", [5, 6, 7]),
    ("img_car", "car", "car.n.01", [9, 9, 9]),
    ("img_bat1", "bat", "bat.n.01", [2, 2, 2]),
    ("img_bat2", "bat", "bat.n.01", [4, 4, 4]),
    ("img_club", "bat", "bat.n.05", [6, 6, 6]),
    ("img_club2", "bat", "bat.n.05", [8, 8, 8]),
    ("img_club3", "bat", "bat.n.05", [10, 10, 10]),
    ("img_none", "sun", None, [7, 7, 7]),
]


def _fixture(images=IMAGES, order=None):
    table = pd.DataFrame(
        {
            "image_id": [i[0] for i in images],
            "word": [i[1] for i in images],
            "synset": [i[2] for i in images],
        }
    )
    features = np.array([i[3] for i in images], dtype=np.float32)
    ids = table["image_id"]
    if order is not None:  # feature rows in another order than the image table
        features, ids = features[order], ids.iloc[order].reset_index(drop=True)
    return features, ids, table


def _average(wordnet, min_images=2, max_depth=3, backfill_below=None, **kwargs):
    features, ids, table = _fixture(**kwargs)
    return average_word_features(
        features, ids, table, wordnet, min_images, max_depth, backfill_below=backfill_below
    )


def test_mean_of_own_images_is_exact_and_joined_on_image_id(wordnet):
    order = np.random.default_rng(0).permutation(len(IMAGES))
    vectors, _ = _average(wordnet, order=order)
    np.testing.assert_array_equal(vectors.vector("cat"), [3, 4, 5])  # mean of the three cats
    assert vectors.matrix.dtype == np.float32
    assert list(vectors.table.columns) == list(WORD_COLUMNS)
    assert vectors.words == sorted(vectors.words)
    cat = vectors.table.set_index("word").loc["cat"]
    assert (cat.synset, cat.n_images, cat.backfilled, cat.n_backfill_images) == (
        "cat.n.01",
        3,
        False,
        0,
    )


def test_most_frequent_label_names_the_synset_and_others_are_kept(wordnet):
    vectors, summary = _average(wordnet)
    assert "kitty" not in vectors
    assert list(vectors.table.set_index("word").at["cat", "other_words"]) == ["kitty"]
    assert summary.synsets_with_several_words == 1


def test_word_with_too_few_images_borrows_nearest_hyponyms(wordnet):
    vectors, summary = _average(wordnet, min_images=2)
    dog = vectors.table.set_index("word").loc["dog"]
    # one own image plus the puppy (level 1) reaches two: the toy poodle (level 2) is not needed
    assert (dog.n_images, dog.backfilled, dog.n_backfill_images) == (1, True, 1)
    np.testing.assert_array_equal(vectors.vector("dog"), [3, 3, 0])
    # a lender keeps its own vector only if it has enough images itself
    assert "puppy" not in vectors and "toy poodle" not in vectors
    assert summary.backfilled == 1


def test_backfill_goes_deeper_when_needed_and_stops_at_max_depth(wordnet):
    vectors, _ = _average(wordnet, min_images=3, max_depth=3)
    np.testing.assert_array_equal(vectors.vector("dog"), [2, 2, 2])
    assert vectors.table.set_index("word").at["dog", "n_backfill_images"] == 2
    shallow, _ = _average(wordnet, min_images=3, max_depth=1)
    assert "dog" not in shallow
    none, _ = _average(wordnet, min_images=2, max_depth=0)
    assert "dog" not in none


def test_words_short_of_images_are_dropped_and_counted(wordnet):
    vectors, summary = _average(wordnet, min_images=2)
    assert "car" not in vectors  # one image, and no hyponym of car.n.01 has images
    assert summary.dropped_too_few_images == 3  # car, puppy, toy poodle
    assert summary.images_without_synset == 1
    assert summary.words == len(vectors)


def test_backfill_threshold_is_separate_from_the_minimum(wordnet):
    # Keep single-image words (min_images=1) but still let thin words borrow from hyponyms.
    vectors, summary = _average(wordnet, min_images=1, max_depth=3, backfill_below=3)
    assert "car" in vectors  # kept with its one image: nothing below car.n.01 has images
    dog = vectors.table.set_index("word").loc["dog"]
    assert dog.backfilled and dog.n_backfill_images == 2
    np.testing.assert_array_equal(vectors.vector("dog"), [2, 2, 2])
    assert summary.dropped_too_few_images == 0


def test_homonym_keeps_the_synset_with_more_images(wordnet):
    vectors, summary = _average(wordnet)
    bat = vectors.table.set_index("word").loc["bat"]
    assert bat.synset == "bat.n.05"
    np.testing.assert_array_equal(vectors.vector("bat"), [8, 8, 8])
    assert summary.dropped_homonyms == 1


def test_synset_alias_pools_with_its_canonical_name(wordnet):
    images = [*IMAGES, ("img_dog2", "dog", "domestic_dog.n.01", [8, 0, 0])]
    vectors, _ = _average(wordnet, images=images)
    dog = vectors.table.set_index("word").loc["dog"]
    assert (dog.synset, dog.n_images, dog.backfilled) == ("dog.n.01", 2, False)
    np.testing.assert_array_equal(vectors.vector("dog"), [7, 0, 0])


def test_images_without_features_are_skipped_and_counted(wordnet):
    features, ids, table = _fixture()
    keep = ids != "img_cat3"
    vectors, summary = average_word_features(
        features[keep.to_numpy()], ids[keep], table, wordnet, 2, 3
    )
    np.testing.assert_array_equal(vectors.vector("cat"), [2, 3, 4])
    assert summary.images_without_features == 1


@pytest.mark.bad_input
def test_bad_synset_names_the_synset_and_image(wordnet):
    images = [*IMAGES, ("img_x", "blorf", "blorf.n.01", [1, 1, 1])]
    with pytest.raises(InputError, match=r"blorf\.n\.01.*img_x"):
        _average(wordnet, images=images)
    verb = [*IMAGES, ("img_run", "run", "run.v.01", [1, 1, 1])]
    with pytest.raises(InputError, match=r"run\.v\.01.*noun"):
        _average(wordnet, images=verb)


@pytest.mark.bad_input
def test_round_trip_and_unknown_word_error(wordnet, tmp_path):
    vectors, _ = _average(wordnet)
    vectors.write(tmp_path / "k.npy", tmp_path / "k.words.parquet")
    back = WordVectors.read(tmp_path / "k.npy", tmp_path / "k.words.parquet", ["synset"])
    np.testing.assert_array_equal(back.rows(["dog", "cat"]), vectors.rows(["dog", "cat"]))
    assert back.table["backfilled"].tolist() == vectors.table["backfilled"].tolist()
    with pytest.raises(InputError, match=r"k\.npy.*'zebra'"):
        back.rows(["cat", "zebra"])


def test_visual_vocabulary_counts(wordnet):
    vectors, _ = _average(wordnet)
    report = visual_vocabulary({"cnn": vectors.table}, pd.Series(["dog", "cat", "tree"]))
    row = report.iloc[0]
    assert (row.visual_words, row.backfilled, row.in_text_vocabulary) == (3, 1, 2)
    assert (row.backfilled_in_text_vocabulary, row.text_vocabulary) == (1, 3)


def test_max_aggregation_takes_the_element_wise_maximum(wordnet):
    features, ids, table = _fixture()
    vectors, _ = average_word_features(features, ids, table, wordnet, 2, 3, aggregation="max")
    np.testing.assert_array_equal(vectors.vector("cat"), [5, 6, 7])
    np.testing.assert_array_equal(vectors.vector("dog"), [6, 6, 0])  # dog + the borrowed puppy
    mean, _ = average_word_features(features, ids, table, wordnet, 2, 3)
    assert mean.words == vectors.words
    # Same images, so the same dispersion, whichever way they are aggregated.
    pd.testing.assert_series_equal(mean.table["dispersion"], vectors.table["dispersion"])


def test_dispersion_is_the_mean_pairwise_cosine_distance(wordnet):
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(7, 5))
    rows[3] = 0  # a zero row counts as orthogonal to the others
    unit = [r / np.linalg.norm(r) if np.linalg.norm(r) else r for r in rows]
    pairs = [(i, j) for i in range(7) for j in range(i + 1, 7)]
    brute = np.mean([1 - unit[i] @ unit[j] for i, j in pairs])
    assert image_dispersion(rows) == pytest.approx(brute, rel=1e-12)
    assert image_dispersion(np.ones((4, 3))) == pytest.approx(0.0, abs=1e-12)
    assert np.isnan(image_dispersion(rows[:1]))
    vectors, _ = _average(wordnet)
    table = vectors.table.set_index("word")
    # cat: [1,2,3], [3,4,5], [5,6,7]; car: one image, no dispersion
    cats = np.array([[1, 2, 3], [3, 4, 5], [5, 6, 7]], np.float32)
    assert table.at["cat", "dispersion"] == pytest.approx(image_dispersion(cats))
    assert 0 < table.at["cat", "dispersion"] < 0.1


@pytest.mark.bad_input
def test_unknown_aggregation_is_an_input_error(wordnet):
    features, ids, table = _fixture()
    with pytest.raises(InputError, match=r"words.aggregation: unknown 'median'"):
        average_word_features(features, ids, table, wordnet, 2, 3, aggregation="median")
