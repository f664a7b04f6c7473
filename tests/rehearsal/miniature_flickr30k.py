"""A miniature Flickr30K with Karpathy's split, in the layout of its public files: the zip of
full.yaml's download ``karpathy_splits`` and the image folder given out on request.

Layout of the real files (Karpathy & Fei-Fei, CVPR 2015; ``deepimagesent/caption_datasets.zip``):

- the zip holds ``dataset_coco.json``, ``dataset_flickr30k.json`` and ``dataset_flickr8k.json``
  at its top level;
- each is one line of JSON as Python's ``json.dump`` writes it (``", "`` and ``": "``
  separators, non-ASCII escaped, no final newline): ``{"images": [...], "dataset": <name>}``;
- a Flickr30K/Flickr8K image is ``{"sentids": [...], "imgid": i, "sentences": [...], "split":
  "train"|"val"|"test", "filename": "<flickr id>.jpg"}`` (Flickr8K: ``<id>_<secret>.jpg``),
  images in file-name order, ``imgid`` their position, ``sentids`` ``5 i`` to ``5 i + 4``; a
  sentence is ``{"tokens": [...], "raw": "...", "imgid": i, "sentid": s}``, tokens lower-cased
  words without punctuation (field order as loaders document it, e.g. a TBPS-CLIP F30K reader);
- a COCO image is ``{"filepath": "val2014", "sentids": [...], "filename":
  "COCO_val2014_<12-digit id>.jpg", "imgid": i, "split": "train"|"val"|"test"|"restval",
  "sentences": [...], "cocoid": <id>}``;
- images: ``flickr30k-images/<flickr id>.jpg``, Flickr JPEGs of at most 500 pixels.

Miniature content, from real data by stated rules:

- ``N_IMAGES`` Tux Paint stamps that have a visual word with a WordNet sense and a description,
  in a fixed hash order: the first ``N_TEST`` are test, the next ``N_VAL`` val, the rest train
  (the real split: 29,000 / 1,014 / 1,000); then ``N_OTHER`` more for each of the tiny COCO and
  Flickr8K files, which only make the archive look like the real one;
- five captions per image, all real English: the stamp's description, then the gloss and example
  sentences of its word's WordNet sense, then the glosses of the senses above it (hypernyms),
  nearest first, until there are five distinct ones; a gloss gets a capital first letter and a
  full stop, as a caption is written;
- ids: Flickr ids of 6 to 10 digits (as the real file names have), COCO image and caption ids
  of up to 6 digits (COCO's own, not consecutive), fixed by the stamp's path.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import miniature_stamps as stamps
from miniature_files import served_file, stable_number, write_bytes, write_zip

#: Download key of full.yaml written by this module.
KEY = "karpathy_splits"
#: Images of the miniature Flickr30K, and how many of them are test and val.
N_IMAGES, N_TEST, N_VAL = 120, 20, 20
#: Images of each of the tiny COCO and Flickr8K files.
N_OTHER = 6
#: Captions per image (Flickr30K's five).
CAPTIONS = 5
#: Where full.yaml expects the image folder (datasets: flickr30k: images_dir), below resources/.
IMAGES_DIR = Path("flickr30k_images/flickr30k-images")


def _sentence(text: str) -> str:
    """A gloss written as a caption: capital first letter, final full stop."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


def captions(description: str, synset: str) -> list[str]:
    """The five captions of a stamp (rule in the module docstring)."""
    sense = stamps.wordnet().synset(synset)
    found = [description.strip(), _sentence(sense.definition())]
    found += [_sentence(example) for example in sense.examples()]
    above = sense
    while len(dict.fromkeys(found)) < CAPTIONS:
        parents = above.hypernyms() + above.instance_hypernyms()
        if not parents:
            raise RuntimeError(f"{synset}: WordNet gives fewer than {CAPTIONS} captions")
        above = min(parents, key=lambda s: s.name())
        found.append(_sentence(above.definition()))
    return list(dict.fromkeys(found))[:CAPTIONS]


