"""The category-neighbour measure of visual meaning: exact cosine neighbours, agreement against
its chance level, word categories, and the visual-vocabulary report built from them."""

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.features.visual_meaning import (
    category_agreement,
    dispersion_extremes,
    nearest_words,
    vocabulary_report,
    word_categories,
)
from crossmodal.text.vectors import WordVectors


def _vectors(matrix, words, **columns):
    table = pd.DataFrame({"word": words, "backfilled": False, **columns})
    return WordVectors(np.asarray(matrix, np.float32), table)


def test_nearest_words_by_cosine_without_the_word_itself():
    matrix = np.array([[1, 0], [10, 1], [0, 1], [1, 1], [-1, 0], [0, 0]], np.float32)
    found = nearest_words(matrix, 2)
    assert found[0].tolist() == [1, 3]  # cosine ignores length: [10, 1] is nearest [1, 0]
    assert found[2].tolist() == [3, 1]
    assert 0 not in found[0] and 2 not in found[2]
    # The zero row has cosine 0 with all: ties go to the lower row number.
    assert found[5].tolist() == [0, 1]
    rng = np.random.default_rng(0)
    big = rng.normal(size=(1500, 8)).astype(np.float32)  # more rows than one block
    unit = big / np.linalg.norm(big, axis=1, keepdims=True)
    scores = unit @ unit.T
    np.fill_diagonal(scores, -np.inf)
    np.testing.assert_array_equal(nearest_words(big, 3), np.argsort(-scores, axis=1)[:, :3])
    with pytest.raises(InputError, match=r"between 1 and 5"):
        nearest_words(matrix, 6)


def test_agreement_is_one_for_separated_categories_and_near_chance_for_noise():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(60)]
    labels = ["a"] * 30 + ["b"] * 20 + ["c"] * 10
    centres = {"a": [10, 0, 0], "b": [0, 10, 0], "c": [0, 0, 10]}
    clustered = np.array([centres[c] for c in labels]) + rng.normal(size=(60, 3))
    categories = pd.Series(labels, index=words)
    result = category_agreement(_vectors(clustered, words), categories, 5)
    chance = (30 * 29 + 20 * 19 + 10 * 9) / 59 / 60
    assert result.agreement == 1.0 and result.chance == pytest.approx(chance)
    assert (result.words, result.categories, result.k) == (60, 3, 5)
    noise = category_agreement(_vectors(rng.normal(size=(60, 50)), words), categories, 5)
    assert abs(noise.agreement - chance) < 0.15
    # Words without a category are left out; one category alone has nothing to tell apart.
    partial = categories.drop(["w0", "w1"])
    assert category_agreement(_vectors(clustered, words), partial, 5).words == 58
    one = pd.Series("a", index=words)
    assert category_agreement(_vectors(clustered, words), one, 5) is None


def test_a_word_takes_the_most_frequent_category_of_its_images():
    images = pd.DataFrame(
        {
            "word": ["bat", "bat", "bat", "cup", "cup", "sun", None],
            "category": ["sports", "animals", "animals", "household", "food", None, "space"],
        }
    )
    assert word_categories(images).to_dict() == {
        "bat": "animals",
        "cup": "food",  # a tie: alphabetical
    }


def test_report_adds_agreement_and_dispersion_to_the_counts():
    words = ["ant", "bee", "cow", "dog", "elk", "fox", "gnu"]
    matrix = np.array([[1, 0]] * 3 + [[0, 1]] * 4, np.float32) + np.arange(7)[:, None] * 0.01
    dispersion = [0.5, 0.1, np.nan, 0.9, 0.3, 0.2, 0.7]
    vectors = {"cnn": _vectors(matrix, words, dispersion=dispersion)}
    images = pd.DataFrame(
        {"word": words, "category": ["insects"] * 2 + ["mammals"] * 5, "image_id": words}
    )
    report = vocabulary_report(vectors, pd.Series(["ant", "cow", "sun"]), images, 2, 2)
    row = report.iloc[0]
    assert (row.kind, row.visual_words, row.in_text_vocabulary) == ("cnn", 7, 2)
    # ant, bee and cow point one way, the four others the other: cow's neighbours are insects
    assert row.same_category_k2 == pytest.approx((2 * 0.5 + 1 * 0 + 4 * 1) / 7)
    assert row.chance_k2 == pytest.approx((2 * 1 / 6 + 5 * 4 / 6) / 7)
    assert row.most_dispersed == "dog (0.90), gnu (0.70)"
    assert row.least_dispersed == "bee (0.10), fox (0.20)"
    assert row.median_dispersion == pytest.approx(0.4)
    assert dispersion_extremes(pd.DataFrame({"word": ["a"]}), 3) == ("", "")
