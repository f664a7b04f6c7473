"""NUS-WIDE and Flickr30K, from their published files to the canonical tables.

Both are read straight from the downloaded archives (zip members are streamed, never unpacked),
and every member is found by its base name, because the same files circulate in differently
packed archives: the NUS-WIDE lists come as ``Groundtruth.zip``/``ConceptsList.zip``/... from the
original server and as one ``NUS-WIDE.zip`` from the later Hugging Face release; Karpathy's split
comes as ``caption_datasets.zip`` (member ``dataset_flickr30k.json``) or ``flickr30k.zip``
(member ``dataset.json``).

NUS-WIDE's files are row-aligned lists without ids (Chua et al., CIVR 2009, and the dataset's
web page): ``ImageList/Imagelist.txt`` gives row *i*'s image as a Windows path
``...\\Flickr\\<query>\\<nnnn>_<flickr id>.jpg``; ``TrainImagelist.txt`` and
``TestImagelist.txt`` name the official split; ``NUS_WID_Tags/Final_Tag_List.txt`` lists the
dataset's 5,018 tags one a line (the tags that occur more than 100 times and are WordNet words,
Chua et al.), and ``All_Tags.txt`` has one line per image, the Flickr photo id then the image's
raw Flickr tags, whitespace-separated (the 1,000-tag ``TagList1k.txt``/``AllTags1k.txt`` in the same
archive are a subset, not read); ``ConceptsList/Concepts81.txt`` lists the 81 concepts and
``Groundtruth/AllLabels/Labels_<concept>.txt`` one 0/1 line per image. Row order is the only key,
so every list is checked to have exactly as many rows as the image list, and every line of
``All_Tags.txt`` to name the photo of its row.

Karpathy's JSON (Karpathy & Fei-Fei, CVPR 2015, ``deepimagesent``) is
``{"dataset": ..., "images": [{"filename", "split", "sentences": [{"raw", "tokens",
"sentid"}, ...]}, ...]}``.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from crossmodal.core.errors import InputError
from crossmodal.core.io import atomic_path

log = logging.getLogger(__name__)

#: Columns of every ``images.parquet`` (DESIGN.md), in order.
IMAGE_COLUMNS = ("image_id", "path", "word", "synset", "category", "caption", "tags", "split")
#: Columns holding lists of strings (kept as Python lists in pandas).
LIST_COLUMNS = ("tags", "tokens")


class Archives:
    """The members of several downloaded files, addressed by base name.

    A zip contributes its members; any other file stands for itself. A base name found in two
    places is ambiguous and refused, rather than silently read from whichever came first.
    """

    def __init__(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        self.paths = [Path(p) for p in paths]
        self._index: dict[str, list[tuple[Path, str | None]]] = {}
        for path in self.paths:
            if not path.is_file():
                raise InputError(f"{path}: file not found (expected a downloaded archive)")
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        if not member.endswith("/"):
                            name = PurePosixPath(member).name
                            self._index.setdefault(name, []).append((path, member))
            else:
                self._index.setdefault(path.name, []).append((path, None))

    def _locate(self, name: str) -> tuple[Path, str | None]:
        places = self._index.get(name, [])
        searched = ", ".join(str(p) for p in self.paths)
        if not places:
            raise InputError(f"{name}: not found in {searched}")
        if len(places) > 1:
            where = ", ".join(f"{p}:{m}" if m else str(p) for p, m in places)
            raise InputError(f"{name}: found more than once ({where}); keep one archive with it")
        return places[0]

    def has(self, name: str) -> bool:
        """Whether exactly one place holds ``name``."""
        return len(self._index.get(name, [])) == 1

    def where(self, name: str) -> str:
        """``archive:member`` (or the file) holding ``name``, for error messages."""
        path, member = self._locate(name)
        return f"{path}:{member}" if member else str(path)

    @contextmanager
    def open_text(self, name: str, encoding: str = "utf-8") -> Iterator[IO[str]]:
        """Open member ``name`` as text; undecodable bytes are replaced, never fatal."""
        path, member = self._locate(name)
        if member is None:
            with open(path, encoding=encoding, errors="replace") as handle:
                yield handle
            return
        with zipfile.ZipFile(path) as archive, archive.open(member) as raw:
            yield io.TextIOWrapper(raw, encoding=encoding, errors="replace")

    def read_lines(self, name: str, encoding: str = "utf-8") -> list[str]:
        """Non-empty lines of member ``name``, stripped of whitespace (and of ``\\r``)."""
        with self.open_text(name, encoding) as handle:
            return [line.strip() for line in handle if line.strip()]


def _image_frame(columns: Mapping[str, object]) -> pd.DataFrame:
    """The canonical image table; text columns typed as strings even when all empty."""
    frame = pd.DataFrame(columns)
    for column in IMAGE_COLUMNS:
        if column not in LIST_COLUMNS:
            frame[column] = frame[column].astype("string")
    return frame[list(IMAGE_COLUMNS)]


def write_image_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a table atomically as Parquet with list columns typed ``list<string>``.

    Left to inference, a column of empty lists (Flickr30K has no tags) would be stored as
    ``list<null>``; an Arrow-backed pandas dtype instead would be recorded in the pandas metadata
    in a form pandas cannot read back. An explicit Arrow schema avoids both.
    """
    schema = pa.Schema.from_pandas(frame, preserve_index=False)
    for column in LIST_COLUMNS:
        if column in frame.columns:
            index = schema.get_field_index(column)
            schema = schema.set(index, pa.field(column, pa.list_(pa.string())))
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


