"""Shards of per-image stages: which rows each shard computes, and the gather that joins them
into the one feature matrix (byte-identical to writing it whole, memory flat in the shards)."""

import itertools
import json
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.core.io import is_temporary, write_matrix
from crossmodal.features.shards import gather_features, gather_matrix, merge_meta, shard_rows


@pytest.mark.parametrize(
    ("n_rows", "shards", "align"), [(778, 4, 64), (778, 1, 64), (130, 7, 32), (10, 4, 3)]
)
def test_shards_cover_the_table_in_order_on_aligned_boundaries(n_rows, shards, align):
    rows = [shard_rows(n_rows, shard, shards, align) for shard in range(shards)]
    assert rows[0].start == 0 and rows[-1].stop == n_rows
    for before, after in itertools.pairwise(rows):
        assert before.stop == after.start
    assert all(part.start % align == 0 for part in rows)
    groups = [-(-(part.stop - part.start) // align) for part in rows]
    assert max(groups) - min(groups) <= 1  # dealt out evenly


def test_more_shards_than_groups_leaves_the_last_shards_empty():
    rows = [shard_rows(40, shard, 4, 32) for shard in range(4)]
    assert [(part.start, part.stop) for part in rows] == [(0, 0), (0, 32), (32, 32), (32, 40)]


def test_a_shard_outside_the_layout_is_an_input_error():
    with pytest.raises(InputError, match="shard 4 of 4"):
        shard_rows(100, 4, 4, 8)


def write_shards(folder, matrix, cuts):
    """Shard files of ``matrix`` cut at row positions ``cuts`` (ids img<row>)."""
    ids = pd.DataFrame({"image_id": [f"img{i}" for i in range(len(matrix))]})
    bounds = [0, *cuts, len(matrix)]
    paths = []
    for shard, (start, stop) in enumerate(itertools.pairwise(bounds)):
        part = matrix[start:stop] if stop > start else np.empty((0, 0), matrix.dtype)
        npy, index = folder / f"{shard}.npy", folder / f"{shard}.ids.parquet"
        write_matrix(part, ids.iloc[start:stop], npy, index)
        paths.append((npy, index))
    return [p for p, _ in paths], [i for _, i in paths], ids


def test_gather_is_byte_identical_to_writing_the_matrix_whole(tmp_path):
    matrix = np.random.default_rng(0).random((50, 7), dtype=np.float32)
    npys, indexes, ids = write_shards(tmp_path, matrix, [16, 16, 48])  # shard 1 is empty
    whole = tmp_path / "whole"
    whole.mkdir()
    write_matrix(matrix, ids, whole / "m.npy", whole / "m.ids.parquet")
    rows = gather_matrix(npys, indexes, tmp_path / "m.npy", tmp_path / "m.ids.parquet")
    assert rows == 50
    assert (tmp_path / "m.npy").read_bytes() == (whole / "m.npy").read_bytes()
    assert (tmp_path / "m.ids.parquet").read_bytes() == (whole / "m.ids.parquet").read_bytes()
    assert not [path for path in tmp_path.iterdir() if is_temporary(path)]


def test_gather_holds_no_copy_of_the_shards_in_memory(tmp_path):
    matrix = np.random.default_rng(1).random((20_000, 256), dtype=np.float32)  # 20 MB
    npys, indexes, _ = write_shards(tmp_path, matrix, [5_000, 10_000, 15_000])
    del matrix
    tracemalloc.start()
    gather_matrix(npys, indexes, tmp_path / "m.npy", tmp_path / "m.ids.parquet")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # np.concatenate of the shards would allocate the whole 20 MB (and each np.load 5 MB).
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB"


def test_shards_of_different_widths_are_refused(tmp_path):
    npys, indexes, _ = write_shards(tmp_path, np.zeros((8, 3), np.float32), [4])
    wider = np.zeros((4, 5), np.float32)
    write_matrix(wider, pd.DataFrame({"image_id": list("abcd")}), npys[1], indexes[1])
    with pytest.raises(InputError, match=r"1\.npy: 5 columns of float32, but .*0\.npy has 3"):
        gather_matrix(npys, indexes, tmp_path / "m.npy", tmp_path / "m.ids.parquet")
    assert not (tmp_path / "m.npy").exists()


def test_an_image_in_two_shards_is_refused(tmp_path):
    npys, indexes, ids = write_shards(tmp_path, np.zeros((8, 3), np.float32), [4])
    write_matrix(np.zeros((4, 3), np.float32), ids.iloc[:4], npys[1], indexes[1])
    with pytest.raises(InputError, match="image img0 is in more than one shard"):
        gather_matrix(npys, indexes, tmp_path / "m.npy", tmp_path / "m.ids.parquet")


def meta(n_images, device="cpu", layer="pool"):
    return {"backend": "torch", "layer": layer, "dim": 4, "n_images": n_images, "device": device}


def test_sidecars_merge_into_one_with_every_image_and_device():
    merged = merge_meta([meta(3), meta(0, device=None), meta(2, "cuda")], ["a", "b", "c"])
    assert merged == meta(5, "cpu, cuda")
    assert list(merged) == list(meta(5))  # key order kept: the JSON of one shard is unchanged
    assert merge_meta([meta(3), meta(2)], ["a", "b"]) == meta(5)


def test_sidecars_of_other_settings_are_refused():
    with pytest.raises(InputError, match=r"^b: layer is 'fc' but a has 'pool'"):
        merge_meta([meta(3), meta(2, layer="fc")], ["a", "b"])


def test_gather_features_writes_the_merged_sidecar(tmp_path):
    npys, indexes, _ = write_shards(tmp_path, np.ones((5, 4), np.float32), [3])
    metas = []
    for shard, count in enumerate((3, 2)):
        metas.append(tmp_path / f"{shard}.meta.json")
        metas[-1].write_text(json.dumps(meta(count), indent=2) + "\n")
    out = tmp_path / "m.meta.json"
    gather_features(npys, indexes, tmp_path / "m.npy", tmp_path / "m.ids.parquet", metas, out)
    assert out.read_text() == json.dumps(meta(5), indent=2) + "\n"
