"""The storage contracts every stage relies on: atomic writes and checked NPY + index reads."""

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path, read_matrix, read_parquet, write_matrix, write_parquet


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "table.parquet"
    write_parquet(pd.DataFrame({"a": [1, 2]}), target)
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a file")
        raise RuntimeError("killed mid-write")
    assert read_parquet(target)["a"].tolist() == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.parquet"]


def test_matrix_round_trip(tmp_path):
    matrix = np.arange(12, dtype=np.float32).reshape(4, 3)
    ids = pd.DataFrame({"image_id": ["a", "b", "c", "d"]})
    write_matrix(matrix, ids, tmp_path / "m.npy", tmp_path / "m.ids.parquet")
    loaded, index = read_matrix(tmp_path / "m.npy", tmp_path / "m.ids.parquet", ["image_id"])
    np.testing.assert_array_equal(loaded, matrix)
    assert index["image_id"].tolist() == ["a", "b", "c", "d"]


@pytest.mark.bad_input
def test_index_with_wrong_length_is_refused(tmp_path):
    np.save(tmp_path / "m.npy", np.zeros((3, 2)))
    write_parquet(pd.DataFrame({"image_id": ["a", "b"]}), tmp_path / "m.ids.parquet")
    with pytest.raises(InputError, match=r"m\.npy: 3 rows but its index .* has 2"):
        read_matrix(tmp_path / "m.npy", tmp_path / "m.ids.parquet")


@pytest.mark.bad_input
def test_truncated_npy_and_parquet_name_the_file(tmp_path):
    np.save(tmp_path / "m.npy", np.zeros((100, 10)))
    data = (tmp_path / "m.npy").read_bytes()
    (tmp_path / "m.npy").write_bytes(data[: len(data) // 2])
    write_parquet(pd.DataFrame({"image_id": ["a"] * 100}), tmp_path / "m.ids.parquet")
    with pytest.raises(InputError, match=r"m\.npy: not a readable NPY"):
        read_matrix(tmp_path / "m.npy", tmp_path / "m.ids.parquet")
    raw = (tmp_path / "m.ids.parquet").read_bytes()
    (tmp_path / "t.parquet").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match=r"t\.parquet: not a readable Parquet"):
        read_parquet(tmp_path / "t.parquet")


@pytest.mark.bad_input
def test_non_finite_values_are_refused(tmp_path):
    matrix = np.ones((3, 2))
    matrix[1, 0] = np.nan
    write_matrix(
        matrix, pd.DataFrame({"w": ["x", "y", "z"]}), tmp_path / "m.npy", tmp_path / "i.parquet"
    )
    with pytest.raises(InputError, match="1 row\\(s\\) contain NaN"):
        read_matrix(tmp_path / "m.npy", tmp_path / "i.parquet")


@pytest.mark.bad_input
def test_missing_column_is_named(tmp_path):
    write_parquet(pd.DataFrame({"word": ["a"]}), tmp_path / "v.parquet")
    with pytest.raises(InputError, match="missing column\\(s\\) count"):
        read_parquet(tmp_path / "v.parquet", ["word", "count"])