# ---- NUS-WIDE ----------------------------------------------------------------------------------

_FLICKR_FILE = re.compile(r"^(?P<query>[^/]+)/(?P<stem>\d+_\d+)\.jpg$", re.IGNORECASE)


def nuswide_relative_path(line: str, where: str) -> str:
    """``<query>/<nnnn>_<flickr id>.jpg`` from an image-list line, whatever prefix (``C:\\
    ImageData\\Flickr\\``, ``Flickr/``, none) and separator the line uses."""
    parts = line.strip().replace("\\", "/").split("/")
    relative = "/".join(parts[-2:])
    if len(parts) < 2 or not _FLICKR_FILE.match(relative):
        raise InputError(f"{where}: {line.strip()!r} is not a <query>\\<nnnn>_<id>.jpg image path")
    return relative


def _nuswide_split(archives: Archives, images: list[str]) -> list[str]:
    """The official split of each image, from TrainImagelist.txt and TestImagelist.txt."""
    members = {"train": "TrainImagelist.txt", "test": "TestImagelist.txt"}
    split_of: dict[str, str] = {}
    for split, name in members.items():
        where = archives.where(name)
        for line in archives.read_lines(name, encoding="latin-1"):
            relative = nuswide_relative_path(line, where)
            if split_of.setdefault(relative, split) != split:
                raise InputError(f"{where}: {relative} is listed for both train and test")
    missing = [image for image in images if image not in split_of]
    if missing:
        raise InputError(
            f"{len(missing)} image(s) of Imagelist.txt are in neither TrainImagelist.txt nor "
            f"TestImagelist.txt (first: {missing[0]})"
        )
    return [split_of[image] for image in images]


def _nuswide_tags(archives: Archives, images: list[str]) -> list[list[str]]:
    """Each image's tags among the 5,018 of ``Final_Tag_List.txt`` (the paper's dictionary), in
    their order on the image's line of ``All_Tags.txt``, without repeats; the raw tags outside
    the dictionary (misspellings, names, camera models) are left out, as the paper does."""
    dictionary = archives.read_lines("Final_Tag_List.txt")
    if len(set(dictionary)) != len(dictionary):
        raise InputError(f"{archives.where('Final_Tag_List.txt')}: a tag is listed twice")
    known = set(dictionary)
    where = archives.where("All_Tags.txt")
    rows: list[list[str]] = []
    with archives.open_text("All_Tags.txt") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(rows) == len(images):
                raise InputError(f"{where}: more lines than the {len(images)} images")
            photo = images[len(rows)].rsplit("_", 1)[1].split(".", 1)[0]
            if parts[0].lstrip("0") != photo.lstrip("0"):
                raise InputError(
                    f"{where}: line {number} is photo {parts[0]}, but image {len(rows) + 1} of "
                    f"Imagelist.txt is {images[len(rows)]}"
                )
            rows.append(list(dict.fromkeys(t for t in parts[1:] if t in known)))
    if len(rows) != len(images):
        raise InputError(f"{where}: {len(rows)} lines, expected {len(images)} (one per image)")
    log.info(
        "NUS-WIDE: %d dictionary tags, %.2f of them per image on average",
        len(dictionary),
        float(np.mean([len(r) for r in rows])) if rows else 0.0,
    )
    return rows


def _label_column(archives: Archives, concept: str, n_rows: int) -> np.ndarray:
    name = f"Labels_{concept}.txt"
    where = archives.where(name)
    values = archives.read_lines(name, encoding="ascii")
    if len(values) != n_rows:
        raise InputError(f"{where}: {len(values)} lines, expected {n_rows} (one per image)")
    bad = sorted(set(values) - {"0", "1"})
    if bad:
        raise InputError(f"{where}: values other than 0 and 1 (e.g. {bad[0]!r})")
    return np.array(values) == "1"