def tokens(raw: str) -> list[str]:
    """Karpathy's tokens of a caption: lower-case words, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", raw.lower())


@functools.cache
def _stamps_in_order() -> tuple[tuple[str, str, str, str], ...]:
    """(image id, path, description, synset) of the usable stamps, in a fixed hash order."""
    table = stamps.stamp_table()
    usable = table[table["synset"].notna() & table["caption"].notna()]
    rows = [(r.image_id, r.path, r.caption, r.synset) for r in usable.itertuples(index=False)]
    return tuple(sorted(rows, key=lambda r: stable_number(f"flickr30k:{r[0]}", 0, 2**62)))


def _entry(imgid: int, filename: str, split: str, texts: Sequence[str]) -> dict:
    """One Flickr30K/Flickr8K image in Karpathy's field order."""
    sentids = [imgid * CAPTIONS + k for k in range(len(texts))]
    sentences = [
        {"tokens": tokens(raw), "raw": raw, "imgid": imgid, "sentid": sentid}
        for raw, sentid in zip(texts, sentids, strict=True)
    ]
    return {"sentids": sentids, "imgid": imgid, "sentences": sentences, "split": split,
            "filename": filename}  # fmt: skip


@functools.cache
def flickr30k_images() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(file name, stamp path, split, captions) of the miniature Flickr30K, in file-name order."""
    chosen = _stamps_in_order()[:N_IMAGES]
    rows = []
    for position, (image_id, path, description, synset) in enumerate(chosen):
        split = "test" if position < N_TEST else "val" if position < N_TEST + N_VAL else "train"
        filename = f"{stable_number(f'flickr30k:{image_id}', 10**5, 5 * 10**9)}.jpg"
        rows.append((filename, path, split, tuple(captions(description, synset))))
    if len({r[0] for r in rows}) != len(rows):
        raise RuntimeError("miniature Flickr30K: two images drew the same file name")
    return tuple(sorted(rows))


def _flickr30k_document() -> dict:
    images = [
        _entry(imgid, filename, split, texts)
        for imgid, (filename, _, split, texts) in enumerate(flickr30k_images())
    ]
    return {"images": images, "dataset": "flickr30k"}


def _flickr8k_document() -> dict:
    """The tiny Flickr8K: file names ``<flickr id>_<10 hex digits>.jpg``."""
    chosen = _stamps_in_order()[N_IMAGES : N_IMAGES + N_OTHER]
    named = sorted(
        (f"{stable_number(f'flickr8k:{i}', 10**8, 4 * 10**9)}_"
         f"{stable_number(f'secret:{i}', 0, 16**10):010x}.jpg", d, s)
        for i, _, d, s in chosen
    )  # fmt: skip
    splits = ("train", "train", "train", "train", "val", "test")
    images = [
        _entry(imgid, filename, splits[imgid], captions(description, synset))
        for imgid, (filename, description, synset) in enumerate(named)
    ]
    return {"images": images, "dataset": "flickr8k"}


def _coco_document() -> dict:
    """The tiny COCO: ``COCO_<folder>_<12-digit id>.jpg`` in ``train2014``/``val2014``."""
    chosen = _stamps_in_order()[N_IMAGES + N_OTHER : N_IMAGES + 2 * N_OTHER]
    splits = ("train", "train", "restval", "restval", "val", "test")
    images = []
    for imgid, (image_id, _, description, synset) in enumerate(chosen):
        cocoid = stable_number(f"coco:{image_id}", 1, 600_000)
        folder = "train2014" if splits[imgid] == "train" else "val2014"
        entry = _entry(imgid, f"COCO_{folder}_{cocoid:012d}.jpg", splits[imgid],
                       captions(description, synset))  # fmt: skip
        sentids = [stable_number(f"coco:{image_id}:{k}", 1, 830_000) for k in range(CAPTIONS)]
        for sentence, sentid in zip(entry["sentences"], sentids, strict=True):
            sentence["sentid"] = sentid
        images.append({"filepath": folder, "sentids": sentids, "filename": entry["filename"],
                       "imgid": imgid, "split": entry["split"],
                       "sentences": entry["sentences"], "cocoid": cocoid})  # fmt: skip
    return {"images": images, "dataset": "coco"}


def write_archive(served: Path, urls: Mapping[str, str]) -> None:
    """caption_datasets.zip where the rehearsal server serves full.yaml's ``karpathy_splits``."""
    documents = {
        "dataset_coco.json": _coco_document(),
        "dataset_flickr30k.json": _flickr30k_document(),
        "dataset_flickr8k.json": _flickr8k_document(),
    }
    members = [(name, json.dumps(doc).encode("ascii")) for name, doc in documents.items()]
    write_zip(served_file(served, urls[KEY]), members, folders=False)


def write_images(resources: Path) -> None:
    """The Flickr30K images, below ``resources`` where full.yaml expects them."""
    for filename, path, _, _ in flickr30k_images():
        write_bytes(resources / IMAGES_DIR / filename, stamps.jpeg_bytes(path))


def write_flickr30k(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write the miniature Flickr30K: the caption archive below ``served``, the images below
    ``resources``."""
    write_archive(served, urls)
    write_images(resources)
