"""Bring-your-own feature files: what is read, and every kind of file that is refused with one
line naming it (the same files through the whole workflow are in tests/reliability/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.feature_files import count_rows, read_features

MATRIX = np.round(np.random.default_rng(0).standard_normal((6, 4)), 4)
LABELS = [f"item{i}" for i in range(6)]


def write_csv(path: Path, matrix: np.ndarray = MATRIX, labels=LABELS, **options) -> Path:
    frame = pd.DataFrame(matrix)
    if labels is not None:
        frame.insert(0, "label", labels)
    frame.to_csv(path, index=False, **{"header": False, **options})
    return path


def test_labelled_csv_is_read_as_written(tmp_path):
    matrix, labels = read_features(write_csv(tmp_path / "f.csv"))
    np.testing.assert_array_equal(matrix, MATRIX)
    assert labels == LABELS


def test_unlabelled_csv_and_npy_with_ids(tmp_path):
    matrix, labels = read_features(write_csv(tmp_path / "f.csv", labels=None), label_column=False)
    np.testing.assert_array_equal(matrix, MATRIX)
    assert labels is None
    np.save(tmp_path / "f.npy", MATRIX.astype(np.float32))
    pd.DataFrame({"id": LABELS}).to_parquet(tmp_path / "ids.parquet")
    matrix, labels = read_features(tmp_path / "f.npy", tmp_path / "ids.parquet")
    assert matrix.dtype == np.float32 and labels == LABELS


def test_whole_number_labels_are_labels(tmp_path):
    """Class numbers (Collell's Wiki categories) and lists of them are labels, not features."""
    path = write_csv(tmp_path / "f.csv", labels=[3, 1, 4, 1, 5, 9])
    assert read_features(path)[1] == ["3", "1", "4", "1", "5", "9"]
    path = write_csv(tmp_path / "g.csv", labels=["3 17", "4", "1 2 8", "9", "2", "6"])
    assert read_features(path)[1][0] == "3 17"


def test_declared_header_is_skipped(tmp_path):
    path = write_csv(tmp_path / "f.csv", header=True)
    matrix, labels = read_features(path, header=True)
    np.testing.assert_array_equal(matrix, MATRIX)
    assert labels == LABELS


def test_count_rows_bounds_the_items(tmp_path):
    assert count_rows(write_csv(tmp_path / "f.csv")) == 6
    assert count_rows(write_csv(tmp_path / "h.csv", header=True), header=True) == 6
    (tmp_path / "n.csv").write_text("a,1\nb,2")  # no final newline
    assert count_rows(tmp_path / "n.csv") == 2
    np.save(tmp_path / "f.npy", MATRIX)
    assert count_rows(tmp_path / "f.npy") == 6
    assert count_rows(tmp_path / "missing.csv") is None
    (tmp_path / "binary.csv").write_bytes((tmp_path / "f.npy").read_bytes())
    assert count_rows(tmp_path / "binary.csv") is None  # not text: its newlines count nothing
    (tmp_path / "long.csv").write_text("a,0.123456789\n" * 300_000)  # 4.2 MB
    assert count_rows(tmp_path / "long.csv") == 300_000
    assert 10 < count_rows(tmp_path / "long.csv", stop_after=10) < 300_000  # read one chunk


def refused(path: Path, *expected: str, **options) -> str:
    with pytest.raises(InputError) as caught:
        read_features(path, **options)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    for fragment in expected:
        assert fragment in message, message
    return message


@pytest.mark.bad_input
@pytest.mark.parametrize("label_column", [True, False])
def test_pandas_default_header_is_refused_with_the_setting(tmp_path, label_column):
    """``label,0,1,2,3`` (or ``0,1,2,3``): pandas' header of an unnamed frame, not an item."""
    labels = LABELS if label_column else None
    path = write_csv(tmp_path / "f.csv", labels=labels, header=True)
    refused(path, "line 1", "header", "header: true", label_column=label_column)


@pytest.mark.bad_input
def test_named_header_is_refused(tmp_path):
    frame = pd.DataFrame(MATRIX, columns=["f0", "f1", "f2", "f3"])
    frame.to_csv(tmp_path / "f.csv", index=False)
    refused(tmp_path / "f.csv", "header", label_column=False)


@pytest.mark.bad_input
def test_numeric_first_column_is_not_taken_for_a_label(tmp_path):
    """An unlabelled file under the default label_column: true would lose its first feature."""
    path = write_csv(tmp_path / "f.csv", labels=None)
    refused(path, "label_column: false")


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("dtype", "shown"),
    [(np.complex128, "complex128"), (np.bool_, "bool"), ("<U3", "<U3")],
    ids=["complex", "bool", "strings"],
)
def test_npy_of_non_real_numbers_is_refused_naming_the_dtype(tmp_path, dtype, shown):
    np.save(tmp_path / "f.npy", np.ones((6, 4)).astype(dtype))
    refused(tmp_path / "f.npy", "real numbers", shown)


@pytest.mark.bad_input
def test_unreadable_files_are_named(tmp_path):
    (tmp_path / "empty.npy").write_bytes(b"")
    refused(tmp_path / "empty.npy", "empty file")
    write_csv(tmp_path / "really_csv.npy")
    refused(tmp_path / "really_csv.npy", "not an NPY file", "item0")
    np.save(tmp_path / "f.npy", MATRIX)
    (tmp_path / "really_npy.csv").write_bytes((tmp_path / "f.npy").read_bytes())
    refused(tmp_path / "really_npy.csv", "not UTF-8")
    (tmp_path / "latin1.csv").write_bytes("caf\xe9,1.0,2.0\n".encode("latin-1"))
    refused(tmp_path / "latin1.csv", "not UTF-8", "0xe9")
    (tmp_path / "nul.csv").write_bytes(b"a,1\x00,2\n")
    refused(tmp_path / "nul.csv", "row 1")


@pytest.mark.bad_input
def test_files_without_feature_columns_are_refused(tmp_path):
    (tmp_path / "labels.csv").write_text("".join(f"{label}\n" for label in LABELS))
    refused(tmp_path / "labels.csv", "no feature columns")
    np.save(tmp_path / "f.npy", np.zeros((6, 0)))
    refused(tmp_path / "f.npy", "no feature columns")