def build_nuswide(
    archive_paths: Sequence[str | os.PathLike[str]], images_dir: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NUS-WIDE as (images, concepts) tables.

    ``images``: one row per image of ``Imagelist.txt`` in its order; ``image_id`` is
    ``<query>/<nnnn>_<flickr id>`` (unique, unlike the bare Flickr id); ``category`` the Flickr
    query the image was crawled for; ``tags`` its tags among the 5,018 of ``Final_Tag_List.txt``;
    ``split`` the official train/test split; ``word``, ``synset`` and ``caption`` are empty (the
    dataset has none). ``path`` is ``images_dir/<query>/<file>`` (the images themselves are only
    given out by the authors on request). ``concepts``: ``image_id`` and one boolean column per
    concept of ``Concepts81.txt`` (the human ground truth, not the tags).
    """
    archives = Archives(archive_paths)
    where = archives.where("Imagelist.txt")
    images = [
        nuswide_relative_path(line, where)
        for line in archives.read_lines("Imagelist.txt", encoding="latin-1")
    ]
    if len(set(images)) != len(images):
        raise InputError(f"{where}: an image is listed twice")
    n_images = len(images)
    log.info("NUS-WIDE: %d images in %s", n_images, where)
    splits = _nuswide_split(archives, images)

    tag_lists = _nuswide_tags(archives, images)

    concepts = archives.read_lines("Concepts81.txt")
    if len(set(concepts)) != len(concepts):
        raise InputError(f"{archives.where('Concepts81.txt')}: a concept is listed twice")
    labels = {c: _label_column(archives, c, n_images) for c in concepts}

    image_ids = [image.rsplit(".", 1)[0] for image in images]
    prefix = images_dir.rstrip("/") + "/" if images_dir else ""
    table = _image_frame(
        {
            "image_id": image_ids,
            "path": [prefix + image for image in images],
            "word": [None] * n_images,
            "synset": [None] * n_images,
            "category": [image.split("/", 1)[0] for image in images],
            "caption": [None] * n_images,
            "tags": tag_lists,
            "split": splits,
        }
    )
    concept_table = pd.DataFrame({"image_id": pd.Series(image_ids, dtype="string"), **labels})
    return table, concept_table


# ---- Flickr30K (Karpathy split) ---------------------------------------------------------------

KARPATHY_MEMBERS = ("dataset_flickr30k.json", "dataset.json")


def read_karpathy(archive_paths: Sequence[str | os.PathLike[str]]) -> tuple[list[dict], str]:
    """The ``images`` list of Karpathy's Flickr30K JSON and where it was read from."""
    archives = Archives(archive_paths)
    name = next((m for m in KARPATHY_MEMBERS if archives.has(m)), KARPATHY_MEMBERS[0])
    where = archives.where(name)
    with archives.open_text(name) as handle:
        try:
            document = json.load(handle)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not valid JSON ({err})") from err
    if not isinstance(document, dict) or not isinstance(document.get("images"), list):
        raise InputError(f"{where}: expected an object with an `images` list (Karpathy's format)")
    if document.get("dataset", "flickr30k") != "flickr30k":
        raise InputError(f"{where}: is the {document['dataset']!r} split, expected flickr30k")
    return document["images"], where


def build_flickr30k(
    archive_paths: Sequence[str | os.PathLike[str]], images_dir: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flickr30K as (images, captions) tables, with Karpathy's train/val/test split.

    ``captions``: image_id, caption_id (Karpathy's ``sentid``), caption (the raw sentence),
    tokens (his tokenisation), split. ``images``: one row per image, its first caption as
    ``caption``; no words, synsets, categories or tags (the dataset has none).
    """
    entries, where = read_karpathy(archive_paths)
    prefix = images_dir.rstrip("/") + "/" if images_dir else ""
    image_rows: dict[str, list] = {c: [] for c in IMAGE_COLUMNS}
    captions: dict[str, list] = {k: [] for k in ("image_id", "caption_id", "caption", "tokens")}
    caption_split: list[str] = []
    for position, entry in enumerate(entries):
        try:
            filename, split, sentences = entry["filename"], entry["split"], entry["sentences"]
            first = sentences[0]["raw"].strip()
            image_id = PurePosixPath(filename).stem
            for sentence in sentences:
                captions["image_id"].append(image_id)
                captions["caption_id"].append(int(sentence["sentid"]))
                captions["caption"].append(sentence["raw"].strip())
                captions["tokens"].append([str(t) for t in sentence.get("tokens", [])])
                caption_split.append(split)
        except (KeyError, IndexError, TypeError, ValueError) as err:
            raise InputError(
                f"{where}: image #{position} lacks filename/split/sentences with raw and sentid "
                f"({type(err).__name__}: {err})"
            ) from err
        for column, value in zip(
            IMAGE_COLUMNS,
            (image_id, prefix + filename, None, None, None, first, [], split),
            strict=True,
        ):
            image_rows[column].append(value)
    images = _image_frame(image_rows)
    if images["image_id"].duplicated().any():
        first_dup = images.loc[images["image_id"].duplicated(), "image_id"].iloc[0]
        raise InputError(f"{where}: image {first_dup} is listed twice")
    caption_table = pd.DataFrame(
        {
            "image_id": pd.Series(captions["image_id"], dtype="string"),
            "caption_id": pd.Series(captions["caption_id"], dtype="int64"),
            "caption": pd.Series(captions["caption"], dtype="string"),
            "tokens": captions["tokens"],
            "split": pd.Series(caption_split, dtype="string"),
        }
    )
    if caption_table["caption_id"].duplicated().any():
        raise InputError(f"{where}: a sentid occurs twice")
    log.info(
        "Flickr30K: %d images, %d captions; split %s",
        len(images),
        len(caption_table),
        images["split"].value_counts().to_dict(),
    )
    return images, caption_table
