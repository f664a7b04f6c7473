"""Pairing two feature matrices: row-aligned files keep their rows, differently ordered
vocabularies pair on their labels, and what cannot be paired is refused in one line."""

import numpy as np
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.paired_files import aligned_labels, pair_features

SOURCES = ("a.csv", "b.csv")


def matrix(rows: int, start: float = 0.0) -> np.ndarray:
    return np.arange(start, start + rows * 2, dtype=np.float64).reshape(rows, 2)


def test_identical_labels_pair_by_rows_even_when_they_repeat():
    """Collell's IAPR TC-12 labels repeat but agree row by row: rows, never a join."""
    labels = ["1 2", "3", "1 2"]
    pair = pair_features((matrix(3), labels), (matrix(3, 10), list(labels)), SOURCES)
    assert (pair.paired_on, pair.labels, pair.unmatched) == ("rows", labels, (0, 0))
    np.testing.assert_array_equal(pair.second, matrix(3, 10))


def test_differing_labels_pair_on_labels_in_the_first_files_order():
    first = (matrix(4), ["cat", "dog", "eel", "fox"])
    second = (matrix(3, 10), ["fox", "cat", "gnu"])
    pair = pair_features(first, second, SOURCES)
    assert (pair.paired_on, pair.labels, pair.unmatched) == ("labels", ["cat", "fox"], (2, 1))
    np.testing.assert_array_equal(pair.first, matrix(4)[[0, 3]])
    np.testing.assert_array_equal(pair.second, matrix(3, 10)[[1, 0]])


def test_unlabelled_files_pair_by_rows_with_no_labels():
    pair = pair_features((matrix(2), None), (matrix(2, 5), None), SOURCES)
    assert (pair.paired_on, pair.labels) == ("rows", None)
    assert pair_features((matrix(2), None), (matrix(2), ["x", "y"]), SOURCES).labels == ["x", "y"]


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("first", "second", "on", "message"),
    [
        ((matrix(2), ["x", "y"]), (matrix(2), ["y", "x"]), "rows",
         "a.csv and b.csv: row 1 is labelled 'x' in the first file but 'y' in the second file"),
        ((matrix(2), None), (matrix(3), None), "auto",
         "a.csv and b.csv: 2 first rows but 3 second rows; expected row-aligned files"),
        ((matrix(2), None), (matrix(2), ["x", "y"]), "labels",
         "a.csv: no labels to pair on"),
        ((matrix(3), ["x", "y", "x"]), (matrix(2), ["x", "z"]), "auto",
         "a.csv: label 'x' is on rows 1 and 3; labels must be unique to pair on them"),
        ((matrix(1), ["x"]), (matrix(1), ["z"]), "auto",
         "a.csv and b.csv: no label in common (e.g. 'x' and 'z')"),
        ((matrix(1), ["x"]), (matrix(1), ["x"]), "order", "pairing: expected one of"),
    ],
)  # fmt: skip
def test_what_cannot_be_paired_is_refused(first, second, on, message):
    with pytest.raises(InputError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        pair_features(first, second, SOURCES, on)


@pytest.mark.bad_input
def test_the_collell_study_keeps_its_messages():
    """The study's row-aligned image and text files are named as before the check moved here."""
    with pytest.raises(InputError, match="^w: 1 image rows but 2 text rows; expected row-aligned"):
        aligned_labels((matrix(1), None), (matrix(2), None), "w")
    with pytest.raises(InputError, match="labelled 'a' in the image file but 'b' in the text file"):
        aligned_labels((matrix(1), ["a"]), (matrix(1), ["b"]), "w")
