"""A miniature NUS-WIDE (Chua et al., CIVR 2009) in the layout of its public files: the four zip
archives full.yaml downloads (``nuswide_imagelist``, ``nuswide_tags``, ``nuswide_concepts``,
``nuswide_groundtruth``) and the image folder the authors give out on request.

Layout of the real files, and where it is known from:

- ``ImageList.zip``: ``ImageList/Imagelist.txt`` names every image, one a line, as the Windows
  path of the crawl, ``C:\\ImageData\\Flickr\\<query>\\<nnnn>_<flickr id>.jpg`` (loaders strip
  the prefix ``C:\\ImageData\\Flickr\\`` or ``C:/ImageData``: Apache SINGA's NUS-WIDE example,
  Cakir et al.'s hashing code ``nus.m``); ``TrainImagelist.txt`` and ``TestImagelist.txt`` give
  the official split as paths relative to the ``Flickr`` folder, ``<query>\\<nnnn>_<id>.jpg``
  (loaders join them to the image folder directly), each in the order of ``Imagelist.txt``. The
  lists are grouped by query folder, alphabetically, numbered from 0001 within a folder; a few
  folders number with five digits (``adminisrative_assistant\\00001_534152430.jpg``), here those
  whose query is written with an underscore.
- ``NUS_WID_Tags.zip``: ``All_Tags.txt`` has one line per image of ``Imagelist.txt``, the Flickr
  photo id (equal to the id in the file name: SINGA asserts it) then the photo's raw tags,
  whitespace-separated; ``Final_Tag_List.txt`` is the 5,018-tag dictionary, one a line; the
  archive also holds ``TagList1k.txt``, ``AllTags1k.txt``, ``AllTags81.txt``,
  ``Train_Tags1k.dat``, ``Test_Tags1k.dat``, ``Train_Tags81.txt``, ``Test_Tags81.txt`` (nine
  files, the dataset's README), written here as 0/1 matrices (the ``.dat`` files tab-separated,
  as loaders read them; their exact spacing is not verified, and nothing reads them).
- ``ConceptsList.zip``: ``ConceptsList/Concepts81.txt``, the 81 concept names.
- ``Groundtruth.zip``: ``Groundtruth/AllLabels/Labels_<concept>.txt``, one 0/1 line per image of
  ``Imagelist.txt``, and ``Groundtruth/TrainTestLabels/Labels_<concept>_Train.txt`` /
  ``_Test.txt``, one line per image of the train/test list.
- Images: ``<images_dir>/<query>/<nnnn>_<id>.jpg``, Flickr "medium" JPEGs (at most 500 pixels).

The lists were written on Windows (their paths say so); lines end in CRLF here, which is an
assumption: no public copy shows the line endings. Every file is ASCII.

Miniature content, from real data by stated rules:

- images: ``N_IMAGES`` Tux Paint stamps as JPEG (miniature_stamps.jpeg_bytes): first one stamp
  for each concept (when a stamp shows it), then the stamps that show one of the studied
  concepts other than *animal* (animals are plentiful), then the others, each in a fixed hash
  order;
- query folder: the stamp's innermost folder that is a word (``birds``, ``roadsigns``; not
  ``cartoon`` or ``00_symbols``), as NUS-WIDE's folders are the words its photos were found by;
- Flickr id: a number of 8 to 10 digits fixed by the stamp's path (real ids of 2008 have 9 or 10);
- raw tags: the stamp's description and file-name words, then its query word, each once
  (miniature_stamps.photo_tags): Flickr photos found by a query word carry it as a tag;
- dictionary (``Final_Tag_List.txt``): the tags on at least 2 images that WordNet 3.0 knows,
  alphabetically (the real one: tags on more than 100 images that are WordNet words);
  ``TagList1k.txt``: its most frequent fifth (the real 1,000 of 5,018), alphabetically;
- ground truth: miniature_nuswide_labels.concept_labels (tag words, WordNet, scene lists);
- split: the official one is about 60/40; here each studied concept's positives alternate between
  train and test (rarest concept first), the other images alternate after them, so every studied
  concept has at least ``MIN_PER_SPLIT`` positive and negative images on each side.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import miniature_stamps as stamps
from miniature_files import served_file, stable_number, write_bytes, write_zip
from miniature_nuswide_labels import CONCEPTS81, STUDIED, concept_labels

#: Download keys of full.yaml written by this module.
KEYS = ("nuswide_imagelist", "nuswide_tags", "nuswide_concepts", "nuswide_groundtruth")
#: Images of the miniature.
N_IMAGES = 300
#: Positive and negative images every studied concept needs in each split (5-fold CV per split).
MIN_PER_SPLIT = 10
#: Line ending of every NUS-WIDE list (see the module docstring).
EOL = "\r\n"
#: The crawl's folder, the prefix of every line of Imagelist.txt.
CRAWL_ROOT = "C:\\ImageData\\Flickr\\"
#: Where full.yaml expects the image folder (datasets: nuswide: images_dir), below resources/.
IMAGES_DIR = Path("nuswide_images/Flickr")


@dataclass(frozen=True)
class Photo:
    """One image of the miniature: the stamp it shows and its NUS-WIDE identity."""

    stamp_id: str
    stamp_path: str
    query: str
    file: str
    flickr_id: int
    tags: tuple[str, ...]
    labels: Mapping[str, bool]
    split: str

    @property
    def relative(self) -> str:
        """``<query>\\<nnnn>_<id>.jpg``, as the train and test lists write it."""
        return f"{self.query}\\{self.file}"


def _query(image_id: str) -> str:
    """The stamp's innermost folder that is a word, skipping ``cartoon``."""
    folders = image_id.split("/")[:-1]
    words = [f for f in folders if re.fullmatch(r"[a-z][a-z_]*", f) and f != "cartoon"]
    return (words or folders)[-1]


