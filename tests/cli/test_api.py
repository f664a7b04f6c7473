"""The public Python API (``from crossmodal import ...``): the workflow's functions under the
documented names, loaded on first use, with the chance level they print."""

import numpy as np
import pandas as pd
import pytest

import crossmodal
from crossmodal import (
    chance_mnno,
    evaluate_word_similarity,
    knn,
    mnno,
    neighbour_table,
    overlaps,
    read_vectors,
)
from crossmodal.core.errors import InputError
from crossmodal.metrics import neighbours
from crossmodal.metrics.similarity import benchmark_scores, cover, spearman
from crossmodal.text.vectors import WordVectors


def test_every_public_name_resolves_and_is_listed():
    assert set(crossmodal.__all__) == {"__version__", *crossmodal._EXPORTS}
    for name in crossmodal.__all__:
        assert getattr(crossmodal, name) is not None
    assert set(crossmodal.__all__) <= set(dir(crossmodal))
    with pytest.raises(AttributeError, match="no attribute 'nnmo'"):
        crossmodal.nnmo  # noqa: B018


@pytest.mark.parametrize("include_self", [False, True])
def test_the_measures_are_the_workflows(include_self):
    rng = np.random.default_rng(8)
    a, b = rng.standard_normal((90, 12)), rng.standard_normal((90, 7))
    lists = neighbours.neighbour_lists(a, 6, "euclidean", "a", include_self)
    np.testing.assert_array_equal(knn(a, 6, "euclidean", include_self), lists)
    expected = neighbours.mnno(a, b, 6, "cosine", include_self)
    assert mnno(a, b, 6, include_self=include_self) == expected
    result = overlaps(a, b, 6, include_self=include_self)
    assert result.mnno == expected
    assert result.chance == chance_mnno(90, 6, include_self)


@pytest.mark.parametrize("include_self", [False, True])
def test_unrelated_sets_score_the_chance_level_on_average(include_self):
    """K/(N-1) without the row itself; (1 + (K-1)^2/(N-1))/K when it counts as a neighbour."""
    rng = np.random.default_rng(0)
    scores = [
        mnno(rng.standard_normal((60, 8)), rng.standard_normal((60, 8)), 5, "cosine", include_self)
        for _ in range(40)
    ]
    expected = (1 + 16 / 59) / 5 if include_self else 5 / 59
    assert chance_mnno(60, 5, include_self) == pytest.approx(expected)
    assert np.mean(scores) == pytest.approx(expected, abs=0.01)


@pytest.mark.bad_input
def test_unpaired_sets_and_tiny_sets_are_refused():
    with pytest.raises(InputError, match="mNNO needs paired sets, got 3 and 4 rows"):
        overlaps(np.ones((3, 2)), np.ones((4, 2)), 1)
    with pytest.raises(InputError, match="chance level: need at least 2 items, got 1"):
        chance_mnno(1, 1)


def test_neighbour_table_distances_and_a_zero_vector():
    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0], [0.0, 0.0]])
    lists = knn(vectors, 2)
    table = neighbour_table(vectors, lists, ["a", "b", "c", "z"])
    zero = table[table["item"] == "z"]
    assert (zero["distance"] == 1.0).all()  # a zero vector is similar to nothing
    first = table[table["item"] == "a"].iloc[0]
    assert (first["neighbour"], first["distance"]) == ("c", pytest.approx(1 - np.sqrt(0.5)))


@pytest.mark.bad_input
def test_reader_messages_name_the_keyword_to_pass(tmp_path):
    (tmp_path / "v.csv").write_text("word,f0,f1\ncat,1,2\ndog,3,4\n")
    with pytest.raises(InputError, match=r"or pass header=True to skip it$"):
        read_vectors(tmp_path / "v.csv")
    (tmp_path / "u.csv").write_text("0.5,1,2\n1.5,3,4\n")
    with pytest.raises(InputError, match="pass label_column=False for a file without labels"):
        read_vectors(tmp_path / "u.csv")


def test_word_similarity_is_cover_and_spearman_per_benchmark():
    rng = np.random.default_rng(6)
    words = ["cat", "dog", "car", "bus", "tree", "oak", "sun"]
    vectors = WordVectors(rng.standard_normal((7, 4)), pd.DataFrame({"word": words}))
    first = pd.DataFrame(
        {
            "word1": ["cat", "car", "Tree", "sun", "cat"],
            "word2": ["dog", "bus", "oak", "moon", "car"],
            "score": [9.0, 8.0, 7.5, 6.0, 1.0],
        }
    )
    tiny = first.iloc[:2]
    table = evaluate_word_similarity(vectors, {"first": first, "tiny": tiny})
    assert table.columns.tolist() == ["benchmark", "rho", "pairs", "total", "coverage"]
    covered = cover(vectors.position, first)
    assert table.iloc[0].tolist() == ["first", spearman(vectors.matrix, covered), 4, 5, 0.8]
    assert np.isnan(table["rho"][1]) and table["pairs"][1] == 2  # fewer than 3 pairs: no rho
    by_list = benchmark_scores(vectors.matrix, words, {"first": first}, "euclidean")
    assert by_list["rho"][0] == spearman(vectors.matrix, covered, None, "euclidean")
