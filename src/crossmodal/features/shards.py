"""Per-image stages split into shards, so that a cluster runs them in parallel: which rows of
the image table a shard computes, and the gather that joins the shards' rows into the one
feature matrix of results/features/<dataset>/<kind>.npy that the rest of the workflow reads.

A shard is a contiguous slice of the image table whose boundaries fall on multiples of
``align`` images: the images that a stage processes together (BoVW encoding assigns the
descriptors of ``ENCODE_BLOCK`` images in one faiss search, a CNN forwards ``batch_size`` images
in one pass). Every such group is then the same set of images whatever the number of shards, so
each image gets the same computation, and the gathered matrix is byte-identical to that of one
shard. With more shards than groups, the last shards are empty and write empty matrices.

The gather holds no more than the output matrix: it writes into a memory-mapped NPY file at the
atomic temporary path and copies one memory-mapped shard at a time. Shards of CNN features carry a
``.meta.json`` sidecar each; the gather checks that they agree and writes one sidecar.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path, read_parquet, write_parquet, write_text

log = logging.getLogger(__name__)

#: Sidecar keys allowed to differ between the shards of one matrix: the images each shard did,
#: and where it ran (GPU and CPU nodes may both serve one run; the gathered sidecar names all).
_PER_SHARD_KEYS = ("n_images", "device")


def shard_rows(n_rows: int, shard: int, shards: int, align: int) -> slice:
    """The rows of a table of ``n_rows`` that shard ``shard`` of ``shards`` computes.

    The table is cut into groups of ``align`` rows (the last may be shorter) and the groups are
    dealt out in order, as evenly as they go; a shard may get none (an empty slice).
    """
    if not 0 <= shard < shards:
        raise InputError(f"shard {shard} of {shards}: expected 0 <= shard < shards")
    if align < 1:
        raise InputError(f"shard alignment {align}: expected at least 1 row")
    groups = -(-n_rows // align)
    start = shard * groups // shards * align
    stop = min((shard + 1) * groups // shards * align, n_rows)
    return slice(start, stop)


def _header(path: str | os.PathLike[str]) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype of an NPY file, from its header alone (InputError naming it if it is
    missing or not an NPY file)."""
    try:
        matrix = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise InputError(f"{path}: not a readable NPY file ({err})") from err
    return matrix.shape, matrix.dtype


def _output_layout(
    matrix_paths: Sequence[str | os.PathLike[str]], counts: Sequence[int]
) -> tuple[int, np.dtype]:
    """Columns and dtype of the gathered matrix, checking every shard against its ids' count and
    the non-empty shards against each other (an empty CNN shard never learnt its width)."""
    layout: tuple[int, np.dtype, str | os.PathLike[str]] | None = None
    for path, count in zip(matrix_paths, counts, strict=True):
        shape, dtype = _header(path)
        if len(shape) != 2 or shape[0] != count:
            raise InputError(f"{path}: shape {shape} does not match its {count} ids")
        if count == 0:
            continue
        if layout is None:
            layout = (shape[1], dtype, path)
        elif (shape[1], dtype) != layout[:2]:
            raise InputError(
                f"{path}: {shape[1]} columns of {dtype}, but {layout[2]} has {layout[0]} of "
                f"{layout[1]}; rerun the shards of one configuration"
            )
    if layout is None:  # every shard empty: keep the width the shards give, if any
        widths = [_header(path)[0][1] for path in matrix_paths]
        return max(widths, default=0), _header(matrix_paths[0])[1]
    return layout[0], layout[1]


def gather_matrix(
    matrix_paths: Sequence[str | os.PathLike[str]],
    index_paths: Sequence[str | os.PathLike[str]],
    npy_path: str | os.PathLike[str],
    index_path: str | os.PathLike[str],
) -> int:
    """Concatenate the shards' rows (in the order given) into one NPY matrix and their ids into
    one Parquet index, both written atomically (the index last, as
    :func:`crossmodal.core.io.write_matrix` does). Returns the number of rows.
    """
    if not matrix_paths or len(matrix_paths) != len(index_paths):
        raise InputError(
            f"{npy_path}: {len(matrix_paths)} shard matrices for {len(index_paths)} id tables"
        )
    indexes = [read_parquet(path, ["image_id"]) for path in index_paths]
    index = pd.concat(indexes, ignore_index=True)
    if not index["image_id"].is_unique:
        repeated = index["image_id"][index["image_id"].duplicated()].iloc[0]
        raise InputError(f"{npy_path}: image {repeated} is in more than one shard")
    columns, dtype = _output_layout(matrix_paths, [len(part) for part in indexes])
    with atomic_path(npy_path) as tmp:
        out = np.lib.format.open_memmap(tmp, mode="w+", dtype=dtype, shape=(len(index), columns))
        row = 0
        for path, part in zip(matrix_paths, indexes, strict=True):
            if len(part):
                out[row : row + len(part)] = np.load(path, mmap_mode="r", allow_pickle=False)
                row += len(part)
        out.flush()
        del out  # unmapped before the rename
    write_parquet(index, index_path)
    log.info("gathered %d rows x %d columns from %d shards", len(index), columns, len(indexes))
    return len(index)


def merge_meta(metas: Sequence[Mapping[str, Any]], sources: Sequence[str]) -> dict[str, Any]:
    """One sidecar for the gathered matrix: that of the first non-empty shard, with the images
    of all shards and every device they ran on. Shards that ran with other settings (a model, a
    layer, weights) are refused, naming the file (``sources``, one per meta)."""
    done = [(meta, source) for meta, source in zip(metas, sources, strict=True) if meta["n_images"]]
    if not done:
        raise InputError(f"{sources[0]}: no shard has an image")
    merged = dict(done[0][0])
    devices: list[Any] = []
    for meta, source in done:
        for key in merged.keys() | meta.keys():
            if key not in _PER_SHARD_KEYS and meta.get(key) != merged.get(key):
                raise InputError(
                    f"{source}: {key} is {meta.get(key)!r} but {done[0][1]} has "
                    f"{merged.get(key)!r}; rerun the shards of one configuration"
                )
        if "device" in meta and meta["device"] not in devices:
            devices.append(meta["device"])
    merged["n_images"] = sum(int(meta["n_images"]) for meta, _ in done)
    if devices:
        merged["device"] = ", ".join(map(str, devices))
    return merged


def gather_features(
    matrix_paths: Sequence[str | os.PathLike[str]],
    index_paths: Sequence[str | os.PathLike[str]],
    npy_path: str | os.PathLike[str],
    index_path: str | os.PathLike[str],
    meta_paths: Sequence[str | os.PathLike[str]] | None = None,
    out_meta: str | os.PathLike[str] | None = None,
) -> None:
    """The gather step of a sharded feature: the matrix and ids (:func:`gather_matrix`), and for
    CNN features the merged sidecar (:func:`merge_meta`), written after them."""
    if (meta_paths is None) != (out_meta is None):
        raise ValueError("shard sidecars and the gathered sidecar go together")
    rows = gather_matrix(matrix_paths, index_paths, npy_path, index_path)
    if meta_paths is None or out_meta is None:
        return
    metas = [json.loads(Path(path).read_text(encoding="utf-8")) for path in meta_paths]
    merged = merge_meta(metas, [str(path) for path in meta_paths])
    if merged["n_images"] != rows:
        raise InputError(f"{out_meta}: the sidecars count {merged['n_images']} images, not {rows}")
    write_text(json.dumps(merged, indent=2) + "\n", out_meta)