def _assign_splits(ids: Sequence[str], labels: Mapping[str, Mapping[str, bool]]) -> dict[str, str]:
    """Train or test per image: the positives of each studied concept, rarest concept first,
    alternate between the sides (starting with the side that has fewer of them), then the rest
    alternate. ``ids`` is in the fixed hash order."""
    split: dict[str, str] = {}
    by_rarity = sorted(STUDIED, key=lambda c: (sum(labels[i][c] for i in ids), c))
    for concept in by_rarity:
        have = Counter(split[i] for i in ids if i in split and labels[i][concept])
        side = "train" if have["train"] <= have["test"] else "test"
        for image in ids:
            if image not in split and labels[image][concept]:
                split[image] = side
                side = "test" if side == "train" else "train"
    side = "train"
    for image in ids:
        if image not in split:
            split[image] = side
            side = "test" if side == "train" else "train"
    for concept in STUDIED:
        for name in ("train", "test"):
            values = [labels[i][concept] for i in ids if split[i] == name]
            if min(sum(values), len(values) - sum(values)) < MIN_PER_SPLIT:
                raise RuntimeError(f"miniature NUS-WIDE: too few {concept} images in {name}")
    return split


@functools.cache
def photos() -> tuple[Photo, ...]:
    """The miniature's images in the order of Imagelist.txt (query folder, then number)."""
    wn = stamps.wordnet()
    rows = {}
    for row in stamps.stamp_table().itertuples(index=False):
        query = _query(row.image_id)
        tags = [*stamps.photo_tags(row.caption, row.image_id), query]
        tags = [t for t in dict.fromkeys(tags) if re.fullmatch(r"[a-z0-9]+", t)]
        synset = row.synset if isinstance(row.synset, str) else None
        rows[row.image_id] = (row.path, query, tags, concept_labels(wn, row.image_id, synset, tags))
    order = sorted(rows, key=lambda i: stable_number(f"nuswide:{i}", 0, 2**62))
    examples = [next((i for i in order if rows[i][3][c]), None) for c in CONCEPTS81]
    scenic = [i for i in order if any(rows[i][3][c] for c in STUDIED if c != "animal")]
    queue = [i for i in examples if i is not None] + scenic + order
    chosen = list(dict.fromkeys(queue))[:N_IMAGES]
    split = _assign_splits(chosen, {i: rows[i][3] for i in chosen})
    result = []
    for query in sorted({rows[i][1] for i in chosen}):
        width = 5 if "_" in query else 4
        members = sorted(i for i in chosen if rows[i][1] == query)
        for number, image in enumerate(members, start=1):
            path, _, tags, labels = rows[image]
            flickr_id = stable_number(f"flickr:{image}", 10**7, 4 * 10**9)
            file = f"{number:0{width}d}_{flickr_id}.jpg"
            result.append(Photo(image, path, query, file, flickr_id, tuple(tags), labels,
                                split[image]))  # fmt: skip
    if len({p.flickr_id for p in result}) != len(result):
        raise RuntimeError("miniature NUS-WIDE: two images drew the same Flickr id")
    return tuple(result)


def _text(lines: Sequence[str]) -> bytes:
    """Lines as the NUS-WIDE lists store them: ASCII, each ended by ``EOL``."""
    return "".join(line + EOL for line in lines).encode("ascii")


def _dictionary(images: Sequence[Photo]) -> tuple[list[str], list[str]]:
    """Final_Tag_List.txt and TagList1k.txt of the miniature (rules in the module docstring)."""
    wn = stamps.wordnet()
    counts = Counter(t for p in images for t in p.tags)
    final = sorted(t for t, n in counts.items() if n >= 2 and wn.synsets(t))
    top = sorted(final, key=lambda t: (-counts[t], t))[: max(1, round(len(final) / 5))]
    return final, sorted(top)


def _matrix(rows: Sequence[Sequence[bool]], separator: str) -> list[str]:
    return [separator.join("1" if v else "0" for v in row) for row in rows]


def _tags_members(images: Sequence[Photo]) -> list[tuple[str, bytes]]:
    """The nine files of NUS_WID_Tags.zip."""
    final, top = _dictionary(images)
    tags1k = [[t in p.tags for t in top] for p in images]
    tags81 = [[c in p.tags for c in CONCEPTS81] for p in images]
    train = [k for k, p in enumerate(images) if p.split == "train"]
    test = [k for k, p in enumerate(images) if p.split == "test"]
    files = {
        "All_Tags.txt": [" ".join([str(p.flickr_id), *p.tags]) for p in images],
        "AllTags1k.txt": _matrix(tags1k, " "),
        "AllTags81.txt": _matrix(tags81, " "),
        "Final_Tag_List.txt": final,
        "TagList1k.txt": top,
        "Test_Tags1k.dat": _matrix([tags1k[k] for k in test], "\t"),
        "Test_Tags81.txt": _matrix([tags81[k] for k in test], " "),
        "Train_Tags1k.dat": _matrix([tags1k[k] for k in train], "\t"),
        "Train_Tags81.txt": _matrix([tags81[k] for k in train], " "),
    }
    return [(f"NUS_WID_Tags/{name}", _text(lines)) for name, lines in files.items()]


def _groundtruth_members(images: Sequence[Photo]) -> list[tuple[str, bytes]]:
    """Groundtruth.zip: AllLabels/ and TrainTestLabels/, one file per concept."""
    members = []
    for concept in CONCEPTS81:
        column = ["1" if p.labels[concept] else "0" for p in images]
        members.append((f"Groundtruth/AllLabels/Labels_{concept}.txt", _text(column)))
    for concept in CONCEPTS81:
        for split in ("Train", "Test"):
            column = ["1" if p.labels[concept] else "0" for p in images if p.split == split.lower()]
            name = f"Groundtruth/TrainTestLabels/Labels_{concept}_{split}.txt"
            members.append((name, _text(column)))
    return members


def write_images(resources: Path) -> None:
    """The images, below ``resources`` where full.yaml expects them (datasets: nuswide)."""
    for photo in photos():
        target = resources / IMAGES_DIR / photo.query / photo.file
        write_bytes(target, stamps.jpeg_bytes(photo.stamp_path))


def write_archives(served: Path, urls: Mapping[str, str]) -> None:
    """The four archives, where the rehearsal server serves ``urls`` (full.yaml's downloads)."""
    images = photos()
    lists = {
        "ImageList/Imagelist.txt": [CRAWL_ROOT + p.relative for p in images],
        "ImageList/TestImagelist.txt": [p.relative for p in images if p.split == "test"],
        "ImageList/TrainImagelist.txt": [p.relative for p in images if p.split == "train"],
    }
    archives = {
        "nuswide_imagelist": [(name, _text(lines)) for name, lines in lists.items()],
        "nuswide_tags": _tags_members(images),
        "nuswide_concepts": [("ConceptsList/Concepts81.txt", _text(CONCEPTS81))],
        "nuswide_groundtruth": _groundtruth_members(images),
    }
    for key, members in archives.items():
        write_zip(served_file(served, urls[key]), members)


def write_nuswide(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write the miniature NUS-WIDE: the archives of ``urls`` below ``served``, the images below
    ``resources``."""
    write_archives(served, urls)
    write_images(resources)
